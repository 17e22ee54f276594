"""The workforce page's figures on a small hand-made service (as at 30 June 2019)."""

from __future__ import annotations

from datetime import date

import pytest

from safeguard.journey.models import Child
from safeguard.quality import workforce
from safeguard.quality.models import Establishment
from safeguard.workforce.models import Team

from . import factories as f

AS_AT = date(2019, 6, 30)
pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    a, b = f.team("Team A"), f.team("Team B")
    w1 = f.worker("W1", team=a)
    w2 = f.worker("W2", team=a, agency=True, fte=0.5)
    f.worker("W3", team=a, leave=date(2019, 5, 1))  # left: not in post
    f.worker("TM", team=a, role="TM")  # a manager holds no cases: not counted
    w4 = f.worker("W4", team=b, role="ASW")
    Establishment.objects.create(team=a, role="SW", posts=3)
    return {"a": a, "b": b, "w1": w1, "w2": w2, "w4": w4}


def test_staffing_mix_and_vacancies(service):
    rows = {r["team"]: r for r in workforce.staffing(Team.objects.all(), AS_AT).to_dicts()}
    # Team A: W1 (permanent, 1.0) and W2 (agency, 0.5) in post; 3 posts -> 1.5 vacant
    a = rows["Team A"]
    assert (a["workers"], a["agency"], a["permanent"], a["agency_pct"]) == (2, 1, 1, 50.0)
    assert (a["fte_in_post"], a["posts"], a["vacancies"]) == (1.5, 3.0, 1.5)
    # Team B: no establishment recorded, so no vacancy figure (not a negative one)
    assert (rows["Team B"]["workers"], rows["Team B"]["vacancies"]) == (1, None)


def test_weighted_caseloads(service):
    a, w1, w2 = service["a"], service["w1"], service["w2"]
    c1, c2, c3, c4, c5 = (f.child() for _ in range(5))
    for kid in (c1, c2, c3, c4):
        f.allocate(kid, a, w1, date(2019, 1, 1))
    f.allocate(c5, a, w2, date(2019, 1, 1))
    f.cp_plan(c1, date(2019, 2, 1))
    f.episode(c2, date(2019, 2, 1))
    f.cin_plan(c3, date(2019, 2, 1))  # c4: no plan -> "other"
    f.cp_plan(c5, date(2019, 2, 1))
    w = workforce.caseload_weights()
    rows = {r["worker"]: r for r in workforce.caseloads(Child.objects.all(), AS_AT).to_dicts()}
    # W1: one of each kind -> CP + CLA + CIN + OTHER weights, per 1.0 FTE
    expected = round(w["CP"] + w["CLA"] + w["CIN"] + w["OTHER"], 2)
    assert (rows["W1"]["cases"], rows["W1"]["weighted"]) == (4, expected)
    assert (rows["W1"]["cp"], rows["W1"]["cla"], rows["W1"]["cin"], rows["W1"]["other"]) == (
        1,
        1,
        1,
        1,
    )
    # W2: one CP case at 0.5 FTE -> weighted per FTE is twice the CP weight
    assert rows["W2"]["weighted_per_fte"] == round(w["CP"] / 0.5, 1)


def test_worker_changes_in_the_year(service):
    a, w1, w2, w4 = service["a"], service["w1"], service["w2"], service["w4"]
    x, y, z, u = (f.child() for _ in range(4))
    # x: W1 -> W2 (1 Oct 2018) -> W1 (1 Mar 2019): 2 changes in the year to 30 June 2019
    f.allocate(x, a, w1, date(2018, 1, 1), date(2018, 9, 30))
    f.allocate(x, a, w2, date(2018, 10, 1), date(2019, 2, 28))
    f.allocate(x, a, w1, date(2019, 3, 1))
    # y: a new allocation with the same worker (a team move) is not a change
    f.allocate(y, a, w1, date(2019, 1, 1), date(2019, 3, 31))
    f.allocate(y, service["b"], w1, date(2019, 4, 1))
    # z: case closed before the year began: not counted at all
    f.allocate(z, a, w1, date(2017, 1, 1), date(2018, 5, 1))
    # u: W4 from Feb 2018 (before the year), then W1 from 1 Aug 2018: 1 change
    f.allocate(u, a, w4, date(2018, 2, 1), date(2018, 7, 31))
    f.allocate(u, a, w1, date(2018, 8, 1))
    changes = workforce.worker_changes(Child.objects.all(), AS_AT)
    got = dict(zip(changes["child_id"].to_list(), changes["changes"].to_list(), strict=True))
    assert got == {x.pk: 2, y.pk: 0, u.pk: 1}
    assert workforce.change_distribution(changes) == [
        ("No change", 1),
        ("1 change", 1),
        ("2 changes", 1),
        ("3 or more changes", 0),
    ]
