"""certlab.acme against the real pebble on 127.0.0.1 (mandatory under CI=true).

Oracles: pebble itself (what it issues and what it refuses), cryptography's
``x509.verification`` and ``openssl verify`` for the chain, josepy/cryptography
for the JWS signatures, RFC 7638 computed by hand for the thumbprint, Python's
``ssl`` for the TLS handshake with the issued certificate, /proc for processes.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import ipaddress
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

from certlab import CertlabError
from certlab.acme import AcmeProblem, AcmeSession, Pebble, dns01_value, key_authorization, pebble_available
from certlab.build import build_csr, generate_key
from certlab.knowledge.acme import PEBBLE_HINT, PROBLEMS
from certlab.spec import CsrSpec, KeySpec
from certlab.tls import fetch, serve_https
from tests._pebble import need_pebble, pebble_pids

REPO = Path(__file__).resolve().parents[1]
STARTED: list[int] = []


@pytest.fixture(scope="module")
def pebble() -> Iterator[Pebble]:
    need_pebble()
    server = Pebble.start()
    STARTED.extend(server.pids)
    try:
        yield server
    finally:
        server.stop()
        assert not set(server.pids) & pebble_pids(), "pebble still running after stop()"


def _csr(key: object, names: list[str], subject: bool = True) -> x509.CertificateSigningRequest:
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])] if subject else [])
    ).add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return builder.sign(key, algorithm)  # type: ignore[arg-type]


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# ---------------------------------------------------------------- real issuance


@pytest.mark.parametrize("key_spec", [KeySpec("rsa", size=2048), KeySpec("ec", curve="P-256"), KeySpec("ed25519")],
                         ids=["rsa-2048", "p-256", "ed25519"])
def test_the_tutorials_csr_is_issued_and_verifies(pebble: Pebble, key_spec: KeySpec, tmp_path: Path) -> None:
    key = generate_key(key_spec)
    csr = build_csr(CsrSpec(key=key_spec), key)
    issued = AcmeSession(pebble).issue(csr)
    cert = issued.certificate
    # what pebble accepts: the CSR's key and names, unchanged
    assert cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) \
        == csr.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    asked = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)
    got = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)
    assert sorted(got) == sorted(asked)
    # what the CA changed: the subject reduced to one CN (C/ST/L/O dropped), its own extensions added
    assert len(csr.subject) > 1
    assert [a.oid for a in cert.subject] == [NameOID.COMMON_NAME]
    added = {e.oid for e in cert.extensions}
    assert {ExtensionOID.KEY_USAGE, ExtensionOID.EXTENDED_KEY_USAGE, ExtensionOID.BASIC_CONSTRAINTS,
            ExtensionOID.SUBJECT_KEY_IDENTIFIER, ExtensionOID.AUTHORITY_KEY_IDENTIFIER} <= added
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    # the chain: leaf <- intermediate (sent) <- root (from the management API, not sent)
    root = pebble.root()
    assert issued.root == root
    assert len(issued.chain) == 1 and issued.chain[0].issuer == root.subject
    assert root not in issued.chain
    from cryptography.x509.verification import PolicyBuilder, Store

    verifier = PolicyBuilder().store(Store([root])).build_server_verifier(x509.DNSName(asked[0]))
    path = verifier.verify(cert, list(issued.chain))
    assert path[0] == cert and path[-1] == root
    (tmp_path / "root.pem").write_bytes(_pem(root))
    (tmp_path / "inter.pem").write_bytes(b"".join(_pem(c) for c in issued.chain))
    (tmp_path / "leaf.pem").write_bytes(_pem(cert))
    done = subprocess.run(["openssl", "verify", "-CAfile", "root.pem", "-untrusted", "inter.pem", "leaf.pem"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0 and "leaf.pem: OK" in done.stdout, done.stdout + done.stderr
    # and the intermediates the management API lists are the ones pebble sent
    assert pebble.intermediates()[0] == issued.chain[0]


def test_every_request_is_recorded_with_its_jws_decoded(pebble: Pebble) -> None:
    from josepy import jws as jose_jws

    session = AcmeSession(pebble)
    key = ec.generate_private_key(ec.SECP256R1())
    csr = _csr(key, ["rec.example"])
    issued = session.issue(csr)
    steps = [e.step for e in session.exchanges]
    for step in ("directory", "nonce", "account", "order", "authorization", "challenge", "finalize", "certificate"):
        assert step in steps, step
    assert steps.index("account") < steps.index("order") < steps.index("challenge") < steps.index("finalize")
    account = next(e for e in session.exchanges if e.step == "account")
    assert account.status == 201 and "jwk" in account.protected and "kid" not in account.protected
    assert account.payload == {"termsOfServiceAgreed": True}
    account_url = account.response_headers["Location"]
    nonces = set()
    for exchange in session.exchanges:
        if exchange.method != "POST":
            continue
        # RFC 8555 §6.2: alg, nonce, url always; kid after the account exists
        assert exchange.protected["url"] == exchange.url
        assert exchange.protected["alg"] == "ES256"
        nonces.add(exchange.protected["nonce"])
        if exchange is not account:
            assert exchange.protected["kid"] == account_url
        # the oracle: josepy verifies the signature with the account's public key
        parsed = jose_jws.JWS.json_loads(exchange.request_body)
        assert parsed.verify(session.jwk.public_key())
    assert len(nonces) == sum(1 for e in session.exchanges if e.method == "POST"), "a nonce was reused"
    finalize = next(e for e in session.exchanges if e.step == "finalize")
    assert _b64url_decode(finalize.payload["csr"]) == csr.public_bytes(serialization.Encoding.DER)
    polls = [e for e in session.exchanges if e.step == "authorization"]
    assert polls and all(e.payload == "" for e in polls)  # POST-as-GET, §6.3
    cert_exchange = next(e for e in session.exchanges if e.step == "certificate")
    assert issued.fullchain_pem == cert_exchange.response_body
    # JSON-able and free of the account's private key
    text = json.dumps([e.as_dict() for e in session.exchanges])
    d = session.account_key.private_numbers().private_value
    assert base64.urlsafe_b64encode(d.to_bytes(32, "big")).rstrip(b"=").decode() not in text
    assert session.account_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()).decode() not in text


def test_key_authorization_is_token_dot_rfc7638_thumbprint(pebble: Pebble) -> None:
    session = AcmeSession(pebble)
    session.new_order(_csr(ec.generate_private_key(ec.SECP256R1()), ["ka.example"]))
    [challenge] = session.challenges("http-01")
    # RFC 7638 §3 by hand: the required members, lexicographic order, no whitespace
    numbers = session.account_key.public_key().public_numbers()
    b64 = lambda n: base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode()  # noqa: E731
    canonical = json.dumps({"crv": "P-256", "kty": "EC", "x": b64(numbers.x), "y": b64(numbers.y)},
                           separators=(",", ":"), sort_keys=True)
    thumb = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
    assert session.thumbprint == thumb
    assert challenge.key_authorization == f"{challenge.token}.{thumb}"
    assert key_authorization(challenge.token, session.account_key) == challenge.key_authorization
    assert challenge.where == f"http://ka.example/.well-known/acme-challenge/{challenge.token}"
    session.publish(challenge)
    session.ready(challenge)
    session.wait()
    fetched = [f for f in pebble.http01.fetches if f.path.endswith(challenge.token)]
    assert fetched and all(f.status == 200 for f in fetched)
    assert fetched[0].host.split(":")[0] == "ka.example" and "Pebble" in fetched[0].user_agent


def test_dns01_through_challtestsrv(pebble: Pebble) -> None:
    session = AcmeSession(pebble)
    session.new_order(_csr(ec.generate_private_key(ec.SECP256R1()), ["dns.example", "www.dns.example"]))
    challenges = session.challenges("dns-01")
    assert {c.where for c in challenges} == {"TXT _acme-challenge.dns.example", "TXT _acme-challenge.www.dns.example"}
    for c in challenges:
        digest = hashlib.sha256(c.key_authorization.encode()).digest()
        assert c.expected == dns01_value(c.key_authorization) == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        session.publish(c)
        session.ready(c)
    before = len(pebble.http01.fetches)
    session.wait()
    issued = session.finalize()
    assert len(pebble.http01.fetches) == before  # validated by DNS alone
    assert issued.verify("www.dns.example")


def test_tls_alpn01_answered_by_certlabs_responder(pebble: Pebble) -> None:
    issued = AcmeSession(pebble).issue(_csr(ec.generate_private_key(ec.SECP384R1()), ["alpn.example"]), "tls-alpn-01")
    assert issued.verify()
    assert ("alpn.example", "acme-tls/1") in pebble.tlsalpn01.handshakes


def test_issued_certificate_served_by_notebook_05s_tls_server(pebble: Pebble) -> None:
    key = generate_key(KeySpec("ec", curve="P-256"))
    issued = AcmeSession(pebble).issue(build_csr(CsrSpec(key=KeySpec("ec", curve="P-256")), key))
    root = pebble.root()
    with serve_https(issued.certificate, key, chain=issued.chain, lifetime=30) as server:
        ok = fetch(server.url, trust=[root], server_hostname="www.mysite.com")
        assert ok.ok, str(ok)
        assert ok.peer_subject == "CN=mysite.com"
        # the oracle cuts both ways: trusting only certlab's own teaching root, the client refuses
        refused = fetch(server.url, trust=[pebble.server_ca.root], server_hostname="www.mysite.com")
        assert not refused.ok and refused.verify_code == 20


# ---------------------------------------------------------------- what pebble refuses, explained


def _order_and_prove(session: AcmeSession, csr: x509.CertificateSigningRequest) -> None:
    session.new_order(csr)
    for c in session.challenges("http-01"):
        session.publish(c)
        session.ready(c)
    session.wait()


def test_wrong_key_authorization_is_unauthorized(pebble: Pebble) -> None:
    session = AcmeSession(pebble)
    session.new_order(_csr(ec.generate_private_key(ec.SECP256R1()), ["wrong.example"]))
    [c] = session.challenges()
    session.publish(c, f"{c.token}.not-my-thumbprint")
    session.ready(c)
    with pytest.raises(AcmeProblem) as info:
        session.wait()
    problem = info.value
    assert problem.type == "unauthorized" and problem.field == "challenge"
    assert problem.identifier == "wrong.example"
    assert "not-my-thumbprint" in problem.detail  # pebble's own words, kept as the value
    assert "§8.1" in problem.rule and "urn:ietf:params:acme:error:unauthorized" in str(problem)
    assert session.states[-1][0] == "invalid"


def test_a_name_nobody_answers_for_is_a_connection_problem(pebble: Pebble) -> None:
    pebble.point("nobody.example", "127.0.0.2")  # nothing listens there
    session = AcmeSession(pebble)
    session.new_order(_csr(ec.generate_private_key(ec.SECP256R1()), ["nobody.example"]))
    [c] = session.challenges()
    session.publish(c)
    session.ready(c)
    with pytest.raises(AcmeProblem) as info:
        session.wait()
    assert info.value.type == "connection" and info.value.identifier == "nobody.example"
    assert "127.0.0.2" in info.value.detail and "refused" in info.value.detail


def test_csr_names_differing_from_the_order_are_refused_at_finalize(pebble: Pebble) -> None:
    session = AcmeSession(pebble)
    key = ec.generate_private_key(ec.SECP256R1())
    _order_and_prove(session, _csr(key, ["order.example"]))
    with pytest.raises(AcmeProblem) as info:
        session.finalize(_csr(key, ["other.example"]))
    # RFC 8555 §7.4 says a CA SHOULD answer badCSR; pebble 2.x answers unauthorized: both explained
    assert info.value.type in {"badCSR", "unauthorized"} and info.value.field == "csr"
    assert "order.example" in info.value.detail
    assert "§7.4" in info.value.rule
    # the order is still ready (§7.4): the right CSR now succeeds
    assert session.finalize(_csr(key, ["order.example"])).verify()


def test_a_weak_curve_is_refused_and_rsa_1024_is_not(pebble: Pebble) -> None:
    session = AcmeSession(pebble)
    key = ec.generate_private_key(ec.SECP192R1())
    with pytest.raises(AcmeProblem) as info:
        _order_and_prove(session, _csr(key, ["weak.example"]))
        session.finalize()
    assert info.value.field == "csr" and "curve" in info.value.detail
    assert info.value.type in {"badCSR", "badPublicKey", "malformed"}
    # pebble is a test CA: it signs an RSA-1024 key a public CA must refuse (BR 6.1.5 asks for 2048+)
    small = AcmeSession(pebble).issue(_csr(rsa.generate_private_key(65537, 1024), ["small.example"]))
    assert small.certificate.public_key().key_size == 1024  # type: ignore[union-attr]


def test_reusing_the_account_key_for_the_certificate_is_bad_csr(pebble: Pebble) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    session = AcmeSession(pebble, account_key=key)
    _order_and_prove(session, _csr(key, ["same.example"]))
    with pytest.raises(AcmeProblem) as info:
        session.finalize()
    assert info.value.type == "badCSR" and info.value.field == "csr"
    assert info.value.exchange is not None and info.value.exchange.step == "finalize"
    assert info.value.exchange.status == 400


def test_finalize_before_the_challenges_is_order_not_ready(pebble: Pebble) -> None:
    session = AcmeSession(pebble)
    session.new_order(_csr(ec.generate_private_key(ec.SECP256R1()), ["early.example"]))
    with pytest.raises(AcmeProblem) as info:
        session.finalize(timeout=5)
    assert info.value.type == "orderNotReady" and info.value.field == "order"


def test_problem_table_names_rfc_8555s_types() -> None:
    from acme.messages import ERROR_CODES  # the library's own list of RFC 8555 §6.7 types

    ours = {k for k in PROBLEMS if "@" not in k}
    assert ours - set(ERROR_CODES) <= {"userActionRequired"}  # §6.7 has it; acme 5 does not list it
    rfc_8555 = set(ERROR_CODES) - {"invalidEmail", "unknownHost", "dnssec"}  # not in RFC 8555 §6.7
    assert rfc_8555 <= ours


# ---------------------------------------------------------------- nothing lingers, nobody clashes


def test_two_learners_get_their_own_pebble(pebble: Pebble) -> None:
    other = Pebble.start()
    STARTED.extend(other.pids)
    try:
        ports = {pebble.port, pebble.management_port, pebble.dns_port, pebble.challtest_port,
                 pebble.http01.port, pebble.tlsalpn01.port}
        assert not ports & {other.port, other.management_port, other.dns_port, other.challtest_port,
                            other.http01.port, other.tlsalpn01.port}
        a = AcmeSession(pebble).issue(_csr(ec.generate_private_key(ec.SECP256R1()), ["same.name.example"]))
        b = AcmeSession(other).issue(_csr(ec.generate_private_key(ec.SECP256R1()), ["same.name.example"]))
        assert a.root != b.root  # each pebble has its own CA
        from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

        other_trust = PolicyBuilder().store(Store([a.root])).build_server_verifier(x509.DNSName("same.name.example"))
        with pytest.raises(VerificationError):
            other_trust.verify(b.certificate, list(b.chain))
    finally:
        other.stop()
    assert not set(other.pids) & pebble_pids()


def test_garbage_collected_pebble_stops() -> None:
    need_pebble()
    server = Pebble.start()
    pids = set(server.pids)
    STARTED.extend(pids)
    assert pids <= pebble_pids()
    del server
    gc.collect()
    deadline = time.monotonic() + 10
    while pids & pebble_pids() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pids & pebble_pids()


def test_a_killed_kernel_leaves_no_pebble(tmp_path: Path) -> None:
    need_pebble()
    script = textwrap.dedent("""
        import os, sys, time
        from certlab.acme import Pebble
        p = Pebble.start()
        print(*p.pids, flush=True)
        time.sleep(60)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    assert child.stdout is not None
    pids = {int(x) for x in child.stdout.readline().split()}
    STARTED.extend(pids)
    assert len(pids) == 2 and pids <= pebble_pids()
    child.kill()  # SIGKILL: no atexit, no finalizer runs (a crashed or killed kernel)
    child.wait()
    deadline = time.monotonic() + 10
    while pids & pebble_pids() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pids & pebble_pids()


