"""The decoded-field model: certificates, CSRs, CRLs and keys as ordered fields.

``describe(obj)`` turns a pyca/cryptography object into a :class:`Description`:
ordered sections of :class:`Field` values, each with a display value, a
plain-language explanation, its RFC section and the *node path* of the ASN.1
node it was read from, in pkilint's ``node_path`` style
(``certificate.tbsCertificate.validity.notAfter``), so a view can highlight the
bytes of a field and the other way round.  A field read from a node carries
that node's explanation and citation, exactly as the explorer's tree shows
them (one explanation per node, :mod:`certlab.knowledge.asn1`); a field
computed from a node (a size, a fingerprint, a check: ``derived=True``)
explains itself (:data:`certlab.knowledge.fields.DERIVED_TEXT`).

Pure: no widgets, no HTML. Private keys are secrets: with ``reveal=False`` (the
default) no secret number appears anywhere in the description, only its size.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import hashlib
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field as _dc_field, replace
from typing import TYPE_CHECKING, Any, Protocol, Union

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa, x448, x25519

from ._perf import gc_paused
from .clock import as_utc
from .der import int_text, read_header
from .errors import WrongKind, first_line
from .knowledge.algorithms import KEY_USAGE_BITS, algorithm_of, is_private_key, key_parameters
from .knowledge.asn1 import explain_path
from .knowledge.fields import ATTRIBUTE_TEXT, DERIVED_TEXT, EXTENSION_TEXT, FIELD_NAMES, SECTIONS, UNKNOWN_EXTENSION, Text
from .knowledge.unicode import visible

if TYPE_CHECKING:
    from .explorer import Explored
    from .load import Loaded
    from .types import Inspectable

__all__ = ["Field", "Description", "describe", "oid_name", "colon_hex", "format_time"]

PublicKey = Union[
    rsa.RSAPublicKey, ec.EllipticCurvePublicKey, dsa.DSAPublicKey,
    ed25519.Ed25519PublicKey, ed448.Ed448PublicKey, x25519.X25519PublicKey, x448.X448PublicKey,
]
PrivateKey = Union[
    rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, dsa.DSAPrivateKey,
    ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey, x25519.X25519PrivateKey, x448.X448PrivateKey,
]


@dataclass(frozen=True)
class Field:
    """One decoded field: where it sits, what it says, what it means, where its bytes are."""

    section: str
    name: str
    value: str
    explanation: str
    rfc: str | None
    path: str | None
    critical: bool | None = None
    #: computed from the node at ``path`` (a size, a hash, a check, one bit) or summing up
    #: several nodes: explained by its own text, not by the node's
    derived: bool = False


def _field(section: str, name: str, value: str, explanation: str, rfc: str | None, path: str | None,
           critical: bool | None = None) -> Field:
    """``Field(...)`` at a third of the cost, for the loops that make one per CRL entry: the
    frozen dataclass's ``__init__`` sets each of its eight attributes through
    ``object.__setattr__``; this sets the instance's ``__dict__`` once (equal, hashed and
    shown alike: the dataclass reads its attributes, however they were set)."""
    f = _new_object(Field)
    _set_attribute(f, "__dict__", {"section": section, "name": name, "value": value, "explanation": explanation,
                                   "rfc": rfc, "path": path, "critical": critical, "derived": False})
    return f


_new_object = object.__new__
_set_attribute = object.__setattr__


@dataclass(frozen=True)
class Description:
    """All fields of one object, in document order, plus computed fingerprints."""

    kind: str
    title: str
    fields: tuple[Field, ...]
    fingerprints: dict[str, str] = _dc_field(default_factory=dict)

    def sections(self) -> list[tuple[str, list[Field]]]:
        """The fields grouped by section, sections in their canonical order."""
        groups: dict[str, list[Field]] = {}
        for f in self.fields:
            groups.setdefault(f.section, []).append(f)
        order = {name: i for i, name in enumerate(SECTIONS)}
        return sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))

    def to_json(self) -> list[dict[str, Any]]:
        """Plain data for ``certlab inspect``: one dict per field."""
        out: list[dict[str, Any]] = []
        for f in self.fields:
            row: dict[str, Any] = {
                "section": f.section, "name": f.name, "value": f.value,
                "explanation": f.explanation, "path": f.path,
            }
            if f.rfc:
                row["rfc"] = f.rfc
            if f.critical is not None:
                row["critical"] = f.critical
            out.append(row)
        return out


# --------------------------------------------------------------------------- helpers


def colon_hex(data: bytes, *, upper: bool = True) -> str:
    """Bytes as browsers show fingerprints: ``AB:CD:...``."""
    text = data.hex(":")
    return text.upper() if upper else text


def format_time(when: _dt.datetime) -> str:
    """An aware UTC datetime as ``2026-01-31 12:00:00 UTC``."""
    if when.tzinfo is not _UTC:
        when = as_utc(when).astimezone(_UTC)  # cryptography's naive accessors are UTC
    if when.year < 1000:  # isoformat pads the year to four digits, strftime's %Y does not
        return when.strftime("%Y-%m-%d %H:%M:%S UTC")
    # isoformat is twice as fast as strftime: once per entry of a 100,000-entry CRL
    return f"{when.isoformat(' ', 'seconds')[:19]} UTC"


_UTC = _dt.timezone.utc


def oid_name(oid: x509.ObjectIdentifier) -> str:
    """A readable name for an OID; the dotted string when nobody knows it."""
    dotted = oid.dotted_string
    text = EXTENSION_TEXT.get(dotted) or ATTRIBUTE_TEXT.get(dotted)
    if text is not None:
        return text.name
    known = _registry_name(dotted)
    if known:
        return known
    name = getattr(oid, "_name", None)  # cryptography's own name table
    if name and name != "Unknown OID":
        return str(name)
    return dotted


def _registry_name(dotted: str) -> str | None:
    # the shared OID registry (knowledge.oids) names the long tail; one registry, not two
    try:
        from .knowledge.oids import oid_name as registry_name
    except ImportError:  # pragma: no cover - the registry ships with certlab
        return None
    return registry_name(dotted)


def _int_hex(n: int) -> str:
    """An integer as colon hex of its minimal two's-complement octets, like openssl."""
    length = max(1, (n.bit_length() + 8) // 8) if n >= 0 else max(1, ((-n - 1).bit_length() + 8) // 8)
    return colon_hex(n.to_bytes(length, "big", signed=True), upper=False)


# Octets of a signature shown in the field list: enough to recognise it; the explorer shows
# every byte, and the fields HTML is re-sent on every form edit.
_SIGNATURE_SHOWN = 48


def _short_hex(data: bytes, limit: int = 64) -> str:
    if len(data) <= limit:
        return colon_hex(data, upper=False)
    return f"{colon_hex(data[:limit], upper=False)}:… ({len(data)} bytes)"


def _text(key: str) -> Text:
    # a node's field is explained by its node (filled in by _explained); a derived one by its text
    derived = DERIVED_TEXT.get(key)
    return derived if derived is not None else Text(FIELD_NAMES[key], "", None)


def _f(section: str, key: str, value: str, path: str | None, *, name: str | None = None,
       critical: bool | None = None) -> Field:
    text = _text(key)
    return Field(section, name or text.name, value, text.explanation, text.rfc, path, critical,
                 derived=key in DERIVED_TEXT)


def _explained(fields: Iterable[Field], tree: _Finds) -> list[Field]:
    """Each field read from a node with that node's explanation and citation, as the tree
    shows them.  A field whose node the tree lacks (a v1 certificate's absent version, an
    RSA-PSS key the schema does not decode, bytes after a read error) has no bytes to
    point at: its path is dropped and its path's row (knowledge.asn1.explain_path) explains it."""
    return [f if f.path is None or f.derived else _explained_one(f, tree.find(f.path)) for f in fields]


def _explained_one(f: Field, node: Any) -> Field:
    # built directly, not with dataclasses.replace: a CRL has a field per entry
    if node is not None:
        return _field(f.section, f.name, f.value, node.explanation, node.rfc or None, f.path, f.critical)
    _title, text, rfc = explain_path(f.path or "")
    return _field(f.section, f.name, f.value, text, rfc or None, None, f.critical)


def _hash_name(obj: Any) -> str:
    try:
        algo = obj.signature_hash_algorithm
    except Exception:  # unsupported / PSS oddities: the OID still names it
        algo = None
    return algo.name.upper() if algo is not None else "none"


def _sig_algo_value(obj: Any) -> str:
    oid = obj.signature_algorithm_oid
    return f"{oid_name(oid)} ({oid.dotted_string})"


# --------------------------------------------------------------------------- names

_NAME_SHORT: dict[str, str] = {
    "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O",
    "2.5.4.11": "OU", "2.5.4.5": "serialNumber", "2.5.4.9": "street", "0.9.2342.19200300.100.1.25": "DC",
    "1.2.840.113549.1.9.1": "emailAddress", "0.9.2342.19200300.100.1.1": "UID",
}


def name_text(name: x509.Name) -> str:
    """A Name in document order, ``C=US, O=My Company, CN=mysite.com`` (like openssl)."""
    parts = []
    for rdn in name.rdns:
        parts.append(" + ".join(f"{_attr_short(a.oid)}={_attr_value(a)}" for a in rdn))
    return ", ".join(parts) if parts else "(empty)"


def _attr_short(oid: x509.ObjectIdentifier) -> str:
    return _NAME_SHORT.get(oid.dotted_string) or oid_name(oid)


def _attr_value(attr: x509.NameAttribute[Any]) -> str:
    value = attr.value
    # bidi overrides, NULs, zero-width spaces: shown as escapes (knowledge/unicode.py)
    return visible(value) if isinstance(value, str) else colon_hex(value, upper=False)


def _name_fields(section: str, key: str, get: Callable[[], x509.Name], path: str) -> list[Field]:
    text = _text(key)
    try:
        name = get()
        name_text(name)
    except Exception as exc:  # cryptography parses names lazily; show the failure on the node
        return [Field(section, f"{text.name} (undecodable)", _plain_error(exc), text.explanation, text.rfc, path)]
    out = [Field(section, text.name, name_text(name), text.explanation, text.rfc, path)]
    for i, rdn in enumerate(name.rdns):
        for j, attr in enumerate(rdn):
            out.append(Field(
                section, f"{_attr_short(attr.oid)} ({oid_name(attr.oid)})", _attr_value(attr),
                "", None, f"{path}.rdnSequence.{i}.{j}",  # explained by its node
            ))
    return out


# --------------------------------------------------------------------------- general names

# cryptography GeneralName class -> (label, CHOICE field name in RFC 5280's GeneralName)
_GN_CHOICE: dict[type, tuple[str, str]] = {
    x509.DNSName: ("DNS", "dNSName"),
    x509.IPAddress: ("IP", "iPAddress"),
    x509.RFC822Name: ("email", "rfc822Name"),
    x509.UniformResourceIdentifier: ("URI", "uniformResourceIdentifier"),
    x509.DirectoryName: ("DirName", "directoryName"),
    x509.RegisteredID: ("RID", "registeredID"),
    x509.OtherName: ("othername", "otherName"),
}


def _gn_text(gn: x509.GeneralName) -> str:
    label = _GN_CHOICE.get(type(gn), ("name", ""))[0]
    value: Any = gn.value
    if isinstance(gn, x509.DirectoryName):
        value = name_text(gn.value)
    elif isinstance(gn, x509.RegisteredID):
        value = oid_name(gn.value)
    elif isinstance(gn, x509.OtherName):
        value = f"{oid_name(gn.type_id)}:{_der_text(gn.value)}"
    elif isinstance(gn, x509.IPAddress) and not isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        value = f"{value.network_address}/{value.netmask}"  # a name-constraints subtree, as openssl shows it
    elif isinstance(value, str):
        value = visible(value)  # a DNS name or URI may hide characters too
    return f"{label}:{value}"


def _der_text(der: bytes) -> str:
    """A DER value as text: its decoded leaves (a string shows as the string), else hex."""
    from .explorer import explore

    e = explore(der)
    if e.root is None or e.errors:
        return _short_hex(der)
    leaves = [n.value for n in e.walk() if not n.children and n.value is not None]
    return ", ".join(leaves) if leaves else _short_hex(der)


def _gns_text(names: Iterable[x509.GeneralName]) -> str:
    return ", ".join(_gn_text(g) for g in names)


# --------------------------------------------------------------------------- extension values

def _ku(v: x509.KeyUsage) -> str:
    # cryptography raises for encipher_only / decipher_only without key_agreement (RFC 5280 §4.2.1.3)
    flags = [bit.label for bit in KEY_USAGE_BITS
             if (v.key_agreement or bit.keyword not in _AGREEMENT_ONLY) and getattr(v, bit.keyword)]
    return ", ".join(flags) or "(none)"


_AGREEMENT_ONLY = ("encipher_only", "decipher_only")


def _key_usage_bit_fields(section: str, v: x509.KeyUsage, path: str) -> list[Field]:
    """One field per asserted KeyUsage bit, explained by its row of KEY_USAGE_BITS
    (knowledge/algorithms.py): a bit has no node of its own, so the field is derived
    from the BIT STRING node it points at."""
    return [Field(section, f"Key Usage: {bit.asn1_name}", f"{bit.label} (bit {bit.bit})", bit.explanation,
                  "RFC 5280 §4.2.1.3", path, derived=True)
            for bit in KEY_USAGE_BITS
            if (v.key_agreement or bit.keyword not in _AGREEMENT_ONLY) and getattr(v, bit.keyword)]


def _bc(v: x509.BasicConstraints) -> str:
    text = f"CA:{'TRUE' if v.ca else 'FALSE'}"
    return text + (f", pathlen:{v.path_length}" if v.path_length is not None else "")


def _ski(v: x509.SubjectKeyIdentifier) -> str:
    return colon_hex(v.digest)


def _aki(v: x509.AuthorityKeyIdentifier) -> str:
    parts = []
    if v.key_identifier is not None:
        parts.append(f"keyid:{colon_hex(v.key_identifier)}")
    if v.authority_cert_issuer:
        parts.append(f"issuer:{_gns_text(v.authority_cert_issuer)}")
    if v.authority_cert_serial_number is not None:
        parts.append(f"serial:{_int_hex(v.authority_cert_serial_number)}")
    return ", ".join(parts) or "(empty)"


def _eku(v: x509.ExtendedKeyUsage) -> str:
    return ", ".join(oid_name(o) for o in v) or "(empty)"


def _policies(v: x509.CertificatePolicies) -> str:
    out = []
    for p in v:
        dotted = p.policy_identifier.dotted_string
        named = oid_name(p.policy_identifier)
        parts = [f"Policy: {named} ({dotted})" if named != dotted else f"Policy: {dotted}"]
        for q in p.policy_qualifiers or ():
            if isinstance(q, str):
                parts.append(f"CPS: {visible(q)}")
                continue
            notice = []
            if q.notice_reference is not None:
                numbers = ", ".join(str(n) for n in q.notice_reference.notice_numbers)
                notice.append(f"Organization: {visible(q.notice_reference.organization)}, Number(s): {numbers}")
            if q.explicit_text is not None:
                notice.append(f"Explicit Text: {visible(q.explicit_text)}")
            parts.append(f"User Notice: {'; '.join(notice) or '(empty)'}")
        out.append(" | ".join(parts))
    return "; ".join(out) or "(empty)"


# RFC 5280 §4.2.1.13 ReasonFlags, cryptography's names -> openssl's words
_REASON_WORDS = {"unspecified": "Unused", "key_compromise": "Key Compromise", "ca_compromise": "CA Compromise",
                 "affiliation_changed": "Affiliation Changed", "superseded": "Superseded",
                 "cessation_of_operation": "Cessation Of Operation", "certificate_hold": "Certificate Hold",
                 "privilege_withdrawn": "Privilege Withdrawn", "aa_compromise": "AA Compromise",
                 "remove_from_crl": "Remove From CRL"}

# a CRL entry's reason code as shown, per ReasonFlags member (one lookup per entry of a CRL)
_REASON_CODE = {flag: "Unspecified" if flag.name == "unspecified" else _REASON_WORDS.get(flag.name, flag.value)
                for flag in x509.ReasonFlags}


def _reasons(flags: Any) -> str:
    return ", ".join(_REASON_WORDS.get(r.name, r.name) for r in sorted(flags, key=lambda r: r.name))


def _dp_name(dp: Any) -> str:
    if getattr(dp, "full_name", None):
        return f"Full Name: {_gns_text(dp.full_name)}"
    if getattr(dp, "relative_name", None) is not None:
        return f"Relative Name: {dp.relative_name.rfc4514_string()}"
    return ""


def _crldp(v: Any) -> str:
    out = []
    for dp in v:
        parts = [t for t in (_dp_name(dp),) if t]
        if dp.reasons:
            parts.append(f"Reasons: {_reasons(dp.reasons)}")
        if dp.crl_issuer:
            parts.append(f"CRL Issuer: {_gns_text(dp.crl_issuer)}")
        out.append(", ".join(parts) or "(empty distribution point)")
    return "; ".join(out) or "(empty)"


def _idp(v: x509.IssuingDistributionPoint) -> str:
    parts = [t for t in (_dp_name(v),) if t]
    for flag, words in (("only_contains_user_certs", "Only User Certificates"),
                        ("only_contains_ca_certs", "Only CA Certificates"),
                        ("only_contains_attribute_certs", "Only Attribute Certificates"),
                        ("indirect_crl", "Indirect CRL")):
        if getattr(v, flag):
            parts.append(words)
    if v.only_some_reasons:
        parts.append(f"Only Some Reasons: {_reasons(v.only_some_reasons)}")
    return ", ".join(parts) or "(empty)"


def _policy_constraints(v: x509.PolicyConstraints) -> str:
    parts = []
    if v.require_explicit_policy is not None:
        parts.append(f"Require Explicit Policy: {v.require_explicit_policy}")
    if v.inhibit_policy_mapping is not None:
        parts.append(f"Inhibit Policy Mapping: {v.inhibit_policy_mapping}")
    return ", ".join(parts) or "(empty)"


def _pkup(v: Any) -> str:
    parts = []
    if v.not_before is not None:
        parts.append(f"Not Before: {format_time(v.not_before)}")
    if v.not_after is not None:
        parts.append(f"Not After: {format_time(v.not_after)}")
    return ", ".join(parts) or "(empty)"


def _template(v: Any) -> str:
    text = f"Template: {v.template_id.dotted_string}"
    if v.major_version is not None:
        text += f", Major Version: {v.major_version}"
    if v.minor_version is not None:
        text += f", Minor Version: {v.minor_version}"
    return text


def _aia(v: Any) -> str:
    return "; ".join(f"{oid_name(d.access_method)} - {_gn_text(d.access_location)}" for d in v)


def _nc(v: x509.NameConstraints) -> str:
    parts = []
    if v.permitted_subtrees:
        parts.append(f"permitted: {_gns_text(v.permitted_subtrees)}")
    if v.excluded_subtrees:
        parts.append(f"excluded: {_gns_text(v.excluded_subtrees)}")
    return "; ".join(parts) or "(empty)"


def _scts(v: Any) -> str:
    scts = list(v)
    return f"{len(scts)} signed certificate timestamp{'s' if len(scts) != 1 else ''}"


def _sct_text(sct: Any) -> str:
    """One SCT as openssl prints it: version, log ID (and which log), timestamp, extensions, signature."""
    from .ct import find_log

    log = find_log(sct.log_id)
    who = f" ({log.description}, {log.operator})" if log else ""
    ms = as_utc(sct.timestamp)  # cryptography gives it naive, in UTC
    return (f"Version: {sct.version.name} ({sct.version.value}), Log ID: {colon_hex(sct.log_id)}{who}, "
            f"Timestamp: {ms:%Y-%m-%d %H:%M:%S}.{ms.microsecond // 1000:03d} UTC, "
            f"Extensions: {colon_hex(sct.extension_bytes) if sct.extension_bytes else 'none'}, "
            f"Signature: {_sct_algorithm(sct)}, {colon_hex(sct.signature)}")


def _sct_algorithm(sct: Any) -> str:
    try:
        h = sct.signature_hash_algorithm.name
    except Exception:
        h = "none"
    return f"{sct.signature_algorithm.name.lower()}-with-{h.upper()}"


def _unrecognized(v: x509.UnrecognizedExtension) -> str:
    raw = v.value
    text = f"raw value {colon_hex(raw, upper=False)}"
    if raw and all(0x20 <= b < 0x7F for b in raw):
        text += f' (as ASCII text, not DER: "{raw.decode("ascii")}")'  # openssl prints such bytes as text
    return text


# dotted OID -> formatter of the decoded value (anything missing falls back to repr)
_EXT_FORMAT: dict[str, Callable[[Any], str]] = {
    "2.5.29.15": _ku,
    "2.5.29.19": _bc,
    "2.5.29.14": _ski,
    "2.5.29.35": _aki,
    "2.5.29.37": _eku,
    "2.5.29.17": _gns_text,
    "2.5.29.18": _gns_text,
    "2.5.29.29": _gns_text,
    "2.5.29.32": _policies,
    "2.5.29.28": _idp,
    "2.5.29.36": _policy_constraints,
    "2.5.29.16": _pkup,
    "1.3.6.1.4.1.311.21.7": _template,
    "2.5.29.31": _crldp,
    "2.5.29.46": _crldp,
    "1.3.6.1.5.5.7.1.1": _aia,
    "1.3.6.1.5.5.7.1.11": _aia,
    "2.5.29.30": _nc,
    "1.3.6.1.4.1.11129.2.4.2": _scts,
    "2.5.29.20": lambda v: str(v.crl_number),
    "2.5.29.27": lambda v: str(v.crl_number),
    # reason code 0 is "unspecified" (RFC 5280 §5.3.1); bit 0 of ReasonFlags is "unused" (4.2.1.13)
    "2.5.29.21": lambda v: _REASON_CODE[v.reason],
    "2.5.29.24": lambda v: format_time(v.invalidity_date_utc),
    "2.5.29.54": lambda v: str(v.skip_certs),
    "1.3.6.1.5.5.7.1.24": lambda v: ", ".join(f"{f.name} ({f.value})" for f in v),
    "1.3.6.1.4.1.11129.2.4.5": _scts,
    "1.3.6.1.5.5.7.48.1.5": lambda v: "(present)",
    "1.3.6.1.4.1.11129.2.4.3": lambda v: "(present)",
}

# Extensions whose entries are GeneralNames get one sub-field per name, pinned to its node.
_GN_EXTENSIONS: dict[str, str] = {"2.5.29.17": "subjectAltName", "2.5.29.18": "issuerAltName"}


class _Tree:
    """The named DER tree of the object being described, built on first use (certlab.explorer):
    the fields fall back to it wherever cryptography does not decode (or refuses) a value."""

    def __init__(self, der: bytes, kind: str, explored: Explored | None = None, *, reveal: bool = False) -> None:
        self._der, self._kind, self._reveal = der, kind, reveal
        # a caller's tree of the same bytes (the views explore once for both panes)
        self._explored: Any = explored if explored is not None and explored.der == der \
            and explored.revealed == reveal else None

    def find(self, path: str) -> Any:
        if self._explored is None:
            from .explorer import explore

            self._explored = explore(self._der, self._kind, reveal=self._reveal)
        root = self._explored.root
        return _find_under(root, path) if root is not None else None


class _Finds(Protocol):
    def find(self, path: str) -> Any: ...


class _Under:
    """A :class:`_Tree` seen from one of its nodes: ``find`` searches that node's subtree only
    (a CRL entry's extensions are found under the entry, not from the root)."""

    __slots__ = ("_node",)

    def __init__(self, node: Any) -> None:
        self._node = node

    def find(self, path: str) -> Any:
        return _find_under(self._node, path)


def _find_under(top: Any, path: str) -> Any:
    """The node of ``top``'s subtree answering to ``path``, as :meth:`Explored.find` answers
    (its own path or an alias; the first in document order), by walking down the branches
    whose path is a prefix of ``path`` instead of indexing every path of the tree (470,000
    of them for a 100,000-entry CRL, a second of CPU for the twenty fields a CRL's header
    has).  A node's path and aliases begin with its parent's (certlab.schema), so no other
    branch can hold it."""
    base = top.path
    if path.startswith(base) and path[len(base):len(base) + 1] == "." and path[len(base) + 1:].isdigit():
        # a child by its index (a CRL entry's extensions): no earlier sibling can hold it
        kids, k = top.children, int(path[len(base) + 1:])
        if k < len(kids) and kids[k].path == path:
            return kids[k]
    stack = [top]
    while stack:
        n = stack.pop()
        if n.path == path or (n.aliases and path in n.aliases):
            return n
        kids = n.children
        if kids:
            stack.extend(reversed(_leading(kids, n.path, path)))
    return None


def _leading(kids: list[Any], parent: str, path: str) -> list[Any]:
    """The children (of a node at ``parent``) that may hold ``path``, in document order."""
    cut = len(parent)
    if path.startswith(parent) and path[cut:cut + 1] == ".":
        segment = path[cut + 1:].split(".", 1)[0]
        if segment.isdigit():
            # SEQUENCE OF items are named by their index: no item but item k can hold the path
            k = int(segment)
            if k < len(kids) and _leads_to(kids[k], path):
                return [kids[k]]
    return [c for c in kids if _leads_to(c, path)]


def _leads_to(n: Any, path: str) -> bool:
    """``n`` answers to ``path`` or holds a node that may (its path or an alias is a prefix)."""
    p = n.path
    if path.startswith(p) and (len(path) == len(p) or path[len(p)] == "."):
        return True
    for p in n.aliases:
        if path.startswith(p) and (len(path) == len(p) or path[len(p)] == "."):
            return True
    return False


def _tree_text(node: Any) -> str | None:
    """An extension's decoded value, read from the named tree: ``field: value`` per leaf."""
    if node is None:
        return None
    value = next((c for c in node.children if c.name == "extnValue"), None)
    if value is None or not value.children:
        return None
    decoded = value.children[0]
    special = _TREE_FORMAT.get(decoded.schema_name or "")
    if special is not None:
        return special(decoded)
    parts: list[str] = []
    stack = [decoded]
    while stack:
        n = stack.pop()
        # an SCT signature is shown as its bytes, as openssl does, not as the DER read inside it
        if n.children and n.schema_name != "tls:signature":
            stack.extend(reversed(n.children))
            continue
        if n.value is None:
            continue
        if getattr(n, "guess", False):
            # DER no schema declares: certlab's guess, said so (the tree marks it too)
            parts.append(f"{n.value} (guessed {n.type_name.replace(' (guessed)', '')})")
            continue
        label = n.name if n.name and not n.name.isdigit() else ""
        for segment in reversed(n.path.split(".")):
            if not segment.isdigit():
                label = segment
                break
        parts.append(f"{label}: {n.value}" if label and label != value.children[0].name else n.value)
    return ", ".join(parts) if parts else "(empty)"


def _tree_bc(n: Any) -> str:
    # RFC 5280 §4.2.1.9: cA is DEFAULT FALSE, so DER leaves it out when false
    ca = next((c for c in n.children if c.name == "cA"), None)
    path_len = next((c for c in n.children if c.name == "pathLenConstraint"), None)
    text = f"CA:{'TRUE' if ca is not None and ca.value == 'TRUE' else 'FALSE'}"
    return text + (f", pathlen:{(path_len.value or '').split(' ')[0]}" if path_len is not None else "")


_TREE_FORMAT: dict[str, Callable[[Any], str]] = {"BasicConstraints": _tree_bc}


def _ext_value(ext: x509.Extension[Any], value: Any, dotted: str, unrecognized: bool,
               tree: _Finds | None = None, path: str = "") -> str:
    if unrecognized:
        return _tree_text(_node(tree, path)) or _unrecognized(value)
    fmt = _EXT_FORMAT.get(dotted)
    try:
        if fmt is not None:
            return fmt(value)
    except Exception:  # a decoder gap must not hide the extension: the tree still has it
        pass
    return _tree_text(_node(tree, path)) or _unrecognized(x509.UnrecognizedExtension(ext.oid, value.public_bytes()))


def _node(tree: _Finds | None, path: str) -> Any:
    # the tree is read only where cryptography does not decode
    return tree.find(path) if tree is not None else None


# type of an extension's value -> (unrecognized, a list of SCTs, KeyUsage): the same for every
# value of a type, asked once per type (isinstance on cryptography's ABCs costs, per entry of a CRL)
_KINDS: dict[type, tuple[bool, bool, bool]] = {}


def _value_kind(value: Any) -> tuple[bool, bool, bool]:
    kind = _KINDS.get(type(value))
    if kind is None:
        kind = _KINDS[type(value)] = (
            isinstance(value, x509.UnrecognizedExtension),
            isinstance(value, (x509.PrecertificateSignedCertificateTimestamps, x509.SignedCertificateTimestamps)),
            isinstance(value, x509.KeyUsage))
    return kind


def _extension_fields(section: str, exts: Iterable[x509.Extension[Any]], base: str,
                      tree: _Finds | None = None) -> list[Field]:
    out: list[Field] = []
    for i, ext in enumerate(exts):
        value = ext.value
        dotted = ext.oid.dotted_string
        path = f"{base}.{i}"
        unrecognized, scts, key_usage = _value_kind(value)
        known = not unrecognized or (dotted in EXTENSION_TEXT and _tree_text(_node(tree, path)) is not None)
        text = EXTENSION_TEXT.get(dotted) if known else None
        if text is None:
            name = oid_name(ext.oid)
            known_name = name != dotted
            text = Text(name if known_name else f"Unknown extension {dotted}",
                        f"Extension {dotted}." if known_name else UNKNOWN_EXTENSION.explanation,
                        UNKNOWN_EXTENSION.rfc)
        critical = ext.critical
        label = f"{text.name} (critical)" if critical else text.name
        out.append(_field(section, label, _ext_value(ext, value, dotted, unrecognized, tree, path), text.explanation,
                          text.rfc, path, critical))
        if scts:
            for k, sct in enumerate(value):
                sct_path = f"{path}.extnValue.signedCertificateTimestampList.sct_list.{k}"
                try:
                    sct_value = _sct_text(sct)
                except Exception as exc:  # cryptography reads an SCT's fields lazily and may refuse one
                    sct_node = tree.find(sct_path) if tree is not None else None
                    shown = ", ".join(f"{c.name}: {c.value}" for c in sct_node.children) if sct_node else ""
                    sct_value = f"cryptography cannot read this SCT ({_plain_error(exc)}); from the DER: {shown}"
                out.append(Field(section, f"SCT #{k + 1}", sct_value, "", None, sct_path))  # explained by its node
        if key_usage:
            out += _key_usage_bit_fields(section, value, f"{path}.extnValue.keyUsage")
        choice = _GN_EXTENSIONS.get(dotted)
        if choice and known:
            for k, gn in enumerate(value):
                tag = _GN_CHOICE.get(type(gn), ("name", "otherName"))[1]
                out.append(Field(section, f"{text.name} #{k + 1}", _gn_text(gn), "", None,
                                 f"{path}.extnValue.{choice}.{k}.{tag}"))  # explained by its node
    return out


# --------------------------------------------------------------------------- keys


def _spki_der(key: Any) -> bytes:
    der: bytes = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return der


def _key_kind(key: Any) -> tuple[str, str]:
    """(algorithm label, size text) of a public or private key."""
    row = algorithm_of(key)
    if row is None:
        return type(key).__name__, "unknown"
    if row.fixed_size is not None:
        return row.label, row.fixed_size
    if row.parameter == "curve":
        return row.label, f"{key.curve.key_size} bits ({key.curve.name})"
    if row.parameter == "variant":
        return row.label, str(key_parameters(key)["variant"])
    return row.label, f"{key.key_size} bits"


def _public_key_fields(section: str, key: Any, base: str) -> list[Field]:
    algo, size = _key_kind(key)
    spk = f"{base}.subjectPublicKey"
    out = [_f(section, "key.algorithm", algo, f"{base}.algorithm"),
           _f(section, "key.size", size, spk)]
    if isinstance(key, rsa.RSAPublicKey):
        nums = key.public_numbers()
        # the BIT STRING encapsulates an RSAPublicKey (RFC 8017 §A.1.1), named as pkilint does
        out.append(_f(section, "key.modulus", _int_hex(nums.n), f"{spk}.rSAPublicKey.modulus"))
        out.append(_f(section, "key.exponent", f"{int_text(nums.e)} ({nums.e:#x})", f"{spk}.rSAPublicKey.publicExponent"))
    elif isinstance(key, ec.EllipticCurvePublicKey):
        out.append(_f(section, "key.curve", key.curve.name, f"{base}.algorithm.parameters"))
        point = key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        out.append(_f(section, "key.point", colon_hex(point, upper=False), spk))
    elif isinstance(key, dsa.DSAPublicKey):
        p = key.parameters().parameter_numbers()
        out.append(_f(section, "key.dsa_params",
                      f"p: {p.p.bit_length()} bits, q: {p.q.bit_length()} bits", f"{base}.algorithm.parameters"))
    else:
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        out.append(_f(section, "key.raw", colon_hex(raw, upper=False), spk))
    out.append(_f(section, "key.spki_sha256", colon_hex(hashlib.sha256(_spki_der(key)).digest()), base))
    return out


def _secret(value: int | bytes, bits: int, what: str, reveal: bool) -> str:
    if not reveal:
        return f"{bits}-bit {what} (hidden)"
    return _int_hex(value) if isinstance(value, int) else colon_hex(value, upper=False)


def _private_key_fields(key: Any, reveal: bool) -> list[Field]:
    s = "Private key"
    base = "privateKeyInfo"
    algo, size = _key_kind(key)
    secret = f"{base}.privateKey"
    out = [_f(s, "priv.kind", f"{algo}, {size}", base),
           _f(s, "key.algorithm", algo, f"{base}.privateKeyAlgorithm")]
    if isinstance(key, rsa.RSAPrivateKey):
        # PKCS #8 privateKey OCTET STRING encapsulates RSAPrivateKey (RFC 8017 §A.1.2)
        r = f"{secret}.rSAPrivateKey"
        nums = key.private_numbers()
        pub = nums.public_numbers
        out += [
            _f(s, "key.modulus", f"{pub.n.bit_length()}-bit modulus" + (f": {_int_hex(pub.n)}" if reveal else ""),
               f"{r}.modulus"),
            _f(s, "key.exponent", f"{int_text(pub.e)} ({pub.e:#x})", f"{r}.publicExponent"),
            _f(s, "priv.rsa_d", _secret(nums.d, nums.d.bit_length(), "private exponent", reveal),
               f"{r}.privateExponent"),
            _f(s, "priv.rsa_primes",
               "; ".join(_secret(v, v.bit_length(), "prime", reveal) for v in (nums.p, nums.q)), f"{r}.prime1"),
            _f(s, "priv.rsa_crt",
               "; ".join(_secret(v, v.bit_length(), "value", reveal)
                         for v in (nums.dmp1, nums.dmq1, nums.iqmp)), f"{r}.exponent1"),
        ]
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        # ... or ECPrivateKey (RFC 5915 §3)
        d = key.private_numbers().private_value
        out += [_f(s, "key.curve", key.curve.name, f"{base}.privateKeyAlgorithm.parameters"),
                _f(s, "priv.ec_scalar", _secret(d, key.curve.key_size, "private scalar", reveal),
                   f"{secret}.eCPrivateKey.privateKey")]
    elif isinstance(key, dsa.DSAPrivateKey):
        x = key.private_numbers().x
        # PKCS #8 holds DSA's x alone, as an INTEGER
        out.append(_f(s, "priv.dsa_x", _secret(x, x.bit_length(), "private value", reveal), f"{secret}.integer"))
    else:
        try:
            raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                    serialization.NoEncryption())
            # EdDSA keeps a seed it hashes into the scalar (RFC 8032 §5.1.5); X25519/X448 keep
            # the scalar itself (RFC 7748 §5)
            eddsa = isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey))
            out.append(_f(s, "priv.raw" if eddsa else "priv.raw_scalar",
                          _secret(raw, len(raw) * 8, "seed" if eddsa else "scalar", reveal),
                          f"{secret}.curvePrivateKey"))
        except Exception:
            pass
    # The public half is computed from the private key; PKCS #8 need not store it, so these
    # fields point at no node: they say what the nodes of the public key's own DER say.
    public = key.public_key()
    shown = _explained(_public_key_fields("Public key", public, "subjectPublicKeyInfo"),
                       _Tree(_spki_der(public), "public-key"))
    out += [replace(f, path=None) for f in shown]
    return out


