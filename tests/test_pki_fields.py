"""Fields of OCSP, CMS, PKCS#12, time-stamp and CMP messages, read from the named tree.

Oracles: cryptography's OCSP parser and ``openssl ocsp -resp_text`` on every OCSP
response of cryptography-vectors; ``openssl pkcs7 -print_certs``; ``openssl ts``
making and printing real time-stamp requests, responses and tokens; ``openssl cmp``'s
mock server making real CMP messages.
"""

from __future__ import annotations

import pathlib
import re
import subprocess

import cryptography_vectors
import pytest
from cryptography.x509 import ocsp

from _oracles import OPENSSL, needs_openssl
from certlab import cli
from certlab.explorer import explore
from certlab.fields_pki import describe_tree
from certlab.load import load

VECTORS = pathlib.Path(cryptography_vectors.__file__).parent / "vectors" / "cryptography_vectors"
if not VECTORS.is_dir():
    VECTORS = pathlib.Path(cryptography_vectors.__file__).parent


def _run(*args: str, cwd: pathlib.Path | None = None) -> str:
    assert OPENSSL is not None
    proc = subprocess.run([OPENSSL, *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _fields(path_or_der: pathlib.Path | bytes) -> dict[str, list[str]]:
    der = path_or_der if isinstance(path_or_der, bytes) else load(path_or_der.read_bytes())[0].der
    d = describe_tree(explore(der))
    assert d is not None
    e = explore(der)
    out: dict[str, list[str]] = {}
    for f in d.fields:
        assert f.path is None or e.find(f.path) is not None, f  # every field points at a real node
        out.setdefault(f.name.strip(), []).append(f.value)
    return out


def _hex(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 8) // 8, "big", signed=True)
    return raw.hex(":").upper()


@needs_openssl
def test_ocsp_response_fields_agree_with_cryptography_and_openssl() -> None:
    checked = 0
    for path in sorted((VECTORS / "x509" / "ocsp").glob("resp-*.der")) + [
            VECTORS / "x509" / "ocsp" / "ocsp-army.deps.mil-resp.der"]:
        resp = load(path.read_bytes())[0].obj
        if not isinstance(resp, ocsp.OCSPResponse) or resp.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            continue
        fields = _fields(path)
        assert fields["Response status"] == ["successful (0)"]
        assert resp.produced_at_utc.strftime("%Y-%m-%d %H:%M:%S") in fields["Produced at"][0]
        statuses = fields["Status"]
        assert len(statuses) == len(list(resp.responses))
        for single, shown, cert in zip(resp.responses, statuses, fields["Certificate"]):
            assert shown.split()[0] == single.certificate_status.name.lower(), path.name
            assert _hex(single.serial_number) in cert
            if single.revocation_reason is not None:
                assert single.revocation_reason.name.lower().replace("_", "") in shown.lower()
        text = _run("ocsp", "-respin", str(path), "-resp_text", "-noverify").split("\nCertificate:\n")[0]
        assert [s.split()[0] for s in statuses] == re.findall(r"Cert Status: (\w+)", text)
        if "Responder Id: " in text and resp.responder_name is not None:
            cn = re.search(r"CN ?= ?([^,\n]+)", text.split("Responder Id: ", 1)[1].splitlines()[0])
            assert cn is None or cn.group(1).strip() in fields["Responder"][0]
        checked += 1
    assert checked >= 12


def test_ocsp_request_fields() -> None:
    path = VECTORS / "x509" / "ocsp" / "req-sha1.der"
    req = load(path.read_bytes())[0].obj
    assert isinstance(req, ocsp.OCSPRequest)
    (shown,) = _fields(path)["Requested certificate"]
    assert _hex(req.serial_number) in shown and "sha1" in shown


@needs_openssl
def test_signed_data_fields_list_the_certificates_openssl_prints() -> None:
    for name in ("amazon-roots.der", "isrg.pem", "authenticode.der"):
        der = load((VECTORS / "pkcs7" / name).read_bytes())[0].der
        fields = _fields(der)
        proc = subprocess.run([OPENSSL or "openssl", "pkcs7", "-inform", "DER", "-print_certs", "-noout"],
                              input=der, capture_output=True, timeout=60)
        subjects = re.findall(r"^subject=.*CN ?= ?([^,\n]+)", proc.stdout.decode(), re.M)
        shown = [v for k, vs in fields.items() if k.startswith("Certificate ") for v in vs]
        assert len(shown) == len(re.findall(r"^subject=", proc.stdout.decode(), re.M)), name
        assert all(any(cn.strip() in s for s in shown) for cn in subjects), (name, subjects, shown)
    signer = _fields(load((VECTORS / "pkcs7" / "authenticode.der").read_bytes())[0].der)
    assert signer["Signer"] and "serial" in signer["Signer"][0]


def test_pkcs12_fields_list_the_bags() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from certlab import CertificateSpec, build_self_signed, generate_key

    key = generate_key()
    cert = build_self_signed(CertificateSpec(), key)
    der = pkcs12.serialize_key_and_certificates(b"my-label", key, cert, None, serialization.NoEncryption())
    fields = _fields(der)
    bags = [v for k, vs in fields.items() if k.startswith("Bag ") for v in vs]
    assert any(b.startswith("certBag") and cert.subject.rfc4514_string().split(",")[0].split("=")[1] in b
               for b in bags), bags
    assert any(b.startswith("keyBag") for b in bags)
    assert "my-label" in fields["friendlyName"]
    encrypted = _fields((VECTORS / "pkcs12" / "cert-key-aes256cbc.p12").read_bytes())
    assert any("encrypted with" in s for s in encrypted["Safe"])


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A throwaway TSA made with openssl, and a request, response and token from ``openssl ts``."""
    if OPENSSL is None:
        pytest.skip("openssl is not installed")
    d = tmp_path_factory.mktemp("tsa")
    (d / "tsa.cnf").write_text(
        "[ req ]\ndistinguished_name = dn\nprompt = no\n[ dn ]\nCN = certlab test TSA\n"
        "[ tsa_ext ]\nextendedKeyUsage = critical, timeStamping\nbasicConstraints = CA:FALSE\n"
        "[ tsa ]\ndefault_tsa = tsa1\n[ tsa1 ]\nsigner_cert = tsa.crt\nsigner_key = tsa.key\n"
        "signer_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\naccuracy = secs:1\n"
        "ess_cert_id_alg = sha256\nserial = serial.txt\ncrypto_device = builtin\n")
    (d / "serial.txt").write_text("2A\n")
    (d / "data.txt").write_text("certlab\n")
    _run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "tsa.key",
         "-out", "tsa.crt", "-days", "30", "-config", "tsa.cnf", "-extensions", "tsa_ext", cwd=d)
    _run("ts", "-query", "-data", "data.txt", "-sha256", "-cert", "-out", "req.tsq", cwd=d)
    _run("ts", "-reply", "-queryfile", "req.tsq", "-config", "tsa.cnf", "-out", "resp.tsr", cwd=d)
    _run("ts", "-reply", "-in", "resp.tsr", "-token_out", "-out", "token.der", cwd=d)
    return d


def test_time_stamp_messages_are_named_and_agree_with_openssl(tsa: pathlib.Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    text = _run("ts", "-reply", "-in", "resp.tsr", "-text", cwd=tsa)
    nonce = int(re.search(r"Nonce: 0x([0-9A-F]+)", text).group(1), 16)  # type: ignore[union-attr]
    serial = int(re.search(r"Serial number: 0x([0-9A-F]+)", text).group(1), 16)  # type: ignore[union-attr]
    for name, kind in (("req.tsq", "timestamp-request"), ("resp.tsr", "timestamp-response"), ("token.der", "pkcs7")):
        path = tsa / name
        e = explore(path.read_bytes())
        assert e.kind == kind and not e.errors
        unnamed = [n.path for n in e.walk() if n.schema_name is None and n.open_type is None and not n.guess]
        assert unnamed == [], unnamed
        assert cli.main(["inspect", "--text", str(path)]) == 0
        capsys.readouterr()
        fields = _fields(path.read_bytes())
        assert str(nonce) in fields["Nonce"][0]
        if name != "req.tsq":
            assert fields["Serial number"] == [_hex(serial)]
            assert fields["Policy"] == ["1.2.3.4.1"] or "1.2.3.4.1" in fields["Policy"][0]
            assert "certlab test TSA" in fields["Certificate 1"][0]
    assert _fields((tsa / "resp.tsr").read_bytes())["Status"][0].startswith("granted")


def test_cmp_messages_from_openssl_s_mock_server_are_named(tmp_path: pathlib.Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    if OPENSSL is None:
        pytest.skip("openssl is not installed")
    _run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
         "-out", "ca.crt", "-days", "30", "-subj", "/CN=certlab mock CA", cwd=tmp_path)
    _run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "new.key", cwd=tmp_path)
    # openssl 3.0's in-process mock CA answers an initialization request (RFC 4210 5.3.1);
    # it then refuses its own certificate, which does not matter here: the messages are written
    subprocess.run([OPENSSL, "cmp", "-cmd", "ir", "-use_mock_srv", "-srv_ref", "mock", "-srv_cert", "ca.crt",
                    "-srv_key", "ca.key", "-srv_secret", "pass:1234", "-rsp_cert", "ca.crt", "-secret", "pass:1234",
                    "-ref", "mockref", "-newkey", "new.key", "-subject", "/CN=learner", "-reqout", "ir.der",
                    "-rspout", "ip.der", "-certout", "out.crt"], cwd=tmp_path, capture_output=True, timeout=120)
    for name, body in (("ir.der", "ir"), ("ip.der", "ip")):
        path = tmp_path / name
        e = explore(path.read_bytes())
        assert e.kind == "cmp" and e.root_name == "pKIMessage" and not e.errors
        unnamed = [n.path for n in e.walk() if n.schema_name is None and n.open_type is None and not n.guess]
        assert unnamed == [], unnamed
        fields = _fields(path.read_bytes())
        assert fields["Message type"] == [body]
        assert "learner" in fields["Sender" if body == "ir" else "Recipient"][0]
        assert cli.main(["inspect", "--text", str(path)]) == 0
        capsys.readouterr()
