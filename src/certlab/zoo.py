"""A zoo of broken (and two healthy) HTTPS servers on 127.0.0.1, each failure explained.

badssl.com shows that a connection fails; the zoo shows *why*, in which
certificate and which bytes, and needs no internet.  :meth:`Zoo.start` builds
every setup with one teaching CA and serves each on its own free loopback
port; :meth:`Zoo.report` asks three real clients live —

* Python's :mod:`ssl` (OpenSSL's verifier, hostname checked, no system roots),
* ``openssl s_client -verify_return_error`` (the command line tool),
* ``cryptography.x509.verification`` (pyca's RFC 5280 + CA/B Forum profile),
  given the chain exactly as the server sent it (read back from s_client),

and sets certlab's explanation beside them: the certificate at fault, the node
path of the field that causes it, and the fix (texts in
:mod:`certlab.knowledge.zoo`).  A client's words are captured when asked, never
typed in, so an upgrade that changes them changes the lesson with them.

Some setups OpenSSL refuses at the *server* side (a SHA-1-signed intermediate
or an RSA-1024 key under the default security level 2): those servers run
with ``@SECLEVEL=0`` on their own context only.  A server whose key does not
match its certificate cannot be configured at all (``load_cert_chain`` says
*key values mismatch*); the zoo shows that refusal, and to let clients see
the symptom it runs a TLS 1.2 server with a look-alike certificate and swaps
the certificate bytes on the wire, which is what a mismatched key looks like to
a client.

Lifecycle (:mod:`certlab.servers`): every server stops with :meth:`Zoo.stop`, a ``with``
block, after ``lifetime`` seconds, when the zoo is garbage-collected, when Python
exits or on SIGTERM; nothing is
written to disk (the keys reach OpenSSL through in-memory files, see
:mod:`certlab.tls`); the private keys stay in this process.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
import random
import re
import secrets
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from . import progress, tls
from .build import TeachingCA, build_csr, generate_key
from .chain import verify_chain
from .errors import CertlabError
from .servers import HOST as HOST_IP, Lifecycle, start_thread
from .knowledge.zoo import CASES, ZooCase
from .spec import CertificateSpec, CsrSpec, KeySpec, Subject

__all__ = ["CASES", "ClientVerdict", "Mystery", "Zoo", "ZooReport", "ZooServer", "ZooTable", "names", "peer_chain", "resolve_path"]

HOST = "localhost"  # the name every zoo client expects (the servers listen on 127.0.0.1)
_EC = KeySpec("ec", curve="P-256")
_OPENSSL_TIMEOUT = 20.0


def names(*, healthy: bool | None = None) -> tuple[str, ...]:
    """The zoo's case names (``healthy=False``: only the broken ones)."""
    return tuple(n for n, c in CASES.items() if healthy is None or c.healthy == healthy)


# --------------------------------------------------------------------------- building the setups


@dataclass
class _Setup:
    cert: x509.Certificate  # what the server presents first
    key: Any  # its private key (never leaves this process)
    sent: tuple[x509.Certificate, ...]  # what the server sends after its certificate
    seclevel0: bool = False
    swap_to: x509.Certificate | None = None  # key mismatch: the certificate clients see instead
    server_refusal: str = ""  # what OpenSSL said when the server was configured the honest way
    crl_check: bool = False  # clients that check revocation are asked too
    issuers: tuple[x509.Certificate, ...] = ()  # certificates of the CAs involved, leaf's issuer first


def _name(cn: str, org: str = "certlab zoo") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, org), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _ski(cert: x509.Certificate) -> x509.AuthorityKeyIdentifier:
    ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def _sub_ca(issuer: x509.Certificate, issuer_key: Any, cn: str, *, ca: bool = True, path_length: int | None = 0,
            digest: hashes.HashAlgorithm | None = None, constraints: x509.NameConstraints | None = None,
            now: _dt.datetime) -> tuple[x509.Certificate, Any]:
    """An intermediate signed by ``issuer``: the zoo varies exactly one thing at a time."""
    key = ec.generate_private_key(ec.SECP256R1())
    b = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(issuer.subject)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(now - _dt.timedelta(hours=1)).not_valid_after(now + _dt.timedelta(days=365))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length if ca else None), critical=True)
         .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
         .add_extension(_ski(issuer), critical=False))
    if constraints is not None:
        b = b.add_extension(constraints, critical=True)  # RFC 5280 §4.2.1.10: MUST be critical
    cert = b.sign(issuer_key, hashes.SHA256())
    if isinstance(digest, hashes.SHA1):
        cert = _resign_sha1(cert, issuer_key)
    return cert, key


_ECDSA_WITH_SHA1 = "1.2.840.10045.4.1"  # RFC 3279 §2.2.3


