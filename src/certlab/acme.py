"""Step 4 of the flow for real: the learner's CSR through an ACME CA (RFC 8555).

The CA is Let's Encrypt's test server **pebble**, started here on free
127.0.0.1 ports next to **pebble-challtestsrv** (a mock DNS server that
answers every name with 127.0.0.1 and takes TXT records through a small
management API). certlab runs the http-01 and tls-alpn-01 responders itself,
so the learner sees the CA's validator knock on their own door.

    with Pebble.start() as pebble:
        session = AcmeSession(pebble)
        issued = session.issue(csr)          # account, order, challenges, finalize, download
        issued.certificate, issued.chain, pebble.root()

Each request the ``acme`` library sends and each answer is recorded as data
(:class:`Exchange`): the JWS decoded into protected header, payload and
signature, the HTTP status and the JSON answer. A refusal becomes an
:class:`AcmeProblem` (a :class:`~certlab.CertlabError`) that explains ACME's
problem document (RFC 8555 §6.7), never a traceback from ``requests``.

Nothing lingers (:mod:`certlab.servers`): every process is stopped when the
``with`` block ends, ``stop()`` is called, the object is garbage-collected,
the interpreter exits or gets SIGTERM, and on Linux also when the kernel
process dies abruptly (``PR_SET_PDEATHSIG``). Pebble's own TLS key and its
configuration reach it through in-memory files (``memfd``), so nothing is
written to disk; the account key stays in this Python process.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from .errors import CertlabError
from .servers import HOST, Lifecycle, start_thread
from .knowledge.acme import PEBBLE_HINT, PROBLEM_PREFIX, problem_text, step_text

__all__ = [
    "PEBBLE_HINT",
    "pebble_available",
    "Pebble",
    "AcmeSession",
    "Exchange",
    "Challenge",
    "Issued",
    "AcmeProblem",
    "key_authorization",
    "dns01_value",
    "skip_cells_without_pebble",
    "csr_for",
]


# Every wait of this module is bounded (seconds).
_START_TIMEOUT = 15.0
_IO_TIMEOUT = 10.0
# The OID of the acmeIdentifier extension of a tls-alpn-01 certificate (RFC 8737 §3).
_ACME_IDENTIFIER = x509.ObjectIdentifier("1.3.6.1.5.5.7.1.31")
_ALPN = "acme-tls/1"


# ---------------------------------------------------------------- finding pebble


def _binaries() -> tuple[str, str] | None:
    pebble = os.environ.get("CERTLAB_PEBBLE") or shutil.which("pebble")
    chall = os.environ.get("CERTLAB_PEBBLE_CHALLTESTSRV") or shutil.which("pebble-challtestsrv")
    if not pebble or not chall:
        return None
    return pebble, chall


def pebble_available() -> bool:
    """True when Let's Encrypt's ``pebble`` and ``pebble-challtestsrv`` can be run here.

    Canonical's service manager is also called ``pebble``: the ACME one is the
    one whose ``-h`` lists ``-dnsserver``.
    """
    found = _binaries()
    if found is None:
        return False
    try:
        out = subprocess.run([found[0], "-h"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return "-dnsserver" in out.stdout + out.stderr


# ---------------------------------------------------------------- small helpers


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _jwk_of(key: Any) -> Any:
    from josepy import jwk

    if isinstance(key, rsa.RSAPrivateKey):
        return jwk.JWKRSA(key=key)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return jwk.JWKEC(key=key)
    raise CertlabError("key", "an ACME account key must be RSA or ECDSA (RFC 7518 §3.1, as CAs accept)",
                       type(key).__name__)


def _alg_of(key: Any) -> Any:
    from josepy import jwa

    if isinstance(key, rsa.RSAPrivateKey):
        return jwa.RS256
    curve = key.curve.name
    return {"secp256r1": jwa.ES256, "secp384r1": jwa.ES384, "secp521r1": jwa.ES512}.get(curve, jwa.ES256)


def key_authorization(token: str, account_key: Any) -> str:
    """token + "." + base64url(SHA-256 JWK thumbprint of the account's public key), RFC 8555 §8.1.

    The thumbprint is RFC 7638's: the SHA-256 of the public JWK's required
    members, sorted, without spaces. ``acme.challenges`` computes the same.
    """
    return f"{token}.{_b64url(_jwk_of(account_key).thumbprint(hash_function=hashes.SHA256))}"


def dns01_value(key_auth: str) -> str:
    """The TXT record a dns-01 challenge wants: base64url(SHA-256(key authorization)), RFC 8555 §8.4."""
    return _b64url(hashlib.sha256(key_auth.encode("ascii")).digest())


def _close_all(fds: list[int]) -> None:
    while fds:
        try:
            os.close(fds.pop())
        except OSError:
            pass


# ---------------------------------------------------------------- the responders


@dataclass(frozen=True)
class Fetch:
    """One request the CA's validator made to our http-01 responder: where it came to, what it got."""

    path: str
    host: str
    client: str
    user_agent: str
    status: int
    at: float


class _HttpHandler(BaseHTTPRequestHandler):
    server: _HttpServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        responder = self.server.responder
        body = responder.answer(self.path)
        status = 200 if body is not None else 404
        data = (body if body is not None else "no such token\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        responder.fetches.append(Fetch(self.path, self.headers.get("Host", ""), self.client_address[0],
                                       self.headers.get("User-Agent", ""), status, time.time()))

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    responder: Http01Responder


