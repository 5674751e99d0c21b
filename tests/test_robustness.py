"""No unclean result on any input (issue 11, item 6).

One test per cause found by fuzzing real objects, each from its minimal example,
then a hypothesis suite that grows from them: mutants of real objects (flipped
bytes, truncations, changed lengths, inserted and deleted bytes, DER re-wrapped
as PEM) go through the whole ``certlab inspect`` pipeline in-process, and a few
through the command line.  The contract: nothing raises, nothing is printed on
stderr, ``--json`` is always one JSON document, the exit status is 0 or 1 and
never an "internal error".

The suite is bounded to a few seconds; the long version is the same suite with
``CERTLAB_FUZZ=N`` examples per property, drawn at random instead of the fixed
derandomized set (``CERTLAB_FUZZ=2000 pytest -p no:randomly tests/test_robustness.py -k mutants``).
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import math
import os
import pathlib
import subprocess
import sys
import time
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certlab import cli
from certlab.der import decode_oid, int_text, read
from certlab.explorer import explore
from certlab.load import load
from tests._certs import fixed_self_signed, resign, rsa_key

_VECTORS = pathlib.Path(__import__("cryptography_vectors").__file__).parent
_EXAMPLES = int(os.environ.get("CERTLAB_FUZZ", "0")) or None


def _inspect_everything(data: bytes) -> str:
    """Run what ``certlab inspect`` runs for every format; return what went to stderr."""
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        reports = [cli._report(o) for o in load(data)]
        json.loads(json.dumps({"objects": [cli._record(r) for r in reports]}))
        for r in reports:
            cli._text(r)
        cli._html(reports)
    return err.getvalue()


# --------------------------------------------------------------------------- one test per cause


def test_contents_running_past_the_end_are_cut_not_read() -> None:
    # cause 1: SEQUENCE { AlgorithmIdentifier, BIT STRING claiming 257 bytes with 2 left }
    data = bytes.fromhex("3014300d06092a864886f70d0101010500038201010030")
    e = explore(data)
    assert [x.offset for x in e.errors] == [17]
    assert "257 content bytes" in e.errors[0].message
    bits = e.find("subjectPublicKeyInfo.subjectPublicKey")
    assert bits is not None and not bits.node.complete
    assert bits.node.content_end == 22  # where the enclosing SEQUENCE ends, never past it
    assert _inspect_everything(data) == ""


def test_a_truncated_pem_certificate_gives_json_and_exit_1(tmp_path: pathlib.Path) -> None:
    der = fixed_self_signed().public_bytes(serialization.Encoding.DER)
    cut = base64.encodebytes(der[: len(der) // 2]).decode()
    path = tmp_path / "cut.pem"
    path.write_text(f"-----BEGIN CERTIFICATE-----\n{cut}-----END CERTIFICATE-----\n")
    proc = subprocess.run([sys.executable, "-m", "certlab", "inspect", "--json", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stderr == ""
    record = json.loads(proc.stdout)["objects"][0]
    assert record["kind"] == "certificate" and record["tree"]["path"] == "certificate"
    assert any("content bytes" in e["message"] for e in record["errors"])


def test_an_oid_arc_of_2100_octets_is_shown_by_its_size() -> None:
    # cause 2: SEQUENCE { OID 1.2.<an arc of 14701 bits> }
    data = bytes.fromhex("3082083a068208362a") + b"\x81" * 2100 + b"\x01"
    assert decode_oid(data[8:]) == "1.2.(arc of 14701 bits)"
    e = explore(data)
    assert e.errors == ()
    assert [n.value for n in e.walk()][1] == "1.2.(arc of 14701 bits)"
    assert _inspect_everything(data) == ""
    # an arc that fits is still decimal: a UUID arc (X.667) has 128 bits in 19 octets
    uuid = 0x1B4E28BA2FA111D2883F0016D3CCA427
    octets = [0x80 | (uuid >> (7 * i)) & 0x7F for i in range(18, 0, -1)] + [uuid & 0x7F]
    assert decode_oid(bytes([0x69, *octets])) == f"2.25.{uuid}"


def test_decoding_a_long_oid_takes_linear_time() -> None:
    # 4 MB in one sub-identifier: shifting a growing int would be quadratic (minutes)
    content = b"\x81" * 4_000_000 + b"\x01"
    start = time.perf_counter()
    assert decode_oid(content) == "2.(arc of 28000001 bits)"
    assert time.perf_counter() - start < 5


def test_integers_too_long_for_decimal_are_shown_by_size() -> None:
    big = 1 << 14400  # 4335 digits: str() refuses it
    with pytest.raises(ValueError):
        str(big)
    assert int_text(big) == f"0x01{'00' * 15}... (14401 bits, too long to show in decimal)"
    assert int_text(-big).startswith("-0x01")
    assert int_text(12345) == "12345"


def test_an_1800_octet_serial_that_cryptography_loads() -> None:
    # cause 3: describe(), find() and the chain report all wrote the serial in decimal
    from certlab.chain import verify_chain
    from certlab.fields import describe
    from certlab.findings import find

    serial = (1 << (1800 * 8 - 2)) + 12345
    cert = resign(fixed_self_signed(), rsa_key(), serial=serial)
    assert cert.serial_number == serial  # cryptography, the oracle, still loads it
    assert _inspect_everything(cert.public_bytes(serialization.Encoding.PEM)) == ""
    shown = [f.value for f in describe(cert).fields if f.path == "certificate.tbsCertificate.serialNumber"][0]
    assert shown.startswith("0x40") and "14399 bits" in shown
    bad = [f for f in find(cert, pkilint=False) if f.code == "bad-serial"]
    assert bad and "1800 octets long" in bad[0].message and "14399 bits" in bad[0].message
    report = verify_chain(cert, roots=[cert]).to_json()
    assert "14399 bits" in report["concerns"]["serial"]
    # pkilint's pyasn1 cannot print it either: that becomes a finding, not a traceback on stderr
    failed = [f for f in find(cert) if f.code == "pkilint-error"]
    assert failed and all("4300 digits" in f.message for f in failed)
    assert failed[0].path and failed[0].path.startswith("certificate.tbsCertificate")


def test_pem_scanning_is_linear_on_repeated_begin_lines() -> None:
    # cause 5: 6.8 KB of repeated BEGIN lines took 11-15 s with the old pattern
    for text in (b"-----BEGIN " * 620, b"-----BEGIN A-----\n" * 380, b"-----BEGIN A" * 600 + b"-----END A-----",
                 b"-----END " * 50_000, b"-----BEGIN X-----" + b"-----END !!" * 50_000):
        start = time.perf_counter()
        items = load(text)
        assert time.perf_counter() - start < 1, text[:30]
        assert items and all(i.obj is None for i in items)


def test_pem_blocks_are_still_found_among_text() -> None:
    cert = fixed_self_signed()
    pem = cert.public_bytes(serialization.Encoding.PEM)
    text = b"junk -----BEGIN \n" + pem + b"between\r\n" + pem.replace(b"\n", b"\r\n") + b"-----BEGIN X-----\nno end"
    items = load(text)
    assert [i.kind for i in items] == ["certificate", "certificate", "unknown"]
    assert items[0].obj == items[1].obj == cert
    assert "no matching END" in (items[2].error or "")
    mismatch = load(pem.replace(b"END CERTIFICATE", b"END X509 CRL"))
    assert "begins 'CERTIFICATE' but ends 'X509 CRL'" in (mismatch[0].error or "")


def _odd_rsa_key(consistent: bool) -> bytes:
    """A small PKCS#1 RSA key whose "prime" p is composite (OpenSSL's check refuses it);
    unless ``consistent``, d is off by 2 as well."""
    from pyasn1.codec.der import encoder
    from pyasn1_alt_modules import rfc8017

    p, q, e = 1000003 * 1000033, 1000037, 65537
    lam = (p - 1) * (q - 1) // math.gcd(p - 1, q - 1)
    d = pow(e, -1, lam) + (0 if consistent else 2)
    key = rfc8017.RSAPrivateKey()
    for name, value in (("version", 0), ("modulus", p * q), ("publicExponent", e), ("privateExponent", d),
                        ("prime1", p), ("prime2", q), ("exponent1", d % (p - 1)), ("exponent2", d % (q - 1)),
                        ("coefficient", pow(q, -1, p))):
        key[name] = value
    return bytes(encoder.encode(key))


def test_a_key_is_loaded_for_display_without_the_slow_prime_check() -> None:
    # cause 9: OpenSSL's consistency check tests the primes (27.6 s for RSA-16384);
    # certlab checks only the arithmetic, so a key with a composite p still shows
    der = _odd_rsa_key(consistent=True)
    with pytest.raises(ValueError):
        serialization.load_der_private_key(der, None)  # the full check refuses it
    shown = load(der)[0]
    assert shown.kind == "private-key" and shown.obj is not None and shown.error is None
    # numbers that do not fit together are still refused, with the reason
    pem = base64.encodebytes(_odd_rsa_key(consistent=False))
    broken = load(b"-----BEGIN RSA PRIVATE KEY-----\n" + pem + b"-----END RSA PRIVATE KEY-----\n")[0]
    assert broken.obj is None and "d is not the inverse of e" in (broken.error or "")


def test_a_node_limit_reached_is_shown_up_to_there_and_exits_0(monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from certlab.der import Limits

    body = b"\x05\x00" * 250_000  # 500 KB of NULLs: two bytes per node, past the limit
    data = b"\x30\x83" + len(body).to_bytes(3, "big") + body
    root, errors = read(data)
    assert root is not None
    assert len(errors) == 1 and errors[0].limit
    assert errors[0].message.startswith("shown up to here") and "malformed" not in errors[0].message
    assert len(root.children) == Limits().max_nodes - 1
    # through the command line: a valid CRL read with a small node limit exits 0, "shown up to here"
    from certlab import explorer

    monkeypatch.setitem(explorer.explore.__kwdefaults__, "limits", Limits(max_nodes=50, bytes_per_node=10**9))
    path = _VECTORS / "x509" / "custom" / "crl_all_reasons.pem"
    assert cli.main(["inspect", "--json", str(path)]) == 0
    record = json.loads(capsys.readouterr().out)["objects"][0]
    assert record["kind"] == "crl" and record["errors"] == []
    assert record["limits"][0]["message"].startswith("shown up to here: more than 50 nodes")
    assert cli.main(["inspect", "--text", str(path)]) == 0
    assert "shown up to here: more than 50 nodes" in capsys.readouterr().out


# --------------------------------------------------------------------------- the fuzz suite


def _seeds() -> list[bytes]:
    """Real objects of every kind certlab reads (cryptography-vectors), and the causes above."""
    names = ["x509/cryptography.io.pem", "x509/badssl-sct.pem", "x509/san_edipartyname.der", "x509/v1_cert.pem",
             "x509/custom/crl_all_reasons.pem", "x509/requests/rsa_sha1.pem", "x509/requests/ec_sha256.der",
             "x509/ocsp/resp-sha256.der", "x509/custom/ca/rsa_ca.pem", "x509/tls-feature-ocsp-staple.pem",
             "asymmetric/PKCS8/ec_private_key.pem", "asymmetric/PKCS8/unenc-rsa-pkcs8.pem",
             "asymmetric/PKCS8/enc-rsa-pkcs8.pem", "asymmetric/Traditional_OpenSSL_Serialization/dsa.1024.pem"]
    out = [(_VECTORS / n).read_bytes() for n in names]  # a missing vector fails here, loudly
    out.append(bytes.fromhex("3014300d06092a864886f70d0101010500038201010030"))
    out.append(bytes.fromhex("3082083a068208362a") + b"\x81" * 2100 + b"\x01")
    return out


_SEEDS = _seeds()


def _der_of(seed: bytes) -> tuple[bytes, bytes | None]:
    """(DER, PEM label) of a seed: PEM is unwrapped so mutants hit the DER inside it."""
    if b"-----BEGIN " not in seed:
        return seed, None
    head, _, rest = seed.partition(b"-----BEGIN ")
    label, _, rest = rest.partition(b"-----")
    body = rest.split(b"-----END ")[0]
    lines = [ln for ln in body.split(b"\n") if ln.strip() and b":" not in ln]
    try:
        return base64.b64decode(b"".join(lines)), label
    except ValueError:
        return seed, None


def _headers(der: bytes) -> list[tuple[int, bytes]]:
    """(offset, length octets) of every TLV certlab's reader finds in ``der``."""
    root, _errors = read(der)
    out: list[tuple[int, bytes]] = []
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        out.append((node.offset + len(node.identifier), node.length_octets))
        stack.extend(node.children)
    return [(at, octets) for at, octets in out if octets]


