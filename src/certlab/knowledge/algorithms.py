"""Key algorithms, curves, hashes and KeyUsage bits: one row each, one classifier.

Every module that needs to know something about a key type reads it here: the
spec (which types a form offers, which take no separate hash), ``build``
(which class generates it), ``codegen`` (the Python call and the ``openssl``
arguments it writes), ``load`` (whether a traditional PEM exists, what kind an
object is), the field model and the findings (the label a learner sees, public
or private) and the key form (which parameter matters).  None of them compares
class names or ``hasattr`` on its own: they ask :func:`algorithm_of`.

How to add a key type
    Add one :class:`KeyAlgorithm` row to :data:`KEY_ALGORITHM_ROWS` (cryptography
    module and class names, label, whether it hashes internally, whether a
    traditional PEM exists, its form parameter, the Python call and the
    ``openssl`` arguments, the :mod:`~certlab.knowledge.secrets` rows of its
    private key).  ``buildable=True`` makes it a choice of the forms, the spec,
    ``build`` and ``codegen``; ``False`` keeps it to loading and explaining.  A
    type the installed cryptography lacks is skipped automatically
    (:attr:`KeyAlgorithm.available`).  If it needs a new form parameter, add
    it to ``KeySpec`` and to :meth:`KeyAlgorithm.generate`'s dispatch.

How to add a KeyUsage bit
    Add one :class:`KeyUsageBit` row to :data:`KEY_USAGE_BITS` (cryptography's
    ``x509.KeyUsage`` keyword, the RFC 5280 ASN.1 name, the bit number, the
    label and an explanation).  The spec, ``build``, ``codegen``, the explorer,
    the field model and the extensions form read the table.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

__all__ = [
    "KeyAlgorithm",
    "KEY_ALGORITHM_ROWS",
    "Curve",
    "CURVE_ROWS",
    "HASH_CLASSES",
    "KeyUsageBit",
    "default_leaf_key_usage",
    "KEY_USAGE_BITS",
    "algorithm_named",
    "algorithm_of",
    "is_private_key",
    "key_parameters",
    "curve_named",
    "curve_of",
    "buildable_algorithms",
    "key_usage_keywords",
]


class _KeyParameters(Protocol):
    """What :meth:`KeyAlgorithm.generate` reads of a ``KeySpec``."""

    @property
    def size(self) -> int: ...

    @property
    def curve(self) -> str: ...

    @property
    def variant(self) -> str: ...


# --------------------------------------------------------------------------- curves and hashes


@dataclass(frozen=True)
class Curve:
    """A named elliptic curve of the forms (RFC 5480 §2.1.1.1: the NIST curves)."""

    #: the form / spec name (and openssl's ``ec_paramgen_curve`` value)
    name: str
    #: the class in ``cryptography.hazmat.primitives.asymmetric.ec``
    cryptography_class: str
    #: what ``key.curve.name`` says (SEC 2 names)
    sec_name: str


CURVE_ROWS: tuple[Curve, ...] = (
    Curve("P-256", "SECP256R1", "secp256r1"),
    Curve("P-384", "SECP384R1", "secp384r1"),
    Curve("P-521", "SECP521R1", "secp521r1"),
)

#: Hash name (spec / ``openssl -<name>``) -> class in ``cryptography.hazmat.primitives.hashes``.
HASH_CLASSES: dict[str, str] = {"sha224": "SHA224", "sha256": "SHA256", "sha384": "SHA384", "sha512": "SHA512"}


def curve_named(name: str) -> Curve:
    """The row of a form curve name (``"P-256"``); ``KeyError`` for others."""
    for row in CURVE_ROWS:
        if row.name == name:
            return row
    raise KeyError(name)


def curve_of(sec_name: str) -> str:
    """The form name of a curve as cryptography names it (``secp384r1`` -> ``P-384``), else itself."""
    return next((row.name for row in CURVE_ROWS if row.sec_name == sec_name), sec_name)


# --------------------------------------------------------------------------- key algorithms


@dataclass(frozen=True)
class KeyAlgorithm:
    """Everything certlab knows about one key algorithm."""

    #: the form / spec name (``KeySpec.algorithm``, ``CertlabError`` values)
    name: str
    #: what a learner reads in the field view ("RSA", "EC (elliptic curve)")
    label: str
    #: the module under ``cryptography.hazmat.primitives.asymmetric``
    module: str
    #: class names in that module (ML-DSA has one per variant, in variant order)
    private_classes: tuple[str, ...]
    public_classes: tuple[str, ...]
    #: certlab generates, signs with and writes code for it (a choice of the forms)
    buildable: bool
    #: the signature scheme hashes the message itself (RFC 8032, FIPS 204): sign with ``None``
    hashless: bool
    #: its keys sign (and a public key verifies); X25519 / X448 only agree keys (RFC 8410 §3)
    signs: bool
    #: a "traditional" PEM exists (PKCS#1 ``RSA PRIVATE KEY``, SEC 1 ``EC PRIVATE KEY``)
    traditional: bool
    #: the form field that picks its parameters: ``"key_size"``, ``"curve"``, ``"variant"`` or None
    parameter: str | None = None
    #: the size a learner reads when it does not depend on the key ("256 bits (32-byte key)")
    fixed_size: str | None = None
    #: the Python codegen writes, a template over ``var``, ``size``, ``curve``,
    #: ``curve_class``, ``variant`` and ``variant_class``
    python: str = ""
    #: ``openssl genpkey -algorithm ...`` and ``openssl req -newkey ...`` arguments (same template fields)
    openssl_genpkey: tuple[str, ...] = ()
    openssl_newkey: tuple[str, ...] = ()
    #: what the ``openssl`` command needs beyond OpenSSL 3.0, said as a shell comment
    openssl_needs: str = ""
    #: the :data:`~certlab.knowledge.secrets.SECRETS` rows of its private key
    secrets: tuple[str, ...] = ()
    #: the ``ML_DSA_VARIANTS``-style parameter names, in ``private_classes`` order
    variants: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        """Does the installed cryptography have every class of this row?"""
        private, public = _classes(self)
        return len(private) == len(self.private_classes) and len(public) == len(self.public_classes)

    def private_types(self) -> tuple[type, ...]:
        """The private-key classes (empty if the installed cryptography lacks them)."""
        return _classes(self)[0]

    def public_types(self) -> tuple[type, ...]:
        """The public-key classes (empty if the installed cryptography lacks them)."""
        return _classes(self)[1]

    def template_values(self, key: _KeyParameters) -> dict[str, object]:
        """The values the ``python`` / ``openssl_*`` templates may use, for ``key``'s parameters."""
        values: dict[str, object] = {"size": key.size, "curve": key.curve, "variant": key.variant}
        if self.parameter == "curve":
            values["curve_class"] = curve_named(key.curve).cryptography_class
        if self.parameter == "variant":
            values["variant_class"] = self.private_classes[self.variants.index(key.variant)]
        return values

    def generate(self, key: _KeyParameters) -> PrivateKeyTypes:
        """A fresh private key with ``key``'s parameters (RSA uses e = 65537, as the tutorial)."""
        module = importlib.import_module(f"cryptography.hazmat.primitives.asymmetric.{self.module}")
        if self.parameter == "key_size":
            # 65537 is the only exponent worth using (RFC 8017 leaves it open; every CA expects it)
            return module.generate_private_key(public_exponent=65537, key_size=key.size)  # type: ignore[no-any-return]
        if self.parameter == "curve":
            curve = getattr(module, curve_named(key.curve).cryptography_class)
            return module.generate_private_key(curve())  # type: ignore[no-any-return]
        cls = self.private_types()[self.variants.index(key.variant)] if self.variants else self.private_types()[0]
        return cls.generate()  # type: ignore[attr-defined,no-any-return]


