"""Every notebook runs top to bottom in a fresh kernel, with no error, within its time budget.

Each runs in a temporary copy of ``notebooks/`` as its working directory, so
files a notebook writes (keys, CSRs, certificates) never land in the repo.

Also the publisher behind ``./dev publish``::

    python -m tests.test_notebooks_execute --publish artifacts/published

executes every notebook with widget state stored, for publishing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
BUDGET_SECONDS = 120  # per notebook; a class of 30 waits on the slowest one
KERNEL = "python3"


@contextmanager
def _isolated_jupyter() -> Iterator[None]:
    """Only this venv's kernelspecs: a learner's ~/.local/share/jupyter kernels must not be picked."""
    saved = {k: os.environ.get(k) for k in ("JUPYTER_DATA_DIR", "JUPYTER_PATH", "IPYTHONDIR")}
    with tempfile.TemporaryDirectory(prefix="certlab-jupyter-") as tmp:
        os.environ["JUPYTER_DATA_DIR"] = str(Path(tmp) / "data")
        os.environ["IPYTHONDIR"] = str(Path(tmp) / "ipython")
        os.environ.pop("JUPYTER_PATH", None)
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def kernel_python() -> str:
    """The interpreter the ``python3`` kernelspec launches (after jupyter_client's substitution)."""
    from jupyter_client.kernelspec import KernelSpecManager

    argv0 = KernelSpecManager().get_kernel_spec(KERNEL).argv[0]
    # jupyter_client runs sys.executable for a spec whose argv[0] is a bare "python".
    return sys.executable if argv0 in {"python", "python3", f"python{sys.version_info[0]}.{sys.version_info[1]}"} else argv0


def execute_notebook(
    path: Path, workdir: Path, *, timeout: int = BUDGET_SECONDS, store_widget_state: bool = False
) -> nbformat.NotebookNode:
    """Execute ``path`` with ``workdir`` as cwd; return the executed notebook.

    Raises ``nbclient.exceptions.CellExecutionError`` on an unexpected error
    (cells tagged ``raises-exception`` may fail on purpose, as in nbclient).
    """
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=KERNEL,
        resources={"metadata": {"path": str(workdir)}},
        store_widget_state=store_widget_state,
    )
    with _isolated_jupyter():
        client.execute()
    return nb


def error_outputs(nb: nbformat.NotebookNode) -> list[str]:
    """Error outputs and tracebacks on stderr, except in cells tagged ``raises-exception``."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "raises-exception" in cell.get("metadata", {}).get("tags", []):
            continue
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append(f"cell {index}: {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr" and "Traceback" in out.text:
                found.append(f"cell {index}: traceback on stderr: {out.text[:400]}")
    return found


def _copy_notebooks(dest: Path) -> Path:
    shutil.copytree(NOTEBOOK_DIR, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest


# ---------------------------------------------------------------- tests


def test_kernel_is_this_environment() -> None:
    with _isolated_jupyter():
        assert Path(kernel_python()).resolve() == Path(sys.executable).resolve()


if NOTEBOOKS:

    @pytest.mark.slow
    @pytest.mark.timeout(BUDGET_SECONDS + 60)
    @pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
    def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path) -> None:
        from nbclient.exceptions import CellExecutionError

        before = sorted(p.name for p in NOTEBOOK_DIR.iterdir())
        workdir = _copy_notebooks(tmp_path / "notebooks")
        start = time.monotonic()
        try:
            nb = execute_notebook(workdir / path.name, workdir)
        except CellExecutionError as exc:
            pytest.fail(f"{path.name} failed:\n{str(exc)[-3000:]}", pytrace=False)
        elapsed = time.monotonic() - start
        assert error_outputs(nb) == [], f"{path.name} shows errors"
        assert elapsed < BUDGET_SECONDS, f"{path.name} took {elapsed:.0f}s, budget {BUDGET_SECONDS}s"
        # nothing it wrote escaped into the repo's notebooks/ (it ran in the copy)
        assert sorted(p.name for p in NOTEBOOK_DIR.iterdir()) == before

else:

    def test_notebook_runs_top_to_bottom() -> None:
        pytest.skip("no notebooks in notebooks/ yet")


def test_runner_reports_errors_and_honours_raises_exception(tmp_path: Path) -> None:
    """The runner can fail: an error cell is reported; a tagged one is allowed."""
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook()
    ok = nbformat.v4.new_code_cell("open('written.txt', 'w').write('x'); import os; print(os.getcwd())")
    tagged = nbformat.v4.new_code_cell("raise ValueError('on purpose')", metadata={"tags": ["raises-exception"]})
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), ok, tagged]
    good = tmp_path / "good.ipynb"
    nbformat.write(nb, good)
    done = execute_notebook(good, tmp_path, timeout=60)
    assert error_outputs(done) == []
    assert (tmp_path / "written.txt").exists()  # cwd is the workdir we chose
    assert done.cells[1].outputs[0].text.strip() == str(tmp_path)

    nb.cells.append(nbformat.v4.new_code_cell("1 / 0"))
    bad = tmp_path / "bad.ipynb"
    nbformat.write(nb, bad)
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        execute_notebook(bad, tmp_path, timeout=60)


# ---------------------------------------------------------------- publish


def publish(out: Path) -> int:
    """Execute every notebook with widget state into ``out``; return an exit status."""
    from nbclient.exceptions import CellExecutionError

    if not NOTEBOOKS:
        print("publish: no notebooks in notebooks/", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    status = 0
    with tempfile.TemporaryDirectory(prefix="certlab-publish-") as tmp:
        workdir = _copy_notebooks(Path(tmp) / "notebooks")
        for path in NOTEBOOKS:
            start = time.monotonic()
            try:
                nb = execute_notebook(workdir / path.name, workdir, store_widget_state=True)
            except CellExecutionError as exc:
                print(f"publish: {path.name}: FAILED\n{str(exc)[-2000:]}", file=sys.stderr)
                status = 1
                continue
            nbformat.write(nb, out / path.name)
            print(f"publish: {path.name} -> {out / path.name} ({time.monotonic() - start:.1f}s)")
            # Saved widget state is published as is: a private key in it would be
            # published too. Forms must keep keys out of synced traits unless revealed.
            state = json.dumps(nb.metadata.get("widgets", {}))
            if "PRIVATE KEY-----" in state:
                print(f"publish: {path.name}: WARNING: saved widget state holds a PEM private key", file=sys.stderr)
                status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.test_notebooks_execute")
    parser.add_argument("--publish", metavar="OUT", required=True, help="folder for the executed notebooks")
    args = parser.parse_args(argv)
    return publish(Path(args.publish))


if __name__ == "__main__":
    raise SystemExit(main())
