"""Benchmark: import a 50,000-child CIN census (about 80 MB of XML) into a fresh SQLite database.

The file is made by `safeguard.returns.cin_census.synthetic` (seeded, invented children). The
import runs in its own process, with its own temporary SAFEGUARD_VAR_DIR (after `safeguard
migrate`), so its peak memory is its own: first the reader alone (file -> frames), then the
whole `import_returns` (read again + load, one transaction). Targets (issue 3): at least 20 MB/s
of XML and peak memory under 1 GB. For scale, the open CIN validator's reader took 67 s for
10,000 children. Prints seconds, MB/s, peak RSS and each ratio actual/target (above 1 is good
for speed; for memory the ratio is target/actual, above 1 meaning inside the target).
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
TARGET_MB_S = 20.0
TARGET_PEAK_MB = 1024.0
SAFEGUARD = str(Path(sys.executable).with_name("safeguard"))


def worker(path: str) -> None:
    """In a fresh process: read, then import; print the figures as one JSON line."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    django.setup()
    from safeguard.returns.cin_census import reader
    from safeguard.returns.importing import import_returns

    t0, c0 = time.perf_counter(), time.process_time()
    result = reader.read_file(Path(path))
    read_s, read_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert not result.problems, result.problems[:3]
    del result
    t0, c0 = time.perf_counter(), time.process_time()
    report = import_returns("cin-census", [Path(path)])
    total_s, total_cpu = time.perf_counter() - t0, time.process_time() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "read_s": read_s,
                "import_s": total_s,
                "peak_mb": peak_mb,
                "read_cpu": read_cpu,
                "import_cpu": total_cpu,
                "children": report.outcomes[0].summary.children,
                "rows": report.outcomes[0].summary.rows_written,
            }
        )
    )


def main(children: int = CHILDREN) -> None:
    from safeguard.returns.cin_census.synthetic import write_census

    with tempfile.TemporaryDirectory(prefix="bench-cin-") as tmp:
        path = Path(tmp) / "cin.xml"
        t0 = time.perf_counter()
        write_census(path, children, year=2019, seed=1)
        mb = path.stat().st_size / 1e6
        print(f"made {children:,} children, {mb:.1f} MB in {time.perf_counter() - t0:.1f} s")
        env = {**os.environ, "SAFEGUARD_VAR_DIR": str(Path(tmp) / "var")}
        env.pop("SAFEGUARD_DATABASE_URL", None)
        subprocess.run([SAFEGUARD, "migrate", "-v0"], env=env, check=True)
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_import_cin", "--worker", str(path)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        fig = json.loads(out.stdout.strip().splitlines()[-1])
    read_rate, total_rate = mb / fig["read_s"], mb / fig["import_s"]
    print(
        f"read (file -> frames): {fig['read_s']:.1f} s, {read_rate:.1f} MB/s "
        f"(target {TARGET_MB_S:.0f}: ratio {read_rate / TARGET_MB_S:.2f})"
    )
    print(
        f"import (read + load into SQLite): {fig['import_s']:.1f} s, {total_rate:.1f} MB/s "
        f"(ratio {total_rate / TARGET_MB_S:.2f}); rows {fig['rows']}"
    )
    print(
        f"CPU seconds (what the figures would be on an idle machine): read "
        f"{fig['read_cpu']:.1f} s = {mb / fig['read_cpu']:.1f} MB/s; import "
        f"{fig['import_cpu']:.1f} s = {mb / fig['import_cpu']:.1f} MB/s"
    )
    print(
        f"peak memory {fig['peak_mb']:.0f} MB (target {TARGET_PEAK_MB:.0f}: ratio "
        f"{TARGET_PEAK_MB / fig['peak_mb']:.2f}); load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else CHILDREN)
