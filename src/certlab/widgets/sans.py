"""The subjectAltName list editor: one row per name, each validated on its own.

A row may hold a DNS name, an IP address, an email address or a URI
(``dns:``/``ip:``/``email:``/``uri:`` prefixes force a kind); the spec's one
normaliser (:func:`certlab.spec.normalize_san`) decides, and an error about
row *i* (``sans[i]``) appears under that row.  A brand-new empty row is
ignored until something is typed into it; a row of only spaces is an error.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as w
import traitlets

from ._base import close_tree, css_name, error_slot, quietly

__all__ = ["SanList"]


class SanList(w.VBox):
    """Rows of SAN text boxes with add/remove buttons.

    ``value`` (a tuple of the rows' text, not synced to the browser: the rows
    are) is what the lab reads; setting it rebuilds the rows.  ``slots`` maps
    ``sans[i]`` to that row's error slot.
    """

    value = traitlets.Tuple(help="the rows' text, in order")

    def __init__(self, rows: Sequence[str] = ()) -> None:
        super().__init__()
        self._updating = False
        self.rows: list[w.Text] = []
        self.slots: dict[str, w.HTML] = {}
        self.slot = error_slot("sans")  # errors about the list as a whole
        self.add_button = w.Button(description="Add a name", icon="plus")
        self.add_button.add_class("certlab-sans-add")
        self.add_button.on_click(lambda _b: self.add_row())
        self._box = w.VBox()
        self.children = [
            w.HTML(
                value="<b>3. Subject alternative names</b> "
                "<span class='certlab-hint'>what the certificate is valid for (RFC 5280 §4.2.1.6)</span>"
            ),
            self._box,
            self.add_button,
            self.slot,
        ]
        self.add_class("certlab-field-sans")
        self.value = tuple(rows)
        self._rebuild()

    def add_row(self, text: str = "") -> None:
        """Append a row (empty rows are skipped by the spec until typed into)."""
        self.value = (*self.value, text)

    def remove_row(self, index: int) -> None:
        """Remove row ``index``."""
        rows = list(self.value)
        del rows[index]
        self.value = tuple(rows)

    @traitlets.observe("value")
    def _value_changed(self, change: Mapping[str, Any]) -> None:
        if not self._updating:
            self._rebuild()

    def _rebuild(self) -> None:
        # rows are remade only when their number changes, so typing keeps focus
        values = list(self.value)
        if len(values) != len(self.rows):
            for box in self._box.children:
                close_tree(box)  # the whole row: a live box naming a closed text box breaks a reopened notebook
            self.rows, self.slots, boxes = [], {}, []
            for i in range(len(values)):
                text = w.Text(value=values[i], continuous_update=True, placeholder="www.example.org or 192.0.2.1")
                text.add_class("certlab-field")
                text.add_class(f"certlab-field-{css_name(f'sans[{i}]')}")
                text.observe(self._row_changed, names="value")
                remove = w.Button(description="", icon="trash", tooltip=f"remove sans[{i}]", layout=w.Layout(width="3em"))
                remove.add_class(f"certlab-sans-remove-{i}")
                remove.on_click(lambda _b, i=i: self.remove_row(i))
                slot = error_slot(f"sans[{i}]")
                # numbered as the errors name them: the message for sans[5] sits by the row marked [5]
                label = w.HTML(value=f"<code>[{i}]</code>", layout=w.Layout(width="2.6em"))
                boxes.append(w.VBox([w.HBox([label, text, remove]), slot]))
                self.rows.append(text)
                self.slots[f"sans[{i}]"] = slot
            self._box.children = boxes
        else:
            with quietly(self):
                for row, text in zip(self.rows, values):
                    if row.value != text:
                        row.value = text

    def _row_changed(self, _change: Mapping[str, Any]) -> None:
        if self._updating:
            return
        self.value = tuple(row.value for row in self.rows)

    def show_errors(self, messages: Mapping[str, list[str]]) -> None:
        """Put each message under its row (``sans[i]``) or under the list (``sans``)."""
        from ._base import error_html

        for name, slot in {**self.slots, "sans": self.slot}.items():
            text = "<br>".join(error_html(m) for m in messages.get(name, []))
            if slot.value != text:
                slot.value = text

    def __repr__(self) -> str:
        return f"SanList({html.escape(repr(self.value))})"
