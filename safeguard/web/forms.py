"""Forms for each step of the journey, the front door, allocation and break-glass access.

Forms only collect and parse input; the rules live on the models (`full_clean`) and in
`safeguard.web.services`. Choices for linked records are limited to the child's own records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from safeguard.access.services import REASON_CODES
from safeguard.codes import cin, local
from safeguard.journey import models as jm
from safeguard.workforce.models import Team, Worker

DATE = {"type": "date"}
DATETIME = {"type": "datetime-local"}
DATE_WIDGET = forms.DateInput(attrs=DATE, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")


def _dates(fields: list[str], kind: str = "date") -> dict:
    widget = DATE_WIDGET if kind == "date" else DATETIME_WIDGET
    return {f: widget for f in fields}


class ChildStepForm(forms.ModelForm):
    """A form for a record of one child; linked-record choices are the child's own."""

    #: field name -> related name on Child, to limit the choices of a ForeignKey.
    own_records: dict[str, str] = {}

    def __init__(self, *args, child: jm.Child, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        self.instance.child = child
        for field, related in self.own_records.items():
            if field in self.fields:
                self.fields[field].queryset = getattr(child, related).all()
                self.fields[field].label_from_instance = _describe


def _describe(obj) -> str:
    """How a linked record is named in a choice list."""
    for attr in ("referral_date", "strategy_discussion_date", "start_date", "date"):
        value = getattr(obj, attr, None)
        if value:
            return f"{obj._meta.verbose_name.capitalize()} of {value:%d %B %Y}"
    return str(obj)


class ReferralForm(ChildStepForm):
    class Meta:
        model = jm.Referral
        fields = ["referral_date", "referral_source", "primary_need"]
        widgets = _dates(["referral_date"])


class AssessmentForm(ChildStepForm):
    own_records = {"referral": "referrals"}

    class Meta:
        model = jm.Assessment
        fields = ["referral", "start_date"]
        widgets = _dates(["start_date"])


class AssessmentAuthoriseForm(ChildStepForm):
    factors = forms.MultipleChoiceField(
        choices=cin.ASSESSMENT_FACTORS.choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Factors identified at the end of assessment",
    )

    class Meta:
        model = jm.Assessment
        fields = ["authorisation_date", "factors"]
        widgets = _dates(["authorisation_date"])


class StrategyForm(ChildStepForm):
    own_records = {"referral": "referrals"}

    class Meta:
        model = jm.Section47
        fields = ["referral", "strategy_discussion_date"]
        widgets = _dates(["strategy_discussion_date"])


class Section47OutcomeForm(ChildStepForm):
    class Meta:
        model = jm.Section47
        fields = ["end_date", "outcome", "icpc_not_required"]
        widgets = _dates(["end_date"])


class ICPCForm(ChildStepForm):
    own_records = {"section47": "section47s"}

    class Meta:
        model = jm.Conference
        fields = ["section47", "date", "outcome"]
        widgets = _dates(["date"])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.kind = "ICPC"
        self.fields["section47"].required = True


class RCPCForm(ChildStepForm):
    own_records = {"cp_plan": "cp_plans"}

    class Meta:
        model = jm.Conference
        fields = ["cp_plan", "date", "outcome"]
        widgets = _dates(["date"])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.kind = "RCPC"
        self.fields["cp_plan"].required = True


class CPPlanForm(ChildStepForm):
    own_records = {"referral": "referrals", "initial_conference": "conferences"}

    class Meta:
        model = jm.ChildProtectionPlan
        fields = ["referral", "initial_conference", "start_date", "initial_category"]
        widgets = _dates(["start_date"])


class CINPlanForm(ChildStepForm):
    own_records = {"referral": "referrals"}

    class Meta:
        model = jm.ChildInNeedPlan
        fields = ["referral", "start_date"]
        widgets = _dates(["start_date"])


class CareEpisodeForm(ChildStepForm):
    class Meta:
        model = jm.CareEpisode
        fields = [
            "start_date",
            "reason_new_episode",
            "legal_status",
            "category_of_need",
            "placement_type",
            "placement_provider",
            "reason_place_change",
            "placement_postcode",
            "urn",
        ]
        widgets = _dates(["start_date"])


class MissingForm(ChildStepForm):
    class Meta:
        model = jm.MissingEpisode
        fields = ["kind", "start_date", "end_date", "returned_at"]
        widgets = {**_dates(["start_date", "end_date"]), **_dates(["returned_at"], "datetime")}


class RHIForm(ChildStepForm):
    class Meta:
        model = jm.MissingEpisode
        fields = ["rhi_offered_at", "rhi_held_at", "rhi_declined"]
        widgets = _dates(["rhi_offered_at", "rhi_held_at"], "datetime")


class LACReviewForm(ChildStepForm):
    class Meta:
        model = jm.LookedAfterReview
        fields = ["date", "participation"]
        widgets = _dates(["date"])


class VisitForm(ChildStepForm):
    class Meta:
        model = jm.Visit
        fields = ["date", "kind", "seen", "seen_alone", "note"]
        widgets = _dates(["date"])


class NoteForm(ChildStepForm):
    class Meta:
        model = jm.CaseNote
        fields = ["date", "text"]
        widgets = _dates(["date"])


@dataclass(frozen=True)
class Step:
    """A step of the journey that can be recorded from the child's record."""

    key: str
    title: str
    form: type[ChildStepForm]
    edits: str | None = None  # related name of the records this step completes (None: new)


STEPS: dict[str, Step] = {
    s.key: s
    for s in (
        Step("referral", "Referral", ReferralForm),
        Step("assessment", "Start an assessment", AssessmentForm),
        Step(
            "assessment-authorise",
            "Authorise an assessment",
            AssessmentAuthoriseForm,
            "assessments",
        ),
        Step("strategy", "Strategy discussion (section 47 enquiry)", StrategyForm),
        Step("section47-outcome", "Section 47 outcome", Section47OutcomeForm, "section47s"),
        Step("icpc", "Initial child protection conference", ICPCForm),
        Step("cp-plan", "Child protection plan", CPPlanForm),
        Step("rcpc", "Review child protection conference", RCPCForm),
        Step("cin-plan", "Child in need plan", CINPlanForm),
        Step("care-episode", "Care episode or placement change", CareEpisodeForm),
        Step("missing", "Missing episode", MissingForm),
        Step("rhi", "Return-home interview", RHIForm, "missing_episodes"),
        Step("lac-review", "Looked-after review", LACReviewForm),
        Step("visit", "Visit", VisitForm),
        Step("note", "Case note", NoteForm),
    )
}


class CharacteristicsForm(forms.ModelForm):
    """The child's ethnicity and disabilities; each shown only to those who may change it."""

    #: form field -> the field class (safeguard.access.fields) that must be writable.
    classes = {"ethnicity": "ethnicity", "disabilities": "health"}

    disabilities = forms.MultipleChoiceField(
        choices=cin.DISABILITY.choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Disability",
    )

    class Meta:
        model = jm.Child
        fields = ["ethnicity", "disabilities"]

    def __init__(self, *args, writable: frozenset[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, cls in self.classes.items():
            if cls not in writable:
                del self.fields[name]


class ChildDetailsForm(forms.ModelForm):
    """The child's identity, for a contact about a child not yet known."""

    class Meta:
        model = jm.Child
        fields = ["first_name", "last_name", "date_of_birth", "sex"]
        widgets = _dates(["date_of_birth"])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True


class ContactForm(forms.ModelForm):
    class Meta:
        model = jm.Contact
        fields = ["received_at", "contact_source", "summary"]
        widgets = _dates(["received_at"], "datetime")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=local.MASH_DECISION.choices(), widget=forms.RadioSelect, label="Threshold decision"
    )
    decided_at = forms.DateTimeField(widget=DATETIME_WIDGET, label="Decided")
    team = forms.ModelChoiceField(
        Team.objects.all(),
        required=False,
        label="Team to take the referral",
        help_text="Needed for a referral.",
    )
    worker = forms.ModelChoiceField(
        Worker.objects.filter(leave_date__isnull=True),
        required=False,
        label="Allocate to (optional)",
    )
    authorise = forms.BooleanField(
        required=False, label="I am a manager and authorise this decision"
    )


class TransferForm(forms.Form):
    team = forms.ModelChoiceField(Team.objects.all(), label="Team")
    worker = forms.ModelChoiceField(
        Worker.objects.filter(leave_date__isnull=True), required=False, label="Worker"
    )
    reason = forms.ChoiceField(choices=local.ALLOCATION_REASON.choices(), label="Reason")
    on = forms.DateField(widget=DATE_WIDGET, label="Date of transfer")


class BreakGlassForm(forms.Form):
    reason_code = forms.ChoiceField(
        choices=REASON_CODES, widget=forms.RadioSelect, label="Why do you need this record?"
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Explain",
        help_text="At least 20 characters. Your manager will review this.",
    )


class DocumentForm(forms.Form):
    """Attach a document to the child's record. The file's checks are `document_store`'s."""

    title = forms.CharField(max_length=200, help_text="For example: Child protection plan, signed")
    kind = forms.ChoiceField(label="Kind of document", choices=local.DOCUMENT_KIND.choices())
    file = forms.FileField(
        help_text="PDF, PNG or JPEG image, Word (.docx) or Excel (.xlsx); up to {mb} MB.",
        allow_empty_file=True,  # an empty file gets document_store's own message
    )

    def __init__(self, *args, max_mb: float, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text.format(mb=max_mb)
