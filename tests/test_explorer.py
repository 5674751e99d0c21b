"""Names, values and explanations of the explorer, checked against pyca/cryptography and pkilint."""

from __future__ import annotations

import datetime
import ipaddress

import cryptography_vectors
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

from certlab.explorer import Explored, explore

DER = serialization.Encoding.DER


def _vector_cert(name: str) -> x509.Certificate:
    with cryptography_vectors.open_vector_file(name, "rb") as f:
        data = f.read()
    return x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data)


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def tutorial_csr(rsa_key: rsa.RSAPrivateKey) -> x509.CertificateSigningRequest:
    # The tutorial's first flow: a CSR for mysite.com with three DNS names.
    return (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "California"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "San Francisco"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "My Company"),
            x509.NameAttribute(NameOID.COMMON_NAME, "mysite.com"),
        ]))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("mysite.com"), x509.DNSName("www.mysite.com"), x509.DNSName("subdomain.mysite.com"),
        ]), critical=False)
        .sign(rsa_key, hashes.SHA256())
    )


@pytest.fixture(scope="module")
def tutorial_cert(rsa_key: rsa.RSAPrivateKey) -> x509.Certificate:
    # The tutorial's second flow: a self-signed certificate for localhost, valid 10 days.
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "California"),
        x509.NameAttribute(NameOID.LOCALITY_NAME, "San Francisco"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "My Company"),
        x509.NameAttribute(NameOID.COMMON_NAME, "mysite.com"),
    ])
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(rsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=10))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(rsa_key, hashes.SHA256())
    )


def _assert_every_node_named_and_explained(e: Explored) -> None:
    assert e.errors == ()
    nodes = list(e.walk())
    assert nodes
    missing = [n.path for n in nodes if not n.name or not n.explanation or not n.rfc]
    assert missing == []
    # No node fell back to an index-only, schema-less name: each is a field, an item or a decoded type.
    # (DER certlab guessed inside an unknown extension is marked as such, not named)
    unnamed = [n.path for n in nodes if n.schema_name is None and n.name and n.name.isdigit() is False
               and n.name == (n.node.universal_type or "").lower().replace(" ", "") and not n.guess]
    assert unnamed == [], unnamed


def test_tutorial_csr_is_named_like_rfc_2986(tutorial_csr: x509.CertificateSigningRequest, rsa_key: rsa.RSAPrivateKey) -> None:
    e = explore(tutorial_csr.public_bytes(DER))
    assert (e.kind, e.root_name) == ("csr", "certificationRequest")
    _assert_every_node_named_and_explained(e)
    info = "certificationRequest.certificationRequestInfo"
    assert e.find(f"{info}.version").value.startswith("0 ")
    cn = e.find(f"{info}.subject.rdnSequence.4.0.value")
    assert cn is not None and cn.value == "mysite.com"
    assert e.find(f"{info}.subject.rdnSequence.4.0.type").value == "commonName (2.5.4.3)"
    modulus = e.find(f"{info}.subjectPKInfo.subjectPublicKey.rSAPublicKey.modulus")
    assert modulus is not None and modulus.encapsulated
    n = rsa_key.public_key().public_numbers().n
    assert modulus.value.startswith(str(n))
    exponent = e.find(f"{info}.subjectPKInfo.subjectPublicKey.rSAPublicKey.publicExponent")
    assert exponent.value == "65537 (0x010001)"
    ext = f"{info}.attributes.0.values.0.extensionRequest.0"
    assert e.find(f"{ext}.extnID").value == "subjectAltName (2.5.29.17)"
    names = [e.find(f"{ext}.extnValue.subjectAltName.{i}.dNSName").value for i in range(3)]
    assert names == ["mysite.com", "www.mysite.com", "subdomain.mysite.com"]
    # the CHOICE level answers too (pkilint paths stop there for findings about the GeneralName)
    assert e.find(f"{ext}.extnValue.subjectAltName.0") is e.find(f"{ext}.extnValue.subjectAltName.0.dNSName")
    assert e.find("certificationRequest.signatureAlgorithm.algorithm").value == "sha256WithRSAEncryption (1.2.840.113549.1.1.11)"


