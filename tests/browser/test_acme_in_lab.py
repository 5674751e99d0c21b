"""Notebook 07's AcmeFlow in a real JupyterLab: the learner presses *Run the order*, the steps turn green.

The notebook is opened in the page and its cells run where learners run them;
the widget's button is clicked in the DOM, the state machine's step buttons
are read back from the DOM, a step is clicked and its decoded JWS appears.
Screenshots in the light and dark themes land in artifacts/screenshots/.
Needs pebble (mandatory under CI=true, like Chromium).
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest

from tests._pebble import need_pebble, pebble_pids
from tests.browser.harness import ARTIFACTS, LabPage

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]

_CELLS = (
    "from certlab import CsrSpec, KeySpec, build_csr, generate_key\n"
    "from certlab.widgets import AcmeFlow\n"
    "key = generate_key(KeySpec('ec', curve='P-256'))\n"
    "flow = AcmeFlow(build_csr(CsrSpec(key=KeySpec('ec', curve='P-256')), key), key=key)\nflow",
)

_JS_STEPS = """() => Array.from(document.querySelectorAll(
  '.jp-NotebookPanel:not(.lm-mod-hidden) .certlab-acme-step')).map(b => [b.textContent.trim(),
  b.classList.contains('mod-success'), b.classList.contains('mod-danger')])"""


def test_acmeflow_runs_in_jupyterlab(lab_page: LabPage, tmp_path: Path) -> None:
    need_pebble()
    before = pebble_pids()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in _CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "acme-flow.ipynb"
    nbformat.write(nb, path)
    lab_page.open_notebook(path)
    lab_page.run_all(timeout=120)
    lab_page.assert_no_errors()
    page = lab_page.page
    steps = page.evaluate(_JS_STEPS)
    assert steps and all(text.startswith("…") for text, _ok, _bad in steps), steps
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .certlab-acme-run").first.click()
    page.wait_for_function(f"() => {{ const s = ({_JS_STEPS})(); return s.length > 10 && s.every(x => x[1]); }}",
                           timeout=60_000, polling=200)
    steps = page.evaluate(_JS_STEPS)
    assert sum("validation" in text for text, _ok, _bad in steps) == 3
    assert "issued" in page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .certlab-acme-status").first.inner_text()
    # click the account step: its request shows the JWS decoded
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .certlab-acme-step").first.click()
    detail = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .certlab-acme-detail").first
    detail.get_by_text("JWS protected header").first.wait_for(timeout=30_000)
    assert "termsOfServiceAgreed" in detail.inner_text()
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 857})
    page.screenshot(path=str(shots / "acme-flow-light.png"))
    lab_page.set_theme("JupyterLab Dark")
    page.screenshot(path=str(shots / "acme-flow-dark.png"))
    lab_page.set_theme("JupyterLab Light")
    # closing the widget stops the pebble it started
    page.evaluate("""async () => {
      const k = window.__certlabNb.sessionContext.session.kernel;
      await k.requestExecute({code: 'flow.close()'}).done; }""")
    deadline = time.monotonic() + 15
    while pebble_pids() - before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not pebble_pids() - before, "the widget's pebble still runs after flow.close()"
