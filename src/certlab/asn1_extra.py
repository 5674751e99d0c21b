"""ASN.1 types that real certificates carry but no pyasn1 module declares (or declares too narrowly).

Each class cites the specification it is copied from; the schema walk
(:mod:`certlab.schema`) uses them exactly like the RFC modules' own classes.
Class names matter: a value decoded by OID gets the class name in
lowerCamelCase as its path segment (pkilint's rule), so ``ECParameters`` keeps
pkilint's ``parameters.eCParameters.namedCurve`` for named curves.
"""

from __future__ import annotations

from typing import Any

from pyasn1.type import char, constraint, namedtype, namedval, tag, univ
from pyasn1_alt_modules import rfc3279, rfc3739, rfc4055, rfc5280

__all__ = ["EXTENSIONS", "QC_STATEMENTS", "FIELD_PARAMETERS", "ECParameters", "NetscapeCertType",
           "Features", "AdmissionSyntax", "PSS_DEFAULTS"]

# pyasn1 classes are untyped: every class below needs the same ignore.
# mypy: disable-error-code="misc"


class NetscapeCertType(univ.BitString):
    """Netscape's certificate type bits (Netscape Certificate Extensions, 2.16.840.1.113730.1.1);
    openssl calls the extension "Netscape Cert Type"."""

    namedValues = namedval.NamedValues(
        ("sslClient", 0), ("sslServer", 1), ("smime", 2), ("objectSigning", 3), ("reserved", 4),
        ("sslCA", 5), ("smimeCA", 6), ("objectSigningCA", 7))


class TLSFeature(univ.Integer):
    """A TLS extension number (RFC 7633 §4.1); status_request (5) is "must staple" (RFC 6066 §8)."""

    namedValues = namedval.NamedValues(("status_request", 5), ("status_request_v2", 17))


class Features(univ.SequenceOf):
    """RFC 7633 §4: ``Features ::= SEQUENCE OF INTEGER``."""

    componentType = TLSFeature()


class Poison(univ.Null):
    """The precertificate poison (RFC 6962 §3.1): a critical extension whose value is NULL."""


class SpecifiedECDomain(rfc3279.ECParameters):
    """Explicit curve parameters (RFC 5480 §2.1.1 ``specifiedCurve``; SEC 1 C.2 / RFC 3279 §2.3.5)."""


class ECParameters(univ.Choice):
    """RFC 5480 §2.1.1 with all three alternatives (pyasn1-alt-modules keeps only namedCurve):
    ``namedCurve``, ``implicitCurve`` (NULL) and ``specifiedCurve`` -- the explicit
    parameters of CVE-2020-0601 ("CurveBall"), which RFC 5480 forbids in PKIX certificates."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("namedCurve", univ.ObjectIdentifier()),
        namedtype.NamedType("implicitCurve", univ.Null()),
        namedtype.NamedType("specifiedCurve", SpecifiedECDomain()),
    )


# FieldID.parameters by fieldType (RFC 3279 §2.3.5 / X9.62).
FIELD_PARAMETERS: dict[str, Any] = {
    str(rfc3279.prime_field): rfc3279.Prime_p(),
    str(rfc3279.characteristic_two_field): rfc3279.Characteristic_two(),
}


# --- ETSI EN 319 412-5 V2.3.1 (2020-04) 4.2-4.3 and annex B: the QC statements of EU certificates.

class Iso4217CurrencyCode(univ.Choice):
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("alphabetic", char.PrintableString().subtype(subtypeSpec=constraint.ValueSizeConstraint(3, 3))),
        namedtype.NamedType("numeric", univ.Integer()),
    )


class MonetaryValue(univ.Sequence):
    """QcEuLimitValue: a transaction limit of amount x 10^exponent in currency."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("currency", Iso4217CurrencyCode()),
        namedtype.NamedType("amount", univ.Integer()),
        namedtype.NamedType("exponent", univ.Integer()),
    )


class QcEuRetentionPeriod(univ.Integer):
    """Years the CA keeps the registration information after the certificate expires."""


class PdsLocation(univ.Sequence):
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("url", char.IA5String()),
        namedtype.NamedType("language", char.PrintableString()),
    )


class QcEuPDS(univ.SequenceOf):
    """Where the PKI disclosure statements are, by language."""

    componentType = PdsLocation()


class QcType(univ.SequenceOf):
    """esign (0.4.0.1862.1.6.1), eseal (.2) or web (.3)."""

    componentType = univ.ObjectIdentifier()


class QcCClegislation(univ.SequenceOf):
    """Country codes of the legislation, when not EU law."""

    componentType = char.PrintableString()


