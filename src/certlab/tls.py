"""Step 6 of the flow: put a certificate to work in a real TLS handshake.

``serve_https`` runs a tiny HTTPS server on the loopback interface with
Python's own :mod:`ssl` (OpenSSL underneath), presenting a certificate the
learner built; ``fetch`` connects to it as a client that trusts only the roots
it is given. A handshake that fails comes back as a :class:`FetchResult` whose
``explanation`` says in plain words *why* (unknown issuer, wrong name,
expired ...) instead of a traceback, because the failure is the lesson.

Bounded on purpose: the server only listens on 127.0.0.1 by default, answers
with one small page, gives every connection a short timeout and stops by
itself after ``lifetime`` seconds even if the ``with`` block never ends (a
notebook cell may be interrupted, a class of 30 may forget to stop it).

The private key reaches OpenSSL encrypted with a one-time random password:
:meth:`ssl.SSLContext.load_cert_chain` only reads files, and we never want the
key lying around in clear text. On Linux the "files" are anonymous in-memory
files (``memfd_create``, opened through ``/proc/self/fd``), so nothing is
written to any disk or folder; elsewhere they are 0600 files in a private
temporary directory, deleted as soon as the context has loaded them.
"""

from __future__ import annotations

import html
import os
import secrets
import socket
import ssl
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes

from .errors import CertlabError
from .servers import Lifecycle

__all__ = ["HttpsServer", "FetchResult", "serve_https", "fetch"]

# Every socket operation of the server and of the client is bounded by this
# (seconds): a handshake that stalls must not hang a notebook cell.
_IO_TIMEOUT = 5.0

# OpenSSL's X509_V_ERR_* codes (include/openssl/x509_vfy.h) -> (short reason,
# explanation for a learner). Knowledge as data: add a row, not a branch.
_VERIFY_REASONS: dict[int, tuple[str, str]] = {
    2: ("unknown issuer",
        "The client followed the chain part of the way, then could not find the certificate "
        "of the next issuer up. Clients need the root in their trust store (an intermediate "
        "alone is not enough); servers must send their intermediates."),
    7: ("bad signature",
        "A signature in the chain does not verify: the certificate was changed after it was "
        "signed, or it was signed by a different key than its issuer's (RFC 5280 §6.1.3 (a)(1))."),
    9: ("not yet valid",
        "The certificate's notBefore lies in the future (RFC 5280 §4.1.2.5): check the clocks."),
    10: ("expired",
         "The certificate's notAfter has passed (RFC 5280 §4.1.2.5). It must be renewed."),
    18: ("self-signed certificate, not trusted",
         "The server presented a self-signed certificate that the client does not trust. "
         "Self-signed certificates are only trusted where they were installed as a root."),
    19: ("untrusted root in the chain",
         "The chain ends in a self-signed root that is not among the roots this client trusts."),
    20: ("unknown issuer (no trusted root)",
         "The client could not link the server's certificate to any root it trusts. Either the "
         "root is not in the client's trust store, or the server did not send the intermediate "
         "certificate that links its own certificate to that root."),
    21: ("cannot verify the first certificate",
         "The client cannot verify the server's certificate: its issuer is not trusted and no "
         "intermediate certificate was sent to bridge the gap."),
    23: ("revoked",
         "The issuer revoked the server's certificate: its serial number is on the CRL the client "
         "checked (RFC 5280 §5.3, §6.3). The server needs a new certificate and key."),
    24: ("issuer is not a CA",
         "A certificate in the chain signed another one without being allowed to: its "
         "BasicConstraints does not say cA=TRUE (RFC 5280 §4.2.1.9)."),
    25: ("path too long",
         "The chain is longer than a CA's pathLenConstraint allows (RFC 5280 §4.2.1.9)."),
    26: ("wrong purpose",
         "A certificate's Extended Key Usage does not allow TLS server authentication "
         "(RFC 5280 §4.2.1.12)."),
    47: ("name constraints violated",
         "A CA in the chain may only issue for some names (Name Constraints), and the server's "
         "certificate names one outside them (RFC 5280 §4.2.1.10)."),
    62: ("hostname mismatch",
         "The certificate is valid, but not for the name the client asked for: none of its "
         "subjectAltName DNS names matches (RFC 9525 §6.3; OpenSSL, like today's browsers, "
         "does not fall back to the Common Name when the certificate has DNS names)."),
    64: ("IP address mismatch",
         "The certificate does not list the IP address the client connected to in its "
         "subjectAltName iPAddress entries (RFC 2818 §3.1; RFC 9525 §6.4; RFC 6125 left IP "
         "addresses out)."),
    66: ("key too weak",
         "The server's certificate key is smaller than the client's security level accepts "
         "(OpenSSL level 2: RSA of at least 2048 bits; CA/B Forum BR §6.1.5)."),
    68: ("weak signature hash",
         "A CA's signature in the chain uses a hash the client no longer accepts, such as SHA-1 "
         "(CA/B Forum BR §7.1.3.2)."),
    79: ("issuer is not a CA",
         "A certificate in the chain signed another one without being a CA: its BasicConstraints "
         "does not say cA=TRUE (RFC 5280 §4.2.1.9, §6.1.4 (k))."),
}


