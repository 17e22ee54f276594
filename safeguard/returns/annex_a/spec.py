"""Ofsted's ILACS Annex A lists 1 to 11 as data: sheet columns, their types and value lists.

Column headers are the template's, as liia-tools records them (`liiatools/spec/annex_a/
la-agg.yml`, its aggregator's own "LA" column left out); value lists per
shared/reference/annex-a.md. Ofsted revises the workbook now and then ("Gender" becomes "Sex",
columns are added): exact header text is marked [verify against the current template] there.
"""

from __future__ import annotations

import polars as pl

from safeguard.codes import cin, ssda903

_PERSON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
_DISAB = "Does the Child have a Disability"
_ALLOC = ["Allocated Team", "Allocated Worker"]

#: The reader's frame of the rows it set aside as unreadable: "list" and "id" (the row's child or
#: adopter identifier, null when missing), so that a load does not take them for rows no longer
#: listed.
SET_ASIDE = "row(s) set aside"

LISTS: dict[str, list[str]] = {
    "List 1": [*_PERSON, "Date of Contact", "Contact Source"],
    "List 2": [
        *_PERSON,
        "Assessment start date",
        "Assessment completion date",
        "Organisation completing assessment",
    ],
    "List 3": [
        *_PERSON,
        "Date of referral",
        "Referral Source",
        "Referral NFA?",
        "Number of Referrals in Last 12 Months",
        *_ALLOC,
    ],
    "List 4": [
        *_PERSON,
        _DISAB,
        "Continuous Assessment Start Date",
        "Child Seen During Continuous Assessment",
        "Continuous Assessment Date of Authorisation",
        "Was the child assessed as requiring LA children's social care support?",
        *_ALLOC,
    ],
    "List 5": [
        *_PERSON,
        _DISAB,
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
        *_ALLOC,
    ],
    "List 6": [
        *_PERSON,
        _DISAB,
        "CIN Start Date",
        "Primary Need Code",
        "Date Child Was Last Seen",
        "CIN Closure Date",
        "Reason for Closure",
        "Case Status",
        *_ALLOC,
    ],
    "List 7": [
        *_PERSON,
        _DISAB,
        "Child Protection Plan Start Date",
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?",
        "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last "
        "Six Months (Y/N)",
        "Number of Previous Child Protection Plans",
        *_ALLOC,
    ],
    "List 8": [
        *_PERSON,
        _DISAB,
        "Date Started to be Looked After",
        "Child's Category of Need",
        "Is this a second or subsequent period of being a Looked After Child within the "
        "last 12 months (Y/N)",
        "Start date of current legal status",
        "Child's Legal Status",
        "Date of Latest Statutory Review",
        "Date of Last Social Work Visit",
        "What is the permanence plan for this child?",
        "Date of Last IRO Visit / Contact to the Child",
        "Date of Last Health Assessment",
        "Date of Last Dental Check",
        "Number of Placements in the Last 12 months",
        "Date Ceased to be Looked After",
        "Reason Ceased to be Looked After",
        "Start Date of Most Recent Placement",
        "Placement Type",
        "Placement Provider",
        "Placement postcode",
        "URN of Placement",
        "Placement Location",
        "LA of Placement",
        "Number of Episodes the Child has been 'Missing' from their Placement in the last "
        "12 months",
        "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
        "Was the child offered a Return Interview after their last missing episode (Y/N)?",
        "Did the child accept a Return Interview after their last missing episode (Y/N)?",
        *_ALLOC,
    ],
    "List 9": [
        *_PERSON,
        _DISAB,
        *_ALLOC,
        "Eligibility Category",
        "LA in Touch",
        "Type of Accommodation",
        "Suitability of Accommodation",
        "Activity Status",
    ],
    "List 10": [
        "Child Unique ID",
        "Family identifier",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        _DISAB,
        "Date the Child Entered Care",
        "Date of Decision that Child Should be Placed for Adoption",
        "Date of Placement Order",
        "Date of Matching Child and Prospective Adopters",
        "Date Placed for Adoption",
        "Date of Adoption Order",
        "Date of Decision that Child Should No Longer be Placed for Adoption",
        "Reason Why Child No Longer Placed for Adoption",
        "Date the child was placed for fostering in FFA or concurrent planning placement",
    ],
    "List 11": [
        "Individual adopter identifier",
        "Family identifier",
        "Gender",
        "Ethnicity",
        "Disability",
        "Is the (prospective) adopter fostering for adoption?",
        "Date enquiry received",
        "Date Stage 1 started",
        "Date Stage 1 ended",
        "Date Stage 2 started",
        "Date Stage 2 ended",
        "Date application submitted",
        "Date application approved",
        "Date adopter matched with child(ren)",
        "Date child/children placed with adopter(s)",
        "No. of children placed",
        "Date of Adoption Order",
        "Date of leaving adoption process",
        "Reason for leaving adoption process",
    ],
}

TITLES = {
    "List 1": "Contacts",
    "List 2": "Early help",
    "List 3": "Referrals",
    "List 4": "Assessments",
    "List 5": "Section 47 enquiries and ICPCs",
    "List 6": "Children in need",
    "List 7": "Child protection",
    "List 8": "Children looked after",
    "List 9": "Care leavers",
    "List 10": "Adoption",
    "List 11": "Adopters",
}


