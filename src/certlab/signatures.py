"""Does A sign B: one check of a certificate's signature, used by the findings, the
break-it sandbox, chain building and the chain picture.

``cryptography``'s ``verify_directly_issued_by`` first compares the issuer
and subject names and refuses the hashes it deems too weak (MD5, SHA-1), so
it cannot say whether an old root really signed itself, nor show a changed
name as a *signature* failure.  :func:`verify_signature` checks the
signature over the TBS bytes alone (RFC 5280 §4.1.1.3: it covers the whole
tbsCertificate) with whatever key it is given.
"""

from __future__ import annotations

from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, padding, rsa

from .errors import WrongKind

__all__ = ["verify_signature", "signature_ok", "signed_by", "is_self_signed"]


def verify_signature(cert: x509.Certificate, public_key: Any) -> None:
    """Check ``cert``'s signature with ``public_key``, whatever the names say.

    Raises ``InvalidSignature`` when it does not verify, and ``ValueError``,
    ``UnsupportedAlgorithm`` or :class:`~certlab.errors.WrongKind` (a ``TypeError``)
    when it cannot be checked (an unknown signature algorithm, a key of the wrong type).
    """
    sig, tbs, hash_ = cert.signature, cert.tbs_certificate_bytes, cert.signature_hash_algorithm
    if isinstance(public_key, rsa.RSAPublicKey):
        params = cert.signature_algorithm_parameters
        pad = params if isinstance(params, padding.PSS) else padding.PKCS1v15()
        public_key.verify(sig, tbs, pad, hash_)  # type: ignore[arg-type]
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(sig, tbs, ec.ECDSA(hash_))  # type: ignore[arg-type]
    elif isinstance(public_key, dsa.DSAPublicKey):
        public_key.verify(sig, tbs, hash_)  # type: ignore[arg-type]
    elif hasattr(public_key, "verify"):  # Ed25519, Ed448, ML-DSA: the scheme hashes itself
        public_key.verify(sig, tbs)
    else:
        raise WrongKind("public_key", "must be a public key that verifies signatures (RSA, EC, DSA, EdDSA, ML-DSA)",
                        type(public_key).__name__)


def signature_ok(cert: x509.Certificate, public_key: Any) -> bool | None:
    """True / False as :func:`verify_signature` finds; None when it cannot be checked."""
    try:
        verify_signature(cert, public_key)
    except InvalidSignature:
        return False
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return None
    return True


def signed_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    """Did ``parent`` issue ``child``: the issuer name is the parent's subject and its key verifies the signature."""
    try:
        return child.issuer == parent.subject and signature_ok(child, parent.public_key()) is True
    except (ValueError, UnsupportedAlgorithm):  # a name or key cryptography cannot decode
        return False


def is_self_signed(cert: x509.Certificate) -> bool:
    """Subject equals issuer and its own key verifies its signature (a root, RFC 5280 §3.2)."""
    return signed_by(cert, cert)
