"""Project-wide pytest setup: browser-test marking, the Chromium policy, browser fixtures.

Browser tests (``@pytest.mark.browser``, everything under ``tests/browser/``,
and any test that asks for ``lab_server``/``browser``/``lab_page``):

* all land in one xdist group, so under ``pytest -n 2 --dist loadgroup`` one
  worker starts one JupyterLab for all of them;
* need Chromium (``tests/browser/harness.py:find_chromium``). Under ``CI=true``
  a missing browser is a test *error*: CI must never pass by skipping them.
  Elsewhere they skip with a message saying how to get Chromium.

The fixtures' API is documented in ``tests/browser/harness.py``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Test helpers are imported as ``tests.browser.harness`` whatever pytest's
# rootdir/import mode puts on sys.path (tests/ has no __init__.py).
_REPO = Path(__file__).resolve().parents[1]
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

from tests.browser.harness import JupyterLabServer, LabPage, find_chromium, launch_chromium  # noqa: E402

# Exercises record outcomes (certlab.progress): the tests' own notebooks and
# kernels (which inherit the environment) write them into a folder of this
# test process, not into the home, and the folder goes when the process ends
# (a fixed file per pid left one behind in /tmp for every run).
# One per process: an xdist worker inherits its controller's variables, not its folder.
_OWNER = os.environ.get("CERTLAB_TEST_PROGRESS_OWNER")
if "CERTLAB_PROGRESS" not in os.environ or (_OWNER is not None and _OWNER != str(os.getpid())):
    _PROGRESS_DIR = tempfile.mkdtemp(prefix="certlab-test-progress-")
    os.environ["CERTLAB_PROGRESS"] = os.path.join(_PROGRESS_DIR, "progress.json")
    os.environ["CERTLAB_TEST_PROGRESS_OWNER"] = str(os.getpid())
    atexit.register(shutil.rmtree, _PROGRESS_DIR, True)

_BROWSER_FIXTURES = frozenset({"lab_server", "browser", "lab_page", "playwright_instance"})
_BROWSER_DIR = Path(__file__).parent / "browser"

_INSTALL_HINT = (
    "Chromium not found: browser tests need it. Install Debian's package "
    "('sudo apt-get install chromium'), put chromium on PATH, or set CERTLAB_CHROMIUM=/path/to/chrome. "
    "'./dev test' installs it by itself when run as root on Debian/Ubuntu."
)


def in_ci() -> bool:
    """``CI=true`` (any of true/1/yes): browser tests are mandatory."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The marker exists only when pytest-xdist is loaded (--strict-markers).
    group = config.pluginmanager.hasplugin("xdist")
    for item in items:
        path = Path(str(item.fspath))
        uses_browser = bool(_BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())))
        if _BROWSER_DIR in path.parents or uses_browser:
            item.add_marker(pytest.mark.browser)
        if group and item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group("browser"))
        elif group and path.name == "test_hub.py":  # one JupyterHub for the module's tests
            item.add_marker(pytest.mark.xdist_group("hub"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser") is None or find_chromium() is not None:
        return
    if in_ci():
        pytest.fail(f"CI=true and {_INSTALL_HINT}", pytrace=False)
    pytest.skip(_INSTALL_HINT)


def pytest_report_header(config: pytest.Config) -> str:
    chromium = find_chromium()
    mode = "mandatory (CI=true)" if in_ci() else "skipped when missing"
    return f"certlab browser tests: chromium={chromium or 'NOT FOUND'}, {mode}"


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLabServer]:
    """A real JupyterLab on 127.0.0.1 (token, root and settings in pytest's temporary folder)."""
    base = tmp_path_factory.mktemp("jupyterlab")
    with JupyterLabServer(name=os.environ.get("PYTEST_XDIST_WORKER", "main"), base=base) as server:
        yield server


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()


@pytest.fixture(scope="session")
def browser(playwright_instance: Any) -> Iterator[Any]:
    """Debian's Chromium, headless, fresh profile."""
    executable = find_chromium()
    assert executable is not None, _INSTALL_HINT  # pytest_runtest_setup already decided
    chromium = launch_chromium(playwright_instance, executable)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture
def lab_page(browser: Any, lab_server: JupyterLabServer) -> Iterator[LabPage]:
    """A fresh browser context + page logged in to ``lab_server``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        yield LabPage(page, lab_server)
    finally:
        context.close()


@pytest.fixture
def dummy_comm() -> Iterator[None]:
    """Widgets with no kernel: a recording comm with one id per widget (``tests/_widgets.py``)."""
    from tests._widgets import install_dummy_comm

    yield from install_dummy_comm()
