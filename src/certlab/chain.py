"""Chains: build and verify a path from a leaf to a trusted root, and explain it.

``verify_chain`` hands the work to ``cryptography.x509.verification`` (the
RFC 5280 §6 path validation of pyca/cryptography, with the CA/B Forum web
profile) and turns its answer into plain words: the chain it found, or a
finding on the certificate and node the failure concerns, with the fix.  The
verifier's error strings are mapped to explanations through the table
``certlab.knowledge.findings.VERIFIER_ERRORS`` (regex -> code, text, path).
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from .der import int_text
from .errors import CertlabError
from .fields import format_time, name_text
from .findings import Finding, finding
from .knowledge.findings import FINDINGS, VERIFIER_ERRORS

__all__ = ["ChainResult", "verify_chain"]


@dataclass(frozen=True)
class ChainResult:
    """The outcome of one path validation.

    ``chain`` is the path the verifier built, leaf first, root last (empty when
    it failed); ``findings`` explain the outcome; ``concerns`` is the
    certificate a failure is about (``None`` when it cannot be told).
    """

    ok: bool
    chain: tuple[x509.Certificate, ...]
    findings: tuple[Finding, ...]
    host: str | None
    at: _dt.datetime
    concerns: x509.Certificate | None = None

    def roles(self) -> tuple[tuple[str, str], ...]:
        """``(role, subject)`` for each certificate of ``chain``, leaf first.

        Roles are ``leaf``, ``intermediate`` and ``root`` (the last one, the
        trust anchor, RFC 5280 §6.1); the subject is openssl-style text.  The
        HTML and text renderers both draw this list.
        """
        last = len(self.chain) - 1
        return tuple(
            ("leaf" if i == 0 else "root" if i == last else "intermediate", _subject_text(cert))
            for i, cert in enumerate(self.chain)
        )

    @property
    def concerns_subject(self) -> str | None:
        """The subject of the certificate a failure is about, as text, or ``None``."""
        return None if self.concerns is None else _subject_text(self.concerns)

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``certlab inspect --chain``."""
        return {
            "ok": self.ok,
            "host": self.host,
            "at": self.at.isoformat(),
            "chain": [_cert_label(c) for c in self.chain],
            "concerns": _cert_label(self.concerns) if self.concerns is not None else None,
            "findings": [f.to_json() for f in self.findings],
        }


def _subject_text(cert: x509.Certificate, *, issuer: bool = False) -> str:
    """The subject (or issuer) as text; a name cryptography cannot decode must not break a report."""
    try:
        return name_text(cert.issuer if issuer else cert.subject)
    except Exception:
        return "(undecodable name)"


def _cert_label(cert: x509.Certificate) -> dict[str, str]:
    return {"subject": _subject_text(cert), "issuer": _subject_text(cert, issuer=True),
            "not_after": format_time(cert.not_valid_after_utc), "serial": int_text(cert.serial_number)}


def _split_bundle(bundle: bytes | str) -> tuple[list[x509.Certificate], list[x509.Certificate]]:
    """A PEM bundle -> (intermediates, roots); self-signed certificates count as roots."""
    data = bundle.encode("ascii", "replace") if isinstance(bundle, str) else bundle
    try:
        certs = x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise CertlabError("bundle", "must hold PEM certificates (-----BEGIN CERTIFICATE-----)",
                           str(exc).splitlines()[0][:80]) from None
    intermediates: list[x509.Certificate] = []
    roots: list[x509.Certificate] = []
    for cert in certs:
        (roots if _self_signed(cert) else intermediates).append(cert)
    return intermediates, roots


def _self_signed(cert: x509.Certificate) -> bool:
    try:
        if cert.subject != cert.issuer:
            return False
        cert.verify_directly_issued_by(cert)
        return True
    except Exception:
        return False


def _subject_for(host: str) -> x509.verification.Subject:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


_PROCESSING = re.compile(r"encountered processing <Certificate\(subject=(?P<subject><Name\(.*?\)>)")


def _concerned(message: str, candidates: Iterable[x509.Certificate]) -> x509.Certificate | None:
    """The certificate the verifier names in its message ("encountered processing <...>")."""
    m = _PROCESSING.search(message)
    if not m:
        return None
    for cert in candidates:
        try:
            if repr(cert.subject) == m.group("subject"):
                return cert
        except Exception:
            continue
    return None


def _explain(message: str, concerns: x509.Certificate | None) -> Finding:
    """The first VERIFIER_ERRORS row whose pattern matches ``message`` -> one finding."""
    for row in VERIFIER_ERRORS:
        m = row.pattern.search(message)
        if m is None:
            continue
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        explanation = row.explanation.format(detail=message, **groups)
        who = ""
        if concerns is not None:
            try:
                who = f" (on the certificate of {name_text(concerns.subject)})"
            except Exception:
                who = ""
        text = FINDINGS["chain-error"]
        return Finding(row.code, "error", f"{explanation}{who} Verifier said: {message}",
                       text.citation, row.path, "verifier")
    raise AssertionError("VERIFIER_ERRORS ends with a catch-all row")  # pragma: no cover


def verify_chain(
    leaf: x509.Certificate,
    *,
    intermediates: Iterable[x509.Certificate] = (),
    roots: Iterable[x509.Certificate] = (),
    host: str | None = None,
    at: _dt.datetime | None = None,
    bundle: bytes | str | None = None,
) -> ChainResult:
    """Build and verify the path from ``leaf`` to one of ``roots`` at time ``at``.

    ``host`` (a DNS name or IP address) selects the server profile and checks the
    SAN; without it the client profile is used.  ``bundle`` is PEM text with any
    number of certificates: self-signed ones become roots, the others
    intermediates.  Never raises for a bad chain: the result says what failed.
    """
    if at is None:
        at = _dt.datetime.now(_dt.timezone.utc)
    elif at.tzinfo is None:
        at = at.replace(tzinfo=_dt.timezone.utc)
    inter, anchors = list(intermediates), list(roots)
    if bundle is not None:
        more_inter, more_roots = _split_bundle(bundle)
        inter += [c for c in more_inter if c != leaf]
        anchors += more_roots
    if not anchors:
        f = finding("chain-no-roots", "certificate", source="verifier")
        return ChainResult(False, (), (f,), host, at, leaf)

    builder = PolicyBuilder().store(Store(anchors)).time(at)
    try:
        if host is not None:
            verifier = builder.build_server_verifier(_subject_for(host))
            chain = verifier.verify(leaf, inter)
        else:
            chain = builder.build_client_verifier().verify(leaf, inter).chain
    except VerificationError as exc:
        message = str(exc)
        concerns = _concerned(message, [leaf, *inter, *anchors])
        return ChainResult(False, (), (_explain(message, concerns),), host, at, concerns or leaf)
    except (ValueError, TypeError) as exc:  # e.g. an unusable host name: still a plain answer
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return ChainResult(False, (), (_explain(message, None),), host, at, leaf)
    ok = finding("chain-ok", "certificate", source="verifier", length=len(chain),
                 host=f" for {host!r}" if host else "")
    return ChainResult(True, tuple(chain), (ok,), host, at, None)
