"""Imports and bulk changes keep the change history (issue 7, G7): who, when, before, after.

The fast writers in `returns.bulk` copy each row they insert, change or delete into its
simple-history table in the same transaction; an import attributes them to the importing user
and names its ImportLog. Counts below are worked out from the hand-made files.
"""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from safeguard.journey import models as jm
from safeguard.protection.history import changes
from safeguard.returns import bulk
from safeguard.returns.annex_a import spec
from safeguard.returns.annex_a.load import to_record
from safeguard.returns.cin_census.tests.test_reader import FULL, HEADER, child
from safeguard.returns.importing import import_returns
from safeguard.returns.models import ImportLog, ReturnItem

pytestmark = pytest.mark.django_db

_SIMPLE = (
    "<CINdetails><CINreferralDate>2018-05-01</CINreferralDate><ReferralSource>1A"
    "</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>{close}"
    "<ReferralNFA>false</ReferralNFA></CINdetails>"
)
_CLOSED = "<CINclosureDate>2019-01-31</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>"


def _file(path, *children: str):
    path.write_text(f"<Message>{HEADER}<Children>{''.join(children)}</Children></Message>")
    return path


def _history(model, **filters) -> list[tuple]:
    rows = model.history.filter(**filters).order_by("history_id")
    return list(rows.values_list("history_type", "history_user", "history_change_reason"))


def _counts() -> dict[str, int]:
    models = (jm.Child, jm.Referral, jm.Assessment, jm.ChildInNeedPlan, jm.Section47)
    models += (jm.ChildProtectionPlan, jm.Conference)
    return {m.__name__: m.history.count() for m in models}


def test_a_cin_import_writes_one_history_row_per_row_by_the_importer(tmp_path):
    importer = User.objects.create_user("importer")
    path = _file(tmp_path / "cin.xml", child("C1", details=FULL), child("C2"))
    import_returns("cin-census", [path], user=importer)
    log = ImportLog.objects.get()
    reason = f"import cin-census:2019 (import log {log.pk}, sha256 {log.sha256[:16]})"
    # C1: one episode with an assessment, a CIN plan, a S47 (its ICPC), a CP plan (two
    # reviews) and an ICPC on the episode; C2: one bare episode.
    assert _counts() == {
        "Child": 2,
        "Referral": 2,
        "Assessment": 1,
        "ChildInNeedPlan": 1,
        "Section47": 1,
        "ChildProtectionPlan": 1,
        "Conference": 4,
    }
    for model in (jm.Child, jm.Referral, jm.Conference):
        assert set(_history(model)) == {("+", importer.pk, reason)}
    ref = jm.Referral.objects.get(child__la_child_id="C1")
    added = ref.history.get()
    assert (added.referral_source, added.closure_date, added.reason_for_closure) == (
        "6",
        date(2019, 2, 1),
        "RC7",
    )
    assert added.history_date >= log.imported_at
    plan = jm.ChildProtectionPlan.history.get()
    assert (plan.id, plan.referral_id, plan.child_id) == (
        jm.ChildProtectionPlan.objects.get().pk,
        ref.pk,
        ref.child_id,
    )


def test_a_corrected_return_keeps_before_and_after(tmp_path):
    first, second = User.objects.create_user("first"), User.objects.create_user("second")
    import_returns(
        "cin-census",
        [_file(tmp_path / "a.xml", child("C1", details=_SIMPLE.format(close="")))],
        user=first,
    )
    old_ref = jm.Referral.objects.get()
    fixed = child("C1", details=_SIMPLE.format(close=_CLOSED)).replace("WBRI", "WIRI")
    import_returns("cin-census", [_file(tmp_path / "b.xml", fixed)], user=second)
    kid = jm.Child.objects.get()
    ethnicity = [(c.kind, c.before, c.after, c.who) for c in changes(kid) if c.field == "ethnicity"]
    assert ethnicity == [("+", None, "WBRI", first.pk), ("~", "WBRI", "WIRI", second.pk)]
    # The episode of the period is replaced: the old one deleted (kept as it was), a new added.
    gone = jm.Referral.history.filter(id=old_ref.pk).order_by("history_id")
    assert [(h.history_type, h.closure_date, h.history_user_id) for h in gone] == [
        ("+", None, first.pk),
        ("-", None, second.pk),
    ]
    new_ref = jm.Referral.objects.get()
    assert [(h.history_type, h.closure_date) for h in new_ref.history.all()] == [
        ("+", date(2019, 1, 31))
    ]
    assert _counts()["Referral"] == 3


