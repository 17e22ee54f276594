"""A newer Annex A workbook for the same as-at date replaces that period's rows, and says so.

The workbooks are hand-made (`lists.py`): two children, K1 (two contacts, a referral with its
list 6 row, an assessment, a S47 with its ICPC, a CP plan with a visit and a review) and K2 (a
contact, a referral, a CP plan with a visit). Each expected count is worked out in the test.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from safeguard.journey import models as jm
from safeguard.returns import bulk
from safeguard.returns.annex_a import workbook
from safeguard.returns.annex_a.codec import CODEC
from safeguard.returns.annex_a.load import to_record
from safeguard.returns.annex_a.replace import FAMILY, KEPT
from safeguard.returns.models import ImportLog
from safeguard.returns.tests import test_views

from .lists import lists, person

pytestmark = pytest.mark.django_db
analyst = test_views.analyst  # the returns page's fixture: a signed-in performance analyst

JUNE = "annex-a:2019-06-30"
SEPTEMBER = "annex-a:2019-09-30"
K1, K2 = person("K1"), person("K2", "a) Male", date(2015, 1, 1))
MARCH_5, MARCH_4 = date(2019, 3, 5), date(2019, 3, 4)


def _named_rows(k1_referral: date) -> dict[str, dict[str, dict]]:
    """The workbook's rows by list, each under a name a test can leave it out by."""
    return {
        "List 1": {
            "K1 contact 3 Feb": K1 | {"Date of Contact": date(2019, 2, 3), "Contact Source": "1A"},
            "K1 contact 1 Mar": K1 | {"Date of Contact": date(2019, 3, 1), "Contact Source": "2A"},
            "K2 contact": K2 | {"Date of Contact": date(2019, 4, 10), "Contact Source": "6"},
        },
        "List 3": {
            "K1 referral": K1
            | {"Date of referral": k1_referral, "Referral Source": "2A", "Referral NFA?": "No"},
            "K2 referral": K2
            | {
                "Date of referral": date(2019, 4, 12),
                "Referral Source": "1A",
                "Referral NFA?": "No",
            },
        },
        "List 6": {"K1 in need": K1 | {"CIN Start Date": k1_referral, "Primary Need Code": "N1"}},
        "List 4": {
            "K1 assessment": K1
            | {
                "Continuous Assessment Start Date": date(2019, 3, 6),
                "Continuous Assessment Date of Authorisation": date(2019, 4, 10),
            }
        },
        "List 5": {"K1 s47": K1 | _s47(date(2019, 3, 7), icpc=date(2019, 3, 25))},
        "List 7": {
            "K1 plan": K1
            | _plan(date(2019, 3, 25), "Neglect", visit=date(2019, 5, 1), review=date(2019, 6, 10)),
            "K2 plan": K2 | _plan(date(2019, 5, 20), "Physical abuse", visit=date(2019, 6, 1)),
        },
    }


def _s47(start: date, *, icpc: date) -> dict:
    return {
        "Strategy discussion initiating Section 47 Enquiry Start Date": start,
        "Was an Initial Child Protection Conference deemed unnecessary?": "No",
        "Date of Initial Child Protection Conference": icpc,
        "Did the Initial Child Protection Conference Result in a Child Protection Plan": "Yes",
    }


def _plan(start: date, category: str, *, visit: date, review: date | None = None) -> dict:
    return {
        "Child Protection Plan Start Date": start,
        "Initial Category of Abuse": category,
        "Latest Category of Abuse": category,
        "Date of the Last Statutory Visit": visit,
        "Was the Child Seen Alone?": "Yes",
        "Date of latest review conference": review,
        "Number of Previous Child Protection Plans": 0,
    }


def _book(*, k1_referral: date = MARCH_5, drop: frozenset[str] = frozenset()) -> dict:
    named = _named_rows(k1_referral)
    return lists(
        {n: [r for tag, r in rows.items() if tag not in drop] for n, rows in named.items()}
    )