# --------------------------------------------------------------------------- documents


def _fingerprints(der: bytes, spki: bytes | None) -> dict[str, str]:
    out = {"SHA-256": colon_hex(hashlib.sha256(der).digest()), "SHA-1": colon_hex(hashlib.sha1(der).digest())}
    if spki is not None:
        out["SPKI SHA-256"] = colon_hex(hashlib.sha256(spki).digest())
    return out


def _fp_fields(fps: dict[str, str], path: str) -> list[Field]:
    key_for = {"SHA-256": "fp.sha256", "SHA-1": "fp.sha1", "SPKI SHA-256": "key.spki_sha256"}
    return [_f("Fingerprints", key_for[k], v, path) for k, v in fps.items()]


def _describe_certificate(cert: x509.Certificate, explored: Explored | None) -> Description:
    tbs = "certificate.tbsCertificate"
    der = cert.public_bytes(serialization.Encoding.DER)
    tree = _Tree(der, "certificate", explored)
    o = "Overview"
    version = cert.version
    nb, na = cert.not_valid_before_utc, cert.not_valid_after_utc
    period = na - nb + _dt.timedelta(seconds=1)
    fields = [
        _f(o, "cert.version", f"v{version.value + 1} ({version.value})", f"{tbs}.version"),
        _f(o, "cert.serial", f"{int_text(cert.serial_number)} (0x{_int_hex(cert.serial_number)})", f"{tbs}.serialNumber"),
        _f(o, "cert.tbs_signature", _sig_algo_value(cert), f"{tbs}.signature"),
        *_name_fields("Issuer", "cert.issuer", lambda: cert.issuer, f"{tbs}.issuer"),
        _f("Validity", "cert.not_before", format_time(nb), f"{tbs}.validity.notBefore"),
        _f("Validity", "cert.not_after", format_time(na), f"{tbs}.validity.notAfter"),
        _f("Validity", "cert.validity_period", _period_text(period), f"{tbs}.validity"),
        *_name_fields("Subject", "cert.subject", lambda: cert.subject, f"{tbs}.subject"),
        *_safe_key_fields(cert, f"{tbs}.subjectPublicKeyInfo"),
    ]
    fields = _algorithm_details(fields, der, tree, f"{tbs}.subjectPublicKeyInfo")
    fields += _extensions_or_error("Extensions", lambda: cert.extensions, f"{tbs}.extensions", tree)
    fields += _algorithm_details([
        _f("Signature", "cert.signature_algorithm", _sig_algo_value(cert), "certificate.signatureAlgorithm"),
        _f("Signature", "cert.signature", _short_hex(cert.signature, _SIGNATURE_SHOWN), "certificate.signature"),
    ], der, tree, f"{tbs}.subjectPublicKeyInfo")
    spki = _safe_spki(cert)
    fps = _fingerprints(der, spki)
    fields += _fp_fields(fps, "certificate")
    return Description("certificate", _title(lambda: cert.subject, "Certificate"), tuple(_explained(fields, tree)), fps)


