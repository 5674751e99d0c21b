"""The subject form: the distinguished name the certificate is about (RFC 5280 §4.1.2.6).

Text boxes update on Enter or when the learner leaves the box
(``continuous_update=False``): a half-typed country "U" is not a lesson.
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as w

from ._base import _FormMixin

__all__ = ["SubjectForm", "SUBJECT_FIELDS"]

# (form field, label, hint): the tutorial's attributes, in its order (RFC 5280 Appendix A.1 bounds).
SUBJECT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("country", "Country (C)", "two letters, ISO 3166 (US, DE, JP)"),
    ("state", "State (ST)", "state or province, spelt out"),
    ("locality", "Locality (L)", "city"),
    ("organization", "Organization (O)", ""),
    ("organizational_unit", "Org. unit (OU)", "optional; CAs no longer include it (CA/B BR 7.1.4.2)"),
    ("common_name", "Common name (CN)", "up to 64 characters; browsers read the SANs, not the CN"),
    ("email", "Email", "optional; deprecated in subjects (RFC 5280 §4.1.2.6: use a SAN)"),
)


class SubjectForm(w.VBox, _FormMixin):
    """One text box per subject attribute; ``fields`` keyed by form field name."""

    def __init__(self, values: Mapping[str, object] | None = None) -> None:
        super().__init__()
        self._init_form()
        values = values or {}
        rows = []
        for name, label, hint in SUBJECT_FIELDS:
            text = w.Text(value=str(values.get(name) or ""), continuous_update=False)
            rows.append(self._add_field(name, text, label, hint))
        self.children = [w.HTML(value="<b>2. Subject</b>"), *rows]
        self.add_class("certlab-subject")

    def form_values(self) -> dict[str, object]:
        return {name: self.fields[name].value for name, _label, _hint in SUBJECT_FIELDS}
