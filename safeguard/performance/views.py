"""Head of service and performance pages: data book, scorecard, weekly report, data pack, and
the children behind every figure.

Who may look: heads of service, performance analysts and administrators see the council and
every team; a team manager sees their own teams' figures only. Figures are aggregates; the
drill-down lists children through the one scope filter (`children_for`) and writes one
access-log row per child listed, as the web app's exports do.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import Http404, HttpRequest, HttpResponse

from safeguard.access import roles
from safeguard.access.audit import access_log_write_many
from safeguard.access.models import AccessLog
from safeguard.access.scope import children_for, teams_of, worker_of
from safeguard.performance import engine, national
from safeguard.performance.frames import JourneyFrames, from_record
from safeguard.performance.measures import CATALOGUE
from safeguard.web.access import role_required
from safeguard.web.pages import as_at as today_as_at
from safeguard.web.pages import page

from .reports import databook as db
from .reports import pdf, scorecard, selfeval, weekly, xlsx
from .reports.common import latest_activity, month_label, teams_in

PERFORMANCE_ROLES = ("head_of_service", "performance_analyst", "administrator", "team_manager")
WIDE_ROLES = ("head_of_service", "performance_analyst", "administrator")
LIST_LIMIT = 500
BAD_DATE = "Enter the date as YYYY-MM-DD; showing the latest date instead."
NOT_YOUR_TEAM = "You can see your own teams' figures only."
NO_TEAMS = "You manage no team, so there are no figures to show."
UNKNOWN_FIGURE = "There is no such figure."
PERIOD_TITLES = {"ytd": "year to date", "quarter": "quarter", "month": "month", "12m": "12 months"}

performance_view = role_required(*PERFORMANCE_ROLES)


# --- Frames, cached briefly: every page of a visit reads the same record ------------------

_CACHE: dict[str, Any] = {}


def cache_clear() -> None:
    """Forget cached frames and data books (tests, or after a bulk import)."""
    _CACHE.clear()


#: Apps whose rows are the record: a save or delete there makes cached figures stale.
RECORD_APPS = frozenset({"journey", "workforce"})


def _record_changed(sender: Any, **_: Any) -> None:
    if sender._meta.app_label in RECORD_APPS:
        cache_clear()


# Connected when the URL map loads this module (before any page can fill the cache); bulk
# loads send no signals, so the time limit below still bounds how stale a figure can be.
post_save.connect(_record_changed, dispatch_uid="performance-cache-save")
post_delete.connect(_record_changed, dispatch_uid="performance-cache-delete")


def _ttl() -> float:
    return float(getattr(settings, "SAFEGUARD_PERFORMANCE_CACHE_SECONDS", 120))


def _frames() -> JourneyFrames:
    now = time.monotonic()
    if _CACHE.get("at", -1e18) + _ttl() < now:
        _CACHE.clear()
        _CACHE.update(at=now, frames=from_record(), books={})
    return _CACHE["frames"]


def _book(frames: JourneyFrames, as_at: date) -> db.DataBook:
    books = _CACHE.setdefault("books", {})
    if as_at not in books:
        books[as_at] = db.databook(frames, as_at)
    return books[as_at]


# --- Who sees what --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """The scopes a user may see: the council and all teams, or only named teams."""

    teams: tuple[str, ...] | None  # None: every team
    council: bool

    def allows(self, team: str | None) -> bool:
        if team is None:
            return self.council
        return self.teams is None or team in self.teams


def reach_of(request: HttpRequest) -> Reach:
    if roles.has_role(request.user, *WIDE_ROLES):
        return Reach(None, True)
    names = tuple(sorted(teams_of(worker_of(request.user)).values_list("name", flat=True)))
    return Reach(names, False)


def _team(request: HttpRequest, reach: Reach) -> str | None:
    """The team asked for, or the only scope the user has; refuses another team."""
    team = request.GET.get("team") or None
    if team is None and not reach.council:
        if not reach.teams:
            raise Http404(NO_TEAMS)
        team = reach.teams[0]
    if not reach.allows(team):
        raise Http404(NOT_YOUR_TEAM)
    return team


def _as_at(request: HttpRequest, frames: JourneyFrames) -> tuple[date, str]:
    """The as-at date asked for, else today or the record's latest activity if earlier."""
    latest = latest_activity(frames)
    default = min(today_as_at(), latest) if latest else today_as_at()
    raw = request.GET.get("as_at", "").strip()
    if not raw:
        return default, ""
    try:
        return date.fromisoformat(raw), ""
    except ValueError:
        return default, BAD_DATE


