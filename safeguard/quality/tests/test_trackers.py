"""Each tracker's rows and counts on a small hand-made record, worked by hand in comments.

The as-at date is Sunday 30 June 2019 throughout.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from safeguard.journey import models as j
from safeguard.quality import models as q
from safeguard.quality import trackers as t

from . import factories as f

AS_AT = date(2019, 6, 30)
pytestmark = pytest.mark.django_db


def _run(key: str):
    tracker = t.TRACKERS[key]
    rows = t.run(tracker, j.Child.objects.all(), AS_AT)
    return rows, dict(tracker.counts(rows))


def _status(rows) -> dict[str, str]:
    return {r["la_child_id"]: r["status"] for r in rows.to_dicts()}


def test_s20():
    a, b, c, d, e, g = (f.child() for _ in range(6))
    f.episode(a, date(2019, 6, 10), ls="V2")  # due 8 Jul, no review yet: not yet due
    # b: two V2 episodes back to back (a placement move): S20 since 1 Apr, due 29 Apr;
    # reviewed 20 Apr with legal advice on 18 Apr: on time, advice recorded
    f.episode(b, date(2019, 4, 1), date(2019, 5, 1), ls="V2")
    f.episode(b, date(2019, 5, 1), ls="V2", rne="P")
    q.S20Review.objects.create(child=b, date=date(2019, 4, 20), legal_advice_date=date(2019, 4, 18))
    # c: care order until 1 Mar, then V2: S20 since 1 Mar, due 29 Mar; the 1 Feb review is
    # before S20 and does not count; first review since is 15 Apr: late, no legal advice
    f.episode(c, date(2019, 1, 1), date(2019, 3, 1), ls="C2")
    f.episode(c, date(2019, 3, 1), ls="V2", rne="L")
    j.LookedAfterReview.objects.create(child=c, date=date(2019, 2, 1))
    j.LookedAfterReview.objects.create(child=c, date=date(2019, 4, 15))
    f.episode(d, date(2019, 5, 1), ls="V2")  # due 29 May, no review: overdue
    f.episode(e, date(2019, 1, 1), date(2019, 5, 1), ls="V2")  # left care: not counted
    f.episode(g, date(2019, 1, 1), ls="V3")  # short breaks: not counted
    rows, counts = _run("s20")
    assert _status(rows) == {
        a.la_child_id: t.S20_DUE,
        b.la_child_id: t.S20_ON_TIME,
        c.la_child_id: t.S20_LATE,
        d.la_child_id: t.S20_OVERDUE,
    }
    assert {r["la_child_id"]: r["s20_start"] for r in rows.to_dicts()}[b.la_child_id] == date(
        2019, 4, 1
    )
    assert counts["Looked after under section 20"] == 4
    assert (counts["Legal advice recorded"], counts["No legal advice recorded"]) == (1, 3)


def _reviews(kid, *days):
    for d in days:
        j.LookedAfterReview.objects.create(child=kid, date=d)


def test_permanence():
    p1, p2, p3, p4, p5, p6 = (f.child() for _ in range(6))
    # p1: 2nd review 15 Jan, plan (adoption) 10 Jan: by the 2nd review
    f.episode(p1, date(2018, 10, 1))
    _reviews(p1, date(2018, 10, 20), date(2019, 1, 15))
    q.PermanencePlan.objects.create(child=p1, date=date(2019, 1, 10), route="ADOPTION")
    # p2: 2nd review 20 Dec, plan 1 Feb: after the 2nd review
    f.episode(p2, date(2018, 9, 1))
    _reviews(p2, date(2018, 9, 25), date(2018, 12, 20), date(2019, 6, 1))
    q.PermanencePlan.objects.create(child=p2, date=date(2019, 2, 1), route="LTF")
    # p3: two reviews, no plan
    f.episode(p3, date(2018, 11, 1))
    _reviews(p3, date(2018, 11, 20), date(2019, 2, 10))
    # p4: one review, plan agreed; p5: no review, no plan
    f.episode(p4, date(2019, 6, 1))
    _reviews(p4, date(2019, 6, 20))
    q.PermanencePlan.objects.create(child=p4, date=date(2019, 6, 25), route="SGO")
    f.episode(p5, date(2019, 6, 15))
    # p6: an earlier period of care (its reviews and plan do not count) and a new one from 1 May
    f.episode(p6, date(2017, 1, 1), date(2018, 1, 1))
    _reviews(p6, date(2017, 1, 20), date(2017, 4, 10), date(2019, 5, 25))
    q.PermanencePlan.objects.create(child=p6, date=date(2017, 3, 1), route="ADOPTION")
    f.episode(p6, date(2019, 5, 1))
    rows, counts = _run("permanence")
    assert _status(rows) == {
        p1.la_child_id: t.PERM_ON_TIME,
        p2.la_child_id: t.PERM_LATE,
        p3.la_child_id: t.PERM_MISSING,
        p4.la_child_id: t.PERM_EARLY_PLAN,
        p5.la_child_id: t.PERM_EARLY_NONE,
        p6.la_child_id: t.PERM_EARLY_NONE,
    }
    due = {r["la_child_id"]: r["second_review_due"] for r in rows.to_dicts()}
    # p4: 1st review 20 Jun -> 2nd due 20 Sep. p5: in care from Sat 15 Jun, no review: the 1st
    # is due on the 20th working day (Fri 12 Jul), so the 2nd by 12 Oct. Held: no due date.
    assert (due[p4.la_child_id], due[p5.la_child_id], due[p1.la_child_id]) == (
        date(2019, 9, 20),
        date(2019, 10, 12),
        None,
    )
    assert counts["Looked after"] == 6
    assert (
        counts["Route: Adoption"],
        counts["Route: Long-term fostering"],
        counts["Route: Special guardianship"],
    ) == (1, 1, 1)


def _proc(kid, **dates):
    return j.CareProceedings.objects.create(child=kid, **dates)


def test_proceedings():
    r1, r2, r3, r4, r5, r6, r7 = (f.child() for _ in range(7))
    team = f.team("Court team")
    f.allocate(r1, team, None, date(2019, 1, 1))
    _proc(r1, plo_meeting_date=date(2019, 3, 1))  # PLO, case open: 121 days = 17.3 weeks
    # PLO never issued and the case is closed: the record has no PLO end, so not listed
    f.allocate(r7, team, None, date(2018, 1, 1), date(2018, 12, 31))
    _proc(r7, plo_meeting_date=date(2018, 6, 1))
    # decided 1 Apr, not issued: 90 days waiting (30 + 31 + 29)
    _proc(r2, plo_meeting_date=date(2019, 1, 10), decision_to_issue_date=date(2019, 4, 1))
    # issued 1 Dec: 30 days from decision; 211 days = 30.1 weeks in proceedings, over 26
    _proc(
        r3,
        plo_meeting_date=date(2018, 10, 1),
        decision_to_issue_date=date(2018, 11, 1),
        issue_date=date(2018, 12, 1),
    )
    # concluded 16 Nov 2018 after 168 days = 24.0 weeks (within 26); decision to issue 12 days
    _proc(
        r4,
        decision_to_issue_date=date(2018, 5, 20),
        issue_date=date(2018, 6, 1),
        final_order_date=date(2018, 11, 16),
        final_order="CO",
    )
    # concluded 29 Jun 2018: more than a year before the as-at date, not listed
    _proc(r5, issue_date=date(2018, 1, 10), final_order_date=date(2018, 6, 29))
    # concluded 2 May 2019 after 213 days = 30.4 weeks
    _proc(r6, issue_date=date(2018, 10, 1), final_order_date=date(2019, 5, 2))
    rows, counts = _run("proceedings")
    assert _status(rows) == {
        r1.la_child_id: t.PLO,
        r2.la_child_id: t.WAITING,
        r3.la_child_id: t.ISSUED,
        r4.la_child_id: t.CONCLUDED,
        r6.la_child_id: t.CONCLUDED,
    }
    by = {r["la_child_id"]: r for r in rows.to_dicts()}
    assert by[r1.la_child_id]["weeks_in_plo"] == 17.3
    assert by[r2.la_child_id]["days_decision_to_issue"] == 90
    assert by[r3.la_child_id]["weeks_in_proceedings"] == 30.1
    assert counts["In proceedings over 26 weeks"] == 1
    assert counts["Concluded within 26 weeks"] == 1
    assert counts["Average weeks to final order (concluded)"] == 27.2  # (24.0 + 30.4) / 2
    assert counts["Average days from decision to issue (issued)"] == 21.0  # (30 + 12) / 2


def test_life_story():
    kids = [f.child() for _ in range(7)]
    for kid in kids[:6] + kids[6:]:
        f.episode(kid, date(2018, 1, 1))
    l1, l2, l3, l4, l5, l6, l7 = kids
    q.PermanencePlan.objects.create(child=l1, date=date(2018, 6, 1), route="ADOPTION")
    q.LifeStoryWork.objects.create(child=l1, started=date(2019, 3, 1), completed=date(2019, 6, 1))
    q.PermanencePlan.objects.create(child=l2, date=date(2018, 6, 1), route="LTF")
    q.LifeStoryWork.objects.create(child=l2, started=date(2019, 5, 1))
    j.Adoption.objects.create(child=l3, decision_date=date(2019, 2, 1))  # no plan row
    q.PermanencePlan.objects.create(child=l4, date=date(2018, 6, 1), route="RETURN_HOME")
    q.PermanencePlan.objects.create(child=l5, date=date(2019, 1, 1), route="ADOPTION")
    q.PermanencePlan.objects.create(child=l5, date=date(2019, 5, 1), route="RETURN_HOME")
    j.CareEpisode.objects.filter(child=l6).update(end_date=date(2019, 1, 1))  # left care
    q.PermanencePlan.objects.create(child=l6, date=date(2018, 6, 1), route="ADOPTION")
    q.PermanencePlan.objects.create(child=l7, date=date(2018, 6, 1), route="SGO")
    q.LifeStoryWork.objects.create(child=l7, started=date(2019, 7, 10))  # after the as-at date
    rows, counts = _run("life-story")
    assert _status(rows) == {
        l1.la_child_id: t.LS_DONE,
        l2.la_child_id: t.LS_STARTED,
        l3.la_child_id: t.LS_NONE,
        l7.la_child_id: t.LS_NONE,
    }
    assert counts["Children with a plan of adoption or long-term care"] == 4
    assert (counts[t.LS_DONE], counts[t.LS_STARTED], counts[t.LS_NONE]) == (1, 1, 2)


def test_disputes():
    kid = f.child()

    def dispute(raised, resolved=None, stage="1"):
        return q.Dispute.objects.create(
            child=kid,
            raised_date=raised,
            resolved_date=resolved,
            stage=stage,
            issue="Care plan drift",
        )

    d1 = dispute(date(2019, 5, 1), stage="2")  # open, 60 days
    dispute(date(2019, 1, 10), date(2019, 2, 9))  # resolved in 30 days
    dispute(date(2018, 3, 1), stage="3")  # raised long ago, still open
    dispute(date(2018, 1, 1), date(2018, 3, 1))  # resolved long ago: not listed
    dispute(date(2019, 6, 1), date(2019, 7, 5))  # resolved after the date: open, stage 1
    dispute(date(2019, 2, 1), date(2019, 3, 3))  # resolved in 30 days
    rows, counts = _run("disputes")
    assert counts["Raised in the last 12 months or open"] == 5
    assert (counts[t.DISPUTE_OPEN], counts[t.DISPUTE_RESOLVED]) == (3, 2)
    assert [
        counts[f"Open at stage {s}: {label}"]
        for s, label in (
            ("1", "Informal: social worker / team manager"),
            ("2", "Head of service"),
            ("3", "Assistant director"),
        )
    ] == [1, 1, 1]
    assert counts["Average days to resolve"] == 30.0
    assert rows.filter(rows["raised_date"] == d1.raised_date)["days_open"].item() == 60


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_missing_and_return_home_interviews():
    m12, m3, m4, m5, m6, m7, m8 = (f.child() for _ in range(7))

    def ep(kid, start, returned=None, offered=None, held=None, declined=False, kind="M"):
        j.MissingEpisode.objects.create(
            child=kid,
            kind=kind,
            start_date=start,
            returned_at=returned,
            rhi_offered_at=offered,
            rhi_held_at=held,
            rhi_declined=declined,
        )

    # offered 47 hours after the return: on time, and held
    ep(m12, date(2019, 6, 1), _utc(2019, 6, 2, 10), _utc(2019, 6, 4, 9), _utc(2019, 6, 5, 9))
    # offered 84 hours after the return: late (same child: 2 episodes, 1 child)
    ep(m12, date(2019, 5, 1), _utc(2019, 5, 1, 20), _utc(2019, 5, 5, 8))
    ep(m3, date(2019, 6, 10), _utc(2019, 6, 10, 12), declined=True, kind="A")
    ep(m4, date(2019, 6, 20), _utc(2019, 6, 20, 12))  # due 23 Jun 12:00: overdue
    ep(m5, date(2019, 6, 29), _utc(2019, 6, 29, 8))  # due 2 Jul: not yet offered
    ep(m6, date(2019, 6, 30))  # not returned: still missing
    ep(m7, date(2018, 6, 1), _utc(2018, 6, 2))  # more than a year ago: not listed
    # returned 1 Jul, after the end of 30 Jun (23:00 UTC in summer time): still missing then
    ep(m8, date(2019, 6, 25), _utc(2019, 7, 1, 0, 30))
    rows, counts = _run("missing")
    assert counts["Episodes started in the last 12 months"] == 7
    assert counts["Children"] == 6
    assert (counts["Missing episodes (M)"], counts["Away without authorisation (A)"]) == (6, 1)
    assert [
        counts[s]
        for s in (
            t.STILL_MISSING,
            t.RHI_ON_TIME,
            t.RHI_LATE,
            t.RHI_DECLINED,
            t.RHI_OVERDUE,
            t.RHI_DUE,
        )
    ] == [2, 1, 1, 1, 1, 1]
    assert counts["Interviews held"] == 1
    assert sorted(rows["hours_to_offer"].drop_nulls().to_list()) == [47.0, 84.0]


def test_care_leavers():
    def leaver(dob, *periods, contacts=()):
        kid = f.child(dob=dob)
        for start, end in periods:
            f.episode(kid, start, end)
        for on, touch in contacts:
            j.CareLeaverContact.objects.create(child=kid, date=on, in_touch=touch)
        return kid

    # 19, left at 18, in touch 20 May: next due 15 Jul (56 days), beyond 14 Jul: in date
    cl1 = leaver(
        date(2000, 5, 1),
        (date(2014, 1, 1), date(2018, 5, 1)),
        contacts=[(date(2019, 5, 20), "YES")],
    )
    # 18, left on the 18th birthday, never contacted: due 26 Apr: overdue
    cl2 = leaver(date(2001, 3, 1), (date(2015, 1, 1), date(2019, 3, 1)))
    # 20 (21 on 15 Jul), last contact 10 May not in touch: due 5 Jul: due within 14 days
    cl3 = leaver(
        date(1998, 7, 15),
        (date(2012, 1, 1), date(2016, 7, 15)),
        contacts=[(date(2019, 5, 10), "NO")],
    )
    leaver(date(1998, 6, 1), (date(2012, 1, 1), date(2016, 6, 1)))  # 21: too old
    leaver(date(2003, 1, 1), (date(2018, 1, 1), date(2019, 2, 1)))  # 16: too young
    leaver(date(2001, 1, 1), (date(2012, 1, 1), date(2016, 12, 31)))  # left at 15
    leaver(date(2001, 6, 1), (date(2012, 1, 1), None))  # still looked after
    # two periods of care; left the second on 1 Feb 2019; refused contact 20 Jun: due 15 Aug
    cl8 = leaver(
        date(2001, 2, 1),
        (date(2016, 1, 1), date(2018, 1, 1)),
        (date(2018, 6, 1), date(2019, 2, 1)),
        contacts=[(date(2019, 6, 20), "REFU")],
    )
    rows, counts = _run("care-leavers")
    assert _status(rows) == {
        cl1.la_child_id: t.CL_IN_DATE,
        cl2.la_child_id: t.CL_OVERDUE,
        cl3.la_child_id: t.CL_SOON,
        cl8.la_child_id: t.CL_IN_DATE,
    }
    assert counts["Care leavers aged 17 to 20"] == 4
    assert (counts["In touch at last contact"], counts["No contact recorded"]) == (1, 1)
    assert {r["la_child_id"]: r["age"] for r in rows.to_dicts()}[cl3.la_child_id] == 20


def test_scope_limits_rows():
    a, b = f.child(), f.child()
    f.episode(a, date(2019, 5, 1), ls="V2")
    f.episode(b, date(2019, 5, 1), ls="V2")
    rows = t.run(t.TRACKERS["s20"], j.Child.objects.filter(pk=a.pk), AS_AT)
    assert rows["child_id"].to_list() == [a.pk]


def test_management_oversight():
    from datetime import datetime as dt

    from safeguard.quality.oversight import oversight

    kid = f.child()
    boss = f.worker("Boss", role="TM")

    def auth(kind, **subject):
        q.Authorisation.objects.create(
            child=kid,
            kind=kind,
            authorised_by=boss,
            authorised_at=dt(2019, 6, 1, 12, tzinfo=UTC),
            **subject,
        )

    # referrals in the year: r1 authorised, r2 not; r3 is before the year (authorised, ignored)
    r1, r2, r3 = (
        f.referral(kid, d) for d in (date(2019, 3, 1), date(2019, 4, 1), date(2018, 5, 1))
    )
    auth("REFERRAL_DECISION", referral=r1)
    auth("REFERRAL_DECISION", referral=r3)
    # assessments signed off in the year: a1 has a sign-off; a2 only the wrong kind
    a1, a2 = (
        j.Assessment.objects.create(
            referral=r1, child=kid, start_date=date(2019, 3, 2), authorisation_date=d
        )
        for d in (date(2019, 5, 1), date(2019, 6, 1))
    )
    auth("ASSESSMENT_SIGN_OFF", assessment=a1)
    auth("REFERRAL_DECISION", assessment=a2)
    # entries to care: e1 approved 2 days before; e2 approved 5 days after (emergency, within
    # 7); e3 only a declined request; e4 approved 19 days after: too late -> 2 of 4
    boys = [f.child() for _ in range(4)]
    for child, start, panel, decision in (
        (boys[0], date(2019, 5, 10), date(2019, 5, 8), "APPROVED"),
        (boys[1], date(2019, 6, 1), date(2019, 6, 6), "APPROVED_COND"),
        (boys[2], date(2019, 2, 1), date(2019, 1, 30), "DECLINED"),
        (boys[3], date(2019, 3, 1), date(2019, 3, 20), "APPROVED"),
    ):
        f.episode(child, start)
        q.PanelRequest.objects.create(
            child=child,
            requested_by=boss,
            request_date=panel,
            reason="x",
            panel_date=panel,
            decision=decision,
        )
    got = oversight(j.Child.objects.all(), AS_AT)
    assert got == [
        ("Referral decisions authorised by a manager", 1, 2, 50.0),
        ("Assessments signed off by a manager", 1, 2, 50.0),
        ("Children entering care with a panel decision", 2, 4, 50.0),
    ]
