"""Frozen, validated specs: what a form describes, before anything is built.

A spec is an immutable value (like a pyca/cryptography builder's state): every
edit of a form makes a new one, and a spec that exists is a spec that obeys
the rules below, so ``build`` never has to second-guess it.  The defaults
reproduce the two flows of the pyca/cryptography X.509 tutorial exactly:

* :class:`CsrSpec` ``()`` -> RSA 2048, SHA-256, subject
  ``C=US, ST=CA, L=San Francisco, O=My Company, CN=mysite.com`` and the SANs
  ``mysite.com, www.mysite.com, subdomain.mysite.com``;
* :class:`CertificateSpec` ``()`` -> the same key and subject, SAN
  ``localhost``, valid for 10 days, random serial, self-signed.

Every broken rule raises :class:`~certlab.errors.InvalidSpec` listing *all* the
problems found, each a :class:`~certlab.errors.SpecError` whose ``field`` is the
form field name of ``docs/ARCHITECTURE.md`` (``"country"``, ``"sans[1]"`` ...).

Hash and key type: Ed25519, Ed448 and ML-DSA sign the message itself (RFC 8032,
FIPS 204), so they take no separate hash.  A spec for such a key keeps its
``hash`` field (so that switching the key type back in a form does not lose the
choice) but ``build`` passes ``None`` to cryptography; see :func:`signing_hash`.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, TypeVar

import idna
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from .errors import InvalidSpec, SpecError

__all__ = [
    "KEY_ALGORITHMS",
    "RSA_SIZES",
    "CURVES",
    "ML_DSA_VARIANTS",
    "HASHES",
    "KEY_USAGES",
    "EXTENDED_KEY_USAGES",
    "MAX_VALIDITY_DAYS",
    "SUBJECT_ATTRIBUTES",
    "SubjectAttribute",
    "KeySpec",
    "Subject",
    "CsrSpec",
    "CertificateSpec",
    "normalize_san",
    "san_names",
    "eku_oids",
    "signing_hash",
    "spec_from_form",
    "spec_to_form",
]


# --------------------------------------------------------------------------
# What the installed cryptography can do (certlab supports cryptography >= 42)
# --------------------------------------------------------------------------


def _has_ml_dsa() -> bool:
    """ML-DSA (FIPS 204) keys *and* X.509 signing with them, or False."""
    try:
        from cryptography.hazmat.primitives.asymmetric import mldsa  # noqa: F401
    except ImportError:  # cryptography < 47 has no ML-DSA at all
        return False
    return all(hasattr(mldsa, f"MLDSA{n}PrivateKey") for n in ("44", "65", "87"))


KEY_ALGORITHMS: tuple[str, ...] = ("rsa", "ec", "ed25519", "ed448") + (
    ("ml-dsa",) if _has_ml_dsa() else ()
)
RSA_SIZES: tuple[int, ...] = (2048, 3072, 4096)
CURVES: tuple[str, ...] = ("P-256", "P-384", "P-521")
ML_DSA_VARIANTS: tuple[str, ...] = ("ML-DSA-44", "ML-DSA-65", "ML-DSA-87")
HASHES: tuple[str, ...] = ("sha256", "sha384", "sha512")
#: Key types whose signature scheme hashes internally (no separate hash).
_HASHLESS = frozenset({"ed25519", "ed448", "ml-dsa"})

# Hashes we refuse to sign with, and why: a learner typing "sha1" gets a lesson.
_REFUSED_HASHES: dict[str, str] = {
    "sha1": (
        "SHA-1 is refused: chosen-prefix collisions are practical (SHAttered 2017, "
        "Shambles 2020) and browsers reject SHA-1 certificates; use sha256"
    ),
    "md5": (
        "MD5 is refused: forged certificates with MD5 collisions were shown in 2008 "
        "(a rogue CA) and the Flame malware in 2012; use sha256"
    ),
}

#: KeyUsage bits, named as cryptography's ``x509.KeyUsage`` arguments (RFC 5280 4.2.1.3).
KEY_USAGES: tuple[str, ...] = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)

#: ExtendedKeyUsage purposes by their RFC 5280 4.2.1.12 short names.
EXTENDED_KEY_USAGES: dict[str, ObjectIdentifier] = {
    "serverAuth": ExtendedKeyUsageOID.SERVER_AUTH,
    "clientAuth": ExtendedKeyUsageOID.CLIENT_AUTH,
    "codeSigning": ExtendedKeyUsageOID.CODE_SIGNING,
    "emailProtection": ExtendedKeyUsageOID.EMAIL_PROTECTION,
    "timeStamping": ExtendedKeyUsageOID.TIME_STAMPING,
    "OCSPSigning": ExtendedKeyUsageOID.OCSP_SIGNING,
}

MIN_VALIDITY_DAYS = 1
MAX_VALIDITY_DAYS = 3650  # ten years: enough for a teaching root, small enough to catch typos



@dataclass(frozen=True)
class SubjectAttribute:
    """Everything certlab knows about one subject attribute of the forms.

    The one table (:data:`SUBJECT_ATTRIBUTES`) the spec rules, ``build``, the
    code generator and the subject form all read, so a new attribute or a
    changed bound is one line.
    """

    #: form field name (``docs/ARCHITECTURE.md``) and ``Subject`` attribute
    field: str
    #: the member of cryptography's ``NameOID`` (the generated code spells it)
    oid_constant: str
    #: the short name openssl's ``-subj`` and RFC 4514 strings use
    short_name: str
    #: the RFC 5280 Appendix A.1 upper bound, in characters, and its ``ub-*`` name
    upper_bound: int
    bound_name: str
    #: what the form shows next to the text box
    label: str
    hint: str = ""

    @property
    def oid(self) -> ObjectIdentifier:
        """The attribute type's OID (``NameOID.<oid_constant>``)."""
        oid: ObjectIdentifier = getattr(NameOID, self.oid_constant)
        return oid


