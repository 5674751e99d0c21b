"""Compare two objects side by side, differing fields and bytes marked.

Typical pairs: a CSR and the certificate a CA issued from it (what did the CA
add?), a certificate before and after an edit, two certificates of one site.
Each side takes an object or pasted PEM; the differences come from
:func:`certlab.diff.diff`, the trees from the ASN.1 explorer with the changed
ranges highlighted (added/changed in ``b``, removed/changed in ``a``).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from ..errors import LoadError
from ..load import kind_of
from ._base import _FormMixin, chrome_style
from ._more import HOST_CLASS, MoreRows
from .views import public_der

__all__ = ["Compare"]


def _as_object(value: Any, field: str) -> Any:
    if value is None:
        return None
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        from ..load import load

        data = value if isinstance(value, str) else bytes(value)
        if isinstance(data, str) and not data.strip():
            return None
        items = [item for item in load(data, source=field) if item.obj is not None and kind_of(item.obj) != "unknown"]
        if not items:
            errors = [item.error for item in load(data, source=field) if item.error]
            raise LoadError(field, errors[0] if errors else "holds no key, CSR, certificate or CRL")
        return items[0].obj
    if kind_of(value) == "unknown":
        raise LoadError(field, "must be a key, CSR, certificate or CRL (or its PEM)", type(value).__name__)
    return value


def _pem_text(obj: Any) -> str:
    # only public objects are copied into the (synced) text boxes: never a private key
    from ..load import public_bytes

    if obj is None or kind_of(obj) == "private-key":
        return ""
    return public_bytes(obj, encoding="pem").decode("ascii")


class Compare(w.VBox, _FormMixin):
    """``Compare(a, b)``: ``fields`` ``a`` and ``b`` (PEM boxes), ``result`` the :class:`~certlab.diff.Diff`."""

    def __init__(self, a: Any = None, b: Any = None, *, labels: tuple[str, str] = ("first object", "second object")) -> None:
        super().__init__()
        self._init_form()
        self.labels = labels
        self.spec: Any = None
        self.result: Any = None
        self.a: Any = _as_object(a, "a") if not isinstance(a, (str, bytes)) else None
        self.b: Any = _as_object(b, "b") if not isinstance(b, (str, bytes)) else None
        box_a = w.Textarea(value=_pem_text(self.a) if a is not None and not isinstance(a, (str, bytes)) else (a or ""),
                           rows=5, continuous_update=False, placeholder="paste the first object's PEM",
                           layout=w.Layout(width="100%"))
        box_b = w.Textarea(value=_pem_text(self.b) if b is not None and not isinstance(b, (str, bytes)) else (b or ""),
                           rows=5, continuous_update=False, placeholder="paste the second object's PEM",
                           layout=w.Layout(width="100%"))
        self.summary = w.HTML(value="")
        self.summary.add_class("certlab-view-changes")
        self.side_a = w.HTML(value="", layout=w.Layout(width="50%", overflow="auto"))
        self.side_a.add_class("certlab-compare-a")
        self.side_b = w.HTML(value="", layout=w.Layout(width="50%", overflow="auto"))
        self.side_b.add_class("certlab-compare-b")
        # each side named by its label above its box (not "a" / "b"), the boxes sharing the width
        rows = w.HBox([self._side(name, box, label) for name, box, label in (("a", box_a, labels[0]),
                                                                             ("b", box_b, labels[1]))],
                      layout=w.Layout(width="100%", flex_flow="row wrap"))
        self._watch([box_a, box_b], self.update)
        # "... N more" of a long list in either tree asks the kernel for the next items
        self.more = MoreRows(self._more_drawn, guard=self._guarded)
        self.children = [chrome_style(), w.HTML(value="<b>certlab compare</b>"), rows, self._error_area, self.summary,
                         w.HBox([self.side_a, self.side_b]), self.more.request]
        self.add_class("certlab-compare")
        self.add_class(HOST_CLASS)
        self.add_class("certlab-widget")
        self._guarded(self.update)

    def _side(self, name: str, box: w.Textarea, label: str) -> w.VBox:
        title = w.HTML(value=f"<b>{html.escape(label)}</b> <span class='certlab-hint'>(PEM)</span>")
        column = w.VBox([title, self._add_field(name, box, "")], layout=w.Layout(flex="1 1 22em", min_width="0"))
        column.add_class(f"certlab-compare-side-{name}")
        return column

    def update(self) -> None:
        """Re-read the boxes (if edited) and redraw."""
        from ..diff import diff
        from ..render.asn1_html import explorer_fragment
        from ..render.diff_html import diff_html
        from ..render.style import view
        from ..explorer import explore

        self._clear_errors()
        a = _as_object(self.fields["a"].value, "a") if self.fields["a"].value.strip() else self.a
        b = _as_object(self.fields["b"].value, "b") if self.fields["b"].value.strip() else self.b
        if a is None or b is None:
            self.summary.value = view("<p>Give two objects (or paste two PEMs) to compare.</p>")
            return
        result = diff(a, b)
        self.a, self.b, self.result = a, b, result
        before, after = self.labels
        self.summary.value = view(diff_html(result, before=before, after=after), title=f"{before} vs {after}")
        kind_a, der_a = public_der(a)
        kind_b, der_b = public_der(b)
        for key, kind, der, title, highlight in (("a", kind_a, der_a, before, result.highlights("a")),
                                                 ("b", kind_b, der_b, after, result.highlights("b"))):
            explored = explore(der, kind)

            def make(windows: Any, explored: Any = explored, highlight: Any = highlight, key: str = key,
                     title: str = title) -> str:
                return view(explorer_fragment(explored, highlight=highlight, lists="request", windows=windows, key=key),
                            title=title)

            self._more_drawn(key, self.more.draw(key, der, make))

    def _more_drawn(self, key: str, text: str) -> None:
        side = self.side_a if key == "a" else self.side_b
        if side.value != text:
            side.value = text
