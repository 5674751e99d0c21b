"""A tolerant, bounded DER/BER reader: bytes -> a tree of :class:`Node`.

Every node keeps its absolute offset, its depth and the raw identifier and
length octets, so a renderer can explain the *encoding itself* (class bits,
constructed bit, tag number, short or long length form: X.690 §8.1.2-8.1.3)
and point at the exact bytes.

The reader never raises for bad input.  Malformed bytes give the tree read so
far plus :class:`DerError` records that say where reading stopped and what was
expected.  Three limits (:class:`Limits`) keep hostile input cheap: input
size, nesting depth and node count.  A length is only ever *compared* with the
bytes that remain, never used to allocate, so a 6-byte header claiming 4 GiB
costs nothing.

BER is read where it is well-formed (indefinite lengths ended by
end-of-contents octets, X.690 §8.1.3.6) but every departure from DER
(X.690 clause 10) is recorded on the node in :attr:`Node.warnings`.

The reader is pure Python over ``bytes`` with precomputed tables; it does not
know any schema.  Descending into DER wrapped in an OCTET STRING or BIT STRING
is asked for explicitly with :func:`read_encapsulated`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Node",
    "DerError",
    "Limits",
    "DEFAULT_LIMITS",
    "read",
    "decode_oid",
    "int_text",
    "read_encapsulated",
    "encode",
    "Header",
    "read_header",
    "read_length",
    "Length",
    "integer_octets",
    "encode_length",
    "TAG_CLASSES",
    "UNIVERSAL_TYPES",
]

# Bits 8-7 of the identifier octet (X.690 §8.1.2.2, table 1).
TAG_CLASSES: tuple[str, ...] = ("universal", "application", "context", "private")

# Universal tag numbers -> ASN.1 type names (X.680 §8.4, table 1).
UNIVERSAL_TYPES: dict[int, str] = {
    0: "EOC",
    1: "BOOLEAN",
    2: "INTEGER",
    3: "BIT STRING",
    4: "OCTET STRING",
    5: "NULL",
    6: "OBJECT IDENTIFIER",
    7: "ObjectDescriptor",
    8: "EXTERNAL",
    9: "REAL",
    10: "ENUMERATED",
    11: "EMBEDDED PDV",
    12: "UTF8String",
    13: "RELATIVE-OID",
    14: "TIME",
    16: "SEQUENCE",
    17: "SET",
    18: "NumericString",
    19: "PrintableString",
    20: "T61String",
    21: "VideotexString",
    22: "IA5String",
    23: "UTCTime",
    24: "GeneralizedTime",
    25: "GraphicString",
    26: "VisibleString",
    27: "GeneralString",
    28: "UniversalString",
    29: "CHARACTER STRING",
    30: "BMPString",
}

# Universal types that DER requires in primitive form (X.690 §10.2: strings are
# never constructed in DER) and those that must be constructed (8.9.1, 8.11.1).
_MUST_BE_PRIMITIVE = frozenset({1, 2, 3, 4, 5, 6, 9, 10, 12, 13, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30})
_MUST_BE_CONSTRUCTED = frozenset({8, 11, 16, 17, 29})


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile input cheap; each has a clear message.

    The node limit scales with the input: ``max_nodes`` is a floor, and an
    input of N bytes may have up to N / ``bytes_per_node`` nodes.  Real DER
    spends 6 to 8 bytes per node (a 100,000-entry CRL: 2.6 MB, 400,000
    nodes), so only padding made of empty values ever reaches it.  Reaching
    a limit is not malformed input: the tree read so far is kept and the
    :class:`DerError` says "shown up to here" (``limit=True``).
    """

    max_size: int = 16 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 200_000
    bytes_per_node: int = 4

    def nodes_for(self, size: int) -> int:
        """The node limit for an input of ``size`` bytes."""
        return max(self.max_nodes, size // max(1, self.bytes_per_node))


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class DerError:
    """Reading stopped (or went wrong) at ``offset``; ``message`` says why.

    ``limit`` is True when the input is not malformed but one of certlab's
    :class:`Limits` was reached: what was read is shown up to ``offset``.
    """

    offset: int
    message: str
    limit: bool = False


# Not frozen: a frozen dataclass pays object.__setattr__ per field, which made
# building the nodes of a 100,000-entry CRL ten times slower.  Treat it as immutable
# all the same (the hash is over the fields, as a frozen one's is).
@dataclass(slots=True, unsafe_hash=True)
class Node:
    """One TLV (tag, length, value) as read from the input.

    ``length`` is the content length, or ``None`` for a BER indefinite length;
    ``size`` is the whole encoding (header, content and any end-of-contents
    octets) as actually read.  ``children`` are the nested TLVs of a
    constructed node, or, with ``encapsulated`` set on them, the DER found
    inside an OCTET STRING / BIT STRING by :func:`read_encapsulated`.
    """

    offset: int
    depth: int
    header_length: int
    length: int | None
    tag_class: str
    tag: int
    constructed: bool
    identifier: bytes
    length_octets: bytes
    children: tuple[Node, ...] = ()
    encapsulated: bool = False
    size: int = 0
    warnings: tuple[str, ...] = ()
    complete: bool = True

    @property
    def content_offset(self) -> int:
        """Absolute offset of the first content octet."""
        return self.offset + self.header_length

    @property
    def end(self) -> int:
        """Absolute offset just past this node's encoding."""
        return self.offset + self.size

    @property
    def content_end(self) -> int:
        """Absolute offset just past the content (before any end-of-contents).

        Never past the bytes actually read: a value whose length runs past the
        end of the input (``complete=False``) ends where the input does.
        """
        if self.length is None:
            return self.end - 2 if self.complete else self.end
        if self.complete:
            return self.content_offset + self.length
        return max(self.content_offset, min(self.content_offset + self.length, self.end))

    @property
    def universal_type(self) -> str | None:
        """The X.680 name of a universal tag (``"SEQUENCE"``), else ``None``."""
        return UNIVERSAL_TYPES.get(self.tag) if self.tag_class == "universal" else None


class _Stop(Exception):
    """Internal: reading cannot continue (the error is already recorded)."""


class _Reader:
    __slots__ = ("data", "limits", "errors", "nodes", "max_nodes", "max_depth", "base_depth", "encapsulated")

    def __init__(self, data: bytes, limits: Limits, base_depth: int, encapsulated: bool) -> None:
        self.data = data
        self.limits = limits
        self.errors: list[DerError] = []
        self.nodes = 0
        self.max_nodes = limits.nodes_for(len(data))
        self.max_depth = limits.max_depth
        self.base_depth = base_depth
        self.encapsulated = encapsulated

    def fail(self, offset: int, message: str, limit: bool = False) -> _Stop:
        self.errors.append(DerError(offset, message, limit))
        return _Stop()

    def header(self, pos: int, end: int) -> tuple[int, int, bool, int, int | None, list[str]]:
        """Read identifier and length octets at ``pos``.

        Returns (tag class index, tag number, constructed, content offset,
        length or None, warnings).
        """
        data = self.data
        warnings: list[str] = []
        if pos >= end:
            raise self.fail(pos, "expected an identifier octet, but the input ended")
        first = data[pos]
        cls = first >> 6
        constructed = bool(first & 0x20)
        tag = first & 0x1F
        p = pos + 1
        if tag == 0x1F:
            # High tag number form (X.690 §8.1.2.4): base-128 digits, bit 8 = "more".
            tag = 0
            start = p
            while True:
                if p >= end:
                    raise self.fail(p, "expected more tag-number octets (high-tag-number form), but the input ended")
                b = data[p]
                if p == start and b == 0x80:
                    warnings.append("tag number has a leading 0x80 octet (X.690 §8.1.2.4.2 c forbids it)")
                tag = (tag << 7) | (b & 0x7F)
                p += 1
                if not b & 0x80:
                    break
                if p - start >= 5:
                    raise self.fail(start, "tag number longer than 5 octets (certlab limit: 32-bit tag numbers)")
            if tag < 31:
                warnings.append(f"tag number {tag} uses the long form; numbers below 31 must use one octet (X.690 §8.1.2.4)")
        cpos, length = self.length(p, end, constructed, warnings)
        return cls, tag, constructed, cpos, length, warnings

    def length(self, p: int, end: int, constructed: bool, warnings: list[str]) -> tuple[int, int | None]:
        """Read the length octets at ``p`` (X.690 §8.1.3): (content offset, length or None)."""
        data = self.data
        if p >= end:
            raise self.fail(p, "expected a length octet, but the input ended")
        lb = data[p]
        p += 1
        if lb < 0x80:
            return p, lb
        if lb == 0x80:
            if not constructed:
                raise self.fail(p - 1, "indefinite length (0x80) on a primitive value; only constructed values may use it (X.690 §8.1.3.2)")
            warnings.append("indefinite length: allowed in BER, forbidden in DER (X.690 §10.1)")
            return p, None
        if lb == 0xFF:
            raise self.fail(p - 1, "length octet 0xFF is reserved (X.690 §8.1.3.5 c)")
        n = lb & 0x7F
        if n > 8:
            raise self.fail(p - 1, f"length uses {n} length octets; certlab reads at most 8")
        if p + n > end:
            raise self.fail(p, f"expected {n} length octets, but only {max(end - p, 0)} remain")
        length = int.from_bytes(data[p:p + n], "big")
        if data[p] == 0:
            warnings.append("length has leading zero octets; DER uses the fewest octets (X.690 §10.1)")
        elif length < 0x80:
            warnings.append(f"length {length} uses the long form; DER uses one octet below 128 (X.690 §10.1)")
        return p + n, length

    def node(self, pos: int, end: int, depth: int) -> Node:
        # The hot loop of every explore (a 100,000-entry CRL has 470,000 nodes): the
        # common header -- one identifier octet, a definite length -- is read inline
        # from precomputed tables; the rest goes through header() / length().
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise self.fail(pos, f"shown up to here: more than {self.max_nodes} nodes (certlab's limit for an "
                                 f"input of {len(self.data)} bytes); the rest was not read", limit=True)
        if depth - self.base_depth >= self.max_depth:
            raise self.fail(pos, f"shown up to here: nesting deeper than {self.max_depth} levels is not read "
                                 "(certlab limit)", limit=True)
        data = self.data
        warnings: list[str] | None = None
        first = data[pos] if pos < end else 0x1F
        if first & 0x1F != 0x1F and pos + 1 < end and data[pos + 1] < 0x80:
            length: int | None = data[pos + 1]
            cpos = pos + 2
            identifier = _OCTET[first]
            length_octets = _OCTET[length]  # type: ignore[index]
            tag_class, constructed, tag = _FIRST_OCTET[first]
        elif first & 0x1F != 0x1F and pos + 1 < end and 0x80 < data[pos + 1] < 0x83 and pos + 2 + (data[pos + 1] & 0x7F) <= end:
            # long form with one or two length octets, the other common case
            n = data[pos + 1] & 0x7F
            cpos = pos + 2 + n
            length = data[pos + 2] if n == 1 else (data[pos + 2] << 8) | data[pos + 3]
            if data[pos + 2] == 0:
                warnings = ["length has leading zero octets; DER uses the fewest octets (X.690 §10.1)"]
            elif length < 0x80:
                warnings = [f"length {length} uses the long form; DER uses one octet below 128 (X.690 §10.1)"]
            identifier = _OCTET[first]
            length_octets = data[pos + 1:cpos]
            tag_class, constructed, tag = _FIRST_OCTET[first]
        else:
            cls, tag, constructed, cpos, length, header_warnings = self.header(pos, end)
            warnings = header_warnings or None
            id_len = _identifier_length(data, pos)
            identifier = data[pos:pos + id_len]
            length_octets = data[pos + id_len:cpos]
            tag_class = TAG_CLASSES[cls]
        hlen = cpos - pos
        if tag_class == "universal":
            # Split the header into identifier and length octets (X.690 §8.1.2, 8.1.3).
            if constructed and tag in _MUST_BE_PRIMITIVE:
                warnings = warnings or []
                warnings.append(f"{UNIVERSAL_TYPES[tag]} in constructed form; DER requires the primitive form (X.690 §10.2)")
            elif not constructed and tag in _MUST_BE_CONSTRUCTED:
                warnings = warnings or []
                warnings.append(f"{UNIVERSAL_TYPES[tag]} must be constructed (X.690 §8.9.1)")
        if length is not None:
            cend = cpos + length
            if cend > end:
                where = "the input" if end == len(data) else "the enclosing value"
                self.errors.append(DerError(pos, f"length says {length} content bytes, but {where} has only {end - cpos} left after the header"))
                # Keep what is there so it can be shown (for a constructed value,
                # the children that fit), then stop.  Only the first error counts.
                kept: list[Node] = []
                if constructed:
                    n_errors = len(self.errors)
                    self._read_children(kept, cpos, end, depth)
                    del self.errors[n_errors:]
                raise _Partial(Node(pos, depth, hlen, length, tag_class, tag, constructed, identifier, length_octets,
                                    tuple(kept), self.encapsulated, end - pos, tuple(warnings or ()), False))
            if not constructed:  # the common case, kept free of the machinery below
                if tag in _CHECKED and tag_class == "universal":
                    note = _check_primitive(tag, data, cpos, cend)
                    if note is not None:
                        warnings = warnings or []
                        warnings.append(note)
                return Node(pos, depth, hlen, length, tag_class, tag, False, identifier, length_octets,
                            (), self.encapsulated, cend - pos, tuple(warnings) if warnings else ())
            children: list[Node] = []
            if not self._read_children(children, cpos, cend, depth):
                raise _Partial(Node(pos, depth, hlen, length, tag_class, tag, True, identifier, length_octets,
                                    tuple(children), self.encapsulated, cend - pos, tuple(warnings or ()), False))
            return Node(pos, depth, hlen, length, tag_class, tag, True, identifier, length_octets,
                        tuple(children), self.encapsulated, cend - pos, tuple(warnings) if warnings else ())

        def made(children: list[Node], size: int, complete: bool = True) -> Node:
            return Node(pos, depth, hlen, length, tag_class, tag, True, identifier, length_octets,
                        tuple(children), self.encapsulated, size, tuple(warnings or ()), complete)

        children = []
        # Indefinite length: children until the end-of-contents octets 00 00 (X.690 §8.1.5).
        p = cpos
        try:
            while True:
                if p + 2 <= end and data[p] == 0 and data[p + 1] == 0:
                    eoc = Node(p, depth + 1, 2, 0, "universal", 0, False, data[p:p + 1], data[p + 1:p + 2],
                               (), self.encapsulated, 2)
                    self.nodes += 1
                    children.append(eoc)
                    p += 2
                    break
                if p >= end:
                    raise self.fail(p, "expected end-of-contents octets (00 00) to close an indefinite length, but the input ended")
                child = self.node(p, end, depth + 1)
                children.append(child)
                p = child.end
        except _Partial as part:
            children.append(part.node)
            raise _Partial(made(children, end - pos, complete=False)) from None
        except _Stop:
            raise _Partial(made(children, p - pos, complete=False)) from None
        return made(children, p - pos)

    def _read_children(self, children: list[Node], p: int, stop: int, depth: int) -> bool:
        """Append the TLVs of ``data[p:stop]`` to ``children``; False if reading stopped early.

        A child cut short is appended as read (``complete=False``) so it can be shown.
        """
        node = self.node
        depth += 1
        try:
            while p < stop:
                child = node(p, stop, depth)
                children.append(child)
                p = child.offset + child.size
        except _Partial as part:
            children.append(part.node)
            return False
        except _Stop:
            return False
        return True


# One-octet bytes objects, shared: most identifiers and short lengths are one octet.
_OCTET: tuple[bytes, ...] = tuple(bytes((i,)) for i in range(256))
# identifier octet -> (class name, constructed, tag number) for the low-tag-number form
_FIRST_OCTET: tuple[tuple[str, bool, int], ...] = tuple(
    (TAG_CLASSES[i >> 6], bool(i & 0x20), i & 0x1F) for i in range(256))
# universal tags whose primitive contents _check_primitive looks at
_CHECKED = frozenset({1, 2, 3, 5, 6, 10})


def _identifier_length(data: bytes, pos: int) -> int:
    """How many identifier octets start at ``pos`` (of a header already read)."""
    id_len = 1
    if data[pos] & 0x1F == 0x1F:
        while data[pos + id_len] & 0x80:
            id_len += 1
        id_len += 1
    return id_len


class _Partial(Exception):
    """Internal: carries the partly read node up to the caller."""

    def __init__(self, node: Node) -> None:
        self.node = node


def _check_primitive(tag: int, data: bytes, start: int, end: int) -> str | None:
    """The DER rule on primitive contents that the structure alone cannot show, if one is broken."""
    n = end - start
    if tag == 1:
        if n != 1:
            return f"BOOLEAN must have exactly one content octet, has {n} (X.690 §8.2.1)"
        if data[start] not in (0x00, 0xFF):
            return f"BOOLEAN TRUE must be 0xFF in DER, is 0x{data[start]:02x} (X.690 §11.1)"
    elif tag == 2 or tag == 10:
        if n == 0:
            return "INTEGER with no content octets (X.690 §8.3.1 requires at least one)"
        if n > 1 and ((data[start] == 0 and data[start + 1] < 0x80) or (data[start] == 0xFF and data[start + 1] >= 0x80)):
            return "INTEGER is not minimally encoded: the first 9 bits are all equal, which X.690 §8.3.2 forbids in BER, so in DER too"
    elif tag == 3:
        if n == 0:
            return "BIT STRING with no content octets; the unused-bits octet is mandatory (X.690 §8.6.2)"
        if data[start] > 7:
            return f"BIT STRING says {data[start]} unused bits; at most 7 are allowed (X.690 §8.6.2.2)"
        if n == 1 and data[start] != 0:
            return "empty BIT STRING must say 0 unused bits (X.690 §8.6.2.3)"
        if data[start] and data[end - 1] & ((1 << data[start]) - 1):
            return "BIT STRING unused bits are not zero (X.690 §11.2.1)"
    elif tag == 5 and n:
        return f"NULL must have no content octets, has {n} (X.690 §8.8.2)"
    elif tag == 6:
        if n == 0:
            return "OBJECT IDENTIFIER with no content octets"
        if data[end - 1] & 0x80:
            return "OBJECT IDENTIFIER ends in the middle of a sub-identifier (X.690 §8.19.2)"
        prev_end = True
        for i in range(start, end):
            if prev_end and data[i] == 0x80:
                return "OBJECT IDENTIFIER sub-identifier has a leading 0x80 octet (X.690 §8.19.2)"
            prev_end = not data[i] & 0x80
    return None


def _run(data: bytes, limits: Limits, base_offset: int, base_depth: int, encapsulated: bool,
         start: int, end: int) -> tuple[Node | None, tuple[DerError, ...]]:
    end = min(end, len(data))  # never read past the input, whatever a length says
    reader = _Reader(data, limits, base_depth, encapsulated)
    root: Node | None = None
    try:
        root = reader.node(start, end, base_depth)
    except _Partial as part:
        root = part.node
    except _Stop:
        root = None
    except RecursionError:  # pragma: no cover - max_depth keeps us far from it
        reader.errors.append(DerError(start, "nesting too deep to read"))
    if root is not None and root.complete and not reader.errors and root.end < end:
        reader.errors.append(DerError(root.end, f"{end - root.end} unexpected bytes after the end of the top-level value"))
    return root, tuple(reader.errors)


def read(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> tuple[Node | None, tuple[DerError, ...]]:
    """Read one top-level TLV from ``data``; never raises for malformed input.

    Returns ``(root, errors)``: ``root`` is the tree as far as it could be read
    (``None`` when not even one header could be), ``errors`` is empty when the
    whole input was one well-formed value.  Offsets are absolute in ``data``.
    """
    try:
        buf = bytes(data)
    except (TypeError, ValueError):
        return None, (DerError(0, f"expected bytes, got {type(data).__name__}"),)
    if len(buf) > limits.max_size:
        return None, (DerError(0, f"input is {len(buf)} bytes; certlab reads at most {limits.max_size} bytes", True),)
    if not buf:
        return None, (DerError(0, "expected an identifier octet, but the input is empty"),)
    return _run(buf, limits, 0, 0, False, 0, len(buf))


def read_encapsulated(data: bytes, node: Node, *, limits: Limits = DEFAULT_LIMITS) -> tuple[Node | None, tuple[DerError, ...]]:
    """Read the DER inside a primitive OCTET STRING or BIT STRING ``node``.

    ``data`` is the whole buffer the node was read from (offsets stay
    absolute).  A BIT STRING's first content octet counts unused bits, so its
    DER starts one octet later.  Returns ``(inner_root, errors)``; nodes read
    carry ``encapsulated=True`` and continue the depth count.
    """
    # a node cut short claims content past the input: read only what is there
    start, end = node.content_offset, min(node.content_end, len(data))
    if node.tag_class == "universal" and node.tag == 3:
        if end - start < 1 or data[start] != 0:
            return None, (DerError(start, "a BIT STRING holding DER must have 0 unused bits"),)
        start += 1
    if start >= end:
        return None, (DerError(start, "expected encapsulated DER, but the value is empty"),)
    return _run(bytes(data), limits, 0, node.depth + 1, True, start, end)


# Sub-identifiers longer than this many octets (more than 126 bits; a UUID arc,
# RFC 4122 / X.667, has 128 bits in 19 octets) are shown by their size, not in
# decimal: computing them costs time quadratic in their length and Python refuses
# int -> str past 4300 digits (CVE-2020-10735).
_ARC_OCTETS = 32


def decode_oid(content: bytes) -> str | None:
    """Dotted form of OBJECT IDENTIFIER contents (X.690 §8.19), or None if malformed.

    Linear in the length: an arc of more than 32 octets is written by its size,
    ``(arc of N bits)``, instead of in decimal.
    """
    if not content or content[-1] & 0x80:
        return None
    parts: list[str] = []
    start = 0
    n = len(content)
    for i in range(n):
        if content[i] & 0x80:
            continue
        if i - start >= _ARC_OCTETS:
            lead = start
            while lead < i and content[lead] == 0x80:
                lead += 1
            bits = (i - lead) * 7 + (content[lead] & 0x7F).bit_length()
            parts.append(f"(arc of {bits} bits)")
            if not parts[:-1]:
                parts.insert(0, "2")  # a first sub-identifier that large is 80 + Y: X is 2 (X.690 §8.19.4)
        else:
            value = 0
            for b in content[start:i + 1]:
                value = (value << 7) | (b & 0x7F)
            if not parts:
                # The first sub-identifier packs two arcs: 40*X + Y (X.690 §8.19.4).
                parts.extend(("0", str(value)) if value < 40 else ("1", str(value - 40)) if value < 80
                             else ("2", str(value - 80)))
            else:
                parts.append(str(value))
        start = i + 1
    return ".".join(parts)


# INTEGER contents beyond which the decimal is not shown: 1024 octets are at most 2467
# digits, well inside Python's int -> str limit of 4300 (sys.get_int_max_str_digits).
_DECIMAL_OCTETS = 1024


def int_text(value: int) -> str:
    """``value`` in decimal, or by its size when it is too long for that.

    A number of more than 1024 octets (an RSA-16384 modulus has 2048; a
    hostile serial 1800) is written ``0x<first 16 octets>... (N bits)``:
    Python refuses int -> str past 4300 digits, and nobody reads 5000 digits.
    """
    bits = value.bit_length()
    if bits <= _DECIMAL_OCTETS * 8:
        return str(value)
    magnitude = -value if value < 0 else value
    octets = (bits + 7) // 8
    head = (magnitude >> ((octets - 16) * 8)).to_bytes(16, "big").hex()
    return f"{'-' if value < 0 else ''}0x{head}... ({bits} bits, too long to show in decimal)"


@dataclass(frozen=True, slots=True)
class Header:
    """The identifier and length octets of one TLV (X.690 §8.1.2, 8.1.3), as :func:`read_header` reads them."""

    offset: int
    tag_class: str
    tag: int
    constructed: bool
    identifier: bytes
    length_octets: bytes
    #: the content length, or None for the indefinite form (BER only)
    length: int | None
    #: departures from DER the header shows (long form for a short length, indefinite form ...)
    warnings: tuple[str, ...] = ()

    @property
    def content_offset(self) -> int:
        """Absolute offset of the first content octet."""
        return self.offset + len(self.identifier) + len(self.length_octets)

    @property
    def end(self) -> int | None:
        """Absolute offset just past the content (None for the indefinite form)."""
        return None if self.length is None else self.content_offset + self.length


def read_header(data: bytes, offset: int = 0) -> tuple[Header | None, DerError | None]:
    """Read the TLV header at ``offset`` of ``data``: ``(header, None)`` or ``(None, why not)``.

    The content is not read, so it may run past the end of ``data``: compare
    :attr:`Header.end` with ``len(data)`` when that matters.  The one place,
    with :class:`Node`, where certlab reads tags and lengths.
    """
    buf = bytes(data)
    reader = _Reader(buf, DEFAULT_LIMITS, 0, False)
    try:
        cls, tag, constructed, cpos, length, warnings = reader.header(offset, len(buf))
    except _Stop:
        return None, reader.errors[0]
    id_len = _identifier_length(buf, offset)
    return Header(offset, TAG_CLASSES[cls], tag, constructed, buf[offset:offset + id_len],
                  buf[offset + id_len:cpos], length, tuple(warnings)), None


@dataclass(frozen=True, slots=True)
class Length:
    """Length octets read alone (:func:`read_length`)."""

    #: the content length, or None for the indefinite form
    value: int | None
    #: how many length octets it took
    used: int
    warnings: tuple[str, ...] = ()


def read_length(octets: bytes, *, constructed: bool = True) -> tuple[Length | None, DerError | None]:
    """Read length octets alone (X.690 §8.1.3): ``(Length, None)`` or ``(None, why not)``.

    ``None`` as the length is the indefinite form (0x80), which only
    constructed values may use (``constructed=False`` makes it an error) and
    DER forbids (X.690 §10.1).  ``(None, error)`` when the octets are no length.
    """
    buf = bytes(octets)
    reader = _Reader(buf, DEFAULT_LIMITS, 0, False)
    warnings: list[str] = []
    try:
        cpos, length = reader.length(0, len(buf), constructed, warnings)
    except _Stop:
        return None, reader.errors[0]
    return Length(length, cpos, tuple(warnings)), None


def integer_octets(n: int) -> bytes:
    """The content octets of the DER INTEGER ``n``: minimal two's complement (X.690 §8.3.2).

    A positive number whose top bit would be set gets a leading 0x00, or it
    would read as negative: ``integer_octets(128) == b"\\x00\\x80"``.
    """
    size = max(1, ((n if n >= 0 else ~n).bit_length() + 8) // 8)
    return n.to_bytes(size, "big", signed=True)


def encode_length(length: int) -> bytes:
    """The DER length octets of ``length``: one octet below 128, else 0x80 + count, big-endian (X.690 §8.1.3, 10.1)."""
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def encode(node: Node, data: bytes) -> bytes:
    """Re-encode ``node`` from its header octets and its children.

    Primitive contents are copied from ``data``; constructed contents are the
    concatenation of the children, so ``encode(root, data) == data`` checks the
    reader lost nothing.
    """
    parts: list[bytes] = []

    def emit(n: Node) -> None:
        parts.append(n.identifier)
        parts.append(n.length_octets)
        if n.constructed:
            for child in n.children:
                emit(child)
        else:
            parts.append(data[n.content_offset:n.content_end])

    emit(node)
    return b"".join(parts)
