"""The zoo's cases as data: what each broken server gets wrong, where, and how to fix it.

One row per server of :mod:`certlab.zoo`.  ``fault`` names the certificate at
fault as a reader sees it (``leaf``, ``intermediate``, ``chain``, ``server``);
``fault_index`` is its position in the chain the server sends (0 = the leaf,
``None`` when no single certificate is at fault); ``path`` is the node of that
certificate that causes the failure (pkilint-style node path).  The clients'
own words are never stored here: the zoo asks them live.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["ZooCase", "CASES"]

_TBS = "certificate.tbsCertificate"


class ZooCase(NamedTuple):
    title: str
    healthy: bool
    fault: str
    fault_index: int | None
    path: str | None
    explanation: str
    fix: str
    citation: str
    hint: str  # for the mystery server: where to look, without the answer


CASES: dict[str, ZooCase] = {
    "healthy": ZooCase(
        "a healthy server (EC P-256 leaf + intermediate)", True, "nothing", None, None,
        "Leaf for localhost, issued by the teaching intermediate, sent with that intermediate; every client builds "
        "the path to the trusted root and accepts it.",
        "Nothing to fix: this is what the broken ones should look like.",
        "RFC 5280 §6.1; RFC 8446 §4.4.2", "Compare it with the others."),
    "healthy-rsa": ZooCase(
        "a healthy server (RSA-2048 leaf)", True, "nothing", None, None,
        "The same as 'healthy' with an RSA-2048 key, the size most public certificates still use.",
        "Nothing to fix.", "CA/B Forum BR §6.1.5", "Compare it with the others."),
    "expired": ZooCase(
        "expired leaf", False, "leaf", 0, f"{_TBS}.validity.notAfter",
        "The leaf's notAfter lies in the past: the CA vouched for the key only until then.",
        "Renew: a new certificate (ideally a new key too), and automate renewal (ACME) so it never lapses.",
        "RFC 5280 §4.1.2.5, §6.1.3 (a)(2)", "Read the validity dates against today's date."),
    "not-yet-valid": ZooCase(
        "leaf not yet valid", False, "leaf", 0, f"{_TBS}.validity.notBefore",
        "The leaf's notBefore lies in the future: it is not valid yet (often a CA or server clock that is wrong).",
        "Check the clocks of the CA and the client (NTP); issue with notBefore = now (a little earlier for skew).",
        "RFC 5280 §4.1.2.5, §6.1.3 (a)(2)", "Read the validity dates against today's date."),
    "wrong-host": ZooCase(
        "certificate for another host name", False, "leaf", 0, f"{_TBS}.extensions.[2.5.29.17].extnValue.subjectAltName",
        "The leaf's subjectAltName lists wrong.host.example, not localhost, the name the client asked for.",
        "Issue the certificate for every name clients use (each in the SAN as a dNSName).",
        "RFC 6125 §6.4; RFC 9525 §6.3", "Which names does the certificate cover?"),
    "self-signed": ZooCase(
        "self-signed leaf", False, "leaf", 0, f"{_TBS}.issuer",
        "Issuer equals subject and the leaf's own key signed it: no CA vouches for it, so no trust store holds it.",
        "Get the certificate from a CA the clients trust (or, for a lab, install it as a trust anchor on purpose).",
        "RFC 5280 §6.1", "Who is the issuer?"),
    "untrusted-root": ZooCase(
        "chain to a root the client does not trust", False, "chain", 1, f"{_TBS}.issuer",
        "The chain is complete and correct, but it ends at 'certlab Stranger Root CA', which is not in the client's "
        "trust store.",
        "Use a CA whose root the clients already trust, or distribute this root to them deliberately.",
        "RFC 5280 §6.1 (trust anchors)", "Follow the issuers up: where does the chain end?"),
    "incomplete-chain": ZooCase(
        "intermediate not sent", False, "server", 0, f"{_TBS}.issuer",
        "The server sends only its own certificate; its issuer, the intermediate, is missing, so clients cannot "
        "link it to the root (browsers sometimes fetch it via AIA caIssuers or cache it; most clients do not).",
        "Configure the server with the full chain file: leaf, then the intermediate(s) (never only the leaf).",
        "RFC 8446 §4.4.2; RFC 5246 §7.4.2", "Count the certificates the server sends."),
    "wrong-order": ZooCase(
        "chain sent out of order (root before the intermediate)", False, "server", 1, f"{_TBS}.subject",
        "The server sends leaf, root, intermediate: each certificate should certify the one before it. TLS 1.2 "
        "required that order; TLS 1.3 and today's clients sort the certificates themselves, so this one works "
        "with modern clients but broke older ones.",
        "Send leaf first, then its issuer, then that one's issuer; leave the root out (clients have it).",
        "RFC 5246 §7.4.2; RFC 8446 §4.4.2", "In what order do the certificates arrive?"),
    "revoked": ZooCase(
        "revoked leaf (CRL and OCSP say so)", False, "leaf", 0, f"{_TBS}.serialNumber",
        "The CA revoked the leaf (keyCompromise): its serial is on the CRL and the OCSP responder answers revoked. "
        "Only clients that check revocation refuse it; a path check alone (and most default clients) accepts it.",
        "Replace the certificate and the key; revocation cannot be undone for keyCompromise.",
        "RFC 5280 §5.3.1, §6.3; RFC 6960 §2.2", "Ask the CRL and the OCSP responder the certificate names."),
    "sha1-intermediate": ZooCase(
        "intermediate signed with SHA-1", False, "intermediate", 1, "certificate.signatureAlgorithm",
        "The intermediate's signature uses ecdsa-with-SHA1 (the basis of its trust: the root signed a SHA-1 hash "
        "of it). SHA-1 collisions are practical (SHAttered, 2017), so verifiers refuse SHA-1 signatures on "
        "certificates; OpenSSL even refuses to load this chain into a server at its default security level.",
        "Re-issue the intermediate with SHA-256 (and the leaf under it if needed).",
        "CA/B Forum BR §7.1.3.2 (no SHA-1 signatures); OpenSSL SSL_CTX_set_security_level(3)", "Which hash signed each certificate?"),
    "rsa1024": ZooCase(
        "RSA-1024 leaf key", False, "leaf", 0, f"{_TBS}.subjectPublicKeyInfo.subjectPublicKey",
        "The leaf's key is RSA with a 1024-bit modulus, about 80 bits of security: security level 2 wants 112 "
        "(RSA-2048) and is the default of Python's ssl, of OpenSSL from 3.2 and of Debian's OpenSSL 3.0 (upstream "
        "3.0 and 3.1 default to level 1, which lets 80 bits through); the Baseline Requirements forbid RSA keys "
        "under 2048 bits. A verifier that checks "
        "only the chain's signatures, not the leaf's key size, lets it through: see which one above.",
        "Generate a new key (RSA-2048+ or EC P-256) and a new certificate.",
        "CA/B Forum BR §6.1.5; NIST SP 800-57 Part 1 Table 2", "How big is the key?"),
    "cn-only": ZooCase(
        "host name only in the Common Name (no subjectAltName)", False, "leaf", 0, f"{_TBS}.subject",
        "The leaf names localhost only in the subject CN and has no subjectAltName. Browsers (Chrome since version "
        "58, 2017) and verifiers that follow HTTP semantics (RFC 9110 §4.3.4: an HTTPS client MUST NOT use the CN) look only at the SAN; OpenSSL-based clients still fall back "
        "to the CN when there is no SAN (Python's ssl: SSLContext.hostname_checks_common_name is True by default), "
        "so the same server works in one client and fails in another: see the table.",
        "Put every host name into the subjectAltName extension (the CN may repeat one of them).",
        "RFC 9110 §4.3.4; RFC 6125 §6.4.4; CA/B Forum BR §7.1.2.7.12", "Where does the certificate name the host?"),
    "eku-client-only": ZooCase(
        "Extended Key Usage clientAuth only", False, "leaf", 0, f"{_TBS}.extensions.[2.5.29.37].extnValue.extKeyUsageSyntax",
        "The leaf's Extended Key Usage allows only clientAuth; a TLS server certificate needs serverAuth.",
        "Issue the server certificate with EKU serverAuth (id-kp-serverAuth, 1.3.6.1.5.5.7.3.1).",
        "RFC 5280 §4.2.1.12; CA/B Forum BR §7.1.2.7.10", "What is the certificate allowed to be used for?"),
    "intermediate-not-ca": ZooCase(
        "intermediate with CA:FALSE", False, "intermediate", 1, f"{_TBS}.extensions.[2.5.29.19].extnValue.basicConstraints",
        "The certificate that signed the leaf says CA:FALSE in Basic Constraints: it is not allowed to issue "
        "certificates, so its signature on the leaf counts for nothing.",
        "Sign leaves only with a CA certificate (BasicConstraints cA=TRUE, critical, and keyCertSign).",
        "RFC 5280 §4.2.1.9, §6.1.4 (k)", "Look at the Basic Constraints of every certificate."),
    "pathlen-exceeded": ZooCase(
        "pathLenConstraint exceeded", False, "intermediate", 2, f"{_TBS}.extensions.[2.5.29.19].extnValue.basicConstraints.pathLenConstraint",
        "The teaching intermediate says pathLenConstraint 0 (no CA below it), yet it signed another CA, which "
        "signed the leaf: the path is one CA too long.",
        "Issue leaves directly from the intermediate, or re-issue it with a larger pathLenConstraint.",
        "RFC 5280 §4.2.1.9, §6.1.4 (l)-(m)", "Count the CAs and read their pathLenConstraint."),
    "name-constraints": ZooCase(
        "name constraints violated", False, "intermediate", 1, f"{_TBS}.extensions.[2.5.29.30].extnValue.nameConstraints",
        "The intermediate may only issue for example.org (Name Constraints, permittedSubtrees), but the leaf is "
        "for localhost.",
        "Issue the leaf from a CA whose name constraints permit the name, or widen the constraints.",
        "RFC 5280 §4.2.1.10, §6.1.3 (b)", "Is the issuing CA limited to some names?"),
    "key-mismatch": ZooCase(
        "certificate and private key do not match", False, "server", 0, f"{_TBS}.subjectPublicKeyInfo",
        "The server proves possession with a private key that is not the one in its certificate. OpenSSL refuses "
        "to even configure that (key values mismatch); a client that gets such a certificate can verify the chain "
        "perfectly but the handshake signature fails.",
        "Configure the key that belongs to the certificate (compare their public keys: openssl x509 -pubkey / "
        "openssl pkey -pubout).",
        "RFC 8446 §4.4.3; RFC 5246 §7.4.3", "The chain may look fine: watch the handshake itself."),
    "many-sans": ZooCase(
        "10,000 subjectAltNames", False, "leaf", 0, f"{_TBS}.extensions.[2.5.29.17].extnValue.subjectAltName",
        "The leaf lists 10,000 names (over 200 KB). The chain itself is valid (a verifier given it directly may "
        "accept it: see above); the handshake fails, because clients cap the certificate list they accept "
        "(OpenSSL: 100 KiB by default), so no client ever receives it.",
        "Split the names over several certificates; keep each certificate small (a few dozen names).",
        "RFC 8446 §4.4.2; OpenSSL SSL_CTX_set_max_cert_list(3)", "How big is the certificate?"),
}
