"""The validation pages: a return (uploaded, or made from the record) against the DfE rules,
and one child's record against them.

The analysts' page reuses the upload page's guard, size limits, suffix checks and private
upload folder (`views`), and the import's safe reading (`importing.read_returns`); nothing is
written to the record. The report is kept (as Parquet, in the upload's private folder, named
by a token in the session) only so it can be downloaded as XLSX. Each failure links to the
child's record when the child is in the record and in the user's scope; others show the ID.
"""

from __future__ import annotations

import shutil

import polars as pl
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST

from safeguard.access.scope import case_children_for
from safeguard.journey.models import Child
from safeguard.web.access import child_view
from safeguard.web.pages import as_at, page

from . import views
from .bulk import in_parts
from .codec import ReturnRefused
from .engine import CATALOGUES, FAILURE_SCHEMA, validate_return
from .importing import as_uploaded, read_returns
from .validation import (
    by_rule,
    child_ids,
    collection_year,
    counts,
    validate_child,
    xlsx_bytes,
    year_label,
)

KINDS = tuple(sorted(CATALOGUES))
SESSION_KEY = "returns_validation"
REPORT_FILE = "report.parquet"
BAD_KIND = "Choose the CIN census or the SSDA903 return."
BAD_YEAR = "Give a collection year by its end, e.g. 2019 for 2018-19."
NO_YEAR = "Could not tell the collection year from the file; give it in the year box."
NO_RULES = "There are no DfE rules here for that year: {reason}"
NO_REPORT = "There is no report to download; validate a return first."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(text: str | None) -> int | None:
    """A collection year from a form, or None; ValueError if it is not a plausible year."""
    if not text:
        return None
    year = int(text)
    if not 2000 <= year <= 2100:
        raise ValueError(text)
    return year


def _form(request: HttpRequest, status: int = 200, **context) -> HttpResponse:
    context.setdefault("kinds", KINDS)
    context.setdefault("limit", views.MAX_UPLOAD_BYTES)
    context.setdefault("default_year", collection_year(as_at()))
    if context.get("errors"):
        status = 400
    return page(request, "returns/validate.html", context, status=status)


def links(user, ids: list[str]) -> dict[str, int]:
    """LA child ID -> record pk, for the children in the record the user may open."""
    out: dict[str, int] = {}
    for part in in_parts(ids):
        out.update(
            case_children_for(user).filter(la_child_id__in=part).values_list("la_child_id", "pk")
        )
    return out


def _report(
    request: HttpRequest,
    kind: str,
    year: int,
    failures: pl.DataFrame,
    source: str,
    download: str,
    unread: int = 0,
) -> HttpResponse:
    return _form(
        request,
        report=by_rule(failures, links(request.user, child_ids(failures))),
        unread=unread,
        kind=kind,
        year=year,
        year_label=year_label(year),
        source=source,
        total=failures.height,
        children=len(child_ids(failures)),
        download=download,
        **_prefixed(counts(failures)),
    )


def _prefixed(totals: dict[str, int]) -> dict[str, int]:
    """Errors and queries as n_errors, n_queries (`errors` is the page's problem list)."""
    return {f"n_{k}": v for k, v in totals.items()}


@require_GET
@views.analysts_only
def validate_page(request: HttpRequest) -> HttpResponse:
    """The form; with `kind` and `year`, the report on the return made from the record."""
    if "kind" not in request.GET:
        return _form(request)
    kind = request.GET["kind"]
    try:
        year = _year(request.GET.get("year"))
    except ValueError:
        return _form(request, errors=[BAD_YEAR])
    if kind not in KINDS:
        return _form(request, errors=[BAD_KIND])
    if year is None:
        return _form(request, errors=[BAD_YEAR])
    try:
        failures = live_failures(kind, year)
    except KeyError as unknown:
        return _form(request, errors=[NO_RULES.format(reason=unknown.args[0])])
    query = f"?kind={kind}&year={year}"
    return _report(request, kind, year, failures, "the record", query)


