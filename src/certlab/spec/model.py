"""The specs: frozen, validated values a form describes (see :mod:`certlab.spec`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.x509.oid import ObjectIdentifier

from .choices import _HASHLESS, EXTENDED_KEY_USAGES, SUBJECT_ATTRIBUTES
from .rules import (
    _certificate_problems,
    _common_problems,
    _freeze_collections,
    _key_problems,
    _raise_if,
    _subject_problems,
)
from .san import normalize_san


@dataclass(frozen=True)
class KeySpec:
    """Which key pair to generate.

    Only the parameter that matters for ``algorithm`` is checked: ``size`` for
    RSA, ``curve`` for EC, ``variant`` for ML-DSA; the others are kept as they
    are so a form can switch back without losing them.
    """

    algorithm: str = "rsa"
    size: int = 2048
    curve: str = "P-256"
    variant: str = "ML-DSA-65"

    def __post_init__(self) -> None:
        _raise_if(_key_problems(self))


@dataclass(frozen=True)
class Subject:
    """The distinguished name; ``""`` means the attribute is left out.

    Defaults are the tutorial's subject.  ``email`` is the legacy
    ``emailAddress`` attribute (RFC 5280 §4.1.2.6 prefers an rfc822Name SAN).
    """

    country: str = "US"
    state: str = "CA"
    locality: str = "San Francisco"
    organization: str = "My Company"
    organizational_unit: str = ""
    common_name: str = "mysite.com"
    email: str = ""

    def __post_init__(self) -> None:
        _raise_if(_subject_problems(self))

    def to_name(self) -> x509.Name:
        """The ``x509.Name``, attributes in the tutorial's order C, ST, L, O, OU, CN, emailAddress."""
        return x509.Name(
            [
                x509.NameAttribute(attr.oid, getattr(self, attr.field))
                for attr in SUBJECT_ATTRIBUTES
                if getattr(self, attr.field)
            ]
        )


@dataclass(frozen=True)
class CsrSpec:
    """A certificate signing request (steps 1-2 of the tutorial's CA flow).

    ``ca=None`` asks for no BasicConstraints extension at all; ``True``/``False``
    requests one (a CA decides whether to honour it).
    """

    subject: Subject = field(default_factory=Subject)
    sans: tuple[str, ...] = ("mysite.com", "www.mysite.com", "subdomain.mysite.com")
    hash: str = "sha256"
    key: KeySpec = field(default_factory=KeySpec)
    ca: bool | None = None
    path_length: int | None = None
    key_usage: frozenset[str] = frozenset()
    extended_key_usage: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _freeze_collections(self)
        _raise_if(_common_problems(self))


@dataclass(frozen=True)
class CertificateSpec:
    """A certificate: self-signed by default, or the policy a CA issues with.

    Validity is ``validity_days`` from the build time unless explicit
    tz-aware ``not_before`` / ``not_after`` are given (either overrides its end).
    ``serial=None`` draws ``x509.random_serial_number()`` at build time.
    """

    subject: Subject = field(default_factory=Subject)
    sans: tuple[str, ...] = ("localhost",)
    hash: str = "sha256"
    key: KeySpec = field(default_factory=KeySpec)
    validity_days: int = 10
    not_before: datetime | None = None
    not_after: datetime | None = None
    serial: int | None = None
    ca: bool | None = None
    path_length: int | None = None
    key_usage: frozenset[str] = frozenset()
    extended_key_usage: tuple[str, ...] = ()
    subject_key_identifier: bool = False
    authority_key_identifier: bool = False

    def __post_init__(self) -> None:
        _freeze_collections(self)
        _raise_if(_common_problems(self) + _certificate_problems(self))

    def validity(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        """``(not_before, not_after)`` as built at ``now`` (default: the current time, UTC)."""
        start = now if now is not None else datetime.now(timezone.utc)
        if self.not_before is not None:
            start = self.not_before
        end = self.not_after if self.not_after is not None else start + timedelta(days=self.validity_days)
        if self.not_before is None and self.not_after is not None and end <= start:
            # only not_after given and it lies in the past of `now`: keep the
            # requested length rather than building an inverted validity
            start = end - timedelta(days=self.validity_days)
        return start, end


def san_names(spec: CsrSpec | CertificateSpec) -> list[x509.GeneralName]:
    """The spec's SAN strings as ``GeneralName`` values, in order."""
    return [normalize_san(text, field=f"sans[{i}]") for i, text in enumerate(spec.sans)]


def eku_oids(spec: CsrSpec | CertificateSpec) -> list[ObjectIdentifier]:
    """The spec's extended key usages as OIDs (names looked up, dotted OIDs parsed)."""
    return [EXTENDED_KEY_USAGES.get(name) or ObjectIdentifier(name) for name in spec.extended_key_usage]


def signing_hash(spec: CsrSpec | CertificateSpec) -> str | None:
    """The hash name ``build`` signs with: ``None`` for Ed25519/Ed448/ML-DSA (they hash internally)."""
    return None if spec.key.algorithm in _HASHLESS else spec.hash


#: Form fields only a certificate has: a CSR (even one a CA will sign) leaves them out.
CERTIFICATE_ONLY_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(CertificateSpec) if f.name not in {g.name for g in dataclasses.fields(CsrSpec)}
)


def csr_spec_of(spec: CsrSpec | CertificateSpec) -> CsrSpec:
    """The CSR that asks for ``spec``: its subject, SANs, key, hash and requested extensions."""
    if isinstance(spec, CsrSpec):
        return spec
    return CsrSpec(**{f.name: getattr(spec, f.name) for f in dataclasses.fields(CsrSpec)})