def test_tutorial_certificate_fields_match_cryptography(tutorial_cert: x509.Certificate) -> None:
    e = explore(tutorial_cert.public_bytes(DER))
    assert (e.kind, e.root_name) == ("certificate", "certificate")
    _assert_every_node_named_and_explained(e)
    tbs = "certificate.tbsCertificate"
    assert e.find(f"{tbs}.version").value == "v3 (2)"  # the schema names the value (RFC 5280 §4.1: v3(2))
    serial = tutorial_cert.serial_number
    assert e.find(f"{tbs}.serialNumber").value.startswith(str(serial))
    nb = e.find(f"{tbs}.validity.notBefore")
    assert nb is e.find(f"{tbs}.validity.notBefore.utcTime")
    assert nb.value.startswith(tutorial_cert.not_valid_before_utc.strftime("%Y-%m-%d %H:%M:%S UTC"))
    assert "through 2049" in nb.value
    assert e.find(f"{tbs}.issuer.rdnSequence.0.0.value.x520countryName").value == "US"
    assert e.find(f"{tbs}.extensions.0.extnValue.subjectAltName.0.dNSName").value == "localhost"
    # The TBS bytes: the signed part is exactly what cryptography says it is.
    t = e.find(tbs)
    assert e.der[t.offset:t.end] == tutorial_cert.tbs_certificate_bytes
    sig = e.find("certificate.signature")
    assert e.der[sig.content_offset + 1:sig.end] == tutorial_cert.signature


@pytest.mark.parametrize("vector", [
    "x509/cryptography.io.pem", "x509/letsencryptx3.pem", "x509/wildcard_san.pem",
    "x509/ecdsa_root.pem", "x509/cryptography-scts.pem", "x509/custom/ca/ca.pem",
])
def test_every_node_of_real_web_certificates_has_a_name_and_an_explanation(vector: str) -> None:
    cert = _vector_cert(vector)
    e = explore(cert.public_bytes(DER))
    assert e.kind == "certificate"
    _assert_every_node_named_and_explained(e)


def _pkilint_paths(der: bytes) -> set[str]:
    from pkilint import validation
    from pkilint.pkix import certificate, extension, name

    doc = certificate.RFC5280Certificate(None, der)
    doc.decode()
    decoders = validation.ValidatorContainer(validators=certificate.create_decoding_validators(
        name.ATTRIBUTE_TYPE_MAPPINGS, extension.EXTENSION_MAPPINGS))
    decoders.validate(doc.root)
    paths: set[str] = set()
    stack = [doc.root]
    while stack:
        node = stack.pop()
        paths.add(node.path)
        stack.extend(node.children.values())
    return paths


@pytest.mark.parametrize("vector", [
    "x509/cryptography.io.pem", "x509/letsencryptx3.pem", "x509/ecdsa_root.pem",
    "x509/custom/ca/ca.pem", "x509/wildcard_san.pem", "x509/cryptography-scts.pem",
])
def test_paths_are_pkilints_node_paths(vector: str) -> None:
    der = _vector_cert(vector).public_bytes(DER)
    e = explore(der)
    ours = {p for n in e.walk() for p in (n.path, *n.aliases)}
    theirs = _pkilint_paths(der)
    # pkilint also lists DEFAULT values that are absent from the DER (critical FALSE,
    # cA FALSE): no bytes, so no node of ours.
    missing = {p for p in theirs - ours if not p.endswith((".critical", ".cA"))}
    assert missing == set()
    # every path pkilint knows is one of ours; ours may go further (signature values).
    assert len(theirs & ours) > 40


def test_ecdsa_signature_and_ec_key_are_descended_into() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ec.example")])
    now = datetime.datetime(2051, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("192.0.2.1"))]), critical=False)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    e = explore(cert.public_bytes(DER))
    _assert_every_node_named_and_explained(e)
    r, s = decode_dss_signature(cert.signature)
    assert e.find("certificate.signature.eCDSA_Sig_Value.r").value.startswith(str(r))
    assert e.find("certificate.signature.eCDSA_Sig_Value.s").value.startswith(str(s))
    assert e.find("certificate.tbsCertificate.subjectPublicKeyInfo.algorithm.parameters.eCParameters.namedCurve").value \
        == "secp256r1 (1.2.840.10045.3.1.7)"
    nb = e.find("certificate.tbsCertificate.validity.notBefore.generalTime")
    assert nb is not None and "from 2050" in nb.value and nb.value.startswith("2051-01-01")
    assert e.find("certificate.tbsCertificate.extensions.0.extnValue.subjectAltName.0.iPAddress").value == "192.0.2.1"
    ku = e.find("certificate.tbsCertificate.extensions.1.extnValue.keyUsage")
    assert ku.value.startswith("digitalSignature (")
    assert e.find("certificate.tbsCertificate.extensions.1.critical").value == "TRUE"


