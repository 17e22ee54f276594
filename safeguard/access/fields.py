"""Field-level rules (ASVS 8.1.2, 8.2.3): which roles may read or change each class of sensitive
field. Declared once here; pages, exports and forms ask `readable`/`writable`, never a role name.

Need to know, per class:
- ethnicity: the case roles and duty roles; analysts too (equalities figures and the returns).
  Not MASH partners, who see the contact they made, not the case; not administrators, who run
  the system and have no case work.
- health (disabilities, health outcomes): the case and duty roles only.
- abuse category (child protection plan categories): the case and duty roles, and analysts (the
  CIN census and the data book count plans by category).
- adopter address: no role. It lives only in the sealed adoption case record
  (`access.AdoptionRecord`), which opens to users named on it, whatever their role.
Writing is narrower than reading: only the roles that record the case change these fields.
A user with several roles gets the union.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from .roles import roles_of


@dataclass(frozen=True)
class FieldClass:
    """A class of sensitive fields that share one rule."""

    key: str
    title: str
    fields: frozenset[tuple[str, str]]  # (app_label.Model, field name)


ETHNICITY = FieldClass(
    "ethnicity",
    "Ethnicity",
    frozenset({("journey.Child", "ethnicity"), ("journey.Adopter", "ethnicity")}),
)
HEALTH = FieldClass(
    "health",
    "Health and disability",
    frozenset(
        {
            ("journey.Child", "disabilities"),
            ("journey.Adopter", "disability"),
            *(
                ("journey.HealthOutcome", f)
                for f in (
                    "health_check",
                    "immunisations",
                    "teeth_check",
                    "health_assessment",
                    "substance_misuse",
                    "intervention_received",
                    "intervention_offered",
                    "sdq_score",
                    "sdq_reason",
                )
            ),
        }
    ),
)
ABUSE_CATEGORY = FieldClass(
    "abuse_category",
    "Category of abuse",
    frozenset(
        {
            ("journey.ChildProtectionPlan", "initial_category"),
            ("journey.ChildProtectionPlan", "latest_category"),
        }
    ),
)
ADOPTER_ADDRESS = FieldClass(
    "adopter_address",
    "Adopters' address",
    frozenset(
        {
            ("access.AdoptionRecord", "adopters_address"),
            ("access.AdoptionRecord", "adopters_postcode"),
        }
    ),
)
FIELD_CLASSES: tuple[FieldClass, ...] = (ETHNICITY, HEALTH, ABUSE_CATEGORY, ADOPTER_ADDRESS)
BY_KEY = {c.key: c for c in FIELD_CLASSES}

_CASE = frozenset({"ethnicity", "health", "abuse_category"})

#: role key -> the classes it may read.
READ: dict[str, frozenset[str]] = {
    "social_worker": _CASE,
    "team_manager": _CASE,
    "head_of_service": _CASE,
    "iro": _CASE,
    "screener": _CASE,
    "edt": _CASE,
    "performance_analyst": frozenset({"ethnicity", "abuse_category"}),
    "mash_worker": frozenset(),
    "administrator": frozenset(),
}
#: role key -> the classes it may change.
WRITE: dict[str, frozenset[str]] = {
    "social_worker": _CASE,
    "team_manager": _CASE,
    "iro": frozenset({"abuse_category"}),  # the conference chair records the category
}

CANNOT_CHANGE = "You cannot change {what}."


def _union(rules: dict[str, frozenset[str]], user) -> frozenset[str]:
    held: set[str] = set()
    for role in roles_of(user):
        held |= rules.get(role.key, frozenset())
    return frozenset(held)


def readable(user) -> frozenset[str]:
    """The field classes the user may read."""
    return _union(READ, user)


def writable(user) -> frozenset[str]:
    """The field classes the user may change."""
    return _union(WRITE, user)


def class_of(model_label: str, field: str) -> FieldClass | None:
    """The class a model's field belongs to, if it is sensitive."""
    return next((c for c in FIELD_CLASSES if (model_label, field) in c.fields), None)


#: Every classified field name, for spotting them among posted keys whatever the form's prefix.
_NAMES = {name: c for c in FIELD_CLASSES for _model, name in c.fields}


def refuse_unwritable(user, posted_keys: Iterable[str]) -> None:
    """403 if a request posts a classified field the user may not change (mass assignment).

    Keys are matched on their last part, so `child-ethnicity` (a form prefix) counts too; a
    form that does not have the field would ignore it, but posting it is refused outright.
    """
    _refuse_any(user, (_NAMES.get(key.rsplit("-", 1)[-1]) for key in posted_keys))


def refuse_unwritable_form(user, form) -> None:
    """403 if a model form offers a classified field the user may not change.

    A page that would show an input the user could never save is refused as a whole: the
    child protection plan's category, for instance, is required, so a plan cannot be recorded
    by a role that may not set it.
    """
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return
    _refuse_any(user, (class_of(model._meta.label, name) for name in form.fields))


def _refuse_any(user, classes: Iterable[FieldClass | None]) -> None:
    """403 naming the first of these field classes (None: not classified) the user may not
    change."""
    allowed = writable(user)
    for cls in classes:
        if cls is not None and cls.key not in allowed:
            raise PermissionDenied(CANNOT_CHANGE.format(what=cls.title.lower()))
