"""Benchmark of the web app under load: 50 practitioners on gunicorn and PostgreSQL for 5 minutes.

Target (issue 6): p95 under 300 ms for the child's record and "my work", and no errors.

1. Makes (once) the PostgreSQL database `safeguard_bench_web` on 127.0.0.1:5432 (user postgres),
   migrates it and fills it with `safeguard demo --no-serve` (the default synthetic council).
2. In that database only, gives every current social worker with open cases, and every team
   manager, a login `bench-sw-<worker id>` / `bench-tm-<worker id>` (roles as groups), and writes
   a plan: each login with the children in its scope (the app's own scope filter).
3. Starts gunicorn on a free loopback port (2 x cores + 1 workers, 4 threads each) with production
   settings (`safeguard.settings_production`: protection middleware, axes, DEBUG off) loosened
   only for plain HTTP on loopback (no SSL redirect, no Secure cookies, no HSTS) and without
   the second factor (as the demo); the pages work to the demo's as-at date.
4. Runs locust headless (`benchmarks/locustfile.py`) and prints, per page: requests, failures,
   p50/p95/p99, and target/actual for p95 of the two target pages; plus the machine's load.
   gunicorn is always stopped at the end.

Run: ``.venv/bin/python -m benchmarks bench_web`` (50 users, 5 minutes) or, with options,
``.venv/bin/python -m benchmarks.bench_web --users 20 --duration 30s [--strict]``.

Chaos (security goal G20): ``--chaos 60,180`` also has every user save case notes, and from 60 s
to 180 s into the run terminates every connection the app has to PostgreSQL
(`pg_terminate_backend`) every ``--chaos-interval`` seconds. Then it checks: no partial writes
(every note written has exactly its one history row, and no history row lacks its note), no
confirmed save lost, every failed request a clean 503 (the database-unavailable page, no
traceback), and no failure later than 10 s after the last kill (recovery without a restart).

Soak (G22): ``--soak`` samples every ``--soak-interval`` seconds the summed RSS of the gunicorn
master and workers and the count of connections in ``pg_stat_activity`` (`benchmarks/soak.py`),
and at the end prints the RSS growth from the first sample after ``--soak-warmup`` to the last
(target < 10%) and the connection counts against the ceiling of one per worker thread, e.g.
``BENCH_WEB_DB=sg_soak --users 20 --duration 60m --writes --soak``.

SQLite (G22): ``--sqlite PATH`` runs gunicorn on a SQLite file instead (made once with the demo
council, then switched to WAL) with the project's SQLite settings; with ``--writes`` it counts
"database is locked" in gunicorn's log and the failed requests (target: 0 of either).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from benchmarks import soak

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# Another database by BENCH_WEB_DB, e.g. for a chaos run that must not disturb others' runs.
DB_NAME = os.environ.get("BENCH_WEB_DB", "safeguard_bench_web")
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
DB_URL = f"{SERVER_URL}/{DB_NAME}"
HOST = "127.0.0.1"
TARGET_P95_MS = 300.0
TARGET_PAGES = ("child record", "my work")
BENCH_PASSWORD = "bench-web-load-2019"  # noqa: S105 - synthetic logins in the bench DB only
SETTINGS_MODULE = "bench_web_settings"
DEMO_AS_AT = "2019-06-30"  # safeguard demo's AS_AT: the demo council is as at this date

# Production settings, loosened only for plain HTTP on loopback and the demo's missing 2FA.
SETTINGS_SOURCE = '''"""Written by benchmarks/bench_web.py: production, loopback HTTP."""
from safeguard.settings_production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_PROXY_SSL_HEADER = None
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
SAFEGUARD_OTP_REQUIRED = False
SAFEGUARD_AS_AT = "{as_at}"
ALLOWED_HOSTS = ["127.0.0.1"]
LOGGING["loggers"]["axes"]["level"] = "WARNING"  # noqa: F405 - not a line per sign-in
'''

NO_POSTGRES = "Skipped: PostgreSQL is not reachable at {url} ({error})."
NO_LOCUST = "Skipped: locust is not installed (pip install locust==2.47.0)."
NOT_READY = "gunicorn did not answer on {url} within {seconds} s; see {log}."
FAILED_TARGET = "Target missed: {detail}."
NO_STATS = "locust wrote no statistics ({path}); see {log}."
CHAOS_NEEDS_POSTGRES = "--chaos kills PostgreSQL connections: it cannot run with --sqlite."
DB_LOCKED = "database is locked"


def parse_args(argv: list[str]) -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", default="5m", help="locust run time, e.g. 30s, 5m")
    parser.add_argument("--workers", type=int, default=2 * cores + 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--wait", default="1,3", help="think time between clicks: min,max s")
    parser.add_argument("--out", type=Path, help="directory for CSVs and logs (default: temp)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also time the target pages one at a time and count their queries",
    )
    parser.add_argument(
        "--chaos",
        help="START,END seconds into the run: kill the app's database connections meanwhile "
        "(implies --writes)",
    )
    parser.add_argument("--chaos-interval", type=float, default=2.0, help="seconds between kills")
    parser.add_argument("--writes", action="store_true", help="users also save case notes")
    parser.add_argument(
        "--soak", action="store_true", help="sample gunicorn's RSS and the DB connections"
    )
    parser.add_argument("--soak-interval", type=float, default=30, help="seconds between samples")
    parser.add_argument(
        "--soak-warmup", type=float, default=300, help="seconds before the RSS baseline sample"
    )
    parser.add_argument("--sqlite", type=Path, help="run on this SQLite file, not PostgreSQL")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)  # internal: plan path
    parser.add_argument("--check-notes", type=Path, help=argparse.SUPPRESS)  # internal
    parser.add_argument("--profile-plan", type=Path, help=argparse.SUPPRESS)  # internal
    return parser.parse_args(argv)


# -- 1. the database --------------------------------------------------------------------------


def ensure_database() -> str | None:
    """Create the bench database if absent (idempotent); the error when the server is down."""
    import psycopg

    try:
        with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    except psycopg.OperationalError as error:
        return str(error).strip()
    return None


def _env(
    settings_dir: Path, settings: str = SETTINGS_MODULE, db_url: str = DB_URL
) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SAFEGUARD_DATABASE_URL=db_url,
        DJANGO_SETTINGS_MODULE=settings,
        SAFEGUARD_SECRET_KEY=env.get("SAFEGUARD_SECRET_KEY") or secrets.token_urlsafe(64),
        SAFEGUARD_BEHIND_PROXY="0",
        PYTHONPATH=os.pathsep.join([str(settings_dir), str(ROOT)]),
    )
    return env


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def _sqlite_demo_generated(path: Path) -> bool:
    import sqlite3

    if not path.exists():
        return False
    with contextlib.closing(sqlite3.connect(path)) as conn:
        try:
            children = conn.execute("SELECT EXISTS (SELECT 1 FROM journey_child)").fetchone()[0]
            users = conn.execute(
                "SELECT EXISTS (SELECT 1 FROM auth_user WHERE username = 'demo-social-worker')"
            ).fetchone()[0]
        except sqlite3.OperationalError:
            return False
    return bool(children and users)


def use_wal(path: Path) -> str:
    """Switch the SQLite file to write-ahead logging (kept in the file); the mode it is in."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]


