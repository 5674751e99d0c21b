"""A class of N learners on the workshop's JupyterHub, measured with real parts.

Run: ``.venv/bin/python benchmarks/bench_classroom.py [--learners 1,10,30] [--no-browser]``

For each N, on this machine:

1. the JupyterHub of ``deploy/jupyterhub/`` starts on a free 127.0.0.1 port
   (``tests/hub_harness.py``: configurable-http-proxy from npm, the idle
   culler, notebooks copied on each learner's first start);
2. N learners are created through the hub's REST API and their servers
   started;
3. all N at once (or one after another over ``--start-spread-s``), each
   through their own server's websocket API (the messaging protocol
   JupyterLab speaks): open each notebook of ``--notebooks`` in a kernel of
   its own (its folder as working directory), run it cell by cell with
   ``--think-s`` after each cell, or, with ``--reading-wpm``, after reading
   the text before each cell at a rate of their own (a learner reading), shut
   the kernel down (a learner moving on), then in a last kernel make
   ``--edits`` live edits on a ``CertificateLab`` from kernel code;
4. meanwhile one more learner, in real headless Chromium, types common names
   into their own lab (the page of ``benchmarks/bench_lab_browser.py``) and
   measures edit -> every view on screen, against the bare echo widget in the
   same page, until the class is done;
5. a sampler reads every process's RSS from /proc twice a second: peak per
   learner (single-user server + its kernels + anything they start) and in
   total (plus the hub and the proxy);
6. the hub is stopped; processes it started that are still alive, and
   127.0.0.1 ports listening that were not before, are counted.

Floors (N = 30 against N = 1, this 2-core machine): every cell succeeds, zero
leftover processes and ports, the Chromium learner's p95 at most 3x its own
N = 1 figure, and certlab's share of a learner's kernel at most 30 MB above a
bare kernel (``import cryptography.x509, ipywidgets``) measured in the same
hub. Printed PASS/FAIL; exit status 1 on a miss. Not a timed test: the suite
runs a small version (``tests/test_hub.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.hub_harness import (  # noqa: E402
    CellResult,
    Hub,
    KernelClient,
    Learner,
    children_map,
    cmdline,
    descendants,
    listening_sockets,
    rss_kb,
    run_async,
    socket_inodes,
)

DEFAULT_NOTEBOOKS = "00,01,02,03,05,07,08"
LATENCY_RATIO_FLOOR = 3.0
SHARE_FLOOR_MB = 30.0
# the load generator's priority (the simulated learners' clients and the RSS sampler): what
# stands for thirty laptops and a monitor must not take the CPU from the hub it measures
LOAD_NICE = 10

_BARE = "import cryptography.x509, ipywidgets"
_RSS = (
    "import re\n"
    "print(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read()).group(1))"
)
_EDITS = """\
import time
import certlab.widgets as w
lab = w.CertificateLab(mode="self-signed")
_times = []
for _i in range({edits}):
    _t = time.perf_counter()
    lab.fields["common_name"].value = f"edit{{_i}}.{name}.example"
    _times.append((time.perf_counter() - _t) * 1000)
print(" ".join(f"{{t:.1f}}" for t in _times))
"""


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


# Adults read non-fiction silently at about 238 words a minute (Brysbaert 2019, "How many
# words do we read per minute?", Journal of Memory and Language 109, 104047); each learner
# reads at a rate of their own, drawn once between 0.75x and 1.25x of --reading-wpm.
READING_WPM = 238.0


@dataclass(frozen=True)
class Pace:
    """How a learner moves through a notebook: a fixed pause after each cell, or reading.

    ``wpm`` set: before each code cell the learner reads the markdown since the previous
    code cell and the cell's own code at ``wpm`` words a minute (``think_s`` is then not
    used). ``start_s``: when this learner starts, after the class does.
    """

    think_s: float = 0.0
    wpm: float | None = None
    start_s: float = 0.0

    def before(self, words: int) -> float:
        return words * 60.0 / self.wpm if self.wpm else 0.0

    def after(self) -> float:
        return 0.0 if self.wpm else self.think_s


def paced_cells(notebook: dict[str, Any]) -> list[tuple[str, int]]:
    """Each code cell's source with the words a learner reads before running it."""
    out: list[tuple[str, int]] = []
    words = 0
    for cell in notebook.get("cells", []):
        src = cell.get("source", "")
        text = "".join(src) if isinstance(src, list) else src
        words += len(text.split())
        if cell.get("cell_type") == "code":
            out.append((text, words))
            words = 0
    return out


