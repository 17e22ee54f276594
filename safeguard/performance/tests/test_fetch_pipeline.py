"""The record's queries sent in one PostgreSQL pipeline fail as any other query does."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError, connection

from safeguard.performance import frames


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pipeline is PostgreSQL's")
def test_a_connection_lost_leaving_the_pipeline_is_djangos_operational_error():
    """The chaos run's 500: the connection was killed while the child page's due-date queries
    were in the pipeline, and psycopg's own error, raised as the pipeline closed, went past the
    middleware that answers a lost database with the 503 page. It must arrive as Django's
    OperationalError, and mark the connection for Django to drop."""
    import psycopg

    connection.ensure_connection()
    real = type(connection.connection).pipeline

    @contextmanager
    def busy_at_exit(conn):
        with real(conn):
            yield
        raise psycopg.OperationalError("cannot exit pipeline mode while busy")

    try:
        with mock.patch.object(type(connection.connection), "pipeline", busy_at_exit):
            with pytest.raises(OperationalError, match="while busy"):
                frames._fetch_all([("default", "SELECT 1", [])])
        assert connection.errors_occurred
    finally:
        connection.close()
    assert frames._fetch_all([("default", "SELECT 1", [])]) == [[(1,)]]
