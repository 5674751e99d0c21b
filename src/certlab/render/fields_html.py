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

from ..chain import ChainResult
from ..fields import Description, Field
from ..findings import Finding

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


def _field_row(f: Field, lists: str = "all") -> str:
    crit = ' class="certlab-critical"' if f.critical else ""
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


def _rows(fields: tuple[Field, ...] | list[Field], lists: str) -> str:
    """A section's rows; one of more than 60 rows keeps 20 at each end and one "... N more" row
    (its rows in a <template>, put in place by a click, when ``lists`` is "expandable")."""
    if lists == "all" or len(fields) <= 3 * _EDGE:
        return "".join(_field_row(f, lists) for f in fields)
    head, middle, tail = fields[:_EDGE], fields[_EDGE:-_EDGE], fields[-_EDGE:]
    label = f"\u2026 {len(middle)} more rows"
    if lists == "expandable":
        more = (f'<tbody class="cl-more"><tr><td colspan="2"><button type="button" class="cl-more-b" '
                f'onclick="var b=this.closest(\'tbody\');b.replaceWith(b.querySelector(\'template\').content.cloneNode(true))">'
                f'{label}</button><template>{"".join(_field_row(f, lists) for f in middle)}</template></td></tr></tbody>')
    else:
        more = (f'<tr class="cl-more"><td colspan="2">{label}: not drawn here, so the page stays small; '
                "<code>certlab inspect --html</code> or <code>describe(obj).fields</code> shows them</td></tr>")
    return "".join(_field_row(f, lists) for f in head) + more + "".join(_field_row(f, lists) for f in tail)


def fields_html(description: Description, findings: Iterable[Finding] = (), *, lists: str = "short") -> str:
    """The description as collapsible sections, findings first.

    ``lists`` as in :func:`certlab.render.asn1_html.explorer_fragment`: long sections
    are cut to both ends in ``"short"`` (widgets), expandable in place in
    ``"expandable"`` (``certlab inspect --html``), whole in ``"all"``.
    """
    findings = list(findings)
    parts = [f'<div class="certlab-fields" data-certlab-kind="{_e(description.kind)}">',
             f"<h3>{_e(description.title)}</h3>"]
    if findings:
        counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
        summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        parts.append(f"<details open><summary>Findings ({_e(summary)})</summary>{findings_html(findings)}</details>")
    for section, fields in description.sections():
        rows = _rows(fields, lists)
        parts.append(f'<details open><summary>{_e(section)}</summary><table class="certlab-table">{rows}</table></details>')
    parts.append("</div>")
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
