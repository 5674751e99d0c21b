"""The README is the contract with newcomers: what it promises must be true."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

from certlab import samples
from certlab.render.svg import byte_map_svg, flow_svg

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_two_commands_are_there_and_ci_runs_the_test_one() -> None:
    assert "./dev lab" in README and "./dev test" in README
    assert (ROOT / "dev").stat().st_mode & 0o111, "./dev must be executable"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "CI=true" in ci
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert commands[-1] == "exec ./dev test", "CI must run exactly the README's test command"


def test_every_notebook_is_listed_and_every_listed_one_exists() -> None:
    on_disk = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    listed = set(re.findall(r"^\| `(\d\d-[a-z0-9-]+)` \|", README, flags=re.M))
    assert listed == on_disk


def test_the_binder_badge_opens_notebook_00() -> None:
    match = re.search(r"mybinder\.org/v2/gh/[^)\s]+\?labpath=([^)\s]+)", README)
    assert match, "README must carry a Binder badge with labpath"
    path = urllib.parse.unquote(match.group(1))
    assert path.startswith("notebooks/00-") and (ROOT / path).is_file()


@pytest.mark.parametrize(
    ("name", "draw"),
    [
        ("flow.svg", lambda: flow_svg().svg),
        ("byte-map.svg", lambda: byte_map_svg(samples.load("cryptography-io-leaf")).svg),
    ],
)
def test_readme_pictures_are_what_certlab_draws_today(name: str, draw) -> None:
    """The pictures are drawn by certlab; regenerate them when the drawing changes:

    .venv/bin/python -c "from certlab.render.svg import flow_svg; open('docs/img/flow.svg','w').write(flow_svg().svg)"
    """
    assert f"docs/img/{name}" in README
    assert (ROOT / "docs" / "img" / name).read_text(encoding="utf-8") == draw()
