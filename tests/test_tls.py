"""Real TLS handshakes on 127.0.0.1: the teaching chain works, bad setups are explained."""

from __future__ import annotations

import os
import socket
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from certlab.build import TeachingCA, build_csr, build_self_signed, generate_key
from certlab.errors import CertlabError
from certlab.spec import CertificateSpec, CsrSpec, KeySpec, Subject
from certlab import tls
from certlab.tls import fetch, serve_https

_EC = KeySpec("ec", curve="P-256")  # fast to generate; RSA is exercised by the notebooks


@pytest.fixture(scope="module")
def ca() -> TeachingCA:
    return TeachingCA.create(intermediate=True)


@pytest.fixture(scope="module")
def leaf(ca: TeachingCA) -> tuple[x509.Certificate, object]:
    key = generate_key(_EC)
    csr = build_csr(CsrSpec(subject=Subject(common_name="localhost"), sans=("localhost",), key=_EC), key)
    return ca.issue(csr), key


def test_handshake_with_teaching_chain_succeeds(ca: TeachingCA, leaf: tuple) -> None:
    cert, key = leaf
    with serve_https(cert, key, chain=[ca.intermediate]) as server:
        assert server.url == f"https://127.0.0.1:{server.port}/"
        result = fetch(server.url, trust=[ca.root], server_hostname="localhost")
    assert result.ok, result
    assert result.status == 200 and "hello" in result.body
    assert result.tls_version in {"TLSv1.2", "TLSv1.3"}
    assert result.peer_subject == cert.subject.rfc4514_string()
    assert server.requests == 1
    assert "✔" in result._repr_html_()


def test_untrusted_root_is_explained(ca: TeachingCA, leaf: tuple) -> None:
    cert, key = leaf
    other = TeachingCA.create(intermediate=False)
    with serve_https(cert, key, chain=[ca.intermediate]) as server:
        result = fetch(server.url, trust=[other.root], server_hostname="localhost")
        nothing = fetch(server.url, trust=[], server_hostname="localhost")
    for r in (result, nothing):
        assert not r.ok
        # OpenSSL's X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        assert r.verify_code == 20
        assert r.reason.startswith("unknown issuer")
        assert "root" in r.explanation and "trust" in r.explanation
    # the server saw the client give up: OpenSSL's "unknown CA" alert (recorded by the
    # server's handler thread, which may finish just after the client returned)
    deadline = time.monotonic() + 3
    while not any("UNKNOWN_CA" in e for e in server.handshake_errors) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any("UNKNOWN_CA" in e for e in server.handshake_errors), server.handshake_errors


def test_wrong_name_is_explained(ca: TeachingCA, leaf: tuple) -> None:
    cert, key = leaf
    with serve_https(cert, key, chain=[ca.intermediate]) as server:
        result = fetch(server.url, trust=[ca.root], server_hostname="mysite.example")
        by_ip = fetch(server.url, trust=[ca.root])
    assert not result.ok and result.verify_code == 62
    assert result.reason == "hostname mismatch"
    assert "subjectAltName" in result.explanation
    assert "mysite.example" in str(result)
    assert not by_ip.ok and by_ip.reason == "IP address mismatch"


def test_missing_intermediate_is_explained(ca: TeachingCA, leaf: tuple) -> None:
    cert, key = leaf
    with serve_https(cert, key) as server:  # forgot chain=[intermediate]
        result = fetch(server.url, trust=[ca.root], server_hostname="localhost")
    assert not result.ok and result.verify_code == 20
    assert "intermediate" in result.explanation


def test_expired_certificate_is_explained(ca: TeachingCA) -> None:
    key = generate_key(_EC)
    csr = build_csr(CsrSpec(subject=Subject(common_name="localhost"), sans=("localhost",), key=_EC), key)
    past = datetime.now(timezone.utc) - timedelta(days=30)
    cert = ca.issue(csr, CertificateSpec(validity_days=2), now=past)
    with serve_https(cert, key, chain=[ca.intermediate]) as server:
        result = fetch(server.url, trust=[ca.root], server_hostname="localhost")
    assert not result.ok and result.verify_code == 10 and result.reason == "expired"