def _demo_generated(sqlite: Path | None = None) -> bool:
    if sqlite is not None:
        return _sqlite_demo_generated(sqlite)
    import psycopg

    with psycopg.connect(DB_URL) as conn:
        try:
            children = conn.execute("SELECT EXISTS (SELECT 1 FROM journey_child)").fetchone()[0]
            users = conn.execute(
                "SELECT EXISTS (SELECT 1 FROM auth_user WHERE username = 'demo-social-worker')"
            ).fetchone()[0]
        except psycopg.errors.UndefinedTable:
            return False
    return bool(children and users)


def ensure_demo(env: dict[str, str], sqlite: Path | None = None) -> None:
    """Fill the database with the demo council once; then migrate the production-only apps."""
    safeguard = str(VENV_BIN / "safeguard")
    if not _demo_generated(sqlite):
        print(
            "Generating the demo council into the bench database (several minutes)...", flush=True
        )
        demo_env = dict(env, DJANGO_SETTINGS_MODULE="safeguard.settings")
        subprocess.run(
            [safeguard, "demo", "--no-serve"],
            env=demo_env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
    # axes and django_otp tables (production settings wire them in).
    subprocess.run([safeguard, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)


def prepare_logins(plan_path: Path) -> None:
    """In the bench DB (subprocess with Django set up): bench logins and their children."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from django.db import transaction

    from safeguard.access.scope import case_children_for
    from safeguard.workforce.models import Allocation, Team, Worker

    encoded = make_password(BENCH_PASSWORD)  # one hash for all: Argon2 is slow by design
    open_allocs = Allocation.objects.filter(end_date__isnull=True)
    social = Worker.objects.filter(
        role="SW", leave_date__isnull=True, pk__in=open_allocs.values("worker_id")
    )
    managers = Worker.objects.filter(
        pk__in=Team.objects.values("manager_id"), leave_date__isnull=True
    )
    logins = []
    with transaction.atomic():
        for role, prefix, workers in (
            ("social_worker", "bench-sw", social),
            ("team_manager", "bench-tm", managers),
        ):
            group = Group.objects.get_or_create(name=role)[0]
            for worker in workers.order_by("pk"):
                user = worker.user
                if user is None:
                    user = User.objects.create(username=f"{prefix}-{worker.pk}", password=encoded)
                    worker.user = user
                    worker.save(update_fields=["user"])
                elif not user.username.startswith(prefix):
                    continue  # a demo login: leave it as the demo made it
                user.groups.add(group)
                children = sorted(case_children_for(user).values_list("pk", flat=True))
                if children:
                    logins.append(
                        {"username": user.username, "role": role, "children": children[:500]}
                    )
    plan_path.write_text(json.dumps({"password": BENCH_PASSWORD, "logins": logins}))


def profile_pages(plan_path: Path, samples: int = 3) -> None:
    """In the bench DB (subprocess): time and count SQL queries of the target pages, one user
    at a time (no load), for the busiest logins; print the most repeated query shapes."""
    import re
    from collections import Counter

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    plan = json.loads(plan_path.read_text())
    busiest = []
    for role in ("social_worker", "team_manager"):
        logins = [entry for entry in plan["logins"] if entry["role"] == role]
        busiest += sorted(logins, key=lambda entry: -len(entry["children"]))[:samples]
    shapes: dict[str, Counter] = {}
    print(f"{'page':<14}{'login':<16}{'children':>9}{'queries':>8}{'ms':>7}")
    for login in busiest:
        client = Client(HTTP_HOST=HOST)
        client.force_login(User.objects.get(username=login["username"]))
        pages = {"my work": "/my-work/", "child record": f"/children/{login['children'][0]}/"}
        for name, url in pages.items():
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                client.get(url)
                ms = (time.perf_counter() - began) * 1000
            print(
                f"{name:<14}{login['username']:<16}{len(login['children']):>9}"
                f"{len(queries):>8}{ms:>7.0f}"
            )
            counter = shapes.setdefault(name, Counter())
            for query in queries.captured_queries:
                counter[re.sub(r"\b\d+\b|'[^']*'", "?", query["sql"])[:160]] += 1
    for name, counter in shapes.items():
        print(f"-- most repeated queries, {name} (count over {len(busiest)} logins):")
        for sql, n in counter.most_common(6):
            print(f"{n:>6}  {sql}")


def _summarise_plan(plan_path: Path) -> str:
    plan = json.loads(plan_path.read_text())
    by_role: dict[str, list[int]] = {}
    for login in plan["logins"]:
        by_role.setdefault(login["role"], []).append(len(login["children"]))
    return "; ".join(
        f"{role}: {len(n)} logins, median {sorted(n)[len(n) // 2]} children"
        for role, n in by_role.items()
    )


def _children_cpu() -> float:
    """CPU seconds used by finished child processes (gunicorn, locust) so far."""
    usage = os.times()
    return usage.children_user + usage.children_system


# -- 2. the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(
    env: dict[str, str], port: int, workers: int, threads: int, log: Path
) -> subprocess.Popen:
    cmd = [
        str(VENV_BIN / "gunicorn"),
        "safeguard.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "60",
    ]
    # gunicorn's own log and the app's (Django logs to stderr in production) in one file.
    with log.open("a") as log_file:
        process = subprocess.Popen(
            cmd,
            env=env,
            cwd=ROOT,
            start_new_session=True,  # noqa: S603
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://{HOST}:{port}/health/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise RuntimeError(NOT_READY.format(url=url, seconds=60, log=log))


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn and its workers (its own process group), gently then firmly."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# -- 3. the load ------------------------------------------------------------------------------


class LoadSampler(threading.Thread):
    """Samples the 1-minute load average every 5 s while the run lasts."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(5):
            self.samples.append(os.getloadavg()[0])

    def halt(self) -> str:
        self._halt.set()
        if not self.samples:
            return "n/a"
        mean = sum(self.samples) / len(self.samples)
        return f"mean {mean:.1f}, max {max(self.samples):.1f} (1-min load, {os.cpu_count()} cores)"


def run_locust(args: argparse.Namespace, port: int, plan: Path, out: Path) -> Path:
    prefix = out / "web"
    cmd = [
        str(VENV_BIN / "locust"),
        "-f",
        str(ROOT / "benchmarks" / "locustfile.py"),
        "--headless",
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        "-t",
        args.duration,
        "--host",
        f"http://{HOST}:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--exit-code-on-error",
        "0",
    ]
    env = dict(
        os.environ,
        BENCH_WEB_PLAN=str(plan),
        BENCH_WEB_WAIT=args.wait,
        BENCH_WEB_WRITES="1" if args.writes else "0",
        BENCH_WEB_EVENTS=str(out / "events.json"),
    )
    with (out / "locust.log").open("w") as log:
        subprocess.run(
            cmd,
            env=env,
            cwd=ROOT,
            check=True,
            stdout=log,  # noqa: S603
            stderr=subprocess.STDOUT,
        )
    return prefix.with_name("web_stats.csv")


class Chaos(threading.Thread):
    """From `start` to `end` seconds after it begins, terminates every backend connected to the
    bench database every `interval` seconds (its own connection is to another database)."""

    def __init__(self, start: float, end: float, interval: float) -> None:
        super().__init__(daemon=True)
        self.window, self.interval = (start, end), interval
        self.kills: list[tuple[float, int]] = []  # (time, connections terminated)
        self._halt = threading.Event()

    def run(self) -> None:
        import psycopg

        began = time.monotonic()
        if self._halt.wait(self.window[0]):
            return
        with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
            while time.monotonic() - began < self.window[1] and not self._halt.is_set():
                killed = conn.execute(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM "
                    "pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    (DB_NAME,),
                ).fetchone()[0]
                self.kills.append((time.time(), killed))
                self._halt.wait(self.interval)

    def halt(self) -> None:
        self._halt.set()


def check_notes(events_path: Path) -> None:
    """In the bench DB (subprocess): the notes the run wrote against their history rows, and
    the notes the server confirmed against the notes present. Prints one JSON line."""
    import django

    django.setup()
    from safeguard.journey.models import CaseNote

    events = json.loads(events_path.read_text())
    confirmed, prefix = set(events["confirmed"]), events["prefix"]
    notes = dict(CaseNote.objects.filter(text__startswith=prefix).values_list("pk", "text"))
    history = CaseNote.history.filter(text__startswith=prefix, history_type="+")
    born = sorted(history.values_list("id", flat=True))
    print(
        json.dumps(
            {
                "notes": len(notes),
                "confirmed": len(confirmed),
                "confirmed_missing": len(confirmed - set(notes.values())),
                "notes_without_history": len(set(notes) - set(born)),
                "history_without_note": len(set(born) - set(notes)),
                "notes_with_two_creations": len(born) - len(set(born)),
            }
        )
    )


def chaos_verdict(chaos: Chaos, events: dict, notes: dict) -> list[str]:
    """Print what the chaos did and what it left; return the checks that failed."""
    kills = [k for k in chaos.kills if k[1]]
    failures = events["failures"]
    kinds: dict[str, int] = {}
    for _, _, error in failures:
        kinds[error] = kinds.get(error, 0) + 1
    last_kill = max((t for t, _ in chaos.kills), default=None)
    last_failure = max((t for t, _, _ in failures), default=None)
    print(
        f"Chaos: {len(chaos.kills)} rounds of pg_terminate_backend, {len(kills)} of them "
        f"found connections ({sum(n for _, n in chaos.kills)} terminated)."
    )
    print(f"Failed requests by kind: {kinds or 'none'}")
    print(f"Writes: {notes}")
    missed = []
    unclean = {k: n for k, n in kinds.items() if "503 clean" not in k}
    if unclean:
        missed.append(f"failures other than a clean 503: {unclean}")
    for key in ("confirmed_missing", "notes_without_history", "history_without_note"):
        if notes[key]:
            missed.append(f"{notes[key]} {key.replace('_', ' ')}")
    if notes["notes_with_two_creations"]:
        missed.append(f"{notes['notes_with_two_creations']} notes created twice in history")
    if last_kill and last_failure:
        recovery = last_failure - last_kill
        print(f"Last failure {recovery:+.1f} s after the last kill (target: within 10 s).")
        if recovery > 10:
            missed.append(f"a failure {recovery:.1f} s after the last kill")
    return missed


# -- 4. the figures ---------------------------------------------------------------------------


def read_stats(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def report(rows: list[dict[str, str]]) -> list[str]:
    """Print the table; return the targets missed (empty when all met)."""
    print(
        f"{'page':<16}{'requests':>9}{'failures':>9}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'req/s':>7}"
    )
    missed = []
    for row in rows:
        name = row["Name"]
        print(
            f"{name:<16}{row['Request Count']:>9}{row['Failure Count']:>9}{row['50%']:>8}"
            f"{row['95%']:>8}{row['99%']:>8}{float(row['Requests/s']):>7.1f}"
        )
        if name == "Aggregated" and int(row["Failure Count"]):
            missed.append(f"{row['Failure Count']} failed requests")
    for name in TARGET_PAGES:
        row = next((r for r in rows if r["Name"] == name), None)
        if row is None or not int(row["Request Count"]):
            missed.append(f"no requests for {name}")
            continue
        p95 = float(row["95%"])
        ratio = TARGET_P95_MS / p95 if p95 else float("inf")
        verdict = "met" if p95 < TARGET_P95_MS else "MISSED"
        print(
            f"{name}: p95 {p95:.0f} ms, target {TARGET_P95_MS:.0f} ms, target/actual "
            f"{ratio:.2f} ({verdict})"
        )
        if p95 >= TARGET_P95_MS:
            missed.append(f"{name} p95 {p95:.0f} ms >= {TARGET_P95_MS:.0f} ms")
    return missed


def main() -> None:
    args = parse_args(sys.argv[1:])
    if args.prepare:
        prepare_logins(args.prepare)
        return
    if args.profile_plan:
        profile_pages(args.profile_plan)
        return
    if args.check_notes:
        check_notes(args.check_notes)
        return
    if args.chaos:
        if args.sqlite:
            sys.exit(CHAOS_NEEDS_POSTGRES)
        args.writes = True
    if not (VENV_BIN / "locust").exists():
        print(NO_LOCUST)
        sys.exit(1 if args.strict else 0)
    if not args.sqlite:
        error = ensure_database()
        if error:
            print(NO_POSTGRES.format(url=SERVER_URL, error=error))
            sys.exit(1 if args.strict else 0)
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_web_"))
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{SETTINGS_MODULE}.py").write_text(SETTINGS_SOURCE.replace("{as_at}", DEMO_AS_AT))
    env = _env(out, db_url=sqlite_url(args.sqlite) if args.sqlite else DB_URL)
    started = time.perf_counter()
    ensure_demo(env, args.sqlite)
    if args.sqlite:
        print(f"SQLite {args.sqlite}: journal mode {use_wal(args.sqlite)}.")
    plan = out / "plan.json"
    subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_web", "--prepare", str(plan)],
        env=env,
        check=True,
        cwd=ROOT,
    )
    print(f"Database ready in {time.perf_counter() - started:.0f} s; {_summarise_plan(plan)}.")
    if args.profile:
        subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_web", "--profile-plan", str(plan)],
            env=env,
            check=True,
            cwd=ROOT,
        )
    port = free_port()
    print(
        f"gunicorn: {args.workers} workers x {args.threads} threads on {HOST}:{port}; locust: "
        f"{args.users} users (spawn {args.spawn_rate}/s), {args.duration}, think time "
        f"{args.wait} s; load before: {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    server = start_gunicorn(env, port, args.workers, args.threads, out / "gunicorn.log")
    sampler = LoadSampler()
    chaos = None
    if args.chaos:
        start, _, end = args.chaos.partition(",")
        chaos = Chaos(float(start), float(end), args.chaos_interval)
    soaker = None
    if args.soak:
        soaker = soak.SoakSampler(
            server.pid,
            args.soak_interval,
            out / "soak.csv",
            None if args.sqlite else SERVER_URL,
            DB_NAME,
        )
    cpu_before = _children_cpu()
    try:
        sampler.start()
        if chaos:
            chaos.start()
        if soaker:
            soaker.start()
        stats = run_locust(args, port, plan, out)
    finally:
        if chaos:
            chaos.halt()
        samples = soaker.halt() if soaker else []
        stop(server)
        load = sampler.halt()
    if not stats.exists():
        raise RuntimeError(NO_STATS.format(path=stats, log=out / "locust.log"))
    missed = report(read_stats(stats))
    if soaker:
        ceiling = args.workers * args.threads
        missed += soak.report(soak.summarise(samples, args.soak_warmup, ceiling))
    if args.sqlite:
        locked = (out / "gunicorn.log").read_text(errors="replace").count(DB_LOCKED)
        print(f'SQLite: "{DB_LOCKED}" {locked} times in {out / "gunicorn.log"} (target 0).')
        if locked:
            missed.append(f'{locked} "{DB_LOCKED}" errors')
    print(
        f"Machine load during the run: {load}. CPU of gunicorn and locust: "
        f"{_children_cpu() - cpu_before:.0f} s. CSVs and logs: {out}"
    )
    if args.writes:
        checked = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_web",
                "--check-notes",
                str(out / "events.json"),
            ],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        notes = json.loads(checked.stdout.strip().splitlines()[-1])
        events = json.loads((out / "events.json").read_text())
        if chaos:
            missed = [m for m in missed if "failed requests" not in m]  # judged below
            missed += chaos_verdict(chaos, events, notes)
        else:
            print(f"Writes: {notes}")
    if missed:
        print(FAILED_TARGET.format(detail="; ".join(missed)))
        if args.strict:
            sys.exit(1)


if __name__ == "__main__":
    main()
