"""A dummy comm for widget tests with no kernel (after ``ipywidgets/widgets/tests/utils.py``).

ipywidgets' own ``DummyComm`` gives every widget the same ``comm_id``, so
``Widget.get_manager_state()`` (what a saved notebook holds) would keep one
widget only; ours gives each widget its own id and records what is sent.
The ``dummy_comm`` fixture (``tests/conftest.py``) installs it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import comm
import ipykernel.comm
import ipywidgets as w
import ipywidgets.widgets.widget
from ipywidgets.widgets.tests.utils import DummyComm, setup_test_comm, teardown_test_comm


class UniqueComm(DummyComm):
    """A comm that records sent messages, with a distinct id per widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.comm_id = uuid.uuid4().hex


def _create(**_kwargs: Any) -> UniqueComm:
    return UniqueComm()


def _close_all() -> None:
    """Close every live widget; one whose comm cannot close is dropped from the registry.

    A widget made outside this fixture (another test, a background thread) has a
    real comm whose ``close`` asks ``comm.get_comm_manager()``, which the dummy
    setup replaces by a plain dict: closing it here must not abort the teardown
    and leave the dummy comm installed for every later test of the worker.
    """
    for widget in list(ipywidgets.widgets.widget._instances.values()):
        try:
            widget.close()
        except Exception:
            ipywidgets.widgets.widget._instances.pop(getattr(widget, "model_id", None) or "", None)


def install_dummy_comm() -> Iterator[None]:
    """Install the recording comm for one test; the ``dummy_comm`` fixture calls this."""
    _close_all()  # what other tests left open closes with the real comm manager
    setup_test_comm()  # also patches Widget._repr_mimebundle_ (restored on teardown)
    comm.create_comm = _create
    ipykernel.comm.comm.BaseComm = UniqueComm
    w.Widget.comm.klass = UniqueComm
    ipywidgets.widgets.widget.Comm = UniqueComm
    try:
        yield
    finally:
        try:
            _close_all()
        finally:
            teardown_test_comm()


def sent_bytes(widget: w.Widget) -> int:
    """Bytes of state updates sent over ``widget``'s comm so far."""
    return sum(len(repr(kw.get("data", args))) for args, kw in widget.comm.messages)
