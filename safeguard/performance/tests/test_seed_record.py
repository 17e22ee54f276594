"""Seed table and from_record on a tiny record made with the ORM (hand-worked answers)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from safeguard.journey import models as j
from safeguard.performance import frames, seed

pytestmark = pytest.mark.django_db

UTC = UTC


def _child(cid: str, dob: date = date(2010, 1, 1)) -> j.Child:
    return j.Child.objects.create(la_child_id=cid, sex="1", date_of_birth=dob)


def _make_record() -> None:
    a, b, c = _child("A"), _child("B"), _child("C")
    # Contacts: 2 in Q1 2019-20 (1 Apr, 30 Jun), 1 on 31 Mar 2019 (last year): YTD = 2.
    for when in (
        datetime(2019, 4, 1, 9, tzinfo=UTC),
        datetime(2019, 6, 30, 22, 30, tzinfo=UTC),
        datetime(2019, 3, 31, 9, tzinfo=UTC),
    ):
        j.Contact.objects.create(child=a, received_at=when, contact_source="1A")
    # 30 June 22:30 UTC is 23:30 BST on 30 June: still in the period.
    ref = j.Referral.objects.create(child=a, referral_date=date(2019, 4, 2), referral_source="1A")
    j.Referral.objects.create(child=b, referral_date=date(2019, 3, 29), referral_source="1A")
    # Early help open at 30 June: A (no end), B (ends 1 July); C ended 30 June -> not open. = 2
    j.EarlyHelpEpisode.objects.create(child=a, start_date=date(2019, 1, 1))
    for child, end in ((b, date(2019, 7, 1)), (c, date(2019, 6, 30))):
        j.EarlyHelpEpisode.objects.create(child=child, start_date=date(2019, 1, 1), end_date=end)
    j.ChildInNeedPlan.objects.create(referral=ref, child=a, start_date=date(2019, 5, 1))
    s47 = j.Section47.objects.create(
        referral=ref, child=a, strategy_discussion_date=date(2019, 4, 3)
    )
    icpc = j.Conference.objects.create(
        child=a, kind="ICPC", date=date(2019, 4, 20), outcome="CPP", section47=s47
    )
    j.ChildProtectionPlan.objects.create(
        referral=ref,
        child=a,
        initial_conference=icpc,
        start_date=date(2019, 4, 20),
        initial_category="NEG",
        latest_category="NEG",
    )
    # CLA: B in care (C2), C on short breaks only (V3): cla_open = 1.
    j.CareEpisode.objects.create(
        child=b,
        start_date=date(2018, 1, 1),
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement_type="U4",
    )
    j.CareEpisode.objects.create(
        child=c,
        start_date=date(2019, 6, 1),
        reason_new_episode="S",
        legal_status="V3",
        category_of_need="N2",
        placement_type="U6",
    )


def test_seed_table_from_record() -> None:
    _make_record()
    got = {r.measure_id: r.value for r in seed.seed_table(date(2019, 6, 30))}
    assert got == {
        "early_help_open": 2,
        "contacts": 2,
        "referrals": 1,
        "cin_plans_open": 1,
        "s47_started": 1,
        "icpc_held": 1,
        "cpp_open": 1,
        "cla_open": 1,
    }


def test_from_record_links_icpc_to_s47() -> None:
    _make_record()
    f = frames.from_record()
    row = f.s47.row(0, named=True)
    assert row["icpc_date"] == date(2019, 4, 20) and row["icpc_to_plan"] is True
    assert f.contacts["received"].sort().to_list()[-1] == date(2019, 6, 30)
