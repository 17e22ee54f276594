"""The quality app's own code lists (local practice vocabularies, not DfE collection items)."""

from __future__ import annotations

from safeguard.codes.base import code_list

_LOCAL = "Local list (safeguard quality assurance), not a DfE collection item"

# Ofsted's four-point judgement scale, used by councils' case-file audit tools.
GRADE = code_list(
    "GRADE",
    "Ofsted ILACS judgement scale, as used by local case-file audit tools",
    ("OUTSTANDING", "Outstanding"),
    ("GOOD", "Good"),
    ("RI", "Requires improvement"),
    ("INADEQUATE", "Inadequate"),
)
#: Grade order for analysis: higher is better, so averages and "good or better" are one line.
GRADE_SCORE = {"OUTSTANDING": 4, "GOOD": 3, "RI": 2, "INADEQUATE": 1}
GOOD_OR_BETTER = frozenset({"OUTSTANDING", "GOOD"})

AUDIT_KIND = code_list(
    "AUDIT_KIND",
    _LOCAL,
    ("MONTHLY", "Monthly case-file audit programme"),
    ("THEMATIC", "Thematic audit"),
)

AUDIT_STATUS = code_list(
    "AUDIT_STATUS",
    _LOCAL,
    ("PLANNED", "Planned"),
    ("SUBMITTED", "Graded, awaiting moderation"),
    ("MODERATED", "Moderated"),
)

TASK_ORIGIN = code_list(
    "TASK_ORIGIN",
    _LOCAL,
    ("SUPERVISION", "Case supervision"),
    ("AUDIT", "Case-file audit"),
    ("PANEL", "Panel condition"),
    ("OTHER", "Other"),
)

PANEL_KIND = code_list(
    "PANEL_KIND",
    _LOCAL,
    ("ENTRY_TO_CARE", "Entry to care panel"),
    ("PLO", "Legal gateway (PLO) panel"),
)

PANEL_DECISION = code_list(
    "PANEL_DECISION",
    _LOCAL,
    ("APPROVED", "Approved"),
    ("APPROVED_COND", "Approved with conditions"),
    ("ALTERNATIVE", "Declined: alternative support agreed"),
    ("DECLINED", "Declined"),
    ("DEFERRED", "Deferred for more evidence"),
)

AUTHORISATION_KIND = code_list(
    "AUTHORISATION_KIND",
    _LOCAL,
    ("REFERRAL_DECISION", "Referral decision"),
    ("ASSESSMENT_SIGN_OFF", "Assessment sign-off"),
    ("PLAN_CHANGE", "Plan change"),
    ("CASE_CLOSURE", "Case closure"),
    ("S20_ACCOMMODATION", "Section 20 accommodation"),
)

PERMANENCE_ROUTE = code_list(
    "PERMANENCE_ROUTE",
    _LOCAL,
    ("ADOPTION", "Adoption"),
    ("LTF", "Long-term fostering"),
    ("SGO", "Special guardianship"),
    ("CAO", "Child arrangements order with family or friends"),
    ("RETURN_HOME", "Return home to parents"),
    ("RESIDENTIAL", "Long-term residential care"),
    ("INDEPENDENCE", "Supported move to independence"),
)
#: Routes that make a child's life-story work due (the seed: "particularly children going to be
#: adopted"; the issue: "every child with a plan of adoption or long-term care").
LIFE_STORY_ROUTES = frozenset({"ADOPTION", "LTF", "RESIDENTIAL", "SGO"})

DISPUTE_STAGE = code_list(
    "DISPUTE_STAGE",
    "IRO dispute resolution protocol stages (IRO Handbook 2010, ch. 6), as commonly set locally",
    ("1", "Informal: social worker / team manager"),
    ("2", "Head of service"),
    ("3", "Assistant director"),
    ("4", "Director of children's services"),
    ("5", "Referral to Cafcass"),
)