def _resign_sha1(cert: x509.Certificate, issuer_key: Any) -> x509.Certificate:
    """``cert`` signed again with ecdsa-with-SHA1: cryptography no longer signs with SHA-1, so
    the TBS is re-encoded with pyasn1 and signed with the hazmat ECDSA primitive."""
    from pyasn1.codec.der import decoder, encoder
    from pyasn1.type import univ
    from pyasn1_alt_modules import rfc5280

    if not isinstance(issuer_key, ec.EllipticCurvePrivateKey):
        raise CertlabError("key", "the SHA-1 zoo case signs with an EC CA key", type(issuer_key).__name__)
    asn1, _ = decoder.decode(cert.public_bytes(serialization.Encoding.DER), asn1Spec=rfc5280.Certificate())
    for alg in (asn1["tbsCertificate"]["signature"], asn1["signatureAlgorithm"]):
        alg["algorithm"] = univ.ObjectIdentifier(_ECDSA_WITH_SHA1)
    tbs = encoder.encode(asn1["tbsCertificate"])
    asn1["signature"] = univ.BitString.fromOctetString(issuer_key.sign(tbs, ec.ECDSA(hashes.SHA1())))
    return x509.load_der_x509_certificate(encoder.encode(asn1))


def _leaf_under(issuer: x509.Certificate, issuer_key: Any, *, key: Any = None, sans: Sequence[str] = (HOST,),
                now: _dt.datetime, serial: int | None = None) -> tuple[x509.Certificate, Any]:
    key = key if key is not None else ec.generate_private_key(ec.SECP256R1())
    b = (x509.CertificateBuilder().subject_name(_name(HOST)).issuer_name(issuer.subject)
         .public_key(key.public_key()).serial_number(serial or x509.random_serial_number())
         .not_valid_before(now - _dt.timedelta(hours=1)).not_valid_after(now + _dt.timedelta(days=30))
         .add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
         .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
         .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
         .add_extension(_ski(issuer), critical=False))
    return b.sign(issuer_key, hashes.SHA256()), key


def _issue(ca: TeachingCA, *, sans: Sequence[str] = (HOST,), key_spec: KeySpec = _EC, key: Any = None,
           spec: CertificateSpec | None = None, now: _dt.datetime) -> tuple[x509.Certificate, Any]:
    """A leaf the teaching CA issues from a CSR, as in notebook 05."""
    key = key if key is not None else generate_key(key_spec)
    csr = build_csr(CsrSpec(subject=Subject(common_name=HOST, country="", state="", locality="", organization="certlab zoo"),
                            sans=tuple(sans), key=key_spec), key)
    return ca.issue(csr, spec, now=now), key


def _build(name: str, ca: TeachingCA, other: TeachingCA, now: _dt.datetime) -> _Setup:
    inter = ca.intermediate
    assert inter is not None
    root_key, inter_key = ca._root_key, ca._issuer_key
    chain = (inter,)
    if name == "healthy":
        cert, key = _issue(ca, now=now)
        return _Setup(cert, key, chain)
    if name == "healthy-rsa":
        cert, key = _issue(ca, key_spec=KeySpec("rsa", size=2048), now=now)
        return _Setup(cert, key, chain)
    if name == "expired":
        cert, key = _issue(ca, spec=CertificateSpec(not_before=now - _dt.timedelta(days=40), validity_days=30), now=now)
        return _Setup(cert, key, chain)
    if name == "not-yet-valid":
        cert, key = _issue(ca, spec=CertificateSpec(not_before=now + _dt.timedelta(days=30), validity_days=30), now=now)
        return _Setup(cert, key, chain)
    if name == "wrong-host":
        cert, key = _issue(ca, sans=("wrong.host.example",), now=now)
        return _Setup(cert, key, chain)
    if name == "self-signed":
        key = ec.generate_private_key(ec.SECP256R1())
        n = _name(HOST)
        cert = (x509.CertificateBuilder().subject_name(n).issuer_name(n).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - _dt.timedelta(hours=1))
                .not_valid_after(now + _dt.timedelta(days=30))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
                .sign(key, hashes.SHA256()))
        return _Setup(cert, key, ())
    if name == "untrusted-root":
        cert, key = _issue(other, now=now)
        assert other.intermediate is not None
        return _Setup(cert, key, (other.intermediate,), issuers=(other.intermediate, other.root))
    if name == "incomplete-chain":
        cert, key = _issue(ca, now=now)
        return _Setup(cert, key, ())
    if name == "wrong-order":
        cert, key = _issue(ca, now=now)
        return _Setup(cert, key, (ca.root, inter))  # root before the intermediate that links the leaf
    if name == "revoked":
        cert, key = _issue(ca, now=now)
        ca.revoke(cert, "key_compromise")
        return _Setup(cert, key, chain, crl_check=True)
    if name == "sha1-intermediate":
        sub, sub_key = _sub_ca(ca.root, root_key, "certlab zoo SHA-1 Intermediate", digest=hashes.SHA1(), now=now)
        cert, key = _leaf_under(sub, sub_key, now=now)
        return _Setup(cert, key, (sub,), seclevel0=True, issuers=(sub, ca.root))
    if name == "rsa1024":
        cert, key = _issue(ca, key=rsa.generate_private_key(public_exponent=65537, key_size=1024),
                           key_spec=KeySpec("rsa", size=2048), now=now)
        return _Setup(cert, key, chain, seclevel0=True)
    if name == "cn-only":
        cert, key = _issue(ca, sans=(), now=now)
        return _Setup(cert, key, chain)
    if name == "eku-client-only":
        cert, key = _issue(ca, spec=CertificateSpec(extended_key_usage=("clientAuth",)), now=now)
        return _Setup(cert, key, chain)
    if name == "intermediate-not-ca":
        sub, sub_key = _sub_ca(ca.root, root_key, "certlab zoo Not-a-CA Intermediate", ca=False, now=now)
        cert, key = _leaf_under(sub, sub_key, now=now)
        return _Setup(cert, key, (sub,), issuers=(sub, ca.root))
    if name == "pathlen-exceeded":
        sub, sub_key = _sub_ca(inter, inter_key, "certlab zoo Sub-Intermediate", now=now)
        cert, key = _leaf_under(sub, sub_key, now=now)
        return _Setup(cert, key, (sub, inter), issuers=(sub, inter, ca.root))
    if name == "name-constraints":
        nc = x509.NameConstraints(permitted_subtrees=[x509.DNSName("example.org")], excluded_subtrees=None)
        sub, sub_key = _sub_ca(ca.root, root_key, "certlab zoo example.org-only Intermediate", constraints=nc, now=now)
        cert, key = _leaf_under(sub, sub_key, now=now)
        return _Setup(cert, key, (sub,), issuers=(sub, ca.root))
    if name == "key-mismatch":
        return _key_mismatch(ca, now)
    if name == "many-sans":
        sans = [HOST] + [f"n{i}.sans.example" for i in range(9999)]
        cert, key = _leaf_under(inter, inter_key, sans=sans, now=now)
        return _Setup(cert, key, chain)
    raise CertlabError("name", "must be one of the zoo's cases: " + ", ".join(CASES), name)


