"""How long one accepted edit takes in the lab, and how many bytes it sends.

Run: ``.venv/bin/python benchmarks/bench_widgets.py [--edits N]``

Prints, side by side, for RSA-2048 (and EC P-256) in each mode:

* the wall time of one edit (``lab.fields["common_name"].value = ...``: spec,
  build, explore, describe, findings, every renderer) against the 100 ms
  budget, with certlab's checks only, with pkilint (RFC 5280) on every edit,
  and, for the CA-issued TLS leaf, with pkilint's CA/B Forum profile on every
  edit too (``cabf=True``; the lab's default runs it only on a button press);
* the bytes the kernel sends to the browser for that edit (all comm
  messages, measured with a recording comm) against the 64 KB budget, and
  what switching to each other tab sends.

No kernel is needed: widgets talk to a recording dummy comm.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import comm  # noqa: E402
import ipywidgets as w  # noqa: E402
import ipywidgets.widgets.widget  # noqa: E402

SENT: list[int] = []


class _RecordingComm:
    kernel = "Truthy"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.comm_id = uuid.uuid4().hex

    def open(self, *args: Any, **kwargs: Any) -> None: ...
    def on_msg(self, *args: Any, **kwargs: Any) -> None: ...
    def close(self, *args: Any, **kwargs: Any) -> None: ...

    def send(self, data: Any = None, buffers: Any = None, **kwargs: Any) -> None:
        SENT.append(len(repr(data)) + sum(len(b) for b in buffers or ()))


comm.create_comm = lambda **kw: _RecordingComm()  # type: ignore[assignment]
w.Widget.comm.klass = _RecordingComm
ipywidgets.widgets.widget.Comm = _RecordingComm  # type: ignore[attr-defined]

from certlab.build import generate_key  # noqa: E402
from certlab.spec import KeySpec  # noqa: E402
from certlab.widgets import CertificateLab  # noqa: E402
from certlab.widgets.views import PANES  # noqa: E402


def one_edit(lab: CertificateLab, value: str) -> tuple[float, int]:
    SENT.clear()
    start = time.perf_counter()
    lab.fields["common_name"].value = value
    elapsed = (time.perf_counter() - start) * 1000
    assert lab.error is None, lab.error
    return elapsed, sum(SENT)


def measure(key: Any, mode: str, pkilint: bool, edits: int, cabf: bool = False) -> tuple[float, float, int, dict[str, int]]:
    lab = CertificateLab(mode, key=key, pkilint=pkilint, cabf=cabf)
    one_edit(lab, "warm-up.example")  # first pkilint call builds its validators
    times, sizes = [], []
    for i in range(edits):
        ms, sent = one_edit(lab, f"site{i}.example")
        times.append(ms)
        sizes.append(sent)
    tabs: dict[str, int] = {}
    for index, name in enumerate(PANES):
        SENT.clear()
        lab.views.tabs.selected_index = index
        tabs[name] = sum(SENT)
    lab.views.tabs.selected_index = 0
    w.Widget.close_all()
    return statistics.median(times), max(times), max(sizes), tabs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()

    start = time.perf_counter()
    import certlab.findings as findings

    findings.find(generate_key(KeySpec("ec")), pkilint=True)
    print(f"import + first findings call: {(time.perf_counter() - start) * 1000:.0f} ms")

    keys = {"RSA-2048": generate_key(KeySpec()), "EC P-256": generate_key(KeySpec("ec"))}
    print(f"\n{'key':9} {'mode':12} {'pkilint':8} {'median ms':>9} {'max ms':>7} {'/100ms':>7} {'bytes/edit':>10} {'/64KB':>6}")
    tab_sizes: dict[str, int] = {}
    for label, key in keys.items():
        for mode in ("csr", "self-signed", "ca-signed"):
            variants = [(False, False), (True, False)] + ([(True, True)] if mode == "ca-signed" else [])
            for pkilint, cabf in variants:
                median, worst, sent, tabs = measure(key, mode, pkilint, args.edits, cabf)
                shown = "on+cabf" if cabf else "on" if pkilint else "off"
                print(f"{label:9} {mode:12} {shown:8} {median:9.1f} {worst:7.1f} "
                      f"{median / 100:7.2f} {sent:10d} {sent / 65536:6.2f}")
                if label == "RSA-2048" and mode == "self-signed" and not pkilint:
                    tab_sizes = tabs
    print("\nbytes sent when the learner selects each tab (RSA-2048 self-signed, once per new result):")
    for name, size in tab_sizes.items():
        print(f"  {name:8} {size:7d}  ({size / 65536:.2f} of 64 KB)")


if __name__ == "__main__":
    main()
