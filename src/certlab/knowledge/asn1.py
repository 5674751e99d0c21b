"""Explanations of ASN.1 nodes, kept as data: the one place a node's meaning lives.

Three tables, most specific first: by *path suffix* (the field in its
context, digits of list items written ``*``), by *schema type* (the class
name in the RFC module), and by *universal type* (so every node, even one no
schema names, has an explanation).  Each row: (title, explanation, source).
A node whose meaning is chosen by an OID it holds (an ``Extension`` by its
``extnID``, a name's ``AttributeTypeAndValue`` and a CSR's ``Attribute`` by
their ``type``) is explained by that OID's row (:func:`explain_by_oid`).

The explorer explains every node from these (adding what the bytes show: the
OID it names, the string or time type it is encoded as); the field list
(:mod:`certlab.fields`) shows, for a field read from a node, that node's
explanation, so a field and its node say the same thing.  :func:`explain_path`
answers from a path alone, for a field whose node the tree does not have.
"""

from __future__ import annotations

from .algorithms import KEY_USAGE_BITS
from .fields import ATTRIBUTE_TEXT, EXTENSION_TEXT, UNKNOWN_EXTENSION
from .oids import oid_info

__all__ = ["BY_PATH", "BY_SCHEMA", "BY_UNIVERSAL", "OID_HOLDERS", "explain", "explain_by_oid", "explain_path"]

Row = tuple[str, str, str]

_CERT_VERSION: Row = ("version", "The X.509 version, counted from 0: the value 2 means v3, which a certificate with extensions must be.", "RFC 5280 §4.1.2.1")
_KEY_ALGORITHM: Row = ("algorithm", "The kind of key (RSA, elliptic curve, EdDSA ...): an OID and its parameters.", "RFC 5280 §4.1.2.7")

BY_UNIVERSAL: dict[str, Row] = {
    "EOC": ("end-of-contents", "Two zero bytes that close a value of indefinite length. BER allows this; DER forbids indefinite lengths.", "X.690 §8.1.5"),
    "BOOLEAN": ("BOOLEAN", "True or false in one byte. DER writes TRUE as 0xFF and FALSE as 0x00.", "X.690 §8.2, 11.1"),
    "INTEGER": ("INTEGER", "A whole number in two's complement, big-endian, in as few bytes as possible. A leading 00 byte keeps a large positive number from looking negative.", "X.690 §8.3"),
    "BIT STRING": ("BIT STRING", "A string of bits. The first content byte says how many bits of the last byte are unused padding.", "X.690 §8.6"),
    "OCTET STRING": ("OCTET STRING", "A string of bytes with no meaning to ASN.1 itself. X.509 often wraps a whole DER value inside one.", "X.690 §8.7"),
    "NULL": ("NULL", "A placeholder with no content: tag 05, length 00.", "X.690 §8.8"),
    "OBJECT IDENTIFIER": ("OBJECT IDENTIFIER", "A globally unique name made of numbers (an OID) such as 2.5.4.3. Each number is written in base 128 (seven bits per byte, the top bit set on all but the last byte); the first two numbers share one value, 40*X+Y.", "X.690 §8.19"),
    "ENUMERATED": ("ENUMERATED", "One of a fixed list of named numbers, encoded like an INTEGER.", "X.690 §8.4"),
    "UTF8String": ("UTF8String", "Text in UTF-8: any language. RFC 5280 lets CAs encode name attributes as PrintableString or UTF8String (UTF8String for anything PrintableString cannot hold); countryName, serialNumber and dnQualifier must be PrintableString, emailAddress and domainComponent IA5String.", "RFC 5280 §4.1.2.4"),
    "PrintableString": ("PrintableString", "Text restricted to A-Z a-z 0-9 space and ' ( ) + , - . / : = ?. No @, no & and no accents -- which is why UTF8String exists.", "X.680 §41.4"),
    "IA5String": ("IA5String", "7-bit ASCII text. Used for DNS names, email addresses and URIs in certificates.", "X.680 §41"),
    "T61String": ("TeletexString", "The teletex (ITU-T T.61) character set, kept only for old certificates. T.61 is not Latin-1, but certificates in practice put Latin-1 in it, so certlab shows the bytes as Latin-1.", "RFC 5280 §4.1.2.4; X.690 §8.23.5"),
    "GeneralString": ("GeneralString", "Any registered character set selected by ISO 2022 escapes; without escapes, as here usually, ASCII.", "X.690 §8.23.5"),
    "BMPString": ("BMPString", "Text in UCS-2, two bytes per character big-endian (decoded as UTF-16BE); legacy.", "X.680 §41"),
    "UniversalString": ("UniversalString", "Text in UCS-4, four bytes per character big-endian (decoded as UTF-32BE); legacy.", "X.680 §41"),
    "VisibleString": ("VisibleString", "Printable ASCII without control characters.", "X.680 §41"),
    "NumericString": ("NumericString", "Digits and space only.", "X.680 §41"),
    "UTCTime": ("UTCTime", "A time written YYMMDDHHMMSSZ. RFC 5280 uses it for dates through 2049 (YY >= 50 means 19YY).", "RFC 5280 §4.1.2.5.1"),
    "GeneralizedTime": ("GeneralizedTime", "A time written YYYYMMDDHHMMSSZ, with a four-digit year. Where a field may be UTCTime or GeneralizedTime (a certificate's validity, a CRL's dates), RFC 5280 uses it for dates in 2050 or later; OCSP (RFC 6960) and time-stamps (RFC 3161) use it for every date.", "RFC 5280 §4.1.2.5.2; RFC 6960 §4.2.1; RFC 3161 §2.4.2"),
    "SEQUENCE": ("SEQUENCE", "An ordered list of fields, like a struct. Its content is the encodings of its fields one after another.", "X.690 §8.9"),
    "SET": ("SET", "An unordered collection. DER sorts the elements of a SET OF by their encodings.", "X.690 §8.11, 11.6"),
    "context": ("context-specific tag", "A tag like [0] that only means something inside its enclosing SEQUENCE: the schema says which field it is.", "X.680 §31"),
    "application": ("application tag", "A tag defined by an application.", "X.680 §31"),
    "private": ("private tag", "A tag defined privately.", "X.680 §31"),
    "other": ("value", "A universal type certlab does not describe in detail.", "X.680"),
}