def _key_mismatch(ca: TeachingCA, now: _dt.datetime) -> _Setup:
    """Two leaves alike in every byte count, with different keys: the server holds B's key, clients see A."""
    inter = ca.intermediate
    assert inter is not None
    serial = x509.random_serial_number()
    key_a = ec.generate_private_key(ec.SECP256R1())
    key_b = ec.generate_private_key(ec.SECP256R1())
    cert_b, _ = _leaf_under(inter, ca._issuer_key, key=key_b, now=now, serial=serial)
    for _ in range(64):  # ECDSA signatures are 70-72 bytes: re-sign until the lengths agree
        cert_a, _ = _leaf_under(inter, ca._issuer_key, key=key_a, now=now, serial=serial)
        if len(cert_a.public_bytes(serialization.Encoding.DER)) == len(cert_b.public_bytes(serialization.Encoding.DER)):
            break
    else:  # pragma: no cover - 64 misses in a row do not happen
        raise CertlabError("key-mismatch", "could not make two certificates of equal length", "")
    refusal = ""
    try:
        _context(cert_a, key_b, (inter,))
    except ssl.SSLError as exc:
        refusal = _ssl_text(exc)
    return _Setup(cert_b, key_b, (inter,), swap_to=cert_a, server_refusal=refusal)


# --------------------------------------------------------------------------- servers


def _context(cert: x509.Certificate, key: Any, chain: Sequence[x509.Certificate], *, seclevel0: bool = False,
             tls12: bool = False) -> ssl.SSLContext:
    """A server context like :func:`certlab.tls` makes, with the zoo's knobs; raises ssl.SSLError as OpenSSL does."""
    password = secrets.token_bytes(32)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.BestAvailableEncryption(password))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if tls12:  # the Certificate message travels in clear only up to TLS 1.2 (RFC 8446 encrypts it)
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    if seclevel0:  # OpenSSL's default level 2 refuses SHA-1 signatures and RSA < 2048 on the server too
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    with tls._readable_paths(tls._pem_chain(cert, chain), key_pem) as (cert_path, key_path):
        context.load_cert_chain(cert_path, key_path, password=password)
    return context


_SSL_LOCATION = re.compile(r" \(_ssl\.c:\d+\)$")


def _ssl_text(exc: BaseException) -> str:
    """Python's own message, without the C source location (``(_ssl.c:1006)``) that changes with every build."""
    text = _SSL_LOCATION.sub("", str(exc) or type(exc).__name__)
    if isinstance(exc, ssl.SSLCertVerificationError):
        text = f"{text} [verify code {exc.verify_code}]"
    return text


