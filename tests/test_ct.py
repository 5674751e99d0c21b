"""certlab.ct against external oracles: cryptography-vectors' precertificate TBS, cryptography's
own SCT parser, and the logs' real signatures (verified with the keys of the shipped log list)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from importlib import resources

import cryptography_vectors
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from certlab import CertlabError, ct, samples

VEC = os.path.join(os.path.dirname(cryptography_vectors.__file__), "x509")


def _vec(name: str) -> bytes:
    with open(os.path.join(VEC, name), "rb") as f:
        return f.read()


@pytest.fixture(scope="module")
def cert() -> x509.Certificate:
    return x509.load_pem_x509_certificate(_vec("cryptography-scts.pem"))


@pytest.fixture(scope="module")
def issuer() -> x509.Certificate:
    # Let's Encrypt Authority X3, shipped in data/real (cryptography-vectors' letsencryptx3.pem)
    return samples.load("letsencrypt-x3")


def test_rebuilt_tbs_equals_the_vectors_precertificate_tbs(cert: x509.Certificate) -> None:
    rebuilt = ct.precert_tbs(cert)
    assert rebuilt == _vec("cryptography-scts-tbs-precert.der")
    assert rebuilt == cert.tbs_precertificate_bytes  # cryptography's own rebuild agrees
    assert rebuilt != cert.tbs_certificate_bytes


def test_scts_agree_with_cryptography(cert: x509.Certificate) -> None:
    ours = ct.scts(cert)
    theirs = list(cert.extensions.get_extension_for_class(x509.PrecertificateSignedCertificateTimestamps).value)
    assert len(ours) == len(theirs) == 2
    for a, b in zip(ours, theirs):
        assert a.log_id == b.log_id
        assert a.timestamp.replace(tzinfo=None) == b.timestamp
        assert a.signature == b.signature
        assert a.extensions == b.extension_bytes
        assert a.version == b.version.value
        assert a.hash_algorithm == 4 and b.signature_hash_algorithm.name == "sha256"
        assert a.signature_algorithm == 3 and b.signature_algorithm.name == "ECDSA"


def test_both_scts_verify_with_the_logs_keys(cert: x509.Certificate, issuer: x509.Certificate) -> None:
    report = ct.check(cert, issuer)
    assert [c.valid for c in report.checks] == [True, True]
    logs = [(c.log.description, c.log.operator) for c in report.checks if c.log]
    assert logs == [("Google 'Icarus' log", "Google"), ("Sectigo 'Mammoth' CT log", "Sectigo")]
    assert "2018-09-26 20:56:33 UTC" in report.checks[0].message
    text = str(report)
    assert "Chrome" in text and "Apple" in text and "needs 2 embedded SCTs" in text


def test_log_id_is_the_sha256_of_the_log_key() -> None:
    # RFC 6962 §3.2: LogID is SHA-256 over the key's DER SubjectPublicKeyInfo -- true of every listed log
    logs = ct.log_list()
    assert len(logs) == 87
    assert all(hashlib.sha256(log.key).digest() == log.log_id for log in logs)


def test_a_tampered_byte_fails(cert: x509.Certificate, issuer: x509.Certificate) -> None:
    der = bytearray(cert.public_bytes(serialization.Encoding.DER))
    # flip one bit inside the subject's common name ("cryptography.io"), outside the SCT list
    at = bytes(der).index(b"cryptography.io")
    der[at] ^= 0x01
    sct = ct.scts(bytes(der))[0]
    result = ct.verify_sct(sct, bytes(der), issuer)
    assert result.valid is False and "does NOT match" in result.message
    # the untouched certificate still verifies with the explicitly given key
    key = ct.find_log(sct.log_id)
    assert key is not None
    good = ct.verify_sct(ct.scts(cert)[0], cert, issuer, log_key=key.key)
    assert good.valid is True


def test_wrong_issuer_fails(cert: x509.Certificate) -> None:
    other = samples.load("isrg-root-x1")
    assert ct.verify_sct(ct.scts(cert)[0], cert, other).valid is False


def test_signed_data_layout(cert: x509.Certificate, issuer: x509.Certificate) -> None:
    sct = ct.scts(cert)[0]
    parts = ct.signed_data_parts(sct, cert, issuer)
    assert [p.name for p in parts] == ["sct_version", "signature_type", "timestamp", "entry_type",
                                       "issuer_key_hash", "tbs_length", "tbs_certificate", "extensions"]
    data = ct.signed_data(sct, cert, issuer)
    tbs = _vec("cryptography-scts-tbs-precert.der")
    assert data[:12] == b"\x00\x00" + sct.timestamp_ms.to_bytes(8, "big") + b"\x00\x01"
    assert data[12:44] == hashlib.sha256(issuer.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).digest()
    assert data[44:47] == len(tbs).to_bytes(3, "big") and data[47:47 + len(tbs)] == tbs
    assert data[47 + len(tbs):] == b"\x00\x00"
    picture = ct.signed_data_map(sct, cert, issuer)
    assert "issuer_key_hash: 32 bytes" in picture.text and "<svg" in picture.svg


def test_an_sct_of_an_unknown_log_is_not_checked(cert: x509.Certificate, issuer: x509.Certificate) -> None:
    sct = ct.scts(cert)[0]
    unknown = ct.SCT(sct.offset, sct.end, 0, b"\x01" * 32, sct.timestamp_ms, b"", 4, 3, sct.signature)
    result = ct.verify_sct(unknown, cert, issuer)
    assert result.valid is None and "not in certlab's log list" in result.message


def test_bad_sct_lists_name_the_problem() -> None:
    with pytest.raises(CertlabError) as err:
        ct.read_sct_list(b"\x00\x05\x00\x03\x00")
    assert "SCT" in str(err.value)
    tree, found, error = ct.sct_items(b"\x00\x04\x00\x02\x00\x00")
    assert found == () and error is not None and "ends inside" in error


def test_snapshot_is_v3_shaped_and_sourced() -> None:
    raw = json.loads(resources.files("certlab").joinpath("data", "ct", "log_list.json").read_text("utf-8"))
    assert {"version", "log_list_timestamp", "operators"} <= set(raw)
    assert all("tiled_logs" in op and "logs" in op for op in raw["operators"])
    sources = resources.files("certlab").joinpath("data", "ct", "SOURCES.md").read_text("utf-8")
    digest = hashlib.sha256(resources.files("certlab").joinpath("data", "ct", "log_list.json").read_bytes()).hexdigest()
    assert digest in sources and "ctutlz" in sources
    assert base64.b64decode(raw["operators"][0]["logs"][0]["log_id"])


def test_certificate_without_scts(issuer: x509.Certificate) -> None:
    assert ct.scts(issuer) == ()
    with pytest.raises(CertlabError):
        ct.precert_tbs(issuer)


def test_a_precertificate_loses_its_poison() -> None:
    # oracle: pyasn1 decodes the precertificate's TBS, drops the poison, re-encodes
    from pyasn1.codec.der import decoder, encoder
    from pyasn1_alt_modules import rfc5280

    pre = x509.load_pem_x509_certificate(_vec("cryptography.io.precert.pem"))
    assert ct.is_precertificate(pre) and not ct.is_precertificate(_vec("cryptography-scts.pem"))
    tbs, _ = decoder.decode(pre.tbs_certificate_bytes, asn1Spec=rfc5280.TBSCertificate())
    exts = tbs["extensions"].clone()  # empty, same tags
    kept = [e for e in tbs["extensions"] if str(e["extnID"]) != ct.POISON_OID]
    assert len(kept) == len(tbs["extensions"]) - 1
    for e in kept:
        exts.append(e)
    tbs["extensions"] = exts
    assert ct.precert_tbs(pre) == encoder.encode(tbs)


@pytest.mark.parametrize(("days", "chrome", "apple"), [
    (90, "needs 2", "needs 2"), (180, "needs 2", "needs 2"), (181, "needs 3", "needs 3"),
    (398, "needs 3", "needs 3"), (400, "needs 3", "longer than any lifetime")])
def test_policy_counts_by_lifetime(days: int, chrome: str, apple: str) -> None:
    import datetime as dt

    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    from tests._certs import ec_key

    key = ec_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "life")])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    # notBefore through notAfter inclusive is exactly `days` days (RFC 5280 §4.1.2.5)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=days) - dt.timedelta(seconds=1))
            .sign(key, hashes.SHA256()))
    chrome_text, apple_text = ct.policy_verdicts(cert, 2)
    assert chrome_text.startswith("Chrome") and chrome in chrome_text
    assert apple_text.startswith("Apple") and apple in apple_text
    assert f"a {days}-day certificate" in chrome_text


def test_sct_reader_never_raises_and_tiles_its_input() -> None:
    from hypothesis import given, settings, strategies as st

    real = ct.scts(_vec("cryptography-scts.pem"))
    assert real  # the seed the mutations start from

    der = x509.load_pem_x509_certificate(_vec("cryptography-scts.pem")).public_bytes(serialization.Encoding.DER)
    start = der.index(bytes.fromhex("00f20077"))
    seed = der[start:start + 0xF4]

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.tuples(st.integers(0, len(seed) - 1), st.integers(0, 255)), max_size=4),
           st.integers(0, len(seed)))
    def check(flips: list[tuple[int, int]], cut: int) -> None:
        data = bytearray(seed)
        for at, value in flips:
            data[at] = value
        blob = bytes(data[:cut])
        tree, found, error = ct.sct_items(blob)
        if tree is None:
            assert error is not None and found == ()
            return
        # every part read lies inside the input, in order, without overlap
        stack = [tree]
        while stack:
            item = stack.pop()
            assert 0 <= item.offset <= item.end <= len(blob)
            pos = item.offset + item.prefix
            for child in item.children:
                assert child.offset >= pos
                pos = child.end
            assert pos <= item.end
            stack.extend(item.children)
        if error is None:
            assert sum(s.end - s.offset for s in found) == len(blob) - 2

    check()
