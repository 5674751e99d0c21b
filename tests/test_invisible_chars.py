"""Names that hide characters (a bidi override, a NUL, a zero-width space) are shown visibly.

A RIGHT-TO-LEFT OVERRIDE in a CN displays ``a<RLO>gnp.exe`` as ``aexe.png``; a NUL
in a SAN is the null-prefix attack. certlab's fields, ASN.1 values, HTML and
CLI text must show these as escapes, while the bytes (cryptography reads them
back, our oracle) still hold the real characters.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import unicodedata

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from certlab.explorer import explore
from certlab.fields import describe
from certlab.knowledge.unicode import visible
from certlab.render.fields_html import fields_html

CN = "invoice\u202egnp.exe"
O = "Bank\u200b Inc"  # a zero-width space inside
SAN = "www.bank.example\x00.evil.example"
HIDDEN = {"\u202e", "\u200b", "\x00"}


@pytest.fixture(scope="module")
def cert() -> x509.Certificate:
    return _make_cert()


def _make_cert() -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, O), x509.NameAttribute(NameOID.COMMON_NAME, CN)])
    now = dt.datetime.now(dt.timezone.utc)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(SAN)]), critical=False)
            .sign(key, hashes.SHA256()))


def test_the_bytes_really_hold_the_hidden_characters(cert: x509.Certificate) -> None:
    # cryptography as the oracle: the test certificate is what it claims to be
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == CN
    assert cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value[0].value == SAN


def test_visible_escapes_only_invisible_characters() -> None:
    assert visible(CN) == "invoice\\u202egnp.exe"
    assert visible(SAN) == "www.bank.example\\x00.evil.example"
    for ordinary in ("caf\u00e9 \U0001F512", "e\u0301", "\u65e5\u672c", "a b"):
        assert visible(ordinary) == ordinary


def test_fields_and_their_html_show_escapes(cert: x509.Certificate) -> None:
    description = describe(cert)
    values = [f.value for f in description.fields] + [description.title]
    assert not any(ch in v for v in values for ch in HIDDEN)
    joined = "\n".join(values)
    assert "invoice\\u202egnp.exe" in joined and "Bank\\u200b Inc" in joined
    assert "DNS:www.bank.example\\x00.evil.example" in joined
    page = fields_html(description, [])
    assert not HIDDEN & set(page) and "invoice\\u202egnp.exe" in page


def test_asn1_values_show_escapes(cert: x509.Certificate) -> None:
    explored = explore(cert.public_bytes(serialization.Encoding.DER), "certificate")
    values = [str(n.value) for n in explored.root.walk() if n.value is not None]
    assert not any(ch in v for v in values for ch in HIDDEN)
    assert any(v == "invoice\\u202egnp.exe" for v in values)


def test_cli_text_shows_escapes(cert: x509.Certificate) -> None:
    pem = cert.public_bytes(serialization.Encoding.PEM)
    out = subprocess.run([sys.executable, "-m", "certlab", "inspect", "--text", "-"], input=pem,
                         capture_output=True, timeout=120)
    text = out.stdout.decode("utf-8")
    assert out.returncode == 0 and "invoice\\u202egnp.exe" in text
    assert not [ch for ch in text if ch != "\n" and unicodedata.category(ch) in {"Cc", "Cf"}]


def test_pkilint_quotes_the_name_visibly_and_the_gloss_fits_it(cert: x509.Certificate) -> None:
    from certlab.findings import find

    found = {f.code: f for f in find(cert, pkilint=True)}
    assert not any(ch in f.message for f in found.values() for ch in HIDDEN)
    syntax = found["pkix.invalid_domain_name_syntax"]
    assert "www.bank.example\\x00.evil.example" in syntax.message
    # the gloss is about the syntax, not only about 'localhost' missing a dot
    assert "RFC 1034 §3.5" in syntax.message and "('localhost' has none)" not in syntax.message
