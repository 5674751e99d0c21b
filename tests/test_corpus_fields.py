"""Every certificate and CSR of the cryptography-vectors corpus that cryptography loads:
our serial, validity, subject, issuer and extension set agree with cryptography's API and with
what ``openssl x509 -text`` / ``openssl req -text`` prints; describe() and find() never raise."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cryptography_vectors
import pytest
from cryptography import x509

from certlab.fields import describe
from certlab.findings import find

VECTORS = Path(os.path.dirname(cryptography_vectors.__file__)) / "x509"
_EXT_PATH = re.compile(r"\.extensions\.\d+$|\.extensionRequest\.\d+$")
_NAME_SAFE = re.compile(r"^[A-Za-z0-9 .\-_()@:/']*$")


def _corpus() -> list[tuple[Path, str, str, object]]:
    files = [p for pattern in ("*.pem", "*.der", "custom/*.pem", "custom/*.der", "requests/*.pem",
                               "requests/*.der", "ed25519/*", "ed448/*")
             for p in sorted(VECTORS.glob(pattern)) if p.is_file()]
    out = []
    loaders = [("certificate", "PEM", x509.load_pem_x509_certificate),
               ("certificate", "DER", x509.load_der_x509_certificate),
               ("csr", "PEM", x509.load_pem_x509_csr), ("csr", "DER", x509.load_der_x509_csr)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in files:
            data = path.read_bytes()
            for kind, form, load in loaders:
                try:
                    obj = load(data)
                except Exception:
                    continue
                out.append((path, kind, form, obj))
                break
    return out


CORPUS = _corpus()


def _openssl(item: tuple[Path, str, str, object]) -> str:
    path, kind, form, _ = item
    cmd = ["openssl", "x509" if kind == "certificate" else "req", "-noout", "-text",
           "-inform", form, "-in", str(path)]
    res = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=30)
    return res.stdout if res.returncode == 0 else ""


@pytest.fixture(scope="module")
def openssl_out() -> dict[Path, str]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip((c[0] for c in CORPUS), pool.map(_openssl, CORPUS)))


def _value(desc, name: str) -> str | None:
    return next((f.value for f in desc.fields if f.name == name), None)


def _openssl_serial(text: str) -> int | None:
    m = re.search(r"Serial Number:\s*(-?)\s*(\d+) \(", text)
    if m:
        return int(m.group(2)) * (-1 if m.group(1) else 1)
    m = re.search(r"Serial Number:\s*\n\s*(\(Negative\))?\s*([0-9a-f:]+)\s*\n", text)
    if m:
        n = int(m.group(2).replace(":", ""), 16)
        return -n if m.group(1) else n
    return None


def _openssl_time(text: str, label: str) -> dt.datetime | None:
    m = re.search(rf"{label}\s*:\s*(\w{{3}}\s+\d+ \d\d:\d\d:\d\d \d{{4}}) GMT", text)
    if not m:
        return None
    return dt.datetime.strptime(" ".join(m.group(1).split()), "%b %d %H:%M:%S %Y").replace(tzinfo=dt.timezone.utc)


def _openssl_extension_count(text: str, kind: str) -> int:
    """Extension header lines openssl prints: a name, ":" or ": critical", at a fixed indent."""
    label, indent = ("X509v3 extensions:", 12) if kind == "certificate" else ("Requested Extensions:", 16)
    start = text.find(label)
    if start < 0:
        return 0
    end = text.find("\n    Signature Algorithm", start)
    block = text[start:end if end >= 0 else len(text)]
    return len(re.findall(rf"^ {{{indent}}}\S[^\n]*?:( critical)? ?$", block, re.M))


def _values(dn: str) -> list[str]:
    # openssl and certlab differ in short names (SN vs surname); compare the values
    return [part.split("=", 1)[-1].strip() for part in dn.split(", ") if part and part != "(empty)"]


def _openssl_name(text: str, label: str) -> str | None:
    m = re.search(rf"^\s*{label}: ?(.*)$", text, re.M)
    return m.group(1).replace(" = ", "=").strip() if m else None


def test_corpus_is_large() -> None:
    kinds = [c[1] for c in CORPUS]
    assert kinds.count("certificate") >= 80 and kinds.count("csr") >= 10


def test_corpus_agrees_with_cryptography_and_openssl(openssl_out: dict[Path, str]) -> None:
    checked = {"serial": 0, "time": 0, "name": 0, "extensions": 0}
    problems: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path, kind, _, obj in CORPUS:
            desc = describe(obj)
            find(obj, pkilint=False)  # must not raise on any real-world input
            text = openssl_out[path]
            where = path.relative_to(VECTORS)
            if kind == "certificate":
                serial = _value(desc, "Serial number")
                assert serial is not None and serial.split(" ")[0] == str(obj.serial_number), where
                if text and _openssl_serial(text) is not None:
                    checked["serial"] += 1
                    if _openssl_serial(text) != obj.serial_number:
                        problems.append(f"{where}: serial {serial} vs openssl {_openssl_serial(text)}")
                nb = _value(desc, "Not before")
                assert nb == obj.not_valid_before_utc.strftime("%Y-%m-%d %H:%M:%S UTC"), where
                ossl_nb, ossl_na = _openssl_time(text, "Not Before"), _openssl_time(text, "Not After")
                if ossl_nb and ossl_na:
                    checked["time"] += 1
                    if (ossl_nb, ossl_na) != (obj.not_valid_before_utc, obj.not_valid_after_utc):
                        problems.append(f"{where}: validity differs from openssl")
            try:
                ours_subject = _value(desc, "Subject")
                names_ok = obj.subject is not None
            except Exception:
                names_ok = False
            if names_ok and ours_subject and text:
                ossl = _openssl_name(text, "Subject")
                if ossl is not None and _NAME_SAFE.match(ossl.replace("=", "").replace(",", "")) \
                        and "+" not in ours_subject:
                    checked["name"] += 1
                    if _values(ossl) != _values(ours_subject):
                        problems.append(f"{where}: subject {ours_subject!r} vs openssl {ossl!r}")
            try:
                exts = list(obj.extensions)
            except Exception:
                continue
            ours = [f for f in desc.fields if f.path and _EXT_PATH.search(f.path)]
            assert len(ours) == len(exts), where  # oracle: cryptography, none dropped
            assert [f.critical for f in ours] == [e.critical for e in exts], where
            if text:
                count = _openssl_extension_count(text, kind)
                checked["extensions"] += 1
                if count != len(exts):
                    problems.append(f"{where}: {len(exts)} extensions vs openssl {count}")
    assert checked["serial"] >= 60 and checked["time"] >= 60 and checked["extensions"] >= 60, checked
    assert checked["name"] >= 40, checked
    # a handful of openssl printing quirks are tolerated, not more
    assert len(problems) <= 5, problems
