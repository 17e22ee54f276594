"""Due dates from the journey frames: every item due per child, the next one, and overdue flags.

The same functions serve the screens (a child's next statutory item, a team's worklists) and
the timeliness measures (`safeguard.performance.measures` counts a child "in timescale" when
the next item here is not overdue), so they can never disagree. All vectorised over the frames
of `safeguard.performance.frames.JourneyFrames`; nothing here imports Django.

`due_dates(frames, as_at)` -> one row per open item: ``child_id, kind, title, due, overdue``
(overdue: due date before the as-at date; an item due today is not yet overdue).
`next_due(frames, as_at)` -> one row per child: the earliest item.
`worklist(frames, as_at, team=..., kinds=..., due_within_days=...)` -> a team's or worker's
items (e.g. assessments nearing 45 working days, reviews due, visits overdue).
`due_for_children(la_child_ids, as_at)` / `due_for_child(...)` -> the same for some children
from the record (Django): what the web app's screens show.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import polars as pl

from safeguard.codes import ssda903

from . import declarations as ts
from .intervals import Interval
from .standards import local_standards

if TYPE_CHECKING:
    from safeguard.performance.frames import JourneyFrames

SHORT_BREAKS = sorted(ssda903.SHORT_BREAK_LEGAL_STATUSES)
#: The journey tables due dates read (`from_record(tables=DUE_TABLES)` for a screen; a
#: worklist also needs "allocations").
DUE_TABLES = frozenset(
    {
        "referrals",
        "assessments",
        "s47",
        "cp_plans",
        "cp_reviews",
        "cin_plans",
        "episodes",
        "lac_reviews",
        "missing",
        "proceedings",
        "visits",
        "supervisions",
    }
)
DUE_SCHEMA = {
    "child_id": pl.Utf8,
    "kind": pl.Utf8,
    "title": pl.Utf8,
    "due": pl.Date,
    "overdue": pl.Boolean,
}


# --- Cohorts at a date (shared with the measures) ------------------------------------------


def memo(f: JourneyFrames, key: tuple, build: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """Compute a cohort once per frames and date: many measures share it within one run.
    Frames are not changed after they are built, so the memo cannot go stale."""
    store = f.__dict__.setdefault("_memo", {})
    if key not in store:
        store[key] = build()
    return store[key]


def open_at(df: pl.DataFrame, d: date, start: str = "start", end: str = "end") -> pl.DataFrame:
    """Rows open at ``d``: start <= d and (end is null or end > d)."""
    return df.filter(pl.col(start) <= d, pl.col(end).is_null() | (pl.col(end) > d))


def cp_starts(f: JourneyFrames, d: date) -> pl.DataFrame:
    """Children on a child protection plan at ``d``, with the plan's start."""
    return memo(
        f,
        ("cp_starts", d),
        lambda: open_at(f.cp_plans, d).group_by("child_id").agg(start=pl.col("start").min()),
    )


def cin_starts(f: JourneyFrames, d: date) -> pl.DataFrame:
    """Children on a child in need plan at ``d``, with the plan's start."""
    return memo(
        f,
        ("cin_starts", d),
        lambda: open_at(f.cin_plans, d).group_by("child_id").agg(start=pl.col("start").min()),
    )


def cla_now(f: JourneyFrames, d: date) -> pl.DataFrame:
    """The open episode (not a short break, V3/V4) of each child looked after at ``d``."""
    eps = f.episodes.filter(~pl.col("ls").is_in(SHORT_BREAKS))
    return memo(
        f, ("cla_now", d), lambda: open_at(eps, d).sort("start").unique("child_id", keep="last")
    )


def _latest_start(eps: pl.DataFrame, d: date, rnes: list[str], name: str) -> pl.DataFrame:
    return (
        eps.filter(pl.col("rne").is_in(rnes), pl.col("start") <= d)
        .group_by("child_id")
        .agg(pl.col("start").max().alias(name))
    )


def cla_with_dates(f: JourneyFrames, d: date) -> pl.DataFrame:
    return memo(f, ("cla_with_dates", d), lambda: _cla_with_dates(f, d))


