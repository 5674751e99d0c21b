"""Our own checks: certificates, CSRs, CRLs and keys (texts in :mod:`certlab.knowledge.findings`)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa
from cryptography.x509.oid import ExtensionOID

from ..der import int_text, integer_octets
from ..fields import format_time
from ..knowledge.algorithms import is_private_key
from ..signatures import signature_ok
from .model import Finding, finding

# --------------------------------------------------------------------------- CA/B validity limits

# CA/B Forum ballot SC-081: the maximum validity of a TLS subscriber certificate depends on
# when it was issued (its notBefore). (start of the rule, maximum days), newest last.
# Earlier limits: 39 months from 2015-04-01 (BR 1.1.9 §9.4), 825 days from 2018-03-01 (ballot 193).
# The 39-month rule counts calendar months, 1185 to 1188 days depending on notBefore: it is
# computed by _limit_for, the 0 below only marks the period.
_MONTHS_39 = 0
_VALIDITY_LIMITS: tuple[tuple[_dt.datetime, int], ...] = (
    (_dt.datetime(2015, 4, 1, tzinfo=_dt.timezone.utc), _MONTHS_39),
    (_dt.datetime(2018, 3, 1, tzinfo=_dt.timezone.utc), 825),
    (_dt.datetime(2020, 9, 1, tzinfo=_dt.timezone.utc), 398),
    (_dt.datetime(2026, 3, 15, tzinfo=_dt.timezone.utc), 200),
    (_dt.datetime(2027, 3, 15, tzinfo=_dt.timezone.utc), 100),
    (_dt.datetime(2029, 3, 15, tzinfo=_dt.timezone.utc), 47),
)


def _add_months(when: _dt.datetime, months: int) -> _dt.datetime:
    """``when`` plus calendar months, the day clamped to the target month's last day."""
    import calendar

    month0 = when.month - 1 + months
    year, month = when.year + month0 // 12, month0 % 12 + 1
    return when.replace(year=year, month=month, day=min(when.day, calendar.monthrange(year, month)[1]))


def max_validity_days(not_before: _dt.datetime) -> int | None:
    """The CA/B Forum maximum validity in whole days for a TLS certificate issued at ``not_before``.

    Under the 39-month rule (2015-04-01 to 2018-02-28) it depends on the calendar: 39 months
    from ``not_before`` are 1185 to 1188 days.
    """
    limit = None
    for start, days in _VALIDITY_LIMITS:
        if not_before >= start:
            limit = days
    if limit == _MONTHS_39:
        return (_add_months(not_before, 39) - not_before).days
    return limit


# --------------------------------------------------------------------------- helpers

_TBS = "certificate.tbsCertificate"
_WEAK_HASHES = {"md5": "MD5", "sha1": "SHA-1", "md2": "MD2", "md4": "MD4"}
# signature OIDs with a weak hash, named here so that MD2/MD4 (which cryptography cannot map
# to a hash object) are caught too
_WEAK_SIG_OIDS = {"1.2.840.113549.1.1.2": "MD2", "1.2.840.113549.1.1.3": "MD4",
                  "1.2.840.113549.1.1.4": "MD5", "1.2.840.113549.1.1.5": "SHA-1",
                  "1.3.14.3.2.29": "SHA-1", "1.2.840.10040.4.3": "SHA-1", "1.2.840.10045.4.1": "SHA-1"}
# bare hash OIDs (not signature algorithms) that old software wrote as signatureAlgorithm, like
# SSLeay's md5 (1.2.840.113549.2.5); cryptography maps none of them to a signature
_BARE_HASH_OIDS = {"1.2.840.113549.2.2": "MD2", "1.2.840.113549.2.4": "MD4",
                   "1.2.840.113549.2.5": "MD5", "1.3.14.3.2.26": "SHA-1"}


def _ext_index(exts: list[x509.Extension[Any]], oid: x509.ObjectIdentifier) -> int | None:
    for i, ext in enumerate(exts):
        if ext.oid == oid:
            return i
    return None


