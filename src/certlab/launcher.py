"""``certlab lab``: copy the tutorial notebooks into a working folder, open JupyterLab.

A learner edits the notebooks, so the shipped copies are never touched: they
are copied into a working folder (``./certlab-notebooks`` by default) and only
the files that are *missing* there are copied. A notebook the learner already
has — edited or not — is kept as it is and named in the report, so running
``certlab lab`` again after an upgrade never destroys anyone's work.

Where the notebooks come from, in order:

1. ``certlab/_notebooks/`` inside the installed package (the wheel carries the
   repository's ``notebooks/`` there, see ``pyproject.toml``);
2. the repository's ``notebooks/`` next to ``src/`` (editable / dev installs,
   where the force-include above does not apply).

JupyterLab is started with the same Python that runs certlab
(``python -m jupyterlab``), so a ``certlab`` on PATH never starts some other
environment's JupyterLab whose kernel cannot import certlab.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from urllib.parse import quote

__all__ = ["CopyReport", "ResetReport", "reset_notebook", "notebooks_source", "copy_notebooks", "jupyter_command", "main"]

#: Where ``certlab lab`` puts the notebooks when ``--dir`` is not given.
DEFAULT_DIR = "certlab-notebooks"

# Things that live next to notebooks but are never part of the tutorial
# (hidden files such as .gitkeep and .ipynb_checkpoints are skipped as well).
_SKIP_NAMES = frozenset({"__pycache__"})

Runner = Callable[[Sequence[str]], int]


@dataclass(frozen=True)
class CopyReport:
    """What :func:`copy_notebooks` did: paths relative to the working folder."""

    dest: Path
    copied: tuple[str, ...]
    kept: tuple[str, ...]

    @property
    def start_notebook(self) -> str | None:
        """The ``00-*.ipynb`` notebook to open first, if the folder has one."""
        return _start_notebook(self.dest)


def _has_notebooks(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*.ipynb"))


def notebooks_source() -> Path:
    """The folder the tutorial notebooks are copied from.

    Raises :class:`~certlab.errors.LoadError` when neither the packaged copy
    nor a repository checkout is found (a broken install).
    """
    packaged = Path(str(resources.files("certlab") / "_notebooks"))
    if _has_notebooks(packaged):
        return packaged
    # Editable install: src/certlab/launcher.py -> repo root is two levels above src/.
    repo = Path(__file__).resolve().parents[2] / "notebooks"
    if _has_notebooks(repo):
        return repo
    from certlab.errors import LoadError

    raise LoadError(
        "notebooks",
        "no tutorial notebooks found in the installed package (certlab/_notebooks) "
        "or next to the source tree; reinstall certlab",
        str(packaged),
    )


def _tutorial_files(source: Path) -> list[Path]:
    files = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if any(part in _SKIP_NAMES or part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        files.append(rel)
    return files


def copy_notebooks(dest: Path | str, source: Path | str | None = None) -> CopyReport:
    """Copy every tutorial file missing from ``dest``; keep every file already there.

    Never overwrites: a learner's edited notebook is reported in ``kept``.
    """
    dest_path = Path(dest).expanduser().resolve()
    if dest_path.exists() and not dest_path.is_dir():
        # otherwise mkdir below fails with the OS's bare "File exists"
        from .errors import LoadError

        raise LoadError("dir", "must be a folder, not a file", str(dest))
    src_path = Path(source) if source is not None else notebooks_source()
    copied: list[str] = []
    kept: list[str] = []
    for rel in _tutorial_files(src_path):
        target = dest_path / rel
        if target.exists():
            kept.append(rel.as_posix())
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        # Copy to a temporary name then rename, so an interrupted copy never
        # leaves a truncated notebook that the next run would "keep".
        partial = target.with_name(target.name + ".certlab-partial")
        shutil.copyfile(src_path / rel, partial)
        partial.replace(target)
        copied.append(rel.as_posix())
    return CopyReport(dest=dest_path, copied=tuple(copied), kept=tuple(kept))


@dataclass(frozen=True)
class ResetReport:
    """What :func:`reset_notebook` did: the pristine copy and where the learner's went."""

    notebook: Path
    backup: Path | None


def _match_notebook(source: Path, name: str) -> str:
    """The tutorial notebook ``name`` means: a file name, or a prefix such as ``02`` or ``02-csr``."""
    from .errors import LoadError

    names = sorted(p.name for p in source.glob("*.ipynb"))
    wanted = name if name.endswith(".ipynb") else name + ".ipynb"
    if wanted in names:
        return wanted
    hits = [n for n in names if n.startswith(name.removesuffix(".ipynb") + ("" if "-" in name else "-"))]
    if len(hits) == 1:
        return hits[0]
    raise LoadError("reset", "must name one tutorial notebook (e.g. 02 or 02-csr): " + ", ".join(names), name)


