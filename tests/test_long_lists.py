"""Long lists expandable in place (issue 11, item 7): "... N more" in the widgets and ``--html``.

The widgets keep the expansion state in the kernel (:class:`ListWindows`); a click
on "... N more" writes a small request into a hidden box and the kernel re-draws
the pane with the next 200 items, never the whole list.  Oracles: cryptography's
own reading of the CRL (the serial number of entry *i*), the DER bytes themselves
(the hex rows drawn are the bytes at their offsets), Python's HTML parser.
"""

from __future__ import annotations

import html.parser
import json
import re
from typing import Any

import ipywidgets as w
import pytest
from cryptography import x509

from certlab.explorer import explore
from certlab.render.asn1_html import ListWindows, explorer_html
from tests._widgets import sent_bytes
from tests.test_scale import big_crl

ENTRIES = "certificateList.tbsCertList.revokedCertificates"


@pytest.fixture(scope="module")
def crl10k() -> tuple[bytes, x509.CertificateRevocationList]:
    path, crl = big_crl(10_000)
    return path.read_bytes(), crl


@pytest.fixture(scope="module")
def explored10k(crl10k: tuple[bytes, x509.CertificateRevocationList]) -> Any:
    return explore(crl10k[0], "crl")


def _entries(markup: str) -> list[int]:
    """The indices of the CRL entries drawn (their tree items are sent as suffixes below the list)."""
    after = markup.split('data-s="revokedCertificates"', 1)[1]
    return [int(m) for m in re.findall(r'aria-level="4" data-s="(\d+)"', after)]


def _buttons(markup: str) -> list[tuple[str, str, int, str]]:
    """(key, list path, first index, label) of every "... N more" request button."""
    return [(k, html.unescape(p), int(f), html.unescape(label)) for k, p, f, label in re.findall(
        r'<button type="button" class="cl-more-b" data-k="([^"]*)" data-p="([^"]*)" data-f="(\d+)"[^>]*>([^<]*)</button>',
        markup)]


def _serial(markup: str, crl: x509.CertificateRevocationList, i: int) -> bool:
    return f"<var>{crl[i].serial_number} (0x" in markup


# --------------------------------------------------------------------------- the renderer


def test_a_request_list_draws_both_ends_and_a_button_per_run(explored10k: Any,
                                                             crl10k: tuple[bytes, x509.CertificateRevocationList]) -> None:
    _der, crl = crl10k
    windows = ListWindows()
    markup = explorer_html(explored10k, lists="request", windows=windows, key="asn1")
    assert _entries(markup) == list(range(20)) + list(range(9980, 10000))
    assert _buttons(markup) == [("asn1", ENTRIES, 20, "\u2026 9960 more (20 to 9979): show the next 200")]
    assert windows.seen == {ENTRIES: 10_000}
    assert _serial(markup, crl, 19) and _serial(markup, crl, 9980) and not _serial(markup, crl, 20)
    # a real, keyboard-reachable button; the tree's behaviour leaves its events alone
    assert '<li role="none" class="cl-more"><button type="button"' in markup and "<script" not in markup


def test_reveal_grows_to_the_cap_then_slides(explored10k: Any, crl10k: tuple[bytes, x509.CertificateRevocationList]) -> None:
    _der, crl = crl10k
    windows = ListWindows()
    explorer_html(explored10k, lists="request", windows=windows)
    assert windows.reveal(ENTRIES, 20) and windows.window(ENTRIES) == (20, 220)
    markup = explorer_html(explored10k, lists="request", windows=windows)
    assert _entries(markup) == list(range(220)) + list(range(9980, 10000))
    assert _serial(markup, crl, 219) and not _serial(markup, crl, 220)
    # the first new item is marked once (the page scrolls it to where the button was and focuses it)
    assert markup.count('class="cl-new"') == 1 and re.search(r'class="cl-new"', markup.split('data-s="20"', 1)[1][:400])
    assert 'class="cl-new"' not in explorer_html(explored10k, lists="request", windows=windows)
    assert [b[2] for b in _buttons(markup)] == [220]
    assert windows.reveal(ENTRIES, 220) and windows.window(ENTRIES) == (20, 420)
    # past 400 drawn, the oldest fold back into a row of their own (the page stays bounded)
    assert windows.reveal(ENTRIES, 420) and windows.window(ENTRIES) == (220, 620)
    markup = explorer_html(explored10k, lists="request", windows=windows)
    assert _entries(markup) == list(range(20)) + list(range(220, 620)) + list(range(9980, 10000))
    assert [(b[2], b[3]) for b in _buttons(markup)] == [
        (20, "\u2026 200 more (20 to 219): show them"), (620, "\u2026 9360 more (620 to 9979): show the next 200")]
    # the run before the window opens at its start and joins the window
    assert windows.reveal(ENTRIES, 20) and windows.window(ENTRIES) == (20, 420)
    # the last run ends where the tail starts
    assert windows.reveal(ENTRIES, 9900) and windows.window(ENTRIES) == (9900, 9980)
    assert _entries(explorer_html(explored10k, lists="request", windows=windows))[-100:] == list(range(9900, 10000))


