"""The CIN census reader: both sex forms, every module, and each kind of unreadable child."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from safeguard.returns import safety
from safeguard.returns.cin_census import reader
from safeguard.returns.codec import ReturnRefused

HEADER = (
    "<Header><CollectionDetails><Collection>CIN</Collection><Year>2019</Year>"
    "<ReferenceDate>2019-03-31</ReferenceDate></CollectionDetails><Source>"
    "<SourceLevel>L</SourceLevel><LEA>201</LEA></Source></Header>"
)


def child(
    cid: str = "C1",
    *,
    sex: str = "<GenderCurrent>1</GenderCurrent>",
    details: str | None = None,
    extra: str = "",
) -> str:
    details = (
        details
        if details is not None
        else (
            "<CINdetails><CINreferralDate>2018-05-01</CINreferralDate>"
            "<ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>"
            "<ReferralNFA>false</ReferralNFA></CINdetails>"
        )
    )
    ident = f"<LAchildID>{cid}</LAchildID>" if cid else ""
    return (
        f"<Child><ChildIdentifiers>{ident}<PersonBirthDate>2010-01-01</PersonBirthDate>"
        f"{sex}</ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity>"
        f"</ChildCharacteristics>{details}{extra}</Child>"
    )


def census(tmp_path: Path, *children: str, header: str = HEADER) -> Path:
    path = tmp_path / "cin.xml"
    path.write_text(f"<Message>{header}<Children>{''.join(children)}</Children></Message>")
    return path


FULL = """<CINdetails>
  <CINreferralDate>2018-05-01</CINreferralDate><ReferralSource>6</ReferralSource>
  <PrimaryNeedCode>N1</PrimaryNeedCode><CINclosureDate>2019-02-01</CINclosureDate>
  <ReasonForClosure>RC7</ReasonForClosure><DateOfInitialCPC>2018-05-20</DateOfInitialCPC>
  <Assessments><AssessmentActualStartDate>2018-05-02</AssessmentActualStartDate>
    <AssessmentInternalReviewDate>2018-05-10</AssessmentInternalReviewDate>
    <AssessmentAuthorisationDate>2018-06-01</AssessmentAuthorisationDate>
    <FactorsIdentifiedAtAssessment><AssessmentFactors>3A</AssessmentFactors>
    <AssessmentFactors>16A</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>
  <CINPlanDates><CINPlanStartDate>2018-06-02</CINPlanStartDate></CINPlanDates>
  <Section47><S47ActualStartDate>2018-05-03</S47ActualStartDate>
    <InitialCPCtarget>2018-05-24</InitialCPCtarget><DateOfInitialCPC>2018-05-21</DateOfInitialCPC>
    <ICPCnotRequired>0</ICPCnotRequired></Section47>
  <ReferralNFA>FALSE</ReferralNFA>
  <ChildProtectionPlans><CPPstartDate>2018-05-21</CPPstartDate>
    <CPPendDate>2019-01-10</CPPendDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
    <LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP>
    <Reviews><CPPreviewDate>2018-08-20</CPPreviewDate><CPPreviewDate>2019-01-10</CPPreviewDate>
    </Reviews></ChildProtectionPlans>
  <PreProceedingsandFGDM><PPStartDate>2018-09-09</PPStartDate></PreProceedingsandFGDM>