#: The subject attributes in the tutorial's order (C, ST, L, O, OU, CN, emailAddress).
SUBJECT_ATTRIBUTES: tuple[SubjectAttribute, ...] = (
    SubjectAttribute("country", "COUNTRY_NAME", "C", 2, "ub-country-name-alpha-length",
                     "Country (C)", "two letters, ISO 3166 (US, DE, JP)"),
    SubjectAttribute("state", "STATE_OR_PROVINCE_NAME", "ST", 128, "ub-state-name",
                     "State (ST)", "state or province, spelt out"),
    SubjectAttribute("locality", "LOCALITY_NAME", "L", 128, "ub-locality-name",
                     "Locality (L)", "city"),
    SubjectAttribute("organization", "ORGANIZATION_NAME", "O", 64, "ub-organization-name",
                     "Organization (O)"),
    SubjectAttribute("organizational_unit", "ORGANIZATIONAL_UNIT_NAME", "OU", 64, "ub-organizational-unit-name",
                     "Org. unit (OU)", "optional; CAs no longer include it (CA/B BR 7.1.4.2)"),
    SubjectAttribute("common_name", "COMMON_NAME", "CN", 64, "ub-common-name",
                     "Common name (CN)", "up to 64 characters; browsers read the SANs, not the CN"),
    # RFC 5280 4.1.2.6: legacy in subjects; new certificates put it in an rfc822Name SAN
    SubjectAttribute("email", "EMAIL_ADDRESS", "emailAddress", 255, "ub-emailaddress-length",
                     "Email", "optional; deprecated in subjects (RFC 5280 §4.1.2.6: use a SAN)"),
)

_SERIAL_LIMIT = 1 << 159  # 20 octets as a positive DER INTEGER (RFC 5280 4.1.2.2)
_EARLIEST = datetime(1950, 1, 1, tzinfo=timezone.utc)  # UTCTime's first year (RFC 5280 4.1.2.5.1)
_LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)  # GeneralizedTime's last second


# --------------------------------------------------------------------------
# The specs
# --------------------------------------------------------------------------


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
    ``emailAddress`` attribute (RFC 5280 4.1.2.6 prefers an rfc822Name SAN).
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


_Spec = TypeVar("_Spec", CsrSpec, CertificateSpec)


# --------------------------------------------------------------------------
# SAN strings -> GeneralName: the one normaliser
# --------------------------------------------------------------------------

_PREFIXES: dict[str, str] = {
    "dns": "dns",
    "ip": "ip",
    "ip address": "ip",
    "email": "email",
    "uri": "uri",
}
_LDH_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_LOOKS_IPV4 = re.compile(r"^[0-9]+(?:\.[0-9]+)+$")
_LOOKS_IPV6 = re.compile(r"^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$")
_EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")


