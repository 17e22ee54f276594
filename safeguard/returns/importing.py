"""Import and export any statutory return through its codec: the commands and the upload page.

Importing is in two steps so nothing is half done: every file is read first (after the safety
checks), and only when all can be read (or the user asked to skip what cannot) is anything
written, all in one transaction. Then each return is loaded unless the very same file was
loaded before (same SHA-256, and for an Annex A workbook the same as-at date: nothing changes),
and an `ImportLog` row records what happened.
Every row the load writes, changes or deletes gets its change-history row in the same
transaction, by the importing user, with a reason naming the ImportLog and the file's SHA-256.
A return that cannot be read is refused whole with every problem listed; with `skip_invalid`
the unreadable rows are left out and written, with their reasons, to a CSV the user can fix.
Each return read is also checked against the DfE rules; the summary is reported, never blocking.

A big file of a codec that can read in pieces (the CIN census) is read in a worker process
while this one loads each piece as it arrives (`_import_streamed`, `worker.py`), in the same
one transaction, so the import takes about the longer of reading and loading, not their sum.
What it writes and reports is what reading it whole and then loading it would (a test compares
the two); a file found unreadable in its last piece is refused and the transaction rolled back.
The worker checks the DfE rules on the whole file after sending its last children: the load
commits meanwhile and the summary is added to the report when it comes.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from django.db import transaction

from . import bulk, safety, worker
from .codec import CODECS, LoadSummary, Problem, ReadResult, ReturnRefused, codec_for

UNCHANGED = "{file}: already loaded on {when:%d %B %Y %H:%M}; nothing changed."
LOADED = "{file}: {children:,} children; wrote {written}."
REPLACED = "{file}: replaced from an earlier load of the same period: {replaced}."
AS_AT_STATED = "{file}: as at {as_at:%d %B %Y}, as stated (the rows' source: {source})."
AS_AT_INFERRED = (
    "{file}: as at {as_at:%d %B %Y}, the latest date in its lists (the rows' source: {source}); "
    "a workbook does not state its as-at date: state it (--as-at, or the upload page's as-at "
    "date) if that is not it."
)
AS_AT_UNDATED = "An as-at date is for {kinds} only; a {kind} return states its own year."
AS_AT_ONE_FILE = "An as-at date dates one workbook; import the {n} files one at a time."
WOULD_LOAD = "{file}: can be read ({rows}); dry run, nothing written."
REJECTED = "{count:,} problem(s) left out; each is listed in {rejects}."
REFUSED = "Refused: nothing was written. Fix the problems listed and import again."
RULES_FAILED = (
    "{file}: the DfE rules could not be checked ({error}); what was loaded stays loaded: "
    "run `safeguard validate` on the file."
)
NO_FILES = "No files to import in {paths}."
logger = logging.getLogger(__name__)
#: The change reason on the history rows an import writes (at most 100 characters).
HISTORY_REASON = "import {log.source} (import log {log.pk}, sha256 {sha})"
REJECT_COLUMNS = ("file", "location", "field", "value", "problem")
UPLOAD = "the upload"  # an uploaded set's problem that names no one of its files
#: A file at least this big is read in a worker while this process loads it (smaller ones are
#: read first: starting the worker, about 0.3 s of CPU, would cost more than it saves).
STREAM_BYTES = 16 * 1024 * 1024
PIECE_CHILDREN = 10_000  # children per piece (CIN census: about 17 MB of XML)
FIRST_PIECE_CHILDREN = 2500  # a smaller first piece, so that loading starts sooner


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
    as_at: date | None = None  # the as-at date the user stated (Annex A), if any

    @property
    def period(self) -> date | None:
        """A snapshot's as-at date (Annex A): as stated, else as its reader inferred it."""
        return self.as_at or self.read.as_at

    @property
    def source(self) -> str:
        """The journey rows' `source`: the return and its year, e.g. "cin-census:2019", or its
        as-at date, e.g. "annex-a:2019-06-30"."""
        return _source(self.kind, self.read.year, self.period)


def _source(kind: str, year: int | None, as_at: date | None = None) -> str:
    if as_at is not None:
        return f"{kind}:{as_at.isoformat()}"
    return f"{kind}:{year}" if year else kind


