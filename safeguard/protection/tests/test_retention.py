"""Retention and legal hold (G24): no early disposal, none under hold, every overdue flagged."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.journey.models import Adoption, CareEpisode, Child
from safeguard.protection.models import LegalHold
from safeguard.protection.retention import (
    DUE,
    HELD,
    RETAIN,
    UNKNOWN,
    anniversary,
    disposal_report,
    due_for_disposal,
    retain_until,
)

pytestmark = pytest.mark.django_db


def make_child(ref: str, born: date | None, died: date | None = None) -> Child:
    return Child.objects.create(
        la_child_id=ref,
        date_of_birth=born,
        date_of_death=died,
        sex="1",
        expected_date_of_birth=None if born else date(2030, 1, 1),
    )


def looked_after(child: Child) -> None:
    CareEpisode.objects.create(
        child=child,
        start_date=date(2010, 1, 1),
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement_type="U1",
    )


def status(as_at: date, ref: str) -> tuple[str, date | None]:
    row = disposal_report(as_at).filter(pl.col("la_child_id") == ref).row(0, named=True)
    return row["status"], row["retain_until"]


def test_looked_after_kept_to_the_75th_birthday():
    looked_after(make_child("LAC", date(1950, 6, 15)))
    # 75th anniversary of 15 Jun 1950 = 15 Jun 2025
    assert status(date(2025, 6, 14), "LAC") == (RETAIN, date(2025, 6, 15))
    assert status(date(2025, 6, 15), "LAC") == (DUE, date(2025, 6, 15))


def test_looked_after_child_who_died_before_18_kept_15_years_from_death():
    looked_after(make_child("LACD", date(2000, 3, 1), died=date(2010, 7, 4)))
    # died aged 10: 4 Jul 2010 + 15 years = 4 Jul 2025 (not the 75th birthday in 2075)
    assert status(date(2025, 7, 3), "LACD") == (RETAIN, date(2025, 7, 4))
    assert status(date(2025, 7, 4), "LACD")[0] == DUE


def test_death_at_18_or_later_keeps_the_75th_birthday_rule():
    looked_after(make_child("LAC18", date(2000, 3, 1), died=date(2018, 3, 1)))
    # died on the 18th birthday: not "before 18", so 1 Mar 2075
    assert status(date(2030, 1, 1), "LAC18") == (RETAIN, date(2075, 3, 1))


def test_adoption_kept_100_years_from_the_order():
    child = make_child("ADO", date(1920, 1, 1))
    looked_after(child)
    Adoption.objects.create(
        child=child, decision_date=date(1923, 1, 1), order_date=date(1924, 9, 30)
    )
    # the LAC rule gives 1 Jan 1995; the adoption order gives 30 Sep 2024: the later wins
    assert status(date(2024, 9, 29), "ADO") == (RETAIN, date(2024, 9, 30))
    row = disposal_report(date(2024, 9, 30)).row(0, named=True)
    assert (row["rule"], row["status"]) == ("adoption", DUE)


def test_child_in_need_rule_is_configurable(settings):
    make_child("CIN", date(2000, 2, 10))
    # default: 25th birthday, 10 Feb 2025
    assert status(date(2025, 2, 9), "CIN") == (RETAIN, date(2025, 2, 10))
    settings.SAFEGUARD_RETENTION = {"cin_years_from_birth": 21}
    assert status(date(2021, 2, 10), "CIN") == (DUE, date(2021, 2, 10))


def test_leap_day_birthdays_are_never_early():
    looked_after(make_child("LEAP", date(1952, 2, 29)))
    # 2027 is not a leap year: the 75th anniversary is taken as 1 March 2027, not 28 February
    assert status(date(2027, 2, 28), "LEAP") == (RETAIN, date(2027, 3, 1))


def test_unborn_child_uses_expected_birth_and_no_date_is_unknown():
    make_child("UNBORN", None)
    assert status(date(2040, 1, 1), "UNBORN") == (RETAIN, date(2055, 1, 1))  # 2030 + 25
    Child.objects.filter(la_child_id="UNBORN").update(expected_date_of_birth=None)
    assert status(date(2040, 1, 1), "UNBORN")[0] == UNKNOWN


def test_holds_stop_disposal_until_lifted():
    kept = make_child("HELD", date(1990, 1, 1))
    make_child("FREE", date(1990, 1, 1))
    hold = LegalHold.objects.create(child=kept, reason="Litigation", placed_on=date(2020, 1, 1))
    as_at = date(2026, 1, 1)  # both past their 25th birthday (1 Jan 2015)
    assert status(as_at, "HELD")[0] == HELD
    assert list(due_for_disposal(as_at)["la_child_id"]) == ["FREE"]
    hold.lifted_on = date(2025, 6, 1)
    hold.save()
    assert status(as_at, "HELD")[0] == DUE


def test_a_global_hold_stops_every_disposal():
    make_child("A", date(1980, 1, 1))
    LegalHold.objects.create(reason="IICSA: destruction suspended", placed_on=date(2015, 3, 1))
    assert due_for_disposal(date(2026, 1, 1)).is_empty()
    assert status(date(2026, 1, 1), "A")[0] == HELD


def test_the_command(capsys):
    make_child("OLD", date(1990, 1, 1))
    make_child("YOUNG", date(2020, 1, 1))
    call_command("retention", "--as-at", "2026-01-01")
    out = capsys.readouterr().out
    assert "1 due for disposal" in out and "DUE  OLD" in out and "YOUNG" not in out


# Property over many synthetic records (no database: the rule engine on a frame).
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31))


@settings(max_examples=200, deadline=None)
@given(
    born=births,
    lac=st.booleans(),
    order_after=st.one_of(st.none(), st.integers(0, 20000)),
    day=st.integers(-2, 2),
)
def test_never_early_and_always_flagged(born, lac, order_after, day):
    order = born + timedelta(days=order_after) if order_after is not None else None
    frame = pl.DataFrame(
        {
            "child_id": [1],
            "la_child_id": ["X"],
            "born": [born],
            "died": [None],
            "looked_after": [lac],
            "order": [order],
        },
        schema={
            "child_id": pl.Int64,
            "la_child_id": pl.String,
            "born": pl.Date,
            "died": pl.Date,
            "looked_after": pl.Boolean,
            "order": pl.Date,
        },
    )
    until = retain_until(frame).row(0, named=True)["retain_until"]
    # the governing date is never before any rule that applies
    floor = [anniversary_py(born, 25)]
    if lac:
        floor.append(anniversary_py(born, 75))
    if order is not None:
        floor.append(anniversary_py(order, 100))
    assert until == max(floor)


def anniversary_py(day: date, years: int) -> date:
    """Hand version of the anniversary: 29 Feb goes to 1 Mar in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def test_anniversary_matches_the_hand_version():
    frame = pl.DataFrame({"d": [date(2000, 2, 29), date(2001, 12, 31)]})
    out = frame.select(anniversary(pl.col("d"), 1).alias("a"))["a"].to_list()
    assert out == [date(2001, 3, 1), date(2002, 12, 31)]