#: The corrected workbook: K1's contact of 1 March and K2's CP plan were wrongly listed, and
#: K1's referral (and so its episode of need in list 6) was on 4 March, not 5 March.
CORRECTED = {"k1_referral": MARCH_4, "drop": frozenset({"K1 contact 1 Mar", "K2 plan"})}


def _contacts(la_id: str) -> list[tuple]:
    rows = jm.Contact.objects.filter(child__la_child_id=la_id).order_by("received_at")
    return [(timezone.localtime(c.received_at).date(), c.contact_source, c.source) for c in rows]


def _snapshot() -> dict[str, list[tuple]]:
    """Every row the lists load, as comparable values (ids and links left out)."""
    fields = {
        jm.Contact: ("child__la_child_id", "received_at", "contact_source"),
        jm.Referral: ("child__la_child_id", "referral_date", "primary_need", "referral_source"),
        jm.Assessment: ("child__la_child_id", "start_date", "referral__referral_date"),
        jm.Section47: ("child__la_child_id", "strategy_discussion_date", "referral__referral_date"),
        jm.Conference: ("child__la_child_id", "kind", "date", "outcome"),
        jm.ChildProtectionPlan: ("child__la_child_id", "start_date", "referral__referral_date"),
        jm.Visit: ("child__la_child_id", "date", "kind", "seen_alone"),
    }
    return {m.__name__: sorted(m.objects.values_list(*f)) for m, f in fields.items()}


def test_the_same_workbook_twice_changes_nothing():
    first = to_record(_book(), source=JUNE)
    assert not first.unchanged and first.replaced == {}
    before = _snapshot()
    again = to_record(_book(), source=JUNE)
    assert again.unchanged and again.replaced == {}
    assert {k: n for k, n in again.rows_written.items() if n} == {}
    assert _snapshot() == before


def test_a_corrected_workbook_replaces_what_it_no_longer_lists():
    importer = User.objects.create_user("importer")
    to_record(_book(), source=JUNE)
    k1_rows = {m: m.objects.filter(child__la_child_id="K1").count() for m in FAMILY}
    with bulk.attributed(importer, "corrected annex A"):
        summary = to_record(_book(**CORRECTED), source=JUNE)
    # Deleted: K1's 1 March contact; K1's referral of 5 March (its date was corrected); K2's
    # plan and its statutory visit (the same list 7 row). K2's plan had no review conference.
    assert summary.replaced == {"ChildProtectionPlan": 1, "Referral": 1, "Contact": 1, "Visit": 1}
    # Written: the referral of 4 March (inserted from list 3, then its list 6 need filled in:
    # two writes), and K1's assessment, S47 and plan moved onto it from the deleted referral.
    written = {k: n for k, n in summary.rows_written.items() if n}
    assert written == {"Referral": 2, "Assessment": 1, "Section47": 1, "ChildProtectionPlan": 1}
    assert not summary.unchanged
    assert [d for d, *_ in _contacts("K1")] == [date(2019, 2, 3)]
    assert _contacts("K2") == [(date(2019, 4, 10), "6", JUNE)]
    assert list(
        jm.Referral.objects.filter(child__la_child_id="K1").values_list(
            "referral_date", "primary_need", "source"
        )
    ) == [(MARCH_4, "N1", JUNE)]
    for model in (jm.Assessment, jm.Section47, jm.ChildProtectionPlan):
        [row] = model.objects.filter(child__la_child_id="K1")
        assert row.referral.referral_date == MARCH_4, model
    assert not jm.ChildProtectionPlan.objects.filter(child__la_child_id="K2").exists()
    assert list(jm.Visit.objects.values_list("child__la_child_id", "date")) == [
        ("K1", date(2019, 5, 1))
    ]
    # K1 lost a contact and a referral and gained a referral; nothing else of K1 was lost.
    after = {m: m.objects.filter(child__la_child_id="K1").count() for m in FAMILY}
    assert {m: after[m] - k1_rows[m] for m in FAMILY if after[m] != k1_rows[m]} == {jm.Contact: -1}
    gone = jm.Contact.history.filter(history_type="-")
    assert [(h.received_at.date(), h.history_user, h.history_change_reason) for h in gone] == [
        (date(2019, 3, 1), importer, "corrected annex A")
    ]
    assert jm.Referral.history.filter(history_type="-").get().referral_date == MARCH_5
    assert to_record(_book(**CORRECTED), source=JUNE).unchanged


