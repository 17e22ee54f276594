"""Writing SSDA903 CSV files: exactly the year's tables and columns, DD/MM/YYYY, no formulas."""

from __future__ import annotations

import csv
from datetime import date

import polars as pl
import pytest

from safeguard.returns.ssda903 import reader, spec, writer
from safeguard.returns.tables import SSDA903, empty

# shared/reference/ssda903.md section 2, written out again by hand so the test cannot agree
# with a wrong declaration by construction.
SPEC_COLUMNS = {
    "header.csv": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
    "episodes.csv": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN",
    "uasc.csv": "CHILD,SEX,DOB,DUC",
    "reviews.csv": "CHILD,DOB,REVIEW,REVIEW_CODE",
    "ad1.csv": "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR",
    "placed_for_adoption.csv": "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED",
    "previous_permanence.csv": "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM",
    "missing.csv": "CHILD,DOB,MISSING,MIS_START,MIS_END",
    "oc2.csv": "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,"
    "HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED",
    "oc3.csv": "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM",
}
SW = {"sw_episodes.csv": "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON"}
DOLO = {"dolo.csv": "CHILD,DOB,DOLO_START,DOLO_END"}


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2019, SPEC_COLUMNS),
        (2023, SPEC_COLUMNS),
        (2024, {**SPEC_COLUMNS, **SW}),
        (2027, {**SPEC_COLUMNS, **SW, **DOLO}),
    ],
)
def test_export_has_exactly_the_years_files_and_columns(tmp_path, year, expected):
    paths = writer.write(empty(spec.TABLES), tmp_path, year=year)
    got = {p.name: p.read_text().splitlines()[0] for p in paths}
    assert got == expected


def test_dates_are_dd_mm_yyyy_and_formulas_are_defused(tmp_path):
    frames = empty(SSDA903)
    frames["Episodes"] = pl.DataFrame(
        {
            "CHILD": ['=HYPERLINK("x")'],
            "DECOM": [date(2018, 4, 9)],
            "RNE": ["S"],
            "HOME_POST": ["+44 1"],
            "URN": ["-3"],
        }
    ).pipe(
        lambda df: df.select(
            [
                pl.col(c) if c in df.columns else pl.lit(None, dtype=t).alias(c)
                for c, t in SSDA903["Episodes"].items()
            ]
        )
    )
    writer.write(frames, tmp_path, year=2019)
    [row] = list(csv.DictReader((tmp_path / "episodes.csv").open()))
    assert row["DECOM"] == "09/04/2018"
    assert row["CHILD"] == '\'=HYPERLINK("x")'
    assert row["HOME_POST"] == "'+44 1"
    assert row["URN"] == "-3"  # a plain number is not a formula
    assert row["DEC"] == ""
    # Read back, the guard comes off: the same values as were written.
    back = reader.read_csv_text(tmp_path / "episodes.csv").row(0, named=True)
    assert (back["CHILD"], back["HOME_POST"], back["URN"]) == ('=HYPERLINK("x")', "+44 1", "-3")
