"""Read and write the Annex A workbook (XLSX): one sheet per list, the template's headers.

Reading: the zip is checked by `safety.check_xlsx` before openpyxl opens it (read-only, values
not formulas). A sheet is recognised by its name ("List 3", "List 3 - Referrals", ...), its
header row found among the first rows (templates carry a title and guidance above), columns
matched by header text ignoring case and spacing. Values are brought to the template's own
value lists (e.g. "Male" -> "a) Male", "Y" -> "Yes", "a) 1A: Individual" -> "1A").
Only the lists whose sheet was read are returned: a list absent from the workbook, or whose
sheet could not be read (no header row, missing columns), is not there at all, so the load can
tell it from a list read empty (`load.py`: a newer workbook replaces only the lists it holds).
The identifiers of the rows set aside as unreadable are returned beside the lists, under
`spec.SET_ASIDE` (list, identifier or null when missing), for the same reason: a row set aside
is not a row no longer listed.
Writing: XlsxWriter, DD/MM/YYYY dates, drop-downs with each column's value list, every text
cell escaped by `safety.escape_cell`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import polars as pl

from safeguard.returns import safety
from safeguard.returns.codec import Problem

from . import spec

NO_HEADER = "No header row with the {list} columns was found in the first {n} rows."
MISSING_COLUMNS = "The sheet lacks the template's column(s): {columns}."
BAD_DATE = "Not a date: expected DD/MM/YYYY."
BAD_NUMBER = "Not a whole number."
BAD_VALUE = "Not one of the template's values for this column."
NO_ID = "The child's (or adopter's) unique ID is missing."
DUPLICATE_ID = "This identifier is on an earlier row of the list: one row per adopter."
TOO_LONG = "Longer than the record holds ({n} characters)."
NOT_ANNEX_A = (
    "No sheet is one of Annex A's lists (sheets named List 1 to List 11): "
    "it is not an Annex A workbook."
)
HEADER_SCAN_ROWS = 20

_SHEET = re.compile(r"^\s*list\s*(\d{1,2})\b", re.IGNORECASE)
_CODE = re.compile(r"^(?:[a-z]\)\s*)?([^\s:]+)")


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def read(path: Path) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    """The lists read, as frames keyed "List 1".."List 11" (with `spec.SET_ASIDE` when rows
    were set aside), and what could not be read (module docstring)."""
    from openpyxl import load_workbook

    safety.check_xlsx(path)
    wb = load_workbook(path, read_only=True, data_only=True)
    frames: dict[str, pl.DataFrame] = {}
    problems: list[Problem] = []
    set_aside: list[pl.DataFrame] = []
    try:
        for ws in wb.worksheets:
            m = _SHEET.match(ws.title)
            name = f"List {int(m.group(1))}" if m else None
            if name not in spec.LISTS or name in frames:
                continue
            df, found, aside = _read_sheet(
                ws.iter_rows(values_only=True), name, path.name, ws.title
            )
            problems.extend(found)
            if df is not None:
                frames[name] = df
                set_aside.append(aside)
    finally:
        wb.close()
    if not frames and not problems:  # e.g. Ofsted's provider list: read, it would load nothing
        raise safety.refuse(path, NOT_ANNEX_A)
    aside = pl.concat(set_aside) if set_aside else pl.DataFrame()
    if not aside.is_empty():
        frames[spec.SET_ASIDE] = aside
    return {n: frames[n] for n in [*spec.LISTS, spec.SET_ASIDE] if n in frames}, problems


def _read_sheet(rows, name: str, file: str, title: str):
    wanted = {_norm(c): c for c in spec.LISTS[name]}
    first = _norm(spec.LISTS[name][0])
    for n, row in enumerate(rows, start=1):
        if n > HEADER_SCAN_ROWS:
            break
        cells = [_norm(v) for v in row]
        if first in cells:
            break
    else:
        cells = []
    if first not in cells:
        rule = NO_HEADER.format(list=name, n=HEADER_SCAN_ROWS)
        return None, [Problem(file, title, "", "", rule)], None
    where = {wanted[c]: i for i, c in enumerate(cells) if c in wanted}
    missing = [c for c in spec.LISTS[name] if c not in where]
    if missing:
        rule = MISSING_COLUMNS.format(columns=", ".join(missing))
        return None, [Problem(file, f"{title}!row {n}", ", ".join(missing), "", rule)], None
    data: dict[str, list] = {c: [] for c in [*spec.LISTS[name], "_loc"]}
    for k, row in enumerate(rows, start=n + 1):
        values = [_cell(row[i]) if i < len(row) else None for i in where.values()]
        if all(v is None for v in values):
            continue
        for c, v in zip(where, values, strict=True):
            data[c].append(v)
        data["_loc"].append(f"{title}!row {k}")
    return _typed(name, pl.DataFrame(data, schema={c: pl.Utf8 for c in data}), file)


def _cell(value: object) -> str | None:
    """A cell as text: dates ISO, whole numbers without ".0", blanks None, the writer's
    formula guard taken off (`safety.unescape_cell`)."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = safety.unescape_cell(str(value).strip())
    return text or None


