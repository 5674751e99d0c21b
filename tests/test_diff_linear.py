"""certlab.diff stays linear (issue 11 item 7) and says exactly what it said before.

The quadratic implementation it replaced is kept here, verbatim, as the oracle: the new
one must give identical ranges on real objects (consecutive cryptography-vectors
certificates, CSRs and CRLs, lab edits, a CSR and its certificate) and on random trees
that exercise what real objects rarely do (a primitive node becoming constructed, an
extension inside an extension, CHOICE paths with no node of their own).  Growth is
checked by counting the lines diff.py executes, never by a clock (timings live in
``benchmarks/bench_diff.py``).
"""

from __future__ import annotations

import datetime as dt
import pathlib
import random
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import cryptography_vectors
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

import certlab.diff as diff_module
from certlab.build import TeachingCA, build_csr, build_self_signed, generate_key
from certlab.der import decode_oid
from certlab.diff import ByteRange, diff, diff_der, diff_fields
from certlab.explorer import explore
from certlab.fields import describe
from certlab.spec import CertificateSpec, CsrSpec, KeySpec, Subject
from tests._certs import revoked_crl

Status = Any
_PREFIXES = diff_module._PREFIXES
_RENAMES = diff_module._RENAMES
_rewrite_prefix = diff_module._rewrite_prefix
_NodeLike = Any

# --- the implementation before the fix (quadratic), the oracle --------------------

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

    canonical: dict[str, str] = {}
    for path in entries:
        name = _rewrite_prefix(path)
        # the longest extension prefix wins (an extension inside an extension is unheard of,
        # but a nested path must map to its own extension)
        for ext_path, ext_name in ext_names.items():
            if path == ext_path or path.startswith(ext_path + "."):
                name = ext_name + path[len(ext_path):]
                break
        name = ".".join(_RENAMES.get(part, part) for part in name.split("."))
        canonical[path] = name
    return entries, canonical


def old_diff_der(
    der_a: bytes, nodes_a: Iterable[_NodeLike], der_b: bytes, nodes_b: Iterable[_NodeLike]
) -> tuple[tuple[ByteRange, ...], tuple[ByteRange, ...]]:
    """The byte ranges that differ between two explored DER encodings.

    ``nodes_*`` are the explorer's nodes (``Explored.walk()``): anything with
    ``path``, ``offset``, ``header_length`` and ``length``.
    """
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
    out: list[ByteRange] = []
    for path, entry in entries.items():
        if path in shares or _under(path, skip):
            continue
        parent = entry.parent
        if parent is None or parent not in entries or parent in shares:
            out.append(ByteRange(entry.start, entry.end, path, status))
    return out


def _under(path: str, roots: set[str]) -> bool:
    return any(path == r or path.startswith(r + ".") for r in roots)


def _drop_nested(ranges: list[ByteRange]) -> tuple[ByteRange, ...]:
    """Drop a range that lies wholly inside an earlier one (sorted by start)."""
    out: list[ByteRange] = []
    for r in ranges:
        if out and r.start >= out[-1].start and r.end <= out[-1].end:
            continue
        out.append(r)
    return tuple(out)



# --- the corpus ---------------------------------------------------------------------

NOW = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
VECTORS = pathlib.Path(cryptography_vectors.__file__).parent / "x509"


def _loaded(paths: Iterable[pathlib.Path], pem: Any, der: Any) -> list[Any]:
    out = []
    for path in paths:
        data = path.read_bytes()
        try:
            out.append(pem(data) if b"-----BEGIN" in data else der(data))
        except Exception:  # noqa: BLE001 - InvalidVersion is no ValueError
            continue  # a vector that is malformed on purpose
    return out


def _vector_pairs() -> list[tuple[str, Any, Any]]:
    certs = _loaded(sorted(VECTORS.glob("*.pem")) + sorted((VECTORS / "custom").glob("*.pem"))[:40],
                    x509.load_pem_x509_certificate, x509.load_der_x509_certificate)
    csrs = _loaded(sorted((VECTORS / "requests").iterdir()),
                   x509.load_pem_x509_csr, x509.load_der_x509_csr)
    crls = _loaded(sorted(p for p in (VECTORS / "custom").glob("*crl*") if "10k" not in p.name),
                   x509.load_pem_x509_crl, x509.load_der_x509_crl)
    pairs = []
    for kind, objs in (("cert", certs), ("csr", csrs), ("crl", crls)):
        assert len(objs) >= 5, kind
        pairs += [(f"{kind}{i}", a, b) for i, (a, b) in enumerate(zip(objs, objs[1:]))]
    pairs.append(("csr-vs-cert", csrs[0], certs[0]))
    return pairs


