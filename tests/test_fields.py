"""The field model and its renderers: values agree with cryptography, secrets stay hidden,
hostile input is escaped, every path is a real node."""

from __future__ import annotations

import hashlib
import html
import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography_vectors import open_vector_file

from certlab.fields import describe
from certlab.findings import find
from certlab.render.fields_html import fields_html, findings_html
from certlab.render.fields_text import fields_text
from tests._certs import NOW, ec_key, fixed_self_signed, make_cert, make_csr, rsa_key, tutorial_self_signed


def by_name(desc, name):
    return [f for f in desc.fields if f.name == name]


def test_certificate_sections_and_values() -> None:
    cert = fixed_self_signed()
    d = describe(cert)
    assert [s for s, _ in d.sections()] == ["Overview", "Issuer", "Validity", "Subject", "Public key",
                                            "Extensions", "Signature", "Fingerprints"]
    assert by_name(d, "Serial number")[0].value.startswith(str(cert.serial_number))
    assert by_name(d, "Key size")[0].value == "2048 bits"
    assert by_name(d, "Subject")[0].value == "C=US, ST=CA, L=San Francisco, O=My Company, CN=mysite.com"
    bc = [f for f in d.fields if f.name.startswith("Basic Constraints")][0]
    assert bc.critical is True and bc.value == "CA:FALSE" and bc.rfc == "RFC 5280 §4.2.1.9"
    san = by_name(d, "Subject Alternative Name #1")[0]
    assert san.value == "DNS:localhost"
    assert san.path == "certificate.tbsCertificate.extensions.0.extnValue.subjectAltName.0.dNSName"
    # fingerprints as browsers show them, oracle: hashlib over cryptography's DER
    der = cert.public_bytes(serialization.Encoding.DER)
    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    assert d.fingerprints["SHA-256"] == hashlib.sha256(der).hexdigest().upper().replace("", ":")[1:-1] \
        or d.fingerprints["SHA-256"] == ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())
    assert d.fingerprints["SPKI SHA-256"] == ":".join(f"{b:02X}" for b in hashlib.sha256(spki).digest())
    assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", d.fingerprints["SHA-256"])
    for row in d.to_json():
        assert {"section", "name", "value", "explanation", "path"} <= set(row)
        assert row["explanation"]


def test_unknown_extension_shown_with_raw_value() -> None:
    unknown = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55555.7"), b"\xde\xad\xbe\xef")
    d = describe(make_cert(extra=[(unknown, False)]))
    f = [f for f in d.fields if "1.3.6.1.4.1.55555.7" in f.name][0]
    assert "de:ad:be:ef" in f.value and f.path == "certificate.tbsCertificate.extensions.2"


def test_csr_attributes_and_extension_request() -> None:
    csr = make_csr(sans=["mysite.com", "www.mysite.com"], challenge="s3cret")
    d = describe(csr)
    names = [f.name for f in d.fields]
    assert "Extension request" in names and "Challenge password" in names
    assert by_name(d, "Challenge password")[0].value == "s3cret"
    assert by_name(d, "Signature valid")[0].value == "yes"
    sans = [f for f in d.fields if f.name.startswith("Subject Alternative Name #")]
    assert [f.value for f in sans] == ["DNS:mysite.com", "DNS:www.mysite.com"]
    assert all(".values.0.extensionRequest.0.extnValue.subjectAltName." in f.path for f in sans)


def test_crl_from_vectors() -> None:
    with open_vector_file("x509/custom/crl_all_reasons.pem", "rb") as f:
        crl = x509.load_pem_x509_crl(f.read())
    d = describe(crl)
    revoked = [f for f in d.fields if f.section == "Revoked certificates" and f.name.startswith("Serial")]
    assert len(revoked) == len(crl)  # oracle: cryptography's count
    assert d.kind == "crl"


