"""Save to a file: the certificate, the CSR, the chain or the private key.

Files are written by :func:`certlab.load.save`: mode 0600, and an existing
file is never replaced unless the learner ticks "overwrite" (which un-ticks
itself after each save, so one confirmation replaces one file).

The passphrase is a secret and ipywidgets' ``Password`` still syncs its
``value`` (it is in the saved widget state like any text box).  So the box
syncs only on Enter or when left (``continuous_update=False``), and the panel
then moves the passphrase into a plain Python attribute and empties the box at
once, saying it was received; a save uses it and forgets it, whether the save
worked or not.  No passphrase stays in any widget.  A private
key is always saved encrypted (the tutorial's ``BestAvailableEncryption``):
an empty passphrase is an error, not a silent plain-text key.
"""

from __future__ import annotations

import html
import pathlib
from collections.abc import Mapping
from typing import Any

import ipywidgets as w

from ..errors import CertlabError, SpecError
from ..load import FILE_STEMS
from ._base import WAITS_FOR_ENTER, _FormMixin, set_shown

__all__ = ["SavePanel"]

# what -> (label, default file name); file names from the core's one table
_WHAT: dict[str, tuple[str, str]] = {
    "certificate": ("certificate (PEM)", f"{FILE_STEMS['certificate']}.pem"),
    "csr": ("certificate signing request (PEM)", f"{FILE_STEMS['csr']}.pem"),
    "chain": ("certificate + CA chain (PEM)", "fullchain.pem"),
    "private-key": ("private key (PEM, encrypted with the passphrase)", f"{FILE_STEMS['private-key']}.pem"),
    "public-key": ("public key (PEM)", f"{FILE_STEMS['public-key']}.pem"),
}


class SavePanel(w.VBox, _FormMixin):
    """Path, what to save, passphrase (keys only), overwrite, Save.

    ``fields``: ``save_path``, ``save_what``, ``passphrase``, ``overwrite``.
    ``last_saved`` is the path of the last successful save.
    """

    def __init__(self) -> None:
        super().__init__()
        self._init_form()
        self._objects: dict[str, Any] = {}
        what = w.Dropdown(options=[], value=None)
        path = w.Text(value="", placeholder="file name (blank = the suggested one)", continuous_update=False)
        passphrase = w.Password(value="", placeholder="type, then Enter (needed for a private key)",
                                continuous_update=False)
        self._secret: str | None = None
        overwrite = w.Checkbox(value=False, description="overwrite an existing file", indent=False)
        self.save_button = w.Button(description="Save", icon="save")
        self.save_button.add_class("certlab-save")
        self.save_button.on_click(lambda _b: self._guarded(self.save))
        self.status = w.HTML(value="")
        self.status.add_class("certlab-save-status")
        self.last_saved: pathlib.Path | None = None
        rows = [
            self._add_field("save_what", what, "Save"),
            self._add_field("save_path", path, "to file"),
            self._add_field("passphrase", passphrase, "Passphrase", WAITS_FOR_ENTER),
            self._add_field("overwrite", overwrite, ""),
        ]
        self._passphrase_row = rows[2]
        what.observe(lambda _c: self._what_changed(), names="value")
        passphrase.observe(lambda _c: self._take_passphrase(), names="value")
        self.children = [w.HTML(value="<b>Save to a file</b> <span class='certlab-hint'>(mode 0600)</span>"), *rows,
                         self.save_button, self.status, self._error_area]
        self.add_class("certlab-save-panel")

    def set_objects(self, objects: Mapping[str, Any]) -> None:
        """What can be saved now, by ``_WHAT`` key (missing or None entries are left out)."""
        self._objects = {k: v for k, v in objects.items() if v is not None and k in _WHAT}
        options = [(_WHAT[k][0], k) for k in _WHAT if k in self._objects]
        what = self.fields["save_what"]
        if list(what.options) != options:
            current = what.value
            what.options = options
            what.value = current if current in self._objects else (options[0][1] if options else None)
        self._what_changed()

    def save(self) -> pathlib.Path:
        """Write the chosen object; clears the passphrase box whatever happens."""
        from ..load import private_key_bytes, save

        self._take_passphrase()
        secret, self._secret = self._secret, None  # used once, then forgotten
        self._clear_errors()
        what = self.fields["save_what"].value
        if what not in self._objects:
            raise SpecError("save_what", "there is nothing to save yet", what)
        obj = self._objects[what]
        name = self.fields["save_path"].value.strip() or _WHAT[what][1]
        if what == "private-key":
            if not secret:
                raise SpecError(
                    "passphrase",
                    "a private key is saved encrypted: type a passphrase (it is cleared from the box after saving)",
                )
            from ..build import key_algorithm_of

            fmt = "traditional" if key_algorithm_of(obj) in ("rsa", "ec") else "pkcs8"
            data = private_key_bytes(obj, passphrase=secret, format=fmt)
        elif what == "chain":
            data = b"".join(c.public_bytes(_pem()) for c in obj)
        else:
            from ..load import public_bytes

            data = public_bytes(obj, encoding="pem")
        try:
            path = save(name, data, overwrite=bool(self.fields["overwrite"].value))
        except CertlabError as exc:
            if exc.field == "path" and "exists" in exc.rule:
                raise SpecError(
                    "save_path", "already exists; tick 'overwrite an existing file' and press Save again to replace it", name
                ) from None
            if exc.field == "path":
                raise SpecError("save_path", exc.rule, exc.value) from None
            raise
        self.fields["overwrite"].value = False  # one confirmation, one file
        self.last_saved = path
        self.status.value = f"saved {html.escape(_WHAT[what][0])} to <code>{html.escape(str(path))}</code> (mode 0600)"
        return path

    def _take_passphrase(self) -> None:
        secret = self._take_secret("passphrase")
        if secret:
            self._secret = secret
            self.status.value = "passphrase received (kept out of the widget, used by the next save)"

    def _what_changed(self) -> None:
        what = self.fields["save_what"].value
        set_shown(self._passphrase_row, what == "private-key")
        placeholder = f"file name (blank = {_WHAT[what][1]})" if what in _WHAT else "file name"
        if self.fields["save_path"].placeholder != placeholder:
            self.fields["save_path"].placeholder = placeholder


def _pem() -> Any:
    from cryptography.hazmat.primitives import serialization

    return serialization.Encoding.PEM