def test_tutorial_self_signed_certificate_trusted_as_its_own_root() -> None:
    key = generate_key(_EC)
    cert = build_self_signed(CertificateSpec(key=_EC), key)  # SAN localhost, as the tutorial
    with serve_https(cert, key) as server:
        trusted = fetch(server.url, trust=[cert], server_hostname="localhost")
        untrusted = fetch(server.url, trust=[], server_hostname="localhost")
    assert trusted.ok, trusted
    assert not untrusted.ok and untrusted.verify_code == 18
    assert "self-signed" in untrusted.reason


def test_server_stops_after_block_and_after_lifetime(ca: TeachingCA, leaf: tuple) -> None:
    cert, key = leaf
    with serve_https(cert, key, chain=[ca.intermediate]) as server:
        url = server.url
    after = fetch(url, trust=[ca.root], server_hostname="localhost", timeout=2)
    assert not after.ok and after.reason == "connection refused"
    with serve_https(cert, key, chain=[ca.intermediate], lifetime=0.2) as server:
        time.sleep(0.6)
        late = fetch(server.url, trust=[ca.root], server_hostname="localhost", timeout=2)
        assert not late.ok
        # the lifetime closes the listening socket too, inside the block: the port is free again
        assert late.reason == "connection refused", late
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", server.port), timeout=2)


def test_key_temp_file_is_gone_and_wrong_key_refused(ca: TeachingCA, leaf: tuple) -> None:
    cert, key = leaf
    before = set(os.listdir(tempfile.gettempdir()))
    with serve_https(cert, key, chain=[ca.intermediate]):
        pass
    leftovers = {n for n in set(os.listdir(tempfile.gettempdir())) - before if n.startswith("certlab-tls-")}
    assert leftovers == set()
    with pytest.raises(CertlabError) as err:
        with serve_https(cert, ec.generate_private_key(ec.SECP256R1())):
            pass
    assert err.value.field == "key"


@pytest.mark.skipif(not tls._memfd_ok(), reason="memfd_create needs Linux")
def test_on_linux_the_key_touches_no_folder_and_no_descriptor_leaks(
        ca: TeachingCA, leaf: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    # A notebook must write nothing outside its own folder: any temp-dir use now fails loudly.
    def no_temp_dir(*args: object, **kwargs: object) -> None:
        raise AssertionError("serve_https wrote into a temporary directory")
    monkeypatch.setattr(tls.tempfile, "TemporaryDirectory", no_temp_dir)
    cert, key = leaf
    fds_before = set(os.listdir("/proc/self/fd"))
    with serve_https(cert, key, chain=[ca.intermediate]) as server:
        got = fetch(server.url, trust=[ca.root], server_hostname="localhost")
    assert got.ok, got
    leaked = [os.readlink(f"/proc/self/fd/{fd}") for fd in set(os.listdir("/proc/self/fd")) - fds_before
              if os.path.exists(f"/proc/self/fd/{fd}")]
    assert not [link for link in leaked if "certlab-tls" in link], leaked


def test_without_memfd_the_temp_files_work_and_are_removed(
        ca: TeachingCA, leaf: tuple, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tls, "_memfd_ok", lambda: False)
    seen: list[list[str]] = []
    real = tempfile.TemporaryDirectory

    class Recording(real):  # type: ignore[misc, valid-type]
        def __exit__(self, *exc: object) -> None:
            seen.append(sorted(os.listdir(self.name)))  # what OpenSSL was given, before cleanup
            super().__exit__(*exc)

    monkeypatch.setattr(tls.tempfile, "TemporaryDirectory", lambda **kw: Recording(dir=tmp_path, **kw))
    cert, key = leaf
    with serve_https(cert, key, chain=[ca.intermediate]) as server:
        got = fetch(server.url, trust=[ca.root], server_hostname="localhost")
    assert got.ok, got
    assert seen == [["0.pem", "1.pem"]]
    assert list(tmp_path.iterdir()) == []


def test_bad_url_and_trust_name_the_field() -> None:
    with pytest.raises(CertlabError) as err:
        fetch("http://127.0.0.1:1/")
    assert err.value.field == "url"
    with pytest.raises(CertlabError) as err:
        fetch("https://127.0.0.1:1/", trust=["not a pem"])
    assert err.value.field == "trust[0]"


def test_failure_html_is_escaped(ca: TeachingCA, leaf: tuple) -> None:
    cert, key = leaf
    with serve_https(cert, key, chain=[ca.intermediate]) as server:
        result = fetch(server.url, trust=[ca.root], server_hostname="<b>x</b>.example")
    assert "<b>x</b>" not in result._repr_html_() and "&lt;b&gt;" in result._repr_html_()

