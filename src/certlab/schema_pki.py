"""The PKI messages around X.509, named by the same walk as certificates.

OCSP (RFC 6960), CMS / PKCS#7 (RFC 5652), PKCS#12 (RFC 7292), time-stamping
(RFC 3161) and CMP / CRMF (RFC 4210 / 4211) exist as pyasn1 schemas in
``pyasn1_alt_modules``; :mod:`certlab.schema` walks them like RFC 5280's.
This module holds what the walk needs beyond the schemas themselves:

* the root of each message and the kind certlab calls it;
* the open types of these messages (a value whose type an OID chooses),
  keyed by the schema *class* -- RFC 5652's ``Attribute`` (attrType,
  attrValues) is not RFC 2986's (type, values) although both are called so;
* the OCTET STRINGs that hold DER of a known type by their place, not by an
  OID: a PFX's ``authSafe`` Data holds an AuthenticatedSafe (RFC 7292 §4.1),
  whose Data items hold SafeContents (RFC 7292 §4.2); a certBag's
  x509Certificate holds a Certificate (RFC 7292 §4.2.3);
* how to recognise each message by the shape of its first nodes.

Paths follow pkilint's style as elsewhere: the root is the PDU class name in
lowerCamelCase (pkilint's own OCSP loader names its root ``oCSPResponse``),
a value decoded by OID adds its class name (``response.basicOCSPResponse``,
``content.signedData``), a value decoded by place adds its class name too
(``content.data.authenticatedSafe``).
"""

from __future__ import annotations

import functools
from typing import Any

from pyasn1.type import char, univ
from pyasn1.type.base import Asn1Type
# RFC 3161 (time-stamping) and RFC 4210 / 4211 (CMP, CRMF) are imported when a
# message needs them (:func:`_tsp_cmp`): pyasn1 builds their schemas on import, and
# they took three fifths of `certlab inspect`'s start-up for any other input.
from pyasn1_alt_modules import (
    rfc2634,
    rfc2985,
    rfc5035,
    rfc5280,
    rfc5652,
    rfc6960,
    rfc7292,
)

from .der import Node

__all__ = ["ROOTS", "ROOT_KINDS", "HOLDS", "open_types_by_class", "guess", "LazyTable"]

OpenType = tuple[str, str, dict[str, Any], Any]


@functools.cache
def _tsp_cmp() -> dict[str, Asn1Type]:
    """The schemas from RFC 3161 and RFC 4210 / 4211, imported on first use."""
    from pyasn1_alt_modules import rfc3161, rfc4210, rfc4211

    return {
        "timeStampReq": rfc3161.TimeStampReq(),
        "timeStampResp": rfc3161.TimeStampResp(),
        "pKIMessage": rfc4210.PKIMessage(),
        "certReqMessages": rfc4211.CertReqMessages(),
        _ID_TST_INFO: rfc3161.TSTInfo(),
        _ID_PASSWORD_BASED_MAC: rfc4210.PBMParameter(),
    }


# the keys _tsp_cmp() answers (RFC 3161 §2.4.2 id-ct-TSTInfo, RFC 4210 §5.1.3.1 id-PasswordBasedMac;
# tests/test_pki_structures.py checks them against the modules)
_ID_TST_INFO = "1.2.840.113549.1.9.16.1.4"
_ID_PASSWORD_BASED_MAC = "1.2.840.113533.7.66.13"
_LAZY_KEYS = frozenset({"timeStampReq", "timeStampResp", "pKIMessage", "certReqMessages",
                        _ID_TST_INFO, _ID_PASSWORD_BASED_MAC})