class Http01Responder:
    """The web server the CA's validator visits for http-01 (RFC 8555 §8.3).

    It serves ``/.well-known/acme-challenge/<token>`` with whatever was
    published for that token; for any other path it asks ``handler(path)``
    (the learner's own code) when one is set. ``fetches`` records each visit.
    """

    PREFIX = "/.well-known/acme-challenge/"

    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}
        self.handler: Callable[[str], str | None] | None = None
        self.handler_errors: list[str] = []
        self.fetches: list[Fetch] = []
        self._server = _HttpServer((HOST, 0), _HttpHandler)
        self._server.responder = self
        self.port = int(self._server.server_address[1])
        self._life = Lifecycle(self, f"http01-{self.port}")
        self._life.on_stop(self._server.server_close)
        self._life.serve(self._server, "http01")

    def publish(self, token: str, body: str) -> None:
        self.tokens[token] = body

    def withdraw(self, token: str) -> None:
        self.tokens.pop(token, None)

    def answer(self, path: str) -> str | None:
        """What the CA gets for ``path``: a published proof first, else the handler's answer."""
        if path.startswith(self.PREFIX) and path[len(self.PREFIX):] in self.tokens:
            return self.tokens[path[len(self.PREFIX):]]
        if self.handler is not None:
            try:
                got = self.handler(path)
            except Exception as exc:  # the learner's code failed: the CA sees a 404, the learner the error
                self.handler_errors.append(f"{type(exc).__name__}: {exc}")
                return None
            return None if got is None else str(got)
        return None

    def stop(self) -> None:
        self._life.stop()


class TlsAlpnResponder:
    """The TLS server the CA's validator visits for tls-alpn-01 (RFC 8737).

    ``handshakes`` records (SNI name, ALPN protocol chosen) per connection.
    For each name it presents a self-signed certificate holding the name as
    its only SAN and the SHA-256 of the key authorization in the critical
    acmeIdentifier extension, and only when the client asks for the ALPN
    protocol ``acme-tls/1``.
    """

    def __init__(self) -> None:
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._sni: dict[int, str] = {}
        self.handshakes: list[tuple[str, str | None]] = []
        self._life = Lifecycle(self, "tlsalpn01")
        self._sock = self._life.listen()
        self.port = int(self._sock.getsockname()[1])
        self._default = self._context_for("invalid", "none")
        self._running = True
        self._thread = start_thread(threading.Thread(target=self._loop, name=f"certlab-tlsalpn-{self.port}",
                                                     daemon=True))
        self._life.on_stop(self._end_loop)

    def _context_for(self, name: str, key_auth: str) -> ssl.SSLContext:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        digest = hashlib.sha256(key_auth.encode("ascii")).digest()
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tls-alpn-01 " + name[:40])]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tls-alpn-01 " + name[:40])]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            # the extension's value is an OCTET STRING of the digest (RFC 8737 §3): 04 20 || digest
            .add_extension(x509.UnrecognizedExtension(_ACME_IDENTIFIER, b"\x04\x20" + digest), critical=True)
            .sign(key, hashes.SHA256())
        )
        from .tls import _readable_paths

        password = secrets.token_bytes(16)
        key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.BestAvailableEncryption(password))
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.set_alpn_protocols([_ALPN])
        with _readable_paths(cert.public_bytes(serialization.Encoding.PEM), key_pem) as (cp, kp):
            ctx.load_cert_chain(cp, kp, password=password)
        ctx.sni_callback = self._pick
        return ctx

    def _pick(self, sock: Any, name: str | None, _ctx: ssl.SSLContext) -> None:
        self._sni[id(sock)] = name or ""
        chosen = self._contexts.get((name or "").lower().rstrip("."))
        if chosen is not None:
            sock.context = chosen

    def publish(self, name: str, key_auth: str) -> None:
        self._contexts[name.lower()] = self._context_for(name, key_auth)

    def _loop(self) -> None:
        while self._running:
            try:
                conn, _ = self._sock.accept()
            except (socket.timeout, TimeoutError):
                continue
            except OSError:
                return
            threading.Thread(target=self._handshake, args=(conn,), daemon=True).start()

    def _handshake(self, conn: socket.socket) -> None:
        conn.settimeout(_IO_TIMEOUT)
        try:
            with self._default.wrap_socket(conn, server_side=True) as tls:
                self.handshakes.append((self._sni.pop(id(tls), ""), tls.selected_alpn_protocol()))
        except (ssl.SSLError, OSError):
            conn.close()

    def _end_loop(self) -> None:
        self._running = False
        self._sock.close()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=_IO_TIMEOUT)

    def stop(self) -> None:
        self._life.stop()


# ---------------------------------------------------------------- pebble


