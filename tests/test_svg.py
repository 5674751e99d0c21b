"""Pictures: well-formed, accessible SVG whose geometry follows the real bytes."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from certlab import samples
from certlab.build import TeachingCA, build_csr, generate_key
from certlab.errors import CertlabError
from certlab.render.svg import FLOW_STEPS, Picture, byte_map_svg, chain_svg, flow_svg
from certlab.spec import CsrSpec, KeySpec

NS = {"s": "http://www.w3.org/2000/svg"}
_EC = KeySpec("ec", curve="P-256")


def _parse(picture: Picture) -> ET.Element:
    root = ET.fromstring(picture.svg)  # raises if not well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img" and root.get("aria-label")
    assert root.find("s:title", NS) is not None and root.find("s:desc", NS) is not None
    # theme-aware: JupyterLab variables with fallbacks, no bare theme colours on text
    assert "var(--jp-" in picture.svg
    assert picture.svg in picture._repr_html_() and picture._repr_svg_() == picture.svg
    assert str(picture) == picture.text and picture.text
    return root


def _evil_cert() -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "<script>alert(1)</script>&")])
    now = datetime.now(timezone.utc)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now).not_valid_after(now + timedelta(days=1))
            .sign(key, hashes.SHA256()))


def test_flow_has_six_steps_and_highlights_one() -> None:
    picture = flow_svg(highlight_step=3)
    root = _parse(picture)
    steps = [el for el in root.iter("{http://www.w3.org/2000/svg}rect") if el.get("data-step")]
    assert [int(el.get("data-step")) for el in steps] == list(range(1, 7))
    widths = {el.get("data-step"): el.get("style") for el in steps}
    assert "stroke-width:3" in widths["3"] and "stroke-width:3" not in widths["2"]
    for _, title, _, _ in FLOW_STEPS:
        assert title in picture.text
    assert "<-- this notebook" in picture.text.splitlines()[3]
    assert "this notebook" not in flow_svg().text


@pytest.mark.parametrize("bad", [0, 7, "2", 2.0])
def test_flow_rejects_bad_step(bad: object) -> None:
    with pytest.raises(CertlabError) as err:
        flow_svg(bad)  # type: ignore[arg-type]
    assert err.value.field == "highlight_step"


def _openssl_top_level(der: bytes) -> list[tuple[int, int]]:
    """(offset, total size) of the depth-1 TLVs, according to openssl asn1parse."""
    out = subprocess.run(["openssl", "asn1parse", "-inform", "DER"], input=der,
                         capture_output=True, check=True).stdout.decode()
    found = []
    for line in out.splitlines():
        m = re.match(r"\s*(\d+):d=(\d+)\s+hl=\s*(\d+)\s+l=\s*(\d+)", line)
        if m and m.group(2) == "1":
            found.append((int(m.group(1)), int(m.group(3)) + int(m.group(4))))
    return found


@pytest.mark.parametrize("name", ["isrg-root-x1", "isrg-root-x2", "cryptography-io-leaf"])
def test_byte_map_boxes_match_openssl_offsets(name: str) -> None:
    cert = samples.load(name)
    der = cert.public_bytes(serialization.Encoding.DER)
    picture = byte_map_svg(cert)
    root = _parse(picture)
    boxes = {(int(g.get("data-offset")), int(g.get("data-size")))
             for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("data-offset")}
    assert (0, len(der)) in boxes
    for item in _openssl_top_level(der):
        assert item in boxes
    # widths are proportional to sizes
    rects = {}
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        if g.get("data-offset") is None:
            continue
        rect = g.find("s:rect", NS)
        rects[(int(g.get("data-offset")), int(g.get("data-size")))] = float(rect.get("width"))
    full = rects[(0, len(der))]
    for (offset, size), width in rects.items():
        assert width == pytest.approx(full * size / len(der), abs=0.11)
    assert f"{len(der)} bytes" in picture.text


def test_byte_map_accepts_pem_der_and_objects_alike() -> None:
    cert = samples.load("isrg-root-x2")
    pem = samples.pem("isrg-root-x2")
    der = cert.public_bytes(serialization.Encoding.DER)
    texts = {byte_map_svg(x).text for x in (cert, pem, der, pem.decode())}
    assert len(texts) == 1


def test_byte_map_names_parts_key_and_signature_dominate() -> None:
    """With the explorer naming the nodes, key + signature are most of an RSA root."""
    picture = byte_map_svg(samples.load("isrg-root-x1"))
    shares = dict(re.findall(r"(public key|signature) (\d+)%", picture.text.splitlines()[0]))
    assert set(shares) == {"public key", "signature"}, picture.text
    assert int(shares["public key"]) + int(shares["signature"]) > 50


def test_byte_map_refuses_private_keys_and_garbage() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    with pytest.raises(CertlabError) as err:
        byte_map_svg(pem)
    assert "private key" in str(err.value) and "MII" not in str(err.value)
    with pytest.raises(CertlabError):
        byte_map_svg(12345)


def test_byte_map_and_chain_escape_names() -> None:
    cert = _evil_cert()
    for picture in (byte_map_svg(cert), chain_svg([cert])):
        _parse(picture)
        assert "<script>" not in picture.svg
    assert "&lt;script&gt;" in chain_svg([cert]).svg


@pytest.fixture(scope="module")
def teaching_chain() -> tuple[x509.Certificate, ...]:
    ca = TeachingCA.create(intermediate=True)
    key = generate_key(_EC)
    leaf = ca.issue(build_csr(CsrSpec(key=_EC), key))
    return (leaf, ca.intermediate, ca.root)


def test_chain_orders_root_first_whatever_the_input_order(teaching_chain: tuple) -> None:
    leaf, inter, root = teaching_chain
    a = chain_svg([leaf, root, inter])
    b = chain_svg([inter, leaf, root])
    assert a.text == b.text
    _parse(a)
    lines = a.text.splitlines()
    assert "root" in lines[1] and "Teaching Root" in lines[1]
    assert "intermediate" in lines[2] and "leaf" in lines[4]

    assert a.text.count("signed by the certificate above: yes") == 2
    # the key identifiers that link them are shown (RFC 5280 §4.2.1.1)
    ski = inter.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    assert ski[:8].hex(":").upper() in a.svg
    assert a.svg.count("AKI = parent") == 2


def test_a_chain_ending_at_an_intermediate_does_not_call_it_a_leaf(teaching_chain: tuple) -> None:
    _, inter, root = teaching_chain
    lines = chain_svg([root, inter]).text.splitlines()
    assert lines[1].startswith("1. root (self-signed)")
    assert lines[2].startswith("2. intermediate CA: subject CN=certlab Teaching Intermediate CA")
    assert "leaf:" not in chain_svg([root, inter]).svg  # no box is labelled leaf


def test_chain_shows_a_broken_link(teaching_chain: tuple) -> None:
    leaf, inter, root = teaching_chain
    impostor = TeachingCA.create(intermediate=True).intermediate  # same name, other key
    picture = chain_svg([leaf, impostor, root])
    assert "signed by the certificate above: NO" in picture.text
    assert "✘" in picture.svg


def test_chain_rejects_non_certificates() -> None:
    with pytest.raises(CertlabError) as err:
        chain_svg([])
    assert err.value.field == "certs"


def test_byte_map_of_a_csr_names_its_key() -> None:
    key = generate_key(_EC)
    text = byte_map_svg(build_csr(CsrSpec(key=_EC), key)).text
    assert "public key" in text.splitlines()[0] and "signature" in text.splitlines()[0]


def test_text_functions_match_the_pictures(teaching_chain: tuple) -> None:
    from certlab.render.svg import byte_map_text, chain_text, flow_text

    assert flow_text(2) == flow_svg(2).text
    cert = samples.load("isrg-root-x2")
    assert byte_map_text(cert) == byte_map_svg(cert).text
    assert chain_text(list(teaching_chain)) == chain_svg(list(teaching_chain)).text
    # the SVG's <desc> carries the same words for screen readers
    desc = ET.fromstring(chain_svg(list(teaching_chain)).svg).find("s:desc", NS).text
    assert desc == chain_text(list(teaching_chain))
