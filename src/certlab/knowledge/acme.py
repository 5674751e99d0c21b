"""ACME (RFC 8555) as data: the problem types a CA answers with and the steps of an order.

One table for the errors (read by :class:`certlab.acme.AcmeProblem`, the widget
and notebook 07) and one for the steps of the flow (read by the recorder,
which labels each request, and by the state machine the widget draws).
Explanations are ours; the section numbers are RFC 8555's unless named.
"""

from __future__ import annotations

__all__ = ["PEBBLE_HINT", "PROBLEM_PREFIX", "PROBLEMS", "STEPS", "ORDER_STATES", "problem_text", "step_text"]

# The one sentence shown wherever pebble is missing (notebook 07, certlab.acme, ./dev).
# Standard library only, this module: ./dev reads it before anything is installed.
PEBBLE_HINT = (
    "ACME needs Let's Encrypt's test CA pebble (with pebble-challtestsrv): install it with "
    "`sudo apt install pebble` (Debian/Ubuntu), or `go install github.com/letsencrypt/pebble/v2/cmd/...@latest`, "
    "or run the letsencrypt/pebble container image."
)

PROBLEM_PREFIX = "urn:ietf:params:acme:error:"

# problem type (after the prefix) -> (form field it concerns, what it means and what to do).
# RFC 8555 §6.7 lists the types; RFC 8657 adds none, RFC 8737 (tls-alpn-01) reuses "tls".
PROBLEMS: dict[str, tuple[str, str]] = {
    "accountDoesNotExist": ("account", "The request named an account the CA does not know: register it first "
                            "(newAccount, §7.3) or use the key the account was made with."),
    "alreadyRevoked": ("certificate", "That certificate is already revoked (§7.6)."),
    "badCSR": ("csr", "The CA will not sign this CSR (§7.4): its names must be exactly the names of the order, "
                      "its key must be one the CA accepts, and it must not reuse the account key."),
    "badNonce": ("nonce", "The anti-replay nonce in the JWS header was not one the CA handed out, or was used "
                          "already (§6.5). Clients fetch a fresh one and retry once."),
    "badPublicKey": ("key", "The CA does not accept the public key that signed the request (its type or size), "
                            "§6.2: use an RSA key of 2048+ bits or an ECDSA P-256/P-384 key for the account."),
    "badRevocationReason": ("reason", "The revocation reason code is not one the CA allows (§7.6)."),
    "badSignatureAlgorithm": ("alg", "The JWS was signed with an algorithm the CA does not support (§6.2); "
                                     "the answer lists the ones it does in \"algorithms\"."),
    "caa": ("name", "A CAA record in the name's DNS forbids this CA to issue for it (RFC 8659, BR 3.2.2.8)."),
    "compound": ("order", "Several things went wrong; each is in the \"subproblems\" list (§6.7.1)."),
    "connection": ("challenge", "The CA could not connect to the place the challenge told it to look (§8.3: port "
                                "80 of the name's address for http-01). Is the name pointing at your server, "
                                "and is the server listening?"),
    "dns": ("challenge", "The CA's DNS lookup for the name failed (no such name, no TXT record for dns-01, "
                         "or the DNS server did not answer), §8.4."),
    "externalAccountRequired": ("account", "This CA only opens accounts tied to an account you already have "
                                           "with it (External Account Binding, §7.3.4)."),
    "incorrectResponse": ("challenge", "The CA reached your server, but what it got back was not the expected "
                                       "response to the challenge (§8)."),
    "invalidContact": ("contact", "A contact URL of the account (e.g. mailto:) is not acceptable (§7.3)."),
    "malformed": ("request", "The request did not follow the protocol (a field missing or of the wrong form, "
                             "§6.7)."),
    "orderNotReady": ("order", "Finalize was sent before every authorization of the order was valid (§7.4): "
                               "answer the challenges first, then wait for status \"ready\"."),
    "rateLimited": ("order", "Too many requests of this kind: public CAs limit orders, names and failures per "
                             "account and per domain (§6.6)."),
    "rejectedIdentifier": ("name", "The CA will not issue for this name, by its own policy (§7.4): e.g. a "
                                   "top-level or blocked domain."),
    "serverInternal": ("server", "The CA itself failed; retry later (§6.7)."),
    "tls": ("challenge", "A TLS error happened while the CA validated the name (tls-alpn-01, RFC 8737, or an "
                         "http-01 redirect to https)."),
    "unauthorized": ("challenge", "The CA reached your server but the proof did not match: the key "
                                  "authorization it read is not token + '.' + the thumbprint of your "
                                  "account key (§8.1), so you have not shown you control the name."),
    # pebble answers these at finalize where RFC 8555 §7.4 says a CA SHOULD use badCSR
    "unauthorized@finalize": ("csr", "The CSR asks for names this order has not proven (or leaves some out): "
                                     "its names must be exactly the order's (RFC 8555 §7.4 suggests badCSR "
                                     "for this; pebble says unauthorized)."),
    "malformed@finalize": ("csr", "The CA could not read the CSR, e.g. its key is on a curve it does not "
                                  "support (RFC 8555 §7.4 suggests badCSR; pebble says malformed)."),
    "unsupportedContact": ("contact", "A contact URL uses a scheme the CA does not support (§7.3)."),
    "unsupportedIdentifier": ("name", "The order names an identifier of a type the CA does not issue for "
                                      "(§7.1.4: dns and, with RFC 8738, ip)."),
    "userActionRequired": ("account", "A person has to act first, e.g. accept new terms of service at the URL "
                                      "the answer gives (§7.3.3)."),
}

