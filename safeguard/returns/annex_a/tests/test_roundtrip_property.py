"""Property: any Annex A workbook of well-formed lists, written and read back, gives the same
lists (the file side of the round trip; `test_export_then_import_gives_the_same_lists` does the
record side on a hand-made council)."""

from __future__ import annotations

import string
from datetime import date

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.returns.annex_a import spec, workbook

#: Free text as a case system holds it: letters, digits, spaces and punctuation, including what
#: would start a formula ("=", "+", "-", "@"), which the writer guards and the reader unguards.
#: Not a leading "'" before such a character: the reader takes that for the writer's guard.
TEXT = (
    st.text(string.ascii_letters + string.digits + " -=+@()/.,", min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)


def _column(col: str, typ) -> st.SearchStrategy:  # noqa: ANN001
    if typ == pl.Date:
        value = st.dates(date(2000, 1, 1), date(2030, 12, 31))
    elif typ == pl.Int64:
        value = st.integers(0, 99)
    elif values := spec.value_list(col):
        value = st.sampled_from(values)
    else:
        value = TEXT
    return value


@st.composite
def lists(draw) -> dict[str, pl.DataFrame]:  # noqa: ANN001
    out = {}
    for name in spec.LISTS:
        schema = spec.schema(name)
        ident = spec.LISTS[name][0]
        # List 11 has one row per adopter; lists 1-10 may list a child more than once.
        ids = draw(st.lists(TEXT, max_size=3, unique=name in spec.ONE_ROW_PER_ID))
        rows = [
            {
                c: i if c == ident else draw(st.none() | _column(c, t).filter(bool))
                for c, t in schema.items()
            }
            for i in ids
        ]
        out[name] = pl.DataFrame(rows, schema=schema)
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lists())
def test_written_lists_read_back_the_same(tmp_path_factory, frames):
    path = workbook.write(frames, tmp_path_factory.mktemp("annex") / "a.xlsx")
    back, problems = workbook.read(path)
    assert problems == []
    for name in spec.LISTS:
        assert back[name].rows() == frames[name].rows(), name