@st.composite
def mutants(draw: Any) -> bytes:
    der, label = _der_of(draw(st.sampled_from(_SEEDS)))
    data = bytearray(der)
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["flip", "cut", "length", "delete", "insert"]))
        i = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            data = data[:i]
        elif op == "length" and data:
            # a real length field of the object, told a different length
            headers = _headers(bytes(data))
            if headers:
                at, octets = draw(st.sampled_from(headers))
                old = int.from_bytes(data[at + 1:at + len(octets)], "big") if octets[0] & 0x80 else octets[0]
                new = max(0, old + draw(st.sampled_from([-2, -1, 1, 2, 100, 70_000, -old])))
                if draw(st.booleans()) or new >= 1 << 8 * max(1, len(octets) - 1):
                    encoded = bytes([new]) if new < 0x80 else b"\x84" + new.to_bytes(4, "big")
                else:
                    encoded = bytes([0x80 | (len(octets) - 1)]) + new.to_bytes(len(octets) - 1, "big") \
                        if len(octets) > 1 else bytes([new])
                data[at:at + len(octets)] = draw(st.sampled_from([encoded, b"\x80", b"\xff", b"\x89"]))
        elif op == "delete":
            del data[i:i + draw(st.integers(1, 8))]
        else:
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
    if label is not None and draw(st.booleans()):
        body = base64.encodebytes(bytes(data))
        return b"-----BEGIN " + label + b"-----\n" + body + b"-----END " + label + b"-----\n"
    return bytes(data)


