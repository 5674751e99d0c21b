"""``certlab lab``: copying without overwriting, the jupyter command line, a real server."""

from __future__ import annotations

import importlib.util
import os
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

import nbformat
import pytest

from certlab import launcher
from certlab.errors import LoadError
from tests.browser.harness import free_port, wait_http_ok


def _make_source(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, title in [("00-start-here.ipynb", "Start"), ("01-keys.ipynb", "Keys")]:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}")]
        nbformat.write(nb, folder / name)
    (folder / "data").mkdir(exist_ok=True)
    (folder / "data" / "example.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    # never part of the tutorial: must not be copied
    (folder / ".ipynb_checkpoints").mkdir(exist_ok=True)
    (folder / ".ipynb_checkpoints" / "00-start-here-checkpoint.ipynb").write_text("{}")
    (folder / ".gitkeep").write_text("")
    return folder


def _refuse_to_run(cmd: Sequence[str]) -> int:
    raise AssertionError(f"must not start anything, was asked to run {cmd}")


def test_copy_notebooks_copies_every_tutorial_file(tmp_path: Path) -> None:
    src = _make_source(tmp_path / "src")
    report = launcher.copy_notebooks(tmp_path / "work", src)
    assert sorted(report.copied) == ["00-start-here.ipynb", "01-keys.ipynb", "data/example.pem"]
    assert report.kept == ()
    for rel in report.copied:
        assert (tmp_path / "work" / rel).read_bytes() == (src / rel).read_bytes()
    assert not (tmp_path / "work" / ".ipynb_checkpoints").exists()
    assert not (tmp_path / "work" / ".gitkeep").exists()
    assert report.start_notebook == "00-start-here.ipynb"
    assert not list((tmp_path / "work").rglob("*.certlab-partial"))


def test_copy_never_overwrites_a_learners_edits(tmp_path: Path) -> None:
    src = _make_source(tmp_path / "src")
    work = tmp_path / "work"
    launcher.copy_notebooks(work, src)
    edited = work / "00-start-here.ipynb"
    edited.write_text('{"my": "edits"}')
    (work / "01-keys.ipynb").unlink()  # a deleted notebook comes back

    report = launcher.copy_notebooks(work, src)

    assert edited.read_text() == '{"my": "edits"}'
    assert report.copied == ("01-keys.ipynb",)
    assert set(report.kept) == {"00-start-here.ipynb", "data/example.pem"}


def test_copy_only_prints_where_and_starts_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _make_source(tmp_path / "src")
    work = tmp_path / "work"
    (work).mkdir()
    (work / "01-keys.ipynb").write_text("mine")

    status = launcher.main(["--dir", str(work), "--from", str(src), "--copy-only"], runner=_refuse_to_run)

    out = capsys.readouterr().out
    assert status == 0
    assert f"notebooks are in {work.resolve()}" in out
    assert "copied   00-start-here.ipynb" in out
    assert "kept     01-keys.ipynb" in out
    assert (work / "01-keys.ipynb").read_text() == "mine"


def test_main_builds_the_jupyter_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _make_source(tmp_path / "src")
    work = tmp_path / "work"
    seen: list[list[str]] = []

    def runner(cmd: Sequence[str]) -> int:
        seen.append(list(cmd))
        return 7

    argv = ["--dir", str(work), "--from", str(src), "--port", "8899", "--no-browser", "--", "--ServerApp.x=1"]
    assert launcher.main(argv, runner=runner) == 7  # jupyter's exit status is ours
    [cmd] = seen
    # the same Python runs JupyterLab, so its kernel can import certlab
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={work.resolve()}" in cmd
    assert "--LabApp.default_url=/lab/tree/00-start-here.ipynb" in cmd
    assert "--ServerApp.port=8899" in cmd
    assert "--no-browser" in cmd
    assert cmd[-1] == "--ServerApp.x=1"
    assert "--" not in cmd


def test_default_folder_and_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _make_source(tmp_path / "src")
    monkeypatch.chdir(tmp_path)
    seen: list[list[str]] = []
    launcher.main(["--from", str(src)], runner=lambda cmd: seen.append(list(cmd)) or 0)
    [cmd] = seen
    assert (tmp_path / "certlab-notebooks" / "00-start-here.ipynb").is_file()
    assert "--no-browser" not in cmd
    assert not any(arg.startswith("--ServerApp.port") for arg in cmd)


def test_bad_source_is_a_teaching_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    status = launcher.main(["--dir", str(tmp_path / "w"), "--from", str(empty)], runner=_refuse_to_run)
    err = capsys.readouterr().err
    assert status == 2
    assert f"certlab lab: from: must be a folder holding .ipynb notebooks, got '{empty}'" in err
    assert "Traceback" not in err


def test_source_prefers_the_packaged_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "site" / "certlab"
    _make_source(pkg / "_notebooks")
    monkeypatch.setattr(launcher.resources, "files", lambda name: pkg)
    assert launcher.notebooks_source() == pkg / "_notebooks"


def test_source_falls_back_to_the_repo_or_says_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(launcher.resources, "files", lambda name: tmp_path / "nowhere")
    repo_notebooks = Path(launcher.__file__).resolve().parents[2] / "notebooks"
    if any(repo_notebooks.glob("*.ipynb")):
        assert launcher.notebooks_source() == repo_notebooks
    else:
        with pytest.raises(LoadError) as err:
            launcher.notebooks_source()
        assert err.value.field == "notebooks"


def _lab_argv() -> list[str]:
    # The documented command is `certlab lab`, dispatched by certlab.cli once it
    # exists; until then the module itself is the command.
    if importlib.util.find_spec("certlab.cli") is not None:
        return [sys.executable, "-m", "certlab", "lab"]
    return [sys.executable, "-m", "certlab.launcher"]


@pytest.mark.slow
def test_certlab_lab_really_serves_jupyterlab(tmp_path: Path) -> None:
    src = _make_source(tmp_path / "src")
    port = free_port()
    token = secrets.token_hex(16)
    env = dict(os.environ)
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        env[var] = str(tmp_path / var.lower())
    cmd = [
        *_lab_argv(),
        "--dir", str(tmp_path / "work"), "--from", str(src), "--no-browser", "--port", str(port),
        "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
    ]  # fmt: skip
    log = open(tmp_path / "lab.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        cmd, cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        body = wait_http_ok(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=90, proc=proc)
        assert b"started" in body
        # "/" sends the learner to notebook 00
        req = urllib.request.Request(f"http://127.0.0.1:{port}/?token={token}")
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(req, timeout=10)
        assert redirect.value.code in (301, 302)
        assert redirect.value.headers["Location"].split("?")[0].endswith("/lab/tree/00-start-here.ipynb")
        # and the token is enforced
        with pytest.raises(urllib.error.HTTPError) as denied:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents", timeout=10)
        assert denied.value.code == 403
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        log.close()
    assert (tmp_path / "work" / "00-start-here.ipynb").is_file()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_a_dir_that_is_a_file_is_named_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `--dir notes.txt` (a typo for a folder): say it is a file, not the OS's "File exists"
    target = tmp_path / "notes.txt"
    target.write_text("mine")
    assert launcher.main(["--copy-only", "--dir", str(target)], runner=lambda cmd: 0) == 2
    err = capsys.readouterr().err
    assert "dir: must be a folder, not a file" in err and "File exists" not in err
    assert target.read_text() == "mine"