@pytest.mark.parametrize("make", [lambda: rsa_key(), lambda: ec_key(), ed25519.Ed25519PrivateKey.generate])
def test_private_key_hides_secrets(make) -> None:
    key = make()
    d = describe(key)
    html_out = fields_html(d)
    text_out = fields_text(d)
    secrets: list[str] = []
    if hasattr(key, "private_numbers"):
        nums = key.private_numbers()
        ints = [getattr(nums, a) for a in ("d", "p", "q", "dmp1", "dmq1", "iqmp", "private_value")
                if hasattr(nums, a)]
        for n in ints:
            raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
            secrets += [str(n), f"{n:x}", raw.hex(":"), raw.hex()[:40], raw.hex(":")[:40]]
    else:
        raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
        secrets += [raw.hex(), raw.hex(":")[:40]]
    everything = " ".join(f.value for f in d.fields) + html_out + text_out
    for s in secrets:
        assert s not in everything
    assert "(hidden)" in everything
    revealed = " ".join(f.value for f in describe(key, reveal=True).fields)
    assert any(s in revealed for s in secrets if ":" in s)


def test_hostile_strings_are_escaped() -> None:
    evil = '<script>alert("x")</script>&"\''
    cert = make_cert(subject=x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, evil[:64]),
                                        x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, "<b>O</b>")]),
                     sans=["a<img src=x onerror=alert(1)>.example"])
    d = describe(cert)
    out = fields_html(d, find(cert, at=NOW))
    assert "<script>" not in out and "<img" not in out and "<b>O</b>" not in out
    assert html.escape("<script>") in out
    # every row that names a node carries data-certlab-path
    assert out.count("data-certlab-path=") >= len([f for f in d.fields if f.path])
    assert "<details" in out


def test_html_is_compact_for_rsa2048() -> None:
    cert = fixed_self_signed()
    out = fields_html(describe(cert), find(cert, at=NOW))
    # 15,260 bytes after the re-checked texts and one citation format (a section sign is 2 UTF-8 bytes)
    assert len(out.encode()) < 16_000, len(out.encode())


def test_text_lists_fields_and_findings() -> None:
    cert = tutorial_self_signed()
    out = fields_text(describe(cert), find(cert, at=NOW))
    assert "Serial number:" in out and "RFC 5280 §4.1.2.2" in out
    assert "pkix.authority_key_identifier_extension_absent" in out
    assert findings_html([]).startswith("<p")


def _explore():
    return pytest.importorskip("certlab.explorer")


@pytest.mark.parametrize("make", [fixed_self_signed, tutorial_self_signed,
                                  lambda: make_csr(sans=["mysite.com"], challenge="pw"),
                                  lambda: make_cert(key=ec_key())])
def test_every_path_is_an_explorer_node(make) -> None:
    explorer = _explore()
    obj = make()
    der = obj.public_bytes(serialization.Encoding.DER)
    kind = "csr" if isinstance(obj, x509.CertificateSigningRequest) else "certificate"
    tree = explorer.explore(der, kind)
    missing = []
    paths = {f.path for f in describe(obj).fields if f.path}
    paths |= {f.path for f in find(obj, at=NOW) if f.path}
    missing = _missing(tree, paths)
    assert not missing, missing


@pytest.mark.parametrize("make", [lambda: rsa_key(), lambda: ec_key()])
def test_every_key_path_is_an_explorer_node(make) -> None:
    explorer = _explore()
    key = make()
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    assert not _missing(explorer.explore(der, "private-key"), {f.path for f in describe(key).fields if f.path})
    pub = key.public_key()
    spki = pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert not _missing(explorer.explore(spki, "public-key"), {f.path for f in describe(pub).fields if f.path})


def _missing(tree, paths):
    missing = []
    for path in sorted(paths):
        try:
            node = tree.find(path)
        except Exception:
            node = None
        if node is None:
            missing.append(path)
    return missing


# --------------------------------------------------------------------------- big lists (issue 11, item 7)

