"""What each decoded field means, as data.

``FIELD_TEXT`` is keyed by a field key (the same key ``certlab.fields`` uses
when it emits a field); ``EXTENSION_TEXT`` by the dotted OID of an extension;
``ATTRIBUTE_TEXT`` by the dotted OID of a CSR attribute.  Each entry is
``(display name, explanation, RFC section)``.  The explanations are our own
words; the sections are where a reader can check them.

The field model reads these tables and never hard-codes a sentence, so that a
notebook, the explorer and the findings can quote the same text.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Text", "FIELD_TEXT", "EXTENSION_TEXT", "ATTRIBUTE_TEXT", "SECTIONS", "UNKNOWN_EXTENSION"]


class Text(NamedTuple):
    """Display name, plain-language explanation and the RFC section behind it."""

    name: str
    explanation: str
    rfc: str | None


# Section titles, in the order the field model emits them.
SECTIONS: tuple[str, ...] = (
    "Overview",
    "Issuer",
    "Validity",
    "Subject",
    "Public key",
    "Extensions",
    "Attributes",
    "Revoked certificates",
    "Private key",
    "Signature",
    "Fingerprints",
)

FIELD_TEXT: dict[str, Text] = {
    # --- certificates (RFC 5280 section 4.1) ---
    "cert.version": Text(
        "Version",
        "Which edition of the X.509 format this is. Certificates with extensions must be v3 "
        "(encoded as the number 2, because counting starts at 0).",
        "RFC 5280 §4.1.2.1",
    ),
    "cert.serial": Text(
        "Serial number",
        "A number the issuer gives this certificate; together with the issuer name it identifies "
        "the certificate uniquely, e.g. on a revocation list. It must be positive and at most 20 "
        "bytes; CAs fill it with random bits so nobody can predict it.",
        "RFC 5280 §4.1.2.2",
    ),
    "cert.tbs_signature": Text(
        "Signature algorithm (inside the signed part)",
        "The algorithm the issuer says it used to sign. It is repeated inside the signed part so an "
        "attacker cannot swap it for a weaker one; it must equal the outer signatureAlgorithm.",
        "RFC 5280 §4.1.2.3",
    ),
    "cert.issuer": Text(
        "Issuer",
        "The distinguished name of whoever signed this certificate. For a self-signed certificate "
        "it is the same as the subject.",
        "RFC 5280 §4.1.2.4",
    ),
    "cert.not_before": Text(
        "Not before",
        "The first moment the certificate is valid. Dates up to 2049 are encoded as UTCTime "
        "(two-digit year), later ones as GeneralizedTime.",
        "RFC 5280 §4.1.2.5",
    ),
    "cert.not_after": Text(
        "Not after",
        "The last moment the certificate is valid (inclusive). After it, clients reject the "
        "certificate and the issuer no longer has to track its revocation.",
        "RFC 5280 §4.1.2.5",
    ),
    "cert.validity_period": Text(
        "Validity period",
        "How long the certificate lives: notAfter - notBefore + 1 second. Publicly trusted TLS "
        "certificates have a maximum that keeps shrinking (CA/B Forum ballot SC-081).",
        "CA/B Forum BR §6.3.2",
    ),
    "cert.subject": Text(
        "Subject",
        "The distinguished name of whoever the certificate is about. For websites the names that "
        "count are in the Subject Alternative Name extension; the CN is only a label.",
        "RFC 5280 §4.1.2.6",
    ),
    "cert.signature_algorithm": Text(
        "Signature algorithm",
        "The algorithm (hash + key type) used to sign the certificate body.",
        "RFC 5280 §4.1.1.2",
    ),
    "cert.signature": Text(
        "Signature value",
        "The issuer's signature over the DER bytes of tbsCertificate. Anyone with the issuer's "
        "public key can check that not one byte of the body was changed.",
        "RFC 5280 §4.1.1.3",
    ),
    "cert.issuer_unique_id": Text(
        "Issuer unique ID",
        "An obsolete field from X.509 v2; RFC 5280 says CAs must not generate it.",
        "RFC 5280 §4.1.2.8",
    ),
    "cert.subject_unique_id": Text(
        "Subject unique ID",
        "An obsolete field from X.509 v2; RFC 5280 says CAs must not generate it.",
        "RFC 5280 §4.1.2.8",
    ),
    # --- public keys (RFC 5280 §4.1.2.7, RFC 3279, RFC 5480, RFC 8410) ---
    "key.algorithm": Text(
        "Public key algorithm",
        "The kind of key this is (RSA, elliptic curve, EdDSA ...). The matching private key is "
        "what proves ownership of the certificate.",
        "RFC 5280 §4.1.2.7",
    ),
    "key.size": Text(
        "Key size",
        "How big the key is. RSA keys need at least 2048 bits today; elliptic-curve keys get "
        "similar strength from 256 bits.",
        "CA/B Forum BR §6.1.5",
    ),
    "key.modulus": Text(
        "Modulus (n)",
        "The public RSA modulus, the product of two secret primes. Its length is the key size.",
        "RFC 8017 §3.1",
    ),
    "key.exponent": Text(
        "Public exponent (e)",
        "The public RSA exponent; almost always 65537, a prime that makes verification fast.",
        "RFC 8017 §3.1",
    ),
    "key.curve": Text(
        "Curve",
        "The named elliptic curve the key lives on. Browsers accept P-256 and P-384.",
        "RFC 5480 §2.1.1.1",
    ),
    "key.point": Text(
        "Public point",
        "The curve point Q = d·G, uncompressed (04 || x || y).",
        "RFC 5480 §2.2",
    ),
    "key.raw": Text(
        "Public key bytes",
        "The raw public key: for Ed25519/Ed448 and X25519/X448 it is a fixed-length string, no "
        "parameters needed.",
        "RFC 8410 §4",
    ),
    "key.dsa_params": Text(
        "DSA parameters",
        "The group (p, q, g) the DSA key belongs to. DSA is no longer allowed for new TLS certificates.",
        "RFC 3279 §2.3.2",
    ),
    "key.spki_sha256": Text(
        "SPKI SHA-256",
        "SHA-256 of the DER SubjectPublicKeyInfo: the value used for key pinning and to spot the "
        "same key in different certificates.",
        "RFC 7469 §2.4",
    ),
    # --- private keys (RFC 5958, RFC 8017 §3.2, RFC 5915) ---
    "priv.kind": Text(
        "Private key",
        "A private key is the secret half of the key pair. Anyone who has it can impersonate the "
        "certificate's owner, so certlab hides its secret numbers unless you ask to reveal them.",
        "RFC 5958 §2",
    ),
    "priv.rsa_d": Text(
        "Private exponent (d)",
        "The secret exponent that undoes e. Never share it.",
        "RFC 8017 §3.2",
    ),
    "priv.rsa_primes": Text(
        "Primes (p, q)",
        "The two secret primes whose product is n. Knowing either one gives away the whole key.",
        "RFC 8017 §3.2",
    ),
    "priv.rsa_crt": Text(
        "CRT values (dP, dQ, qInv)",
        "Pre-computed values that make signing about four times faster (Chinese remainder theorem).",
        "RFC 8017 §3.2",
    ),
    "priv.ec_scalar": Text(
        "Private scalar (d)",
        "The secret number d with Q = d·G.",
        "RFC 5915 §3",
    ),
    "priv.raw": Text(
        "Private key seed",
        "The secret random seed of an EdDSA key (32 bytes for Ed25519, 57 for Ed448): it is "
        "hashed to get the signing scalar and a nonce key, so it is the whole secret.",
        "RFC 8032 §5.1.5, §5.2.5; RFC 8410 §7",
    ),
    "priv.raw_scalar": Text(
        "Private scalar",
        "The secret scalar of an X25519 (32 bytes) or X448 (56 bytes) key-agreement key, used "
        "directly (after clamping a few bits) to multiply the curve's base point.",
        "RFC 7748 §5; RFC 8410 §7",
    ),
    "priv.dsa_x": Text(
        "Private value (x)",
        "The secret DSA exponent.",
        "RFC 3279 §2.3.2",
    ),
    # --- CSRs (RFC 2986) ---
    "csr.version": Text(
        "Version",
        "PKCS #10 has one version, encoded as 0.",
        "RFC 2986 §4.1",
    ),
    "csr.subject": Text(
        "Subject",
        "The name the requester asks for. The CA decides what actually goes into the certificate.",
        "RFC 2986 §4.1",
    ),
    "csr.signature_algorithm": Text(
        "Signature algorithm",
        "How the request was self-signed with the requester's private key.",
        "RFC 2986 §4.2",
    ),
    "csr.signature": Text(
        "Signature value",
        "A signature by the private key that matches the public key in the request: proof that "
        "the requester holds that key (proof of possession).",
        "RFC 2986 §3",
    ),
    "csr.signature_valid": Text(
        "Signature valid",
        "Whether the request's signature verifies with its own public key. A CA must refuse a "
        "request whose signature does not verify.",
        "RFC 2986 §3",
    ),
    # --- CRLs (RFC 5280 §5) ---
    "crl.version": Text("Version", "CRLs with extensions are v2 (encoded as 1).", "RFC 5280 §5.1.2.1"),
    "crl.issuer": Text("Issuer", "The CA that signed this revocation list.", "RFC 5280 §5.1.2.3"),
    "crl.this_update": Text("This update", "When this list was issued.", "RFC 5280 §5.1.2.4"),
    "crl.next_update": Text(
        "Next update",
        "When the next list will be issued at the latest; clients treat an older list as stale.",
        "RFC 5280 §5.1.2.5",
    ),
    "crl.revoked": Text(
        "Revoked certificate",
        "One revoked certificate: its serial number and when it was revoked.",
        "RFC 5280 §5.1.2.6",
    ),
    "crl.signature_algorithm": Text(
        "Signature algorithm", "How the CA signed this list.", "RFC 5280 §5.1.1.2"
    ),
    "crl.signature": Text(
        "Signature value", "The CA's signature over tbsCertList.", "RFC 5280 §5.1.1.3"
    ),
    # --- fingerprints ---
    "fp.sha256": Text(
        "SHA-256 fingerprint",
        "SHA-256 of the whole DER encoding, shown like browsers do. It is not part of the "
        "certificate: it is computed, and used to compare certificates at a glance.",
        None,
    ),
    "fp.sha1": Text(
        "SHA-1 fingerprint",
        "The older fingerprint some tools still show; fine to compare, not to trust against an attacker.",
        None,
    ),
}

# Extension display names and explanations, keyed by dotted OID.
EXTENSION_TEXT: dict[str, Text] = {
    "2.5.29.14": Text(
        "Subject Key Identifier",
        "A short ID of this certificate's public key (often a SHA-1 of it). Path builders use it "
        "to find which certificate issued which.",
        "RFC 5280 §4.2.1.2",
    ),
    "2.5.29.35": Text(
        "Authority Key Identifier",
        "The Subject Key Identifier of the issuer's key, to pick the right issuer certificate. "
        "Required except in a self-signed root (RFC 5280; the CA/B Forum only recommends it "
        "there); cryptography's verifier requires it on the leaf only: ISRG Root X1 has none.",
        "RFC 5280 §4.2.1.1; CA/B Forum BR §7.1.2.1.2, §7.1.2.7.6",
    ),
    "2.5.29.15": Text(
        "Key Usage",
        "Which cryptographic operations the certified key may perform: digitalSignature (sign, "
        "e.g. a TLS handshake), keyEncipherment (receive an encrypted key: old RSA key exchange), "
        "keyAgreement (Diffie-Hellman), keyCertSign and cRLSign (a CA signing certificates and "
        "revocation lists) ... A client refuses the key for an operation whose bit is missing. "
        "Should be critical.",
        "RFC 5280 §4.2.1.3",
    ),
    "2.5.29.37": Text(
        "Extended Key Usage",
        "For which applications the certificate may be used: serverAuth (a TLS server), "
        "clientAuth, codeSigning, emailProtection ... Key Usage says which operations, this says "
        "for what purpose. Publicly trusted server certificates must list serverAuth, and a TLS "
        "client (cryptography's verifier too) refuses a server certificate whose Extended Key "
        "Usage lacks it; without the extension, RFC 5280 puts no limit on the purpose.",
        "RFC 5280 §4.2.1.12; CA/B Forum BR §7.1.2.7.10",
    ),
    "2.5.29.17": Text(
        "Subject Alternative Name",
        "The names the certificate is valid for: DNS names, IP addresses, e-mail addresses, URIs. "
        "Browsers only look here, never at the CN.",
        "RFC 5280 §4.2.1.6",
    ),
    "2.5.29.18": Text(
        "Issuer Alternative Name",
        "Additional names for the issuer.",
        "RFC 5280 §4.2.1.7",
    ),
    "2.5.29.19": Text(
        "Basic Constraints",
        "Whether the certificate belongs to a CA (may sign other certificates) and how many CAs "
        "may follow it in a chain (path length). Must be critical in CA certificates.",
        "RFC 5280 §4.2.1.9",
    ),
    "2.5.29.30": Text(
        "Name Constraints",
        "Limits which names the certificates below this CA may contain.",
        "RFC 5280 §4.2.1.10",
    ),
    "2.5.29.36": Text(
        "Policy Constraints",
        "Controls when certificate policies must be present further down the chain.",
        "RFC 5280 §4.2.1.11",
    ),
    "2.5.29.33": Text("Policy Mappings", "Maps the issuer's policies onto the subject CA's.", "RFC 5280 §4.2.1.5"),
    "2.5.29.54": Text("Inhibit anyPolicy", "Stops anyPolicy from matching after N certificates.", "RFC 5280 §4.2.1.14"),
    "2.5.29.32": Text(
        "Certificate Policies",
        "The policies the certificate was issued under, e.g. the CA/B Forum's domain-validated policy.",
        "RFC 5280 §4.2.1.4",
    ),
    "2.5.29.31": Text(
        "CRL Distribution Points",
        "Where to download the revocation list that would include this certificate.",
        "RFC 5280 §4.2.1.13",
    ),
    "2.5.29.46": Text("Freshest CRL", "Where to find delta CRLs.", "RFC 5280 §4.2.1.15"),
    "1.3.6.1.5.5.7.1.1": Text(
        "Authority Information Access",
        "Where to ask about this certificate's status (OCSP) and where to download the issuer's "
        "certificate (caIssuers).",
        "RFC 5280 §4.2.2.1",
    ),
    "1.3.6.1.5.5.7.1.11": Text("Subject Information Access", "Services offered by the subject.", "RFC 5280 §4.2.2.2"),
    "1.3.6.1.4.1.11129.2.4.2": Text(
        "Signed Certificate Timestamps",
        "Receipts from Certificate Transparency logs proving the certificate was published.",
        "RFC 6962 §3.3",
    ),
    "1.3.6.1.4.1.11129.2.4.3": Text(
        "Precertificate Poison",
        "Marks a precertificate (submitted to CT logs) so that no client accepts it as a real certificate.",
        "RFC 6962 §3.1",
    ),
    "1.3.6.1.5.5.7.1.24": Text("TLS Feature", "E.g. 'must staple': the server must send an OCSP response.", "RFC 7633 §4"),
    "1.3.6.1.5.5.7.48.1.5": Text("OCSP No Check", "The OCSP responder's own certificate is not checked for revocation.", "RFC 6960 §4.2.2.2.1"),
    "2.5.29.9": Text("Subject Directory Attributes", "Extra attributes of the subject.", "RFC 5280 §4.2.1.8"),
    "2.5.29.16": Text("Private Key Usage Period", "When the private key may be used; deprecated.", "RFC 3280 §4.2.1.4"),
    "1.3.6.1.5.5.7.1.3": Text("Qualified Certificate Statements", "Statements for EU qualified certificates.", "RFC 3739 §3.2.6"),
    # CRL extensions
    "2.5.29.20": Text("CRL Number", "A sequence number that increases with each CRL.", "RFC 5280 §5.2.3"),
    "2.5.29.27": Text("Delta CRL Indicator", "Marks a delta CRL and names its base CRL.", "RFC 5280 §5.2.4"),
    "2.5.29.28": Text("Issuing Distribution Point", "Which certificates this CRL covers.", "RFC 5280 §5.2.5"),
    "2.5.29.21": Text("Reason Code", "Why the certificate was revoked.", "RFC 5280 §5.3.1"),
    "2.5.29.24": Text("Invalidity Date", "When the key is suspected to have been compromised.", "RFC 5280 §5.3.2"),
    "2.5.29.29": Text("Certificate Issuer", "The CA that issued this revoked certificate (indirect CRLs).", "RFC 5280 §5.3.3"),
}

UNKNOWN_EXTENSION = Text(
    "Unknown extension",
    "An extension certlab has no decoder for; its raw value is shown. If it is marked critical, "
    "RFC 5280 says a client that does not understand it must reject the certificate.",
    "RFC 5280 §4.2",
)

ATTRIBUTE_TEXT: dict[str, Text] = {
    "1.2.840.113549.1.9.14": Text(
        "Extension request",
        "The extensions the requester asks the CA to put into the certificate (typically the SANs). "
        "The CA decides which ones it copies.",
        "RFC 2985 §5.4.2",
    ),
    "1.2.840.113549.1.9.7": Text(
        "Challenge password",
        "A password some CAs use to authorise a later revocation. It is stored in clear text "
        "inside the request, so it is not a real secret.",
        "RFC 2985 §5.4.1",
    ),
    "1.2.840.113549.1.9.2": Text("Unstructured name", "A free-text name of the requester.", "RFC 2985 §5.2.2"),
}
