"""The mystery-server exercise of notebook 08: a random broken zoo server, name what is wrong.

Thin over :class:`certlab.zoo.Mystery`: the widget shows where the server
listens and how to inspect it, a drop-down of the zoo's cases, *Check*, *Give
up* (the live report) and *New server*.  Its synced state holds only the URL,
the case titles and the texts shown: the server's private key stays in the
core object.  Closing the widget (or the kernel ending) stops the server.
"""

from __future__ import annotations

import html
import weakref
from typing import Any

import ipywidgets as w

from ..errors import CertlabError
from ..knowledge.zoo import CASES
from ..zoo import Mystery
from ._base import traceback_html

__all__ = ["MysteryServer"]


def _stop(mystery: Mystery) -> None:
    try:
        mystery.stop()
    except Exception:  # noqa: BLE001 - interpreter teardown
        pass


class MysteryServer(w.VBox):
    """``MysteryServer()``: start one random broken server; ``.url`` / ``.trust`` to inspect it."""

    def __init__(self, *, seed: int | None = None, choices: list[str] | None = None) -> None:
        self._seed, self._choices = seed, choices
        self.info = w.HTML()
        self.guess = w.Dropdown(options=[("— what is wrong? —", "")] + [(f"{c.title} ({n})", n) for n, c in CASES.items()],
                                value="", description="Diagnosis", style={"description_width": "6em"},
                                layout=w.Layout(width="36em"))
        self.check_button = w.Button(description="Check", button_style="primary", icon="check")
        self.reveal_button = w.Button(description="Give up", tooltip="Show the full report of this server", icon="eye")
        self.new_button = w.Button(description="New server", icon="refresh")
        self.feedback = w.HTML()
        self.report = w.HTML()
        for cls, widget in (("certlab-mystery-info", self.info), ("certlab-mystery-feedback", self.feedback),
                            ("certlab-mystery-report", self.report)):
            widget.add_class(cls)
        self.check_button.on_click(lambda _: self._run(self._check))
        self.reveal_button.on_click(lambda _: self._run(self._reveal))
        self.new_button.on_click(lambda _: self._run(self._new))
        super().__init__([self.info, w.HBox([self.guess, self.check_button]),
                          w.HBox([self.reveal_button, self.new_button]), self.feedback, self.report])
        self.add_class("certlab-mystery")
        self.mystery: Mystery
        self._finalizer: Any = None
        self._start()

    # the core object, for the learner's own inspection
    @property
    def url(self) -> str:
        return self.mystery.url

    @property
    def trust(self) -> Any:
        return self.mystery.trust

    def _start(self) -> None:
        self.mystery = Mystery(seed=self._seed, choices=self._choices)
        self._finalizer = weakref.finalize(self, _stop, self.mystery)
        url = html.escape(self.mystery.url)
        self.info.value = (
            f"<p>A server is listening at <code>{url}</code>. Something about it is wrong. Inspect it, "
            "for example with <code>fetch(m.url, trust=m.trust, server_hostname=\"localhost\")</code> "
            "and <code>peer_chain(m.url)</code> (the certificates it sends), then pick your diagnosis.</p>")
        self.feedback.value = ""
        self.report.value = ""
        self.guess.value = ""

    def _run(self, action: Any) -> None:
        try:
            action()
        except CertlabError as exc:
            self.feedback.value = f'<span class="certlab-error-text">{html.escape(str(exc))}</span>'
        except Exception as exc:  # noqa: BLE001 - a bug: show it whole, never swallow it
            self.feedback.value = traceback_html(exc)

    def _check(self) -> None:
        if not self.guess.value:
            self.feedback.value = "<p>Pick a diagnosis first.</p>"
            return
        ok, text = self.mystery.check(self.guess.value)
        mark, cls = ("✔", "certlab-ok") if ok else ("✘", "certlab-bad")
        self.feedback.value = f'<div class="certlab-check {cls}"><b>{mark}</b> {html.escape(text)}</div>'

    def _reveal(self) -> None:
        self.report.value = self.mystery.reveal()._repr_html_()

    def _new(self) -> None:
        self.mystery.stop()
        if self._finalizer is not None:
            self._finalizer.detach()
        self._seed = None
        self._start()

    def stop(self) -> None:
        """Stop the server (the widget stays on screen; *New server* starts another)."""
        if self._finalizer is not None:
            self._finalizer()
        self.info.value = "<p>The mystery server is stopped. Press <i>New server</i> for another.</p>"

    def close(self) -> None:
        """Stop the server, then close the widget."""
        if getattr(self, "_finalizer", None) is not None:
            self._finalizer()
        super().close()
