"""Benchmark: certlab.diff on big inputs grows linearly (issue 11 item 7; Compare of two
10,000-entry CRLs used to take minutes: every path was checked against every extension).

Run: ``.venv/bin/python benchmarks/bench_diff.py [--sizes 1000,10000,100000] [--sans 5000]``

For each size, two CRLs that cryptography builds (``CertificateRevocationListBuilder``,
a third of the entries with a reason code; every 50th serial differs, so a 2% edit) are
compared with ``diff()`` (explore both, the byte ranges, the fields), and, apart, the
byte-range step alone (``diff_der`` on the already explored trees: the part diff.py owns).
Then two certificates with ``--sans`` subjectAltNames, one name different.

Times are CPU seconds of this process (``time.process_time``), best of ``--repeat``:
the machine is shared.  Target: a 10x bigger input takes at most 15x the time
(largest/previous size), for ``diff()`` and for ``diff_der``.  Exits 1 when missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from certlab.diff import diff, diff_der

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests._certs import revoked_crl  # noqa: E402
from certlab.explorer import explore

KEY = ec.derive_private_key(20261202, ec.SECP256R1())
WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
NAME = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "certlab diff bench")])


def crl(entries: int, edited: bool) -> x509.CertificateRevocationList:
    return revoked_crl((0x10000000000000 + i * 7919 + (1 if edited and i % 50 == 0 else 0) for i in range(entries)),
                       cn="certlab diff bench", key=KEY)


def sans_cert(n: int, edited: bool) -> x509.Certificate:
    sans = [x509.DNSName(f"host{i}{'x' if edited and i == n // 2 else ''}.bench.example") for i in range(n)]
    return (x509.CertificateBuilder().subject_name(NAME).issuer_name(NAME).public_key(KEY.public_key())
            .serial_number(1).not_valid_before(WHEN).not_valid_after(WHEN + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(sans), critical=False).sign(KEY, hashes.SHA256()))


def best(fn: Callable[[], Any], repeat: int) -> float:
    out = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        out = min(out, time.process_time() - start)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="CRL entries, comma-separated")
    parser.add_argument("--sans", type=int, default=5000, help="subjectAltNames of the certificate pair")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs (default 1)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[tuple[int, float, float, int]] = []
    for n in sizes:
        a, b = crl(n, False), crl(n, True)
        der_a, der_b = (x.public_bytes(serialization.Encoding.DER) for x in (a, b))
        whole = best(lambda: diff(a, b), args.repeat)
        nodes_a, nodes_b = list(explore(der_a, "crl").walk()), list(explore(der_b, "crl").walk())
        ranges = best(lambda: diff_der(der_a, nodes_a, der_b, nodes_b), args.repeat)
        d = diff(a, b)
        rows.append((n, whole, ranges, len(d.ranges_a) + len(d.ranges_b)))
        print(f"  CRL {n:>7} entries ({len(der_a):>9} bytes): diff() {whole:8.2f} s   "
              f"diff_der {ranges:7.3f} s   {len(d.fields)} fields, {rows[-1][3]} ranges", flush=True)
    ok = True
    for (n0, w0, r0, _), (n1, w1, r1, _) in zip(rows, rows[1:]):
        for label, t0, t1 in (("diff()", w0, w1), ("diff_der", r0, r1)):
            ratio = t1 / max(t0, 1e-6)
            target = 15 * n1 / n0 / 10
            verdict = "PASS" if ratio <= target else "FAIL"
            ok = ok and ratio <= target
            print(f"  {label:<8} {n1}/{n0}: {ratio:6.1f}x (target <= {target:.0f}x) {verdict}")
    ca, cb = sans_cert(args.sans, False), sans_cert(args.sans, True)
    t = best(lambda: diff(ca, cb), args.repeat)
    d = diff(ca, cb)
    print(f"  certificate, {args.sans} SANs, one edited: diff() {t:.2f} s, {len(d.fields)} fields, "
          f"{len(d.ranges_a) + len(d.ranges_b)} ranges")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
