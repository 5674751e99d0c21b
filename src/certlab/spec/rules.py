"""The spec rules: each returns a list of ``SpecError`` (empty = fine), so all can be collected."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from cryptography import x509

from ..clock import aware_or_error
from ..errors import InvalidSpec, SpecError
from .choices import (
    CURVES,
    EXTENDED_KEY_USAGES,
    HASHES,
    KEY_ALGORITHMS,
    KEY_USAGES,
    MAX_VALIDITY_DAYS,
    MIN_VALIDITY_DAYS,
    ML_DSA_VARIANTS,
    RSA_SIZES,
    SUBJECT_ATTRIBUTES,
)
from .san import _san_email, normalize_san

if TYPE_CHECKING:
    from .model import CertificateSpec, CsrSpec, KeySpec, Subject

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


_SERIAL_LIMIT = 1 << 159  # 20 octets as a positive DER INTEGER (RFC 5280 §4.1.2.2)
_EARLIEST = datetime(1950, 1, 1, tzinfo=timezone.utc)  # UTCTime's first year (RFC 5280 §4.1.2.5.1)
_LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)  # GeneralizedTime's last second


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
                "give a common_name or at least one SAN: a certificate must name its subject (RFC 5280 §4.2.1.6)",
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
                SpecError("path_length", "may only be set when ca is True (RFC 5280 §4.2.1.9)", spec.path_length)
            )
    unknown = sorted(str(u) for u in spec.key_usage if u not in KEY_USAGES)
    if unknown:
        problems.append(SpecError("key_usage", f"unknown key usage; known ones are {_one_of(KEY_USAGES)}", unknown[0]))
    if "key_cert_sign" in spec.key_usage and spec.ca is not True:
        problems.append(
            SpecError(
                "key_usage",
                "key_cert_sign requires ca=True: only a CA certificate may sign certificates (RFC 5280 §4.2.1.9)",
                "key_cert_sign",
            )
        )
    for only in ("encipher_only", "decipher_only"):
        if only in spec.key_usage and "key_agreement" not in spec.key_usage:
            problems.append(
                SpecError("key_usage", f"{only} only has a meaning together with key_agreement (RFC 5280 §4.2.1.3)", only)
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
        elif (naive := aware_or_error(value, name, "; certificates use UTC, RFC 5280 §4.1.2.5")) is not None:
            problems.append(naive)
            dates_ok = False
        elif value < _EARLIEST:
            problems.append(SpecError(name, "must be in 1950 or later (RFC 5280 §4.1.2.5)", value.isoformat()))
            dates_ok = False
    if dates_ok and spec.not_before is not None and spec.not_after is None and isinstance(days, int) \
            and spec.not_before > _LATEST - timedelta(days=min(max(days, 0), MAX_VALIDITY_DAYS)):
        # the end date is not_before + validity_days: past year 9999 it cannot be written
        # (GeneralizedTime has four year digits, RFC 5280 §4.1.2.5.2), nor held by datetime
        problems.append(SpecError(
            "not_before", f"plus {days} days passes 9999-12-31T23:59:59Z, the last time a certificate can "
            "hold (RFC 5280 §4.1.2.5.2); choose an earlier date or set not_after", spec.not_before.isoformat()))
    if dates_ok and spec.not_before is not None and spec.not_after is not None and spec.not_after <= spec.not_before:
        problems.append(
            SpecError("not_after", f"must be after not_before ({spec.not_before.isoformat()})", spec.not_after.isoformat())
        )
    if spec.serial is not None:
        if isinstance(spec.serial, bool) or not isinstance(spec.serial, int) or spec.serial < 1:
            problems.append(SpecError("serial", "must be a positive whole number (RFC 5280 §4.1.2.2)", spec.serial))
        elif spec.serial >= _SERIAL_LIMIT:
            problems.append(
                SpecError("serial", "must fit in 20 octets, i.e. be below 2**159 (RFC 5280 §4.1.2.2)", spec.serial)
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
