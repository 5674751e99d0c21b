"""Inspector, Compare, show / rich display and the key panel on their own (dummy comm, real vectors)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import ipywidgets as w
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography_vectors import open_vector_file

from certlab.build import TeachingCA, build_csr, generate_key
from certlab.spec import CsrSpec, KeySpec
from certlab.widgets import Compare, Inspector, KeyPanel, ObjectView
from certlab.widgets.show import _bundle, disable_rich_display, enable_rich_display, show


@pytest.fixture(autouse=True)
def _comm(dummy_comm: None) -> None:
    """Every test runs with the dummy comm (no kernel)."""


def vector(name: str) -> bytes:
    with open_vector_file(f"x509/{name}", "rb") as f:
        return bytes(f.read())


def test_inspector_reads_pem_with_garbage_around_it(capfd: Any) -> None:
    data = vector("cryptography.io.with_garbage.pem")
    inspector = Inspector()
    inspector.fields["pem"].value = data.decode()
    expected = x509.load_pem_x509_certificate(vector("cryptography.io.pem"))
    assert inspector.result == expected and inspector.error is None
    assert "cryptography.io" in inspector.views.html("fields")
    assert inspector.fields["pem"].value != ""  # a certificate is public: the text stays
    assert capfd.readouterr() == ("", "")


def test_inspector_offers_a_choice_for_a_chain() -> None:
    inspector = Inspector(vector("cryptography.io.chain.pem").decode())
    choice = inspector.fields["choice"]
    assert len(choice.options) >= 2 and inspector._choice_row.layout.display == ""
    first = inspector.result
    choice.value = 1
    assert inspector.result != first and isinstance(inspector.result, x509.Certificate)


def test_inspector_bad_input_keeps_the_last_good_object_stale(capfd: Any) -> None:
    inspector = Inspector(vector("cryptography.io.pem"))
    good = inspector.result
    inspector.fields["pem"].value = "hello, this is not a certificate"
    slot = inspector._slots["pem"]
    assert "neither PEM" in html.unescape(slot.value)
    assert inspector.result is good and inspector.error is not None
    assert "certlab-stale" in inspector.views._dom_classes
    inspector.fields["pem"].value = "-----BEGIN CERTIFICATE-----\nAAAA<script>\n-----END CERTIFICATE-----\n"
    assert "<script>" not in slot.value and inspector.result is good
    assert capfd.readouterr() == ("", "")


def test_inspector_upload_of_der_csr_and_crl() -> None:
    inspector = Inspector()
    der = vector("requests/ec_sha256.der")
    upload = inspector.fields["upload"]
    upload.value = ({"name": "req.der", "type": "", "size": len(der), "content": memoryview(der),
                     "last_modified": dt.datetime.now(dt.timezone.utc)},)
    assert upload.value == ()  # the bytes do not stay in widget state
    assert inspector.result == x509.load_der_x509_csr(der)
    crl = x509.load_pem_x509_crl(vector("custom/crl_all_reasons.pem"))
    inspector.inspect(crl)
    assert inspector.result is crl and "BEGIN X509 CRL" in inspector.views.html("pem")
    inspector.views.tabs.selected_index = 1
    assert "certificateList" in inspector.views.panes["asn1"].value


def test_inspector_refuses_an_unknown_object() -> None:
    inspector = Inspector(object())
    assert inspector.result is None and inspector.error is not None and "pem" in inspector.error


def test_compare_csr_and_issued_certificate_marks_both_sides() -> None:
    key = generate_key(KeySpec("ec"))
    csr = build_csr(CsrSpec(key=KeySpec("ec")), key)
    cert = TeachingCA.create(intermediate=False).issue(csr)
    compare = Compare(csr, cert, labels=("CSR", "certificate"))
    assert compare.result.ranges_b and compare.error is None
    assert "certlab-diff-added" in compare.side_b.value and "certlab-diff-changed" in compare.side_a.value
    assert "BEGIN CERTIFICATE REQUEST" in compare.fields["a"].value
    compare.fields["b"].value = compare.fields["a"].value  # paste the same on both sides
    assert compare.result.same and "No difference" in compare.summary.value
    compare.fields["b"].value = "not pem at all"
    assert "b:" in (compare.error or "") and compare._slots["b"].value


def test_object_view_and_show(monkeypatch: pytest.MonkeyPatch) -> None:
    cert = x509.load_pem_x509_certificate(vector("cryptography.io.pem"))
    shown: list[Any] = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    show(cert)
    (view,) = shown
    assert isinstance(view, ObjectView) and view.result is cert
    assert set(view.views.pane_names) == {"fields", "asn1", "pem"}
    assert "certlab-view-fields" in view.views.panes["fields"]._dom_classes
    text_view = ObjectView(vector("cryptography.io.pem").decode())  # PEM text works too
    assert text_view.result == cert


def test_rich_display_is_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    from IPython.core.formatters import MimeBundleFormatter

    assert enable_rich_display() is False  # no IPython shell: nothing to register with
    formatter = MimeBundleFormatter()
    shell = type("Shell", (), {"display_formatter": type("DF", (), {"mimebundle_formatter": formatter})()})()
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    cert = x509.load_pem_x509_certificate(vector("cryptography.io.pem"))
    key = generate_key(KeySpec("ec"))
    assert enable_rich_display() is True
    assert formatter.lookup(cert) is _bundle and formatter.lookup(key) is _bundle
    disable_rich_display()
    with pytest.raises(KeyError):
        formatter.lookup(cert)


def test_key_panel_alone() -> None:
    panel = KeyPanel(generate=False)
    assert panel.key is None and panel.stale
    panel.fields["key_algorithm"].value = "ed25519"
    assert panel._rows["key_size"].layout.display == "none" and panel._rows["curve"].layout.display == "none"
    panel.generate()
    assert panel.key is not None and not panel.stale and "ED25519" in panel.facts.value
    ec_key = generate_key(KeySpec("ec", curve="P-521"))
    panel.use_key(ec_key)
    assert panel.fields["key_algorithm"].value == "ec" and panel.fields["curve"].value == "P-521"
    assert panel.key is ec_key and not panel.stale and isinstance(panel.key, ec.EllipticCurvePrivateKey)
    spki = ec_key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    import hashlib

    assert hashlib.sha256(spki).hexdigest() in panel.facts.value  # oracle: the fingerprint shown is the SPKI's
    panel.fields["key_size"].value = "512"
    panel.fields["key_algorithm"].value = "rsa"
    assert "key_size" in (panel.error or "")
    panel.generate_button.click()
    assert panel.key is ec_key  # a refused size makes no key


def test_views_of_every_kind_render() -> None:
    for obj in (
        generate_key(KeySpec("rsa")).public_key(),
        generate_key(KeySpec("ed25519")),
        x509.load_pem_x509_csr(vector("requests/ec_sha256.pem")),
    ):
        view = ObjectView(obj)
        for name in view.views.pane_names:
            assert view.views.html(name), name
        assert "PRIVATE KEY" not in "".join(view.views.html(n) for n in view.views.pane_names)
    assert isinstance(view, w.Widget)


@pytest.mark.parametrize("name", [
    "invalid_utf8_common_name.pem",  # a CN that is not UTF-8
    "long-form-name-attribute.pem",  # a long-form tag in the subject
    "name_attribute_unsupported_tag.pem",  # an [APPLICATION 9] where a string belongs
])
def test_inspector_shows_a_certificate_whose_subject_cannot_be_decoded(name: str) -> None:
    # cryptography parses the subject lazily: reading .subject for the choice label
    # raised ValueError, which the inspector showed as a certlab bug
    ins = Inspector(vector(f"custom/{name}"))
    assert "certlab hit a bug" not in ins._error_area.value
    assert ins.error is None and isinstance(ins.result, x509.Certificate)
    assert ins.views.html("asn1")  # the bytes are still shown


def test_inspector_shows_the_tree_of_der_it_cannot_read_as_an_object() -> None:
    # an OCSP response: no cryptography view, but its named tree and the fields read from it
    ocsp = vector("ocsp/resp-sha256.der")
    inspector = Inspector(ocsp)
    assert inspector.result is None and inspector.error is None
    views = inspector.views
    assert views.pane_names[views.tabs.selected_index] == "asn1"  # the learner lands on the tree
    tree = views.html("asn1")
    assert f"{len(ocsp)} bytes of DER" in tree and 'role="tree"' in tree
    assert "OCSP response: successful" in views.html("fields") and "Produced at" in views.html("fields")
    # a refused one says so, and still shows its tree
    refused = Inspector(vector("ocsp/resp-invalid-version.der"))
    assert refused.error and "cryptography refused" in refused.error
    assert 'role="tree"' in refused.views.html("asn1")


def test_inspector_shows_where_a_truncated_certificate_stops() -> None:
    cert = x509.load_pem_x509_certificate(vector("cryptography.io.pem"))
    der = cert.public_bytes(serialization.Encoding.DER)[:700]
    inspector = Inspector(der)
    assert inspector.result is None and inspector.error
    tree = inspector.views.html("asn1")
    assert 'class="cl-err"' in tree and "700 bytes of DER" in tree


def test_break_it_sandbox_follows_its_offset_box() -> None:
    from certlab.widgets import BreakIt

    cert = x509.load_pem_x509_certificate(vector("cryptography.io.pem"))
    der = cert.public_bytes(serialization.Encoding.DER)
    sandbox = BreakIt(cert, offset=1)
    first = sandbox.result
    assert first is not None and first.offset == 1 and sandbox.report.value
    name_byte = der.index(b"cryptography.io")
    sandbox.fields["offset"].value = name_byte
    assert sandbox.result.offset == name_byte and sandbox.result is not first
    assert sandbox.report.value == sandbox.result._repr_html_()


def test_break_it_shows_a_failure_instead_of_raising_from_its_observer(monkeypatch: pytest.MonkeyPatch) -> None:
    import certlab.widgets.sandbox as sandbox_module
    from certlab.widgets import BreakIt

    cert = x509.load_pem_x509_certificate(vector("cryptography.io.pem"))
    sandbox = BreakIt(cert, offset=1)

    def boom(*_args: object, **_kw: object) -> None:
        raise RuntimeError("a bug in the core")

    monkeypatch.setattr(sandbox_module, "break_it", boom)
    sandbox.fields["offset"].value = 2  # the observer runs: it must not raise
    assert sandbox.error == "RuntimeError: a bug in the core"
    assert "RuntimeError" in sandbox.report.value and "a bug in the core" in sandbox.report.value
