"""certlab.diff: the fields and byte ranges that differ, checked against the bytes themselves."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from cryptography_vectors import open_vector_file

from certlab.build import TeachingCA, build_csr, build_self_signed, generate_key
from certlab.diff import Diff, diff, diff_der, diff_fields
from certlab.explorer import explore
from certlab.render.diff_html import diff_html
from certlab.spec import CertificateSpec, CsrSpec, KeySpec, Subject

NOW = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def key() -> Any:
    return generate_key(KeySpec("ec", curve="P-256"))


def _cert(key: Any, cn: str = "mysite.com", **kw: Any) -> x509.Certificate:
    spec = CertificateSpec(subject=Subject(common_name=cn), serial=1234, **kw)
    return build_self_signed(spec, key, now=NOW)


def _vector(name: str) -> x509.Certificate:
    with open_vector_file(f"x509/{name}", "rb") as f:
        return x509.load_pem_x509_certificate(f.read())


def test_identical_objects_have_no_difference(key: Any) -> None:
    cert = _cert(key)
    d = diff(cert, cert)
    assert d.same and d.fields == () and d.ranges_a == () and d.ranges_b == ()
    assert "No difference" in diff_html(d)


def test_common_name_edit_marks_exactly_the_name_bytes_and_the_signature(key: Any) -> None:
    a, b = _cert(key, "a.example"), _cert(key, "bb.example")
    d = diff(a, b)
    changed_b = {r.path: d.der_b[r.start:r.end] for r in d.ranges_b}
    # the oracle: the marked bytes really are the new CN's encoding (UTF8String, X.690 §8.23)
    cn_paths = [p for p in changed_b if p.endswith("x520CommonName.utf8String")]
    assert cn_paths and all(changed_b[p] == b"\x0c\x0abb.example" for p in cn_paths)
    # ECDSA signatures are randomised; the explorer opens the BIT STRING into r and s
    assert any(p.startswith("certificate.signature") for p in changed_b)
    # nothing else: serial, validity and key were pinned, so no other node may be marked
    others = [p for p in changed_b if "CommonName" not in p and not p.startswith("certificate.signature")]
    assert others == []
    names = {(f.section, f.name) for f in d.fields}
    assert ("Subject", "CN (commonName)") in names and ("Issuer", "CN (commonName)") in names
    for r in d.ranges_a:  # every range on a holds different bytes from b at the same node
        assert d.der_a[r.start:r.end] != changed_b.get(r.path, b"")


def test_an_added_extension_is_one_range(key: Any) -> None:
    a = _cert(key)
    b = _cert(key, key_usage=frozenset({"digital_signature"}))
    d = diff(a, b)
    added = [r for r in d.ranges_b if r.status == "added"]
    assert len(added) == 1
    ext = x509.load_der_x509_certificate(d.der_b).extensions.get_extension_for_class(x509.KeyUsage)
    assert ext is not None
    chunk = d.der_b[added[0].start:added[0].end]
    assert b"\x06\x03\x55\x1d\x0f" in chunk  # the OID 2.5.29.15 (keyUsage) is inside the marked range
    assert [f for f in d.fields if f.status == "added" and "Key Usage" in f.name]


def test_csr_and_issued_certificate_line_up(key: Any) -> None:
    ca = TeachingCA.create(intermediate=False, now=NOW)
    csr = build_csr(CsrSpec(key=KeySpec("ec")), key)
    cert = ca.issue(csr, CertificateSpec(serial=99), now=NOW)
    d = diff(csr, cert)
    added = {r.path for r in d.ranges_b if r.status == "added"}
    for part in ("serialNumber", "issuer.rdnSequence", "validity"):
        assert any(p.endswith(part) for p in added), (part, added)
    # the SAN the CSR asked for is in the certificate unchanged: no range may cover it
    cert_san = explore(d.der_b, "certificate").walk()
    san_nodes = [n for n in cert_san if n.path.endswith("subjectAltName")]
    assert san_nodes
    san = san_nodes[0]
    for r in d.ranges_b:
        assert not (r.start <= san.offset < r.end), r
    # the subject key is the same on both sides
    assert not any("subjectPublicKey" in r.path for r in d.ranges_a + d.ranges_b)


def test_private_keys_are_compared_by_their_public_half() -> None:
    k1 = generate_key(KeySpec("ec"))
    k2 = generate_key(KeySpec("ec"))
    d = diff(k1, k2)
    secret = k1.private_numbers().private_value.to_bytes(32, "big")
    assert secret not in d.der_a and d.kind_a == "public-key"
    assert d.ranges_a and all(".subjectPublicKey" in r.path for r in d.ranges_a)


def test_real_certificates_ranges_hold_different_bytes() -> None:
    a = _vector("cryptography.io.pem")
    b = _vector("rapidssl_sha256_ca_g3.pem")
    d = diff(a, b)
    assert not d.same and d.fields
    for r in d.ranges_a:
        assert 0 <= r.start < r.end <= len(d.der_a)
    for r in d.ranges_b:
        assert 0 <= r.start < r.end <= len(d.der_b)
    # changed leaves differ in content (the very claim the view makes)
    by_path_b = {r.path: d.der_b[r.start:r.end] for r in d.ranges_b if r.status == "changed"}
    for r in d.ranges_a:
        if r.status == "changed" and r.path in by_path_b:
            assert d.der_a[r.start:r.end] != by_path_b[r.path]


@dataclass
class _F:
    section: str
    name: str
    value: str
    path: str | None = None


def test_diff_fields_pairs_repeated_names_in_order() -> None:
    a = [_F("SAN", "DNS", "a"), _F("SAN", "DNS", "b"), _F("Subject", "CN", "x")]
    b = [_F("SAN", "DNS", "a"), _F("SAN", "DNS", "c"), _F("SAN", "DNS", "d")]
    changes = diff_fields(a, b)
    assert [(c.name, c.before, c.after, c.status) for c in changes] == [
        ("DNS", "b", "c", "changed"),
        ("CN", "x", None, "removed"),
        ("DNS", None, "d", "added"),
    ]


def test_diff_der_with_shared_and_missing_paths() -> None:
    @dataclass
    class N:
        path: str
        offset: int
        header_length: int
        length: int | None

    # SEQUENCE { INTEGER 1, INTEGER 2 } vs SEQUENCE { INTEGER 1, INTEGER 3, INTEGER 4 }
    der_a = bytes.fromhex("3006020101020102")
    der_b = bytes.fromhex("3009020101020103020104")
    nodes_a = [N("r", 0, 2, 6), N("r.0", 2, 2, 1), N("r.1", 5, 2, 1)]
    nodes_b = [N("r", 0, 2, 9), N("r.0", 2, 2, 1), N("r.1", 5, 2, 1), N("r.2", 8, 2, 1)]
    ra, rb = diff_der(der_a, nodes_a, der_b, nodes_b)
    assert [(r.path, r.status, der_a[r.start:r.end]) for r in ra] == [("r.1", "changed", b"\x02\x01\x02")]
    assert [(r.path, r.status, der_b[r.start:r.end]) for r in rb] == [
        ("r.1", "changed", b"\x02\x01\x03"),
        ("r.2", "added", b"\x02\x01\x04"),
    ]


def test_diff_html_escapes_values_and_carries_paths(key: Any) -> None:
    a = _cert(key, "plain.example")
    b = _cert(key, "<b>bold</b>.example")
    page = diff_html(diff(a, b), before="old <i>", after="new")
    assert "<b>bold</b>" not in page and html.escape("<b>bold</b>.example") in page
    assert "old &lt;i&gt;" in page
    assert 'data-certlab-path="certificate.tbsCertificate.subject' in page
    assert "certlab-diff-changed" in page


def test_diff_refuses_what_it_cannot_compare() -> None:
    with pytest.raises(TypeError):
        diff(object(), object())
    assert isinstance(diff(b"\x02\x01\x01", b"\x02\x01\x02"), Diff)


def test_diff_core_stays_pure_and_show_is_exported_lazily() -> None:
    import subprocess
    import sys

    code = (
        "import sys, certlab, certlab.diff, certlab.render.diff_html\n"
        "assert 'ipywidgets' not in sys.modules, 'the core imported ipywidgets'\n"
        "show = certlab.show\n"
        "import certlab.widgets\n"
        "assert show is certlab.widgets.show\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