def _fixed(label: str, module: str, prefix: str, size: str, *, buildable: bool, signs: bool,
           secrets: tuple[str, ...] = ("CurvePrivateKey",)) -> KeyAlgorithm:
    # the RFC 8410 curves: fixed size, no parameters, raw keys, EdDSA hashes internally
    return KeyAlgorithm(
        module, label, module, (f"{prefix}PrivateKey",), (f"{prefix}PublicKey",), buildable=buildable,
        hashless=signs, signs=signs, traditional=False, fixed_size=size,
        python=f"{{var}} = {module}.{prefix}PrivateKey.generate()",
        openssl_genpkey=(module.upper(),), openssl_newkey=("-newkey", module), secrets=secrets,
    )


_ML_DSA_VARIANTS = ("ML-DSA-44", "ML-DSA-65", "ML-DSA-87")

#: One row per key algorithm; the buildable ones in the order the key form offers them.
KEY_ALGORITHM_ROWS: tuple[KeyAlgorithm, ...] = (
    KeyAlgorithm(
        "rsa", "RSA", "rsa", ("RSAPrivateKey",), ("RSAPublicKey",), buildable=True, hashless=False,
        signs=True, traditional=True, parameter="key_size",
        python="{var} = rsa.generate_private_key(\n    public_exponent=65537,\n    key_size={size!r},\n)",
        openssl_genpkey=("RSA", "-pkeyopt", "rsa_keygen_bits:{size}"), openssl_newkey=("-newkey", "rsa:{size}"),
        secrets=tuple(f"RSAPrivateKey.{c}" for c in ("privateExponent", "prime1", "prime2", "exponent1",
                                                       "exponent2", "coefficient", "otherPrimeInfos")),
    ),
    KeyAlgorithm(
        "ec", "EC (elliptic curve)", "ec", ("EllipticCurvePrivateKey",), ("EllipticCurvePublicKey",),
        buildable=True, hashless=False, signs=True, traditional=True, parameter="curve",
        python="{var} = ec.generate_private_key(ec.{curve_class}())  # {curve}",
        openssl_genpkey=("EC", "-pkeyopt", "ec_paramgen_curve:{curve}"),
        openssl_newkey=("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:{curve}"),
        secrets=("ECPrivateKey.privateKey",),
    ),
    _fixed("Ed25519", "ed25519", "Ed25519", "256 bits (32-byte key)", buildable=True, signs=True),
    _fixed("Ed448", "ed448", "Ed448", "456 bits (57-byte key)", buildable=True, signs=True),
    KeyAlgorithm(
        "ml-dsa", "ML-DSA", "mldsa",
        tuple(f"MLDSA{v[-2:]}PrivateKey" for v in _ML_DSA_VARIANTS),
        tuple(f"MLDSA{v[-2:]}PublicKey" for v in _ML_DSA_VARIANTS),
        buildable=True, hashless=True, signs=True, traditional=False, parameter="variant",
        python="{var} = mldsa.{variant_class}.generate()  # {variant} (FIPS 204)",
        openssl_genpkey=("{variant}",), openssl_newkey=("-newkey", "{variant}"),
        openssl_needs="needs OpenSSL 3.5 or later (see: openssl version); 3.0 to 3.4 stop with "
                      "'unsupported' and 'Algorithm (ML-DSA-xx : 0)'",
        secrets=tuple(f"ML_DSA_{v[-2:]}_PrivateKey" for v in _ML_DSA_VARIANTS),
        variants=_ML_DSA_VARIANTS,
    ),
    # loaded and explained, never built: DSA is gone from the web PKI (CA/B BR 6.1.5),
    # X25519 / X448 agree keys and cannot sign (RFC 8410 §3)
    KeyAlgorithm("dsa", "DSA", "dsa", ("DSAPrivateKey",), ("DSAPublicKey",), buildable=False,
                 hashless=False, signs=True, traditional=True, secrets=("DSAPrivateKey.x",)),
    _fixed("X25519", "x25519", "X25519", "256 bits (32-byte key)", buildable=False, signs=False),
    _fixed("X448", "x448", "X448", "448 bits (56-byte key)", buildable=False, signs=False),
)


