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

import re
from html import escape
from typing import TYPE_CHECKING, Iterable

from . import style

if TYPE_CHECKING:  # annotations only: the widgets import ListWindows before anything is explored
    from ..explorer import Explored
    from ..schema import NamedNode

__all__ = ["explorer_html", "explorer_fragment", "explorer_page", "ListWindows", "LISTS"]

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
# rest stands behind "... N more" rows, so a 10 MB CRL's tree stays a few hundred rows.
_EDGE = 20
# One click on "... N more" draws this many more items (a <template> of --html, or one
# request to the kernel in a widget); a widget draws at most _CAP items of the middles
# at once (older ones fold back), so its page stays bounded however often one clicks.
_CHUNK = 200
_CAP = 400
# --html holds at most this many items of a list's middle (50 clicks): a 100,000-entry CRL's
# page whole was 164 MB and took Chromium 50 s to open; the rest is counted, not written.
_HTML_KEPT = 10_000


class ListWindows:
    """The expansion state of one widget's explorer: which part of each long list's middle is drawn.

    The kernel keeps it (a widget's page never holds more than it draws): per list path
    one window ``[start, end)`` of item indices, at most :data:`_CAP` items over all
    lists (the least recently opened list folds first).  :func:`explorer_fragment` with
    ``lists="request"`` draws each window and records the long lists it met, so
    :meth:`reveal` accepts only a request for a list and an index the page was shown.
    :func:`certlab.render.fields_html.fields_html` uses it the same way, a section's
    title as the path.
    """

    __slots__ = ("_open", "seen", "new")

    def __init__(self) -> None:
        self._open: dict[str, tuple[int, int]] = {}
        self.seen: dict[str, int] = {}  # list path -> its length, as last drawn
        self.new: tuple[str, int] | None = None  # the first item drawn by the last reveal

    def window(self, path: str) -> tuple[int, int] | None:
        """The drawn part ``[start, end)`` of the middle of the list at ``path``, if any."""
        return self._open.get(path)

    def drawn(self) -> int:
        """How many middle items the windows draw in all (at most :data:`_CAP`)."""
        return sum(end - start for start, end in self._open.values())

    def reveal(self, path: str, first: int) -> bool:
        """Draw the next :data:`_CHUNK` items of the list at ``path`` from index ``first``.

        ``first`` is the first item of a "... N more" row the page showed.  False (and
        nothing changes) for a path or index no drawn row had: the request comes from
        the page, which anything can write to.
        """
        length = self.seen.get(path)
        if length is None or not (_EDGE <= first < length - _EDGE):
            return False
        lo, hi = first, min(length - _EDGE, first + _CHUNK)
        old = self._open.pop(path, None)
        if old is not None and lo <= old[1] and hi >= old[0]:
            # next to (or over) what is drawn: one window, the new items kept if it grows past the cap
            start, end = min(lo, old[0]), max(hi, old[1])
            if end - start > _CAP:
                start, end = (end - _CAP, end) if lo >= old[0] else (start, start + _CAP)
        else:
            start, end = lo, hi
        self._open[path] = (start, end)  # the most recently opened list last
        while self.drawn() > _CAP:
            oldest = next(iter(self._open))
            if oldest == path:
                break
            del self._open[oldest]
        self.new = (path, first)
        return True


class _Lists:
    """How long lists are drawn: ``edge`` items at each end, the middle as ``mode`` says."""

    __slots__ = ("edge", "mode", "kept", "windows", "key", "spans", "omitted")

    def __init__(self, edge: int, mode: str, kept: str | None, windows: ListWindows | None,
                 key: str, spans: list[tuple[int, int]] | None) -> None:
        self.edge = edge
        self.mode = mode  # "short", "request" or "expandable"
        self.kept = kept  # the selected path: an item on it is drawn even in the middle
        self.windows = windows
        self.key = key
        self.spans = spans  # byte ranges of the drawn nodes, for the hex dump (None: all bytes)
        self.omitted: list[tuple[int, int]] = []  # byte ranges of items --html leaves out


