"""A big CIN census is read in a worker while its pieces load (issue 3's speed), with the same
outcome as reading it whole and then loading it: the same record, report, history and log; a
file unreadable in its last piece refused with nothing written; skipped rows the same; a child
listed in two pieces still one child. The files here are small, read in pieces of a few
children (`STREAM_BYTES` 0), so that every case spans several pieces."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction

from safeguard.journey.models import Child, Conference, Referral
from safeguard.returns import importing
from safeguard.returns.cin_census import reader
from safeguard.returns.cin_census.record import from_record
from safeguard.returns.cin_census.synthetic import census_xml
from safeguard.returns.cin_census.tests.test_reader import FULL, census, child
from safeguard.returns.codec import ReturnRefused
from safeguard.returns.models import ImportLog
from safeguard.returns.tests.test_safety import BILLION_LAUGHS

pytestmark = pytest.mark.django_db

BAD_SOURCE = FULL.replace("<ReferralSource>6<", "<ReferralSource>ZZ<")
BAD_DATE = FULL.replace("<CPPendDate>2019-01-10<", "<CPPendDate>10/01/2019<")


@pytest.fixture
def in_pieces(monkeypatch):
    """Every import streamed, 3 children a piece (the first 2)."""
    pieces(monkeypatch)


def pieces(monkeypatch) -> None:
    monkeypatch.setattr(importing, "STREAM_BYTES", 0)
    monkeypatch.setattr(importing, "PIECE_CHILDREN", 3)
    monkeypatch.setattr(importing, "FIRST_PIECE_CHILDREN", 2)


def synthetic(tmp_path: Path, children: int) -> Path:
    path = tmp_path / "synthetic.xml"
    path.write_text("".join(census_xml(children, year=2019, seed=7)))
    return path


def outcome(path: Path, **options) -> dict:
    """What an import did, in a form free of ids and times."""
    report = importing.import_returns("cin-census", [path], **options)
    log = ImportLog.objects.get()
    exported = from_record(year=2019)
    return {
        "lines": report.lines(),
        "log": (log.year, log.source, log.summary, log.replaced, log.header),
        "record": {k: df.sort(df.columns).rows() for k, df in exported.items()},
        "history": [m.history.count() for m in (Child, Referral, Conference)],
        "problems": report.problems,
    }


def whole_then_streamed(monkeypatch, path: Path, **options) -> tuple[dict, dict]:
    """The outcome of the import read whole, then (the first undone) read in pieces."""
    with transaction.atomic():
        whole = outcome(path, **options)
        transaction.set_rollback(True)
    assert Child.objects.count() == 0
    pieces(monkeypatch)
    return whole, outcome(path, **options)


def test_pieces_merge_into_the_whole_read(tmp_path):
    """Frames and problems, in order, whatever the piece size (a problem in several pieces)."""
    path = census(
        tmp_path, child("A"), child("B", details=BAD_SOURCE), child("C"),
        child("D", details=BAD_DATE), child("E", details=BAD_SOURCE), child("A", details=FULL),
    )  # fmt: skip
    whole = reader.read_file(path)
    assert len(whole.problems) == 3
    for size in (1, 2, 4):
        read = list(reader.read_pieces(path, chunk=size))
        assert len(read) == 6 // size + 1 and read[-1].last
        merged = reader.merge(read)
        assert merged.problems == whole.problems
        assert merged.year == whole.year
        assert all(merged.frames[k].equals(whole.frames[k]) for k in whole.frames)
    first = list(reader.read_pieces(path, chunk=4, first=1))
    # children 1 | 2-5 | 6, of which 2, 4 and 5 are unreadable and left out
    assert [p.frames["ChildIdentifiers"]["_child"].to_list() for p in first] == [[1], [3], [6]]
    assert reader.merge(first).problems == whole.problems


def test_streamed_import_writes_what_the_whole_import_writes(tmp_path, monkeypatch):
    whole, streamed = whole_then_streamed(monkeypatch, synthetic(tmp_path, 20))
    assert whole == streamed
    assert "synthetic.xml: 20 children;" in streamed["lines"][0]


def test_a_child_in_two_pieces_is_still_one_child(tmp_path, monkeypatch):
    path = census(
        tmp_path, child("A"), child("B"), child("C"), child("D"), child("A", details=FULL)
    )
    whole, streamed = whole_then_streamed(monkeypatch, path)
    assert whole == streamed
    assert Child.objects.count() == 4
    assert Referral.objects.filter(child__la_child_id="A").count() == 2


def test_skipped_rows_are_the_same(tmp_path, monkeypatch):
    path = census(
        tmp_path, child("A"), child("B"), child("C"), child("D", details=BAD_DATE), child("E"),
    )  # fmt: skip
    rejects = tmp_path / "rejects.csv"
    whole, streamed = whole_then_streamed(monkeypatch, path, skip_invalid=True, rejects=rejects)
    assert whole == streamed
    assert [p.value for p in streamed["problems"]] == ["10/01/2019"]
    assert "10/01/2019" in rejects.read_text()
    assert Child.objects.count() == 4


def test_file_unreadable_in_its_last_piece_is_refused_with_nothing_written(tmp_path, in_pieces):
    path = census(tmp_path, *[child(f"K{n}") for n in range(7)], child("Z", details=BAD_SOURCE))
    with pytest.raises(ReturnRefused) as refused:
        importing.import_returns("cin-census", [path])
    assert refused.value.problems == reader.read_file(path).problems
    assert refused.value.problems[0].value == "ZZ"
    assert Child.objects.count() == 0
    assert ImportLog.objects.count() == 0


def test_file_not_a_census_at_its_end_is_refused_with_nothing_written(tmp_path, in_pieces):
    """A whole-file refusal found after pieces were loaded (here an element the census does not
    have after <Children>) rolls the pieces back."""
    path = census(tmp_path, *[child(f"K{n}") for n in range(7)])
    path.write_text(path.read_text().replace("</Children>", "</Children><Extra/>"))
    with pytest.raises(ReturnRefused) as refused:
        importing.import_returns("cin-census", [path])
    assert refused.value.problems[0].rule == reader.UNKNOWN_TOP.format(
        tag="Extra", parent="Message"
    )
    assert Child.objects.count() == 0
    assert ImportLog.objects.count() == 0


def test_the_same_file_again_changes_nothing(tmp_path, in_pieces):
    path = synthetic(tmp_path, 8)
    importing.import_returns("cin-census", [path])
    again = importing.import_returns("cin-census", [path])
    assert again.outcomes[0].summary.unchanged
    assert "already loaded" in again.lines()[0]
    assert ImportLog.objects.count() == 1
    assert Child.objects.count() == 8


def test_progress_is_reported_from_the_worker(tmp_path, in_pieces, monkeypatch):
    monkeypatch.setattr("safeguard.returns.worker.PROGRESS_STEP", 1)
    seen: list[int] = []
    path = synthetic(tmp_path, 8)
    importing.import_returns("cin-census", [path], progress=seen.append)
    assert seen and seen == sorted(seen) and seen[-1] <= path.stat().st_size


@pytest.mark.parametrize(
    "name", ["billion laughs", "external file", "10,000 deep", "not xml at its end"]
)
def test_hostile_file_read_in_the_worker_is_refused_as_when_read_whole(tmp_path, in_pieces, name):
    """The worker reads through the same safe parser: each hostile file is refused with the
    problems the whole read gives, and nothing written, even after pieces loaded (some good
    children come first)."""
    good = "".join(child(f"K{n}") for n in range(7))
    hostile = {
        "billion laughs": BILLION_LAUGHS.replace("<Children>", f"<Children>{good}"),
        "external file": '<!DOCTYPE Message [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f"<Message><Children>{good}{child('&x;')}</Children></Message>",
        "10,000 deep": f"<Message><Children>{good}{'<a>' * 10_000}{'</a>' * 10_000}"
        "</Children></Message>",
        "not xml at its end": f"<Message><Children>{good}</Children></Mess",
    }[name]
    path = tmp_path / "hostile.xml"
    path.write_text(hostile)
    with pytest.raises(ReturnRefused) as whole:
        reader.read_file(path)
    with pytest.raises(ReturnRefused) as streamed:
        importing.import_returns("cin-census", [path])
    assert streamed.value.problems == whole.value.problems
    assert Child.objects.count() == 0
    assert ImportLog.objects.count() == 0


def test_rules_failing_after_the_load_are_reported_not_raised(tmp_path, in_pieces, monkeypatch):
    """The load commits while the worker checks the DfE rules; if that check then fails (the
    worker dies, say), the import is done all the same: its report says the rules could not
    be checked, rather than an error over data already saved."""
    real = importing.worker.pieces

    def dies_checking_rules(*args, **kwargs):
        for piece in real(*args, **kwargs):
            if piece.validation is not None:
                raise RuntimeError("The reader process stopped without finishing (exit code -9).")
            yield piece

    monkeypatch.setattr(importing.worker, "pieces", dies_checking_rules)
    report = importing.import_returns("cin-census", [synthetic(tmp_path, 8)])
    assert Child.objects.count() == 8 and ImportLog.objects.count() == 1
    assert report.outcomes[0].validation == [
        "synthetic.xml: the DfE rules could not be checked (The reader process stopped without "
        "finishing (exit code -9).); what was loaded stays loaded: run `safeguard validate` on "
        "the file."
    ]


def test_rules_failing_beside_a_whole_file_load_are_reported_not_raised(tmp_path, monkeypatch):
    from safeguard.returns import validation

    def broken(*args, **kwargs):
        raise ValueError("a rule's bug")

    monkeypatch.setattr(validation, "import_lines", broken)
    report = importing.import_returns("cin-census", [synthetic(tmp_path, 5)])
    assert Child.objects.count() == 5
    assert "the DfE rules could not be checked (a rule's bug)" in report.lines()[-1]
