"""Annex A: the workbook's lists, export from the record, and export -> import round trip."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from safeguard.journey import models as jm
from safeguard.returns.annex_a import export, spec, workbook
from safeguard.returns.annex_a.codec import CODEC
from safeguard.returns.codec import codec_for

AS_AT = date(2019, 6, 30)
SOURCE = "annex-a:2019-06-30"


def _rows(df):
    return sorted(df.iter_rows(), key=lambda r: tuple("" if v is None else str(v) for v in r))


def test_look_back_is_six_months_to_the_as_at_date_inclusive():
    # 30/06/2019 back 6 months is 30/12/2018; the period starts the day after.
    assert export.period("List 1", AS_AT) == (date(2018, 12, 31), AS_AT)
    # 31/08/2019 back 6 months: no 31 February -> 28/02/2019, so from 01/03/2019.
    assert export.months_before(date(2019, 8, 31), 6) == date(2019, 3, 1)
    assert export.period("List 10", AS_AT) == (date(2018, 7, 1), AS_AT)


def _messy_workbook(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "List 1 - Contacts"
    ws.append(["Annex A list 1: contacts in the last six months"])
    ws.append([])
    ws.append([h.upper() for h in spec.LISTS["List 1"]])
    ws.append(
        [
            "K1",
            "Male",
            "WBRI",
            datetime(2010, 5, 1),
            9,
            datetime(2019, 2, 3),
            "a) 1A: Individual - family member",
        ]
    )
    ws.append(["K2", "b) Female", "WBRI", "01/05/2010", 9, "31/02/2019", "2A"])
    ws.append([None, "b) Female", "WBRI", "01/05/2010", 9, "01/03/2019", "2A"])
    ws.append(["K3", "Woman", "WBRI", "01/05/2010", 9, "01/03/2019", "ZZ"])
    wb.save(path)


def test_reader_finds_the_header_normalises_values_and_reports_bad_rows(tmp_path):
    path = tmp_path / "a.xlsx"
    _messy_workbook(path)
    result = codec_for("annex-a").read([path])
    l1 = result.frames["List 1"]
    assert l1.rows() == [("K1", "a) Male", "WBRI", date(2010, 5, 1), 9, date(2019, 2, 3), "1A")]
    got = {(p.location, p.field, p.value, p.rule) for p in result.problems}
    assert got == {
        ("List 1 - Contacts!row 5", "Date of Contact", "31/02/2019", workbook.BAD_DATE),
        ("List 1 - Contacts!row 6", "Child Unique ID", "", workbook.NO_ID),
        ("List 1 - Contacts!row 7", "Gender", "Woman", workbook.BAD_VALUE),
        ("List 1 - Contacts!row 7", "Contact Source", "ZZ", workbook.BAD_VALUE),
    }
    # Only the list the workbook holds is read (an absent list is not an empty one), and the
    # rows set aside are named by list and child, so a load never takes them for rows dropped.
    assert set(result.frames) == {"List 1", spec.SET_ASIDE}
    assert result.frames[spec.SET_ASIDE].rows() == [
        ("List 1", "K2"),
        ("List 1", None),
        ("List 1", "K3"),
    ]


def _record():
    k1 = jm.Child.objects.create(
        la_child_id="K1",
        sex="2",
        date_of_birth=date(2010, 5, 1),
        ethnicity="WBRI",
        disabilities=["NONE"],
    )
    k2 = jm.Child.objects.create(
        la_child_id="K2", sex="1", date_of_birth=date(2001, 2, 10), ethnicity="BAFR"
    )
    k3 = jm.Child.objects.create(
        la_child_id="K3",
        sex="1",
        date_of_birth=date(2016, 1, 1),
        ethnicity="MWBC",
        disabilities=["LD"],
    )
    jm.Contact.objects.create(
        child=k1, contact_source="2A", received_at=timezone.make_aware(datetime(2019, 2, 3, 10, 40))
    )
    jm.Contact.objects.create(
        child=k1, contact_source="6", received_at=timezone.make_aware(datetime(2018, 12, 30, 9, 0))
    )  # before the six months: not listed
    jm.EarlyHelpEpisode.objects.create(
        child=k1,
        start_date=date(2019, 1, 10),
        end_date=date(2019, 3, 1),
        lead_professional="Family hub",
    )
    ref = jm.Referral.objects.create(
        child=k1, referral_date=date(2019, 3, 5), referral_source="2A", primary_need="N1"
    )
    jm.Referral.objects.create(
        child=k1,
        referral_date=date(2019, 1, 5),
        referral_source="6",
        referral_nfa=True,
        closure_date=date(2019, 1, 5),
        reason_for_closure="RC8",
    )
    jm.Assessment.objects.create(
        referral=ref, child=k1, start_date=date(2019, 3, 6), authorisation_date=date(2019, 4, 10)
    )
    jm.Visit.objects.create(child=k1, date=date(2019, 3, 20), kind="CIN")
    s47 = jm.Section47.objects.create(
        referral=ref, child=k1, strategy_discussion_date=date(2019, 3, 7)
    )
    jm.Conference.objects.create(
        child=k1, kind="ICPC", date=date(2019, 3, 25), outcome="CPP", section47=s47
    )
    plan = jm.ChildProtectionPlan.objects.create(
        referral=ref,
        child=k1,
        start_date=date(2019, 3, 25),
        initial_category="NEG",
        latest_category="EMO",
        previous_plans=1,
    )
    jm.Visit.objects.create(child=k1, date=date(2019, 5, 1), kind="CP", seen_alone=True)
    jm.Conference.objects.create(child=k1, kind="RCPC", date=date(2019, 6, 10), cp_plan=plan)
    jm.CareLeaverContact.objects.create(
        child=k2, date=date(2019, 5, 1), in_touch="YES", activity="F2", accommodation="U1"
    )
    ep = {"child": k3, "category_of_need": "N1", "placement_provider": "PR1"}
    jm.CareEpisode.objects.create(
        start_date=date(2018, 6, 1),
        end_date=date(2019, 1, 15),
        reason_new_episode="S",
        legal_status="C2",
        placement_type="U6",
        reason_ended="X1",
        **ep,
    )
    jm.CareEpisode.objects.create(
        start_date=date(2019, 1, 15),
        end_date=date(2019, 5, 1),
        reason_new_episode="L",
        legal_status="E1",
        placement_type="U6",
        reason_ended="X1",
        **ep,
    )
    jm.CareEpisode.objects.create(
        start_date=date(2019, 5, 1),
        reason_new_episode="P",
        legal_status="E1",
        placement_type="A5",
        **ep,
    )
    jm.LookedAfterReview.objects.create(child=k3, date=date(2019, 6, 1))
    jm.Visit.objects.create(child=k3, date=date(2019, 6, 5), kind="CLA")
    jm.MissingEpisode.objects.create(child=k3, kind="M", start_date=date(2019, 2, 1))
    jm.Adoption.objects.create(
        child=k3,
        decision_date=date(2018, 11, 1),
        placement_order_date=date(2019, 1, 15),
        match_date=date(2019, 4, 1),
        placed_date=date(2019, 5, 1),
    )
    # K3's adopters, matched 01/04/2019; and an adopter who withdrew on 01/05/2018, before
    # List 11's twelve months (from 01/07/2018): not listed.
    jm.Adopter.objects.create(
        adopter_id="AD1",
        family_id="FAM1",
        sex="2",
        ethnicity="WBRI",
        fostering_for_adoption=True,
        enquiry_date=date(2018, 3, 1),
        approval_date=date(2018, 12, 1),
        match_date=date(2019, 4, 1),
        placed_date=date(2019, 5, 1),
        children_placed=1,
    )
    jm.Adopter.objects.create(
        adopter_id="AD9",
        sex="1",
        enquiry_date=date(2018, 1, 10),
        left_date=date(2018, 5, 1),
        leaving_reason="Adopter withdrew",
    )


@pytest.mark.django_db
def test_export_builds_each_list_from_the_record():
    _record()
    lists = CODEC.from_record(as_at=AS_AT)
    assert {n: df.columns for n, df in lists.items()} == spec.LISTS
    assert lists["List 1"].select(
        "Child Unique ID", "Date of Contact", "Contact Source"
    ).rows() == [("K1", date(2019, 2, 3), "2A")]
    # Two referrals of K1 within 12 months of 05/03/2019: 05/01 and 05/03.
    l3 = lists["List 3"].sort("Date of referral")
    assert l3.select(
        "Date of referral", "Referral NFA?", "Number of Referrals in Last 12 Months"
    ).rows() == [(date(2019, 1, 5), "Yes", 1), (date(2019, 3, 5), "No", 2)]
    l4 = lists["List 4"].row(0, named=True)
    assert l4["Child Seen During Continuous Assessment"] == "Yes"
    assert l4["Was the child assessed as requiring LA children's social care support?"] == "Yes"
    assert l4["Does the Child have a Disability"] == "No"
    l6 = dict(lists["List 6"].select("CIN Start Date", "Case Status").rows())
    assert l6 == {
        date(2019, 1, 5): "e) Closed episode",
        date(2019, 3, 5): "b) Child Protection plan",
    }
    l7 = lists["List 7"].row(0, named=True)
    assert (
        l7["Latest Category of Abuse"],
        l7["Date of the Last Statutory Visit"],
        l7["Was the Child Seen Alone?"],
        l7["Date of latest review conference"],
    ) == ("Emotional abuse", date(2019, 5, 1), "Yes", date(2019, 6, 10))
    l8 = lists["List 8"].row(0, named=True)
    # Period of care from 01/06/2018; E1 since 15/01/2019; placement A5 since 01/05/2019;
    # placements in the last 12 months: U6 (01/06/2018-) and A5 = 2 (the L episode is no move).
    assert (
        l8["Date Started to be Looked After"],
        l8["Start date of current legal status"],
        l8["Start Date of Most Recent Placement"],
        l8["Placement Type"],
        l8["Number of Placements in the Last 12 months"],
    ) == (date(2018, 6, 1), date(2019, 1, 15), date(2019, 5, 1), "A5", 2)
    assert l8["Does the Child have a Disability"] == "Yes"
    assert l8[spec.LISTS["List 8"][27]] == 1  # one missing episode in the 12 months
    l9 = lists["List 9"].row(0, named=True)
    assert (
        l9["Eligibility Category"],
        l9["Type of Accommodation"],
        l9["Suitability of Accommodation"],
        l9["LA in Touch"],
    ) == ("b) Former relevant", "U", "Suitable", "Yes")
    l10 = lists["List 10"].row(0, named=True)
    assert l10["Date the Child Entered Care"] == date(2018, 6, 1)
    l11 = lists["List 11"].row(0, named=True)
    assert lists["List 11"].height == 1
    assert (
        l11["Individual adopter identifier"],
        l11["Family identifier"],
        l11["Gender"],
        l11["Is the (prospective) adopter fostering for adoption?"],
        l11["Date adopter matched with child(ren)"],
        l11["No. of children placed"],
        l11["Date of leaving adoption process"],
    ) == ("AD1", "FAM1", "b) Female", "Yes", date(2019, 4, 1), 1, None)


@pytest.mark.django_db
def test_export_then_import_gives_the_same_lists(tmp_path):
    _record()
    first = CODEC.from_record(as_at=AS_AT)
    [path] = CODEC.write(first, tmp_path / "annex_a.xlsx")
    read = CODEC.read([path])
    assert read.problems == []
    for name in spec.LISTS:
        assert _rows(read.frames[name]) == _rows(first[name]), name
    # Empty the record of what the lists carry (keeping children, care episodes, missing
    # episodes and the CIN visit, which the lists do not load), then load the workbook.
    for model in (
        jm.Conference,
        jm.ChildProtectionPlan,
        jm.Section47,
        jm.Assessment,
        jm.Referral,
        jm.Contact,
        jm.EarlyHelpEpisode,
        jm.CareLeaverContact,
        jm.Adoption,
        jm.LookedAfterReview,
        jm.Adopter,
    ):
        model.objects.all().delete()
    jm.Visit.objects.exclude(kind="CIN").delete()
    summary = CODEC.to_record(read.frames, source=SOURCE)
    assert not summary.unchanged
    again = CODEC.from_record(as_at=AS_AT)
    # Contacts come back dated; K2's care leaver contact is dated on the as-at date now.
    for name in spec.LISTS:
        assert _rows(again[name]) == _rows(first[name]), name
    assert CODEC.to_record(read.frames, source=SOURCE).unchanged


@pytest.mark.django_db
def test_export_cells_are_escaped_and_sheets_carry_drop_downs(tmp_path):
    jm.Child.objects.create(la_child_id="=cmd()", sex="1", date_of_birth=date(2010, 1, 1))
    k = jm.Child.objects.get()
    jm.EarlyHelpEpisode.objects.create(
        child=k, start_date=date(2019, 5, 1), lead_professional="@SUM(A1)"
    )
    [path] = CODEC.write(CODEC.from_record(as_at=AS_AT), tmp_path / "a.xlsx")
    wb = load_workbook(path)
    ws = wb["List 2"]
    assert [c.value for c in ws[1]] == spec.LISTS["List 2"]
    assert ws["A2"].value == "'=cmd()" and ws["H2"].value == "'@SUM(A1)"
    # Read back, the guard comes off: the child keeps its ID.
    back = CODEC.read([path]).frames["List 2"]
    assert back.select("Child Unique ID", "Organisation completing assessment").rows() == [
        ("=cmd()", "@SUM(A1)")
    ]
    assert ws["F2"].number_format == "dd/mm/yyyy"
    gender = [dv for dv in wb["List 1"].data_validations.dataValidation if "B2" in str(dv.sqref)]
    assert gender and gender[0].type == "list"
    assert [wb[n].title for n in spec.LISTS] == list(spec.LISTS)


def test_as_at_date_is_read_from_the_source_or_the_latest_event():
    from safeguard.returns.annex_a.load import as_at_of

    lists = {n: pl.DataFrame(schema=spec.schema(n)) for n in spec.LISTS}
    lists["List 3"] = pl.DataFrame(
        {"Date of referral": [date(2019, 5, 2), date(2019, 6, 3)]},
        schema_overrides={"Date of referral": pl.Date},
    ).select(
        [
            pl.col(c) if c == "Date of referral" else pl.lit(None, dtype=t).alias(c)
            for c, t in spec.schema("List 3").items()
        ]
    )
    assert as_at_of("annex-a:2019-06-30", lists) == AS_AT
    assert as_at_of("annex-a", lists) == date(2019, 6, 3)


def test_a_zip_bomb_posing_as_a_workbook_is_refused(tmp_path):
    import zipfile

    from safeguard.returns import safety
    from safeguard.returns.codec import ReturnRefused

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(ReturnRefused) as refused:
        CODEC.read([path])
    assert refused.value.problems[0].rule.startswith(safety.ZIP_BOMB.split("{")[0])
