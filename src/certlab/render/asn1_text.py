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
    add = lines.append
    # The part after the offset repeats (a CRL's entries all look alike): made once per
    # shape.  A list item's name is its index, so the part before the name is the one kept.
    middles: dict[tuple[int, int, int | None, bool, bool, str], str] = {}
    stack = [explored.root] if explored.root is not None else []
    pop, push = stack.pop, stack.extend
    while stack:
        n = pop()
        node = n.node
        children = n.children
        if children:
            push(reversed(children))
        key = (node.depth, node.header_length, node.length, node.constructed, n.encapsulated, n.type_name)
        middle = middles.get(key)
        if middle is None:
            depth = node.depth
            length = "inf" if node.length is None else str(node.length)
            middle = (f":d={depth:<2d} hl={node.header_length:<2d} l={length:>4s} "
                      f"{'cons' if node.constructed else 'prim'}{'>' if n.encapsulated else ' '}"
                      f"{'  ' * depth}{n.type_name}  ")
            if len(middles) < 65536:
                middles[key] = middle
        value = n.value
        if value:
            if width is not None and len(value) > width:
                value = value[:max(width, 1)] + "..."
            if "\n" in value:
                value = value.replace("\n", "\\n")
            add(f"{node.offset:5d}{middle}{n.name or ''} = {value}")
        else:
            add(f"{node.offset:5d}{middle}{n.name or ''}")
        if n.warnings:
            lines.extend(f"{'':>30s}! {w}" for w in n.warnings)
        if explain and n.explanation:
            add(f"{'':>30s}{n.explanation} [{n.rfc}]")
    lines.extend(f"{'at' if e.limit else 'error at'} offset {e.offset}: {e.message}" for e in explored.errors)
    if explored.hidden:
        lines.append(f"note: {HIDDEN_NOTE}")
    elif explored.revealed and any(n.secret for n in explored.walk()):
        lines.append(f"note: {REVEALED_NOTE}")
    return "\n".join(lines) + "\n"
