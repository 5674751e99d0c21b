"""A finding: one thing worth telling about an object, pinned to a node path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..knowledge.findings import FINDINGS

__all__ = ["Finding", "finding", "SEVERITIES"]

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One thing worth telling, pinned to a node."""

    code: str
    severity: str
    message: str
    citation: str
    path: str | None
    source: str = "certlab"

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``certlab inspect --json``."""
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "citation": self.citation, "path": self.path, "source": self.source}


def finding(code: str, path: str | None, *, source: str = "certlab", **values: Any) -> Finding:
    """Make a finding from its table entry, filling the message template with ``values``."""
    text = FINDINGS[code]
    return Finding(code, text.severity, text.message.format(**values),
                   text.citation.format(**values), path, source)
