"""Write CIN_CENSUS frames as a CIN census XML file in a collection year's element order.

The order and the year-by-year differences come from the DfE schemas copied in `schemas/`
(see its README): CINPlanDates exists from 2021-22 (schema 2022), Sex replaces GenderCurrent from
2024-25. Items the year's schema has no place for are left out, never moved. Values are
formatted a column at a time by polars; only the nesting of elements is done per child, streamed
through `lxml.etree.xmlfile` so a big return is not held twice in memory.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

import polars as pl
from lxml import etree

from ..tables import CIN_CENSUS, Return, conform

#: First collection year (by its end) with CINPlanDates in the schema, and with Sex; from
#: 2025 booleans are written 1/0 (the 2026 schema allows no true/false; 1/0 is valid in all).
CIN_PLANS_FROM = 2022
SEX_FROM = 2025

_SEX_TO_GENDER = {"M": "1", "F": "2", "U": "0"}
_GENDER_TO_SEX = {"1": "M", "2": "F", "9": "U", "0": "U"}


def child_identifiers(year: int) -> tuple[str, ...]:
    """The ChildIdentifiers elements of a year, in order."""
    sex = "Sex" if year >= SEX_FROM else "GenderCurrent"
    return (
        "LAchildID",
        "UPN",
        "FormerUPN",
        "UPNunknown",
        "PersonBirthDate",
        "ExpectedPersonBirthDate",
        sex,
        "PersonDeathDate",
    )


CIN_LEAVES_HEAD = (
    "CINreferralDate",
    "ReferralSource",
    "PrimaryNeedCode",
    "CINclosureDate",
    "ReasonForClosure",
    "DateOfInitialCPC",
)
ASSESSMENT = (
    "AssessmentActualStartDate",
    "AssessmentInternalReviewDate",
    "AssessmentAuthorisationDate",
)
SECTION47 = ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired")
CP_PLAN = (
    "CPPstartDate",
    "CPPendDate",
    "InitialCategoryOfAbuse",
    "LatestCategoryOfAbuse",
    "NumberOfPreviousCPP",
)


def _as_text(df: pl.DataFrame, year: int) -> pl.DataFrame:
    """Every value as the text the XML carries: dates ISO, booleans, numbers plain."""
    yes, no = ("1", "0") if year >= SEX_FROM else ("true", "false")
    exprs = []
    for name, dtype in df.schema.items():
        if dtype == pl.Boolean:
            exprs.append(
                pl.when(pl.col(name))
                .then(pl.lit(yes))
                .when(pl.col(name).not_())
                .then(pl.lit(no))
                .alias(name)
            )
        elif dtype == pl.Date or dtype.is_integer():
            exprs.append(pl.col(name).cast(pl.Utf8))
        else:
            exprs.append(pl.col(name))
    return df.select(exprs)


def _sex_columns(df: pl.DataFrame, year: int) -> pl.DataFrame:
    """Fill the year's sex item from the other form when only that one is present."""
    if year >= SEX_FROM:
        other = pl.col("GenderCurrent").replace_strict(_GENDER_TO_SEX, default=None)
        return df.with_columns(pl.coalesce("Sex", other).alias("Sex"))
    other = pl.col("Sex").replace_strict(_SEX_TO_GENDER, default=None)
    return df.with_columns(pl.coalesce("GenderCurrent", other).alias("GenderCurrent"))


def _grouped(df: pl.DataFrame, keys: list[str], sort: list[str], year: int) -> dict:
    """Rows (as dicts) grouped by key, in `sort` order: the nesting the XML needs."""
    out: dict = defaultdict(list)
    if df.is_empty():
        return out
    for key, rows in (
        _as_text(df.sort(sort), year).rows_by_key(keys, named=True, include_key=True).items()
    ):
        out[key] = rows
    return out


def _leaf(parent: etree._Element, tag: str, value: str | None) -> None:
    if value is not None and value != "":
        etree.SubElement(parent, tag).text = value


def _header(frames: Return, year: int) -> etree._Element:
    head = frames["Header"].row(0, named=True) if frames["Header"].height else {}
    header = etree.Element("Header")
    details = etree.SubElement(header, "CollectionDetails")
    _leaf(details, "Collection", "CIN")
    _leaf(details, "Year", str(year))
    _leaf(details, "ReferenceDate", f"{year}-03-31")
    source = etree.SubElement(header, "Source")
    _leaf(source, "SourceLevel", "L")
    _leaf(source, "LEA", head.get("LEA") or "000")
    _leaf(source, "SoftwareCode", head.get("SoftwareCode") or "Safeguard")
    _leaf(source, "Release", head.get("Release") or "1")
    _leaf(source, "SerialNo", head.get("SerialNo") or "001")
    _leaf(source, "DateTime", datetime.now().replace(microsecond=0).isoformat())
    return header


