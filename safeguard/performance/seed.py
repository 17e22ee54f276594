"""The seed council's "Data up to end of June 2019" figures, beside the same figures computed.

`SEED_FIGURES` are the eight headline counts of the seed's data table (its introduction and
table give them "as at 30 June 2019"; flows are the year to date from 1 April 2019);
`SEED_FIGURES_ALL` adds the table's other figures. `seed_table(as_at)` computes them from the
record (or from given frames) through the catalogue, so the synthetic council can be checked
against the council it imitates (issue 5 acceptance: counts within 15%).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .frames import JourneyFrames

SEED_SOURCE = "shared/seed/self-evaluation.txt, 'Data up to end of June 2019'"
SEED_AS_AT = date(2019, 6, 30)


@dataclass(frozen=True)
class SeedFigure:
    """A figure of the seed's table: its words, the measure computing it and its value."""

    label: str
    measure_id: str
    seed_value: float
    period: str  # "as_at" (snapshot at 30 June 2019) or "ytd" (1 April-30 June 2019)


@dataclass(frozen=True)
class SeedRow:
    """A seed figure and the value computed (None when the source cannot provide it)."""

    label: str
    measure_id: str
    seed_value: float
    value: float | None

    @property
    def ratio(self) -> float | None:
        """Computed / seed (1.0 = identical), for the ±15% acceptance check."""
        if self.value is None or not self.seed_value:
            return None
        return self.value / self.seed_value


SEED_FIGURES: tuple[SeedFigure, ...] = (
    SeedFigure("Early help assessments open", "early_help_open", 1288, "as_at"),
    SeedFigure("Contacts (year to date)", "contacts", 1553, "ytd"),
    SeedFigure("Referrals (year to date)", "referrals", 381, "ytd"),
    SeedFigure("Child in need plans", "cin_plans_open", 208, "as_at"),
    SeedFigure("S47 investigations initiated (year to date)", "s47_started", 135, "ytd"),
    SeedFigure("Initial child protection conferences (year to date)", "icpc_held", 46, "ytd"),
    SeedFigure("Children subject to child protection plans", "cpp_open", 109, "as_at"),
    SeedFigure("Looked after children (excluding short breaks)", "cla_open", 334, "as_at"),
)

#: The rest of the seed's table (percentages and smaller counts).
SEED_FIGURES_MORE: tuple[SeedFigure, ...] = (
    SeedFigure("Referrals managed in timescale (%)", "referral_decision_1wd_pct", 88.1, "ytd"),
    SeedFigure("Re-referrals (%)", "rereferrals_12m_pct", 23, "ytd"),
    SeedFigure("Contacts where no further action taken (%)", "contacts_nfa_pct", 53, "ytd"),
    SeedFigure("Single assessments completed", "assessments_completed", 280, "ytd"),
    SeedFigure("Assessments within timescale (%)", "assessments_45wd_pct", 91, "ytd"),
    SeedFigure("On CPP for second time", "cpp_second_time", 18, "ytd"),
    SeedFigure("On CPP for more than two years", "cpp_over_2y_open", 1, "as_at"),
    SeedFigure("LAC with three or more placements", "cla_3plus_placements", 22, "12m"),
    SeedFigure(
        "Under-16s in same placement (long-term stability)", "cla_long_term_stability", 97, "as_at"
    ),
    SeedFigure("In internal foster placement (%)", "cla_in_house_foster_pct", 71, "as_at"),
    SeedFigure("CP visits in timescale (%)", "visits_cp_on_time_pct", 84, "as_at"),
    SeedFigure("LAC visits in timescale (%)", "visits_cla_on_time_pct", 82, "as_at"),
    SeedFigure("CIN visits in timescale (%)", "visits_cin_on_time_pct", 72, "as_at"),
    SeedFigure("Case supervision CP (%)", "supervision_cp_on_time_pct", 67, "as_at"),
    SeedFigure("Case supervision LAC (%)", "supervision_cla_on_time_pct", 55, "as_at"),
    SeedFigure("Case supervision CIN (%)", "supervision_cin_on_time_pct", 66, "as_at"),
)
SEED_FIGURES_ALL: tuple[SeedFigure, ...] = SEED_FIGURES + SEED_FIGURES_MORE


def seed_table(
    as_at: date = SEED_AS_AT,
    *,
    frames: JourneyFrames | None = None,
    figures: tuple[SeedFigure, ...] = SEED_FIGURES,
) -> list[SeedRow]:
    """The seed figures with their values computed as at ``as_at`` (flows: year to date).

    Reads the record (one query per table) unless ``frames`` are given.
    """
    from . import engine
    from .frames import from_record

    f = frames if frames is not None else from_record()
    ids = list(dict.fromkeys(fig.measure_id for fig in figures))
    res = engine.compute(f, as_at, period="ytd", measures=ids)
    values = dict(zip(res["measure"].to_list(), res["value"].to_list(), strict=True))
    return [
        SeedRow(fig.label, fig.measure_id, fig.seed_value, values.get(fig.measure_id))
        for fig in figures
    ]
