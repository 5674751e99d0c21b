"""Exercises record their outcome locally; ``certlab progress`` lists them; ``certlab lab --reset``."""

from __future__ import annotations

import inspect
import json
import os
import stat
from pathlib import Path

import pytest

from certlab import exercises, launcher, progress
from certlab.cli import main as cli_main


@pytest.fixture
def record_at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "sub" / "progress.json"
    monkeypatch.setenv("CERTLAB_PROGRESS", str(path))
    return path


def test_every_check_function_is_a_registered_exercise() -> None:
    checks = {n for n, f in inspect.getmembers(exercises, inspect.isfunction)
              if n.startswith("check_") and f.__module__ == exercises.__name__}
    assert checks and checks <= set(progress.EXERCISES)
    notebooks = {p.stem for p in launcher.notebooks_source().glob("*.ipynb")}
    assert {ex.notebook for ex in progress.EXERCISES.values()} <= notebooks


def test_a_check_records_tries_and_the_first_pass(record_at: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert not exercises.check_mii_answer("no idea")
    assert not exercises.check_mii_answer("still no idea")
    data = json.loads(record_at.read_text())["exercises"]
    assert data["check_mii_answer"]["tries"] == 2 and data["check_mii_answer"]["passed"] is False
    assert stat.S_IMODE(record_at.stat().st_mode) == 0o600

    order = "".join(sorted(exercises.FLOW_PUZZLE, key=lambda k: exercises.FLOW_PUZZLE[k][0]))
    assert exercises.check_flow_order(order)
    assert cli_main(["progress"]) == 0
    out = capsys.readouterr().out
    assert "✔ Put the six steps of getting a certificate in order  [passed " in out
    assert "✘ Why do PEM certificates start with MII?  [not yet (2 tries)]" in out
    assert "· Read a DER length  [not tried]" in out
    assert f"1 of {len(progress.EXERCISES)} exercises passed" in out
    # a later wrong answer does not take a pass away
    assert not exercises.check_flow_order("ABCDEF")
    assert json.loads(record_at.read_text())["exercises"]["check_flow_order"]["passed"] is True

    assert cli_main(["progress", "--reset"]) == 0
    assert not record_at.exists()


def test_a_read_only_record_never_gets_in_the_way_of_a_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CERTLAB_PROGRESS", str(blocker / "progress.json"))  # its folder cannot exist
    result = exercises.check_mii_answer("no idea")
    assert result.wrong  # the check still answers


def test_reset_puts_back_a_pristine_notebook_and_keeps_the_learners(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "work"
    assert launcher.main(["--dir", str(work), "--copy-only"]) == 0
    mine = work / "02-csr.ipynb"
    pristine = mine.read_bytes()
    mine.write_text(mine.read_text().replace("CSR", "MY-EDIT", 1))
    edited = mine.read_bytes()

    assert launcher.main(["--dir", str(work), "--reset", "02"]) == 0
    assert mine.read_bytes() == pristine
    backups = sorted(work.glob("02-csr.backup-*.ipynb"))
    assert [b.read_bytes() for b in backups] == [edited]
    assert "kept     your copy as 02-csr.backup-" in capsys.readouterr().out

    # twice in the same second: a second backup, the first one untouched
    assert launcher.main(["--dir", str(work), "--reset", "02-csr.ipynb"]) == 0
    assert len(list(work.glob("02-csr.backup-*.ipynb"))) == 2 and backups[0].read_bytes() == edited


def test_reset_of_an_unknown_notebook_says_which_there_are(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert launcher.main(["--dir", str(tmp_path), "--reset", "99"]) == 2
    err = capsys.readouterr().err
    assert "reset: must name one tutorial notebook" in err and "02-csr.ipynb" in err and "'99'" in err


def test_the_mystery_server_records_its_outcome(record_at: Path) -> None:
    from certlab.zoo import MYSTERY_EXERCISE, Mystery

    mystery = Mystery.__new__(Mystery)  # no servers: only the judging is under test
    mystery.tries = 0
    mystery._answer = "expired"
    assert mystery.check("expired")[0] is True
    entry = json.loads(record_at.read_text())["exercises"][MYSTERY_EXERCISE.id]
    assert entry["passed"] is True and entry["tries"] == 1
    assert "Diagnose the mystery server" in progress.progress_text()
