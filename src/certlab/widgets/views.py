"""The views of one object, drawn by one render path.

:meth:`Views.render` is the only place where a result becomes HTML: decoded
fields with findings, the ASN.1 explorer, "what changed" since the previous
object, PEM with download links, the Python code and the openssl command.
Every form calls it after every accepted change.

Two things keep an update small (the kernel sends every changed trait to the
browser):

* a pane's HTML is sent only when it differs from what the browser has, and
* only the *selected* tab is made and sent; the others are made when selected
  (``Views.html(name)`` makes any pane on demand and returns its current HTML).

Only the selected pane is *computed* on an edit, too: the ASN.1 tree, the
byte diff and the code are not made for a learner looking at the Fields tab.
A typed keystroke costs one Fields pane, not six.

Findings include DigiCert's pkilint on every update by default: measured at
2-8 ms per edit once its validators are built (``benchmarks/bench_widgets.py``),
well inside the 100 ms budget.  ``Views(pkilint=False)`` runs certlab's own
checks only and shows a "Run pkilint" button for an explicit run.

pkilint's CA/Browser Forum TLS profile is ``cabf`` (see
:func:`certlab.findings.find`): ``None`` runs it whenever a certificate claims
TLS use (``Inspector(cabf=None)``, for a real certificate pasted in); ``False``
(the default of the lab and of the inspector) leaves it out, because it costs :data:`certlab.findings.CABF_MEMORY_MB` of kernel memory per learner,
and shows a button that runs it once for the current result, with the reason
it is not on by default.

Private keys: the fields and the explorer show the *public* half until the
learner presses "Reveal private key"; PEM and download links likewise.
"""

from __future__ import annotations

import base64
import html
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as w
from cryptography.hazmat.primitives import serialization

from ..knowledge.findings import CABF_MEMORY_MB
from ..load import FILE_STEMS, kind_of, public_der
from ..render.style import slim
from ._base import REBUILD_LOCK, chrome_style, set_shown, traceback_html
from ._more import HOST_CLASS, MoreRows

if TYPE_CHECKING:
    from ..spec import CertificateSpec, CsrSpec, KeySpec
    from ..types import Inspectable

__all__ = ["Views", "PANES", "public_der"]

# pane name -> tab title; the order is the tabs' order
PANES: dict[str, str] = {
    "fields": "Fields",
    "asn1": "ASN.1 / DER",
    "changes": "What changed",
    "pem": "PEM / export",
    "python": "Python",
    "openssl": "openssl",
}

# kind -> MIME type of the DER download (RFC 2585, RFC 5967); file names: load.FILE_STEMS
_DER_MIME: dict[str, str] = {
    "certificate": "application/pkix-cert",
    "csr": "application/pkcs10",
    "crl": "application/pkix-crl",
}


def _pem_of(obj: Any, kind: str, *, reveal: bool) -> str:
    pem = serialization.Encoding.PEM
    if kind in ("certificate", "csr", "crl"):
        return str(obj.public_bytes(pem).decode("ascii"))
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    if kind == "private-key":
        public = obj.public_key().public_bytes(pem, spki).decode("ascii")
        if not reveal:
            return str(public)
        secret = obj.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode("ascii")
        return f"{public}{secret}"
    return str(obj.public_bytes(pem, spki).decode("ascii"))


def _download_link(data: bytes, filename: str, mime: str, label: str) -> str:
    # A data: URI downloads in every browser without a round trip to the kernel;
    # it is only ever made for public data (or a key the learner revealed).
    href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    cls = "certlab-download-" + filename.rsplit(".", 1)[-1]
    return f'<a class="certlab-download {cls}" download="{html.escape(filename)}" href="{href}">{html.escape(label)}</a>'


