"""A newer workbook replaces only what it says: never rows it set aside, nor lists it lacks.

The workbooks are `test_replace.py`'s (K1: two contacts, a referral of 5 March with its list 6
row, an assessment from 6 March, a S47 with its ICPC, a CP plan with a visit and a review of 10
June; K2: a contact, a referral, a CP plan with a visit), written to XLSX and then spoilt with
openpyxl as a council's re-sent file might be. Each expected count is worked out in the test.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from openpyxl import load_workbook

from safeguard.journey import models as jm
from safeguard.returns.annex_a import workbook
from safeguard.returns.annex_a.codec import CODEC
from safeguard.returns.annex_a.load import SET_ASIDE_NOTE, to_record
from safeguard.returns.annex_a.replace import FAMILY, KEPT, LISTS_OF, in_scope
from safeguard.returns.importing import import_returns
from safeguard.returns.models import ImportLog

from .test_replace import CORRECTED, JUNE, _book, _snapshot

AUTHORISED = "Continuous Assessment Date of Authorisation"
STARTED = "Continuous Assessment Start Date"


def _spoilt(path, out, sheet: str, **cells) -> object:
    """The workbook at `path` saved as `out` with, on `sheet`, each named column's first data
    row set to the value given (None for a column name deletes that column)."""
    wb = load_workbook(path)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    for column, value in cells.items():
        at = header.index(column) + 1
        if value is None:
            ws.delete_cols(at)
        else:
            ws.cell(row=2, column=at, value=value)
    wb.save(out)
    return out


def _only(path, out, *sheets: str) -> object:
    """The workbook at `path` saved as `out` with only the sheets named (a partial re-send)."""
    wb = load_workbook(path)
    for ws in list(wb.worksheets):
        if ws.title not in sheets:
            wb.remove(ws)
    wb.save(out)
    return out


def _reimport(path):
    rejects = path.with_suffix(".rejects.csv")
    return import_returns(
        "annex-a", [path], as_at=date(2019, 6, 30), skip_invalid=True, rejects=rejects
    )


def _first(tmp_path, **book):
    first = workbook.write(_book(**book), tmp_path / "june.xlsx")
    import_returns("annex-a", [first], as_at=date(2019, 6, 30))
    return first


# --- rows set aside ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_row_set_aside_keeps_the_earlier_loads_row(tmp_path):
    first = _first(tmp_path)
    before = _snapshot()
    # The same workbook re-sent with a typo in K1's assessment row (31 February).
    spoilt = _spoilt(first, tmp_path / "v2.xlsx", "List 4", **{AUTHORISED: "31/02/2019"})
    report = _reimport(spoilt)
    assert [p.field for p in report.problems] == [AUTHORISED]
    # Everything else is listed as before: nothing replaced, nothing written, and the row set
    # aside is not taken for a row no longer listed.
    log = ImportLog.objects.order_by("pk").last()
    assert log.replaced == {}
    note = SET_ASIDE_NOTE.format(list="List 4")
    assert {k: n for k, n in log.summary.items() if n} == {note: 1}
    assert _snapshot() == before
    assert not jm.Assessment.history.filter(history_type="-").exists()
    assert any(f"1 {note}" in line for line in report.lines())


@pytest.mark.django_db
def test_a_row_set_aside_keeps_its_childs_rows_and_what_they_hang_on(tmp_path):
    _first(tmp_path)
    # The corrected workbook (K1's 1 March contact and K2's plan dropped, K1's referral on
    # 4 March not 5 March), re-sent with K1's assessment row unreadable.
    corrected = workbook.write(_book(**CORRECTED), tmp_path / "v2.xlsx")
    _spoilt(corrected, corrected, "List 4", **{AUTHORISED: "31/02/2019"})
    _reimport(corrected)
    log = ImportLog.objects.order_by("pk").last()
    # Replaced as for the corrected workbook read whole (test_replace.py), except the 5 March
    # referral: the assessment still on it was not read, so it is not moved off it, and the
    # referral it hangs on is kept.
    assert log.replaced == {"ChildProtectionPlan": 1, "Contact": 1, "Visit": 1}
    assert log.summary[KEPT.format(model="Referral")] == 1
    assessment = jm.Assessment.objects.get(child__la_child_id="K1")
    assert assessment.referral.referral_date == date(2019, 3, 5)
    # The S47 and the plan, read, moved onto the 4 March referral as before.
    for model in (jm.Section47, jm.ChildProtectionPlan):
        [row] = model.objects.filter(child__la_child_id="K1")
        assert row.referral.referral_date == date(2019, 3, 4), model


@pytest.mark.django_db
def test_a_sheet_set_aside_whole_keeps_every_row_of_its_list(tmp_path):
    first = _first(tmp_path)
    before = _snapshot()
    # List 4 re-sent without its authorisation column: the sheet cannot be read at all.
    spoilt = _spoilt(first, tmp_path / "v2.xlsx", "List 4", **{AUTHORISED: None})
    report = _reimport(spoilt)
    assert [p.field for p in report.problems] == [AUTHORISED]
    assert ImportLog.objects.order_by("pk").last().replaced == {}
    assert _snapshot() == before
    assert jm.Assessment.objects.filter(child__la_child_id="K1").count() == 1


@pytest.mark.django_db
def test_a_row_set_aside_without_its_childs_id_keeps_the_whole_list(tmp_path):
    _first(tmp_path)
    # Re-sent without K2's plan (so it would go), but with K1's plan row's child ID blanked:
    # whose row that was cannot be told, so no child's plans, visits or conferences go.
    dropped = workbook.write(_book(drop=frozenset({"K2 plan"})), tmp_path / "v2.xlsx")
    _spoilt(dropped, dropped, "List 7", **{"Child Unique ID": " "})
    _reimport(dropped)
    assert ImportLog.objects.order_by("pk").last().replaced == {}
    assert jm.ChildProtectionPlan.objects.filter(child__la_child_id="K2").count() == 1
    # Whereas read whole, the same workbook replaces K2's plan and its visit.
    _reimport(workbook.write(_book(drop=frozenset({"K2 plan"})), tmp_path / "v3.xlsx"))
    assert ImportLog.objects.order_by("pk").last().replaced == {
        "ChildProtectionPlan": 1,
        "Visit": 1,
    }


def test_which_childrens_rows_each_model_replaces():
    ids = pl.DataFrame({"Child Unique ID": ["K1", "K2"], "child_id": [1, 2]})
    read = {"List 3", "List 5", "List 7"}
    aside = pl.DataFrame({"list": ["List 7"], "id": ["K2"]})
    got = in_scope(ids, read, aside)
    # Referrals come from lists 3 and 6 (6 absent), visits from 7 and 8 (8 absent): none.
    # K2's list 7 row was set aside: not K2's plans, nor conferences (lists 5 and 7).
    assert {m.__name__: v for m, v in got.items() if v} == {
        "Conference": [1],
        "Section47": [1, 2],
        "ChildProtectionPlan": [1],
    }
    # A row set aside with no child ID: no child's rows of its list's models.
    anon = pl.DataFrame({"list": ["List 5"], "id": [None]}, schema={"list": pl.Utf8, "id": pl.Utf8})
    got = in_scope(ids, read, anon)
    assert {m.__name__: v for m, v in got.items() if v} == {"ChildProtectionPlan": [1, 2]}
    assert set(LISTS_OF) == set(FAMILY)


# --- lists absent from the workbook ---------------------------------------------------------


@pytest.mark.django_db
def test_a_workbook_of_one_list_replaces_that_list_only(tmp_path):
    to_record(_book(), source=JUNE)
    before = _snapshot()
    # Re-sent holding only list 4, K1's assessment starting on 7 March, not 6 March.
    path = workbook.write(_book(), tmp_path / "all.xlsx")
    _spoilt(path, path, "List 4", **{STARTED: "07/03/2019"})
    read = CODEC.read([_only(path, tmp_path / "list4.xlsx", "List 4")])
    assert set(read.frames) == {"List 4"}
    summary = to_record(read.frames, source=JUNE)
    # The 6 March assessment goes and the 7 March one comes; K1's contacts, referral, S47,
    # plan, visits and conferences, and all of K2's, are as they were.
    assert summary.children == 1
    assert summary.replaced == {"Assessment": 1}
    assert {k: n for k, n in summary.rows_written.items() if n} == {"Assessment": 1}
    after = _snapshot()
    assert after.pop("Assessment") == [("K1", date(2019, 3, 7), date(2019, 3, 5))]
    before.pop("Assessment")
    assert after == before


@pytest.mark.django_db
def test_an_empty_list_present_is_a_list_with_no_rows(tmp_path):
    # K1's second contact dropped and list 7 present but empty: both are no longer listed.
    to_record(_book(), source=JUNE)
    frames = _book(drop=frozenset({"K1 contact 1 Mar", "K1 plan", "K2 plan"}))
    summary = to_record(frames, source=JUNE)
    # Gone: the contact; both plans, their visits and K1's review conference.
    assert summary.replaced == {"Contact": 1, "ChildProtectionPlan": 2, "Visit": 2, "Conference": 1}
    # Without list 7 at all, only the contact goes.
    to_record(_book(), source=JUNE)
    frames = _book(drop=frozenset({"K1 contact 1 Mar"}))
    del frames["List 7"]
    assert to_record(frames, source=JUNE).replaced == {"Contact": 1}