def test_interpreter_exit_stops_pebble(tmp_path: Path) -> None:
    need_pebble()
    script = "from certlab.acme import Pebble\np = Pebble.start()\nprint(*p.pids, flush=True)\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    pids = {int(x) for x in done.stdout.split()}
    STARTED.extend(pids)
    assert len(pids) == 2
    assert not pids & pebble_pids()
    assert list(tmp_path.iterdir()) == []  # nothing written in the working folder either


def test_nothing_is_written_to_disk_and_keys_reach_pebble_in_memory(pebble: Pebble) -> None:
    for pid in pebble.pids:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        paths = [a for a in cmdline if a.startswith(b"/")][1:]
        assert all(p.startswith(b"/proc/self/fd/") or p == b"" for p in paths), cmdline


def test_without_pebble_a_clear_certlab_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CERTLAB_PEBBLE", "/nonexistent/pebble")
    assert not pebble_available()
    with pytest.raises(CertlabError) as info:
        Pebble.start()
    assert info.value.field == "pebble" and PEBBLE_HINT in str(info.value)
    assert "apt install pebble" in PEBBLE_HINT and "go install" in PEBBLE_HINT


def test_an_unreachable_ca_is_a_certlab_error_not_a_traceback() -> None:
    need_pebble()
    server = Pebble.start()
    session = AcmeSession(server)
    server.stop()
    with pytest.raises(CertlabError) as info:
        session.register()
    assert info.value.field == "pebble" and "reached" in info.value.rule