def class_paces(n: int, think_s: float, wpm: float | None, spread_s: float, seed: int = 2026) -> list[Pace]:
    """One pace per learner: the same fixed pause, or reading rates around ``wpm``; starts spread evenly."""
    rng = random.Random(seed)
    return [Pace(think_s=think_s, wpm=wpm * rng.uniform(0.75, 1.25) if wpm else None,
                 start_s=spread_s * i / max(n, 1)) for i in range(n)]


@dataclass
class LearnerRun:
    name: str
    cells: list[tuple[str, CellResult]] = field(default_factory=list)
    notebook_seconds: dict[str, float] = field(default_factory=dict)
    edit_ms: list[float] = field(default_factory=list)
    kernel_rss_kb: int = 0
    error: str = ""


class Sampler(threading.Thread):
    """Peak RSS per learner (server + descendants) and of everything the hub runs."""

    def __init__(self, hub: Hub, homes: Path) -> None:
        super().__init__(daemon=True)
        self.hub = hub
        self.homes = str(homes)
        self.stop_event = threading.Event()
        self.peak_learner_kb: dict[str, int] = {}
        self.peak_total_kb = 0
        #: listening sockets (inode -> port) seen held by the hub's processes
        self.listening: dict[int, int] = {}
        #: CPU time this sampling thread took
        self.cpu_s = 0.0

    def run(self) -> None:
        assert self.hub.proc is not None
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOAD_NICE)  # this thread only (Linux)
        root = self.hub.proc.pid
        # one pass over /proc per sample, shared by every learner; a process's sockets are
        # read only when a listening socket appears that is not yet attributed (at N = 30 the
        # sampler otherwise read ~9,000 files twice a second, load no real class has)
        known: set[int] = set()
        unclaimed: dict[int, int] = {}  # listening, found in no hub process's sockets yet: passes so far
        while not self.stop_event.wait(0.5):
            started = time.thread_time()
            children = children_map()
            everything = [root, *descendants(root, children)]
            rss = {pid: rss_kb(pid) for pid in everything}
            self.peak_total_kb = max(self.peak_total_kb, sum(rss.values()))
            table = listening_sockets()
            new = table.keys() - known
            if new:
                for pid in everything:
                    for inode in socket_inodes(pid) & table.keys():
                        self.listening[inode] = table[inode]
                for inode in new:  # someone else's, after three looks (a process forked mid-pass is seen next time)
                    unclaimed[inode] = unclaimed.get(inode, 0) + 1
                    if inode in self.listening or unclaimed[inode] >= 3:
                        known.add(inode)
            for pid in everything:
                if "jupyterhub.singleuser" in cmdline(pid):
                    name = self._owner(pid)
                    kb = sum(rss.get(p, 0) for p in [pid, *descendants(pid, children)])
                    if name:
                        self.peak_learner_kb[name] = max(self.peak_learner_kb.get(name, 0), kb)
            self.cpu_s += time.thread_time() - started

    def _owner(self, pid: int) -> str:
        try:
            cwd = str(Path(f"/proc/{pid}/cwd").resolve())
        except OSError:
            return ""
        if cwd.startswith(self.homes):
            return Path(cwd).relative_to(self.homes).parts[0]
        return ""


def _cpu_self() -> float:
    """CPU seconds this benchmark process has used so far (every thread)."""
    t = os.times()
    return t.user + t.system


