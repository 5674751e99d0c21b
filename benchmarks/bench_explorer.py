"""Benchmark: certlab's named, explained tree + HTML vs pyasn1 decode + prettyPrint.

Run: ``.venv/bin/python benchmarks/bench_explorer.py [--repeat N]``

For every certificate of the cryptography-vectors corpus that pyasn1 decodes
against ``rfc5280.Certificate()``, both pipelines run in the same process, on
the same bytes, interleaved:

* certlab: ``explore(der)`` (read, name from the RFC modules, decode values,
  explain) + ``explorer_html`` (the full HTML explorer);
* pyasn1: ``decoder.decode(der, asn1Spec=rfc5280.Certificate())`` + ``.prettyPrint()``.

Printed: the median per-object ratio certlab/pyasn1 (target <= 1.0) and a
linearity check: microseconds per KB for certificates with 1 to 2,000
subjectAltName entries (target: roughly flat).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import pathlib
import statistics
import sys
import time
import warnings

import cryptography_vectors
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyasn1.codec.der import decoder
from pyasn1_modules import rfc5280

from certlab.explorer import explore
from certlab.render.asn1_html import explorer_html

VECTORS = pathlib.Path(cryptography_vectors.__file__).parent / "vectors" / "cryptography_vectors"
if not VECTORS.is_dir():
    VECTORS = pathlib.Path(cryptography_vectors.__file__).parent


def _certlab(der: bytes) -> None:
    explorer_html(explore(der))


def _pyasn1(der: bytes) -> None:
    value, _rest = decoder.decode(der, asn1Spec=rfc5280.Certificate())
    value.prettyPrint()


def _best(fn, der: bytes, repeat: int) -> float:
    # Best of N with the garbage collector paused (for both sides alike): the
    # machine is shared, and the minimum is the least noisy estimate.
    best = float("inf")
    gc.disable()
    try:
        for _ in range(repeat):
            t = time.perf_counter()
            fn(der)
            best = min(best, time.perf_counter() - t)
    finally:
        gc.enable()
    return best


def _corpus() -> list[tuple[str, bytes]]:
    out = []
    x509_dir = VECTORS / "x509"
    paths = [p for p in sorted(x509_dir.rglob("*")) if p.is_file() and "PKITS_data" not in p.parts]
    paths += sorted((x509_dir / "PKITS_data" / "certs").glob("*.crt"))[::10]
    for p in paths:
        data = p.read_bytes()
        try:
            cert = x509.load_pem_x509_certificate(data) if b"-----BEGIN CERTIFICATE" in data else x509.load_der_x509_certificate(data)
            der = cert.public_bytes(serialization.Encoding.DER)
            _pyasn1(der)
        except Exception:  # not a certificate, or pyasn1 rejects it: not comparable
            continue
        out.append((str(p.relative_to(VECTORS)), der))
    return out


def _synthetic(n_sans: int) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench.example")])
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    sans = [x509.DNSName(f"host{i}.bench.example") for i in range(n_sans)]
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(sans), critical=False).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.DER)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="best of N runs per object (default 7)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    corpus = _corpus()
    for _name, der in corpus[:5]:  # warm the schema caches and imports of both sides
        _certlab(der)
        _pyasn1(der)
    ratios, ours_total, theirs_total = [], 0.0, 0.0
    for _name, der in corpus:
        ours = _best(_certlab, der, args.repeat)
        theirs = _best(_pyasn1, der, args.repeat)
        ratios.append(ours / theirs)
        ours_total += ours
        theirs_total += theirs
    print(f"corpus: {len(corpus)} certificates that pyasn1 decodes, best of {args.repeat}")
    print(f"certlab explore+HTML total {ours_total * 1e3:8.1f} ms   pyasn1 decode+prettyPrint total {theirs_total * 1e3:8.1f} ms")
    q = statistics.quantiles(ratios, n=10)
    print(f"ratio certlab/pyasn1: median {statistics.median(ratios):.3f}  p10 {q[0]:.3f}  p90 {q[-1]:.3f}  "
          f"(target <= 1.0)")
    print("linearity (synthetic certificates, n SANs):")
    print(f"{'SANs':>6} {'bytes':>8} {'certlab ms':>11} {'us/KB':>8} {'pyasn1 ms':>10} {'us/KB':>8}")
    per_kb = []
    for n in (1, 10, 100, 500, 2000):
        der = _synthetic(n)
        ours = _best(_certlab, der, args.repeat)
        theirs = _best(_pyasn1, der, args.repeat)
        kb = len(der) / 1024
        per_kb.append(ours * 1e6 / kb)
        print(f"{n:>6} {len(der):>8} {ours * 1e3:>11.2f} {ours * 1e6 / kb:>8.0f} {theirs * 1e3:>10.2f} {theirs * 1e6 / kb:>8.0f}")
    print(f"certlab us/KB, largest / 100-SAN certificate: {per_kb[-1] / per_kb[2]:.2f} (about 1.0 = linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
