"""The live forms in a real JupyterLab, driven as a learner drives them.

One notebook holds a ``CertificateLab``, an ``Inspector`` and a ``Compare``;
it is opened once per module in one page (starting a kernel and building an
RSA-2048 key dominate the cost) and the tests type into the real input
elements, click the real tabs and buttons, and point at the ASN.1 explorer.

Oracles from outside certlab: the bytes the page's hex dump shows are parsed
by pyca/cryptography and by ``openssl x509 -text`` / ``openssl req``; what the
kernel built is read back from the kernel itself; the inspector's and the
comparison's hex dumps are compared with the DER of real certificates from
``cryptography-vectors``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from tests.browser.harness import ARTIFACTS, JupyterLabServer, LabPage

pytestmark = pytest.mark.browser

_VECTOR_A = "x509/cryptography.io.pem"
_VECTOR_B = "x509/letsencryptx3.pem"

# Cell 0 builds the lab; 1 the inspector; 2 the comparison of two real certificates.
_CELLS = (
    'import certlab.widgets as w\nlab = w.CertificateLab(mode="self-signed")\nlab',
    "ins = w.Inspector()\nins",
    "import cryptography_vectors\nfrom cryptography import x509\n"
    f"with cryptography_vectors.open_vector_file({_VECTOR_A!r}, 'rb') as f: _a = f.read()\n"
    f"with cryptography_vectors.open_vector_file({_VECTOR_B!r}, 'rb') as f: _b = f.read()\n"
    "cmp = w.Compare(x509.load_pem_x509_certificate(_a), x509.load_pem_x509_certificate(_b),"
    " labels=('cryptography.io', 'Let\\'s Encrypt X3'))\ncmp",
)
LAB, INSPECTOR, COMPARE = 0, 1, 2
SCREENSHOTS = ARTIFACTS / "screenshots"

# Websocket frames received by the forms page (see the ``forms`` fixture).
_RECEIVED: list[str | bytes] = []

# Runs code in the page's kernel; returns its stdout (and an error line, if any).
_JS_KERNEL_EXEC = """async (code) => {
  const k = window.__certlabNb.sessionContext.session.kernel;
  const f = k.requestExecute({code, store_history: false, silent: false});
  let out = '';
  f.onIOPub = (msg) => {
    const t = msg.header.msg_type;
    if (t === 'stream') out += msg.content.text;
    if (t === 'error') out += 'KERNEL-ERROR ' + msg.content.ename + ': ' + msg.content.evalue;
  };
  await f.done;
  return out;
}"""

# The bytes a cell's hex dump shows (row offsets left out), as hex.
_JS_HEX = """([cell, sel]) => {
  const c = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')[cell];
  const hex = c.querySelector(sel + ' .cl-hex');
  if (!hex) return null;
  let out = '';
  for (const row of hex.children) {
    for (const n of row.childNodes) { if (n.nodeName !== 'B' && n.nodeName !== 'U') out += n.textContent + ' '; }
  }
  return out.split(/\\s+/).filter(Boolean).join('');
}"""

# Offsets of the hex dump's bytes whose element carries `cls` (rows hold text for unmarked bytes).
_JS_MARKED = """([cell, sel, cls]) => {
  const c = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')[cell];
  const hex = c.querySelector(sel + ' .cl-hex');
  const marked = [];
  let k = 0;
  for (const row of hex.children) {
    for (const n of row.childNodes) {
      if (n.nodeName === 'B' || n.nodeName === 'U') continue;  // row offset, ASCII column
      if (n.nodeType === 3) { k += n.nodeValue.split(/\\s+/).filter(Boolean).length; continue; }
      if (n.classList.contains(cls)) marked.push(k);
      k += 1;
    }
  }
  return marked;
}"""

_JS_TEXT = """([cell, sel]) => {
  const c = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')[cell];
  const e = c && c.querySelector(sel);
  return e ? e.textContent : null;
}"""


def _kernel(lab_page: LabPage, code: str) -> str:
    out = str(lab_page.page.evaluate(_JS_KERNEL_EXEC, code))
    assert "KERNEL-ERROR" not in out, out
    return out


def _text(lab_page: LabPage, cell: int, selector: str) -> str | None:
    value = lab_page.page.evaluate(_JS_TEXT, [cell, selector])
    return None if value is None else str(value)


def _wait_text(lab_page: LabPage, cell: int, selector: str, needle: str, *, present: bool = True,
               timeout: float = 30.0) -> None:
    """Wait until the element's text (does / does not) contain ``needle``."""
    lab_page.page.wait_for_function(
        f"""([cell, sel, needle, present]) => {{
              const t = ({_JS_TEXT})([cell, sel]);
              return t !== null && t.includes(needle) === present;
           }}""",
        arg=[cell, selector, needle, present],
        timeout=timeout * 1000,
        polling=50,
    )


