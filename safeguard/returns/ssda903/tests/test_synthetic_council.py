"""The synthetic council's 2018-19 SSDA903 files, made from the record: exactly the
specification's files and columns, with rows in them, and readable back without a problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from safeguard.returns.importing import export_return
from safeguard.returns.ssda903 import reader, writer
from safeguard.synthetic import generate

from .test_writer import SPEC_COLUMNS

SCHEMA_2019 = settings.SHARED_DIR / "fixtures/schemas/SSDA903_schema_2019.yml"


def _schema_columns(path: Path) -> dict[str, set[str]]:
    """Table -> columns of a liia-tools 903 schema (tables indented 4 spaces, columns 6; read
    by pattern, so the test needs no YAML library)."""
    out: dict[str, set[str]] = {}
    for line in path.read_text().splitlines():
        if m := re.fullmatch(r" {4}(\w+):\s*", line):
            table = out.setdefault(m.group(1), set())
        elif m := re.fullmatch(r" {6}(\w+):\s*", line):
            table.add(m.group(1))
    return out


@pytest.mark.django_db
def test_synthetic_council_ssda903_2019_has_exactly_the_specs_columns(tmp_path):
    generate(seed=5, population=1500)
    paths = export_return("ssda903", tmp_path, year=2019)
    headers = {p.name: p.read_text().splitlines()[0] for p in paths}
    assert headers == SPEC_COLUMNS
    # The same columns as liia-tools' 2019 schema, an independent reading of the DfE's spec.
    if SCHEMA_2019.exists():
        tables = _schema_columns(SCHEMA_2019)
        by_file = {writer.FILE_NAMES[t]: cols for t, cols in tables.items()}
        assert {f: set(h.split(",")) for f, h in headers.items()} == by_file
    rows = {p.name: len(p.read_text().splitlines()) - 1 for p in paths}
    # A council of 1,500 children has children in care and care leavers in any year.
    assert rows["header.csv"] > 10 and rows["episodes.csv"] >= rows["header.csv"]
    assert rows["reviews.csv"] > 0 and rows["oc3.csv"] > 0
    back = reader.read([tmp_path])
    assert back.problems == [] and back.year == 2019
