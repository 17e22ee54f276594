"""Retention and legal hold (G24): no early disposal, none under hold, every overdue flagged."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.access.models import AccessLog
from safeguard.journey.models import Adoption, CareEpisode, CaseNote, Child, Contact
from safeguard.protection.history import acting_user
from safeguard.protection.models import Disposal, LegalHold
from safeguard.protection.retention import (
    DUE,
    HELD,
    RETAIN,
    UNKNOWN,
    DisposalRefused,
    anniversary,
    disposal_report,
    dispose,
    due_for_disposal,
    retain_until,
)
from safeguard.protection.seal import seal, verify

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


# Disposal carried out (G24): the run destroys exactly the dry run's list, never a held record,
# takes the history and logs with the record, and keeps a disposal log.

DAY = date(2026, 6, 1)  # the as-at date of the disposals below (before "today")


def test_disposal_destroys_exactly_the_dry_run_list_with_history_and_logs():
    ig = User.objects.create_user("ig.officer")
    gone = make_child("GONE", date(1990, 1, 1))  # child in need: 25th birthday 1 Jan 2015
    with acting_user(ig):
        gone.postcode = "AB1 2CD"
        gone.save()  # a second history row
    note = CaseNote.objects.create(child=gone, date=date(2005, 1, 6), text="Visit notes.")
    contact = Contact.objects.create(
        child=gone, received_at=timezone.make_aware(datetime(2004, 1, 2)), contact_source="1A"
    )
    reads = [
        AccessLog.objects.create(user=ig, child=gone, action=AccessLog.READ, path=f"/c/{n}/")
        for n in range(2)
    ]
    lifted = LegalHold.objects.create(
        child=gone, reason="Old claim", placed_on=date(2010, 1, 1), lifted_on=date(2011, 1, 1)
    )
    held = make_child("HELD", date(1990, 1, 1))  # due, but under its own hold
    LegalHold.objects.create(child=held, reason="Inquiry", placed_on=date(2020, 1, 1))
    young = make_child("YOUNG", date(2015, 3, 1))  # kept to 1 Mar 2040
    lac = make_child("LAC", date(1960, 5, 5))
    looked_after(lac)  # kept to 5 May 2035
    kept_history = {c.pk: c.history.count() for c in (held, young, lac)}
    # sealed: 2 reads; history: GONE 2, its note 1 and contact 1, the 3 other children 1 each,
    # LAC's care episode 1 (legal holds have no history)
    assert seal() == 2 + 2 + 1 + 1 + 3 + 1
    dry = due_for_disposal(DAY)
    assert dry["la_child_id"].to_list() == ["GONE"]

    log = dispose(DAY, user=ig)

    assert log.children == [
        {
            "child_id": gone.pk,
            "la_child_id": "GONE",
            "rule": "child_in_need",
            "retain_until": "2015-01-01",
        }
    ]
    assert log.disposed_by == ig and log.as_at == DAY
    assert log.rows["journey_child"] == [gone.pk]
    assert log.rows["journey_casenote"] == [note.pk]
    assert log.rows["journey_contact"] == [contact.pk]
    assert log.rows["access_accesslog"] == sorted(r.pk for r in reads)
    assert log.rows["protection_legalhold"] == [lifted.pk]
    assert len(log.rows["journey_historicalchild"]) == 2
    assert len(log.rows["journey_historicalcasenote"]) == 1
    # the record, its history and its logs are gone; nothing else is touched
    assert not Child.objects.filter(pk=gone.pk).exists()
    assert not Child.history.filter(id=gone.pk).exists()
    assert not CaseNote.history.filter(id=note.pk).exists()
    assert not AccessLog.objects.filter(child_id=gone.pk).exists()
    assert sorted(Child.objects.values_list("la_child_id", flat=True)) == ["HELD", "LAC", "YOUNG"]
    assert {c.pk: c.history.count() for c in (held, young, lac)} == kept_history
    assert LegalHold.objects.filter(child=held).exists()
    # the seals still verify: the sealed rows removed are the ones the disposal log lists
    report = verify()
    assert report.ok and report.disposed == 2 + 2 + 1 + 1
    assert dispose(DAY) is None  # nothing left due
    assert Disposal.objects.count() == 1


@pytest.mark.parametrize("seed", [3, 11])
def test_over_a_mixed_population_the_run_equals_the_dry_run_and_spares_every_hold(seed):
    import random

    rng = random.Random(seed)
    children = []
    for n in range(80):
        child = make_child(f"R{n:03d}", date(1930, 1, 1) + timedelta(days=rng.randrange(33_000)))
        if rng.random() < 0.4:
            looked_after(child)
        if rng.random() < 0.1:
            order = child.date_of_birth + timedelta(days=900)
            Adoption.objects.create(
                child=child, decision_date=order - timedelta(days=200), order_date=order
            )
        if rng.random() < 0.25:  # a hold, in force or lifted before the as-at date
            lifted = rng.choice([None, date(2020, 1, 1)])
            LegalHold.objects.create(
                child=child, reason="Claim", placed_on=date(2019, 1, 1), lifted_on=lifted
            )
        children.append(child)
    report = disposal_report(DAY)
    dry = set(report.filter(pl.col("status") == DUE)["child_id"])
    held = set(report.filter(pl.col("status") == HELD)["child_id"])
    assert dry and held  # the seed gives both kinds
    log = dispose(DAY)
    assert {c["child_id"] for c in log.children} == dry
    assert set(log.rows["journey_child"]) == dry
    left = set(Child.objects.values_list("pk", flat=True))
    assert left == {c.pk for c in children} - dry
    assert held <= left


def test_a_disposal_dated_after_today_is_refused_and_changes_nothing():
    make_child("OLD", date(1950, 1, 1))
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DisposalRefused, match="can only be disposed of as at today"):
        dispose(tomorrow)
    assert Child.objects.count() == 1 and not Disposal.objects.exists()
    with pytest.raises(CommandError, match="can only be disposed of as at today"):
        call_command("retention", "--as-at", tomorrow.isoformat(), "--execute")


def test_the_command_executes_what_it_reported(capsys):
    User.objects.create_user("ig.officer")
    make_child("OLD", date(1950, 1, 1))  # child in need: due since 1 Jan 1975
    make_child("NEW", date(2015, 1, 1))
    call_command("retention", "--as-at", "2026-06-01")
    report = capsys.readouterr().out
    assert "DUE  OLD  child_in_need  1975-01-01" in report
    call_command("retention", "--as-at", "2026-06-01", "--execute", "--by", "ig.officer")
    out = capsys.readouterr().out
    assert "Disposed of 1 records as at 2026-06-01 (2 rows in 2 tables)" in out
    assert "DISPOSED OLD  child_in_need  1975-01-01" in out
    assert list(Child.objects.values_list("la_child_id", flat=True)) == ["NEW"]
    assert Disposal.objects.get().disposed_by.username == "ig.officer"
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("retention", "--execute", "--by", "nobody")


def test_a_disabled_account_cannot_authorise_a_disposal():
    # A leaver's account is disabled, not deleted: naming it must not credit them with the
    # disposal. The command refuses with exit code 1 and destroys nothing.
    User.objects.create_user("ig.leaver", is_active=False)
    make_child("OLD", date(1950, 1, 1))  # due since 1 Jan 1975
    with pytest.raises(CommandError) as refused:
        call_command("retention", "--as-at", "2026-06-01", "--execute", "--by", "ig.leaver")
    assert str(refused.value) == (
        "No user 'ig.leaver' with an active account to authorise the disposal: "
        "nothing was disposed of."
    )
    assert refused.value.returncode == 1  # what `safeguard retention` exits with
    assert list(Child.objects.values_list("la_child_id", flat=True)) == ["OLD"]
    assert not Disposal.objects.exists()
