"""G4: field-level read and write rules, for every role and every class of sensitive field.

Every child of the council carries a sentinel in each sensitive field (ethnicity, disabilities,
the categories of a child protection plan); the sealed adoption case record carries the adopters'
address. For each role, every page of the URL map and every child page is fetched, HTML, JSON,
CSV and XLSX alike: a sentinel of a class the role may not read must appear 0 times, and one it
may read must appear on the child's summary (or plans) page, so the rule is not met by hiding
everything. Writing a field the role may not change is refused with 403 and leaves the row hash
as it was; a role that may change it does.

The oracle below is written by hand from the policy in `safeguard.access.fields` (its docstring
gives the reasons), not computed from it.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.test import Client

from safeguard.access.models import AccessLog, AdoptionRecord, Grant
from safeguard.access.services import grant_named
from safeguard.journey.models import Child, ChildProtectionPlan, Referral
from safeguard.protection.locking import version_token
from safeguard.web.tests.conftest import CASE_VISIBLE, START, TODAY
from safeguard.web.tests.urlmap import AnyValue, walk

SENTINELS = {
    "ethnicity": ["Z~E1"],
    "health": ["Z~H1"],
    "abuse_category": ["Z~A1"],
    "adopter_address": ["1 Sentineladopters Close", "SE1 1AD"],
}
CASE = {"ethnicity", "health", "abuse_category"}
#: role -> the classes it may read (worked out from the policy's reasons).
READS = {
    "social_worker": CASE,
    "team_manager": CASE,
    "head_of_service": CASE,
    "iro": CASE,
    "screener": CASE,
    "edt": CASE,
    "performance_analyst": {"ethnicity", "abuse_category"},
    "administrator": set(),
    "mash_worker": set(),
}
#: role -> the classes it may change.
WRITES = {
    "social_worker": CASE,
    "team_manager": CASE,
    "iro": {"abuse_category"},
}
#: where a permitted reader must see each class on a child's record.
SHOWN_ON = {"ethnicity": "/", "health": "/", "abuse_category": "plans/"}
CHILD_PAGES = ["", "chronology/", "chronology/?print=1", "plans/", "placements/", "visits/",
               "reviews/", "notes/", "record/cp-plan/", "characteristics/", "transfer/",
               "access-log/"]  # fmt: skip
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _mark(council) -> None:
    """Put the sentinels in every child's sensitive fields (as an import might: no checks)."""
    Child.objects.update(ethnicity="Z~E1", disabilities=["Z~H1"])
    for child in council.children.values():
        referral = Referral.objects.create(child=child, referral_date=START, referral_source="3A")
        ChildProtectionPlan.objects.create(
            referral=referral,
            child=child,
            start_date=START + timedelta(days=1),
            initial_category="Z~A1",
            latest_category="Z~A1",
        )


def _text(response) -> str:
    """The body as text; an XLSX's sheets and shared strings unzipped."""
    body = b"".join(response) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(XLSX):
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    return body.decode(errors="replace")


def _bodies(council, client) -> dict[str, str]:
    """Every page of the URL map (ids from a1 and its contact) and every child's pages."""
    a1 = council.children["a1"]
    values = AnyValue(pk=str(a1.pk), child_pk=str(a1.pk), section="plans", step="cp-plan")
    paths = {p for p, _name in walk(values) if not p.startswith(("/admin/", "/logout/"))}
    paths |= {"/children/?q=Sentinel", "/children/export.csv"}
    for child in council.children.values():
        paths |= {f"/children/{child.pk}/{page}" for page in CHILD_PAGES}
    return {path: _text(client.get(path)) for path in sorted(paths)}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(READS))
def test_each_role_reads_only_the_field_classes_it_may(council, role):
    _mark(council)
    bodies = _bodies(council, _client(council.users[role]))
    for cls, sentinels in SENTINELS.items():
        found = {path for path, body in bodies.items() for s in sentinels if s in body}
        if cls not in READS[role]:
            assert found == set(), (role, cls, sorted(found))
            continue
        for key in CASE_VISIBLE[role]:  # no wrongful hiding: the record shows it
            page = f"/children/{council.children[key].pk}/{SHOWN_ON[cls]}".replace("//", "/")
            assert page in found, (role, cls, key)


