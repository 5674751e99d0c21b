"""Revocation: the teaching CA's CRLs and OCSP responder, checked by openssl and a real handshake.

The oracles are independent implementations: ``openssl crl`` / ``openssl
verify -crl_check`` read our CRLs, ``openssl ocsp`` talks to our responder over
HTTP, Python's ``ssl`` (OpenSSL's verifier) refuses a revoked server
certificate in a real handshake with ``VERIFY_CRL_CHECK_LEAF``, and
``openssl s_server -status_file`` staples our OCSP answer for ``s_client -status``.
"""

from __future__ import annotations

import base64
import datetime as dt
import socket
import ssl
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from certlab import revocation, servers
from certlab.build import TeachingCA, build_csr, generate_key
from certlab.errors import CertlabError
from certlab.explorer import explore
from certlab.spec import CsrSpec, KeySpec, Subject
from certlab.tls import serve_https
from tests._oracles import OPENSSL, needs_openssl, openssl, write_pem

_EC = KeySpec("ec", curve="P-256")


def _leaf(ca: TeachingCA, name: str = "localhost") -> tuple[x509.Certificate, object]:
    key = generate_key(_EC)
    csr = build_csr(CsrSpec(subject=Subject(common_name=name), sans=(name,), key=_EC), key)
    return ca.issue(csr), key


@pytest.fixture
def served() -> tuple[TeachingCA, revocation.RevocationService]:
    ca = TeachingCA.create()
    service = ca.serve_revocation()
    yield ca, service
    service.stop()


def _pem(*objs: object) -> bytes:
    return b"".join(o.public_bytes(serialization.Encoding.PEM) for o in objs)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- the CA side


def test_issued_certificates_point_at_the_service(served) -> None:
    ca, service = served
    leaf, _ = _leaf(ca)
    cdp = leaf.extensions.get_extension_for_class(x509.CRLDistributionPoints)
    aia = leaf.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
    assert not cdp.critical and not aia.critical
    assert cdp.value[0].full_name[0].value == f"http://127.0.0.1:{service.port}/intermediate.crl"
    urls = {d.access_method.dotted_string: d.access_location.value for d in aia.value}
    assert urls == {"1.3.6.1.5.5.7.48.1": service.ocsp_url,
                    "1.3.6.1.5.5.7.48.2": f"http://127.0.0.1:{service.port}/intermediate.cer"}
    # the caIssuers URL serves the issuer's certificate in DER (RFC 5280 §4.2.2.1)
    with urllib.request.urlopen(urls["1.3.6.1.5.5.7.48.2"], timeout=5) as resp:
        assert x509.load_der_x509_certificate(resp.read()) == ca.intermediate
    # a CA without a running service issues certificates without them
    plain = TeachingCA.create()
    bare, _ = _leaf(plain)
    with pytest.raises(x509.ExtensionNotFound):
        bare.extensions.get_extension_for_class(x509.CRLDistributionPoints)


@needs_openssl
def test_crl_number_reason_and_next_update_read_by_openssl(served, tmp_path: Path) -> None:
    ca, _ = served
    leaf, _ = _leaf(ca)
    other, _ = _leaf(ca, "other.localhost")
    first = ca.crl()
    ca.revoke(leaf, "key_compromise")
    ca.revoke(other, "unspecified")
    crl = ca.crl()
    number = lambda c: c.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number  # noqa: E731
    assert number(crl) == number(first) + 1
    assert crl.next_update_utc - crl.last_update_utc == revocation.CRL_VALID
    text = openssl("crl", "-in", str(write_pem(tmp_path, "c.pem", crl)), "-noout", "-text").stdout
    assert f"X509v3 CRL Number: \n                {number(crl)}" in text
    serial_hex = f"{leaf.serial_number:X}"
    serial_hex = serial_hex.zfill(len(serial_hex) + len(serial_hex) % 2)  # openssl prints whole octets
    assert f"Serial Number: {serial_hex}" in text
    assert "Key Compromise" in text
    # RFC 5280 §5.3.1: 'unspecified' is expressed by leaving the reason code out
    entry = crl.get_revoked_certificate_by_serial_number(other.serial_number)
    assert entry is not None and len(entry.extensions) == 0
    assert crl.is_signature_valid(ca.intermediate.public_key())


