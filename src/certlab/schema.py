"""Pair the RFC ASN.1 modules' component names with the nodes :mod:`certlab.der` read.

We do not re-declare X.509 by hand: the published ASN.1 modules (RFC 5280,
2986, 5958, 8017, 5915, 8018, 5480 ...) exist as pyasn1 schema objects in
``pyasn1_alt_modules`` (the maintained fork of pyasn1-modules that pkilint
uses).  This module walks those schema objects' *structure* -- the NamedTypes
of a SEQUENCE (names, tags, OPTIONAL / DEFAULT), the element type of a
SEQUENCE OF, the alternatives of a CHOICE -- in step with our own node tree,
which keeps the byte offsets.  It never calls pyasn1's decoder (slow, and it
forgets where bytes were).

Paths follow pkilint's ``PDUNode.path`` exactly so pkilint findings can be
pinned to our nodes (``pkilint/document.py``):

* SEQUENCE / SET components by name, SEQUENCE OF / SET OF items by index;
* a CHOICE adds one segment, the chosen alternative (``notBefore.utcTime``);
* an EXPLICIT tag adds nothing (pyasn1 decodes through it);
* an open type (ANY, or an OCTET/BIT STRING holding DER) decoded by OID adds
  one segment: the decoded type's class name in lowerCamelCase
  (``extnValue.subjectAltName``, ``subjectPublicKey.rSAPublicKey``,
  ``parameters.null``) -- pkilint's ``get_node_name_for_pdu``.

Because a CHOICE or an open type adds a segment without adding bytes, one DER
node can answer to several paths; :attr:`NamedNode.path` is the deepest and
:attr:`NamedNode.aliases` the shallower ones.

The open-type tables are pkilint's own mapping tables (so both tools decode
the same things the same way) completed with the pyasn1 modules' maps.
"""

from __future__ import annotations

import functools
from typing import Any, Iterator

from pyasn1.type import char, namedtype, univ
from pyasn1.type.base import Asn1Type
from pyasn1_alt_modules import (
    rfc2985,
    rfc2986,
    rfc3565,
    rfc4055,
    rfc4683,
    rfc4985,
    rfc5280,
    rfc5480,
    rfc5915,
    rfc5958,
    rfc7292,
    rfc6962,
    rfc8017,
    rfc8018,
    rfc8398,
    rfc8410,
    rfc9881,
)

from . import asn1_extra, schema_pki
from .der import DEFAULT_LIMITS, UNIVERSAL_TYPES, DerError, Limits, Node, decode_oid, read_encapsulated

__all__ = ["NamedNode", "ROOTS", "ROOT_KINDS", "name_tree", "guess_root"]


class NamedNode:
    """A DER node with its names from the standard.

    ``node`` is the raw :class:`certlab.der.Node`; ``children`` are named
    nodes (for an OCTET/BIT STRING holding DER, the encapsulated value).
    The explorer fills ``value``, ``explanation``, ``rfc`` and ``secret``.
    """

    __slots__ = ("node", "name", "path", "aliases", "type_name", "schema_name", "children",
                 "encapsulated", "open_type", "open_oid", "value", "explanation", "rfc", "title", "warnings",
                 "secret", "named_values", "guess", "twin")

    def __init__(self, node: Node, name: str | None, path: str, encapsulated: bool = False,
                 type_name: str | None = None) -> None:
        self.node = node
        self.name = name
        self.path = path
        self.aliases: tuple[str, ...] = ()
        if type_name is None:
            type_name = (UNIVERSAL_TYPES.get(node.tag) if node.tag_class == "universal" else None) or f"[{node.tag}]"
        self.type_name: str = type_name
        self.schema_name: str | None = None
        # a primitive value has no children unless the walk gives it some (DER read inside it),
        # which it does by assigning a new list: they all share one empty list that refuses changes
        self.children: list[NamedNode] = [] if node.constructed else _NO_CHILDREN
        self.encapsulated = encapsulated
        self.open_type: str | None = None
        self.open_oid: str | None = None  # the OID that chose this value's type
        self.value: str | None = None
        self.explanation: str | None = None
        self.rfc: str | None = None
        self.title: str | None = None
        self.warnings: tuple[str, ...] = node.warnings
        self.secret = False  # set by the explorer: a private key's secret value (knowledge.secrets)
        # number -> name of an INTEGER / ENUMERATED value or a BIT STRING bit, from the schema
        self.named_values: dict[int, str] | None = None
        # True on DER found inside an OCTET / BIT STRING that no schema says holds DER
        self.guess = False
        # an item of a long list named like an earlier item of the same shape: that item
        # (_Walker._items), whose explanations the explorer copies; None once the walk
        # changes this node after the copy (an open type decoded into it)
        self.twin: NamedNode | None = None

    # The DER facts, forwarded so renderers need one object.
    @property
    def offset(self) -> int:
        return self.node.offset

    @property
    def depth(self) -> int:
        return self.node.depth

    @property
    def header_length(self) -> int:
        return self.node.header_length

    @property
    def length(self) -> int | None:
        return self.node.length

    @property
    def tag_class(self) -> str:
        return self.node.tag_class

    @property
    def tag(self) -> int:
        return self.node.tag

    @property
    def constructed(self) -> bool:
        return self.node.constructed

    @property
    def end(self) -> int:
        return self.node.end

    @property
    def content_offset(self) -> int:
        return self.node.content_offset

    @property
    def content_end(self) -> int:
        return self.node.content_end

    def walk(self) -> Iterator[NamedNode]:
        """This node and all below it, in document order."""
        stack = [self]
        while stack:
            n = stack.pop()
            yield n
            stack.extend(reversed(n.children))

    def __repr__(self) -> str:
        return f"<NamedNode {self.path} {self.type_name} @{self.offset}>"


class _NoChildren(list):  # type: ignore[type-arg]
    """The one empty children list of every primitive node (a 100,000-entry CRL has 280,000):
    adding to it would add to all of them, so it refuses."""

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("a primitive node's children are replaced, never added to (certlab.schema.NamedNode)")

    append = extend = insert = remove = pop = clear = sort = reverse = __setitem__ = __delitem__ = _refuse
    __iadd__ = __imul__ = _refuse  # type: ignore[assignment]


