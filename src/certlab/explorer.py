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

from ._perf import gc_paused
from .der import DEFAULT_LIMITS, UNIVERSAL_TYPES, DerError, Limits, decode_oid, read
from .knowledge.asn1 import BY_SCHEMA, BY_UNIVERSAL, OID_HOLDERS, explain, explain_by_oid
from .knowledge.ct import TLS_ROWS
from .knowledge.oids import oid_info
from .knowledge.secrets import SecretRow, secret_row
from .knowledge.unicode import visible
from .knowledge.algorithms import KEY_USAGE_BITS
from .schema import ROOT_KINDS, NamedNode, guess_root, name_tree

__all__ = ["explore", "Explored", "ExplorerNode", "KINDS"]

ExplorerNode = NamedNode
KINDS = ("certificate", "csr", "crl", "private-key", "public-key", "pkcs7", "pkcs12",
         "ocsp-request", "ocsp-response", "timestamp-request", "timestamp-response", "cmp", "crmf", "unknown")

_KEY_USAGE_BITS = tuple(bit.asn1_name for bit in KEY_USAGE_BITS)  # in bit order (RFC 5280 §4.2.1.3)
_HEX_CAP = 64  # bytes of an opaque value shown in full; the rest is counted, not printed


def _hex(b: bytes, cap: int = _HEX_CAP) -> str:
    if len(b) <= cap:
        return b.hex(":")
    return f"{b[:cap].hex(':')}... ({len(b)} bytes)"


# An opaque value (nothing decoded below it: an unknown extension, a user notice's
# bytes, a signature) is shown whole up to this many bytes; a value whose DER is
# decoded below it keeps the short form, its children show the same bytes.
_WHOLE_CAP = 1 << 16


def _whole(b: bytes) -> str:
    return _hex(b, _WHOLE_CAP)


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
        return f"malformed OID {_hex(b)}"
    info = oid_info(dotted)
    return f"{info.name} ({dotted})" if info else dotted


_UTC_RULE = "UTCTime: RFC 5280 uses it through 2049"
_GEN_RULE = "GeneralizedTime: RFC 5280 uses it from 2050 on"

# Messages whose times are GeneralizedTime whatever the year, so RFC 5280's "from 2050 on" does not
# apply (a certificate or CRL inside them keeps RFC 5280's rule): root name -> what to say.
_ALWAYS_GENERALIZED = {
    "oCSPResponse": "GeneralizedTime: every OCSP time is (RFC 6960 §4.2.1)",
    "oCSPRequest": "GeneralizedTime: every OCSP time is (RFC 6960 §4.2.1)",
    "timeStampResp": "GeneralizedTime, fractions of a second allowed (RFC 3161 §2.4.2)",
    "contentInfo": "GeneralizedTime, fractions of a second allowed (RFC 3161 §2.4.2)",
    "pKIMessage": "GeneralizedTime (RFC 4210 §5.1.1)",
}


def _exact_time(text: str, generalized: bool) -> _dt.datetime | None:
    return _exact_time_shown(text, generalized)[0]


def _exact_time_shown(text: str, generalized: bool) -> tuple[_dt.datetime | None, str]:
    """(the time, shown as YYYY-MM-DD HH:MM:SS) of an exact UTCTime / GeneralizedTime, or (None, "")."""
    when = _exact_time_parse(text, generalized)
    if when is None:
        return None, ""
    if when.year < 1000:  # %Y's padding is the platform's: let strftime say it
        return when, f"{when:%Y-%m-%d %H:%M:%S}"
    r = text[-11:-1]  # MMDDHHMMSS
    return when, f"{when.year}-{r[0:2]}-{r[2:4]} {r[4:6]}:{r[6:8]}:{r[8:10]}"


def _exact_time_parse(text: str, generalized: bool) -> _dt.datetime | None:
    """YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ exactly (RFC 5280 §4.1.2.5.1-2), else None.

    Read by hand, not with strptime (ten times slower: a 100,000-entry CRL has
    100,000 dates); UTCTime's YY >= 50 is 19YY (RFC 5280 §4.1.2.5.1).
    """
    digits = text[:-1]
    if len(text) != (15 if generalized else 13) or text[-1:] != "Z" or not (digits.isdigit() and digits.isascii()):
        return None
    if generalized:
        year, rest = int(digits[:4]), digits[4:]
    else:
        yy = int(digits[:2])
        year, rest = (1900 + yy if yy >= 50 else 2000 + yy), digits[2:]
    try:
        return _dt.datetime(year, int(rest[0:2]), int(rest[2:4]), int(rest[4:6]), int(rest[6:8]), int(rest[8:10]))
    except ValueError:
        return None


