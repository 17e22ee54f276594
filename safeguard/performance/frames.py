"""The journey as polars frames, built once per run, from the record or straight from returns.

`JourneyFrames` is the one input of the measures engine and of the timescales' vectorised due
dates. Each table below has exactly these columns and types (`FRAMES`); `child_id` is the LA
child ID everywhere, so frames from the record and from returns join the same way and a
region's returns can be pooled (prefix the IDs per council before pooling).

Two builders:
- `from_record()`: one ``values_list`` query per table (Django needed only here);
- `from_returns(cin, ssda903)`: from the return frames of `safeguard.returns.tables`, nothing
  imported. Returns carry no contacts, early help, visits, supervision, allocations,
  proceedings or return-home interviews: those tables are empty and `source` is "returns", so
  the engine reports the measures that need them as not available rather than as zero.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from safeguard.returns.tables import CIN_CENSUS, SSDA903, Return, conform

S, D, B, I, DT = pl.Utf8, pl.Date, pl.Boolean, pl.Int64, pl.Datetime("us")  # noqa: E741

FRAMES: dict[str, dict[str, Any]] = {
    "children": {"child_id": S, "dob": D, "sex": S},
    "contacts": {"child_id": S, "received": D, "decision": S, "decided": D},
    "early_help": {"child_id": S, "start": D, "end": D},
    "referrals": {
        "child_id": S,
        "referral_id": I,
        "referral_date": D,
        "nfa": B,
        "decided": D,
        "closure_date": D,
    },
    "assessments": {"child_id": S, "referral_id": I, "start": D, "authorised": D},
    "cin_plans": {"child_id": S, "start": D, "end": D},
    "s47": {
        "child_id": S,
        "s47_id": I,
        "start": D,
        "icpc_date": D,
        "icpc_to_plan": B,
        "icpc_not_required": B,
    },
    "cp_plans": {"child_id": S, "plan_id": I, "start": D, "end": D, "previous_plans": I},
    "cp_reviews": {"child_id": S, "plan_id": I, "date": D},
    "episodes": {
        "child_id": S,
        "start": D,
        "end": D,
        "rne": S,
        "ls": S,
        "place": S,
        "provider": S,
        "rec": S,
    },
    "lac_reviews": {"child_id": S, "date": D},
    "missing": {"child_id": S, "kind": S, "start": D, "end": D, "returned": DT, "rhi_offered": DT},
    "care_leavers": {"child_id": S, "date": D, "in_touch": S, "activ": S, "accom": S},
    "adoptions": {"child_id": S, "placement_order_date": D, "match_date": D, "placed_date": D},
    "proceedings": {"child_id": S, "issue_date": D, "final_order_date": D},
    "visits": {"child_id": S, "date": D, "seen": B},
    "supervisions": {"child_id": S, "date": D},
    "allocations": {"child_id": S, "worker_id": S, "team_id": S, "start": D, "end": D},
    "workers": {
        "worker_id": S,
        "name": S,
        "team_id": S,
        "role": S,
        "agency": B,
        "start": D,
        "leave": D,
    },
}

_ANY_TYPES: dict[str, Any] = {c: t for cols in FRAMES.values() for c, t in cols.items()}

#: Tables a set of statutory returns cannot fill (measures needing them are "not available").
#: "referral_decisions" and "rhi" name columns the returns lack (referral decision time,
#: return-home interview offered).
RECORD_ONLY_TABLES = frozenset(
    {
        "contacts",
        "early_help",
        "visits",
        "supervisions",
        "allocations",
        "workers",
        "proceedings",
        "referral_decisions",
        "rhi",
    }
)


#: Inside the frames a child is a small integer (joins and group-bys on integers are several
#: times faster than on strings); `JourneyFrames.ids` maps it back to the LA child ID.
CHILD_KEY = pl.UInt32
IDS_SCHEMA = {"child_id": CHILD_KEY, "la_child_id": S}


@dataclass
class JourneyFrames:
    """Every table of `FRAMES`, conformed, with ``child_id`` encoded as `CHILD_KEY`.

    `source` is "record", "returns" or "hand"; `ids` maps ``child_id`` to the LA child ID
    (`decode` applies it to any frame of results, e.g. a drill-down).
    """

    tables: dict[str, pl.DataFrame]
    ids: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=IDS_SCHEMA))
    source: str = "hand"
    population: int | None = None  # children aged 0-17, for rates (None: the default)
    #: Tables this source cannot fill at all (measures reading them are "not available").
    lacking: frozenset[str] = frozenset()
    #: The spans of dates (first, last; inclusive) the source covers: the collection years of
    #: the returns read. None: no limit (the record, or returns whose years are unknown).
    covered: tuple[tuple[date, date], ...] | None = None

    def __getattr__(self, name: str) -> pl.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def has(self, table: str) -> bool:
        """Whether the table could have been filled by this source (not: whether it has rows)."""
        return table not in self.lacking

    def covers(self, first: date, last: date) -> bool:
        """Whether every day from ``first`` to ``last`` falls in the spans the source covers
        (always, for the record): a figure over a window the returns do not cover would be
        an undercount, so reports show it as not covered rather than computing it."""
        if self.covered is None:
            return True
        return any(a <= first and last <= b for a, b in self.covered)

    def decode(self, df: pl.DataFrame) -> pl.DataFrame:
        """``df`` with its ``child_id`` codes replaced by LA child IDs."""
        if "child_id" not in df.columns:
            return df
        ids = self.ids.join(df.select("child_id").unique(), on="child_id", how="semi")
        return (
            df.join(ids, on="child_id", how="left")
            .with_columns(child_id=pl.col("la_child_id"))
            .drop("la_child_id")
        )


def build(
    source: str = "hand",
    population: int | None = None,
    lacking: frozenset[str] | None = None,
    **tables: pl.DataFrame | Sequence[Mapping[str, Any]],
) -> JourneyFrames:
    """Frames from whatever tables are given (frames or lists of dicts); the rest empty.

    Child IDs (strings) are encoded once here. Tests build small hand-made journeys with this:
    only the columns that matter need giving.
    """
    unknown = set(tables) - set(FRAMES)
    if unknown:
        raise KeyError(f"Unknown journey tables: {', '.join(sorted(unknown))}")
    conformed = {name: _conform(tables.get(name), schema) for name, schema in FRAMES.items()}
    ids = _child_ids(conformed)
    encoded = {name: _encode(df, ids) for name, df in conformed.items()}
    if lacking is None:
        lacking = RECORD_ONLY_TABLES if source == "returns" else frozenset()
    return JourneyFrames(encoded, ids=ids, source=source, population=population, lacking=lacking)


def _child_ids(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    every = pl.concat(
        [df.select(la_child_id="child_id") for df in tables.values() if "child_id" in df.columns]
    )
    return (
        every.drop_nulls()
        .unique(maintain_order=True)
        .with_row_index("child_id")
        .with_columns(pl.col("child_id").cast(CHILD_KEY))
    )


def _encode(df: pl.DataFrame, ids: pl.DataFrame) -> pl.DataFrame:
    """``df`` with its LA child IDs replaced by their codes (a lookup, not a join: a join
    costs about ten times as much on a screen's few rows, and no more on a council's)."""
    if "child_id" not in df.columns:
        return df
    if df.is_empty():
        return df.cast({"child_id": CHILD_KEY})
    code = pl.col("child_id").replace_strict(
        ids["la_child_id"], ids["child_id"], default=None, return_dtype=CHILD_KEY
    )
    return df.with_columns(code)


def _conform(
    data: pl.DataFrame | Sequence[Mapping[str, Any]] | None, schema: dict[str, Any]
) -> pl.DataFrame:
    if data is None:
        return pl.DataFrame(schema=schema)
    if isinstance(data, pl.DataFrame) and list(data.schema.items()) == list(schema.items()):
        return data  # already conformed (the record's frames mostly are)
    df = (
        data
        if isinstance(data, pl.DataFrame)
        else pl.DataFrame([dict(row) for row in data], infer_schema_length=None)
    )
    return df.select(
        [
            (pl.col(c).cast(t) if c in df.columns else pl.lit(None, dtype=t)).alias(c)
            for c, t in schema.items()
        ]
    )


# --- From the record -----------------------------------------------------------------------


def _query(
    model: Any,
    columns: dict[str, str],
    child_ids: tuple[str, ...] | None,
    child_path: str = "child__la_child_id",
) -> tuple[str, str, list] | None:
    """The query for the rows of one table (for some children only, if given) as plain
    tuples: (database alias, SQL, parameters), or None when no child is asked for.

    The ORM writes the SQL, once per table, database and number of children
    (`_compiled`); each call then only fills in the IDs. Compiling a queryset costs about half
    a millisecond of CPU, and a screen's due dates read thirteen tables per request."""
    from django.db import router

    if child_ids == ():
        return None
    alias = router.db_for_read(model)
    return (alias, *_compiled(model, tuple(columns.values()), child_path, alias, child_ids))