</CINdetails>"""


def test_every_module_read_into_its_table(tmp_path):
    r = reader.read_file(census(tmp_path, child(details=FULL)))
    assert r.problems == []
    assert r.year == 2019
    f = r.frames
    assert f["Header"].row(0, named=True)["LEA"] == "201"
    assert f["CINdetails"].row(0, named=True) | {} == {
        "LAchildID": "C1",
        "CINdetailsID": 1,
        "CINreferralDate": date(2018, 5, 1),
        "ReferralSource": "6",
        "PrimaryNeedCode": "N1",
        "CINclosureDate": date(2019, 2, 1),
        "ReasonForClosure": "RC7",
        "DateOfInitialCPC": date(2018, 5, 20),
        "ReferralNFA": False,
    }
    a = f["Assessments"].row(0, named=True)
    assert a["AssessmentFactors"] == ["3A", "16A"]
    assert a["AssessmentInternalReviewDate"] == date(2018, 5, 10)
    assert f["CINplanDates"]["CINPlanStartDate"].to_list() == [date(2018, 6, 2)]
    s = f["Section47"].row(0, named=True)
    assert (s["DateOfInitialCPC"], s["ICPCnotRequired"]) == (date(2018, 5, 21), False)
    c = f["ChildProtectionPlans"].row(0, named=True)
    assert (c["LatestCategoryOfAbuse"], c["NumberOfPreviousCPP"]) == ("EMO", 0)
    assert f["Reviews"]["CPPreviewDate"].to_list() == [date(2018, 8, 20), date(2019, 1, 10)]


def test_sex_form_and_gender_form(tmp_path):
    r = reader.read_file(census(tmp_path, child("A"), child("B", sex="<Sex>F</Sex>")))
    ids = r.frames["ChildIdentifiers"].select("LAchildID", "GenderCurrent", "Sex").rows()
    assert ids == [("A", "1", None), ("B", None, "F")]


def _one_problem(tmp_path, *children, **kw):
    r = reader.read_file(census(tmp_path, *children, **kw))
    assert len(r.problems) == 1, r.problems
    return r, r.problems[0]


def test_missing_child_id_refuses_that_child_only(tmp_path):
    r, p = _one_problem(tmp_path, child("A"), child(""))
    assert (p.file, p.location, p.field, p.rule) == (
        "cin.xml",
        "/Message/Children/Child[2]/ChildIdentifiers/LAchildID",
        "LAchildID",
        reader.MISSING_CHILD_ID,
    )
    assert r.frames["ChildIdentifiers"]["LAchildID"].to_list() == ["A"]


def test_unparseable_date_names_its_element(tmp_path):
    bad = FULL.replace("<CPPreviewDate>2019-01-10", "<CPPreviewDate>10/01/2019")
    r, p = _one_problem(tmp_path, child("A"), child("B", details=FULL + bad))
    assert (p.location, p.field, p.value, p.rule) == (
        "/Message/Children/Child[2]/CINdetails[2]/ChildProtectionPlans[1]/Reviews/CPPreviewDate[2]",
        "CPPreviewDate",
        "10/01/2019",
        reader.BAD_DATE,
    )
    assert r.frames["CINdetails"]["LAchildID"].to_list() == ["A"]  # B left out whole


def test_code_outside_its_list(tmp_path):
    _, p = _one_problem(tmp_path, child(details=FULL.replace(">RC7<", ">RC0<")))
    assert (p.location, p.field, p.value) == (
        "/Message/Children/Child[1]/CINdetails[1]/ReasonForClosure",
        "ReasonForClosure",
        "RC0",
    )
    assert p.rule.startswith("Not a code in the REASON_FOR_CLOSURE list: RC1,")


def test_code_of_another_year_is_readable(tmp_path):
    # RC9 is valid from 2022-23 only: in a 2018-19 return that is a validation finding (the
    # report names it), not a reason to refuse the file.
    r = reader.read_file(census(tmp_path, child(details=FULL.replace(">RC7<", ">RC9<"))))
    assert r.problems == []


def test_unknown_element_and_bad_boolean_and_integer(tmp_path):
    odd = FULL.replace("<ReferralNFA>FALSE", "<Nickname>x</Nickname><ReferralNFA>maybe")
    odd = odd.replace("<NumberOfPreviousCPP>0", "<NumberOfPreviousCPP>-1")
    r = reader.read_file(census(tmp_path, child(details=odd)))
    got = sorted((p.location.rsplit("/", 1)[1], p.rule) for p in r.problems)
    assert got == [
        ("Nickname", reader.UNKNOWN_ELEMENT),
        ("NumberOfPreviousCPP", reader.BAD_INTEGER),
        ("ReferralNFA", reader.BAD_BOOLEAN),
    ]


def test_item_the_record_needs_is_required(tmp_path):
    no_start = FULL.replace("<S47ActualStartDate>2018-05-03</S47ActualStartDate>", "")
    _, p = _one_problem(tmp_path, child(details=no_start))
    assert (p.location, p.rule) == (
        "/Message/Children/Child[1]/CINdetails[1]/Section47[1]/S47ActualStartDate",
        reader.MISSING_REQUIRED,
    )


def test_one_child_listed_twice_is_one_child(tmp_path):
    r = reader.read_file(census(tmp_path, child("A"), child("A", details=FULL)))
    assert r.frames["CINdetails"].select("LAchildID", "CINdetailsID").rows() == [("A", 1), ("A", 2)]
    assert r.frames["Assessments"]["CINdetailsID"].to_list() == [2]


def test_stray_text_and_comments_are_ignored(tmp_path):
    text = child().replace("<PersonBirthDate>", "PersonBirthDate<!-- note --><PersonBirthDate>")
    assert reader.read_file(census(tmp_path, text)).problems == []


@pytest.mark.parametrize(
    ("header", "year"),
    [
        (HEADER, 2019),
        (HEADER.replace("2019-03-31", "2020-03-31"), 2020),  # ReferenceDate (31 March) wins
        (HEADER.replace("2019-03-31", "2019-03-28"), 2019),  # not 31 March: the Year element
        ("", None),
    ],
)
def test_collection_year(tmp_path, header, year):
    assert reader.read_file(census(tmp_path, child(), header=header)).year == year


def test_not_a_census_refused_whole(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text("<Return><Children/></Return>")
    with pytest.raises(ReturnRefused) as refused:
        reader.read_file(path)
    assert refused.value.problems[0].rule == reader.NOT_CIN.format(tag="Return")
    path.write_text("<Message><Children>" + child() + "</Children><Extra/></Message>")
    with pytest.raises(ReturnRefused) as refused:
        reader.read_file(path)
    assert refused.value.problems[0].rule == reader.UNKNOWN_TOP.format(
        tag="Extra", parent="Message"
    )


def test_broken_xml_refused_with_its_line(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text("<Message>\n<Children>\n<Child></Children></Message>")
    with pytest.raises(ReturnRefused) as refused:
        reader.read_file(path)
    problem = refused.value.problems[0]
    assert problem.location == "line 3"
    assert problem.rule.startswith(safety.NOT_XML.format(error="")[:20])
