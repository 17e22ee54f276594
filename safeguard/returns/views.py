"""The analyst's returns page: upload a return, see what it would do, confirm; download exports.

Thin: reading, checking and loading are `importing`'s. Uploads are refused by size before the
body is read (Content-Length) and again by each file's size; files wait in a private folder
under VAR_DIR between the check and the confirmation, named by a random token kept in the
session, and are removed afterwards. Only performance analysts and administrators may use it.

As on the command line, a return with unreadable rows is refused whole unless the analyst ticks
"skip rows that cannot be read": then the readable rows are checked and loaded, and the rows
set aside are listed with their reasons and kept, as a CSV the analyst can download, fix and
upload again, in the same private folder (reachable only from the session that uploaded it,
removed with the folder after a day). The rows come from the analyst's own file, not from the
record, so the download is logged once, with no child, rather than per child.

Several returns can be uploaded at once, and load oldest year first, as on the command line:
CIN census files each hold their year; SSDA903 CSVs of several years are told apart by the year
in their names (`_subfolders`).
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
import zipfile
from datetime import date
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST

from safeguard.access.audit import access_log_write, access_log_write_many
from safeguard.access.models import AccessLog
from safeguard.access.roles import has_role
from safeguard.web.pages import page

from . import safety
from .codec import ReturnRefused, codec_for
from .exported import export_subjects
from .importing import (
    KINDS,
    REJECTED,
    ImportReport,
    as_uploaded,
    check_as_at,
    import_returns,
)
from .models import ImportLog
from .ssda903.reader import year_in_name

ROLES = ("performance_analyst", "administrator")
ANALYSTS_ONLY = "Only performance analysts and administrators can load or export returns."
TOO_BIG = "The upload is {size:,} bytes; the limit is {limit:,} bytes."
NO_FILE = "Choose the return's file (or files) to upload."
BAD_KIND = "Choose which return this is."
BAD_AS_AT = "The as-at date must be a date written as YYYY-MM-DD, e.g. 2019-06-30."
BAD_SUFFIX = "A return is an .xml, .csv or .xlsx file; {name} is not."
NO_YEAR_IN_NAME = (
    "The file names give several years, so each SSDA903 CSV file needs the year its return "
    "ends in its name (e.g. header_2019.csv); {names} has none."
)
NOTHING_WAITING = "There is no checked upload waiting; upload the return again."
BAD_EXPORT = "Give a collection year (e.g. 2019 for 2018-19) or, for Annex A, a date."
SUFFIXES = {".xml", ".csv", ".xlsx"}
NO_REJECTS = "There is no file of rejected rows to download; check a return first."
SET_ASIDE = (
    "{count:,} problem(s) in rows that cannot be read: those rows are set aside, not loaded."
)
SESSION_KEY = "returns_upload"
REJECTS_KEY = "returns_rejects"
REJECTS_FILE = "rejects.csv"  # beside the uploads' folders, never among them
ONE_RETURN = "return"  # the uploads' folder, unless their names give several years
MAX_UPLOAD_BYTES = safety.MAX_FILE_BYTES
STALE_SECONDS = 24 * 3600  # an upload never confirmed, or an export sent, is removed after this


def analysts_only(view):
    """Refuse anyone who is not a performance analyst or an administrator."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not has_role(request.user, *ROLES):
            raise PermissionDenied(ANALYSTS_ONLY)
        return view(request, *args, **kwargs)

    return guarded


def _upload_root() -> Path:
    root = Path(settings.VAR_DIR) / "uploads"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _sweep() -> None:
    """Remove waiting uploads and sent exports older than a day."""
    cutoff = time.time() - STALE_SECONDS
    for folder in _upload_root().iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def _page(request: HttpRequest, **context) -> HttpResponse:
    context.setdefault("kinds", KINDS)
    context.setdefault("logs", ImportLog.objects.select_related("imported_by")[:20])
    context.setdefault("limit", MAX_UPLOAD_BYTES)
    status = 400 if context.get("errors") else 200
    return page(request, "returns/index.html", context, status=status)


