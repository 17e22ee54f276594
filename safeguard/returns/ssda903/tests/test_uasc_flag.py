"""The Header's UASC flag: read from the XML form, derived in the CSV form, left out of CSVs.

The XML form's HEADER carries <UASC> (0/1); the CSV header file has no such column, and a child
is UASC there by having a row in the UASC file (`tables.SSDA903_OPTIONAL`). Either way of saying
it makes the child UASC in the record (`mapping.child_attributes`).
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from safeguard.journey import models as jm
from safeguard.returns.engine import CHILD_COLUMN, validate_return
from safeguard.returns.ssda903 import reader, writer
from safeguard.returns.ssda903.codec import CODEC
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


# --- Into the record and back: the two ways a return says a child is UASC -------------------
#
# 2018-19 return, header file carrying the flag (as the XML form always does):
# U1: flag 1, no UASC row          -> UASC, no date ceased (the flag alone says it)
# U2: flag 1, UASC row, DUC 2022   -> UASC, ceased 1 May 2022
# U3: flag 0, UASC row, DUC 2019   -> UASC, ceased 1 Feb 2019: a DUC is only given for a child
#                                     who was UASC; the flag breaks rule 303, which reports it
# U4: flag 0, no UASC row          -> not UASC
FLAGGED = {
    "header.csv": "\n".join(
        [
            f"{HEAD},UASC",
            "U1,1,01/01/2004,WBRI,,,,1",
            "U2,1,01/05/2004,WBRI,,,,1",
            "U3,2,01/02/2001,WBRI,,,,0",
            "U4,2,01/01/2005,WBRI,,,,0",
        ]
    ),
    "uasc.csv": "CHILD,SEX,DOB,DUC\nU2,1,01/05/2004,01/05/2022\nU3,2,01/02/2001,01/02/2019",
    "episodes.csv": "\n".join(
        [EPISODES.splitlines()[0]]
        + [f"{c},01/04/2018,S,C2,N1,U1,PR1,,,,,," for c in ("U1", "U2", "U3", "U4")]
    ),
}
STORED = [
    ("U1", True, None),
    ("U2", True, date(2022, 5, 1)),
    ("U3", True, date(2019, 2, 1)),
    ("U4", False, None),
]


def _stored() -> list[tuple]:
    return list(
        jm.Child.objects.order_by("la_child_id").values_list("la_child_id", "uasc", "uasc_ceased")
    )


@pytest.mark.django_db
def test_the_header_flag_alone_makes_a_child_uasc_in_the_record(tmp_path):
    result = reader.read([write_csvs(tmp_path / "2019", FLAGGED)])
    assert result.problems == [] and result.year == 2019
    CODEC.to_record(result.frames, source="ssda903:2019")
    assert _stored() == STORED


def test_a_flag_of_0_beside_a_dated_uasc_row_imports_and_rule_303_reports_it(tmp_path):
    result = reader.read([write_csvs(tmp_path / "2019", FLAGGED)])
    failures = validate_return("ssda903", result.frames, year=2019)
    assert sorted(set(failures.filter(pl.col("code") == "303").get_column(CHILD_COLUMN))) == ["U3"]


@pytest.mark.django_db
def test_the_export_gives_back_the_flags(tmp_path):
    # U1, U2 and U4 come back as given; U3 comes back flagged 1 (UASC until 1 Feb 2019, in the
    # year), which is what rule 303 asks of the file. Written as CSV, the flag is a UASC row:
    # U1 gains one, with no DUC; reading the files back gives the same flags again.
    CODEC.to_record(
        reader.read([write_csvs(tmp_path / "in", FLAGGED)]).frames, source="ssda903:2019"
    )
    back = CODEC.from_record(year=2019)
    expected = [("U1", "1"), ("U2", "1"), ("U3", "1"), ("U4", "0")]
    assert back["Header"].sort("CHILD").select("CHILD", "UASC").rows() == expected
    assert back["UASC"].sort("CHILD").select("CHILD", "DUC").rows() == [
        ("U1", None),
        ("U2", date(2022, 5, 1)),
        ("U3", date(2019, 2, 1)),
    ]
    writer.write(back, tmp_path / "out", year=2019)
    assert _flags(reader.read([tmp_path / "out"])) == expected
    # And loading the export again changes nothing.
    assert CODEC.to_record(reader.read([tmp_path / "out"]).frames, source="ssda903:2019").unchanged


@pytest.mark.django_db
def test_xml_flag_1_without_duc_is_uasc_in_the_record_and_comes_back_1(tmp_path):
    xml = tmp_path / "r.xml"
    xml.write_text(
        "<?xml version='1.0'?><EXPSSDA903><CHILD><HEADER><CHILDID>X1</CHILDID>"
        "<SEX>2</SEX><DOB>28/07/2004</DOB><ETHNIC>BAFR</ETHNIC><UASC>1</UASC></HEADER>"
        "<EPISODE><DECOM>06/01/2019</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N4</CIN><PL>U4</PL>"
        "<PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE></CHILD></EXPSSDA903>"
    )
    CODEC.to_record(reader.read([xml]).frames, source="ssda903:2019")
    assert _stored() == [("X1", True, None)]
    back = CODEC.from_record(year=2019)
    assert back["Header"].select("CHILD", "UASC").rows() == [("X1", "1")]
