"""deploy/z2jh/config.yaml, checked as far as this machine allows (no Kubernetes, no Helm here).

What is checked: the YAML parses; it uses only keys of the Zero to JupyterHub
chart's values (the chart's ``values.schema.yaml``, 3.x/4.x) that we rely on;
every ``hub.config`` entry is a real configurable trait of the installed
JupyterHub; the limits are coherent; the default URL names a shipped notebook;
the postStart hook's command is one our CLI runs, and it copies the notebooks.
What is not: rendering the chart (``helm template``) and spawning pods.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "deploy" / "z2jh" / "config.yaml"

# The chart keys this config sets (z2jh values.schema.yaml; hub.config and
# lifecycleHooks are free-form objects there: checked below by other means).
Z2JH_KEYS = {
    "hub.config",
    "singleuser.image.name",
    "singleuser.image.tag",
    "singleuser.defaultUrl",
    "singleuser.lifecycleHooks",
    "singleuser.memory.guarantee",
    "singleuser.memory.limit",
    "singleuser.cpu.guarantee",
    "singleuser.cpu.limit",
    "singleuser.storage.capacity",
    "cull.enabled",
    "cull.timeout",
    "cull.every",
}
_FREE_FORM = ("hub.config", "singleuser.lifecycleHooks")


def _leaves(tree: Any, prefix: str = "") -> list[str]:
    if prefix in _FREE_FORM or not isinstance(tree, dict):
        return [prefix]
    return [leaf for key, value in tree.items() for leaf in _leaves(value, f"{prefix}.{key}" if prefix else key)]


@pytest.fixture(scope="module")
def values() -> dict[str, Any]:
    return dict(yaml.safe_load(CONFIG.read_text()))


def test_only_chart_keys_are_set(values: dict[str, Any]) -> None:
    assert set(_leaves(values)) <= Z2JH_KEYS


def test_hub_config_names_real_jupyterhub_traits(values: dict[str, Any]) -> None:
    pytest.importorskip("jupyterhub")
    from jupyterhub.app import JupyterHub
    from jupyterhub.auth import Authenticator
    from jupyterhub.authenticators.shared import SharedPasswordAuthenticator

    classes = {"JupyterHub": JupyterHub, "Authenticator": Authenticator,
               "SharedPasswordAuthenticator": SharedPasswordAuthenticator}
    for cls_name, traits in values["hub"]["config"].items():
        cls = classes[cls_name]
        for trait in traits:
            assert cls.class_traits(config=True).get(trait) is not None, f"{cls_name}.{trait}"
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] == "shared-password"


def _bytes(size: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([KMGT]?)i?", str(size)).groups()  # type: ignore[union-attr]
    return float(number) * 1024 ** "_KMGT".index(unit or "_")


def test_limits_are_coherent_and_the_culler_is_on(values: dict[str, Any]) -> None:
    user = values["singleuser"]
    assert _bytes(user["memory"]["guarantee"]) <= _bytes(user["memory"]["limit"])
    assert _bytes(user["memory"]["guarantee"]) >= 256 * 1024**2  # a learner peaked near 230 MB (README sizing)
    assert float(user["cpu"]["guarantee"]) <= float(user["cpu"]["limit"])
    cull = values["cull"]
    assert cull["enabled"] is True and cull["timeout"] >= cull["every"] > 0


def test_the_default_url_opens_a_shipped_notebook(values: dict[str, Any]) -> None:
    url = values["singleuser"]["defaultUrl"]
    assert url.startswith("/lab/tree/certlab-notebooks/")
    assert (REPO / "notebooks" / url.rsplit("/", 1)[1]).is_file()


def test_the_post_start_hook_copies_the_notebooks(values: dict[str, Any], tmp_path: Path) -> None:
    command = values["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert command[:3] == ["certlab", "lab", "--copy-only"]
    args = [str(tmp_path / "nb") if a.startswith("/home/jovyan/") else a for a in command[1:]]
    done = subprocess.run([sys.executable, "-m", "certlab", *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "nb" / "00-start-here.ipynb").is_file()
    again = subprocess.run([sys.executable, "-m", "certlab", *args], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "kept" in again.stdout  # a restart keeps the learner's notebooks