# The --html "... N more" row: each click puts the next <template>'s items in place, before
# the row (so the tail stays after it), and the hex dump's templates holding their bytes in
# place too (the behaviour re-reads the rows); the row then names what is left; the last
# click removes the row and moves the focus to the first item it drew (the button was focused).
_EXPAND_JS = ("var l=this.parentNode,t=l.querySelector('template'),f=t.content.firstElementChild,"
              "r=t.getAttribute('data-r').split(',').map(Number),x=l.closest('.cl-x'),h=x&&x.querySelector('.cl-hex');"
              "if(h){h.querySelectorAll(':scope>template').forEach(function(g){if(+g.getAttribute('data-o')<r[1]&&"
              "+g.getAttribute('data-e')>r[0]){g.before(g.content);g.remove()}});h.__r=0}"
              "l.before(t.content);t.remove();t=l.querySelector('template');"
              "if(t){this.textContent=t.getAttribute('data-l')}else{l.remove();if(f){f.tabIndex=0;f.focus()}}")

# The widgets' "... N more" row asks the kernel: it writes the list's path and the row's
# first index into the hidden request box of the widget around it (certlab.widgets._more)
# and, when the kernel's redrawn pane arrives, scrolls the first new item (.cl-new) of a
# tree to where the button was and focuses it (a field row is focused where it is).
# Only the drawn part of the list ever reaches the page.
_REQUEST_JS = (
    "if(this.__s)return;var h=this.closest('.certlab-more-host'),"
    "q=h&&h.querySelector('.certlab-more-request input');"
    "if(!q){this.title='this view is not connected to a running kernel';return}this.__s=1;"
    "var c=this.closest('.widget-html-content')||this.closest('.certlab-view').parentNode,"
    "r=this.closest('.cl-tree'),y=r?this.getBoundingClientRect().top-r.getBoundingClientRect().top:0,"
    "o=new MutationObserver(function(){o.disconnect();var n=c.querySelector('.cl-new'),t=n&&n.closest('.cl-tree');"
    "if(!n)return;if(t)t.scrollTop+=n.getBoundingClientRect().top-t.getBoundingClientRect().top-y;"
    "n.tabIndex=-1;n.focus({preventScroll:!!t})});"
    "o.observe(c,{childList:true});this.setAttribute('aria-busy','true');this.textContent+=' \u2026';"
    "q.value=JSON.stringify({k:this.getAttribute('data-k'),p:this.getAttribute('data-p'),"
    "f:+this.getAttribute('data-f'),n:Date.now()});q.dispatchEvent(new Event('change',{bubbles:true}))")
_EXPAND_ATTR = escape(_EXPAND_JS, quote=True)
_REQUEST_ATTR = escape(_REQUEST_JS, quote=True)
#: The ``onclick`` (attribute-escaped) of a widget's "... N more" button: ``data-k`` (the
#: explorer or pane), ``data-p`` (the list's path), ``data-f`` (its first index) go to the kernel.
REQUEST_ONCLICK = _REQUEST_ATTR


def _more_label(count: int, first: NamedNode, last: NamedNode, chunk: int) -> str:
    what = "show them" if count <= chunk else f"show the next {chunk}"
    return f"\u2026 {count} more ({escape(first.name or '')} to {escape(last.name or '')}): {what}"