async def _io(func: Any, *args: Any) -> Any:
    """A blocking REST call off the event loop: every learner's websocket keeps answering
    the server's pings meanwhile (jupyter_server closes a socket whose pongs are late)."""
    return await asyncio.to_thread(func, *args)


async def run_learner(learner: Learner, notebooks: list[str], edits: int, pace: Pace = Pace()) -> LearnerRun:
    run = LearnerRun(learner.name)
    stage = "listing"
    if pace.start_s:
        await asyncio.sleep(pace.start_s)
    try:
        listing = {f["name"] for f in (await _io(learner.get, "api/contents/certlab-notebooks"))["content"]}
        for prefix in notebooks:
            name = next((n for n in sorted(listing) if n.startswith(prefix + "-") and n.endswith(".ipynb")), None)
            if name is None:
                continue
            path = f"certlab-notebooks/{name}"
            stage = name
            kernel_id, session_id = await _io(learner.open_session, path)
            client = KernelClient(learner, kernel_id)
            start = time.perf_counter()
            try:
                await client.connect()
                for code, words in paced_cells(await _io(learner.notebook, path)):
                    if pace.before(words):  # reading the text before the cell, and the cell
                        await asyncio.sleep(pace.before(words))
                    result = await client.execute(code)
                    run.cells.append((name, result))
                    if not result.ok:
                        break
                    if pace.after():  # a learner looks at the output before the next cell
                        await asyncio.sleep(pace.after())
            finally:
                run.notebook_seconds[name] = time.perf_counter() - start
                await client.close()
                await _io(learner.delete, f"api/sessions/{session_id}")  # shuts the kernel down
        stage = "edits"
        kernel_id, session_id = await _io(learner.open_session, "certlab-notebooks/edits.ipynb")
        client = KernelClient(learner, kernel_id)
        try:
            await client.connect()
            result = await client.execute(_EDITS.format(edits=edits, name=learner.name))
            run.cells.append(("edits", result))
            if result.ok:
                run.edit_ms = [float(x) for x in result.stdout.split()]
            rss = await client.execute(_RSS)
            run.kernel_rss_kb = int(rss.stdout.strip() or 0)
        finally:
            await client.close()
            await _io(learner.delete, f"api/sessions/{session_id}")
    except Exception as exc:  # a learner's failure is a figure, not the end of the run
        run.error = f"{stage}: {type(exc).__name__}: {exc}"
    return run


async def bare_kernel_kb(learner: Learner) -> int:
    kernel_id, session_id = learner.open_session("bare.ipynb")
    client = KernelClient(learner, kernel_id)
    await client.connect()
    try:
        await client.execute(_BARE)
        rss = await client.execute(_RSS)
        return int(rss.stdout.strip() or 0)
    finally:
        await client.close()
        learner.delete(f"api/sessions/{session_id}")


