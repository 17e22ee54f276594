"""Every CIN census sample in shared/fixtures either round-trips or is refused for its defects.

Round trip: import the file, export the same collection year, read the export back: the same
children, elements and values as the file's episodes open in that year. Children whose every
episode lies outside the census year are not in that year's census (cin-census.md section 1),
so they cannot come back: each such file is listed with those children, a real defect.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from safeguard.returns.cin_census import reader, writer
from safeguard.returns.codec import ReturnRefused
from safeguard.returns.importing import export_return, import_returns

from .helpers import canonical, in_year

FIXTURES = settings.SHARED_DIR / "fixtures"
CIN = FIXTURES / "csc-validator-be-cin/fake_data"
LIIA = FIXTURES / "liia-tools/liiatools/spec/cin_census/samples/cin-2022.xml"
FACTORS_LIST = reader.BAD_CODE.format(
    name="ASSESSMENT_FACTORS", codes=", ".join(sorted(reader._VALID["AssessmentFactors"]))
)
SEX_LIST = reader.BAD_CODE.format(name="CIN_SEX", codes="F, M, U")

#: file -> (field, value, path) of each defect that makes it unreadable.
REFUSED = {
    # Sex is M/F/U (N00783); the file uses the GenderCurrent code 1. "RB" is no factor code.
    "CIN_Census_2024.xml": [
        ("Sex", "1", "/Message/Children/Child[1]/ChildIdentifiers/Sex", SEX_LIST),
        (
            "AssessmentFactors",
            "RB",
            "/Message/Children/Child[1]/CINdetails[1]/Assessments[1]/"
            "FactorsIdentifiedAtAssessment/AssessmentFactors[2]",
            FACTORS_LIST,
        ),
    ],
    "CIN_Census_2026.xml": [
        ("Sex", "1", "/Message/Children/Child[1]/ChildIdentifiers/Sex", SEX_LIST),
        (
            "AssessmentFactors",
            "RB",
            "/Message/Children/Child[1]/CINdetails[1]/Assessments[1]/"
            "FactorsIdentifiedAtAssessment/AssessmentFactors[2]",
            FACTORS_LIST,
        ),
    ],
}

#: file -> (collection year it says, children not in that year's census: every episode of
#: theirs ended before 1 April or began after 31 March).
OUT_OF_YEAR = {
    "CIN2rows.xml": (2024, {"DfEX0000001"}),  # closed 2023-02-27, before 2023-04-01
    "CIN_Census_2021.xml": (2023, {"DfEX0000001"}),  # episode 1970-10-06 to 1971-02-27
    "CIN_Census_2021_copy.xml": (2024, {"DfEX0000001"}),  # closed 2023-02-27, before 2023-04-01
    "CIN_Census_2021_no_assessment_factors.xml": (2024, {"DfEX0000001"}),  # same
    "CIN_header_issues_100.xml": (2023, {"DfEX0000001"}),  # 1970 episode
    "CIN_la_issues_2887Q.xml": (2023, {"DfEX0000001"}),  # 1970 episode
    "cin-2022.xml": (2022, {"DfEX0000001"}),  # 1970 episode
    "fake_CIN_data.xml": (2022, None),  # None: checked against in_year(), count below
}
SAMPLES = sorted(CIN.glob("*.xml")) + [LIIA]


def test_every_sample_is_listed():
    assert {p.name for p in SAMPLES} == set(REFUSED) | set(OUT_OF_YEAR)


@pytest.mark.parametrize("path", [p for p in SAMPLES if p.name in REFUSED], ids=lambda p: p.name)
@pytest.mark.django_db
def test_refused_samples_name_their_defects(path):
    with pytest.raises(ReturnRefused) as refused:
        import_returns("cin-census", [path])
    got = [(p.field, p.value, p.location, p.rule) for p in refused.value.problems]
    assert got == REFUSED[path.name]
    from safeguard.journey.models import Child

    assert Child.objects.count() == 0


@pytest.mark.parametrize(
    "path", [p for p in SAMPLES if p.name in OUT_OF_YEAR], ids=lambda p: p.name
)
@pytest.mark.django_db
def test_readable_samples_round_trip(path, tmp_path):
    year, missing = OUT_OF_YEAR[path.name]
    original = reader.read_file(path)
    assert original.year == year
    kids = set(original.frames["ChildIdentifiers"]["LAchildID"])
    if missing is not None:
        assert kids - set(in_year(original.frames, year)["CINdetails"]["LAchildID"]) == missing
    import_returns("cin-census", [path])
    # The stated year, and every year the file's episodes are open in (most of these samples
    # carry episodes of other years), each exported and read back.
    for y in sorted({year, *_episode_years(original.frames)})[:4]:
        _assert_round_trip(original.frames, y, tmp_path / f"{y}.xml")


def _episode_years(frames) -> set[int]:
    years = set()
    for ref, closed in frames["CINdetails"].select("CINreferralDate", "CINclosureDate").rows():
        first = ref.year + (ref.month > 3)
        last = (closed.year + (closed.month > 3)) if closed else first
        years.update(range(first, last + 1))
    return years


def _assert_round_trip(frames, year: int, out: Path) -> None:
    export_return("cin-census", out, year=year)
    expected = in_year(frames, year)
    if expected["CINdetails"].is_empty():
        assert not _has_children(out)
        return
    back = reader.read_file(out)
    assert back.problems == []
    if year < writer.CIN_PLANS_FROM:  # the year's schema has no CINPlanDates
        expected["CINplanDates"] = expected["CINplanDates"].clear()
    assert canonical(back.frames) == canonical(expected), year


def test_fake_cin_data_scope():
    # fake_CIN_data.xml (2021-22): 332 children, of whom those with an episode open between
    # 2021-04-01 and 2022-03-31 are in the census; the rest are this file's defects.
    frames = reader.read_file(CIN / "fake_CIN_data.xml").frames
    kept = in_year(frames, 2022)["ChildIdentifiers"].height
    assert frames["ChildIdentifiers"].height == 332
    assert 0 < kept < 332


def _has_children(path: Path) -> bool:
    return b"<Child>" in path.read_bytes()
