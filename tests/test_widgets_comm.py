"""A dummy comm for widget tests with no kernel (after ``ipywidgets/widgets/tests/utils.py``).

ipywidgets' own ``DummyComm`` gives every widget the same ``comm_id``, so
``Widget.get_manager_state()`` (what a saved notebook holds) would keep one
widget only; ours gives each widget its own id and records what is sent.
Other widget tests import :func:`dummy_comm` from here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import comm
import ipykernel.comm
import ipywidgets as w
import ipywidgets.widgets.widget
import pytest
from ipywidgets.widgets.tests.utils import DummyComm, setup_test_comm, teardown_test_comm


class UniqueComm(DummyComm):
    """A comm that records sent messages, with a distinct id per widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.comm_id = uuid.uuid4().hex


def _create(**_kwargs: Any) -> UniqueComm:
    return UniqueComm()


@pytest.fixture
def dummy_comm() -> Iterator[None]:
    setup_test_comm()  # also patches Widget._repr_mimebundle_ (restored on teardown)
    comm.create_comm = _create
    ipykernel.comm.comm.BaseComm = UniqueComm
    w.Widget.comm.klass = UniqueComm
    ipywidgets.widgets.widget.Comm = UniqueComm
    yield
    w.Widget.close_all()
    teardown_test_comm()


def sent_bytes(widget: w.Widget) -> int:
    """Bytes of state updates sent over ``widget``'s comm so far."""
    return sum(len(repr(kw.get("data", args))) for args, kw in widget.comm.messages)


def test_each_widget_has_its_own_model_id(dummy_comm: None) -> None:
    a, b = w.Text(value="a"), w.Text(value="b")
    assert a.model_id != b.model_id
    state = w.Widget.get_manager_state()["state"]
    assert state[a.model_id]["state"]["value"] == "a" and state[b.model_id]["state"]["value"] == "b"
    b.value = "changed"
    assert sent_bytes(b) > 0 and sent_bytes(a) == 0
