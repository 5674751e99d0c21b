"""The inspector: paste PEM, upload a file, or pass an object; get the views.

Secrets: a private key pasted into the text box or uploaded would otherwise
sit in the notebook's saved widget state (a ``Textarea``'s value and a
``FileUpload``'s content are synced traits).  So once a private key has been
*read*, the inspector empties the text box (and always empties the upload)
and says so; the key itself lives on in a plain Python attribute.  The
passphrase box is cleared as soon as it has been used.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from ..errors import LoadError
from ..load import kind_of
from ._base import WAITS_FOR_ENTER, _FormMixin, error_html, quietly, set_shown
from .views import Views

__all__ = ["Inspector"]

def _label(index: int, item: Any) -> str:
    what = item.kind
    try:
        # cryptography decodes a name lazily: reading .subject itself raises
        # ValueError when the name is malformed (a non-UTF-8 CN, a long-form tag)
        subject = getattr(item.obj, "subject", None)
        if subject is not None:
            what += ": " + subject.rfc4514_string()[:60]
    except Exception:  # an undecodable name must not break the list
        pass
    if item.error:
        what += " (unreadable)"
    return f"{index + 1}. {what}"

class Inspector(w.VBox, _FormMixin):
    """Read any key, CSR, certificate, CRL, PKCS#7 or PKCS#12 and show its views.

    ``fields``: ``pem`` (text box), ``upload``, ``passphrase``, ``choice``
    (which object, when the input holds several).  ``loaded`` is what
    :func:`certlab.load.load` returned; ``result`` the chosen object.
    ``cabf`` as in :func:`certlab.findings.find`. Default ``False``: the CA/Browser
    Forum checks of a pasted TLS certificate run from a button, as in the lab, so
    thirty kernels in a class do not each carry their
    :data:`~certlab.findings.CABF_MEMORY_MB`; ``None`` runs them
    automatically when the certificate claims TLS use.
    """

    def __init__(self, obj_or_pem: Any = None, *, pkilint: bool = True, cabf: bool | None = False) -> None:
        super().__init__()
        self._init_form()
        self.result: Any = None
        self.spec: Any = None
        self.loaded: list[Any] = []
        self._passphrase: str | None = None
        text = w.Textarea(value="", placeholder="paste PEM (-----BEGIN ...), base64 or a chain here",
                          rows=8, continuous_update=False, layout=w.Layout(width="100%"))
        upload = w.FileUpload(accept="", multiple=False, description="Upload a file")
        # synced on Enter only, then moved out of the widget at once (see the module docstring)
        passphrase = w.Password(value="", placeholder="encrypted key or PKCS#12: type, then Enter",
                                continuous_update=False)
        choice = w.Dropdown(options=[], value=None)
        self.note = w.HTML(value="")
        self.note.add_class("certlab-inspector-note")
        rows = [
            self._add_field("pem", text, "PEM / base64"),
            self._add_field("upload", upload, ""),
            self._add_field("passphrase", passphrase, "Passphrase", WAITS_FOR_ENTER),
            self._add_field("choice", choice, "Object"),
        ]
        self._choice_row = rows[3]
        self._choice_row.layout.display = "none"
        # cabf=False (default) leaves the CA/B Forum checks to a button (CABF_MEMORY_MB less per
        # kernel, see certlab.findings); cabf=None runs them on a pasted TLS certificate
        self.views = Views(panes=("fields", "asn1", "pem"), pkilint=pkilint, cabf=cabf)
        self._watch([text], self._read_text)
        self._watch([passphrase], self._passphrase_typed)
        self._watch([upload], self._read_upload)
        self._watch([choice], self._chosen)
        self.children = [w.HTML(value="<b>certlab inspector</b>"), *rows, self.note, self._error_area, self.views]
        self.add_class("certlab-inspector")
        self.add_class("certlab-widget")
        if obj_or_pem is not None:
            self._guarded(lambda: self.inspect(obj_or_pem))

    def inspect(self, obj_or_data: Any, *, source: str = "<input>") -> None:
        """Show an object, or read PEM/DER/base64 text or bytes and show what is in it."""
        if isinstance(obj_or_data, (str, bytes, bytearray, memoryview)):
            from ..load import load

            passphrase = self._take_passphrase()
            self.loaded = load(bytes(obj_or_data) if not isinstance(obj_or_data, str) else obj_or_data,
                               passphrase=passphrase, source=source)
            self._offer_choices()
        else:
            if kind_of(obj_or_data) == "unknown":
                raise LoadError("pem", "is not a key, CSR, certificate or CRL", type(obj_or_data).__name__)
            self.loaded = []
            self._offer_choices()
            self._show(obj_or_data)

    # --- private ----------------------------------------------------------

    def _take_passphrase(self) -> str | None:
        self._passphrase = self._take_secret("passphrase") or self._passphrase
        return self._passphrase

    def _passphrase_typed(self) -> None:
        if self.fields["passphrase"].value:
            self._take_passphrase()
            self.note.value = "<i>Passphrase received (kept out of the widget).</i>"
            if self.fields["pem"].value.strip():
                self._read_text()

    def _read_text(self) -> None:
        text = self.fields["pem"].value
        if not text.strip():
            return
        self.inspect(text, source="pasted text")
        if any(item.kind == "private-key" and item.obj is not None for item in self.loaded):
            with quietly(self):
                self.fields["pem"].value = ""
            self.note.value = (
                "<i>A private key was read and removed from the text box, so that it is not "
                "saved with the notebook. It is shown below (public half unless revealed).</i>"
            )

    def _read_upload(self) -> None:
        files = self.fields["upload"].value
        if not files:
            return
        first = files[0]
        data = bytes(first["content"])
        name = str(first.get("name", "upload"))
        with quietly(self):
            self.fields["upload"].value = ()  # the file's bytes must not stay in widget state
        self.inspect(data, source=name)
        self.note.value = f"<i>Read {len(data)} bytes from {html.escape(name)}.</i>"

    def _offer_choices(self) -> None:
        choice = self.fields["choice"]
        options = [(_label(i, item), i) for i, item in enumerate(self.loaded)]
        with quietly(self):
            choice.options = options
            readable = [i for i, item in enumerate(self.loaded) if item.obj is not None]
            choice.value = readable[0] if readable else (0 if options else None)
        set_shown(self._choice_row, len(options) > 1)
        problems = [f"{item.source}: {item.error}" for item in self.loaded if item.error]
        self._slots["pem"].value = "<br>".join(error_html("pem: " + p) for p in problems)
        if self.loaded:
            self._chosen()

    def _chosen(self) -> None:
        index = self.fields["choice"].value
        if index is None or index >= len(self.loaded):
            return
        item = self.loaded[index]
        if item.obj is None or kind_of(item.obj) == "unknown":
            from ..fields_pki import TREE_KINDS

            if item.kind in TREE_KINDS and item.error is None and item.der[:1] == b"\x30":
                # an OCSP, CMS, PKCS#12, time-stamp or CMP message read whole: its fields
                # come from the named tree (certlab.fields_pki); nothing is wrong with it
                self.result = None
                self.error = None
                self.views.render_der(item.der, item.kind, note=item.note or "")
                return
            message = item.error or f"a {item.kind} has no views of its own; pick another object"
            self.error = f"pem: {message}"
            if item.der[:1] == b"\x30" and not item.encrypted:
                # a SEQUENCE, as every PKI structure starts: show the tree (and where
                # reading stopped), as `certlab inspect` does. Other bytes (a typo, stray
                # text) keep the last good result on screen, marked stale.
                self.result = None
                self.views.render_der(item.der, item.kind, note=message)
            else:
                self.views.set_stale(self.result is not None, message)
            return
        self._show(item.obj)

    def _show(self, obj: Any) -> None:
        self.views.render(obj)
        self.result = obj
        self.error = None
        if self._error_area.value:
            self._error_area.value = ""

    def _guarded(self, callback: Any) -> None:
        super()._guarded(callback)
        if self.error is not None and self.result is not None:
            self.views.set_stale(True, self.error)

