"""Editing a saved record from a page without losing anyone's work (G21, ASVS 2.3.4).

Every form that changes a record already saved carries the record's version in a hidden field
(`safeguard.protection.locking`: its `updated_at`). The save first claims that version with one
conditional UPDATE, inside the transaction that then saves. If someone saved the record after the
form was opened, nothing is written and the user gets the conflict page (409): the record as it is
now, and their own input, carrying the new version so that a deliberate second save goes through.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict

from safeguard.protection.locking import (
    CONFLICT_MESSAGE,
    CONFLICT_STATUS,
    VERSION_FIELD_NAME,
    claim_version,
    current_values,
    version_token,
)

from .pages import page


class Conflict(Exception):
    """Someone saved the record after this form was opened."""


def versioned(form: forms.BaseForm, record: models.Model) -> forms.BaseForm:
    """Add the hidden version field, set to the record's version as loaded now."""
    form.fields[VERSION_FIELD_NAME] = forms.CharField(
        widget=forms.HiddenInput, initial=version_token(record)
    )
    return form


def claim(form: forms.BaseForm, record: models.Model) -> None:
    """Claim the version the (valid) form was opened at, or raise `Conflict`.

    The version is the form's own hidden field (`versioned`) or, for a page whose template
    writes that hidden input beside the form (the quality audit and panel pages), the value
    posted under its name; a missing or mangled version is a conflict, never a blind save.
    Call inside the transaction that saves, so the claim and the change commit together.
    """
    posted = form.data.get(form.add_prefix(VERSION_FIELD_NAME), "")
    if not claim_version(record, form.cleaned_data.get(VERSION_FIELD_NAME, posted)):
        raise Conflict


def kept_data(request: HttpRequest, form: forms.BaseForm, current: models.Model) -> QueryDict:
    """The user's input as posted, with the version moved on to the record's current one."""
    data = request.POST.copy()
    data[form.add_prefix(VERSION_FIELD_NAME)] = version_token(current)
    return data


def conflict_page(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    shown: models.Model | None,
    back: str,
    context: dict | None = None,
) -> HttpResponse:
    """The 409 page: the record as it is now (`shown`), and the kept input ready to resave."""
    return page(
        request,
        "web/conflict.html",
        {
            "form": form,
            "message": CONFLICT_MESSAGE,
            "current_values": current_values(shown) if shown is not None else [],
            "back": back,
            **(context or {}),
        },
        status=CONFLICT_STATUS,
    )
