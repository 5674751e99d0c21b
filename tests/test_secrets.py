"""Private-key secrets stay out of every explorer output unless the caller reveals them.

The oracle is pyca/cryptography itself: each key's private numbers (RSA d, p,
q and CRT values, the EC scalar, DSA x) or raw private bytes (Ed25519, Ed448,
the ML-DSA seed).  For each, the text, JSON and HTML of ``explore`` and of
``certlab inspect`` must hold none of them in decimal, hex (any case, with or
without separators) or base64 by default; with ``reveal=True`` / ``--reveal``
they must appear (the positive control that proves the search can fail).
Public parts, sizes and the byte layout (checked against ``openssl
asn1parse``) must not change.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

from certlab import cli
from certlab.der import encode, read
from certlab.explorer import Explored, explore
from certlab.knowledge.secrets import SECRETS, secret_row
from certlab.render.asn1_html import explorer_html, explorer_page
from certlab.render.asn1_text import explorer_text

try:  # ML-DSA arrived in cryptography 47; test it where it exists
    from cryptography.hazmat.primitives.asymmetric import mldsa
except ImportError:  # pragma: no cover - older cryptography
    mldsa = None  # type: ignore[assignment]

DER = serialization.Encoding.DER
PEM = serialization.Encoding.PEM
NOENC = serialization.NoEncryption()
TRAD = serialization.PrivateFormat.TraditionalOpenSSL
PKCS8 = serialization.PrivateFormat.PKCS8
OPENSSL = shutil.which("openssl")


def _int_bytes(n: int) -> bytes:
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


@dataclass(frozen=True)
class Case:
    """One key in one format: its DER, its secrets (the oracle) and public facts."""

    name: str
    der: bytes
    pem: bytes
    secret_ints: tuple[int, ...]
    secret_bytes: tuple[bytes, ...]
    public: tuple[str, ...]  # texts that must stay visible (decimal prefixes, OIDs, hex)

    @property
    def secrets_raw(self) -> tuple[bytes, ...]:
        return tuple(_int_bytes(n) for n in self.secret_ints) + self.secret_bytes


def _case(name: str, key: Any, fmt: serialization.PrivateFormat, ints: tuple[int, ...] = (),
          raw: tuple[bytes, ...] = (), public: tuple[str, ...] = ()) -> Case:
    return Case(name, key.private_bytes(DER, fmt, NOENC), key.private_bytes(PEM, fmt, NOENC), ints, raw, public)


def _cases() -> list[Case]:
    out: list[Case] = []
    r = rsa.generate_private_key(65537, 2048)
    rn = r.private_numbers()
    rsa_public = (str(rn.public_numbers.n)[:24], "65537")
    rsa_secrets = (rn.d, rn.p, rn.q, rn.dmp1, rn.dmq1, rn.iqmp)
    out += [_case("rsa-pkcs1", r, TRAD, rsa_secrets, public=rsa_public),
            _case("rsa-pkcs8", r, PKCS8, rsa_secrets, public=rsa_public)]
    e = ec.generate_private_key(ec.SECP256R1())
    point = e.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    ec_public = ("1.2.840.10045.3.1.7", point[:8].hex(":"))
    out += [_case("ec-sec1", e, TRAD, (e.private_numbers().private_value,), public=ec_public),
            _case("ec-pkcs8", e, PKCS8, (e.private_numbers().private_value,), public=ec_public)]
    ed = ed25519.Ed25519PrivateKey.generate()
    out.append(_case("ed25519", ed, PKCS8, raw=(ed.private_bytes_raw(),), public=("1.3.101.112",)))
    e4 = ed448.Ed448PrivateKey.generate()
    out.append(_case("ed448", e4, PKCS8, raw=(e4.private_bytes_raw(),), public=("1.3.101.113",)))
    d = dsa.generate_private_key(1024)
    dn = d.private_numbers()
    dsa_public = (str(dn.public_numbers.parameter_numbers.q)[:24],)
    out += [_case("dsa-openssl", d, TRAD, (dn.x,), public=(*dsa_public, str(dn.public_numbers.y)[:24])),
            _case("dsa-pkcs8", d, PKCS8, (dn.x,), public=dsa_public)]
    if mldsa is not None:
        m = mldsa.MLDSA44PrivateKey.generate()
        out.append(_case("ml-dsa-44", m, PKCS8, raw=(m.private_bytes_raw(),), public=("2.16.840.1.101.3.4.3.17",)))
    return out


CASES = _cases()
IDS = [c.name for c in CASES]


def _spellings(raw: bytes, number: int | None) -> list[str]:
    """Every spelling of one secret a renderer could print (all lower case)."""
    out = [str(number)[:20]] if number is not None else []  # decimal: printed from its start
    for at in sorted({0, max(0, len(raw) // 2 - 6), max(0, len(raw) - 12)}):
        window = raw[at:at + 12]
        out += [window.hex(), window.hex(":"), window.hex(" ")]
    # base64 of the secret inside any base64 stream: one of three alignments
    out += [base64.b64encode(raw[s:s + 15]).decode().lower() for s in range(3)]
    return out


def _secrets(c: Case) -> list[list[str]]:
    return ([_spellings(_int_bytes(n), n) for n in c.secret_ints]
            + [_spellings(raw, None) for raw in c.secret_bytes])


def _squeeze(text: str) -> str:
    return re.sub(r"[\s:]", "", text.lower())


def _found(spellings: list[str], text: str) -> list[str]:
    low, squeezed = text.lower(), _squeeze(text)
    return [n for n in spellings if n in low or _squeeze(n) in squeezed]


def _leaks(c: Case, text: str) -> list[str]:
    return [n for spellings in _secrets(c) for n in _found(spellings, text)]


def _hex_dump(markup: str) -> list[int | None]:
    """The bytes the HTML hex dump shows, in order; a masked byte is None."""
    dump = re.search(r'<div class="cl-hex"[^>]*>(.*?)</div><div class="cl-info"', markup, re.S)
    assert dump is not None
    shown: list[int | None] = []
    for row in re.findall(r"<div><b>[0-9a-f]{4}</b>(.*?)</div>", dump.group(1), re.S):
        row = re.sub(r"<u[^>]*>.*?</u>", " ", row)  # the ASCII column
        row = re.sub(r"</?span[^>]*>", " ", row)
        row = re.sub(r"<i[^>]*>(.*?)</i>", r" \1 ", row)
        shown += [None if tok == "\u00b7\u00b7" else int(tok, 16) for tok in row.split()]
    return shown


def _outputs(e: Explored) -> dict[str, str]:
    secret_paths = [n.path for n in e.walk() if n.secret]
    return {
        "text": explorer_text(e, explain=True),
        "json": json.dumps(e.to_json(), ensure_ascii=False),
        "html": explorer_html(e),
        # a selected secret marks its bytes and shows its explanation before any script runs
        "html-selected": explorer_html(e, selected=secret_paths[-1] if secret_paths else None,
                                       highlight=[(0, len(e.der), "cl-chg")]),
        "page": explorer_page(e, "key"),
    }


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_secret_in_any_output_by_default_and_all_with_reveal(case: Case) -> None:
    hidden = explore(case.der)
    assert hidden.kind == "private-key" and hidden.root_name is not None and hidden.hidden
    for name, text in _outputs(hidden).items():
        assert _leaks(case, text) == [], f"{case.name} {name} shows a secret"
        for public in case.public:
            assert _found([public], text), f"{case.name} {name} lost the public {public}"
    # positive control: revealed, each secret is found in every output
    shown = explore(case.der, reveal=True)
    assert shown.hidden == () and shown.revealed
    for name, text in _outputs(shown).items():
        for spellings in _secrets(case):
            assert _found(spellings, text), f"{case.name} {name}: a revealed secret is not shown"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_hex_dump_masks_exactly_the_secret_content_octets(case: Case) -> None:
    e = explore(case.der)
    dump = _hex_dump(explorer_html(e))
    assert len(dump) == len(case.der)
    masked = {i for i, b in enumerate(dump) if b is None}
    assert masked == {i for start, end in e.hidden for i in range(start, end)}
    # everything else is the real byte: tags and lengths of the secrets included
    assert all(b == case.der[i] for i, b in enumerate(dump) if b is not None)
    for raw in case.secrets_raw:
        at = case.der.find(raw[-12:])
        assert at >= 0 and set(range(at, at + 12)) <= masked
    for n in e.walk():
        if n.secret and not n.children:
            assert not masked & set(range(n.offset, n.content_offset)), "a secret's tag/length is masked"
    assert explorer_html(e).count('title="secret, hidden"') >= 1
    assert _hex_dump(explorer_html(explore(case.der, reveal=True))) == list(case.der)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_structure_and_sizes_are_unchanged_by_hiding(case: Case) -> None:
    def shape(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
        rows = [(doc["offset"], doc["depth"], doc["header_length"], doc["length"], doc["path"], doc["name"],
                 doc["type"], doc["secret"])]
        for child in doc["children"]:
            rows += shape(child)
        return rows

    hidden, shown = explore(case.der), explore(case.der, reveal=True)
    assert shape(hidden.to_json() or {}) == shape(shown.to_json() or {})
    text = explorer_text(hidden)
    for n in hidden.walk():
        if n.secret and not n.children and n.length:
            assert n.value == f"(secret: {n.length} byte{'s' if n.length != 1 else ''}, hidden)"
            assert f"l={n.length:>4d} " in text  # the size is taught ...
    assert "--reveal" in text  # ... and the way to see the values
    assert "whoever reads this output can use the key" in explorer_text(shown)
    root, errors = read(case.der)
    assert root is not None and not errors and encode(root, case.der) == case.der


@pytest.mark.skipif(OPENSSL is None, reason="openssl command line tool not installed")
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_rows_still_equal_openssl_asn1parse(case: Case) -> None:
    proc = subprocess.run([str(OPENSSL), "asn1parse", "-inform", "DER"], input=case.der, capture_output=True,
                          timeout=60, check=True)
    theirs = [(int(m[1]), int(m[2]), int(m[3]), int(m[4])) for m in
              re.finditer(r"^\s*(\d+):d=\s*(\d+)\s+hl=\s*(\d+)\s+l=\s*(\d+)", proc.stdout.decode(), re.M)]

    def rows(doc: dict[str, Any]) -> list[tuple[int, int, int, int]]:
        # openssl asn1parse does not open OCTET STRINGs; our encapsulated nodes are extra
        out = [] if doc["encapsulated"] else [(doc["offset"], doc["depth"], doc["header_length"], doc["length"])]
        for child in doc["children"]:
            out += rows(child)
        return out

    assert rows(explore(case.der).to_json() or {}) == theirs


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_cli_hides_by_default_and_reveals_on_request(case: Case, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / f"{case.name}.pem"
    path.write_bytes(case.pem)
    for fmt in ("--text", "--json", "--html"):
        extra = ["--explain"] if fmt == "--text" else []
        assert cli.main(["inspect", fmt, *extra, str(path)]) == 0
        out = capsys.readouterr().out
        assert _leaks(case, out) == [], f"certlab inspect {fmt} shows a secret of {case.name}"
        if fmt == "--text":
            assert "certlab inspect --reveal" in out
        assert cli.main(["inspect", fmt, "--reveal", str(path)]) == 0
        revealed = capsys.readouterr().out
        assert _leaks(case, revealed), f"certlab inspect {fmt} --reveal shows no secret of {case.name}"


def test_help_documents_reveal(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["inspect", "--help"])
    out = capsys.readouterr().out
    assert "--reveal" in out and "hidden" in out


def test_a_key_certlab_cannot_name_is_hidden_whole(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Three INTEGERs fit no key structure certlab knows: as a private key, all of it is secret.
    values = [0x0102030405060708090A0B0C0D0E0F10 + i for i in range(3)]
    body = b"".join(b"\x02\x10" + v.to_bytes(16, "big") for v in values)
    der = b"\x30" + bytes([len(body)]) + body
    e = explore(der, "private-key")
    assert e.kind == "private-key" and e.root_name is None
    assert sum(end - start for start, end in e.hidden) == 48
    text = explorer_text(e) + json.dumps(e.to_json()) + explorer_html(e)
    assert all(v.to_bytes(16, "big")[:8].hex() not in text.replace(":", "") for v in values)
    assert all(str(v)[:12] not in text for v in values)
    pem = tmp_path / "odd.pem"
    pem.write_bytes(b"-----BEGIN PRIVATE KEY-----\n" + base64.encodebytes(der) + b"-----END PRIVATE KEY-----\n")
    cli.main(["inspect", "--text", str(pem)])
    out = capsys.readouterr().out
    assert all(str(v)[:12] not in out for v in values)


def test_ciphertext_is_shown_and_said_to_be_ciphertext() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    der = key.private_bytes(DER, PKCS8, serialization.BestAvailableEncryption(b"correct horse"))
    e = explore(der)
    data = e.find("encryptedPrivateKeyInfo.encryptedData")
    assert data is not None and not data.secret and e.hidden == ()
    assert "ciphertext" in (data.explanation or "")
    assert data.value is not None and data.value.startswith(der[data.content_offset:data.content_offset + 4].hex(":"))


def test_certificates_have_no_secrets() -> None:
    import cryptography_vectors

    with cryptography_vectors.open_vector_file("x509/cryptography.io.pem", "rb") as f:
        from cryptography import x509

        cert = x509.load_pem_x509_certificate(f.read())
    e = explore(cert.public_bytes(DER))
    assert e.hidden == () and not any(n.secret for n in e.walk())
    assert "(secret:" not in explorer_text(e, explain=True) and "note: secret" not in explorer_text(e)
    assert 'class="cl-sec"' not in explorer_html(e)  # no masked bytes (the stylesheet names the class)


def _multi_prime_der() -> tuple[bytes, list[int]]:
    """A version-1 RSAPrivateKey with one extra prime (RFC 8017 §A.1.2), encoded by
    pyasn1: cryptography cannot make multi-prime keys.  The numbers are random
    (the explorer checks structure, not arithmetic), so no two share digits."""
    import secrets

    from pyasn1.codec.der.encoder import encode as der_encode
    from pyasn1_alt_modules import rfc8017

    def number() -> int:
        return secrets.randbits(256) | 1 << 255

    key = rfc8017.RSAPrivateKey()
    key["version"] = 1
    for name in ("modulus", "publicExponent", "privateExponent", "prime1", "prime2",
                 "exponent1", "exponent2", "coefficient"):
        key[name] = 65537 if name == "publicExponent" else number()
    info = rfc8017.OtherPrimeInfo()
    extra = [number() for _ in range(3)]
    info["prime"], info["exponent"], info["coefficient"] = extra
    key["otherPrimeInfos"].append(info)
    return der_encode(key), extra


def test_multi_prime_rsa_hides_the_extra_primes() -> None:
    der, extra = _multi_prime_der()
    e = explore(der)
    assert e.root_name == "rsaPrivateKey"
    infos = e.find("rsaPrivateKey.otherPrimeInfos")
    assert infos is not None and infos.secret and all(n.secret for n in infos.walk())
    out = explorer_text(e) + json.dumps(e.to_json()) + explorer_html(e)
    assert all(str(n)[:20] not in out and _int_bytes(n)[:12].hex() not in _squeeze(out) for n in extra)
    shown = explorer_text(explore(der, reveal=True))
    assert all(str(n)[:20] in shown for n in extra)  # positive control


def test_every_secret_row_is_matched_by_a_real_path() -> None:
    # The table is data: each row must answer to a path the explorer really produces.
    produced = {p for der in [c.der for c in CASES] + [_multi_prime_der()[0]] + _pkcs12_ders()
                for n in explore(der).walk() for p in (n.path, *n.aliases)}
    rows = {secret_row(p) for p in produced} - {None}
    unmatched = [k for k, row in SECRETS.items() if row not in rows]
    # ML-DSA-65/87 differ from the tested ML-DSA-44 only in sizes.
    allowed = {"ML_DSA_65_PrivateKey", "ML_DSA_87_PrivateKey"}
    assert set(unmatched) <= allowed, unmatched


def _pkcs12_ders() -> list[bytes]:
    """PKCS#12 bundles with keys in the clear (keyBag: RSA, DSA) and a secretBag."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    from _pki import secret_bag_pfx

    keys = [rsa.generate_private_key(public_exponent=65537, key_size=1024), dsa.generate_private_key(1024)]
    return [pkcs12.serialize_key_and_certificates(b"k", k, None, None, NOENC) for k in keys] + [
        secret_bag_pfx(b"the-secret-in-a-bag")]


