"""National comparators: each names a catalogue measure and a source; none unsourced."""

from __future__ import annotations

import pytest

from safeguard.performance import national
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


def test_every_england_figure_names_its_source_and_no_neighbour_figure_is_invented() -> None:
    # Five England figures, each with a named source; no statistical-neighbour figure.
    assert {c.measure_id for c in ENGLAND_2018_19} == {
        "rereferrals_12m_pct",
        "cpp_rate_per_10k",
        "cla_rate_per_10k",
        "cla_3plus_placements_pct",
        "care_leavers_suitable_accommodation_pct",
    }
    assert all(c.area == national.ENGLAND and "DfE" in c.source for c in ENGLAND_2018_19)
    assert national.STATISTICAL_NEIGHBOURS_2018_19 == ()
    assert national.comparator("cla_rate_per_10k", national.STAT_NEIGHBOURS) is None
    assert national.NOT_SOURCED_WHY[national.STAT_NEIGHBOURS]


def test_comparator_by_area() -> None:
    england = national.comparator("cla_rate_per_10k", national.ENGLAND)
    assert england is not None and england.value == 65
    assert national.comparator("contacts", national.ENGLAND) is None
    with pytest.raises(ValueError, match="Unknown comparator area"):
        national.comparator("cla_rate_per_10k", "Wales")
