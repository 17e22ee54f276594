"""`safeguard import ssda903` and `annex-a` as a user runs them: refusal, --dry-run,
--skip-invalid, several years from one folder, a resubmission, the progress display.

(`test_commands.py` does the same for the CIN census.)
"""

from __future__ import annotations

import csv
import importlib
import io
from pathlib import Path

import pytest

from safeguard.journey import models as jm
from safeguard.returns.annex_a.tests.test_annex_a import _messy_workbook
from safeguard.returns.cin_census.tests.test_reader import census, child
from safeguard.returns.codec import codec_for
from safeguard.returns.importing import REFUSED, REJECT_COLUMNS
from safeguard.returns.models import ImportLog
from safeguard.returns.ssda903 import checks
from safeguard.returns.ssda903.tests.helpers import write_csvs

from .test_commands import main

#: The command's module is named `import`, a Python keyword.
PlainProgress = importlib.import_module(
    "safeguard.returns.management.commands.import"
).PlainProgress

EP = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
#: A 2018-19 episodes file: line 2 is fine, lines 3-6 cannot be read (the reader's own test,
#: `test_bad_rows_are_reported_with_line_field_value_and_rule`, says why each).
MIXED = "\n".join(
    [
        EP,
        "A1,01/04/2018,S,C2,N1,U1,PR1,02/04/2018,E45,,,,",
        "A2,31/02/2018,S,C2,N1,U1,PR1,,,,,,",
        ",01/04/2018,S,C2,N1,U1,PR1,,,,,,",
        "A3,01/05/2018,S,C2,N1,U1,PR1,02/05/2018,E43,,,,",
        "A4,01/04/2018,S,C2,N1,Q9,PR1,,,,,,",
    ]
)
BAD_LINES = {
    ("line 3", "DECOM", "31/02/2018", checks.BAD_DATE),
    ("line 4", "CHILD", "", checks.NO_CHILD),
    ("line 5", "REC", "E43", "Not in the REC code list for 2018-19."),
    ("line 6", "PLACE", "Q9", "Not in the PLACE code list for 2018-19."),
}


def _nothing_written() -> bool:
    return (
        jm.Child.objects.count()
        == jm.CareEpisode.objects.count()
        == 0
        == (ImportLog.objects.count())
    )


