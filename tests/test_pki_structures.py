"""OCSP, CMS / PKCS#7, PKCS#12, time-stamp and CMP messages: named by the schema walk, valid ones exit 0.

Oracles: the real objects of the cryptography-vectors package (every OCSP,
PKCS#7 and PKCS#12 file it ships), cryptography's own OCSP parser, and the
``openssl`` command line (``ocsp -resp_text``, ``pkcs7 -print_certs``,
``pkcs12 -info``) reading the same files.
"""

from __future__ import annotations

import json
import pathlib
import re
import subprocess

import cryptography_vectors
import pytest
from cryptography.x509 import ocsp

from _oracles import OPENSSL, needs_openssl
from certlab import cli
from certlab.explorer import explore
from certlab.load import load

VECTORS = pathlib.Path(cryptography_vectors.__file__).parent / "vectors" / "cryptography_vectors"
if not VECTORS.is_dir():
    VECTORS = pathlib.Path(cryptography_vectors.__file__).parent

OCSP_FILES = sorted((VECTORS / "x509" / "ocsp").glob("*.der"))
PKCS7_FILES = sorted(p for p in (VECTORS / "pkcs7").glob("*") if p.is_file())
# every PKCS#12 file of the package's own folder, and every 8th of the 405 PKITS ones (same maker, same shape)
PKCS12_FILES = sorted(p for p in (VECTORS / "pkcs12").rglob("*.p12")) + sorted(
    (VECTORS / "x509" / "PKITS_data" / "pkcs12").glob("*.p12"))[::8]


def _unnamed(e: object) -> list[str]:
    """Paths of nodes no schema named (BER end-of-contents octets and marked guesses aside)."""
    return [n.path for n in e.walk()  # type: ignore[attr-defined]
            if n.schema_name is None and n.open_type is None and not (n.tag == 0 and n.length == 0)
            and not n.guess]


