"""A test run leaves nothing behind in the temporary folder (a test's leftovers are a bug).

The oracle is the folder itself: a pytest run with its own ``TMPDIR`` whose
test records an exercise outcome (as notebooks and kernels under test do)
must leave that folder as empty as it found it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_INNER = '''
import os
from pathlib import Path

from certlab import progress


def test_records_an_outcome():
    path = progress.progress_path()
    assert Path(os.environ["TMPDIR"]) in path.parents  # the test's progress file lives in the run's TMPDIR
    progress.record("certlab-leftover-probe", True)
    assert path.is_file()
    print("PROGRESS", path)
'''


def test_a_test_run_leaves_no_progress_file_behind(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    inner = tmp_path / "inner" / "test_inner.py"
    inner.parent.mkdir()
    inner.write_text(_INNER)
    env = {k: v for k, v in os.environ.items() if k not in ("CERTLAB_PROGRESS", "CERTLAB_TEST_PROGRESS_OWNER")}
    env.update(TMPDIR=str(tmp), PYTHONPATH=str(REPO))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:randomly", "-p", "no:cacheprovider",
         "-p", "tests.conftest", f"--basetemp={tmp_path / 'bt'}", str(inner)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PROGRESS " + str(tmp) in proc.stdout, proc.stdout  # it did write one, in that folder
    assert list(tmp.iterdir()) == []  # and the run removed it