class _Swapper:
    """A loopback TCP relay that replaces one certificate's bytes with another's, server to client."""

    def __init__(self, backend_port: int, old: bytes, new: bytes, life: Lifecycle) -> None:
        self.old, self.new, self.backend_port = old, new, backend_port
        self.sock = life.listen()
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = start_thread(threading.Thread(target=self._accept, name=f"certlab-zoo-swap-{self.port}",
                                                    daemon=True))
        life.on_stop(self.stop)

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = self.sock.accept()
            except (socket.timeout, TimeoutError):
                continue
            except OSError:
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        try:
            backend = socket.create_connection(("127.0.0.1", self.backend_port), timeout=tls._IO_TIMEOUT)
        except OSError:
            client.close()
            return
        client.settimeout(tls._IO_TIMEOUT)
        up = threading.Thread(target=self._pump, args=(client, backend, False), daemon=True)
        up.start()
        self._pump(backend, client, True)
        up.join(timeout=tls._IO_TIMEOUT)

    def _pump(self, src: socket.socket, dst: socket.socket, swap: bool) -> None:
        pending, swapped = b"", not swap
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if swapped:
                    dst.sendall(data)
                    continue
                pending += data
                if self.old in pending:
                    pending, swapped = pending.replace(self.old, self.new, 1), True
                elif len(pending) > 256 * 1024:
                    swapped = True
                if swapped:
                    dst.sendall(pending)
                    pending = b""
            if pending:
                dst.sendall(pending)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def stop(self) -> None:
        self.stopped.set()
        self.sock.close()
        self.thread.join(timeout=tls._IO_TIMEOUT)


@dataclass(eq=False)
class ZooServer:
    """One running zoo server: ``url`` is where to connect (check the name ``localhost``)."""

    name: str
    case: ZooCase
    port: int
    certificate: x509.Certificate  # what clients receive first (public)
    sent: tuple[x509.Certificate, ...]  # what follows it on the wire
    server_refusal: str = ""
    _setup: _Setup | None = field(default=None, repr=False)
    _server: Any = field(default=None, repr=False)  # certlab.tls's server: its info logs the handshakes
    _life: Lifecycle | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        """Stop this server and free its port (idempotent)."""
        if self._life is not None:
            self._life.stop()

    @property
    def running(self) -> bool:
        return self._life is not None and self._life.running


def _serve(name: str, setup: _Setup) -> ZooServer:
    if setup.seclevel0 and not setup.server_refusal:
        try:  # what OpenSSL says when the server is configured at its default security level
            _context(setup.cert, setup.key, setup.sent)
        except ssl.SSLError as exc:
            setup.server_refusal = _ssl_text(exc)
    context = _context(setup.cert, setup.key, setup.sent, seclevel0=setup.seclevel0, tls12=setup.swap_to is not None)
    server = tls._Server((HOST_IP, 0), context, f"certlab zoo: {name}\n")
    port = server.info.port
    zs = ZooServer(name, CASES[name], port, setup.cert, setup.sent, setup.server_refusal, _setup=setup, _server=server)
    life = zs._life = Lifecycle(zs, f"zoo-{name}-{port}")
    life.on_stop(server.server_close)
    life.serve(server, f"zoo-{name}", poll_interval=0.1)
    if setup.swap_to is not None:
        swapper = _Swapper(port, setup.cert.public_bytes(serialization.Encoding.DER),
                           setup.swap_to.public_bytes(serialization.Encoding.DER), life)
        zs.port, zs.certificate = swapper.port, setup.swap_to
    return zs