def _fetch_all(queries: list[tuple[str, str, list] | None]) -> list[list[tuple]]:
    """The rows of each query. On PostgreSQL they are sent together in one pipeline: one
    round trip to the server instead of one each, which is what a page waits for when the
    machine is busy."""
    from django.db import connections

    out: list[list[tuple]] = [[] for _ in queries]
    by_alias: dict[str, list[int]] = {}
    for i, q in enumerate(queries):
        if q is not None:
            by_alias.setdefault(q[0], []).append(i)
    for alias, positions in by_alias.items():
        conn = connections[alias]
        with conn.cursor():  # connects (and health-checks) before any pipeline
            pass
        pipeline = conn.connection.pipeline() if conn.vendor == "postgresql" else nullcontext()
        cursors = []
        try:
            # psycopg's own errors leaving the pipeline (a connection killed mid-way) become
            # Django's, as every other query's do, so the app answers 503, not 500.
            with conn.wrap_database_errors, pipeline:
                for i in positions:
                    cursor = conn.cursor()
                    cursors.append(cursor)
                    _, sql, params = queries[i]  # type: ignore[misc]
                    cursor.execute(sql, params)
                for i, cursor in zip(positions, cursors, strict=True):
                    out[i] = cursor.fetchall()
        finally:
            for cursor in cursors:
                cursor.close()
    return out


