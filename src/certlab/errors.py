"""The one exception family of certlab.

Every error a learner can cause names the *field* it concerns, the *rule* that
was broken and the *value* that broke it, so that a form can show the message
next to the right input and a notebook can print it as a sentence::

    country: must be a two-letter ISO 3166 code, got 'USA'

All of them are ``ValueError`` subclasses (a bad value is what they are), in the
manner of pyca/cryptography, whose builders raise ``ValueError`` for a broken
rule.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CertlabError", "SpecError", "WrongKind", "InvalidSpec", "LoadError", "first_line"]

_NO_VALUE: Any = object()


class CertlabError(ValueError):
    """A value broke a rule.

    ``field`` is the spec name of the input it concerns (``"country"``,
    ``"sans[2]"``, ``"passphrase"``) or ``None`` when it concerns no single
    field; ``rule`` is the rule in words; ``value`` is the offending value.
    """

    field: str | None
    rule: str
    value: Any

    def __init__(self, field: str | None, rule: str, value: Any = _NO_VALUE) -> None:
        self.field = field
        self.rule = rule
        self.value = None if value is _NO_VALUE else value
        self._has_value = value is not _NO_VALUE
        super().__init__(self._message())

    def _message(self) -> str:
        text = self.rule
        if self._has_value:
            text = f"{text}, got {self.value!r}"
        return f"{self.field}: {text}" if self.field else text

    def __reduce__(self) -> tuple[Any, ...]:
        value = self.value if self._has_value else _NO_VALUE
        return (type(self), (self.field, self.rule, value))


class SpecError(CertlabError):
    """A spec (the immutable value a form edits) broke one of its rules."""


class WrongKind(SpecError, TypeError):
    """A value of the wrong kind: no key where a key must sign, an object certlab cannot show,
    compare or check.  One kind for all of them: a :class:`CertlabError` naming the field, the
    rule and the value (its type's name), and a ``TypeError``, as Python says for a wrong type,
    so code that catches either keeps working; a :class:`SpecError`, so a form shows it on its field.
    """


class InvalidSpec(SpecError):
    """Several rules were broken at once; ``errors`` lists each, in form order.

    It reads as its first error, so code that shows one message still shows a
    useful one; forms show every error next to its own field.
    """

    errors: tuple[SpecError, ...]

    def __init__(self, errors: tuple[SpecError, ...] | list[SpecError]) -> None:
        errs = tuple(errors)
        if not errs:
            raise TypeError("InvalidSpec needs at least one SpecError")
        self.errors = errs
        first = errs[0]
        super().__init__(first.field, first.rule, first.value if first._has_value else _NO_VALUE)

    def _message(self) -> str:
        first = super()._message()
        more = len(self.errors) - 1
        return first if more == 0 else f"{first} (and {more} more problem{'s' if more > 1 else ''})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))


class LoadError(CertlabError):
    """Input (PEM, DER, base64, a file, a passphrase) could not be read."""


def first_line(exc: BaseException, limit: int = 200) -> str:
    """The first line of an exception's message (its class name if it has none), at most ``limit`` characters.

    Libraries append detail a learner cannot use (cryptography's Rust debug
    dumps, pkilint's tracebacks); the first line says what went wrong.
    """
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:limit]
