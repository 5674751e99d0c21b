"""Generated code is run, not read: exec() the Python, run the openssl command."""

from __future__ import annotations

import ast
import pathlib
import shlex
from datetime import datetime, timezone
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from certlab.build import TeachingCA, build_csr, build_self_signed, generate_key, key_algorithm_of
from certlab.codegen import CODE_KINDS, openssl_args, openssl_command, python_code
from certlab.errors import SpecError
from certlab.spec import KEY_ALGORITHMS, CertificateSpec, CsrSpec, KeySpec, Subject

from _oracles import needs_openssl, openssl

UTC = timezone.utc
HOSTILE = 'x"); import os #\'\\'
_KEY_DEPENDENT = {x509.SubjectKeyIdentifier.oid, x509.AuthorityKeyIdentifier.oid}


def _run(code: str) -> dict[str, Any]:
    ast.parse(code)  # it is Python ...
    namespace: dict[str, Any] = {}
    exec(compile(code, "<generated>", "exec"), namespace)  # ... and it runs as is
    return namespace


def _exts(obj: x509.Certificate | x509.CertificateSigningRequest) -> dict[x509.ObjectIdentifier, tuple[bool, object]]:
    """Extensions by OID: (critical, value), values of key-dependent ones left out."""
    return {e.oid: (e.critical, None if e.oid in _KEY_DEPENDENT else e.value) for e in obj.extensions}


def _key_shape(key: object) -> tuple[str, object]:
    algo = key_algorithm_of(key)
    detail = getattr(key, "key_size", None) if algo == "rsa" else getattr(getattr(key, "curve", None), "name", None)
    return algo, detail


# fewer RSA keys keep this fast; every key type appears at least once
SPECS = [
    ("key", KeySpec("rsa", size=2048)),
    ("key", KeySpec("ec", curve="P-384")),
    *[("key", KeySpec(a)) for a in KEY_ALGORITHMS if a not in ("rsa", "ec")],
    ("csr", CsrSpec()),
    ("csr", CsrSpec(key=KeySpec("ec", curve="P-521"), hash="sha512", subject=Subject(common_name=HOSTILE, organizational_unit="R&D / Lab+1"),
                    sans=("bücher.example", "2001:db8::1", "me@example.org", "https://example.org/a?b=c", "DNS:*.example.org"),
                    ca=True, path_length=0, key_usage=frozenset({"key_cert_sign", "crl_sign"}), extended_key_usage=("serverAuth", "1.2.3.4"))),
    *[("csr", CsrSpec(key=KeySpec(a), hash="sha512")) for a in KEY_ALGORITHMS if a not in ("rsa", "ec")],
    ("self-signed", CertificateSpec(key=KeySpec("ec"))),
    ("self-signed", CertificateSpec(key=KeySpec("ed25519"), subject=Subject(common_name=HOSTILE, email="a@b.example"),
                                    serial=123456789, hash="sha384", not_before=datetime(2026, 1, 1, tzinfo=UTC),
                                    not_after=datetime(2026, 2, 1, 12, tzinfo=UTC), ca=False,
                                    key_usage=frozenset({"digital_signature", "key_agreement", "encipher_only"}),
                                    subject_key_identifier=True, authority_key_identifier=True)),
    ("ca-signed", CertificateSpec(key=KeySpec("ec"))),
    ("ca-signed", CertificateSpec(key=KeySpec("rsa"), sans=("a.example", "10.0.0.1"), serial=99, validity_days=3, extended_key_usage=("clientAuth",))),
    ("ca-signed", CertificateSpec(key=KeySpec("ed448"), subject=Subject(common_name=HOSTILE), key_usage=frozenset({"digital_signature"}))),
]


def _code_names(code: str) -> set[str]:
    """Every identifier of ``code`` outside comments and strings."""
    import io
    import tokenize

    return {tok.string for tok in tokenize.generate_tokens(io.StringIO(code).readline) if tok.type == tokenize.NAME}


@pytest.mark.parametrize("kind, spec", SPECS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(SPECS)])
def test_generated_python_builds_what_the_core_builds(kind: str, spec: Any) -> None:
    code = python_code(spec, kind)
    # the comments may name the tutorial's old calls; the code itself must not make them
    names = _code_names(code)
    assert "default_backend" not in names and "utcnow" not in names and "backend" not in names
    ns = _run(code)
    key_spec = spec if isinstance(spec, KeySpec) else spec.key
    core_key = generate_key(key_spec)
    assert _key_shape(ns["key"]) == _key_shape(core_key)
    if kind == "key":
        return
    if kind == "csr":
        csr = ns["csr"]
        core = build_csr(spec, core_key)
        assert csr.is_signature_valid and csr.public_key() == ns["key"].public_key()
        assert list(csr.subject) == list(core.subject)
        assert _exts(csr) == _exts(core)
        assert type(csr.signature_hash_algorithm) is type(core.signature_hash_algorithm)
        return
    cert = ns["cert"]
    if kind == "self-signed":
        core = build_self_signed(spec, core_key)
        cert.verify_directly_issued_by(cert)
        assert cert.issuer == cert.subject
    else:
        ca = TeachingCA.create(intermediate=False)
        core = ca.issue(build_csr(CsrSpec(subject=spec.subject, sans=spec.sans, key=spec.key), core_key), spec)
        cert.verify_directly_issued_by(ns["ca_cert"])
        assert ns["csr"].is_signature_valid
    assert list(cert.subject) == list(core.subject)
    assert _exts(cert) == _exts(core)
    assert cert.public_key() == ns["key"].public_key()
    assert type(cert.signature_hash_algorithm) is type(core.signature_hash_algorithm)
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == core.not_valid_after_utc - core.not_valid_before_utc
    if spec.serial is not None:
        assert cert.serial_number == core.serial_number == spec.serial
    if spec.not_before is not None:
        assert cert.not_valid_before_utc == core.not_valid_before_utc == spec.not_before