_PSS = "1.2.840.113549.1.1.10"
_SPKI_EXPLICIT = ("algorithm.parameters.eCParameters.specifiedCurve",)


def _algorithm_details(fields: list[Field], der: bytes, tree: _Tree, spki: str) -> list[Field]:
    """What cryptography's key object hides, read from the named tree: explicit curve
    parameters (it reports the named curve they equal, or refuses them), RSA-PSS keys (it
    calls them RSA) and RSASSA-PSS parameters with their defaults (RFC 4055 §3.1)."""
    if b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0a" not in der and b"\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x30" not in der:
        return fields  # neither a PSS OID nor id-ecPublicKey followed by a SEQUENCE: nothing hidden
    out = []
    curve = tree.find(f"{spki}.{_SPKI_EXPLICIT[0]}")
    key_alg = tree.find(f"{spki}.algorithm.algorithm")
    key_pss = key_alg is not None and _PSS in (key_alg.value or "")
    key_params = tree.find(f"{spki}.algorithm.parameters.rSASSA_PSS_params")
    for f in fields:
        if curve is not None and f.value.endswith(")") and " bits (" in f.value and f.path != f"{spki}.algorithm.parameters":
            # cryptography names the curve the explicit parameters equal; the certificate does not
            f = replace(f, value=f.value.split(" (", 1)[0] + " (explicit curve parameters)")
        elif curve is not None and f.path == f"{spki}.algorithm.parameters":
            f = replace(f, value=curve.value or "explicit curve parameters", path=curve.path)
        elif curve is not None and f.name.startswith("Public key (unsupported)"):
            out.append(f)
            f = Field(f.section, FIELD_NAMES["key.curve"], curve.value or "explicit curve parameters",
                      "", None, curve.path)  # explained by its node
        elif key_pss and f.path == f"{spki}.algorithm":
            restriction = f"; parameters: {key_params.value}" if key_params is not None else \
                "; no parameters (any PSS hash may be used)"
            f = replace(f, value=f"RSA-PSS (RSASSA-PSS key, RFC 4055 §3.1){restriction}")
        elif key_pss and f.section == "Overview" and f.value.startswith("RSA,"):
            f = replace(f, value="RSA-PSS" + f.value[3:])
        elif f.value.startswith("RSASSA-PSS") or _PSS in f.value:
            holder = tree.find(f"{f.path}.parameters.rSASSA_PSS_params") if f.path else None
            if holder is not None and holder.value:
                f = replace(f, value=f"{f.value}: {holder.value}")
        out.append(f)
    return out


