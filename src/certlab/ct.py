"""Certificate Transparency: read the SCTs of a certificate, rebuild what the log signed, verify it.

An SCT (signed certificate timestamp) is a CT log's signed promise to publish a
certificate (:data:`certlab.knowledge.ct.PROMISE`).  A CA gets SCTs *before*
issuing: it sends the log a **precertificate**, the future certificate marked
unusable by the critical poison extension (1.3.6.1.4.1.11129.2.4.3, RFC 6962
3.1), and embeds the SCTs it gets back in the real certificate
(1.3.6.1.4.1.11129.2.4.2, RFC 6962 §3.3).  The log signed the precertificate's
TBSCertificate, so to check an embedded SCT one rebuilds that TBSCertificate
from the final certificate: cut the SCT-list extension out, re-encode the
three lengths around it (the Extensions SEQUENCE, its [3] wrapper, the
TBSCertificate), and put in front of it what RFC 6962 §3.2 lists: version,
signature type, timestamp, entry type and the SHA-256 of the issuer's key.

Pure core: bytes and cryptography objects in, dataclasses and text out.
"""

from __future__ import annotations

import base64
import datetime as _dt
import functools
import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from .der import Node, decode_oid, read
from .errors import CertlabError, WrongKind
from .knowledge.ct import ENTRY_TYPES, HASH_ALGORITHMS, POLICIES, PROMISE, SCT_VERSIONS, SIGNATURE_ALGORITHMS

__all__ = [
    "SCT_LIST_OID", "POISON_OID", "PROMISE", "TlsItem", "SCT", "Log", "SignedPart", "SctCheck",
    "read_sct_list", "sct_items", "scts", "precert_tbs", "is_precertificate", "log_list_date", "signed_data", "signed_data_parts",
    "verify_sct", "log_list", "find_log", "check", "CtReport", "policy_verdicts", "signed_data_map",
]

SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.2"   # RFC 6962 §3.3, embedded in certificates
POISON_OID = "1.3.6.1.4.1.11129.2.4.3"     # RFC 6962 §3.1, marks a precertificate
_HASHES: dict[int, type[hashes.HashAlgorithm]] = {
    2: hashes.SHA1, 3: hashes.SHA224, 4: hashes.SHA256, 5: hashes.SHA384, 6: hashes.SHA512}


# --------------------------------------------------------------------------- reading the TLS encoding

@dataclass(frozen=True)
class TlsItem:
    """One part of a TLS-encoded structure, for the tree: ``prefix`` length octets, then ``length``
    content octets at absolute ``offset``.  ``name`` is RFC 6962's field name (a key of
    :data:`certlab.knowledge.ct.TLS_ROWS`)."""

    name: str
    type_name: str
    offset: int
    prefix: int
    length: int
    value: str | None
    children: tuple[TlsItem, ...] = ()

    @property
    def end(self) -> int:
        return self.offset + self.prefix + self.length


@dataclass(frozen=True)
class SCT:
    """One SCT as read from the bytes (RFC 6962 §3.2), with where it sits."""

    offset: int
    end: int
    version: int
    log_id: bytes
    timestamp_ms: int
    extensions: bytes
    hash_algorithm: int
    signature_algorithm: int
    signature: bytes

    @property
    def timestamp(self) -> _dt.datetime:
        """The log's time, an aware UTC datetime (milliseconds kept)."""
        return _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(milliseconds=self.timestamp_ms)

    @property
    def algorithm_text(self) -> str:
        h = HASH_ALGORITHMS.get(self.hash_algorithm, f"unknown hash {self.hash_algorithm}")
        s = SIGNATURE_ALGORITHMS.get(self.signature_algorithm, f"unknown signature {self.signature_algorithm}")
        return f"{s} with {h}"


class _Short(Exception):
    pass


def _when(ms: int) -> str:
    try:
        when = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(milliseconds=ms)
    except OverflowError:
        return f"{ms} ms since 1970 (past year 9999)"
    return f"{when:%Y-%m-%d %H:%M:%S}.{when.microsecond // 1000:03d} UTC ({ms} ms since 1970)"