@dataclass(frozen=True, repr=False)
class FetchResult:
    """What happened when ``fetch`` connected: the page, or why it failed.

    ``ok`` is true when the handshake and the request succeeded; then
    ``status`` and ``body`` hold the answer and ``peer_subject`` the subject of
    the certificate the server presented. Otherwise ``reason`` is a short
    label (``"hostname mismatch"``), ``explanation`` says why in plain words
    and ``detail`` keeps OpenSSL's own message for the curious.
    """

    ok: bool
    url: str
    server_hostname: str | None
    status: int | None = None
    body: str = ""
    reason: str = ""
    explanation: str = ""
    detail: str = ""
    verify_code: int | None = None
    tls_version: str | None = None
    peer_subject: str | None = None

    def __str__(self) -> str:
        if self.ok:
            return (f"OK: {self.url} answered {self.status} over {self.tls_version}, "
                    f"certificate for {self.peer_subject!r} verified.\n{self.body}")
        return (f"FAILED: {self.url} (checking the name {self.server_hostname!r}): "
                f"{self.reason}.\n{self.explanation}\nOpenSSL said: {self.detail}")

    __repr__ = __str__

    def _repr_html_(self) -> str:
        esc = html.escape
        if self.ok:
            return (f'<div class="certlab-tls certlab-ok"><b>✔ handshake succeeded</b> '
                    f'({esc(self.tls_version or "")}), certificate for '
                    f'<code>{esc(self.peer_subject or "")}</code> verified; '
                    f'the server answered {self.status}:<pre>{esc(self.body)}</pre></div>')
        return (f'<div class="certlab-tls certlab-bad"><b>✘ {esc(self.reason)}</b> '
                f'connecting to <code>{esc(self.url)}</code> as '
                f'<code>{esc(str(self.server_hostname))}</code><p>{esc(self.explanation)}</p>'
                f'<details><summary>OpenSSL said</summary><code>{esc(self.detail)}</code>'
                f'</details></div>')


@dataclass
class HttpsServer:
    """A running loopback HTTPS server (made by :func:`serve_https`).

    ``port`` and ``url`` say where it listens; ``requests`` counts the pages
    served; ``handshake_errors`` records what the *server* saw when a client
    refused its certificate (OpenSSL's alert text), which is instructive.
    """

    host: str
    port: int
    requests: int = 0
    handshake_errors: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}/"

    def __str__(self) -> str:
        return f"HTTPS server on {self.url} ({self.requests} page(s) served)"


class _Handler(BaseHTTPRequestHandler):
    """Serves one tiny page; logs nothing to stderr (a notebook would show it)."""

    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        body = self.server.page.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.info.requests += 1

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], context: ssl.SSLContext, page: str) -> None:
        super().__init__(address, _Handler)
        self.context = context
        self.page = page
        self.info = HttpsServer(host=address[0], port=self.server_address[1])

    def finish_request(self, request: Any, client_address: Any) -> None:
        # Wrap per connection, in the handler thread, with a timeout: a client
        # that stalls during the handshake then cannot block the accept loop.
        request.settimeout(_IO_TIMEOUT)
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            self.info.handshake_errors.append(_short_ssl_message(exc))
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)  # type: ignore[arg-type]
        finally:
            try:
                tls.close()
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver prints a traceback by default; record it quietly instead.
        self.info.handshake_errors.append("connection error while serving a request")