class Pebble:
    """A running pebble + pebble-challtestsrv pair, all on 127.0.0.1, made by :meth:`start`.

    ``directory_url`` is the ACME directory; ``server_ca`` the teaching CA
    that issued pebble's own TLS certificate (clients must trust it to talk
    to the CA at all); :meth:`root` and :meth:`intermediates` fetch the
    certificates pebble signs with from its management API (they are new on
    every start). ``log`` holds pebble's last lines of output.
    """

    def __init__(self) -> None:  # pragma: no cover - use Pebble.start()
        raise TypeError("use Pebble.start() to run a pebble")

    @classmethod
    def start(cls, *, lifetime: float = 3600.0) -> Pebble:
        """Start pebble and pebble-challtestsrv on free ports; they stop after ``lifetime`` s at the latest."""
        found = _binaries()
        if found is None or not pebble_available():
            raise CertlabError("pebble", PEBBLE_HINT)
        last: CertlabError | None = None
        for _ in range(3):  # a start may still fail (the UDP half of the DNS port cannot be held): again
            self = object.__new__(cls)
            try:
                self._launch(found, lifetime)
                return self
            except CertlabError as exc:
                last = exc
                self.stop()
        assert last is not None
        raise last

    # -- launching

    def _launch(self, binaries: tuple[str, str], lifetime: float) -> None:
        from .build import TeachingCA, build_csr, generate_key
        from .spec import CsrSpec, KeySpec, Subject

        self.log: deque[str] = deque(maxlen=400)
        self._procs: list[subprocess.Popen[bytes]] = []
        self._fds: list[int] = []
        self._tmp: str | None = None
        # certlab.servers stops it all at stop(), after lifetime, on garbage collection, at exit
        # or on SIGTERM; pebble's processes also die with this one (PR_SET_PDEATHSIG)
        self._life = life = Lifecycle(self, "pebble", lifetime=lifetime)
        fds = self._fds
        life.on_stop(lambda: _close_all(fds))  # registered first: runs after the processes ended
        self.http01 = Http01Responder()
        life.on_stop(self.http01.stop)
        self.tlsalpn01 = TlsAlpnResponder()
        life.on_stop(self.tlsalpn01.stop)
        # The ACME server is a web server too: its certificate comes from a teaching CA.
        self.server_ca = TeachingCA.create(name="certlab ACME server Root CA")
        key_spec = KeySpec("ec", curve="P-256")
        listener_key = generate_key(key_spec)
        csr = build_csr(CsrSpec(subject=Subject(country="", state="", locality="", organization="certlab",
                                                common_name="localhost"),
                                sans=("localhost", "127.0.0.1"), key=key_spec), listener_key)
        listener = self.server_ca.issue(csr)
        # held until pebble listens on them: no other program's port-0 bind can take them meanwhile
        held = [life.reserve(), life.reserve(), life.reserve(udp=True), life.reserve()]
        self.port, self.management_port, self.dns_port, self.challtest_port = (r.port for r in held)
        chain_pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (listener, *self.server_ca.chain[:-1]))
        key_pem = listener_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption())
        cert_path, key_path = self._files(chain_pem, key_pem)
        config = {"pebble": {
            "listenAddress": f"127.0.0.1:{self.port}",
            "managementListenAddress": f"127.0.0.1:{self.management_port}",
            "certificate": cert_path, "privateKey": key_path,
            "httpPort": self.http01.port, "tlsPort": self.tlsalpn01.port,
            "ocspResponderURL": "", "externalAccountBindingRequired": False,
        }}
        (config_path,) = self._files(json.dumps(config).encode())
        (self._bundle_path,) = self._files(self.server_ca.root.public_bytes(serialization.Encoding.PEM))
        env = dict(os.environ, PEBBLE_VA_NOSLEEP="1", PEBBLE_WFE_NONCEREJECT="0", PEBBLE_AUTHZREUSE="0")
        self._spawn([binaries[1], "-management", f"127.0.0.1:{self.challtest_port}",
                     "-dns01", f"127.0.0.1:{self.dns_port}", "-http01", "", "-https01", "", "-tlsalpn01", "",
                     "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""], env, "challtestsrv")
        self._spawn([binaries[0], "-config", config_path, "-dnsserver", f"127.0.0.1:{self.dns_port}"],
                    env, "pebble")
        self._wait_ready()
        for reservation in held:
            reservation.release()

    def _files(self, *blobs: bytes) -> list[str]:
        """Paths pebble can open: memfd (inherited, nothing on disk) on Linux, else 0600 files."""
        paths = []
        for data in blobs:
            if hasattr(os, "memfd_create") and os.path.isdir("/proc/self/fd"):
                fd = os.memfd_create("certlab-pebble", os.MFD_CLOEXEC)
                os.write(fd, data)
                self._fds.append(fd)
                paths.append(f"/proc/self/fd/{fd}")
                continue
            if self._tmp is None:
                tmp = self._tmp = tempfile.mkdtemp(prefix="certlab-pebble-")
                self._life.on_stop(lambda: shutil.rmtree(tmp, ignore_errors=True))
            path = os.path.join(self._tmp, f"{len(os.listdir(self._tmp))}.pem")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            paths.append(path)
        return paths

    def _spawn(self, argv: list[str], env: dict[str, str], name: str) -> None:
        try:  # its own process group, killed with this process (certlab.servers)
            proc = self._life.spawn(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, pass_fds=tuple(self._fds))
        except OSError as exc:
            raise CertlabError("pebble", f"could not run {argv[0]}", exc.strerror or str(exc)) from None
        self._procs.append(proc)
        log = self.log  # not self: the thread must not keep this object alive

        def read() -> None:
            assert proc.stdout is not None
            try:
                for line in iter(proc.stdout.readline, b""):
                    log.append(f"{name}: " + line.decode("utf-8", "replace").rstrip())
            except (OSError, ValueError):  # the pipe was closed by stop()
                return

        start_thread(threading.Thread(target=read, name=f"certlab-{name}-log", daemon=True))

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            for proc in self._procs:
                if proc.poll() is not None:
                    time.sleep(0.1)  # let the reader catch the last words
                    last = next((line for line in reversed(self.log) if line), "no output")
                    raise CertlabError("pebble", "stopped while starting", last)
            try:
                self._management("GET", f"http://127.0.0.1:{self.challtest_port}/", None, tls=False)
                urllib.request.urlopen(self.directory_url, context=self._context(), timeout=2).close()
                return
            except (OSError, urllib.error.URLError, CertlabError):
                time.sleep(0.05)
        raise CertlabError("pebble", f"did not answer within {_START_TIMEOUT:.0f} s", self.directory_url)

    # -- what the outside sees

    @property
    def directory_url(self) -> str:
        return f"https://127.0.0.1:{self.port}/dir"

    @property
    def ca_bundle(self) -> str:
        """A path to the root that signed pebble's TLS certificate (for ``requests``' ``verify=``)."""
        return self._bundle_path

    @property
    def running(self) -> bool:
        return bool(self._procs) and all(p.poll() is None for p in self._procs)

    @property
    def pids(self) -> tuple[int, ...]:
        return tuple(p.pid for p in self._procs)

    def _context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(cadata=self.server_ca.root.public_bytes(serialization.Encoding.PEM).decode())
        return ctx

    def _management(self, method: str, url: str, payload: dict[str, Any] | None, *, tls: bool = True) -> bytes:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        try:
            with urllib.request.urlopen(request, context=self._context() if tls else None,
                                        timeout=_IO_TIMEOUT) as resp:
                return bytes(resp.read())
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and url.endswith(":" + str(self.challtest_port) + "/"):
                return b""  # challtestsrv's root has no page: it answered, so it is up
            raise CertlabError("pebble", f"the management API refused {url}", exc.code) from None

    def root(self) -> x509.Certificate:
        """Pebble's root certificate (management API ``/roots/0``): the trust anchor of what it issues.

        Pebble makes a new root at every start and keeps it while it runs, so
        it is fetched once per start.
        """
        cached: x509.Certificate | None = getattr(self, "_root", None)
        if cached is None:
            pem = self._management("GET", f"https://127.0.0.1:{self.management_port}/roots/0", None)
            cached = self._root = x509.load_pem_x509_certificate(pem)
        return cached

    def intermediates(self) -> tuple[x509.Certificate, ...]:
        pem = self._management("GET", f"https://127.0.0.1:{self.management_port}/intermediates/0", None)
        return tuple(x509.load_pem_x509_certificates(pem))

    def set_txt(self, name: str, value: str) -> None:
        """Publish a TXT record at ``name`` in challtestsrv's DNS (what dns-01 asks for, §8.4)."""
        self._management("POST", f"http://127.0.0.1:{self.challtest_port}/set-txt",
                         {"host": name.rstrip(".") + ".", "value": value}, tls=False)

    def clear_txt(self, name: str) -> None:
        self._management("POST", f"http://127.0.0.1:{self.challtest_port}/clear-txt",
                         {"host": name.rstrip(".") + "."}, tls=False)

    def point(self, name: str, address: str) -> None:
        """Make ``name`` resolve to ``address`` (an A record) instead of 127.0.0.1."""
        self._management("POST", f"http://127.0.0.1:{self.challtest_port}/add-a",
                         {"host": name.rstrip(".") + ".", "addresses": [address]}, tls=False)

    def stop(self) -> None:
        """Stop pebble, challtestsrv and the responders (safe to call twice)."""
        life = getattr(self, "_life", None)
        if life is not None:
            life.stop()

    def __enter__(self) -> Pebble:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<Pebble {self.directory_url} {state}>"


# ---------------------------------------------------------------- recording


@dataclass(frozen=True)
class Exchange:
    """One HTTP request of the ACME client and the CA's answer, as data.

    ``step`` says which step of the flow it is (a key of
    :data:`certlab.knowledge.acme.STEPS`). For a signed POST, ``protected``,
    ``payload`` and ``signature`` are the JWS decoded (RFC 7515 flattened
    JSON, RFC 8555 §6.2); a POST-as-GET has the empty payload ``""``.
    """

    index: int
    step: str
    method: str
    url: str
    status: int
    request_body: str
    response_headers: dict[str, str]
    response_body: str
    elapsed: float

    @cached_property
    def jws(self) -> dict[str, Any]:
        if not self.request_body:
            return {}
        try:
            parsed = json.loads(self.request_body)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}

    @cached_property
    def protected(self) -> dict[str, Any]:
        raw = self.jws.get("protected")
        return json.loads(_unb64url(raw)) if isinstance(raw, str) else {}

    @cached_property
    def payload(self) -> Any:
        """The decoded payload: a JSON value, or ``""`` for POST-as-GET (RFC 8555 §6.3)."""
        raw = self.jws.get("payload")
        if not isinstance(raw, str):
            return None
        data = _unb64url(raw)
        return json.loads(data) if data else ""

    @property
    def signature(self) -> str:
        sig = self.jws.get("signature")
        return sig if isinstance(sig, str) else ""

    @cached_property
    def response(self) -> Any:
        """The answer's JSON, or its text (the certificate chain is PEM)."""
        try:
            return json.loads(self.response_body)
        except ValueError:
            return self.response_body

    @property
    def label(self) -> str:
        return step_text(self.step)[0]

    @property
    def explanation(self) -> str:
        label, section, text = step_text(self.step)
        return f"{text} (RFC 8555 {section})"

    def _repr_html_(self) -> str:
        from .render.acme_html import exchange_html

        return exchange_html(self)

    def as_dict(self) -> dict[str, Any]:
        """Everything shown of this exchange, as plain JSON-able data."""
        return {"index": self.index, "step": self.step, "label": self.label, "method": self.method,
                "url": self.url, "status": self.status, "protected": self.protected, "payload": self.payload,
                "signature": self.signature, "response": self.response,
                "response_headers": self.response_headers, "elapsed": round(self.elapsed, 4),
                "explanation": self.explanation}


def _classify(method: str, url: str, directory: dict[str, Any], payload_text: str, response: Any,
              content_type: str, known: dict[str, str]) -> str:
    """Which step of the flow a request is, from its URL, payload and answer (no hidden context).

    ``known`` maps the URLs earlier answers named (authorizations, challenges,
    finalize, certificate) to their step, so a refusal, whose body is only a
    problem document, is still put in the right place.
    """
    if method == "HEAD" or url == directory.get("newNonce"):
        return "nonce"
    if method == "GET":
        return "directory"
    if url == directory.get("newAccount"):
        return "account"
    if url == directory.get("newOrder"):
        return "order"
    if '"csr"' in payload_text:
        return "finalize"
    if url in known:
        return known[url]
    if "pem-certificate-chain" in content_type:
        return "certificate"
    if isinstance(response, dict):
        if "challenges" in response:
            return "authorization"
        if "token" in response and "type" in response:
            return "challenge"
    return "order"


def _learn(known: dict[str, str], response: Any) -> None:
    """Remember which step each URL named in an answer belongs to (RFC 8555 §7.1.3-7.1.5)."""
    if not isinstance(response, dict):
        return
    for url in response.get("authorizations") or ():
        known.setdefault(str(url), "authorization")
    for chall in response.get("challenges") or ():
        if isinstance(chall, dict) and "url" in chall:
            known.setdefault(str(chall["url"]), "challenge")
    if isinstance(response.get("finalize"), str):
        known.setdefault(response["finalize"], "finalize")
    if isinstance(response.get("certificate"), str):
        known.setdefault(response["certificate"], "certificate")


def _make_network(key: Any, alg: Any, verify: str, recorder: list[Exchange],
                  directory: dict[str, Any]) -> Any:
    from acme import client as acme_client

    known: dict[str, str] = {}

    class RecordingNetwork(acme_client.ClientNetwork):
        """acme's ClientNetwork, keeping each request and answer (the JWS is decoded lazily)."""

        def _send_request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            response = super()._send_request(method, url, *args, **kwargs)
            elapsed = time.perf_counter() - start
            body = kwargs.get("data") or ""
            body_text = body if isinstance(body, str) else body.decode("utf-8", "replace")
            ctype = response.headers.get("Content-Type", "")
            text = response.text
            payload_text = ""
            if body_text:
                try:
                    raw = json.loads(body_text).get("payload", "")
                    payload_text = _unb64url(raw).decode("utf-8", "replace")
                except (ValueError, AttributeError):
                    payload_text = ""
            try:
                parsed: Any = json.loads(text) if "json" in ctype else None
            except ValueError:
                parsed = None
            step = _classify(method, url, directory, payload_text, parsed, ctype, known)
            _learn(known, parsed)
            recorder.append(Exchange(len(recorder), step, method, url, response.status_code, body_text,
                                     dict(response.headers), text, elapsed))
            return response

    # requests' verify= takes a CA bundle path as well as a bool (acme passes it through)
    return RecordingNetwork(key=key, alg=alg, verify_ssl=verify, user_agent="certlab-acme")  # type: ignore[arg-type]


# ---------------------------------------------------------------- problems


class AcmeProblem(CertlabError):
    """The CA refused: its problem document (RFC 8555 §6.7, RFC 7807) explained.

    ``type`` is the short problem type (``"badCSR"``), ``detail`` the CA's
    own words, ``status`` the HTTP status, ``identifier`` the name it
    concerns (for a failed challenge), ``subproblems`` further problems.
    ``field`` is what it concerns (``csr``, ``challenge``, ``key``, ...),
    ``rule`` our explanation and ``value`` the CA's detail.
    """

    exchange: Exchange | None = None

    def __init__(self, problem: dict[str, Any], *, step: str = "", identifier: str | None = None) -> None:
        short, concerns, text = problem_text(problem.get("type"), step)
        self.explanation = text
        self.problem = problem
        self.type = short
        self.detail = str(problem.get("detail", ""))
        self.status = problem.get("status")
        ident = problem.get("identifier")
        self.identifier = identifier or (ident.get("value") if isinstance(ident, dict) else None)
        self.subproblems = tuple(AcmeProblem(p) for p in problem.get("subproblems") or () if isinstance(p, dict))
        self.step = step
        where = f" ({self.identifier})" if self.identifier else ""
        super().__init__(concerns, f"the CA answered {PROBLEM_PREFIX}{short}{where}: {text}", self.detail)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problem,), {"step": self.step})

    def _repr_html_(self) -> str:
        import html

        esc = html.escape
        return (f'<div class="certlab-acme certlab-bad"><b>✘ {esc(PROBLEM_PREFIX + self.type)}</b>'
                f'{" for <code>" + esc(self.identifier) + "</code>" if self.identifier else ""}'
                f'<p>{esc(self.explanation)}</p><p>The CA said: <q>{esc(self.detail)}</q></p></div>')


