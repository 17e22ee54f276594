"""Load CIN census frames into the journey record, and make them from it for a census year.

`to_record`: one child is one child across sources, matched on LAchildID (created or updated).
A census for a year replaces, for the children in it, the census's episodes of need open in that
year (with the census's rows under them), so loading a corrected return leaves no duplicates; it
says how many rows it replaced. Rows of other sources (Annex A, recorded) hung on those rows are
never deleted: they are moved onto the new rows, or the old row they hang on is kept
(`others.py`). Everything happens in one transaction: all or nothing. Rows are prepared a table
at a time with polars and written in bulk (`bulk.py`).

`from_record`: the CIN census of a year from the record, whether recorded or imported: every
child with an episode of need open at any time in the year (referral on or before 31 March,
not closed before 1 April; shared/reference/cin-census.md section 1), with those episodes.

Mapping (CIN census -> record): CINdetails -> Referral; Assessments -> Assessment;
CINPlanDates -> ChildInNeedPlan; Section47 -> Section47, its DateOfInitialCPC -> an ICPC
Conference of that S47; CINdetails DateOfInitialCPC -> an ICPC Conference without a S47;
ChildProtectionPlans -> ChildProtectionPlan; CPPreviewDate -> an RCPC Conference of the plan.
Sex is kept in the record's 1/2/9/0 coding: M->1, F->2, U->0 (and 9 -> U going out).
Items with no field in the record are kept as `ReturnItem`s (see that model).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import polars as pl
from django.db import connection, transaction
from django.db.models import Model, Q

from safeguard.journey.models import (
    Assessment,
    Child,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Conference,
    Referral,
    Section47,
)

from ..bulk import (
    delete_ids,
    in_parts,
    insert_frame,
    json_list,
    keep_referenced,
    rows_in,
    update_frame,
)
from ..codec import LoadSummary
from ..models import ImportLog, ReturnItem
from ..tables import CIN_CENSUS, Return, conform, empty
from . import others

SOURCE_PREFIX = "cin-census"
BATCH = 2000

_SEX_TO_RECORD = {"M": "1", "F": "2", "U": "0"}
_RECORD_TO_SEX = {"1": "M", "2": "F", "9": "U", "0": "U"}
_CHILD_FIELDS = {
    "UPN": "upn",
    "FormerUPN": "former_upn",
    "UPNunknown": "upn_unknown",
    "PersonBirthDate": "date_of_birth",
    "ExpectedPersonBirthDate": "expected_date_of_birth",
    "sex": "sex",
    "Ethnicity": "ethnicity",
    "disabilities": "disabilities",
    "PersonDeathDate": "date_of_death",
}


def census_period(year: int) -> tuple[date, date]:
    """1 April to 31 March of the collection year ending in `year`."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def year_of(source: str) -> int | None:
    """The census year in a source such as "cin-census:2019"."""
    tail = source.rpartition(":")[2]
    return int(tail) if tail.isdigit() else None


# --- to_record ---------------------------------------------------------------------------------


def to_record(frames: Return, *, source: str) -> LoadSummary:
    """Load a CIN census into the record (all or nothing); returns what it wrote and replaced."""
    f = conform(frames, CIN_CENSUS)
    with transaction.atomic():
        ids = _upsert_children(f, source)
        old = _old_episodes(ids["child_id"].to_list(), year_of(source))
        written = _write_episodes(f, ids, source)
        replaced, notes = _replace(*old)
    written["Child"] = ids.height
    written.update(notes)
    return LoadSummary(children=ids.height, rows_written=written, replaced=replaced)


