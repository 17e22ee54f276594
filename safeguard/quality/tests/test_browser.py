"""A team manager's month in the browser: the audit programme picks cases, an audit is graded
and moderated, its action becomes the worker's task, supervision is recorded, and the trackers
move. Every quality page visited is checked with axe-core. Skipped without /usr/bin/chromium.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from safeguard.quality import services
from safeguard.quality.models import Audit, Task

from . import factories as f

AXE = Path(__file__).resolve().parents[3] / "tests" / "browser" / "axe.min.js"
PASSWORD = "a-long-quality-browser-password"  # noqa: S105
TODAY = timezone.localdate()
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls between browser steps
CHECKED: set[str] = set()


def _user(name: str, role: str) -> User:
    user = User.objects.create_user(name, password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def council(transactional_db):
    tm, hos, sw = (
        _user("tess", "team_manager"),
        _user("hana", "head_of_service"),
        _user("sam", "social_worker"),
    )
    manager = f.worker("Tess Manager", role="TM", user=tm)
    team = f.team("CP Team A", manager=manager)
    head = f.worker("Hana Head", role="HOS", team=team, user=hos)
    worker = f.worker("Sam Worker", team=team, user=sw)
    manager.team = team
    manager.save()
    kid = f.child(name="Robin")
    f.allocate(kid, team, worker, TODAY - timedelta(days=120))
    f.cp_plan(kid, TODAY - timedelta(days=90))  # never supervised: overdue
    services.audit_template_create(
        name="Case file audit",
        kind="MONTHLY",
        questions=[
            ("Voice", "Is the child's voice heard?", "Direct work, the child's words."),
            ("Plan", "Is the plan SMART?", ""),
        ],
    )
    return {"child": kid, "worker": worker, "head": head}


class Visit:
    """A signed-in browser session that checks each page kind once with axe-core."""

    def __init__(self, browser, base: str, username: str) -> None:
        self.context = browser.new_context()
        # axe-core as an init script, so the pages keep their Content Security Policy.
        self.context.add_init_script(path=str(AXE))
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.base, self.problems = base, []
        self.go("/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.click("Sign in")

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.axe()

    def click(self, name: str) -> None:
        self.page.get_by_role("button", name=name).click()
        self.page.wait_for_load_state()
        self.axe()

    def axe(self) -> None:
        kind = re.sub(r"/\d+/", "/N/", self.page.url.split("?")[0])  # once per page kind
        if not AXE.exists() or "/quality/" not in kind or kind in CHECKED:
            return
        CHECKED.add(kind)
        result = self.page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
        )
        self.problems += [
            (self.page.url, v["id"], [n["html"][:100] for n in v["nodes"]][:2])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    def text(self) -> str:
        return self.page.content()


def test_a_team_managers_month(browser, live_server, council):
    kid = council["child"]
    due = (TODAY + timedelta(days=14)).isoformat()
    tm = Visit(browser, live_server.url, "tess")
    # 1. the monthly programme picks the team's case
    tm.go("/quality/audits/")
    tm.page.select_option("#id_template", label="Case file audit")
    tm.page.locator("form:has(input[value=MONTHLY]) #id_month").fill(TODAY.isoformat())
    tm.page.locator("form:has(input[value=MONTHLY]) #id_per_team").fill("1")
    tm.page.locator("form:has(input[value=MONTHLY])").get_by_role(
        "button", name="Pick the cases"
    ).click()
    tm.page.wait_for_load_state()
    assert "1 cases picked" in tm.text() and "Robin" in tm.text()
    # 2. the auditor grades it, with an action
    tm.page.get_by_role("link", name=re.compile("Robin")).click()
    for radio in ("Requires improvement",):
        for group in tm.page.locator("fieldset").all():
            group.get_by_label(radio, exact=True).check()
    tm.page.fill("#id_summary", "The plan has drifted.")
    tm.page.fill("#id_actions", f"Update the chronology | {due}")
    tm.click("Submit for moderation")
    audit = Audit.objects.get(child=kid)
    assert audit.status == "SUBMITTED"
    # 3. a second manager (head of service) moderates
    hos = Visit(browser, live_server.url, "hana")
    hos.go(f"/quality/audits/{audit.pk}/")
    hos.page.get_by_label("Good", exact=True).check()
    hos.page.fill("#id_comment", "Better than graded: the child's voice is strong.")
    hos.click("Save moderation")
    audit.refresh_from_db()
    assert (audit.status, audit.final_grade) == ("MODERATED", "GOOD")
    # 4. the action is the worker's task
    sw = Visit(browser, live_server.url, "sam")
    sw.go("/quality/tasks/")
    assert "Update the chronology" in sw.text()
    # 5. supervision recorded moves the tracker from overdue
    tm.go("/quality/supervision/?status=Overdue")
    assert kid.la_child_id in tm.text()
    tm.page.get_by_role("link", name="Record supervision").first.click()
    tm.page.fill("#id_date", TODAY.isoformat())
    tm.page.fill("#id_decisions", "Core group to meet; chronology to be updated.")
    tm.page.fill("#id_actions", f"Convene the core group | {due}")
    tm.click("Save")
    tm.go("/quality/supervision/?status=Overdue")
    assert kid.la_child_id not in tm.text()
    assert set(
        Task.objects.filter(assignee=council["worker"]).values_list("origin", flat=True)
    ) == {"AUDIT", "SUPERVISION"}
    # 6. the trackers and the analysis pages render for the manager
    for path in (
        "/quality/",
        "/quality/trackers/s20/",
        "/quality/trackers/permanence/",
        "/quality/workforce/",
        f"/quality/audits/analysis/?year={TODAY.year}",
    ):
        tm.go(path)
    assert "Case file audit" in tm.text()  # the analysis lists the graded tool
    problems = tm.problems + hos.problems + sw.problems
    assert problems == [], problems
