"""Secrets stay secret: no private key, private number or passphrase in saved widget state.

The state is collected as a notebook saves it (``Widget.get_manager_state()``,
what ``ipywidgets.embed`` and nbclient's widget-state capture store), binary
buffers decoded, and searched for the PEM label, the key's private numbers
(decimal, hex, colon-hex), a stretch of its PKCS#8 base64, and the passphrase.
A negative control (pressing "reveal") proves the search finds a leak.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import ipywidgets as w
import pytest
from cryptography.hazmat.primitives import serialization

from tests._widgets import sent_bytes
from certlab.build import generate_key
from certlab.load import private_key_bytes
from certlab.spec import KeySpec
from certlab.widgets import CertificateLab, Compare, Inspector
from certlab.widgets.show import ObjectView

PASSPHRASE = "tr0ub4dor&3-secret"


@pytest.fixture(autouse=True)
def _comm(dummy_comm: None) -> None:
    """Every test runs with the dummy comm (no kernel)."""


def saved_state() -> str:
    """Every widget's state as a notebook would save it, buffers decoded to text."""
    state = w.Widget.get_manager_state(drop_defaults=False)
    parts = [json.dumps(state)]
    for model in state["state"].values():
        for buf in model.get("buffers", ()):
            parts.append(base64.b64decode(buf["data"]).decode("latin-1"))
    text = "\n".join(parts)
    # PEM bodies are wrapped every 64 characters: search the unwrapped text too
    return text + "\n" + text.replace("\\n", "").replace("\n", "")