_NO_CHILDREN: list[NamedNode] = _NoChildren()


# --- open types: tables keyed by OID (dotted string) --------------------------

def _by_dotted(mapping: Any) -> dict[str, Any]:
    return {str(k): v for k, v in mapping.items()}


def _pkilint_tables() -> tuple[dict[str, Any], ...]:
    # pkilint's tables are the reference for paths.  Imported on first use, not with
    # this module: a kernel that never explores pays nothing for pkilint's decoders.
    from pkilint.document import ValueDecoder
    from pkilint.pkix import algorithm, extension, key, name

    def clean(m: Any) -> dict[str, Any]:
        return {str(k): v for k, v in m.items() if v is not ValueDecoder.VALUE_NODE_ABSENT}

    return (
        clean(name.ATTRIBUTE_TYPE_MAPPINGS),
        clean(extension.EXTENSION_MAPPINGS),
        clean(algorithm.SIGNATURE_ALGORITHM_IDENTIFIER_MAPPINGS),
        clean(key.SUBJECT_KEY_PARAMETER_ALGORITHM_IDENTIFIER_MAPPINGS),
        clean(key.SUBJECT_PUBLIC_KEY_ALGORITHM_IDENTIFIER_MAPPINGS),
    )


# Private key contents inside PKCS#8 / OneAsymmetricKey privateKey (RFC 5958 §2).
_PRIVATE_KEYS: dict[str, Any] = {
    "1.2.840.113549.1.1.1": rfc8017.RSAPrivateKey(),     # RFC 8017 §A.1.2
    "1.2.840.113549.1.1.10": rfc8017.RSAPrivateKey(),
    "1.2.840.10045.2.1": rfc5915.ECPrivateKey(),         # RFC 5915 §3
    "1.2.840.10040.4.1": univ.Integer(),                 # DSA: the private x
    str(rfc8410.id_Ed25519): rfc8410.CurvePrivateKey(),  # RFC 8410 §7
    str(rfc8410.id_Ed448): rfc8410.CurvePrivateKey(),
    str(rfc8410.id_X25519): rfc8410.CurvePrivateKey(),
    str(rfc8410.id_X448): rfc8410.CurvePrivateKey(),
    str(rfc9881.id_ml_dsa_44): rfc9881.ML_DSA_44_PrivateKey(),  # RFC 9881 §6: seed, expandedKey or both
    str(rfc9881.id_ml_dsa_65): rfc9881.ML_DSA_65_PrivateKey(),
    str(rfc9881.id_ml_dsa_87): rfc9881.ML_DSA_87_PrivateKey(),
}

# Signature values that are themselves DER (RFC 5480 / RFC 3279 §2.2.2-2.2.3).
_SIG_VALUES: dict[str, Any] = {
    **{o: rfc5480.ECDSA_Sig_Value() for o in (
        "1.2.840.10045.4.1", "1.2.840.10045.4.3.1", "1.2.840.10045.4.3.2",
        "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4")},
    **{o: rfc5480.DSA_Sig_Value() for o in (
        "1.2.840.10040.4.3", "2.16.840.1.101.3.4.3.1", "2.16.840.1.101.3.4.3.2")},
}

# CSR attribute values (PKCS#9, RFC 2985 §5.4); extensionRequest holds Extensions.
_CSR_ATTRS: dict[str, Any] = {
    **_by_dotted(rfc2985.certificateAttributesMap),
    **_by_dotted(rfc2985.cmsAttributesMap),
    str(rfc2985.pkcs_9_at_extensionRequest): rfc2985.ExtensionRequest(),
    "1.2.840.113549.1.9.7": rfc5280.DirectoryString(),  # RFC 2985 §5.4.1
    "1.3.6.1.4.1.311.13.2.3": univ.Any(),
}

_OTHER_NAMES = {
    **_by_dotted(rfc5280.anotherNameMap),  # rfc4985 SRVName, rfc4683 SIM, rfc8398 SmtpUTF8Mailbox... on import
    "1.3.6.1.4.1.311.20.2.3": char.UTF8String(),  # Microsoft UPN (MS-WCCE 2.2.2.7.7.4 szOID_NT_PRINCIPAL_NAME)
    "1.3.6.1.4.1.311.25.1": univ.OctetString(),   # Microsoft NTDS objectGUID (16 bytes)
}
_QUALIFIERS = {str(rfc5280.id_qt_cps): rfc5280.CPSuri(), str(rfc5280.id_qt_unotice): rfc5280.UserNotice()}