# The steps of one issuance, in order: key -> (label, RFC 8555 section, what happens).
STEPS: dict[str, tuple[str, str, str]] = {
    "directory": ("directory", "§7.1.1",
                  "The client reads the CA's directory: one JSON object naming the URL of every action."),
    "nonce": ("new nonce", "§7.2",
              "Every signed request carries a fresh nonce from the CA (Replay-Nonce header), so a captured "
              "request cannot be sent again (§6.5)."),
    "account": ("account", "§7.3",
                "newAccount: the client signs with its account key and puts the public key (jwk) in the "
                "header; the CA answers with the account URL, used as \"kid\" from then on."),
    "order": ("order", "§7.4",
              "newOrder: the names the certificate should hold. The CA answers with the order (status "
              "pending), one authorization URL per name and the finalize URL."),
    "authorization": ("authorization", "§7.5",
                      "POST-as-GET of an authorization (empty payload, §6.3): which name, and the "
                      "challenges the client may choose from to prove control of it."),
    "challenge": ("challenge", "§7.5.1",
                  "The client says \"ready\" ({} payload) once the proof is in place; the CA then validates "
                  "it from its side: fetches the key authorization (http-01, §8.3) or the TXT record "
                  "(dns-01, §8.4)."),
    "validation": ("validation", "§8.2",
                   "The CA's validator connects to the name (its DNS answer, our responder) and compares "
                   "what it finds with the key authorization it expects."),
    "ready": ("ready", "§7.1.6",
              "Every authorization is valid: the order is ready to be finalized."),
    "finalize": ("finalize", "§7.4",
                 "The client sends its CSR (base64url DER). The CA checks that the CSR's names are the "
                 "order's and that its key is acceptable, then issues."),
    "processing": ("processing", "§7.1.6",
                   "The CA is signing the certificate; the client polls the order (POST-as-GET)."),
    "valid": ("valid", "§7.1.6",
              "The order is valid and names the certificate URL."),
    "certificate": ("certificate", "§7.4.2",
                    "The client downloads the chain (application/pem-certificate-chain): the leaf first, "
                    "then the intermediates; the root is not sent."),
}

# RFC 8555 §7.1.6: the states an order passes through, in the order a good run sees them.
ORDER_STATES: tuple[str, ...] = ("pending", "ready", "processing", "valid")


def problem_text(typ: str | None, step: str = "") -> tuple[str, str, str]:
    """(short type, field it concerns, explanation) for an ACME problem type URN met at ``step``."""
    short = (typ or "").removeprefix(PROBLEM_PREFIX)
    field, text = PROBLEMS.get(f"{short}@{step}") or PROBLEMS.get(short, ("acme", "The CA refused the request; its own words are in \"detail\"."))
    return short or "about:blank", field, text


def step_text(step: str) -> tuple[str, str, str]:
    """(label, section, explanation) of a step key of :data:`STEPS`."""
    return STEPS.get(step, (step, "RFC 8555", ""))
