"""After issuance: revoke certificates, publish CRLs, answer OCSP, and check both as a client.

The teaching CA (:class:`certlab.build.TeachingCA`) keeps which certificates
it issued and which it revoked; this module turns that state into

* **CRLs** (RFC 5280 §5): CRL number, thisUpdate / nextUpdate, one entry per
  revoked serial with its date and reason, signed by the issuing CA;
* an **OCSP responder** (RFC 6960): parses a DER OCSPRequest, answers good /
  revoked / unknown for the CertID it was asked about, signed by the CA itself
  or by a *delegated responder* (a certificate the CA issued with the
  OCSPSigning EKU, RFC 6960 §4.2.2.2), and echoes the request's nonce; a
  request it cannot parse gets ``malformedRequest`` (§2.3), never a crash;
* a tiny **HTTP service** on a free 127.0.0.1 port that serves the CRLs, the CA
  certificates (for the AIA caIssuers URL) and the responder (POST, and GET with
  the base64 request in the path, RFC 6960 Appendix A.1).

On the client side, :func:`check` fetches the CRL and asks the responder a
certificate names (CRL Distribution Points, Authority Information Access),
verifies what comes back (signature, who signed it, freshness, the nonce) and
explains each outcome pinned to the node it comes from: the CRL entry
(``certificateList.tbsCertList.revokedCertificates.N``) or the OCSP certStatus.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import html
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from .der import read_header
from .errors import CertlabError, first_line
from .fields import format_time, name_text
from .servers import HOST, Lifecycle
from .signatures import is_self_signed
from .knowledge.revocation import CHECKS, FRESHNESS, OUTCOMES, REASONS

if TYPE_CHECKING:  # pragma: no cover
    from .build import TeachingCA

__all__ = [
    "REASONS",
    "RevocationService",
    "RevocationOutcome",
    "RevocationReport",
    "build_crl",
    "check",
    "ocsp_answer",
    "revocation_extensions",
    "revoke",
]

CRL_VALID = _dt.timedelta(days=1)  # nextUpdate - thisUpdate (BR §4.9.7 allows up to 10 days)
OCSP_VALID = _dt.timedelta(hours=12)  # nextUpdate - thisUpdate of an OCSP answer (BR §4.9.10: 8 hours to 10 days)
CLOCK_SKEW = _dt.timedelta(minutes=5)  # tolerated between responder and client
# certlab's policy, no RFC's: how old an OCSP answer without nextUpdate may be ("sufficiently recent",
# RFC 6960 §3.2 (5)); such answers come from responders that sign on demand, so thisUpdate is about now
OCSP_NO_NEXT_UPDATE_MAX_AGE = _dt.timedelta(hours=1)
_IO_TIMEOUT = 5.0
_MAX_BODY = 64 * 1024  # an OCSP request is a few hundred bytes; refuse floods
_MAX_CRL = 8 * 1024 * 1024


# --------------------------------------------------------------------------- CA side


def _slot(issuer: x509.Certificate, ca: TeachingCA) -> str:
    """The URL name of one of the CA's certificates: ``root`` or ``intermediate``."""
    return "root" if issuer == ca.root else "intermediate"


def revocation_extensions(base: str, issuer: x509.Certificate, root: x509.Certificate) -> list[x509.ExtensionType]:
    """CRL Distribution Points + Authority Information Access for a certificate ``issuer`` signs.

    The CRL and caIssuers URLs name the issuing CA (``/intermediate.crl``,
    ``/intermediate.cer``); OCSP is one URL for every issuer (the request says
    which, RFC 6960 §4.1.1).  RFC 5280 §4.2.1.13 and §4.2.2.1: both non-critical.
    """
    name = "root" if issuer == root else "intermediate"
    cdp = x509.CRLDistributionPoints(
        [x509.DistributionPoint([x509.UniformResourceIdentifier(f"{base}/{name}.crl")], None, None, None)]
    )
    aia = x509.AuthorityInformationAccess(
        [
            x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(f"{base}/ocsp")),
            x509.AccessDescription(
                AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(f"{base}/{name}.cer")
            ),
        ]
    )
    return [cdp, aia]


def _key_of(ca: TeachingCA, cert: x509.Certificate) -> tuple[bytes, int]:
    return (cert.issuer.public_bytes(), cert.serial_number)


def _reason_name(reason: object) -> str:
    if isinstance(reason, x509.ReasonFlags):
        reason = reason.name
    if not isinstance(reason, str):
        raise CertlabError("reason", "must be a reason name such as 'key_compromise'", type(reason).__name__)
    name = reason.strip()
    for key, row in REASONS.items():  # accept the wire name (keyCompromise) as well
        if name in (key, row.wire):
            return key
    raise CertlabError(
        "reason", "must be one of the RFC 5280 §5.3.1 reasons: " + ", ".join(REASONS), reason
    )


