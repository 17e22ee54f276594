"""Read the journey record back as an SSDA903 return for a collection year.

Works the same whether the data were recorded in Safeguard or loaded from earlier returns: the
database is asked only for roughly the right rows; which rows make the year's return is decided
by `mapping.select_year`, a pure function over frames.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl
from django.db.models import Q

from safeguard.journey import models as jm
from safeguard.returns.tables import Return

from . import mapping, spec
from .load import MODELS, fields_of, polars_type

_CHILD_SCHEMA = {
    "CHILD": pl.Utf8,
    "source": pl.Utf8,
    "sex": pl.Utf8,
    "date_of_birth": pl.Date,
    "ethnicity": pl.Utf8,
    "upn": pl.Utf8,
    "upn_unknown": pl.Utf8,
    "mother": pl.Boolean,
    "mother_child_dob": pl.Date,
    "uasc": pl.Boolean,
    "uasc_ceased": pl.Date,
}


def _prefilter(name: str, year: int, source: str) -> Q:
    """A database filter that keeps at least every row `select_year` may want."""
    start, end = spec.year_bounds(year)
    overlap = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    own = Q(source=source)
    return {
        "CareEpisode": overlap | own,
        "SocialWorkerEpisode": overlap | own,
        "DeprivationOfLiberty": overlap | own,
        "MissingEpisode": overlap | own,
        "LookedAfterReview": Q(date__range=(start, end)) | own,
        "CareLeaverContact": Q(date__range=(start, end)) | own,
        "HealthOutcome": Q(year=year),
    }.get(name, Q())


def model_frames(
    year: int, source: str, la_child_ids: list[str] | None = None
) -> dict[str, pl.DataFrame]:
    """Each model's candidate rows as a frame: CHILD, source and the fields a return uses
    (only those children's rows, with `la_child_ids`)."""
    out = {}
    only = Q() if la_child_ids is None else Q(child__la_child_id__in=la_child_ids)
    for name, model in MODELS.items():
        fields = fields_of(name)
        rows = model.objects.filter(_prefilter(name, year, source), only).values_list(
            "child__la_child_id", "source", *fields
        )
        empty = {f.name: polars_type(f) for f in model._meta.concrete_fields if f.name in fields}
        out[name] = pl.DataFrame(
            list(rows), schema={"CHILD": pl.Utf8, "source": pl.Utf8, **empty}, orient="row"
        )
    return out


def child_frame(
    la_ids: list[str], source: str, la_child_ids: list[str] | None = None
) -> pl.DataFrame:
    """The children named, and the children the year's own return brought in (of
    `la_child_ids` only, when given)."""
    cols = ["la_child_id", "source", *mapping.CHILD_FIELDS, "uasc", "uasc_ceased"]
    own = jm.Child.objects.filter(source=source)
    if la_child_ids is not None:
        own = own.filter(la_child_id__in=la_child_ids)
    rows = list(own.values_list(*cols))
    for i in range(0, len(la_ids), 900):
        rows.extend(
            jm.Child.objects.filter(la_child_id__in=la_ids[i : i + 900])
            .exclude(source=source)
            .values_list(*cols)
        )
    return pl.DataFrame(rows, schema=_CHILD_SCHEMA, orient="row")


def from_record(*, year: int, la_child_ids: Iterable[str] | None = None) -> Return:
    """The SSDA903 return of a collection year (2019 = 2018-19) from the record; with
    `la_child_ids`, only those children's part of it (to check one child as it is saved)."""
    only = None if la_child_ids is None else list(la_child_ids)
    source = f"{mapping.SOURCE_PREFIX}{year}"
    models = model_frames(year, source, only)
    la_ids = pl.concat([m.select("CHILD") for m in models.values()]).unique()
    children = child_frame(la_ids.get_column("CHILD").to_list(), source, only)
    frames = _uasc_in_year(mapping.select_year(models, children, year=year, source=source), year)
    return {t: _conform(frames.get(t), cols) for t, cols in spec.TABLES.items()}


def _uasc_in_year(frames: dict[str, pl.DataFrame], year: int) -> dict[str, pl.DataFrame]:
    """The UASC rows of children still UASC at some time in the year (status not ceased before
    1 April; rule 205A expects a child whose status ceased last year to be UASC 0 this year,
    with no date ceased), and the Header's UASC flag: "1" for them, "0" for everyone else."""
    start, _ = spec.year_bounds(year)
    uasc = frames["UASC"].filter(pl.col("DUC").is_null() | (pl.col("DUC") >= start))
    flag = pl.when(pl.col("CHILD").is_in(uasc.get_column("CHILD").implode())).then(pl.lit("1"))
    header = frames["Header"].with_columns(flag.otherwise(pl.lit("0")).alias("UASC"))
    return {**frames, "UASC": uasc, "Header": header}


def _conform(df: pl.DataFrame | None, cols: dict) -> pl.DataFrame:
    if df is None:
        return pl.DataFrame(schema=cols)
    return df.select(
        [
            pl.col(c).cast(t) if c in df.columns else pl.lit(None, dtype=t).alias(c)
            for c, t in cols.items()
        ]
    )
