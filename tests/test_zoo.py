"""The zoo: every server's failure as three real clients report it, and certlab's pin on the fault.

``EXPECTED`` holds what each client must say, as substrings of its own words
(Python's ssl exception, ``openssl s_client`` output, cryptography's
VerificationError).  The zoo captures them live; if a library upgrade changes
a client's verdict or wording, this test fails instead of the lesson going
quietly wrong.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
from cryptography.hazmat.primitives import serialization

from certlab import servers, tls, zoo
from certlab.errors import CertlabError
from certlab.explorer import explore
from tests._oracles import needs_openssl

# client -> (accepted?, words it must use). "python" is ssl as certlab.tls.fetch configures it.
EXPECTED: dict[str, dict[str, tuple[bool, str]]] = {
    "healthy": {"python": (True, "handshake OK"), "openssl": (True, "Verify return code: 0 (ok)"),
                "cryptography": (True, "chain of 3 verified")},
    "healthy-rsa": {"python": (True, "handshake OK"), "openssl": (True, "Verify return code: 0 (ok)"),
                    "cryptography": (True, "chain of 3 verified")},
    "expired": {"python": (False, "certificate has expired [verify code 10]"),
                "openssl": (False, "verify error:num=10:certificate has expired"),
                "cryptography": (False, "cert is not valid at validation time")},
    "not-yet-valid": {"python": (False, "certificate is not yet valid [verify code 9]"),
                      "openssl": (False, "verify error:num=9:certificate is not yet valid"),
                      "cryptography": (False, "cert is not valid at validation time")},
    "wrong-host": {"python": (False, "Hostname mismatch, certificate is not valid for 'localhost'"),
                   "openssl": (False, "verify error:num=62:hostname mismatch"),
                   "cryptography": (False, "leaf certificate has no matching subjectAltName")},
    "self-signed": {"python": (False, "self-signed certificate [verify code 18]"),
                    "openssl": (False, "verify error:num=18:self-signed certificate"),
                    "cryptography": (False, "candidates exhausted")},
    "untrusted-root": {"python": (False, "unable to get local issuer certificate [verify code 20]"),
                       "openssl": (False, "verify error:num=20:unable to get local issuer certificate"),
                       "cryptography": (False, "candidates exhausted")},
    "incomplete-chain": {"python": (False, "unable to get local issuer certificate [verify code 20]"),
                         "openssl": (False, "verify error:num=20:unable to get local issuer certificate"),
                         "cryptography": (False, "candidates exhausted")},
    # TLS 1.3 clients sort the chain themselves (RFC 8446 §4.4.2): all three accept
    "wrong-order": {"python": (True, "handshake OK"), "openssl": (True, "Verify return code: 0 (ok)"),
                    "cryptography": (True, "chain of 3 verified")},
    # without revocation checking everyone accepts; with it, OpenSSL refuses (see REVOCATION_CLIENTS)
    "revoked": {"python": (True, "handshake OK"), "openssl": (True, "Verify return code: 0 (ok)"),
                "cryptography": (True, "chain of 3 verified")},
    "sha1-intermediate": {"python": (False, "CA signature digest algorithm too weak [verify code 68]"),
                          "openssl": (False, "verify error:num=68:CA signature digest algorithm too weak"),
                          "cryptography": (False, "Forbidden signature algorithm")},
    "rsa1024": {"python": (False, "EE certificate key too weak [verify code 66]"),
                "openssl": (False, "verify error:num=66:EE certificate key too weak"),
                "cryptography": (True, "chain of 3 verified")},
    # OpenSSL clients fall back to the CN when there is no SAN; cryptography does not
    "cn-only": {"python": (True, "handshake OK"), "openssl": (True, "Verify return code: 0 (ok)"),
                "cryptography": (False, "leaf server certificate has no subjectAltName")},
    "eku-client-only": {"python": (False, "unsuitable certificate purpose [verify code 26]"),
                        "openssl": (False, "verify error:num=26:unsuitable certificate purpose"),
                        "cryptography": (False, "required EKU not found")},
    "intermediate-not-ca": {"python": (False, "invalid CA certificate [verify code 79]"),
                            "openssl": (False, "verify error:num=79:invalid CA certificate"),
                            "cryptography": (False, "basicConstraints.cA must be asserted in a CA certificate")},
    "pathlen-exceeded": {"python": (False, "path length constraint exceeded [verify code 25]"),
                         "openssl": (False, "verify error:num=25:path length constraint exceeded"),
                         "cryptography": (False, "path length constraint violated")},
    "name-constraints": {"python": (False, "permitted subtree violation [verify code 47]"),
                         "openssl": (False, "verify error:num=47:permitted subtree violation"),
                         "cryptography": (False, "no permitted name constraints matched SAN")},
    # the chain is perfect; only the handshake signature shows the key does not belong to it
    "key-mismatch": {"python": (False, "[SSL: BAD_SIGNATURE] bad signature"),
                     "openssl": (False, "bad signature"),
                     "cryptography": (True, "chain of 3 verified")},
    "many-sans": {"python": (False, "[SSL: EXCESSIVE_MESSAGE_SIZE] excessive message size"),
                  "openssl": (False, "excessive message size"),
                  "cryptography": (False, "")},  # checked in test_many_sans_fails_in_the_handshake
}

_CLIENT_PREFIX = {"python": "Python ssl", "openssl": "openssl s_client", "cryptography": "cryptography"}


@pytest.fixture(scope="module")
def running() -> zoo.Zoo:
    z = zoo.Zoo.start(lifetime=600)
    yield z
    z.stop()


def test_the_zoo_has_at_least_15_broken_and_2_healthy_servers_on_distinct_ports(running: zoo.Zoo) -> None:
    assert len(zoo.names(healthy=False)) >= 15 and len(zoo.names(healthy=True)) >= 2
    assert set(EXPECTED) == set(zoo.CASES) == {s.name for s in running}
    ports = [s.port for s in running] + [running.revocation.port]
    assert len(set(ports)) == len(ports)
    assert all(s.url == f"https://127.0.0.1:{s.port}/" for s in running)


@needs_openssl
@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_server_as_three_real_clients_see_it(running: zoo.Zoo, name: str) -> None:
    report = running.report(name)
    for client, (accepted, words) in EXPECTED[name].items():
        verdict = report.verdict(_CLIENT_PREFIX[client])
        if name == "many-sans" and client == "cryptography":
            continue  # checked on its own below: no client received that chain
        assert verdict.accepted is accepted, f"{name}: {verdict.client} said {verdict.said!r}"
        assert words in verdict.said, f"{name}: {verdict.client} said {verdict.said!r}"
    # certlab's pin: the faulty certificate exists and the node path names a real node of it
    case = report.case
    if case.path is not None:
        cert = report.fault_certificate
        assert cert is not None, name
        path = report.fault_path
        assert path is not None and "[" not in path, path
        assert explore(cert.public_bytes(serialization.Encoding.DER), "certificate").find(path) is not None, (name, path)
    html = report._repr_html_()
    assert "<script" not in html and case.fix.split(":")[0].replace("'", "&#x27;") in html


def test_many_sans_fails_in_the_handshake_and_is_a_large_certificate(running: zoo.Zoo) -> None:
    report = running.report("many-sans")
    assert report.sent == ()  # nothing arrived: the clients' 100 KiB certificate-list cap
    leaf = report.configured[0]
    assert len(leaf.public_bytes(serialization.Encoding.DER)) > 100 * 1024
    verdict = report.verdict("cryptography")
    assert "no client received it" in verdict.client and verdict.accepted, verdict  # the chain itself is fine


def test_revoked_is_refused_by_clients_that_check_revocation(running: zoo.Zoo) -> None:
    report = running.report("revoked")
    assert report.verdict("Python ssl + CRL check").accepted is False
    assert "certificate revoked [verify code 23]" in report.verdict("Python ssl + CRL check").said
    crl_client = report.verdict("openssl s_client -crl_check")
    assert not crl_client.accepted and "verify error:num=23:certificate revoked" in crl_client.said
    assert report.revocation is not None and report.revocation.status == "revoked"
    assert {o.method for o in report.revocation.outcomes if o.status == "revoked"} == {"crl", "ocsp"}


def test_key_mismatch_server_refuses_to_be_configured_honestly(running: zoo.Zoo) -> None:
    # OpenSSL's own refusals, captured when the zoo configured the servers
    assert "CA_MD_TOO_WEAK" in running.report("sha1-intermediate").server_refusal
    assert "EE_KEY_TOO_SMALL" in running.report("rsa1024").server_refusal
    assert running.report("healthy").server_refusal == ""
    report = running.report("key-mismatch")
    assert "KEY_VALUES_MISMATCH" in report.server_refusal
    # what clients see has another key than the one the server signs with
    server = running["key-mismatch"]
    assert server._setup is not None
    seen = server.certificate.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    held = server._setup.key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert seen != held


def test_fetch_explains_the_new_verify_codes(running: zoo.Zoo) -> None:
    for name, reason in [("intermediate-not-ca", "issuer is not a CA"), ("name-constraints", "name constraints violated"),
                         ("rsa1024", "key too weak"), ("sha1-intermediate", "weak signature hash")]:
        result = tls.fetch(running[name].url, trust=running.trust, server_hostname="localhost")
        assert not result.ok and result.reason == reason, (name, result)
    ok = tls.fetch(running["healthy"].url, trust=running.trust, server_hostname="localhost")
    assert ok.ok and "certlab zoo: healthy" in ok.body


@needs_openssl
def test_peer_chain_reads_what_the_server_sends(running: zoo.Zoo) -> None:
    wrong = zoo.peer_chain(running["wrong-order"].url)
    assert [c.subject for c in wrong] == [running["wrong-order"].certificate.subject, running.ca.root.subject,
                                          running.ca.intermediate.subject]
    assert len(zoo.peer_chain(running["incomplete-chain"].url)) == 1
    with pytest.raises(CertlabError):
        zoo.peer_chain("https://example.com/")


def test_mystery_checks_the_diagnosis_and_stops() -> None:
    m = zoo.Mystery(seed=3, choices=["expired", "wrong-host"])
    try:
        answer = m._answer
        wrong = "wrong-host" if answer == "expired" else "expired"
        ok, text = m.check(wrong)
        assert not ok and "Hint:" in text and answer not in text
        ok, text = m.check("no-such-case")
        assert not ok and "not one of the zoo's cases" in text
        ok, text = m.check(answer)
        assert ok and text.startswith("Right")
        assert m.tries == 3
        result = tls.fetch(m.url, trust=m.trust, server_hostname="localhost")
        assert not result.ok
        port = m.port
    finally:
        m.stop()
    assert not m.running
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2)


def test_stop_frees_every_port_and_thread() -> None:
    z = zoo.Zoo.start(["healthy", "key-mismatch"], lifetime=60)
    ports = [s.port for s in z] + [z["key-mismatch"]._server.info.port, z.revocation.port]
    assert z._life in servers.live()  # registered: stopped at exit (run for real in the subprocess test below)
    z.stop()
    assert z._life not in servers.live() and not any(s.running for s in z)
    for port in ports:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2)

    def left() -> list[str]:  # this zoo's threads (the module's running zoo keeps its own)
        return [t.name for t in threading.enumerate() if t.is_alive() and t.name.startswith(
            ("certlab-zoo-healthy", "certlab-zoo-key-mismatch", "certlab-zoo-swap", "certlab-revocation-"))
            and any(t.name.endswith(f"-{p}") for p in ports)]

    deadline = time.monotonic() + 5
    while left() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left() == []


def test_unknown_case_names_are_refused() -> None:
    with pytest.raises(CertlabError) as err:
        zoo.Zoo.start(["expird"])
    assert err.value.field == "name" and "expired" in str(err.value)


# --------------------------------------------------------------------------- the notebook 08 checks and widget


def test_exercise_checks_follow_the_live_services() -> None:
    import datetime as dt

    from certlab import revocation
    from certlab.build import TeachingCA, build_csr, generate_key
    from certlab.exercises import check_retired, check_stale, check_zoo_accepting
    from certlab.spec import CsrSpec, KeySpec, Subject

    ca = TeachingCA.create()
    with ca.serve_revocation():
        spec = CsrSpec(subject=Subject(common_name="localhost"), sans=("localhost",), key=KeySpec("ec", curve="P-256"))
        key = generate_key(spec.key)
        old, wrong = ca.issue(build_csr(spec, key)), ca.issue(build_csr(spec, key))
        assert not check_retired(ca, old)
        ca.revoke(wrong, "key_compromise")
        result = check_retired(ca, wrong)
        assert not result and "another reason" in str(result) and "RFC 5280" in str(result)
        ca.revoke(old, "superseded")
        assert check_retired(ca, old), str(check_retired(ca, old))
        assert not check_stale(revocation.check([old, *ca.chain]))
        later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)
        assert check_stale(revocation.check([old, *ca.chain], now=later))
    z = zoo.Zoo.start(["cn-only"])
    try:
        report = z.report("cn-only")
        accepting = [v.client for v in report.verdicts if v.accepted]
        assert check_zoo_accepting(report, accepting)
        assert not check_zoo_accepting(report, ["cryptography"])
    finally:
        z.stop()


def test_mystery_widget_keeps_keys_out_of_its_state_and_stops_on_close(dummy_comm: None) -> None:
    import ipywidgets as w

    from certlab.widgets import MysteryServer

    m = MysteryServer(seed=1, choices=["expired", "rsa1024"])
    try:
        answer = m.mystery._answer
        m.guess.value = "healthy"
        m.check_button.click()
        assert "Not yet" in m.feedback.value
        m.guess.value = answer
        m.check_button.click()
        assert "Right" in m.feedback.value
        m.reveal_button.click()
        assert "certlab:" in m.report.value and "&lt;script" not in m.report.value
        key = m.mystery._zoo[answer]._setup.key
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
        state = str(w.Widget.get_manager_state(drop_defaults=False))
        body = "".join(pem.splitlines()[1:-1])
        assert "PRIVATE KEY" not in state and body[:40] not in state
        first = m.mystery
        m.new_button.click()
        assert not first.running and m.mystery.running and m.mystery is not first
        port = m.mystery.port
    finally:
        m.close()
    assert not m.mystery.running
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2)


def test_the_server_side_of_each_refusal_is_recorded(running: zoo.Zoo) -> None:
    saw = {name: running.report(name).server_saw for name in ("healthy", "expired", "revoked", "self-signed")}
    assert saw["healthy"] == ()
    assert any("CERTIFICATE_EXPIRED" in x for x in saw["expired"]), saw  # the client alert, as the server read it
    assert any("CERTIFICATE_REVOKED" in x for x in saw["revoked"]), saw
    assert any("UNKNOWN_CA" in x for x in saw["self-signed"]), saw


def test_a_python_that_ends_without_stopping_leaves_no_server_behind(tmp_path) -> None:
    """What a kernel does when it shuts down: atexit stops every service; the process exits promptly."""
    import json
    import subprocess
    import sys

    code = (
        "import json\n"
        "from certlab import zoo\n"
        "from certlab.build import TeachingCA\n"
        "z = zoo.Zoo.start(['healthy', 'key-mismatch'])\n"
        "m = zoo.Mystery(seed=2)\n"
        "s = TeachingCA.create().serve_revocation()\n"
        "print(json.dumps([x.port for x in z] + [m.port, s.port, z.revocation.port]), flush=True)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception" not in proc.stderr, proc.stderr
    ports = json.loads(proc.stdout)
    assert len(set(ports)) == 5
    for port in ports:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2)
    assert list(tmp_path.iterdir()) == []  # nothing written into the working folder either


def test_python_m_certlab_zoo_prints_the_live_table() -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "certlab.zoo"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line.split()[1:] for line in proc.stdout.splitlines()[1:] if line.strip()}
    assert set(rows) == set(zoo.CASES)
    assert rows["healthy"][:3] == ["accepts"] * 3 and rows["expired"][:3] == ["REFUSES"] * 3
    assert rows["cn-only"][:3] == ["accepts", "accepts", "REFUSES"]  # the clients disagree
    assert "clients checking the CRL: 2 of 2 refuse" in proc.stdout


def test_two_learners_zoos_run_side_by_side() -> None:
    a = zoo.Zoo.start(["healthy", "expired"])
    b = zoo.Zoo.start(["healthy", "expired"])
    try:
        ports_a = {s.port for s in a} | {a.revocation.port}
        ports_b = {s.port for s in b} | {b.revocation.port}
        assert not ports_a & ports_b
        # each learner's client trusts only its own root: the other zoo's healthy server is a stranger
        assert tls.fetch(a["healthy"].url, trust=a.trust, server_hostname="localhost").ok
        crossed = tls.fetch(b["healthy"].url, trust=a.trust, server_hostname="localhost")
        assert not crossed.ok and crossed.verify_code == 20
    finally:
        a.stop()
        b.stop()
