"""Locust users for the web benchmark: social workers and team managers at their daily pages.

Driven by `benchmarks/bench_web.py`, which prepares the logins and writes a plan (JSON) naming,
for each login, the children in its scope; the plan's path comes in BENCH_WEB_PLAN. Each
simulated user signs in once (its own login, so sessions and scopes are real), then loops over
"my work", a child's record (summary page) of a child in its scope, and now and then that
child's chronology; team managers also open their team page. Think time between clicks is
BENCH_WEB_WAIT seconds ("min,max", default 1 to 3).

Run by hand (after bench_web has prepared a server and a plan):

    BENCH_WEB_PLAN=plan.json locust -f benchmarks/locustfile.py --headless -u 50 -r 10 \\
        -t 5m --host http://127.0.0.1:PORT --csv out/web
"""

from __future__ import annotations

import json
import os
import random
from collections import defaultdict
from itertools import count
from pathlib import Path

from locust import HttpUser, between, task

LOGIN_URL = "/login/"
MY_WORK_URL = "/my-work/"
TEAM_URL = "/team/"
CHILD_URL = "/children/{pk}/"
CHRONOLOGY_URL = "/children/{pk}/chronology/"

#: Names the statistics are grouped by (bench_web reads them back from the CSV).
NAME_LOGIN = "login"
NAME_MY_WORK = "my work"
NAME_CHILD = "child record"
NAME_CHRONOLOGY = "chronology"
NAME_TEAM = "team"

LOGIN_FAILED = "Sign-in failed for {username}: still on the sign-in page."
SIGNED_OUT = "Sent back to the sign-in page (session lost)."
NO_PLAN = "Set BENCH_WEB_PLAN to the plan written by benchmarks/bench_web.py."
NO_LOGINS = "The plan has no {role} logins with children in scope."


def _wait_bounds() -> tuple[float, float]:
    low, _, high = os.environ.get("BENCH_WEB_WAIT", "1,3").partition(",")
    return float(low), float(high or low)


def _load_plan() -> dict:
    path = os.environ.get("BENCH_WEB_PLAN")
    if not path:
        raise RuntimeError(NO_PLAN)
    return json.loads(Path(path).read_text())


_PLAN: dict | None = None
_NEXT: dict[str, count] = defaultdict(count)


def _claim(role: str) -> dict:
    """The next login of this role, round robin (locust runs users in one process, so no lock)."""
    global _PLAN
    if _PLAN is None:
        _PLAN = _load_plan()
    logins = [entry for entry in _PLAN["logins"] if entry["role"] == role]
    if not logins:
        raise RuntimeError(NO_LOGINS.format(role=role))
    return logins[next(_NEXT[role]) % len(logins)]


class _Practitioner(HttpUser):
    """A signed-in practitioner; subclasses say which role's logins they use."""

    abstract = True
    role = ""
    wait_time = between(*_wait_bounds())

    def on_start(self) -> None:
        login = _claim(self.role)
        self.children: list[int] = login["children"]
        self.child: int = random.choice(self.children)  # noqa: S311 - load mix, not security
        self.client.get(LOGIN_URL, name=f"{NAME_LOGIN} page")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            LOGIN_URL,
            data={
                "username": login["username"],
                "password": _PLAN["password"],
                "csrfmiddlewaretoken": token,
                "next": "",
            },
            headers={"Referer": self.host + LOGIN_URL},
            name=NAME_LOGIN,
            catch_response=True,
        ) as response:
            if response.url.endswith(LOGIN_URL):
                response.failure(LOGIN_FAILED.format(username=login["username"]))

    def _get(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.ok and LOGIN_URL in response.url:
                response.failure(SIGNED_OUT)

    @task(4)
    def my_work(self) -> None:
        self._get(MY_WORK_URL, NAME_MY_WORK)

    @task(4)
    def child_record(self) -> None:
        self.child = random.choice(self.children)  # noqa: S311 - load mix, not security
        self._get(CHILD_URL.format(pk=self.child), NAME_CHILD)

    @task(1)
    def chronology(self) -> None:
        self._get(CHRONOLOGY_URL.format(pk=self.child), NAME_CHRONOLOGY)


class SocialWorker(_Practitioner):
    """Most of the load: a social worker with their own caseload."""

    role = "social_worker"
    weight = 4


class TeamManager(_Practitioner):
    """A team manager: children of their team, and the team page now and then."""

    role = "team_manager"
    weight = 1

    @task(1)
    def team(self) -> None:
        self._get(TEAM_URL, NAME_TEAM)