class Zoo:
    """The running zoo: ``zoo["expired"].url``, ``zoo.trust`` (the roots a client should trust), ``zoo.report(name)``."""

    ca: TeachingCA
    revocation: Any  # certlab.revocation.RevocationService
    servers: dict[str, ZooServer]
    _other: TeachingCA
    _life: Lifecycle

    def __init__(self) -> None:  # pragma: no cover - use Zoo.start()
        raise TypeError("use Zoo.start() to run the zoo")

    @classmethod
    def start(cls, only: Sequence[str] | None = None, *, lifetime: float = 3600.0) -> Zoo:
        """Build the setups and serve each on a free 127.0.0.1 port (all cases, or ``only`` these)."""
        chosen = list(only) if only is not None else list(CASES)
        for n in chosen:
            if n not in CASES:
                raise CertlabError("name", "must be one of the zoo's cases: " + ", ".join(CASES), n)
        self = object.__new__(cls)
        now = _dt.datetime.now(_dt.timezone.utc)
        self.ca = TeachingCA.create(name="certlab Zoo Root CA")
        self.servers = {}
        # certlab.servers stops them all at stop(), after lifetime, when the zoo is garbage-collected,
        # at exit or on SIGTERM; the lifecycle holds the servers, never the zoo
        self._life = Lifecycle(self, "zoo", lifetime=lifetime)
        self.revocation = self.ca.serve_revocation(lifetime=lifetime)
        self._life.on_stop(self.revocation.stop)
        self._other = TeachingCA.create(name="certlab Stranger Root CA")
        try:
            for n in chosen:
                served = self.servers[n] = _serve(n, _build(n, self.ca, self._other, now))
                self._life.on_stop(served.stop)
        except BaseException:
            self.stop()
            raise
        return self

    @property
    def trust(self) -> tuple[x509.Certificate, ...]:
        """The roots a zoo client trusts: the zoo's teaching root only."""
        return (self.ca.root,)

    def __getitem__(self, name: str) -> ZooServer:
        try:
            return self.servers[name]
        except KeyError:
            raise CertlabError("name", "is not running in this zoo; running: " + ", ".join(self.servers), name) from None

    def __iter__(self) -> Iterator[ZooServer]:
        return iter(self.servers.values())

    def __len__(self) -> int:
        return len(self.servers)

    def stop(self) -> None:
        """Stop every server and the revocation service (idempotent)."""
        self._life.stop()

    def __enter__(self) -> Zoo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        up = sum(s.running for s in self.servers.values())
        return f"<Zoo {up}/{len(self.servers)} servers running on 127.0.0.1>"

    def reports(self) -> tuple[ZooReport, ...]:
        """A live report of every running server (a second or two for the whole zoo)."""
        return tuple(self.report(n) for n in self.servers)

    def table(self) -> ZooTable:
        """Every server's verdicts side by side (asked now), for a notebook."""
        return ZooTable(self.reports())

    def report(self, name: str) -> ZooReport:
        """Ask the three clients about server ``name`` now, and explain the outcome."""
        server = self[name]
        seen = len(server._server.info.handshake_errors) if server._server is not None else 0
        verdicts = [_ask_python(server, self.trust)]
        if server._setup is not None and server._setup.crl_check:
            verdicts.append(_ask_python(server, self.trust, crl_check=True))
        s_client, sent = _ask_openssl(server, self.trust)
        verdicts.append(s_client)
        if server._setup is not None and server._setup.crl_check:
            verdicts.append(_ask_openssl(server, self.trust, crl_check=True)[0])
        configured = (server.certificate, *server.sent)
        verdicts.append(_ask_cryptography(sent or configured, self.trust, received=bool(sent)))
        explanation = verify_chain(sent[0], intermediates=sent[1:], roots=self.trust, host=HOST) if sent else None
        revocation = None
        if server._setup is not None and server._setup.crl_check:
            from .revocation import check

            revocation = check([server.certificate, *server.sent])
        log: list[str] = []
        if server._server is not None:
            # the server thread logs a refused handshake just after the client hung up: wait for it (bounded)
            refused = sum(1 for v in verdicts if not v.accepted and not v.client.startswith("cryptography"))
            deadline = time.monotonic() + 2.0
            while len(server._server.info.handshake_errors) - seen < refused and time.monotonic() < deadline:
                time.sleep(0.02)
            log = server._server.info.handshake_errors[seen:]
        return ZooReport(server.name, server.case, server.url, tuple(verdicts), sent, explanation, revocation,
                         server.server_refusal, configured, tuple(dict.fromkeys(log)))


# --------------------------------------------------------------------------- the three clients


@dataclass(frozen=True)
class ClientVerdict:
    """What one real client said: ``accepted`` or not, in its own words (``said``)."""

    client: str
    accepted: bool
    said: str
    command: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"client": self.client, "accepted": self.accepted, "said": self.said, "command": self.command}


def _pem(certs: Sequence[x509.Certificate]) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def _fetch_crl(cert: x509.Certificate) -> bytes:
    """The PEM CRL a revocation-checking client downloads from the certificate's CRL Distribution Points."""
    import urllib.request

    dp = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value[0]
    url = dp.full_name[0].value if dp.full_name else ""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=tls._IO_TIMEOUT) as resp:
        crl = x509.load_der_x509_crl(resp.read())
    return crl.public_bytes(serialization.Encoding.PEM)


def _ask_python(server: ZooServer, trust: Sequence[x509.Certificate], *, crl_check: bool = False) -> ClientVerdict:
    """Python's ssl as :func:`certlab.tls.fetch` configures it (+ a CRL and VERIFY_CRL_CHECK_LEAF if asked)."""
    label = "Python ssl" + (" + CRL check (VERIFY_CRL_CHECK_LEAF)" if crl_check else "")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    store = _pem(trust)
    if crl_check:
        try:
            store += _fetch_crl(server.certificate)
        except Exception as exc:  # noqa: BLE001 - the verdict says it
            return ClientVerdict(label, False, f"could not download the CRL: {exc}")
        context.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF
    with tls._readable_paths(store) as (path,):
        context.load_verify_locations(cafile=path)  # a file: only a file (not cadata) may hold CRLs
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=tls._IO_TIMEOUT) as raw:
            with context.wrap_socket(raw, server_hostname=HOST) as conn:
                return ClientVerdict(label, True, f"handshake OK ({conn.version()})")
    except (ssl.SSLError, OSError) as exc:
        return ClientVerdict(label, False, _ssl_text(exc))


_PEM_RE = re.compile(rb"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]{1,400000}?-----END CERTIFICATE-----")
_VERIFY_ERROR_RE = re.compile(r"verify error:num=(\d+):([^\n]{0,200})")
_RETURN_RE = re.compile(r"Verify return code: (\d+) \(([^)\n]{0,200})\)")