def _more(n: NamedNode, children: list[NamedNode], first: int, stop: int, level: int, out: list[str],
          ex: dict[str, int], selected: str | None, lists: _Lists) -> None:
    """The "... N more" row standing for items ``first`` to ``stop - 1`` of ``n``."""
    count = stop - first
    head, tail = children[first], children[stop - 1]
    if lists.mode == "expandable":
        # the middle waits, inert, in <template>s of _CHUNK items: one click draws one
        # (their hex rows wait in the dump's own templates: data-r says which bytes to open);
        # past _HTML_KEPT items the file only says how many more there are
        kept = min(stop, first + _HTML_KEPT)
        last = children[kept - 1]
        parts: list[str] = []
        spans, lists.spans = lists.spans, None  # bytes of nodes in a template are not drawn yet
        for at in range(first, kept, _CHUNK):
            inner: list[str] = []
            chunk = children[at:min(kept, at + _CHUNK)]
            for c in chunk:
                _tree(c, n.path, level, inner, ex, selected, False, lists)
            label = _more_label(kept - at, children[at], last, _CHUNK)
            parts.append(f'<template data-l="{label}" data-r="{chunk[0].offset},{chunk[-1].end}">{"".join(inner)}</template>')
        lists.spans = spans
        out.append(f'<li role="none" class="cl-more"><button type="button" class="cl-more-b" '
                   f'onclick="{_EXPAND_ATTR}">{_more_label(kept - first, head, last, _CHUNK)}</button>'
                   f'{"".join(parts)}</li>')
        if kept < stop:
            lists.omitted.append((children[kept].offset, tail.end))
            out.append(f'<li role="none" class="cl-more"><span>\u2026 {stop - kept} more ({escape(children[kept].name or "")} '
                       f"to {escape(tail.name or '')}): not in this file, so it stays small; <code>certlab inspect "
                       f"--text</code> or <code>--json</code> shows them</span></li>")
    elif lists.mode == "request":
        out.append(f'<li role="none" class="cl-more"><button type="button" class="cl-more-b" '
                   f'data-k="{escape(lists.key)}" data-p="{escape(n.path)}" data-f="{first}" '
                   f'onclick="{_REQUEST_ATTR}">{_more_label(count, head, tail, _CHUNK)}</button></li>')
    else:
        label = f"\u2026 {count} more ({escape(head.name or '')} to {escape(tail.name or '')})"
        out.append(f'<li role="none" class="cl-more"><span>{label}: not drawn here, so the page stays small; '
                   f"<code>certlab inspect --html</code> or <code>explore(der).find(path)</code> shows them</span></li>")


def _shown(n: NamedNode, children: list[NamedNode], lists: _Lists) -> list[int]:
    """The indices of a long list's items drawn in place: both ends, the window, the selection."""
    count, edge = len(children), lists.edge
    drawn = set(range(edge)) | set(range(count - edge, count))
    if lists.mode == "request" and lists.windows is not None:
        lists.windows.seen[n.path] = count
        window = lists.windows.window(n.path)
        if window is not None:
            drawn.update(range(max(edge, window[0]), min(count - edge, window[1])))
    kept = lists.kept
    if kept and kept.startswith(n.path + "."):
        for i, c in enumerate(children):
            if kept == c.path or kept.startswith(c.path + "."):
                drawn.add(i)
                break
    return sorted(drawn)


# A node's name and type as drawn, per (name, type): the schema's words, escaped once
_LABELS: dict[tuple[str | None, str], str] = {}


def _label(name: str | None, type_name: str) -> str:
    hit = _LABELS.get((name, type_name))
    if hit is None:
        hit = f"<b>{_esc(name or '')}</b> <em>{_esc(type_name)}</em>"
        if len(_LABELS) < 8192:
            _LABELS[(name, type_name)] = hit
    return hit


def _tree(n: NamedNode, parent: str | None, level: int, out: list[str], ex: dict[str, int],
          selected: str | None, first: bool, lists: _Lists | None = None, new: bool = False) -> None:
    key = None if n.warnings else _EX_KEYS.get((n.explanation, n.rfc))
    x = ex.setdefault(key if key is not None else _ex_key(n), len(ex))
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
    children = n.children
    if new or first or selected is not None:
        extra = ' class="cl-new"' if new else ""
        if selected is not None and (path == selected or selected in n.aliases):
            extra += ' aria-selected="true" tabindex="0"'
        elif first and selected is None:
            extra += ' tabindex="0"'
        if children:
            extra += ' aria-expanded="true"'
    else:  # most nodes: neither new, first nor selectable
        extra = ' aria-expanded="true"' if children else ""
    value = n.value
    if value:
        if len(value) > _VALUE_CAP:
            value = value[:_VALUE_CAP] + "\u2026"
        if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
            value = escape(value)  # most values (numbers, hex, dates, OIDs) have nothing to escape
        value = f" <var>{value}</var>"
    else:
        value = ""
    warn = ' <span class="cl-w">&#9888;</span>' if n.warnings else ""
    header = offset + node.header_length
    out.append(f'<li role="treeitem" aria-level="{level}" data-s="{_ESC.get(suffix) or _esc(suffix)}" data-b="{offset},{ident},'
               f'{header},{offset + node.size}" data-x="{x}"{extra}><span>'
               f'{_LABELS.get((n.name, n.type_name)) or _label(n.name, n.type_name)}{value}{warn}</span>')
    if lists is not None and lists.spans is not None:
        # the hex dump draws the bytes of drawn nodes: a constructed one's own header, a
        # primitive's first _SPAN_CAP bytes
        lists.spans.append((offset, header) if children else (offset, min(offset + node.size, offset + _SPAN_CAP)))
    if children:
        out.append('<ul role="group">')
        if lists is not None and len(children) > 3 * lists.edge:
            # a long list: both ends, the window the learner opened, the selected item; one
            # "... N more" row for each run of items between them
            fresh = None
            if lists.windows is not None and lists.windows.new is not None and lists.windows.new[0] == path:
                fresh = lists.windows.new[1]
            last = -1
            for i in _shown(n, children, lists):
                if i > last + 1:
                    _more(n, children, last + 1, i, level + 1, out, ex, selected, lists)
                _tree(children[i], path, level + 1, out, ex, selected, False, lists, i == fresh)
                last = i
        else:
            for c in children:
                _tree(c, path, level + 1, out, ex, selected, False, lists)
        out.append("</ul>")
    out.append("</li>")


