"""The lab with no kernel and no browser (a dummy comm, as ipywidgets' own tests).

Results are checked with outside oracles: ``openssl req -verify``,
``openssl verify``, ``openssl x509 -text``, ``openssl pkey`` and
pyca/cryptography's own parsers.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import ipywidgets as w
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from tests._widgets import sent_bytes
from certlab.build import generate_key
from certlab.spec import KeySpec
from certlab.widgets import CertificateLab, Compare
from certlab.widgets.views import PANES


@pytest.fixture(autouse=True)
def _comm(dummy_comm: None) -> None:
    """Every test runs with the dummy comm (no kernel)."""


@pytest.fixture(scope="module")
def rsa_key() -> Any:
    return generate_key(KeySpec())


def openssl(*args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["openssl", *args], input=data, capture_output=True, timeout=30)


def pem(obj: Any) -> bytes:
    return bytes(obj.public_bytes(serialization.Encoding.PEM))



def test_csr_mode_reproduces_the_tutorial_and_openssl_verifies_it(rsa_key: Any) -> None:
    lab = CertificateLab("csr", key=rsa_key)
    csr = lab.result
    assert isinstance(csr, x509.CertificateSigningRequest) and lab.error is None
    assert openssl("req", "-verify", "-noout", data=pem(csr)).returncode == 0
    assert csr.subject.rfc4514_string() == "CN=mysite.com,O=My Company,L=San Francisco,ST=CA,C=US"
    sans = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == ["mysite.com", "www.mysite.com", "subdomain.mysite.com"]
    assert lab.spec is not None and lab.spec.subject.common_name == "mysite.com"


def test_an_edit_updates_result_synchronously_and_keeps_the_key(rsa_key: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    first = lab.result
    lab.fields["common_name"].value = "example.org"
    cert = lab.result
    assert cert is not first
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "example.org"
    assert cert.public_key().public_numbers() == rsa_key.public_key().public_numbers()
    text = openssl("x509", "-noout", "-text", data=pem(cert)).stdout.decode()
    assert re.search(r"Subject: .*CN\s*=\s*example\.org", text)
    assert lab.previous is first  # "what changed" compares with the last good build
    changes = lab.views.html("changes")
    assert "example.org" in changes and "certlab-diff-changed" in changes


def test_ca_signed_mode_issues_a_certificate_openssl_verifies(rsa_key: Any, tmp_path: Path) -> None:
    lab = CertificateLab("ca-signed", key=rsa_key)
    cert, ca = lab.result, lab.ca
    assert isinstance(cert, x509.Certificate) and ca is not None and lab.csr is not None
    assert cert.public_key().public_numbers() == lab.csr.public_key().public_numbers()
    (tmp_path / "root.pem").write_bytes(pem(ca.root))
    (tmp_path / "inter.pem").write_bytes(pem(ca.intermediate))
    (tmp_path / "leaf.pem").write_bytes(pem(cert))
    done = openssl("verify", "-CAfile", str(tmp_path / "root.pem"), "-untrusted", str(tmp_path / "inter.pem"),
                   str(tmp_path / "leaf.pem"))
    assert done.returncode == 0, done.stderr
    assert "What the CA added" in lab.views.html("changes")
    # the CA is made once, on demand, and kept across edits
    lab.fields["common_name"].value = "edited.example"
    assert lab.ca is ca and lab.result.issuer == ca.intermediate.subject
    lab.compare_button.click()
    (compare,) = lab.compare_area.children
    assert isinstance(compare, Compare) and compare.result.ranges_b


def test_mode_switch_changes_kind_and_the_visible_rows(rsa_key: Any) -> None:
    lab = CertificateLab("csr", key=rsa_key)
    rows = lab.validity.certificate_rows
    assert all(row.layout.display == "none" for row in rows)  # a CSR has no validity (RFC 2986)
    lab.fields["mode"].value = "self-signed"
    assert isinstance(lab.result, x509.Certificate) and lab.result.issuer == lab.result.subject
    assert all(row.layout.display == "" for row in rows)
    lab.fields["mode"].value = "ca-signed"
    assert lab.result.issuer != lab.result.subject


def test_changing_the_algorithm_marks_the_key_stale_until_generate(rsa_key: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    lab.fields["key_algorithm"].value = "ec"
    assert lab.key is rsa_key and lab.key_panel.stale
    assert "certlab-key-stale" in lab.key_panel._dom_classes
    assert "Generate" in lab.key_panel.stale_note.value
    assert isinstance(lab.result.public_key(), rsa.RSAPublicKey)  # nothing changed silently
    assert lab.spec.key.algorithm == "rsa"  # the spec describes the key actually used
    lab.fields["curve"].value = "P-384"
    lab.key_panel.generate_button.click()
    assert isinstance(lab.key, ec.EllipticCurvePrivateKey) and lab.key.curve.name == "secp384r1"
    assert isinstance(lab.result.public_key(), ec.EllipticCurvePublicKey)
    assert not lab.key_panel.stale and "certlab-key-stale" not in lab.key_panel._dom_classes
    assert lab.key_panel.generate_button.disabled is False and lab.key_panel.busy.value == ""
    assert lab.spec.key == KeySpec("ec", curve="P-384")
    assert "SPKI SHA-256" in lab.key_panel.facts.value


def test_editing_the_subject_never_regenerates_the_key(rsa_key: Any) -> None:
    lab = CertificateLab("csr", key=rsa_key)
    for name in ("country", "state", "locality", "organization", "common_name"):
        lab.fields[name].value = "DE" if name == "country" else f"{name}-edited"
        assert lab.key is rsa_key and lab.error is None


def test_reveal_shows_the_private_key_only_while_pressed(rsa_key: Any) -> None:
    lab = CertificateLab("csr", key=rsa_key)
    panel = lab.key_panel
    assert "PRIVATE KEY" not in panel.private_pem.value
    panel.reveal.value = True
    assert "BEGIN PRIVATE KEY" in panel.private_pem.value
    loaded = serialization.load_pem_private_key(
        re.search(r"-----BEGIN PRIVATE KEY-----.*?-----END PRIVATE KEY-----", panel.private_pem.value, re.S).group(0).encode(),
        None,
    )
    assert loaded.private_numbers() == rsa_key.private_numbers()
    panel.reveal.value = False
    assert panel.private_pem.value == ""
    panel.reveal.value = True
    lab.fields["key_algorithm"].value = "ed25519"
    panel.generate()
    assert panel.reveal.value is False and panel.private_pem.value == ""  # a new key starts hidden


def test_san_rows_add_type_remove(rsa_key: Any) -> None:
    lab = CertificateLab("csr", key=rsa_key)
    sans = lab.sans
    sans.add_button.click()
    assert len(sans.rows) == 4 and lab.error is None  # an empty new row waits for typing
    sans.rows[3].value = "192.0.2.7"
    names = lab.result.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["192.0.2.7"]
    assert sans.value[3] == "192.0.2.7"
    sans.remove_row(0)
    names = lab.result.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "mysite.com" not in names.get_values_for_type(x509.DNSName)
    assert len(sans.rows) == 3


def test_extensions_reach_the_certificate(rsa_key: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    lab.fields["ca"].value = "true"
    lab.fields["path_length"].value = "0"
    lab.fields["key_usage"].value = ("key_cert_sign", "crl_sign", "digital_signature")
    lab.fields["extended_key_usage"].value = ["serverAuth"]
    lab.fields["subject_key_identifier"].value = True
    lab.fields["authority_key_identifier"].value = True
    assert lab.error is None, lab.error
    ext = lab.result.extensions
    bc = ext.get_extension_for_class(x509.BasicConstraints)
    assert bc.critical and bc.value.ca and bc.value.path_length == 0
    ku = ext.get_extension_for_class(x509.KeyUsage).value
    assert ku.key_cert_sign and ku.crl_sign and ku.digital_signature and not ku.key_encipherment
    assert list(ext.get_extension_for_class(x509.ExtendedKeyUsage).value) == [x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]
    ski = ext.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = ext.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    text = openssl("x509", "-noout", "-text", data=pem(lab.result)).stdout.decode()
    assert "CA:TRUE, pathlen:0" in text and "Certificate Sign, CRL Sign" in text
    # the check boxes follow the value and the other way round
    assert lab.extensions.fields["key_usage"].boxes["crl_sign"].value is True
    lab.extensions.fields["key_usage"].boxes["crl_sign"].value = False
    assert not lab.result.extensions.get_extension_for_class(x509.KeyUsage).value.crl_sign


def test_validity_days_and_serial(rsa_key: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    lab.fields["validity_days"].value = 30
    lab.fields["serial"].value = "0x1234"
    cert = lab.result
    assert cert.serial_number == 0x1234
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == dt.timedelta(days=30)
    lab.fields["not_before"].value = "2031-05-01T00:00:00Z"
    lab.fields["not_after"].value = "2031-06-01"
    assert lab.result.not_valid_before_utc == dt.datetime(2031, 5, 1, tzinfo=dt.timezone.utc)
    assert lab.result.not_valid_after_utc == dt.datetime(2031, 6, 1, tzinfo=dt.timezone.utc)


def test_one_render_per_change_and_only_the_selected_pane_is_sent(rsa_key: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    views = lab.views
    renders: list[Any] = []
    original = views.render
    views.render = lambda *a, **k: (renders.append(a), original(*a, **k))[1]  # type: ignore[method-assign]
    before = {name: sent_bytes(views.panes[name]) for name in PANES}
    lab.fields["sans"].value = ("one.example", "two.example")  # rows remade programmatically: one render
    assert len(renders) == 1
    after = {name: sent_bytes(views.panes[name]) for name in PANES}
    assert after["fields"] > before["fields"]
    assert all(after[n] == before[n] for n in PANES if n != "fields")  # hidden tabs: nothing sent
    assert 0 < views.last_update_bytes < 64 * 1024
    views.tabs.selected_index = list(PANES).index("asn1")
    from certlab.render.style import slim
    assert views.panes["asn1"].value == slim(views.html("asn1")) and "data-certlab-path" in views.html("asn1")
    assert "CertificateBuilder" in views.html("python")
    assert "openssl req" in views.html("openssl")
    same = sent_bytes(views.panes["asn1"])
    views.tabs.selected_index = 0
    views.tabs.selected_index = list(PANES).index("asn1")
    assert sent_bytes(views.panes["asn1"]) == same  # unchanged HTML is not sent again


def test_pem_pane_download_links_carry_the_object(rsa_key: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    page = lab.views.html("pem")
    links = dict(re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', page))
    assert base64.b64decode(links["certificate.pem"]) == pem(lab.result)
    assert base64.b64decode(links["certificate.der"]) == lab.result.public_bytes(serialization.Encoding.DER)
    assert "PRIVATE KEY" not in page


def test_pkilint_on_every_edit_or_on_request(rsa_key: Any) -> None:
    assert any(f.source == "pkilint" for f in CertificateLab("self-signed", key=rsa_key).views.findings)
    lab = CertificateLab("self-signed", key=rsa_key, pkilint=False)
    assert all(f.source == "certlab" for f in lab.views.findings)
    lab.views.lint_button.click()
    assert any(f.source == "pkilint" for f in lab.views.findings)
    assert "pkix." in lab.views.html("fields")


def test_save_certificate_never_overwrites_unasked(rsa_key: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    lab = CertificateLab("self-signed", key=rsa_key)
    panel = lab.save_panel
    panel.fields["save_what"].value = "certificate"
    panel.save_button.click()
    target = tmp_path / "certificate.pem"
    assert target.read_bytes() == pem(lab.result)
    assert os.stat(target).st_mode & 0o777 == 0o600
    lab.fields["common_name"].value = "changed.example"
    panel.save_button.click()
    assert "already exists" in panel._slots["save_path"].value
    assert x509.load_pem_x509_certificate(target.read_bytes()).subject != lab.result.subject  # untouched
    panel.fields["overwrite"].value = True
    panel.save_button.click()
    assert x509.load_pem_x509_certificate(target.read_bytes()).subject == lab.result.subject
    assert panel.fields["overwrite"].value is False and panel._slots["save_path"].value == ""


def test_save_key_needs_a_passphrase_and_clears_it(rsa_key: Any, tmp_path: Path) -> None:
    lab = CertificateLab("csr", key=rsa_key)
    panel = lab.save_panel
    panel.fields["save_what"].value = "private-key"
    panel.fields["save_path"].value = str(tmp_path / "key.pem")
    panel.save_button.click()
    assert "passphrase" in panel._slots["passphrase"].value and not (tmp_path / "key.pem").exists()
    panel.fields["passphrase"].value = "correct horse"
    panel.save_button.click()
    assert panel.fields["passphrase"].value == ""  # read and cleared in the same call
    data = (tmp_path / "key.pem").read_bytes()
    assert b"ENCRYPTED" in data and os.stat(tmp_path / "key.pem").st_mode & 0o777 == 0o600
    done = openssl("pkey", "-in", str(tmp_path / "key.pem"), "-passin", "pass:correct horse", "-noout")
    assert done.returncode == 0, done.stderr
    assert openssl("pkey", "-in", str(tmp_path / "key.pem"), "-passin", "pass:wrong", "-noout").returncode != 0


def test_cabf_checks_run_only_on_request(rsa_key: Any) -> None:
    lab = CertificateLab("ca-signed", key=rsa_key)  # the teaching CA issues a serverAuth leaf
    views = lab.views
    assert not any(f.code.startswith("cabf.") for f in views.findings)
    assert any(f.source == "pkilint" for f in views.findings)  # RFC 5280 checks still run
    assert views.cabf_box.layout.display != "none"
    assert views.cabf_button.description == "Run the CA/Browser Forum checks (pkilint)"
    from certlab.knowledge.findings import CABF_MEMORY_MB

    assert f"{CABF_MEMORY_MB} MB" in views.cabf_note.value  # the reason they are off is on screen
    views.cabf_button.click()
    assert views.bug.value == ""
    cabf = [f for f in views.findings if f.code.startswith("cabf.")]
    assert cabf and all(f.source == "pkilint" for f in cabf)
    assert cabf[0].code in views.html("fields")
    assert "this result only" in views.cabf_note.value
    lab.fields["common_name"].value = "next.example"  # a new result: back to the lighter checks
    assert not any(f.code.startswith("cabf.") for f in views.findings)
    assert f"{CABF_MEMORY_MB} MB" in views.cabf_note.value
    # a certificate that does not claim TLS use has nothing for the button to check
    assert CertificateLab("self-signed", key=rsa_key).views.cabf_box.layout.display == "none"
    # cabf=True: on every edit, no button
    always = CertificateLab("ca-signed", key=rsa_key, cabf=True, ca=lab.ca)
    assert any(f.code.startswith("cabf.") for f in always.views.findings)
    assert always.views.cabf_box.layout.display == "none"


def test_a_lab_session_never_imports_pkilint_cabf() -> None:
    # In a fresh process, as a kernel would be: every mode, edits, every tab, no button press.
    code = (
        "import sys\n"
        "from certlab.widgets import CertificateLab\n"
        "for mode in ('csr', 'self-signed', 'ca-signed'):\n"
        "    lab = CertificateLab(mode)\n"
        "    for i in range(len(lab.views.pane_names)):\n"
        "        lab.views.tabs.selected_index = i\n"
        "    lab.fields['common_name'].value = 'edited.example'\n"
        "    assert lab.error is None, lab.error\n"
        "assert any(f.source == 'pkilint' for f in lab.views.findings)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pkilint.cabf', 'pkilint.etsi', 'iso639'))))\n"
        "lab.views.cabf_button.click()\n"
        "print('pkilint.cabf.serverauth' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"], out.stdout + out.stderr


@pytest.mark.parametrize("mode", ["self-signed", "ca-signed"])
def test_each_edit_explores_each_object_once(rsa_key: Any, monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    import certlab.explorer

    lab = CertificateLab(mode, key=rsa_key)
    lab.views.tabs.selected_index = list(PANES).index("changes")
    real = certlab.explorer.explore
    explored: list[bytes] = []

    def counting(der: bytes, kind: str | None = None, **kw: Any) -> Any:
        explored.append(der)
        return real(der, kind, **kw)

    monkeypatch.setattr(certlab.explorer, "explore", counting)
    ever: list[bytes] = []
    for i in range(4):
        explored.clear()
        lab.fields["common_name"].value = f"edit-{i}.example"
        assert lab.error is None
        new = {lab.result.public_bytes(serialization.Encoding.DER)}
        if mode == "ca-signed":
            new.add(lab.csr.public_bytes(serialization.Encoding.DER))
        # only the shown pane is made: the first edit explores the object built before the
        # tab switch (nothing shown needed its tree then); from then on the previous object
        # comes from the cache and each new one is explored exactly once
        if i:
            assert sorted(explored) == sorted(new)
        else:
            assert new <= set(explored) and len(explored) <= len(new) + 1
        ever.extend(explored)
        assert lab.views._diff is not None and lab.views._diff.fields  # the comparison still ran
        assert "edit-" in lab.views.html("changes")
    assert len(ever) == len(set(ever))  # no object explored twice
    # the cache holds the current and the previous object only (and the CSR the current
    # certificate was issued from), not a history
    kept = {key[1] for key in lab.views._memo}
    current = {lab.result.public_bytes(serialization.Encoding.DER), lab.previous.public_bytes(serialization.Encoding.DER)}
    if mode == "ca-signed":
        current.add(lab.csr.public_bytes(serialization.Encoding.DER))
    assert kept <= current


def test_inspector_offers_cabf_checks_on_a_pasted_tls_certificate_and_runs_them_when_told() -> None:
    from cryptography_vectors import open_vector_file

    from certlab.widgets import Inspector

    with open_vector_file("x509/cryptography.io.pem", "rb") as f:
        pem_text = f.read().decode("ascii")
    auto = Inspector(pem_text, cabf=None)
    assert any(f.code.startswith("cabf.") for f in auto.views.findings)
    assert auto.views.cabf_box.layout.display == "none"
    light = Inspector(pem_text)  # the default: a button, as in the lab
    assert not any(f.code.startswith("cabf.") for f in light.views.findings)
    assert light.views.cabf_box.layout.display != "none"
    light.views.cabf_button.click()
    assert {f.code for f in light.views.findings} == {f.code for f in auto.views.findings}


@pytest.mark.parametrize("mode", ["self-signed", "ca-signed"])
def test_a_not_before_whose_end_passes_year_9999_is_a_lesson_not_a_bug(mode: str, rsa_key: Any) -> None:
    # not_before 9999-12-31 plus the default 10 days overflowed datetime inside the build
    lab = CertificateLab(mode, key=rsa_key, pkilint=False)
    good = lab.result
    lab.fields["not_before"].value = "9999-12-31"
    assert "certlab hit a bug" not in lab._error_area.value
    assert lab.error is not None and lab.error.startswith("not_before: plus 10 days passes 9999-12-31T23:59:59Z")
    assert lab.result is good and lab.views.stale
    lab.fields["not_after"].value = "9999-12-31T23:59:59Z"  # an explicit end
    if mode == "self-signed":  # builds (cryptography reads the end back)
        assert lab.error is None
        assert lab.result.not_valid_after_utc == dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc)
    else:  # the teaching CA expires long before: said next to not_before, not 'csr: cryptography refused it'
        assert lab.error is not None and lab.error.startswith("not_before: must be before the teaching CA's own")
        assert "certlab-error-text" in lab._slots["not_before"].value and lab.result is good


def test_an_edit_makes_only_the_shown_pane_and_a_tab_switch_makes_the_next(rsa_key: Any,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import certlab.codegen
    import certlab.explorer

    lab = CertificateLab("self-signed", key=rsa_key)
    calls: list[str] = []
    real_explore, real_code = certlab.explorer.explore, certlab.codegen.python_code
    monkeypatch.setattr(certlab.explorer, "explore", lambda *a, **k: calls.append("explore") or real_explore(*a, **k))
    monkeypatch.setattr(certlab.codegen, "python_code", lambda *a, **k: calls.append("python") or real_code(*a, **k))
    lab.views.tabs.selected_index = list(PANES).index("fields")
    lab.fields["common_name"].value = "only-fields.example"
    # the learner looks at the Fields tab: its tree (the fields' explanations are the tree's),
    # and no diff, no code and no HTML of other panes were made for this edit
    assert calls == ["explore"] and "only-fields.example" in lab.views.panes["fields"].value
    lab.views.tabs.selected_index = list(PANES).index("python")
    assert calls == ["explore", "python"] and "only-fields.example" in lab.views.panes["python"].value
    lab.views.tabs.selected_index = list(PANES).index("asn1")
    # the tree marks what the edit changed against the previous object, whose tree its own
    # Fields pane made (cached): nothing is explored again
    assert calls.count("explore") == 1 and "only-fields.example" in lab.views.panes["asn1"].value
    lab.views.tabs.selected_index = list(PANES).index("changes")
    assert calls.count("explore") == 1 and "only-fields.example" in lab.views.panes["changes"].value
    # a pane not shown is still there on demand, for the current object
    assert "only-fields.example" in lab.views.html("openssl")


def test_a_render_superseded_by_newer_keys_is_not_sent(rsa_key: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    views = lab.views
    before = views.panes["fields"].value
    built = lab.result
    lab.fields["common_name"].value = "newer.example"
    assert views.render(built, superseded=lambda: True) is False
    assert views.panes["fields"].value != before  # what the browser has: the newer.example render
    assert "newer.example" in views.panes["fields"].value
    assert views.render(lab.result, superseded=lambda: False) is True


def test_a_render_outdated_mid_way_stops_at_the_next_stage_and_loses_nothing(
        rsa_key: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # keys typed while a rebuild runs: it gives up between its stages (before the findings,
    # the costliest), so the rebuild of the latest value starts sooner
    import certlab.findings

    lab = CertificateLab("self-signed", key=rsa_key)
    views = lab.views
    lab.views.tabs.selected_index = list(PANES).index("fields")
    shown = views.panes["fields"].value
    stages: list[str] = []
    real_find = certlab.findings.find
    monkeypatch.setattr(certlab.findings, "find", lambda *a, **k: stages.append("find") or real_find(*a, **k))
    newer = {"now": False}

    def outdated() -> bool:
        stages.append("asked")
        return newer["now"]

    lab.fields["common_name"].value = "stage.example"  # a rebuild run by code: no checkpoint asks
    built, stages[:] = lab.result, []
    newer["now"] = True
    assert views.render(built, superseded=outdated) is False
    assert stages == ["asked"]  # asked after the description, and the findings never ran
    assert views.panes["fields"].value != shown and "stage.example" in views.panes["fields"].value
    # the pane the render gave up on is still made on demand (a tab switch, a flush): never blank
    assert "stage.example" in views.html("fields") and stages[-1] == "find"
    newer["now"], stages[:] = False, []
    assert views.render(built, superseded=outdated) is True
    assert stages == ["asked", "find", "asked", "asked"]  # between each stage, and once made


def test_the_asn1_pane_carries_one_view_and_one_stylesheet(rsa_key: Any) -> None:
    # the pane's view holds the explorer's fragment: a second wrapper sent the stylesheet and
    # the behaviour twice on every edit (~10 KB) and made every event run twice
    lab = CertificateLab("self-signed", key=rsa_key)
    lab.views.tabs.selected_index = list(PANES).index("asn1")
    pane = lab.views.panes["asn1"].value
    # and the stylesheet and behaviour went once, in the box's hidden holder, not in the pane
    # (every copy made the browser restyle the page on every keystroke)
    assert pane.count('class="certlab-view"') == 1 and pane.count("<style>") == 0
    assert ' data-certlab-js="' not in pane and "onclick" in pane
    from certlab.render.style import STYLESHEET, shared_head
    holder = lab.views.children[0].value
    assert shared_head() in holder and holder.count(STYLESHEET) == 1
    assert lab.views.html("asn1").count("<style>") == 1  # html() stays a whole, standalone view
