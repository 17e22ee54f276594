"""A small, hand-made, valid CIN census return for rule tests, and helpers to mutate it.

Three children, written in 2018-19 terms (ReferenceDate 31 March 2019) and shifted to any later
census year by whole calendar years:

- A1 (born 1 May 2010): episode 1 referred 1 May 2018, assessed, S47, ICPC Tue 22 May 2018
  (a weekday in 2024 and 2025 too), CPP 22 May - 30 Nov 2018 with a review, then a CIN plan
  Dec 2018 - Jan 2019, closed 15 Feb 2019 (RC7); episode 2 referred 1 Mar 2019, assessment
  open.
- B2 (born 15 Jan 2005): one episode referred 1 Nov 2017, still open, CIN plan open since
  10 Jan 2018.
- C3 (unborn, expected 1 Jun 2019): a referral with no further action, 1 Feb 2019.

Between them A1 and B2 use 8 disability codes, and each has several (rules 2887Q, 2888Q).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import polars as pl

from safeguard.returns.tables import CIN_CENSUS, Return, conform
from safeguard.returns.tests.mutations import Mutation, add, chain, drop, edit  # noqa: F401

d = date


def base() -> Return:
    """A fresh dict over cached frames (frames are immutable; mutators build new dicts)."""
    return dict(_base())


@cache
def _base() -> Return:
    """The valid return, in 2018-19 terms."""
    rows: dict[str, list[dict[str, Any]]] = {
        "Header": [
            {
                "Collection": "CIN",
                "Year": "2019",
                "ReferenceDate": d(2019, 3, 31),
                "SourceLevel": "L",
                "LEA": "201",
            }
        ],
        "ChildIdentifiers": [
            {
                "LAchildID": "A1",
                "UPN": "B201123456781",
                "PersonBirthDate": d(2010, 5, 1),
                "GenderCurrent": "1",
                "Sex": "M",
            },
            {
                "LAchildID": "B2",
                "UPN": "Q201123456782",
                "PersonBirthDate": d(2005, 1, 15),
                "GenderCurrent": "2",
                "Sex": "F",
            },
            {
                "LAchildID": "C3",
                "UPNunknown": "UN1",
                "ExpectedPersonBirthDate": d(2019, 6, 1),
                "GenderCurrent": "0",
                "Sex": "U",
            },
        ],
        "ChildCharacteristics": [
            {"LAchildID": "A1", "Ethnicity": "WBRI"},
            {"LAchildID": "B2", "Ethnicity": "ABAN"},
            {"LAchildID": "C3", "Ethnicity": "NOBT"},
        ],
        "Disabilities": [{"LAchildID": "A1", "Disability": x} for x in ("MOB", "HAND", "PC", "INC")]
        + [{"LAchildID": "B2", "Disability": x} for x in ("COMM", "LD", "HEAR", "VIS")],
        "CINdetails": [
            {
                "LAchildID": "A1",
                "CINdetailsID": 1,
                "CINreferralDate": d(2018, 5, 1),
                "ReferralSource": "1A",
                "PrimaryNeedCode": "N1",
                "CINclosureDate": d(2019, 2, 15),
                "ReasonForClosure": "RC7",
                "ReferralNFA": False,
            },
            {
                "LAchildID": "A1",
                "CINdetailsID": 2,
                "CINreferralDate": d(2019, 3, 1),
                "ReferralSource": "5A",
                "PrimaryNeedCode": "N2",
                "ReferralNFA": False,
            },
            {
                "LAchildID": "B2",
                "CINdetailsID": 1,
                "CINreferralDate": d(2017, 11, 1),
                "ReferralSource": "3A",
                "PrimaryNeedCode": "N3",
                "ReferralNFA": False,
            },
            {
                "LAchildID": "C3",
                "CINdetailsID": 1,
                "CINreferralDate": d(2019, 2, 1),
                "ReferralSource": "6",
                "CINclosureDate": d(2019, 2, 1),
                "ReasonForClosure": "RC7",
                "ReferralNFA": True,
            },
        ],
        "Assessments": [
            {
                "LAchildID": "A1",
                "CINdetailsID": 1,
                "AssessmentID": 1,
                "AssessmentActualStartDate": d(2018, 5, 2),
                "AssessmentAuthorisationDate": d(2018, 5, 30),
                "AssessmentFactors": ["2A", "3A"],
            },
            {
                "LAchildID": "A1",
                "CINdetailsID": 2,
                "AssessmentID": 1,
                "AssessmentActualStartDate": d(2019, 3, 4),
                "AssessmentFactors": [],
            },
        ],
        "CINplanDates": [
            {
                "LAchildID": "A1",
                "CINdetailsID": 1,
                "CINPlanStartDate": d(2018, 12, 3),
                "CINPlanEndDate": d(2019, 1, 31),
            },
            {"LAchildID": "B2", "CINdetailsID": 1, "CINPlanStartDate": d(2018, 1, 10)},
        ],
        "Section47": [
            {
                "LAchildID": "A1",
                "CINdetailsID": 1,
                "S47ID": 1,
                "S47ActualStartDate": d(2018, 5, 3),
                "InitialCPCtarget": d(2018, 5, 22),
                "DateOfInitialCPC": d(2018, 5, 22),
                "ICPCnotRequired": False,
            },
        ],
        "ChildProtectionPlans": [
            {
                "LAchildID": "A1",
                "CINdetailsID": 1,
                "CPPID": 1,
                "CPPstartDate": d(2018, 5, 22),
                "CPPendDate": d(2018, 11, 30),
                "InitialCategoryOfAbuse": "NEG",
                "LatestCategoryOfAbuse": "NEG",
                "NumberOfPreviousCPP": 0,
            },
        ],
        "Reviews": [
            {"LAchildID": "A1", "CINdetailsID": 1, "CPPID": 1, "CPPreviewDate": d(2018, 8, 23)}
        ],
    }
    frames = {t: pl.DataFrame(r, schema=CIN_CENSUS[t]) for t, r in rows.items() if t != "Header"}
    frames["Header"] = pl.DataFrame(rows["Header"], schema_overrides=CIN_CENSUS["Header"])
    return conform(frames, CIN_CENSUS)


_SHIFTED: dict[tuple[int, int], tuple[pl.DataFrame, pl.DataFrame]] = {}


def shift(frames: Return, year: int) -> Return:
    """Move every date from 2018-19 to census `year` by whole calendar years.

    Year boundaries are kept; weekdays and working-day counts are not, so cases that depend on
    them (weekends, 45/15 working days) are written for 2019 only."""
    return {name: _shift_table(df, year) for name, df in frames.items()}


def _shift_table(df: pl.DataFrame, year: int) -> pl.DataFrame:
    """One table moved to `year`, cached by identity (see the SSDA903 builder)."""
    hit = _SHIFTED.get((id(df), year))
    if hit is not None and hit[0] is df:
        return hit[1]
    dates = [c for c, t in df.schema.items() if t == pl.Date]
    out = df.with_columns([pl.col(c).dt.offset_by(f"{year - 2019}y") for c in dates])
    _SHIFTED[(id(df), year)] = (df, out)
    return out
