"""knowledge/algorithms.py: the one table of key algorithms and KeyUsage bits, checked against
cryptography's own classes and encodings and against ``openssl``'s output."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from certlab.build import build_self_signed, generate_key
from certlab.knowledge.algorithms import (
    CURVE_ROWS,
    HASH_CLASSES,
    KEY_ALGORITHM_ROWS,
    KEY_USAGE_BITS,
    algorithm_of,
    is_private_key,
    key_parameters,
)
from certlab.load import kind_of
from certlab.spec import CURVES, KEY_ALGORITHMS, ML_DSA_VARIANTS, RSA_SIZES, CertificateSpec, KeySpec

from tests._oracles import needs_openssl, openssl, write_pem

NOW = dt.datetime(2026, 1, 15, tzinfo=dt.timezone.utc)


def _every_key_spec() -> list[KeySpec]:
    out = []
    for algorithm in KEY_ALGORITHMS:
        if algorithm == "ec":
            out += [KeySpec("ec", curve=c) for c in CURVES]
        elif algorithm == "ml-dsa":
            out += [KeySpec("ml-dsa", variant=v) for v in ML_DSA_VARIANTS]
        else:
            out.append(KeySpec(algorithm, size=RSA_SIZES[0]))
    return out


@pytest.mark.parametrize("spec", _every_key_spec(), ids=lambda s: f"{s.algorithm}-{s.curve}-{s.variant}")
def test_every_buildable_row_classifies_what_it_generates(spec: KeySpec) -> None:
    key = generate_key(spec)
    row = algorithm_of(key)
    assert row is not None and row.name == spec.algorithm and row.buildable
    assert is_private_key(key) and not is_private_key(key.public_key())
    assert algorithm_of(key.public_key()) is row
    assert kind_of(key) == "private-key" and kind_of(key.public_key()) == "public-key"
    # the parameters read back from the key are the ones asked for (a KeySpec round trip)
    expected: dict[str, object] = {"key_algorithm": spec.algorithm}
    if row.parameter is not None:
        expected[row.parameter] = {"key_size": spec.size, "curve": spec.curve, "variant": spec.variant}[row.parameter]
    assert key_parameters(key) == expected == key_parameters(key.public_key())
    # "traditional" means cryptography really writes a TraditionalOpenSSL PEM
    fmt = serialization.PrivateFormat.TraditionalOpenSSL
    if row.traditional:
        assert key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())
    else:
        with pytest.raises(ValueError):
            key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())
    # "hashless" means cryptography signs with no hash and refuses one
    cert_spec = CertificateSpec(key=spec)
    cert = build_self_signed(cert_spec, key, now=NOW)
    assert (cert.signature_hash_algorithm is None) == row.hashless


def test_rows_name_real_classes_and_the_loaded_kinds_follow_them() -> None:
    for row in KEY_ALGORITHM_ROWS:
        try:
            module = importlib.import_module(f"cryptography.hazmat.primitives.asymmetric.{row.module}")
        except ImportError:
            assert not row.available
            continue
        assert row.available == all(hasattr(module, n) for n in row.private_classes + row.public_classes)
    # X25519 only agrees keys: its public key is no signature key, so no "public-key" kind
    x25519 = importlib.import_module("cryptography.hazmat.primitives.asymmetric.x25519")
    agree = x25519.X25519PrivateKey.generate()
    assert kind_of(agree) == "private-key" and kind_of(agree.public_key()) == "unknown"
    assert algorithm_of(object()) is None and kind_of(object()) == "unknown"


def test_curves_and_hashes_are_cryptographys() -> None:
    for curve in CURVE_ROWS:
        cls = getattr(ec, curve.cryptography_class)
        assert cls().name == curve.sec_name
        key = generate_key(KeySpec("ec", curve=curve.name))
        assert key_parameters(key) == {"key_algorithm": "ec", "curve": curve.name}
    for name, cls in HASH_CLASSES.items():
        assert getattr(hashes, cls)().name == name


def test_key_usage_bits_match_the_der_bit_positions() -> None:
    assert [b.bit for b in KEY_USAGE_BITS] == list(range(9))
    for bit in KEY_USAGE_BITS:
        flags = {b.keyword: b.keyword == bit.keyword for b in KEY_USAGE_BITS}
        if bit.keyword in ("encipher_only", "decipher_only"):
            flags["key_agreement"] = True
        der = x509.KeyUsage(**flags).public_bytes()
        content = der[3:]  # BIT STRING: tag, length, unused-bits octet, then the bits (RFC 5280 §4.2.1.3)
        set_bits = {i for i in range(len(content) * 8) if content[i // 8] & (0x80 >> (i % 8))}
        assert bit.bit in set_bits and set_bits <= {bit.bit, 4}, bit


@needs_openssl
def test_key_usage_names_and_labels_are_openssls(tmp_path: Path) -> None:
    # openssl's x509v3_config words are the asn1 names, and `x509 -text` prints the labels
    key = generate_key(KeySpec("ec"))
    (tmp_path / "k.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    words = ",".join(b.asn1_name for b in KEY_USAGE_BITS)
    openssl("req", "-new", "-x509", "-key", "k.pem", "-subj", "/CN=ku", "-config", "/dev/null",
            "-addext", f"keyUsage=critical,{words}", "-out", "c.pem", cwd=tmp_path)
    cert = x509.load_pem_x509_certificate((tmp_path / "c.pem").read_bytes())
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert all(getattr(ku, b.keyword) for b in KEY_USAGE_BITS)
    text = openssl("x509", "-in", str(write_pem(tmp_path, "again.pem", cert)), "-noout", "-text").stdout
    assert ", ".join(b.label for b in KEY_USAGE_BITS) in text
