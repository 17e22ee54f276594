"""G2, G3, G5: for each role, no page, list, search, count or export shows a child out of scope.

The oracle is `VISIBLE` in conftest (worked out by hand from the allocations); the scope filter
must agree with it exactly: no leaks, and no wrongful denials.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from safeguard.access.scope import can_see, case_children_for, children_for, scoped
from safeguard.journey.models import Contact
from safeguard.web.tests.conftest import CASE_VISIBLE, CHILDREN, VISIBLE

CHILD_PAGES = [
    "/children/{pk}/",
    "/children/{pk}/chronology/",
    "/children/{pk}/plans/",
    "/children/{pk}/placements/",
    "/children/{pk}/visits/",
    "/children/{pk}/reviews/",
    "/children/{pk}/notes/",
    "/children/{pk}/documents/",
    "/children/{pk}/record/visit/",
    "/children/{pk}/record/contact/",
    "/children/{pk}/transfer/",
    "/children/{pk}/access-log/",
]
COLLECTIONS = [
    "/children/",
    "/children/?q=Sentinel",
    "/children/export.csv",
    "/children/export.csv?q=Sentinel",
    "/my-work/",
    "/front-door/",
    "/team/",
    "/team/worklists/",
    "/access/alerts/",
]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_scope_filter_matches_the_oracle(council, role):
    user = council.users[role]
    got = {k for k, c in council.children.items() if c in children_for(user)}
    assert got == VISIBLE[role]
    assert {k for k, c in council.children.items() if can_see(user, c)} == VISIBLE[role]
    cases = {k for k, c in council.children.items() if c in case_children_for(user)}
    assert cases == CASE_VISIBLE[role]
    contacts = {c.child.last_name for c in scoped(user, Contact.objects.all())}
    assert contacts == {CHILDREN[k] for k in VISIBLE[role] & {"m1", "w1"}}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_no_child_page_shows_a_child_out_of_scope(council, role):
    client = _client(council.users[role])
    for key, child in council.children.items():
        for template in CHILD_PAGES:
            response = client.get(template.format(pk=child.pk))
            if key in CASE_VISIBLE[role]:
                assert response.status_code in (200, 403), (template, key)
            else:  # 403 only where the role may not use the page for any child at all
                assert response.status_code in (403, 404), (template, key, response.status_code)
            assert CHILDREN[key].encode() not in response.content or key in CASE_VISIBLE[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_no_list_search_count_or_export_leaks(council, role):
    client = _client(council.users[role])
    hidden = [CHILDREN[k] for k in CHILDREN if k not in VISIBLE[role]]
    for path in COLLECTIONS:
        body = client.get(path).content.decode()
        leaked = [name for name in hidden if name in body]
        assert leaked == [], (path, leaked)
    listing = client.get("/children/?q=Sentinel")
    assert listing.context["count"] == len(VISIBLE[role])
    export = client.get("/children/export.csv").content.decode()
    assert all(CHILDREN[k] in export for k in VISIBLE[role])  # no wrongful denial


@pytest.mark.django_db
def test_reallocation_takes_effect_on_the_next_request(council):
    """ASVS 8.3.2: move a1 from sw to team B; sw loses it at once, the HoS keeps it."""
    from safeguard.web.services import allocation_transfer

    client = _client(council.users["social_worker"])
    a1 = council.children["a1"]
    assert client.get(f"/children/{a1.pk}/").status_code == 200
    allocation_transfer(
        child=a1,
        team=council.teams["b"],
        worker=council.workers["swb"],
        reason="TRANSFER",
        on=a1.allocations.get().start_date,
    )
    assert client.get(f"/children/{a1.pk}/").status_code == 404
    assert can_see(council.users["head_of_service"], a1)


@pytest.mark.django_db
def test_out_of_scope_and_missing_records_look_the_same(council):
    """The refusal does not disclose that a record exists (G2); both offer emergency access."""
    client = _client(council.users["social_worker"])
    hidden, missing = council.children["b1"].pk, 999_999
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')  # masked afresh each time
    out = token.sub("", client.get(f"/children/{hidden}/").content.decode())
    none = token.sub("", client.get(f"/children/{missing}/").content.decode())
    assert out.replace(str(hidden), "N") == none.replace(str(missing), "N")
    assert f"/children/{hidden}/emergency-access/" in out