def _one_sct(data: bytes, pos: int, end: int) -> tuple[SCT, TlsItem]:
    """Read one SerializedSCT at ``pos`` (its 2-byte length first)."""
    if pos + 2 > end:
        raise _Short(pos, "an SCT's 2-byte length is cut off")
    n = int.from_bytes(data[pos:pos + 2], "big")
    start, stop = pos + 2, pos + 2 + n
    if stop > end:
        raise _Short(pos, f"an SCT says it has {n} bytes but only {end - start} remain")
    p = start

    def take(k: int, what: str) -> int:
        nonlocal p
        if p + k > stop:
            raise _Short(p, f"the SCT ends inside its {what}")
        at = p
        p += k
        return at

    parts: list[TlsItem] = []
    at = take(1, "version")
    version = data[at]
    parts.append(TlsItem("sct_version", "Version (uint8)", at, 0, 1,
                         f"{SCT_VERSIONS.get(version, 'unknown')} ({version})"))
    if version not in SCT_VERSIONS:
        # RFC 6962 §3.2 defines only v1; what follows another version has no known layout
        # (openssl hex-dumps it too), and a client must ignore such an SCT (RFC 6962 §5.2)
        body = data[p:stop]
        parts.append(TlsItem("body", "opaque (layout of an unknown version)", p, 0, stop - p,
                             f"{len(body)} bytes; the whole SCT: {data[start:stop].hex(':')}"))
        sct = SCT(pos, stop, version, b"", 0, b"", 0, 0, b"")
        return sct, TlsItem("sct", "SerializedSCT (opaque<1..2^16-1>)", pos, 2, n,
                            f"SCT of unknown version {version}: ignored by clients", tuple(parts))
    at = take(32, "log ID")
    log_id = data[at:at + 32]
    log = find_log(log_id)
    parts.append(TlsItem("id", "LogID (opaque[32])", at, 0, 32,
                         log_id.hex(":") + (f" ({log.description}, {log.operator})" if log else "")))
    at = take(8, "timestamp")
    ms = int.from_bytes(data[at:at + 8], "big")
    parts.append(TlsItem("timestamp", "uint64", at, 0, 8, _when(ms)))
    at = take(2, "extensions length")
    ext_len = int.from_bytes(data[at:at + 2], "big")
    take(ext_len, "extensions")
    extensions = data[at + 2:at + 2 + ext_len]
    parts.append(TlsItem("extensions", "CtExtensions (opaque<0..2^16-1>)", at, 2, ext_len,
                         extensions.hex(":") if extensions else "none"))
    at = take(1, "hash algorithm")
    h = data[at]
    parts.append(TlsItem("hash_algorithm", "HashAlgorithm (uint8)", at, 0, 1,
                         f"{HASH_ALGORITHMS.get(h, 'unknown')} ({h})"))
    at = take(1, "signature algorithm")
    s = data[at]
    parts.append(TlsItem("signature_algorithm", "SignatureAlgorithm (uint8)", at, 0, 1,
                         f"{SIGNATURE_ALGORITHMS.get(s, 'unknown')} ({s})"))
    at = take(2, "signature length")
    sig_len = int.from_bytes(data[at:at + 2], "big")
    take(sig_len, "signature")
    signature = data[at + 2:at + 2 + sig_len]
    parts.append(TlsItem("signature", "opaque signature<0..2^16-1>", at, 2, sig_len,
                         signature.hex(":") if signature else "empty"))
    if p != stop:
        raise _Short(p, f"{stop - p} bytes left over after the SCT's signature")
    sct = SCT(pos, stop, version, log_id, ms, extensions, h, s, signature)
    item = TlsItem("sct", "SerializedSCT (opaque<1..2^16-1>)", pos, 2, n,
                   f"{SCT_VERSIONS.get(version, 'unknown')} SCT, {_when(ms).split(' (')[0]}", tuple(parts))
    return sct, item


