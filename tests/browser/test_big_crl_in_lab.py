"""A 10 MB CRL in a real JupyterLab (issue 11, item 7): shown fast, bounded, "... N more" in place.

The CRL (about 250,000 entries with 20-byte serial numbers, as CAs issue them
for the Baseline Requirements' 64 random bits, a reason code on every tenth) is
built with cryptography, which also checks its signature and later names the
serial number of each entry the page shows (the oracle).  It is cached under
``artifacts/`` like ``tests/test_scale.py``'s CRLs: building it takes about 5 s.

Measured in the page: from the moment the Inspector's output starts to render
(its output element appears in the cell) to the ASN.1 tree being visible,
under 2 s; the cell's DOM under 20,000 elements; the websocket frames received
from the kernel since the Inspector was made (its widgets' state) under 2 MB.  Then a click (mouse) and an Enter (keyboard) on
"... N more" each bring the next 200 entries in place, the first new one
focused, pointing at a new entry marks its bytes in the hex dump, and the
counts stay bounded.  The kernel's own time to read the CRL is printed, not
asserted (``benchmarks/bench_scale.py`` measures the reader).
Screenshots at 1400x857, light and dark: ``artifacts/screenshots/big-crl-*.png``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests._certs import revoked_crl
from tests.browser.harness import ARTIFACTS, JupyterLabServer, LabPage

pytestmark = pytest.mark.browser

ENTRIES = 250_000
SHOW_S = 2.0
DOM_CAP = 20_000
WS_CAP = 2_000_000
CLICK_WS_CAP = 1_000_000


def _same_serial(shown: str, serial: int) -> bool:
    """The tree shows a value's first 48 characters: a 20-byte serial's digits, then "..."."""
    digits = shown.rstrip("\u2026").split(" ")[0]
    return len(digits) >= min(40, len(str(serial))) and str(serial).startswith(digits)


def ten_mb_crl() -> Path:
    """A signed CRL of about 10 MB (cached): 20-byte serials, a reason code on every tenth entry."""
    path = ARTIFACTS / f"crl-10mb-{ENTRIES}.der"
    if path.exists():
        return path
    key = ec.generate_private_key(ec.SECP256R1())
    crl = revoked_crl(((0x5A << 152) + i * 0x9E3779B97F4A7C15 for i in range(ENTRIES)), cn="certlab 10 MB CRL",
                      key=key, reason_every=10)
    assert crl.is_signature_valid(key.public_key())
    ARTIFACTS.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(crl.public_bytes(serialization.Encoding.DER))
    tmp.replace(path)
    return path


_SETUP = """\
import time
from pathlib import Path
from certlab.widgets import Inspector

der = Path("{name}").read_bytes()
inspector = Inspector(pkilint=False)
views = inspector.views
views.tabs.selected_index = views.pane_names.index("asn1")  # the tree is what is measured
started = time.perf_counter()
inspector.inspect(der, source="{name}")
print(f"kernel: {{time.perf_counter() - started:.1f}} s for {{len(der)}} bytes; "
      f"pane {{views.last_update_bytes}} bytes; error {{inspector.error}}")
