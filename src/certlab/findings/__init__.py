"""Findings: what is wrong (or worth knowing) about a certificate, CSR, CRL or key.

Each :class:`Finding` has a stable ``code``, a ``severity`` (``"info"``,
``"warning"``, ``"error"``), a plain-language ``message`` that says why it
matters and what to do, a ``citation`` and the ``path`` of the ASN.1 node it is
about, in pkilint's ``node_path`` style, so a view can pin it to the bytes.

Two sources: our own checks (texts in :mod:`certlab.knowledge.findings`) and
DigiCert's pkilint (RFC 5280 validators, plus the CA/B Forum TLS profile when
the certificate claims to be for TLS).  pkilint's validators are expensive to
build, so they are built once per process; a failure inside pkilint becomes one
``pkilint-error`` finding and never an exception.

The CA/B Forum profile is the heavy part: importing ``pkilint.cabf.serverauth``
pulls in pkilint's ETSI modules, the ISO 639 language tables and a public
suffix list (about ``CABF_MEMORY_MB`` = 11 MB of kernel memory, once per kernel, and a class of 30
on one JupyterHub node pays it 30 times).  So ``find(..., cabf=False)`` skips
it (the live lab does, and offers a button); ``cabf=None`` ("auto") runs it for
a certificate that claims TLS use (:func:`cabf_applies`), as for a real
certificate pasted into the inspector.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from typing import TYPE_CHECKING

from cryptography import x509

from ..clock import as_utc

from .checks import _CHECKS, _key_findings, max_validity_days
from .model import SEVERITIES, Finding, finding
from ..knowledge.findings import CABF_MEMORY_MB
from .pkilint_adapter import _pkilint_findings, cabf_applies

if TYPE_CHECKING:
    from ..load import Loaded
    from ..types import Inspectable

__all__ = ["CABF_MEMORY_MB", "Finding", "cabf_applies", "find", "finding", "max_validity_days", "SEVERITIES"]

_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def find(
    obj: Inspectable | Loaded, *, at: _dt.datetime | None = None, pkilint: bool = True, cabf: bool | None = None
) -> list[Finding]:
    """All findings about ``obj``, errors first.

    ``obj`` is a certificate, CSR, CRL or key (or a ``certlab.load`` result).
    ``at`` is the moment validity is judged at (default: now, UTC; naive means UTC).
    ``pkilint=False`` skips DigiCert's pkilint (a few milliseconds per certificate
    once its validators are built; the first call builds them).
    ``cabf`` picks pkilint's profile for a certificate: ``None`` (auto) adds the
    CA/B Forum TLS profile when :func:`cabf_applies`; ``False`` keeps to RFC 5280
    (and never imports ``pkilint.cabf``, see the module docstring); ``True``
    asks for it, which still only applies to certificates that claim TLS use:
    the profile's rules are about TLS subscriber and CA certificates.
    """
    obj = getattr(obj, "obj", obj)
    at = as_utc(at)
    check = next((fn for cls, fn in _CHECKS.items() if isinstance(obj, cls)), _key_findings)
    with warnings.catch_warnings():
        # lenient parses (negative serials ...) are reported as findings instead
        warnings.simplefilter("ignore")
        out = list(check(obj, at))
        if pkilint and isinstance(obj, (x509.Certificate, x509.CertificateSigningRequest)):
            out += _pkilint_findings(obj, cabf)
    return sorted(out, key=lambda f: _ORDER.get(f.severity, len(_ORDER)))