@functools.lru_cache(maxsize=None)
def _classes(row: KeyAlgorithm) -> tuple[tuple[type, ...], tuple[type, ...]]:
    try:
        module = importlib.import_module(f"cryptography.hazmat.primitives.asymmetric.{row.module}")
    except ImportError:  # e.g. cryptography < 47 has no ML-DSA
        return (), ()

    def found(names: tuple[str, ...]) -> tuple[type, ...]:
        return tuple(cls for cls in (getattr(module, n, None) for n in names) if isinstance(cls, type))

    return found(row.private_classes), found(row.public_classes)


def buildable_algorithms() -> tuple[str, ...]:
    """The key types the forms offer: buildable rows the installed cryptography has."""
    return tuple(row.name for row in KEY_ALGORITHM_ROWS if row.buildable and row.available)


def algorithm_named(name: str) -> KeyAlgorithm:
    """The row of a form name (``"rsa"``, ``"ml-dsa"``); ``KeyError`` for others."""
    for row in KEY_ALGORITHM_ROWS:
        if row.name == name:
            return row
    raise KeyError(name)


def algorithm_of(key: object) -> KeyAlgorithm | None:
    """The row of a private or public key object, or None for anything else."""
    for row in KEY_ALGORITHM_ROWS:
        private, public = _classes(row)
        if isinstance(key, private + public):
            return row
    return None