def _extensions_or_error(section: str, get: Callable[[], Iterable[x509.Extension[Any]]],
                         path: str, tree: _Finds | None = None) -> list[Field]:
    try:
        exts = list(get())
    except Exception as exc:  # e.g. a duplicate or malformed extension: say so, then read the tree
        refused = Field(section, "Extensions (read from the DER: cryptography refused them)",
                        f"cryptography said: {_plain_error(exc)}", UNKNOWN_EXTENSION.explanation,
                        "RFC 5280 §4.2", path)
        return [refused, *(_tree_extension_fields(section, tree, path) if tree is not None else [])]
    return _extension_fields(section, exts, path, tree)


def _tree_extension_fields(section: str, tree: _Finds, base: str) -> list[Field]:
    """Every extension of the named tree as a field, when cryptography would not decode the block."""
    out: list[Field] = []
    holder = tree.find(base)
    while holder is not None and holder.type_name.endswith("EXPLICIT") and len(holder.children) == 1:
        holder = holder.children[0]  # the [3] wrapper shares the Extensions SEQUENCE's path
    for i, node in enumerate(holder.children if holder is not None else ()):
        oid = next((c for c in node.children if c.name == "extnID"), None)
        if oid is None:
            continue
        crit = next((c for c in node.children if c.name == "critical"), None)
        critical = crit is not None and crit.value == "TRUE"
        dotted = oid.value.rsplit("(", 1)[-1].rstrip(")") if oid.value and "(" in oid.value else (oid.value or "?")
        text = EXTENSION_TEXT.get(dotted) or Text(
            oid.value or dotted, UNKNOWN_EXTENSION.explanation, UNKNOWN_EXTENSION.rfc)
        value = _tree_text(node)
        if value is None:
            raw = next((c for c in node.children if c.name == "extnValue"), None)
            value = f"raw value {raw.value}" if raw is not None else "(no value)"
        out.append(Field(section, f"{text.name}{' (critical)' if critical else ''}", value,
                         text.explanation, text.rfc, f"{base}.{i}", critical))
    return out