@require_GET
@analysts_only
def index(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _upload_errors(request: HttpRequest) -> list[str]:
    size = int(request.META.get("CONTENT_LENGTH") or 0)
    if size > MAX_UPLOAD_BYTES:  # checked before Django reads the body
        return [TOO_BIG.format(size=size, limit=MAX_UPLOAD_BYTES)]
    if request.POST.get("kind") not in KINDS:
        return [BAD_KIND]
    files = request.FILES.getlist("files")
    if not files:
        return [NO_FILE]
    errors = [
        BAD_SUFFIX.format(name=f.name) for f in files if Path(f.name).suffix.lower() not in SUFFIXES
    ]
    errors += [
        TOO_BIG.format(size=f.size, limit=MAX_UPLOAD_BYTES)
        for f in files
        if f.size > MAX_UPLOAD_BYTES
    ]
    return errors + _unplaced(request.POST["kind"], files) + _as_at_errors(request, files)


def _as_at(request: HttpRequest) -> date | None:
    """The as-at date the analyst stated for a snapshot return (Annex A), if any."""
    text = request.POST.get("as_at_date", "").strip()
    return date.fromisoformat(text) if text else None


def _as_at_errors(request: HttpRequest, files) -> list[str]:
    """An as-at date that is no date, or stated where it does not apply (the command's rule)."""
    try:
        as_at = _as_at(request)
    except ValueError:
        return [BAD_AS_AT]
    try:
        check_as_at(request.POST["kind"], len(files), as_at)
    except ValueError as wrong:
        return [str(wrong)]
    return []


def _unplaced(kind: str, files) -> list[str]:
    """An SSDA903 CSV whose name gives no year, in an upload whose names give several: which
    year's return it belongs to cannot be told (`_subfolders`)."""
    subs = _subfolders(files)
    names = [
        f.name
        for f, sub in zip(files, subs, strict=True)
        if kind == "ssda903" and sub == ONE_RETURN and Path(f.name).suffix.lower() == ".csv"
    ]
    if names and set(subs) != {ONE_RETURN}:
        return [NO_YEAR_IN_NAME.format(names=", ".join(names))]
    return []


def _save(files) -> tuple[str, list[Path]]:
    """Keep the uploads in a fresh private folder (`_upload_root() / token`), in the subfolders
    `_subfolders` gives; names reduced to safe characters, each made unique by "-<n>"."""
    token = secrets.token_urlsafe(16)
    folder = _upload_root() / token
    folder.mkdir(mode=0o700)
    paths = []
    for n, (f, sub) in enumerate(zip(files, _subfolders(files), strict=True)):
        stem = "".join(ch for ch in Path(f.name).stem if ch.isalnum() or ch in "-_")[:60]
        (folder / sub).mkdir(mode=0o700, exist_ok=True)
        path = folder / sub / f"{stem or 'return'}-{n}{Path(f.name).suffix.lower()}"
        with open(path, "wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        paths.append(path)
    return token, paths


def _subfolders(files) -> list[str]:
    """The folder each upload is kept in: one per year when their names give several years,
    else one for all.

    An SSDA903 return in CSV form is a folder of files, and the command line reads a folder per
    year; a browser sends bare file names, so an upload of several years' CSVs (header_2019.csv,
    header_2020.csv, ...) is sorted into a folder per year by name, and each loads as its own
    return, oldest first. The random folder above is never read for a year.
    """
    years = [year_in_name(Path(Path(f.name).name)) for f in files]
    if len({y for y in years if y is not None}) < 2:
        return [ONE_RETURN] * len(years)
    return [str(y) if y is not None else ONE_RETURN for y in years]


def _kept(token: str) -> list[Path]:
    """The uploads kept under a token (the rejects file beside them is not one)."""
    folder = _upload_root() / token
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.parent != folder)


@require_POST
@analysts_only
def upload(request: HttpRequest) -> HttpResponse:
    """Check an uploaded return without writing anything, and show what loading it would do."""
    errors = _upload_errors(request)
    if errors:
        return _page(request, errors=errors)
    kind, skip = request.POST["kind"], request.POST.get("skip_invalid") == "on"
    as_at = _as_at(request)
    _sweep()
    uploads = request.FILES.getlist("files")
    token, paths = _save(uploads)
    folder = _upload_root() / token
    names = _uploaded_names(paths, uploads)
    try:
        report = import_returns(
            kind,
            paths,
            dry_run=True,
            skip_invalid=skip,
            rejects=folder / REJECTS_FILE,
            names=names,
            as_at=as_at,
        )
    except ReturnRefused as refused:
        shutil.rmtree(folder, ignore_errors=True)
        request.session.pop(REJECTS_KEY, None)
        return _refused(request, refused, names)
    waiting = {"token": token, "kind": kind, "skip_invalid": skip, "names": names}
    waiting["as_at"] = as_at.isoformat() if as_at else None
    request.session[SESSION_KEY] = waiting
    return _page(request, checked=_lines(report), kind=kind, **_set_aside(request, report, waiting))


def _uploaded_names(paths: list[Path], uploads) -> dict[str, str]:
    """Each saved file's name on the server -> the name the analyst uploaded it under."""
    return {p.name: Path(f.name).name for p, f in zip(paths, uploads, strict=True)}


def _refused(request: HttpRequest, refused: ReturnRefused, names: dict[str, str]) -> HttpResponse:
    problems = as_uploaded(refused.problems[:500], names)
    return _page(request, refused=problems, refused_count=len(refused.problems))


def _lines(report: ImportReport) -> list[str]:
    """The import report's sentences, less the one naming the server's rejects file."""
    if report.rejects is None:
        return report.lines()
    hidden = REJECTED.format(count=len(report.problems), rejects=report.rejects)
    return [line for line in report.lines() if line != hidden]


def _set_aside(request: HttpRequest, report: ImportReport, waiting: dict) -> dict:
    """The rows set aside, for the page, named as uploaded (as `importing` wrote them in their
    CSV); the session remembers where the CSV is."""
    if report.rejects is None:
        request.session.pop(REJECTS_KEY, None)
        return {}
    problems = as_uploaded(report.problems, waiting.get("names", {}))
    request.session[REJECTS_KEY] = waiting["token"]
    count = len(problems)
    return {
        "rejected": problems[:500],
        "rejected_count": count,
        "rejected_line": SET_ASIDE.format(count=count),
    }


@require_POST
@analysts_only
def confirm(request: HttpRequest) -> HttpResponse:
    """Load the checked upload into the record."""
    waiting = request.session.pop(SESSION_KEY, None)
    folder = _upload_root() / waiting["token"] if waiting else None
    if folder is None or not folder.is_dir():
        return _page(request, errors=[NOTHING_WAITING])
    files = _kept(waiting["token"])
    report = None
    try:
        report = import_returns(
            waiting["kind"],
            files,
            user=request.user,
            skip_invalid=waiting.get("skip_invalid", False),
            rejects=folder / REJECTS_FILE,
            names=waiting.get("names", {}),
            as_at=date.fromisoformat(waiting["as_at"]) if waiting.get("as_at") else None,
        )
    except ReturnRefused as refused:
        return _refused(request, refused, waiting.get("names", {}))
    finally:
        if report is None or report.rejects is None:
            shutil.rmtree(folder, ignore_errors=True)
        else:  # keep the rejected rows for download; the sweep removes them after a day
            for sub in {f.parent for f in files}:
                shutil.rmtree(sub, ignore_errors=True)
    return _page(request, loaded=_lines(report), **_set_aside(request, report, waiting))


@require_GET
@analysts_only
def rejects(request: HttpRequest) -> HttpResponse:
    """The rows set aside from this session's latest upload, with their reasons, as CSV."""
    token = request.session.get(REJECTS_KEY)
    path = _upload_root() / token / REJECTS_FILE if token else None
    if path is None or not path.is_file():
        return _page(request, errors=[NO_REJECTS])
    access_log_write(request, None, AccessLog.DOWNLOAD)
    return FileResponse(  # noqa: SIM115 - FileResponse closes the file
        open(path, "rb"), as_attachment=True, filename="rejected-rows.csv", content_type="text/csv"
    )


@require_GET
@analysts_only
def download(request: HttpRequest) -> HttpResponse:
    """Make a return from the record and send it (several files are sent as one zip)."""
    kind = request.GET.get("kind")
    try:
        year = int(request.GET["year"]) if request.GET.get("year") else None
        as_at = date.fromisoformat(request.GET["as_at"]) if request.GET.get("as_at") else None
    except ValueError:
        return _page(request, errors=[BAD_EXPORT])
    if kind not in KINDS or (year is None and as_at is None):
        return _page(request, errors=[BAD_EXPORT])
    _sweep()
    work = Path(tempfile.mkdtemp(dir=_upload_root()))
    suffix = {"cin-census": ".xml", "annex-a": ".xlsx"}.get(kind, "")
    frames = codec_for(kind).from_record(year=year, as_at=as_at)
    written = codec_for(kind).write(
        frames, work / f"{kind}-{year or as_at}{suffix}", year=year or as_at.year
    )
    _log_export(request, frames)
    path = written[0] if len(written) == 1 else _zip(written, work / f"{kind}-{year}.zip")
    return FileResponse(open(path, "rb"), as_attachment=True, filename=path.name)  # noqa: SIM115


def _log_export(request: HttpRequest, frames) -> None:
    """One access-log row per child in the export (the record's rule for every export), and
    one with no child for its adopters, if any."""
    access_log_write_many(request, export_subjects(frames), AccessLog.EXPORT)


def _zip(paths: list[Path], out: Path) -> Path:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in paths:
            zf.write(p, arcname=p.name)
    return out
