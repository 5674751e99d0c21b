"""Typing into the lab: every keystroke syncs, and keystrokes that arrive during a rebuild coalesce.

No kernel, no browser: the dummy comm, and keystrokes delivered exactly as
the kernel delivers a browser's message (``Widget._handle_msg`` with an
``update``), so the lab sees them as coming from the browser.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as w
import pytest
from cryptography.x509.oid import NameOID

from certlab.build import generate_key
from certlab.spec import KeySpec
from certlab.widgets import CertificateLab
from certlab.widgets._base import Coalescer, from_browser
from certlab.widgets.export import SavePanel


@pytest.fixture(autouse=True)
def _comm(dummy_comm: None) -> None:
    """Every test runs with the dummy comm (no kernel)."""


@pytest.fixture(scope="module")
def rsa_key() -> Any:
    return generate_key(KeySpec())


def keystroke(widget: w.Widget, value: object) -> None:
    """The browser's message for one keystroke of a ``continuous_update`` box."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": {"value": value}, "buffer_paths": []}},
                        "buffers": []})


def cn_of(lab: CertificateLab) -> str:
    return str(lab.result.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)


class ManualStart:
    """A stand-in for the rebuild thread: jobs wait until the test runs them."""

    def __init__(self) -> None:
        self.jobs: list[Callable[[], None]] = []

    def __call__(self, job: Callable[[], None]) -> None:
        self.jobs.append(job)

    def run(self) -> None:
        while self.jobs:
            self.jobs.pop(0)()


