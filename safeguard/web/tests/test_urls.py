"""G1: every URL refuses an anonymous user; the meta-test that child pages log their reads."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from safeguard.web.tests.urlmap import AnyValue, named_patterns, walk

#: Patterns an anonymous user may reach, each with the reason.
PUBLIC = {
    "login": "the sign-in page",
    "health": "load balancer health check, no data",
    "logout": "signing out needs no login",
}
#: The admin's own login and static pages redirect or show its login form.
ADMIN_PUBLIC = re.compile(r"^/admin/(login|logout|password_reset.*|jsi18n)/")


def _values(council) -> dict[str, str]:
    child = council.children["a1"]
    contact = council.contacts["w1"]
    return {
        "pk": str(child.pk),
        "obj_id": str(contact.pk),
        "step": "visit",
        "section": "plans",
        "app_label": "auth",
        "model_name": "user",
        "object_id": str(council.users["iro"].pk),
        "content_type_id": "1",
        "url": "auth/user/",
        "uidb64": "MQ",
        "token": "x",
        "path": "x",
        "id": str(child.pk),
        "year": "2019",
        "kind": "cin",
        "slug": "x",
        "measure": "x",
        "code": "x",
        "name": "x",
        "team": "1",
        "return_id": "1",
    }


def _refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_every_url_refuses_anonymous_users(council):
    client = Client()
    values = AnyValue(_values(council))
    walked, leaks = 0, []
    for path, name in walk(values):
        if name in PUBLIC or ADMIN_PUBLIC.match(path) or path.startswith("/static/"):
            continue
        walked += 1
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if not _refused(response):
                leaks.append(f"{method.upper()} {path} ({name}) -> {response.status_code}")
    assert walked >= 20, "the walker found too few URLs; is the URL map wired?"
    assert leaks == []


def test_every_child_page_logs_its_reads():
    """Each page under /children/<pk>/ reads a child, so it must use `child_view` (access log)
    except the break-glass request, which shows nothing of the record."""
    unlogged = []
    for route, name, callback in named_patterns():
        if route.startswith("children/<int:pk>/") and name != "break_glass":
            if not getattr(callback, "reads_child", False):
                unlogged.append(name)
    assert unlogged == []
