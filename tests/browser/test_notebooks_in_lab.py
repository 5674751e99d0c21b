"""Every tutorial notebook, run in a real JupyterLab page: every widget it shows renders.

``tests/test_notebooks_execute.py`` runs the notebooks headless (nbclient);
this runs them where learners do, so what only the browser can break shows
up: a widget model the frontend cannot find or build ("Error displaying
widget"), an output that never gets a view, a stderr traceback.

The whole ``notebooks/`` folder is copied into the server's root once (the
notebooks read their neighbours' files); each notebook gets its own kernel,
shut down when its test ends, in one page shared by the module.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import AXE_HINT, AXE_JS, OUTPUTS, JupyterLabServer, LabPage

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
BUDGET_SECONDS = 90  # per notebook: opening, running every cell, rendering every widget
_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# Per cell of the opened notebook: widget outputs in the model vs views rendered in the DOM.
# JupyterLab draws output i of the model as the i-th .jp-OutputArea-child; a widget
# output's .jp-OutputArea-output panel then holds the widget's view as its child
# (jupyterlab_widgets 3 adds no class of its own to find it by).
_JS_WIDGET_VIEWS = """() => {
  const nb = window.__certlabNb.content;
  return nb.widgets.map((c, i) => {
    const r = {index: i, expected: 0, rendered: 0, missing: [], failed: 0};
    if (c.model.type !== 'code') return r;
    const outs = c.model.outputs.toJSON();
    const children = Array.from(c.node.querySelectorAll('.jp-OutputArea-child'))
                          .filter(e => e.closest('.jp-Cell') === c.node);
    outs.forEach((o, k) => {
      if (!(o.data && o.data['%s'])) return;
      r.expected += 1;
      const panel = children[k] && children[k].querySelector('.jp-OutputArea-output');
      const view = panel && panel.firstElementChild;
      const ok = view && view.classList.contains('lm-Widget')
                 && (view.childElementCount > 0 || view.textContent.trim() !== '')
                 && !panel.textContent.includes('Error displaying widget');
      if (ok) r.rendered += 1; else r.missing.push(k);
    });
    r.failed = Array.from(c.node.querySelectorAll('.jp-OutputArea-output'))
                    .filter(o => o.textContent.includes('Error displaying widget')).length;
    return r;
  });
}""" % _WIDGET_MIME

_JS_CLOSE = """async () => {
  const w = window.__certlabNb;
  if (!w) return;
  try { await w.sessionContext.shutdown(); } catch (e) { /* already gone */ }
  w.dispose();
  window.__certlabNb = null;
}"""


def _assert_accessible(page: LabPage, name: str) -> None:
    """axe-core finds no serious or critical problem in the rendered outputs; Tab reaches every control."""
    if page.page.locator(OUTPUTS).count() == 0:
        return
    if not AXE_JS.exists():
        if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
            pytest.fail(f"CI=true and {AXE_HINT}", pytrace=False)
        warnings.warn(AXE_HINT, stacklevel=2)
        return
    violations = page.axe_violations()
    assert not violations, f"{name}: axe-core, serious or critical:\n" + "\n".join(violations)
    unreachable = page.unreachable_controls()
    assert not unreachable, f"{name}: controls the Tab key never reaches:\n" + "\n".join(unreachable)


def _widget_views(page: LabPage, *, timeout: float = 30.0) -> list[dict[str, Any]]:
    """:data:`_JS_WIDGET_VIEWS`, once every widget output has a view (or ``timeout`` passed)."""
    try:
        page.page.wait_for_function(
            f"() => ({_JS_WIDGET_VIEWS})().every(r => r.missing.length === 0)", timeout=timeout * 1000, polling=100
        )
    except Exception:  # noqa: BLE001 - a timeout here is reported by the caller's assertion, with details
        pass
    return list(page.page.evaluate(_JS_WIDGET_VIEWS))


@pytest.fixture(scope="module")
def tutorial(lab_server: JupyterLabServer) -> str:
    """The notebooks folder inside the server root; its name there."""
    return lab_server.copy_in(REPO / "notebooks", "tutorial-in-lab")


@pytest.fixture(scope="module")
def page(browser: Any, lab_server: JupyterLabServer) -> Iterator[LabPage]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    try:
        yield LabPage(context.new_page(), lab_server)
    finally:
        context.close()


@pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks/*.ipynb yet")
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_every_widget_renders(notebook: Path, page: LabPage, tutorial: str) -> None:
    started = time.monotonic()
    try:
        page.open_notebook(f"{tutorial}/{notebook.name}", timeout=BUDGET_SECONDS)
        cells = page.run_all(timeout=BUDGET_SECONDS)
        elapsed = time.monotonic() - started

        page.assert_no_errors()
        code = [c for c in cells if c["type"] == "code" and c["source"].strip()]
        not_run = [c["index"] for c in code if c["execution_count"] is None]
        assert not not_run, f"cells never ran: {not_run}"

        views = _widget_views(page)
        assert len(views) == len(cells)
        problems = [v for v in views if v["failed"] or v["missing"] or v["rendered"] != v["expected"]]
        assert not problems, f"{notebook.name}: widget outputs without a rendered view: {problems}"
        # Not vacuous where a notebook shows widgets: at least one cell's widget was seen rendered.
        expected = sum(v["expected"] for v in views)
        assert sum(v["rendered"] for v in views) == expected
        assert page.page.get_by_text("Error displaying widget").count() == 0
        assert elapsed < BUDGET_SECONDS, f"{notebook.name} took {elapsed:.0f}s in the browser"
        if expected:
            page.screenshot(f"notebook-{notebook.stem}")
        _assert_accessible(page, notebook.name)
    finally:
        page.page.evaluate(_JS_CLOSE)


def test_the_check_sees_a_widget_that_cannot_render(page: LabPage, tmp_path: Path) -> None:
    """The checker is not vacuous: a saved widget output whose model the kernel never made is caught."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('never run')")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={_WIDGET_MIME: {"version_major": 2, "version_minor": 0, "model_id": "0" * 32},
                  "text/plain": "HTML(value='gone')"},
        )
    ]
    nb.cells = [cell]
    path = tmp_path / "orphan_widget.ipynb"
    nbformat.write(nb, path)
    try:
        page.open_notebook(path)
        views = _widget_views(page, timeout=5)
        assert views[0]["expected"] == 1
        assert views[0]["rendered"] == 0 and views[0]["missing"] == [0], views
    finally:
        page.page.evaluate(_JS_CLOSE)


