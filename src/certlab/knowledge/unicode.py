"""Characters that change how text *looks* without being seen, and how certlab shows them.

A certificate's names are shown to people deciding whether to trust it. A
RIGHT-TO-LEFT OVERRIDE (U+202E) in a common name makes ``a<U+202E>gnp.exe``
display as ``aexe.png``; a NUL ends the name early in C code that reads it
(the 2009 "null prefix" attack on ``www.bank.com\\0.evil.org``); a zero-width
space makes two different names look equal. Unicode calls these *control*
(Cc), *format* (Cf) and *line/paragraph separator* (Zl, Zp) characters
(Unicode Standard §23.2, UAX #9 for the bidi controls). Every view shows them
as a visible ``\\u202e`` escape instead, the way Python's ``repr`` does, so what
is on screen is what is in the bytes.
"""

from __future__ import annotations

import unicodedata

__all__ = ["INVISIBLE_CATEGORIES", "visible"]

# Unicode general categories shown as escapes (why: see the module docstring)
INVISIBLE_CATEGORIES: frozenset[str] = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    """``text`` with every control, format and separator character as a ``\\uXXXX`` escape."""
    if text.isprintable():  # the common case: nothing to do (isprintable is False for all four)
        return text
    return "".join(_escape(ch) if ch != " " and unicodedata.category(ch) in INVISIBLE_CATEGORIES else ch
                   for ch in text)
