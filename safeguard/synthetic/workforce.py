"""The synthetic council's teams and staff, and who held each child's case when.

Teams are the seed's (a MASH, two assessment teams, three CP and court teams, two looked-after
teams, a 16+ team, safeguarding and review, two fostering teams, adoption, early help and
disability). Case-holding teams are staffed by demand: a case goes to the least-loaded worker
and a worker is hired when everyone is full, so caseloads sit mostly between 17 and 25; workers
leave (agency staff sooner), and their cases move on, which is how worker changes happen. Posts
that hold no cases (IROs, fostering, adoption, early help) are a fixed roster with turnover.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from dataclasses import dataclass, field

from . import people
from .dice import Dice
from .journeys import MINUTES, Council, Kid

SERVICE_SAFEGUARDING = "Safeguarding and Family Support"
SERVICE_FRONT_DOOR = "MASH and Assessment"
SERVICE_EARLY_HELP = "Early Help"
SERVICE_ADDITIONAL = "Additional Needs"

# (name, kind, service)
TEAMS: tuple[tuple[str, str, str], ...] = (
    ("MASH", "MASH", SERVICE_FRONT_DOOR),
    ("Assessment Team 1", "ASSESSMENT", SERVICE_FRONT_DOOR),
    ("Assessment Team 2", "ASSESSMENT", SERVICE_FRONT_DOOR),
    ("Child Protection and Court Team 1", "CP_COURT", SERVICE_SAFEGUARDING),
    ("Child Protection and Court Team 2", "CP_COURT", SERVICE_SAFEGUARDING),
    ("Child Protection and Court Team 3", "CP_COURT", SERVICE_SAFEGUARDING),
    ("Looked After Children Team 1", "LAC", SERVICE_SAFEGUARDING),
    ("Looked After Children Team 2", "LAC", SERVICE_SAFEGUARDING),
    ("16+ Team", "LEAVING_CARE", SERVICE_SAFEGUARDING),
    ("Safeguarding and Review", "REVIEW", SERVICE_SAFEGUARDING),
    ("Fostering Team 1", "FOSTERING", SERVICE_SAFEGUARDING),
    ("Fostering Team 2", "FOSTERING", SERVICE_SAFEGUARDING),
    ("Adoption Team", "ADOPTION", SERVICE_SAFEGUARDING),
    ("Early Help Team", "EARLY_HELP", SERVICE_EARLY_HELP),
    ("Children with Disabilities Team", "DISABILITY", SERVICE_ADDITIONAL),
)
# Posts that hold no cases: (team kind, role, posts per 36,000 children, agency share of hires)
ROSTERS: tuple[tuple[str, str, int, float], ...] = (
    ("MASH", "SW", 6, 0.4),
    ("MASH", "MASH_OFFICER", 4, 0.0),
    ("REVIEW", "IRO", 8, 0.15),
    ("FOSTERING", "SW", 6, 0.1),
    ("ADOPTION", "SW", 6, 0.1),
    ("EARLY_HELP", "FSW", 12, 0.0),
    ("CP_COURT", "FSW", 2, 0.0),
)
# Share of hires through agencies, by case-holding team kind (stock ends ~20-30% in some).
AGENCY_HIRES = {
    "ASSESSMENT": 0.7,
    "CP_COURT": 0.75,
    "LAC": 0.5,
    "LEAVING_CARE": 0.2,
    "DISABILITY": 0.15,
}
HIRE_AT = 22  # a new worker is taken on when every worker in the team holds this many
SHED_BELOW = 17  # agency contracts end when the team's average caseload falls below this
TENURE_YEARS = {True: 1.1, False: 3.8}  # agency, permanent


@dataclass
class Staff:
    """A worker row in the making, with the cases they hold now."""

    pk: int
    team_pk: int
    role: str
    agency: bool
    start: int
    leave: int
    cases: set[int] = field(default_factory=set)
    service: str = ""  # for a head of service: the service area they manage


class Workforce:
    """Builds teams, workers and allocations into the council's tables."""

    def __init__(self, council: Council) -> None:
        self.c = council
        self.d: Dice = council.dice
        self.t = council.t
        self.team_pk: dict[str, int] = {}
        self.teams_of: dict[str, list[int]] = {}
        self.staff: list[Staff] = []
        self.rosters: dict[tuple[str, str], list[list[Staff]]] = {}
        self.managers: dict[int, int] = {}

    def run(self) -> None:
        self.make_teams()
        for kind, role, posts, agency in ROSTERS:
            self.roster(kind, role, max(1, round(posts * self.c.scale)), agency)
        segments = self.segments()
        for team_pk, team_segments in sorted(segments.items()):
            self.allocate(team_pk, team_segments)
        self.write_workers()

    # --- Teams and fixed rosters ------------------------------------------------------------

    def make_teams(self) -> None:
        table = self.t["workforce.Team"]
        begin = self.c.burn - 6 * 365
        for name, kind, service in TEAMS:
            pk = table.reserve()
            manager = self.new_staff(pk, "TM", False, begin - self.d.int(0, 3000), never=True)
            table.add(pk, name=name, kind=kind, service=service, manager_id=manager.pk)
            self.team_pk[name] = pk
            self.teams_of.setdefault(kind, []).append(pk)
            self.managers[pk] = manager.pk
        for service in (SERVICE_FRONT_DOOR, SERVICE_SAFEGUARDING, SERVICE_ADDITIONAL):
            hos = self.new_staff(None, "HOS", False, begin - self.d.int(0, 2000), never=True)
            hos.service = service
        for _ in range(2):
            self.new_staff(None, "ANALYST", False, begin - self.d.int(0, 2000), never=True)

    def new_staff(
        self, team_pk: int | None, role: str, agency: bool, start: int, never: bool = False
    ) -> Staff:
        leave = 10**7 if never else start + max(30, int(self.d.exp(365.25 * TENURE_YEARS[agency])))
        s = Staff(
            pk=self.t["workforce.Worker"].reserve(),
            team_pk=team_pk,
            role=role,
            agency=agency,
            start=start,
            leave=leave,
        )
        self.staff.append(s)
        return s

    def roster(self, kind: str, role: str, posts: int, agency: float) -> None:
        for team_pk in self.teams_of[kind]:
            holders_by_post = []
            for _ in range(posts):
                holders, when = [], self.c.burn - self.d.int(0, 6 * 365)
                while when <= self.c.until:
                    s = self.new_staff(team_pk, role, self.d.chance(agency), when)
                    holders.append(s)
                    when = s.leave + self.d.int(14, 90)
                holders_by_post.append(holders)
            self.rosters[(kind, role)] = self.rosters.get((kind, role), []) + holders_by_post

    def on_duty(self, kind: str, role: str, when: int) -> int | None:
        """A worker holding one of the roster's posts on a day (None if all posts are vacant)."""
        posts = self.rosters[(kind, role)]
        first = self.d.int(0, len(posts) - 1)
        for k in range(len(posts)):
            holders = posts[(first + k) % len(posts)]
            i = bisect_right([h.start for h in holders], when) - 1
            if i >= 0 and holders[i].leave > when:
                return holders[i].pk
        return None

    # --- Case segments from the children's timelines ----------------------------------------

    def segments(self) -> dict[int, list[tuple]]:
        """Per team: (start, end or None, child, start reason, end reason), history only."""
        out: dict[int, list[tuple]] = {}
        start, until = self.c.start, self.c.until
        for kid in self.c.kids:
            for seg in self.kid_segments(kid):
                s, e, kind, why, why_end = seg
                if s > until or (e is not None and e <= start) or (e is not None and e <= s):
                    continue
                if e is not None and e > until:
                    e, why_end = None, ""
                team = self.team_for(kid, kind)
                out.setdefault(team, []).append((s, e, kid.pk, why, why_end))
        return out

    @staticmethod
    def kid_segments(kid: Kid) -> list[tuple]:
        line = sorted(kid.timeline, key=lambda x: x[0])
        segs = []
        for (s, kind, why), nxt in zip(line, [*line[1:], None], strict=False):
            if kind is None:
                continue
            if nxt is None:
                segs.append((s, None, kind, why, ""))
            else:
                segs.append((s, nxt[0], kind, why, "TRANSFER" if nxt[1] else nxt[2]))
        return segs

    def team_for(self, kid: Kid, kind: str) -> int:
        teams = self.teams_of[kind]
        return teams[kid.pk % len(teams)]

    # --- Allocation to workers --------------------------------------------------------------

    def allocate(self, team_pk: int, segments: list[tuple]) -> None:
        """Give each case to the least-loaded worker; hire, shed and replace as cases come."""
        kind = next(k for k, pks in self.teams_of.items() if team_pk in pks)
        if kind == "MASH":
            self.allocate_mash(team_pk, segments)
            return
        segments.sort(key=_segment_order)
        events: list[tuple[int, int, int]] = []  # (day, order, index); order: 0 end, 1 start
        for i, (s, e, *_rest) in enumerate(segments):
            events.append((s, 1, i))
            if e is not None:
                events.append((e, 0, i))
        heapq.heapify(events)
        team = _Team(self, team_pk, kind)
        while events:
            when, order, i = heapq.heappop(events)
            team.leavers(when)
            if order == 1:
                s, e, child, why, _ = segments[i]
                team.assign(i, child, when, why)
            else:
                team.release(i, when, segments[i][4])
        team.finish()

    def allocate_mash(self, team_pk: int, segments: list[tuple]) -> None:
        table = self.t["workforce.Allocation"]
        for s, e, child, why, why_end in sorted(segments, key=_segment_order):
            table.add(
                source="synthetic",
                child_id=child,
                worker_id=self.on_duty("MASH", "SW", s),
                team_id=team_pk,
                start_date=s,
                end_date=e,
                reason=why,
                end_reason=why_end,
            )

    def write_workers(self) -> None:
        table = self.t["workforce.Worker"]
        until = self.c.until
        for s in sorted(self.staff, key=lambda x: x.pk):
            if s.start > until:
                continue
            fte = "1.00" if self.d.chance(0.8) else self.d.pick(("0.80", "0.60", "0.50"))
            table.add(
                s.pk,
                user_id=None,
                name=people.worker_name(self.d, s.pk),
                role=s.role,
                team_id=s.team_pk,
                service=s.service,
                agency=s.agency,
                fte=fte,
                start_date=s.start,
                leave_date=s.leave if s.leave <= until else None,
            )