BY_SCHEMA: dict[str, Row] = {
    "Certificate": ("Certificate", "A certificate: the signed part (tbsCertificate), the algorithm the issuer signed with, and the signature.", "RFC 5280 §4.1"),
    "TBSCertificate": ("To-be-signed certificate", "Everything the issuer signs: version, serial number, issuer, validity, subject, public key and extensions.", "RFC 5280 §4.1.1.1"),
    "Version": _CERT_VERSION,
    "CertificateSerialNumber": ("serialNumber", "A number the issuer gives each certificate; unique per issuer, positive, at most 20 bytes, and today random (64+ bits).", "RFC 5280 §4.1.2.2"),
    "AlgorithmIdentifier": ("AlgorithmIdentifier", "An algorithm OID and its optional parameters.", "RFC 5280 §4.1.1.2"),
    "Name": ("Name", "A distinguished name: a sequence of relative distinguished names (RDNs), each a set of attribute type/value pairs, such as C=US, O=Example, CN=example.com.", "RFC 5280 §4.1.2.4"),
    "RDNSequence": ("RDNSequence", "The list of RDNs of a name, from the most general (country) to the most specific (common name).", "RFC 5280 §4.1.2.4"),
    "RelativeDistinguishedName": ("RDN", "One component of a name: a SET of attribute type/value pairs, almost always one.", "RFC 5280 §4.1.2.4"),
    "AttributeTypeAndValue": ("attribute", "One name attribute: an OID saying what it is (e.g. commonName) and its value.", "RFC 5280 §4.1.2.4"),
    "DirectoryString": ("DirectoryString", "Text in one of several string types; new certificates use UTF8String or PrintableString.", "RFC 5280 §4.1.2.4"),
    "Validity": ("validity", "The period during which the issuer vouches for the certificate: notBefore to notAfter, both inclusive.", "RFC 5280 §4.1.2.5"),
    "SubjectPublicKeyInfo": ("SubjectPublicKeyInfo", "The subject's public key and its algorithm.", "RFC 5280 §4.1.2.7"),
    "Extensions": ("extensions", "The list of v3 extensions.", "RFC 5280 §4.1.2.9"),
    "Extension": ("extension", "One extension: its OID, whether it is critical, and its value -- DER wrapped in an OCTET STRING.", "RFC 5280 §4.2"),
    "SubjectAltName": ("subjectAltName", "The names the certificate is valid for.", "RFC 5280 §4.2.1.6"),
    "GeneralNames": ("GeneralNames", "A list of names of different forms.", "RFC 5280 §4.2.1.6"),
    "BasicConstraints": ("basicConstraints", "cA says if the subject may issue certificates; pathLenConstraint limits the chain below it.", "RFC 5280 §4.2.1.9"),
    "KeyUsage": ("keyUsage", "Named bits: " + ", ".join(f"{b.asn1_name}({b.bit})" for b in KEY_USAGE_BITS) + ".", "RFC 5280 §4.2.1.3"),
    "ExtKeyUsageSyntax": ("extKeyUsage", "The list of purposes (OIDs) the certificate may be used for.", "RFC 5280 §4.2.1.12"),
    "KeyPurposeId": ("KeyPurposeId", "One purpose, such as serverAuth.", "RFC 5280 §4.2.1.12"),
    "AuthorityKeyIdentifier": ("authorityKeyIdentifier", "Identifies the issuer's public key.", "RFC 5280 §4.2.1.1"),
    "SubjectKeyIdentifier": ("subjectKeyIdentifier", "Identifies this certificate's public key.", "RFC 5280 §4.2.1.2"),
    "KeyIdentifier": ("KeyIdentifier", "Bytes that identify a key, usually a SHA-1 hash of the public key.", "RFC 5280 §4.2.1.2"),
    "AuthorityInfoAccessSyntax": ("authorityInfoAccess", "Where to find the issuer's certificate and OCSP service.", "RFC 5280 §4.2.2.1"),
    "AccessDescription": ("AccessDescription", "One access method (OID) and where (a name, usually a URI).", "RFC 5280 §4.2.2.1"),
    "CRLDistributionPoints": ("cRLDistributionPoints", "Where the CRL can be downloaded.", "RFC 5280 §4.2.1.13"),
    "DistributionPoint": ("DistributionPoint", "One place to get a CRL.", "RFC 5280 §4.2.1.13"),
    "CertificatePolicies": ("certificatePolicies", "Policies under which the certificate was issued.", "RFC 5280 §4.2.1.4"),
    "PolicyInformation": ("PolicyInformation", "One policy OID and optional qualifiers.", "RFC 5280 §4.2.1.4"),
    "CertPolicyId": ("CertPolicyId", "The OID of a policy.", "RFC 5280 §4.2.1.4"),
    "PolicyQualifierInfo": ("PolicyQualifierInfo", "A qualifier: a CPS pointer or a user notice.", "RFC 5280 §4.2.1.4"),
    "CPSuri": ("CPS URI", "Link to the Certification Practice Statement.", "RFC 5280 §4.2.1.4"),
    "SignedCertificateTimestampList": ("SCT list", "Certificate Transparency timestamps in the TLS encoding (not DER) wrapped in an OCTET STRING.", "RFC 6962 §3.3"),
    "NameConstraints": ("nameConstraints", "Permitted and excluded name subtrees.", "RFC 5280 §4.2.1.10"),
    "RSAPublicKey": ("RSAPublicKey", "An RSA public key: the modulus n and the public exponent e.", "RFC 8017 §A.1.1"),
    "RSAPrivateKey": ("RSAPrivateKey", "An RSA private key with the CRT values that speed up signing. Secret!", "RFC 8017 §A.1.2"),
    "ECParameters": ("ECParameters", "Which elliptic curve: a named curve OID (the only form RFC 5480 allows in certificates), or explicit parameters (specifiedCurve).", "RFC 5480 §2.1.1"),
    "SpecifiedECDomain": ("specifiedCurve", "Explicit curve parameters: the field, the coefficients a and b, the base point, its order and cofactor, written out instead of a curve's name. RFC 5480 forbids them in certificates; CVE-2020-0601 (CurveBall) used them to pass a forged key off as a named curve's.", "RFC 5480 §2.1.1; RFC 3279 §2.3.5; SEC 1 C.2"),
    "FieldID": ("fieldID", "The field the curve is defined over: a prime field (parameters = the prime p) or a binary field.", "RFC 3279 §2.3.5"),
    "Prime_p": ("prime p", "The prime of the curve's field: every coordinate is a number modulo p.", "RFC 3279 §2.3.5"),
    "Curve": ("curve", "The curve equation's coefficients a and b (y^2 = x^3 + ax + b), and the seed they may have been derived from.", "RFC 3279 §2.3.5"),
    "FieldElement": ("field element", "A number modulo p written as a fixed-length octet string.", "RFC 3279 §2.3.5"),
    "ECPoint": ("ECPoint", "A curve point: 04 then x and y (uncompressed), or 02/03 then x (compressed).", "RFC 5480 §2.2; SEC 1 2.3.3"),
    "ECPVer": ("version", "Version 1 of the explicit parameters.", "RFC 3279 §2.3.5"),
    "Features": ("TLS Feature", "TLS extensions the server must use with this certificate; 5 (status_request) is 'OCSP must-staple'.", "RFC 7633 §4.1"),
    "TLSFeature": ("TLS feature", "A TLS extension number (5 = status_request: the server must staple an OCSP response).", "RFC 7633 §4.1; RFC 6066 §8"),
    "NetscapeCertType": ("Netscape Cert Type", "Netscape's old purpose bits: sslClient(0), sslServer(1), smime(2), objectSigning(3), reserved(4), sslCA(5), smimeCA(6), objectSigningCA(7). Superseded by extKeyUsage.", "Netscape Certificate Extensions (2.16.840.1.113730.1.1)"),
    "SubjectInfoAccessSyntax": ("subjectInfoAccess", "Where to find services of the subject itself, e.g. the CA repository of a CA or a time-stamping service.", "RFC 5280 §4.2.2.2"),
    "InhibitAnyPolicy": ("inhibitAnyPolicy", "After this many more certificates in the path, anyPolicy no longer matches every policy.", "RFC 5280 §4.2.1.14"),
    "Poison": ("precertificate poison", "A critical NULL that makes this a Certificate Transparency precertificate: no client accepts it, it exists only to be logged.", "RFC 6962 §3.1"),
    "FreshestCRL": ("freshestCRL", "Where to get delta CRLs: the changes since the last full CRL.", "RFC 5280 §4.2.1.15"),
    "AdmissionSyntax": ("admission", "Professional admissions of the subject (e.g. a lawyer's or a doctor's), who granted them and registration numbers.", "Common PKI v2.0 part 1, 1.3.36.8.3.3"),
    "QCStatements": ("qcStatements", "Statements that make this a qualified certificate (EU eIDAS): compliance, type (e-signature, e-seal, web), the secure device, disclosure statements.", "RFC 3739 §3.2.6; ETSI EN 319 412-5 4"),
    "QCStatement": ("QCStatement", "One statement: an OID and, for some, information.", "RFC 3739 §3.2.6"),
    "MonetaryValue": ("QcEuLimitValue", "The transaction value limit: amount x 10^exponent in the currency.", "ETSI EN 319 412-5 4.3.2"),
    "QcEuPDS": ("QcEuPDS", "Where the PKI disclosure statements are, one URL per language.", "ETSI EN 319 412-5 4.3.4"),
    "QcType": ("QcType", "What the qualified certificate is for: esign, eseal or web.", "ETSI EN 319 412-5 4.2.3"),
    "SemanticsInformation": ("SemanticsInformation", "How to read the subject's name (e.g. a natural person's identifier scheme).", "RFC 3739 §3.2.6.1"),
    "ReasonFlags": ("ReasonFlags", "Named bits of revocation reasons: unused(0), keyCompromise(1), cACompromise(2), affiliationChanged(3), superseded(4), cessationOfOperation(5), certificateHold(6), privilegeWithdrawn(7), aACompromise(8).", "RFC 5280 §4.2.1.13"),
    "CRLReason": ("reasonCode", "Why the certificate was revoked.", "RFC 5280 §5.3.1"),
    "PolicyMappings": ("policyMappings", "Pairs of an issuer-domain policy and the subject-domain policy it is treated as.", "RFC 5280 §4.2.1.5"),
    "PolicyConstraints": ("policyConstraints", "requireExplicitPolicy / inhibitPolicyMapping: after how many certificates a policy is required or mapping stops.", "RFC 5280 §4.2.1.11"),
    "PrivateKeyUsagePeriod": ("privateKeyUsagePeriod", "When the private key may be used (obsolete: RFC 5280 recommends against it).", "RFC 5280 §4.2.1 (RFC 3280 §4.2.1.4)"),
    "IssuingDistributionPoint": ("issuingDistributionPoint", "Which certificates this CRL covers (only users, only CAs, some reasons) and where it is published.", "RFC 5280 §5.2.5"),
    "UserNotice": ("UserNotice", "Text to show the relying party: a notice reference and/or explicit text.", "RFC 5280 §4.2.1.4"),
    "GeneralSubtree": ("GeneralSubtree", "One permitted or excluded name (an IP subtree is an address and a mask).", "RFC 5280 §4.2.1.10"),

    "ECDSA_Sig_Value": ("ECDSA-Sig-Value", "An ECDSA signature: the two numbers r and s.", "RFC 5480 §2.2, RFC 3279 §2.2.3"),
    "DSA_Sig_Value": ("Dss-Sig-Value", "A DSA signature: r and s.", "RFC 3279 §2.2.2"),
    "CertificationRequest": ("CertificationRequest", "A certificate signing request (CSR): the request info, the algorithm, and a signature made with the requester's own private key, proving possession.", "RFC 2986 §4.2"),
    "CertificationRequestInfo": ("CertificationRequestInfo", "The signed part of a CSR: version 0, the subject name, the public key and attributes.", "RFC 2986 §4.1"),
    "Attributes": ("attributes", "Extra information for the CA, such as requested extensions.", "RFC 2986 §4.1"),
    "Attribute": ("Attribute", "An attribute type (OID) and a set of values.", "RFC 2986 §4.1"),
    "ExtensionRequest": ("extensionRequest", "The extensions the requester would like in the certificate.", "RFC 2985 §5.4.2"),
    "CertificateList": ("CertificateList", "A certificate revocation list (CRL), signed by the issuer.", "RFC 5280 §5.1"),
    "TBSCertList": ("TBSCertList", "The signed part of a CRL.", "RFC 5280 §5.1.2"),
    "OneAsymmetricKey": ("PrivateKeyInfo", "A private key in PKCS #8 / RFC 5958 form: version, algorithm and the key bytes. Secret!", "RFC 5958 §2"),
    "PrivateKeyInfo": ("PrivateKeyInfo", "A private key in PKCS #8 form. Secret!", "RFC 5208 §5"),
    "EncryptedPrivateKeyInfo": ("EncryptedPrivateKeyInfo", "A PKCS #8 private key encrypted with a passphrase.", "RFC 5958 §3"),
    "PBES2_params": ("PBES2-params", "How the passphrase becomes a key (keyDerivationFunc) and which cipher encrypts (encryptionScheme).", "RFC 8018 §A.4"),
    "PBKDF2_params": ("PBKDF2-params", "Salt, iteration count and PRF of the key derivation.", "RFC 8018 §A.2"),
    "AES_IV": ("AES IV", "The 16-byte initialisation vector of AES-CBC.", "RFC 3565 §4.1"),
    "ECPrivateKey": ("ECPrivateKey", "An elliptic-curve private key (SEC 1): version 1, the secret scalar, the curve, the public point. Secret!", "RFC 5915 §3"),
    "CurvePrivateKey": ("CurvePrivateKey", "The raw private key bytes. For Ed25519 (32 bytes) and Ed448 (57 bytes): the random seed the signing scalar and a nonce key are hashed from, so the whole secret. For X25519 (32 bytes) and X448 (56 bytes): the scalar itself, used directly (after clamping a few bits) to multiply the base point. Secret!", "RFC 8410 §7; RFC 8032 §5.1.5, 5.2.5; RFC 7748 §5"),
    **{f"ML_DSA_{n}_PrivateKey": (f"ML-DSA-{n}-PrivateKey", "An ML-DSA private key: the 32-byte seed [0] it is expanded from, the expanded key, or both. Secret!", "RFC 9881 §6") for n in (44, 65, 87)},
    "DSAPrivateKey": ("DSAPrivateKey", "OpenSSL's DSA private key: version 0, the domain parameters p, q, g, the public y and the secret x.", "FIPS 186-4 4.1"),
    "UniqueIdentifier": ("UniqueIdentifier", "Obsolete unique identifiers.", "RFC 5280 §4.1.2.8"),
    "Time": ("Time", "UTCTime through 2049, GeneralizedTime from 2050.", "RFC 5280 §4.1.2.5"),
    "RSASSA_PSS_params": ("RSASSA-PSS-params", "Hash, mask function, salt length of PSS.", "RFC 4055 §3.1"),
}

