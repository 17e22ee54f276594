"""A small, hand-made, valid SSDA903 return (and last year's) for rule tests, with mutators.

Written in 2018-19 terms (year ending 31 March 2019) and moved to a later year by whole calendar
years (`shift`), which also recodes SEX 1/2 as M/F from 2024-25. Four children:

- C1 (boy, born 1 Jun 2008): in care since 1 May 2017 (C2, N1, foster U1), moved to U3 on 3 Sep
  2018, still looked after at 31 March: the OC2 cohort (SDQ, health, convictions); two reviews,
  one missing episode, two social worker episodes.
- C2 (girl, born 10 Feb 2003): one section 20 episode 1 Jun 2018 - 15 Jan 2019, went home (E4A);
  previous permanence Z1.
- C3 (boy, born 10 Jan 2017): in care since 1 Mar 2017, placement order (E1) 14 May 2018, placed
  for adoption (A4) 1 Aug 2018, adopted 20 Feb 2019; decision to place 20 Apr 2018, AD1 complete.
- C4 (young man, born 1 Jul 2000): care leaver (OC3) who left care on 1 Mar 2018 (last year).
"""

from __future__ import annotations

from datetime import date as d
from functools import cache
from typing import Any

import polars as pl

from safeguard.returns.tables import SSDA903, Return, conform
from safeguard.returns.tests.mutations import Mutation, add, chain, drop, edit  # noqa: F401

DOB = {"C1": d(2008, 6, 1), "C2": d(2003, 2, 10), "C3": d(2017, 1, 10), "C4": d(2000, 7, 1)}


def _frames(rows: dict[str, list[dict[str, Any]]]) -> Return:
    return conform({t: pl.DataFrame(r, schema=SSDA903[t]) for t, r in rows.items()}, SSDA903)


def _ep(
    child: str,
    decom: d,
    rne: str,
    ls: str,
    cin: str,
    place: str,
    prov: str | None,
    dec: d | None = None,
    rec: str | None = None,
    rpc: str | None = None,
    post: str = "AB3 4EF",
    urn: str | None = "SC111111",
) -> dict[str, Any]:
    return {
        "CHILD": child,
        "DECOM": decom,
        "RNE": rne,
        "LS": ls,
        "CIN": cin,
        "PLACE": place,
        "PLACE_PROVIDER": prov,
        "DEC": dec,
        "REC": rec,
        "REASON_PLACE_CHANGE": rpc,
        "HOME_POST": "AB1 2CD",
        "PL_POST": post,
        "URN": urn,
    }


def _header() -> list[dict[str, Any]]:
    return [
        {
            "CHILD": "C1",
            "SEX": "1",
            "DOB": DOB["C1"],
            "ETHNIC": "WBRI",
            "UPN": "A123456789012",
            "UASC": "0",
        },
        {
            "CHILD": "C2",
            "SEX": "2",
            "DOB": DOB["C2"],
            "ETHNIC": "ABAN",
            "UPN": "B123456789013",
            "MOTHER": "0",
            "UASC": "0",
        },
        {"CHILD": "C3", "SEX": "1", "DOB": DOB["C3"], "ETHNIC": "WBRI", "UPN": "UN1", "UASC": "0"},
        {
            "CHILD": "C4",
            "SEX": "1",
            "DOB": DOB["C4"],
            "ETHNIC": "WBRI",
            "UPN": "C123456789014",
            "UASC": "0",
        },
    ]


def base() -> Return:
    """A fresh dict over cached frames (frames are immutable; mutators build new dicts)."""
    return dict(_base())