def _problem_of(exc: BaseException, step: str) -> CertlabError:
    """Any failure of the acme library or of requests as a certlab error (never a traceback)."""
    import requests
    from acme import errors as acme_errors
    from acme import messages

    if isinstance(exc, CertlabError):
        return exc
    if isinstance(exc, messages.Error):
        return AcmeProblem(exc.to_partial_json() | {"type": exc.typ}, step=step)
    if isinstance(exc, acme_errors.ValidationError):
        for authzr in exc.failed_authzrs:
            for chall in authzr.body.challenges:
                if chall.error is not None:
                    return AcmeProblem(chall.error.to_partial_json() | {"type": chall.error.typ},
                                       step="validation", identifier=authzr.body.identifier.value)
        return CertlabError("challenge", "the CA could not validate the name")
    if isinstance(exc, acme_errors.IssuanceError):
        return AcmeProblem(exc.error.to_partial_json() | {"type": exc.error.typ}, step=step)
    if isinstance(exc, acme_errors.TimeoutError):
        return CertlabError("order", "the CA did not finish in time (the order is still pending or processing)",
                            step)
    if isinstance(exc, requests.exceptions.SSLError):
        return CertlabError("pebble", "TLS to the ACME server failed: the client must trust the CA that "
                                      "issued the server's own certificate", str(exc)[:200])
    if isinstance(exc, requests.exceptions.RequestException):
        return CertlabError("pebble", "the ACME server cannot be reached (is it still running?)",
                            type(exc).__name__)
    if isinstance(exc, acme_errors.Error):
        return CertlabError("acme", "the ACME client refused the answer", str(exc)[:200])
    raise exc


