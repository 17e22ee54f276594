"""Read SSDA903 returns (the DfE's CSV files or the XML form) into the polars frames of tables.py.

Each file is recognised by its columns, not its name. Files in one directory (or one XML file)
are one return; several returns merge into one history, the later collection year winning where
the same row (same key, e.g. CHILD+DECOM for an episode) appears in both. Rows that cannot be read
as a 903 return (unparseable dates, codes outside the year's lists, a missing CHILD) are left out
of the frames and reported as `Problem`s; the caller refuses the whole set unless asked to skip.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from safeguard.returns import safety
from safeguard.returns.codec import Problem, ReadResult

from . import checks, spec, xml_form

UNRECOGNISED = "Not an SSDA903 file: its columns match none of the return's tables."
MISSING_COLUMNS = "The {table} file lacks the specification's column(s): {columns}."
NOTHING_TO_READ = "No .csv or .xml file found."
NOT_COLLECTED = (
    "{table} is collected from {first} on; this return is {year}'s: leave the file out, or "
    "check the return's year."
)
NO_YEAR = (
    "The collection year cannot be told: no episode starts (DECOM) and no year such as "
    "2019 in the file or folder name. Name the folder by the year the return ends."
)

UNSTATED = "_unstated"  # the row's file lacked the table's optional columns (spec.OPTIONAL)
LOC = "_loc"  # where a row came from ("line 12" or an XML element path); dropped before return

#: Key of a row within a table: a later return's row with the same key replaces an earlier one.
KEYS: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD",),
    "UASC": ("CHILD",),
    "OC2": ("CHILD",),
    "OC3": ("CHILD",),
    "Episodes": ("CHILD", "DECOM"),
    "Reviews": ("CHILD", "REVIEW"),
    "Missing": ("CHILD", "MIS_START"),
    "PlacedAdoption": ("CHILD", "DATE_PLACED"),
    "AD1": ("CHILD", "DATE_INT"),
    "SWEpisodes": ("CHILD", "SW_DECOM"),
    "DoLo": ("CHILD", "DOLO_START"),
    "PrevPerm": ("CHILD", "PREV_PERM", "LA_PERM", "DATE_PERM"),
}


@dataclass
class RawReturn:
    """One return's tables as text, before checking: files of one directory, or one XML file."""

    name: str
    tables: dict[str, list[tuple[str, pl.DataFrame]]] = field(default_factory=dict)  # (file, df)
    year: int | None = None

    def add(self, table: str, file: str, df: pl.DataFrame) -> None:
        self.tables.setdefault(table, []).append((file, df))


def read(paths: Sequence[Path], *, year: int | None = None) -> ReadResult:
    """Read files or directories of SSDA903 returns; `year` overrides the inferred year."""
    problems: list[Problem] = []
    raws = _gather(_expand(paths), problems)
    if not raws and not problems:
        problems.append(Problem(", ".join(map(str, paths)), "", "", "", NOTHING_TO_READ))
    checked: list[tuple[int | None, dict[str, pl.DataFrame]]] = []
    for raw in raws:
        raw.year = year or raw.year or _infer_year(raw)
        if raw.year is None and raw.tables:
            problems.append(Problem(raw.name, "", "", "", NO_YEAR))
        frames, found = _check_return(raw)
        problems.extend(found)
        checked.append((raw.year, frames))
    checked.sort(key=lambda pair: pair[0] or 0)
    frames = merge([f for _, f in checked])
    years = [y for y, _ in checked if y is not None]
    return ReadResult(frames=frames, problems=problems, year=max(years) if years else None)


def returns_in(paths: Sequence[Path]) -> list[list[Path]]:
    """Files grouped as `read` groups them into returns, oldest year (by name) first."""
    groups: dict[Path, list[Path]] = {}
    for f in _expand(paths):
        groups.setdefault(f if f.suffix.lower() == ".xml" else f.parent, []).append(f)
    return sorted(groups.values(), key=lambda fs: year_in_name(fs[0]) or 0)


