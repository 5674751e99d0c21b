"""One working folder per notebook and learner, the same on every run.

A notebook that writes files (a key, a CSR, a chain for ``openssl verify``)
writes them into ``certlab-<notebook>-<user>`` next to itself.  Run-all a
dozen times and there is still one folder (a fresh ``mkdtemp`` per run left
thirteen ``certlab-0N-xxxx`` folders after one afternoon); thirty learners
sharing one machine and one folder still get one each, named after their
login.  The folder is private to its learner (mode 0700); files in it are
written by :func:`certlab.save` (0600, an existing file replaced only with
``overwrite=True``, which a notebook passes for its own files).
"""

from __future__ import annotations

import getpass
import os
import re
from pathlib import Path

from .errors import CertlabError

__all__ = ["work_folder"]

_NOTEBOOK = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")  # fullmatch: linear, bounded
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _learner() -> str:
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no USER/LOGNAME and no passwd entry (some containers)
        name = ""
    return _UNSAFE.sub("_", name)[:32].strip("._") or "learner"


def work_folder(notebook: str, *, base: str | os.PathLike[str] = ".") -> Path:
    """``base/certlab-<notebook>-<user>``, made (mode 0700) the first time, reused after.

    ``notebook`` is a short name such as ``"02"`` (letters, digits, ``-``, ``_``).
    """
    if not isinstance(notebook, str) or not _NOTEBOOK.fullmatch(notebook):
        raise CertlabError("name", "must be a short notebook name (letters, digits, '-', '_'), e.g. '02'", notebook)
    path = Path(base) / f"certlab-{notebook}-{_learner()}"
    path.mkdir(mode=0o700, parents=False, exist_ok=True)
    if not path.is_dir():
        raise CertlabError("path", "exists and is not a folder", str(path))
    return path