@functools.cache
def _open_types() -> dict[str, tuple[str, str, dict[str, Any], Any]]:
    """schema class name -> (path of the OID component, path of the value, table,
    default for unknown OIDs): one row per open type in the modules we use.

    Built on the first explore (it imports pkilint's decoder tables).
    """
    attrs, exts, sig_params, key_params, spk = _pkilint_tables()

    # Algorithm parameters: pkilint's, then the RFC modules' registry (which
    # rfc8018 / rfc3565 / rfc4055 extend on import), then the PKCS#5/#12 ones we
    # need for encrypted private keys (RFC 8018 §A.4, RFC 7292 C).
    alg_params: dict[str, Any] = {
        **_by_dotted(rfc5280.algorithmIdentifierMap),
        str(rfc8018.id_PBES2): rfc8018.PBES2_params(),
        str(rfc8018.id_PBKDF2): rfc8018.PBKDF2_params(),
        str(rfc3565.id_aes128_CBC): rfc3565.AES_IV(),
        str(rfc3565.id_aes192_CBC): rfc3565.AES_IV(),
        str(rfc3565.id_aes256_CBC): rfc3565.AES_IV(),
        str(rfc7292.pbeWithSHAAnd3_KeyTripleDES_CBC): rfc7292.Pkcs_12PbeParams(),
        str(rfc7292.pbeWithSHAAnd40BitRC2_CBC): rfc7292.Pkcs_12PbeParams(),
        str(rfc4055.id_RSASSA_PSS): rfc4055.RSASSA_PSS_params(),
        **sig_params,
        **key_params,
        # all three RFC 5480 §2.1.1 alternatives, so explicit curve parameters get their names
        "1.2.840.10045.2.1": asn1_extra.ECParameters(),
    }
    # Hash and HMAC algorithm identifiers carry NULL parameters (RFC 8018 §B.1, RFC 5754).
    for oid in ("1.2.840.113549.2.7", "1.2.840.113549.2.8", "1.2.840.113549.2.9", "1.2.840.113549.2.10",
                "1.2.840.113549.2.11", "1.3.14.3.2.26", "2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2",
                "2.16.840.1.101.3.4.2.3", "2.16.840.1.101.3.4.2.4"):
        alg_params.setdefault(oid, univ.Null())

    lazy_params = tuple(k for k in schema_pki.ALGORITHM_PARAMETERS_LAZY if k not in alg_params)
    alg_params = schema_pki.LazyTable(alg_params, lazy_params)
    # OCSP's extensions (RFC 6960 §4.4) next to the certificate ones.
    exts = {**schema_pki.OCSP_EXTENSIONS, **exts}

    return {
        "AttributeTypeAndValue": ("type", "value", attrs, rfc5280.DirectoryString()),
        "Extension": ("extnID", "extnValue", {**asn1_extra.EXTENSIONS, **exts}, None),
        "AlgorithmIdentifier": ("algorithm", "parameters", alg_params, None),
        "SubjectPublicKeyInfo": ("algorithm.algorithm", "subjectPublicKey", spk, None),
        "Certificate": ("signatureAlgorithm.algorithm", "signature", _SIG_VALUES, None),
        "CertificateList": ("signatureAlgorithm.algorithm", "signature", _SIG_VALUES, None),
        "CertificationRequest": ("signatureAlgorithm.algorithm", "signature", _SIG_VALUES, None),
        "OneAsymmetricKey": ("privateKeyAlgorithm.algorithm", "privateKey", _PRIVATE_KEYS, None),
        "PrivateKeyInfo": ("privateKeyAlgorithm.algorithm", "privateKey", _PRIVATE_KEYS, None),
        "Attribute": ("type", "values.*", _CSR_ATTRS, None),
        "AnotherName": ("type-id", "value", _OTHER_NAMES, None),
        "PolicyQualifierInfo": ("policyQualifierId", "qualifier", _QUALIFIERS, None),
        "FieldID": ("fieldType", "parameters", asn1_extra.FIELD_PARAMETERS, None),
        "QCStatement": ("statementId", "statementInfo", asn1_extra.QC_STATEMENTS, None),
    }


@functools.cache
def _open_types_by_class() -> dict[type, tuple[str, str, dict[str, Any], Any]]:
    return schema_pki.open_types_by_class(_SIG_VALUES)


class DSAPrivateKey(univ.Sequence):  # type: ignore[misc]  # pyasn1 is untyped
    """OpenSSL's "DSA PRIVATE KEY" (TraditionalOpenSSL) structure, which no RFC
    module declares: version 0, the domain parameters p, q, g (RFC 3279 §2.3.2),
    the public y and the private x (FIPS 186-4 4.1)."""

    componentType = namedtype.NamedTypes(*(namedtype.NamedType(n, univ.Integer())
                                           for n in ("version", "p", "q", "g", "y", "x")))


# Root name (pkilint's camelCase of the PDU class) -> schema, and -> kind.
ROOTS: dict[str, Asn1Type] = schema_pki.LazyTable({
    "certificate": rfc5280.Certificate(),
    "certificationRequest": rfc2986.CertificationRequest(),
    "certificateList": rfc5280.CertificateList(),
    "subjectPublicKeyInfo": rfc5280.SubjectPublicKeyInfo(),
    "privateKeyInfo": rfc5958.OneAsymmetricKey(),
    "encryptedPrivateKeyInfo": rfc5958.EncryptedPrivateKeyInfo(),
    "rsaPrivateKey": rfc8017.RSAPrivateKey(),
    "rsaPublicKey": rfc8017.RSAPublicKey(),
    "ecPrivateKey": rfc5915.ECPrivateKey(),
    "dsaPrivateKey": DSAPrivateKey(),
    **schema_pki.ROOTS,  # OCSP, CMS, PKCS#12 (TSP and CMP: imported when first asked for)
}, schema_pki.LAZY_ROOTS)
ROOT_KINDS: dict[str, str] = {
    "certificate": "certificate",
    "certificationRequest": "csr",
    "certificateList": "crl",
    "subjectPublicKeyInfo": "public-key",
    "rsaPublicKey": "public-key",
    "privateKeyInfo": "private-key",
    "encryptedPrivateKeyInfo": "private-key",
    "rsaPrivateKey": "private-key",
    "ecPrivateKey": "private-key",
    "dsaPrivateKey": "private-key",
    **schema_pki.ROOT_KINDS,
}


# --- schema structure, cached per schema object -------------------------------

_ANY = None
# (class name, tag number) pairs, as der.Node spells them, so the walk compares without lookups
_TagKeys = frozenset[tuple[str, int]]
_Components = tuple[tuple[str, Asn1Type, "_TagKeys | None", bool], ...]
_first_tags_cache: dict[int, _TagKeys | None] = {}
_components_cache: dict[int, _Components] = {}
_keep_alive: list[Asn1Type] = []  # cached ids must not be reused by new objects


def _class_name(tag_class: int) -> str:
    return _CLASS_NAMES[tag_class >> 6]


_CLASS_NAMES = ("universal", "application", "context", "private")


def _tags(schema: Asn1Type) -> tuple[Any, ...]:
    return tuple(schema.tagSet.superTags)


def _first_tags(schema: Asn1Type) -> _TagKeys | None:
    """The (class, number) pairs the schema's outermost TLV can carry; None = any."""
    key = id(schema)
    if key in _first_tags_cache:
        return _first_tags_cache[key]
    tags = _tags(schema)
    result: _TagKeys | None
    if tags:
        t = tags[-1]
        result = frozenset({(_class_name(t.tagClass), t.tagId)})
    elif isinstance(schema, univ.Choice):
        acc: set[tuple[str, int]] = set()
        result = frozenset()
        for nt in schema.componentType.namedTypes:
            sub = _first_tags(nt.asn1Object)
            if sub is None:
                result = None
                break
            acc |= sub
        else:
            result = frozenset(acc)
    else:
        result = _ANY
    _keep_alive.append(schema)
    _first_tags_cache[key] = result
    return result


