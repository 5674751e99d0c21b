"""One working folder per notebook and learner, reused by every run; one lab folder name."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

import certlab
from certlab.errors import CertlabError
from certlab.launcher import DEFAULT_DIR


def test_a_notebook_run_again_reuses_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "ada")
    monkeypatch.setenv("LOGNAME", "ada")
    first = certlab.work_folder("02", base=tmp_path)
    certlab.save(first / "csr.pem", b"one")
    for _ in range(12):  # run-all a dozen times
        again = certlab.work_folder("02", base=tmp_path)
        certlab.save(again / "csr.pem", b"again", overwrite=True)
    assert again == first and first.name == "certlab-02-ada"
    assert [p.name for p in tmp_path.iterdir()] == ["certlab-02-ada"]
    assert stat.S_IMODE(first.stat().st_mode) == 0o700
    assert (first / "csr.pem").read_bytes() == b"again"


def test_each_learner_and_notebook_has_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = set()
    for user in ("ada", "grace", "bad/../name"):
        monkeypatch.setenv("USER", user)
        monkeypatch.setenv("LOGNAME", user)
        for nb in ("01", "05"):
            names.add(certlab.work_folder(nb, base=tmp_path).name)
    assert len(names) == 6 and all("/" not in n for n in names)  # a name, never a path
    assert {p.parent for p in tmp_path.iterdir()} == {tmp_path}


@pytest.mark.parametrize("bad", ["", "../x", "a/b", "x" * 40, "02 ", None])
def test_a_bad_notebook_name_is_refused_with_field_rule_and_value(tmp_path: Path, bad: Any) -> None:
    with pytest.raises(CertlabError) as err:
        certlab.work_folder(bad, base=tmp_path)
    assert err.value.field == "name" and "notebook name" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_dev_lab_and_certlab_lab_use_one_folder_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_dev_script import dev

    calls: list[tuple[list[str], Any]] = []
    monkeypatch.setattr(dev, "ensure_installed", lambda extras: Path("/venv/bin/python"))
    monkeypatch.setattr(dev.subprocess, "call", lambda cmd, cwd=None: calls.append((cmd, cwd)) or 0)
    assert dev.cmd_lab([]) == 0
    cmd, cwd = calls[0]
    assert cmd[1:4] == ["-m", "certlab", "lab"] and "--dir" not in cmd  # certlab lab's own default
    assert Path(cwd) == dev.REPO and DEFAULT_DIR == "certlab-notebooks"
