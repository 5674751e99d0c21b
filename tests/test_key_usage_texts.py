"""The KeyUsage bits' explanations (one row each, knowledge/algorithms.py) are shown where a
learner meets KeyUsage: one field per asserted bit, and the lab's checkboxes' tooltips.

Oracle for which bits are asserted: ``openssl x509 -text``'s "X509v3 Key Usage" line, whose
words are the rows' labels.
"""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from certlab.fields import describe
from certlab.knowledge.algorithms import KEY_USAGE_BITS
from tests._certs import make_cert

_NONE = dict.fromkeys((b.keyword for b in KEY_USAGE_BITS), False)
_CASES = [
    {"digital_signature": True, "key_encipherment": True},
    {"key_cert_sign": True, "crl_sign": True, "digital_signature": True},
    {"content_commitment": True, "data_encipherment": True},
    {"key_agreement": True, "encipher_only": True},
    {"key_agreement": True, "decipher_only": True},
    {b.keyword: True for b in KEY_USAGE_BITS},
]


def _openssl_usages(cert: x509.Certificate) -> list[str]:
    pem = cert.public_bytes(serialization.Encoding.PEM)
    text = subprocess.run(["openssl", "x509", "-noout", "-text"], input=pem, capture_output=True,
                          check=True).stdout.decode()
    lines = text.splitlines()
    i = next(k for k, line in enumerate(lines) if "X509v3 Key Usage" in line)
    return [w.strip() for w in lines[i + 1].split(",")]


@pytest.mark.parametrize("bits", _CASES, ids=lambda b: "+".join(sorted(b)))
def test_one_field_per_asserted_bit_with_its_explanation(bits: dict[str, bool]) -> None:
    cert = make_cert(extra=[(x509.KeyUsage(**{**_NONE, **bits}), True)])
    fields = [f for f in describe(cert).fields if f.name.startswith("Key Usage: ")]
    by_label = {b.label: b for b in KEY_USAGE_BITS}
    shown = [f.value.split(" (bit ")[0] for f in fields]
    assert shown == _openssl_usages(cert)
    ku = next(f for f in describe(cert).fields if f.name.startswith("Key Usage (critical)"))
    for f in fields:
        row = by_label[f.value.split(" (bit ")[0]]
        assert f.name == f"Key Usage: {row.asn1_name}" and f.value == f"{row.label} (bit {row.bit})"
        assert (f.explanation, f.rfc) == (row.explanation, "RFC 5280 §4.2.1.3")
        assert f.derived and f.path == f"{ku.path}.extnValue.keyUsage"


def test_the_lab_checkboxes_explain_each_bit(dummy_comm: Any) -> None:
    from certlab.widgets.extensions import ExtensionsForm

    form = ExtensionsForm({"key_usage": ("digital_signature",)})
    group = form.fields["key_usage"]
    assert [box.tooltip for box in group.boxes.values()] == [b.explanation for b in KEY_USAGE_BITS]
    assert list(group.boxes) == [b.keyword for b in KEY_USAGE_BITS]