def reset_notebook(dest: Path | str, name: str, source: Path | str | None = None,
                   *, now: datetime | None = None) -> ResetReport:
    """Put a pristine copy of notebook ``name`` into ``dest``, keeping the learner's copy as a backup.

    The learner's notebook is renamed ``NAME.backup-YYYYmmdd-HHMMSS.ipynb``
    beside it (a new name each time: an older backup is never overwritten).
    """
    src_path = Path(source) if source is not None else notebooks_source()
    chosen = _match_notebook(src_path, name)
    dest_path = Path(dest).expanduser().resolve()
    dest_path.mkdir(parents=True, exist_ok=True)
    target = dest_path / chosen
    backup = None
    if target.exists():
        stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
        backup = target.with_name(f"{target.stem}.backup-{stamp}.ipynb")
        n = 1
        while backup.exists():
            n += 1
            backup = target.with_name(f"{target.stem}.backup-{stamp}-{n}.ipynb")
        target.rename(backup)
    partial = target.with_name(target.name + ".certlab-partial")
    shutil.copyfile(src_path / chosen, partial)
    partial.replace(target)
    return ResetReport(target, backup)


def _start_notebook(folder: Path) -> str | None:
    starts = sorted(p.name for p in folder.glob("00-*.ipynb"))
    return starts[0] if starts else None


def jupyter_command(
    root_dir: Path | str,
    *,
    start_notebook: str | None = None,
    port: int | None = None,
    open_browser: bool = True,
    extra: Sequence[str] = (),
) -> list[str]:
    """The ``jupyter lab`` command line that serves ``root_dir`` and opens ``start_notebook``."""
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={Path(root_dir)}"]
    if start_notebook:
        # LabApp (an ExtensionApp) owns the URL "/" redirects to; jupyter_server 2.x.
        cmd.append(f"--LabApp.default_url=/lab/tree/{quote(start_notebook)}")
    if port is not None:
        cmd.append(f"--ServerApp.port={port}")
    if not open_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Workshop containers and Binder-like images often run as root, where
        # jupyter_server refuses to start without this flag.
        cmd.append("--allow-root")
    cmd.extend(extra)
    return cmd


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="certlab lab",
        description="Copy the certlab notebooks into a working folder and open JupyterLab "
        "on the first one. Notebooks already in the folder are kept, never overwritten.",
        epilog="Arguments after the options (or after --) are passed to 'jupyter lab'.",
    )
    parser.add_argument("--dir", default=DEFAULT_DIR, help=f"working folder (default: ./{DEFAULT_DIR})")
    parser.add_argument("--port", type=int, default=None, help="port for JupyterLab (default: Jupyter's)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    parser.add_argument(
        "--from",
        dest="source",
        default=None,
        metavar="DIR",
        help="copy notebooks from DIR instead of the ones shipped with certlab (a teacher's own set)",
    )
    parser.add_argument(
        "--copy-only", action="store_true", help="copy the notebooks, print where, do not start JupyterLab"
    )
    parser.add_argument(
        "--reset",
        metavar="NOTEBOOK",
        default=None,
        help="put back a pristine copy of one notebook (e.g. 02 or 02-csr); yours is kept as "
        "NOTEBOOK.backup-DATE.ipynb beside it. Does not start JupyterLab",
    )
    return parser


def _default_runner(cmd: Sequence[str]) -> int:
    try:
        return subprocess.call(list(cmd))
    except KeyboardInterrupt:  # Ctrl-C stops JupyterLab: a normal way to leave
        return 0


def main(argv: list[str] | None = None, *, runner: Runner | None = None) -> int:
    """Entry point of ``certlab lab``; returns the process exit status.

    ``runner`` runs the final command (tests inject one to see the command
    without starting a server); by default it is :func:`subprocess.call`.
    """
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    extra = [a for a in extra if a != "--"]
    from certlab.errors import CertlabError, LoadError

    try:
        source = Path(args.source) if args.source else None
        if source is not None and not _has_notebooks(source):
            raise LoadError("from", "must be a folder holding .ipynb notebooks", args.source)
        if args.reset is not None:
            reset = reset_notebook(args.dir, args.reset, source)
            if reset.backup is not None:
                print(f"kept     your copy as {reset.backup.name}")
            print(f"reset    {reset.notebook.name} (a pristine copy) in {reset.notebook.parent}")
            return 0
        report = copy_notebooks(args.dir, source)
    except CertlabError as exc:
        print(f"certlab lab: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"certlab lab: dir: cannot copy the notebooks into {args.dir!r}: {exc.strerror}", file=sys.stderr)
        return 2
    for name in report.copied:
        print(f"copied   {name}")
    for name in report.kept:
        print(f"kept     {name} (already there; your version is left untouched)")
    print(f"notebooks are in {report.dest}")
    if args.copy_only:
        return 0
    cmd = jupyter_command(
        report.dest,
        start_notebook=report.start_notebook,
        port=args.port,
        open_browser=not args.no_browser,
        extra=extra,
    )
    return (runner or _default_runner)(cmd)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
