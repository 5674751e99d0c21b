"""Validity, signature hash and the extensions of the lab.

* validity (RFC 5280 §4.1.2.5): a number of days from now, or explicit
  notBefore/notAfter (ISO 8601, UTC when no zone is given);
* serial (RFC 5280 §4.1.2.2): blank means "random, 159 bits";
* BasicConstraints (§4.2.1.9), KeyUsage (§4.2.1.3) as one checkbox per bit,
  ExtendedKeyUsage (§4.2.1.12) as tags (a name from the list or a dotted OID),
  SubjectKeyIdentifier (§4.2.1.2) and AuthorityKeyIdentifier (§4.2.1.1).

The hash and the RSA size are Comboboxes, not Dropdowns, on purpose: a
learner may *type* "sha1" and read why it is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as w
import traitlets

from ..knowledge.algorithms import KEY_USAGE_BITS
from ..spec import EXTENDED_KEY_USAGES, HASHES, KEY_USAGES
from ._base import _FormMixin, css_name, quietly, set_shown

__all__ = ["CheckGroup", "ValidityForm", "ExtensionsForm"]

# KeyUsage bit names as RFC 5280 writes them, with the bit number (§4.2.1.3).
_KEY_USAGE_LABELS: dict[str, str] = {bit.keyword: f"{bit.asn1_name} ({bit.bit})" for bit in KEY_USAGE_BITS}
# What each bit allows, shown when the pointer rests on its checkbox (the same row the fields read).
_KEY_USAGE_TOOLTIPS: dict[str, str] = {bit.keyword: bit.explanation for bit in KEY_USAGE_BITS}

# BasicConstraints choices: absent, an end entity, a CA (form values the spec reads).
_CA_CHOICES: tuple[tuple[str, str], ...] = (
    ("absent (no BasicConstraints)", "none"),
    ("cA = FALSE (end entity)", "false"),
    ("cA = TRUE (a CA)", "true"),
)


def _tristate_to_form(value: object) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    return "none"


def _text(value: object) -> str:
    if value is None:
        return ""
    iso = getattr(value, "isoformat", None)
    return str(iso()) if callable(iso) else str(value)


class CheckGroup(w.VBox):
    """One checkbox per option; ``value`` is the tuple of ticked option names."""

    value = traitlets.Tuple(help="ticked names, in option order")

    def __init__(self, options: Sequence[str], labels: Mapping[str, str] | None = None, value: Sequence[str] = (),
                 tooltips: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self._updating = False
        labels = labels or {}
        tooltips = tooltips or {}
        self.boxes: dict[str, w.Checkbox] = {}
        for name in options:
            box = w.Checkbox(value=name in value, description=labels.get(name, name), indent=False,
                             tooltip=tooltips.get(name))
            box.add_class(f"certlab-check-{css_name(name)}")
            box.observe(self._box_changed, names="value")
            self.boxes[name] = box
        # as many columns as fit (two in the lab's form): every label whole, no scrollbar
        self.children = [w.GridBox(list(self.boxes.values()),
                                   layout=w.Layout(grid_template_columns="repeat(auto-fill, minmax(14em, 1fr))",
                                                   width="100%"))]
        self.value = tuple(n for n in options if n in value)

    def _box_changed(self, _change: Mapping[str, Any]) -> None:
        if not self._updating:
            self.value = tuple(n for n, box in self.boxes.items() if box.value)

    @traitlets.observe("value")
    def _value_changed(self, change: Mapping[str, Any]) -> None:
        with quietly(self):
            for name, box in self.boxes.items():
                ticked = name in change["new"]
                if box.value != ticked:
                    box.value = ticked


class _CertificateRows:
    """Rows that only a certificate has; a CSR form hides them."""

    certificate_rows: list[w.VBox]

    def show_certificate_rows(self, show: bool) -> None:
        """A CSR has no validity, serial or key identifiers: the CA decides them (RFC 2986 §4)."""
        for row in self.certificate_rows:
            set_shown(row, show)


class ValidityForm(w.VBox, _FormMixin, _CertificateRows):
    """Validity days, notBefore/notAfter, serial and the signature hash."""

    def __init__(self, values: Mapping[str, object]) -> None:
        super().__init__()
        self._init_form()
        days = w.IntText(value=int(values.get("validity_days") or 10), continuous_update=True)  # type: ignore[call-overload]
        not_before = w.Text(value=_text(values.get("not_before")), placeholder="blank = now", continuous_update=True)
        not_after = w.Text(value=_text(values.get("not_after")), placeholder="blank = notBefore + days", continuous_update=True)
        serial = w.Text(value=_text(values.get("serial")), placeholder="blank = random", continuous_update=True)
        hash_ = w.Combobox(options=list(HASHES), value=str(values.get("hash") or "sha256"), ensure_option=False, continuous_update=True)
        self.certificate_rows = [
            self._add_field("validity_days", days, "Valid for (days)", "the tutorial uses 10 days"),
            self._add_field("not_before", not_before, "notBefore", "ISO 8601, e.g. 2030-01-31T12:00 (UTC)"),
            self._add_field("not_after", not_after, "notAfter", "ISO 8601; overrides the days"),
            self._add_field("serial", serial, "Serial number", "decimal or 0x-hex; RFC 5280 §4.1.2.2"),
        ]
        hash_row = self._add_field("hash", hash_, "Signature hash", "ignored for Ed25519/Ed448/ML-DSA")
        self.children = [w.HTML(value="<b>4. Validity and signature</b>"), *self.certificate_rows, hash_row]
        self.add_class("certlab-validity")

    def form_values(self) -> dict[str, object]:
        """The form's values by form field name, as :func:`certlab.spec.spec_from_form` reads them."""
        return {name: widget.value for name, widget in self.fields.items()}


