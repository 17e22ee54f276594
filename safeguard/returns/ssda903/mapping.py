"""Which 903 column is which field of the journey record, and the pure frame work on both sides.

Declared once here and read by the loader (`load.py`) and the exporter (`export.py`). Everything
in this module is polars over whole tables, with no database: the DB code only moves frames.

Choices worth knowing:
- OC3 has no date in the return; a care leaver's contact is dated on the young person's birthday
  in the collection year (the DfE asks for the information "around" the 17th-21st birthday),
  29 February falling on 28 February in other years; 31 March of the year if DOB is unknown.
- AD1 and PlacedAdoption describe one adoption decision: AD1's DATE_INT (date of the decision
  that the child should be placed) and PlacedAdoption's DATE_PLACED are the same date for the same
  decision, so both rows land on one `Adoption` keyed on (child, decision date). The placement
  order date is the start of the child's first E1 episode; the adoption order date is the end of
  an episode ending E11/E12; the date placed for adoption is the first A3-A6 placement start on or
  after the decision.
- A Header UPN that is an unknown-UPN code (UN1..UN7) is kept in `upn_unknown`, not `upn`.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from safeguard.codes import cin

from . import spec

SOURCE_PREFIX = "ssda903:"

#: 903 column -> model field, per table that maps to one model.
EPISODE = {
    "DECOM": "start_date",
    "RNE": "reason_new_episode",
    "LS": "legal_status",
    "CIN": "category_of_need",
    "PLACE": "placement_type",
    "PLACE_PROVIDER": "placement_provider",
    "DEC": "end_date",
    "REC": "reason_ended",
    "REASON_PLACE_CHANGE": "reason_place_change",
    "HOME_POST": "home_postcode",
    "PL_POST": "placement_postcode",
    "URN": "urn",
}
REVIEW = {"REVIEW": "date", "REVIEW_CODE": "participation"}
MISSING = {"MISSING": "kind", "MIS_START": "start_date", "MIS_END": "end_date"}
OC2_FLAGS = {
    "CONVICTED": "convicted",
    "HEALTH_CHECK": "health_check",
    "IMMUNISATIONS": "immunisations",
    "TEETH_CHECK": "teeth_check",
    "HEALTH_ASSESSMENT": "health_assessment",
    "SUBSTANCE_MISUSE": "substance_misuse",
    "INTERVENTION_RECEIVED": "intervention_received",
    "INTERVENTION_OFFERED": "intervention_offered",
}
OC2 = {"SDQ_SCORE": "sdq_score", "SDQ_REASON": "sdq_reason", **OC2_FLAGS}
OC3 = {"IN_TOUCH": "in_touch", "ACTIV": "activity", "ACCOM": "accommodation"}
PREV_PERM = {"PREV_PERM": "prev_perm", "LA_PERM": "la_perm", "DATE_PERM": "date_perm"}
SW_EPISODE = {
    "SW_ID": "social_worker_id",
    "SW_DECOM": "start_date",
    "SW_DEC": "end_date",
    "SW_REASON": "reason",
}
DOLO = {"DOLO_START": "start_date", "DOLO_END": "end_date"}
PLACED = {
    "DATE_PLACED": "decision_date",
    "DATE_PLACED_CEASED": "decision_ceased_date",
    "REASON_PLACED_CEASED": "decision_ceased_reason",
}
AD1 = {
    "DATE_INT": "interest_date",
    "DATE_MATCH": "match_date",
    "FOSTER_CARE": "foster_care",
    "NB_ADOPTR": "number_of_adopters",
    "SEX_ADOPTR": "sex_of_adopters",
    "LS_ADOPTR": "legal_status_of_adopters",
}
ADOPTION_EXTRA = ("placement_order_date", "order_date", "placed_date")
HEADER = {
    "SEX": "sex",
    "DOB": "date_of_birth",
    "ETHNIC": "ethnicity",
    "MOTHER": "mother",
    "MC_DOB": "mother_child_dob",
}
CHILD_FIELDS = (
    "sex",
    "date_of_birth",
    "ethnicity",
    "upn",
    "upn_unknown",
    "mother",
    "mother_child_dob",
)

#: Model name -> the fields (besides child) that identify one of its rows across returns.
KEYS: dict[str, tuple[str, ...]] = {
    "CareEpisode": ("start_date",),
    "LookedAfterReview": ("date",),
    "MissingEpisode": ("start_date",),
    "HealthOutcome": ("year",),
    "CareLeaverContact": ("date",),
    "Adoption": ("decision_date",),
    "PreviousPermanence": ("prev_perm", "la_perm", "date_perm"),
    "SocialWorkerEpisode": ("start_date",),
    "DeprivationOfLiberty": ("start_date",),
}

ADOPTED = ("E11", "E12")
_TYPES = {c: t for table in spec.TABLES.values() for c, t in table.items()}
PLACED_FOR_ADOPTION = ("A3", "A4", "A5", "A6")


def year_of(source: str) -> int | None:
    """The collection year in a source label such as "ssda903:2019"."""
    tail = source.removeprefix(SOURCE_PREFIX)
    return int(tail) if source.startswith(SOURCE_PREFIX) and tail.isdigit() else None


def source_year(source: pl.Expr) -> pl.Expr:
    """`year_of` for a column of source labels (null where a label names no 903 year)."""
    return source.str.strip_prefix(SOURCE_PREFIX).cast(pl.Int64, strict=False)


def _text(col: str, field: str) -> pl.Expr:
    return pl.col(col).fill_null("").alias(field)


def _flag(col: str, field: str) -> pl.Expr:
    return pl.col(col).cast(pl.Int8, strict=False).cast(pl.Boolean).alias(field)


def _renamed(df: pl.DataFrame, cols: dict[str, str], *, keep: tuple[str, ...] = ()) -> pl.DataFrame:
    """Select CHILD plus the mapped columns under field names (text nulls become "")."""
    exprs = [pl.col("CHILD")]
    for c, f in cols.items():
        exprs.append(_text(c, f) if _TYPES.get(c) == pl.Utf8 else pl.col(c).alias(f))
    return df.select([*exprs, *[pl.col(k) for k in keep]])


# --- return -> record ---------------------------------------------------------------------------


def to_models(frames: dict[str, pl.DataFrame], year: int) -> dict[str, pl.DataFrame]:
    """Each model's rows (CHILD plus field columns) prepared from a return of `year`."""
    oc2 = frames["OC2"]
    return {
        "CareEpisode": _renamed(frames["Episodes"], EPISODE),
        "LookedAfterReview": _renamed(frames["Reviews"], REVIEW),
        "MissingEpisode": _renamed(frames["Missing"], MISSING),
        "HealthOutcome": oc2.select(
            pl.col("CHILD"),
            pl.lit(year, dtype=pl.Int64).alias("year"),
            pl.col("SDQ_SCORE").cast(pl.Int64, strict=False).alias("sdq_score"),
            _text("SDQ_REASON", "sdq_reason"),
            *[_flag(c, f) for c, f in OC2_FLAGS.items()],
        ),
        "CareLeaverContact": _oc3(frames["OC3"], frames, year),
        "Adoption": _adoptions(frames),
        "PreviousPermanence": _renamed(frames["PrevPerm"], PREV_PERM),
        "SocialWorkerEpisode": _renamed(frames["SWEpisodes"], SW_EPISODE),
        "DeprivationOfLiberty": _renamed(frames["DoLo"], DOLO),
    }


