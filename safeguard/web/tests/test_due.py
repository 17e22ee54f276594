"""Due dates shown on the screens, hand-worked from the declared timescales (England calendar)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from safeguard.journey.models import (
    Assessment,
    CareEpisode,
    Child,
    ChildProtectionPlan,
    Conference,
    LookedAfterReview,
    MissingEpisode,
    Referral,
    Section47,
    Visit,
)
from safeguard.web.due import due_items

AS_AT = date(2019, 12, 31)  # after every step below, so each is recorded by then


def _due(child: Child) -> dict[str, date]:
    items = due_items([child], AS_AT)
    assert all(i.child == child for i in items)
    return {i.kind: i.due for i in items}


@pytest.fixture
def child(db) -> Child:
    return Child.objects.create(la_child_id="D1", date_of_birth=date(2010, 1, 1), sex="2")


@pytest.fixture
def referral(child) -> Referral:
    return Referral.objects.create(
        child=child, referral_date=date(2019, 4, 1), referral_source="3A"
    )


def test_assessment_due_45_working_days_from_its_start(child, referral):
    # Mon 3 Jun 2019 + 45 working days: 19 in June (4-28), 23 in July -> 42 on 31 Jul;
    # 1 Aug = 43, 2 Aug = 44, Mon 5 Aug = 45 (no bank holiday until 26 Aug).
    Assessment.objects.create(referral=referral, child=child, start_date=date(2019, 6, 3))
    assert _due(child)["assessment"] == date(2019, 8, 5)


def test_icpc_due_15_working_days_after_strategy_skipping_bank_holidays(child, referral):
    # Fri 3 May 2019: Mon 6 May is a bank holiday; 7-10 May = 4, 13-17 = 9, 20-24 = 14,
    # Mon 27 May is a bank holiday, so Tue 28 May = 15.
    Section47.objects.create(
        referral=referral, child=child, strategy_discussion_date=date(2019, 5, 3)
    )
    assert _due(child)["icpc"] == date(2019, 5, 28)


def test_no_icpc_due_once_held(child, referral):
    s47 = Section47.objects.create(
        referral=referral, child=child, strategy_discussion_date=date(2019, 5, 3)
    )
    Conference.objects.create(child=child, kind="ICPC", date=date(2019, 5, 20), section47=s47)
    assert "icpc" not in _due(child)


def test_cp_visit_and_review_from_the_plan_and_the_last_visit(child, referral):
    # Plan from Mon 1 Jul 2019: first review 3 months on, 1 Oct. Visit due 10 working days
    # after the last visit on Wed 10 Jul: 11, 12, 15-19, 22, 23, 24 -> Wed 24 Jul.
    ChildProtectionPlan.objects.create(
        referral=referral,
        child=child,
        start_date=date(2019, 7, 1),
        initial_category="NEG",
        latest_category="NEG",
    )
    Visit.objects.create(child=child, date=date(2019, 7, 10), kind="CP")
    due = _due(child)
    assert due["cp_review"] == date(2019, 10, 1)
    assert due["cp_visit"] == date(2019, 7, 24)


def test_lac_review_20_working_days_then_3_months(child):
    # Care from Mon 1 Jul 2019: 2-5 Jul = 4, 8-12 = 9, 15-19 = 14, 22-26 = 19, Mon 29 Jul = 20.
    CareEpisode.objects.create(
        child=child,
        start_date=date(2019, 7, 1),
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement_type="U3",
    )
    assert _due(child)["lac_review"] == date(2019, 7, 29)
    LookedAfterReview.objects.create(child=child, date=date(2019, 7, 25))
    assert _due(child)["lac_review"] == date(2019, 10, 25)  # second within 3 months of first


def test_return_home_interview_72_hours_after_return(child):
    returned = timezone.make_aware(datetime(2019, 7, 1, 10, 0))
    MissingEpisode.objects.create(
        child=child,
        kind="M",
        start_date=date(2019, 6, 30),
        end_date=date(2019, 7, 1),
        returned_at=returned,
    )
    assert _due(child)["rhi"] == date(2019, 7, 4)
