"""The explorer as HTML: a collapsible, keyboard-navigable tree beside a hex dump.

Pointing at or selecting a node highlights its identifier, length and content
bytes (three styles) and shows its explanation, with no kernel round trip:
the behaviour is :mod:`certlab.render.style`'s.  Everything taken from the
input is HTML-escaped.  Compact by design (it is resent on every form edit):
one ``<i>`` per byte with no attributes, explanations stored once and
referenced by index, byte ranges in one ``data-b`` attribute.

Secret content octets (:attr:`certlab.explorer.Explored.hidden`) are drawn
as ``··`` in a ``cl-sec`` run titled "secret, hidden"; their tag and length
octets stay, so the structure and sizes of a private key still read.
"""

from __future__ import annotations

from html import escape
from typing import Iterable

from ..explorer import Explored
from ..schema import NamedNode
from . import style

__all__ = ["explorer_html", "explorer_fragment", "explorer_page"]

_VALUE_CAP = 48


_ESC: dict[str, str] = {}


def _esc(text: str) -> str:
    # Names, types and explanations repeat across nodes and renders: escape once.
    hit = _ESC.get(text)
    if hit is None:
        hit = escape(text)
        if len(_ESC) < 8192:
            _ESC[text] = hit
    return hit


_EX_KEYS: dict[tuple[str | None, str | None], str] = {}


def _ex_key(n: NamedNode) -> str:
    if not n.warnings:
        hit = _EX_KEYS.get((n.explanation, n.rfc))
        if hit is not None:
            return hit
    key = _esc(n.explanation or "")
    if n.rfc:
        key += f" <span class='cl-o'>[{_esc(n.rfc)}]</span>"
    if n.warnings:
        key += "".join(f"<br><span class='cl-w'>&#9888; {escape(w)}</span>" for w in n.warnings)
    elif len(_EX_KEYS) < 8192:
        _EX_KEYS[(n.explanation, n.rfc)] = key
    return key


# Long lists (CRL entries, SANs, SCTs): the first and last _EDGE items are drawn and the
# rest is one "... N more" row, so a 10 MB CRL's tree stays a few hundred rows.
_EDGE = 20


class _Lists:
    """How long lists are drawn: ``edge`` items at each end, the middle ``expandable`` or left out."""

    __slots__ = ("edge", "expandable", "kept")

    def __init__(self, edge: int | None, expandable: bool, kept: str | None) -> None:
        self.edge = edge
        self.expandable = expandable
        self.kept = kept  # the selected path: an item on it is drawn even in the middle


def _more(n: NamedNode, middle: list[NamedNode], level: int, out: list[str], ex: dict[str, int],
          selected: str | None, lists: _Lists) -> None:
    """The "... N more" row standing for ``middle``: a button that puts them in place
    (their markup waits, inert, in a <template>) or, when the middle was not sent, a note."""
    count = len(middle)
    first, last = middle[0].name or "", middle[-1].name or ""
    label = f"\u2026 {count} more ({escape(first)} to {escape(last)})"
    if lists.expandable:
        inner: list[str] = []
        for c in middle:
            _tree(c, n.path, level, inner, ex, selected, False, lists)
        out.append(f'<li role="none" class="cl-more"><button type="button" class="cl-more-b" '
                   f'onclick="var l=this.parentNode;l.replaceWith(l.querySelector(\'template\').content.cloneNode(true))" '
                   f'aria-label="show {count} more items">{label}</button><template>{"".join(inner)}</template></li>')
    else:
        out.append(f'<li role="none" class="cl-more"><span>{label}: not drawn here, so the page stays small; '
                   f"<code>certlab inspect --html</code> or <code>explore(der).find(path)</code> shows them</span></li>")