class BrowserLearner(threading.Thread):
    """The Chromium learner: their own lab + echo, edits until told to stop."""

    def __init__(self, hub: Hub, learner: Learner, min_edits: int, gap_ms: int) -> None:
        super().__init__(daemon=True)
        self.hub = hub
        self.learner = learner
        self.min_edits = min_edits
        self.gap_ms = gap_ms
        self.stop_event = threading.Event()
        self.ready = threading.Event()
        self.lab_ms: list[float] = []
        self.echo_ms: list[float] = []
        self.error = ""

    def run(self) -> None:
        try:
            self._run()
        except Exception as exc:
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.ready.set()

    def _run(self) -> None:
        import nbformat
        from playwright.sync_api import sync_playwright

        import lab_page
        from tests.browser.harness import LabPage, find_chromium, launch_chromium

        chromium = find_chromium()
        if chromium is None:
            raise RuntimeError("Chromium not found")
        home = self.hub.homes / self.learner.name
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(lab_page.CELL)]
        nbformat.write(nb, home / "bench_lab.ipynb")

        class _Server:  # what LabPage needs of a server: its URL, a token, its root folder
            url = self.learner.base
            token = ""  # logged in by the hub's form below, as a learner is (no token in URLs)
            root_dir = home

        with sync_playwright() as pw:
            browser = launch_chromium(pw, chromium)
            try:
                context = browser.new_context(viewport={"width": 1400, "height": 857})
                context.set_default_timeout(120_000)
                page = context.new_page()
                frames = lab_page.Frames(page)
                page.goto(self.hub.url + "hub/login", wait_until="domcontentloaded")
                page.fill("#username_input", self.learner.name)
                page.fill("#password_input", self.hub.password)
                page.click("#login_submit")
                page.wait_for_url(f"**/user/{self.learner.name}/**", timeout=180_000)
                lab = LabPage(page, _Server())  # type: ignore[arg-type]
                lab.open_notebook("bench_lab.ipynb", timeout=180)
                lab.run_all(timeout=300)
                page.locator(".certlab-lab .certlab-view-fields .certlab-view").first.wait_for(state="visible")
                lab_page.run_pasted(lab, frames, "warm", "Fields", ".certlab-view-fields", 2, self.gap_ms, 0)
                self.ready.set()
                while not self.stop_event.is_set() or len(self.lab_ms) < self.min_edits:
                    r = lab_page.run_pasted(lab, frames, "class", "Fields", ".certlab-view-fields", 1, self.gap_ms, 0)
                    self.lab_ms += r["lab"]
                    self.echo_ms += r["echo"]
            finally:
                browser.close()


def run_class(n: int, notebooks: list[str], edits: int, with_browser: bool, browser_edits: int,
              gap_ms: int, paces: list[Pace]) -> dict[str, Any]:
    """One class of ``n`` in a temporary folder, removed afterwards (the hub's log is kept in artifacts/)."""
    root = Path(tempfile.mkdtemp(prefix=f"certlab-class{n}-"))
    try:
        return _run_class(root, n, notebooks, edits, with_browser, browser_edits, gap_ms, paces)
    finally:
        log = root / "hub.log"
        if log.is_file():
            (REPO / "artifacts").mkdir(exist_ok=True)
            shutil.copyfile(log, REPO / "artifacts" / f"classroom-{n}-hub.log")
        shutil.rmtree(root, ignore_errors=True)


def _run_class(root: Path, n: int, notebooks: list[str], edits: int, with_browser: bool, browser_edits: int,
               gap_ms: int, paces: list[Pace]) -> dict[str, Any]:
    out: dict[str, Any] = {"n": n}
    # window.jupyterapp, for the Chromium learner's page (tests/browser/harness.py)
    hub = Hub(root, extra_env={"CERTLAB_HUB_SINGLEUSER_ARGS": "--LabApp.expose_app_in_browser=True"})
    t_start = time.perf_counter()
    with hub:
        names = [f"learner{i:02d}" for i in range(1, n + 1)]
        hub.add_learners(names + ["bare"] + (["chromium"] if with_browser else []))
        sampler = Sampler(hub, hub.homes)
        sampler.start()
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=10) as pool:
            learners = list(pool.map(hub.start_server, names))
        out["spawn_s"] = time.perf_counter() - t0
        bare = hub.start_server("bare")
        out["bare_kernel_kb"] = run_async(bare_kernel_kb(bare))
        hub.api("DELETE", "users/bare/server")
        browser: BrowserLearner | None = None
        if with_browser:
            browser = BrowserLearner(hub, hub.start_server("chromium"), browser_edits, gap_ms)
            browser.start()
            browser.ready.wait(600)

        async def everyone() -> list[LearnerRun]:
            # the simulated learners' clients stand for thirty laptops, not for this server:
            # they run niced (their thread, and the threads it starts), so that the system
            # under test, and the Chromium learner, get the CPU first; their time is reported
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOAD_NICE)
            return list(await asyncio.gather(*(run_learner(lr, notebooks, edits, pace) for lr, pace in zip(learners, paces))))

        t0, cpu0 = time.perf_counter(), _cpu_self()
        runs = run_async(everyone())
        out["class_s"] = time.perf_counter() - t0
        out["bench_cpu_s"] = _cpu_self() - cpu0
        if browser is not None:
            browser.stop_event.set()
            browser.join(900)
            out["browser_error"] = browser.error
            out["lab_ms"] = browser.lab_ms
            out["echo_ms"] = browser.echo_ms
        sampler.stop_event.set()
        sampler.join()
        out["sampler_cpu_s"] = sampler.cpu_s
    out["total_s"] = time.perf_counter() - t_start
    time.sleep(1)
    out["leftover_processes"] = hub.leftover
    still = listening_sockets()
    # a port the hub's processes listened on that is still listening after the hub stopped
    out["leftover_ports"] = sorted(port for inode, port in sampler.listening.items() if inode in still)
    out["ports_seen"] = len(sampler.listening)
    out["runs"] = runs
    out["peak_learner_kb"] = sampler.peak_learner_kb
    out["peak_total_kb"] = sampler.peak_total_kb
    return out


