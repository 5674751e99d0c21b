"""Certificate Transparency facts, kept as data (read by :mod:`certlab.ct`, the tree and the fields).

Every row names its primary source.  The browser policies were read from the
vendors' own pages (URLs below) on 2026-12-01 and re-checked
against stored copies of them on 2026-12-02; they change, so the notebook
quotes the date with them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HASH_ALGORITHMS", "SIGNATURE_ALGORITHMS", "SCT_VERSIONS", "ENTRY_TYPES", "PROMISE",
           "TLS_ROWS", "LifetimeRule", "BrowserPolicy", "POLICIES"]

# TLS 1.2's HashAlgorithm and SignatureAlgorithm registries, which RFC 6962 §3.2 reuses
# for the SCT's digitally-signed struct (RFC 5246 §7.4.1.4.1).
HASH_ALGORITHMS: dict[int, str] = {0: "none", 1: "md5", 2: "sha1", 3: "sha224", 4: "sha256",
                                   5: "sha384", 6: "sha512"}
SIGNATURE_ALGORITHMS: dict[int, str] = {0: "anonymous", 1: "rsa", 2: "dsa", 3: "ecdsa"}
SCT_VERSIONS: dict[int, str] = {0: "v1"}  # RFC 6962 §3.2: enum { v1(0), (255) } Version
ENTRY_TYPES: dict[int, str] = {0: "x509_entry", 1: "precert_entry"}  # RFC 6962 §3.1

PROMISE = (
    "A signed certificate timestamp (SCT) is a log's signed promise: 'I have seen this "
    "(pre)certificate at this time and will publish it in my public, append-only Merkle tree "
    "within my maximum merge delay' (RFC 6962 §3, 3.2). It does not say the certificate is good: "
    "it makes issuance public, so a domain owner, or anyone watching the logs, can spot a "
    "certificate nobody asked for. The log signs the certificate's contents, the time and the "
    "hash of the issuer's key, so the SCT cannot be moved to another certificate."
)

# Explanations of the TLS-encoded parts of an SCT list (RFC 6962 §3.2-3.3): title, text, source.
TLS_ROWS: dict[str, tuple[str, str, str]] = {
    "sct_list": ("SignedCertificateTimestampList",
                 "The SCTs, in the TLS presentation language (not DER): a 2-byte length, then each SCT "
                 "with its own 2-byte length.", "RFC 6962 §3.3"),
    "sct": ("SerializedSCT", "One signed certificate timestamp, prefixed by its 2-byte length.", "RFC 6962 §3.3"),
    "body": ("SCT body", "The rest of an SCT whose version RFC 6962 does not define: its layout is unknown, "
             "so it is shown as bytes; clients ignore such an SCT.", "RFC 6962 §3.2, 5.2"),
    "sct_version": ("sct_version", "The SCT format version: 0 means v1, the only one RFC 6962 defines.",
                    "RFC 6962 §3.2"),
    "id": ("LogID", "SHA-256 of the log's public key (its DER SubjectPublicKeyInfo): which log signed.",
           "RFC 6962 §3.2"),
    "timestamp": ("timestamp", "When the log saw the certificate: milliseconds since 1970-01-01 UTC, "
                  "an unsigned 64-bit number.", "RFC 6962 §3.2"),
    "extensions": ("CtExtensions", "Future extensions of the SCT, a 2-byte length and bytes; RFC 6962 "
                   "defines none, so it is normally empty.", "RFC 6962 §3.2"),
    "hash_algorithm": ("hash", "The hash the log signed with (TLS HashAlgorithm: 4 = sha256).",
                       "RFC 5246 §7.4.1.4.1; RFC 6962 §2.1.4"),
    "signature_algorithm": ("signature", "The log's signature algorithm (TLS SignatureAlgorithm: 1 = rsa, "
                            "3 = ecdsa).", "RFC 5246 §7.4.1.4.1; RFC 6962 §2.1.4"),
    "signature": ("signature", "The log's signature over the rebuilt signed data (version, type 0, "
                  "timestamp, entry type, issuer key hash, TBSCertificate without the SCT list, "
                  "extensions), 2-byte length first. For ECDSA it is DER inside.", "RFC 6962 §3.2"),
}


@dataclass(frozen=True)
class LifetimeRule:
    """A certificate lifetime band and how many embedded SCTs it needs."""

    max_days: int | None  # inclusive upper bound of the lifetime, None = no bound
    scts: int
    note: str = ""


@dataclass(frozen=True)
class BrowserPolicy:
    """What one browser requires of embedded SCTs (other delivery paths: see the source)."""

    name: str
    rules: tuple[LifetimeRule, ...]
    operators: str
    source: str
    checked: str


# Lifetimes are RFC 5280's validity period (notBefore through notAfter inclusive), in days of
# 86,400 seconds, any part of a day counting as a day (Apple's page says so explicitly).
POLICIES: tuple[BrowserPolicy, ...] = (
    BrowserPolicy(
        "Chrome",
        (LifetimeRule(180, 2), LifetimeRule(None, 3, "more than 180 days")),
        "Embedded SCTs from that many distinct logs, Qualified, Usable, ReadOnly or Retired at the time of "
        "check, at least one of them from a log Qualified, Usable or ReadOnly, and at least 2 of them from "
        "distinct log operators (the 2022 policy, Chrome 100+, certificates issued from 2022-04-15 on; "
        "before it, one Google and one non-Google log, and 2 to 5 SCTs by lifetime in months).",
        "Chrome Certificate Transparency Policy, https://googlechrome.github.io/CertificateTransparency/"
        "ct_policy.html ('<= 180 days' 2, '> 180 days' 3); ct-policy announcement of 2022-02-10; Chromium "
        "components/certificate_transparency/ct_features.h (kCertificateTransparency2022Policy: lifetime over "
        "180 days, 2 -> 3)",
        "2026-12-02",
    ),
    BrowserPolicy(
        "Apple (Safari, iOS, macOS)",
        (LifetimeRule(180, 2, "at most 1 per log operator counts"),
         LifetimeRule(398, 3, "at most 2 per log operator count")),
        "At least one embedded SCT from a currently approved log; at least one from a log compliant with "
        "RFC 6962.",
        "Apple's Certificate Transparency policy, https://support.apple.com/103214 ('180 days or less' 2, "
        "at most 1 per operator; '181 to 398 days' 3, at most 2 per operator; the page's earlier versions "
        "apply this table to certificates with notBefore on or after 2021-04-21)",
        "2026-12-02",
    ),
)
