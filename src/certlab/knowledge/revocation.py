"""Revocation facts as data: CRL reason codes and the texts of every revocation outcome.

``REASONS`` is the one table of RFC 5280 §5.3.1 reason codes (the name
cryptography uses, the name on the wire, what it means, whether a TLS
subscriber certificate may carry it under the CA/B Forum Baseline Requirements
§7.2.2).  ``OUTCOMES`` holds what :func:`certlab.revocation.check` says for each
outcome: a template, the fix, and the citation.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Reason", "REASONS", "OutcomeText", "OUTCOMES", "CHECKS", "FRESHNESS"]


class Reason(NamedTuple):
    """One CRLReason value (RFC 5280 §5.3.1)."""

    code: int  # the ENUMERATED value on the wire
    wire: str  # the ASN.1 name, as openssl prints it
    meaning: str
    subscriber_ok: bool  # allowed for a TLS subscriber certificate (CA/B Forum BR §7.2.2)


# key: the cryptography ReasonFlags member name (what TeachingCA.revoke accepts)
REASONS: dict[str, Reason] = {
    "unspecified": Reason(0, "unspecified", "no reason given; RFC 5280 §5.3.1 says to leave the reasonCode out instead", True),
    "key_compromise": Reason(1, "keyCompromise", "the private key leaked or may have: the most urgent reason", True),
    "ca_compromise": Reason(2, "cACompromise", "the key of a CA leaked; used on CA certificates", False),
    "affiliation_changed": Reason(3, "affiliationChanged", "the subject's name or other information changed", True),
    "superseded": Reason(4, "superseded", "a new certificate replaces this one", True),
    "cessation_of_operation": Reason(5, "cessationOfOperation", "the certificate is no longer needed (the site closed)", True),
    "certificate_hold": Reason(6, "certificateHold", "suspended, may be released later; the BR forbid it for TLS certificates", False),
    "privilege_withdrawn": Reason(9, "privilegeWithdrawn", "the subscriber lost the right to the name or broke the terms", True),
    "aa_compromise": Reason(10, "aACompromise", "an attribute authority's key leaked (attribute certificates)", False),
}


class OutcomeText(NamedTuple):
    """What one revocation outcome says: a ``str.format`` template, the fix, the source."""

    message: str
    fix: str
    citation: str


OUTCOMES: dict[str, OutcomeText] = {
    "crl-good": OutcomeText(
        "The CRL of {issuer} (CRL number {number}, issued {this_update}, next update {next_update}) "
        "verifies with the issuer's key and does not list serial {serial}: not revoked.",
        "Nothing to fix. Clients fetch the CRL again after its nextUpdate.",
        "RFC 5280 §5, §6.3.3",
    ),
    "crl-revoked": OutcomeText(
        "The CRL of {issuer} (CRL number {number}) lists serial {serial} as revoked on {when} "
        "(reason: {reason}). A client that checks the CRL refuses this certificate.",
        "Stop using this certificate and its key: make a new key, a new CSR and get a new certificate.",
        "RFC 5280 §5.3.1, §6.3.3",
    ),
    "ocsp-good": OutcomeText(
        "The OCSP responder at {url} answered good for serial {serial} (thisUpdate {this_update}, "
        "nextUpdate {next_update}), signed by {signer}.",
        "Nothing to fix. The answer may be cached (or stapled by the server) until its nextUpdate; "
        "one without a nextUpdate holds for this check only.",
        "RFC 6960 §2.2, §2.4, §4.2.1",
    ),
    "ocsp-revoked": OutcomeText(
        "The OCSP responder at {url} answered revoked for serial {serial}: revoked on {when} "
        "(reason: {reason}), signed by {signer}.",
        "Stop using this certificate and its key: make a new key, a new CSR and get a new certificate.",
        "RFC 6960 §2.2",
    ),
    "ocsp-unknown": OutcomeText(
        "The OCSP responder at {url} answered unknown for serial {serial}: it has no record of this "
        "certificate (never issued by this CA, or the responder serves another one).",
        "Ask the issuer why; a client must not treat unknown as good.",
        "RFC 6960 §2.2",
    ),
    "ocsp-error": OutcomeText(
        "The OCSP responder at {url} did not give a usable answer: {detail}",
        "Check the responder's URL (AIA extension) and that it serves this issuer.",
        "RFC 6960 §2.3, §3.2",
    ),
    "crl-error": OutcomeText(
        "The CRL from {url} cannot be used: {detail}",
        "Check the CRL Distribution Points URL and that the CA publishes a fresh, correctly signed CRL.",
        "RFC 5280 §6.3.3",
    ),
    "not-offered": OutcomeText(
        "The certificate names no {what}, so this way of checking revocation is not available for it.",
        "A CA that wants its certificates checkable adds {ext} to every certificate it issues.",
        "RFC 5280 §4.2.1.13, §4.2.2.1",
    ),
    "trust-anchor": OutcomeText(
        "This is the trust anchor (a root the client trusts directly): it is not checked for "
        "revocation; removing it from the trust store is how it is 'revoked'.",
        "Nothing to check.",
        "RFC 5280 §6.1",
    ),
    "no-issuer": OutcomeText(
        "No issuer certificate follows this one in the chain, so its CRL signature and OCSP request "
        "cannot be made or checked.",
        "Pass the whole chain, leaf first, issuer next.",
        "RFC 6960 §4.1.1 (issuerKeyHash), RFC 5280 §6.3.3 (f)",
    ),
}

# What each verification step of a CRL or an OCSP answer checks (shown next to its result).
CHECKS: dict[str, str] = {
    "fetched": "the URL answered over HTTP with a body",
    "parsed": "the body is a DER CRL / OCSP response",
    "status": "responseStatus is successful (RFC 6960 §4.2.1)",
    "issuer": "the CRL's issuer is the certificate's issuer (RFC 5280 §6.3.3 (b))",
    "signature": "the signature verifies with the issuer's (or the delegated responder's) public key",
    "authorised": "the signer is the issuer itself, or a certificate it issued with the OCSPSigning EKU (RFC 6960 §4.2.2.2)",
    "fresh": "thisUpdate is not in the future and nextUpdate has not passed (RFC 5280 §6.3.3 (a), RFC 6960 §3.2, §4.2.2.1)",
    "matches": "the answer is about this certificate (issuer hashes and serial, RFC 6960 §4.1.1)",
    "nonce": "the nonce in the answer equals the one sent (RFC 6960 §4.4.1, updated by RFC 9654)",
}

# The detail of the "fresh" step (str.format with this_update, next_update; age, limit for the old one).
FRESHNESS: dict[str, str] = {
    "fresh": "thisUpdate {this_update}, nextUpdate {next_update}",
    "future": "thisUpdate {this_update} is in the future",
    "stale": "nextUpdate {next_update} has passed: the answer is stale",
    "crl-no-next-update": (
        "no nextUpdate: RFC 5280 §5.1.2.5 requires every CRL to say when the next one is due, "
        "so the client cannot tell how long this one holds"),
    # RFC 6960 §2.4 and §4.2.2.1: an answer without nextUpdate is allowed
    "ocsp-no-next-update": (
        "thisUpdate {this_update}, no nextUpdate: the responder says newer information is available "
        "all the time (RFC 6960 §2.4), so this answer is good for this check only and must not be cached"),
    "ocsp-no-next-update-old": (
        "no nextUpdate, and thisUpdate {this_update} is {age} old: without a nextUpdate only a recent "
        "answer can be used (RFC 6960 §3.2 (5) asks for a thisUpdate 'sufficiently recent'); "
        "certlab's policy, not an RFC rule, accepts one up to {limit} old"),
}