def test_no_other_pebble_left_running(pebble: Pebble) -> None:
    # every pebble this file started but the shared one is gone; the fixture's own teardown
    # asserts that one stops too (so after this module, none is left)
    assert not (set(STARTED) - set(pebble.pids)) & pebble_pids()


# ---------------------------------------------------------------- notebook 07's checks and widget


def test_exercise_checks_accept_the_solutions_and_refuse_wrong_answers(pebble: Pebble) -> None:
    from certlab.exercises import ACME_PROBLEM_QUIZ, check_acme_order, check_acme_problems, check_key_authorization

    session = AcmeSession(pebble)
    session.new_order(_csr(ec.generate_private_key(ec.SECP256R1()), ["quiz.example"]))
    [c] = session.challenges()
    numbers = session.account_key.public_key().public_numbers()
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()  # noqa: E731
    jwk = {"crv": "P-256", "kty": "EC", "x": b64(numbers.x.to_bytes(32, "big")), "y": b64(numbers.y.to_bytes(32, "big"))}
    thumb = b64(hashlib.sha256(json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()).digest())
    assert check_key_authorization(c.token + "." + thumb, c.token, session.account_key).ok
    padded = check_key_authorization(c.token + "." + thumb + "=", c.token, session.account_key)
    assert not padded.ok and any("padding" in h for h in padded.hints)
    assert not check_key_authorization("", c.token, session.account_key).ok

    def good(path: str) -> str:
        return path.rsplit("/", 1)[-1] + "." + good.session.thumbprint  # type: ignore[attr-defined]

    assert check_acme_order(pebble, "shop.mysite.com", good).ok
    refused = check_acme_order(pebble, "shop.mysite.com", lambda path: None)
    assert not refused.ok and "unauthorized" in " ".join(refused.wrong)
    assert check_acme_problems(dict(ACME_PROBLEM_QUIZ)).ok
    assert not check_acme_problems({k: "malformed" for k in ACME_PROBLEM_QUIZ}).ok
    # the quiz's answers are RFC 8555 §6.7 types, as acme's own table lists them
    from acme.messages import ERROR_CODES

    assert set(ACME_PROBLEM_QUIZ.values()) <= set(ERROR_CODES)


