"""Benchmark: import a 50,000-child CIN census (about 80 MB of XML) into a fresh database.

The file is made by `safeguard.returns.cin_census.synthetic` (seeded, invented children). The
import runs in its own process, with its own temporary SAFEGUARD_VAR_DIR (after `safeguard
migrate`), so its peak memory is its own: first the reader alone (file -> frames), then the
whole `import_returns` (read again, DfE rules, load with its change history, one transaction).
A file this big is read by a worker process while the importer loads its pieces
(`safeguard/returns/worker.py`): the CPU figures add the worker's to the importer's, and the
peak memory is the importer's plus the worker's.
Targets (issue 3): at least 20 MB/s of XML and peak memory under 1 GB. For scale, the open CIN
validator's reader took 67 s for 10,000 children.

Prints wall and CPU seconds (the machine is shared: CPU seconds are what the figure would be on
an idle machine, less any overlap of the two cores), MB/s, peak RSS, how much of the import went
on writing the change-history rows (issue 7, G7), and each ratio actual/target (above 1 is good
for speed; for memory the ratio is target/actual, above 1 meaning inside the target).

    python -m benchmarks bench_import_cin                  # SQLite (the default database)
    python -m benchmarks.bench_import_cin 50000 --pg       # also PostgreSQL, 127.0.0.1:5432

With --pg the benchmark creates a database of its own on that server (user postgres), runs the
import into it, and drops it afterwards.
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
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def worker(path: str) -> None:
    """In a fresh process: read, then import; print the figures as one JSON line."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    django.setup()
    from safeguard.returns import bulk
    from safeguard.returns.cin_census import reader
    from safeguard.returns.importing import import_returns

    history = {"s": 0.0, "cpu": 0.0, "rows": 0}
    write_history = bulk.write_history

    def timed(*args, **kwargs) -> int:
        t0, c0 = time.perf_counter(), time.thread_time()
        rows = write_history(*args, **kwargs)
        history["s"] += time.perf_counter() - t0
        history["cpu"] += time.thread_time() - c0
        history["rows"] += rows
        return rows

    bulk.write_history = timed
    bare_s = _bare_parse(Path(path))
    t0, c0 = time.perf_counter(), time.process_time()
    result = reader.read_file(Path(path))
    read_s, read_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert not result.problems, result.problems[:3]
    del result
    t0, c0, w0 = time.perf_counter(), time.process_time(), _children_cpu()
    report = import_returns("cin-census", [Path(path)])
    total_s, total_cpu = time.perf_counter() - t0, time.process_time() - c0
    worker_cpu = _children_cpu() - w0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "bare_s": bare_s,
                "read_s": read_s,
                "import_s": total_s,
                "peak_mb": peak_mb + worker_mb,
                "importer_mb": peak_mb,
                "worker_mb": worker_mb,
                "read_cpu": read_cpu,
                "import_cpu": total_cpu + worker_cpu,
                "worker_cpu": worker_cpu,
                "history_s": history["s"],
                "history_cpu": history["cpu"],
                "history_rows": history["rows"],
                "children": report.outcomes[0].summary.children,
                "rows": report.outcomes[0].summary.rows_written,
            }
        )
    )


def _bare_parse(path: Path) -> float:
    """Seconds lxml takes only to parse the file, streamed, each <Child> dropped when done:
    the floor for any reader of it, and a baseline measured on the same machine in the same
    run, so the import's ratio to it compares across machines as MB/s cannot."""
    from lxml import etree

    t0 = time.perf_counter()
    for _event, el in etree.iterparse(str(path), tag="Child", resolve_entities=False):
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    return time.perf_counter() - t0


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the import's reader worker)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(path: Path, env: dict) -> dict:
    subprocess.run([SAFEGUARD, "migrate", "-v0"], env=env, check=True)
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_import_cin", "--worker", str(path)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _report(label: str, fig: dict, mb: float) -> None:
    read_rate, total_rate = mb / fig["read_s"], mb / fig["import_s"]
    no_history = fig["import_s"] - fig["history_s"]
    print(f"--- {label} (load average {os.getloadavg()[0]:.1f} at the end)")
    print(
        f"read (file -> frames): {fig['read_s']:.1f} s, {read_rate:.1f} MB/s "
        f"(target {TARGET_MB_S:.0f}: ratio {read_rate / TARGET_MB_S:.2f})"
    )
    print(
        f"import (read + rules + load + history): {fig['import_s']:.1f} s, {total_rate:.1f} MB/s "
        f"(ratio {total_rate / TARGET_MB_S:.2f}); rows {fig['rows']}"
    )
    print(
        f"  of which change history: {fig['history_rows']:,} rows in {fig['history_s']:.1f} s "
        f"({fig['history_cpu']:.1f} s CPU); without it the import would take {no_history:.1f} s "
        f"= {mb / no_history:.1f} MB/s (ratio {mb / no_history / TARGET_MB_S:.2f})"
    )
    rows, times = sum(fig["rows"].values()), fig["import_s"] / fig["bare_s"]
    print(
        f"  baseline, lxml only parsing the file (same process): {fig['bare_s']:.2f} s; the "
        f"import takes {times:.1f} times that; {rows / fig['import_s']:,.0f} rows/s "
        f"({rows:,} rows, each with its history row)"
    )
    print(
        f"CPU seconds (all threads; the idle-machine figure if nothing overlapped): read "
        f"{fig['read_cpu']:.1f} s = {mb / fig['read_cpu']:.1f} MB/s; import "
        f"{fig['import_cpu']:.1f} s = {mb / fig['import_cpu']:.1f} MB/s "
        f"(ratio {mb / fig['import_cpu'] / TARGET_MB_S:.2f}), of which the reader worker "
        f"{fig['worker_cpu']:.1f} s"
    )
    print(
        f"peak memory {fig['peak_mb']:.0f} MB: importer {fig['importer_mb']:.0f} + reader worker "
        f"{fig['worker_mb']:.0f} (target {TARGET_PEAK_MB:.0f}: ratio "
        f"{TARGET_PEAK_MB / fig['peak_mb']:.2f})"
    )


def _pg_run(path: Path, env: dict) -> dict:
    """The same import into a PostgreSQL database made for it, dropped afterwards."""
    import psycopg

    name = f"safeguard_bench_cin_{os.getpid()}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        return _run(path, {**env, "SAFEGUARD_DATABASE_URL": f"{PG_SERVER}/{name}"})
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main(children: int = CHILDREN, pg: bool = False) -> None:
    from safeguard.returns.cin_census.synthetic import write_census

    with tempfile.TemporaryDirectory(prefix="bench-cin-") as tmp:
        path = Path(tmp) / "cin.xml"
        t0 = time.perf_counter()
        write_census(path, children, year=2019, seed=1)
        mb = path.stat().st_size / 1e6
        print(f"made {children:,} children, {mb:.1f} MB in {time.perf_counter() - t0:.1f} s")
        env = {**os.environ, "SAFEGUARD_VAR_DIR": str(Path(tmp) / "var")}
        env.pop("SAFEGUARD_DATABASE_URL", None)
        _report("SQLite", _run(path, env), mb)
        if pg:
            _report("PostgreSQL", _pg_run(path, env), mb)


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--worker":
        worker(args[1])
    else:
        numbers = [int(a) for a in args if a.isdigit()]
        main(numbers[0] if numbers else CHILDREN, pg="--pg" in args)
