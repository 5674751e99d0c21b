"""Chains: build and verify a path from a leaf to a trusted root, and explain it.

``verify_chain`` hands the work to ``cryptography.x509.verification`` (the
RFC 5280 §6 path validation of pyca/cryptography, with the CA/B Forum web
profile) and turns its answer into plain words: the chain it found, or a
finding on the certificate and node the failure concerns, with the fix.  The
verifier's error strings are mapped to explanations through the table
``certlab.knowledge.findings.VERIFIER_ERRORS`` (phrase -> code, text, path).
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from .der import int_text
from .clock import as_utc
from .errors import CertlabError, first_line
from .fields import format_time, name_text
from .findings import Finding, finding
from .knowledge.findings import FINDINGS, VERIFIER_ERRORS, VERIFIER_UNKNOWN
from .knowledge.oids import oid_name
from .signatures import is_self_signed

__all__ = ["ChainResult", "verify_chain", "order_chain", "chain_role", "is_ca"]


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
    max_depth: int | None = None

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
            "max_depth": self.max_depth,
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
                           first_line(exc, 80)) from None
    intermediates: list[x509.Certificate] = []
    roots: list[x509.Certificate] = []
    for cert in certs:
        (roots if is_self_signed(cert) else intermediates).append(cert)
    return intermediates, roots


def _subject_for(host: str) -> x509.verification.Subject:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


_PROCESSING = " (encountered processing <Certificate(subject="
_PREFIXES = ("validation failed: ", "candidates exhausted: ", "fatal error: ")


def _reason(message: str) -> tuple[str, str | None]:
    """The verifier's reason without its wrappers, and the extension OID it names.

    ``validation failed: candidates exhausted: invalid extension: 2.5.29.33:
    certificate contains unaccounted-for critical extensions (encountered
    processing <Certificate(...)>)`` -> (``certificate contains ...``,
    ``2.5.29.33``).  Plain string operations, linear in the message: it quotes
    names an attacker chooses.
    """
    cut = message.find(_PROCESSING)
    reason = message if cut < 0 else message[:cut]
    stripped = True
    while stripped:
        stripped = False
        for prefix in _PREFIXES:
            if reason.startswith(prefix):
                reason, stripped = reason[len(prefix):], True
    oid = None
    if reason.startswith("invalid extension: "):
        head, _, rest = reason[len("invalid extension: "):].partition(": ")
        if head and all(c.isdigit() or c == "." for c in head):
            oid, reason = head, rest
    return reason, oid


def _concerned(message: str, candidates: Iterable[x509.Certificate]) -> x509.Certificate | None:
    """The certificate the verifier names in its message ("encountered processing <...>")."""
    if _PROCESSING not in message:
        return None
    for cert in candidates:
        try:
            if f"{_PROCESSING}{cert.subject!r}," in message:
                return cert
        except Exception:
            continue
    return None


def _ext(cert: x509.Certificate, oid: str) -> x509.Extension[Any] | None:
    try:
        found: x509.Extension[Any]
        for found in cert.extensions:
            if found.oid.dotted_string == oid:
                return found
    except Exception:  # extensions cryptography cannot parse: no answer here
        return None
    return None


def _is_ca(cert: x509.Certificate) -> bool:
    ext = _ext(cert, "2.5.29.19")
    return ext is not None and bool(getattr(ext.value, "ca", False))


def _issuers_of(cert: x509.Certificate, pool: list[x509.Certificate]) -> list[x509.Certificate]:
    return [c for c in pool if c.subject == cert.issuer and c is not cert]


def _bad_signature(cert: x509.Certificate, pool: list[x509.Certificate]) -> bool:
    issuers = _issuers_of(cert, pool)
    for issuer in issuers:
        try:
            cert.verify_directly_issued_by(issuer)
            return False
        except Exception:
            continue
    return bool(issuers)


def _rsa_bits(cert: x509.Certificate) -> int | None:
    try:
        key = cert.public_key()
    except Exception:
        return None
    return key.key_size if isinstance(key, rsa.RSAPublicKey) else None


def _forbidden_key(cert: x509.Certificate) -> bool:
    try:
        key = cert.public_key()
    except Exception:
        return True
    if isinstance(key, ec.EllipticCurvePublicKey):
        return key.curve.name not in ("secp256r1", "secp384r1", "secp521r1")
    return not isinstance(key, rsa.RSAPublicKey)


def _ancestors(leaf: x509.Certificate, pool: list[x509.Certificate]) -> list[x509.Certificate]:
    """The certificates of ``pool`` that could stand above ``leaf`` in a path (by issuer name), nearest first."""
    found: list[x509.Certificate] = []
    frontier = [leaf]
    while frontier:
        child = frontier.pop(0)
        for cert in pool:
            if cert is not child and cert not in found and cert.subject == child.issuer:
                found.append(cert)
                frontier.append(cert)
    return found


def _outside_validity(cert: x509.Certificate, at: _dt.datetime) -> bool:
    return not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc


# VerifierError.concerns -> the test a certificate passes when the failure is about it, used when
# the verifier's message does not name one ("candidates exhausted: ..." names none).  CA rules look
# only at the certificates that could issue the leaf's path, nearest first.
_CA_RULES: dict[str, Callable[[x509.Certificate], bool]] = {
    "ca-not-ca": lambda c: not _is_ca(c),
    "ca-without-keycertsign": lambda c: (ku := _ext(c, "2.5.29.15")) is not None
    and not getattr(ku.value, "key_cert_sign", True),
    "ca-with-path-length": lambda c: (bc := _ext(c, "2.5.29.19")) is not None
    and getattr(bc.value, "path_length", None) is not None,
}
_ANY_RULES: dict[str, Callable[[x509.Certificate], bool]] = {
    "forbidden-signature": lambda c: c.signature_hash_algorithm is None
    or c.signature_hash_algorithm.name not in ("sha256", "sha384", "sha512"),
    "forbidden-key": _forbidden_key,
    "weak-key": lambda c: (_rsa_bits(c) or 4096) < 2048,
}


def _locate(rule: str, path: str, oid: str | None, leaf: x509.Certificate, intermediates: list[x509.Certificate],
            roots: list[x509.Certificate], at: _dt.datetime) -> x509.Certificate | None:
    """The certificate a failure the verifier did not place is about, or None.

    ``rule`` is the row's ``concerns``; without one, a row pinned to an extension
    (``ext:OID``) concerns the nearest certificate that carries it, and an
    expiry the nearest one outside its validity period.
    """
    above = _ancestors(leaf, [*intermediates, *roots])
    path_certs = [leaf, *above]
    want = path[4:] or oid if path.startswith("ext:") else None
    tests: list[tuple[list[x509.Certificate], Callable[[x509.Certificate], bool]]] = []
    if rule.startswith("ca-with:") or rule.startswith("ca-without:"):
        ext_oid, present = rule.split(":", 1)[1], rule.startswith("ca-with:")
        tests.append((above, lambda c: (_ext(c, ext_oid) is not None) == present))
    elif rule in _CA_RULES:
        tests.append((above, _CA_RULES[rule]))
    elif rule in _ANY_RULES:
        tests.append((path_certs, _ANY_RULES[rule]))
    elif rule == "bad-signature":
        pool = [*intermediates, *roots]
        tests.append(([leaf, *[c for c in above if c not in roots]], lambda c: _bad_signature(c, pool)))
    if path == "validity:":
        tests.append((path_certs, lambda c: _outside_validity(c, at)))
    if want:
        tests.append((path_certs, lambda c: _ext(c, want) is not None))
    for certs, test in tests:
        for cert in certs:
            try:
                if test(cert):
                    return cert
            except Exception:
                continue
    return None


def _pin(path: str, cert: x509.Certificate | None, oid: str | None, at: _dt.datetime) -> str:
    """A row's path made concrete for the certificate concerned (see ``VerifierError.path``)."""
    if path.startswith("ext:"):
        want = path[4:] or oid
        exts = "certificate.tbsCertificate.extensions"
        if cert is None or not want:
            return exts
        try:
            for i, ext in enumerate(cert.extensions):
                if ext.oid.dotted_string == want:
                    return f"{exts}.{i}"
        except Exception:
            return exts
        return exts
    if path == "validity:":
        validity = "certificate.tbsCertificate.validity"
        if cert is None:
            return validity
        return f"{validity}.notBefore" if at < cert.not_valid_before_utc else f"{validity}.notAfter"
    return path


