"""Front door and assessment measures on hand-made journeys (answers worked by hand).

As at Sunday 30 June 2019; the year to date runs from Monday 1 April 2019. Bank holidays in the
period: Good Friday 19 April, Easter Monday 22 April, 6 May, 27 May 2019.
"""

from __future__ import annotations

from safeguard.calendar import add_working_days

from .helpers import d, figure, frames, ids


def test_early_help_open_counts_children_with_an_episode_open_at_the_date() -> None:
    # A: two open episodes -> counted once. B: ended on 30 June -> not open on 30 June.
    # C: ends 1 July -> open. D: starts 1 July -> not yet. Answer: A, C = 2.
    f = frames(
        early_help=[
            {"child_id": "A", "start": d(2019, 1, 1)},
            {"child_id": "A", "start": d(2019, 5, 1)},
            {"child_id": "B", "start": d(2019, 1, 1), "end": d(2019, 6, 30)},
            {"child_id": "C", "start": d(2019, 1, 1), "end": d(2019, 7, 1)},
            {"child_id": "D", "start": d(2019, 7, 1)},
        ]
    )
    assert figure(f, "early_help_open") == (2, 2, None)
    assert ids(f, "early_help_open") == ["A", "C"]


CONTACTS = [
    {"child_id": "A", "received": d(2019, 3, 31), "decision": "NFA", "decided": d(2019, 3, 31)},
    {"child_id": "A", "received": d(2019, 4, 1), "decision": "NFA", "decided": d(2019, 4, 1)},
    {"child_id": "A", "received": d(2019, 5, 5), "decision": "REF", "decided": d(2019, 5, 6)},
    {"child_id": "B", "received": d(2019, 6, 30), "decision": "NFA", "decided": d(2019, 7, 1)},
    {"child_id": "C", "received": d(2019, 7, 1), "decision": "NFA", "decided": d(2019, 7, 1)},
]


def test_contacts_counts_each_contact_in_the_year_to_date() -> None:
    # 31 March is last year, 1 July after the date: 1 Apr, 5 May, 30 June = 3 (A twice).
    assert figure(frames(contacts=CONTACTS), "contacts") == (3, 3, None)


def test_contacts_nfa_counts_only_decisions_made_by_the_date() -> None:
    # Of the 3 contacts, NFA decided by 30 June: A on 1 April only (B decided 1 July) = 1/3.
    assert figure(frames(contacts=CONTACTS), "contacts_nfa_pct") == (33.3, 1, 3)


def test_contacts_in_the_month_and_quarter() -> None:
    f = frames(contacts=CONTACTS)
    assert figure(f, "contacts", period="month")[0] == 1  # 30 June only
    assert figure(f, "contacts", period="quarter")[0] == 3  # April-June


def _ref(child: str, when, decided=None, nfa: bool = False) -> dict:
    return {
        "child_id": child,
        "referral_id": when.toordinal(),
        "referral_date": when,
        "decided": decided,
        "nfa": nfa,
    }


def test_referral_decision_within_one_working_day_across_bank_holidays() -> None:
    # Thu 18 Apr: due Tue 23 Apr (Good Friday, weekend, Easter Monday between); decided 23rd: ok.
    # Fri 3 May: due Tue 7 May (6 May bank holiday); decided Wed 8 May: late.
    # Mon 3 June: not decided, due 4 June, overdue at 30 June: late, in the denominator.
    # Mon 10 June: decided the same day (0 working days): ok.
    # Fri 28 June: not decided, due Mon 1 July: not yet due, left out.  -> 2 of 4 = 50%.
    assert add_working_days(d(2019, 4, 18), 1) == d(2019, 4, 23)
    f = frames(
        referrals=[
            _ref("A", d(2019, 4, 18), d(2019, 4, 23)),
            _ref("B", d(2019, 5, 3), d(2019, 5, 8)),
            _ref("C", d(2019, 6, 3)),
            _ref("D", d(2019, 6, 10), d(2019, 6, 10)),
            _ref("E", d(2019, 6, 28)),
        ]
    )
    assert figure(f, "referral_decision_1wd_pct") == (50.0, 2, 4)
    assert ids(f, "referral_decision_1wd_pct", role="denominator") == ["A", "B", "C", "D"]


