"""The subject form: the distinguished name the certificate is about (RFC 5280 §4.1.2.6).

Text boxes update as the learner types (``continuous_update=True``): every
view follows each keystroke, a half-typed country "U" is explained until the
"S" arrives, and the lab's :class:`~certlab.widgets._base.Coalescer` merges
keys that arrive while a rebuild runs.
Labels and hints come from :data:`certlab.spec.SUBJECT_ATTRIBUTES`, the one
table of subject attributes.
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as w

from ..spec import SUBJECT_ATTRIBUTES
from ._base import _FormMixin

__all__ = ["SubjectForm"]


class SubjectForm(w.VBox, _FormMixin):
    """One text box per subject attribute; ``fields`` keyed by form field name."""

    def __init__(self, values: Mapping[str, object] | None = None) -> None:
        super().__init__()
        self._init_form()
        values = values or {}
        rows = []
        for attr in SUBJECT_ATTRIBUTES:
            text = w.Text(value=str(values.get(attr.field) or ""), continuous_update=True)
            rows.append(self._add_field(attr.field, text, attr.label, attr.hint))
        self.children = [w.HTML(value="<b>2. Subject</b>"), *rows]
        self.add_class("certlab-subject")

    def form_values(self) -> dict[str, object]:
        """The form's values by form field name, as :func:`certlab.spec.spec_from_form` reads them."""
        return {attr.field: self.fields[attr.field].value for attr in SUBJECT_ATTRIBUTES}