class ExtensionsForm(w.VBox, _FormMixin, _CertificateRows):
    """BasicConstraints, KeyUsage, ExtendedKeyUsage, SKI and AKI."""

    def __init__(self, values: Mapping[str, object]) -> None:
        super().__init__()
        self._init_form()
        ca = w.Dropdown(options=list(_CA_CHOICES), value=_tristate_to_form(values.get("ca")))
        path_length = w.Text(value=_text(values.get("path_length")), placeholder="blank = no limit", continuous_update=True)
        key_usage = CheckGroup(KEY_USAGES, _KEY_USAGE_LABELS, tuple(values.get("key_usage") or ()),  # type: ignore[arg-type]
                               tooltips=_KEY_USAGE_TOOLTIPS)
        # no allowed_tags: a dotted OID or a typo must reach the spec, which explains it
        eku = w.TagsInput(value=list(values.get("extended_key_usage") or ()), allow_duplicates=False)  # type: ignore[call-overload]
        ski = w.Checkbox(value=bool(values.get("subject_key_identifier")), description="SubjectKeyIdentifier", indent=False)
        aki = w.Checkbox(value=bool(values.get("authority_key_identifier")), description="AuthorityKeyIdentifier", indent=False)
        self.certificate_rows = [
            self._add_field("subject_key_identifier", ski, "", "a hash of the public key (RFC 5280 §4.2.1.2)"),
            self._add_field("authority_key_identifier", aki, "", "names the signer's key (§4.2.1.1)"),
        ]
        self.children = [
            w.HTML(value="<b>5. Extensions</b>"),
            self._add_field("ca", ca, "BasicConstraints", "RFC 5280 §4.2.1.9"),
            self._add_field("path_length", path_length, "pathLenConstraint", "CAs only: how many CAs may follow"),
            w.HTML(value="KeyUsage <span class='certlab-hint'>(RFC 5280 §4.2.1.3; rest the pointer on a bit "
                         "for what it allows)</span>"),
            self._add_field("key_usage", key_usage, ""),
            w.HTML(value="ExtendedKeyUsage <span class='certlab-hint'>(RFC 5280 §4.2.1.12)</span>"),
            self._add_field(
                "extended_key_usage", eku, "ExtendedKeyUsage",
                "type a name and press Enter: " + ", ".join(EXTENDED_KEY_USAGES),
            ),
            *self.certificate_rows,
        ]
        self.add_class("certlab-extensions")

    def form_values(self) -> dict[str, object]:
        """The form's values by form field name, as :func:`certlab.spec.spec_from_form` reads them."""
        out: dict[str, object] = {name: widget.value for name, widget in self.fields.items()}
        out["extended_key_usage"] = tuple(out["extended_key_usage"])  # type: ignore[arg-type]
        return out