def _cla_with_dates(f: JourneyFrames, d: date) -> pl.DataFrame:
    """Children looked after at ``d`` with ``care_start`` (the period of care: latest RNE S)
    and ``placement_start`` (the current carer: latest RNE S, P or B), plus the open episode's
    ``place``, ``provider``, ``ls`` and ``episode_start``."""
    now = cla_now(f, d).select("child_id", "place", "provider", "ls", episode_start="start")
    eps = f.episodes.join(now.select("child_id"), on="child_id", how="semi")
    care = _latest_start(eps, d, ["S"], "care_start")
    place = _latest_start(eps, d, ["S", "P", "B"], "placement_start")
    return (
        now.join(care, on="child_id", how="left")
        .join(place, on="child_id", how="left")
        .with_columns(
            care_start=pl.coalesce("care_start", "episode_start"),
            placement_start=pl.coalesce("placement_start", "episode_start"),
        )
    )


def last_between(
    events: pl.DataFrame, starts: pl.DataFrame, d: date, key: str | list[str] = "child_id"
) -> pl.DataFrame:
    """``starts`` (one row per key, with ``start``) plus ``last``: the latest event date in
    [start, d], null if none."""
    key = [key] if isinstance(key, str) else key
    hits = (
        starts.select(*key, "start")
        .join(events.select(*key, "date"), on=key)
        .filter(pl.col("date").is_between(pl.col("start"), pl.lit(d)))
    )
    last = hits.group_by(key).agg(last=pl.col("date").max(), done=pl.len())
    return starts.join(last, on=key, how="left").with_columns(pl.col("done").fill_null(0))


# --- Recurring items ------------------------------------------------------------------------


def _due_expr(t: ts.Timescale, done: pl.Expr, prev: pl.Expr) -> pl.Expr:
    """Due date of the next item after ``done`` items, the last on ``prev`` (or the start)."""
    null = pl.lit(None, dtype=pl.Date)
    second = t.second or t.then
    return (
        pl.when(done == 0)
        .then(t.first.add_expr(prev))
        .when(done == 1)
        .then(second.add_expr(prev) if second else null)
        .otherwise(t.then.add_expr(prev) if t.then else null)
    )


def next_recurring(
    events: pl.DataFrame,
    starts: pl.DataFrame,
    t: ts.Timescale,
    d: date,
    key: str | list[str] = "child_id",
) -> pl.DataFrame:
    """``starts`` plus ``due``: when the next item of a recurring timescale falls due."""
    last = last_between(events, starts, d, key)
    return last.with_columns(due=_due_expr(t, pl.col("done"), pl.coalesce("last", "start")))


_CP_KEYS = ["child_id", "plan_id"]


def review_chain(f: JourneyFrames, kind: str) -> pl.DataFrame:
    """Every review of every CP plan ("cp", key ``child_id, plan_id``: plan IDs from returns
    are unique only within a child) or period of care ("lac", key ``child_id, start``) in
    date order, with a pending row after the last, each with the ``due`` date it had from
    the previous review (or the start). Computed once per frames:
    a review's due date does not depend on the as-at date, so per date only filters remain."""
    return memo(f, ("review_chain", kind), lambda: _review_chain(f, kind))


def _review_chain(f: JourneyFrames, kind: str) -> pl.DataFrame:
    if kind == "cp":
        keys, t = _CP_KEYS, ts.CP_REVIEW
        starts = f.cp_plans.select("child_id", "plan_id", "start")
        events = starts.join(f.cp_reviews.select(*keys, "date"), on=keys)
    else:
        keys, t = ["child_id", "start"], ts.LAC_REVIEW
        starts = f.episodes.filter(pl.col("rne") == "S").select("child_id", "start").unique()
        # A review belongs to the latest period of care begun on or before it.
        events = (
            f.lac_reviews.select("child_id", "date")
            .sort("date")
            .join_asof(
                starts.sort("start"),
                left_on="date",
                right_on="start",
                by="child_id",
                strategy="backward",
                check_sortedness=False,
            )
            .drop_nulls("start")
        )
    events = events.filter(pl.col("date") >= pl.col("start")).select(*starts.columns, "date")
    pending = starts.with_columns(date=pl.lit(None, dtype=pl.Date))
    chain = pl.concat([events, pending]).sort([*keys, pl.col("date").is_null(), "date"])
    chain = chain.with_columns(
        k=pl.int_range(pl.len()).over(keys),
        prev=pl.coalesce(pl.col("date").shift(1).over(keys), pl.col("start")),
    )
    return chain.with_columns(due=_due_expr(t, pl.col("k"), pl.col("prev"))).drop("prev")