def test_a_corrected_workbook_leaves_the_record_as_loading_it_alone_would():
    to_record(_book(), source=JUNE)
    to_record(_book(**CORRECTED), source=JUNE)
    replaced = _snapshot()
    for model in FAMILY:
        model.objects.all().delete()
    jm.Child.objects.all().delete()
    to_record(_book(**CORRECTED), source=JUNE)
    assert _snapshot() == replaced


def test_a_workbook_as_at_another_date_never_deletes_the_first_ones_rows():
    to_record(_book(), source=JUNE)
    before = _snapshot()
    summary = to_record(_book(**CORRECTED), source=SEPTEMBER)
    assert summary.replaced == {}
    after = _snapshot()
    for name, rows in before.items():
        assert set(rows) <= set(after[name]), name
    # Its new referral of 4 March is its own; the June rows keep their source and referral.
    assert list(
        jm.Referral.objects.filter(child__la_child_id="K1")
        .values_list("referral_date", "source")
        .order_by("referral_date")
    ) == [(MARCH_4, SEPTEMBER), (MARCH_5, JUNE)]
    assert jm.Assessment.objects.get().referral.referral_date == MARCH_5
    assert [s for *_, s in _contacts("K1")] == [JUNE, JUNE]


def test_children_not_in_the_corrected_workbook_are_untouched():
    to_record(_book(), source=JUNE)
    before = _snapshot()
    k2_only = frozenset(n for rows in _named_rows(MARCH_5).values() for n in rows if "K1" in n)
    summary = to_record(_book(drop=k2_only | {"K2 plan"}), source=JUNE)
    # K2's plan and its visit go; K1, absent from this workbook, keeps everything.
    assert summary.replaced == {"ChildProtectionPlan": 1, "Visit": 1}
    after = _snapshot()
    for name, rows in before.items():
        assert [r for r in after[name] if r[0] == "K1"] == [r for r in rows if r[0] == "K1"]


def test_rows_of_other_sources_are_kept_and_so_is_what_they_hang_on():
    k1 = jm.Child.objects.create(la_child_id="K1", sex="2", date_of_birth=date(2012, 4, 1))
    k2 = jm.Child.objects.create(la_child_id="K2", sex="1", date_of_birth=date(2015, 1, 1))
    at = timezone.make_aware(datetime(2019, 3, 1, 10, 40))
    jm.Contact.objects.create(child=k1, received_at=at, contact_source="2A")
    census = jm.Referral.objects.create(
        child=k2, referral_date=date(2019, 4, 12), referral_source="1A", source="cin-census:2019"
    )
    to_record(_book(), source=JUNE)
    # Matched, not copied: the recorded contact and the census referral are the workbook's.
    assert _contacts("K1") == [(date(2019, 2, 3), "1A", JUNE), (date(2019, 3, 1), "2A", "recorded")]
    assert jm.Referral.objects.filter(child=k2).get() == census
    annex_referral = jm.Referral.objects.get(child=k1)
    annex_contact = jm.Contact.objects.get(child=k1, source=JUNE)
    # Recorded in Safeguard afterwards: an assessment under the imported referral, and a
    # referral whose contact is the imported contact.
    mine = jm.Assessment.objects.create(
        referral=annex_referral, child=k1, start_date=date(2019, 4, 20)
    )
    later = jm.Referral.objects.create(
        child=k1, referral_date=date(2019, 5, 5), referral_source="6", contact=annex_contact
    )
    drop = frozenset({"K1 contact 3 Feb", "K1 contact 1 Mar", "K2 referral"})
    summary = to_record(_book(k1_referral=MARCH_4, drop=drop), source=JUNE)
    # The 5 March referral and the 3 February contact are no longer listed, but a recorded
    # assessment hangs on the one and a recorded referral points to the other: both kept.
    # The recorded 1 March contact and the census referral are not this period's: kept.
    assert summary.replaced == {}
    notes = {k: n for k, n in summary.rows_written.items() if "kept" in k}
    assert notes == {KEPT.format(model="Referral"): 1, KEPT.format(model="Contact"): 1}
    mine.refresh_from_db()
    later.refresh_from_db()
    assert mine.referral == annex_referral and later.contact == annex_contact
    assert jm.Contact.objects.filter(child=k1).count() == 2
    assert jm.Referral.objects.filter(child=k2).get() == census
    # The imported assessment still listed moved to the 4 March referral all the same.
    moved = jm.Assessment.objects.get(source=JUNE)
    assert moved.referral.referral_date == MARCH_4


