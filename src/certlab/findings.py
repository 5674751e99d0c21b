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
suffix list (about 20 MB of kernel memory, once per kernel, and a class of 30
on one JupyterHub node pays it 30 times).  So ``find(..., cabf=False)`` skips
it (the live lab does, and offers a button); ``cabf=None`` ("auto") runs it for
a certificate that claims TLS use (:func:`cabf_applies`), as for a real
certificate pasted into the inspector.
"""

from __future__ import annotations

import datetime as _dt
import functools
import importlib
import sys
import types
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa

from .der import int_text
from .fields import format_time
from .knowledge.findings import FINDINGS, PKILINT_GLOSS, PKILINT_SEVERITY
from .knowledge.unicode import visible

__all__ = ["Finding", "cabf_applies", "find", "finding", "max_validity_days", "SEVERITIES"]

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One thing worth telling, pinned to a node."""

    code: str
    severity: str
    message: str
    citation: str
    path: str | None
    source: str = "certlab"

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``certlab inspect --json``."""
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "citation": self.citation, "path": self.path, "source": self.source}


def finding(code: str, path: str | None, *, source: str = "certlab", **values: Any) -> Finding:
    """Make a finding from its table entry, filling the message template with ``values``."""
    text = FINDINGS[code]
    return Finding(code, text.severity, text.message.format(**values),
                   text.citation.format(**values), path, source)


# --------------------------------------------------------------------------- CA/B validity limits

# CA/B Forum ballot SC-081: the maximum validity of a TLS subscriber certificate depends on
# when it was issued (its notBefore). (start of the rule, maximum days), newest last.
# Earlier limits: 39 months from 2015-04-01 (BR 1.1.9 §9.4), 825 days from 2018-03-01 (ballot 193).
_VALIDITY_LIMITS: tuple[tuple[_dt.datetime, int], ...] = (
    (_dt.datetime(2015, 4, 1, tzinfo=_dt.timezone.utc), 1185),
    (_dt.datetime(2018, 3, 1, tzinfo=_dt.timezone.utc), 825),
    (_dt.datetime(2020, 9, 1, tzinfo=_dt.timezone.utc), 398),
    (_dt.datetime(2026, 3, 15, tzinfo=_dt.timezone.utc), 200),
    (_dt.datetime(2027, 3, 15, tzinfo=_dt.timezone.utc), 100),
    (_dt.datetime(2029, 3, 15, tzinfo=_dt.timezone.utc), 47),
)


def max_validity_days(not_before: _dt.datetime) -> int | None:
    """The CA/B Forum maximum validity in days for a TLS certificate issued at ``not_before``."""
    limit = None
    for start, days in _VALIDITY_LIMITS:
        if not_before >= start:
            limit = days
    return limit


# --------------------------------------------------------------------------- helpers

_TBS = "certificate.tbsCertificate"
_WEAK_HASHES = {"md5": "MD5", "sha1": "SHA-1", "md2": "MD2", "md4": "MD4"}
# hash OIDs cryptography cannot map to a hash object (MD2/MD4 signatures)
_WEAK_SIG_OIDS = {"1.2.840.113549.1.1.2": "MD2", "1.2.840.113549.1.1.3": "MD4",
                  "1.2.840.113549.1.1.4": "MD5", "1.2.840.113549.1.1.5": "SHA-1",
                  "1.3.14.3.2.29": "SHA-1", "1.2.840.10040.4.3": "SHA-1", "1.2.840.10045.4.1": "SHA-1"}


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


def _weak_hash(obj: Any) -> str | None:
    name = _WEAK_SIG_OIDS.get(obj.signature_algorithm_oid.dotted_string)
    if name:
        return name
    try:
        algo = obj.signature_hash_algorithm
    except Exception:
        return None
    return _WEAK_HASHES.get(algo.name) if algo is not None else None


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


def _is_ca(exts: list[x509.Extension[Any]]) -> tuple[bool, int | None, int | None]:
    i = _ext_index(exts, ExtensionOID.BASIC_CONSTRAINTS)
    if i is None or not isinstance(exts[i].value, x509.BasicConstraints):
        return False, None, i
    return exts[i].value.ca, exts[i].value.path_length, i


# --------------------------------------------------------------------------- certificates

_VERIFIES = {True: "its own public key verifies its signature",
             None: "certlab cannot check its signature algorithm here"}


def _self_signature_ok(cert: x509.Certificate, key: Any) -> bool | None:
    """Does ``cert`` verify with its own key? ``None`` when the algorithm cannot be checked."""
    try:
        cert.verify_directly_issued_by(cert)
        return True
    except ValueError:
        pass  # "Unsupported signature algorithm" (cryptography refuses MD5/SHA-1) or a mismatch
    except Exception:
        return False
    # Check old RSA PKCS#1 v1.5 signatures by hand so a SHA-1 root still reads as self-signed.
    try:
        algo = cert.signature_hash_algorithm
    except Exception:
        return None
    if not isinstance(key, rsa.RSAPublicKey) or algo is None:
        return None
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import padding

    try:
        key.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), algo)
        return True
    except InvalidSignature:
        return False
    except Exception:
        return None



def _serial_octets(serial: int) -> int:
    # length of the INTEGER's contents: minimal two's complement (RFC 5280 §4.1.2.2 counts these)
    if serial >= 0:
        return serial.bit_length() // 8 + 1
    return (-serial - 1).bit_length() // 8 + 1


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
        yield finding("weak-signature-hash", algorithm_path, hash=weak)
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
        verifies = _self_signature_ok(cert, key)
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
        yield finding("weak-signature-hash", "certificateList.signatureAlgorithm", hash=weak)


# --------------------------------------------------------------------------- pkilint adapter

_SERVERAUTH_POLICY_PREFIX = "2.23.140.1."


@functools.lru_cache(maxsize=1)
def _pkix_certificate_validator() -> Any:
    # RFC 5280 profile, as pkilint's lint_pkix_cert builds it.
    from pkilint.pkix import certificate, extension, name

    return certificate.create_pkix_certificate_validator_container(
        certificate.create_decoding_validators(name.ATTRIBUTE_TYPE_MAPPINGS, extension.EXTENSION_MAPPINGS),
        [
            certificate.create_issuer_validator_container([]),
            certificate.create_validity_validator_container(),
            certificate.create_subject_validator_container([]),
            certificate.create_extensions_validator_container([]),
            certificate.create_spki_validator_container([]),
        ],
    )


class _DeferredModule(types.ModuleType):
    """Stands in for a module in ``sys.modules`` until one of its attributes is read."""

    def __getattr__(self, name: str) -> Any:
        real = self.__dict__.get("_certlab_real")
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
            self.__dict__["_certlab_real"] = real
        return getattr(real, name)


def _defer_iso639() -> None:
    # pkilint.cabf.serverauth imports pkilint.etsi, whose QC-statement validator
    # (ETSI EN 319 412-5 §4.3.4) does ``import iso639`` at module level but reads it only when
    # a certificate carries a QcPDS statement. Importing python-iso639 loads its
    # language tables: ~14 MB of RSS, most of the CA/B profile's cost. A stand-in
    # defers that to the first real use (the names pkilint reads are forwarded).
    if "iso639" not in sys.modules:
        sys.modules["iso639"] = _DeferredModule("iso639")


@functools.lru_cache(maxsize=16)
def _serverauth_validator(certificate_type: Any) -> tuple[Any, Any]:
    # CA/B Forum TLS profile, as pkilint's lint_cabf_serverauth_cert builds it (~0.15 s per type).
    from pkilint.cabf import serverauth
    from pkilint.pkix import certificate

    validator = certificate.create_pkix_certificate_validator_container(
        serverauth.create_decoding_validators(), serverauth.create_validators(certificate_type))
    return validator, serverauth.create_serverauth_finding_filters(certificate_type)


@functools.lru_cache(maxsize=1)
def _csr_validator() -> Any:
    # pkilint has no CSR profile; we reuse its decoders and the checks that do not need a
    # certificate document: names inside extensions, duplicate extensions (RFC 2986 + 5280).
    from pkilint import pkix, validation
    from pkilint.document import ValueDecoder
    from pkilint.pkix import certificate, extension, general_name, key, name
    from pyasn1_alt_modules import rfc2986, rfc5280

    class ExtensionRequest(rfc5280.Extensions):  # type: ignore[misc]
        """pkilint names a decoded node after its class: ``...values.0.extensionRequest``,
        the explorer's name for it."""

    ext_request = rfc5280.univ.ObjectIdentifier("1.2.840.113549.1.9.14")
    attribute_decoder = validation.DecodingValidator(
        decode_func=ValueDecoder(type_path="type", value_path="values.0",
                                 type_mappings={ext_request: ExtensionRequest()}),
        pdu_class=rfc2986.Attribute,
    )
    return validation.ValidatorContainer(validators=[
        validation.ValidatorContainer(validators=[
            pkix.create_attribute_decoder(name.ATTRIBUTE_TYPE_MAPPINGS),
            attribute_decoder,
            pkix.create_extension_decoder(extension.EXTENSION_MAPPINGS),
            certificate.create_spki_decoder(key.SUBJECT_PUBLIC_KEY_ALGORITHM_IDENTIFIER_MAPPINGS,
                                            key.SUBJECT_KEY_PARAMETER_ALGORITHM_IDENTIFIER_MAPPINGS),
            certificate.create_other_name_decoder(general_name.OTHER_NAME_MAPPINGS),
        ], path="certificationRequest"),
        validation.ValidatorContainer(
            validators=[extension.UniqueExtensionValidator(), general_name.GeneralNameValidatorContainer()],
            pdu_class=rfc5280.Extensions,
        ),
    ])


