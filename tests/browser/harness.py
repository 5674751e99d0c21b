"""Drive a real JupyterLab in headless Chromium: the browser-test harness.

Fixtures (defined in ``tests/conftest.py``; request them by name):

``lab_server`` (session)
    A :class:`JupyterLabServer` on 127.0.0.1 with a random token and a temp
    root dir. Settings, workspaces, config and data dirs are temp dirs too, so
    a learner's config never leaks in; the news popup, update check and the
    kernel-selection dialog are switched off. Log: ``artifacts/jupyterlab-*.log``.
``browser`` (session)
    A Playwright ``Browser``: Debian's Chromium (see :func:`find_chromium`)
    launched with :data:`CHROMIUM_ARGS` and a fresh user-data dir.
``lab_page`` (function)
    A :class:`LabPage`: a new browser context + page, logged in to ``lab_server``.

Tests that use them are marked ``@pytest.mark.browser`` (conftest does this for
everything under ``tests/browser/`` and for any test using those fixtures).
Without Chromium they skip, except under ``CI=true`` where they fail.

``LabPage`` API (every wait is explicit and bounded; no fixed sleeps)::

    nb = lab_page.open_notebook(path)      # copies path into the root dir if needed,
                                           # opens it, waits for an idle kernel
    lab_page.run_all(timeout=120)          # runs every cell, waits until done + idle
    lab_page.wait_kernel_idle()
    lab_page.wait_widgets_rendered()       # every widget output shows its view; returns the count
    lab_page.outputs()                     # [{"index", "type", "source", "outputs": [nbformat outputs]}]
    lab_page.output_texts()                # [str per cell]: text/plain, stream and text/html of its outputs
    lab_page.assert_no_errors()            # no error output, no stderr traceback, no "Error displaying widget"
    lab_page.set_theme("dark")             # or "light"; waits until applied and the splash is gone
    lab_page.screenshot("name")            # -> artifacts/screenshots/name.png
    lab_page.axe_violations(selector)      # axe-core's serious/critical violations in the outputs
    lab_page.unreachable_controls()        # visible controls in outputs that Tab never reaches
    lab_page.command("notebook:run-all-cells", {...})   # any JupyterLab command
    lab_page.cell(i)                       # Locator of the i-th cell's DOM node
    lab_page.page                          # the Playwright Page, for anything else

``lab_server.copy_in(folder_or_file, name=None)`` puts files in the root dir
(e.g. the whole ``notebooks/`` folder, so a notebook finds its data files);
``lab_server.api("status")`` reads the REST API with the token.

Helpers without fixtures: :func:`free_port`, :func:`find_chromium`,
:func:`wait_http_ok`, :func:`launch_chromium`.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any


__all__ = [
    "ARTIFACTS",
    "AXE_JS",
    "CHROMIUM_ARGS",
    "JupyterLabServer",
    "LabPage",
    "find_chromium",
    "free_port",
    "launch_chromium",
    "wait_http_ok",
]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts"
# axe-core from npm (``./dev test`` and ``.ci/run`` install it into .cache/npm; never a CDN)
AXE_JS = REPO / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
AXE_HINT = ("axe-core not found at .cache/npm/node_modules/axe-core: './dev test' installs it "
            "(npm install --prefix .cache/npm axe-core@4)")
# What the learner sees in the opened notebook: widget views and certlab's own HTML views.
OUTPUTS = (".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output > .jupyter-widgets, "
           ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .certlab-view")
SCREENSHOTS = ARTIFACTS / "screenshots"

# Playwright's own browser download does not work offline / here; Debian's
# chromium is launched with these flags. --no-sandbox: we run as root in CI;
# the rest keep it from phoning home or popping first-run UI.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")

# JupyterLab user settings written into the temp settings dir, one file per plugin.
_LAB_SETTINGS: dict[str, dict[str, Any]] = {
    # No "receive Jupyter news?" toast, no update check, no toasts over our clicks.
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
        "doNotDisturbMode": True,
    },
    # Start the default kernel instead of asking which kernel to use.
    "@jupyterlab/notebook-extension/tracker": {"autoStartDefaultKernel": True},
    "@jupyterlab/apputils-extension/sessionDialogs": {"skipKernelRestartDialog": True},
    # Do not ask "Load extensions?" etc.
    "@jupyterlab/extensionmanager-extension/plugin": {"enabled": False},
}

_THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_chromium() -> str | None:
    """Path of a Chromium to launch, or ``None``.

    Order: ``$CERTLAB_CHROMIUM``, ``/usr/bin/chromium``, then ``chromium``,
    ``chromium-browser``, ``google-chrome`` on PATH.
    """
    env = os.environ.get("CERTLAB_CHROMIUM")
    if env:
        return env if os.access(env, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    for name in _CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def wait_http_ok(url: str, *, timeout: float = 60.0, proc: subprocess.Popen[Any] | None = None) -> bytes:
    """Poll ``url`` until it answers 200; return the body. Fails early if ``proc`` dies."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    delay = 0.05
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with status {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return bytes(resp.read())
        except (urllib.error.URLError, ConnectionError, OSError) as exc:
            last = exc
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
    raise TimeoutError(f"{url} did not answer 200 within {timeout:.0f}s (last error: {last})")


def launch_chromium(playwright: Any, executable: str) -> Any:
    """Launch Debian's Chromium through Playwright (a ``Browser``).

    Playwright gives every launch a fresh temporary profile (user-data dir) and
    removes it on close; passing ``--user-data-dir`` ourselves is refused by
    Playwright, so the profile is always fresh.
    """
    return playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS), headless=True)


