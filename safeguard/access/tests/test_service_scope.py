"""A head of service with no team of their own sees the teams of the service they manage."""

from __future__ import annotations

import pytest

from safeguard.access.scope import children_for
from safeguard.web.tests.conftest import build_council

pytestmark = pytest.mark.django_db


def test_a_head_of_service_without_a_team_sees_their_service_by_its_name():
    council = build_council()
    hos = council.workers["hos"]
    hos.team, hos.service = None, "Safeguarding"  # teams A and B carry service "Safeguarding"
    hos.save()
    seen = set(children_for(council.users["head_of_service"]).values_list("la_child_id", flat=True))
    # a1, a2 (team A) and b1 (team B); r1 is restricted; c1 is in "Children in care".
    assert seen == {"TA1", "TA2", "TB1"}


def test_without_a_team_or_a_service_a_head_of_service_sees_no_one():
    council = build_council()
    hos = council.workers["hos"]
    hos.team = None
    hos.save()
    assert not children_for(council.users["head_of_service"]).exists()