def normalize_san(text: str, *, field: str = "sans") -> x509.GeneralName:
    """Turn one loose SAN string into the right ``x509.GeneralName``.

    Accepted forms (surrounding whitespace is stripped):

    * DNS names: ``example.org``, wildcards ``*.example.org`` (the whole
      left-most label only), internationalised names ``bücher.example``
      (converted to their A-label ``xn--bcher-kva.example`` with IDNA 2008,
      RFC 5280 7.2 / RFC 5891);
    * IP addresses, IPv4 ``192.0.2.1`` or IPv6 ``2001:db8::1`` -> ``IPAddress``;
    * e-mail addresses ``user@example.org`` -> ``RFC822Name`` (RFC 5280 4.2.1.6);
    * URIs with an authority ``https://example.org/path`` (any ``scheme://``)
      -> ``UniformResourceIdentifier``;
    * the same with openssl-style prefixes ``DNS:``, ``IP:``, ``email:``, ``URI:``
      (case-insensitive), which force the type.

    Raises :class:`SpecError` (``field`` as given) for anything else: empty
    rows, spaces inside a name, ``999.1.1.1`` (looks like IPv4 but is not),
    labels over 63 or names over 253 octets, misplaced wildcards, leading or
    trailing dots and hyphens, non-ASCII URIs.
    """
    if not isinstance(text, str):
        raise SpecError(field, "must be text", text)
    value = text.strip()
    if not value:
        raise SpecError(field, "must not be empty", text)
    forced: str | None = None
    head, sep, rest = value.partition(":")
    if sep and head.strip().lower() in _PREFIXES and not rest.startswith("//"):
        forced = _PREFIXES[head.strip().lower()]
        value = rest.strip()
        if not value:
            raise SpecError(field, f"nothing after the '{head}:' prefix", text)
    kind = forced or _guess_san_kind(value)
    return _SAN_PARSERS[kind](value, field)


def _guess_san_kind(value: str) -> str:
    if "://" in value:
        return "uri"
    if "@" in value:
        return "email"
    if _LOOKS_IPV4.match(value) or (_LOOKS_IPV6.match(value) and value.count(":") >= 2):
        return "ip"
    return "dns"


def _san_ip(value: str, field: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(value))
    except ValueError:
        family = "IPv4" if _LOOKS_IPV4.match(value) else "IPv6" if ":" in value else "IP"
        raise SpecError(field, f"looks like an {family} address but is not a valid one", value) from None


def _san_email(value: str, field: str) -> x509.GeneralName:
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise SpecError(field, "an e-mail address needs the form user@domain", value)
    if not _EMAIL_LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        # RFC 5280 4.2.1.6: rfc822Name is an IA5String Mailbox (RFC 5321 4.1.2)
        raise SpecError(
            field,
            "the part before '@' may only hold ASCII letters, digits and !#$%&'*+/=?^_`{|}~.- "
            "(RFC 5280 4.2.1.6, RFC 5321 Mailbox)",
            value,
        )
    return x509.RFC822Name(f"{local}@{_dns_name(domain, field, wildcard=False)}")


def _san_uri(value: str, field: str) -> x509.GeneralName:
    if any(ch.isspace() for ch in value):
        raise SpecError(field, "a URI must not contain spaces (percent-encode them as %20)", value)
    if not value.isascii():
        raise SpecError(
            field, "a URI must be ASCII: percent-encode the path and use the A-label (xn--) host", value
        )
    parts = urllib.parse.urlsplit(value)
    if not parts.scheme or not parts.hostname:
        # RFC 5280 4.2.1.6: a URI with an authority must include the host
        raise SpecError(field, "a URI needs a scheme and a host, like https://example.org/ (RFC 5280 4.2.1.6)", value)
    return x509.UniformResourceIdentifier(value)


def _san_dns(value: str, field: str) -> x509.GeneralName:
    return x509.DNSName(_dns_name(value, field, wildcard=True))


_SAN_PARSERS = {"dns": _san_dns, "ip": _san_ip, "email": _san_email, "uri": _san_uri}