def _segment_order(seg: tuple) -> tuple[int, int, int]:
    return (seg[0], seg[2], seg[1] if seg[1] is not None else 10**7)


class _Team:
    """One case-holding team during allocation: its workers and their current cases."""

    def __init__(self, wf: Workforce, team_pk: int, kind: str) -> None:
        self.wf, self.pk, self.kind = wf, team_pk, kind
        self.workers: list[Staff] = []
        # segment -> (worker, child, start, reason)
        self.open: dict[int, tuple[int, int, int, str]] = {}
        self.table = wf.t["workforce.Allocation"]
        self.changed = -(10**7)  # day of the last hire or shed
        self.soonest = 10**7  # the earliest leaving day among the workers

    def hire(self, when: int) -> Staff:
        wf = self.wf
        early = when < wf.c.start + 30
        start = when - (wf.d.int(0, 6 * 365) if early else wf.d.int(0, 20))
        s = wf.new_staff(
            self.pk,
            "ASW" if wf.d.chance(0.2) else "SW",
            wf.d.chance(AGENCY_HIRES[self.kind]),
            start,
        )
        if s.leave <= when:
            # Back-dated staff at the start of the history must still be here when needed
            # (else their cases would move back in time, hiring earlier and earlier).
            s.leave = when + wf.d.int(30, 365)
        self.changed = when
        self.workers.append(s)
        self.soonest = min(self.soonest, s.leave)
        return s

    def pick(self, when: int, exclude: Staff | None = None) -> Staff:
        active = [w for w in self.workers if w is not exclude]
        if not active or min(len(w.cases) for w in active) >= HIRE_AT:
            return self.hire(when)
        return min(active, key=lambda w: (len(w.cases), w.pk))

    def assign(self, seg: int, child: int, when: int, why: str) -> None:
        worker = self.pick(when)
        worker.cases.add(seg)
        self.open[seg] = (worker.pk, child, when, why)

    def close(self, seg: int, when: int, why_end: str) -> Staff:
        worker_pk, child, start, why = self.open.pop(seg)
        end = when if when <= self.wf.c.until else None
        self.table.add(
            source="synthetic",
            child_id=child,
            worker_id=worker_pk,
            team_id=self.pk,
            start_date=start,
            end_date=end,
            reason=why,
            end_reason=why_end if end is not None else "",
        )
        worker = next(w for w in self.workers if w.pk == worker_pk)
        worker.cases.discard(seg)
        return worker

    def release(self, seg: int, when: int, why_end: str) -> None:
        self.close(seg, when, why_end)
        self.shed(when)

    def shed(self, when: int) -> None:
        """When demand falls, an agency contract ends (or a permanent worker moves on)."""
        if len(self.workers) < 2 or self.wf.c.start > when:
            return
        total = sum(len(w.cases) for w in self.workers)
        # Hysteresis: only when the others can absorb the cases without hiring again, and not
        # within two months of the last change, or small teams churn staff every few days.
        if (
            total / len(self.workers) >= SHED_BELOW
            or total / (len(self.workers) - 1) > 19
            or when - self.changed < 60
        ):
            return
        self.changed = when
        w = min(self.workers, key=lambda x: (not x.agency, len(x.cases), x.pk))
        w.leave = when
        self.soonest = min(self.soonest, when)
        self.leavers(when)

    def leavers(self, when: int) -> None:
        """Workers whose leaving day has come hand their cases to colleagues."""
        if when < self.soonest:
            return
        for w in [w for w in self.workers if w.leave <= when]:
            self.workers.remove(w)
            for seg in sorted(w.cases):
                worker_pk, child, start, why = self.open[seg]
                self.close_for_leaver(seg, w, w.leave)
                nxt = self.pick(w.leave)
                nxt.cases.add(seg)
                self.open[seg] = (nxt.pk, child, w.leave, "WORKER_LEFT")
        self.soonest = min((w.leave for w in self.workers), default=10**7)

    def close_for_leaver(self, seg: int, worker: Staff, when: int) -> None:
        _, child, start, why = self.open.pop(seg)
        if when > start:
            self.table.add(
                source="synthetic",
                child_id=child,
                worker_id=worker.pk,
                team_id=self.pk,
                start_date=start,
                end_date=when,
                reason=why,
                end_reason="WORKER_LEFT",
            )
        worker.cases.discard(seg)

    def finish(self) -> None:
        """Cases still open at the end of the history stay open; so do their workers."""
        for seg in sorted(self.open):
            worker_pk, child, start, why = self.open[seg]
            self.table.add(
                source="synthetic",
                child_id=child,
                worker_id=worker_pk,
                team_id=self.pk,
                start_date=start,
                end_date=None,
                reason=why,
                end_reason="",
            )