def sct_items(data: bytes, start: int = 0, end: int | None = None) -> tuple[TlsItem | None, tuple[SCT, ...], str | None]:
    """Read a SignedCertificateTimestampList from ``data[start:end]`` (RFC 6962 §3.3).

    Returns ``(tree, scts, error)``: the list as :class:`TlsItem` parts with
    absolute offsets, the SCTs read, and what went wrong (``None`` when the
    bytes were exactly one well-formed list).  Never raises for bad bytes.
    """
    end = len(data) if end is None else end
    if end - start < 2:
        return None, (), "an SCT list starts with a 2-byte length, and there are fewer bytes"
    total = int.from_bytes(data[start:start + 2], "big")
    if start + 2 + total != end:
        return None, (), f"the SCT list says it has {total} bytes, but {end - start - 2} follow"
    p, stop = start + 2, end
    found: list[SCT] = []
    items: list[TlsItem] = []
    error = None
    while p < stop:
        try:
            sct, item = _one_sct(data, p, stop)
        except _Short as exc:
            error = f"at offset {exc.args[0]}: {exc.args[1]}"
            break
        found.append(sct)
        items.append(item)
        p = sct.end
    tree = TlsItem("sct_list", "SignedCertificateTimestampList (opaque<1..2^16-1>)", start, 2, total,
                   f"{len(found)} SCT{'s' if len(found) != 1 else ''}", tuple(items))
    return tree, tuple(found), error


def read_sct_list(data: bytes) -> tuple[SCT, ...]:
    """The SCTs of a TLS-encoded SCT list (the content of the extension's inner OCTET STRING).

    Raises :class:`certlab.CertlabError` naming the offset when the bytes are not one well-formed list.
    """
    _tree, found, error = sct_items(bytes(data))
    if error is not None:
        raise CertlabError("data", "must be a TLS-encoded SignedCertificateTimestampList (RFC 6962 §3.3)", error)
    return found


# --------------------------------------------------------------------------- the certificate side

def _der_of(cert: Any) -> bytes:
    if isinstance(cert, x509.Certificate):
        return cert.public_bytes(serialization.Encoding.DER)
    if isinstance(cert, (bytes, bytearray, memoryview)):
        raw = bytes(cert)
        if raw.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(raw).public_bytes(serialization.Encoding.DER)
        return raw
    obj = getattr(cert, "obj", None)
    if isinstance(obj, x509.Certificate):
        return _der_of(obj)
    raise WrongKind("cert", "must be a certificate (object, DER or PEM)", type(cert).__name__)


@dataclass(frozen=True)
class _Layout:
    der: bytes
    tbs: Node
    exts_wrapper: Node | None   # the [3] EXPLICIT
    exts: Node | None           # the Extensions SEQUENCE
    sct_ext: Node | None        # the Extension carrying the SCT list
    sct_value: tuple[int, int] | None  # content range of the TLS-encoded list
    poison: Node | None         # the precertificate poison extension, if this is a precertificate


def _layout(der: bytes) -> _Layout:
    root, errors = read(der)
    if root is None or errors or len(root.children) != 3 or not root.children[0].children:
        raise CertlabError("cert", "must be one well-formed DER certificate",
                           errors[0].message if errors else "not a Certificate SEQUENCE")
    tbs = root.children[0]
    wrapper = next((c for c in tbs.children if c.tag_class == "context" and c.tag == 3 and c.constructed), None)
    exts = wrapper.children[0] if wrapper is not None and wrapper.children else None
    sct_ext = None
    poison = None
    value = None
    for ext in exts.children if exts is not None else ():
        if not ext.children or ext.children[0].tag != 6:
            continue
        oid_node = ext.children[0]
        oid = decode_oid(der[oid_node.content_offset:oid_node.content_end])
        if oid == POISON_OID:
            poison = ext
        if oid != SCT_LIST_OID:
            continue
        sct_ext = ext
        octets = ext.children[-1]
        inner, inner_errors = read(der[octets.content_offset:octets.content_end])
        if inner is not None and not inner_errors and inner.tag == 4 and not inner.constructed:
            value = (octets.content_offset + inner.content_offset, octets.content_offset + inner.content_end)
    return _Layout(der, tbs, wrapper, exts, sct_ext, value, poison)


def is_precertificate(cert: Any) -> bool:
    """True when ``cert`` carries the poison extension: a precertificate, made only to be logged
    (RFC 6962 §3.1); no client may accept it."""
    return _layout(_der_of(cert)).poison is not None


def scts(cert: Any) -> tuple[SCT, ...]:
    """The SCTs embedded in ``cert`` (empty when it has no SCT list extension)."""
    lay = _layout(_der_of(cert))
    if lay.sct_value is None:
        return ()
    _tree, found, _error = sct_items(lay.der, *lay.sct_value)
    return found