def test_revoke_refuses_strangers_twice_and_unknown_reasons(served) -> None:
    ca, _ = served
    leaf, _ = _leaf(ca)
    stranger, _ = _leaf(TeachingCA.create())
    with pytest.raises(CertlabError) as err:
        ca.revoke(stranger)
    assert err.value.field == "cert" and "not issued by this teaching CA" in str(err.value)
    with pytest.raises(CertlabError) as err:
        ca.revoke(leaf, "because")
    assert err.value.field == "reason" and "key_compromise" in str(err.value)
    ca.revoke(leaf, "keyCompromise")  # the wire name works too
    with pytest.raises(CertlabError, match="already revoked"):
        ca.revoke(leaf, "superseded")


@needs_openssl
def test_openssl_verify_crl_check_refuses_only_after_revocation(served, tmp_path: Path) -> None:
    ca, _ = served
    leaf, _ = _leaf(ca)
    root = write_pem(tmp_path, "root.pem", ca.root)
    inter = write_pem(tmp_path, "inter.pem", ca.intermediate)
    leaf_pem = write_pem(tmp_path, "leaf.pem", leaf)

    def verify() -> subprocess.CompletedProcess[str]:
        crl = write_pem(tmp_path, "crl.pem", ca.crl())
        return openssl("verify", "-crl_check", "-CRLfile", str(crl), "-CAfile", str(root),
                       "-untrusted", str(inter), str(leaf_pem), check=False)

    good = verify()
    assert good.returncode == 0 and "OK" in good.stdout, good.stderr
    ca.revoke(leaf, "key_compromise")
    bad = verify()
    assert bad.returncode != 0
    assert "certificate revoked" in bad.stdout + bad.stderr


# --------------------------------------------------------------------------- OCSP against openssl


def _openssl_ocsp(ca: TeachingCA, service: revocation.RevocationService, cert: x509.Certificate,
                  tmp_path: Path, *extra: str) -> str:
    issuer = write_pem(tmp_path, "issuer.pem", ca.intermediate)
    target = write_pem(tmp_path, "target.pem", cert)
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(_pem(ca.root, ca.intermediate))
    proc = openssl("ocsp", "-issuer", str(issuer), "-cert", str(target), "-url", service.ocsp_url,
                   "-CAfile", str(anchors), "-resp_text", "-timeout", "10", *extra, check=False)
    return proc.stdout + proc.stderr


@needs_openssl
@pytest.mark.parametrize("responder", ["ca", "delegated"])
def test_openssl_ocsp_good_revoked_unknown(responder: str, tmp_path: Path) -> None:
    ca = TeachingCA.create()
    with ca.serve_revocation(responder=responder) as service:
        leaf, _ = _leaf(ca)
        out = _openssl_ocsp(ca, service, leaf, tmp_path)
        assert "Response verify OK" in out, out
        assert "target.pem: good" in out
        assert "Nonce" in out  # openssl sends a nonce by default and checks the echo
        ca.revoke(leaf, "key_compromise")
        out = _openssl_ocsp(ca, service, leaf, tmp_path)
        assert "Response verify OK" in out, out
        assert "target.pem: revoked" in out and "Reason: keyCompromise" in out
        # same issuer, a serial the CA never issued: 'unknown' (RFC 6960 §2.2)
        stranger = x509.CertificateBuilder().subject_name(leaf.subject).issuer_name(leaf.issuer).public_key(
            leaf.public_key()).serial_number(12345).not_valid_before(leaf.not_valid_before_utc).not_valid_after(
            leaf.not_valid_after_utc).sign(ca._issuer_key, hashes.SHA256())  # type: ignore[arg-type]
        out = _openssl_ocsp(ca, service, stranger, tmp_path)
        assert "target.pem: unknown" in out, out
        if responder == "delegated":
            signer = service.responder_certificate()
            assert signer is not None
            ekus = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
            assert x509.oid.ExtendedKeyUsageOID.OCSP_SIGNING in ekus
            assert "OCSP Signing" in out  # openssl printed the responder certificate sent along


def _post(url: str, body: bytes) -> ocsp.OCSPResponse:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/ocsp-request"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        return ocsp.load_der_ocsp_response(resp.read())


