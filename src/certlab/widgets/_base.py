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
* programmatic updates set ``_updating`` so they do not re-trigger observers;
* text boxes sync while the learner types (``continuous_update=True``), and a
  :class:`Coalescer` keeps that cheap: keystrokes that arrive while a rebuild
  runs are merged into one more rebuild with the latest values.
"""

from __future__ import annotations

import contextlib
import html
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import ipywidgets as w

from ..errors import CertlabError, InvalidSpec

__all__: list[str] = []  # private module: the forms are public in certlab.widgets


# One rebuild at a time in a kernel, whatever form it is for: the views keep
# caches, and pkilint's validators are not made to be shared between threads.
REBUILD_LOCK = threading.RLock()

_EXECUTOR: ThreadPoolExecutor | None = None


def _background(job: Callable[[], None]) -> None:
    """Run ``job`` on certlab's one rebuild thread (made on first use)."""
    global _EXECUTOR
    if _EXECUTOR is None:
        _EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="certlab-rebuild")
    _EXECUTOR.submit(job)


def from_browser(widget: object = None) -> bool:
    """True while ipywidgets applies a value the *browser* sent (a keystroke, a click).

    ``Widget.set_state`` holds ``_property_lock`` on the widget it updates, and
    the kernel's current shell message is then a ``comm_msg``; a value set by
    code (a notebook cell, a test) has neither, and is handled at once.
    """
    if widget is not None and getattr(widget, "_property_lock", None):
        return True
    try:
        from ipykernel.kernelbase import Kernel

        if not Kernel.initialized():
            return False
        kernel: Any = Kernel.instance()
        parent = kernel.get_parent("shell")
    except Exception:  # no kernel, or one without get_parent: treat as code
        return False
    header = parent.get("header", {}) if isinstance(parent, dict) else {}
    return bool(header.get("msg_type") == "comm_msg")


class Coalescer:
    """Runs ``rebuild`` after changes; a burst of keystrokes costs at most one more rebuild.

    * :meth:`now` (a change made by code, a button) rebuilds at once, in the
      caller's thread, so ``lab.fields[...].value = x`` is followed by the new
      ``lab.result`` on the next line.
    * :meth:`request` (a change from the browser) starts a rebuild on the
      rebuild thread and returns, so the kernel keeps reading the browser's
      messages meanwhile.  Changes arriving while that rebuild runs only mark
      the form *dirty*: when it ends, exactly one more rebuild runs, with the
      form's values as they are then (the latest keystroke wins).

    ``rebuilds`` counts the rebuilds run, ``skipped`` those that stopped before
    drawing because newer keys had arrived (:attr:`superseded`); ``in_flight`` is how many are running
    now and ``max_in_flight`` the most ever at once (the benchmark reads them).
    ``start`` replaces the rebuild thread (tests run the queued job by hand).
    """

    def __init__(self, rebuild: Callable[[], None], *, start: Callable[[Callable[[], None]], None] | None = None) -> None:
        self._rebuild = rebuild
        self._start = start or _background
        self._state = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._running = False
        self._dirty = False
        self.rebuilds = 0
        self.skipped = 0
        self.in_flight = 0
        self.max_in_flight = 0

    @property
    def superseded(self) -> bool:
        """True when newer changes are waiting: the running rebuild may stop before drawing.

        What it would draw is already out of date; the next rebuild draws the
        latest values instead, and the browser is spared a pane it would
        replace at once.
        """
        return self._dirty

    @property
    def busy(self) -> bool:
        """True while a background rebuild runs or is due."""
        return not self._idle.is_set()

    def now(self) -> None:
        """Rebuild at once (with the form's current values, so a due rebuild is no longer needed)."""
        with self._state:
            self._dirty = False
        self._run_one()

    def request(self) -> None:
        """Ask for a rebuild in the background (merged with any already due)."""
        with self._state:
            self._dirty = True
            if self._running:
                return
            self._running = True
            self._idle.clear()
        try:
            self._start(self._drain)
        except BaseException:
            with self._state:
                self._running = False
                self._idle.set()
            raise

    def wait(self, timeout: float | None = 30.0) -> bool:
        """Block until no background rebuild runs or is due; False on timeout."""
        return self._idle.wait(timeout)

    def _drain(self) -> None:
        try:
            while True:
                with self._state:
                    if not self._dirty:
                        return
                    self._dirty = False
                self._run_one()
        finally:
            with self._state:
                self._running = False
                self._idle.set()

    def _run_one(self) -> None:
        with self._state:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            with REBUILD_LOCK:
                self.rebuilds += 1
                self._rebuild()
        finally:
            with self._state:
                self.in_flight -= 1


