"""Decoded fields of OCSP, CMS, PKCS#12, time-stamp and CMP messages, read from the named tree.

cryptography parses few of these (OCSP, and only the certificates of a
PKCS#7 bundle), so the fields come from :func:`certlab.explorer.explore`'s
named tree, where every value already sits on its node: each field keeps the
path of the node it was read from, so the views link a field to its bytes as
they do for certificates.  Texts: :data:`certlab.knowledge.pki_fields.PKI_TEXT`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .explorer import Explored
from .fields import Description, Field
from .knowledge.pki_fields import PKI_TEXT
from .schema import NamedNode

__all__ = ["describe_tree", "TREE_KINDS"]


def _kids(n: NamedNode) -> list[NamedNode]:
    return [c for c in n.children if not (c.tag_class == "universal" and c.tag == 0 and c.length == 0)]


def _inner(n: NamedNode | None) -> NamedNode | None:
    """Through an EXPLICIT tag (it has the same path, one level down)."""
    while n is not None and n.type_name.endswith("EXPLICIT") and len(_kids(n)) == 1:
        n = _kids(n)[0]
    return n


def _named(n: NamedNode | None, name: str) -> NamedNode | None:
    if n is None:
        return None
    return next((c for c in _kids(n) if c.name == name), None)


def _items(n: NamedNode | None) -> list[NamedNode]:
    n = _inner(n)
    return [] if n is None else [c for c in _kids(n) if c.name is not None and c.name.isdigit()]


def _oid_name(n: NamedNode | None) -> str:
    """``sha256WithRSAEncryption`` of ``sha256WithRSAEncryption (1.2.840.113549.1.1.11)``."""
    value = (n.value or "") if n is not None else ""
    return value.rsplit(" (", 1)[0] if value.endswith(")") else value


def _name_text(n: NamedNode | None) -> str:
    """A Name as ``CN=..., O=...`` from its AttributeTypeAndValue nodes."""
    if n is None:
        return ""
    parts = []
    for atv in n.walk():
        if atv.schema_name == "AttributeTypeAndValue":
            kids = _kids(atv)
            if len(kids) == 2:
                parts.append(f"{_oid_name(kids[0])}={kids[1].value or ''}")
    return ", ".join(parts)


def _cert_subject(cert: NamedNode) -> str:
    tbs = _named(cert, "tbsCertificate")
    return _name_text(_named(tbs, "subject")) or "(no subject)"


def _value(n: NamedNode | None) -> str:
    n = _inner(n)
    return (n.value or "") if n is not None else ""


def _serial(n: NamedNode | None, der: bytes) -> str:
    """A serial number as certificates' fields and ``openssl`` show it: colon-separated hex."""
    n = _inner(n)
    if n is None or n.constructed:
        return ""
    return der[n.content_offset:n.content_end].hex(":").upper()


class _Out:
    def __init__(self) -> None:
        self.fields: list[Field] = []

    def add(self, section: str, key: str, value: str, node: NamedNode | None, name: str | None = None) -> None:
        text = PKI_TEXT[key]
        self.fields.append(Field(section, name or text.name, value, text.explanation, text.rfc,
                                 node.path if node is not None else None))


def _general_name(n: NamedNode | None) -> str:
    n = _inner(n)
    if n is None:
        return ""
    last = n.path.rsplit(".", 1)[-1]
    if last == "directoryName" or n.schema_name == "Name" or any(c.schema_name == "RDNSequence" for c in n.walk()):
        return _name_text(n) or "(an empty name)"
    return f"{last}: {n.value or ''}"


# --- OCSP ------------------------------------------------------------------------------------

