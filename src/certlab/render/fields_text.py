"""Plain text of the field model, findings and chains, in the manner of
``openssl x509 -text`` but with an explanation under each kind of field and the
findings at the end.  For terminals and ``certlab inspect --text``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: inspect --text needs no chain verifier
    from ..chain import ChainResult
    from ..fields import Description
    from ..findings import Finding

__all__ = ["fields_text", "findings_text", "chain_text"]

_WIDTH = 100
_NBSP = "\u00a0"  # textwrap breaks lines at ASCII whitespace only
_UNBROKEN = re.compile(r"(?<![;,]) ")  # the spaces inside one citation, not those between two


def _explanation(explanation: str, rfc: str | None) -> list[str]:
    # a citation's document and section stay on one line ("RFC 5280 §4.1.2.2")
    expl = explanation + (f" [{_UNBROKEN.sub(_NBSP, rfc)}]" if rfc else "")
    indent = "        "
    wrapped = textwrap.wrap(expl, _WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent]
    return [line.replace(_NBSP, " ") for line in wrapped]


def findings_text(findings: Iterable[Finding]) -> str:
    """One block per finding: ``[ERROR]`` and the message in plain words, then the citation,
    the rule's code and the node it is pinned to."""
    lines: list[str] = []
    for f in findings:
        head = f"  [{f.severity.upper()}] "
        lines += textwrap.wrap(f.message, _WIDTH, initial_indent=head, subsequent_indent="      ") or [head]
        lines.append(f"      see: {f.citation}")
        where = f" @ {f.path}" if f.path else ""
        lines.append(f"      rule: {f.code} ({f.source}){where}")
    return "\n".join(lines)


def fields_text(description: Description, findings: Iterable[Finding] = ()) -> str:
    """The description as indented text, each kind of field followed by what it means.

    An explanation is printed under the first field of its section that it explains and
    not again: the 100,000 entries of a CRL, or a certificate's 50 DNS names, share one,
    and the reader wants it once, then the values."""
    kind = {"csr": "Certificate Request", "crl": "Certificate Revocation List"}.get(
        description.kind, description.kind.replace("-", " ").title())
    # the PKI messages' titles (certlab.fields_pki) say what they are: "OCSP response: successful"
    tree_kind = description.kind in ("ocsp-request", "ocsp-response", "pkcs7", "pkcs12", "timestamp-request",
                                     "timestamp-response", "cmp", "crmf")
    lines = [description.title if tree_kind else f"{kind}: {description.title}"]
    add = lines.append
    for section, fields in description.sections():
        add(f"  {section}:")
        explained: set[tuple[str, str | None]] = set()
        for f in fields:
            add(f"    {f.name}: {f.value}")
            said = (f.explanation, f.rfc)
            if said not in explained:
                explained.add(said)
                lines += _explanation(*said)
    findings = list(findings)
    if findings:
        lines.append("  Findings:")
        lines.append(findings_text(findings))
    return "\n".join(lines) + "\n"


def chain_text(result: ChainResult) -> str:
    """The verified path, leaf first, or the explained failure."""
    host = f" for {result.host}" if result.host else ""
    lines = [f"Chain {'verified' if result.ok else 'NOT verified'}{host} at {result.at.isoformat()}"]
    for i, (role, subject) in enumerate(result.roles()):
        lines.append(f"  {i}: {role}: {subject}")
    if result.concerns is not None and not result.ok:
        lines.append(f"  concerns: {result.concerns_subject}")
    lines.append(findings_text(result.findings))
    return "\n".join(lines) + "\n"

