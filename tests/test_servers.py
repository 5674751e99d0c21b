"""certlab.servers: one lifecycle for every server and child process a kernel starts.

The oracle is the operating system: a port is free when connecting to it is
refused (or a plain bind succeeds), a process is gone when /proc says so.
Kernels are played by child Pythons that start servers and then exit, get
SIGTERM or get SIGKILL.
"""

from __future__ import annotations

import errno
import gc
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from certlab import servers
from certlab.errors import CertlabError

# A kernel: one in-process HTTP server, one child process listening on a reserved
# port (as pebble does), and a stop callback that leaves a mark on disk.
_KERNEL = textwrap.dedent("""
    import http.server, json, sys, threading, time
    from certlab import servers

    class Owner: pass
    owner = Owner()
    life = servers.Lifecycle(owner, "kernel-test")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    life.serve(server, "kernel-test")
    held = life.reserve()
    child = ("import socket, sys, time\\n"
             "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\\n"
             "s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(); print('up', flush=True); time.sleep(600)\\n")
    mode = sys.argv[2]
    def spawn():
        global proc
        proc = life.spawn([sys.executable, "-c", child, str(held.port)], stdout=-1)
    if mode == "thread":  # spawned from a thread that ends at once: the child must outlive that thread
        t = threading.Thread(target=spawn); t.start(); t.join()
    else:
        spawn()
    assert proc.stdout.readline() == b"up\\n"
    held.release()
    life.on_stop(lambda: open(sys.argv[1], "w").write("stopped"))
    print(json.dumps({"port": server.server_address[1], "child_port": held.port, "child": proc.pid}), flush=True)
    if mode != "exit":
        time.sleep(600)
""")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            state = f.read().rsplit(b")", 1)[1].split()[0]
    except OSError:
        return False
    return state != b"Z"


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def _gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _alive(pid)


def _kernel(tmp_path: Path, mode: str) -> tuple[subprocess.Popen[str], dict[str, int], Path]:
    marker = tmp_path / "stopped.txt"
    proc = subprocess.Popen([sys.executable, "-c", _KERNEL, str(marker), mode], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.wait(timeout=10)
        pytest.fail(proc.stderr.read() if proc.stderr else "the kernel said nothing")
    info = json.loads(line)
    return proc, info, marker


@pytest.fixture
def kernels() -> Any:
    started: list[tuple[subprocess.Popen[str], dict[str, int]]] = []
    yield started
    for proc, info in started:  # whatever a failed test left: never a process left behind
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        if _alive(info["child"]):
            os.kill(info["child"], signal.SIGKILL)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _blocked_signals(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        return int(next(line for line in f if line.startswith("SigBlk:")).split()[1], 16)


def test_a_kernel_that_exits_stops_its_servers_and_children(tmp_path: Path, kernels: list[Any]) -> None:
    proc, info, marker = _kernel(tmp_path, "exit")
    kernels.append((proc, info))
    assert proc.wait(timeout=30) == 0, proc.stderr.read() if proc.stderr else ""
    assert marker.read_text() == "stopped"  # the stops ran at interpreter exit
    assert _gone(info["child"])
    assert _refused(info["port"]) and _refused(info["child_port"])


def test_sigterm_runs_the_stops_then_the_kernel_dies_of_it(tmp_path: Path, kernels: list[Any]) -> None:
    proc, info, marker = _kernel(tmp_path, "sleep")
    kernels.append((proc, info))
    assert _alive(info["child"]) and not _refused(info["port"]) and not _refused(info["child_port"])
    assert not _blocked_signals(info["child"]) & (1 << (signal.SIGTERM - 1))  # the child takes SIGTERM as usual
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == -signal.SIGTERM  # still killed by the signal, as without certlab
    assert marker.read_text() == "stopped"
    assert _gone(info["child"])
    assert _refused(info["port"]) and _refused(info["child_port"])


@pytest.mark.parametrize("mode", ["sleep", "thread"])
def test_a_killed_kernel_leaves_no_child(tmp_path: Path, kernels: list[Any], mode: str) -> None:
    """SIGKILL runs nothing of ours: the children go by PR_SET_PDEATHSIG, also when a short-lived thread spawned them."""
    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux's")
    proc, info, marker = _kernel(tmp_path, mode)
    kernels.append((proc, info))
    time.sleep(0.3)  # "thread": the thread that asked for the child has ended by now
    assert _alive(info["child"]) and not _refused(info["child_port"])
    proc.kill()
    proc.wait(timeout=10)
    assert _gone(info["child"])
    assert _refused(info["port"]) and _refused(info["child_port"])
    assert not marker.exists()  # nothing of ours ran: the kernel did the work


class _Owner:
    pass


def _http_server() -> http.server.ThreadingHTTPServer:
    return http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)


def test_servers_started_at_once_never_share_a_port() -> None:
    owners = [_Owner() for _ in range(24)]
    lives: list[servers.Lifecycle] = []
    lock = threading.Lock()

    def start(owner: _Owner) -> None:
        life = servers.Lifecycle(owner, "race")
        life.serve(_http_server(), "race")
        life.listen()
        life.reserve(udp=True)
        with lock:
            lives.append(life)

    threads = [threading.Thread(target=start, args=(o,)) for o in owners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        ports = [p for life in lives for p in life.ports]
        assert len(ports) == 3 * len(owners) and len(set(ports)) == len(ports)
        assert all(life in servers.live() for life in lives)
    finally:
        for life in lives:
            life.stop()
    assert not set(lives) & set(servers.live())
    assert all(_refused(p) for p in ports)


def test_a_reserved_port_is_held_until_released() -> None:
    owner = _Owner()
    life = servers.Lifecycle(owner, "reserve")
    held = life.reserve()
    plain = socket.socket()  # another program binding the port by number (no SO_REUSEADDR)
    try:
        with pytest.raises(OSError) as err:
            plain.bind(("127.0.0.1", held.port))
        assert err.value.errno == errno.EADDRINUSE
        held.release()
        held.release()  # twice is fine
        plain.bind(("127.0.0.1", held.port))
    finally:
        plain.close()
        life.stop()


def test_stop_is_idempotent_runs_last_first_and_frees_the_port() -> None:
    owner = _Owner()
    life = servers.Lifecycle(owner, "order")
    order: list[str] = []
    life.on_stop(lambda: order.append("first registered"))
    thread = life.serve(_http_server(), "order")
    port = life.ports[0]
    life.on_stop(lambda: order.append("last registered"))
    assert life.running and not _refused(port)
    life.stop()
    life.stop()
    assert order == ["last registered", "first registered"]
    assert not life.running and not thread.is_alive() and _refused(port)
    with pytest.raises(CertlabError):
        life.on_stop(lambda: None)  # a stopped lifecycle starts nothing more


def test_lifetime_and_garbage_collection_stop_it() -> None:
    timed = _Owner()
    life = servers.Lifecycle(timed, "lifetime", lifetime=0.2)
    life.serve(_http_server(), "lifetime")
    port = life.ports[0]
    deadline = time.monotonic() + 5
    while life.running and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not life.running and _refused(port)  # shut down *and* closed

    owner = _Owner()
    collected = servers.Lifecycle(owner, "gc")
    collected.serve(_http_server(), "gc")
    port = collected.ports[0]
    del owner
    gc.collect()
    assert not collected.running and _refused(port)


def test_a_handler_may_stop_its_own_server() -> None:
    owner = _Owner()
    life = servers.Lifecycle(owner, "self-stop")
    stopped = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(204)
            self.end_headers()
            life.stop()
            stopped.set()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

    life.serve(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler), "self-stop")
    port = life.ports[0]
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"http://127.0.0.1:{port}/", timeout=5) as resp:
        assert resp.status == 204
    assert stopped.wait(5) and not life.running and _refused(port)