def birthday_in_year(dob: pl.Expr, year: int) -> pl.Expr:
    """The birthday falling in the collection year (1 April .. 31 March), 29 Feb -> 28 Feb."""
    y = pl.when(dob.dt.month() >= 4).then(pl.lit(year - 1)).otherwise(pl.lit(year))
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    day = pl.when((dob.dt.month() == 2) & (dob.dt.day() == 29) & ~leap).then(28)
    return pl.date(y, dob.dt.month(), day.otherwise(dob.dt.day()))


def _oc3(oc3: pl.DataFrame, frames: dict[str, pl.DataFrame], year: int) -> pl.DataFrame:
    dob = pl.coalesce(pl.col("DOB"), pl.col("HDOB"))
    header = frames["Header"].select("CHILD", pl.col("DOB").alias("HDOB")).unique("CHILD")
    return (
        oc3.join(header, on="CHILD", how="left")
        .with_columns(
            pl.coalesce(birthday_in_year(dob, year), pl.lit(spec.year_bounds(year)[1])).alias(
                "date"
            )
        )
        .select("CHILD", "date", *[_text(c, f) for c, f in OC3.items()])
    )


def _adoptions(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    placed = _renamed(frames["PlacedAdoption"], PLACED)
    ad1 = frames["AD1"].select(
        "CHILD",
        pl.col("DATE_INT").alias("decision_date"),
        pl.col("DATE_INT").alias("interest_date"),
        pl.col("DATE_MATCH").alias("match_date"),
        _flag("FOSTER_CARE", "foster_care"),
        pl.col("NB_ADOPTR").cast(pl.Int64, strict=False).alias("number_of_adopters"),
        _text("SEX_ADOPTR", "sex_of_adopters"),
        _text("LS_ADOPTR", "legal_status_of_adopters"),
    )
    both = placed.join(ad1, on=["CHILD", "decision_date"], how="full", coalesce=True)
    both = both.with_columns(
        pl.col("decision_ceased_reason", "sex_of_adopters", "legal_status_of_adopters").fill_null(
            ""
        )
    )
    return _with_episode_dates(both, frames["Episodes"])


def _with_episode_dates(adoptions: pl.DataFrame, episodes: pl.DataFrame) -> pl.DataFrame:
    """Placement order (first E1 start), adoption order (E11/E12 end), placed (A3-A6 start)."""
    e1 = (
        episodes.filter(pl.col("LS") == "E1")
        .group_by("CHILD")
        .agg(pl.col("DECOM").min().alias("placement_order_date"))
    )
    order = (
        episodes.filter(pl.col("REC").is_in(ADOPTED))
        .group_by("CHILD")
        .agg(pl.col("DEC").max().alias("order_date"))
    )
    out = adoptions.join(e1, on="CHILD", how="left").join(order, on="CHILD", how="left")
    placements = episodes.filter(pl.col("PLACE").is_in(PLACED_FOR_ADOPTION)).select(
        "CHILD", pl.col("DECOM").alias("placed_date")
    )
    placed = (
        out.select("CHILD", "decision_date")
        .join(placements, on="CHILD")
        .filter(pl.col("placed_date") >= pl.col("decision_date"))
        .group_by("CHILD", "decision_date")
        .agg(pl.col("placed_date").min())
    )
    return out.join(placed, on=["CHILD", "decision_date"], how="left")


def child_attributes(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """What the return says of each child: CHILD, the Child fields, and which were given.

    `has_header` says whether the Header speaks for the child, so a child seen only in (say)
    Reviews has only their DOB filled in, never their sex blanked. `has_uasc` says the return
    holds the child as UASC, by either of its two ways of saying so: a UASC row (which may carry
    the date the status ceased) or the Header's UASC flag 1 (the XML form's item, or a CSV header
    file that carries it) with no UASC row, which is UASC with no date ceased. A flag of 0 beside
    a UASC row does not undo the row: the row's DUC is only given for a child who was UASC, and
    rule 303 reports the flag.
    """
    unknown = sorted(cin.UPN_UNKNOWN.valid())
    head = frames["Header"]
    flagged = pl.col("UASC").eq("1") if "UASC" in head.columns else pl.lit(False)
    header = head.unique("CHILD", keep="last").select(
        "CHILD",
        _text("SEX", "sex"),
        pl.col("DOB").alias("date_of_birth"),
        _text("ETHNIC", "ethnicity"),
        pl.when(pl.col("UPN").is_in(unknown))
        .then(pl.lit(""))
        .otherwise(pl.col("UPN").fill_null(""))
        .alias("upn"),
        pl.when(pl.col("UPN").is_in(unknown))
        .then(pl.col("UPN"))
        .otherwise(pl.lit(""))
        .alias("upn_unknown"),
        _flag("MOTHER", "mother"),
        pl.col("MC_DOB").alias("mother_child_dob"),
        pl.lit(True).alias("has_header"),
        flagged.fill_null(False).alias("flagged_uasc"),
    )
    uasc = (
        frames["UASC"]
        .unique("CHILD", keep="last")
        .select(
            "CHILD",
            pl.col("DUC").alias("uasc_ceased"),
            pl.col("SEX").alias("uasc_sex"),
            pl.col("DOB").alias("uasc_dob"),
            pl.lit(True).alias("has_uasc"),
        )
    )
    others = (
        pl.concat(
            [
                f.select("CHILD", pl.col("DOB").alias("other_dob"))
                for t, f in frames.items()
                if t not in ("Header", "Episodes") and "DOB" in f.columns and f.height
            ],
            how="vertical",
        )
        if _any_dob(frames)
        else pl.DataFrame(schema={"CHILD": pl.Utf8, "other_dob": pl.Date})
    )
    others = others.group_by("CHILD").agg(pl.col("other_dob").drop_nulls().first())
    ids = (
        pl.concat([f.select("CHILD") for f in frames.values() if f.height], how="vertical").unique()
        if any(f.height for f in frames.values())
        else pl.DataFrame(schema={"CHILD": pl.Utf8})
    )
    out = (
        ids.join(header, on="CHILD", how="left")
        .join(uasc, on="CHILD", how="left")
        .join(others, on="CHILD", how="left")
    )
    return out.with_columns(
        pl.col("has_header").fill_null(False),
        (pl.col("has_uasc").fill_null(False) | pl.col("flagged_uasc").fill_null(False)).alias(
            "has_uasc"
        ),
        pl.coalesce("date_of_birth", "uasc_dob", "other_dob").alias("date_of_birth"),
        pl.coalesce(pl.col("sex").replace("", None), "uasc_sex").fill_null("").alias("sex"),
        pl.col("ethnicity", "upn", "upn_unknown").fill_null(""),
    ).drop("uasc_dob", "uasc_sex", "other_dob", "flagged_uasc")


def _any_dob(frames: dict[str, pl.DataFrame]) -> bool:
    return any(
        t not in ("Header", "Episodes") and "DOB" in f.columns and f.height
        for t, f in frames.items()
    )


# --- record -> return ---------------------------------------------------------------------------


def _dates(df: pl.DataFrame, *cols: str) -> pl.DataFrame:
    return df.with_columns([pl.col(c).cast(pl.Date) for c in cols if c in df.columns])


def _blank(field: str) -> pl.Expr:
    return pl.col(field).replace("", None)


def _back(df: pl.DataFrame, cols: dict[str, str]) -> list[pl.Expr]:
    """Model fields back to 903 columns (blank text becomes null)."""
    return [
        (_blank(f) if _TYPES.get(c) == pl.Utf8 else pl.col(f)).alias(c) for c, f in cols.items()
    ]


def select_year(
    models: dict[str, pl.DataFrame], children: pl.DataFrame, *, year: int, source: str
) -> dict[str, pl.DataFrame]:
    """The return for `year` from the record's rows (each with CHILD, its fields and `source`).

    DfE's inclusion rules (shared/reference/ssda903.md section 1), plus every row the year's
    own return brought in (`source`), so a return loaded and written again comes back whole:
    - Episodes overlapping the year, including those open at its start; an end after 31 March is
      not yet known to the return, so DEC, REC and REASON_PLACE_CHANGE are left blank;
    - Reviews dated in the year; Missing episodes overlapping it; OC2 of the year;
    - OC3: the latest contact dated in the year, for care leavers aged 17 to 21 on that day;
    - PlacedAdoption: decisions in force at some time in the year; AD1: adoptions whose order
      was made in the year; PrevPerm: children who started to be looked after in the year;
    - SWEpisodes and DoLo: social worker episodes and deprivation of liberty orders overlapping
      the year, an end after it left blank, only for years that collect them
      (`spec.tables_for`: SWEpisodes from 2023-24, DoLo from 2026-27);
    - Header: every child in any table, and children the year's return brought in; UASC: those
      children recorded as unaccompanied asylum seekers.
    """
    start, end = spec.year_bounds(year)
    own = pl.col("source") == source
    ep = models["CareEpisode"]
    ep = ep.filter(
        own
        | (
            (pl.col("start_date") <= end)
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= start))
        )
    )
    late = ~own & (pl.col("end_date") > end)
    ep = ep.with_columns(
        pl.when(late).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("end_date", "reason_ended", "reason_place_change")
    )
    out: dict[str, pl.DataFrame] = {"Episodes": ep.select("CHILD", *_back(ep, EPISODE))}
    rv = models["LookedAfterReview"].filter(own | pl.col("date").is_between(start, end))
    out["Reviews"] = rv.select("CHILD", *_back(rv, REVIEW))
    ms = models["MissingEpisode"].filter(
        own
        | (
            (pl.col("start_date") <= end)
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= start))
        )
    )
    out["Missing"] = ms.select("CHILD", *_back(ms, MISSING))
    oc2 = models["HealthOutcome"].filter(pl.col("year") == year)
    out["OC2"] = oc2.select(
        "CHILD",
        pl.col("sdq_score").cast(pl.Utf8).alias("SDQ_SCORE"),
        _blank("sdq_reason").alias("SDQ_REASON"),
        *[pl.col(f).cast(pl.Int8).cast(pl.Utf8).alias(c) for c, f in OC2_FLAGS.items()],
    )
    out["OC3"] = _oc3_back(models["CareLeaverContact"], children, start, end, own)
    out.update(_adoption_back(models["Adoption"], start, end, own))
    new_starts = models["CareEpisode"].filter(
        (pl.col("reason_new_episode") == "S") & pl.col("start_date").is_between(start, end)
    )
    pp = models["PreviousPermanence"].filter(
        own | pl.col("CHILD").is_in(new_starts.get_column("CHILD").implode())
    )
    out["PrevPerm"] = pp.select("CHILD", *_back(pp, PREV_PERM))
    for table, name, cols in (
        ("SWEpisodes", "SocialWorkerEpisode", SW_EPISODE),
        ("DoLo", "DeprivationOfLiberty", DOLO),
    ):
        if table in spec.tables_for(year):
            out[table] = _spells_back(models[name], cols, start, end, own)
    return _with_children(out, children, source)