def _components(schema: Asn1Type) -> _Components:
    key = id(schema)
    cached = _components_cache.get(key)
    if cached is None:
        cached = tuple(
            (nt.name, nt.asn1Object, _first_tags(nt.asn1Object), bool(nt.isOptional or nt.isDefaulted))
            for nt in schema.componentType.namedTypes
        )
        _keep_alive.append(schema)
        _components_cache[key] = cached
    return cached


_DOTTED: dict[bytes, str | None] = {}


def _dotted(content: bytes) -> str | None:
    """decode_oid, cached: the same few OIDs select every open type."""
    hit = _DOTTED.get(content, False)
    if hit is False:
        hit = decode_oid(content)
        if len(_DOTTED) >= 4096:
            _DOTTED.clear()
        _DOTTED[content] = hit
    return hit  # type: ignore[return-value]


@functools.cache
def _split(path: str) -> tuple[str, ...]:
    """An open type's component path (``"algorithm.algorithm"``) as its names; the
    paths are the few of :func:`_open_types`' rows."""
    return tuple(path.split("."))


def _is_eoc(node: Node) -> bool:
    """BER end-of-contents octets (00 00), which close an indefinite length (X.690 §8.1.5)."""
    return node.tag_class == "universal" and node.tag == 0 and node.length == 0 and not node.constructed


def _camel(schema: Asn1Type) -> str:
    # pkilint's get_node_name_for_pdu: the class name with a lower-case first letter.
    klass = schema.__class__
    name = _CAMEL.get(klass)
    if name is None:
        full: str = klass.__name__
        name = _CAMEL[klass] = full[0].lower() + full[1:]
    return name


_CAMEL: dict[type, str] = {}  # schema class -> its camelCase name (a fact of the modules)


def _matches(first: _TagKeys | None, node: Node) -> bool:
    if first is None:
        return True
    return (node.tag_class, node.tag) in first


