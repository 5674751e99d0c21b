"""``certlab inspect`` / ``python -m certlab``: formats, exit codes, stdin, no tracebacks."""

from __future__ import annotations

import base64
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from certlab import cli

DER = serialization.Encoding.DER
PEM = serialization.Encoding.PEM


@pytest.fixture(scope="module")
def objects() -> tuple[x509.Certificate, x509.CertificateSigningRequest, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cli.example")])
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    csr = x509.CertificateSigningRequestBuilder().subject_name(name).sign(key, hashes.SHA256())
    return cert, csr, key


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_every_pem_block_in_order(tmp_path: Path, objects, capsys) -> None:
    cert, csr, key = objects
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(b"junk before\n" + cert.public_bytes(PEM) + csr.public_bytes(PEM)
                       + key.public_key().public_bytes(PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    der_file = tmp_path / "cert.der"
    der_file.write_bytes(cert.public_bytes(DER))
    code, out, err = _run(capsys, "inspect", "--json", str(bundle), str(der_file))
    assert code == 0, err
    doc = json.loads(out)
    kinds = [o["kind"] for o in doc["objects"]]
    assert kinds == ["certificate", "csr", "public-key", "certificate"]
    first = doc["objects"][0]
    assert first["der_length"] == len(cert.public_bytes(DER)) and first["errors"] == []
    assert first["source"].startswith(str(bundle))
    tree = first["tree"]
    assert tree["path"] == "certificate" and tree["offset"] == 0
    assert tree["length"] == first["der_length"] - tree["header_length"]
    # the CN is found, named and decoded
    stack, found = [tree], None
    while stack:
        n = stack.pop()
        stack.extend(n["children"])
        if n["path"] == "certificate.tbsCertificate.subject.rdnSequence.0.0.value.x520CommonName.utf8String":
            found = n
    assert found is not None and found["value"] == "cli.example" and found["name"] == "value"
    assert found["class"] == "universal" and found["tag"] == 12 and not found["encapsulated"]
    assert doc["objects"][3]["tree"] == tree


def test_stdin_and_base64(objects, monkeypatch, capsys) -> None:
    cert = objects[0]
    import io

    raw = base64.b64encode(cert.public_bytes(DER))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    code, out, _ = _run(capsys, "inspect", "--json", "-")
    assert code == 0
    assert json.loads(out)["objects"][0]["source"] == "<stdin>"


def test_malformed_input_exits_1_with_the_errors(tmp_path: Path, objects, capsys) -> None:
    cert = objects[0]
    truncated = tmp_path / "cut.der"
    truncated.write_bytes(cert.public_bytes(DER)[:-10])
    code, out, _ = _run(capsys, "inspect", "--json", str(truncated))
    assert code == 1
    obj = json.loads(out)["objects"][0]
    assert obj["errors"] and obj["errors"][0]["offset"] == 0 and "content bytes" in obj["errors"][0]["message"]
    assert obj["tree"] is not None
    code, out, _ = _run(capsys, "inspect", str(truncated))
    assert code == 1 and "error at offset 0" in out


def test_usage_errors_exit_2(tmp_path: Path, capsys) -> None:
    code, _, err = _run(capsys, "inspect", str(tmp_path / "missing.pem"))
    assert code == 2 and "no such file" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as exc:
        cli.main(["inspect", "--bogus", "x"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["inspect"])
    assert exc.value.code == 2
    assert cli.main([]) == 2


def test_text_output_names_every_node(objects, tmp_path: Path, capsys) -> None:
    csr = objects[1]
    f = tmp_path / "req.pem"
    f.write_bytes(csr.public_bytes(PEM))
    code, out, _ = _run(capsys, "inspect", "--text", str(f))
    assert code == 0
    assert out.startswith(f"== {f}: csr")
    assert "certificationRequestInfo" in out and "cli.example" in out and "r = " in out
    code, out, _ = _run(capsys, "inspect", "--text", "--explain", str(f))
    assert "RFC 2986" in out


def test_html_output_is_a_page(objects, tmp_path: Path, capsys) -> None:
    f = tmp_path / "c.pem"
    f.write_bytes(objects[0].public_bytes(PEM))
    code, out, _ = _run(capsys, "inspect", "--html", str(f))
    assert code == 0 and out.startswith("<!DOCTYPE html>") and 'role="tree"' in out


def test_lab_dispatches_to_certlab_lab(monkeypatch) -> None:
    import certlab.launcher

    seen: list[list[str]] = []
    monkeypatch.setattr(certlab.launcher, "main", lambda argv: seen.append(list(argv)) or 0)
    assert cli.main(["lab", "--dir", "x", "--no-browser"]) == 0
    assert seen == [["--dir", "x", "--no-browser"]]


def test_python_m_certlab_never_shows_a_traceback(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x30\x84\xff\xff\xff\xff" + b"\x00" * 10)
    proc = subprocess.run([sys.executable, "-m", "certlab", "inspect", "--json", str(garbage)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert json.loads(proc.stdout)["objects"][0]["errors"]


# --- fields, findings and --chain (issue 4) ----------------------------------

def _tutorial_self_signed(tmp_path: Path) -> Path:
    from certlab import CertificateSpec, build_self_signed, generate_key, public_bytes

    path = tmp_path / "tutorial.pem"
    path.write_bytes(public_bytes(build_self_signed(CertificateSpec(), generate_key())))
    return path


def test_json_carries_fields_and_findings_pinned_to_tree_nodes(tmp_path: Path, capsys) -> None:
    code, out, err = _run(capsys, "inspect", "--json", str(_tutorial_self_signed(tmp_path)))
    assert code == 0, err
    obj = json.loads(out)["objects"][0]
    names = {f["name"] for f in obj["fields"]}
    assert {"Serial number", "Not before", "Not after"} <= names
    assert all(set(f) >= {"section", "name", "value", "explanation", "path"} for f in obj["fields"])
    codes = {f["code"]: f for f in obj["findings"]}
    # the tutorial's certificate: no AKI (pkilint), "localhost" not a domain name, CN not in SAN
    assert "pkix.authority_key_identifier_extension_absent" in codes
    assert codes["pkix.invalid_domain_name_syntax"]["path"].endswith("subjectAltName.0.dNSName")
    assert codes["cn-not-in-san"]["source"] == "certlab"

    # every path names a node of the tree (CHOICE wrappers are found by their alias)
    from certlab import explore, load_file

    explored = explore(load_file(tmp_path / "tutorial.pem")[0].der)
    for item in obj["fields"] + obj["findings"]:
        assert item["path"] is None or explored.find(item["path"]) is not None, item


def test_text_shows_fields_findings_then_tree(tmp_path: Path, capsys) -> None:
    code, out, _ = _run(capsys, "inspect", "--text", str(_tutorial_self_signed(tmp_path)))
    assert code == 0
    assert out.index("Serial number") < out.index("cn-not-in-san") < out.index("-- ASN.1 --")
    assert "tbsCertificate" in out.split("-- ASN.1 --")[1]


def test_chain_of_the_tutorial_certificate_fails_on_the_missing_aki(tmp_path: Path, capsys) -> None:
    code, out, _ = _run(capsys, "inspect", "--chain", "--host", "localhost", str(_tutorial_self_signed(tmp_path)))
    assert code == 1
    assert "NOT verified" in out and "chain-missing-aki" in out and "2.5.29.35" in out


def test_chain_of_a_teaching_ca_verifies_and_names_each_link(tmp_path: Path, capsys) -> None:
    from certlab import CsrSpec, TeachingCA, build_csr, generate_key, public_bytes

    ca = TeachingCA.create()
    leaf = ca.issue(build_csr(CsrSpec(), generate_key()))
    bundle = tmp_path / "chain.pem"
    bundle.write_bytes(b"".join(public_bytes(c) for c in (leaf, *ca.chain)))
    code, out, _ = _run(capsys, "inspect", "--chain", "--host", "www.mysite.com", "--json", str(bundle))
    assert code == 0
    doc = json.loads(out)
    assert doc["ok"] is True and len(doc["chain"]) == 3
    code, out, _ = _run(capsys, "inspect", "--chain", "--host", "other.example", str(bundle))
    assert code == 1 and "NOT verified" in out


def test_chain_without_a_certificate_is_a_usage_error(tmp_path: Path, objects, capsys) -> None:
    _, csr, _ = objects
    path = tmp_path / "req.pem"
    path.write_bytes(csr.public_bytes(PEM))
    code, _, err = _run(capsys, "inspect", "--chain", str(path))
    assert code == 2 and "no certificate" in err


def test_a_pem_block_of_broken_base64_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # nothing was read, so the documented status is 1 ("some input was malformed"), not 0
    path = tmp_path / "broken.pem"
    path.write_text("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")
    code, out, err = _run(capsys, "inspect", "--json", str(path))
    record = json.loads(out)["objects"][0]
    assert code == 1 and "not valid base64" in record["errors"][0]["message"]
    assert "internal error" not in err


def test_an_rsa_16384_modulus_is_shown_not_an_internal_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import secrets

    from cryptography.hazmat.primitives.asymmetric import rsa

    # 4933 decimal digits: past Python's int -> str limit of 4300 (a synthetic modulus:
    # generating a real 16384-bit key takes minutes, and only its size matters here)
    n = secrets.randbits(16384) | (1 << 16383) | 1
    public = rsa.RSAPublicNumbers(65537, n).public_key()
    signer = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rsa 16384")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public).serial_number(1)
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1)).sign(signer, hashes.SHA256()))
    assert cert.public_key().key_size == 16384  # cryptography, the oracle: a valid certificate
    path = tmp_path / "big.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    code, out, err = _run(capsys, "inspect", "--text", str(path))
    assert code == 0 and err == ""
    content = b"\x00" + n.to_bytes(2048, "big")  # DER adds a zero octet: the top bit is set
    assert f"0x{content[:16].hex()}... (16384 bits, 2049 bytes" in out


def test_the_command_leaves_with_mains_status_and_whole_output(tmp_path: Path, capsys) -> None:
    # `python -m certlab` (and the console script) exit without freeing what inspect read:
    # the output must still be whole, the status main's, a closed pipe no traceback
    from tests._certs import revoked_crl

    crl = tmp_path / "big.crl"
    crl.write_bytes(revoked_crl(range(1, 400), cn="exit").public_bytes(serialization.Encoding.DER))
    broken = tmp_path / "broken.der"
    broken.write_bytes(crl.read_bytes()[:-40])
    # buffered, as a terminal-less run is by default (this session's environment may set PYTHONUNBUFFERED)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    for path, status in ((crl, 0), (broken, 1)):
        for fmt in ("--text", "--json"):
            expected_status, expected, _ = _run(capsys, "inspect", fmt, str(path))
            assert expected_status == status
            proc = subprocess.run([sys.executable, "-m", "certlab", "inspect", fmt, str(path)],
                                  capture_output=True, text=True, encoding="utf-8", env=env)
            assert (proc.returncode, proc.stdout) == (status, expected), proc.stderr[-500:]
    reader = subprocess.Popen([sys.executable, "-m", "certlab", "inspect", "--text", str(crl)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.read(100)
    reader.stdout.close()  # `certlab inspect big.crl | head`
    assert reader.wait(timeout=120) == 0
    assert b"Traceback" not in reader.stderr.read()
