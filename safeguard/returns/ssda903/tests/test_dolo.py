"""Deprivation of liberty orders (DoLo, from 2026-27): read, loaded, replaced, written back."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from safeguard.journey import models as jm
from safeguard.journey.models import record
from safeguard.returns.ssda903 import checks, reader
from safeguard.returns.ssda903.codec import CODEC

from .helpers import differences, write_csvs

EP = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
HEAD = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
DOLO = "CHILD,DOB,DOLO_START,DOLO_END"

# 2026-27 runs 1 Apr 2026 .. 31 Mar 2027. D1 had an order from 01/05/2026 to 30/11/2026, then
# a second from 10/01/2027, still in force; D2's order was made before the year (01/02/2026)
# and ended 30/06/2026.
RETURN_2027 = {
    "header.csv": f"{HEAD}\nD1,1,04/07/2011,WBRI,,,\nD2,2,09/09/2010,MWBC,,,",
    "episodes.csv": "\n".join(
        [EP, "D1,01/04/2026,S,C2,N1,K2,PR1,,,,,,", "D2,01/01/2026,S,C2,N1,K2,PR1,,,,,,"]
    ),
    "dolo.csv": "\n".join(
        [
            DOLO,
            "D1,04/07/2011,01/05/2026,30/11/2026",
            "D1,04/07/2011,10/01/2027,",
            "D2,09/09/2010,01/02/2026,30/06/2026",
        ]
    ),
}


def _read(folder, files):
    result = reader.read([write_csvs(folder, files)])
    assert result.problems == []
    return result


def _orders() -> list[tuple]:
    return list(
        jm.DeprivationOfLiberty.objects.order_by("child__la_child_id", "start_date").values_list(
            "child__la_child_id", "start_date", "end_date", "source"
        )
    )


@pytest.mark.django_db
def test_dolo_rows_load_into_the_record_and_export_unchanged(tmp_path):
    result = _read(tmp_path / "2027", RETURN_2027)
    assert result.year == 2027
    summary = CODEC.to_record(result.frames, source="ssda903:2027")
    assert summary.rows_written["DeprivationOfLiberty"] == 3
    assert _orders() == [
        ("D1", date(2026, 5, 1), date(2026, 11, 30), "ssda903:2027"),
        ("D1", date(2027, 1, 10), None, "ssda903:2027"),
        ("D2", date(2026, 2, 1), date(2026, 6, 30), "ssda903:2027"),
    ]
    back = CODEC.from_record(year=2027)
    assert differences(result.frames, back, ["Header", "Episodes", "DoLo"]) == {}
    assert CODEC.to_record(result.frames, source="ssda903:2027").unchanged


@pytest.mark.django_db
def test_a_resubmission_replaces_the_years_dolo_rows_and_says_so(tmp_path):
    CODEC.to_record(_read(tmp_path / "a", RETURN_2027).frames, source="ssda903:2027")
    # The corrected return says D1's first order ran to 31/12/2026 and drops the second.
    fixed = {**RETURN_2027, "dolo.csv": f"{DOLO}\nD1,04/07/2011,01/05/2026,31/12/2026"}
    summary = CODEC.to_record(_read(tmp_path / "b", fixed).frames, source="ssda903:2027")
    assert summary.replaced == {"DeprivationOfLiberty": 3}
    assert _orders() == [("D1", date(2026, 5, 1), date(2026, 12, 31), "ssda903:2027")]


@pytest.mark.django_db
def test_export_of_recorded_orders_follows_the_year(tmp_path):
    # Recorded in Safeguard. 2026-27: O1 ended 31/03/2026, before the year -> out; O2 ends
    # 15/04/2027, after 31 March -> in, its end not yet known. 2027-28: O2 with its end.
    # 2025-26 collected no DoLo: no DoLo file is written.
    c = jm.Child.objects.create(la_child_id="R1", sex="1", date_of_birth=date(2012, 3, 3))
    for start, end in [
        (date(2025, 10, 1), date(2026, 3, 31)),
        (date(2026, 9, 1), date(2027, 4, 15)),
    ]:
        record(jm.DeprivationOfLiberty(child=c, start_date=start, end_date=end))
    rows = CODEC.from_record(year=2027)["DoLo"]
    assert rows.rows() == [("R1", date(2012, 3, 3), date(2026, 9, 1), None)]
    rows = CODEC.from_record(year=2028)["DoLo"]
    assert rows.rows() == [("R1", date(2012, 3, 3), date(2026, 9, 1), date(2027, 4, 15))]
    assert CODEC.from_record(year=2026)["DoLo"].height == 0
    names = {p.name for p in CODEC.write(CODEC.from_record(year=2026), tmp_path / "y26", year=2026)}
    assert "dolo.csv" not in names


@pytest.mark.django_db
def test_the_files_written_for_2027_carry_the_orders_in_dd_mm_yyyy(tmp_path):
    CODEC.to_record(_read(tmp_path / "in", RETURN_2027).frames, source="ssda903:2027")
    CODEC.write(CODEC.from_record(year=2027), tmp_path / "out", year=2027)
    rows = list(csv.reader((tmp_path / "out" / "dolo.csv").open()))
    assert rows[0] == DOLO.split(",")
    assert sorted(rows[1:]) == [
        ["D1", "04/07/2011", "01/05/2026", "30/11/2026"],
        ["D1", "04/07/2011", "10/01/2027", ""],
        ["D2", "09/09/2010", "01/02/2026", "30/06/2026"],
    ]


@pytest.mark.django_db
def test_recording_refuses_an_order_ending_before_it_starts():
    c = jm.Child.objects.create(la_child_id="R2", sex="2", date_of_birth=date(2012, 3, 3))
    bad = jm.DeprivationOfLiberty(child=c, start_date=date(2026, 5, 2), end_date=date(2026, 5, 1))
    with pytest.raises(ValidationError) as refused:
        record(bad)
    assert set(refused.value.message_dict) == {"end_date"}
    assert not jm.DeprivationOfLiberty.objects.exists()


def test_a_dolo_row_without_a_start_is_reported_by_line_field_and_rule(tmp_path):
    files = {**RETURN_2027, "dolo.csv": f"{DOLO}\nD1,04/07/2011,,30/11/2026"}
    result = reader.read([write_csvs(tmp_path / "2027", files)])
    got = {(p.location, p.field, p.value, p.rule) for p in result.problems}
    assert got == {("line 2", "DOLO_START", "", checks.REQUIRED.format(field="DOLO_START"))}
    assert result.frames["DoLo"].height == 0


@pytest.mark.django_db
def test_a_dolo_file_in_a_year_before_dolo_is_refused_not_loaded(tmp_path):
    """A 2025-26 folder with a DoLo file: DoLo is no part of that year's return, so its rows
    would load and never come back out; the file is refused by name, and with rows that cannot
    be read set aside the rest of the return loads without it (found in review)."""
    from safeguard.returns.importing import import_returns

    folder = write_csvs(tmp_path / "2026", RETURN_2027)
    result = reader.read([folder])
    assert result.year == 2026
    assert [(p.file.endswith("dolo.csv"), p.field, p.rule) for p in result.problems] == [
        (
            True,
            "DoLo",
            "DoLo is collected from 2026-27 on; this return is 2025-26's: leave the file out, "
            "or check the return's year.",
        )
    ]
    import_returns("ssda903", [folder], skip_invalid=True, rejects=tmp_path / "rejects.csv")
    assert jm.Child.objects.count() == 2
    assert not jm.DeprivationOfLiberty.objects.exists()
    assert "DoLo is collected from 2026-27 on" in (tmp_path / "rejects.csv").read_text()
