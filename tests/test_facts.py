"""Facts a learner reads, each checked against the behaviour it describes.

Issue 10 listed claims that were wrong or misleading; each test here runs the
thing the claim is about (cryptography's verifier, openssl, the bytes
themselves) and checks that certlab's words say what it does.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, x448, x25519
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from certlab import CsrSpec, KeySpec, TeachingCA, build_csr, explore, generate_key, samples
from certlab.chain import verify_chain
from certlab.fields import describe
from certlab.knowledge.asn1 import BY_UNIVERSAL
from certlab.knowledge.fields import ATTRIBUTE_TEXT, EXTENSION_TEXT
from certlab.knowledge.findings import FINDINGS, PKILINT_GLOSS
from certlab.knowledge.oids import oid_info
from tests._certs import NOW, ec_key, make_cert, rsa_key, tutorial_self_signed


def _node(explored, path):
    return next(n for n in explored.walk() if n.path == path)


# --------------------------------------------------------------------------- 1. AKI


def test_a_root_without_aki_verifies_and_the_explanation_says_so() -> None:
    root_key, leaf_key = ec_key(1), ec_key(2)
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "No-AKI Root")])
    ku = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    root = make_cert(subject=root_name, key=root_key, ca=True, sans=[], days=3650,
                     extra=[(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False), (ku, True)])
    leaf = make_cert(cn="www.example.com", key=leaf_key, issuer_key=root_key, issuer=root_name,
                     extra=[(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False),
                            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)])
    with pytest.raises(x509.ExtensionNotFound):
        root.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    assert verify_chain(leaf, roots=[root], host="www.example.com", at=NOW).ok
    # the shipped ISRG Root X1, named in the explanation, really has no AKI
    with pytest.raises(x509.ExtensionNotFound):
        samples.load("isrg-root-x1").extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)

    cert = tutorial_self_signed()  # trust anchor and leaf at once: the leaf rule applies
    (f,) = verify_chain(cert, roots=[cert], host="localhost", at=NOW).findings
    assert f.code == "chain-missing-aki"
    assert "leaf" in f.message and "ISRG Root X1" in f.message and "verifies" in f.message
    assert "every certificate" not in f.message
    for text in (EXTENSION_TEXT["2.5.29.35"].explanation, PKILINT_GLOSS["pkix.authority_key_identifier_extension_absent"]):
        assert "leaf" in text and "requires it on every certificate" not in text


# --------------------------------------------------------------------------- 2. key sizes and kinds


def test_x448_and_x25519_private_keys_are_scalars_of_56_and_32_bytes() -> None:
    for cls, size in ((x448.X448PrivateKey, 56), (x25519.X25519PrivateKey, 32)):
        key = cls.generate()
        raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
        assert len(raw) == size  # RFC 7748 §5: the oracle is cryptography itself
        field = next(f for f in describe(key).fields if f.name in ("Private scalar", "Private key seed"))
        assert field.name == "Private scalar" and f"{size * 8}-bit scalar" in field.value
        der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        node = _node(explore(der), "privateKeyInfo.privateKey.curvePrivateKey")
        assert node.length == size
        # one explanation per node: the field says what its CurvePrivateKey node says
        assert field.path == node.path and field.explanation == node.explanation
        assert "For X25519 (32 bytes) and X448 (56 bytes): the scalar itself" in node.explanation


def test_an_ec_private_key_holds_the_raw_scalar_and_version_1() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption())
    tree = explore(der, reveal=True)
    secret = _node(tree, "ecPrivateKey.privateKey")
    content = der[secret.node.content_offset:secret.node.content_end]
    assert content == key.private_numbers().private_value.to_bytes(32, "big")  # raw bytes, not DER
    assert "not DER" in secret.explanation and "RFC 5915" in secret.rfc
    version = _node(tree, "ecPrivateKey.version")
    assert der[version.node.content_offset:version.node.content_end] == b"\x01"
    assert "ecPrivkeyVer1" in version.explanation and "counted from 0" not in version.explanation


def test_versions_cite_their_own_standard() -> None:
    rsa_der = rsa_key().private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
                                      serialization.NoEncryption())
    pkcs8 = rsa_key().private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    csr = build_csr(CsrSpec(), rsa_key())
    cases = [
        (rsa_der, "rsaPrivateKey.version", "RFC 8017"),
        (pkcs8, "privateKeyInfo.version", "RFC 5958"),
        (pkcs8, "privateKeyInfo.privateKey.rSAPrivateKey.version", "RFC 8017"),
        (csr.public_bytes(serialization.Encoding.DER), "certificationRequest.certificationRequestInfo.version", "RFC 2986"),
        (tutorial_self_signed().public_bytes(serialization.Encoding.DER), "certificate.tbsCertificate.version", "RFC 5280 §4.1.2.1"),
    ]
    for der, path, source in cases:
        node = _node(explore(der), path)
        assert source in node.rfc, (path, node.rfc)
        if source != "RFC 5280 §4.1.2.1":
            assert "RFC 5280" not in node.rfc, (path, node.rfc)
    # the algorithm OID of a PKCS#8 private key is not described as "a public key"
    octets = _node(explore(pkcs8), "privateKeyInfo.privateKey")
    assert "private key in PKCS #8" in octets.explanation and "An RSA public key" not in octets.explanation


def test_dsa_q_sizes_include_224() -> None:
    key = dsa.generate_private_key(2048)
    q_bits = key.parameters().parameter_numbers().q.bit_length()
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption())
    q = _node(explore(der), "dsaPrivateKey.q")
    assert str(q_bits) in q.explanation and "224" in q.explanation and "FIPS 186-4" in q.rfc


# --------------------------------------------------------------------------- 3. CSRs


def test_a_csrs_signature_is_the_requesters() -> None:
    key = rsa_key()
    csr = build_csr(CsrSpec(), key)
    tree = explore(csr.public_bytes(serialization.Encoding.DER))
    for path in ("certificationRequest.signature", "certificationRequest.signatureAlgorithm"):
        node = _node(tree, path)
        assert "requester" in node.explanation and "issuer's" not in node.explanation
        assert "RFC 2986" in node.rfc
    # behaviour: the signature verifies with the request's own public key (no issuer involved)
    assert csr.is_signature_valid
    # a certificate's signature stays the issuer's (the root decides, not only the last segment)
    cert_tree = explore(tutorial_self_signed().public_bytes(serialization.Encoding.DER))
    assert "issuer" in _node(cert_tree, "certificate.signature").explanation


def test_unstructured_name_cites_its_own_section() -> None:
    # RFC 2985: 5.4.1 challengePassword, 5.4.2 extensionRequest; unstructuredName is 5.2.2
    assert ATTRIBUTE_TEXT["1.2.840.113549.1.9.2"].rfc == "RFC 2985 §5.2.2"
    assert oid_info("1.2.840.113549.1.9.2").source == "RFC 2985 §5.2.2"
    assert ATTRIBUTE_TEXT["1.2.840.113549.1.9.14"].rfc == "RFC 2985 §5.4.2"


# --------------------------------------------------------------------------- 4. names


def test_no_cn_fallback_and_rfc_9525_is_cited() -> None:
    # behaviour: cryptography's verifier does not read the CN when there is no SAN
    key = ec_key(3)
    cert = make_cert(cn="localhost", sans=[], key=key,
                     extra=[(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False),
                            (x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), False)])
    assert not verify_chain(cert, roots=[cert], host="localhost", at=NOW).ok
    text = FINDINGS["no-san"]
    assert "RFC 9525" in text.citation and "RFC 9525" in text.message
    assert "Firefox 48" in text.message and "Chrome 58" in text.message
    assert "still let a client fall back" in text.message  # RFC 6125 §6.4.4 allowed it as a last resort


def test_ip_address_mismatch_cites_rfc_2818_not_6125() -> None:
    from certlab.tls import _VERIFY_REASONS

    name, text = _VERIFY_REASONS[64]  # X509_V_ERR_IP_ADDRESS_MISMATCH
    assert name == "IP address mismatch" and "RFC 2818 §3.1" in text and "RFC 6125 §6.2" not in text


def test_dns_name_length_is_255_octets_on_the_wire() -> None:
    name = ".".join(["a" * 63] * 3 + ["b" * 61])  # 253 characters
    assert len(name) == 253
    wire = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\x00"
    assert len(wire) == 255  # RFC 1035 §2.3.4: 255 octets or less
    from certlab import normalize_san
    from certlab.errors import SpecError

    assert normalize_san(name).value == name  # the form takes 253 characters ...
    with pytest.raises(SpecError, match="255 octets on the wire"):
        normalize_san("c" + name[1:] + "b")  # ... and explains why not 254 (last label 62)
    gloss = PKILINT_GLOSS["pkix.dnsname_domain_name_too_long"]
    assert "255 octets" in gloss and "253" in gloss


def test_utf8string_is_one_of_two_allowed_encodings() -> None:
    text = BY_UNIVERSAL["UTF8String"][1]
    assert "PrintableString or UTF8String" in text and "asks for UTF8String" not in text
    # behaviour: cryptography itself writes countryName as PrintableString, the rest as UTF8String
    der = tutorial_self_signed().public_bytes(serialization.Encoding.DER)
    subject = tutorial_self_signed().subject.public_bytes()
    at = der.index(subject)
    assert bytes.fromhex("0603550406130255 53".replace(" ", "")) in der[at:at + len(subject)]  # C: PrintableString
    assert bytes.fromhex("060355040a0c0a") in der[at:at + len(subject)]  # O: UTF8String of 10 bytes


# --------------------------------------------------------------------------- 5. hashes and encodings


def test_weak_hash_text_names_chosen_prefix_collisions() -> None:
    text = FINDINGS["weak-signature-hash"]
    assert "chosen-prefix collision" in text.message and "second document" not in text.message
    assert "RFC 6151 §2" in text.citation


def test_traditional_pem_key_is_two_chained_md5s() -> None:
    passphrase = b"correct horse"
    pem = rsa_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                  serialization.BestAvailableEncryption(passphrase))
    lines = pem.decode().splitlines()
    algo, iv_hex = next(line for line in lines if line.startswith("DEK-Info: "))[10:].split(",")
    assert algo == "AES-256-CBC"
    iv = bytes.fromhex(iv_hex)
    body = base64.b64decode("".join(line for line in lines[3:-1] if line))
    # EVP_BytesToKey(MD5, 1 iteration), salt = first 8 bytes of the IV: 16 + 16 bytes
    d1 = hashlib.md5(passphrase + iv[:8]).digest()
    d2 = hashlib.md5(d1 + passphrase + iv[:8]).digest()
    dec = Cipher(algorithms.AES(d1 + d2), modes.CBC(iv)).decryptor()
    plain = dec.update(body) + dec.finalize()
    plain = plain[:-plain[-1]]
    assert plain == rsa_key().private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
                                            serialization.NoEncryption())
    # one MD5 alone is not enough key for AES-256
    assert len(d1) * 8 == 128


def test_a_padded_integer_is_invalid_ber_too() -> None:
    der = bytes.fromhex("02020005")
    (warning,) = [w for n in explore(der).walk() for w in n.warnings]
    assert "BER" in warning and "8.3.2" in warning
    # openssl asn1parse reads BER (an indefinite length is fine) but calls the padded INTEGER bad
    out = subprocess.run(["openssl", "asn1parse", "-inform", "DER"], input=der, capture_output=True).stdout
    assert b"BAD INTEGER" in out
    ber = subprocess.run(["openssl", "asn1parse", "-inform", "DER"], input=bytes.fromhex("30800201050000"),
                         capture_output=True).stdout
    assert b"BAD" not in ber and b"INTEGER" in ber


def test_the_web_pki_verifier_refuses_ed25519_chains() -> None:
    # 01-keys: browsers (and the CA/B rules, BR 6.1.5) take RSA and ECDSA, not Ed25519
    ca = TeachingCA.create(key=KeySpec("ed25519"), now=NOW)
    key = generate_key(KeySpec("ed25519"))
    leaf = ca.issue(build_csr(CsrSpec(key=KeySpec("ed25519")), key), now=NOW)
    assert not verify_chain(leaf, intermediates=[ca.intermediate], roots=[ca.root], host="mysite.com",
                            at=NOW + dt.timedelta(hours=1)).ok
    ok_ca = TeachingCA.create(now=NOW)
    ok_leaf = ok_ca.issue(build_csr(CsrSpec(key=KeySpec("ec", curve="P-256")), ec_key(4)), now=NOW)
    assert verify_chain(ok_leaf, intermediates=[ok_ca.intermediate], roots=[ok_ca.root], host="mysite.com",
                        at=NOW + dt.timedelta(hours=1)).ok


def test_weak_hash_check_flags_the_ssleay_certificates_bare_md5_label() -> None:
    from certlab.findings import find

    old = samples.load("ssleay-v1-test")
    assert old.signature_algorithm_oid.dotted_string == "1.2.840.113549.2.5"  # the bare md5 hash
    with pytest.raises(Exception):
        old.signature_hash_algorithm  # cryptography maps no signature algorithm to it
    (weak,) = [f for f in find(old, pkilint=False) if f.code == "weak-signature-hash"]
    assert weak.path == "certificate.signatureAlgorithm"
    assert "bare MD5 hash OID (1.2.840.113549.2.5)" in weak.message
    assert "md5WithRSAEncryption (1.2.840.113549.1.1.4)" in weak.message  # the inner one, read from the bytes
    # ... while cryptography does map md5WithRSAEncryption to MD5, and certlab flags that too
    from tests._certs import resign

    md5 = resign(make_cert(), rsa_key(), hash="md5")
    assert md5.signature_hash_algorithm.name == "md5"
    (plain,) = [f for f in find(md5, pkilint=False) if f.code == "weak-signature-hash"]
    assert "MD5" in plain.message and "bare" not in plain.message


def test_the_39_month_limit_counts_calendar_months() -> None:
    from certlab.findings import find, max_validity_days

    key = ec_key(5)
    for start, months_later in ((dt.datetime(2016, 3, 1, tzinfo=dt.timezone.utc), dt.datetime(2019, 6, 1, tzinfo=dt.timezone.utc)),
                                (dt.datetime(2016, 1, 31, tzinfo=dt.timezone.utc), dt.datetime(2019, 4, 30, tzinfo=dt.timezone.utc))):
        limit = max_validity_days(start)
        assert limit == (months_later - start).days  # 1187, then 1185: not a fixed 1185
        ok = make_cert(key=key, not_before=start, days=limit)  # notAfter = 39 months later
        b = x509.CertificateBuilder().subject_name(ok.subject).issuer_name(ok.issuer).public_key(key.public_key())
        b = b.serial_number(1).not_valid_before(start).not_valid_after(months_later - dt.timedelta(seconds=1))
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName("www.example.com")]), critical=False)
        compliant = b.sign(key, hashes.SHA256())
        assert "validity-too-long" not in {f.code for f in find(compliant, pkilint=False, at=start)}
        over = (x509.CertificateBuilder().subject_name(ok.subject).issuer_name(ok.issuer).public_key(key.public_key())
                .serial_number(2).not_valid_before(start).not_valid_after(months_later + dt.timedelta(days=1))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName("www.example.com")]), critical=False)
                .sign(key, hashes.SHA256()))
        assert "validity-too-long" in {f.code for f in find(over, pkilint=False, at=start)}
    # a 1187-day certificate issued 2016-03-01 was compliant, a fixed 1185-day limit would flag it
    assert max_validity_days(dt.datetime(2016, 3, 1, tzinfo=dt.timezone.utc)) > 1185


def test_sample_stories_match_the_certificates() -> None:
    stories = {s.name: s.story for s in samples.list()}
    size = {n: len(samples.load(n).public_bytes(serialization.Encoding.DER)) for n in ("isrg-root-x1", "isrg-root-x2")}
    assert f"({size['isrg-root-x2']} against {size['isrg-root-x1']})" in stories["isrg-root-x2"]
    assert 0.35 < size["isrg-root-x2"] / size["isrg-root-x1"] < 0.45  # "about two fifths"
    amazon = {e.oid.dotted_string for e in samples.load("amazon-root-ca-1").extensions}
    assert amazon == {"2.5.29.19", "2.5.29.15", "2.5.29.14"}  # CA flag, key usages, key identifier
    assert "key usages and a key identifier" in stories["amazon-root-ca-1"]