def _lab_pairs() -> list[tuple[str, Any, Any]]:
    key = generate_key(KeySpec("ec", curve="P-256"))

    def cert(cn: str = "mysite.com", **kw: Any) -> x509.Certificate:
        return build_self_signed(CertificateSpec(subject=Subject(common_name=cn), serial=1234, **kw), key, now=NOW)

    ca = TeachingCA.create(intermediate=False, now=NOW)
    csr = build_csr(CsrSpec(key=KeySpec("ec")), key)
    return [
        ("cn", cert("a.example"), cert("bb.example")),
        ("ku", cert(), cert(key_usage=frozenset({"digital_signature"}))),
        ("ku-gone", cert(key_usage=frozenset({"digital_signature"})), cert()),
        ("csr-ca", csr, ca.issue(csr, CertificateSpec(serial=99), now=NOW)),
        ("key", generate_key(KeySpec("ec")), generate_key(KeySpec("ec"))),
    ]


def _crl(serials: Iterable[int], reason_every: int = 3) -> x509.CertificateRevocationList:
    return revoked_crl(serials, cn="difflin", key=ec.derive_private_key(7, ec.SECP256R1()),
                       reason_every=reason_every, one_second_apart=False)


def _old(a: Any, b: Any) -> tuple[Any, ...]:
    """What diff() returned before the fix: old ranges, fields from describe() alone."""
    kind_a, der_a = diff_module._public_der(a)
    kind_b, der_b = diff_module._public_der(b)
    ranges = old_diff_der(der_a, explore(der_a, kind_a).walk(), der_b, explore(der_b, kind_b).walk())
    return ranges, diff_fields(describe(a).fields, describe(b).fields)


PAIRS = _vector_pairs() + _lab_pairs() + [
    ("crl-edit", _crl(range(1, 120)), _crl([s + (s % 17 == 0) for s in range(1, 120)], reason_every=4)),
]


@pytest.mark.parametrize("name,a,b", PAIRS, ids=[p[0] for p in PAIRS])
def test_same_output_as_the_quadratic_implementation(name: str, a: Any, b: Any) -> None:
    d = diff(a, b)
    ranges, fields = _old(a, b)
    assert (d.ranges_a, d.ranges_b) == ranges
    assert d.fields == fields


def test_the_corpus_has_differences_to_find() -> None:
    """The comparison above would pass vacuously on pairs that differ in nothing."""
    statuses: Counter[str] = Counter()
    for _, a, b in PAIRS:
        d = diff(a, b)
        statuses.update(r.status for r in d.ranges_a + d.ranges_b)
    assert statuses["added"] and statuses["removed"] and statuses["changed"] > 50


# --- random trees: what real objects rarely do --------------------------------------------


@dataclass(frozen=True)
class _Node:
    path: str
    offset: int
    header_length: int
    length: int | None


_EXT = b"\x55\x1d"  # content of an extnID: OID 2.5.29.x


def _tree(rng: random.Random, n: int) -> tuple[bytes, list[_Node]]:
    """A random DER-shaped tree: extensions (some nested, some repeated), CHOICE gaps."""
    der = bytearray()
    nodes: list[_Node] = []

    def leaf(path: str, content: bytes) -> None:
        nodes.append(_Node(path, len(der), 2, len(content)))
        der.extend(b"\x04" + bytes([len(content)]) + content)

    def grow(path: str, depth: int, budget: int) -> None:
        start = len(nodes)
        nodes.append(_Node(path, len(der), 2, 0))
        content_start = len(der) + 2
        der.extend(b"\x30\x00")
        for i in range(rng.randint(1, 4) if depth < 4 else 0):
            if len(nodes) >= budget:
                break
            child = f"{path}.{rng.choice(['c', 'd', 'extensions', 'x'])}{i}"
            if rng.random() < 0.2:
                child += ".choice"  # a path component with no node of its own
            r = rng.random()
            if r < 0.25:
                grow(child, depth + 1, budget)
                leaf(f"{child}.extnID", _EXT + bytes([rng.choice([14, 15, 17])]))
            elif r < 0.6:
                grow(child, depth + 1, budget)
            else:
                leaf(child, bytes([rng.randrange(3)]))
        node = nodes[start]
        nodes[start] = _Node(node.path, node.offset, 2, len(der) - content_start)

    while len(nodes) < n:
        grow(rng.choice(["certificate.tbsCertificate", "certificationRequest", "certificateList", "z"])
             + f".r{len(nodes)}", 0, n)
    if rng.random() < 0.1:
        nodes.append(_Node("broken", len(der), 2, None))  # indefinite length: skipped
    return bytes(der), nodes