def _hex_der(lab_page: LabPage, cell: int, selector: str) -> bytes:
    text = lab_page.page.evaluate(_JS_HEX, [cell, selector])
    assert text, f"no hex dump under {selector} in cell {cell}"
    return bytes.fromhex(str(text))


def _select_tab(lab_page: LabPage, cell: int, title: str) -> None:
    tab = lab_page.cell(cell).locator(".certlab-views .lm-TabBar-tab", has_text=title).first
    tab.click()
    lab_page.page.wait_for_function(
        "([cell, title]) => { const c = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
        ".jp-Notebook .jp-Cell')[cell]; const t = c.querySelector('.certlab-views .lm-TabBar-tab.lm-mod-current');"
        " return t && t.textContent.trim() === title; }",
        arg=[cell, title],
        timeout=10_000,
    )


def _type_field(lab_page: LabPage, cell: int, field: str, value: str) -> None:
    """Type into the field's real <input> as a learner does, then Enter (harmless: the boxes sync as typed)."""
    box = lab_page.cell(cell).locator(f".certlab-field-{field} input").first
    box.click()
    box.fill("")
    box.press_sequentially(value, delay=0)
    box.press("Enter")


def _vector(name: str) -> bytes:
    import cryptography_vectors

    with cryptography_vectors.open_vector_file(name, "rb") as f:
        return bytes(f.read())


def _cn(name: x509.Name) -> str:
    return str(name.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)


def _assert_no_widget_errors(lab_page: LabPage) -> None:
    assert lab_page.page.get_by_text("Error displaying widget").count() == 0
    lab_page.assert_no_errors()
    # certlab's own bug area (a traceback shown whole) stays empty
    bugs = lab_page.page.locator(".certlab-bug")
    assert bugs.count() == 0, bugs.all_inner_texts()