def _ocsp_response(e: Explored, out: _Out) -> str:
    root = e.root
    assert root is not None
    status = _named(root, "responseStatus")
    out.add("Overview", "ocsp.status", _value(status), status)
    rb = _inner(_named(root, "responseBytes"))
    rtype = _named(rb, "responseType")
    if rtype is not None:
        out.add("Overview", "ocsp.type", _value(rtype), rtype)
    basic = _inner(_named(_named(rb, "response"), "basicOCSPResponse"))
    title = f"OCSP response: {_value(status).split(' (')[0] or 'unreadable'}"
    if basic is None:
        return title
    tbs = _named(basic, "tbsResponseData")
    responder = _inner(_named(tbs, "responderID"))
    if responder is not None:
        by_key = responder.path.endswith("byKey") or responder.schema_name == "KeyHash"
        text = f"key SHA-1 {_value(responder)}" if by_key else _name_text(responder)
        out.add("Overview", "ocsp.responder", text, responder)
    produced = _named(tbs, "producedAt")
    out.add("Overview", "ocsp.producedAt", _value(produced), produced)
    for i, single in enumerate(_items(_named(tbs, "responses")), start=1):
        section = f"Response {i}"
        cert_id = _named(single, "certID")
        serial = _named(cert_id, "serialNumber")
        out.add(section, "ocsp.cert", f"serial {_serial(serial, e.der)} (issuer hashed with "
                f"{_oid_name(_named(_named(cert_id, 'hashAlgorithm'), 'algorithm'))})", cert_id)
        status_node = _named(single, "certStatus")
        if status_node is not None:
            alt = status_node.path.rsplit(".", 1)[-1]
            text = alt
            if alt == "revoked":
                when = _value(_named(status_node, "revocationTime"))
                reason = _value(_named(status_node, "revocationReason"))
                text = f"revoked at {when}" + (f", reason {reason}" if reason else "")
            out.add(section, "ocsp.certStatus", text, status_node)
        for key in ("thisUpdate", "nextUpdate"):
            node = _named(single, key)
            if node is not None:
                out.add(section, f"ocsp.{key}", _value(node), node)
        for ext in _items(_named(single, "singleExtensions")):
            out.add(section, "ocsp.extension", _oid_name(_named(ext, "extnID")), ext)
    for ext in _items(_named(tbs, "responseExtensions")):
        out.add("Overview", "ocsp.extension", _oid_name(_named(ext, "extnID")), ext)
    sig = _named(basic, "signatureAlgorithm")
    out.add("Signature", "ocsp.signature", _oid_name(_named(sig, "algorithm")), sig)
    certs = _items(_named(basic, "certs"))
    if certs:
        out.add("Signature", "ocsp.certs", "; ".join(_cert_subject(c) for c in certs), _named(basic, "certs"))
    return title


def _ocsp_request(e: Explored, out: _Out) -> str:
    root = e.root
    assert root is not None
    tbs = _named(root, "tbsRequest")
    requests = _items(_named(tbs, "requestList"))
    for i, req in enumerate(requests, start=1):
        cert = _named(req, "reqCert")
        out.add(f"Request {i}", "ocsp.request", f"serial {_serial(_named(cert, 'serialNumber'), e.der)} (issuer hashed with "
                f"{_oid_name(_named(_named(cert, 'hashAlgorithm'), 'algorithm'))})", cert)
    for ext in _items(_named(tbs, "requestExtensions")):
        out.add("Overview", "ocsp.extension", _oid_name(_named(ext, "extnID")), ext)
    signature = _inner(_named(root, "optionalSignature"))
    if signature is not None:
        sig = _named(signature, "signatureAlgorithm")
        out.add("Signature", "ocsp.signature", _oid_name(_named(sig, "algorithm")), sig)
    return f"OCSP request for {len(requests)} certificate{'s' * (len(requests) != 1)}"


# --- CMS -------------------------------------------------------------------------------------

def _attributes(n: NamedNode | None) -> Iterator[tuple[NamedNode, str, str]]:
    for attr in _items(n):
        kids = _kids(attr)
        if len(kids) == 2:
            values = _kids(kids[1])
            shown = ", ".join(_value(v) or v.type_name for v in values)
            yield attr, _oid_name(kids[0]), shown


def _signed_data(sd: NamedNode, out: _Out, der: bytes, section: str = "Overview") -> None:
    algs = _items(_named(sd, "digestAlgorithms"))
    out.add(section, "cms.digestAlgorithms", ", ".join(_oid_name(_named(a, "algorithm")) for a in algs) or "(none)",
            _named(sd, "digestAlgorithms"))
    encap = _named(sd, "encapContentInfo")
    etype = _named(encap, "eContentType")
    out.add(section, "cms.eContentType", _value(etype), etype)
    for i, choice in enumerate(_items(_named(sd, "certificates")), start=1):
        cert = next((n for n in choice.walk() if n.schema_name == "Certificate"), None)
        text = _cert_subject(cert) if cert is not None else choice.path.rsplit(".", 1)[-1]
        out.add("Certificates", "cms.certificate", text, cert or choice, name=f"Certificate {i}")
    for i, crl in enumerate(_items(_named(sd, "crls")), start=1):
        out.add("Certificates", "cms.crl", crl.type_name, crl, name=f"Revocation information {i}")
    for i, signer in enumerate(_items(_named(sd, "signerInfos")), start=1):
        section_s = f"Signer {i}"
        sid = _inner(_named(signer, "sid"))
        if sid is not None and sid.schema_name == "IssuerAndSerialNumber":
            text = (f"issuer {_name_text(_named(sid, 'issuer'))}, serial "
                    f"{_serial(_named(sid, 'serialNumber'), der)}")
        else:
            text = f"subject key identifier {_value(sid)}"
        out.add(section_s, "cms.signer", text, sid)
        digest = _oid_name(_named(_named(signer, "digestAlgorithm"), "algorithm"))
        sig = _oid_name(_named(_named(signer, "signatureAlgorithm"), "algorithm"))
        out.add(section_s, "cms.signerAlgorithms", f"{digest}, {sig}", _named(signer, "signatureAlgorithm"))
        for attr, name, shown in _attributes(_named(signer, "signedAttrs")):
            out.add(section_s, "cms.signedAttr", shown, attr, name=name)