def _corpus_crls() -> list[x509.CertificateRevocationList]:
    import cryptography_vectors
    from pathlib import Path

    root = Path(cryptography_vectors.__file__).parent / "x509"
    out = []
    for p in sorted([*root.glob("custom/crl_*"), *sorted((root / "PKITS_data" / "crls").glob("*.crl"))[::4]]):
        data = p.read_bytes()
        try:
            crl = x509.load_pem_x509_crl(data) if b"-----BEGIN" in data else x509.load_der_x509_crl(data)
        except (ValueError, x509.InvalidVersion):  # cryptography refuses it: not comparable
            continue
        out.append(crl)
    return out


def test_crl_entry_extensions_agree_with_cryptography() -> None:
    # oracle: cryptography's own count of each entry's extensions, over the corpus's CRLs;
    # describe() skips asking cryptography for an entry the tree shows without extensions
    crls = _corpus_crls()
    assert len(crls) >= 20
    with_extensions = 0
    for crl in crls:
        fields = [f for f in describe(crl).fields if f.section == "Revoked certificates"]
        per_entry: list[int] = []
        for f in fields:
            if f.name.startswith("Serial ") or f.name.startswith("Revoked entry"):
                per_entry.append(0)
            elif ".crlEntryExtensions." in (f.path or ""):
                per_entry[-1] += 1
        expected = [_entry_extensions(rc) for rc in crl]
        assert len(per_entry) == len(expected)
        assert [n for n, e in zip(per_entry, expected) if e is not None] == [e for e in expected if e is not None]
        with_extensions += sum(1 for n in per_entry if n)
    assert with_extensions >= 20  # the corpus has entries with reasons, invalidity dates, issuers


def _entry_extensions(rc: x509.RevokedCertificate) -> int | None:
    try:
        return len(rc.extensions)
    except Exception:  # refused (DuplicateExtension): describe() reads them from the tree
        return None


def test_text_explains_each_kind_of_field_once() -> None:
    from tests._certs import revoked_crl

    crl = revoked_crl(range(1000, 1030), cn="thirty")
    d = describe(crl)
    entry, reason = (next(f for f in d.fields if f.name.startswith(p)) for p in ("Serial", "Reason Code"))
    assert all(f.explanation == entry.explanation for f in d.fields if f.name.startswith("Serial"))
    out = fields_text(d)
    assert out.count("\n    Serial ") == 30 and out.count("\n    Reason Code: Key Compromise") == 10
    first_words = entry.explanation.split(":")[0]
    assert out.count(first_words) == 1 and out.count(reason.explanation) == 1
    # under the first of its kind
    first = out.index("\n    Serial ")
    assert out.index(first_words) - out.index("\n", first + 1) == 9
    # another section explains its own fields again: the issuer's CN and the subject's
    cert = tutorial_self_signed()
    cn = [f for f in describe(cert).fields if f.name.startswith("CN ")]
    assert len(cn) == 2 and cn[0].explanation == cn[1].explanation
    text = fields_text(describe(cert))
    assert text.count(cn[0].explanation.split(".")[0]) == 2


def test_tree_lookup_agrees_with_explored_find() -> None:
    # describe() walks down the tree by path prefix instead of indexing every path:
    # it answers as Explored.find does, for every path (and aliases) of real objects
    import cryptography_vectors
    from pathlib import Path

    from certlab.explorer import explore
    from certlab.fields import _find_under
    from tests._certs import revoked_crl

    root = Path(cryptography_vectors.__file__).parent / "x509"
    ders = [revoked_crl(range(1, 60), cn="crl").public_bytes(serialization.Encoding.DER)]
    for p in sorted([*root.glob("*.pem"), *root.glob("custom/*.pem"), *root.glob("requests/*.pem")]):
        from certlab.load import load

        ders += [o.der for o in load(p.read_bytes()) if o.der]
    checked = 0
    for der in ders:
        tree = explore(der)
        if tree.root is None:
            continue
        paths = {n.path for n in tree.walk()} | {a for n in tree.walk() for a in n.aliases}
        for path in paths:
            for q in (path, f"{path}.0", f"{path}.x"):
                assert _find_under(tree.root, q) is tree.find(q), q
                checked += 1
    assert checked > 50_000
