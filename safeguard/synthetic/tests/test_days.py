"""The generator's fast working days agree with safeguard.calendar, the one definition."""

from datetime import date, timedelta

from safeguard.calendar import add_working_days, working_days_between
from safeguard.synthetic.days import add_wd, birthday, collection_year, day, to_date, wd_between


def test_add_wd_matches_calendar_around_christmas_and_easter() -> None:
    # Every start from 20 Dec 2018 to 30 Apr 2019 (Christmas, New Year, Easter 19/22 Apr 2019,
    # weekends), for 0-25 working days: the table lookup must equal the calendar module.
    start = date(2018, 12, 20)
    for offset in range(0, 132, 3):
        d = start + timedelta(days=offset)
        for n in (0, 1, 5, 15, 20, 25):
            assert to_date(add_wd(day(d), n)) == add_working_days(d, n), (d, n)


def test_hand_worked_cases() -> None:
    # Fri 21 Dec 2018 + 1 working day: Mon 24 Dec (Christmas Eve is a working day).
    assert to_date(add_wd(day(date(2018, 12, 21)), 1)) == date(2018, 12, 24)
    # Mon 24 Dec 2018 + 1: 25, 26 Dec are bank holidays -> Thu 27 Dec.
    assert to_date(add_wd(day(date(2018, 12, 24)), 1)) == date(2018, 12, 27)
    # Sat 22 Dec behaves like Fri 21 Dec: +1 -> Mon 24 Dec.
    assert to_date(add_wd(day(date(2018, 12, 22)), 1)) == date(2018, 12, 24)
    # Thu 18 Apr 2019 -> Tue 23 Apr 2019: Good Friday and Easter Monday skipped -> 1 day.
    assert wd_between(day(date(2019, 4, 18)), day(date(2019, 4, 23))) == 1


def test_wd_between_matches_calendar() -> None:
    base = date(2019, 5, 1)
    for k in range(0, 60, 7):
        end = base + timedelta(days=k)
        assert wd_between(day(base), day(end)) == working_days_between(base, end)


def test_birthdays_and_collection_years() -> None:
    assert to_date(birthday(day(date(2004, 2, 29)), 18)) == date(2022, 2, 28)
    assert collection_year(day(date(2019, 3, 31))) == 2019
    assert collection_year(day(date(2019, 4, 1))) == 2020