def reviews_on_time(
    f: JourneyFrames, kind: str, cohort: pl.DataFrame, d: date, since: date | None = None
) -> pl.DataFrame:
    """Per key of ``cohort`` (plan or period of care): ``on_time`` when every review held in
    (``since``, ``d``] was on or before its due date and the next one is not overdue at
    ``d``. ``since`` defaults to 12 months before ``d``, as the old NI 66/67 looked at the
    year: a review that was late years ago does not mark a child late for ever."""
    since = since or ts.months(-12).add(d)
    keys = _CP_KEYS if kind == "cp" else ["child_id", "start"]
    c = review_chain(f, kind).join(cohort.select(keys).unique(), on=keys, how="semi")
    held = pl.col("date").is_not_null() & (pl.col("date") <= d)
    c = c.with_columns(held=held).with_columns(
        is_next=pl.int_range(pl.len()).over(keys) == pl.col("held").sum().over(keys)
    )
    late = (pl.col("held") & (pl.col("date") > since) & (pl.col("date") > pl.col("due"))) | (
        pl.col("is_next") & (pl.col("due") < d)
    )
    group = list(dict.fromkeys([*keys, "child_id"]))
    return (
        c.with_columns(late=late.fill_null(False))
        .group_by(group)
        .agg(on_time=~pl.col("late").any())
    )


def _seen(f: JourneyFrames) -> pl.DataFrame:
    return memo(f, ("seen",), lambda: f.visits.filter(pl.col("seen")))


def cp_visit_due(f: JourneyFrames, d: date, standards: Mapping[str, int]) -> pl.DataFrame:
    """Children on a CP plan at ``d``: next visit due (local standard) from the last visit in
    which the child was seen, or from the plan's start."""
    return next_recurring(_seen(f), cp_starts(f, d), ts.CP_VISIT.resolve(standards), d)


def cin_visit_due(f: JourneyFrames, d: date, standards: Mapping[str, int]) -> pl.DataFrame:
    return next_recurring(_seen(f), cin_starts(f, d), ts.CIN_VISIT.resolve(standards), d)


def lac_visit_due(f: JourneyFrames, d: date) -> pl.DataFrame:
    """Reg 28 (simplified, see `declarations`): 1 week after the placement's start if not
    visited since; then 6 weeks, or 3 months once the last visit falls after the first year of
    a long-term (U1/U4) placement."""
    cla = cla_with_dates(f, d).select("child_id", "place", start="placement_start")
    last = last_between(_seen(f), cla, d)
    after_year = pl.col("last") >= ts.LAC_VISIT_FIRST_YEAR.add_expr(pl.col("start"))
    long_term = pl.col("place").is_in(sorted(ts.LONG_TERM_PLACEMENTS)) & after_year
    then: Interval = ts.LAC_VISIT.then or ts.LAC_VISIT.first
    due = (
        pl.when(pl.col("last").is_null())
        .then(ts.LAC_VISIT.first.add_expr(pl.col("start")))
        .when(long_term)
        .then(ts.LAC_VISIT_LONG_TERM_AFTER_FIRST_YEAR.add_expr(pl.col("last")))
        .otherwise(then.add_expr(pl.col("last")))
    )
    return last.with_columns(due=due)


