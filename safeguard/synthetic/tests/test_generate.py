"""The generator fills the record deterministically, refuses a non-empty record, and replaces."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from safeguard.cli import main
from safeguard.journey.models import Child
from safeguard.synthetic import generate
from safeguard.synthetic.load import record_models
from safeguard.synthetic.management.commands.generate import NOT_EMPTY

SMALL = 1500  # children: a small council keeps these database round trips to a few seconds
TIMESTAMPS = {"created_at", "updated_at"}


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every journey and workforce table, by primary key, without timestamps."""
    out = {}
    for model in record_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in TIMESTAMPS and f.attname != "history_date"
        ]
        out[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return out


@pytest.mark.django_db
def test_same_seed_same_record_different_seed_different() -> None:
    from safeguard.synthetic.load import clear

    generate(seed=11, population=SMALL)
    first = snapshot()
    assert len(first["journey.Child"]) > 100
    assert len(first["journey.CareEpisode"]) > 0
    clear()
    generate(seed=11, population=SMALL)
    assert snapshot() == first
    clear()
    generate(seed=12, population=SMALL)
    assert snapshot() != first


@pytest.mark.django_db
def test_command_refuses_a_non_empty_record_unless_replace() -> None:
    # In-process call_command: the CLI's run_from_argv would close the test's connection.
    # CommandError is what `safeguard generate` turns into a message and exit code 1.
    call_command("generate", "--seed", "3", "--population", "400", stdout=StringIO())
    children = Child.objects.count()
    assert children > 0
    with pytest.raises(CommandError, match=re.escape(NOT_EMPTY)):
        call_command("generate", "--seed", "3", "--population", "400", stdout=StringIO())
    assert Child.objects.count() == children
    out = StringIO()
    call_command("generate", "--seed", "4", "--population", "400", "--replace", stdout=out)
    assert "Generated" in out.getvalue()
    assert Child.objects.exists()


def test_command_exit_code_is_1_when_refused(monkeypatch, capsys) -> None:  # noqa: ANN001
    # The CLI path without a database: emptiness is reported by load.is_empty.
    monkeypatch.setattr("safeguard.synthetic.management.commands.generate.is_empty", lambda: False)
    assert main(["generate", "--population", "10"]) == 1
    assert NOT_EMPTY in capsys.readouterr().err
