"""Specs -> cryptography objects: keys, CSRs, self-signed certificates, a teaching CA.

Each function is the tutorial's code path with today's API (no ``backend``
argument, tz-aware UTC times) driven by a validated spec.  Whatever
cryptography still rejects comes back as a :class:`~certlab.errors.SpecError`
naming the form field, never as a traceback from inside the library.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .clock import aware_or_error, now_utc
from .errors import SpecError, WrongKind
from .knowledge.algorithms import (
    HASH_CLASSES,
    KeyAlgorithm,
    algorithm_named,
    algorithm_of,
    default_leaf_key_usage,
    is_private_key,
)
from .spec import (
    KEY_ALGORITHMS,
    KEY_USAGES,
    CertificateSpec,
    CsrSpec,
    KeySpec,
    csr_spec_of,
    eku_oids,
    san_names,
    signing_hash,
)

__all__ = ["generate_key", "build_csr", "build_self_signed", "TeachingCA", "key_algorithm_of", "Built", "build_for_mode", "BUILD_MODES"]

def generate_key(spec: KeySpec = KeySpec()) -> PrivateKeyTypes:
    """A fresh private key as ``spec`` describes (RSA uses e = 65537, as the tutorial)."""
    if spec.algorithm not in KEY_ALGORITHMS:
        raise SpecError("key_algorithm", "is not supported by the installed cryptography", spec.algorithm)
    with _as_spec_error("key_algorithm"):
        return algorithm_named(spec.algorithm).generate(spec)


def _signing_row(key: object) -> KeyAlgorithm:
    row = algorithm_of(key)
    if row is None or not row.buildable:
        raise WrongKind("key", "is not a key type certlab can sign with", type(key).__name__)
    return row


def key_algorithm_of(key: object) -> str:
    """The :data:`~certlab.spec.KEY_ALGORITHMS` name of a private or public key."""
    return _signing_row(key).name


def _require_private_key(key: object) -> None:
    """A clear SpecError instead of an AttributeError deep inside a builder."""
    algo = key_algorithm_of(key)  # raises for objects that are no key at all
    if not is_private_key(key):
        raise WrongKind("key", f"must be a private key; this is a {algo} public key, which cannot sign", type(key).__name__)


def _hash_for(spec: CsrSpec | CertificateSpec, key: object) -> hashes.HashAlgorithm | None:
    # Ed25519/Ed448/ML-DSA hash inside the signature scheme: cryptography wants None
    # (RFC 8410 §3, FIPS 204).  Decide by the actual key, the spec may describe another.
    return _hash_object(key, signing_hash(spec) or "sha256")


def _hash_object(key: object, name: str) -> hashes.HashAlgorithm | None:
    """The hash to sign with ``key``: None for a key type that hashes internally."""
    if _signing_row(key).hashless:
        return None
    hash_class: type[hashes.HashAlgorithm] = getattr(hashes, HASH_CLASSES[name])
    return hash_class()


@contextlib.contextmanager
def _as_spec_error(field: str) -> Iterator[None]:
    """Turn cryptography's ValueError/TypeError into a SpecError on ``field``."""
    try:
        yield
    except SpecError:
        raise
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise SpecError(field, f"cryptography refused it: {exc}") from None


def _common_extensions(
    spec: CsrSpec | CertificateSpec,
) -> list[tuple[x509.ExtensionType, bool]]:
    """Extensions both CSRs and certificates carry, with their criticality."""
    out: list[tuple[x509.ExtensionType, bool]] = []
    sans = san_names(spec)
    if sans:
        # critical only when the subject is empty (RFC 5280 §4.2.1.6)
        out.append((x509.SubjectAlternativeName(sans), not spec.subject.to_name()))
    if spec.ca is not None:
        # RFC 5280 §4.2.1.9: MUST be critical in CA certificates; we mark it critical always
        out.append((x509.BasicConstraints(ca=spec.ca, path_length=spec.path_length if spec.ca else None), True))
    if spec.key_usage:
        # RFC 5280 §4.2.1.3: SHOULD be critical
        out.append((_key_usage(spec.key_usage), True))
    if spec.extended_key_usage:
        out.append((x509.ExtendedKeyUsage(eku_oids(spec)), False))
    return out


def _key_usage(bits: frozenset[str] | set[str]) -> x509.KeyUsage:
    return x509.KeyUsage(**{name: name in bits for name in KEY_USAGES})


