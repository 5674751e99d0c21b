"""Test-certificate factory: certificates that trigger (or avoid) each finding.

Built with pyca/cryptography directly.  What cryptography refuses to build
(MD5/SHA-1 signatures, serials that are zero, negative or longer than 20
octets, broken signatures) is made by ``resign``: decode the certificate with
pyasn1-modules, change the field, and sign the new TBS bytes with the key.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.x509.oid import NameOID
from pyasn1.codec.der import decoder, encoder
from pyasn1.type import univ
from pyasn1_modules import rfc5280

__all__ = ["rsa_key", "ec_key", "tutorial_name", "tutorial_self_signed", "fixed_self_signed",
           "make_cert", "make_csr", "resign", "NOW"]

NOW = dt.datetime(2026, 6, 1, 12, 0, 0, tzinfo=dt.timezone.utc)

_SIG_OIDS = {"sha256": "1.2.840.113549.1.1.11", "sha1": "1.2.840.113549.1.1.5", "md5": "1.2.840.113549.1.1.4"}
_HASHES = {"sha256": hashes.SHA256, "sha1": hashes.SHA1, "md5": hashes.MD5}


@functools.lru_cache(maxsize=None)
def rsa_key(bits: int = 2048, n: int = 0) -> rsa.RSAPrivateKey:
    """A cached RSA key (``n`` picks a different key of the same size)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@functools.lru_cache(maxsize=None)
def ec_key(n: int = 0) -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def tutorial_name(cn: str = "mysite.com") -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "CA"),
        x509.NameAttribute(NameOID.LOCALITY_NAME, "San Francisco"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "My Company"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def _tutorial_builder(key: Any, now: dt.datetime) -> x509.CertificateBuilder:
    # The tutorial's self-signed flow, with today's API (aware datetimes, no backend argument).
    subject = issuer = tutorial_name()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=10))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
    )


def tutorial_self_signed(now: dt.datetime = NOW) -> x509.Certificate:
    key = rsa_key()
    return _tutorial_builder(key, now).sign(key, hashes.SHA256())


def fixed_self_signed(now: dt.datetime = NOW) -> x509.Certificate:
    """The tutorial certificate plus SKI, AKI and a critical BasicConstraints(ca=False)."""
    key = rsa_key()
    return (
        _tutorial_builder(key, now)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )


def make_cert(
    *,
    cn: str | None = "www.example.com",
    sans: list[str] | None = None,
    key: Any = None,
    issuer_key: Any = None,
    issuer: x509.Name | None = None,
    not_before: dt.datetime = NOW - dt.timedelta(days=1),
    days: int = 90,
    ca: bool | None = False,
    extra: list[tuple[x509.ExtensionType, bool]] = (),  # type: ignore[assignment]
    subject: x509.Name | None = None,
    serial: int = 0x1234567890ABCDEF,
) -> x509.Certificate:
    """A leaf (default) or CA certificate; self-signed unless ``issuer_key`` is given."""
    key = key or rsa_key()
    issuer_key = issuer_key or key
    if subject is None:
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)] if cn else [])
    if sans is None:
        sans = [cn] if cn else []
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer or subject)
         .public_key(key.public_key()).serial_number(serial)
         .not_valid_before(not_before).not_valid_after(not_before + dt.timedelta(days=days)))
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
    if ca is not None:
        b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    for ext, critical in extra:
        b = b.add_extension(ext, critical=critical)
    # Ed25519 / Ed448 sign the message itself: cryptography wants no hash (RFC 8410 §6)
    hashless = isinstance(issuer_key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey))
    return b.sign(issuer_key, None if hashless else hashes.SHA256())


def make_csr(*, cn: str = "mysite.com", sans: list[str] | None = None, key: Any = None,
             challenge: str | None = None) -> x509.CertificateSigningRequest:
    """The tutorial's CSR flow (today's API), optionally with a challengePassword."""
    key = key or rsa_key()
    b = x509.CertificateSigningRequestBuilder().subject_name(tutorial_name(cn))
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
    if challenge is not None:
        b = b.add_attribute(x509.oid.AttributeOID.CHALLENGE_PASSWORD, challenge.encode())
    return b.sign(key, hashes.SHA256())


def resign(cert: x509.Certificate, key: rsa.RSAPrivateKey, *, serial: int | None = None,
           hash: str = "sha256", corrupt: bool = False) -> x509.Certificate:
    """Re-encode ``cert`` with a new serial and/or signature hash and sign it with RSA ``key``.

    ``corrupt=True`` flips one bit of the signature so it no longer verifies.
    """
    der = cert.public_bytes(serialization.Encoding.DER)
    asn1, _ = decoder.decode(der, asn1Spec=rfc5280.Certificate())
    tbs = asn1["tbsCertificate"]
    if serial is not None:
        tbs["serialNumber"] = serial
    oid = univ.ObjectIdentifier(_SIG_OIDS[hash])
    for alg in (tbs["signature"], asn1["signatureAlgorithm"]):
        alg["algorithm"] = oid
    tbs_der = encoder.encode(tbs)
    signature = key.sign(tbs_der, padding.PKCS1v15(), _HASHES[hash]())
    if corrupt:
        signature = bytes([signature[0] ^ 0x01]) + signature[1:]
    asn1["signature"] = univ.BitString.fromOctetString(signature)
    return x509.load_der_x509_certificate(encoder.encode(asn1))


CRL_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def revoked_crl(serials: Any, *, cn: str, key: Any = None, reason_every: int = 3,
                one_second_apart: bool = True) -> x509.CertificateRevocationList:
    """A CRL revoking ``serials`` (every ``reason_every``-th with keyCompromise), signed with ``key``.

    The big-CRL tests and benchmarks build theirs here.  Revocation dates go one
    second back per entry from :data:`CRL_DATE` (or all on it); the list goes to
    the builder's constructor at once (``add_revoked_certificate`` copies it each time).
    """
    key = key if key is not None else ec.generate_private_key(ec.SECP256R1())
    reason = x509.CRLReason(x509.ReasonFlags.key_compromise)
    revoked = []
    for i, serial in enumerate(serials):
        when = CRL_DATE - dt.timedelta(seconds=i) if one_second_apart else CRL_DATE
        entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when)
        if i % reason_every == 0:
            entry = entry.add_extension(reason, critical=False)
        revoked.append(entry.build())
    return x509.CertificateRevocationListBuilder(
        issuer_name=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]),
        last_update=CRL_DATE, next_update=CRL_DATE + dt.timedelta(days=7), revoked_certificates=revoked,
    ).sign(key, hashes.SHA256())
