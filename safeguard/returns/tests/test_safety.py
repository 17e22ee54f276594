"""Hostile files are refused with a clear error and nothing is written; cells are Excel-safe."""

from __future__ import annotations

import http.server
import threading
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
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
    assert refused.value.problems[0].rule == "The workbook has 20 parts; the limit is 10."
    with pytest.raises(ReturnRefused) as refused:
        safety.check_xlsx(path, max_unzipped=40)  # 20 parts x 4 bytes = 80 bytes
    assert refused.value.problems[0].rule == "The workbook unzips to 80 bytes; the limit is 40."


def test_external_links_refused(tmp_path):
    path = _zip(tmp_path, "linked.xlsx", {"xl/externalLinks/externalLink1.xml": b"<x/>"})
    with pytest.raises(ReturnRefused) as refused:
        safety.check_xlsx(path)
    assert refused.value.problems[0].rule == safety.ZIP_EXTERNAL.format(
        noun="workbook", name="xl/externalLinks/externalLink1.xml"
    )


XXE_STRINGS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<si><t>&xxe;</t></si></sst>"
)


@pytest.mark.django_db
def test_xxe_in_shared_strings_refused_before_openpyxl(tmp_path):
    path = _zip(
        tmp_path,
        "xxe.xlsx",
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/sharedStrings.xml": XXE_STRINGS,
        },
    )
    with pytest.raises(ReturnRefused) as refused:
        safety.check_xlsx(path)
    (problem,) = refused.value.problems
    assert (problem.file, problem.field, problem.rule) == (
        "xxe.xlsx",
        "xl/sharedStrings.xml",
        safety.DOCTYPE_REFUSED,
    )
    assert _refused(path, kind="annex-a")[0].rule == safety.DOCTYPE_REFUSED


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
    # Reading a file we wrote takes the guard off again, the same in polars.
    assert safety.unescape_cell(expected) == value
    if isinstance(expected, str):
        column = pl.Series([expected]).to_frame("c").select(safety.unescaped(pl.col("c")))
        assert column.item() == value


def test_unescape_leaves_other_quoted_text_alone():
    assert safety.unescape_cell("'plain") == "'plain"
    assert safety.unescape_cell("'-3") == "'-3"  # escape_cell never quotes a plain number


# --- The same attacks in the SSDA903 XML form and through the upload page, on a record that
# already holds a child: refused, and the record exactly as it was.

_903_CHILD = (
    "<CHILD><HEADER><CHILDID>X1</CHILDID><SEX>1</SEX><DOB>01/01/2010</DOB><ETHNIC>WBRI</ETHNIC>"
    "<UASC>0</UASC></HEADER><EPISODE><DECOM>01/05/2018</DECOM><RNE>S</RNE><LS>C2</LS>"
    "<CIN>N1</CIN><PL>U1</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE></CHILD>"
)
_ENTITIES = (
    '<!DOCTYPE EXPSSDA903 [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)
    )
    + "]>"
)
HOSTILE_903 = {
    "billion laughs": (_ENTITIES, "&lol9;", safety.DOCTYPE_REFUSED),
    "external file": (
        '<!DOCTYPE EXPSSDA903 [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        "&x;",
        safety.DOCTYPE_REFUSED,
    ),
    "loopback http": (
        '<!DOCTYPE EXPSSDA903 [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>',
        "&x;",
        safety.DOCTYPE_REFUSED,
    ),
    "10,000 deep": ("", "<a>" * 10_000 + "</a>" * 10_000, None),
}


def _with_a_child_loaded(tmp_path: Path) -> tuple:
    good = _write(tmp_path, "good.xml", f"<EXPSSDA903>{_903_CHILD}</EXPSSDA903>")
    import_returns("ssda903", [good])
    return _state()


def _state() -> tuple:
    from safeguard.journey.models import CareEpisode

    return (
        list(Child.objects.values_list("pk", "la_child_id", "updated_at")),
        list(CareEpisode.objects.values_list("pk", "updated_at")),
        ImportLog.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("attack", list(HOSTILE_903))
def test_hostile_ssda903_xml_refused_and_the_record_unchanged(tmp_path, attack):
    before = _with_a_child_loaded(tmp_path)
    prolog, payload, rule = HOSTILE_903[attack]
    text = f'<?xml version="1.0"?>{prolog}<EXPSSDA903>{_903_CHILD.replace("X1", "X2")}'
    text += f"<CHILD><HEADER><CHILDID>X3{payload}</CHILDID></HEADER></CHILD></EXPSSDA903>"
    with pytest.raises(ReturnRefused) as refused:
        import_returns("ssda903", [_write(tmp_path, "hostile.xml", text)], skip_invalid=True)
    expected = rule or safety.TOO_DEEP.format(limit=safety.LIBXML_MAX_DEPTH)
    assert [(p.file, p.rule) for p in refused.value.problems] == [("hostile.xml", expected)]
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["laughs.xml", "bomb.xlsx"])
def test_hostile_uploads_refused_on_the_page_and_nothing_kept(client, settings, tmp_path, name):
    from django.contrib.auth.models import Group, User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.VAR_DIR = tmp_path
    user = User.objects.create_user("ana", password="x" * 16)
    user.groups.add(Group.objects.get_or_create(name="performance_analyst")[0])
    client.force_login(user)
    if name.endswith(".xml"):
        kind, data = "cin-census", BILLION_LAUGHS.encode()
    else:
        bomb = _zip(tmp_path, name, {"xl/worksheets/sheet1.xml": b"\0" * (20 * 1024 * 1024)})
        kind, data = "annex-a", bomb.read_bytes()
    page = client.post(
        reverse("returns:upload"), {"kind": kind, "files": SimpleUploadedFile(name, data)}
    )
    assert b"The return was refused: nothing was written" in page.content
    rule = safety.DOCTYPE_REFUSED if kind == "cin-census" else "zip bomb"
    assert rule.encode() in page.content.replace(b"&#x27;", b"'").replace(b"&quot;", b'"')
    assert client.post(reverse("returns:confirm")).status_code == 400
    assert Child.objects.count() == ImportLog.objects.count() == 0
    assert list((tmp_path / "uploads").iterdir()) == []
