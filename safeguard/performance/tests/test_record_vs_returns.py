"""The same small journey, recorded through the ORM and written as returns by hand, gives the
same figures for every measure the returns can provide (issue 5: --from and import agree)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from safeguard.journey import models as j
from safeguard.performance import engine
from safeguard.performance.frames import from_record, from_returns

D = date
pytestmark = pytest.mark.django_db


def _record() -> None:
    kids = {
        c: j.Child.objects.create(la_child_id=c, sex="1", date_of_birth=dob)
        for c, dob in [
            ("A", D(2010, 1, 1)),
            ("B", D(2011, 1, 1)),
            ("C", D(2012, 1, 1)),
            ("L", D(2008, 1, 1)),
            ("Q", D(2015, 1, 1)),
            ("Y", D(2000, 5, 10)),
        ]
    }
    ref = j.Referral.objects.create(
        child=kids["A"], referral_date=D(2019, 4, 2), referral_source="1A"
    )
    j.Assessment.objects.create(
        referral=ref, child=kids["A"], start_date=D(2019, 4, 3), authorisation_date=D(2019, 5, 20)
    )
    s47 = j.Section47.objects.create(
        referral=ref, child=kids["A"], strategy_discussion_date=D(2019, 4, 4)
    )
    icpc = j.Conference.objects.create(
        child=kids["A"], kind="ICPC", date=D(2019, 4, 29), outcome="CPP", section47=s47
    )
    plan = j.ChildProtectionPlan.objects.create(
        referral=ref,
        child=kids["A"],
        initial_conference=icpc,
        start_date=D(2019, 4, 29),
        initial_category="NEG",
        latest_category="NEG",
    )
    j.Conference.objects.create(
        child=kids["A"], kind="RCPC", date=D(2019, 6, 20), outcome="CONTINUE", cp_plan=plan
    )
    j.Referral.objects.create(child=kids["B"], referral_date=D(2018, 7, 1), referral_source="1A")
    j.Referral.objects.create(
        child=kids["B"], referral_date=D(2019, 5, 1), referral_source="1A", referral_nfa=True
    )
    ref_c = j.Referral.objects.create(
        child=kids["C"], referral_date=D(2019, 4, 20), referral_source="1A"
    )
    j.ChildInNeedPlan.objects.create(referral=ref_c, child=kids["C"], start_date=D(2019, 5, 1))
    _record_care(kids)


def _episode(child: j.Child, start, end, rne, ls, place, provider, rec) -> None:
    j.CareEpisode.objects.create(
        child=child,
        start_date=start,
        end_date=end,
        reason_new_episode=rne,
        legal_status=ls,
        category_of_need="N1",
        placement_type=place,
        placement_provider=provider,
        reason_ended=rec,
    )


def _record_care(kids: dict) -> None:
    for row in EPISODES:
        _episode(kids[row[0]], *row[1:])
    for when in (D(2016, 1, 28), D(2016, 4, 28), D(2016, 10, 20), D(2019, 6, 1)):
        j.LookedAfterReview.objects.create(child=kids["L"], date=when)
    j.MissingEpisode.objects.create(
        child=kids["L"], kind="M", start_date=D(2019, 5, 1), end_date=D(2019, 5, 2)
    )
    j.Adoption.objects.create(
        child=kids["Q"], decision_date=D(2017, 5, 1), match_date=D(2017, 10, 1)
    )
    j.CareLeaverContact.objects.create(
        child=kids["Y"], date=D(2019, 5, 10), in_touch="YES", activity="F2", accommodation="B1"
    )


EPISODES = [
    ("L", D(2016, 1, 1), D(2018, 10, 1), "S", "C2", "U4", "PR1", "X1"),
    ("L", D(2018, 10, 1), None, "P", "C2", "U6", "PR4", ""),
    ("Q", D(2017, 1, 1), D(2017, 6, 1), "S", "C2", "U6", "PR1", "X1"),
    ("Q", D(2017, 6, 1), D(2018, 1, 1), "L", "E1", "U6", "PR1", "X1"),
    ("Q", D(2018, 1, 1), D(2019, 5, 1), "P", "E1", "A4", "PR1", "E11"),
]


def _returns() -> tuple[dict, dict]:
    """The CIN census 2019-20 and SSDA903 of the same journey, written by hand."""
    cin = {
        "Header": pl.DataFrame({"ReferenceDate": [D(2020, 3, 31)]}),
        "ChildIdentifiers": pl.DataFrame(
            {
                "LAchildID": ["A", "B", "C"],
                "PersonBirthDate": [D(2010, 1, 1), D(2011, 1, 1), D(2012, 1, 1)],
                "Sex": ["1", "1", "1"],
            }
        ),
        "CINdetails": pl.DataFrame(
            {
                "LAchildID": ["A", "B", "B", "C"],
                "CINdetailsID": [1, 1, 2, 1],
                "CINreferralDate": [D(2019, 4, 2), D(2018, 7, 1), D(2019, 5, 1), D(2019, 4, 20)],
                "ReferralNFA": [False, False, True, False],
            }
        ),
        "Assessments": pl.DataFrame(
            {
                "LAchildID": ["A"],
                "CINdetailsID": [1],
                "AssessmentID": [1],
                "AssessmentActualStartDate": [D(2019, 4, 3)],
                "AssessmentAuthorisationDate": [D(2019, 5, 20)],
            }
        ),
        "CINplanDates": pl.DataFrame(
            {"LAchildID": ["C"], "CINdetailsID": [1], "CINPlanStartDate": [D(2019, 5, 1)]}
        ),
        "Section47": pl.DataFrame(
            {
                "LAchildID": ["A"],
                "CINdetailsID": [1],
                "S47ID": [1],
                "S47ActualStartDate": [D(2019, 4, 4)],
                "DateOfInitialCPC": [D(2019, 4, 29)],
                "ICPCnotRequired": [False],
            }
        ),
        "ChildProtectionPlans": pl.DataFrame(
            {
                "LAchildID": ["A"],
                "CINdetailsID": [1],
                "CPPID": [1],
                "CPPstartDate": [D(2019, 4, 29)],
                "NumberOfPreviousCPP": [0],
            }
        ),
        "Reviews": pl.DataFrame(
            {
                "LAchildID": ["A"],
                "CINdetailsID": [1],
                "CPPID": [1],
                "CPPreviewDate": [D(2019, 6, 20)],
            }
        ),
    }
    eps = pl.DataFrame(
        EPISODES,
        schema=["CHILD", "DECOM", "DEC", "RNE", "LS", "PLACE", "PLACE_PROVIDER", "REC"],
        orient="row",
    )
    lac = {
        "Header": pl.DataFrame(
            {
                "CHILD": ["L", "Q", "Y"],
                "SEX": ["1", "1", "1"],
                "DOB": [D(2008, 1, 1), D(2015, 1, 1), D(2000, 5, 10)],
            }
        ),
        "Episodes": eps.with_columns(pl.col("REC").replace("", None)),
        "Reviews": pl.DataFrame(
            {
                "CHILD": ["L"] * 4,
                "REVIEW": [D(2016, 1, 28), D(2016, 4, 28), D(2016, 10, 20), D(2019, 6, 1)],
            }
        ),
        "Missing": pl.DataFrame(
            {
                "CHILD": ["L"],
                "MISSING": ["M"],
                "MIS_START": [D(2019, 5, 1)],
                "MIS_END": [D(2019, 5, 2)],
            }
        ),
        "AD1": pl.DataFrame({"CHILD": ["Q"], "DATE_MATCH": [D(2017, 10, 1)]}),
        "OC3": pl.DataFrame(
            {
                "CHILD": ["Y"],
                "DOB": [D(2000, 5, 10)],
                "IN_TOUCH": ["YES"],
                "ACTIV": ["F2"],
                "ACCOM": ["B1"],
            }
        ),
    }
    return cin, lac


def _figures(frames, as_at: date, period: str) -> dict:
    res = engine.compute(frames, as_at, period=period)
    return {
        r["measure"]: (r["value"], r["numerator"], r["denominator"])
        for r in res.iter_rows(named=True)
    }


@pytest.mark.parametrize(
    ("as_at", "period"),
    [(D(2019, 6, 30), "ytd"), (D(2019, 6, 30), "12m"), (D(2019, 5, 31), "month")],
)
def test_record_and_returns_agree(as_at: date, period: str) -> None:
    _record()
    cin, lac = _returns()
    rec, ret = from_record(), from_returns(cin, lac)
    a, b = _figures(rec, as_at, period), _figures(ret, as_at, period)
    available = {k for k, v in b.items() if v[0] is not None or v[1] is not None}
    assert {k: a[k] for k in available} == {k: b[k] for k in available}
    # The journey exercises the measures, not only zeros:
    assert a["referrals"][0] >= 1 and a["cla_open"][0] == 1 and a["cpp_open"][0] == 1
    assert "visits_cp_on_time_pct" not in available  # the returns carry no visits


def test_returns_pooled_across_two_years_keep_an_episode_once() -> None:
    # The 2018-19 return had L's placement open; 2019-20 the same: pooled once, not twice.
    _, lac = _returns()
    f = from_returns(None, [lac, lac])
    assert f.episodes.height == len(EPISODES)


_JOURNEY_MODELS = (
    "Conference",
    "ChildProtectionPlan",
    "Section47",
    "Assessment",
    "ChildInNeedPlan",
    "Referral",
    "CareEpisode",
    "LookedAfterReview",
    "MissingEpisode",
    "Adoption",
    "CareLeaverContact",
    "Child",
)


def test_importing_returns_then_reading_the_record_agrees_with_reading_the_returns() -> None:
    # The acceptance test of issue 5: returns exported by the codecs, imported into an empty
    # record; every measure the returns provide is identical from the record and the files.
    from safeguard.returns.codec import codec_for

    _record()
    cin_codec, lac_codec = codec_for("cin-census"), codec_for("ssda903")
    cin, lac = cin_codec.from_record(year=2020), lac_codec.from_record(year=2020)
    for name in _JOURNEY_MODELS:
        getattr(j, name).objects.all().delete()
    cin_codec.to_record(cin, source="cin-census:2020")
    lac_codec.to_record(lac, source="ssda903:2020")
    rec, ret = from_record(), from_returns(cin, lac)
    for as_at, period in ((D(2019, 6, 30), "ytd"), (D(2020, 3, 31), "ytd")):
        a, b = _figures(rec, as_at, period), _figures(ret, as_at, period)
        available = {k for k, v in b.items() if v[1] is not None}
        assert {k: a[k] for k in available} == {k: b[k] for k in available}
        assert a["icpc_to_plan_pct"][0] == 100.0


# --- The data book's trend from returns: the months they cover, and saying which they do not --


def test_collection_spans_join_consecutive_years_and_keep_gaps() -> None:
    from safeguard.performance.frames import collection_spans

    # 2018-19 and 2019-20 meet (31 March 2019, then 1 April 2019): one span.
    assert collection_spans([D(2020, 3, 31), D(2019, 3, 31)]) == ((D(2018, 4, 1), D(2020, 3, 31)),)
    # 2017-18 and 2019-20, no 2018-19 between them: two spans; the same year twice is one.
    assert collection_spans([D(2018, 3, 31), D(2020, 3, 31), D(2020, 3, 31)]) == (
        (D(2017, 4, 1), D(2018, 3, 31)),
        (D(2019, 4, 1), D(2020, 3, 31)),
    )
    assert collection_spans([]) is None


def test_returns_frames_cover_their_collection_year_only() -> None:
    from safeguard.returns.codec import codec_for

    _record()
    cin = codec_for("cin-census").from_record(year=2020)
    f = from_returns(cin, None)
    assert f.covered == ((D(2019, 4, 1), D(2020, 3, 31)),)
    assert f.covers(D(2019, 4, 1), D(2019, 4, 30)) and f.covers(D(2020, 3, 31), D(2020, 3, 31))
    assert not f.covers(D(2019, 3, 31), D(2019, 4, 30))  # one day before the year
    assert not f.covers(D(2020, 3, 1), D(2020, 4, 1))  # one day after
    assert from_record().covers(D(1990, 1, 1), D(2030, 1, 1))  # the record: no limit


def _cells(book, measure: str) -> dict[date, str]:
    trend = next(t for area in book.areas for t in area.council if t.measure.id == measure)
    return dict(zip(book.dates, trend.texts(), strict=True))


def test_databook_from_returns_shows_the_months_they_cover_and_names_the_rest() -> None:
    # The 2019-20 returns cover 1 April 2019 to 31 March 2020. A 13-month book to 30 June 2019
    # (flows per month) runs 30 June 2018 ... 30 June 2019:
    # - April, May and June 2019 are covered; June 2018 to March 2019 (10 month-ends) are not,
    #   for flows (their month) and snapshots alike (31 March 2019 is before the year);
    # - a 12-month measure (3+ placements) needs 1 July 2018 on: not covered even in June 2019.
    # Importing the same returns and computing from the record gives the same covered cells.
    from safeguard.performance.reports import databook as db
    from safeguard.returns.codec import codec_for

    _record()
    cin_codec, lac_codec = codec_for("cin-census"), codec_for("ssda903")
    cin, lac = cin_codec.from_record(year=2020), lac_codec.from_record(year=2020)
    for name in _JOURNEY_MODELS:
        getattr(j, name).objects.all().delete()
    cin_codec.to_record(cin, source="cin-census:2020")
    lac_codec.to_record(lac, source="ssda903:2020")
    as_at = D(2019, 6, 30)
    ret = db.databook(from_returns(cin, lac, ssda903_years=[2020]), as_at, period="month")
    rec = db.databook(from_record(), as_at, period="month")

    covered = [D(2019, 4, 30), D(2019, 5, 31), D(2019, 6, 30)]
    assert len(ret.dates) == 13 and ret.not_covered == ret.dates[:10]
    assert rec.not_covered == [] and rec.coverage_note == ""
    assert "1 April 2019 to 31 March 2020" in ret.coverage_note
    assert "June 2018" in ret.coverage_note and "March 2019" in ret.coverage_note
    refs = _cells(ret, "referrals")
    assert [refs[d] for d in ret.dates[:10]] == ["not covered"] * 10
    # Referrals: A on 2 April, C on 20 April, B on 1 May 2019 (NFA) -> April 2, May 1, June 0.
    assert [refs[d] for d in covered] == ["2", "1", "0"]
    assert _cells(ret, "cla_3plus_placements")[as_at] == "not covered"
    assert _cells(ret, "cla_open")[as_at] == _cells(rec, "cla_open")[as_at] == "1"
    # Every covered cell the returns can give is identical from the record.
    for area_ret, area_rec in zip(ret.areas, rec.areas, strict=True):
        for t_ret, t_rec in zip(area_ret.council, area_rec.council, strict=True):
            cells = zip(ret.dates, t_ret.texts(), t_ret.covered, t_ret.values, strict=True)
            for d, text, ok, v in cells:
                if ok and v is not None:
                    assert text == t_rec.texts()[ret.dates.index(d)], (t_ret.measure.id, d)