"""

# Installed before the display cell runs: when its output element appears, and when the
# tree is laid out (visible), by a MutationObserver on the cell and a check each frame.
_JS_WATCH = """(index) => {
  const cell = window.__certlabNb.content.widgets[index].node;
  const w = {start: null, shown: null};
  window.__clWatch = w;
  const check = () => {
    if (w.start === null && cell.querySelector('.jp-OutputArea-output')) w.start = performance.now();
    const tree = cell.querySelector('.certlab-view-asn1 [role=tree]');
    if (w.start !== null && tree && tree.getBoundingClientRect().height > 0 &&
        tree.querySelector('[role=treeitem]')) { w.shown = performance.now(); obs.disconnect(); return; }
    requestAnimationFrame(check);
  };
  const obs = new MutationObserver(() => { if (w.start === null && cell.querySelector('.jp-OutputArea-output')) w.start = performance.now(); });
  obs.observe(cell, {childList: true, subtree: true});
  requestAnimationFrame(check);
}"""

_JS_RUN_CELL = """async (index) => {
  const w = window.__certlabNb;
  w.content.activeCellIndex = index;
  await window.jupyterapp.commands.execute('notebook:run-cell');
}"""

_JS_COUNTS = """(index) => {
  const cell = window.__certlabNb.content.widgets[index].node;
  const tree = cell.querySelector('.certlab-view-asn1 .cl-tree');
  return {cell: cell.querySelectorAll('*').length, page: document.querySelectorAll('*').length,
          items: tree ? tree.querySelectorAll('[role=treeitem]').length : -1};
}"""

# The CRL entries drawn: their index (data-s below the list) and the serial number shown.
_JS_ENTRIES = """(index) => {
  const cell = window.__certlabNb.content.widgets[index].node;
  const list = Array.from(cell.querySelectorAll('.certlab-view-asn1 [role=treeitem][data-s=revokedCertificates]'))[0];
  if (!list) return [];
  return Array.from(list.querySelector(':scope > ul').children).filter(e => e.getAttribute('role') === 'treeitem')
    .map(e => { const v = e.querySelector('[role=treeitem] var'); return [+e.getAttribute('data-s'), v ? v.textContent : '']; });
}"""


@pytest.fixture
def big_page(browser: Any, lab_server: JupyterLabServer) -> Iterator[tuple[LabPage, dict[str, int]]]:
    """A 1400x857 page whose websocket frames received are counted (``counter["bytes"]``)."""
    context = browser.new_context(viewport={"width": 1400, "height": 857})
    context.set_default_timeout(60_000)
    counter = {"bytes": 0, "frames": 0}

    def on_ws(ws: Any) -> None:
        def frame(payload: Any) -> None:
            counter["bytes"] += len(payload)
            counter["frames"] += 1

        ws.on("framereceived", frame)

    try:
        page = context.new_page()
        page.on("websocket", on_ws)
        yield LabPage(page, lab_server), counter
    finally:
        context.close()


def _notebook(tmp_path: Path, name: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(_SETUP.format(name=name)), nbformat.v4.new_code_cell("inspector")]
    path = tmp_path / "big_crl.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_10_mb_crl_shows_in_under_2_s_and_opens_in_place(big_page: tuple[LabPage, dict[str, int]],
                                                           lab_server: JupyterLabServer, tmp_path: Path) -> None:
    lab_page, counter = big_page
    page = lab_page.page
    crl_path = ten_mb_crl()
    der = crl_path.read_bytes()
    crl = x509.load_der_x509_crl(der)
    assert len(der) > 10_000_000 and len(crl) == ENTRIES  # cryptography, the oracle
    lab_server.copy_in(crl_path, crl_path.name)
    lab_page.open_notebook(_notebook(tmp_path, crl_path.name))

    from_start = counter["bytes"]  # the Inspector's widgets and their state are sent while cell 0 runs
    page.evaluate(_JS_RUN_CELL, 0)
    page.wait_for_function("() => window.__certlabNb.content.widgets[0].model.outputs.length > 0",
                           timeout=900_000, polling=500)
    lab_page.wait_kernel_idle(timeout=600)
    kernel = lab_page.output_texts()[0]
    assert "kernel:" in kernel and "error None" in kernel, kernel + "\n".join(lab_page.console)
    print(kernel.strip())

    # --- shown: time, DOM, websocket bytes
    page.evaluate(_JS_WATCH, 1)
    before = counter["bytes"]
    page.evaluate(_JS_RUN_CELL, 1)
    page.wait_for_function("() => window.__clWatch.shown !== null", timeout=60_000, polling=100)
    watch = page.evaluate("() => window.__clWatch")
    lab_page.wait_kernel_idle()
    lab_page.wait_widgets_rendered()
    lab_page.assert_no_errors()
    shown_s = (watch["shown"] - watch["start"]) / 1000
    received, in_all = counter["bytes"] - before, counter["bytes"] - from_start
    counts = page.evaluate(_JS_COUNTS, 1)
    print(f"shown in {shown_s:.2f} s; websocket {received} bytes to display, {in_all} since the Inspector "
          f"was made; DOM {counts}")
    assert shown_s < SHOW_S, watch
    assert counts["cell"] < DOM_CAP, counts
    assert in_all < WS_CAP, (received, in_all)

    entries = page.evaluate(_JS_ENTRIES, 1)
    assert [i for i, _v in entries] == list(range(20)) + list(range(ENTRIES - 20, ENTRIES))
    for i, value in entries:
        assert _same_serial(value, crl[i].serial_number), (i, value)

    cell = lab_page.cell(1)
    more = cell.locator(".certlab-view-asn1 button.cl-more-b")
    assert more.count() == 1
    assert more.first.inner_text().startswith(f"\u2026 {ENTRIES - 40} more (20 to {ENTRIES - 21}): show the next 200")
    tree = cell.locator(".certlab-view-asn1 .cl-tree")
    more.first.scroll_into_view_if_needed()
    lab_page.screenshot("big-crl-light")

    # --- a mouse click: the next 200 in place, the first new one focused
    before = counter["bytes"]
    more.first.click()
    page.wait_for_function("() => { const e = document.activeElement; return e && e.classList.contains('cl-new'); }",
                           timeout=60_000, polling=100)
    click_bytes = counter["bytes"] - before
    entries = page.evaluate(_JS_ENTRIES, 1)
    assert [i for i, _v in entries] == list(range(220)) + list(range(ENTRIES - 20, ENTRIES))
    assert all(_same_serial(v, crl[i].serial_number) for i, v in entries)
    assert page.evaluate("() => document.activeElement.getAttribute('data-s')") == "20"
    # the first new entry sits where the button was, inside the tree's scrolled view
    box, item = tree.bounding_box(), page.locator(":focus").bounding_box()
    assert box is not None and item is not None and box["y"] <= item["y"] <= box["y"] + box["height"]
    counts = page.evaluate(_JS_COUNTS, 1)
    print(f"click 1: websocket {click_bytes} bytes; DOM {counts}")
    assert click_bytes < CLICK_WS_CAP and counts["cell"] < DOM_CAP

    # --- pointing at a drawn middle entry marks its bytes (the DER is the oracle)
    entry = page.locator(".certlab-view-asn1 [role=treeitem][data-s='150'] > span").first
    entry.hover()
    marked = page.evaluate("""() => Array.from(document.querySelectorAll('.certlab-view-asn1 .cl-hex i.h1, '
        + '.certlab-view-asn1 .cl-hex i.h2, .certlab-view-asn1 .cl-hex i.h3')).map(e => e.textContent).join('')""")
    b = page.evaluate("() => document.querySelector(\".certlab-view-asn1 [role=treeitem][data-s='150']\").getAttribute('data-b')")
    start, _ident, _hdr, end = (int(x) for x in b.split(","))
    assert marked == der[start:end].hex()
    assert crl[150].serial_number.to_bytes(20, "big") in der[start:end]  # cryptography's entry 150 is that one

    # --- the keyboard: Tab reaches the next button, Enter brings the next 200
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.tagName, document.activeElement.textContent]")
    assert focused[0] == "BUTTON" and focused[1].startswith(f"\u2026 {ENTRIES - 240} more (220 to"), focused
    before = counter["bytes"]
    page.keyboard.press("Enter")
    page.wait_for_function("() => { const e = document.activeElement; return e && e.classList.contains('cl-new') "
                           "&& e.getAttribute('data-s') === '220'; }", timeout=60_000, polling=100)
    enter_bytes = counter["bytes"] - before
    entries = page.evaluate(_JS_ENTRIES, 1)
    assert [i for i, _v in entries] == list(range(420)) + list(range(ENTRIES - 20, ENTRIES))
    # a third: the window slides (at most 400 of the middle drawn), the page stays bounded
    cell.locator(".certlab-view-asn1 button.cl-more-b").last.click()
    page.wait_for_function("() => { const e = document.activeElement; return e && e.getAttribute('data-s') === '420'; }",
                           timeout=60_000, polling=100)
    entries = page.evaluate(_JS_ENTRIES, 1)
    assert [i for i, _v in entries] == list(range(20)) + list(range(220, 620)) + list(range(ENTRIES - 20, ENTRIES))
    counts = page.evaluate(_JS_COUNTS, 1)
    print(f"Enter: websocket {enter_bytes} bytes; after 3 clicks DOM {counts}")
    assert enter_bytes < CLICK_WS_CAP and counts["cell"] < DOM_CAP
    lab_page.assert_no_errors()
    assert not [line for line in lab_page.console if "pageerror" in line], lab_page.console
    lab_page.screenshot("big-crl-expanded-light")
    violations = lab_page.axe_violations()
    assert not violations, violations

    # --- the Fields tab (made when first shown): the revoked certificates' rows open the same way
    cell.locator(".lm-TabBar-tab", has_text="Fields").click()
    rows_more = cell.locator(".certlab-view-fields button.cl-more-b")
    rows_more.wait_for(timeout=600_000)
    before = counter["bytes"]
    rows_more.click()
    page.wait_for_function("() => { const e = document.activeElement; return e && e.tagName === 'TR' "
                           "&& e.classList.contains('cl-new'); }", timeout=120_000, polling=100)
    rows_bytes = counter["bytes"] - before
    serials = [int(m.replace(":", ""), 16) for m in re.findall(r"Serial ([0-9a-f:]+)\t", page.evaluate(
        "() => Array.from(document.querySelectorAll('.certlab-view-fields tr > th')).map(e => e.textContent + '\\t').join('')"))]
    # 220 rows and the last 20: the first 200 entries (a reason row on every tenth), cryptography's serials in order
    assert serials[:200] == [crl[i].serial_number for i in range(200)] and serials[-1] == crl[ENTRIES - 1].serial_number
    counts = page.evaluate(_JS_COUNTS, 1)
    print(f"fields click: websocket {rows_bytes} bytes; DOM {counts}")
    assert rows_bytes < CLICK_WS_CAP and counts["cell"] < DOM_CAP
    lab_page.screenshot("big-crl-fields-light")

    lab_page.set_theme("dark")
    try:
        cell.locator(".certlab-view-fields button.cl-more-b").last.scroll_into_view_if_needed()
        lab_page.screenshot("big-crl-fields-dark")
        # the button reads in the dark theme: its text is light on the dark layout
        colour = page.evaluate("() => getComputedStyle(document.querySelector('.certlab-view-fields .cl-more-b')).color")
        rgb = [int(x) for x in re.findall(r"\d+", colour)[:3]]
        assert sum(rgb) > 3 * 128, colour
    finally:
        lab_page.set_theme("light")


# --------------------------------------------------------------------------- the same markup, no JupyterLab


def test_html_more_rows_put_items_and_their_bytes_in_place(browser: Any) -> None:
    """``certlab inspect --html`` of a 10,000-entry CRL: a click (or Enter) opens 200 entries and their hex rows."""
    from certlab.explorer import explore
    from certlab.render.asn1_html import explorer_page
    from tests.test_scale import big_crl

    path, crl = big_crl(10_000)
    der = path.read_bytes()
    e = explore(der, "crl")
    page = browser.new_page(viewport={"width": 1400, "height": 857})
    try:
        page.set_content(explorer_page(e, "10,000 entries"))
        count = "() => document.querySelectorAll('*').length"
        before = page.evaluate(count)
        assert before < DOM_CAP
        button = page.locator("button.cl-more-b")
        assert button.inner_text() == "\u2026 9960 more (20 to 9979): show the next 200"
        button.focus()
        page.keyboard.press("Enter")
        assert button.inner_text() == "\u2026 9760 more (220 to 9979): show the next 200"
        assert page.evaluate("() => document.activeElement.classList.contains('cl-more-b')")  # focus stays for the next
        button.click()
        shown = page.evaluate("""() => Array.from(document.querySelectorAll('[role=treeitem][data-s=revokedCertificates] > ul > [role=treeitem]'))
            .map(e => +e.getAttribute('data-s'))""")
        assert shown == list(range(420)) + list(range(9980, 10000))
        assert page.evaluate(count) - before < DOM_CAP
        # pointing at an opened entry marks exactly its bytes (the DER is the oracle)
        entry = e.find("certificateList.tbsCertList.revokedCertificates.300")
        page.locator("[role=treeitem][data-s=revokedCertificates] > ul > [role=treeitem][data-s='300'] > span").hover()
        marked = page.evaluate("() => Array.from(document.querySelectorAll('.cl-hex i.h1, .cl-hex i.h2, .cl-hex i.h3'))"
                               ".map(e => e.textContent).join('')")
        assert marked == der[entry.offset:entry.end].hex()
        assert f"{crl[300].serial_number} (0x" in page.locator("[data-s='300']").first.inner_text()
    finally:
        page.close()


def test_nested_views_toggle_a_node_once(browser: Any) -> None:
    """A widget pane wraps the explorer's view in its own: a click on the selected node folds it (it used to fold twice)."""
    from certlab.explorer import explore
    from certlab.render.asn1_html import explorer_html
    from certlab.render.style import view
    from tests.test_scale import big_crl

    e = explore(big_crl(1000)[0].read_bytes(), "crl")
    page = browser.new_page()
    try:
        page.set_content("<div id=host></div>")
        page.evaluate("m => { document.getElementById('host').innerHTML = m }", view(explorer_html(e), title="nested"))
        item = page.locator("[role=treeitem][data-s=tbsCertList]")
        item.locator("> span").click()
        assert item.get_attribute("aria-expanded") == "true" and item.get_attribute("aria-selected") == "true"
        item.locator("> span").click()
        assert item.get_attribute("aria-expanded") == "false"
        page.keyboard.press("Enter")
        assert item.get_attribute("aria-expanded") == "true"
        # the "... N more" row's button is its own: a click there neither selects nor folds the list
        entries = page.locator("[role=treeitem][data-s=revokedCertificates]")
        page.locator("li.cl-more span").first.click()
        assert entries.get_attribute("aria-selected") != "true" and entries.get_attribute("aria-expanded") == "true"
    finally:
        page.close()
