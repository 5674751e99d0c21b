"""Chains: the tutorial certificate's failure explained on its node; the fixed one verifies;
a two-level chain is found; openssl verify is the oracle."""

from __future__ import annotations

import datetime as dt
import subprocess

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from certlab.chain import verify_chain
from certlab.render.fields_html import chain_html
from certlab.render.fields_text import chain_text
from tests._certs import NOW, fixed_self_signed, make_cert, rsa_key, tutorial_self_signed


def _ca_and_leaf():
    root_key, leaf_key = rsa_key(2048, 1), rsa_key(2048, 2)
    root_name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "certlab Test Root")])
    ski = x509.SubjectKeyIdentifier.from_public_key(root_key.public_key())
    aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key())
    ku = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    root = make_cert(subject=root_name, key=root_key, ca=True, sans=[], days=3650,
                     extra=[(ski, False), (aki, False), (ku, True)])
    leaf_ski = x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key())
    eku = x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.SERVER_AUTH])
    leaf = make_cert(cn="www.example.com", key=leaf_key, issuer_key=root_key, issuer=root_name,
                     extra=[(leaf_ski, False), (aki, False), (eku, False)])
    return root, leaf


def test_tutorial_certificate_is_rejected_with_explanation() -> None:
    cert = tutorial_self_signed()
    r = verify_chain(cert, roots=[cert], host="localhost", at=NOW)
    assert not r.ok and r.chain == ()
    (f,) = r.findings
    assert f.code == "chain-missing-aki" and f.source == "verifier"
    assert f.path == "certificate.tbsCertificate.extensions"
    assert "2.5.29.35" in f.message and "AuthorityKeyIdentifier" in f.message
    assert "missing required extension" in f.message  # the verifier's own words are kept
    assert r.concerns == cert
    assert "NOT verified" in chain_text(r)
    assert r.to_json()["findings"][0]["code"] == "chain-missing-aki"


def test_fixed_certificate_verifies_as_trust_anchor() -> None:
    cert = fixed_self_signed()
    r = verify_chain(cert, roots=[cert], host="localhost", at=NOW)
    assert r.ok and r.chain == (cert,)
    assert r.findings[0].code == "chain-ok"
    wrong = verify_chain(cert, roots=[cert], host="example.com", at=NOW)
    assert not wrong.ok and wrong.findings[0].code == "chain-name-mismatch"
    late = verify_chain(cert, roots=[cert], host="localhost", at=NOW + dt.timedelta(days=30))
    assert late.findings[0].code == "chain-expired"
    assert verify_chain(cert, host="localhost", at=NOW).findings[0].code == "chain-no-roots"


def test_two_level_chain_from_bundle_agrees_with_openssl(tmp_path) -> None:
    root, leaf = _ca_and_leaf()
    bundle = root.public_bytes(serialization.Encoding.PEM).decode()
    r = verify_chain(leaf, bundle=bundle, host="www.example.com", at=NOW)
    assert r.ok, r.findings
    assert r.chain == (leaf, root)
    (tmp_path / "root.pem").write_text(bundle)
    (tmp_path / "leaf.pem").write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    ts = str(int(NOW.timestamp()))
    out = subprocess.run(["openssl", "verify", "-attime", ts, "-CAfile", str(tmp_path / "root.pem"),
                          str(tmp_path / "leaf.pem")], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    stranger = make_cert(cn="Stranger Root", key=rsa_key(2048, 3), ca=True, sans=[])
    miss = verify_chain(leaf, roots=[stranger], host="www.example.com", at=NOW)
    assert not miss.ok and miss.findings[0].code in {"chain-no-path", "chain-error"}
    roles = r.roles()
    assert [role for role, _ in roles] == ["leaf", "root"]
    assert "certlab Test Root" in roles[1][1] and "certlab Test Root" not in roles[0][1]
    html = chain_html(r)
    assert "certlab Test Root" in html and "<b>leaf</b>" in html and "<b>root</b>" in html
    text = chain_text(r)
    assert f"  0: leaf: {roles[0][1]}" in text and f"  1: root: {roles[1][1]}" in text


def test_hostile_host_is_escaped() -> None:
    cert = fixed_self_signed()
    r = verify_chain(cert, roots=[cert], host="<b>x</b>.example", at=NOW)
    assert "<b>x</b>" not in chain_html(r)
