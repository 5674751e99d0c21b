"""A real JupyterHub on 127.0.0.1 for the tests and the classroom load test.

:class:`Hub` starts ``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py``
(the workshop's own config, nothing test-only but an admin API token and the
folders) on a free port with ``configurable-http-proxy`` from npm, and stops
it with everything it started. :class:`Learner` is one learner's server seen
through the hub's proxy: the contents API and kernels driven over the
websocket (Jupyter messaging protocol 5.3), as a browser would.

Standard library + tornado (a dependency of jupyter_server) only.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
#: where ``./dev`` installs configurable-http-proxy (npm --prefix)
NPM_PREFIX = REPO / ".cache" / "npm"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def find_proxy() -> str | None:
    """configurable-http-proxy: ``CERTLAB_HUB_PROXY``, ``./dev``'s npm prefix, or PATH."""
    explicit = os.environ.get("CERTLAB_HUB_PROXY")
    if explicit and os.access(explicit, os.X_OK):
        return explicit
    local = NPM_PREFIX / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return str(local)
    return shutil.which("configurable-http-proxy")


def have_jupyterhub() -> bool:
    try:
        import jupyterhub  # noqa: F401
        import jupyterhub_idle_culler  # noqa: F401
    except ImportError:
        return False
    return True


def token_request(token: str, method: str, url: str, body: Any = None) -> Any:
    """One JSON request with a hub API token (the hub's REST API and a learner's server alike)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        url, data=data, method=method,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        raw = resp.read()
    return json.loads(raw) if raw else None


class Hub:
    """A JupyterHub process with the workshop config; a context manager."""

    def __init__(
        self,
        root: Path,
        *,
        cull_timeout: int = 3600,
        cull_every: int = 300,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.root = Path(root)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.token = secrets.token_hex(24)
        self.password = "class-" + secrets.token_hex(6)
        self.homes = self.root / "homes"
        self.log_path = self.root / "hub.log"
        proxy = find_proxy()
        if proxy is None:
            raise RuntimeError("configurable-http-proxy not found (npm install configurable-http-proxy)")
        self.env = dict(
            os.environ,
            CERTLAB_HUB_PORT=str(self.port),
            CERTLAB_HUB_STATE=str(self.root / "state"),
            CERTLAB_HUB_HOMES=str(self.homes),
            CERTLAB_HUB_PASSWORD=self.password,
            CERTLAB_HUB_API_TOKEN=self.token,
            CERTLAB_HUB_PROXY=proxy,
            CERTLAB_HUB_CULL_TIMEOUT=str(cull_timeout),
            CERTLAB_HUB_CULL_EVERY=str(cull_every),
            PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
            **(extra_env or {}),
        )
        self.proc: subprocess.Popen[bytes] | None = None
        #: processes the hub had started that were still alive after it exited
        #: (filled by :meth:`stop`, before anything is killed by force)
        self.leftover: list[str] = []

    # -- lifecycle
    def __enter__(self) -> Hub:
        self.root.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)],
            cwd=self.root,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "")
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"jupyterhub did not answer in 90 s:\n{self.log_tail()}")

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """SIGTERM (the hub stops every server, the proxy and the culler), then the group."""
        if self.proc is None:
            return
        started = descendants(self.proc.pid)  # single-user servers run in sessions of their own
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                # the hub stops its services (the culler: up to 30 s) and then every server, each
                # shutting its kernels down: on a loaded machine that takes more than a minute
                self.proc.wait(240)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        time.sleep(0.5)
        self.leftover = [cmdline(p) for p in started if cmdline(p)]
        for pid in started:  # whatever the hub failed to stop (self.leftover says so)
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._log.close()
        self.proc = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    # -- the REST API (https://jupyterhub.readthedocs.io/en/stable/reference/rest-api.html)
    def api(self, method: str, path: str, body: Any = None) -> Any:
        return token_request(self.token, method, self.url + "hub/api/" + path.lstrip("/"), body)

    def add_learners(self, names: list[str]) -> None:
        self.api("POST", "users", {"usernames": names})

    def start_server(self, name: str, timeout: float = 180) -> Learner:
        try:
            self.api("POST", f"users/{name}/server")
        except urllib.error.HTTPError as exc:
            if exc.code != 400:  # 400: already running
                raise
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            user = self.api("GET", f"users/{name}")
            server = (user.get("servers") or {}).get("")
            if server and server.get("ready"):
                return Learner(self, name, server)
            time.sleep(0.5)
        raise RuntimeError(f"{name}'s server was not ready in {timeout:.0f} s:\n{self.log_tail()}")

    def running_servers(self) -> dict[str, dict[str, Any]]:
        out = {}
        for user in self.api("GET", "users?state=active"):
            for sname, server in (user.get("servers") or {}).items():
                out[f"{user['name']}/{sname}"] = server
        return out

    def login(self, name: str, password: str) -> int:
        """Log in through the form as a browser does; returns the final HTTP status."""
        import http.cookiejar

        jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
        with opener.open(self.url + "hub/login", timeout=30) as resp:
            resp.read()
        xsrf = next((c.value for c in jar if c.name == "_xsrf"), "")
        form = urllib.parse.urlencode({"username": name, "password": password, "_xsrf": xsrf}).encode()
        try:
            with opener.open(self.url + "hub/login?next=", data=form, timeout=30) as resp:
                return int(resp.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)



@dataclass
class CellResult:
    ok: bool
    seconds: float
    error: str = ""
    stdout: str = ""


@dataclass
class Learner:
    hub: Hub
    name: str
    server: dict[str, Any]
    base: str = field(init=False)

    def __post_init__(self) -> None:
        self.base = self.hub.url.rstrip("/") + self.server["url"]

    def get(self, path: str) -> Any:
        return token_request(self.hub.token, "GET", self.base + path.lstrip("/"))

    def post(self, path: str, body: Any) -> Any:
        return token_request(self.hub.token, "POST", self.base + path.lstrip("/"), body)

    def delete(self, path: str) -> None:
        token_request(self.hub.token, "DELETE", self.base + path.lstrip("/"))

    def notebook(self, path: str) -> dict[str, Any]:
        return dict(self.get(f"api/contents/{path}?content=1")["content"])

    def open_session(self, path: str) -> tuple[str, str]:
        """A kernel for notebook ``path`` (its working folder is the notebook's), as JupyterLab opens one."""
        session = self.post(
            "api/sessions", {"path": path, "name": Path(path).name, "type": "notebook", "kernel": {"name": "python3"}}
        )
        return str(session["kernel"]["id"]), str(session["id"])


class KernelClient:
    """One kernel's websocket: execute code, collect stdout and errors."""

    def __init__(self, learner: Learner, kernel_id: str) -> None:
        self.learner = learner
        self.kernel_id = kernel_id
        self.session = uuid.uuid4().hex
        self.ws: Any = None

    async def connect(self) -> None:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = self.learner.base.replace("http://", "ws://") + f"api/kernels/{self.kernel_id}/channels"
        # a loaded machine (30 learners on 2 cores) can take longer than tornado's 20 s default to
        # answer the upgrade: a learner waits, as a browser does, rather than fail
        req = HTTPRequest(url, headers={"Authorization": f"token {self.learner.hub.token}"},
                          connect_timeout=180, request_timeout=180)
        self.ws = await websocket_connect(req, max_message_size=256 * 1024 * 1024)

    async def execute(self, code: str, timeout: float = 300) -> CellResult:
        msg_id = uuid.uuid4().hex
        msg = {
            "header": {
                "msg_id": msg_id,
                "msg_type": "execute_request",
                "username": self.learner.name,
                "session": self.session,
                "date": "",
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": {},
            "content": {
                "code": code,
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
            "channel": "shell",
            "buffers": [],
        }
        start = time.perf_counter()
        await self.ws.write_message(json.dumps(msg))
        stdout: list[str] = []
        error = ""
        reply_status = None
        idle = False
        deadline = time.monotonic() + timeout
        while not (idle and reply_status is not None):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return CellResult(False, time.perf_counter() - start, f"timeout after {timeout:.0f} s", "".join(stdout))
            raw = await asyncio.wait_for(self.ws.read_message(), remaining)
            if raw is None:
                return CellResult(False, time.perf_counter() - start, "websocket closed", "".join(stdout))
            if isinstance(raw, bytes):  # binary frames carry widget buffers; not ours to read
                continue
            reply = json.loads(raw)
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = reply["header"]["msg_type"]
            content = reply.get("content", {})
            if kind == "stream" and content.get("name") == "stdout":
                stdout.append(content.get("text", ""))
            elif kind == "error":
                error = f"{content.get('ename')}: {content.get('evalue')}"
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
            elif kind == "execute_reply":
                reply_status = content.get("status")
                if reply_status != "ok" and not error:
                    error = f"{content.get('ename')}: {content.get('evalue')}"
        return CellResult(reply_status == "ok" and not error, time.perf_counter() - start, error, "".join(stdout))

    async def close(self) -> None:
        if self.ws is not None:
            self.ws.close()


def run_async(coro: Any) -> Any:
    """Run a coroutine to completion in a thread of its own.

    ``asyncio.run`` refuses to start where a loop is already running in this
    thread — as it is in a pytest worker that holds Playwright's sync API open
    for the browser tests — so the hub's websocket clients get their own thread.
    """
    import threading

    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    thread = threading.Thread(target=target, name="hub-client", daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def code_cells(notebook: dict[str, Any]) -> Iterator[str]:
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            src = cell.get("source", "")
            yield "".join(src) if isinstance(src, list) else src


def children_map() -> dict[int, list[int]]:
    """{parent pid: its children's pids} of every live process (one pass over /proc; Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def descendants(pid: int, children: dict[int, list[int]] | None = None) -> list[int]:
    """Every live process below ``pid``; pass one :func:`children_map` to ask about many pids."""
    if children is None:
        children = children_map()
    out: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def listening_sockets() -> dict[int, int]:
    """{socket inode: port} of TCP sockets in LISTEN on this machine (IPv4 and IPv6), from /proc/net."""
    out: dict[int, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if len(parts) > 9 and parts[3] == "0A":
                out[int(parts[9])] = int(parts[1].rsplit(":", 1)[1], 16)
    return out


def socket_inodes(pid: int) -> set[int]:
    out = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                out.add(int(target[8:-1]))
    except OSError:
        pass
    return out


def rss_kb(pid: int) -> int:
    """Resident set size of one process, in KiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
