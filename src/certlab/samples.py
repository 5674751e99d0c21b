"""Real public certificates shipped with certlab, for inspecting offline.

The files live in ``certlab/data/real/``; ``index.json`` there names each one,
says where it was copied from (see also ``SOURCES.md``) and records the
SHA-256 of its DER so that a corrupted install is noticed, not taught from.

    >>> from certlab import samples
    >>> [s.name for s in samples.list()][:2]
    ['cryptography-io-leaf', 'rapidssl-sha256-ca-g3']
    >>> cert = samples.load("isrg-root-x1")
"""

from __future__ import annotations

import builtins
import hashlib
import html
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

from .errors import LoadError

__all__ = ["Sample", "SampleList", "list", "load", "pem", "chain_for"]

_ROLES = ("leaf", "intermediate", "root")


@dataclass(frozen=True)
class Sample:
    """One shipped certificate: ``name`` to load it by, its ``role`` in a
    chain (leaf / intermediate / root), a ``title``, its ``source`` (where it
    was copied from), a short ``story`` and the ``sha256`` of its DER."""

    name: str
    file: str
    role: str
    title: str
    source: str
    story: str
    sha256: str


class SampleList(builtins.list[Sample]):
    """A plain list of :class:`Sample` that shows itself as a table in Jupyter."""

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td><code>{html.escape(s.name)}</code></td><td>{html.escape(s.role)}</td>"
            f"<td>{html.escape(s.title)}</td><td>{html.escape(s.story)}</td></tr>"
            for s in self
        )
        return ('<table class="certlab-samples"><thead><tr><th>name</th><th>role</th>'
                f"<th>title</th><th>story</th></tr></thead><tbody>{rows}</tbody></table>")

    def __str__(self) -> str:
        width = max((len(s.name) for s in self), default=0)
        return "\n".join(f"{s.name:<{width}}  {s.role:<12}  {s.title}" for s in self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # IPython's plain-text display: the table, not a wall of dataclass reprs
        printer.text(str(self))


def _data_dir() -> Any:  # importlib Traversable (its module moved between Pythons)
    return resources.files("certlab").joinpath("data", "real")


@lru_cache(maxsize=1)
def _index() -> tuple[Sample, ...]:
    raw = json.loads(_data_dir().joinpath("index.json").read_text("utf-8"))
    return tuple(Sample(**row) for row in raw)


def list(role: str | None = None) -> SampleList:  # noqa: A001 - the name the notebooks use
    """The shipped certificates, optionally only those with ``role``
    (``"leaf"``, ``"intermediate"`` or ``"root"``)."""
    if role is not None and role not in _ROLES:
        raise LoadError("role", f"must be one of {', '.join(_ROLES)}", role)
    return SampleList(s for s in _index() if role is None or s.role == role)


def _find(name: str) -> Sample:
    for sample in _index():
        if sample.name == name:
            return sample
    known = ", ".join(s.name for s in _index())
    raise LoadError("name", f"is not a shipped certificate (known: {known})", name)


def pem(name: str) -> bytes:
    """The PEM text of the shipped certificate ``name`` (checked against its digest)."""
    sample = _find(name)
    data = bytes(_data_dir().joinpath(sample.file).read_bytes())
    cert = x509.load_pem_x509_certificate(data)
    if hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest() != sample.sha256:
        raise LoadError("name", "shipped file does not match its recorded SHA-256; "
                        "reinstall certlab", name)
    return data


def load(name: str) -> x509.Certificate:
    """The shipped certificate ``name`` as a cryptography ``x509.Certificate``."""
    return x509.load_pem_x509_certificate(pem(name))


def chain_for(name: str) -> builtins.list[x509.Certificate]:
    """``name`` followed by the shipped certificates that issued it, leaf first.

    The chain is built by matching each certificate's issuer name to the
    subject of another shipped certificate and checking the signature
    (RFC 5280 §6.1: names link, signatures prove). It stops at a self-signed
    certificate or where the issuer is not shipped, which is a lesson in
    itself (the RapidSSL intermediate's root is gone from the trust stores).
    """
    chain = [load(name)]
    pool = [load(s.name) for s in _index() if s.name != name]
    while chain[-1].issuer != chain[-1].subject and len(chain) <= len(pool):
        current = chain[-1]
        for candidate in pool:
            if candidate.subject != current.issuer or candidate in chain:
                continue
            try:
                current.verify_directly_issued_by(candidate)
            except (ValueError, TypeError, InvalidSignature):  # not this issuer
                continue
            chain.append(candidate)
            break
        else:
            break
    return chain
