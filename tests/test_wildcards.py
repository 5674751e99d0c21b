"""Wildcards and single-label names are valid SAN entries (RFC 6125 §6.4.3, RFC 9525 §6.3,
RFC 1034 §3.5): certlab says what a wildcard covers, drops pkilint's RFC 5280 complaint about
it, and re-glosses the one about ``localhost`` honestly.  cryptography's verifier is the
oracle for what a name covers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import validators
from cryptography import x509

from certlab import CsrSpec, KeySpec, TeachingCA, build_csr, samples
from certlab.chain import verify_chain
from certlab.findings import find
from tests._certs import NOW, ec_key, fixed_self_signed, make_cert, tutorial_self_signed

_DNS = "pkix.invalid_domain_name_syntax"


def test_localhost_is_a_note_that_names_the_rule_and_why() -> None:
    cert = tutorial_self_signed()
    (f,) = [f for f in find(cert, cabf=False) if f.code == _DNS]
    assert f.severity == "info" and f.source == "pkilint"
    assert f.path == "certificate.tbsCertificate.extensions.0.extnValue.subjectAltName.0.dNSName"
    assert "'localhost' is a single-label" in f.message and "RFC 1034 §3.5" in f.message
    assert "validators" in f.message and _DNS in f.message
    # why pkilint fires: its syntax check wants a dot ...
    assert not validators.domain("localhost")
    # ... while clients match the single label: cryptography's verifier does
    fixed = fixed_self_signed()
    assert verify_chain(fixed, roots=[fixed], host="localhost", at=NOW).ok
    # no certlab view shows the tutorial's localhost as an error any more
    assert not [g for g in find(cert, cabf=False) if g.path == f.path and g.severity == "error"]


def test_a_really_invalid_dns_name_keeps_pkilints_error() -> None:
    cert = make_cert(cn=None, sans=["-bad.example.com"])
    (f,) = [f for f in find(cert, cabf=False) if f.code == _DNS]
    assert f.severity == "error" and "-bad.example.com" in f.message


def _wildcard_leaf(ca: TeachingCA, sans: tuple[str, ...]) -> x509.Certificate:
    return ca.issue(build_csr(CsrSpec(key=KeySpec("ec", curve="P-256"), sans=sans), ec_key(7)), now=NOW)


def test_what_a_wildcard_covers_is_what_the_verifier_accepts() -> None:
    ca = TeachingCA.create(now=NOW)
    at = NOW + dt.timedelta(hours=2)
    only = _wildcard_leaf(ca, ("*.mysite.com",))
    covers = {host: verify_chain(only, intermediates=[ca.intermediate], roots=[ca.root], host=host, at=at).ok
              for host in ("www.mysite.com", "api.mysite.com", "mysite.com", "a.b.mysite.com")}
    assert covers == {"www.mysite.com": True, "api.mysite.com": True, "mysite.com": False, "a.b.mysite.com": False}
    (note,) = [f for f in find(only, cabf=False) if f.code == "wildcard-san"]
    assert note.severity == "info"
    assert note.path == "certificate.tbsCertificate.extensions.0.extnValue.subjectAltName.0.dNSName"
    assert "covers www.mysite.com" in note.message
    assert "a.b.mysite.com (two labels)" in note.message and "mysite.com itself; list it too" in note.message
    assert "RFC 6125 §6.4.3" in note.citation and "BR §3.2.2.6" in note.citation
    assert not [f for f in find(only, cabf=False) if f.code == _DNS]
    # the CA/B profile has nothing against the wildcard either
    assert not [f for f in find(only, cabf=True) if "domain_name" in f.code and "internal" not in f.code]


def test_the_lab_with_a_wildcard_san(dummy_comm: Any) -> None:
    from certlab.widgets import CertificateLab

    lab = CertificateLab("csr")
    lab.sans.add_button.click()
    lab.sans.rows[-1].value = "*.mysite.com"
    assert lab.error is None
    names = lab.result.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "*.mysite.com" in names.get_values_for_type(x509.DNSName)
    codes = {f.code: f for f in lab.views.findings}
    assert "wildcard-san" in codes and _DNS not in codes
    assert "which this request lists as a name of its own" in codes["wildcard-san"].message
    assert not [f for f in lab.views.findings if f.severity == "error"]


def test_the_shipped_langui_sh_wildcard_certificate() -> None:
    cert = samples.load("langui-sh-wildcard")
    for cabf in (False, None):
        found = find(cert, cabf=cabf)
        assert not [f for f in found if f.code == _DNS]
        notes = [f for f in found if f.code == "wildcard-san"]
        assert [n.path.rsplit(".", 2)[-2] for n in notes] == ["0", "2"]  # *.langui.sh, *.saseliminator.com
        assert "langui.sh itself, which this certificate lists as a name of its own" in notes[0].message
