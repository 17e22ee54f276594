"""Reading SSDA903 files: recognised by columns, rows refused for the right reasons."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from safeguard.returns.ssda903 import checks, reader

from .helpers import write_csvs

EP_COLS = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)


def test_files_are_recognised_by_columns_not_names(tmp_path):
    folder = write_csvs(
        tmp_path / "r",
        {
            "whatever.csv": f"{EP_COLS}\nA1,01/04/2018,S,C2,N1,U1,PR1,,,,,,",
            "also_anything.csv": "CHILD,DOB,REVIEW,REVIEW_CODE\nA1,01/01/2010,10/05/2018,PN1",
            "notes.csv": "NAME,TEXT\nx,y",
        },
    )
    result = reader.read([folder])
    assert result.frames["Episodes"].height == 1
    assert result.frames["Reviews"].get_column("REVIEW").to_list() == [date(2018, 5, 10)]
    [problem] = result.problems
    assert problem.rule == reader.UNRECOGNISED and problem.file.endswith("notes.csv")


def test_a_file_missing_a_column_is_refused_whole(tmp_path):
    folder = write_csvs(tmp_path / "r", {"ep.csv": "CHILD,DECOM,RNE,LS\nA1,01/04/2018,S,C2"})
    result = reader.read([folder])
    assert result.frames["Episodes"].height == 0
    [problem] = result.problems
    assert problem.location == "line 1"
    assert "CIN, PLACE" in problem.rule and problem.rule.startswith("The Episodes file lacks")


def test_bad_rows_are_reported_with_line_field_value_and_rule(tmp_path):
    # Latest DECOM 01/05/2018 -> the return is 2018-19 (year 2019), where E45 is valid but E43
    # (special guardianship, replaced by E45-E48) is not.
    folder = write_csvs(
        tmp_path / "r",
        {
            "ep.csv": "\n".join(
                [
                    EP_COLS,
                    "A1,01/04/2018,S,C2,N1,U1,PR1,02/04/2018,E45,,,,",  # line 2: fine
                    "A2,31/02/2018,S,C2,N1,U1,PR1,,,,,,",  # line 3: no 31 February
                    ",01/04/2018,S,C2,N1,U1,PR1,,,,,,",  # line 4: no CHILD
                    "A3,01/05/2018,S,C2,N1,U1,PR1,02/05/2018,E43,,,,",  # line 5: E43 ended 2017-18
                    "A4,01/04/2018,S,C2,N1,Q9,PR1,,,,,,",  # line 6: no placement type Q9
                ]
            )
        },
    )
    result = reader.read([folder])
    assert result.year == 2019
    assert result.frames["Episodes"].get_column("CHILD").to_list() == ["A1"]
    got = {(p.location, p.field, p.value, p.rule) for p in result.problems}
    assert got == {
        ("line 3", "DECOM", "31/02/2018", checks.BAD_DATE),
        ("line 4", "CHILD", "", checks.NO_CHILD),
        ("line 5", "REC", "E43", "Not in the REC code list for 2018-19."),
        ("line 6", "PLACE", "Q9", "Not in the PLACE code list for 2018-19."),
    }


def test_the_same_code_is_valid_in_an_earlier_year(tmp_path):
    folder = write_csvs(
        tmp_path / "r",
        {"ep.csv": "\n".join([EP_COLS, "A3,01/05/2017,S,C2,N1,U1,PR1,02/05/2017,E43,,,,"])},
    )
    result = reader.read([folder])
    assert result.year == 2018 and result.problems == []


def test_iso_dates_are_accepted_as_a_fallback_and_extra_columns_ignored(tmp_path):
    folder = write_csvs(
        tmp_path / "r", {"ep.csv": f"{EP_COLS},LA\nA1,2018-04-01,S,C2,N1,U1,PR1,,,,,,,X"}
    )
    result = reader.read([folder])
    assert result.problems == []
    assert result.frames["Episodes"].get_column("DECOM").to_list() == [date(2018, 4, 1)]


def test_a_second_header_row_for_a_child_is_refused(tmp_path):
    folder = write_csvs(
        tmp_path / "2019",
        {
            "h.csv": "\n".join(
                [
                    "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
                    "A1,1,01/01/2010,WBRI,,,",
                    "A1,2,01/01/2010,WBRI,,,",
                ]
            )
        },
    )
    result = reader.read([folder])
    assert [(p.location, p.rule) for p in result.problems] == [
        ("line 3", checks.DUPLICATE.format(table="Header"))
    ]
    assert result.frames["Header"].get_column("SEX").to_list() == ["1"]


def test_several_years_merge_and_the_later_return_wins(tmp_path):
    # 2019's return has A1's episode open; 2020's return closes it: one episode, closed.
    write_csvs(tmp_path / "2019", {"e.csv": f"{EP_COLS}\nA1,01/04/2018,S,C2,N1,U1,PR1,,,,,,"})
    write_csvs(
        tmp_path / "2020",
        {
            "e.csv": "\n".join(
                [
                    EP_COLS,
                    "A1,01/04/2018,S,C2,N1,U1,PR1,01/06/2019,E4A,,,,",
                    "A2,01/07/2019,S,V2,N4,U6,PR1,,,,,,",
                ]
            )
        },
    )
    result = reader.read([tmp_path / "2019", tmp_path / "2020"])
    ep = result.frames["Episodes"].sort("CHILD")
    assert result.year == 2020
    assert ep.select("CHILD", "DEC", "REC").rows() == [
        ("A1", date(2019, 6, 1), "E4A"),
        ("A2", None, None),
    ]


def test_xml_form_reads_into_the_same_tables(tmp_path):
    xml = tmp_path / "r.xml"
    xml.write_text(
        "<?xml version='1.0'?><EXPSSDA903><CHILD><HEADER><CHILDID>X1</CHILDID><UPN>A123</UPN>"
        "<SEX>2</SEX><DOB>28/07/2010</DOB><ETHNIC>BAFR</ETHNIC><UASC>1</UASC><DUC>28/07/2028</DUC>"
        "<AREVIEW><REVIEW>27/09/2018</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>"
        "<MOTHER/><MC_DOB/><PERMANENCE><PREV_PERM>Z1</PREV_PERM></PERMANENCE></HEADER>"
        "<EPISODE><DECOM>06/01/2019</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N4</CIN><PL>U4</PL>"
        "<PL_POST/><HOME_POST/><URN/><PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC/><REC/>"
        "<REASON_PLACE_CHANGE/></EPISODE></CHILD></EXPSSDA903>"
    )
    result = reader.read([xml])
    assert result.problems == [] and result.year == 2019
    f = result.frames
    assert f["Episodes"].select("CHILD", "PLACE", "DECOM").rows() == [
        ("X1", "U4", date(2019, 1, 6))
    ]
    assert f["UASC"].select("CHILD", "DUC").rows() == [("X1", date(2028, 7, 28))]
    assert f["Reviews"].select("CHILD", "DOB", "REVIEW_CODE").rows() == [
        ("X1", date(2010, 7, 28), "PN1")
    ]
    assert f["PrevPerm"].get_column("PREV_PERM").to_list() == ["Z1"]


def test_xml_problems_name_the_element_path(tmp_path):
    xml = tmp_path / "r.xml"
    xml.write_text(
        "<EXPSSDA903><CHILD><HEADER><CHILDID>X1</CHILDID><SEX>1</SEX><DOB>01/01/2010</DOB>"
        "<ETHNIC>WBRI</ETHNIC></HEADER><EPISODE><DECOM>06/01/2019</DECOM><RNE>S</RNE><LS>C2</LS>"
        "<CIN>N4</CIN><PL>U4</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE>"
        "<EPISODE><DECOM>07/01/2019</DECOM><RNE>Z</RNE><LS>C2</LS><CIN>N4</CIN><PL>U4</PL>"
        "</EPISODE></CHILD></EXPSSDA903>"
    )
    [p] = reader.read([xml]).problems
    assert (p.location, p.field, p.value) == ("/EXPSSDA903/CHILD[1]/EPISODE[2]", "RNE", "Z")


def test_frames_have_exactly_the_contract_columns(tmp_path):
    folder = write_csvs(
        tmp_path / "r", {"ep.csv": f"{EP_COLS}\nA1,01/04/2018,S,C2,N1,U1,PR1,,,,,,"}
    )
    ep = reader.read([folder]).frames["Episodes"]
    assert ep.columns == EP_COLS.split(",")
    assert ep.schema["DECOM"] == pl.Date


def test_returns_in_groups_files_by_folder_oldest_first(tmp_path):
    write_csvs(tmp_path / "2020", {"e.csv": f"{EP_COLS}\nA1,01/04/2019,S,C2,N1,U1,PR1,,,,,,"})
    write_csvs(
        tmp_path / "2019",
        {
            "e.csv": f"{EP_COLS}\nA1,01/04/2018,S,C2,N1,U1,PR1,,,,,,",
            "r.csv": "CHILD,DOB,REVIEW,REVIEW_CODE\nA1,,01/05/2018,PN1",
        },
    )
    groups = reader.returns_in([tmp_path / "2020", tmp_path / "2019"])
    assert [[f.name for f in g] for g in groups] == [["e.csv", "r.csv"], ["e.csv"]]
    assert groups[0][0].parent.name == "2019"


def test_hostile_xml_is_refused_before_parsing(tmp_path):
    import pytest

    from safeguard.returns import safety
    from safeguard.returns.codec import ReturnRefused

    xml = tmp_path / "r.xml"
    xml.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        "<EXPSSDA903><CHILD><HEADER><CHILDID>&a;</CHILDID></HEADER></CHILD>"
        "</EXPSSDA903>"
    )
    with pytest.raises(ReturnRefused) as refused:
        reader.read([xml])
    assert refused.value.problems[0].rule == safety.DOCTYPE_REFUSED


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("2019/header.csv", 2019),
        ("returns/header_2019.csv", 2019),
        ("returns/header_2018-19.csv", 2019),
        ("returns/903_2024_25_episodes.csv", 2025),
        ("2018-2019/header.csv", 2019),
        ("returns/header201819.csv", 2019),
        ("returns/header_2019_03_31.csv", 2019),  # a date, not a span: 2019
        ("returns/header_2018-20.csv", 2018),  # not a one-year span: the one full year named
        ("returns/header.csv", None),
    ],
)
def test_the_year_a_name_gives_is_the_year_the_collection_ends(name, year):
    """The DfE writes a collection year as its span (2018-19), which ends in 2019: a return
    named so is 2019's, not 2018's (found in review: it loaded a year early)."""
    assert reader.year_in_name(Path(name)) == year
