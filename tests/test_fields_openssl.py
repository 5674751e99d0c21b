"""Issue 11 item 2: the fields carry what ``openssl x509 -text`` shows, extension by extension,
over every certificate of the cryptography-vectors corpus that openssl decodes.

For each extension openssl prints, its values (names, URIs, key identifiers, policy OIDs, CPS
URIs, user-notice texts, CA flag, path length, SCT log IDs) are taken from openssl's lines and
must appear in certlab's field for that certificate's extensions.  Where cryptography refuses a
certificate's extensions the fields come from the named tree, and the same holds.
"""

from __future__ import annotations

import ipaddress
import pathlib
import re
import shutil
import subprocess
import warnings

import cryptography_vectors
import pytest
from cryptography import x509

from certlab.fields import describe

OPENSSL = shutil.which("openssl")
pytestmark = pytest.mark.skipif(OPENSSL is None, reason="needs the openssl CLI")
VEC = pathlib.Path(cryptography_vectors.__file__).parent / "x509"

_EXT_HEAD = re.compile(r"^ {12}(\S.*?):( critical)?\s*$")
_ATOMS = [
    re.compile(r"\b(?:URI|DNS|email):([^\s,]+)"),
    re.compile(r"\bCPS: (\S+)"),
    re.compile(r"Explicit Text: (.+?)\s*$"),
    re.compile(r"\b((?:[0-9A-F]{2}:){7,}[0-9A-F]{2})\b"),
    re.compile(r"\bPolicy: (\d+(?:\.\d+)+)"),
    re.compile(r"\b(CA:(?:TRUE|FALSE))"),
    re.compile(r"\bIP(?: Address)?:([0-9A-Fa-f.:/]+)"),
    re.compile(r"\b((?:Require Explicit Policy|Inhibit Policy Mapping):\s*\d+)"),
    re.compile(r"(?<![\w.:])(\d+\.\d+\.\d+(?:\.\d+)+)(?![\w.])"),
    re.compile(r"\bpathlen:(\d+)"),
]


_HEAD = re.compile(r"^(\s*)((?:X509v3|CT|Netscape|TLS) (?!extensions)[^:]+|Authority Information Access|Subject Information Access"
                   r"|Signed Certificate Timestamps|\d+(?:\.\d+)+):( critical)?\s*$")
_TOOLS = {"certificate": "x509", "csr": "req", "crl": "crl"}


def _openssl_extensions(path: pathlib.Path, kind: str = "certificate") -> list[tuple[str, list[str]]] | None:
    """(extension name, its lines) for every extension openssl prints, wherever it sits
    (a certificate's, a CSR's requested extensions, a CRL's and its entries')."""
    form = "PEM" if path.suffix == ".pem" else "DER"
    cmd = [OPENSSL or "openssl", _TOOLS[kind], "-inform", form, "-in", str(path), "-noout", "-text"]
    if kind == "certificate":
        cmd += ["-certopt", "no_sigdump,no_pubkey"]
    run = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    if run.returncode != 0:
        return None
    out: list[tuple[str, list[str]]] = []
    indent: int | None = None
    for line in run.stdout.splitlines():
        head = _HEAD.match(line)
        if head and (indent is None or len(head.group(1)) <= indent):
            indent = len(head.group(1))
            out.append((head.group(2), []))
        elif indent is not None and line.strip() and len(line) - len(line.lstrip()) > indent:
            out[-1][1].append(line.strip())
        else:
            indent = None
    return out


# extensions whose whole value openssl writes in the words certlab uses too
_WORDS = {"X509v3 Key Usage", "X509v3 Inhibit Any Policy", "X509v3 Delta CRL Indicator", "X509v3 CRL Number",
          "X509v3 CRL Reason Code"}


def _atoms(body: list[str], name: str = "") -> list[str]:
    found: list[str] = []
    if name in _WORDS:
        return [w.strip() for line in body for w in line.split(",") if w.strip()]
    for line in body:
        if "<invalid" in line:
            continue  # openssl's own note on a broken value, not a decoding
        for pattern in _ATOMS:
            found += pattern.findall(line)
    return found


def _ip_atom(atom: str) -> str | None:
    """openssl writes IPv6 uncompressed (FF:0:0:...); Python, and certlab, compressed (ff::)."""
    try:
        return "/".join(str(ipaddress.ip_address(part)) for part in atom.split("/"))
    except ValueError:
        return None


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def _corpus() -> list[pathlib.Path]:
    return [p for p in sorted(VEC.rglob("*")) if p.is_file() and p.suffix in (".pem", ".der")
            and "PKITS" not in str(p) and "PKITS_data" not in p.parts]


def _load(path: pathlib.Path) -> x509.Certificate | None:
    data = path.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return x509.load_pem_x509_certificate(data) if b"-----BEGIN CERTIFICATE" in data else \
                x509.load_der_x509_certificate(data)
        except Exception:
            return None


def _objects() -> list[tuple[pathlib.Path, str, object]]:
    out: list[tuple[pathlib.Path, str, object]] = []
    for path in _corpus():
        data = path.read_bytes()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for kind, pem, der in (
                    ("certificate", x509.load_pem_x509_certificate, x509.load_der_x509_certificate),
                    ("csr", x509.load_pem_x509_csr, x509.load_der_x509_csr),
                    ("crl", x509.load_pem_x509_crl, x509.load_der_x509_crl)):
                try:
                    obj = pem(data) if b"-----BEGIN" in data else der(data)
                except Exception:
                    continue
                out.append((path, kind, obj))
                break
    return out


def test_fields_carry_what_openssl_decodes() -> None:
    total = agreed = 0
    by_kind: dict[str, list[int]] = {}
    misses: list[str] = []
    for path, kind, obj in _objects():
        exts = _openssl_extensions(path, kind)
        if not exts:
            continue
        ours = _norm(" ".join(f.value for f in describe(obj).fields
                              if f.section in ("Extensions", "Revoked certificates", "Attributes")))
        for name, body in exts:
            if "SCT" in name and not any("Signed Certificate Timestamp" in line for line in body):
                continue  # openssl only hex-dumps an SCT list it cannot read: nothing decoded
            atoms = _atoms(body, name)
            if not atoms:
                continue
            total += 1
            row = by_kind.setdefault(kind, [0, 0])
            row[1] += 1
            missing = [a for a in atoms if _norm(a) not in ours and _norm(_ip_atom(a) or a) not in ours]
            if missing:
                misses.append(f"{path.name}: {name}: {missing[:3]}")
            else:
                agreed += 1
                row[0] += 1
    print(f"openssl agreement: {agreed}/{total} extensions; by kind: {by_kind}")
    assert total > 200 and set(by_kind) == {"certificate", "csr", "crl"}
    assert misses == [], f"{agreed}/{total} agree; first misses: {misses[:15]}"