# two-digit month -> its last day, as text (February: the 29th is checked against the year)
_LAST_DAY = {"01": "31", "02": "29", "03": "31", "04": "30", "05": "31", "06": "30",
             "07": "31", "08": "31", "09": "30", "10": "31", "11": "30", "12": "31"}


def _time_text(text: str, generalized: bool) -> str | None:
    """``_exact_time_shown(text, generalized)[1]``, or None where it gives no time.

    Compares the two-digit fields as text instead of making a datetime (a
    100,000-entry CRL has 100,000 dates): the same rules, the same result.
    """
    if len(text) != (15 if generalized else 13) or text[-1] != "Z" or not (text.isascii() and text[:-1].isdigit()):
        return None
    if generalized:
        year, r = text[:4], 4
        if year[0] == "0":  # years below 1000 (or 0, which is none): the slow, general reading
            when, shown = _exact_time_shown(text, generalized)
            return shown if when is not None else None
    else:
        year, r = ("19" if text[0] >= "5" else "20") + text[:2], 2
    month, day, hour, minute, second = text[r:r + 2], text[r + 2:r + 4], text[r + 4:r + 6], \
        text[r + 6:r + 8], text[r + 8:r + 10]
    last = _LAST_DAY.get(month)
    if last is None or not ("01" <= day <= last) or hour > "23" or minute > "59" or second > "59":
        return None
    if month == "02" and day == "29":
        y = int(year)
        if y % 4 or (y % 100 == 0 and y % 400):
            return None
    return f"{year}-{month}-{day} {hour}:{minute}:{second}"


def _time(b: bytes, generalized: bool, path: str = "") -> str:
    """A UTCTime / GeneralizedTime shown as a date, with the rule that chose its type.
    RFC 5280's 2049/2050 rule is the ``Time`` CHOICE's (RFC 5280 §4.1.2.5, §5.1.2.4;
    RFC 5652 §11.3): a GeneralizedTime outside it (privateKeyUsagePeriod, RFC 5280
    §5.3.2 invalidityDate, the messages below) is simply the field's type, every year."""
    text = b.decode("ascii", "replace")
    message_rule = None
    if generalized:
        root = path.split(".", 1)[0]
        if root in _ALWAYS_GENERALIZED and ".tbsCertificate." not in path \
                and ".tbsCertList." not in path and (root != "contentInfo" or ".tSTInfo." in path):
            message_rule = _ALWAYS_GENERALIZED[root]
    shown = _time_text(text, generalized)
    if shown is None:
        if message_rule is not None and "." in text:
            try:  # RFC 3161 §2.4.2: YYYYMMDDhhmmss[.s...]Z
                fraction = _dt.datetime.strptime(text, "%Y%m%d%H%M%S.%fZ")
                return f"{fraction:%Y-%m-%d %H:%M:%S.%f} UTC ({message_rule})"
            except ValueError:
                pass
        return f"{text!r} (not in the RFC 5280 §4.1.2.5 form {'YYYYMMDDHHMMSSZ' if generalized else 'YYMMDDHHMMSSZ'})"
    in_time_choice = path == "" or path.endswith(".generalTime")
    rule = message_rule or ((_GEN_RULE if in_time_choice else "GeneralizedTime: four-digit year") if generalized
                            else _UTC_RULE)
    return f"{shown} UTC ({rule})"


def _text(codec: str) -> Callable[[bytes], str]:
    def decode(b: bytes) -> str:
        # control and bidi characters become visible escapes (knowledge/unicode.py)
        try:
            return visible(b.decode(codec))
        except UnicodeDecodeError:
            return f"{visible(b.decode(codec, 'replace'))} (invalid {codec})"
    return decode


def _teletex(b: bytes) -> str:
    """T61String as Latin-1 -- what old certificates put there -- saying so when the bytes are not
    plain ASCII; cryptography writes UTF-8 into it, so a valid UTF-8 reading is shown too."""
    text = visible(b.decode("latin-1"))
    if all(c < 0x80 for c in b):
        return text
    try:
        utf8 = visible(b.decode("utf-8"))
    except UnicodeDecodeError:
        return f"{text} (read as Latin-1; T.61 itself is another character set)"
    return f"{text} (read as Latin-1; the bytes are also valid UTF-8: {utf8}; T.61 is neither)"


