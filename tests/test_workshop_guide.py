"""docs/workshop.md says what its sources say (facts a facilitator plans a class around)."""

from __future__ import annotations

from pathlib import Path

GUIDE = (Path(__file__).resolve().parents[1] / "docs" / "workshop.md").read_text()
BINDER_GUIDELINES = "https://mybinder.readthedocs.io/en/latest/about/user-guidelines.html"


def _row(name: str) -> str:
    return next(line for line in GUIDE.splitlines() if line.startswith(f"| **{name}**"))


def test_the_binder_row_quotes_binders_usage_guidelines() -> None:
    # mybinder.org's "Usage guidelines", "How long will my Binder session last?": sessions "that have
    # more than 10 minutes of inactivity" are shut down, a JupyterLab window open in the foreground is
    # "generally ... counted as activity", and Binder "aims to provide up to six hours of session time
    # per user session, or up to one cpu-hour"
    row = _row("Binder")
    assert BINDER_GUIDELINES in row
    assert "more than 10 minutes of inactivity" in row
    assert "open in the foreground generally counts as activity" in row
    assert "up to six hours" in row and "one CPU-hour" in row
    assert "about 10 minutes" not in row and "12 h" not in row