class _Walker:
    __slots__ = ("data", "errors", "limits")

    def __init__(self, data: bytes, limits: Limits) -> None:
        self.data = data
        self.errors: list[DerError] = []
        self.limits = limits

    def unnamed(self, node: Node, path: str, encapsulated: bool) -> NamedNode:
        xn = NamedNode(node, None, path, encapsulated)
        for i, child in enumerate(node.children):
            xn.children.append(self.unnamed(child, f"{path}.{i}", encapsulated))
        return xn

    def assign(self, node: Node, schema: Asn1Type, name: str | None, path: str,
               encapsulated: bool, level: int | None = None) -> NamedNode:
        return self._assign(node, _plan(schema), name, path, encapsulated, level)

    def _assign(self, node: Node, plan: _Plan, name: str | None, path: str,
                encapsulated: bool, level: int | None = None) -> NamedNode:
        if level is None:
            level = plan.ntags
        if level >= 2 or (level == 1 and plan.untagged_base):
            # EXPLICIT tag: a constructed wrapper around the real value (X.690 §8.14).
            xn = NamedNode(node, name, path, encapsulated, f"[{node.tag}] EXPLICIT")
            xn.schema_name = plan.cls_name
            real = [c for c in node.children if not _is_eoc(c)]
            if node.constructed and len(real) == 1:
                # BER: an indefinite length ends with end-of-contents octets (X.690 §8.1.5)
                for c in node.children:
                    xn.children.append(self._assign(c, plan, name, path, encapsulated, level - 1) if c is real[0]
                                       else NamedNode(c, None, f"{path}.{len(xn.children)}", encapsulated))
            else:
                if node.children:  # (a primitive value under an EXPLICIT tag has none)
                    xn.children.extend(self.unnamed(c, f"{path}.{i}", encapsulated) for i, c in enumerate(node.children))
            return xn
        if plan.choice and plan.components is not None:
            alternatives, anything = plan.alternatives()
            alt = alternatives.get((node.tag_class, node.tag), anything)
            if alt is not None:
                alt_name, alt_plan = alt
                xn = self._assign(node, alt_plan, name, f"{path}.{alt_name}", encapsulated)
                xn.aliases = (path, *xn.aliases)
                return xn
            return self.unnamed(node, path, encapsulated) if name is None else self._leaf(node, name, path, encapsulated)
        if plan.any:
            xn = NamedNode(node, name, path, encapsulated)
        else:
            xn = NamedNode(node, name, path, encapsulated, plan.type_name(node))
            xn.schema_name = plan.cls_name
            xn.named_values = plan.named_values
        if plan.element is not None:
            element = _plan(plan.element)
            if len(node.children) >= _MANY_ITEMS:
                self._items(xn.children, node.children, element, path, encapsulated)
            else:
                children = xn.children
                assign = self._assign
                for i, child in enumerate(node.children):
                    index = str(i)
                    children.append(assign(child, element, index, f"{path}.{index}", encapsulated))
        elif plan.components is not None and node.constructed:
            self._sequence(xn, node, plan, path, encapsulated)
            if plan.open_type is not None:
                self._open_type(xn, plan.open_type)
        elif node.constructed:
            xn.children.extend(self.unnamed(c, f"{path}.{i}", encapsulated) for i, c in enumerate(node.children))
        return xn

    # --- long lists (a CRL's entries, a certificate's SANs): items named like an earlier one

    def _items(self, out: list[NamedNode], items: tuple[Node, ...], element: _Plan, path: str,
               encapsulated: bool) -> None:
        """Name the items of a long SEQUENCE OF / SET OF.

        An item whose encoding has the same shape as an earlier one -- the same identifier
        and length octets everywhere, the same contents wherever contents choose names (OIDs
        select open types, OCTET / BIT STRINGs may hold DER) -- gets the names that one got
        (:meth:`_clone`), its own offsets, paths and values: naming reads nothing else.  A
        100,000-entry CRL has a few dozen shapes.  Items the copy cannot stand for (see
        :func:`_clonable`) are named as usual.
        """
        templates: dict[tuple[Any, ...], _Recipe | None] = {}
        assign = self._assign
        signature = self._signature
        add = out.append
        for i, child in enumerate(items):
            index = str(i)
            item_path = f"{path}.{index}"
            sig = signature(child)
            if sig is not None:
                template = templates.get(sig)
                if template is not None:
                    copy = self._clone(template, child, item_path, index)
                    if copy is not None:
                        add(copy)
                        continue
            errors = len(self.errors)
            xn = assign(child, element, index, item_path, encapsulated)
            add(xn)
            if sig is not None and sig not in templates and len(templates) < _MAX_TEMPLATES:
                fit = _clonable(xn, index) if len(self.errors) == errors else False
                if fit is not None:  # None: this item cannot lend its names, a later one of its shape may
                    templates[sig] = _recipe(xn, item_path) if fit else None

    def _signature(self, node: Node) -> tuple[Any, ...] | None:
        """The facts of ``node``'s encoding that naming reads (None: not for copying)."""
        data = self.data
        out: list[Any] = []
        add = out.append
        stack = [node]
        pop, push = stack.pop, stack.extend
        while stack:
            n = pop()
            if not n.complete:
                return None
            add(n.identifier)
            add(n.length_octets)
            kids = n.children
            if kids:
                add(len(kids))
                push(kids)
            elif n.tag_class == "universal" and (n.tag == 6 or n.tag == 3 or n.tag == 4) and not n.constructed:
                start = n.offset + n.header_length
                add(data[start:n.content_end])
            else:
                add(0)
        return tuple(out)

    def _clone(self, recipe: _Recipe, node: Node, item_path: str, index: str) -> NamedNode | None:
        """The names of :func:`_recipe` on ``node`` (an item of its shape), or None if the copy fails."""
        data, limits = self.data, self.limits
        new = NamedNode.__new__
        step = iter(recipe).__next__

        def build(dn: Node) -> NamedNode:
            t, name, suffix, aliases, type_name, schema_name, encapsulated, open_type, open_oid, named, kind = step()
            c: NamedNode = new(NamedNode)
            c.node = dn
            c.name = name
            c.path = item_path + suffix
            c.aliases = tuple([item_path + a for a in aliases]) if aliases else ()
            c.type_name = type_name
            c.schema_name = schema_name
            c.encapsulated = encapsulated
            c.open_type = open_type
            c.open_oid = open_oid
            c.value = None
            c.explanation = None
            c.rfc = None
            c.title = None
            c.warnings = dn.warnings
            c.secret = False
            c.named_values = named
            c.guess = False
            c.twin = t
            if kind == 0:
                c.children = [] if dn.constructed else _NO_CHILDREN
            elif kind == 1:
                c.children = [build(d) for d in dn.children]
            else:  # DER inside an OCTET / BIT STRING: read again, at this item's offsets
                inner, errors = read_encapsulated(data, dn, limits=limits)
                if inner is None or errors or inner.end != dn.content_end:
                    raise _NoCopy
                c.children = [build(inner)]
            return c

        try:
            made = build(node)
        except _NoCopy:
            return None
        made.name = index
        return made

    def _leaf(self, node: Node, name: str, path: str, encapsulated: bool) -> NamedNode:
        return NamedNode(node, name, path, encapsulated)

    def _sequence(self, xn: NamedNode, node: Node, plan: _Plan, path: str, encapsulated: bool) -> None:
        comps = plan.components
        assert comps is not None
        is_set = plan.is_set
        plans = plan.component_plans()
        ci = 0
        used: set[int] = set()
        n_comps = len(comps)
        children = xn.children
        for i, child in enumerate(node.children):
            key = (child.tag_class, child.tag)
            if key == ("universal", 0) and child.length == 0:
                children.append(NamedNode(child, None, f"{path}.{i}", encapsulated))  # end-of-contents
                continue
            match = -1
            if is_set:
                for j in range(n_comps):
                    first = comps[j][2]
                    if j not in used and (first is None or key in first):
                        match = j
                        break
            else:
                j = ci
                while j < n_comps:
                    first = comps[j][2]
                    if first is None or key in first:
                        match = j
                        break
                    if not comps[j][3]:
                        break  # a required component is missing: stop pairing
                    j += 1
            if match < 0:
                children.append(self.unnamed(child, f"{path}.{i}", encapsulated))
                ci = n_comps
                continue
            if is_set:
                used.add(match)
            ci = match + 1
            cname = comps[match][0]
            cplan = plans[match]
            if cplan.simple and not child.constructed:
                # a primitive value with its own type (most components): what _assign would make
                leaf = NamedNode(child, cname, f"{path}.{cname}", encapsulated, cplan.type_name(child))
                leaf.schema_name = cplan.cls_name
                leaf.named_values = cplan.named_values
                children.append(leaf)
            else:
                children.append(self._assign(child, cplan, cname, f"{path}.{cname}", encapsulated))

    def _open_type(self, xn: NamedNode, spec: tuple[str, str, dict[str, Any], Any]) -> None:
        type_path, value_path, table, default = spec
        type_node = _child_by_names(xn, _split(type_path))
        if type_node is None or type_node.node.tag != 6 or type_node.node.tag_class != "universal":
            return
        n = type_node.node
        oid = _dotted(self.data[n.content_offset:n.content_end])
        if oid is None:
            return
        target = table.get(oid, default)
        if target is None:
            return
        if value_path.endswith(".*"):
            holder = _child_by_names(xn, _split(value_path[:-2]))
            values = holder.children if holder is not None else []
        else:
            v = _child_by_names(xn, _split(value_path))
            values = [v] if v is not None else []
        for value in values:
            value.open_oid = oid
            value.twin = None
            self._decode_value(value, target)

    def _decode_value(self, value: NamedNode, target: Asn1Type) -> None:
        if value.type_name.endswith("EXPLICIT"):
            # [0] EXPLICIT ANY (ContentInfo.content, SafeBag.bagValue): the value is
            # inside the tag, which adds no path segment (pyasn1 decodes through it).
            real = [c for c in value.children if not _is_eoc(c.node)]
            if len(real) != 1:
                return
            value = real[0]
        node = value.node
        camel = _camel(target)
        value.open_type = target.__class__.__name__
        value.twin = None
        if value.schema_name is not None and node.tag_class == "universal" and node.tag in (3, 4) \
                and not node.constructed:
            if not node.complete:
                return  # cut short by the end of the input: the reader already said so
            # DER wrapped in an OCTET STRING / BIT STRING (RFC 5280 §4.1 extnValue,
            # 4.1.2.7 subjectPublicKey).  An OCTET STRING type inside (ECPoint,
            # an SCT list) is what pkilint decodes too.
            if isinstance(target, univ.OctetString) and node.tag == 3:
                # pkilint re-reads the BIT STRING's bits as the OCTET STRING (ECPoint):
                # no new bytes, only a new name for the same node.
                value.aliases = (*value.aliases, value.path)
                value.path = f"{value.path}.{camel}"
                return
            inner, errors = read_encapsulated(self.data, node, limits=self.limits)
            if inner is None or errors or inner.end != node.content_end:
                if errors:
                    self.errors.extend(DerError(e.offset, f"{value.path}: {e.message}", e.limit) for e in errors)
                return
            value.children = [self.assign(inner, target, camel, f"{value.path}.{camel}", True)]
            if isinstance(target, rfc6962.SignedCertificateTimestampList):
                self._sct_list(value.children[0])
            return
        # ANY: the value's own TLV is the decoded value; one more path segment, same bytes.
        named = self.assign(node, target, value.name, f"{value.path}.{camel}", value.encapsulated)
        value.children = named.children
        value.aliases = (*value.aliases, value.path, *named.aliases)
        value.path = named.path
        value.type_name = named.type_name
        value.schema_name = named.schema_name
        value.open_type = target.__class__.__name__
        held = schema_pki.HOLDS.get(type(target))
        if held is not None:
            self._decode_held(value, held)

    def _decode_held(self, value: NamedNode, held: Asn1Type) -> None:
        """An OCTET STRING that holds DER of a type known by its place (RFC 7292 §4.1, 4.2.3)."""
        node = value.node
        if node.constructed or node.tag_class != "universal" or node.tag != 4:
            return  # a BER constructed string: its pieces are shown as they are
        inner, errors = read_encapsulated(self.data, node, limits=self.limits)
        if inner is None or errors or inner.end != node.content_end:
            if errors:
                self.errors.extend(DerError(e.offset, f"{value.path}: {e.message}") for e in errors)
            return
        camel = _camel(held)
        value.twin = None
        value.children = [self.assign(inner, held, camel, f"{value.path}.{camel}", True)]

    # --- the TLS-encoded SCT list (RFC 6962 §3.3): not DER, so read by certlab.ct

    def _sct_list(self, holder: NamedNode) -> None:
        from .ct import sct_items

        node = holder.node
        if node.content_end > len(self.data) or not node.complete:
            return
        tree, _scts, error = sct_items(self.data, node.content_offset, node.content_end)
        if error is not None:
            self.errors.append(DerError(node.content_offset, f"{holder.path}: {error}"))
        if tree is None:
            return
        holder.twin = None
        holder.children = [self._tls(tree, f"{holder.path}.sct_list", node.depth + 1)]

    def _tls(self, item: Any, path: str, depth: int) -> NamedNode:
        prefix = self.data[item.offset:item.offset + item.prefix]
        raw = Node(item.offset, depth, item.prefix, item.length, "tls", 0, bool(item.children), b"", prefix,
                   encapsulated=True, size=item.prefix + item.length)
        xn = NamedNode(raw, item.name, path, True)
        xn.type_name = item.type_name
        xn.schema_name = f"tls:{item.name}"
        xn.value = item.value
        for i, child in enumerate(item.children):
            # list items by index (pkilint's rule for SEQUENCE OF), struct fields by RFC 6962's names
            sub = self._tls(child, f"{path}.{i if child.name == 'sct' else child.name}", depth + 1)
            if child.name == "sct":
                sub.name = str(i)
            xn.children.append(sub)
        if item.name == "signature" and item.length:
            self._sct_signature(xn)
        return xn

    def _sct_signature(self, xn: NamedNode) -> None:
        # An ECDSA (or DSA) signature is DER inside the TLS opaque (RFC 6962 §2.1.4).
        from .der import _run  # the reader over a sub-range, absolute offsets kept

        start, end = xn.content_offset, xn.content_end
        inner, errors = _run(self.data, self.limits, 0, xn.depth + 1, True, start, end)
        if inner is None or errors or inner.end != end:
            return
        xn.children = [self.assign(inner, rfc5480.ECDSA_Sig_Value(), "eCDSA_Sig_Value",
                                   f"{xn.path}.eCDSA_Sig_Value", True)]

    # --- a bounded guess: DER inside OCTET / BIT STRINGs no schema covers (issue 11, item 1)

    def guess(self, root: NamedNode) -> None:
        budget = _GUESS_BUDGET
        stack = [root]
        while stack and budget > 0:
            n = stack.pop()
            if n.twin is not None:
                # a list item copied from one that had nothing to guess (_clonable), and not
                # changed since: an open type changes a node at most two levels below its
                # owner (the value, an EXPLICIT's content, a list's items: _open_types' value
                # paths), so nothing below a copied item is changed unless the item is
                continue
            stack.extend(n.children)
            node = n.node
            if (n.children or node.constructed or node.tag_class != "universal" or node.tag not in (3, 4)
                    or not (n.name is None or n.schema_name is None
                            or (n.name == "extnValue" and n.open_type is None))):
                continue
            size = node.content_end - node.content_offset
            if size < 2 or size > _GUESS_MAX_BYTES or node.content_end > len(self.data) or not node.complete:
                continue  # (a truncated string's content is not all there to guess from)
            budget -= 1
            inner, errors = read_encapsulated(self.data, node, limits=self.limits)
            if inner is None or errors or inner.end != node.content_end or not _clean(inner):
                continue  # kept only when the bytes are exactly one well-formed DER value
            guessed = self.unnamed(inner, f"{n.path}.guess", True)
            for g in guessed.walk():
                g.guess = True
            n.twin = None
            n.children = [guessed]
            stack.append(guessed)