def _content_info(ci: NamedNode, out: _Out, der: bytes) -> str:
    ctype = _named(ci, "contentType")
    out.add("Overview", "cms.contentType", _value(ctype), ctype)
    content = _inner(_named(ci, "content"))
    if content is None:
        return f"CMS {_oid_name(ctype)}"
    if content.schema_name == "SignedData":
        _signed_data(content, out, der)
        tst = next((n for n in content.walk() if n.schema_name == "TSTInfo"), None)
        if tst is not None:
            _tst_info(tst, out, der)
            return "RFC 3161 time-stamp token"
        n = len(_items(_named(content, "certificates")))
        return f"CMS signed data with {n} certificate{'s' * (n != 1)}"
    if content.schema_name == "EnvelopedData":
        recipients = _items(_named(content, "recipientInfos"))
        out.add("Overview", "cms.recipients", str(len(recipients)), _named(content, "recipientInfos"))
    return f"CMS {_oid_name(ctype)}"


# --- PKCS#12 ---------------------------------------------------------------------------------

def _bags(contents: NamedNode, out: _Out, section: str) -> None:
    for i, bag in enumerate(_items(contents), start=1):
        bag_id = _named(bag, "bagId")
        kind = _oid_name(bag_id).replace("id-", "")
        value = _inner(_named(bag, "bagValue"))
        extra = ""
        cert = next((n for n in value.walk() if n.schema_name == "Certificate"), None) if value is not None else None
        if cert is not None:
            extra = f": {_cert_subject(cert)}"
        elif value is not None and value.schema_name == "PKCS8ShroudedKeyBag":
            extra = f": encrypted with {_oid_name(_named(_named(value, 'encryptionAlgorithm'), 'algorithm'))}"
        out.add(section, "p12.bag", f"{kind}{extra}", bag, name=f"Bag {i}")
        for attr, name, shown in _attributes(_named(bag, "bagAttributes")):
            key = {"friendlyName": "p12.friendlyName", "localKeyId": "p12.localKeyId"}.get(name, "p12.bag")
            out.add(section, key, shown, attr, name=f"  {name}")


def _pfx(e: Explored, out: _Out) -> str:
    root = e.root
    assert root is not None
    version = _named(root, "version")
    out.add("Overview", "p12.version", _value(version), version)
    mac = _named(root, "macData")
    if mac is not None:
        alg = _oid_name(_named(_named(_named(mac, "mac"), "digestAlgorithm"), "algorithm"))
        iterations = _value(_named(mac, "iterations")).split(" (")[0] or "1"
        out.add("Overview", "p12.mac", f"HMAC with {alg}, {iterations} iteration(s)", mac)
    auth = next((n for n in root.walk() if n.schema_name == "AuthenticatedSafe"), None)
    safes = _items(auth)
    for i, safe in enumerate(safes, start=1):
        section = f"Safe {i}"
        content = _inner(_named(safe, "content"))
        if content is not None and content.schema_name == "EncryptedData":
            enc = next((n for n in content.walk() if n.name == "contentEncryptionAlgorithm"), None)
            out.add(section, "p12.safe", f"encrypted with {_oid_name(_named(enc, 'algorithm'))} "
                    "(its bags are shown as the objects that follow, once the passphrase opens them)", safe)
            continue
        out.add(section, "p12.safe", f"{_oid_name(_named(safe, 'contentType'))} (in the clear)", safe)
        contents = next((n for n in safe.walk() if n.schema_name == "SafeContents"), None)
        if contents is not None:
            _bags(contents, out, section)
    return f"PKCS#12 bundle with {len(safes)} safe{'s' * (len(safes) != 1)}"


# --- time-stamping and CMP ------------------------------------------------------------------

def _imprint(n: NamedNode | None, out: _Out, section: str) -> None:
    if n is None:
        return
    alg = _oid_name(_named(_named(n, "hashAlgorithm"), "algorithm"))
    out.add(section, "tsp.hash", f"{alg} {_value(_named(n, 'hashedMessage'))}", n)


