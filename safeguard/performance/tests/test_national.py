"""National comparators: each names a catalogue measure and a source; none unsourced."""

from __future__ import annotations

from safeguard.performance.measures import CATALOGUE
from safeguard.performance.national import ENGLAND_2018_19, comparators


def test_every_comparator_is_a_rate_or_share_of_a_catalogue_measure_with_a_source() -> None:
    for c in ENGLAND_2018_19:
        assert c.measure_id in CATALOGUE
        assert CATALOGUE[c.measure_id].unit in ("percent", "per_10k")
        assert c.source and c.year == "2018-19"


def test_lookup() -> None:
    assert [c.value for c in comparators("cla_rate_per_10k")] == [65]
    assert comparators("assessments_45wd_pct") == []  # only remembered, not sourced: dropped
