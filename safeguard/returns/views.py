"""The analyst's returns page: upload a return, see what it would do, confirm; download exports.

Thin: reading, checking and loading are `importing`'s. Uploads are refused by size before the
body is read (Content-Length) and again by each file's size; files wait in a private folder
under VAR_DIR between the check and the confirmation, named by a random token kept in the
session, and are removed afterwards. Only performance analysts and administrators may use it.
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

from safeguard.access.audit import access_log_write_many
from safeguard.access.models import AccessLog
from safeguard.access.roles import has_role
from safeguard.journey.models import Child
from safeguard.web.pages import page

from . import safety
from .codec import ReturnRefused, codec_for
from .importing import KINDS, import_returns
from .models import ImportLog

ROLES = ("performance_analyst", "administrator")
ANALYSTS_ONLY = "Only performance analysts and administrators can load or export returns."
TOO_BIG = "The upload is {size:,} bytes; the limit is {limit:,} bytes."
NO_FILE = "Choose the return's file (or files) to upload."
BAD_KIND = "Choose which return this is."
BAD_SUFFIX = "A return is an .xml, .csv or .xlsx file; {name} is not."
NOTHING_WAITING = "There is no checked upload waiting; upload the return again."
BAD_EXPORT = "Give a collection year (e.g. 2019 for 2018-19) or, for Annex A, a date."
SUFFIXES = {".xml", ".csv", ".xlsx"}
SESSION_KEY = "returns_upload"
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
    return errors


def _save(files) -> tuple[str, list[Path]]:
    """Keep the uploads in a fresh private folder; names reduced to safe characters."""
    token = secrets.token_urlsafe(16)
    folder = _upload_root() / token
    folder.mkdir(mode=0o700)
    paths = []
    for n, f in enumerate(files):
        stem = "".join(ch for ch in Path(f.name).stem if ch.isalnum() or ch in "-_")[:60]
        path = folder / f"{stem or 'return'}-{n}{Path(f.name).suffix.lower()}"
        with open(path, "wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        paths.append(path)
    return token, paths


@require_POST
@analysts_only
def upload(request: HttpRequest) -> HttpResponse:
    """Check an uploaded return without writing anything, and show what loading it would do."""
    errors = _upload_errors(request)
    if errors:
        return _page(request, errors=errors)
    kind = request.POST["kind"]
    _sweep()
    token, paths = _save(request.FILES.getlist("files"))
    try:
        report = import_returns(kind, paths, dry_run=True)
    except ReturnRefused as refused:
        shutil.rmtree(paths[0].parent, ignore_errors=True)
        return _page(request, refused=refused.problems[:500], refused_count=len(refused.problems))
    request.session[SESSION_KEY] = {"token": token, "kind": kind}
    return _page(request, checked=report.lines(), kind=kind)


@require_POST
@analysts_only
def confirm(request: HttpRequest) -> HttpResponse:
    """Load the checked upload into the record."""
    waiting = request.session.pop(SESSION_KEY, None)
    folder = _upload_root() / waiting["token"] if waiting else None
    if folder is None or not folder.is_dir():
        return _page(request, errors=[NOTHING_WAITING])
    try:
        report = import_returns(waiting["kind"], sorted(folder.iterdir()), user=request.user)
    except ReturnRefused as refused:
        return _page(request, refused=refused.problems[:500], refused_count=len(refused.problems))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return _page(request, loaded=report.lines())


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
    """One access-log row per child in the export (the record's rule for every export)."""
    ids: set[str] = set()
    for df in frames.values():
        for column in ("LAchildID", "CHILD", "ChildUniqueID"):
            if column in df.columns:
                ids.update(v for v in df[column].to_list() if v)
    pks = [
        pk
        for part in _parts(sorted(ids))
        for pk in Child.objects.filter(la_child_id__in=part).values_list("pk", flat=True)
    ]
    access_log_write_many(request, pks, AccessLog.EXPORT)


def _parts(values: list[str], size: int = 5000):
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _zip(paths: list[Path], out: Path) -> Path:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in paths:
            zf.write(p, arcname=p.name)
    return out
