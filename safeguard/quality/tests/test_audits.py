"""Audit programmes: deterministic sampling, thematic queries, grading, moderation, tasks, and
the quarterly analysis (worked by hand)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from safeguard.journey import models as j
from safeguard.quality import analysis, sampling, services
from safeguard.quality.models import Audit, AuditProgramme

from . import factories as f

pytestmark = pytest.mark.django_db
QUESTIONS = [
    ("Voice", "Is the child's voice heard?", "Look for direct work."),
    ("Plan", "Is the plan SMART?", "Specific, measurable, timed."),
    ("Oversight", "Is management oversight recorded?", "Decisions with reasons."),
]


@pytest.fixture
def council():
    tm_a, tm_b = f.worker("Manager A", role="TM"), f.worker("Manager B", role="TM")
    a, b = f.team("Team A", manager=tm_a), f.team("Team B", manager=tm_b)
    sw_a, sw_b = f.worker("Worker A", team=a), f.worker("Worker B", team=b)
    kids_a = [f.child() for _ in range(10)]
    kids_b = [f.child() for _ in range(3)]
    for kid in kids_a:
        f.allocate(kid, a, sw_a, date(2019, 1, 1))
    for kid in kids_b:
        f.allocate(kid, b, sw_b, date(2019, 1, 1))
    f.allocate(f.child(), a, sw_a, date(2019, 6, 2))  # allocated after the 1st: not sampled
    template = services.audit_template_create(
        name="Case file audit", kind="MONTHLY", questions=QUESTIONS
    )
    return {
        "template": template,
        "teams": (a, b),
        "tms": (tm_a, tm_b),
        "sws": (sw_a, sw_b),
        "kids_a": kids_a,
        "kids_b": kids_b,
    }


def _picked(programme: AuditProgramme) -> list[int]:
    return sorted(programme.audits.values_list("child_id", flat=True))


def test_monthly_sample_is_per_team_and_deterministic(council):
    one = sampling.monthly_sample(month=date(2019, 6, 1), per_team=4, seed=7)
    again = sampling.monthly_sample(month=date(2019, 6, 15), per_team=4, seed=7)
    assert one == again  # same seed and month: same picks (the day within the month is ignored)
    a_ids = {k.pk for k in council["kids_a"]}
    b_ids = {k.pk for k in council["kids_b"]}
    assert sum(p.child_id in a_ids for p in one) == 4  # 4 of team A's 10
    assert {p.child_id for p in one} & b_ids == b_ids  # team B has only 3: all of them
    # The seed matters: five seeds do not all pick the same 4 of team A's 10 (210 ways).
    picks = {
        frozenset(
            p.child_id
            for p in sampling.monthly_sample(month=date(2019, 6, 1), per_team=4, seed=s)
            if p.child_id in a_ids
        )
        for s in range(5)
    }
    assert len(picks) > 1


def test_programme_plans_audits_with_team_manager_as_auditor(council):
    programme = services.programme_create_monthly(
        template=council["template"], month=date(2019, 6, 1), per_team=2, seed=1
    )
    assert programme.audits.count() == 4
    audit = programme.audits.filter(team=council["teams"][1]).first()
    assert (audit.auditor, audit.worker, audit.status) == (
        council["tms"][1],
        council["sws"][1],
        "PLANNED",
    )


def test_thematic_audit_picks_every_child_in_plo(council):
    kids = council["kids_a"]
    j.CareProceedings.objects.create(child=kids[0], plo_meeting_date=date(2019, 3, 1))
    j.CareProceedings.objects.create(
        child=kids[1], plo_meeting_date=date(2019, 3, 1), issue_date=date(2019, 4, 1)
    )  # issued, no final order: in
    j.CareProceedings.objects.create(
        child=kids[2],
        plo_meeting_date=date(2018, 3, 1),
        issue_date=date(2018, 4, 1),
        final_order_date=date(2018, 9, 1),
    )  # concluded: out
    j.CareProceedings.objects.create(child=kids[3], issue_date=date(2019, 2, 1))  # no PLO: out
    programme = services.programme_create_thematic(
        template=council["template"], query="plo", month=date(2019, 6, 1)
    )
    assert _picked(programme) == sorted([kids[0].pk, kids[1].pk])
    assert programme.kind == "THEMATIC"


def _grade_all(audit: Audit, grade: str) -> dict[int, tuple[str, str]]:
    return {q.pk: (grade, "") for q in audit.programme.template.questions.all()}


def test_grading_moderation_and_tasks(council):
    programme = services.programme_create_monthly(
        template=council["template"], month=date(2019, 6, 1), per_team=1, seed=3
    )
    audit = programme.audits.get(team=council["teams"][0])
    tm_a, tm_b = council["tms"]
    with pytest.raises(ValidationError, match=services.ALL_QUESTIONS):
        services.audit_grade(
            audit=audit,
            auditor=tm_a,
            audit_date=date(2019, 6, 10),
            grades={},
            overall_grade="GOOD",
            summary="",
        )
    services.audit_grade(
        audit=audit,
        auditor=tm_a,
        audit_date=date(2019, 6, 10),
        grades=_grade_all(audit, "GOOD"),
        overall_grade="GOOD",
        summary="Solid work.",
        actions=[services.Action("Update the chronology", date(2019, 6, 24))],
    )
    task = council["sws"][0].tasks.get()
    assert (task.origin, task.audit, task.due_date, task.set_by) == (
        "AUDIT",
        audit,
        date(2019, 6, 24),
        tm_a,
    )
    with pytest.raises(ValidationError, match=services.SAME_MANAGER):
        services.audit_moderate(
            audit=audit, moderator=tm_a, date=date(2019, 6, 12), grade="GOOD", comment=""
        )
    with pytest.raises(ValidationError, match=services.NOT_YOUR_AUDIT):
        services.audit_respond(
            audit=audit, worker=council["sws"][1], text="x", date=date(2019, 6, 11)
        )
    services.audit_respond(
        audit=audit, worker=council["sws"][0], text="Agreed.", date=date(2019, 6, 11)
    )
    services.audit_moderate(
        audit=audit,
        moderator=tm_b,
        date=date(2019, 6, 12),
        grade="RI",
        comment="The plan is not SMART.",
        actions=[services.Action("Rewrite the plan", date(2019, 7, 1))],
    )
    audit.refresh_from_db()
    assert (audit.status, audit.final_grade, audit.worker_response) == (
        "MODERATED",
        "RI",
        "Agreed.",
    )
    assert council["sws"][0].tasks.count() == 2
    with pytest.raises(ValidationError, match=services.NOT_SUBMITTED):
        services.audit_moderate(
            audit=audit, moderator=tm_b, date=date(2019, 6, 13), grade="RI", comment=""
        )


def test_quarterly_analysis(council):
    """Three audits in Q2 2019 (April-June) and one in Q1:
    team A: GOOD overall, moderated down to RI; answers GOOD, GOOD, RI
    team A: OUTSTANDING; answers OUTSTANDING, GOOD, INADEQUATE
    team B: RI; answers RI, RI, RI
    Q1 (March): INADEQUATE everywhere, outside the quarter.
    Overall by team: A = [RI, OUTSTANDING] -> 1 good or better of 2 = 50%, mean (2+4)/2 = 3.0;
    B = [RI] -> 0%, mean 2.0.
    Question 3 (Oversight): RI, INADEQUATE, RI -> mean (2+1+2)/3 = 1.67, 0% good: the lowest.
    Question 1 (Voice): GOOD, OUTSTANDING, RI -> mean 3.0, 66.7% good or better.
    """
    programme = services.programme_create_monthly(
        template=council["template"], month=date(2019, 1, 1), per_team=2, seed=5
    )
    a1, a2 = programme.audits.filter(team=council["teams"][0])
    b1, b2 = programme.audits.filter(team=council["teams"][1])
    q1, q2, q3 = council["template"].questions.all()
    tm_a, tm_b = council["tms"]

    def grade(audit, when, overall, answers):
        services.audit_grade(
            audit=audit,
            auditor=tm_a,
            audit_date=when,
            overall_grade=overall,
            grades={q.pk: (g, "") for q, g in zip((q1, q2, q3), answers, strict=True)},
            summary="",
        )

    grade(a1, date(2019, 4, 5), "GOOD", ("GOOD", "GOOD", "RI"))
    services.audit_moderate(audit=a1, moderator=tm_b, date=date(2019, 4, 9), grade="RI", comment="")
    grade(a2, date(2019, 5, 5), "OUTSTANDING", ("OUTSTANDING", "GOOD", "INADEQUATE"))
    grade(b1, date(2019, 6, 30), "RI", ("RI", "RI", "RI"))
    grade(b2, date(2019, 3, 31), "INADEQUATE", ("INADEQUATE",) * 3)
    start, end = analysis.quarter_bounds(2019, 2)
    assert (start, end) == (date(2019, 4, 1), date(2019, 6, 30))
    overall = {r["team"]: r for r in analysis.overall_by_team(Audit.objects, start, end).to_dicts()}
    assert (
        overall["Team A"]["graded"],
        overall["Team A"]["good_or_better_pct"],
        overall["Team A"]["mean_score"],
    ) == (2, 50.0, 3.0)
    assert (overall["Team B"]["RI"], overall["Team B"]["good_or_better_pct"]) == (1, 0.0)
    questions = analysis.by_question(Audit.objects, start, end).to_dicts()
    assert (
        questions[0]["tool"],
        questions[0]["question"],
        questions[0]["theme"],
        questions[0]["mean_score"],
    ) == ("Case file audit", 3, "Oversight", 1.67)
    voice = next(r for r in questions if r["theme"] == "Voice")
    assert (voice["good_or_better_pct"], voice["mean_score"]) == (66.7, 3.0)
    assert analysis.moderation_summary(Audit.objects, start, end) == {
        "graded": 3,
        "moderated": 1,
        "grade_changed": 1,
    }
