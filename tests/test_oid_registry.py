"""The OID registry: generated from public registries, and naming everything the oracles name.

Oracles: OpenSSL's object table (``openssl list -objects``, run live), cryptography's
``_OID_NAMES``, pkilint's OID constants and asn1js's table (shipped in
``data/oids``); and every OID found in the certificates, CRLs and CSRs of the
cryptography-vectors package.
"""

from __future__ import annotations

import importlib.util
import pathlib
import subprocess
import sys

import cryptography_vectors
import pytest

from _oracles import OPENSSL, needs_openssl
from certlab.der import decode_oid, read
from certlab.knowledge.oids import oid_info, oid_name

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "certlab" / "data" / "oids"
VECTORS = pathlib.Path(cryptography_vectors.__file__).parent / "vectors" / "cryptography_vectors"
if not VECTORS.is_dir():
    VECTORS = pathlib.Path(cryptography_vectors.__file__).parent


def _script() -> object:
    spec = importlib.util.spec_from_file_location("make_oid_registry", ROOT / "scripts" / "make_oid_registry.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_oid_registry"] = module
    spec.loader.exec_module(module)
    return module


def test_the_registry_is_what_the_script_generates(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "registry.tsv"
    assert _script().main([str(out)]) == 0  # type: ignore[attr-defined]
    assert out.read_text(encoding="utf-8") == (DATA / "registry.tsv").read_text(encoding="utf-8")


@needs_openssl
def test_every_oid_openssl_names_is_named() -> None:
    assert OPENSSL is not None
    listed = subprocess.run([OPENSSL, "list", "-objects"], capture_output=True, text=True, check=True).stdout
    names = _script().openssl_objects(listed)  # type: ignore[attr-defined]
    assert len(names) > 1000
    assert [d for d in names if oid_info(d) is None] == []


def test_every_oid_cryptography_and_pkilint_name_is_named() -> None:
    from cryptography.hazmat._oid import _OID_NAMES

    assert [o.dotted_string for o in _OID_NAMES if oid_info(o.dotted_string) is None] == []
    constants, _source = _script().pkilint_constants()  # type: ignore[attr-defined]
    assert len(constants) > 100
    assert [d for d in constants if oid_info(d) is None] == []


def test_every_oid_asn1js_names_is_named() -> None:
    table = _script().asn1js_oids((DATA / "asn1js-oids.js").read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    assert len(table) > 2500
    assert [d for d in table if oid_info(d) is None] == []


@pytest.mark.parametrize(("dotted", "word"), [
    ("0.4.0.1862.1.1", "Compliance"),        # ETSI EN 319 412-5 QcCompliance
    ("0.4.0.1862.1.4", "SSCD"),               # QcSSCD
    ("0.4.0.1862.1.5", "PDS"),                # QcPDS
    ("0.4.0.1862.1.6", "Type"),               # QcType
    ("1.2.643.2.2.3", "GOST"),                # GOST R 34.11-94 with GOST R 34.10-2001
    ("1.2.643.7.1.1.1.1", "GOST"),            # GOST R 34.10-2012 256-bit key
    ("1.2.643.100.111", "Subject"),           # subjectSignTool
    ("1.2.643.100.112", "Issuer"),            # issuerSignTool
    ("1.3.6.1.4.1.311.21.7", "emplate"),      # Microsoft certificate template
    ("1.3.6.1.4.1.311.20.2.3", "Principal"),  # Microsoft UPN
    ("1.2.840.113549.1.9.22.1", "x509Certificate"),  # PKCS#12 certBag type
    ("1.2.840.113549.1.1.3", "md4WithRSA"),
    ("1.3.6.1.4.1.311.2.1.4", "IndirectData"),  # Authenticode
])
def test_the_oids_real_objects_carry_are_named(dotted: str, word: str) -> None:
    name = oid_name(dotted)
    assert name is not None and word.lower() in name.lower(), (dotted, name)


def _corpus_oids() -> set[str]:
    found: set[str] = set()
    x509 = VECTORS / "x509"
    for path in sorted(x509.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in {".pem", ".der", ".crt", ".crl", ".csr", ".cer"}:
            continue
        data = path.read_bytes()
        if len(data) > 300_000:
            continue
        from certlab.load import load

        for item in load(data):
            root, _errors = read(item.der) if item.der else (None, ())
            stack = [root] if root is not None else []
            while stack:
                node = stack.pop()
                stack.extend(node.children)
                if node.tag_class == "universal" and node.tag == 6 and not node.constructed:
                    dotted = decode_oid(item.der[node.content_offset:node.content_end])
                    if dotted:
                        found.add(dotted)
    return found


def test_certlab_names_at_least_what_asn1js_and_openssl_name_in_real_certificates() -> None:
    oids = _corpus_oids()
    assert len(oids) > 90
    script = _script()
    asn1js = script.asn1js_oids((DATA / "asn1js-oids.js").read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    openssl = script.openssl_objects((DATA / "openssl-objects.txt").read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    ours = {d for d in oids if oid_info(d) is not None}
    assert {d for d in oids if d in asn1js} <= ours
    assert {d for d in oids if d in openssl} <= ours
    assert len(ours) > len({d for d in oids if d in asn1js})  # strictly more than asn1js alone
