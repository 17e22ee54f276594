"""The journey record refuses impossible data when recorded, and keeps imported data as returned."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from safeguard.journey.models import (
    CareEpisode,
    Child,
    ChildProtectionPlan,
    Referral,
    record,
)

pytestmark = pytest.mark.django_db


def make_child(**kw) -> Child:
    fields = {
        "la_child_id": "C1",
        "date_of_birth": date(2010, 5, 1),
        "sex": "1",
        "ethnicity": "WBRI",
    } | kw
    return record(Child(**fields))


def make_referral(child: Child) -> Referral:
    return record(
        Referral(
            child=child, referral_date=date(2019, 4, 1), referral_source="1A", primary_need="N1"
        )
    )


def test_a_plan_ending_before_it_starts_is_refused_when_recorded():
    child = make_child()
    plan = ChildProtectionPlan(
        child=child,
        referral=make_referral(child),
        start_date=date(2019, 5, 1),
        end_date=date(2019, 4, 30),
        initial_category="NEG",
        latest_category="NEG",
    )
    with pytest.raises(ValidationError) as err:
        record(plan)
    assert err.value.message_dict["end_date"] == ["End cannot be before start."]
    assert not ChildProtectionPlan.objects.exists()


def test_an_imported_plan_keeps_what_the_return_said_and_is_marked():
    child = make_child()
    plan = ChildProtectionPlan(
        child=child,
        referral=make_referral(child),
        start_date=date(2019, 5, 1),
        end_date=date(2019, 4, 30),
        initial_category="NEG",
        latest_category="NEG",
        source="cin-census:2019",
    )
    plan.save()  # imports save as returned; the validation report lists the breach
    stored = ChildProtectionPlan.objects.get()
    assert stored.end_date == date(2019, 4, 30)
    assert stored.is_imported


def test_a_plan_with_no_child_cannot_be_stored():
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildProtectionPlan.objects.create(
            child_id=None,
            referral_id=None,
            start_date=date(2019, 5, 1),
            initial_category="NEG",
            latest_category="NEG",
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("legal_status", "X9"),
        ("placement_type", "ZZ"),
        ("reason_new_episode", "Q"),
        ("category_of_need", "N9"),
    ],
)
def test_care_episode_codes_must_be_on_their_lists(field, value):
    child = make_child()
    good = {
        "child": child,
        "start_date": date(2019, 1, 1),
        "reason_new_episode": "S",
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement_type": "U1",
        "placement_provider": "PR1",
    }
    record(CareEpisode(**good))  # the valid episode records
    with pytest.raises(ValidationError) as err:
        record(CareEpisode(**(good | {field: value})))
    assert field in err.value.message_dict


def test_a_child_needs_a_date_of_birth_or_an_expected_one():
    with pytest.raises(ValidationError):
        make_child(date_of_birth=None)
    unborn = make_child(
        la_child_id="U1", date_of_birth=None, expected_date_of_birth=date(2019, 9, 1)
    )
    assert unborn.pk


def test_disabilities_must_be_census_codes():
    with pytest.raises(ValidationError):
        make_child(disabilities=["MOB", "NOPE"])
    assert make_child(la_child_id="C2", disabilities=["MOB"]).disabilities == ["MOB"]


def test_la_child_id_is_unique():
    make_child()
    with pytest.raises(ValidationError):
        make_child()