def _length_octets(n: int) -> bytes:
    # X.690 §8.1.3: short form below 128, else 0x80|k and k big-endian octets
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _tlv(node: Node, content: bytes) -> bytes:
    return node.identifier + _length_octets(len(content)) + content


def precert_tbs(cert: Any) -> bytes:
    """The TBSCertificate the log signed (RFC 6962 §3.2).

    From a final certificate: its TBSCertificate without the SCT-list extension;
    from a precertificate: without the poison extension.  The lengths of the
    Extensions SEQUENCE, its ``[3]`` wrapper and the TBSCertificate are
    re-encoded; when the cut extension was the only one the whole ``[3]`` goes.
    cryptography computes the same bytes for a final certificate as
    ``Certificate.tbs_precertificate_bytes``.
    """
    lay = _layout(_der_of(cert))
    der = lay.der
    cut = lay.sct_ext if lay.sct_ext is not None else lay.poison
    if cut is None or lay.exts is None or lay.exts_wrapper is None:
        raise CertlabError("cert", "must carry an embedded SCT list (extension 1.3.6.1.4.1.11129.2.4.2) or be a "
                           "precertificate (poison extension 1.3.6.1.4.1.11129.2.4.3)", "neither extension")
    kept = b"".join(der[e.offset:e.end] for e in lay.exts.children if e is not cut)
    parts = []
    for child in lay.tbs.children:
        if child is lay.exts_wrapper:
            if kept:
                parts.append(_tlv(child, _tlv(lay.exts, kept)))
        else:
            parts.append(der[child.offset:child.end])
    return _tlv(lay.tbs, b"".join(parts))


def _spki_of(issuer: Any) -> bytes:
    if isinstance(issuer, x509.Certificate):
        return issuer.public_key().public_bytes(serialization.Encoding.DER,
                                                serialization.PublicFormat.SubjectPublicKeyInfo)
    obj = getattr(issuer, "obj", None)
    if isinstance(obj, x509.Certificate):
        return _spki_of(obj)
    if hasattr(issuer, "public_bytes"):
        der: bytes = issuer.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        return der
    if isinstance(issuer, (bytes, bytearray)):
        return _spki_of(x509.load_der_x509_certificate(bytes(issuer)) if not bytes(issuer).lstrip().startswith(b"-----")
                        else x509.load_pem_x509_certificate(bytes(issuer)))
    raise WrongKind("issuer", "must be the issuing CA's certificate or public key", type(issuer).__name__)


@dataclass(frozen=True)
class SignedPart:
    """One field of the data a log signs (RFC 6962 §3.2), for the byte map."""

    name: str
    data: bytes
    explanation: str


def signed_data_parts(sct: SCT, cert: Any, issuer: Any) -> tuple[SignedPart, ...]:
    """The fields of the log's signed data for an embedded SCT (precert_entry), in order."""
    tbs = precert_tbs(cert)
    key_hash = hashlib.sha256(_spki_of(issuer)).digest()
    return (
        SignedPart("sct_version", bytes([sct.version]), "Version: 0 = v1."),
        SignedPart("signature_type", b"\x00", "SignatureType certificate_timestamp (0); 1 would be a tree hash."),
        SignedPart("timestamp", sct.timestamp_ms.to_bytes(8, "big"), f"The SCT's timestamp, {_when(sct.timestamp_ms)}."),
        SignedPart("entry_type", (1).to_bytes(2, "big"),
                   f"LogEntryType {ENTRY_TYPES[1]} (1): an embedded SCT was issued for a precertificate."),
        SignedPart("issuer_key_hash", key_hash,
                   "SHA-256 of the issuer's SubjectPublicKeyInfo: ties the SCT to the CA that issued."),
        SignedPart("tbs_length", len(tbs).to_bytes(3, "big"), "3-byte length of the TBSCertificate (opaque<1..2^24-1>)."),
        SignedPart("tbs_certificate", tbs,
                   "The certificate's TBSCertificate without the SCT list extension, lengths re-encoded."),
        SignedPart("extensions", len(sct.extensions).to_bytes(2, "big") + sct.extensions,
                   "The SCT's own extensions, 2-byte length first (normally empty)."),
    )