def _explain(message: str, leaf: x509.Certificate, intermediates: list[x509.Certificate],
             roots: list[x509.Certificate], at: _dt.datetime) -> tuple[Finding, x509.Certificate]:
    """The first VERIFIER_ERRORS row whose phrase is in the verifier's reason -> one finding,
    pinned to the node it concerns, and the certificate it concerns."""
    reason, oid = _reason(message)
    row = VERIFIER_UNKNOWN
    for candidate in VERIFIER_ERRORS:
        if candidate.phrase in reason and (candidate.oid is None or candidate.oid == oid):
            row = candidate
            break
    concerns = _concerned(message, [leaf, *intermediates, *roots])
    if concerns is None:
        concerns = _locate(row.concerns, row.path, oid, leaf, intermediates, roots, at)
    concerns = concerns or leaf
    name = oid_name(oid) if oid else None
    explanation = row.explanation.format(oid=oid or "?", name=name or "an extension certlab cannot name")
    who = ""
    try:
        who = f" (on the certificate of {name_text(concerns.subject)})"
    except Exception:
        who = ""
    said = message if len(message) <= 600 else f"{message[:600]}... ({len(message)} characters)"
    text = FINDINGS["chain-error"]
    return (Finding(row.code, "error", f"{explanation}{who} Verifier said: {said}", text.citation,
                    _pin(row.path, concerns, oid, at), "verifier"), concerns)


