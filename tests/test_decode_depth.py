"""Issue 11 item 1: everything valid opens -- SCT lists, the extensions pkilint does not decode,
explicit EC parameters, RSA-PSS defaults, and a marked guess of DER nobody declared.

Oracles: cryptography's own SCT parser and builders, openssl's explicit curve parameters,
pyasn1 encodings of the ETSI structures."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import subprocess

import cryptography_vectors
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID, ObjectIdentifier
from pyasn1.codec.der import encoder
from pyasn1.type import char, univ

from certlab.asn1_extra import PdsLocation, QcEuPDS, QcType
from certlab.der import read
from certlab.explorer import explore
from certlab.knowledge.curves import NAMED_CURVES, curve_matching
from certlab.load import load

from tests._certs import rsa_key

DER = serialization.Encoding.DER
VEC = os.path.join(os.path.dirname(cryptography_vectors.__file__), "x509")


def _vector(name: str) -> bytes:
    with open(os.path.join(VEC, name), "rb") as f:
        return load(f.read())[0].der


def _cert(*exts: tuple[x509.ExtensionType, bool]) -> bytes:
    key = rsa_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "depth")])
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    b = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
         .serial_number(7).not_valid_before(now).not_valid_after(now + dt.timedelta(days=30)))
    for ext, critical in exts:
        b = b.add_extension(ext, critical=critical)
    return b.sign(key, hashes.SHA256()).public_bytes(DER)


def _value_of(der: bytes, suffix: str) -> str:
    e = explore(der)
    hits = [n for n in e.walk() if n.path.endswith(suffix)]
    assert hits, [n.path for n in e.walk()][-20:]
    return hits[0].value or ""


# --------------------------------------------------------------------------- SCT lists

def test_sct_list_is_named_with_offsets_matching_cryptography() -> None:
    der = _vector("cryptography-scts.pem")
    cert = x509.load_der_x509_certificate(der)
    theirs = list(cert.extensions.get_extension_for_class(x509.PrecertificateSignedCertificateTimestamps).value)
    e = explore(der)
    base = next(n for n in e.walk() if n.path.endswith("extnValue.signedCertificateTimestampList.sct_list"))
    assert base.value == "2 SCTs" and len(base.children) == 2
    # the list's parts tile its content exactly: the hex dump can highlight each field
    assert base.content_end == base.children[-1].end and base.children[0].offset == base.content_offset
    for sct_node, sct in zip(base.children, theirs):
        fields = {c.name: c for c in sct_node.children}
        assert list(fields) == ["sct_version", "id", "timestamp", "extensions", "hash_algorithm",
                                "signature_algorithm", "signature"]
        assert der[fields["id"].offset:fields["id"].end] == sct.log_id
        assert fields["id"].value.startswith(sct.log_id.hex(":"))
        ms = int.from_bytes(der[fields["timestamp"].offset:fields["timestamp"].end], "big")
        assert dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms) == sct.timestamp
        assert fields["timestamp"].value.startswith(f"{sct.timestamp:%Y-%m-%d %H:%M:%S}")
        assert fields["sct_version"].value == "v1 (0)"
        assert fields["hash_algorithm"].value == "sha256 (4)" and fields["signature_algorithm"].value == "ecdsa (3)"
        sig = fields["signature"]
        assert der[sig.content_offset:sig.content_end] == sct.signature
        assert sig.children and sig.children[0].name == "eCDSA_Sig_Value"
        assert all(c.explanation and c.rfc for c in sct_node.walk())
    assert "Google 'Icarus' log" in base.children[0].children[1].value


def test_a_broken_sct_list_says_where() -> None:
    der = bytearray(_vector("cryptography-scts.pem"))
    at = bytes(der).index(bytes.fromhex("00f20077"))  # list length 0xf2, first SCT length 0x77
    der[at + 3] = 0x78  # the first SCT now claims one byte more than it has
    e = explore(bytes(der))
    assert any("SCT" in err.message for err in e.errors)


# --------------------------------------------------------------------------- named extensions

def test_extensions_pkilint_does_not_decode_are_named() -> None:
    der = _cert(
        (x509.TLSFeature([x509.TLSFeatureType.status_request]), False),
        (x509.InhibitAnyPolicy(2), True),
        (x509.PrecertPoison(), True),
        (x509.FreshestCRL([x509.DistributionPoint([x509.UniformResourceIdentifier("http://d/delta.crl")],
                                                  None, None, None)]), False),
        (x509.SubjectInformationAccess([x509.AccessDescription(
            ObjectIdentifier("1.3.6.1.5.5.7.48.5"), x509.UniformResourceIdentifier("http://repo/"))]), False),
        (x509.UnrecognizedExtension(ObjectIdentifier("2.16.840.1.113730.1.1"), bytes.fromhex("030206c0")), False),
    )
    e = explore(der)
    by_type = {n.schema_name: n for n in e.walk() if n.schema_name}
    assert by_type["TLSFeature"].value == "status_request (5)"
    assert by_type["InhibitAnyPolicy"].value.startswith("2 ")
    assert "Poison" in by_type and by_type["Poison"].value == "NULL"
    assert "FreshestCRL" in by_type
    assert any(n.value == "http://d/delta.crl" for n in e.walk())
    assert "SubjectInfoAccessSyntax" in by_type
    assert by_type["NetscapeCertType"].value.startswith("sslClient, sslServer ")
    assert not any(n.guess for n in e.walk())


def test_admissions_vector_is_named() -> None:
    e = explore(_vector("custom/admissions_extension_optional_data_not_provided.pem"))
    names = {n.schema_name for n in e.walk()}
    assert {"AdmissionSyntax", "ContentsOfAdmissions", "Admissions", "ProfessionInfo", "NamingAuthority"} <= names
    # the only guess: an otherName of a type no module declares, holding a PrintableString
    guessed = [n for n in e.walk() if n.path.endswith(".guess")]
    assert [(n.type_name, n.value) for n in guessed] == [("PrintableString (guessed)", "DE")]
    assert "otherName.value" in guessed[0].path


def test_qc_statements_are_named() -> None:
    # QcCompliance, QcType web, QcPDS: what an EU website certificate carries (ETSI EN 319 412-5)
    qctype = QcType()
    qctype.append(univ.ObjectIdentifier("0.4.0.1862.1.6.3"))
    pds = QcEuPDS()
    loc = PdsLocation()
    loc["url"] = char.IA5String("https://pds.example/en")
    loc["language"] = char.PrintableString("en")
    pds.append(loc)

    def statement(oid: str, info: bytes = b"") -> bytes:
        body = encoder.encode(univ.ObjectIdentifier(oid)) + info
        return b"\x30" + bytes([len(body)]) + body

    body = statement("0.4.0.1862.1.1") + statement("0.4.0.1862.1.6", encoder.encode(qctype)) + \
        statement("0.4.0.1862.1.5", encoder.encode(pds))
    value = b"\x30" + bytes([len(body)]) + body
    der = _cert((x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.5.5.7.1.3"), value), False))
    e = explore(der)
    names = {n.schema_name for n in e.walk()}
    assert {"QCStatements", "QCStatement", "QcType", "QcEuPDS", "PdsLocation"} <= names
    assert any(n.value == "https://pds.example/en" for n in e.walk())
    assert not any(n.guess for n in e.walk())


def test_name_constraints_ip_and_mask_and_reason_names() -> None:
    der = _cert((x509.NameConstraints([x509.IPAddress(ipaddress.ip_network("10.0.0.0/8"))], None), True))
    assert _value_of(der, "permittedSubtrees.0.base.iPAddress") == "10.0.0.0/255.0.0.0"
    e = explore(_vector("custom/crl_all_reasons.pem"))
    reasons = [n.value for n in e.walk() if n.schema_name == "CRLReason"]
    assert "keyCompromise (1)" in reasons and "removeFromCRL (8)" in reasons


# --------------------------------------------------------------------------- explicit EC, RSA-PSS

def test_explicit_ec_parameters_are_named_and_identified() -> None:
    der = _vector("custom/ec_no_named_curve.pem")
    e = explore(der)
    spec = e.find("certificate.tbsCertificate.subjectPublicKeyInfo.algorithm.parameters.eCParameters.specifiedCurve")
    assert spec is not None and "equal to the named curve secp256r1" in (spec.value or "")
    rows = {n.name for n in spec.walk()}
    assert {"version", "fieldID", "fieldType", "parameters", "curve", "a", "b", "seed", "base", "order",
            "cofactor"} <= rows
    assert any(n.schema_name == "Prime_p" for n in spec.walk())
    # a named curve keeps pkilint's path
    named = explore(_vector("ecdsa_root.pem"))
    assert named.find("certificate.tbsCertificate.subjectPublicKeyInfo.algorithm.parameters.eCParameters.namedCurve")


def test_curveball_shape_is_called_out() -> None:
    name, oid, p, a, b, base, n = NAMED_CURVES[0]
    other = "04" + "11" * 64
    assert curve_matching(p, a, b, bytes.fromhex(base), n) == (name, oid, True)
    assert curve_matching(p, a, b, bytes.fromhex(other), n) == (name, oid, False)
    der = bytearray(_vector("custom/ec_no_named_curve.pem"))
    at = bytes(der).index(bytes.fromhex(base))
    der[at + 5] ^= 0xFF  # another base point, same curve
    e = explore(bytes(der))
    spec = next(x for x in e.walk() if x.schema_name == "SpecifiedECDomain")
    assert "ANOTHER base point" in (spec.value or "") and "CVE-2020-0601" in (spec.value or "")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl CLI")
@pytest.mark.parametrize("row", NAMED_CURVES, ids=[r[0] for r in NAMED_CURVES])
def test_curve_table_equals_openssl(row: tuple[str, str, int, int, int, str, int]) -> None:
    name, oid, p, a, b, base, n = row
    ossl = {"secp256r1 (NIST P-256)": "prime256v1"}.get(name, name.split(" ")[0])
    der = subprocess.run(["openssl", "ecparam", "-name", ossl, "-param_enc", "explicit", "-outform", "DER"],
                         capture_output=True, check=True).stdout
    root, errors = read(der)
    assert root is not None and not errors
    _ver, field, curve, g, order = root.children[:5]

    def num(node: object) -> int:
        return int.from_bytes(der[node.content_offset:node.content_end], "big")  # type: ignore[attr-defined]

    assert (num(field.children[1]), num(curve.children[0]), num(curve.children[1]), num(order)) == (p, a, b, n)
    assert der[g.content_offset:g.content_end].hex() == base


def test_pss_defaults_are_stated() -> None:
    e = explore(_vector("ee-pss-sha1-cert.pem"))
    params = e.find("certificate.signatureAlgorithm.parameters.rSASSA_PSS_params")
    assert params is not None
    assert params.value == ("hash sha1 (default); mask mgf1 with sha1 (default); salt length 20 (default); "
                            "trailer field 1 (trailerFieldBC, 0xBC) (default)")
    e = explore(_vector("custom/rsa_pss_cert.pem"))
    params = e.find("certificate.signatureAlgorithm.parameters.rSASSA_PSS_params")
    assert params is not None and params.value.startswith("hash sha256; mask id-mgf1 with sha256; salt length 32")


# --------------------------------------------------------------------------- the marked guess

def test_unknown_extension_holding_der_is_guessed_and_marked() -> None:
    inner = encoder.encode(char.UTF8String("hello"))
    der = _cert((x509.UnrecognizedExtension(ObjectIdentifier("1.2.643.100.111"), inner), False))
    e = explore(der)
    guess = next(n for n in e.walk() if n.path.endswith("extnValue.guess"))
    assert guess.guess and guess.value == "hello" and "(guessed)" in guess.type_name
    assert guess.explanation.startswith("Guessed:")


@pytest.mark.parametrize("value", [
    bytes.fromhex("0c0568656c6c6f00"),      # DER, then one byte too many: not exactly consumed
    bytes.fromhex("0c0668656c6c6f"),        # a length past the end
    bytes.fromhex("3080020100" + "0000"),   # BER indefinite length: not strict DER
    bytes(range(7, 40)),                    # random-looking bytes
])
def test_bytes_that_are_not_exactly_der_are_left_alone(value: bytes) -> None:
    der = _cert((x509.UnrecognizedExtension(ObjectIdentifier("1.2.3.4.5"), value), False))
    e = explore(der)
    assert not any(n.guess for n in e.walk())
    assert e.errors == ()


def test_guessing_is_bounded() -> None:
    # 3,000 unknown extensions, each holding DER: at most the budget is tried, nothing raises
    from certlab.schema import _GUESS_BUDGET

    exts = [(x509.UnrecognizedExtension(ObjectIdentifier(f"1.2.3.{i}"), b"\x05\x00"), False) for i in range(3000)]
    e = explore(_cert(*exts))
    guessed = [n for n in e.walk() if n.path.endswith(".guess")]
    assert 0 < len(guessed) <= _GUESS_BUDGET


def test_every_valid_extension_value_of_the_corpus_opens() -> None:
    """Over every certificate, CSR and CRL of the vectors: an extnValue left without children
    must really not be one DER value (and openssl would not open it either)."""
    import pathlib
    import warnings

    root = pathlib.Path(VEC)
    opened = closed = 0
    not_der: list[str] = []
    for p in sorted(root.rglob("*")):
        if not p.is_file() or p.suffix not in (".pem", ".der", ".crl", ".csr") or "PKITS" in str(p):
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                objs = [o for o in load(p.read_bytes()) if o.kind in ("certificate", "csr", "crl")]
        except Exception:
            continue
        for o in objs:
            e = explore(o.der, o.kind)
            for n in e.walk():
                if n.name != "extnValue":
                    continue
                if n.children:
                    opened += 1
                    continue
                closed += 1
                inner, errors = read(o.der[n.content_offset:n.content_end])
                if inner is not None and not errors:
                    not_der.append(f"{p.name}: {n.path}")
    print(f"extension values opened: {opened}, left as bytes (not DER): {closed}")
    assert opened > 400 and not_der == []


def test_string_types_decode_by_their_asn1_type() -> None:
    from cryptography.x509.name import _ASN1Type

    key = rsa_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Señor", _ASN1Type.BMPString),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ünï", _ASN1Type.UniversalString),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "café", _ASN1Type.T61String)])
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    der = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
           .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
           .sign(key, hashes.SHA256()).public_bytes(DER))
    values = {n.type_name: n.value for n in explore(der).walk()
              if n.path.startswith("certificate.tbsCertificate.subject.") and not n.children}
    assert values["BMPString"] == "Señor"            # UTF-16BE
    assert values["UniversalString"] == "Ünï"        # UTF-32BE
    assert values["T61String"] == "cafÃ© (read as Latin-1; the bytes are also valid UTF-8: café; T.61 is neither)"
    general = explore(bytes.fromhex("1b056b72627467"))  # GeneralString "krbtg" (Kerberos, RFC 4120 §5.2.1)
    assert general.root is not None and general.root.value == "krbtg"


def test_every_sct_of_the_corpus_matches_cryptography() -> None:
    """Every SCT cryptography reads from a vectors certificate is in the tree, byte for byte."""
    import pathlib
    import warnings

    checked = 0
    for p in sorted(pathlib.Path(VEC).rglob("*")):
        if not p.is_file() or p.suffix not in (".pem", ".der"):
            continue
        data = p.read_bytes()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                cert = (x509.load_pem_x509_certificate(data) if b"-----BEGIN CERTIFICATE" in data
                        else x509.load_der_x509_certificate(data))
                theirs = list(cert.extensions.get_extension_for_class(
                    x509.PrecertificateSignedCertificateTimestamps).value)
            except Exception:
                continue
        der = cert.public_bytes(DER)
        nodes = [n for n in explore(der).walk() if n.schema_name == "tls:sct"]
        assert len(nodes) == len(theirs), p.name
        for node, sct in zip(nodes, theirs):
            parts = {c.name: der[c.content_offset:c.content_end] for c in node.children}
            assert parts["id"] == sct.log_id
            assert parts["signature"] == sct.signature
            assert parts["extensions"] == sct.extension_bytes
            ms = int.from_bytes(parts["timestamp"], "big")
            assert dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms) == sct.timestamp
            checked += 1
    assert checked >= 3  # cryptography-scts.pem (2) and badssl-sct.pem (1)
