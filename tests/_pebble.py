"""The policy for tests of the real pebble: mandatory under CI=true, skipped with a hint elsewhere."""

from __future__ import annotations

import os

import pytest

from certlab.acme import pebble_available
from certlab.knowledge.acme import PEBBLE_HINT


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def need_pebble() -> None:
    """Fail (CI=true) or skip (elsewhere) when pebble cannot run here."""
    if pebble_available():
        return
    if in_ci():
        pytest.fail(f"CI=true and no pebble: {PEBBLE_HINT}", pytrace=False)
    pytest.skip(PEBBLE_HINT)


def pebble_pids() -> set[int]:
    """Every running pebble / pebble-challtestsrv process of this machine (from /proc)."""
    pids = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv0 = f.read().split(b"\0", 1)[0]
            with open(f"/proc/{entry}/stat", "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if os.path.basename(argv0) in (b"pebble", b"pebble-challtestsrv") and state != b"Z":
            pids.add(int(entry))
    return pids