def test_reveal_refuses_what_the_page_was_not_shown(explored10k: Any) -> None:
    windows = ListWindows()
    assert not windows.reveal(ENTRIES, 20)  # nothing drawn yet
    explorer_html(explored10k, lists="request", windows=windows)
    for path, first in ((ENTRIES, 19), (ENTRIES, 9980), (ENTRIES, -1), ("certificateList", 20),
                        (ENTRIES + ".0", 20), ("<img src=x onerror=alert(1)>", 20)):
        assert not windows.reveal(path, first), (path, first)
    assert windows.window(ENTRIES) is None and windows.new is None


def test_drawn_entries_get_their_hex_rows_at_their_offsets(explored10k: Any,
                                                          crl10k: tuple[bytes, x509.CertificateRevocationList]) -> None:
    der, crl = crl10k
    windows = ListWindows()
    explorer_html(explored10k, lists="request", windows=windows)
    windows.reveal(ENTRIES, 5000)
    markup = explorer_html(explored10k, lists="request", windows=windows)
    rows = _hex_rows(markup)
    assert len(rows) <= 64 * 1024 // 16
    for offset, data in rows.items():  # every row drawn is the DER at that offset (the oracle: the bytes)
        assert der[offset:offset + len(data)] == data, offset
    entry = explored10k.find(f"{ENTRIES}.5100")
    assert entry is not None and _serial(markup, crl, 5100)
    # every byte of a drawn entry has its row, so pointing at it marks its bytes
    assert all(o - o % 16 in rows for o in range(entry.offset, entry.end))
    hidden = explored10k.find(f"{ENTRIES}.4000")
    assert hidden is not None and not any(o - o % 16 in rows for o in range(hidden.offset, hidden.end))


def test_expandable_html_holds_every_byte_once_and_opens_the_rows_of_what_it_draws(
        explored10k: Any, crl10k: tuple[bytes, x509.CertificateRevocationList]) -> None:
    der, _crl = crl10k
    full = explorer_html(explored10k, lists="expandable")
    hexdump = full.split('<div class="cl-hex"', 1)[1].split('<div class="cl-info"', 1)[0]
    live = re.sub(r"<template .*?</template>", "", hexdump, flags=re.S)
    parser = _Hex(counting=True)
    parser.feed('<div class="cl-hex">' + hexdump.split(">", 1)[1])
    # every row of the DER is in the file once (drawn, or waiting in a template), as the bytes it stands for
    assert sorted(parser.rows) == list(range(0, len(der), 16)) and parser.count == len(parser.rows)
    assert all(der[o:o + len(b)] == b for o, b in parser.rows.items())
    assert len(_hex_rows(full.replace(hexdump, live))) <= 64 * 1024 // 16  # drawn at first: bounded
    # each tree template says which bytes its items hold, and hex templates cover exactly those rows
    tree_templates = re.findall(r'<template data-l="[^"]*" data-r="(\d+),(\d+)">', full)
    hex_templates = [(int(a), int(b)) for a, b in re.findall(r'<template data-o="(\d+)" data-e="(\d+)">', hexdump)]
    assert len(tree_templates) == 50 and all(b - a <= 256 * 16 for a, b in hex_templates)
    first = explored10k.find(f"{ENTRIES}.20")
    assert tree_templates[0] == (str(first.offset), str(explored10k.find(f"{ENTRIES}.219").end))
    opened = [t for t in hex_templates if t[0] < int(tree_templates[0][1]) and t[1] > int(tree_templates[0][0])]
    assert opened and opened[0][0] <= first.offset + 16 and opened[-1][1] >= int(tree_templates[0][1]) - 16


