"""The explorer tree as plain text, like ``openssl asn1parse -i`` plus names and values."""

from __future__ import annotations

from ..explorer import Explored
from ..knowledge.secrets import HIDDEN_NOTE, REVEALED_NOTE

__all__ = ["explorer_text"]

def explorer_text(explored: Explored, *, explain: bool = False, width: int | None = None) -> str:
    """One line per node: ``offset:d=depth hl=header l=length`` then type, name, value.

    Values are shown whole; ``width`` (``certlab inspect --width N``) cuts each
    at ``width`` characters, marked with ``...``.

    Encapsulated nodes are marked ``>``; with ``explain`` each line is followed
    by the node's explanation.  Errors are listed at the end.  Secret values
    arrive already replaced by the explorer (unless it was asked to reveal);
    when any was, the last line says so and how to show them; when they were
    revealed, it says that instead.
    """
    lines: list[str] = []
    for n in explored.walk():
        length = "inf" if n.length is None else str(n.length)
        kind = "cons" if n.constructed else "prim"
        mark = ">" if n.encapsulated else " "
        value = n.value or ""
        if width is not None and len(value) > width:
            value = value[:max(width, 1)] + "..."
        value = value.replace("\n", "\\n")
        line = (f"{n.offset:5d}:d={n.depth:<2d} hl={n.header_length:<2d} l={length:>4s} {kind}{mark}"
                f"{'  ' * n.depth}{n.type_name}  {n.name or ''}")
        if value:
            line += f" = {value}"
        lines.append(line)
        lines.extend(f"{'':>30s}! {w}" for w in n.warnings)
        if explain and n.explanation:
            lines.append(f"{'':>30s}{n.explanation} [{n.rfc}]")
    lines.extend(f"{'at' if e.limit else 'error at'} offset {e.offset}: {e.message}" for e in explored.errors)
    if explored.hidden:
        lines.append(f"note: {HIDDEN_NOTE}")
    elif explored.revealed and any(n.secret for n in explored.walk()):
        lines.append(f"note: {REVEALED_NOTE}")
    return "\n".join(lines) + "\n"
