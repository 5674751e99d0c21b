"""Bad input is part of the lesson: one test per bad value, through the live lab.

Each case sets one widget as a learner would and checks the whole contract:
the message names the field, appears (escaped) in that field's error slot
(found by its CSS class, as a browser test would), ``.error`` holds it, the
last good result stays in ``.result`` and the views are marked stale, nothing
is printed by the kernel; then the good value restores everything.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import pytest

from tests._widgets import sent_bytes
from certlab.build import generate_key
from certlab.spec import KeySpec
from certlab.widgets import CertificateLab


@pytest.fixture(autouse=True)
def _comm(dummy_comm: None) -> None:
    """Every test runs with the dummy comm (no kernel)."""


@pytest.fixture(scope="module")
def rsa_key() -> Any:
    return generate_key(KeySpec())


def find_by_class(root: w.Widget, cls: str) -> list[w.Widget]:
    """Every widget under ``root`` carrying the DOM class ``cls``."""
    found, stack = [], [root]
    while stack:
        widget = stack.pop()
        if cls in getattr(widget, "_dom_classes", ()):
            found.append(widget)
        stack.extend(getattr(widget, "children", ()))
    return found


# (field to set, bad value, field named by the error, words the message must contain)
BAD: list[tuple[str, Any, str, str]] = [
    ("country", "USA", "country", "two-letter"),
    ("country", "u1", "country", "two-letter"),
    ("common_name", "a" * 65, "common_name", "at most 64"),
    ("state", "s" * 129, "state", "at most 128"),
    ("locality", "l" * 129, "locality", "at most 128"),
    ("organization", "o" * 65, "organization", "at most 64"),
    ("organizational_unit", "u" * 65, "organizational_unit", "at most 64"),
    ("email", "not-an-email", "email", "user@domain"),
    ("sans", ("mysite.com", "exa mple.com"), "sans[1]", "spaces"),
    ("sans", ("999.1.1.1",), "sans[0]", "IPv4"),
    ("sans", ("ok.example", "   "), "sans[1]", "empty"),
    ("sans", ("-bad.example",), "sans[0]", "hyphen"),
    ("sans", ("*.*.example.com",), "sans[0]", "wildcard"),
    ("sans", ("http://exa mple.com",), "sans[0]", "URI"),
    ("sans", ("user@",), "sans[0]", "user@domain"),
    ("sans", ("a..b",), "sans[0]", "empty labels"),
    ("sans", ("x" * 64 + ".com",), "sans[0]", "63"),
    ("validity_days", 0, "validity_days", "from 1 to"),
    ("validity_days", 5000, "validity_days", "from 1 to"),
    ("not_before", "yesterday", "not_before", "ISO 8601"),
    ("not_before", "1900-01-01", "not_before", "1950"),
    ("serial", "-5", "serial", "positive"),
    ("serial", "abc", "serial", "whole number"),
    ("serial", "0", "serial", "positive"),
    ("hash", "sha1", "hash", "SHA-1 is refused"),
    ("hash", "md5", "hash", "MD5 is refused"),
    ("hash", "whirlpool", "hash", "must be one of"),
    ("extended_key_usage", ["bogus"], "extended_key_usage", "must be one of"),
    ("path_length", "-1", "path_length", ">= 0"),
    ("path_length", "x", "path_length", "whole number"),
    ("key_usage", ("encipher_only",), "key_usage", "key_agreement"),
    ("key_size", "512", "key_size", "2048, 3072 or 4096"),
    ("key_size", "abc", "key_size", "whole number"),
]


def _assert_bad(lab: CertificateLab, field: str, value: Any, error_field: str, words: str, capfd: Any) -> None:
    good_result = lab.result
    good_value = lab.fields[field].value
    assert good_result is not None and lab.error is None

    lab.fields[field].value = value

    assert lab.error is not None and error_field in lab.error and words in lab.error, lab.error
    slot_class = "certlab-error-" + error_field.replace("[", "-").replace("]", "")
    slots = find_by_class(lab, slot_class)
    assert len(slots) == 1, slot_class
    assert words in html.unescape(slots[0].value)
    assert "<script" not in slots[0].value
    assert lab.result is good_result  # the last good result stays ...
    assert "certlab-stale" in lab.views._dom_classes  # ... marked stale
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # the kernel never prints a traceback

    lab.fields[field].value = good_value
    assert lab.error is None, lab.error
    assert all(slot.value == "" for slot in find_by_class(lab, slot_class))  # SAN rows may be remade
    assert "certlab-stale" not in lab.views._dom_classes


@pytest.mark.parametrize(("field", "value", "error_field", "words"), BAD, ids=[f"{c[0]}={str(c[1])[:16]}" for c in BAD])
def test_bad_input_is_shown_next_to_its_field(field: str, value: Any, error_field: str, words: str, rsa_key: Any, capfd: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    _assert_bad(lab, field, value, error_field, words, capfd)


def test_not_after_before_not_before(rsa_key: Any, capfd: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    lab.fields["not_before"].value = "2030-01-10"
    assert lab.error is None
    _assert_bad(lab, "not_after", "2030-01-01", "not_after", "must be after not_before", capfd)


def test_empty_common_name_and_no_san(rsa_key: Any, capfd: Any) -> None:
    lab = CertificateLab("csr", key=rsa_key)
    lab.fields["sans"].value = ()
    assert lab.error is None  # the CN alone still names the subject
    _assert_bad(lab, "common_name", "", "common_name", "at least one SAN", capfd)


def test_path_length_without_ca(rsa_key: Any, capfd: Any) -> None:
    lab = CertificateLab("self-signed", key=rsa_key)
    lab.fields["ca"].value = "false"
    assert lab.error is None
    _assert_bad(lab, "path_length", "1", "path_length", "only be set when ca", capfd)


def test_several_errors_at_once_each_in_its_slot(rsa_key: Any) -> None:
    lab = CertificateLab("csr", key=rsa_key)
    lab.subject._updating = True  # set two fields without building in between
    lab.fields["country"].value = "USA"
    lab.subject._updating = False
    lab.fields["sans"].value = ("fine.example", "exa mple.com")
    assert "country" in html.unescape(find_by_class(lab, "certlab-error-country")[0].value)
    assert "spaces" in html.unescape(find_by_class(lab, "certlab-error-sans-1")[0].value)
    assert find_by_class(lab, "certlab-error-sans-0")[0].value == ""


def test_message_quoting_markup_is_escaped(rsa_key: Any) -> None:
    lab = CertificateLab("csr", key=rsa_key)
    lab.fields["common_name"].value = "<script>alert(1)</script>" + "a" * 50
    slot = find_by_class(lab, "certlab-error-common_name")[0]
    assert "&lt;script&gt;" in slot.value and "<script>" not in slot.value


def test_unexpected_exception_is_shown_whole_not_printed(rsa_key: Any, monkeypatch: pytest.MonkeyPatch, capfd: Any) -> None:
    import certlab.widgets.lab as lab_module

    lab = CertificateLab("csr", key=rsa_key)
    good = lab.result

    def broken(*_args: Any, **_kw: Any) -> Any:
        raise RuntimeError("boom from a bug")

    monkeypatch.setattr(lab_module, "build_for_mode", broken)
    lab.fields["common_name"].value = "other.example"
    area = find_by_class(lab, "certlab-error-area")
    text = html.unescape("".join(a.value for a in area))
    assert "Traceback (most recent call last)" in text and "RuntimeError: boom from a bug" in text
    assert lab.error is not None and "RuntimeError" in lab.error
    assert lab.result is good
    out, err = capfd.readouterr()
    assert out == "" and err == ""
