"""Shared machinery of the forms: labelled fields, error slots, the update guard.

Every form follows one pattern (ipywidgets ``interactive``; ipyfilechooser's
``_set_form_values``):

* its input widgets are in ``.fields`` by spec name (``"common_name"``);
* each field has an error slot (an ``HTML`` with the class
  ``certlab-error-<name>``) where a :class:`~certlab.errors.CertlabError` about
  that field is shown;
* observers run through :meth:`_FormMixin._guarded`: an expected error becomes
  a message, an unexpected one (a bug) is shown whole in the form's error area
  — never swallowed, never printed by the kernel;
* programmatic updates set ``_updating`` so they do not re-trigger observers.
"""

from __future__ import annotations

import html
import traceback
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ipywidgets as w

from ..errors import CertlabError, InvalidSpec

__all__: list[str] = []  # private module: the forms are public in certlab.widgets


def css_name(field: str) -> str:
    """A CSS-class-safe form of a field name: ``sans[1]`` -> ``sans-1``."""
    return field.replace("[", "-").replace("]", "")


def set_shown(widget: w.Widget, shown: bool) -> None:
    """Show or hide ``widget`` (its ``layout.display``), touching the trait only on a change."""
    display = "" if shown else "none"
    if widget.layout.display != display:
        widget.layout.display = display


def error_slot(field: str) -> w.HTML:
    """An empty error slot for ``field`` (shown only when it holds a message)."""
    slot = w.HTML(value="")
    slot.add_class("certlab-error")
    slot.add_class(f"certlab-error-{css_name(field)}")
    return slot


def labelled(field: str, widget: w.Widget, label: str, hint: str = "") -> tuple[w.VBox, w.HTML]:
    """``widget`` with its label, hint and error slot; classes for tests and CSS."""
    widget.add_class("certlab-field")
    widget.add_class(f"certlab-field-{css_name(field)}")
    described = bool(label) and hasattr(widget, "description") and not isinstance(
        widget, (w.Button, w.Checkbox, w.ToggleButton, w.TagsInput)
    )
    if described:
        widget.description = label
        widget.style.description_width = "11em"
    slot = error_slot(field)
    parts: list[w.Widget] = [widget]
    if hint:
        hint_html = w.HTML(value=f'<span class="certlab-hint">{html.escape(hint)}</span>')
        hint_html.layout.margin = "0 0 0 11.5em" if described else "0"
        parts.append(hint_html)
    parts.append(slot)
    return w.VBox(parts, layout=w.Layout(margin="0 0 2px 0")), slot


def error_html(message: str) -> str:
    """One error message, escaped (it quotes what the learner typed)."""
    return f'<span class="certlab-error-text" style="color: var(--jp-error-color1, #c00)">{html.escape(message)}</span>'


def traceback_html(exc: BaseException) -> str:
    """A bug, shown whole (as ipywidgets ``interactive`` shows a callback's error)."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return (
        '<div class="certlab-bug"><b>certlab hit a bug (please report it with this text):</b>'
        f'<pre style="white-space: pre-wrap">{html.escape(text)}</pre></div>'
    )


def spec_errors(exc: CertlabError) -> tuple[CertlabError, ...]:
    """The individual errors carried by ``exc`` (an ``InvalidSpec`` holds several)."""
    if isinstance(exc, InvalidSpec):
        return tuple(exc.errors)
    return (exc,)


class _FormMixin:
    """``.fields``, ``.error``, error slots and the guarded observer of a form."""

    fields: dict[str, w.Widget]
    error: str | None
    _slots: dict[str, w.HTML]
    _error_area: w.HTML
    _updating: bool

    def _init_form(self) -> None:
        self.fields = {}
        self.error = None
        self._slots = {}
        self._updating = False
        self._error_area = w.HTML(value="")
        self._error_area.add_class("certlab-error-area")

    def _add_field(self, field: str, widget: w.Widget, label: str, hint: str = "") -> w.VBox:
        box, slot = labelled(field, widget, label, hint)
        self.fields[field] = widget
        self._slots[field] = slot
        return box

    def _take_secret(self, field: str) -> str | None:
        """What was typed into the secret box ``field`` (``None`` if nothing), cleared at once.

        ipywidgets' ``Password`` syncs its value like any ``Text``; a form keeps
        the secret in Python only, so saved widget state never holds it.
        Clearing the box is a programmatic update: it does not re-trigger observers.
        """
        box = self.fields[field]
        typed = box.value
        if not typed:
            return None
        self._updating = True
        try:
            box.value = ""
        finally:
            self._updating = False
        return str(typed)

    def _watch(self, widgets: Iterable[w.Widget], callback: Callable[[], object]) -> None:
        """Call ``callback`` (guarded) whenever one of ``widgets`` changes value."""

        def handler(_change: Mapping[str, Any]) -> None:
            if self._updating:
                return
            self._guarded(callback)

        for widget in widgets:
            widget.observe(handler, names="value")

    def _guarded(self, callback: Callable[[], object]) -> None:
        try:
            callback()
        except CertlabError as exc:  # expected: a lesson, not a crash
            self._show_errors(spec_errors(exc))
        except Exception as exc:  # a bug: show it whole, keep the kernel quiet
            self.error = f"{type(exc).__name__}: {exc}"
            self._error_area.value = traceback_html(exc)

    def _show_errors(self, errors: Iterable[CertlabError], slots: Mapping[str, w.HTML] | None = None) -> None:
        """Put each error next to its field; errors about no known field go to the area."""
        slots = self._slots if slots is None else slots
        by_slot: dict[str, list[str]] = {}
        general: list[str] = []
        messages: list[str] = []
        for err in errors:
            messages.append(str(err))
            field = err.field
            if field is not None and field in slots:
                by_slot.setdefault(field, []).append(str(err))
            elif field is not None and field.split("[", 1)[0] in slots:
                by_slot.setdefault(field.split("[", 1)[0], []).append(str(err))
            else:
                general.append(str(err))
        for field, slot in slots.items():
            text = "<br>".join(error_html(m) for m in by_slot.get(field, []))
            if slot.value != text:
                slot.value = text
        area = "<br>".join(error_html(m) for m in general)
        if self._error_area.value != area:
            self._error_area.value = area
        self.error = "; ".join(messages) if messages else None

    def _clear_errors(self) -> None:
        self._show_errors(())