def report(r: dict[str, Any]) -> None:
    runs: list[LearnerRun] = r["runs"]
    cells = [res for run in runs for _nb, res in run.cells]
    failed = [(run.name, nb, res.error) for run in runs for nb, res in run.cells if not res.ok]
    errors = [(run.name, run.error) for run in runs if run.error]
    print(f"\n== N = {r['n']} learners{' (+1 in Chromium)' if 'lab_ms' in r else ''} ==  spawn {r['spawn_s']:.1f} s, class {r['class_s']:.1f} s,"
          f" total {r['total_s']:.1f} s")
    print(f"cells: {len(cells) - len(failed)}/{len(cells)} succeeded; learner errors: {len(errors)}")
    if "bench_cpu_s" in r:
        print(f"load generator (the learners' clients and the sampler, nice {LOAD_NICE}): {r['bench_cpu_s']:.1f} CPU s "
              f"in {r['class_s']:.0f} s ({r['bench_cpu_s'] / max(r['class_s'], 1e-9):.2f} cores), "
              f"of which sampling {r.get('sampler_cpu_s', 0):.1f} s")
    for item in (failed + errors)[:8]:
        print("   ", item)
    per_nb: dict[str, list[float]] = {}
    for run in runs:
        for nb, s in run.notebook_seconds.items():
            per_nb.setdefault(nb, []).append(s)
    print(f"{'notebook':28}{'p50 s':>8}{'p95 s':>8}")
    for nb in sorted(per_nb):
        print(f"{nb:28}{pct(per_nb[nb], .5):8.1f}{pct(per_nb[nb], .95):8.1f}")
    edit_ms = [t for run in runs for t in run.edit_ms]
    print(f"kernel-side lab edits: {len(edit_ms)}, p50 {pct(edit_ms, .5):.0f} ms, p95 {pct(edit_ms, .95):.0f} ms")
    if "lab_ms" in r:
        lab, echo = r["lab_ms"], r["echo_ms"]
        print(f"Chromium learner: {len(lab)} edits, lab p50 {pct(lab, .5):.0f} ms p95 {pct(lab, .95):.0f} ms; "
              f"echo p50 {pct(echo, .5):.0f} ms p95 {pct(echo, .95):.0f} ms; "
              f"ratio p50 {pct(lab, .5) / pct(echo, .5):.2f}x  {r.get('browser_error') or ''}")
    peaks = sorted(v / 1024 for k, v in r["peak_learner_kb"].items() if k.startswith("learner"))
    if peaks:
        print(f"peak RSS per learner (server + kernel): median {statistics.median(peaks):.0f} MB, "
              f"max {max(peaks):.0f} MB; everything: {r['peak_total_kb'] / 1024:.0f} MB")
    shares = [(run.kernel_rss_kb - r["bare_kernel_kb"]) / 1024 for run in runs if run.kernel_rss_kb]
    if shares:
        print(f"certlab's share of a kernel after the lab edits: median {statistics.median(shares):.1f} MB, "
              f"max {max(shares):.1f} MB above a bare kernel ({r['bare_kernel_kb'] / 1024:.0f} MB)")
    print(f"left over: {len(r['leftover_processes'])} processes, ports {r['leftover_ports']}"
          f" (of {r['ports_seen']} listening ports the class used)")


