"""The DfE rules where people meet them: the validation page, its XLSX, the import's summary,
one child's check.

The hand-made CIN census (2018-19, reference date 31 March 2019) has three children, all born
2015-01-01 (aged 4 at the reference date, so 8770Q, "UPN missing for a child over 5", does not
apply) with one disability code (NONE) each. Two known breaches:

- 8600 (error, "referral date missing or after data collection period"): B and C were referred
  on 1 May 2019, after the period ends (31 March 2019): 2 failures in 2 children.
- 8772 (error, "UPN unknown reason is UN7 but a referral goes on to further action"): A has
  UPNunknown UN7 and ReferralNFA false: 1 failure in 1 child.

The clean version (all referred 1 May 2018, A's reason UN1) breaks neither. Rule 2887Q (an
LA-level query: fewer than 8 disability codes in the whole return) fires on both, which is right:
the three children use one code.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from safeguard.journey.models import Child
from safeguard.returns import views_validate
from safeguard.returns.cin_census.tests.test_reader import HEADER, child
from safeguard.returns.importing import import_returns
from safeguard.returns.validation import escaped, validate_child

BREACHES = {"8600": (2, 2), "8772": (1, 1)}  # code -> (failures, children)


def kid(cid: str, *, referred: str = "2018-05-01", upn_unknown: str = "UN1") -> str:
    """A child that breaks no child-level rule unless told (see the module docstring)."""
    xml = child(cid).replace("2010-01-01", "2015-01-01").replace("2018-05-01", referred)
    xml = xml.replace(
        "<PersonBirthDate>", f"<UPNunknown>{upn_unknown}</UPNunknown><PersonBirthDate>"
    )
    return xml.replace(
        "<Ethnicity>WBRI</Ethnicity>",
        "<Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities>",
    )


def census(*children: str) -> bytes:
    return f"<Message>{HEADER}<Children>{''.join(children)}</Children></Message>".encode()


BREACHED = census(
    kid("A", upn_unknown="UN7"), kid("B", referred="2019-05-01"), kid("C", referred="2019-05-01")
)
CLEAN = census(kid("A"), kid("B"), kid("C"))


def _user(client, name: str, role: str) -> User:
    user = User.objects.create_user(name, password="x" * 16)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    client.force_login(user)
    return user


@pytest.fixture
def analyst(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return _user(client, "ana", "performance_analyst")


def _validate(client, data: bytes = BREACHED, kind: str = "cin-census"):
    return client.post(
        reverse("returns:validate_upload"),
        {"kind": kind, "files": SimpleUploadedFile("cin.xml", data)},
    )


def _counts(response) -> dict[str, tuple[int, int]]:
    return {r["code"]: (r["rows"], r["children"]) for r in response.context["report"]}


@pytest.mark.django_db
def test_login_and_role_required(client):
    assert client.get(reverse("returns:validate")).status_code == 302
    assert client.post(reverse("returns:validate_upload")).status_code == 302
    _user(client, "sw", "social_worker")
    assert client.get(reverse("returns:validate")).status_code == 403
    assert client.post(reverse("returns:validate_upload")).status_code == 403
    assert client.get(reverse("returns:validate_download")).status_code == 403


@pytest.mark.django_db
def test_report_counts_the_two_breaches(client, analyst):
    page = _validate(client)
    assert page.status_code == 200
    found = _counts(page)
    assert {code: found[code] for code in BREACHES} == BREACHES
    assert set(found) == {*BREACHES, "2887Q"}
    assert b"8600" in page.content and b"3 errors and 1 query in 3 children" in page.content
    clean = _counts(_validate(client, CLEAN))
    assert set(clean) == {"2887Q"}
    assert Child.objects.count() == 0  # validating writes nothing


@pytest.mark.django_db
def test_links_only_for_children_in_the_record_and_in_scope(client, analyst):
    a = Child.objects.create(la_child_id="A")
    b = Child.objects.create(la_child_id="B", restricted=True)  # named users only
    page = _validate(client)
    pks = {f["LAchildID"]: f["pk"] for r in page.context["report"] for f in r["failures"]}
    assert pks == {"A": a.pk, "B": None, "C": None, None: None}
    assert reverse("child_summary", args=[a.pk]).encode() in page.content
    assert reverse("child_summary", args=[b.pk]).encode() not in page.content


@pytest.mark.django_db
def test_xlsx_download_has_every_failure(client, analyst):
    _validate(client)
    response = client.get(reverse("returns:validate_download") + "?report=upload")
    assert response["Content-Type"] == views_validate.XLSX
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["Failures"].iter_rows(values_only=True))
    # 2 (8600) + 1 (8772) + 1 (2887Q) failures under one header row
    assert len(rows) == 5
    assert sorted(r[0] for r in rows[1:]) == ["2887Q", "8600", "8600", "8772"]
    summary = {r[0]: r[3] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary == {"2887Q": 1, "8600": 2, "8772": 1}


@pytest.mark.django_db
def test_download_without_a_report_is_refused(client, analyst):
    response = client.get(reverse("returns:validate_download") + "?report=upload")
    assert response.status_code == 400
    assert views_validate.NO_REPORT.encode() in response.content


def test_cells_that_would_start_a_formula_are_escaped():
    df = pl.DataFrame({"values": ["=HYPERLINK(1)", "-3", "@x", "plain", None], "row": [1] * 5})
    assert escaped(df)["values"].to_list() == ["'=HYPERLINK(1)", "-3", "'@x", "plain", None]


@pytest.mark.django_db
def test_import_reports_the_rules_and_still_loads(tmp_path):
    path = tmp_path / "cin.xml"
    path.write_bytes(BREACHED)
    report = import_returns("cin-census", [path], rejects=tmp_path / "r.csv")
    lines = report.lines()
    assert "cin.xml: DfE rules: 3 error(s), 1 query(ies)." in lines
    assert any(line.startswith("  8600 (E) x2 in 2 child(ren)") for line in lines)
    assert any(line.startswith("  8772 (E) x1 in 1 child(ren)") for line in lines)
    assert Child.objects.count() == 3  # the breaches did not stop the import


@pytest.mark.django_db
def test_upload_page_shows_the_rules_summary(client, analyst):
    page = client.post(
        reverse("returns:upload"),
        {"kind": "cin-census", "files": SimpleUploadedFile("cin.xml", BREACHED)},
    )
    assert b"DfE rules: 3 error(s), 1 query(ies)." in page.content


@pytest.mark.django_db
def test_validate_child_finds_the_breach_on_its_child_only(tmp_path):
    path = tmp_path / "cin.xml"
    path.write_bytes(census(kid("A", upn_unknown="UN7"), kid("B")))
    import_returns("cin-census", [path])
    # A: UN7 with a referral going on to further action (8772); B: UN1, nothing child-level.
    assert validate_child("cin-census", "A", 2019)["code"].to_list() == ["8772"]
    assert validate_child("cin-census", "B", 2019).is_empty()


@pytest.mark.django_db
def test_child_check_page_for_whoever_sees_the_record(client, analyst, tmp_path):
    path = Path(tmp_path) / "cin.xml"
    path.write_bytes(census(kid("A", upn_unknown="UN7")))
    import_returns("cin-census", [path])
    a = Child.objects.get(la_child_id="A")
    summary = client.get(reverse("child_summary", args=[a.pk]))
    assert reverse("returns:child_check", args=[a.pk]).encode() in summary.content
    page = client.get(reverse("returns:child_check", args=[a.pk]) + "?year=2019")
    assert page.status_code == 200
    assert b"Issues with this record for the 2018-19 returns" in page.content
    assert b"8772" in page.content


@pytest.mark.django_db
def test_import_command_prints_the_rules_summary(tmp_path):
    path = tmp_path / "cin.xml"
    path.write_bytes(BREACHED)
    out = io.StringIO()
    call_command("import", "cin-census", str(path), "--dry-run", stdout=out)
    assert "cin.xml: DfE rules: 3 error(s), 1 query(ies)." in out.getvalue()
    assert "  8772 (E) x1 in 1 child(ren)" in out.getvalue()


@pytest.mark.django_db
def test_report_on_the_record_links_its_children(client, analyst, tmp_path):
    path = tmp_path / "cin.xml"
    path.write_bytes(census(kid("A", upn_unknown="UN7"), kid("B")))
    import_returns("cin-census", [path])
    page = client.get(reverse("returns:validate"), {"kind": "cin-census", "year": "2019"})
    assert page.status_code == 200
    assert _counts(page)["8772"] == (1, 1)
    a = Child.objects.get(la_child_id="A")
    assert reverse("child_summary", args=[a.pk]).encode() in page.content
    book = client.get(reverse("returns:validate_download"), {"kind": "cin-census", "year": "2019"})
    codes = [
        r[0]
        for r in openpyxl.load_workbook(io.BytesIO(book.content))["Failures"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert "8772" in codes
    assert client.get(reverse("returns:validate"), {"kind": "x", "year": "2019"}).status_code == 400


@pytest.mark.django_db
def test_a_refused_upload_names_the_file_as_uploaded_not_the_servers_folder(
    client, analyst, tmp_path
):
    page = _validate(client, BREACHED[:200])  # cut off mid-element: not XML
    assert b"The return could not be read: nothing was validated" in page.content
    assert b'<td class="govuk-table__cell">cin.xml</td>' in page.content
    assert str(tmp_path).encode() not in page.content