def signed_data(sct: SCT, cert: Any, issuer: Any) -> bytes:
    """The exact bytes the log signed for this embedded SCT (RFC 6962 §3.2)."""
    return b"".join(p.data for p in signed_data_parts(sct, cert, issuer))


# --------------------------------------------------------------------------- the logs

@dataclass(frozen=True)
class Log:
    """One CT log of the shipped log-list snapshot."""

    description: str
    operator: str
    log_id: bytes
    key: bytes          # DER SubjectPublicKeyInfo
    url: str
    state: str          # the state in the snapshot: usable, retired, rejected, readonly, pending, (none)
    state_since: str | None
    mmd: int | None


_LIST_DIR = ("data", "ct")


@functools.cache
def log_list() -> tuple[Log, ...]:
    """The logs of the shipped snapshot (``data/ct/log_list.json``, source in ``data/ct/SOURCES.md``)."""
    text = resources.files("certlab").joinpath(*_LIST_DIR, "log_list.json").read_text("utf-8")
    raw = json.loads(text)
    out = []
    for op in raw["operators"]:
        for entry in op.get("logs", []):
            state = entry.get("state") or {}
            name = next(iter(state), "not in Chrome's list")
            out.append(Log(entry["description"], op["name"], base64.b64decode(entry["log_id"]),
                           base64.b64decode(entry["key"]), entry.get("url", ""), name,
                           (state.get(name) or {}).get("timestamp"), entry.get("mmd")))
    return tuple(out)


def log_list_date() -> str:
    """When the shipped snapshot was taken (its ``log_list_timestamp``)."""
    text = resources.files("certlab").joinpath(*_LIST_DIR, "log_list.json").read_text("utf-8")
    return str(json.loads(text)["log_list_timestamp"])


@functools.cache
def _by_id() -> dict[bytes, Log]:
    return {log.log_id: log for log in log_list()}


def find_log(log_id: bytes) -> Log | None:
    """The log whose ID (SHA-256 of its key) is ``log_id``, if the snapshot knows it."""
    return _by_id().get(bytes(log_id))


# --------------------------------------------------------------------------- verifying

@dataclass(frozen=True)
class SctCheck:
    """The verdict on one SCT: which log, and whether its signature holds."""

    sct: SCT
    log: Log | None
    valid: bool | None   # None: could not be checked (unknown log, unsupported algorithm)
    message: str


def verify_sct(sct: SCT, cert: Any, issuer: Any, log_key: Any = None) -> SctCheck:
    """Check the log's signature on ``sct`` over the rebuilt signed data.

    ``log_key`` is the log's public key (object or DER SubjectPublicKeyInfo);
    by default it is looked up by log ID in the shipped log list.
    """
    log = find_log(sct.log_id)
    if log_key is None and log is None:
        return SctCheck(sct, None, None, f"log {sct.log_id.hex()[:16]}... is not in certlab's log list "
                        f"snapshot of {log_list_date()[:10]}: its key is unknown, so the signature cannot be checked")
    key: Any = log_key if log_key is not None else log.key if log is not None else None
    if isinstance(key, (bytes, bytearray)):
        key = serialization.load_der_public_key(bytes(key))
    algo = _HASHES.get(sct.hash_algorithm)
    who = f"{log.description} ({log.operator})" if log else "the given log key"
    if algo is None:
        return SctCheck(sct, log, None, f"hash algorithm {HASH_ALGORITHMS.get(sct.hash_algorithm, sct.hash_algorithm)} "
                        "cannot be checked (RFC 6962 §2.1.4 requires sha256)")
    data = signed_data(sct, cert, issuer)
    try:
        if sct.signature_algorithm == 3 and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(sct.signature, data, ec.ECDSA(algo()))
        elif sct.signature_algorithm == 1 and isinstance(key, rsa.RSAPublicKey):
            key.verify(sct.signature, data, padding.PKCS1v15(), algo())
        else:
            return SctCheck(sct, log, None, f"a {sct.algorithm_text} signature does not fit {who}'s "
                            f"{type(key).__name__} key")
    except InvalidSignature:
        return SctCheck(sct, log, False, f"{who}'s signature does NOT match the rebuilt signed data: the "
                        "certificate, its issuer or the SCT was changed after the log signed")
    when = f"{sct.timestamp:%Y-%m-%d %H:%M:%S} UTC"
    state = (f" (log state in certlab's snapshot of {log_list_date()[:10]}: {log.state})" if log else "")
    return SctCheck(sct, log, True, f"signed by {who} on {when}: the signature over the rebuilt precertificate "
                    f"data holds{state}")