# A guess costs one read of the bytes; both bounds keep hostile input cheap.
_GUESS_BUDGET = 2000

# Lists at least this long have their items' names copied between items of one shape
# (_Walker._items), keeping at most this many shapes per list.
_MANY_ITEMS = 32
_MAX_TEMPLATES = 256


class _NoCopy(Exception):
    """Internal: an item's copy could not be made (it is named as usual instead)."""


# per node of a list item, in document order: (the node, name, path after the item's,
# aliases after the item's path, type name, schema name, encapsulated, open type, open
# OID, named values, 0 = no children / 1 = the DER node's children / 2 = DER read inside)
_Recipe = tuple[tuple[Any, ...], ...]


def _recipe(item: NamedNode, item_path: str) -> _Recipe | None:
    """What :meth:`_Walker._clone` copies from ``item`` (found :func:`_clonable`), or None
    if a path below it does not start with its own."""
    cut = len(item_path)
    out = []
    stack = [item]
    while stack:
        t = stack.pop()
        if not t.path.startswith(item_path) or not all(a.startswith(item_path) for a in t.aliases):
            return None
        kids = t.children
        out.append((t, t.name, t.path[cut:], tuple(a[cut:] for a in t.aliases), t.type_name, t.schema_name,
                    t.encapsulated, t.open_type, t.open_oid, t.named_values,
                    0 if not kids else 1 if t.node.constructed else 2))
        stack.extend(reversed(kids))
    return tuple(out)