def write(frames: Return, out: Path, *, year: int) -> list[Path]:
    """Write the return as `out` (one XML file) in the element order of collection `year`."""
    f = conform(frames, CIN_CENSUS)
    ids = _sex_columns(f["ChildIdentifiers"], year).unique(
        "LAchildID", keep="first", maintain_order=True
    )
    groups = {
        "eth": _grouped(f["ChildCharacteristics"], ["LAchildID"], ["LAchildID"], year),
        "dis": _grouped(f["Disabilities"], ["LAchildID"], ["LAchildID", "Disability"], year),
        "cin": _grouped(f["CINdetails"], ["LAchildID"], ["LAchildID", "CINdetailsID"], year),
        "ass": _grouped(
            f["Assessments"],
            ["LAchildID", "CINdetailsID"],
            ["LAchildID", "CINdetailsID", "AssessmentID"],
            year,
        ),
        "plan": _grouped(
            f["CINplanDates"],
            ["LAchildID", "CINdetailsID"],
            ["LAchildID", "CINdetailsID", "CINPlanStartDate"],
            year,
        ),
        "s47": _grouped(
            f["Section47"],
            ["LAchildID", "CINdetailsID"],
            ["LAchildID", "CINdetailsID", "S47ID"],
            year,
        ),
        "cpp": _grouped(
            f["ChildProtectionPlans"],
            ["LAchildID", "CINdetailsID"],
            ["LAchildID", "CINdetailsID", "CPPID"],
            year,
        ),
        "rev": _grouped(
            f["Reviews"],
            ["LAchildID", "CINdetailsID", "CPPID"],
            ["LAchildID", "CINdetailsID", "CPPID", "CPPreviewDate"],
            year,
        ),
    }
    order = child_identifiers(year)
    with etree.xmlfile(str(out), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            xf.write(_header(frames, year))
            with xf.element("Children"):
                for row in _as_text(ids, year).iter_rows(named=True):
                    xf.write(_child(row, order, groups, year))
    return [Path(out)]


def _child(row: dict, order: tuple[str, ...], groups: dict, year: int) -> etree._Element:
    cid = row["LAchildID"]
    child = etree.Element("Child")
    idents = etree.SubElement(child, "ChildIdentifiers")
    for tag in order:
        _leaf(idents, tag, row.get(tag))
    chars = etree.SubElement(child, "ChildCharacteristics")
    eth = groups["eth"].get(cid)
    _leaf(chars, "Ethnicity", eth[0]["Ethnicity"] if eth else None)
    disabilities = [d["Disability"] for d in groups["dis"].get(cid, []) if d["Disability"]]
    if disabilities:
        holder = etree.SubElement(chars, "Disabilities")
        for d in disabilities:
            _leaf(holder, "Disability", d)
    for episode in groups["cin"].get(cid, []):
        child.append(_details(episode, (cid, episode["CINdetailsID"]), groups, year))
    return child


def _details(ep: dict, key: tuple, groups: dict, year: int) -> etree._Element:
    el = etree.Element("CINdetails")
    for tag in CIN_LEAVES_HEAD:
        _leaf(el, tag, ep[tag])
    for a in groups["ass"].get(key, []):
        sub = etree.SubElement(el, "Assessments")
        for tag in ASSESSMENT:
            _leaf(sub, tag, a[tag])
        if a["AssessmentFactors"]:
            factors = etree.SubElement(sub, "FactorsIdentifiedAtAssessment")
            for code in a["AssessmentFactors"]:
                _leaf(factors, "AssessmentFactors", code)
    if year >= CIN_PLANS_FROM:
        for p in groups["plan"].get(key, []):
            sub = etree.SubElement(el, "CINPlanDates")
            _leaf(sub, "CINPlanStartDate", p["CINPlanStartDate"])
            _leaf(sub, "CINPlanEndDate", p["CINPlanEndDate"])
    for s in groups["s47"].get(key, []):
        sub = etree.SubElement(el, "Section47")
        for tag in SECTION47:
            _leaf(sub, tag, s[tag])
    _leaf(el, "ReferralNFA", ep["ReferralNFA"])
    for c in groups["cpp"].get(key, []):
        sub = etree.SubElement(el, "ChildProtectionPlans")
        for tag in CP_PLAN:
            _leaf(sub, tag, c[tag])
        reviews = groups["rev"].get((*key, c["CPPID"]), [])
        if reviews:
            holder = etree.SubElement(sub, "Reviews")
            for r in reviews:
                _leaf(holder, "CPPreviewDate", r["CPPreviewDate"])
    return el
