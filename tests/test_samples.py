"""The shipped real certificates: present, unchanged, traceable to their origin."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import cryptography_vectors
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

import certlab
from certlab import samples
from certlab.errors import LoadError

DATA = Path(certlab.__file__).parent / "data" / "real"
VECTORS = Path(cryptography_vectors.__file__).parent / "x509"
MOZILLA = Path("/usr/share/ca-certificates/mozilla")


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def test_every_indexed_file_exists_and_nothing_is_unindexed() -> None:
    index = json.loads((DATA / "index.json").read_text("utf-8"))
    indexed = {row["file"] for row in index}
    on_disk = {p.name for p in DATA.glob("*.pem")}
    assert indexed == on_disk
    assert len({row["name"] for row in index}) == len(index)


def test_shipped_data_is_small() -> None:
    total = sum(p.stat().st_size for p in DATA.iterdir())
    assert total < 200_000


def test_sources_md_names_every_file_with_its_digest() -> None:
    text = (DATA / "SOURCES.md").read_text("utf-8")
    for sample in samples.list():
        assert sample.file in text and sample.sha256 in text


@pytest.mark.parametrize("sample", samples.list(), ids=lambda s: s.name)
def test_digest_matches_openssl(sample: samples.Sample) -> None:
    # External oracle: openssl re-encodes the PEM file to DER on its own.
    der = subprocess.run(
        ["openssl", "x509", "-in", str(DATA / sample.file), "-outform", "DER"],
        check=True, capture_output=True,
    ).stdout
    assert hashlib.sha256(der).hexdigest() == sample.sha256
    assert _der(samples.load(sample.name)) == der


@pytest.mark.parametrize("sample", samples.list(), ids=lambda s: s.name)
def test_identical_to_its_stated_origin(sample: samples.Sample) -> None:
    """Each file is byte-for-byte (as DER) a certificate of the file named as its source."""
    origin = sample.source.split("file ", 1)[1].split(" ", 1)[0]
    if origin.startswith("x509/"):
        path = VECTORS / origin.removeprefix("x509/")
    else:
        path = Path(origin)
        if not path.exists():
            pytest.skip(f"{path} not installed here (Debian ca-certificates)")
    certs = x509.load_pem_x509_certificates(path.read_bytes())
    assert _der(samples.load(sample.name)) in {_der(c) for c in certs}


def test_roles_match_the_certificates() -> None:
    for sample in samples.list():
        cert = samples.load(sample.name)
        self_signed = cert.issuer == cert.subject
        assert self_signed == (sample.role == "root") or sample.name == "ssleay-v1-test"
    assert {s.role for s in samples.list("root")} == {"root"}


def test_chain_for_follows_real_signatures() -> None:
    chain = samples.chain_for("cryptography-io-leaf")
    assert [c.subject.rfc4514_string() for c in chain][1] == "CN=RapidSSL SHA256 CA - G3,O=GeoTrust Inc.,C=US"
    chain[0].verify_directly_issued_by(chain[1])
    # The root (GeoTrust Global CA) is deliberately not shipped: the chain stops.
    assert len(chain) == 2
    assert samples.chain_for("isrg-root-x1") == [samples.load("isrg-root-x1")]


def test_unknown_name_and_role_explain_themselves() -> None:
    with pytest.raises(LoadError) as err:
        samples.load("no-such-cert")
    assert err.value.field == "name" and "isrg-root-x1" in str(err.value)
    with pytest.raises(LoadError) as err:
        samples.list("branch")
    assert err.value.field == "role"


def test_list_renders_escaped_html() -> None:
    html = samples.list()._repr_html_()
    assert "Let&#x27;s Encrypt" in html and "Let's Encrypt" not in html
    assert str(samples.list()).count("\n") == len(samples.list()) - 1


def test_years_in_titles_match_the_certificates() -> None:
    # A title like "www.cryptography.io (2014-2018)" must be the certificate's own validity years.
    import re

    for sample in samples.list():
        m = re.search(r"\((\d{4})-(\d{4})\)", sample.title)
        if m:
            cert = samples.load(sample.name)
            assert (int(m[1]), int(m[2])) == (cert.not_valid_before_utc.year, cert.not_valid_after_utc.year), sample