def policy_verdicts(cert: x509.Certificate, count: int) -> tuple[str, ...]:
    """What Chrome's and Apple's policies require of this certificate's embedded SCTs, and whether
    ``count`` SCTs reach it (counts only: log states and operators are for the reader to check)."""
    nb, na = cert.not_valid_before_utc, cert.not_valid_after_utc
    seconds = (na - nb).total_seconds() + 1  # notBefore through notAfter inclusive (RFC 5280 §4.1.2.5)
    days = int(-(-seconds // 86400))         # any part of a day counts as a day
    out = []
    for policy in POLICIES:
        rule = next((r for r in policy.rules if r.max_days is None or days <= r.max_days), None)
        if rule is None:
            out.append(f"{policy.name}: a {days}-day certificate is longer than any lifetime the policy allows "
                       f"({policy.source}, checked {policy.checked})")
            continue
        verdict = "enough" if count >= rule.scts else "NOT enough"
        out.append(f"{policy.name}: a {days}-day certificate needs {rule.scts} embedded SCTs"
                   f"{' (' + rule.note + ')' if rule.note else ''}; it has {count}: {verdict}. "
                   f"{policy.operators} ({policy.source}, checked {policy.checked})")
    return tuple(out)


@dataclass(frozen=True)
class CtReport:
    """Every embedded SCT of a certificate checked, and what the browsers require."""

    checks: tuple[SctCheck, ...]
    policies: tuple[str, ...]
    promise: str

    def __str__(self) -> str:
        lines = [self.promise, ""]
        for i, c in enumerate(self.checks, 1):
            mark = {True: "OK", False: "FAILED", None: "not checked"}[c.valid]
            lines.append(f"SCT {i}: {mark} - {c.message}")
        lines += ["", *self.policies]
        return "\n".join(lines)


def check(cert: Any, issuer: Any) -> CtReport:
    """Verify every embedded SCT of ``cert`` (issued by ``issuer``) and state the browser policies."""
    der = _der_of(cert)
    found = scts(der)
    checks = tuple(verify_sct(s, der, issuer) for s in found)
    return CtReport(checks, policy_verdicts(x509.load_der_x509_certificate(der), len(found)), PROMISE)


def signed_data_map(sct: SCT, cert: Any, issuer: Any) -> Any:
    """The log's signed data as a byte map: one box per RFC 6962 §3.2 field, as wide as its bytes."""
    from .render.svg import segment_map_svg

    parts = signed_data_parts(sct, cert, issuer)
    return segment_map_svg([(p.name, len(p.data), p.explanation) for p in parts],
                           "What the CT log signed for this SCT (RFC 6962 §3.2)")


# --------------------------------------------------------------------------- a shipped example

_EXAMPLE_FILE = "cryptography-scts.pem"
_EXAMPLE_SHA256 = "046c677d28b1ab055630cf846913028524dc2c8c896d977402f98ab187825b23"  # of its DER (data/ct/SOURCES.md)


def example() -> tuple[x509.Certificate, x509.Certificate]:
    """A real certificate with two embedded SCTs, and its issuer (notebook 08).

    The cryptography.io certificate of 2018 (cryptography-vectors'
    ``x509/cryptography-scts.pem``, shipped in ``data/ct/``) and Let's Encrypt
    Authority X3, which issued it (``certlab.samples``).  The DER digest is
    checked so that a damaged install is noticed, not taught from.
    """
    from . import samples

    pem = resources.files("certlab").joinpath("data", "ct", _EXAMPLE_FILE).read_bytes()
    cert = x509.load_pem_x509_certificate(pem)
    digest = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
    if digest != _EXAMPLE_SHA256:
        raise CertlabError("file", f"data/ct/{_EXAMPLE_FILE} is damaged: its SHA-256 must be {_EXAMPLE_SHA256}", digest)
    return cert, samples.load("letsencrypt-x3")