def _spells_back(
    episodes: pl.DataFrame, cols: dict[str, str], start: date, end: date, own: pl.Expr
) -> pl.DataFrame:
    """Spells (start_date, end_date) overlapping the year; an end after 31 March is not yet
    known to the year's return, so it is left blank."""
    sw = episodes.filter(
        own
        | (
            (pl.col("start_date") <= end)
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= start))
        )
    )
    late = ~own & (pl.col("end_date") > end)
    sw = sw.with_columns(pl.when(late).then(None).otherwise(pl.col("end_date")).alias("end_date"))
    return sw.select("CHILD", *_back(sw, cols))


def _oc3_back(
    contacts: pl.DataFrame, children: pl.DataFrame, start: date, end: date, own: pl.Expr
) -> pl.DataFrame:
    dob = children.select("CHILD", "date_of_birth")
    c = contacts.join(dob, on="CHILD", how="left")
    age = (
        pl.col("date").dt.year()
        - pl.col("date_of_birth").dt.year()
        - (
            (pl.col("date").dt.month() * 100 + pl.col("date").dt.day())
            < (pl.col("date_of_birth").dt.month() * 100 + pl.col("date_of_birth").dt.day())
        ).cast(pl.Int32)
    )
    c = c.filter(own | (pl.col("date").is_between(start, end) & age.is_between(17, 21)))
    c = c.sort("date").unique("CHILD", keep="last")
    return c.select("CHILD", *_back(c, OC3))