def test_a_learners_handler_that_raises_is_recorded_not_hidden(pebble: Pebble) -> None:
    session = AcmeSession(pebble)
    session.new_order(_csr(ec.generate_private_key(ec.SECP256R1()), ["oops.example"]))
    pebble.http01.handler = lambda path: 1 / 0
    try:
        [c] = session.challenges()
        session.ready(c)
        with pytest.raises(AcmeProblem):
            session.wait()
    finally:
        pebble.http01.handler = None
    assert any("ZeroDivisionError" in e for e in pebble.http01.handler_errors)


def test_acmeflow_widget_runs_the_order_and_keeps_keys_out_of_its_state(pebble: Pebble) -> None:
    import ipywidgets as w

    from certlab.widgets import AcmeFlow

    key = generate_key(KeySpec("ec", curve="P-256"))
    csr = build_csr(CsrSpec(key=KeySpec("ec", curve="P-256")), key)
    flow = AcmeFlow(csr, key=key, pebble=pebble)
    assert all(b.description.startswith("…") for b in flow.steps.children)
    flow.run()
    assert flow.issued is not None and flow.problem is None
    titles = [b.description for b in flow.steps.children]
    assert all(t.startswith("✔") for t in titles), titles
    assert sum("validation" in t for t in titles) == 3  # one per name of the CSR
    assert [b.button_style for b in flow.steps.children] == ["success"] * len(titles)
    flow.select(0)
    assert "newAccount" in flow.detail.value or "sign-me-up" in flow.detail.value
    assert "protected header" in flow.detail.value
    flow.show_compare()
    compare = flow.extra.children[0]
    assert compare.a == csr and compare.b == flow.issued.certificate and compare.result is not None
    flow.serve()
    assert flow.fetch_result.ok, str(flow.fetch_result)
    # no private key in anything the browser gets (every trait of every widget, recursively)
    secrets_ = [key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()).decode(),
                str(key.private_numbers().private_value),  # type: ignore[union-attr]
                base64.urlsafe_b64encode(key.private_numbers().private_value.to_bytes(32, "big")).rstrip(b"=").decode()]  # type: ignore[union-attr]
    account = flow.session.account_key
    secrets_.append(base64.urlsafe_b64encode(account.private_numbers().private_value.to_bytes(32, "big"))
                    .rstrip(b"=").decode())
    def tree(widget: w.Widget) -> Iterator[w.Widget]:
        yield widget
        for child in getattr(widget, "children", ()):
            yield from tree(child)

    everything = list(tree(flow))
    assert len(everything) > 20
    for widget in everything:
        state = json.dumps(widget.get_state(), default=str)
        for secret in secrets_:
            assert secret not in state, type(widget).__name__
    # a failing order: the failed step is red and the problem explained
    bad = AcmeFlow(_csr(ec.generate_private_key(ec.SECP256R1()), ["bad.example"]), pebble=pebble)
    pebble.point("bad.example", "127.0.0.2")
    bad.run()
    assert bad.issued is None and isinstance(bad.problem, AcmeProblem)
    assert any(b.button_style == "danger" for b in bad.steps.children)
    assert "connection" in bad.status.value
    bad.close()
    flow.close()
    assert pebble.running  # a pebble passed in belongs to the caller


