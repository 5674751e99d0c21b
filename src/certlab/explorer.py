"""``explore(der, kind)``: the DER tree, named after the standards, decoded and explained.

This is the data every ASN.1 view draws (text, HTML, JSON): the reader
(:mod:`certlab.der`) gives offsets and header octets, the schema walk
(:mod:`certlab.schema`) gives RFC field names and pkilint-style paths, and the
knowledge tables (:mod:`certlab.knowledge`) give values and explanations.
Nothing here raises for bad input: problems become :attr:`Explored.errors`.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, Iterator

from .der import DEFAULT_LIMITS, DerError, Limits, decode_oid, read
from .knowledge.asn1 import explain
from .knowledge.oids import oid_info
from .knowledge.secrets import SecretRow, secret_row
from .knowledge.unicode import visible
from .knowledge.algorithms import KEY_USAGE_BITS
from .schema import ROOT_KINDS, NamedNode, guess_root, name_tree

__all__ = ["explore", "Explored", "ExplorerNode", "KINDS"]

ExplorerNode = NamedNode
KINDS = ("certificate", "csr", "crl", "private-key", "public-key", "pkcs7", "pkcs12", "unknown")

_KEY_USAGE_BITS = tuple(bit.asn1_name for bit in KEY_USAGE_BITS)  # in bit order (RFC 5280 4.2.1.3)
_HEX_CAP = 64  # bytes of an opaque value shown in full; the rest is counted, not printed


def _hex(b: bytes) -> str:
    if len(b) <= _HEX_CAP:
        return b.hex(":")
    return f"{b[:_HEX_CAP].hex(':')}... ({len(b)} bytes)"


# content octets beyond which an INTEGER is not shown in decimal: 1024 bytes is at most
# 2467 digits, well inside Python's default limit of 4300 (sys.get_int_max_str_digits)
_DECIMAL_BYTES = 1024


def _integer(b: bytes) -> str:
    if not b:
        return "(empty)"
    n = int.from_bytes(b, "big", signed=True)
    if abs(n) < 1 << 64:
        return f"{n} (0x{b.hex()})"
    if len(b) > _DECIMAL_BYTES:
        # Python refuses int -> str past 4300 digits (CVE-2020-10735), and nobody reads
        # 5000 digits: an RSA-16384 modulus is shown by its size and first bytes
        return f"0x{b[:16].hex()}... ({n.bit_length()} bits, {len(b)} bytes; too long to show in decimal)"
    return f"{n} ({n.bit_length()} bits)"


def _oid(b: bytes) -> str:
    dotted = decode_oid(b)
    if dotted is None:
        return f"malformed OID {b.hex(':')}"
    info = oid_info(dotted)
    return f"{info.name} ({dotted})" if info else dotted


def _time(b: bytes, generalized: bool) -> str:
    text = b.decode("ascii", "replace")
    fmt = "%Y%m%d%H%M%SZ" if generalized else "%y%m%d%H%M%SZ"
    try:
        when = _dt.datetime.strptime(text, fmt)
    except ValueError:
        return f"{text!r} (not in the RFC 5280 4.1.2.5 form {'YYYYMMDDHHMMSSZ' if generalized else 'YYMMDDHHMMSSZ'})"
    if not generalized and when.year >= 2050:
        when = when.replace(year=when.year - 100)  # RFC 5280 4.1.2.5.1: YY >= 50 is 19YY
    rule = ("GeneralizedTime: RFC 5280 uses it from 2050 on" if generalized
            else "UTCTime: RFC 5280 uses it through 2049")
    return f"{when:%Y-%m-%d %H:%M:%S} UTC ({rule})"


def _text(codec: str) -> Callable[[bytes], str]:
    def decode(b: bytes) -> str:
        # control and bidi characters become visible escapes (knowledge/unicode.py)
        try:
            return visible(b.decode(codec))
        except UnicodeDecodeError:
            return f"{visible(b.decode(codec, 'replace'))} (invalid {codec})"
    return decode


def _bits(b: bytes) -> str:
    if not b:
        return "(empty)"
    unused = b[0]
    body = b[1:]
    nbits = len(body) * 8 - unused
    return f"{nbits} bits, {unused} unused: {_hex(body)}" if body else "0 bits"


def _boolean(b: bytes) -> str:
    return "FALSE" if b == b"\x00" else "TRUE" if b else "(empty)"


# universal tag -> decoder of the content octets
_DECODERS: dict[int, Callable[[bytes], str]] = {
    1: _boolean,
    2: _integer,
    3: _bits,
    4: _hex,
    5: lambda b: "NULL",
    6: _oid,
    10: _integer,
    12: _text("utf-8"),
    18: _text("ascii"),
    19: _text("ascii"),
    20: _text("latin-1"),
    22: _text("ascii"),
    23: lambda b: _time(b, False),
    24: lambda b: _time(b, True),
    26: _text("ascii"),
    28: _text("utf-32-be"),
    30: _text("utf-16-be"),
}
# IMPLICIT tags in X.509 whose base type we know by schema type name.
_BASE_TAG = {"IA5String": 22, "OCTET STRING": 4, "INTEGER": 2, "BIT STRING": 3, "BOOLEAN": 1,
             "OBJECT IDENTIFIER": 6, "UTF8String": 12, "PrintableString": 19, "GeneralizedTime": 24}


def _value(n: NamedNode, data: bytes) -> str | None:
    node = n.node
    if node.constructed:
        return None
    content = data[node.content_offset:node.content_end]
    tag = node.tag if node.tag_class == "universal" else None
    if tag is None and "IMPLICIT " in n.type_name:
        tag = _BASE_TAG.get(n.type_name.rsplit("IMPLICIT ", 1)[1].rstrip(")"))
    if tag is None:
        return _hex(content)
    if n.schema_name == "KeyUsage" and content:
        names = [_KEY_USAGE_BITS[i] for i in range(min(len(_KEY_USAGE_BITS), (len(content) - 1) * 8))
                 if content[1 + i // 8] & (0x80 >> (i % 8))]
        return f"{', '.join(names) or 'no bits set'} ({_bits(content)})"
    if n.path.endswith(".iPAddress") and len(content) in (4, 16):
        import ipaddress
        return str(ipaddress.ip_address(content))
    decoder = _DECODERS.get(tag)
    return decoder(content) if decoder else _hex(content)


class Explored:
    """The named, decoded, explained tree of one DER object (no public constructor)."""

    __slots__ = ("kind", "der", "root", "errors", "root_name", "revealed", "hidden", "_index")

    #: True when the caller asked to see secret values (``explore(..., reveal=True)``).
    revealed: bool
    #: The ``[start, end)`` byte ranges of secret content octets the renderers must
    #: not show (empty when revealed, or when nothing is secret).  Tag and length
    #: octets are never in it: the structure and the sizes are the lesson.
    hidden: tuple[tuple[int, int], ...]

    def __init__(self, kind: str, der: bytes, root: NamedNode | None, errors: tuple[DerError, ...],
                 root_name: str | None, revealed: bool = False,
                 hidden: tuple[tuple[int, int], ...] = ()) -> None:
        self.kind = kind
        self.der = der
        self.root = root
        self.errors = errors
        self.root_name = root_name
        self.revealed = revealed
        self.hidden = hidden
        self._index: dict[str, NamedNode] | None = None

    def walk(self) -> Iterator[NamedNode]:
        """Every node in document order (encapsulated values after their holder)."""
        if self.root is not None:
            yield from self.root.walk()

    def find(self, path: str) -> NamedNode | None:
        """The node answering to ``path`` (its own path or a CHOICE / open-type alias)."""
        if self._index is None:
            index: dict[str, NamedNode] = {}
            for n in self.walk():
                for p in (n.path, *n.aliases):
                    index.setdefault(p, n)
            self._index = index
        return self._index.get(path)

    def to_json(self) -> dict[str, Any] | None:
        """The root in the ``certlab inspect --json`` NODE format (None if nothing was read)."""
        return None if self.root is None else _node_json(self.root)


def _node_json(n: NamedNode) -> dict[str, Any]:
    return {
        "offset": n.offset, "depth": n.depth, "header_length": n.header_length, "length": n.length,
        "class": n.tag_class, "tag": n.tag, "constructed": n.constructed, "type": n.type_name,
        "name": n.name, "path": n.path, "value": n.value, "explanation": n.explanation,
        "encapsulated": n.encapsulated, "secret": n.secret, "warnings": list(n.warnings),
        "children": [_node_json(c) for c in n.children],
    }


# Explanations depend only on these facts of a node, so they are computed once
# per distinct combination (a certificate repeats the same few dozen).
_EXPLAIN_CACHE: dict[tuple[Any, ...], tuple[str, str, str]] = {}
_OID_TEXT_CACHE: dict[bytes, tuple[str, tuple[str, str, str] | None]] = {}


def _oid_facts(content: bytes) -> tuple[str, tuple[str, str, str] | None]:
    """(display value, (name, explanation, source) or None) of OID contents, cached."""
    hit = _OID_TEXT_CACHE.get(content)
    if hit is None:
        dotted = decode_oid(content)
        info = oid_info(dotted) if dotted else None
        shown = _oid(content)
        hit = (shown, (info.name, info.explanation, info.source) if info and info.explanation else None)
        if len(_OID_TEXT_CACHE) < 4096:
            _OID_TEXT_CACHE[content] = hit
    return hit


# Universal types whose encoding choice is itself a lesson (RFC 5280 4.1.2.4, 4.1.2.5).
_TEACH_TYPE = frozenset({"UTF8String", "PrintableString", "IA5String", "T61String", "BMPString",
                         "UniversalString", "VisibleString", "UTCTime", "GeneralizedTime"})


def _annotate(named: NamedNode, data: bytes) -> None:
    from .knowledge.asn1 import BY_SCHEMA, BY_UNIVERSAL

    for n in named.walk():
        node = n.node
        universal = node.universal_type
        oid_row = None
        if universal == "OBJECT IDENTIFIER":
            n.value, oid_row = _oid_facts(data[node.content_offset:node.content_end])
        else:
            n.value = _value(n, data)
        path = n.path
        tail = path.rsplit(".", 3)
        aliases = n.aliases
        key = (tuple(tail[1:]) if len(tail) > 1 else (),
               tuple(tuple(a.rsplit(".", 3)[1:]) for a in aliases), n.schema_name, n.name, universal, node.tag_class,
               n.open_type if (n.open_type and n.name is not None and not n.children and not n.encapsulated) else None,
               oid_row, n.open_oid)
        row = _EXPLAIN_CACHE.get(key)
        if row is None:
            title, text, source = explain(path, n.schema_name, n.name, universal, node.tag_class, aliases)
            if key[6] is not None:
                # The decoded type behind an OID-selected value says more than "value".
                row5 = BY_SCHEMA.get(key[6])
                if row5 is not None:
                    title, text, source = row5
            if oid_row is not None:
                text = f"{text} Here: {oid_row[0]} -- {oid_row[1]}"
                source = f"{source}; {oid_row[2]}" if oid_row[2] else source
            if n.open_oid is not None:
                # An OID-selected value: say what the OID makes it (RFC 5280 4.1.2.4 names, 4.2 extensions).
                info = oid_info(n.open_oid)
                if info is not None:
                    text = f"This is the value of {info.name}. {info.explanation + ' ' if info.explanation else ''}{text}"
            if oid_row is None and universal in _TEACH_TYPE and title != universal:
                # A field's meaning first, then what its encoding teaches (which
                # string type, which time type, and why).
                _t, utext, usource = BY_UNIVERSAL[universal]
                text = f"{text} Encoded as {universal}: {utext}"
                source = f"{source}; {usource}" if usource not in source else source
            row = (title, text, source)
            if len(_EXPLAIN_CACHE) < 8192:
                _EXPLAIN_CACHE[key] = row
        n.title, n.explanation, n.rfc = row
        if n.name is None:
            n.name = universal.lower().replace(" ", "") if universal else f"[{node.tag}]"


# A private key whose structure certlab cannot name: nothing in it can be shown
# as public, so every value is hidden (the tags and lengths still are read).
_UNNAMED_KEY = SecretRow("whole", "part of a private key certlab cannot name, so all of it is treated as secret",
                         "RFC 5958 2")
# A PKCS#12 bundle carries private keys, encrypted or (with -keypbe NONE) not, in
# bags certlab does not walk; the keys and certificates inside are shown as objects
# of their own (certlab.load), so the container's values are all hidden.
_BUNDLE = SecretRow("whole", "part of a PKCS#12 bundle, which can hold private keys in the clear",
                    "RFC 7292 4")


def _secret_row_of(n: NamedNode) -> SecretRow | None:
    row = secret_row(n.path)
    if row is None:
        # A CHOICE or an open type adds a segment without bytes: ML-DSA's seed is
        # secret because the ML-DSA-44-PrivateKey it is an alternative of is.
        for alias in n.aliases:
            row = secret_row(alias)
            if row is not None:
                break
    return row


def _hide_secrets(root: NamedNode, top: SecretRow | None, reveal: bool) -> tuple[tuple[int, int], ...]:
    """Mark secret nodes (``secret=True``) and, unless ``reveal``, replace what
    they would show; return the content ranges the renderers must not show.

    The rows (:data:`certlab.knowledge.secrets.SECRETS`) say how far a secret
    reaches: a ``"whole"`` secret makes every node below it secret; a
    ``"holder"`` (the PKCS#8 privateKey OCTET STRING) hides its own value but
    lets the parts decoded inside it be judged by their own rows, so the
    modulus stays public.  Only content octets of nodes with no children are
    hidden: every tag and length stays visible.
    """
    hidden: list[tuple[int, int]] = []
    stack: list[tuple[NamedNode, SecretRow | None]] = [(root, top)]
    while stack:
        n, inherited = stack.pop()
        row = inherited or _secret_row_of(n)
        if row is None:
            stack.extend((c, None) for c in reversed(n.children))
            continue
        n.secret = True
        # A constructed (BER) holder's children are pieces of the same secret
        # string, not parts decoded from it: they inherit it.
        below = row if row.reach == "whole" or n.constructed else None
        stack.extend((c, below) for c in reversed(n.children))
        if row.source not in (n.rfc or ""):
            n.rfc = f"{n.rfc}; {row.source}" if n.rfc else row.source
        if reveal:
            n.explanation = f"{n.explanation} Secret ({row.what}): shown because reveal was asked for."
            continue
        size = n.content_end - n.content_offset
        if not n.children and size > 0:
            hidden.append((n.content_offset, n.content_end))
        if n.value is not None:
            n.value = f"(secret: {size} byte{'s' if size != 1 else ''}, hidden)"
        n.explanation = (f"{n.explanation} Secret ({row.what}): its value is hidden here; "
                         "explore(der, reveal=True) or `certlab inspect --reveal` shows it.")
    return tuple(sorted(hidden))


def explore(der: bytes, kind: str | None = None, *, reveal: bool = False,
            limits: Limits = DEFAULT_LIMITS) -> Explored:
    """Read, name, decode and explain ``der``; never raises for bad bytes.

    ``kind`` is one of :data:`KINDS` or a root name (``"rsaPublicKey"``); when
    None (or the shape does not fit) the root is guessed from the structure.

    Secret values of private keys (the rows of
    :data:`certlab.knowledge.secrets.SECRETS`: RSA's d, p, q and CRT values,
    the EC scalar, RFC 8410 and ML-DSA private keys, the PKCS#8 privateKey
    string) carry ``secret=True``.  Unless ``reveal``, their ``value`` reads
    ``(secret: N bytes, hidden)``, their explanations quote nothing from them,
    and :attr:`Explored.hidden` lists their content octets so that no renderer
    shows them; structure, tags, lengths and the public parts stay visible.
    """
    data = bytes(der) if not isinstance(der, bytes) else der
    root, errors = read(data, limits=limits)
    if root is None:
        return Explored(kind or "unknown", data, None, errors, None, reveal)
    root_name = guess_root(root, kind) or (guess_root(root) if kind is None else None)
    named, walk_errors = name_tree(data, root, root_name or "unknown", limits=limits)
    _annotate(named, data)
    out_kind = ROOT_KINDS.get(root_name or "", kind if kind in KINDS else "unknown")
    hidden: tuple[tuple[int, int], ...] = ()
    if out_kind == "pkcs12":
        hidden = _hide_secrets(named, _BUNDLE, reveal)
    elif out_kind == "private-key" or root_name is None:
        # Only keys hold secrets, so certificates pay nothing for this pass.  A key
        # certlab cannot name (or one passed under another kind) is hidden whole.
        unnamed_key = root_name is None and (
            out_kind == "private-key" or ROOT_KINDS.get(guess_root(root) or "") == "private-key")
        if out_kind == "private-key" or unnamed_key:
            hidden = _hide_secrets(named, _UNNAMED_KEY if unnamed_key else None, reveal)
    for n in named.walk():
        # An EXPLICIT tag wrapper shows what it wraps (the [0] of version shows "2"),
        # and is as secret as what it wraps.
        if n.value is None and n.type_name.endswith("EXPLICIT") and len(n.children) == 1:
            n.value = n.children[0].value
            n.secret = n.secret or n.children[0].secret
    return Explored(out_kind, data, named, errors + walk_errors, root_name, reveal, hidden)