def revoke(ca: TeachingCA, cert: x509.Certificate, reason: object = "unspecified", *, at: _dt.datetime) -> None:
    """Record that ``cert`` (issued by ``ca``) is revoked from ``at`` for ``reason``."""
    if not isinstance(cert, x509.Certificate):
        raise CertlabError("cert", "must be a certificate", type(cert).__name__)
    name = _reason_name(reason)
    key = _key_of(ca, cert)
    known = key in ca._issued or (ca.intermediate is not None and cert == ca.intermediate)
    if not known:
        raise CertlabError("cert", "was not issued by this teaching CA, so it cannot revoke it",
                           _subject(cert))
    if key in ca._revoked:
        when, old = ca._revoked[key]
        raise CertlabError("cert", f"is already revoked (since {format_time(when)}, reason {REASONS[old].wire})",
                           _subject(cert))
    ca._revoked[key] = (at.replace(microsecond=0), name)


def _subject(cert: x509.Certificate) -> str:
    try:
        return name_text(cert.subject)
    except Exception:  # noqa: BLE001 - an undecodable name must not break a message
        return "(undecodable name)"


def _sign_hash(key: object) -> hashes.HashAlgorithm | None:
    # Ed25519 / Ed448 hash inside the scheme (RFC 8410): cryptography wants None
    return None if isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)) else hashes.SHA256()


def build_crl(ca: TeachingCA, issuer: x509.Certificate, *, now: _dt.datetime) -> x509.CertificateRevocationList:
    """A new CRL of ``issuer`` (the root or the intermediate of ``ca``) with the next CRL number.

    RFC 5280 §5.2.3: the CRL number increases with every CRL; §5.2.1: the AKI
    names the signing key; §5.3.1: the reason code is left out for
    ``unspecified``.  thisUpdate is ``now``, nextUpdate one day later.
    """
    key = ca._signing_key(issuer)
    name_der = issuer.subject.public_bytes()
    number = ca._crl_numbers.get(name_der, 0) + 1
    ca._crl_numbers[name_der] = number
    now = now.replace(microsecond=0)
    ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(now)
        .next_update(now + CRL_VALID)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
    )
    for (issuer_der, serial), (when, reason) in sorted(ca._revoked.items(), key=lambda kv: kv[1][0]):
        if issuer_der != name_der:
            continue
        entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when)
        if reason != "unspecified":
            entry = entry.add_extension(x509.CRLReason(x509.ReasonFlags[reason]), critical=False)
        builder = builder.add_revoked_certificate(entry.build())
    return builder.sign(key, _sign_hash(key))  # type: ignore[arg-type]


def _tlv(data: bytes, offset: int) -> tuple[int, int, int]:
    """(tag, content start, end) of the DER element at ``offset`` (our own DER, definite lengths)."""
    header, error = read_header(data, offset)
    if header is None or header.end is None:
        raise ValueError(error.message if error is not None else "indefinite length in DER")
    return header.identifier[0], header.content_offset, header.end


def _public_key_bits(cert: x509.Certificate) -> bytes:
    """The subjectPublicKey BIT STRING's bits: what RFC 6960 §4.1.1 issuerKeyHash hashes."""
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    _, start, _ = _tlv(spki, 0)  # SubjectPublicKeyInfo SEQUENCE
    _, _, alg_end = _tlv(spki, start)  # AlgorithmIdentifier
    _, bits_start, bits_end = _tlv(spki, alg_end)  # BIT STRING
    return spki[bits_start + 1:bits_end]  # skip the unused-bits octet


_HASHLIB = {"sha1": "sha1", "sha224": "sha224", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}


def _cert_id_hashes(cert: x509.Certificate, algorithm: hashes.HashAlgorithm) -> tuple[bytes, bytes] | None:
    name = _HASHLIB.get(algorithm.name)
    if name is None:
        return None
    return (hashlib.new(name, cert.subject.public_bytes()).digest(),
            hashlib.new(name, _public_key_bits(cert)).digest())


@dataclass
class _Responder:
    """Who signs OCSP answers for one issuing CA: the CA itself or a delegated certificate."""

    cert: x509.Certificate
    key: Any
    delegated: bool


