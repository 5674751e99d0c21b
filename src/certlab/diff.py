"""What changed between two objects: the fields and the byte ranges.

Two uses drive this module:

* the lab's "what changed" view: the certificate before and after the last
  edit (same kind, same paths), and
* the compare view: a CSR and the certificate a CA issued from it ("what did
  the CA add?"), which have *different* shapes.  PKCS#10 (RFC 2986 §4.1) puts
  the subject, the key and the requested extensions in
  ``certificationRequestInfo`` (extensions inside an ``extensionRequest``
  attribute, RFC 2985 §5.4.2), while a certificate has them in
  ``tbsCertificate`` (RFC 5280 §4.1).

So node paths are first brought to one *canonical* form (a small table of
prefixes and renames, plus extensions keyed by their OID instead of their
position, because a CA may reorder them), then compared:

* a leaf (primitive) node present on both sides with different content
  octets is *changed* (its range is marked on both sides);
* a node present on one side only is *added* (in ``b``) or *removed* (from
  ``a``), reported at the highest node that has nothing in common with the
  other side, so a new extension is one range, not twenty.

Length octets of enclosing SEQUENCEs change whenever a child changes; those
are consequences, not edits, so they are not reported (the child is).

Field changes come from :func:`certlab.fields.describe` and are matched by
section and name.  Private keys are compared by their *public* half only:
a diff must never show private numbers.

The module is pure: no ipywidgets, no HTML (``certlab.render.diff_html``
draws a :class:`Diff`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

from ._perf import gc_paused
from .der import decode_oid
from .errors import WrongKind

_T = TypeVar("_T")

__all__ = ["ByteRange", "Diff", "FieldChange", "diff", "diff_der", "diff_fields"]

Status = Literal["added", "removed", "changed"]


class _NodeLike(Protocol):
    """What :func:`diff_der` needs from an explorer node (read-only)."""

    @property
    def path(self) -> str: ...
    @property
    def offset(self) -> int: ...
    @property
    def header_length(self) -> int: ...
    @property
    def length(self) -> int | None: ...


@dataclass(frozen=True)
class ByteRange:
    """``start``..``end`` (end exclusive) of one side's DER, at node ``path``."""

    start: int
    end: int
    path: str
    status: Status

    @property
    def css_class(self) -> str:
        """The classes a renderer marks the range with.

        ``cl-chg`` is the shared stylesheet's mark for "bytes changed by an
        edit" (``render/asn1_html.py``); ``certlab-diff-<status>`` tells added,
        removed and changed apart.
        """
        return f"cl-chg certlab-diff-{self.status}"


@dataclass(frozen=True)
class FieldChange:
    """One decoded field that differs; ``before``/``after`` is ``None`` when absent."""

    section: str
    name: str
    before: str | None
    after: str | None
    path_a: str | None
    path_b: str | None

    @property
    def status(self) -> Status:
        """``added`` (only after), ``removed`` (only before) or ``changed``."""
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"


@dataclass(frozen=True)
class Diff:
    """The differences between ``a`` and ``b``.

    ``ranges_a`` are marked in ``a``'s DER (removed or changed bytes),
    ``ranges_b`` in ``b``'s (added or changed bytes).  ``der_a``/``der_b`` are
    the DER that was compared (for keys: the public key), so a renderer can
    draw both trees with the ranges highlighted.
    """

    kind_a: str
    kind_b: str
    der_a: bytes
    der_b: bytes
    fields: tuple[FieldChange, ...]
    ranges_a: tuple[ByteRange, ...]
    ranges_b: tuple[ByteRange, ...]

    @property
    def same(self) -> bool:
        """True when the two DER encodings are identical."""
        return self.der_a == self.der_b

    def highlights(self, side: Literal["a", "b"]) -> list[tuple[int, int, str]]:
        """``(start, end, css_class)`` triples, as ``explorer_html(highlight=...)`` takes."""
        ranges = self.ranges_a if side == "a" else self.ranges_b
        return [(r.start, r.end, r.css_class) for r in ranges]


# --- canonical paths -------------------------------------------------------

# Prefix rewrites applied in order (first match wins): the signed body of a
# certificate (RFC 5280 §4.1.1.1), of a CSR (RFC 2986 §4.1) and of a CRL
# (RFC 5280 §5.1.1) all become "tbs.", so a CSR and its certificate line up.
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("certificate.tbsCertificate", "tbs"),
    ("certificationRequest.certificationRequestInfo", "tbs"),
    ("certificateList.tbsCertList", "tbs"),
    ("certificate", "outer"),
    ("certificationRequest", "outer"),
    ("certificateList", "outer"),
)

