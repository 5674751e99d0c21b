"""Binder config: pins agree with each other and with pyproject; the env really builds.

Oracles: ``packaging`` for specifiers, the installed ipywidgets' own
``Requires-Dist`` metadata for the widget-frontend pairing, and pip itself
installing ``binder/requirements.txt`` the way repo2docker does.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import venv
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

try:
    import tomllib
except ImportError:  # Python 3.10: pytest itself depends on tomli there
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
BINDER = REPO / "binder"

# ipywidgets minor series -> the frontend packages that speak its protocol
# (ipywidgets 8 release notes: 8.1.x ships jupyterlab_widgets 3.0.x and
# widgetsnbextension 4.0.x). Used when the venv holds another ipywidgets.
_WIDGET_FAMILIES: dict[tuple[int, int], dict[str, tuple[int, int]]] = {
    (8, 0): {"jupyterlab-widgets": (3, 0), "widgetsnbextension": (4, 0)},
    (8, 1): {"jupyterlab-widgets": (3, 0), "widgetsnbextension": (4, 0)},
}


def _pins() -> dict[str, Version]:
    pins = {}
    for raw in (BINDER / "requirements.txt").read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line in {".", "-e ."}:
            continue
        req = Requirement(line)
        [spec] = list(req.specifier)
        assert spec.operator == "==", f"binder/requirements.txt: {line!r} must be pinned with =="
        name = canonicalize_name(req.name)
        assert name not in pins, f"binder/requirements.txt pins {req.name} twice"
        pins[name] = Version(spec.version)
    return pins


def _pyproject() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((REPO / "pyproject.toml").read_text())


def test_requirements_install_certlab_itself_from_the_repo_root() -> None:
    lines = [ln.split("#", 1)[0].strip() for ln in (BINDER / "requirements.txt").read_text().splitlines()]
    # repo2docker runs pip from the repo root: "." is the repo, ".." would be its parent.
    assert "." in lines or "-e ." in lines
    assert ".." not in lines and "-e .." not in lines


def test_every_runtime_dependency_is_pinned_and_in_range() -> None:
    pins = _pins()
    for dep in _pyproject()["project"]["dependencies"]:
        req = Requirement(dep)
        name = canonicalize_name(req.name)
        assert name in pins, f"binder/requirements.txt must pin {req.name} (a certlab dependency)"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"binder pins {req.name}=={pins[name]}, outside pyproject's {req.specifier}"
        )


def test_widget_frontend_matches_ipywidgets() -> None:
    pins = _pins()
    ipyw = pins["ipywidgets"]
    family = _WIDGET_FAMILIES.get((ipyw.major, ipyw.minor))
    assert family is not None, f"ipywidgets=={ipyw}: add its frontend series to _WIDGET_FAMILIES"
    for name, series in family.items():
        assert name in pins, f"binder must pin {name} with ipywidgets"
        assert (pins[name].major, pins[name].minor) == series, f"{name}=={pins[name]} does not pair with ipywidgets=={ipyw}"


def test_widget_pins_satisfy_ipywidgets_own_metadata() -> None:
    pins = _pins()
    installed = Version(importlib.metadata.version("ipywidgets"))
    if installed != pins["ipywidgets"]:
        pytest.skip(f"venv has ipywidgets {installed}, binder pins {pins['ipywidgets']}: no metadata to compare")
    checked = 0
    for dep in importlib.metadata.requires("ipywidgets") or []:
        req = Requirement(dep)
        name = canonicalize_name(req.name)
        if req.marker is None and name in {"jupyterlab-widgets", "widgetsnbextension"}:
            assert req.specifier.contains(pins[name]), f"ipywidgets {installed} needs {dep}, binder pins {pins[name]}"
            checked += 1
    assert checked == 2


def test_runtime_is_a_python_certlab_supports() -> None:
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert runtime.startswith("python-3.")
    requires = _pyproject()["project"]["requires-python"]
    assert Version(runtime.removeprefix("python-")) in Requirement(f"x{requires}").specifier


def test_badge_url_in_readme_opens_notebook_00() -> None:
    readme = (REPO / "README.md").read_text()
    assert "https://mybinder.org/v2/gh/certlab/certlab/HEAD?labpath=notebooks%2F00-start-here.ipynb" in readme


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_binder_environment_builds_and_serves_the_notebooks(tmp_path: Path) -> None:
    """Install binder/requirements.txt into a fresh venv as repo2docker does, then use it."""
    # snapshot first: the notebooks the wheel is built from (the tree may change meanwhile)
    repo_notebooks = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
    env_dir = tmp_path / "binder-env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    # repo2docker: `pip install --no-cache-dir -r binder/requirements.txt`, cwd = repo root.
    # (The pip cache is allowed here to keep the test fast.)
    done = subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", "binder/requirements.txt"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=840,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    # The pins are what got installed.
    freeze = subprocess.run([str(py), "-m", "pip", "list", "--format=json"], capture_output=True, text=True, env=env)
    installed = {canonicalize_name(p["name"]): Version(p["version"]) for p in json.loads(freeze.stdout)}
    for name, version in _pins().items():
        assert installed.get(name) == version, f"{name}: pinned {version}, installed {installed.get(name)}"
    assert "certlab" in installed

    # certlab imports (without ipywidgets) and ships its notebooks.
    work = tmp_path / "work"
    probe = subprocess.run(
        [str(py), "-c", "import certlab, sys; assert 'ipywidgets' not in sys.modules; print(certlab.__version__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    copy = subprocess.run(
        [str(py), "-m", "certlab.launcher", "--dir", str(work), "--copy-only"],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if repo_notebooks:
        assert copy.returncode == 0, copy.stderr
        assert sorted(p.name for p in work.glob("*.ipynb")) == repo_notebooks
    else:  # no notebooks written yet: the command must say so, not crash
        assert copy.returncode == 2 and "notebooks:" in copy.stderr, copy.stderr

    # JupyterLab in that env serves the widget frontend.
    ext = subprocess.run(
        [str(env_dir / "bin" / "jupyter"), "labextension", "list"], capture_output=True, text=True, env=env
    )
    listing = ext.stdout + ext.stderr
    assert "@jupyter-widgets/jupyterlab-manager" in listing and "enabled" in listing, listing
