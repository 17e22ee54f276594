"""Annex A List 11: adopters read from a workbook, loaded into the record and exported again."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import Workbook

from safeguard.journey import models as jm
from safeguard.returns.annex_a import spec, workbook
from safeguard.returns.annex_a.codec import CODEC

AS_AT = date(2026, 9, 30)  # List 11's twelve months: 01/10/2025 .. 30/09/2026
SOURCE = "annex-a:2026-09-30"
COLS = spec.LISTS["List 11"]

# AP1 was approved (20/05/2026) and matched (01/07/2026), fostering for adoption; AP2 withdrew
# on 05/12/2025 after stage 1 began. Written as a council's case system might: "Female", "N".
AP1 = [
    "AP1", "FAM1", "Female", "WBRI", "No", "Y",
    datetime(2025, 11, 3), "20/11/2025", "15/01/2026", "16/01/2026", "30/04/2026",
    "16/01/2026", "20/05/2026", "01/07/2026", None, None, None, None, None,
]  # fmt: skip
AP2 = [
    "AP2", "FAM2", "a) Male", "ABAN", "Yes", None,
    "10/10/2025", "20/10/2025", None, None, None,
    None, None, None, None, None, None, "05/12/2025", "Adopter withdrew",
]  # fmt: skip


def _workbook(path, *rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "List 11 - Adopters"
    ws.append(["Annex A list 11: adopters"])
    ws.append(COLS)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _read(path):
    result = CODEC.read([path])
    assert result.problems == []
    return result.frames


def _rows(df):
    return sorted(df.rows(), key=lambda r: r[0])


@pytest.mark.django_db
def test_two_adopters_load_and_export_with_list_11_unchanged(tmp_path):
    frames = _read(_workbook(tmp_path / "a.xlsx", AP1, AP2))
    summary = CODEC.to_record(frames, source=SOURCE)
    assert summary.rows_written["Adopter"] == 2
    assert summary.children == 0  # adopters are not children
    ap1, ap2 = jm.Adopter.objects.order_by("adopter_id")
    assert (ap1.sex, ap1.fostering_for_adoption, ap1.approval_date, ap1.match_date) == (
        "2",
        True,
        date(2026, 5, 20),
        date(2026, 7, 1),
    )
    assert (ap1.left_date, ap1.leaving_reason, ap1.source) == (None, "", SOURCE)
    assert (ap2.sex, ap2.ethnicity, ap2.fostering_for_adoption) == ("1", "ABAN", None)
    assert (ap2.left_date, ap2.leaving_reason) == (date(2025, 12, 5), "Adopter withdrew")
    back = CODEC.from_record(as_at=AS_AT)["List 11"]
    assert _rows(back) == _rows(frames["List 11"])
    assert back.row(0)[:6] == ("AP1", "FAM1", "b) Female", "WBRI", "No", "Yes")
    again = CODEC.to_record(frames, source=SOURCE)
    assert again.unchanged and again.rows_written["Adopter"] == 0


@pytest.mark.django_db
def test_a_later_workbook_corrects_the_adopter_with_the_same_identifier(tmp_path):
    CODEC.to_record(_read(_workbook(tmp_path / "a.xlsx", AP1, AP2)), source=SOURCE)
    # AP1 has now had a child placed (01/09/2026).
    placed = [*AP1[:14], "01/09/2026", 1, *AP1[16:]]
    later = "annex-a:2026-10-31"
    summary = CODEC.to_record(_read(_workbook(tmp_path / "b.xlsx", placed)), source=later)
    assert summary.rows_written["Adopter"] == 1
    ap1 = jm.Adopter.objects.get(adopter_id="AP1")
    assert (ap1.placed_date, ap1.children_placed) == (date(2026, 9, 1), 1)
    assert ap1.source == SOURCE  # matched, not a new adopter
    assert jm.Adopter.objects.count() == 2


@pytest.mark.django_db
def test_the_exported_list_holds_the_adopters_in_its_twelve_months():
    def adopter(ident, **dates):
        jm.Adopter.objects.create(adopter_id=ident, **dates)

    adopter("OUT-LEFT", enquiry_date=date(2025, 1, 5), left_date=date(2025, 9, 30))
    adopter("IN-ORDER", enquiry_date=date(2024, 6, 1), order_date=date(2025, 10, 1))
    adopter("IN-OPEN", enquiry_date=date(2024, 6, 1), approval_date=date(2025, 3, 1))
    adopter("IN-LEFT", enquiry_date=date(2026, 9, 1), left_date=date(2026, 9, 30))
    adopter("OUT-LATER", enquiry_date=date(2026, 10, 1))
    adopter("IN-NO-DATES")
    ids = CODEC.from_record(as_at=AS_AT)["List 11"].get_column(COLS[0]).to_list()
    assert ids == ["IN-LEFT", "IN-NO-DATES", "IN-OPEN", "IN-ORDER"]


def test_a_repeated_or_overlong_identifier_is_reported_by_row_field_and_rule(tmp_path):
    long_id = "A" * 37
    path = _workbook(tmp_path / "a.xlsx", AP1, AP2, [*AP2[:1], *AP1[1:]], [long_id, *AP2[1:]])
    frames, problems = workbook.read(path)
    got = {(p.location, p.field, p.rule) for p in problems}
    assert got == {
        ("List 11 - Adopters!row 5", COLS[0], workbook.DUPLICATE_ID),
        ("List 11 - Adopters!row 6", COLS[0], workbook.TOO_LONG.format(n=36)),
    }
    assert _rows(frames["List 11"].select(COLS[0], COLS[2])) == [
        ("AP1", "b) Female"),
        ("AP2", "a) Male"),
    ]


def test_the_record_holds_every_value_the_reader_accepts():
    for col, n in spec.MAX_LENGTH["List 11"].items():
        field = {
            COLS[0]: "adopter_id",
            COLS[1]: "family_id",
            "Disability": "disability",
            COLS[-1]: "leaving_reason",
        }[col]
        assert jm.Adopter._meta.get_field(field).max_length == n, col


@pytest.mark.django_db
def test_a_corrected_workbook_as_at_the_same_date_replaces_its_households_adopters(tmp_path):
    # The first workbook listed AP3 in AP1's household FAM1 by mistake; FAM1 also has AP4,
    # recorded in Safeguard, and AP5, from a workbook as at another date; FAM3's AP6 came with
    # the first workbook and is not in the corrected one at all.
    jm.Adopter.objects.create(adopter_id="AP4", family_id="FAM1")
    jm.Adopter.objects.create(adopter_id="AP5", family_id="FAM1", source="annex-a:2026-03-31")
    ap3 = ["AP3", "FAM1", "Male", "WBRI", "No", None, "01/12/2025", *[None] * 12]
    ap6 = ["AP6", "FAM3", "Male", "WBRI", "No", None, "01/12/2025", *[None] * 12]
    first = _read(_workbook(tmp_path / "a.xlsx", AP1, AP2, ap3, ap6))
    assert CODEC.to_record(first, source=SOURCE).rows_written["Adopter"] == 4
    corrected = _read(_workbook(tmp_path / "b.xlsx", AP1, AP2))
    summary = CODEC.to_record(corrected, source=SOURCE)
    assert summary.replaced == {"Adopter": 1}
    assert summary.rows_written["Adopter"] == 0 and not summary.unchanged
    ids = list(jm.Adopter.objects.values_list("adopter_id", flat=True))
    assert ids == ["AP1", "AP2", "AP4", "AP5", "AP6"]
    assert jm.Adopter.history.filter(adopter_id="AP3", history_type="-").count() == 1
    assert CODEC.to_record(corrected, source=SOURCE).unchanged


@pytest.mark.django_db
@pytest.mark.parametrize(
    "spoilt",
    [
        ["AP3", "FAM1", "Male", "WBRI", "No", None, "31/02/2026", *[None] * 12],  # a bad date
        [None, "FAM1", "Male", "WBRI", "No", None, "01/12/2025", *[None] * 12],  # no ID
    ],
    ids=["bad-date", "no-id"],
)
def test_an_adopter_row_set_aside_is_not_replaced(tmp_path, spoilt):
    # AP3 came with the first workbook, in AP1's household FAM1. The re-sent workbook still
    # lists FAM1 (AP1), but AP3's row cannot be read: set aside, it is not "no longer listed"
    # (and a row without an identifier could be anyone's in the household).
    ap3 = ["AP3", "FAM1", "Male", "WBRI", "No", None, "01/12/2025", *[None] * 12]
    CODEC.to_record(_read(_workbook(tmp_path / "a.xlsx", AP1, AP2, ap3)), source=SOURCE)
    read = CODEC.read([_workbook(tmp_path / "b.xlsx", AP1, AP2, spoilt)])
    assert len(read.problems) == 1
    summary = CODEC.to_record(read.frames, source=SOURCE)
    assert summary.replaced == {}
    assert jm.Adopter.objects.filter(adopter_id="AP3").exists()
    assert not jm.Adopter.history.filter(history_type="-").exists()
    note = "List 11 row(s) set aside (their earlier rows of this period kept)"
    assert summary.rows_written[note] == 1
