"""The fast paths of the explorer core (issue 11, item 7) give what the full work gives.

* Explanations are cached by the node's path pattern (list indices as ``*``), so
  the 100,000 entries of a CRL are explained once per field: over the real CRLs
  of cryptography-vectors, every node's title, explanation and source equal
  what :func:`certlab.knowledge.asn1.explain` and the explorer's composition give
  with no cache at all.
* The RFC 3161 / 4210 / 4211 schemas are imported only when a message needs
  them: a certificate's explore does not import them, a time-stamp request is
  still named after them, and the OIDs certlab keys them by are the modules' own.

Timing is measured by ``benchmarks/bench_scale.py``, never asserted here.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

import cryptography_vectors
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from certlab import explorer
from certlab.explorer import explore

VECTORS = pathlib.Path(cryptography_vectors.__file__).parent / "vectors" / "cryptography_vectors"
if not VECTORS.is_dir():
    VECTORS = pathlib.Path(cryptography_vectors.__file__).parent


def _crls() -> list[tuple[str, bytes]]:
    out = []
    for path in sorted((VECTORS / "x509").rglob("*")):
        if not path.is_file() or "crl" not in path.name.lower() or path.suffix not in (".pem", ".der", ".crl"):
            continue
        data = path.read_bytes()
        try:
            crl = x509.load_pem_x509_crl(data) if b"-----BEGIN" in data else x509.load_der_x509_crl(data)
        except (ValueError, x509.InvalidVersion):
            continue  # not a CRL cryptography reads (or a certificate named after one)
        out.append((str(path.relative_to(VECTORS)), crl.public_bytes(serialization.Encoding.DER)))
    return out


class _NoCache(dict):  # type: ignore[type-arg]
    """An explanation cache that never keeps anything: every node is explained afresh."""

    def __setitem__(self, key: object, value: object) -> None:
        pass


def _others() -> list[tuple[str, bytes]]:
    """Certificates and CSRs of the corpus (a CSR's signature is explained unlike a certificate's)."""
    from certlab.load import load

    out = []
    for sub in ("x509/custom", "x509/requests", "x509/cryptography.io.pem", "x509/v1_cert.pem"):
        base = VECTORS / sub
        for path in sorted(base.rglob("*")) if base.is_dir() else [base]:
            if path.is_file() and path.stat().st_size < 50_000:
                out += [(str(path.relative_to(VECTORS)), o.der) for o in load(path.read_bytes()) if o.der]
    return out


def _rows(der: bytes, kind: str | None = "crl") -> list[tuple[str, str | None, str | None, str | None, str | None, str]]:
    return [(n.path, n.title, n.explanation, n.rfc, n.value, n.type_name) for n in explore(der, kind).walk()]


def test_the_corpus_has_real_crls_with_entries() -> None:
    crls = _crls()
    assert len(crls) >= 40
    assert any(x509.load_der_x509_crl(der).__len__() > 1000 for _name, der in crls)  # crl_almost_10k


def test_explanations_shared_by_pattern_equal_the_uncached_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    crls, others = _crls(), _others()
    cached = {name: _rows(der) for name, der in crls}
    cached_others = [_rows(der, None) for _name, der in others]
    monkeypatch.setattr(explorer, "_EXPLAIN_CACHE", _NoCache())
    compared = 0
    for name, der in crls:
        fresh = _rows(der)
        assert fresh == cached[name], name
        compared += len(fresh)
    assert compared > 30_000  # the 10k-entry CRL's nodes are among them
    assert len(others) > 100
    for (name, der), rows in zip(others, cached_others):
        assert _rows(der, None) == rows, name


def test_a_path_pattern_is_the_path_with_its_indices_starred() -> None:
    e = explore(next(der for name, der in _crls() if "almost_10k" in name), "crl")
    seen = 0
    assert e.root is not None
    patterns: dict[tuple[str, str], str] = {}
    stack = [(e.root, explorer._star(e.root.path))]
    while stack:
        n, pattern = stack.pop()
        assert pattern == ".".join("*" if s.isdigit() else s for s in n.path.split("."))
        seen += 1
        stack.extend(explorer._child_patterns(n, pattern, patterns))
    assert seen > 10_000


def test_a_certificate_is_explored_without_importing_the_tsp_and_cmp_modules() -> None:
    code = ("import sys, certlab.cli, certlab.fields, certlab.findings\n"
            "from certlab.explorer import explore\n"
            "from tests._certs import make_cert\n"
            "from cryptography.hazmat.primitives import serialization\n"
            "e = explore(make_cert().public_bytes(serialization.Encoding.DER))\n"
            "assert e.root_name == 'certificate' and not e.errors\n"
            "print(sorted(m for m in sys.modules if m.split('.')[-1] in ('rfc3161', 'rfc4210', 'rfc4211')))\n")
    root = pathlib.Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_the_lazy_schemas_are_the_modules_own() -> None:
    from pyasn1_alt_modules import rfc3161, rfc4210

    from certlab import schema, schema_pki

    assert schema_pki._ID_TST_INFO == str(rfc3161.id_ct_TSTInfo)
    assert schema_pki._ID_PASSWORD_BASED_MAC == str(rfc4210.id_PasswordBasedMac)
    for name in schema_pki.LAZY_ROOTS:
        assert name in schema.ROOTS
    assert type(schema.ROOTS.get("timeStampReq")) is rfc3161.TimeStampReq
    assert type(schema.ROOTS["pKIMessage"]) is rfc4210.PKIMessage
    assert schema.ROOTS.get("noSuchRoot") is None and "noSuchRoot" not in schema.ROOTS
    alg_params = schema._open_types()["AlgorithmIdentifier"][2]
    assert type(alg_params.get(str(rfc4210.id_PasswordBasedMac))) is rfc4210.PBMParameter


def test_a_time_stamp_request_is_named_after_rfc_3161() -> None:
    from pyasn1.codec.der import encoder
    from pyasn1.type import univ
    from pyasn1_alt_modules import rfc3161, rfc5280

    req = rfc3161.TimeStampReq()
    req["version"] = 1
    imprint = req["messageImprint"]
    algorithm = rfc5280.AlgorithmIdentifier()
    algorithm["algorithm"] = univ.ObjectIdentifier("2.16.840.1.101.3.4.2.1")
    imprint["hashAlgorithm"] = algorithm
    imprint["hashedMessage"] = b"\x11" * 32
    req["certReq"] = True
    e = explore(encoder.encode(req))
    assert e.kind == "timestamp-request" and e.root_name == "timeStampReq" and not e.errors
    assert e.find("timeStampReq.messageImprint.hashedMessage") is not None
    assert e.find("timeStampReq.certReq") is not None


def _datetime_reading(text: str, generalized: bool) -> str | None:
    """The oracle: the date Python's datetime makes of the RFC 5280 §4.1.2.5 form, or None."""
    import datetime

    if len(text) != (15 if generalized else 13) or not text.endswith("Z") or not text[:-1].isdigit() \
            or not text.isascii():
        return None
    try:
        when = datetime.datetime.strptime(("" if generalized else ("19" if text[0] >= "5" else "20")) + text,
                                          "%Y%m%d%H%M%SZ")
    except ValueError:
        return None
    return when.isoformat(" ")


