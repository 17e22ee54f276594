"""G21 on every edit form of the web app: a second save of the same version gets the 409 page.

For each page that changes a record already saved, two users open the same version; the first
save wins; the second gets 409 with their own input kept; the record keeps the first save; the
conflict page carries the new version, so a deliberate resave is then judged on its merits.
`EDIT_URL_NAMES` must list every such page: `test_every_edit_page_is_covered` fails when an edit
step or edit view is added without a case here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from safeguard.journey.models import Assessment, Child, Contact, MissingEpisode, Referral, Section47
from safeguard.protection.locking import CONFLICT_MESSAGE
from safeguard.web.forms import STEPS
from safeguard.web.tests.conftest import START, TODAY
from safeguard.workforce.models import Allocation

#: Every page that edits a saved record (steps with `edits`, and the edit views by URL name).
EDIT_URL_NAMES = {
    *(f"child_step_edit:{key}" for key, step in STEPS.items() if step.edits),
    "contact_decide",
    "child_transfer",
    "child_characteristics",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _version(body: str) -> str:
    return re.search(r'name="version" value="([^"]+)"', body).group(1)


def _at(day) -> str:
    return f"{day.isoformat()}T10:00"


def _aware(day):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@dataclass
class Case:
    """One edit page: who edits, what each posts, and how to read the saved record."""

    url: str
    users: tuple[str, str]
    first: dict
    second: dict
    kept: str  # a piece of the second user's input, as the conflict page must show it
    saved: object  # () -> the value that tells whose save the record holds
    first_value: object
    resave_status: int = 302


def _assessment_authorise(council) -> Case:
    child = council.children["a1"]
    referral = Referral.objects.create(child=child, referral_date=START, referral_source="3A")
    a = Assessment.objects.create(child=child, referral=referral, start_date=START)
    day1, day2 = START + timedelta(days=3), START + timedelta(days=5)
    return Case(
        f"/children/{child.pk}/record/assessment-authorise/{a.pk}/",
        ("social_worker", "team_manager"),
        {"authorisation_date": day1.isoformat()},
        {"authorisation_date": day2.isoformat()},
        f'value="{day2.isoformat()}"',
        lambda: Assessment.objects.get(pk=a.pk).authorisation_date,
        day1,
    )


def _section47_outcome(council) -> Case:
    child = council.children["a1"]
    referral = Referral.objects.create(child=child, referral_date=START, referral_source="3A")
    s47 = Section47.objects.create(child=child, referral=referral, strategy_discussion_date=START)
    day1, day2 = START + timedelta(days=2), START + timedelta(days=4)
    return Case(
        f"/children/{child.pk}/record/section47-outcome/{s47.pk}/",
        ("social_worker", "team_manager"),
        {"end_date": day1.isoformat(), "outcome": "NFA"},
        {"end_date": day2.isoformat(), "outcome": "CIN"},
        f'value="{day2.isoformat()}"',
        lambda: Section47.objects.values_list("end_date", "outcome").get(pk=s47.pk),
        (day1, "NFA"),
    )


def _rhi(council) -> Case:
    child = council.children["a1"]
    back = START + timedelta(days=1)
    episode = MissingEpisode.objects.create(
        child=child, kind="M", start_date=START, end_date=back, returned_at=_aware(back)
    )
    day1, day2 = START + timedelta(days=2), START + timedelta(days=3)
    return Case(
        f"/children/{child.pk}/record/rhi/{episode.pk}/",
        ("social_worker", "team_manager"),
        {"rhi_offered_at": _at(back), "rhi_held_at": _at(day1)},
        {"rhi_offered_at": _at(back), "rhi_held_at": _at(day2)},
        f'value="{_at(day2)}"',
        lambda: MissingEpisode.objects.get(pk=episode.pk).rhi_held_at,
        _aware(day1),
    )


def _contact_decide(council) -> Case:
    contact = council.contacts["w1"]
    day1, day2 = TODAY - timedelta(days=2), TODAY - timedelta(days=1)
    return Case(
        f"/front-door/contacts/{contact.pk}/decide/",
        ("mash_worker", "administrator"),
        {"decision": "NFA", "decided_at": _at(day1)},
        {"decision": "IA", "decided_at": _at(day2)},
        f'value="{_at(day2)}"',
        lambda: Contact.objects.get(pk=contact.pk).mash_decision,
        "NFA",
        resave_status=400,  # the contact is decided now: a second decision is refused
    )


def _child_transfer(council) -> Case:
    child = council.children["a1"]
    team_b, team_c = council.teams["b"], council.teams["c"]
    return Case(
        f"/children/{child.pk}/transfer/",
        ("team_manager", "head_of_service"),
        {"team": team_b.pk, "worker": council.workers["swb"].pk, "reason": "TRANSFER", "on": TODAY},
        {"team": team_c.pk, "worker": "", "reason": "CASELOAD", "on": TODAY},
        f'<option value="{team_c.pk}" selected>',
        lambda: list(
            Allocation.objects.filter(child=child, end_date__isnull=True).values_list(
                "team__name", flat=True
            )
        ),
        ["CP B"],
    )


def _child_characteristics(council) -> Case:
    child = council.children["a1"]
    return Case(
        f"/children/{child.pk}/characteristics/",
        ("social_worker", "team_manager"),
        {"ethnicity": "WBRI", "disabilities": ["HAND"]},
        {"ethnicity": "WIRI", "disabilities": ["VIS"]},
        '<option value="WIRI" selected>',
        lambda: Child.objects.values_list("ethnicity", "disabilities").get(pk=child.pk),
        ("WBRI", ["HAND"]),
    )


CASES = {
    "child_step_edit:assessment-authorise": _assessment_authorise,
    "child_step_edit:section47-outcome": _section47_outcome,
    "child_step_edit:rhi": _rhi,
    "contact_decide": _contact_decide,
    "child_transfer": _child_transfer,
    "child_characteristics": _child_characteristics,
}


def test_every_edit_page_is_covered():
    assert set(CASES) == EDIT_URL_NAMES


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_second_save_of_the_same_version_gets_the_conflict_page(council, name):
    case = CASES[name](council)
    first, second = (_client(council.users[role]) for role in case.users)
    opened_first, opened_second = first.get(case.url), second.get(case.url)
    assert opened_first.status_code == opened_second.status_code == 200
    v1, v2 = _version(opened_first.content.decode()), _version(opened_second.content.decode())
    assert v1 == v2

    assert first.post(case.url, {**case.first, "version": v1}).status_code == 302
    late = second.post(case.url, {**case.second, "version": v2})
    assert late.status_code == 409
    body = late.content.decode()
    assert CONFLICT_MESSAGE.split(",")[0] in body
    assert case.kept in body  # the second user's input is kept
    assert case.saved() == case.first_value  # the first save stands

    again = second.post(case.url, {**case.second, "version": _version(body)})
    assert again.status_code == case.resave_status  # a deliberate resave is not a conflict


@pytest.mark.django_db
def test_an_edit_without_the_version_is_refused_and_changes_nothing(council):
    case = _section47_outcome(council)
    client = _client(council.users["social_worker"])
    assert client.post(case.url, case.first).status_code == 400
    assert Section47.objects.get().end_date is None
