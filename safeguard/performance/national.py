"""England comparators for 2018-19 (year ending 31 March 2019), shipped as data with sources.

Only figures that `shared/reference/kpis.md` section G marks as confirmed from a named source,
and that measure the same thing as a catalogue measure (a rate or a percentage, not an England
total), are kept. Figures the reference holds only "from memory" ([verify]) are dropped:
assessments within 45 working days, S47 and ICPC counts, ICPCs within 15 working days, second
plans, plans ending after 2 years, long-term stability, care leavers in touch and in education,
employment or training, A1/A2, and the referral rate per 10,000.

Statistical neighbours: none shipped. The DfE publishes each council's figures (the children in
need and looked-after tables by local authority, and the LAIT tool with its statistical-neighbour
averages), but neither the reference nor any source we could cite gives the 2018-19 neighbour
averages for the seed's council, and the synthetic council has no real neighbours. Rather than
invent figures, `STATISTICAL_NEIGHBOURS_2018_19` is empty and every report shows `NOT_SOURCED`
in that column (and in the England column of a measure with no sourced England figure), never a
blank or a zero. A council adding its own LAIT figures appends them here with their source.
"""

from __future__ import annotations

from dataclasses import dataclass

YEAR = "2018-19"
ENGLAND = "England"
STAT_NEIGHBOURS = "Statistical neighbours"
AREAS = (ENGLAND, STAT_NEIGHBOURS)
#: What a report shows where no figure is sourced (never a blank or a zero).
NOT_SOURCED = "not sourced"
NOT_SOURCED_WHY = {
    ENGLAND: "No England figure for 2018-19 from a citable source (see national.py).",
    STAT_NEIGHBOURS: (
        "No statistical-neighbour figures for 2018-19 were found in a citable source, so "
        "none are shipped (see national.py)."
    ),
}
CIN_2019_20 = (
    "DfE, Characteristics of children in need 2019 to 2020 (explore-education-"
    "statistics), giving the 31 March 2019 figure as last year's"
)
CLA_2019 = (
    "DfE, Children looked after in England including adoption, year ending 31 March "
    "2019 (as cited by freedomfostering.com)"
)


@dataclass(frozen=True)
class Comparator:
    """A published figure to set beside a measure."""

    measure_id: str
    area: str
    year: str
    value: float
    source: str
    note: str = ""


ENGLAND_2018_19: tuple[Comparator, ...] = (
    Comparator(
        "rereferrals_12m_pct",
        ENGLAND,
        YEAR,
        22.6,
        "DfE, Characteristics of children in need 2018 to 2019, as summarised by "
        "locumtoday.co.uk (147,200 re-referrals of 650,900 referrals)",
        "The summary rounds to 23%; 22.6% is 147,200 / 650,900.",
    ),
    Comparator(
        "cpp_rate_per_10k",
        ENGLAND,
        YEAR,
        43.7,
        CIN_2019_20,
        "52,260 children on a plan at 31 March 2019.",
    ),
    Comparator(
        "cla_rate_per_10k",
        ENGLAND,
        YEAR,
        65,
        CLA_2019,
        "78,150 children looked after at 31 March 2019; DfE rounds the rate to a whole number.",
    ),
    Comparator(
        "cla_3plus_placements_pct",
        ENGLAND,
        YEAR,
        10,
        CLA_2019,
        "8,110 children with 3 or more placements in the year (year to 31 March, where "
        "the catalogue's measure is the 12 months to the as-at date).",
    ),
    Comparator(
        "care_leavers_suitable_accommodation_pct",
        ENGLAND,
        YEAR,
        85,
        "DfE explore-education-statistics, care leavers by whether their accommodation "
        "is suitable (25,030 of 29,470 aged 19-21)",
    ),
)


#: Sourced statistical-neighbour averages for 2018-19: none (see the module docstring).
STATISTICAL_NEIGHBOURS_2018_19: tuple[Comparator, ...] = ()


def comparators(measure_id: str) -> list[Comparator]:
    """The published comparators for a measure (empty when none is sourced)."""
    every = ENGLAND_2018_19 + STATISTICAL_NEIGHBOURS_2018_19
    return [c for c in every if c.measure_id == measure_id]


def comparator(measure_id: str, area: str) -> Comparator | None:
    """The sourced figure for a measure and area ("England" or "Statistical neighbours"), or
    None: reports then show `NOT_SOURCED`."""
    if area not in AREAS:
        raise ValueError(f"Unknown comparator area {area!r}; choose from {', '.join(AREAS)}.")
    found = [c for c in comparators(measure_id) if c.area == area]
    return found[0] if found else None
