"""Benchmark of the measures engine: the whole catalogue for 13 month-ends x every team.

1. The default synthetic council (`safeguard generate`, 36,000 children aged 0-17), read from
   the record: target under 2 s for the grid (frames built once beforehand; that time is
   printed too).
2. A region of 100 such councils (frames replicated with prefixed IDs and dates moved by up to
   a week, so no two councils are identical): target under 2 minutes and 8 GB.

Run: ``.venv/bin/python benchmarks/bench_measures.py [--var-dir DIR] [--councils 100]``. With
no ``--var-dir`` a temporary SQLite database is made, migrated and generated (about a minute);
with one that already holds a generated council, it is reused.
"""

from __future__ import annotations

import argparse
import calendar
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TARGET_COUNCIL_S = 2.0
TARGET_REGION_S = 120.0
TARGET_REGION_GB = 8.0
AS_AT = date(2019, 6, 30)


def month_ends(last: date, n: int = 13) -> list[date]:
    """The last day of each of the n months ending with ``last``'s month, oldest first."""
    out = []
    y, m = last.year, last.month
    for _ in range(n):
        out.append(date(y, m, calendar.monthrange(y, m)[1]))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def _setup_django(var_dir: Path) -> None:
    os.environ["SAFEGUARD_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


def _ensure_council() -> None:
    from django.core.management import call_command

    from safeguard.journey.models import Child

    call_command("migrate", verbosity=0)
    if not Child.objects.exists():
        print("Generating the default synthetic council (safeguard generate --seed 1)...")
        started = time.perf_counter()
        call_command("generate", seed=1, verbosity=0)
        print(f"  generated in {time.perf_counter() - started:.1f} s")


def _peak_gb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def replicate(frames, councils: int):  # type: ignore[no-untyped-def]
    """A region: ``councils`` copies of the frames, each council's children, workers and teams
    given their own IDs, and every date moved by (k mod 15) - 7 days (vectorised: a cross
    join with the council numbers; child keys stay integers, k x children + key)."""
    import polars as pl

    from safeguard.performance.frames import CHILD_KEY, JourneyFrames

    ks = pl.DataFrame({"_k": pl.int_range(councils, eager=True, dtype=pl.UInt32)})
    n = frames.ids.height
    tables = {name: _replicate_table(df, ks, n) for name, df in frames.tables.items()}
    ids = frames.ids.join(ks, how="cross").select(
        child_id=(pl.col("_k") * n + pl.col("child_id")).cast(CHILD_KEY),
        la_child_id=pl.format("{}-{}", pl.col("_k"), pl.col("la_child_id")),
    )
    return JourneyFrames(
        tables, ids=ids, source=frames.source, population=(frames.population or 36_000) * councils
    )


def _replicate_table(df, ks, n: int):  # type: ignore[no-untyped-def]
    import polars as pl

    big = df.join(ks, how="cross")
    shift = pl.duration(days=(pl.col("_k").cast(pl.Int64) % 15) - 7)
    cols = []
    for col, dtype in df.schema.items():
        if col == "child_id":
            cols.append((pl.col("_k") * n + pl.col(col)).cast(dtype).alias(col))
        elif col in ("referral_id", "s47_id", "plan_id"):  # episode keys: per council
            cols.append((pl.col("_k").cast(pl.Int64) * 10**9 + pl.col(col)).alias(col))
        elif col in ("worker_id", "team_id"):
            cols.append(pl.format("{}-{}", pl.col("_k"), pl.col(col)).alias(col))
        elif dtype == pl.Date or isinstance(dtype, pl.Datetime):
            cols.append((pl.col(col) + shift).alias(col))
        else:
            cols.append(pl.col(col))
    return big.select(cols)


def _print_seed(frames) -> None:  # type: ignore[no-untyped-def]
    """The seed's figures beside the synthetic council's (issue 5: counts within 15%)."""
    from safeguard.performance.seed import SEED_FIGURES, SEED_FIGURES_MORE, seed_table

    print("Seed figures (30 June 2019) vs the synthetic council:")
    for figures, check in ((SEED_FIGURES, True), (SEED_FIGURES_MORE, False)):
        for row in seed_table(frames=frames, figures=figures):
            ratio = row.ratio
            flag = (
                ""
                if not check or ratio is None
                else (" ok" if abs(ratio - 1) <= 0.15 else " OUTSIDE 15%")
            )
            shown = "n/a" if row.value is None else f"{row.value:,.1f}"
            print(f"  {row.label:<55} seed {row.seed_value:>8,.1f}  computed {shown:>8}{flag}")


def _time_grid(frames, label: str, target: float) -> float:  # type: ignore[no-untyped-def]
    from safeguard.performance import engine

    dates = month_ends(AS_AT)
    started, cpu = time.perf_counter(), time.process_time()
    result = engine.compute(frames, dates, period="ytd", by=("team",))
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    teams = result.filter(result["scope_kind"] == "team")["scope"].n_unique()
    print(
        f"{label}: {len(dates)} month-ends x council + {teams} teams x "
        f"{result['measure'].n_unique()} measures = {result.height:,} figures in {took:.2f} s "
        f"(target {target:.0f} s, ratio {took / target:.2f}; CPU {cpu:.2f} s; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var-dir", type=Path, help="SAFEGUARD_VAR_DIR holding the council.")
    parser.add_argument("--councils", type=int, default=100, help="Councils in the region.")
    args = parser.parse_args(argv)
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="bench_measures_"))
    _setup_django(var_dir)
    _ensure_council()

    from safeguard.performance.frames import from_record

    started = time.perf_counter()
    frames = from_record()
    rows = sum(df.height for df in frames.tables.values())
    print(f"Frames from the record: {rows:,} rows in {time.perf_counter() - started:.2f} s")
    council_s = _time_grid(frames, "Default council", TARGET_COUNCIL_S)
    _print_seed(frames)

    started = time.perf_counter()
    region = replicate(frames, args.councils)
    rows = sum(df.height for df in region.tables.values())
    print(
        f"Region of {args.councils} councils: {rows:,} rows built in "
        f"{time.perf_counter() - started:.1f} s"
    )
    region_s = _time_grid(region, "Region", TARGET_REGION_S)
    peak = _peak_gb()
    print(
        f"Peak memory (whole process): {peak:.2f} GB (target {TARGET_REGION_GB:.0f} GB, "
        f"ratio {peak / TARGET_REGION_GB:.2f})"
    )
    ok = council_s < TARGET_COUNCIL_S and region_s < TARGET_REGION_S and peak < TARGET_REGION_GB
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
