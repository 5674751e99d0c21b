"""HTML for ACME (notebook 07, the AcmeFlow widget): one exchange, the timeline, the state machine.

Data before HTML: everything drawn here comes from :class:`certlab.acme.Exchange`
and :func:`flow_states`; every value from the CA or the learner is escaped.
Colours are JupyterLab's ``--jp-*`` variables (light and dark themes).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..knowledge.acme import step_text

__all__ = ["FlowNode", "flow_states", "exchange_html", "timeline_html", "flow_html", "fetches_html"]

_esc = html.escape
_BOX = ("border:1px solid var(--jp-border-color2,#ccc);border-radius:4px;padding:6px 8px;margin:4px 0;"
        "background:var(--jp-layout-color1,#fff);color:var(--jp-ui-font-color1,#000)")
_PRE = ("white-space:pre-wrap;word-break:break-all;margin:2px 0 6px 0;padding:4px 6px;"
        "background:var(--jp-layout-color2,#f3f3f3);color:var(--jp-content-font-color1,#000);"
        "font-family:var(--jp-code-font-family,monospace);font-size:12px;max-height:18em;overflow:auto")
_STATE_COLOURS = {
    "done": "var(--jp-success-color1,#2e7d32)",
    "failed": "var(--jp-error-color1,#c62828)",
    "waiting": "var(--jp-border-color1,#999)",
}


@dataclass(frozen=True)
class FlowNode:
    """One box of the state machine: ``key`` (a STEPS key), ``title``, ``state``, the exchanges it covers."""

    key: str
    title: str
    state: str  # "done", "failed" or "waiting"
    exchanges: tuple[int, ...]
    note: str = ""


def _pretty(value: Any) -> str:
    if value == "":
        return '"" (empty: a POST-as-GET, RFC 8555 §6.3)'
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path or url


def exchange_html(exchange: Any) -> str:
    """One request and its answer: method, URL, status, the JWS decoded, the answer, what it means."""
    label, section, text = step_text(exchange.step)
    ok = 200 <= exchange.status < 300
    colour = _STATE_COLOURS["done" if ok else "failed"]
    parts = [
        f'<div class="certlab-acme-exchange" style="{_BOX}">',
        f'<div><b>#{exchange.index} {_esc(label)}</b> · <code>{_esc(exchange.method)} {_esc(_path(exchange.url))}'
        f'</code> → <b style="color:{colour}">{exchange.status}</b> '
        f'<span style="opacity:.7">({exchange.elapsed * 1000:.0f} ms)</span></div>',
        f'<p style="margin:4px 0">{_esc(text)} <i>(RFC 8555 {_esc(section)})</i></p>',
    ]
    if exchange.method == "POST":
        parts += [
            "<div><b>JWS protected header</b> (base64url JSON; <code>jwk</code> for newAccount, "
            "<code>kid</code> = account URL after it):</div>",
            f'<pre style="{_PRE}">{_esc(_pretty(exchange.protected))}</pre>',
            "<div><b>JWS payload</b>:</div>",
            f'<pre style="{_PRE}">{_esc(_pretty(exchange.payload))}</pre>',
            "<div><b>JWS signature</b> (account key over <code>protected.payload</code>, RFC 7515 §5.1):</div>",
            f'<pre style="{_PRE}">{_esc(exchange.signature)}</pre>',
        ]
    headers = {k: v for k, v in exchange.response_headers.items()
               if k.lower() in {"location", "replay-nonce", "link", "content-type", "retry-after"}}
    if headers:
        parts.append("<div><b>answer headers</b>:</div>")
        parts.append(f'<pre style="{_PRE}">{_esc(chr(10).join(f"{k}: {v}" for k, v in headers.items()))}</pre>')
    parts.append("<div><b>answer</b>:</div>")
    parts.append(f'<pre style="{_PRE}">{_esc(_pretty(exchange.response))}</pre>')
    parts.append("</div>")
    return "".join(parts)


def timeline_html(exchanges: Sequence[Any]) -> str:
    """Every request in order, one row each: what step, which URL, what status."""
    rows = []
    for e in exchanges:
        colour = _STATE_COLOURS["done" if 200 <= e.status < 300 else "failed"]
        rows.append(f"<tr><td>{e.index}</td><td>{_esc(e.label)}</td><td><code>{_esc(e.method)}</code></td>"
                    f"<td><code>{_esc(_path(e.url))}</code></td>"
                    f'<td style="color:{colour}"><b>{e.status}</b></td></tr>')
    return ('<table class="certlab-acme-timeline" style="border-collapse:collapse;font-size:12px">'
            "<tr><th>#</th><th>step</th><th>method</th><th>path</th><th>status</th></tr>"
            + "".join(rows) + "</table>")


def flow_states(exchanges: Sequence[Any], failed: bool = False) -> tuple[FlowNode, ...]:
    """The order's state machine (RFC 8555 §7.1.6) from what was recorded so far.

    account → order (pending) → one authorization per name (challenge,
    validation) → ready → finalize → processing → valid → certificate.
    A step is done when its exchange succeeded; the first one that failed is
    "failed"; the rest are waiting.
    """
    by_step: dict[str, list[Any]] = {}
    for e in exchanges:
        by_step.setdefault(e.step, []).append(e)
    nodes: list[FlowNode] = []

    def add(key: str, title: str, covered: list[Any], done: bool, note: str = "") -> None:
        bad = any(not 200 <= e.status < 300 for e in covered)
        state = "failed" if bad else ("done" if done else "waiting")
        nodes.append(FlowNode(key, title, state, tuple(e.index for e in covered), note))

    add("account", "account", by_step.get("account", []), bool(by_step.get("account")))
    orders = by_step.get("order", [])
    first_order = orders[:1]
    add("order", "order: pending", first_order, bool(first_order))
    names: dict[str, list[Any]] = {}
    challenge_of: dict[str, list[Any]] = {}
    for e in by_step.get("authorization", []):
        resp = e.response if isinstance(e.response, dict) else {}
        ident = resp.get("identifier", {}).get("value") if isinstance(resp.get("identifier"), dict) else None
        if ident:
            names.setdefault(str(ident), []).append(e)
            for chall in resp.get("challenges", []):
                if isinstance(chall, dict):
                    challenge_of.setdefault(str(chall.get("url")), []).append(ident)
    valid_names = set()
    for name, polls in names.items():
        last = polls[-1].response if isinstance(polls[-1].response, dict) else {}
        status = last.get("status", "pending")
        if status == "valid":
            valid_names.add(name)
        challenges = [e for e in by_step.get("challenge", []) if name in challenge_of.get(e.url, [])]
        add("authorization", f"authorization: {name}", polls[:1], True)
        add("challenge", f"challenge: {name}", challenges, bool(challenges))
        validation_failed = status == "invalid"
        nodes.append(FlowNode("validation", f"validation: {name} → {status}",
                              "failed" if validation_failed else ("done" if status == "valid" else "waiting"),
                              tuple(e.index for e in polls[1:]), _validation_note(last)))
    all_valid = bool(names) and valid_names == set(names)
    add("ready", "order: ready", [], all_valid)
    finals = by_step.get("finalize", [])
    add("finalize", "finalize (your CSR)", finals, bool(finals) and all(200 <= e.status < 300 for e in finals))
    later_orders = [e for e in orders[1:]]
    statuses = [e.response.get("status") for e in later_orders if isinstance(e.response, dict)]
    processing = bool(finals) and all(200 <= e.status < 300 for e in finals)
    add("processing", "order: processing", later_orders, processing)
    certs = by_step.get("certificate", [])
    add("valid", "order: valid", later_orders[-1:], "valid" in statuses or bool(certs))
    add("certificate", "certificate", certs, bool(certs))
    if failed and not any(n.state == "failed" for n in nodes):
        for i, n in enumerate(nodes):
            if n.state == "waiting":
                nodes[i] = FlowNode(n.key, n.title, "failed", n.exchanges, n.note)
                break
    return tuple(nodes)


def _validation_note(authz: dict[str, Any]) -> str:
    for chall in authz.get("challenges", []):
        if isinstance(chall, dict) and isinstance(chall.get("error"), dict):
            err = chall["error"]
            return f"{err.get('type', '')}: {err.get('detail', '')}"
    return ""


def flow_html(nodes: Sequence[FlowNode], selected: int | None = None) -> str:
    """The state machine as a row of boxes (the widget makes each one a button)."""
    boxes = []
    for i, n in enumerate(nodes):
        colour = _STATE_COLOURS[n.state]
        mark = {"done": "✔", "failed": "✘", "waiting": "…"}[n.state]
        outline = "outline:2px solid var(--jp-brand-color1,#1976d2);" if i == selected else ""
        boxes.append(f'<span style="display:inline-block;margin:2px;padding:3px 6px;border:2px solid {colour};'
                     f'border-radius:12px;{outline}">{mark} {_esc(n.title)}</span>')
    return '<div class="certlab-acme-flow">' + " → ".join(boxes) + "</div>"


def fetches_html(fetches: Sequence[Any]) -> str:
    """Where the CA's validator came to fetch the key authorization (our http-01 responder's log)."""
    rows = "".join(
        f"<tr><td><code>{_esc(f.host)}</code></td><td><code>{_esc(f.path)}</code></td>"
        f"<td>{_esc(f.client)}</td><td>{_esc(f.user_agent)}</td><td><b>{f.status}</b></td></tr>" for f in fetches)
    return ('<table class="certlab-acme-fetches" style="border-collapse:collapse;font-size:12px">'
            "<tr><th>Host header</th><th>path</th><th>from</th><th>User-Agent</th><th>status</th></tr>"
            + rows + "</table>")