class LazyTable(dict[str, Any]):
    """A table (root name or OID -> schema) whose TSP / CMP entries are imported when looked up.

    Only ``get``, ``[]`` and ``in`` are lazy (what the walk uses); iterating lists
    the entries loaded so far plus the lazy keys' placeholders resolved.
    """

    def __init__(self, eager: dict[str, Any], lazy: tuple[str, ...]) -> None:
        super().__init__(eager)
        self._lazy = frozenset(k for k in lazy if k not in eager)

    def _load(self, key: str) -> bool:
        if key in self._lazy and not dict.__contains__(self, key):
            self[key] = _tsp_cmp()[key]
            return True
        return False

    def get(self, key: str, default: Any = None) -> Any:
        value = dict.get(self, key, _MISSING)
        if value is _MISSING:
            return _tsp_cmp()[key] if self._load(key) else default
        return value

    def __getitem__(self, key: str) -> Any:
        self._load(key)
        return dict.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self._lazy


_MISSING = object()


def _dotted(mapping: Any) -> dict[str, Any]:
    return {str(k): v for k, v in mapping.items()}


def _same_name(base: type, **attrs: Any) -> Any:
    """A subclass with the base's own name, so paths and explanations stay the standard's."""
    return type(base.__name__, (base,), attrs)


# --- PKCS#12: the OCTET STRINGs that hold DER by their place (RFC 7292 §4.1-4.2) ---

class X509Certificate(univ.OctetString):  # type: ignore[misc]  # pyasn1 is untyped
    """certBag's x509Certificate: "DER-encoded X.509 certificate stored in OCTET STRING" (RFC 7292 §4.2.3)."""


class X509CRL(univ.OctetString):  # type: ignore[misc]
    """crlBag's x509CRL: a DER-encoded CRL in an OCTET STRING (RFC 7292 §4.2.4)."""


class Data(univ.OctetString):  # type: ignore[misc]
    """Data ::= OCTET STRING (RFC 5652 §4): the module maps id-data to a bare OctetString."""


_SafeContentsData = _same_name(Data)   # Data holding SafeContents
_AuthSafeData = _same_name(Data)       # Data holding an AuthenticatedSafe

#: OCTET STRING class -> the schema of the DER it holds.
HOLDS: dict[type, Asn1Type] = {
    X509Certificate: rfc5280.Certificate(),
    X509CRL: rfc5280.CertificateList(),
    _SafeContentsData: rfc7292.SafeContents(),
}

# AuthenticatedSafe ::= SEQUENCE OF ContentInfo, each Data (SafeContents in
# the clear), EncryptedData (SafeContents encrypted under a password) or
# EnvelopedData (under a public key) (RFC 7292 §4.1).
_SafeContentInfo = _same_name(rfc5652.ContentInfo)
_AuthenticatedSafe = _same_name(rfc7292.AuthenticatedSafe, componentType=_SafeContentInfo())
HOLDS[_AuthSafeData] = _AuthenticatedSafe()
_PfxContentInfo = _same_name(rfc5652.ContentInfo)


def _pfx_type() -> Any:
    from pyasn1.type import namedtype

    types = []
    for nt in rfc7292.PFX.componentType.namedTypes:
        if nt.name == "authSafe":
            types.append(namedtype.NamedType("authSafe", _PfxContentInfo()))
        elif nt.isOptional:
            types.append(namedtype.OptionalNamedType(nt.name, nt.asn1Object))
        else:
            types.append(namedtype.NamedType(nt.name, nt.asn1Object))
    return _same_name(rfc7292.PFX, componentType=namedtype.NamedTypes(*types))


_PFX = _pfx_type()

# --- roots ---------------------------------------------------------------------------

ROOTS: dict[str, Asn1Type] = {
    "oCSPRequest": rfc6960.OCSPRequest(),
    "oCSPResponse": rfc6960.OCSPResponse(),
    "contentInfo": rfc5652.ContentInfo(),
    "pFX": _PFX(),
}
# roots whose schemas _tsp_cmp() imports
LAZY_ROOTS = ("timeStampReq", "timeStampResp", "pKIMessage", "certReqMessages")
ROOT_KINDS: dict[str, str] = {
    "oCSPRequest": "ocsp-request",
    "oCSPResponse": "ocsp-response",
    "contentInfo": "pkcs7",
    "pFX": "pkcs12",
    "timeStampReq": "timestamp-request",
    "timeStampResp": "timestamp-response",
    "pKIMessage": "cmp",
    "certReqMessages": "crmf",
}

