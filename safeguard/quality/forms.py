"""Forms of the quality pages: they check input; the services do the writing."""

from __future__ import annotations

from datetime import date

from django import forms

from . import codes, sampling
from .models import AuditTemplate

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"})
TEXT = {"class": "govuk-input"}
AREA = {"class": "govuk-textarea", "rows": 3}
SELECT = {"class": "govuk-select"}
ACTIONS_HELP = (
    "One action a line, as 'what to do | YYYY-MM-DD' (the due date). Each becomes a "
    "task for the worker."
)
BAD_ACTION = (
    "Write each action as 'what to do | YYYY-MM-DD', for example "
    "'Update the chronology | 2019-07-12'."
)


def _select(choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[("", "Choose")] + list(choices), widget=forms.Select(attrs=SELECT)
    )


def parse_actions(text: str) -> list[tuple[str, date]]:
    """Lines of 'title | due date' -> (title, due date); blank lines ignored."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        title, sep, due = line.rpartition("|")
        try:
            out.append((title.strip(), date.fromisoformat(due.strip())))
        except ValueError:
            raise forms.ValidationError(BAD_ACTION) from None
        if not sep or not title.strip():
            raise forms.ValidationError(BAD_ACTION)
    return out


class ActionsField(forms.CharField):
    """A textarea of actions, cleaned to (title, due date) pairs."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            required=False, help_text=ACTIONS_HELP, widget=forms.Textarea(attrs=AREA), **kwargs
        )

    def clean(self, value):
        return parse_actions(super().clean(value))


class FilterForm(forms.Form):
    """As-at date, team and status filters of a tracker page."""

    as_at = forms.DateField(label="As at", required=False, widget=DATE_INPUT)
    team = forms.ChoiceField(required=False, widget=forms.Select(attrs=SELECT))
    status = forms.ChoiceField(required=False, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, teams: list[str], statuses: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Keep a chosen value that no row has now, so the page still shows what was asked.
        for key, values, everything in (("team", teams, "All teams"), ("status", statuses, "All")):
            chosen = self.data.get(key)
            extra = [chosen] if chosen and chosen not in values else []
            self.fields[key].choices = [("", everything)] + [(v, v) for v in values + extra]


class CaseSupervisionForm(forms.Form):
    date = forms.DateField(widget=DATE_INPUT)
    decisions = forms.CharField(
        widget=forms.Textarea(attrs=AREA), help_text="The decisions made and the reasons for them."
    )
    actions = ActionsField()


class WorkerSupervisionForm(forms.Form):
    worker = forms.ModelChoiceField(queryset=None, widget=forms.Select(attrs=SELECT))
    date = forms.DateField(widget=DATE_INPUT)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs=AREA))

    def __init__(self, *args, workers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class MonthlyProgrammeForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=AuditTemplate.objects.filter(active=True), widget=forms.Select(attrs=SELECT)
    )
    month = forms.DateField(widget=DATE_INPUT, help_text="Any day in the month audited.")
    per_team = forms.IntegerField(
        min_value=1, max_value=50, initial=2, widget=forms.NumberInput(attrs=TEXT)
    )
    seed = forms.IntegerField(
        initial=1,
        widget=forms.NumberInput(attrs=TEXT),
        help_text="The same seed picks the same cases again.",
    )


class ThematicProgrammeForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=AuditTemplate.objects.filter(active=True), widget=forms.Select(attrs=SELECT)
    )
    query = _select((k, q.title) for k, q in sampling.THEMATIC_QUERIES.items())
    month = forms.DateField(widget=DATE_INPUT)


class GradeForm(forms.Form):
    """A grade and comment per question of the audit tool, an overall grade and actions."""

    def __init__(self, *args, questions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for q in questions:
            self.fields[f"grade_{q.pk}"] = forms.ChoiceField(
                label=f"{q.number}. {q.text}",
                help_text=q.guidance,
                choices=codes.GRADE.choices(),
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{q.pk}"] = forms.CharField(
                label="Comment", required=False, widget=forms.Textarea(attrs=AREA)
            )
        self.fields["overall_grade"] = forms.ChoiceField(
            choices=codes.GRADE.choices(), widget=forms.RadioSelect
        )
        self.fields["summary"] = forms.CharField(widget=forms.Textarea(attrs=AREA))
        self.fields["actions"] = ActionsField()
        self.question_ids = [q.pk for q in questions]

    def grades(self) -> dict[int, tuple[str, str]]:
        d = self.cleaned_data
        return {pk: (d[f"grade_{pk}"], d[f"comment_{pk}"]) for pk in self.question_ids}


class ModerateForm(forms.Form):
    grade = forms.ChoiceField(
        label="Moderated overall grade", choices=codes.GRADE.choices(), widget=forms.RadioSelect
    )
    comment = forms.CharField(widget=forms.Textarea(attrs=AREA))
    actions = ActionsField()


class ResponseForm(forms.Form):
    response = forms.CharField(label="Your response", widget=forms.Textarea(attrs=AREA))


class PanelRequestForm(forms.Form):
    child = forms.ModelChoiceField(queryset=None, widget=forms.Select(attrs=SELECT))
    request_date = forms.DateField(widget=DATE_INPUT)
    reason = forms.CharField(widget=forms.Textarea(attrs=AREA))
    evidence = forms.CharField(required=False, widget=forms.Textarea(attrs=AREA))

    def __init__(self, *args, children, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children


class PanelDecisionForm(forms.Form):
    panel_date = forms.DateField(widget=DATE_INPUT)
    decision = forms.ChoiceField(choices=codes.PANEL_DECISION.choices(), widget=forms.RadioSelect)
    conditions = forms.CharField(required=False, widget=forms.Textarea(attrs=AREA))
    review_date = forms.DateField(required=False, widget=DATE_INPUT)
    actions = ActionsField()


class AuthorisationForm(forms.Form):
    child = forms.ModelChoiceField(queryset=None, widget=forms.Select(attrs=SELECT))
    kind = _select(codes.AUTHORISATION_KIND.choices())
    decision = forms.CharField(widget=forms.Textarea(attrs=AREA))

    def __init__(self, *args, children, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children
