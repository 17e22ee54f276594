"""The upload page's "skip rows that cannot be read": refuse whole by default, else set aside
the unreadable rows, list them, and let the uploader (only) download them as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from safeguard.access.models import AccessLog
from safeguard.journey.models import CareEpisode, Child
from safeguard.returns import views
from safeguard.returns.ssda903 import checks

HEAD = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nK1,1,01/01/2010,WBRI,,,\nK2,2,02/02/2011,WBRI,,,\n"
EP = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
# K2's episode (line 3) has RNE "Q", which is in no RNE list: the row cannot be read.
EPISODES = f"{EP}\nK1,01/05/2018,S,C2,N1,U1,PR1,,,,,,\nK2,01/06/2018,Q,C2,N1,U1,PR1,,,,,,\n"
BAD_RNE = checks.BAD_CODE.format(list="RNE", year="2018-19")


def _user(name: str, group: str) -> User:
    user = User.objects.create_user(name, password="x" * 16)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def analyst(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    user = _user("ana", "performance_analyst")
    client.force_login(user)
    return user


def _upload(client, *, skip: bool):
    files = [
        SimpleUploadedFile("header.csv", HEAD.encode()),
        SimpleUploadedFile("episodes.csv", EPISODES.encode()),
    ]
    data = {"kind": "ssda903", "files": files, **({"skip_invalid": "on"} if skip else {})}
    return client.post(reverse("returns:upload"), data)


def _rejects_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.django_db
def test_without_skip_a_return_with_an_unreadable_row_is_refused_whole(client, analyst, tmp_path):
    page = _upload(client, skip=False)
    assert b"The return was refused: nothing was written" in page.content
    assert BAD_RNE.encode() in page.content
    assert b'<td class="govuk-table__cell">episodes.csv</td>' in page.content
    assert str(tmp_path).encode() not in page.content
    assert client.post(reverse("returns:confirm")).status_code == 400  # nothing waiting
    assert Child.objects.count() == 0
    assert views.NO_REJECTS.encode() in client.get(reverse("returns:rejects")).content


@pytest.mark.django_db
def test_with_skip_the_rest_loads_and_the_set_aside_rows_can_be_downloaded(
    client, analyst, tmp_path
):
    page = _upload(client, skip=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert "except the rows set aside below" in html
    assert views.SET_ASIDE.format(count=1) in html
    assert "line 3" in html and BAD_RNE in html
    assert str(tmp_path) not in html  # the server's folders are not shown
    assert Child.objects.count() == 0  # checked only
    expected = [{"location": "line 3", "field": "RNE", "value": "Q", "problem": BAD_RNE}]
    got = _rejects_csv(client.get(reverse("returns:rejects")))
    assert [{k: r[k] for k in ("location", "field", "value", "problem")} for r in got] == expected
    assert got[0]["file"] == "episodes.csv"  # as uploaded, not where the server keeps it

    done = client.post(reverse("returns:confirm"))
    assert done.status_code == 200
    assert b"Rows set aside" in done.content
    # K1's episode is loaded; K2 is known from the header, its unreadable episode is not.
    assert list(CareEpisode.objects.values_list("child__la_child_id", flat=True)) == ["K1"]
    assert set(Child.objects.values_list("la_child_id", flat=True)) == {"K1", "K2"}
    # The rows set aside can still be fetched after loading, and each download is logged.
    after = client.get(reverse("returns:rejects"))
    assert after["Content-Disposition"].startswith('attachment; filename="rejected-rows.csv"')
    assert [r["value"] for r in _rejects_csv(after)] == ["Q"]
    logged = AccessLog.objects.filter(user=analyst, action=AccessLog.DOWNLOAD)
    assert logged.count() == 2
    assert set(logged.values_list("child", "path")) == {(None, reverse("returns:rejects"))}


@pytest.mark.django_db
def test_a_clean_upload_leaves_nothing_to_download(client, analyst):
    _upload(client, skip=True)
    clean = EPISODES.splitlines()[:2]
    files = [
        SimpleUploadedFile("header.csv", HEAD.encode()),
        SimpleUploadedFile("episodes.csv", "\n".join(clean).encode()),
    ]
    page = client.post(
        reverse("returns:upload"), {"kind": "ssda903", "files": files, "skip_invalid": "on"}
    )
    assert b"Rows set aside" not in page.content
    assert client.get(reverse("returns:rejects")).status_code == 400


@pytest.mark.django_db
def test_only_analysts_and_only_the_uploaders_session_get_the_rows(client, analyst):
    _upload(client, skip=True)
    assert client.get(reverse("returns:rejects")).status_code == 200
    # Not logged in: sent to the login page.
    assert Client().get(reverse("returns:rejects")).status_code == 302
    # A social worker: refused.
    worker = Client()
    worker.force_login(_user("sw", "social_worker"))
    assert worker.get(reverse("returns:rejects")).status_code == 403
    # Another analyst, in their own session: there is nothing of theirs to download.
    other = Client()
    other.force_login(_user("ana2", "performance_analyst"))
    response = other.get(reverse("returns:rejects"))
    assert response.status_code == 400
    assert views.NO_REJECTS.encode() in response.content
    assert not AccessLog.objects.filter(action=AccessLog.DOWNLOAD).exclude(user=analyst).exists()


@pytest.mark.django_db
def test_each_step_writes_the_rejects_file_once_naming_the_files_as_uploaded(
    client, analyst, monkeypatch
):
    # Counted wherever the CSV is written from (a name imported elsewhere included).
    written = []
    real = csv.writer

    def counted(f, *args, **kwargs):
        written.append(Path(f.name).name)
        return real(f, *args, **kwargs)

    monkeypatch.setattr(csv, "writer", counted)
    _upload(client, skip=True)
    assert written == [views.REJECTS_FILE]
    assert [r["file"] for r in _rejects_csv(client.get(reverse("returns:rejects")))] == [
        "episodes.csv"
    ]
    client.post(reverse("returns:confirm"))
    assert written == [views.REJECTS_FILE] * 2
    assert [r["file"] for r in _rejects_csv(client.get(reverse("returns:rejects")))] == [
        "episodes.csv"
    ]