def _child_rows(f: Return) -> pl.DataFrame:
    """One row per LAchildID with the record's fields (first Child element wins)."""
    ident = f["ChildIdentifiers"].unique("LAchildID", keep="first", maintain_order=True)
    sex = pl.coalesce("GenderCurrent", pl.col("Sex").replace_strict(_SEX_TO_RECORD, default=None))
    eth = f["ChildCharacteristics"].unique("LAchildID", keep="first")
    dis = (
        f["Disabilities"]
        .drop_nulls("Disability")
        .group_by("LAchildID", maintain_order=True)
        .agg(pl.col("Disability").alias("disabilities"))
    )
    rows = (
        ident.with_columns(sex.alias("sex"))
        .join(eth.select("LAchildID", "Ethnicity"), on="LAchildID", how="left")
        .join(dis, on="LAchildID", how="left")
    )
    blanks = [
        pl.col(c).fill_null("") for c in ("UPN", "FormerUPN", "UPNunknown", "sex", "Ethnicity")
    ]
    return rows.with_columns(*blanks, pl.col("disabilities").fill_null([]))


def _upsert_children(f: Return, source: str) -> pl.DataFrame:
    """Create or update every child of the return; LAchildID -> child_id."""
    rows = (
        _child_rows(f)
        .rename({"LAchildID": "la_child_id"} | _CHILD_FIELDS)
        .select(
            "la_child_id",
            *[c for c in _CHILD_FIELDS.values() if c != "disabilities"],
            json_list("disabilities").alias("disabilities"),
        )
    )
    known = rows_in(Child, "la_child_id", rows["la_child_id"].to_list(), ["la_child_id", "id"])
    ids = pl.DataFrame(known, schema={"la_child_id": pl.Utf8, "id": pl.Int64}, orient="row")
    update_frame(Child, rows.join(ids, on="la_child_id"))
    new = rows.join(ids, on="la_child_id", how="anti")
    new_ids = insert_frame(Child, new.with_columns(pl.lit(source).alias("source")))
    both = pl.concat([ids, _with_ids(new.select("la_child_id"), new_ids, "id")])
    return both.select(pl.col("la_child_id").alias("LAchildID"), pl.col("id").alias("child_id"))


#: ReturnItem's `row` column (a word PostgreSQL reserves for row constructors), quoted.
_ROW_IS = '"row" = %s'
#: A row the census wrote (of any year), given len(SOURCE_PREFIX) and SOURCE_PREFIX.
_CENSUS_ROW = "substr(source, 1, %s) = %s"
_FAMILY = (Conference, ChildProtectionPlan, Section47, Assessment, ChildInNeedPlan, Referral)


def _old_episodes(
    child_ids: list[int], year: int | None
) -> tuple[dict[type[Model], set[int]], list[tuple[int, int]]]:
    """The imported episodes of these children open in the census year and every row under
    them, by model, found before the new ones are written; and the ReturnItems linking their
    conferences outside a S47 (item id, conference id)."""
    if year is None or not child_ids:
        return {}, []
    start, end = census_period(year)
    ops = connection.ops
    ref_ids = [
        r[0]
        for r in rows_in(
            Referral,
            "child_id",
            child_ids,
            ["id"],
            where=f"(closure_date IS NULL OR closure_date >= %s) AND referral_date <= %s "
            f"AND {_CENSUS_ROW}",
            params=[
                ops.adapt_datefield_value(start),
                ops.adapt_datefield_value(end),
                len(SOURCE_PREFIX),
                SOURCE_PREFIX,
            ],
        )
    ]
    if not ref_ids:
        return {}, []
    links = _conference_links(ref_ids)
    family = _family_ids(ref_ids, [conference for _, conference in links])
    return {m: set(family[m]) for m in _FAMILY}, links


def _replace(
    old: dict[type[Model], set[int]], links: list[tuple[int, int]]
) -> tuple[dict[str, int], dict[str, int]]:
    """Delete the old episodes, the new ones written: rows of other sources hung on them are
    moved onto the new rows first, and an old row something still points to is kept
    (`others.py`). Rows deleted by kind, and the moved and kept counts to report."""
    if not old:
        return {}, {}
    notes = others.move_off(old, SOURCE_PREFIX)
    for model, n in keep_referenced(old).items():
        notes[others.KEPT.format(model=model.__name__)] = n
    items = [item for item, conference in links if conference in old[Conference]]
    for row, model in (("assessment", Assessment), ("section47", Section47)):
        items += _ids(ReturnItem, "row_id", sorted(old[model]), where=_ROW_IS, params=[row])
    delete_ids(ReturnItem, items)
    handled = frozenset(_FAMILY)
    counts = {m.__name__: delete_ids(m, sorted(old[m]), handled=handled) for m in _FAMILY}
    return {k: v for k, v in counts.items() if v}, notes