def _tree(n: NamedNode, parent: str | None, level: int, out: list[str], ex: dict[str, int],
          selected: str | None, first: bool, lists: _Lists | None = None) -> None:
    x = ex.setdefault(_ex_key(n), len(ex))
    node = n.node
    offset = node.offset
    ident = offset + len(node.identifier)
    # Paths are sent as the suffix after the parent's path; the behaviour rebuilds
    # the full path and its aliases (the prefixes in between), which saves ~40%.
    path = n.path
    if parent is None:
        suffix = path
    elif path == parent:
        suffix = ""
    elif path.startswith(parent) and path[len(parent)] == ".":
        suffix = path[len(parent) + 1:]
    else:
        suffix = "=" + path  # not below the parent: send it whole
    extra = ""
    if selected is not None and (path == selected or selected in n.aliases):
        extra = ' aria-selected="true" tabindex="0"'
    elif first and selected is None:
        extra = ' tabindex="0"'
    children = n.children
    if children:
        extra += ' aria-expanded="true"'
    value = n.value
    if value:
        if len(value) > _VALUE_CAP:
            value = value[:_VALUE_CAP] + "\u2026"
        value = f" <var>{escape(value)}</var>"
    else:
        value = ""
    warn = ' <span class="cl-w">&#9888;</span>' if n.warnings else ""
    out.append(f'<li role="treeitem" aria-level="{level}" data-s="{_esc(suffix)}" data-b="{offset},{ident},'
               f'{offset + node.header_length},{offset + node.size}" data-x="{x}"{extra}><span><b>{_esc(n.name or "")}'
               f"</b> <em>{_esc(n.type_name)}</em>{value}{warn}</span>")
    if children:
        out.append('<ul role="group">')
        edge = lists.edge if lists is not None else None
        if edge is not None and len(children) > 3 * edge:
            # a long list: both ends, and one row for the middle (the selected item stays drawn)
            kept = lists.kept if lists is not None else None
            middle: list[NamedNode] = []
            for i, c in enumerate(children):
                if edge <= i < len(children) - edge and not (kept and (kept == c.path or kept.startswith(c.path + "."))):
                    middle.append(c)
                    continue
                if middle:
                    _more(n, middle, level + 1, out, ex, selected, lists)  # type: ignore[arg-type]
                    middle = []
                _tree(c, path, level + 1, out, ex, selected, False, lists)
        else:
            for c in children:
                _tree(c, path, level + 1, out, ex, selected, False, lists)
        out.append("</ul>")
    out.append("</li>")


_HEX_SP = [f"{b:02x} " for b in range(256)]


# A hidden secret byte: one <i> like any byte (the behaviour counts <i>s to find
# offsets), its text a mask, inside one titled run per row (a tooltip per run,
# not per byte: a 2048-bit RSA key hides ~1,150 bytes).
_SECRET_OPEN = '<span class="cl-sec" title="secret, hidden">'
_MASK = "\u00b7\u00b7"


# The ASCII column (as ``xxd`` and ``openssl asn1parse -dump`` print it): printable
# ASCII as itself, every other byte as a dot, escaped once per byte value.
_ASCII = [escape(chr(b)) if 0x20 <= b < 0x7F else "." for b in range(256)]


def _ascii(der: bytes, row: int, end: int, secret: set[int]) -> str:
    # A <u>, not an <i>: the behaviour counts <i>s to find byte offsets, and leaves
    # elements other than text alone when it splits a row.  Hidden bytes are masked.
    text = "".join("\u00b7" if i in secret else _ASCII[der[i]] for i in range(row, end))
    if end - row < 16:
        # the last row: keep the column where the full rows have it (each byte is 3ch wide)
        return f'<u style="margin-left:calc(.8em + {3 * (16 - (end - row))}ch)">{text}</u>'
    return f"<u>{text}</u>"


def _hex(der: bytes, marks: dict[int, str], hidden: tuple[tuple[int, int], ...] = ()) -> str:
    # Plain text per row; marked bytes get an element.  The behaviour splits the
    # text into one <i> per byte the first time it highlights (size budget).
    # Hidden bytes are never written: not as text, not in any attribute.
    secret: set[int] = set()
    for start, end in hidden:
        secret.update(range(max(0, start), min(end, len(der))))
    parts: list[str] = []
    hex_sp = _HEX_SP
    for row in range(0, len(der), 16):
        end = min(row + 16, len(der))
        if (not marks or not any(i in marks for i in range(row, end))) and \
                (not secret or not any(i in secret for i in range(row, end))):
            parts.append(f"<div><b>{row:04x}</b>{der[row:end].hex(' ')} {_ascii(der, row, end, secret)}</div>")
            continue
        parts.append(f"<div><b>{row:04x}</b>")
        in_secret = False
        for i in range(row, end):
            if (i in secret) != in_secret:
                in_secret = not in_secret
                parts.append(_SECRET_OPEN if in_secret else "</span>")
            cls = marks.get(i)
            if in_secret:
                parts.append(f'<i class="{cls}">{_MASK}</i>' if cls else f"<i>{_MASK}</i>")
            else:
                parts.append(f'<i class="{cls}">{der[i]:02x}</i>' if cls else hex_sp[der[i]])
        if in_secret:
            parts.append("</span>")
        parts.append(f"{_ascii(der, row, end, secret)}</div>")
    return "".join(parts)


