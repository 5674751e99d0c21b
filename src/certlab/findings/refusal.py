"""When cryptography refuses an object: the refusal as a finding on the node it concerns.

cryptography's Rust parser says where it stopped: ``ParseError { kind:
InvalidValue, location: ["Certificate::tbs_cert", "TbsCertificate::serial"] }``
names the struct fields from the outside in.  Those fields are the RFC's
components under Rust names (``tbs_cert`` is ``tbsCertificate``, ``spki`` is
``subjectPublicKeyInfo``), so the location becomes a node path of the named
tree.  Refusals that are not parse errors ("7 is not a valid X509 version")
are matched by their wording, kept here as data.
"""

from __future__ import annotations

import re
from typing import Any

from .model import Finding, finding

__all__ = ["refusal_finding", "refusal_path"]

# Rust field names of cryptography's ASN.1 structs whose RFC names differ
# (cryptography-x509 crate: certificate.rs, csr.rs, crl.rs, ocsp_req.rs, ocsp_resp.rs).
_RUST_NAMES: dict[str, str] = {
    "tbs_cert": "tbsCertificate",
    "signature_alg": "signatureAlgorithm",
    "serial": "serialNumber",
    "spki": "subjectPublicKeyInfo",
    "raw_extensions": "extensions",
    "issuer_unique_id": "issuerUniqueID",
    "subject_unique_id": "subjectUniqueID",
    "csr_info": "certificationRequestInfo",
    "tbs_cert_list": "tbsCertList",
    "signature_value": "signature",
    "raw_crl_extensions": "crlExtensions",
    "raw_crl_entry_extensions": "crlEntryExtensions",
    "user_certificate": "userCertificate",
    "tbs_response_data": "tbsResponseData",
    "raw_response_extensions": "responseExtensions",
    "raw_single_extensions": "singleExtensions",
    "cert_id": "certID",
    "raw_request_extensions": "requestExtensions",
    "subject_public_key": "subjectPublicKey",
    "oid": "algorithm",
    "params": "parameters",
    "response": "response.basicOCSPResponse",
}
# Where the Rust structs differ from the RFC's nesting: the TBSCertificate's signature
# field is an AlgorithmIdentifier named "signature" (RFC 5280 §4.1.2.3).
_STRUCT_FIELD: dict[tuple[str, str], str] = {
    ("TbsCertificate", "signature_alg"): "signature",
    ("CertificationRequestInfo", "spki"): "subjectPKInfo",
    ("TBSCertList", "signature"): "signature",
}
_LOCATION = re.compile(r'location: \[([^\]]*)\]')
_STEP = re.compile(r'"(\w+)::(\w+)"')

_ROOTS = {"certificate": "certificate", "csr": "certificationRequest", "crl": "certificateList",
          "ocsp-request": "oCSPRequest", "ocsp-response": "oCSPResponse", "public-key": "subjectPublicKeyInfo"}

# Refusals that are not parse errors: (pattern, path below the root), first match wins.
_WORDED: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    (re.compile(r"is not a valid X509 version"), {
        "certificate": "tbsCertificate.version", "csr": "certificationRequestInfo.version",
        "crl": "tbsCertList.version"}),
    (re.compile(r"not a valid OCSP request version"), {"ocsp-request": "tbsRequest.version"}),
    (re.compile(r"not a valid OCSP response version"), {
        "ocsp-response": "responseBytes.response.basicOCSPResponse.tbsResponseData.version"}),
    (re.compile(r"more than one request"), {"ocsp-request": "tbsRequest.requestList"}),
    (re.compile(r"unknown status code"), {"ocsp-response": "responseStatus"}),
    (re.compile(r"does not contain a BasicResponse"), {"ocsp-response": "responseBytes"}),
)

_CITATIONS = {"certificate": "RFC 5280 §4.1", "csr": "RFC 2986 §4", "crl": "RFC 5280 §5.1",
              "ocsp-request": "RFC 6960 §4.1", "ocsp-response": "RFC 6960 §4.2", "public-key": "RFC 5280 §4.1.2.7"}
_WHAT = {"certificate": "certificate", "csr": "certificate signing request", "crl": "CRL",
         "ocsp-request": "OCSP request", "ocsp-response": "OCSP response", "public-key": "public key"}


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(w.capitalize() for w in rest)


def refusal_path(kind: str, reason: str) -> str | None:
    """The node path (below the kind's root) cryptography's ``reason`` points at, or the root."""
    root = _ROOTS.get(kind)
    if root is None:
        return None
    for pattern, where in _WORDED:
        if pattern.search(reason) and kind in where:
            return f"{root}.{where[kind]}"
    m = _LOCATION.search(reason)
    if m is None:
        return root
    segments = [root]
    for struct, fld in _STEP.findall(m.group(1)):
        segments.append(_STRUCT_FIELD.get((struct, fld)) or _RUST_NAMES.get(fld) or _camel(fld))
    return ".".join(segments)


def refusal_finding(kind: str, reason: str, explored: Any = None) -> Finding:
    """A ``cryptography-refused`` finding, pinned to the deepest node of ``explored``
    on the path the refusal names (the root when no such node exists)."""
    path = refusal_path(kind, reason)
    if path is not None and explored is not None and explored.find(path) is None:
        parts = path.split(".")
        while len(parts) > 1 and explored.find(".".join(parts)) is None:
            parts.pop()
        path = ".".join(parts) if explored.find(".".join(parts)) is not None else None
    return finding("cryptography-refused", path, what=_WHAT.get(kind, kind), reason=reason,
                   citation=_CITATIONS.get(kind, "cryptography"))