def test_referral_decision_standard_is_a_local_setting() -> None:
    # With a 3 working day standard, B (8 May, 3 May + 3 wd = 9 May) is on time too: 3 of 4.
    f = frames(
        referrals=[
            _ref("A", d(2019, 4, 18), d(2019, 4, 23)),
            _ref("B", d(2019, 5, 3), d(2019, 5, 8)),
            _ref("C", d(2019, 6, 3)),
            _ref("D", d(2019, 6, 10), d(2019, 6, 10)),
        ]
    )
    got = figure(f, "referral_decision_1wd_pct", standards={"referral_decision_working_days": 3})
    assert got == (75.0, 3, 4)


REREFERRALS = [
    # A: exactly 12 months after the previous referral -> a re-referral.
    _ref("A", d(2018, 5, 15)),
    _ref("A", d(2019, 5, 15)),
    # B: 12 months and a day -> not.
    _ref("B", d(2018, 5, 14)),
    _ref("B", d(2019, 5, 15)),
    # C: two in the year; the second is a re-referral, the first is not.
    _ref("C", d(2019, 4, 10), nfa=True),
    _ref("C", d(2019, 6, 10)),
    _ref("D", d(2019, 6, 1)),
]


def test_rereferrals_within_12_months_including_exactly_12_months() -> None:
    # Referrals in the year: A 15 May, B 15 May, C 10 Apr, C 10 June, D 1 June = 5.
    # Re-referrals: A (exactly 12 months), C 10 June = 2 -> 40%.
    f = frames(referrals=REREFERRALS)
    assert figure(f, "referrals") == (5, 5, None)
    assert figure(f, "rereferrals_12m_pct") == (40.0, 2, 5)
    assert ids(f, "rereferrals_12m_pct") == ["A", "C"]


def test_referrals_nfa_and_rate() -> None:
    # 1 NFA (C on 10 April) of 5 referrals = 20%; 5 per 10,000 when the population is 10,000.
    f = frames(referrals=REREFERRALS)
    assert figure(f, "referrals_nfa_pct") == (20.0, 1, 5)
    assert figure(f, "referral_rate_per_10k", population=10_000)[0] == 5.0
    assert figure(f, "referral_rate_per_10k")[0] == round(5 / 36_000 * 10_000, 1)  # default


def _assessment(child: str, start, authorised=None) -> dict:
    return {"child_id": child, "referral_id": 1, "start": start, "authorised": authorised}


def test_assessment_on_working_day_45_is_on_time_and_46_is_late() -> None:
    # Started Mon 1 April 2019: working days after it (Easter and the two May bank holidays
    # excluded): April 19, May 21 (to 31 May = 40), then 3-7 June -> day 45 is Fri 7 June.
    assert add_working_days(d(2019, 4, 1), 45) == d(2019, 6, 7)
    f = frames(
        assessments=[
            _assessment("A", d(2019, 4, 1), d(2019, 6, 7)),  # day 45: on time
            _assessment("B", d(2019, 4, 1), d(2019, 6, 10)),  # day 46: late
            _assessment("C", d(2019, 1, 2), d(2019, 3, 29)),  # authorised last year: not counted
        ]
    )
    assert figure(f, "assessments_completed") == (2, 2, None)
    assert figure(f, "assessments_45wd_pct") == (50.0, 1, 2)
    assert ids(f, "assessments_45wd_pct") == ["A"]


def test_open_assessments_over_45_working_days() -> None:
    # A: from 1 April, open: due 7 June, past at 30 June -> overdue.
    # B: from 1 May, open: due Fri 5 July -> not yet.
    # C: from 2 April, authorised 2 July (after the date, so open on 30 June): due 10 June
    #    -> overdue.  D: from 1 April, authorised 10 June -> closed.  Answer 2 (A, C).
    f = frames(
        assessments=[
            _assessment("A", d(2019, 4, 1)),
            _assessment("B", d(2019, 5, 1)),
            _assessment("C", d(2019, 4, 2), d(2019, 7, 2)),
            _assessment("D", d(2019, 4, 1), d(2019, 6, 10)),
        ]
    )
    assert figure(f, "assessments_open_over_45wd") == (2, 2, None)
    assert ids(f, "assessments_open_over_45wd") == ["A", "C"]


def test_cin_plans_open_counts_children() -> None:
    # A open (two plans, counted once); B ended 30 June; C ends later -> A, C.
    f = frames(
        cin_plans=[
            {"child_id": "A", "start": d(2019, 1, 1)},
            {"child_id": "A", "start": d(2019, 2, 1)},
            {"child_id": "B", "start": d(2019, 1, 1), "end": d(2019, 6, 30)},
            {"child_id": "C", "start": d(2019, 6, 30), "end": d(2019, 8, 1)},
        ]
    )
    assert figure(f, "cin_plans_open") == (2, 2, None)
