"""The performance pages: who may see them, and the drill-down's scope and access log.

The council is the web tests' (`safeguard.web.tests.conftest.build_council`): children a1, a2,
r1 (restricted) held by team "Assessment A", b1 by "CP B", c1 by "Looked after C". Each of
them gets one referral 3 days before today, so the referral figures (and the drill-down behind
them) hold all five; who sees which is the conftest's oracle.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from safeguard.access.models import AccessLog
from safeguard.journey.models import Referral
from safeguard.performance import views
from safeguard.web.tests.conftest import CHILDREN, TODAY, build_council

REFERRED = ("a1", "a2", "b1", "c1", "r1")
PAGES = [
    "/performance/",
    "/performance/databook/",
    "/performance/scorecard/",
    "/performance/weekly/",
    "/performance/self-evaluation/",
    "/performance/children/?m=referrals&period=12m",
    "/performance/databook/download.xlsx",
    "/performance/weekly/download.pdf",
]


@pytest.fixture
def council(db):
    views.cache_clear()
    c = build_council()
    for key in REFERRED:
        Referral.objects.create(
            child=c.children[key], referral_date=TODAY - timedelta(days=3), referral_source="1A"
        )
    yield c
    views.cache_clear()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _drill(client: Client, measure: str = "referrals", **extra: str):
    query = {"m": measure, "as_at": TODAY.isoformat(), "period": "12m", **extra}
    return client.get("/performance/children/", query)


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in(council) -> None:
    for path in PAGES:
        response = Client().get(path)
        assert response.status_code == 302 and "login" in response["Location"], path


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["social_worker", "mash_worker", "iro"])
def test_roles_without_performance_are_refused(council, role) -> None:
    client = _client(council.users[role])
    for path in PAGES:
        assert client.get(path).status_code == 403, path


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["administrator", "head_of_service"])
def test_pages_open_for_wide_roles(council, role) -> None:
    client = _client(council.users[role])
    for path in ("/performance/", "/performance/scorecard/", "/performance/weekly/"):
        assert client.get(path).status_code == 200, path


@pytest.mark.django_db
def test_every_page_and_download_opens_for_an_analyst(council) -> None:
    client = _client(council.users["performance_analyst"])
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    book = client.get("/performance/databook/").content.decode()
    assert "Re-referrals within 12 months" in book and "<svg" in book
    assert "/performance/children/?m=referrals" in book  # figures link to their children
    card = client.get("/performance/scorecard/").content.decode()
    assert "not sourced" in card  # statistical neighbours: none sourced, never blank or 0
    pdf = client.get("/performance/scorecard/download.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_weekly_page_counts_the_referrals(council) -> None:
    client = _client(council.users["performance_analyst"])
    response = client.get("/performance/weekly/", {"as_at": TODAY.isoformat()})
    counts = {line.item.key: line.count for line in response.context["report"].lines}
    assert counts["referrals"] == 5  # all five, 3 days before today


@pytest.mark.django_db
def test_drill_down_lists_only_children_in_scope_and_logs_each(council) -> None:
    analyst = council.users["performance_analyst"]
    response = _drill(_client(analyst))
    body = response.content.decode()
    visible = {"a1", "a2", "b1", "c1"}  # r1 is restricted: counted, never listed
    assert all(CHILDREN[k] in body for k in visible)
    assert CHILDREN["r1"] not in body
    (part,) = response.context["parts"]
    assert part.rows == 5 and len(part.ids) == 5 and len(part.visible) == 4
    logged = set(
        AccessLog.objects.filter(user=analyst, action=AccessLog.READ).values_list(
            "child__la_child_id", flat=True
        )
    )
    assert logged == {f"T{k.upper()}" for k in visible}


@pytest.mark.django_db
def test_head_of_service_sees_figures_but_lists_only_their_service(council) -> None:
    response = _drill(_client(council.users["head_of_service"]))
    body = response.content.decode()
    assert response.context["parts"][0].rows == 5  # the council figure is whole
    for key in REFERRED:  # the list is not: service Safeguarding holds a1, a2, b1
        assert (CHILDREN[key] in body) == (key in {"a1", "a2", "b1"}), key


@pytest.mark.django_db
def test_team_manager_sees_own_team_only(council) -> None:
    client = _client(council.users["team_manager"])  # manages Assessment A
    response = _drill(client)  # no team asked: their team's figure
    assert response.context["team"] == "Assessment A"
    (part,) = response.context["parts"]
    assert part.rows == 3 and len(part.visible) == 2  # a1, a2, r1 held; r1 restricted
    assert _drill(client, team="CP B").status_code == 404
    assert client.get("/performance/self-evaluation/").status_code == 404  # council-wide
    book = client.get("/performance/databook/")
    assert book.status_code == 200 and book.context["scope_title"] == "Assessment A"
    weekly = _drill(client, "weekly:referrals", period="week")
    assert len(weekly.context["parts"][0].visible) == 2


@pytest.mark.django_db
def test_unknown_figure_and_bad_date(council) -> None:
    client = _client(council.users["performance_analyst"])
    assert _drill(client, "no_such_measure").status_code == 404
    assert _drill(client, "weekly:nothing").status_code == 404
    assert client.get("/performance/databook/download.docx").status_code == 404
    response = client.get("/performance/scorecard/", {"as_at": "30/06/2019"})
    assert response.status_code == 200 and views.BAD_DATE in response.content.decode()


@pytest.mark.django_db
def test_a_data_book_figure_links_to_the_children_it_counts(council) -> None:
    client = _client(council.users["performance_analyst"])
    sections = client.get("/performance/databook/").context["sections"]
    front = next(s for s in sections if s["name"] == "Front door")
    row = next(r for r in front["trends"] if r["trend"].measure.id == "referrals")
    text, ref = row["cells"][-1]
    # The month to the as-at date: the five referrals 3 days ago fall in it unless the
    # as-at date is in a month's first three days; either way the list matches the figure.
    drill = client.get(ref.url)
    (part,) = drill.context["parts"]
    assert str(part.rows) == text


@pytest.mark.django_db
def test_a_change_to_the_record_is_seen_at_once(council) -> None:
    client = _client(council.users["performance_analyst"])
    query = {"as_at": TODAY.isoformat()}

    def referrals() -> int:
        report = client.get("/performance/weekly/", query).context["report"]
        return {line.item.key: line.count for line in report.lines}["referrals"]

    assert referrals() == 5
    Referral.objects.create(child=council.children["a1"], referral_date=TODAY, referral_source="1A")
    assert referrals() == 6  # the cached frames were dropped when the referral was saved


@pytest.mark.django_db
def test_one_measure_by_team(council) -> None:
    analyst = _client(council.users["performance_analyst"])
    rows = analyst.get("/performance/databook/referrals/").context["rows"]
    scopes = [name for name, _ in rows]
    assert scopes[0] == "Council" and {"Assessment A", "CP B", "Looked after C"} <= set(scopes)
    manager = _client(council.users["team_manager"])
    assert [n for n, _ in manager.get("/performance/databook/referrals/").context["rows"]] == [
        "Assessment A"
    ]
    assert analyst.get("/performance/databook/no_such_measure/").status_code == 404