def build_csr(spec: CsrSpec, key: PrivateKeyTypes) -> x509.CertificateSigningRequest:
    """Steps 1-2 of the tutorial: a CSR for ``spec`` signed by ``key`` (proof of possession)."""
    _require_private_key(key)
    with _as_spec_error("key"):
        builder = x509.CertificateSigningRequestBuilder().subject_name(spec.subject.to_name())
        for ext, critical in _common_extensions(spec):
            builder = builder.add_extension(ext, critical=critical)
        return builder.sign(key, _hash_for(spec, key))  # type: ignore[arg-type]


def build_self_signed(
    spec: CertificateSpec, key: PrivateKeyTypes, *, now: datetime | None = None
) -> x509.Certificate:
    """The tutorial's second flow: subject == issuer, signed by the certificate's own key."""
    _require_private_key(key)
    name = spec.subject.to_name()
    not_before, not_after = spec.validity(_utc(now))
    with _as_spec_error("key"):
        builder = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())  # type: ignore[arg-type]
            .serial_number(spec.serial if spec.serial is not None else x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
        )
        for ext, critical in _common_extensions(spec):
            builder = builder.add_extension(ext, critical=critical)
        if spec.subject_key_identifier:
            builder = builder.add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False  # type: ignore[arg-type]
            )
        if spec.authority_key_identifier:
            # self-signed: the authority is the certificate's own key (RFC 5280 §4.2.1.1)
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False  # type: ignore[arg-type]
            )
        return builder.sign(key, _hash_for(spec, key))  # type: ignore[arg-type]


def _utc(now: datetime | None) -> datetime:
    if now is None:
        return now_utc()
    problem = aware_or_error(now, "now")
    if problem is not None:
        raise problem
    return now


