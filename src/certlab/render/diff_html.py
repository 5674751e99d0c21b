"""HTML of a :class:`certlab.diff.Diff`: the fields that changed and the byte ranges.

A fragment (no stylesheet): wrap it with ``certlab.render.style.view``.  Every
row that names a node carries ``data-certlab-path`` so the shared behaviour can
select that node in an explorer drawn in the same container.  Everything taken
from the objects is escaped.
"""

from __future__ import annotations

import html

from ..diff import ByteRange, Diff

__all__ = ["diff_html", "CONSEQUENCES"]

_SIGNATURE_WHY = (
    "The signature covers the signed body (RFC 5280 §4.1.1.3, RFC 2986 §4.2), so any "
    "change above it changes the signature too (and ECDSA signatures are randomised)."
)

# Changes that follow from *any* edit, with the reason, keyed by node-path
# prefix: learners should not mistake them for their own edit.
CONSEQUENCES: dict[str, str] = {
    "certificate.signature": _SIGNATURE_WHY,
    "certificationRequest.signature": _SIGNATURE_WHY,
    "certificateList.signature": _SIGNATURE_WHY,
}


def _why(path: str) -> str:
    for prefix, text in CONSEQUENCES.items():
        if path == prefix or path.startswith(prefix + "."):
            return text
    return ""

_MAX_HEX = 24  # octets shown per range: enough to recognise, small enough to send on every edit
_MAX_VALUE = 120  # characters of a field value (the Fields view has the whole value)
_TABLE_STYLE = ' style="width: 100%"'
# only long values may break anywhere (names, hex, node paths); labels keep their words
_WRAP = ' style="overflow-wrap: anywhere"'

# Rows per table: two edited 100,000-entry CRLs differ in thousands of fields and ranges,
# more than a learner reads or a widget should send on every edit.  The first ones are
# listed, the rest counted (the summary line above the tables gives the totals).
MAX_ROWS = 200

_STATUS_TEXT = {"added": "added", "removed": "removed", "changed": "changed"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _hex(data: bytes) -> str:
    shown = data[:_MAX_HEX].hex(" ")
    return shown + (f" ... (+{len(data) - _MAX_HEX} bytes)" if len(data) > _MAX_HEX else "")


def _value(text: str | None) -> str:
    if text is None:
        return "<i>absent</i>"
    if len(text) > _MAX_VALUE:
        return _e(text[:_MAX_VALUE]) + f" ... <i>({len(text)} characters)</i>"
    return _e(text)


def _more_row(hidden: int, what: str, columns: int) -> str:
    return (f'<tr class="certlab-diff-more"><td colspan="{columns}"><i>... and {hidden} more {what} '
            f"not listed (the first {MAX_ROWS} are)</i></td></tr>")


def _range_rows(ranges: tuple[ByteRange, ...], der: bytes, side: str) -> list[str]:
    rows = []
    for r in ranges[:MAX_ROWS]:
        why = _why(r.path)
        rows.append(
            f'<tr class="certlab-diff-row certlab-diff-{_e(r.status)}" data-certlab-path="{_e(r.path)}">'
            f"<td>{_e(side)}</td><td>{_e(_STATUS_TEXT[r.status])}</td>"
            f"<td><code>{r.start}..{r.end}</code> ({r.end - r.start} bytes)</td>"
            f"<td{_WRAP}><code>{_e(r.path)}</code>{'<br><small>' + _e(why) + '</small>' if why else ''}</td>"
            f"<td{_WRAP}><code>{_e(_hex(der[r.start:r.end]))}</code></td></tr>"
        )
    return rows


def diff_html(d: Diff, *, before: str = "a", after: str = "b") -> str:
    """The changed fields (a table) then the changed byte ranges (a table)."""
    if d.same:
        return f'<p class="certlab-diff-same">No difference: {_e(before)} and {_e(after)} have the same DER.</p>'
    parts = [
        f'<p class="certlab-diff-summary">{len(d.fields)} field(s) differ; '
        f"{len(d.ranges_a)} byte range(s) in {_e(before)} ({len(d.der_a)} bytes), "
        f"{len(d.ranges_b)} in {_e(after)} ({len(d.der_b)} bytes).</p>"
    ]
    if d.fields:
        rows = []
        for f in d.fields[:MAX_ROWS]:
            path = f.path_b or f.path_a or ""
            rows.append(
                f'<tr class="certlab-diff-field certlab-diff-{_e(f.status)}" data-certlab-path="{_e(path)}">'
                f"<td>{_e(f.section)}</td><td>{_e(f.name)}</td>"
                f"<td{_WRAP}>{_value(f.before)}</td><td{_WRAP}>{_value(f.after)}</td></tr>"
            )
        if len(d.fields) > MAX_ROWS:
            rows.append(_more_row(len(d.fields) - MAX_ROWS, "changed field(s)", 4))
        parts.append(
            f'<table class="certlab-diff-fields"{_TABLE_STYLE}><thead><tr><th>section</th><th>field</th>'
            f"<th>{_e(before)}</th><th>{_e(after)}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    ranges = []
    for side, side_ranges, der in ((before, d.ranges_a, d.der_a), (after, d.ranges_b, d.der_b)):
        ranges += _range_rows(side_ranges, der, side)
        if len(side_ranges) > MAX_ROWS:
            ranges.append(_more_row(len(side_ranges) - MAX_ROWS, f"byte range(s) in {_e(side)}", 5))
    if ranges:
        parts.append(
            f'<table class="certlab-diff-ranges"{_TABLE_STYLE}><thead><tr><th>in</th><th>how</th><th>bytes</th>'
            f"<th>node</th><th>octets</th></tr></thead><tbody>{''.join(ranges)}</tbody></table>"
        )
    return "".join(parts)
