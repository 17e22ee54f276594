"""The Header's UASC flag: read from the XML form, derived in the CSV form, left out of CSVs.

The XML form's HEADER carries <UASC> (0/1); the CSV header file has no such column, and a child
is UASC there by having a row in the UASC file (`tables.SSDA903_OPTIONAL`).
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from safeguard.returns.ssda903 import reader, writer
from safeguard.returns.ssda903.export import _uasc_in_year

from .helpers import write_csvs

HEAD = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
    "PL_POST,URN\nA1,01/04/2018,S,C2,N1,U1,PR1,,,,,,"
)


def _flags(result) -> list[tuple[str, str | None]]:  # noqa: ANN001
    return result.frames["Header"].sort("CHILD").select("CHILD", "UASC").rows()


def test_csv_flag_is_1_for_children_in_the_uasc_file_and_0_for_the_rest(tmp_path):
    folder = write_csvs(
        tmp_path / "2019",
        {
            "header.csv": f"{HEAD}\nA1,1,01/01/2004,WBRI,,,\nA2,2,01/01/2005,WBRI,,,",
            "uasc.csv": "CHILD,SEX,DOB,DUC\nA2,2,01/01/2005,01/01/2023",
            "episodes.csv": EPISODES,
        },
    )
    result = reader.read([folder])
    assert result.problems == []
    assert _flags(result) == [("A1", "0"), ("A2", "1")]


def test_csv_without_a_uasc_file_says_no_child_is_uasc(tmp_path):
    folder = write_csvs(
        tmp_path / "2019",
        {"header.csv": f"{HEAD}\nA1,1,01/01/2004,WBRI,,,", "episodes.csv": EPISODES},
    )
    assert _flags(reader.read([folder])) == [("A1", "0")]


def test_a_header_file_that_carries_the_flag_is_taken_at_its_word(tmp_path):
    # Blank and 2 are kept as given, for rule 105 to report.
    folder = write_csvs(
        tmp_path / "2019",
        {
            "header.csv": f"{HEAD},UASC\nA1,1,01/01/2004,WBRI,,,,\nA2,1,01/01/2004,WBRI,,,,2",
            "episodes.csv": EPISODES,
        },
    )
    assert _flags(reader.read([folder])) == [("A1", None), ("A2", "2")]


@pytest.mark.parametrize(("given", "read"), [("<UASC>1</UASC>", "1"), ("<UASC/>", None)])
def test_xml_flag_is_read_from_the_header(tmp_path, given, read):
    xml = tmp_path / "r.xml"
    xml.write_text(
        "<?xml version='1.0'?><EXPSSDA903><CHILD><HEADER><CHILDID>X1</CHILDID>"
        f"<SEX>2</SEX><DOB>28/07/2010</DOB><ETHNIC>BAFR</ETHNIC>{given}</HEADER>"
        "<EPISODE><DECOM>06/01/2019</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N4</CIN><PL>U4</PL>"
        "<PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE></CHILD></EXPSSDA903>"
    )
    assert _flags(reader.read([xml])) == [("X1", read)]


def test_the_csv_writer_leaves_the_flag_to_the_uasc_file(tmp_path):
    header = pl.DataFrame({"CHILD": ["A1"], "SEX": ["1"], "DOB": [date(2004, 1, 1)], "UASC": ["1"]})
    writer.write({"Header": header}, tmp_path, year=2019)
    assert (tmp_path / "header.csv").read_text().splitlines()[0] == HEAD


def test_export_keeps_children_uasc_in_the_year_and_flags_them():
    # A1 still UASC (ceases at 18 in 2022); A2's status ceased 31 March 2018, before 2018-19;
    # A3 ceased on 1 April 2018, the year's first day; A4 was never UASC.
    header = pl.DataFrame({"CHILD": ["A1", "A2", "A3", "A4"]})
    uasc = pl.DataFrame(
        {
            "CHILD": ["A1", "A2", "A3"],
            "DUC": [date(2022, 5, 1), date(2018, 3, 31), date(2018, 4, 1)],
        }
    )
    out = _uasc_in_year({"Header": header, "UASC": uasc}, 2019)
    assert out["UASC"]["CHILD"].to_list() == ["A1", "A3"]
    assert out["Header"].select("CHILD", "UASC").rows() == [
        ("A1", "1"),
        ("A2", "0"),
        ("A3", "1"),
        ("A4", "0"),
    ]
