"""Children's journeys through the service, simulated child by child into columnar tables.

Each child known to the service is simulated in date order: contacts at the front door (and the
MASH decision), early help, referrals, assessments, section 47 enquiries and conferences, CIN and
CP plans, care (episodes, reviews, missing, adoption, proceedings), leaving care, and the visits
and supervision that practice standards ask for. Which team holds the case is recorded as a
timeline per child; `workforce` turns it into allocations to workers.

Episodes that closed before the history starts (the burn-in) are rolled back, so the record
begins at `Profile.start` with the cases that were open then.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from safeguard.codes import cin, ssda903

from . import people
from . import profile as P
from .days import add_months, add_wd, birthday, collection_year, day
from .dice import Dice, Weighted
from .tables import Tables

NEVER = 10**7  # a day number far beyond any history
MINUTES = 1440

# Events in a child's queue, in tie-break order.
LEGACY, SHORT_BREAK, UASC_ARRIVES, CONTACT, RECONTACT, EH_DIRECT = range(6)

SOURCES = Weighted(
    [
        ("6", 0.28),
        ("2A", 0.17),
        ("2B", 0.02),
        ("3A", 0.03),
        ("3B", 0.04),
        ("3C", 0.02),
        ("3D", 0.03),
        ("3E", 0.03),
        ("3F", 0.02),
        ("4", 0.02),
        ("5A", 0.03),
        ("5B", 0.04),
        ("5C", 0.02),
        ("1A", 0.06),
        ("1B", 0.02),
        ("1C", 0.01),
        ("1D", 0.01),
        ("7", 0.04),
        ("8", 0.08),
        ("9", 0.02),
        ("10", 0.01),
    ]
)
NEEDS = Weighted(
    [
        ("N1", 0.56),
        ("N3", 0.04),
        ("N4", 0.12),
        ("N5", 0.14),
        ("N6", 0.04),
        ("N7", 0.01),
        ("N8", 0.03),
        ("N9", 0.05),
        ("N0", 0.01),
    ]
)
FACTORS = Weighted(
    [
        ("3B", 0.2),
        ("4B", 0.14),
        ("2B", 0.08),
        ("1B", 0.07),
        ("16A", 0.1),
        ("17A", 0.09),
        ("18A", 0.04),
        ("19A", 0.02),
        ("4A", 0.04),
        ("14A", 0.03),
        ("10A", 0.02),
        ("11A", 0.02),
        ("15A", 0.02),
        ("5B", 0.02),
        ("6B", 0.02),
        ("7A", 0.01),
        ("3A", 0.02),
        ("13A", 0.01),
        ("24A", 0.02),
        ("20", 0.03),
    ]
)
ABUSE = Weighted([("NEG", 0.5), ("EMO", 0.31), ("PHY", 0.09), ("SAB", 0.05), ("MUL", 0.05)])
PLACE_CHANGE = Weighted(
    [
        ("CARPL", 0.4),
        ("CREQB", 0.15),
        ("CREQO", 0.1),
        ("CHILD", 0.07),
        ("STAND", 0.04),
        ("ALLEG", 0.02),
        ("LAREQ", 0.06),
        ("CLOSE", 0.03),
        ("APPRR", 0.02),
        ("OTHER", 0.11),
    ]
)
PARTICIPATION = Weighted(
    [
        ("PN1", 0.45),
        ("PN2", 0.1),
        ("PN3", 0.05),
        ("PN4", 0.05),
        ("PN5", 0.1),
        ("PN6", 0.15),
        ("PN7", 0.1),
    ]
)
AGE_OUT = Weighted([("E17", 0.25), ("E5", 0.4), ("E6", 0.12), ("E8", 0.1), ("E13", 0.13)])
IN_TOUCH_OTHER = Weighted([("NO", 0.45), ("REFU", 0.3), ("NREQ", 0.2), ("RHOM", 0.05)])
ACTIVITY = [
    ("F1", 0.06),
    ("P1", 0.01),
    ("F2", 0.25),
    ("P2", 0.04),
    ("F3", 0.1),
    ("P3", 0.05),
    ("F4", 0.05),
    ("P4", 0.02),
    ("F5", 0.07),
    ("P5", 0.03),
    ("G4", 0.06),
    ("G5", 0.2),
    ("G6", 0.06),
]
ACCOMMODATION = [
    ("B1", 0.15),
    ("D1", 0.18),
    ("E1", 0.1),
    ("T1", 0.1),
    ("U1", 0.25),
    ("Z1", 0.1),
    ("K1", 0.03),
    ("S2", 0.03),
    ("W2", 0.02),
    ("X2", 0.02),
    ("B2", 0.02),
]
CP_REVIEWS = (Weighted(P.CP_REVIEWS_BEFORE_2018), Weighted(P.CP_REVIEWS_FROM_2018))
DAY_2018 = day(date(2018, 1, 1))
DAY_APRIL_2019 = day(date(2019, 4, 1))
VISIT_STANDARD = {"CP": 10, "CIN": 28, "CLA": 42, "CL": 56}  # CP in working days
SUPERVISION_STANDARD = {"CP": 28, "CIN": 42, "CLA": 42}


@dataclass
class Kid:
    """A child being simulated, and where their case stands."""

    pk: int
    dob: int
    disabled: bool
    timeline: list[tuple[int, str | None, str]] = field(default_factory=list)
    busy_until: int = -NEVER  # an open social care case until this day
    eh_pk: int | None = None
    eh_until: int = -NEVER
    eh_row: int = -1
    cp_plans: int = 0
    leaver_until: int = -NEVER
    adopted: bool = False
    uasc: bool = False
    uasc_ceased: int | None = None
    team_kind: str | None = None

    def team(self, when: int, kind: str, reason: str) -> None:
        """The case is held by a team of this kind from `when` (a transfer if it changes)."""
        if kind != self.team_kind:
            self.timeline.append((when, kind, reason))
            self.team_kind = kind

    def close(self, when: int, reason: str) -> None:
        if self.team_kind is not None:
            self.timeline.append((when, None, reason))
            self.team_kind = None

    def age(self, when: int) -> float:
        return (when - self.dob) / 365.25


class Council:
    """The simulation: builds `Tables` for one profile from one numpy generator."""

    def __init__(self, prof: P.Profile, rng: np.random.Generator) -> None:
        self.prof = prof
        self.rng = rng
        self.dice = Dice(rng)
        # Visits and supervision draw from their own stream (spawned, so the main stream is
        # not advanced): calibrating practice (`P_VISIT_LATE`, `P_SUPERVISION_LATE`) then
        # leaves every journey, and so every count of the seed table, as it was.
        self.practice_dice = Dice(rng.spawn(1)[0])
        self.t = Tables()
        self.start = day(prof.start)
        self.until = day(prof.until)
        self.burn = self.start - int(365.25 * prof.burn_in_years)
        self.scale = prof.scale
        self.kids: list[Kid] = []

    # --- Driving ----------------------------------------------------------------------------

    def run(self, progress=None) -> Tables:  # noqa: ANN001 - an optional tqdm-like callback
        """Simulate every child; returns the tables."""
        queues = self._queues()
        for n, events in enumerate(queues):
            self._child(events)
            if progress is not None and n % 500 == 0:
                progress(n, len(queues))
        return self.t

    def _queues(self) -> list[list[tuple[int, int, str]]]:
        """Each child's initial events, children in a fixed order."""
        pop = people.population(
            self.rng, children=self.prof.population, first=self.burn - 18 * 366, last=self.until
        )
        queues: dict[tuple[int, int], list] = {}
        self._front_door_events(pop, queues)
        extra = self._new_children_events()
        ordered = [queues[k] for k in sorted(queues)]
        return ordered + extra

    def _draw_children(self, pop: people.Population, when: np.ndarray) -> np.ndarray:
        """For each event day, a child aged 0-17 then, chosen by contact propensity."""
        cum = np.cumsum(pop.weight)
        chosen = np.full(when.size, -1, dtype=np.int64)
        todo = np.arange(when.size)
        while todo.size:
            idx = np.searchsorted(cum, self.rng.random(todo.size) * cum[-1], side="right")
            idx = np.minimum(idx, cum.size - 1)
            age = when[todo] - pop.dob[idx]
            ok = (age >= 0) & (age < 18 * 365.25 - 1)
            chosen[todo[ok]] = idx[ok]
            todo = todo[~ok]
        return chosen

    def _arrival_days(self, per_year) -> np.ndarray:  # noqa: ANN001 - a Trend or a number
        """Event days at a (weekday-weighted) rate, by systematic sampling rather than Poisson
        draws: each quarter then gets its expected number, give or take one."""
        days = np.arange(self.burn, self.until + 1)
        if hasattr(per_year, "at"):
            rate = np.array([per_year.at(int(d)) for d in days])
        else:
            rate = np.full(days.size, float(per_year))
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday
        workday = np.where(weekday < 5, 1.3, 0.25)
        lam = rate * self.scale / 365.25 * workday
        edges = np.floor(np.cumsum(lam) + self.rng.random()).astype(np.int64)
        counts = np.diff(edges, prepend=edges[0] - int(lam[0] >= 1))
        return np.repeat(days, counts)

    def _front_door_events(self, pop: people.Population, queues: dict) -> None:
        contact_days = self._arrival_days(P.CONTACTS_PER_YEAR)
        eh_days = self._arrival_days(P.EARLY_HELP_DIRECT_PER_YEAR)
        for kind, days in ((CONTACT, contact_days), (EH_DIRECT, eh_days)):
            minutes = days * MINUTES + self.rng.integers(8 * 60, 18 * 60, size=days.size)
            kids = self._draw_children(pop, days)
            dice = self._time_ordered_uniforms(minutes) if kind == CONTACT else None
            for i, (k, m) in enumerate(zip(kids.tolist(), minutes.tolist(), strict=True)):
                queue = queues.get((int(pop.dob[k]), k))
                if queue is None:
                    queue = queues[(int(pop.dob[k]), k)] = [("dob", int(pop.dob[k]))]
                queue.append((m, kind, dice[i] if dice is not None else ()))

    def _time_ordered_uniforms(self, minutes: np.ndarray) -> list[tuple[float, ...]]:
        """Three uniforms per contact from a low-discrepancy (R3) sequence taken in time order.

        The MASH decision, the S47 decision and the ICPC decision of a contact's referral use
        them, so any stretch of time gets very nearly its expected share of referrals, S47s and
        ICPCs: a quarter's counts then vary little from seed to seed (plain coin flips would
        move an ICPC count of 46 by +-15% at one standard deviation).
        """
        g = 1.2207440846057596  # the real root of x**4 = x + 1 (Roberts' R3 sequence)
        alpha = np.array([1 / g, 1 / g**2, 1 / g**3])
        rank = np.empty(minutes.size, dtype=np.int64)
        rank[np.argsort(minutes, kind="stable")] = np.arange(minutes.size)
        u = (self.rng.random(3) + np.outer(rank + 1, alpha)) % 1.0
        return [tuple(row) for row in u.tolist()]

    def _new_children_events(self) -> list[list]:
        """Children who arrive other than through the front-door population: care before the
        history starts, short breaks for disabled children, unaccompanied asylum seekers."""
        out = []
        d = self.dice
        first = self.burn - 18 * 365
        for kind, per_year, lo in (
            (LEGACY, P.LEGACY_CARE_ENTRIES_PER_YEAR, first),
            (SHORT_BREAK, P.SHORT_BREAK_ENTRIES_PER_YEAR, self.burn - 3 * 365),
            (UASC_ARRIVES, P.UASC_PER_YEAR, self.burn - 3 * 365),
        ):
            hi = self.burn if kind == LEGACY else self.until
            n = int(self.rng.poisson(per_year * self.scale * (hi - lo) / 365.25))
            for entry in sorted(self.rng.integers(lo, hi, size=n).tolist()):
                if kind == LEGACY:
                    age = Weighted([(0, 0.3), (2, 0.2), (7, 0.2), (12, 0.25), (16, 0.05)]).draw(d)
                    dob = entry - int((age + d.u() * (2 if age == 16 else 4)) * 365.25)
                elif kind == SHORT_BREAK:
                    dob = entry - d.int(5 * 365, 15 * 365)
                else:
                    dob = entry - d.int(15 * 365 + 100, 17 * 365 + 300)
                out.append([("dob", dob), (entry * MINUTES + 600, kind, ())])
        return out

    # --- One child --------------------------------------------------------------------------

    def _child(self, events: list) -> None:
        d = self.dice
        dob = events[0][1]
        kid = Kid(pk=self.t["journey.Child"].reserve(), dob=dob, disabled=d.chance(0.05))
        heap = [e for e in events[1:]]
        heapq.heapify(heap)
        marks = self.t.checkpoint()
        while heap:
            minute, kind, uniforms = heapq.heappop(heap)
            today = minute // MINUTES
            if today > self.until:
                break
            if kind in (CONTACT, RECONTACT):
                self._contact(kid, minute, kind == RECONTACT, heap, uniforms)
            elif kind == EH_DIRECT:
                if today >= kid.busy_until and today >= kid.eh_until:
                    self._early_help(kid, today, None)
            else:
                self._arrival(kid, today, kind, heap)
        if any(
            len(t) != marks[name] for name, t in self.t.tables.items() if name != "journey.Child"
        ):
            self._child_row(kid)
        self.kids.append(kid)

    def _child_row(self, kid: Kid) -> None:
        d = self.dice
        first, last = people.child_name(d, kid.pk)
        school_age = kid.age(self.until) >= 5
        sex = "1" if d.chance(0.51) else "2"
        ethnicity = (
            ("BAFR" if d.chance(0.4) else d.pick(("AOTH", "OOTH", "BOTH")))
            if kid.uasc
            else people.ETHNICITY.draw(d)
        )
        disabilities = (
            people.disabilities(d) if not kid.disabled else list(d.pick(people.DISABILITIES))
        )
        self.t["journey.Child"].add(
            kid.pk,
            source="synthetic",
            la_child_id=f"SYN{kid.pk:07d}",
            upn=people.upn(d, kid.pk) if school_age and not kid.uasc else "",
            former_upn="",
            upn_unknown="" if school_age and not kid.uasc else ("UN2" if kid.uasc else "UN1"),
            first_name=first,
            last_name=last,
            date_of_birth=kid.dob,
            expected_date_of_birth=None,
            sex=sex,
            ethnicity=ethnicity,
            disabilities=disabilities,
            uasc=kid.uasc,
            uasc_ceased=kid.uasc_ceased,
            date_of_death=None,
            postcode=people.postcode(d),
            mother=None,
            mother_child_dob=None,
            restricted=kid.adopted,
        )

    def _arrival(self, kid: Kid, today: int, kind: int, heap: list) -> None:
        """A child who comes into care before the history starts, on short breaks, or alone."""
        d = self.dice
        if kind == SHORT_BREAK:
            kid.disabled = True
            self._referral(
                kid, today - d.int(20, 90), None, None, "5B", route="SHORT_BREAK", heap=heap
            )
        elif kind == UASC_ARRIVES:
            kid.uasc = True
            self._referral(kid, today, None, None, "6", route="CARE_S20", heap=heap)
        else:
            route = Weighted([("CARE_PROC", 0.6), ("CARE_S20", 0.4)]).draw(d)
            self._referral(
                kid,
                today - d.int(14, 120),
                None,
                None,
                d.pick(("6", "3B", "2A")),
                route=route,
                heap=heap,
            )

    # --- Practice: statutory visits and case supervision ------------------------------------

    def practice(self, kid: Kid, kind: str, start: int, end: int) -> None:
        """Visits (and supervision) while a plan or care lasts; some intervals run late.

        Workers are filled in later from the allocations, which are not known yet.
        """
        hi = min(end, self.until)
        if hi < self.start:
            return
        self._visits(kid, kind, start, hi)
        if kind in SUPERVISION_STANDARD:
            self._supervision(kid, kind, start, hi)

    def _visits(self, kid: Kid, kind: str, start: int, hi: int) -> None:
        d, std = self.practice_dice, VISIT_STANDARD[kind]
        late = P.P_VISIT_LATE[kind]
        table = self.t["journey.Visit"]
        when = start + d.int(1, 5)
        while when <= hi:
            if when >= self.start:
                alone = kid.age(when) >= 5 and d.chance(0.62)
                table.add(
                    source="synthetic",
                    child_id=kid.pk,
                    worker_id=None,
                    date=when,
                    kind=kind,
                    seen=d.chance(0.95),
                    seen_alone=alone,
                    note="",
                )
            overdue = d.chance(late.at(when))
            if kind == "CP":
                when = add_wd(when, d.int(11, 20) if overdue else d.int(4, 10))
            else:
                when += d.int(std + 1, 2 * std) if overdue else d.int(std // 2, std)

    def _supervision(self, kid: Kid, kind: str, start: int, hi: int) -> None:
        d, std = self.practice_dice, SUPERVISION_STANDARD[kind]
        late = P.P_SUPERVISION_LATE[kind]
        late_up_to = int(P.SUPERVISION_LATE_UP_TO[kind] * std)
        table = self.t["workforce.CaseSupervision"]
        when = start + d.int(3, std)
        while when <= hi:
            if when >= self.start:
                table.add(
                    source="synthetic",
                    child_id=kid.pk,
                    date=when,
                    supervisor_id=None,
                    worker_id=None,
                    decisions="",
                )
            overdue = d.chance(late.at(when))
            when += d.int(std + 1, late_up_to) if overdue else d.int(std // 2, std)

    # --- The front door ---------------------------------------------------------------------

    def _contact(
        self, kid: Kid, minute: int, again: bool, heap: list, uniforms: tuple[float, ...]
    ) -> None:
        d = self.dice
        today = minute // MINUTES
        if kid.age(today) >= 18 or today < kid.dob:
            return
        source = SOURCES.draw(d)
        if today < kid.busy_until:
            decision = "IA" if d.chance(0.4) else "NFA"
        elif again:
            decision = "REF" if d.chance(0.85) else "IA"
        elif today < kid.eh_until:
            decision = Weighted([("REF", 0.33), ("IA", 0.37), ("NFA", 0.3)]).draw(d)
        else:
            x = uniforms[0] if uniforms else d.u()
            refer = P.P_REFER.at(today)
            decision = (
                "REF"
                if x < refer
                else "EH"
                if x < refer + P.P_EARLY_HELP
                else "IA"
                if x < refer + P.P_EARLY_HELP + P.P_INFO_ADVICE
                else "NFA"
            )
        decided = self._decision_time(minute)
        contact_pk = None
        if today >= self.start:
            contact_pk = self.t["journey.Contact"].add(
                source="synthetic",
                child_id=kid.pk,
                received_at=minute,
                contact_source=source,
                summary="",
                made_by_id=None,
                mash_decision=decision,
                decided_at=decided,
                decided_by_id=None,
                authorised_by_id=None,
            )
        if decision == "REF":
            step_up = today < kid.eh_until
            if step_up:
                self._end_early_help(kid, today, "STEP_UP")
            self._referral(
                kid,
                today,
                contact_pk,
                decided,
                source,
                step_up=step_up,
                again=again,
                heap=heap,
                uniforms=uniforms[1:],
            )
        elif decision == "EH":
            self._early_help(kid, today + d.int(0, 14), contact_pk)

    def _decision_time(self, minute: int) -> int:
        d = self.dice
        today = minute // MINUTES
        if d.chance(P.P_DECIDED_IN_DAY):
            if d.chance(0.6):
                return minute + d.int(15, 240)
            return add_wd(today, 1) * MINUTES + d.int(8 * 60, 17 * 60)
        return add_wd(today, d.int(2, 5)) * MINUTES + d.int(9 * 60, 17 * 60)

    def _early_help(self, kid: Kid, start: int, contact_pk: int | None) -> None:
        d = self.dice
        if start > self.until:
            return
        end = start + max(14, int(d.lognormal(P.EARLY_HELP_MEDIAN_DAYS, 0.55)))
        kid.eh_until = end
        if end < self.start:
            kid.eh_pk = None
            return
        table = self.t["journey.EarlyHelpEpisode"]
        kid.eh_row = len(table)
        outcome = Weighted(
            [("NEEDS_MET", 0.66), ("DISENGAGED", 0.16), ("MOVED", 0.05), ("OTHER", 0.13)]
        ).draw(d)
        lead = d.pick(
            (
                "School designated safeguarding lead",
                "Health visitor",
                "Early help family support worker",
                "School nurse",
                "Children's centre worker",
                "Youth worker",
            )
        )
        kid.eh_pk = table.add(
            source="synthetic",
            child_id=kid.pk,
            contact_id=contact_pk,
            start_date=start,
            end_date=end if end <= self.until else None,
            outcome=outcome if end <= self.until else "",
            lead_professional=lead,
        )

    def _end_early_help(self, kid: Kid, when: int, outcome: str) -> None:
        kid.eh_until = when
        table = self.t["journey.EarlyHelpEpisode"]
        if (
            kid.eh_pk is not None
            and kid.eh_row < len(table)
            and table.columns["id"][kid.eh_row] == kid.eh_pk
        ):
            # Stepped up before the planned start: the episode ends the day it starts.
            start = table.columns["start_date"][kid.eh_row]
            table.columns["end_date"][kid.eh_row] = max(when, start)
            table.columns["outcome"][kid.eh_row] = outcome
        kid.eh_pk = None

    # --- The episode of need ----------------------------------------------------------------

    def _referral(
        self,
        kid: Kid,
        r: int,
        contact_pk: int | None,
        decided: int | None,
        source: str,
        *,
        step_up: bool = False,
        again: bool = False,
        route: str | None = None,
        heap: list,
        uniforms: tuple[float, ...] = (),
    ) -> None:
        d = self.dice
        mark, tl = self.t.checkpoint(), len(kid.timeline)
        ref = self.t["journey.Referral"].reserve()
        need = "N2" if kid.disabled and d.chance(0.8) else NEEDS.draw(d)
        if kid.uasc:
            need = "N8"
        kid.busy_until = NEVER
        kid.team(r, "MASH", "STEP_UP" if step_up else "NEW")
        ep = Episode(self, kid, ref, r, need, heap, uniforms)
        closure, reason, nfa = ep.run(again=again, route=route)
        kid.busy_until = closure if closure is not None else NEVER
        if max(closure if closure is not None else NEVER, kid.leaver_until) < self.start:
            self.t.rollback(mark)
            del kid.timeline[tl:]
            kid.team_kind = None
            return
        self.t["journey.Referral"].add(
            ref,
            source="synthetic",
            child_id=kid.pk,
            contact_id=contact_pk,
            referral_date=r,
            referral_source=source,
            referral_nfa=nfa,
            decided_at=decided if decided is not None else r * MINUTES + 11 * 60,
            primary_need=need,
            closure_date=closure,
            reason_for_closure=reason or "",
        )


class Episode:
    """One episode of need, from referral to closure: the phases follow each other in time."""

    def __init__(
        self,
        council: Council,
        kid: Kid,
        ref: int,
        r: int,
        need: str,
        heap: list,
        uniforms: tuple[float, ...] = (),
    ) -> None:
        self.uniforms = list(uniforms)  # time-ordered draws for the S47 and ICPC decisions
        self.c, self.kid, self.ref, self.r, self.need, self.heap = council, kid, ref, r, need, heap
        self.d = council.dice
        self.t = council.t
        self.until = council.until
        self.nfa = False

    def draw(self) -> float:
        """The next time-ordered uniform of this referral's contact, else a plain one."""
        return self.uniforms.pop(0) if self.uniforms else self.d.u()

    def cut(self, when: int | None) -> int | None:
        """A date if it has happened by the end of the history, else None (still open)."""
        return when if when is not None and when <= self.until else None

    def run(self, *, again: bool, route: str | None) -> tuple[int | None, str, bool]:
        d, kid = self.d, self.kid
        if route is None and not again and d.chance(P.P_REFERRAL_NFA):
            end = self.r + d.int(0, 2)
            kid.close(end, "CLOSED")
            self.nfa = True
            return self.cut(end), "RC8" if end <= self.until else "", True
        team = "DISABILITY" if self.need == "N2" else "ASSESSMENT"
        kid.team(add_wd(self.r, d.int(1, 2)), team, "TRANSFER")
        phase, when = self.assess(again=again, route=route)
        return self.phases(phase, when)

    def phases(self, phase: str, when: int | None) -> tuple[int | None, str, bool]:
        """Run phases until the case closes (or the history ends with it open)."""
        while True:
            if when is None or when > self.until:
                return None, "", False
            if phase in ("CLOSE", "CLOSE_RC8", "EH"):
                return self.closing(phase, when)
            if phase == "CIN":
                phase, when = self.cin_plan(when)
            elif phase == "S47":
                phase, when = self.section47(when, boost=1.8)
            elif phase == "CP":
                phase, when = self.cp_plan(when)
            elif self.kid.age(when) >= 17.5:
                return self.closing("CLOSE", when)
            else:
                end, reason = Care(self, when, phase).run()
                if end is None:
                    return None, "", False
                return end, reason, False

    def closing(self, phase: str, when: int) -> tuple[int, str, bool]:
        kid = self.kid
        if phase == "EH":
            kid.close(when, "STEP_DOWN")
            self.c._early_help(kid, when, None)
        else:
            kid.close(when, "CLOSED")
        after_assessment = phase in ("CLOSE_RC8", "EH")
        reason = "RC8" if after_assessment and self.d.chance(0.7) else "RC7"
        if self.d.chance(0.3 if kid.cp_plans == 0 else 0.15):
            heapq.heappush(self.heap, ((when + self.d.int(20, 300)) * MINUTES + 600, RECONTACT, ()))
        return when, reason, False

    # --- Assessment and section 47 ----------------------------------------------------------

    def assess(self, *, again: bool, route: str | None) -> tuple[str, int | None]:
        d = self.d
        start = self.r + d.int(0, 3)
        late = d.chance(P.P_ASSESSMENT_LATE.at(start))
        wd = d.int(46, 95) if late else min(45, max(3, int(d.lognormal(27, 0.35))))
        if d.chance(P.P_ASSESSMENT_STUCK):
            wd = d.int(100, 260)
        auth = add_wd(start, wd)
        after, when = None, auth
        if route is None and self.draw() < P.P_S47 * (1.6 if again else 1.0):
            after, s47_when = self.section47(add_wd(self.r, d.int(0, 2)))
            if after in ("CP", "OPEN"):
                when = s47_when
            elif s47_when is not None:
                when = max(auth, s47_when)
            else:
                when = None
        self.assessment_row(start, auth, route)
        if route is not None:
            return route, auth
        if self.kid.age(self.r) < 1 and d.chance(0.12):
            # A baby at risk from birth: pre-proceedings, then care proceedings.
            issue = self.pre_proceedings(self.r + d.int(5, 40), certain=True)
            return "CARE_PROC", issue
        if after in ("CP", "CIN", "OPEN"):
            return ("CIN" if after == "CIN" else after), when
        x = d.u()
        p_cin = 0.09 if after == "NFA" else 0.135
        nxt = (
            "CIN"
            if x < p_cin
            else "EH"
            if x < p_cin + 0.15
            else "CARE_S20"
            if x < p_cin + 0.2
            else "CLOSE_RC8"
        )
        return nxt, when

    def assessment_row(self, start: int, auth: int, route: str | None) -> None:
        d = self.d
        if start > self.until:
            return
        year = collection_year(min(auth, self.until))
        valid = valid_factors(year)
        if route is None and d.chance(0.12):
            factors = ["21"]
        else:
            factors = sorted({FACTORS.draw(d) for _ in range(d.int(1, 4))} & valid) or ["20"]
        self.t["journey.Assessment"].add(
            source="synthetic",
            referral_id=self.ref,
            child_id=self.kid.pk,
            start_date=start,
            authorisation_date=self.cut(auth),
            factors=factors,
        )

    def section47(self, sd: int, boost: float = 1.0) -> tuple[str, int | None]:
        """A strategy discussion and enquiry; returns the next phase and when it starts."""
        d, t = self.d, self.t
        if sd > self.until:
            return "OPEN", None
        pk = t["journey.Section47"].reserve()
        end = add_wd(sd, d.int(4, 15))
        if self.kid.cp_plans:
            boost *= 1.8
        p_icpc = min(0.95, P.P_ICPC * P.CP_INTENSITY.at(sd) * boost)
        if self.draw() < p_icpc:
            icpc = add_wd(sd, d.int(6, 15) if d.chance(P.P_ICPC_IN_15_DAYS) else d.int(16, 30))
            end = min(end, icpc)
            self.s47_row(pk, sd, end, "ICPC", False)
            if icpc > self.until:
                return "OPEN", None
            outcome = Weighted([("CPP", 0.88), ("CIN", 0.08), ("NFA", 0.04)]).draw(d)
            conf = t["journey.Conference"].add(
                source="synthetic",
                child_id=self.kid.pk,
                kind="ICPC",
                date=icpc,
                outcome=outcome,
                section47_id=pk,
                cp_plan_id=None,
            )
            self.icpc = conf
            return {"CPP": "CP", "CIN": "CIN", "NFA": "NFA"}[outcome], icpc
        outcome = "CIN" if d.chance(0.4) else "NFA"
        self.s47_row(pk, sd, end, outcome, True)
        return outcome, self.cut(end)

    def s47_row(self, pk: int, sd: int, end: int, outcome: str, not_required: bool) -> None:
        done = end <= self.until
        self.t["journey.Section47"].add(
            pk,
            source="synthetic",
            referral_id=self.ref,
            child_id=self.kid.pk,
            strategy_discussion_date=sd,
            end_date=end if done else None,
            outcome=outcome if done else "",
            icpc_not_required=not_required and done,
        )

    # --- Plans ------------------------------------------------------------------------------

    def cin_plan(self, start: int) -> tuple[str, int | None]:
        d, kid = self.d, self.kid
        months = Weighted([(3, 0.35), (6, 0.35), (9, 0.18), (12, 0.08), (15, 0.04)]).draw(d)
        if self.need == "N2":
            months *= 2
        end = add_months(start, months) + d.int(-10, 10)
        self.t["journey.ChildInNeedPlan"].add(
            source="synthetic",
            referral_id=self.ref,
            child_id=kid.pk,
            start_date=start,
            end_date=self.cut(end),
        )
        self.c.practice(kid, "CIN", start, end)
        x = d.u()
        nxt = "CLOSE" if x < 0.69 else "EH" if x < 0.89 else "S47" if x < 0.975 else "CARE_S20"
        return nxt, end

    def cp_plan(self, start: int) -> tuple[str, int | None]:
        d, kid, t = self.d, self.kid, self.t
        kid.team(start, "CP_COURT", "TRANSFER")
        pk = t["journey.ChildProtectionPlan"].reserve()
        reviews = CP_REVIEWS[start >= DAY_2018].draw(d)
        dates, prev = [], start
        for k in range(reviews):
            due = add_months(prev, 3 if k == 0 else 6)
            prev = due + d.int(1, 30) if d.chance(P.P_CP_REVIEW_LATE) else due - d.int(0, 25)
            dates.append(prev)
        end, nxt = dates[-1], None
        if d.chance(P.P_CP_PLO):
            plo = start + d.int(40, 200)
            if plo < end:
                issue = self.pre_proceedings(plo)
                if issue is not None and issue < end:
                    end, nxt = issue, "CARE_PROC"
                    dates = [x for x in dates if x < issue]
        for k, when in enumerate(dates):
            if when <= self.until:
                last = k == len(dates) - 1 and nxt is None
                t["journey.Conference"].add(
                    source="synthetic",
                    child_id=kid.pk,
                    kind="RCPC",
                    date=when,
                    outcome="END" if last else "CONTINUE",
                    section47_id=None,
                    cp_plan_id=pk,
                )
        first = ABUSE.draw(d)
        t["journey.ChildProtectionPlan"].add(
            pk,
            source="synthetic",
            referral_id=self.ref,
            child_id=kid.pk,
            initial_conference_id=getattr(self, "icpc", None),
            start_date=start,
            end_date=self.cut(end),
            initial_category=first,
            latest_category=ABUSE.draw(d) if d.chance(0.1) else first,
            previous_plans=kid.cp_plans,
        )
        kid.cp_plans += 1
        self.c.practice(kid, "CP", start, end)
        if nxt is None:
            nxt = "CIN" if d.chance(0.45) else "CLOSE"
            if d.chance(P.P_REREFER_AFTER_CP):
                heapq.heappush(self.heap, ((end + d.int(60, 600)) * MINUTES + 600, RECONTACT, ()))
        return nxt, end

    def pre_proceedings(self, plo: int, certain: bool = False) -> int | None:
        """PLO meeting, and the decision to issue and issue if it comes to that."""
        d = self.d
        self.plo = plo
        if not certain and d.chance(0.3):
            self.proceedings_row(plo, None, None, None, "")
            return None
        dti = plo + d.int(21, 100)
        issue = dti + d.int(14, 85)
        self.dti = dti
        return issue

    def proceedings_row(
        self, plo: int | None, dti: int | None, issue: int | None, final: int | None, order: str
    ) -> None:
        if min(x for x in (plo, dti, issue) if x is not None) > self.until:
            return
        plo_end, plo_outcome = issue, "ISSUED"
        if issue is None and plo is not None:
            # Pre-proceedings that end without issuing; varied by the date, not by new draws
            # (another draw here would shift every later draw and the calibration with it).
            plo_end = plo + 90 + plo % 61
            plo_outcome = "CASE_CLOSED" if plo % 7 == 0 else "STEPPED_DOWN"
        if plo is None or self.cut(plo_end) is None:
            plo_end, plo_outcome = None, ""
        self.t["journey.CareProceedings"].add(
            source="synthetic",
            child_id=self.kid.pk,
            plo_meeting_date=self.cut(plo),
            plo_end_date=plo_end,
            plo_outcome=plo_outcome,
            decision_to_issue_date=self.cut(dti),
            issue_date=self.cut(issue),
            final_order_date=self.cut(final),
            final_order=order if self.cut(final) else "",
        )


def valid_factors(year: int) -> frozenset[str]:
    """Assessment factor codes valid in a collection year (one cache per year)."""
    cached = _FACTOR_CACHE.get(year)
    if cached is None:
        cached = _FACTOR_CACHE[year] = cin.ASSESSMENT_FACTORS.valid(year)
    return cached


_FACTOR_CACHE: dict[int, frozenset[str]] = {}


class Care:
    """A period of care: SSDA903 episodes, legal steps, moves, reviews, missing, adoption."""

    def __init__(self, ep: Episode, start: int, route: str) -> None:
        self.ep, self.c, self.kid, self.d = ep, ep.c, ep.kid, ep.d
        self.t = ep.t
        self.until = ep.until
        self.route = route
        self.first = start
        self.cin_code = ep.need if ep.need in ssda903.CATEGORY_OF_NEED else "N1"
        self.episodes: list[dict] = []
        self.end_limit = NEVER
        self.carer = 0
        self.home_postcode = people.postcode(self.d)

    # The current episode is self.episodes[-1]; each change closes it and opens the next.

    def open(self, when: int, rne: str, ls: str, place: tuple) -> None:
        self.episodes.append(
            {"start": when, "rne": rne, "ls": ls, "place": place, "end": None, "rec": "", "rpc": ""}
        )

    def change(
        self, when: int, *, ls: str | None = None, place: tuple | None = None, reason: str = ""
    ) -> None:
        cur = self.episodes[-1]
        if when <= cur["start"]:
            when = cur["start"] + 1
        if when >= self.end_limit:
            return
        new_ls = ls or cur["ls"]
        new_place = place or cur["place"]
        legal = new_ls != cur["ls"]
        carer = new_place[2] != cur["place"][2]
        typed = new_place[:2] != cur["place"][:2]
        if not (legal or carer or typed):
            return
        rne = ("B" if carer else "U" if typed else "L") if legal else ("P" if carer else "T")
        cur["end"], cur["rec"] = when, "X1"
        if carer or typed:
            cur["rpc"] = reason or ("PLACE" if not carer else PLACE_CHANGE.draw(self.d))
        self.open(when, rne, new_ls, new_place)

    def placement(
        self, when: int, *, long_term: bool, ls: str, same_carer: tuple | None = None
    ) -> tuple:
        """(PLACE, PLACE_PROVIDER, carer id, postcode, URN) suited to the child's age now."""
        d, age = self.d, self.kid.age(when)
        year = collection_year(when)
        if same_carer is not None:
            kind = same_carer[0]
            long_kind = {"U6": "U4", "U3": "U1"}.get(kind, kind) if long_term else kind
            return (long_kind, same_carer[1], same_carer[2], same_carer[3], same_carer[4])
        self.carer += 1
        carer = self.carer
        pc = people.postcode(d)
        if age >= 16 and d.chance(0.4) and "H5" in ssda903.PLACE.valid(year):
            return ("H5", "PR4" if d.chance(0.6) else "PR5", carer, pc, "")
        if self.kid.uasc:
            return ("U6", "PR4", carer, pc, "")
        if age >= 11 and d.chance(0.2):
            urn = f"SC{d.int(100000, 999999)}"
            return (
                "K2",
                Weighted([("PR4", 0.7), ("PR1", 0.2), ("PR5", 0.1)]).draw(d),
                carer,
                pc,
                urn,
            )
        if ls in ("C1", "C2") and d.chance(0.05):
            return ("P1", "PR0", carer, self.home_postcode, "")
        if d.chance(0.17):
            return ("U1" if long_term else "U3", "PR1", carer, pc, "")
        provider = Weighted([("PR1", 0.72), ("PR4", 0.24), ("PR5", 0.04)]).draw(d)
        return ("U4" if long_term else "U6", provider, carer, pc, "")

    # --- The period -------------------------------------------------------------------------

    def run(self) -> tuple[int | None, str]:
        """Simulate the period; returns (CIN episode closure, reason) or (None, "") if open."""
        if self.route == "SHORT_BREAK":
            return self.short_breaks()
        end, rec, events = self.plan()
        self.apply(events, end, rec)
        self.write()
        self.after(end, rec)
        if end is None or end > self.until:
            return None, ""
        reason = {"E11": "RC1", "E12": "RC1", "E41": "RC3"}.get(
            rec, "RC4" if rec.startswith("E4") and rec not in ("E4A", "E4B") else "RC7"
        )
        return end, reason

    def plan(self) -> tuple[int, str, list]:
        """When the period ends and why, and the legal and placement events before then."""
        d, kid, start = self.d, self.kid, self.first
        eighteen = birthday(kid.dob, 18)
        events: list[tuple[int, str, str]] = []
        route = self.route
        issue = None
        if route == "CARE_PROC":
            issue, ls = start, "C1"
            self.kid.team(start, "CP_COURT", "TRANSFER")
            if not hasattr(self.ep, "plo"):
                self.ep.plo = start - d.int(40, 120)
                self.ep.dti = start - d.int(10, 40)
        elif route == "CARE_S20" and not kid.uasc and d.chance(0.06):
            ls = "L2"
            issue = start + d.int(2, 8)
            self.ep.plo, self.ep.dti = None, start
            events.append((issue, "LEGAL", "C1"))
            self.kid.team(start, "CP_COURT", "TRANSFER")
        else:
            ls = "V2"
            self.kid.team(start, "LAC", "TRANSFER")
            x = d.u()
            if not kid.uasc and x < 0.42:
                self.open(start, "S", ls, self.placement(start, long_term=False, ls=ls))
                return (
                    min(start + d.int(15, 300), eighteen),
                    ("E4A" if d.chance(0.8) else "E4B"),
                    events,
                )
            if not kid.uasc and (x < 0.68 or kid.age(start) < 5) and kid.age(start) < 15:
                plo = start + d.int(30, 200)
                issue = self.ep.pre_proceedings(plo)
                if issue is not None:
                    events.append((issue, "LEGAL", "C1"))
                    events.append((issue, "TEAM", "CP_COURT"))
        self.open(start, "S", ls, self.placement(start, long_term=False, ls=ls))
        if issue is None:
            return self.long_term(start, eighteen, events)
        return self.proceedings(issue, eighteen, events)

    def proceedings(self, issue: int, eighteen: int, events: list) -> tuple[int, str, list]:
        d, kid = self.d, self.kid
        weeks = d.int(10, 26) if d.chance(P.P_PROCEEDINGS_IN_26_WEEKS) else d.int(27, 40)
        final = min(issue + weeks * 7 - d.int(0, 6), eighteen - 1)
        young = kid.age(issue) < 5
        order = Weighted(
            [("PO", 0.65), ("CO", 0.12), ("SGO", 0.15), ("SO", 0.04), ("CAO", 0.02), ("NO", 0.02)]
            if young
            else [
                ("CO", 0.66),
                ("SGO", 0.15),
                ("SO", 0.08),
                ("CAO", 0.06),
                ("NO", 0.03),
                ("WITHDRAWN", 0.02),
            ]
        ).draw(d)
        self.ep.proceedings_row(
            getattr(self.ep, "plo", None), getattr(self.ep, "dti", None), issue, final, order
        )
        events.append((final, "TEAM", "LAC"))
        if order in ("CO", "PO"):
            events.append((final, "LEGAL", "C2"))
            events.append((final, "LONG_TERM", ""))
            if order == "PO":
                return self.adoption(final, eighteen, events)
            return self.long_term(final, eighteen, events)
        rec = {"SGO": self.sgo_code(final), "CAO": "E41"}.get(order, "E4A")
        return final, rec, events

    def sgo_code(self, when: int) -> str:
        if collection_year(when) <= 2018:
            return "E43" if self.d.chance(0.6) else "E44"
        return self.d.pick(("E45", "E45", "E46", "E47", "E48"))

    def long_term(self, since: int, eighteen: int, events: list) -> tuple[int, str, list]:
        d = self.d
        if self.kid.uasc:
            return eighteen, AGE_OUT.draw(d), events
        leave = since + int(d.exp(365.25 / P.LEAVE_CARE_HAZARD.at(since)))
        if leave >= eighteen:
            return eighteen, AGE_OUT.draw(d), events
        x = d.u()
        rec = "E4A" if x < 0.5 else self.sgo_code(leave) if x < 0.85 else "E13"
        return leave, rec, events

    def adoption(self, po: int, eighteen: int, events: list) -> tuple[int, str, list]:
        d = self.d
        decision = max(self.first + 14, po - d.int(20, 90))
        events.append((po, "LEGAL", "E1"))
        row = {"decision_date": decision, "placement_order_date": po, "interest_date": decision}
        if d.chance(0.13):
            ceased = po + d.int(180, 540)
            row.update(
                decision_ceased_date=ceased,
                decision_ceased_reason=d.pick(("RD1", "RD3", "RD3", "RD4")),
            )
            self.adoption_row(row)
            return self.long_term(po, eighteen, events)
        match = po + d.int(50, 260)
        placed = match + d.int(7, 40)
        order = placed + d.int(100, 330)
        foster = d.chance(0.15)
        events.append((placed, "ADOPT", "A5" if foster else "A6"))
        couple = d.chance(0.85)
        sex = (
            Weighted([("MF", 0.85), ("FF", 0.08), ("MM", 0.07)]).draw(d)
            if couple
            else d.pick(("F1", "F1", "M1"))
        )
        ls = (
            "L0"
            if not couple
            else d.pick(("L11", "L11", "L3"))
            if sex == "MF"
            else d.pick(("L12", "L2", "L4"))
        )
        row.update(
            match_date=self.ep.cut(match),
            placed_date=self.ep.cut(placed),
            order_date=self.ep.cut(order),
            foster_care=foster if order <= self.until else None,
            number_of_adopters=(2 if couple else 1) if order <= self.until else None,
            sex_of_adopters=sex if order <= self.until else "",
            legal_status_of_adopters=ls if order <= self.until else "",
        )
        self.adoption_row(row)
        if order <= self.until:
            self.kid.adopted = True
        return order, "E11" if d.chance(0.75) else "E12", events

    def adoption_row(self, row: dict) -> None:
        if row["decision_date"] > self.until:
            return
        full = {
            "decision_ceased_date": None,
            "decision_ceased_reason": "",
            "placement_order_date": None,
            "interest_date": None,
            "match_date": None,
            "placed_date": None,
            "order_date": None,
            "foster_care": None,
            "number_of_adopters": None,
            "sex_of_adopters": "",
            "legal_status_of_adopters": "",
        }
        full.update(row)
        full["placement_order_date"] = self.ep.cut(full["placement_order_date"])
        full["decision_ceased_date"] = self.ep.cut(full["decision_ceased_date"])
        if full["decision_ceased_date"] is None:
            full["decision_ceased_reason"] = ""
        self.t["journey.Adoption"].add(source="synthetic", child_id=self.kid.pk, **full)

    def apply(self, events: list, end: int, rec: str) -> None:
        """Walk the period: scheduled events plus placement moves drawn as they come."""
        d, kid = self.d, self.kid
        sixteen = birthday(kid.dob, 16)
        if sixteen < end:
            events.append((sixteen, "TEAM", "LEAVING_CARE"))
        events.sort()
        long_term = False
        now = self.first
        self.end_limit = end
        queue = list(events)
        while True:
            rate = 1.0 if now - self.first < 183 else P.PLACEMENT_MOVES_PER_YEAR_SETTLED
            if kid.age(now) >= 12:
                rate *= 1.8
            move = now + max(1, int(d.exp(365.25 / rate)))
            nxt = queue[0][0] if queue else end
            if move < min(nxt, end) and self.episodes[-1]["place"][0] not in ("A5", "A6"):
                ls = self.episodes[-1]["ls"]
                self.change(move, place=self.placement(move, long_term=long_term, ls=ls))
                now = move
                continue
            if not queue or nxt >= end:
                break
            when, kind, value = queue.pop(0)
            now = max(now, when)
            self.event(when, kind, value, long_term)
            if kind == "LONG_TERM":
                long_term = True
        last = self.episodes[-1]
        last["end"], last["rec"] = end, rec

    def event(self, when: int, kind: str, value: str, long_term: bool) -> None:
        cur = self.episodes[-1]
        if kind == "LEGAL":
            fostered = cur["place"][0] in ("U6", "U3")
            if value == "C2" and fostered and self.d.chance(0.2):
                # The final order and a move to long-term foster carers on the same day.
                self.change(when, ls=value, place=self.placement(when, long_term=True, ls=value))
            else:
                self.change(when, ls=value)
        elif kind == "TEAM":
            team = value
            if team == "LAC" and self.kid.age(when) >= 16:
                team = "LEAVING_CARE"
            if not (team == "LAC" and self.kid.team_kind == "LEAVING_CARE"):
                self.kid.team(when, team, "TRANSFER")
        elif kind == "LONG_TERM":
            place = cur["place"]
            if place[0] in ("U6", "U3"):
                self.change(
                    when,
                    place=self.placement(when, long_term=True, ls=cur["ls"], same_carer=place),
                    reason="PLACE",
                )
        elif kind == "ADOPT":
            place = cur["place"]
            if value == "A5" and place[0] in ssda903.FOSTER_PLACEMENTS:
                new = ("A5", place[1], place[2], place[3], "")
            else:
                self.carer += 1
                new = (
                    "A6",
                    self.d.pick(("PR1", "PR1", "PR2", "PR5")),
                    self.carer,
                    people.postcode(self.d),
                    "",
                )
            self.change(when, place=new, reason="CARPL")

    def write(self) -> None:
        """Episodes that have started by the end of the history, the last one maybe open."""
        table = self.t["journey.CareEpisode"]
        for e in self.episodes:
            if e["start"] > self.until:
                break
            done = e["end"] is not None and e["end"] <= self.until
            place = e["place"]
            table.add(
                source="synthetic",
                child_id=self.kid.pk,
                start_date=e["start"],
                reason_new_episode=e["rne"],
                legal_status=e["ls"],
                category_of_need=self.cin_code,
                placement_type=place[0],
                placement_provider=place[1],
                end_date=e["end"] if done else None,
                reason_ended=e["rec"] if done else "",
                reason_place_change=e["rpc"] if done else "",
                home_postcode=self.home_postcode,
                placement_postcode=place[3],
                urn=place[4],
            )

    def after(self, end: int, rec: str) -> None:
        """Reviews, OC2, missing episodes, visits; then leaving care."""
        kid, c = self.kid, self.c
        stop = min(end, self.until)
        self.reviews(stop)
        self.health(end)
        self.missing(stop)
        c.practice(kid, "CLA", self.first, end)
        if kid.uasc:
            kid.uasc_ceased = birthday(kid.dob, 18) if birthday(kid.dob, 18) <= self.until else None
        left_at_16_plus = kid.age(end) >= 16 and rec in ("E17", "E5", "E6", "E8", "E13")
        if left_at_16_plus and end - max(self.first, birthday(kid.dob, 14)) >= 91:
            self.care_leaver(end)
        else:
            kid.close(end, "CLOSED")

    def reviews(self, stop: int) -> None:
        d, kid = self.d, self.kid
        late = 0.09
        first = add_wd(self.first, d.int(25, 35) if d.chance(late) else d.int(8, 20))
        due, when, k = first, first, 0
        while when <= stop:
            code = "PN0" if kid.age(when) < 4 else PARTICIPATION.draw(d)
            self.t["journey.LookedAfterReview"].add(
                source="synthetic", child_id=kid.pk, date=when, participation=code
            )
            due = add_months(when, 3 if k == 0 else 6)
            when = due + d.int(3, 45) if d.chance(late) else due - d.int(0, 30)
            k += 1

    def health(self, end: int) -> None:
        """OC2 for each 31 March after 12 months in care (not for short breaks)."""
        d, kid = self.d, self.kid
        year = collection_year(self.first + 365)
        while True:
            march = day(date(year, 3, 31))
            if march > self.until or march >= end:
                break
            if march >= self.c.start and march - self.first >= 365:
                age = kid.age(march)
                sdq = 4 <= age < 17
                self.t["journey.HealthOutcome"].add(
                    source="synthetic",
                    child_id=kid.pk,
                    year=year,
                    sdq_score=d.int(2, 32) if sdq and d.chance(0.85) else None,
                    sdq_reason="" if sdq and d.chance(0.85) else ("SDQ1" if not sdq else "SDQ4"),
                    convicted=d.chance(0.05) if age >= 10 else None,
                    health_check=d.chance(0.9),
                    immunisations=d.chance(0.88),
                    teeth_check=d.chance(0.86),
                    health_assessment=d.chance(0.92),
                    substance_misuse=d.chance(0.04) if age >= 10 else None,
                    intervention_received=None,
                    intervention_offered=None,
                )
            year += 1
        # sdq_score/sdq_reason are drawn independently above; make them consistent.
        table = self.t["journey.HealthOutcome"]
        cols = table.columns
        for i in range(len(table) - 1, -1, -1):
            if cols["child_id"][i] != kid.pk:
                break
            if cols["sdq_score"][i] is not None:
                cols["sdq_reason"][i] = ""
            elif not cols["sdq_reason"][i]:
                cols["sdq_reason"][i] = "SDQ4"

    def missing(self, stop: int) -> None:
        d, kid = self.d, self.kid
        if not d.chance(0.22):
            return
        rate = d.exp(3.0)
        now = max(self.first, birthday(kid.dob, 11), self.c.start)
        while rate > 0.05:
            now += max(1, int(d.exp(365.25 / rate)))
            if now > stop:
                break
            start = now * MINUTES + d.int(12 * 60, 23 * 60)
            returned = start + max(30, int(d.exp(20 * 60)))
            if returned // MINUTES > self.until:
                break
            offered = held = None
            declined = False
            if d.chance(0.95):
                offered = returned + (d.int(2, 72) if d.chance(0.87) else d.int(73, 200)) * 60
                if d.chance(0.78):
                    held = offered + d.int(0, 48) * 60
                else:
                    declined = d.chance(0.6)
            in_time = lambda x: x if x is not None and x // MINUTES <= self.until else None  # noqa: E731
            self.t["journey.MissingEpisode"].add(
                source="synthetic",
                child_id=kid.pk,
                kind="M" if d.chance(0.72) else "A",
                start_date=start // MINUTES,
                end_date=returned // MINUTES,
                returned_at=returned,
                rhi_offered_at=in_time(offered),
                rhi_held_at=in_time(held),
                rhi_declined=declined,
            )
            now = returned // MINUTES

    def care_leaver(self, left: int) -> None:
        d, kid = self.d, self.kid
        kid.team(left, "LEAVING_CARE", "TRANSFER")
        twenty_one = birthday(kid.dob, 21)
        kid.leaver_until = twenty_one
        kid.close(twenty_one, "CLOSED")
        for age in (19, 20, 21):
            when = birthday(kid.dob, age) + d.int(-60, 25)
            if when > self.until:
                break
            if when < self.c.start:
                continue
            year = collection_year(when)
            in_touch = (
                "YES"
                if d.chance(0.8 if when < DAY_APRIL_2019 else 0.72)
                else IN_TOUCH_OTHER.draw(d)
            )
            activity = accommodation = "0"
            if in_touch == "YES":
                activity = _valid_draw(d, ACTIVITY, ssda903.ACTIV.valid(year))
                accommodation = _valid_draw(d, ACCOMMODATION, ssda903.ACCOM.valid(year))
            self.t["journey.CareLeaverContact"].add(
                source="synthetic",
                child_id=kid.pk,
                date=when,
                in_touch=in_touch,
                activity=activity,
                accommodation=accommodation,
            )
        self.c.practice(kid, "CL", left, twenty_one)

    def short_breaks(self) -> tuple[int | None, str]:
        """A series of short breaks (V4) for a disabled child: one agreement-long episode."""
        d, kid = self.d, self.kid
        kid.team(self.first, "DISABILITY", "TRANSFER")
        end = min(self.first + d.int(180, 720), birthday(kid.dob, 18))
        self.open(
            self.first,
            "S",
            "V4",
            ("K2", "PR1", 0, people.postcode(d), f"SC{d.int(100000, 999999)}"),
        )
        self.episodes[-1]["end"], self.episodes[-1]["rec"] = end, "E8"
        self.write()
        kid.close(end, "CLOSED")
        return (end, "RC7") if end <= self.until else (None, "")


def _valid_draw(dice: Dice, pairs: list[tuple[str, float]], valid: frozenset[str]) -> str:
    return Weighted([(c, w) for c, w in pairs if c in valid]).draw(dice)
