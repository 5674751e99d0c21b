#!/usr/bin/env python3
"""Write every citation as 'RFC 5280 §4.2.1.6' (issue 9): the re-runnable converter.

    python .ci/citations.py          # rewrite src/, tests/, notebooks/, README.md, docs/
    python .ci/citations.py --check  # list what is still in the other style; exit 1 if any

The pattern is certlab.knowledge.citations.OTHER_STYLE, the one tests/test_citations.py
checks; notebooks are rewritten cell by cell with nbformat (metadata kept, no outputs).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from certlab.knowledge.citations import OTHER_STYLE, normalise  # noqa: E402


def _files() -> list[Path]:
    out = [*sorted((ROOT / "src").rglob("*.py")), *sorted((ROOT / "tests").rglob("*.py")),
           *sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
    # the pattern's own module and test spell the other style on purpose
    return [p for p in out if p.name not in ("citations.py", "test_citations.py")]


def main(argv: list[str]) -> int:
    import nbformat

    check = "--check" in argv
    left = 0
    for path in _files():
        text = path.read_text(encoding="utf-8")
        found = OTHER_STYLE.findall(text)
        if found:
            left += len(found)
            print(f"{path.relative_to(ROOT)}: {len(found)}")
            if not check:
                path.write_text(normalise(text), encoding="utf-8")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        count = sum(len(OTHER_STYLE.findall(cell.source)) for cell in nb.cells)
        if count:
            left += count
            print(f"{path.relative_to(ROOT)}: {count}")
            if not check:
                for cell in nb.cells:
                    cell.source = normalise(cell.source)
                nbformat.write(nb, path)
    print(f"{left} citation(s) {'in the other style' if check else 'rewritten'}")
    return 1 if check and left else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
