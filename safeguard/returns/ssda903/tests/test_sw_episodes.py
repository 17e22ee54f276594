"""Social worker episodes (SWEpisodes, from 2023-24): read, loaded into the record, written back."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from safeguard.journey import models as jm
from safeguard.journey.models import record
from safeguard.returns.ssda903 import checks, reader, spec
from safeguard.returns.ssda903.codec import CODEC
from safeguard.synthetic import generate

from .helpers import differences, write_csvs
from .test_writer import SPEC_COLUMNS, SW

EP = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
HEAD = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
SWH = "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON"

# 2023-24 runs 1 Apr 2023 .. 31 Mar 2024. A1 came into care on 01/05/2023 and had two social
# workers in the year: SW1001 (from before care, until 15/09/2023) then SW2002, still allocated.
RETURN_2024 = {
    "header.csv": f"{HEAD}\nA1,2,01/06/2012,WBRI,,,",
    "episodes.csv": f"{EP}\nA1,01/05/2023,S,C2,N1,U1,PR1,,,,,,",
    "sw_episodes.csv": "\n".join(
        [
            SWH,
            "A1,01/06/2012,SW1001,01/02/2023,15/09/2023,MANAGE",
            "A1,01/06/2012,SW2002,16/09/2023,,LEFTRL",
        ]
    ),
}


def _read(folder, files):
    result = reader.read([write_csvs(folder, files)])
    assert result.problems == []
    return result


@pytest.mark.django_db
def test_sw_episodes_load_into_the_record_and_export_unchanged(tmp_path):
    result = _read(tmp_path / "2024", RETURN_2024)
    assert result.year == 2024
    summary = CODEC.to_record(result.frames, source="ssda903:2024")
    assert summary.rows_written["SocialWorkerEpisode"] == 2
    got = list(
        jm.SocialWorkerEpisode.objects.order_by("start_date").values_list(
            "child__la_child_id", "social_worker_id", "start_date", "end_date", "reason", "source"
        )
    )
    assert got == [
        ("A1", "SW1001", date(2023, 2, 1), date(2023, 9, 15), "MANAGE", "ssda903:2024"),
        ("A1", "SW2002", date(2023, 9, 16), None, "LEFTRL", "ssda903:2024"),
    ]
    back = CODEC.from_record(year=2024)
    assert differences(result.frames, back, ["Header", "Episodes", "SWEpisodes"]) == {}
    assert CODEC.to_record(result.frames, source="ssda903:2024").unchanged


@pytest.mark.django_db
def test_a_resubmission_replaces_the_years_sw_episodes_and_says_so(tmp_path):
    CODEC.to_record(_read(tmp_path / "a", RETURN_2024).frames, source="ssda903:2024")
    fixed = {
        **RETURN_2024,
        "sw_episodes.csv": f"{SWH}\nA1,01/06/2012,SW2002,01/02/2023,,MANAGE",
    }
    summary = CODEC.to_record(_read(tmp_path / "b", fixed).frames, source="ssda903:2024")
    assert summary.replaced == {"SocialWorkerEpisode": 2}
    assert list(jm.SocialWorkerEpisode.objects.values_list("social_worker_id", "end_date")) == [
        ("SW2002", None)
    ]


@pytest.mark.django_db
def test_the_next_years_return_carries_the_open_episode_on_and_wins_on_its_key(tmp_path):
    # 2024-25 says SW2002's episode (same start) ended on 30/06/2024: the later return wins.
    CODEC.to_record(_read(tmp_path / "2024", RETURN_2024).frames, source="ssda903:2024")
    y2025 = {
        "header.csv": f"{HEAD}\nA1,2,01/06/2012,WBRI,,,",
        "episodes.csv": f"{EP}\nA1,01/05/2023,S,C2,N1,U1,PR1,,,,,,",
        "sw_episodes.csv": "\n".join(
            [
                SWH,
                "A1,01/06/2012,SW2002,16/09/2023,30/06/2024,LEFTRL",
                "A1,01/06/2012,SW3003,01/07/2024,,ORGRST",
            ]
        ),
    }
    CODEC.to_record(_read(tmp_path / "2025", y2025).frames, source="ssda903:2025")
    got = list(
        jm.SocialWorkerEpisode.objects.order_by("start_date").values_list(
            "social_worker_id", "end_date", "source"
        )
    )
    assert got == [
        ("SW1001", date(2023, 9, 15), "ssda903:2024"),
        ("SW2002", date(2024, 6, 30), "ssda903:2025"),
        ("SW3003", None, "ssda903:2025"),
    ]


@pytest.mark.django_db
def test_export_of_recorded_sw_episodes_follows_the_year():
    # Recorded in Safeguard. For 2023-24: S1 ended 31/03/2023, before the year -> out; S2 runs
    # into the year -> in, whole; S3 ends 10/04/2024, after 31 March -> in, its end not yet known;
    # S4 starts 11/04/2024 -> out. For 2024-25: S3 with its end, and S4.
    c = jm.Child.objects.create(la_child_id="R1", sex="1", date_of_birth=date(2010, 3, 3))
    for sw, start, end, reason in [
        ("SW1", date(2022, 4, 1), date(2023, 3, 31), "MANAGE"),
        ("SW2", date(2023, 4, 1), date(2023, 5, 1), "FCONTA"),
        ("SW3", date(2023, 5, 2), date(2024, 4, 10), "ABSENC"),
        ("SW4", date(2024, 4, 11), None, "OTHERS"),
    ]:
        record(
            jm.SocialWorkerEpisode(
                child=c, social_worker_id=sw, start_date=start, end_date=end, reason=reason
            )
        )
    rows = CODEC.from_record(year=2024)["SWEpisodes"]
    assert sorted(
        rows.select("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON").rows()
    ) == [
        ("R1", date(2010, 3, 3), "SW2", date(2023, 4, 1), date(2023, 5, 1), "FCONTA"),
        ("R1", date(2010, 3, 3), "SW3", date(2023, 5, 2), None, "ABSENC"),
    ]
    rows = CODEC.from_record(year=2025)["SWEpisodes"]
    assert sorted(rows.select("SW_ID", "SW_DEC").rows()) == [
        ("SW3", date(2024, 4, 10)),
        ("SW4", None),
    ]


@pytest.mark.django_db
def test_recording_refuses_an_end_before_the_start_and_an_unknown_reason():
    c = jm.Child.objects.create(la_child_id="R2", sex="1", date_of_birth=date(2010, 3, 3))
    bad = jm.SocialWorkerEpisode(
        child=c, start_date=date(2024, 5, 2), end_date=date(2024, 5, 1), reason="SWLAZY"
    )
    with pytest.raises(ValidationError) as refused:
        record(bad)
    assert set(refused.value.message_dict) == {"end_date", "reason"}
    assert not jm.SocialWorkerEpisode.objects.exists()


def test_unreadable_sw_rows_are_reported_by_line_field_and_rule(tmp_path):
    long_id = "SW" + "9" * 19  # 21 characters: longer than the record holds
    files = {
        **RETURN_2024,
        "sw_episodes.csv": "\n".join(
            [
                SWH,
                "A1,01/06/2012,SW1001,01/02/2023,15/09/2023,SWLAZY",
                f"A1,01/06/2012,{long_id},16/09/2023,,LEFTRL",
                "A1,01/06/2012,SW3,,,OTHERS",
                "A1,01/06/2012,,20/09/2023,,",  # no SW_ID nor reason: readable, a DfE breach
            ]
        ),
    }
    result = reader.read([write_csvs(tmp_path / "2024", files)])
    got = {(p.location, p.field, p.value, p.rule) for p in result.problems}
    assert got == {
        ("line 2", "SW_REASON", "SWLAZY", "Not in the SW_REASON code list for 2023-24."),
        ("line 3", "SW_ID", long_id, checks.TOO_LONG.format(n=20)),
        ("line 4", "SW_DECOM", "", checks.REQUIRED.format(field="SW_DECOM")),
    }
    assert result.frames["SWEpisodes"].select("SW_DECOM", "SW_ID").rows() == [
        (date(2023, 9, 20), None)
    ]


def test_the_record_holds_every_sw_id_the_reader_accepts():
    field = jm.SocialWorkerEpisode._meta.get_field("social_worker_id")
    assert spec.MAX_LENGTH["SWEpisodes"]["SW_ID"] == field.max_length


@pytest.mark.django_db
def test_the_files_written_for_2024_carry_the_episodes_in_dd_mm_yyyy(tmp_path):
    result = _read(tmp_path / "in", RETURN_2024)
    CODEC.to_record(result.frames, source="ssda903:2024")
    CODEC.write(CODEC.from_record(year=2024), tmp_path / "out", year=2024)
    rows = list(csv.reader((tmp_path / "out" / "sw_episodes.csv").open()))
    assert rows[0] == SWH.split(",")
    assert sorted(rows[1:]) == [
        ["A1", "01/06/2012", "SW1001", "01/02/2023", "15/09/2023", "MANAGE"],
        ["A1", "01/06/2012", "SW2002", "16/09/2023", "", "LEFTRL"],
    ]


@pytest.mark.django_db
def test_synthetic_councils_2024_export_has_exactly_the_specs_files_and_columns(tmp_path):
    generate(seed=5, population=600, until=date(2024, 6, 30))
    child = jm.CareEpisode.objects.filter(end_date__isnull=True).first().child
    record(
        jm.SocialWorkerEpisode(
            child=child, social_worker_id="SW4242", start_date=date(2023, 6, 1), reason="MANAGE"
        )
    )
    paths = CODEC.write(CODEC.from_record(year=2024), tmp_path, year=2024)
    got = {p.name: p.read_text().splitlines()[0] for p in paths}
    assert got == {**SPEC_COLUMNS, **SW}
    episodes = (tmp_path / "episodes.csv").read_text().splitlines()
    sw_rows = (tmp_path / "sw_episodes.csv").read_text().splitlines()
    # The header and at least one episode: a council of 600 children has only a handful of
    # episodes in a year (4 for seed 5 once visits drew from their own random stream).
    assert len(episodes) > 1
    assert sw_rows[1:] == [
        f"{child.la_child_id},{child.date_of_birth:%d/%m/%Y},SW4242,01/06/2023,,MANAGE"
    ]