def _ids(model, column: str, values: list, **where) -> list[int]:
    return [r[0] for r in rows_in(model, column, values, ["id"], **where)]


def _conference_links(ref_ids: list[int]) -> list[tuple[int, int]]:
    """(ReturnItem id, conference id) of the items linking a conference outside a S47 to one
    of these episodes."""
    return rows_in(
        ReturnItem,
        "value",
        [str(i) for i in ref_ids],
        ["id", "row_id"],
        where=f"{_ROW_IS} AND name = %s",
        params=["conference", "referral"],
    )


def _family_ids(ref_ids: list[int], linked_conferences: list[int]) -> dict:
    """The ids of the episodes and of every census row under them (conferences by any of 3
    links: `linked_conferences` are those linked to the episodes by a ReturnItem). Rows of
    other sources under them are not the census's to replace (`others.py`)."""
    out: dict = {Referral: ref_ids}
    for model in (Assessment, ChildInNeedPlan, Section47, ChildProtectionPlan):
        out[model] = _census_ids(model, "referral_id", ref_ids)
    confs = set(linked_conferences)
    confs.update(_census_ids(Conference, "section47_id", out[Section47]))
    confs.update(_census_ids(Conference, "cp_plan_id", out[ChildProtectionPlan]))
    out[Conference] = sorted(confs)
    return out


def _census_ids(model, column: str, values: list) -> list[int]:
    """The ids of the census's rows (of any year) whose `column` is one of `values`."""
    return _ids(
        model, column, values, where=_CENSUS_ROW, params=[len(SOURCE_PREFIX), SOURCE_PREFIX]
    )


def _with_ids(df: pl.DataFrame, ids: list[int], name: str) -> pl.DataFrame:
    return df.with_columns(pl.Series(name, ids, dtype=pl.Int64))


def _blank(column: str) -> pl.Expr:
    return pl.col(column).fill_null("")


def _write_episodes(f: Return, children: pl.DataFrame, source: str) -> dict[str, int]:
    """Referrals and everything under them; rows written per model."""
    src = pl.lit(source).alias("source")
    det = f["CINdetails"].join(children, on="LAchildID", how="inner")
    ref_ids = insert_frame(
        Referral,
        det.select(
            "child_id",
            pl.col("CINreferralDate").alias("referral_date"),
            _blank("ReferralSource").alias("referral_source"),
            pl.col("ReferralNFA").fill_null(False).alias("referral_nfa"),
            _blank("PrimaryNeedCode").alias("primary_need"),
            pl.col("CINclosureDate").alias("closure_date"),
            _blank("ReasonForClosure").alias("reason_for_closure"),
            src,
        ),
    )
    refs = _with_ids(det, ref_ids, "referral_id").select(
        "LAchildID", "CINdetailsID", "child_id", "referral_id"
    )
    key = ["LAchildID", "CINdetailsID"]
    written = {"Referral": len(ref_ids)}
    written["Assessment"] = _write_assessments(f["Assessments"].join(refs, on=key), src)
    plans = f["CINplanDates"].join(refs, on=key)
    written["ChildInNeedPlan"] = len(
        insert_frame(
            ChildInNeedPlan,
            plans.select(
                "referral_id",
                "child_id",
                pl.col("CINPlanStartDate").alias("start_date"),
                pl.col("CINPlanEndDate").alias("end_date"),
                src,
            ),
        )
    )
    s47 = f["Section47"].join(refs, on=key)
    conferences = _write_section47s(s47, src)
    conferences += _write_detail_icpcs(det.join(refs.select(*key, "referral_id"), on=key), src)
    cpps = f["ChildProtectionPlans"].join(refs, on=key)
    conferences += _write_cp_plans(cpps, f["Reviews"], src)
    written.update(Section47=s47.height, ChildProtectionPlan=cpps.height, Conference=conferences)
    return written