def _dns_name(value: str, field: str, *, wildcard: bool) -> str:
    """Check a host name and return it in ASCII (A-labels); see RFC 1034 3.5, RFC 5890."""
    if any(ch.isspace() for ch in value):
        raise SpecError(field, "a DNS name must not contain spaces", value)
    if value.startswith(".") or value.endswith("."):
        raise SpecError(field, "a DNS name must not start or end with a dot (RFC 5280 4.2.1.6)", value)
    labels = value.split(".")
    if "" in labels:
        raise SpecError(field, "a DNS name must not contain empty labels ('..')", value)
    prefix = ""
    if "*" in value:
        if not wildcard or labels[0] != "*" or "*" in ".".join(labels[1:]):
            raise SpecError(field, "a wildcard must be the whole left-most label, as in *.example.org", value)
        if len(labels) < 3:
            raise SpecError(field, "a wildcard needs at least two labels after it, as in *.example.org", value)
        prefix, labels = "*.", labels[1:]
    ascii_labels = []
    for label in labels:
        if label.isascii():
            if len(label) > 63:
                raise SpecError(field, f"label {label[:20]!r}... is {len(label)} characters; at most 63 allowed (RFC 1034 3.1)", value)
            if not _LDH_LABEL.match(label):
                raise SpecError(
                    field,
                    "each label may hold only letters, digits and inner hyphens, "
                    f"and must not start or end with a hyphen (RFC 1034 3.5); label {label!r} does not",
                    value,
                )
            ascii_labels.append(label)
        else:
            try:
                a_label = idna.encode(label, uts46=True).decode("ascii")
            except idna.IDNAError as exc:
                raise SpecError(field, f"label {label!r} is not a valid internationalised name (IDNA 2008: {exc})", value) from None
            if len(a_label) > 63:
                raise SpecError(field, f"label {label!r} becomes {a_label!r}, over 63 characters (RFC 1034 3.1)", value)
            ascii_labels.append(a_label)
    name = prefix + ".".join(ascii_labels)
    if len(name) > 253:
        raise SpecError(field, f"a DNS name may be at most 253 characters, this one is {len(name)} (RFC 1034 3.1)", value)
    return name


def san_names(spec: CsrSpec | CertificateSpec) -> list[x509.GeneralName]:
    """The spec's SAN strings as ``GeneralName`` values, in order."""
    return [normalize_san(text, field=f"sans[{i}]") for i, text in enumerate(spec.sans)]


def eku_oids(spec: CsrSpec | CertificateSpec) -> list[ObjectIdentifier]:
    """The spec's extended key usages as OIDs (names looked up, dotted OIDs parsed)."""
    return [EXTENDED_KEY_USAGES.get(name) or ObjectIdentifier(name) for name in spec.extended_key_usage]


def signing_hash(spec: CsrSpec | CertificateSpec) -> str | None:
    """The hash name ``build`` signs with: ``None`` for Ed25519/Ed448/ML-DSA (they hash internally)."""
    return None if spec.key.algorithm in _HASHLESS else spec.hash


# --------------------------------------------------------------------------
# Rules: each returns a list of SpecError (empty = fine), so all can be collected
# --------------------------------------------------------------------------


def _raise_if(problems: list[SpecError]) -> None:
    if problems:
        raise InvalidSpec(problems)


def _one_of(values: Iterable[object]) -> str:
    words = [str(v) for v in values]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _key_problems(key: KeySpec) -> list[SpecError]:
    if not isinstance(key.algorithm, str) or key.algorithm not in KEY_ALGORITHMS:
        hint = ""
        if key.algorithm == "ml-dsa":
            hint = " (ML-DSA needs a newer cryptography than the one installed)"
        return [SpecError("key_algorithm", f"must be one of {_one_of(KEY_ALGORITHMS)}{hint}", key.algorithm)]
    if key.algorithm == "rsa" and key.size not in RSA_SIZES:
        why = " (shorter RSA keys can be factored or are refused by CAs)" if isinstance(key.size, int) and key.size < 2048 else ""
        return [SpecError("key_size", f"RSA keys must be {_one_of(RSA_SIZES)} bits{why}", key.size)]
    if key.algorithm == "ec" and key.curve not in CURVES:
        return [SpecError("curve", f"must be one of {_one_of(CURVES)} (the NIST curves of RFC 5480)", key.curve)]
    if key.algorithm == "ml-dsa" and key.variant not in ML_DSA_VARIANTS:
        return [SpecError("variant", f"must be one of {_one_of(ML_DSA_VARIANTS)} (FIPS 204)", key.variant)]
    return []