def _delegated_responder(ca: TeachingCA, issuer: x509.Certificate, now: _dt.datetime) -> _Responder:
    """A responder certificate ``issuer`` signs: OCSPSigning EKU and id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1)."""
    key = ec.generate_private_key(ec.SECP256R1())
    start = now - _dt.timedelta(hours=1)
    end = min(now + _dt.timedelta(days=30), issuer.not_valid_after_utc)
    ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    issuer_cn = issuer.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    cn = ("OCSP responder of " + (str(issuer_cn[0].value) if issuer_cn else "certlab"))[:64]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certlab"),
                                 x509.NameAttribute(NameOID.COMMON_NAME, str(cn))]))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
        .add_extension(x509.OCSPNoCheck(), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
    )
    signing_key = ca._signing_key(issuer)
    signed = cert.sign(signing_key, _sign_hash(signing_key))  # type: ignore[arg-type]
    ca._issued[_key_of(ca, signed)] = signed
    return _Responder(signed, key, True)


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)


def ocsp_answer(ca: TeachingCA, request_der: bytes, *, now: _dt.datetime | None = None,
                responders: dict[bytes, _Responder] | None = None, delegated: bool = False) -> bytes:
    """The DER OCSPResponse for one DER OCSPRequest (RFC 6960 §4.2). Never raises.

    Bad bytes -> ``malformedRequest``; a CertID for an issuer this CA does not
    run -> ``unauthorized`` (§2.3); a serial it never issued -> ``unknown``.
    One certificate per request, as browsers and ``openssl ocsp -cert`` send
    it: a request listing several (RFC 6960 allows it) is answered
    ``malformedRequest``, because cryptography parses and builds single ones.
    """
    now = (now or _dt.datetime.now(_dt.timezone.utc)).replace(microsecond=0)
    try:
        request = ocsp.load_der_ocsp_request(bytes(request_der))
        algorithm = request.hash_algorithm
        name_hash, key_hash, serial = request.issuer_name_hash, request.issuer_key_hash, request.serial_number
        nonce = _nonce_of(request.extensions)
    except Exception:  # noqa: BLE001 - cryptography raises ValueError (and others) for bad input
        return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    issuer = None
    for candidate in ca.chain:
        if _cert_id_hashes(candidate, algorithm) == (name_hash, key_hash):
            issuer = candidate
            break
    if issuer is None:
        return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    responders = responders if responders is not None else {}
    slot = issuer.subject.public_bytes()
    responder = responders.get(slot)
    if responder is None:
        responder = (_delegated_responder(ca, issuer, now) if delegated
                     else _Responder(issuer, ca._signing_key(issuer), False))
        responders[slot] = responder
    key = (slot, serial)
    revoked = ca._revoked.get(key)
    if revoked is not None:
        status, when, reason = ocsp.OCSPCertStatus.REVOKED, revoked[0], revoked[1]
    elif key in ca._issued or (issuer == ca.root and ca.intermediate is not None
                               and serial == ca.intermediate.serial_number):
        status, when, reason = ocsp.OCSPCertStatus.GOOD, None, None
    else:
        status, when, reason = ocsp.OCSPCertStatus.UNKNOWN, None, None
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        issuer_name_hash=name_hash, issuer_key_hash=key_hash, serial_number=serial, algorithm=algorithm,
        cert_status=status, this_update=now, next_update=now + OCSP_VALID, revocation_time=when,
        revocation_reason=(None if reason in (None, "unspecified") else x509.ReasonFlags[reason]),
    )
    # RFC 6960 §4.2.2.3: byKey (the SHA-1 of the responder's key) identifies the signer
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, responder.cert)
    if responder.delegated:
        builder = builder.certificates([responder.cert])  # so the client can check who signed
    if nonce is not None and 1 <= len(nonce) <= 128:  # RFC 9654 (which obsoletes RFC 8954) bounds the nonce to 1..128 octets
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    try:
        return builder.sign(responder.key, _sign_hash(responder.key)).public_bytes(serialization.Encoding.DER)
    except Exception:  # noqa: BLE001 - e.g. an unsupported hash in the CertID: still an OCSP answer
        return _unsuccessful(ocsp.OCSPResponseStatus.INTERNAL_ERROR)


def _nonce_of(extensions: x509.Extensions) -> bytes | None:
    try:
        return extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    except x509.ExtensionNotFound:
        return None