def _period_text(period: _dt.timedelta) -> str:
    days = period.days
    rest = period - _dt.timedelta(days=days)
    return f"{days} days" + (f" {rest}" if rest else "")


def _plain_error(exc: Exception) -> str:
    return first_line(exc, 200)


def _safe_spki(obj: Any) -> bytes | None:
    try:
        return _spki_der(obj.public_key())
    except Exception:
        return None


def _safe_key_fields(obj: Any, base: str) -> list[Field]:
    try:
        key = obj.public_key()
    except Exception as exc:  # unsupported key type (e.g. an exotic curve): still show the node
        return [Field("Public key", "Public key (unsupported)", _plain_error(exc),
                      "", None, base)]  # explained by its node
    return _public_key_fields("Public key", key, base)


def _title(get: Callable[[], x509.Name], fallback: str) -> str:
    try:
        name = get()
        cns = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        name_text(name)
    except Exception:
        return fallback
    if cns and isinstance(cns[0].value, str):
        return visible(cns[0].value)
    return name_text(name) if len(name) else fallback


def _describe_csr(csr: x509.CertificateSigningRequest, explored: Explored | None) -> Description:
    info = "certificationRequest.certificationRequestInfo"
    der = csr.public_bytes(serialization.Encoding.DER)
    tree = _Tree(der, "csr", explored)
    o = "Overview"
    fields = [
        _f(o, "csr.version", "1 (0)", f"{info}.version"),
        *_name_fields("Subject", "csr.subject", lambda: csr.subject, f"{info}.subject"),
        *_safe_key_fields(csr, f"{info}.subjectPKInfo"),
    ]
    fields += _csr_attribute_fields(csr, f"{info}.attributes", tree)
    fields += [
        _f("Signature", "csr.signature_algorithm", _sig_algo_value(csr), "certificationRequest.signatureAlgorithm"),
        _f("Signature", "csr.signature", _short_hex(csr.signature, _SIGNATURE_SHOWN), "certificationRequest.signature"),
        _f("Signature", "csr.signature_valid", _yes_no(_csr_signature_ok(csr)), "certificationRequest.signature"),
    ]
    # explicit curves, RSA-PSS keys and PSS parameters, as for certificates
    fields = _algorithm_details(fields, der, tree, f"{info}.subjectPKInfo")
    fps = _fingerprints(der, _safe_spki(csr))
    fields += _fp_fields(fps, "certificationRequest")
    return Description("csr", _title(lambda: csr.subject, "Certificate signing request"),
                       tuple(_explained(fields, tree)), fps)


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "NO", None: "cannot tell"}[value]