def _write_assessments(rows: pl.DataFrame, src: pl.Expr) -> int:
    ids = insert_frame(
        Assessment,
        rows.select(
            "referral_id",
            "child_id",
            pl.col("AssessmentActualStartDate").alias("start_date"),
            pl.col("AssessmentAuthorisationDate").alias("authorisation_date"),
            json_list("AssessmentFactors").alias("factors"),
            src,
        ),
    )
    _items("assessment", _with_ids(rows, ids, "row_id"), ["AssessmentInternalReviewDate"])
    return len(ids)


def _items(row: str, df: pl.DataFrame, columns: list[str]) -> None:
    """Keep return items the record has no field for, one ReturnItem per non-empty value."""
    long = (
        df.select("row_id", *[pl.col(c).cast(pl.Utf8) for c in columns])
        .unpivot(index="row_id", variable_name="name", value_name="value")
        .drop_nulls("value")
    )
    insert_frame(ReturnItem, long.select(pl.lit(row).alias("row"), "row_id", "name", "value"))


def _conferences(df: pl.DataFrame, kind: str, date_col: str, link: str, src: pl.Expr) -> int:
    return len(
        insert_frame(
            Conference,
            df.select(
                "child_id", pl.lit(kind).alias("kind"), pl.col(date_col).alias("date"), link, src
            ),
        )
    )


def _write_section47s(rows: pl.DataFrame, src: pl.Expr) -> int:
    ids = insert_frame(
        Section47,
        rows.select(
            "referral_id",
            "child_id",
            pl.col("S47ActualStartDate").alias("strategy_discussion_date"),
            pl.col("ICPCnotRequired").fill_null(False).alias("icpc_not_required"),
            src,
        ),
    )
    rows = _with_ids(rows, ids, "row_id")
    _items("section47", rows, ["InitialCPCtarget"])
    icpc = rows.drop_nulls("DateOfInitialCPC").with_columns(pl.col("row_id").alias("section47_id"))
    return _conferences(icpc, "ICPC", "DateOfInitialCPC", "section47_id", src)


def _write_detail_icpcs(det: pl.DataFrame, src: pl.Expr) -> int:
    """An ICPC recorded on the episode, not a S47 (e.g. a transfer-in conference)."""
    rows = det.drop_nulls("DateOfInitialCPC")
    ids = insert_frame(
        Conference,
        rows.select(
            "child_id", pl.lit("ICPC").alias("kind"), pl.col("DateOfInitialCPC").alias("date"), src
        ),
    )
    _items(
        "conference",
        _with_ids(rows, ids, "row_id").with_columns(pl.col("referral_id").alias("referral")),
        ["referral"],
    )
    return len(ids)


def _write_cp_plans(cpps: pl.DataFrame, reviews: pl.DataFrame, src: pl.Expr) -> int:
    ids = insert_frame(
        ChildProtectionPlan,
        cpps.select(
            "referral_id",
            "child_id",
            pl.col("CPPstartDate").alias("start_date"),
            pl.col("CPPendDate").alias("end_date"),
            _blank("InitialCategoryOfAbuse").alias("initial_category"),
            _blank("LatestCategoryOfAbuse").alias("latest_category"),
            pl.col("NumberOfPreviousCPP").fill_null(0).alias("previous_plans"),
            src,
        ),
    )
    plans = _with_ids(cpps, ids, "cp_plan_id").select(
        "LAchildID", "CINdetailsID", "CPPID", "child_id", "cp_plan_id"
    )
    rev = reviews.join(plans, on=["LAchildID", "CINdetailsID", "CPPID"])
    return _conferences(rev, "RCPC", "CPPreviewDate", "cp_plan_id", src)