def test_server_threads_leave_sigterm_to_the_main_thread() -> None:
    """Python runs signal handlers in the main thread only: SIGTERM must not land in a server thread."""
    if not os.path.isdir("/proc/self/task"):
        pytest.skip("reads the threads' signal masks from /proc")
    owner = _Owner()
    life = servers.Lifecycle(owner, "mask", lifetime=60)
    thread = life.serve(_http_server(), "mask")
    try:
        timers = [t for t in threading.enumerate() if t.name == "certlab-lifetime-mask"]
        assert len(timers) == 1
        term = 1 << (signal.SIGTERM - 1)
        for t in (thread, timers[0]):
            assert t.native_id is not None
            with open(f"/proc/self/task/{t.native_id}/status") as f:
                blocked = int(next(line for line in f if line.startswith("SigBlk:")).split()[1], 16)
            assert blocked & term, t.name
        assert not signal.pthread_sigmask(signal.SIG_BLOCK, set()) & {signal.SIGTERM}  # the caller's mask is back
    finally:
        life.stop()


def test_a_jupyter_kernel_stops_its_servers_on_sigterm(tmp_path: Path) -> None:
    """What Jupyter does when a kernel ignores the shutdown request: SIGTERM; the stops run in ipykernel too."""
    from jupyter_client import KernelManager

    marker = tmp_path / "stopped.txt"
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(tmp_path))
    kc = km.client()
    try:
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        code = textwrap.dedent(f"""
            import http.server
            from certlab import servers
            class Owner: pass
            owner = Owner()
            life = servers.Lifecycle(owner, "ipykernel-test")
            life.serve(http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler), "ipk")
            life.on_stop(lambda: open({str(marker)!r}, "w").write("stopped"))
            print(life.ports[0])
        """)
        said: list[str] = []
        reply = kc.execute_interactive(code, timeout=60, output_hook=lambda m: said.append(
            m["content"].get("text", "")) if m["msg_type"] == "stream" else None)
        assert reply["content"]["status"] == "ok", reply["content"]
        port = int("".join(said).split()[0])
        assert not _refused(port)
        pid = km.provisioner.pid  # type: ignore[union-attr]
        assert pid is not None
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        while km.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not km.is_alive()
        assert marker.read_text() == "stopped" and _refused(port)
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)
        km.cleanup_resources()
