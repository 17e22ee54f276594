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