# Closes the opened notebook as a learner does (saved first, so no "save changes?"
# dialog), keeping its kernel running; resolves once the panel is gone.
_JS_CLOSE_KEEP_KERNEL = """async () => {
  const app = window.jupyterapp;
  const w = window.__certlabNb;
  await w.context.save();
  const kernelId = w.sessionContext.session.kernel.id;
  await w.close();
  const t0 = Date.now();
  while (!w.isDisposed) {
    if (Date.now() - t0 > 20000) throw new Error('the notebook did not close');
    await new Promise(r => setTimeout(r, 50));
  }
  window.__certlabNb = null;
  return kernelId;
}"""

_JS_KERNEL_ID = "() => window.__certlabNb.sessionContext.session.kernel.id"


def test_a_reopened_notebook_shows_its_labs_again(page: LabPage, tutorial: str) -> None:
    """Close notebook 02 with its kernel running, reopen it: every lab is drawn again (issue 10 item 7)."""
    path = f"{tutorial}/02-csr.ipynb"
    page.open_notebook(path)
    page.run_all(timeout=BUDGET_SECONDS)
    # what a learner does first: add a name to the SAN list (its rows are remade) and type
    lab = page.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .certlab-lab").first
    lab.locator(".certlab-sans-add button, button.certlab-sans-add").first.click()
    page.page.wait_for_function(
        "() => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .certlab-lab .certlab-field-sans-3').length > 0")
    lab.locator(".certlab-field-sans-3 input").first.press_sequentially("*.mysite.com", delay=10)
    page.wait_kernel_idle()
    first = _widget_views(page)
    expected = sum(r["expected"] for r in first)
    assert expected >= 1 and all(not r["missing"] for r in first), first
    kernel = page.page.evaluate(_JS_CLOSE_KEEP_KERNEL)

    page.open_notebook(path)
    assert page.page.evaluate(_JS_KERNEL_ID) == kernel  # the same, still running kernel
    again = _widget_views(page, timeout=60)
    assert sum(r["expected"] for r in again) == expected
    panel = page.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    # certlab's bug: a live box naming a closed model (a remade SAN row) left the whole lab
    # "Loading widget..." for ever, and the closed page's renderer then failed with
    # "Cannot read properties of null (reading 'promise')"
    assert panel.get_by_text("Loading widget").count() == 0, "\n".join(page.console[-20:])
    assert not [line for line in page.console if "reading 'promise'" in line]
    missing = [r for r in again if r["missing"] or r["failed"]]
    if missing and panel.get_by_text("Error displaying widget: model not found").count() == len(missing):
        # jupyterlab_widgets 3.0 (not certlab): a reopened notebook's output may ask for its
        # model while the kernel's widgets are being restored, and says "not found" although
        # the manager then holds it (seen ~1 in 4 runs on a loaded machine; every model of
        # the kernel was restored, none names a closed one)
        pytest.xfail(f"jupyterlab_widgets restore race: {missing}")
    assert not missing, f"widgets not drawn again after reopening: {missing}\n" + "\n".join(page.console[-20:])
    # and the lab works: what was typed before closing is still there, and typing still updates
    reopened = panel.locator(".certlab-lab").first
    assert reopened.locator(".certlab-field-sans-3 input").first.input_value() == "*.mysite.com"
    box = reopened.locator(".certlab-field-common_name input").first
    box.click()
    box.press("Control+A")
    box.press_sequentially("reopened.example", delay=10)
    page.page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .certlab-lab .certlab-view-fields')]"
        ".some(e => e.textContent.includes('reopened.example'))", timeout=30_000)
    page.page.evaluate(_JS_CLOSE)
