"""Committed notebooks are clean: valid nbformat 4, no outputs, no execution counts, a title first.

Outputs in git would leak whatever the author's session made (keys included),
bloat diffs and go stale as the code changes; ``./dev publish`` makes executed
copies for publishing instead.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def problems_in(path: Path) -> list[str]:
    """Every reason ``path`` is not clean, one sentence each, naming the cell."""
    try:
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the finding
        return [f"{path.name}: not a readable notebook: {exc}"]
    problems = []
    if nb.get("nbformat") != 4:
        problems.append(f"{path.name}: nbformat must be 4, got {nb.get('nbformat')!r}")
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        problems.append(f"{path.name}: invalid nbformat: {exc.message}")
    cells = nb.get("cells", [])
    if not cells or cells[0].get("cell_type") != "markdown":
        problems.append(f"{path.name}: the first cell must be markdown (the title and what it teaches)")
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"{path.name}: cell {index}: has {len(cell['outputs'])} committed output(s)")
        if cell.get("execution_count") is not None:
            problems.append(f"{path.name}: cell {index}: has execution_count {cell['execution_count']}")
    if "widgets" in nb.get("metadata", {}):
        problems.append(f"{path.name}: metadata.widgets holds saved widget state (may hold secrets)")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_clean(path: Path) -> None:
    problems = problems_in(path)
    assert not problems, "\n".join(problems)


def test_there_is_a_start_notebook() -> None:
    if not NOTEBOOKS:
        pytest.skip("no notebooks in notebooks/ yet")
    assert [p for p in NOTEBOOKS if p.name.startswith("00-")], "notebooks/ needs a 00-*.ipynb to open first"


# The checker itself must be able to fail: feed it notebooks that break each rule.


def _write(tmp_path: Path, cells: list[nbformat.NotebookNode], **meta: object) -> Path:
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata.update(meta)
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    return path


def test_checker_accepts_a_clean_notebook(tmp_path: Path) -> None:
    path = _write(tmp_path, [nbformat.v4.new_markdown_cell("# t"), nbformat.v4.new_code_cell("1 + 1")])
    assert problems_in(path) == []


def test_checker_names_notebook_and_cell_of_an_output(tmp_path: Path) -> None:
    code = nbformat.v4.new_code_cell("1 + 1", execution_count=3)
    code.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=3)]
    path = _write(tmp_path, [nbformat.v4.new_markdown_cell("# t"), code])
    assert problems_in(path) == [
        "x.ipynb: cell 1: has 1 committed output(s)",
        "x.ipynb: cell 1: has execution_count 3",
    ]


def test_checker_wants_markdown_first_and_no_widget_state(tmp_path: Path) -> None:
    path = _write(tmp_path, [nbformat.v4.new_code_cell("1")], widgets={"state": {}})
    problems = problems_in(path)
    assert any("first cell must be markdown" in p for p in problems)
    assert any("metadata.widgets" in p for p in problems)


def test_checker_reports_broken_json(tmp_path: Path) -> None:
    path = tmp_path / "x.ipynb"
    path.write_text("{not json")
    [problem] = problems_in(path)
    assert problem.startswith("x.ipynb: not a readable notebook")