@pytest.mark.parametrize("body", [b"", b"garbage", b"\x30\x03\x02\x01\x01", b"\x30\x84\xff\xff\xff\xff", b"\x00" * 5000])
def test_malformed_request_gets_malformed_request(served, body: bytes) -> None:
    _, service = served
    answer = _post(service.ocsp_url, body)
    assert answer.response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    # the service is still up
    assert _post(service.ocsp_url, b"x").response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_get_form_nonce_echo_and_foreign_issuer(served) -> None:
    ca, service = served
    leaf, _ = _leaf(ca)
    request = (ocsp.OCSPRequestBuilder().add_certificate(leaf, ca.intermediate, hashes.SHA256())
               .add_extension(x509.OCSPNonce(b"n" * 20), critical=False).build())
    der = request.public_bytes(serialization.Encoding.DER)
    path = urllib.request.quote(base64.b64encode(der).decode("ascii"), safe="")
    with urllib.request.urlopen(f"{service.ocsp_url}/{path}", timeout=5) as resp:
        answer = ocsp.load_der_ocsp_response(resp.read())
    assert answer.certificate_status == ocsp.OCSPCertStatus.GOOD
    assert answer.hash_algorithm.name == "sha256"  # the CertID is echoed as asked
    assert answer.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == b"n" * 20
    other = TeachingCA.create()
    foreign, _ = _leaf(other)
    req = ocsp.OCSPRequestBuilder().add_certificate(foreign, other.intermediate, hashes.SHA1()).build()
    answer = _post(service.ocsp_url, req.public_bytes(serialization.Encoding.DER))
    assert answer.response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED


# --------------------------------------------------------------------------- a real handshake refuses


def test_python_ssl_with_crl_check_leaf_refuses_a_revoked_server(served, tmp_path: Path) -> None:
    ca, _ = served
    leaf, key = _leaf(ca)

    def handshake(port: int) -> ssl.SSLCertVerificationError | None:
        store = tmp_path / "store.pem"
        store.write_bytes(_pem(ca.root, ca.crl()))  # the CRL of the leaf's issuer, the intermediate
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(cafile=str(store))
        ctx.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
                with ctx.wrap_socket(raw, server_hostname="localhost"):
                    return None
        except ssl.SSLCertVerificationError as exc:
            return exc

    with serve_https(leaf, key, chain=[ca.intermediate]) as server:
        assert handshake(server.port) is None  # positive control: the same setup passes before
        ca.revoke(leaf, "key_compromise")
        refused = handshake(server.port)
    assert refused is not None
    assert refused.verify_code == 23 and refused.verify_message == "certificate revoked"