def supervision_due(
    f: JourneyFrames, d: date, standards: Mapping[str, int], kind: str
) -> pl.DataFrame:
    """Next case supervision due for children on a CP plan ("cp"), looked after ("cla") or on
    a CIN plan ("cin"), from the last supervision or the start of that status."""
    if kind == "cla":
        starts = cla_with_dates(f, d).select("child_id", start="care_start")
    else:
        starts = cp_starts(f, d) if kind == "cp" else cin_starts(f, d)
    t = ts.TIMESCALES[f"{kind}_supervision"].resolve(standards)
    return next_recurring(f.supervisions, starts, t, d)


# --- Every item due ------------------------------------------------------------------------


def _item(df: pl.DataFrame, t: ts.Timescale, d: date) -> pl.DataFrame:
    return (
        df.select(
            pl.col("child_id"),
            kind=pl.lit(t.id),
            title=pl.lit(t.title),
            due=pl.col("due"),
        )
        .with_columns(overdue=pl.col("due") < d)
        .drop_nulls("due")
    )


def _referral_decision(f: JourneyFrames, d: date, std: Mapping[str, int]) -> pl.DataFrame:
    refs = f.referrals.filter(
        pl.col("referral_date") <= d,
        ~pl.col("nfa").fill_null(False),
        pl.col("decided").is_null() | (pl.col("decided") > d),
    )
    first = ts.REFERRAL_DECISION.resolve(std).first
    return refs.with_columns(due=first.add_expr(pl.col("referral_date")))


def _assessment(f: JourneyFrames, d: date, std: Mapping[str, int]) -> pl.DataFrame:
    assess = open_at(f.assessments, d, "start", "authorised")
    return assess.with_columns(due=ts.ASSESSMENT.first.add_expr(pl.col("start")))


def _icpc(f: JourneyFrames, d: date, std: Mapping[str, int]) -> pl.DataFrame:
    s47 = f.s47.filter(
        pl.col("start") <= d,
        ~pl.col("icpc_not_required").fill_null(False),
        pl.col("icpc_date").is_null() | (pl.col("icpc_date") > d),
    )
    return s47.with_columns(due=ts.ICPC.first.add_expr(pl.col("start")))


def _return_home_interview(f: JourneyFrames, d: date, std: Mapping[str, int]) -> pl.DataFrame:
    missing = f.missing.filter(
        pl.col("returned").is_not_null(), pl.col("end") <= d, pl.col("rhi_offered").is_null()
    )
    due = ts.RETURN_HOME_INTERVIEW.first.add_expr(pl.col("returned")).dt.date()
    return missing.with_columns(due=due)


def _proceedings(f: JourneyFrames, d: date, std: Mapping[str, int]) -> pl.DataFrame:
    proc = f.proceedings.filter(
        pl.col("issue_date") <= d,
        pl.col("final_order_date").is_null() | (pl.col("final_order_date") > d),
    )
    return proc.with_columns(due=ts.PROCEEDINGS.first.add_expr(pl.col("issue_date")))


def s20_review_due(f: JourneyFrames, d: date) -> pl.DataFrame:
    """Children accommodated under section 20 (V2) at ``d`` with no looked-after review since
    the V2 episode began: review due 28 days after that start."""
    s20 = cla_now(f, d).filter(pl.col("ls") == "V2").select("child_id", "start")
    reviewed = last_between(f.lac_reviews, s20, d).filter(pl.col("last").is_not_null())
    return s20.join(reviewed, on="child_id", how="anti").with_columns(
        due=ts.S20_REVIEW.first.add_expr(pl.col("start"))
    )


def _cp_review(f: JourneyFrames, d: date, std: Mapping[str, int]) -> pl.DataFrame:
    plans = open_at(f.cp_plans, d).select("plan_id", "child_id", "start")
    return next_recurring(f.cp_reviews, plans, ts.CP_REVIEW, d, key=_CP_KEYS)


def _lac_review(f: JourneyFrames, d: date, std: Mapping[str, int]) -> pl.DataFrame:
    cla = cla_with_dates(f, d).select("child_id", start="care_start")
    return next_recurring(f.lac_reviews, cla, ts.LAC_REVIEW, d)