@pytest.fixture(scope="module")
def forms(browser: Any, lab_server: JupyterLabServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabPage]:
    """One page with the forms notebook run: shared by every test of this module."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in _CELLS]
    path = tmp_path_factory.mktemp("forms") / "certlab_forms.ipynb"
    nbformat.write(nb, path)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    _RECEIVED.clear()
    try:
        page = context.new_page()
        # every websocket frame the page receives from the server, from before the kernel starts
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: _RECEIVED.append(payload)))
        lab_page = LabPage(page, lab_server)
        lab_page.open_notebook(path)
        lab_page.run_all(timeout=120)
        _assert_no_widget_errors(lab_page)
        lab_page.cell(LAB).locator(".certlab-view-fields .certlab-view").first.wait_for(state="visible")
        yield lab_page
    finally:
        context.close()


def test_typed_common_name_reaches_fields_explorer_and_changes(forms: LabPage) -> None:
    before = _kernel(forms, "print(lab.fields['common_name'].value)").strip()
    new_cn = "browser-typed.example"
    assert before != new_cn
    _select_tab(forms, LAB, "Fields")
    _type_field(forms, LAB, "common_name", new_cn)
    _wait_text(forms, LAB, ".certlab-view-fields", new_cn)

    # The kernel built it (not just echoed text): its certificate carries the CN.
    built = _kernel(forms, "from cryptography.x509.oid import NameOID\n"
                           "print(lab.result.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)")
    assert built.strip() == new_cn

    _select_tab(forms, LAB, "ASN.1 / DER")
    _wait_text(forms, LAB, ".certlab-view-asn1 .cl-tree", new_cn)
    # The bytes on screen are a certificate with that subject (pyca + openssl as oracles).
    der = _hex_der(forms, LAB, ".certlab-view-asn1")
    cert = x509.load_der_x509_certificate(der)
    assert _cn(cert.subject) == new_cn
    assert cert.subject == cert.issuer  # self-signed mode
    # "What changed" is marked on the bytes too: the new CN's octets are, the (same) key's are not.
    marked = set(forms.page.evaluate(_JS_MARKED, [LAB, ".certlab-view-asn1", "cl-chg"]))
    cn_at = der.find(new_cn.encode())
    assert cn_at > 0 and set(range(cn_at, cn_at + len(new_cn))) <= marked
    public = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    key_at = der.find(public)
    assert key_at > 0 and not marked & set(range(key_at, key_at + len(public)))
    openssl = shutil.which("openssl")
    if openssl:
        text = subprocess.run([openssl, "x509", "-inform", "DER", "-noout", "-subject"], input=der,
                              capture_output=True, check=True).stdout.decode()
        assert new_cn in text

    _select_tab(forms, LAB, "What changed")
    _wait_text(forms, LAB, ".certlab-view-changes", new_cn)
    changes = _text(forms, LAB, ".certlab-view-changes") or ""
    assert before in changes, "the 'what changed' view shows the old value next to the new one"
    _assert_no_widget_errors(forms)


def test_typing_without_enter_updates_every_view_and_coalesces(forms: LabPage) -> None:
    """A learner types a new CN and never presses Enter: the views follow anyway."""
    new_cn = "typed-without-enter.example"
    _select_tab(forms, LAB, "Fields")
    before = int(_kernel(forms, "lab.wait(); print(lab.rebuilder.rebuilds)"))
    key_before = _kernel(forms, "print(lab.key.public_key().public_numbers())")
    box = forms.cell(LAB).locator(".certlab-field-common_name input").first
    box.click()
    box.press("Control+A")
    box.press_sequentially(new_cn, delay=15)  # a fast typist; no Enter, no leaving the box
    _wait_text(forms, LAB, ".certlab-view-fields", new_cn, timeout=10)
    forms.page.wait_for_function(
        "() => !document.querySelector('.certlab-lab .certlab-views-box.certlab-stale')", timeout=10_000)
    assert box.input_value() == new_cn  # no keystroke lost or overwritten by the kernel's updates
    assert box.evaluate("e => document.activeElement === e")  # focus stayed in the box
    out = _kernel(forms, "from cryptography.x509.oid import NameOID\nlab.wait()\n"
                         "print(lab.rebuilder.rebuilds, lab.rebuilder.max_in_flight)\n"
                         "print(lab.result.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)")
    counts, built = out.strip().splitlines()
    rebuilds, in_flight = (int(v) for v in counts.split())
    assert built == new_cn
    assert 1 <= rebuilds - before <= len(new_cn) + 1  # never more than one per key (+ the select-all)
    assert in_flight == 1  # at most one rebuild in flight, ever
    assert _kernel(forms, "print(lab.key.public_key().public_numbers())") == key_before  # same key
    # the one box that waits for Enter says so where the learner types
    hint = forms.cell(LAB).locator(".certlab-save-panel .certlab-hint", has_text="press Enter")
    assert hint.count() >= 1
    _assert_no_widget_errors(forms)


def test_hovering_a_node_highlights_its_bytes(forms: LabPage) -> None:
    cn = "hover-me.example"
    _select_tab(forms, LAB, "ASN.1 / DER")
    _type_field(forms, LAB, "common_name", cn)
    _wait_text(forms, LAB, ".certlab-view-asn1 .cl-tree", cn)
    page = forms.page
    view = forms.cell(LAB).locator(".certlab-view-asn1")
    # Before pointing at anything no byte carries a tag/length/content mark.
    assert view.locator(".cl-hex i.h1, .cl-hex i.h3").count() == 0

    node = view.locator("[role=treeitem] > span", has=page.locator("var", has_text=cn)).last
    node.scroll_into_view_if_needed()
    node.hover()
    page.wait_for_function(
        "() => document.querySelectorAll('.certlab-view-asn1 .cl-hex i.h3').length > 0", timeout=10_000
    )
    marked = view.evaluate(
        """(v) => {
             const pick = (c) => Array.from(v.querySelectorAll('.cl-hex i.' + c)).map(e => e.textContent);
             const bg = (e) => getComputedStyle(e).backgroundColor;
             const plain = Array.from(v.querySelectorAll('.cl-hex i')).find(e => !e.className);
             const content = v.querySelector('.cl-hex i.h3');
             return {h1: pick('h1'), h2: pick('h2'), h3: pick('h3'),
                     bgContent: bg(content), bgPlain: plain ? bg(plain) : null,
                     bgTag: bg(v.querySelector('.cl-hex i.h1')),
                     info: v.querySelector('.cl-info').textContent};
           }"""
    )
    # Exactly the TLV of the CN string: one tag octet (UTF8String 0x0c or PrintableString 0x13),
    # a short-form length equal to the content length, and the content is the CN.
    assert marked["h1"] in (["0c"], ["13"]), marked
    assert marked["h2"] == [f"{len(cn):02x}"], marked
    assert bytes.fromhex("".join(marked["h3"])).decode() == cn
    # The marks are visible: the content and tag bytes are painted differently from a plain byte.
    assert marked["bgPlain"] is not None
    assert marked["bgContent"] != marked["bgPlain"]
    assert marked["bgTag"] != marked["bgContent"]
    assert marked["info"].strip() and "Point at" not in marked["info"]  # the node's explanation is shown
    forms.screenshot("lab-asn1-hover-light")


def test_explorer_keyboard_moves_the_selection_and_its_bytes(forms: LabPage) -> None:
    """Arrow keys walk the tree (ARIA treeview); the selected node's bytes follow in the hex dump."""
    _select_tab(forms, LAB, "ASN.1 / DER")
    view = forms.cell(LAB).locator(".certlab-view-asn1")
    root = view.locator("[role=treeitem]").first
    # focus selects without toggling (a click on a node's label also folds or unfolds it, once)
    root.focus()
    forms.page.mouse.move(0, 0)  # keyboard only from here: a pointed-at node would win the marks
    state_js = """(v) => {
        const sel = v.querySelector('[role=treeitem][aria-selected=true]');
        const bytes = Array.from(v.querySelectorAll('.cl-hex i'));
        const first = (c) => bytes.findIndex(e => e.classList.contains(c));
        const count = (c) => bytes.filter(e => e.classList.contains(c)).length;
        return {b: sel && sel.getAttribute('data-b'), focused: document.activeElement === sel,
                h1: first('h1'), n: count('h1') + count('h2') + count('h3')};
    }"""
    seen = []
    for key in (None, "ArrowDown", "ArrowDown", "ArrowUp"):
        if key:
            forms.page.keyboard.press(key)
        state = view.evaluate(state_js)
        assert state["focused"], state
        start, _ident, _hdr, end = map(int, state["b"].split(","))
        # the marked bytes are exactly the selected node's TLV
        assert state["h1"] == start and state["n"] == end - start, state
        seen.append(state["b"])
    assert seen[0] != seen[1] != seen[2] and seen[3] == seen[1], seen


