"""Subject access (G25a): every model linked to a child is decided; the bundle holds everything."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from safeguard.journey.models import Child, Visit
from safeguard.protection.models import Disclosure
from safeguard.protection.sar import (
    EXCLUDED,
    SECTIONS,
    Withholding,
    linked_models,
    subject_access_bundle,
    undecided_models,
    write_bundle,
)
from safeguard.workforce.models import Team, Worker


def test_every_model_linked_to_a_child_has_a_decision():
    assert undecided_models() == []
    assert "journey.casenote" in linked_models()  # the walker does see the journey


def test_decisions_name_real_models_and_exclusions_give_reasons():
    from django.apps import apps

    for label in [*SECTIONS, *EXCLUDED]:
        try:
            apps.get_model(label)
        except LookupError:
            pytest.fail(f"SAR decision for a model that does not exist: {label}")
    assert all(len(reason) > 40 for reason in EXCLUDED.values())


@pytest.fixture
def record(child, note, contact):
    """The fixture child's whole record: N items, hand-counted below."""
    other = Child.objects.create(la_child_id="OTHER-CHILD", date_of_birth=date(2016, 1, 1), sex="1")
    worker = Worker.objects.create(
        name="Sam Worker",
        role="SW",
        start_date=date(2020, 1, 1),
        team=Team.objects.create(name="CP 1", kind="CP_COURT"),
    )
    visit = Visit.objects.create(
        child=child,
        worker=worker,
        date=date(2025, 2, 1),
        kind="CP",
        note="Saw Ada with her brother Ben.",
    )
    Visit.objects.create(child=other, date=date(2025, 2, 1), kind="CP", note="OTHER SENTINEL")
    child.postcode = "AB1 2CD"
    child.save()
    return visit


@pytest.mark.django_db
def test_bundle_holds_every_item_marks_third_parties_and_lists_withholdings(child, note, record):
    bundle = subject_access_bundle(
        child,
        withhold=[
            Withholding(
                "journey.casenote", note.pk, "serious-harm", "Discussed with the team manager"
            )
        ],
    )
    by_model = {s["model"]: s for s in bundle.sections}
    # current records: child 1, contact 1, visit 1 (case note withheld) = 3
    assert sum(len(s["records"]) for s in bundle.sections) == 3
    # history: child created+changed 2, contact 1, visit 1; the case note's history withheld
    assert sum(len(s["history"]) for s in bundle.sections) == 4
    assert bundle.items == 7
    assert by_model["journey.casenote"]["records"] == []
    assert by_model["journey.casenote"]["history"] == []
    assert bundle.withheld == [
        {
            "model": "journey.casenote",
            "pk": note.pk,
            "exemption": "serious-harm",
            "note": "Discussed with the team manager",
            "reason": bundle.withheld[0]["reason"],
        }
    ]
    assert "Sch 3 Part 3" in bundle.withheld[0]["reason"]
    assert by_model["journey.contact"]["records"][0]["redact"] == ["summary"]
    assert by_model["journey.visit"]["records"][0]["redact"] == ["note"]
    # another child's record never appears
    assert "OTHER SENTINEL" not in json.dumps(bundle.sections)
    # codes come with their meaning
    assert by_model["journey.child"]["records"][0]["fields"]["sex"] == "2: Female"


@pytest.mark.django_db
def test_deleted_records_are_still_in_the_bundle_through_history(child, note):
    note.delete()
    bundle = subject_access_bundle(child)
    notes = next(s for s in bundle.sections if s["model"] == "journey.casenote")
    assert notes["records"] == []
    assert [h["history_type"] for h in notes["history"]] == ["+", "-"]


@pytest.mark.django_db
def test_write_bundle_and_the_disclosure_log(tmp_path, child, contact):
    produced_by = User.objects.create_user("ig.officer")
    bundle = subject_access_bundle(child)
    disclosure = write_bundle(bundle, tmp_path, produced_by=produced_by)
    data = json.loads((tmp_path / "bundle.json").read_text())
    html = (tmp_path / "bundle.html").read_text()
    assert data["items"] == bundle.items == disclosure.items
    # the contact's summary is marked in the record and in its history row: 2
    assert disclosure.marked_for_redaction == 2
    assert 'class="redact">Neighbour Jo Bloggs' in html
    assert len(disclosure.sha256) == 64
    assert Disclosure.objects.get().produced_by == produced_by


@pytest.mark.django_db
def test_the_command(tmp_path, child, note, capsys):
    call_command(
        "sar",
        "--child",
        child.la_child_id,
        "-o",
        str(tmp_path),
        "--withhold",
        f"journey.casenote:{note.pk}:court-report:Report to court",
    )
    assert "1 withheld" in capsys.readouterr().out
    assert json.loads((tmp_path / "bundle.json").read_text())["withheld"][0]["pk"] == note.pk
    with pytest.raises(CommandError):
        call_command("sar", "--child", "NOBODY", "-o", str(tmp_path))
    with pytest.raises(CommandError):
        call_command(
            "sar",
            "--child",
            str(child.pk),
            "-o",
            str(tmp_path),
            "--withhold",
            f"journey.casenote:{note.pk}:no-such-exemption",
        )
