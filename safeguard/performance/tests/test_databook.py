"""The `databook` command: JSON shape, CSV, table, --by, --from and formats not yet built."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguard.journey import models as j
from safeguard.performance.management.commands import databook
from safeguard.performance.measures import CATALOGUE
from safeguard.workforce import models as w

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = _Out()
    call_command(databook.Command(), *args, stdout=out)
    return out.text


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:  # pragma: no cover - required by the stream protocol
        pass


def _record() -> None:
    team = w.Team.objects.create(name="Assessment 1", kind="ASSESSMENT")
    ann = w.Worker.objects.create(name="Ann", role="SW", team=team, start_date=date(2018, 1, 1))
    child = j.Child.objects.create(la_child_id="A", sex="1", date_of_birth=date(2012, 1, 1))
    j.Contact.objects.create(
        child=child, contact_source="1A", received_at=datetime(2019, 5, 1, 9, tzinfo=UTC)
    )
    j.Referral.objects.create(child=child, referral_date=date(2019, 5, 1), referral_source="1A")
    w.Allocation.objects.create(
        child=child, worker=ann, team=team, start_date=date(2019, 5, 1), reason="NEW"
    )


def test_json_has_every_measure_with_the_issue_shape() -> None:
    _record()
    doc = json.loads(_run("--as-at", "2019-06-30", "--format", "json"))
    assert doc["as_at"] == "2019-06-30"
    assert doc["period"] == {"start": "2019-04-01", "end": "2019-06-30"}
    assert doc["scope"] == "council"
    assert set(doc["measures"]) == set(CATALOGUE)
    contacts = doc["measures"]["contacts"]
    assert set(contacts) == {"title", "value", "numerator", "denominator", "unit", "target", "rag"}
    assert contacts["value"] == 1 and contacts["unit"] == "count"
    assert doc["measures"]["referral_rate_per_10k"]["value"] == 0.3  # 1 / 36,000 x 10,000


def test_json_by_team_gives_one_document_per_scope() -> None:
    _record()
    lines = _run("--as-at", "2019-06-30", "--format", "json", "--by", "team").splitlines()
    scopes = [json.loads(line)["scope"] for line in lines]
    assert scopes == ["council", "team:Assessment 1"]
    team = json.loads(lines[1])
    assert team["measures"]["referrals"]["value"] == 1


def test_csv_and_table() -> None:
    _record()
    text = _run("--as-at", "2019-06-30", "--format", "csv", "--period", "month")
    assert text.splitlines()[0] == "scope,measure,title,value,numerator,denominator,unit,target,rag"
    assert "council,contacts,Contacts,0,0,,count,," in text  # none in June
    table = _run("--as-at", "2019-06-30")
    assert "referrals" in table and "council" in table


def test_a_format_declared_but_not_built_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    # Formats are dispatched through FORMATS; one declared as None is "not yet available".
    monkeypatch.setitem(databook.FORMATS, "pdf", None)
    err = _Out()
    with pytest.raises(SystemExit) as exit_:
        call_command(databook.Command(), "--as-at", "2019-06-30", "--format", "pdf", stderr=err)
    assert exit_.value.code == databook.EXIT_NOT_AVAILABLE
    assert databook.NOT_YET_AVAILABLE.format(fmt="pdf") in err.text


def test_bad_date_and_missing_directory() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--as-at", "30/06/2019")
    with pytest.raises(CommandError, match="not a directory"):
        _run("--as-at", "2019-06-30", "--from", "/nonexistent/h4")


def test_from_a_directory_of_returns(tmp_path: Path) -> None:
    # Export the record's returns with the codecs, then read them back with --from: the
    # figures the returns can give match the record's; the rest are not available (null).
    from safeguard.returns.codec import codec_for

    _record()
    cin = codec_for("cin-census")
    cin.write(cin.from_record(year=2020), tmp_path / "cin_census_2020.xml", year=2020)
    doc = json.loads(_run("--as-at", "2019-06-30", "--format", "json", "--from", str(tmp_path)))
    assert doc["measures"]["referrals"]["value"] == 1
    assert doc["measures"]["contacts"]["value"] is None


def test_report_from_returns_says_which_months_they_do_not_cover(tmp_path: Path) -> None:
    # The 2019-20 census covers 1 April 2019 to 31 March 2020; the book to 30 June 2019 is
    # year to date (from 1 April), so its month-ends from 30 June 2018 to 31 March 2019
    # are not covered; April to June 2019 are, and A's referral (1 May) counts from May.
    from safeguard.returns.codec import codec_for

    _record()
    cin = codec_for("cin-census")
    (tmp_path / "returns").mkdir()
    cin.write(cin.from_record(year=2020), tmp_path / "returns" / "cin.xml", year=2020)
    out = tmp_path / "book.html"
    _run(
        "--as-at",
        "2019-06-30",
        "--format",
        "html",
        "--from",
        str(tmp_path / "returns"),
        "-o",
        str(out),
    )
    html = out.read_text()
    assert "The returns read cover 01 April 2019 to 31 March 2020" in html
    assert "June 2018, July 2018" in html and "March 2019;" in html
    row = html[html.index('<th scope="row">Referrals</th>') :].split("</tr>")[0]
    assert row.count("<td>not covered</td>") == 10
    assert row.count("<td>0</td>") == 1 and row.count("<td>1</td>") == 2  # Apr 0; May, Jun 1


def test_a_region_pools_councils_whose_child_ids_collide(tmp_path: Path) -> None:
    # Two councils' returns, both with a child "A" referred on 1 May 2019: pooled as a region
    # they are two children and two referrals (IDs prefixed by each council's directory).
    from safeguard.returns.codec import codec_for

    _record()
    cin = codec_for("cin-census")
    frames = cin.from_record(year=2020)
    for council in ("north", "south"):
        (tmp_path / council).mkdir()
        cin.write(frames, tmp_path / council / "cin_2020.xml", year=2020)
    doc = json.loads(
        _run(
            "--as-at",
            "2019-06-30",
            "--format",
            "json",
            "--from",
            str(tmp_path / "north"),
            "--from",
            str(tmp_path / "south"),
        )
    )
    assert doc["measures"]["referrals"]["value"] == 2


def test_binary_formats_are_written_to_the_file_named(tmp_path: Path) -> None:
    _record()
    pdf, xlsx = tmp_path / "databook.pdf", tmp_path / "databook.xlsx"
    _run("--as-at", "2019-06-30", "--format", "pdf", "-o", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    _run("--as-at", "2019-06-30", "--format", "xlsx", "-o", str(xlsx))
    assert xlsx.read_bytes().startswith(b"PK")  # an XLSX is a zip


def test_a_binary_format_needs_a_file() -> None:
    with pytest.raises(CommandError, match="binary"):
        _run("--as-at", "2019-06-30", "--format", "pdf")