def test_dates_read_as_text_are_the_dates_datetime_reads() -> None:
    # every field at its edges (month 0 and 13, day 0, 29 Feb in leap and common years, 1900 and
    # 2000, hour 24, minute and second 60), then random strings of digits, letters and Unicode digits
    import random

    edges = [f"{y}{mo}{d}{h}{mi}{se}Z" for y in ("00", "49", "50", "99", "1000", "1900", "2000", "2024", "2100",
                                                 "9999", "1600")
             for mo in ("00", "01", "02", "04", "12", "13") for d in ("00", "01", "28", "29", "30", "31", "32")
             for h in ("00", "23", "24") for mi in ("00", "59", "60") for se in ("00", "59", "60")]
    rng = random.Random(11)
    noise = ["".join(rng.choice("0123456789Z\u0663 .+-") for _ in range(rng.choice((12, 13, 14, 15, 16))))
             for _ in range(20_000)]
    valid = 0
    for text in edges + noise:
        for generalized in (False, True):
            expected = _datetime_reading(text, generalized)
            assert explorer._time_text(text, generalized) == expected, (text, generalized)
            valid += expected is not None
    assert valid > 1000
    # and as the tree shows them
    assert explorer._time(b"240229120000Z", False).startswith("2024-02-29 12:00:00 UTC")
    assert explorer._time(b"230229120000Z", False).startswith("'230229120000Z' (not in the RFC 5280")