def fill_practice_workers(council: Council, wf: Workforce) -> None:
    """Visits get the allocated worker; supervision the worker and their team manager;
    contacts the MASH worker on duty and, for referrals, the MASH manager's authorisation."""
    import polars as pl

    t = council.t
    alloc = t["workforce.Allocation"]
    frame = pl.DataFrame(
        {
            "child_id": alloc.columns.get("child_id", []),
            "start": alloc.columns.get("start_date", []),
            "end": [e if e is not None else 10**7 for e in alloc.columns.get("end_date", [])],
            "worker": alloc.columns.get("worker_id", []),
            "team": alloc.columns.get("team_id", []),
        },
        schema={
            "child_id": pl.Int64,
            "start": pl.Int64,
            "end": pl.Int64,
            "worker": pl.Int64,
            "team": pl.Int64,
        },
    ).sort("child_id", "start")

    def lookup(table_name: str) -> pl.DataFrame:
        tab = t[table_name]
        rows = pl.DataFrame(
            {
                "row": list(range(len(tab))),
                "child_id": tab.columns.get("child_id", []),
                "date": tab.columns.get("date", []),
            },
            schema={"row": pl.Int64, "child_id": pl.Int64, "date": pl.Int64},
        )
        joined = rows.sort("date").join_asof(
            frame.sort("start"),
            left_on="date",
            right_on="start",
            by="child_id",
            strategy="backward",
            check_sortedness=False,
        )
        ok = pl.col("end").is_not_null() & (pl.col("date") < pl.col("end"))
        return joined.with_columns(
            worker=pl.when(ok).then(pl.col("worker")), team=pl.when(ok).then(pl.col("team"))
        ).sort("row")

    visits = lookup("journey.Visit")
    t["journey.Visit"].columns["worker_id"] = visits["worker"].to_list()
    sup = lookup("workforce.CaseSupervision")
    table = t["workforce.CaseSupervision"]
    table.columns["worker_id"] = sup["worker"].to_list()
    table.columns["supervisor_id"] = [
        wf.managers.get(team) if team is not None else None for team in sup["team"].to_list()
    ]
    table.keep(s is not None for s in table.columns["supervisor_id"])
    contacts = t["journey.Contact"]
    cols = contacts.columns
    mash_manager = wf.managers[wf.team_pk["MASH"]]
    for i in range(len(contacts)):
        when = cols["decided_at"][i] // MINUTES
        role = (
            "SW"
            if cols["mash_decision"][i] in ("REF", "EH")
            else ("MASH_OFFICER" if wf.d.chance(0.5) else "SW")
        )
        cols["decided_by_id"][i] = wf.on_duty("MASH", role, when)
        cols["authorised_by_id"][i] = mash_manager if cols["mash_decision"][i] == "REF" else None
