"""Make synthetic CIN census XML files of any size, for the benchmark and reader tests.

The children are invented from a seeded random generator (no real data). Every file is valid
against the year's XSD: codes from the year's lists, elements in the year's order, CIN plan
dates only from 2021-22 (when the XSD has them), Sex from 2024-25 and GenderCurrent before.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from safeguard.codes import cin

_GENDERS = ("1", "2", "9", "0")
_SEXES = ("M", "F", "U")


def _d(day: date) -> str:
    return day.isoformat()


def _child(rng: random.Random, n: int, year: int, codes: dict[str, list[str]]) -> str:
    start = date(year - 1, 4, 1)
    dob = start - timedelta(days=rng.randint(30, 17 * 365))
    sex = rng.choice(_SEXES) if year >= 2025 else rng.choice(_GENDERS)
    sex_tag = "Sex" if year >= 2025 else "GenderCurrent"
    parts = [
        "<Child><ChildIdentifiers>",
        f"<LAchildID>SYN{n:08d}</LAchildID>",
        f"<UPN>A{rng.randint(10**11, 10**12 - 1):012d}</UPN>",
        f"<PersonBirthDate>{_d(dob)}</PersonBirthDate>",
        f"<{sex_tag}>{sex}</{sex_tag}>",
        "</ChildIdentifiers><ChildCharacteristics>",
        f"<Ethnicity>{rng.choice(codes['eth'])}</Ethnicity>",
        f"<Disabilities><Disability>{rng.choice(codes['dis'])}</Disability></Disabilities>",
        "</ChildCharacteristics>",
    ]
    referral = start + timedelta(days=rng.randint(0, 300))
    for _ in range(rng.choice((1, 1, 2))):
        parts.append(_details(rng, referral, year, codes))
        referral += timedelta(days=rng.randint(40, 60))
    parts.append("</Child>\n")
    return "".join(parts)


def _details(rng: random.Random, referral: date, year: int, codes: dict[str, list[str]]) -> str:
    closed = rng.random() < 0.5
    out = [
        f"<CINdetails><CINreferralDate>{_d(referral)}</CINreferralDate>",
        f"<ReferralSource>{rng.choice(codes['src'])}</ReferralSource>",
        f"<PrimaryNeedCode>{rng.choice(codes['need'])}</PrimaryNeedCode>",
    ]
    if closed:
        out.append(
            f"<CINclosureDate>{_d(referral + timedelta(days=35))}</CINclosureDate>"
            f"<ReasonForClosure>{rng.choice(codes['rc'])}</ReasonForClosure>"
        )
    factors = "".join(
        f"<AssessmentFactors>{f}</AssessmentFactors>" for f in rng.sample(codes["fac"], 2)
    )
    out.append(
        f"<Assessments><AssessmentActualStartDate>{_d(referral + timedelta(days=1))}"
        f"</AssessmentActualStartDate><AssessmentAuthorisationDate>"
        f"{_d(referral + timedelta(days=30))}</AssessmentAuthorisationDate>"
        f"<FactorsIdentifiedAtAssessment>{factors}</FactorsIdentifiedAtAssessment></Assessments>"
    )
    if year >= 2022:
        out.append(
            f"<CINPlanDates><CINPlanStartDate>{_d(referral + timedelta(days=31))}"
            "</CINPlanStartDate></CINPlanDates>"
        )
    icpc = referral + timedelta(days=16)
    out.append(
        f"<Section47><S47ActualStartDate>{_d(referral + timedelta(days=2))}</S47ActualStartDate>"
        f"<InitialCPCtarget>{_d(icpc)}</InitialCPCtarget>"
        f"<DateOfInitialCPC>{_d(icpc)}</DateOfInitialCPC>"
        "<ICPCnotRequired>false</ICPCnotRequired></Section47>"
        "<ReferralNFA>false</ReferralNFA>"
        f"<ChildProtectionPlans><CPPstartDate>{_d(icpc)}</CPPstartDate>"
        f"<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>"
        f"<LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>"
        f"<NumberOfPreviousCPP>{rng.randint(1, 3)}</NumberOfPreviousCPP>"
        f"<Reviews><CPPreviewDate>{_d(icpc + timedelta(days=90))}</CPPreviewDate></Reviews>"
        "</ChildProtectionPlans></CINdetails>"
    )
    return "".join(out)


def _codes(year: int) -> dict[str, list[str]]:
    """The year's valid codes (24A is left out: the reconstructed XSDs add it only in 2022)."""

    def valid(lst):
        return sorted(lst.valid(year))

    factors = [
        f for f in valid(cin.ASSESSMENT_FACTORS) if f != "21" and (f != "24A" or year >= 2022)
    ]
    return {
        "eth": valid(cin.ETHNICITY),
        "dis": valid(cin.DISABILITY),
        "src": valid(cin.REFERRAL_SOURCE),
        "need": valid(cin.PRIMARY_NEED),
        "rc": [c for c in valid(cin.REASON_FOR_CLOSURE) if c not in ("RC8", "RC9")],
        "fac": factors,
    }


def census_xml(children: int, *, year: int = 2019, seed: int = 0) -> Iterator[str]:
    """The text of a CIN census with `children` children, in pieces (stream it to a file)."""
    rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
    codes = _codes(year)
    yield (
        '<?xml version="1.0" encoding="utf-8"?>\n<Message><Header><CollectionDetails>'
        f"<Collection>CIN</Collection><Year>{year}</Year>"
        f"<ReferenceDate>{year}-03-31</ReferenceDate></CollectionDetails><Source>"
        "<SourceLevel>L</SourceLevel><LEA>999</LEA><SoftwareCode>synthetic</SoftwareCode>"
        "<Release>1</Release><SerialNo>001</SerialNo><DateTime>2019-04-30T09:00:00</DateTime>"
        "</Source></Header><Children>\n"
    )
    for n in range(1, children + 1):
        yield _child(rng, n, year, codes)
    yield "</Children></Message>\n"


def write_census(path: Path, children: int, *, year: int = 2019, seed: int = 0) -> Path:
    """Write a synthetic census to `path` and return it."""
    with open(path, "w", encoding="utf-8") as f:
        for piece in census_xml(children, year=year, seed=seed):
            f.write(piece)
    return Path(path)