#: Lists with one row per identifier (their first column): List 11 has a row per adopter.
ONE_ROW_PER_ID = frozenset({"List 11"})

#: Longest text the record holds for a column (the `Adopter` model's lengths, List 11).
MAX_LENGTH: dict[str, dict[str, int]] = {
    "List 11": {
        "Individual adopter identifier": 36,
        "Family identifier": 36,
        "Disability": 60,
        "Reason for leaving adoption process": 60,
    }
}


def _is_date(col: str) -> bool:
    return (
        col.startswith("Date")
        or col.endswith("Date")
        or " date " in f" {col} "
        or col
        in {
            "Continuous Assessment Date of Authorisation",
            "CIN Start Date",
            "Start Date of Most Recent Placement",
            "Start date of current legal status",
            "Strategy discussion initiating Section 47 Enquiry Start Date",
            "Child Protection Plan Start Date",
            "Child Protection Plan End Date",
            "Date of latest review conference",
            "Date the child was placed for fostering in FFA or concurrent planning placement",
        }
    )


def _is_count(col: str) -> bool:
    return col.startswith(("Number of", "No. of", "Age of Child"))


def schema(name: str) -> dict[str, type[pl.DataType]]:
    """A list's frame columns and types: dates, whole numbers, otherwise text."""
    return {
        c: pl.Date if _is_date(c) else pl.Int64 if _is_count(c) else pl.Utf8 for c in LISTS[name]
    }


# --- value lists (the text the template's drop-downs offer) ------------------------------------

YES, NO = "Yes", "No"
YES_NO = (YES, NO)
#: The source of the rows an Annex A load writes: "annex-a:<as-at date>".
SOURCE_PREFIX = "annex-a:"


def flag(cell: pl.Expr) -> pl.Expr:
    """A Yes/No cell as the record's flag (a blank cell stays unknown)."""
    return pl.when(cell.is_null()).then(None).otherwise(cell == YES)


def yes_no(flag: pl.Expr) -> pl.Expr:
    """The record's flag as a Yes/No cell (unknown stays blank)."""
    return pl.when(flag.is_null()).then(None).when(flag).then(pl.lit(YES)).otherwise(pl.lit(NO))


#: Gender as the template lists it, and the record's sex code for each.
GENDER = {"a) Male": "1", "b) Female": "2", "c) Not stated/recorded": "0", "d) Neither": "9"}
CASE_STATUS = (
    "a) Looked after child",
    "b) Child Protection plan",
    "c) Child in need plan",
    "d) Open assessment",
    "e) Closed episode",
)
ELIGIBILITY = ("a) Relevant", "b) Former relevant", "c) Qualifying care leaver")
SUITABILITY = {"1": "Suitable", "2": "Unsuitable"}
IN_TOUCH = {
    "YES": "Yes",
    "NO": "No",
    "DIED": "Died",
    "REFU": "REFU",
    "NREQ": "NREQ",
    "RHOM": "RHOM",
}
PERMANENCE_PLAN = (
    "a) Return to family",
    "b) Adoption",
    "c) SGO/CAO",
    "d) Supported living in the community",
    "e) Long-term residential",
    "f) Long-term fostering",
    "g) Other",
)

#: Columns whose cells are codes of a DfE list (the template lists the codes).
CODE_COLUMNS = {
    "Ethnicity": cin.ETHNICITY,
    "Contact Source": cin.REFERRAL_SOURCE,
    "Referral Source": cin.REFERRAL_SOURCE,
    "Primary Need Code": cin.PRIMARY_NEED,
    "Reason for Closure": cin.REASON_FOR_CLOSURE,
    "Child's Category of Need": ssda903.CATEGORY_OF_NEED,
    "Child's Legal Status": ssda903.LEGAL_STATUS,
    "Reason Ceased to be Looked After": ssda903.REC,
    "Placement Type": ssda903.PLACE,
    "Placement Provider": ssda903.PLACE_PROVIDER,
    "Activity Status": ssda903.ACTIV,
    "Reason Why Child No Longer Placed for Adoption": ssda903.REASON_PLACED_CEASED,
}
CATEGORY_COLUMNS = ("Initial Category of Abuse", "Latest Category of Abuse")


def value_list(col: str) -> list[str] | None:
    """The values the template offers in a column's drop-down, if it has one."""
    if col == "Gender":
        return list(GENDER)
    if col in CODE_COLUMNS:
        return [c.code for c in CODE_COLUMNS[col]]
    if col in CATEGORY_COLUMNS:
        return [c.label for c in cin.CATEGORY_OF_ABUSE]
    return {
        "Case Status": list(CASE_STATUS),
        "Eligibility Category": list(ELIGIBILITY),
        "LA in Touch": list(IN_TOUCH.values()),
        "Suitability of Accommodation": list(SUITABILITY.values()),
        "Type of Accommodation": sorted({c.code[0] for c in ssda903.ACCOM if c.code != "0"}),
        "What is the permanence plan for this child?": list(PERMANENCE_PLAN),
    }.get(col, list(YES_NO) if _is_yes_no(col) else None)


def _is_yes_no(col: str) -> bool:
    return (
        col == _DISAB
        or "(Y/N)" in col
        or col.startswith(("Was ", "Did ", "Is "))
        or col in {"Referral NFA?", "Child Seen During Continuous Assessment"}
    )
