"""The SCT example notebook 08 reads: the shipped copy is cryptography-vectors' file, and its SCTs verify."""

from __future__ import annotations

import os

import cryptography_vectors
from cryptography import x509

from certlab import ct


def test_example_is_the_vector_certificate_and_both_scts_verify() -> None:
    path = os.path.join(os.path.dirname(cryptography_vectors.__file__), "x509", "cryptography-scts.pem")
    with open(path, "rb") as f:
        vector = x509.load_pem_x509_certificate(f.read())
    cert, issuer = ct.example()
    assert cert == vector
    cert.verify_directly_issued_by(issuer)  # the shipped issuer really signed it
    report = ct.check(cert, issuer)
    assert [c.valid for c in report.checks] == [True, True]
    # cryptography's own parse of the SCT list names the same logs the snapshot names
    ours = {c.sct.log_id for c in report.checks}
    theirs = {s.log_id for s in cert.extensions.get_extension_for_class(x509.PrecertificateSignedCertificateTimestamps).value}
    assert ours == theirs
