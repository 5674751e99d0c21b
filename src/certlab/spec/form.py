"""Forms <-> specs: loose form values in, a validated spec out, and back."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any, TypeVar

from ..clock import as_utc
from ..errors import InvalidSpec, SpecError
from .choices import KEY_USAGES, SUBJECT_ATTRIBUTES
from .model import CertificateSpec, CsrSpec, KeySpec, Subject
from .rules import _certificate_problems, _common_problems, _freeze_collections, _one_of

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
    # naive input from a form means UTC: certificates store UTC (RFC 5280 §4.1.2.5)
    return as_utc(moment)


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
