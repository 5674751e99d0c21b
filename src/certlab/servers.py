"""One lifecycle for every server and process a notebook starts (zoo, TLS, revocation, pebble).

A class of thirty learners runs thirty kernels on one machine: their servers
must never share a port and must never outlive their kernel.  Everything
certlab starts therefore goes through a :class:`Lifecycle`, one per owner
(a ``Zoo``, a ``RevocationService``, a ``Pebble``, one ``serve_https``
block), which stops all it holds, once, at the first of

* ``stop()`` (idempotent, safe from any thread, also from a handler or timer),
* the end of its ``lifetime`` (a timer thread),
* the owner being garbage-collected (``weakref.finalize``),
* the interpreter exiting normally (``weakref.finalize`` runs at exit),
* SIGTERM to the kernel (what Jupyter sends when a graceful shutdown times
  out): a handler stops every live lifecycle, then lets the signal kill the
  process as it would have.  Installed only when nobody else handles SIGTERM.

Ports: in-process servers bind ``127.0.0.1`` port 0, so the kernel picks a
free port and nobody can take it between picking and binding.  A child
process (pebble) cannot be handed a socket, so :meth:`Lifecycle.reserve`
holds the chosen port bound (``SO_REUSEADDR``, not listening) until the child
listens: Linux gives no other port-0 bind that port while it is held, and
a listener that sets ``SO_REUSEADDR`` itself, as Go's do, may still bind it.

Children: :meth:`Lifecycle.spawn` starts each child in its own process group
(``stop`` then ends the child and anything it started: SIGTERM, then SIGKILL)
and on Linux asks the kernel to send it SIGTERM when certlab's process dies,
even by SIGKILL (``prctl(PR_SET_PDEATHSIG)``, prctl(2)).  That signal follows
the *thread* that forked, so every child is forked by one long-lived daemon
thread, whichever thread asked.  Elsewhere the child stays in the kernel's
process group, which Jupyter kills with the kernel.

:func:`live` lists what this process started and has not stopped yet.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import queue
import signal
import socket
import socketserver
import subprocess
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from .errors import CertlabError

__all__ = ["HOST", "Lifecycle", "Reservation", "live", "start_thread", "stop_all"]

HOST = "127.0.0.1"  # every certlab server listens on the loopback interface only
_JOIN_TIMEOUT = 5.0  # seconds a stop waits for a server thread or a child to end
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

# id(lifecycle) -> lifecycle, for every lifecycle not yet stopped (what this kernel started)
_LIVE: dict[int, Lifecycle] = {}


def live() -> tuple[Lifecycle, ...]:
    """Every lifecycle of this process that is still running, oldest first."""
    return tuple(_LIVE.values())


def stop_all() -> None:
    """Stop everything this process started (what SIGTERM and the end of the interpreter run)."""
    for life in reversed(list(_LIVE.values())):
        life.stop()


def start_thread(thread: threading.Thread) -> threading.Thread:
    """Start ``thread`` with SIGTERM blocked in it (and in the threads it starts).

    A process-directed signal goes to any thread that does not block it, and
    Python runs its handler only in the main thread: delivered to a server
    thread, SIGTERM would wait until the main thread next runs Python code,
    which a kernel asleep in a loop may not do for minutes.  A new thread
    inherits the signal mask of the thread that starts it, so the mask is
    set around ``start()`` only.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        thread.start()
        return thread
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        thread.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
    return thread


# --------------------------------------------------------------------------- ports


class Reservation:
    """A loopback port held bound (``SO_REUSEADDR``, not listening) until :meth:`release`.

    ``udp=True`` also checks that the UDP port of the same number is free
    (a DNS server listens on both); UDP cannot be held for a child that binds
    without ``SO_REUSEADDR``, so only TCP stays held.
    """

    def __init__(self, *, udp: bool = False) -> None:
        for _ in range(50):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((HOST, 0))
            port = int(sock.getsockname()[1])
            if udp:
                try:
                    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                        probe.bind((HOST, port))
                except OSError:
                    sock.close()
                    continue
            self._sock: socket.socket | None = sock
            self.port = port
            return
        raise CertlabError("port", f"no free port on {HOST}", "50 tries")

    def release(self) -> None:
        """Let go of the port (idempotent): call once the child listens on it."""
        sock, self._sock = self._sock, None
        if sock is not None:
            sock.close()

    def __repr__(self) -> str:
        return f"<Reservation {HOST}:{self.port} {'held' if self._sock is not None else 'released'}>"


# --------------------------------------------------------------------------- children


class _Spawner:
    """The one thread that forks every child, so PR_SET_PDEATHSIG lasts as long as the process."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], subprocess.Popen[bytes]], queue.SimpleQueue[Any]]] = \
            queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def run(self, make: Callable[[], subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = start_thread(threading.Thread(target=self._loop, name="certlab-spawner",
                                                             daemon=True))
        answer: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._jobs.put((make, answer))
        result = answer.get()
        if isinstance(result, BaseException):
            raise result
        proc: subprocess.Popen[bytes] = result
        return proc

    def _loop(self) -> None:  # pragma: no cover - exercised through spawn()
        while True:
            make, answer = self._jobs.get()
            try:
                answer.put(make())
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, raised there
                answer.put(exc)


_SPAWNER = _Spawner()


def _pdeathsig() -> Callable[[], None] | None:
    """A preexec function that makes the child get SIGTERM when this process dies (Linux), or None."""
    if not os.uname().sysname == "Linux":
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: the child only calls it
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def setup() -> None:  # pragma: no cover - runs in the child, between fork and exec
        # the spawner thread blocks SIGTERM (start_thread) and a mask survives exec: unblock it
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM))
        if os.getppid() != parent:  # the parent died before prctl: nobody would send the signal
            os._exit(1)

    return setup


def _end_process(proc: subprocess.Popen[bytes], own_group: bool) -> None:
    """SIGTERM the child (its whole process group when it has one), then SIGKILL what is left."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if proc.poll() is not None:
            break
        try:
            if own_group:
                os.killpg(proc.pid, sig)
            else:
                proc.send_signal(sig)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=_JOIN_TIMEOUT / 2)
        except subprocess.TimeoutExpired:
            continue
    # no group signal once the child is reaped: its number may then belong to someone else
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


