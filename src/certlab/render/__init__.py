"""Renderers: plain data (the explorer tree, the field list) -> text or HTML.

One stylesheet and one small behaviour live in :mod:`certlab.render.style`;
every HTML renderer wraps its fragments with :func:`certlab.render.style.view`.
"""

from __future__ import annotations

__all__: list[str] = []