def live_failures(kind: str, year: int) -> pl.DataFrame:
    """The year's return made from the record, validated (SSDA903 with last year's, too)."""
    from .codec import codec_for

    codec = codec_for(kind)
    frames = codec.from_record(year=year)
    previous = codec.from_record(year=year - 1) if kind == "ssda903" else None
    return validate_return(kind, frames, year=year, previous=previous)


@require_POST
@views.analysts_only
def validate_upload(request: HttpRequest) -> HttpResponse:
    """Validate an uploaded return: the upload page's checks, read safely, nothing written."""
    errors = views._upload_errors(request)
    if not errors and request.POST["kind"] not in KINDS:
        errors = [BAD_KIND]
    try:
        year = _year(request.POST.get("year"))
    except ValueError:
        errors.append(BAD_YEAR)
    if errors:
        return _form(request, errors=errors)
    kind = request.POST["kind"]
    views._sweep()
    uploads = request.FILES.getlist("files")
    token, paths = views._save(uploads)
    folder = views._upload_root() / token
    names = views._uploaded_names(paths, uploads)
    try:
        failures, year, unread = _validate_files(kind, paths, year)
    except ReturnRefused as refused:
        shutil.rmtree(folder, ignore_errors=True)
        problems = as_uploaded(refused.problems[:500], names)
        return _form(request, refused=problems, refused_count=len(refused.problems))
    except ValueError as problem:
        shutil.rmtree(folder, ignore_errors=True)
        return _form(request, errors=[str(problem)])
    for p in paths:
        p.unlink(missing_ok=True)  # only the report is kept, for the download
    failures.write_parquet(folder / REPORT_FILE)
    request.session[SESSION_KEY] = token
    name = ", ".join(names.values())
    return _report(request, kind, year, failures, name, "?report=upload", unread=unread)


def _validate_files(kind: str, paths, year: int | None) -> tuple[pl.DataFrame, int, int]:
    """Every return in the upload, validated under its own (or the given) year; also how many
    rows could not be read (and so were not validated)."""
    parts, seen = [], None
    report = read_returns(kind, paths)
    for outcome in report.outcomes:
        the_year = year or outcome.read.year
        if the_year is None:
            raise ValueError(NO_YEAR)
        try:
            parts.append(validate_return(kind, outcome.read.frames, year=the_year))
        except KeyError as unknown:
            raise ValueError(NO_RULES.format(reason=unknown.args[0])) from unknown
        seen = max(seen or the_year, the_year)
    failures = pl.concat(parts) if parts else pl.DataFrame(schema=FAILURE_SCHEMA)
    return failures, seen or year or 0, len(report.problems)


@require_GET
@views.analysts_only
def validate_download(request: HttpRequest) -> HttpResponse:
    """The report as XLSX: the uploaded return's (kept in the session) or the record's."""
    if request.GET.get("report") == "upload":
        token = request.session.get(SESSION_KEY)
        path = views._upload_root() / token / REPORT_FILE if token else None
        if path is None or not path.is_file():
            return _form(request, errors=[NO_REPORT])
        failures, name = pl.read_parquet(path), "validation-upload"
    else:
        kind = request.GET.get("kind")
        try:
            year = _year(request.GET.get("year"))
        except ValueError:
            year = None
        if kind not in KINDS or year is None:
            return _form(request, errors=[NO_REPORT])
        failures, name = live_failures(kind, year), f"validation-{kind}-{year}"
    views._log_export(request, {"failures": failures})
    response = HttpResponse(xlsx_bytes(failures), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@child_view
def child_check(request: HttpRequest, child: Child) -> HttpResponse:
    """One child's record against the DfE rules of a collection year's returns (their part of
    the CIN census and of the SSDA903), for whoever may see the record."""
    try:
        year = _year(request.GET.get("year")) or collection_year(as_at())
    except ValueError:
        year = collection_year(as_at())
    results = []
    for kind in KINDS:
        try:
            failures = validate_child(kind, child.la_child_id, year)
        except KeyError:  # no rule set for the year
            continue
        results.append({"kind": kind, "rules": by_rule(failures), **_prefixed(counts(failures))})
    return page(
        request,
        "returns/child_check.html",
        {
            "child": child,
            "tab": "summary",
            "heading": "issues for the returns",
            "year": year,
            "year_label": year_label(year),
            "results": results,
        },
    )
