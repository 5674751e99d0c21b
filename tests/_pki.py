"""PKI messages made here for the tests: a PKCS#12 secretBag (pyasn1), time-stamp and CMP messages (openssl)."""

from __future__ import annotations

from pyasn1.codec.der.encoder import encode
from pyasn1.type import univ
from pyasn1_alt_modules import rfc5652, rfc7292


def secret_bag_pfx(secret: bytes) -> bytes:
    """A PFX with one secretBag in the clear (RFC 7292 §4.2.5), built with pyasn1."""
    sb = rfc7292.SecretBag()
    sb["secretTypeId"] = univ.ObjectIdentifier("1.2.840.113549.1.12.10.1.1")
    sb["secretValue"] = encode(univ.OctetString(secret))
    bag = rfc7292.SafeBag()
    bag["bagId"] = rfc7292.id_secretBag
    bag["bagValue"] = encode(sb)
    contents = rfc7292.SafeContents()
    contents.append(bag)
    inner = rfc5652.ContentInfo()
    inner["contentType"] = rfc5652.id_data
    inner["content"] = encode(univ.OctetString(encode(contents)))
    auth = rfc7292.AuthenticatedSafe()
    auth.append(inner)
    outer = rfc5652.ContentInfo()
    outer["contentType"] = rfc5652.id_data
    outer["content"] = encode(univ.OctetString(encode(auth)))
    pfx = rfc7292.PFX()
    pfx["version"] = 3
    pfx["authSafe"] = outer
    return encode(pfx)