@contextmanager
def _child_paths(*blobs: bytes) -> Iterator[tuple[list[str], list[int]]]:
    """Paths a child process can open (``/dev/fd/N`` of in-memory files it inherits), nothing on disk."""
    if not hasattr(os, "memfd_create"):  # pragma: no cover - Linux has it
        with tls._readable_paths(*blobs) as paths:
            yield list(paths), []
        return
    fds = []
    try:
        for data in blobs:
            fd = os.memfd_create("certlab-zoo", 0)
            os.write(fd, data)
            os.lseek(fd, 0, os.SEEK_SET)
            fds.append(fd)
        yield [f"/dev/fd/{fd}" for fd in fds], fds
    finally:
        for fd in fds:
            os.close(fd)


def _ask_openssl(server: ZooServer, trust: Sequence[x509.Certificate], *, crl_check: bool = False,
                 stop_on_error: bool = True) -> tuple[ClientVerdict, tuple[x509.Certificate, ...]]:
    """``openssl s_client -verify_return_error`` (+ ``-crl_check -crl_download``); returns the chain it received."""
    import shutil

    exe = shutil.which("openssl")
    label = "openssl s_client" + (" -crl_check -crl_download" if crl_check else "")
    if exe is None:
        return ClientVerdict(label, False, "openssl is not installed here"), ()
    with _child_paths(_pem(trust)) as (paths, fds):
        args = [exe, "s_client", "-connect", f"127.0.0.1:{server.port}", "-servername", HOST,
                "-verify_hostname", HOST, "-showcerts"]
        if trust:  # an empty CAfile is an error to openssl
            args += ["-CAfile", paths[0]]
        if stop_on_error:
            args.append("-verify_return_error")
        if crl_check:
            args += ["-crl_check", "-crl_download"]
        shown = " ".join(["openssl", *args[1:]]).replace(paths[0], "root.pem")
        try:
            proc = subprocess.run(args, input=b"", capture_output=True, timeout=_OPENSSL_TIMEOUT, pass_fds=fds)
        except subprocess.TimeoutExpired:
            return ClientVerdict(label, False, "timed out", shown), ()
    out = proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")
    sent: list[x509.Certificate] = []
    for m in _PEM_RE.finditer(proc.stdout):
        try:
            sent.append(x509.load_pem_x509_certificate(m.group(0)))
        except ValueError:
            continue
    errors = [f"verify error:num={n}:{msg.strip()}" for n, msg in _VERIFY_ERROR_RE.findall(out)]
    ret = _RETURN_RE.search(out)
    accepted = proc.returncode == 0 and not errors and ret is not None and ret.group(1) == "0"
    if accepted:
        said = f"Verify return code: 0 ({ret.group(2)})" if ret else "connected"
    elif errors:
        said = errors[0]
    else:  # a handshake failure that is no verification error: OpenSSL's error line
        lines = [ln for ln in out.splitlines() if ":error:" in ln]
        said = re.sub(r"^[0-9A-F]+:error:[0-9A-F]+:", "", lines[0]) if lines else (out.strip().splitlines() or ["failed"])[-1]
        said = re.sub(r":[^:\s]{1,200}\.c:\d+:?$", "", said)  # the C source location changes with every build
    return ClientVerdict(label, accepted, said[:300], shown), tuple(sent)


