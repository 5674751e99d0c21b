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

Each form's module is imported when the form is first asked for (PEP 562
``__getattr__``): every notebook opens a fresh kernel, and a class of thirty
on one server paid every form's imports (the ACME client, the zoo's servers,
the sandbox) in every kernel, for the one or two forms a notebook uses.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# ``show`` is both a submodule and the function it defines: imported here, so
# ``certlab.widgets.show`` is always the function (a lazy name would be shadowed
# by the submodule once anything imported it). The lab needs these modules anyway.
from .show import ObjectView, disable_rich_display, enable_rich_display, show
from .views import Views

# public name -> submodule that defines it (imported on first attribute access)
_LAZY: dict[str, str] = {
    "AcmeFlow": "acme",
    "BreakIt": "sandbox",
    "CertificateLab": "lab",
    "Compare": "compare",
    "ExtensionsForm": "extensions",
    "Inspector": "inspector",
    "KeyPanel": "key",
    "MysteryServer": "mystery",
    "SanList": "sans",
    "SubjectForm": "subject",
    "ValidityForm": "extensions",
}

# a literal list: type checkers read it as what the package exports (the eager names too)
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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'certlab.widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only: the lazy names' real types
    from .acme import AcmeFlow as AcmeFlow
    from .compare import Compare as Compare
    from .extensions import ExtensionsForm as ExtensionsForm, ValidityForm as ValidityForm
    from .inspector import Inspector as Inspector
    from .key import KeyPanel as KeyPanel
    from .lab import CertificateLab as CertificateLab
    from .mystery import MysteryServer as MysteryServer
    from .sandbox import BreakIt as BreakIt
    from .sans import SanList as SanList
    from .subject import SubjectForm as SubjectForm
