"""Which ASN.1 values are secrets, kept as data.

The explorer hides a node's value (and the renderers its content octets)
when the node answers to one of these rows, unless the caller asks to reveal.

Keys are *schema paths*: the RFC module's type name, then the component
names below it, written as the explorer's node paths end (a type decoded by
OID is one camelCase segment, pkilint's ``get_node_name_for_pdu``).  They are
matched against the last segments of a node's path, ignoring case, so
``RSAPrivateKey.privateExponent`` finds both the root ``rsaPrivateKey`` of a
PKCS#1 file and the ``rSAPrivateKey`` decoded inside a PKCS#8 ``privateKey``.

Each row says how far the secret reaches:

* ``"whole"``: the value and everything below it is secret
  (``otherPrimeInfos`` holds three secret INTEGERs per extra prime);
* ``"holder"``: the value is a whole secret encoding (the PKCS#8
  ``privateKey`` OCTET STRING), so its own value is hidden; but when the
  explorer could decode what it holds, each part inside is judged by its own
  row: the ``modulus`` of an RSAPrivateKey is public and stays visible.  When
  nothing inside could be decoded, all its content octets are hidden.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

__all__ = ["SecretRow", "SECRETS", "HIDDEN_NOTE", "REVEALED_NOTE", "secret_row"]

Reach = Literal["whole", "holder"]


class SecretRow(NamedTuple):
    """Why a value is secret: how far it reaches, what it is, and where that is defined."""

    reach: Reach
    what: str
    source: str


_RSA = "RFC 8017 §A.1.2"
# Schema path (type name + components) -> row.  The PKCS#8 root is named
# privateKeyInfo in certlab's paths (RFC 5208's name for OneAsymmetricKey v1).
SECRETS: dict[str, SecretRow] = {
    # PKCS#1: everything but version, modulus and publicExponent derives from the primes.
    "RSAPrivateKey.privateExponent": SecretRow("whole", "the RSA private exponent d", _RSA),
    "RSAPrivateKey.prime1": SecretRow("whole", "the RSA prime p", _RSA),
    "RSAPrivateKey.prime2": SecretRow("whole", "the RSA prime q", _RSA),
    "RSAPrivateKey.exponent1": SecretRow("whole", "d mod (p-1), a CRT value", _RSA),
    "RSAPrivateKey.exponent2": SecretRow("whole", "d mod (q-1), a CRT value", _RSA),
    "RSAPrivateKey.coefficient": SecretRow("whole", "q^-1 mod p, a CRT value", _RSA),
    "RSAPrivateKey.otherPrimeInfos": SecretRow("whole", "the extra primes of a multi-prime key", _RSA),
    # SEC 1 / RFC 5915 §3: the scalar d; parameters and publicKey are public.
    "ECPrivateKey.privateKey": SecretRow("whole", "the elliptic-curve private scalar d", "RFC 5915 §3"),
    # RFC 8410 §7: Ed25519 / Ed448 / X25519 / X448 keep the raw private key bytes.
    "CurvePrivateKey": SecretRow("whole", "the raw private key of an RFC 8410 curve", "RFC 8410 §7"),
    # RFC 9881 §6: ML-DSA keeps a 32-byte seed, the expanded key, or both.
    **{f"ML_DSA_{n}_PrivateKey": SecretRow("whole", f"the ML-DSA-{n} private key (seed and/or expanded key)",
                                           "RFC 9881 §6") for n in (44, 65, 87)},
    # DSA: OpenSSL's DSAPrivateKey ends with x; in PKCS#8 (RFC 3279 §2.3.2) the
    # private key is the bare INTEGER x.
    "DSAPrivateKey.x": SecretRow("whole", "the DSA private key x", "FIPS 186-4 4.1"),
    "privateKeyInfo.privateKey.Integer": SecretRow("whole", "the DSA private key x", "RFC 5958 §2; RFC 3279 §2.3.2"),
    # RFC 5958 §2: the privateKey OCTET STRING is the encoding of the whole private key,
    # whatever the algorithm; its decoded parts are judged by the rows above.
    "privateKeyInfo.privateKey": SecretRow("holder", "the encoded private key", "RFC 5958 §2"),
    # EncryptedPrivateKeyInfo.encryptedData is ciphertext: not a secret (see knowledge.asn1).
    # PKCS#12 (RFC 7292 §4.2.1): a keyBag is a PrivateKeyInfo in the clear; its privateKey
    # is judged as PKCS#8's.  A secretBag's value is whatever secret the user stored (4.2.5).
    "keyBag.privateKey": SecretRow("holder", "the encoded private key of a PKCS#12 keyBag", "RFC 7292 §4.2.1"),
    "keyBag.privateKey.Integer": SecretRow("whole", "the DSA private key x", "RFC 7292 §4.2.1; RFC 3279 §2.3.2"),
    "secretBag.secretValue": SecretRow("whole", "the secret stored in a PKCS#12 secretBag", "RFC 7292 §4.2.5"),
}

# What the text output says when something was hidden, or shown on request.
HIDDEN_NOTE = ("secret values are hidden (their sizes are real); show them with "
               "`certlab inspect --reveal` or explore(der, reveal=True)")
REVEALED_NOTE = "secret values are shown (reveal): whoever reads this output can use the key"

# Lower-cased keys; secret_row compares a path's tails with them, longest first.
_BY_TAIL: dict[str, SecretRow] = {k.lower(): v for k, v in SECRETS.items()}
_MAX_SEGMENTS = max(k.count(".") + 1 for k in SECRETS)


def secret_row(path: str) -> SecretRow | None:
    """The row a node path answers to (the longest matching tail), or None.

    List indexes are not part of any key, so ``...otherPrimeInfos.0.prime``
    does not match by itself: it is secret because ``otherPrimeInfos`` is
    (``"whole"`` reaches every node below).
    """
    segs = path.lower().split(".")
    for k in range(min(len(segs), _MAX_SEGMENTS), 0, -1):
        row = _BY_TAIL.get(".".join(segs[-k:]))
        if row is not None:
            return row
    return None
