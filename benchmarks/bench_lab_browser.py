"""From a typed common name to the lab's views updated on screen, in a real browser.

Run: ``.venv/bin/python benchmarks/bench_lab_browser.py [--edits 40] [--gap-ms 300]``

One JupyterLab (``tests/browser/harness.py``: 127.0.0.1, random token, temp
dirs) and one headless Chromium page hold, in the same notebook and kernel:

* a ``CertificateLab(mode="self-signed")`` (RSA-2048, the default key), and
* a bare *echo*: an ``ipywidgets.Text`` (``continuous_update=True``, as the
  lab's boxes) whose observer sets an ``HTML`` value -- the smallest possible
  round trip page -> kernel -> page, the yardstick.

Edits alternate lab / echo, each ``--gap-ms`` after the previous one finished,
so neither rides on the other's traffic. A whole-value edit is a paste into
the real ``<input>`` (Playwright ``fill``: one ``input`` event, which syncs at
once). In the page, ``performance.now()`` is taken at that ``input`` event (a
capture listener, before the widget sees it) and again when a
``MutationObserver`` sees the new value in every watched view; the next
animation frame after that is recorded too ("painted").  The bytes the kernel
sends to the browser per edit are the websocket frame payloads the page
receives from the edit to the next one (Playwright ``page.on("websocket")`` ->
``ws.on("framereceived")``).

Two lab scenarios, each with its own interleaved echo run:

* ``fields``: the Fields tab selected (what the lab shows first);
* ``asn1``: the ASN.1 / DER tab selected (the biggest pane).

And the way a learner really types (``typed``): a new CN typed key by key
(``--key-ms`` apart, never Enter) into the lab, side by side with a second
bare echo that also follows every keystroke (``continuous_update=True``).
Timed from the keydown of the *last* key to every watched view showing the
whole value; the lab's rebuilds per burst and the most rebuilds ever in
flight at once are read from the kernel (``lab.rebuilder``). Floors: p95 <
150 ms; at most one rebuild in flight.

Only the selected tab is sent on an edit (``certlab/widgets/views.py``), so
"every view" is: the selected pane shows the new CN and the stale banner is
empty.

Targets (RSA-2048 self-signed, this 2-core machine): p95 < 100 ms; p50 within
3x the bare echo; < 64 KB sent per update.  Each is printed PASS/FAIL; a miss
is printed, never hidden (exit status 1 when any target is missed).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import nbformat  # noqa: E402

from tests.browser.harness import JupyterLabServer, LabPage, find_chromium, launch_chromium  # noqa: E402

from lab_page import CELL, KERNEL_EXEC_JS, Frames, pct, run_pasted, select_tab  # noqa: E402

P95_BUDGET_MS = 100.0
TYPED_P95_BUDGET_MS = 150.0
ECHO_RATIO_BUDGET = 3.0
BYTES_BUDGET = 64 * 1024

# Arms one typed measurement: t0 at the keydown of the last of `nKeys` keys typed
# into `inputSel`, t1 when every element of `watchSels` shows the whole `needle`
# and none of `absentSels` exists, then the next frame.
_JS_ARM_TYPED = """([inputSel, watchSels, absentSels, needle, nKeys]) => {
  const root = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const input = root.querySelector(inputSel);
  const st = window.__bench = {t0: null, t1: null, tPaint: null, keys: 0, needle};
  const done = () => watchSels.every(s => { const e = root.querySelector(s); return e && e.textContent.includes(needle); })
                     && absentSels.every(s => !root.querySelector(s));
  const onKey = (ev) => {
    st.keys += 1;
    if (st.keys === nKeys) { st.t0 = performance.now(); input.removeEventListener('keydown', onKey, true); }
  };
  input.addEventListener('keydown', onKey, true);
  const obs = new MutationObserver(() => {
    if (st.t0 === null || st.t1 !== null || !done()) return;
    st.t1 = performance.now();
    obs.disconnect();
    requestAnimationFrame(() => { st.tPaint = performance.now(); });
  });
  obs.observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
  return true;
}"""


def _typed(lab: LabPage, input_sel: str, watch: list[str], absent: list[str], value: str, key_ms: int,
           gap_ms: int) -> tuple[float, float]:
    """One burst typed key by key, never Enter: (ms from the last keydown to the views, to the next frame)."""
    page = lab.page
    box = page.locator(f".jp-NotebookPanel:not(.lm-mod-hidden) {input_sel}").first
    box.click()
    box.press("Control+A")  # the first key replaces the old value, as a learner retyping a CN
    page.evaluate(_JS_ARM_TYPED, [input_sel, watch, absent, value, len(value)])
    box.press_sequentially(value, delay=key_ms)
    page.wait_for_function("() => window.__bench.t1 !== null && window.__bench.tPaint !== null",
                           timeout=60_000, polling="raf")
    st = page.evaluate("() => window.__bench")
    page.wait_for_timeout(gap_ms)
    return st["t1"] - st["t0"], st["tPaint"] - st["t0"]


_COUNTS = "lab.wait(); print(lab.rebuilder.rebuilds, lab.rebuilder.skipped)"


def _run_typed(lab: LabPage, bursts: int, key_ms: int, gap_ms: int, warmup: int) -> dict[str, Any]:
    select_tab(lab, "Fields")
    lab_input = ".certlab-lab .certlab-field-common_name input"
    out: dict[str, Any] = {"lab": [], "lab_paint": [], "echo": [], "echo_paint": [], "rebuilds": [], "drawn": []}
    for i in range(warmup + bursts):
        stamp = f"t{i:03d}{time.monotonic_ns() % 10**5:05d}"
        before = [int(v) for v in lab.page.evaluate(KERNEL_EXEC_JS, _COUNTS).split()]
        lab_ms, lab_paint = _typed(lab, lab_input, [".certlab-lab .certlab-view-fields"],
                                   [".certlab-lab .certlab-views-box.certlab-stale"], f"{stamp}.example.org",
                                   key_ms, gap_ms)
        after = [int(v) for v in lab.page.evaluate(KERNEL_EXEC_JS, _COUNTS).split()]
        echo_ms, echo_paint = _typed(lab, ".bench-live-in input", [".bench-live-out"], [],
                                     f"{stamp}.example.org", key_ms, gap_ms)
        if i < warmup:
            continue
        out["lab"].append(lab_ms)
        out["lab_paint"].append(lab_paint)
        out["echo"].append(echo_ms)
        out["echo_paint"].append(echo_paint)
        out["rebuilds"].append(after[0] - before[0])
        out["drawn"].append((after[0] - after[1]) - (before[0] - before[1]))
    out["keys"] = len(f"t000{0:05d}.example.org")
    out["max_in_flight"] = int(lab.page.evaluate(KERNEL_EXEC_JS, "print(lab.rebuilder.max_in_flight)"))
    return out


def _report_typed(r: dict[str, Any], key_ms: int) -> list[tuple[str, bool]]:
    lab95 = pct(r["lab"], 0.95)
    print(f"\n== scenario typed: {len(r['lab'])} bursts of {r['keys']} keys, {key_ms} ms apart, no Enter ==")
    print(f"{'':26}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'painted p50':>13}")
    for name, title in (("lab", "lab (last key -> views)"), ("echo", "bare echo, as you type")):
        v = r[name]
        print(f"{title:26}{pct(v, .5):9.1f}{pct(v, .95):9.1f}{max(v):9.1f}{pct(r[name + '_paint'], .5):13.1f}")
    reb = r["rebuilds"]
    print(f"lab rebuilds per burst: min {min(reb)}, median {statistics.median(reb):.0f}, max {max(reb)} "
          f"(of {r['keys']} keystrokes), of which drawn median {statistics.median(r['drawn']):.0f} "
          f"(the others were superseded by newer keys); most rebuilds ever in flight at once: {r['max_in_flight']}")
    return [
        (f"typed: p95 {lab95:.1f} ms < {TYPED_P95_BUDGET_MS:.0f} ms (last keystroke -> every visible view)",
         lab95 < TYPED_P95_BUDGET_MS),
        (f"typed: at most one rebuild in flight (max seen {r['max_in_flight']})", r["max_in_flight"] <= 1),
        (f"typed: rebuilds per burst max {max(reb)} <= keystrokes {r['keys']}", max(reb) <= r["keys"]),
    ]


def _report(scenario: str, r: dict[str, Any]) -> list[tuple[str, bool]]:
    lab50, lab95 = pct(r["lab"], 0.5), pct(r["lab"], 0.95)
    echo50, echo95 = pct(r["echo"], 0.5), pct(r["echo"], 0.95)
    ratio = lab50 / echo50 if echo50 else float("inf")
    bytes50, bytes_max = statistics.median(r["lab_bytes"]), max(r["lab_bytes"])
    print(f"\n== scenario {scenario}: {len(r['lab'])} lab edits, {len(r['echo'])} echo edits ==")
    print(f"{'':22}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'painted p50':>13}{'bytes p50':>11}{'bytes max':>11}")
    for name in ("lab", "echo"):
        v = r[name]
        print(f"{name + ' (CN -> views)' if name == 'lab' else 'bare echo':22}{pct(v, .5):9.1f}{pct(v, .95):9.1f}"
              f"{max(v):9.1f}{pct(r[name + '_paint'], .5):13.1f}"
              f"{statistics.median(r[name + '_bytes']):11.0f}{max(r[name + '_bytes']):11.0f}")
    if r.get("kernel_render"):
        k = r["kernel_render"]
        print(f"{'kernel: Views.render':22}{pct(k, .5):9.1f}{pct(k, .95):9.1f}{max(k):9.1f}"
              "   (inside the lab row; the rest is spec+build, transport and the browser)")
    checks = [
        (f"{scenario}: p95 {lab95:.1f} ms < {P95_BUDGET_MS:.0f} ms", lab95 < P95_BUDGET_MS),
        (f"{scenario}: p50 ratio lab/echo {lab50:.1f}/{echo50:.1f} = {ratio:.2f}x <= {ECHO_RATIO_BUDGET:.0f}x",
         ratio <= ECHO_RATIO_BUDGET),
        (f"{scenario}: bytes per update max {bytes_max / 1024:.1f} KB (p50 {bytes50 / 1024:.1f} KB) "
         f"< {BYTES_BUDGET // 1024} KB", bytes_max < BYTES_BUDGET),
    ]
    del echo95
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=40, help="measured edits per scenario (each of lab and echo)")
    parser.add_argument("--asn1-edits", type=int, default=20, help="measured edits with the ASN.1 tab selected")
    parser.add_argument("--gap-ms", type=int, default=300, help="pause after each edit finished")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--bursts", type=int, default=20, help="typed bursts (no Enter), each of lab and echo")
    parser.add_argument("--key-ms", type=int, default=30, help="pause between keystrokes of a typed burst")
    args = parser.parse_args(argv)

    chromium = find_chromium()
    if chromium is None:
        print("Chromium not found (see tests/conftest.py for how to get it)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with JupyterLabServer(name="bench") as server:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(CELL)]
        nbformat.write(nb, server.root_dir / "bench_lab.ipynb")
        with sync_playwright() as pw:
            browser = launch_chromium(pw, chromium)
            try:
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.set_default_timeout(60_000)
                page = context.new_page()
                frames = Frames(page)  # before the kernel's websocket opens
                lab = LabPage(page, server)
                lab.open_notebook("bench_lab.ipynb")
                lab.run_all(timeout=120)
                lab.assert_no_errors()
                page.locator(".certlab-lab .certlab-view-fields .certlab-view").first.wait_for(state="visible")
                print(f"JupyterLab {server.url} | Chromium {browser.version} | lab: RSA-2048 self-signed, "
                      f"pkilint on | gap {args.gap_ms} ms, warm-up {args.warmup}")
                checks = _report("fields", run_pasted(lab, frames, "fields", "Fields", ".certlab-view-fields",
                                                args.edits, args.gap_ms, args.warmup))
                if args.asn1_edits:
                    checks += _report("asn1", run_pasted(lab, frames, "asn1", "ASN.1 / DER", ".certlab-view-asn1",
                                                   args.asn1_edits, args.gap_ms, args.warmup))
                if args.bursts:
                    checks += _report_typed(_run_typed(lab, args.bursts, args.key_ms, args.gap_ms, args.warmup),
                                            args.key_ms)
                lab.assert_no_errors()
            finally:
                browser.close()
    print()
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    return 0 if all(ok for _t, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