def test_mode_switch_views_follow(forms: LabPage) -> None:
    _select_tab(forms, LAB, "ASN.1 / DER")
    mode = forms.cell(LAB).locator(".certlab-mode button")
    validity = forms.cell(LAB).locator(".certlab-field-validity_days")

    mode.filter(has_text="CSR").click()
    _wait_text(forms, LAB, ".certlab-view-asn1 h3", "csr:")
    _wait_text(forms, LAB, ".certlab-view-asn1 .cl-tree", "certificationRequest")
    csr = x509.load_der_x509_csr(_hex_der(forms, LAB, ".certlab-view-asn1"))
    assert csr.is_signature_valid
    assert validity.is_hidden(), "a CSR has no validity: its rows are hidden"
    assert _kernel(forms, "print(type(lab.result).__name__, lab.mode.value)").split()[-1] == "csr"

    mode.filter(has_text="Issued by a teaching CA").click()
    _wait_text(forms, LAB, ".certlab-view-asn1 h3", "certificate:", timeout=60)  # the CA is made on demand
    issued = x509.load_der_x509_certificate(_hex_der(forms, LAB, ".certlab-view-asn1"))
    assert issued.issuer != issued.subject
    assert _cn(issued.subject) == _cn(csr.subject)
    ca_subject = _kernel(forms, "print(lab.ca.chain[0].subject.rfc4514_string())").strip()
    assert issued.issuer.rfc4514_string() == ca_subject
    assert validity.is_visible()
    _select_tab(forms, LAB, "What changed")
    _wait_text(forms, LAB, ".certlab-view-changes", "What the CA added")
    _select_tab(forms, LAB, "Fields")
    _wait_text(forms, LAB, ".certlab-view-fields", _cn(issued.issuer))

    mode.filter(has_text="Self-signed").click()
    _select_tab(forms, LAB, "ASN.1 / DER")
    _wait_text(forms, LAB, ".certlab-view-asn1 h3", "certificate:")
    page_cert = None
    for _ in range(50):  # the heading says "certificate" in both cert modes: wait for issuer == subject
        page_cert = x509.load_der_x509_certificate(_hex_der(forms, LAB, ".certlab-view-asn1"))
        if page_cert.issuer == page_cert.subject:
            break
        forms.page.wait_for_timeout(100)
    assert page_cert is not None and page_cert.issuer == page_cert.subject
    _assert_no_widget_errors(forms)