# The same thing under two names in two RFC modules.
_RENAMES: dict[str, str] = {
    "subjectPKInfo": "subjectPublicKeyInfo",  # RFC 2986 name for the key in a CSR
    "signatureValue": "signature",  # RFC 5280 prose vs the pyasn1 module
}


def _rewrite_prefix(path: str) -> str:
    for old, new in _PREFIXES:
        if path == old or path.startswith(old + "."):
            return new + path[len(old):]
    return path


@dataclass
class _Entry:
    path: str  # original path
    start: int
    end: int
    content: bytes
    leaf: bool
    parent: str | None  # original parent path


def _index(der: bytes, nodes: Iterable[_NodeLike]) -> tuple[dict[str, _Entry], dict[str, str]]:
    """Entries by original path and the canonical name of each original path."""
    entries: dict[str, _Entry] = {}
    for node in nodes:
        if node.length is None:  # indefinite or truncated: compare what we can
            continue
        start = node.offset
        content_start = start + node.header_length
        end = content_start + node.length
        entries[node.path] = _Entry(node.path, start, end, der[content_start:end], True, None)
    for path, entry in entries.items():
        # the nearest ancestor that is a node: a CHOICE alternative adds a path
        # component with no node of its own (``values.0.extensionRequest``)
        parent = path
        while "." in parent:
            parent = parent.rsplit(".", 1)[0]
            if parent in entries:
                entry.parent = parent
                break
    for entry in entries.values():
        if entry.parent is not None and entry.parent in entries:
            entries[entry.parent].leaf = False

    # Extensions are keyed by OID: an extension is the parent of an "extnID"
    # node (RFC 5280 §4.1: Extension ::= SEQUENCE { extnID, critical, extnValue }).
    ext_names: dict[str, str] = {}
    seen: Counter[str] = Counter()
    for path, entry in entries.items():
        if path.endswith(".extnID") and entry.parent is not None:
            oid = decode_oid(entry.content) or "?"
            seen[oid] += 1
            ext_names[entry.parent] = f"ext[{oid}]" if seen[oid] == 1 else f"ext[{oid}#{seen[oid]}]"

    # The first-found extension that encloses a path names it (an extension inside an
    # extension is unheard of).  Every node's enclosing nodes are its parent chain, so
    # each node takes the earlier of its own extension and its parent's: one pass in
    # document order, as the walk yields parents before children (O(n) dict look-ups).
    order = {ext_path: i for i, ext_path in enumerate(ext_names)}
    enclosing: dict[str, str | None] = {}  # original path -> extension path naming it
    canonical: dict[str, str] = {}
    for path, entry in entries.items():
        best = _enclosing(path, entries, enclosing, order)
        name = _rewrite_prefix(path) if best is None else ext_names[best] + path[len(best):]
        canonical[path] = ".".join(_RENAMES.get(part, part) for part in name.split("."))
    return entries, canonical


def _enclosing(path: str, entries: dict[str, _Entry], memo: dict[str, str | None],
               order: dict[str, int]) -> str | None:
    """The earliest-found extension path that is ``path`` or one of its ancestors (memoised)."""
    def earlier(best: str | None, p: str) -> str | None:
        return p if p in order and (best is None or order[p] < order[best]) else best

    return _fold_down(path, entries, memo, None, earlier)


def _fold_down(path: str, entries: dict[str, _Entry], memo: dict[str, _T], start: _T,
               step: Callable[[_T, str], _T]) -> _T:
    """``step`` folded over ``path``'s parent chain from the top down, each node's value memoised.

    A node's value is ``step(value of its parent, node)`` (``start`` above the root), so
    walking every path of a tree costs each node once: linear, where testing each path
    against every ancestor candidate was quadratic.
    """
    chain: list[str] = []
    cur: str | None = path
    while cur is not None and cur not in memo:
        chain.append(cur)
        cur = entries[cur].parent
    value = memo[cur] if cur is not None else start
    for p in reversed(chain):  # from the top down
        value = step(value, p)
        memo[p] = value
    return value


