"""Pictures drawn from the learner's own objects: the flow, a byte map, a chain.

Each function returns a :class:`Picture`: the SVG markup (``.svg``), a plain
text alternative saying the same thing in words (``.text``, also ``str()``),
and Jupyter display hooks. Colours come from JupyterLab's ``--jp-*`` CSS
variables with fallbacks, set through ``style`` attributes (presentation
attributes cannot hold ``var()``), so a picture follows the light or dark
theme inline and still has sane colours anywhere else. Every SVG carries
``role="img"``, an ``aria-label``, ``<title>`` and ``<desc>`` (WAI-ARIA
graphics module), and every piece of text taken from an input is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID

from ..chain import chain_role, order_chain
from ..errors import CertlabError
from ..load import kind_of, load, public_der
from ..signatures import signed_by

__all__ = ["Picture", "FLOW_STEPS", "flow_svg", "byte_map_svg", "chain_svg",
           "flow_text", "byte_map_text", "chain_text"]

_FONT = "var(--jp-ui-font-family, system-ui, sans-serif)"
_MONO = "var(--jp-code-font-family, monospace)"
_FG = "var(--jp-ui-font-color1, currentColor)"
_FG2 = "var(--jp-ui-font-color2, #666)"
_BG = "var(--jp-layout-color1, transparent)"
_LINE = "var(--jp-border-color1, #999)"
_ACCENT = "var(--jp-brand-color1, #1976d2)"
_OK = "var(--jp-success-color1, #388e3c)"
_BAD = "var(--jp-error-color1, #d32f2f)"

# The tutorial's six steps (in our words): who acts, a short title, what
# happens, and the notebook that practises it. Data, read by flow_svg and
# by the notebooks' text.
FLOW_STEPS: tuple[tuple[str, str, str, str], ...] = (
    ("you", "Make a key pair", "Generate a private key; the public key is derived from it.", "01"),
    ("you", "Write a CSR", "Put your names and public key in a request, signed with your private key.", "02"),
    ("you→CA", "Send the CSR", "Give the CA the CSR only. The private key never leaves you.", "05, 07"),
    ("CA", "CA checks you", "The CA makes sure you control the names you asked for.", "07"),
    ("CA→you", "CA signs", "The CA signs a certificate binding your public key to your names.", "05, 07"),
    ("you", "Serve TLS", "Your server presents the certificate and proves it holds the key.", "05"),
)


@dataclass(frozen=True)
class Picture:
    """An SVG picture with its text alternative. Shows itself in Jupyter."""

    svg: str
    text: str
    label: str

    def _repr_html_(self) -> str:
        # Inline (not <img>), so that the --jp-* variables of the page apply.
        return f'<div class="certlab-svg" style="max-width:100%;overflow-x:auto">{self.svg}</div>'

    def _repr_svg_(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"<Picture: {self.label}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # IPython's plain-text display (terminals, text exports): the text alternative
        printer.text(self.text)


def _svg(width: float, height: float, title: str, desc: str, body: Iterable[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'style="font-family:{_FONT};font-size:12px;color:{_FG};max-width:100%;height:auto">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
        + "".join(body)
        + "</svg>"
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, stroke: str = _LINE,
          extra: str = "", rx: float = 4, width: float = 1) -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" rx="{rx}" '
            f'style="fill:{fill};stroke:{stroke};stroke-width:{width}"{extra}/>')


def _text(x: float, y: float, content: str, *, size: int = 12, weight: str = "normal",
          anchor: str = "middle", color: str = _FG, mono: bool = False) -> str:
    family = _MONO if mono else _FONT
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
            f'style="fill:{color};font-size:{size}px;font-weight:{weight};font-family:{family}">'
            f"{escape(content)}</text>")


def _arrow_defs(ident: str) -> str:
    return (f'<defs><marker id="{ident}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
            f'style="fill:{_FG2}"/></marker></defs>')


_ids = iter(range(1, 1 << 62))


def _unique(prefix: str) -> str:
    # Marker ids are document-global once inline: give every picture its own.
    return f"certlab-{prefix}-{next(_ids)}"


# ---------------------------------------------------------------- the flow
def flow_svg(highlight_step: int | None = None) -> Picture:
    """The six steps of getting a certificate, in two lanes (you / the CA).

    ``highlight_step`` (1-6) draws one step emphasised, e.g. the step a
    notebook is about.
    """
    if highlight_step is not None and (not isinstance(highlight_step, int)
                                       or not 1 <= highlight_step <= len(FLOW_STEPS)):
        raise CertlabError("highlight_step", "must be a step number from 1 to 6", highlight_step)
    box_w, box_h, gap, left = 140.0, 78.0, 14.0, 64.0
    lane_y = {"you": 34.0, "CA": 164.0}
    width = left + len(FLOW_STEPS) * (box_w + gap)
    height = 300.0
    marker = _unique("flow")
    body = [_arrow_defs(marker)]
    for name, y in lane_y.items():
        body.append(_rect(4, y - 10, width - 8, box_h + 20, "transparent", _LINE, rx=8))
        body.append(_text(36, y + box_h / 2 + 4, "You" if name == "you" else "CA",
                          weight="bold", color=_FG2))
    centers: list[tuple[float, float]] = []
    for i, (actor, title, what, notebook) in enumerate(FLOW_STEPS, start=1):
        lane = "CA" if actor.startswith("CA") else "you"
        x = left + (i - 1) * (box_w + gap)
        y = lane_y[lane]
        hot = highlight_step == i
        body.append(_rect(x, y, box_w, box_h, _BG, _ACCENT if hot else _LINE,
                          extra=f' data-step="{i}"', width=3 if hot else 1))
        body.append(_text(x + box_w / 2, y + 20, f"{i}. {title}", weight="bold",
                          color=_ACCENT if hot else _FG))
        for j, line in enumerate(_wrap(what, 26)[:4]):
            body.append(_text(x + box_w / 2, y + 35 + j * 11, line, size=9, color=_FG2))
        body.append(_text(x + box_w / 2, y + box_h + 22 if lane == "CA" else y - 14,
                          f"notebook {notebook}", size=9, color=_FG2))
        centers.append((x, y))
    for (x1, y1), (x2, y2) in zip(centers, centers[1:]):
        if y1 == y2:
            sx, sy, ex, ey = x1 + box_w, y1 + box_h / 2, x2, y2 + box_h / 2
        else:
            down = y2 > y1
            sx, ex = x1 + box_w * 0.75, x2 + box_w * 0.25
            sy = y1 + box_h if down else y1
            ey = y2 if down else y2 + box_h
        body.append(f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" '
                    f'style="stroke:{_FG2};stroke-width:1.5" marker-end="url(#{marker})"/>')
    body.append(_text(width / 2, height - 8,
                      "The private key stays in the top lane: only the CSR and the certificate travel.",
                      size=10, color=_FG2))
    lines = [f"{i}. [{actor}] {title}: {what}" for i, (actor, title, what, _) in
             enumerate(FLOW_STEPS, start=1)]
    if highlight_step:
        lines[highlight_step - 1] += "  <-- this notebook"
    text = "How a certificate is obtained, in six steps:\n" + "\n".join(lines)
    label = "The six steps from a new key to a server certificate"
    return Picture(_svg(width, height, label, text, body), text, label)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines


# ---------------------------------------------------------------- byte map
# Which part of a certificate a node belongs to, by the last component of its
# node path that appears here (checked from the leaf upwards). Knowledge as
# data: one row per part, with the colour and the words of the legend.
_PARTS: dict[str, tuple[str, str]] = {
    "subjectPublicKeyInfo": ("public key", "var(--jp-brand-color3, #90caf9)"),
    "subjectPKInfo": ("public key", "var(--jp-brand-color3, #90caf9)"),  # RFC 2986's name
    "signatureValue": ("signature", "var(--jp-warn-color3, #ffcc80)"),
    "signature": ("signature", "var(--jp-warn-color3, #ffcc80)"),
    "signatureAlgorithm": ("algorithm", "var(--jp-layout-color3, #bdbdbd)"),
    "subject": ("names", "var(--jp-success-color3, #a5d6a7)"),
    "issuer": ("names", "var(--jp-success-color3, #a5d6a7)"),
    # (JupyterLab's accent colour is green, like success: use info's cyan instead)
    "extensions": ("extensions", "var(--jp-info-color3, #80deea)"),
    "attributes": ("extensions", "var(--jp-info-color3, #80deea)"),
    "validity": ("validity", "var(--jp-error-color3, #ef9a9a)"),
}
_OTHER = ("structure", "var(--jp-layout-color2, #eeeeee)")


@dataclass(frozen=True)
class _Box:
    offset: int
    size: int
    name: str
    path: str
    children: tuple[_Box, ...]


def _to_der(data: Any) -> bytes:
    if isinstance(data, (str, bytes, bytearray, memoryview)):
        found = load(bytes(data) if not isinstance(data, str) else data)[0]  # PEM, base64 or DER
        if found.kind == "private-key":
            raise CertlabError("data", "a byte map is drawn for public objects only, not for a private key",
                               found.label or "DER")
        if not found.der:
            raise CertlabError("data", found.error or "holds nothing to draw", found.label)
        return found.der
    if kind_of(data) in ("certificate", "csr", "crl", "public-key"):
        return public_der(data)[1]
    raise CertlabError("data", "must be DER/PEM bytes or a certificate, CSR or CRL object",
                       type(data).__name__)


def _tree(der: bytes) -> _Box:
    """The named tree of ``der`` (names from the RFC modules, paths as pkilint's)."""
    from .. import der as _der
    from ..schema import guess_root, name_tree

    node, errors = _der.read(der)
    if node is None:
        raise CertlabError("data", "is not DER: no TLV could be read",
                           errors[0].message if errors else der[:8].hex(" "))
    root_name = guess_root(node)
    if root_name is None:
        return _from_node(node, "")
    named, _ = name_tree(der, node, root_name)
    return _from_node(named, "")


def _from_node(node: Any, parent_path: str) -> _Box:
    offset = int(getattr(node, "offset", 0))
    end = getattr(node, "end", None)
    size = int(end) - offset if end is not None else int(getattr(node, "size", 0) or 0)
    name = str(getattr(node, "name", None) or getattr(node, "type_name", None)
               or getattr(node, "universal_type", None) or "?")
    path = str(getattr(node, "path", "") or (f"{parent_path}.{name}" if parent_path else name))
    kids = tuple(_from_node(c, path) for c in getattr(node, "children", ()) or ())
    return _Box(offset, size, name, path, kids)


def _part_of(path: str) -> tuple[str, str]:
    parts = path.split(".")
    # tbsCertificate.signature is the algorithm identifier, not the signature bits
    for i in range(len(parts) - 1, -1, -1):
        piece = parts[i]
        if piece == "signature" and i > 0 and parts[i - 1] in ("tbsCertificate", "tbsCertList"):
            return _PARTS["signatureAlgorithm"]
        if piece in _PARTS:
            return _PARTS[piece]
    return _OTHER


def byte_map_svg(der_or_obj: Any, *, depth: int = 4, width: int = 760) -> Picture:
    """Every TLV of a DER object as a box as wide as its bytes (an icicle chart).

    Row *n* holds the nodes at nesting depth *n*; a box spans exactly the
    bytes of its TLV, so one sees at a glance that the public key and the
    signature take most of a certificate. Hover a box for its name, offset and
    size. Accepts DER or PEM bytes, or a certificate / CSR / CRL object.
    """
    der = _to_der(der_or_obj)
    root = _tree(der)
    total = max(root.offset + root.size, 1)
    row_h, top, legend_h = 30.0, 26.0, 40.0
    scale = (width - 20) / total
    rows: list[list[_Box]] = [[root]]
    for _ in range(depth - 1):
        nxt = [c for b in rows[-1] for c in b.children]
        if not nxt:
            break
        rows.append(nxt)
    height = top + len(rows) * row_h + legend_h
    body: list[str] = [_text(10, 16, f"{total} bytes; each box is as wide as its bytes",
                             anchor="start", size=11, color=_FG2)]
    for level, boxes in enumerate(rows):
        y = top + level * row_h
        for box in boxes:
            x, w = 10 + box.offset * scale, box.size * scale
            if w < 0.5:
                continue
            part, fill = _part_of(box.path)
            # pastel part colours stay light in both themes: dark text on them; structure
            # boxes follow the theme's layout colour, so their text follows the theme too
            ink = _FG if part == _OTHER[0] else "#222"
            share = 100.0 * box.size / total
            tip = f"{box.path} — {box.size} bytes ({share:.1f}%) at offset {box.offset}"
            body.append(f'<g data-path="{escape(box.path)}" data-offset="{box.offset}" '
                        f'data-size="{box.size}"><title>{escape(tip)}</title>'
                        + _rect(x, y, w, row_h - 4, fill, _LINE, rx=2)
                        + (_text(x + w / 2, y + row_h / 2 + 2, _fit(box.name, w), size=10,
                                 color=ink) if w > 24 else "")
                        + "</g>")
    shares = _part_shares(root, total)
    legend_y = top + len(rows) * row_h + 14
    x, y = 10.0, legend_y
    for label, (share, fill) in shares.items():
        caption = f"{label} {share:.0f}%"
        step = 30 + 7 * len(caption)
        if x + step > width and x > 10:  # wrap the legend instead of running off the edge
            x, y = 10.0, y + 18
        body.append(_rect(x, y - 9, 12, 12, fill, _LINE, rx=2))
        body.append(_text(x + 16, y + 1, caption, anchor="start", size=11))
        x += step
    height += y - legend_y
    text = _byte_map_words(root, total, shares)
    label = f"Byte map of a {total}-byte DER object"
    return Picture(_svg(width, height, label, text, body), text, label)


def _fit(name: str, width: float) -> str:
    room = int(width // 6.2)
    return name if len(name) <= room else (name[: max(room - 1, 1)] + "…")


def _part_shares(root: _Box, total: int) -> dict[str, tuple[float, str]]:
    """Share of the bytes per part, counted on the largest boxes that lie in one part."""
    sizes: dict[str, list[Any]] = {}

    def walk(box: _Box) -> None:
        label, fill = _part_of(box.path)
        if (label, fill) != _OTHER or not box.children:
            entry = sizes.setdefault(label, [0, fill])
            entry[0] += box.size
            return
        for child in box.children:
            walk(child)
        # the headers of structural nodes belong to "structure"
        covered = sum(c.size for c in box.children)
        entry = sizes.setdefault(_OTHER[0], [0, _OTHER[1]])
        entry[0] += box.size - covered

    walk(root)
    ordered = sorted(sizes.items(), key=lambda kv: -kv[1][0])
    return {k: (100.0 * v[0] / total, v[1]) for k, v in ordered if v[0] > 0}


def _byte_map_words(root: _Box, total: int, shares: dict[str, tuple[float, str]]) -> str:
    lines = [f"{total} bytes in all. Share of the bytes by part: "
             + ", ".join(f"{k} {v[0]:.0f}%" for k, v in shares.items()) + "."]
    for child in root.children:
        lines.append(f"- {child.name}: {child.size} bytes at offset {child.offset}")
        for grand in child.children:
            lines.append(f"  - {grand.name}: {grand.size} bytes at offset {grand.offset}")
    return "\n".join(lines)


# ---------------------------------------------------------------- the chain
def _cn(name: x509.Name) -> str:
    cns = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    if cns:
        return str(cns[0].value)
    return name.rfc4514_string() or "(empty name)"


def _ski(cert: x509.Certificate) -> bytes | None:
    try:
        return cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except (x509.ExtensionNotFound, ValueError):
        return None


def _aki(cert: x509.Certificate) -> bytes | None:
    try:
        return cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    except (x509.ExtensionNotFound, ValueError):
        return None


def _hex(data: bytes | None, n: int = 8) -> str:
    if data is None:
        return "—"
    text = data[:n].hex(":").upper()
    return text + (":…" if len(data) > n else "")


def chain_svg(certs: Sequence[x509.Certificate]) -> Picture:
    """Who signed whom: one box per certificate, root at the top, leaf at the bottom.

    Each box shows subject, issuer and the Subject Key Identifier; each arrow
    shows whether the child's Authority Key Identifier equals the parent's SKI
    (RFC 5280 §4.2.1.1) and whether the signature really verifies with the
    parent's key. Certificates may be given in any order.
    """
    certs = list(certs)
    if not certs or not all(isinstance(c, x509.Certificate) for c in certs):
        raise CertlabError("certs", "must be a non-empty list of certificates",
                           [type(c).__name__ for c in certs])
    ordered = order_chain(certs)
    box_w, box_h, gap, left = 520.0, 78.0, 58.0, 20.0
    width = box_w + 2 * left + 180
    height = len(ordered) * box_h + (len(ordered) - 1) * gap + 20
    marker = _unique("chain")
    body = [_arrow_defs(marker)]
    lines: list[str] = ["Certificate chain, from the root down:"]
    for i, cert in enumerate(ordered):
        y = 10 + i * (box_h + gap)
        self_signed = cert.issuer == cert.subject
        role = chain_role(cert, last=i == len(ordered) - 1)
        body.append(_rect(left, y, box_w, box_h, _BG, _ACCENT if self_signed else _LINE,
                          width=2 if self_signed else 1))
        body.append(_text(left + 10, y + 18, f"{role}: {_fit(_cn(cert.subject), 380)}",
                          anchor="start", weight="bold"))
        body.append(_text(left + 10, y + 36, f"subject: {_fit(cert.subject.rfc4514_string(), 470)}",
                          anchor="start", size=10, color=_FG2))
        body.append(_text(left + 10, y + 51, f"issuer:  {_fit(cert.issuer.rfc4514_string(), 470)}",
                          anchor="start", size=10, color=_FG2))
        body.append(_text(left + 10, y + 68, f"SKI {_hex(_ski(cert))}   AKI {_hex(_aki(cert))}",
                          anchor="start", size=10, mono=True))
        lines.append(f"{i + 1}. {role}: subject {cert.subject.rfc4514_string()}; issuer "
                     f"{cert.issuer.rfc4514_string()}; SKI {_hex(_ski(cert), 32)}; "
                     f"AKI {_hex(_aki(cert), 32)}")
        if i == 0:
            continue
        parent = ordered[i - 1]
        names_link = cert.issuer == parent.subject
        keys_link = _aki(cert) is not None and _aki(cert) == _ski(parent)
        verified = names_link and signed_by(cert, parent)
        x = left + box_w / 2
        y0 = y - gap
        body.append(f'<line x1="{x:.1f}" y1="{y0:.1f}" x2="{x:.1f}" y2="{y - 2:.1f}" '
                    f'style="stroke:{_OK if verified else _BAD};stroke-width:2" '
                    f'marker-end="url(#{marker})"/>')
        verdict = ("signed ✔ signature verifies" if verified else "✘ signature does not verify"
                   if names_link else "✘ issuer name does not match")
        body.append(_text(x + 10, y0 + gap / 2 - 4, verdict, anchor="start", size=11,
                          color=_OK if verified else _BAD))
        body.append(_text(x + 10, y0 + gap / 2 + 11,
                          "AKI = parent's SKI ✔" if keys_link else "AKI ≠ parent's SKI (or missing)",
                          anchor="start", size=10, color=_FG2))
        lines.append(f"   signed by the certificate above: {'yes' if verified else 'NO'}; "
                     f"its AKI {'matches' if keys_link else 'does not match'} the SKI above")
    text = "\n".join(lines)
    label = f"Chain of {len(ordered)} certificate(s): who signed whom"
    return Picture(_svg(width, height, label, text, body), text, label)


# ---------------------------------------------------------------- plain text
# The same content in words, for terminals, screen readers and text exports.
def flow_text(highlight_step: int | None = None) -> str:
    """The six steps as numbered lines (the text alternative of :func:`flow_svg`)."""
    return flow_svg(highlight_step).text


def byte_map_text(der_or_obj: Any, *, depth: int = 4) -> str:
    """Share of the bytes per part and the top two levels with sizes (see :func:`byte_map_svg`)."""
    return byte_map_svg(der_or_obj, depth=depth).text


def chain_text(certs: Sequence[x509.Certificate]) -> str:
    """Root to leaf, with names, key identifiers and each link's verdict (see :func:`chain_svg`)."""
    return chain_svg(certs).text


# ---------------------------------------------------------------- segment map

def segment_map_svg(segments: Iterable[tuple[str, int, str]], title: str, *, width: int = 760) -> Picture:
    """A flat byte map of consecutive fields (``(name, size, explanation)`` each), left to right.

    Small fields would vanish at true scale next to a TBSCertificate, so every
    box gets at least room for its name and the rest is shared by size; the
    sizes are printed, so nothing is hidden by the drawing.
    """
    rows = [(name, int(size), words) for name, size, words in segments]
    total = sum(size for _n, size, _w in rows) or 1
    min_w = 62.0
    room = width - 20 - min_w * len(rows)
    scale = max(room, 0) / total
    x, y, h = 10.0, 30.0, 46.0
    body = [_text(10, 16, f"{total} bytes in {len(rows)} fields; each box is labelled with its size",
                  anchor="start", size=11, color=_FG2)]
    offset = 0
    for i, (name, size, words) in enumerate(rows):
        w = min_w + size * scale
        fill = _ACCENT_FILLS[i % len(_ACCENT_FILLS)]
        tip = f"{name}: {size} bytes at offset {offset}. {words}"
        body.append(f'<g data-name="{escape(name)}" data-offset="{offset}" data-size="{size}">'
                    f"<title>{escape(tip)}</title>" + _rect(x, y, w - 2, h, fill, _LINE, rx=2)
                    + _text(x + w / 2, y + 19, _fit(name, w), size=10, color="#222")
                    + _text(x + w / 2, y + 35, f"{size} B", size=10, color="#222") + "</g>")
        x += w
        offset += size
    text = "\n".join(f"- {name}: {size} bytes. {words}" for name, size, words in rows)
    return Picture(_svg(width, y + h + 12, title, text, body), f"{title}\n{text}", title)


_ACCENT_FILLS = ("var(--jp-brand-color3, #90caf9)", "var(--jp-warn-color3, #ffcc80)",
                 "var(--jp-success-color3, #a5d6a7)", "var(--jp-info-color3, #80deea)",
                 "var(--jp-error-color3, #ef9a9a)", "var(--jp-layout-color3, #bdbdbd)")
