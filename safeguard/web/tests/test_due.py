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
from safeguard.performance import engine
from safeguard.performance.frames import from_record
from safeguard.web.due import due_items
from safeguard.workforce.models import CaseSupervision, Worker

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


# --- The page's due dates are the measures' -------------------------------------------------

NEW_YEAR_EVE = date(2019, 12, 31)  # a Tuesday; 25 and 26 December are bank holidays


def _worker() -> Worker:
    return Worker.objects.create(name="Supervisor", role="TM", start_date=date(2015, 1, 1))


@pytest.fixture
def on_plan(child, referral) -> Child:
    """On a CP plan from Tue 2 April 2019: review conference Mon 1 July (first due 3 months
    on, 2 July: on time) -> next review 6 months on, Wed 1 Jan 2020. Seen Fri 13 December ->
    visit due 10 working days on: 16-20 (5), 23, 24 (7), 27 (8), 30 (9), Tue 31 Dec (10), the
    as-at date: due, not overdue. Supervised Fri 1 November -> due 28 days on, Fri 29 November:
    overdue."""
    referral.decided_at = timezone.make_aware(datetime(2019, 3, 1, 10, 0))
    referral.save()
    plan = ChildProtectionPlan.objects.create(
        referral=referral,
        child=child,
        start_date=date(2019, 4, 2),
        initial_category="NEG",
        latest_category="NEG",
    )
    Conference.objects.create(child=child, kind="RCPC", date=date(2019, 7, 1), cp_plan=plan)
    Visit.objects.create(child=child, date=date(2019, 12, 13), kind="CP")
    CaseSupervision.objects.create(child=child, date=date(2019, 11, 1), supervisor=_worker())
    return child


@pytest.fixture
def looked_after(db) -> Child:
    """Looked after from Mon 2 September 2019: first review due on the 20th working day,
    Mon 30 September, held then -> next 3 months on, Mon 30 December: overdue. Seen Mon 9
    September -> visit due 6 weeks on, Mon 21 October: overdue. Supervised Mon 2 December ->
    due 42 days on, Mon 13 January 2020."""
    kid = Child.objects.create(la_child_id="L1", date_of_birth=date(2012, 5, 5), sex="1")
    CareEpisode.objects.create(
        child=kid,
        start_date=date(2019, 9, 2),
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement_type="U3",
    )
    LookedAfterReview.objects.create(child=kid, date=date(2019, 9, 30))
    Visit.objects.create(child=kid, date=date(2019, 9, 9), kind="CLA")
    CaseSupervision.objects.create(child=kid, date=date(2019, 12, 2), supervisor=_worker())
    return kid


#: Each item the pages show beside the measure that counts it "on time" (not overdue).
MEASURE_OF_ITEM = {
    "cp_review": "cpp_reviews_on_time_pct",
    "cp_visit": "visits_cp_on_time_pct",
    "cp_supervision": "supervision_cp_on_time_pct",
    "lac_review": "cla_reviews_on_time_pct",
    "lac_visit": "visits_cla_on_time_pct",
    "cla_supervision": "supervision_cla_on_time_pct",
}


def test_the_pages_due_dates_are_the_measures(on_plan, looked_after):
    items = due_items([on_plan, looked_after], NEW_YEAR_EVE)
    shown = {(i.child.la_child_id, i.kind): (i.due, i.overdue(NEW_YEAR_EVE)) for i in items}
    assert shown == {
        ("D1", "cp_review"): (date(2020, 1, 1), False),
        ("D1", "cp_visit"): (date(2019, 12, 31), False),
        ("D1", "cp_supervision"): (date(2019, 11, 29), True),
        ("L1", "lac_review"): (date(2019, 12, 30), True),
        ("L1", "lac_visit"): (date(2019, 10, 21), True),
        ("L1", "cla_supervision"): (date(2020, 1, 13), False),
    }
    # The measures, on the whole record (their own input), count a child on time for an item
    # exactly when the page does not show it overdue.
    frames = from_record()
    for (child_id, kind), (_, overdue) in shown.items():
        drill = engine.drill(frames, MEASURE_OF_ITEM[kind], NEW_YEAR_EVE)
        assert drill.denominator is not None
        assert child_id in drill.denominator["child_id"].to_list(), kind
        on_time = child_id in drill.numerator["child_id"].to_list()
        assert on_time is not overdue, kind


def test_due_dates_follow_each_change_of_date_standard_or_record(child, referral, settings):
    # Plan from Mon 1 July 2019, seen Wed 10 July: visit due 10 working days on, Wed 24 July.
    # The same page again, after each change, shows the change (the memo never goes stale).
    # As at Fri 5 July, before that visit: 10 working days from the plan's start, Mon 15 July.
    # A 15-working-day local standard: 11, 12 (2), 15-19 (7), 22-26 (12), 29-31 -> Wed 31 July.
    # Seen again Thu 1 August (15-day standard): 2, 5-9 (6), 12-16 (11), 19-22 -> Thu 22 Aug.
    ChildProtectionPlan.objects.create(
        referral=referral,
        child=child,
        start_date=date(2019, 7, 1),
        initial_category="NEG",
        latest_category="NEG",
    )
    Visit.objects.create(child=child, date=date(2019, 7, 10), kind="CP")
    assert _due(child)["cp_visit"] == date(2019, 7, 24)
    assert {i.kind: i.due for i in due_items([child], date(2019, 7, 5))}["cp_visit"] == date(
        2019, 7, 15
    )
    settings.SAFEGUARD_LOCAL_STANDARDS = {"cp_visit_working_days": 15}
    assert _due(child)["cp_visit"] == date(2019, 7, 31)
    Visit.objects.create(child=child, date=date(2019, 8, 1), kind="CP")
    assert _due(child)["cp_visit"] == date(2019, 8, 22)