def diff_der(
    der_a: bytes, nodes_a: Iterable[_NodeLike], der_b: bytes, nodes_b: Iterable[_NodeLike]
) -> tuple[tuple[ByteRange, ...], tuple[ByteRange, ...]]:
    """The byte ranges that differ between two explored DER encodings.

    ``nodes_*`` are the explorer's nodes (``Explored.walk()``): anything with
    ``path``, ``offset``, ``header_length`` and ``length``.
    """
    with gc_paused():  # a few objects per node, no cycles (see _perf)
        return _diff_der(der_a, nodes_a, der_b, nodes_b)


def _diff_der(
    der_a: bytes, nodes_a: Iterable[_NodeLike], der_b: bytes, nodes_b: Iterable[_NodeLike]
) -> tuple[tuple[ByteRange, ...], tuple[ByteRange, ...]]:
    entries_a, canon_a = _index(der_a, nodes_a)
    entries_b, canon_b = _index(der_b, nodes_b)
    by_canon_a = {canon_a[p]: p for p in entries_a}
    by_canon_b = {canon_b[p]: p for p in entries_b}

    ranges_a: list[ByteRange] = []
    ranges_b: list[ByteRange] = []
    skip_a: set[str] = set()  # original paths under an already reported node
    skip_b: set[str] = set()

    # changed: matched on both sides
    for cname, pa in by_canon_a.items():
        pb = by_canon_b.get(cname)
        if pb is None:
            continue
        ea, eb = entries_a[pa], entries_b[pb]
        if ea.leaf and eb.leaf:
            if ea.content != eb.content:
                ranges_a.append(ByteRange(ea.start, ea.end, pa, "changed"))
                ranges_b.append(ByteRange(eb.start, eb.end, pb, "changed"))
        elif ea.leaf != eb.leaf:  # a primitive became constructed: the whole node changed
            ranges_a.append(ByteRange(ea.start, ea.end, pa, "changed"))
            ranges_b.append(ByteRange(eb.start, eb.end, pb, "changed"))
            skip_a.add(pa)
            skip_b.add(pb)

    ranges_a.extend(_one_sided(entries_a, canon_a, by_canon_b, skip_a, "removed"))
    ranges_b.extend(_one_sided(entries_b, canon_b, by_canon_a, skip_b, "added"))
    ranges_a.sort(key=lambda r: (r.start, -r.end))
    ranges_b.sort(key=lambda r: (r.start, -r.end))
    return _drop_nested(ranges_a), _drop_nested(ranges_b)


def _one_sided(
    entries: dict[str, _Entry],
    canon: dict[str, str],
    other: dict[str, str],
    skip: set[str],
    status: Status,
) -> list[ByteRange]:
    """Nodes with no counterpart, reported at the highest node sharing nothing."""
    matched = {p for p in entries if canon[p] in other}
    # A node "shares" when it or any descendant is matched; propagate upwards.
    shares: set[str] = set()
    for path in matched:
        cur: str | None = path
        while cur is not None and cur not in shares:
            shares.add(cur)
            cur = entries[cur].parent if cur in entries else None
    skipped = _under_any(entries, skip)
    out: list[ByteRange] = []
    for path, entry in entries.items():
        if path in shares or path in skipped:
            continue
        parent = entry.parent
        if parent is None or parent not in entries or parent in shares:
            out.append(ByteRange(entry.start, entry.end, path, status))
    return out


def _under_any(entries: dict[str, _Entry], roots: set[str]) -> set[str]:
    """The paths that are a root or below one, found through each node's parent chain.

    Roots are node paths, and a node's ancestors that are nodes are exactly its parent
    chain, so this is ``path == r or path.startswith(r + ".")`` for every root at once.
    """
    if not roots:
        return set()
    memo: dict[str, bool] = {}
    for path in entries:
        _fold_down(path, entries, memo, False, lambda under, p: under or p in roots)
    return {p for p, under in memo.items() if under}


def _drop_nested(ranges: list[ByteRange]) -> tuple[ByteRange, ...]:
    """Drop a range that lies wholly inside an earlier one (sorted by start)."""
    out: list[ByteRange] = []
    for r in ranges:
        if out and r.start >= out[-1].start and r.end <= out[-1].end:
            continue
        out.append(r)
    return tuple(out)


# --- fields -----------------------------------------------------------------


