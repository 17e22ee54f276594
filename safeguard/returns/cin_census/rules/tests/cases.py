"""The table of hand-made cases for every CIN census rule: a mutation of the valid return
(`builder.base`, in 2018-19 terms) and the children expected to fail ("LA" for a return-level
failure). An empty `fails` is a passing case (often the edge just inside the rule).

The system check `safeguard.returns.checks.check_rules` reads this table to prove every rule
of every year has a failing and a passing case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as d

from .builder import Mutation, add, chain, drop, edit

LA = "LA"
OLD = (2019,)  # GenderCurrent years
NEW = (2025, 2026)  # Sex years


@dataclass(frozen=True)
class Case:
    code: str
    name: str
    mutate: Mutation
    fails: frozenset[str]
    years: tuple[int, ...] | None = None  # None: every year the code is in force


def case(
    code: str, name: str, mutate: Mutation, *fails: str, years: tuple[int, ...] | None = None
) -> Case:
    return Case(code, name, mutate, frozenset(fails), years)


A1 = {"LAchildID": "A1"}
A1E1 = {"LAchildID": "A1", "CINdetailsID": 1}
A1E2 = {"LAchildID": "A1", "CINdetailsID": 2}
B2 = {"LAchildID": "B2"}
C3 = {"LAchildID": "C3"}
CI, CIN, ASS, PLAN = "ChildIdentifiers", "CINdetails", "Assessments", "CINplanDates"
S47, CPP, REV = "Section47", "ChildProtectionPlans", "Reviews"
nothing = chain()


def _more_ungendered(col: str, value: str) -> Mutation:
    """One of two born children without gender: 50% > 2%."""
    return edit(CI, B2, **{col: value})


CASES: list[Case] = [
    # --- header and identifiers ---------------------------------------------------------------
    case("100", "reference date wrong", edit("Header", ReferenceDate=d(2019, 3, 30)), LA),
    case("100", "reference date right", nothing),
    # B201123456781 is right by hand: weights 2..13 on 2,0,1,1,2,3,4,5,6,7,8,1 sum 369 = 16*23 + 1
    case("1510", "wrong check letter", edit(CI, A1, UPN="C201123456781"), "A1"),
    case("1510", "right check letter", nothing),
    case("1520", "same UPN twice", edit(CI, B2, UPN="B201123456781"), "A1", "B2"),
    case("1520", "two missing UPNs are not duplicates", edit(CI, B2, UPN=None)),
    case("1530", "unknown LA code 999", edit(CI, A1, UPN="B999123456781"), "A1"),
    case("1530", "LA code 001 is a pseudo-LA", edit(CI, A1, UPN="X001123456781")),
    case("1540", "letter in chars 5-12", edit(CI, A1, UPN="B2011234X6781"), "A1"),
    case("1540", "digits", nothing),
    case("1550", "char 13 is I", edit(CI, A1, UPN="B20112345678I"), "A1"),
    case("1550", "char 13 is a letter allowed (temporary UPN)", edit(CI, A1, UPN="B20112345678A")),
    case("1560Q", "former UPN too short", edit(CI, A1, FormerUPN="A2011234"), "A1"),
    case("1560Q", "former UPN well formed", edit(CI, A1, FormerUPN="A201123456789")),
    case("1570", "21-character ID", edit(CI, A1, LAchildID="A" * 21), "A" * 21, years=NEW),
    case("1570", "20-character ID", edit(CI, A1, LAchildID="A" * 20), years=NEW),
    case("1580", "ID with a hyphen", edit(CI, A1, LAchildID="A-1"), "A-1", years=NEW),
    case("1580", "alphanumeric ID", nothing, years=NEW),
    case(
        "2886Q",
        "half the born children without gender",
        _more_ungendered("GenderCurrent", "0"),
        LA,
        years=OLD,
    ),
    case("2886Q", "unborn child with gender 0 is excluded", nothing, years=OLD),
    case("2886Q", "half the born children sex U", _more_ungendered("Sex", "U"), LA, years=NEW),
    case("2886Q", "unborn child with sex U is excluded", nothing, years=NEW),
    case("2887Q", "only 7 codes used", drop("Disabilities", {"Disability": "VIS"}), LA),
    case("2887Q", "8 codes used", nothing),
    case(
        "2888Q",
        "one disability per child",
        chain(
            drop("Disabilities", A1),
            drop("Disabilities", {"Disability": "LD"}),
            drop("Disabilities", {"Disability": "HEAR"}),
            drop("Disabilities", {"Disability": "VIS"}),
        ),
        LA,
    ),
    case("2888Q", "children with several disabilities", nothing),
    case("4180", "gender missing", edit(CI, A1, GenderCurrent=None), "A1", years=OLD),
    case("4180", "gender 9 is valid", edit(CI, A1, GenderCurrent="9"), years=OLD),
    case("4180", "sex X invalid", edit(CI, A1, Sex="X"), "A1", years=NEW),
    case("4180", "sex U valid", edit(CI, A1, Sex="U"), years=NEW),
    case("4220", "ethnicity invalid", edit("ChildCharacteristics", A1, Ethnicity="XXXX"), "A1"),
    case("4220", "ethnicity REFU valid", edit("ChildCharacteristics", A1, Ethnicity="REFU")),
    case("8500", "child ID blank", edit(CI, A1, LAchildID=" "), " "),
    case("8500", "child ID present", nothing),
    case("8510", "child ID twice", edit(CI, B2, LAchildID="A1"), "A1"),
    case("8510", "distinct IDs", nothing),
    case("8520", "born after reference date", edit(CI, A1, PersonBirthDate=d(2019, 4, 1)), "A1"),
    case("8520", "born on reference date", edit(CI, A1, PersonBirthDate=d(2019, 3, 31))),
    case(
        "8525Q",
        "both DOB and expected DOB",
        edit(CI, A1, ExpectedPersonBirthDate=d(2010, 5, 1)),
        "A1",
    ),
    case("8525Q", "expected DOB only (unborn)", nothing),
    # ReferenceDate 31 Mar 2019: range 1 Mar 2019 (minus 30 days) to 31 Dec 2019 (plus 9 months)
    case(
        "8530Q", "expected DOB 28 Feb", edit(CI, C3, ExpectedPersonBirthDate=d(2019, 2, 28)), "C3"
    ),
    case("8530Q", "expected DOB 1 Mar", edit(CI, C3, ExpectedPersonBirthDate=d(2019, 3, 1))),
    case("8535Q", "died before birth", edit(CI, A1, PersonDeathDate=d(2010, 4, 1)), "A1"),
    case("8535Q", "died after birth", edit(CI, A1, PersonDeathDate=d(2019, 3, 1))),
    case("8540", "no disability for a child with further action", drop("Disabilities", A1), "A1"),
    case(
        "8540",
        "invalid disability code",
        add("Disabilities", LAchildID="A1", Disability="XYZ"),
        "A1",
    ),
    case("8540", "unborn NFA child needs none", nothing),
    case("8545Q", "died before the year", edit(CI, A1, PersonDeathDate=d(2018, 3, 31)), "A1"),
    case("8545Q", "died on the first day", edit(CI, A1, PersonDeathDate=d(2018, 4, 1))),
    case("8750", "unborn with gender 1", edit(CI, C3, GenderCurrent="1"), "C3", years=OLD),
    case("8750", "born child gender 1", nothing, years=OLD),
    case("8750", "unborn with sex F", edit(CI, C3, Sex="F"), "C3", years=NEW),
    case("8750", "unborn with sex U", nothing, years=NEW),
    # 2019: born on or before 31 Mar 2013; 2025+: born on or before 31 Aug six years earlier
    case("8770Q", "school-age without UPN", edit(CI, A1, UPN=None), "A1"),
    case("8770Q", "school-age with reason UN2", edit(CI, A1, UPN=None, UPNunknown="UN2")),
    case("8770Q", "school-age with UN1", edit(CI, A1, UPN=None, UPNunknown="UN1"), "A1"),
    case("8772", "UN7 but further action", edit(CI, A1, UPNunknown="UN7"), "A1"),
    case("8772", "UN7 on NFA-only child", edit(CI, C3, UPNunknown="UN7")),
    case("8775Q", "over 25 with open case", edit(CI, B2, PersonBirthDate=d(1990, 1, 1)), "B2"),
    case("8775Q", "24 years old", edit(CI, B2, PersonBirthDate=d(1994, 4, 1))),
    case("8790", "NONE with another", add("Disabilities", LAchildID="A1", Disability="NONE"), "A1"),
    case(
        "8790",
        "NONE alone",
        chain(drop("Disabilities", A1), add("Disabilities", LAchildID="A1", Disability="NONE")),
    ),
    case("8794", "same code twice", add("Disabilities", LAchildID="A1", Disability="MOB"), "A1"),
    case("8794", "different codes", nothing),
    case("8590", "child without episode", drop(CIN, B2), "B2"),
    case("8590", "every child has one", nothing),
    # --- CIN episodes, assessments, plans ------------------------------------------------------
    case(
        "1103",
        "assessment before referral",
        edit(ASS, A1E1, AssessmentActualStartDate=d(2018, 4, 30)),
        "A1",
    ),
    case(
        "1103",
        "assessment on referral day",
        edit(ASS, A1E1, AssessmentActualStartDate=d(2018, 5, 1)),
    ),
    case("1104", "ICPC before referral", edit(S47, A1E1, DateOfInitialCPC=d(2018, 4, 30)), "A1"),
    case("1104", "ICPC after referral", nothing),
    case("2990", "RC8 with an S47", edit(CIN, A1E1, ReasonForClosure="RC8"), "A1"),
    case(
        "2990",
        "RC8 with only an assessment",
        edit(CIN, A1E2, ReasonForClosure="RC8", CINclosureDate=d(2019, 3, 20)),
    ),
    case("2991Q", "S47 without assessment", drop(ASS, A1E1), "A1"),
    case("2991Q", "S47 with assessment", nothing),
    case(
        "4000",
        "CIN plan on NFA referral",
        add(PLAN, LAchildID="C3", CINdetailsID=1, CINPlanStartDate=d(2019, 2, 1)),
        "C3",
    ),
    case("4000", "CIN plan on further action", nothing),
    case(
        "4001",
        "open CIN plan and open CPP",
        chain(edit(PLAN, A1E1, CINPlanEndDate=None), edit(CPP, A1E1, CPPendDate=None)),
        "A1",
    ),
    case("4001", "open CIN plan, closed CPP", edit(PLAN, A1E1, CINPlanEndDate=None)),
    case("4003", "review during CIN plan", edit(REV, A1, CPPreviewDate=d(2018, 12, 10)), "A1"),
    case("4003", "review before CIN plan", nothing),
    case(
        "4004",
        "two open CIN plans",
        add(PLAN, LAchildID="B2", CINdetailsID=1, CINPlanStartDate=d(2018, 6, 1)),
        "B2",
    ),
    case("4004", "one open, one closed", nothing),
    case("4008", "plan starts after death", edit(CI, A1, PersonDeathDate=d(2018, 12, 1)), "A1"),
    case("4008", "plan starts on death day", edit(CI, A1, PersonDeathDate=d(2018, 12, 3))),
    case("4009Q", "plan ends after death", edit(CI, A1, PersonDeathDate=d(2019, 1, 30)), "A1"),
    case("4009Q", "plan ends on death day", edit(CI, A1, PersonDeathDate=d(2019, 1, 31))),
    case("4010", "plan start missing", edit(PLAN, B2, CINPlanStartDate=None), "B2"),
    case("4010", "plan start before the year is allowed", nothing),
    case("4011", "plan ends before start", edit(PLAN, A1E1, CINPlanEndDate=d(2018, 12, 1)), "A1"),
    case("4011", "plan ends after start", nothing),
    case("4012Q", "plan same day", edit(PLAN, A1E1, CINPlanEndDate=d(2018, 12, 3)), "A1"),
    case("4012Q", "plan over weeks", nothing),
    case("4013", "plan ends after year", edit(PLAN, A1E1, CINPlanEndDate=d(2019, 4, 1)), "A1"),
    case(
        "4013",
        "plan ends on reference date",
        chain(edit(PLAN, A1E1, CINPlanEndDate=d(2019, 1, 31))),
    ),
    case(
        "4014",
        "plans overlap",
        add(
            PLAN,
            LAchildID="A1",
            CINdetailsID=1,
            CINPlanStartDate=d(2019, 1, 2),
            CINPlanEndDate=d(2019, 2, 1),
        ),
        "A1",
    ),
    case(
        "4014",
        "plans back to back",
        add(
            PLAN,
            LAchildID="A1",
            CINdetailsID=1,
            CINPlanStartDate=d(2019, 1, 31),
            CINPlanEndDate=d(2019, 2, 1),
        ),
    ),
    case("4015", "plan before referral", edit(PLAN, B2, CINPlanStartDate=d(2017, 10, 1)), "B2"),
    case("4015", "plan after referral", nothing),
    case(
        "4016",
        "CIN plan starts during CPP",
        edit(PLAN, A1E1, CINPlanStartDate=d(2018, 11, 29)),
        "A1",
    ),
    case("4016", "CIN plan starts on CPP end", edit(PLAN, A1E1, CINPlanStartDate=d(2018, 11, 30))),
    case(
        "4017",
        "CPP starts during CIN plan",
        add(CPP, LAchildID="B2", CINdetailsID=1, CPPID=1, CPPstartDate=d(2018, 6, 1)),
        "B2",
    ),
    case("4017", "CPP starts before CIN plan", nothing),
    case("8555Q", "referred after death", edit(CI, C3, PersonDeathDate=d(2019, 1, 1)), "C3"),
    case("8555Q", "referred before death", edit(CI, C3, PersonDeathDate=d(2019, 2, 2))),
    case("8565", "closed before plan ended", edit(CIN, A1E1, CINclosureDate=d(2019, 1, 30)), "A1"),
    case("8565", "closed on plan end", edit(CIN, A1E1, CINclosureDate=d(2019, 1, 31))),
    case("8568", "NFA flag missing", edit(CIN, B2, ReferralNFA=None), "B2"),
    case("8568", "flag present", nothing),
    # 1 Apr 2018 minus one working day = Thu 29 Mar 2018 (Good Friday 30 Mar is a holiday)
    case(
        "8569Q",
        "NFA referral long before the year",
        edit(CIN, C3, CINreferralDate=d(2018, 3, 28)),
        "C3",
        years=OLD,
    ),
    case(
        "8569Q",
        "NFA referral one working day before",
        edit(CIN, C3, CINreferralDate=d(2018, 3, 29)),
        years=OLD,
    ),
    case("8569Q", "NFA referral a year before", edit(CIN, C3, CINreferralDate=d(2018, 2, 1)), "C3"),
    case("8569Q", "NFA referral in the year", nothing),
    case("8585Q", "RC2 without death", edit(CIN, A1E1, ReasonForClosure="RC2"), "A1"),
    case(
        "8585Q",
        "RC2 with death",
        chain(
            edit(CIN, A1E1, ReasonForClosure="RC2"), edit(CI, A1, PersonDeathDate=d(2019, 2, 15))
        ),
    ),
    case(
        "8600", "referral after reference date", edit(CIN, B2, CINreferralDate=d(2019, 4, 1)), "B2"
    ),
    case(
        "8600",
        "referral on reference date",
        chain(edit(CIN, B2, CINreferralDate=d(2019, 3, 31)), drop(PLAN, B2)),
    ),
    case(
        "8606",
        "referral 281 days before expected birth",
        edit(CIN, C3, CINreferralDate=d(2018, 8, 24)),
        "C3",
    ),
    case("8606", "referral 280 days before", edit(CIN, C3, CINreferralDate=d(2018, 8, 25))),
    case(
        "8608",
        "authorised before start",
        edit(ASS, A1E1, AssessmentAuthorisationDate=d(2018, 5, 1)),
        "A1",
    ),
    case("8608", "authorised same day", edit(ASS, A1E1, AssessmentAuthorisationDate=d(2018, 5, 2))),
    case("8610", "further action without need", edit(CIN, B2, PrimaryNeedCode=None), "B2"),
    case("8610", "NFA without need", nothing),
    case("8614", "factors on open assessment", edit(ASS, A1E2, AssessmentFactors=["1A"]), "A1"),
    case("8614", "no factors on open assessment", nothing),
    case("8620", "closed after year", edit(CIN, A1E1, CINclosureDate=d(2019, 4, 1)), "A1"),
    case("8620", "closed on first day", chain(edit(CIN, C3, CINclosureDate=d(2019, 2, 1)))),
    case("8630", "closed before referral", edit(CIN, C3, CINclosureDate=d(2019, 1, 31)), "C3"),
    case("8630", "closed on referral day", nothing),
    case("8640", "reason RC0", edit(CIN, A1E1, ReasonForClosure="RC0"), "A1"),
    case("8640", "reason RC1", edit(CIN, A1E1, ReasonForClosure="RC1")),
    case("8640", "RC9 before it existed", edit(CIN, A1E1, ReasonForClosure="RC9"), "A1", years=OLD),
    case("8650", "need N99", edit(CIN, B2, PrimaryNeedCode="N99"), "B2"),
    case("8650", "need N0", edit(CIN, B2, PrimaryNeedCode="N0")),
    # 45 working days before Sun 31 Mar 2019: 21 in March (1-29), 20 in February, then 31, 30,
    # 29, 28 January -> Mon 28 Jan 2019 (our counting: the start day itself is not counted)
    case(
        "8670Q",
        "open assessment started Fri 25 Jan",
        edit(ASS, A1E2, AssessmentActualStartDate=d(2019, 1, 25)),
        "A1",
        years=OLD,
    ),
    case(
        "8670Q",
        "open assessment started Mon 28 Jan",
        edit(ASS, A1E2, AssessmentActualStartDate=d(2019, 1, 28)),
        years=OLD,
    ),
    # 2024-25: 45 working days before Mon 31 Mar 2025 is Mon 27 Jan 2025; 2025-26: before Tue
    # 31 Mar 2026 it is Tue 27 Jan 2026 (no bank holidays in February or March either year)
    case(
        "8670Q",
        "open assessment started 26 Jan",
        edit(ASS, A1E2, AssessmentActualStartDate=d(2019, 1, 26)),
        "A1",
        years=NEW,
    ),
    case(
        "8670Q",
        "open assessment started 27 Jan",
        edit(ASS, A1E2, AssessmentActualStartDate=d(2019, 1, 27)),
        years=NEW,
    ),
    case(
        "8670Q",
        "open assessment started a year before",
        edit(ASS, A1E2, AssessmentActualStartDate=d(2018, 6, 1)),
        "A1",
    ),
    case(
        "8696",
        "authorised after year",
        edit(ASS, A1E2, AssessmentAuthorisationDate=d(2019, 4, 1)),
        "A1",
    ),
    case("8696", "authorised in year", nothing),
    case(
        "8736",
        "open assessment from last year",
        edit(ASS, A1E2, AssessmentActualStartDate=d(2018, 3, 31)),
        "A1",
    ),
    case(
        "8736",
        "open assessment from 1 April",
        chain(
            edit(CIN, A1E2, CINreferralDate=d(2018, 4, 1)),
            edit(ASS, A1E2, AssessmentActualStartDate=d(2018, 4, 1)),
        ),
    ),
    case("8805", "closure date without reason", edit(CIN, A1E1, ReasonForClosure=None), "A1"),
    case("8805", "closure date with reason", nothing),
    case("8810", "reason without closure date", edit(CIN, A1E2, ReasonForClosure="RC7"), "A1"),
    case("8810", "open without reason", nothing),
    case(
        "8815",
        "two open further-action episodes",
        edit(CIN, A1E1, CINclosureDate=None, ReasonForClosure=None),
        "A1",
    ),
    case("8815", "one open", nothing),
    case(
        "8816",
        "open episode not the latest",
        chain(
            edit(CIN, A1E1, CINclosureDate=None, ReasonForClosure=None),
            edit(CIN, A1E2, CINclosureDate=d(2019, 3, 20), ReasonForClosure="RC7"),
        ),
        "A1",
    ),
    case("8816", "open episode is the latest", nothing),
    case("8820", "episodes overlap", edit(CIN, A1E2, CINreferralDate=d(2019, 2, 14)), "A1"),
    case("8820", "new referral on closure day", edit(CIN, A1E2, CINreferralDate=d(2019, 2, 15))),
    case(
        "8825Q",
        "RC8 without assessment",
        chain(edit(CIN, B2, CINclosureDate=d(2019, 3, 1), ReasonForClosure="RC8"), drop(PLAN, B2)),
        "B2",
    ),
    case("8825Q", "RC7 without assessment", nothing),
    case(
        "8831",
        "NFA with assessment",
        add(
            ASS,
            LAchildID="C3",
            CINdetailsID=1,
            AssessmentID=1,
            AssessmentActualStartDate=d(2019, 2, 1),
        ),
        "C3",
    ),
    case("8831", "NFA without activity", nothing),
    case(
        "8832",
        "NFA with CPP",
        add(CPP, LAchildID="C3", CINdetailsID=1, CPPID=1, CPPstartDate=d(2019, 2, 1)),
        "C3",
    ),
    case("8832", "NFA without CPP", nothing),
    case(
        "8863Q",
        "assessments overlap",
        add(
            ASS,
            LAchildID="A1",
            CINdetailsID=1,
            AssessmentID=2,
            AssessmentActualStartDate=d(2018, 5, 29),
            AssessmentAuthorisationDate=d(2018, 6, 1),
        ),
        "A1",
    ),
    case(
        "8863Q",
        "second assessment after the first",
        add(
            ASS,
            LAchildID="A1",
            CINdetailsID=1,
            AssessmentID=2,
            AssessmentActualStartDate=d(2018, 5, 30),
            AssessmentAuthorisationDate=d(2018, 6, 1),
        ),
    ),
    case("8866", "referral source valid", nothing),
    case("8866", "referral source missing", edit(CIN, B2, ReferralSource=None), "B2"),
    case(
        "8866",
        "source missing before April 2013",
        edit(CIN, B2, ReferralSource=None, CINreferralDate=d(2013, 3, 31)),
        years=OLD,
    ),
    case(
        "8867",
        "closed with open assessment",
        edit(ASS, A1E1, AssessmentAuthorisationDate=None, AssessmentFactors=[]),
        "A1",
    ),
    case("8867", "open episode with open assessment", nothing),
    case("8869", "21 with another factor", edit(ASS, A1E1, AssessmentFactors=["21", "2A"]), "A1"),
    case("8869", "21 alone", edit(ASS, A1E1, AssessmentFactors=["21"])),
    case(
        "8873Q",
        "single assessment no factors, closed RC7",
        edit(ASS, A1E1, AssessmentFactors=["21"]),
        "A1",
    ),
    case(
        "8873Q",
        "single assessment no factors, closed RC8",
        chain(edit(ASS, A1E1, AssessmentFactors=["21"]), edit(CIN, A1E1, ReasonForClosure="RC8")),
    ),
    case(
        "8896",
        "two open assessments",
        add(
            ASS,
            LAchildID="A1",
            CINdetailsID=2,
            AssessmentID=2,
            AssessmentActualStartDate=d(2019, 3, 5),
        ),
        "A1",
    ),
    case("8896", "one open assessment", nothing),
    case("8897Q", "completed with no factors", edit(ASS, A1E1, AssessmentFactors=[]), "A1"),
    case("8897Q", "completed with factor 21", edit(ASS, A1E1, AssessmentFactors=["21"])),
    case("8898", "factor twice", edit(ASS, A1E1, AssessmentFactors=["2A", "2A"]), "A1"),
    case("8898", "factors distinct", nothing),
    case("8945Q", "factor 18A", edit(ASS, A1E1, AssessmentFactors=["18A"]), "A1", years=NEW),
    case("8945Q", "factor 18B", edit(ASS, A1E1, AssessmentFactors=["18B"]), years=NEW),
    case("8950Q", "factor 19A", edit(ASS, A1E1, AssessmentFactors=["19A"]), "A1", years=NEW),
    case("8950Q", "factor 19C", edit(ASS, A1E1, AssessmentFactors=["19C"]), years=NEW),
    # --- section 47, child protection ----------------------------------------------------------
    case("1105", "CPP before referral", edit(CPP, A1E1, CPPstartDate=d(2018, 4, 30)), "A1"),
    case("1105", "CPP after referral", nothing),
    case(
        "2883",
        "more plans than conferences",
        add(CPP, LAchildID="A1", CINdetailsID=2, CPPID=2, CPPstartDate=d(2019, 3, 14)),
        LA,
    ),
    case("2883", "one plan, one conference", nothing),
    case("2884", "ICPC at both levels", edit(CIN, A1E1, DateOfInitialCPC=d(2018, 5, 22)), "A1"),
    case("2884", "ICPC at S47 level only", nothing),
    case(
        "2884",
        "a different conference at CIN level",
        edit(CIN, A1E1, DateOfInitialCPC=d(2018, 6, 5)),
    ),
    case("2885", "CPP start differs from ICPC", edit(CPP, A1E1, CPPstartDate=d(2018, 5, 23)), "A1"),
    case(
        "2885",
        "CPP start = CIN-level ICPC",
        chain(drop(S47, A1E1), edit(CIN, A1E1, DateOfInitialCPC=d(2018, 5, 22))),
    ),
    case("2889", "S47 before referral", edit(S47, A1E1, S47ActualStartDate=d(2018, 4, 30)), "A1"),
    case("2889", "S47 after referral", nothing),
    case("8615", "S47 start after ICPC", edit(S47, A1E1, S47ActualStartDate=d(2018, 5, 23)), "A1"),
    case("8615", "S47 start on ICPC day", edit(S47, A1E1, S47ActualStartDate=d(2018, 5, 22))),
    # 15 working days before Sun 31 Mar 2019 is Mon 11 Mar 2019
    case(
        "8675Q",
        "open S47 from 8 Mar",
        add(
            S47,
            LAchildID="A1",
            CINdetailsID=2,
            S47ID=1,
            S47ActualStartDate=d(2019, 3, 8),
            ICPCnotRequired=False,
        ),
        "A1",
        years=OLD,
    ),
    case(
        "8675Q",
        "open S47 from 11 Mar",
        add(
            S47,
            LAchildID="A1",
            CINdetailsID=2,
            S47ID=1,
            S47ActualStartDate=d(2019, 3, 11),
            ICPCnotRequired=False,
        ),
        years=OLD,
    ),
    # 15 working days before 31 Mar is Mon 10 Mar 2025 and Tue 10 Mar 2026
    case(
        "8675Q",
        "open S47 from 9 Mar",
        add(S47, LAchildID="A1", CINdetailsID=2, S47ID=1, S47ActualStartDate=d(2019, 3, 9)),
        "A1",
        years=NEW,
    ),
    case(
        "8675Q",
        "open S47 from 10 Mar",
        add(S47, LAchildID="A1", CINdetailsID=2, S47ID=1, S47ActualStartDate=d(2019, 3, 10)),
        years=NEW,
    ),
    case(
        "8675Q",
        "open S47 from January",
        add(S47, LAchildID="A1", CINdetailsID=2, S47ID=1, S47ActualStartDate=d(2019, 1, 10)),
        "A1",
    ),
    case("8715", "ICPC after year", edit(S47, A1E1, DateOfInitialCPC=d(2019, 4, 2)), "A1"),
    case("8715", "ICPC in year", nothing),
    case("8720", "CPP start missing", edit(CPP, A1E1, CPPstartDate=None), "A1"),
    case("8720", "CPP start present", nothing),
    case("8730", "previous plans missing", edit(CPP, A1E1, NumberOfPreviousCPP=None), "A1"),
    case("8730", "previous plans 0", nothing),
    case(
        "8740",
        "open S47 from last year",
        add(S47, LAchildID="B2", CINdetailsID=1, S47ID=1, S47ActualStartDate=d(2018, 3, 1)),
        "B2",
    ),
    case(
        "8740",
        "S47 from last year, ICPC not required",
        add(
            S47,
            LAchildID="B2",
            CINdetailsID=1,
            S47ID=1,
            S47ActualStartDate=d(2018, 3, 1),
            ICPCnotRequired=True,
        ),
    ),
    case(
        "8839",
        "two open S47s",
        chain(
            edit(S47, A1E1, DateOfInitialCPC=None),
            add(S47, LAchildID="A1", CINdetailsID=1, S47ID=2, S47ActualStartDate=d(2018, 5, 10)),
        ),
        "A1",
    ),
    case(
        "8839",
        "one open S47",
        add(S47, LAchildID="A1", CINdetailsID=1, S47ID=2, S47ActualStartDate=d(2018, 6, 10)),
    ),
    case("8840", "CPP one day", edit(CPP, A1E1, CPPendDate=d(2018, 5, 22)), "A1"),
    case("8840", "CPP months", nothing),
    case("8841", "review on CPP start", edit(REV, A1, CPPreviewDate=d(2018, 5, 22)), "A1"),
    case("8841", "review the day after", edit(REV, A1, CPPreviewDate=d(2018, 5, 23))),
    case("8842Q", "review without date", edit(REV, A1, CPPreviewDate=None), "A1"),
    case("8842Q", "review dated", nothing),
    case(
        "8868",
        "closed with S47 not completed",
        edit(S47, A1E1, DateOfInitialCPC=None, ICPCnotRequired=False),
        "A1",
    ),
    case(
        "8868",
        "closed with ICPC not required",
        edit(S47, A1E1, DateOfInitialCPC=None, ICPCnotRequired=True),
    ),
    case(
        "8870Q",
        "target on a Saturday",
        edit(S47, A1E1, InitialCPCtarget=d(2018, 5, 26)),
        "A1",
        years=OLD,
    ),
    case(
        "8870Q",
        "target on a Wednesday",
        edit(S47, A1E1, InitialCPCtarget=d(2018, 5, 23)),
        years=OLD,
    ),
    # 25 May 2018 moves to Sat 25 May 2024 and Sun 25 May 2025
    case(
        "8870Q",
        "target on a weekend day",
        edit(S47, A1E1, InitialCPCtarget=d(2018, 5, 25)),
        "A1",
        years=NEW,
    ),
    case("8870Q", "target on a weekday", nothing, years=NEW),
    case(
        "8875",
        "ICPC on a weekend day",
        edit(S47, A1E1, DateOfInitialCPC=d(2018, 5, 25)),
        "A1",
        years=NEW,
    ),
    case("8875", "ICPC on a weekday", nothing, years=NEW),
    case(
        "8875",
        "ICPC on a Sunday",
        edit(S47, A1E1, DateOfInitialCPC=d(2018, 5, 27)),
        "A1",
        years=OLD,
    ),
    case("8875", "ICPC on a Tuesday", nothing, years=OLD),
    case(
        "8890",
        "S47s overlap",
        add(
            S47,
            LAchildID="A1",
            CINdetailsID=1,
            S47ID=2,
            S47ActualStartDate=d(2018, 5, 10),
            DateOfInitialCPC=d(2018, 5, 31),
        ),
        "A1",
    ),
    case(
        "8890",
        "second S47 starts at first ICPC",
        add(
            S47,
            LAchildID="A1",
            CINdetailsID=1,
            S47ID=2,
            S47ActualStartDate=d(2018, 5, 22),
            DateOfInitialCPC=d(2018, 5, 31),
        ),
    ),
    case("8905", "initial category invalid", edit(CPP, A1E1, InitialCategoryOfAbuse="XXX"), "A1"),
    case("8905", "initial category MUL", edit(CPP, A1E1, InitialCategoryOfAbuse="MUL")),
    case("8910", "latest category missing", edit(CPP, A1E1, LatestCategoryOfAbuse=None), "A1"),
    case("8910", "latest category PHY", edit(CPP, A1E1, LatestCategoryOfAbuse="PHY")),
    case("8915", "CPP starts after death", edit(CI, A1, PersonDeathDate=d(2018, 5, 21)), "A1"),
    case(
        "8915",
        "CPP starts on death day",
        chain(
            edit(CI, A1, PersonDeathDate=d(2018, 5, 22)), edit(CPP, A1E1, CPPendDate=d(2018, 5, 22))
        ),
    ),
    case("8920", "CPP ends after death", edit(CI, A1, PersonDeathDate=d(2018, 11, 29)), "A1"),
    case("8920", "CPP ends on death day", edit(CI, A1, PersonDeathDate=d(2018, 11, 30))),
    case("8925", "CPP ends before start", edit(CPP, A1E1, CPPendDate=d(2018, 5, 21)), "A1"),
    case("8925", "CPP ends after start", nothing),
    case("8930", "CPP ends after year", edit(CPP, A1E1, CPPendDate=d(2019, 4, 1)), "A1"),
    case("8930", "CPP ends in year", nothing),
    case(
        "8935",
        "two open CPPs",
        chain(
            edit(CPP, A1E1, CPPendDate=None),
            add(CPP, LAchildID="A1", CINdetailsID=2, CPPID=2, CPPstartDate=d(2019, 3, 14)),
        ),
        "A1",
    ),
    case("8935", "one open CPP", edit(CPP, A1E1, CPPendDate=None)),
    case(
        "8940",
        "CPPs overlap",
        add(CPP, LAchildID="A1", CINdetailsID=1, CPPID=2, CPPstartDate=d(2018, 11, 29)),
        "A1",
    ),
    case(
        "8940",
        "CPP starts when the other ends",
        add(
            CPP,
            LAchildID="A1",
            CINdetailsID=1,
            CPPID=2,
            CPPstartDate=d(2018, 11, 30),
            CPPendDate=d(2018, 12, 3),
        ),
    ),
]
