"""Recording the journey: forms refuse bad data with the plain message; good data is saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from safeguard.journey.models import Assessment, Conference, Referral, Section47
from safeguard.journey.models.base import DATE_ORDER_MESSAGE
from safeguard.protection.locking import version_token
from safeguard.web import services
from safeguard.web.tests.conftest import START, TODAY
from safeguard.workforce.models import Allocation


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _referral(child, on=START) -> Referral:
    return Referral.objects.create(child=child, referral_date=on, referral_source="3A")


@pytest.mark.django_db
def test_assessment_before_the_referral_is_refused_with_the_plain_message(council):
    child = council.children["a1"]
    referral = _referral(child)
    response = _client(council.users["social_worker"]).post(
        f"/children/{child.pk}/record/assessment/",
        {"referral": referral.pk, "start_date": (START - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400
    message = services.BEFORE_REFERRAL.format(what="The assessment start", when=START)
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_dates_out_of_order_within_a_record_are_refused(council):
    child = council.children["a1"]
    referral = _referral(child)
    section47 = Section47.objects.create(
        referral=referral, child=child, strategy_discussion_date=START
    )
    response = _client(council.users["social_worker"]).post(
        f"/children/{child.pk}/record/section47-outcome/{section47.pk}/",
        {
            "end_date": (START - timedelta(days=2)).isoformat(),
            "outcome": "ICPC",
            "version": version_token(section47),
        },
    )
    assert response.status_code == 400
    expected = DATE_ORDER_MESSAGE.format(later="Enquiry completed", earlier="strategy discussion")
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_an_invalid_code_is_refused(council):
    child = council.children["a1"]
    response = _client(council.users["social_worker"]).post(
        f"/children/{child.pk}/record/visit/",
        {"date": TODAY.isoformat(), "kind": "ZZ", "seen": "on"},
    )
    assert response.status_code == 400
    assert "Select a valid choice. ZZ is not one of the available choices." in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_a_future_visit_is_refused(council):
    child = council.children["a1"]
    response = _client(council.users["social_worker"]).post(
        f"/children/{child.pk}/record/visit/",
        {"date": (TODAY + timedelta(days=3)).isoformat(), "kind": "CIN", "seen": "on"},
    )
    assert services.IN_FUTURE.format(what="The visit") in response.content.decode()


@pytest.mark.django_db
def test_icpc_before_the_strategy_discussion_is_refused(council):
    child = council.children["a1"]
    section47 = Section47.objects.create(
        referral=_referral(child), child=child, strategy_discussion_date=START + timedelta(days=5)
    )
    response = _client(council.users["social_worker"]).post(
        f"/children/{child.pk}/record/icpc/",
        {"section47": section47.pk, "date": START.isoformat(), "outcome": "CPP"},
    )
    assert services.BEFORE_STRATEGY.format(when=section47.strategy_discussion_date) in (
        response.content.decode()
    )
    assert not Conference.objects.exists()


@pytest.mark.django_db
def test_a_linked_record_of_another_child_cannot_be_chosen(council):
    other = _referral(council.children["b1"])
    child = council.children["a1"]
    response = _client(council.users["social_worker"]).post(
        f"/children/{child.pk}/record/assessment/",
        {"referral": other.pk, "start_date": TODAY.isoformat()},
    )
    assert response.status_code == 400
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_a_good_visit_is_saved_with_the_worker_and_shows_in_the_chronology(council):
    child = council.children["a1"]
    client = _client(council.users["social_worker"])
    response = client.post(
        f"/children/{child.pk}/record/visit/",
        {
            "date": TODAY.isoformat(),
            "kind": "CIN",
            "seen": "on",
            "seen_alone": "on",
            "note": "Talked about school",
        },
    )
    assert response.status_code == 302
    visit = child.visits.get()
    assert visit.worker == council.workers["sw"]
    chronology = client.get(f"/children/{child.pk}/chronology/").content.decode()
    assert "Child in need visit" in chronology and "Talked about school" in chronology


@pytest.mark.django_db
def test_referral_decision_opens_a_referral_and_allocates_it(council):
    contact = council.contacts["w1"]
    client = _client(council.users["mash_worker"])
    decided = contact.received_at + timedelta(hours=3)
    response = client.post(
        f"/front-door/contacts/{contact.pk}/decide/",
        {
            "decision": "REF",
            "decided_at": decided.strftime("%Y-%m-%dT%H:%M"),
            "team": council.teams["a"].pk,
            "worker": council.workers["sw"].pk,
            "version": version_token(contact),
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get(contact=contact)
    assert referral.referral_date == START
    alloc = Allocation.objects.get(child=contact.child, end_date__isnull=True)
    assert (alloc.team, alloc.worker) == (council.teams["a"], council.workers["sw"])


@pytest.mark.django_db
def test_referral_decision_without_a_team_is_refused(council):
    contact = council.contacts["w1"]
    response = _client(council.users["mash_worker"]).post(
        f"/front-door/contacts/{contact.pk}/decide/",
        {
            "decision": "REF",
            "decided_at": contact.received_at.strftime("%Y-%m-%dT%H:%M"),
            "version": version_token(contact),
        },
    )
    assert services.REFERRAL_NEEDS_TEAM in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_transfer_ends_one_allocation_and_starts_the_next(council):
    child = council.children["a2"]
    response = _client(council.users["team_manager"]).post(
        f"/children/{child.pk}/transfer/",
        {
            "team": council.teams["a"].pk,
            "worker": council.workers["sw"].pk,
            "reason": "CASELOAD",
            "on": TODAY.isoformat(),
            "version": version_token(child),
        },
    )
    assert response.status_code == 302
    old, new = child.allocations.order_by("start_date", "pk")
    assert (old.end_date, old.end_reason) == (TODAY, "CASELOAD")
    assert (new.worker, new.end_date, new.reason) == (council.workers["sw"], None, "CASELOAD")


@pytest.mark.django_db
def test_transfer_to_a_worker_outside_the_team_is_refused(council):
    child = council.children["a2"]
    response = _client(council.users["team_manager"]).post(
        f"/children/{child.pk}/transfer/",
        {
            "team": council.teams["b"].pk,
            "worker": council.workers["sw"].pk,
            "reason": "TRANSFER",
            "on": TODAY.isoformat(),
            "version": version_token(child),
        },
    )
    assert services.WORKER_NOT_IN_TEAM in response.content.decode()
    assert child.allocations.count() == 1
