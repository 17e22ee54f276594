"""Every collection year from 2017-18 on imports and round-trips, for both returns the record
holds year by year: a seeded synthetic CIN census and SSDA903 set of the year, loaded, exported
for that year and compared with what was given (CIN: the year's open episodes, the scope of a
census; 903: every table the record carries)."""

from __future__ import annotations

import pytest
from django.db import transaction

from safeguard.returns.cin_census import reader as cin_reader
from safeguard.returns.cin_census.synthetic import write_census
from safeguard.returns.cin_census.tests.helpers import in_year
from safeguard.returns.cin_census.tests.test_fixtures import _assert_round_trip
from safeguard.returns.importing import import_returns
from safeguard.returns.ssda903 import reader as reader_903
from safeguard.returns.ssda903.codec import CODEC as CODEC_903
from safeguard.returns.ssda903.synthetic import write_return
from safeguard.returns.ssda903.tests.helpers import differences
from safeguard.returns.ssda903.tests.test_roundtrip_samples import TABLES_IN_RECORD

YEARS = range(2018, 2027)  # 2017-18 to 2025-26


@pytest.mark.django_db
@pytest.mark.parametrize("year", YEARS)
def test_a_cin_census_of_each_year_round_trips(tmp_path, year):
    source = write_census(tmp_path / "in.xml", 25, year=year, seed=year)
    original = cin_reader.read_file(source)
    assert original.problems == [] and original.year == year
    assert in_year(original.frames, year)["CINdetails"].height > 20  # something to compare
    with transaction.atomic():
        import_returns("cin-census", [source])
        _assert_round_trip(original.frames, year, tmp_path / "out.xml")
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("year", YEARS)
def test_an_ssda903_return_of_each_year_round_trips(tmp_path, year):
    folder = tmp_path / str(year)
    write_return(folder, 40, year=year, seed=year)
    original = reader_903.read([folder])
    assert original.problems == [] and original.year == year
    assert original.frames["Episodes"].height > 40 and original.frames["UASC"].height > 0
    with transaction.atomic():
        import_returns("ssda903", [folder])
        back = CODEC_903.from_record(year=year)
        transaction.set_rollback(True)
    tables = [t for t in TABLES_IN_RECORD if t != "Header"]
    assert differences(original.frames, back, tables) == {}
    # The Header's UASC flag is derived from the UASC file on reading and on export alike.
    assert differences(original.frames, back, ["Header"]) == {}
