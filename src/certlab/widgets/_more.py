"""The kernel side of "... N more" in the widgets' ASN.1 explorers.

A long list (a CRL's entries, 5,000 SANs, SCTs) is drawn with its first and last
20 items and one "... N more" button per run of items left out
(:func:`certlab.render.asn1_html.explorer_fragment`, ``lists="request"``).  The
page never holds the whole list: a click writes a small request -- the explorer's
key, the list's path, the run's first index -- into a hidden ``Text`` of the
widget around the pane (class ``certlab-more-request``; the button finds it with
``closest('.certlab-more-host')``), the kernel widens that list's window
(:class:`~certlab.render.asn1_html.ListWindows`: 200 items a click, at most 400
drawn at once) and re-draws the pane from the tree it already has.  The bytes a
click sends are one pane's, bounded by the window, whatever the list's length.

Why a ``Text`` and not a custom message: the panes are plain ``ipywidgets.HTML``
(no front-end code of ours), and a ``change`` event on a text input is what
ipywidgets' own ``TextView`` turns into a synced value, in JupyterLab, Notebook 7
and VS Code alike.  The value is only ever a request (a path and two numbers),
checked here before anything is drawn: anything on the page can write to it.
"""

from __future__ import annotations

import json
from typing import Any, Callable

import ipywidgets as w

from ..render.asn1_html import ListWindows

__all__ = ["MoreRows", "HOST_CLASS"]

#: The class of the widget (a ``Views`` box, a ``Compare``) whose panes' buttons ask it.
HOST_CLASS = "certlab-more-host"

_REQUEST_CAP = 2000  # characters: a request is a path and two numbers


class MoreRows:
    """The expansion state of a widget's explorers and the hidden box their buttons write to.

    ``draw(key, der, make)`` draws one explorer: ``make(windows)`` returns its HTML for
    the windows opened so far (reset when ``der`` changes: another object).  A valid
    request re-runs the last ``make`` of that key and hands the HTML to
    ``on_drawn(key, html)``; ``guard`` wraps that work (the host's lock and error area).
    """

    def __init__(self, on_drawn: Callable[[str, str], None],
                 guard: Callable[[Callable[[], Any]], Any] | None = None) -> None:
        self.request = w.Text(value="", continuous_update=False, layout=w.Layout(display="none"))
        self.request.add_class("certlab-more-request")
        self._on_drawn = on_drawn
        self._guard = guard or (lambda action: action())
        self._windows: dict[str, tuple[bytes, ListWindows]] = {}
        self._make: dict[str, Callable[[ListWindows], str]] = {}
        self.requests = 0  # requests accepted (a test and a curious learner can read it)
        self.request.observe(self._asked, names="value")

    def windows(self, key: str, der: bytes) -> ListWindows:
        """The windows of explorer ``key``, new when it now shows other bytes."""
        held = self._windows.get(key)
        if held is None or held[0] != der:
            held = (der, ListWindows())
            self._windows[key] = held
        return held[1]

    def draw(self, key: str, der: bytes, make: Callable[[ListWindows], str]) -> str:
        """``make``'s HTML for explorer ``key`` showing ``der``; kept to re-draw on a request."""
        self._make[key] = make
        return make(self.windows(key, der))

    def forget(self, key: str) -> None:
        """Explorer ``key`` shows nothing any more (its requests are ignored)."""
        self._make.pop(key, None)
        self._windows.pop(key, None)

    def ask(self, key: str, path: str, first: int) -> bool:
        """What a click does: draw the next items of list ``path`` of explorer ``key`` from ``first``."""
        make = self._make.get(key)
        held = self._windows.get(key)
        if make is None or held is None or not held[1].reveal(path, first):
            return False
        self.requests += 1
        self._on_drawn(key, make(held[1]))
        return True

    def _asked(self, change: Any) -> None:
        request = _parse(change["new"])
        if request is not None:
            key, path, first = request
            self._guard(lambda: self.ask(key, path, first))


def _parse(text: Any) -> tuple[str, str, int] | None:
    """``(key, path, first)`` of a request the page wrote, or None when it is not one."""
    if not isinstance(text, str) or not text or len(text) > _REQUEST_CAP:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    key, path, first = data.get("k"), data.get("p"), data.get("f")
    if not isinstance(key, str) or not isinstance(path, str) or type(first) is not int or first < 0:
        return None
    return key, path, first