def _openssl(*args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    assert OPENSSL is not None
    return subprocess.run([OPENSSL, *args], input=data, capture_output=True, timeout=60)


def test_the_corpus_has_these_files() -> None:
    assert len(OCSP_FILES) >= 25 and len(PKCS7_FILES) >= 8 and len(PKCS12_FILES) >= 40


@pytest.mark.parametrize("path", OCSP_FILES, ids=lambda p: p.name)
def test_ocsp_messages_are_named_and_exit_by_what_cryptography_says(path: pathlib.Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    data = path.read_bytes()
    (item,) = load(data, source=path.name)
    is_request = path.name.startswith("req-") or path.name.endswith("-req.der")
    assert item.kind == ("ocsp-request" if is_request else "ocsp-response")
    e = explore(data)
    assert e.root_name == ("oCSPRequest" if is_request else "oCSPResponse") and not e.errors
    # every node named, except the parameters of a hash algorithm no table knows
    assert all(p.endswith("hashAlgorithm.parameters") for p in _unnamed(e)), _unnamed(e)
    code = cli.main(["inspect", "--json", str(path)])
    (record,) = json.loads(capsys.readouterr().out)["objects"]
    refused = item.obj is None
    assert code == (1 if refused else 0), record
    if refused:
        # the refusal is a finding pinned to a node that exists in the tree
        (f,) = [f for f in record["findings"] if f["code"] == "cryptography-refused"]
        assert item.refusal and f["path"] and e.find(f["path"]) is not None


def _serials(e: object) -> list[int]:
    return [int(n.value.split()[0]) for n in e.walk()  # type: ignore[attr-defined]
            if n.path.endswith(("certID.serialNumber", "reqCert.serialNumber")) and n.value]


@needs_openssl
def test_ocsp_responses_agree_with_cryptography_and_openssl() -> None:
    checked = 0
    for path in OCSP_FILES:
        data = path.read_bytes()
        item = load(data)[0]
        if item.kind != "ocsp-response" or item.obj is None:
            continue
        resp = item.obj
        assert isinstance(resp, ocsp.OCSPResponse)
        e = explore(data)
        status = e.find("oCSPResponse.responseStatus")
        assert status is not None and status.value is not None
        number = re.search(r"\d+", status.value)  # "unauthorized (6)"
        assert number is not None and int(number.group()) == resp.response_status.value
        if resp.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            continue
        ours = _serials(e)
        assert ours == [r.serial_number for r in resp.responses]
        text = _openssl("ocsp", "-respin", str(path), "-resp_text", "-noverify").stdout.decode()
        text = text.split("\nCertificate:\n")[0]  # the responder's certificates follow, with serials of their own
        theirs = [int(h, 16) for h in re.findall(r"Serial Number: ([0-9A-F]+)", text)]
        assert ours == theirs, path.name
        produced = e.find("oCSPResponse.responseBytes.response.basicOCSPResponse.tbsResponseData.producedAt")
        assert produced is not None and resp.produced_at_utc.strftime("%Y-%m-%d %H:%M:%S") in (produced.value or "")
        checked += 1
    assert checked >= 12


@needs_openssl
@pytest.mark.parametrize("path", PKCS7_FILES, ids=lambda p: p.name)
def test_pkcs7_files_are_named_and_their_certificates_counted_as_openssl_does(
        path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = load(path.read_bytes(), source=path.name)
    if items[0].kind != "pkcs7":
        pytest.skip("a certificate PEM kept in the pkcs7 folder")
    der = items[0].der
    e = explore(der)
    assert e.kind == "pkcs7" and e.root_name == "contentInfo" and not e.errors
    # the Authenticode content (SpcIndirectDataContent) is Microsoft's, in no RFC module
    assert all(".eContent." in p for p in _unnamed(e)), _unnamed(e)[:5]
    certs = [n for n in e.walk() if re.search(r"signedData\.certificates\.\d+\.certificate$", n.path)]
    proc = _openssl("pkcs7", "-inform", "DER", "-print_certs", "-noout", data=der)
    if proc.returncode == 0:
        assert len(certs) == proc.stdout.decode().count("subject="), path.name
    assert cli.main(["inspect", "--text", str(path)]) == 0
    capsys.readouterr()


def _openssl_pkcs12_safes(path: pathlib.Path) -> int | None:
    """How many ContentInfos openssl lists in the AuthenticatedSafe ("PKCS7 Data" / "PKCS7 Encrypted data")."""
    for password in ("cryptography", "password", ""):  # the package's and PKITS' passwords
        proc = _openssl("pkcs12", "-info", "-noout", "-legacy", "-passin", f"pass:{password}", "-in", str(path))
        text = proc.stdout.decode() + proc.stderr.decode()
        if proc.returncode == 0:
            return len(re.findall(r"^PKCS7 (?:Data|Encrypted data|Enveloped data)", text, re.M))
    return None


@needs_openssl
def test_pkcs12_files_are_named_and_their_safes_counted_as_openssl_does(
        capsys: pytest.CaptureFixture[str]) -> None:
    compared = 0
    for path in PKCS12_FILES:
        data = path.read_bytes()
        e = explore(data)
        assert e.kind == "pkcs12" and e.root_name == "pFX" and not e.errors, path.name
        # every node named but values of attributes no module declares (Java's trusted key usage)
        assert all(".bagAttributes." in p for p in _unnamed(e)), (path.name, _unnamed(e)[:3])
        safes = [n for n in e.walk() if re.search(r"authenticatedSafe\.\d+$", n.path)]
        theirs = _openssl_pkcs12_safes(path)
        if theirs is not None:
            assert len(safes) == theirs, path.name
            compared += 1
        password = "cryptography" if path.name.startswith(("cert-", "no-cert-key")) else "password"
        code = cli.main(["inspect", "--json", "--passphrase", password, str(path)])
        records = json.loads(capsys.readouterr().out)["objects"]
        # the bundle reads cleanly and the passphrase opens it (its key and certificates follow it);
        # a PKITS certificate inside may be broken on purpose (InvalidDSASignatureTest6EE), hence the exit
        assert records[0]["kind"] == "pkcs12" and records[0]["errors"] == [] and records[0]["note"] is None
        assert len(records) > 1 and (code == 0 or any(r["errors"] for r in records[1:])), path.name
    assert compared >= 30


def test_a_certificate_cryptography_refuses_keeps_its_kind_and_the_refusal_is_pinned(
        tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    pem = (VECTORS / "x509" / "custom" / "invalid_version.pem").read_bytes()
    der = load(pem)[0].der
    (item,) = load(der)  # DER: no PEM label to say what it is
    assert item.kind == "certificate" and item.obj is None and "7 is not a valid X509 version" in (item.error or "")
    path = tmp_path / "v7.der"
    path.write_bytes(der)
    assert cli.main(["inspect", "--json", str(path)]) == 1
    record = json.loads(capsys.readouterr().out)["objects"][0]
    assert record["kind"] == "certificate" and record["tree"]["path"] == "certificate"
    (f,) = record["findings"]
    assert f["code"] == "cryptography-refused" and f["path"] == "certificate.tbsCertificate.version"


def test_a_parse_error_location_becomes_a_node_path() -> None:
    from certlab.findings.refusal import refusal_path

    reason = ('error parsing asn1 value: ParseError { kind: InvalidValue, location: '
              '["Certificate::tbs_cert", "TbsCertificate::serial"] }')
    assert refusal_path("certificate", reason) == "certificate.tbsCertificate.serialNumber"
    reason = 'ParseError { kind: ExtraData, location: ["Certificate::tbs_cert", "TbsCertificate::signature_alg"] }'
    assert refusal_path("certificate", reason) == "certificate.tbsCertificate.signature"
    reason = ('ParseError { kind: UnknownDefinedBy, location: ["OCSPResponse::response_bytes", '
              '"ResponseBytes::response"] }')
    assert refusal_path("ocsp-response", reason) == "oCSPResponse.responseBytes.response.basicOCSPResponse"
