"""Every citation a learner reads has one format, "RFC 5280 §4.2.1.6" (issue 9).

The texts are checked where they live (string literals of the package, every
notebook cell) and where a learner meets them (the fields, findings and tree of
real certificates).  Fix a failure with ``python .ci/citations.py``.
"""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

import nbformat
import pytest

from certlab.knowledge.citations import OTHER_STYLE, cite, normalise

ROOT = Path(__file__).resolve().parents[1]
HINT = "write 'RFC 5280 §4.2.1.6'; `python .ci/citations.py` rewrites them all"


def _literals(path: Path) -> list[str]:
    kinds = {tokenize.STRING} | ({tokenize.FSTRING_MIDDLE} if hasattr(tokenize, "FSTRING_MIDDLE") else set())
    text = path.read_text(encoding="utf-8")
    return [tok.string for tok in tokenize.generate_tokens(io.StringIO(text).readline) if tok.type in kinds]


def test_the_helper_writes_one_format() -> None:
    assert cite("RFC 5280", "4.2.1.6") == "RFC 5280 §4.2.1.6" == cite("RFC 5280", "§4.2.1.6")
    assert cite("FIPS 204") == "FIPS 204"
    # the other style, spelt with a variable so the converter leaves this test's input alone
    old = "(RFC 5280 {0}4.2.1.6; X.690 {0}10.1, RFC 8017 {0}A.1.2)"
    assert normalise(old.format("")) == old.format("§")
    assert OTHER_STYLE.search(old.format("")) and not OTHER_STYLE.search(old.format("§"))
    assert normalise("RFC 5280 §4.2.1.6, RFC 5280 Appendix A.1, BR 1.1.9 §9.4") == (
        "RFC 5280 §4.2.1.6, RFC 5280 Appendix A.1, BR 1.1.9 §9.4")


def test_no_text_of_the_package_uses_the_other_format() -> None:
    bad = [f"{path.relative_to(ROOT)}: {m.group(0)}"
           for path in sorted((ROOT / "src" / "certlab").rglob("*.py")) if path.name != "citations.py"
           for literal in _literals(path) for m in OTHER_STYLE.finditer(literal)]
    assert not bad, f"{HINT}:\n" + "\n".join(bad)


def test_no_notebook_uses_the_other_format() -> None:
    bad = [f"{path.name} cell {i}: {m.group(0)}"
           for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
           for i, cell in enumerate(nbformat.read(path, as_version=4).cells)
           for m in OTHER_STYLE.finditer(cell.source)]
    assert not bad, f"{HINT}:\n" + "\n".join(bad)


@pytest.mark.parametrize("name", ["isrg-root-x1", "ssleay-v1-test"])
def test_what_a_learner_reads_uses_one_format(name: str) -> None:
    # texts composed at run time (templates, f-strings) are checked where they end up
    from cryptography.hazmat.primitives import serialization

    from certlab import samples
    from certlab.explorer import explore
    from certlab.fields import describe
    from certlab.findings import find

    cert = samples.load(name)
    texts = [f.citation + " " + f.message for f in find(cert)]
    texts += [f"{f.rfc} {f.explanation}" for f in describe(cert).fields]
    explored = explore(cert.public_bytes(serialization.Encoding.DER), "certificate")
    texts += [str(getattr(n, "explanation", "")) + " " + str(getattr(n, "rfc", "")) for n in explored.walk()]
    bad = sorted({m.group(0) for text in texts for m in OTHER_STYLE.finditer(text)})
    assert not bad, f"{HINT}: {bad}"
