"""Which exercises a learner has passed, recorded on their own machine only.

Each ``check_*`` function of :mod:`certlab.exercises` records its outcome here
(:func:`record`), and ``certlab progress`` prints the list
(:func:`progress_text`). Nothing leaves the machine: no network, no name, no
answer — only the exercise's id, whether it passed, how many tries, and when.

The file is ``$CERTLAB_PROGRESS`` if set, else
``$XDG_DATA_HOME/certlab/progress.json`` (``~/.local/share/certlab/...``),
written 0600 through a temporary file and a rename, so two notebooks checking
at once never leave half a file. A learner on a JupyterHub has their own home
and so their own record. Recording never gets in the way of a check: when the
file cannot be written (a read-only home), the check still answers.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar, cast

__all__ = ["Exercise", "EXERCISES", "exercise", "register", "progress_path", "record", "load", "reset", "progress_text"]


@dataclass(frozen=True)
class Exercise:
    """One exercise: its id (the check function's name), its notebook and what it asks."""

    id: str
    notebook: str
    title: str


#: Every exercise, in notebook order; filled by the :func:`exercise` decorator
#: where each check function is defined (one place: next to the check).
EXERCISES: dict[str, Exercise] = {}

F = TypeVar("F", bound=Callable[..., Any])


def register(exercise_id: str, notebook: str, title: str) -> Exercise:
    """List an exercise whose check records its own outcome (a widget, a method)."""
    EXERCISES[exercise_id] = entry = Exercise(exercise_id, notebook, title)
    return entry


def exercise(notebook: str, title: str) -> Callable[[F], F]:
    """Register a check function as an exercise of ``notebook`` (e.g. ``"02-csr"``).

    Every call of the check then records its outcome (the result's ``ok``)
    under the function's name, and ``certlab progress`` lists it, tried or not.
    """

    def decorate(func: F) -> F:
        register(func.__name__, notebook, title)

        @functools.wraps(func)
        def checked(*args: Any, **kwargs: Any) -> Any:
            result = func(*args, **kwargs)
            ok = getattr(result, "ok", None)
            if isinstance(ok, bool):
                record(func.__name__, ok)
            return result

        return cast(F, checked)

    return decorate


def progress_path() -> Path:
    """Where the record lives (see the module docstring)."""
    explicit = os.environ.get("CERTLAB_PROGRESS", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME", "").strip() or str(Path.home() / ".local" / "share")
    return Path(base) / "certlab" / "progress.json"


def load(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """The record: ``{exercise id: {"passed": bool, "tries": int, "first_passed": iso, "last": iso}}``."""
    target = path or progress_path()
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), dict):
        return {}
    return {str(k): dict(v) for k, v in data["exercises"].items() if isinstance(v, dict)}


def _write(target: Path, exercises: Mapping[str, Mapping[str, Any]]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".progress-", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:  # mkstemp makes it 0600
            json.dump({"version": 1, "exercises": exercises}, fh, indent=1, sort_keys=True)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def record(exercise_id: str, ok: bool, *, path: Path | None = None, now: datetime | None = None) -> None:
    """Count one try of ``exercise_id``; remember when it first passed. Never raises on I/O."""
    target = path or progress_path()
    stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    try:
        exercises = load(target)
        entry = exercises.setdefault(exercise_id, {"passed": False, "tries": 0})
        entry["tries"] = int(entry.get("tries", 0)) + 1
        entry["last"] = stamp
        if ok and not entry.get("passed"):
            entry["passed"] = True
            entry["first_passed"] = stamp
        _write(target, exercises)
    except OSError:
        pass  # a read-only home: the check has answered; only the record is missing


def reset(path: Path | None = None) -> bool:
    """Forget every outcome; True when there was a record."""
    target = path or progress_path()
    try:
        target.unlink()
    except FileNotFoundError:
        return False
    return True


def progress_text(path: Path | None = None) -> str:
    """``certlab progress``: each notebook's exercises, passed / tried / not yet."""
    from . import exercises as _checks  # noqa: F401  (their decorators fill EXERCISES)
    from . import zoo as _zoo  # noqa: F401  (the mystery server)

    done = load(path)
    lines: list[str] = []
    notebook = None
    for ex in sorted(EXERCISES.values(), key=lambda e: e.notebook):  # stable: a notebook's own order
        if ex.notebook != notebook:
            notebook = ex.notebook
            lines.append(f"{notebook}")
        entry = done.get(ex.id)
        if entry and entry.get("passed"):
            mark, note = "✔", f"passed {entry.get('first_passed', '')[:10]}"
        elif entry:
            mark, note = "✘", f"not yet ({entry.get('tries', 0)} tries)"
        else:
            mark, note = "·", "not tried"
        lines.append(f"  {mark} {ex.title}  [{note}]")
    passed = sum(1 for ex in EXERCISES.values() if done.get(ex.id, {}).get("passed"))
    lines.append(f"{passed} of {len(EXERCISES)} exercises passed (recorded in {path or progress_path()})")
    return "\n".join(lines) + "\n"
