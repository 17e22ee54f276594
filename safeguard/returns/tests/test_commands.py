"""`safeguard import` and `safeguard export`: exit codes, dry run, skip-invalid with rejects."""

from __future__ import annotations

import csv

import pytest

from safeguard.cli import main
from safeguard.journey.models import Child
from safeguard.returns.cin_census.tests.test_reader import census, child
from safeguard.returns.importing import REJECT_COLUMNS
from safeguard.returns.models import ImportLog


@pytest.mark.django_db
def test_import_ok_then_export(tmp_path, capsys):
    path = census(tmp_path, child("A"), child("B"))
    assert main(["import", "cin-census", str(path)]) == 0
    assert "2 children" in capsys.readouterr().out
    out = tmp_path / "out.xml"
    assert main(["export", "cin-census", "--year", "2019", "-o", str(out)]) == 0
    assert out.read_bytes().count(b"<Child>") == 2


@pytest.mark.django_db
def test_refused_file_exit_1_and_problems_printed(tmp_path, capsys):
    path = census(tmp_path, child("A"), child("B", sex="<GenderCurrent>7</GenderCurrent>"))
    assert main(["import", "cin-census", str(path)]) == 1
    err = capsys.readouterr().err
    assert "/Message/Children/Child[2]/ChildIdentifiers/GenderCurrent, GenderCurrent='7'" in err
    assert "Refused: nothing was written" in err
    assert Child.objects.count() == 0


@pytest.mark.django_db
def test_skip_invalid_imports_the_rest_and_writes_rejects(tmp_path, capsys):
    bad = child("=HYPERLINK(1)", sex="<GenderCurrent>7</GenderCurrent>")
    path = census(tmp_path, child("A"), bad)
    rejects = tmp_path / "rejects.csv"
    code = main(["import", "cin-census", str(path), "--skip-invalid", "--rejects", str(rejects)])
    assert code == 0
    assert list(Child.objects.values_list("la_child_id", flat=True)) == ["A"]
    rows = list(csv.reader(rejects.open()))
    assert tuple(rows[0]) == REJECT_COLUMNS
    assert rows[1][:4] == ["cin.xml", "/Message/Children/Child[2]/ChildIdentifiers/GenderCurrent",
                           "GenderCurrent", "7"]
    assert "1 problem(s) left out" in capsys.readouterr().out


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path, capsys):
    assert main(["import", "cin-census", str(census(tmp_path, child())), "--dry-run"]) == 0
    assert "dry run, nothing written" in capsys.readouterr().out
    assert Child.objects.count() == ImportLog.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("args", [
    ["import", "no-such-return", "x.xml"],
    ["import", "cin-census"],
    ["import", "cin-census", "/no/such/file.xml"],
    ["import", "cin-census", "x.xml", "--rejects", "r.csv"],
    ["export", "cin-census", "-o", "x.xml"],
    ["export", "annex-a", "-o", "x.xlsx"],
])
def test_usage_errors_exit_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.xml").write_text("<Message/>")
    assert main(args) == 2