def test_the_same_file_again_writes_no_history(tmp_path):
    path = _file(tmp_path / "cin.xml", child("C1", details=FULL))
    import_returns("cin-census", [path])
    before = _counts()
    import_returns("cin-census", [path])
    assert _counts() == before


def test_a_refused_import_leaves_no_history(tmp_path):
    bad = child("C1", details=_SIMPLE.format(close="<CINclosureDate>2019-02-30</CINclosureDate>"))
    with pytest.raises(Exception):  # noqa: B017, PT011 - the refusal itself is tested elsewhere
        import_returns("cin-census", [_file(tmp_path / "bad.xml", bad)])
    assert set(_counts().values()) == {0}


def test_an_annex_a_load_writes_history_for_what_it_creates_and_fills_in():
    importer = User.objects.create_user("importer")
    known = jm.Child.objects.create(la_child_id="K1", sex="", ethnicity="", date_of_birth=None)
    jm.Adopter.objects.create(adopter_id="AD1", family_id="F1")
    person = ("Child Unique ID", "Gender", "Ethnicity", "Date of Birth")
    referral = ("Date of referral", "Referral Source", "Referral NFA?")
    rows = [
        dict(zip(person + referral, values, strict=True))
        for values in (
            ("K1", "b) Female", "WBRI", date(2015, 3, 1), date(2019, 4, 2), "2A", "No"),
            ("K2", "a) Male", None, date(2016, 4, 2), date(2019, 5, 6), "6", "Yes"),
        )
    ]
    frames = {n: pl.DataFrame(schema=spec.schema(n)) for n in spec.LISTS}
    frames["List 3"] = pl.DataFrame(rows, schema=spec.schema("List 3"))
    adopters = {"Individual adopter identifier": ["AD1", "AD2"], "Family identifier": ["F9", "F2"]}
    frames["List 11"] = (
        pl.DataFrame(adopters)
        .with_columns(
            pl.lit(None, dtype=t).alias(c)
            for c, t in spec.schema("List 11").items()
            if c not in adopters
        )
        .select(spec.LISTS["List 11"])
    )
    with bulk.attributed(importer, "annex A test"):
        to_record(frames, source="annex-a:2019-06-30")
    filled = {c.field: (c.before, c.after, c.who) for c in changes(known) if c.kind == "~"}
    assert {k: v for k, v in filled.items() if k != "updated_at"} == {
        "sex": ("", "2", importer.pk),
        "ethnicity": ("", "WBRI", importer.pk),
        "date_of_birth": (None, date(2015, 3, 1), importer.pk),
    }
    k2 = jm.Child.objects.get(la_child_id="K2")
    assert _history(jm.Child, id=k2.pk) == [("+", importer.pk, "annex A test")]
    assert _history(jm.Referral) == [("+", importer.pk, "annex A test")] * 2
    # AD1's family corrected (F1 -> F9), AD2 new.
    ad1, ad2 = jm.Adopter.objects.order_by("adopter_id")
    assert _history(jm.Adopter, id=ad1.pk) == [
        ("+", None, None),
        ("~", importer.pk, "annex A test"),
    ]
    assert _history(jm.Adopter, id=ad2.pk) == [("+", importer.pk, "annex A test")]


