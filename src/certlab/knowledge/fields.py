"""What each decoded field means, as data.

A field that shows one node means what that node means: its explanation is the
node's (:mod:`certlab.knowledge.asn1`, looked up by node path), so the field list
and the ASN.1 tree say the same thing; ``FIELD_NAMES`` only gives such a field its
display name.  ``DERIVED_TEXT`` explains the fields computed from a node (a
size, a fingerprint, a check) or summing up several.  ``EXTENSION_TEXT`` (by the
dotted OID of an extension) and ``ATTRIBUTE_TEXT`` (a CSR attribute) are the one
home of what an extension or an attribute means: the field list, the tree's
``Extension`` / ``Attribute`` nodes and the OID registry all read them.  Each
entry is ``(display name, explanation, RFC section)``.  The explanations are our
own words; the sections are where a reader can check them.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Text", "FIELD_NAMES", "DERIVED_TEXT", "EXTENSION_TEXT", "ATTRIBUTE_TEXT", "SECTIONS", "UNKNOWN_EXTENSION"]


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

# Display names of the fields that show one node: what they mean is that node's
# explanation (certlab.knowledge.asn1, by node path), so the field list and the tree
# say the same thing.  Key -> name.
FIELD_NAMES: dict[str, str] = {
    "cert.version": "Version",
    "cert.serial": "Serial number",
    "cert.tbs_signature": "Signature algorithm (inside the signed part)",
    "cert.issuer": "Issuer",
    "cert.not_before": "Not before",
    "cert.not_after": "Not after",
    "cert.subject": "Subject",
    "cert.signature_algorithm": "Signature algorithm",
    "cert.signature": "Signature value",
    "cert.issuer_unique_id": "Issuer unique ID",
    "cert.subject_unique_id": "Subject unique ID",
    "key.algorithm": "Public key algorithm",
    "key.modulus": "Modulus (n)",
    "key.exponent": "Public exponent (e)",
    "key.curve": "Curve",
    "key.point": "Public point",
    "key.raw": "Public key bytes",
    "key.dsa_params": "DSA parameters",
    "priv.rsa_d": "Private exponent (d)",
    "priv.ec_scalar": "Private scalar (d)",
    "priv.raw": "Private key seed",
    "priv.raw_scalar": "Private scalar",
    "priv.dsa_x": "Private value (x)",
    "csr.version": "Version",
    "csr.subject": "Subject",
    "csr.signature_algorithm": "Signature algorithm",
    "csr.signature": "Signature value",
    "crl.version": "Version",
    "crl.issuer": "Issuer",
    "crl.this_update": "This update",
    "crl.next_update": "Next update",
    "crl.revoked": "Revoked certificate",
    "crl.signature_algorithm": "Signature algorithm",
    "crl.signature": "Signature value",
}

# Fields computed from a node (a size, a hash, a check) or summing up several nodes:
# they explain the computation, so they keep a text of their own.
DERIVED_TEXT: dict[str, Text] = {
    "cert.validity_period": Text(
        "Validity period",
        "How long the certificate lives: notAfter - notBefore + 1 second. Publicly trusted TLS "
        "certificates have a maximum that keeps shrinking (CA/B Forum ballot SC-081).",
        "CA/B Forum BR §6.3.2",
    ),
    "key.size": Text(
        "Key size",
        "How big the key is. RSA keys need at least 2048 bits today; elliptic-curve keys get "
        "similar strength from 256 bits.",
        "CA/B Forum BR §6.1.5",
    ),
    "key.spki_sha256": Text(
        "SPKI SHA-256",
        "SHA-256 of the DER SubjectPublicKeyInfo: the value used for key pinning and to spot the "
        "same key in different certificates.",
        "RFC 7469 §2.4",
    ),
    "priv.kind": Text(
        "Private key",
        "A private key is the secret half of the key pair. Anyone who has it can impersonate the "
        "certificate's owner, so certlab hides its secret numbers unless you ask to reveal them.",
        "RFC 5958 §2",
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
    "csr.signature_valid": Text(
        "Signature valid",
        "Whether the request's signature verifies with its own public key. A CA must refuse a "
        "request whose signature does not verify.",
        "RFC 2986 §3",
    ),
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
        "This is what TLS clients check: an HTTPS client must not fall back to the subject's CN.",
        "RFC 5280 §4.2.1.6; RFC 9110 §4.3.4",
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
    "2.5.29.24": Text("Invalidity Date", "When the private key is known or suspected to have been compromised, "
                      "or the certificate otherwise became invalid.", "RFC 5280 §5.3.2"),
    "2.5.29.29": Text("Certificate Issuer", "The CA that issued this revoked certificate (indirect CRLs).", "RFC 5280 §5.3.3"),
}

UNKNOWN_EXTENSION = Text(
    "Unknown extension",
    "An extension certlab has no explanation for; its value is shown as read. If it is marked "
    "critical, RFC 5280 says a client that does not recognise it must reject the certificate.",
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
    "1.2.840.113549.1.9.2": Text("Unstructured name", "A free-text name (or names) of the subject; what it means "
                                "is left to the certificate issuer.", "RFC 2985 §5.2.2"),
}