@needs_openssl
def test_ocsp_stapling_with_openssl_s_server(served, tmp_path: Path) -> None:
    ca, service = served
    leaf, key = _leaf(ca)
    ca.revoke(leaf, "superseded")
    request = ocsp.OCSPRequestBuilder().add_certificate(leaf, ca.intermediate, hashes.SHA1()).build()
    staple = tmp_path / "staple.der"
    staple.write_bytes(service.answer(request.public_bytes(serialization.Encoding.DER)))
    write_pem(tmp_path, "leaf.pem", leaf)
    write_pem(tmp_path, "inter.pem", ca.intermediate)
    root = write_pem(tmp_path, "root.pem", ca.root)
    keyfile = tmp_path / "leaf.key"
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,  # type: ignore[attr-defined]
                                          serialization.NoEncryption()))
    keyfile.chmod(0o600)
    with socket.socket() as s:  # a free port for s_server
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [str(OPENSSL), "s_server", "-accept", f"127.0.0.1:{port}", "-cert", str(tmp_path / "leaf.pem"),
         "-key", str(keyfile), "-cert_chain", str(tmp_path / "inter.pem"), "-status_file", str(staple),
         "-naccept", "1", "-quiet"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out = ""
        for _ in range(100):
            proc = subprocess.run([str(OPENSSL), "s_client", "-connect", f"127.0.0.1:{port}", "-status",
                                   "-CAfile", str(root), "-servername", "localhost"],
                                  input="", capture_output=True, text=True, timeout=20)
            out = proc.stdout + proc.stderr
            if "connect:errno" not in out and "Connection refused" not in out:
                break
            time.sleep(0.1)
    finally:
        server.kill()
        server.wait(timeout=10)
    assert "OCSP Response Status: successful" in out, out
    assert "Cert Status: revoked" in out and "Reason: superseded" in out


# --------------------------------------------------------------------------- the client side


def test_check_good_then_revoked_pinned_to_the_crl_entry_and_cert_status(served) -> None:
    ca, service = served
    leaf, _ = _leaf(ca)
    empty = revocation.check([leaf, *ca.chain], methods=["crl"]).outcomes[0]
    assert empty.status == "good" and explore(empty.der, "crl").find(empty.path) is not None
    for i in range(3):  # other entries first, so the pinned index is not trivially 0
        other, _ = _leaf(ca, f"o{i}.localhost")
        ca.revoke(other, "superseded")
    report = revocation.check([leaf, *ca.chain])
    assert report.status == "good", report
    listed = next(o for o in report.outcomes if o.method == "crl")
    assert listed.path.endswith("revokedCertificates") and explore(listed.der, "crl").find(listed.path) is not None
    methods = {(o.subject, o.method): o for o in report.outcomes}
    leaf_crl = methods[(revocation._subject(leaf), "crl")]
    leaf_ocsp = methods[(revocation._subject(leaf), "ocsp")]
    assert leaf_crl.status == leaf_ocsp.status == "good"
    assert all(ok for _, ok, _ in leaf_ocsp.checks) and {c for c, _, _ in leaf_ocsp.checks} >= {
        "signature", "authorised", "fresh", "nonce", "matches"}
    ca.revoke(leaf, "key_compromise")
    report = revocation.check([leaf, *ca.chain])
    assert report.status == "revoked" and report.revoked
    crl_o = next(o for o in report.outcomes if o.method == "crl" and o.serial == leaf.serial_number)
    assert crl_o.status == "revoked" and "keyCompromise" in crl_o.message
    assert crl_o.path == "certificateList.tbsCertList.revokedCertificates.3"
    # the pinned node exists in the fetched CRL and holds this serial
    node = explore(crl_o.der, "crl").find(crl_o.path + ".userCertificate")
    assert node is not None and node.value is not None and str(leaf.serial_number) in node.value
    ocsp_o = next(o for o in report.outcomes if o.method == "ocsp" and o.serial == leaf.serial_number)
    assert ocsp_o.status == "revoked" and ocsp_o.path.endswith("responses.0.certStatus.revoked")
    explored = explore(ocsp_o.der)
    if explored.kind == "ocsp-response":  # once the explorer names OCSP (issue 11's named structures)
        reason = explored.find(ocsp_o.path + ".revocationReason")
        assert reason is not None and "keyCompromise" in (reason.value or "")
    assert "✘" in report._repr_html_() and "&lt;" not in report._repr_html_().replace("<", "")


def test_check_detects_stale_and_unauthorised_answers(served, tmp_path: Path) -> None:
    ca, service = served
    leaf, _ = _leaf(ca)
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)
    stale = revocation.check([leaf, ca.intermediate, ca.root], now=later, methods=["crl"])
    crl_o = stale.outcomes[0]
    assert crl_o.status == "error" and "nextUpdate" in crl_o.message and "stale" in crl_o.message
    # a responder certificate the CA issued WITHOUT the OCSPSigning EKU must not be believed
    impostor, impostor_key = _leaf(ca, "impostor.localhost")
    service._responders[ca.intermediate.subject.public_bytes()] = revocation._Responder(impostor, impostor_key, True)
    report = revocation.check([leaf, *ca.chain], methods=["ocsp"])
    o = report.outcomes[0]
    assert o.status == "error" and report.status == "unknown"
    assert ("authorised", False) in {(c, ok) for c, ok, _ in o.checks}
    assert "without the OCSPSigning EKU" in o.message
    if OPENSSL is not None:  # openssl agrees: it does not believe that responder either
        out = _openssl_ocsp(ca, service, leaf, tmp_path)
        assert "Response Verify Failure" in out and "Response verify OK" not in out, out