def _common(request: HttpRequest) -> tuple[JourneyFrames, Reach, date, str | None, dict]:
    frames, reach = _frames(), reach_of(request)
    as_at, error = _as_at(request, frames)
    team = _team(request, reach)
    teams = list(reach.teams) if reach.teams is not None else None
    context = {
        "as_at": as_at,
        "date_error": error,
        "team": team,
        "reach": reach,
        "team_choices": teams if teams is not None else teams_in(frames),
        "query": request.GET.urlencode(),
    }
    return frames, reach, as_at, team, context


# --- Pages ----------------------------------------------------------------------------------


@performance_view
def index(request: HttpRequest) -> HttpResponse:
    return page(request, "performance/index.html", {})


@performance_view
def databook_page(request: HttpRequest) -> HttpResponse:
    """Every measure, 13 month-ends, the council's (if in reach) or one team's."""
    frames, reach, as_at, team, context = _common(request)
    book = _book(frames, as_at)
    sections = []
    for area in book.areas:
        trends = area.teams.get(team, []) if team else area.council
        sections.append({"name": area.name, "trends": [_trend_row(t) for t in trends]})
    context.update(
        book=book,
        sections=sections,
        months=[d.strftime("%b %y") for d in book.dates],
        scope_title=team or "Council",
    )
    return page(request, "performance/databook.html", context)


@performance_view
def databook_measure(request: HttpRequest, measure: str) -> HttpResponse:
    """One measure of the data book for the council and every team the user may see."""
    if measure not in CATALOGUE:
        raise Http404(UNKNOWN_FIGURE)
    frames, reach, as_at, _, context = _common(request)
    book = _book(frames, as_at)
    rows = []
    for area in book.areas:
        scopes = [("Council", area.council)] if reach.council else []
        scopes += [(t, area.teams[t]) for t in book.teams if reach.allows(t)]
        for name, trends in scopes:
            rows += [(name, _trend_row(t)) for t in trends if t.measure.id == measure]
    context.update(
        measure=CATALOGUE[measure], rows=rows, months=[d.strftime("%b %y") for d in book.dates]
    )
    return page(request, "performance/databook_measure.html", context)


def _trend_row(t: db.Trend) -> dict:
    from .reports.svg import line_chart

    labels = [month_label(t.refs[0].as_at), month_label(t.refs[-1].as_at)] if t.refs else []
    return {
        "trend": t,
        "cells": t.cells(),
        "chart": line_chart(
            t.values,
            labels,
            alt=f"{t.measure.title}: trend over {len(t.values)} months",
            target=t.measure.target,
            width=200,
            height=60,
        ),
    }


@performance_view
def scorecard_page(request: HttpRequest) -> HttpResponse:
    frames, reach, as_at, team, context = _common(request)
    card = scorecard.scorecard(frames, as_at, team=team)
    context.update(
        card=card,
        counts=scorecard.rag_counts(card),
        not_sourced=scorecard.NOT_SOURCED,
        neighbours_why=national.NOT_SOURCED_WHY[national.STAT_NEIGHBOURS],
    )
    return page(request, "performance/scorecard.html", context)


@performance_view
def weekly_page(request: HttpRequest) -> HttpResponse:
    frames, reach, as_at, team, context = _common(request)
    context.update(report=weekly.weekly(frames, as_at, team=team))
    return page(request, "performance/weekly.html", context)


@performance_view
def pack_page(request: HttpRequest) -> HttpResponse:
    """The seed's data table from the record; council-wide, so not for a team's manager."""
    frames, reach, as_at, team, context = _common(request)
    if not reach.council:
        raise Http404(NOT_YOUR_TEAM)
    context.update(pack=selfeval.pack(frames, as_at))
    return page(request, "performance/selfeval.html", context)


# --- Downloads ------------------------------------------------------------------------------

