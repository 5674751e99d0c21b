"""A dummy comm for widget tests with no kernel (after ``ipywidgets/widgets/tests/utils.py``).

ipywidgets' own ``DummyComm`` gives every widget the same ``comm_id``, so
``Widget.get_manager_state()`` (what a saved notebook holds) would keep one
widget only; ours gives each widget its own id and records what is sent.
The comm itself lives in ``tests/_widgets.py``; every test asks for the ``dummy_comm`` fixture.
"""

from __future__ import annotations

import ipywidgets as w

from tests._widgets import sent_bytes


def test_each_widget_has_its_own_model_id(dummy_comm: None) -> None:
    a, b = w.Text(value="a"), w.Text(value="b")
    assert a.model_id != b.model_id
    state = w.Widget.get_manager_state()["state"]
    assert state[a.model_id]["state"]["value"] == "a" and state[b.model_id]["state"]["value"] == "b"
    b.value = "changed"
    assert sent_bytes(b) > 0 and sent_bytes(a) == 0
