"""Template tags that render Django form fields with GOV.UK Frontend markup and classes."""

from __future__ import annotations

from django import forms, template

register = template.Library()

_INPUT_CLASS = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "input": "govuk-input",
    "file": "govuk-file-upload",
}


def _kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


def _describedby(field: forms.BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.inclusion_tag("web/includes/field.html")
def govuk_field(field: forms.BoundField) -> dict:
    """One form field: label, hint, error message and the input, as GOV.UK Frontend lays out."""
    kind = _kind(field)
    attrs = {}
    if _describedby(field):
        attrs["aria-describedby"] = _describedby(field)
    if kind in ("radios", "checkboxes", "checkbox"):
        css = "govuk-radios__input" if kind == "radios" else "govuk-checkboxes__input"
        field.field.widget.attrs["class"] = css
    elif kind != "hidden":
        css = _INPUT_CLASS[kind] + (f" {_INPUT_CLASS[kind]}--error" if field.errors else "")
        if isinstance(field.field.widget, forms.DateInput):
            css += " govuk-input--width-10"
        attrs["class"] = css
    return {
        "field": field,
        "kind": kind,
        "attrs": attrs,
        "describedby": _describedby(field),
        "widget": field.as_widget(attrs=attrs) if kind not in ("radios", "checkboxes") else "",
    }


@register.inclusion_tag("web/includes/error_summary.html")
def govuk_error_summary(*forms_: forms.BaseForm) -> dict:
    """The error summary at the top of a page: every problem, each linked to its field."""
    items = []
    for form in forms_:
        if not isinstance(form, forms.BaseForm) or not form.is_bound:
            continue
        items += [{"text": e, "href": ""} for e in form.non_field_errors()]
        for name, errors in form.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                continue
            anchor = f"#{form[name].auto_id}" if name in form.fields else ""
            items += [{"text": e, "href": anchor} for e in errors]
    return {"items": items}
