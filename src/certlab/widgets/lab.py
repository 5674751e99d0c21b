"""The lab: one form, three modes that mirror the tutorial.

* ``"csr"``: make a key and a certificate signing request (the tutorial's
  first flow, steps 1-2);
* ``"self-signed"``: make a key and a self-signed certificate (its second flow);
* ``"ca-signed"``: make a CSR and let a teaching CA issue a certificate from
  it (steps 3-5 of the first flow; the CA's root and intermediate are made the
  first time this mode is used).

Every accepted change travels one way: widget values -> ``spec_from_form`` ->
build -> :meth:`Views.render`.  An invalid value shows its message next to
its field, ``.error`` holds it, and the last good result stays in ``.result``
and in the views, marked stale.

So that "what changed" shows the learner's edit and not the clock, the lab
pins the moment of "now" and the serial number (unless the form sets one)
until a new key is generated.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any

import ipywidgets as w
from cryptography import x509

from ..build import TeachingCA, build_for_mode
from ..errors import CertlabError, SpecError
from ..spec import CertificateSpec, CsrSpec, spec_from_form, spec_to_form
from ._base import REBUILD_LOCK, Coalescer, _FormMixin, close_tree, from_browser, error_html, set_shown, spec_errors
from .export import SavePanel
from .extensions import ExtensionsForm, ValidityForm
from .key import KeyPanel
from .sans import SanList
from .subject import SubjectForm
from .views import Views

__all__ = ["CertificateLab", "MODES"]

# mode -> (button label, what it mirrors)
MODES: dict[str, tuple[str, str]] = {
    "csr": ("CSR", "key + certificate signing request (tutorial, first flow)"),
    "self-signed": ("Self-signed", "key + self-signed certificate (tutorial, second flow)"),
    "ca-signed": ("Issued by a teaching CA", "CSR sent to a CA that issues the certificate"),
}

class CertificateLab(w.VBox, _FormMixin):
    """Build a CSR or certificate live from a form (see the module docstring).

    The contract teachers and tests use: ``fields`` (input widgets by form
    field name), ``result`` (the latest object built, or ``None``), ``error``
    (the current message, or ``None``), ``spec`` (the spec of ``result``),
    plus ``key`` (the private key: a plain attribute, never synced), ``csr``
    (in ``"ca-signed"`` mode, the request the CA signed) and ``ca``.

    ``cabf=True`` runs pkilint's CA/Browser Forum TLS checks on every edit;
    by default they run only when the learner presses the views' button.
    """

    def __init__(
        self,
        mode: str = "csr",
        *,
        key: Any = None,
        ca: TeachingCA | None = None,
        pkilint: bool = True,
        cabf: bool = False,
    ) -> None:
        super().__init__()
        self._init_form()
        if mode not in MODES:
            raise SpecError("mode", "must be one of " + ", ".join(MODES), mode)
        defaults = spec_to_form(CsrSpec() if mode == "csr" else CertificateSpec())
        self.result: Any = None
        self.spec: CsrSpec | CertificateSpec | None = None
        self.csr: x509.CertificateSigningRequest | None = None
        self.ca = ca
        self.previous: Any = None
        # "what changed" while typing: the field being typed into and the result from
        # before its first key, so the diff shows the whole edit, not the last key
        self._typing: str | None = None
        self._typing_field: str | None = None
        self._own_error: str | None = None
        self._pin()

        self.mode = w.ToggleButtons(
            options=[(label, name) for name, (label, _) in MODES.items()],
            value=mode,
            tooltips=[why for _label, why in MODES.values()],
            style={"button_width": "auto"},
        )
        self.mode.add_class("certlab-mode")
        self.mode.add_class("certlab-field-mode")
        self.key_panel = KeyPanel(key=key, generate=key is None)
        self.subject = SubjectForm(defaults)
        self.sans = SanList(tuple(defaults["sans"]))  # type: ignore[arg-type]
        self.validity = ValidityForm(defaults)
        self.extensions = ExtensionsForm(defaults)
        # CA/B Forum checks off by default: findings.CABF_MEMORY_MB per kernel;
        # the views offer a button that runs them for the current result
        self.views = Views(pkilint=pkilint, cabf=None if cabf else False)
        self.save_panel = SavePanel()
        self.compare_button = w.Button(description="What did the CA add?", icon="columns")
        self.compare_button.add_class("certlab-compare-csr")
        self.compare_button.on_click(lambda _b: self._guarded(self._show_compare))
        self.compare_area = w.VBox()
        self.compare_area.add_class("certlab-compare-area")

        self.fields = {"mode": self.mode}
        for part in (self.key_panel, self.subject, self.validity, self.extensions):
            self.fields.update(part.fields)
        self.fields["sans"] = self.sans
        self._slots = {**self.subject._slots, **self.validity._slots, **self.extensions._slots}

        # typing reaches the kernel keystroke by keystroke; a burst that arrives while
        # a rebuild runs costs one more rebuild, not one per key (see _base.Coalescer)
        self.rebuilder = Coalescer(lambda: self._guarded(self.update))
        for name, field in self.fields.items():  # registered first: runs before the rebuild is asked for
            field.observe(lambda change, name=name: self._note_typing(name, change), names="value")
        self._watch([self.mode], self._mode_changed)
        self._watch([f for n, f in self.fields.items() if n != "mode"], self.update, self.rebuilder)
        self.key_panel.on_new_key(self._new_key)

        # form left, views right (wrapping under the form only on narrow screens), so an
        # edit and its effect are on screen together
        form = w.VBox(
            [self.key_panel, self.subject, self.sans, self.validity, self.extensions, self._error_area],
            layout=w.Layout(width="34em", flex="0 0 auto"),
        )
        form.add_class("certlab-form")
        right = w.VBox(
            [self.views, self.save_panel],
            layout=w.Layout(flex="1 1 24em", min_width="24em", overflow="auto"),
        )
        right.add_class("certlab-output")
        # the button notebook 05 asks for sits by the mode it belongs to, and what it
        # shows opens right under it (not 3,000 px below, after every view)
        top = w.HBox([self.mode, self.compare_button], layout=w.Layout(flex_flow="row wrap", align_items="center"))
        self.children = [
            w.HTML(value="<b>certlab lab</b> <span class='certlab-hint'>edit any field: every view follows</span>"),
            top,
            self.compare_area,
            w.HBox([form, right], layout=w.Layout(flex_flow="row wrap")),
        ]
        self.add_class("certlab-lab")
        self.add_class("certlab-widget")
        self._show_mode_rows()
        self._guarded(self.update)

    # --- the contract -----------------------------------------------------

    @property
    def error(self) -> str | None:
        """The current message (the form's and the key panel's), or None."""
        parts = [e for e in (self.key_panel.error, self._own_error) if e]
        return "; ".join(parts) if parts else None

    @error.setter
    def error(self, value: str | None) -> None:
        self._own_error = value

    @property
    def key(self) -> Any:
        """The private key in use (kept until the learner generates a new one)."""
        return self.key_panel.key

    def form_values(self) -> dict[str, object]:
        """The values handed to :func:`certlab.spec.spec_from_form`."""
        values: dict[str, object] = {}
        values.update(self.key_panel.form_values())  # the key actually used, not the dropdowns
        values.update(self.subject.form_values())
        values["sans"] = tuple(self.sans.value)
        values.update(self.validity.form_values())
        values.update(self.extensions.form_values())
        return values

    def update(self) -> None:
        """Re-read the form, rebuild, redraw (observers call this on every change)."""
        mode = str(self.mode.value)
        values = self.form_values()
        try:
            spec = spec_from_form(mode, values)
            if self.key_panel.error:  # the key settings are invalid: keep the last good result
                self._show_errors(())
                self.views.set_stale(True, self.key_panel.error)
                return
            if self._outdated():
                return
            result, csr = self._build(mode, spec, values)
        except CertlabError as exc:
            self._show_errors(spec_errors(exc))
            self.views.set_stale(True, self.error or "")
            return
        if self._outdated():
            return
        self._show_errors(())
        typing = self._typing
        if typing is None or typing != self._typing_field or self.previous is None:
            self.previous = self.result  # a new edit: compare with what was there before it
        self._typing_field = typing
        self.result, self.spec, self.csr = result, spec, csr
        extra: dict[str, str | Callable[[], str]] = {}
        if csr is not None and mode == "ca-signed":
            extra["changes"] = lambda: self._ca_added_html(csr, result)  # made when that tab is shown
        if not self.views.render(result, spec=spec, code_kind=mode, previous=self.previous, extra=extra,
                                 superseded=lambda: self.rebuilder.superseded):
            self.rebuilder.skipped += 1  # made, but newer keys had arrived: not sent
        self.save_panel.set_objects(
            {
                "certificate": result if isinstance(result, x509.Certificate) else None,
                "csr": result if isinstance(result, x509.CertificateSigningRequest) else csr,
                "chain": (result, *self.ca.chain) if mode == "ca-signed" and self.ca is not None else None,
                "private-key": self.key,
            }
        )

    # --- private ------------------------------------------------------------

    def _outdated(self) -> bool:
        """True (and counted) when newer keys arrived while this rebuild ran: the next one draws those."""
        if self.rebuilder.busy:  # on the rebuild thread: let the kernel read the waiting keys first
            time.sleep(0)
        if self.rebuilder.superseded:
            self.rebuilder.skipped += 1
            return True
        return False

    def _pin(self) -> None:
        self._now = datetime.now(timezone.utc).replace(microsecond=0)
        self._serial = x509.random_serial_number()

    def wait(self, timeout: float | None = 30.0) -> bool:
        """Wait until the views show what the form holds (a rebuild of typed keys may be running)."""
        return self.rebuilder.wait(timeout)

    def _note_typing(self, name: str, change: Any) -> None:
        # keys typed into one box, one after another, are one edit; code, a click
        # elsewhere or another box starts a new one
        self._typing = name if from_browser(change.get("owner")) else None

    def _new_key(self) -> None:
        self._typing = None  # a new key is an edit of its own
        self._pin()
        if hasattr(self, "rebuilder"):  # not during construction
            self.rebuilder.now()

    def _build(self, mode: str, spec: Any, values: dict[str, object]) -> tuple[Any, Any]:
        key = self.key
        if key is None:
            raise SpecError("key_algorithm", "there is no key yet: click Generate key")
        built = build_for_mode(mode, spec, key, ca=self.ca, now=self._now, serial=self._serial)
        if built.ca is not None:
            self.ca = built.ca
        return built.result, built.csr

    def _show_errors(self, errors: Iterable[CertlabError], slots: Any = None) -> None:
        errors = tuple(errors)
        san_messages: dict[str, list[str]] = {}
        others = []
        for err in errors:
            if err.field is not None and (err.field == "sans" or err.field.startswith("sans[")):
                name = err.field if err.field in self.sans.slots else "sans"
                san_messages.setdefault(name, []).append(str(err))
            else:
                others.append(err)
        self.sans.show_errors(san_messages)
        super()._show_errors(others)
        self._own_error = "; ".join(str(e) for e in errors) if errors else None

    def _mode_changed(self) -> None:
        with REBUILD_LOCK:  # not while a rebuild of typed keys runs
            self._switch_mode()

    def _switch_mode(self) -> None:
        self._show_mode_rows()
        self.previous = None  # a CSR and a certificate are compared with the button, not here
        self._typing_field = None
        self.result = None
        self.compare_area.children = []
        self.update()

    def _show_mode_rows(self) -> None:
        certificate = self.mode.value != "csr"
        self.validity.show_certificate_rows(certificate)
        self.extensions.show_certificate_rows(certificate)
        set_shown(self.compare_button, self.mode.value == "ca-signed")

    def _ca_added_html(self, csr: Any, cert: Any) -> str:
        from ..render.diff_html import diff_html
        from ..render.style import view

        # through the views' cache: the certificate is explored once for this and its own views
        return view(diff_html(self.views.compare(csr, cert), before="your CSR", after="the issued certificate"),
                    title="What the CA added to your CSR")

    def _show_compare(self) -> None:
        from .compare import Compare

        if self.csr is None or self.result is None:
            self._error_area.value = error_html("mode: switch to 'Issued by a teaching CA' first")
            return
        for child in self.compare_area.children:
            close_tree(child)
        self.compare_area.children = [Compare(self.csr, self.result, labels=("your CSR", "the issued certificate"))]