def _row_hash(model, **lookup) -> str:
    rows = list(model.objects.filter(**lookup).order_by("pk").values())
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _write(council, cls: str, client, child: Child):
    """Post a change to one field of the class; the rows it could touch, as a hash."""
    if cls in ("ethnicity", "health"):
        data = {"ethnicity": "WIRI"} if cls == "ethnicity" else {"disabilities": ["VIS"]}
        data["version"] = version_token(Child.objects.get(pk=child.pk))
        return client.post(f"/children/{child.pk}/characteristics/", data)
    if cls == "abuse_category":
        referral = child.referrals.get()
        data = {"referral": referral.pk, "start_date": TODAY.isoformat(), "initial_category": "PHY"}
        return client.post(f"/children/{child.pk}/record/cp-plan/", data)
    # nobody may write the adopters' address: a note carrying it is refused outright
    data = {"date": TODAY.isoformat(), "text": "Note", "adopters_address": "2 Elsewhere Road"}
    return client.post(f"/children/{child.pk}/record/note/", data)


def _hash_of(cls: str, child: Child) -> str:
    if cls in ("ethnicity", "health"):
        return _row_hash(Child, pk=child.pk)
    if cls == "abuse_category":
        return _row_hash(ChildProtectionPlan, child=child)
    return _row_hash(AdoptionRecord)


@pytest.mark.django_db
@pytest.mark.parametrize("cls", sorted(SENTINELS))
@pytest.mark.parametrize("role", sorted(READS))
def test_writing_a_field_the_role_may_not_change_is_refused(council, role, cls):
    child = council.children["a1"]
    Referral.objects.create(child=child, referral_date=START, referral_source="3A")
    user = council.users[role]
    # a named grant opens a1 to every role, so only the field rule can refuse
    grant_named(user=user, child=child, granted_by=None, reason="Test of the field rules")
    before = _hash_of(cls, child)
    response = _write(council, cls, _client(user), child)
    if cls in WRITES.get(role, set()):
        assert response.status_code == 302, (role, cls, response.status_code)
        assert _hash_of(cls, child) != before
    else:
        assert response.status_code == 403, (role, cls, response.status_code)
        assert _hash_of(cls, child) == before
        assert AccessLog.objects.filter(user=user, child=child, action="denied").exists()
    assert Grant.objects.filter(user=user).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(READS))
def test_a_form_offering_a_field_the_role_may_not_change_is_not_shown(council, role):
    """The plan's category is required: only roles that may set it get the plan form."""
    child, user = council.children["a1"], council.users[role]
    grant_named(user=user, child=child, granted_by=None, reason="Test of the field rules")
    response = _client(user).get(f"/children/{child.pk}/record/cp-plan/")
    assert response.status_code == (200 if "abuse_category" in WRITES.get(role, set()) else 403)


@pytest.mark.django_db
def test_a_prefixed_field_the_user_may_not_write_is_refused(council):
    """A MASH partner's new contact cannot set the child's ethnicity through a form prefix."""
    before = Child.objects.count()
    response = _client(council.users["mash_worker"]).post(
        "/front-door/contacts/new/",
        {
            "child-first_name": "New",
            "child-last_name": "Child",
            "child-date_of_birth": "2015-01-01",
            "child-sex": "1",
            "child-ethnicity": "WBRI",
            "contact-received_at": f"{TODAY.isoformat()}T09:00",
            "contact-contact_source": "1A",
        },
    )
    assert response.status_code == 403
    assert Child.objects.count() == before


def test_the_policy_names_real_fields():
    from django.apps import apps

    from safeguard.access.fields import FIELD_CLASSES, READ, WRITE
    from safeguard.access.roles import BY_KEY

    for cls in FIELD_CLASSES:
        for label, field in cls.fields:
            apps.get_model(label)._meta.get_field(field)  # raises if the field is gone
    assert set(READ) == set(BY_KEY) and set(WRITE) <= set(BY_KEY)
