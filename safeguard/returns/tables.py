"""The tables of each return as polars frames: the one contract between readers, writers, rules.

A return in memory is a `dict[str, polars.DataFrame]` keyed by the table names below, with exactly
these columns and types. Readers (files in), the record (`frames_from_record`), writers (files
out) and the validation rules all speak this shape, so a rule runs the same on an uploaded file,
on the live record and on a region's pooled returns. Column names are the DfE's own (CIN census
XML element names; SSDA903 CSV headers), per `shared/reference/cin-census.md` and `ssda903.md`.
Keys added by us (not in the return) are `CINdetailsID`, `AssessmentID`, `CPPID`, `S47ID` in the
CIN tables (an episode's position within the child), so nested elements can be joined back.
"""

from __future__ import annotations

import polars as pl

Schema = dict[str, type[pl.DataType] | pl.DataType]

S, D, B, I = pl.Utf8, pl.Date, pl.Boolean, pl.Int64  # noqa: E741

CIN_CENSUS: dict[str, Schema] = {
    "Header": {
        "Collection": S,
        "Year": S,
        "ReferenceDate": D,
        "SourceLevel": S,
        "LEA": S,
        "SoftwareCode": S,
        "Release": S,
        "SerialNo": S,
        "DateTime": S,
    },
    "ChildIdentifiers": {
        "LAchildID": S,
        "UPN": S,
        "FormerUPN": S,
        "UPNunknown": S,
        "PersonBirthDate": D,
        "ExpectedPersonBirthDate": D,
        "GenderCurrent": S,
        "Sex": S,
        "PersonDeathDate": D,
    },
    "ChildCharacteristics": {"LAchildID": S, "Ethnicity": S},
    "Disabilities": {"LAchildID": S, "Disability": S},
    "CINdetails": {
        "LAchildID": S,
        "CINdetailsID": I,
        "CINreferralDate": D,
        "ReferralSource": S,
        "PrimaryNeedCode": S,
        "CINclosureDate": D,
        "ReasonForClosure": S,
        "DateOfInitialCPC": D,
        "ReferralNFA": B,
    },
    "Assessments": {
        "LAchildID": S,
        "CINdetailsID": I,
        "AssessmentID": I,
        "AssessmentActualStartDate": D,
        "AssessmentInternalReviewDate": D,
        "AssessmentAuthorisationDate": D,
        "AssessmentFactors": pl.List(S),
    },
    "CINplanDates": {"LAchildID": S, "CINdetailsID": I, "CINPlanStartDate": D, "CINPlanEndDate": D},
    "Section47": {
        "LAchildID": S,
        "CINdetailsID": I,
        "S47ID": I,
        "S47ActualStartDate": D,
        "InitialCPCtarget": D,
        "DateOfInitialCPC": D,
        "ICPCnotRequired": B,
    },
    "ChildProtectionPlans": {
        "LAchildID": S,
        "CINdetailsID": I,
        "CPPID": I,
        "CPPstartDate": D,
        "CPPendDate": D,
        "InitialCategoryOfAbuse": S,
        "LatestCategoryOfAbuse": S,
        "NumberOfPreviousCPP": I,
    },
    "Reviews": {"LAchildID": S, "CINdetailsID": I, "CPPID": I, "CPPreviewDate": D},
}

SSDA903: dict[str, Schema] = {
    "Header": {
        "CHILD": S,
        "SEX": S,
        "DOB": D,
        "ETHNIC": S,
        "UPN": S,
        "MOTHER": S,
        "MC_DOB": D,
        "UASC": S,
    },
    "Episodes": {
        "CHILD": S,
        "DECOM": D,
        "RNE": S,
        "LS": S,
        "CIN": S,
        "PLACE": S,
        "PLACE_PROVIDER": S,
        "DEC": D,
        "REC": S,
        "REASON_PLACE_CHANGE": S,
        "HOME_POST": S,
        "PL_POST": S,
        "URN": S,
    },
    "UASC": {"CHILD": S, "SEX": S, "DOB": D, "DUC": D},
    "Reviews": {"CHILD": S, "DOB": D, "REVIEW": D, "REVIEW_CODE": S},
    "AD1": {
        "CHILD": S,
        "DOB": D,
        "DATE_INT": D,
        "DATE_MATCH": D,
        "FOSTER_CARE": S,
        "NB_ADOPTR": S,
        "SEX_ADOPTR": S,
        "LS_ADOPTR": S,
    },
    "PlacedAdoption": {
        "CHILD": S,
        "DOB": D,
        "DATE_PLACED": D,
        "DATE_PLACED_CEASED": D,
        "REASON_PLACED_CEASED": S,
    },
    "PrevPerm": {"CHILD": S, "DOB": D, "PREV_PERM": S, "LA_PERM": S, "DATE_PERM": S},
    "Missing": {"CHILD": S, "DOB": D, "MISSING": S, "MIS_START": D, "MIS_END": D},
    "OC2": {
        "CHILD": S,
        "DOB": D,
        "SDQ_SCORE": S,
        "SDQ_REASON": S,
        "CONVICTED": S,
        "HEALTH_CHECK": S,
        "IMMUNISATIONS": S,
        "TEETH_CHECK": S,
        "HEALTH_ASSESSMENT": S,
        "SUBSTANCE_MISUSE": S,
        "INTERVENTION_RECEIVED": S,
        "INTERVENTION_OFFERED": S,
    },
    "OC3": {"CHILD": S, "DOB": D, "IN_TOUCH": S, "ACTIV": S, "ACCOM": S},
    "SWEpisodes": {"CHILD": S, "DOB": D, "SW_ID": S, "SW_DECOM": D, "SW_DEC": D, "SW_REASON": S},
}

#: SSDA903 columns that one form of the return carries and another does not. The child's UASC
#: flag (0/1, "is an unaccompanied asylum-seeking child in the year") is an item of the XML
#: form's HEADER in every year we cover (the 2018-19 technical specification's code set 5.15;
#: the open validator's XML sample); the CSV form's header file has no such column: there a
#: child is UASC by having a row in the UASC file. The CSV reader derives the flag that way and
#: the CSV writer leaves it out; in frames it is always a column (null where not given).
SSDA903_OPTIONAL: dict[str, tuple[str, ...]] = {"Header": ("UASC",)}

Return = dict[str, pl.DataFrame]


def empty(schema: dict[str, Schema]) -> Return:
    """An empty return of the given shape: every table present with its columns."""
    return {name: pl.DataFrame(schema=cols) for name, cols in schema.items()}


def conform(frames: Return, schema: dict[str, Schema]) -> Return:
    """Every table of the schema, with exactly its columns (missing ones null) in order."""
    out: Return = {}
    for name, cols in schema.items():
        df = frames.get(name)
        if df is None:
            out[name] = pl.DataFrame(schema=cols)
            continue
        out[name] = df.select(
            [
                pl.col(c).cast(t) if c in df.columns else pl.lit(None, dtype=t).alias(c)
                for c, t in cols.items()
            ]
        )
    return out