# ---------------------------------------------------------------- the session


@dataclass(frozen=True)
class Challenge:
    """One way to prove control of one name, with what the CA will look for and where (RFC 8555 §8)."""

    name: str
    type: str
    token: str
    url: str
    status: str
    key_authorization: str
    where: str
    expected: str
    body: Any = field(default=None, repr=False, compare=False)  # the acme library's ChallengeBody

    def __str__(self) -> str:
        return f"{self.type} for {self.name}: the CA looks at {self.where} for {self.expected!r}"


@dataclass(frozen=True)
class Issued:
    """The result: the certificate, the chain pebble sent, and pebble's root to verify them."""

    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    root: x509.Certificate
    fullchain_pem: str
    order_url: str

    def verify(self, name: str | None = None) -> Any:
        """Verify with ``cryptography.x509.verification`` (a TLS server policy) against pebble's root."""
        from cryptography.x509.verification import PolicyBuilder, Store

        sans = self.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        host = name or sans.get_values_for_type(x509.DNSName)[0]
        verifier = PolicyBuilder().store(Store([self.root])).build_server_verifier(x509.DNSName(host))
        return verifier.verify(self.certificate, list(self.chain))


@dataclass
class AcmeSession:
    """An ACME client (the ``acme`` library's ``ClientV2``) talking to one :class:`Pebble`, recording all.

    ``client`` is the library's own object, so a notebook can call it
    directly; ``exchanges`` lists every request and answer; ``account_key``
    (made like any certlab key: EC P-256 unless given) stays in this object.
    """

    pebble: Pebble
    account_key: Any = None
    contact: tuple[str, ...] = ()
    exchanges: list[Exchange] = field(default_factory=list)
    states: list[tuple[str, int]] = field(default_factory=list)
    poll_interval: float = 0.1

    def __post_init__(self) -> None:
        from acme import client as acme_client
        from acme import messages

        if self.account_key is None:
            from .build import generate_key
            from .spec import KeySpec

            self.account_key = generate_key(KeySpec("ec", curve="P-256"))
        self.jwk = _jwk_of(self.account_key)
        self._directory: dict[str, Any] = {}
        self.net = _make_network(self.jwk, _alg_of(self.account_key), self.pebble.ca_bundle,
                                 self.exchanges, self._directory)
        try:
            directory = acme_client.ClientV2.get_directory(self.pebble.directory_url, self.net)
        except Exception as exc:
            raise _problem_of(exc, "directory") from None
        self._directory.update(directory.to_partial_json())
        self.client = acme_client.ClientV2(directory, self.net)
        self.account: Any = None
        self.order: Any = None
        self._messages = messages

    # -- the steps, one method each (the notebook shows the acme calls themselves)

    def _mark(self, state: str) -> None:
        self.states.append((state, len(self.exchanges)))

    def _call(self, step: str, fn: Callable[[], Any]) -> Any:
        if not self.pebble.running:
            raise CertlabError("pebble", "the ACME server cannot be reached: it was stopped (or its lifetime "
                                         "ended); start a new one with Pebble.start()", self.pebble.directory_url)
        try:
            return fn()
        except Exception as exc:
            self._mark("invalid")
            problem = _problem_of(exc, step)
            if isinstance(problem, AcmeProblem) and self.exchanges:
                problem.exchange = self.exchanges[-1]
            raise problem from None

    @property
    def thumbprint(self) -> str:
        """base64url SHA-256 JWK thumbprint of the account key (RFC 7638), the second half of §8.1."""
        return _b64url(self.jwk.thumbprint(hash_function=hashes.SHA256))

    def register(self) -> Any:
        """newAccount (§7.3), terms of service agreed: pebble's are 'Do what thou wilt'."""
        reg = self._messages.NewRegistration.from_data(terms_of_service_agreed=True,
                                                       email=None)
        if self.contact:
            reg = reg.update(contact=self.contact)
        self.account = self._call("account", lambda: self._new_or_existing_account(reg))
        self._mark("account")
        return self.account

    def _new_or_existing_account(self, reg: Any) -> Any:
        from acme import errors as acme_errors

        try:
            return self.client.new_account(reg)
        except acme_errors.ConflictError as exc:
            # §7.3.1: the key already has an account; the CA answered 200 with its URL
            account = self._messages.RegistrationResource(body=self._messages.Registration(), uri=exc.location)
            self.client.net.account = account
            return account

    def new_order(self, csr: x509.CertificateSigningRequest) -> Any:
        """newOrder (§7.4) for the names in ``csr`` (its SAN DNS names and IPs, or its CN)."""
        if self.account is None:
            self.register()
        pem = _csr_pem(csr)
        self.order = self._call("order", lambda: self.client.new_order(pem))
        self._mark("pending")
        return self.order

    def challenges(self, kind: str = "http-01") -> list[Challenge]:
        """The challenges of type ``kind`` of every authorization of the order, with what the CA expects."""
        if self.order is None:
            raise CertlabError("order", "make an order first (new_order)")
        out = []
        for authzr in self.order.authorizations:
            name = authzr.body.identifier.value
            for challb in authzr.body.challenges:
                if _chall_type(challb) != kind:
                    continue
                token = _chall_token(challb)
                keyauth = key_authorization(token, self.account_key)
                if kind == "http-01":
                    where = f"http://{name}/.well-known/acme-challenge/{token}"
                    expected = keyauth
                elif kind == "dns-01":
                    where, expected = f"TXT _acme-challenge.{name}", dns01_value(keyauth)
                else:
                    where = f"TLS to {name}:443 with ALPN acme-tls/1 (RFC 8737)"
                    expected = "acmeIdentifier = SHA-256(" + keyauth + ")"
                out.append(Challenge(name, kind, token, challb.uri, challb.status.name, keyauth, where, expected,
                                     challb))
        if not out:
            offered = sorted({_chall_type(c) for a in self.order.authorizations for c in a.body.challenges})
            raise CertlabError("kind", f"the CA offers no such challenge; it offers {', '.join(offered)}", kind)
        return out

    def publish(self, challenge: Challenge, answer: str | None = None) -> None:
        """Put the proof where the CA will look: ``answer`` (default: the right key authorization)."""
        keyauth = challenge.key_authorization if answer is None else answer
        if challenge.type == "http-01":
            self.pebble.http01.publish(challenge.token, keyauth)
        elif challenge.type == "dns-01":
            self.pebble.set_txt(f"_acme-challenge.{challenge.name}",
                                dns01_value(keyauth) if answer is None else answer)
        elif challenge.type == "tls-alpn-01":
            self.pebble.tlsalpn01.publish(challenge.name, keyauth)
        else:
            raise CertlabError("kind", "certlab answers http-01, dns-01 and tls-alpn-01", challenge.type)

    def ready(self, challenge: Challenge) -> Any:
        """Tell the CA to validate (§7.5.1): POST {} to the challenge URL."""
        for authzr in self.order.authorizations:
            for challb in authzr.body.challenges:
                if challb.uri == challenge.url:
                    # the library's response object; its JSON is {} (RFC 8555 §7.5.1, erratum 5729)
                    response = _response_for(challb, self.jwk, challenge.key_authorization)
                    result = self._call("challenge", lambda: self.client.answer_challenge(challb, response))
                    self._mark("challenge")
                    return result
        raise CertlabError("challenge", "is not one of this order's challenges", challenge.url)

    def wait(self, timeout: float = 30.0) -> Any:
        """Poll the authorizations until none is pending (§7.5.1); a failed validation raises AcmeProblem.

        Polls every ``poll_interval`` seconds (or the CA's Retry-After, if
        shorter than the deadline): the library's own loop waits a whole
        second between polls, which a class running ten orders feels.
        """
        deadline = time.monotonic() + timeout
        self.order = self._call("validation", lambda: self._poll_authorizations(deadline))
        self._mark("ready")
        return self.order

    def _poll_authorizations(self, deadline: float) -> Any:
        from acme import errors as acme_errors

        done = []
        for authzr in self.order.authorizations:
            while True:
                authzr, response = self.client.poll(authzr)
                if authzr.body.status != self._messages.STATUS_PENDING:
                    break
                if time.monotonic() > deadline:
                    raise acme_errors.TimeoutError()
                time.sleep(self._pause(response, deadline))
            done.append(authzr)
        failed = [a for a in done if a.body.status != self._messages.STATUS_VALID]
        if failed:
            raise acme_errors.ValidationError(failed)
        return self.order.update(authorizations=done)

    def _pause(self, response: Any, deadline: float) -> float:
        wanted = self.poll_interval
        after = response.headers.get("Retry-After", "")
        if after.isdigit():
            wanted = max(wanted, min(float(after), 5.0))
        return max(0.0, min(wanted, deadline - time.monotonic()))

    def finalize(self, csr: x509.CertificateSigningRequest | None = None, timeout: float = 30.0) -> Issued:
        """finalize (§7.4) with ``csr`` (default: the order's), poll, download the chain (§7.4.2)."""
        order = self.order
        if csr is not None:
            order = order.update(csr_pem=_csr_pem(csr))
        deadline = datetime.datetime.now() + datetime.timedelta(seconds=timeout)
        self._mark("finalize")
        # begin_finalization raises orderNotReady itself (finalize_order would swallow it and poll)
        order = self._call("finalize", lambda: self.client.begin_finalization(order))
        self._mark("processing")
        done = self._call("finalize", lambda: self._poll_order(order, time.monotonic() + timeout))
        self.order = done
        self._mark("valid")
        certs = x509.load_pem_x509_certificates(done.fullchain_pem.encode("ascii"))
        self._mark("certificate")
        return Issued(certs[0], tuple(certs[1:]), self.pebble.root(), done.fullchain_pem, done.uri or "")

    def _poll_order(self, orderr: Any, deadline: float) -> Any:
        """POST-as-GET the order until valid (§7.4), then download the chain (§7.4.2)."""
        from acme import errors as acme_errors

        messages = self._messages
        while True:
            response = self.client._post_as_get(orderr.uri)
            body = messages.Order.from_json(response.json())
            if body.status == messages.STATUS_INVALID:
                if body.error is not None:
                    raise acme_errors.IssuanceError(body.error)
                raise acme_errors.Error("the order became invalid and the CA said no more")
            if body.status == messages.STATUS_VALID and body.certificate is not None:
                chain = self.client._post_as_get(body.certificate)
                return orderr.update(body=body, fullchain_pem=chain.text)
            if time.monotonic() > deadline:
                raise acme_errors.TimeoutError()
            time.sleep(self._pause(response, deadline))

    def issue(self, csr: x509.CertificateSigningRequest, kind: str = "http-01", timeout: float = 30.0) -> Issued:
        """Every step for ``csr``: account, order, publish and answer each ``kind`` challenge, wait, finalize."""
        self.new_order(csr)
        for challenge in self.challenges(kind):
            self.publish(challenge)
            self.ready(challenge)
        self.wait(timeout)
        return self.finalize(timeout=timeout)

    def timeline(self) -> Any:
        """Every request so far, one row each (an HTML object for the notebook)."""
        from .render.acme_html import timeline_html

        return _Html(timeline_html(self.exchanges))

    def __repr__(self) -> str:
        return f"<AcmeSession {self.pebble.directory_url} {len(self.exchanges)} exchange(s)>"


