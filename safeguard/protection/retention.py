"""Retention rules as data, legal holds, the disposal report (the dry run) and disposal itself.

Each child's record is kept until the latest date any rule that applies to it gives:

- looked after (any care episode): the 75th anniversary of birth, or 15 years from death if the
  child died before 18 (Care Planning, Placement and Case Review (England) Regs 2010 reg 50);
- adopted (an adoption order): 100 years from the adoption order (Disclosure of Adoption
  Information (Post-Commencement Adoptions) Regs 2005, SI 2005/888, reg 6);
- otherwise known to the service (children in need, child protection, contacts): no statutory
  period; a local rule, SAFEGUARD_RETENTION["cin_years_from_birth"] (default 25th birthday).

A record is due for disposal on its retain-until date and after. An anniversary of 29 February
falls on 1 March in a common year: the later of the two candidate days, so never early.

`dispose()` carries the report out: in one transaction it recomputes the very list the dry run
gives (`due_for_disposal`, so held records are never in it) and destroys those children's
records, their change history and the logs of who read and what was disclosed about them, and
writes a `Disposal` log row listing every child and every row removed. The files of their
attached documents are deleted once that transaction has committed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import polars as pl
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, models, transaction
from django.utils import timezone

from safeguard.journey import document_store
from safeguard.journey.models import Adoption, CareEpisode, Child, ChildDocument

from .append_only import disposal_allowed
from .models import Disposal, LegalHold

DUE, HELD, RETAIN, UNKNOWN = "due", "held", "retain", "no date of birth"


@dataclass(frozen=True)
class RetentionRule:
    """One retention rule: which records, from which date, how many years, on whose authority."""

    key: str
    title: str
    anchor: str  # "birth" or "adoption_order"
    years: int
    source: str


def rules() -> tuple[RetentionRule, ...]:
    """The rules in force (the children-in-need period is configurable)."""
    cin_years = getattr(settings, "SAFEGUARD_RETENTION", {}).get("cin_years_from_birth", 25)
    return (
        RetentionRule(
            "looked_after",
            "Looked-after child's case record",
            "birth",
            75,
            "CPPCR (England) Regs 2010 reg 50; 15 years from death if died before 18",
        ),
        RetentionRule(
            "adoption", "Adoption case record", "adoption_order", 100, "SI 2005/888 reg 6"
        ),
        RetentionRule(
            "child_in_need",
            "Child in need / child protection record",
            "birth",
            cin_years,
            "Local policy (SAFEGUARD_RETENTION['cin_years_from_birth'])",
        ),
    )


LAC_DEATH_YEARS = 15
LAC_DEATH_BEFORE_AGE = 18


def anniversary(column: pl.Expr, years: int) -> pl.Expr:
    """The `years`th anniversary of a date; 29 February goes to 1 March in a common year."""
    shifted = column.dt.offset_by(f"{years}y")
    leap_day = (column.dt.month() == 2) & (column.dt.day() == 29) & (shifted.dt.day() == 28)
    return pl.when(leap_day).then(shifted.dt.offset_by("1d")).otherwise(shifted)


def children_frame() -> pl.DataFrame:
    """One row per child: birth (or expected birth), death, looked after, last adoption order."""
    schema = {"child_id": pl.Int64, "la_child_id": pl.String, "born": pl.Date, "died": pl.Date}
    rows = Child.objects.values_list(
        "pk", "la_child_id", "date_of_birth", "expected_date_of_birth", "date_of_death"
    )
    frame = pl.DataFrame(
        [(pk, la, dob or edob, dod) for pk, la, dob, edob, dod in rows], schema=schema, orient="row"
    )
    lac = pl.DataFrame(
        {"child_id": list(CareEpisode.objects.values_list("child_id", flat=True).distinct())},
        schema={"child_id": pl.Int64},
    )
    orders = pl.DataFrame(
        list(
            Adoption.objects.filter(order_date__isnull=False).values_list("child_id", "order_date")
        ),
        schema={"child_id": pl.Int64, "order": pl.Date},
        orient="row",
    )
    return frame.with_columns(
        pl.col("child_id").is_in(lac["child_id"].implode()).alias("looked_after")
    ).join(orders.group_by("child_id").agg(pl.col("order").max()), on="child_id", how="left")


def retain_until(frame: pl.DataFrame) -> pl.DataFrame:
    """Add each rule's date and the governing rule and date (the latest) to the frame."""
    lac, adoption, cin = rules()
    died_young = pl.col("died") < anniversary(pl.col("born"), LAC_DEATH_BEFORE_AGE)
    lac_date = (
        pl.when(died_young)
        .then(anniversary(pl.col("died"), LAC_DEATH_YEARS))
        .otherwise(anniversary(pl.col("born"), lac.years))
    )
    dates = frame.with_columns(
        pl.when(pl.col("looked_after")).then(lac_date).alias(lac.key),
        anniversary(pl.col("order"), adoption.years).alias(adoption.key),
        anniversary(pl.col("born"), cin.years).alias(cin.key),
    )
    keys = [lac.key, adoption.key, cin.key]
    latest = pl.max_horizontal(keys)
    rule = pl.coalesce([pl.when(pl.col(k) == latest).then(pl.lit(k)) for k in keys])
    return dates.with_columns(latest.alias("retain_until"), rule.alias("rule"))