@pytest.mark.django_db
def test_ssda903_refused_exit_1_names_file_line_field_value_and_writes_nothing(tmp_path, capsys):
    folder = write_csvs(tmp_path / "r", {"episodes.csv": MIXED})
    assert main(["import", "ssda903", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "episodes.csv, line 3, DECOM='31/02/2018': " + checks.BAD_DATE in err
    assert "episodes.csv, line 6, PLACE='Q9': Not in the PLACE code list for 2018-19." in err
    assert REFUSED in err
    assert _nothing_written()


@pytest.mark.django_db
def test_ssda903_file_missing_a_column_is_refused_whole(tmp_path, capsys):
    folder = write_csvs(tmp_path / "r", {"episodes.csv": MIXED.replace(",URN", "", 1)})
    assert main(["import", "ssda903", str(folder)]) == 1
    assert "episodes.csv" in capsys.readouterr().err
    assert _nothing_written()


@pytest.mark.django_db
def test_ssda903_skip_invalid_loads_the_rest_and_lists_every_rejected_row(tmp_path, capsys):
    folder = write_csvs(tmp_path / "r", {"episodes.csv": MIXED})
    rejects = tmp_path / "rejects.csv"
    args = ["import", "ssda903", str(folder), "--skip-invalid", "--rejects", str(rejects)]
    assert main(args) == 0
    assert list(jm.CareEpisode.objects.values_list("child__la_child_id", flat=True)) == ["A1"]
    rows = list(csv.reader(rejects.open()))
    assert tuple(rows[0]) == REJECT_COLUMNS
    assert {tuple(r[1:]) for r in rows[1:]} == BAD_LINES
    assert {r[0] for r in rows[1:]} == {str(folder / "episodes.csv")}  # folders repeat names
    assert "4 problem(s) left out" in capsys.readouterr().out


@pytest.mark.django_db
def test_ssda903_dry_run_reports_and_writes_nothing(tmp_path, capsys):
    folder = write_csvs(tmp_path / "r", {"episodes.csv": "\n".join(MIXED.splitlines()[:2])})
    assert main(["import", "ssda903", str(folder), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1 Episodes" in out and "dry run, nothing written" in out
    assert _nothing_written()


def _year(root: Path, year: int, rows: list[str]) -> Path:
    return write_csvs(root / str(year), {"episodes.csv": "\n".join([EP, *rows])})


@pytest.mark.django_db
def test_ssda903_years_in_one_folder_merge_into_one_history_and_again_change_nothing(
    tmp_path, capsys
):
    # A1 came into care in 2018-19 and left in 2019-20: the 2020 return carries the episode
    # again, now ended, and wins; A2 is in 2018-19 only; A3 in 2019-20 only.
    root = tmp_path / "returns"
    _year(root, 2019, ["A1,01/05/2018,S,C2,N1,U1,PR1,,,,,,", "A2,01/06/2018,S,V2,N4,U4,PR1,,,,,,"])
    _year(
        root,
        2020,
        ["A1,01/05/2018,S,C2,N1,U1,PR1,01/05/2019,E4A,,,,", "A3,01/07/2019,S,V2,N4,U4,PR1,,,,,,"],
    )
    assert main(["import", "ssda903", str(root)]) == 0
    got = sorted(
        jm.CareEpisode.objects.values_list("child__la_child_id", "start_date", "end_date", "source")
    )
    assert [(c, str(s), str(e), src) for c, s, e, src in got] == [
        ("A1", "2018-05-01", "2019-05-01", "ssda903:2020"),
        ("A2", "2018-06-01", "None", "ssda903:2019"),
        ("A3", "2019-07-01", "None", "ssda903:2020"),
    ]
    assert jm.Child.objects.count() == 3
    stamps = sorted(jm.CareEpisode.objects.values_list("pk", "updated_at"))
    capsys.readouterr()
    assert main(["import", "ssda903", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.count("nothing changed") == 2
    assert sorted(jm.CareEpisode.objects.values_list("pk", "updated_at")) == stamps
    assert ImportLog.objects.count() == 2


@pytest.mark.django_db
def test_ssda903_resubmission_says_what_it_replaced(tmp_path, capsys):
    first = _year(
        tmp_path / "a",
        2019,
        ["A1,01/05/2018,S,C2,N1,U1,PR1,,,,,,", "A1,01/06/2018,P,C2,N1,U4,PR1,,,,,,"],
    )
    second = _year(tmp_path / "b", 2019, ["A1,01/05/2018,S,C2,N1,U1,PR1,01/07/2018,E4A,,,,"])
    assert main(["import", "ssda903", str(first)]) == 0
    assert main(["import", "ssda903", str(second)]) == 0
    out = capsys.readouterr().out
    assert "replaced from an earlier load of the same period: 2 CareEpisode" in out
    assert jm.CareEpisode.objects.count() == 1


@pytest.mark.django_db
def test_one_child_across_the_cin_census_and_the_ssda903(tmp_path):
    assert main(["import", "cin-census", str(census(tmp_path, child("A1")))]) == 0
    folder = _year(tmp_path / "903", 2019, ["A1,01/05/2018,S,C2,N1,U1,PR1,,,,,,"])
    assert main(["import", "ssda903", str(folder)]) == 0
    only = jm.Child.objects.get()
    assert only.la_child_id == "A1"
    assert only.referrals.count() == 1 and only.care_episodes.count() == 1


@pytest.mark.django_db
def test_annex_a_refused_exit_1_then_skip_invalid_and_dry_run(tmp_path, capsys):
    path = tmp_path / "annex.xlsx"
    _messy_workbook(path)
    assert main(["import", "annex-a", str(path)]) == 1
    err = capsys.readouterr().err
    assert "annex.xlsx, List 1 - Contacts!row 5, Date of Contact='31/02/2019'" in err
    assert jm.Child.objects.count() == jm.Contact.objects.count() == 0
    dry = ["import", "annex-a", str(path), "--skip-invalid", "--dry-run"]
    assert main([*dry, "--rejects", str(tmp_path / "dry.csv")]) == 0
    assert "dry run, nothing written" in capsys.readouterr().out
    assert jm.Child.objects.count() == 0
    rejects = tmp_path / "r.csv"
    args = ["import", "annex-a", str(path), "--skip-invalid", "--rejects", str(rejects)]
    assert main(args) == 0
    assert list(jm.Contact.objects.values_list("child__la_child_id", flat=True)) == ["K1"]
    located = {(r[1], r[2]) for r in list(csv.reader(rejects.open()))[1:]}
    assert located == {
        ("List 1 - Contacts!row 5", "Date of Contact"),
        ("List 1 - Contacts!row 6", "Child Unique ID"),
        ("List 1 - Contacts!row 7", "Gender"),
        ("List 1 - Contacts!row 7", "Contact Source"),
    }


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.django_db
def test_progress_bar_on_a_terminal_plain_lines_otherwise(tmp_path, capsys, monkeypatch):
    root = tmp_path / "returns"
    folder = _year(root, 2019, ["A1,01/05/2018,S,C2,N1,U1,PR1,,,,,,"])
    size = (folder / "episodes.csv").stat().st_size
    assert main(["import", "ssda903", str(root), "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert f"Reading {root}" in captured.out
    assert "%|" not in captured.err  # no bar when stderr is not a terminal
    assert f"Read 100% ({size:,} of {size:,} bytes)" in captured.out.splitlines()
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["import", "ssda903", str(root), "--dry-run"]) == 0
    bar = terminal.getvalue()
    # tqdm's bar over the bytes of every file under the folder, read to the end.
    assert "Reading: 100%|" in bar and f"{size}/{size}" in bar.replace(".00", "")
    assert "Read" not in capsys.readouterr().out


@pytest.mark.django_db
def test_export_ssda903_and_annex_a_from_the_command(tmp_path, capsys):
    folder = _year(tmp_path / "in", 2019, ["A1,01/05/2018,S,C2,N1,U1,PR1,,,,,,"])
    assert main(["import", "ssda903", str(folder)]) == 0
    out = tmp_path / "out"
    assert main(["export", "ssda903", "--year", "2019", "-o", str(out)]) == 0
    episodes = (out / "episodes.csv").read_text().splitlines()
    assert episodes == [EP, "A1,01/05/2018,S,C2,N1,U1,PR1,,,,,,"]
    book = tmp_path / "annex.xlsx"
    assert main(["export", "annex-a", "--as-at", "2019-06-30", "-o", str(book)]) == 0
    assert f"Wrote {book}" in capsys.readouterr().out
    # List 8 (children looked after) carries the child in care at 30 June 2019.
    lists = codec_for("annex-a").read([book]).frames
    assert lists["List 8"].get_column("Child Unique ID").to_list() == ["A1"]


def test_plain_progress_writes_a_line_at_each_further_tenth():
    lines: list[str] = []
    progress = PlainProgress(lines.append, 1000)
    for n in (50, 99, 100, 350, 360, 1000, 1000):
        progress.update_to(n)
    # 100 bytes: the first tenth; 350: the second and third at once (one line, 30%); 1000: all.
    assert lines == [
        "Read 10% (100 of 1,000 bytes)",
        "Read 30% (350 of 1,000 bytes)",
        "Read 100% (1,000 of 1,000 bytes)",
    ]
