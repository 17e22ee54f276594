"""`safeguard import` and `safeguard export`: exit codes, dry run, skip-invalid with rejects."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safeguard.access.models import AccessLog
from safeguard.journey.models import Child
from safeguard.returns.cin_census.tests.test_reader import census, child
from safeguard.returns.importing import REJECT_COLUMNS
from safeguard.returns.models import ImportLog


def main(args: list[str]) -> int:
    """The command's exit code, run in-process (a real `safeguard` run closes the test DB)."""
    try:
        call_command(*args)
    except CommandError as error:
        print(error, file=sys.stderr)  # as `safeguard` prints it
        return error.returncode
    return 0


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
    assert rows[1][:4] == [
        "cin.xml",
        "/Message/Children/Child[2]/ChildIdentifiers/GenderCurrent",
        "GenderCurrent",
        "7",
    ]
    assert "1 problem(s) left out" in capsys.readouterr().out


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path, capsys):
    assert main(["import", "cin-census", str(census(tmp_path, child())), "--dry-run"]) == 0
    assert "dry run, nothing written" in capsys.readouterr().out
    assert Child.objects.count() == ImportLog.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ["import", "cin-census", "/no/such/file.xml"],
        ["import", "cin-census", "x.xml", "--rejects", "r.csv"],
        ["export", "cin-census", "-o", "x.xml"],
        ["export", "annex-a", "-o", "x.xlsx"],
    ],
)
def test_usage_errors_exit_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.xml").write_text("<Message/>")
    assert main(args) == 2


def test_unknown_return_is_a_usage_error_from_the_cli():
    safeguard = str(Path(sys.executable).with_name("safeguard"))
    done = subprocess.run(
        [safeguard, "import", "no-such-return", "x.xml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "invalid choice" in done.stderr


@pytest.mark.django_db
def test_export_from_the_command_logs_one_export_row_per_child_by_the_named_user(
    tmp_path, capsys, django_user_model
):
    """An export made on the server is in the access log like one downloaded from the web."""
    analyst = django_user_model.objects.create_user("ana", password="x" * 16)
    assert main(["import", "cin-census", str(census(tmp_path, child("A"), child("B")))]) == 0
    out = tmp_path / "out.xml"
    assert main(["export", "cin-census", "--year", "2019", "-o", str(out), "--by", "ana"]) == 0
    assert "Access log: 2 children exported, by ana." in capsys.readouterr().out
    rows = AccessLog.objects.filter(action=AccessLog.EXPORT)
    assert sorted(r.child.la_child_id for r in rows) == ["A", "B"]
    assert {r.user for r in rows} == {analyst}
    assert all(r.path.startswith("command: safeguard export cin-census --year 2019") for r in rows)


@pytest.mark.django_db
def test_export_without_a_user_logs_the_os_account_and_an_unknown_user_is_refused(tmp_path, capsys):
    assert main(["import", "cin-census", str(census(tmp_path, child("A")))]) == 0
    out = tmp_path / "out.xml"
    assert main(["export", "cin-census", "--year", "2019", "-o", str(out), "--by", "nobody"]) == 2
    assert not out.exists()
    assert AccessLog.objects.count() == 0
    assert main(["export", "cin-census", "--year", "2019", "-o", str(out)]) == 0
    (row,) = AccessLog.objects.filter(action=AccessLog.EXPORT)
    assert row.user is None and "operating-system account" in row.path


@pytest.mark.django_db
def test_an_export_that_cannot_be_written_leaves_no_log_rows(tmp_path):
    assert main(["import", "cin-census", str(census(tmp_path, child("A")))]) == 0
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    # The output's folder is a file: writing fails, so the export's log rows roll back.
    assert main(["export", "cin-census", "--year", "2019", "-o", str(blocked / "out.xml")]) == 1
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
def test_import_by_a_named_user_credits_the_log_and_the_history_to_them(
    tmp_path, django_user_model
):
    analyst = django_user_model.objects.create_user("ana", password="x" * 16)
    path = census(tmp_path, child("A"), child("B"))
    assert main(["import", "cin-census", str(path), "--by", "nobody"]) == 2
    assert Child.objects.count() == 0
    assert main(["import", "cin-census", str(path), "--by", "ana"]) == 0
    assert ImportLog.objects.get().imported_by == analyst
    added = Child.history.filter(history_type="+")
    assert added.count() == 2 and {h.history_user for h in added} == {analyst}
