"""Test helpers: CIN census frames in an order-free form, and the census-year scope."""

from __future__ import annotations

from datetime import date

import polars as pl

from safeguard.returns.tables import CIN_CENSUS, Return, conform

_POSITIONS = ("CINdetailsID", "AssessmentID", "S47ID", "CPPID")


def in_year(frames: Return, year: int) -> Return:
    """Only the episodes open at any time in the census year, and only children with one."""
    start, end = date(year - 1, 4, 1), date(year, 3, 31)
    det = frames["CINdetails"].filter(
        (pl.col("CINreferralDate") <= end)
        & (pl.col("CINclosureDate").is_null() | (pl.col("CINclosureDate") >= start))
    )
    kids = det.select("LAchildID").unique()
    keys = det.select("LAchildID", "CINdetailsID")
    out = {"Header": frames["Header"]}
    for name, df in frames.items():
        if name == "Header":
            continue
        on = ["LAchildID", "CINdetailsID"] if "CINdetailsID" in df.columns else ["LAchildID"]
        out[name] = df.join(keys if len(on) == 2 else kids, on=on, how="semi")
    return out


def canonical(frames: Return, *, sex_as_gender: bool = True) -> dict[str, list]:
    """Each table as a sorted list of rows, positions replaced by the parent's dates."""
    f = conform(frames, CIN_CENSUS)
    det = f["CINdetails"].select("LAchildID", "CINdetailsID", "CINreferralDate")
    cpp = f["ChildProtectionPlans"].select("LAchildID", "CINdetailsID", "CPPID", "CPPstartDate")
    out = {}
    for name, df in f.items():
        if name == "Header":
            continue
        if name == "Reviews":
            df = df.join(cpp, on=["LAchildID", "CINdetailsID", "CPPID"], how="left")
        if "CINdetailsID" in df.columns and name != "CINdetails":
            df = df.join(det, on=["LAchildID", "CINdetailsID"], how="left")
        if name == "ChildIdentifiers" and sex_as_gender:
            df = df.with_columns(
                pl.coalesce(
                    "GenderCurrent",
                    pl.col("Sex").replace_strict({"M": "1", "F": "2", "U": "0"}, default=None),
                ).alias("GenderCurrent"),
                pl.lit(None, pl.Utf8).alias("Sex"),
            )
        if name == "Assessments":
            df = df.with_columns(pl.col("AssessmentFactors").list.sort())
        df = df.drop([c for c in _POSITIONS if c in df.columns])
        out[name] = sorted(df.iter_rows(), key=repr)
    return out