def _csr_signature_ok(csr: x509.CertificateSigningRequest) -> bool | None:
    try:
        return bool(csr.is_signature_valid)
    except Exception:
        return None


_EXTENSION_REQUEST = "1.2.840.113549.1.9.14"


def _csr_attribute_fields(csr: x509.CertificateSigningRequest, base: str, tree: _Tree | None = None) -> list[Field]:
    s = "Attributes"
    out: list[Field] = []
    try:
        attrs = list(csr.attributes)
    except Exception as exc:
        return [Field(s, "Attributes (undecodable)", _plain_error(exc), "", "RFC 2986 §4.1", base)]
    for i, attr in enumerate(attrs):
        dotted = attr.oid.dotted_string
        text = ATTRIBUTE_TEXT.get(dotted) or Text(oid_name(attr.oid), "", None)  # the explanation is its node's
        path = f"{base}.{i}"
        if dotted == _EXTENSION_REQUEST:
            try:
                exts = list(csr.extensions)
            except Exception as exc:
                out.append(Field(s, text.name, f"cryptography refused them: {_plain_error(exc)}; read from the DER below",
                                 text.explanation, text.rfc, path))
                if tree is not None:
                    out += _tree_extension_fields("Extensions", tree, f"{path}.values.0.extensionRequest")
                continue
            out.append(Field(s, text.name, f"{len(exts)} extension(s)", text.explanation, text.rfc, path))
            out += _extension_fields("Extensions", exts, f"{path}.values.0.extensionRequest", tree)
        else:
            value = _attribute_text(attr)
            out.append(Field(s, text.name, value, "", None, path))  # explained by its Attribute node (by type)
    return out


