"""Read the DfE's XML form of the SSDA903 return (EXPSSDA903/CHILD/HEADER, EPISODE) into tables.

The XML nests per child what the CSV files spread over tables: HEADER carries the child's
identity, UASC flag and DUC, the AD1 and OC3 items, AREVIEW, AMISSING, AD_PLACED, PERMANENCE and
OC2 groups; EPISODE elements follow the HEADER (`PL` is the CSV's PLACE, `CHILDID` its CHILD).
Read as a stream through `safety.safe_iterparse` so memory stays flat however big the file.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from lxml import etree

from safeguard.returns import safety

from . import spec

LOC = "_loc"
NOT_903 = "The file has no <CHILD> elements: it is not an SSDA903 return in the XML form."

_AD1 = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
_OC3 = ("IN_TOUCH", "ACTIV", "ACCOM")
#: Repeating groups inside HEADER: element name -> table.
_GROUPS = {
    "AREVIEW": "Reviews",
    "AMISSING": "Missing",
    "AD_PLACED": "PlacedAdoption",
    "PERMANENCE": "PrevPerm",
    "OC2": "OC2",
}


def _text(elem: etree._Element) -> dict[str, str | None]:
    """An element's simple children as {CSV column: trimmed text or None}."""
    out: dict[str, str | None] = {}
    for c in elem:
        if len(c):
            continue
        name = spec.XML_RENAME.get(c.tag, c.tag)
        value = (c.text or "").strip()
        out[name] = value or None
    return out


def read_tables(path: Path) -> dict[str, pl.DataFrame]:
    """Every table found in an XML return, as text columns plus `_loc` (the element path)."""
    rows: dict[str, list[dict[str, str | None]]] = {t: [] for t in spec.TABLES}
    n = 0
    for n, child in enumerate(safety.safe_iterparse(path, tags=("CHILD",)), start=1):
        _child_rows(child, f"/EXPSSDA903/CHILD[{n}]", rows)
        child.clear()
    if n == 0:  # another return's XML (a workforce census, say): read, it would load nothing
        raise safety.refuse(path, NOT_903)
    return {
        t: pl.DataFrame(r, schema={c: pl.Utf8 for c in [*spec.columns(t), LOC]})
        for t, r in rows.items()
        if r
    }


def _child_rows(
    child: etree._Element, path: str, rows: dict[str, list[dict[str, str | None]]]
) -> None:
    header = child.find("HEADER")
    head = _text(header) if header is not None else {}
    ident = {"CHILD": head.get("CHILD"), "DOB": head.get("DOB")}
    hpath = f"{path}/HEADER"
    rows["Header"].append(_row("Header", {**head, LOC: hpath}))
    if head.get("UASC") == "1" or head.get("DUC"):
        rows["UASC"].append(_row("UASC", {**head, LOC: hpath}))
    if any(head.get(k) for k in _AD1):
        rows["AD1"].append(_row("AD1", {**head, LOC: hpath}))
    if any(head.get(k) for k in _OC3):
        rows["OC3"].append(_row("OC3", {**head, LOC: hpath}))
    counts: dict[str, int] = {}
    for group in header if header is not None else ():
        table = _GROUPS.get(group.tag)
        if table is None:
            continue
        counts[group.tag] = counts.get(group.tag, 0) + 1
        loc = f"{hpath}/{group.tag}[{counts[group.tag]}]"
        rows[table].append(_row(table, {**_text(group), **ident, LOC: loc}))
    for k, ep in enumerate(child.findall("EPISODE"), start=1):
        rows["Episodes"].append(
            _row("Episodes", {**_text(ep), **ident, LOC: f"{path}/EPISODE[{k}]"})
        )


def _row(table: str, values: dict[str, str | None]) -> dict[str, str | None]:
    return {c: values.get(c) for c in [*spec.columns(table), LOC]}
