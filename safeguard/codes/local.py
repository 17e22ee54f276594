"""Local code lists used by the case system that are not DfE collection items.

These are the council's own workflow vocabularies (front door, early help, child protection,
teams and workers). Where a DfE list fits (contact source, review participation) it is reused.
"""

from __future__ import annotations

from .base import CodeList, code_list
from .cin import REFERRAL_SOURCE
from .ssda903 import REVIEW_CODE

_LOCAL = "Local list (safeguard case system), not a DfE collection item"

# Contacts use the CIN census referral source codes (Annex A List 1 "Contact Source").
CONTACT_SOURCE = CodeList(
    name="CONTACT_SOURCE",
    source="DfE CIN census ReferralSource codes used for contacts (Annex A List 1), "
    "via shared/reference/cin-census.md",
    codes=REFERRAL_SOURCE.codes,
)

MASH_DECISION = code_list(
    "MASH_DECISION",
    _LOCAL,
    ("NFA", "No further action"),
    ("IA", "Information and advice"),
    ("EH", "Early help"),
    ("REF", "Referral to children's social care"),
)

EARLY_HELP_OUTCOME = code_list(
    "EARLY_HELP_OUTCOME",
    _LOCAL,
    ("NEEDS_MET", "Needs met"),
    ("STEP_UP", "Stepped up to children's social care"),
    ("DISENGAGED", "Family disengaged or withdrew consent"),
    ("MOVED", "Moved out of the area"),
    ("OTHER", "Other"),
)

S47_OUTCOME = code_list(
    "S47_OUTCOME",
    _LOCAL,
    ("NFA", "No further action"),
    ("CIN", "Continue as child in need"),
    ("ICPC", "Initial child protection conference"),
)

CONFERENCE_KIND = code_list(
    "CONFERENCE_KIND",
    _LOCAL,
    ("ICPC", "Initial child protection conference"),
    ("RCPC", "Review child protection conference"),
)

# ICPC outcomes: CPP, CIN, NFA. Review conference outcomes: CONTINUE, END (or CIN/NFA on ending).
CONFERENCE_OUTCOME = code_list(
    "CONFERENCE_OUTCOME",
    _LOCAL,
    ("CPP", "Child protection plan"),
    ("CIN", "Child in need plan"),
    ("NFA", "No further action"),
    ("CONTINUE", "Child protection plan continues"),
    ("END", "Child protection plan ends"),
)

TEAM_KIND = code_list(
    "TEAM_KIND",
    _LOCAL,
    ("MASH", "Multi-agency safeguarding hub"),
    ("ASSESSMENT", "Assessment"),
    ("CP_COURT", "Child protection and court"),
    ("LAC", "Children looked after"),
    ("LEAVING_CARE", "16+"),
    ("FOSTERING", "Fostering"),
    ("ADOPTION", "Adoption"),
    ("EARLY_HELP", "Early help"),
    ("DISABILITY", "Children with disabilities"),
    ("REVIEW", "Safeguarding and review"),
)

WORKER_ROLE = code_list(
    "WORKER_ROLE",
    _LOCAL,
    ("SW", "Social worker"),
    ("ASW", "Advanced social worker"),
    ("TM", "Team manager"),
    ("HOS", "Head of service"),
    ("IRO", "Independent reviewing officer"),
    ("FSW", "Family support worker"),
    ("MASH_OFFICER", "MASH officer"),
    ("ANALYST", "Performance analyst"),
    ("ADMIN", "Business support / administration"),
)

ALLOCATION_REASON = code_list(
    "ALLOCATION_REASON",
    _LOCAL,
    ("NEW", "New case"),
    ("TRANSFER", "Transfer between teams"),
    ("STEP_UP", "Stepped up from early help"),
    ("STEP_DOWN", "Stepped down to early help"),
    ("WORKER_LEFT", "Previous worker left"),
    ("CASELOAD", "Caseload balancing"),
    ("CLOSED", "Case closed"),
)

VISIT_KIND = code_list(
    "VISIT_KIND",
    _LOCAL,
    ("CP", "Child protection visit"),
    ("CIN", "Child in need visit"),
    ("CLA", "Child looked after statutory visit"),
    ("CL", "Care leaver contact"),
)

# What a document attached to a child's record is (web upload page, SAR bundle).
DOCUMENT_KIND = code_list(
    "DOCUMENT_KIND",
    _LOCAL,
    ("PLAN", "Plan (signed or agreed)"),
    ("REPORT", "Report (assessment, conference, court)"),
    ("LETTER", "Letter"),
    ("PHOTO", "Photo (life-story work)"),
    ("OTHER", "Other"),
)

# Final order (or other disposal) ending care proceedings.
PROCEEDINGS_ORDER = code_list(
    "PROCEEDINGS_ORDER",
    _LOCAL,
    ("CO", "Care order"),
    ("SO", "Supervision order"),
    ("SGO", "Special guardianship order"),
    ("CAO", "Child arrangements order"),
    ("PO", "Placement order"),
    ("NO", "No order"),
    ("WITHDRAWN", "Application withdrawn"),
)

# How the pre-proceedings (PLO) stage ended, so drift in pre-proceedings can be measured.
PLO_OUTCOME = code_list(
    "PLO_OUTCOME",
    _LOCAL,
    ("ISSUED", "Care proceedings issued"),
    ("STEPPED_DOWN", "Concerns reduced: ended without proceedings"),
    ("CASE_CLOSED", "Case closed or child moved away"),
)

# The child's participation in a looked-after review: the SSDA903 REVIEW_CODE list (PN0-PN7).
REVIEW_PARTICIPATION = REVIEW_CODE
