"""The writer: each year's element order, valid against that year's schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from safeguard.returns.cin_census import reader, writer
from safeguard.returns.cin_census.synthetic import write_census

from .test_reader import FULL, census, child

SCHEMAS = Path(writer.__file__).parent / "schemas"


def schema_for(year: int) -> etree.XMLSchema:
    """The year's schema, or the next one we hold (2025 is checked with 2026's)."""
    for y in range(year, 2027):
        path = SCHEMAS / f"CIN_schema_{y}.xsd"
        if path.exists():
            return etree.XMLSchema(etree.parse(str(path)))
    raise AssertionError(year)


@pytest.mark.parametrize("year", [2018, 2019, 2021, 2022, 2024, 2025, 2026])
def test_synthetic_census_written_valid_for_its_year(tmp_path, year):
    source = write_census(tmp_path / "in.xml", 30, year=year, seed=year)
    frames = reader.read_file(source).frames
    out = tmp_path / "out.xml"
    writer.write(frames, out, year=year)
    schema = schema_for(year)
    assert schema.validate(etree.parse(str(out))), schema.error_log.last_error


def test_full_child_valid_and_in_order(tmp_path):
    frames = reader.read_file(census(tmp_path, child(details=FULL))).frames
    out = tmp_path / "out.xml"
    writer.write(frames, out, year=2023)
    schema = schema_for(2023)
    doc = etree.parse(str(out))
    assert schema.validate(doc), schema.error_log.last_error
    tags = [e.tag for e in doc.find("Children/Child/CINdetails")]
    # The 2022-23 order; PreProceedingsandFGDM is read but not kept.
    assert tags == [
        "CINreferralDate",
        "ReferralSource",
        "PrimaryNeedCode",
        "CINclosureDate",
        "ReasonForClosure",
        "DateOfInitialCPC",
        "Assessments",
        "CINPlanDates",
        "Section47",
        "ReferralNFA",
        "ChildProtectionPlans",
    ]


def test_year_decides_sex_form_and_cin_plans(tmp_path):
    frames = reader.read_file(census(tmp_path, child(details=FULL))).frames
    old, new = tmp_path / "2019.xml", tmp_path / "2025.xml"
    writer.write(frames, old, year=2019)
    writer.write(frames, new, year=2025)
    d19, d25 = etree.parse(str(old)), etree.parse(str(new))
    # GenderCurrent 1 (male) up to 2023-24; Sex M from 2024-25.
    assert d19.findtext("Children/Child/ChildIdentifiers/GenderCurrent") == "1"
    assert d25.findtext("Children/Child/ChildIdentifiers/Sex") == "M"
    assert d19.find("Children/Child/CINdetails/CINPlanDates") is None  # not in the 2019 schema
    assert d25.find("Children/Child/CINdetails/CINPlanDates") is not None
    assert d19.findtext("Header/CollectionDetails/ReferenceDate") == "2019-03-31"
    assert d19.findtext("Header/Source/LEA") == "201"
