"""Building: openssl and cryptography's own verifier are the judges."""

from __future__ import annotations

import ipaddress
import pathlib
from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import PolicyBuilder, Store

from certlab.build import TeachingCA, build_csr, build_self_signed, generate_key, key_algorithm_of
from certlab.errors import SpecError
from certlab.spec import KEY_ALGORITHMS, CertificateSpec, CsrSpec, KeySpec, Subject

from _oracles import needs_openssl, openssl, write_pem

UTC = timezone.utc
# OpenSSL 3.0 knows no ML-DSA (3.5 does): the openssl oracles cover the others
OPENSSL_ALGOS = [a for a in KEY_ALGORITHMS if a != "ml-dsa"]


@pytest.fixture(scope="module")
def keys() -> dict[str, object]:
    return {algo: generate_key(KeySpec(algo)) for algo in KEY_ALGORITHMS}


@pytest.fixture(scope="module")
def ca() -> TeachingCA:
    return TeachingCA.create()


@pytest.mark.parametrize(
    "spec, cls, check",
    [
        (KeySpec("rsa", size=2048), rsa.RSAPrivateKey, lambda k: k.key_size == 2048 and k.public_key().public_numbers().e == 65537),
        (KeySpec("rsa", size=3072), rsa.RSAPrivateKey, lambda k: k.key_size == 3072),
        (KeySpec("ec", curve="P-256"), ec.EllipticCurvePrivateKey, lambda k: k.curve.name == "secp256r1"),
        (KeySpec("ec", curve="P-384"), ec.EllipticCurvePrivateKey, lambda k: k.curve.name == "secp384r1"),
        (KeySpec("ec", curve="P-521"), ec.EllipticCurvePrivateKey, lambda k: k.curve.name == "secp521r1"),
        (KeySpec("ed25519"), ed25519.Ed25519PrivateKey, lambda k: True),
        (KeySpec("ed448"), ed448.Ed448PrivateKey, lambda k: True),
    ],
    ids=lambda v: getattr(v, "algorithm", "") + str(getattr(v, "size", "")) if isinstance(v, KeySpec) else "",
)
def test_generate_key(spec: KeySpec, cls: type, check: object) -> None:
    key = generate_key(spec)
    assert isinstance(key, cls) and check(key)  # type: ignore[operator]
    assert key_algorithm_of(key) == spec.algorithm == key_algorithm_of(key.public_key())