def _expand(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(
                sorted(
                    f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in {".csv", ".xml"}
                )
            )
        else:
            files.append(p)
    return files


def _gather(files: list[Path], problems: list[Problem]) -> list[RawReturn]:
    """Group files into returns: every CSV of one directory is one return; each XML is one."""
    by_dir: dict[Path, RawReturn] = {}
    raws: list[RawReturn] = []
    hook, done = safety.progress_hook.get(), 0  # CSV bytes read (an XML file reports its own)
    for f in files:
        if f.suffix.lower() == ".xml":
            raw = RawReturn(name=str(f), year=year_in_name(f))
            for table, df in xml_form.read_tables(f).items():
                raw.add(table, str(f), df)
            raws.append(raw)
            continue
        raw = by_dir.get(f.parent)
        if raw is None:
            raw = by_dir[f.parent] = RawReturn(name=str(f.parent), year=year_in_name(f))
            raws.append(raw)
        _read_csv_into(f, raw, problems)
        done += f.stat().st_size
        if hook is not None:
            hook(done)
    return raws


def _read_csv_into(path: Path, raw: RawReturn, problems: list[Problem]) -> None:
    df = read_csv_text(path)
    table = recognise(df.columns)
    if table is None:
        problems.append(Problem(str(path), "line 1", "", ",".join(df.columns), UNRECOGNISED))
        return
    missing = [c for c in spec.csv_columns(table) if c not in df.columns]
    if missing:
        rule = MISSING_COLUMNS.format(table=table, columns=", ".join(missing))
        problems.append(Problem(str(path), "line 1", ",".join(missing), "", rule))
        return
    df = df.with_columns(pl.format("line {}", pl.int_range(2, pl.len() + 2)).alias(LOC))
    raw.add(table, str(path), df)


def read_csv_text(path: Path) -> pl.DataFrame:
    """A CSV file as text columns: headers upper-cased and trimmed, blank cells null, and the
    writer's formula guard taken off (`safety.unescaped`)."""
    safety.check_size(path)
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    df = pl.read_csv(data, infer_schema=False, encoding="utf8-lossy", truncate_ragged_lines=True)
    df = df.rename({c: c.strip().upper() for c in df.columns})
    return df.with_columns(safety.unescaped(pl.all().str.strip_chars().replace("", None)))


def recognise(cols: Iterable[str]) -> str | None:
    """The table a file holds, told by its columns: the one whose signature it carries."""
    have = set(cols)
    found = [t for t, sig in spec.SIGNATURE.items() if sig <= have]
    return found[0] if len(found) == 1 else None


#: A collection year written as its span, as the DfE writes it: "2018-19", "2018_19", "201819",
#: "2018-2019". The year it ends in names it.
_SPAN = re.compile(r"(?<!\d)(20\d\d)[-_ ]?(?:20)?(\d\d)(?!\d)")


def year_in_name(path: Path) -> int | None:
    """The collection year (the year it ends) a file's name, or its folder's, gives: 2019 in
    "2019/header.csv", "header_2019.csv" or "header_2018-19.csv", if any."""
    text = f"{path.parent.name}/{path.name}"
    spans = [int(a) + 1 for a, b in _SPAN.findall(text) if (int(a) + 1) % 100 == int(b)]
    if spans:
        return spans[-1]
    found = re.findall(r"(?<!\d)(20\d\d)(?!\d)", text)
    return int(found[-1]) if found else None


def _infer_year(raw: RawReturn) -> int | None:
    """The collection year a return covers: the one holding its latest episode start.

    Episode starts cannot fall after the year's end (rule 354), whereas ends, reviews and
    UASC dates in real and sample files sometimes do, so DECOM is the safest witness.
    """
    found = [
        df.select(checks.parse_dates(pl.col("DECOM")).max()).item()
        for _, df in raw.tables.get("Episodes", [])
    ]
    found = [d for d in found if d is not None]
    if not found:
        return None
    latest = max(found)
    return latest.year + (1 if latest.month > 3 else 0)


def _check_return(raw: RawReturn) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    problems: list[Problem] = []
    frames: dict[str, pl.DataFrame] = {}
    for table, parts in raw.tables.items():
        if not _collected(table, raw.year):
            problems.extend(_not_collected(table, raw.year, parts))
            continue
        typed = []
        for file, df in parts:
            absent = [c for c in spec.OPTIONAL.get(table, ()) if c not in df.columns]
            df = df.with_columns([pl.lit(None, dtype=pl.Utf8).alias(c) for c in absent])
            good, found = checks.check_table(table, df, year=raw.year, file=file)
            problems.extend(found)
            typed.append(good.with_columns(pl.lit(bool(absent)).alias(UNSTATED)))
        frames[table] = pl.concat(typed, how="vertical")
    return _uasc_flag(frames), problems


def _collected(table: str, year: int | None) -> bool:
    """Whether the return of `year` has the table (DoLo from 2026-27, SWEpisodes 2023-24): rows
    of a year without it would load but never come back out of that year's return."""
    return year is None or table in spec.tables_for(year)


def _not_collected(table: str, year: int, parts: list[tuple[str, pl.DataFrame]]) -> list[Problem]:
    """One problem for each file of a table the year's return does not have, if it has rows."""
    first = spec.FIRST_YEAR[table]
    rule = NOT_COLLECTED.format(table=table, first=_span(first), year=_span(year))
    return [Problem(file, "", table, "", rule) for file, df in parts if df.height]


def _span(year: int) -> str:
    """A collection year as the DfE writes it: 2027 -> "2026-27"."""
    return f"{year - 1}-{year % 100:02d}"


def _uasc_flag(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The Header's UASC flag where its file did not carry it (the CSV form): "1" for a child
    in the return's UASC file, else "0", which is what the CSV form means by that file."""
    header = frames.get("Header")
    if header is not None:
        uasc = frames.get("UASC")
        ids = uasc.get_column("CHILD") if uasc is not None else pl.Series([], dtype=pl.Utf8)
        derived = (
            pl.when(pl.col("CHILD").is_in(ids.implode())).then(pl.lit("1")).otherwise(pl.lit("0"))
        )
        frames["Header"] = header.with_columns(
            pl.when(pl.col(UNSTATED)).then(derived).otherwise(pl.col("UASC")).alias("UASC")
        )
    return {t: df.drop(UNSTATED) for t, df in frames.items()}


def merge(returns: list[dict[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """Several returns (oldest first) as one history: a later return's row replaces an earlier
    row with the same key; rows within one return are all kept, duplicates included."""
    out: dict[str, pl.DataFrame] = {}
    for frames in returns:
        for table, df in frames.items():
            if table in out:
                keys = list(KEYS[table])
                earlier = out[table].join(
                    df.select(keys).unique(), on=keys, how="anti", nulls_equal=True
                )
                df = pl.concat([earlier, df], how="vertical")
            out[table] = df
    return {
        t: out[t].select(list(cols)) if t in out else pl.DataFrame(schema=cols)
        for t, cols in spec.TABLES.items()
    }