def _pem_chain(cert: x509.Certificate, chain: Iterable[x509.Certificate]) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (cert, *chain))


def _memfd_ok() -> bool:
    # memfd_create exists on Linux (Python 3.8+); /proc/self/fd lets OpenSSL open it by path.
    return hasattr(os, "memfd_create") and os.path.isdir("/proc/self/fd")


@contextmanager
def _readable_paths(*blobs: bytes) -> Iterator[tuple[str, ...]]:
    """Paths OpenSSL can open, one per blob, gone when the block ends.

    In memory (``memfd_create``) where the OS allows it, so a notebook writes
    nothing outside its folder and the (encrypted) key never reaches a disk;
    otherwise 0600 files created with O_EXCL in a private temporary directory.
    """
    if _memfd_ok():
        fds: list[int] = []
        try:
            for i, data in enumerate(blobs):
                fd = os.memfd_create(f"certlab-tls-{i}", os.MFD_CLOEXEC)
                fds.append(fd)
                os.write(fd, data)
            yield tuple(f"/proc/self/fd/{fd}" for fd in fds)
        finally:
            for fd in fds:
                os.close(fd)
        return
    with tempfile.TemporaryDirectory(prefix="certlab-tls-") as tmp:
        paths = []
        for i, data in enumerate(blobs):
            path = os.path.join(tmp, f"{i}.pem")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            paths.append(path)
        yield tuple(paths)


def _server_context(cert: x509.Certificate, key: CertificateIssuerPrivateKeyTypes,
                    chain: Sequence[x509.Certificate]) -> ssl.SSLContext:
    """An SSLContext holding the certificate chain and the key (see :func:`_readable_paths`)."""
    if not isinstance(cert, x509.Certificate):
        raise CertlabError("cert", "must be a cryptography x509.Certificate", type(cert).__name__)
    if key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise CertlabError("key", "must be the private key of the certificate's public key",
                           type(key).__name__)
    password = secrets.token_bytes(32)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password),
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        with _readable_paths(_pem_chain(cert, chain), key_pem) as (cert_path, key_path):
            context.load_cert_chain(cert_path, key_path, password=password)
    except ssl.SSLError as exc:
        raise CertlabError("cert", "OpenSSL refused the certificate or key",
                           _short_ssl_message(exc)) from None
    return context


@contextmanager
def serve_https(cert: x509.Certificate, key: CertificateIssuerPrivateKeyTypes,
                chain: Sequence[x509.Certificate] = (), host: str = "127.0.0.1",
                port: int = 0, *, lifetime: float = 120.0,
                page: str = "hello from certlab\n") -> Iterator[HttpsServer]:
    """Serve ``page`` over HTTPS with ``cert`` (+ ``chain`` intermediates) and ``key``.

    Use as ``with serve_https(cert, key, chain=[intermediate]) as server:``;
    ``server.url`` is where it listens (``port=0`` picks a free port). The
    server stops when the block ends, or after ``lifetime`` seconds, whichever
    comes first. ``chain`` lists the intermediates the server sends after its
    own certificate (never the root: the client must already have it).
    """
    context = _server_context(cert, key, tuple(chain))
    try:
        server = _Server((host, port), context, page)
    except OSError as exc:
        raise CertlabError("port", f"cannot listen on {host}", f"{port}: {exc.strerror}") from None
    # the lifecycle stops it at the end of the block, after ``lifetime`` (shutdown *and* close:
    # the listening socket goes too), when the kernel ends or gets SIGTERM (certlab.servers)
    life = Lifecycle(server.info, f"https-{server.info.port}", lifetime=lifetime)
    life.on_stop(server.server_close)  # closed even if the thread never started
    life.serve(server, "https")
    try:
        yield server.info
    finally:
        life.stop()


def _short_ssl_message(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError) and exc.reason:
        return f"{exc.reason} ({exc.library or 'ssl'})" if exc.library else str(exc.reason)
    return str(exc) or type(exc).__name__


def _trust_pem(trust: Iterable[x509.Certificate | bytes | str]) -> str:
    parts = []
    for i, item in enumerate(trust):
        if isinstance(item, x509.Certificate):
            parts.append(item.public_bytes(serialization.Encoding.PEM).decode("ascii"))
        elif isinstance(item, (bytes, str)):
            text = item.decode("ascii", "replace") if isinstance(item, bytes) else item
            if "-----BEGIN CERTIFICATE-----" not in text:
                raise CertlabError(f"trust[{i}]", "must be a certificate or its PEM text",
                                   text[:40])
            parts.append(text)
        else:
            raise CertlabError(f"trust[{i}]", "must be a certificate or its PEM text",
                               type(item).__name__)
    return "".join(parts)