# --------------------------------------------------------------------------- the HTTP service


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    protocol_version = "HTTP/1.0"

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        service = self.server.service
        path = urllib.parse.urlsplit(self.path).path
        service.requests.append(f"GET {path[:80]}")
        ca = service.ca
        certs = {"root": ca.root, "intermediate": ca.intermediate}
        stem, _, ext = path.lstrip("/").partition(".")
        if path.startswith("/ocsp/"):
            # RFC 6960 §A.1: GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}
            try:
                der = base64.b64decode(urllib.parse.unquote(path[len("/ocsp/"):]), validate=True)
            except (ValueError, TypeError):
                der = b""
            self._send(200, service.answer(der), "application/ocsp-response")
        elif ext == "crl" and certs.get(stem) is not None:
            crl = ca.crl(certs[stem])
            self._send(200, crl.public_bytes(serialization.Encoding.DER), "application/pkix-crl")
        elif ext == "cer" and certs.get(stem) is not None:
            cert = certs[stem]
            assert cert is not None
            self._send(200, cert.public_bytes(serialization.Encoding.DER), "application/pkix-cert")
        else:
            self._send(404, b"not found\n", "text/plain")

    def do_POST(self) -> None:  # noqa: N802
        service = self.server.service
        service.requests.append(f"POST {self.path[:80]}")
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= _MAX_BODY:
            body = b""
        else:
            body = self.rfile.read(length)
        self._send(200, service.answer(body), "application/ocsp-response")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet in notebooks
        return


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    service: RevocationService

    def finish_request(self, request: Any, client_address: Any) -> None:
        request.settimeout(_IO_TIMEOUT)
        super().finish_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        self.service.requests.append("connection error")


@dataclass(eq=False)
class RevocationService:
    """The CA's CRL, certificate and OCSP service on ``http://127.0.0.1:PORT`` (made by ``TeachingCA.serve_revocation``).

    ``requests`` lists what clients asked for (``GET /intermediate.crl``,
    ``POST /ocsp``). Stop it with :meth:`stop`, a ``with`` block, or let it stop
    itself after ``lifetime`` seconds or when Python exits.
    """

    ca: TeachingCA
    port: int
    delegated: bool
    requests: list[str] = field(default_factory=list)
    _server: _HttpServer | None = field(default=None, repr=False)
    _life: Lifecycle | None = field(default=None, repr=False)
    _responders: dict[bytes, _Responder] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def start(cls, ca: TeachingCA, *, responder: str = "ca", lifetime: float = 3600.0) -> RevocationService:
        if responder not in ("ca", "delegated"):
            raise CertlabError("responder", "must be 'ca' or 'delegated'", responder)
        if ca._revocation_base is not None:
            raise CertlabError("ca", "already has a running revocation service", ca._revocation_base)
        server = _HttpServer((HOST, 0), _Handler)
        service = cls(ca=ca, port=server.server_address[1], delegated=responder == "delegated", _server=server)
        server.service = service
        # certlab.servers stops it at stop(), after lifetime, at exit or on SIGTERM (its thread
        # keeps it alive: a service nobody kept still answers for the certificates naming it)
        life = service._life = Lifecycle(service, f"revocation-{service.port}", lifetime=lifetime)
        base = service.base_url

        def forget() -> None:  # the CA's next certificates no longer point at a dead service
            if ca._revocation_base == base:
                ca._revocation_base = None

        life.on_stop(forget)
        life.on_stop(server.server_close)
        life.serve(server, "revocation", poll_interval=0.1)
        ca._revocation_base = base
        return service

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ocsp_url(self) -> str:
        return f"{self.base_url}/ocsp"

    def crl_url(self, issuer: x509.Certificate | None = None) -> str:
        return f"{self.base_url}/{_slot(issuer or self.ca.issuer, self.ca)}.crl"

    @property
    def running(self) -> bool:
        return self._life is not None and self._life.running

    def answer(self, request_der: bytes) -> bytes:
        """The responder's DER answer to one request (what ``POST /ocsp`` returns)."""
        with self._lock:  # one responder certificate per issuer, even under concurrent requests
            return ocsp_answer(self.ca, request_der, responders=self._responders, delegated=self.delegated)

    def responder_certificate(self, issuer: x509.Certificate | None = None) -> x509.Certificate | None:
        """The delegated responder certificate for ``issuer`` once one was made (None for ``responder='ca'``)."""
        r = self._responders.get((issuer or self.ca.issuer).subject.public_bytes())
        return r.cert if r is not None and r.delegated else None

    def stop(self) -> None:
        """Stop serving and free the port (idempotent)."""
        if self._life is not None:
            self._life.stop()

    def __enter__(self) -> RevocationService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __str__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"revocation service on {self.base_url} ({state}; {len(self.requests)} request(s))"


# --------------------------------------------------------------------------- client side


@dataclass(frozen=True)
class RevocationOutcome:
    """What one method (``crl`` or ``ocsp``) said about one certificate of the chain.

    ``status`` is ``good``, ``revoked``, ``unknown``, ``error`` (fetched but not
    usable), ``not-offered`` (the certificate names no URL) or ``skipped``
    (trust anchor, no issuer).  ``checks`` lists each verification step
    ``(name, passed, detail)``; ``path`` is the node the outcome is pinned to in
    ``der`` (the CRL or the OCSP response), ``der`` the bytes fetched.
    """

    subject: str
    serial: int
    method: str
    status: str
    message: str
    fix: str
    citation: str
    url: str | None = None
    path: str | None = None
    reason: str | None = None
    revoked_at: _dt.datetime | None = None
    checks: tuple[tuple[str, bool, str], ...] = ()
    der: bytes | None = None
    kind: str | None = None  # "crl" | "ocsp-response": what ``der`` is

    def to_json(self) -> dict[str, Any]:
        return {"subject": self.subject, "serial": str(self.serial), "method": self.method,
                "status": self.status, "message": self.message, "fix": self.fix,
                "citation": self.citation, "url": self.url, "path": self.path, "reason": self.reason,
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
                "checks": [{"check": c, "ok": ok, "detail": d} for c, ok, d in self.checks]}