#: Stand-ins for the child IDs while the ORM writes a query (found again in its parameters).
_ID_MARK = "\x00child-id-{}\x00"


def _compiled(
    model: Any, paths: tuple[str, ...], child_path: str, alias: str, ids: tuple[str, ...] | None
) -> tuple[str, list]:
    """The SQL and parameters of ``values_list(*paths)`` of ``model`` for ``ids``: the SQL
    from the cache, the IDs put in place of their stand-ins."""
    n = None if ids is None else len(ids)
    sql, template, slots = _compile(model, paths, child_path, alias, n)
    params = list(template)
    for slot, value in zip(slots, ids or (), strict=True):
        params[slot] = value
    return sql, params


@functools.lru_cache(maxsize=1024)
def _compile(
    model: Any, paths: tuple[str, ...], child_path: str, alias: str, n: int | None
) -> tuple[str, tuple, tuple[int, ...]]:
    """(SQL, parameters, positions of the child IDs among them) of the query `_query` runs."""
    qs = model.objects.using(alias).all()
    marks = [] if n is None else [_ID_MARK.format(i) for i in range(n)]
    if n is not None:
        qs = qs.filter(**{f"{child_path}__in": marks})
    sql, params = qs.values_list(*paths).order_by().query.get_compiler(alias).as_sql()
    where = {mark: i for i, mark in enumerate(marks)}
    slots = tuple(i for i, p in enumerate(params) if p in where)
    if [params[i] for i in slots] != marks:
        raise RuntimeError(f"Cannot place the child IDs in the query of {model.__name__}")
    return sql, tuple(params), slots


#: Types of the raw record columns that are not frame columns (converted in `_record_derived`).
_RAW_TYPES: dict[str, Any] = {"received_dt": DT, "decided_dt": DT, "kind": S, "outcome": S}
#: Date-times from the record are kept as naive local (UK) times; dates are local dates.
LOCAL_TZ = "Europe/London"