# ASN.1 string tag -> codec (X.690 §8.23: BMPString is UCS-2 = UTF-16BE, UniversalString UCS-4 =
# UTF-32BE; T61String shown as Latin-1, which is what certificates put in it in practice)
_STRING_CODECS = {12: "utf-8", 18: "ascii", 19: "ascii", 20: "latin-1", 22: "ascii", 26: "ascii",
                  27: "ascii", 28: "utf-32-be", 30: "utf-16-be"}


def _attribute_text(attr: Any) -> str:
    """A CSR attribute value decoded by its ASN.1 string type (cryptography keeps the raw bytes)."""
    raw = attr.value
    if not isinstance(raw, bytes):
        return visible(str(raw))
    codec = _STRING_CODECS.get(int(getattr(attr, "_type", 12) or 12), "utf-8")
    try:
        return visible(raw.decode(codec))
    except UnicodeDecodeError:
        return f"{visible(raw.decode(codec, 'replace'))} (invalid {codec})"


def _crl_version(der: bytes) -> str:
    """cryptography does not expose the CRL version; a v2 CRL starts tbsCertList with INTEGER 1.

    Read from the CRL's own DER: ``tbs_certlist_bytes`` encodes the whole list again
    (0.1 s for 100,000 entries) for the three octets looked at."""
    head = der[:32]  # the two headers (CertificateList, tbsCertList) and the version, no more
    outer, _ = read_header(head)
    tbs, _ = read_header(head, outer.content_offset) if outer is not None else (None, None)
    at = tbs.content_offset if tbs is not None else len(der)
    return "v2 (1)" if der[at:at + 3] == b"\x02\x01\x01" else "v1 (absent)"