_CABF_LABEL = "Run the CA/Browser Forum checks (pkilint)"
_CABF_TOOLTIP = "pkilint's CA/B Forum Baseline Requirements profile for TLS certificates, once, for this result"
# Shown next to the button: why the checks are not run on every edit.
_CABF_WHY = (
    "<span class='certlab-hint'>This certificate claims TLS use, so the CA/Browser Forum Baseline "
    "Requirements apply. The lab leaves those checks out of every edit: loading them costs the kernel "
    f"about {CABF_MEMORY_MB} MB (country, currency and language tables, a public suffix list), which a class on one "
    "server pays once per learner. The RFC 5280 checks above still run on every edit; "
    "the button runs the CA/B checks once, for this result.</span>"
)
_CABF_DONE = "<span class='certlab-hint'>CA/Browser Forum checks included above (this result only).</span>"


def _pre(text: str, cls: str) -> str:
    # never wrapped: a line of Python or PEM broken mid-token ("ed2551 / 9") reads as two
    # tokens; the shared stylesheet scrolls a long line sideways instead
    return f'<pre class="{cls}">{html.escape(text)}</pre>'


class Superseded(Exception):
    """A render gave up at a checkpoint: newer keys arrived (never leaves :meth:`Views.render`)."""


class Views(w.VBox):
    """Tabs of views of one object; see the module docstring.

    ``panes`` picks the tabs (``PANES`` keys).  ``last_update_bytes`` is the
    HTML sent to the browser by the last render; ``last_render_ms`` its time.
    """

    def __init__(
        self, panes: Sequence[str] = tuple(PANES), *, pkilint: bool = True, cabf: bool | None = None
    ) -> None:
        super().__init__()
        self.pane_names = tuple(panes)
        self.pkilint = pkilint
        self.cabf = cabf
        self.panes: dict[str, w.HTML] = {}
        for name in self.pane_names:
            pane = w.HTML(value="")
            pane.add_class(f"certlab-view-{name}")
            pane.add_class("certlab-view-pane")
            self.panes[name] = pane
        self._html: dict[str, str] = {name: "" for name in self.pane_names}
        self.tabs = w.Tab(children=[self.panes[n] for n in self.pane_names], titles=[PANES[n] for n in self.pane_names])
        self.tabs.add_class("certlab-views")
        self.tabs.observe(lambda _c: self._guarded(self._flush), names="selected_index")
        self.banner = w.HTML(value="")
        self.banner.add_class("certlab-stale-banner")
        self.reveal = w.ToggleButton(value=False, description="Reveal private key", icon="eye")
        self.reveal.add_class("certlab-view-reveal")  # the key panel's button is certlab-reveal
        self.reveal.layout.display = "none"
        self.reveal.observe(lambda _c: self._guarded(self._rerender), names="value")
        self.lint_button = w.Button(description="Run pkilint", icon="check", tooltip="DigiCert's pkilint: thorough, slower")
        self.lint_button.add_class("certlab-run-pkilint")
        self.lint_button.on_click(lambda _b: self._guarded(self.run_pkilint))
        self.cabf_button = w.Button(description=_CABF_LABEL, icon="check-square-o", tooltip=_CABF_TOOLTIP,
                                    layout=w.Layout(width="auto", flex="0 0 auto"))
        self.cabf_button.add_class("certlab-run-cabf")
        self.cabf_button.on_click(lambda _b: self._guarded(self.run_cabf))
        self.cabf_note = w.HTML(value=_CABF_WHY, layout=w.Layout(flex="1 1 18em", min_width="0"))
        self.cabf_note.add_class("certlab-cabf-note")
        self.cabf_box = w.HBox([self.cabf_button, self.cabf_note], layout=w.Layout(flex_flow="row wrap"))
        self.cabf_box.add_class("certlab-cabf")
        self.cabf_box.layout.display = "none"
        self.bug = w.HTML(value="")
        self.bug.add_class("certlab-error-area")
        self.stale = False
        self.last_update_bytes = 0
        self.last_render_ms = 0.0
        self._findings: list[Any] = []
        # pane -> the function that makes its HTML for the current object; made panes move to _html
        self._make: dict[str, Callable[[], str]] = {}
        self._tops: dict[str, str | Callable[[], str]] = {}  # the render's extra HTML atop a pane
        self._args: tuple[Any, ...] | None = None
        self._lint_now = False
        self._cabf_now = False
        self._superseded: Callable[[], bool] | None = None  # set while a render may give up (_checkpoint)
        self._diff: Any = None
        # the previous render's object and its explored tree / description, so "what
        # changed" explores each object once (exactly one previous, never a history)
        self._memo: dict[tuple[str, bytes, Any], Any] = {}
        # "... N more" in the ASN.1 tree and the fields asks the kernel for the next items (widgets/_more.py)
        self.more = MoreRows(self._more_drawn, guard=self._guarded)
        tools = [self.reveal] + ([self.lint_button] if "fields" in self.panes and not pkilint else [])
        self.children = [chrome_style(), self.banner, w.HBox(tools), self.cabf_box, self.tabs, self.bug, self.more.request]
        self.add_class("certlab-views-box")
        self.add_class(HOST_CLASS)
        self.add_class("certlab-widget")

    # --- the one render path ------------------------------------------

    def render(
        self,
        obj: Inspectable,
        *,
        spec: KeySpec | CsrSpec | CertificateSpec | None = None,
        code_kind: str | None = None,
        previous: Inspectable | None = None,
        extra: dict[str, str | Callable[[], str]] | None = None,
        superseded: Callable[[], bool] | None = None,
    ) -> bool:
        """Show ``obj``: the selected pane is made and sent now, the others when asked for.

        ``extra`` adds HTML (or a function making it, called only when that
        pane is shown) at the top of a pane.  ``superseded`` (the lab's typing)
        is asked between the stages of the selected pane and once it is made
        (:meth:`_checkpoint`): when it is true, newer keys have arrived, the
        render stops there and nothing is sent (the next render sends the latest).
        Returns whether the pane was sent (or needed no sending).
        """
        self._args = (obj, spec, code_kind, previous, extra)
        started = time.perf_counter()
        self._superseded = superseded
        try:
            # errors propagate to the form, which shows them whole in its error area
            self._make = self._compute(obj, spec, code_kind, previous, extra or {})
            self._html = {}
            if self.bug.value:
                self.bug.value = ""
            selected = self._selected()
            if selected is not None:
                self.html(selected)
            self._checkpoint()
        except Superseded:
            return False
        finally:
            self._superseded = None
            self.last_render_ms = (time.perf_counter() - started) * 1000
        self.set_stale(False)
        self.last_update_bytes = self._flush()
        return True

    def render_der(self, der: bytes, kind: str | None, *, note: str) -> None:
        """Show bytes certlab reads as ASN.1 but not as an object of its own.

        An OCSP response, a PKCS#7 bundle, a certificate with a flipped byte: the
        explorer still names what it can and shows where reading stopped, as
        ``certlab inspect`` does; the other panes say why they are empty
        (``note``).  The ASN.1 tab is selected so the learner lands on the tree.
        """
        from ..explorer import explore
        from ..render.asn1_html import explorer_fragment
        from ..render.style import view

        self._args = None  # nothing to re-render from: reveal and pkilint do not apply
        explored = explore(der, None if kind in (None, "unknown", "pkcs7") else kind)
        empty = view(f"<p>{html.escape(note)}</p><p>The <b>ASN.1 / DER</b> tab shows its structure.</p>")
        self._html = {name: empty for name in self.pane_names}
        self._make, self._tops = {}, {}
        from ..fields_pki import describe_tree

        description = describe_tree(explored)  # OCSP, CMS, PKCS#12, TSP, CMP: fields from the tree
        if description is not None and "fields" in self._html:
            from ..render.fields_html import fields_html

            self._html["fields"] = view(fields_html(description, ()) + (
                f"<p>{html.escape(note)}</p>" if note else ""))
        if "asn1" in self._html:
            self._html["asn1"] = self.more.draw("asn1", der, lambda windows: view(
                explorer_fragment(explored, lists="request", windows=windows, key="asn1"),
                title=f"{explored.kind}: {len(der)} bytes of DER"))
            self.tabs.selected_index = self.pane_names.index("asn1")
        self.findings = []
        set_shown(self.reveal, False)
        self.set_stale(False)
        self.last_update_bytes = self._flush()

    def html(self, pane: str) -> str:
        """The current HTML of ``pane`` (sent or not), made now if it was not yet."""
        if pane not in self._html:
            make = self._make.pop(pane, None)
            if make is None:
                raise KeyError(pane)
            try:
                self._html[pane] = make()
            except BaseException:
                self._make[pane] = make  # not made (superseded, or an error the form shows): made when next asked
                raise
        return self._html[pane]

    @property
    def findings(self) -> list[Any]:
        """The findings shown in the Fields pane (made now if that pane was not yet)."""
        if "fields" in self._make:
            self.html("fields")
        return self._findings

    @findings.setter
    def findings(self, value: list[Any]) -> None:
        self._findings = value

    def set_stale(self, stale: bool, message: str = "") -> None:
        """Mark the shown result as the last good one (the form has an error)."""
        self.stale = stale
        if stale:
            self._flush()  # a render that newer keys superseded was not sent: the last good one is
            self.add_class("certlab-stale")
            text = (
                "<div class='certlab-stale-text' style='color: var(--jp-warn-color1, #a60)'>"
                "<b>Stale:</b> these views show the last result that built; fix the marked field"
                f"{' (' + html.escape(message) + ')' if message else ''} to update them.</div>"
            )
        else:
            self.remove_class("certlab-stale")
            text = ""
        if self.banner.value != text:
            self.banner.value = text

    def run_pkilint(self) -> None:
        """Re-render once with pkilint's findings included."""
        self._lint_now = True
        try:
            self._rerender()
        finally:
            self._lint_now = False
        self._show_pane("fields")  # where its findings are

    def compare(self, a: Any, b: Any) -> Any:
        """:func:`certlab.diff.diff` of ``a`` and ``b``, exploring each object once.

        Shares the views' cache: comparing the object about to be rendered
        (the lab's "what the CA added") explores it once for both.
        """
        from ..diff import diff

        return diff(a, b, explore_fn=self._explored_of, describe_fn=self._description_of)

    def run_cabf(self) -> None:
        """Re-render once with pkilint's CA/Browser Forum TLS checks (and pkilint) included."""
        self._cabf_now = True
        self._lint_now = True
        try:
            self._rerender()
        finally:
            self._cabf_now = False
            self._lint_now = False
        self._show_pane("fields")

    # --- private ----------------------------------------------------------

    def _guarded(self, action: Any) -> None:
        # a button of the views themselves: a bug is shown whole here, never printed
        try:
            self._locked(action)
        except Exception as exc:
            self.bug.value = traceback_html(exc)

    @staticmethod
    def _locked(action: Any) -> Any:
        # never at the same time as a form's rebuild on the rebuild thread
        with REBUILD_LOCK:
            return action()

    def _rerender(self) -> None:
        if self._args is not None:
            obj, spec, code_kind, previous, extra = self._args
            self.render(obj, spec=spec, code_kind=code_kind, previous=previous, extra=extra)

    def _more_drawn(self, pane: str, text: str) -> None:
        # a "... N more" click: only that pane is drawn again, from the tree already explored
        top = self._tops.get(pane)
        self._html[pane] = ((top() if callable(top) else top) + text) if top is not None else text
        self.last_update_bytes = self._flush()

    def _show_pane(self, name: str) -> None:
        # the pane is made from the last render's arguments when the observer flushes it
        if name in self.pane_names:
            self.tabs.selected_index = self.pane_names.index(name)

    def _checkpoint(self) -> None:
        """Between the stages of a pane: stop here when newer keys have made this render moot.

        The lab's typing asks for it (``render(..., superseded=)``): a rebuild
        that the learner's next keystroke already outdated gives up at the next
        stage instead of running to its end, so the rebuild of the latest value
        starts sooner.  A moment's sleep first lets the kernel's own thread
        read the keystrokes waiting for it (the rebuild runs on a thread of its
        own and would otherwise keep the interpreter for up to 5 ms at a time).
        """
        if self._superseded is None:
            return
        time.sleep(0)
        if self._superseded():
            raise Superseded()

    def _selected(self) -> str | None:
        index = self.tabs.selected_index
        return None if index is None else self.pane_names[index]

    def _flush(self) -> int:
        """Send the selected pane (made now if needed) if it changed; return the bytes sent."""
        name = self._selected()
        if name is None:
            return 0
        text = self.html(name) if name in self._html or name in self._make else ""
        # the stylesheet and behaviour went once, in the box's chrome_style holder
        text = slim(text)
        pane = self.panes[name]
        if pane.value == text:
            return 0
        pane.value = text
        return len(text.encode("utf-8"))

    def _compute(self, obj: Any, spec: Any, code_kind: str | None, previous: Any,
                 extra: dict[str, str | Callable[[], str]]) -> dict[str, Callable[[], str]]:
        """For each pane, the function that makes its HTML for ``obj`` (none is called here)."""
        obj_kind = kind_of(obj)
        is_private = obj_kind == "private-key"
        set_shown(self.reveal, is_private)
        reveal = bool(self.reveal.value) and is_private
        kind, der = public_der(obj, reveal=reveal)
        wanted = set(self.pane_names)
        shown = obj if not is_private or reveal else obj.public_key()
        if "fields" in wanted:
            self._show_cabf_button(shown)
        lint = self.pkilint or self._lint_now
        cabf = True if self._cabf_now else self.cabf

        keep = {der}
        compare = previous is not None and kind_of(previous) == obj_kind and bool(wanted & {"asn1", "changes"})
        if compare:
            keep.add(public_der(previous)[1])
        # keep this object's and the previous one's entries only: the next edit compares
        # against this one, and nothing older is ever needed again
        self._memo = {k: v for k, v in self._memo.items() if k[1] in keep}
        self._diff = None
        diffed: list[Any] = []

        def the_diff() -> Any:
            if compare and not diffed:
                from ..diff import diff

                diffed.append(diff(previous, obj, explore_fn=self._explored_of, describe_fn=self._description_of))
                self._diff = diffed[0]
            return diffed[0] if diffed else None

        def fields() -> str:
            from ..findings import find
            from ..render.fields_html import fields_html
            from ..render.style import view

            description = self._description_of(obj, reveal=reveal)
            self._checkpoint()
            findings = self._findings = list(find(shown, pkilint=lint, cabf=cabf))
            self._checkpoint()
            return self.more.draw("fields", der, lambda windows: view(  # fields_html carries the title
                fields_html(description, findings, lists="request", windows=windows)))

        def asn1() -> str:
            from ..render.asn1_html import explorer_fragment
            from ..render.style import view

            d = the_diff()
            explored = self._explored_of(der, kind)
            self._checkpoint()
            # one short class per marked byte: this pane is re-sent after every edit
            highlight = [(r.start, r.end, "cl-chg") for r in d.ranges_b] if d is not None else []
            return self.more.draw("asn1", der, lambda windows: view(
                explorer_fragment(explored, highlight=highlight, lists="request", windows=windows, key="asn1"),
                title=f"{kind}: {len(der)} bytes of DER"))

        def changes() -> str:
            the_diff()
            return self._changes_html(previous, obj)

        makers: dict[str, Callable[[], str]] = {
            "fields": fields,
            "asn1": asn1,
            "changes": changes,
            "pem": lambda: self._pem_html(obj, obj_kind, reveal, kind, der),
            "python": lambda: self._code_html(spec, code_kind, "python"),
            "openssl": lambda: self._code_html(spec, code_kind, "openssl"),
        }
        out = {name: make for name, make in makers.items() if name in wanted}
        self._tops = {name: top for name, top in extra.items() if name in out}  # kept for a "... N more" redraw
        for name, top in extra.items():
            if name in out:
                out[name] = self._with_top(top, out[name])
        return out

    @staticmethod
    def _with_top(top: str | Callable[[], str], make: Callable[[], str]) -> Callable[[], str]:
        return lambda: (top() if callable(top) else top) + make()

    def _cached(self, key: tuple[str, bytes, Any], make: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def _explored_of(self, der: bytes, kind: str | None) -> Any:
        from ..explorer import explore

        # public_der() hands over a private key's DER only after the learner pressed
        # reveal, so a private-key DER here is one the learner asked to see
        reveal = kind == "private-key"
        return self._cached(("explore", der, kind), lambda: explore(der, kind, reveal=reveal))

    def _description_of(self, obj: Any, *, reveal: bool = False) -> Any:
        from ..fields import describe

        kind, der = public_der(obj, reveal=reveal)
        # the fields are explained from the tree the ASN.1 pane shows: explored once for both
        return self._cached(("describe", der, reveal),
                            lambda: describe(obj, reveal=reveal, explored=self._explored_of(der, kind)))

    def _show_cabf_button(self, shown: Any) -> None:
        from ..findings import cabf_applies

        # only where the lab left them out and they would say something
        wanted = self.cabf is False and cabf_applies(shown)
        set_shown(self.cabf_box, wanted)
        note = _CABF_DONE if self._cabf_now else _CABF_WHY
        if wanted and self.cabf_note.value != note:
            self.cabf_note.value = note

    def _changes_html(self, previous: Any, obj: Any) -> str:
        from ..render.diff_html import diff_html
        from ..render.style import view

        if previous is None:
            return view(
                "<p>Nothing to compare yet. Edit a field: this tab then lists what your edit "
                "changed, field by field and byte by byte.</p>",
                title="What changed",
            )
        d = self._diff
        if d is None:
            return view(
                f"<p>The previous object was a {html.escape(kind_of(previous))}; this is a "
                f"{html.escape(kind_of(obj))}. Use <code>Compare</code> to line them up.</p>"
            )
        return view(diff_html(d, before="previous build", after="this build"), title="What changed since the previous build")

    def _pem_html(self, obj: Any, kind: str, reveal: bool, shown_kind: str, der: bytes) -> str:
        """The PEM pane; ``shown_kind, der`` are :func:`public_der` of ``obj``, already made."""
        from ..render.style import view

        pem = _pem_of(obj, kind, reveal=reveal)
        base = FILE_STEMS.get(shown_kind, "object")
        mime = _DER_MIME.get(shown_kind, "application/octet-stream")
        links = " | ".join(
            [
                _download_link(pem.encode("ascii"), f"{base}.pem", "application/x-pem-file", f"download {base}.pem"),
                _download_link(der, f"{base}.der", mime, f"download {base}.der"),
            ]
        )
        note = ""
        if kind == "private-key" and not reveal:
            note = "<p>This is a private key: shown and downloadable is its <b>public</b> half only.</p>"
        return view(f"{note}<p>{links}</p>{_pre(pem, 'certlab-pem')}", title="PEM (RFC 7468)")

    def _code_html(self, spec: Any, code_kind: str | None, which: str) -> str:
        from ..render.style import view

        if spec is None or code_kind is None:
            return view("<p>Only objects built by a form have code.</p>")
        from ..codegen import openssl_command, python_code

        if which == "python":
            return view(_pre(python_code(spec, code_kind), "certlab-code-python"), title="The Python that builds it")
        return view(_pre(openssl_command(spec, code_kind), "certlab-code-openssl"), title="The same with openssl")
