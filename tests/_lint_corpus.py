"""The objects a learner can put in front of pkilint with certlab, for the gloss tests.

certlab's own objects (the tutorial's CSR and self-signed certificate, the
lab's switches: key types, key usages, extended key usages, CA flag, SAN
kinds, wildcards, single-label names), the teaching CA's root, intermediate
and the certificates it issues (the CA-signed lab), and every shipped real
certificate.  Each is linted with the RFC 5280 profile and, where it applies,
the CA/Browser Forum TLS profile.
"""

from __future__ import annotations

import functools
from typing import Any

from certlab import (CertificateSpec, CsrSpec, KeySpec, Subject, TeachingCA, build_csr, build_self_signed,
                     generate_key, samples)
from certlab.spec import EXTENDED_KEY_USAGES, KEY_USAGES

__all__ = ["corpus"]

_KEYS = {"rsa": KeySpec(), "ec": KeySpec("ec", curve="P-256"), "ed25519": KeySpec("ed25519")}


@functools.lru_cache(maxsize=1)
def corpus() -> dict[str, Any]:
    """name -> certificate or CSR."""
    ca = TeachingCA.create()
    single = TeachingCA.create(intermediate=False)
    objs: dict[str, Any] = {"root": ca.root, "intermediate": ca.intermediate, "root-alone": single.root}
    for alg, ks in _KEYS.items():
        key = generate_key(ks)
        csr = build_csr(CsrSpec(key=ks), key)
        objs[f"csr-{alg}"] = csr
        objs[f"self-signed-{alg}"] = build_self_signed(CertificateSpec(key=ks), key)
        objs[f"self-signed-{alg}-ids"] = build_self_signed(
            CertificateSpec(key=ks, subject_key_identifier=True, authority_key_identifier=True), key)
        objs[f"leaf-{alg}"] = ca.issue(csr)
        objs[f"leaf-{alg}-root"] = single.issue(csr)
        for ku in KEY_USAGES:
            if ku == "key_cert_sign":
                continue
            bits = frozenset({ku} | ({"key_agreement"} if ku.endswith("_only") else set()))
            objs[f"self-signed-{alg}-{ku}"] = build_self_signed(
                CertificateSpec(key=ks, key_usage=bits, extended_key_usage=("serverAuth",)), key)
            objs[f"leaf-{alg}-{ku}"] = ca.issue(csr, CertificateSpec(key=ks, key_usage=bits))
        for eku in EXTENDED_KEY_USAGES:
            objs[f"self-signed-{alg}-{eku}"] = build_self_signed(CertificateSpec(key=ks, extended_key_usage=(eku,)), key)
            objs[f"leaf-{alg}-{eku}"] = ca.issue(csr, CertificateSpec(key=ks, extended_key_usage=(eku,)))
        objs[f"self-signed-{alg}-ca"] = build_self_signed(CertificateSpec(
            key=ks, ca=True, path_length=0, key_usage=frozenset({"key_cert_sign", "crl_sign"}),
            subject_key_identifier=True, authority_key_identifier=True), key)
        objs[f"self-signed-{alg}-ca-bare"] = build_self_signed(CertificateSpec(key=ks, ca=True), key)
        objs[f"self-signed-{alg}-not-ca"] = build_self_signed(
            CertificateSpec(key=ks, ca=False, extended_key_usage=("serverAuth",)), key)
        names = ("a@example.com", "https://example.com/x", "192.0.2.7", "::1", "localhost", "*.mysite.com")
        objs[f"self-signed-{alg}-names"] = build_self_signed(
            CertificateSpec(key=ks, sans=names, extended_key_usage=("serverAuth",)), key)
        named = build_csr(CsrSpec(key=ks, sans=names), key)
        objs[f"csr-{alg}-names"] = named
        objs[f"leaf-{alg}-names"] = ca.issue(named)
        objs[f"csr-{alg}-no-san"] = build_csr(CsrSpec(key=ks, sans=()), key)
        wild = build_csr(CsrSpec(key=ks, sans=("mysite.com", "*.mysite.com")), key)
        objs[f"leaf-{alg}-wildcard"] = ca.issue(wild)
        full = build_csr(CsrSpec(key=ks, subject=Subject(organizational_unit="IT", email="a@example.com")), key)
        objs[f"leaf-{alg}-full-subject"] = ca.issue(full)
    # certificates issued while the teaching CA's revocation service runs carry CDP and AIA URLs
    with ca.serve_revocation(lifetime=60):
        for alg in ("rsa", "ec"):
            key = generate_key(_KEYS[alg])
            objs[f"leaf-{alg}-revocable"] = ca.issue(build_csr(CsrSpec(key=_KEYS[alg]), key))
    for sample in samples.list():
        objs[f"sample:{sample.name}"] = samples.load(sample.name)
    return objs
