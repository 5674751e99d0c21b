"""One format for every citation a learner reads: ``RFC 5280 §4.2.1.6``.

Texts cite a document and a section.  RFCs and the X.6xx recommendations
(X.680, X.690 ...) write the section after a section sign; appendices keep
their letter (``RFC 8017 §A.1.2``); other sources (``CA/B Forum BR §6.3.2``,
``FIPS 204``) are written as their documents number them.

:func:`cite` builds a citation; :func:`normalise` rewrites the other style
(``RFC 5280 4.2.1.6``) in any text, and :data:`OTHER_STYLE` finds it, so a
test (``tests/test_citations.py``) and the re-runnable converter
(``.ci/citations.py``) agree on what counts.
"""

from __future__ import annotations

import re

__all__ = ["cite", "normalise", "OTHER_STYLE"]

#: "RFC 5280 4.2.1.6" / "X.690 8.1.3": a document and a section number with no section sign.
OTHER_STYLE = re.compile(r"(?<![\w.§])((?:RFC [0-9]{3,5}|X\.6[0-9]{2}) )((?:[A-C]\.)?[0-9]+(?:\.[0-9]+)*)(?![\w])")


def cite(document: str, section: str | None = None) -> str:
    """``cite("RFC 5280", "4.2.1.6") == "RFC 5280 §4.2.1.6"``; the document alone without a section."""
    if not section:
        return document
    return f"{document} §{section.lstrip('§ ')}"


def normalise(text: str) -> str:
    """``text`` with every ``RFC 5280 4.2.1.6``-style citation written ``RFC 5280 §4.2.1.6``."""
    return OTHER_STYLE.sub(lambda m: f"{m.group(1)}§{m.group(2)}", text)