def _subject_problems(subject: Subject) -> list[SpecError]:
    problems: list[SpecError] = []
    for attr in SUBJECT_ATTRIBUTES:
        name, bound = attr.field, attr.upper_bound
        value = getattr(subject, name)
        if not isinstance(value, str):
            problems.append(SpecError(name, "must be text", value))
            continue
        if not value:
            continue
        if value.strip() == "":
            problems.append(SpecError(name, "must not be only spaces (leave it empty to omit it)", value))
        elif any(unicodedata.category(ch) == "Cc" for ch in value):
            problems.append(SpecError(name, "must not contain control characters such as newlines or tabs", value))
        elif name == "country":
            if not re.fullmatch(r"[A-Z]{2}", value):
                problems.append(SpecError(name, "must be a two-letter ISO 3166 code", value))
        elif len(value) > bound:
            problems.append(
                SpecError(name, f"must be at most {bound} characters ({attr.bound_name}, RFC 5280 Appendix A.1)", value)
            )
        elif name == "email":
            try:
                _san_email(value, name)
            except SpecError as exc:
                problems.append(exc)
    return problems


def _common_problems(spec: CsrSpec | CertificateSpec) -> list[SpecError]:
    """Rules shared by CSR and certificate specs."""
    problems: list[SpecError] = []
    problems += _subject_problems(spec.subject)
    problems += _key_problems(spec.key)
    seen: dict[x509.GeneralName, int] = {}
    for i, text in enumerate(spec.sans):
        try:
            name = normalize_san(text, field=f"sans[{i}]")
        except SpecError as exc:
            problems.append(exc)
            continue
        key = x509.DNSName(name.value.lower()) if isinstance(name, x509.DNSName) else name
        if key in seen:
            problems.append(SpecError(f"sans[{i}]", f"duplicates sans[{seen[key]}]", text))
        else:
            seen[key] = i
    if not spec.sans and isinstance(spec.subject.common_name, str) and not spec.subject.common_name:
        problems.append(
            SpecError(
                "common_name",
                "give a common_name or at least one SAN: a certificate must name its subject (RFC 5280 4.2.1.6)",
                "",
            )
        )
    if spec.hash in _REFUSED_HASHES:
        problems.append(SpecError("hash", _REFUSED_HASHES[spec.hash], spec.hash))
    elif spec.hash not in HASHES:
        problems.append(SpecError("hash", f"must be one of {_one_of(HASHES)}", spec.hash))
    if spec.ca not in (None, True, False):
        problems.append(SpecError("ca", "must be True, False or None (no BasicConstraints)", spec.ca))
    if spec.path_length is not None:
        if isinstance(spec.path_length, bool) or not isinstance(spec.path_length, int) or spec.path_length < 0:
            problems.append(SpecError("path_length", "must be a whole number >= 0", spec.path_length))
        elif spec.ca is not True:
            problems.append(
                SpecError("path_length", "may only be set when ca is True (RFC 5280 4.2.1.9)", spec.path_length)
            )
    unknown = sorted(str(u) for u in spec.key_usage if u not in KEY_USAGES)
    if unknown:
        problems.append(SpecError("key_usage", f"unknown key usage; known ones are {_one_of(KEY_USAGES)}", unknown[0]))
    if "key_cert_sign" in spec.key_usage and spec.ca is not True:
        problems.append(
            SpecError(
                "key_usage",
                "key_cert_sign requires ca=True: only a CA certificate may sign certificates (RFC 5280 4.2.1.9)",
                "key_cert_sign",
            )
        )
    for only in ("encipher_only", "decipher_only"):
        if only in spec.key_usage and "key_agreement" not in spec.key_usage:
            problems.append(
                SpecError("key_usage", f"{only} only has a meaning together with key_agreement (RFC 5280 4.2.1.3)", only)
            )
    problems += _eku_problems(spec.extended_key_usage)
    return problems


_DOTTED_OID = re.compile(r"^[0-2](?:\.(?:0|[1-9][0-9]*))+$")


def _eku_problems(ekus: tuple[str, ...]) -> list[SpecError]:
    problems: list[SpecError] = []
    seen: set[str] = set()
    for eku in ekus:
        if not isinstance(eku, str) or (eku not in EXTENDED_KEY_USAGES and not _valid_dotted_oid(eku)):
            problems.append(
                SpecError(
                    "extended_key_usage",
                    f"must be one of {_one_of(EXTENDED_KEY_USAGES)} or a dotted OID like 1.3.6.1.5.5.7.3.1",
                    eku,
                )
            )
            continue
        dotted = EXTENDED_KEY_USAGES[eku].dotted_string if eku in EXTENDED_KEY_USAGES else eku
        if dotted in seen:
            problems.append(SpecError("extended_key_usage", "is listed twice", eku))
        seen.add(dotted)
    return problems