def test_pkcs12_bags_hide_their_keys_and_secrets() -> None:
    # The bags are walked (RFC 7292 §4.2): names, OIDs and certificates show, the keys do not.
    for der in _pkcs12_ders():
        e = explore(der)
        assert e.kind == "pkcs12" and e.root_name == "pFX"
        bag = next(n for n in e.walk() if n.path.endswith("safeContents.0.bagId"))
        assert bag.value and "Bag" in bag.value and not bag.secret  # the bag's type is public
        out = explorer_text(e) + json.dumps(e.to_json()) + explorer_html(e)
        assert "the-secret-in-a-bag".encode().hex() not in _squeeze(out) and "the-secret-in-a-bag" not in out
        assert any(n.secret for n in e.walk())
    shown = explorer_text(explore(_pkcs12_ders()[2], reveal=True))
    assert "the-secret-in-a-bag".encode().hex()[:24] in _squeeze(shown)  # positive control


def test_an_unencrypted_pkcs12_bundle_hides_the_key_it_carries(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    # `openssl pkcs12 -export -keypbe NONE` makes such bundles: the key sits in the
    # container's bytes in the clear, so the container view must hide them too.
    from cryptography.hazmat.primitives.serialization import pkcs12

    from certlab import CertificateSpec, build_self_signed, generate_key

    key = generate_key()
    p12 = pkcs12.serialize_key_and_certificates(b"demo", key, build_self_signed(CertificateSpec(), key), None, NOENC)
    n = key.private_numbers()
    case = Case("pkcs12", p12, b"", (n.d, n.p, n.q), (), ())
    path = tmp_path / "bundle.p12"
    path.write_bytes(p12)
    for fmt in ("--text", "--json", "--html"):
        assert cli.main(["inspect", fmt, str(path)]) == 0
        assert _leaks(case, capsys.readouterr().out) == [], f"certlab inspect {fmt} shows the bundle's key"
    assert cli.main(["inspect", "--html", "--reveal", str(path)]) == 0
    assert _leaks(case, capsys.readouterr().out)  # the same search finds it when asked
    explored = explore(p12, "pkcs12")
    assert explored.hidden
    # the bag walk names the key and the certificate: the key's numbers are secret, the certificate is not
    key = explored.find("pFX.authSafe.content.data.authenticatedSafe.0.content.data.safeContents.1"
                        ".bagValue.keyBag.privateKey.rSAPrivateKey.privateExponent")
    assert key is not None and key.secret
    names = [n for n in explored.walk() if n.path.endswith("x509Certificate.certificate.tbsCertificate.subject.rdnSequence")]
    assert names and not any(n.secret for n in names[0].walk())
