"""No lost updates (G21): the second save of the same version gets a 409 page, input kept."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client

from safeguard.journey.models import CaseNote
from safeguard.protection.locking import CONFLICT_MESSAGE, claim_version, version_token

pytestmark = [pytest.mark.django_db, pytest.mark.urls("safeguard.protection.tests.urls")]


def signed_in(name: str) -> Client:
    client = Client()
    client.force_login(User.objects.create_user(name))
    return client


def version_in(page: str) -> str:
    return re.search(r'name="version" value="([^"]+)"', page).group(1)


def test_second_save_of_the_same_version_gets_the_conflict_page(note):
    url = f"/test/notes/{note.pk}/edit/"
    first, second = signed_in("manager.one"), signed_in("manager.two")
    v_first = version_in(first.get(url).content.decode())
    v_second = version_in(second.get(url).content.decode())
    assert v_first == v_second == version_token(note)
    saved = first.post(url, {"text": "Plan v4 by manager one", "version": v_first})
    assert saved.status_code == 302
    late = second.post(url, {"text": "Plan v4 by manager two", "version": v_second})
    assert late.status_code == 409
    page = late.content.decode()
    assert CONFLICT_MESSAGE.split(",")[0] in page
    assert "Plan v4 by manager two" in page  # their input kept
    assert "Plan v4 by manager one" in page  # the record as it is now
    note.refresh_from_db()
    assert note.text == "Plan v4 by manager one"  # not overwritten
    # the conflict page carries the new version: a deliberate resave goes through
    again = second.post(url, {"text": "Plan v5 by manager two", "version": version_in(page)})
    assert again.status_code == 302
    note.refresh_from_db()
    assert note.text == "Plan v5 by manager two"
    assert note.history.count() == 3  # created, and the two successful saves only


def test_a_forged_version_is_a_conflict(note):
    url = f"/test/notes/{note.pk}/edit/"
    client = signed_in("manager.one")
    assert client.post(url, {"text": "x", "version": "not a date"}).status_code == 409
    assert client.post(url, {"text": "x", "version": ""}).status_code == 200  # form error
    note.refresh_from_db()
    assert note.text == "First visit notes."


def test_claim_moves_the_version_on_once(note):
    token = version_token(note)
    with transaction.atomic():
        assert claim_version(note, token)
    assert not claim_version(note, token)
    note.refresh_from_db()
    assert version_token(note) != token


def test_claim_never_reuses_the_same_instant(note, monkeypatch):
    # a clock that has not moved on must still give a new version
    token = version_token(note)
    monkeypatch.setattr("django.utils.timezone.now", lambda: note.updated_at - timedelta(hours=1))
    assert claim_version(note, token)
    assert not claim_version(note, token)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite in-memory test DB is one shared-cache connection: no real race",
)
def test_twenty_concurrent_saves_of_one_version_exactly_one_wins(child):
    note = CaseNote.objects.create(child=child, date=child.date_of_birth, text="v3")
    token, wins, lock = version_token(note), [], threading.Lock()
    barrier = threading.Barrier(20)

    def save(n: int) -> None:
        try:
            mine = CaseNote.objects.get(pk=note.pk)
            barrier.wait()
            with transaction.atomic():
                if claim_version(mine, token):
                    mine.text = f"saved by {n}"
                    mine.save()
                    with lock:
                        wins.append(n)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1
    note.refresh_from_db()
    assert note.text == f"saved by {wins[0]}"
    assert note.history.count() == 2  # the create and the one successful save
