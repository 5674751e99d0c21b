"""``certlab inspect`` output: values whole in ``--text`` (or cut by ``--width``), DER and PEM in
``--json``, an ASCII column in the HTML hex dump.

Oracles: cryptography and ``openssl`` read the DER/PEM the JSON gives back; the input
bytes themselves for the ASCII column.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import pathlib
import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from _oracles import needs_openssl, openssl
from certlab import cli
from certlab.explorer import explore
from certlab.render.asn1_html import explorer_html

_LONG = bytes(range(256)) * 2  # 512 opaque bytes: far past any old cap


def _cert_with_long_unknown_extension() -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "long.example")])
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55555.1"), _LONG), False)
            .sign(key, hashes.SHA256()))


@pytest.fixture
def cert_file(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "long.pem"
    path.write_bytes(_cert_with_long_unknown_extension().public_bytes(serialization.Encoding.PEM))
    return path


def test_text_shows_values_whole_and_width_cuts_them(cert_file: pathlib.Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["inspect", "--text", str(cert_file)]) == 0
    out = capsys.readouterr().out
    assert _LONG.hex(":") in out  # the unknown extension's 512 bytes, whole
    assert cli.main(["inspect", "--text", "--width", "40", str(cert_file)]) == 0
    cut = capsys.readouterr().out.split("-- ASN.1 --", 1)[1]  # the tree (the fields above stay whole)
    assert _LONG.hex(":") not in cut
    values = [line.split(" = ", 1)[1] for line in cut.splitlines() if " = " in line and line[:5].strip().isdigit()]
    assert values and all(len(v) <= 43 for v in values)  # 40 characters and "..."
    assert any(v.endswith("...") for v in values)


def test_json_values_are_whole(cert_file: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["inspect", "--json", str(cert_file)]) == 0
    record = json.loads(capsys.readouterr().out)["objects"][0]
    stack, values = [record["tree"]], []
    while stack:
        node = stack.pop()
        values.append(node["value"] or "")
        stack.extend(node["children"])
    assert _LONG.hex(":") in values


@needs_openssl
def test_json_carries_the_der_and_pem(cert_file: pathlib.Path, tmp_path: pathlib.Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    assert cli.main(["inspect", "--json", str(cert_file)]) == 0
    record = json.loads(capsys.readouterr().out)["objects"][0]
    assert base64.b64decode(record["der"]) == cert.public_bytes(serialization.Encoding.DER)
    assert x509.load_pem_x509_certificate(record["pem"].encode()) == cert
    pem = tmp_path / "back.pem"
    pem.write_text(record["pem"])
    text = openssl("x509", "-in", str(pem), "-noout", "-subject").stdout
    assert "long.example" in text


def test_json_gives_a_private_key_s_bytes_only_when_revealed(tmp_path: pathlib.Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    path = tmp_path / "key.der"
    path.write_bytes(der)
    assert cli.main(["inspect", "--json", str(path)]) == 0
    record = json.loads(capsys.readouterr().out)["objects"][0]
    assert record["der"] is None and record["pem"] is None
    assert cli.main(["inspect", "--json", "--reveal", str(path)]) == 0
    record = json.loads(capsys.readouterr().out)["objects"][0]
    assert base64.b64decode(record["der"]) == der and "BEGIN PRIVATE KEY" in record["pem"]


def _ascii_rows(markup: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<u(?: style=\"[^\"]*\")?>(.*?)</u>", markup)]


def test_the_html_hex_dump_has_an_ascii_column(cert_file: pathlib.Path) -> None:
    der = x509.load_pem_x509_certificate(cert_file.read_bytes()).public_bytes(serialization.Encoding.DER)
    e = explore(der)
    expected = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in der)
    for markup in (explorer_html(e), explorer_html(e, selected="certificate.tbsCertificate.serialNumber",
                                                   highlight=[(0, 40, "cl-chg")])):
        rows = _ascii_rows(markup)
        assert len(rows) == (len(der) + 15) // 16 and "".join(rows) == expected
    assert "long.example" in "".join(_ascii_rows(explorer_html(e)))


def test_the_ascii_column_masks_hidden_bytes() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    e = explore(der)
    shown = "".join(_ascii_rows(explorer_html(e)))
    assert e.hidden and len(shown) == len(der)
    for start, end in e.hidden:
        assert shown[start:end] == "\u00b7" * (end - start)
    revealed = "".join(_ascii_rows(explorer_html(explore(der, reveal=True))))
    assert revealed == "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in der)


def test_the_ascii_column_escapes_what_it_shows() -> None:
    # a name made of the characters HTML gives meaning to, at the start of a row and across
    # one: the column shows them (oracle: the DER's own bytes), escaped, in every row form
    key = ec.generate_private_key(ec.SECP256R1())
    evil = "<b>&'\"</b><img src=x onerror=alert(1)>"
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, evil[:64])])
    now = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    der = cert.public_bytes(serialization.Encoding.DER)
    e = explore(der)
    expected = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in der)
    for markup in (explorer_html(e), explorer_html(e, highlight=[(0, len(der) // 2, "cl-chg")]),
                   explorer_html(e, lists="expandable")):
        cells = re.findall(r"<u(?: style=\"[^\"]*\")?>(.*?)</u>", markup)
        assert "".join(html.unescape(c) for c in cells) == expected
        assert not any(ch in c for c in cells for ch in "<>\"'"), "an ASCII cell is not escaped"
        assert "<img" not in markup and "<b>&" not in markup
