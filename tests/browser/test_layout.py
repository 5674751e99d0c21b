"""The lab fits a laptop: measured in a real JupyterLab, at 1400x857 and 1024x768, file browser open.

What a class trips over when it does not fit (issue 10): tab titles cut to
"ASN.1 / DE", Key Usage labels to "keyE...", buttons to "Ru...", the hex dump
pushed below the tree so the bytes a learner points at are off screen, Python
and PEM lines broken mid-token, a field name printed over its explanation,
plain HTML outputs right-aligned by JupyterLab's table style, Compare's PEM
boxes 150 px wide and labelled "a" / "b", and the button notebook 05 asks for
3,000 px below the form.  Each is asserted on the rendered page's element
boxes, in the light and the dark theme; screenshots of both go to
``artifacts/screenshots/layout-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import nbformat
import pytest

from tests.browser.harness import JupyterLabServer, LabPage

pytestmark = pytest.mark.browser

SIZES = ((1400, 857), (1024, 768))
THEMES = ("light", "dark")

# 0: the CA lab; 1: its certificate as a plain HTML output; 2: a CRL with long serials, plain HTML
_CELLS = (
    'import certlab.widgets as w\nlab = w.CertificateLab(mode="ca-signed")\nlab',
    "from IPython.display import HTML\nfrom certlab.render.style import view\n"
    "from certlab.render.fields_html import fields_html\nfrom certlab.fields import describe\n"
    "HTML(view(fields_html(describe(lab.result))))",
    "lab.ca.revoke(lab.result)\n"
    "HTML(view(fields_html(describe(lab.ca.crl()))))",
)
LAB, PLAIN, CRL = 0, 1, 2

_CELL_JS = "document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')"

# Every problem the page shows, as text (empty list: it fits). Visible elements only.
_JS_PROBLEMS = """() => {
  const cells = %s;
  const lab = cells[0].querySelector('.certlab-lab');
  const out = [];
  const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
  const name = e => (e.className && e.className.baseVal === undefined ? '.' + String(e.className).trim().split(/\\s+/).slice(0, 2).join('.') : e.tagName) + ' "' + e.textContent.trim().slice(0, 40) + '"';
  // 1. no horizontal overflow of the page or the notebook
  const outer = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
  if (document.documentElement.scrollWidth > innerWidth + 1) out.push('page scrolls sideways: ' + document.documentElement.scrollWidth);
  if (outer && outer.scrollWidth > outer.clientWidth + 1) out.push('notebook scrolls sideways: ' + outer.scrollWidth + ' > ' + outer.clientWidth);
  // 2. no label cut with an ellipsis, no text wider than its box, in the lab's chrome
  for (const e of lab.querySelectorAll('.lm-TabBar-tabLabel, button, label, .widget-label-basic, .widget-label')) {
    if (!shown(e)) continue;
    if (e.scrollWidth > e.clientWidth + 1 && (getComputedStyle(e).textOverflow === 'ellipsis' || getComputedStyle(e).overflow !== 'visible'))
      out.push('cut: ' + name(e) + ' ' + e.scrollWidth + ' > ' + e.clientWidth);
  }
  // 3. no box with a scrollbar of its own that hides labels (Key Usage used to)
  for (const e of lab.querySelectorAll('.widget-gridbox')) {
    if (shown(e) && e.scrollWidth > e.clientWidth + 1) out.push('grid scrolls sideways: ' + name(e));
  }
  // 4. tab titles whole
  const titles = Array.from(lab.querySelectorAll('.certlab-views .lm-TabBar-tabLabel')).map(e => e.textContent.trim());
  for (const t of ['Fields', 'ASN.1 / DER', 'What changed', 'PEM / export', 'Python', 'openssl'])
    if (!titles.includes(t)) out.push('tab title not whole: ' + t + ' in ' + JSON.stringify(titles));
  // 5. no text over text in field tables: a name stays in its cell (lab pane + plain outputs)
  for (const c of [cells[0], cells[1], cells[2]]) {
    for (const th of c.querySelectorAll('.certlab-table th')) {
      if (shown(th) && th.scrollWidth > th.clientWidth + 1) out.push('field name spills over its value: ' + name(th));
    }
    for (const td of c.querySelectorAll('.certlab-table td')) {
      if (shown(td) && td.scrollWidth > td.clientWidth + 1) out.push('value spills out of its cell: ' + name(td));
    }
  }
  // 6. plain HTML outputs left-aligned (JupyterLab's table style right-aligns cells)
  for (const c of [cells[1], cells[2]]) {
    const td = c.querySelector('.certlab-table td');
    const code = td && td.querySelector('code');
    if (!code) { out.push('no field table in a plain output'); continue; }
    const dx = code.getBoundingClientRect().left - td.getBoundingClientRect().left;
    if (dx > 4) out.push('plain output value not left-aligned: ' + Math.round(dx) + ' px in');
  }
  // 7. the button notebook 05 asks for is by the form, the form and the views side by side or stacked
  const btn = lab.querySelector('.certlab-compare-csr');
  const form = lab.querySelector('.certlab-form');
  if (btn && form && btn.getBoundingClientRect().top > form.getBoundingClientRect().top + 10)
    out.push('"What did the CA add?" is below the top of the form');
  // 8. the form's rows do not overlap each other
  const rows = Array.from(lab.querySelectorAll('.certlab-form .certlab-field')).filter(shown).map(e => [e, e.getBoundingClientRect()]);
  for (let i = 0; i < rows.length; i++) for (let j = i + 1; j < rows.length; j++) {
    const a = rows[i][1], b = rows[j][1];
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      out.push('overlap: ' + name(rows[i][0]) + ' / ' + name(rows[j][0]));
  }
  return out;
}""" % _CELL_JS

# Code and PEM: one rendered line per source line (never broken mid-token), scrolled sideways.
_JS_PRE = """(sel) => {
  const pre = %s[0].querySelector(sel);
  if (!pre) return 'missing ' + sel;
  const lines = pre.textContent.replace(/\\n$/, '').split('\\n').length;
  const lh = parseFloat(getComputedStyle(pre).lineHeight) || 16;
  const inner = pre.clientHeight - parseFloat(getComputedStyle(pre).paddingTop) - parseFloat(getComputedStyle(pre).paddingBottom);
  const scrollbar = pre.offsetHeight - pre.clientHeight;
  const rendered = Math.round(inner / lh);
  return rendered <= lines ? '' : sel + ': ' + lines + ' lines rendered as ' + rendered + ' (wrapped)';
}""" % _CELL_JS

# Point at the last node of the tree (the signature, at the end of the DER): its first byte
# must be visible, on screen and inside the hex pane, and the pane must not move on the first hover.
_JS_HOVER = """async () => {
  const x = %s[0].querySelector('.certlab-view-asn1 .cl-x');
  const hex = x.querySelector('.cl-hex'), tree = x.querySelector('.cl-tree');
  const items = tree.querySelectorAll('[role=treeitem]');
  const last = items[items.length - 1].querySelector('span');
  const before = hex.getBoundingClientRect();
  last.scrollIntoView({block: 'center'});
  const before2 = hex.getBoundingClientRect();
  last.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const after = hex.getBoundingClientRect();
  const b = hex.querySelector('i.h1');
  if (!b) return ['no byte marked on hover'];
  const r = b.getBoundingClientRect();
  const out = [];
  if (Math.abs(after.top - before2.top) > 1 || Math.abs(after.height - before2.height) > 1 || Math.abs(after.width - before2.width) > 1)
    out.push('hex pane moved on first hover: ' + JSON.stringify([before2.top, before2.width, before2.height, after.top, after.width, after.height]));
  if (r.top < after.top - 1 || r.bottom > after.bottom + 1) out.push('marked byte outside the hex pane view');
  if (r.top < 0 || r.bottom > innerHeight) out.push('marked byte off screen (' + Math.round(r.top) + ')');
  const t = last.getBoundingClientRect();
  if (t.top < 0 || t.bottom > innerHeight) out.push('hovered node off screen');
  const tr = tree.getBoundingClientRect();
  if (tr.left < after.right - 1 && after.left < tr.right - 1 && tr.top < after.bottom - 1 && after.top < tr.bottom - 1)
    out.push('tree and hex overlap');
  return out;
}""" % _CELL_JS


def _tab(page: LabPage, title: str) -> None:
    page.cell(LAB).locator(".certlab-views .lm-TabBar-tab", has_text=title).first.click()
    page.page.wait_for_function(
        f"() => {{ const t = {_CELL_JS}[0].querySelector('.certlab-views .lm-TabBar-tab.lm-mod-current');"
        f" return t && t.textContent.trim() === {title!r}; }}")


def _scroll_to(page: LabPage, selector: str, cell: int = LAB) -> None:
    page.page.evaluate(f"(s) => {_CELL_JS}[{cell}].querySelector(s).scrollIntoView({{block: 'start'}})", selector)
    page.page.wait_for_timeout(200)


@pytest.fixture(scope="module", params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def laid_out(request: pytest.FixtureRequest, browser: Any, lab_server: JupyterLabServer,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LabPage, str]]:
    width, height = request.param
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in _CELLS]
    path = tmp_path_factory.mktemp("layout") / f"layout_{width}.ipynb"
    nbformat.write(nb, path)
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(90_000)
    try:
        page = LabPage(context.new_page(), lab_server)
        page.open_notebook(path)
        page.command("filebrowser:activate")  # the file browser open, as a learner has it
        page.run_all(timeout=180)
        page.assert_no_errors()
        page.cell(LAB).locator(".certlab-view-fields .certlab-view").first.wait_for(state="visible")
        yield page, f"{width}x{height}"
    finally:
        context.close()


@pytest.mark.parametrize("theme", THEMES)
def test_the_lab_fits_a_laptop_screen(laid_out: tuple[LabPage, str], theme: str) -> None:
    page, size = laid_out
    page.set_theme(theme)
    assert page.page.evaluate("() => !!document.querySelector('.jp-FileBrowser:not(.lm-mod-hidden)')"), "file browser open"
    _tab(page, "Fields")
    _scroll_to(page, ".certlab-lab")
    page.screenshot(f"layout-{size}-{theme}-lab")
    problems = list(page.page.evaluate(_JS_PROBLEMS))

    _scroll_to(page, ".certlab-extensions")
    page.screenshot(f"layout-{size}-{theme}-extensions")

    _tab(page, "ASN.1 / DER")
    _scroll_to(page, ".certlab-views")
    problems += page.page.evaluate(_JS_HOVER)
    page.screenshot(f"layout-{size}-{theme}-asn1-hover")

    for tab, selector in (("Python", ".certlab-code-python"), ("openssl", ".certlab-code-openssl"),
                          ("PEM / export", ".certlab-pem")):
        _tab(page, tab)  # the pane is sent when its tab is selected
        page.page.wait_for_function(f"(s) => {_CELL_JS}[0].querySelector(s)", arg=selector)
        problem = page.page.evaluate(_JS_PRE, selector)
        if problem:
            problems.append(problem)
    _scroll_to(page, ".certlab-views")
    page.screenshot(f"layout-{size}-{theme}-pem")
    _tab(page, "Fields")

    _scroll_to(page, ".certlab-table", PLAIN)
    page.screenshot(f"layout-{size}-{theme}-plain-html")
    _scroll_to(page, ".certlab-table", CRL)
    page.screenshot(f"layout-{size}-{theme}-crl")
    assert not problems, f"{size} {theme}:\n" + "\n".join(problems)


def test_compare_in_the_ca_lab_is_wide_labelled_and_by_the_form(laid_out: tuple[LabPage, str]) -> None:
    page, size = laid_out
    page.set_theme("light")
    lab = page.cell(LAB)
    lab.locator(".certlab-compare-csr").first.click()
    compare = lab.locator(".certlab-compare-area .certlab-compare").first
    compare.wait_for(state="visible", timeout=60_000)
    page.page.wait_for_function(f"() => {_CELL_JS}[0].querySelector('.certlab-compare .certlab-compare-b .cl-tree')")
    text = compare.inner_text()
    assert "your CSR" in text and "the issued certificate" in text
    boxes = compare.locator("textarea")
    width = compare.bounding_box()["width"]
    for i in range(boxes.count()):
        box = boxes.nth(i).bounding_box()
        assert box["width"] >= min(300, 0.4 * width), f"PEM box {i} is {box['width']:.0f} px wide of {width:.0f}"
    # what the button shows opens right under it, above the form
    form_top = lab.locator(".certlab-form").first.bounding_box()["y"]
    assert compare.bounding_box()["y"] < form_top
    compare.scroll_into_view_if_needed()
    page.screenshot(f"layout-{size}-light-compare")
    assert not page.page.evaluate(_JS_PROBLEMS)
