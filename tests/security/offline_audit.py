"""pip-audit against a local copy of the PyPA advisory database (security goal G25), for a
machine that cannot reach PyPI's JSON API or OSV.

pip-audit's OSV service posts `{"package": {"name", "ecosystem"}, "version"}` to an OSV query
URL and trusts the answer to list only the advisories that affect that version. This module
serves that one endpoint on loopback from a directory of OSV YAML files (a checkout of
github.com/pypa/advisory-database, its `vulns/` folder), and runs
``pip-audit -s osv --osv-url http://127.0.0.1:PORT/v1/query --strict``: pip-audit still
collects the installed pins and reports as usual; only the feed is local.

The check is only as new as the copy: an advisory published after the copy was taken is not
seen. The copy's newest `modified` date is printed so the report says how old it is.

Run: ``.venv/bin/python -m tests.security.offline_audit ADVISORY_DB_DIR [pip-audit options]``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

NO_VULNS_DIR = "No advisory files under {path} (expected a checkout with a vulns/ folder)."


def load_advisories(root: Path) -> dict[str, list[dict]]:
    """Every advisory in the folder, indexed by the canonical name of each package it names."""
    index: dict[str, list[dict]] = {}
    for path in sorted(root.rglob("*.yaml")):
        advisory = yaml.safe_load(path.read_text())
        if not isinstance(advisory, dict) or "id" not in advisory:
            continue
        for affected in advisory.get("affected", []):
            package = affected.get("package", {})
            if package.get("ecosystem") == "PyPI":
                index.setdefault(canonicalize_name(package["name"]), []).append(advisory)
    return index


def _in_range(version: Version, events: list[dict]) -> bool:
    """OSV ECOSYSTEM range: affected from each `introduced` up to (not including) the next
    `fixed`, or up to and including a `last_affected`; "0" means from the first release."""
    points = []
    for event in events:
        kind, value = next(iter(event.items()))
        at = Version("0") if value == "0" else Version(value)
        points.append((at, kind))
    affected = False
    for at, kind in sorted(points, key=lambda p: p[0]):
        if kind == "introduced" and version >= at:
            affected = True
        elif kind == "fixed" and version >= at:
            affected = False
        elif kind == "last_affected" and version > at:
            affected = False
    return affected


def affects(advisory: dict, name: str, version: str) -> bool:
    """Whether the advisory lists this version of the package: in its explicit `versions`
    list or in one of its ECOSYSTEM ranges (GIT ranges name commits, not releases)."""
    try:
        parsed = Version(version)
    except InvalidVersion:
        return False
    for affected in advisory.get("affected", []):
        package = affected.get("package", {})
        if package.get("ecosystem") != "PyPI" or canonicalize_name(package["name"]) != name:
            continue
        if version in (affected.get("versions") or []):
            return True
        for ranges in affected.get("ranges", []):
            if ranges.get("type") == "ECOSYSTEM" and _in_range(parsed, ranges["events"]):
                return True
    return False


def query(index: dict[str, list[dict]], name: str, version: str) -> dict:
    """The OSV query answer: the advisories affecting this version (JSON-ready)."""
    name = canonicalize_name(name)
    vulns = [a for a in index.get(name, []) if affects(a, name, version)]
    return {"vulns": json.loads(json.dumps(vulns, default=str))} if vulns else {}


def serve(index: dict[str, list[dict]]) -> ThreadingHTTPServer:
    """The OSV `/v1/query` endpoint on a free loopback port, in a daemon thread."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            answer = json.dumps(query(index, body["package"]["name"], body["version"]))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(answer.encode())

        def log_message(self, *args: object) -> None:
            return  # one line per package is noise

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit(__doc__)
    root, extra = Path(argv[0]), argv[1:]
    index = load_advisories(root)
    if not index:
        sys.exit(NO_VULNS_DIR.format(path=root))
    newest = max(str(a.get("modified", "")) for ads in index.values() for a in ads)
    count = len({a["id"] for ads in index.values() for a in ads})
    print(f"Local advisory database: {count} advisories, newest modified {newest[:10]}.")
    server = serve(index)
    url = f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    audit = Path(sys.executable).parent / "pip-audit"
    cmd = [str(audit), "-s", "osv", "--osv-url", url, "--progress-spinner", "off"]
    try:
        return subprocess.run(cmd + extra, check=False).returncode  # noqa: S603
    finally:
        server.shutdown()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
