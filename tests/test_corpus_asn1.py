"""Every certificate, CSR, CRL and key of the cryptography-vectors package through the explorer.

For each object: no exception; the tree re-encodes to the input bytes exactly;
and wherever ``openssl asn1parse`` (an independent BER reader) accepts the
input, our (offset, depth, header length, length) rows equal its rows one for
one, every PKITS certificate and CRL included; openssl runs in a pool
of two threads.
"""

from __future__ import annotations

import concurrent.futures
import pathlib
import re
import shutil
import subprocess

import cryptography_vectors
import pytest

from certlab.der import Node, encode, read
from certlab.explorer import explore
from certlab.load import load

OPENSSL = shutil.which("openssl")
# Loading the DH vectors warns that FFDH is deprecated; that is about the library, not us.
pytestmark = pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")
VECTORS = pathlib.Path(cryptography_vectors.__file__).parent / "vectors" / "cryptography_vectors"
if not VECTORS.is_dir():  # older layouts keep the data next to __init__.py
    VECTORS = pathlib.Path(cryptography_vectors.__file__).parent

_KEY_SUFFIXES = {".pem", ".der", ".key", ".p8", ".crt", ".csr", ".crl", ".cer"}
_ROW = re.compile(r"^\s*(\d+):d=\s*(\d+)\s+hl=\s*(\d+)\s+l=\s*(\d+|inf)\s+(prim|cons)")


def _corpus_files() -> list[pathlib.Path]:
    x509 = VECTORS / "x509"
    files = [p for p in sorted(x509.rglob("*")) if p.is_file() and "PKITS_data" not in p.parts]
    pkits = sorted(p for p in (x509 / "PKITS_data").rglob("*") if p.suffix in {".crt", ".crl"})
    files += pkits
    asym = VECTORS / "asymmetric"
    files += [p for p in sorted(asym.rglob("*")) if p.is_file() and p.suffix.lower() in _KEY_SUFFIXES
              and "OpenSSH" not in p.parts]
    return files


def _objects() -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for path in _corpus_files():
        data = path.read_bytes()
        if len(data) > 2_000_000:
            continue
        rel = str(path.relative_to(VECTORS))
        for i, loaded in enumerate(load(data, source=rel)):
            if loaded.der and not (loaded.encrypted and loaded.label and "PRIVATE KEY" in loaded.label
                                   and loaded.label != "ENCRYPTED PRIVATE KEY"):
                out.append((f"{rel}#{i}", loaded.der))
    return out


def _rows(node: Node) -> list[tuple[int, int, int, str]]:
    rows = [(node.offset, node.depth, node.header_length, "inf" if node.length is None else str(node.length))]
    for c in node.children:
        rows.extend(_rows(c))
    return rows


def _openssl_rows(der: bytes) -> list[tuple[int, int, int, str]] | None:
    assert OPENSSL is not None
    proc = subprocess.run([OPENSSL, "asn1parse", "-inform", "DER"], input=der, capture_output=True, timeout=60)
    if proc.returncode != 0:
        return None
    rows = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        m = _ROW.match(line)
        if m:
            rows.append((int(m[1]), int(m[2]), int(m[3]), m[4]))
    return rows


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, bytes]]:
    objects = _objects()
    assert len(objects) > 300, "the cryptography-vectors corpus should hold hundreds of objects"
    return objects


def test_every_object_explores_and_re_encodes_exactly(corpus: list[tuple[str, bytes]]) -> None:
    clean = 0
    named_roots = 0
    for name, der in corpus:
        root, errors = read(der)
        explored = explore(der)
        list(explored.walk())
        explored.to_json()
        if root is not None and not errors:
            clean += 1
            assert encode(root, der) == der, name
            named_roots += explored.root_name is not None
    assert clean > 0.9 * len(corpus)
    assert named_roots > 0.9 * clean


@pytest.mark.skipif(OPENSSL is None, reason="openssl command line tool not installed")
def test_rows_equal_openssl_asn1parse(corpus: list[tuple[str, bytes]]) -> None:
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        theirs_all = list(pool.map(lambda item: _openssl_rows(item[1]), corpus))
    compared = 0
    mismatches = []
    for (name, der), theirs in zip(corpus, theirs_all):
        if theirs is None:
            continue
        root, errors = read(der)
        assert root is not None, f"{name}: openssl reads it, we read nothing: {errors}"
        ours = _rows(root)
        if errors:
            # openssl asn1parse reads several top-level values one after another; we read
            # one and report the rest as trailing bytes.  Our rows must be its prefix.
            assert all("unexpected bytes after" in e.message for e in errors), (name, errors)
            theirs = theirs[:len(ours)]
        if ours != theirs:
            mismatches.append(name)
        compared += 1
    assert mismatches == []
    assert compared > 300
