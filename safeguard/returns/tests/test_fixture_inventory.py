"""Every file in shared/fixtures is accounted for: a return sample that imports and round-trips
or is refused for its real defects (the tests named below), or a file that is no return of ours
and is refused whole, with nothing written, when imported as one.

A new sample fails `test_every_fixture_is_accounted_for` until it is placed in one of these.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from safeguard.journey.models import Child
from safeguard.returns import safety
from safeguard.returns.annex_a import workbook
from safeguard.returns.cin_census import reader as cin_reader
from safeguard.returns.codec import ReturnRefused
from safeguard.returns.importing import import_returns
from safeguard.returns.models import ImportLog
from safeguard.returns.ssda903 import xml_form

FIXTURES = settings.SHARED_DIR / "fixtures"
D2I_903 = "csc-validator-be-903/tests/fake_data"
needs_fixtures = pytest.mark.skipif(not FIXTURES.exists(), reason="shared fixtures not present")

#: Return samples -> the test that imports them (or lists their defects).
SAMPLES = {
    "csc-validator-be-cin/fake_data/*.xml": "cin_census/tests/test_fixtures.py",
    "liia-tools/liiatools/spec/cin_census/samples/cin-2022.xml": (
        "cin_census/tests/test_fixtures.py"
    ),
    f"{D2I_903}/*.csv": "ssda903/tests/test_roundtrip_samples.py (the CSV set)",
    f"{D2I_903}/fake_903.xml": "ssda903/tests/test_roundtrip_samples.py (the XML form)",
    "liia-tools/liiatools/spec/s903/samples/*.csv": "ssda903/tests/test_roundtrip_samples.py",
}
#: Not samples of a return: references the specifications and rules are checked against.
REFERENCE = {
    "README.md",
    "LICENSES.txt",
    "schemas/*",
    "csc-validator-be-903/output_data/*_rule_info.csv",  # rule catalogues (docs/validation.md)
}
#: Files of other collections, each with the return it could be mistaken for and why it is
#: refused: Ofsted's provider lists (the 903 validator's lookups) and a workforce census.
NOT_RETURNS = {
    f"{D2I_903}/{name}": [("annex-a", workbook.NOT_ANNEX_A)]
    for name in (
        "ch_fake.xlsx",
        "combined_scp_ch_fake.xlsx",
        "scp_ch_2025_fake.xlsx",
        "scp_fake.xlsx",
        "scpch_assisted.xlsx",
    )
} | {
    "liia-tools/liiatools/spec/social_work_workforce/samples/social_work_workforce_2022.xml": [
        ("cin-census", cin_reader.NO_CHILDREN),
        ("ssda903", xml_form.NOT_903),
    ]
}


def _matches(rel: Path, patterns) -> bool:
    return any(rel.match(p) if "*" in p else rel.as_posix() == p for p in patterns)


@needs_fixtures
def test_every_fixture_is_accounted_for():
    files = [p.relative_to(FIXTURES) for p in FIXTURES.rglob("*") if p.is_file()]
    placed = [
        (rel, _matches(rel, SAMPLES), _matches(rel, REFERENCE), _matches(rel, NOT_RETURNS))
        for rel in files
    ]
    assert [rel for rel, *where in placed if sum(where) != 1] == []
    assert len(files) > 30


@needs_fixtures
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rel", "kind", "rule"),
    [(rel, kind, rule) for rel, tries in NOT_RETURNS.items() for kind, rule in tries],
)
def test_files_of_other_collections_are_refused_whole(rel, kind, rule):
    with pytest.raises(ReturnRefused) as refused:
        import_returns(kind, [FIXTURES / rel], skip_invalid=True)
    assert [(p.file, p.location, p.rule) for p in refused.value.problems] == [
        (Path(rel).name, safety.WHOLE_FILE, rule)
    ]
    assert Child.objects.count() == ImportLog.objects.count() == 0
