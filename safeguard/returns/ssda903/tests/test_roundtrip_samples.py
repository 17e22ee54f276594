"""Every SSDA903 sample in shared/fixtures either imports and round-trips, or is refused for the
real defects of the file, listed here."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from django.conf import settings

from safeguard.returns.ssda903.codec import CODEC

from .helpers import differences

FIXTURES = settings.SHARED_DIR / "fixtures"
D2I = FIXTURES / "csc-validator-be-903/tests/fake_data"
LIIA = FIXTURES / "liia-tools/liiatools/spec/s903/samples"
needs_fixtures = pytest.mark.skipif(not D2I.exists(), reason="shared fixtures not present")


def _tally(problems) -> Counter:
    return Counter((Path(p.file).name, p.field, p.rule) for p in problems)


@needs_fixtures
@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["SSDA903_2020_episodes.csv", "SSDA903_episodes_for_testing_fixes_INPUT.csv"]
)
def test_liia_samples_import_and_round_trip(name):
    result = CODEC.read([LIIA / name])
    assert result.problems == []
    source = f"ssda903:{result.year}"
    CODEC.to_record(result.frames, source=source)
    back = CODEC.from_record(year=result.year)
    assert differences(result.frames, back, ["Episodes"]) == {}
    assert CODEC.to_record(result.frames, source=source).unchanged


# The validator's fake data is built to trip rules, and some of its values are outside the code
# lists for the collection year it covers (its latest episode starts 31/03/2018, so 2017-18):
# E45-E48 special guardianship reasons start in 2018-19; "XXX" is no RD1-RD4 reason; "01"/"02"
# are no accommodation codes (a letter then 1 or 2, or "0"); MOTHER must be 0 or 1, not "1.0";
# and 2017-18's return had neither SWEpisodes (from 2023-24) nor DoLo (from 2026-27).
_BAD_REC = "Not in the REC code list for 2017-18."
_BAD_RPC = "Not in the REASON_PLACED_CEASED code list for 2017-18."
_BAD_ACCOM = "Not in the ACCOM code list for 2017-18."
_NOT_COLLECTED = (
    "{table} is collected from {first} on; this return is 2017-18's: leave the file out, or "
    "check the return's year."
)
CSV_DEFECTS = Counter(
    {
        ("episodes.csv", "REC", _BAD_REC): 56 + 51 + 61 + 58,
        ("header.csv", "MOTHER", "Must be one of: 0, 1."): 1,
        # Tables the 2017-18 return does not have: refused as such (not read for codes).
        (
            "sw_episodes.csv",
            "SWEpisodes",
            _NOT_COLLECTED.format(table="SWEpisodes", first="2023-24"),
        ): 1,
        ("DoLo.csv", "DoLo", _NOT_COLLECTED.format(table="DoLo", first="2026-27")): 1,
        ("oc3.csv", "ACCOM", _BAD_ACCOM): 2,
        ("placed_for_adoption.csv", "REASON_PLACED_CEASED", _BAD_RPC): 29,
        ("placed_for_adoption_errors.csv", "REASON_PLACED_CEASED", _BAD_RPC): 30,
    }
)
XML_DEFECTS = Counter(
    {
        ("fake_903.xml", "REC", _BAD_REC): 4 + 3 + 4 + 4,
        ("fake_903.xml", "REASON_PLACED_CEASED", _BAD_RPC): 3,
        ("fake_903.xml", "ACCOM", _BAD_ACCOM): 1,
    }
)


@needs_fixtures
def test_validator_csv_set_is_refused_for_its_real_defects():
    result = CODEC.read(sorted(D2I.glob("*.csv")))
    assert result.year == 2018
    assert _tally(result.problems) == CSV_DEFECTS


@needs_fixtures
@pytest.mark.django_db
def test_validator_xml_is_refused_for_its_real_defects_and_the_rest_round_trips():
    result = CODEC.read([D2I / "fake_903.xml"])
    assert result.year == 2018
    assert _tally(result.problems) == XML_DEFECTS
    # With --skip-invalid the readable rest loads, and exporting 2017-18 gives it back.
    CODEC.to_record(result.frames, source="ssda903:2018")
    back = CODEC.from_record(year=2018)
    # The sample leaves most children's UASC flag blank (rule 105 reports it); the record keeps
    # whether a child is UASC, so the export says 0 for them.
    flagged = result.frames["Header"].with_columns(pl.col("UASC").fill_null("0"))
    frames = {**result.frames, "Header": flagged}
    assert differences(frames, back, [t for t in TABLES_IN_RECORD if t != "PlacedAdoption"]) == {}
    # The one difference: AD1's DATE_INT is the date of the decision that the child should be
    # placed, so an adopted child whose PlacedAdoption row was refused (REASON_PLACED_CEASED
    # "XXX") comes back with that decision as a PlacedAdoption row, its ceasing unknown.
    extra = differences(result.frames, back, ["PlacedAdoption"])["PlacedAdoption"]
    assert extra[0] == []
    ad1 = {(r[0], r[2]) for r in result.frames["AD1"].iter_rows()}
    assert {(r[0], r[2]) for r in extra[1]} <= ad1 and len(extra[1]) == 3


#: Tables of the samples' year (2017-18, before SWEpisodes and DoLo) that the record carries.
TABLES_IN_RECORD = [
    "Header",
    "Episodes",
    "UASC",
    "Reviews",
    "AD1",
    "PlacedAdoption",
    "PrevPerm",
    "Missing",
    "OC2",
    "OC3",
]
