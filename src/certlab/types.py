"""The types of certlab's public surface: what an entry point accepts, as a type checker sees it.

The objects are cryptography's own (``x509.Certificate``, its key classes via
``PrivateKeyTypes`` / ``PublicKeyTypes``); certlab adds only the unions its
functions accept and the literal names of its kinds.
"""

from __future__ import annotations

from typing import Literal, Union

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes

__all__ = ["X509Object", "KeyObject", "Inspectable", "Kind", "PrivateKeyTypes", "PublicKeyTypes"]

#: A certificate, a CSR or a CRL.
X509Object = Union[x509.Certificate, x509.CertificateSigningRequest, x509.CertificateRevocationList]
#: A private or public key, as cryptography loads or generates it.
KeyObject = Union[PrivateKeyTypes, PublicKeyTypes]
#: Anything certlab describes, checks and shows (a ``certlab.load`` result works too where said).
Inspectable = Union[X509Object, PrivateKeyTypes, PublicKeyTypes]
#: The kinds of ``docs/ARCHITECTURE.md`` that :func:`certlab.load.kind_of` answers.
Kind = Literal["certificate", "csr", "crl", "private-key", "public-key", "pkcs7", "pkcs12",
               "ocsp-request", "ocsp-response", "timestamp-request", "timestamp-response", "cmp", "crmf",
               "unknown"]