class _Html:
    """A bit of HTML that a notebook displays (and prints as its text)."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        import re

        return re.sub(r"<[^>]*>", " ", self.markup)


def skip_cells_without_pebble() -> bool:
    """In a notebook: True when pebble can run; otherwise say what to install, once, and skip the cells below.

    Without pebble every later cell of the notebook is replaced by a one-line
    note (an IPython input transformer), so the notebook runs to the end with
    no error cell; with pebble this does nothing.
    """
    if pebble_available():
        return True
    print(PEBBLE_HINT)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - not in IPython
        return False
    shell = get_ipython()
    if shell is None:
        return False
    note = "print('skipped: this cell needs pebble (see the top of the notebook)')\n"

    def skip(lines: list[str]) -> list[str]:
        return [note] if any(line.strip() for line in lines) else lines

    if not any(getattr(t, "__name__", "") == "skip" and getattr(t, "__module__", "") == __name__
               for t in shell.input_transformers_post):
        shell.input_transformers_post.append(skip)
    return False


def _chall_type(challb: Any) -> str:
    # acme >= 3 no longer models tls-alpn-01: it arrives as UnrecognizedChallenge (its JSON kept in .jobj)
    typ = challb.chall.typ
    return typ if isinstance(typ, str) else str(challb.chall.jobj.get("type", "?"))


def _chall_token(challb: Any) -> str:
    token = getattr(challb.chall, "token", None)
    return _b64url(token) if isinstance(token, bytes) else str(challb.chall.jobj.get("token", ""))


def _response_for(challb: Any, jwk: Any, keyauth: str) -> Any:
    """The library's response object for a challenge; its JSON is {} (RFC 8555 §7.5.1, erratum 5729)."""
    from acme import challenges as acme_challenges

    if isinstance(challb.chall, acme_challenges.KeyAuthorizationChallenge):
        return challb.chall.response(jwk)

    class TlsAlpn01Response(acme_challenges.KeyAuthorizationChallengeResponse):
        typ = "tls-alpn-01"

    return TlsAlpn01Response(key_authorization=keyauth)


