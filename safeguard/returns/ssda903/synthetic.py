"""Invented SSDA903 returns of any size, seeded, for benchmarks: no real child is in them.

Built column-wise with numpy and polars (no loop over children), valid for the year's code
lists so that the whole set reads without a problem.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from safeguard.codes import cin, ssda903

from . import spec, writer


def _pick(rng: np.random.Generator, codes, n: int, year: int) -> np.ndarray:
    return rng.choice(sorted(codes.valid(year)), size=n)


def make_return(children: int, *, year: int = 2019, seed: int = 1) -> dict[str, pl.DataFrame]:
    """A return of `children` looked-after children for the collection year."""
    rng = np.random.default_rng(seed)
    start, end = spec.year_bounds(year)
    ids = np.array([f"B{n:07d}" for n in range(children)])
    dob = pl.Series(
        np.datetime64(date(year - 18, 4, 1)) + rng.integers(0, 17 * 365, children)
    ).cast(pl.Date)
    header = pl.DataFrame(
        {
            "CHILD": ids,
            "SEX": rng.choice(["1", "2"], children),
            "DOB": dob,
            "ETHNIC": _pick(rng, cin.ETHNICITY, children, year),
            "UPN": [f"A{n:012d}" for n in range(children)],
        }
    )
    frames = {"Header": header, "Episodes": _episodes(rng, ids, start, end, year)}
    frames.update(_per_child(rng, header, start, end, year))
    uasc = frames["UASC"].get_column("CHILD").implode()
    flag = pl.when(pl.col("CHILD").is_in(uasc)).then(pl.lit("1")).otherwise(pl.lit("0"))
    frames["Header"] = header.with_columns(flag.alias("UASC"))  # "1" for those in the UASC file
    return {t: _conform(frames.get(t), cols) for t, cols in spec.TABLES.items()}


def _episodes(rng, ids: np.ndarray, start: date, end: date, year: int) -> pl.DataFrame:
    """1-6 consecutive episodes per child, the first starting in the year; some end in care."""
    per = rng.integers(1, 7, len(ids))
    n = int(per.sum())
    child = np.repeat(ids, per)
    k = np.concatenate([np.arange(p) for p in per])
    first = np.repeat(np.datetime64(start) + rng.integers(0, 120, len(ids)), per)
    decom = first + k * 35
    is_last = np.repeat(np.cumsum(per) - 1, per) == np.arange(n)
    closed = is_last & (rng.random(n) < 0.4)
    dec = np.where(is_last & ~closed, np.datetime64("NaT"), decom + 35)
    rec = np.where(is_last, np.where(closed, rng.choice(["E4A", "E13", "E8"], n), None), "X1")
    return pl.DataFrame(
        {
            "CHILD": child,
            "DECOM": decom,
            "RNE": np.where(k == 0, "S", rng.choice(["P", "L"], n)),
            "LS": _pick(rng, ssda903.LEGAL_STATUS, n, year),
            "CIN": np.repeat(_pick(rng, ssda903.CATEGORY_OF_NEED, len(ids), year), per),
            "PLACE": rng.choice(["U1", "U4", "U6", "K2", "R1"], n),
            "PLACE_PROVIDER": rng.choice(["PR1", "PR4", "PR5"], n),
            "DEC": dec,
            "REC": rec,
            "HOME_POST": rng.choice(["AB1 2CD", "XY9 8ZZ", "LS1 4AP"], n),
            "PL_POST": rng.choice(["AB3 2CD", "XY9 1ZZ"], n),
        }
    ).with_columns(pl.col("DECOM", "DEC").cast(pl.Date))


def _per_child(rng, header: pl.DataFrame, start: date, end: date, year: int):
    n = header.height
    base = header.select("CHILD", "DOB")
    days = (end - start).days
    reviews = base.sample(n * 3, with_replacement=True, seed=int(rng.integers(1 << 30)))
    reviews = reviews.with_columns(
        pl.Series("REVIEW", np.datetime64(start) + rng.integers(0, days, reviews.height)).cast(
            pl.Date
        ),
        pl.Series("REVIEW_CODE", _pick(rng, ssda903.REVIEW_CODE, reviews.height, year)),
    ).unique(["CHILD", "REVIEW"])
    missing = base.sample(n // 3, seed=2).with_columns(
        pl.Series("MISSING", rng.choice(["M", "A"], n // 3)),
        pl.Series("MIS_START", np.datetime64(start) + rng.integers(0, days, n // 3)).cast(pl.Date),
    )
    oc2 = base.sample(n // 2, seed=3).with_columns(
        pl.Series("SDQ_SCORE", rng.integers(0, 41, n // 2).astype(str)),
        *[
            pl.Series(c, rng.choice(["0", "1"], n // 2))
            for c in (
                "CONVICTED",
                "HEALTH_CHECK",
                "IMMUNISATIONS",
                "TEETH_CHECK",
                "HEALTH_ASSESSMENT",
                "SUBSTANCE_MISUSE",
                "INTERVENTION_RECEIVED",
                "INTERVENTION_OFFERED",
            )
        ],
    )
    oc3 = base.sample(n // 20, seed=4).with_columns(
        pl.Series("IN_TOUCH", rng.choice(["YES", "NO"], n // 20)),
        pl.Series("ACTIV", _pick(rng, ssda903.ACTIV, n // 20, year)),
        pl.Series("ACCOM", _pick(rng, ssda903.ACCOM, n // 20, year)),
    )
    uasc = header.sample(n // 20, seed=5).select("CHILD", "SEX", "DOB")
    prev = base.with_columns(pl.lit("Z1").alias("PREV_PERM"))
    return {
        "Reviews": reviews,
        "Missing": missing,
        "OC2": oc2,
        "OC3": oc3,
        "UASC": uasc,
        "PrevPerm": prev,
    }


def _conform(df: pl.DataFrame | None, cols: dict) -> pl.DataFrame:
    if df is None:
        return pl.DataFrame(schema=cols)
    return df.select(
        [
            pl.col(c).cast(t) if c in df.columns else pl.lit(None, dtype=t).alias(c)
            for c, t in cols.items()
        ]
    )


def write_return(out: Path, children: int, *, year: int = 2019, seed: int = 1) -> list[Path]:
    """Write an invented return of `children` as the DfE's CSV files into directory `out`."""
    return writer.write(make_return(children, year=year, seed=seed), out, year=year)
