"""The workshop's plan for a dead Wi-Fi: ``./dev wheelhouse``, then install with the network off.

The wheelhouse is built as ``./dev wheelhouse`` builds it; the install runs in
a network namespace with no interface but a downed loopback (``unshare
--net``), so any attempt to reach an index fails: what installs, installs from
the folder alone. Then certlab runs there: it imports its widgets and copies
the notebooks.
"""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# building ~100 wheels takes a minute or two on an idle 2-core machine, more under load
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _can_cut_the_network() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    return subprocess.run([unshare, "--net", "true"], capture_output=True).returncode == 0


def test_a_wheelhouse_installs_and_runs_with_the_network_off(tmp_path: Path) -> None:
    if not _can_cut_the_network():
        message = "needs 'unshare --net' (root, util-linux) to take the network away"
        if _in_ci():
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)
    dev = runpy.run_path(str(REPO / "dev"))
    house = dev["build_wheelhouse"](tmp_path / "wheelhouse", Path(sys.executable))
    names = {w.name.split("-")[0].lower() for w in house.glob("*.whl")}
    assert {"certlab", "cryptography", "ipywidgets", "jupyterlab", "pkilint"} <= names
    assert "--no-index --find-links . certlab" in (house / "INSTALL.txt").read_text()

    env_dir = tmp_path / "learner-env"
    script = (
        f"set -e; {sys.executable} -m venv {env_dir}; "
        f"{env_dir}/bin/pip install --quiet --disable-pip-version-check --no-index --find-links {house} certlab; "
        f"{env_dir}/bin/python -c 'import certlab.widgets, certlab; print(certlab.__name__)'; "
        f"{env_dir}/bin/certlab lab --copy-only --dir {tmp_path / 'nb'}"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull  # only the folder: no index, no extra locations from a pip.conf
    done = subprocess.run(["unshare", "--net", "sh", "-c", script], capture_output=True, text=True,
                          timeout=900, env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert done.stdout.splitlines()[0] == "certlab"
    assert (tmp_path / "nb" / "00-start-here.ipynb").is_file()