@dataclass(frozen=True)
class RevocationReport:
    """Every outcome of :func:`check`, leaf first. ``status`` sums them up."""

    outcomes: tuple[RevocationOutcome, ...]
    at: _dt.datetime

    @property
    def revoked(self) -> bool:
        return any(o.status == "revoked" for o in self.outcomes)

    @property
    def status(self) -> str:
        """The sum of the outcomes: ``revoked``, ``good`` or ``unknown``.

        ``revoked`` if any source says so; ``good`` if every certificate that
        names a CRL or a responder got at least one verified good answer (and
        at least one did); otherwise ``unknown`` (a browser then soft-fails:
        it goes on without knowing).
        """
        if self.revoked:
            return "revoked"
        checked: dict[tuple[str, int], bool] = {}
        for o in self.outcomes:
            if o.status in ("skipped", "not-offered"):
                continue
            k = (o.subject, o.serial)
            checked[k] = checked.get(k, False) or o.status == "good"
        return "good" if checked and all(checked.values()) else "unknown"

    def __str__(self) -> str:
        lines = [f"revocation status: {self.status} (checked {format_time(self.at)})"]
        for o in self.outcomes:
            lines.append(f"- {o.subject} [{o.method}] {o.status}: {o.message}")
            for name, ok, detail in o.checks:
                lines.append(f"    {'ok ' if ok else 'BAD'} {name}: {detail}")
            if o.status not in ("good", "skipped"):
                lines.append(f"    fix: {o.fix}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        esc = html.escape
        mark = {"good": "✔", "revoked": "✘", "skipped": "–"}
        rows = []
        for o in self.outcomes:
            checks = "".join(f"<li>{'✔' if ok else '✘'} {esc(name)}: {esc(detail)}</li>" for name, ok, detail in o.checks)
            pin = f' <small>at <code>{esc(o.path)}</code></small>' if o.path else ""
            fix = f"<p><b>Fix:</b> {esc(o.fix)}</p>" if o.status not in ("good", "skipped") else ""
            rows.append(
                f'<li class="certlab-revocation-{esc(o.status)}"><b>{mark.get(o.status, "?")} '
                f"{esc(o.method.upper())} {esc(o.status)}</b> for <code>{esc(o.subject)}</code>{pin}"
                f"<p>{esc(o.message)} <small>({esc(o.citation)})</small></p>{fix}"
                f"{'<ul>' + checks + '</ul>' if checks else ''}</li>"
            )
        return (f'<div class="certlab-revocation"><b>Revocation status: {esc(self.status)}</b>'
                f"<ul>{''.join(rows)}</ul></div>")


def _outcome(code: str, cert: x509.Certificate, method: str, status: str, **values: Any) -> RevocationOutcome:
    text = OUTCOMES[code]
    fmt = dict(values)
    return RevocationOutcome(
        subject=_subject(cert), serial=cert.serial_number, method=method, status=status,
        message=text.message.format(serial=_serial_hex(cert.serial_number), **fmt),
        fix=text.fix.format(**fmt), citation=text.citation,
        **{k: v for k, v in values.items() if k in _FIELDS},
    )


_FIELDS = {"url", "path", "reason", "revoked_at", "checks", "der", "kind"}


def _serial_hex(serial: int) -> str:
    return f"0x{serial:X}"


def _http(url: str, *, data: bytes | None = None, timeout: float, limit: int) -> bytes:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http":  # RFC 5280 §4.2.1.13 / RFC 6960 §A.1: CRLs and OCSP travel over plain HTTP
        raise CertlabError("url", "must be an http:// URL", url)
    req = urllib.request.Request(url, data=data, headers={"User-Agent": "certlab"})
    if data is not None:
        req.add_header("Content-Type", "application/ocsp-request")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
    with opener.open(req, timeout=timeout) as resp:
        body: bytes = resp.read(limit + 1)
    if len(body) > limit:
        raise CertlabError("url", f"answered more than {limit} bytes", url)
    return body


def _urls(cert: x509.Certificate) -> tuple[list[str], list[str]]:
    """(CRL URLs, OCSP URLs) the certificate names."""
    crls: list[str] = []
    ocsps: list[str] = []
    try:
        for dp in cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value:
            crls += [n.value for n in dp.full_name or () if isinstance(n, x509.UniformResourceIdentifier)]
    except x509.ExtensionNotFound:
        pass
    try:
        for ad in cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value:
            if ad.access_method == AuthorityInformationAccessOID.OCSP and isinstance(
                ad.access_location, x509.UniformResourceIdentifier
            ):
                ocsps.append(ad.access_location.value)
    except x509.ExtensionNotFound:
        pass
    return crls, ocsps


def _fresh(this_update: _dt.datetime, next_update: _dt.datetime | None, now: _dt.datetime,
           method: str) -> tuple[bool, str]:
    """Is a CRL (``method="crl"``) or an OCSP answer usable at ``now``? (ok, why), texts in knowledge.revocation.

    A CRL must name its nextUpdate (RFC 5280 §5.1.2.5). An OCSP answer may
    leave it out: newer information is then available all the time (RFC
    6960 §2.4), the answer holds for this check only, and its thisUpdate
    must be "sufficiently recent" (§3.2 (5)); how recent is certlab's
    policy (``OCSP_NO_NEXT_UPDATE_MAX_AGE``), no RFC's.
    """
    times = dict(this_update=format_time(this_update),
                 next_update=format_time(next_update) if next_update is not None else "(none)")
    if this_update > now + CLOCK_SKEW:
        return False, FRESHNESS["future"].format(**times)
    if next_update is None:
        if method == "crl":
            return False, FRESHNESS["crl-no-next-update"].format(**times)
        age = now - this_update
        if age > OCSP_NO_NEXT_UPDATE_MAX_AGE + CLOCK_SKEW:
            return False, FRESHNESS["ocsp-no-next-update-old"].format(
                age=_duration(age), limit=_duration(OCSP_NO_NEXT_UPDATE_MAX_AGE), **times)
        return True, FRESHNESS["ocsp-no-next-update"].format(**times)
    if next_update < now - CLOCK_SKEW:
        return False, FRESHNESS["stale"].format(**times)
    return True, FRESHNESS["fresh"].format(**times)


def _duration(span: _dt.timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    return f"{hours} hours" if hours < 48 else f"{hours // 24} days"


@dataclass
class _Steps:
    """One CRL or OCSP check in progress: the verification steps so far, and how it fails.

    The CRL and the OCSP paths share it: both fetch over HTTP, record each
    step as ``(name, passed, detail)`` and fail with the steps so far.
    """

    cert: x509.Certificate
    method: str  # "crl" | "ocsp"
    url: str
    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    def add(self, name: str, ok: bool, detail: str) -> bool:
        self.checks.append((name, ok, detail))
        return ok

    def error(self, detail: str, der: bytes | None = None) -> RevocationOutcome:
        kind = ("crl" if self.method == "crl" else "ocsp-response") if der else None
        return _outcome(f"{self.method}-error", self.cert, self.method, "error", url=self.url, detail=detail,
                        checks=tuple(self.checks), der=der, kind=kind)

    def fetch(self, *, timeout: float, limit: int, data: bytes | None = None) -> tuple[bytes | None, str]:
        """GET (or, with ``data``, POST an OCSP request to) the URL; (body, "") or (None, why it failed)."""
        try:
            der = _http(self.url, data=data, timeout=timeout, limit=limit)
        except (OSError, CertlabError, urllib.error.URLError) as exc:
            why = str(getattr(exc, "reason", exc))
            self.add("fetched", False, why)
            return None, f"fetching it failed ({why})"
        self.add("fetched", True, f"{len(der)} bytes")
        return der, ""


def _check_crl(cert: x509.Certificate, issuer: x509.Certificate, url: str, now: _dt.datetime,
               timeout: float) -> RevocationOutcome:
    steps = _Steps(cert, "crl", url)
    checks, error = steps.checks, steps.error
    der, failed = steps.fetch(timeout=timeout, limit=_MAX_CRL)
    if der is None:
        return error(failed)
    try:
        crl = x509.load_der_x509_crl(der)
    except ValueError:
        try:
            crl = x509.load_pem_x509_crl(der)
        except ValueError as exc:
            checks.append(("parsed", False, first_line(exc, 100)))
            return error("it is not a CRL", der)
    checks.append(("parsed", True, CHECKS["parsed"]))
    same = crl.issuer == cert.issuer
    checks.append(("issuer", same, name_text(crl.issuer)))
    if not same:
        return error("it is the CRL of another issuer", der)
    try:
        sig_ok = crl.is_signature_valid(issuer.public_key())  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - unsupported key type
        sig_ok = False
    checks.append(("signature", sig_ok, f"with the key of {_subject(issuer)}"))
    if not sig_ok:
        return error("its signature does not verify with the issuer's key", der)
    fresh, detail = _fresh(crl.last_update_utc, crl.next_update_utc, now, "crl")
    checks.append(("fresh", fresh, detail))
    if not fresh:
        return error(detail, der)
    try:
        number: int | str = crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    except x509.ExtensionNotFound:
        number = "(none)"
    values = dict(url=url, issuer=_subject(issuer), number=number, checks=tuple(checks), der=der, kind="crl")
    for index, entry in enumerate(crl):
        if entry.serial_number == cert.serial_number:
            try:
                reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason.name
            except x509.ExtensionNotFound:
                reason = "unspecified"
            return _outcome("crl-revoked", cert, "crl", "revoked", when=format_time(entry.revocation_date_utc),
                            reason=REASONS[reason].wire if reason in REASONS else reason,
                            revoked_at=entry.revocation_date_utc,
                            path=f"certificateList.tbsCertList.revokedCertificates.{index}", **values)
    # "not listed" is a fact about the whole list; an empty list is left out of the DER (RFC 5280 §5.1.2.6)
    where = "certificateList.tbsCertList" + (".revokedCertificates" if len(crl) else "")
    return _outcome("crl-good", cert, "crl", "good", this_update=format_time(crl.last_update_utc),
                    next_update=format_time(crl.next_update_utc) if crl.next_update_utc else "(none)",
                    path=where, **values)


def _verify_signature(public_key: object, signature: bytes, data: bytes, algorithm: hashes.HashAlgorithm | None) -> bool:
    try:
        if isinstance(public_key, rsa.RSAPublicKey) and algorithm is not None:
            public_key.verify(signature, data, padding.PKCS1v15(), algorithm)
        elif isinstance(public_key, ec.EllipticCurvePublicKey) and algorithm is not None:
            public_key.verify(signature, data, ec.ECDSA(algorithm))
        elif isinstance(public_key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            public_key.verify(signature, data)
        else:
            return False
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


def _ocsp_signer(response: ocsp.OCSPResponse, issuer: x509.Certificate) -> tuple[x509.Certificate | None, str]:
    """Who signed ``response``: the issuer, an authorised delegated responder, or nobody we may trust."""
    def is_signer(cert: x509.Certificate) -> bool:
        if response.responder_key_hash is not None:
            return x509.SubjectKeyIdentifier.from_public_key(cert.public_key()).digest == response.responder_key_hash
        return response.responder_name == cert.subject

    if is_signer(issuer):
        return issuer, f"the issuer itself ({_subject(issuer)})"
    for cert in response.certificates:
        if not is_signer(cert):
            continue
        try:
            cert.verify_directly_issued_by(issuer)
        except Exception:  # noqa: BLE001
            return None, f"{_subject(cert)}, which the issuer did not sign"
        try:
            ekus = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except x509.ExtensionNotFound:
            ekus = x509.ExtendedKeyUsage([])
        if ExtendedKeyUsageOID.OCSP_SIGNING not in ekus:
            return None, f"{_subject(cert)}, issued by the issuer but without the OCSPSigning EKU"
        return cert, f"delegated responder {_subject(cert)} (issued by the issuer, OCSPSigning EKU)"
    return None, "a key that is neither the issuer's nor a responder certificate sent with the answer"


# the certStatus CHOICE alternative of the (single) answer, as certlab.explorer names OCSP responses
_OCSP_STATUS_PATH = "oCSPResponse.responseBytes.response.basicOCSPResponse.tbsResponseData.responses.0.certStatus"


def _check_ocsp(cert: x509.Certificate, issuer: x509.Certificate, url: str, now: _dt.datetime,
                timeout: float, use_nonce: bool) -> RevocationOutcome:
    steps = _Steps(cert, "ocsp", url)
    checks, error = steps.checks, steps.error
    builder = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1())  # SHA-1 CertIDs: what every responder knows (RFC 5019 §2.1.1)
    nonce = secrets.token_bytes(16) if use_nonce else None
    if nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    request = builder.build().public_bytes(serialization.Encoding.DER)
    der, failed = steps.fetch(data=request, timeout=timeout, limit=_MAX_BODY)
    if der is None:
        return error(failed)
    try:
        response = ocsp.load_der_ocsp_response(der)
    except ValueError as exc:
        checks.append(("parsed", False, first_line(exc, 100)))
        return error("the answer is not an OCSP response", der)
    checks.append(("parsed", True, CHECKS["parsed"]))
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        checks.append(("status", False, response.response_status.name))
        return error(f"responseStatus is {response.response_status.name} (RFC 6960 §2.3)", der)
    checks.append(("status", True, "successful"))
    signer, who = _ocsp_signer(response, issuer)
    checks.append(("authorised", signer is not None, who))
    if signer is None:
        return error(f"it was signed by {who}", der)
    sig_ok = _verify_signature(signer.public_key(), response.signature, response.tbs_response_bytes,
                               response.signature_hash_algorithm)
    checks.append(("signature", sig_ok, f"with the key of {_subject(signer)}"))
    if not sig_ok:
        return error("its signature does not verify", der)
    expected = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1()).build()
    single = next(iter(response.responses))
    matches = (single.serial_number == cert.serial_number and single.issuer_key_hash == expected.issuer_key_hash
               and single.issuer_name_hash == expected.issuer_name_hash)
    checks.append(("matches", matches, f"serial {_serial_hex(single.serial_number)}"))
    if not matches:
        return error("the answer is about another certificate", der)
    fresh, detail = _fresh(single.this_update_utc, single.next_update_utc, now, "ocsp")
    checks.append(("fresh", fresh, detail))
    if not fresh:
        return error(detail, der)
    if nonce is not None:
        echoed = _nonce_of(response.extensions)
        if echoed is None:
            checks.append(("nonce", False, "not echoed: the answer may be a pre-signed or replayed one"))
        else:
            checks.append(("nonce", echoed == nonce, "echoed" if echoed == nonce else "differs from the one sent"))
            if echoed != nonce:
                return error("the nonce in the answer is not the one sent: a replayed answer?", der)
    status = single.certificate_status
    alternative = {ocsp.OCSPCertStatus.GOOD: "good", ocsp.OCSPCertStatus.REVOKED: "revoked"}.get(status, "unknown")
    values = dict(url=url, signer=who, checks=tuple(checks), der=der, kind="ocsp-response",
                  path=f"{_OCSP_STATUS_PATH}.{alternative}")
    if status == ocsp.OCSPCertStatus.REVOKED:
        reason = single.revocation_reason.name if single.revocation_reason is not None else "unspecified"
        when = single.revocation_time_utc
        return _outcome("ocsp-revoked", cert, "ocsp", "revoked", when=format_time(when) if when else "?",
                        reason=REASONS[reason].wire if reason in REASONS else reason, revoked_at=when, **values)
    if status == ocsp.OCSPCertStatus.UNKNOWN:
        return _outcome("ocsp-unknown", cert, "ocsp", "unknown", **values)
    return _outcome("ocsp-good", cert, "ocsp", "good", this_update=format_time(single.this_update_utc),
                    next_update=format_time(single.next_update_utc) if single.next_update_utc else "(none)", **values)


def check(chain: Sequence[x509.Certificate], *, now: _dt.datetime | None = None, methods: Sequence[str] = ("crl", "ocsp"),
          nonce: bool = True, timeout: float = _IO_TIMEOUT) -> RevocationReport:
    """Check every certificate of ``chain`` (leaf first, each followed by its issuer) for revocation.

    For each certificate but a self-signed trust anchor: fetch the CRL its CRL
    Distribution Points name and ask the OCSP responder its AIA names, verify
    what comes back against the next certificate of the chain (the issuer),
    and explain the outcome.  Never raises for a network or protocol failure.
    """
    chain = list(chain)
    if not chain or not all(isinstance(c, x509.Certificate) for c in chain):
        raise CertlabError("chain", "must be a non-empty list of certificates, leaf first", repr(chain)[:60])
    bad = [m for m in methods if m not in ("crl", "ocsp")]
    if bad:
        raise CertlabError("methods", "must name 'crl' and/or 'ocsp'", bad[0])
    at = now or _dt.datetime.now(_dt.timezone.utc)
    outcomes: list[RevocationOutcome] = []
    for i, cert in enumerate(chain):
        if is_self_signed(cert):
            outcomes.append(_outcome("trust-anchor", cert, "-", "skipped"))
            continue
        if i + 1 >= len(chain):
            outcomes.append(_outcome("no-issuer", cert, "-", "skipped"))
            continue
        issuer = chain[i + 1]
        crls, ocsps = _urls(cert)
        if "crl" in methods:
            if crls:
                outcomes.append(_check_crl(cert, issuer, crls[0], at, timeout))
            else:
                outcomes.append(_outcome("not-offered", cert, "crl", "not-offered", what="CRL Distribution Points",
                                         ext="a CRL Distribution Points extension"))
        if "ocsp" in methods:
            if ocsps:
                outcomes.append(_check_ocsp(cert, issuer, ocsps[0], at, timeout, nonce))
            else:
                outcomes.append(_outcome("not-offered", cert, "ocsp", "not-offered", what="OCSP responder",
                                         ext="an Authority Information Access extension with an OCSP URL"))
    return RevocationReport(tuple(outcomes), at)
