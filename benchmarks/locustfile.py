"""Locust users for the web benchmark: social workers and team managers at their daily pages.

Driven by `benchmarks/bench_web.py`, which prepares the logins and writes a plan (JSON) naming,
for each login, the children in its scope; the plan's path comes in BENCH_WEB_PLAN. Each
simulated user signs in once (its own login, so sessions and scopes are real), then loops over
"my work", a child's record (summary page) of a child in its scope, and now and then that
child's chronology, a search of the children by a name fragment and the CSV export of a search
(security.md G22's mix names search and export); team managers also open their team page.
Think time between clicks is BENCH_WEB_WAIT seconds ("min,max", default 1 to 3).

With BENCH_WEB_WRITES=1 each user also saves case notes (the chaos run of bench_web uses it);
a note's text carries a unique token, and the tokens the server confirmed, with the time and
kind of every failure, are written at the end to BENCH_WEB_EVENTS (JSON) for bench_web to check
against the database. A 503 is recorded as "503 clean" unless its body holds a traceback.

Run by hand (after bench_web has prepared a server and a plan):

    BENCH_WEB_PLAN=plan.json locust -f benchmarks/locustfile.py --headless -u 50 -r 10 \\
        -t 5m --host http://127.0.0.1:PORT --csv out/web
"""

from __future__ import annotations

import json
import os
import random
import time
import uuid
from collections import defaultdict
from itertools import count
from pathlib import Path

from locust import HttpUser, between, events, task

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
NAME_SAVE_NOTE = "save note"
NAME_SEARCH = "search"
NAME_EXPORT = "export"
SEARCH_URL = "/children/?q={q}"
EXPORT_URL = "/children/export.csv?q={q}"
#: Name fragments a practitioner types into the search box (the synthetic council's names).
SEARCH_TERMS = ("an", "ar", "el", "son", "li", "ma", "ja", "ri")
NOTE_URL = "/children/{pk}/record/note/"
NOTE_DATE = "2019-06-28"  # before the demo's as-at date (30 June 2019)
NOTE_PREFIX = "bench-note "
CLEAN_503 = "503 clean (database unavailable page)"
DIRTY_503 = "503 with a traceback"
WRITES = os.environ.get("BENCH_WEB_WRITES") == "1"
SIGN_IN_TRIES = 5

LOGIN_FAILED = "Sign-in failed for {username}: still on the sign-in page."
SIGNED_OUT = "Sent back to the sign-in page (session lost)."
NO_PLAN = "Set BENCH_WEB_PLAN to the plan written by benchmarks/bench_web.py."
NO_LOGINS = "The plan has no {role} logins with children in scope."
NOTE_NOT_SAVED = "Note not saved: HTTP {status}, ended on {url}."

#: What the chaos check needs: notes the server confirmed, and when each request failed.
CONFIRMED: list[str] = []
FAILURES: list[tuple[float, str, str]] = []


@events.request.add_listener
def _note_failure(request_type, name, response_time, response_length, exception=None, **kw):
    if exception is not None:
        FAILURES.append((time.time(), name, str(exception)[:120]))


@events.quitting.add_listener
def _write_events(environment, **kw) -> None:
    path = os.environ.get("BENCH_WEB_EVENTS")
    if path:
        events = {"prefix": NOTE_PREFIX, "confirmed": CONFIRMED, "failures": FAILURES}
        Path(path).write_text(json.dumps(events))


def _judge(response) -> None:
    """A 503 is a failure either way; say whether it was the clean page."""
    if response.status_code == 503:
        response.failure(DIRTY_503 if "Traceback" in response.text else CLEAN_503)


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
        self.username: str = login["username"]
        self.children: list[int] = login["children"]
        self.child: int = random.choice(self.children)  # noqa: S311 - load mix, not security
        self.signed_in = False
        for _ in range(SIGN_IN_TRIES):  # a sign-in that met a 503 is tried again
            if self._sign_in():
                break
            time.sleep(1)

    def _sign_in(self) -> bool:
        self.client.get(LOGIN_URL, name=f"{NAME_LOGIN} page")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            LOGIN_URL,
            data={
                "username": self.username,
                "password": _PLAN["password"],
                "csrfmiddlewaretoken": token,
                "next": "",
            },
            headers={"Referer": self.host + LOGIN_URL},
            name=NAME_LOGIN,
            catch_response=True,
        ) as response:
            if response.status_code == 503:
                _judge(response)
            elif response.url.endswith(LOGIN_URL):
                response.failure(LOGIN_FAILED.format(username=self.username))
            else:
                self.signed_in = True
        return self.signed_in

    def _get(self, url: str, name: str) -> None:
        if not self.signed_in and not self._sign_in():
            return
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.ok and LOGIN_URL in response.url:
                response.failure(SIGNED_OUT)
                self.signed_in = False  # counted once, then sign in again
            _judge(response)

    if WRITES:

        @task(2)
        def save_note(self) -> None:
            if not self.signed_in and not self._sign_in():
                return
            token = f"{NOTE_PREFIX}{uuid.uuid4().hex}"
            url = NOTE_URL.format(pk=self.child)
            with self.client.post(
                url,
                data={
                    "date": NOTE_DATE,
                    "text": token,
                    "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
                },
                headers={"Referer": self.host + url},
                name=NAME_SAVE_NOTE,
                catch_response=True,
            ) as response:
                if response.ok and response.url.endswith("/chronology/"):
                    CONFIRMED.append(token)
                elif response.status_code == 503:
                    _judge(response)
                else:
                    response.failure(
                        NOTE_NOT_SAVED.format(status=response.status_code, url=response.url)
                    )

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

    @task(2)
    def search(self) -> None:
        term = random.choice(SEARCH_TERMS)  # noqa: S311 - load mix, not security
        self._get(SEARCH_URL.format(q=term), NAME_SEARCH)

    @task(1)
    def export(self) -> None:
        """The list of children found, as CSV: one access-log row per child in the file."""
        term = random.choice(SEARCH_TERMS)  # noqa: S311 - load mix, not security
        self._get(EXPORT_URL.format(q=term), NAME_EXPORT)


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
