"""The local OSV feed for pip-audit (G25): which versions an advisory affects, hand-worked on
small advisories written here, and the query endpoint pip-audit posts to."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import yaml

from tests.security.offline_audit import affects, load_advisories, query, serve


def _advisory(id_: str, name: str, events: list[dict], versions: list[str] = ()) -> dict:
    return {
        "id": id_,
        "summary": f"synthetic advisory {id_}",
        "affected": [
            {
                "package": {"name": name, "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": events}],
                "versions": list(versions),
            }
        ],
    }


TWO_BRANCHES = _advisory(
    "X-1",
    "Example-Pkg",
    [{"introduced": "2.0"}, {"fixed": "2.0.5"}, {"introduced": "2.1"}, {"fixed": "2.1.2"}],
)


def test_ranges_run_from_introduced_up_to_but_not_including_fixed() -> None:
    # Affected: 2.0 <= v < 2.0.5 and 2.1 <= v < 2.1.2.
    assert not affects(TWO_BRANCHES, "example-pkg", "1.9")
    assert affects(TWO_BRANCHES, "example-pkg", "2.0")
    assert affects(TWO_BRANCHES, "example-pkg", "2.0.4")
    assert not affects(TWO_BRANCHES, "example-pkg", "2.0.5")
    assert affects(TWO_BRANCHES, "example-pkg", "2.1.1")
    assert not affects(TWO_BRANCHES, "example-pkg", "2.1.2")
    assert not affects(TWO_BRANCHES, "example-pkg", "3.0")


def test_zero_means_every_release_and_last_affected_is_inclusive() -> None:
    up_to = _advisory("X-2", "p", [{"introduced": "0"}, {"last_affected": "1.4"}])
    assert affects(up_to, "p", "0.1")
    assert affects(up_to, "p", "1.4")
    assert not affects(up_to, "p", "1.4.1")
    open_ended = _advisory("X-3", "p", [{"introduced": "0"}])
    assert affects(open_ended, "p", "99.0")


def test_explicit_versions_count_and_other_packages_do_not() -> None:
    listed = _advisory("X-4", "p", [{"introduced": "5.0"}, {"fixed": "5.1"}], versions=["4.2"])
    assert affects(listed, "p", "4.2")  # listed though outside the range
    assert not affects(listed, "p", "4.3")
    assert not affects(listed, "other", "5.0")
    assert not affects(listed, "p", "not a version")


def test_the_folder_is_indexed_by_canonical_name_and_queried(tmp_path: Path) -> None:
    (tmp_path / "example_pkg").mkdir()
    (tmp_path / "example_pkg" / "X-1.yaml").write_text(yaml.safe_dump(TWO_BRANCHES))
    (tmp_path / "notes.yaml").write_text("just: a note\n")  # not an advisory: ignored
    index = load_advisories(tmp_path)
    assert list(index) == ["example-pkg"]
    assert [v["id"] for v in query(index, "Example_Pkg", "2.0.1")["vulns"]] == ["X-1"]
    assert query(index, "example-pkg", "2.0.5") == {}  # fixed: the empty answer OSV gives


def test_the_endpoint_answers_what_pip_audit_posts() -> None:
    server = serve({"example-pkg": [TWO_BRANCHES]})
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1/query"
        body = {"package": {"name": "example-pkg", "ecosystem": "PyPI"}, "version": "2.1.0"}
        request = urllib.request.Request(url, data=json.dumps(body).encode())  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            answer = json.loads(response.read())
    finally:
        server.shutdown()
    assert [v["id"] for v in answer["vulns"]] == ["X-1"]
