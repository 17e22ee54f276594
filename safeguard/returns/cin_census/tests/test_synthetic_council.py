"""The synthetic council's 2018-19 CIN census, made from the record, is valid against the XSD."""

from __future__ import annotations

import pytest
from lxml import etree

from safeguard.returns.cin_census import reader
from safeguard.returns.importing import export_return
from safeguard.synthetic import generate

from .test_writer import schema_for


@pytest.mark.django_db
def test_synthetic_council_census_2019_validates(tmp_path):
    generate(seed=5, population=1500)
    out = tmp_path / "cin-2019.xml"
    export_return("cin-census", out, year=2019)
    schema = schema_for(2019)
    doc = etree.parse(str(out))
    assert schema.validate(doc), schema.error_log.last_error
    assert len(doc.findall("Children/Child")) > 50
    back = reader.read_file(out)
    assert back.problems == []
    assert back.year == 2019