# The hint under a box that, unlike the others, waits for Enter (every other box
# follows each keystroke): a secret goes to the kernel once, whole, then leaves the box.
WAITS_FOR_ENTER = "press Enter when done: a secret is sent once, whole, not key by key"


def css_name(field: str) -> str:
    """A CSS-class-safe form of a field name: ``sans[1]`` -> ``sans-1``."""
    return field.replace("[", "-").replace("]", "")


def close_tree(widget: w.Widget) -> None:
    """Close ``widget`` and every widget inside it.

    Closing only the outer box leaves its children alive in the kernel;
    closing only an inner one leaves a live box whose ``children`` name a
    closed model.  JupyterLab, when a notebook is reopened on a running
    kernel, rebuilds *every* live model from the kernel, and one that names a
    closed model never resolves: the whole output stays "Loading widget..."
    (issue 10: notebook 02 after a SAN row was added).
    """
    seen: set[int] = set()
    stack = [widget]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for name in getattr(current, "keys", ()):
            if name.startswith("_") or name in ("layout", "style"):
                continue
            value = getattr(current, name, None)
            for item in value if isinstance(value, (list, tuple)) else (value,):
                if isinstance(item, w.Widget) and not isinstance(item, (w.Layout, w.Style)):
                    stack.append(item)
        current.close()  # its Layout and Style stay: they name nothing, and may be shared


def chrome_style() -> w.HTML:
    """The forms' chrome stylesheet (:data:`certlab.render.style.WIDGET_STYLESHEET`), shown as nothing.

    A ``<style>`` applies to the whole page wherever it sits, even in a
    hidden element; a form holds one so it fits a laptop in every output.
    """
    from ..render.style import WIDGET_STYLESHEET, shared_head

    # the views' stylesheet and behaviour too, once: the panes are sent slim (Views._flush)
    holder = w.HTML(value=f"<style>{WIDGET_STYLESHEET}</style>{shared_head()}", layout=w.Layout(display="none"))
    holder.add_class("certlab-chrome-style")
    return holder


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


@contextlib.contextmanager
def quietly(form: Any) -> Iterator[None]:
    """Programmatic updates inside the block do not re-trigger ``form``'s observers.

    Sets ``form._updating`` (which every observer checks first) for the block
    and puts back what it was, so blocks nest (ipyfilechooser's ``_set_form_values``).
    """
    before = form._updating
    form._updating = True
    try:
        yield
    finally:
        form._updating = before


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
        with quietly(self):
            box.value = ""
        return str(typed)

    def _watch(
        self, widgets: Iterable[w.Widget], callback: Callable[[], object], coalescer: Coalescer | None = None
    ) -> None:
        """Call ``callback`` (guarded) whenever one of ``widgets`` changes value.

        With a ``coalescer`` (whose rebuild is the guarded ``callback``), a
        change the browser sent is handed to it (see :class:`Coalescer`); a
        change made by code still runs at once.
        """

        def handler(change: Mapping[str, Any]) -> None:
            if self._updating:
                return
            if coalescer is None:
                self._guarded(callback)
            elif from_browser(change.get("owner")):
                coalescer.request()
            else:
                coalescer.now()

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
