"""DAST (security goal G11): wapiti against the app with the demo data, on loopback only.

Not part of `make test` (it takes minutes); `make dast` runs it. Steps:

1. `safeguard demo --no-serve` on the configured database (SAFEGUARD_DATABASE_URL, or SQLite
   under var/): generates the demo council the first time only.
2. Serves the app with gunicorn and production settings, loosened only for plain HTTP on
   loopback and without the second factor (the same settings as benchmarks/bench_web.py).
3. Signs in as the demo team manager and hands wapiti that session cookie, so it scans the
   signed-in pages too; logout is excluded so the session lives through the scan.
4. Runs wapiti (WAPITI, default /tmp/safeguard-wapiti/bin/wapiti) with its default modules,
   bounded in time, writes its JSON report, and prints every finding with its level. Exit 1 if
   any finding is high or critical (level 3 or more), which is the goal: 0 high.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.bench_web import (
    HOST,
    SETTINGS_MODULE,
    SETTINGS_SOURCE,
    free_port,
    start_gunicorn,
    stop,
)

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
WAPITI = Path(os.environ.get("WAPITI", "/tmp/safeguard-wapiti/bin/wapiti"))
DEMO_AS_AT = "2019-06-30"
LEVELS = {0: "info", 1: "low", 2: "medium", 3: "high", 4: "critical"}
HIGH = 3
NO_WAPITI = (
    "wapiti is not installed at {path}: python3 -m venv /tmp/safeguard-wapiti && "
    "/tmp/safeguard-wapiti/bin/pip install wapiti3 (or set WAPITI)."
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="demo-team-manager")
    parser.add_argument("--max-scan-time", type=int, default=900, help="seconds (crawl+attack)")
    parser.add_argument("--max-attack-time", type=int, default=120, help="seconds per module")
    parser.add_argument("--out", type=Path, help="directory for the report and logs")
    parser.add_argument("--modules", help="wapiti -m value (default: wapiti's default set)")
    parser.add_argument(
        "--focus",
        action="store_true",
        help="also start the crawl at the pages a bounded crawl from / missed: a child's record "
        "and its forms, search and export, the returns uploads, a new contact",
    )
    return parser.parse_args(argv)


def sign_in(base: str, username: str, password: str) -> str:
    """The Cookie header of a signed-in session (Django's login form, with its CSRF token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login/", timeout=30).read().decode()  # noqa: S310 - loopback
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{base}/login/", data=data, headers={"Referer": f"{base}/login/"}
    )
    response = opener.open(request, timeout=60)  # noqa: S310 - loopback
    if response.url.endswith("/login/"):
        raise SystemExit(f"Could not sign in as {username}.")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def focus_paths(username: str) -> list[str]:
    """Paths of the pages a crawl from / reached last (or not at all), for one child in the
    user's own scope, so wapiti attacks their forms too (needs Django set up)."""
    from django.contrib.auth.models import User
    from django.urls import reverse

    from safeguard.access.scope import case_children_for
    from safeguard.web.forms import STEPS

    child = case_children_for(User.objects.get(username=username)).order_by("pk").first()
    paths = [
        "/children/?q=an",
        "/children/export.csv?q=an",
        reverse("front_door"),
        reverse("contact_new"),
        "/returns/",
        "/returns/upload/",
        "/returns/validate/",
        "/returns/validate/upload/",
    ]
    if child is not None:
        pk = child.pk
        paths += [reverse("child_summary", args=[pk]), reverse("child_chronology", args=[pk])]
        paths += [reverse("child_characteristics", args=[pk]), f"/children/{pk}/notes/"]
        paths += [reverse("child_step", args=[pk, step]) for step in STEPS]
    return paths


def findings(report: dict) -> list[tuple[int, str, str, str]]:
    """(level, category, method and path, info) of every vulnerability and anomaly."""
    out = []
    for section in ("vulnerabilities", "anomalies"):
        for category, items in (report.get(section) or {}).items():
            for item in items:
                where = f"{item.get('method', '')} {item.get('path', '')}"
                info = str(item.get("info", ""))[:200]
                out.append((int(item.get("level", 0)), category, where, info))
    return sorted(out, reverse=True)


def main() -> None:
    args = parse_args(sys.argv[1:])
    if not WAPITI.exists():
        print(NO_WAPITI.format(path=WAPITI))
        sys.exit(2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    import django

    django.setup()
    from safeguard.journey.demo_logins import DEMO_PASSWORD

    out = args.out or Path(tempfile.mkdtemp(prefix="dast_"))
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{SETTINGS_MODULE}.py").write_text(SETTINGS_SOURCE.replace("{as_at}", DEMO_AS_AT))
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        SAFEGUARD_SECRET_KEY=env.get("SAFEGUARD_SECRET_KEY") or os.urandom(32).hex(),
        SAFEGUARD_BEHIND_PROXY="0",
        PYTHONPATH=os.pathsep.join([str(out), str(ROOT)]),
    )
    safeguard = str(VENV_BIN / "safeguard")
    demo_env = dict(env, DJANGO_SETTINGS_MODULE="safeguard.settings")
    subprocess.run([safeguard, "demo", "--no-serve"], env=demo_env, check=True, cwd=ROOT)  # noqa: S603
    subprocess.run([safeguard, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    port = free_port()
    base = f"http://{HOST}:{port}"
    server = start_gunicorn(env, port, 3, 4, out / "gunicorn.log")
    try:
        cookie = sign_in(base, args.user, DEMO_PASSWORD)
        report_path = out / "wapiti.json"
        command = [
            str(WAPITI),
            "-u",
            f"{base}/",
            "--scope",
            "domain",
            "-H",
            f"Cookie: {cookie}",
            "-x",
            f"{base}/logout/",
            "--flush-session",
            "--max-scan-time",
            str(args.max_scan_time),
            "--max-attack-time",
            str(args.max_attack_time),
            "--max-links-per-page",
            "20",
            "--max-files-per-dir",
            "20",
            "-d",
            "3",
            "-f",
            "json",
            "-o",
            str(report_path),
        ]
        if args.modules:
            command += ["-m", args.modules]
        if args.focus:
            for path in focus_paths(args.user):
                command += ["-s", f"{base}{path}"]
        with (out / "wapiti.log").open("w") as log:
            subprocess.run(command, check=False, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    finally:
        stop(server)
    report = json.loads(report_path.read_text())
    found = findings(report)
    info = report.get("infos", {})
    version = info.get("version", "")
    print(f"wapiti {version} on {base}: {len(found)} findings; report {report_path}")
    for level, category, where, text in found:
        print(f"  [{LEVELS.get(level, level)}] {category}: {where} {text}")
    high = [f for f in found if f[0] >= HIGH]
    print(f"High or critical: {len(high)} (goal: 0).")
    sys.exit(1 if high else 0)


if __name__ == "__main__":
    main()
