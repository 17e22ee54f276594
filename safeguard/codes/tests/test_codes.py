"""Tests for the code lists: structure, and known codes present/absent by collection year."""

from __future__ import annotations

import pytest

import safeguard.codes as codes
from safeguard.codes import (
    ACCOM,
    ACTIV,
    ADOPTION_PLACEMENTS,
    ASSESSMENT_FACTORS,
    CATEGORY_OF_NEED,
    CIN_SEX,
    CONTACT_SOURCE,
    ETHNICITY,
    FOSTER_PLACEMENTS,
    GENDER_CURRENT,
    IN_HOUSE_FOSTER_PROVIDERS,
    LEGAL_STATUS,
    MASH_DECISION,
    NO_FACTORS_IDENTIFIED,
    PLACE,
    PLACE_PROVIDER,
    PRIMARY_NEED,
    REASON_FOR_CLOSURE,
    REC,
    REFERRAL_SOURCE,
    REVIEW_CODE,
    REVIEW_PARTICIPATION,
    SEX,
    SHORT_BREAK_LEGAL_STATUSES,
    SUITABLE_ACCOM,
    TEAM_KIND,
    TEMPORARY_PLACEMENTS,
    Code,
    CodeList,
)

ALL_LISTS: dict[str, CodeList] = {
    name: value for name, value in vars(codes).items() if isinstance(value, CodeList)
}
# Lists that deliberately share another list's name (re-exports).
ALIASES = {"REVIEW_PARTICIPATION": "REVIEW_CODE"}


def test_expected_lists_exported():
    expected = {
        # CIN census
        "SEX", "GENDER_CURRENT", "CIN_SEX", "ETHNICITY", "DISABILITY", "UPN_UNKNOWN",
        "REFERRAL_SOURCE", "PRIMARY_NEED", "REASON_FOR_CLOSURE", "CATEGORY_OF_ABUSE",
        "ASSESSMENT_FACTORS",
        # SSDA903
        "RNE", "LEGAL_STATUS", "CATEGORY_OF_NEED", "PLACE", "PLACE_PROVIDER", "REC",
        "REASON_PLACE_CHANGE", "REVIEW_CODE", "SEX_ADOPTR", "LS_ADOPTR", "REASON_PLACED_CEASED",
        "PREV_PERM", "MISSING", "SDQ_REASON", "IN_TOUCH", "ACTIV", "ACCOM", "SW_REASON",
        # local
        "CONTACT_SOURCE", "MASH_DECISION", "EARLY_HELP_OUTCOME", "S47_OUTCOME",
        "CONFERENCE_KIND", "CONFERENCE_OUTCOME", "TEAM_KIND", "WORKER_ROLE",
        "ALLOCATION_REASON", "VISIT_KIND", "PROCEEDINGS_ORDER", "REVIEW_PARTICIPATION",
    }  # fmt: skip
    assert expected <= set(ALL_LISTS)
    assert set(codes.__all__) >= expected


@pytest.mark.parametrize("name", sorted(ALL_LISTS))
def test_list_structure(name: str):
    cl = ALL_LISTS[name]
    assert cl.name == ALIASES.get(name, name)
    assert cl.source.strip()
    assert cl.codes, "list must not be empty"
    values = [c.code for c in cl]
    assert len(values) == len(set(values)), "codes must be unique within a list"
    for c in cl:
        assert isinstance(c, Code)
        assert c.code and c.code == c.code.strip()
        assert c.label.strip()
        if c.first_year is not None and c.last_year is not None:
            assert c.first_year <= c.last_year
    assert cl.max_length == max(len(v) for v in values)


@pytest.mark.parametrize("name", sorted(ALL_LISTS))
def test_choices_shape(name: str):
    cl = ALL_LISTS[name]
    choices = cl.choices()
    assert choices == [(c.code, c.label) for c in cl]
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in choices)
    assert {k for k, _ in choices} == cl.valid()
    for year in (2019, 2023, 2026):
        assert {k for k, _ in cl.choices(year)} == cl.valid(year)


def test_ethnicity_has_the_20_codes():
    assert len(ETHNICITY.codes) == 20
    assert {"WBRI", "WROM", "MWBC", "CHNE", "REFU", "NOBT"} <= ETHNICITY.valid()
    assert ETHNICITY.label("WIRT") == "Traveller of Irish heritage"
    assert ETHNICITY.label("XXXX") == "XXXX"


def test_sex_and_gender_current():
    assert SEX.valid(2019) == {"1", "2", "9", "0"}
    assert SEX.valid(2030) == {"1", "2", "9", "0"}
    assert GENDER_CURRENT.valid(2024) == {"1", "2", "9", "0"}
    assert GENDER_CURRENT.valid(2025) == frozenset()
    assert CIN_SEX.valid(2024) == frozenset()
    assert CIN_SEX.valid(2025) == {"M", "F", "U"}


def test_primary_need_and_category_of_need():
    assert PRIMARY_NEED.valid() == {f"N{i}" for i in range(10)}
    assert CATEGORY_OF_NEED.valid() == {f"N{i}" for i in range(1, 9)}
    assert CATEGORY_OF_NEED.valid() < PRIMARY_NEED.valid()