def test_acmeflow_stops_the_pebble_it_started() -> None:
    need_pebble()
    from certlab.widgets import AcmeFlow

    flow = AcmeFlow(_csr(ec.generate_private_key(ec.SECP256R1()), ["own.example"]))
    flow.run()
    assert flow.issued is not None
    pids = set(flow._pebble.pids)
    STARTED.extend(pids)
    flow.close()
    assert not pids & pebble_pids()


def test_notebook_07_without_pebble_skips_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_notebooks_execute import error_outputs, execute_notebook

    monkeypatch.setenv("CERTLAB_PEBBLE", "/nonexistent/pebble")  # the kernel inherits it
    nb = execute_notebook(REPO / "notebooks" / "07-acme.ipynb", tmp_path)
    assert error_outputs(nb) == []
    texts = ["".join(o.get("text", "") for o in c.get("outputs", [])) for c in nb.cells if c.cell_type == "code"]
    assert sum(PEBBLE_HINT in t for t in texts) == 1
    assert all("skipped" in t for t in texts[2:]), texts
    assert list(tmp_path.iterdir()) == []


def test_acmeflow_takes_a_certificate_lab(pebble: Pebble) -> None:
    from certlab.widgets import AcmeFlow, CertificateLab

    lab = CertificateLab("csr")
    flow = AcmeFlow(lab, pebble=pebble)
    assert flow._key is lab.key  # the lab's key, kept in Python for the TLS server
    flow.run()
    assert flow.issued is not None, flow.problem
    asked = lab.result.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    got = flow.issued.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sorted(map(str, asked.get_values_for_type(x509.DNSName))) == sorted(map(str, got.get_values_for_type(x509.DNSName)))
    flow.serve()
    assert flow.fetch_result.ok, str(flow.fetch_result)
    flow.close()
    with pytest.raises(CertlabError):
        AcmeFlow(object())