def csr_for(names: Sequence[str], key: Any) -> x509.CertificateSigningRequest:
    """A CSR for exactly ``names`` (CN = the first, all of them as SAN DNS names), signed by ``key``.

    ACME orders every name a CSR holds, its CN included (the acme library
    reads both), so a CSR whose CN is another name would order that one too.
    """
    from .build import key_algorithm_of

    if not names:
        raise CertlabError("names", "must name at least one DNS name")
    algorithm = None if key_algorithm_of(key) in ("ed25519", "ed448") else hashes.SHA256()
    return (x509.CertificateSigningRequestBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .sign(key, algorithm))


def _csr_pem(csr: Any) -> bytes:
    if isinstance(csr, x509.CertificateSigningRequest):
        return csr.public_bytes(serialization.Encoding.PEM)
    if isinstance(csr, (bytes, str)) and b"CERTIFICATE REQUEST" in (csr.encode() if isinstance(csr, str) else csr):
        return csr.encode() if isinstance(csr, str) else csr
    raise CertlabError("csr", "must be a cryptography CertificateSigningRequest or its PEM", type(csr).__name__)


def _iter_problems(problem: AcmeProblem) -> Iterator[AcmeProblem]:
    yield problem
    for sub in problem.subproblems:
        yield from _iter_problems(sub)
