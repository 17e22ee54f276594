"""The returns page: analysts only; check, confirm, refuse, size limit, download."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import multipartparser
from django.test import Client
from django.urls import reverse

from safeguard.access.roles import ROLES
from safeguard.journey.models import Child
from safeguard.returns import views
from safeguard.returns.cin_census.tests.test_reader import HEADER, child
from safeguard.returns.models import ImportLog

GOOD = f"<Message>{HEADER}<Children>{child('A')}</Children></Message>".encode()


@pytest.fixture
def analyst(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    user = User.objects.create_user("ana", password="x" * 16)
    user.groups.add(Group.objects.get_or_create(name="performance_analyst")[0])
    client.force_login(user)
    return user


def _upload(client, data: bytes = GOOD, name: str = "cin.xml", kind: str = "cin-census"):
    return client.post(
        reverse("returns:upload"), {"kind": kind, "files": SimpleUploadedFile(name, data)}
    )


@pytest.mark.django_db
def test_other_roles_are_refused(client):
    user = User.objects.create_user("sw", password="x" * 16)
    user.groups.add(Group.objects.get_or_create(name="social_worker")[0])
    client.force_login(user)
    assert client.get(reverse("returns:index")).status_code == 403
    assert client.post(reverse("returns:upload")).status_code == 403


@pytest.mark.django_db
def test_login_required(client):
    assert client.get(reverse("returns:index")).status_code == 302


@pytest.mark.django_db
def test_check_then_confirm_loads(client, analyst):
    page = _upload(client)
    assert page.status_code == 200
    assert b"dry run, nothing written" in page.content
    assert Child.objects.count() == 0
    done = client.post(reverse("returns:confirm"))
    assert b"1 children" in done.content
    assert Child.objects.get().la_child_id == "A"
    assert ImportLog.objects.get().imported_by == analyst
    # the waiting file is gone; confirming again finds nothing
    assert views.NOTHING_WAITING.encode() in client.post(reverse("returns:confirm")).content


@pytest.mark.django_db
def test_refused_upload_lists_problems_and_writes_nothing(client, analyst):
    bad = GOOD.replace(b"<Ethnicity>WBRI", b"<Ethnicity>XXXX")
    page = _upload(client, bad)
    assert b"The return was refused: nothing was written" in page.content
    assert b"/Message/Children/Child[1]/ChildCharacteristics/Ethnicity" in page.content
    assert client.post(reverse("returns:confirm")).status_code == 400
    assert Child.objects.count() == 0


@pytest.mark.django_db
def test_upload_over_the_limit_refused_before_reading(client, analyst, monkeypatch):
    monkeypatch.setattr(views, "MAX_UPLOAD_BYTES", 100)
    page = _upload(client)
    assert page.status_code == 400
    assert b"the limit is 100 bytes" in page.content


@pytest.mark.django_db
def test_wrong_suffix_refused(client, analyst):
    page = _upload(client, name="cin.exe")
    assert views.BAD_SUFFIX.format(name="cin.exe").encode() in page.content


@pytest.mark.django_db
def test_download_cin_census(client, analyst):
    _upload(client)
    client.post(reverse("returns:confirm"))
    response = client.get(reverse("returns:download"), {"kind": "cin-census", "year": "2019"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"<LAchildID>A</LAchildID>" in b"".join(response.streaming_content)
    from safeguard.access.models import AccessLog

    logged = AccessLog.objects.filter(user=analyst, action=AccessLog.EXPORT)
    assert list(logged.values_list("child__la_child_id", flat=True)) == ["A"]
    bad = client.get(reverse("returns:download"), {"kind": "cin-census", "year": "x"})
    assert bad.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["returns:upload", "returns:validate_upload"])
def test_an_upload_over_the_limit_is_refused_before_anything_parses_it(
    analyst, settings, monkeypatch, tmp_path, url
):
    # With CSRF checks on, as in production, where the middleware reads the form (and so parses
    # the whole multipart body, spooling the file to disk) before any view runs.
    parsed = []
    real = multipartparser.MultiPartParser.parse
    monkeypatch.setattr(
        multipartparser.MultiPartParser, "parse", lambda self: parsed.append(1) or real(self)
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    settings.SAFEGUARD_MAX_REQUEST_BYTES = 1000
    data = {"kind": "cin-census", "files": SimpleUploadedFile("cin.xml", GOOD + b" " * 2000)}
    page = client.post(reverse(url), data)
    assert page.status_code == 413
    assert "the limit is 1,000 bytes" in page.content.decode()
    assert parsed == []
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").iterdir())
    # The same request under the limit is read, and refused for want of its CSRF token.
    settings.SAFEGUARD_MAX_REQUEST_BYTES = 10**6
    data["files"].seek(0)
    assert client.post(reverse(url), data).status_code == 403
    assert parsed


def test_the_request_limit_is_the_upload_limit():
    assert django_settings.SAFEGUARD_MAX_REQUEST_BYTES == views.MAX_UPLOAD_BYTES


@pytest.mark.django_db
def test_download_ssda903_and_annex_a_excel_safe_and_logged(client, analyst):
    # A child whose ID Excel would run as a formula, in care in 2018-19 and in the
    # early-help list of the six months to 30 June 2019.
    from datetime import date

    from openpyxl import load_workbook

    from safeguard.access.models import AccessLog
    from safeguard.journey import models as jm

    kid = Child.objects.create(la_child_id="=cmd()", sex="1", date_of_birth=date(2010, 1, 1))
    jm.CareEpisode.objects.create(
        child=kid,
        start_date=date(2018, 5, 1),
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement_type="U1",
        placement_provider="PR1",
    )
    jm.EarlyHelpEpisode.objects.create(child=kid, start_date=date(2019, 5, 1))
    got = client.get(reverse("returns:download"), {"kind": "ssda903", "year": "2019"})
    assert got.status_code == 200 and got["Content-Disposition"].startswith("attachment")
    with zipfile.ZipFile(io.BytesIO(b"".join(got.streaming_content))) as zf:
        header = zf.read("header.csv").decode().splitlines()
        episodes = zf.read("episodes.csv").decode().splitlines()
    assert header[1].startswith("'=cmd(),1,01/01/2010")
    assert episodes[1].startswith("'=cmd(),01/05/2018,S,C2,N1,U1,PR1")
    got = client.get(reverse("returns:download"), {"kind": "annex-a", "as_at": "2019-06-30"})
    book = load_workbook(io.BytesIO(b"".join(got.streaming_content)))
    assert book["List 2"]["A2"].value == "'=cmd()"
    logged = AccessLog.objects.filter(user=analyst, action=AccessLog.EXPORT, child=kid)
    assert logged.count() == 2


@pytest.mark.django_db
def test_annex_a_upload_check_then_confirm(client, analyst, tmp_path):
    from datetime import date

    import polars as pl

    from safeguard.journey.models import Contact
    from safeguard.returns.annex_a import spec, workbook

    frames = {n: pl.DataFrame(schema=spec.schema(n)) for n in spec.LISTS}
    row = {"Child Unique ID": "K1", "Gender": "b) Female", "Ethnicity": "WBRI"}
    row |= {"Date of Birth": date(2010, 5, 1), "Date of Contact": date(2019, 2, 3)}
    frames["List 1"] = (
        pl.DataFrame([row | {"Contact Source": "1A"}])
        .select(
            [
                pl.col(c) if c in row or c == "Contact Source" else pl.lit(None).alias(c)
                for c in spec.LISTS["List 1"]
            ]
        )
        .cast(spec.schema("List 1"))
    )
    path = workbook.write(frames, tmp_path / "annex.xlsx")
    page = _upload(client, path.read_bytes(), name="annex.xlsx", kind="annex-a")
    assert b"dry run, nothing written" in page.content and Contact.objects.count() == 0
    client.post(reverse("returns:confirm"))
    assert list(Contact.objects.values_list("child__la_child_id", "contact_source")) == [
        ("K1", "1A")
    ]


# --- Several years in one upload: each its own return, loaded oldest first -----------------

HEAD_903 = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EP_903 = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)
#: K1 came into care in 2018-19 and left in 2019-20: the 2020 return carries the episode again,
#: now ended; K2 is in 2018-19 only, K3 in 2019-20 only. The browser sends bare file names, so
#: each year's files carry the year in their names (the newer year is uploaded first).
YEARS_903 = {
    "header_2020.csv": f"{HEAD_903}\nK1,1,01/01/2010,WBRI,,,\nK3,1,03/03/2012,WBRI,,,",
    "episodes_2020.csv": f"{EP_903}\nK1,01/05/2018,S,C2,N1,U1,PR1,01/05/2019,E4A,,,,\n"
    "K3,01/07/2019,S,V2,N4,U4,PR1,,,,,,",
    "header_2019.csv": f"{HEAD_903}\nK1,1,01/01/2010,WBRI,,,\nK2,2,02/02/2011,WBRI,,,",
    "episodes_2019.csv": f"{EP_903}\nK1,01/05/2018,S,C2,N1,U1,PR1,,,,,,\n"
    "K2,01/06/2018,S,V2,N4,U4,PR1,,,,,,",
}


def _upload_many(client, kind: str, files: dict[str, bytes]):
    uploads = [SimpleUploadedFile(name, data) for name, data in files.items()]
    return client.post(reverse("returns:upload"), {"kind": kind, "files": uploads})


@pytest.mark.django_db
def test_two_years_of_ssda903_csvs_load_as_two_returns_oldest_first(client, analyst):
    from safeguard.journey.models import CareEpisode

    page = _upload_many(client, "ssda903", {n: t.encode() for n, t in YEARS_903.items()})
    assert page.status_code == 200 and Child.objects.count() == 0
    assert page.content.count(b"dry run, nothing written") == 2  # one line per year's return
    client.post(reverse("returns:confirm"))
    assert list(ImportLog.objects.order_by("pk").values_list("year", "source")) == [
        (2019, "ssda903:2019"),
        (2020, "ssda903:2020"),
    ]
    got = CareEpisode.objects.values_list("child__la_child_id", "start_date", "end_date", "source")
    assert sorted((c, str(s), str(e), src) for c, s, e, src in got) == [
        ("K1", "2018-05-01", "2019-05-01", "ssda903:2020"),
        ("K2", "2018-06-01", "None", "ssda903:2019"),
        ("K3", "2019-07-01", "None", "ssda903:2020"),
    ]
    # K1 was first made by the 2018-19 return: it was loaded first.
    assert dict(Child.objects.values_list("la_child_id", "source")) == {
        "K1": "ssda903:2019",
        "K2": "ssda903:2019",
        "K3": "ssda903:2020",
    }


@pytest.mark.django_db
def test_two_years_of_cin_census_load_oldest_first(client, analyst):
    from safeguard.returns.cin_census.tests.test_reader import HEADER as HEADER_2019

    header_2020 = HEADER_2019.replace("<Year>2019", "<Year>2020").replace(
        "2019-03-31", "2020-03-31"
    )
    files = {
        "census-b.xml": f"<Message>{header_2020}<Children>{child('B')}</Children></Message>",
        "census-a.xml": f"<Message>{HEADER_2019}<Children>{child('A')}</Children></Message>",
    }
    # Named so that neither the upload order nor the names' order is the years' order.
    _upload_many(client, "cin-census", {n: t.encode() for n, t in files.items()})
    client.post(reverse("returns:confirm"))
    assert list(ImportLog.objects.order_by("pk").values_list("year", "file_name")) == [
        (2019, "census-a-1.xml"),
        (2020, "census-b-0.xml"),
    ]
    assert dict(Child.objects.values_list("la_child_id", "source")) == {
        "A": "cin-census:2019",
        "B": "cin-census:2020",
    }


@pytest.mark.django_db
def test_a_903_csv_without_a_year_among_several_years_is_refused_naming_it(client, analyst):
    files = {n: t.encode() for n, t in YEARS_903.items()}
    files["uasc.csv"] = b"CHILD,SEX,DOB,DUC\nK1,1,01/01/2010,01/01/2028"
    page = _upload_many(client, "ssda903", files)
    assert page.status_code == 400
    assert views.NO_YEAR_IN_NAME.format(names="uasc.csv").encode() in page.content
    assert Child.objects.count() == 0 and ImportLog.objects.count() == 0
    assert views.NOTHING_WAITING.encode() in client.post(reverse("returns:confirm")).content


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.key for r in ROLES])
def test_only_analysts_and_administrators_can_download_the_adopters_list(
    client, settings, tmp_path, role
):
    # Adopters are no child's record: the returns page's Annex A download is the one way out
    # of the application for them (List 11), and it is for analysts and administrators only.
    from datetime import date

    from openpyxl import load_workbook

    from safeguard.journey.models import Adopter

    settings.VAR_DIR = tmp_path
    Adopter.objects.create(adopter_id="ADOPTER-X1", enquiry_date=date(2019, 5, 1))
    user = User.objects.create_user(role, password="x" * 16)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    client.force_login(user)
    got = client.get(reverse("returns:download"), {"kind": "annex-a", "as_at": "2019-06-30"})
    if role not in views.ROLES:
        assert got.status_code == 403 and b"ADOPTER-X1" not in got.content
        return
    book = load_workbook(io.BytesIO(b"".join(got.streaming_content)))
    assert book["List 11"]["A2"].value == "ADOPTER-X1"
    # No child in this export, yet adults' personal data left the application: one export row
    # naming no child records who took it (found in review: nothing was logged).
    from safeguard.access.models import AccessLog

    assert list(AccessLog.objects.values_list("user__username", "child_id", "action")) == [
        (role, None, AccessLog.EXPORT)
    ]