QC_STATEMENTS: dict[str, Any] = {
    str(rfc3739.id_qcs_pkixQCSyntax_v1): rfc3739.SemanticsInformation(),  # RFC 3739 §3.2.6
    str(rfc3739.id_qcs_pkixQCSyntax_v2): rfc3739.SemanticsInformation(),
    "0.4.0.1862.1.2": MonetaryValue(),          # QcEuLimitValue
    "0.4.0.1862.1.3": QcEuRetentionPeriod(),    # QcEuRetentionPeriod
    "0.4.0.1862.1.5": QcEuPDS(),                # QcEuPDS
    "0.4.0.1862.1.6": QcType(),                 # QcType
    "0.4.0.1862.1.7": QcCClegislation(),        # QcCClegislation
    "0.4.0.194121.1.1": rfc3739.SemanticsInformation(),  # ETSI EN 319 412-1 5.1 semantics ids
    "0.4.0.194121.1.2": rfc3739.SemanticsInformation(),
}


# --- Admissions (Common PKI v2.0 Part 1 / ISIS-MTT, 1.3.36.8.3.3): professional admissions.

def _explicit(n: int, t: Any) -> Any:
    return t.subtype(explicitTag=tag.Tag(tag.tagClassContext, tag.tagFormatConstructed, n))


class NamingAuthority(univ.Sequence):
    componentType = namedtype.NamedTypes(
        namedtype.OptionalNamedType("namingAuthorityId", univ.ObjectIdentifier()),
        namedtype.OptionalNamedType("namingAuthorityUrl", char.IA5String()),
        namedtype.OptionalNamedType("namingAuthorityText", rfc5280.DirectoryString()),
    )


class ProfessionItems(univ.SequenceOf):
    componentType = rfc5280.DirectoryString()


class ProfessionOIDs(univ.SequenceOf):
    componentType = univ.ObjectIdentifier()


class ProfessionInfo(univ.Sequence):
    componentType = namedtype.NamedTypes(
        namedtype.OptionalNamedType("namingAuthority", _explicit(0, NamingAuthority())),
        namedtype.NamedType("professionItems", ProfessionItems()),
        namedtype.OptionalNamedType("professionOIDs", ProfessionOIDs()),
        namedtype.OptionalNamedType("registrationNumber", char.PrintableString()),
        namedtype.OptionalNamedType("addProfessionInfo", univ.OctetString()),
    )


class ProfessionInfos(univ.SequenceOf):
    componentType = ProfessionInfo()


class Admissions(univ.Sequence):
    componentType = namedtype.NamedTypes(
        namedtype.OptionalNamedType("admissionAuthority", _explicit(0, rfc5280.GeneralName())),
        namedtype.OptionalNamedType("namingAuthority", _explicit(1, NamingAuthority())),
        namedtype.NamedType("professionInfos", ProfessionInfos()),
    )


class ContentsOfAdmissions(univ.SequenceOf):
    componentType = Admissions()


class AdmissionSyntax(univ.Sequence):
    componentType = namedtype.NamedTypes(
        namedtype.OptionalNamedType("admissionAuthority", rfc5280.GeneralName()),
        namedtype.NamedType("contentsOfAdmissions", ContentsOfAdmissions()),
    )


# Extensions pkilint's table does not decode, by OID.
EXTENSIONS: dict[str, Any] = {
    "1.3.6.1.5.5.7.1.24": Features(),                     # TLS Feature, RFC 7633 §4
    "2.16.840.1.113730.1.1": NetscapeCertType(),          # Netscape Cert Type
    "2.16.840.1.113730.1.13": char.IA5String(),           # Netscape Comment
    "1.3.6.1.5.5.7.1.11": rfc5280.SubjectInfoAccessSyntax(),  # RFC 5280 §4.2.2.2
    "2.5.29.54": rfc5280.InhibitAnyPolicy(),              # RFC 5280 §4.2.1.14
    "1.3.6.1.4.1.11129.2.4.3": Poison(),                  # RFC 6962 §3.1
    "2.5.29.46": rfc5280.FreshestCRL(),                   # RFC 5280 §4.2.1.15, 5.2.6
    "1.3.36.8.3.3": AdmissionSyntax(),                    # Common PKI / ISIS-MTT admissions
    "1.3.6.1.5.5.7.1.3": rfc3739.QCStatements(),          # RFC 3739 §3.2.6, ETSI EN 319 412-5
    "2.5.29.9": rfc5280.SubjectDirectoryAttributes(),     # RFC 5280 §4.2.1.8
}

# RSASSA-PSS-params defaults when a component is absent (RFC 4055 §3.1; RFC 8017 §A.2.3).
PSS_DEFAULTS: dict[str, str] = {
    "hashAlgorithm": "sha1",
    "maskGenAlgorithm": "mgf1 with sha1",
    "saltLength": "20",
    "trailerField": "1 (trailerFieldBC, 0xBC)",
}
_ = rfc4055  # the PSS parameter types come from here (schema.py maps them)