def test_a_built_tree_leaves_the_collector_nothing_young_to_walk() -> None:
    # explore() pauses the cycle collector while it builds (certlab._perf.gc_paused); what it
    # built then goes to the oldest generation, so the next allocation does not make the
    # collector walk a 100,000-entry CRL's million objects (4.5 s of `certlab inspect`)
    import gc

    der = next(der for name, der in _crls() if "almost_10k" in name)
    assert gc.isenabled()
    gc.collect()
    tree = explore(der, "crl")
    assert gc.isenabled() and gc.get_freeze_count() == 0
    young, middle, _old = gc.get_count()
    assert young < 1000 and middle < 10, gc.get_count()
    assert sum(1 for _ in tree.walk()) > 30_000
    gc.disable()
    try:  # inside an outer pause, the inner one leaves the collector paused
        explore(der, "crl")
        assert not gc.isenabled()
    finally:
        gc.enable()


def _other_names_certificate() -> bytes:
    """A certificate whose 40 subjectAltNames are otherNames of one shape: the same lengths
    everywhere, type-ids of the same length, but half SRVName (RFC 4985, which certlab decodes
    as an IA5String) and half an OID no table knows (left undecoded)."""
    import datetime

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "items.example")])
    value = b"\x16\x0e_ldap._tcp.a.b"  # IA5String, 14 octets
    sans = [x509.OtherName(x509.ObjectIdentifier("1.3.6.1.5.5.7.8.7" if i % 3 else "1.3.6.1.5.5.7.8.6"), value)
            for i in range(40)]
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(sans), critical=False).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.DER)


def test_list_items_named_after_an_earlier_item_equal_items_named_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    # The walker copies names between items of one shape (schema._Walker._items) and the
    # explorer their explanations; with the copy switched off every item is named and
    # explained on its own: the trees, their texts and their JSON must be the same.
    import json

    from certlab import schema
    from certlab.render.asn1_text import explorer_text

    objects = [(name, der, "crl") for name, der in _crls()]
    objects.append(("otherName SANs", _other_names_certificate(), "certificate"))

    def shown(der: bytes, kind: str) -> tuple[str, str, list[tuple[str, ...]]]:
        e = explore(der, kind)  # the texts and JSON, and the other paths a node answers to (find())
        return explorer_text(e, explain=True), json.dumps(e.to_json()), [(n.path, *n.aliases) for n in e.walk()]

    copied = {name: shown(der, kind) for name, der, kind in objects}
    monkeypatch.setattr(schema, "_MANY_ITEMS", 10**9)
    long_lists = 0
    for name, der, kind in objects:
        assert shown(der, kind) == copied[name], name
        long_lists += copied[name][0].count("\n") > 200
    assert long_lists >= 3
    # the copy did happen, and told the two kinds of otherName apart by their OIDs
    monkeypatch.undo()
    tree = explore(objects[-1][1], "certificate")
    sans = [n for n in tree.walk() if n.path.endswith(".subjectAltName")][0]
    items = sans.children
    assert len(items) == 40 and sum(n.twin is not None for n in tree.walk()) > 100
    decoded = [any(c.open_type == "SRVName" for c in item.walk()) for item in items]
    assert decoded == [bool(i % 3) for i in range(40)]


def test_open_types_change_only_a_value_or_list_items_below_their_owner() -> None:
    # What lets the guess pass skip copied list items (schema._Walker.guess): every open
    # type's value is one component of its owner, or the items of one (``values.*``)
    import re

    from certlab import schema

    specs = [*schema._open_types().values(), *schema._open_types_by_class().values()]
    assert len(specs) > 20
    for _type_path, value_path, _table, _default in specs:
        assert re.fullmatch(r"[^.*]+(\.\*)?", value_path), value_path
