"""The workshop's JupyterHub (deploy/jupyterhub/jupyterhub_config.py), run for real.

A real JupyterHub from PyPI with configurable-http-proxy from npm, on free
127.0.0.1 ports: the class password lets a learner in and a wrong one does
not, each learner's server starts with its own copy of the notebooks, a
kernel reached through the hub's proxy runs notebook 00, the idle culler stops
an abandoned server, and stopping the hub leaves no process behind.

Under ``CI=true`` these tests are mandatory: a missing hub or proxy fails them.
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hub_harness import (
    Hub,
    KernelClient,
    cmdline,
    code_cells,
    descendants,
    find_proxy,
    have_jupyterhub,
    run_async,
)

pytestmark = pytest.mark.slow  # one xdist group: one hub per run (see conftest)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    missing = []
    if not have_jupyterhub():
        missing.append("jupyterhub and jupyterhub-idle-culler (pip install '.[hub]')")
    if find_proxy() is None:
        missing.append("configurable-http-proxy (npm; ./dev test installs it)")
    if missing:
        message = "the workshop hub needs " + " and ".join(missing)
        if _in_ci():
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)
    with Hub(tmp_path_factory.mktemp("hub")) as running:
        yield running


def test_the_class_password_lets_a_learner_in_and_a_wrong_one_does_not(hub: Hub) -> None:
    assert hub.login("ada", hub.password) == 302  # redirected on to the learner's server
    assert hub.login("ada", "not-the-password") == 403


def test_each_learner_gets_their_own_notebooks_and_a_working_kernel(hub: Hub) -> None:
    hub.add_learners(["grace", "alan"])
    grace = hub.start_server("grace")
    alan = hub.start_server("alan")
    names = {f["name"] for f in grace.get("api/contents/certlab-notebooks")["content"]}
    assert {"00-start-here.ipynb", "02-csr.ipynb", "05-be-the-ca.ipynb"} <= names
    # copied into each learner's own home, not shared
    assert (hub.homes / "grace" / "certlab-notebooks" / "00-start-here.ipynb").is_file()
    assert (hub.homes / "alan" / "certlab-notebooks" / "00-start-here.ipynb").is_file()
    # a learner's edit survives a restart of their server (copy never overwrites)
    edited = hub.homes / "alan" / "certlab-notebooks" / "01-keys.ipynb"
    edited.write_text(edited.read_text().replace("PKCS#8", "PKCS#8 (alan's note)", 1))
    hub.api("DELETE", "users/alan/server")
    alan = hub.start_server("alan")
    assert "alan's note" in edited.read_text()

    kernel_id, _ = grace.open_session("certlab-notebooks/00-start-here.ipynb")

    async def run() -> list[tuple[bool, str]]:
        client = KernelClient(grace, kernel_id)
        await client.connect()
        try:
            probe = await client.execute("import certlab, os; print(certlab.__name__, os.getcwd())")
            results = [(probe.ok, probe.stdout + probe.error)]
            for code in code_cells(grace.notebook("certlab-notebooks/00-start-here.ipynb")):
                r = await client.execute(code)
                results.append((r.ok, r.error))
            return results
        finally:
            await client.close()

    results = run_async(run())
    # the kernel's channels are Unix sockets in a short runtime folder of grace's, not TCP
    # ports on 127.0.0.1, which thirty servers starting kernels at once raced for
    kernel = next(p for p in descendants(hub.proc.pid) if "ipykernel" in cmdline(p) and kernel_id in cmdline(p))
    connection_file = Path(cmdline(kernel).split(" -f ", 1)[1].split()[0])
    connection = json.loads(connection_file.read_text())
    assert connection["transport"] == "ipc"
    assert len(connection["ip"]) + len("-ipc-") + 5 < 107  # sockaddr_un's sun_path
    for channel in ("shell", "iopub", "stdin", "control", "hb"):  # each a socket file of its own
        assert stat.S_ISSOCK(Path(f"{connection['ip']}-{connection[channel + '_port']}").stat().st_mode)
    runtime = connection_file.parent
    assert runtime.stat().st_mode & 0o077 == 0
    ok, out = results[0]
    assert ok and out.split()[0] == "certlab"
    assert out.split()[1].endswith("grace/certlab-notebooks")  # the kernel runs in the notebook's folder
    failed = [err for ok, err in results[1:] if not ok]
    assert len(results) > 3 and failed == []
    # the runtime folder (the server's cookie secret, the kernels' sockets) goes with the server
    hub.api("DELETE", "users/grace/server")
    deadline = time.monotonic() + 60
    while runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not runtime.exists()


def test_the_culler_stops_an_abandoned_server_and_stopping_the_hub_leaves_no_process(tmp_path: Path) -> None:
    if not have_jupyterhub() or find_proxy() is None:
        if _in_ci():
            pytest.fail("CI=true: the workshop hub is not installed", pytrace=False)
        pytest.skip("needs jupyterhub and configurable-http-proxy (see the hub fixture)")
    hub = Hub(tmp_path, cull_timeout=10, cull_every=2)
    with hub:
        hub.add_learners(["idle", "lin"])
        hub.start_server("idle")
        assert "idle/" in hub.running_servers()
        deadline = time.monotonic() + 90
        while "idle/" in hub.running_servers() and time.monotonic() < deadline:
            time.sleep(1)
        assert "idle/" not in hub.running_servers(), "the culler did not stop a server idle for 10 s"

        hub.start_server("lin")
        assert hub.proc is not None
        kids = descendants(hub.proc.pid)
        assert any("configurable-http-proxy" in cmdline(p) for p in kids)
        assert any("jupyterhub.singleuser" in cmdline(p) for p in kids)
        assert any("jupyterhub_idle_culler" in cmdline(p) for p in kids)
    assert hub.leftover == []