def cabf_applies(obj: Any) -> bool:
    """Does the CA/B Forum TLS profile apply to ``obj``?

    Only to certificates that claim to be for TLS: an extended key usage with
    serverAuth, or a CA/B Forum policy OID (``2.23.140.1.*``, BR §7.1.6.1).
    ``obj`` may be a ``certlab.load`` result.
    """
    obj = getattr(obj, "obj", obj)
    return isinstance(obj, x509.Certificate) and _wants_serverauth(obj)


def _wants_serverauth(cert: x509.Certificate) -> bool:
    """Apply the CA/B TLS profile only to certificates that claim to be for TLS."""
    exts = _safe_exts(lambda: cert.extensions)
    for ext in exts:
        value = ext.value
        if isinstance(value, x509.ExtendedKeyUsage) and ExtendedKeyUsageOID.SERVER_AUTH in value:
            return True
        if isinstance(value, x509.CertificatePolicies) and any(
                p.policy_identifier.dotted_string.startswith(_SERVERAUTH_POLICY_PREFIX) for p in value):
            return True
    return False


def _pkilint_results(obj: Any, cabf: bool | None = None) -> list[Any]:
    from pkilint import document as pk_document
    from pkilint import finding_filter, loader

    if isinstance(obj, x509.Certificate):
        der = obj.public_bytes(serialization.Encoding.DER)
        doc = loader.RFC5280CertificateDocumentLoader().load_der_document(der, "certificate")
        if cabf is not False and _wants_serverauth(obj):
            _defer_iso639()
            from pkilint.cabf import serverauth

            validator, filters = _serverauth_validator(serverauth.determine_certificate_type(doc))
            results, _ = finding_filter.filter_results(filters, validator.validate(doc.root))
            return list(results)
        return list(_pkix_certificate_validator().validate(doc.root))
    from pyasn1_alt_modules import rfc2986

    der = obj.public_bytes(serialization.Encoding.DER)
    doc = pk_document.Document(rfc2986.CertificationRequest(), "csr", der, "csr")
    doc.decode()
    return list(_csr_validator().validate(doc.root))


