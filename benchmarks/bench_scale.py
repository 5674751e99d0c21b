"""Benchmark: big inputs, certlab against openssl and pyasn1, side by side (issue 11, item 7).

Run: ``.venv/bin/python benchmarks/bench_scale.py [--entries 100000] [--repeat 3] [--quick]``

* a valid CRL of ``--entries`` revoked certificates (cryptography builds it once,
  cached in ``artifacts/``): ``certlab inspect --text`` against ``openssl asn1parse``
  (target: at most 10x) and ``openssl crl -text``;
* a certificate with 5,000 subjectAltNames: ``certlab inspect --text`` against
  ``openssl asn1parse`` and ``openssl x509 -text``;
* an RSA-16384 private key (``openssl genpkey``, cached in ``artifacts/``; minutes
  to make the first time): ``certlab inspect --text`` against ``openssl asn1parse``
  and ``openssl pkey -text``;
* explore + names + explanations + HTML against pyasn1 decode + ``prettyPrint``
  over the cryptography-vectors certificates (target: median ratio at most 0.5)
  and microseconds per KB from 1 to 2,000 SANs (target: flat, largest/100-SAN <= 1.5).

Commands are timed by the CPU time they use (user + system, from the kernel's
accounting of the child), best of ``--repeat``: the machine is shared, and
wall time mostly measures the neighbours (printed too).  Exits 1 when a target
is missed; every figure is printed either way.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import time
import warnings

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _cpu(argv: list[str], repeat: int) -> tuple[float, float]:
    """(best CPU seconds, best wall seconds) of running ``argv`` with its output discarded."""
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode not in (0, 1) or (argv[0] != "openssl" and proc.returncode != 0):
            raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}: {proc.stderr.decode()[:300]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best_cpu, best_wall = min(best_cpu, cpu), min(best_wall, wall)
    return best_cpu, best_wall


def _certlab(*args: str) -> list[str]:
    return [sys.executable, "-m", "certlab", "inspect", *args]


def _row(label: str, cpu: float, wall: float, base: float | None = None) -> None:
    ratio = f"{cpu / base:7.1f}x" if base else "        "
    print(f"  {label:<44} cpu {cpu:8.2f} s {ratio}   wall {wall:8.2f} s")


def _big_crl(entries: int) -> pathlib.Path:
    from tests.test_scale import big_crl

    return big_crl(entries)[0]


def _sans_cert(n: int) -> pathlib.Path:
    path = ARTIFACTS / f"sans-{n}.der"
    if not path.exists():
        from bench_explorer import _synthetic

        ARTIFACTS.mkdir(exist_ok=True)
        path.write_bytes(_synthetic(n))
    return path


def _rsa16384() -> pathlib.Path:
    path = ARTIFACTS / "rsa16384.pem"
    if not path.exists():
        print("  (generating an RSA-16384 key with openssl, once: this takes minutes)", flush=True)
        ARTIFACTS.mkdir(exist_ok=True)
        tmp = path.with_suffix(".tmp")
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:16384",
                        "-out", str(tmp)], check=True, stderr=subprocess.DEVNULL)
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    return path


def _stages(path: pathlib.Path, base: float) -> None:
    """Where ``certlab inspect --text``'s time goes, stage by stage, in this process (CPU time).

    Printed, never a target: it says which part to work on (the tree is explorer.py /
    schema.py / der.py, the fields fields.py, the findings findings/).
    """
    import gc

    from certlab import cli
    from certlab.fields import describe
    from certlab.findings import find
    from certlab.load import load
    from certlab.render.asn1_text import explorer_text
    from certlab.render.fields_text import fields_text

    data = path.read_bytes()
    was = gc.isenabled()
    gc.disable()  # as explore() and describe() run (certlab._perf.gc_paused)
    try:
        def timed(label: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.process_time()
            out = fn(*args, **kwargs)
            cpu = time.process_time() - start
            print(f"    {label:<42} cpu {cpu:8.2f} s {cpu / base:7.1f}x")
            return out

        print("  in-process stages of certlab inspect --text (x: of openssl asn1parse):")
        loaded = timed("load (cryptography parses it)", load, data, source=str(path))[0]
        explored = timed("explore (read, name, explain: the tree)", cli._explore, loaded, False)
        description = timed("describe (the fields)", describe, loaded.obj, explored=explored)
        findings = timed("find (the findings)", lambda: tuple(find(loaded.obj)))
        timed("fields text", fields_text, description, findings)
        timed("tree text", explorer_text, explored)
    finally:
        if was:
            gc.enable()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=100_000, help="revoked certificates in the CRL")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--quick", action="store_true", help="skip the RSA-16384 key and the corpus")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    missed: list[str] = []

    crl = _big_crl(args.entries)
    print(f"CRL with {args.entries} entries ({crl.stat().st_size} bytes):")
    base, wall = _cpu(["openssl", "asn1parse", "-inform", "DER", "-in", str(crl)], args.repeat)
    _row("openssl asn1parse", base, wall)
    _row("openssl crl -text", *_cpu(["openssl", "crl", "-inform", "DER", "-in", str(crl), "-text", "-noout"],
                                     args.repeat), base)
    ours, wall = _cpu(_certlab("--text", str(crl)), args.repeat)
    _row("certlab inspect --text", ours, wall, base)
    if ours > 10 * base:
        missed.append(f"CRL: certlab inspect --text is {ours / base:.1f}x openssl asn1parse (target <= 10x)")
    _stages(crl, base)

    sans = _sans_cert(5000)
    print(f"certificate with 5,000 SANs ({sans.stat().st_size} bytes):")
    base, wall = _cpu(["openssl", "asn1parse", "-inform", "DER", "-in", str(sans)], args.repeat)
    _row("openssl asn1parse", base, wall)
    _row("openssl x509 -text", *_cpu(["openssl", "x509", "-inform", "DER", "-in", str(sans), "-text", "-noout"],
                                      args.repeat), base)
    _row("certlab inspect --text", *_cpu(_certlab("--text", str(sans)), args.repeat), base)

    if not args.quick:
        key = _rsa16384()
        print("RSA-16384 private key:")
        base, wall = _cpu(["openssl", "asn1parse", "-in", str(key)], args.repeat)
        _row("openssl asn1parse", base, wall)
        _row("openssl pkey -text -noout", *_cpu(["openssl", "pkey", "-in", str(key), "-text", "-noout"],
                                                 args.repeat), base)
        ours, wall = _cpu(_certlab("--text", str(key)), args.repeat)
        _row("certlab inspect --text (secrets hidden)", ours, wall, base)
        if ours > 5.0:
            missed.append(f"RSA-16384: certlab inspect takes {ours:.1f} s of CPU (27.6 s before; target < 5 s)")

        import bench_explorer

        corpus = bench_explorer._corpus()
        for _name, der in corpus[:5]:
            bench_explorer._certlab(der)
            bench_explorer._pyasn1(der)
        ratios = [bench_explorer._best(bench_explorer._certlab, der, args.repeat) /
                  bench_explorer._best(bench_explorer._pyasn1, der, args.repeat) for _name, der in corpus]
        median = statistics.median(ratios)
        print(f"corpus: {len(corpus)} certificates, explore+names+explanations+HTML / pyasn1 decode+prettyPrint:")
        print(f"  median ratio {median:.3f}   p90 {statistics.quantiles(ratios, n=10)[-1]:.3f}   (target <= 0.5)")
        if median > 0.5:
            missed.append(f"corpus: median ratio {median:.3f} (target <= 0.5)")
        per_kb = []
        print(f"  {'SANs':>6} {'bytes':>8} {'certlab us/KB':>14} {'pyasn1 us/KB':>13}")
        for n in (1, 10, 100, 500, 2000):
            der = bench_explorer._synthetic(n)
            kb = len(der) / 1024
            ours_s = bench_explorer._best(bench_explorer._certlab, der, args.repeat)
            theirs_s = bench_explorer._best(bench_explorer._pyasn1, der, args.repeat)
            per_kb.append(ours_s * 1e6 / kb)
            print(f"  {n:>6} {len(der):>8} {ours_s * 1e6 / kb:>14.0f} {theirs_s * 1e6 / kb:>13.0f}")
        flat = per_kb[-1] / per_kb[2]
        print(f"  certlab us/KB, 2,000 SANs / 100 SANs: {flat:.2f} (target <= 1.5)")
        if flat > 1.5:
            missed.append(f"SANs: us/KB grows {flat:.2f}x from 100 to 2,000 SANs (target <= 1.5)")

    for line in missed:
        print(f"FAIL {line}")
    print("PASS" if not missed else f"{len(missed)} target(s) missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