# Keys: the last segments of a path, list indexes as "*", without the root -- or a
# whole path with its root (checked first) where the root changes the meaning:
# a CSR's signature is the requester's, a certificate's the issuer's.
BY_PATH: dict[str, Row] = {
    "certificationRequest.signatureAlgorithm": ("signatureAlgorithm", "The algorithm the requester signed the request with, using the private key of the public key inside (a CSR has no issuer yet).", "RFC 2986 §4.2"),
    "certificationRequest.signature": ("signature", "The requester's own signature over the DER of certificationRequestInfo, made with the private key that matches the public key in the request: proof of possession.", "RFC 2986 §3, 4.2"),
    "certificateList.signatureAlgorithm": ("signatureAlgorithm", "The algorithm the CA signed this revocation list with.", "RFC 5280 §5.1.1.2"),
    "certificateList.signature": ("signatureValue", "The CA's signature over the DER of tbsCertList, in a BIT STRING.", "RFC 5280 §5.1.1.3"),
    "tbsCertificate.version": _CERT_VERSION,
    "tbsCertificate.serialNumber": ("serialNumber", "A number the issuer gives this certificate, unique per issuer (a CRL names a revoked certificate by it): positive, at most 20 bytes, and at least 64 random bits.", "RFC 5280 §4.1.2.2; CA/B Forum BR §7.1"),
    "tbsCertificate.issuer": ("issuer", "The name of the CA that signed this certificate; in a self-signed one it equals the subject.", "RFC 5280 §4.1.2.4"),
    "tbsCertificate.subject": ("subject", "The distinguished name of whoever the certificate is about. For web sites the names that count are in subjectAltName, not in the CN.", "RFC 5280 §4.1.2.6"),
    "certificationRequestInfo.subject": ("subject", "The name the requester asks for. The CA decides what actually goes into the certificate.", "RFC 2986 §4.1"),
    "tbsCertList.issuer": ("issuer", "The name of the CA that signed this revocation list.", "RFC 5280 §5.1.2.3"),
    "tbsCertList.revokedCertificates.*": ("revoked certificate", "One revoked certificate: its serial number, when it was revoked, and optional entry extensions (such as the reason).", "RFC 5280 §5.1.2.6"),
    "issuerUniqueID": ("issuerUniqueID", "An obsolete field from X.509 v2; RFC 5280 says CAs must not generate it.", "RFC 5280 §4.1.2.8"),
    "subjectUniqueID": ("subjectUniqueID", "An obsolete field from X.509 v2; RFC 5280 says CAs must not generate it.", "RFC 5280 §4.1.2.8"),
    "certificate.signatureAlgorithm": ("signatureAlgorithm", "The algorithm (hash and key type) the issuer signed the certificate with.", "RFC 5280 §4.1.1.2"),
    "certificate.signature": ("signatureValue", "The issuer's signature over the DER of tbsCertificate, in a BIT STRING: with the issuer's public key anyone can check that not one byte changed.", "RFC 5280 §4.1.1.3"),
    "subjectPublicKeyInfo.algorithm": _KEY_ALGORITHM,
    "subjectPKInfo.algorithm": _KEY_ALGORITHM,
    "parameters.dss_Parms": ("Dss-Parms", "The group (p, q, g) the DSA key belongs to. The CA/B Forum no longer allows DSA keys in TLS certificates.", "RFC 3279 §2.3.2; CA/B Forum BR §6.1.5"),
    "tbsCertList.version": ("version", "The CRL format version: 1 means v2 (needed for extensions); absent means v1.", "RFC 5280 §5.1.2.1"),
    "certificationRequestInfo.version": ("version", "PKCS #10 has one version, encoded as 0.", "RFC 2986 §4.1"),
    "privateKeyInfo.version": ("version", "0 (v1): PrivateKeyInfo as in PKCS #8; 1 (v2) when the optional public key is included (OneAsymmetricKey).", "RFC 5958 §2"),
    "rsaPrivateKey.version": ("version", "0 for an ordinary two-prime RSA key, 1 when more primes follow (otherPrimeInfos).", "RFC 8017 §A.1.2"),
    "rSAPrivateKey.version": ("version", "0 for an ordinary two-prime RSA key, 1 when more primes follow (otherPrimeInfos).", "RFC 8017 §A.1.2"),
    "ecPrivateKey.version": ("version", "Always 1 (ecPrivkeyVer1): the only version of this structure.", "RFC 5915 §3"),
    "eCPrivateKey.version": ("version", "Always 1 (ecPrivkeyVer1): the only version of this structure.", "RFC 5915 §3"),
    "dsaPrivateKey.version": ("version", "Always 0 in OpenSSL's DSA private key format.", "OpenSSL DSAPrivateKey"),
    "ecPrivateKey.privateKey": ("privateKey", "The secret scalar d itself, as an unsigned big-endian number of the curve's byte length (32 bytes for P-256) in an OCTET STRING: raw bytes, not DER. Secret!", "RFC 5915 §3"),
    "eCPrivateKey.privateKey": ("privateKey", "The secret scalar d itself, as an unsigned big-endian number of the curve's byte length (32 bytes for P-256) in an OCTET STRING: raw bytes, not DER. Secret!", "RFC 5915 §3"),
    "prime1": ("prime1 (p)", "The first secret prime factor of n. Secret!", "RFC 8017 §A.1.2"),
    "prime2": ("prime2 (q)", "The second secret prime factor of n. Secret!", "RFC 8017 §A.1.2"),
    "exponent1": ("exponent1 (dP)", "d mod (p-1), precomputed for the Chinese remainder theorem. Secret!", "RFC 8017 §A.1.2"),
    "exponent2": ("exponent2 (dQ)", "d mod (q-1), precomputed for the Chinese remainder theorem. Secret!", "RFC 8017 §A.1.2"),
    "coefficient": ("coefficient (qInv)", "The inverse of q mod p, precomputed for the Chinese remainder theorem. Secret!", "RFC 8017 §A.1.2"),
    "tbsCertificate.signature": ("signature (algorithm)", "The issuer's signature algorithm, repeated inside the signed part so nobody can swap it; it must equal signatureAlgorithm.", "RFC 5280 §4.1.2.3"),
    "signatureAlgorithm": ("signatureAlgorithm", "The algorithm the issuer signed with.", "RFC 5280 §4.1.1.2"),
    "signature": ("signatureValue", "The issuer's digital signature over the DER of the signed part, in a BIT STRING.", "RFC 5280 §4.1.1.3"),
    "issuer": ("issuer", "The name of the CA that signed. In a self-signed certificate it equals the subject.", "RFC 5280 §4.1.2.4"),
    "subject": ("subject", "The name of the entity the certificate (or request) is about.", "RFC 5280 §4.1.2.6"),
    "validity.notBefore": ("notBefore", "The first moment the certificate is valid (inclusive).", "RFC 5280 §4.1.2.5"),
    "validity.notAfter": ("notAfter", "The last moment the certificate is valid (inclusive); after it, clients reject the certificate.", "RFC 5280 §4.1.2.5"),
    "algorithm.algorithm": ("algorithm", "The OID of the key algorithm.", "RFC 5280 §4.1.2.7"),
    "algorithm": ("algorithm", "The OID naming the algorithm.", "RFC 5280 §4.1.1.2"),
    "parameters": ("parameters", "Parameters of the algorithm, whose type depends on the algorithm OID.", "RFC 5280 §4.1.1.2"),
    "subjectPublicKey": ("subjectPublicKey", "The public key: for RSA the DER of an RSAPublicKey (n and e), for elliptic curves the point Q = d·G, for Ed25519 and its kin the raw key bytes.", "RFC 5280 §4.1.2.7"),
    "extnID": ("extnID", "The OID saying which extension this is.", "RFC 5280 §4.2"),
    "critical": ("critical", "If TRUE, a client that does not understand this extension must reject the certificate. Absent means FALSE (DER omits defaults).", "RFC 5280 §4.2"),
    "extnValue": ("extnValue", "The extension's own DER value, wrapped in an OCTET STRING.", "RFC 5280 §4.2"),
    "type": ("type", "The OID saying which attribute this is.", "RFC 5280 §4.1.2.4"),
    "value": ("value", "The attribute value; its type depends on the attribute type OID.", "RFC 5280 §4.1.2.4"),
    "modulus": ("modulus (n)", "The public RSA modulus, the product of two secret primes; its size in bits is the key size.", "RFC 8017 §A.1.1"),
    "publicExponent": ("publicExponent (e)", "The public RSA exponent, almost always 65537.", "RFC 8017 §A.1.1"),
    "privateExponent": ("privateExponent (d)", "The secret RSA exponent, the one that undoes e. Secret!", "RFC 8017 §A.1.2"),
    "r": ("r", "First half of the signature.", "RFC 3279 §2.2.3"),
    "s": ("s", "Second half of the signature.", "RFC 3279 §2.2.3"),
    "cA": ("cA", "TRUE if the subject is a CA.", "RFC 5280 §4.2.1.9"),
    "pathLenConstraint": ("pathLenConstraint", "How many intermediate CAs may follow.", "RFC 5280 §4.2.1.9"),
    "keyIdentifier": ("keyIdentifier", "The issuer's key identifier.", "RFC 5280 §4.2.1.1"),
    "accessMethod": ("accessMethod", "What kind of access: caIssuers or ocsp.", "RFC 5280 §4.2.2.1"),
    "accessLocation": ("accessLocation", "Where, usually a URI.", "RFC 5280 §4.2.2.1"),
    "dNSName": ("dNSName", "A DNS host name in IA5String (IDNs in punycode).", "RFC 5280 §4.2.1.6"),
    "iPAddress": ("iPAddress", "An IP address: 4 bytes (IPv4) or 16 (IPv6).", "RFC 5280 §4.2.1.6"),
    "rfc822Name": ("rfc822Name", "An email address.", "RFC 5280 §4.2.1.6"),
    "uniformResourceIdentifier": ("URI", "A URI.", "RFC 5280 §4.2.1.6"),
    "directoryName": ("directoryName", "A distinguished name used as a general name.", "RFC 5280 §4.2.1.6"),
    "version": ("version", "The format version of this structure; each standard numbers its own versions.", "X.680"),
    "attributes": ("attributes", "CSR attributes (the [0] IMPLICIT SET).", "RFC 2986 §4.1"),
    "values": ("values", "The attribute's values.", "RFC 2986 §4.1"),
    "privateKeyAlgorithm": ("privateKeyAlgorithm", "The algorithm of the private key.", "RFC 5958 §2"),
    "privateKey": ("privateKey", "The algorithm's own private key structure (DER for RSA and EC, the raw key bytes in a CurvePrivateKey for Ed25519/X25519 ...) wrapped in an OCTET STRING. Secret!", "RFC 5958 §2"),
    "encryptionAlgorithm": ("encryptionAlgorithm", "How the key was encrypted (usually PBES2).", "RFC 5958 §3"),
    "encryptedData": ("encryptedData", "The encrypted private key: ciphertext, so it is shown -- without the passphrase it reveals nothing but its length.", "RFC 5958 §3"),
    "salt": ("salt", "Random bytes mixed with the passphrase so equal passphrases give different keys.", "RFC 8018 §4.1"),
    "iterationCount": ("iterationCount", "How many times the PRF runs; more slows down guessing.", "RFC 8018 §4.2"),
    # OCSP reuses the CRL's field names with other meanings (RFC 6960 §2.4, §4.2.1)
    "responses.*.thisUpdate": ("thisUpdate", "The most recent time at which the responder knew this status to be correct.", "RFC 6960 §2.4"),
    "responses.*.nextUpdate": ("nextUpdate", "The time at or before which newer status will be available; absent means newer status may be there at any time.", "RFC 6960 §2.4"),
    "tbsResponseData.producedAt": ("producedAt", "When the responder signed this response.", "RFC 6960 §2.4"),
    "basicOCSPResponse.signatureAlgorithm": ("signatureAlgorithm", "The algorithm the responder signed this response with.", "RFC 6960 §4.2.1"),
    "basicOCSPResponse.signature": ("signature", "The responder's signature over the DER of tbsResponseData. The responder is the CA that issued the certificate, or a responder the CA named by a certificate with the OCSPSigning EKU.", "RFC 6960 §4.2.1, §4.2.2.2"),
    "responderID.byKey": ("byKey", "The SHA-1 hash of the responder's public key (the BIT STRING's value, without tag and length): who signed.", "RFC 6960 §4.2.1"),
    "responderID.byName": ("byName", "The responder's name: who signed.", "RFC 6960 §4.2.1"),
    "revoked.revocationTime": ("revocationTime", "When the certificate was revoked.", "RFC 6960 §4.2.1"),
    "thisUpdate": ("thisUpdate", "When this CRL was issued.", "RFC 5280 §5.1.2.4"),
    "nextUpdate": ("nextUpdate", "When the next CRL will be issued at the latest (it may come sooner); once this time has passed, a client should fetch a newer list.", "RFC 5280 §5.1.2.5, §6.3.3"),
    "revokedCertificates": ("revokedCertificates", "The revoked serial numbers and when.", "RFC 5280 §5.1.2.6"),
    "userCertificate": ("userCertificate", "Serial number of a revoked certificate.", "RFC 5280 §5.1.2.6"),
    "revocationDate": ("revocationDate", "When it was revoked.", "RFC 5280 §5.1.2.6"),
    "namedCurve": ("namedCurve", "The OID of the curve.", "RFC 5480 §2.1.1.1"),
    "p": ("p", "The DSA prime modulus: a public domain parameter.", "RFC 3279 §2.3.2"),
    "q": ("q", "The DSA prime divisor of p-1 (160, 224 or 256 bits, paired with a 1024-, 2048- or 3072-bit p): a public domain parameter.", "FIPS 186-4 4.2; RFC 3279 §2.3.2"),
    "g": ("g", "The DSA generator: a public domain parameter.", "RFC 3279 §2.3.2"),
    "y": ("y", "The DSA public key, g^x mod p.", "RFC 3279 §2.3.2"),
    "x": ("x", "The DSA private key, a random number below q. Secret!", "FIPS 186-4 4.1"),
}