def explorer_html(explored: Explored, *, selected: str | None = None,
                  highlight: Iterable[tuple[int, int, str]] = (), lists: str = "short") -> str:
    """The explorer fragment wrapped in one ``.certlab-view``.

    ``selected`` is a node path to select initially (its bytes are marked in
    the markup itself, so it shows even before any script runs);
    ``highlight`` adds CSS classes to byte ranges ``[start, end)``, e.g.
    ``cl-chg`` for bytes changed by an edit.
    """
    return style.view(explorer_fragment(explored, selected=selected, highlight=highlight, lists=lists))


# In "short" lists mode the hex dump stops after this many bytes (the tree's data-b ranges
# past it simply mark nothing): 64 KiB is 4,096 rows, a 10 MB CRL would be 650,000.
_HEX_SHOWN = 64 * 1024


def explorer_fragment(explored: Explored, *, selected: str | None = None,
                      highlight: Iterable[tuple[int, int, str]] = (), lists: str = "short") -> str:
    """The explorer markup without the ``.certlab-view`` wrapper (to share one view).

    ``lists`` says how lists of more than 60 items (CRL entries, SANs, SCTs) are
    drawn: ``"short"`` (widgets: bounded markup and traffic) draws the first and
    last 20 and one "... N more" row, and the hex dump's first 64 KiB;
    ``"expandable"`` (``certlab inspect --html``) puts the middle behind that row,
    expandable in place, and the whole hex dump; ``"all"`` draws everything.
    """
    if lists not in ("short", "expandable", "all"):
        raise ValueError(f"lists must be 'short', 'expandable' or 'all', not {lists!r}")
    shape = None if lists == "all" else _Lists(_EDGE, lists == "expandable", selected)
    marks: dict[int, str] = {}
    for start, end, cls in highlight:
        safe = escape(str(cls), quote=True)
        for i in range(max(0, int(start)), min(int(end), len(explored.der))):
            marks[i] = f"{marks[i]} {safe}" if i in marks else safe
    info = ""
    node = explored.find(selected) if selected else None
    if node is not None:
        ident = node.offset + len(node.node.identifier)
        for i in range(node.offset, min(node.end, len(explored.der))):
            c = "h1" if i < ident else "h2" if i < node.content_offset else "h3"
            marks[i] = f"{marks[i]} {c}" if i in marks else c
    out: list[str] = []
    ex: dict[str, int] = {}
    if explored.root is not None:
        _tree(explored.root, None, 1, out, ex, selected, True, shape)
    if node is not None:
        info = _ex_key(node)  # the selection's explanation, shown before any script runs
    errors = "".join(f'<div class="cl-err">{"at" if e.limit else "error at"} byte {e.offset}: {escape(e.message)}</div>'
                     for e in explored.errors)
    exs = "".join(f"<div>{k}</div>" for k in ex)
    der = explored.der
    if lists == "short" and len(der) > _HEX_SHOWN:
        hexdump = (_hex(der[:_HEX_SHOWN], marks, explored.hidden) +
                   f'<div class="cl-more">\u2026 {len(der) - _HEX_SHOWN} more bytes (of {len(der)}) not drawn here</div>')
    else:
        hexdump = _hex(der, marks, explored.hidden)
    changed = ('<span class="cl-chg">underlined: changed</span>'
               if any("cl-chg" in c for c in marks.values()) else "")
    legend = ('<div class="cl-legend"><span class="h1">identifier (tag)</span><span class="h2">length</span>'
              f'<span class="h3">content</span>{changed}</div>')
    # role=tree on the list itself, so its items are its children (WAI-ARIA tree pattern; a
    # bare <ul> between tree and items is a "list without list items" to a screen reader);
    # the hex dump scrolls, so it takes focus to be scrolled from the keyboard (axe-core
    # scrollable-region-focusable)
    return (f'<div class="cl-x"><div class="cl-tree"><ul role="tree" aria-label="ASN.1 structure of the '
            f'{escape(explored.kind)}">{"".join(out)}</ul></div>'
            f'<div class="cl-hex" aria-label="hex dump" role="region" tabindex="0">{hexdump}</div>'
            f'<div class="cl-info" aria-live="polite">{info or "Point at or select a node to see its bytes and meaning."}</div>'
            f"{legend}{errors}<div class=\"cl-ex\">{exs}</div></div>")


def explorer_page(explored: Explored, title: str) -> str:
    """A standalone HTML page (for ``certlab inspect --html`` and exported files)."""
    t = escape(title)
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{t}</title></head><body>{style.view(explorer_fragment(explored, lists='expandable'), title=title)}"
            "</body></html>")
