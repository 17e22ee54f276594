"""Looked-after, care leaver and adoption measures on hand-made journeys (worked by hand)."""

from __future__ import annotations

from datetime import datetime

from safeguard.calendar import add_working_days

from .helpers import d, figure, frames, ids


def _ep(
    child: str, start, end=None, rne="S", ls="C2", place="U4", provider="PR1", rec=None
) -> dict:
    return {
        "child_id": child,
        "start": start,
        "end": end,
        "rne": rne,
        "ls": ls,
        "place": place,
        "provider": provider,
        "rec": rec,
    }


OPEN = [
    _ep("A", d(2018, 1, 1)),  # open
    _ep("B", d(2019, 6, 1), ls="V3"),  # short breaks only: excluded
    _ep("C", d(2019, 4, 1), d(2019, 6, 30), ls="V2", rec="E13"),  # ended on the date
    _ep("D", d(2019, 4, 1), d(2019, 6, 30), ls="V2", rec="X1"),  # new episode the same day
    _ep("D", d(2019, 6, 30), rne="L", ls="C1"),
    _ep("E", d(2019, 5, 1), ls="V4"),  # short breaks: excluded
    _ep("F", d(2019, 5, 2), ls="V2"),  # section 20, open
]


def test_cla_open_excludes_short_breaks_and_episodes_ended_on_the_date() -> None:
    # Open at 30 June: A, D (its new episode), F. B and E are V3/V4; C ended on 30 June.
    f = frames(episodes=OPEN)
    assert figure(f, "cla_open") == (3, 3, None)
    assert ids(f, "cla_open") == ["A", "D", "F"]
    assert figure(f, "cla_rate_per_10k", population=30_000)[0] == 1.0


def test_cla_started_ended_and_s20() -> None:
    # Started (RNE S) in the year, not short breaks: C (1 Apr), D (1 Apr), F (2 May) = 3.
    # Ended in the year (not X1): C only. Under s20 at 30 June: F only (D is now C1).
    f = frames(episodes=OPEN)
    assert figure(f, "cla_started") == (3, 3, None)
    assert figure(f, "cla_ended") == (1, 1, None)
    assert ids(f, "cla_s20_open") == ["F"]


def test_three_or_more_placements_in_12_months() -> None:
    # Window 1 July 2018 - 30 June 2019.
    # A: S Jan 2018 (open on 1 July: 1), P Sep 2018 (+1), T Dec 2018 (same carer: 0),
    #    B Mar 2019 (+1) = 3 -> counts.
    # B: S 1 June 2018, P 30 June 2018 (open on 1 July: 1), L Jan 2019 (0), P Feb 2019 (+1) = 2.
    # C: S Jan 2018 ending 1 July 2018 (in care on 1 July: 1), P 1 July 2018 (+1),
    #    U Jan 2019 (same carer: 0), P May 2019 (+1) = 3 -> counts.
    f = frames(
        episodes=[
            _ep("A", d(2018, 1, 1), d(2018, 9, 1), rec="X1"),
            _ep("A", d(2018, 9, 1), d(2018, 12, 1), rne="P", rec="X1"),
            _ep("A", d(2018, 12, 1), d(2019, 3, 1), rne="T", rec="X1"),
            _ep("A", d(2019, 3, 1), rne="B", ls="C1"),
            _ep("B", d(2018, 6, 1), d(2018, 6, 30), rec="X1"),
            _ep("B", d(2018, 6, 30), d(2019, 1, 1), rne="P", rec="X1"),
            _ep("B", d(2019, 1, 1), d(2019, 2, 1), rne="L", ls="C1", rec="X1"),
            _ep("B", d(2019, 2, 1), rne="P", ls="C1"),
            _ep("C", d(2018, 1, 1), d(2018, 7, 1), rec="X1"),
            _ep("C", d(2018, 7, 1), d(2019, 1, 1), rne="P", rec="X1"),
            _ep("C", d(2019, 1, 1), d(2019, 5, 1), rne="U", ls="C1", rec="X1"),
            _ep("C", d(2019, 5, 1), rne="P", ls="C1"),
        ]
    )
    assert ids(f, "cla_3plus_placements") == ["A", "C"]
    assert figure(f, "cla_3plus_placements_pct") == (66.7, 2, 3)


