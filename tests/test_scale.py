"""Big inputs read whole (issue 11, item 7): a valid 100,000-entry CRL, long SAN lists.

The CRL is made with cryptography (the oracle: it loads it and checks the
signature) and cached under ``artifacts/`` so the suite builds it once.  Timing
against ``openssl asn1parse`` is measured side by side by
``benchmarks/bench_scale.py``, not asserted here (the machine is shared).
"""

from __future__ import annotations

import pathlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from certlab import cli
from tests._certs import revoked_crl

ARTIFACTS = pathlib.Path(__file__).resolve().parent.parent / "artifacts"


def big_crl(entries: int = 100_000) -> tuple[pathlib.Path, x509.CertificateRevocationList]:
    """A signed CRL of ``entries`` revoked serials (a third with a reason code), cached."""
    path = ARTIFACTS / f"crl-{entries}.der"
    if not path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        crl = revoked_crl((0x10000000000000 + i * 7919 for i in range(entries)), cn="certlab big CRL", key=key)
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


# --------------------------------------------------------------------------- long lists drawn short


@pytest.fixture(scope="module")
def crl1000() -> tuple[bytes, x509.CertificateRevocationList]:
    path, crl = big_crl(1000)
    return path.read_bytes(), crl


def _drawn(markup: str) -> str:
    """The markup a browser lays out: <template> contents are inert until put in place."""
    import re

    return re.sub(r"<template[ >].*?</template>", "", markup, flags=re.S)


def test_long_lists_draw_both_ends_and_one_more_row(crl1000: tuple[bytes, x509.CertificateRevocationList]) -> None:
    from certlab.explorer import explore
    from certlab.render.asn1_html import explorer_html

    der, crl = crl1000
    e = explore(der, "crl")
    short = explorer_html(e)
    assert short.count('role="treeitem"') < 300 and "<script" not in short
    assert "\u2026 960 more (20 to 979)" in short
    entries = "certificateList.tbsCertList.revokedCertificates"
    # entries are sent as path suffixes below their list: the first and last 20 are drawn
    after = short.split('data-s="revokedCertificates"', 1)[1]
    shown = [int(m) for m in __import__("re").findall(r'aria-level="4" data-s="(\d+)"', after)]
    assert shown[:20] == list(range(20)) and shown[-20:] == list(range(980, 1000))
    # a selected entry in the middle is drawn too (a field click must find its node)
    picked = explorer_html(e, selected=f"{entries}.500.userCertificate")
    assert 'data-s="500"' in picked and "\u2026 480 more" in picked and "\u2026 479 more" in picked
    # --html: the middle waits in <template>s of 200 items, put in place one per click (no script tag)
    full = explorer_html(e, lists="expandable")
    assert "<script" not in full and full.count("<template ") == 5 and "l.before(t.content)" in full
    assert _drawn(full).count('role="treeitem"') == short.count('role="treeitem"')
    assert full.count('role="treeitem"') == len(list(e.walk()))
    assert explorer_html(e, lists="all").count('role="treeitem"') == len(list(e.walk()))
    with pytest.raises(ValueError):
        explorer_html(e, lists="some")


def test_the_hex_dump_is_bounded_in_the_short_form() -> None:
    from certlab.explorer import explore
    from certlab.render.asn1_html import explorer_html

    path, _crl = big_crl(10_000)  # 300 KB
    e = explore(path.read_bytes(), "crl")
    short = explorer_html(e)
    # the rows of the drawn nodes only: the first and last entries, not the middle's 300 KB
    assert len(short) < 100_000 and "bytes not drawn here" in short
    assert short.count("<b>") - short.count("</b> <em>") <= 64 * 1024 // 16
    assert len(explorer_html(e, lists="expandable")) > 10 * len(short)


def test_a_5000_san_certificate_draws_its_names_short() -> None:
    from certlab.explorer import explore
    from certlab.fields import describe
    from certlab.render.asn1_html import explorer_html
    from certlab.render.fields_html import fields_html
    from tests._certs import make_cert

    cert = make_cert(sans=[f"host{i}.example.com" for i in range(5000)])
    der = cert.public_bytes(serialization.Encoding.DER)
    tree = explorer_html(explore(der, "certificate"))
    assert tree.count('role="treeitem"') < 300 and "\u2026 4960 more" in tree
    fields = fields_html(describe(cert))
    assert len(fields) < 100_000  # the SAN field is one row; the tree is what grows


def test_the_inspector_sends_a_bounded_page_for_a_big_crl(dummy_comm: None) -> None:
    import ipywidgets as w

    from certlab.widgets import Inspector

    path, _crl = big_crl(10_000)
    inspector = Inspector(path.read_bytes())
    state = w.Widget.get_manager_state()["state"]
    biggest = max(len(repr(v["state"])) for v in state.values())
    assert biggest < 200_000  # the visible tab only, lists cut to both ends
    assert len(inspector.views.html("asn1")) < 600_000
    assert "more rows" in inspector.views.html("fields")