def test_hostile_values_stay_strings() -> None:
    spec = CsrSpec(subject=Subject(common_name=HOSTILE, organization="O'Brien\\ \"Ltd\""), sans=("evil.example",))
    code = python_code(spec, "csr")
    tree = ast.parse(code)
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert HOSTILE in strings and "O'Brien\\ \"Ltd\"" in strings
    # no stray import or call smuggled in: the only imports are the generator's own
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert all((getattr(n, "module", None) or n.names[0].name).split(".")[0] in {"cryptography", "ipaddress", "datetime"} for n in imports)
    cmd = openssl_command(spec, "csr")
    argv = shlex.split(cmd)
    assert argv[argv.index("-subj") + 1].endswith("/CN=" + HOSTILE.replace("\\", "\\\\"))


def test_comments_explain_tutorial_differences() -> None:
    code = python_code(CertificateSpec(), "self-signed")
    assert "backend argument is ignored" in code and "utcnow()" in code and "deprecated since Python 3.12" in code
    assert "datetime.datetime.now(datetime.timezone.utc)" in code
    assert "hashes.SHA256()" in code and "key_size=2048" in code


def test_bad_kind_and_spec_pairs() -> None:
    with pytest.raises(SpecError, match="kind: must be one of key, csr, self-signed, ca-signed"):
        python_code(CsrSpec(), "certificate")
    with pytest.raises(SpecError, match="'self-signed' code needs a CertificateSpec"):
        python_code(CsrSpec(), "self-signed")
    with pytest.raises(SpecError, match="a KeySpec only makes a 'key'"):
        openssl_command(KeySpec(), "csr")
    assert CODE_KINDS == ("key", "csr", "self-signed", "ca-signed")


def test_openssl_command_is_the_quoted_argv() -> None:
    spec = CsrSpec(subject=Subject(organization="My Company", common_name="a/b+c=d"))
    argv = openssl_args(spec, "csr", key_out="key.pem", out="request.csr")
    assert shlex.split(openssl_command(spec, "csr")) == argv
    assert argv[argv.index("-subj") + 1] == "/C=US/ST=CA/L=San Francisco/O=My Company/CN=a\\/b\\+c\\=d"
    assert argv[argv.index("-newkey") + 1] == "rsa:2048" and "-sha256" in argv
    assert "subjectAltName=DNS:mysite.com,DNS:www.mysite.com,DNS:subdomain.mysite.com" in argv
    ec = openssl_args(CsrSpec(key=KeySpec("ec", curve="P-384")), "csr", key_out="k", out="o")
    assert ec[ec.index("-newkey") :][:4] == ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"]
    ed = openssl_args(CsrSpec(key=KeySpec("ed25519")), "csr", key_out="k", out="o")
    assert "ed25519" in ed and not any(a.startswith("-sha") for a in ed)
    two = openssl_command(CertificateSpec(), "ca-signed")
    assert " && openssl x509 -req -in request.csr -CA ca.pem -CAkey ca.key " in two


# ---------------------------------------------------------------- running openssl itself

OPENSSL_SPECS = [
    ("csr", CsrSpec(key=KeySpec("ec"), subject=Subject(common_name=HOSTILE, organizational_unit="R&D / Lab+1"),
                    sans=("bücher.example", "2001:db8::1", "me@example.org", "https://example.org/a", "*.example.org"),
                    ca=True, path_length=0, key_usage=frozenset({"key_cert_sign", "crl_sign"}), extended_key_usage=("serverAuth", "1.2.3.4"))),
    ("csr", CsrSpec(key=KeySpec("ed25519"), subject=Subject(common_name="Grüße aus Köln"))),
    ("self-signed", CertificateSpec(key=KeySpec("ec", curve="P-384"), serial=0xC0FFEE, validity_days=42, hash="sha384")),
    ("self-signed", CertificateSpec(key=KeySpec("ed448"), subject_key_identifier=True, authority_key_identifier=True,
                                    ca=True, key_usage=frozenset({"key_cert_sign", "digital_signature"}))),
    ("self-signed", CertificateSpec(key=KeySpec("rsa"))),
]