def _describe_crl(crl: x509.CertificateRevocationList, explored: Explored | None) -> Description:
    tbs = "certificateList.tbsCertList"
    der = crl.public_bytes(serialization.Encoding.DER)
    o = "Overview"
    fields = [
        _f(o, "crl.version", _crl_version(der), f"{tbs}.version"),
        *_name_fields("Issuer", "crl.issuer", lambda: crl.issuer, f"{tbs}.issuer"),
        _f("Validity", "crl.this_update", format_time(crl.last_update_utc), f"{tbs}.thisUpdate"),
    ]
    if crl.next_update_utc is not None:
        fields.append(_f("Validity", "crl.next_update", format_time(crl.next_update_utc), f"{tbs}.nextUpdate"))
    tree = _Tree(der, "crl", explored)
    head = _explained(fields, tree)
    entries = _revoked_fields(crl, f"{tbs}.revokedCertificates", tree)
    fields = _extensions_or_error("Extensions", lambda: crl.extensions, f"{tbs}.crlExtensions", tree)
    signature = [
        _f("Signature", "crl.signature_algorithm", _sig_algo_value(crl), "certificateList.signatureAlgorithm"),
        _f("Signature", "crl.signature", _short_hex(crl.signature, _SIGNATURE_SHOWN), "certificateList.signature"),
    ]
    # PSS parameters with their defaults; the tree is read only for a PSS-signed CRL, whose
    # tbsCertList.signature (within its first bytes) names the algorithm
    if crl.signature_algorithm_oid.dotted_string == _PSS:
        signature = _algorithm_details(signature, der, tree, "certificateList.tbsCertList")
    fields += signature
    fps = _fingerprints(der, None)
    fields += _fp_fields(fps, "certificateList")
    return Description("crl", _title(lambda: crl.issuer, "Certificate revocation list"),
                       (*head, *entries, *_explained(fields, tree)), fps)


def _revoked_fields(crl: x509.CertificateRevocationList, base: str, tree: _Tree) -> list[Field]:
    """A field per revoked certificate and per entry extension, explained by their nodes.

    The loop of a CRL's 100,000 entries, so each step counts: an entry's node is the list
    node's child by index (not searched from the root), its extensions are searched under
    it, each field is made once, explained where it is made (as _explained would), and an
    entry the tree shows without crlEntryExtensions does not ask cryptography for them."""
    section = "Revoked certificates"
    text = _text("crl.revoked")
    holder = tree.find(base)
    kids = holder.children if holder is not None else []
    out: list[Field] = []
    add = out.append
    for i in range(len(crl)):
        path = f"{base}.{i}"
        node = kids[i] if i < len(kids) and kids[i].path == path else tree.find(path)
        if node is not None:
            explanation, rfc = node.explanation, node.rfc or None
        else:  # no bytes to point at: the path's row explains it (as in _explained)
            _title, explanation, rfc = explain_path(path)
            rfc = rfc or None
        shown = path if node is not None else None
        try:
            rc = crl[i]
            serial, when = rc.serial_number, rc.revocation_date_utc
            # _int_hex and format_time, inlined for the common case (a positive serial, a
            # four-digit year in UTC): two calls fewer per entry
            hexed = serial.to_bytes((serial.bit_length() + 8) >> 3, "big").hex(":") if serial >= 0 \
                else _int_hex(serial)
            date = f"{when.isoformat(' ', 'seconds')[:19]} UTC" if when.tzinfo is _UTC and when.year >= 1000 \
                else format_time(when)
            add(_field(section, f"Serial {hexed}", f"revoked {date}", explanation, rfc, shown))
            under: _Finds = tree
            if node is not None:
                entry = node.children
                # RFC 5280 §5.1: crlEntryExtensions, OPTIONAL, follows userCertificate and
                # revocationDate; an entry read whole with only those two has none
                last, whole = entry[-1].node, node.node
                if len(entry) == 2 and whole.length is not None and \
                        last.offset + last.size == whole.offset + whole.header_length + whole.length:
                    continue
                under = _Under(entry[-1] if entry[-1].name == "crlEntryExtensions" else node)
            try:
                exts = rc.extensions  # cryptography parses them here, and may refuse them
            except Exception:
                out += _explained(_extensions_or_error(section, lambda: rc.extensions, f"{path}.crlEntryExtensions",
                                                       under), under)
            else:
                if exts:
                    out += _explained(_extension_fields(section, exts, f"{path}.crlEntryExtensions", under), under)
        except Exception as exc:
            add(_field(section, "Revoked entry (undecodable)", _plain_error(exc), explanation, rfc, shown))
    return out


def _describe_public_key(key: Any, explored: Explored | None) -> Description:
    spki = _spki_der(key)
    fields = _explained(_public_key_fields("Public key", key, "subjectPublicKeyInfo"),
                        _Tree(spki, "public-key", explored))
    fps = {"SPKI SHA-256": colon_hex(hashlib.sha256(spki).digest())}
    algo, size = _key_kind(key)
    return Description("public-key", f"{algo} public key, {size}", tuple(fields), fps)


def _describe_private_key(key: Any, reveal: bool, explored: Explored | None) -> Description:
    try:
        pkcs8 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    except Exception:  # a key cryptography cannot write as PKCS #8: the paths still name the rows
        pkcs8 = b""
    # the tree hides what is secret unless revealed, and its explanations say so
    fields = _explained(_private_key_fields(key, reveal), _Tree(pkcs8, "private-key", explored, reveal=reveal))
    spki = _spki_der(key.public_key())
    fps = {"SPKI SHA-256": colon_hex(hashlib.sha256(spki).digest())}
    algo, size = _key_kind(key)
    return Description("private-key", f"{algo} private key, {size}", tuple(fields), fps)


def describe(obj: Inspectable | Loaded, *, reveal: bool = False, explored: Explored | None = None) -> Description:
    """Decode ``obj`` into ordered, explained fields pinned to node paths.

    ``obj`` is an ``x509.Certificate``, ``CertificateSigningRequest``,
    ``CertificateRevocationList``, a public key or a private key (as
    cryptography loads them; a ``certlab.load`` result with an ``.obj``
    attribute works too).  ``reveal=True`` shows a private key's secret
    numbers; by default only their sizes are shown.

    Each field read from a node is explained as the node is in
    ``explore(der)``; pass that tree as ``explored`` (the same DER, and
    ``reveal``) to have it reused rather than read again.
    """
    obj = getattr(obj, "obj", obj)
    # cryptography warns about lenient parses (negative serials, bad strings); the findings
    # report those problems in words, so the warnings would only be noise here.
    with warnings.catch_warnings(), gc_paused():
        warnings.simplefilter("ignore")
        return _describe(obj, reveal, explored)


def _describe(obj: Any, reveal: bool, explored: Explored | None) -> Description:
    if isinstance(obj, x509.Certificate):
        return _describe_certificate(obj, explored)
    if isinstance(obj, x509.CertificateSigningRequest):
        return _describe_csr(obj, explored)
    if isinstance(obj, x509.CertificateRevocationList):
        return _describe_crl(obj, explored)
    if algorithm_of(obj) is not None:
        if is_private_key(obj):
            return _describe_private_key(obj, reveal, explored)
        return _describe_public_key(obj, explored)
    raise WrongKind("obj", "describe() takes a certificate, CSR, CRL or key", type(obj).__name__)
