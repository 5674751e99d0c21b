"""Frozen, validated specs: what a form describes, before anything is built.

A spec is an immutable value (like a pyca/cryptography builder's state): every
edit of a form makes a new one, and a spec that exists is a spec that obeys
the rules below, so ``build`` never has to second-guess it.  The defaults
reproduce the two flows of the pyca/cryptography X.509 tutorial exactly:

* :class:`CsrSpec` ``()`` -> RSA 2048, SHA-256, subject
  ``C=US, ST=CA, L=San Francisco, O=My Company, CN=mysite.com`` and the SANs
  ``mysite.com, www.mysite.com, subdomain.mysite.com``;
* :class:`CertificateSpec` ``()`` -> the same key and subject, SAN
  ``localhost``, valid for 10 days, random serial, self-signed.

Every broken rule raises :class:`~certlab.errors.InvalidSpec` listing *all* the
problems found, each a :class:`~certlab.errors.SpecError` whose ``field`` is the
form field name of ``docs/ARCHITECTURE.md`` (``"country"``, ``"sans[1]"`` ...).

Hash and key type: Ed25519, Ed448 and ML-DSA sign the message itself (RFC 8032,
FIPS 204), so they take no separate hash.  A spec for such a key keeps its
``hash`` field (so that switching the key type back in a form does not lose the
choice) but ``build`` passes ``None`` to cryptography; see :func:`signing_hash`.

The package holds one concern per module: :mod:`~certlab.spec.choices` (the
option tables), :mod:`~certlab.spec.model` (the spec classes),
:mod:`~certlab.spec.san` (the SAN normaliser), :mod:`~certlab.spec.rules`
(every rule) and :mod:`~certlab.spec.form` (form values <-> specs).  Import
from ``certlab.spec``: the names below are its public surface.
"""

from __future__ import annotations

from .choices import (
    CURVES,
    EXTENDED_KEY_USAGES,
    HASHES,
    KEY_ALGORITHMS,
    KEY_USAGES,
    MAX_VALIDITY_DAYS,
    MIN_VALIDITY_DAYS,  # noqa: F401  (importable as before, not in __all__)
    ML_DSA_VARIANTS,
    RSA_SIZES,
    SUBJECT_ATTRIBUTES,
    SubjectAttribute,
)
from .form import spec_from_form, spec_to_form
from .model import (
    CERTIFICATE_ONLY_FIELDS,
    CertificateSpec,
    CsrSpec,
    KeySpec,
    Subject,
    csr_spec_of,
    eku_oids,
    san_names,
    signing_hash,
)
from .san import normalize_san

__all__ = [
    "KEY_ALGORITHMS",
    "RSA_SIZES",
    "CURVES",
    "ML_DSA_VARIANTS",
    "HASHES",
    "KEY_USAGES",
    "EXTENDED_KEY_USAGES",
    "MAX_VALIDITY_DAYS",
    "SUBJECT_ATTRIBUTES",
    "SubjectAttribute",
    "KeySpec",
    "Subject",
    "CsrSpec",
    "CertificateSpec",
    "normalize_san",
    "san_names",
    "eku_oids",
    "signing_hash",
    "spec_from_form",
    "spec_to_form",
    "csr_spec_of",
    "CERTIFICATE_ONLY_FIELDS",
]