def _ask_cryptography(sent: Sequence[x509.Certificate], trust: Sequence[x509.Certificate], *,
                      received: bool = True) -> ClientVerdict:
    """The verifier, on the chain as received (or, when no client received one, as the server is configured)."""
    label = "cryptography.x509.verification" + ("" if received else " (on the chain the server is configured with: no client received it)")
    verifier = PolicyBuilder().store(Store(list(trust))).build_server_verifier(x509.DNSName(HOST))
    try:
        chain = verifier.verify(sent[0], list(sent[1:]))
    except VerificationError as exc:
        return ClientVerdict(label, False, str(exc)[:400])
    except Exception as exc:  # noqa: BLE001 - e.g. a certificate it cannot parse: still its words
        return ClientVerdict(label, False, f"{type(exc).__name__}: {exc}"[:400])
    return ClientVerdict(label, True, f"chain of {len(chain)} verified")


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class ZooReport:
    """One zoo server, asked live: what each client said and what certlab says is at fault."""

    name: str
    case: ZooCase
    url: str
    verdicts: tuple[ClientVerdict, ...]
    sent: tuple[x509.Certificate, ...]  # the chain as received (leaf first)
    chain: Any  # certlab.chain.ChainResult of the received chain, or None
    revocation: Any  # certlab.revocation.RevocationReport for the revoked case
    server_refusal: str = ""
    configured: tuple[x509.Certificate, ...] = ()  # what the server is configured to send
    server_saw: tuple[str, ...] = ()  # the server's side of the refused handshakes (OpenSSL's alert texts)

    @property
    def fault_certificate(self) -> x509.Certificate | None:
        """The certificate the fault is in (``case.fault`` indexes the chain as received)."""
        idx = self.case.fault_index
        chain = self.sent or self.configured  # nothing arrives when the handshake fails early (many-sans)
        if idx is None or idx >= len(chain):
            return None
        return chain[idx]

    @property
    def fault_path(self) -> str | None:
        """``case.path`` with ``[OID]`` replaced by that extension's index in the faulty certificate."""
        return resolve_path(self.case.path, self.fault_certificate)

    def verdict(self, client_prefix: str) -> ClientVerdict:
        for v in self.verdicts:
            if v.client.startswith(client_prefix):
                return v
        raise KeyError(client_prefix)

    def __str__(self) -> str:
        c = self.case
        lines = [f"{self.name}: {c.title} ({'healthy' if c.healthy else 'broken'}) at {self.url}"]
        for v in self.verdicts:
            lines.append(f"  {'accepts' if v.accepted else 'REFUSES'}  {v.client}: {v.said}")
        if self.server_refusal:
            lines.append(f"  configuring the server, OpenSSL said: {self.server_refusal} (the zoo works around it)")
        if self.revocation is not None:
            lines.append(f"  certlab.revocation.check: {self.revocation.status}")
        if self.server_saw:
            lines.append(f"  the server's log: {'; '.join(self.server_saw)}")
        lines.append(f"  certlab: {c.explanation}")
        if c.path:
            lines.append(f"  at: {c.fault} certificate, {self.fault_path}")
        lines.append(f"  fix: {c.fix}  ({c.citation})")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        esc = html.escape
        c = self.case
        rows = "".join(
            f"<tr><td>{esc(v.client)}</td><td>{'✔ accepts' if v.accepted else '✘ refuses'}</td>"
            f"<td><code>{esc(v.said)}</code></td></tr>" for v in self.verdicts)
        refusal = (f"<p>Configuring this server, OpenSSL itself refused: <code>{esc(self.server_refusal)}</code> "
                   "(the zoo works around it to show what clients see).</p>" if self.server_refusal else "")
        if self.revocation is not None:
            said = "; ".join(f"{o.method.upper()} {o.status} (at {o.path})" for o in self.revocation.outcomes
                             if o.method in ("crl", "ocsp") and o.status != "not-offered")
            refusal += f"<p><b>certlab.revocation.check:</b> {esc(self.revocation.status)}: {esc(said)}</p>"
        if self.server_saw:
            refusal += ("<p>The server's log of those handshakes: "
                        + ", ".join(f"<code>{esc(x)}</code>" for x in self.server_saw) + "</p>")
        where = (f"<p><b>At fault:</b> the {esc(c.fault)} certificate, node <code>{esc(self.fault_path or '')}</code></p>"
                 if c.path else f"<p><b>At fault:</b> {esc(c.fault)}</p>")
        return (f'<div class="certlab-zoo"><b>{esc(self.name)}</b>: {esc(c.title)} '
                f"<small>({'healthy' if c.healthy else 'broken'}, {esc(self.url)})</small>"
                f"<table><tr><th>client</th><th>verdict</th><th>in its own words</th></tr>{rows}</table>"
                f"{refusal}<p><b>certlab:</b> {esc(c.explanation)}</p>{where}"
                f"<p><b>Fix:</b> {esc(c.fix)} <small>({esc(c.citation)})</small></p></div>")


_EXT_SLOT = re.compile(r"\[(\d+(?:\.\d+)+)\]")


def resolve_path(path: str | None, cert: x509.Certificate | None) -> str | None:
    """A zoo node path with ``extensions.[2.5.29.37]`` turned into ``extensions.3`` for ``cert``."""
    if path is None or cert is None or "[" not in path:
        return path
    oids = [ext.oid.dotted_string for ext in cert.extensions]

    def index(m: re.Match[str]) -> str:
        return str(oids.index(m.group(1))) if m.group(1) in oids else m.group(0)

    return _EXT_SLOT.sub(index, path)


def peer_chain(url: str) -> tuple[x509.Certificate, ...]:
    """The certificates a server at ``https://127.0.0.1:PORT/`` sends, in its order (read by ``openssl s_client -showcerts``).

    Inspect them with ``certlab.show(cert)`` or ``certlab.verify_chain(...)``;
    empty when the handshake fails before the certificates arrive.
    """
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost") or parts.port is None:
        raise CertlabError("url", "must be a loopback zoo URL such as https://127.0.0.1:PORT/", url)
    probe = ZooServer("peer", CASES["healthy"], parts.port, None, ())  # type: ignore[arg-type]
    return _ask_openssl(probe, (), stop_on_error=False)[1]


