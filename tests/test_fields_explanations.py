"""One explanation per node: a field read from a node says what the explorer's tree says there.

Walks the real certificates, CSRs and CRLs of the cryptography-vectors package (and
keys cryptography makes): for every field with a node path that is not computed from
its node (``derived``), the explanation and the citation equal those of
``explore(der).find(field.path)``, the node the views highlight for that field.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import cryptography_vectors
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa, x448, x25519

from certlab.explorer import explore
from certlab.fields import describe
from certlab.knowledge.algorithms import KEY_USAGE_BITS
from certlab.knowledge.fields import DERIVED_TEXT, EXTENSION_TEXT
from certlab.knowledge.oids import oid_info

VECTORS = Path(os.path.dirname(cryptography_vectors.__file__)) / "x509"

_LOADERS = [("certificate", x509.load_pem_x509_certificate), ("certificate", x509.load_der_x509_certificate),
            ("csr", x509.load_pem_x509_csr), ("csr", x509.load_der_x509_csr),
            ("crl", x509.load_pem_x509_crl), ("crl", x509.load_der_x509_crl)]


def _corpus() -> list[tuple[str, str, object]]:
    files = [p for pattern in ("*.pem", "*.der", "custom/*.pem", "custom/*.der", "requests/*.pem",
                               "requests/*.der", "ed25519/*", "ed448/*")
             for p in sorted(VECTORS.glob(pattern)) if p.is_file() and p.stat().st_size < 200_000]
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in files:
            data = path.read_bytes()
            for kind, load in _LOADERS:
                try:
                    obj = load(data)
                except Exception:
                    continue
                out.append((path.name, kind, obj))
                break
    return out


CORPUS = _corpus()
_DERIVED_NAMES = {t.name for t in DERIVED_TEXT.values()} | {f"Key Usage: {b.asn1_name}" for b in KEY_USAGE_BITS}


def _mismatches(obj: object, der: bytes, kind: str, reveal: bool = False) -> tuple[int, list[str]]:
    tree = explore(der, kind, reveal=reveal)
    checked, bad = 0, []
    for f in describe(obj, reveal=reveal).fields:  # type: ignore[arg-type]
        if f.path is None:
            continue
        if f.derived:
            # only the computed fields named in DERIVED_TEXT (and KeyUsage bits) explain themselves
            assert f.name in _DERIVED_NAMES, f"{f.name} at {f.path} is derived but has no DERIVED_TEXT row"
            continue
        node = tree.find(f.path)
        if node is None:
            bad.append(f"{f.path}: no node")
            continue
        checked += 1
        if (f.explanation, f.rfc) != (node.explanation, node.rfc or None):
            bad.append(f"{f.path} ({f.name}): field {f.explanation!r} [{f.rfc}] != tree {node.explanation!r} [{node.rfc}]")
    return checked, bad


def test_the_corpus_has_all_three_kinds() -> None:
    kinds = [kind for _name, kind, _obj in CORPUS]
    assert kinds.count("certificate") > 40 and kinds.count("csr") > 10 and kinds.count("crl") > 10


def test_every_field_of_the_corpus_says_what_its_tree_node_says() -> None:
    total, problems = 0, []
    for name, kind, obj in CORPUS:
        der = obj.public_bytes(serialization.Encoding.DER)  # type: ignore[attr-defined]
        try:
            checked, bad = _mismatches(obj, der, kind)
        except Exception as exc:  # describe() of a malformed vector: corpus_fields tests that it never raises
            problems.append(f"{name}: {exc!r}")
            continue
        total += checked
        problems += [f"{name}: {b}" for b in bad]
    assert problems == []
    assert total > 2000  # every certificate has dozens of node fields


_KEYS = [rsa.generate_private_key(65537, 2048), ec.generate_private_key(ec.SECP384R1()),
         ed25519.Ed25519PrivateKey.generate(), ed448.Ed448PrivateKey.generate(),
         x25519.X25519PrivateKey.generate(), x448.X448PrivateKey.generate(), dsa.generate_private_key(2048)]


@pytest.mark.parametrize("key", _KEYS, ids=lambda k: type(k).__name__)
@pytest.mark.parametrize("reveal", [False, True])
def test_key_fields_say_what_their_nodes_say(key: object, reveal: bool) -> None:
    pkcs8 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,  # type: ignore[attr-defined]
                              serialization.NoEncryption())
    checked, bad = _mismatches(key, pkcs8, "private-key", reveal)
    assert bad == [] and checked >= 2
    public = key.public_key()  # type: ignore[attr-defined]
    spki = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    checked, bad = _mismatches(public, spki, "public-key")
    assert bad == [] and checked >= 2


def test_an_extension_is_explained_once_from_one_table() -> None:
    """SAN (issue 9: knowledge/oids.py and knowledge/fields.py had two texts): the field, its
    Extension node and the OID registry quote EXTENSION_TEXT; the extnID and the value only name it."""
    cert = x509.load_pem_x509_certificate((VECTORS / "cryptography.io.pem").read_bytes())
    der = cert.public_bytes(serialization.Encoding.DER)
    san = next(f for f in describe(cert).fields if f.name == "Subject Alternative Name")
    text = EXTENSION_TEXT["2.5.29.17"]
    assert (san.explanation, san.rfc) == (text.explanation, text.rfc)
    info = oid_info("2.5.29.17")
    assert info is not None and (info.name, info.explanation, info.source) == ("subjectAltName", text.explanation, text.rfc)
    tree = explore(der, "certificate")
    assert san.path is not None
    extn_id, value = tree.find(f"{san.path}.extnID"), tree.find(f"{san.path}.extnValue")
    assert extn_id is not None and value is not None
    assert extn_id.explanation.endswith("Here: subjectAltName.") and text.explanation not in value.explanation


def test_a_name_attribute_is_explained_by_its_type() -> None:
    cert = x509.load_pem_x509_certificate((VECTORS / "cryptography.io.pem").read_bytes())
    cn = next(f for f in describe(cert).fields if f.name == "CN (commonName)")
    info = oid_info("2.5.4.3")
    assert info is not None and (cn.explanation, cn.rfc) == (info.explanation, info.source)


def test_passing_the_views_tree_gives_the_same_fields() -> None:
    cert = x509.load_pem_x509_certificate((VECTORS / "cryptography.io.pem").read_bytes())
    der = cert.public_bytes(serialization.Encoding.DER)
    assert describe(cert, explored=explore(der, "certificate")) == describe(cert)


def test_a_field_whose_node_is_absent_points_nowhere_and_says_what_its_path_means() -> None:
    """A v1 certificate has no version node (DEFAULT v1 is left out, X.690 §11.5): the field
    keeps the row its path names and no path, so no view highlights bytes that are not there."""
    from certlab.knowledge.asn1 import explain_path

    cert = x509.load_pem_x509_certificate((VECTORS / "v1_cert.pem").read_bytes())
    assert explore(cert.public_bytes(serialization.Encoding.DER)).find("certificate.tbsCertificate.version") is None
    version = next(f for f in describe(cert).fields if f.name == "Version")
    _title, text, rfc = explain_path("certificate.tbsCertificate.version")
    assert (version.path, version.explanation, version.rfc) == (None, text, rfc)
    assert "v3" in text and rfc == "RFC 5280 §4.1.2.1"