def checks(results: dict[int, dict[str, Any]]) -> list[tuple[str, bool]]:
    out = []
    big = results[max(results)]
    small = results[min(results)]
    for n, r in sorted(results.items()):
        runs: list[LearnerRun] = r["runs"]
        bad = sum(1 for run in runs for _nb, res in run.cells if not res.ok) + sum(1 for run in runs if run.error)
        out.append((f"N={n}: failed cells or learners {bad} == 0", bad == 0))
        left = len(r["leftover_processes"]) + len(r["leftover_ports"])
        out.append((f"N={n}: leftover processes + ports {left} == 0", left == 0))
    if "lab_ms" in big and "lab_ms" in small and big is not small:
        p_big, p_small = pct(big["lab_ms"], 0.95), pct(small["lab_ms"], 0.95)
        out.append((f"Chromium p95 at N={big['n']} {p_big:.0f} ms <= {LATENCY_RATIO_FLOOR:.0f}x N={small['n']}"
                    f" {p_small:.0f} ms (ratio {p_big / p_small:.2f})", p_big <= LATENCY_RATIO_FLOOR * p_small))
    shares = [(run.kernel_rss_kb - big["bare_kernel_kb"]) / 1024 for run in big["runs"] if run.kernel_rss_kb]
    if shares:
        worst = max(shares)
        out.append((f"N={big['n']}: certlab's kernel share max {worst:.1f} MB <= {SHARE_FLOOR_MB:.0f} MB",
                    worst <= SHARE_FLOOR_MB))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", default="1,10,30", help="comma-separated class sizes")
    parser.add_argument("--notebooks", default=DEFAULT_NOTEBOOKS, help="notebook number prefixes to run")
    parser.add_argument("--edits", type=int, default=20, help="kernel-side lab edits per learner")
    parser.add_argument("--browser-edits", type=int, default=20, help="at least this many Chromium edits")
    parser.add_argument("--gap-ms", type=int, default=300)
    parser.add_argument("--think-s", type=float, default=2.0,
                        help="pause after each cell, as a learner reading its output (0: back to back)")
    parser.add_argument("--reading-wpm", type=float, nargs="?", const=READING_WPM, default=None,
                        help=f"instead of --think-s: each learner reads the text before each cell at about this many "
                             f"words a minute (alone: {READING_WPM:.0f}, adults' silent reading rate), rates spread +-25%%")
    parser.add_argument("--start-spread-s", type=float, default=0.0,
                        help="learners start one after another over this many seconds (0: all at once)")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).parent))
    sizes = [int(x) for x in args.learners.split(",")]
    notebooks = [x.strip() for x in args.notebooks.split(",") if x.strip()]
    import platform

    pace = (f"reading at {args.reading_wpm:.0f} words a minute (+-25% per learner)" if args.reading_wpm
            else f"think time {args.think_s:.1f} s after each cell")
    print(f"{pace}; starts spread over {args.start_spread_s:.0f} s; notebooks {','.join(notebooks)}")
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; Python {platform.python_version()}")
    results = {}
    for n in sizes:
        results[n] = run_class(n, notebooks, args.edits, not args.no_browser, args.browser_edits, args.gap_ms,
                               class_paces(n, args.think_s, args.reading_wpm, args.start_spread_s))
        report(results[n])
    print()
    verdicts = checks(results)
    for text, ok in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    if args.json:
        def plain(o: Any) -> Any:
            if isinstance(o, (LearnerRun, CellResult)):
                return o.__dict__
            return str(o)

        Path(args.json).write_text(json.dumps(results, default=plain, indent=1))
    return 0 if all(ok for _t, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