def test_a_contact_recorded_later_on_a_listed_day_replaces_nothing():
    to_record(_book(), source=JUNE)
    k1 = jm.Child.objects.get(la_child_id="K1")
    at = timezone.make_aware(datetime(2019, 3, 1, 10, 40))
    jm.Contact.objects.create(child=k1, received_at=at, contact_source="2A")
    # The list's 1 March contact is still the period's own row, not the recorded one.
    for _ in range(3):
        assert to_record(_book(), source=JUNE).unchanged
    assert _contacts("K1") == [
        (date(2019, 2, 3), "1A", JUNE),
        (date(2019, 3, 1), "2A", JUNE),
        (date(2019, 3, 1), "2A", "recorded"),
    ]


def test_a_dropped_s47_takes_its_icpc_and_a_dropped_plan_is_kept_for_a_recorded_review():
    to_record(_book(), source=JUNE)
    plan = jm.ChildProtectionPlan.objects.get(child__la_child_id="K1")
    review = jm.Conference.objects.create(
        child=plan.child, kind="RCPC", date=date(2019, 6, 20), cp_plan=plan
    )
    summary = to_record(_book(drop=frozenset({"K1 s47", "K1 plan"})), source=JUNE)
    # Gone: the S47 and its ICPC (one list 5 row); the plan's imported review of 10 June and
    # its statutory visit (its list 7 row). The plan itself stays: a recorded review is on it.
    assert summary.replaced == {"Conference": 2, "Section47": 1, "Visit": 1}
    assert summary.rows_written[KEPT.format(model="ChildProtectionPlan")] == 1
    assert list(jm.Conference.objects.all()) == [review]
    assert jm.ChildProtectionPlan.objects.filter(pk=plan.pk).exists()
    assert not jm.Section47.objects.exists()
    # K2's plan and visit are still listed: untouched.
    assert jm.Visit.objects.get().child.la_child_id == "K2"


def test_the_reader_infers_the_as_at_date_and_the_load_stamps_it_on_new_rows(tmp_path):
    path = workbook.write(_book(), tmp_path / "annex.xlsx")
    read = CODEC.read([path])
    # The latest date in the lists: K1's review conference on 10 June 2019.
    assert read.as_at == date(2019, 6, 10)
    to_record(read.frames, source="annex-a")
    assert set(jm.Contact.objects.values_list("source", flat=True)) == {"annex-a:2019-06-10"}
    assert set(jm.Child.objects.values_list("source", flat=True)) == {"annex-a:2019-06-10"}


# --- the import command and the upload page ------------------------------------------------


def _import(tmp_path, name: str, frames: dict, *extra: str) -> tuple[int, str]:
    from safeguard.returns.tests.test_commands import main

    path = workbook.write(frames, tmp_path / name)
    code = main(["import", "annex-a", str(path), *extra])
    return code, path