class _Hex(html.parser.HTMLParser):
    """Rows of the hex dump: ``data-o`` or the running offset -> the row's bytes."""

    def __init__(self, counting: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[int, bytes] = {}
        self.count = 0
        self._in_hex = 0
        self._row: list[str] | None = None
        self._skip = 0
        self._next = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("class") == "cl-hex":
            self._in_hex = 1
            return
        if not self._in_hex:
            return
        if tag == "div" and self._row is None and a.get("class") != "cl-gap":
            self._next = int(a["data-o"] or 0) if "data-o" in a else self._next
            self._row = []
        elif tag in ("b", "u") or a.get("class") == "cl-gap":
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self._skip and tag in ("b", "u", "div"):
            self._skip -= 1
            return
        if self._in_hex and tag == "div" and self._row is not None:
            data = bytes.fromhex("".join(self._row))
            self.rows[self._next] = data
            self.count += 1
            self._next += len(data)
            self._row = None
        elif self._in_hex and tag == "div":
            self._in_hex = 0

    def handle_data(self, data: str) -> None:
        if self._row is not None and not self._skip:
            self._row.append(data.replace(" ", ""))


def _hex_rows(markup: str) -> dict[int, bytes]:
    parser = _Hex()
    parser.feed(markup)
    return parser.rows


def test_expandable_html_puts_200_items_in_place_per_click(crl10k: tuple[bytes, x509.CertificateRevocationList]) -> None:
    from tests.test_scale import big_crl as make

    path, crl = make(1000)
    e = explore(path.read_bytes(), "crl")
    full = explorer_html(e, lists="expandable")
    templates = re.findall(r'<template data-l="([^"]*)" data-r="[^"]*">(.*?)</template>', full, flags=re.S)
    # one template per click: 200, 200, 200, 200, 160 entries; each labels what is left when it is next
    assert [len(re.findall(r'aria-level="4"', body)) for _l, body in templates] == [200, 200, 200, 200, 160]
    assert [html.unescape(label) for label, _b in templates][:2] == [
        "\u2026 960 more (20 to 979): show the next 200", "\u2026 760 more (220 to 979): show the next 200"]
    assert html.unescape(templates[-1][0]) == "\u2026 160 more (820 to 979): show them"
    assert f"<var>{crl[979].serial_number} (0x" in templates[-1][1]


# --------------------------------------------------------------------------- the widgets


def _click(request: w.Text, key: str, path: str, first: int, nonce: int) -> None:
    """What the page does: a change of the hidden box's value, as ipywidgets' front end sends it."""
    value = json.dumps({"k": key, "p": path, "f": first, "n": nonce})
    request._handle_msg({"content": {"data": {"method": "update", "state": {"value": value}, "buffer_paths": []}}, "buffers": []})


def _all_sent() -> int:
    return sum(sent_bytes(x) for x in list(w.widgets.widget._instances.values()) if hasattr(x.comm, "messages"))


def test_a_click_in_the_inspector_draws_the_next_entries_with_a_bounded_update(
        dummy_comm: None, crl10k: tuple[bytes, x509.CertificateRevocationList]) -> None:
    from certlab.widgets import Inspector

    der, crl = crl10k
    inspector = Inspector(der)
    views = inspector.views
    views.tabs.selected_index = views.pane_names.index("asn1")
    pane = views.panes["asn1"]
    first = pane.value
    assert _entries(first) == list(range(20)) + list(range(9980, 10000))
    (key, path, at, _label), = _buttons(first)
    assert (key, path, at) == ("asn1", ENTRIES, 20)
    # the hidden box the button writes to is in the same host, found by its classes
    assert "certlab-more-host" in views._dom_classes and "certlab-more-request" in views.more.request._dom_classes
    assert views.more.request in views.children and views.more.request.layout.display == "none"

    before = _all_sent()
    _click(views.more.request, key, path, at, 1)
    step = _all_sent() - before
    shown = pane.value
    assert views.more.requests == 1
    assert _entries(shown) == list(range(220)) + list(range(9980, 10000))
    assert _serial(shown, crl, 219) and not _serial(shown, crl, 220)
    assert step < 400_000 and views.last_update_bytes < 400_000, step  # one pane of 240 entries, not 10,000
    # more clicks: the page never holds more than 440 entries, each update stays bounded
    for n in range(2, 8):
        (_k, _p, at, _l), = [b for b in _buttons(pane.value) if b[2] > 20] or _buttons(pane.value)
        before = _all_sent()
        _click(views.more.request, "asn1", ENTRIES, at, n)
        assert _all_sent() - before < 600_000
        assert len(_entries(pane.value)) <= 440
    assert views.more.requests == 7
    assert _serial(pane.value, crl, 20 + 7 * 200 - 1) and not _serial(pane.value, crl, 20 + 7 * 200)


def test_no_message_ever_carries_the_whole_list(dummy_comm: None, crl10k: tuple[bytes, x509.CertificateRevocationList]) -> None:
    from certlab.widgets import Inspector

    der, crl = crl10k
    inspector = Inspector(der)
    inspector.views.tabs.selected_index = inspector.views.pane_names.index("asn1")
    _click(inspector.views.more.request, "asn1", ENTRIES, 20, 1)
    sent = "".join(repr(kw.get("data", args)) for x in list(w.widgets.widget._instances.values())
                   if hasattr(x.comm, "messages") for args, kw in x.comm.messages)
    # what was drawn went out; what was never asked for did not (cryptography reads the serials)
    assert str(crl[219].serial_number) in sent and str(crl[9999].serial_number) in sent
    assert not any(str(crl[i].serial_number) in sent for i in range(220, 9980, 97))


def test_bad_requests_change_nothing_and_send_nothing(dummy_comm: None,
                                                     crl10k: tuple[bytes, x509.CertificateRevocationList]) -> None:
    from certlab.widgets import Inspector

    inspector = Inspector(crl10k[0])
    views = inspector.views
    views.tabs.selected_index = views.pane_names.index("asn1")
    shown = views.panes["asn1"].value
    request = views.more.request
    bad = ["", "not json", "[]", json.dumps({"k": "asn1", "p": ENTRIES, "f": 20.5}),
           json.dumps({"k": "asn1", "p": ENTRIES, "f": "20"}), json.dumps({"k": "fields", "p": ENTRIES, "f": 20}),
           json.dumps({"k": "asn1", "p": ENTRIES, "f": 5}), json.dumps({"k": "asn1", "p": "x" * 3000, "f": 20}),
           json.dumps({"k": "asn1", "p": ENTRIES, "f": True})]
    before = sum(sent_bytes(p) for p in views.panes.values())
    for n, value in enumerate(bad):
        request._handle_msg({"content": {"data": {"method": "update", "state": {"value": value}, "buffer_paths": []}}, "buffers": []})
    assert views.panes["asn1"].value == shown and views.more.requests == 0 and not views.bug.value
    assert sum(sent_bytes(p) for p in views.panes.values()) == before


def test_a_new_object_starts_folded_again(dummy_comm: None, crl10k: tuple[bytes, x509.CertificateRevocationList]) -> None:
    from certlab.widgets import Inspector

    inspector = Inspector(crl10k[0])
    views = inspector.views
    views.tabs.selected_index = views.pane_names.index("asn1")
    _click(views.more.request, "asn1", ENTRIES, 20, 1)
    assert len(_entries(views.panes["asn1"].value)) == 240
    inspector.inspect(big_crl(1000)[0].read_bytes())
    assert _entries(views.panes["asn1"].value) == list(range(20)) + list(range(980, 1000))


def test_compare_asks_for_the_side_it_was_clicked_in(dummy_comm: None) -> None:
    from certlab.widgets import Compare

    a = big_crl(1000)[0].read_bytes()
    b = big_crl(200)[0].read_bytes()  # the sizes differ: what this checks is the side clicked, not the diff
    from certlab.load import load

    compare = Compare(load(a)[0].obj, load(b)[0].obj)
    side_a = compare.side_a.value
    assert [x[:3] for x in _buttons(side_a)] == [("a", ENTRIES, 20)]
    assert [x[:3] for x in _buttons(compare.side_b.value)] == [("b", ENTRIES, 20)]
    _click(compare.more.request, "b", ENTRIES, 20, 1)
    assert compare.side_a.value == side_a
    assert _entries(compare.side_b.value) == list(range(200)) and not _buttons(compare.side_b.value)  # 160 were left


def test_the_fields_of_a_big_crl_open_200_rows_a_click(dummy_comm: None,
                                                      crl10k: tuple[bytes, x509.CertificateRevocationList]) -> None:
    from certlab.widgets import Inspector

    der, crl = crl10k
    inspector = Inspector(der)
    views = inspector.views
    pane = views.panes["fields"]
    # 10,000 serial rows and a reason row for every third entry
    (key, section, at, label), = _buttons(pane.value)
    assert (key, section, at, label) == ("fields", "Revoked certificates", 20, "\u2026 13294 more rows: show the next 200")

    def serials() -> list[int]:  # the serial numbers drawn, as integers
        return [int(m.replace(":", ""), 16) for m in re.findall(r"<th>Serial ([0-9a-f:]+)</th>", pane.value)]

    tail = [crl[i].serial_number for i in range(9985, 10000)]  # the last 20 rows hold the last 15 entries
    assert serials() == [crl[i].serial_number for i in range(15)] + tail
    before = _all_sent()
    _click(views.more.request, key, section, at, 1)
    assert _all_sent() - before < 200_000
    # 220 rows: the first 165 entries (cryptography's serials, in order), then the tail
    assert serials() == [crl[i].serial_number for i in range(165)] + tail
    assert pane.value.count('class="cl-new"') == 1
    assert [b[2] for b in _buttons(pane.value)] == [220]


def test_expandable_fields_open_200_rows_a_click() -> None:
    from certlab.fields import describe
    from certlab.render.fields_html import fields_html

    path, crl = big_crl(1000)
    page = fields_html(describe(crl), lists="expandable")
    templates = re.findall(r'<template data-l="([^"]*)">(.*?)</template>', page, flags=re.S)
    # 1,334 rows (a reason row for every third entry): 20 + 6 x 200 + 94 + 20
    assert [body.count("<tr") for _l, body in templates] == [200] * 6 + [94]
    assert [html.unescape(label) for label, _b in templates][-1] == "\u2026 94 more rows: show them"
    assert "\u2026 1294 more rows: show the next 200</button>" in html.unescape(page)
    assert "<script" not in page and "b.before(t.content)" in html.unescape(page)


def test_5000_sans_open_in_place_in_the_inspector(dummy_comm: None) -> None:
    from cryptography.hazmat.primitives import serialization

    from certlab.widgets import Inspector
    from tests._certs import make_cert

    names = [f"host{i}.example.com" for i in range(5000)]
    cert = make_cert(sans=names)
    inspector = Inspector(cert.public_bytes(serialization.Encoding.PEM).decode())
    views = inspector.views
    views.tabs.selected_index = views.pane_names.index("asn1")
    (key, path, at, label), = _buttons(views.panes["asn1"].value)
    assert path.endswith(".subjectAltName") and (at, label) == (20, "\u2026 4960 more (20 to 4979): show the next 200")
    _click(views.more.request, key, path, at, 1)
    shown = views.panes["asn1"].value
    # cryptography's own list of the names, in order: the first 220 drawn, the 221st not
    dns = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)
    assert all(f"<var>{html.escape(n)}</var>" in shown for n in dns[:220] + dns[-20:])
    assert f"<var>{dns[220]}</var>" not in shown and views.last_update_bytes < 300_000


