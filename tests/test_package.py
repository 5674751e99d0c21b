"""The package's shape: a pure core that never imports ipywidgets, a small typed public surface."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import certlab

ROOT = Path(__file__).resolve().parents[1]


def _core_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(certlab.__path__, "certlab.")]
    return sorted(n for n in names if not n.startswith("certlab.widgets") and n != "certlab.__main__")


def test_the_core_imports_no_ipywidgets() -> None:
    modules = _core_modules()
    assert {"certlab.spec", "certlab.der", "certlab.findings", "certlab.render.asn1_html"} <= set(modules)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'IPython', 'traitlets'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_every_public_name_resolves() -> None:
    for name in certlab.__all__:
        assert getattr(certlab, name) is not None, name


def test_the_package_is_typed_and_mypy_strict_clean() -> None:
    assert (ROOT / "src" / "certlab" / "py.typed").is_file()
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