def test_bad_country_is_shown_next_to_the_field_and_result_goes_stale(forms: LabPage) -> None:
    good_cn = "still-good.example"
    _select_tab(forms, LAB, "Fields")
    _type_field(forms, LAB, "common_name", good_cn)
    _wait_text(forms, LAB, ".certlab-view-fields", good_cn)

    _type_field(forms, LAB, "country", "USA")
    _wait_text(forms, LAB, ".certlab-error-country", "USA")
    message = _text(forms, LAB, ".certlab-error-country") or ""
    assert message.startswith("country:"), message  # field: rule, got 'value'
    kernel_error = _kernel(forms, "print(lab.error)").strip()
    assert kernel_error.startswith("country:") and "USA" in kernel_error
    # The error sits next to the country box, not elsewhere in the form.
    assert forms.cell(LAB).locator(".certlab-error-common_name").inner_text().strip() == ""
    views = forms.cell(LAB).locator(".certlab-views-box")
    forms.page.wait_for_function(
        "() => !!document.querySelector('.certlab-lab .certlab-views-box.certlab-stale')", timeout=10_000
    )
    assert "Stale" in views.locator(".certlab-stale-banner").inner_text()
    # The last good result is still what the views show.
    assert good_cn in (_text(forms, LAB, ".certlab-view-fields") or "")
    forms.screenshot("lab-error-stale-light")

    _type_field(forms, LAB, "country", "DE")
    _wait_text(forms, LAB, ".certlab-view-fields", "DE")
    forms.page.wait_for_function(
        "() => !document.querySelector('.certlab-lab .certlab-views-box.certlab-stale')", timeout=10_000
    )
    assert (_text(forms, LAB, ".certlab-error-country") or "").strip() == ""
    assert _kernel(forms, "print(lab.error)").strip() == "None"
    _assert_no_widget_errors(forms)


def test_typed_markup_is_shown_as_text(forms: LabPage) -> None:
    hostile = "<img src=x onerror=window.__pwned=1>"
    _select_tab(forms, LAB, "Fields")
    _type_field(forms, LAB, "common_name", hostile)
    _wait_text(forms, LAB, ".certlab-view-fields", hostile)
    assert forms.cell(LAB).locator(".certlab-views img").count() == 0
    assert forms.page.evaluate("() => window.__pwned === undefined")


def test_inspector_shows_a_pasted_certificate(forms: LabPage) -> None:
    pem = _vector(_VECTOR_A)
    cert = x509.load_pem_x509_certificate(pem)
    box = forms.cell(INSPECTOR).locator(".certlab-field-pem textarea")
    box.fill(pem.decode("ascii"))
    box.press("Tab")  # leaving the box syncs it (continuous_update=False)
    _wait_text(forms, INSPECTOR, ".certlab-view-fields", _cn(cert.subject))
    fields_text = _text(forms, INSPECTOR, ".certlab-view-fields") or ""
    assert _cn(cert.issuer) in fields_text
    _select_tab(forms, INSPECTOR, "ASN.1 / DER")
    _wait_text(forms, INSPECTOR, ".certlab-view-asn1 .cl-tree", "tbsCertificate")
    assert _hex_der(forms, INSPECTOR, ".certlab-view-asn1") == cert.public_bytes(serialization.Encoding.DER)
    _assert_no_widget_errors(forms)