def _answer_without_next_update(ca: TeachingCA, this_update: dt.datetime) -> object:
    """A responder that signs 'good' with no nextUpdate (RFC 6960 §2.4 allows it), echoing the nonce."""
    def answer(request_der: bytes) -> bytes:
        request = ocsp.load_der_ocsp_request(request_der)
        builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
            issuer_name_hash=request.issuer_name_hash, issuer_key_hash=request.issuer_key_hash,
            serial_number=request.serial_number, algorithm=request.hash_algorithm,
            cert_status=ocsp.OCSPCertStatus.GOOD, this_update=this_update, next_update=None,
            revocation_time=None, revocation_reason=None,
        ).responder_id(ocsp.OCSPResponderEncoding.HASH, ca.intermediate)
        for ext in request.extensions:
            builder = builder.add_extension(ext.value, critical=False)  # the nonce
        return builder.sign(ca._issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)  # type: ignore[arg-type]

    return answer


def test_an_ocsp_answer_without_next_update_is_used_while_recent(served, tmp_path: Path) -> None:
    ca, service = served
    leaf, _ = _leaf(ca)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    service.answer = _answer_without_next_update(ca, now)  # type: ignore[method-assign]
    o = revocation.check([leaf, *ca.chain], methods=["ocsp"]).outcomes[0]
    assert ocsp.load_der_ocsp_response(o.der).next_update_utc is None  # cryptography reads none back
    fresh = {c: (ok, d) for c, ok, d in o.checks}["fresh"]
    assert o.status == "good" and fresh[0], o
    assert "no nextUpdate" in fresh[1] and "RFC 6960 §2.4" in fresh[1] and "must not be cached" in fresh[1]
    if OPENSSL is not None:  # openssl accepts it too, even with a one-hour bound on thisUpdate's age
        out = _openssl_ocsp(ca, service, leaf, tmp_path, "-status_age", "3600")
        assert "target.pem: good" in out and "Next Update" not in out and "Status times invalid" not in out, out
    service.answer = _answer_without_next_update(ca, now - dt.timedelta(hours=2))  # type: ignore[method-assign]
    old = revocation.check([leaf, *ca.chain], methods=["ocsp"]).outcomes[0]
    assert old.status == "error" and ("fresh", False) in {(c, ok) for c, ok, _ in old.checks}
    assert "2 hours old" in old.message and "certlab's policy, not an RFC rule" in old.message
    if OPENSSL is not None:  # openssl with the same bound refuses it as well
        out = _openssl_ocsp(ca, service, leaf, tmp_path, "-status_age", "3600")
        assert "Status times invalid" in out, out
    # a CRL has no such leeway: RFC 5280 §5.1.2.5 requires its nextUpdate
    ok, why = revocation._fresh(now, None, now, "crl")
    assert not ok and "RFC 5280 §5.1.2.5" in why


def test_check_refuses_a_crl_signed_by_another_key(served, monkeypatch: pytest.MonkeyPatch) -> None:
    ca, _ = served
    leaf, _ = _leaf(ca)
    forger = TeachingCA.create()
    real_build = revocation.build_crl

    def forged(ca_: TeachingCA, issuer: x509.Certificate, *, now: dt.datetime) -> x509.CertificateRevocationList:
        crl = real_build(ca_, issuer, now=now)  # same issuer name and entries, someone else's key
        builder = x509.CertificateRevocationListBuilder().issuer_name(crl.issuer).last_update(
            crl.last_update_utc).next_update(crl.next_update_utc)
        return builder.sign(forger._issuer_key, hashes.SHA256())  # type: ignore[arg-type]

    monkeypatch.setattr(revocation, "build_crl", forged)
    o = revocation.check([leaf, *ca.chain], methods=["crl"]).outcomes[0]
    assert o.status == "error" and "signature does not verify" in o.message
    assert ("signature", False) in {(c, ok) for c, ok, _ in o.checks}


def test_check_of_a_certificate_without_urls_and_a_dead_service() -> None:
    ca = TeachingCA.create()
    bare, _ = _leaf(ca)
    report = revocation.check([bare, *ca.chain])
    assert {o.status for o in report.outcomes} == {"not-offered", "skipped"}
    assert report.status == "unknown"
    service = ca.serve_revocation()
    leaf, _ = _leaf(ca)
    service.stop()
    dead = revocation.check([leaf, *ca.chain], timeout=2)
    assert {o.status for o in dead.outcomes if o.serial == leaf.serial_number} == {"error"}
    assert all(not ok for o in dead.outcomes if o.serial == leaf.serial_number
               for c, ok, _ in o.checks if c == "fetched")


