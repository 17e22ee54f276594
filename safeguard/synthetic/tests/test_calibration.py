"""The default council matches the seed council's June 2019 figures within 15%.

Two checks of the same generated council (seed 1, 36,000 children, to 30 June 2019):
- in memory, with the small counting helper below (open at D = start <= D and (end is null or
  end > D); flows = dates from 1 April to 30 June 2019), so the generator is checked on its own;
- in the database, through `safeguard.performance.seed.seed_table`, i.e. the measures catalogue,
  so the figures a user sees are checked too.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from django.db import transaction

from safeguard.synthetic.load import insert

AS_AT = date(2019, 6, 30)
QUARTER = (date(2019, 4, 1), AS_AT)
SEED = {  # shared/seed/self-evaluation.txt, "Data up to end of June 2019"
    "early_help_open": 1288,
    "contacts": 1553,
    "referrals": 381,
    "cin_plans_open": 208,
    "s47_started": 135,
    "icpc_held": 46,
    "cpp_open": 109,
    "cla_open": 334,
}
TOLERANCE = 0.15


def _open_children(df: pl.DataFrame, start: str, end: str) -> pl.DataFrame:
    return df.filter((pl.col(start) <= AS_AT) & (pl.col(end).is_null() | (pl.col(end) > AS_AT)))


def _in_quarter(df: pl.DataFrame, column: str) -> int:
    return df.filter(pl.col(column).is_between(*QUARTER)).height


def seed_figures(f: dict[str, pl.DataFrame]) -> dict[str, int]:
    """The eight headline figures counted straight from the generated tables."""
    care = _open_children(f["journey.CareEpisode"], "start_date", "end_date")
    contacts = f["journey.Contact"].with_columns(day=pl.col("received_at").dt.date())
    return {
        "early_help_open": _open_children(f["journey.EarlyHelpEpisode"], "start_date", "end_date")[
            "child_id"
        ].n_unique(),
        "contacts": _in_quarter(contacts, "day"),
        "referrals": _in_quarter(f["journey.Referral"], "referral_date"),
        "cin_plans_open": _open_children(f["journey.ChildInNeedPlan"], "start_date", "end_date")[
            "child_id"
        ].n_unique(),
        "s47_started": _in_quarter(f["journey.Section47"], "strategy_discussion_date"),
        "icpc_held": _in_quarter(f["journey.Conference"].filter(pl.col("kind") == "ICPC"), "date"),
        "cpp_open": _open_children(f["journey.ChildProtectionPlan"], "start_date", "end_date")[
            "child_id"
        ].n_unique(),
        "cla_open": care.filter(~pl.col("legal_status").is_in(["V3", "V4"]))["child_id"].n_unique(),
    }


def test_helper_counts_open_and_quarter_by_hand() -> None:
    # Three plans: open at D (start 1 Jan, no end); ended on D (end == D, so not open);
    # starts after D. Open at D = 1 child.
    plans = pl.DataFrame(
        {
            "child_id": [1, 2, 3],
            "start_date": [date(2019, 1, 1), date(2019, 1, 1), date(2019, 7, 1)],
            "end_date": [None, AS_AT, None],
        }
    )
    assert _open_children(plans, "start_date", "end_date").height == 1
    # 31 March is outside the quarter, 1 April and 30 June inside.
    days = pl.DataFrame({"d": [date(2019, 3, 31), date(2019, 4, 1), AS_AT]})
    assert _in_quarter(days, "d") == 2


def test_default_council_in_memory_within_15_percent(default_frames) -> None:  # noqa: ANN001
    got = seed_figures(default_frames)
    off = {k: (got[k], v) for k, v in SEED.items() if abs(got[k] / v - 1) > TOLERANCE}
    assert not off, f"outside ±15% of the seed (got, seed): {off}"


@pytest.fixture(scope="module")
def default_council_in_db(django_db_setup, django_db_blocker, default_tables):  # noqa: ANN001, ANN201
    """The same council loaded into the test database for this module, rolled back after
    (a rollback is instant where deleting 240,000 rows is not)."""
    with django_db_blocker.unblock(), transaction.atomic():
        insert(default_tables)
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_default_council_seed_table_within_15_percent(default_council_in_db) -> None:  # noqa: ANN001
    seed = pytest.importorskip("safeguard.performance.seed")
    rows = seed.seed_table(AS_AT)
    assert len(rows) == 8
    off = [
        (r.label, r.value, r.seed_value)
        for r in rows
        if r.value is None or abs(r.value / r.seed_value - 1) > TOLERANCE
    ]
    assert not off, f"outside ±15% of the seed: {off}"


#: The seed table's other counts (not percentages), held to the acceptance too: within 15%, which
#: for a count under 7 means exactly (one child either way is already more than 15% of it).
OTHER_COUNTS = (
    "assessments_completed",
    "cpp_second_time",
    "cpp_over_2y_open",
    "cla_3plus_placements",
    "cla_long_term_stability",
)


def _within(value: float, seed: float) -> bool:
    return abs(value / seed - 1) <= TOLERANCE


def test_within_is_exact_for_a_count_of_one() -> None:
    # 1 against 1 is 0% off; 2 against 1 is 100% off; 0 against 1 is 100% off.
    # 280 +- 15% is 238 to 322: 322 passes, 323 (15.4%) fails.
    assert _within(1, 1)
    assert not _within(2, 1)
    assert not _within(0, 1)
    assert _within(322, 280)
    assert not _within(323, 280)


@pytest.mark.django_db
def test_default_council_other_seed_counts(default_council_in_db) -> None:  # noqa: ANN001
    from safeguard.performance.seed import SEED_FIGURES_ALL, seed_table

    figures = tuple(f for f in SEED_FIGURES_ALL if f.measure_id in OTHER_COUNTS)
    rows = seed_table(AS_AT, figures=figures)
    assert {r.measure_id for r in rows} == set(OTHER_COUNTS)
    off = [(r.label, r.value, r.seed_value) for r in rows if not _within(r.value, r.seed_value)]
    assert not off, f"outside ±15% of the seed's figures: {off}"


@pytest.mark.django_db
def test_default_council_seed_percentages(default_council_in_db) -> None:  # noqa: ANN001
    """The table's percentages (timeliness, visits, supervision) within 15% of the seed's own
    figure too (e.g. LAC case supervision 55%: 46.75% to 63.25%)."""
    from safeguard.performance.seed import SEED_FIGURES_MORE, seed_table

    figures = tuple(f for f in SEED_FIGURES_MORE if f.measure_id not in OTHER_COUNTS)
    rows = seed_table(AS_AT, figures=figures)
    assert len(rows) == 11
    off = [
        (r.label, r.value, r.seed_value)
        for r in rows
        if r.value is None or not _within(r.value, r.seed_value)
    ]
    assert not off, f"outside ±15% of the seed's figures: {off}"
