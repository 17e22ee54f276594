"""Loading a CIN census into the record and making it again: matching, replacing, scope."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.codes import cin
from safeguard.journey.models import Assessment, Child, Conference, Referral, Section47
from safeguard.returns.cin_census import reader, record
from safeguard.returns.importing import export_return, import_returns
from safeguard.returns.models import ImportLog

from .helpers import canonical
from .test_reader import FULL, HEADER, census, child


def _details(ref: str, closed: str | None = None, extra: str = "") -> str:
    close = (
        f"<CINclosureDate>{closed}</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>"
        if closed
        else ""
    )
    return (
        f"<CINdetails><CINreferralDate>{ref}</CINreferralDate><ReferralSource>1A"
        f"</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>{close}{extra}"
        "<ReferralNFA>false</ReferralNFA></CINdetails>"
    )


def _write(path: Path, *children: str, year: int = 2019) -> Path:
    header = HEADER.replace("2019", str(year))
    path.write_text(f"<Message>{header}<Children>{''.join(children)}</Children></Message>")
    return path


@pytest.mark.django_db
def test_full_child_lands_in_the_record(tmp_path):
    import_returns("cin-census", [census(tmp_path, child(details=FULL))])
    c = Child.objects.get(la_child_id="C1")
    assert (c.sex, c.ethnicity, c.source) == ("1", "WBRI", "cin-census:2019")
    ref = Referral.objects.get(child=c)
    assert (ref.referral_source, ref.reason_for_closure, ref.referral_nfa) == ("6", "RC7", False)
    assert Assessment.objects.get(child=c).factors == ["3A", "16A"]
    assert Section47.objects.get(child=c).strategy_discussion_date == date(2018, 5, 3)
    kinds = sorted(Conference.objects.filter(child=c).values_list("kind", "date"))
    # ICPC on the episode (20 May), ICPC of the S47 (21 May), two reviews of the plan.
    assert kinds == [
        ("ICPC", date(2018, 5, 20)),
        ("ICPC", date(2018, 5, 21)),
        ("RCPC", date(2018, 8, 20)),
        ("RCPC", date(2019, 1, 10)),
    ]
    log = ImportLog.objects.get()
    assert (log.kind, log.year, log.header["LEA"]) == ("cin-census", 2019, "201")


@pytest.mark.django_db
def test_existing_child_is_matched_not_duplicated(tmp_path):
    Child.objects.create(
        la_child_id="C1", first_name="Ada", sex="2", date_of_birth=date(2010, 1, 1)
    )
    import_returns("cin-census", [census(tmp_path, child())])
    c = Child.objects.get()
    assert (c.first_name, c.sex, c.source) == ("Ada", "1", "recorded")  # name kept, sex updated


@pytest.mark.django_db
def test_same_file_again_changes_nothing(tmp_path):
    path = census(tmp_path, child(details=FULL))
    import_returns("cin-census", [path])
    before = (Referral.objects.count(), Conference.objects.count())
    again = import_returns("cin-census", [path])
    assert again.outcomes[0].summary.unchanged
    assert (Referral.objects.count(), Conference.objects.count()) == before
    assert ImportLog.objects.count() == 1
    assert "nothing changed" in again.lines()[0]


@pytest.mark.django_db
def test_newer_return_for_the_period_replaces_and_says_what(tmp_path):
    first = _write(tmp_path / "a.xml", child("A", details=_details("2018-05-01")))
    import_returns("cin-census", [first])
    second = _write(tmp_path / "b.xml", child("A", details=_details("2018-05-01", "2019-01-31")))
    report = import_returns("cin-census", [second])
    assert report.outcomes[0].summary.replaced == {"Referral": 1}
    assert list(Referral.objects.values_list("closure_date", flat=True)) == [date(2019, 1, 31)]
    assert "replaced from an earlier load of the same period: 1 Referral" in report.lines()[1]


@pytest.mark.django_db
def test_later_year_keeps_episodes_closed_before_it_and_recorded_ones(tmp_path):
    # 2018-19 return: episode X closed 2018-06-30, episode Y open.
    old = _write(
        tmp_path / "2019.xml",
        child("A", details=_details("2018-05-01", "2018-06-30") + _details("2018-09-01")),
    )
    import_returns("cin-census", [old])
    kid = Child.objects.get()
    Referral.objects.create(child=kid, referral_date=date(2019, 5, 1), referral_source="6")
    # 2019-20 return: Y now closed. X (closed before 2019-04-01) is not in it and must stay;
    # the recorded referral of May 2019 is the council's own and must stay too.
    new = _write(
        tmp_path / "2020.xml", child("A", details=_details("2018-09-01", "2019-06-01")), year=2020
    )
    report = import_returns("cin-census", [new])
    assert report.outcomes[0].summary.replaced == {"Referral": 1}
    got = sorted(Referral.objects.values_list("referral_date", "closure_date", "source"))
    assert got == [
        (date(2018, 5, 1), date(2018, 6, 30), "cin-census:2019"),
        (date(2018, 9, 1), date(2019, 6, 1), "cin-census:2020"),
        (date(2019, 5, 1), None, "recorded"),
    ]


@pytest.mark.django_db
def test_census_year_scope():
    # 2018-19 runs 2018-04-01 to 2019-03-31; an episode is in if open on any day of it.
    kid = Child.objects.create(la_child_id="K", sex="1", date_of_birth=date(2010, 1, 1))
    cases = {
        (date(2018, 1, 1), date(2018, 3, 31)): False,  # closed the day before the year
        (date(2018, 1, 1), date(2018, 4, 1)): True,  # closed on its first day
        (date(2015, 6, 1), None): True,  # open since 2015
        (date(2019, 3, 31), None): True,  # referred on its last day
        (date(2019, 4, 1), None): False,  # referred the day after
    }
    for (ref, closed), _ in cases.items():
        Referral.objects.create(
            child=kid, referral_date=ref, closure_date=closed, referral_source="1A"
        )
    frames = record.from_record(year=2019)
    got = set(frames["CINdetails"]["CINreferralDate"].to_list())
    assert got == {ref for (ref, _), keep in cases.items() if keep}
    assert frames["ChildIdentifiers"]["LAchildID"].to_list() == ["K"]
    assert frames["ChildIdentifiers"]["GenderCurrent"].to_list() == ["1"]


@pytest.mark.django_db
def test_export_without_year_is_refused():
    with pytest.raises(ValueError):
        record.from_record(year=None)


# --- property: any small valid return comes back the same -----------------------------------

YEARS = st.sampled_from([2019, 2022, 2025])
DAY = st.integers(min_value=0, max_value=300)


def _day(year: int, n: int) -> str:
    return date.fromordinal(date(year - 1, 4, 1).toordinal() + n).isoformat()


@st.composite
def episodes(draw, year: int) -> str:
    start = draw(DAY)
    parts = [
        f"<CINreferralDate>{_day(year, start)}</CINreferralDate>",
        f"<ReferralSource>{draw(st.sampled_from(sorted(cin.REFERRAL_SOURCE.valid())))}"
        "</ReferralSource>",
        f"<PrimaryNeedCode>{draw(st.sampled_from(sorted(cin.PRIMARY_NEED.valid())))}"
        "</PrimaryNeedCode>",
    ]
    if draw(st.booleans()):
        parts.append(
            f"<CINclosureDate>{_day(year, start + 40)}</CINclosureDate>"
            "<ReasonForClosure>RC7</ReasonForClosure>"
        )
    if draw(st.booleans()):
        parts.append(f"<DateOfInitialCPC>{_day(year, start + 9)}</DateOfInitialCPC>")
    for i in range(draw(st.integers(0, 2))):
        factors = draw(
            st.lists(st.sampled_from(["1A", "3B", "16A", "20"]), max_size=3, unique=True)
        )
        fac = "".join(f"<AssessmentFactors>{f}</AssessmentFactors>" for f in factors)
        parts.append(
            f"<Assessments><AssessmentActualStartDate>{_day(year, start + i)}"
            "</AssessmentActualStartDate>"
            + (
                f"<FactorsIdentifiedAtAssessment>{fac}</FactorsIdentifiedAtAssessment>"
                if fac
                else ""
            )
            + "</Assessments>"
        )
    if year >= 2022 and draw(st.booleans()):
        parts.append(
            f"<CINPlanDates><CINPlanStartDate>{_day(year, start + 3)}"
            "</CINPlanStartDate></CINPlanDates>"
        )
    if draw(st.booleans()):
        icpc = (
            f"<DateOfInitialCPC>{_day(year, start + 5)}</DateOfInitialCPC>"
            if draw(st.booleans())
            else ""
        )
        parts.append(
            f"<Section47><S47ActualStartDate>{_day(year, start + 2)}"
            f"</S47ActualStartDate><InitialCPCtarget>{_day(year, start + 20)}"
            f"</InitialCPCtarget>{icpc}<ICPCnotRequired>"
            f"{draw(st.sampled_from(['true', 'false']))}</ICPCnotRequired></Section47>"
        )
    parts.append(f"<ReferralNFA>{draw(st.sampled_from(['true', 'false']))}</ReferralNFA>")
    if draw(st.booleans()):
        reviews = "".join(
            f"<CPPreviewDate>{_day(year, start + 30 + 60 * k)}</CPPreviewDate>"
            for k in range(draw(st.integers(0, 2)))
        )
        parts.append(
            f"<ChildProtectionPlans><CPPstartDate>{_day(year, start + 6)}"
            "</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>"
            "<LatestCategoryOfAbuse>MUL</LatestCategoryOfAbuse><NumberOfPreviousCPP>"
            f"{draw(st.integers(0, 3))}</NumberOfPreviousCPP>"
            + (f"<Reviews>{reviews}</Reviews>" if reviews else "")
            + "</ChildProtectionPlans>"
        )
    return "<CINdetails>" + "".join(parts) + "</CINdetails>"


@st.composite
def returns(draw) -> tuple[int, str]:
    year = draw(YEARS)
    sexes = ["M", "F", "U"] if year >= 2025 else ["1", "2", "9", "0"]
    tag = "Sex" if year >= 2025 else "GenderCurrent"
    kids = []
    for n in range(draw(st.integers(1, 4))):
        sex = f"<{tag}>{draw(st.sampled_from(sexes))}</{tag}>"
        details = "".join(draw(st.lists(episodes(year), min_size=1, max_size=2)))
        disab = draw(st.lists(st.sampled_from(["MOB", "HAND", "AUT"]), max_size=2, unique=True))
        kid = child(f"P{n}", sex=sex, details=details)
        if disab:
            d = "".join(f"<Disability>{x}</Disability>" for x in disab)
            kid = kid.replace("</Ethnicity>", f"</Ethnicity><Disabilities>{d}</Disabilities>")
        kids.append(kid)
    return year, "".join(kids)


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(returns())
def test_generated_returns_round_trip(tmp_path, generated):
    year, children = generated
    source = _write(tmp_path / "in.xml", children, year=year)
    out = tmp_path / "out.xml"
    with transaction.atomic():
        import_returns("cin-census", [source])
        export_return("cin-census", out, year=year)
        transaction.set_rollback(True)
    original, back = reader.read_file(source), reader.read_file(out)
    assert original.problems == [] and back.problems == []
    assert canonical(back.frames) == canonical(original.frames)


@pytest.mark.django_db
def test_several_years_in_one_import_merge_oldest_first(tmp_path):
    # Given newest first on the command line, the 2019-20 return still has the last word on
    # the episode both returns carry (open in 2018-19, closed 2019-06-01 in 2019-20).
    y2020 = _write(
        tmp_path / "2020.xml", child("A", details=_details("2018-09-01", "2019-06-01")), year=2020
    )
    y2019 = _write(
        tmp_path / "2019.xml",
        child("A", details=_details("2018-05-01", "2018-06-30") + _details("2018-09-01")),
    )
    import_returns("cin-census", [y2020, y2019])
    got = sorted(Referral.objects.values_list("referral_date", "closure_date"))
    assert got == [(date(2018, 5, 1), date(2018, 6, 30)), (date(2018, 9, 1), date(2019, 6, 1))]
    assert Child.objects.count() == 1
