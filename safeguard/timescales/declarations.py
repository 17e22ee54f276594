"""Every statutory and local timescale, declared once as data (kpis.md section F).

A `Timescale` says from what it runs, how long until the first item is due, and the interval
between later items. Screens (due dates, worklists) and the timeliness measures read these
declarations and nothing else. Local standards name the ``SAFEGUARD_LOCAL_STANDARDS`` key that
sets their length (`setting`); `resolve` applies the council's value.

Honest simplifications, written down here once:
- Looked-after visits (reg 28 of the Care Planning, Placement and Case Review (England)
  Regulations 2010): within 1 week of the start of each placement, then at most 6 weeks apart
  in the placement's first year, then at most 3 months apart if the placement is long-term
  (intended to last until 18) or 6 weeks otherwise. "Long-term" is read from the SSDA903
  placement type: U1 and U4 are the long-term foster placements; every other placement is
  treated as not long-term. Extra visits on request, for placements with parents (P1), interim
  care orders, custody and short breaks (reg 48) are not modelled.
- Referral decision: 1 working day from the referral date (local setting; Working Together
  2018 ch.1 says "within one working day").
- Assessment: 45 working days from the assessment's start, as the DfE statistic counts it
  (Working Together counts from the referral; that variant is not offered yet).
- S20 review: the seed council reviews every child accommodated under section 20 within 28
  days; the record has no separate S20 review, so a looked-after review held on or after the
  start of the section 20 accommodation meets it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from .intervals import Interval, days, hours, months, weeks, working_days

WT2018 = "Working Together to Safeguard Children 2018, chapter 1"
CPPCR = "Care Planning, Placement and Case Review (England) Regulations 2010"
LOCAL = "Local standard (setting SAFEGUARD_LOCAL_STANDARDS); no national minimum"


@dataclass(frozen=True)
class Timescale:
    """One timescale: the first item due `first` after the start, later ones `then` apart."""

    id: str
    title: str
    starts_from: str  # what the clock runs from, in words
    first: Interval
    second: Interval | None = None  # interval after the first item, when it differs
    then: Interval | None = None  # interval between later items (None: a one-off)
    setting: str | None = None  # SAFEGUARD_LOCAL_STANDARDS key giving the length (local rule)
    source: str = ""

    @property
    def is_local(self) -> bool:
        return self.setting is not None

    def resolve(self, standards: Mapping[str, int]) -> Timescale:
        """This timescale with its length taken from the local standards, if it has one."""
        if self.setting is None or self.setting not in standards:
            return self
        n = int(standards[self.setting])
        return replace(
            self,
            first=Interval(n, self.first.unit),
            then=None if self.then is None else Interval(n, self.then.unit),
        )

    def interval_after(self, done: int) -> Interval | None:
        """The interval to the next item once ``done`` items have been completed."""
        if done == 0:
            return self.first
        if done == 1 and self.second is not None:
            return self.second
        return self.then

    def next_due(self, start: date | datetime, done: list[date]) -> date | datetime | None:
        """The next due date, from the start or the last completed item; None when finished."""
        interval = self.interval_after(len(done))
        if interval is None:
            return None
        return interval.add(max(done) if done else start)

    def describe(self) -> str:
        """Plain words, for screens and the measures' definitions."""
        words = f"{self.title}: within {self.first} of {self.starts_from}"
        if self.second is not None:
            words += f", the next within {self.second}"
        if self.then is not None:
            words += f", then at most {self.then} apart"
        return words + ("" if self.setting is None else " (local standard)")


REFERRAL_DECISION = Timescale(
    "referral_decision",
    "Decision on the response to a referral",
    "the referral",
    working_days(1),
    setting="referral_decision_working_days",
    source=WT2018,
)
ASSESSMENT = Timescale(
    "assessment",
    "Child and family assessment completed",
    "the assessment's start",
    working_days(45),
    source=WT2018 + "; DfE CIN census counts from the assessment start",
)
ICPC = Timescale(
    "icpc",
    "Initial child protection conference",
    "the strategy discussion that began the S47",
    working_days(15),
    source=WT2018,
)
CP_REVIEW = Timescale(
    "cp_review",
    "Child protection review conference",
    "the initial conference (plan start)",
    months(3),
    then=months(6),
    source=WT2018,
)
LAC_REVIEW = Timescale(
    "lac_review",
    "Looked-after review",
    "becoming looked after",
    working_days(20),
    second=months(3),
    then=months(6),
    source=CPPCR + ", regulation 33",
)
LAC_VISIT = Timescale(
    "lac_visit",
    "Statutory visit to a looked-after child",
    "the start of the placement",
    weeks(1),
    then=weeks(6),
    source=CPPCR + ", regulation 28 (simplified, see module)",
)
#: Reg 28 after the placement's first year, if the placement is long-term (else LAC_VISIT.then).
LAC_VISIT_LONG_TERM_AFTER_FIRST_YEAR = months(3)
LAC_VISIT_FIRST_YEAR = months(12)
LONG_TERM_PLACEMENTS = frozenset({"U1", "U4"})
CP_VISIT = Timescale(
    "cp_visit",
    "Child protection visit",
    "the plan's start or the last visit",
    working_days(10),
    then=working_days(10),
    setting="cp_visit_working_days",
    source=LOCAL,
)
CIN_VISIT = Timescale(
    "cin_visit",
    "Child in need visit",
    "the plan's start or the last visit",
    days(28),
    then=days(28),
    setting="cin_visit_days",
    source=LOCAL,
)
CP_SUPERVISION = Timescale(
    "cp_supervision",
    "Case supervision (child protection)",
    "the plan's start or last supervision",
    days(28),
    then=days(28),
    setting="cp_supervision_days",
    source=LOCAL,
)
CLA_SUPERVISION = Timescale(
    "cla_supervision",
    "Case supervision (looked after)",
    "entering care or last supervision",
    days(42),
    then=days(42),
    setting="cla_supervision_days",
    source=LOCAL,
)
CIN_SUPERVISION = Timescale(
    "cin_supervision",
    "Case supervision (child in need)",
    "the plan's start or last supervision",
    days(42),
    then=days(42),
    setting="cin_supervision_days",
    source=LOCAL,
)
RETURN_HOME_INTERVIEW = Timescale(
    "rhi",
    "Return-home interview offered",
    "the child's return from a missing episode",
    hours(72),
    source="DfE, Children who run away or go missing from home or care (January 2014)",
)
S20_REVIEW = Timescale(
    "s20_review",
    "Review of section 20 accommodation",
    "the start of section 20 accommodation",
    days(28),
    source="Local standard of the seed council (self-evaluation para. 28)",
)
PROCEEDINGS = Timescale(
    "proceedings",
    "Care proceedings concluded",
    "the issue of the application",
    weeks(26),
    source="Children Act 1989 s32(1)(a), as amended by Children and Families Act 2014 s14",
)

TIMESCALES: dict[str, Timescale] = {
    t.id: t
    for t in (
        REFERRAL_DECISION,
        ASSESSMENT,
        ICPC,
        CP_REVIEW,
        LAC_REVIEW,
        LAC_VISIT,
        CP_VISIT,
        CIN_VISIT,
        CP_SUPERVISION,
        CLA_SUPERVISION,
        CIN_SUPERVISION,
        RETURN_HOME_INTERVIEW,
        S20_REVIEW,
        PROCEEDINGS,
    )
}


def timescale(id_: str, standards: Mapping[str, int] | None = None) -> Timescale:
    """A timescale by id, resolved against the local standards (defaults + Django setting)."""
    from .standards import local_standards

    return TIMESCALES[id_].resolve(local_standards(standards))
