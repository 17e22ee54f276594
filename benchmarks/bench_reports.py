"""Benchmark of the performance reports on the default synthetic council: build and render times.

Prints, for the record read once into frames: the data book (13 month-ends x every team) built
and written as XLSX, PDF and HTML; the scorecard, weekly report and self-evaluation pack built
and written. No targets are set by the issue; a page should stay within a few seconds.

Run: ``.venv/bin/python benchmarks/bench_reports.py [--var-dir DIR]``. With no ``--var-dir`` a
temporary SQLite database is made, migrated and generated (about a minute); with one that
already holds a generated council (e.g. the demo's), it is reused.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

AS_AT = date(2019, 6, 30)


def _timed(label: str, fn: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    out = fn()
    size = f" ({len(out):,} bytes)" if isinstance(out, bytes | str) else ""
    print(f"{label:<44} {time.perf_counter() - started:7.2f} s{size}")
    return out


def run() -> None:
    from safeguard.performance import engine
    from safeguard.performance.frames import from_record
    from safeguard.performance.reports import cli, pdf, scorecard, selfeval, weekly, xlsx
    from safeguard.performance.reports import databook as db

    frames = _timed("frames from the record", from_record)
    book = _timed("data book (13 month-ends x teams)", lambda: db.databook(frames, AS_AT))
    _timed("  as XLSX (native charts)", lambda: xlsx.databook_xlsx(book))
    _timed("  as PDF", lambda: pdf.databook_pdf(book))
    result = engine.compute(frames, AS_AT, period="month")
    _timed(
        "  as HTML (databook command writer)",
        lambda: cli.write_html(result, as_at=AS_AT, period_start=date(2019, 6, 1), frames=frames),
    )
    card = _timed("scorecard", lambda: scorecard.scorecard(frames, AS_AT))
    _timed("  as XLSX + PDF", lambda: xlsx.scorecard_xlsx(card) + pdf.scorecard_pdf(card))
    rep = _timed("weekly activity report", lambda: weekly.weekly(frames, AS_AT))
    _timed("  as XLSX + PDF", lambda: xlsx.weekly_xlsx(rep) + pdf.weekly_pdf(rep))
    pack = _timed("self-evaluation pack", lambda: selfeval.pack(frames, AS_AT))
    _timed("  as XLSX + PDF", lambda: xlsx.pack_xlsx(pack) + pdf.pack_pdf(pack))


def main(argv: list[str] | None = None) -> None:
    from benchmarks.bench_measures import _ensure_council, _setup_django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var-dir", type=Path, help="A var dir holding a generated council.")
    args = parser.parse_args(argv or [])
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="safeguard-bench-reports-"))
    _setup_django(var_dir)
    _ensure_council()
    run()


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main(sys.argv[1:])
