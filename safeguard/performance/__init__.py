"""Performance measures: the catalogue, the engine computing it for dates x scopes, the data book.

Public API (no Django needed except for `frames.from_record`):

- `frames.JourneyFrames`, `frames.from_record(...)`, `frames.from_returns(cin, ssda903)`,
  `frames.from_dir(path)`: the journey as polars frames, built once per run;
- `measures.CATALOGUE` (id -> `Measure`): each measure declared once;
- `engine.compute(frames, as_at=[...], period="ytd", by=("team",))`: a polars frame with one
  row per measure x as-at date x scope; `engine.drill(frames, measure_id, as_at, ...)`: the
  rows (child ids) behind a numerator and denominator;
- `seed.seed_table(as_at)`: the seed council's "Data up to end of June 2019" figures beside
  the same figures computed from the record.
"""
