"""Property: any small well-formed 903 return, loaded and exported for its year, comes back.

Generated for 2018-19, for 2023-24, the first year with social worker episodes (SWEpisodes),
and for 2026-27, the first with deprivation of liberty orders (DoLo).
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.codes import cin, ssda903
from safeguard.returns.ssda903 import spec
from safeguard.returns.ssda903.codec import CODEC
from safeguard.returns.tables import conform

from .helpers import differences

YEAR = 2019
SW_YEAR = 2024  # first collection year with SWEpisodes
DOLO_YEAR = 2027  # first collection year with DoLo


def _codes(cl, year: int = YEAR):
    return st.sampled_from(sorted(cl.valid(year)))


def _day(lo: date, hi: date):
    return st.integers(0, (hi - lo).days).map(lambda n: lo + timedelta(days=n))


@st.composite
def child(draw, n: int, year: int = YEAR) -> dict[str, list[dict]]:
    cid = f"C{n}"
    start, end = spec.year_bounds(year)
    shift = timedelta(days=365 * (year - YEAR) + (year - YEAR) // 4)
    dob = draw(_day(date(2001, 1, 1), date(2017, 12, 31))) + shift
    out: dict[str, list[dict]] = {t: [] for t in spec.TABLES}
    out["Header"].append(
        {
            "CHILD": cid,
            "SEX": draw(st.sampled_from(["1", "2"])),
            "DOB": dob,
            "ETHNIC": draw(_codes(cin.ETHNICITY, year)),
            "UPN": draw(st.sampled_from([None, "A123456789012", "UN2"])),
            "MOTHER": None,
            "MC_DOB": None,
            "UASC": "0",  # "1" below for a child given a UASC row
        }
    )
    decom = draw(_day(start, end - timedelta(days=40)))
    for k in range(draw(st.integers(1, 3))):
        dec = decom + timedelta(days=draw(st.integers(1, 12)))
        last = dec > end or draw(st.booleans())
        out["Episodes"].append(
            {
                "CHILD": cid,
                "DECOM": decom,
                "RNE": "S" if k == 0 else draw(_codes(ssda903.RNE, year)),
                "LS": draw(_codes(ssda903.LEGAL_STATUS, year)),
                "CIN": "N1",
                "PLACE": draw(_codes(ssda903.PLACE, year)),
                "PLACE_PROVIDER": "PR1",
                "DEC": None if last and draw(st.booleans()) else dec,
                "REC": draw(_codes(ssda903.REC, year)) if last else "X1",
                "REASON_PLACE_CHANGE": None,
                "HOME_POST": "AB1 2CD",
                "PL_POST": None,
                "URN": None,
            }
        )
        if out["Episodes"][-1]["DEC"] is None:
            out["Episodes"][-1]["REC"] = None
            break
        if last:
            break
        decom = dec
    for d in draw(st.sets(_day(start, end), max_size=2)):
        out["Reviews"].append(
            {"CHILD": cid, "REVIEW": d, "REVIEW_CODE": draw(_codes(ssda903.REVIEW_CODE, year))}
        )
    for d in draw(st.sets(_day(start, end), max_size=2)):
        out["Missing"].append(
            {
                "CHILD": cid,
                "MISSING": draw(_codes(ssda903.MISSING, year)),
                "MIS_START": d,
                "MIS_END": draw(st.none() | st.just(d)),
            }
        )
    if draw(st.booleans()):
        out["OC2"].append(
            {
                "CHILD": cid,
                "SDQ_SCORE": str(draw(st.integers(0, 40))),
                "CONVICTED": draw(st.sampled_from(["0", "1", None])),
                "TEETH_CHECK": "1",
            }
        )
    if draw(st.booleans()):
        out["UASC"].append({"CHILD": cid, "SEX": out["Header"][0]["SEX"], "DUC": None})
        out["Header"][0]["UASC"] = "1"
    if draw(st.booleans()):
        out["PrevPerm"].append(
            {
                "CHILD": cid,
                "PREV_PERM": draw(_codes(ssda903.PREV_PERM, year)),
                "LA_PERM": None,
                "DATE_PERM": draw(st.sampled_from([None, "zz/03/2015"])),
            }
        )
    if draw(st.booleans()):
        decided = draw(_day(date(2016, 1, 1) + shift, end))
        out["PlacedAdoption"].append(
            {
                "CHILD": cid,
                "DATE_PLACED": decided,
                "DATE_PLACED_CEASED": None,
                "REASON_PLACED_CEASED": None,
            }
        )
        if draw(st.booleans()):
            out["AD1"].append(
                {
                    "CHILD": cid,
                    "DATE_INT": decided,
                    "DATE_MATCH": decided,
                    "FOSTER_CARE": "1",
                    "NB_ADOPTR": "2",
                    "SEX_ADOPTR": "MF",
                    "LS_ADOPTR": draw(_codes(ssda903.LS_ADOPTR, year)),
                }
            )
    if year >= SW_YEAR:
        out["SWEpisodes"] = draw(_sw_episodes(cid, start, end, year))
    if year >= DOLO_YEAR:
        out["DoLo"] = draw(_dolo(cid, start, end))
    for rows in out.values():
        for r in rows:
            r.setdefault("DOB", dob)
    return out


@st.composite
def _sw_episodes(draw, cid: str, start: date, end: date, year: int) -> list[dict]:
    """Up to three consecutive social worker episodes, the first maybe begun before the year."""
    rows: list[dict] = []
    begin = draw(_day(start - timedelta(days=200), end - timedelta(days=60)))
    for k in range(draw(st.integers(0, 3))):
        finish = begin + timedelta(days=draw(st.integers(1, 20)))
        last = k == 2 or finish > end or draw(st.booleans())
        rows.append(
            {
                "CHILD": cid,
                "SW_ID": draw(st.sampled_from(["SW1234", "SW98", "XX", None])),
                "SW_DECOM": begin,
                "SW_DEC": None if last and draw(st.booleans()) else finish,
                "SW_REASON": draw(st.none() | _codes(ssda903.SW_REASON, year)),
            }
        )
        if last:
            break
        begin = finish + timedelta(days=1)
    return rows


@st.composite
def _dolo(draw, cid: str, start: date, end: date) -> list[dict]:
    """Up to two orders one after the other, the first maybe made before the year; an order
    may be open, or end after 31 March (the year's own return keeps what it said)."""
    rows: list[dict] = []
    begin = draw(_day(start - timedelta(days=300), end - timedelta(days=30)))
    for _ in range(draw(st.integers(0, 2))):
        days = draw(st.none() | st.integers(0, 200))
        finish = None if days is None else begin + timedelta(days=days)
        rows.append({"CHILD": cid, "DOLO_START": begin, "DOLO_END": finish})
        if finish is None or finish >= end:
            break
        begin = finish + timedelta(days=1)
    return rows


@st.composite
def returns(draw, year: int = YEAR) -> dict[str, pl.DataFrame]:
    kids = [draw(child(n, year)) for n in range(draw(st.integers(1, 4)))]
    frames = {}
    for t, cols in spec.TABLES.items():
        rows = [r for k in kids for r in k[t]]
        frames[t] = pl.DataFrame(rows, schema=cols) if rows else pl.DataFrame(schema=cols)
    return conform(frames, spec.TABLES)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(frames=returns())
def test_loaded_return_exports_unchanged(frames):
    _round_trip(frames, YEAR)


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(frames=returns(SW_YEAR))
def test_loaded_2024_return_with_sw_episodes_exports_unchanged(frames):
    _round_trip(frames, SW_YEAR)


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(frames=returns(DOLO_YEAR))
def test_loaded_2027_return_with_dolo_exports_unchanged(frames):
    _round_trip(frames, DOLO_YEAR)


def _round_trip(frames: dict[str, pl.DataFrame], year: int) -> None:
    with transaction.atomic():
        CODEC.to_record(frames, source=f"ssda903:{year}")
        back = CODEC.from_record(year=year)
        assert differences(frames, back, spec.tables_for(year)) == {}
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(frames=returns())
def test_written_files_read_back_the_same(tmp_path_factory, frames):
    out = tmp_path_factory.mktemp("r")
    CODEC.write(frames, out, year=YEAR)
    result = CODEC.read([out], year=YEAR)
    assert result.problems == []
    assert differences(frames, result.frames) == {}
