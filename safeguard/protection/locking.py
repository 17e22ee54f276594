"""Optimistic locking: the second save of the same version gets a conflict page, input kept.

A form that edits a record carries the record's version (its `updated_at`, or an integer
`version` column) in a hidden field. Saving first claims the version with one conditional
UPDATE (`... WHERE pk = %s AND updated_at = %s`): exactly one of any number of concurrent saves of
the same version can match it, on SQLite and PostgreSQL alike, so the loser is told instead of
silently overwriting (ASVS 2.3.4).

Use with a class-based edit view:

    class PlanEdit(OptimisticLockMixin, UpdateView):
        model = ChildProtectionPlan
        fields = [...]

or in a function view: `if not claim_version(obj, token): return conflict_response(...)`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

VERSION_FIELD_NAME = "version"
CONFLICT_STATUS = 409
CONFLICT_MESSAGE = (
    "Someone else saved this record after you opened it, so your changes have not been saved. "
    "They are kept below: check the record as it is now, then save again if they still apply."
)


def version_token(instance: models.Model, field: str = "updated_at") -> str:
    """The version of a record as the hidden form field carries it."""
    value = getattr(instance, field)
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _parse(model: type[models.Model], field: str, token: str) -> object | None:
    """The token as a database value, or None if it cannot be one (a forged or mangled token)."""
    try:
        return model._meta.get_field(field).to_python(token)
    except Exception:  # noqa: BLE001 - any unparseable token is simply stale
        return None


def claim_version(instance: models.Model, token: str, *, field: str = "updated_at") -> bool:
    """Move the stored version on if it is still `token`; False if someone saved first.

    Call inside the transaction that then saves the record, so the claim and the change commit
    together (or neither does).
    """
    model = type(instance)
    current = _parse(model, field, token)
    if current is None:
        return False
    if isinstance(model._meta.get_field(field), models.DateTimeField):
        bumped: object = max(timezone.now(), current + timedelta(microseconds=1))
    else:
        bumped = models.F(field) + 1
    claimed = model._default_manager.filter(pk=instance.pk, **{field: current}).update(
        **{field: bumped}
    )
    return claimed == 1


def current_values(instance: models.Model) -> list[tuple[str, str]]:
    """Label and displayed value of each editable field, for the conflict page."""
    rows = []
    for field in instance._meta.concrete_fields:
        if field.editable and not field.primary_key:
            display = getattr(instance, f"get_{field.name}_display", None)
            value = display() if display else getattr(instance, field.name)
            rows.append((str(field.verbose_name).capitalize(), "" if value is None else str(value)))
    return rows


class OptimisticLockMixin:
    """For UpdateView: adds the hidden version field and answers a stale save with a 409 page."""

    version_field = "updated_at"
    conflict_template_name = "protection/conflict.html"

    def get_form(self, form_class: type[forms.BaseForm] | None = None) -> forms.BaseForm:
        form = super().get_form(form_class)  # type: ignore[misc]
        form.fields[VERSION_FIELD_NAME] = forms.CharField(
            widget=forms.HiddenInput, initial=version_token(self.object, self.version_field)
        )
        return form

    def form_valid(self, form: forms.BaseForm) -> HttpResponse:
        token = form.cleaned_data[VERSION_FIELD_NAME]
        with transaction.atomic():
            if claim_version(self.object, token, field=self.version_field):
                return super().form_valid(form)  # type: ignore[misc]
        return self.conflict(form)

    def conflict(self, form: forms.BaseForm) -> HttpResponse:
        """The conflict page: the record as now saved, and the user's input ready to resave."""
        current = type(self.object)._default_manager.get(pk=self.object.pk)
        data = form.data.copy()
        data[form.add_prefix(VERSION_FIELD_NAME)] = version_token(current, self.version_field)
        kept = self.get_form_class()(data=data, instance=current)  # type: ignore[attr-defined]
        kept.fields[VERSION_FIELD_NAME] = forms.CharField(widget=forms.HiddenInput)
        return conflict_response(
            self.request, form=kept, current=current, template=self.conflict_template_name
        )


def conflict_response(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    current: models.Model,
    template: str = "protection/conflict.html",
) -> HttpResponse:
    """Render the conflict page with status 409."""
    context = {
        "form": form,
        "object": current,
        "current_values": current_values(current),
        "message": CONFLICT_MESSAGE,
    }
    return render(request, template, context, status=CONFLICT_STATUS)