def is_private_key(key: object) -> bool:
    """Is ``key`` a private key of a known algorithm?"""
    row = algorithm_of(key)
    return row is not None and isinstance(key, row.private_types())


def key_parameters(key: object) -> dict[str, object]:
    """The form values that describe ``key``: ``key_algorithm`` plus its parameter, if it has one.

    ``{"key_algorithm": "ec", "curve": "P-384"}``; raises ``KeyError`` for an unknown object.
    """
    row = algorithm_of(key)
    if row is None:
        raise KeyError(type(key).__name__)
    public: Any = key.public_key() if is_private_key(key) else key  # type: ignore[attr-defined]
    values: dict[str, object] = {"key_algorithm": row.name}
    if row.parameter == "key_size":
        values["key_size"] = public.key_size
    elif row.parameter == "curve":
        values["curve"] = curve_of(public.curve.name)
    elif row.parameter == "variant":
        types = row.private_types() if is_private_key(key) else row.public_types()
        values["variant"] = next(v for v, cls in zip(row.variants, types) if isinstance(key, cls))
    return values


# --------------------------------------------------------------------------- KeyUsage bits


@dataclass(frozen=True)
class KeyUsageBit:
    """One bit of the KeyUsage BIT STRING (RFC 5280 §4.2.1.3)."""

    #: cryptography's ``x509.KeyUsage`` keyword (and the spec / form name)
    keyword: str
    #: the ASN.1 name RFC 5280 gives it (also openssl's x509v3_config word)
    asn1_name: str
    #: its position in the BIT STRING
    bit: int
    #: what the field view shows (as ``openssl x509 -text`` prints it)
    label: str
    explanation: str


#: The nine bits in bit order.
KEY_USAGE_BITS: tuple[KeyUsageBit, ...] = (
    KeyUsageBit("digital_signature", "digitalSignature", 0, "Digital Signature",
                "The key verifies signatures other than on certificates and CRLs: TLS handshakes, "
                "signed data."),
    KeyUsageBit("content_commitment", "nonRepudiation", 1, "Non Repudiation",
                "The key verifies signatures that guard against the signer falsely denying an action "
                "(later X.509 editions call the bit contentCommitment)."),
    KeyUsageBit("key_encipherment", "keyEncipherment", 2, "Key Encipherment",
                "The key encrypts other keys, as in RSA key transport (TLS 1.2 RSA key exchange)."),
    KeyUsageBit("data_encipherment", "dataEncipherment", 3, "Data Encipherment",
                "The key encrypts user data directly (rare: keys are usually wrapped instead)."),
    KeyUsageBit("key_agreement", "keyAgreement", 4, "Key Agreement",
                "The key takes part in a key agreement, such as (EC)Diffie-Hellman."),
    KeyUsageBit("key_cert_sign", "keyCertSign", 5, "Certificate Sign",
                "The key verifies signatures on certificates: only a CA (BasicConstraints cA TRUE) "
                "may have it."),
    KeyUsageBit("crl_sign", "cRLSign", 6, "CRL Sign",
                "The key verifies signatures on certificate revocation lists."),
    KeyUsageBit("encipher_only", "encipherOnly", 7, "Encipher Only",
                "Only with keyAgreement (without it the bit means nothing): the key may then be used "
                "only to encipher data while performing key agreement."),
    KeyUsageBit("decipher_only", "decipherOnly", 8, "Decipher Only",
                "Only with keyAgreement (without it the bit means nothing): the key may then be used "
                "only to decipher data while performing key agreement."),
)


def key_usage_keywords() -> tuple[str, ...]:
    """cryptography's ``x509.KeyUsage`` keywords in bit order."""
    return tuple(b.keyword for b in KEY_USAGE_BITS)


def default_leaf_key_usage(algorithm: str) -> frozenset[str]:
    """The KeyUsage keywords the teaching CA gives a TLS leaf whose spec asks for none:
    digitalSignature, plus keyEncipherment for an RSA key (RSA key transport in TLS 1.2;
    (EC)DHE needs only digitalSignature; CA/B Forum BR §7.1.2.7.11).  ``build`` issues it
    and ``codegen`` writes it, from here."""
    return frozenset({"digital_signature", "key_encipherment"} if algorithm == "rsa" else {"digital_signature"})

