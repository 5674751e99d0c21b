"""Self-checks: right answers pass, wrong ones fail with a reason and a hint."""

from __future__ import annotations

import base64
import os
import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from certlab import exercises as ex
from certlab import samples
from certlab.build import TeachingCA, build_csr, build_self_signed, generate_key
from certlab.errors import CertlabError
from certlab.spec import CertificateSpec, CsrSpec, KeySpec, Subject

_EC = KeySpec("ec", curve="P-256")


def _wrong(result: ex.CheckResult) -> None:
    """A failed check says what is wrong and gives a hint, never a bare False."""
    assert not result.ok and not bool(result)
    assert result.wrong
    assert result.hints or "hint" not in str(result)
    assert "✘" in str(result) and "Not yet" in result._repr_html_()


def _right(result: ex.CheckResult) -> None:
    assert result.ok and bool(result), str(result)
    assert result.right and "Well done" in str(result)


# --- 00
def test_flow_order() -> None:
    correct = "".join(sorted(ex.FLOW_PUZZLE, key=lambda k: ex.FLOW_PUZZLE[k][0]))
    _right(ex.check_flow_order(correct))
    _right(ex.check_flow_order(" ".join(correct.lower())))
    wrong = ex.check_flow_order("ABCDEF")
    _wrong(wrong)
    assert wrong.hints
    # a direction per wrong place, never the step number that belongs there
    text = str(wrong)
    assert "happens later in the flow" in text or "happens earlier in the flow" in text
    assert not re.search(r"is step \d", text)
    _wrong(ex.check_flow_order("AAB"))


def test_key_question() -> None:
    _right(ex.check_key_question("never"))
    _wrong(ex.check_key_question(3))


# --- 01
def test_check_key() -> None:
    _right(ex.check_key(ec.generate_private_key(ec.SECP384R1()), "ec", "P-384"))
    wrong_curve = ex.check_key(ec.generate_private_key(ec.SECP256R1()), "ec", "P-384")
    _wrong(wrong_curve)
    # the hint guides to the class without writing the call for the learner
    assert "P-256" in str(wrong_curve) and "SEC 2" in str(wrong_curve) and "SECP384R1()" not in str(wrong_curve)
    _wrong(ex.check_key(rsa.generate_private_key(65537, 1024), "rsa", size=2048))
    _wrong(ex.check_key("a key", "ec"))
    with pytest.raises(CertlabError):
        ex.check_key(None, "dsa")


def test_encrypted_key_file(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    good = tmp_path / "good.pem"
    good.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.BestAvailableEncryption(b"s3cret")))
    os.chmod(good, 0o600)
    _right(ex.check_encrypted_key_file(good, "s3cret"))
    _wrong(ex.check_encrypted_key_file(good, "other"))
    # the tutorial's TraditionalOpenSSL encryption is called out by name
    old = tmp_path / "old.pem"
    old.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.TraditionalOpenSSL,
                                      serialization.BestAvailableEncryption(b"s3cret")))
    os.chmod(old, 0o600)
    result = ex.check_encrypted_key_file(old, "s3cret")
    _wrong(result)
    assert "MD5" in str(result)
    plain = tmp_path / "plain.pem"
    plain.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()))
    os.chmod(plain, 0o644)
    result = ex.check_encrypted_key_file(plain, "s3cret")
    _wrong(result)
    assert "644" in str(result) and "not encrypted" in str(result)
    _wrong(ex.check_encrypted_key_file(tmp_path / "missing.pem", "x"))


# --- 02
@pytest.fixture(scope="module")
def csr_and_key() -> tuple[x509.CertificateSigningRequest, object]:
    key = generate_key(_EC)
    spec = CsrSpec(subject=Subject(common_name="example.org", organization="Example Labs"),
                   sans=("example.org", "www.example.org"), key=_EC)
    return build_csr(spec, key), key


def test_check_csr(csr_and_key: tuple) -> None:
    csr, _ = csr_and_key
    _right(ex.check_csr(csr, "example.org", ["www.example.org", "example.org"], organization="Example Labs"))
    wrong = ex.check_csr(csr, "example.org", ["example.org"], organization="Other")
    _wrong(wrong)
    assert len(wrong.wrong) == 2
    _right(ex.check_csr_subject(csr, common_name="example.org", country="US"))
    _wrong(ex.check_csr_subject(csr, common_name="mysite.com"))
    _wrong(ex.check_csr("not a csr", "x", []))