def _clonable(item: NamedNode, index: str) -> bool | None:
    """Whether ``item`` (just named) can lend its names to items of the same shape.

    Its named tree must mirror the DER (each child named from the node's own child, or
    from the one value read inside an OCTET / BIT STRING), hold nothing the walk decided
    from more than the shape (TLS-encoded SCTs, values set while naming), nothing the
    later guess pass could change (an OCTET / BIT STRING no schema names).  None when only
    this item cannot: a name below it equals its index (an EXPLICIT tag passes the item's
    name inside, and a nested list's item may just have the same number).
    """
    stack = [item]
    clash = False
    while stack:
        n = stack.pop()
        node = n.node
        if node.tag_class == "tls" or n.value is not None or n.guess:
            return False
        if n is not item and n.name == index:
            clash = True
        kids = n.children
        if not kids:
            if node.children:
                return False
            if not node.constructed and node.tag_class == "universal" and node.tag in (3, 4) and (
                    n.name is None or n.schema_name is None or (n.name == "extnValue" and n.open_type is None)):
                return False  # a guess candidate (_Walker.guess)
        elif node.constructed:
            if len(kids) != len(node.children) or any(k.node is not d for k, d in zip(kids, node.children)):
                return False
        elif len(kids) != 1 or not kids[0].node.encapsulated or node.tag_class != "universal" or node.tag not in (3, 4):
            return False
        stack.extend(kids)
    return None if clash else True
_GUESS_MAX_BYTES = 1 << 20


