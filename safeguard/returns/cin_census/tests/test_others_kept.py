"""A corrected census replaces only the census's own rows: rows of other sources hung on them
(Annex A's, recorded in Safeguard) are moved onto the new census rows, or what they hang on is
kept and reported (`others.py`).

The record: census 2019 for C1, a referral of 1 May 2018 with a S47 of 3 May and a CP plan of
21 May. An Annex A workbook as at 30 June 2019 lists an assessment of 10 June (hung on the
census referral), the census's S47 with an ICPC of 25 May (the conference hangs on the census
S47), the census's plan with a review of 20 August (on the census plan) and a plan of its own
from 1 October with a review of 1 December (on the census referral). A worker records an
assessment of 1 September on the census referral.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.db import transaction

from safeguard.journey import models as jm
from safeguard.journey.models import RECORDED
from safeguard.quality.models import Authorisation
from safeguard.returns import importing
from safeguard.returns.annex_a.load import to_record as annex_to_record
from safeguard.returns.cin_census.others import KEPT, MOVED
from safeguard.returns.models import ImportLog
from safeguard.workforce.models import Worker

from ...annex_a.tests.lists import lists, person
from ...tests.test_import_streamed import pieces
from ..tests.test_reader import census, child
from ..tests.test_record import _write

pytestmark = pytest.mark.django_db

JUNE = "annex-a:2019-06-30"
C1 = person("C1", born=date(2010, 1, 1))


def _episode(referral: str, *, s47: str = "2018-05-03", closed: str = "") -> str:
    close = f"<CINclosureDate>{closed}</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>"
    return (
        f"<CINdetails><CINreferralDate>{referral}</CINreferralDate><ReferralSource>1A"
        f"</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>{close if closed else ''}"
        f"<Section47><S47ActualStartDate>{s47}</S47ActualStartDate>"
        "<ICPCnotRequired>false</ICPCnotRequired></Section47><ReferralNFA>false</ReferralNFA>"
        "<ChildProtectionPlans><CPPstartDate>2018-05-21</CPPstartDate>"
        "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>"
        "<LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>"
        "<NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans></CINdetails>"
    )


def _plan(start: date, review: date) -> dict:
    return C1 | {
        "Child Protection Plan Start Date": start,
        "Initial Category of Abuse": "Neglect",
        "Latest Category of Abuse": "Neglect",
        "Date of the Last Statutory Visit": review,
        "Was the Child Seen Alone?": "Yes",
        "Date of latest review conference": review,
        "Number of Previous Child Protection Plans": 0,
    }


def _annex() -> dict:
    return lists(
        {
            "List 4": [C1 | {"Continuous Assessment Start Date": date(2018, 6, 10)}],
            "List 5": [
                C1
                | {
                    "Strategy discussion initiating Section 47 Enquiry Start Date": date(
                        2018, 5, 3
                    ),
                    "Was an Initial Child Protection Conference deemed unnecessary?": "No",
                    "Date of Initial Child Protection Conference": date(2018, 5, 25),
                }
            ],
            "List 7": [
                _plan(date(2018, 5, 21), date(2018, 8, 20)),
                _plan(date(2018, 10, 1), date(2018, 12, 1)),
            ],
        }
    )


def _setup(tmp_path: Path) -> None:
    """The record of the module doc: census, then Annex A, then the recorded assessment."""
    importing.import_returns(
        "cin-census", [census(tmp_path, child("C1", details=_episode("2018-05-01")))]
    )
    annex_to_record(_annex(), source=JUNE)
    ref = jm.Referral.objects.get(source="cin-census:2019")
    jm.Assessment.objects.create(referral=ref, child=ref.child, start_date=date(2018, 9, 1))


def _reload(tmp_path: Path, details: str):
    path = _write(tmp_path / "corrected.xml", child("C1", details=details))
    return importing.import_returns("cin-census", [path]).outcomes[0].summary


def _others() -> list[tuple]:
    """Every row not of the census: (model, its own date, source, what it hangs on: the
    referral's date, or the S47's or plan's start, and that parent's source)."""
    out = [
        (m.__name__, getattr(r, on), r.source, r.referral.referral_date, r.referral.source)
        for m, on in ((jm.Assessment, "start_date"), (jm.ChildProtectionPlan, "start_date"))
        for r in m.objects.exclude(source__startswith="cin-census")
    ]
    for c in jm.Conference.objects.exclude(source__startswith="cin-census"):
        parent = c.section47 or c.cp_plan
        day = getattr(parent, "strategy_discussion_date", None) or parent.start_date
        out.append(("Conference", c.date, c.source, day, parent.source))
    return sorted(out)


def _expected(referral: date, s47: date) -> list[tuple]:
    census = "cin-census:2019"
    return sorted(
        [
            ("Assessment", date(2018, 6, 10), JUNE, referral, census),
            ("Assessment", date(2018, 9, 1), RECORDED, referral, census),
            ("ChildProtectionPlan", date(2018, 10, 1), JUNE, referral, census),
            ("Conference", date(2018, 5, 25), JUNE, s47, census),
            ("Conference", date(2018, 8, 20), JUNE, date(2018, 5, 21), census),
            ("Conference", date(2018, 12, 1), JUNE, date(2018, 10, 1), JUNE),
        ]
    )


def test_the_setup_hangs_other_rows_on_the_census(tmp_path):
    """What the cases below start from is as the module doc says."""
    _setup(tmp_path)
    assert _others() == _expected(date(2018, 5, 1), date(2018, 5, 3))


def test_corrected_census_moves_other_rows_onto_its_new_rows(tmp_path):
    _setup(tmp_path)
    old_ref = jm.Referral.objects.get(source="cin-census:2019").pk
    summary = _reload(tmp_path, _episode("2018-05-01", closed="2019-02-01"))
    assert summary.replaced == {"Referral": 1, "Section47": 1, "ChildProtectionPlan": 1}
    # The annex and recorded assessments and the annex plan were on the referral; the ICPC on
    # the S47, the 20 August review on the census plan. The 1 December review hangs on the
    # annex's own plan, which stays where it is: not moved.
    moved = {k: n for k, n in summary.rows_written.items() if "moved" in k}
    assert moved == {
        MOVED.format(model="Assessment"): 2,
        MOVED.format(model="ChildProtectionPlan"): 1,
        MOVED.format(model="Conference"): 2,
    }
    assert _others() == _expected(date(2018, 5, 1), date(2018, 5, 3))
    new_ref = jm.Referral.objects.get()
    assert new_ref.pk != old_ref and new_ref.closure_date == date(2019, 2, 1)
    assert jm.Visit.objects.count() == 2  # hung on the child alone: untouched
    # History: each moved row's "~" with its new parent, the old referral's "-".
    moved_rows = jm.Assessment.history.filter(history_type="~")
    assert sorted(h.referral_id for h in moved_rows) == [new_ref.pk, new_ref.pk]
    assert jm.Referral.history.filter(history_type="-").get().id == old_ref


def test_census_with_corrected_dates_moves_rows_by_their_own_dates(tmp_path):
    _setup(tmp_path)
    # The referral was on 2 May, the S47 on 4 May: no new row has the old one's date, so each
    # row goes to the latest new one on or before its own date (the plan's start is the same).
    summary = _reload(tmp_path, _episode("2018-05-02", s47="2018-05-04"))
    assert summary.replaced == {"Referral": 1, "Section47": 1, "ChildProtectionPlan": 1}
    assert _others() == _expected(date(2018, 5, 2), date(2018, 5, 4))
    assert not [k for k in summary.rows_written if "kept" in k]


def test_row_with_no_new_parent_keeps_the_old_one_and_says_so(tmp_path):
    _setup(tmp_path)
    # The referral now dates from 1 July: the 10 June assessment (annex) has no referral on or
    # before it, so the old referral stays for it; the other rows move to the new referral.
    # The S47's ICPC moves to the new S47 (3 May, the same date); the old S47 goes.
    summary = _reload(tmp_path, _episode("2018-07-01"))
    assert summary.rows_written[KEPT.format(model="Referral")] == 1
    assert summary.replaced == {"Section47": 1, "ChildProtectionPlan": 1}
    refs = sorted(jm.Referral.objects.values_list("referral_date", "source"))
    assert refs == [(date(2018, 5, 1), "cin-census:2019"), (date(2018, 7, 1), "cin-census:2019")]
    hung = dict(jm.Assessment.objects.values_list("start_date", "referral__referral_date"))
    assert hung == {date(2018, 6, 10): date(2018, 5, 1), date(2018, 9, 1): date(2018, 7, 1)}
    # The kept referral's own census rows are replaced all the same.
    assert not jm.Section47.objects.filter(referral__referral_date=date(2018, 5, 1)).exists()
    assert ImportLog.objects.latest("imported_at").summary[KEPT.format(model="Referral")] == 1


def test_first_census_over_a_record_of_other_sources_moves_nothing(tmp_path):
    importing.import_returns("cin-census", [census(tmp_path, child("C1"))])
    annex_to_record(_annex(), source=JUNE)
    # A census for another child: C1's rows are not its, nothing to replace or move.
    path = _write(tmp_path / "c2.xml", child("C2", details=_episode("2018-05-01")))
    summary = importing.import_returns("cin-census", [path]).outcomes[0].summary
    assert summary.replaced == {}
    assert not [k for k in summary.rows_written if "moved" in k or "kept" in k]


def _state() -> dict:
    log = ImportLog.objects.latest("imported_at")
    return {"others": _others(), "log": (log.summary, log.replaced)}


def test_streamed_reload_moves_what_the_whole_one_moves(tmp_path, monkeypatch):
    _setup(tmp_path)
    # Children D1.. in pieces of 2-3 around C1, so that C1's piece is not the first.
    extra = [child(f"D{i}") for i in range(4)]
    path = _write(
        tmp_path / "corrected.xml",
        *extra[:3],
        child("C1", details=_episode("2018-05-02", s47="2018-05-04")),
        extra[3],
    )
    with transaction.atomic():
        importing.import_returns("cin-census", [path])
        whole = _state()
        transaction.set_rollback(True)
    pieces(monkeypatch)
    importing.import_returns("cin-census", [path])
    assert _state() == whole
    assert whole["others"] == _expected(date(2018, 5, 2), date(2018, 5, 4))


def test_recorded_authorisation_keeps_its_links_to_the_corrected_rows(tmp_path):
    # An authorisation recorded against the census referral and the census's assessment
    # (2 May): deleting them would set its links to null; they follow the new rows instead.
    day = _episode("2018-05-01").replace(
        "<Section47>",
        "<Assessments><AssessmentActualStartDate>2018-05-02</AssessmentActualStartDate>"
        "</Assessments><Section47>",
    )
    importing.import_returns("cin-census", [census(tmp_path, child("C1", details=day))])
    ref, ass = jm.Referral.objects.get(), jm.Assessment.objects.get()
    boss = Worker.objects.create(name="Boss", role="TM", start_date=date(2015, 1, 1))
    auth = Authorisation.objects.create(
        child=ref.child,
        kind="REFERRAL_DECISION",
        authorised_by=boss,
        authorised_at=datetime(2018, 5, 3, 12, tzinfo=UTC),
        referral=ref,
        assessment=ass,
    )
    summary = _reload(tmp_path, day.replace("<ReferralNFA>false", "<ReferralNFA>true"))
    assert summary.replaced["Referral"] == 1 and summary.replaced["Assessment"] == 1
    assert summary.rows_written[MOVED.format(model="Authorisation")] == 2  # its two links
    auth.refresh_from_db()
    assert (auth.referral, auth.assessment) == (
        jm.Referral.objects.get(),
        jm.Assessment.objects.get(),
    )
    assert auth.referral.referral_nfa is True