@dataclass(frozen=True)
class ZooTable:
    """The zoo at a glance: one row per server, one column per client."""

    reports: tuple[ZooReport, ...]

    _COLUMNS = ("Python ssl", "openssl s_client", "cryptography")

    @staticmethod
    def _crl_note(report: ZooReport) -> str:
        """For servers only a revocation-checking client can catch: what such clients said."""
        checking = [v for v in report.verdicts if "CRL" in v.client or "crl" in v.client]
        if not checking:
            return ""
        refused = sum(not v.accepted for v in checking)
        return f" (clients checking the CRL: {refused} of {len(checking)} refuse)"

    def _cell(self, report: ZooReport, prefix: str) -> ClientVerdict:
        return next(v for v in report.verdicts if v.client.startswith(prefix))

    def __str__(self) -> str:
        lines = [f"{'server':22} {'Python ssl':12} {'s_client':12} {'cryptography':12} at fault"]
        for r in self.reports:
            marks = ["accepts" if self._cell(r, c).accepted else "REFUSES" for c in self._COLUMNS]
            lines.append(f"{r.name:22} {marks[0]:12} {marks[1]:12} {marks[2]:12} {r.case.fault}{self._crl_note(r)}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = []
        left = ' style="text-align:left;vertical-align:top"'  # JupyterLab right-aligns table cells
        head = "".join(f"<th{left}>{esc(c)}</th>" for c in self._COLUMNS)
        for r in self.reports:
            cells = "".join(
                f'<td{left} title="{esc(v.said)}">{"✔" if v.accepted else "✘"} <small>{esc(_gist(v.said))}</small></td>'
                for v in (self._cell(r, c) for c in self._COLUMNS))
            rows.append(f"<tr><td{left}><code>{esc(r.name)}</code><br><small>{esc(r.case.title)}</small></td>{cells}"
                        f"<td{left}>{esc(r.case.fault)}{esc(self._crl_note(r))}</td></tr>")
        return (f'<table class="certlab-zoo-table"><tr><th{left}>server</th>{head}<th{left}>at fault</th></tr>'
                f"{''.join(rows)}</table>")


_GIST_PREFIXES = ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ", "validation failed: ")


def _gist(said: str, limit: int = 90) -> str:
    """A client's words cut to their point for a table cell (the cell's title keeps them whole)."""
    for prefix in _GIST_PREFIXES:
        if said.startswith(prefix):
            said = said[len(prefix):]
    said = said.split(" (encountered processing", 1)[0]
    return said if len(said) <= limit else said[:limit - 1] + "…"


# --------------------------------------------------------------------------- the mystery server


#: notebook 08's mystery-server exercise, listed by ``certlab progress``
MYSTERY_EXERCISE = progress.register("mystery_server", "08-when-certificates-fail", "Diagnose the mystery server")


class Mystery:
    """One random broken zoo server; inspect it, then ``check(name)`` your diagnosis.

    ``url`` is where it listens; ``trust`` the root to trust; the answer stays
    hidden until :meth:`reveal`.  ``stop()`` (or the end of Python) frees the port.
    """

    def __init__(self, *, seed: int | None = None, choices: Sequence[str] | None = None) -> None:
        pool = list(choices) if choices is not None else list(names(healthy=False))
        for n in pool:
            if n not in CASES:
                raise CertlabError("choices", "must name zoo cases", n)
        self._answer = random.Random(seed).choice(pool)
        self.choices = tuple(names())
        self._zoo = Zoo.start([self._answer])
        self.tries = 0

    @property
    def url(self) -> str:
        return self._zoo[self._answer].url

    @property
    def port(self) -> int:
        return self._zoo[self._answer].port

    @property
    def trust(self) -> tuple[x509.Certificate, ...]:
        return self._zoo.trust

    def check(self, guess: str) -> tuple[bool, str]:
        """(right?, what to say) for the learner's ``guess`` (a case name); recorded by certlab.progress."""
        right, message = self._judge(guess)
        progress.record(MYSTERY_EXERCISE.id, right)
        return right, message

    def _judge(self, guess: str) -> tuple[bool, str]:
        self.tries += 1
        guess = (guess or "").strip()
        if guess not in CASES:
            return False, f"{guess!r} is not one of the zoo's cases; pick one of: {', '.join(self.choices)}"
        if guess == self._answer:
            c = CASES[guess]
            return True, f"Right: {c.title}. {c.explanation} Fix: {c.fix}"
        hint = CASES[self._answer].hint
        return False, f"Not yet: it is not {guess!r}. Hint: {hint}"

    def reveal(self) -> ZooReport:
        return self._zoo.report(self._answer)

    def stop(self) -> None:
        self._zoo.stop()

    @property
    def running(self) -> bool:
        return any(s.running for s in self._zoo)

    def __repr__(self) -> str:
        return f"<Mystery server at {self.url} ({'running' if self.running else 'stopped'})>"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m certlab.zoo [--serve]``: ask the three clients about every zoo server and print the table.

    With ``--serve`` the servers stay up (their URLs printed) until Ctrl-C.
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m certlab.zoo", description=main.__doc__)
    parser.add_argument("--serve", action="store_true", help="keep the servers running until Ctrl-C")
    args = parser.parse_args(argv)
    with Zoo.start() as zoo:
        print(zoo.table())
        if args.serve:
            print()
            for s in zoo:
                print(f"{s.name:22} {s.url}")
            print("trust this root (PEM), check the name 'localhost'; Ctrl-C stops:")
            print(zoo.ca.root.public_bytes(serialization.Encoding.PEM).decode("ascii"))
            try:
                threading.Event().wait()
            except KeyboardInterrupt:
                pass
    return 0


if __name__ == "__main__":  # pragma: no cover - exercised by the test through a subprocess
    raise SystemExit(main())
