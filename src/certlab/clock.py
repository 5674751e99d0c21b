"""Time zones, one rule each: naive datetimes from a form, a lookup or cryptography mean UTC;
a spec or a build refuses them.

Certificates store UTC (RFC 5280 §4.1.2.5).  Where a moment only *judges*
(``find(at=...)``, ``verify_chain(at=...)``) or comes from loose input (a form,
cryptography's naive accessors), :func:`as_utc` reads a naive one as UTC.
Where a moment is *written into* a certificate (a spec's ``not_before``,
``build``'s ``now``), :func:`aware_or_error` says that a naive time is
ambiguous instead of guessing.
"""

from __future__ import annotations

from datetime import datetime, timezone

from .errors import SpecError

__all__ = ["as_utc", "aware_or_error", "now_utc"]


def now_utc() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(timezone.utc)


def as_utc(moment: datetime | None) -> datetime:
    """``moment`` with a time zone (a naive one is UTC); the current time for None."""
    if moment is None:
        return now_utc()
    return moment if moment.tzinfo is not None and moment.utcoffset() is not None else moment.replace(tzinfo=timezone.utc)


def aware_or_error(moment: datetime, field: str, why: str = "") -> SpecError | None:
    """None for an aware ``moment``; else the :class:`SpecError` on ``field`` that says naive times are ambiguous."""
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        return None
    return SpecError(field, f"must carry a time zone (naive times are ambiguous{why})", moment.isoformat())