@pytest.mark.skipif("ml-dsa" not in KEY_ALGORITHMS, reason="installed cryptography has no ML-DSA")
@pytest.mark.parametrize("variant", ["ML-DSA-44", "ML-DSA-65", "ML-DSA-87"])
def test_generate_ml_dsa(variant: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import mldsa

    key = generate_key(KeySpec("ml-dsa", variant=variant))
    assert isinstance(key, getattr(mldsa, f"MLDSA{variant[-2:]}PrivateKey"))
    assert key_algorithm_of(key) == "ml-dsa"


@needs_openssl
@pytest.mark.parametrize("algo", OPENSSL_ALGOS)
def test_openssl_accepts_every_csr(algo: str, keys: dict[str, object], tmp_path: pathlib.Path) -> None:
    spec = CsrSpec(key=KeySpec(algo))
    csr = build_csr(spec, keys[algo])  # type: ignore[arg-type]
    path = write_pem(tmp_path, "req.pem", csr)
    result = openssl("req", "-verify", "-noout", "-in", str(path))
    assert "verify OK" in result.stdout + result.stderr
    assert csr.is_signature_valid


@needs_openssl
def test_openssl_shows_the_names_we_asked_for(keys: dict[str, object], tmp_path: pathlib.Path) -> None:
    spec = CertificateSpec(
        subject=Subject(organizational_unit="Teaching", common_name="bücher.example", email="me@example.org"),
        sans=("bücher.example", "2001:db8::1", "192.0.2.7", "me@example.org", "https://example.org/x"),
    )
    cert = build_self_signed(spec, keys["ec"])  # type: ignore[arg-type]
    text = openssl("x509", "-text", "-noout", "-nameopt", "oneline,-esc_msb", "-in", str(write_pem(tmp_path, "c.pem", cert))).stdout
    assert "Subject: C = US, ST = CA, L = San Francisco, O = My Company, OU = Teaching, CN = bücher.example, emailAddress = me@example.org" in text
    assert (
        "DNS:xn--bcher-kva.example, IP Address:2001:DB8:0:0:0:0:0:1, IP Address:192.0.2.7, "
        "email:me@example.org, URI:https://example.org/x"
    ) in text


@pytest.mark.parametrize("algo", KEY_ALGORITHMS)
def test_csr_carries_the_spec(algo: str, keys: dict[str, object]) -> None:
    spec = CsrSpec(
        key=KeySpec(algo), ca=True, path_length=1,
        key_usage=frozenset({"key_cert_sign", "digital_signature"}), extended_key_usage=("serverAuth", "1.2.3.4"),
    )
    csr = build_csr(spec, keys[algo])  # type: ignore[arg-type]
    assert csr.subject == Subject().to_name()
    exts = {e.oid: e for e in csr.extensions}
    san = exts[x509.SubjectAlternativeName.oid]
    assert not san.critical and san.value.get_values_for_type(x509.DNSName) == list(spec.sans)
    bc = exts[x509.BasicConstraints.oid]
    assert bc.critical and bc.value.ca and bc.value.path_length == 1
    ku = exts[x509.KeyUsage.oid]
    assert ku.critical and ku.value.key_cert_sign and ku.value.digital_signature and not ku.value.crl_sign
    assert list(exts[x509.ExtendedKeyUsage.oid].value) == [ExtendedKeyUsageOID.SERVER_AUTH, x509.ObjectIdentifier("1.2.3.4")]
    expected_hash = None if algo in ("ed25519", "ed448", "ml-dsa") else hashes.SHA256
    assert (csr.signature_hash_algorithm is None) if expected_hash is None else isinstance(csr.signature_hash_algorithm, expected_hash)


def test_san_is_critical_when_the_subject_is_empty(keys: dict[str, object]) -> None:
    empty = Subject(country="", state="", locality="", organization="", common_name="")
    csr = build_csr(CsrSpec(subject=empty, sans=("a.example",)), keys["ec"])  # type: ignore[arg-type]
    # RFC 5280 §4.2.1.6: with an empty subject the SAN extension MUST be critical
    assert csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).critical


def test_self_signed_follows_the_spec(keys: dict[str, object]) -> None:
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    spec = CertificateSpec(
        hash="sha384", serial=4242, validity_days=30, subject_key_identifier=True, authority_key_identifier=True
    )
    cert = build_self_signed(spec, keys["rsa"], now=now)  # type: ignore[arg-type]
    assert cert.subject == cert.issuer == Subject().to_name()
    assert cert.serial_number == 4242
    assert (cert.not_valid_before_utc, cert.not_valid_after_utc) == (now, now + timedelta(days=30))
    assert isinstance(cert.signature_hash_algorithm, hashes.SHA384)
    ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    cert.verify_directly_issued_by(cert)  # cryptography's own check of the self-signature


def test_self_signed_explicit_dates_and_random_serial(keys: dict[str, object]) -> None:
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, 6, tzinfo=UTC)
    a = build_self_signed(CertificateSpec(not_before=start, not_after=end), keys["ec"])  # type: ignore[arg-type]
    b = build_self_signed(CertificateSpec(not_before=start, not_after=end), keys["ec"])  # type: ignore[arg-type]
    assert (a.not_valid_before_utc, a.not_valid_after_utc) == (start, end)
    assert a.serial_number != b.serial_number and 0 < a.serial_number < 2**159


def test_naive_now_is_refused(keys: dict[str, object]) -> None:
    with pytest.raises(SpecError, match="now: must carry a time zone"):
        build_self_signed(CertificateSpec(), keys["ec"], now=datetime(2026, 1, 1))  # type: ignore[arg-type]


def test_cryptography_errors_become_spec_errors(keys: dict[str, object]) -> None:
    with pytest.raises(SpecError) as exc:
        build_csr(CsrSpec(), "not a key")  # type: ignore[arg-type]
    assert exc.value.field == "key"
    with pytest.raises(SpecError) as exc:
        build_self_signed(CertificateSpec(), keys["rsa"].public_key())  # type: ignore[union-attr, arg-type]
    assert exc.value.field == "key"