def _adoption_back(
    adoptions: pl.DataFrame, start: date, end: date, own: pl.Expr
) -> dict[str, pl.DataFrame]:
    in_force = (pl.col("decision_date") <= end) & (
        pl.col("decision_ceased_date").is_null() | (pl.col("decision_ceased_date") >= start)
    )
    placed = adoptions.filter(own | in_force)
    has_ad1 = pl.any_horizontal(
        [
            pl.col(f).is_not_null()
            for f in ("interest_date", "match_date", "foster_care", "number_of_adopters")
        ]
    )
    ad1 = adoptions.filter(has_ad1 & (own | pl.col("order_date").is_between(start, end)))
    return {
        "PlacedAdoption": placed.select("CHILD", *_back(placed, PLACED)),
        "AD1": ad1.select(
            "CHILD",
            pl.col("interest_date").alias("DATE_INT"),
            pl.col("match_date").alias("DATE_MATCH"),
            pl.col("foster_care").cast(pl.Int8).cast(pl.Utf8).alias("FOSTER_CARE"),
            pl.col("number_of_adopters").cast(pl.Utf8).alias("NB_ADOPTR"),
            _blank("sex_of_adopters").alias("SEX_ADOPTR"),
            _blank("legal_status_of_adopters").alias("LS_ADOPTR"),
        ),
    }