class TeachingCA:
    """A small certificate authority for class: a root and (by default) an intermediate.

    Its private keys live in this Python object only (never written anywhere).
    ``issue`` performs step 5 of the tutorial's CA flow: check the CSR's
    signature, copy its subject and SANs, and sign a leaf certificate that
    ``openssl verify`` and ``cryptography.x509.verification`` accept.
    """

    root: x509.Certificate
    intermediate: x509.Certificate | None
    _root_key: PrivateKeyTypes
    _issuer_key: PrivateKeyTypes
    # revocation state, read by certlab.revocation (CRLs, the OCSP responder):
    # (issuer name DER, serial) -> certificate issued / (revocation time, ReasonFlags name)
    _issued: dict[tuple[bytes, int], x509.Certificate]
    _revoked: dict[tuple[bytes, int], tuple[datetime, str]]
    _crl_numbers: dict[bytes, int]
    _revocation_base: str | None  # http://127.0.0.1:PORT of the running revocation service

    def __init__(self) -> None:  # pragma: no cover - use TeachingCA.create()
        raise TypeError("use TeachingCA.create() to make a teaching CA")

    @classmethod
    def create(
        cls,
        *,
        intermediate: bool = True,
        key: KeySpec = KeySpec("ec", curve="P-256"),
        name: str = "certlab Teaching Root CA",
        now: datetime | None = None,
    ) -> TeachingCA:
        """A new root (valid 10 years) and, if asked, an intermediate (5 years) it signs.

        ``key`` is the CA's own key type.  Keep it RSA or EC (the default,
        P-256) when leaves must pass Web PKI checks: the CA/Browser Forum
        Baseline Requirements (7.1.3) allow only RSA and ECDSA, so browsers and
        ``cryptography.x509.verification`` refuse Ed25519/Ed448-signed chains
        that ``openssl verify`` (plain RFC 5280 + RFC 8410) accepts.
        """
        if not isinstance(name, str) or not name.strip() or len(name) > 64:
            raise SpecError("name", "must be a common name of 1 to 64 characters (RFC 5280 ub-common-name)", name)
        start = _utc(now) - timedelta(hours=1)  # tolerate clock skew between machines in class
        self = object.__new__(cls)
        self._issued, self._revoked, self._crl_numbers, self._revocation_base = {}, {}, {}, None
        root_key = generate_key(key)
        root_name = x509.Name(
            [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certlab"), x509.NameAttribute(NameOID.COMMON_NAME, name)]
        )
        self.root = _ca_certificate(root_name, root_key, root_name, root_key, start, 3650, path_length=None if not intermediate else 1)
        self._root_key = root_key
        self.intermediate = None
        self._issuer_key = root_key
        if intermediate:
            inter_key = generate_key(key)
            inter_cn = (name.replace("Root", "Intermediate") if "Root" in name else f"{name} Intermediate")[:64]
            inter_name = x509.Name(
                [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certlab"), x509.NameAttribute(NameOID.COMMON_NAME, inter_cn)]
            )
            self.intermediate = _ca_certificate(inter_name, inter_key, root_name, root_key, start, 1825, path_length=0)
            self._issuer_key = inter_key
        return self

    @property
    def issuer(self) -> x509.Certificate:
        """The certificate that signs leaves: the intermediate if there is one, else the root."""
        return self.intermediate if self.intermediate is not None else self.root

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """Issuer first ... root last (the order a TLS server sends, RFC 8446 §4.4.2)."""
        return (self.intermediate, self.root) if self.intermediate is not None else (self.root,)

    def __repr__(self) -> str:
        return f"<TeachingCA {self.root.subject.rfc4514_string()!r} intermediate={self.intermediate is not None}>"

    def issue(
        self,
        csr: x509.CertificateSigningRequest,
        spec: CertificateSpec | None = None,
        *,
        now: datetime | None = None,
    ) -> x509.Certificate:
        """Sign a leaf certificate for ``csr``.

        Subject and SANs come from the CSR (a real CA would first validate the
        names, step 4); validity, serial, hash and extra extensions from
        ``spec``.  Always added: AKI and SKI, BasicConstraints ca=False
        (critical), KeyUsage digitalSignature (+ keyEncipherment for RSA,
        critical), and EKU serverAuth + clientAuth unless ``spec`` names others.
        """
        spec = spec if spec is not None else CertificateSpec()
        if not isinstance(csr, x509.CertificateSigningRequest):
            raise WrongKind("csr", "must be a certificate signing request", type(csr).__name__)
        try:
            valid = csr.is_signature_valid
        except Exception:  # unsupported signature algorithm in the CSR
            valid = False
        if not valid:
            raise SpecError(
                "csr",
                "its signature does not verify with its own public key, so whoever made it "
                "may not hold the private key (RFC 2986 §3)",
                csr.subject.rfc4514_string(),
            )
        not_before, not_after = spec.validity(_utc(now))
        ca_end = self.issuer.not_valid_after_utc
        if not_before >= ca_end:
            # not_after is capped at the CA's own end below; starting later would invert it
            raise SpecError(
                "not_before",
                f"must be before the teaching CA's own certificate expires ({ca_end:%Y-%m-%d %H:%M:%S} UTC): "
                "a CA cannot vouch for a time it is not valid itself (RFC 5280 §6.1.3)",
                not_before.isoformat(),
            )
        public_key = csr.public_key()
        algo = key_algorithm_of(public_key)
        with _as_spec_error("csr"):
            builder = (
                x509.CertificateBuilder()
                .subject_name(csr.subject)
                .issuer_name(self.issuer.subject)
                .public_key(public_key)
                .serial_number(spec.serial if spec.serial is not None else x509.random_serial_number())
                .not_valid_before(not_before)
                .not_valid_after(min(not_after, ca_end))
            )
            try:
                sans = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
                builder = builder.add_extension(sans, critical=not csr.subject)
            except x509.ExtensionNotFound:
                pass
            builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            usages = set(spec.key_usage) - {"key_cert_sign", "crl_sign"} or set(default_leaf_key_usage(algo))
            builder = builder.add_extension(_key_usage(usages), critical=True)
            ekus = eku_oids(spec) or [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            builder = builder.add_extension(x509.ExtendedKeyUsage(ekus), critical=False)
            builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            builder = builder.add_extension(_aki_of(self.issuer), critical=False)
            if self._revocation_base is not None:
                from .revocation import revocation_extensions

                for ext in revocation_extensions(self._revocation_base, self.issuer, self.root):
                    builder = builder.add_extension(ext, critical=False)
            cert = builder.sign(self._issuer_key, _issuer_hash(self._issuer_key, spec))  # type: ignore[arg-type]
        self._issued[(cert.issuer.public_bytes(), cert.serial_number)] = cert
        return cert

    # ------------------------------------------------------------------ revocation (certlab.revocation)

    def revoke(self, cert: x509.Certificate, reason: str = "unspecified", *, at: datetime | None = None) -> None:
        """Revoke ``cert`` (one this CA issued) for ``reason``, from ``at`` (default: now).

        ``reason`` is a key of :data:`certlab.knowledge.revocation.REASONS`
        (``"key_compromise"``, ``"superseded"`` ...; RFC 5280 §5.3.1).  The
        next CRL lists the serial and the OCSP responder answers ``revoked``.
        """
        from .revocation import revoke

        revoke(self, cert, reason, at=_utc(at))

    def crl(self, issuer: x509.Certificate | None = None, *, now: datetime | None = None) -> x509.CertificateRevocationList:
        """A fresh CRL signed by ``issuer`` (default: the CA that signs leaves), with a new CRL number."""
        from .revocation import build_crl

        return build_crl(self, issuer if issuer is not None else self.issuer, now=_utc(now))

    def serve_revocation(self, *, responder: str = "ca", lifetime: float = 3600.0) -> Any:
        """Start the CRL / CA certificate / OCSP service on a free 127.0.0.1 port.

        Certificates issued from then on carry CRL Distribution Points and
        Authority Information Access pointing at it.  ``responder`` is ``"ca"``
        (the issuer signs OCSP answers) or ``"delegated"`` (a responder
        certificate with the OCSPSigning EKU does, RFC 6960 §4.2.2.2).
        Returns the :class:`certlab.revocation.RevocationService`; it stops
        with ``.stop()``, at the end of a ``with`` block, after ``lifetime``
        seconds or when the Python process ends.
        """
        from .revocation import RevocationService

        return RevocationService.start(self, responder=responder, lifetime=lifetime)

    def _signing_key(self, issuer: x509.Certificate) -> PrivateKeyTypes:
        if issuer == self.root:
            return self._root_key
        if issuer == self.intermediate:
            return self._issuer_key
        raise SpecError("issuer", "must be this teaching CA's root or intermediate", issuer.subject.rfc4514_string())


def _issuer_hash(key: object, spec: CertificateSpec) -> hashes.HashAlgorithm | None:
    return _hash_object(key, spec.hash)


def _aki_of(issuer: x509.Certificate) -> x509.AuthorityKeyIdentifier:
    # RFC 5280 §4.2.1.1: the AKI of a child equals the SKI of its issuer
    ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def _ca_certificate(
    subject: x509.Name,
    subject_key: PrivateKeyTypes,
    issuer: x509.Name,
    issuer_key: PrivateKeyTypes,
    start: datetime,
    days: int,
    *,
    path_length: int | None,
) -> x509.Certificate:
    """A CA certificate as RFC 5280 and the CA/B Forum baseline expect (7.1.2.1 / 7.1.2.2)."""
    public_key = subject_key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)  # type: ignore[arg-type]
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        # RFC 5280 §4.2.1.9: BasicConstraints MUST be critical in CA certificates
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        # RFC 5280 §4.2.1.3: keyCertSign for certificates, cRLSign for CRLs
        .add_extension(_key_usage({"key_cert_sign", "crl_sign"}), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)  # type: ignore[arg-type]
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    return builder.sign(issuer_key, _hash_object(issuer_key, "sha256"))  # type: ignore[arg-type]



# --------------------------------------------------------------------------- what each mode builds

#: The lab's modes: the tutorial's two flows and the CA flow (``spec_from_form`` reads the same names).
BUILD_MODES: tuple[str, ...] = ("csr", "self-signed", "ca-signed")


@dataclasses.dataclass(frozen=True)
class Built:
    """What one mode built: ``result`` (shown), the ``csr`` a CA signed and the ``ca`` (in ``"ca-signed"``)."""

    result: x509.Certificate | x509.CertificateSigningRequest
    csr: x509.CertificateSigningRequest | None = None
    ca: TeachingCA | None = None


def build_for_mode(
    mode: str,
    spec: CsrSpec | CertificateSpec,
    key: PrivateKeyTypes,
    *,
    ca: TeachingCA | None = None,
    now: datetime | None = None,
    serial: int | None = None,
) -> Built:
    """Build what ``mode`` makes from ``spec`` with ``key``.

    * ``"csr"``: a CSR (the tutorial's first flow, steps 1-2);
    * ``"self-signed"``: a self-signed certificate (its second flow);
    * ``"ca-signed"``: the CSR of the spec's request part (:func:`~certlab.spec.csr_spec_of`),
      issued by ``ca``, a new :class:`TeachingCA` when none is given (steps 3-5).

    ``serial`` is used when the spec sets none, so that repeated builds differ
    only in what the spec changed (the lab pins it, with ``now``, until a new key).
    """
    if mode not in BUILD_MODES:
        raise SpecError("mode", "must be one of " + ", ".join(BUILD_MODES), mode)
    if mode == "csr":
        return Built(build_csr(csr_spec_of(spec), key))
    if not isinstance(spec, CertificateSpec):
        raise SpecError("spec", f"'{mode}' needs a CertificateSpec", type(spec).__name__)
    pinned = spec if spec.serial is not None or serial is None else dataclasses.replace(spec, serial=serial)
    if mode == "self-signed":
        return Built(build_self_signed(pinned, key, now=now))
    csr = build_csr(csr_spec_of(spec), key)
    ca = ca if ca is not None else TeachingCA.create(now=now)  # made on demand: the first time this mode is used
    return Built(ca.issue(csr, pinned, now=now), csr, ca)
