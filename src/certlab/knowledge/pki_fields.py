"""Field texts of the PKI messages certlab reads by their structure (certlab.fields_pki).

Key -> (display name, what it means, where it is defined).  Each section cited
was read in the RFC text: RFC 6960 (OCSP), RFC 5652 (CMS), RFC 7292 (PKCS#12),
RFC 3161 (time-stamping), RFC 4210 (CMP).
"""

from __future__ import annotations

from .fields import Text

__all__ = ["PKI_TEXT"]

PKI_TEXT: dict[str, Text] = {
    # --- OCSP (RFC 6960) ---
    "ocsp.status": Text("Response status", "Whether the responder could answer at all: only 'successful' "
                        "carries certificate statuses; the others (malformedRequest, internalError, tryLater, "
                        "sigRequired, unauthorized) carry nothing and are not signed.", "RFC 6960 §4.2.1"),
    "ocsp.type": Text("Response type", "What the response bytes hold; id-pkix-ocsp-basic is the only type "
                      "clients must understand.", "RFC 6960 §4.2.1"),
    "ocsp.responder": Text("Responder", "Who signed the response: by name, or by the SHA-1 hash of its public "
                           "key. It must be the CA itself or a responder the CA delegated with the "
                           "id-kp-OCSPSigning extended key usage.", "RFC 6960 §4.2.1, 4.2.2.2"),
    "ocsp.producedAt": Text("Produced at", "When the responder signed this response.", "RFC 6960 §4.2.2.1"),
    "ocsp.cert": Text("Certificate", "Which certificate this status is about: its issuer (hashes of the issuer's "
                      "name and key) and its serial number.", "RFC 6960 §4.1.1"),
    "ocsp.certStatus": Text("Status", "good: not revoked (as far as the responder knows); revoked: with the time "
                            "and, if given, the reason; unknown: the responder does not know this "
                            "certificate.", "RFC 6960 §4.2.1, 2.2"),
    "ocsp.thisUpdate": Text("This update", "The time at which the status was known to be correct.",
                            "RFC 6960 §4.2.2.1"),
    "ocsp.nextUpdate": Text("Next update", "When newer information will be available; without it, newer "
                            "information is always available.", "RFC 6960 §4.2.2.1"),
    "ocsp.request": Text("Requested certificate", "A certificate whose status is asked for: issuer name and key "
                         "hashes and the serial number.", "RFC 6960 §4.1.1"),
    "ocsp.signature": Text("Signature algorithm", "How the response (or a signed request) is signed.",
                           "RFC 6960 §4.2.1"),
    "ocsp.certs": Text("Certificates", "Certificates sent along to help verify the responder's signature.",
                       "RFC 6960 §4.2.1"),
    "ocsp.extension": Text("Extension", "An extension of the request or response (the nonce ties a response "
                           "to its request, RFC 8954).", "RFC 6960 §4.4"),
    # --- CMS (RFC 5652) ---
    "cms.contentType": Text("Content type", "What the ContentInfo holds: data, signedData, envelopedData, "
                            "digestedData, encryptedData or authenticatedData.", "RFC 5652 §3"),
    "cms.eContentType": Text("Signed content type", "The type of what was signed (id-data for plain bytes, "
                             "id-ct-TSTInfo for a time-stamp token).", "RFC 5652 §5.2"),
    "cms.digestAlgorithms": Text("Digest algorithms", "The hash algorithms the signers used.", "RFC 5652 §5.1"),
    "cms.certificate": Text("Certificate", "A certificate carried to help build the signers' chains; not "
                            "necessarily the signer's own, and in no particular order.", "RFC 5652 §5.1"),
    "cms.crl": Text("Revocation information", "A CRL (or other revocation status) carried along.",
                    "RFC 5652 §5.1, 10.2.1"),
    "cms.signer": Text("Signer", "Which certificate signed: by issuer and serial number, or by subject key "
                       "identifier.", "RFC 5652 §5.3"),
    "cms.signerAlgorithms": Text("Signer's algorithms", "The digest and signature algorithms of this signer.",
                                 "RFC 5652 §5.3"),
    "cms.signedAttr": Text("Signed attribute", "Signed attributes (content type, message digest, signing "
                           "time ...) are what the signature covers, together with the content's digest.",
                           "RFC 5652 §5.3, 11"),
    "cms.recipients": Text("Recipients", "How many recipients can decrypt the enveloped content.",
                           "RFC 5652 §6.1"),
    # --- PKCS#12 (RFC 7292) ---
    "p12.version": Text("Version", "Always 3 for this version of PKCS#12.", "RFC 7292 §4"),
    "p12.mac": Text("Integrity (MAC)", "An HMAC over the bundle keyed from the password: it detects a wrong "
                    "password or a changed file. Its iteration count slows down password guessing.",
                    "RFC 7292 §4, 5.3"),
    "p12.safe": Text("Safe", "Each part of the AuthenticatedSafe holds bags, either in the clear (data) or "
                     "encrypted under the password (encryptedData) or a public key (envelopedData).",
                     "RFC 7292 §4.1"),
    "p12.bag": Text("Bag", "One item of the bundle: a key (keyBag in the clear, pkcs8ShroudedKeyBag "
                    "encrypted), a certificate (certBag), a CRL, a secret, or nested bags.", "RFC 7292 §4.2"),
    "p12.friendlyName": Text("Friendly name", "The label a program shows for this bag.", "RFC 2985 §5.5.1"),
    "p12.localKeyId": Text("Local key ID", "Pairs a key with its certificate inside the bundle (often the "
                           "SHA-1 of the certificate).", "RFC 2985 §5.5.2"),
    # --- RFC 3161 time-stamping ---
    "tsp.hash": Text("Message imprint", "The hash of the data to be time-stamped: the TSA never sees the data "
                     "itself.", "RFC 3161 §2.4.1"),
    "tsp.policy": Text("Policy", "The TSA policy the request asks for, or under which the token was made.",
                       "RFC 3161 §2.4.1, 2.4.2"),
    "tsp.nonce": Text("Nonce", "A random number the response must repeat, so an old response cannot be "
                      "replayed.", "RFC 3161 §2.4.1"),
    "tsp.certReq": Text("Certificate requested", "TRUE asks the TSA to put its certificate in the token.",
                        "RFC 3161 §2.4.1"),
    "tsp.status": Text("Status", "granted, grantedWithMods, rejection, waiting, revocationWarning or "
                       "revocationNotification; only the first two carry a token.", "RFC 3161 §2.4.2"),
    "tsp.serial": Text("Serial number", "Unique for each token this TSA issues.", "RFC 3161 §2.4.2"),
    "tsp.genTime": Text("Time", "When the TSA made the token: the time the data is proven to have existed by.",
                        "RFC 3161 §2.4.2"),
    "tsp.accuracy": Text("Accuracy", "How far genTime may be off, in seconds, milliseconds and microseconds.",
                         "RFC 3161 §2.4.2"),
    "tsp.tsa": Text("TSA", "A name of the time-stamping authority, if given.", "RFC 3161 §2.4.2"),
    # --- CMP (RFC 4210) ---
    "cmp.body": Text("Message type", "What this CMP message is: the body's alternative (ir, ip, cr, cp, p10cr, "
                     "certConf, pkiconf, rr, rp, genm, genp, error ...).", "RFC 4210 §5.1.2"),
    "cmp.sender": Text("Sender", "Who sent the message.", "RFC 4210 §5.1.1"),
    "cmp.recipient": Text("Recipient", "Whom the message is for.", "RFC 4210 §5.1.1"),
    "cmp.transactionID": Text("Transaction ID", "The same in every message of one transaction.",
                              "RFC 4210 §5.1.1"),
    "cmp.protection": Text("Protection", "How the message is protected: a signature, or a MAC from a shared "
                           "secret (PasswordBasedMac).", "RFC 4210 §5.1.3"),
    "crmf.request": Text("Certificate request", "A requested certificate: its request ID and the subject and "
                         "key it asks for.", "RFC 4211 §5"),
}
