"""Import and export any statutory return through its codec: the commands and the upload page.

Importing is in two steps so nothing is half done: every file is read first (after the safety
checks), and only when all can be read (or the user asked to skip what cannot) is anything
written, all in one transaction. Then each return is loaded unless the very same file was
loaded before (same SHA-256: nothing changes), and an `ImportLog` row records what happened.
Every row the load writes, changes or deletes gets its change-history row in the same
transaction, by the importing user, with a reason naming the ImportLog and the file's SHA-256.
A return that cannot be read is refused whole with every problem listed; with `skip_invalid`
the unreadable rows are left out and written, with their reasons, to a CSV the user can fix.
Each return read is also checked against the DfE rules; the summary is reported, never blocking.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from . import bulk, safety
from .codec import CODECS, LoadSummary, Problem, ReadResult, ReturnRefused, codec_for

UNCHANGED = "{file}: already loaded on {when:%d %B %Y %H:%M}; nothing changed."
LOADED = "{file}: {children:,} children; wrote {written}."
REPLACED = "{file}: replaced from an earlier load of the same period: {replaced}."
WOULD_LOAD = "{file}: can be read ({rows}); dry run, nothing written."
REJECTED = "{count:,} problem(s) left out; each is listed in {rejects}."
REFUSED = "Refused: nothing was written. Fix the problems listed and import again."
NO_FILES = "No files to import in {paths}."
#: The change reason on the history rows an import writes (at most 100 characters).
HISTORY_REASON = "import {log.source} (import log {log.pk}, sha256 {sha})"
REJECT_COLUMNS = ("file", "location", "field", "value", "problem")


@dataclass
class FileOutcome:
    """What happened to one return (one file, or a set of files read together)."""

    name: str
    sha256: str
    read: ReadResult
    kind: str = ""
    summary: LoadSummary | None = None
    when: object = None  # when it was first loaded, if it was loaded before
    validation: list[str] = field(default_factory=list)  # the DfE rules' summary, if run

    @property
    def source(self) -> str:
        """The journey rows' `source`: the return and its year, e.g. "cin-census:2019"."""
        return f"{self.kind}:{self.read.year}" if self.read.year else self.kind


@dataclass
class ImportReport:
    """Everything an import did, for the command's output and the upload page."""

    kind: str
    outcomes: list[FileOutcome] = field(default_factory=list)
    dry_run: bool = False
    rejects: Path | None = None

    @property
    def problems(self) -> list[Problem]:
        return [p for o in self.outcomes for p in o.read.problems]

    def lines(self) -> list[str]:
        """The report in plain sentences, one per return, then the rejected rows if any."""
        out = [_line(o, self.dry_run) for o in self.outcomes]
        out += [
            REPLACED.format(file=o.name, replaced=_counts(o.summary.replaced))
            for o in self.outcomes
            if o.summary and o.summary.replaced
        ]
        if self.problems:
            out.append(REJECTED.format(count=len(self.problems), rejects=self.rejects))
        return out + [line for o in self.outcomes for line in o.validation]


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {name}" for name, n in counts.items() if n) or "nothing"


def _line(o: FileOutcome, dry_run: bool) -> str:
    if o.when is not None:
        return UNCHANGED.format(file=o.name, when=o.when)
    if dry_run or o.summary is None:
        rows = _counts({k: v.height for k, v in o.read.frames.items() if k != "Header"})
        return WOULD_LOAD.format(file=o.name, rows=rows)
    return LOADED.format(
        file=o.name, children=o.summary.children, written=_counts(o.summary.rows_written)
    )


