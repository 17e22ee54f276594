"""The database down (G20): clean 503 pages with no traceback, and recovery when it returns."""

from __future__ import annotations

import contextlib
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import DataError, OperationalError, close_old_connections, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from safeguard.protection import session_store

pytestmark = [pytest.mark.urls("safeguard.protection.tests.urls")]

REFUSED = OperationalError("could not connect to server: Connection refused")


def assert_clean_503(response) -> None:
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Safeguard is unavailable for a moment" in body
    assert "Traceback" not in body and "OperationalError" not in body


@pytest.mark.django_db
def test_a_view_hitting_a_dead_database_gets_the_503_page(caplog):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("sam.worker"))
    with caplog.at_level("WARNING", logger="safeguard.protection.middleware"):
        assert_clean_503(client.get("/test/broken/?q=Smith"))
    # The cause is in the server's log (not on the page); the query string, which can hold a
    # searched name, is not.
    logged = [r.getMessage() for r in caplog.records if r.name.endswith("middleware")]
    assert logged == [
        "Database error, answered 503: GET /test/broken/: "
        "could not connect to server: Connection refused"
    ]


@pytest.mark.django_db(transaction=True)
def test_every_query_failing_gives_503_then_the_app_recovers():
    client = Client(raise_request_exception=False)  # as a browser sees it
    client.force_login(User.objects.create_user("sam.worker"))
    assert client.get("/test/case/").status_code == 200
    # the session and user lookups in middleware fail first, before any view runs
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=REFUSED):
        assert_clean_503(client.get("/test/case/"))
        assert_clean_503(client.get("/login/"))
    assert client.get("/test/case/").status_code == 200  # back, with no restart


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real closed port: PostgreSQL")
def test_postgres_on_a_closed_port_then_back():
    client = Client(raise_request_exception=False)  # as a browser sees it
    client.force_login(User.objects.create_user("sam.worker"))
    real = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1")  # nothing listens on port 1
    try:
        assert_clean_503(client.get("/test/case/"))
    finally:
        connection.close()
        connection.settings_dict.update(HOST=real["HOST"], PORT=real["PORT"])
    assert client.get("/test/case/").status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend: PostgreSQL")
def test_a_connection_killed_before_the_session_is_saved_gets_the_503_page_not_a_400():
    """The chaos run's finding: the connection is terminated (as pg_terminate_backend does to
    the app's connections) just before the session is saved. Django's session store turns the
    DatabaseError into UpdateError and the session middleware that into a 400; we answer 503."""
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("sam.worker"))
    real_save = SessionStore.save

    def save_after_a_kill(self, must_create=False):
        self._get_session()  # read before the kill, as on a page that used the session
        with contextlib.suppress(OperationalError), connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")  # kills itself
        return real_save(self, must_create=must_create)

    with mock.patch.object(SessionStore, "save", save_after_a_kill):
        assert_clean_503(client.get("/test/case/"))
    # Django's handler drops an unusable connection when the next request starts; the test
    # client switches that signal off, so it is called here as the server would.
    close_old_connections()
    assert client.get("/test/case/").status_code == 200  # a new connection, no restart


@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_while_the_session_is_saved_is_a_503_on_any_backend():
    """The chaos run's remaining 400s: the session UPDATE fails because the server went away,
    yet the connection looks healthy afterwards (the rollback "succeeded"), so nothing but the
    error itself says the database was lost. The store lets that error through: 503, not 400."""
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("sam.worker"))
    gone = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(Session, "save", side_effect=gone):
        assert_clean_503(client.get("/test/case/"))
    assert client.get("/test/case/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_session_update_failing_for_another_reason_is_still_djangos_400():
    """Only a lost connection changes: any other database error while saving the session stays
    "session interrupted" (400), as Django answers it."""
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("sam.worker"))
    with mock.patch.object(Session, "save", side_effect=DataError("value too long")):
        assert client.get("/test/case/").status_code == 400


def test_the_configured_engine_is_the_one_that_keeps_a_lost_database_a_503():
    assert settings.SESSION_ENGINE == "safeguard.protection.session_store"
    assert issubclass(session_store.SessionStore, SessionStore)
