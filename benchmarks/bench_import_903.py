"""Benchmark: read and load a 50,000-child SSDA903 CSV set into a fresh SQLite database.

The files are made by `safeguard.returns.ssda903.synthetic` (seeded, invented children). The
import runs in its own process with its own temporary SAFEGUARD_VAR_DIR (after `safeguard
migrate`), so its peak memory is its own: the reader alone (files -> frames), then read + load
(`to_record`, one transaction), then the same return loaded again (a resubmission: every row
compared with the record, nothing written). Targets (issue 3): peak memory under 1 GB; the
speed target, at least 20 MB/s, is set "of XML" (the CIN census, `bench_import_cin`). A CSV set
packs about four times the rows into a megabyte (some 40 bytes a row against 190 in the census
XML), and loading costs by the row, so MB/s is printed with the ratio to 20 MB/s for reference
and rows per second beside it, to compare with the CIN import's rate. Prints wall and CPU
seconds (the machine is often shared), MB/s, rows/s, peak RSS and the ratio to each target
(above 1 is good: actual/target for speed, target/actual for memory).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILDREN = 50_000
YEAR = 2019
TARGET_MB_S = 20.0
TARGET_PEAK_MB = 1024.0
SAFEGUARD = str(Path(sys.executable).with_name("safeguard"))


def worker(folder: str) -> None:
    """In a fresh process: read, then read + load; print the figures as one JSON line."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    django.setup()
    from safeguard.returns.ssda903.codec import CODEC

    t0, c0 = time.perf_counter(), time.process_time()
    result = CODEC.read([Path(folder)], year=YEAR)
    read_s, read_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert not result.problems, result.problems[:3]
    t0, c0 = time.perf_counter(), time.process_time()
    result = CODEC.read([Path(folder)], year=YEAR)
    summary = CODEC.to_record(result.frames, source=f"ssda903:{YEAR}")
    total_s, total_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    again = CODEC.to_record(result.frames, source=f"ssda903:{YEAR}")
    again_s, again_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert again.unchanged
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "read_s": read_s,
                "read_cpu": read_cpu,
                "import_s": total_s,
                "import_cpu": total_cpu,
                "again_s": again_s,
                "again_cpu": again_cpu,
                "peak_mb": peak_mb,
                "children": summary.children,
                "rows": summary.rows_written,
            }
        )
    )


def main(children: int = CHILDREN) -> None:
    """Generate the set, import it in a child process, print the figures."""
    from safeguard.returns.ssda903.synthetic import write_return

    with tempfile.TemporaryDirectory(prefix="bench-903-") as tmp:
        folder = Path(tmp) / "ssda903"
        t0 = time.perf_counter()
        paths = write_return(folder, children, year=YEAR, seed=1)
        mb = sum(p.stat().st_size for p in paths) / 1e6
        print(
            f"generated {children:,} children, {mb:.1f} MB in {len(paths)} CSV files "
            f"({time.perf_counter() - t0:.1f} s)"
        )
        env = {**os.environ, "SAFEGUARD_VAR_DIR": str(Path(tmp) / "var")}
        env.pop("SAFEGUARD_DATABASE_URL", None)
        subprocess.run([SAFEGUARD, "migrate", "-v0"], env=env, check=True)
        out = subprocess.run(
            [sys.executable, __file__, "--worker", str(folder)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        figures = json.loads(out.strip().splitlines()[-1])
    _report(mb, figures)


def _report(mb: float, f: dict) -> None:
    for label, key in (("read", "read"), ("read + load", "import"), ("load again", "again")):
        wall, cpu = f[f"{key}_s"], f[f"{key}_cpu"]
        print(
            f"{label + ':':14} {wall:7.2f} s wall {mb / wall:6.1f} MB/s (ratio to "
            f"{TARGET_MB_S:.0f} MB/s: {mb / wall / TARGET_MB_S:.2f}); {cpu:6.2f} s CPU "
            f"{mb / cpu:6.1f} MB/s (ratio {mb / cpu / TARGET_MB_S:.2f})"
        )
    print(
        f"peak memory:   {f['peak_mb']:7.0f} MB  (target {TARGET_PEAK_MB:.0f} MB; ratio "
        f"{TARGET_PEAK_MB / f['peak_mb']:.2f})"
    )
    rows = f["children"] + sum(f["rows"].values())
    print(
        f"children {f['children']:,}; rows {f['rows']}; read + load {rows / f['import_s']:,.0f} "
        f"rows/s wall ({rows:,} rows, each with its history row)"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else CHILDREN)
