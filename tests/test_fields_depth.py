"""Issue 11 item 2: fields as complete as openssl's -text, never a Python repr, built from the
named tree when cryptography refuses the extensions; SCT fields against cryptography's SCTs."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import re
import warnings

import cryptography_vectors
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID, ObjectIdentifier

from certlab.fields import describe
from certlab.load import load
from tests._certs import rsa_key

VEC = pathlib.Path(cryptography_vectors.__file__).parent / "x509"
DER = serialization.Encoding.DER


def _vec(name: str) -> x509.Certificate:
    data = (VEC / name).read_bytes()
    return x509.load_pem_x509_certificate(data) if name.endswith(".pem") else x509.load_der_x509_certificate(data)


def _ext_fields(obj: object) -> dict[str, str]:
    return {f.name: f.value for f in describe(obj).fields if f.section in ("Extensions", "Revoked certificates")}


def test_sct_fields_match_cryptography() -> None:
    cert = _vec("cryptography-scts.pem")
    scts = list(cert.extensions.get_extension_for_class(x509.PrecertificateSignedCertificateTimestamps).value)
    fields = [f for f in describe(cert).fields if f.name.startswith("SCT #")]
    assert len(fields) == len(scts) == 2
    for f, sct in zip(fields, scts):
        assert sct.log_id.hex(":").upper() in f.value
        assert f"{sct.timestamp:%Y-%m-%d %H:%M:%S}.{sct.timestamp.microsecond // 1000:03d} UTC" in f.value
        assert sct.signature.hex(":").upper() in f.value
        assert "ecdsa-with-SHA256" in f.value and "Extensions: none" in f.value
        assert f.path and f.path.endswith(f"sct_list.{fields.index(f)}")
    assert "Google 'Icarus' log" in fields[0].value


def test_policy_qualifiers_are_shown() -> None:
    fields = _ext_fields(_vec("cryptography-scts.pem"))
    policies = fields["Certificate Policies"]
    assert "CPS: http://cps.letsencrypt.org" in policies
    assert "Explicit Text: This Certificate may only be relied upon" in policies
    assert "(1.3.6.1.4.1.44947.1.1.1)" in policies


_REPR = re.compile(r"<[A-Z][A-Za-z]+\(|[A-Za-z]+\(oid=|ObjectIdentifier\(|_name=")


def _corpus_objects() -> list[object]:
    out: list[object] = []
    for p in sorted(VEC.rglob("*")):
        if not p.is_file() or p.suffix not in (".pem", ".der", ".crl", ".csr") or "PKITS" in str(p):
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out += [o.obj for o in load(p.read_bytes())
                        if o.kind in ("certificate", "csr", "crl") and o.obj is not None]
        except Exception:
            continue
    return out


def test_no_python_repr_in_any_field() -> None:
    objects = _corpus_objects()
    assert len(objects) > 150
    bad = []
    for obj in objects:
        for f in describe(obj).fields:
            if _REPR.search(f.value):
                bad.append((f.name, f.value[:120]))
    assert bad == []


def test_policy_mappings_constraints_and_key_usage_period() -> None:
    key = rsa_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ca")])
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    mapping = bytes.fromhex("3016301406092a864886f70d01010106072a8648ce3d0201")  # two OIDs, one pair
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=9))
            .add_extension(x509.PolicyConstraints(require_explicit_policy=0, inhibit_policy_mapping=1), True)
            .add_extension(x509.UnrecognizedExtension(ObjectIdentifier("2.5.29.33"), mapping), False)
            .add_extension(x509.PrivateKeyUsagePeriod(now.replace(tzinfo=None), None), False)
            .add_extension(x509.TLSFeature([x509.TLSFeatureType.status_request]), False)
            .sign(key, hashes.SHA256()))
    fields = _ext_fields(cert)
    assert fields["Policy Constraints (critical)"] == "Require Explicit Policy: 0, Inhibit Policy Mapping: 1"
    mappings = next(v for k, v in fields.items() if k.startswith("Policy Mappings"))
    assert "issuerDomainPolicy" in mappings and "(1.2.840.113549.1.1.1)" in mappings
    assert "Not Before: 2026-01-01 00:00:00 UTC" in next(v for k, v in fields.items() if "Usage Period" in k)
    assert "status_request (5)" in next(v for k, v in fields.items() if "TLS Feature" in k)


def test_crl_reasons_and_issuing_distribution_point_in_words() -> None:
    crl = x509.load_pem_x509_crl((VEC / "custom" / "crl_all_reasons.pem").read_bytes())
    values = [f.value for f in describe(crl).fields]
    assert "Key Compromise" in values and "Remove From CRL" in values
    idp_path = VEC / "custom" / "crl_idp_fullname_only_user.pem"
    if idp_path.exists():
        fields = _ext_fields(x509.load_pem_x509_crl(idp_path.read_bytes()))
        idp = next(v for k, v in fields.items() if k.startswith("Issuing Distribution Point"))
        assert "Only User Certificates" in idp and "Full Name: URI:" in idp


def test_refused_extensions_come_from_the_tree() -> None:
    cert = _vec("badssl-sct-anonymous-sig.der")
    with pytest.raises(ValueError):
        _ = cert.extensions  # cryptography refuses the whole block
    fields = describe(cert).fields
    head = next(f for f in fields if f.name.startswith("Extensions (read from the DER"))
    assert "cryptography said:" in head.value
    names = [f.name for f in fields if f.section == "Extensions"]
    assert any("Basic Constraints" in n for n in names) and any("Subject Alternative Name" in n for n in names)
    sct = next(f for f in fields if f.name.startswith("Signed Certificate Timestamps"))
    assert "signature_algorithm: anonymous (0)" in sct.value


def test_explicit_ec_and_pss_in_the_fields() -> None:
    fields = {f.name: f.value for f in describe(_vec("custom/ec_no_named_curve.pem")).fields}
    assert fields["Curve"].startswith("explicit curve parameters, equal to the named curve secp256r1")
    fields = {f.name: f.value for f in describe(_vec("custom/rsa_pss_cert.pem")).fields}
    assert fields["Public key algorithm"].startswith("RSA-PSS")
    assert "salt length 32" in fields["Signature algorithm"]
    fields = {f.name: f.value for f in describe(_vec("ee-pss-sha1-cert.pem")).fields}
    assert fields["Signature algorithm"].endswith("hash sha1 (default); mask mgf1 with sha1 (default); "
                                                  "salt length 20 (default); trailer field 1 (trailerFieldBC, 0xBC) (default)")


def test_bmpstring_attribute_is_utf16() -> None:
    key = rsa_key()
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "x")]))
           .add_attribute(ObjectIdentifier("1.2.840.113549.1.9.2"), "Señor".encode("utf-16-be"),
                          _tag=x509.name._ASN1Type.BMPString)
           .sign(key, hashes.SHA256()))
    values = [f.value for f in describe(csr).fields if f.section == "Attributes"]
    assert "Señor" in values


def test_othername_value_decoded() -> None:
    key = rsa_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "u")])
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    upn = x509.OtherName(ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"), b"\x0c\x10user@example.com")
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=9))
            .add_extension(x509.SubjectAlternativeName([upn]), False).sign(key, hashes.SHA256()))
    assert "user@example.com" in _ext_fields(cert)["Subject Alternative Name"]
    assert os.sep  # (keeps the os import honest on every platform)


def test_pss_signed_csr_and_crl_state_their_parameters() -> None:
    from cryptography.hazmat.primitives.asymmetric import padding

    key = rsa_key()
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "p")])
    csr = x509.CertificateSigningRequestBuilder().subject_name(name).sign(key, hashes.SHA256(), rsa_padding=pss)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    crl = (x509.CertificateRevocationListBuilder().issuer_name(name).last_update(now)
           .next_update(now + dt.timedelta(days=1)).sign(key, hashes.SHA256(), rsa_padding=pss))
    for obj in (csr, crl):
        value = {f.name: f.value for f in describe(obj).fields}["Signature algorithm"]
        assert value.endswith("hash sha256; mask id-mgf1 with sha256; salt length 32; "
                              "trailer field 1 (trailerFieldBC, 0xBC) (default)"), value
