"""The pkilint adapter: DigiCert's RFC 5280 and CA/B Forum validators, as findings.

pkilint's validators are expensive to build, so they are built once per
process; a failure inside pkilint becomes one ``pkilint-error`` finding and
never an exception (see :mod:`certlab.findings` for the CA/B profile's cost).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import logging
import re
import sys
import types
from collections.abc import Iterator
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID

from ..errors import first_line
from ..knowledge.findings import CABF_MEMORY_MB, FINDINGS, PKILINT_GLOSS, PKILINT_SEVERITY
from ..knowledge.unicode import visible
from .checks import _safe_exts
from .model import Finding, finding

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


class _Records(logging.Handler):
    """Keeps pkilint's log records instead of printing them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def _pkilint_log() -> Iterator[list[logging.LogRecord]]:
    """Capture what pkilint logs while it runs.

    A validator that raises is logged by pkilint with ``logger.exception``
    ("Unhandled exception occurred when executing validator ...") and, with no
    handler configured, Python prints that traceback on stderr: in a notebook or
    under ``certlab inspect`` a learner would read a traceback next to a clean
    exit.  pkilint also returns a ``base.unhandled_exception`` finding for it,
    so the record is kept here and said there, in plain words.
    """
    logger = logging.getLogger("pkilint")
    handler = _Records()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _pkilint_findings(obj: Any, cabf: bool | None = None) -> list[Finding]:
    with _pkilint_log() as records:
        try:
            results = _pkilint_results(obj, cabf)
        except Exception as exc:  # pkilint must never crash certlab
            first = first_line(exc, 300)
            return [finding("pkilint-error", None, source="pkilint", error=first)]
    out = []
    # validator name -> the exception pkilint logged for it (its type says more than its text)
    raised: dict[str, BaseException] = {}
    for r in records:
        # pkilint: logger.exception("... validator %s on node %s", self.name, node.path)
        args = r.args if isinstance(r.args, tuple) else ()
        if r.exc_info and r.exc_info[1] is not None:
            raised[str(args[0]) if args else r.getMessage()] = r.exc_info[1]
    for result in results:
        for desc in result.finding_descriptions:
            code = desc.finding.code
            if code == _DNS_SYNTAX:
                regloss = _dns_syntax_regloss(result.node)
                if regloss == "drop":
                    continue  # a valid wildcard: certlab's own wildcard-san finding explains it
                if isinstance(regloss, Finding):
                    out.append(Finding(code, regloss.severity, regloss.message, regloss.citation,
                                       result.node.path, "pkilint"))
                    continue
            severity = PKILINT_SEVERITY.get(desc.finding.severity.name, "info")
            # our plain words first; pkilint's own terse detail (e.g. 'Expected="2",
            # actual="v1"') after it, for the curious, its bare OIDs named
            detail, names = _named_oids(desc.message or "")
            gloss = PKILINT_GLOSS.get(code) or _sentence_from_code(code)
            gloss = gloss.replace("{names}", " and ".join(names) or "an attribute it does not name")
            # pkilint quotes the offending value as is: a NUL or bidi override in it must show
            message = f"{gloss} (pkilint: {visible(detail)})" if desc.message else gloss
            if code == "base.unhandled_exception":
                code, severity = "pkilint-error", "warning"
                logged = raised.pop(str(result.validator), None)
                detail = f"{type(logged).__name__}: {logged}" if logged is not None else desc.message or "no detail"
                message = FINDINGS["pkilint-validator-failed"].message.format(
                    validator=result.validator, error=visible(str(detail).splitlines()[0][:300]))
            out.append(Finding(code, severity, message, f"pkilint {result.validator}", result.node.path, "pkilint"))
    for name, error in raised.items():  # logged without a finding: still said, never printed
        text = (str(error).splitlines() or [""])[0][:300]
        out.append(finding("pkilint-error", None, source="pkilint",
                           error=f"validator {name}: {type(error).__name__}: {text}"))
    return out


_OID_IN_TEXT = re.compile(r"(?<![\d.])[0-2](?:\.\d{1,10}){2,30}(?![\d.])")


def _named_oids(text: str) -> tuple[str, list[str]]:
    """pkilint's message with each known OID written ``name (oid)``, and those names.

    ``Unknown attribute present: 2.5.4.7`` -> ``Unknown attribute present: localityName
    (2.5.4.7)``; the names come from the OID table (:func:`certlab.knowledge.oids.oid_info`).
    The pattern is bounded and has no nested repetition, so it runs in linear time.
    """
    from ..knowledge.oids import oid_info

    names: list[str] = []

    def name(m: re.Match[str]) -> str:
        info = oid_info(m.group(0))
        if info is None:
            return m.group(0)
        if info.name not in names:
            names.append(info.name)
        return f"{info.name} ({m.group(0)})"

    return _OID_IN_TEXT.sub(name, text), names


_DNS_SYNTAX = "pkix.invalid_domain_name_syntax"
# RFC 1034 §3.5 label (with RFC 1123 §2.1's leading digit): letters, digits, inner hyphens, <= 63
_LDH_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")


def _dns_syntax_regloss(node: Any) -> Finding | str | None:
    """pkilint's RFC 5280 DNS-name check uses the 'validators' package's domain(), which refuses
    two valid kinds of name: wildcards (``*.example.com``, RFC 6125 §6.4.3) and single labels
    (``localhost``, RFC 1034 §3.5).  A wildcard whose rest passes the same check is dropped
    ("drop": certlab's wildcard-san finding says what it covers); a single LDH label becomes
    an honest note; anything else keeps pkilint's verdict (None)."""
    try:
        value = str(node.pdu)
    except Exception:
        return None
    if value.startswith("*.") and "*" not in value[2:]:
        import validators  # type: ignore[import-untyped]  # pkilint's own dependency: the same check

        return "drop" if validators.domain(value[2:]) is True else None
    if "." not in value and _LDH_LABEL.match(value):
        return finding("single-label-dns-name", None, source="pkilint", name=value)
    return None


def _sentence_from_code(code: str) -> str:
    """``pkix.certificate_version_is_not_v3`` -> ``Certificate version is not v3.`` (no gloss yet)."""
    words = code.split(".", 1)[-1].replace("_", " ").strip()
    return f"{words[:1].upper()}{words[1:]}." if words else code