def test_long_term_stability_and_the_16th_birthday() -> None:
    # Cohort: under 16 on 30 June 2019, in care since 30 Dec 2016 or before (2.5 years).
    # A (born 2005): in care 30 Dec 2016, same carer since (a T change only) -> stable.
    # B: 16th birthday on 30 June 2019 -> aged 16, out of the cohort.
    # C: 16 tomorrow -> in the cohort; new carer 1 July 2017 (under 2 years) -> not stable.
    # D: in care from 31 Dec 2016 -> under 2.5 years, out.  -> 1 of 2 = 50%.
    children = [
        {"child_id": c, "dob": dob}
        for c, dob in [
            ("A", d(2005, 1, 1)),
            ("B", d(2003, 6, 30)),
            ("C", d(2003, 7, 1)),
            ("D", d(2005, 1, 1)),
        ]
    ]
    f = frames(
        children=children,
        episodes=[
            _ep("A", d(2016, 12, 30), d(2018, 1, 1), rec="X1"),
            _ep("A", d(2018, 1, 1), rne="T", place="U1"),
            _ep("B", d(2010, 1, 1)),
            _ep("C", d(2015, 1, 1), d(2017, 7, 1), rec="X1"),
            _ep("C", d(2017, 7, 1), rne="P"),
            _ep("D", d(2016, 12, 31)),
        ],
    )
    assert ids(f, "cla_long_term_stability_pct", role="denominator") == ["A", "C"]
    assert figure(f, "cla_long_term_stability") == (1, 1, None)
    assert figure(f, "cla_long_term_stability_pct") == (50.0, 1, 2)


def test_in_house_foster_share_of_fostered_children() -> None:
    # Fostered (U1-U6): A (own carer PR1), B (private PR4); C is in a children's home.
    f = frames(
        episodes=[
            _ep("A", d(2019, 1, 1)),
            _ep("B", d(2019, 1, 1), provider="PR4"),
            _ep("C", d(2019, 1, 1), place="R1"),
        ]
    )
    assert figure(f, "cla_in_house_foster_pct") == (50.0, 1, 2)


def test_looked_after_reviews_20_working_days_then_3_then_6_months() -> None:
    # A: in care Wed 2 Jan 2019, first review due 30 Jan (20 working days), held 30 Jan;
    #    second due 30 Apr, held 30 Apr; third due 30 Oct -> on time.
    # B: same start, first review 31 Jan -> late.
    # C: in care 3 June, first review due 1 July -> not yet due: out of the cohort.
    # D: in care Fri 31 May, first review due Fri 28 June, none -> overdue.
    # E: short breaks (V3) -> excluded.   On time: A of A, B, D -> 33.3%.
    assert add_working_days(d(2019, 1, 2), 20) == d(2019, 1, 30)
    assert add_working_days(d(2019, 5, 31), 20) == d(2019, 6, 28)
    f = frames(
        episodes=[
            _ep("A", d(2019, 1, 2)),
            _ep("B", d(2019, 1, 2)),
            _ep("C", d(2019, 6, 3)),
            _ep("D", d(2019, 5, 31)),
            _ep("E", d(2018, 1, 2), ls="V3"),
        ],
        lac_reviews=[
            {"child_id": c, "date": r}
            for c, r in [("A", d(2019, 1, 30)), ("A", d(2019, 4, 30)), ("B", d(2019, 1, 31))]
        ],
    )
    assert ids(f, "cla_reviews_on_time_pct", role="denominator") == ["A", "B", "D"]
    assert figure(f, "cla_reviews_on_time_pct") == (33.3, 1, 3)


def test_missing_children_and_return_home_interviews_within_72_hours() -> None:
    # Missing (M) episodes starting in the year: A twice, B once -> 2 children; C was away (A).
    # Returned 1 May 10:00: A offered 4 May 10:00 (exactly 72 hours: on time); B offered
    # 4 May 10:01 (late); C never offered (late) -> 1 of 3.
    back = datetime(2019, 5, 1, 10, 0)
    f = frames(
        missing=[
            {
                "child_id": "A",
                "kind": "M",
                "start": d(2019, 4, 30),
                "end": d(2019, 5, 1),
                "returned": back,
                "rhi_offered": datetime(2019, 5, 4, 10, 0),
            },
            {"child_id": "A", "kind": "M", "start": d(2019, 6, 1)},
            {
                "child_id": "B",
                "kind": "M",
                "start": d(2019, 4, 30),
                "end": d(2019, 5, 1),
                "returned": back,
                "rhi_offered": datetime(2019, 5, 4, 10, 1),
            },
            {
                "child_id": "C",
                "kind": "A",
                "start": d(2019, 4, 30),
                "end": d(2019, 5, 1),
                "returned": back,
            },
        ]
    )
    assert figure(f, "cla_missing_children") == (2, 2, None)
    assert figure(f, "rhi_72h_pct") == (33.3, 1, 3)


