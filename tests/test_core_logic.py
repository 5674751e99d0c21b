"""What the widgets used to decide, tested without a widget: what each lab mode builds, chain
order and roles, "does A sign B", what a view may show, and the first line of an error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from certlab.build import BUILD_MODES, TeachingCA, build_for_mode, generate_key
from certlab.chain import chain_role, is_ca, order_chain
from certlab.errors import SpecError, first_line
from certlab.load import public_der
from certlab.signatures import is_self_signed, signature_ok, signed_by, verify_signature
from certlab.spec import CERTIFICATE_ONLY_FIELDS, CertificateSpec, CsrSpec, KeySpec, csr_spec_of, spec_from_form
from tests._certs import make_cert, resign, rsa_key
from tests._oracles import needs_openssl, openssl, write_pem

NOW = dt.datetime(2026, 1, 15, 12, tzinfo=dt.timezone.utc)


@needs_openssl
def test_every_mode_builds_what_it_says_without_a_widget(tmp_path: Path) -> None:
    key = generate_key(KeySpec("ec"))
    spec = spec_from_form("ca-signed", {"common_name": "lab.example", "sans": ["lab.example"], "validity_days": 30})
    csr = build_for_mode("csr", spec_from_form("csr", {"common_name": "lab.example"}), key)
    assert isinstance(csr.result, x509.CertificateSigningRequest) and csr.csr is None and csr.ca is None
    own = build_for_mode("self-signed", spec, key, now=NOW, serial=77)
    assert isinstance(own.result, x509.Certificate) and own.result.serial_number == 77
    assert own.result.issuer == own.result.subject and is_self_signed(own.result)
    issued = build_for_mode("ca-signed", spec, key, now=NOW, serial=78)
    assert issued.ca is not None and issued.csr is not None and issued.result.serial_number == 78
    assert issued.result.issuer == issued.ca.issuer.subject and signed_by(issued.result, issued.ca.issuer)
    assert issued.result.public_key() == key.public_key() == issued.csr.public_key()
    # a given CA is used, not replaced
    again = build_for_mode("ca-signed", spec, key, ca=issued.ca, now=NOW)
    assert again.ca is issued.ca
    # openssl is the oracle for the issued chain
    chain = write_pem(tmp_path, "chain.pem", issued.ca.intermediate)
    root = write_pem(tmp_path, "root.pem", issued.ca.root)
    leaf = write_pem(tmp_path, "leaf.pem", issued.result)
    at = str(int(NOW.timestamp()) + 3600)
    assert openssl("verify", "-attime", at, "-CAfile", str(root), "-untrusted", str(chain), str(leaf)).returncode == 0
    with pytest.raises(SpecError) as err:
        build_for_mode("pkcs7", spec, key)
    assert err.value.field == "mode" and set(BUILD_MODES) == {"csr", "self-signed", "ca-signed"}


def test_the_csr_of_a_certificate_spec_drops_exactly_the_certificate_only_fields() -> None:
    assert set(CERTIFICATE_ONLY_FIELDS) == {"validity_days", "not_before", "not_after", "serial",
                                            "subject_key_identifier", "authority_key_identifier"}
    values = {"common_name": "x.example", "sans": ["x.example"], "serial": 5, "validity_days": 9,
              "key_usage": ["digital_signature"], "hash": "sha384"}
    cert_spec = spec_from_form("ca-signed", values)
    assert isinstance(cert_spec, CertificateSpec)
    # the spec the form would give in CSR mode for the same values (minus the certificate-only ones)
    assert csr_spec_of(cert_spec) == spec_from_form("csr", {k: v for k, v in values.items()
                                                             if k not in CERTIFICATE_ONLY_FIELDS})
    assert csr_spec_of(CsrSpec()) == CsrSpec()


def _chain() -> tuple[x509.Certificate, x509.Certificate, x509.Certificate]:
    ca = TeachingCA.create(now=NOW)
    key = generate_key(KeySpec("ec"))
    leaf = build_for_mode("ca-signed", CertificateSpec(), key, ca=ca, now=NOW).result
    assert ca.intermediate is not None
    return ca.root, ca.intermediate, leaf  # type: ignore[return-value]


def test_chain_order_and_roles_in_any_order() -> None:
    root, inter, leaf = _chain()
    for given in ([leaf, inter, root], [root, leaf, inter], [inter, root, leaf]):
        assert order_chain(given) == [root, inter, leaf]
    assert [chain_role(c, last=c is leaf) for c in (root, inter, leaf)] == [
        "root (self-signed)", "intermediate CA", "leaf"]
    # drawn up to the intermediate, the intermediate stays a CA
    assert chain_role(inter, last=True) == "intermediate CA" and is_ca(inter) and not is_ca(leaf)
    assert order_chain([]) == []


@needs_openssl
def test_does_a_sign_b_agrees_with_cryptography_and_openssl(tmp_path: Path) -> None:
    root, inter, leaf = _chain()
    # cryptography's own check is the oracle where it applies
    for child, parent in ((inter, root), (leaf, inter), (root, root)):
        child.verify_directly_issued_by(parent)
        assert signed_by(child, parent) and signature_ok(child, parent.public_key()) is True
    assert not signed_by(leaf, root) and signature_ok(leaf, root.public_key()) is False
    assert not is_self_signed(inter) and is_self_signed(root)
    # a byte of the signature changed: no longer verifies (and openssl agrees)
    der = bytearray(leaf.public_bytes(serialization.Encoding.DER))
    der[-3] ^= 0x01
    broken = x509.load_der_x509_certificate(bytes(der))
    assert signature_ok(broken, inter.public_key()) is False and not signed_by(broken, inter)
    bad = write_pem(tmp_path, "bad.pem", broken)
    out = openssl("verify", "-CAfile", str(write_pem(tmp_path, "r.pem", root)), "-untrusted",
                  str(write_pem(tmp_path, "i.pem", inter)), str(bad), check=False)
    assert out.returncode != 0
    with pytest.raises(TypeError):
        verify_signature(leaf, object())


@needs_openssl
def test_a_sha1_root_is_still_self_signed(tmp_path: Path) -> None:
    # cryptography's verify_directly_issued_by refuses SHA-1; the signature itself still verifies,
    # as openssl says when its security level lets SHA-1 through
    key = rsa_key(2048, 3)
    cert = resign(make_cert(key=key, sans=[]), key, hash="sha1")
    with pytest.raises(ValueError):
        cert.verify_directly_issued_by(cert)
    pem = str(write_pem(tmp_path, "old.pem", cert))
    assert openssl("verify", "-auth_level", "0", "-no_check_time", "-CAfile", pem, pem, check=False).returncode == 0
    assert is_self_signed(cert)
    assert not is_self_signed(resign(make_cert(key=key, sans=[]), key, hash="sha1", corrupt=True))


@pytest.mark.parametrize("algorithm", ["rsa", "ec", "ed25519"])
def test_a_view_shows_the_public_half_of_a_private_key_unless_revealed(algorithm: str) -> None:
    key = generate_key(KeySpec(algorithm))
    spki = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert public_der(key) == ("public-key", spki) == public_der(key.public_key())
    kind, der = public_der(key, reveal=True)
    assert kind == "private-key" and serialization.load_der_private_key(der, None).public_key() == key.public_key()
    with pytest.raises(TypeError):
        public_der(object())


def test_first_line_of_an_error() -> None:
    assert first_line(ValueError("first\nsecond")) == "first"
    assert first_line(ValueError("")) == "ValueError"
    assert first_line(ValueError("x" * 500), 10) == "x" * 10
    with pytest.raises(ValueError) as exc:
        x509.load_der_x509_certificate(b"\x30\x03\x02\x01\x01")
    assert "\n" not in first_line(exc.value) and first_line(exc.value)



@pytest.mark.parametrize("algorithm", ["rsa", "ec", "ed25519", "ed448", "ml-dsa"])
def test_every_buildable_key_type_verifies_its_own_signature(algorithm: str) -> None:
    from certlab.spec import KEY_ALGORITHMS

    if algorithm not in KEY_ALGORITHMS:
        pytest.skip(f"the installed cryptography has no {algorithm}")
    key = generate_key(KeySpec(algorithm))
    cert = build_for_mode("self-signed", CertificateSpec(key=KeySpec(algorithm)), key, now=NOW).result
    assert is_self_signed(cert) and signature_ok(cert, key.public_key()) is True
    other = generate_key(KeySpec(algorithm))
    assert signature_ok(cert, other.public_key()) is False
