"""Realistic quality data, with gaps, added to an existing (synthetic) council for the demo.

`quality_seed(seed=S)` adds what the journey generator does not make: workers' own supervision,
actions from case supervision, the audit tool and a year of monthly audit programmes (graded,
mostly moderated, some left undone), a thematic PLO audit, entry-to-care panel requests since
the new panel began (25 September 2018, self-evaluation para. 82), managers' authorisations,
S20 reviews and legal advice, permanence plans, life-story work, IRO disputes and the teams'
establishment. Rates are set so the trackers show the seed council's picture: most but not all
in time. Deterministic: the same seed and record give the same rows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import polars as pl
from django.db import transaction
from django.db.models import Max, Q

from safeguard.journey import models as j
from safeguard.workforce.models import CaseSupervision, Team, Worker

from . import codes, frames, models, services, trackers

PANEL_STARTED = date(2018, 9, 25)
AUDIT_QUESTIONS = (
    (
        "Chronology",
        "Is there an up-to-date chronology that informs the work?",
        "Outstanding: significant events analysed; inadequate: none, or years out of date.",
    ),
    (
        "Child's voice",
        "Are the child's wishes and feelings seen, heard and recorded?",
        "Look for direct work and the child's own words.",
    ),
    (
        "Assessment",
        "Does the assessment analyse risk and need, using history?",
        "Good: clear analysis leading to a plan; inadequate: description only.",
    ),
    (
        "Plan",
        "Is the plan specific, measurable and timed, and is it progressing?",
        "Check actions have owners and dates, and drift is challenged.",
    ),
    (
        "Management oversight",
        "Is management oversight evident, with reasons for decisions?",
        "Recorded decisions with rationale at key points.",
    ),
    (
        "Supervision",
        "Is case supervision regular and reflective?",
        "Against the local standard (CP 4 weeks, CLA and CIN 6 weeks).",
    ),
    ("Multi-agency", "Do partner agencies contribute to assessment and plan?", ""),
    ("Recording", "Is recording up to date and written for the child?", ""),
)
PLO_QUESTIONS = (
    ("Letter before proceedings", "Was the letter before proceedings clear and timely?", ""),
    ("Legal gateway", "Was the legal gateway decision recorded with reasons?", ""),
    ("Drift", "Did the case progress without drift from PLO to decision?", ""),
    ("Family network", "Were family members explored early (FGC, viability)?", ""),
)
#: Audit grade chances (outstanding, good, RI, inadequate) by team kind: the self-evaluation
#: says practice is inconsistent, weakest in assessment and CP/court.
GRADE_MIX = {"ASSESSMENT": (0.03, 0.45, 0.42, 0.10), "CP_COURT": (0.03, 0.44, 0.43, 0.10)}
GRADE_MIX_DEFAULT = (0.06, 0.58, 0.30, 0.06)
GRADES = ("OUTSTANDING", "GOOD", "RI", "INADEQUATE")
ALREADY = "The record already holds quality data: use --replace to delete it and seed again."


def has_quality_data() -> bool:
    return models.AuditProgramme.objects.exists() or models.Task.objects.exists()


def clear_quality() -> None:
    """Delete every quality row (the journey generator's --replace must call this first)."""
    for model in (
        models.Task,
        models.AuditAnswer,
        models.Audit,
        models.AuditProgramme,
        models.AuditQuestion,
        models.AuditTemplate,
        models.PanelRequest,
        models.Authorisation,
        models.S20Review,
        models.PermanencePlan,
        models.LifeStoryWork,
        models.Dispute,
        models.WorkerSupervision,
        models.Establishment,
    ):
        model.objects.all().delete()


def record_end() -> date:
    """The last day the record reaches (its latest referral or visit)."""
    latest = [
        j.Referral.objects.aggregate(d=Max("referral_date"))["d"],
        j.Visit.objects.aggregate(d=Max("date"))["d"],
    ]
    return max(d for d in latest if d) if any(latest) else date.today()


class Seeder:
    """One pass of quality seeding: each `add_*` adds one kind of record."""

    def __init__(self, seed: int, as_at: date, months: int = 12) -> None:
        self.rng = np.random.default_rng(seed)
        self.seed, self.as_at, self.months = seed, as_at, months
        self.scope = j.Child.objects.all()
        self.managers = {t.pk: t.manager for t in Team.objects.select_related("manager")}
        self.any_manager = Worker.objects.filter(role__in=["TM", "HOS"]).first()
        self.counts: dict[str, int] = {}

    def chance(self, p: float, n: int) -> np.ndarray:
        return self.rng.random(n) < p

    def days(self, lo: int, hi: int) -> timedelta:
        return timedelta(days=int(self.rng.integers(lo, hi + 1)))

    def manager_of(self, team_id: int | None) -> Worker | None:
        return self.managers.get(team_id) or self.any_manager

    def _bulk(self, model: type, rows: list) -> None:
        model.objects.bulk_create(rows, batch_size=1000)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(rows)

    def _holders(self) -> pl.DataFrame:
        return frames.current_allocation(
            frames.allocations(self.scope, self.as_at, self.as_at), self.as_at
        )

    def add_establishment(self) -> None:
        """Funded posts: the case-holding FTE in post plus 0-2 vacant posts per team."""
        staff = (
            Worker.objects.filter(role__in=["SW", "ASW"], start_date__lte=self.as_at)
            .exclude(leave_date__lte=self.as_at)
            .exclude(team=None)
        )
        fte: dict[int, float] = {}
        for team_id, f in staff.values_list("team_id", "fte"):
            fte[team_id] = fte.get(team_id, 0) + float(f)
        self._bulk(
            models.Establishment,
            [
                models.Establishment(
                    team_id=t, role="SW", posts=round(v + int(self.rng.integers(0, 3)), 1)
                )
                for t, v in sorted(fte.items())
            ],
        )

    def add_worker_supervision(self) -> None:
        """Monthly sessions for a year; each worker keeps to it with their own reliability."""
        staff = (
            Worker.objects.filter(role__in=["SW", "ASW", "FSW"], start_date__lte=self.as_at)
            .exclude(leave_date__lte=self.as_at)
            .exclude(team=None)
        )
        rows = []
        for worker in staff.order_by("pk"):
            supervisor = self.manager_of(worker.team_id)
            if supervisor is None:
                continue
            on_time = self.rng.uniform(0.5, 0.95)
            day = max(worker.start_date, self.as_at - timedelta(days=365)) + self.days(0, 27)
            while day <= self.as_at:
                rows.append(
                    models.WorkerSupervision(worker=worker, supervisor=supervisor, date=day)
                )
                late = self.rng.random() > on_time
                day += timedelta(days=28) + (self.days(5, 40) if late else self.days(-6, 0))
        self._bulk(models.WorkerSupervision, rows)

    def add_supervision_tasks(self) -> None:
        """A third of the last four months' case supervisions set an action; most are done."""
        since = self.as_at - timedelta(days=120)
        sups = list(
            CaseSupervision.objects.filter(date__gt=since, date__lte=self.as_at)
            .exclude(worker=None)
            .order_by("pk")
        )
        picked = [s for s, keep in zip(sups, self.chance(0.33, len(sups)), strict=True) if keep]
        titles = (
            "Update the chronology",
            "Hold a core group meeting",
            "Complete direct work with the child",
            "Update the plan after the review",
            "Seek legal advice",
            "Visit the child alone",
        )
        rows = []
        for sup in picked:
            due = sup.date + self.days(7, 28)
            done = sup.date + self.days(3, 35) if self.rng.random() < 0.75 else None
            rows.append(
                models.Task(
                    assignee_id=sup.worker_id,
                    child_id=sup.child_id,
                    origin="SUPERVISION",
                    title=str(self.rng.choice(titles)),
                    set_date=sup.date,
                    set_by_id=sup.supervisor_id,
                    due_date=due,
                    done_date=done if done and done <= self.as_at else None,
                    case_supervision=sup,
                )
            )
        self._bulk(models.Task, rows)

    def add_audits(self) -> None:
        """A year of monthly programmes (2 cases a team), graded with the team's mix; most
        moderated by another team's manager; the current month still under way."""
        tool = services.audit_template_create(
            name="Case file audit tool", kind="MONTHLY", questions=AUDIT_QUESTIONS
        )
        kinds = dict(Team.objects.values_list("pk", "kind"))
        month = self.as_at.replace(day=1)
        for back in range(self.months - 1, -1, -1):
            start = _months_before(month, back)
            programme = services.programme_create_monthly(
                template=tool, month=start, per_team=2, seed=self.seed, created_by=None
            )
            finished = 1.0 if back > 1 else (0.8 if back == 1 else 0.3)
            for audit in programme.audits.select_related("programme__template").order_by("pk"):
                if self.rng.random() < finished:
                    self._grade(audit, start, kinds.get(audit.team_id))
        plo = services.audit_template_create(
            name="PLO thematic audit", kind="THEMATIC", questions=PLO_QUESTIONS
        )
        thematic = services.programme_create_thematic(
            template=plo, query="plo", month=_months_before(month, 2)
        )
        for audit in thematic.audits.order_by("pk"):
            self._grade(audit, thematic.month, "CP_COURT")
        self.counts["quality.Audit"] = models.Audit.objects.count()

    def _grade(self, audit: models.Audit, month: date, kind: str | None) -> None:
        mix = GRADE_MIX.get(kind or "", GRADE_MIX_DEFAULT)
        auditor = audit.auditor or self.any_manager
        if auditor is None:
            return
        when = min(month + self.days(3, 25), self.as_at)
        answers = {
            q.pk: (str(self.rng.choice(GRADES, p=mix)), "")
            for q in audit.programme.template.questions.all()
        }
        scores = [codes.GRADE_SCORE[g] for g, _ in answers.values()]
        mean = sum(scores) / len(scores)
        overall = GRADES[4 - max(1, min(4, int(mean + 0.5)))]  # half rounds up
        actions = []
        if overall in ("RI", "INADEQUATE") and audit.worker_id:
            actions = [
                services.Action(
                    "Address the audit's findings on the plan", when + self.days(14, 28)
                )
            ]
        services.audit_grade(
            audit=audit,
            auditor=auditor,
            audit_date=when,
            grades=answers,
            overall_grade=overall,
            summary="Audit completed.",
            actions=actions,
        )
        self._moderate(audit, when, overall, auditor)

    def _moderate(self, audit: models.Audit, when: date, overall: str, auditor: Worker) -> None:
        others = [m for m in self.managers.values() if m is not None and m.pk != auditor.pk]
        moderated = when + self.days(2, 14)
        if not others or self.rng.random() > 0.75 or moderated > self.as_at:
            return
        moderator = others[int(self.rng.integers(0, len(others)))]
        grade = overall
        if self.rng.random() < 0.2 and overall != "INADEQUATE":
            grade = GRADES[GRADES.index(overall) + 1]  # moderators tend to grade down
        services.audit_moderate(
            audit=audit,
            moderator=moderator,
            date=moderated,
            grade=grade,
            comment="Moderated."
            if grade == overall
            else "Grade lowered: the plan lacks timescales.",
        )
        done = models.Task.objects.filter(audit=audit, done_date=None)
        for task in done:
            if self.rng.random() < 0.6 and task.due_date <= self.as_at:
                task.done_date = task.due_date - self.days(0, 7)
                task.save(update_fields=["done_date"])

    def add_panels(self) -> None:
        """Entry-to-care requests for children who came into care since the panel began, and
        requests the panel turned down (alternatives) for children on plans."""
        holders = self._holders()
        entered = list(
            j.CareEpisode.objects.filter(
                reason_new_episode="S", start_date__gte=PANEL_STARTED, start_date__lte=self.as_at
            )
            .values_list("child_id", "start_date")
            .order_by("pk")
        )
        team_of = dict(
            zip(holders["child_id"].to_list(), holders["team_id"].to_list(), strict=True)
        )
        rows = [
            self._panel(kid, start - self.days(0, 10), team_of.get(kid), approved=True)
            for kid, start in entered
            if self.rng.random() < 0.9
        ]  # emergencies skip it
        declined = list(
            j.ChildProtectionPlan.objects.filter(
                start_date__lte=self.as_at, start_date__gte=PANEL_STARTED
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=self.as_at))
            .values_list("child_id", "start_date")
            .order_by("pk")
        )
        for kid, start in declined:
            if self.rng.random() < 0.12:
                rows.append(
                    self._panel(
                        kid,
                        min(start + self.days(30, 120), self.as_at),
                        team_of.get(kid),
                        approved=False,
                    )
                )
        self._bulk(models.PanelRequest, [r for r in rows if r is not None])

    def _panel(
        self, child_id: int, on: date, team_id: int | None, approved: bool
    ) -> models.PanelRequest | None:
        requester = self.manager_of(team_id)
        if requester is None:
            return None
        panel_date = on + self.days(0, 4)
        decision = (
            ("APPROVED_COND" if self.rng.random() < 0.4 else "APPROVED")
            if approved
            else str(self.rng.choice(["ALTERNATIVE", "DECLINED", "DEFERRED"], p=[0.6, 0.2, 0.2]))
        )
        if panel_date > self.as_at:
            panel_date, decision = None, ""
        return models.PanelRequest(
            child_id=child_id,
            requested_by=requester,
            request_date=on,
            reason="Request for the child to become looked after.",
            evidence="Assessment, chronology and safety plan.",
            panel_date=panel_date,
            decision=decision,
            decided_by=self.any_manager if decision else None,
            conditions="Review within 3 months; explore family network."
            if decision == "APPROVED_COND"
            else "",
            review_date=panel_date + timedelta(days=91)
            if decision.startswith("APPROVED")
            else None,
        )

    def add_authorisations(self) -> None:
        """Referral decisions and assessment sign-offs in the year, most with a recorded
        manager's authorisation (the seed: recording of management decisions is inconsistent)."""
        since = self.as_at - timedelta(days=365)
        allocs = frames.allocations(self.scope, since, self.as_at)
        referrals = frames.load(
            j.Referral.objects.filter(referral_date__gt=since, referral_date__lte=self.as_at),
            {
                "id": frames.I,
                "child_id": frames.I,
                "referral_date": frames.D,
                "decided_at": frames.DT,
            },
        ).rename({"referral_date": "day"})
        assessments = frames.load(
            j.Assessment.objects.filter(
                authorisation_date__gt=since, authorisation_date__lte=self.as_at
            ),
            {"id": frames.I, "child_id": frames.I, "authorisation_date": frames.D},
        ).rename({"authorisation_date": "day"})
        rows = [
            self._authorise(kid, "REFERRAL_DECISION", at or _noon(day), team, referral_id=pk)
            for pk, kid, day, at, team in self._sample(_with_team(referrals, allocs), 0.82)
            .select("id", "child_id", "day", "decided_at", "team_id")
            .iter_rows()
        ] + [
            self._authorise(kid, "ASSESSMENT_SIGN_OFF", _noon(day), team, assessment_id=pk)
            for pk, kid, day, team in self._sample(_with_team(assessments, allocs), 0.88)
            .select("id", "child_id", "day", "team_id")
            .iter_rows()
        ]
        self._bulk(models.Authorisation, [r for r in rows if r is not None])

    def _sample(self, frame: pl.DataFrame, p: float) -> pl.DataFrame:
        """The rows kept with chance p (in id order, so the same seed keeps the same rows)."""
        frame = frame.sort("id")
        return frame.filter(pl.Series(self.chance(p, frame.height)))

    def _authorise(
        self, child_id: int, kind: str, at: datetime, team_id: int | None, **subject
    ) -> models.Authorisation | None:
        manager = self.manager_of(team_id)
        if manager is None:
            return None
        return models.Authorisation(
            child_id=child_id,
            kind=kind,
            authorised_by=manager,
            authorised_at=at,
            decision="Agreed.",
            **subject,
        )

    def add_s20_reviews(self) -> None:
        """A manager's review of each S20 arrangement: most within 28 days, nearly all with
        legal advice (the council's system since its S20 review, para. 28)."""
        rows = trackers.s20_rows(self.scope, self.as_at)
        holders = self._holders()
        team_of = dict(
            zip(holders["child_id"].to_list(), holders["team_id"].to_list(), strict=True)
        )
        out = []
        for kid, start in rows.select("child_id", "s20_start").iter_rows():
            if self.rng.random() < 0.06:
                continue
            day = start + (self.days(7, 27) if self.rng.random() < 0.85 else self.days(29, 60))
            if day > self.as_at:
                continue
            advice = day - self.days(1, 10) if self.rng.random() < 0.9 else None
            out.append(
                models.S20Review(
                    child_id=kid,
                    date=day,
                    reviewed_by=self.manager_of(team_of.get(kid)),
                    legal_advice_date=max(advice, start) if advice else None,
                    outcome="Arrangement reviewed; consent confirmed.",
                )
            )
        self._bulk(models.S20Review, out)

    def add_permanence(self) -> None:
        """Permanence plans for looked-after children: most by the second review."""
        rows = trackers.permanence_rows(self.scope, self.as_at)
        cla = frames.looked_after(frames.episodes(self.scope), self.as_at)
        info = rows.join(
            cla.select("child_id", "legal_status", "placement_type"), on="child_id", how="left"
        ).join(frames.children(self.scope).select("child_id", "date_of_birth"), on="child_id")
        adopting = set(
            j.Adoption.objects.filter(decision_ceased_date=None).values_list("child_id", flat=True)
        )
        out = []
        for r in info.iter_rows(named=True):
            day = self._plan_date(r)
            if day is not None:
                out.append(
                    models.PermanencePlan(
                        child_id=r["child_id"],
                        date=day,
                        route=self._route(r, r["child_id"] in adopting),
                    )
                )
        self._bulk(models.PermanencePlan, out)

    def _plan_date(self, r: dict) -> date | None:
        second, roll = r["second_review"], self.rng.random()
        if second is None:
            return r["care_start"] + self.days(20, 60) if roll < 0.35 else None
        if roll < 0.72:
            return max(r["care_start"], second - self.days(0, 40))
        if roll < 0.88:
            late = second + self.days(10, 120)
            return late if late <= self.as_at else None
        return None

    def _route(self, r: dict, adopting: bool) -> str:
        place, status = r["placement_type"] or "", r["legal_status"] or ""
        age = (self.as_at - r["date_of_birth"]).days // 365 if r["date_of_birth"] else 10
        if adopting or status in ("E1", "D1") or place.startswith("A"):
            return "ADOPTION"
        if age >= 16:
            return "INDEPENDENCE"
        if place.startswith("R") or place.startswith("K"):
            return "RESIDENTIAL"
        if place == "P1":
            return "RETURN_HOME"
        options = ["LTF", "SGO", "RETURN_HOME", "ADOPTION" if age < 5 else "LTF"]
        return str(self.rng.choice(options, p=[0.5, 0.2, 0.2, 0.1]))

    def add_life_story(self) -> None:
        """Life-story work for children with a plan of adoption or long-term care: about half
        complete, a quarter started, the rest a backlog (the seed's area for improvement)."""
        rows = trackers.life_story_rows(self.scope, self.as_at)
        out = []
        for (kid,) in rows.select("child_id").iter_rows():
            roll = self.rng.random()
            if roll > 0.78:
                continue
            started = self.as_at - self.days(30, 400)
            done = started + self.days(60, 240) if roll < 0.5 else None
            out.append(
                models.LifeStoryWork(
                    child_id=kid,
                    started=started,
                    completed=done if done and done <= self.as_at else None,
                )
            )
        self._bulk(models.LifeStoryWork, out)

    def add_disputes(self) -> None:
        """IRO disputes for about 5% of looked-after children in the year."""
        cla = frames.looked_after(frames.episodes(self.scope), self.as_at)["child_id"].to_list()
        issues = (
            "Care plan not progressing",
            "Statutory visits out of time",
            "Placement plan not agreed",
            "Health assessment overdue",
        )
        iro = Worker.objects.filter(role="IRO").first()
        out = []
        for kid in cla:
            if self.rng.random() > 0.05:
                continue
            raised = self.as_at - self.days(5, 360)
            stage = str(self.rng.choice(["1", "2", "3", "4"], p=[0.6, 0.25, 0.1, 0.05]))
            resolved = raised + self.days(7, 75) if self.rng.random() < 0.7 else None
            out.append(
                models.Dispute(
                    child_id=kid,
                    raised_date=raised,
                    raised_by=iro,
                    issue=str(self.rng.choice(issues)),
                    stage=stage,
                    resolved_date=resolved if resolved and resolved <= self.as_at else None,
                )
            )
        self._bulk(models.Dispute, out)


def _months_before(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def _with_team(events: pl.DataFrame, allocs: pl.DataFrame) -> pl.DataFrame:
    """Events (id, child_id, day) with team_id: the team holding the case that day (the
    allocation that started last), or null."""
    held = (
        events.select("id", "child_id", "day")
        .join(allocs.select("child_id", "start_date", "end_date", "team_id"), on="child_id")
        .filter(
            (pl.col("start_date") <= pl.col("day"))
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= pl.col("day")))
        )
        .sort("start_date")
        .unique("id", keep="last")
        .select("id", "team_id")
    )
    return events.join(held, on="id", how="left")


@transaction.atomic
def quality_seed(*, seed: int, as_at: date | None = None, months: int = 12) -> dict[str, int]:
    """Add quality data to the council in the record (`months` of audit programmes); returns
    rows added per model."""
    seeder = Seeder(seed, as_at or record_end(), months)
    for step in (
        seeder.add_establishment,
        seeder.add_worker_supervision,
        seeder.add_supervision_tasks,
        seeder.add_audits,
        seeder.add_panels,
        seeder.add_authorisations,
        seeder.add_s20_reviews,
        seeder.add_permanence,
        seeder.add_life_story,
        seeder.add_disputes,
    ):
        step()
    return seeder.counts