def _valid_dotted_oid(text: str) -> bool:
    if not _DOTTED_OID.match(text):
        return False
    arcs = [int(a) for a in text.split(".")]
    # X.660: under arcs 0 and 1 the second arc is at most 39 (it shares an octet with the first)
    return arcs[0] == 2 or arcs[1] <= 39


def _certificate_problems(spec: CertificateSpec) -> list[SpecError]:
    problems: list[SpecError] = []
    days = spec.validity_days
    if isinstance(days, bool) or not isinstance(days, int) or not MIN_VALIDITY_DAYS <= days <= MAX_VALIDITY_DAYS:
        problems.append(
            SpecError("validity_days", f"must be a whole number of days from {MIN_VALIDITY_DAYS} to {MAX_VALIDITY_DAYS}", days)
        )
    dates_ok = True
    for name in ("not_before", "not_after"):
        value = getattr(spec, name)
        if value is None:
            continue
        if not isinstance(value, datetime):
            problems.append(SpecError(name, "must be a date and time", value))
            dates_ok = False
        elif value.tzinfo is None or value.utcoffset() is None:
            problems.append(
                SpecError(name, "must carry a time zone (naive times are ambiguous; certificates use UTC, RFC 5280 4.1.2.5)", value.isoformat())
            )
            dates_ok = False
        elif value < _EARLIEST:
            problems.append(SpecError(name, "must be in 1950 or later (RFC 5280 4.1.2.5)", value.isoformat()))
            dates_ok = False
    if dates_ok and spec.not_before is not None and spec.not_after is None and isinstance(days, int) \
            and spec.not_before > _LATEST - timedelta(days=min(max(days, 0), MAX_VALIDITY_DAYS)):
        # the end date is not_before + validity_days: past year 9999 it cannot be written
        # (GeneralizedTime has four year digits, RFC 5280 4.1.2.5.2), nor held by datetime
        problems.append(SpecError(
            "not_before", f"plus {days} days passes 9999-12-31T23:59:59Z, the last time a certificate can "
            "hold (RFC 5280 4.1.2.5.2); choose an earlier date or set not_after", spec.not_before.isoformat()))
    if dates_ok and spec.not_before is not None and spec.not_after is not None and spec.not_after <= spec.not_before:
        problems.append(
            SpecError("not_after", f"must be after not_before ({spec.not_before.isoformat()})", spec.not_after.isoformat())
        )
    if spec.serial is not None:
        if isinstance(spec.serial, bool) or not isinstance(spec.serial, int) or spec.serial < 1:
            problems.append(SpecError("serial", "must be a positive whole number (RFC 5280 4.1.2.2)", spec.serial))
        elif spec.serial >= _SERIAL_LIMIT:
            problems.append(
                SpecError("serial", "must fit in 20 octets, i.e. be below 2**159 (RFC 5280 4.1.2.2)", spec.serial)
            )
    for name in ("subject_key_identifier", "authority_key_identifier"):
        if not isinstance(getattr(spec, name), bool):
            problems.append(SpecError(name, "must be True or False", getattr(spec, name)))
    return problems


def _freeze_collections(spec: CsrSpec | CertificateSpec) -> None:
    """Let callers pass lists/sets; store tuples/frozensets so the spec is hashable and frozen."""
    if not isinstance(spec.sans, tuple):
        object.__setattr__(spec, "sans", tuple(spec.sans) if not isinstance(spec.sans, str) else (spec.sans,))
    if not isinstance(spec.key_usage, frozenset):
        ku = spec.key_usage
        object.__setattr__(spec, "key_usage", frozenset((ku,) if isinstance(ku, str) else ku))
    if not isinstance(spec.extended_key_usage, tuple):
        eku = spec.extended_key_usage
        object.__setattr__(spec, "extended_key_usage", (eku,) if isinstance(eku, str) else tuple(eku))


# --------------------------------------------------------------------------
# Forms <-> specs
# --------------------------------------------------------------------------

_MODES: dict[str, type[CsrSpec] | type[CertificateSpec]] = {
    "csr": CsrSpec,
    "self-signed": CertificateSpec,
    "ca-signed": CertificateSpec,
}
_TRUE = {"true", "yes", "1", "on", "ca"}
_FALSE = {"false", "no", "0", "off"}
_NONE = {"", "none", "absent"}