DueRule = Callable[["JourneyFrames", date, Mapping[str, int]], pl.DataFrame]

#: Every item due, in one list: its timescale, the table whose rows give rise to it (an
#: item's rows all come from that table's, so with no rows there it is skipped: a screen's
#: child has only a few kinds of item), and its rule (rows with ``child_id`` and ``due``).
ITEMS: tuple[tuple[ts.Timescale, str, DueRule], ...] = (
    (ts.REFERRAL_DECISION, "referrals", _referral_decision),
    (ts.ASSESSMENT, "assessments", _assessment),
    (ts.ICPC, "s47", _icpc),
    (ts.RETURN_HOME_INTERVIEW, "missing", _return_home_interview),
    (ts.PROCEEDINGS, "proceedings", _proceedings),
    (ts.S20_REVIEW, "episodes", lambda f, d, std: s20_review_due(f, d)),
    (ts.CP_REVIEW, "cp_plans", _cp_review),
    (ts.LAC_REVIEW, "episodes", _lac_review),
    (ts.CP_VISIT, "cp_plans", cp_visit_due),
    (ts.CIN_VISIT, "cin_plans", cin_visit_due),
    (ts.LAC_VISIT, "episodes", lambda f, d, std: lac_visit_due(f, d)),
    (ts.CP_SUPERVISION, "cp_plans", lambda f, d, std: supervision_due(f, d, std, "cp")),
    (ts.CLA_SUPERVISION, "episodes", lambda f, d, std: supervision_due(f, d, std, "cla")),
    (ts.CIN_SUPERVISION, "cin_plans", lambda f, d, std: supervision_due(f, d, std, "cin")),
)


def due_dates(
    f: JourneyFrames, as_at: date, standards: Mapping[str, int] | None = None
) -> pl.DataFrame:
    """Every open item due per child at ``as_at`` (columns of `DUE_SCHEMA`), overdue first
    then by due date.

    Runs as one lazy polars query over the frames: the same expressions, but a screen's few
    children cost one plan instead of some three hundred small eager steps; items whose
    table has no rows are left out of the plan."""
    std = local_standards(standards)
    keyed = {**DUE_SCHEMA, "child_id": f.ids.schema["child_id"]}
    lf = _lazy(f)
    parts = [pl.LazyFrame(schema=keyed)] + [
        _item(rule(lf, as_at, std), t, as_at)  # type: ignore[arg-type]
        for t, table, rule in ITEMS
        if not f.tables[table].is_empty()
    ]
    out = pl.concat([p.cast(keyed) for p in parts]).join(  # type: ignore[arg-type]
        lf.ids, on="child_id", how="left"
    )
    out = out.with_columns(child_id=pl.col("la_child_id")).drop("la_child_id")
    order = ["overdue", "due", "child_id", "kind"]
    return out.sort(order, descending=[True, False, False, False]).collect()


def _lazy(f: JourneyFrames) -> JourneyFrames:
    """The frames as lazy frames (a fresh memo: cohorts there are lazy too)."""
    from dataclasses import replace

    tables = {name: df.lazy() for name, df in f.tables.items()}
    return replace(f, tables=tables, ids=f.ids.lazy())  # type: ignore[arg-type]


def next_due(
    f: JourneyFrames, as_at: date, standards: Mapping[str, int] | None = None
) -> pl.DataFrame:
    """One row per child with an item due: the earliest (so the overdue one if any)."""
    return (
        due_dates(f, as_at, standards)
        .sort("due", "kind")
        .unique("child_id", keep="first", maintain_order=True)
        .sort(["overdue", "due"], descending=[True, False])
    )


