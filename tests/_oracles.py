"""External oracles for the foundation tests: the ``openssl`` command line.

OpenSSL is an independent implementation, so when it accepts what certlab
built (``req -verify``, ``verify``) or prints back what we asked for
(``x509 -text``), the test is not certlab checking itself.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="the openssl command line tool is not installed")


def openssl(*args: str, cwd: pathlib.Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``openssl args...``; with ``check`` a failure shows openssl's own stderr."""
    assert OPENSSL is not None
    proc = subprocess.run([OPENSSL, *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=60)
    if check and proc.returncode != 0:
        raise AssertionError(f"openssl {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}{proc.stdout}")
    return proc


def write_pem(directory: pathlib.Path, name: str, obj: object) -> pathlib.Path:
    """Write a certificate / CSR / CRL as PEM into ``directory`` and return the path."""
    path = directory / name
    path.write_bytes(obj.public_bytes(serialization.Encoding.PEM))  # type: ignore[attr-defined]
    return path