def _safe_exts(get: Callable[[], Any]) -> list[x509.Extension[Any]]:
    try:
        return list(get())
    except Exception:  # malformed extensions: pkilint and the field model report them
        return []


def _inner_signature_oid(obj: Any) -> str | None:
    """The algorithm OID inside the signed part (tbsCertificate.signature / tbsCertList.signature)."""
    from ..der import decode_oid, read

    try:
        tbs = obj.tbs_certificate_bytes if isinstance(obj, x509.Certificate) else obj.tbs_certlist_bytes
    except Exception:
        return None
    root, _errors = read(tbs)
    # [0] version (certificates; a v1 CRL has none), serialNumber (certificates only), signature
    fields = [n for n in (root.children if root is not None else ()) if n.tag_class == "universal"]
    wanted = 1 if isinstance(obj, x509.Certificate) else (0 if fields and fields[0].tag == 16 else 1)
    if len(fields) <= wanted or fields[wanted].tag != 16 or not fields[wanted].children:
        return None
    oid = fields[wanted].children[0]
    return decode_oid(tbs[oid.content_offset:oid.content_end]) if oid.tag == 6 else None


def _weak_hash(obj: Any) -> tuple[str, str] | None:
    """(hash name, extra sentence) when the signature algorithm uses a broken hash."""
    from ..knowledge.oids import oid_info

    outer = obj.signature_algorithm_oid.dotted_string
    name = _WEAK_SIG_OIDS.get(outer)
    if name:
        return name, ""
    bare = _BARE_HASH_OIDS.get(outer)
    if bare:
        inner = None if isinstance(obj, x509.CertificateSigningRequest) else _inner_signature_oid(obj)
        detail = (f" The outer signatureAlgorithm here is the bare {bare} hash OID ({outer}), not a "
                  "signature algorithm")
        if inner is not None and inner != outer:
            info = oid_info(inner)
            detail += (f", and it does not match the {info.name if info else inner} ({inner}) named "
                       "inside the signed part; RFC 5280 §4.1.1.2 requires the two to be identical")
        return bare, detail + "."
    try:
        algo = obj.signature_hash_algorithm
    except Exception:
        return None
    weak = _WEAK_HASHES.get(algo.name) if algo is not None else None
    return (weak, "") if weak else None


def _key_finding(key: Any, path: str) -> Iterator[Finding]:
    # CA/B BR §6.1.5: RSA >= 2048 bits; DSA is gone from the web PKI; EC curves >= P-256.
    if isinstance(key, (rsa.RSAPublicKey, rsa.RSAPrivateKey)) and key.key_size < 2048:
        yield finding("weak-key", path, algorithm="RSA", bits=key.key_size, minimum=2048)
    elif isinstance(key, (dsa.DSAPublicKey, dsa.DSAPrivateKey)) and key.key_size < 2048:
        yield finding("weak-key", path, algorithm="DSA", bits=key.key_size, minimum=2048)
    elif isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey)) and key.curve.key_size < 256:
        yield finding("weak-key", path, algorithm=f"EC ({key.curve.name})", bits=key.curve.key_size, minimum=256)


def _names(get: Callable[[], x509.Name]) -> x509.Name | None:
    try:
        name = get()
        list(name)
        return name
    except Exception:
        return None


def _cn_locations(name: x509.Name, base: str) -> list[tuple[str, str]]:
    out = []
    for i, rdn in enumerate(name.rdns):
        for j, attr in enumerate(rdn):
            if attr.oid == x509.NameOID.COMMON_NAME and isinstance(attr.value, str):
                out.append((attr.value, f"{base}.rdnSequence.{i}.{j}"))
    return out


def _san_values(san: x509.SubjectAlternativeName) -> set[str]:
    values = {v.lower().rstrip(".") for v in san.get_values_for_type(x509.DNSName)}
    values |= {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}
    return values