@cache
def _base() -> Return:
    """This year's valid return, in 2018-19 terms."""
    return _frames(
        {
            "Header": _header(),
            "Episodes": [
                _ep(
                    "C1", d(2017, 5, 1), "S", "C2", "N1", "U1", "PR1", d(2018, 9, 3), "X1", "CARPL"
                ),
                _ep(
                    "C1",
                    d(2018, 9, 3),
                    "P",
                    "C2",
                    "N1",
                    "U3",
                    "PR1",
                    post="AB5 6GH",
                    urn="SC222222",
                ),
                _ep("C2", d(2018, 6, 1), "S", "V2", "N4", "U4", "PR2", d(2019, 1, 15), "E4A"),
                _ep("C3", d(2017, 3, 1), "S", "C1", "N1", "U1", "PR1", d(2018, 5, 14), "X1"),
                _ep(
                    "C3", d(2018, 5, 14), "L", "E1", "N1", "U1", "PR1", d(2018, 8, 1), "X1", "PLACE"
                ),
                _ep(
                    "C3",
                    d(2018, 8, 1),
                    "P",
                    "E1",
                    "N1",
                    "A4",
                    "PR1",
                    d(2019, 2, 20),
                    "E11",
                    post="AB7 8IJ",
                    urn=None,
                ),
            ],
            "UASC": [],
            "Reviews": [
                {"CHILD": "C1", "DOB": DOB["C1"], "REVIEW": d(2018, 5, 20), "REVIEW_CODE": "PN1"},
                {"CHILD": "C1", "DOB": DOB["C1"], "REVIEW": d(2018, 11, 10), "REVIEW_CODE": "PN3"},
                {"CHILD": "C2", "DOB": DOB["C2"], "REVIEW": d(2018, 6, 28), "REVIEW_CODE": "PN1"},
                {"CHILD": "C3", "DOB": DOB["C3"], "REVIEW": d(2018, 4, 25), "REVIEW_CODE": "PN0"},
                {"CHILD": "C3", "DOB": DOB["C3"], "REVIEW": d(2018, 10, 1), "REVIEW_CODE": "PN0"},
            ],
            "AD1": [
                {
                    "CHILD": "C3",
                    "DOB": DOB["C3"],
                    "DATE_INT": d(2018, 4, 20),
                    "DATE_MATCH": d(2018, 7, 20),
                    "FOSTER_CARE": "0",
                    "NB_ADOPTR": "2",
                    "SEX_ADOPTR": "MF",
                    "LS_ADOPTR": "L11",
                }
            ],
            "PlacedAdoption": [{"CHILD": "C3", "DOB": DOB["C3"], "DATE_PLACED": d(2018, 4, 20)}],
            "PrevPerm": [{"CHILD": "C2", "DOB": DOB["C2"], "PREV_PERM": "Z1"}],
            "Missing": [
                {
                    "CHILD": "C1",
                    "DOB": DOB["C1"],
                    "MISSING": "M",
                    "MIS_START": d(2018, 10, 1),
                    "MIS_END": d(2018, 10, 2),
                }
            ],
            "OC2": [
                {
                    "CHILD": "C1",
                    "DOB": DOB["C1"],
                    "SDQ_SCORE": "12",
                    "CONVICTED": "0",
                    "IMMUNISATIONS": "1",
                    "TEETH_CHECK": "1",
                    "HEALTH_ASSESSMENT": "1",
                    "SUBSTANCE_MISUSE": "0",
                }
            ],
            "OC3": [
                {"CHILD": "C4", "DOB": DOB["C4"], "IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "B1"}
            ],
            "SWEpisodes": [
                {
                    "CHILD": "C1",
                    "DOB": DOB["C1"],
                    "SW_ID": "SW001",
                    "SW_DECOM": d(2017, 5, 1),
                    "SW_DEC": d(2018, 6, 30),
                    "SW_REASON": "MANAGE",
                },
                {
                    "CHILD": "C1",
                    "DOB": DOB["C1"],
                    "SW_ID": "SW002",
                    "SW_DECOM": d(2018, 6, 30),
                    "SW_REASON": "LEFTRL",
                },
                {
                    "CHILD": "C2",
                    "DOB": DOB["C2"],
                    "SW_ID": "SW003",
                    "SW_DECOM": d(2018, 6, 1),
                    "SW_DEC": d(2019, 1, 15),
                    "SW_REASON": "MANAGE",
                },
            ],
        }
    )


def previous() -> Return:
    """A fresh dict over cached frames (frames are immutable; mutators build new dicts)."""
    return dict(_previous())


@cache
def _previous() -> Return:
    """Last year's return (2017-18): C1 and C3 open at 31 March 2018, C4 left on 1 Mar 2018."""
    return _frames(
        {
            "Header": [h for h in _header() if h["CHILD"] != "C2"],
            "Episodes": [
                _ep("C1", d(2017, 5, 1), "S", "C2", "N1", "U1", "PR1"),
                _ep("C3", d(2017, 3, 1), "S", "C1", "N1", "U1", "PR1"),
                _ep("C4", d(2016, 7, 1), "S", "V2", "N4", "U4", "PR2", d(2018, 3, 1), "E4A"),
            ],
            "UASC": [],
            "Reviews": [],
            "AD1": [],
            "PlacedAdoption": [],
            "PrevPerm": [],
            "Missing": [],
            "OC2": [],
            "OC3": [],
            "SWEpisodes": [],
        }
    )


_SHIFTED: dict[tuple[int, int], tuple[pl.DataFrame, pl.DataFrame]] = {}


def shift(frames: Return, year: int) -> Return:
    """Move every date from 2018-19 to collection `year` by whole calendar years; from 2024-25
    SEX is coded M/F/U."""
    return {name: _shift_table(df, year) for name, df in frames.items()}


def _shift_table(df: pl.DataFrame, year: int) -> pl.DataFrame:
    """One table moved to `year`, cached by identity: tables a mutation leaves alone are the
    cached base objects, so a case only pays for the tables it changed."""
    hit = _SHIFTED.get((id(df), year))
    if hit is not None and hit[0] is df:
        return hit[1]
    dates = [c for c, t in df.schema.items() if t == pl.Date]
    out = df.with_columns([pl.col(c).dt.offset_by(f"{year - 2019}y") for c in dates])
    if year >= 2025 and "SEX" in out.columns:
        out = out.with_columns(pl.col("SEX").replace({"1": "M", "2": "F"}))
    _SHIFTED[(id(df), year)] = (df, out)
    return out
