"""Management oversight as a number: how many key decisions in the year carry a recorded
manager's authorisation (or, for entry to care, a panel decision).

Each line is (what, with oversight, of all, %): referral decisions, assessment sign-offs, and
children entering care with an approving panel decision on or before the day they came into
care, or within 7 days after it (emergency admissions go to the next panel).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from safeguard.journey import models as j

from .models import Authorisation, PanelRequest

YEAR = timedelta(days=365)
EMERGENCY_GRACE = timedelta(days=7)
APPROVED = ("APPROVED", "APPROVED_COND")


def _line(title: str, rows: QuerySet, flag: str) -> tuple[str, int, int, float | None]:
    total = rows.count()
    done = rows.filter(**{flag: True}).count()
    return title, done, total, round(done * 100 / total, 1) if total else None


def oversight(scope: QuerySet, as_at: date) -> list[tuple[str, int, int, float | None]]:
    """Decisions in the year to `as_at` (children in scope) with recorded oversight."""
    since = as_at - YEAR
    referrals = j.Referral.objects.filter(
        child__in=scope, referral_date__gt=since, referral_date__lte=as_at
    ).annotate(
        ok=Exists(Authorisation.objects.filter(referral=OuterRef("pk"), kind="REFERRAL_DECISION"))
    )
    assessments = j.Assessment.objects.filter(
        child__in=scope, authorisation_date__gt=since, authorisation_date__lte=as_at
    ).annotate(
        ok=Exists(
            Authorisation.objects.filter(assessment=OuterRef("pk"), kind="ASSESSMENT_SIGN_OFF")
        )
    )
    entries = j.CareEpisode.objects.filter(
        child__in=scope, reason_new_episode="S", start_date__gt=since, start_date__lte=as_at
    ).annotate(
        ok=Exists(
            PanelRequest.objects.filter(
                child=OuterRef("child"),
                decision__in=APPROVED,
                panel_date__lte=OuterRef("start_date") + EMERGENCY_GRACE,
                panel_date__gte=OuterRef("start_date") - YEAR,
            )
        )
    )
    return [
        _line("Referral decisions authorised by a manager", referrals, "ok"),
        _line("Assessments signed off by a manager", assessments, "ok"),
        _line("Children entering care with a panel decision", entries, "ok"),
    ]