def test_bulk_writers_keep_before_and_after_and_set_null_references():
    user = User.objects.create_user("tidier")
    kid = jm.Child.objects.create(la_child_id="H1", sex="1", date_of_birth=date(2012, 1, 1))
    ref = jm.Referral.objects.create(child=kid, referral_date=date(2019, 1, 2), referral_source="6")
    with transaction.atomic(), bulk.attributed(user, "tidy up"):
        [conf_id] = bulk.insert_frame(
            jm.Conference,
            pl.DataFrame({"child_id": [kid.pk], "kind": ["ICPC"], "date": [date(2019, 1, 9)]}),
        )
        [plan_id] = bulk.insert_frame(
            jm.ChildProtectionPlan,
            pl.DataFrame(
                {
                    "referral_id": [ref.pk],
                    "child_id": [kid.pk],
                    "initial_conference_id": [conf_id],
                    "start_date": [date(2019, 1, 9)],
                    "initial_category": ["NEG"],
                    "latest_category": ["NEG"],
                }
            ),
        )
        bulk.update_frame(
            jm.ChildProtectionPlan, pl.DataFrame({"id": [plan_id], "latest_category": ["EMO"]})
        )
        assert bulk.delete_ids(jm.Conference, [conf_id]) == 1
    plan = jm.ChildProtectionPlan.objects.get()
    assert plan.initial_conference_id is None
    steps = [(c.kind, c.field, c.before, c.after, c.who) for c in changes(plan) if c.kind == "~"]
    assert [s for s in steps if s[1] in ("latest_category", "initial_conference")] == [
        ("~", "latest_category", "NEG", "EMO", user.pk),
        ("~", "initial_conference", conf_id, None, user.pk),
    ]
    gone = jm.Conference.history.filter(id=conf_id).order_by("history_id")
    assert [(h.history_type, h.kind, h.date, h.history_change_reason) for h in gone] == [
        ("+", "ICPC", date(2019, 1, 9), "tidy up"),
        ("-", "ICPC", date(2019, 1, 9), "tidy up"),
    ]


def test_a_row_referenced_by_a_cascade_is_deleted_through_the_orm():
    kid = jm.Child.objects.create(la_child_id="S1", sex="1", date_of_birth=date(2012, 1, 1))
    ref = jm.Referral.objects.create(child=kid, referral_date=date(2019, 1, 2), referral_source="6")
    s47s = [
        jm.Section47.objects.create(
            referral=ref, child=kid, strategy_discussion_date=date(2019, 1, d)
        )
        for d in (3, 4)
    ]
    conf = jm.Conference.objects.create(
        child=kid, kind="ICPC", date=date(2019, 1, 9), section47=s47s[0]
    )
    with transaction.atomic():
        assert bulk.delete_ids(jm.Section47, [s.pk for s in s47s]) == 2
    assert not jm.Section47.objects.exists() and not jm.Conference.objects.exists()
    rows = [(jm.Section47, s.pk) for s in s47s] + [(jm.Conference, conf.pk)]
    for model, pk in rows:
        kept = model.history.filter(id=pk).order_by("history_id")
        assert list(kept.values_list("history_type", flat=True)) == ["+", "-"]


def test_rows_keep_datetimes_blanks_and_nulls_as_the_orm_would():
    at = [
        timezone.make_aware(datetime(2019, 6, 1, 0, 0)),  # BST: 31 May 23:00 UTC
        timezone.make_aware(datetime(2019, 1, 5, 9, 30, 15, 250)),
    ]
    kid = jm.Child.objects.create(la_child_id="D1", sex="2", date_of_birth=date(2014, 5, 5))
    frame = pl.DataFrame(
        {
            "child_id": [kid.pk, kid.pk],
            "received_at": at,
            "contact_source": ["6", "2A"],
            "summary": ["", "Worried neighbour"],
            "decided_at": [None, at[1]],
        }
    )
    ids = bulk.insert_frame(jm.Contact, frame)
    for when, pk in zip(at, ids, strict=True):
        assert jm.Contact.objects.get(received_at=when).pk == pk
    first = jm.Contact.objects.get(pk=ids[0])
    assert (first.summary, first.decided_at, first.source) == ("", None, "recorded")
    assert jm.Contact.history.get(id=ids[1]).received_at == at[1]


def test_a_model_without_history_gets_none():
    ids = bulk.insert_frame(
        ReturnItem, pl.DataFrame({"row": ["x"], "row_id": [1], "name": ["n"], "value": ["v"]})
    )
    assert bulk.history_model(ReturnItem) is None
    assert bulk.write_history(ReturnItem, "+", ids) == 0
    assert bulk.update_frame(ReturnItem, pl.DataFrame({"id": ids, "value": ["w"]})) == 1
    assert ReturnItem.objects.get().value == "w"


def test_the_load_cache_is_given_back_afterwards():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL has no per-connection page cache to size")
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        before = cur.fetchone()[0]
        with bulk.big_cache(64):
            cur.execute("PRAGMA cache_size")
            assert cur.fetchone()[0] == -64 * 1024
        cur.execute("PRAGMA cache_size")
        assert cur.fetchone()[0] == before