def secrets_of(key: Any) -> list[str]:
    """Texts that would betray ``key``: its private numbers and PKCS#8 body."""
    out: list[str] = []
    numbers = key.private_numbers()
    values = [numbers.d, numbers.p, numbers.q] if hasattr(numbers, "d") else [numbers.private_value]
    for n in values:
        hex_ = format(n, "x")
        out += [str(n), hex_, hex_.upper(), ":".join(hex_[i:i + 2] for i in range(0, 40, 2))]
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    body = base64.b64encode(der).decode()
    out.append(body[len(body) // 2: len(body) // 2 + 48])
    return out


def assert_no_secret(keys: list[Any]) -> None:
    text = saved_state()
    assert "PRIVATE KEY" not in text
    assert PASSPHRASE not in text
    for key in keys:
        for secret in secrets_of(key):
            assert secret not in text, f"a private value of {type(key).__name__} is in the widget state"


@pytest.mark.parametrize("mode", ["csr", "self-signed", "ca-signed"])
@pytest.mark.parametrize("algorithm", ["rsa", "ec"])
def test_every_lab_mode_keeps_keys_out_of_widget_state(mode: str, algorithm: str, tmp_path: Path) -> None:
    lab = CertificateLab(mode, key=generate_key(KeySpec(algorithm)))
    lab.fields["common_name"].value = "edited.example"
    for index in range(len(lab.views.pane_names)):  # send every view
        lab.views.tabs.selected_index = index
    lab.views.run_pkilint()
    panel = lab.save_panel
    panel.fields["save_what"].value = "private-key"
    panel.fields["save_path"].value = str(tmp_path / "key.pem")
    panel.fields["passphrase"].value = PASSPHRASE
    panel.save_button.click()
    assert (tmp_path / "key.pem").exists() and panel.fields["passphrase"].value == ""
    keys = [lab.key] + ([lab.ca._root_key, lab.ca._issuer_key] if lab.ca is not None else [])
    assert_no_secret(keys)


def test_a_typed_passphrase_never_waits_in_the_box() -> None:
    lab = CertificateLab("csr", key=generate_key(KeySpec("ec")))
    lab.save_panel.fields["passphrase"].value = PASSPHRASE  # typed, Enter, but not saved
    assert_no_secret([lab.key])


def test_reveal_is_the_only_way_in_and_the_search_finds_it() -> None:
    lab = CertificateLab("csr", key=generate_key(KeySpec("ec")))
    lab.key_panel.reveal.value = True
    text = saved_state()
    assert "PRIVATE KEY" in text  # negative control: a revealed key is found ...
    assert any(s in text for s in secrets_of(lab.key))
    lab.key_panel.reveal.value = False
    assert_no_secret([lab.key])  # ... and hidden again when released


def test_inspector_pasted_uploaded_and_encrypted_keys() -> None:
    key = generate_key(KeySpec("rsa"))
    plain = private_key_bytes(key, format="pkcs8").decode()
    inspector = Inspector()
    inspector.fields["pem"].value = "some notes\n" + plain
    assert inspector.result is not None and inspector.fields["pem"].value == ""
    assert "removed from the text box" in inspector.note.value
    for index in range(3):
        inspector.views.tabs.selected_index = index
    assert_no_secret([key])

    key2 = generate_key(KeySpec("ec"))
    data = private_key_bytes(key2, format="traditional")
    upload = inspector.fields["upload"]
    upload.value = ({"name": "key.pem", "type": "", "size": len(data), "content": memoryview(data),
                     "last_modified": dt.datetime.now(dt.timezone.utc)},)
    assert upload.value == () and inspector.result.public_key().public_numbers() == key2.public_key().public_numbers()
    assert_no_secret([key, key2])

    key3 = generate_key(KeySpec("ec"))
    encrypted = private_key_bytes(key3, passphrase=PASSPHRASE, format="pkcs8").decode()
    inspector.fields["passphrase"].value = PASSPHRASE
    assert inspector.fields["passphrase"].value == ""
    inspector.fields["pem"].value = encrypted
    assert inspector.result.public_key().public_numbers() == key3.public_key().public_numbers()
    assert_no_secret([key, key2, key3])


def test_show_and_compare_of_private_keys() -> None:
    k1, k2 = generate_key(KeySpec("ec")), generate_key(KeySpec("rsa"))
    view = ObjectView(k1)
    for index in range(3):
        view.views.tabs.selected_index = index
    compare = Compare(k1, generate_key(KeySpec("ec")))
    assert compare.result is not None and compare.fields["a"].value == ""
    ObjectView(k2)
    assert_no_secret([k1, k2])


def test_a_real_kernel_notebook_saved_by_nbclient_holds_no_secret(tmp_path: Path) -> None:
    """The real path: a kernel runs the lab, nbclient stores the widget state in the notebook."""
    import nbclient
    import nbformat

    code = f"""
from certlab.widgets import CertificateLab, Inspector
from certlab.load import private_key_bytes
lab = CertificateLab("self-signed")
lab.fields["common_name"].value = "kernel.example"
lab.save_panel.fields["save_what"].value = "private-key"
lab.save_panel.fields["passphrase"].value = {PASSPHRASE!r}
lab.save_panel.fields["save_path"].value = {str(tmp_path / "k.pem")!r}
lab.save_panel.save_button.click()
inspector = Inspector(private_key_bytes(lab.key).decode())
display(lab, inspector)
print(lab.result.subject.rfc4514_string(), lab.error)
print("SECRET", lab.key.private_numbers().d)
"""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=True,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = nb.cells[0].outputs
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "CN=kernel.example" in text and "None" in text, outputs
    secret_d = text.split("SECRET", 1)[1].strip().split()[0]
    state = json.dumps(nb.metadata["widgets"])
    assert len(nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]) > 50
    assert "PRIVATE KEY" not in state and PASSPHRASE not in state and secret_d not in state
    assert (tmp_path / "k.pem").exists()


def test_revealing_a_key_shows_its_secret_numbers_in_the_asn1_view_too() -> None:
    key = generate_key(KeySpec("rsa"))
    view = ObjectView(key)
    d_hex = format(key.private_numbers().d, "x")
    pairs = " ".join(d_hex[i:i + 2] for i in range(0, 32, 2))  # as the hex dump prints it
    assert pairs not in view.views.html("asn1")
    view.views.reveal.value = True  # the learner asks
    shown = view.views.html("asn1")
    assert "privateExponent" in shown and str(key.private_numbers().d)[:40] in shown
    assert "(secret:" not in shown
