"""The break-it sandbox of notebook 04: change one byte of a certificate and see who notices.

:func:`break_it` changes one byte of a DER object and reports how the DER
reader, cryptography's parser and the signature check react, naming the field
the byte belonged to.  It holds the logic so the notebook cell stays two lines
(the slider of :class:`certlab.widgets.BreakIt` calls it too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization

from .errors import CertlabError, first_line
from .signatures import verify_signature

__all__ = ["BreakResult", "break_it"]


@dataclass(frozen=True)
class BreakResult:
    """What changing one byte did (see :func:`break_it`)."""

    offset: int
    old: int
    new: int
    path: str
    der: bytes = field(repr=False)
    reader: str
    parser: str
    signature: str
    findings_before: int
    findings_after: int | None

    def __str__(self) -> str:
        return "\n".join([
            f"byte {self.offset}: {self.old:02x} -> {self.new:02x}, inside {self.path}",
            f"DER reader:  {self.reader}",
            f"cryptography: {self.parser}",
            f"signature:   {self.signature}",
            f"findings:    {self.findings_before} before, "
            f"{'n/a' if self.findings_after is None else self.findings_after} after",
        ])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        rows = [("byte", f"{self.offset}: {self.old:02x} → {self.new:02x}"),
                ("inside", self.path), ("DER reader", self.reader),
                ("cryptography", self.parser), ("signature", self.signature),
                ("findings", f"{self.findings_before} before, "
                             f"{'n/a' if self.findings_after is None else self.findings_after} after")]
        body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
        return f'<table class="certlab-break">{body}</table>'


def _deepest_path(der: bytes, offset: int) -> str:
    from . import der as _der
    from .schema import guess_root, name_tree

    node, _ = _der.read(der)
    if node is None:
        return "?"
    root_name = guess_root(node)
    if root_name is None:
        return "?"
    named, _ = name_tree(der, node, root_name)
    best = named
    for n in named.walk():
        if n.offset <= offset < n.end and n.depth >= best.depth:
            best = n
    part = "header" if offset < best.content_offset else "content"
    return f"{best.path} ({best.type_name}, {part})"


def break_it(cert_der: bytes | x509.Certificate, offset: int, new: int | None = None,
             issuer: x509.Certificate | None = None) -> BreakResult:
    """Change the byte at ``offset`` (to ``new``, default: flip its lowest bit) and report.

    The report says which field the byte lies in, whether the DER is still
    readable (and what our tolerant reader noticed), whether cryptography
    still parses it, whether the signature still verifies with ``issuer``'s
    key (default: the certificate itself, for a self-signed one), and how the
    number of findings changed.
    """
    from . import der as _der
    from .findings import find

    der = (cert_der.public_bytes(serialization.Encoding.DER)
           if isinstance(cert_der, x509.Certificate) else bytes(cert_der))
    if not isinstance(offset, int) or not 0 <= offset < len(der):
        raise CertlabError("offset", f"must be a byte position from 0 to {len(der) - 1}", offset)
    old = der[offset]
    new = old ^ 0x01 if new is None else new
    if not isinstance(new, int) or not 0 <= new <= 255:
        raise CertlabError("new", "must be a byte value from 0 to 255", new)
    original = x509.load_der_x509_certificate(der)
    signer = issuer if issuer is not None else original
    broken = der[:offset] + bytes([new]) + der[offset + 1:]
    path = _deepest_path(der, offset)

    node, errors = _der.read(broken)
    warnings = [w for n in _walk(node) for w in n.warnings] if node is not None else []
    if errors:
        reader = f"stops reading: {errors[0].message} (at byte {errors[0].offset})"
    elif node is not None and node.end != len(broken):
        reader = f"reads a TLV that ends at byte {node.end}, but there are {len(broken)} bytes"
    elif warnings:
        reader = f"reads it, but it breaks a DER rule: {warnings[0]}"
    else:
        reader = "still reads a well-formed tree"

    findings_before = len(find(original, pkilint=False))
    findings_after: int | None = None
    try:
        cert = x509.load_der_x509_certificate(broken)
        _ = (cert.subject, cert.issuer, cert.not_valid_after_utc, list(cert.extensions))
        parser = "still parses it"
        findings_after = len(find(cert, pkilint=False))
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        first = first_line(exc, 10_000)
        # cryptography appends a Rust debug dump ("ParseError { kind: ... }"): keep the words
        parser = f"refuses it: {first.split(': ParseError', 1)[0][:160]}"
        cert = None
    if cert is None:
        signature = "cannot be checked: the certificate does not parse"
    else:
        try:
            # the signature alone, names aside: a changed name must show up as a *signature*
            # failure (RFC 5280 §4.1.1.3: the signature covers the whole tbsCertificate)
            verify_signature(cert, signer.public_key())
            signature = ("still verifies: this byte is not covered by the signature"
                         if broken != der else "verifies")
        except InvalidSignature:
            signature = "FAILS: the signed bytes (or the signature) changed, so it no longer verifies"
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            signature = f"cannot be checked: {first_line(exc, 160)}"
    return BreakResult(offset, old, new, path, broken, reader, parser, signature,
                       findings_before, findings_after)


def _walk(node: Any) -> Iterable[Any]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(n.children)