def _clean(node: Node) -> bool:
    """No DER departure anywhere below (a chance parse of random bytes rarely is strict DER)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.warnings or not n.complete or n.length is None:
            return False
        stack.extend(n.children)
    return True


class _Plan:
    """What the walk needs to know about one schema object, computed once."""

    __slots__ = ("ntags", "untagged_base", "choice", "any", "cls_name", "element", "components",
                 "is_set", "open_type", "base", "decorate", "_names", "named_values", "simple", "_plans",
                 "_alternatives")

    def __init__(self, schema: Asn1Type) -> None:
        self.ntags = len(_tags(schema))
        self.choice = isinstance(schema, univ.Choice)
        self.any = isinstance(schema, univ.Any)
        self.untagged_base = self.choice or self.any
        self.cls_name = schema.__class__.__name__
        self.element = schema.componentType if isinstance(schema, (univ.SequenceOf, univ.SetOf)) else None
        self.components = _components(schema) if (self.choice or (
            self.element is None and isinstance(schema, (univ.Sequence, univ.Set)))) else None
        self.is_set = isinstance(schema, univ.Set)
        self.open_type = _open_type_of(type(schema)) if self.components is not None and not self.choice else None
        self.base = _base_name(schema)
        self.decorate = self.cls_name not in _BASE_CLASS_NAMES
        self._names: dict[tuple[str, int], str] = {}
        named = getattr(schema, "namedValues", None) if isinstance(
            schema, (univ.Integer, univ.BitString)) else None  # Enumerated is an Integer
        self.named_values: dict[int, str] | None = (
            {int(v): str(k) for k, v in named.items()} if named is not None and len(named) else None)
        # no tag wrapper, no components, no alternatives: named in one step
        self.simple = not (self.choice or self.any or self.element is not None or self.components is not None
                           or self.ntags >= 2)
        self._plans: tuple[_Plan, ...] | None = None
        self._alternatives: tuple[dict[tuple[str, int], tuple[str, _Plan]], tuple[str, _Plan] | None] | None = None

    def alternatives(self) -> tuple[dict[tuple[str, int], tuple[str, _Plan]], tuple[str, _Plan] | None]:
        """A CHOICE's alternatives by the tag they start with, and the one that takes any tag.

        The first alternative that matches wins, as in the declaration: an alternative
        that takes any tag (an untagged ANY) ends the table, the ones after it are never
        reached.  Made on first use.
        """
        if self._alternatives is None:
            assert self.components is not None
            table: dict[tuple[str, int], tuple[str, _Plan]] = {}
            anything: tuple[str, _Plan] | None = None
            for alt_name, alt_schema, first, _opt in self.components:
                if first is None:
                    anything = (alt_name, _plan(alt_schema))
                    break
                for key in first:
                    table.setdefault(key, (alt_name, _plan(alt_schema)))
            self._alternatives = (table, anything)
        return self._alternatives

    def component_plans(self) -> tuple[_Plan, ...]:
        """The plans of the components, in order (made on first use: schemas may recurse)."""
        if self._plans is None:
            assert self.components is not None
            self._plans = tuple(_plan(c[1]) for c in self.components)
        return self._plans

    def type_name(self, node: Node) -> str:
        key = (node.tag_class, node.tag)
        name = self._names.get(key)
        if name is None:
            name = (UNIVERSAL_TYPES.get(node.tag) if node.tag_class == "universal" else None) or f"[{node.tag}]"
            if node.tag_class != "universal":
                # IMPLICIT tag: the tag replaces the universal one (X.690 §8.14.3).
                name = f"[{node.tag}] IMPLICIT {self.base}"
            if self.decorate:
                name = f"{self.cls_name} ({name})"
            self._names[key] = name
        return name


_plans: dict[int, _Plan] = {}


def _plan(schema: Asn1Type) -> _Plan:
    plan = _plans.get(id(schema))
    if plan is None:
        plan = _plans[id(schema)] = _Plan(schema)
        _keep_alive.append(schema)
    return plan


_open_type_cache: dict[type, tuple[str, str, dict[str, Any], Any] | None] = {}


def _open_type_of(klass: type) -> tuple[str, str, dict[str, Any], Any] | None:
    # Subclasses share their base's open type (KeyEncryptionAlgorithmIdentifier
    # is an AlgorithmIdentifier, RFC 5958 §3).
    if klass not in _open_type_cache:
        open_types = _open_types()
        # The PKI messages' open types are keyed by class: RFC 5652's Attribute is not RFC 2986's.
        by_class = _open_types_by_class()
        _open_type_cache[klass] = next(
            (by_class[k] if k in by_class else open_types[k.__name__]
             for k in klass.__mro__ if k in by_class or k.__name__ in open_types), None)
    return _open_type_cache[klass]


_BASE_CLASS_NAMES = frozenset({
    "Integer", "OctetString", "BitString", "Null", "ObjectIdentifier", "Boolean", "Enumerated",
    "Sequence", "Set", "SequenceOf", "SetOf", "Any", "Choice", "UTF8String", "PrintableString",
    "IA5String", "TeletexString", "T61String", "BMPString", "UniversalString", "VisibleString",
    "NumericString", "UTCTime", "GeneralizedTime", "Real",
})


_PYASN1_NAMES = {"Integer": "INTEGER", "OctetString": "OCTET STRING", "BitString": "BIT STRING",
                 "Null": "NULL", "ObjectIdentifier": "OBJECT IDENTIFIER", "Boolean": "BOOLEAN",
                 "Enumerated": "ENUMERATED", "Sequence": "SEQUENCE", "Set": "SET",
                 "SequenceOf": "SEQUENCE OF", "SetOf": "SET OF"}
_PYASN1_MODULES = frozenset({"pyasn1.type.univ", "pyasn1.type.char", "pyasn1.type.useful"})


def _base_name(schema: Asn1Type) -> str:
    """The ASN.1 built-in type a schema class derives from (``IA5String``)."""
    for klass in type(schema).__mro__:
        if klass.__module__ in _PYASN1_MODULES:
            return _PYASN1_NAMES.get(klass.__name__, klass.__name__)
    return type(schema).__name__


def _child_by_names(xn: NamedNode, names: list[str] | tuple[str, ...]) -> NamedNode | None:
    cur: NamedNode | None = xn
    for name in names:
        if cur is None:
            return None
        nxt = None
        for child in cur.children:
            if child.name == name:
                nxt = child
                break
        cur = nxt
    return cur


def name_tree(data: bytes, root: Node, root_name: str, *,
              limits: Limits = DEFAULT_LIMITS) -> tuple[NamedNode, tuple[DerError, ...]]:
    """Name every node of ``root`` after the schema ``ROOTS[root_name]``.

    Returns the named tree and any errors met reading encapsulated DER.
    Unknown parts keep ``name=None`` and an index path; nothing raises.
    """
    walker = _Walker(data, limits)
    schema = ROOTS.get(root_name)
    if schema is None:
        unnamed = walker.unnamed(root, root_name, False)
        walker.guess(unnamed)
        return unnamed, tuple(walker.errors)
    try:
        named = walker.assign(root, schema, root_name, root_name, False)
        if ROOT_KINDS.get(root_name) != "private-key":  # never guess inside a key's secrets
            walker.guess(named)
    except RecursionError:  # pragma: no cover - depth is bounded by the reader
        return walker.unnamed(root, root_name, False), (DerError(root.offset, "structure too deep to name"),)
    return named, tuple(walker.errors)


def _kids(node: Node) -> list[tuple[str, int, bool]]:
    return [(c.tag_class, c.tag, c.constructed) for c in node.children]


def guess_root(root: Node, kind: str | None = None, data: bytes | None = None) -> str | None:
    """Guess the root name (``"certificate"``...) from the top-level shape.

    ``kind`` narrows the choice (a kind or a root name).  ``data`` (the bytes
    ``root`` was read from) lets a PKCS#12 PFX be told by its version 3.
    Returns None when the shape fits nothing we know.
    """
    if kind in ROOTS:
        return kind
    if root.tag_class != "universal" or root.tag != 16 or not root.constructed:
        return None
    kids = _kids(root)
    u = "universal"
    guess: str | None = None
    if len(kids) == 3 and kids[0] == (u, 16, True) and kids[1] == (u, 16, True) and kids[2][:2] == (u, 3):
        tbs = _kids(root.children[0])
        if tbs and tbs[0][0] == "context" and tbs[0][1] == 0:
            guess = "certificate"
        elif any(t[:2] in ((u, 23), (u, 24)) for t in tbs[:5]):
            guess = "certificateList"
        elif len(tbs) == 4 and tbs[0][:2] == (u, 2) and tbs[3][0] == "context":
            guess = "certificationRequest"
        else:
            guess = "certificate"
    elif len(kids) == 2 and kids[0] == (u, 16, True) and kids[1][:2] == (u, 3):
        guess = "subjectPublicKeyInfo"
    elif len(kids) == 2 and kids[0] == (u, 16, True) and kids[1][:2] == (u, 4):
        guess = "encryptedPrivateKeyInfo"
    elif len(kids) >= 3 and kids[0][:2] == (u, 2) and kids[1] == (u, 16, True) and kids[2][:2] == (u, 4):
        guess = "privateKeyInfo"
    elif len(kids) >= 9 and all(k[:2] == (u, 2) for k in kids[:9]):
        guess = "rsaPrivateKey"
    elif len(kids) == 6 and all(k[:2] == (u, 2) for k in kids):
        guess = "dsaPrivateKey"  # version, p, q, g, y, x (OpenSSL's DSA PRIVATE KEY)
    elif len(kids) >= 2 and kids[0][:2] == (u, 2) and kids[1][:2] == (u, 4):
        guess = "ecPrivateKey"
    elif len(kids) == 2 and kids[0][:2] == (u, 2) and kids[1][:2] == (u, 2):
        guess = "rsaPublicKey"
    if guess is None:
        guess = schema_pki.guess(root, data)
    if kind is not None and guess is not None and ROOT_KINDS.get(guess) != kind:
        return None
    return guess