def worklist(
    f: JourneyFrames,
    as_at: date,
    *,
    team: str | None = None,
    worker: str | None = None,
    kinds: Iterable[str] | None = None,
    due_within_days: int | None = None,
    standards: Mapping[str, int] | None = None,
) -> pl.DataFrame:
    """Items due for the children a team or worker holds at ``as_at`` (workforce
    allocations; ``worker`` is the worker's id as text), optionally only some kinds and only
    those overdue or due within ``due_within_days`` days: a manager's worklists. Columns: those
    of `due_dates` plus ``team_id`` and ``worker_id``."""
    alloc = open_at(f.allocations, as_at).sort("start").unique("child_id", keep="last")
    if team is not None:
        alloc = alloc.filter(pl.col("team_id") == team)
    if worker is not None:
        alloc = alloc.filter(pl.col("worker_id") == worker)
    held = f.decode(alloc.select("child_id", "team_id", "worker_id"))
    items = due_dates(f, as_at, standards).join(held, on="child_id", how="inner")
    if kinds is not None:
        items = items.filter(pl.col("kind").is_in(list(kinds)))
    if due_within_days is not None:
        items = items.filter(pl.col("due") <= as_at + timedelta(days=due_within_days))
    return items


@dataclass(frozen=True)
class DueItem:
    """One statutory or local item due for a child, for a screen."""

    kind: str
    title: str
    due: date
    overdue: bool


def due_for_children(
    la_child_ids: Iterable[str], as_at: date, standards: Mapping[str, int] | None = None
) -> pl.DataFrame:
    """Every item due at ``as_at`` for these children, from the record (Django): the columns
    of `DUE_SCHEMA` (``child_id`` the LA child ID), earliest first. The screens (a child's
    record, my work, worklists) call this, so they show the due dates the measures count.

    The record is read on every call; the frames and due dates are worked out again only when
    something they follow from differs from an earlier call (`_remembered`)."""
    from safeguard.performance.frames import from_rows, record_rows

    ids = list(dict.fromkeys(la_child_ids))
    if not ids:
        return pl.DataFrame(schema=DUE_SCHEMA)
    std = local_standards(standards)
    rows = record_rows(child_ids=ids, tables=DUE_TABLES)
    key = _digest(ids, as_at, std, rows)
    found = _remembered(key)
    if found is None:
        found = due_dates(from_rows(rows), as_at, std).sort("due", "kind", "child_id")
        _remember(key, found)
    return found


#: Due rows already worked out for a screen, by a digest of all they follow from: the
#: children, the date, the local standards and every row read from the record (the calendar
#: is fixed). Opening a child's record again then costs the queries only, and a change to
#: any of those rows, or a new day, is a new key: nothing to invalidate, nothing stale.
#: Per process, the least recently used dropped beyond `MEMO_SIZE`.
MEMO_SIZE = 2048
_MEMO: OrderedDict[bytes, pl.DataFrame] = OrderedDict()
_MEMO_LOCK = threading.Lock()


def _digest(ids: list[str], as_at: date, std: Mapping[str, int], rows: object) -> bytes:
    """A 256-bit digest of a screen's inputs (pickled: the rows are plain tuples of dates,
    numbers and text)."""
    data = pickle.dumps((ids, as_at, sorted(std.items()), rows), protocol=5)
    return hashlib.blake2b(data, digest_size=32).digest()


def _remembered(key: bytes) -> pl.DataFrame | None:
    with _MEMO_LOCK:
        found = _MEMO.get(key)
        if found is not None:
            _MEMO.move_to_end(key)
        return found


def forget() -> None:
    """Empty the memo (a benchmark times the first view of a page with it)."""
    with _MEMO_LOCK:
        _MEMO.clear()


def _remember(key: bytes, due: pl.DataFrame) -> None:
    with _MEMO_LOCK:
        _MEMO[key] = due
        while len(_MEMO) > MEMO_SIZE:
            _MEMO.popitem(last=False)


def due_for_child(
    la_child_id: str, as_at: date | None = None, standards: Mapping[str, int] | None = None
) -> list[DueItem]:
    """Every item due for one child, from the record (Django), earliest first."""
    rows = due_for_children([la_child_id], as_at or date.today(), standards)
    return [
        DueItem(r["kind"], r["title"], r["due"], r["overdue"]) for r in rows.iter_rows(named=True)
    ]