def test_care_leavers_in_touch_accommodation_and_activity() -> None:
    # Contacts in the year (latest per young person): A (in touch, suitable B1, in education
    # F2; an earlier April contact said NO), B (NO, unsuitable B2, NEET G5), C died (excluded),
    # D's contact was in March (last year).   Cohort A, B: 50% each measure.
    f = frames(
        care_leavers=[
            {"child_id": "A", "date": d(2019, 4, 5), "in_touch": "NO", "accom": "0"},
            {
                "child_id": "A",
                "date": d(2019, 5, 5),
                "in_touch": "YES",
                "accom": "B1",
                "activ": "F2",
            },
            {
                "child_id": "B",
                "date": d(2019, 5, 5),
                "in_touch": "NO",
                "accom": "B2",
                "activ": "G5",
            },
            {"child_id": "C", "date": d(2019, 5, 5), "in_touch": "DIED"},
            {"child_id": "D", "date": d(2019, 3, 5), "in_touch": "YES", "accom": "B1"},
        ]
    )
    assert figure(f, "care_leavers_in_touch_pct") == (50.0, 1, 2)
    assert figure(f, "care_leavers_suitable_accommodation_pct") == (50.0, 1, 2)
    assert figure(f, "care_leavers_eet_pct") == (50.0, 1, 2)


def test_placement_orders_adoptions_a1_and_a2() -> None:
    # Placement orders in the year: A (recorded 1 May 2019), B (first E1 episode 10 Apr 2019);
    # C's first E1 was 1 Jan 2018 (earlier than its recorded date) -> 2.
    # Adopted in the year (E11/E12): D and E.
    # D: in care 1 Jan 2017, placed for adoption (A4) 1 Jan 2018: A1 = 365 days; placement
    #    order (E1) 1 June 2017, matched 1 Oct 2017: A2 = 122 days.
    # E: in care 1 Jan 2018, no A3-A6 episode, recorded placed 1 July 2018: A1 = 181 days;
    #    no placement order: no A2.   A1 average (365 + 181) / 2 = 273.
    f = frames(
        episodes=[
            _ep("B", d(2018, 1, 1), d(2019, 4, 10), rec="X1"),
            _ep("B", d(2019, 4, 10), rne="L", ls="E1"),
            _ep("C", d(2017, 1, 1), d(2018, 1, 1), rec="X1"),
            _ep("C", d(2018, 1, 1), rne="L", ls="E1"),
            _ep("D", d(2017, 1, 1), d(2017, 6, 1), rec="X1"),
            _ep("D", d(2017, 6, 1), d(2018, 1, 1), rne="L", ls="E1", rec="X1"),
            _ep("D", d(2018, 1, 1), d(2019, 5, 1), rne="P", ls="E1", place="A4", rec="E11"),
            _ep("E", d(2018, 1, 1), d(2019, 6, 1), rec="E12"),
        ],
        adoptions=[
            {"child_id": "A", "placement_order_date": d(2019, 5, 1)},
            {"child_id": "C", "placement_order_date": d(2019, 5, 1)},
            {"child_id": "D", "match_date": d(2017, 10, 1)},
            {"child_id": "E", "placed_date": d(2018, 7, 1)},
        ],
    )
    assert ids(f, "placement_orders") == ["A", "B"]
    assert figure(f, "adoptions") == (2, 2, None)
    assert figure(f, "adoption_a1_days") == (273.0, 546, 2)
    assert figure(f, "adoption_a2_days") == (122.0, 122, 1)


def test_a_review_late_more_than_12_months_ago_no_longer_counts() -> None:
    # In care Wed 2 Jan 2017: first review due 30 Jan 2017, held 6 Feb 2017 (late, but more
    # than 12 months before 30 June 2019). Then 6 May 2017 (due 6 May: 3 months), 1 Nov 2017,
    # 1 May 2018, 1 Nov 2018, 1 May 2019 (each within 6 months) -> on time at 30 June 2019.
    # At 31 Dec 2017 the late first review is within the 12 months -> late.
    reviews = [
        d(2017, 2, 6),
        d(2017, 5, 6),
        d(2017, 11, 1),
        d(2018, 5, 1),
        d(2018, 11, 1),
        d(2019, 5, 1),
    ]
    f = frames(
        episodes=[_ep("A", d(2017, 1, 2))],
        lac_reviews=[{"child_id": "A", "date": r} for r in reviews],
    )
    assert figure(f, "cla_reviews_on_time_pct") == (100.0, 1, 1)
    assert figure(f, "cla_reviews_on_time_pct", as_at=d(2017, 12, 31)) == (0.0, 0, 1)