# In the short forms a primitive node's hex rows stop after this many bytes (a 1 MB
# OCTET STRING shows its start); the other drawn nodes' bytes still get their rows.
_SPAN_CAP = 4096


_HEX_SP = [f"{b:02x} " for b in range(256)]


# A hidden secret byte: one <i> like any byte (the behaviour counts <i>s to find
# offsets), its text a mask, inside one titled run per row (a tooltip per run,
# not per byte: a 2048-bit RSA key hides ~1,150 bytes).
_SECRET_OPEN = '<span class="cl-sec" title="secret, hidden">'
_MASK = "\u00b7\u00b7"


# The ASCII column (as ``xxd`` and ``openssl asn1parse -dump`` print it): printable
# ASCII as itself, every other byte as a dot, escaped once per byte value.
_ASCII = [escape(chr(b)) if 0x20 <= b < 0x7F else "." for b in range(256)]
# the same column made for a run of rows at once: bytes.translate, then one escape per row
_ASCII_BYTES = bytes(b if 0x20 <= b < 0x7F else 0x2E for b in range(256))
_TO_ESCAPE = re.compile("[&<>\"']")  # what html.escape changes


def _ascii(der: bytes, row: int, end: int, secret: set[int]) -> str:
    # A <u>, not an <i>: the behaviour counts <i>s to find byte offsets, and leaves
    # elements other than text alone when it splits a row.  Hidden bytes are masked.
    return _column("".join("\u00b7" if i in secret else _ASCII[der[i]] for i in range(row, end)), end - row)


def _column(text: str, count: int) -> str:
    """The ASCII column's cell of a row of ``count`` bytes (``text`` escaped)."""
    if count < 16:
        # the last row: keep the column where the full rows have it (each byte is 3ch wide)
        return f'<u style="margin-left:calc(.8em + {3 * (16 - count)}ch)">{text}</u>'
    return f"<u>{text}</u>"


