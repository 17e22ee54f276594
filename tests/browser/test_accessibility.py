"""axe-core over every page of the web app: no serious or critical WCAG 2.2 A/AA violations.

Every GET page of the URL map is visited as an administrator and as a team manager (so the
record pages of a child in scope render), with ids filled from the small test council.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Error as PlaywrightError

from safeguard.web.tests.conftest import build_council
from safeguard.web.tests.urlmap import AnyValue, walk

PASSWORD = "a-long-browser-test-password"  # noqa: S105
SKIP = {
    "logout",
    "children_export",
    "health",
    "contact_authorise",
    "alert_close",
    "child_step_edit",
    "contact_decide",
}  # the last two are visited with their own ids


def _login(page, base: str, user: User) -> None:
    user.set_password(PASSWORD)
    user.save()
    page.goto(base + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _leave_error_page(page) -> None:
    """Chromium's error page for an empty 405 is still loading when goto raises; wait it out on
    a blank page, or the next navigation is interrupted by it."""
    for _ in range(5):
        try:
            page.goto("about:blank")
            return
        except PlaywrightError:
            page.wait_for_timeout(200)


@pytest.mark.django_db(transaction=True)
def test_no_serious_violations_on_any_page(page, live_server, axe):
    council = build_council()
    values = AnyValue(pk=str(council.children["a1"].pk), step="visit", section="plans")
    paths = [p for p, n in walk(values) if not p.startswith("/admin") and n not in SKIP]
    paths.append(f"/front-door/contacts/{council.contacts['w1'].pk}/decide/")
    _login(page, live_server.url, council.users["administrator"])
    found, checked = [], 0
    for path in paths:
        try:
            response = page.goto(live_server.url + path)
        except PlaywrightError:  # a POST-only URL answers GET with an empty 405
            _leave_error_page(page)
            continue
        if response is None or response.status != 200:
            continue
        checked += 1
        found += [(path, v["id"], str(v["html"])) for v in axe(page)]
    # Error states: a form sent empty (error summary, field errors) and a refused record.
    for path, button in (
        (f"/children/{values['pk']}/record/visit/", "Save"),
        ("/front-door/contacts/new/", "Save contact"),
    ):
        page.goto(live_server.url + path)
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
        assert "There is a problem" in page.content()
        found += [(path + " (errors)", v["id"], str(v["html"])) for v in axe(page)]
    page.goto(live_server.url + f"/children/{council.children['r1'].pk}/")
    found += [("not found", v["id"], str(v["html"])) for v in axe(page)]
    assert checked >= 20
    assert found == []


@pytest.mark.django_db(transaction=True)
def test_an_edit_form_and_its_conflict_page_have_no_serious_violations(page, live_server, axe):
    """The administrator above may change no record's ethnicity, so a team manager opens that
    form; someone saves the child meanwhile, and the save gets the 409 conflict page (G21)."""
    from safeguard.journey.models import Child

    council = build_council()
    child = council.children["a1"]
    _login(page, live_server.url, council.users["team_manager"])
    page.goto(f"{live_server.url}/children/{child.pk}/characteristics/")
    found = [("edit", v["id"], str(v["html"])) for v in axe(page)]
    Child.objects.get(pk=child.pk).save()  # another user's save moves the version on
    page.select_option("#id_ethnicity", "WIRI")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Save").click()
    assert posted.value.status == 409
    page.wait_for_load_state()
    assert "Someone else saved this record" in page.content()
    found += [("conflict", v["id"], str(v["html"])) for v in axe(page)]
    assert found == []