def test_check_csr_without_san_explains_cn_is_ignored() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "example.org")]))
           .sign(key, hashes.SHA256()))
    result = ex.check_csr(csr, "example.org", ["example.org"])
    _wrong(result)
    assert "subjectAltName" in str(result)


# --- 03
def test_verifiable_self_signed() -> None:
    key = generate_key(_EC)
    tutorial = build_self_signed(CertificateSpec(key=_EC), key)
    result = ex.check_verifiable_self_signed(tutorial)
    _wrong(result)
    assert "2.5.29.35" in str(result)  # what cryptography's verifier says
    fixed = build_self_signed(CertificateSpec(key=_EC, authority_key_identifier=True,
                                              subject_key_identifier=True), key)
    _right(ex.check_verifiable_self_signed(fixed))
    as_ca = build_self_signed(CertificateSpec(key=_EC, authority_key_identifier=True,
                                              subject_key_identifier=True, ca=True), key)
    result = ex.check_verifiable_self_signed(as_ca)
    _wrong(result)
    assert "cA=TRUE" in str(result)
    _wrong(ex.check_verifiable_self_signed(fixed, host="mysite.example"))


# --- 04
def test_mii_against_real_pem() -> None:
    # External oracle: the actual PEM text of real certificates.
    for sample in samples.list():
        body = b"".join(samples.pem(sample.name).splitlines()[1:-1])
        if 256 <= len(base64.b64decode(body)) < 16384:
            assert body.startswith(b"MII")
    _right(ex.check_mii_answer("MII"))
    _wrong(ex.check_mii_answer("MIIB"))
    _wrong(ex.check_mii_answer("30 82"))


def test_length_against_openssl() -> None:
    der = samples.load("isrg-root-x1").public_bytes(serialization.Encoding.DER)
    out = subprocess.run(["openssl", "asn1parse", "-inform", "DER"], input=der,
                         capture_output=True, check=True).stdout.decode()
    total_len = int(re.search(r" l=\s*(\d+)", out.splitlines()[0]).group(1))
    _right(ex.check_length(der[1:4].hex(" "), total_len))
    _wrong(ex.check_length(der[1:4].hex(" "), der[2]))
    _right(ex.check_length("2a", 42))
    _right(ex.check_length("81 80", 128))
    with pytest.raises(CertlabError):
        ex.check_length("82 05", 5)
    with pytest.raises(CertlabError):
        ex.check_length("zz", 5)


@pytest.mark.parametrize("n", [0, 5, 127, 128, 255, 256, -1, -128, -129, 65537])
def test_integer_encoding_matches_openssl(n: int) -> None:
    # openssl is the oracle (pyasn1 0.6 encodes -128 as 02 02 ff 80, not minimal: X.690 §8.3.2)
    oracle = subprocess.run(["openssl", "asn1parse", "-genstr", f"INTEGER:{n}", "-noout",
                             "-out", "/dev/stdout"], capture_output=True, check=True).stdout
    _right(ex.check_integer_encoding(n, oracle.hex(" ")))


def test_integer_encoding_wrong_answers() -> None:
    result = ex.check_integer_encoding(128, "02 01 80")
    _wrong(result)
    assert "two's complement" in str(result)
    _wrong(ex.check_integer_encoding(5, "04 01 05"))


@pytest.fixture(scope="module")
def self_signed() -> x509.Certificate:
    key = generate_key(_EC)
    return build_self_signed(CertificateSpec(key=_EC), key)


def test_break_it_in_the_signed_part(self_signed: x509.Certificate) -> None:
    der = self_signed.public_bytes(serialization.Encoding.DER)
    cn = der.index(b"mysite.com")
    result = ex.break_it(self_signed, cn)
    assert "subject" in result.path or "issuer" in result.path
    assert result.der[cn] == der[cn] ^ 1 and len(result.der) == len(der)
    assert result.parser == "still parses it"
    assert result.signature.startswith("FAILS")
    # oracle: openssl agrees the modified certificate no longer verifies
    assert "FAILS" in str(result) and "FAILS" in result._repr_html_()


def test_break_it_in_a_length_byte(self_signed: x509.Certificate) -> None:
    result = ex.break_it(self_signed, 1)
    assert "header" in result.path
    assert result.reader.startswith("stops reading") or "ends at byte" in result.reader
    assert result.parser.startswith("refuses it") and "ParseError {" not in result.parser
    assert result.findings_after is None


def test_break_it_validates_input(self_signed: x509.Certificate) -> None:
    with pytest.raises(CertlabError) as err:
        ex.break_it(self_signed, 10_000)
    assert err.value.field == "offset"
    with pytest.raises(CertlabError) as err:
        ex.break_it(self_signed, 5, new=300)
    assert err.value.field == "new"