def spec_from_form(mode: str, values: Mapping[str, object]) -> CsrSpec | CertificateSpec:
    """Build a spec from a form's values, collecting *every* broken rule.

    ``mode`` is ``"csr"`` (-> :class:`CsrSpec`), ``"self-signed"`` or
    ``"ca-signed"`` (-> :class:`CertificateSpec`).  ``values`` is keyed by the
    form field names of ``docs/ARCHITECTURE.md`` (plus ``variant`` for ML-DSA);
    missing keys take the spec's defaults and keys a mode does not use (like
    ``passphrase``) are ignored.  Loose input is accepted:

    * numbers as ``int`` or numeric strings (``serial`` also as ``0x``-hex);
    * dates as ``date``, ``datetime`` or ISO 8601 strings; naive ones are UTC;
    * ``sans`` as a sequence of rows (``""`` rows are skipped, a row of only
      spaces is an error on ``sans[i]``) or one string split on commas/newlines;
    * ``key_usage`` / ``extended_key_usage`` as sequences of names (or one
      comma-separated string);
    * text fields are stripped of surrounding whitespace.

    Raises :class:`InvalidSpec` whose ``errors`` hold one :class:`SpecError`
    per problem, each naming its field.
    """
    if mode not in _MODES:
        raise SpecError("mode", f"must be one of {_one_of(_MODES)}", mode)
    cls = _MODES[mode]
    defaults = cls()
    problems: list[SpecError] = []
    parsed: dict[str, Any] = {}

    def take(name: str, convert: Any) -> None:
        if name in values:
            try:
                parsed[name] = convert(values[name], name)
            except SpecError as exc:
                problems.append(exc)

    subject_kw: dict[str, Any] = {}
    for name in (attr.field for attr in SUBJECT_ATTRIBUTES):
        if name in values:
            raw = values[name]
            subject_kw[name] = "" if raw is None else raw.strip() if isinstance(raw, str) else raw
    key_kw: dict[str, Any] = {}
    for form_name, attr, convert in (
        ("key_algorithm", "algorithm", _as_text),
        ("key_size", "size", _as_int),
        ("curve", "curve", _as_text),
        ("variant", "variant", _as_text),
    ):
        if form_name in values:
            try:
                key_kw[attr] = convert(values[form_name], form_name)
            except SpecError as exc:
                problems.append(exc)
    if isinstance(key_kw.get("algorithm"), str):
        key_kw["algorithm"] = key_kw["algorithm"].lower()
    take("sans", _as_sans)
    take("hash", lambda v, n: _as_text(v, n).lower())
    take("ca", _as_tristate)
    take("path_length", _as_optional_int)
    take("key_usage", lambda v, n: frozenset(_as_names(v, n)))
    take("extended_key_usage", lambda v, n: tuple(_as_names(v, n)))
    if cls is CertificateSpec:
        take("validity_days", _as_int)
        take("not_before", _as_datetime)
        take("not_after", _as_datetime)
        take("serial", _as_optional_int)
        take("subject_key_identifier", _as_bool)
        take("authority_key_identifier", _as_bool)

    subject = _unchecked(Subject, defaults.subject, subject_kw)
    key = _unchecked(KeySpec, defaults.key, key_kw)
    spec = _unchecked(cls, defaults, {**parsed, "subject": subject, "key": key})
    _freeze_collections(spec)
    # the field-parse problems first, then every rule over the values that did parse
    problems += _common_problems(spec)
    if isinstance(spec, CertificateSpec):
        problems += _certificate_problems(spec)
    problems = [_to_form_row(p, values.get("sans")) for p in _dedupe(problems)]
    if problems:
        raise InvalidSpec(_in_form_order(problems))
    return dataclasses.replace(spec)  # a real, validated instance


def spec_to_form(spec: KeySpec | CsrSpec | CertificateSpec) -> dict[str, object]:
    """The form values that :func:`spec_from_form` turns back into ``spec``.

    Lists for multi-valued fields (``sans``, ``key_usage`` in ``KEY_USAGES``
    order, ``extended_key_usage``), ``None`` for absent optional values.
    """
    key = spec if isinstance(spec, KeySpec) else spec.key
    out: dict[str, object] = {
        "key_algorithm": key.algorithm,
        "key_size": key.size,
        "curve": key.curve,
        "variant": key.variant,
    }
    if isinstance(spec, KeySpec):
        return out
    for name in (attr.field for attr in SUBJECT_ATTRIBUTES):
        out[name] = getattr(spec.subject, name)
    out.update(
        sans=list(spec.sans),
        hash=spec.hash,
        ca=spec.ca,
        path_length=spec.path_length,
        key_usage=[u for u in KEY_USAGES if u in spec.key_usage],
        extended_key_usage=list(spec.extended_key_usage),
    )
    if isinstance(spec, CertificateSpec):
        out.update(
            validity_days=spec.validity_days,
            not_before=spec.not_before,
            not_after=spec.not_after,
            serial=spec.serial,
            subject_key_identifier=spec.subject_key_identifier,
            authority_key_identifier=spec.authority_key_identifier,
        )
    return out