@pytest.mark.parametrize(("fmt", "root", "paths"), [
    (serialization.PrivateFormat.PKCS8, "privateKeyInfo", ["privateKeyInfo.privateKey.rSAPrivateKey.modulus",
                                                           "privateKeyInfo.privateKeyAlgorithm.parameters.null"]),
    (serialization.PrivateFormat.TraditionalOpenSSL, "rsaPrivateKey", ["rsaPrivateKey.privateExponent",
                                                                      "rsaPrivateKey.coefficient"]),
])
def test_rsa_private_keys(rsa_key: rsa.RSAPrivateKey, fmt: serialization.PrivateFormat, root: str, paths: list[str]) -> None:
    der = rsa_key.private_bytes(DER, fmt, serialization.NoEncryption())
    e = explore(der)
    assert (e.kind, e.root_name) == ("private-key", root)
    _assert_every_node_named_and_explained(e)
    for p in paths:
        assert e.find(p) is not None, p
    d = rsa_key.private_numbers().d
    found = [n for n in e.walk() if n.name == "privateExponent"]
    assert found and found[0].secret and found[0].value == f"(secret: {found[0].length} bytes, hidden)"
    shown = [n for n in explore(der, reveal=True).walk() if n.name == "privateExponent"]
    assert shown and shown[0].value.startswith(str(d))


def test_encrypted_pkcs8_shows_pbes2_parameters(rsa_key: rsa.RSAPrivateKey) -> None:
    der = rsa_key.private_bytes(DER, serialization.PrivateFormat.PKCS8,
                                serialization.BestAvailableEncryption(b"correct horse"))
    e = explore(der)
    assert (e.kind, e.root_name) == ("private-key", "encryptedPrivateKeyInfo")
    _assert_every_node_named_and_explained(e)
    params = "encryptedPrivateKeyInfo.encryptionAlgorithm.parameters.pBES2_params"
    assert e.find(f"{params}.keyDerivationFunc.algorithm").value.startswith("id-PBKDF2")
    iters = e.find(f"{params}.keyDerivationFunc.parameters.pBKDF2_params.iterationCount")
    assert iters is not None and int(iters.value.split()[0]) > 0
    assert e.find(f"{params}.encryptionScheme.algorithm").value.startswith("aes256-CBC")


def test_ec_and_ed25519_keys_and_spki() -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    e = explore(key.private_bytes(DER, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
    assert e.root_name == "ecPrivateKey"
    _assert_every_node_named_and_explained(e)
    assert e.find("ecPrivateKey.parameters.namedCurve").value == "secp384r1 (1.3.132.0.34)"
    spki = explore(key.public_key().public_bytes(DER, serialization.PublicFormat.SubjectPublicKeyInfo))
    assert (spki.kind, spki.root_name) == ("public-key", "subjectPublicKeyInfo")
    ed = ed25519.Ed25519PrivateKey.generate()
    e = explore(ed.private_bytes(DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    _assert_every_node_named_and_explained(e)
    raw = ed.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    node = e.find("privateKeyInfo.privateKey.curvePrivateKey")
    assert node is not None and e.der[node.content_offset:node.content_end] == raw


def test_rsa_public_key_pkcs1(rsa_key: rsa.RSAPrivateKey) -> None:
    der = rsa_key.public_key().public_bytes(DER, serialization.PublicFormat.PKCS1)
    e = explore(der, "public-key")
    assert e.root_name == "rsaPublicKey"
    assert e.find("rsaPublicKey.publicExponent").value == "65537 (0x010001)"


def test_crl_is_named() -> None:
    with cryptography_vectors.open_vector_file("x509/custom/crl_all_reasons.pem", "rb") as f:
        crl = x509.load_pem_x509_crl(f.read())
    e = explore(crl.public_bytes(DER))
    assert (e.kind, e.root_name) == ("crl", "certificateList")
    _assert_every_node_named_and_explained(e)
    assert e.find("certificateList.tbsCertList.revokedCertificates.0.userCertificate") is not None


def test_garbage_and_unknown_structures_do_not_raise() -> None:
    for data in (b"", b"\x30", b"\x02\x01\x05", bytes.fromhex("3003020105ff"), b"\x30\x80" * 100):
        e = explore(data)
        assert isinstance(e, Explored)
        assert e.errors or e.kind == "unknown"
        list(e.walk())
        e.to_json()


def test_to_json_has_the_documented_node_shape(tutorial_cert: x509.Certificate) -> None:
    doc = explore(tutorial_cert.public_bytes(DER)).to_json()
    keys = {"offset", "depth", "header_length", "length", "class", "tag", "constructed", "type",
            "name", "path", "value", "explanation", "encapsulated", "children"}
    stack = [doc]
    while stack:
        node = stack.pop()
        assert keys <= set(node)
        stack.extend(node["children"])
    assert doc["path"] == "certificate" and doc["class"] == "universal" and doc["tag"] == 16


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_REAL = [_vector_cert(v).public_bytes(DER) for v in ("x509/cryptography.io.pem", "x509/ecdsa_root.pem")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_REAL), st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 255)), min_size=1, max_size=4),
       st.integers(0, 40))
