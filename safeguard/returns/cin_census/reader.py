"""Read a CIN census XML file (any collection year from 2017-18) into CIN_CENSUS frames.

The file is streamed (`safety.safe_iterparse`): each <Child> is turned into column values and
cleared, so memory holds the columns, not the document. Codes are checked as they are read (a
set lookup); dates are parsed afterwards, a column at a time, by polars. A child with anything
that cannot be read as the census says (a missing LAchildID, an unparseable date, a code outside
its list, an element the census does not have) is left out of the frames and each defect becomes
a `Problem` naming the file, element path, field, value and rule. Breaches of DfE validation
rules (dates out of order and so on) are not problems here: the validation report finds them.

Both forms of the child's sex are read: GenderCurrent (1/2/9/0, up to 2023-24) and Sex (M/F/U,
from 2024-25). PreProceedingsandFGDM (2025-26 on) is read and checked as a known module but
not kept: the journey record has no place for it yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
from lxml import etree

from safeguard.codes import cin

from .. import safety
from ..codec import Problem, ReadResult, ReturnRefused
from ..tables import CIN_CENSUS, Return, conform

UNKNOWN_ELEMENT = "The CIN census has no such element here."
REPEATED_ELEMENT = "This element may appear only once here."
MISSING_CHILD_ID = "Every child needs an LAchildID; without it the child cannot be matched."
MISSING_REQUIRED = "This element is required: the record cannot hold the item without it."
BAD_DATE = "Not a date in the form YYYY-MM-DD."
BAD_CODE = "Not a code in the {name} list: {codes}."
BAD_BOOLEAN = "Must be true, false, 1 or 0."
BAD_INTEGER = "Must be a whole number, 0 or more."
NOT_CIN = "The file's root element is <{tag}>, not <Message>: it is not a CIN census."
NO_CHILDREN = "The file has no <Children> with <Child> elements: it is not a CIN census."
UNKNOWN_TOP = "The CIN census has no element <{tag}> under <{parent}>."

ROOT = "/Message/Children/Child"

_CHILD_IDS = (
    "LAchildID",
    "UPN",
    "FormerUPN",
    "UPNunknown",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
    "GenderCurrent",
    "Sex",
    "PersonDeathDate",
)
_CIN_LEAVES = (
    "CINreferralDate",
    "ReferralSource",
    "PrimaryNeedCode",
    "CINclosureDate",
    "ReasonForClosure",
    "DateOfInitialCPC",
    "ReferralNFA",
)
_ASSESSMENT = (
    "AssessmentActualStartDate",
    "AssessmentInternalReviewDate",
    "AssessmentAuthorisationDate",
)
_PLAN = ("CINPlanStartDate", "CINPlanEndDate")
_S47 = ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired")
_CPP = (
    "CPPstartDate",
    "CPPendDate",
    "InitialCategoryOfAbuse",
    "LatestCategoryOfAbuse",
    "NumberOfPreviousCPP",
)
_PRE_PROCEEDINGS = frozenset(
    {
        "PPStartDate",
        "LBPSentDate",
        "FGDMMeetingOffer",
        "FGDMMeetingFac",
        "InitialPPMeetingDate",
        "ReviewMeetingsCount",
        "StepDecisionDate",
        "PPOutcome",
        "CourtAppDate",
        "LetterInitCPDate",
    }
)
#: The same names as sets, for the membership tests made on every element.
_IS_CHILD_ID, _IS_CIN_LEAF = frozenset(_CHILD_IDS), frozenset(_CIN_LEAVES)
_IS_ASSESSMENT, _IS_PLAN = frozenset(_ASSESSMENT), frozenset(_PLAN)
_IS_S47, _IS_CPP = frozenset(_S47), frozenset(_CPP)
_HEADER = (
    "Collection",
    "Year",
    "ReferenceDate",
    "SourceLevel",
    "LEA",
    "SoftwareCode",
    "Release",
    "SerialNo",
    "DateTime",
)

#: Code-checked items: element -> code list. Any code valid in any year is readable; whether it
#: was valid in the return's year is a validation rule, reported, not refused.
_CODES = {
    "UPNunknown": cin.UPN_UNKNOWN,
    "GenderCurrent": cin.GENDER_CURRENT,
    "Sex": cin.CIN_SEX,
    "Ethnicity": cin.ETHNICITY,
    "Disability": cin.DISABILITY,
    "ReferralSource": cin.REFERRAL_SOURCE,
    "PrimaryNeedCode": cin.PRIMARY_NEED,
    "ReasonForClosure": cin.REASON_FOR_CLOSURE,
    "InitialCategoryOfAbuse": cin.CATEGORY_OF_ABUSE,
    "LatestCategoryOfAbuse": cin.CATEGORY_OF_ABUSE,
    "AssessmentFactors": cin.ASSESSMENT_FACTORS,
}
_VALID = {name: lst.valid() for name, lst in _CODES.items()}
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}

#: Items the journey record cannot hold without (non-null columns): a child missing one is
#: refused rather than loaded wrongly.
_REQUIRED = {
    "CINdetails": ("CINreferralDate",),
    "Assessments": ("AssessmentActualStartDate",),
    "CINplanDates": ("CINPlanStartDate",),
    "Section47": ("S47ActualStartDate",),
    "ChildProtectionPlans": ("CPPstartDate", "NumberOfPreviousCPP"),
    "Reviews": ("CPPreviewDate",),
}

#: Where each table's rows sit in the file, from the location columns kept while reading.
_PATHS = {
    "ChildIdentifiers": (ROOT + "[{}]/ChildIdentifiers/", ("_child",)),
    "CINdetails": (ROOT + "[{}]/CINdetails[{}]/", ("_child", "CINdetailsID")),
    "Assessments": (
        ROOT + "[{}]/CINdetails[{}]/Assessments[{}]/",
        ("_child", "CINdetailsID", "AssessmentID"),
    ),
    "CINplanDates": (
        ROOT + "[{}]/CINdetails[{}]/CINPlanDates[{}]/",
        ("_child", "CINdetailsID", "_k"),
    ),
    "Section47": (ROOT + "[{}]/CINdetails[{}]/Section47[{}]/", ("_child", "CINdetailsID", "S47ID")),
    "ChildProtectionPlans": (
        ROOT + "[{}]/CINdetails[{}]/ChildProtectionPlans[{}]/",
        ("_child", "CINdetailsID", "CPPID"),
    ),
    "Reviews": (
        ROOT + "[{}]/CINdetails[{}]/ChildProtectionPlans[{}]/Reviews/CPPreviewDate[{}]",
        ("_child", "CINdetailsID", "CPPID", "_k"),
    ),
}


_KEY = ("_child", "LAchildID", "CINdetailsID")
#: Each table's columns as read, in the order its row tuples are built.
_COLUMNS = {
    "ChildIdentifiers": ("_child", *_CHILD_IDS),
    "ChildCharacteristics": ("_child", "LAchildID", "Ethnicity"),
    "Disabilities": ("_child", "LAchildID", "Disability"),
    "CINdetails": (*_KEY, *_CIN_LEAVES),
    "Assessments": (*_KEY, "AssessmentID", *_ASSESSMENT, "AssessmentFactors"),
    "CINplanDates": (*_KEY, "_k", *_PLAN),
    "Section47": (*_KEY, "S47ID", *_S47),
    "ChildProtectionPlans": (*_KEY, "CPPID", *_CPP),
    "Reviews": (*_KEY, "CPPID", "_k", "CPPreviewDate"),
}


@dataclass
class _Sink:
    """Row tuples for every table, and the problems found so far, for one piece of a file:
    those found walking its elements, then those of each column check (one list per check,
    in the checks' fixed order, so pieces merge into the order one whole read gives)."""

    file: str
    rows: dict[str, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    problems: list[Problem] = field(default_factory=list)
    checks: list[list[Problem]] = field(default_factory=list)
    bad_children: set[int] = field(default_factory=set)

    def problem(self, child: int, path: str, name: str, value: str | None, rule: str) -> None:
        self.problems.append(Problem(self.file, path, name, value or "", rule))
        self.bad_children.add(child)


@dataclass
class Piece:
    """Consecutive children of a file as read: typed frames with its unreadable children left
    out (keyed by `_child`, the child's position in the file; duplicates not yet merged), its
    problems, and the header if read by then. The last piece of a file has `last` set.

    `read_file` is one piece; `read_pieces` gives several, so that an importer can load the
    first while the rest is read. `merge` makes of them what one piece would have been."""

    frames: Return
    problems: list[Problem]
    checks: list[list[Problem]]
    header: dict[str, str | None] | None
    last: bool = False
    validation: list[str] | None = None  # the last piece's: the whole file's DfE rules summary
    #: The file's children end here, and one more piece with the DfE rules' summary follows
    #: (`read_pieces_checked`): an importer can finish its load while the rules are checked.
    rules_follow: bool = False

    @property
    def year(self) -> int | None:
        return _year(self.header or {})

    def loadable(self) -> Return:
        """This piece's frames as `read_file` gives a file's (duplicate IDs merged within it)."""
        frames = conform(_merge_duplicates(self.frames), CIN_CENSUS)
        frames["Header"] = _header_frame(self.header or {})
        return frames

    def child_ids(self) -> set[str]:
        return set(self.frames["ChildIdentifiers"]["LAchildID"].to_list())


def _text(el: etree._Element) -> str | None:
    t = el.text
    if t is None:
        return None
    t = t.strip()
    return t or None


def _leaves(
    el: etree._Element,
    allowed: tuple[str, ...] | frozenset[str],
    sink: _Sink,
    child: int,
    path: str,
) -> dict[str, str | None]:
    """The text of each allowed leaf under `el`; anything else is a problem."""
    out: dict[str, str | None] = {}
    for c in el:
        tag = c.tag
        if tag in allowed and len(c) == 0:
            if tag in out:
                sink.problem(child, f"{path}/{tag}", tag, _text(c), REPEATED_ELEMENT)
            out[tag] = (c.text or "").strip() or None
        else:
            sink.problem(child, f"{path}/{tag}", str(tag), None, UNKNOWN_ELEMENT)
    return out


def _code(
    sink: _Sink, child: int, parent: str, name: str, value: str | None, where: str = ""
) -> str | None:
    """A code checked against its list; a problem at `where`, else at `parent`/`name` (the
    path is only built for a problem: this runs for most items of the file)."""
    if value is not None and value not in _VALID[name]:
        codes = ", ".join(sorted(_VALID[name]))
        rule = BAD_CODE.format(name=_CODES[name].name, codes=codes)
        sink.problem(child, where or f"{parent}/{name}", name, value, rule)
    return value


def _flag(sink: _Sink, child: int, parent: str, name: str, value: str | None) -> bool | None:
    """A yes/no item; both are required by the record (non-null), so absent is a problem."""
    if value is None:
        sink.problem(child, f"{parent}/{name}", name, None, MISSING_REQUIRED)
        return None
    flag = _BOOLEANS.get(value.lower())
    if flag is None:
        sink.problem(child, f"{parent}/{name}", name, value, BAD_BOOLEAN)
    return flag


def _read_child(el: etree._Element, pos: int, sink: _Sink) -> None:
    """Turn one <Child> into rows of every table."""
    base = f"{ROOT}[{pos}]"
    child_id: str | None = None
    details = 0
    for part in el:
        tag = part.tag
        if tag == "ChildIdentifiers":
            child_id = _identifiers(part, pos, base, sink)
        elif tag == "ChildCharacteristics":
            _characteristics(part, pos, base, sink, child_id)
        elif tag == "CINdetails":
            details += 1
            _cin_details(part, pos, details, f"{base}/CINdetails[{details}]", sink, child_id)
        else:
            sink.problem(pos, f"{base}/{tag}", str(tag), None, UNKNOWN_ELEMENT)
    if child_id is None:
        sink.problem(pos, f"{base}/ChildIdentifiers/LAchildID", "LAchildID", None, MISSING_CHILD_ID)


def _identifiers(el: etree._Element, pos: int, base: str, sink: _Sink) -> str | None:
    path = f"{base}/ChildIdentifiers"
    v = _leaves(el, _IS_CHILD_ID, sink, pos, path)
    for name in ("UPNunknown", "GenderCurrent", "Sex"):
        _code(sink, pos, path, name, v.get(name))
    sink.rows["ChildIdentifiers"].append((pos, *[v.get(k) for k in _CHILD_IDS]))
    return v.get("LAchildID")


def _characteristics(
    el: etree._Element, pos: int, base: str, sink: _Sink, child_id: str | None
) -> None:
    path = f"{base}/ChildCharacteristics"
    ethnicity = None
    for c in el:
        if c.tag == "Ethnicity" and len(c) == 0:
            ethnicity = _code(sink, pos, path, "Ethnicity", _text(c))
        elif c.tag == "Disabilities":
            for k, d in enumerate(c, 1):
                where = f"{path}/Disabilities/Disability[{k}]"
                if d.tag != "Disability" or len(d):
                    sink.problem(pos, where, str(d.tag), None, UNKNOWN_ELEMENT)
                    continue
                value = _code(sink, pos, path, "Disability", _text(d), where)
                sink.rows["Disabilities"].append((pos, child_id, value))
        else:
            sink.problem(pos, f"{path}/{c.tag}", str(c.tag), None, UNKNOWN_ELEMENT)
    sink.rows["ChildCharacteristics"].append((pos, child_id, ethnicity))


def _cin_details(
    el: etree._Element, pos: int, d: int, path: str, sink: _Sink, child_id: str | None
) -> None:
    leaves: dict[str, str | None] = {}
    counts = {"Assessments": 0, "CINPlanDates": 0, "Section47": 0, "ChildProtectionPlans": 0}
    key = (pos, child_id, d)
    for c in el:
        tag = c.tag
        if tag in counts:
            counts[tag] += 1
            n = counts[tag]
            where = f"{path}/{tag}[{n}]"
            _MODULES[tag](c, pos, key, n, where, sink)
        elif tag == "PreProceedingsandFGDM":
            _leaves(c, _PRE_PROCEEDINGS, sink, pos, f"{path}/{tag}")
        elif tag in _IS_CIN_LEAF and len(c) == 0:
            if tag in leaves:
                sink.problem(pos, f"{path}/{tag}", tag, _text(c), REPEATED_ELEMENT)
            leaves[tag] = (c.text or "").strip() or None
        else:
            sink.problem(pos, f"{path}/{tag}", str(tag), None, UNKNOWN_ELEMENT)
    for name in ("ReferralSource", "PrimaryNeedCode", "ReasonForClosure"):
        _code(sink, pos, path, name, leaves.get(name))
    nfa = _flag(sink, pos, path, "ReferralNFA", leaves.get("ReferralNFA"))
    values = [leaves.get(k) for k in _CIN_LEAVES[:-1]]
    sink.rows["CINdetails"].append((*key, *values, nfa))


def _assessment(el, pos, key, n, path, sink) -> None:
    leaves: dict[str, str | None] = {}
    factors: list[str] = []
    for c in el:
        if c.tag == "FactorsIdentifiedAtAssessment":
            for k, f in enumerate(c, 1):
                where = f"{path}/FactorsIdentifiedAtAssessment/AssessmentFactors[{k}]"
                if f.tag != "AssessmentFactors" or len(f):
                    sink.problem(pos, where, str(f.tag), None, UNKNOWN_ELEMENT)
                    continue
                value = _code(sink, pos, path, "AssessmentFactors", _text(f), where)
                if value is not None:
                    factors.append(value)
        elif c.tag in _IS_ASSESSMENT and len(c) == 0:
            leaves[c.tag] = (c.text or "").strip() or None
        else:
            sink.problem(pos, f"{path}/{c.tag}", str(c.tag), None, UNKNOWN_ELEMENT)
    values = [leaves.get(k) for k in _ASSESSMENT]
    sink.rows["Assessments"].append((*key, n, *values, "|".join(factors)))


def _plan(el, pos, key, n, path, sink) -> None:
    v = _leaves(el, _IS_PLAN, sink, pos, path)
    sink.rows["CINplanDates"].append((*key, n, v.get("CINPlanStartDate"), v.get("CINPlanEndDate")))


def _section47(el, pos, key, n, path, sink) -> None:
    v = _leaves(el, _IS_S47, sink, pos, path)
    flag = _flag(sink, pos, path, "ICPCnotRequired", v.get("ICPCnotRequired"))
    sink.rows["Section47"].append((*key, n, *[v.get(k) for k in _S47[:3]], flag))


def _cp_plan(el, pos, key, n, path, sink) -> None:
    leaves: dict[str, str | None] = {}
    for c in el:
        if c.tag == "Reviews":
            for k, r in enumerate(c, 1):
                where = f"{path}/Reviews/CPPreviewDate[{k}]"
                if r.tag != "CPPreviewDate" or len(r):
                    sink.problem(pos, where, str(r.tag), None, UNKNOWN_ELEMENT)
                    continue
                sink.rows["Reviews"].append((*key, n, k, _text(r)))
        elif c.tag in _IS_CPP and len(c) == 0:
            leaves[c.tag] = (c.text or "").strip() or None
        else:
            sink.problem(pos, f"{path}/{c.tag}", str(c.tag), None, UNKNOWN_ELEMENT)
    for name in ("InitialCategoryOfAbuse", "LatestCategoryOfAbuse"):
        _code(sink, pos, path, name, leaves.get(name))
    sink.rows["ChildProtectionPlans"].append((*key, n, *[leaves.get(k) for k in _CPP]))


_MODULES = {
    "Assessments": _assessment,
    "CINPlanDates": _plan,
    "Section47": _section47,
    "ChildProtectionPlans": _cp_plan,
}


def read_file(path: Path, *, limit: int = safety.MAX_FILE_BYTES) -> ReadResult:
    """Read one CIN census file; unreadable children are left out and listed as problems."""
    return merge(list(read_pieces(path, limit=limit)))


def merge(pieces: list[Piece]) -> ReadResult:
    """The file's frames and problems from all its pieces, in order: as one piece gives them
    (walk problems in document order, then each column check's across the pieces)."""
    checks = [
        p for group in zip(*(x.checks for x in pieces), strict=True) for part in group for p in part
    ]
    typed = {name: pl.concat([x.frames[name] for x in pieces], how="vertical") for name in _COLUMNS}
    header = pieces[-1].header or {}
    frames = conform(_merge_duplicates(typed), CIN_CENSUS)
    frames["Header"] = _header_frame(header)
    problems = [p for x in pieces for p in x.problems] + checks
    return ReadResult(frames=frames, problems=problems, year=_year(header))


def read_pieces(
    path: Path,
    *,
    limit: int = safety.MAX_FILE_BYTES,
    chunk: int | None = None,
    first: int | None = None,
) -> Iterator[Piece]:
    """Read one CIN census file as pieces of `chunk` children (None: one piece), the first of
    `first` if given (a small first piece lets a loader start sooner). A refusal of the whole
    file (not XML, a DOCTYPE, not a census) may come after earlier pieces."""
    sink = _Sink(file=Path(path).name)
    header: dict[str, str | None] | None = None
    children = 0
    cut = first or chunk
    root = None
    for el in safety.safe_iterparse(path, tags=("Child", "Header", "Children"), limit=limit):
        if root is None:
            root = el.getroottree().getroot()
            if root.tag != "Message":
                raise safety.refuse(path, NOT_CIN.format(tag=root.tag))
        if el.tag == "Children":
            continue
        if el.tag == "Header":
            header = _header(el)
            continue
        children += 1
        _read_child(el, children, sink)
        el.clear()
        parent = el.getparent()
        while el.getprevious() is not None:
            del parent[0]
        if chunk and children == cut:
            yield _piece(sink, header)
            sink, cut = _Sink(file=sink.file), cut + chunk
    _check_top(path, root, children)
    yield _piece(sink, header, last=True)


def read_pieces_checked(path: Path, **options) -> Iterator[Piece]:
    """`read_pieces`, then one more piece without children carrying the DfE rules' summary of
    the whole file (as the import reports it): a worker checks the rules while the importer
    loads the last children read."""
    from ..validation import import_lines

    done: list[Piece] = []
    for piece in read_pieces(path, **options):
        done.append(piece)
        if not piece.last:
            yield piece
            continue
        piece.last, piece.rules_follow = False, True
        yield piece
        whole = merge(done)
        closing = _piece(_Sink(file=Path(path).name), piece.header, last=True)
        closing.validation = import_lines(Path(path).name, "cin-census", whole.frames, whole.year)
        yield closing


def _piece(sink: _Sink, header: dict[str, str | None] | None, *, last: bool = False) -> Piece:
    return Piece(_frames(sink), sink.problems, sink.checks, header, last)


def _header_frame(header: dict[str, str | None]) -> pl.DataFrame:
    row = {k: [header.get(k)] for k in _HEADER}
    df = pl.DataFrame(row, schema={k: pl.Utf8 for k in _HEADER})
    ref = pl.col("ReferenceDate").str.to_date("%Y-%m-%d", strict=False)
    return df.with_columns(ref.alias("ReferenceDate"))


def _header(el: etree._Element) -> dict[str, str | None]:
    return {c.tag: _text(c) for c in el.iter() if c.tag in _HEADER and len(c) == 0}


def _check_top(path: Path, root, children: int) -> None:
    """Refuse a file whose outline is not a census: unknown top-level elements, no children."""
    if root is None or children == 0:
        raise safety.refuse(path, NO_CHILDREN)
    allowed = {"Message": {"Header", "Children"}, "Children": {"Child"}}
    for parent in (root, root.find("Children")):
        if parent is None:
            continue
        for c in parent:
            if c.tag not in allowed[parent.tag]:
                raise safety.refuse(
                    path,
                    UNKNOWN_TOP.format(tag=c.tag, parent=parent.tag),
                    location=f"line {c.sourceline}",
                    field=str(c.tag),
                )


def _year(header: dict[str, str | None]) -> int | None:
    """The collection year (by its end) the file says: ReferenceDate's 31 March, else Year."""
    ref = header.get("ReferenceDate")
    try:
        ref_date = date.fromisoformat(ref) if ref else None
    except ValueError:
        ref_date = None
    if ref_date is not None and (ref_date.month, ref_date.day) == (3, 31):
        return ref_date.year
    year = header.get("Year")
    if year and year.isdigit():
        return int(year)
    if ref_date is not None:
        return ref_date.year + (ref_date.month > 3)
    return None


def _frames(sink: _Sink) -> Return:
    """Row tuples -> typed frames; dates and numbers checked a column at a time; children with
    a problem left out."""
    raw = {
        name: pl.DataFrame(
            sink.rows.get(name, []), orient="row", schema={c: _raw_type(c) for c in cols}
        )
        for name, cols in _COLUMNS.items()
    }
    _check_required(raw, sink)
    typed = {name: _typed(name, df, sink) for name, df in raw.items()}
    if sink.bad_children:
        bad = sorted(sink.bad_children)
        typed = {k: df.filter(~pl.col("_child").is_in(bad)) for k, df in typed.items()}
    return typed


def _merge_duplicates(typed: Return) -> Return:
    """Number episodes per LAchildID, so two <Child> elements with one ID are one child.

    One child is one child (matched on LAchildID); a return that lists a child twice breaks
    rule 8510, which the validation report names, but its episodes are all kept.
    """
    if not typed["ChildIdentifiers"]["LAchildID"].is_duplicated().any():
        return typed
    numbers = (
        typed["CINdetails"]
        .sort("_child", "CINdetailsID")
        .with_columns(pl.int_range(1, pl.len() + 1).over("LAchildID").alias("_new"))
        .select("_child", "CINdetailsID", "_new")
    )
    out = {}
    for name, df in typed.items():
        if "CINdetailsID" in df.columns:
            df = (
                df.join(numbers, on=["_child", "CINdetailsID"], how="left")
                .with_columns(pl.col("_new").alias("CINdetailsID"))
                .drop("_new")
            )
        out[name] = df
    return out


_INT_KEYS = frozenset({"_child", "_k", "CINdetailsID", "AssessmentID", "S47ID", "CPPID"})


def _raw_type(column: str) -> pl.DataType:
    if column in _INT_KEYS:
        return pl.Int64()
    if column in ("ReferralNFA", "ICPCnotRequired"):
        return pl.Boolean()
    return pl.Utf8()  # AssessmentFactors too: "|"-joined while reading, split afterwards


def _location(name: str, column: str) -> pl.Expr:
    template, keys = _PATHS[name]
    suffix = "" if name == "Reviews" else column
    return pl.format(template + suffix, *[pl.col(k) for k in keys])


def _report(name: str, df: pl.DataFrame, column: str, bad: pl.Expr, rule: str, sink: _Sink) -> None:
    """One column check: its problems are a list of their own in `sink.checks`, even if none."""
    found: list[Problem] = []
    sink.checks.append(found)
    hits = df.filter(bad)
    if hits.is_empty() or name not in _PATHS:
        return
    where = hits.select(
        _location(name, column).alias("p"),
        pl.col("_child"),
        pl.col(column).cast(pl.Utf8).alias("v"),
    )
    for p, child, v in where.iter_rows():
        found.append(Problem(sink.file, p, column, v or "", rule))
        sink.bad_children.add(child)


def _check_required(raw: dict[str, pl.DataFrame], sink: _Sink) -> None:
    for name, columns in _REQUIRED.items():
        df = raw.get(name)
        if df is None:
            continue
        for col in columns:
            _report(name, df, col, pl.col(col).is_null(), MISSING_REQUIRED, sink)


def _typed(name: str, df: pl.DataFrame, sink: _Sink) -> pl.DataFrame:
    """Cast each column to its CIN_CENSUS type, reporting values that will not cast."""
    schema = CIN_CENSUS.get(name, {})
    exprs = []
    for col in df.columns:
        kind = schema.get(col)
        if kind == pl.Date:
            parsed = pl.col(col).str.to_date("%Y-%m-%d", strict=False)
            _report(name, df, col, pl.col(col).is_not_null() & parsed.is_null(), BAD_DATE, sink)
            exprs.append(parsed.alias(col))
        elif kind == pl.Int64 and df.schema[col] == pl.Utf8:
            parsed = pl.col(col).str.strip_chars().cast(pl.Int64, strict=False)
            bad = pl.col(col).is_not_null() & (parsed.is_null() | (parsed < 0))
            _report(name, df, col, bad, BAD_INTEGER, sink)
            exprs.append(parsed.alias(col))
        elif col == "AssessmentFactors":
            split = pl.col(col).str.split("|")
            exprs.append(
                pl.when(pl.col(col) == "")
                .then(pl.lit([], pl.List(pl.Utf8)))
                .otherwise(split)
                .alias(col)
            )
        else:
            exprs.append(pl.col(col))
    return df.select(exprs)


def read(paths: list[Path], *, limit: int = safety.MAX_FILE_BYTES) -> ReadResult:
    """Read one CIN census file (the codec reads several files one at a time)."""
    if len(paths) != 1:
        raise ReturnRefused(
            [
                Problem(
                    "",
                    safety.WHOLE_FILE,
                    "",
                    str(len(paths)),
                    "A CIN census is one XML file; give one file at a time.",
                )
            ]
        )
    return read_file(paths[0], limit=limit)
