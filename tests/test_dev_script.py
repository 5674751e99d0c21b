"""``./dev``: the newcomer's two commands, the stamp, the pip bootstrap without ensurepip."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "dev"


def _load_dev() -> types.ModuleType:
    loader = importlib.machinery.SourceFileLoader("certlab_dev_script", str(DEV))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


dev = _load_dev()


def test_dev_is_an_executable_stdlib_python3_script() -> None:
    text = DEV.read_text()
    assert text.startswith("#!/usr/bin/env python3\n")
    assert os.access(DEV, os.X_OK)
    # Standard library only: it runs before anything is installed.
    import ast

    imported = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module.split(".")[0])
    imported -= {"tests"}  # the repo's own stdlib-only harness (find_chromium)
    assert imported <= set(sys.stdlib_module_names), imported - set(sys.stdlib_module_names)


def _old_python() -> str | None:
    """A working Python 3.6-3.9 if this machine has one (pyenv shims may exist but refuse)."""
    pyenv = Path.home() / ".pyenv" / "versions"
    candidates = [str(p) for p in sorted(pyenv.glob("3.[6-9].*/bin/python3"))]
    candidates += [found for found in map(shutil.which, ("python3.9", "python3.8")) if found]
    for candidate in candidates:
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2] < (3, 10))"],
                               capture_output=True, text=True, timeout=30)  # fmt: skip
        if probe.returncode == 0 and probe.stdout.strip() == "True":
            return candidate
    return None


def test_old_python_is_refused_with_a_sentence() -> None:
    old = _old_python()
    if old is None:
        pytest.skip("no Python older than 3.10 on this machine")
    done = subprocess.run([old, str(DEV), "test"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "certlab needs Python 3.10 or newer" in done.stderr
    assert "Traceback" not in done.stderr


def test_usage_without_a_command() -> None:
    done = subprocess.run([sys.executable, str(DEV)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "./dev lab" in done.stderr and "./dev test" in done.stderr
    assert "unknown command" not in done.stderr


def test_an_unknown_command_is_named_and_help_is_not_an_error() -> None:
    done = subprocess.run([sys.executable, str(DEV), "nonsense"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "unknown command 'nonsense'" in done.stderr and "./dev test" in done.stderr
    done = subprocess.run([sys.executable, str(DEV), "--help"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and "./dev lab" in done.stderr


def test_pytest_command_groups_browser_tests_and_passes_args() -> None:
    cmd = dev.pytest_command(Path("/v/bin/python"), ["-k", "x", "tests/a.py"])
    assert cmd[:3] == ["/v/bin/python", "-m", "pytest"]
    assert cmd[-3:] == ["-k", "x", "tests/a.py"]
    if (os.cpu_count() or 1) > 1:
        assert cmd[3:7] == ["-n", "2", "--dist", "loadgroup"]


def _fake_venv(tmp_path: Path) -> Path:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")
    return venv


def test_install_runs_only_when_pyproject_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    venv = _fake_venv(tmp_path)
    calls: list[list[str]] = []
    monkeypatch.setattr(dev.subprocess, "run", lambda cmd, **kw: calls.append(list(cmd)))

    dev.ensure_installed(("test",), venv)
    assert len(calls) == 1 and calls[0][-2:] == ["-e", ".[test]"]
    stamp = json.loads((venv / dev.STAMP_NAME).read_text())
    assert stamp["extras"] == ["test"]

    dev.ensure_installed(("test",), venv)  # same pyproject: nothing to do
    dev.ensure_installed((), venv)  # lab needs less than test: nothing to do
    assert len(calls) == 1

    stamp["pyproject_sha256"] = "0" * 64  # as if pyproject.toml changed
    (venv / dev.STAMP_NAME).write_text(json.dumps(stamp))
    dev.ensure_installed((), venv)
    assert len(calls) == 2 and calls[1][-2:] == ["-e", ".[test]"]  # test extras kept


def test_failed_install_leaves_no_stamp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    venv = _fake_venv(tmp_path)

    def fail(cmd: list[str], **kw: object) -> None:
        raise subprocess.CalledProcessError(1, cmd)

    monkeypatch.setattr(dev.subprocess, "run", fail)
    with pytest.raises(subprocess.CalledProcessError):
        dev.ensure_installed(("test",), venv)
    assert not (venv / dev.STAMP_NAME).exists()


def test_chromium_policy_outside_ci_without_root_explains(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(dev, "_find_chromium", lambda: None)
    monkeypatch.setattr(dev.os, "geteuid", lambda: 1000)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(dev.subprocess, "run", lambda *a, **k: pytest.fail("must not run apt-get"))
    dev.ensure_chromium()
    assert "apt-get install chromium" in capsys.readouterr().err


def test_chromium_policy_as_root_installs_with_apt(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(dev, "_find_chromium", lambda: None)
    monkeypatch.setattr(dev.os, "geteuid", lambda: 0)
    monkeypatch.setattr(dev.shutil, "which", lambda name: "/usr/bin/apt-get" if name == "apt-get" else None)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(dev.subprocess, "run", lambda cmd, **kw: calls.append(list(cmd)))
    dev.ensure_chromium()
    assert calls == [["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]]


def test_pebble_policy_outside_ci_without_root_names_every_way_to_get_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(dev, "_find_pebble", lambda: False)
    monkeypatch.setattr(dev.os, "geteuid", lambda: 1000)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(dev.subprocess, "run", lambda *a, **k: pytest.fail("must not run apt-get"))
    dev.ensure_pebble()
    err = capsys.readouterr().err
    assert "skipped" in err
    for way in ("apt install pebble", "go install github.com/letsencrypt/pebble/v2/cmd/", "container image"):
        assert way in err
    # the same sentence certlab.acme raises with (one fact, one place)
    from certlab.knowledge.acme import PEBBLE_HINT

    assert PEBBLE_HINT in err.replace("dev: ", "")


def test_pebble_policy_as_root_installs_debians_pebble(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(dev, "_find_pebble", lambda: False)
    monkeypatch.setattr(dev.os, "geteuid", lambda: 0)
    monkeypatch.setattr(dev.shutil, "which", lambda name: "/usr/bin/apt-get" if name == "apt-get" else None)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(dev.subprocess, "run", lambda cmd, **kw: calls.append(list(cmd)))
    dev.ensure_pebble()
    assert calls == [["apt-get", "update"], ["apt-get", "install", "-y", "pebble"]]


def test_pebble_found_installs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dev, "_find_pebble", lambda: True)
    monkeypatch.setattr(dev.subprocess, "run", lambda *a, **k: pytest.fail("must not run apt-get"))
    dev.ensure_pebble()


def test_ci_run_installs_pebble_before_dev_test() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert "apt-get install -y --no-install-recommends pebble" in script
    assert script.index("pebble") < script.index("exec ./dev test")


def test_ci_run_script_runs_exactly_dev_test() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert script.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in script and "export CI=true" in script
    assert "apt-get update" in script and "apt-get install -y" in script
    assert script.rstrip().endswith("exec ./dev test")
    assert os.access(REPO / ".ci" / "run", os.X_OK)
    assert subprocess.run(["bash", "-n", str(REPO / ".ci" / "run")]).returncode == 0


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_pip_bootstrap_for_real_without_ensurepip(tmp_path: Path) -> None:
    """The Debian-without-python3-venv path: a venv made --without-pip gets pip from PyPI."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    assert subprocess.run([str(py), "-m", "pip", "--version"], capture_output=True).returncode != 0
    try:
        dev.bootstrap_pip(venv)
    except OSError as exc:  # URLError is an OSError
        pytest.skip(f"PyPI not reachable: {exc}")
    done = subprocess.run([str(py), "-m", "pip", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and str(venv) in done.stdout


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_create_venv_falls_back_when_ensurepip_is_missing(tmp_path: Path) -> None:
    """A Python whose `-m venv` fails like Debian's without python3-venv: dev recovers."""
    fake = tmp_path / "python3"
    fake.write_text(
        "#!/bin/sh\n"
        # Debian's message when ensurepip is missing; only a plain `-m venv DIR` fails
        f'if [ "$1" = "-m" ] && [ "$2" = "venv" ] && [ "$3" != "--without-pip" ]; then\n'
        '  echo "The virtual environment was not created successfully because ensurepip is not" >&2\n'
        '  echo "available.  On Debian/Ubuntu systems, you need to install the python3-venv" >&2\n'
        "  exit 1\n"
        "fi\n"
        f'exec "{sys.executable}" "$@"\n'
    )
    fake.chmod(0o755)
    venv = tmp_path / "venv"
    try:
        dev.create_venv(venv, python=str(fake))
    except OSError as exc:
        pytest.skip(f"PyPI not reachable: {exc}")
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "--version"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_wrong_checksum_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    payload = b"not really a wheel"

    class _Resp:
        def __enter__(self) -> _Resp:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def read(self) -> bytes:
            return payload

    monkeypatch.setattr(dev, "_pip_wheel_from_pypi", lambda: ("pip-99-py3-none-any.whl", "https://x/pip.whl", "ab" * 32))
    monkeypatch.setattr(dev.urllib.request, "urlopen", lambda url, timeout: _Resp())
    monkeypatch.setattr(dev.subprocess, "run", lambda *a, **k: pytest.fail("must not install an unverified wheel"))
    with pytest.raises(SystemExit, match="sha256 must be abab"):
        dev.bootstrap_pip(tmp_path)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_dev_test_returns_pytests_no_tests_status() -> None:
    """`./dev test` with nothing selected ends with pytest's own summary and exit status 5."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    done = subprocess.run(
        [str(DEV), "test", "-p", "no:cacheprovider", "tests/test_dev_script.py", "-k", "no_such_test_xyz"],
        cwd=REPO, capture_output=True, text=True, env=env, timeout=540,
    )  # fmt: skip
    assert done.returncode == 5, done.stdout[-2000:] + done.stderr[-2000:]
    # the run ends with pytest's own summary line, nothing of ours after it
    last = done.stdout.strip().splitlines()[-1]
    # pytest adds "(h:mm:ss)" to a run over a minute (a loaded machine)
    assert re.fullmatch(r"=+ .*(no tests ran|deselected).* in [\d.]+s( \(\d+:\d\d:\d\d\))? =+", last), last


def _run_smoke_without_chromium(ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_") and k != "CI"}
    env["CERTLAB_CHROMIUM"] = "/nonexistent/chromium"  # find_chromium() trusts only this when set
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
         "tests/browser/test_smoke.py", "-k", "isolated_and_token"],
        cwd=REPO, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def test_missing_browser_fails_the_run_under_ci() -> None:
    done = _run_smoke_without_chromium("true")
    assert done.returncode == 1, done.stdout[-2000:]
    assert "1 error" in done.stdout and "skipped" not in done.stdout.splitlines()[-1]
    assert "CI=true and Chromium not found" in done.stdout


def test_missing_browser_skips_with_a_hint_outside_ci() -> None:
    done = _run_smoke_without_chromium(None)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "1 skipped" in done.stdout
    assert "apt-get install chromium" in done.stdout


def test_dev_finds_chromium_with_a_python_that_has_nothing_installed() -> None:
    # ./dev runs with the system python3 before the venv exists: the browser harness it imports
    # for find_chromium must not import certlab (or anything outside the standard library) at import time
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "try:\n    import certlab\nexcept ImportError:\n    pass\nelse:\n    raise SystemExit('certlab importable')\n"
        "from tests.browser.harness import find_chromium\n"
        "print('ok')\n"
    )
    # -S: no site-packages, so neither certlab's editable install nor any test dependency is there
    out = subprocess.run([sys.executable, "-S", "-c", code, str(REPO)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stdout + out.stderr
