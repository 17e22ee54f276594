"""The council the generator imitates: sizes, dates and the rates that shape its journeys.

The default is a rural unitary council like the seed's (shared/seed/self-evaluation.txt):
36,000 children, history from April 2013 to June 2019. Rates are per year for the default
population and scale with `population`; the trends encode the seed's story (CP plans peaking
in January 2018, the new front door from October 2018, assessments late in mid-2018).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .days import Trend

DEFAULT_POPULATION = 36_000
DEFAULT_START = date(2013, 4, 1)
DEFAULT_UNTIL = date(2019, 6, 30)


@dataclass(frozen=True)
class Profile:
    """What to generate: the population of children and the period of history."""

    population: int = DEFAULT_POPULATION
    start: date = DEFAULT_START
    until: date = DEFAULT_UNTIL
    #: Years simulated before `start` so that cases open at the start have a history.
    burn_in_years: int = 2

    @property
    def scale(self) -> float:
        return self.population / DEFAULT_POPULATION


# --- The front door ------------------------------------------------------------------------
CONTACTS_PER_YEAR = Trend(
    [
        (date(2010, 1, 1), 6300),
        (date(2017, 1, 1), 6450),
        (date(2017, 9, 1), 7000),
        (date(2018, 3, 1), 6900),
        (date(2018, 9, 30), 6400),
        (date(2018, 10, 1), 5750),
        (date(2019, 6, 30), 5650),
    ]
)
# Share of contacts about a child not open to social care that become referrals.
P_REFER = Trend([(date(2010, 1, 1), 0.225), (date(2018, 9, 30), 0.225), (date(2018, 10, 1), 0.215)])
P_EARLY_HELP = 0.115
P_INFO_ADVICE = 0.08
P_DECIDED_IN_DAY = 0.881
EARLY_HELP_DIRECT_PER_YEAR = 1600
EARLY_HELP_MEDIAN_DAYS = 215

# --- Referral and assessment ----------------------------------------------------------------
P_REFERRAL_NFA = 0.28
P_S47 = 0.33
# Assessments finishing after 45 working days, by start date: the mid-2018 backlog.
P_ASSESSMENT_LATE = Trend(
    [
        (date(2010, 1, 1), 0.18),
        (date(2017, 6, 1), 0.22),
        (date(2018, 3, 1), 0.62),
        (date(2018, 8, 1), 0.66),
        (date(2018, 10, 15), 0.2),
        (date(2018, 12, 1), 0.06),
        (date(2019, 6, 30), 0.05),
    ]
)
P_ASSESSMENT_STUCK = 0.012

# --- Child protection -----------------------------------------------------------------------
P_ICPC = 0.307
CP_INTENSITY = Trend(
    [
        (date(2010, 1, 1), 1.0),
        (date(2016, 12, 1), 0.95),
        (date(2017, 6, 1), 1.2),
        (date(2017, 8, 1), 2.6),
        (date(2017, 12, 1), 2.5),
        (date(2018, 3, 1), 1.1),
        (date(2018, 9, 1), 0.9),
        (date(2019, 6, 30), 0.95),
    ]
)
P_ICPC_IN_15_DAYS = 0.82
P_CP_REVIEW_LATE = 0.1
# Number of review conferences a plan lasts, for plans starting before / after 2018.
CP_REVIEWS_BEFORE_2018 = [(1, 0.25), (2, 0.45), (3, 0.2), (4, 0.05), (5, 0.05)]
CP_REVIEWS_FROM_2018 = [(1, 0.33), (2, 0.45), (3, 0.18), (4, 0.035), (5, 0.005)]
P_CP_PLO = 0.3
P_REREFER_AFTER_CP = 0.71

# --- Children looked after ------------------------------------------------------------------
LEGACY_CARE_ENTRIES_PER_YEAR = 125
SHORT_BREAK_ENTRIES_PER_YEAR = 17
UASC_PER_YEAR = 3
# Placement moves per year once a period of care is past its first six months.
PLACEMENT_MOVES_PER_YEAR_SETTLED = 0.1
P_PROCEEDINGS_IN_26_WEEKS = 0.76
LEAVE_CARE_HAZARD = Trend(
    [(date(2010, 1, 1), 0.06), (date(2018, 9, 1), 0.06), (date(2018, 10, 1), 0.09)]
)

# --- Practice standards: visits and supervision in time --------------------------------------
P_VISIT_LATE = {
    "CP": Trend([(date(2010, 1, 1), 0.3), (date(2018, 9, 1), 0.32), (date(2019, 3, 1), 0.2)]),
    "CIN": Trend([(date(2010, 1, 1), 0.55), (date(2018, 9, 1), 0.6), (date(2019, 3, 1), 0.6)]),
    "CLA": Trend([(date(2010, 1, 1), 0.4), (date(2018, 9, 1), 0.45), (date(2019, 3, 1), 0.35)]),
    "CL": Trend([(date(2010, 1, 1), 0.25)]),
}
P_SUPERVISION_LATE = {
    "CP": Trend([(date(2010, 1, 1), 0.65), (date(2018, 7, 30), 0.65), (date(2019, 3, 1), 0.6)]),
    "CIN": Trend([(date(2010, 1, 1), 0.7), (date(2018, 7, 30), 0.7), (date(2019, 3, 1), 0.65)]),
    "CLA": Trend([(date(2010, 1, 1), 0.6), (date(2018, 7, 30), 0.6), (date(2019, 3, 1), 0.6)]),
}
# A late supervision comes after the standard's interval and up to this many times it: looked-
# after cases (a 6-weekly standard) drift furthest, so the seed's LAC figure (55%) is its lowest.
SUPERVISION_LATE_UP_TO = {"CP": 3.0, "CIN": 2.5, "CLA": 3.5}