def explain(path: str, schema_name: str | None, name: str | None, universal: str | None,
            tag_class: str, aliases: tuple[str, ...] = ()) -> Row:
    """The most specific row for a node; always returns one.

    ``aliases`` are the node's shallower paths (a CHOICE or an open type adds
    a segment without adding bytes): ``validity.notAfter`` explains
    ``validity.notAfter.utcTime`` better than ``utcTime`` does.
    """
    for p in (path, *reversed(aliases)):
        whole = [("*" if s.isdigit() else s) for s in p.split(".")]
        row = BY_PATH.get(".".join(whole))  # rows keyed with their root come first
        if row is not None:
            return row
        segs = whole[1:]
        for k in range(min(len(segs), 3), 0, -1):
            row = BY_PATH.get(".".join(segs[-k:]))
            if row is not None:
                return row
    if name and name in BY_PATH:
        return BY_PATH[name]
    if schema_name and schema_name in BY_SCHEMA:
        return BY_SCHEMA[schema_name]
    if universal is not None:
        return BY_UNIVERSAL.get(universal, BY_UNIVERSAL["other"])
    return BY_UNIVERSAL.get(tag_class, BY_UNIVERSAL["other"])


def explain_path(path: str) -> Row:
    """The row of a node known only by its path (no schema type, no encoding):
    ``explain_path("certificate.tbsCertificate.validity.notAfter")``."""
    return explain(path, None, path.rsplit(".", 1)[-1], None, "universal")


#: schema types a component's OID explains, and that component's name
OID_HOLDERS: dict[str, str] = {"Extension": "extnID", "Attribute": "type", "AttributeTypeAndValue": "type"}


def explain_by_oid(schema_name: str, dotted: str) -> Row | None:
    """The row of a node of ``schema_name`` (a key of :data:`OID_HOLDERS`) whose
    OID component is ``dotted``; None where the OID says nothing more than the type."""
    info = oid_info(dotted)
    if schema_name == "Extension":
        text = EXTENSION_TEXT.get(dotted)
        if text is not None:
            return (text.name, text.explanation, text.rfc or "")
        if info is not None and info.explanation:
            return (info.name, info.explanation, info.source)
        name = info.name if info is not None else dotted
        return (f"extension {name}", UNKNOWN_EXTENSION.explanation, UNKNOWN_EXTENSION.rfc or "")
    if schema_name == "Attribute":
        text = ATTRIBUTE_TEXT.get(dotted)
        if text is not None:
            return (text.name, text.explanation, text.rfc or "")
    if info is not None and info.explanation:
        # a name attribute (or another attribute) the registry explains
        return (info.name, info.explanation, info.source)
    return None