def check_as_at(kind: str, files: int, as_at: date | None) -> None:
    """Refuse (ValueError) an as-at date stated where there is none: only a snapshot return
    (Annex A) has one, and it dates one workbook (several would all be loaded as one period,
    each replacing the one before for the children they share). `files`: how many files the
    import holds (counted by the caller: a page counts its uploads, never names on the server)."""
    if as_at is None:
        return
    if not getattr(codec_for(kind), "as_at_dated", False):
        dated = [k for k in KINDS if getattr(codec_for(k), "as_at_dated", False)]
        raise ValueError(AS_AT_UNDATED.format(kinds=", ".join(dated), kind=kind))
    if files > 1:
        raise ValueError(AS_AT_ONE_FILE.format(n=files))


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
        out = [line for o in self.outcomes for line in (_line(o, self.dry_run), *_as_at(o))]
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


def _as_at(o: FileOutcome) -> list[str]:
    """The as-at date a snapshot (Annex A) was, or would be, loaded as, and whence it came."""
    if o.period is None or o.when is not None:
        return []
    said = AS_AT_STATED if o.as_at else AS_AT_INFERRED
    return [said.format(file=o.name, as_at=o.period, source=o.source)]


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
    as_at: date | None = None,
) -> ImportReport:
    """Read every return after the safety checks; a whole-file refusal raises ReturnRefused.
    `as_at` states a snapshot's as-at date (see `check_as_at`)."""
    codec = codec_for(kind)
    files = expand(paths)
    check_as_at(kind, len(files), as_at)
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
            FileOutcome(
                name=name, sha256=safety.sha256_of(group), read=result, kind=kind, as_at=as_at
            )
        )
    return report


def as_uploaded(problems: Sequence[Problem], names: dict[str, str]) -> list[Problem]:
    """Problems naming each file by the name it was uploaded under (`names`: the name it is kept
    under -> that name), never by the server's folder."""
    return [
        replace(p, file=names.get(Path(p.file).name, UPLOAD)) if p.file else p for p in problems
    ]


def write_rejects(
    path: Path, problems: Sequence[Problem], names: dict[str, str] | None = None
) -> Path:
    """Every unreadable row with its reason, as a CSV safe to open in Excel; with `names`, the
    files named as uploaded (`as_uploaded`)."""
    if names is not None:
        problems = as_uploaded(problems, names)
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
    as_at: date | None = None,
    names: dict[str, str] | None = None,
) -> ImportReport:
    """Read, then (unless a dry run) load every return in one transaction; see module doc.
    `as_at`: an Annex A workbook's as-at date, when the user states it (else inferred).
    `names` maps uploaded files' names on the server to the names they were uploaded under,
    for the rejects file (see `write_rejects`)."""
    files = expand(paths)
    check_as_at(kind, len(files), as_at)
    if not dry_run and len(files) == 1 and _streams(kind, files[0], limit):
        return _import_streamed(
            kind,
            files[0],
            skip_invalid=skip_invalid,
            rejects=rejects,
            user=user,
            limit=limit,
            progress=progress,
            names=names,
        )
    report = read_returns(kind, paths, limit=limit, progress=progress, as_at=as_at)
    report.dry_run = dry_run
    _refuse_or_set_aside(report, report.problems, skip_invalid, rejects, names)
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


def _refuse_or_set_aside(
    report: ImportReport,
    problems: list[Problem],
    skip_invalid: bool,
    rejects: Path | None,
    names: dict[str, str] | None = None,
) -> None:
    """Refuse the whole import over rows that cannot be read, or, when skipping them, list
    each with its reason in the rejects file (nothing silently lost)."""
    if problems and not skip_invalid:
        raise ReturnRefused(problems)
    if problems:
        path = rejects or Path(f"{report.kind}-rejects.csv")
        report.rejects = write_rejects(path, problems, names)


def validate_outcomes(report: ImportReport) -> None:
    """Run the DfE rules on each return read: reported with the import, never blocking it."""
    from .validation import import_lines

    for o in report.outcomes:
        try:
            o.validation = import_lines(o.name, report.kind, o.read.frames, o.read.year)
        except Exception as failed:  # noqa: BLE001 - the rules never block, nor fail, a load
            o.validation = _rules_failed(o.name, failed)


