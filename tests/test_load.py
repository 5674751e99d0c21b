"""Loading anything a learner pastes, and writing secrets safely."""

from __future__ import annotations

import base64
import os
import pathlib
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography_vectors import open_vector_file

from certlab.build import build_csr, build_self_signed, generate_key
from certlab.errors import LoadError, SpecError
from certlab.load import Loaded, kind_of, load, load_file, private_key_bytes, public_bytes, save
from certlab.spec import KEY_ALGORITHMS, CertificateSpec, CsrSpec, KeySpec

from _oracles import needs_openssl, openssl


def _vector(path: str) -> bytes:
    with open_vector_file(path, "rb") as f:
        return f.read()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def ec_key() -> object:
    return generate_key(KeySpec("ec"))


@pytest.fixture(scope="module")
def rsa_key() -> object:
    return generate_key(KeySpec("rsa"))


@pytest.fixture(scope="module")
def cert(ec_key: object) -> x509.Certificate:
    return build_self_signed(CertificateSpec(key=KeySpec("ec")), ec_key)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def csr(ec_key: object) -> x509.CertificateSigningRequest:
    return build_csr(CsrSpec(key=KeySpec("ec")), ec_key)  # type: ignore[arg-type]


def _kinds(items: list[Loaded]) -> list[str]:
    return [i.kind for i in items]


# ---------------------------------------------------------------- PEM


def test_several_pem_blocks_with_junk_around(cert: x509.Certificate, csr: x509.CertificateSigningRequest, ec_key: object) -> None:
    text = (
        b"Here is my chain, please help:\n"
        + public_bytes(cert)
        + b"\nand the request\r\n"
        + public_bytes(csr).replace(b"\n", b"\r\n")
        + b"some more chat\n"
        + public_bytes(ec_key.public_key())  # type: ignore[attr-defined]
        + b"-- end of mail --\n"
    )
    items = load(text.decode(), source="mail.txt")
    assert _kinds(items) == ["certificate", "csr", "public-key"]
    assert [i.source for i in items] == ["mail.txt#1", "mail.txt#2", "mail.txt#3"]
    assert items[0].obj == cert and items[0].label == "CERTIFICATE" and items[0].der == public_bytes(cert, encoding="der")
    assert items[1].obj == csr and items[1].label == "CERTIFICATE REQUEST"
    assert all(i.error is None and not i.encrypted for i in items)


@pytest.mark.parametrize(
    "vector, count",
    [
        ("x509/cryptography.io.with_garbage.pem", 1),
        ("x509/cryptography.io.with_headers.pem", 1),
        ("x509/cryptography.io.old_header.pem", 1),  # "X509 CERTIFICATE" label
        ("x509/cryptography.io.chain_with_garbage.pem", 2),
        ("x509/cryptography.io.chain.pem", 2),
    ],
)
def test_real_pem_files(vector: str, count: int) -> None:
    items = load(_vector(vector), source=vector)
    certs = [i for i in items if i.kind == "certificate" and i.obj is not None]
    assert len(certs) == count
    assert all(isinstance(i.obj, x509.Certificate) for i in certs)
    # cryptography's own loader agrees on the first certificate
    assert certs[0].obj == x509.load_pem_x509_certificates(_vector(vector))[0]


def test_real_crl_and_der_csr() -> None:
    crl = load(_vector("x509/custom/crl_all_reasons.pem"))
    assert _kinds(crl) == ["crl"] and isinstance(crl[0].obj, x509.CertificateRevocationList)
    req = load(_vector("x509/requests/ec_sha256.der"))
    assert _kinds(req) == ["csr"] and req[0].label is None
    assert req[0].obj == x509.load_der_x509_csr(_vector("x509/requests/ec_sha256.der"))


def test_der_and_base64_of_every_kind(cert: x509.Certificate, csr: x509.CertificateSigningRequest, ec_key: object) -> None:
    crl = x509.load_pem_x509_crl(_vector("x509/custom/crl_all_reasons.pem"))
    cases = [
        (public_bytes(cert, encoding="der"), "certificate"),
        (public_bytes(csr, encoding="der"), "csr"),
        (public_bytes(crl, encoding="der"), "crl"),
        (public_bytes(ec_key.public_key(), encoding="der"), "public-key"),  # type: ignore[attr-defined]
        (private_key_bytes(ec_key, format="pkcs8", encoding="der"), "private-key"),
        (private_key_bytes(ec_key, format="traditional", encoding="der"), "private-key"),
    ]
    for der, kind in cases:
        for data in (der, base64.b64encode(der), base64.encodebytes(der).decode(), b"  " + base64.b64encode(der) + b"\n"):
            items = load(data)
            assert _kinds(items) == [kind], (kind, data[:20])
            assert items[0].der == der and items[0].obj is not None and items[0].label is None


