"""The tutorial's two flows, written directly with pyca/cryptography (today's
form), side by side with certlab's defaults: they must build the same things."""

from __future__ import annotations

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from certlab.build import build_csr, build_self_signed, generate_key
from certlab.spec import CertificateSpec, CsrSpec


def _tutorial_name() -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "CA"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "San Francisco"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "My Company"),
            x509.NameAttribute(NameOID.COMMON_NAME, "mysite.com"),
        ]
    )


@pytest.fixture(scope="module")
def tutorial_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _extension_view(exts: x509.Extensions) -> list[tuple[x509.ObjectIdentifier, bool, x509.ExtensionType]]:
    return [(e.oid, e.critical, e.value) for e in exts]


def test_csr_flow_matches(tutorial_key: rsa.RSAPrivateKey) -> None:
    theirs = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(_tutorial_name())
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("mysite.com"), x509.DNSName("www.mysite.com"), x509.DNSName("subdomain.mysite.com")]
            ),
            critical=False,
        )
        .sign(tutorial_key, hashes.SHA256())
    )
    key = generate_key()
    ours = build_csr(CsrSpec(), key)  # type: ignore[arg-type]

    assert ours.subject == theirs.subject
    assert list(ours.subject) == list(theirs.subject)  # same attribute order, not just the same set
    assert _extension_view(ours.extensions) == _extension_view(theirs.extensions)
    assert type(ours.signature_hash_algorithm) is type(theirs.signature_hash_algorithm) is hashes.SHA256
    assert ours.signature_algorithm_oid == theirs.signature_algorithm_oid
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == tutorial_key.key_size == 2048
    assert key.public_key().public_numbers().e == 65537
    assert ours.is_signature_valid and theirs.is_signature_valid


def test_self_signed_flow_matches(tutorial_key: rsa.RSAPrivateKey) -> None:
    now = datetime.datetime.now(datetime.timezone.utc)
    subject = issuer = _tutorial_name()
    theirs = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(tutorial_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=10))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(tutorial_key, hashes.SHA256())
    )
    key = generate_key()
    ours = build_self_signed(CertificateSpec(), key)  # type: ignore[arg-type]

    assert list(ours.subject) == list(theirs.subject) and ours.issuer == theirs.issuer == ours.subject
    assert _extension_view(ours.extensions) == _extension_view(theirs.extensions)
    assert type(ours.signature_hash_algorithm) is hashes.SHA256
    assert ours.signature_algorithm_oid == theirs.signature_algorithm_oid
    assert ours.version == theirs.version == x509.Version.v3
    length = ours.not_valid_after_utc - ours.not_valid_before_utc
    assert length == theirs.not_valid_after_utc - theirs.not_valid_before_utc == datetime.timedelta(days=10)
    # built "now": the start lies within the last minute
    assert abs(ours.not_valid_before_utc - now) < datetime.timedelta(minutes=1)
    pub = ours.public_key()
    assert isinstance(pub, rsa.RSAPublicKey) and pub.key_size == 2048
    # random serials like x509.random_serial_number(): positive, at most 159 bits
    assert 0 < ours.serial_number < 2**159
    ours.verify_directly_issued_by(ours)