def test_compare_renders_both_sides(forms: LabPage) -> None:
    ders = [x509.load_pem_x509_certificate(_vector(v)).public_bytes(serialization.Encoding.DER)
            for v in (_VECTOR_A, _VECTOR_B)]
    cell = forms.cell(COMPARE)
    cell.locator(".certlab-compare-b .cl-hex").first.wait_for(state="visible")
    assert _hex_der(forms, COMPARE, ".certlab-compare-a") == ders[0]
    assert _hex_der(forms, COMPARE, ".certlab-compare-b") == ders[1]
    summary = _text(forms, COMPARE, ".certlab-compare > .certlab-view-changes") or ""
    assert "differ" in summary
    # changed bytes carry the diff's marks on each side (certlab-diff-changed / -added / -removed)
    for side in ("a", "b"):
        assert cell.locator(f".certlab-compare-{side} .cl-hex i[class*='certlab-diff-']").count() > 0
    _assert_no_widget_errors(forms)


def test_compare_marks_are_visible(forms: LabPage) -> None:
    """A changed byte looks different from an unchanged one (not just a class in the DOM)."""
    styles = forms.cell(COMPARE).locator(".certlab-compare-b .cl-hex").first.evaluate(
        """(hex) => {
             const look = (e) => { const s = getComputedStyle(e);
                                   return [s.backgroundColor, s.boxShadow, s.outlineStyle, s.textDecorationLine].join('|'); };
             const marked = hex.querySelector("i[class*='certlab-diff-']");
             if (!marked) return {marked: null, plain: null};
             // an unmarked byte element in the same row, made for the comparison and removed
             const probe = document.createElement('i');
             probe.textContent = '00';
             marked.parentElement.appendChild(probe);
             const plain = look(probe);
             probe.remove();
             return {marked: look(marked), plain};
           }"""
    )
    assert styles["marked"] is not None and styles["plain"] is not None, styles
    assert styles["marked"] != styles["plain"], styles


# WCAG 2.x contrast of text against the first opaque background behind it, for a
# sample of each kind of text the views draw (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).
_JS_CONTRAST = """(sels) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bgOf = (e) => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
                          if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3); }
                        return [255, 255, 255]; };
  const out = {};
  for (const sel of sels) {
    const e = document.querySelector(sel);
    if (!e) { out[sel] = null; continue; }
    const a = lum(rgb(getComputedStyle(e).color).slice(0, 3)), b = lum(bgOf(e));
    out[sel] = Math.round(100 * (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) / 100;
  }
  return out;
}"""

_TEXT_SAMPLES = (
    ".certlab-lab .certlab-view-asn1 .certlab-view h3",
    ".certlab-lab .certlab-view-asn1 [role=treeitem] b",
    ".certlab-lab .certlab-view-asn1 [role=treeitem] em",
    ".certlab-lab .certlab-view-asn1 [role=treeitem] var",
    ".certlab-lab .certlab-view-asn1 .cl-hex div",
    ".certlab-lab .certlab-view-asn1 .cl-info",
)
# The legend wears the same styles as a pointed-at node's tag / length / content bytes.
_MARK_SAMPLES = (
    ".certlab-lab .certlab-view-asn1 .cl-legend .h1",
    ".certlab-lab .certlab-view-asn1 .cl-legend .h2",
    ".certlab-lab .certlab-view-asn1 .cl-legend .h3",
)


def _low_contrast(ratios: dict[str, float | None]) -> dict[str, float | None]:
    return {sel: r for sel, r in ratios.items() if r is None or r < 4.5}  # WCAG AA, normal text


def test_screenshots_in_light_and_dark_themes(forms: LabPage) -> None:
    forms.cell(LAB).scroll_into_view_if_needed()
    _select_tab(forms, LAB, "ASN.1 / DER")
    colours = {}
    contrast = {}
    try:
        for theme in ("light", "dark"):
            forms.set_theme(theme)
            contrast[theme] = forms.page.evaluate(_JS_CONTRAST, list(_TEXT_SAMPLES))
            colours[theme] = forms.cell(LAB).locator(".certlab-view").first.evaluate(
                "(e) => [getComputedStyle(e).color, getComputedStyle(document.body).getPropertyValue('--jp-ui-font-color1').trim()]"
            )
            # the explorer with a node pointed at: its bytes marked, as a learner sees them
            asn1 = forms.cell(LAB).locator(".certlab-view-asn1")
            subject = asn1.locator("[role=treeitem] > span", has=forms.page.locator("b", has_text=re.compile("^subject$")))
            subject.first.hover()
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            asn1.screenshot(path=str(SCREENSHOTS / f"forms-lab-asn1-hover-{theme}.png"))
            for cell, name in ((LAB, "lab"), (INSPECTOR, "inspector"), (COMPARE, "compare")):
                forms.cell(cell).scroll_into_view_if_needed()
                shot = forms.screenshot(f"forms-{name}-{theme}")
                assert shot.stat().st_size > 5000
    finally:
        forms.set_theme("light")  # the server's settings are shared by later tests
    # The views take the theme's text colour (JupyterLab variables), so text stays readable in dark.
    assert colours["light"][0] != colours["dark"][0], json.dumps(colours)
    # Readable in both: WCAG AA for normal text is 4.5:1.
    low = {theme: _low_contrast(ratios) for theme, ratios in contrast.items()}
    assert not any(low.values()), f"text below 4.5:1 contrast: {json.dumps(low)}"
    _assert_no_widget_errors(forms)