class JupyterLabServer:
    """A JupyterLab process serving a temp root dir on 127.0.0.1 with a random token."""

    def __init__(self, *, name: str = "lab", startup_timeout: float = 90.0, base: Path | None = None) -> None:
        """``base``: an empty folder for its files (a test's ``tmp_path``); else a temporary one, removed by stop()."""
        self.name = name
        self.startup_timeout = startup_timeout
        self.token = secrets.token_hex(24)
        # held until JupyterLab listens (it binds with SO_REUSEADDR): nobody else's port-0 bind takes it
        # meanwhile.  Imported here: ./dev imports this module (find_chromium) with the system Python,
        # where certlab is not installed.
        from certlab.servers import Reservation

        self._port = Reservation()
        self.port = self._port.port
        self._tmp = Path(base) if base is not None else Path(tempfile.mkdtemp(prefix="certlab-lab-"))
        self.root_dir = self._tmp / "root"
        self.root_dir.mkdir()
        self.log_path = ARTIFACTS / f"jupyterlab-{name}.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: Any = None

    @property
    def url(self) -> str:
        """Base URL, ending in ``/``."""
        return f"http://127.0.0.1:{self.port}/"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        dirs = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
            "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
            "IPYTHONDIR": "ipython",
        }
        for var, sub in dirs.items():
            path = self._tmp / sub
            path.mkdir(exist_ok=True)
            env[var] = str(path)
        env.pop("JUPYTER_PATH", None)  # no extra data dirs from the caller's shell
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env["PYTHONUNBUFFERED"] = "1"
        for plugin, values in _LAB_SETTINGS.items():
            target = self._tmp / "lab-settings" / f"{plugin}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))
        return env

    def command(self) -> list[str]:
        """The command line (jupyter_server 2.x option names)."""
        return [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            # window.jupyterapp lets tests run commands instead of hunting menus.
            "--LabApp.expose_app_in_browser=True",
            "--ServerApp.terminals_enabled=False",
            # CI runs as root in a container; jupyter_server refuses root without it.
            *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        ]

    def start(self) -> JupyterLabServer:
        ARTIFACTS.mkdir(exist_ok=True)
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self._proc = subprocess.Popen(
            self.command(),
            cwd=self.root_dir,
            env=self._env(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: stop() kills kernels too
        )
        try:
            wait_http_ok(self.api_url("status"), timeout=self.startup_timeout, proc=self._proc)
        except BaseException:
            self.stop()
            raise
        finally:
            self._port.release()
        return self

    def api_url(self, path: str) -> str:
        return f"{self.url}api/{path}?token={self.token}"

    def api(self, path: str) -> Any:
        """GET ``/api/<path>`` (or ``lab/api/...`` when ``path`` starts with ``lab/``) as JSON."""
        url = f"{self.url}{path}?token={self.token}" if path.startswith("lab/") else self.api_url(path)
        with urllib.request.urlopen(url, timeout=10) as resp:
            return json.loads(resp.read())

    def copy_in(self, path: Path | str, name: str | None = None) -> str:
        """Copy a file or a folder into the root dir (as ``name``); return its path relative to the root."""
        src = Path(path)
        dest = self.root_dir / (name or src.name)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            shutil.copyfile(src, dest)
        return dest.relative_to(self.root_dir).as_posix()

    def stop(self) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        self._proc = None
        self._port.release()
        if self._log is not None:
            self._log.close()
            self._log = None
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> JupyterLabServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# JS run in the page. `window.__certlabNb` is the notebook panel we opened.
_JS_WAIT_APP = """async () => {
  const t0 = Date.now();
  while (!window.jupyterapp) {
    if (Date.now() - t0 > 60000) throw new Error('window.jupyterapp never appeared');
    await new Promise(r => setTimeout(r, 50));
  }
  await window.jupyterapp.started;
  await window.jupyterapp.restored;
  return true;
}"""

_JS_OPEN = """async (path) => {
  const app = window.jupyterapp;
  const w = await app.commands.execute('docmanager:open',
                                       {path, factory: 'Notebook', kernel: {name: 'python3'}});
  window.__certlabNb = w;
  await w.context.ready;
  await w.sessionContext.ready;
  app.shell.activateById(w.id);
  return w.id;
}"""

_JS_KERNEL_STATUS = """() => {
  const w = window.__certlabNb;
  const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
  return k ? k.status : 'none';
}"""

_JS_RUN_ALL = """async () => {
  const app = window.jupyterapp;
  app.shell.activateById(window.__certlabNb.id);
  // Resolves when every cell has run (NotebookActions.runAll).
  return await app.commands.execute('notebook:run-all-cells');
}"""

_JS_CELLS = """() => {
  const nb = window.__certlabNb.content;
  return nb.widgets.map((c, i) => ({
    index: i,
    type: c.model.type,
    source: c.model.sharedModel.getSource(),
    execution_count: c.model.type === 'code' ? c.model.executionCount : null,
    outputs: c.model.type === 'code' ? c.model.outputs.toJSON() : [],
  }));
}"""

_JS_PENDING = """() => {
  const nb = window.__certlabNb.content;
  // a cell still queued/running shows '*' as its prompt
  return nb.widgets.filter(c => c.model.type === 'code' &&
      c.node.querySelector('.jp-InputPrompt') &&
      c.node.querySelector('.jp-InputPrompt').textContent.includes('*')).length;
}"""


class LabPage:
    """One browser page logged in to a :class:`JupyterLabServer` (see module docstring)."""

    def __init__(self, page: Any, server: JupyterLabServer) -> None:
        self.page = page
        self.server = server
        self._console: list[str] = []
        page.on("console", lambda msg: self._console.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda exc: self._console.append(f"pageerror: {exc}"))
        # ?reset: start from an empty workspace, whatever an earlier test left.
        page.goto(f"{server.url}lab?reset&token={server.token}", wait_until="domcontentloaded")
        page.evaluate(_JS_WAIT_APP)
        self.wait_splash_gone()

    @property
    def console(self) -> list[str]:
        """Browser console lines seen so far (handy in assertion messages)."""
        return list(self._console)

    def command(self, command_id: str, args: dict[str, Any] | None = None) -> Any:
        """Run a JupyterLab command (``app.commands.execute``) and return its JSON-able result."""
        return self.page.evaluate(
            """async ([id, args]) => {
                 const r = await window.jupyterapp.commands.execute(id, args);
                 try { return JSON.parse(JSON.stringify(r ?? null)); } catch (e) { return null; }
               }""",
            [command_id, args or {}],
        )

    def open_notebook(self, path: Path | str, *, timeout: float = 60.0) -> str:
        """Open a notebook (copied into the root dir first if it is outside it); wait for an idle kernel.

        Returns its path relative to the server root.
        """
        p = Path(path)
        root = self.server.root_dir
        if p.is_absolute() and root not in p.parents:
            rel = self.server.copy_in(p)
        else:
            rel = p.relative_to(root).as_posix() if p.is_absolute() else p.as_posix()
        self.page.evaluate(_JS_OPEN, rel)
        self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").first.wait_for(
            state="visible", timeout=timeout * 1000
        )
        self.wait_kernel_idle(timeout=timeout)
        return rel

    def kernel_status(self) -> str:
        return str(self.page.evaluate(_JS_KERNEL_STATUS))

    def wait_kernel_idle(self, *, timeout: float = 60.0) -> None:
        """Wait until the opened notebook's kernel reports ``idle``."""
        self.page.wait_for_function(
            "() => { const w = window.__certlabNb; const k = w && w.sessionContext.session "
            "&& w.sessionContext.session.kernel; return !!k && k.status === 'idle'; }",
            timeout=timeout * 1000,
            polling=100,
        )

    def run_all(self, *, timeout: float = 120.0) -> list[dict[str, Any]]:
        """Run every cell, wait until none is pending and the kernel is idle; return :meth:`outputs`."""
        self.page.evaluate(_JS_RUN_ALL)
        self.page.wait_for_function(f"() => ({_JS_PENDING})() === 0", timeout=timeout * 1000, polling=100)
        self.wait_kernel_idle(timeout=timeout)
        self.wait_widgets_rendered(timeout=timeout)
        return self.outputs()

    def wait_widgets_rendered(self, *, timeout: float = 60.0) -> int:
        """Wait until every widget output of the notebook shows its view; return how many there are.

        A widget output (MIME ``application/vnd.jupyter.widget-view+json`` in the
        model) is drawn by jupyterlab_widgets as an output panel whose child
        carries the ``jupyter-widgets`` class once the view (or "Error displaying
        widget") is in place; until then the panel is empty.
        """
        return int(
            self.page.wait_for_function(
                """() => {
                  const MIME = 'application/vnd.jupyter.widget-view+json';
                  let total = 0;
                  for (const c of window.__certlabNb.content.widgets) {
                    if (c.model.type !== 'code') continue;
                    const want = c.model.outputs.toJSON().filter(o => o.data && o.data[MIME]).length;
                    const have = c.node.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets').length;
                    if (have < want) return 0;
                    total += want;
                  }
                  return total + 1;
                }""",
                timeout=timeout * 1000,
                polling=100,
            ).json_value()
        ) - 1

    def outputs(self) -> list[dict[str, Any]]:
        """Cells of the opened notebook with their nbformat outputs, as the frontend holds them."""
        return list(self.page.evaluate(_JS_CELLS))

    def output_texts(self) -> list[str]:
        """Per cell, the text of its outputs (text/plain, streams, text/html source)."""
        texts = []
        for cell in self.outputs():
            parts = []
            for out in cell["outputs"]:
                if out.get("output_type") == "stream":
                    parts.append(_joined(out.get("text", "")))
                elif out.get("output_type") == "error":
                    parts.append("\n".join(out.get("traceback", [])))
                else:
                    data = out.get("data", {})
                    for mime in ("text/plain", "text/html"):
                        if mime in data:
                            parts.append(_joined(data[mime]))
            texts.append("\n".join(parts))
        return texts

    def errors(self) -> list[str]:
        """Problems visible in the notebook: error outputs, stderr, widget render failures."""
        problems = []
        for cell in self.outputs():
            for out in cell["outputs"]:
                if out.get("output_type") == "error":
                    problems.append(f"cell {cell['index']}: {out.get('ename')}: {out.get('evalue')}")
                elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                    text = _joined(out.get("text", ""))
                    if "Traceback" in text or "Error" in text:
                        problems.append(f"cell {cell['index']}: stderr: {text[:500]}")
        shown = self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output")
        for text in shown.all_inner_texts():
            if "Error displaying widget" in text:
                problems.append(f"widget failed to render: {text[:300]}")
        return problems

    def assert_no_errors(self) -> None:
        problems = self.errors()
        assert not problems, "notebook shows errors:\n" + "\n".join(problems) + _tail("console", self._console)

    def cell(self, index: int) -> Any:
        """Locator of the ``index``-th cell of the opened notebook."""
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(index)

    def set_theme(self, theme: str, *, timeout: float = 30.0) -> None:
        """Switch to ``"light"`` or ``"dark"`` (or a full theme name) and wait until applied."""
        name = _THEMES.get(theme, theme)
        self.command("apputils:change-theme", {"theme": name})
        want_light = "false" if "dark" in name.lower() else "true"
        self.page.wait_for_function(
            "([want, name]) => document.body.dataset.jpThemeLight === want"
            " && document.body.dataset.jpThemeName === name",
            arg=[want_light, name],
            timeout=timeout * 1000,
        )
        self.wait_splash_gone(timeout=timeout)

    def wait_splash_gone(self, *, timeout: float = 60.0) -> None:
        """Wait until JupyterLab's loading splash (shown at start and on theme change) is gone."""
        self.page.wait_for_function(
            "() => !document.querySelector('#jupyterlab-splash')", timeout=timeout * 1000, polling=100
        )

    def axe_violations(self, selector: str = OUTPUTS, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
        """axe-core's violations of ``impacts`` inside the elements ``selector`` matches, one line each."""
        if not self.page.evaluate("() => !!window.axe"):
            self.page.add_script_tag(path=str(AXE_JS))
        found = self.page.evaluate(
            """async ([sel, impacts]) => {
                 const nodes = Array.from(document.querySelectorAll(sel));
                 if (!nodes.length) return [];
                 const r = await window.axe.run({include: nodes}, {resultTypes: ['violations']});
                 const out = [];
                 for (const v of r.violations) {
                   if (!impacts.includes(v.impact)) continue;
                   for (const n of v.nodes.slice(0, 5))
                     out.push(`${v.impact} ${v.id}: ${v.help} -- ${n.target.join(' ')} -- ${n.html.slice(0, 160)}`);
                 }
                 return out;
               }""",
            [selector, list(impacts)],
        )
        return [str(line) for line in found]

    def unreachable_controls(self, selector: str = OUTPUTS) -> list[str]:
        """Visible, enabled controls inside ``selector`` that the Tab key can never reach.

        A control is reachable when it is in the tab order (``tabIndex >= 0``),
        or it is a tree item of a tree that has one item in the tab order
        (a roving tab stop: the arrow keys move inside the tree).
        """
        return [str(x) for x in self.page.evaluate(
            """(sel) => {
                 const out = [];
                 const controls = 'input, button, select, textarea, a[href], [role=treeitem], [role=tab], summary, [tabindex]';
                 for (const root of document.querySelectorAll(sel)) {
                   for (const e of root.querySelectorAll(controls)) {
                     const r = e.getBoundingClientRect();
                     if (!(r.width > 0 && r.height > 0) || e.disabled || e.closest('[inert], [aria-hidden=true]')) continue;
                     if (e.type === 'hidden') continue;
                     if (e.tabIndex >= 0) continue;
                     if (e.getAttribute('role') === 'treeitem') {
                       const tree = e.closest('[role=tree]');
                       if (tree && tree.querySelector('[role=treeitem][tabindex="0"]')) continue;
                     }
                     if (e.getAttribute('role') === 'tab') {  // lumino tab bars: one tab stop, arrows move
                       const bar = e.closest('[role=tablist]');
                       if (bar && (bar.tabIndex >= 0 || bar.querySelector('[role=tab][tabindex="0"]'))) continue;
                     }
                     if (e.matches('[tabindex]') && !e.matches('input, button, select, textarea, a[href], summary, [role]')) continue;
                     out.push(e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(/\\s+/).slice(0, 2).join('.') : '') + ' "' + (e.textContent || e.value || '').trim().slice(0, 40) + '"');
                   }
                 }
                 return out;
               }""",
            selector,
        )]

    def screenshot(self, name: str, *, full_page: bool = False) -> Path:
        """Save a PNG under ``artifacts/screenshots/``; returns its path."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def _joined(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _tail(title: str, lines: list[str], n: int = 20) -> str:
    return f"\n--- last {title} lines ---\n" + "\n".join(lines[-n:]) if lines else ""
