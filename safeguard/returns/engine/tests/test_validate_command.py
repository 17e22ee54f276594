"""`safeguard validate` end to end: files written by the returns' own writers, then validated."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguard.returns.cin_census.rules.tests.builder import base as cin_base
from safeguard.returns.cin_census.rules.tests.builder import edit
from safeguard.returns.codec import codec_for
from safeguard.returns.management.commands import validate as command
from safeguard.returns.ssda903.rules.tests.builder import base as ssda_base


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("validate", *args, stdout=out, stderr=StringIO())
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def cin_file(tmp_path: Path) -> Path:
    # B2's referral goes on to further action without a primary need: rule 8610 (an error)
    frames = edit("CINdetails", {"LAchildID": "B2"}, PrimaryNeedCode=None)(cin_base())
    return codec_for("cin-census").write(frames, tmp_path / "cin.xml", year=2019)[0]


@pytest.fixture
def clean_903(tmp_path: Path) -> Path:
    codec_for("ssda903").write(ssda_base(), tmp_path / "903", year=2019)
    return tmp_path / "903"


def test_errors_give_exit_code_1_and_a_report_by_rule(cin_file):
    code, out = run("cin-census", str(cin_file))
    assert code == 1
    assert (
        command.TOTALS.format(kind="cin-census", year=2019, errors=1, queries=0, children=1) in out
    )
    assert "8610" in out and "B2" in out


def test_a_clean_return_exits_0(clean_903):
    code, out = run("ssda903", str(clean_903))
    assert (code, out.strip()) == (0, command.CLEAN.format(kind="ssda903", year=2019))


def test_json_lists_every_failure(cin_file):
    code, out = run("cin-census", str(cin_file), "--format", "json")
    rows = json.loads(out)
    assert code == 1
    assert [(r["code"], r["LAchildID"], r["table"]) for r in rows] == [("8610", "B2", "CINdetails")]


def test_csv_and_xlsx_are_written_to_output(cin_file, tmp_path):
    run("cin-census", str(cin_file), "--format", "csv", "--output", str(tmp_path / "r.csv"))
    assert pl.read_csv(tmp_path / "r.csv")["code"].cast(pl.Utf8).to_list() == ["8610"]
    run("cin-census", str(cin_file), "--format", "xlsx", "--output", str(tmp_path / "r.xlsx"))
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["Summary", "Failures"]
    assert book["Failures"]["A2"].value == "8610"


def test_one_child_only(cin_file):
    code, out = run("cin-census", str(cin_file), "--child", "A1")
    assert code == 0 and "no failures" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--live"], command.LIVE_NEEDS_YEAR),
        ([], command.NEEDS_PATHS),
        (["cin-census", "no-such-file.xml"], command.MISSING.format(path="no-such-file.xml")),
        (["cin-census", ".", "--format", "xlsx"], command.XLSX_NEEDS_OUTPUT),
    ],
)
def test_usage_errors(args, message):
    with pytest.raises(CommandError) as raised:
        call_command("validate", *args, stdout=StringIO())
    assert str(raised.value) == message


@pytest.mark.django_db
def test_live_validates_the_record_for_both_returns():
    code, out = run("--live", "--year", "2019")
    # an empty record: no child-level failures, only the LA-level disability-codes query
    assert code == 0
    assert "ssda903 2019: no failures." in out
    assert "2887Q" in out


def test_a_year_without_rules_is_a_usage_error(cin_file):
    with pytest.raises(CommandError) as raised:
        call_command("validate", "cin-census", str(cin_file), "--year", "2010", stdout=StringIO())
    assert "earliest is 2019" in str(raised.value)