def _accepted(col: str) -> dict[str, str] | None:
    """Every spelling accepted in a value-list column -> the template's value."""
    values = spec.value_list(col)
    if values is None:
        return None
    out = {_norm(v): v for v in values}
    if col == "Gender":
        out.update(
            {
                "male": "a) Male",
                "m": "a) Male",
                "1": "a) Male",
                "female": "b) Female",
                "f": "b) Female",
                "2": "b) Female",
                "not stated/recorded": "c) Not stated/recorded",
                "0": "c) Not stated/recorded",
                "neither": "d) Neither",
                "9": "d) Neither",
            }
        )
    elif values == list(spec.YES_NO):
        out.update(
            {
                "y": "Yes",
                "a": "Yes",
                "true": "Yes",
                "1": "Yes",
                "n": "No",
                "b": "No",
                "false": "No",
                "0": "No",
            }
        )
    elif col in spec.CATEGORY_COLUMNS:
        from safeguard.codes import cin

        for c in cin.CATEGORY_OF_ABUSE:
            out[_norm(c.code)] = c.label
            out[_norm(c.label.split(" ")[0])] = c.label
    elif col not in spec.CODE_COLUMNS:
        for v in values:  # "a) Relevant" may come as "Relevant"
            out.setdefault(_norm(re.sub(r"^[a-z]\)\s*", "", v)), v)
    return out


def _typed(name: str, df: pl.DataFrame, file: str):
    """Cast to the list's schema and normalise value lists; rows that fail are reported, and
    set aside: (rows read, problems, the set-aside rows' list and identifier)."""
    exprs, checks = [], []
    for col, typ in spec.schema(name).items():
        c = pl.col(col)
        if typ == pl.Date:
            e = pl.coalesce(
                c.str.to_date("%Y-%m-%d", strict=False), c.str.to_date("%d/%m/%Y", strict=False)
            )
            checks.append((col, c.is_not_null() & e.is_null(), BAD_DATE))
        elif typ == pl.Int64:
            e = c.cast(pl.Int64, strict=False)
            checks.append((col, c.is_not_null() & e.is_null(), BAD_NUMBER))
        elif col in spec.CODE_COLUMNS:
            e = c.str.extract(_CODE.pattern, 1)
            ok = sorted(spec.CODE_COLUMNS[col].valid())
            checks.append((col, c.is_not_null() & ~e.is_in(ok).fill_null(False), BAD_VALUE))
        elif (accepted := _accepted(col)) is not None:
            e = (
                c.str.to_lowercase()
                .str.replace_all(r"\s+", " ")
                .str.strip_chars()
                .replace_strict(accepted, default=None, return_dtype=pl.Utf8)
            )
            checks.append((col, c.is_not_null() & e.is_null(), BAD_VALUE))
        else:
            e = c
        exprs.append(e.alias(col))
    ident = spec.LISTS[name][0]
    checks.append((ident, pl.col(ident).is_null(), NO_ID))
    if name in spec.ONE_ROW_PER_ID:
        again = pl.col(ident).is_not_null() & ~pl.col(ident).is_first_distinct()
        checks.append((ident, again, DUPLICATE_ID))
    for col, n in spec.MAX_LENGTH.get(name, {}).items():
        too_long = (pl.col(col).str.len_chars() > n).fill_null(False)
        checks.append((col, too_long, TOO_LONG.format(n=n)))
    flags = df.select([e.alias(f"_{i}") for i, (_, e, _) in enumerate(checks)])
    problems = []
    for i, (col, _, rule) in enumerate(checks):
        for loc, v in df.filter(flags.get_column(f"_{i}")).select("_loc", col).iter_rows():
            problems.append(Problem(file, loc, col, v or "", rule))
    bad = flags.select(pl.any_horizontal(pl.all())).to_series()
    aside = df.filter(bad).select(pl.lit(name).alias("list"), pl.col(ident).alias("id"))
    return df.filter(~bad).select(exprs), problems, aside


# --- writing ------------------------------------------------------------------------------------


def write(frames: dict[str, pl.DataFrame], out: Path) -> Path:
    """Write all 11 lists as sheets "List 1".."List 11" with headers, drop-downs, safe cells."""
    import xlsxwriter

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(out))
    bold = wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    dated = wb.add_format({"num_format": "dd/mm/yyyy"})
    lists = wb.add_worksheet("Value lists")
    used = _value_lists(lists)
    for name, cols in spec.LISTS.items():
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, cols, bold)
        ws.set_column(0, len(cols) - 1, 18)
        df = frames.get(name, pl.DataFrame(schema=spec.schema(name)))
        for j, col in enumerate(cols):
            values = df.get_column(col).to_list() if col in df.columns else []
            for i, v in enumerate(values, start=1):
                _write_cell(ws, i, j, v, dated)
            if col in used:
                ws.data_validation(1, j, 1_048_575, j, {"validate": "list", "source": used[col]})
    lists.hide()
    wb.close()
    return out


def _write_cell(ws, row: int, col: int, value, dated) -> None:
    if value is None:
        return
    if isinstance(value, date):
        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), dated)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value)
    else:
        ws.write_string(row, col, safety.escape_cell(str(value)))


def _value_lists(ws) -> dict[str, str]:
    """Write every column's value list on a hidden sheet; column -> its range for drop-downs."""
    cols = sorted({c for cols in spec.LISTS.values() for c in cols if spec.value_list(c)})
    out = {}
    for j, col in enumerate(cols):
        values = spec.value_list(col) or []
        ws.write_string(0, j, safety.escape_cell(col))
        for i, v in enumerate(values, start=1):
            ws.write_string(i, j, safety.escape_cell(v))
        letter = _column_letter(j)
        out[col] = f"='Value lists'!${letter}$2:${letter}${len(values) + 1}"
    return out


def _column_letter(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s