def test_marked_bytes_readable_in_both_themes(forms: LabPage) -> None:
    """The tag / length / content byte marks keep 4.5:1 in both themes (their backgrounds stay pale in dark)."""
    _select_tab(forms, LAB, "ASN.1 / DER")
    contrast = {}
    try:
        for theme in ("light", "dark"):
            forms.set_theme(theme)
            contrast[theme] = _low_contrast(forms.page.evaluate(_JS_CONTRAST, list(_MARK_SAMPLES)))
            legend = forms.cell(LAB).locator(".certlab-view-asn1 .cl-legend").first
            legend.scroll_into_view_if_needed()
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            legend.screenshot(path=str(SCREENSHOTS / f"forms-byte-marks-legend-{theme}.png"))
    finally:
        forms.set_theme("light")
    assert not any(contrast.values()), f"marked bytes below 4.5:1 contrast: {json.dumps(contrast)}"


def _received_text(start: int = 0, stop: int | None = None) -> str:
    return "\n".join(f if isinstance(f, str) else f.decode("latin-1") for f in _RECEIVED[start:stop])


def test_private_key_never_reaches_the_browser_until_revealed(forms: LabPage) -> None:
    """No form of the lab's private key was ever sent to the page, until the learner asks for it."""
    sent_before = len(_RECEIVED)
    dom_before = forms.page.content()
    # Fetched only now: this cell's own output is the first frame that may hold the secret.
    secret = json.loads(_kernel(forms, (
        "import json\n"
        "from cryptography.hazmat.primitives import serialization as _s\n"
        "_pem = lab.key.private_bytes(_s.Encoding.PEM, _s.PrivateFormat.PKCS8, _s.NoEncryption()).decode()\n"
        "_d = lab.key.private_numbers().d\n"
        "print(json.dumps({'pem_lines': _pem.splitlines()[3:-3], 'd_hex': format(_d, 'x'), 'd_dec': str(_d)}))"
    )))
    d_bytes = bytes.fromhex(secret["d_hex"].rjust(len(secret["d_hex"]) + len(secret["d_hex"]) % 2, "0"))
    needles = [
        *secret["pem_lines"][:6],                    # PKCS#8 PEM body (base64)
        secret["d_hex"][8:72],                       # the private exponent as hex ...
        d_bytes[4:36].hex(" "),                      # ... as a hex dump would show it
        secret["d_dec"][5:65],                       # ... and in decimal
    ]
    sent = _received_text(0, sent_before)
    assert len(sent) > 10_000, "the page received the lab's views: the search has something to search"
    for where, text in (("websocket frames", sent), ("page DOM", dom_before)):
        assert "PRIVATE KEY" not in text, where
        leaked = [n for n in needles if n in text]
        assert not leaked, f"{where} hold the private key: {leaked[:1]}"

    # Positive control: once revealed, the same search finds it (so the search above could fail).
    after_fetch = len(_RECEIVED)
    reveal = forms.cell(LAB).locator(".certlab-key-panel .certlab-reveal").first
    reveal.click()
    _wait_text(forms, LAB, ".certlab-key-pem", "PRIVATE KEY")
    assert secret["pem_lines"][0] in (_text(forms, LAB, ".certlab-key-pem") or "")
    assert secret["pem_lines"][0] in _received_text(after_fetch)
    reveal.click()  # released: gone from the page again
    _wait_text(forms, LAB, ".certlab-key-pem", "PRIVATE KEY", present=False)
    assert secret["pem_lines"][0] not in forms.page.content()
