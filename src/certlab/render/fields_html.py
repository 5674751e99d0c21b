"""HTML of the field model, findings and chains.

Fragments, no stylesheet: the shared stylesheet (``certlab.render.style``, one
``.certlab-view`` container, ``--jp-*`` colours) styles the classes used here.
Every field and finding row carries ``data-certlab-path="<node path>"`` so the
shared behaviour links it to the explorer node in the same container.
Sections are ``<details>`` so a learner can fold them.  Everything that comes
from the input is escaped; the fragment is kept small because a form re-sends
it on every edit.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..fields import Description, Field
from ..findings import Finding
from .asn1_html import _HTML_KEPT, REQUEST_ONCLICK, ListWindows

if TYPE_CHECKING:  # annotation only: the lab's Fields pane never verifies a chain
    from ..chain import ChainResult

__all__ = ["fields_html", "findings_html", "chain_html"]

_SEVERITY_LABEL = {"error": "error", "warning": "warning", "info": "info"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _path_attr(path: str | None) -> str:
    return f' data-certlab-path="{_e(path)}"' if path else ""


_VALUE_SHOWN = 2000  # characters of a long value (5,000 SANs make 150,000) drawn in the short form


def _value(value: str, lists: str) -> str:
    if lists == "all" or len(value) <= 2 * _VALUE_SHOWN:
        return f"<code>{_e(value)}</code>"
    more = f"\u2026 {len(value) - _VALUE_SHOWN} more characters"
    if lists == "expandable":
        return (f"<code>{_e(value[:_VALUE_SHOWN])}</code><details class=\"cl-more\"><summary>{more}</summary>"
                f"<code>{_e(value[_VALUE_SHOWN:])}</code></details>")
    return f'<code>{_e(value[:_VALUE_SHOWN])}</code> <span class="cl-more">{more} (certlab inspect --html shows all)</span>'


def _field_row(f: Field, lists: str = "all", new: bool = False) -> str:
    # cl-new: the first row a "... N more" click drew (the page focuses it)
    classes = " ".join(c for c, on in (("certlab-critical", f.critical), ("cl-new", new)) if on)
    crit = f' class="{classes}"' if classes else ""
    rfc = f' <cite>{_e(f.rfc)}</cite>' if f.rfc else ""
    return (f"<tr{_path_attr(f.path)}{crit}><th>{_e(f.name)}</th>"
            f'<td>{_value(f.value, lists)}<div class="certlab-expl">{_e(f.explanation)}{rfc}</div></td></tr>')


def _finding_row(f: Finding) -> str:
    sev = _SEVERITY_LABEL.get(f.severity, "info")
    # plain words first; the rule's code (pkilint's or ours) after the citation, for searching
    return (f'<li class="certlab-finding certlab-sev-{sev}"{_path_attr(f.path)}>'
            f'<span class="certlab-badge">{_e(sev)}</span> '
            f"{_e(f.message)} <cite>{_e(f.citation)}</cite> <code>{_e(f.code)}</code></li>")


def findings_html(findings: Iterable[Finding]) -> str:
    """A list of findings, worst first, each pinned to its node."""
    rows = [_finding_row(f) for f in findings]
    if not rows:
        return '<p class="certlab-findings certlab-empty">No findings.</p>'
    return f'<ul class="certlab-findings">{"".join(rows)}</ul>'


_EDGE = 20  # rows drawn at each end of a long section (a CRL's revoked certificates)
_CHUNK = 200  # rows one "... N more" click draws

# --html: each click puts the next <template>'s rows in place before the "... N more" row
_EXPAND_JS = ("var b=this.closest('tbody'),t=b.querySelector('template');b.before(t.content);t.remove();"
              "t=b.querySelector('template');if(t)this.textContent=t.getAttribute('data-l');else b.remove()")


def _more_label(count: int) -> str:
    return f"\u2026 {count} more rows: " + ("show them" if count <= _CHUNK else f"show the next {_CHUNK}")


def _rows(section: str, fields: tuple[Field, ...] | list[Field], lists: str, windows: ListWindows | None) -> str:
    """A section's rows; one of more than 60 rows keeps 20 at each end and "... N more" rows for the rest.

    ``"expandable"``: the rest waits in <template>s of 200 rows, one put in place per click;
    ``"request"`` (widgets): the row's button asks the kernel for the next 200 (the section's
    title is the list's path in ``windows``, as in :mod:`certlab.render.asn1_html`).
    """
    count = len(fields)
    if lists == "all" or count <= 3 * _EDGE:
        return "".join(_field_row(f, lists) for f in fields)
    if lists == "expandable":
        kept = min(count - _EDGE, _EDGE + _HTML_KEPT)  # the rest is counted, not written (as the tree)
        parts = []
        for at in range(_EDGE, kept, _CHUNK):
            rows = "".join(_field_row(f, lists) for f in fields[at:min(kept, at + _CHUNK)])
            parts.append(f'<template data-l="{_more_label(kept - at)}">{rows}</template>')
        more = (f'<tbody class="cl-more"><tr><td colspan="2"><button type="button" class="cl-more-b" '
                f'onclick="{_e(_EXPAND_JS)}">{_more_label(kept - _EDGE)}</button>{"".join(parts)}</td></tr></tbody>')
        if kept < count - _EDGE:
            more += (f'<tr class="cl-more"><td colspan="2">\u2026 {count - _EDGE - kept} more rows: not in this file, '
                     "so it stays small; <code>certlab inspect --text</code> or <code>--json</code> shows them</td></tr>")
        return "".join(_field_row(f, lists) for f in fields[:_EDGE]) + more + "".join(
            _field_row(f, lists) for f in fields[-_EDGE:])
    shown = list(range(_EDGE)) + list(range(count - _EDGE, count))
    fresh = None
    if lists == "request" and windows is not None:
        windows.seen[section] = count
        window = windows.window(section)
        if window is not None:
            shown = sorted(set(shown) | set(range(max(_EDGE, window[0]), min(count - _EDGE, window[1]))))
        if windows.new is not None and windows.new[0] == section:
            fresh = windows.new[1]
    out: list[str] = []
    last = -1
    for i in shown:
        if i > last + 1:
            first, left = last + 1, i - last - 1
            if lists == "request":
                out.append(f'<tr class="cl-more"><td colspan="2"><button type="button" class="cl-more-b" data-k="fields" '
                           f'data-p="{_e(section)}" data-f="{first}" onclick="{REQUEST_ONCLICK}">{_more_label(left)}'
                           "</button></td></tr>")
            else:
                out.append(f'<tr class="cl-more"><td colspan="2">\u2026 {left} more rows: not drawn here, so the page '
                           "stays small; <code>certlab inspect --html</code> or <code>describe(obj).fields</code> "
                           "shows them</td></tr>")
        out.append(_field_row(fields[i], lists, new=i == fresh))
        last = i
    return "".join(out)


def fields_html(description: Description, findings: Iterable[Finding] = (), *, lists: str = "short",
                windows: ListWindows | None = None) -> str:
    """The description as collapsible sections, findings first.

    ``lists`` as in :func:`certlab.render.asn1_html.explorer_fragment`: long sections
    are cut to both ends in ``"short"``, asked of the kernel 200 rows a click in
    ``"request"`` (widgets; ``windows`` the kernel's state, a section's title its
    path), expandable in place in ``"expandable"`` (``certlab inspect --html``),
    whole in ``"all"``.
    """
    if lists == "request" and windows is not None:
        windows.seen = {}
    findings = list(findings)
    parts = [f'<div class="certlab-fields" data-certlab-kind="{_e(description.kind)}">',
             f"<h3>{_e(description.title)}</h3>"]
    if findings:
        counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
        summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        parts.append(f"<details open><summary>Findings ({_e(summary)})</summary>{findings_html(findings)}</details>")
    for section, fields in description.sections():
        rows = _rows(section, fields, lists, windows)
        parts.append(f'<details open><summary>{_e(section)}</summary><table class="certlab-table">{rows}</table></details>')
    parts.append("</div>")
    if windows is not None:
        windows.new = None
    return "".join(parts)


def chain_html(result: ChainResult) -> str:
    """The verified path (leaf first) or why there is none."""
    status = "verified" if result.ok else "not verified"
    host = f" for {_e(result.host)}" if result.host else ""
    parts = [f'<div class="certlab-chain certlab-chain-{"ok" if result.ok else "failed"}">',
             f"<h3>Chain {status}{host}</h3><ol>"]
    for i, (role, subject) in enumerate(result.roles()):
        parts.append(f'<li data-certlab-index="{i}"><b>{_e(role)}</b> {_e(subject)}</li>')
    parts.append("</ol>")
    parts.append(findings_html(result.findings))
    parts.append("</div>")
    return "".join(parts)
