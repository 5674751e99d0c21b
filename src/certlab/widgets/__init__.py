"""certlab's ipywidgets forms: thin layers over the pure core.

* :class:`CertificateLab` (``mode="csr" | "self-signed" | "ca-signed"``):
  key, subject, SANs, validity, extensions -> live views;
* :class:`Inspector`: paste, upload or pass an object -> the same views;
* :class:`Compare`: two objects side by side, differences marked;
* :class:`BreakIt`: notebook 04's sandbox, flip one byte and see what breaks;
* :class:`AcmeFlow`: notebook 07's ACME order against a local pebble, drawn as a state machine;
* :class:`MysteryServer`: notebook 08's exercise, a random broken server to diagnose;
* :func:`show`: the read-only views of any key, CSR, certificate or CRL;
  :func:`enable_rich_display` makes them the notebook display of those objects.

Every form exposes ``fields`` (input widgets by form field name), ``result``,
``error`` and ``spec``; setting a field's ``value`` updates ``result``
synchronously, with or without a browser.
"""

from __future__ import annotations

from .acme import AcmeFlow
from .compare import Compare
from .extensions import ExtensionsForm, ValidityForm
from .inspector import Inspector
from .key import KeyPanel
from .lab import CertificateLab
from .mystery import MysteryServer
from .sandbox import BreakIt
from .sans import SanList
from .show import ObjectView, disable_rich_display, enable_rich_display, show
from .subject import SubjectForm
from .views import Views

__all__ = [
    "AcmeFlow",
    "BreakIt",
    "CertificateLab",
    "Compare",
    "ExtensionsForm",
    "Inspector",
    "KeyPanel",
    "MysteryServer",
    "ObjectView",
    "SanList",
    "SubjectForm",
    "ValidityForm",
    "Views",
    "disable_rich_display",
    "enable_rich_display",
    "show",
]
