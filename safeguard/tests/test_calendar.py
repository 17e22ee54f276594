"""Tests for safeguard.calendar: hand-worked working-day cases and scalar/array agreement.

Convention under test: elapsed = working days after start up to and including end.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.calendar import (
    add_months,
    add_working_days,
    add_working_days_array,
    bank_holidays,
    is_working_day,
    within_working_days,
    working_days_between,
    working_days_between_arrays,
)

D = date


# --- Bank holidays ------------------------------------------------------------------------------


def test_bank_holidays_2017_to_2020_match_kpis_md():
    # The England & Wales list in shared/reference/kpis.md. 1 Jan 2017 (Sun) and 26 Dec 2020
    # (Sat) are not listed: their substitute days 2 Jan 2017 and 28 Dec 2020 are.
    expected = [
        D(2017, 1, 2), D(2017, 4, 14), D(2017, 4, 17), D(2017, 5, 1), D(2017, 5, 29),
        D(2017, 8, 28), D(2017, 12, 25), D(2017, 12, 26),
        D(2018, 1, 1), D(2018, 3, 30), D(2018, 4, 2), D(2018, 5, 7), D(2018, 5, 28),
        D(2018, 8, 27), D(2018, 12, 25), D(2018, 12, 26),
        D(2019, 1, 1), D(2019, 4, 19), D(2019, 4, 22), D(2019, 5, 6), D(2019, 5, 27),
        D(2019, 8, 26), D(2019, 12, 25), D(2019, 12, 26),
        D(2020, 1, 1), D(2020, 4, 10), D(2020, 4, 13), D(2020, 5, 8), D(2020, 5, 25),
        D(2020, 8, 31), D(2020, 12, 25), D(2020, 12, 28),
    ]  # fmt: skip
    assert bank_holidays(2017, 2020) == expected
    assert bank_holidays(2019, 2019) == expected[16:24]
    assert bank_holidays(2020, 2019) == []


def test_bank_holidays_returns_a_copy():
    first = bank_holidays(2019, 2019)
    first.clear()
    assert len(bank_holidays(2019, 2019)) == 8


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (D(2018, 12, 21), True),  # Fri
        (D(2018, 12, 22), False),  # Sat
        (D(2018, 12, 24), True),  # Mon, Christmas Eve is a working day
        (D(2018, 12, 25), False),  # Christmas Day
        (D(2018, 12, 26), False),  # Boxing Day
        (D(2018, 12, 27), True),
        (D(2018, 12, 31), True),  # New Year's Eve is a working day
        (D(2019, 1, 1), False),
        (D(2019, 4, 19), False),  # Good Friday
        (D(2019, 4, 22), False),  # Easter Monday
        (D(2019, 5, 27), False),  # Spring bank holiday
        (D(2019, 8, 26), False),  # Summer bank holiday
        (D(2020, 12, 28), False),  # Boxing Day substitute (26 Dec 2020 was a Saturday)
        (D(2020, 12, 29), True),
        (D(2017, 1, 2), False),  # New Year substitute (1 Jan 2017 was a Sunday)
    ],
)
def test_is_working_day(d: date, expected: bool):
    assert is_working_day(d) is expected


# --- Christmas 2018 -----------------------------------------------------------------------------
# Fri 21, Sat 22, Sun 23, Mon 24 (working), Tue 25 BH, Wed 26 BH, Thu 27, Fri 28, Sat 29, Sun 30,
# Mon 31 (working), Tue 1 Jan 2019 BH, Wed 2 Jan.


def test_christmas_2018_elapsed():
    # After Fri 21 up to and including Thu 27: 24, 27 -> 2.
    assert working_days_between(D(2018, 12, 21), D(2018, 12, 27)) == 2
    # ... up to Wed 2 Jan 2019: 24, 27, 28, 31, 2 -> 5.
    assert working_days_between(D(2018, 12, 21), D(2019, 1, 2)) == 5
    # Same day = 0.
    assert working_days_between(D(2018, 12, 24), D(2018, 12, 24)) == 0
    # Start on a holiday, end on the next: nothing after 25 up to 26 is a working day -> 0.
    assert working_days_between(D(2018, 12, 25), D(2018, 12, 26)) == 0
    # Reversed: minus the working days after 21 up to 27 -> -2.
    assert working_days_between(D(2018, 12, 27), D(2018, 12, 21)) == -2


def test_christmas_2018_deadlines():
    # 1st working day after Fri 21 Dec is Mon 24; 2nd is Thu 27 (25, 26 holidays);
    # 5th: 24, 27, 28, 31, (1 Jan BH), 2 Jan.
    assert add_working_days(D(2018, 12, 21), 1) == D(2018, 12, 24)
    assert add_working_days(D(2018, 12, 21), 2) == D(2018, 12, 27)
    assert add_working_days(D(2018, 12, 21), 5) == D(2019, 1, 2)
    assert add_working_days(D(2018, 12, 21), 0) == D(2018, 12, 21)
    # Backwards: the working day before Thu 27 is Mon 24.
    assert add_working_days(D(2018, 12, 27), -1) == D(2018, 12, 24)


def test_christmas_2018_within():
    # Elapsed 21 -> 27 is 2, so within 2 but not within 1; 21 -> 28 is 3.
    assert within_working_days(D(2018, 12, 21), D(2018, 12, 27), 2)
    assert not within_working_days(D(2018, 12, 21), D(2018, 12, 27), 1)
    assert not within_working_days(D(2018, 12, 21), D(2018, 12, 28), 2)


# --- Easter 2019: Good Friday 19 Apr, Easter Monday 22 Apr ------------------------------------


def test_easter_2019():
    # After Thu 18 up to Tue 23: 19 GF, 20-21 weekend, 22 EM, 23 working -> 1.
    assert working_days_between(D(2019, 4, 18), D(2019, 4, 23)) == 1
    assert add_working_days(D(2019, 4, 18), 1) == D(2019, 4, 23)


def test_icpc_15_working_days_over_easter_2019():
    # Strategy discussion Mon 8 Apr 2019. Working days after it:
    #  9(1) 10(2) 11(3) 12(4) | 15(5) 16(6) 17(7) 18(8) [19 GF] | [22 EM] 23(9) 24(10) 25(11)
    #  26(12) | 29(13) 30(14) 1 May(15). Deadline Wed 1 May (29 Apr without the holidays).
    start = D(2019, 4, 8)
    assert add_working_days(start, 15) == D(2019, 5, 1)
    assert working_days_between(start, D(2019, 5, 1)) == 15
    assert within_working_days(start, D(2019, 5, 1), 15)
    assert not within_working_days(start, D(2019, 5, 2), 15)


# --- Bank-holiday Mondays ---------------------------------------------------------------------


def test_spring_bank_holiday_2019():
    # After Fri 24 May up to Tue 28 May: 25-26 weekend, 27 BH, 28 -> 1.
    assert working_days_between(D(2019, 5, 24), D(2019, 5, 28)) == 1
    assert add_working_days(D(2019, 5, 24), 1) == D(2019, 5, 28)


def test_summer_bank_holiday_2019():
    # After Fri 23 Aug: Mon 26 BH, so the 1st working day is Tue 27 Aug.
    assert add_working_days(D(2019, 8, 23), 1) == D(2019, 8, 27)
    assert working_days_between(D(2019, 8, 23), D(2019, 8, 26)) == 0


def test_assessment_45_working_days_over_august_2019():
    # Referral Mon 1 Jul 2019. Working days after it:
    #  Jul 2-5 (4), 8-12 (9), 15-19 (14), 22-26 (19), 29-31 (22); Aug 1-2 (24), 5-9 (29),
    #  12-16 (34), 19-23 (39), [26 BH], 27-30 (43); Sep 2 (44), Sep 3 (45).
    start = D(2019, 7, 1)
    assert add_working_days(start, 45) == D(2019, 9, 3)
    assert working_days_between(start, D(2019, 9, 3)) == 45
    assert working_days_between(start, D(2019, 9, 4)) == 46


# --- Weekend starts and ends ----------------------------------------------------------------------


def test_start_on_a_weekend():
    # Sat 22 Dec 2018: the start never counts; after it, Mon 24 is the 1st working day, Thu 27
    # the 2nd.
    sat = D(2018, 12, 22)
    assert working_days_between(sat, D(2018, 12, 23)) == 0
    assert working_days_between(sat, D(2018, 12, 24)) == 1
    assert add_working_days(sat, 1) == D(2018, 12, 24)
    assert add_working_days(sat, 2) == D(2018, 12, 27)
    # The working day before Sat 22 is Fri 21.
    assert add_working_days(sat, -1) == D(2018, 12, 21)
    # Sat 1 Jun 2019 -> Mon 3 Jun.
    assert add_working_days(D(2019, 6, 1), 1) == D(2019, 6, 3)


def test_end_on_a_weekend():
    # After Mon 3 Jun 2019 up to Sat 8 Jun: Tue-Fri -> 4. Deadline for 4 is Fri 7 Jun, and a
    # Saturday end has the same elapsed count, so it is still "within 4".
    assert working_days_between(D(2019, 6, 3), D(2019, 6, 8)) == 4
    assert add_working_days(D(2019, 6, 3), 4) == D(2019, 6, 7)
    assert within_working_days(D(2019, 6, 3), D(2019, 6, 8), 4)


# --- Substitute day: 28 Dec 2020 --------------------------------------------------------------


def test_christmas_2020_substitute_day():
    # Thu 24 Dec 2020; Fri 25 BH; Sat 26 (Boxing Day); Sun 27; Mon 28 substitute BH; Tue 29.
    assert add_working_days(D(2020, 12, 24), 1) == D(2020, 12, 29)
    # After Thu 24 up to Thu 31: 29, 30, 31 -> 3.
    assert working_days_between(D(2020, 12, 24), D(2020, 12, 31)) == 3
    # Across the year end: ... up to Mon 4 Jan 2021: 29, 30, 31, (1 Jan BH), 4 -> 4.
    assert working_days_between(D(2020, 12, 24), D(2021, 1, 4)) == 4


# --- Calendar months ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "n", "expected"),
    [
        (D(2019, 1, 31), 1, D(2019, 2, 28)),  # clamped, 2019 not a leap year
        (D(2020, 1, 31), 1, D(2020, 2, 29)),  # leap year
        (D(2018, 11, 30), 3, D(2019, 2, 28)),  # across the year end, clamped
        (D(2018, 8, 31), 6, D(2019, 2, 28)),
        (D(2018, 10, 31), 14, D(2019, 12, 31)),
        (D(2019, 1, 15), 3, D(2019, 4, 15)),
        (D(2019, 3, 15), -1, D(2019, 2, 15)),
        (D(2019, 3, 31), -1, D(2019, 2, 28)),
        (D(2019, 1, 31), -2, D(2018, 11, 30)),
        (D(2019, 12, 31), 0, D(2019, 12, 31)),
    ],
)
def test_add_months(d: date, n: int, expected: date):
    assert add_months(d, n) == expected


# --- Properties and scalar/array agreement --------------------------------------------------------

_WINDOW = [D(2018, 12, 1) + timedelta(days=i) for i in range(50)]  # Dec 2018 - Jan 2019


def _brute_elapsed(start: date, end: date) -> int:
    lo, hi, sign = (start, end, 1) if end >= start else (end, start, -1)
    days = (hi - lo).days
    return sign * sum(is_working_day(lo + timedelta(days=k)) for k in range(1, days + 1))


def test_scalar_matches_definition_and_array_over_christmas_window():
    starts = np.array([s for s in _WINDOW for _ in _WINDOW], dtype="datetime64[D]")
    ends = np.array([e for _ in _WINDOW for e in _WINDOW], dtype="datetime64[D]")
    got = working_days_between_arrays(starts, ends)
    expected = [working_days_between(s, e) for s in _WINDOW for e in _WINDOW]
    assert expected == [_brute_elapsed(s, e) for s in _WINDOW for e in _WINDOW]
    np.testing.assert_array_equal(got, np.array(expected, dtype=float))


@pytest.mark.parametrize("n", [-7, -1, 0, 1, 2, 5, 15, 20, 45, 300])
def test_add_working_days_array_matches_scalar(n: int):
    got = add_working_days_array(np.array(_WINDOW, dtype="datetime64[D]"), n)
    expected = np.array([add_working_days(s, n) for s in _WINDOW], dtype="datetime64[D]")
    np.testing.assert_array_equal(got, expected)


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=D(2016, 1, 1), max_value=D(2026, 12, 31)),
    end=st.dates(min_value=D(2016, 1, 1), max_value=D(2026, 12, 31)),
    n=st.integers(min_value=-60, max_value=60),
)
def test_properties(start: date, end: date, n: int):
    elapsed = working_days_between(start, end)
    assert elapsed == -working_days_between(end, start)
    assert working_days_between_arrays([start], [end])[0] == elapsed
    deadline = add_working_days(start, n)
    assert add_working_days_array([start], n)[0] == np.datetime64(deadline, "D")
    if n > 0:
        assert is_working_day(deadline)
        assert working_days_between(start, deadline) == n
        assert within_working_days(start, deadline, n)
        assert not within_working_days(start, add_working_days(start, n + 1), n)
    if is_working_day(end) and n >= 0:
        assert within_working_days(start, end, n) == (end <= deadline)


def test_arrays_handle_missing_and_broadcast():
    starts = [D(2018, 12, 21), None, D(2018, 12, 21)]
    ends = np.array(["2018-12-27", "2018-12-27", "NaT"], dtype="datetime64[D]")
    got = working_days_between_arrays(starts, ends)
    assert got[0] == 2
    assert np.isnan(got[1]) and np.isnan(got[2])
    assert got.dtype == np.float64
    # Scalar end broadcast against an array of starts.
    np.testing.assert_array_equal(
        working_days_between_arrays([D(2018, 12, 21), D(2018, 12, 24)], D(2018, 12, 27)), [2, 1]
    )
    # Per-row n, and NaT start propagates.
    deadlines = add_working_days_array([D(2018, 12, 21), None, D(2019, 4, 8)], [2, 3, 15])
    assert deadlines.dtype == np.dtype("datetime64[D]")
    assert deadlines[0] == np.datetime64("2018-12-27")
    assert np.isnat(deadlines[1])
    assert deadlines[2] == np.datetime64("2019-05-01")
    assert np.isnat(add_working_days_array([None], 3)[0])
    assert np.isnan(working_days_between_arrays([None], [None])[0])


def test_arrays_accept_polars_series():
    pl = pytest.importorskip("polars")
    starts = pl.Series("s", [D(2018, 12, 21), None])
    ends = pl.Series("e", [D(2019, 1, 2), D(2019, 1, 2)])
    got = working_days_between_arrays(starts, ends)
    assert got[0] == 5 and np.isnan(got[1])
    np.testing.assert_array_equal(
        add_working_days_array(starts, 5),
        np.array(["2019-01-02", "NaT"], dtype="datetime64[D]"),
    )