# --- 05
@pytest.fixture(scope="module")
def ca() -> TeachingCA:
    return TeachingCA.create(intermediate=True)


def test_check_issued_and_chain(ca: TeachingCA, csr_and_key: tuple) -> None:
    csr, _ = csr_and_key
    cert = ca.issue(csr)
    _right(ex.check_issued(cert, csr, ca.intermediate))
    other = build_csr(CsrSpec(key=_EC), generate_key(_EC))
    result = ex.check_issued(cert, other, ca.intermediate)
    _wrong(result)
    _wrong(ex.check_issued(cert, csr, ca.root))
    _right(ex.check_chain(cert, [ca.intermediate], ca.root, "www.example.org"))
    _wrong(ex.check_chain(cert, [], ca.root, "www.example.org"))
    _wrong(ex.check_chain(cert, [ca.intermediate], ca.root, "mysite.com"))


# --- 06
def test_smallest_root_is_computed() -> None:
    sizes = {s.name: len(samples.load(s.name).public_bytes(serialization.Encoding.DER))
             for s in samples.list("root")}
    smallest = min(sizes, key=sizes.get)
    _right(ex.check_smallest_root(smallest))
    _wrong(ex.check_smallest_root(max(sizes, key=sizes.get)))
    _wrong(ex.check_smallest_root("nope"))


def test_expired_depends_on_the_date() -> None:
    in_2016 = datetime(2016, 6, 1, tzinfo=timezone.utc)
    _right(ex.check_expired(["ssleay-v1-test"], at=in_2016))
    _wrong(ex.check_expired([], at=in_2016))
    now_expired = [s.name for s in samples.list()
                   if samples.load(s.name).not_valid_after_utc < datetime.now(timezone.utc)]
    _right(ex.check_expired(now_expired))
    _wrong(ex.check_expired([*now_expired, "isrg-root-x1"]))


def test_html_is_escaped() -> None:
    r = ex.check_flow_order("<script>")
    assert "<script>" not in r._repr_html_() and "&lt;script&gt;" in r._repr_html_()


# --- 01: the anatomy of a private key, secrets hidden (the explorer's own masking;
# tests/test_secrets.py checks every output format against the private numbers)
def _shown(explored: object) -> str:
    from certlab.render.asn1_html import explorer_html
    from certlab.render.asn1_text import explorer_text

    return explorer_text(explored, explain=True) + explorer_html(explored)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["traditional", "pkcs8"])