def test_pem_block_with_bad_base64_names_block_and_line(cert: x509.Certificate) -> None:
    lines = public_bytes(cert).decode().splitlines()
    lines[3] = "this is * not base64"
    items = load("intro line\n" + public_bytes(cert).decode() + "\n".join(lines))
    assert _kinds(items) == ["certificate", "certificate"]
    assert items[0].obj == cert
    # block 2 starts on line 1 + len(first pem) + 1; its 4th line is the broken one
    broken_line = 1 + len(public_bytes(cert).decode().splitlines()) + 4
    assert items[1].obj is None
    assert items[1].error == f"PEM block 2 'CERTIFICATE' is not valid base64 at line {broken_line}"


def test_pem_with_damaged_content_is_reported(cert: x509.Certificate) -> None:
    der = public_bytes(cert, encoding="der")[:-40]
    pem = b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(der) + b"-----END CERTIFICATE-----\n"
    [item] = load(pem)
    assert item.kind == "certificate" and item.obj is None and item.error.startswith("not a valid certificate: ")  # type: ignore[union-attr]


def test_missing_end_line_and_mismatched_labels(cert: x509.Certificate) -> None:
    pem = public_bytes(cert).decode()
    items = load(pem + pem.split("-----END")[0])
    assert items[0].obj == cert
    assert items[-1].kind == "unknown" and "BEGIN line but no matching END line" in items[-1].error  # type: ignore[operator]
    bad = pem.replace("END CERTIFICATE", "END X509 CRL")
    [item] = load(bad)
    assert item.obj is None and item.error == "PEM block 1 begins 'CERTIFICATE' but ends 'X509 CRL'"


@pytest.mark.parametrize(
    "data, error",
    [
        (b"", "the input is empty"),
        ("   \n ", "the input is empty"),
        ("hello, is this a certificate?", "this is text, but neither PEM (no -----BEGIN ...----- line) nor base64"),
        (b"QUJD", "not a certificate, CSR, CRL, key, PKCS#7 or PKCS#12 that certlab can read"),
        (b"\x30\x03\x02\x01\x05", "not a certificate, CSR, CRL, key, PKCS#7 or PKCS#12 that certlab can read"),
        (b"\x00\xff\xfe garbage \x01", "not a certificate, CSR, CRL, key, PKCS#7 or PKCS#12 that certlab can read"),
        (b"QUJ", "looks like base64 but does not decode (wrong length or padding)"),
    ],
)
def test_garbage_never_raises(data: bytes | str, error: str) -> None:
    [item] = load(data)
    assert item.kind == "unknown" and item.obj is None and item.error == error


def test_unknown_pem_label() -> None:
    [item] = load("-----BEGIN SOMETHING ELSE-----\nQUJD\n-----END SOMETHING ELSE-----\n")
    assert item.kind == "unknown" and item.label == "SOMETHING ELSE" and "not one certlab reads" in item.error  # type: ignore[operator]


# ---------------------------------------------------------------- encrypted keys


@pytest.mark.parametrize("fmt", ["traditional", "pkcs8"])
@pytest.mark.parametrize("encoding", ["pem", "der"])
def test_encrypted_keys(fmt: str, encoding: str, rsa_key: object) -> None:
    if fmt == "traditional" and encoding == "der":
        with pytest.raises(SpecError) as exc:
            private_key_bytes(rsa_key, passphrase="pw", format=fmt, encoding=encoding)
        assert exc.value.field == "encoding"
        return
    data = private_key_bytes(rsa_key, passphrase="s3cret", format=fmt, encoding=encoding)
    right = load(data, passphrase="s3cret")
    assert _kinds(right) == ["private-key"] and right[0].encrypted and right[0].error is None
    assert right[0].obj.private_numbers() == rsa_key.private_numbers()  # type: ignore[union-attr, attr-defined]
    wrong = load(data, passphrase=b"nope")
    assert wrong[0].obj is None and wrong[0].encrypted and wrong[0].error == "encrypted private key: wrong passphrase"
    missing = load(data)
    assert missing[0].obj is None and missing[0].encrypted and missing[0].error == "encrypted private key: needs a passphrase"