def _bits(b: bytes, hexer: Callable[[bytes], str] = _hex) -> str:
    if not b:
        return "(empty)"
    unused = b[0]
    body = b[1:]
    nbits = len(body) * 8 - unused
    return f"{nbits} bits, {unused} unused: {hexer(body)}" if body else "0 bits"


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
    # T61String / TeletexString (X.690 §8.23.5, ITU-T T.61): in practice certificates put
    # Latin-1 in it (RFC 5280 §4.1.2.4 calls it legacy); shown as Latin-1, said so in the
    # explanation (knowledge/asn1.py)
    20: lambda b: _teletex(b),
    22: _text("ascii"),
    23: lambda b: _time(b, False),
    24: lambda b: _time(b, True),
    26: _text("ascii"),
    # GeneralString (X.690 §8.23.5): ISO 2022 escapes select its character sets; without
    # them it is ASCII (Kerberos uses it that way, RFC 4120 §5.2.1)
    27: _text("ascii"),
    28: _text("utf-32-be"),
    30: _text("utf-16-be"),
}
# IMPLICIT tags in X.509 whose base type we know by schema type name.
_BASE_TAG = {"IA5String": 22, "OCTET STRING": 4, "INTEGER": 2, "BIT STRING": 3, "BOOLEAN": 1,
             "OBJECT IDENTIFIER": 6, "UTF8String": 12, "PrintableString": 19, "GeneralizedTime": 24}


# universal tags whose value is their decoder's alone (no schema fact changes it)
_PLAIN_TAGS = frozenset({1, 5, 6, 12, 18, 19, 20, 22, 23, 26, 27, 28, 30})