def _frame(rows: list[tuple], columns: dict[str, str], table: str) -> pl.DataFrame:
    schema = {
        n: _RAW_TYPES.get(n) or FRAMES.get(table, {}).get(n) or _ANY_TYPES[n] for n in columns
    }
    for name in ("child_id", "worker_id", "team_id"):
        if name in schema:
            schema[name] = S
    if not rows:
        return pl.DataFrame(schema=schema)
    # Dates, booleans, integers and text come from the database as such and are read straight
    # into their types (one step less for every table); date-times (to local time) and worker
    # IDs (integers, kept as text) are converted after.
    later = [n for n, t in schema.items() if isinstance(t, pl.Datetime) or n == "worker_id"]
    direct = [(n, None if n in later else t) for n, t in schema.items()]
    raw = pl.DataFrame(rows, schema=direct, orient="row", infer_schema_length=None)
    return raw.with_columns([_cast(raw, n, schema[n]) for n in later]) if later else raw


def _cast(raw: pl.DataFrame, name: str, dtype: Any) -> pl.Expr:
    col = pl.col(name)
    if raw.schema[name] == pl.Null:
        return pl.lit(None, dtype=dtype).alias(name)
    if isinstance(dtype, pl.Datetime) and isinstance(raw.schema[name], pl.Datetime):
        if raw.schema[name].time_zone is None:  # naive (USE_TZ off): taken as UTC
            col = col.dt.replace_time_zone("UTC")
        local = col.dt.convert_time_zone(LOCAL_TZ).dt.replace_time_zone(None)
        return local.cast(dtype).alias(name)
    return col.cast(dtype).alias(name)