# ---------------------------------------------------------------- the teaching CA


def test_ca_certificates_are_rfc5280_cas(ca: TeachingCA) -> None:
    assert ca.issuer is ca.intermediate and ca.chain == (ca.intermediate, ca.root)
    for cert, path_length in ((ca.root, 1), (ca.intermediate, 0)):
        assert cert is not None
        bc = cert.extensions.get_extension_for_class(x509.BasicConstraints)
        assert bc.critical and bc.value.ca and bc.value.path_length == path_length
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
        assert ku.critical and ku.value.key_cert_sign and ku.value.crl_sign and not ku.value.digital_signature
        cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    aki = ca.intermediate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value  # type: ignore[union-attr]
    assert aki.key_identifier == ca.root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    ca.intermediate.verify_directly_issued_by(ca.root)  # type: ignore[union-attr]
    assert ca.root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "certlab Teaching Root CA"
    assert not any(hasattr(ca, name) for name in ("root_key", "key", "private_key"))  # keys stay private


@needs_openssl
@pytest.mark.parametrize("algo", OPENSSL_ALGOS)
def test_issued_leaves_verify_with_openssl_and_cryptography(
    algo: str, ca: TeachingCA, keys: dict[str, object], tmp_path: pathlib.Path
) -> None:
    csr = build_csr(CsrSpec(key=KeySpec(algo)), keys[algo])  # type: ignore[arg-type]
    leaf = ca.issue(csr)
    root, inter, leaf_path = (write_pem(tmp_path, n, c) for n, c in (("root.pem", ca.root), ("inter.pem", ca.intermediate), ("leaf.pem", leaf)))
    result = openssl("verify", "-CAfile", str(root), "-untrusted", str(inter), "-purpose", "sslserver", str(leaf_path))
    assert result.stdout.strip() == f"{leaf_path}: OK"
    verifier = PolicyBuilder().store(Store([ca.root])).build_server_verifier(x509.DNSName("subdomain.mysite.com"))
    chain = verifier.verify(leaf, [ca.intermediate])  # type: ignore[list-item]
    assert chain == [leaf, ca.intermediate, ca.root]


@needs_openssl
def test_openssl_rejects_a_leaf_with_the_wrong_root(ca: TeachingCA, keys: dict[str, object], tmp_path: pathlib.Path) -> None:
    # the oracle can fail: a different root must not verify our leaf
    other = TeachingCA.create(intermediate=False, name="Other Root")
    leaf = ca.issue(build_csr(CsrSpec(key=KeySpec("ec")), keys["ec"]))  # type: ignore[arg-type]
    result = openssl(
        "verify", "-CAfile", str(write_pem(tmp_path, "o.pem", other.root)), "-untrusted",
        str(write_pem(tmp_path, "i.pem", ca.intermediate)), str(write_pem(tmp_path, "l.pem", leaf)), check=False,
    )
    assert result.returncode != 0


def test_issue_adds_the_leaf_profile(ca: TeachingCA, keys: dict[str, object]) -> None:
    now = datetime(2026, 2, 1, tzinfo=UTC)
    rsa_leaf = ca.issue(build_csr(CsrSpec(), keys["rsa"]), now=now)  # type: ignore[arg-type]
    ec_leaf = ca.issue(build_csr(CsrSpec(key=KeySpec("ec")), keys["ec"]), CertificateSpec(serial=77, validity_days=3), now=now)  # type: ignore[arg-type]
    for leaf in (rsa_leaf, ec_leaf):
        assert leaf.subject == Subject().to_name() and leaf.issuer == ca.issuer.subject
        bc = leaf.extensions.get_extension_for_class(x509.BasicConstraints)
        assert bc.critical and bc.value.ca is False
        eku = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
        aki = leaf.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
        assert aki.key_identifier == ca.issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
        assert leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName) == list(CsrSpec().sans)
    assert rsa_leaf.extensions.get_extension_for_class(x509.KeyUsage).value.key_encipherment
    ku = ec_leaf.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and not ku.value.key_encipherment
    assert ec_leaf.serial_number == 77 and ec_leaf.not_valid_after_utc - ec_leaf.not_valid_before_utc == timedelta(days=3)


