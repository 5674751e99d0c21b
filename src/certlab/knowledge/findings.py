"""Finding texts and citations, keyed by finding code.

Our own checks (``certlab.findings``) and the chain verifier (``certlab.chain``)
take their severity, message template and citation from ``FINDINGS``; the
pkilint adapter adds a plain-language gloss from ``PKILINT_GLOSS`` where we
have one; ``VERIFIER_ERRORS`` maps the error strings of
``cryptography.x509.verification`` onto explanations, by fixed phrases (linear time).

Message templates use ``str.format`` fields that the check fills in.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["FindingText", "FINDINGS", "PKILINT_GLOSS", "VerifierError", "VERIFIER_ERRORS", "VERIFIER_UNKNOWN",
           "PKILINT_SEVERITY"]


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
    "wildcard-san": FindingText(
        "info",
        "{name!r} is a wildcard name, and a valid SAN entry: the '*' stands for exactly one whole "
        "label in the left-most place. It covers {example} and any other single label before "
        ".{base}, but neither {deeper} (two labels) nor {base} itself{bare}. A public CA issues it "
        "only after validating {base} for it, and never directly under a public suffix such as "
        "*.co.uk (BR §3.2.2.6). pkilint's RFC 5280 profile calls it an invalid DNS name because "
        "its syntax check (the 'validators' package) does not know wildcards; its CA/B Forum "
        "profile accepts it, so certlab leaves that finding out.",
        "RFC 6125 §6.4.3; RFC 9525 §6.3; CA/B Forum BR §3.2.2.6, §7.1.2.7.12",
    ),
    "single-label-dns-name": FindingText(
        "info",
        "{name!r} is a single-label host name. RFC 5280 §4.2.1.6 asks for the preferred name syntax "
        "of RFC 1034 §3.5, which allows one label, and clients match it like any other name "
        "(cryptography's verifier does). pkilint's rule pkix.invalid_domain_name_syntax rates it "
        "an error only because it checks names with the 'validators' package's domain(), which "
        "wants a dot and a top-level domain; certlab shows that finding as this note. No public "
        "CA issues such an internal name (pkilint's CA/B profile says cabf.internal_domain_name), "
        "so it belongs in local tests and private CAs.",
        "RFC 5280 §4.2.1.6; RFC 1034 §3.5; CA/B Forum BR §7.1.2.7.12 (pkilint pkix.invalid_domain_name_syntax)",
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
    """One row of ``VERIFIER_ERRORS``: a fixed phrase of the verifier's message and its explanation.

    Rows are matched in order by plain substring tests (``phrase in reason``),
    never by a regular expression: the message quotes certificate names an
    attacker chooses, and a backtracking pattern over it took 28-30 s on a
    name-constraints denial-of-service chain.
    """

    phrase: str  # a fixed part of the verifier's reason (after "validation failed: ", "candidates exhausted: ")
    code: str
    explanation: str  # may use {oid} and {name}: the extension the message names
    path: str  # node path in the certificate concerned; "ext:" = that extension, "ext:OID" = extension OID,
    #            "validity:" = notBefore or notAfter, whichever the verification time is outside of
    concerns: str = "message"  # which certificate: "message" (the one the verifier names, else the leaf),
    #            or a rule of certlab.chain that finds it among the certificates given
    oid: str | None = None  # the row applies only to an "invalid extension: OID: ..." message for this OID


#: The reasons cryptography.x509.verification gives (its Rust sources' messages, each seen
#: on the PKITS vectors of cryptography-vectors or on a chain built to fail that way).
VERIFIER_ERRORS: tuple[VerifierError, ...] = (
    VerifierError(
        "missing required extension",
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
        "ext:", oid="2.5.29.35",
    ),
    VerifierError(
        "missing required extension",
        "chain-missing-basic-constraints",
        "A CA certificate in the path has no Basic Constraints (2.5.29.19) extension, so the verifier "
        "cannot tell it may sign certificates (RFC 5280 §4.2.1.9, §6.1.4 (k)). Fix: add "
        "BasicConstraints(ca=True, path_length=...) as a critical extension.",
        "ext:", concerns="ca-without:2.5.29.19", oid="2.5.29.19",
    ),
    VerifierError(
        "missing required extension",
        "chain-missing-san",
        "The end-entity certificate has no Subject Alternative Name (2.5.29.17). The verifier matches "
        "the server or client name only against the SAN, never the subject CN (RFC 6125 §6.4.4), so "
        "it requires one; put the DNS names or IP addresses into a SAN.",
        "ext:", oid="2.5.29.17",
    ),
    VerifierError(
        "missing required extension",
        "chain-missing-extension",
        "The certificate lacks the extension {name} ({oid}), which the verifier's profile (RFC 5280 "
        "and the CA/B Forum Baseline Requirements) requires here.",
        "ext:",
    ),
    VerifierError(
        "unaccounted-for critical extensions",
        "chain-unknown-critical",
        "The extension {name} ({oid}) is marked critical, but this verifier does not process it, so it "
        "must reject the certificate (RFC 5280 §4.2: a critical extension that is not understood makes "
        "the certificate unusable). cryptography implements no certificate-policy processing, so "
        "policyMappings, policyConstraints and inhibitAnyPolicy (RFC 5280 §6.1.3-6.1.4) are among them. "
        "Mark it non-critical, or drop it, if relying parties need not enforce it.",
        "ext:",
    ),
    VerifierError(
        "incorrect criticality",
        "chain-criticality",
        "The extension {name} ({oid}) has the wrong criticality for the profile: Basic Constraints in a "
        "CA and Key Usage must be critical, Authority and Subject Key Identifiers must not be (RFC 5280 "
        "§4.2.1.1, §4.2.1.2, §4.2.1.9; CA/B Forum BR §7.1.2). Re-issue it with the other flag.",
        "ext:",
    ),
    VerifierError(
        "basicConstraints.cA must not be asserted in an EE certificate",
        "chain-ca-as-leaf",
        "The leaf (end-entity) certificate says CA:TRUE. The web profile forbids a CA certificate as "
        "a server certificate; issue the server certificate with BasicConstraints(ca=False) and keep "
        "CA:TRUE for the CA that signs it.",
        "ext:2.5.29.19",
    ),
    VerifierError(
        "basicConstraints.cA must be asserted in a CA certificate",
        "chain-issuer-not-ca",
        "The certificate that would issue the next one is not a CA: its Basic Constraints say "
        "CA:FALSE, so it may not sign certificates (RFC 5280 §4.2.1.9, §6.1.4 (k)). Have a CA "
        "certificate (CA:TRUE, keyCertSign) sign it.",
        "ext:2.5.29.19", concerns="ca-not-ca",
    ),
    VerifierError(
        "keyUsage.keyCertSign must be asserted in a CA certificate",
        "chain-no-keycertsign",
        "A CA certificate in the path has a Key Usage without keyCertSign, so its key may not sign "
        "certificates (RFC 5280 §4.2.1.3, §6.1.4 (n)). Re-issue the CA certificate with keyCertSign "
        "(and cRLSign if it signs CRLs).",
        "ext:2.5.29.15", concerns="ca-without-keycertsign",
    ),
    VerifierError(
        "authorityKeyIdentifier must contain keyIdentifier",
        "chain-aki-no-keyid",
        "The Authority Key Identifier names the issuer only by name and serial, without the "
        "keyIdentifier the profile requires (RFC 5280 §4.2.1.1). Build it with "
        "AuthorityKeyIdentifier.from_issuer_public_key(issuer key).",
        "ext:2.5.29.35",
    ),
    VerifierError(
        "EKU",
        "chain-key-usage",
        "The leaf's Extended Key Usage does not allow this use: a TLS server certificate needs "
        "serverAuth, a client certificate clientAuth (RFC 5280 §4.2.1.12; CA/B Forum BR §7.1.2.7.10). "
        "Add the usage, or verify with the profile it was issued for.",
        "ext:2.5.29.37",
    ),
    VerifierError(
        "path length constraint violated",
        "chain-path-length",
        "The path is longer than a CA allows: its Basic Constraints pathLenConstraint limits how many "
        "intermediate CAs may follow it (RFC 5280 §4.2.1.9, §6.1.4 (l)-(m)). Shorten the chain or "
        "re-issue that CA with a larger limit.",
        "ext:2.5.29.19", concerns="ca-with-path-length",
    ),
    VerifierError(
        "chain construction exceeds max depth",
        "chain-too-deep",
        "No path to a trusted root fits within the maximum chain depth asked for (the number of "
        "intermediates allowed between the leaf and the root). Pass fewer intermediates, trust a "
        "closer root, or allow a greater depth.",
        "certificate.tbsCertificate.issuer",
    ),
    VerifierError(
        "no matching subjectAltName",
        "chain-name-mismatch",
        "None of the certificate's Subject Alternative Names matches the server name you asked for. "
        "Browsers only compare against the SAN; add the name there.",
        "ext:2.5.29.17",
    ),
    VerifierError(
        "no permitted name constraints matched SAN",
        "chain-name-not-permitted",
        "A CA in the path allows certificates only for the names in its Name Constraints (permitted "
        "subtrees), and a name in this certificate's SAN is outside all of them (RFC 5280 §4.2.1.10, "
        "§6.1.3 (b)). Ask that CA for names within its subtrees.",
        "ext:2.5.29.17",
    ),
    VerifierError(
        "excluded name constraint matched SAN",
        "chain-name-excluded",
        "A name in this certificate's SAN falls in a subtree that a CA in the path excludes with "
        "its Name Constraints (RFC 5280 §4.2.1.10, §6.1.3 (b)): that CA may not vouch for it.",
        "ext:2.5.29.17",
    ),
    VerifierError(
        "unsupported directoryName constraint",
        "chain-name-constraint-dn",
        "This CA's critical Name Constraints restrict directory names (subject DNs), a form this "
        "verifier does not implement; a critical extension it cannot fully enforce makes it reject the "
        "path (RFC 5280 §4.2, §4.2.1.10). Constrain DNS names, IP ranges or e-mail domains instead.",
        "ext:2.5.29.30", concerns="ca-with:2.5.29.30",
    ),
    VerifierError(
        "unsupported name constraint",
        "chain-name-constraint-unsupported",
        "A CA's Name Constraints use a name form this verifier cannot compare with the certificate's "
        "names (for example URI subtrees), so it cannot prove the name is allowed and rejects the path "
        "(RFC 5280 §4.2.1.10).",
        "ext:2.5.29.30", concerns="ca-with:2.5.29.30",
    ),
    VerifierError(
        "maximum name constraint check limit",
        "chain-name-constraint-limit",
        "Checking every SAN against every name constraint would take more comparisons than the "
        "verifier allows (a guard against denial-of-service chains with thousands of names and "
        "constraints), so it stopped and rejected the path.",
        "ext:2.5.29.17",
    ),
    VerifierError(
        "malformed SAN",
        "chain-malformed-san",
        "A name in the Subject Alternative Name is malformed (not a valid DNS name, IP address or "
        "e-mail address), so it cannot be checked against the CA's Name Constraints (RFC 5280 §4.2.1.6).",
        "ext:2.5.29.17",
    ),
    VerifierError(
        "name constraint",
        "chain-malformed-name-constraint",
        "A CA's Name Constraints hold a malformed subtree (a DNS name, IP range or e-mail domain that "
        "does not parse), so nothing can be checked against it (RFC 5280 §4.2.1.10).",
        "ext:2.5.29.30", concerns="ca-with:2.5.29.30",
    ),
    VerifierError(
        "cert is not valid at validation time",
        "chain-expired",
        "A certificate in the path is outside its validity period at the verification time: it has "
        "expired or is not valid yet (RFC 5280 §4.1.2.5, §6.1.3 (a)(2)).",
        "validity:",
    ),
    VerifierError(
        "validity dates",
        "chain-time-encoding",
        "A validity date uses the wrong ASN.1 time type: RFC 5280 §4.1.2.5 says dates through 2049 "
        "MUST be UTCTime and dates from 2050 on GeneralizedTime, and this verifier enforces it.",
        "certificate.tbsCertificate.validity",
    ),
    VerifierError(
        "serial number cannot be negative",
        "chain-bad-serial",
        "The serial number is negative; RFC 5280 §4.1.2.2 requires a positive integer.",
        "certificate.tbsCertificate.serialNumber",
    ),
    VerifierError(
        "serial between 1 and 20 octets",
        "chain-bad-serial",
        "The serial number is zero or longer than 20 octets; RFC 5280 §4.1.2.2 requires a positive "
        "integer of at most 20 octets.",
        "certificate.tbsCertificate.serialNumber",
    ),
    VerifierError(
        "non-empty Issuer",
        "chain-empty-issuer",
        "The issuer name is empty; RFC 5280 §4.1.2.4 requires a non-empty distinguished name.",
        "certificate.tbsCertificate.issuer",
    ),
    VerifierError(
        "must be an X509v3 certificate",
        "chain-not-v3",
        "The certificate is not version 3; this verifier, like the web PKI, accepts only v3 "
        "certificates (RFC 5280 §4.1.2.1).",
        "certificate.tbsCertificate",
    ),
    VerifierError(
        "mismatch between signatureAlgorithm and SPKI algorithm",
        "chain-algorithm-mismatch",
        "The signature algorithm does not fit the issuer's key type (for example an ECDSA signature "
        "from an RSA key), so it cannot verify (RFC 5280 §4.1.1.2).",
        "certificate.signatureAlgorithm",
    ),
    VerifierError(
        "Forbidden signature algorithm",
        "chain-forbidden-signature-algorithm",
        "The certificate is signed with an algorithm the web profile does not allow (e.g. SHA-1, DSA "
        "or an unusual parameter encoding); CA/B Forum BR §7.1.3.2 lists the allowed ones.",
        "certificate.signatureAlgorithm", concerns="forbidden-signature",
    ),
    VerifierError(
        "Forbidden public key algorithm",
        "chain-forbidden-key-algorithm",
        "A certificate in the path carries a key type the web profile does not allow (DSA, or an "
        "unusual curve or encoding); CA/B Forum BR §7.1.3.1 allows RSA and ECDSA on P-256, P-384 and "
        "P-521.",
        "certificate.tbsCertificate.subjectPublicKeyInfo.algorithm", concerns="forbidden-key",
    ),
    VerifierError(
        "too weak",
        "chain-weak-key",
        "An RSA key in the path is shorter than the 2048 bits the web profile requires (CA/B Forum BR "
        "§6.1.5); such keys can be factored. Re-issue with a stronger key.",
        "certificate.tbsCertificate.subjectPublicKeyInfo", concerns="weak-key",
    ),
    VerifierError(
        "signature does not match",
        "chain-bad-signature",
        "A signature in the path does not verify with the issuer's public key: the certificate was "
        "changed after signing, or the issuer that has its issuer's name holds another key "
        "(RFC 5280 §6.1.3 (a)(1)).",
        "certificate.signature", concerns="bad-signature",
    ),
    VerifierError(
        "no interior errors",
        "chain-no-path",
        "No path from this certificate to one of the trusted roots was found: no certificate given "
        "has the issuer's name (and key identifier), or the one that has is not trusted. Give the "
        "intermediates and the right root (RFC 5280 §6.1: the path ends at a trust anchor).",
        "certificate.tbsCertificate.issuer",
    ),
    VerifierError(
        "invalid domain name",
        "chain-bad-host",
        "The host name to check is not a valid DNS name (letters, digits and hyphens in dot-separated "
        "labels, RFC 1034 §3.5) nor an IP address.",
        "certificate",
    ),
)

#: When no row matches (a message of a newer cryptography), the finding says so and quotes it.
VERIFIER_UNKNOWN = VerifierError(
    "",
    "chain-error",
    "The verifier rejected the chain for a reason certlab has no explanation for yet; its own words "
    "follow.",
    "certificate",
)
