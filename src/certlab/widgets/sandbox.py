"""The break-it sandbox of notebook 04: flip one byte, watch everything react.

A number box picks a byte of a certificate (type an offset, or step with the
arrow keys); :func:`certlab.sandbox.break_it` (the pure core) flips it and
reports what broke: the field it lies in, the DER reader, cryptography's
parser, the signature and the findings. This widget only turns the box into
that call and shows its report. (A number box rather than a slider: a
slider's handle has no accessible name in ipywidgets, and a screen reader
or keyboard user could not tell what it sets — axe-core rule
``aria-input-field-name``.)
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ..errors import CertlabError
from ..sandbox import break_it
from ._base import error_html, traceback_html

__all__ = ["BreakIt"]


class BreakIt(w.VBox):
    """A byte offset into ``cert`` and the report of what flipping that byte breaks.

    ``fields["offset"]`` is the offset box; ``result`` the latest
    :class:`certlab.sandbox.BreakResult`.
    """

    def __init__(self, cert: x509.Certificate, *, offset: int | None = None,
                 issuer: x509.Certificate | None = None) -> None:
        super().__init__()
        self._cert, self._issuer = cert, issuer
        size = len(cert.public_bytes(serialization.Encoding.DER))
        box = w.BoundedIntText(value=size // 2 if offset is None else offset, min=0, max=size - 1,
                               description=f"byte (0–{size - 1})", continuous_update=False,
                               style={"description_width": "initial"})
        box.add_class("certlab-field-offset")
        self.fields: dict[str, w.BoundedIntText] = {"offset": box}
        self.report = w.HTML()
        self.result: Any = None
        self.error: str | None = None
        box.observe(lambda _change: self._update(), names="value")
        self._update()
        self.children = [box, self.report]
        self.add_class("certlab-break-it")

    def _update(self) -> None:
        # an observer must never fail silently nor spill a traceback (STYLE.md 6): an expected
        # error is a message, anything else is shown whole in the report
        try:
            self.result = break_it(self._cert, self.fields["offset"].value, issuer=self._issuer)
        except CertlabError as exc:
            self.error = str(exc)
            self.report.value = error_html(str(exc))
            return
        except Exception as exc:
            self.error = f"{type(exc).__name__}: {exc}"
            self.report.value = traceback_html(exc)
            return
        self.error = None
        self.report.value = self.result._repr_html_()
