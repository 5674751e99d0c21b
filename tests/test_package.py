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


_USER_FILE = '''
import certlab
from certlab.fields import describe
from certlab.findings import find
from certlab.load import kind_of, private_key_bytes
from certlab.widgets.views import Views
from certlab.widgets import CertificateLab, Inspector
import certlab.widgets

reveal_type(certlab.build_csr)
reveal_type(certlab.generate_key)
reveal_type(certlab.describe)
reveal_type(certlab.find)
reveal_type(certlab.kind_of)
reveal_type(certlab.private_key_bytes)
reveal_type(certlab.load)
reveal_type(certlab.TeachingCA.create)
reveal_type(describe)
reveal_type(find)
reveal_type(kind_of)
reveal_type(private_key_bytes)
reveal_type(Views.render)
# certlab.widgets' forms are imported lazily (PEP 562): their types must still be real
reveal_type(CertificateLab(mode="csr"))
reveal_type(Inspector())
reveal_type(certlab.widgets.Compare())
reveal_type(certlab.widgets.show)
key = certlab.generate_key(certlab.KeySpec("ec"))
reveal_type(certlab.build_csr(certlab.CsrSpec(), key))
reveal_type(kind_of(key))
'''


def test_a_users_type_checker_sees_real_types(tmp_path: Path) -> None:
    # py.typed promises types: through __init__'s lazy exports too, nothing a user calls is Any
    user = tmp_path / "user.py"
    user.write_text(_USER_FILE)
    env = {**__import__("os").environ, "MYPYPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
                           "--cache-dir", str(tmp_path / ".mypy_cache"), "--follow-imports=silent", str(user)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600, env=env)
    revealed = [line for line in done.stdout.splitlines() if "Revealed type is" in line]
    assert len(revealed) == _USER_FILE.count("reveal_type("), done.stdout + done.stderr
    assert " error: " not in done.stdout, done.stdout  # e.g. "does not explicitly export"
    for line in revealed:
        assert "Any" not in line, line  # a lazy export without its TYPE_CHECKING import reads as Any
    text = "\n".join(revealed)
    assert "-> cryptography.hazmat.bindings._rust.x509.CertificateSigningRequest" in text
    assert "Literal['certificate'" in text  # kind_of answers one of the kinds
    assert 'Revealed type is "certlab.widgets.lab.CertificateLab"' in text  # a lazy form, typed


def test_the_typed_imports_cover_every_lazy_export() -> None:
    import ast

    tree = ast.parse((ROOT / "src" / "certlab" / "__init__.py").read_text())
    typed = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.If)
             for sub in ast.walk(node) if isinstance(sub, ast.ImportFrom) for alias in sub.names}
    from certlab import _LAZY

    assert set(_LAZY) == typed