@needs_openssl
@pytest.mark.parametrize("kind, spec", OPENSSL_SPECS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(OPENSSL_SPECS)])
def test_openssl_command_builds_what_the_core_builds(kind: str, spec: Any, tmp_path: pathlib.Path) -> None:
    argv = openssl_args(spec, kind, key_out="key.pem", out="out.pem")
    openssl(*argv[1:], cwd=tmp_path)
    key = serialization.load_pem_private_key((tmp_path / "key.pem").read_bytes(), None)
    core_key = generate_key(spec.key)
    assert _key_shape(key) == _key_shape(core_key)
    data = (tmp_path / "out.pem").read_bytes()
    if kind == "csr":
        made: Any = x509.load_pem_x509_csr(data)
        core: Any = build_csr(spec, core_key)
        assert made.is_signature_valid
    else:
        made = x509.load_pem_x509_certificate(data)
        core = build_self_signed(spec, core_key)
        made.verify_directly_issued_by(made)
        assert made.not_valid_after_utc - made.not_valid_before_utc == core.not_valid_after_utc - core.not_valid_before_utc
        if spec.serial is not None:
            assert made.serial_number == spec.serial
    assert [(a.oid, a.value) for a in made.subject] == [(a.oid, a.value) for a in core.subject]
    assert _exts(made) == _exts(core)
    assert type(made.signature_hash_algorithm) is type(core.signature_hash_algorithm)
    assert made.public_key() == key.public_key()


@needs_openssl
@pytest.mark.parametrize("algo", ["rsa", "ec", "ed25519"])
def test_openssl_key_command(algo: str, tmp_path: pathlib.Path) -> None:
    spec = KeySpec(algo)
    openssl(*openssl_args(spec, "key", key_out="k.pem", out="")[1:], cwd=tmp_path)
    key = serialization.load_pem_private_key((tmp_path / "k.pem").read_bytes(), None)
    assert _key_shape(key) == _key_shape(generate_key(spec))


@needs_openssl
def test_openssl_ca_signed_flow(tmp_path: pathlib.Path) -> None:
    ca_key = generate_key(KeySpec("ec"))
    ca_spec = CertificateSpec(
        key=KeySpec("ec"), subject=Subject(common_name="Test CA"), sans=(), ca=True,
        key_usage=frozenset({"key_cert_sign", "crl_sign"}), subject_key_identifier=True, validity_days=30,
    )
    ca_cert = build_self_signed(ca_spec, ca_key)  # type: ignore[arg-type]
    (tmp_path / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "ca.key").write_bytes(
        ca_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())  # type: ignore[union-attr]
    )
    spec = CertificateSpec(key=KeySpec("ec"), sans=("app.example", "10.1.2.3"), validity_days=7)
    # the command as a learner pastes it, through a real shell
    import subprocess

    subprocess.run(openssl_command(spec, "ca-signed"), shell=True, cwd=tmp_path, check=True, capture_output=True)
    leaf = x509.load_pem_x509_certificate((tmp_path / "cert.pem").read_bytes())
    leaf.verify_directly_issued_by(ca_cert)
    assert leaf.subject == spec.subject.to_name()
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(v) for v in san.get_values_for_type(x509.DNSName)] == ["app.example"]
    assert [str(v) for v in san.get_values_for_type(x509.IPAddress)] == ["10.1.2.3"]
    assert (leaf.not_valid_after_utc - leaf.not_valid_before_utc).days == 7
    result = openssl("verify", "-CAfile", "ca.pem", "cert.pem", cwd=tmp_path)
    assert result.stdout.strip() == "cert.pem: OK"


@needs_openssl
@pytest.mark.parametrize("kind", ["key", "csr", "self-signed", "ca-signed"])
def test_ml_dsa_openssl_command_says_which_openssl_it_needs(kind: str, tmp_path: pathlib.Path) -> None:
    key = KeySpec("ml-dsa", variant="ML-DSA-44")
    spec: Any = key if kind == "key" else CsrSpec(key=key) if kind == "csr" else CertificateSpec(key=key)
    note, command = openssl_command(spec, kind).split("\n", 1)
    assert note.startswith("# needs OpenSSL 3.5 or later")
    first = command.split(" && ")[0]
    # the oracle: this machine's openssl either runs it or fails the way the note says
    version = openssl("version").stdout.split()[1]
    done = openssl(*shlex.split(first)[1:], cwd=tmp_path, check=False)
    if tuple(int(p) for p in version.split(".")[:2] if p.isdigit()) < (3, 5):
        assert done.returncode != 0 and "Algorithm (ML-DSA-44" in done.stderr and "unsupported" in done.stderr
    else:
        assert done.returncode == 0, done.stderr
    # a key OpenSSL 3.0 knows gets no note
    assert not openssl_command(KeySpec("ed448") if kind == "key" else CsrSpec(key=KeySpec("ed448")), "key" if kind == "key" else "csr").startswith("#")