# --------------------------------------------------------------------------- the lifecycle


def _run_stops(key: int, stops: list[Callable[[], None]], timer: list[threading.Timer]) -> None:
    """Run every stop of one lifecycle, last registered first (the finalizer: runs once)."""
    _LIVE.pop(key, None)
    for t in timer:
        t.cancel()
    while stops:
        stop = stops.pop()
        try:
            stop()
        except Exception:  # noqa: BLE001 - one failed stop must not keep the others running
            pass


class Lifecycle:
    """Everything one ``owner`` started: stopped together, once (see the module docstring).

    ``owner`` is only weakly referenced: when it is garbage-collected its
    servers stop.  Stops run in the reverse order of registration, like
    :class:`contextlib.ExitStack`.  ``name`` labels the threads and :func:`live`.
    """

    def __init__(self, owner: object, name: str, *, lifetime: float | None = None) -> None:
        self.name = name
        self.ports: list[int] = []
        self.pids: list[int] = []
        self._stops: list[Callable[[], None]] = []
        self._timer: list[threading.Timer] = []
        key = id(self)
        self._finalizer = weakref.finalize(owner, _run_stops, key, self._stops, self._timer)
        _LIVE[key] = self
        _install_sigterm()
        if lifetime is not None:
            timer = threading.Timer(lifetime, self._finalizer)  # the finalizer, never the owner
            timer.daemon = True
            timer.name = f"certlab-lifetime-{name}"
            self._timer.append(timer)
            start_thread(timer)

    @property
    def running(self) -> bool:
        return self._finalizer.alive

    def stop(self) -> None:
        """Stop everything of this lifecycle (idempotent; safe from any thread)."""
        self._finalizer()

    def _check(self) -> None:
        if not self._finalizer.alive:
            raise CertlabError("server", "was already stopped; start a new one", self.name)

    def on_stop(self, stop: Callable[[], None]) -> None:
        """Run ``stop`` when the lifecycle ends (it must not hold the owner, or the owner is never collected)."""
        self._check()
        self._stops.append(stop)

    def serve(self, server: socketserver.BaseServer, name: str, *, poll_interval: float = 0.05) -> threading.Thread:
        """Run ``server.serve_forever`` in a daemon thread; stopping shuts it down and closes its socket."""
        self._check()
        port = int(server.server_address[1])  # type: ignore[index]
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": poll_interval},
                                  name=f"certlab-{name}-{port}", daemon=True)
        start_thread(thread)  # its request threads inherit the blocked SIGTERM
        self.ports.append(port)

        def stop() -> None:
            if threading.current_thread() is not thread:  # shutdown() from its own thread would wait forever
                server.shutdown()
            server.server_close()  # the listening socket: without this the port stays taken
            if threading.current_thread() is not thread:
                thread.join(timeout=_JOIN_TIMEOUT)

        self._stops.append(stop)
        return thread

    def listen(self, *, backlog: int = 16, timeout: float = 0.2) -> socket.socket:
        """A TCP socket listening on 127.0.0.1 port 0 (for servers with their own accept loop); closed at stop."""
        self._check()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind((HOST, 0))
            sock.listen(backlog)
        except OSError:
            sock.close()
            raise
        sock.settimeout(timeout)
        self.ports.append(int(sock.getsockname()[1]))
        self._stops.append(sock.close)
        return sock

    def reserve(self, *, udp: bool = False) -> Reservation:
        """A port for a child process, held until :meth:`Reservation.release` (or the stop)."""
        self._check()
        reservation = Reservation(udp=udp)
        self.ports.append(reservation.port)
        self._stops.append(reservation.release)
        return reservation

    def spawn(self, argv: Sequence[str], **popen: Any) -> subprocess.Popen[bytes]:
        """Start a child (``subprocess.Popen(argv, **popen)``) that stops with this lifecycle and with the process."""
        self._check()
        setup = _pdeathsig()
        own_group = setup is not None  # Linux: own group + PDEATHSIG; elsewhere: the kernel's group
        if setup is not None:
            popen = dict(popen, process_group=0, preexec_fn=setup)
            proc = _SPAWNER.run(lambda: subprocess.Popen(list(argv), **popen))
        else:
            proc = subprocess.Popen(list(argv), **popen)
        self.pids.append(proc.pid)
        self._stops.append(lambda: _end_process(proc, own_group))
        return proc

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<Lifecycle {self.name} {state} ports={self.ports} pids={self.pids}>"


# --------------------------------------------------------------------------- SIGTERM

_SIGTERM_INSTALLED = False


def _on_sigterm(signum: int, frame: Any) -> None:
    try:
        stop_all()
    finally:
        # then die of SIGTERM, as the process would have without us
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)


def _install_sigterm() -> None:
    """Stop everything on SIGTERM, when we are in the main thread and SIGTERM has its default action."""
    global _SIGTERM_INSTALLED
    if _SIGTERM_INSTALLED or threading.current_thread() is not threading.main_thread():
        return
    try:
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError, AttributeError):  # no signals here (an embedded interpreter, Windows' limits)
        return
    _SIGTERM_INSTALLED = True