def test_key_anatomy_hides_every_secret_rsa(fmt: str) -> None:
    key = rsa.generate_private_key(65537, 2048)
    explored = ex.key_anatomy(key, fmt)
    shown = _shown(explored).lower()
    nums = key.private_numbers()
    for secret in (nums.d, nums.p, nums.q, nums.dmp1, nums.dmq1, nums.iqmp):
        raw = secret.to_bytes((secret.bit_length() + 7) // 8, "big")
        assert raw[:16] in explored.der  # the real DER, not a masked copy ...
        assert raw[:16].hex() not in shown and raw[:16].hex(" ") not in shown  # ... never shown
        assert str(secret)[:30] not in shown
    modulus = nums.public_numbers.n
    assert str(modulus)[:30] in shown  # the public half stays visible
    hidden = [n for n in explored.walk() if "hidden" in str(n.value) and not n.children]
    assert {n.name for n in hidden} == {"privateExponent", "prime1", "prime2", "exponent1",
                                        "exponent2", "coefficient"}


def test_key_anatomy_hides_ec_and_ed25519_secrets() -> None:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    ec_key = ec.generate_private_key(ec.SECP256R1())
    d = ec_key.private_numbers().private_value.to_bytes(32, "big")
    for fmt in ("traditional", "pkcs8"):
        assert d.hex()[:24] not in _shown(ex.key_anatomy(ec_key, fmt)).replace(":", "").replace(" ", "")
    ed = ed25519.Ed25519PrivateKey.generate()
    seed = ed.private_bytes_raw()
    explored = ex.key_anatomy(ed, "pkcs8")
    assert seed.hex()[:24] not in _shown(explored).replace(":", "").replace(" ", "")
    assert explored.hidden  # negative control lives in test_secrets (reveal=True shows them)


# Wrong answers get the reason they are wrong; starters get the accepted forms, never the answer.
@pytest.mark.parametrize(("answer", "says"), [
    ("3", "which of the two keys is inside it"),
    ("Step 6", "proves it holds the key by signing"),
    (1, "created there"),
    ("?", "give a step number from 1 to 6"),
])
def test_key_question_explains_each_wrong_step_without_giving_the_answer(answer: object, says: str) -> None:
    result = ex.check_key_question(answer)
    assert not result.ok
    assert says in str(result)
    assert "never sent" not in str(result) and "at no step" not in str(result)


@pytest.mark.parametrize(("answer", "says"), [
    (1391, "counts the tag and length bytes too"),   # 4 + 1387: the whole certificate
    (112, "multiply the first by 256"),              # 5 + 107
    (2, "how many length octets follow"),
    (0x82, "first length byte"),
    (27397, "big-endian"),                           # 0x6b05
    ("abc", "is not a number"),
])
def test_length_names_the_misreading(answer: object, says: str) -> None:
    result = ex.check_length("82 05 6b", answer)  # type: ignore[arg-type]
    assert not result.ok and says in str(result), str(result)


def test_length_accepts_the_number_as_text_and_matches_the_der_size() -> None:
    import base64
    from certlab import samples
    from cryptography.hazmat.primitives import serialization

    der = samples.load("isrg-root-x1").public_bytes(serialization.Encoding.DER)
    truth = len(der) - 4  # oracle: the outer SEQUENCE runs to the end of the DER
    assert ex.check_length(der[1:4].hex(" "), str(truth)).ok
    assert not ex.check_length(der[1:4].hex(" "), len(der)).ok
    assert base64.b64encode(der)[:3] == b"MII"  # and the MII puzzle holds for it


@pytest.mark.parametrize(("answer", "says"), [
    ("mii", "case-sensitive"),
    ("???", "give the three characters"),
    ("MI", "give the three characters"),
])
def test_mii_explains(answer: str, says: str) -> None:
    result = ex.check_mii_answer(answer)
    assert not result.ok and says in str(result)


def test_mii_marks_each_character() -> None:
    text = str(ex.check_mii_answer("MIJ"))
    assert "character 1 is M" in text and "character 2 is I" in text
    assert "character 3 is not 'J'" in text


def test_expired_with_one_string_asks_for_a_list() -> None:
    result = ex.check_expired("ssleay-v1-test")
    assert not result.ok and "give a list" in str(result)


def test_length_80_is_the_indefinite_form_not_zero_bytes() -> None:
    # X.690 §8.1.3.6: 0x80 announces end-of-contents octets; DER forbids it (X.690 §10.1)
    wrong = ex.check_length("80", 0)
    assert not wrong.ok and "indefinite" in str(wrong) and "10.1" in str(wrong)
    assert "0 bytes" not in str(wrong)
    assert ex.check_length("80", "indefinite").ok
    # a DER reader refuses it: cryptography itself, on a SEQUENCE with an indefinite length
    from cryptography import x509

    with pytest.raises(ValueError):
        x509.load_der_x509_certificate(bytes.fromhex("3080") + bytes(2))
    # a long form where the short one fits is read, but named as a DER violation
    assert "DER uses one octet below 128" in str(ex.check_length("81 05", 5))


def test_mii_and_integer_checks_guide_without_the_answer() -> None:
    mii = str(ex.check_mii_answer("MIX"))
    assert "character 3 is not 'X': it is made of the last four bits of 82" in mii
    assert "001000" not in mii  # the six bits are for the learner to write
    integer = ex.check_integer_encoding(128, "02 01 80")
    _wrong(integer)
    assert "expected 02" not in str(integer) and "does not read back as 128" in str(integer)


def test_verifiable_self_signed_is_not_well_done_while_certlab_finds_an_error() -> None:
    from tests._certs import fixed_self_signed, make_cert, rsa_key
    from cryptography import x509 as _x509

    import datetime as _dt

    now = _dt.datetime.now(_dt.timezone.utc)
    _right(ex.check_verifiable_self_signed(fixed_self_signed(now), host="localhost"))
    key = rsa_key()
    # accepted by the verifier, but with a key usage that pkilint calls an error for RSA
    bad_ku = _x509.KeyUsage(True, False, False, False, True, False, False, False, False)  # keyAgreement on RSA
    cert = make_cert(cn="localhost", key=key, not_before=now - _dt.timedelta(hours=1),
                     extra=[(_x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False),
                            (_x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), False),
                            (bad_ku, True)])
    result = ex.check_verifiable_self_signed(cert, host="localhost")
    assert "cryptography's verifier accepts it" in str(result)
    _wrong(result)
    assert "pkix.key_usage_value_prohibited_for_rsa" in str(result)