def _mark_unchanged(report: ImportReport) -> None:
    """Mark each return loaded before: the very same file (SHA-256), and for a dated snapshot
    (Annex A) loaded as at the same date too, since the same workbook as at another date is
    another period's load (it writes and replaces that period's rows)."""
    from .models import ImportLog

    dated = getattr(codec_for(report.kind), "as_at_dated", False)
    for o in report.outcomes:
        logs = ImportLog.objects.filter(kind=report.kind, sha256=o.sha256)
        seen = (logs.filter(source=o.source) if dated else logs).first()
        o.when = seen.imported_at if seen else None


def _header(frames: dict) -> dict:
    head = frames.get("Header")
    if head is None or head.is_empty():
        return {}
    return {k: str(v) for k, v in head.row(0, named=True).items() if v is not None}


def _load(report: ImportReport, user) -> None:
    codec = codec_for(report.kind)
    with transaction.atomic(), bulk.big_cache():
        _mark_unchanged(report)
        # Oldest year (or as-at date) first, so a later return replaces what an earlier one said.
        for o in sorted(report.outcomes, key=lambda o: (o.read.year or 0, o.period or date.min)):
            if o.when is not None:
                o.summary = LoadSummary(unchanged=True)
                continue
            log, o.summary = _load_whole(codec, o, user)
            _finish_log(log, o.summary)


def _load_whole(codec, o: FileOutcome, user):
    """Load one file's frames as read whole, under a new import log: (log, summary)."""
    log = _new_log(o, user, o.read.year, o.read.frames)
    return log, _to_record(codec, log, user, o.read.frames)


def _new_log(o: FileOutcome, user, year: int | None, frames: dict):
    """The ImportLog of a return being loaded (its summary is filled in when loaded)."""
    from .models import ImportLog

    return ImportLog.objects.create(
        file_name=o.name[:255],
        kind=o.kind,
        year=year,
        sha256=o.sha256,
        imported_by=user if getattr(user, "pk", None) else None,
        source=_source(o.kind, year, o.period),
        header=_header(frames),
    )


def _to_record(codec, log, user, frames: dict) -> LoadSummary:
    """Load frames into the record, their history rows attributed to the user and the log."""
    with bulk.attributed(user, HISTORY_REASON.format(log=log, sha=log.sha256[:16])):
        return codec.to_record(frames, source=log.source)


def _finish_log(log, summary: LoadSummary) -> None:
    log.summary, log.replaced = summary.rows_written, summary.replaced
    log.save(update_fields=["summary", "replaced"])


def _streams(kind: str, path: Path, limit: int) -> bool:
    """Whether a file is read in a worker while it loads: a big file of a codec reading pieces."""
    codec = codec_for(kind)
    return hasattr(codec, "read_pieces") and safety.check_size(path, limit=limit) >= STREAM_BYTES


def _import_streamed(
    kind: str,
    path: Path,
    *,
    skip_invalid: bool,
    rejects: Path | None,
    user,
    limit: int,
    progress: Callable[[int], None] | None,
    names: dict[str, str] | None = None,
) -> ImportReport:
    """Load one file's pieces as a worker reads them, all in one transaction; the same outcome
    as `read_returns` then `_load` (see the module doc)."""
    codec = codec_for(kind)
    stream = worker.pieces(
        codec.read_pieces_checked,
        path,
        progress=progress,
        limit=limit,
        chunk=PIECE_CHILDREN,
        first=min(FIRST_PIECE_CHILDREN, PIECE_CHILDREN),
    )
    with closing(stream):
        o = FileOutcome(path.name, safety.sha256_of([path]), ReadResult(frames={}), kind)
        report = ImportReport(kind=kind, outcomes=[o])
        with transaction.atomic(), bulk.big_cache():
            _mark_unchanged(report)
            loader = _PieceLoader(codec, o, user, skip_invalid)
            pieces = loader.each(stream)
            o.read = codec.merge(pieces)
            _refuse_or_set_aside(report, o.read.problems, skip_invalid, rejects, names)
            loader.finish()
        # Committed while the worker checked the DfE rules, which never block a load.
        o.validation = _rules_summary(stream, pieces[-1], o.name)
    return report


