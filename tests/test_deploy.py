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

# The chart's own schema paths and types for the sections we use, vendored
# from zero-to-jupyterhub-k8s's jupyterhub/values.schema.yaml (the header of
# the file names the commit and the licence).
SCHEMA_PATHS = REPO / "tests" / "data" / "z2jh_schema_paths.txt"


def _schema() -> tuple[dict[str, set[str]], set[str]]:
    """``(types by path, free-form paths)`` from the vendored list."""
    types: dict[str, set[str]] = {}
    free: set[str] = set()
    for line in SCHEMA_PATHS.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        path, kinds, *flags = line.split()
        types[path] = set(kinds.split("|"))
        if flags == ["free-form"]:
            free.add(path)
    return types, free


SCHEMA_TYPES, FREE_FORM = _schema()


def _leaves(tree: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if prefix in FREE_FORM or not isinstance(tree, dict):
        return [(prefix, tree)]
    return [leaf for key, value in tree.items() for leaf in _leaves(value, f"{prefix}.{key}" if prefix else key)]


def _json_types(value: Any) -> set[str]:
    """The JSON Schema types a YAML value satisfies (an integer is also a number)."""
    if value is None:
        return {"null"}
    if isinstance(value, bool):
        return {"boolean"}
    if isinstance(value, int):
        return {"integer", "number"}
    if isinstance(value, float):
        return {"number"}
    if isinstance(value, str):
        return {"string"}
    if isinstance(value, list):
        return {"array"}
    return {"object"}


def _unknown_or_mistyped(tree: dict[str, Any]) -> list[str]:
    """Each leaf the chart's schema rejects: a path it does not have, or a value of the wrong type."""
    wrong = []
    for path, value in _leaves(tree):
        if path not in SCHEMA_TYPES:
            wrong.append(f"{path}: not a key of the chart")
        elif not _json_types(value) & SCHEMA_TYPES[path]:
            wrong.append(f"{path}: {value!r} is not {'|'.join(sorted(SCHEMA_TYPES[path]))}")
    return wrong


def test_the_vendored_schema_list_names_its_source() -> None:
    header = SCHEMA_PATHS.read_text()
    assert "jupyterhub/zero-to-jupyterhub-k8s" in header and "jupyterhub/values.schema.yaml" in header
    assert re.search(r"commit:\s+[0-9a-f]{40}", header) and "BSD-3-Clause" in header
    assert {"singleuser.memory.guarantee", "singleuser.cpu.limit", "cull.timeout"} <= set(SCHEMA_TYPES)


@pytest.fixture(scope="module")
def values() -> dict[str, Any]:
    return dict(yaml.safe_load(CONFIG.read_text()))


def test_only_chart_keys_of_the_right_types_are_set(values: dict[str, Any]) -> None:
    assert _unknown_or_mistyped(values) == []


@pytest.mark.parametrize(("edit", "complaint"), [
    ({"singleuser": {"memory": {"guarantee": "512M", "limits": "1G"}}}, "singleuser.memory.limits: not a key"),
    ({"singleuser": {"cpu": {"limit": "1"}}}, "singleuser.cpu.limit: '1' is not null|number"),
    ({"cull": {"timeout": "1h"}}, "cull.timeout: '1h' is not integer|null"),
    ({"singleuser": {"cpuLimit": 1}}, "singleuser.cpuLimit: not a key"),
])
def test_the_schema_check_catches_a_wrong_key_or_type(edit: dict[str, Any], complaint: str) -> None:
    assert any(w.startswith(complaint) for w in _unknown_or_mistyped(edit))


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
    """A Kubernetes memory quantity in bytes: ``512M`` is 512 * 10**6, ``512Mi`` is 512 * 2**20."""
    number, unit, binary = re.fullmatch(r"([\d.]+)([KMGT]?)(i?)", str(size)).groups()  # type: ignore[union-attr]
    return float(number) * (1024 if binary else 1000) ** "_KMGT".index(unit or "_")


def test_limits_are_coherent_and_the_culler_is_on(values: dict[str, Any]) -> None:
    user = values["singleuser"]
    assert _bytes(user["memory"]["guarantee"]) <= _bytes(user["memory"]["limit"])
    # this session's load test (benchmarks/bench_classroom.py): 262-266 MB peak per learner,
    # server + kernel, at 1, 10 and 30 learners; the guarantee must cover it
    assert _bytes(user["memory"]["guarantee"]) >= 266e6
    assert isinstance(user["memory"]["guarantee"], str) and isinstance(user["memory"]["limit"], str)
    assert isinstance(user["cpu"]["guarantee"], (int, float)) and isinstance(user["cpu"]["limit"], (int, float))
    assert user["cpu"]["guarantee"] <= user["cpu"]["limit"]
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