def test_encrypted_key_formats_match_the_tutorial_and_rfc5958(rsa_key: object) -> None:
    trad = private_key_bytes(rsa_key, passphrase="pw")
    assert trad.startswith(b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: ")
    assert load(trad, passphrase="pw")[0].label == "RSA PRIVATE KEY"
    assert private_key_bytes(rsa_key, passphrase="pw", format="pkcs8").startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert private_key_bytes(rsa_key).startswith(b"-----BEGIN RSA PRIVATE KEY-----\nMII")


@needs_openssl
def test_openssl_reads_our_encrypted_keys(rsa_key: object, tmp_path: pathlib.Path) -> None:
    for fmt in ("traditional", "pkcs8"):
        path = save(tmp_path / f"{fmt}.pem", private_key_bytes(rsa_key, passphrase="s3cret", format=fmt))
        out = openssl("pkey", "-in", str(path), "-passin", "pass:s3cret", "-pubout").stdout.encode()
        assert out == public_bytes(rsa_key)
        assert openssl("pkey", "-in", str(path), "-passin", "pass:wrong", "-noout", check=False).returncode != 0


def test_plain_key_with_a_passphrase_given_still_loads(ec_key: object) -> None:
    [item] = load(private_key_bytes(ec_key), passphrase="unused")
    assert item.obj is not None and not item.encrypted


def test_real_encrypted_traditional_key() -> None:
    data = _vector("asymmetric/Traditional_OpenSSL_Serialization/key1.pem")
    assert load(data)[0].error == "encrypted private key: needs a passphrase"
    assert load(data, passphrase="123456")[0].obj is not None


@pytest.mark.parametrize("algo", [a for a in KEY_ALGORITHMS if a not in ("rsa", "ec")])
def test_keys_without_traditional_format(algo: str) -> None:
    key = generate_key(KeySpec(algo))
    with pytest.raises(SpecError) as exc:
        private_key_bytes(key)
    assert exc.value.field == "key_format" and "use format='pkcs8'" in exc.value.rule
    [item] = load(private_key_bytes(key, format="pkcs8", passphrase="pw"), passphrase="pw")
    assert item.kind == "private-key" and item.obj is not None


def test_private_key_bytes_refusals(ec_key: object) -> None:
    with pytest.raises(SpecError, match="key_format: must be 'traditional' or 'pkcs8', got 'pkcs1'"):
        private_key_bytes(ec_key, format="pkcs1")
    with pytest.raises(SpecError, match="passphrase: must not be empty"):
        private_key_bytes(ec_key, passphrase="")
    with pytest.raises(SpecError, match="key: is not a private key"):
        private_key_bytes(ec_key.public_key(), format="pkcs8")  # type: ignore[attr-defined]
    with pytest.raises(SpecError, match="obj: must be a certificate, CSR, CRL or key"):
        public_bytes("text")


# ---------------------------------------------------------------- bundles


def test_pkcs7_bundle(cert: x509.Certificate) -> None:
    other = x509.load_pem_x509_certificate(_vector("x509/cryptography.io.pem"))
    for enc in (serialization.Encoding.PEM, serialization.Encoding.DER):
        items = load(pkcs7.serialize_certificates([cert, other], enc), source="bundle.p7b")
        assert _kinds(items) == ["pkcs7", "certificate", "certificate"]
        assert [i.source for i in items] == ["bundle.p7b", "bundle.p7b#1", "bundle.p7b#2"]
        assert [i.obj for i in items[1:]] == [cert, other]
        assert items[0].note == "PKCS#7 bundle with 2 certificates"


def test_real_pkcs7() -> None:
    items = load(_vector("pkcs7/amazon-roots.der"), source="amazon-roots.der")
    assert items[0].kind == "pkcs7" and len(items) == 1 + len(pkcs7.load_der_pkcs7_certificates(_vector("pkcs7/amazon-roots.der")))


def test_pkcs12(cert: x509.Certificate, ec_key: object) -> None:
    other = x509.load_pem_x509_certificate(_vector("x509/cryptography.io.pem"))
    data = pkcs12.serialize_key_and_certificates(b"me", ec_key, cert, [other], serialization.BestAvailableEncryption(b"pw"))  # type: ignore[arg-type]
    missing = load(data)
    assert _kinds(missing) == ["pkcs12"] and missing[0].error == "PKCS#12 file: needs a passphrase"
    assert load(data, passphrase="bad")[0].error == "PKCS#12 file: wrong passphrase"
    items = load(data, passphrase="pw", source="me.p12")
    assert _kinds(items) == ["pkcs12", "private-key", "certificate", "certificate"]
    assert items[1].obj.private_numbers() == ec_key.private_numbers()  # type: ignore[union-attr, attr-defined]
    assert items[2].obj == cert and items[3].obj == other and items[3].source == "me.p12#3"
    plain = pkcs12.serialize_key_and_certificates(None, ec_key, cert, None, serialization.NoEncryption())  # type: ignore[arg-type]
    assert _kinds(load(plain)) == ["pkcs12", "private-key", "certificate"]
    assert _kinds(load(plain, passphrase="not needed")) == ["pkcs12", "private-key", "certificate"]


def test_real_pkcs12() -> None:
    items = load(_vector("pkcs12/cert-key-aes256cbc.p12"), passphrase="cryptography")
    assert _kinds(items) == ["pkcs12", "private-key", "certificate"]


# ---------------------------------------------------------------- files


def test_load_file(tmp_path: pathlib.Path, cert: x509.Certificate) -> None:
    path = save(tmp_path / "c.pem", public_bytes(cert))
    [item] = load_file(path)
    assert item.obj == cert and item.source == str(path)
    with pytest.raises(LoadError) as exc:
        load_file(tmp_path / "missing.pem")
    assert exc.value.field == "file" and str(tmp_path / "missing.pem") in str(exc.value)
    with pytest.raises(LoadError, match="is a folder"):
        load_file(tmp_path)


def test_save_creates_0600_and_refuses_overwrite(tmp_path: pathlib.Path) -> None:
    old = os.umask(0o000)  # even with a permissive umask the key file is private
    try:
        path = save(tmp_path / "key.pem", b"secret")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_bytes() == b"secret"
    with pytest.raises(LoadError) as exc:
        save(path, b"other")
    assert str(exc.value) == f"path: already exists; pass overwrite=True to replace it, got {str(path)!r}"
    assert path.read_bytes() == b"secret"
    path.chmod(0o644)
    assert save(path, b"new", overwrite=True) == path
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key.pem"]  # no temporary file left behind


def test_save_refusals(tmp_path: pathlib.Path) -> None:
    with pytest.raises(LoadError, match="its folder does not exist"):
        save(tmp_path / "nope" / "k.pem", b"x")
    with pytest.raises(LoadError, match="must be bytes"):
        save(tmp_path / "k.pem", "text")  # type: ignore[arg-type]


def test_deprecation_warnings_become_notes() -> None:
    import warnings

    from cryptography.utils import CryptographyDeprecationWarning

    data = _vector("asymmetric/DH/dhpub.pem")
    with warnings.catch_warnings(record=True) as direct:
        warnings.simplefilter("always")
        serialization.load_pem_public_key(data)  # what cryptography itself says about it
    expected = [str(w.message) for w in direct if issubclass(w.category, CryptographyDeprecationWarning)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may escape to the notebook
        [item] = load(data)
    assert item.kind == "public-key" and item.obj is not None
    if expected:
        assert item.note == "cryptography warns: " + " ".join(sorted(set(expected)))
    else:  # a cryptography that no longer warns about FFDH: no note either
        assert item.note is None


@needs_openssl
def test_openssl_trusted_certificate(cert: x509.Certificate, tmp_path: pathlib.Path) -> None:
    path = save(tmp_path / "c.pem", public_bytes(cert))
    trusted = openssl("x509", "-in", str(path), "-trustout", "-addtrust", "serverAuth").stdout
    assert trusted.startswith("-----BEGIN TRUSTED CERTIFICATE-----")
    [item] = load(trusted)
    assert item.kind == "certificate" and item.obj == cert and item.error is None
    assert item.note == "OpenSSL trust settings after the certificate were left aside"


def test_kind_of_names_each_object_as_load_does() -> None:
    """kind_of(obj) agrees with the kind load() detected from the bytes (real CRL from the vectors)."""
    key = generate_key(KeySpec())
    with open_vector_file("x509/custom/crl_all_reasons.pem", "rb") as f:
        crl_pem = f.read()
    cert = build_self_signed(CertificateSpec(), key)
    samples = [
        cert.public_bytes(serialization.Encoding.PEM),
        build_csr(CsrSpec(), key).public_bytes(serialization.Encoding.PEM),
        crl_pem,
        private_key_bytes(key, format="pkcs8"),
        public_bytes(key),
    ]
    for data in samples:
        (item,) = load(data)
        assert kind_of(item.obj) == item.kind
    assert kind_of(b"not an object") == kind_of(object()) == "unknown"