def verify_chain(
    leaf: x509.Certificate,
    *,
    intermediates: Iterable[x509.Certificate] = (),
    roots: Iterable[x509.Certificate] = (),
    host: str | None = None,
    at: _dt.datetime | None = None,
    bundle: bytes | str | None = None,
    max_depth: int | None = None,
) -> ChainResult:
    """Build and verify the path from ``leaf`` to one of ``roots`` at time ``at``.

    ``host`` (a DNS name or IP address) selects the server profile and checks the
    SAN; without it the client profile is used.  ``bundle`` is PEM text with any
    number of certificates: self-signed ones become roots, the others
    intermediates.  ``max_depth`` bounds how many intermediates may stand between
    the leaf and the root (cryptography's ``PolicyBuilder.max_chain_depth``; its
    default is 8); a :class:`CertlabError` on ``max_depth`` if it is not 0-255.
    Never raises for a bad chain: the result says what failed.
    """
    at = as_utc(at)
    inter, anchors = list(intermediates), list(roots)
    if bundle is not None:
        more_inter, more_roots = _split_bundle(bundle)
        inter += [c for c in more_inter if c != leaf]
        anchors += more_roots
    if not anchors:
        f = finding("chain-no-roots", "certificate", source="verifier")
        return ChainResult(False, (), (f,), host, at, leaf)

    if max_depth is not None and (isinstance(max_depth, bool) or not isinstance(max_depth, int)
                                  or not 0 <= max_depth <= 255):
        raise CertlabError("max_depth", "must be a whole number from 0 to 255 (intermediates allowed "
                           "between the leaf and the root)", repr(max_depth))
    builder = PolicyBuilder().store(Store(anchors)).time(at)
    if max_depth is not None:
        builder = builder.max_chain_depth(max_depth)
    try:
        if host is not None:
            verifier = builder.build_server_verifier(_subject_for(host))
            chain = verifier.verify(leaf, inter)
        else:
            chain = builder.build_client_verifier().verify(leaf, inter).chain
    except VerificationError as exc:
        found, concerns = _explain(str(exc), leaf, inter, anchors, at)
        return ChainResult(False, (), (found,), host, at, concerns, max_depth)
    except (ValueError, TypeError) as exc:  # e.g. an unusable host name: still a plain answer
        message = first_line(exc, 10_000)
        found, _ = _explain(message, leaf, [], [], at)
        return ChainResult(False, (), (found,), host, at, leaf, max_depth)
    ok = finding("chain-ok", "certificate", source="verifier", length=len(chain),
                 host=f" for {host!r}" if host else "")
    return ChainResult(True, tuple(chain), (ok,), host, at, None, max_depth)


# --------------------------------------------------------------------------- order and roles
# (for drawing any list of certificates, verified or not: the chain picture)


def order_chain(certs: Iterable[x509.Certificate]) -> list[x509.Certificate]:
    """Root first ... leaf last, following issuer -> subject links; unlinked ones at the top."""
    pool = list(certs)
    if not pool:
        return []
    # the leaf is the one nobody else names as issuer
    leaves = [c for c in pool if not any(o is not c and o.issuer == c.subject for o in pool)]
    start = leaves[0] if leaves else pool[0]
    chain = [start]
    while True:
        parent = next((p for p in pool if p not in chain and p.subject == chain[-1].issuer), None)
        if parent is None or chain[-1].issuer == chain[-1].subject:
            break
        chain.append(parent)
    chain += [c for c in pool if c not in chain]
    return list(reversed(chain))


def is_ca(cert: x509.Certificate) -> bool:
    """Does BasicConstraints say cA = TRUE (RFC 5280 §4.2.1.9)? False when absent or undecodable."""
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except (x509.ExtensionNotFound, ValueError):
        return False


def chain_role(cert: x509.Certificate, *, last: bool) -> str:
    """What a certificate is in its chain. Being drawn last does not make a CA a leaf:
    [root, intermediate] ends at the intermediate, which says cA=TRUE (RFC 5280 §4.2.1.9)."""
    if cert.issuer == cert.subject:
        return "root (self-signed)"
    if is_ca(cert):
        return "intermediate CA"
    return "leaf" if last else "certificate"