def held_children(as_at: date) -> tuple[bool, set[int]]:
    """Whether a global hold is in force, and the children under their own hold."""
    holds = LegalHold.objects.active(as_at)
    return (
        holds.filter(child__isnull=True).exists(),
        set(holds.filter(child__isnull=False).values_list("child_id", flat=True)),
    )


def disposal_report(as_at: date) -> pl.DataFrame:
    """Every child with its rule, retain-until date and status on `as_at` (due, held, retain)."""
    frame = retain_until(children_frame())
    global_hold, held = held_children(as_at)
    is_due = pl.col("retain_until") <= pl.lit(as_at)
    under_hold = pl.lit(global_hold) | pl.col("child_id").is_in(list(held))
    status = (
        pl.when(pl.col("retain_until").is_null())
        .then(pl.lit(UNKNOWN))
        .when(is_due & under_hold)
        .then(pl.lit(HELD))
        .when(is_due)
        .then(pl.lit(DUE))
        .otherwise(pl.lit(RETAIN))
    )
    return (
        frame.with_columns(status.alias("status"))
        .select("child_id", "la_child_id", "rule", "retain_until", "status")
        .sort("child_id")
    )


def due_for_disposal(as_at: date) -> pl.DataFrame:
    """Only the records due for disposal on `as_at`: held ones are never in this list."""
    return disposal_report(as_at).filter(pl.col("status") == DUE)


NOT_BEFORE_TODAY = (
    "Disposal as at {as_at} refused: records can only be disposed of as at today ({today}) or "
    "an earlier date; a later date would destroy records before their retention ends."
)
BATCH = 500


class DisposalRefused(Exception):
    """Nothing was disposed of; the message says why."""


def dispose(as_at: date, *, user: AbstractBaseUser | None = None) -> Disposal | None:
    """Destroy every record due on `as_at` (the dry run's list, exactly); log it. All or nothing.

    Returns the log row, or None when nothing was due.
    """
    today = timezone.localdate()
    if as_at > today:
        raise DisposalRefused(NOT_BEFORE_TODAY.format(as_at=as_at, today=today))
    with transaction.atomic(), disposal_allowed(connection):
        due = due_for_disposal(as_at)
        if due.is_empty():
            return None
        doomed = record_rows(due["child_id"].to_list())
        files = _document_files(doomed.get(ChildDocument, []))
        # The files go once the rows are gone for good: a rolled-back disposal keeps both.
        transaction.on_commit(lambda: document_store.delete_files(files))
        for model, pks in list(doomed.items()):
            history = getattr(model, "history", None)
            if history is not None:  # the record's change history goes with it
                hist = history.model
                doomed[hist] = _ids(hist._base_manager.filter(id__in=pks))
        for model, pks in doomed.items():
            for start in range(0, len(pks), BATCH):  # foreign keys are checked at commit
                chunk = model._base_manager.filter(pk__in=pks[start : start + BATCH])
                chunk._raw_delete(chunk.db)
        return Disposal.objects.create(
            as_at=as_at,
            disposed_by=user,
            children=[
                {**row, "retain_until": row["retain_until"].isoformat()}
                for row in due.select("child_id", "la_child_id", "rule", "retain_until").to_dicts()
            ],
            rows={m._meta.db_table: pks for m, pks in doomed.items() if pks},
        )


def _document_files(pks: list[int]) -> list[str]:
    """The stored names of these documents' files (every version in their history too)."""
    names: set[str] = set()
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        for model in (ChildDocument, ChildDocument.history.model):
            rows = model._base_manager.filter(id__in=chunk).values_list("stored_name", flat=True)
            names.update(str(n) for n in rows)
    return sorted(names)


def _ids(qs: models.QuerySet) -> list[int]:
    return sorted(qs.values_list("pk", flat=True))


def _reverse_links(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Foreign keys pointing at a model, hidden ones too (the access log's, m2m link tables'),
    except history tables' (DO_NOTHING, no constraint: their rows are purged by record id)."""
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if (f.one_to_many or f.one_to_one)
        and f.auto_created
        and not f.concrete
        and f.on_delete is not models.DO_NOTHING
    ]


def record_rows(child_ids: list[int]) -> dict[type[models.Model], list[int]]:
    """Every row that belongs to these children's records: the children, every row pointing at
    them, every row pointing at those, and so on (reverse foreign keys, whatever their
    on_delete: every model says PROTECT to Child so nothing is lost by accident). History
    tables (no real foreign key) are left to the caller. One query per model per level."""
    rows: dict[type[models.Model], set[int]] = defaultdict(set)
    rows[Child] = set(child_ids)
    frontier: list[tuple[type[models.Model], list[int]]] = [(Child, list(child_ids))]
    while frontier:
        model, pks = frontier.pop()
        for rel in _reverse_links(model):
            related = rel.related_model
            new: set[int] = set()
            for start in range(0, len(pks), BATCH):
                qs = related._base_manager.filter(
                    **{f"{rel.field.name}__in": pks[start : start + BATCH]}
                )
                new.update(qs.values_list("pk", flat=True))
            new -= rows[related]
            if new:
                rows[related] |= new
                frontier.append((related, sorted(new)))
    return {model: sorted(pks) for model, pks in rows.items() if pks}