def _rules_summary(stream: Iterator, last, name: str) -> list[str]:
    """The DfE rules' summary the worker sends after the file's last children (the load is
    committed by then: a failed check is reported, never raised over a finished import)."""
    if last.validation is not None or not last.rules_follow:
        return last.validation or []
    try:
        return next(stream).validation or []
    except (RuntimeError, StopIteration) as failed:
        return _rules_failed(name, failed)


def _rules_failed(name: str, error: BaseException) -> list[str]:
    """The report's line for DfE rules that could not be checked, and the cause in the log."""
    logger.error("DfE rules not checked on %s", name, exc_info=error)
    return [RULES_FAILED.format(file=name, error=str(error) or type(error).__name__)]


class _PieceLoader:
    """Loads each piece of a file as it is read, for as long as that gives what loading the
    whole file would. It stops when the file proves unreadable (it will be refused, unless
    skipping), and gives way to loading the whole file at the end (after undoing the pieces)
    when a child appears in two pieces (one child is one child) or the header, whose year the
    load is made under, is missing before the children or changes after them."""

    def __init__(self, codec, outcome: FileOutcome, user, skip_invalid: bool):
        self.codec, self.o, self.user, self.skip = codec, outcome, user, skip_invalid
        self.on, self.whole = outcome.when is None, False
        self.children: set[str] = set()
        self.header: dict | None = None  # the header the pieces were loaded under
        self.last_header: dict | None = None  # the header as the file ends
        self.log = None
        self.summaries: list[LoadSummary] = []
        self.savepoint = transaction.savepoint()

    def each(self, pieces: Iterable) -> list:
        """Every piece up to the file's last children, loading each as it comes when it can."""
        out = []
        for piece in pieces:
            out.append(piece)
            self.last_header = piece.header
            if self.on:
                self._take(piece)
            if piece.rules_follow:
                break
        return out

    def _take(self, piece) -> None:
        if (piece.problems or any(piece.checks)) and not self.skip:
            self.on = False  # the file will be refused: nothing to load
            return
        ids = piece.child_ids()
        if not ids:
            return  # nothing to load (the worker's closing piece, or every child unreadable)
        if piece.header is None or ids & self.children or self.header not in (None, piece.header):
            self.on, self.whole = False, True
            return
        self.children |= ids
        frames = piece.loadable()
        if self.log is None:
            self.header = piece.header
            self.log = _new_log(self.o, self.user, piece.year, frames)
        self.summaries.append(_to_record(self.codec, self.log, self.user, frames))

    def finish(self) -> None:
        """Complete the load: add up the pieces, or load the whole file read."""
        if self.o.when is not None:
            self.o.summary = LoadSummary(unchanged=True)
            return
        if self.whole or self.log is None or self.header != self.last_header:
            transaction.savepoint_rollback(self.savepoint)
            self.log, whole = _load_whole(self.codec, self.o, self.user)
            self.summaries = [whole]
        self.o.summary = _total(self.summaries)
        _finish_log(self.log, self.o.summary)
        transaction.savepoint_commit(self.savepoint)


def _total(parts: list[LoadSummary]) -> LoadSummary:
    """Several loads' summaries as one."""
    out = LoadSummary()
    for part in parts:
        out.children += part.children
        for mine, theirs in ((out.rows_written, part.rows_written), (out.replaced, part.replaced)):
            for name, n in theirs.items():
                mine[name] = mine.get(name, 0) + n
    return out


def export_return(
    kind: str,
    out: Path,
    *,
    year: int | None = None,
    as_at: date | None = None,
    on_frames: Callable[[dict], None] | None = None,
) -> list[Path]:
    """Write a return from the record; the paths written.

    `on_frames` sees the return's tables before they are written: the command logs there,
    per child, what it is about to export.
    """
    codec = codec_for(kind)
    frames = codec.from_record(year=year, as_at=as_at)
    if on_frames is not None:
        on_frames(frames)
    the_year = year or (as_at.year if as_at else date.today().year)
    return codec.write(frames, Path(out), year=the_year)


KINDS = tuple(sorted(CODECS))