_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _report_bytes(
    report: str, fmt: str, frames: JourneyFrames, as_at: date, team: str | None, reach: Reach
) -> bytes:
    writer = xlsx if fmt == "xlsx" else pdf
    if report == "databook":
        if reach.council and team is None:
            book = _book(frames, as_at)
        else:
            book = db.databook(
                frames, as_at, teams=[team] if team else reach.teams, with_council=False
            )
        return writer.databook_xlsx(book) if fmt == "xlsx" else writer.databook_pdf(book)
    if report == "scorecard":
        card = scorecard.scorecard(frames, as_at, team=team)
        return writer.scorecard_xlsx(card) if fmt == "xlsx" else writer.scorecard_pdf(card)
    if report == "weekly":
        rep = weekly.weekly(frames, as_at, team=team)
        return writer.weekly_xlsx(rep) if fmt == "xlsx" else writer.weekly_pdf(rep)
    if report == "self-evaluation" and reach.council:
        p = selfeval.pack(frames, as_at)
        return writer.pack_xlsx(p) if fmt == "xlsx" else writer.pack_pdf(p)
    raise Http404(UNKNOWN_FIGURE)


@performance_view
def download(request: HttpRequest, report: str, fmt: str) -> HttpResponse:
    """A report as XLSX or PDF: figures only, no child's details (so no access-log rows)."""
    if fmt not in _TYPES:
        raise Http404(UNKNOWN_FIGURE)
    frames, reach, as_at, team, _ = _common(request)
    data = _report_bytes(report, fmt, frames, as_at, team, reach)
    response = HttpResponse(data, content_type=_TYPES[fmt])
    name = f"{report}-{as_at.isoformat()}{'-' + team if team else ''}.{fmt}"
    safe = "".join(ch if ch.isalnum() or ch in "-." else "-" for ch in name)
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Drill-down -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """The numerator or denominator of a figure: how many rows and children, and those the
    user may see."""

    title: str
    rows: int
    ids: list[str]
    visible: list[Any]


def _ids(frame) -> list[str]:
    return sorted(frame["child_id"].drop_nulls().unique().to_list())


def _parts(
    frames: JourneyFrames, measure: str, as_at: date, period: str, team: str | None
) -> tuple[str, list[tuple[str, int, list[str]]]]:
    if measure.startswith(weekly.PREFIX):
        key = measure.removeprefix(weekly.PREFIX)
        if key not in weekly.BY_KEY:
            raise Http404(UNKNOWN_FIGURE)
        rows = weekly.item_rows(frames, key, as_at, team)
        ids = weekly.children(frames, key, as_at, team)
        return weekly.BY_KEY[key].label, [("Counted", rows.height, ids)]
    if measure not in CATALOGUE or period not in engine.PERIODS:
        raise Http404(UNKNOWN_FIGURE)
    d = engine.drill(frames, measure, as_at, period=period, scope=("team", team) if team else None)
    parts = [("Numerator", d.numerator.height, _ids(d.numerator))]
    if d.denominator is not None:
        parts.append(("Denominator", d.denominator.height, _ids(d.denominator)))
    return CATALOGUE[measure].title, parts


@performance_view
def children(request: HttpRequest) -> HttpResponse:
    """The children behind one figure (numerator and denominator), those in the user's scope;
    one access-log row per child listed, written with the page."""
    frames, reach, as_at, team, context = _common(request)
    measure = request.GET.get("m", "")
    title, raw = _parts(frames, measure, as_at, request.GET.get("period", "ytd"), team)
    scope = children_for(request.user)
    parts = []
    for name, rows, ids in raw:
        visible = list(
            scope.filter(la_child_id__in=ids).order_by("last_name", "first_name", "pk")[:LIST_LIMIT]
        )
        parts.append(Part(name, rows, ids, visible))
    shown = {c.pk for p in parts for c in p.visible}
    period = request.GET.get("period", "")
    context.update(
        title=title,
        parts=parts,
        measure=CATALOGUE.get(measure),
        period=period,
        period_title=PERIOD_TITLES.get(period, period),
        limit=LIST_LIMIT,
    )
    with transaction.atomic():
        access_log_write_many(request, sorted(shown), AccessLog.READ)
        return page(request, "performance/children.html", context)