def fetch(url: str, trust: Iterable[x509.Certificate | bytes | str] = (),
          server_hostname: str | None = None, *, timeout: float = _IO_TIMEOUT,
          crls: Sequence[x509.CertificateRevocationList] = ()) -> FetchResult:
    """GET ``url`` as a client that trusts only the roots in ``trust``.

    ``server_hostname`` is the name the client expects in the certificate
    (sent as SNI and checked against the subjectAltName, RFC 6125); it
    defaults to the host of the URL. Connecting to ``127.0.0.1`` while
    checking ``"localhost"`` is how one tests a certificate locally.
    ``crls``: CRLs the client checks the server's certificate against
    (OpenSSL's ``VERIFY_CRL_CHECK_LEAF``: the CRL of the leaf's issuer must be
    among them). Never raises for a TLS or network failure: the result explains it.
    """
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise CertlabError("url", "must look like https://host:port/", url)
    host, port = parts.hostname, parts.port or 443
    name = server_hostname or host
    # PROTOCOL_TLS_CLIENT verifies the chain and the name by default; unlike
    # create_default_context() it loads no system roots, so the client trusts
    # exactly what it was given (nothing at all if ``trust`` is empty).
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    roots = _trust_pem(trust)
    if crls:
        for i, crl in enumerate(crls):
            if not isinstance(crl, x509.CertificateRevocationList):
                raise CertlabError(f"crls[{i}]", "must be a cryptography CertificateRevocationList", type(crl).__name__)
        # only a file may hold CRLs (cadata takes certificates): an in-memory one, see _readable_paths
        store = roots.encode("ascii") + b"".join(c.public_bytes(serialization.Encoding.PEM) for c in crls)
        with _readable_paths(store) as (path,):
            context.load_verify_locations(cafile=path)
        context.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF
    elif roots:
        context.load_verify_locations(cadata=roots)
    path = parts.path or "/"

    def fail(reason: str, explanation: str, detail: str, code: int | None = None) -> FetchResult:
        return FetchResult(ok=False, url=url, server_hostname=name, reason=reason,
                           explanation=explanation, detail=detail, verify_code=code)

    deadline = time.monotonic() + timeout
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=name) as tls:
                der = tls.getpeercert(binary_form=True)
                version = tls.version()
                request = (f"GET {path} HTTP/1.0\r\nHost: {name}\r\n"
                           f"User-Agent: certlab\r\n\r\n").encode("ascii", "replace")
                tls.sendall(request)
                chunks = []
                while time.monotonic() < deadline:
                    data = tls.recv(65536)
                    if not data:
                        break
                    chunks.append(data)
    except ssl.SSLCertVerificationError as exc:
        code = exc.verify_code
        reason, explanation = _VERIFY_REASONS.get(
            code, ("certificate rejected", "The client rejected the server's certificate."))
        return fail(reason, explanation, f"{exc.verify_message} (X509_V_ERR code {code})", code)
    except ssl.SSLError as exc:
        return fail("TLS handshake failed",
                    "Client and server could not agree on a secure connection.",
                    _short_ssl_message(exc))
    except ConnectionRefusedError:
        return fail("connection refused",
                    "Nothing listens on that port: is the server (still) running?", url)
    except (socket.timeout, TimeoutError):
        return fail("timed out", "The server did not answer in time.", f"{timeout} s")
    except OSError as exc:
        return fail("network error", "The connection could not be made.",
                    exc.strerror or str(exc))
    raw_response = b"".join(chunks).decode("utf-8", "replace")
    head, _, body = raw_response.partition("\r\n\r\n")
    status_line = head.split("\r\n", 1)[0].split()
    status = int(status_line[1]) if len(status_line) > 1 and status_line[1].isdigit() else None
    subject = x509.load_der_x509_certificate(der).subject.rfc4514_string() if der else None
    return FetchResult(ok=True, url=url, server_hostname=name, status=status, body=body,
                       tls_version=version, peer_subject=subject)
