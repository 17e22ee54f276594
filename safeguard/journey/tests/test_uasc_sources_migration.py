"""Migration 0009 gives existing `Child.uasc_sources` their dates ceased: the record's
`uasc_ceased` goes beside the latest source (the return it came from), earlier ones get none,
and a record with no source or no date is left as it is; the append-only audit trail keeps what
was recorded. Going back strips the dates."""

from __future__ import annotations

import importlib
from datetime import date
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from safeguard.journey.models import Child

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("safeguard.journey.migrations.0009_uasc_sources_dates_ceased")

#: LA child ID: (uasc_sources before, uasc_ceased, uasc_sources after)
CASES = {
    "A1": ("ssda903:2019 ssda903:2020", date(2022, 1, 1), "ssda903:2019 ssda903:2020=2022-01-01"),
    "A2": ("ssda903:2019", None, "ssda903:2019"),
    "A3": ("", date(2021, 6, 1), ""),  # set in Safeguard
    "A4": ("ssda903:2019=2021-06-01", date(2021, 6, 1), "ssda903:2019=2021-06-01"),  # done
}


def _sources(model) -> dict[str, str]:
    return dict(model.objects.values_list("la_child_id", "uasc_sources"))


def test_the_latest_source_gets_the_date_ceased_and_back_again():
    for la_id, (before, ceased, _) in CASES.items():
        Child.objects.create(
            la_child_id=la_id,
            sex="1",
            date_of_birth=date(2004, 1, 1),
            uasc=True,
            uasc_ceased=ceased,
            uasc_sources=before,
        )
    editor = SimpleNamespace(connection=connection)
    recorded = {la_id: case[0] for la_id, case in CASES.items()}
    MIGRATION.date_the_latest_source(apps, editor)
    after = {la_id: case[2] for la_id, case in CASES.items()}
    assert _sources(Child) == after
    assert _sources(Child.history.model) == recorded
    MIGRATION.drop_dates(apps, editor)
    assert _sources(Child) == after | {"A1": "ssda903:2019 ssda903:2020", "A4": "ssda903:2019"}
    assert _sources(Child.history.model) == recorded
