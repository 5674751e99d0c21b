"""Notebook 08's mystery server and zoo table in a real JupyterLab: pick, check, read it in both themes.

At the learners' size (1400x857, file browser open) the learner picks a
diagnosis in the widget's drop-down and presses *Check*; the kernel-side
check answers in the page.  Screenshots in the light and the dark theme go to
``artifacts/screenshots/`` for a human to look at.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from certlab.knowledge.zoo import CASES
from tests.browser.harness import LabPage

pytestmark = pytest.mark.browser


def _notebook(tmp_path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# mystery"),
        nbformat.v4.new_code_cell("from certlab.widgets import MysteryServer\n"
                                  "m = MysteryServer(seed=0, choices=['expired'])\nm"),
        nbformat.v4.new_code_cell("from certlab.zoo import Zoo\nz = Zoo.start(['healthy', 'expired', 'cn-only'])\nz.table()"),
    ]
    path = tmp_path / "mystery_in_lab.ipynb"
    nbformat.write(nb, path)
    return path


def test_mystery_widget_checks_a_diagnosis_in_the_browser(lab_page: LabPage, tmp_path: Path) -> None:
    page = lab_page.page
    page.set_viewport_size({"width": 1400, "height": 857})
    lab_page.command("filebrowser:activate")
    lab_page.open_notebook(_notebook(tmp_path), timeout=90)
    lab_page.run_all(timeout=90)
    lab_page.assert_no_errors()
    widget = page.locator(".certlab-mystery")
    widget.wait_for(state="visible")
    assert "127.0.0.1:" in widget.locator(".certlab-mystery-info").inner_text()

    select = widget.locator("select").first
    select.select_option(label=f"{CASES['healthy'].title} (healthy)")  # ipywidgets keys options by label
    widget.get_by_role("button", name="Check").click()
    feedback = widget.locator(".certlab-mystery-feedback")
    feedback.get_by_text("Not yet").wait_for(timeout=30_000)
    assert "Hint:" in feedback.inner_text()

    select.select_option(label=f"{CASES['expired'].title} (expired)")
    widget.get_by_role("button", name="Check").click()
    feedback.get_by_text("Right").wait_for(timeout=30_000)
    assert "notAfter" in feedback.inner_text()

    table = page.locator(".certlab-zoo-table")
    assert table.count() == 1 and "cn-only" in table.inner_text()
    lab_page.screenshot("mystery-light")
    lab_page.set_theme("dark")
    try:
        # the texts use the theme's colours: readable means not the light theme's black on dark
        color = feedback.evaluate("e => getComputedStyle(e).color")
        assert color not in ("rgb(0, 0, 0)", "rgba(0, 0, 0, 0.87)"), color
        lab_page.screenshot("mystery-dark")
    finally:
        lab_page.set_theme("light")
        page.evaluate("async () => { const w = window.__certlabNb; if (w) { await w.sessionContext.shutdown(); w.dispose(); } }")