def test_html_keeps_10000_items_of_a_list_and_counts_the_rest(
        monkeypatch: pytest.MonkeyPatch, explored10k: Any, crl10k: tuple[bytes, x509.CertificateRevocationList]) -> None:
    """A 100,000-entry CRL's --html was 164 MB (50 s to open in Chromium): past _HTML_KEPT the file only counts."""
    import certlab.render.asn1_html as asn1_html
    from certlab.fields import describe
    from certlab.render import fields_html as fields_mod

    monkeypatch.setattr(asn1_html, "_HTML_KEPT", 500)
    monkeypatch.setattr(fields_mod, "_HTML_KEPT", 500)
    der, crl = crl10k
    e = explored10k
    full = explorer_html(e, lists="expandable")
    templates = re.findall(r'<template data-l="([^"]*)" data-r="[^"]*">(.*?)</template>', full, flags=re.S)
    assert [len(re.findall(r'aria-level="4"', body)) for _l, body in templates] == [200, 200, 100]
    assert html.unescape(templates[0][0]) == "\u2026 500 more (20 to 519): show the next 200"
    assert "\u2026 9460 more (520 to 9979): not in this file" in full
    rows = _hex_rows(full)
    assert all(der[o:o + len(b)] == b for o, b in rows.items())
    kept, left_out = e.find(f"{ENTRIES}.519"), e.find(f"{ENTRIES}.700")
    assert all(o - o % 16 in rows for o in range(kept.offset, kept.end))
    assert not any(o - o % 16 in rows for o in range(left_out.offset, left_out.end))
    assert len(full) < 1_500_000
    page = fields_mod.fields_html(describe(crl), lists="expandable")
    assert "\u2026 12794 more rows: not in this file" in page  # 13,334 rows: 20 + 500 + 12,794 + 20


def test_a_redraw_keeps_what_the_form_put_atop_the_pane(dummy_comm: None,
                                                       crl10k: tuple[bytes, x509.CertificateRevocationList]) -> None:
    from certlab.widgets.views import Views

    views = Views(panes=("fields", "asn1"))
    views.tabs.selected_index = 1
    views.render(crl10k[1], extra={"asn1": lambda: "<p id='top'>the form's own note</p>"})
    assert views.panes["asn1"].value.startswith("<p id='top'>")
    _click(views.more.request, "asn1", ENTRIES, 20, 1)
    assert views.more.requests == 1 and views.panes["asn1"].value.startswith("<p id='top'>")
    assert len(_entries(views.panes["asn1"].value)) == 240
