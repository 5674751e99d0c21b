"""The benchmarks' lab page in a browser: one notebook cell, its websocket bytes, pasted edits timed.

Shared by ``bench_lab_browser.py`` (one learner, one JupyterLab) and
``bench_classroom.py`` (the Chromium learner of a class on the hub):

* :data:`CELL`: the notebook cell both open: a ``CertificateLab`` and a bare
  echo (an ``ipywidgets.Text`` whose observer sets an ``HTML``), the yardstick;
* :class:`Frames`: counts the bytes of websocket frames the page receives;
* :func:`select_tab`, :func:`paste_edit` (one pasted edit, timed from the
  ``input`` event to every watched view showing it, then the next frame);
* :func:`run_pasted`: lab and echo edits alternating, the kernel's render times read at the end;
* :func:`pct`: a percentile of a list of figures.

Not a benchmark itself (nothing here prints PASS/FAIL); run either script with ``--help``.
"""

from __future__ import annotations

import json
import time
from typing import Any

from tests.browser.harness import LabPage

__all__ = ["ARM_JS", "CELL", "Frames", "KERNEL_EXEC_JS", "paste_edit", "pct", "run_pasted", "select_tab"]

CELL = """\
import html
import ipywidgets as ipw
import certlab.widgets as w

lab = w.CertificateLab(mode="self-signed")
# the yardstick: an echo that follows every keystroke, as the lab's boxes do
live_in = ipw.Text(value="", continuous_update=True)
live_in.add_class("bench-live-in")
live_out = ipw.HTML(value="")
live_out.add_class("bench-live-out")
live_in.observe(lambda change: setattr(live_out, "value", "<b>" + html.escape(change["new"]) + "</b>"), names="value")
# the kernel's own share of each lab update (Views.render: explore, describe, findings, renderers)
render_ms = []
_render = lab.views.render
def _timed_render(*args, **kwargs):
    sent = _render(*args, **kwargs)  # False: superseded by newer keys (the lab counts it as skipped)
    render_ms.append(lab.views.last_render_ms)
    return sent
lab.views.render = _timed_render
ipw.VBox([lab, ipw.HTML("<hr>"), live_in, live_out])
"""


KERNEL_EXEC_JS = """async (code) => {
  const k = window.__certlabNb.sessionContext.session.kernel;
  const f = k.requestExecute({code, store_history: false});
  let out = '';
  f.onIOPub = (msg) => { if (msg.header.msg_type === 'stream') out += msg.content.text; };
  await f.done;
  return out;
}"""


# Arms one measurement: t0 at the next input event in `inputSel`, t1 when every
# element of `watchSels` contains `needle` and none of `absentSels` exists,
# then the next frame.
ARM_JS = """([inputSel, watchSels, absentSels, needle]) => {
  const root = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const input = root.querySelector(inputSel);
  const st = window.__bench = {t0: null, t1: null, tPaint: null, needle};
  const done = () => watchSels.every(s => { const e = root.querySelector(s); return e && e.textContent.includes(needle); })
                     && absentSels.every(s => !root.querySelector(s));
  const onInput = () => { if (st.t0 === null) st.t0 = performance.now(); };
  input.addEventListener('input', onInput, {capture: true, once: true});
  const obs = new MutationObserver(() => {
    if (st.t0 === null || st.t1 !== null || !done()) return;
    st.t1 = performance.now();
    obs.disconnect();
    requestAnimationFrame(() => { st.tPaint = performance.now(); });
  });
  obs.observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
  return true;
}"""



class Frames:
    """Bytes of websocket frames the page receives (kernel -> browser)."""

    def __init__(self, page: Any) -> None:
        self.received = 0
        page.on("websocket", self._attach)

    def _attach(self, ws: Any) -> None:
        ws.on("framereceived", self._frame)

    def _frame(self, payload: Any) -> None:
        self.received += len(payload.encode("utf-8") if isinstance(payload, str) else payload)



def select_tab(lab: LabPage, title: str) -> None:
    lab.page.locator(".certlab-lab .certlab-views .lm-TabBar-tab", has_text=title).first.click()
    lab.page.wait_for_function(
        "(t) => { const e = document.querySelector('.certlab-lab .certlab-views .lm-TabBar-tab.lm-mod-current');"
        " return e && e.textContent.trim() === t; }",
        arg=title,
    )



def paste_edit(lab: LabPage, frames: Frames, input_sel: str, watch: list[str], absent: list[str],
          value: str, gap_ms: int) -> tuple[float, float, int]:
    """One pasted edit: (ms to DOM updated, ms to the next frame, bytes received)."""
    page = lab.page
    box = page.locator(f".jp-NotebookPanel:not(.lm-mod-hidden) {input_sel}").first
    page.evaluate(ARM_JS, [input_sel, watch, absent, value])
    frames.received = 0
    box.fill(value)  # one input event: the box syncs at once (continuous_update=True)
    page.wait_for_function("() => window.__bench.t1 !== null && window.__bench.tPaint !== null",
                           timeout=60_000, polling="raf")
    st = page.evaluate("() => window.__bench")
    page.wait_for_timeout(gap_ms)  # the update's trailing messages (status: idle ...) land here
    return st["t1"] - st["t0"], st["tPaint"] - st["t0"], frames.received



def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]



def run_pasted(lab: LabPage, frames: Frames, scenario: str, tab: str, pane: str, edits: int, gap_ms: int,
         warmup: int) -> dict[str, Any]:
    select_tab(lab, tab)
    lab_input = ".certlab-lab .certlab-field-common_name input"
    echo_input = ".bench-live-in input"
    lab_watch = [f".certlab-lab {pane}"]
    lab_absent = [".certlab-lab .certlab-views-box.certlab-stale"]
    out: dict[str, list[float]] = {"lab": [], "lab_paint": [], "lab_bytes": [], "echo": [], "echo_paint": [],
                                   "echo_bytes": []}
    for i in range(warmup + edits):
        stamp = f"{scenario}-{i:03d}-{time.monotonic_ns() % 10**6:06d}"
        lab_ms, lab_paint, lab_bytes = paste_edit(lab, frames, lab_input, lab_watch, lab_absent,
                                             f"{stamp}.example", gap_ms)
        echo_ms, echo_paint, echo_bytes = paste_edit(lab, frames, echo_input, [".bench-live-out"], [],
                                                f"echo-{stamp}", gap_ms)
        if i < warmup:
            continue
        out["lab"].append(lab_ms)
        out["lab_paint"].append(lab_paint)
        out["lab_bytes"].append(lab_bytes)
        out["echo"].append(echo_ms)
        out["echo_paint"].append(echo_paint)
        out["echo_bytes"].append(echo_bytes)
    # read (and reset) the kernel's render times only now: no traffic during the edits
    kernel = json.loads(lab.page.evaluate(KERNEL_EXEC_JS, "import json; print(json.dumps(render_ms)); render_ms.clear()"))
    out["kernel_render"] = kernel[warmup:]
    return out