# --- from_record -------------------------------------------------------------------------------


def _frame(qs, columns: dict[str, pl.DataType]) -> pl.DataFrame:
    """A queryset's values_list as a typed polars frame (columns named as given)."""
    rows = list(qs.values_list(*columns))
    return pl.DataFrame(rows, schema=columns, orient="row")


def _rank(df: pl.DataFrame, by: list[str], over: list[str], name: str) -> pl.DataFrame:
    """Number rows 1.. within each group in `by` order: the XML position of an episode."""
    return df.sort([*over, *by]).with_columns(pl.int_range(1, pl.len() + 1).over(over).alias(name))


def _blank_to_null(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(pl.col(pl.Utf8).replace("", None))


def from_record(
    *,
    year: int | None = None,
    as_at: date | None = None,
    la_child_ids: Iterable[str] | None = None,
) -> Return:
    """The CIN census for collection `year` (by its end) from the record; with `la_child_ids`,
    only those children's part of it (to check one child's record as it is saved)."""
    if year is None:
        raise ValueError("The CIN census is made for a collection year (--year).")
    start, end = census_period(year)
    scope = Referral.objects.filter(
        Q(closure_date__isnull=True) | Q(closure_date__gte=start), referral_date__lte=end
    )
    if la_child_ids is not None:
        scope = scope.filter(child__la_child_id__in=list(la_child_ids))
    D, S, B, I = pl.Date, pl.Utf8, pl.Boolean, pl.Int64  # noqa: E741
    refs = _frame(
        scope,
        {
            "id": I,
            "child_id": I,
            "referral_date": D,
            "referral_source": S,
            "primary_need": S,
            "closure_date": D,
            "reason_for_closure": S,
            "referral_nfa": B,
        },
    )
    if refs.is_empty():
        out = empty(CIN_CENSUS)
        out["Header"] = _header(year)
        return out
    refs = _rank(refs, ["referral_date", "id"], ["child_id"], "CINdetailsID")
    children = _children(refs["child_id"].unique().to_list())
    refs = refs.join(children.select("child_id", "LAchildID"), on="child_id")
    out = {"Header": _header(year), **_child_tables(children, year), **_episode_tables(scope, refs)}
    return conform({k: _blank_to_null(v) for k, v in out.items()}, CIN_CENSUS)


def _header(year: int) -> pl.DataFrame:
    last = (
        ImportLog.objects.filter(kind=SOURCE_PREFIX)
        .exclude(header={})
        .order_by("-imported_at")
        .first()
    )
    head = dict(last.header) if last else {}
    row = {
        "Collection": "CIN",
        "Year": str(year),
        "ReferenceDate": date(year, 3, 31),
        "SourceLevel": "L",
        "LEA": head.get("LEA"),
        "SoftwareCode": "Safeguard",
        "Release": None,
        "SerialNo": None,
        "DateTime": None,
    }
    return pl.DataFrame([row], schema=CIN_CENSUS["Header"], orient="row")


def _children(child_ids: list[int]) -> pl.DataFrame:
    D, S, I = pl.Date, pl.Utf8, pl.Int64  # noqa: E741
    cols = {
        "id": I,
        "la_child_id": S,
        "upn": S,
        "former_upn": S,
        "upn_unknown": S,
        "date_of_birth": D,
        "expected_date_of_birth": D,
        "sex": S,
        "ethnicity": S,
        "date_of_death": D,
    }
    parts = [_frame(Child.objects.filter(pk__in=p), cols) for p in in_parts(child_ids)]
    kids = pl.concat(parts) if parts else pl.DataFrame(schema=cols)
    dis = []
    for p in in_parts(child_ids):
        dis.extend(Child.objects.filter(pk__in=p).values_list("id", "disabilities"))
    dis_df = pl.DataFrame(dis, schema={"child_id": I, "Disability": pl.List(S)}, orient="row")
    kids = kids.rename({"id": "child_id", "la_child_id": "LAchildID"})
    return kids.join(dis_df, on="child_id", how="left")


def _child_tables(kids: pl.DataFrame, year: int) -> Return:
    sex = pl.col("sex").replace("", None)
    if year >= 2025:
        sexes = [
            pl.lit(None, pl.Utf8).alias("GenderCurrent"),
            sex.replace_strict(_RECORD_TO_SEX, default=None).alias("Sex"),
        ]
    else:
        sexes = [sex.alias("GenderCurrent"), pl.lit(None, pl.Utf8).alias("Sex")]
    ident = kids.sort("LAchildID").select(
        "LAchildID",
        pl.col("upn").alias("UPN"),
        pl.col("former_upn").alias("FormerUPN"),
        pl.col("upn_unknown").alias("UPNunknown"),
        pl.col("date_of_birth").alias("PersonBirthDate"),
        pl.col("expected_date_of_birth").alias("ExpectedPersonBirthDate"),
        *sexes,
        pl.col("date_of_death").alias("PersonDeathDate"),
    )
    chars = kids.select("LAchildID", pl.col("ethnicity").alias("Ethnicity"))
    dis = kids.select("LAchildID", "Disability").explode("Disability", empty_as_null=True)
    dis = dis.drop_nulls("Disability")
    return {"ChildIdentifiers": ident, "ChildCharacteristics": chars, "Disabilities": dis}


def _items_of(row: str, ids: list[int]) -> pl.DataFrame:
    items = []
    for p in in_parts(ids):
        items.extend(
            ReturnItem.objects.filter(row=row, row_id__in=p).values_list("row_id", "name", "value")
        )
    df = pl.DataFrame(
        items, schema={"row_id": pl.Int64, "name": pl.Utf8, "value": pl.Utf8}, orient="row"
    )
    return df


def _item_column(df: pl.DataFrame, row: str, name: str, dtype: pl.DataType) -> pl.DataFrame:
    """Join one ReturnItem as a column of `df` (by its `id`)."""
    items = _items_of(row, df["id"].to_list()).filter(pl.col("name") == name)
    col = items.select(pl.col("row_id").alias("id"), pl.col("value").alias(name))
    if dtype == pl.Date:
        col = col.with_columns(pl.col(name).str.to_date("%Y-%m-%d", strict=False))
    return df.join(col, on="id", how="left")


def _episode_tables(scope, refs: pl.DataFrame) -> Return:
    D, B, I = pl.Date, pl.Boolean, pl.Int64  # noqa: E741
    key = refs.select(pl.col("id").alias("referral_id"), "LAchildID", "CINdetailsID")
    in_scope = {"referral__in": scope}
    s47 = _frame(
        Section47.objects.filter(**in_scope),
        {"id": I, "referral_id": I, "strategy_discussion_date": D, "icpc_not_required": B},
    )
    s47 = _item_column(s47, "section47", "InitialCPCtarget", D)
    s47_icpc = _frame(
        Conference.objects.filter(kind="ICPC", section47__referral__in=scope),
        {"section47_id": I, "date": D},
    ).unique("section47_id", keep="first")
    s47 = (
        s47.join(
            s47_icpc.rename({"section47_id": "id", "date": "DateOfInitialCPC"}), on="id", how="left"
        )
        .join(key, on="referral_id")
        .pipe(_rank, ["strategy_discussion_date", "id"], ["referral_id"], "S47ID")
        .rename(
            {
                "strategy_discussion_date": "S47ActualStartDate",
                "icpc_not_required": "ICPCnotRequired",
            }
        )
    )
    return {
        "CINdetails": _details(refs),
        "Assessments": _assessments(scope, key),
        "CINplanDates": _plans(scope, key),
        "Section47": s47,
        **_cp_tables(scope, key),
    }


def _details(refs: pl.DataFrame) -> pl.DataFrame:
    ids = refs["id"].to_list()
    links = _items_of_value("conference", "referral", ids)
    confs = []
    for p in in_parts(links["row_id"].to_list()):
        confs.extend(Conference.objects.filter(pk__in=p).values_list("id", "date"))
    conf = (
        pl.DataFrame(confs, schema={"row_id": pl.Int64, "DateOfInitialCPC": pl.Date}, orient="row")
        .join(links, on="row_id")
        .unique("id", keep="first")
    )
    return refs.join(conf.select("id", "DateOfInitialCPC"), on="id", how="left").rename(
        {
            "referral_date": "CINreferralDate",
            "referral_source": "ReferralSource",
            "primary_need": "PrimaryNeedCode",
            "closure_date": "CINclosureDate",
            "reason_for_closure": "ReasonForClosure",
            "referral_nfa": "ReferralNFA",
        }
    )


def _items_of_value(row: str, name: str, values: list[int]) -> pl.DataFrame:
    """ReturnItems whose value is one of `values` (e.g. conferences linked to referrals)."""
    items = []
    for p in in_parts([str(v) for v in values]):
        items.extend(
            ReturnItem.objects.filter(row=row, name=name, value__in=p).values_list(
                "row_id", "value"
            )
        )
    df = pl.DataFrame(items, schema={"row_id": pl.Int64, "value": pl.Utf8}, orient="row")
    return df.select("row_id", pl.col("value").cast(pl.Int64).alias("id"))


def _assessments(scope, key: pl.DataFrame) -> pl.DataFrame:
    D, I = pl.Date, pl.Int64  # noqa: E741
    a = _frame(
        Assessment.objects.filter(referral__in=scope),
        {"id": I, "referral_id": I, "start_date": D, "authorisation_date": D},
    )
    factors = list(Assessment.objects.filter(referral__in=scope).values_list("id", "factors"))
    fac = pl.DataFrame(
        factors, schema={"id": I, "AssessmentFactors": pl.List(pl.Utf8)}, orient="row"
    )
    a = _item_column(
        a.join(fac, on="id", how="left"), "assessment", "AssessmentInternalReviewDate", D
    )
    return (
        a.join(key, on="referral_id")
        .pipe(_rank, ["start_date", "id"], ["referral_id"], "AssessmentID")
        .rename(
            {
                "start_date": "AssessmentActualStartDate",
                "authorisation_date": "AssessmentAuthorisationDate",
            }
        )
    )


def _plans(scope, key: pl.DataFrame) -> pl.DataFrame:
    p = _frame(
        ChildInNeedPlan.objects.filter(referral__in=scope),
        {"referral_id": pl.Int64, "start_date": pl.Date, "end_date": pl.Date},
    )
    return p.join(key, on="referral_id").rename(
        {"start_date": "CINPlanStartDate", "end_date": "CINPlanEndDate"}
    )


def _cp_tables(scope, key: pl.DataFrame) -> Return:
    D, S, I = pl.Date, pl.Utf8, pl.Int64  # noqa: E741
    c = _frame(
        ChildProtectionPlan.objects.filter(referral__in=scope),
        {
            "id": I,
            "referral_id": I,
            "start_date": D,
            "end_date": D,
            "initial_category": S,
            "latest_category": S,
            "previous_plans": I,
        },
    )
    c = (
        c.join(key, on="referral_id")
        .pipe(_rank, ["start_date", "id"], ["referral_id"], "CPPID")
        .rename(
            {
                "start_date": "CPPstartDate",
                "end_date": "CPPendDate",
                "initial_category": "InitialCategoryOfAbuse",
                "latest_category": "LatestCategoryOfAbuse",
                "previous_plans": "NumberOfPreviousCPP",
            }
        )
    )
    r = _frame(
        Conference.objects.filter(kind="RCPC", cp_plan__referral__in=scope),
        {"cp_plan_id": I, "date": D},
    )
    reviews = r.join(
        c.select(pl.col("id").alias("cp_plan_id"), "LAchildID", "CINdetailsID", "CPPID"),
        on="cp_plan_id",
    ).rename({"date": "CPPreviewDate"})
    return {"ChildProtectionPlans": c, "Reviews": reviews}
