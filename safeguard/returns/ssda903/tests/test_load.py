"""Loading SSDA903 returns into the record: children matched, idempotent, newer returns replace."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from safeguard.journey import models as jm
from safeguard.returns.ssda903 import load, reader
from safeguard.returns.ssda903.codec import CODEC

from .helpers import differences, write_csvs

EP = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
HEAD = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"


def _read(folder, files):
    result = reader.read([write_csvs(folder, files)])
    assert result.problems == []
    return result


@pytest.mark.django_db
def test_same_return_twice_changes_nothing(tmp_path):
    files = {
        "h.csv": f"{HEAD}\nA1,1,01/01/2010,WBRI,,,",
        "e.csv": f"{EP}\nA1,01/05/2018,S,C2,N1,U1,PR1,,,,,,",
    }
    result = _read(tmp_path / "2019", files)
    first = CODEC.to_record(result.frames, source="ssda903:2019")
    assert first.children == 1 and first.rows_written["CareEpisode"] == 1
    assert not first.unchanged
    stamp = jm.CareEpisode.objects.get().updated_at
    again = CODEC.to_record(result.frames, source="ssda903:2019")
    assert again.unchanged and again.replaced == {}
    assert jm.CareEpisode.objects.get().updated_at == stamp


@pytest.mark.django_db
def test_newer_return_for_the_same_year_replaces_and_says_so(tmp_path):
    old = _read(
        tmp_path / "a",
        {
            "e.csv": "\n".join(
                [EP, "A1,01/05/2018,S,C2,N1,U1,PR1,,,,,,", "A1,01/06/2018,P,C2,N1,U4,PR1,,,,,,"]
            )
        },
    )
    new = _read(
        tmp_path / "b",
        {"e.csv": "\n".join([EP, "A1,01/05/2018,S,C2,N1,U1,PR1,01/07/2018,E4A,,,,"])},
    )
    CODEC.to_record(old.frames, source="ssda903:2019")
    summary = CODEC.to_record(new.frames, source="ssda903:2019")
    # Both of A1's 2019 episodes go; the resubmission's one episode comes in.
    assert summary.replaced == {"CareEpisode": 2}
    assert list(jm.CareEpisode.objects.values_list("end_date", "reason_ended")) == [
        (date(2018, 7, 1), "E4A")
    ]


@pytest.mark.django_db
def test_a_later_years_row_is_not_overwritten_by_an_earlier_return(tmp_path):
    y2019 = _read(tmp_path / "2019", {"e.csv": f"{EP}\nA1,01/05/2018,S,C2,N1,U1,PR1,,,,,,"})
    y2020 = _read(
        tmp_path / "2020", {"e.csv": f"{EP}\nA1,01/05/2018,S,C2,N1,U1,PR1,01/05/2019,E4A,,,,"}
    )
    CODEC.to_record(y2020.frames, source="ssda903:2020")
    CODEC.to_record(y2019.frames, source="ssda903:2019")
    assert list(jm.CareEpisode.objects.values_list("source", "end_date")) == [
        ("ssda903:2020", date(2019, 5, 1))
    ]


@pytest.mark.django_db
def test_children_are_matched_on_la_child_id_and_updated(tmp_path):
    jm.Child.objects.create(
        la_child_id="A1", sex="1", date_of_birth=date(2010, 1, 1), first_name="Ann"
    )
    result = _read(
        tmp_path / "r",
        {
            "h.csv": f"{HEAD}\nA1,2,02/01/2010,WIRI,UN3,1,01/02/2026",
            "u.csv": "CHILD,SEX,DOB,DUC\nA1,2,02/01/2010,02/01/2028",
            "e.csv": f"{EP}\nA1,01/05/2018,S,C2,N1,U1,PR1,,,,,,",
        },
    )
    CODEC.to_record(result.frames, source="ssda903:2019")
    child = jm.Child.objects.get()
    assert (child.first_name, child.sex, child.date_of_birth, child.ethnicity) == (
        "Ann",
        "2",
        date(2010, 1, 2),
        "WIRI",
    )
    assert (child.upn, child.upn_unknown, child.mother) == ("", "UN3", True)
    assert (child.uasc, child.uasc_ceased) == (True, date(2028, 1, 2))


@pytest.mark.django_db
def test_oc3_contact_is_dated_on_the_birthday_in_the_year(tmp_path):
    # 2018-19 runs 1 Apr 2018 .. 31 Mar 2019. Born 15/06/2000: birthday 15/06/2018 (18th).
    # Born 29/02/2000: the year holds no 29 Feb 2019, so 28/02/2019 (19th).
    result = _read(
        tmp_path / "r",
        {
            "o.csv": "\n".join(
                [
                    "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM",
                    "C1,15/06/2000,YES,F1,U1",
                    "C2,29/02/2000,NO,G5,S2",
                ]
            ),
            "e.csv": f"{EP}\nX,01/05/2018,S,C2,N1,U1,PR1,,,,,,",
        },
    )
    CODEC.to_record(result.frames, source="ssda903:2019")
    got = dict(jm.CareLeaverContact.objects.values_list("child__la_child_id", "date"))
    assert got == {"C1": date(2018, 6, 15), "C2": date(2019, 2, 28)}


@pytest.mark.django_db
def test_adoption_joins_ad1_and_placed_adoption_and_takes_dates_from_episodes(tmp_path):
    result = _read(
        tmp_path / "r",
        {
            "e.csv": "\n".join(
                [
                    EP,
                    "B1,01/04/2016,S,C2,N1,U6,PR1,01/09/2017,X1,,,,",
                    "B1,01/09/2017,L,E1,N1,U6,PR1,01/10/2017,X1,CARPL,,,",
                    "B1,01/10/2017,P,E1,N1,A6,PR1,20/05/2018,E11,,,,",
                ]
            ),
            "p.csv": "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\n"
            "B1,01/01/2015,01/06/2017,,",
            "a.csv": "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\n"
            "B1,01/01/2015,01/06/2017,15/09/2017,0,2,MF,L11",
        },
    )
    CODEC.to_record(result.frames, source="ssda903:2019")
    a = jm.Adoption.objects.get()
    assert (a.decision_date, a.interest_date, a.match_date) == (
        date(2017, 6, 1),
        date(2017, 6, 1),
        date(2017, 9, 15),
    )
    assert (a.placement_order_date, a.placed_date, a.order_date) == (
        date(2017, 9, 1),
        date(2017, 10, 1),
        date(2018, 5, 20),
    )
    assert (a.foster_care, a.number_of_adopters, a.sex_of_adopters) == (False, 2, "MF")
    back = CODEC.from_record(year=2019)
    assert differences(result.frames, back, ["Episodes", "AD1", "PlacedAdoption"]) == {}


@pytest.mark.django_db
def test_export_of_recorded_data_follows_the_dfe_year_rules():
    # Recorded in Safeguard (source "recorded"), not imported. 2018-19:
    # E1 ended before 1 Apr 2018 -> out; E2 open at the start -> in; E3 starts after 31 Mar 2019
    # -> out; E4 ends after the year -> in, with DEC/REC blank (unknown at 31 March).
    c = jm.Child.objects.create(la_child_id="R1", sex="2", date_of_birth=date(2008, 5, 1))
    common = {
        "child": c,
        "reason_new_episode": "S",
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement_type": "U1",
        "placement_provider": "PR1",
    }
    jm.CareEpisode.objects.create(
        start_date=date(2017, 1, 1), end_date=date(2018, 3, 31), reason_ended="E4A", **common
    )
    jm.CareEpisode.objects.create(
        start_date=date(2018, 3, 1), end_date=date(2018, 4, 1), reason_ended="E8", **common
    )
    jm.CareEpisode.objects.create(start_date=date(2019, 4, 1), **common)
    jm.CareEpisode.objects.create(
        start_date=date(2019, 1, 1), end_date=date(2019, 6, 1), reason_ended="E8", **common
    )
    jm.LookedAfterReview.objects.create(child=c, date=date(2018, 3, 31))
    jm.LookedAfterReview.objects.create(child=c, date=date(2018, 4, 1), participation="PN1")
    back = CODEC.from_record(year=2019)
    assert sorted(back["Episodes"].select("DECOM", "DEC", "REC").rows()) == [
        (date(2018, 3, 1), date(2018, 4, 1), "E8"),
        (date(2019, 1, 1), None, None),
    ]
    assert back["Reviews"].select("REVIEW", "REVIEW_CODE").rows() == [(date(2018, 4, 1), "PN1")]
    assert back["Header"].select("CHILD", "SEX", "DOB").rows() == [("R1", "2", date(2008, 5, 1))]


@pytest.mark.django_db
def test_a_resubmission_keeps_older_history_loaded_under_the_same_source(tmp_path):
    # A merged load of 2018 and 2019 files put A1's 2016-17 episode under "ssda903:2019"; a
    # later 2019 resubmission (which cannot carry that old episode) must not delete it.
    merged = _read(
        tmp_path / "m",
        {
            "e.csv": "\n".join(
                [
                    EP,
                    "A1,01/05/2016,S,C2,N1,U1,PR1,01/06/2016,E4A,,,,",
                    "A1,01/05/2018,S,C2,N1,U1,PR1,,,,,,",
                ]
            )
        },
    )
    CODEC.to_record(merged.frames, source="ssda903:2019")
    again = _read(tmp_path / "r", {"e.csv": f"{EP}\nA1,01/05/2018,S,C2,N1,U6,PR1,,,,,,"})
    summary = CODEC.to_record(again.frames, source="ssda903:2019")
    assert summary.replaced == {"CareEpisode": 1}
    assert list(
        jm.CareEpisode.objects.order_by("start_date").values_list("start_date", "placement_type")
    ) == [(date(2016, 5, 1), "U1"), (date(2018, 5, 1), "U6")]


def test_a_return_whose_year_cannot_be_told_is_refused(tmp_path):
    folder = write_csvs(tmp_path / "r", {"o.csv": "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nC1,,YES,F1,U1"})
    [p] = reader.read([folder]).problems
    assert p.rule == reader.NO_YEAR


@pytest.mark.django_db
@pytest.mark.parametrize("whole_table_over", [0, 10_000])
def test_the_record_is_read_back_the_same_whole_or_in_chunks(
    tmp_path, monkeypatch, whole_table_over
):
    # Above WHOLE_TABLE_OVER children the loader reads a table once and keeps the return's
    # children; below, it asks for them in chunks; rows come FETCH at a time (here one by one).
    # Either way: only 903 rows of those children, typed like the model, and a resubmission
    # replaces exactly A1's two 2019 episodes.
    monkeypatch.setattr(load, "WHOLE_TABLE_OVER", whole_table_over)
    monkeypatch.setattr(load, "FETCH", 1)
    first = _read(
        tmp_path / "a",
        {
            "e.csv": "\n".join(
                [
                    EP,
                    "A1,01/05/2018,S,C2,N1,U1,PR1,01/06/2018,X1,,,,",
                    "A1,01/06/2018,P,C2,N1,U4,PR1,,,,,,",
                    "B1,02/05/2018,S,V2,N1,U1,PR1,,,,,,",
                ]
            )
        },
    )
    CODEC.to_record(first.frames, source="ssda903:2019")
    a1 = jm.Child.objects.get(la_child_id="A1")
    jm.CareEpisode.objects.create(
        child=a1,
        start_date=date(2015, 1, 1),
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement_type="U1",
    )
    rows = load.existing_rows("CareEpisode", [a1.pk])
    assert rows.sort("start_date").select("start_date", "end_date", "placement_type").rows() == [
        (date(2018, 5, 1), date(2018, 6, 1), "U1"),
        (date(2018, 6, 1), None, "U4"),
    ]
    assert rows.schema["start_date"] == pl.Date and rows.schema["child_id"] == pl.Int64
    kids = load.existing_children(["A1", "Z9"])
    assert kids.select("CHILD", "child_id", "date_of_birth").rows() == [("A1", a1.pk, None)]
    again = _read(tmp_path / "b", {"e.csv": f"{EP}\nA1,01/05/2018,S,C2,N1,U6,PR1,,,,,,"})
    summary = CODEC.to_record(again.frames, source="ssda903:2019")
    assert summary.replaced == {"CareEpisode": 2}
    assert sorted(jm.CareEpisode.objects.values_list("child__la_child_id", "placement_type")) == [
        ("A1", "U1"),  # the recorded 2015 episode
        ("A1", "U6"),
        ("B1", "U1"),
    ]
