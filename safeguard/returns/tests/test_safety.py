"""Hostile files are refused with a clear error and nothing is written; cells are Excel-safe."""

from __future__ import annotations

import http.server
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest

from safeguard.journey.models import Child
from safeguard.returns import safety
from safeguard.returns.codec import ReturnRefused
from safeguard.returns.importing import import_returns
from safeguard.returns.models import ImportLog

GOOD_CHILD = (
    "<Child><ChildIdentifiers><LAchildID>C1</LAchildID><PersonBirthDate>2010-01-01"
    "</PersonBirthDate><GenderCurrent>1</GenderCurrent></ChildIdentifiers>"
    "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>"
    "<CINdetails><CINreferralDate>2018-05-01</CINreferralDate><ReferralSource>1A"
    "</ReferralSource><ReferralNFA>false</ReferralNFA></CINdetails></Child>"
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE Message [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">\n' for i in range(1, 10)
    )
    + "]>\n<Message><Children>"
    + GOOD_CHILD.replace("C1", "&lol9;")
    + "</Children></Message>"
)


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode() if isinstance(text, str) else text)
    return p


def _refused(path: Path, kind: str = "cin-census", **kw) -> list:
    """Import through the driver; it must refuse, and the record must be untouched."""
    with pytest.raises(ReturnRefused) as refused:
        import_returns(kind, [path], **kw)
    assert Child.objects.count() == 0
    assert ImportLog.objects.count() == 0
    return refused.value.problems


@pytest.mark.django_db
def test_billion_laughs_refused(tmp_path):
    problems = _refused(_write(tmp_path, "laughs.xml", BILLION_LAUGHS))
    assert [(p.file, p.location, p.rule) for p in problems] == [
        ("laughs.xml", safety.WHOLE_FILE, safety.DOCTYPE_REFUSED)
    ]


@pytest.mark.django_db
def test_external_file_entity_refused(tmp_path):
    text = (
        '<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<Message><Children>" + GOOD_CHILD.replace("C1", "&x;") + "</Children></Message>"
    )
    problems = _refused(_write(tmp_path, "file.xml", text))
    assert problems[0].rule == safety.DOCTYPE_REFUSED


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (the handler's name)
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"secret")

    def log_message(self, *args):
        pass


@pytest.mark.django_db
def test_loopback_http_entity_refused_and_never_fetched(tmp_path):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/x"
        text = (
            f'<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY x SYSTEM "{url}">]>'
            "<Message><Children>" + GOOD_CHILD.replace("C1", "&x;") + "</Children></Message>"
        )
        problems = _refused(_write(tmp_path, "http.xml", text))
        # Even a parser that got past the prolog check must not fetch: entities stay unresolved.
        list(
            safety.etree.iterparse(
                str(tmp_path / "http.xml"), resolve_entities=False, no_network=True, load_dtd=False
            )
        )
    finally:
        server.shutdown()
    assert problems[0].rule == safety.DOCTYPE_REFUSED
    assert _Recorder.hits == []


def test_doctype_in_utf16_file_refused(tmp_path):
    text = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE M [<!ENTITY a "b">]><M/>'
    path = _write(tmp_path, "u16.xml", text.encode("utf-16"))
    with pytest.raises(ReturnRefused):
        safety.check_xml_prolog(path)


@pytest.mark.django_db
def test_ten_thousand_deep_nesting_refused(tmp_path):
    deep = "<a>" * 10_000 + "</a>" * 10_000
    text = "<Message><Children>" + GOOD_CHILD + deep + "</Children></Message>"
    problems = _refused(_write(tmp_path, "deep.xml", text))
    assert problems[0].rule == safety.TOO_DEEP.format(limit=safety.LIBXML_MAX_DEPTH)


def test_check_depth_limit(tmp_path):
    # 65 nested <a> under the root: depth 66 counting the root > 64.
    root = safety.etree.fromstring("<r>" + "<a>" * 65 + "</a>" * 65 + "</r>")
    with pytest.raises(ReturnRefused) as refused:
        safety.check_depth(tmp_path / "x.xml", root)
    assert refused.value.problems[0].rule == safety.TOO_DEEP.format(limit=64)
    shallow = safety.etree.fromstring("<r>" + "<a>" * 62 + "</a>" * 62 + "</r>")
    safety.check_depth(tmp_path / "x.xml", shallow)  # 63 levels: accepted


@pytest.mark.django_db
def test_file_over_the_size_limit_refused_before_parsing(tmp_path):
    # Not XML at all: proves the size check comes before any parsing.
    path = _write(tmp_path, "big.xml", b"x" * 2048)
    problems = _refused(path, limit=1024)
    assert problems[0].rule == safety.TOO_BIG.format(size=2048, limit=1024)


def _zip(tmp_path: Path, name: str, members: dict[str, bytes]) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return path


def test_zip_bomb_posing_as_xlsx_refused(tmp_path):
    # 20 MB of zeros deflates to about 20 KB: a ratio near 1000, far over 100.
    path = _zip(
        tmp_path,
        "bomb.xlsx",
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/worksheets/sheet1.xml": b"\0" * (20 * 1024 * 1024),
        },
    )
    with pytest.raises(ReturnRefused) as refused:
        safety.check_xlsx(path)
    assert "zip bomb" in refused.value.problems[0].rule


@pytest.mark.django_db
def test_zip_bomb_through_annex_a_import_writes_nothing(tmp_path):
    path = _zip(tmp_path, "bomb.xlsx", {"xl/worksheets/sheet1.xml": b"\0" * (20 * 1024 * 1024)})
    problems = _refused(path, kind="annex-a")
    assert "zip bomb" in problems[0].rule


def test_zip_too_big_unzipped_and_too_many_parts(tmp_path):
    path = _zip(tmp_path, "many.xlsx", {f"p{i}.xml": b"<a/>" for i in range(20)})
    with pytest.raises(ReturnRefused) as refused:
        safety.check_xlsx(path, max_members=10)
    assert refused.value.problems[0].rule == safety.ZIP_TOO_MANY.format(count=20, limit=10)
    with pytest.raises(ReturnRefused) as refused:
        safety.check_xlsx(path, max_unzipped=40)  # 20 parts x 4 bytes = 80 bytes
    assert refused.value.problems[0].rule == safety.ZIP_TOO_BIG.format(size=80, limit=40)


def test_external_links_refused(tmp_path):
    path = _zip(tmp_path, "linked.xlsx", {"xl/externalLinks/externalLink1.xml": b"<x/>"})
    with pytest.raises(ReturnRefused) as refused:
        safety.check_xlsx(path)
    assert refused.value.problems[0].rule == safety.ZIP_EXTERNAL.format(
        name="xl/externalLinks/externalLink1.xml"
    )


def test_not_a_zip_refused(tmp_path):
    with pytest.raises(ReturnRefused) as refused:
        safety.check_xlsx(_write(tmp_path, "fake.xlsx", b"not a zip"))
    assert refused.value.problems[0].rule.startswith("The file is not a readable XLSX")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+44 20", "'+44 20"),
        ("-cmd", "'-cmd"),
        ("@here", "'@here"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3", "-3"),  # a plain number: Excel reads it as a number, not a formula
        ("+1.5e3", "+1.5e3"),
        ("WBRI", "WBRI"),
        ("", ""),
        (None, None),
        (-3, -3),
        (date(2019, 3, 31), date(2019, 3, 31)),
        (True, True),
    ],
)
def test_escape_cell(value, expected):
    assert safety.escape_cell(value) == expected
