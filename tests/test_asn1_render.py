"""Text and HTML renderers of the explorer: openssl rows, ARIA tree, escaping, size, behaviour."""

from __future__ import annotations

import datetime
import html.parser
import re
import shutil
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from certlab.explorer import explore
from certlab.render import style
from certlab.render.asn1_html import explorer_html, explorer_page
from certlab.render.asn1_text import explorer_text

DER = serialization.Encoding.DER
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE2 = '"><script>alert(2)</script>&amp;'


def _cert(subject_value: str, san: list[x509.GeneralName], key: object = None) -> x509.Certificate:
    key = key or ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, subject_value),
        x509.NameAttribute(NameOID.LOCALITY_NAME, subject_value),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, subject_value),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, subject_value),
        x509.NameAttribute(NameOID.COMMON_NAME, subject_value),
    ])
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(1000).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=10)))
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(key, hashes.SHA256())


@pytest.fixture(scope="module")
def rsa_cert() -> x509.Certificate:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _cert("My Company", [x509.DNSName("localhost"), x509.DNSName("www.example.com")], key)


class _Collect(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(markup: str) -> _Collect:
    c = _Collect()
    c.feed(markup)
    c.close()
    return c


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_text_rows_match_openssl_asn1parse(rsa_cert: x509.Certificate) -> None:
    der = rsa_cert.public_bytes(DER)
    text = explorer_text(explore(der))
    rows = re.finditer(r"^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+) (prim|cons)(>| )", text, re.M)
    # ours also lists encapsulated nodes (marked '>'), which asn1parse does not descend into
    ours = [m.groups()[:5] for m in rows if m[6] != ">"]
    out = subprocess.run(["openssl", "asn1parse", "-inform", "DER"], input=der, capture_output=True, check=True).stdout.decode()
    theirs = [tuple(m.groups()) for m in re.finditer(r"^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)\s+(prim|cons)", out, re.M)]
    assert ours == theirs
    assert any(m[6] == ">" for m in re.finditer(r"^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+) (prim|cons)(>| )", text, re.M))
    assert "commonName (2.5.4.3)" in text and "subjectAltName" in text


def test_html_is_an_aria_tree_with_byte_ranges(rsa_cert: x509.Certificate) -> None:
    e = explore(rsa_cert.public_bytes(DER))
    markup = explorer_html(e)
    parsed = _parse(markup)
    trees = [a for t, a in parsed.tags if a.get("role") == "tree"]
    items = [a for t, a in parsed.tags if a.get("role") == "treeitem"]
    groups = [a for t, a in parsed.tags if a.get("role") == "group"]
    nodes = list(e.walk())
    assert len(trees) == 1 and len(items) == len(nodes)
    assert len(groups) == sum(1 for n in nodes if n.children)
    for attrs, n in zip(items, nodes):
        assert attrs["aria-level"] == str(n.depth + 1)
        assert ("aria-expanded" in attrs) == bool(n.children)
        start, ident, content, end = map(int, attrs["data-b"].split(","))
        assert (start, ident, content, end) == (n.offset, n.offset + len(n.node.identifier), n.content_offset, n.end)
    # roving tabindex: exactly one item in the tab order
    assert sum(1 for a in items if a.get("tabindex") == "0") == 1
    # the hex dump holds every byte once, in order
    hexdump = markup.split('class="cl-hex"', 1)[1].split(">", 1)[1].split('<div class="cl-info"', 1)[0]
    # the dump scrolls, so the keyboard can reach it (axe-core scrollable-region-focusable)
    assert re.search(r'<div class="cl-hex"[^>]* tabindex="0"', markup)
    hexbytes = re.sub(r"<b>[0-9a-f]{4}</b>|<u[^>]*>.*?</u>", "", hexdump)
    assert bytes.fromhex(re.sub(r"<[^>]+>|\s", "", hexbytes)) == e.der


def test_selected_node_and_highlights_are_marked_without_script(rsa_cert: x509.Certificate) -> None:
    e = explore(rsa_cert.public_bytes(DER))
    path = "certificate.tbsCertificate.serialNumber"
    node = e.find(path)
    markup = explorer_html(e, selected=path, highlight=[(0, 2, "cl-chg"), (5, 6, 'x" onclick="evil')])
    parsed = _parse(markup)
    selected = [a for t, a in parsed.tags if a.get("aria-selected") == "true"]
    assert len(selected) == 1 and selected[0]["data-b"].startswith(f"{node.offset},")
    classes = [a.get("class") for t, a in parsed.tags if t == "i" and a.get("class")]
    assert classes.count("h1") == 1 and classes.count("h2") == 1 and classes.count("h3") == node.length
    assert sum(1 for c in classes if "cl-chg" in c) == 2
    assert not any(k == "onclick" for t, a in parsed.tags if t == "i" for k in a)
    info = markup.split('<div class="cl-info" aria-live="polite">', 1)[1].split("</div>", 1)[0]
    assert "unique per issuer" in info  # the selection's explanation is shown, no script needed


def test_hostile_text_in_every_field_stays_text() -> None:
    for payload in (HOSTILE, HOSTILE2):
        cert = _cert(payload, [x509.DNSName(payload), x509.UniformResourceIdentifier(payload)])
        e = explore(cert.public_bytes(DER))
        for markup in (explorer_html(e, selected="certificate.tbsCertificate.subject"), explorer_page(e, payload)):
            parsed = _parse(markup)
            tags = {t for t, _ in parsed.tags}
            assert not tags & {"img", "script"}, tags
            handlers = [(t, k) for t, a in parsed.tags for k in a if k.startswith("on")]
            # only the container's own delegating handlers exist
            assert {t for t, _ in handlers} == {"div"}
            assert {k for _, k in handlers} == {"onclick", "onmouseover", "onmouseout", "onfocusin", "onkeydown"}
            assert sum(1 for t, a in parsed.tags if "onclick" in a) == 1
            assert any(payload in chunk for chunk in parsed.text), "the text must survive, as text"
        assert "&lt;img src=x" in explorer_html(e) or "&lt;script&gt;" in explorer_html(e)


def test_size_budget_of_a_2048_bit_rsa_certificate(rsa_cert: x509.Certificate) -> None:
    markup = explorer_html(explore(rsa_cert.public_bytes(DER)))
    # 40 kB, plus the hex dump's ASCII column (issue 11: 16 characters and a <u> per row, ~1.4 kB)
    assert len(markup.encode()) < 41_500, len(markup.encode())


def test_view_wraps_fragments_in_one_container() -> None:
    page = style.view('<p data-certlab-path="certificate.tbsCertificate">x</p>', title="<T>")
    parsed = _parse(page)
    assert [a.get("class") for t, a in parsed.tags].count("certlab-view") == 1
    assert "&lt;T&gt;" in page and "<style>" in page
    assert style.STYLESHEET.count("--jp-") > 10


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_behaviour_is_valid_javascript(tmp_path: object) -> None:
    import html as _html
    import pathlib

    js = _html.unescape(re.search(r'data-certlab-js="([^"]*)"', style.view("")).group(1))
    p = pathlib.Path(str(tmp_path)) / "b.js"
    p.write_text(js)
    subprocess.run(["node", "--check", str(p)], check=True, capture_output=True)


@pytest.mark.browser
def test_behaviour_in_a_real_browser_via_innerhtml(browser: object, rsa_cert: x509.Certificate) -> None:
    """As ipywidgets.HTML does: innerHTML (no script runs), then pointer and keyboard."""
    e = explore(rsa_cert.public_bytes(DER))
    markup = explorer_html(e) + '<span data-certlab-path="certificate.tbsCertificate.validity.notAfter" id="link">x</span>'
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.set_content("<div id=host></div>")
        page.evaluate("m => { document.getElementById('host').innerHTML = m }", markup)
        # the link lives outside the explorer's own markup: put it inside the same view
        page.evaluate("() => document.querySelector('.certlab-view').appendChild(document.getElementById('link'))")
        serial = e.find("certificate.tbsCertificate.serialNumber")
        item = page.locator(f'[role=treeitem][data-b^="{serial.offset},"]')
        item.locator("> span").hover()
        # byte offset = row * 16 + place in the row (a row is split into <i>s when first marked)
        marks = page.evaluate("""() => Array.from(document.querySelectorAll('.cl-hex > div')).flatMap((row, r) =>
            Array.from(row.getElementsByTagName('i')).map((x, j) => [r * 16 + j, x.className])).filter(p => p[1])""")
        assert [i for i, c in marks if "h1" in c] == [serial.offset]
        assert [i for i, c in marks if "h2" in c] == [serial.offset + 1]
        assert [i for i, c in marks if "h3" in c] == list(range(serial.content_offset, serial.end))
        item.locator("> span").click()
        assert item.get_attribute("aria-selected") == "true"
        assert "unique per issuer" in page.locator(".cl-info").inner_text()
        page.keyboard.press("ArrowDown")
        focused = page.evaluate("() => document.activeElement.getAttribute('data-certlab-path')")
        assert focused == "certificate.tbsCertificate.signature"
        page.keyboard.press("ArrowLeft")  # collapse? signature is expanded: it collapses
        assert page.evaluate("() => document.activeElement.getAttribute('aria-expanded')") == "false"
        page.keyboard.press("Home")
        assert page.evaluate("() => document.activeElement.getAttribute('aria-level')") == "1"
        page.click("#link")
        sel = page.locator('[role=treeitem][aria-selected=true]')
        assert sel.get_attribute("data-certlab-path") == "certificate.tbsCertificate.validity.notAfter.utcTime"
        assert "certlab-linked" in (page.get_attribute("#link", "class") or "")
    finally:
        page.close()