class _FieldLike(Protocol):
    @property
    def section(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> Any: ...
    @property
    def path(self) -> str | None: ...


def _keyed(fields: Sequence[_FieldLike]) -> dict[tuple[str, str, int], _FieldLike]:
    # A name can repeat (three DNS names in a SAN); the k-th of each is paired.
    seen: Counter[tuple[str, str]] = Counter()
    out: dict[tuple[str, str, int], _FieldLike] = {}
    for f in fields:
        seen[(f.section, f.name)] += 1
        out[(f.section, f.name, seen[(f.section, f.name)])] = f
    return out


def diff_fields(a: Sequence[_FieldLike], b: Sequence[_FieldLike]) -> tuple[FieldChange, ...]:
    """Decoded fields that differ, in ``a``'s order then ``b``'s new ones."""
    ka, kb = _keyed(a), _keyed(b)
    out: list[FieldChange] = []
    for key, fa in ka.items():
        fb = kb.get(key)
        before = str(fa.value)
        if fb is None:
            out.append(FieldChange(fa.section, fa.name, before, None, fa.path, None))
        elif str(fb.value) != before:
            out.append(FieldChange(fa.section, fa.name, before, str(fb.value), fa.path, fb.path))
    for key, fb in kb.items():
        if key not in ka:
            out.append(FieldChange(fb.section, fb.name, None, str(fb.value), None, fb.path))
    return tuple(out)


# --- objects ----------------------------------------------------------------


def _public_der(obj: Any) -> tuple[str, bytes]:
    """(kind, DER) of what may be shown: for a private key, its public key (secrets stay secret)."""
    from .load import public_der

    if isinstance(obj, (bytes, bytearray, memoryview)):
        return "unknown", bytes(obj)
    try:
        return public_der(obj)
    except TypeError:
        raise WrongKind("obj", "must be a certificate, CSR, CRL, key or DER bytes to compare", type(obj).__name__) from None


def diff(
    a: Any,
    b: Any,
    *,
    explore_fn: Callable[[bytes, str | None], Any] | None = None,
    describe_fn: Callable[[Any], Any] | None = None,
) -> Diff:
    """Compare two keys, CSRs, certificates or CRLs (or two DER byte strings).

    Byte ranges come from the ASN.1 explorer; field changes from
    :func:`certlab.fields.describe` (skipped for raw bytes).

    ``explore_fn(der, kind)`` and ``describe_fn(obj)`` stand in for
    :func:`certlab.explorer.explore` and :func:`certlab.fields.describe`: a
    caller that already explored an object (the lab explores the new
    certificate for its ASN.1 view, and explored the previous one on the
    previous edit) passes a cached lookup, so nothing is explored twice.
    """
    if explore_fn is None:
        from .explorer import explore

        explore_fn = explore
    kind_a, der_a = _public_der(a)
    kind_b, der_b = _public_der(b)
    if der_a == der_b:
        return Diff(kind_a, kind_b, der_a, der_b, (), (), ())
    with gc_paused():  # hundreds of thousands of small objects, no cycles (see _perf)
        return _diff(a, b, kind_a, der_a, kind_b, der_b, explore_fn, describe_fn)


def _diff(a: Any, b: Any, kind_a: str, der_a: bytes, kind_b: str, der_b: bytes,
          explore_fn: Callable[[bytes, str | None], Any],
          describe_fn: Callable[[Any], Any] | None) -> Diff:
    explored_a = explore_fn(der_a, None if kind_a == "unknown" else kind_a)
    explored_b = explore_fn(der_b, None if kind_b == "unknown" else kind_b)
    ranges_a, ranges_b = diff_der(der_a, explored_a.walk(), der_b, explored_b.walk())
    fields: tuple[FieldChange, ...] = ()
    if kind_a != "unknown" and kind_b != "unknown":
        if describe_fn is None:
            from .explorer import Explored
            from .fields import describe

            # describe reads some values from the named tree: hand it the one just made
            # (it checks the DER is the same), rather than exploring each side twice
            def reuse(explored: Any) -> Explored | None:
                return explored if isinstance(explored, Explored) else None

            fa = describe(a, explored=reuse(explored_a)).fields
            fb = describe(b, explored=reuse(explored_b)).fields
        else:
            fa, fb = describe_fn(a).fields, describe_fn(b).fields
        fields = diff_fields(fa, fb)
    return Diff(kind_a, kind_b, der_a, der_b, fields, ranges_a, ranges_b)
