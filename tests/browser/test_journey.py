"""A new user records two journeys through the browser; each chronology then shows every step.

Child 1: contact, MASH decision (referral), assessment, strategy discussion, S47 outcome, ICPC,
CP plan, visit, review conference. Child 2: contact, referral, entering care, a placement move,
a missing episode and its return-home interview. (axe-core runs over every page in
test_accessibility.py; here it checks only the pages a form leads to after saving.)
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, User

from safeguard.workforce.models import Team, Worker

PASSWORD = "a-long-browser-test-password"  # noqa: S105
D0 = date.today() - timedelta(days=40)


def _day(n: int) -> str:
    return (D0 + timedelta(days=n)).isoformat()


@pytest.fixture
def manager(transactional_db) -> User:
    """A team manager who manages both the MASH and the assessment team."""
    user = User.objects.create_user("tess", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="team_manager")[0])
    mash = Team.objects.create(name="MASH", kind="MASH", service="Safeguarding")
    team = Team.objects.create(name="Assessment A", kind="ASSESSMENT", service="Safeguarding")
    worker = Worker.objects.create(
        name="Tess Manager", role="TM", team=team, user=user, start_date=date(2015, 1, 1)
    )
    for t in (mash, team):
        t.manager = worker
        t.save()
    return user


class Journey:
    """Drives the pages as a user would, checking accessibility on each one."""

    def __init__(self, page, base: str, axe) -> None:
        self.page, self.base, self.axe, self.checked = page, base, axe, {}

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def check(self) -> None:
        url = re.sub(r"/\d+/", "/N/", self.page.url.split("?")[0])  # one check per page kind
        if url not in self.checked:
            self.checked[url] = self.axe(self.page)

    def save(self, button: str = "Save") -> None:
        self.page.get_by_role("button", name=button).click()
        self.page.wait_for_load_state()
        assert "There is a problem" not in self.page.content(), self.page.content()[:3000]
        self.check()

    def fill(self, **values: str) -> None:
        for field, value in values.items():
            self.page.fill(f"#id_{field}", value)

    def select(self, field: str, *, label: str | None = None, index: int | None = None) -> None:
        if label is not None:
            self.page.select_option(f"#id_{field}", label=label)
        else:
            self.page.select_option(f"#id_{field}", index=index)

    def step(self, title: str) -> None:
        self.page.get_by_role("link", name=title, exact=True).click()

    def login(self, username: str) -> None:
        self.go("/login/")
        self.fill(username=username, password=PASSWORD)
        self.save("Sign in")

    def contact(self, first: str, last: str, received: str) -> None:
        self.go("/front-door/contacts/new/")
        self.fill(
            **{
                "child-first_name": first,
                "child-last_name": last,
                "child-date_of_birth": "2014-03-02",
                "contact-received_at": received,
                "contact-summary": "School raised a concern",
            }
        )
        self.select("child-sex", label="Female")
        self.select("contact-contact_source", index=3)
        self.save("Save contact")

    def refer(self, decided: str) -> None:
        self.page.check("input[name=decision][value=REF]")
        self.fill(decided_at=decided)
        self.select("team", label="Assessment A")
        self.select("worker", label="Tess Manager")
        self.page.check("#id_authorise")
        self.save("Save decision")

    def open_child(self, last: str) -> None:
        self.go(f"/children/?q={last}")
        self.page.get_by_role("link", name=last).first.click()

    def chronology(self) -> str:
        self.page.get_by_role("link", name="Chronology", exact=True).click()
        return self.page.inner_text("#chronology")


def _protection_journey(j: Journey) -> None:
    j.contact("Ada", "Browserone", f"{_day(0)}T09:00")
    j.refer(f"{_day(0)}T11:30")
    j.open_child("Browserone")
    j.step("Start an assessment")
    j.select("referral", index=1)
    j.fill(start_date=_day(1))
    j.save()
    j.page.get_by_role("link", name="Summary", exact=True).click()
    j.step("Strategy discussion (section 47 enquiry)")
    j.select("referral", index=1)
    j.fill(strategy_discussion_date=_day(2))
    j.save()
    j.page.get_by_role("link", name="Summary", exact=True).click()
    j.page.get_by_role("link", name="Record the outcome of the S47", exact=False).click()
    j.fill(end_date=_day(10))
    j.select("outcome", label="Initial child protection conference")
    j.save()
    for title, fields, selects in (
        (
            "Initial child protection conference",
            {"date": _day(12)},
            [("section47", 1), ("outcome", 1)],
        ),
        (
            "Child protection plan",
            {"start_date": _day(12)},
            [("referral", 1), ("initial_conference", 1), ("initial_category", 1)],
        ),
        ("Visit", {"date": _day(20), "note": "Saw Ada at home"}, [("kind", 1)]),
        (
            "Review child protection conference",
            {"date": _day(35)},
            [("cp_plan", 1), ("outcome", 4)],
        ),
    ):
        j.page.get_by_role("link", name="Summary", exact=True).click()
        j.step(title)
        for field, index in selects:
            j.select(field, index=index)
        j.fill(**fields)
        if title == "Visit":
            j.page.check("#id_seen_alone")
        j.save()


def _care_journey(j: Journey) -> None:
    j.contact("Ben", "Browsertwo", f"{_day(0)}T10:00")
    j.refer(f"{_day(0)}T15:00")
    j.open_child("Browsertwo")
    for fields, selects in (
        (
            {"start_date": _day(3)},
            [
                ("reason_new_episode", "Started to be looked after"),
                ("legal_status", 1),
                ("category_of_need", 1),
                ("placement_type", 1),
            ],
        ),
        (
            {"start_date": _day(15)},
            [
                ("reason_new_episode", "Change of placement (i.e. carer) only"),
                ("legal_status", 1),
                ("category_of_need", 1),
                ("placement_type", 2),
                ("reason_place_change", 1),
            ],
        ),
    ):
        j.page.get_by_role("link", name="Summary", exact=True).click()
        j.step("Care episode or placement change")
        for field, choice in selects:
            j.select(field, label=choice) if isinstance(choice, str) else j.select(
                field, index=choice
            )
        j.fill(**fields)
        j.save()
    j.page.get_by_role("link", name="Summary", exact=True).click()
    j.step("Missing episode")
    j.select("kind", index=1)
    j.fill(start_date=_day(20), end_date=_day(21), returned_at=f"{_day(21)}T18:00")
    j.save()
    j.page.get_by_role("link", name="Summary", exact=True).click()
    j.page.get_by_role("link", name="Record the return-home interview", exact=False).click()
    j.fill(rhi_offered_at=f"{_day(22)}T09:00", rhi_held_at=f"{_day(23)}T16:00")
    j.save()


def _council_figures() -> dict[str, float]:
    from safeguard.performance import engine, frames

    ids = [
        "contacts",
        "referrals",
        "s47_started",
        "icpc_held",
        "cpp_open",
        "cla_open",
        "cla_missing_children",
    ]
    grid = engine.compute(frames.from_record(), [date.today()], period="12m", measures=ids)
    council = grid.filter(grid["scope_kind"] == "council")
    return dict(zip(council["measure"], council["value"], strict=True))


PROTECTION_STEPS = [
    "Contact received",
    "MASH decision",
    "Referral",
    "Assessment started",
    "Strategy discussion",
    "Section 47 enquiry completed",
    "Initial child protection conference",
    "Child protection plan started",
    "Child protection visit",
    "Review child protection conference",
]
CARE_STEPS = [
    "Contact received",
    "Referral",
    "Care episode: Started to be looked after",
    "Care episode: Change of placement",
    "Missing",
    "Returned",
    "Return-home interview held",
]


def test_a_new_user_records_two_journeys_and_sees_every_step(page, live_server, manager, axe):
    j = Journey(page, live_server.url, axe)
    j.login("tess")
    _protection_journey(j)
    text = j.chronology()
    missing = [s for s in PROTECTION_STEPS if s not in text]
    assert missing == [], text
    _care_journey(j)
    text = j.chronology()
    assert [s for s in CARE_STEPS if s not in text] == [], text
    j.go("/team/worklists/")
    assert "Child protection visit" in page.content()  # the next CP visit is due
    # The measures count what was recorded (12 months to today, council scope).
    assert _council_figures() == {
        "contacts": 2,  # one per child
        "referrals": 2,  # both contacts were decided as referrals
        "s47_started": 1,  # child 1's strategy discussion
        "icpc_held": 1,
        "cpp_open": 1,  # child 1's plan, still open after its review
        "cla_open": 1,  # child 2, still looked after after the placement move
        "cla_missing_children": 1,  # child 2's missing episode
    }
    bad = sorted(
        {(v["id"], str(v["html"]), v["url"]) for found in j.checked.values() for v in found}
    )
    assert bad == [], bad
