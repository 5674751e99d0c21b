"""The key panel: choose an algorithm, generate a key, keep it.

What a learner expects, and what the panel does:

* **The key is kept.**  Editing the subject, the SANs or the extensions
  re-signs with the *same* key, exactly as the tutorial re-uses ``key``:
  only the signature and the edited bytes change, which "what changed" shows.
* **Changing the algorithm, size or curve does not silently make a new key.**
  The key is marked *out of date* (class ``certlab-key-stale``) with a note
  saying what the form asks for and what the current key is; everything keeps
  using the current key until the learner clicks **Generate** (RSA 4096 takes
  about half a second; a surprise pause on every dropdown change teaches
  nothing).  The lab's spec always describes the key actually used.
* **The private key is a secret.**  It lives in a plain Python attribute,
  never in a widget trait; the panel shows public facts (type, size, the
  SHA-256 of the SubjectPublicKeyInfo).  The PEM appears only while
  "Reveal private key" is pressed, and disappears again when released or
  when a new key is generated.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w
from cryptography.hazmat.primitives import serialization

from ..build import generate_key, key_algorithm_of
from ..errors import CertlabError
from ..knowledge.algorithms import algorithm_named, key_parameters
from ..spec import CURVES, KEY_ALGORITHMS, ML_DSA_VARIANTS, RSA_SIZES, KeySpec, spec_from_form
from ._base import _FormMixin, quietly, set_shown, spec_errors

__all__ = ["KeyPanel"]

_KEY_FIELDS = ("key_algorithm", "key_size", "curve", "variant")

def _parameter_field(algorithm: str) -> str | None:
    """The form field that matters for ``algorithm`` (RFC 8017 / FIPS 186-5 / RFC 8032 / FIPS 204)."""
    try:
        return algorithm_named(algorithm).parameter
    except KeyError:
        return None


def _describe_key_spec(spec: KeySpec) -> str:
    param = _parameter_field(spec.algorithm)
    detail = {"key_size": f" {spec.size} bits", "curve": f" {spec.curve}", "variant": f" {spec.variant}"}.get(
        param or "", ""
    )
    return f"{spec.algorithm.upper()}{detail}"


def public_facts(key: Any) -> dict[str, str]:
    """Type, size and SPKI SHA-256 of a private or public key (no secret in it)."""
    public = key.public_key() if hasattr(key, "private_bytes") else key
    spki = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    facts = {"type": key_algorithm_of(key).upper()}
    size = getattr(public, "key_size", None)
    if size is not None:
        facts["size"] = f"{size} bits"
    curve = getattr(public, "curve", None)
    if curve is not None:
        facts["curve"] = curve.name
    facts["SPKI SHA-256"] = hashlib.sha256(spki).hexdigest()
    return facts


class KeyPanel(w.VBox, _FormMixin):
    """Algorithm, size/curve/variant, a Generate button and the kept key.

    ``fields``: ``key_algorithm``, ``key_size``, ``curve``, ``variant``.
    ``key`` is the current private key (a plain attribute: never synced),
    ``key_spec`` the :class:`KeySpec` it was made with, ``stale`` is True
    while the form asks for a different key.
    """

    def __init__(self, key_spec: KeySpec | None = None, *, key: Any = None, generate: bool = True) -> None:
        super().__init__()
        self._init_form()
        spec = key_spec if key_spec is not None else KeySpec()
        self.key: Any = None
        self.key_spec: KeySpec | None = None
        self._listeners: list[Callable[[], None]] = []

        algorithm = w.Dropdown(options=list(KEY_ALGORITHMS), value=spec.algorithm)
        # a Combobox, not a Dropdown: typing 512 must be possible, so the lesson
        # "RSA below 2048 bits is refused" can be learnt (the spec says why)
        size = w.Combobox(
            options=[str(s) for s in RSA_SIZES], value=str(spec.size), ensure_option=False, continuous_update=True
        )
        curve = w.Dropdown(options=list(CURVES), value=spec.curve)
        variant = w.Dropdown(options=list(ML_DSA_VARIANTS), value=spec.variant)
        rows = [
            self._add_field("key_algorithm", algorithm, "Algorithm"),
            self._add_field("key_size", size, "RSA size (bits)"),
            self._add_field("curve", curve, "Curve"),
            self._add_field("variant", variant, "ML-DSA variant"),
        ]
        self._rows = dict(zip(_KEY_FIELDS, rows))

        self.generate_button = w.Button(description="Generate key", icon="key", button_style="primary")
        self.generate_button.add_class("certlab-generate")
        self.generate_button.on_click(lambda _b: self._guarded(self.generate))
        self.busy = w.HTML(value="")
        self.busy.add_class("certlab-busy")
        self.facts = w.HTML(value="")
        self.facts.add_class("certlab-key-facts")
        self.stale_note = w.HTML(value="")
        self.stale_note.add_class("certlab-key-note")
        self.reveal = w.ToggleButton(value=False, description="Reveal private key", icon="eye")
        self.reveal.add_class("certlab-reveal")
        self.private_pem = w.HTML(value="")
        self.private_pem.add_class("certlab-key-pem")
        self.reveal.observe(lambda _c: self._guarded(self._show_private), names="value")

        self._watch([algorithm, size, curve, variant], self._settings_changed)
        self.children = [
            w.HTML(value="<b>1. Key pair</b>"),
            *rows,
            w.HBox([self.generate_button, self.busy]),
            self.stale_note,
            self.facts,
            self.reveal,
            self.private_pem,
            self._error_area,
        ]
        self.add_class("certlab-key-panel")
        self._show_parameter_rows()
        if key is not None:
            self.use_key(key)
        elif generate:
            self._guarded(self.generate)

    # --- public ---------------------------------------------------------

    @property
    def stale(self) -> bool:
        """True when the form asks for a key other than the current one."""
        if self.key_spec is None:
            return True
        try:
            wanted = self._requested_spec()
        except CertlabError:
            return True
        return _describe_key_spec(wanted) != _describe_key_spec(self.key_spec)

    def on_new_key(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` after each new key."""
        self._listeners.append(callback)

    def generate(self) -> None:
        """Make a new key as the form asks (the only way the key changes)."""
        spec = self._requested_spec()  # raises with the field named
        self.generate_button.disabled = True
        self.generate_button.description = "Generating..."
        self.generate_button.icon = "spinner"
        self.busy.value = f"<i>generating a {html.escape(_describe_key_spec(spec))} key...</i>"
        try:
            key = generate_key(spec)
        finally:
            self.generate_button.disabled = False
            self.generate_button.description = "Generate key"
            self.generate_button.icon = "key"
            self.busy.value = ""
        self._set_key(key, spec)

    def use_key(self, key: Any) -> None:
        """Adopt an existing private key (e.g. one loaded from a file)."""
        key_algorithm_of(key)  # a SpecError for a key type certlab cannot sign with
        values: dict[str, Any] = key_parameters(key)
        if "key_size" in values:
            values["key_size"] = str(values["key_size"])  # the size dropdown holds text
        with quietly(self):
            for name, value in values.items():
                self.fields[name].value = value
        self._set_key(key, self._requested_spec())

    def form_values(self) -> dict[str, object]:
        """The key fields of the *current key* (what the lab builds with)."""
        spec = self.key_spec if self.key_spec is not None else KeySpec()
        return {"key_algorithm": spec.algorithm, "key_size": spec.size, "curve": spec.curve, "variant": spec.variant}

    # --- private --------------------------------------------------------

    def _requested_spec(self) -> KeySpec:
        values = {name: self.fields[name].value for name in _KEY_FIELDS}
        try:
            return spec_from_form("csr", values).key
        except CertlabError as exc:
            errors = [e for e in spec_errors(exc) if e.field in _KEY_FIELDS]
            if errors:
                raise
            # other problems are the lab's to report: the key settings are fine
            return KeySpec(
                algorithm=str(values["key_algorithm"]),
                size=int(str(values["key_size"])),
                curve=str(values["curve"]),
                variant=str(values["variant"]),
            )

    def _set_key(self, key: Any, spec: KeySpec) -> None:
        self.key = key
        self.key_spec = spec
        if self.reveal.value:
            self.reveal.value = False  # a new key is hidden again
        facts = public_facts(key)
        rows = "".join(
            f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(k)}</th>"
            f"<td><code style='word-break:break-all'>{html.escape(v)}</code></td></tr>"
            for k, v in facts.items()
        )
        self.facts.value = f"<table class='certlab-key-table'>{rows}</table>"
        self._settings_changed()
        for listener in self._listeners:
            listener()

    def _settings_changed(self) -> None:
        self._show_parameter_rows()
        try:
            wanted = self._requested_spec()
        except CertlabError as exc:
            self._show_errors(spec_errors(exc))
            self._mark_stale(True, "")
            return
        self._clear_errors()
        if self.key_spec is not None and _describe_key_spec(wanted) != _describe_key_spec(self.key_spec):
            self._mark_stale(
                True,
                f"The form asks for {_describe_key_spec(wanted)}; the current key is "
                f"{_describe_key_spec(self.key_spec)}. Everything still uses the current key: "
                "click <b>Generate key</b> to make the new one.",
            )
        else:
            self._mark_stale(False, "")

    def _mark_stale(self, stale: bool, note: str) -> None:
        if stale:
            self.add_class("certlab-key-stale")
        else:
            self.remove_class("certlab-key-stale")
        text = f"<span class='certlab-stale-text'>{note}</span>" if note else ""
        if self.stale_note.value != text:
            self.stale_note.value = text

    def _show_parameter_rows(self) -> None:
        wanted = _parameter_field(str(self.fields["key_algorithm"].value))
        for name in ("key_size", "curve", "variant"):
            set_shown(self._rows[name], name == wanted)

    def _show_private(self) -> None:
        if self.reveal.value and self.key is not None:
            pem = self.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ).decode("ascii")
            self.private_pem.value = (
                "<div class='certlab-secret'><b>Private key (PKCS#8, unencrypted).</b> "
                "Anyone who has it can sign as you; while shown it is also in the notebook's "
                "saved widget state. Release the button to hide it.<pre>"
                f"{html.escape(pem)}</pre></div>"
            )
        else:
            self.private_pem.value = ""
