"""Every pkilint finding a learner can reach with certlab reads in plain words first.

The codes are not listed by hand: pkilint runs over certlab's own objects (the
tutorial's CSR and certificate, the lab's switches), the teaching CA's
certificates (the CA-signed lab) and every shipped real certificate, with the
RFC 5280 and the CA/Browser Forum profiles, and each code it reports must have
a gloss that says what is wrong, why it matters and the fix.
"""

from __future__ import annotations

import functools
import re

from certlab.findings import find
from certlab.knowledge.findings import PKILINT_GLOSS, PKILINT_GLOSSES
from tests._lint_corpus import corpus

_BARE_OID = re.compile(r"(?<![\d.(])[0-2](?:\.\d+){2,}(?![\d.)])")


@functools.lru_cache(maxsize=1)
def _reached() -> dict[str, list[tuple[str, object]]]:
    out: dict[str, list[tuple[str, object]]] = {}
    for name, obj in corpus().items():
        for cabf in (False, True):
            for f in find(obj, cabf=cabf):
                if f.source == "pkilint" and f.code != "pkilint-error":
                    out.setdefault(f.code, []).append((name, f))
    return out


def test_the_corpus_reaches_the_profiles_that_matter() -> None:
    # PKIX, CA/B DV and subscriber, CA/B root (a self-signed serverAuth certificate) and Microsoft
    assert {"pkix.authority_key_identifier_extension_absent", "cabf.serverauth.dv.unknown_attribute_present",
            "cabf.serverauth.subscriber.revocation_information_absent",
            "cabf.serverauth.root_validity_period_too_short",
            "msft.end_entity.revocation_information_absent"} <= set(_reached())
    assert len(_reached()) >= 40


def test_every_reachable_pkilint_code_has_a_gloss() -> None:
    missing = {code: [n for n, _ in hits][:3] for code, hits in _reached().items() if code not in PKILINT_GLOSS}
    assert not missing, f"pkilint codes without a plain-words gloss: {missing}"


def test_each_gloss_says_what_why_and_the_fix_with_a_source() -> None:
    for code, gloss in PKILINT_GLOSSES.items():
        assert gloss.what.strip() and gloss.why.strip() and gloss.fix.strip(), code
        assert re.search(r"RFC \d+|BR \(?§|Microsoft", gloss.text), f"{code}: no source named"
        assert PKILINT_GLOSS[code].startswith(gloss.what) and "Fix: " in PKILINT_GLOSS[code]


def test_messages_lead_with_the_gloss_and_name_attribute_oids() -> None:
    for code, hits in _reached().items():
        for _name, f in hits[:5]:
            if code == "pkix.invalid_domain_name_syntax" and f.severity == "info":
                continue  # the single-label note is certlab's own wording
            assert f.message.startswith(PKILINT_GLOSS[code].split("{names}")[0]), code
            assert "{names}" not in f.message, code
            # a bare dotted OID with a name in the OID table is always named
            from certlab.knowledge.oids import oid_info

            for oid in _BARE_OID.findall(f.message.replace("2.23.140.1.", "")):
                assert oid_info(oid) is None, f"{code}: bare {oid} in {f.message!r}"
    assert any("localityName (2.5.4.7)" in g.message for _, g in _reached()["cabf.serverauth.dv.unknown_attribute_present"])
    assert "The subject carries localityName" in " ".join(g.message for _, g in _reached()["cabf.serverauth.dv.unknown_attribute_present"])


def test_views_put_the_plain_words_before_the_rule_code() -> None:
    from certlab.render.fields_html import findings_html
    from certlab.render.fields_text import findings_text

    (name, f) = _reached()["cabf.serverauth.dv.unknown_attribute_present"][0]
    html_out, text_out = findings_html([f]), findings_text([f])
    assert html_out.index("The subject carries") < html_out.index("<code>cabf.serverauth.dv.unknown_attribute_present")
    assert text_out.index("The subject carries") < text_out.index("rule: cabf.serverauth.dv.unknown_attribute_present")
