"""Small helpers that keep big inputs (a 100,000-entry CRL) fast."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["gc_paused"]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a large, acyclic structure is built.

    certlab's trees and field lists hold no reference cycles (children lists, no
    parent links), so the collector finds nothing in them; but with the million
    objects of a 100,000-entry CRL its full passes took a quarter of the time.
    Reference counting still frees everything as usual.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
