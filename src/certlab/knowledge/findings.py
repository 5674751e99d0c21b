"""Finding texts and citations, keyed by finding code.

Our own checks (``certlab.findings``) and the chain verifier (``certlab.chain``)
take their severity, message template and citation from ``FINDINGS``; the
pkilint adapter adds a plain-language gloss from ``PKILINT_GLOSS`` where we
have one; ``VERIFIER_ERRORS`` maps the error strings of
``cryptography.x509.verification`` onto explanations, by regular expression.

Message templates use ``str.format`` fields that the check fills in.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["FindingText", "FINDINGS", "PKILINT_GLOSS", "VerifierError", "VERIFIER_ERRORS", "PKILINT_SEVERITY"]


class FindingText(NamedTuple):
    """How bad a finding is and what it says, keyed by finding code in ``FINDINGS``."""

    severity: str  # "info" | "warning" | "error"
    message: str  # a str.format template: why it matters and what to do
    citation: str


FINDINGS: dict[str, FindingText] = {
    "expired": FindingText(
        "error",
        "The certificate expired on {not_after} ({days} day(s) before {at}). Every client rejects an "
        "expired certificate; issue a new one (and automate renewal).",
        "RFC 5280 §4.1.2.5",
    ),
    "not-yet-valid": FindingText(
        "error",
        "The certificate only becomes valid on {not_before}, after {at}. Clients reject it until "
        "then; check the issuing clock or the notBefore you set.",
        "RFC 5280 §4.1.2.5",
    ),
    "self-signed": FindingText(
        "info",
        "The certificate is self-signed: issuer equals subject and {verifies}. Nobody trusts it unless they install it as a trust anchor, which is fine "
        "for local testing and for root CAs.",
        "RFC 5280 §3.2, §6.1",
    ),
    "bad-signature": FindingText(
        "error",
        "The signature does not verify with {whose} public key: the signed bytes were changed "
        "after signing, or a different key signed them. {what}",
        "{rfc}",
    ),
    "ca-certificate": FindingText(
        "info",
        "This is a CA certificate (Basic Constraints CA:TRUE{pathlen}): it may sign other "
        "certificates. Keep its private key offline and its validity long.",
        "RFC 5280 §4.2.1.9",
    ),
    "end-entity": FindingText(
        "info",
        "This is an end-entity (leaf) certificate: it identifies a server, client or person and "
        "must not sign other certificates.",
        "RFC 5280 §4.2.1.9",
    ),
    "validity-too-long": FindingText(
        "warning",
        "The validity period is {days} days, longer than the {limit} days the CA/Browser Forum "
        "allows for a TLS certificate issued on {not_before} (ballot SC-081 shortens it step by "
        "step: 398, 200, 100 and finally 47 days). Browsers reject publicly trusted certificates "
        "that live longer; private CAs are not bound but should follow.",
        "CA/B Forum BR §6.3.2 (ballot SC-081)",
    ),
    "weak-signature-hash": FindingText(
        "error",
        "The signature uses {hash}, which is broken: with a chosen-prefix collision an attacker "
        "makes two documents with the same {hash} hash (a harmless request and a CA certificate, "
        "as in the 2008 rogue-CA attack on MD5), has the first signed and moves the signature to "
        "the second. Browsers reject it; re-issue with SHA-256 or better.{detail}",
        "CA/B Forum BR §7.1.3.2; RFC 6151 §2 (MD5), RFC 9155 (SHA-1)",
    ),
    "weak-key": FindingText(
        "error",
        "The {algorithm} key has only {bits} bits; at least {minimum} are required, smaller keys "
        "can be factored. Generate a new key (RSA 2048+ or EC P-256).",
        "CA/B Forum BR §6.1.5; NIST SP 800-131A",
    ),
    "no-san": FindingText(
        "error",
        "There is no Subject Alternative Name extension{cn}. RFC 6125 (§6.4.4) still let a client "
        "fall back to the Common Name when a certificate had no DNS name; browsers dropped that "
        "fallback (Firefox 48 in 2016, Chrome 58 in 2017) and RFC 9525, which replaced RFC 6125 in "
        "2023, no longer allows it. So such a certificate matches no host name: put the names "
        "into a SAN.",
        "RFC 9525 §6; RFC 6125 §6.4.4; CA/B Forum BR §7.1.2.7.12",
    ),
    "cn-not-in-san": FindingText(
        "warning",
        "The Common Name {cn!r} is not one of the SAN entries. The CA/B Forum requires the CN (if "
        "present) to repeat a SAN value; add it to the SAN or drop the CN.",
        "CA/B Forum BR §7.1.4.3",
    ),
    "unknown-critical-extension": FindingText(
        "error",
        "The extension {oid} is marked critical, but it is not one that certlab (or cryptography) "
        "understands. RFC 5280 says a client must reject a certificate with a critical extension "
        "it cannot process; mark it non-critical or drop it.",
        "RFC 5280 §4.2",
    ),
    "bad-serial": FindingText(
        "error",
        "The serial number {serial} is {problem}. RFC 5280 requires a positive serial of at most "
        "20 octets; CAs use 64+ random bits to make it unpredictable.",
        "RFC 5280 §4.1.2.2; CA/B Forum BR §7.1",
    ),
    "pkilint-validator-failed": FindingText(
        "warning",
        "pkilint's check {validator} stopped on this node with an error of its own ({error}), so that "
        "check was not done here. The input is often unusual at this spot; the other findings still apply.",
        "pkilint",
    ),
    "pkilint-error": FindingText(
        "warning",
        "pkilint could not check this document ({error}). The other findings still apply.",
        "pkilint",
    ),
    # --- an object cryptography refuses (certlab.findings.refusal) ---
    "cryptography-refused": FindingText(
        "error",
        "cryptography refuses this {what}: {reason}. certlab names its ASN.1 tree from the structure "
        "alone; software built on cryptography (and most TLS stacks) will not accept it.",
        "{citation}",
    ),
    # --- chain verification (certlab.chain) ---
    "chain-ok": FindingText(
        "info",
        "A path of {length} certificate(s) was built from the leaf to a trusted root and every "
        "signature, validity period, name and extension checked out{host}.",
        "RFC 5280 §6.1; cryptography.x509.verification",
    ),
    "chain-no-roots": FindingText(
        "error",
        "No trusted root was given, so there is nothing to verify the chain against. Pass the root "
        "CA certificate (or, for a self-signed certificate, the certificate itself) as a root.",
        "RFC 5280 §6.1.1 (trust anchor input)",
    ),
    "chain-error": FindingText(
        "error",
        "The verifier rejected the chain: {detail}",
        "cryptography.x509.verification",
    ),
}

# pkilint severity name -> ours (FATAL and ERROR break a MUST; NOTICE/INFO/DEBUG are notes)
PKILINT_SEVERITY: dict[str, str] = {
    "FATAL": "error",
    "ERROR": "error",
    "WARNING": "warning",
    "NOTICE": "info",
    "INFO": "info",
    "DEBUG": "info",
}

# pkilint validator code -> our plain-language gloss (appended to pkilint's own message)
PKILINT_GLOSS: dict[str, str] = {
    "pkix.authority_key_identifier_extension_absent": (
        "The Authority Key Identifier extension is missing. It names the issuer's key so that "
        "clients can build the chain; RFC 5280 §4.2.1.1 requires it except in a self-signed "
        "certificate that distributes a CA's key (a root). cryptography's verifier, like the "
        "CA/B Forum profile for server certificates, requires it on the leaf, so a self-signed "
        "certificate used directly as a server's fails. Add "
        "AuthorityKeyIdentifier (for a self-signed certificate: from its own public key)."
    ),
    "pkix.certificate_skid_end_entity_missing": (
        "The Subject Key Identifier extension is missing. RFC 5280 §4.2.1.2 says it SHOULD be in "
        "every certificate; add SubjectKeyIdentifier.from_public_key(...)."
    ),
    "pkix.certificate_skid_ca_missing": (
        "A CA certificate must carry a Subject Key Identifier (RFC 5280 §4.2.1.2) so that the "
        "certificates it issues can point at it."
    ),
    "pkix.invalid_domain_name_syntax": (
        "This dNSName is not in the preferred name syntax RFC 5280 §4.2.1.6 asks for (RFC 1034 "
        "§3.5: labels of letters, digits and inner hyphens, joined by dots). Note how pkilint "
        "decides: it asks the 'validators' package's domain() check, which also wants at least "
        "two labels ending in a letter, so a single label such as 'localhost', which RFC 1034 "
        "allows, is flagged too. Fix the spelling; a public CA only issues names under a public "
        "suffix."
    ),
    "cabf.internal_domain_name": (
        "This name is not under a public top-level domain, so no public CA may issue it "
        "(CA/B Forum BR §7.1.2.7.12). Use it only with your own test CA."
    ),
    "pkix.subject_key_identifier_calculation_failed": (
        "The Subject Key Identifier does not match the usual hash of the public key."
    ),
    "pkix.ca_certificate_keycertsign_keyusage_missing": (
        "A CA certificate needs the keyCertSign key usage to sign certificates (RFC 5280 §4.2.1.3)."
    ),
    "pkix.certificate_serial_number_out_of_range": (
        "Serial numbers must be positive and at most 20 octets (RFC 5280 §4.1.2.2)."
    ),
    "pkix.certificate_version_is_not_v3": (
        "This certificate is not version 3 (encoded as 2). Only v3 certificates can carry "
        "extensions, and RFC 5280 §4.1.2.1 expects v3 whenever extensions such as SANs or key "
        "identifiers are needed, which today is always. v1 certificates come from the 1990s."
    ),
    "pkix.certificate_signature_algorithm_mismatch": (
        "The algorithm named inside the signed part (tbsCertificate.signature) and the one next "
        "to the signature (signatureAlgorithm) must be byte for byte the same (RFC 5280 §4.1.1.2); "
        "otherwise an attacker could claim a weaker algorithm than the one really used."
    ),
    "pkix.certificate_negative_validity_period": (
        "notAfter is before notBefore: there is no moment at which this certificate is valid "
        "(RFC 5280 §4.1.2.5)."
    ),
    "pkix.basic_constraints_extension_not_critical": (
        "In a CA certificate, Basic Constraints must be marked critical (RFC 5280 §4.2.1.9) so "
        "that a client that does not understand it refuses the certificate instead of ignoring "
        "the CA limits."
    ),
    "pkix.basic_constraints_has_pathlen_for_non_ca": (
        "A path length limit only means something for a CA: with cA=FALSE it must be absent "
        "(RFC 5280 §4.2.1.9)."
    ),
    "pkix.ca_certificate_keycertsign_keyusage_not_set": (
        "A CA certificate needs the keyCertSign key usage to sign certificates (RFC 5280 §4.2.1.3)."
    ),
    "pkix.ca_certificate_no_ku_extension": (
        "A CA certificate must have a Key Usage extension (RFC 5280 §4.2.1.3), with keyCertSign "
        "(and cRLSign if it signs revocation lists)."
    ),
    "pkix.ee_certificate_keycertsign_keyusage_set": (
        "keyCertSign is set, but this is not a CA (Basic Constraints cA is not TRUE): only CAs "
        "may sign certificates (RFC 5280 §4.2.1.3). Remove keyCertSign or make it a CA."
    ),
    "pkix.key_usage_extension_not_critical": (
        "RFC 5280 §4.2.1.3 says Key Usage SHOULD be critical, so that a client that does not "
        "understand it refuses the key for other uses."
    ),
    "pkix.key_usage_value_prohibited_for_ec": (
        "This key usage does not fit an elliptic-curve key: EC keys sign (digitalSignature) or "
        "agree on keys (keyAgreement), they do not encrypt (keyEncipherment, dataEncipherment) "
        "(RFC 8813 §3)."
    ),
    "pkix.key_usage_value_prohibited_for_rsa": (
        "This key usage does not fit an RSA key (RFC 4055 §1.2, RFC 3279 §2.3.1): keyAgreement, "
        "encipherOnly and decipherOnly belong to Diffie-Hellman keys."
    ),
    "pkix.key_usage_value_prohibited_for_edwards_curve": (
        "Ed25519 and Ed448 keys only sign: digitalSignature, nonRepudiation, keyCertSign and "
        "cRLSign are the only usages allowed (RFC 8410 §5)."
    ),
    "pkix.duplicate_extension": (
        "The same extension appears twice; RFC 5280 §4.2 allows each extension at most once."
    ),
    "pkix.dnsname_domain_name_too_long": (
        "A DNS name may be at most 255 octets on the wire (RFC 1035 §2.3.4), which leaves 253 "
        "characters in the dotted form a certificate holds; each label at most 63."
    ),
    "pkix.invalid_email_address_syntax": (
        "An rfc822Name must be a plain mailbox address, local-part@domain (RFC 5280 §4.2.1.6)."
    ),
    "pkix.invalid_uri_syntax": (
        "A uniformResourceIdentifier must be an absolute URI with a scheme and a host "
        "(RFC 5280 §4.2.1.6)."
    ),
    "pkix.issuer_unique_id_present": (
        "issuerUniqueID is a relic of X.509 v2; RFC 5280 §4.1.2.8 says CAs MUST NOT generate it."
    ),
    "pkix.authority_key_identifier_critical": (
        "The Authority Key Identifier must not be critical (RFC 5280 §4.2.1.1)."
    ),
    "pkix.certificate_skid_extension_critical": (
        "The Subject Key Identifier must not be critical (RFC 5280 §4.2.1.2)."
    ),
}


class VerifierError(NamedTuple):
    """One row of ``VERIFIER_ERRORS``: a verifier message pattern and its explanation."""

    pattern: re.Pattern[str]
    code: str
    explanation: str  # may use {oid} / {name} from the pattern's groups and {detail}
    path: str | None  # node path relative to the certificate concerned ("certificate" root)


VERIFIER_ERRORS: tuple[VerifierError, ...] = (
    VerifierError(
        re.compile(r"(?P<oid>2\.5\.29\.35)\D.*missing required extension", re.I | re.S),
        "chain-missing-aki",
        "The end-entity (leaf) certificate has no Authority Key Identifier (2.5.29.35). "
        "cryptography's verifier, like the CA/B Forum profile (BR §7.1.2.7.6), requires it on the "
        "leaf; CA certificates may omit it (a root without one, like ISRG Root X1, verifies: BR "
        "§7.1.2.1.2 only recommends it there). A self-signed certificate used as a server's own "
        "certificate is trust anchor and leaf at once, so the leaf rule applies. "
        "Fix: add AuthorityKeyIdentifier.from_issuer_public_key(issuer key) (for a "
        "self-signed certificate: its own key), SubjectKeyIdentifier.from_public_key(key) and a "
        "critical BasicConstraints (ca=False for a server certificate, ca=True plus keyCertSign "
        "in Key Usage for a CA).",
        "certificate.tbsCertificate.extensions",
    ),
    VerifierError(
        re.compile(r"(?P<oid>2\.5\.29\.19)\D.*missing required extension", re.I | re.S),
        "chain-missing-basic-constraints",
        "A CA certificate in the path has no Basic Constraints (2.5.29.19) extension, so the verifier "
        "cannot tell it may sign certificates. Fix: add BasicConstraints(ca=True, path_length=...) "
        "as a critical extension.",
        "certificate.tbsCertificate.extensions",
    ),
    VerifierError(
        re.compile(r"(?P<oid>[0-9.]+)\D.*missing required extension", re.I | re.S),
        "chain-missing-extension",
        "The certificate lacks the extension {oid}, which the verifier's policy requires.",
        "certificate.tbsCertificate.extensions",
    ),
    VerifierError(
        re.compile(r"leaf certificate has no matching subjectAltName|no matching subjectAltName", re.I),
        "chain-name-mismatch",
        "None of the certificate's Subject Alternative Names matches the server name you asked for. "
        "Browsers only compare against the SAN; add the name there.",
        "certificate.tbsCertificate.extensions",
    ),
    VerifierError(
        re.compile(r"cert is not valid at validation time|not valid at validation time|expired", re.I),
        "chain-expired",
        "A certificate in the path is outside its validity period at the verification time.",
        "certificate.tbsCertificate.validity",
    ),
    VerifierError(
        re.compile(r"candidates exhausted|no issuer|unable to find|issuer not found", re.I),
        "chain-no-path",
        "No path from this certificate to one of the trusted roots was found: the issuer "
        "certificate is missing, is not in the trust store, or its name / key identifier / "
        "signature does not match. Give the intermediates and the right root.",
        "certificate.tbsCertificate.issuer",
    ),
    VerifierError(
        re.compile(r"signature", re.I),
        "chain-bad-signature",
        "A signature in the path does not verify with the issuer's public key.",
        "certificate.signature",
    ),
    VerifierError(
        re.compile(r"cA must not be asserted in an EE certificate", re.I),
        "chain-ca-as-leaf",
        "The leaf (end-entity) certificate says CA:TRUE. The web profile forbids a CA certificate as "
        "a server certificate; issue the server certificate with BasicConstraints(ca=False) and keep "
        "CA:TRUE for the CA that signs it.",
        "certificate.tbsCertificate.extensions",
    ),
    VerifierError(
        re.compile(r"basicConstraints|not a CA|ca: false|path length", re.I),
        "chain-basic-constraints",
        "A certificate used as an issuer is not allowed to act as a CA (Basic Constraints), or the "
        "path is longer than its pathLenConstraint allows.",
        "certificate.tbsCertificate.extensions",
    ),
    VerifierError(
        re.compile(r"key ?usage|EKU|extended key usage", re.I),
        "chain-key-usage",
        "A Key Usage or Extended Key Usage does not allow this use (e.g. no serverAuth on a TLS "
        "leaf, or no keyCertSign on a CA).",
        "certificate.tbsCertificate.extensions",
    ),
    VerifierError(
        re.compile(r".*", re.S),
        "chain-error",
        "The verifier rejected the chain.",
        "certificate",
    ),
)