def _pkilint_findings(obj: Any, cabf: bool | None = None) -> list[Finding]:
    try:
        results = _pkilint_results(obj, cabf)
    except Exception as exc:  # pkilint must never crash certlab
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:300]
        return [finding("pkilint-error", None, source="pkilint", error=first)]
    out = []
    for result in results:
        for desc in result.finding_descriptions:
            code = desc.finding.code
            severity = PKILINT_SEVERITY.get(desc.finding.severity.name, "info")
            # our plain words first; pkilint's own terse detail (e.g. 'Expected="2",
            # actual="v1"') after it, for the curious
            gloss = PKILINT_GLOSS.get(code) or _sentence_from_code(code)
            # pkilint quotes the offending value as is: a NUL or bidi override in it must show
            message = f"{gloss} (pkilint: {visible(desc.message)})" if desc.message else gloss
            if code == "base.unhandled_exception":
                code, severity = "pkilint-error", "warning"
            out.append(Finding(code, severity, message, f"pkilint {result.validator}", result.node.path, "pkilint"))
    return out


def _sentence_from_code(code: str) -> str:
    """``pkix.certificate_version_is_not_v3`` -> ``Certificate version is not v3.`` (no gloss yet)."""
    words = code.split(".", 1)[-1].replace("_", " ").strip()
    return f"{words[:1].upper()}{words[1:]}." if words else code


# --------------------------------------------------------------------------- entry point

_CHECKS: dict[type, Callable[[Any, _dt.datetime], Iterator[Finding]]] = {
    x509.Certificate: _certificate_findings,
    x509.CertificateSigningRequest: _csr_findings,
    x509.CertificateRevocationList: _crl_findings,
}
_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def _key_findings(obj: Any, at: _dt.datetime) -> Iterator[Finding]:
    root = "subjectPublicKeyInfo.subjectPublicKey"
    if hasattr(obj, "private_numbers") or type(obj).__name__.endswith("PrivateKey"):
        root = "privateKeyInfo.privateKey"
    yield from _key_finding(obj, root)


def find(
    obj: Any, *, at: _dt.datetime | None = None, pkilint: bool = True, cabf: bool | None = None
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
    if at is None:
        at = _dt.datetime.now(_dt.timezone.utc)
    elif at.tzinfo is None:
        at = at.replace(tzinfo=_dt.timezone.utc)
    check = next((fn for cls, fn in _CHECKS.items() if isinstance(obj, cls)), _key_findings)
    with warnings.catch_warnings():
        # lenient parses (negative serials ...) are reported as findings instead
        warnings.simplefilter("ignore")
        out = list(check(obj, at))
        if pkilint and isinstance(obj, (x509.Certificate, x509.CertificateSigningRequest)):
            out += _pkilint_findings(obj, cabf)
    return sorted(out, key=lambda f: _ORDER.get(f.severity, len(_ORDER)))
