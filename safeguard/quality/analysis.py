"""The quarterly analysis of audit grades and themes, by team and question.

Counts graded audits (submitted or moderated) whose audit date falls in the quarter; the
overall grade is the moderated grade where a moderator changed it.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from django.db.models import F, QuerySet

from . import codes, frames
from .models import Audit, AuditAnswer

GRADE_COLUMNS = [code for code, _ in codes.GRADE.choices()]
NO_TEAM = "No team"


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter (1-4)."""
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def _graded(audits: QuerySet[Audit], start: date, end: date) -> QuerySet[Audit]:
    return audits.filter(
        audit_date__gte=start, audit_date__lte=end, status__in=["SUBMITTED", "MODERATED"]
    )


def _spread(frame: pl.DataFrame, by: list[str], grade: str) -> pl.DataFrame:
    """Counts of each grade, % good or better and mean score (4 outstanding .. 1 inadequate)."""
    score = pl.col(grade).replace_strict(codes.GRADE_SCORE, default=None)
    aggs = [(pl.col(grade) == g).sum().alias(g) for g in GRADE_COLUMNS]
    return (
        frame.group_by(by)
        .agg(
            pl.len().alias("graded"),
            *aggs,
            (pl.col(grade).is_in(list(codes.GOOD_OR_BETTER)).mean() * 100)
            .round(1)
            .alias("good_or_better_pct"),
            score.mean().round(2).alias("mean_score"),
        )
        .sort(by)
    )


def overall_by_team(audits: QuerySet[Audit], start: date, end: date) -> pl.DataFrame:
    """Overall (final) grades per team for audits graded in the period."""
    rows = frames.load(
        _graded(audits, start, end),
        {"team__name": frames.S, "overall_grade": frames.S, "moderated_grade": frames.S},
    )
    rows = rows.with_columns(
        grade=pl.when(pl.col("moderated_grade") != "")
        .then("moderated_grade")
        .otherwise("overall_grade")
    )
    rows = rows.rename({"team__name": "team"}).with_columns(pl.col("team").fill_null(NO_TEAM))
    return _spread(rows, ["team"], "grade")


def by_question(
    audits: QuerySet[Audit], start: date, end: date, by_team: bool = False
) -> pl.DataFrame:
    """Grades per audit tool and question (theme), optionally per team, weakest first."""
    answers = AuditAnswer.objects.filter(audit__in=_graded(audits, start, end))
    rows = frames.load(
        answers,
        {
            "audit__team__name": frames.S,
            "question__template__name": frames.S,
            "question__number": frames.I,
            "question__theme": frames.S,
            "grade": frames.S,
        },
    )
    rows = rows.rename(
        {
            "audit__team__name": "team",
            "question__template__name": "tool",
            "question__number": "question",
            "question__theme": "theme",
        }
    ).with_columns(pl.col("team").fill_null(NO_TEAM))
    keys = ["tool", "question", "theme"]
    keys = ["team", *keys] if by_team else keys
    return _spread(rows, keys, "grade").sort(["mean_score", *keys])


def moderation_summary(audits: QuerySet[Audit], start: date, end: date) -> dict[str, int]:
    """How many graded audits were moderated, and how many grades the moderator changed."""
    graded = _graded(audits, start, end)
    moderated = graded.filter(status="MODERATED")
    changed = moderated.exclude(moderated_grade="").exclude(moderated_grade=F("overall_grade"))
    return {
        "graded": graded.count(),
        "moderated": moderated.count(),
        "grade_changed": changed.count(),
    }