def _with_children(
    out: dict[str, pl.DataFrame], children: pl.DataFrame, source: str
) -> dict[str, pl.DataFrame]:
    """Add Header and UASC, and every table's DOB, from the Child rows."""
    seen = pl.concat([f.select("CHILD") for f in out.values()], how="vertical")
    own = children.filter(pl.col("source") == source).select("CHILD")
    ids = pl.concat([seen, own], how="vertical").unique()
    kids = children.join(ids, on="CHILD", how="semi")
    dob = kids.select("CHILD", pl.col("date_of_birth").alias("DOB"))
    for table, df in out.items():
        out[table] = df.join(dob, on="CHILD", how="left")
    out["Header"] = kids.select(
        "CHILD",
        _blank("sex").alias("SEX"),
        pl.col("date_of_birth").alias("DOB"),
        _blank("ethnicity").alias("ETHNIC"),
        pl.coalesce(_blank("upn"), _blank("upn_unknown")).alias("UPN"),
        pl.col("mother").cast(pl.Int8).cast(pl.Utf8).alias("MOTHER"),
        pl.col("mother_child_dob").alias("MC_DOB"),
    )
    uasc = kids.filter(pl.col("uasc"))
    out["UASC"] = uasc.select(
        "CHILD",
        _blank("sex").alias("SEX"),
        pl.col("date_of_birth").alias("DOB"),
        pl.col("uasc_ceased").alias("DUC"),
    )
    return out
