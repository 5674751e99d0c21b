"""What a form may choose: the key types, sizes, curves, hashes, usages and subject attributes.

The one set of option tables the spec rules, ``build``, the code generator and
the forms read (re-exported by :mod:`certlab.spec`).
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from ..knowledge.algorithms import (
    CURVE_ROWS,
    KEY_ALGORITHM_ROWS,
    algorithm_named,
    buildable_algorithms,
    key_usage_keywords,
)

# Key types, curves and KeyUsage bits are rows of certlab.knowledge.algorithms; these are
# the choices the forms offer, derived from those rows (certlab supports cryptography >= 42:
# a key type the installed cryptography lacks, like ML-DSA before 47, is no choice).
KEY_ALGORITHMS: tuple[str, ...] = buildable_algorithms()
RSA_SIZES: tuple[int, ...] = (2048, 3072, 4096)
CURVES: tuple[str, ...] = tuple(curve.name for curve in CURVE_ROWS)
ML_DSA_VARIANTS: tuple[str, ...] = algorithm_named("ml-dsa").variants
HASHES: tuple[str, ...] = ("sha256", "sha384", "sha512")
#: Key types whose signature scheme hashes internally (no separate hash).
_HASHLESS = frozenset(row.name for row in KEY_ALGORITHM_ROWS if row.hashless)

#: KeyUsage bits, named as cryptography's ``x509.KeyUsage`` arguments (RFC 5280 §4.2.1.3).
KEY_USAGES: tuple[str, ...] = key_usage_keywords()

#: ExtendedKeyUsage purposes by their RFC 5280 §4.2.1.12 short names.
EXTENDED_KEY_USAGES: dict[str, ObjectIdentifier] = {
    "serverAuth": ExtendedKeyUsageOID.SERVER_AUTH,
    "clientAuth": ExtendedKeyUsageOID.CLIENT_AUTH,
    "codeSigning": ExtendedKeyUsageOID.CODE_SIGNING,
    "emailProtection": ExtendedKeyUsageOID.EMAIL_PROTECTION,
    "timeStamping": ExtendedKeyUsageOID.TIME_STAMPING,
    "OCSPSigning": ExtendedKeyUsageOID.OCSP_SIGNING,
}

MIN_VALIDITY_DAYS = 1
MAX_VALIDITY_DAYS = 3650  # ten years: enough for a teaching root, small enough to catch typos

@dataclass(frozen=True)
class SubjectAttribute:
    """Everything certlab knows about one subject attribute of the forms.

    The one table (:data:`SUBJECT_ATTRIBUTES`) the spec rules, ``build``, the
    code generator and the subject form all read, so a new attribute or a
    changed bound is one line.
    """

    #: form field name (``docs/ARCHITECTURE.md``) and ``Subject`` attribute
    field: str
    #: the member of cryptography's ``NameOID`` (the generated code spells it)
    oid_constant: str
    #: the short name openssl's ``-subj`` and RFC 4514 strings use
    short_name: str
    #: the RFC 5280 Appendix A.1 upper bound, in characters, and its ``ub-*`` name
    upper_bound: int
    bound_name: str
    #: what the form shows next to the text box
    label: str
    hint: str = ""

    @property
    def oid(self) -> ObjectIdentifier:
        """The attribute type's OID (``NameOID.<oid_constant>``)."""
        oid: ObjectIdentifier = getattr(NameOID, self.oid_constant)
        return oid

#: The subject attributes in the tutorial's order (C, ST, L, O, OU, CN, emailAddress).
SUBJECT_ATTRIBUTES: tuple[SubjectAttribute, ...] = (
    SubjectAttribute("country", "COUNTRY_NAME", "C", 2, "ub-country-name-alpha-length",
                     "Country (C)", "two letters, ISO 3166 (US, DE, JP)"),
    SubjectAttribute("state", "STATE_OR_PROVINCE_NAME", "ST", 128, "ub-state-name",
                     "State (ST)", "state or province, spelt out"),
    SubjectAttribute("locality", "LOCALITY_NAME", "L", 128, "ub-locality-name",
                     "Locality (L)", "city"),
    SubjectAttribute("organization", "ORGANIZATION_NAME", "O", 64, "ub-organization-name",
                     "Organization (O)"),
    SubjectAttribute("organizational_unit", "ORGANIZATIONAL_UNIT_NAME", "OU", 64, "ub-organizational-unit-name",
                     "Org. unit (OU)", "optional; publicly trusted server certificates must not have it (CA/B BR §7.1.2.7.2-7.1.2.7.4)"),
    SubjectAttribute("common_name", "COMMON_NAME", "CN", 64, "ub-common-name",
                     "Common name (CN)", "up to 64 characters; browsers read the SANs, not the CN"),
    # RFC 5280 §4.1.2.6: legacy in subjects; new certificates put it in an rfc822Name SAN
    SubjectAttribute("email", "EMAIL_ADDRESS", "emailAddress", 255, "ub-emailaddress-length",
                     "Email", "optional; deprecated in subjects (RFC 5280 §4.1.2.6: use a SAN)"),
)