def _san_findings(subject: x509.Name | None, exts: list[x509.Extension[Any]], subject_path: str,
                  ext_base: str, no_ext_path: str) -> Iterator[Finding]:
    i = _ext_index(exts, ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    cns = _cn_locations(subject, subject_path) if subject is not None else []
    if i is None:
        cn = f" (only the CN {cns[0][0]!r})" if cns else ""
        yield finding("no-san", ext_base if exts else no_ext_path, cn=cn)
        return
    san = exts[i].value
    if not isinstance(san, x509.SubjectAlternativeName):
        return
    values = _san_values(san)
    for cn, path in cns:
        if cn.lower().rstrip(".") not in values:
            yield finding("cn-not-in-san", path, cn=cn)
    yield from _wildcard_findings(san, values, f"{ext_base}.{i}.extnValue.subjectAltName")


def _wildcard_findings(san: x509.SubjectAlternativeName, values: set[str], base: str) -> Iterator[Finding]:
    """What each wildcard dNSName covers: one label in the star's place (RFC 6125 §6.4.3, RFC 9525 §6.3)."""
    for j, general_name in enumerate(san):
        name = general_name.value if isinstance(general_name, x509.DNSName) else ""
        if not name.startswith("*.") or "*" in name[2:]:
            continue
        parent = name[2:].rstrip(".")
        doc = "request" if base.startswith("certificationRequest") else "certificate"
        bare = (f", which this {doc} lists as a name of its own" if parent.lower() in values
                else "; list it too if it should work")
        yield finding("wildcard-san", f"{base}.{j}.dNSName", name=name, base=parent,
                      example=f"www.{parent}", deeper=f"a.b.{parent}", bare=bare)


def _is_ca(exts: list[x509.Extension[Any]]) -> tuple[bool, int | None, int | None]:
    i = _ext_index(exts, ExtensionOID.BASIC_CONSTRAINTS)
    if i is None or not isinstance(exts[i].value, x509.BasicConstraints):
        return False, None, i
    return exts[i].value.ca, exts[i].value.path_length, i


# --------------------------------------------------------------------------- certificates

_VERIFIES = {True: "its own public key verifies its signature",
             None: "certlab cannot check its signature algorithm here"}


def _serial_octets(serial: int) -> int:
    # length of the INTEGER's contents: minimal two's complement (RFC 5280 §4.1.2.2 counts these)
    return len(integer_octets(serial))


def _public_key(obj: x509.Certificate | x509.CertificateSigningRequest) -> Any:
    """The subject's public key, or None when cryptography cannot load it (an unknown algorithm)."""
    try:
        return obj.public_key()
    except Exception:
        return None


def _hash_and_key_findings(obj: x509.Certificate | x509.CertificateSigningRequest, algorithm_path: str,
                           key: Any, key_path: str) -> Iterator[Finding]:
    """What certificates and CSRs share: a weak signature hash and a weak public key."""
    weak = _weak_hash(obj)
    if weak:
        yield finding("weak-signature-hash", algorithm_path, hash=weak[0], detail=weak[1])
    if key is not None:
        yield from _key_finding(key, key_path)


def _certificate_findings(cert: x509.Certificate, at: _dt.datetime) -> Iterator[Finding]:
    exts = _safe_exts(lambda: cert.extensions)
    nb, na = cert.not_valid_before_utc, cert.not_valid_after_utc
    if at > na:
        yield finding("expired", f"{_TBS}.validity.notAfter", not_after=format_time(na),
                      days=(at - na).days, at=format_time(at))
    if at < nb:
        yield finding("not-yet-valid", f"{_TBS}.validity.notBefore", not_before=format_time(nb), at=format_time(at))

    serial = cert.serial_number
    problem = None
    if serial < 0:
        problem = "negative"
    elif serial == 0:
        problem = "zero"
    elif _serial_octets(serial) > 20:
        problem = f"{_serial_octets(serial)} octets long (more than 20)"
    if problem:
        yield finding("bad-serial", f"{_TBS}.serialNumber", serial=int_text(serial), problem=problem)

    key = _public_key(cert)
    yield from _hash_and_key_findings(cert, "certificate.signatureAlgorithm",
                                      key, f"{_TBS}.subjectPublicKeyInfo.subjectPublicKey")

    subject = _names(lambda: cert.subject)
    issuer = _names(lambda: cert.issuer)
    if subject is not None and subject == issuer and key is not None:
        verifies = signature_ok(cert, key)
        if verifies is not False:
            yield finding("self-signed", f"{_TBS}.issuer", verifies=_VERIFIES[verifies])
        else:
            yield finding("bad-signature", "certificate.signature", whose="its own",
                          what="Issuer and subject are equal, so the certificate should verify with its "
                               "own key, but it does not (or it was signed by another CA with the same name).",
                          rfc="RFC 5280 §4.1.1.3")

    ca, pathlen, bc_index = _is_ca(exts)
    bc_path = f"{_TBS}.extensions.{bc_index}" if bc_index is not None else (
        f"{_TBS}.extensions" if exts else _TBS)
    if ca:
        yield finding("ca-certificate", bc_path, pathlen=f", pathlen:{pathlen}" if pathlen is not None else "")
    else:
        yield finding("end-entity", bc_path)
        limit = max_validity_days(nb)
        period = na - nb + _dt.timedelta(seconds=1)  # both ends inclusive (RFC 5280 §4.1.2.5)
        if limit is not None and period > _dt.timedelta(days=limit):
            yield finding("validity-too-long", f"{_TBS}.validity", days=period.days, limit=limit,
                          not_before=nb.date().isoformat())
        yield from _san_findings(subject, exts, f"{_TBS}.subject", f"{_TBS}.extensions", _TBS)

    for i, ext in enumerate(exts):
        if ext.critical and isinstance(ext.value, x509.UnrecognizedExtension):
            yield finding("unknown-critical-extension", f"{_TBS}.extensions.{i}", oid=ext.oid.dotted_string)


# --------------------------------------------------------------------------- CSRs

_INFO = "certificationRequest.certificationRequestInfo"


def _csr_ext_base(csr: x509.CertificateSigningRequest) -> str | None:
    try:
        for i, attr in enumerate(csr.attributes):
            if attr.oid.dotted_string == "1.2.840.113549.1.9.14":
                return f"{_INFO}.attributes.{i}.values.0.extensionRequest"
    except Exception:
        pass
    return None


def _csr_findings(csr: x509.CertificateSigningRequest, at: _dt.datetime) -> Iterator[Finding]:
    try:
        valid = csr.is_signature_valid
    except Exception:
        valid = False
    if not valid:
        yield finding("bad-signature", "certificationRequest.signature", whose="the request's own",
                      what="A CA must refuse this request: it does not prove possession of the private key.",
                      rfc="RFC 2986 §3")
    yield from _hash_and_key_findings(csr, "certificationRequest.signatureAlgorithm",
                                      _public_key(csr), f"{_INFO}.subjectPKInfo.subjectPublicKey")
    exts = _safe_exts(lambda: csr.extensions)
    base = _csr_ext_base(csr) or f"{_INFO}.attributes"
    subject = _names(lambda: csr.subject)
    ca, _, _ = _is_ca(exts)
    if not ca:
        yield from _san_findings(subject, exts, f"{_INFO}.subject", base, f"{_INFO}.attributes")
    for i, ext in enumerate(exts):
        if ext.critical and isinstance(ext.value, x509.UnrecognizedExtension):
            yield finding("unknown-critical-extension", f"{base}.{i}", oid=ext.oid.dotted_string)


def _crl_findings(crl: x509.CertificateRevocationList, at: _dt.datetime) -> Iterator[Finding]:
    weak = _weak_hash(crl)
    if weak:
        yield finding("weak-signature-hash", "certificateList.signatureAlgorithm", hash=weak[0], detail=weak[1])


_CHECKS: dict[type, Callable[[Any, _dt.datetime], Iterator[Finding]]] = {
    x509.Certificate: _certificate_findings,
    x509.CertificateSigningRequest: _csr_findings,
    x509.CertificateRevocationList: _crl_findings,
}


def _key_findings(obj: Any, at: _dt.datetime) -> Iterator[Finding]:
    root = "subjectPublicKeyInfo.subjectPublicKey"
    if is_private_key(obj):
        root = "privateKeyInfo.privateKey"
    yield from _key_finding(obj, root)