def test_service_stops_and_frees_its_port() -> None:
    ca = TeachingCA.create()
    service = ca.serve_revocation(lifetime=30)
    port = service.port
    threads = [t for t in threading.enumerate() if t.name == f"certlab-revocation-{port}"]
    assert len(threads) == 1
    assert service._life in servers.live()  # registered: stopped when the kernel ends
    socket.create_connection(("127.0.0.1", port), timeout=2).close()
    servers.stop_all()  # what the end of the interpreter and SIGTERM run
    assert not service.running and not threads[0].is_alive()
    assert service._life not in servers.live()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2)
    assert ca._revocation_base is None
    again = ca.serve_revocation(lifetime=0.3)  # the lifetime timer stops it by itself
    deadline = time.monotonic() + 5
    while again.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not again.running


def test_any_bytes_get_an_ocsp_response_never_a_crash() -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    ca = TeachingCA.create()
    leaf, _ = _leaf(ca)
    good = ocsp.OCSPRequestBuilder().add_certificate(leaf, ca.intermediate, hashes.SHA1()).build().public_bytes(
        serialization.Encoding.DER)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.one_of(st.binary(max_size=600),
                     st.tuples(st.integers(0, len(good) - 1), st.integers(0, 255)).map(
                         lambda t: good[:t[0]] + bytes([t[1]]) + good[t[0] + 1:])))
    def answer_is_ocsp(data: bytes) -> None:
        response = ocsp.load_der_ocsp_response(revocation.ocsp_answer(ca, data))
        assert response.response_status in set(ocsp.OCSPResponseStatus)

    answer_is_ocsp()


def test_a_huge_content_length_is_refused_without_reading_it(served) -> None:
    _, service = served
    with socket.create_connection(("127.0.0.1", service.port), timeout=5) as s:
        s.sendall(b"POST /ocsp HTTP/1.0\r\nContent-Type: application/ocsp-request\r\n"
                  b"Content-Length: 1000000000\r\n\r\n\x30\x00")
        started = time.monotonic()
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    assert time.monotonic() - started < 3
    body = data.partition(b"\r\n\r\n")[2]
    assert ocsp.load_der_ocsp_response(body).response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST


@needs_openssl
def test_a_revoked_intermediate_on_the_roots_crl_fails_crl_check_all(served, tmp_path: Path) -> None:
    ca, _ = served
    leaf, _ = _leaf(ca)
    root = write_pem(tmp_path, "root.pem", ca.root)
    inter = write_pem(tmp_path, "inter.pem", ca.intermediate)
    leaf_pem = write_pem(tmp_path, "leaf.pem", leaf)

    def verify() -> subprocess.CompletedProcess[str]:
        crls = tmp_path / "crls.pem"
        crls.write_bytes(_pem(ca.crl(ca.root), ca.crl()))  # the root's CRL and the intermediate's
        return openssl("verify", "-crl_check_all", "-CRLfile", str(crls), "-CAfile", str(root),
                       "-untrusted", str(inter), str(leaf_pem), check=False)

    assert verify().returncode == 0
    ca.revoke(ca.intermediate, "ca_compromise")
    root_crl = ca.crl(ca.root)
    assert root_crl.is_signature_valid(ca.root.public_key())
    assert root_crl.get_revoked_certificate_by_serial_number(ca.intermediate.serial_number) is not None
    bad = verify()
    assert bad.returncode != 0 and "error 23 at 1 depth lookup: certificate revoked" in bad.stdout + bad.stderr


def test_a_sha1_self_signed_root_is_a_trust_anchor_not_a_missing_issuer() -> None:
    # "Self-signed" is one check (certlab.signatures): cryptography's verify_directly_issued_by
    # refuses SHA-1, which made an old SHA-1 root look like a certificate whose issuer is missing.
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from certlab.zoo import _resign_sha1  # cryptography no longer signs with SHA-1 itself

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "old SHA-1 root")])
    root = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(dt.datetime(2000, 1, 1)).not_valid_after(dt.datetime(2040, 1, 1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    root = _resign_sha1(root, key)
    assert root.signature_hash_algorithm.name == "sha1"
    (outcome,) = revocation.check([root]).outcomes
    assert outcome.status == "skipped" and "trust anchor" in outcome.message, outcome