def test_mutated_certificates_explore_and_render_without_exceptions(der: bytes, edits: list[tuple[int, int]], cut: int) -> None:
    from certlab.render.asn1_html import explorer_html
    from certlab.render.asn1_text import explorer_text

    data = bytearray(der)
    for where, byte in edits:
        data[where % len(data)] = byte
    data = data[:len(data) - cut]
    for kind in (None, "certificate", "csr", "private-key"):
        e = explore(bytes(data), kind)
        nodes = list(e.walk())
        assert all(n.explanation for n in nodes)
        e.to_json()
        explorer_text(e)
        explorer_html(e, selected=nodes[-1].path if nodes else None)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_explore_without_exceptions(data: bytes) -> None:
    e = explore(data)
    assert e.root is not None or e.errors
    list(e.walk())


def test_ocsp_times_and_signer_are_explained_as_ocsp_not_as_a_crl() -> None:
    # A real responder's answer (cryptography-vectors), read by cryptography as the oracle.
    # OCSP uses GeneralizedTime for every date (RFC 6960 4.2.1): the 2050 rule of
    # RFC 5280's Time CHOICE must not be claimed for it, and thisUpdate is not a CRL's.
    from cryptography.x509 import ocsp

    der = cryptography_vectors.open_vector_file("x509/ocsp/resp-responder-key-hash.der", "rb").read()
    resp = ocsp.load_der_ocsp_response(der)
    e = explore(der)
    tbs = "oCSPResponse.responseBytes.response.basicOCSPResponse.tbsResponseData"
    this = e.find(f"{tbs}.responses.0.thisUpdate")
    assert this.value.startswith(resp.this_update_utc.strftime("%Y-%m-%d %H:%M:%S UTC"))
    for path in (f"{tbs}.producedAt", f"{tbs}.responses.0.thisUpdate"):
        node = e.find(path)
        assert "2050" not in node.value and "responder" in node.explanation.split(" Encoded as ")[0], path
        assert "RFC 6960" in node.rfc
    assert "2050" not in e.find(f"{tbs}.responses.0.nextUpdate").value
    key = e.find(f"{tbs}.responderID.byKey")
    assert "responder" in key.explanation
    assert e.der[key.end - len(resp.responder_key_hash):key.end] == resp.responder_key_hash
    assert "responder" in e.find("oCSPResponse.responseBytes.response.basicOCSPResponse.signature").explanation


def test_generalized_time_keeps_the_2050_rule_only_in_the_time_choice() -> None:
    # A certificate's notAfter in 2051 is the Time CHOICE's generalTime (RFC 5280 4.1.2.5);
    # privateKeyUsagePeriod's notBefore is GeneralizedTime for every year.
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "t")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(datetime.datetime(2026, 1, 1))
            .not_valid_after(datetime.datetime(2051, 1, 1))
            .add_extension(x509.PrivateKeyUsagePeriod(datetime.datetime(2026, 1, 1), None), critical=False)
            .sign(key, hashes.SHA256()))
    e = explore(cert.public_bytes(serialization.Encoding.DER))
    assert "from 2050 on" in e.find("certificate.tbsCertificate.validity.notAfter").value
    usage = e.find("certificate.tbsCertificate.extensions.0.extnValue.privateKeyUsagePeriod.notBefore")
    assert usage.value.startswith("2026-01-01 00:00:00 UTC") and "2050" not in usage.value