def _value(n: NamedNode, data: bytes) -> str | None:
    node = n.node
    if node.constructed:
        return None
    start = node.offset + node.header_length
    length = node.length
    content = data[start:start + length] if node.complete and length is not None else data[start:node.content_end]
    if node.tag_class == "universal":
        tag: int | None = node.tag
        if tag in _PLAIN_TAGS:
            return _DECODERS[tag](content)
    else:
        tag = None
        if "IMPLICIT " in n.type_name:
            tag = _BASE_TAG.get(n.type_name.rsplit("IMPLICIT ", 1)[1].rstrip(")"))
    hexer = _hex if n.children else _whole
    if tag is None:
        return hexer(content)
    named = n.named_values
    if named is not None:
        if tag == 3 and content:
            # named bits (KeyUsage, ReasonFlags, Netscape Cert Type ...): the schema's names
            names = [named.get(i, f"bit {i}") for i in range((len(content) - 1) * 8)
                     if content[1 + i // 8] & (0x80 >> (i % 8))]
            return f"{', '.join(names) or 'no bits set'} ({_bits(content)})"
        if (tag == 2 or tag == 10) and 0 < len(content) <= 8:
            number = int.from_bytes(content, "big", signed=True)
            label = named.get(number)
            return f"{label} ({number})" if label else f"{number} (not a value the standard names)"
    if n.path.endswith(".iPAddress"):
        if len(content) in (4, 16, 8, 32):
            import ipaddress
            if len(content) in (8, 32):
                # name constraints: address and mask (RFC 5280 §4.2.1.10), shown as openssl does
                half = len(content) // 2
                return f"{ipaddress.ip_address(content[:half])}/{ipaddress.ip_address(content[half:])}"
            return str(ipaddress.ip_address(content))
        return (f"{_hex(content)} ({len(content)} bytes: neither an address (4 or 16 bytes) nor an address "
                "and mask (8 or 32), RFC 5280 §4.2.1.6, 4.2.1.10)")
    if tag == 2 or tag == 10:
        return _integer(content)
    if tag == 4:
        return hexer(content)
    if tag == 3:
        return _bits(content, hexer)
    if tag == 24:
        return _time(content, True, n.path)
    decoder = _DECODERS.get(tag)
    return decoder(content) if decoder else hexer(content)


_GUESS_NOTE = ("Guessed: no schema says these bytes hold DER, but they decode as exactly one "
               "well-formed DER value, so certlab shows that decoding; it may be a coincidence.")


def _child(n: NamedNode, name: str) -> NamedNode | None:
    return next((c for c in n.children if c.name == name), None)


def _algorithm_name(n: NamedNode | None, data: bytes) -> str | None:
    """The name of an AlgorithmIdentifier's OID (under any EXPLICIT wrapper)."""
    while n is not None and n.type_name.endswith("EXPLICIT") and n.children:
        n = n.children[0]
    oid = _child(n, "algorithm") if n is not None else None
    if oid is None:
        return None
    dotted = decode_oid(data[oid.content_offset:oid.content_end]) or "?"
    info = oid_info(dotted)
    return info.name if info else dotted


def _pss_summary(n: NamedNode, data: bytes) -> str:
    """RSASSA-PSS-params with every default stated (RFC 4055 §3.1)."""
    from .asn1_extra import PSS_DEFAULTS

    def get(name: str) -> NamedNode | None:
        c = _child(n, name)
        while c is not None and c.type_name.endswith("EXPLICIT") and c.children:
            c = c.children[0]
        return c

    parts = []
    h = get("hashAlgorithm")
    parts.append(f"hash {_algorithm_name(h, data)}" if h is not None else f"hash {PSS_DEFAULTS['hashAlgorithm']} (default)")
    m = get("maskGenAlgorithm")
    if m is not None:
        inner = _child(m, "parameters")
        parts.append(f"mask {_algorithm_name(m, data)} with {_algorithm_name(inner, data)}")
    else:
        parts.append(f"mask {PSS_DEFAULTS['maskGenAlgorithm']} (default)")
    for key, label in (("saltLength", "salt length"), ("trailerField", "trailer field")):
        c = get(key)
        if c is not None and not c.constructed:
            v = int.from_bytes(data[c.content_offset:c.content_end], "big", signed=True)
            parts.append(f"{label} {v}")
        else:
            parts.append(f"{label} {PSS_DEFAULTS[key]} (default)")
    return "; ".join(parts)


def _curve_summary(n: NamedNode, data: bytes) -> str:
    """Explicit EC parameters: say so, and which named curve they equal (knowledge/curves.py)."""
    from .knowledge.curves import curve_matching

    def octets(*names: str) -> bytes | None:
        c: NamedNode | None = n
        for name in names:
            c = _child(c, name) if c is not None else None
        return data[c.content_offset:c.content_end] if c is not None and not c.constructed else None

    p = octets("fieldID", "parameters")
    a, b = octets("curve", "a"), octets("curve", "b")
    base, order = octets("base"), octets("order")
    if p is None or a is None or b is None or base is None or order is None:
        return "explicit curve parameters (incomplete: some rows are missing)"
    def big(x: bytes) -> int:
        return int.from_bytes(x, "big")

    match = curve_matching(big(p), big(a), big(b), base, big(order))
    if match is None:
        return f"explicit curve parameters ({big(p).bit_length()}-bit field), equal to no named curve certlab knows"
    name, oid, same_base = match
    if same_base:
        return f"explicit curve parameters, equal to the named curve {name} ({oid})"
    return (f"explicit curve parameters with the prime, a, b and order of {name} ({oid}) but ANOTHER base "
            "point: the CurveBall shape (CVE-2020-0601)")


_SUMMARIES: dict[str, Callable[[NamedNode, bytes], str]] = {
    "RSASSA_PSS_params": _pss_summary,
    "SpecifiedECDomain": _curve_summary,
}


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
            # Built once, in one pass (a 100,000-entry CRL has 470,000 paths): the first
            # node in document order wins a path, so the pairs are added last-first.
            pairs: list[tuple[str, NamedNode]] = []
            add = pairs.append
            stack = [self.root] if self.root is not None else []
            pop, push = stack.pop, stack.extend
            while stack:
                n = pop()
                add((n.path, n))
                if n.aliases:
                    pairs.extend((a, n) for a in n.aliases)
                if n.children:
                    push(reversed(n.children))
            pairs.reverse()
            self._index = dict(pairs)
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
_EXPLAIN_CACHE_SIZE = 8192
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


_HELD_CACHE: dict[tuple[str, bytes], tuple[str, str, str] | None] = {}


def _held_row(n: NamedNode, data: bytes) -> tuple[str, str, str] | None:
    """The row the OID component of ``n`` (an Extension's extnID ...) gives it, cached."""
    schema = n.schema_name or ""
    holder = OID_HOLDERS[schema]
    for oid in n.children:
        if oid.name == holder:
            break
    else:
        return None
    node = oid.node
    if node.tag != 6 or node.tag_class != "universal":
        return None
    start = node.offset + node.header_length
    key = (schema, data[start:node.content_end])
    if key in _HELD_CACHE:
        return _HELD_CACHE[key]
    dotted = decode_oid(key[1])
    row = explain_by_oid(schema, dotted) if dotted else None
    if len(_HELD_CACHE) < 4096:
        _HELD_CACHE[key] = row
    return row


# Universal types whose encoding choice is itself a lesson (RFC 5280 §4.1.2.4, 4.1.2.5).
_TEACH_TYPE = frozenset({"UTF8String", "PrintableString", "IA5String", "T61String", "BMPString",
                         "UniversalString", "VisibleString", "UTCTime", "GeneralizedTime"})


def _star(path: str) -> str:
    """``path`` with its list indices as ``*`` (how knowledge.asn1.explain reads them)."""
    return ".".join(["*" if s.isdigit() else s for s in path.split(".")])


# universal tags whose contents are part of a list item's shape (schema._Walker._signature)
_SHAPE_TAGS = frozenset({3, 4, 6})

# (parent pattern, path segments below it) -> pattern: facts of the schemas' paths only
_PATTERNS: dict[tuple[str, str], str] = {}


def _child_patterns(n: NamedNode, pattern: str, patterns: dict[tuple[str, str], str]) -> list[tuple[NamedNode, str]]:
    """``(child, _star(child.path))`` for the children of ``n`` (whose pattern is ``pattern``),
    last child first, each pattern made from the parent's.

    ``patterns`` (:data:`_PATTERNS`) maps (parent pattern, path segments below it with
    indices as "*") to the pattern: one string per field of a schema, shared by every
    list item and every object of the same type, its hash computed once.
    """
    path = n.path
    prefix = f"{path}."
    k = len(prefix)
    out: list[tuple[NamedNode, str]] = []
    add = out.append
    get = patterns.get
    for c in reversed(n.children):
        cpath = c.path
        if cpath == path:
            add((c, pattern))  # an EXPLICIT tag adds no segment
        elif cpath.startswith(prefix):
            suffix = cpath[k:]
            if suffix.isdigit():
                suffix = "*"
            cpattern = get((pattern, suffix))
            if cpattern is None:
                if len(patterns) >= 16384:
                    patterns.clear()  # a long-running kernel that met many shapes starts afresh
                cpattern = patterns[(pattern, suffix)] = f"{pattern}.{_star(suffix) if '.' in suffix else suffix}"
            add((c, cpattern))
        else:
            add((c, _star(cpath)))
    return out


def _annotate(named: NamedNode, data: bytes) -> list[NamedNode]:
    """Fill every node's value, title, explanation and source; return the EXPLICIT
    wrappers with no value of their own, in document order (they show what they wrap
    once secrets are hidden)."""
    explicit: list[NamedNode] = []
    cache = _EXPLAIN_CACHE
    # Each node's path with list indices as "*" (its pattern) is made from its parent's
    # (_child_patterns), so a 100,000-entry CRL's entries share one explanation per field
    # without splitting 470,000 paths; the explanation depends on nothing else of the path.
    patterns = _PATTERNS
    stack: list[tuple[NamedNode, str]] = [(named, _star(named.path))]
    pop = stack.pop
    while stack:
        n, pattern = pop()
        node = n.node
        children = n.children
        twin = n.twin
        if twin is not None:
            # An item of a long list named like an earlier one (schema._Walker._items): the
            # same explanations, values read again but where the shape fixed them (OIDs,
            # OCTET / BIT STRINGs: their contents were compared).  The twin came first.
            if children:
                for c in children:
                    if c.twin is None:  # changed after the copy: explained on its own
                        stack.extend(_child_patterns(n, pattern or _star(n.path), patterns))
                        break
                else:
                    stack.extend([(c, "") for c in reversed(children)])
            if node.constructed:
                n.value = None
            elif node.tag_class == "universal" and node.tag in _SHAPE_TAGS:
                n.value = twin.value
            else:
                n.value = _value(n, data)
            n.title, n.explanation, n.rfc = twin.title, twin.explanation, twin.rfc
            if n.name is None:
                n.name = twin.name
            if n.schema_name in _SUMMARIES:
                n.value = _SUMMARIES[n.schema_name](n, data)
            if n.value is None and len(children) == 1 and n.type_name.endswith("EXPLICIT"):
                explicit.append(n)
            continue
        path = n.path
        if children:
            stack.extend(_child_patterns(n, pattern, patterns))  # pushed last first: popped in document order
        if node.tag_class == "tls":
            # TLS-encoded parts of an SCT list (RFC 6962 §3.3): certlab.ct set the value
            n.title, n.explanation, n.rfc = TLS_ROWS.get((n.schema_name or "")[4:], ("TLS field", "", "RFC 6962"))
            continue
        universal = UNIVERSAL_TYPES.get(node.tag) if node.tag_class == "universal" else None
        oid_row = None
        if universal == "OBJECT IDENTIFIER":
            n.value, oid_row = _oid_facts(data[node.content_offset:node.content_end])
        elif node.constructed:
            n.value = None
        else:
            n.value = _value(n, data)
        aliases = n.aliases
        name = n.name
        open_type = n.open_type if (n.open_type and name is not None and not children and not n.encapsulated) else None
        # The pattern is the whole path with list indices as "*": the root is in it (BY_PATH
        # rows keyed with their root differ by it: a CSR's signature is the requester's, a
        # certificate's the issuer's), and so is whether the node is inside a Name.
        # Aliases are prefixes of the path: their patterns are the pattern's first segments.
        key = (pattern, tuple([a.count(".") for a in aliases]) if aliases else (), n.schema_name,
               "*" if name and name.isdigit() else name, universal, node.tag_class, open_type, oid_row, n.open_oid)
        row = cache.get(key)
        if row is None:
            title, text, source = explain(path, n.schema_name, name, universal, node.tag_class, aliases)
            if open_type is not None:
                # The decoded type behind an OID-selected value says more than "value".
                row5 = BY_SCHEMA.get(open_type)
                if row5 is not None:
                    title, text, source = row5
            # an extension's meaning is told once, on its Extension node, a name attribute's on its
            # AttributeTypeAndValue (knowledge.asn1.OID_HOLDERS): the OID and the value only name it
            # (read from the pattern, which has the path's segments but for list indices)
            last = pattern.rsplit(".", 2)
            in_extension = name in ("extnID", "extnValue") or (len(last) > 2 and last[-2] == "extnValue") \
                or (".rdnSequence." in pattern and (name == "type" or n.open_oid is not None))
            if oid_row is not None and in_extension:
                text = f"{text} Here: {oid_row[0]}."
            elif oid_row is not None:
                text = f"{text} Here: {oid_row[0]} -- {oid_row[1]}"
                source = f"{source}; {oid_row[2]}" if oid_row[2] else source
            if n.open_oid is not None:
                # An OID-selected value: say what the OID makes it (RFC 5280 §4.1.2.4 names, 4.2 extensions).
                info = oid_info(n.open_oid)
                if info is not None and in_extension:
                    text = f"This is the value of {info.name}. {text}"
                elif info is not None:
                    text = f"This is the value of {info.name}. {info.explanation + ' ' if info.explanation else ''}{text}"
            if oid_row is None and universal in _TEACH_TYPE and title != universal:
                # A field's meaning first, then what its encoding teaches (which
                # string type, which time type, and why).
                _t, utext, usource = BY_UNIVERSAL[universal]
                text = f"{text} Encoded as {universal}: {utext}"
                source = f"{source}; {usource}" if usource not in source else source
            row = (title, text, source)
            if len(cache) >= _EXPLAIN_CACHE_SIZE:
                cache.clear()  # a long-running kernel that met many shapes starts afresh
            cache[key] = row
        if n.schema_name in OID_HOLDERS:
            # an extension is explained by its extnID, a name attribute by its type
            held = _held_row(n, data)
            if held is not None:
                row = (row[0], held[1], held[2])
        n.title, n.explanation, n.rfc = row
        if n.guess:
            n.explanation = (f"{_GUESS_NOTE} {n.explanation}" if path.endswith(".guess")
                             else n.explanation)
            n.type_name = f"{n.type_name} (guessed)"
        elif n.schema_name in _SUMMARIES:
            n.value = _SUMMARIES[n.schema_name](n, data)
        if name is None:
            n.name = universal.lower().replace(" ", "") if universal else f"[{node.tag}]"
        if n.value is None and len(children) == 1 and n.type_name.endswith("EXPLICIT"):
            explicit.append(n)
    return explicit


# A private key whose structure certlab cannot name: nothing in it can be shown
# as public, so every value is hidden (the tags and lengths still are read).
_UNNAMED_KEY = SecretRow("whole", "part of a private key certlab cannot name, so all of it is treated as secret",
                         "RFC 5958 §2")
# A PKCS#12 bundle carries private keys, encrypted or (with -keypbe NONE) not, in
# its bags.  The walk names the bags (RFC 7292 §4.2): a keyBag's key and a secretBag's
# value are secret by their rows (knowledge.secrets); any part of a bundle the walk
# could not name (an unknown bag type, a malformed bag) may hold a key, so it is
# hidden whole.
_BUNDLE = SecretRow("whole", "a part of a PKCS#12 bundle certlab cannot name, which could hold a private key",
                    "RFC 7292 §4")


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


def _hide_secrets(root: NamedNode, top: SecretRow | None, reveal: bool,
                  unnamed: SecretRow | None = None) -> tuple[tuple[int, int], ...]:
    """Mark secret nodes (``secret=True``) and, unless ``reveal``, replace what
    they would show; return the content ranges the renderers must not show.

    The rows (:data:`certlab.knowledge.secrets.SECRETS`) say how far a secret
    reaches: a ``"whole"`` secret makes every node below it secret; a
    ``"holder"`` (the PKCS#8 privateKey OCTET STRING) hides its own value but
    lets the parts decoded inside it be judged by their own rows, so the
    modulus stays public.  ``unnamed`` is the row of any node no schema named
    (inside a PKCS#12 bundle).  Only content octets of nodes with no children
    are hidden: every tag and length stays visible.
    """
    hidden: list[tuple[int, int]] = []
    stack: list[tuple[NamedNode, SecretRow | None]] = [(root, top)]
    while stack:
        n, inherited = stack.pop()
        row = inherited or _secret_row_of(n)
        if row is None and unnamed is not None and n.schema_name is None and n.open_type is None:
            row = unnamed
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


def _hide_holders(root: NamedNode, hidden: tuple[tuple[int, int], ...]) -> None:
    """A value that is not secret itself but whose bytes hold hidden ones (the PKCS#12
    Data OCTET STRING around a keyBag) must not show them as its own hex value."""
    import bisect

    starts = [start for start, _end in hidden]
    for n in root.walk():
        if n.secret or n.value is None or not n.children:
            continue
        i = bisect.bisect_right(starts, n.content_end - 1) - 1  # the last range starting inside
        while i >= 0 and hidden[i][1] > n.content_offset:
            if hidden[i][0] < n.content_end:
                n.value = "(holds secret values, hidden: see below)"
                break
            i -= 1


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
    with gc_paused():
        return _explore(bytes(der) if not isinstance(der, bytes) else der, kind, reveal, limits)


def _explore(data: bytes, kind: str | None, reveal: bool, limits: Limits) -> Explored:
    root, errors = read(data, limits=limits)
    if root is None:
        return Explored(kind or "unknown", data, None, errors, None, reveal)
    root_name = guess_root(root, kind, data) or (guess_root(root, None, data) if kind is None else None)
    named, walk_errors = name_tree(data, root, root_name or "unknown", limits=limits)
    explicit = _annotate(named, data)
    out_kind = ROOT_KINDS.get(root_name or "", kind if kind in KINDS else "unknown")
    hidden: tuple[tuple[int, int], ...] = ()
    if out_kind == "pkcs12":
        hidden = _hide_secrets(named, None, reveal, unnamed=_BUNDLE)
    elif out_kind == "private-key" or root_name is None:
        # Only keys hold secrets, so certificates pay nothing for this pass.  A key
        # certlab cannot name (or one passed under another kind) is hidden whole.
        unnamed_key = root_name is None and (
            out_kind == "private-key" or ROOT_KINDS.get(guess_root(root, None, data) or "") == "private-key")
        if out_kind == "private-key" or unnamed_key:
            hidden = _hide_secrets(named, _UNNAMED_KEY if unnamed_key else None, reveal)
    if hidden:
        _hide_holders(named, hidden)
    for n in explicit:
        # An EXPLICIT tag wrapper shows what it wraps (the [0] of version shows "2"),
        # and is as secret as what it wraps.
        if n.value is None:
            n.value = n.children[0].value
            n.secret = n.secret or n.children[0].secret
    return Explored(out_kind, data, named, errors + walk_errors, root_name, reveal, hidden)