def test_issue_honours_spec_eku(ca: TeachingCA, keys: dict[str, object]) -> None:
    leaf = ca.issue(build_csr(CsrSpec(), keys["ec"]), CertificateSpec(extended_key_usage=("codeSigning",)))  # type: ignore[arg-type]
    assert list(leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [ExtendedKeyUsageOID.CODE_SIGNING]


def test_issue_refuses_a_tampered_csr(ca: TeachingCA, keys: dict[str, object]) -> None:
    der = bytearray(build_csr(CsrSpec(), keys["rsa"]).public_bytes(serialization.Encoding.DER))  # type: ignore[arg-type]
    der[-1] ^= 0x01  # flip one bit of the signature
    tampered = x509.load_der_x509_csr(bytes(der))
    with pytest.raises(SpecError) as exc:
        ca.issue(tampered)
    assert exc.value.field == "csr" and "signature does not verify" in exc.value.rule


def test_ca_without_intermediate_and_rsa_root() -> None:
    solo = TeachingCA.create(intermediate=False, key=KeySpec("rsa"), name="Solo Root")
    assert solo.intermediate is None and solo.issuer is solo.root and solo.chain == (solo.root,)
    key = generate_key(KeySpec("ec"))
    leaf = solo.issue(build_csr(CsrSpec(), key))  # type: ignore[arg-type]
    verifier = PolicyBuilder().store(Store([solo.root])).build_server_verifier(x509.DNSName("mysite.com"))
    assert verifier.verify(leaf, []) == [leaf, solo.root]
    with pytest.raises(SpecError, match="name: must be a common name"):
        TeachingCA.create(name="")
    with pytest.raises(TypeError):
        TeachingCA()


def test_leaf_validity_never_outlives_the_issuer(ca: TeachingCA, keys: dict[str, object]) -> None:
    leaf = ca.issue(build_csr(CsrSpec(), keys["ec"]), CertificateSpec(validity_days=3650))  # type: ignore[arg-type]
    assert leaf.not_valid_after_utc <= ca.issuer.not_valid_after_utc


def test_ip_san_verifies_with_cryptography(ca: TeachingCA, keys: dict[str, object]) -> None:
    csr = build_csr(CsrSpec(sans=("127.0.0.1", "localhost")), keys["ec"])  # type: ignore[arg-type]
    leaf = ca.issue(csr)
    verifier = PolicyBuilder().store(Store([ca.root])).build_server_verifier(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    assert verifier.verify(leaf, [ca.intermediate])[0] == leaf  # type: ignore[list-item]




def _pkix_lint(path: pathlib.Path) -> str:
    import shutil
    import subprocess
    import sys

    exe = shutil.which("lint_pkix_cert") or str(pathlib.Path(sys.executable).parent / "lint_pkix_cert")
    proc = subprocess.run([exe, "lint", "-s", "WARNING", str(path)], capture_output=True, text=True, timeout=120)
    return proc.stdout + proc.stderr


def test_pkilint_finds_nothing_to_warn_about(ca: TeachingCA, keys: dict[str, object], tmp_path: pathlib.Path) -> None:
    # DigiCert's RFC 5280 linter: no WARNING/ERROR/FATAL on the CA certificates or a leaf
    leaf = ca.issue(build_csr(CsrSpec(key=KeySpec("ec")), keys["ec"]))  # type: ignore[arg-type]
    for name, cert in (("root.pem", ca.root), ("inter.pem", ca.intermediate), ("leaf.pem", leaf)):
        assert _pkix_lint(write_pem(tmp_path, name, cert)).strip() == "", name
    # ... and the oracle can fail: a self-signed CA certificate without SKI draws a finding
    bad = build_self_signed(CertificateSpec(key=KeySpec("ec"), ca=True, key_usage=frozenset({"key_cert_sign"})), keys["ec"])  # type: ignore[arg-type]
    assert "pkix.certificate_skid_ca_missing" in _pkix_lint(write_pem(tmp_path, "bad.pem", bad))
