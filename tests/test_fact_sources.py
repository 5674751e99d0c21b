"""Facts a learner reads, pinned to what their primary sources say (checked 2026-12-02).

Each test names the source and the words it says; a wrong section or number
is a failing test, not a silent drift.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID

from certlab import ct, exercises, findings
from certlab.knowledge.fields import ATTRIBUTE_TEXT
from certlab.spec.choices import SUBJECT_ATTRIBUTES
from tests._certs import ec_key

REPO = Path(__file__).resolve().parents[1]


def _cert_without_san() -> x509.Certificate:
    key = ec_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "www.example.com")])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(start).not_valid_after(start + dt.timedelta(days=90))
            .sign(key, hashes.SHA256()))


def test_no_san_cites_rfc_9525_section_2_for_the_common_name() -> None:
    # RFC 9525 §2 (Identifying Application Services): "The Common Name RDN MUST NOT be used to
    # identify a service"; §6.3 is "Matching the DNS Domain Name Portion", §6.4 the IP address.
    no_san = [f for f in findings.find(_cert_without_san(), pkilint=False) if f.code == "no-san"]
    assert no_san and "RFC 9525 §2" in no_san[0].citation
    assert "RFC 9525 §6;" not in no_san[0].citation


def test_the_csr_exercise_cites_rfc_9525_section_2() -> None:
    key = ec_key()
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "www.example.com")]))
           .sign(key, hashes.SHA256()))
    result = exercises.check_csr(csr, "www.example.com", ["www.example.com"])
    said = [w for w in result.wrong if "subjectAltName" in w]
    assert said and "(RFC 9525 §2)" in said[0]


def test_the_ou_hint_cites_the_subscriber_profiles_of_br_2() -> None:
    # BR 2.x (after ballot SC-62): §7.1.2.7.3 and §7.1.2.7.4 list organizationalUnitName as MUST NOT,
    # §7.1.2.7.2 (DV) allows only countryName and commonName; §7.1.4.2 only orders and encodes attributes.
    ou = next(a for a in SUBJECT_ATTRIBUTES if a.short_name == "OU")
    assert "BR §7.1.2.7.2-7.1.2.7.4" in ou.hint and "7.1.4.2" not in ou.hint


def test_unstructured_name_says_what_rfc_2985_says() -> None:
    # RFC 2985 §5.2.2: "The interpretation of unstructured names is intended to be specified by
    # certificate issuers etc.; no particular interpretation is required."
    text = ATTRIBUTE_TEXT["1.2.840.113549.1.9.2"]
    assert text.rfc == "RFC 2985 §5.2.2" and "left to the certificate issuer" in text.explanation


def test_chromes_row_keeps_the_log_state_condition() -> None:
    # Chrome CT policy, certificates issued on-or-after 15 April 2022, embedded SCTs: "At least one
    # Embedded SCT from a CT Log that was Qualified, Usable, or ReadOnly at the time of check".
    chrome, apple = ct.policy_verdicts(_cert_without_san(), 2)
    assert "at least one of them from a log Qualified, Usable or ReadOnly" in chrome
    assert "'181 to 398 days' 3, at most 2 per operator" in apple


def test_notebook_03_says_where_lets_encrypts_hour_comes_from() -> None:
    nb = json.loads((REPO / "notebooks" / "03-self-signed.ipynb").read_text())
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "Let's Encrypt by an hour (\"certificates\nare backdated by one hour to allow for clock skew\"" in text
    assert "Let's Encrypt community forum" in text
