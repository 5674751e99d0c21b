"""Every finding code: one certificate that triggers it, one that does not.

Oracles: pyca/cryptography (it refuses to build what the findings flag, so the
bad certificates are re-signed through pyasn1 in ``tests/_certs.py``), openssl
(``x509 -text`` names the signature hash), pkilint's own codes.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import warnings
from collections.abc import Callable

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography_vectors import open_vector_file

from certlab.findings import Finding, cabf_applies, find, max_validity_days
from certlab.knowledge.findings import FINDINGS
from tests._certs import NOW, make_cert, make_csr, resign, rsa_key, tutorial_self_signed

warnings.filterwarnings("ignore", message=".*serial number which wasn't positive.*")


def codes(obj: object, **kw: object) -> dict[str, Finding]:
    return {f.code: f for f in find(obj, at=kw.pop("at", NOW), **kw)}  # type: ignore[arg-type]


def test_expired_and_not_yet_valid() -> None:
    cert = make_cert(not_before=NOW - dt.timedelta(days=100), days=90)
    got = codes(cert, pkilint=False)
    assert got["expired"].path == "certificate.tbsCertificate.validity.notAfter"
    assert got["expired"].severity == "error"
    assert "not-yet-valid" not in got
    future = make_cert(not_before=NOW + dt.timedelta(days=2), days=90)
    got = codes(future, pkilint=False)
    assert got["not-yet-valid"].path == "certificate.tbsCertificate.validity.notBefore"
    assert "expired" not in got
    assert not {"expired", "not-yet-valid"} & set(codes(make_cert(), pkilint=False))


def test_self_signed_and_bad_signature() -> None:
    cert = make_cert()
    got = codes(cert, pkilint=False)
    assert got["self-signed"].severity == "info" and "bad-signature" not in got
    broken = resign(cert, rsa_key(), corrupt=True)
    got = codes(broken, pkilint=False)
    assert "self-signed" not in got
    assert got["bad-signature"].path == "certificate.signature"
    # an issued certificate is not self-signed
    issued = make_cert(issuer_key=rsa_key(2048, 1), issuer=x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "CA")]))
    assert not {"self-signed", "bad-signature"} & set(codes(issued, pkilint=False))


def test_ca_and_end_entity() -> None:
    ca = codes(make_cert(cn="Teaching Root", sans=[], ca=True), pkilint=False)
    assert "ca-certificate" in ca and "end-entity" not in ca
    assert ca["ca-certificate"].path == "certificate.tbsCertificate.extensions.0"
    leaf = codes(make_cert(), pkilint=False)
    assert "end-entity" in leaf and "ca-certificate" not in leaf


@pytest.mark.parametrize(
    ("not_before", "limit"),
    [(dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc), 398),
     (dt.datetime(2026, 3, 15, tzinfo=dt.timezone.utc), 200),
     (dt.datetime(2027, 6, 1, tzinfo=dt.timezone.utc), 100),
     (dt.datetime(2029, 3, 15, tzinfo=dt.timezone.utc), 47)],
)
def test_validity_too_long_follows_sc081(not_before: dt.datetime, limit: int) -> None:
    assert max_validity_days(not_before) == limit
    # exactly `limit` days (notAfter - notBefore + 1 s) is allowed; one day more is not
    # the period counts both ends (notAfter - notBefore + 1 s, BR §6.3.2): notAfter one second
    # before notBefore + limit days is exactly `limit` days, the longest allowed ...
    exact = make_cert(not_before=not_before, days=limit - 1 / 86400)
    assert exact.not_valid_after_utc - exact.not_valid_before_utc + dt.timedelta(seconds=1) == dt.timedelta(days=limit)
    assert "validity-too-long" not in codes(exact, at=not_before, pkilint=False)
    # ... and notAfter = notBefore + limit days is one second too long
    over = make_cert(not_before=not_before, days=limit)
    assert "validity-too-long" in codes(over, at=not_before, pkilint=False)
    too_long = codes(make_cert(not_before=not_before, days=limit + 1), at=not_before, pkilint=False)
    assert too_long["validity-too-long"].path == "certificate.tbsCertificate.validity"
    assert str(limit) in too_long["validity-too-long"].message
    # CA certificates are not subscriber certificates
    assert "validity-too-long" not in codes(make_cert(ca=True, days=3650, not_before=not_before),
                                           at=not_before, pkilint=False)


@pytest.mark.parametrize("hash_name", ["sha1", "md5"])
def test_weak_signature_hash(hash_name: str, tmp_path) -> None:
    cert = resign(make_cert(), rsa_key(), hash=hash_name)
    got = codes(cert, pkilint=False)
    assert got["weak-signature-hash"].path == "certificate.signatureAlgorithm"
    # oracle: openssl names the same hash
    pem = tmp_path / "c.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    out = subprocess.run(["openssl", "x509", "-noout", "-text", "-in", str(pem)],
                         capture_output=True, text=True, check=True).stdout
    assert f"{hash_name}WithRSAEncryption" in out
    assert "self-signed" in got  # re-signed by the same key: still verifies
    assert "weak-signature-hash" not in codes(make_cert(), pkilint=False)


def test_weak_key() -> None:
    small = rsa_key(1024)
    got = codes(make_cert(key=small, issuer_key=rsa_key()), pkilint=False)
    assert got["weak-key"].path == "certificate.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey"
    assert "1024" in got["weak-key"].message
    assert "weak-key" not in codes(make_cert(), pkilint=False)
    assert [f.code for f in find(small, pkilint=False)] == ["weak-key"]
    assert find(rsa_key(), pkilint=False) == []


def test_no_san_and_cn_not_in_san() -> None:
    got = codes(make_cert(cn="www.example.com", sans=[]), pkilint=False)
    assert "no-san" in got and "www.example.com" in got["no-san"].message
    got = codes(make_cert(cn="www.example.com", sans=["example.com"]), pkilint=False)
    assert "no-san" not in got
    assert got["cn-not-in-san"].path == "certificate.tbsCertificate.subject.rdnSequence.0.0"
    got = codes(make_cert(cn="WWW.example.com", sans=["www.example.com"]), pkilint=False)
    assert not {"no-san", "cn-not-in-san"} & set(got)


def test_unknown_critical_extension() -> None:
    unknown = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x05\x00")
    got = codes(make_cert(extra=[(unknown, True)]), pkilint=False)
    f = got["unknown-critical-extension"]
    assert f.path == "certificate.tbsCertificate.extensions.2" and "1.3.6.1.4.1.55555.1" in f.message
    assert "unknown-critical-extension" not in codes(make_cert(extra=[(unknown, False)]), pkilint=False)


@pytest.mark.parametrize(("serial", "word"), [(0, "zero"), (-5, "negative"), (2**170, "octets")])
def test_bad_serial(serial: int, word: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cert = resign(make_cert(), rsa_key(), serial=serial)
        assert cert.serial_number == serial  # oracle: cryptography reads back what we wrote
    got = codes(cert, pkilint=False)
    assert word in got["bad-serial"].message
    assert got["bad-serial"].path == "certificate.tbsCertificate.serialNumber"
    # 20 octets exactly (159 bits, positive) is the largest allowed
    assert "bad-serial" not in codes(resign(make_cert(), rsa_key(), serial=2**159 - 1), pkilint=False)


def test_csr_bad_signature_from_vectors() -> None:
    with open_vector_file("x509/requests/invalid_signature.pem", "rb") as f:
        bad = x509.load_pem_x509_csr(f.read())
    assert not bad.is_signature_valid  # oracle
    assert codes(bad)["bad-signature"].path == "certificationRequest.signature"
    good = codes(make_csr(sans=["mysite.com"]))
    assert "bad-signature" not in good and "no-san" not in good
    assert "no-san" in codes(make_csr())


def _unknown_critical() -> x509.Certificate:
    ext = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x05\x00")
    return make_cert(extra=[(ext, True)])


# one object per code our checks can emit: a new check without a row here fails the test below
_TRIGGERS: dict[str, Callable[[], object]] = {
    "bad-serial": lambda: resign(make_cert(), rsa_key(), serial=2**170),
    "bad-signature": lambda: resign(make_cert(), rsa_key(), corrupt=True),
    "ca-certificate": lambda: make_cert(ca=True),
    "cn-not-in-san": lambda: make_cert(cn="a.example", sans=["b.example"]),
    "end-entity": lambda: make_cert(),
    "expired": lambda: make_cert(not_before=NOW - dt.timedelta(days=100), days=90),
    "no-san": lambda: make_cert(cn="a.example", sans=[]),
    "not-yet-valid": lambda: make_cert(not_before=NOW + dt.timedelta(days=1)),
    "self-signed": lambda: make_cert(),
    "unknown-critical-extension": _unknown_critical,
    "validity-too-long": lambda: make_cert(not_before=NOW - dt.timedelta(days=1), days=800),
    "weak-key": lambda: make_cert(key=rsa_key(1024)),
    "weak-signature-hash": lambda: resign(make_cert(), rsa_key(), hash="sha1"),
    "wildcard-san": lambda: make_cert(cn=None, sans=["*.example.com"]),
}


def _codes_our_checks_emit() -> set[str]:
    import re
    from pathlib import Path

    import certlab.findings.checks as checks

    return set(re.findall(r'finding\("([a-z0-9-]+)"', Path(checks.__file__).read_text()))


def test_every_code_our_checks_emit_is_in_the_table_and_triggered() -> None:
    emitted = _codes_our_checks_emit()
    assert emitted <= set(FINDINGS)  # each has its text
    assert emitted == set(_TRIGGERS), sorted(emitted ^ set(_TRIGGERS))  # each has its trigger below


@pytest.mark.parametrize("code", sorted(_TRIGGERS))
def test_each_code_is_emitted_by_its_trigger(code: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        obj = _TRIGGERS[code]()
    got = codes(obj, pkilint=False)
    assert code in got, sorted(got)
    assert got[code].severity == FINDINGS[code].severity and got[code].path


def test_tutorial_certificate_pkilint_findings() -> None:
    got = codes(tutorial_self_signed())
    aki = got["pkix.authority_key_identifier_extension_absent"]
    assert aki.source == "pkilint" and aki.severity == "error" and aki.path == "certificate"
    assert "Authority Key Identifier" in aki.message and aki.citation.startswith("pkilint ")
    assert got["pkix.certificate_skid_end_entity_missing"].severity == "warning"
    dns = got["pkix.invalid_domain_name_syntax"]
    assert dns.path == "certificate.tbsCertificate.extensions.0.extnValue.subjectAltName.0.dNSName"
    assert "localhost" in dns.message
    assert "self-signed" in got and "end-entity" in got
    # with pkilint off only our findings remain
    assert all(f.source == "certlab" for f in find(tutorial_self_signed(), at=NOW, pkilint=False))


def test_serverauth_profile_for_tls_certificates() -> None:
    with open_vector_file("x509/cryptography.io.pem", "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    got = codes(cert, at=dt.datetime(2015, 1, 1, tzinfo=dt.timezone.utc))
    assert any(c.startswith("cabf.serverauth.") for c in got)
    # issued 2014-10-15, before the first CA/B limit (39 months from 2015-04-01): pkilint flags
    # today's 398 days, our SC-081 table only applies limits in force on notBefore
    assert "cabf.serverauth.certificate_validity_period_exceeds_398_days" in got
    assert "validity-too-long" not in got and max_validity_days(cert.not_valid_before_utc) is None


def test_cabf_false_keeps_to_rfc5280_and_true_or_auto_adds_the_cabf_profile() -> None:
    with open_vector_file("x509/cryptography.io.pem", "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    at = dt.datetime(2015, 1, 1, tzinfo=dt.timezone.utc)
    assert cabf_applies(cert) and not cabf_applies(tutorial_self_signed())
    off = codes(cert, at=at, cabf=False)
    assert not any(c.startswith("cabf.") for c in off)
    assert any(f.source == "pkilint" for f in off.values())  # RFC 5280 checks still run
    on, auto = codes(cert, at=at, cabf=True), codes(cert, at=at)
    assert set(on) == set(auto) and "cabf.serverauth.certificate_validity_period_exceeds_398_days" in on
    # cabf=True cannot make the TLS profile apply to a certificate that does not claim TLS
    assert set(codes(tutorial_self_signed(), cabf=True)) == set(codes(tutorial_self_signed(), cabf=False))


def test_cabf_false_never_imports_pkilint_cabf() -> None:
    # The whole point of cabf=False: the CA/B profile's ~20 MB of imports stay out of the process.
    code = (
        "import sys\n"
        "from cryptography import x509\n"
        "from cryptography_vectors import open_vector_file\n"
        "from certlab.findings import find\n"
        "with open_vector_file('x509/cryptography.io.pem', 'rb') as f:\n"
        "    cert = x509.load_pem_x509_certificate(f.read())\n"
        "assert any(f.source == 'pkilint' for f in find(cert, cabf=False))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pkilint.cabf', 'pkilint.etsi', 'iso639'))))\n"
        "assert any(f.code.startswith('cabf.') for f in find(cert))\n"
        "print('pkilint.cabf.serverauth' in sys.modules)\n"
        # iso639's ~14 MB of language tables stay unloaded until pkilint really reads them
        "print('iso639.language' in sys.modules)\n"
        "from pkilint.etsi import en_319_412_5\n"
        "print(en_319_412_5.iso639.Language.from_part1('de').name)\n"
        "try:\n"
        "    en_319_412_5.iso639.Language.from_part1('qq')\n"
        "except en_319_412_5.iso639.LanguageNotFoundError:\n"
        "    print('not found')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split("\n")[:5] == ["[]", "True", "False", "German", "not found"], out.stdout + out.stderr


def test_pkilint_failure_becomes_one_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    import certlab.findings.pkilint_adapter as mod

    def boom(obj: object, cabf: bool | None = None) -> list[object]:
        raise RuntimeError("decoder exploded\nwith a traceback-ish second line")

    monkeypatch.setattr(mod, "_pkilint_results", boom)
    got = [f for f in find(make_cert(), at=NOW) if f.source == "pkilint"]
    assert [f.code for f in got] == ["pkilint-error"]
    assert "decoder exploded" in got[0].message and "second line" not in got[0].message


def test_findings_sorted_and_json() -> None:
    fs = find(make_cert(cn="a.example", sans=[], not_before=NOW - dt.timedelta(days=400)), at=NOW)
    order = {"error": 0, "warning": 1, "info": 2}
    assert [order[f.severity] for f in fs] == sorted(order[f.severity] for f in fs)
    for f in fs:
        assert set(f.to_json()) == {"code", "severity", "message", "citation", "path", "source"}
        assert f.source in {"certlab", "pkilint"}


def test_pkilint_findings_lead_with_plain_words_and_keep_pkilints_detail() -> None:
    from certlab import samples

    got = {f.code: f for f in find(samples.load("ssleay-v1-test")) if f.source == "pkilint"}
    version = got["pkix.certificate_version_is_not_v3"]
    assert version.message.startswith("This certificate is not version 3")
    assert version.message.endswith('(pkilint: Expected="2", actual="v1")')
    assert version.path == "certificate.tbsCertificate.version"


def test_a_pkilint_code_without_a_gloss_still_reads_as_a_sentence() -> None:
    from certlab.findings.pkilint_adapter import _sentence_from_code

    assert _sentence_from_code("pkix.crl_number_missing") == "Crl number missing."


@pytest.mark.parametrize("make_key", ["ec", "ed25519", "ed448"])
def test_self_signed_with_every_key_type_reads_as_self_signed(make_key: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519

    key = {"ec": lambda: ec.generate_private_key(ec.SECP256R1()), "ed25519": ed25519.Ed25519PrivateKey.generate,
           "ed448": ed448.Ed448PrivateKey.generate}[make_key]()
    cert = make_cert(key=key)
    cert.verify_directly_issued_by(cert)  # oracle: cryptography
    got = codes(cert, pkilint=False)
    assert "self-signed" in got and "verifies" in got["self-signed"].message and "bad-signature" not in got


def test_the_cabf_memory_figure_every_text_quotes_is_measured() -> None:
    # the one figure (knowledge.findings.CABF_MEMORY_MB) learners read next to the CA/B button
    from certlab.knowledge.findings import CABF_MEMORY_MB

    code = (
        "import re\n"
        "from cryptography import x509\n"
        "from cryptography_vectors import open_vector_file\n"
        "from certlab.findings import find\n"
        "def rss(): return int(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) / 1024\n"
        "with open_vector_file('x509/cryptography.io.pem', 'rb') as f:\n"
        "    cert = x509.load_pem_x509_certificate(f.read())\n"
        "find(cert, cabf=False)\n"
        "before = rss()\n"
        "find(cert, cabf=True)\n"
        "print(rss() - before)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    measured = float(out.stdout.strip())
    assert 0.5 * CABF_MEMORY_MB <= measured <= 1.5 * CABF_MEMORY_MB, measured
    import certlab.widgets.views as views

    assert f"about {CABF_MEMORY_MB} MB" in views._CABF_WHY