def test_reason_for_closure_rc9_from_2022_23():
    assert REASON_FOR_CLOSURE.valid(2019) == {f"RC{i}" for i in range(1, 9)}
    assert "RC9" not in REASON_FOR_CLOSURE.valid(2022)
    assert "RC9" in REASON_FOR_CLOSURE.valid(2023)


def test_referral_source_5d_from_2022_23():
    assert "5D" not in REFERRAL_SOURCE.valid(2019)
    assert "5D" in REFERRAL_SOURCE.valid(2023)
    assert len(REFERRAL_SOURCE.valid(2019)) == 21


def test_contact_source_reuses_referral_source():
    assert CONTACT_SOURCE.codes == REFERRAL_SOURCE.codes
    assert CONTACT_SOURCE.name == "CONTACT_SOURCE"


def test_assessment_factors_2018_19():
    valid_2019 = ASSESSMENT_FACTORS.valid(2019)
    assert {"1A", "1B", "1C", "7A", "8B", "8F", "18A", "19A", "21", "22A", "23A"} <= valid_2019
    assert "8A" not in ASSESSMENT_FACTORS  # private fostering codes run 8B-8F
    assert not {"18B", "18C", "19B", "19C", "24A"} & valid_2019
    later = ASSESSMENT_FACTORS.valid(2021)
    assert {"18B", "18C", "19B", "19C", "24A"} <= later
    assert not {"18A", "19A"} & later
    assert NO_FACTORS_IDENTIFIED in ASSESSMENT_FACTORS


def test_place_year_changes():
    # 2018-19 list (27 codes) is unchanged through 2022-23.
    assert len(PLACE.valid(2019)) == 27
    assert PLACE.valid(2019) == PLACE.valid(2023)
    assert {"H5", "P2", "Z1", "T0", "U1", "U6", "A3"} <= PLACE.valid(2019)
    assert "K3" not in PLACE.valid(2024)
    assert "K3" in PLACE.valid(2025)
    # H5, P2 and Z1 are withdrawn after 2024-25; Z11-Z14 replace Z1 from 2025-26.
    for withdrawn in ("H5", "P2", "Z1"):
        assert withdrawn in PLACE.valid(2025)
        assert withdrawn not in PLACE.valid(2026)
    assert {"Z11", "Z12", "Z13", "Z14"} <= PLACE.valid(2026)
    assert not {"Z11", "Z12", "Z13", "Z14"} & PLACE.valid(2025)


def test_rec_sgo_codes_change():
    assert {"E43", "E44"} <= REC.valid(2018)
    assert not {"E45", "E46", "E47", "E48"} & REC.valid(2018)
    assert {"E45", "E46", "E47", "E48"} <= REC.valid(2019)
    assert not {"E43", "E44"} & REC.valid(2019)
    assert {"X1", "E11", "E12", "E4A", "E4B", "E17", "E8"} <= REC.valid(2019)


def test_activ_split_from_2022_23():
    assert {"F3", "P3"} <= ACTIV.valid(2022)
    assert not {"F4", "P4", "F5", "P5"} & ACTIV.valid(2022)
    assert not {"F3", "P3"} & ACTIV.valid(2023)
    assert {"F4", "P4", "F5", "P5"} <= ACTIV.valid(2023)


def test_accom_letter_and_suitability():
    assert len(ACCOM.codes) == 33
    assert {"B1", "B2", "Z1", "Z2", "0"} <= ACCOM.valid()
    assert SUITABLE_ACCOM == {c for c in ACCOM.valid() if c.endswith("1")}
    assert "B2" not in SUITABLE_ACCOM and "0" not in SUITABLE_ACCOM


def test_groupings_are_subsets_of_their_lists():
    assert SHORT_BREAK_LEGAL_STATUSES == {"V3", "V4"} <= LEGAL_STATUS.valid()
    assert ADOPTION_PLACEMENTS == {"A3", "A4", "A5", "A6"}
    assert FOSTER_PLACEMENTS == {f"U{i}" for i in range(1, 7)}
    assert TEMPORARY_PLACEMENTS == {f"T{i}" for i in range(5)}
    for group in (ADOPTION_PLACEMENTS, FOSTER_PLACEMENTS, TEMPORARY_PLACEMENTS):
        assert group <= PLACE.valid()
    assert not ADOPTION_PLACEMENTS & FOSTER_PLACEMENTS
    assert IN_HOUSE_FOSTER_PROVIDERS == {"PR1"} <= PLACE_PROVIDER.valid()


def test_review_participation_is_review_code():
    assert REVIEW_PARTICIPATION is REVIEW_CODE
    assert REVIEW_CODE.valid() == {f"PN{i}" for i in range(8)}


def test_local_lists():
    assert MASH_DECISION.choices() == [
        ("NFA", "No further action"),
        ("IA", "Information and advice"),
        ("EH", "Early help"),
        ("REF", "Referral to children's social care"),
    ]
    assert TEAM_KIND.label("LEAVING_CARE") == "16+"
    assert TEAM_KIND.max_length == len("LEAVING_CARE")
