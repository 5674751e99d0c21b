"""The widget frontend really works in this JupyterLab: type in a Text, see an HTML widget change.

If this fails, every live-form test will too: it isolates the stack (server,
kernel, ipywidgets <-> jupyterlab_widgets versions, Chromium) from certlab.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tests.browser.harness import JupyterLabServer, LabPage

pytestmark = pytest.mark.browser

_WIDGET_CELL = """\
import html
import ipywidgets as w

name = w.Text(description="Name", placeholder="type here")
size = w.IntSlider(description="Size", min=1, max=10, value=3)
echo = w.HTML(value="<b id='echo'>nothing yet</b>")

def _update(_change=None):
    # escape: whatever is typed is shown as text, never as markup
    echo.value = f"<b id='echo'>{html.escape(name.value)}|{size.value}</b>"

name.observe(_update, names="value")
size.observe(_update, names="value")
w.VBox([name, size, echo])
"""


def _notebook(tmp_path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# smoke: widgets round-trip"),
        nbformat.v4.new_code_cell(_WIDGET_CELL),
        nbformat.v4.new_code_cell("print('done', 6 * 7)"),
    ]
    path = tmp_path / "smoke_widgets.ipynb"
    nbformat.write(nb, path)
    return path


def test_widgets_round_trip_between_page_and_kernel(lab_page: LabPage, tmp_path: Path) -> None:
    lab_page.open_notebook(_notebook(tmp_path))
    lab_page.run_all(timeout=120)
    lab_page.assert_no_errors()
    assert "done 42" in lab_page.output_texts()[2]
    assert lab_page.wait_widgets_rendered() == 1  # the VBox

    page = lab_page.page
    echo = page.locator("#echo")
    echo.wait_for(state="visible")
    assert echo.inner_text() == "nothing yet"

    # Typing goes page -> kernel (Text value) -> observer -> kernel -> page (HTML value).
    text_input = lab_page.cell(1).locator(".widget-text input")
    text_input.fill("<i>alice</i>")
    text_input.press("Enter")
    page.wait_for_function(
        "() => { const e = document.querySelector('#echo'); return e && e.textContent === '<i>alice</i>|3'; }",
        timeout=30_000,
    )
    # The observer escaped it: no <i> element was created from typed text.
    assert page.locator("#echo i").count() == 0

    # The slider: keyboard on its handle moves it; the kernel sees the new value.
    handle = lab_page.cell(1).locator(".widget-slider .noUi-handle")
    handle.focus()
    handle.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('#echo').textContent === '<i>alice</i>|4'", timeout=30_000
    )
    lab_page.assert_no_errors()

    for theme in ("light", "dark"):
        lab_page.set_theme(theme)
        shot = lab_page.screenshot(f"smoke-widgets-{theme}")
        assert shot.stat().st_size > 1000
    is_light = page.evaluate("() => document.body.dataset.jpThemeLight")
    assert is_light == "false"
    lab_page.set_theme("light")  # leave the shared server's setting as found


def test_server_is_isolated_and_token_protected(lab_server: JupyterLabServer) -> None:
    import urllib.error
    import urllib.request

    status = lab_server.api("status")
    assert "started" in status
    # Without the token the API refuses: the random token is really in force.
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{lab_server.url}api/contents", timeout=10)
    assert err.value.code == 403
    # Our settings dir is in use: the news popup is switched off.
    settings = lab_server.api("lab/api/settings/@jupyterlab/apputils-extension:notification")
    assert settings["settings"]["fetchNews"] == "false"


def test_start_notebook_runs_in_the_browser(lab_page: LabPage, lab_server: JupyterLabServer) -> None:
    """The real notebook 00, run in the page as a learner would: no errors, widgets render."""
    repo_notebooks = Path(__file__).resolve().parents[2] / "notebooks"
    starts = sorted(repo_notebooks.glob("00-*.ipynb"))
    if not starts:
        pytest.skip("no notebooks/00-*.ipynb yet")
    folder = lab_server.copy_in(repo_notebooks, "tutorial")
    lab_page.open_notebook(f"{folder}/{starts[0].name}")
    cells = lab_page.run_all(timeout=120)
    lab_page.assert_no_errors()
    assert all(c["execution_count"] is not None for c in cells if c["type"] == "code")
    lab_page.screenshot("start-notebook-light")