# --- open types ----------------------------------------------------------------------

_ID_DATA = "1.2.840.113549.1.7.1"


def open_types_by_class(sigs: dict[str, Any]) -> dict[type, OpenType]:
    """Schema class -> (path of the OID, path of the value, OID -> schema, default).

    ``sigs`` are the signature values that are DER themselves (ECDSA, DSA), as
    :mod:`certlab.schema` has them for certificates.
    """
    # Content types of a ContentInfo (RFC 5652 §3, 5-8; RFC 3161 §2.4.2 TSTInfo is an eContent).
    contents = {**_dotted(rfc5652.cmsContentTypesMap), _ID_DATA: Data()}
    # eContent holds DER only for the structured types; id-data is the signer's own bytes.
    econtents = LazyTable({}, (_ID_TST_INFO,))
    # Attributes of CMS signers (RFC 5652 §11, RFC 2634 / 5035 ESS, RFC 3161 timeStampToken
    # as an unsigned attribute) and of PKCS#12 bags (RFC 7292 §4.2: friendlyName, localKeyId).
    attrs: dict[str, Any] = {
        **_dotted(rfc2985.cmsAttributesMap),
        **_dotted(rfc5652.cmsAttributesMap),
        str(rfc2634.id_aa_signingCertificate): rfc2634.SigningCertificate(),
        str(rfc5035.id_aa_signingCertificateV2): rfc5035.SigningCertificateV2(),
        "1.2.840.113549.1.9.16.2.14": rfc5652.ContentInfo(),  # id-aa-timeStampToken (RFC 3161 App. A)
        "1.2.840.113549.1.9.20": char.BMPString(),             # friendlyName (RFC 2985 §5.5.1)
        "1.2.840.113549.1.9.21": univ.OctetString(),           # localKeyId (RFC 2985 §5.5.2)
    }
    bags = _dotted(rfc7292.pkcs12BagTypeMap)
    cert_bags = {**_dotted(rfc7292.pkcs12CertBagMap), "1.2.840.113549.1.9.22.1": X509Certificate()}
    crl_bags = {"1.2.840.113549.1.9.23.1": X509CRL()}
    return {
        rfc5652.ContentInfo: ("contentType", "content", contents, None),
        _PfxContentInfo: ("contentType", "content", {**contents, _ID_DATA: _AuthSafeData()}, None),
        _SafeContentInfo: ("contentType", "content", {**contents, _ID_DATA: _SafeContentsData()}, None),
        rfc5652.EncapsulatedContentInfo: ("eContentType", "eContent", econtents, None),
        rfc5652.Attribute: ("attrType", "attrValues.*", attrs, None),
        rfc6960.ResponseBytes: ("responseType", "response", _dotted(rfc6960.ocspResponseMap), None),
        rfc6960.BasicOCSPResponse: ("signatureAlgorithm.algorithm", "signature", sigs, None),
        rfc6960.Signature: ("signatureAlgorithm.algorithm", "signature", sigs, None),
        rfc7292.SafeBag: ("bagId", "bagValue", bags, None),
        rfc7292.CertBag: ("certId", "certValue", cert_bags, None),
        rfc7292.CRLBag: ("crlId", "crlValue", crl_bags, None),
    }


# Algorithm parameters of these messages: CMP's password-based MAC (RFC 4210 §5.1.3.1).
# (a lazy key: schema.py's table of parameters is a LazyTable)
ALGORITHM_PARAMETERS_LAZY = (_ID_PASSWORD_BASED_MAC,)

# OCSP extensions (RFC 6960 §4.4; nonce RFC 8954) decode as the RFC 6960 module declares them.
OCSP_EXTENSIONS: dict[str, Any] = {k: v for k, v in _dotted(rfc6960.certificateExtensionsMap).items()
                                   if k.startswith("1.3.6.1.5.5.7.48.1.")}


# --- shapes --------------------------------------------------------------------------

_U = "universal"