_T = TypeVar("_T")


def _unchecked(cls: type[_T], base: _T, changes: Mapping[str, Any]) -> _T:
    """A copy of ``base`` with ``changes`` and *no* validation, so every rule can be collected."""
    obj = object.__new__(cls)
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        object.__setattr__(obj, f.name, changes.get(f.name, getattr(base, f.name)))
    return obj


_FORM_ORDER = (
    "mode key_algorithm key_size curve variant country state locality organization organizational_unit "
    "common_name email sans validity_days not_before not_after serial hash ca path_length key_usage "
    "extended_key_usage subject_key_identifier authority_key_identifier"
).split()


def _in_form_order(problems: list[SpecError]) -> list[SpecError]:
    def rank(err: SpecError) -> tuple[int, int]:
        base, _, index = (err.field or "").partition("[")
        pos = _FORM_ORDER.index(base) if base in _FORM_ORDER else len(_FORM_ORDER)
        return pos, int(index.rstrip("]") or 0) if index.rstrip("]").isdigit() else 0

    return sorted(problems, key=rank)


def _to_form_row(problem: SpecError, rows: object) -> SpecError:
    """Map ``sans[k]`` (k-th kept row) back to the form's row index (empty rows were skipped)."""
    match = re.fullmatch(r"sans\[(\d+)\]", problem.field or "")
    if not match or isinstance(rows, str) or not isinstance(rows, Iterable):
        return problem
    kept = [i for i, row in enumerate(rows) if row != ""]
    k = int(match.group(1))
    if k >= len(kept) or kept[k] == k:
        return problem
    rule = re.sub(r"sans\[(\d+)\]", lambda m: f"sans[{kept[int(m.group(1))]}]", problem.rule)
    return SpecError(f"sans[{kept[k]}]", rule, problem.value)


def _dedupe(problems: list[SpecError]) -> list[SpecError]:
    seen: set[tuple[str | None, str]] = set()
    out = []
    for p in problems:
        if (p.field, p.rule) not in seen:
            seen.add((p.field, p.rule))
            out.append(p)
    return out


def _as_text(value: object, name: str) -> str:
    if isinstance(value, str):
        return value.strip()
    raise SpecError(name, "must be text", value)


def _as_int(value: object, name: str) -> int:
    if isinstance(value, bool):
        raise SpecError(name, "must be a whole number", value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        try:
            return int(text, 16) if text.lower().startswith("0x") else int(text)
        except ValueError:
            pass
    raise SpecError(name, "must be a whole number", value)


def _as_optional_int(value: object, name: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _as_int(value, name)


def _as_bool(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise SpecError(name, "must be True or False", value)


def _as_tristate(value: object, name: str) -> bool | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in _NONE):
        return None
    return _as_bool(value, name)


def _as_datetime(value: object, name: str) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0, 0))
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):  # Python < 3.11 fromisoformat does not read "Z"
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise SpecError(name, "must be an ISO 8601 date such as 2026-01-31 or 2026-01-31T12:00:00Z", value) from None
    else:
        raise SpecError(name, "must be a date", value)
    # naive input from a form means UTC: certificates store UTC (RFC 5280 4.1.2.5)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _as_names(value: object, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[,\n]", value) if part.strip()]
    if isinstance(value, Iterable):
        out = []
        for item in value:
            if not isinstance(item, str):
                raise SpecError(name, "must be a list of names", item)
            if item.strip():
                out.append(item.strip())
        return out
    raise SpecError(name, "must be a list of names", value)


def _as_sans(value: object, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in re.split(r"[,\n]", value) if part.strip())
    if isinstance(value, Sequence) or isinstance(value, Iterable):
        rows: list[str] = []
        for item in value:
            if not isinstance(item, str):
                raise SpecError(name, "must be a list of text rows", item)
            if item == "":
                continue  # an empty row in a form is no SAN
            rows.append(item)  # a row of only spaces stays, and fails as sans[i]
        return tuple(r.strip() if r.strip() else r for r in rows)
    raise SpecError(name, "must be text or a list of rows", value)
