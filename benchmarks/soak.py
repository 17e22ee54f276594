"""Soak measures for bench_web (security goal G22): does the app hold its memory and its
database connections steady over a long run?

The goal: 20 users for 60 minutes with the resident memory (RSS) of gunicorn growing less than
10% and a stable count of connections in `pg_stat_activity`. A sampler thread records, every
`interval` seconds, the summed RSS of the gunicorn master and its workers and the number of
backends connected to the bench database; `summarise` turns the samples into the verdict.

Growth is measured from the first sample at or after the warm-up (by default 5 minutes), not
from the start: the workers import Django, fill their caches and open their connections in the
first minutes, and that rise is not a leak. Connections are "stable" when, after the warm-up,
they never exceed the ceiling the server can legitimately hold (one persistent connection per
worker thread, `CONN_MAX_AGE`): a leak shows as a count climbing past it.
"""

from __future__ import annotations

import csv
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

TARGET_RSS_GROWTH_PERCENT = 10.0
MB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    """One reading: seconds since the run began, gunicorn's summed RSS, connections (or None
    when the database is not PostgreSQL)."""

    seconds: float
    rss_bytes: int
    connections: int | None


@dataclass(frozen=True)
class SoakSummary:
    first_rss: int
    baseline: Sample  # the first sample after the warm-up
    last: Sample
    max_rss: int
    growth_percent: float
    connections_min: int | None  # after the warm-up
    connections_max: int | None
    ceiling: int

    @property
    def rss_met(self) -> bool:
        return self.growth_percent < TARGET_RSS_GROWTH_PERCENT

    @property
    def connections_met(self) -> bool:
        return self.connections_max is None or self.connections_max <= self.ceiling


def summarise(samples: list[Sample], warmup_seconds: float, ceiling: int) -> SoakSummary:
    """The soak verdict from the samples; the warm-up falls back to the first sample when the
    run was shorter than it (a trial run), so the figures are still printed."""
    if not samples:
        raise ValueError("No soak samples were taken: the run ended before the first interval.")
    settled = [s for s in samples if s.seconds >= warmup_seconds] or samples
    baseline, last = settled[0], samples[-1]
    counts = [s.connections for s in settled if s.connections is not None]
    return SoakSummary(
        first_rss=samples[0].rss_bytes,
        baseline=baseline,
        last=last,
        max_rss=max(s.rss_bytes for s in samples),
        growth_percent=100.0 * (last.rss_bytes - baseline.rss_bytes) / baseline.rss_bytes,
        connections_min=min(counts) if counts else None,
        connections_max=max(counts) if counts else None,
        ceiling=ceiling,
    )


def report(summary: SoakSummary) -> list[str]:
    """Print the soak figures with target/actual ratios; return the targets missed."""
    s = summary
    growth = s.growth_percent
    ratio = TARGET_RSS_GROWTH_PERCENT / growth if growth > 0 else float("inf")
    print(
        f"Soak RSS of gunicorn (master + workers): first {s.first_rss / MB:.0f} MB, after "
        f"warm-up ({s.baseline.seconds:.0f} s) {s.baseline.rss_bytes / MB:.0f} MB, last "
        f"({s.last.seconds:.0f} s) {s.last.rss_bytes / MB:.0f} MB, max {s.max_rss / MB:.0f} MB; "
        f"growth {growth:+.1f}%, target < {TARGET_RSS_GROWTH_PERCENT:.0f}%, target/actual "
        f"{ratio:.2f} ({'met' if s.rss_met else 'MISSED'})"
    )
    missed = []
    if not s.rss_met:
        missed.append(f"RSS grew {growth:.1f}% >= {TARGET_RSS_GROWTH_PERCENT:.0f}%")
    if s.connections_max is None:
        print("Soak connections: not sampled (not PostgreSQL).")
        return missed
    print(
        f"Soak pg_stat_activity after warm-up: min {s.connections_min}, max "
        f"{s.connections_max}, ceiling {s.ceiling} (workers x threads), target/actual "
        f"{s.ceiling / max(s.connections_max, 1):.2f} "
        f"({'met' if s.connections_met else 'MISSED'})"
    )
    if not s.connections_met:
        missed.append(f"{s.connections_max} connections > ceiling {s.ceiling}")
    return missed


def process_tree_rss(pid: int) -> int:
    """Summed RSS of a process and all its descendants (gunicorn master and workers)."""
    import psutil

    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in tree:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue  # a worker that died between the listing and the reading
    return total


class SoakSampler(threading.Thread):
    """Every `interval` seconds: gunicorn's RSS and the database's connection count, each
    sample also appended to `log` (CSV) so a long run's readings survive a crash."""

    def __init__(
        self, pid: int, interval: float, log: Path, server_url: str | None, db_name: str
    ) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.log = pid, interval, log
        self.server_url, self.db_name = server_url, db_name
        self.samples: list[Sample] = []
        self._halt = threading.Event()

    def _connections(self, conn) -> int | None:
        if conn is None:
            return None
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (self.db_name,)
        ).fetchone()[0]

    def run(self) -> None:
        import psycopg

        began = time.monotonic()
        conn = None
        if self.server_url:  # its own connection, to another database: not counted
            conn = psycopg.connect(f"{self.server_url}/postgres", autocommit=True)
        with self.log.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["seconds", "utc", "rss_bytes", "connections", "load1"])
            try:
                while not self._halt.wait(self.interval):
                    sample = Sample(
                        time.monotonic() - began,
                        process_tree_rss(self.pid),
                        self._connections(conn),
                    )
                    self.samples.append(sample)
                    writer.writerow(
                        [
                            f"{sample.seconds:.0f}",
                            time.strftime("%H:%M:%S", time.gmtime()),
                            sample.rss_bytes,
                            sample.connections,
                            f"{os.getloadavg()[0]:.2f}",
                        ]
                    )
                    f.flush()
            finally:
                if conn is not None:
                    conn.close()

    def halt(self) -> list[Sample]:
        self._halt.set()
        self.join(timeout=30)
        return self.samples
