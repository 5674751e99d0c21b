"""``certlab.show(obj)`` and the rich display of cryptography objects.

``show(obj)`` displays the read-only views (fields with findings, the ASN.1
explorer, PEM) of any key, CSR, certificate or CRL, or of PEM/DER input.

Rich display is **opt-in**: after ``certlab.widgets.enable_rich_display()``
a cell whose value is a certificate (or CSR, CRL, key) shows these views
instead of ``<Certificate(...)>``.  Opt-in because importing a library should
not change how every other notebook cell displays; the shipped notebooks
call it in their first cell.  ``disable_rich_display()`` undoes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..load import Loaded
    from ..types import Inspectable

import ipywidgets as w

from ..load import kind_of
from .views import Views

__all__ = ["ObjectView", "show", "enable_rich_display", "disable_rich_display"]


class ObjectView(w.VBox):
    """The read-only views of one object (what :func:`show` displays)."""

    def __init__(self, obj: Any, *, pkilint: bool = True) -> None:
        super().__init__()
        if isinstance(obj, (str, bytes, bytearray, memoryview)) or kind_of(obj) == "unknown":
            from .inspector import Inspector

            inspector = Inspector(obj, pkilint=pkilint)
            self.views = inspector.views
            self.result = inspector.result
            self.error = inspector.error
            self.children = [inspector]
        else:
            self.views = Views(panes=("fields", "asn1", "pem"), pkilint=pkilint)
            self.views.render(obj)
            self.result = obj
            self.error = None
            self.children = [self.views]
        self.fields: dict[str, w.Widget] = {}
        self.spec = None
        self.add_class("certlab-object-view")


def show(obj: Inspectable | Loaded, *, pkilint: bool = True) -> None:
    """Display the views of ``obj`` in the notebook (plain Python: prints a summary)."""
    from IPython.display import display

    display(ObjectView(obj, pkilint=pkilint))  # type: ignore[no-untyped-call]


def _concrete_classes() -> list[type]:
    """The classes of real cryptography objects.

    The key ABCs (``rsa.RSAPrivateKey`` ...) only *register* the Rust classes,
    and IPython looks formatters up along the MRO, so the Rust classes are named.
    """
    from cryptography import x509
    from cryptography.hazmat.bindings._rust import openssl as rust

    out: list[type] = [x509.Certificate, x509.CertificateSigningRequest, x509.CertificateRevocationList]
    for module, names in _RUST_KEY_CLASSES:
        for name in names:
            cls = getattr(getattr(rust, module, None), name, None)
            if isinstance(cls, type):
                out.append(cls)
    return list(dict.fromkeys(out))


# (Rust binding module, key classes) of cryptography >= 42; missing ones are skipped
_RUST_KEY_CLASSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rsa", ("RSAPrivateKey", "RSAPublicKey")),
    ("ec", ("ECPrivateKey", "ECPublicKey")),
    ("ed25519", ("Ed25519PrivateKey", "Ed25519PublicKey")),
    ("ed448", ("Ed448PrivateKey", "Ed448PublicKey")),
    ("mldsa", ("MLDSA44PrivateKey", "MLDSA65PrivateKey", "MLDSA87PrivateKey",
               "MLDSA44PublicKey", "MLDSA65PublicKey", "MLDSA87PublicKey")),
)


def _formatter() -> Any:
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return None
    return shell.display_formatter.mimebundle_formatter


def _bundle(obj: Any, include: Any = None, exclude: Any = None) -> Any:
    return ObjectView(obj)._repr_mimebundle_(include=include, exclude=exclude)


def enable_rich_display() -> bool:
    """Show cryptography objects with certlab's views; False outside IPython."""
    formatter = _formatter()
    if formatter is None:
        return False
    for cls in _concrete_classes():
        formatter.for_type(cls, _bundle)
    return True


def disable_rich_display() -> None:
    """Undo :func:`enable_rich_display`."""
    formatter = _formatter()
    if formatter is None:
        return
    for cls in _concrete_classes():
        formatter.type_printers.pop(cls, None)