_FAST = settings(max_examples=_EXAMPLES or 60, deadline=None, derandomize=_EXAMPLES is None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@_FAST
@given(mutants())
def test_mutants_of_real_objects_never_end_unclean(data: bytes) -> None:
    start = time.perf_counter()
    assert _inspect_everything(data) == ""
    assert time.perf_counter() - start < 10


@settings(_FAST, max_examples=_EXAMPLES or 60)
@given(st.binary(max_size=64))
def test_any_bytes_never_end_unclean(data: bytes) -> None:
    assert _inspect_everything(data) == ""
    assert _inspect_everything(b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(data)
                               + b"-----END CERTIFICATE-----\n") == ""


@settings(_FAST, max_examples=_EXAMPLES or 2)
@given(st.lists(mutants(), min_size=12, max_size=12))
def test_mutants_through_the_command_line_give_json_and_an_honest_status(tmp_path_factory: pytest.TempPathFactory,
                                                                         batch: list[bytes]) -> None:
    # one process reads a dozen mutants (starting Python and pkilint costs seconds)
    folder = tmp_path_factory.mktemp("mutants")
    files = []
    for i, data in enumerate(batch):
        files.append(folder / f"m{i}")
        files[-1].write_bytes(data)
    proc = subprocess.run([sys.executable, "-m", "certlab", "inspect", "--json", *map(str, files)],
                          capture_output=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr == b""
    reports = json.loads(proc.stdout)["objects"]
    assert {r["source"].split("#")[0] for r in reports} == set(map(str, files))
    # exit 1 exactly when some object reports an error
    assert proc.returncode == (1 if any(r["errors"] for r in reports) else 0)
