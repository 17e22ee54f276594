"""Benchmark of one page at a time: application CPU per child record and "my work" (G22).

Load-independent companion of `bench_web`: on a shared 2-core machine a p95 under load says as
much about the neighbours as about the app, while the CPU one request costs our process does
not. With the Django test client (no server, no network) and a bench social worker's login
(`bench_web` makes them), it GETs the child's record and "my work" ``--repeat`` times each for
the ``--logins`` social workers with the most children, and prints per page: mean CPU ms
(`time.process_time`, our process only: PostgreSQL's own CPU is not counted), mean wall ms and
SQL queries per request. ``--profile FILE`` also writes a cProfile of the timed requests.

The screens remember due dates worked out for unchanged records (`timescales.due`): a page
opened again costs less than the first time. Each page is timed both ways: "cold" (that memo
emptied before every request: what the first view of a child costs) and "warm".

Target (issue 7): at most 40 ms of CPU per child record, and about as much for "my work", the
first time (cold).

Run after `bench_web` has made its database once (``BENCH_WEB_DB`` picks which):

    BENCH_WEB_DB=sg_x .venv/bin/python -m benchmarks.bench_pages --repeat 20

Without such a database it says so and stops (exit 0, or 1 with ``--strict``).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

from benchmarks.bench_web import DB_NAME, DB_URL, DEMO_AS_AT

TARGET_CPU_MS = 40.0
NO_DATABASE = (
    "Skipped: no bench logins in {db} ({error}); run benchmarks.bench_web once with the same "
    "BENCH_WEB_DB to make and fill it."
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page and login")
    parser.add_argument("--logins", type=int, default=3, help="busiest social workers to use")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the timed requests")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is missed")
    return parser.parse_args(argv)


def _setup() -> str | None:
    """Django on the bench database; why not, if another benchmark of this process already
    set Django up on its own database (settings are read once)."""
    os.environ["SAFEGUARD_DATABASE_URL"] = DB_URL
    os.environ.setdefault("SAFEGUARD_AS_AT", DEMO_AS_AT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "safeguard.settings"
    import django
    from django.conf import settings

    django.setup()
    name = settings.DATABASES["default"].get("NAME")
    return None if name == DB_NAME else f"Django is already set up on {name}; run it alone"


def _logins(n: int) -> list[tuple]:
    """The ``n`` bench social workers with the most open cases, each with one of their
    children (the first by primary key)."""
    from django.contrib.auth.models import User
    from django.db.models import Count, Q

    from safeguard.workforce.models import Allocation

    users = (
        User.objects.filter(username__startswith="bench-sw-")
        .annotate(cases=Count("worker__allocations", filter=Q(worker__allocations__end_date=None)))
        .order_by("-cases", "pk")[:n]
    )
    out = []
    for user in users:
        alloc = Allocation.objects.filter(worker__user=user, end_date=None).order_by("child_id")
        child_id = alloc.values_list("child_id", flat=True).first()
        if child_id is not None:
            out.append((user, child_id, user.cases))
    return out


def _time(client, url: str, repeat: int, cold: bool) -> tuple[list[float], list[float]]:
    from safeguard.timescales import due

    cpu, wall = [], []
    for _ in range(repeat):
        if cold:
            due.forget()
        c0, w0 = time.process_time(), time.perf_counter()
        response = client.get(url)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
    return cpu, wall


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def measure(repeat: int, logins: int, profile: Path | None) -> dict[str, dict[str, float]]:
    """Per page: mean CPU ms, mean wall ms and queries per request over every login."""
    import cProfile

    from django.test import Client

    pages: dict[str, dict[str, list[float]]] = {}
    profiler = cProfile.Profile(time.process_time) if profile else None
    for user, child_id, cases in _logins(logins):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        urls = {"child record": f"/children/{child_id}/", "my work": "/my-work/"}
        for (page, url), cold in itertools.product(urls.items(), (True, False)):
            client.get(url)  # warm: templates, the connection (and the memo, if not cold)
            name = f"{page}, {'cold' if cold else 'warm'}"
            stats = pages.setdefault(name, {"cpu": [], "wall": [], "queries": [], "cases": []})
            if profiler:
                profiler.enable()
            cpu, wall = _time(client, url, repeat, cold)
            if profiler:
                profiler.disable()
            stats["cpu"] += cpu
            stats["wall"] += wall
            stats["queries"].append(_queries(client, url))
            stats["cases"].append(cases)
    if profiler and profile:
        profiler.dump_stats(profile)
    return {
        name: {
            "cpu": statistics.fmean(s["cpu"]),
            "cpu_median": statistics.median(s["cpu"]),
            "wall": statistics.fmean(s["wall"]),
            "queries": statistics.fmean(s["queries"]),
            "cases": statistics.fmean(s["cases"]),
        }
        for name, s in pages.items()
    }


def main() -> None:
    args = parse_args(sys.argv[1:])
    reason = _setup()
    logins = []
    if reason is None:
        try:
            logins = _logins(args.logins)
        except Exception as error:  # noqa: BLE001 - any reason the database is not ready
            reason = str(error).strip().splitlines()[0]
        else:
            reason = "no bench-sw- logins"
    if not logins:
        print(NO_DATABASE.format(db=DB_NAME, error=reason))
        sys.exit(1 if args.strict else 0)
    results = measure(args.repeat, args.logins, args.profile)
    print(f"{len(logins)} social workers x {args.repeat} requests a page, database {DB_NAME}")
    print(f"{'page':<20}{'CPU ms':>8}{'median':>8}{'wall ms':>9}{'queries':>9}{'cases':>7}")
    missed = []
    for name, r in results.items():
        print(
            f"{name:<20}{r['cpu']:>8.1f}{r['cpu_median']:>8.1f}{r['wall']:>9.1f}"
            f"{r['queries']:>9.1f}{r['cases']:>7.0f}"
        )
        if name.endswith("cold") and r["cpu"] > TARGET_CPU_MS:
            missed.append(f"{name} {r['cpu']:.0f} ms CPU > {TARGET_CPU_MS:.0f} ms")
    print(f"Load average (1 min): {os.getloadavg()[0]:.1f}")
    if missed:
        print("Target missed: " + "; ".join(missed) + ".")
        if args.strict:
            sys.exit(1)


if __name__ == "__main__":
    main()
