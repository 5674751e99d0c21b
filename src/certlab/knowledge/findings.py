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

#: What the CA/B Forum profile adds to a kernel's memory, in MB: RSS after ``find(cert, cabf=True)``
#: minus after ``find(cert, cabf=False)`` (ISO 639 tables deferred), measured here on the
#: cryptography.io vector; test_findings measures it again.  The one figure every text quotes.
CABF_MEMORY_MB = 11

__all__ = [
    "CABF_MEMORY_MB", "FindingText", "FINDINGS", "Gloss", "PKILINT_GLOSSES", "PKILINT_GLOSS", "VerifierError", "VERIFIER_ERRORS", "VERIFIER_UNKNOWN",
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
        "The {algorithm} key has only {bits} bits; at least {minimum} are required: smaller RSA "
        "moduli can be factored and smaller curves solved. Generate a new key (RSA 2048+ or EC P-256).",
        "CA/B Forum BR §6.1.5; NIST SP 800-131A",
    ),
    "no-san": FindingText(
        "error",
        "There is no Subject Alternative Name extension{cn}. RFC 6125 (§6.4.4) still let a client "
        "fall back to the Common Name when a certificate had no DNS name; browsers dropped that "
        "fallback (Firefox 48 in 2016, Chrome 58 in 2017) and RFC 9525, which replaced RFC 6125 in "
        "2023, no longer allows it. So such a certificate matches no host name: put the names "
        "into a SAN.",
        "RFC 9525 §2, §6.3; RFC 6125 §6.4.4; CA/B Forum BR §7.1.2.7.12",
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
        "{name!r} is a single-label host name: valid in RFC 1034 §3.5's preferred name syntax, "
        "which RFC 5280 §4.2.1.6 asks for, and matched by clients (cryptography's verifier too). "
        "pkilint's rule pkix.invalid_domain_name_syntax calls it an error only because its check "
        "(the 'validators' package's domain()) wants a dot and a top-level domain. No public CA "
        "issues such an internal name; it is for local tests and private CAs.",
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

class Gloss(NamedTuple):
    """A pkilint finding in plain words: what is wrong, why a CA or browser cares, the fix.

    ``{names}`` in a text is filled with the names of the OIDs pkilint's message quotes
    (``2.5.4.7`` -> ``localityName``), read from the OID table.
    """

    what: str
    why: str
    fix: str

    @property
    def text(self) -> str:
        return f"{self.what} {self.why} Fix: {self.fix}"


# Said once: pkilint's CA/B Forum profile judges any self-signed certificate as a root CA's.
_AS_ROOT = ("pkilint's CA/B Forum profile judges every self-signed certificate as a root CA "
            "certificate (BR §7.1.2.1), and")
_ROOT_FIX = ("for a local test certificate this rule does not apply; a public site's certificate "
             "is issued by a CA (notebook 05), and a real root follows BR §7.1.2.1.")
_REVOCATION = ("the issuing CA adds a CRL Distribution Points extension (a CRL URL) and/or an OCSP "
               "URL in Authority Information Access; the teaching CA does while its revocation "
               "service runs (ca.serve_revocation()).")

# pkilint validator code -> our plain-language gloss (pkilint's own terse message follows it).
# Every code that certlab's own objects, the shipped certificates and the CA-signed lab reach
# has a row (tests/test_pkilint_glosses.py enumerates them by running pkilint).
PKILINT_GLOSSES: dict[str, Gloss] = {
    # --- RFC 5280 (pkix.*) ---
    "pkix.authority_key_identifier_extension_absent": Gloss(
        "The Authority Key Identifier extension is missing.",
        "It names the issuer's key so that clients can build the chain; RFC 5280 §4.2.1.1 "
        "requires it except in a self-signed certificate that distributes a CA's key (a root). "
        "cryptography's verifier, like the CA/B Forum profile for server certificates, requires "
        "it on the leaf, so a self-signed certificate used directly as a server's fails.",
        "add AuthorityKeyIdentifier (for a self-signed certificate: from its own public key)."),
    "pkix.certificate_skid_end_entity_missing": Gloss(
        "The Subject Key Identifier extension is missing.",
        "RFC 5280 §4.2.1.2 says every certificate SHOULD carry this short ID of its key, which "
        "path builders match against the Authority Key Identifier below it. (The CA/B Forum "
        "profile, on the contrary, does not recommend it in server certificates.)",
        "add SubjectKeyIdentifier.from_public_key(key.public_key())."),
    "pkix.certificate_skid_ca_missing": Gloss(
        "This CA certificate has no Subject Key Identifier.",
        "RFC 5280 §4.2.1.2 requires one in every CA certificate: the certificates it issues "
        "point at it with their Authority Key Identifier.",
        "add SubjectKeyIdentifier.from_public_key(key.public_key())."),
    "pkix.subject_key_identifier_method_1_identified": Gloss(
        "The Subject Key Identifier is the SHA-1 hash of the public key's bits (RFC 5280 "
        "§4.2.1.2, method 1; what SubjectKeyIdentifier.from_public_key computes).",
        "Nothing is wrong: pkilint only notes the method it recognised.",
        "nothing to do."),
    "pkix.subject_key_identifier_calculation_failed": Gloss(
        "The Subject Key Identifier does not match the usual hash of the public key.",
        "RFC 5280 §4.2.1.2 allows other methods, but a mismatch often means the SKI was copied "
        "from another certificate, and path builders may then pick the wrong issuer.",
        "compute it from this certificate's key: SubjectKeyIdentifier.from_public_key(...)."),
    "pkix.invalid_domain_name_syntax": Gloss(
        "This dNSName is not in the preferred name syntax RFC 5280 §4.2.1.6 asks for (RFC 1034 "
        "§3.5: labels of letters, digits and inner hyphens, joined by dots).",
        "Clients compare names label by label, and a name they cannot parse matches nothing. "
        "pkilint decides with the 'validators' package's domain() check, which also wants a dot "
        "and a top-level domain (certlab turns its verdict on a single label such as "
        "'localhost', or on a valid wildcard, into a note).",
        "fix the spelling; a public CA only issues names under a public suffix."),
    "pkix.dnsname_domain_name_too_long": Gloss(
        "The DNS name is too long.",
        "A DNS name may be at most 255 octets on the wire (RFC 1035 §2.3.4), which leaves 253 "
        "characters in the dotted form a certificate holds; each label at most 63.",
        "shorten the name."),
    "pkix.invalid_email_address_syntax": Gloss(
        "This rfc822Name is not a plain mailbox address.",
        "RFC 5280 §4.2.1.6 wants local-part@domain with no display name or brackets, so that "
        "mail clients can compare it with the sender.",
        "write it as user@example.org."),
    "pkix.invalid_uri_syntax": Gloss(
        "This uniformResourceIdentifier is not an absolute URI.",
        "RFC 5280 §4.2.1.6 wants a scheme and a host (https://example.org/...), which is what "
        "clients match and fetch.",
        "write the full URI, scheme included."),
    "pkix.subject_email_address_not_in_san": Gloss(
        "The subject has an emailAddress attribute that the Subject Alternative Name does not "
        "repeat.",
        "RFC 5280 §4.1.2.6 says new certificates put e-mail addresses in the SAN as rfc822Name; "
        "mail clients look only there.",
        "add the address as an e-mail SAN entry, or drop the emailAddress attribute."),
    "pkix.ca_certificate_keycertsign_keyusage_missing": Gloss(
        "This CA certificate's Key Usage lacks keyCertSign.",
        "RFC 5280 §4.2.1.3: without that bit the key may not sign certificates, so verifiers "
        "refuse every certificate it issued.",
        "set keyCertSign (and cRLSign if it signs revocation lists)."),
    "pkix.ca_certificate_keycertsign_keyusage_not_set": Gloss(
        "This CA certificate's Key Usage lacks keyCertSign.",
        "RFC 5280 §4.2.1.3: without that bit the key may not sign certificates, so verifiers "
        "refuse every certificate it issued.",
        "set keyCertSign (and cRLSign if it signs revocation lists)."),
    "pkix.ca_certificate_no_ku_extension": Gloss(
        "This CA certificate has no Key Usage extension.",
        "RFC 5280 §4.2.1.3 requires one in CA certificates, with keyCertSign, so that the CA "
        "key's job is written down and a verifier can check it.",
        "add KeyUsage with key_cert_sign (and crl_sign), critical."),
    "pkix.ee_certificate_keycertsign_keyusage_set": Gloss(
        "keyCertSign is set, but this is not a CA (Basic Constraints cA is not TRUE).",
        "Only a CA may sign certificates (RFC 5280 §4.2.1.3, §4.2.1.9); the bit on a leaf is a "
        "contradiction that verifiers resolve by refusing.",
        "remove keyCertSign, or make it a CA."),
    "pkix.certificate_serial_number_out_of_range": Gloss(
        "The serial number is zero, negative or longer than 20 octets.",
        "RFC 5280 §4.1.2.2 bounds it so that every client can store and compare it (revocation "
        "lists name certificates by serial).",
        "use x509.random_serial_number()."),
    "pkix.certificate_version_is_not_v3": Gloss(
        "This certificate is not version 3 (encoded as 2).",
        "Only v3 certificates can carry extensions (SANs, key identifiers, Basic Constraints), "
        "which every use needs today (RFC 5280 §4.1.2.1); v1 certificates come from the 1990s.",
        "issue a v3 certificate (cryptography always does)."),
    "pkix.certificate_signature_algorithm_mismatch": Gloss(
        "The algorithm named inside the signed part (tbsCertificate.signature) differs from the "
        "one next to the signature (signatureAlgorithm).",
        "RFC 5280 §4.1.1.2 requires them byte for byte equal: the inner copy is signed, so an "
        "attacker cannot swap the outer one for a weaker algorithm.",
        "sign again with one algorithm in both places (cryptography does)."),
    "pkix.certificate_negative_validity_period": Gloss(
        "notAfter is before notBefore.",
        "There is no moment at which this certificate is valid (RFC 5280 §4.1.2.5).",
        "swap or correct the dates."),
    "pkix.certificate_policies_policy_has_qualifier": Gloss(
        "A certificate policy carries a qualifier (usually a link to the CA's practice "
        "statement).",
        "RFC 5280 §4.2.1.4 recommends the policy OID alone for interoperability; clients ignore "
        "qualifiers, so this is only a note.",
        "nothing for an existing certificate; a CA can leave qualifiers out."),
    "pkix.basic_constraints_extension_not_critical": Gloss(
        "Basic Constraints is not critical in this CA certificate.",
        "RFC 5280 §4.2.1.9 requires it critical in CA certificates, so that a client that does "
        "not understand it refuses the certificate instead of ignoring the CA limits.",
        "add BasicConstraints with critical=True."),
    "pkix.basic_constraints_has_pathlen_for_non_ca": Gloss(
        "A path length limit is set, but cA is FALSE.",
        "pathLenConstraint only means something for a CA (RFC 5280 §4.2.1.9).",
        "drop the path length, or make it a CA."),
    "pkix.key_usage_extension_not_critical": Gloss(
        "Key Usage is not critical.",
        "RFC 5280 §4.2.1.3 says it SHOULD be, so that a client that does not understand it "
        "refuses the key for other uses.",
        "add KeyUsage with critical=True."),
    "pkix.key_usage_value_prohibited_for_ec": Gloss(
        "This key usage does not fit an elliptic-curve key.",
        "EC keys sign (digitalSignature) or agree on keys (keyAgreement); they cannot encrypt, "
        "so keyEncipherment and dataEncipherment are meaningless and prohibited (RFC 8813 §3, "
        "RFC 5480 §3).",
        "untick the encipherment usages; keep digitalSignature."),
    "pkix.key_usage_value_prohibited_for_rsa": Gloss(
        "This key usage does not fit an RSA key.",
        "keyAgreement, encipherOnly and decipherOnly belong to Diffie-Hellman keys (RFC 4055 "
        "§1.2, RFC 3279 §2.3.1); RSA signs or encrypts.",
        "untick them; a server's RSA key needs digitalSignature (and keyEncipherment only for "
        "TLS 1.2 RSA key exchange)."),
    "pkix.key_usage_value_prohibited_for_edwards_curve": Gloss(
        "This key usage does not fit an Ed25519/Ed448 key.",
        "These keys only sign: digitalSignature, nonRepudiation, keyCertSign and cRLSign are the "
        "only usages allowed (RFC 8410 §5).",
        "untick the encipherment and key-agreement usages."),
    "pkix.extended_key_usage_extension_with_timestamping_not_critical": Gloss(
        "The Extended Key Usage lists timeStamping but is not critical.",
        "RFC 3161 §2.3 requires a time-stamping authority's certificate to have timeStamping as "
        "its only purpose, in a critical extension, so that the key cannot serve anything else.",
        "mark the Extended Key Usage critical with timeStamping alone, or drop timeStamping."),
    "pkix.duplicate_extension": Gloss(
        "The same extension appears twice.",
        "RFC 5280 §4.2 allows each extension at most once; two copies could say different "
        "things to different clients.",
        "keep one."),
    "pkix.issuer_unique_id_present": Gloss(
        "issuerUniqueID is present.",
        "It is a relic of X.509 v2; RFC 5280 §4.1.2.8 says CAs MUST NOT generate it.",
        "leave it out."),
    "pkix.authority_key_identifier_critical": Gloss(
        "The Authority Key Identifier is marked critical.",
        "RFC 5280 §4.2.1.1 says it MUST NOT be: it only helps find the issuer, and a client "
        "that does not know it should not refuse the certificate.",
        "add it with critical=False."),
    "pkix.certificate_skid_extension_critical": Gloss(
        "The Subject Key Identifier is marked critical.",
        "RFC 5280 §4.2.1.2 says it MUST NOT be: it is a hint for path building, nothing to "
        "refuse a certificate over.",
        "add it with critical=False."),
    # --- CA/Browser Forum TLS profile (cabf.*) ---
    "cabf.internal_domain_name": Gloss(
        "This name is not under a public top-level domain (an internal name such as "
        "'localhost' or 'server.local').",
        "Nobody can prove to a public CA that they own such a name, since many networks use the "
        "same one, so the Baseline Requirements forbid it in publicly trusted certificates (BR "
        "§7.1.2.7.12).",
        "use it only with your own CA; a public certificate needs a registered domain."),
    "cabf.internal_ip_address": Gloss(
        "The SAN holds a reserved IP address (a private, loopback or documentation address "
        "such as 10.0.0.1, ::1 or 192.0.2.7).",
        "Such addresses are not unique on the internet, so nobody can prove they own them; BR "
        "§7.1.2.7.12 forbids them in publicly trusted certificates.",
        "fine with your own CA; a public certificate may only name a public IP address the CA "
        "validated."),
    "cabf.ca_certificate_required_ku_missing": Gloss(
        f"{_AS_ROOT} a CA certificate's Key Usage must have keyCertSign (BR §7.1.2.10.7).",
        "A CA key signs certificates and revocation lists, and browsers refuse a CA certificate "
        "that does not say so.",
        f"for a real root, set keyCertSign and cRLSign; {_ROOT_FIX}"),
    "cabf.serverauth.ca_basic_constraints_ca_bit_not_set": Gloss(
        f"{_AS_ROOT} a CA certificate must say cA=TRUE in Basic Constraints (BR §7.1.2.10.4).",
        "The CA/B Forum rules have no place for a self-signed server certificate: browsers only "
        "trust certificates that chain to a root in their store.",
        _ROOT_FIX),
    "cabf.serverauth.root_basic_constraints_ca_not_present": Gloss(
        f"{_AS_ROOT} a root must say cA=TRUE in Basic Constraints (BR §7.1.2.1.4).",
        "The CA/B Forum rules have no place for a self-signed server certificate: browsers only "
        "trust certificates that chain to a root in their store.",
        _ROOT_FIX),
    "cabf.serverauth.root.authority_key_identifier_extension_absent": Gloss(
        f"{_AS_ROOT} the BR recommend an Authority Key Identifier in a root (BR §7.1.2.1.2).",
        "It is only a recommendation (RFC 5280 lets a root omit it, and cryptography's verifier "
        "accepts a root without one); it helps clients that match issuers by key.",
        f"add AuthorityKeyIdentifier from the certificate's own key; {_ROOT_FIX}"),
    "cabf.serverauth.root.basic_constraints_extension_absent": Gloss(
        f"{_AS_ROOT} a root must carry a critical Basic Constraints with cA=TRUE (BR §7.1.2.1.2).",
        "Without it nothing says the key may sign certificates.",
        _ROOT_FIX),
    "cabf.serverauth.root.extended_key_usage_extension_present": Gloss(
        f"{_AS_ROOT} a root MUST NOT carry an Extended Key Usage (BR §7.1.2.1.2).",
        "A root signs intermediates for every purpose its program allows; purposes belong in "
        "the certificates below it.",
        _ROOT_FIX),
    "cabf.serverauth.root.key_usage_extension_absent": Gloss(
        f"{_AS_ROOT} a root must carry a critical Key Usage with keyCertSign and cRLSign (BR "
        "§7.1.2.1.2).",
        "Key Usage writes down that this key signs certificates and revocation lists.",
        _ROOT_FIX),
    "cabf.serverauth.root.subject_key_identifier_extension_absent": Gloss(
        f"{_AS_ROOT} a root must carry a Subject Key Identifier (BR §7.1.2.1.2).",
        "The certificates it signs point at that ID with their Authority Key Identifier.",
        f"add SubjectKeyIdentifier.from_public_key(...); {_ROOT_FIX}"),
    "cabf.serverauth.root.unknown_extension_present": Gloss(
        f"{_AS_ROOT} the BR do not recommend any extension in a root beyond their list; this "
        "one carries {names}.",
        "A root is a trust anchor, not a server: names and purposes belong in the certificates "
        "it issues (BR §7.1.2.1.2).",
        _ROOT_FIX),
    "cabf.serverauth.root_validity_period_too_short": Gloss(
        f"{_AS_ROOT} a root must be valid for at least 2922 days, eight years (BR §7.1.2.1.1).",
        "Roots are shipped in browsers and operating systems for many years; a short-lived one "
        "would break everything below it soon after it is installed.",
        _ROOT_FIX),
    "cabf.serverauth.ca.extended_key_usage_extension_absent": Gloss(
        "This CA certificate has no Extended Key Usage.",
        "Today's BR (§7.1.2.10.6) require a subordinate CA that issues server certificates to "
        "list serverAuth, so that its key is limited to TLS; certificates issued before that "
        "rule (such as Let's Encrypt X3) often lack it.",
        "a new intermediate lists serverAuth (and clientAuth if needed)."),
    "cabf.serverauth.certificate_policy_qualifier_present": Gloss(
        "A certificate policy carries a qualifier (a link to the CA's practice statement).",
        "The BR (§7.1.2.7.9, §7.1.2.10.5) no longer recommend qualifiers: the policy OID says "
        "all a client needs, and the bytes go into every handshake.",
        "nothing for an existing certificate; a CA leaves qualifiers out."),
    "cabf.serverauth.certificate_validity_period_exceeds_398_days": Gloss(
        "The certificate is valid for more than 398 days.",
        "Since 1 September 2020 browsers reject publicly trusted TLS certificates that live "
        "longer (BR §6.3.2; ballot SC-081 shortens the limit further from March 2026): a short "
        "life limits the damage of a leaked key and of stale validation. pkilint applies "
        "today's limit even to older certificates; certlab's own check uses the limit in force "
        "at notBefore.",
        "issue for at most the current limit, and automate renewal."),
    "cabf.serverauth.dv.common_name_attribute_present": Gloss(
        "The subject has a commonName; pkilint judges the certificate as domain-validated "
        "(DV), the profile used when no policy says otherwise.",
        "For DV certificates the BR (§7.1.2.7.2) do not recommend a CN: the names that count "
        "are in the SAN, and a CN may only repeat one of them.",
        "leave the CN out, or keep it equal to one SAN entry."),
    "cabf.serverauth.dv.unknown_attribute_present": Gloss(
        "The subject carries {names}, which a domain-validated (DV) certificate must not have.",
        "A DV CA checked only that you control the domain, so the BR (§7.1.2.7.2) allow no "
        "other identity claims in the subject (at most countryName and commonName): an "
        "organisation or a town would read as verified when nobody checked it.",
        "leave the attribute out (empty that field in the lab), or get an "
        "organisation-validated (OV) certificate, for which the CA checks it."),
    "cabf.serverauth.invalid_rdn_order": Gloss(
        "The subject's attributes are not in the order the BR fix (pkilint's note says which "
        "one comes too late).",
        "BR §7.1.4.2 orders them (country, state, locality, ..., organization, organizational "
        "unit, commonName last) so that the same name is always encoded the same way and "
        "compares equal byte for byte.",
        "build the Name in that order; cryptography keeps the order you give."),
    "cabf.serverauth.prohibited_duplicate_attribute_type": Gloss(
        "The subject repeats an attribute ({names}).",
        "The BR (§7.1.4) allow each attribute once, so that a name has one meaning; several "
        "organizational units were common before the rule.",
        "keep one value per attribute."),
    "cabf.serverauth.prohibited_san_type": Gloss(
        "The SAN holds a kind of name a TLS server certificate must not carry (an e-mail "
        "address, a URI ...).",
        "BR §7.1.2.7.12 allows only dNSName and iPAddress: every SAN entry must be validated, "
        "and only host names and addresses identify a server.",
        "list only host names and IP addresses; e-mail addresses belong in S/MIME "
        "certificates."),
    "cabf.serverauth.prohibited_signature_algorithm_encoding": Gloss(
        "The certificate is signed with an algorithm (or an encoding of one) the BR do not "
        "allow; 300506032b6570 is the AlgorithmIdentifier of Ed25519.",
        "BR §7.1.3.2 lists the exact DER encodings allowed, RSA (PKCS #1 v1.5 or PSS with "
        "SHA-2) and ECDSA with SHA-2, because those are what browsers verify.",
        "sign with an RSA or ECDSA key."),
    "cabf.serverauth.prohibited_subject_public_key_algorithm_encoding": Gloss(
        "The public key's algorithm (or its encoding) is not one the BR allow; 300506032b6570 "
        "is the AlgorithmIdentifier of Ed25519.",
        "BR §7.1.3.1 allows RSA and ECDSA on P-256, P-384 or P-521 only: browsers do not "
        "accept Ed25519 certificates for TLS.",
        "use an RSA (2048 bits or more) or EC P-256/P-384 key."),
    "cabf.serverauth.subscriber.authority_info_access_extension_absent": Gloss(
        "The server certificate has no Authority Information Access extension.",
        "BR §7.1.2.7.7 requires it: it tells clients where to download the issuer's certificate "
        "(caIssuers) when a server forgets to send it, and where an OCSP responder answers.",
        "the issuing CA adds x509.AuthorityInformationAccess with a caIssuers URL (the teaching "
        "CA does while ca.serve_revocation() runs)."),
    "cabf.serverauth.subscriber.certificate_policies_extension_absent": Gloss(
        "The server certificate has no Certificate Policies extension.",
        "BR §7.1.2.7.9 requires one naming the CA/B Forum policy it was validated under "
        "(2.23.140.1.2.1 domain-validated, .2 organisation-validated ...), so clients and "
        "auditors can tell what the CA checked.",
        "the issuing CA adds x509.CertificatePolicies with the reserved policy OID."),
    "cabf.serverauth.subscriber_missing_reserved_policy_oid": Gloss(
        "The certificate lists policies, but none of the CA/B Forum's reserved ones "
        "(2.23.140.1.2.1 domain-validated, 2.23.140.1.2.2 organisation-validated, "
        "2.23.140.1.2.3 individual-validated, 2.23.140.1.1 extended validation).",
        "BR §7.1.2.7.9 requires one, so anyone can tell how the subject was validated; older "
        "certificates often predate the rule.",
        "a CA adds the reserved OID of the validation it did."),
    "cabf.serverauth.subscriber.non_critical_key_usage_extension": Gloss(
        "Key Usage is present but not critical.",
        "BR §7.1.2.7.6 requires it critical in server certificates, so that a client that does "
        "not understand it refuses the key rather than use it for anything.",
        "add KeyUsage with critical=True."),
    "cabf.serverauth.subscriber.revocation_information_absent": Gloss(
        "The certificate says nowhere how to check whether it was revoked: no CRL "
        "Distribution Points, no OCSP URL.",
        "A publicly trusted server certificate must let clients check (BR §7.1.2.7.6, "
        "§7.1.2.11.2; only short-lived certificates are exempt): otherwise a stolen key cannot "
        "be shut off.",
        _REVOCATION),
    "msft.end_entity.revocation_information_absent": Gloss(
        "The certificate says nowhere how to check whether it was revoked: no CRL "
        "Distribution Points, no OCSP URL.",
        "Microsoft's Trusted Root Program requires end-entity certificates to point at a CRL "
        "or an OCSP responder, so that Windows can check them.",
        _REVOCATION),
    "cabf.serverauth.subscriber.subject_key_identifier_extension_present": Gloss(
        "The server certificate has a Subject Key Identifier.",
        "BR §7.1.2.7.6 does not recommend it in subscriber certificates: nothing is issued "
        "under a leaf, so no path builder needs its ID (RFC 5280 §4.2.1.2 still says SHOULD, "
        "which is why the two profiles disagree).",
        "nothing breaks; a CA following the BR leaves it out."),
    "cabf.serverauth.subscriber_common_name_unknown_source": Gloss(
        "The Common Name is none of the names in the SAN.",
        "BR §7.1.4.3: if present, the CN must copy one SAN entry exactly, because the CA "
        "validated only the SAN's names.",
        "make the CN one of the SAN names, or leave it out."),
    "cabf.serverauth.subscriber_discouraged_ku_present": Gloss(
        "Key Usage has a bit the BR discourage for this key (dataEncipherment for RSA, "
        "keyAgreement for EC).",
        "TLS never encrypts data directly with the certificate's key, and ECDHE uses fresh "
        "keys, not the certificate's (BR §7.1.2.7.11).",
        "untick it."),
    "cabf.serverauth.subscriber_prohibited_ku_present": Gloss(
        "Key Usage has a bit a TLS server certificate must not have.",
        "BR §7.1.2.7.11 allows only digitalSignature, keyEncipherment (RSA) and, discouraged, "
        "dataEncipherment (RSA) or keyAgreement (EC): a server key signs handshakes or "
        "decrypts a key, nothing else.",
        "keep digitalSignature (plus keyEncipherment for an RSA key if TLS 1.2 RSA key "
        "exchange is still needed)."),
    "cabf.serverauth.subscriber_recommended_ku_missing": Gloss(
        "Key Usage lacks digitalSignature.",
        "An RSA server key signs the handshake in TLS 1.3 and in every ECDHE connection, so BR "
        "§7.1.2.7.11 says it SHOULD be set.",
        "tick digitalSignature."),
    "cabf.serverauth.subscriber_required_ku_missing": Gloss(
        "Key Usage lacks digitalSignature, which an ECDSA server key must have.",
        "An EC key takes part in TLS only by signing; without the bit clients refuse it (BR "
        "§7.1.2.7.11).",
        "tick digitalSignature."),
    "cabf.serverauth.subscriber_rsa_digitalsignature_and_keyencipherment_present": Gloss(
        "This RSA key may both sign (digitalSignature) and receive encrypted keys "
        "(keyEncipherment).",
        "keyEncipherment only serves TLS 1.2's RSA key exchange, which has no forward secrecy "
        "and which modern servers turn off; the BR (§7.1.2.7.11) make digitalSignature a SHOULD "
        "and keyEncipherment only a MAY, and pkilint warns when both are set. The teaching CA "
        "sets both so that old RSA key exchange still works.",
        "drop keyEncipherment unless clients still need RSA key exchange."),
}

# the plain text of each gloss, as the adapter shows it
PKILINT_GLOSS: dict[str, str] = {code: g.text for code, g in PKILINT_GLOSSES.items()}


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
        "the server or client name only against the SAN, never the subject CN (RFC 9525 §2; RFC 6125 §6.4.4 still allowed it as a last resort), so "
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
