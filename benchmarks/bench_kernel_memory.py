"""What a full certlab session adds to a kernel's memory, against a bare kernel.

Run: ``.venv/bin/python benchmarks/bench_kernel_memory.py [--edits 20]``

Two fresh ``python3`` kernels (jupyter_client ``KernelManager``; no browser,
each kernel started alone so they do not compete), measured from inside with
``/proc/self/status`` (``VmRSS`` now, ``VmHWM`` the peak):

* **bare**: ``import cryptography.x509, ipywidgets`` -- what any notebook
  about certificates with widgets costs anyway;
* **certlab**: the same imports, then a full session (pkilint on, the default): a ``CertificateLab`` in
  each mode (csr, self-signed, ca-signed: the teaching CA is made), every tab
  of the lab selected once, ``--edits`` common-name edits, an ``Inspector`` of
  a real certificate and a ``Compare`` of the CA-signed lab's CSR and
  certificate -- every widget displayed, as in a notebook.

A third kernel runs the same session with ``pkilint=False`` to show pkilint's
share (``--no-attribute`` skips it).  The certlab kernel prints its RSS after each stage, so a miss can be pinned
to a stage.  Target: certlab adds under 30 MB of RSS after the session.
Printed PASS/FAIL (exit status 1 on a miss).  A class of 30 on one
JupyterHub node pays this 30 times.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BUDGET_MB = 30.0

_MEASURE = """
def _rss_mb():
    # VmRSS: resident now; VmHWM: the peak ("high water mark"), both in kB (proc(5)).
    values = {}
    with open('/proc/self/status') as f:
        for line in f:
            key, _, rest = line.partition(':')
            if key in ('VmRSS', 'VmHWM'):
                values[key] = int(rest.split()[0]) / 1024
    return values
def _stage(name):
    import gc, json
    gc.collect()
    print('STAGE ' + json.dumps({'stage': name, **_rss_mb()}), flush=True)
"""

_BARE = """
import cryptography.x509, ipywidgets
from cryptography.hazmat.primitives.asymmetric import rsa
_stage('imports: cryptography + ipywidgets')
"""

_CERTLAB = """
import cryptography.x509, ipywidgets
from cryptography.hazmat.primitives.asymmetric import rsa
_stage('imports: cryptography + ipywidgets')
from IPython.display import display
import certlab.widgets as w
_stage('import certlab.widgets')
labs = {}
for mode in ('csr', 'self-signed', 'ca-signed'):
    labs[mode] = w.CertificateLab(mode=mode, pkilint=PKILINT)
    display(labs[mode])
    assert labs[mode].error is None, labs[mode].error
    _stage(f'lab mode={mode}' + (' (makes the teaching CA)' if mode == 'ca-signed' else ''))
lab = labs['self-signed']
for index in range(len(lab.views.pane_names)):
    lab.views.tabs.selected_index = index
lab.views.tabs.selected_index = 0
for i in range(EDITS):
    lab.fields['common_name'].value = f'edit-{i:03d}.example'
    assert lab.error is None, lab.error
_stage(f'{EDITS} edits + every tab once')
from importlib.resources import files
pem = files('certlab').joinpath('data/real/cryptography-io-leaf.pem').read_text()
ins = w.Inspector(pem, pkilint=PKILINT)
display(ins)
assert ins.error is None and ins.result is not None, ins.error
ca_lab = labs['ca-signed']
cmp = w.Compare(ca_lab.csr, ca_lab.result)
display(cmp)
assert cmp.error is None, cmp.error
_stage('inspector + compare')
import sys, json
print('HEAVY ' + json.dumps([m for m in HEAVY if m in sys.modules]), flush=True)
"""

# Third-party modules known to weigh on a kernel; the session says which it loaded.
_HEAVY = ("pyasn1_modules.rfc5280", "pyasn1_alt_modules.rfc5280", "pkilint.pkix.certificate",
          "pkilint.cabf.serverauth", "pkilint.etsi", "iso639", "publicsuffixlist")


def _run_kernel(code: str, timeout: float = 300.0) -> list[dict[str, Any]]:
    from jupyter_client.manager import KernelManager

    stages: list[dict[str, Any]] = []
    errors: list[str] = []

    def hook(msg: dict[str, Any]) -> None:
        kind = msg["header"]["msg_type"]
        content = msg["content"]
        if kind == "stream":
            for line in content["text"].splitlines():
                if line.startswith("STAGE "):
                    stages.append(json.loads(line[6:]))
                elif line.startswith("HEAVY "):
                    stages[-1]["heavy"] = json.loads(line[6:])
        elif kind == "error":
            errors.append(f"{content['ename']}: {content['evalue']}")

    km = KernelManager(kernel_name="python3")
    km.start_kernel(stderr=subprocess.DEVNULL)  # its "running over TCP" warning is not ours to print
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        reply = kc.execute_interactive(code, output_hook=hook, timeout=timeout)
        if reply["content"]["status"] != "ok" or errors:
            raise RuntimeError("the kernel failed: " + "; ".join(errors or [str(reply["content"])]))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return stages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--no-attribute", dest="attribute", action="store_false",
                        help="skip the third kernel (the same session with pkilint off)")
    args = parser.parse_args(argv)
    if not Path("/proc/self/status").exists():
        print("needs Linux /proc to read a kernel's RSS", file=sys.stderr)
        return 2
    # Only this venv's kernelspec: a learner's own "python3" kernel must not be measured.
    with tempfile.TemporaryDirectory(prefix="certlab-bench-") as tmp:
        os.environ["JUPYTER_DATA_DIR"] = str(Path(tmp) / "data")
        os.environ["IPYTHONDIR"] = str(Path(tmp) / "ipython")
        os.environ.pop("JUPYTER_PATH", None)
        bare = _run_kernel(_MEASURE + _BARE)
        setup = f"EDITS = {args.edits}\nHEAVY = {_HEAVY!r}\n"
        full = _run_kernel(_MEASURE + setup + "PKILINT = True\n" + _CERTLAB)
        # The same session with pkilint off (Views(pkilint=False)): what pkilint's share is.
        lean = _run_kernel(_MEASURE + setup + "PKILINT = False\n" + _CERTLAB) if args.attribute else []

    print(f"{'kernel / stage':60}{'RSS MB':>9}{'peak MB':>9}{'+RSS vs bare':>14}")
    base = bare[-1]["VmRSS"]
    for label, rows in (("bare", bare), ("certlab", full), ("no pkilint", lean)):
        for row in rows:
            print(f"{label + ': ' + row['stage']:60}{row['VmRSS']:9.1f}{row['VmHWM']:9.1f}{row['VmRSS'] - base:+14.1f}")
    print("heavy modules the certlab session loaded: " + ", ".join(full[-1].get("heavy", [])))
    added = full[-1]["VmRSS"] - base
    peak_added = full[-1]["VmHWM"] - bare[-1]["VmHWM"]
    ok = added < BUDGET_MB
    if lean:
        print(f"pkilint's share of the session: {full[-1]['VmRSS'] - lean[-1]['VmRSS']:.1f} MB "
              f"(certlab with pkilint=False adds {lean[-1]['VmRSS'] - base:.1f} MB)")
    print(f"\n{'PASS' if ok else 'FAIL'}  certlab session adds {added:.1f} MB RSS (peak +{peak_added:.1f} MB) "
          f"< {BUDGET_MB:.0f} MB over a bare kernel of {base:.1f} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
