"""Big inputs read whole (issue 11, item 7): a valid 100,000-entry CRL, long SAN lists.

The CRL is made with cryptography (the oracle: it loads it and checks the
signature) and cached under ``artifacts/`` so the suite builds it once.  Timing
against ``openssl asn1parse`` is measured side by side by
``benchmarks/bench_scale.py``, not asserted here (the machine is shared).
"""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from certlab import cli

ARTIFACTS = pathlib.Path(__file__).resolve().parent.parent / "artifacts"


def big_crl(entries: int = 100_000) -> tuple[pathlib.Path, x509.CertificateRevocationList]:
    """A signed CRL of ``entries`` revoked serials (a third with a reason code), cached."""
    path = ARTIFACTS / f"crl-{entries}.der"
    if not path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        when = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
        reason = x509.CRLReason(x509.ReasonFlags.key_compromise)
        revoked = []
        for i in range(entries):
            entry = (x509.RevokedCertificateBuilder().serial_number(0x10000000000000 + i * 7919)
                     .revocation_date(when - dt.timedelta(seconds=i)))
            if i % 3 == 0:
                entry = entry.add_extension(reason, critical=False)
            revoked.append(entry.build())
        # the builder's constructor takes the list at once (add_revoked_certificate copies it each time)
        builder = x509.CertificateRevocationListBuilder(
            issuer_name=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "certlab big CRL")]),
            last_update=when, next_update=when + dt.timedelta(days=7), revoked_certificates=revoked)
        crl = builder.sign(key, hashes.SHA256())
        assert crl.is_signature_valid(key.public_key())
        ARTIFACTS.mkdir(exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(crl.public_bytes(serialization.Encoding.DER))
        tmp.replace(path)
    return path, x509.load_der_x509_crl(path.read_bytes())


@pytest.fixture(scope="module")
def crl100k() -> tuple[pathlib.Path, x509.CertificateRevocationList]:
    return big_crl()


def test_a_100000_entry_crl_is_read_whole_and_exits_0(crl100k: tuple[pathlib.Path, x509.CertificateRevocationList],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path, crl = crl100k
    assert len(crl) == 100_000  # cryptography, the oracle
    assert cli.main(["inspect", "--text", str(path)]) == 0
    out = capsys.readouterr()
    tree = out.out.split("-- ASN.1 --")[1]
    assert out.err == "" and "error at" not in tree and "shown up to here" not in tree
    assert tree.count(" userCertificate = ") == 100_000
    assert f"userCertificate = {crl[99_999].serial_number} " in tree
    assert tree.count("extnID = reasonCode (2.5.29.21)") == 33_334  # every third entry carries a reason code