def _record_derived(t: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Turn the raw record columns into frame columns (dates, the ICPC on each S47)."""
    t["contacts"] = t["contacts"].with_columns(
        received=pl.col("received_dt").dt.date(), decided=pl.col("decided_dt").dt.date()
    )
    t["referrals"] = t["referrals"].with_columns(decided=pl.col("decided_dt").dt.date())
    # An ICPC led to a plan if its outcome says so or, as the CIN census shows it (and as an
    # imported census leaves it), a plan of the child started on the conference's date.
    plan_days = t["cp_plans"].select("child_id", date="start", plan=pl.lit(True)).unique()
    icpc = (
        t.pop("icpcs")
        .filter(pl.col("kind") == "ICPC", pl.col("s47_id").is_not_null())
        .join(plan_days, on=["child_id", "date"], how="left")
        .sort("date")
        .group_by("s47_id")
        .first()
        .select(
            "s47_id",
            icpc_date="date",
            icpc_to_plan=(pl.col("outcome") == "CPP") | pl.col("plan").fill_null(False),
        )
    )
    # An enquiry ending in no further action or continued as CIN needs no conference either.
    t["s47"] = (
        t["s47"]
        .join(icpc, on="s47_id", how="left")
        .with_columns(
            icpc_not_required=pl.col("icpc_not_required") | pl.col("outcome").is_in(["NFA", "CIN"])
        )
        .drop("outcome")
    )
    t["cp_reviews"] = t["cp_reviews"].filter(
        pl.col("kind") == "RCPC", pl.col("plan_id").is_not_null()
    )
    return t


def from_record(
    *,
    child_ids: Iterable[str] | None = None,
    tables: Iterable[str] | None = None,
    population: int | None = None,
) -> JourneyFrames:
    """The whole record (or only the given children) as frames: one query per table.

    ``tables`` limits the queries to the tables a caller needs (the rest are empty), e.g. a
    screen's due dates for a few children (`safeguard.timescales.due.DUE_TABLES`).
    """
    return from_rows(record_rows(child_ids=child_ids, tables=tables), population)


def record_rows(
    *, child_ids: Iterable[str] | None = None, tables: Iterable[str] | None = None
) -> dict[str, list[tuple]]:
    """The record's rows for `from_record`, per table, as the database gives them (plain
    tuples): everything the frames follow from, so also a fingerprint of that part of the
    record (the screens' due dates are memoised by it)."""
    from safeguard.journey import models as j
    from safeguard.workforce import models as w

    ids = None if child_ids is None else tuple(dict.fromkeys(child_ids))
    wanted = set(FRAMES if tables is None else tables) | _RAW_NEEDS
    queries = {
        table: _query(model, columns, None if path is None else ids, path or "")
        for table, (model, columns, path) in _record_specs(j, w).items()
        if table in wanted
    }
    rows = dict(zip(queries, _fetch_all(list(queries.values())), strict=True))
    return {table: rows.get(table, []) for table in _record_specs(j, w)}


def from_rows(rows: Mapping[str, list[tuple]], population: int | None = None) -> JourneyFrames:
    """Frames from `record_rows` (a table not given is empty)."""
    from safeguard.journey import models as j
    from safeguard.workforce import models as w

    out = {
        table: _frame(rows.get(table, []), columns, table)
        for table, (_, columns, _) in _record_specs(j, w).items()
    }
    return build("record", population, **_record_derived(out))


#: Raw record tables the derived frames always need (the ICPC on each S47).
_RAW_NEEDS = frozenset({"icpcs"})


def _record_specs(j: Any, w: Any) -> dict[str, tuple[Any, dict[str, str], str | None]]:
    """table -> (model, {frame column: ORM path}, child path or None for non-child tables)."""
    c = "child__la_child_id"
    return {
        "children": (
            j.Child,
            {"child_id": "la_child_id", "dob": "date_of_birth", "sex": "sex"},
            "la_child_id",
        ),
        "contacts": (
            j.Contact,
            {
                "child_id": c,
                "received_dt": "received_at",
                "decision": "mash_decision",
                "decided_dt": "decided_at",
            },
            c,
        ),
        "early_help": (
            j.EarlyHelpEpisode,
            {"child_id": c, "start": "start_date", "end": "end_date"},
            c,
        ),
        "referrals": (
            j.Referral,
            {
                "child_id": c,
                "referral_id": "id",
                "referral_date": "referral_date",
                "nfa": "referral_nfa",
                "decided_dt": "decided_at",
                "closure_date": "closure_date",
            },
            c,
        ),
        "assessments": (
            j.Assessment,
            {
                "child_id": c,
                "referral_id": "referral_id",
                "start": "start_date",
                "authorised": "authorisation_date",
            },
            c,
        ),
        "cin_plans": (
            j.ChildInNeedPlan,
            {"child_id": c, "start": "start_date", "end": "end_date"},
            c,
        ),
        "s47": (
            j.Section47,
            {
                "child_id": c,
                "s47_id": "id",
                "start": "strategy_discussion_date",
                "icpc_not_required": "icpc_not_required",
                "outcome": "outcome",
            },
            c,
        ),
        "icpcs": (
            j.Conference,
            {
                "child_id": c,
                "s47_id": "section47_id",
                "kind": "kind",
                "date": "date",
                "outcome": "outcome",
            },
            c,
        ),
        "cp_plans": (
            j.ChildProtectionPlan,
            {
                "child_id": c,
                "plan_id": "id",
                "start": "start_date",
                "end": "end_date",
                "previous_plans": "previous_plans",
            },
            c,
        ),
        "cp_reviews": (
            j.Conference,
            {"child_id": c, "plan_id": "cp_plan_id", "kind": "kind", "date": "date"},
            c,
        ),
        "episodes": (
            j.CareEpisode,
            {
                "child_id": c,
                "start": "start_date",
                "end": "end_date",
                "rne": "reason_new_episode",
                "ls": "legal_status",
                "place": "placement_type",
                "provider": "placement_provider",
                "rec": "reason_ended",
            },
            c,
        ),
        "lac_reviews": (j.LookedAfterReview, {"child_id": c, "date": "date"}, c),
        "missing": (
            j.MissingEpisode,
            {
                "child_id": c,
                "kind": "kind",
                "start": "start_date",
                "end": "end_date",
                "returned": "returned_at",
                "rhi_offered": "rhi_offered_at",
            },
            c,
        ),
        "care_leavers": (
            j.CareLeaverContact,
            {
                "child_id": c,
                "date": "date",
                "in_touch": "in_touch",
                "activ": "activity",
                "accom": "accommodation",
            },
            c,
        ),
        "adoptions": (
            j.Adoption,
            {
                "child_id": c,
                "placement_order_date": "placement_order_date",
                "match_date": "match_date",
                "placed_date": "placed_date",
            },
            c,
        ),
        "proceedings": (
            j.CareProceedings,
            {"child_id": c, "issue_date": "issue_date", "final_order_date": "final_order_date"},
            c,
        ),
        "visits": (j.Visit, {"child_id": c, "date": "date", "seen": "seen"}, c),
        "supervisions": (w.CaseSupervision, {"child_id": c, "date": "date"}, c),
        "allocations": (
            w.Allocation,
            {
                "child_id": c,
                "worker_id": "worker_id",
                "team_id": "team__name",
                "start": "start_date",
                "end": "end_date",
            },
            c,
        ),
        "workers": (
            w.Worker,
            {
                "worker_id": "id",
                "name": "name",
                "team_id": "team__name",
                "role": "role",
                "agency": "agency",
                "start": "start_date",
                "leave": "leave_date",
            },
            None,
        ),
    }


# --- From statutory returns ----------------------------------------------------------------


def from_returns(
    cin: Return | Sequence[Return] | None,
    ssda903: Return | Sequence[Return] | None,
    *,
    ssda903_years: Sequence[int | None] | None = None,
    population: int | None = None,
) -> JourneyFrames:
    """Frames straight from CIN census and SSDA903 returns (each one return, a list of them,
    e.g. several years or several councils, or None).

    Several returns are pooled: rows seen in more than one (an episode open across two years)
    are kept once, preferring the later return's (e.g. an episode's end date filled in).
    Episode keys are taken from dates, not positions, so they agree across years.
    ``ssda903_years`` (collection year by its end, per 903 return) dates each OC3 row by the
    birthday in that year; without it the census reference date is used.
    CIN plan dates are in the census only from 2021-22: with no census that recent and no
    plan rows, CIN plans are "not available" rather than none.
    """
    cins = [conform(r, CIN_CENSUS) for r in _as_list(cin)] or [conform({}, CIN_CENSUS)]
    lacs = [conform(r, SSDA903) for r in _as_list(ssda903)] or [conform({}, SSDA903)]
    ref = max((d for d in map(_reference_date, cins) if d is not None), default=None)
    years = list(ssda903_years or []) + [None] * len(lacs)
    refs = [date(y, 3, 31) if y else ref for y in years[: len(lacs)]]
    tables = {
        **_pool([_cin_tables(c) for c in cins], _CIN_KEYS),
        **_pool([_903_tables(x, r) for x, r in zip(lacs, refs, strict=True)], _903_KEYS),
    }
    tables["children"] = pl.concat(
        [
            c["ChildIdentifiers"].select(child_id="LAchildID", dob="PersonBirthDate", sex="Sex")
            for c in reversed(cins)
        ]
        + [x["Header"].select(child_id="CHILD", dob="DOB", sex="SEX") for x in reversed(lacs)]
    ).unique("child_id", keep="first", maintain_order=True)
    lacking = set(RECORD_ONLY_TABLES)
    if tables["cin_plans"].is_empty() and (ref is None or ref < CIN_PLAN_DATES_FROM):
        lacking.add("cin_plans")
    frames = build("returns", population, frozenset(lacking), **tables)
    ends = [_reference_date(c) for c in cins if c["Header"].height] + refs
    frames.covered = collection_spans([e for e in ends if e is not None])
    return frames


def collection_spans(ends: Iterable[date]) -> tuple[tuple[date, date], ...] | None:
    """The dates covered by returns whose collection years end on ``ends`` (each the 12
    months to its end: 1 April to 31 March), joined where they meet or overlap; None when no
    year is known (no limit can be drawn)."""
    from safeguard.calendar import add_months

    spans = sorted({(add_months(e, -12) + timedelta(days=1), e) for e in ends})
    if not spans:
        return None
    merged = [spans[0]]
    for first, last in spans[1:]:
        a, b = merged[-1]
        if first <= b + timedelta(days=1):
            merged[-1] = (a, max(b, last))
        else:
            merged.append((first, last))
    return tuple(merged)


#: The census carries CINPlanDates from the 2021-22 collection (reference date 31 March 2022).
CIN_PLAN_DATES_FROM = date(2022, 3, 31)


def _as_list(value: Return | Sequence[Return] | None) -> list[Return]:
    if value is None:
        return []
    return [value] if isinstance(value, dict) else list(value)


#: Natural keys of each table when pooling returns (later returns win on the other columns).
_CIN_KEYS = {
    "referrals": ["child_id", "referral_date"],
    "assessments": ["child_id", "start"],
    "cin_plans": ["child_id", "start"],
    "s47": ["child_id", "start"],
    "cp_plans": ["child_id", "start"],
    "cp_reviews": ["child_id", "plan_id", "date"],
}
_903_KEYS = {
    "episodes": ["child_id", "start"],
    "lac_reviews": ["child_id", "date"],
    "missing": ["child_id", "start", "kind"],
    "care_leavers": ["child_id", "date"],
    "adoptions": ["child_id"],
}


def _pool(
    parts: list[dict[str, pl.DataFrame]], keys: dict[str, list[str]]
) -> dict[str, pl.DataFrame]:
    if len(parts) == 1:
        return {table: parts[0][table] for table in keys}
    return {
        table: pl.concat([p[table] for p in reversed(parts)], how="vertical_relaxed").unique(
            key, keep="first", maintain_order=True
        )
        for table, key in keys.items()
    }


def _day(col: str) -> pl.Expr:
    """A date as a day number: episode keys that agree across years of returns."""
    return pl.col(col).cast(pl.Int32).cast(pl.Int64)


def _cin_tables(c: Return) -> dict[str, pl.DataFrame]:
    details = c["CINdetails"].select(
        "LAchildID", "CINdetailsID", referral_id=_day("CINreferralDate")
    )
    plans = c["ChildProtectionPlans"].with_columns(plan_id=_day("CPPstartDate"))
    starts = plans.select(child_id="LAchildID", icpc_date="CPPstartDate").unique()
    s47 = (
        c["Section47"]
        .select(
            child_id="LAchildID",
            s47_id=_day("S47ActualStartDate"),
            start="S47ActualStartDate",
            icpc_date="DateOfInitialCPC",
            icpc_not_required="ICPCnotRequired",
        )
        .join(
            starts.with_columns(icpc_to_plan=pl.lit(True)), on=["child_id", "icpc_date"], how="left"
        )
        .with_columns(
            icpc_to_plan=pl.when(pl.col("icpc_date").is_not_null()).then(
                pl.col("icpc_to_plan").fill_null(False)
            )
        )
    )
    reviews = c["Reviews"].join(
        plans.select("LAchildID", "CINdetailsID", "CPPID", "plan_id"),
        on=["LAchildID", "CINdetailsID", "CPPID"],
        how="left",
    )
    return {
        "referrals": c["CINdetails"].select(
            child_id="LAchildID",
            referral_id=_day("CINreferralDate"),
            referral_date="CINreferralDate",
            nfa="ReferralNFA",
            closure_date="CINclosureDate",
        ),
        "assessments": c["Assessments"]
        .join(details, on=["LAchildID", "CINdetailsID"], how="left")
        .select(
            child_id="LAchildID",
            referral_id="referral_id",
            start="AssessmentActualStartDate",
            authorised="AssessmentAuthorisationDate",
        ),
        "cin_plans": c["CINplanDates"].select(
            child_id="LAchildID", start="CINPlanStartDate", end="CINPlanEndDate"
        ),
        "s47": s47,
        "cp_plans": plans.select(
            child_id="LAchildID",
            plan_id="plan_id",
            start="CPPstartDate",
            end="CPPendDate",
            previous_plans="NumberOfPreviousCPP",
        ),
        "cp_reviews": reviews.select(child_id="LAchildID", plan_id="plan_id", date="CPPreviewDate"),
    }


def _reference_date(c: Return) -> date | None:
    header = c["Header"]
    return header["ReferenceDate"].max() if header.height else None


def _903_tables(l: Return, reference_date: date | None) -> dict[str, pl.DataFrame]:  # noqa: E741
    return {
        "episodes": l["Episodes"].select(
            child_id="CHILD",
            start="DECOM",
            end="DEC",
            rne="RNE",
            ls="LS",
            place="PLACE",
            provider="PLACE_PROVIDER",
            rec="REC",
        ),
        "lac_reviews": l["Reviews"].select(child_id="CHILD", date="REVIEW"),
        "missing": l["Missing"].select(
            child_id="CHILD",
            kind="MISSING",
            start="MIS_START",
            end="MIS_END",
            returned=pl.col("MIS_END").cast(pl.Datetime("us")),
        ),
        "care_leavers": _oc3(l["OC3"], reference_date),
        "adoptions": l["AD1"].select(child_id="CHILD", match_date="DATE_MATCH"),
    }


def _oc3(oc3: pl.DataFrame, reference_date: date | None) -> pl.DataFrame:
    """OC3 rows dated by the 19th, 20th or 21st birthday in the year ending ``reference_date``.

    The return is undated; the DfE cohort is defined by that birthday, so it stands in for the
    date of the contact. Without a reference date the 31 March after the latest birthday is used.
    """
    ref = reference_date or date(date.today().year, 3, 31)
    years = pl.lit(ref.year) - pl.col("DOB").dt.year()
    this_year = pl.col("DOB").dt.offset_by(pl.format("{}y", years))
    last_year = pl.col("DOB").dt.offset_by(pl.format("{}y", years - 1))
    birthday = pl.when(this_year > pl.lit(ref)).then(last_year).otherwise(this_year)
    return oc3.select(
        child_id="CHILD", date=birthday, in_touch="IN_TOUCH", activ="ACTIV", accom="ACCOM"
    )


def from_dir(directory: Path, *, population: int | None = None) -> JourneyFrames:
    """Frames from a directory (searched recursively) of CIN census XML files and SSDA903
    files (CSV, or XML), read by the returns' codecs; nothing is imported."""
    cins, lacs, years = _read_dir(Path(directory))
    return from_returns(cins, lacs, ssda903_years=years, population=population)


def from_region(directories: Sequence[Path], *, population: int | None = None) -> JourneyFrames:
    """Frames pooling several councils' returns, one directory per council: each council's
    child IDs are prefixed with its directory's name, since LA child IDs are only unique
    within a council."""
    cins: list[Return] = []
    lacs: list[Return] = []
    years: list[int | None] = []
    for directory in directories:
        c, lc, y = _read_dir(Path(directory))
        cins += [_prefixed(r, "LAchildID", Path(directory).name) for r in c]
        lacs += [_prefixed(r, "CHILD", Path(directory).name) for r in lc]
        years += y
    return from_returns(cins, lacs, ssda903_years=years, population=population)


def _prefixed(ret: Return, column: str, prefix: str) -> Return:
    return {
        name: df.with_columns(pl.format("{}:{}", pl.lit(prefix), pl.col(column)).alias(column))
        if column in df.columns
        else df
        for name, df in ret.items()
    }


def _read_dir(directory: Path) -> tuple[list[Return], list[Return], list[int | None]]:
    from safeguard.returns.codec import codec_for

    files = sorted(p for p in directory.rglob("*") if p.is_file())
    cin_files = [p for p in files if p.suffix.lower() == ".xml" and _is_cin_census(p)]
    lac_files = [p for p in files if p.suffix.lower() in (".csv", ".xml") and p not in cin_files]
    cin_codec, lac_codec = codec_for("cin-census"), codec_for("ssda903")
    cins = [cin_codec.read([p]).frames for p in cin_files]
    # An SSDA903 return is a set of CSV files in one directory (or one XML file): read each
    # return on its own, then pool them like the census years.
    groups: dict[Path, list[Path]] = {}
    for p in lac_files:
        groups.setdefault(p if p.suffix.lower() == ".xml" else p.parent, []).append(p)
    read = [lac_codec.read(paths) for _, paths in sorted(groups.items())]
    return cins, [r.frames for r in read], [r.year for r in read]


def _is_cin_census(path: Path) -> bool:
    """A CIN census XML names its collection (and has CINdetails) near the top."""
    with path.open("rb") as fh:
        head = fh.read(65536)
    return b"CINdetails" in head or b"<Collection>CIN" in head