def _tst_info(tst: NamedNode, out: _Out, der: bytes) -> None:
    section = "Time stamp"
    _imprint(_named(tst, "messageImprint"), out, section)
    for name, key in (("policy", "tsp.policy"), ("serialNumber", "tsp.serial"), ("genTime", "tsp.genTime"),
                      ("nonce", "tsp.nonce")):
        node = _named(tst, name)
        if node is not None:
            out.add(section, key, _serial(node, der) if name == "serialNumber" else _value(node), node)
    accuracy = _named(tst, "accuracy")
    if accuracy is not None:
        parts = [f"{c.name} {_value(c).split(' (')[0]}" for c in _kids(accuracy) if c.name]
        out.add(section, "tsp.accuracy", ", ".join(parts), accuracy)
    tsa = _named(tst, "tsa")
    if tsa is not None:
        out.add(section, "tsp.tsa", _general_name(tsa), tsa)


def _ts_request(e: Explored, out: _Out) -> str:
    root = e.root
    assert root is not None
    _imprint(_named(root, "messageImprint"), out, "Overview")
    for name, key in (("reqPolicy", "tsp.policy"), ("nonce", "tsp.nonce"), ("certReq", "tsp.certReq")):
        node = _named(root, name)
        if node is not None:
            out.add("Overview", key, _value(node), node)
    return "RFC 3161 time-stamp request"


def _ts_response(e: Explored, out: _Out) -> str:
    root = e.root
    assert root is not None
    status = _named(_named(root, "status"), "status")
    out.add("Overview", "tsp.status", _value(status), status)
    token = _named(root, "timeStampToken")
    if token is not None:
        _content_info(token, out, e.der)
    return f"RFC 3161 time-stamp response: {_value(status).split(' (')[0]}"


def _cmp(e: Explored, out: _Out) -> str:
    root = e.root
    assert root is not None
    header = _named(root, "header")
    body = _named(root, "body")
    alt = body.path.rsplit(".", 1)[-1] if body is not None else "?"
    out.add("Overview", "cmp.body", alt, body)
    for name, key in (("sender", "cmp.sender"), ("recipient", "cmp.recipient")):
        node = _named(header, name)
        if node is not None:
            out.add("Overview", key, _general_name(node), node)
    tid = _named(header, "transactionID")
    if tid is not None:
        out.add("Overview", "cmp.transactionID", _value(tid), tid)
    alg = _named(header, "protectionAlg")
    if alg is not None:
        out.add("Overview", "cmp.protection", _oid_name(_named(_inner(alg), "algorithm")), alg)
    return f"CMP message ({alt})"


def _crmf(e: Explored, out: _Out) -> str:
    root = e.root
    assert root is not None
    msgs = _items(root)
    for i, msg in enumerate(msgs, start=1):
        req = _named(msg, "certReq")
        template = _named(req, "certTemplate")
        subject = _name_text(_named(template, "subject"))
        out.add(f"Request {i}", "crmf.request", f"ID {_value(_named(req, 'certReqId'))}, subject {subject or '(none)'}",
                req)
    return f"CRMF: {len(msgs)} certificate request{'s' * (len(msgs) != 1)}"


_DESCRIBERS: dict[str, Callable[[Explored, _Out], str]] = {
    "oCSPResponse": _ocsp_response,
    "oCSPRequest": _ocsp_request,
    "contentInfo": lambda e, out: _content_info(e.root, out, e.der) if e.root is not None else "CMS",
    "pFX": _pfx,
    "timeStampReq": _ts_request,
    "timeStampResp": _ts_response,
    "pKIMessage": _cmp,
    "certReqMessages": _crmf,
}
#: The kinds :func:`describe_tree` describes.
TREE_KINDS = frozenset({"ocsp-request", "ocsp-response", "pkcs7", "pkcs12", "timestamp-request",
                        "timestamp-response", "cmp", "crmf"})


def describe_tree(explored: Explored) -> Description | None:
    """The fields of an OCSP / CMS / PKCS#12 / TSP / CMP message from its named tree, or None
    when the tree is not one of them.  Never raises for a malformed message: the fields
    stop where the tree does."""
    describer = _DESCRIBERS.get(explored.root_name or "")
    if describer is None or explored.root is None:
        return None
    out = _Out()
    try:
        title = describer(explored, out)
    except (AttributeError, IndexError, KeyError, ValueError):  # a tree that stops early
        title = f"{explored.kind} (read as far as it goes)"
    return Description(explored.kind, title, tuple(out.fields))