def _hex(der: bytes, marks: dict[int, str], hidden: tuple[tuple[int, int], ...] = (),
         segments: list[tuple[int, int]] | None = None, rest: bool = False,
         omitted: list[tuple[int, int]] | None = None) -> str:
    # Plain text per row; marked bytes get an element.  The behaviour splits the
    # text into one <i> per byte the first time it highlights (size budget).
    # Hidden bytes are never written: not as text, not in any attribute.
    # ``segments``: the [first, end) row numbers drawn (None: all); the first row after a
    # gap carries its offset (data-o) and each gap is one "... N bytes" row.  ``rest``
    # (--html): a gap's rows wait in <template>s of _HEX_CHUNK rows, which a "... N more"
    # button of the tree puts in place with the items their bytes belong to.
    secret: set[int] = set()
    for start, end in hidden:
        secret.update(range(max(0, start), min(end, len(der))))
    parts: list[str] = []
    hex_sp = _HEX_SP
    size = len(der)

    # rows holding a marked or a hidden byte are drawn byte by byte; the others as text
    special = {i >> 4 for i in marks} | {i >> 4 for i in secret}
    last_row = (size + 15) // 16

    def rows(first_row: int, end_row: int, at: str) -> None:
        row, end_row = first_row, min(end_row, last_row)
        while row < end_row:
            if row in special:
                marked(row, at)
                row += 1
            else:
                stop = row + 1
                while stop < end_row and stop not in special:
                    stop += 1
                plain(row, stop, at)
                row = stop
            at = ""

    def plain(first_row: int, end_row: int, at: str) -> None:
        # the hex and ASCII text of a run of rows made at once (bytes.hex, bytes.translate)
        # and cut per row; only the rows holding a & < > " or ' need escaping
        base = first_row * 16
        run = der[base:end_row * 16]
        hexed, text = run.hex(" "), run.translate(_ASCII_BYTES).decode("ascii")
        escaped = {m.start() >> 4 for m in _TO_ESCAPE.finditer(text)}
        whole = len(run) >> 4
        lines = [f"<div><b>{base + 16 * k:04x}</b>{hexed[48 * k:48 * k + 47]} "
                 f"<u>{escape(text[16 * k:16 * k + 16]) if k in escaped else text[16 * k:16 * k + 16]}</u></div>"
                 for k in range(whole)]
        if whole * 16 < len(run):  # the input's last, short row
            cell = text[16 * whole:]
            cell = escape(cell) if whole in escaped else cell
            lines.append(f"<div><b>{base + 16 * whole:04x}</b>{hexed[48 * whole:]} {_column(cell, len(run) - 16 * whole)}</div>")
        if at:
            lines[0] = f"<div{at}{lines[0][4:]}"
        parts.extend(lines)

    def marked(row_number: int, at: str) -> None:
        row = row_number * 16
        end = min(row + 16, size)
        parts.append(f"<div{at}><b>{row:04x}</b>")
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

    def gap(first_row: int, end_row: int) -> None:
        count = min(end_row * 16, size) - first_row * 16
        where = " (they are drawn with the items they belong to)" if rest else " here"
        parts.append(f'<div class="cl-gap">\u2026 {count} bytes not drawn{where}</div>')
        if rest:
            # the rows of items left out of the file (whole rows inside them) are left out too
            pieces = [(first_row, end_row)]
            for start, end in omitted or ():
                lo, hi = (start + 15) // 16, end // 16
                pieces = [p for a, b in pieces for p in ((a, min(b, lo)), (max(a, hi), b)) if p[0] < p[1]]
            for a, b in pieces:
                for at in range(a, b, _HEX_CHUNK):
                    stop = min(b, at + _HEX_CHUNK)
                    parts.append(f'<template data-o="{at * 16}" data-e="{min(stop * 16, size)}">')
                    rows(at, stop, f' data-o="{at * 16}"')
                    parts.append("</template>")

    done = 0  # rows drawn (or left in a gap) so far
    for first_row, end_row in (segments if segments is not None else [(0, (size + 15) // 16)]):
        if first_row > done:
            gap(done, first_row)
        rows(first_row, end_row, f' data-o="{first_row * 16}"' if first_row > done else "")
        done = end_row
    if done * 16 < size:
        gap(done, (size + 15) // 16)
    return "".join(parts)


_HEX_CHUNK = 256  # rows (4 KiB) of a --html hex <template>


# In the short forms the hex dump draws at most this many bytes: those of the drawn tree
# nodes, so the rows of an entry drawn in the middle of a 10 MB CRL are there to mark
# (a whole dump of it would be 650,000 rows).
_HEX_SHOWN = 64 * 1024


def _segments(spans: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """The hex rows ``[first, end)`` that hold the byte ranges ``spans``, merged, at most _HEX_SHOWN bytes."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if end <= start or start >= size:
            continue
        first, last = start // 16, (min(end, size) + 15) // 16
        if merged and first <= merged[-1][1]:
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    left = _HEX_SHOWN // 16
    out: list[tuple[int, int]] = []
    for first, last in merged:
        if left <= 0:
            break
        last = min(last, first + left)
        out.append((first, last))
        left -= last - first
    return out


def _mark(marks: dict[int, str], start: int, end: int, cls: str, segments: list[tuple[int, int]] | None,
          size: int) -> None:
    """Add the class ``cls`` to the drawn bytes of ``[start, end)``."""
    spans = [(0, size)] if segments is None else [(a * 16, min(b * 16, size)) for a, b in segments]
    for lo, hi in spans:
        for i in range(max(start, lo, 0), min(end, hi)):
            marks[i] = f"{marks[i]} {cls}" if i in marks else cls


def explorer_html(explored: Explored, *, selected: str | None = None,
                  highlight: Iterable[tuple[int, int, str]] = (), lists: str = "short",
                  windows: ListWindows | None = None, key: str = "") -> str:
    """The explorer fragment wrapped in one ``.certlab-view``.

    ``selected`` is a node path to select initially (its bytes are marked in
    the markup itself, so it shows even before any script runs);
    ``highlight`` adds CSS classes to byte ranges ``[start, end)``, e.g.
    ``cl-chg`` for bytes changed by an edit.  ``lists``, ``windows`` and ``key``
    as in :func:`explorer_fragment`.
    """
    return style.view(explorer_fragment(explored, selected=selected, highlight=highlight, lists=lists,
                                        windows=windows, key=key))


LISTS = ("short", "request", "expandable", "all")


def explorer_fragment(explored: Explored, *, selected: str | None = None,
                      highlight: Iterable[tuple[int, int, str]] = (), lists: str = "short",
                      windows: ListWindows | None = None, key: str = "") -> str:
    """The explorer markup without the ``.certlab-view`` wrapper (to share one view).

    ``lists`` says how lists of more than 60 items (CRL entries, SANs, SCTs) are
    drawn; every form but ``"all"`` draws the first and last 20 and one "... N more"
    row for the rest:

    * ``"short"``: the row only says how many (bounded markup, no kernel needed);
    * ``"request"`` (widgets): the row is a button that asks the kernel for the next
      200 (:mod:`certlab.widgets._more`); ``windows`` is the kernel's
      :class:`ListWindows` (what the learner opened so far), ``key`` names this
      explorer in the request;
    * ``"expandable"`` (``certlab inspect --html``): the middle waits in <template>s
      of 200 items, each click puts the next one in place, no kernel;
    * ``"all"``: everything drawn.

    The hex dump of ``"short"`` and ``"request"`` draws the bytes of the drawn nodes
    (at most 64 KiB, in rows at their offsets; a gap is one "... N bytes" row); of
    the other two, every byte.
    """
    if lists not in LISTS:
        raise ValueError(f"lists must be 'short', 'request', 'expandable' or 'all', not {lists!r}")
    der = explored.der
    windowed = lists != "all" and len(der) > _HEX_SHOWN
    spans: list[tuple[int, int]] | None = [] if windowed else None
    shape = None if lists == "all" else _Lists(_EDGE, lists, selected, windows if lists == "request" else None,
                                                key, spans)
    if windows is not None and lists == "request":
        windows.seen = {}
    out: list[str] = []
    ex: dict[str, int] = {}
    if explored.root is not None:
        _tree(explored.root, None, 1, out, ex, selected, True, shape)
    if windows is not None:
        windows.new = None  # drawn once: a later redraw (a reveal, pkilint) does not move the focus again
    segments = _segments(spans, len(der)) if spans is not None else None
    marks: dict[int, str] = {}
    for start, end, cls in highlight:
        _mark(marks, int(start), int(end), escape(str(cls), quote=True), segments, len(der))
    info = ""
    node = explored.find(selected) if selected else None
    if node is not None:
        ident = node.offset + len(node.node.identifier)
        for start, end, cls in ((node.offset, ident, "h1"), (ident, node.content_offset, "h2"),
                                (node.content_offset, node.end, "h3")):
            _mark(marks, start, end, cls, segments, len(der))
        info = _ex_key(node)  # the selection's explanation, shown before any script runs
    errors = "".join(f'<div class="cl-err">{"at" if e.limit else "error at"} byte {e.offset}: {escape(e.message)}</div>'
                     for e in explored.errors)
    exs = f"<div>{'</div><div>'.join(ex)}</div>" if ex else ""
    hexdump = _hex(der, marks, explored.hidden, segments, rest=lists == "expandable",
                   omitted=shape.omitted if shape is not None else None)
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