def expand(paths: Sequence[Path]) -> list[Path]:
    """Files named, and the files inside directories named (a folder per year is common), in a
    stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(c for c in p.rglob("*") if c.is_file()) if p.is_dir() else [p])
    return out


def _groups(kind: str, files: list[Path]) -> list[list[Path]]:
    """Returns to read, each loaded under its own year, oldest first: one per file for one-file
    returns (CIN census), the codec's own grouping where it has one (SSDA903: a folder of CSVs
    or an XML file per return), else the whole set."""
    codec = codec_for(kind)
    if getattr(codec, "one_file_per_return", False):
        return [[f] for f in files]
    if hasattr(codec, "returns_in"):
        return codec.returns_in(files)
    return [files]


def read_returns(
    kind: str,
    paths: Sequence[Path],
    *,
    limit: int = safety.MAX_FILE_BYTES,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Read every return after the safety checks; a whole-file refusal raises ReturnRefused."""
    codec = codec_for(kind)
    files = expand(paths)
    if not files:
        raise ReturnRefused([Problem("", safety.WHOLE_FILE, "", "", NO_FILES.format(paths=paths))])
    for f in files:
        safety.check_size(f, limit=limit)
    report, done = ImportReport(kind=kind), 0
    for group in _groups(kind, files):
        token = safety.progress_hook.set(
            (lambda n, base=done: progress(base + n)) if progress else None
        )
        try:
            result = codec.read(group)
        finally:
            safety.progress_hook.reset(token)
        done += sum(f.stat().st_size for f in group)
        if progress:
            progress(done)  # a reader that reports nothing as it goes (CSV, XLSX) is done
        name = ", ".join(f.name for f in group)
        report.outcomes.append(
            FileOutcome(name=name, sha256=safety.sha256_of(group), read=result, kind=kind)
        )
    return report


def write_rejects(path: Path, problems: Sequence[Problem]) -> Path:
    """Every unreadable row with its reason, as a CSV safe to open in Excel."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(REJECT_COLUMNS)
        for p in problems:
            w.writerow(
                [safety.escape_cell(v) for v in (p.file, p.location, p.field, p.value, p.rule)]
            )
    return path


def import_returns(
    kind: str,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    rejects: Path | None = None,
    user=None,
    limit: int = safety.MAX_FILE_BYTES,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Read, then (unless a dry run) load every return in one transaction; see module doc."""
    report = read_returns(kind, paths, limit=limit, progress=progress)
    report.dry_run = dry_run
    if report.problems and not skip_invalid:
        raise ReturnRefused(report.problems)
    if report.problems:
        report.rejects = write_rejects(rejects or Path(f"{kind}-rejects.csv"), report.problems)
    # The DfE rules (polars) run beside the load (SQLite/PostgreSQL): both spend most of their
    # time outside the GIL, so on two cores the import takes about the longer of the two.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="validate") as pool:
        checked = pool.submit(validate_outcomes, report)
        if not dry_run:
            _load(report, user)
        else:
            _mark_unchanged(report)
        checked.result()
    return report


def validate_outcomes(report: ImportReport) -> None:
    """Run the DfE rules on each return read: reported with the import, never blocking it."""
    from .validation import import_lines

    for o in report.outcomes:
        o.validation = import_lines(o.name, report.kind, o.read.frames, o.read.year)


def _mark_unchanged(report: ImportReport) -> None:
    from .models import ImportLog

    for o in report.outcomes:
        seen = ImportLog.objects.filter(kind=report.kind, sha256=o.sha256).first()
        o.when = seen.imported_at if seen else None


def _header(o: FileOutcome) -> dict:
    head = o.read.frames.get("Header")
    if head is None or head.is_empty():
        return {}
    return {k: str(v) for k, v in head.row(0, named=True).items() if v is not None}


def _load(report: ImportReport, user) -> None:
    from .models import ImportLog

    codec = codec_for(report.kind)
    with transaction.atomic(), bulk.big_cache():
        _mark_unchanged(report)
        # Oldest year first, so a later year's return replaces what an earlier one said.
        for o in sorted(report.outcomes, key=lambda o: o.read.year or 0):
            if o.when is not None:
                o.summary = LoadSummary(unchanged=True)
                continue
            log = ImportLog.objects.create(
                file_name=o.name[:255],
                kind=report.kind,
                year=o.read.year,
                sha256=o.sha256,
                imported_by=user if getattr(user, "pk", None) else None,
                source=o.source,
                header=_header(o),
            )
            with bulk.attributed(user, HISTORY_REASON.format(log=log, sha=o.sha256[:16])):
                o.summary = codec.to_record(o.read.frames, source=o.source)
            log.summary, log.replaced = o.summary.rows_written, o.summary.replaced
            log.save(update_fields=["summary", "replaced"])


def export_return(
    kind: str, out: Path, *, year: int | None = None, as_at: date | None = None
) -> list[Path]:
    """Write a return from the record; the paths written."""
    codec = codec_for(kind)
    frames = codec.from_record(year=year, as_at=as_at)
    the_year = year or (as_at.year if as_at else date.today().year)
    return codec.write(frames, Path(out), year=the_year)


KINDS = tuple(sorted(CODECS))