def _children(node: Node) -> list[Node]:
    # BER's end-of-contents octets (X.690 §8.1.5) close an indefinite length: not a component
    return [c for c in node.children if not (c.tag_class == _U and c.tag == 0 and c.length == 0)]


def _kids(node: Node) -> list[tuple[str, int, bool]]:
    return [(c.tag_class, c.tag, c.constructed) for c in _children(node)]


def guess(root: Node, data: bytes | None) -> str | None:
    """The root name of an OCSP / CMS / PKCS#12 / TSP / CMP message of this shape, or None."""
    kids = _kids(root)
    if not kids:
        return None
    first = kids[0]
    # OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT ... OPTIONAL }
    if first[:2] == (_U, 10) and (len(kids) == 1 or (len(kids) == 2 and kids[1] == ("context", 0, True))):
        return "oCSPResponse"
    # ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY }
    if len(kids) == 2 and first[:2] == (_U, 6) and kids[1] == ("context", 0, True):
        return "contentInfo"
    # PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
    if 2 <= len(kids) <= 3 and first[:2] == (_U, 2) and kids[1] == (_U, 16, True) and data is not None:
        v = _children(root)[0]
        if data[v.content_offset:v.content_end] == b"\x03" and _kids(_children(root)[1])[:1] == [(_U, 6, False)]:
            return "pFX"
    # TimeStampReq ::= SEQUENCE { version INTEGER, messageImprint SEQUENCE { AlgorithmIdentifier, OCTET STRING }, ... }
    if len(kids) >= 2 and first[:2] == (_U, 2) and kids[1] == (_U, 16, True) \
            and _kids(_children(root)[1]) == [(_U, 16, True), (_U, 4, False)] \
            and all(k[:2] in ((_U, 6), (_U, 2), (_U, 1), ("context", 0)) for k in kids[2:]):
        return "timeStampReq"
    if first == (_U, 16, True):
        head = _kids(_children(root)[0])
        # TimeStampResp ::= SEQUENCE { status PKIStatusInfo (SEQUENCE { status INTEGER, ... }), timeStampToken ContentInfo OPTIONAL }
        if head[:1] == [(_U, 2, False)] and all(h[:2] in ((_U, 16), (_U, 3)) for h in head[1:]) and (
                len(kids) == 1 or (len(kids) == 2 and _kids(_children(root)[1])[:2] == [(_U, 6, False), ("context", 0, True)])):
            return "timeStampResp"
        # PKIMessage ::= SEQUENCE { header PKIHeader (SEQUENCE { pvno INTEGER, sender GeneralName, ... }), body [n] ..., ... }
        if len(head) >= 3 and head[0][:2] == (_U, 2) and head[1][0] == "context" and len(kids) >= 2 \
                and kids[1][0] == "context" and kids[1][2]:
            return "pKIMessage"
        # OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }
        # TBSRequest ::= SEQUENCE { version [0], requestorName [1], requestList SEQUENCE OF Request, requestExtensions [2] }
        if len(kids) == 1 or (len(kids) == 2 and kids[1] == ("context", 0, True)):
            tbs = _children(root)[0]
            lists = [c for c in _children(tbs) if (c.tag_class, c.tag) == (_U, 16)]
            if len(lists) == 1 and all(h[0] == "context" for h in head if h[:2] != (_U, 16)) and _children(lists[0]):
                req = _children(lists[0])[0]
                cert_id = _children(req)[0] if _children(req) else None
                if cert_id is not None and _kids(cert_id)[1:] == [(_U, 4, False), (_U, 4, False), (_U, 2, False)]:
                    return "oCSPRequest"
        # CertReqMessages ::= SEQUENCE OF CertReqMsg { certReq CertRequest { certReqId INTEGER, certTemplate SEQUENCE, ... }, ... }
        if all(k == (_U, 16, True) for k in kids) and head[:1] == [(_U, 16, True)]:
            cert_req = _kids(_children(_children(root)[0])[0])
            if cert_req[:2] == [(_U, 2, False), (_U, 16, True)]:
                return "certReqMessages"
    return None