def test_text_boxes_of_the_form_sync_while_typing_except_secrets(rsa_key: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    typed = {n: f for n, f in lab.fields.items() if isinstance(f, (w.Text, w.Combobox, w.IntText))}
    assert {"common_name", "country", "serial", "not_before", "validity_days", "key_size", "hash"} <= set(typed)
    assert all(f.continuous_update for f in typed.values()), [n for n, f in typed.items() if not f.continuous_update]
    assert all(row.continuous_update for row in lab.sans.rows)
    # the passphrase is the one box that waits, and says so on screen
    save = SavePanel()
    assert save.fields["passphrase"].continuous_update is False
    hint = save._passphrase_row.children[1].value
    assert "press Enter" in hint and "secret" in hint


def test_a_keystroke_from_the_browser_is_seen_as_such(rsa_key: Any) -> None:
    box = w.Text(value="")
    seen: list[bool] = []
    box.observe(lambda c: seen.append(from_browser(c["owner"])), names="value")
    box.value = "by code"
    keystroke(box, "by the browser")
    assert seen == [False, True]


def test_keystrokes_during_a_rebuild_cost_one_more_rebuild_and_the_last_one_wins(rsa_key: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    start = ManualStart()
    lab.rebuilder._start = start
    before = lab.rebuilder.rebuilds
    cn = lab.fields["common_name"]
    for text in ("e", "ex", "exa", "exam", "examp", "exampl", "example.org"):
        keystroke(cn, text)
    assert len(start.jobs) == 1 and lab.rebuilder.busy  # one rebuild due, nothing run yet
    start.run()
    assert lab.rebuilder.rebuilds - before == 1
    assert cn_of(lab) == "example.org" and lab.error is None and not lab.rebuilder.busy


def test_a_burst_arriving_while_a_rebuild_runs_is_merged_into_one(rsa_key: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    start = ManualStart()
    lab.rebuilder._start = start
    cn = lab.fields["common_name"]
    real_update = lab.update
    seen: list[str] = []

    def update_while_typing() -> None:
        # the learner keeps typing while the first rebuild runs
        if not seen:
            for text in ("b", "bu", "bur", "burst.example"):
                keystroke(cn, text)
        real_update()
        seen.append(cn_of(lab))

    lab.update = update_while_typing  # type: ignore[method-assign]
    before = lab.rebuilder.rebuilds
    keystroke(cn, "a")
    start.run()
    assert lab.rebuilder.rebuilds - before == 2, seen  # the first, then one for the whole burst
    assert seen[-1] == "burst.example" and len(start.jobs) == 0
    # the first one built "a" but did not draw it: newer keys were waiting, and drawing
    # a pane the browser replaces at once only slows the browser down
    assert lab.rebuilder.skipped == 1 and seen[0] == "mysite.com"
    assert "burst.example" in lab.views.html("fields") and lab.error is None
    assert lab.rebuilder.max_in_flight == 1


def test_real_rebuild_thread_coalesces_and_the_key_is_never_regenerated(rsa_key: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    key_numbers = lab.key.private_numbers()
    gate = threading.Event()
    real_update = lab.update

    def slow_update() -> None:
        gate.wait(10)  # a rebuild that lasts until the test has typed everything
        real_update()

    lab.update = slow_update  # type: ignore[method-assign]
    before = lab.rebuilder.rebuilds
    cn = lab.fields["common_name"]
    for i in range(1, 21):
        keystroke(cn, "typed-quickly.example"[:i] if i < 21 else "typed-quickly.example")
    keystroke(cn, "typed-quickly.example")
    keystroke(lab.fields["key_size"], "4")  # typing into the key size never makes a key
    keystroke(lab.fields["key_size"], "4096")
    gate.set()
    assert lab.wait(30)
    assert lab.rebuilder.rebuilds - before <= 2  # the one in flight + one for everything typed meanwhile
    assert lab.rebuilder.max_in_flight == 1
    assert cn_of(lab) == "typed-quickly.example"
    assert lab.key.private_numbers() == key_numbers and lab.key_panel.stale  # marked out of date, not replaced
    assert lab.result.public_key().public_numbers() == key_numbers.public_numbers


def test_what_changed_shows_the_whole_typed_edit_not_the_last_key(rsa_key: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    first = lab.result
    cn = lab.fields["common_name"]
    for i in range(1, len("typed.example") + 1):
        keystroke(cn, "typed.example"[:i])
        assert lab.wait(30)
    assert lab.previous is first  # the result from before the first key
    changes = lab.views.html("changes")
    assert "mysite.com" in changes and "typed.example" in changes
    keystroke(lab.fields["organization"], "Other Org")  # another box: a new edit
    assert lab.wait(30)
    assert cn_of(lab) == "typed.example"
    assert lab.previous is not first and "typed.example" in str(lab.previous.subject)


def test_code_changes_still_rebuild_at_once(rsa_key: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    lab.fields["common_name"].value = "by-code.example"
    assert cn_of(lab) == "by-code.example"  # the next line sees it: no background rebuild
    assert not lab.rebuilder.busy


def test_a_bug_in_a_background_rebuild_is_shown_not_lost(rsa_key: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)

    def broken() -> None:
        raise RuntimeError("boom")

    lab.update = broken  # type: ignore[method-assign]
    keystroke(lab.fields["common_name"], "x.example")
    assert lab.wait(30)
    assert "boom" in lab._error_area.value and "RuntimeError" in (lab.error or "")


def test_coalescer_counts_and_recovers_from_a_failed_start() -> None:
    runs: list[int] = []
    c = Coalescer(lambda: runs.append(1), start=lambda job: (_ for _ in ()).throw(OSError("no thread")))
    with pytest.raises(OSError):
        c.request()
    assert not c.busy  # not stuck "busy" forever
    c.now()
    assert runs == [1] and c.rebuilds == 1


def _dangling() -> list[str]:
    """Live widgets whose state names a model that is closed (what breaks a reopened notebook)."""
    state = w.Widget.get_manager_state(drop_defaults=False)["state"]
    bad = []
    for model_id, entry in state.items():
        for name, value in entry["state"].items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item.startswith("IPY_MODEL_") and item[10:] not in state:
                    bad.append(f"{entry['model_name']}.{name} -> {item}")
    return bad


def test_adding_and_removing_san_rows_leaves_no_live_widget_naming_a_closed_one(rsa_key: Any) -> None:
    lab = CertificateLab("csr", key=rsa_key)
    assert _dangling() == []
    lab.sans.add_button.click()
    keystroke(lab.sans.rows[3], "*.mysite.com")
    assert lab.wait(30)
    lab.sans.remove_row(0)
    assert _dangling() == []
    assert lab.sans.value == ("www.mysite.com", "subdomain.mysite.com", "*.mysite.com")


def test_the_error_for_sans_i_sits_by_the_row_marked_i(rsa_key: Any) -> None:
    lab = CertificateLab("csr", key=rsa_key)
    lab.sans.value = ("a.example", "", "b.example", "c.example", "d.example", "exa mple.com")
    assert lab.error is not None and lab.error.startswith("sans[5]")
    row = lab.sans._box.children[5]  # [HBox([label, text, remove]), slot]
    label, text, _remove = row.children[0].children
    assert label.value == "<code>[5]</code>" and text.value == "exa mple.com"
    assert "spaces" in row.children[1].value
    assert all(not lab.sans._box.children[i].children[1].value for i in range(5))