def test_same_output_as_the_quadratic_implementation_on_random_trees() -> None:
    rng = random.Random(20261202)
    kinds: Counter[str] = Counter()
    for _ in range(300):
        a, b = _tree(rng, rng.randint(5, 60)), _tree(rng, rng.randint(5, 60))
        if rng.random() < 0.5:  # share most of the tree
            b = a[0], [n if rng.random() < 0.8 else _Node(n.path + ".x0", n.offset, n.header_length, n.length)
                       for n in a[1]]
        new = diff_der(a[0], a[1], b[0], b[1])
        assert new == old_diff_der(a[0], a[1], b[0], b[1])
        kinds.update(r.status for r in new[0] + new[1])
    assert min(kinds.values()) > 20, kinds


def test_a_primitive_that_became_constructed_is_one_range_and_nothing_under_it() -> None:
    # "c0" is a leaf in a, a SEQUENCE holding "c0.x" in b (the skip rule)
    a = [_Node("z", 0, 2, 5), _Node("z.c0", 2, 2, 1)]
    b = [_Node("z", 0, 2, 7), _Node("z.c0", 2, 2, 3), _Node("z.c0.x", 4, 2, 1)]
    der_a, der_b = b"\x30\x03\x04\x01\x00", b"\x30\x05\x30\x03\x04\x01\x00"
    new = diff_der(der_a, a, der_b, b)
    assert new == old_diff_der(der_a, a, der_b, b)
    assert [(r.path, r.status) for r in new[1]] == [("z.c0", "changed")]


# --- growth, counted not timed ------------------------------------------------------------


def _lines_run(n: int) -> int:
    """Lines of certlab/diff.py executed to compare two CRL-shaped trees of n entries."""
    def tree(shift: int) -> list[_Node]:
        nodes = [_Node("certificateList", 0, 4, 10 * n), _Node("certificateList.tbsCertList", 4, 4, 10 * n)]
        for i in range(n):
            e = f"certificateList.tbsCertList.revokedCertificates.{i}"
            nodes.append(_Node(e, 8 + 10 * i, 2, 8))
            nodes.append(_Node(e + ".userCertificate", 10 + 10 * i, 2, 1))
            nodes.append(_Node(e + ".crlEntryExtensions.0", 13 + 10 * i, 2, 3))
            nodes.append(_Node(e + ".crlEntryExtensions.0.extnID", 15 + 10 * i, 0, 2 + (i % 2 and shift)))
        return nodes

    der = bytes(range(256)) * (n // 20 + 1)
    a, b = tree(0), tree(1)
    code = diff_module.__file__
    count = 0

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if frame.f_code.co_filename != code:
            return None
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        out = diff_der(der, a, der, b)
    finally:
        sys.settrace(None)
    assert out[0] and out[1]  # something was found to differ
    return count


def test_work_grows_linearly_with_the_entries() -> None:
    small, big = _lines_run(300), _lines_run(1200)
    assert big < 4 * small * 1.3, (small, big)  # 4x the entries, at most ~4x the lines (quadratic: ~16x)


# --- what is shown of a huge diff is bounded, and says so ----------------------------------


def test_the_html_of_a_huge_diff_lists_the_first_rows_and_counts_the_rest() -> None:
    import re

    from certlab.render.diff_html import MAX_ROWS, diff_html

    a, b = _crl(range(1, 700)), _crl([s + s % 2 for s in range(1, 700)])  # every other serial edited
    d = diff(a, b)
    assert len(d.fields) > MAX_ROWS and len(d.ranges_b) > MAX_ROWS  # the oracle: the Diff itself
    page = diff_html(d, before="old", after="new")
    assert page.count('class="certlab-diff-field ') == MAX_ROWS
    assert page.count('class="certlab-diff-row ') == 2 * MAX_ROWS
    more = re.findall(r"\.\.\. and (\d+) more ([^<]*?) not listed", page)
    assert more == [(str(len(d.fields) - MAX_ROWS), "changed field(s)"),
                    (str(len(d.ranges_a) - MAX_ROWS), "byte range(s) in old"),
                    (str(len(d.ranges_b) - MAX_ROWS), "byte range(s) in new")]
    # the listed rows are the first ones, in order
    first = d.fields[0].path_b or d.fields[0].path_a
    assert f'data-certlab-path="{first}"' in page
    small = diff_html(diff(_crl(range(1, 20)), _crl(range(2, 21))))
    assert "certlab-diff-more" not in small