def test_import_as_at_stated_replaces_and_reports_what_it_replaced(tmp_path, capsys):
    code, _ = _import(tmp_path, "june.xlsx", _book(), "--as-at", "2019-06-30")
    assert code == 0
    out = capsys.readouterr().out
    assert f"june.xlsx: as at 30 June 2019, as stated (the rows' source: {JUNE})." in out
    assert ImportLog.objects.get().source == JUNE
    assert set(jm.Contact.objects.values_list("source", flat=True)) == {JUNE}
    code, corrected = _import(tmp_path, "june-v2.xlsx", _book(**CORRECTED), "--as-at", "2019-06-30")
    assert code == 0
    out = capsys.readouterr().out
    assert (
        "june-v2.xlsx: replaced from an earlier load of the same period: "
        "1 ChildProtectionPlan, 1 Referral, 1 Contact, 1 Visit." in out
    )
    log = ImportLog.objects.order_by("pk").last()
    assert log.replaced == {"ChildProtectionPlan": 1, "Referral": 1, "Contact": 1, "Visit": 1}
    reason = f"import {JUNE} (import log {log.pk}, sha256 {log.sha256[:16]})"
    assert set(
        jm.Referral.history.filter(history_type="-").values_list("history_change_reason", flat=True)
    ) == {reason}
    # The same file again: nothing.
    from safeguard.returns.tests.test_commands import main

    assert main(["import", "annex-a", str(corrected), "--as-at", "2019-06-30"]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert ImportLog.objects.count() == 2


def test_import_without_as_at_infers_it_and_says_so(tmp_path, capsys):
    assert _import(tmp_path, "a.xlsx", _book())[0] == 0
    out = capsys.readouterr().out
    # The latest date in the lists is K1's review conference, 10 June 2019; the corrected
    # workbook keeps it, so it is the same period and replaces the first.
    inferred = "annex-a:2019-06-10"
    assert (
        f"a.xlsx: as at 10 June 2019, the latest date in its lists (the rows' source: {inferred})"
        in out
    )
    assert ImportLog.objects.get().source == inferred
    assert _import(tmp_path, "b.xlsx", _book(**CORRECTED))[0] == 0
    assert ImportLog.objects.order_by("pk").last().replaced == {
        "ChildProtectionPlan": 1,
        "Referral": 1,
        "Contact": 1,
        "Visit": 1,
    }


def test_the_same_workbook_as_at_a_stated_date_is_loaded_for_that_period(tmp_path, capsys):
    from safeguard.returns.tests.test_commands import main

    # The first workbook is inferred as at 10 June (K1's review conference).
    assert _import(tmp_path, "a.xlsx", _book())[0] == 0
    # Its correction drops K1's plan, which carried that review: inferred as at 1 June (K2's
    # visit), another period, so it replaces nothing.
    code, corrected = _import(tmp_path, "b.xlsx", _book(drop=frozenset({"K1 plan"})))
    assert code == 0
    assert ImportLog.objects.order_by("pk").last().source == "annex-a:2019-06-01"
    assert ImportLog.objects.order_by("pk").last().replaced == {}
    capsys.readouterr()
    # Stated as at 10 June, the same file is that period's correction: K1's plan, its visit
    # and its review conference go.
    assert main(["import", "annex-a", str(corrected), "--as-at", "2019-06-10"]) == 0
    out = capsys.readouterr().out
    assert "nothing changed" not in out
    log = ImportLog.objects.order_by("pk").last()
    assert (log.source, log.replaced) == (
        "annex-a:2019-06-10",
        {"Conference": 1, "ChildProtectionPlan": 1, "Visit": 1},
    )
    assert not jm.ChildProtectionPlan.objects.filter(child__la_child_id="K1").exists()
    # The same file as at the same stated date again: nothing.
    assert main(["import", "annex-a", str(corrected), "--as-at", "2019-06-10"]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert ImportLog.objects.count() == 3
    # A dry run says so too.
    assert main(["import", "annex-a", str(corrected), "--as-at", "2019-06-10", "--dry-run"]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert main(["import", "annex-a", str(corrected), "--as-at", "2019-06-30", "--dry-run"]) == 0
    assert "dry run, nothing written" in capsys.readouterr().out


def test_as_at_is_for_one_annex_a_workbook_only(tmp_path, capsys):
    from safeguard.returns.cin_census.tests.test_reader import census, child
    from safeguard.returns.tests.test_commands import main

    xml = census(tmp_path, child("C1"))
    assert main(["import", "cin-census", str(xml), "--as-at", "2019-06-30"]) == 2
    assert "An as-at date is for annex-a only" in capsys.readouterr().err
    first = workbook.write(_book(), tmp_path / "one" / "a.xlsx")
    workbook.write(_book(**CORRECTED), first.parent / "b.xlsx")
    assert main(["import", "annex-a", str(first.parent), "--as-at", "2019-06-30"]) == 2
    assert "import the 2 files one at a time" in capsys.readouterr().err
    assert not jm.Child.objects.exists() and not ImportLog.objects.exists()


def test_upload_page_loads_an_annex_a_workbook_as_at_its_inferred_date(client, analyst, tmp_path):
    from django.urls import reverse

    path = workbook.write(_book(), tmp_path / "annex.xlsx")
    page = test_views._upload(client, path.read_bytes(), name="annex.xlsx", kind="annex-a")
    assert b"as at 10 June 2019, the latest date in its lists" in page.content
    client.post(reverse("returns:confirm"))
    assert ImportLog.objects.get().source == "annex-a:2019-06-10"
    assert jm.Contact.objects.count() == 3


def _upload_as_at(client, path, as_at: str, kind: str = "annex-a"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    upload = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(
        reverse("returns:upload"), {"kind": kind, "files": upload, "as_at_date": as_at}
    )


def test_upload_page_takes_the_as_at_date_so_a_correction_replaces_its_period(
    client, analyst, tmp_path
):
    """The corrected workbook drops K1's contact of 3 February and the rows of CORRECTED; its
    latest date would be inferred the same, but the analyst states 30 June for both, as the
    command's --as-at does, and the second replaces the first's period."""
    from django.urls import reverse

    first = workbook.write(_book(), tmp_path / "june.xlsx")
    page = _upload_as_at(client, first, "2019-06-30")
    assert b"as at 30 June 2019, as stated" in page.content
    client.post(reverse("returns:confirm"))
    assert ImportLog.objects.get().source == JUNE
    corrected = workbook.write(_book(**CORRECTED), tmp_path / "june-v2.xlsx")
    _upload_as_at(client, corrected, "2019-06-30")
    client.post(reverse("returns:confirm"))
    log = ImportLog.objects.order_by("pk").last()
    assert log.source == JUNE
    assert log.replaced == {"ChildProtectionPlan": 1, "Referral": 1, "Contact": 1, "Visit": 1}


@pytest.mark.parametrize(
    ("as_at", "kind", "message"),
    [
        ("30/06/2019", "annex-a", b"The as-at date must be a date written as YYYY-MM-DD"),
        ("2019-06-30", "cin-census", b"An as-at date is for annex-a only"),
    ],
)
def test_upload_page_refuses_an_as_at_date_that_is_wrong_or_misplaced(
    client, analyst, tmp_path, as_at, kind, message
):
    path = workbook.write(_book(), tmp_path / "june.xlsx")
    page = _upload_as_at(client, path, as_at, kind=kind)
    assert page.status_code == 400
    assert message in page.content
    assert not jm.Child.objects.exists() and not ImportLog.objects.exists()


def test_upload_page_counts_the_uploads_not_a_server_folder_of_that_name(client, analyst):
    """An upload named like a folder where the server runs ("safeguard") is one file: the
    as-at check must not look at the server's folder (found in review: it answered with that
    folder's file count)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    upload = SimpleUploadedFile("safeguard", b"PK")
    page = client.post(
        reverse("returns:upload"),
        {"kind": "annex-a", "files": upload, "as_at_date": "2019-06-30"},
    )
    assert page.status_code == 400
    assert b"one at a time" not in page.content
    assert b"safeguard is not" in page.content  # refused for its name alone
