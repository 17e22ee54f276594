"""SSDA903 (children looked after return) code lists.

Taken from shared/reference/ssda903.md section 3 (compiled from the DfE 903 guide via open-source
encodings). Years are collection years named by the year they end: 2019 = 2018-19.
Items the reference marks **[verify]** are flagged in comments here too.
"""

from __future__ import annotations

from .base import code_list

_SRC = "DfE SSDA903 2018-19, via shared/reference/ssda903.md"

# --- Episodes -----------------------------------------------------------------------------------

RNE = code_list(
    "RNE",
    _SRC,
    ("S", "Started to be looked after"),
    ("L", "Change of legal status only"),
    ("P", "Change of placement (i.e. carer) only"),
    ("B", "Change of both legal status and placement (carer) at the same time"),
    ("T", "Change of placement (placement type/provider) but same carer only"),
    ("U", "Change of legal status and change of placement (but same carer) at the same time"),
)

LEGAL_STATUS = code_list(
    "LEGAL_STATUS",
    _SRC,
    ("C1", "Interim care order"),
    ("C2", "Full care order"),
    ("D1", "Freeing order granted"),
    ("E1", "Placement order granted"),
    ("V2", "Single period of accommodation under section 20 (Children Act 1989)"),
    (
        "V3",
        "Accommodated under an agreed series of short-term breaks, "
        "when individual episodes of care are recorded",
    ),
    (
        "V4",
        "Accommodated under an agreed series of short-term breaks, "
        "when agreements are recorded (not individual episodes)",
    ),
    ("L1", "Under police protection and in local authority accommodation"),
    ("L2", "Emergency protection order"),
    ("L3", "Under child assessment order and in local authority accommodation"),
    ("J1", "Remanded to local authority accommodation or to youth detention accommodation"),
    ("J2", "Placed in local authority accommodation under PACE 1984, incl. secure accommodation"),
    (
        "J3",
        "Sentenced to youth rehabilitation order with residence or intensive fostering requirement",
    ),
)

# Category of need at the start of the period of care (must not change within it, rule 504).
CATEGORY_OF_NEED = code_list(
    "CATEGORY_OF_NEED",
    _SRC,
    ("N1", "Abuse or neglect"),
    ("N2", "Child's disability"),
    ("N3", "Parental illness or disability"),
    ("N4", "Family in acute stress"),
    ("N5", "Family dysfunction"),
    ("N6", "Socially unacceptable behaviour"),
    ("N7", "Low income"),
    ("N8", "Absent parenting"),
)

# Placement type. The 2018-19 list is unchanged through 2022-23. Later changes per the reference:
# - from 28 Oct 2023 P2 is invalid for *new* placements (rule 217t) but stays in the list;
# - 2024-25 adds K3 (supported accommodation, registered) [verify];
# - 2025-26 drops H5 and P2 and replaces Z1 by Z11-Z14 (meanings not in the sources) [verify].
PLACE = code_list(
    "PLACE",
    "DfE SSDA903 2018-19 placement types with year-by-year changes to 2025-26, "
    "via shared/reference/ssda903.md",
    (
        "A3",
        "Placed for adoption with parental/guardian consent with current foster carer(s) "
        "(s19 ACA 2002), or freeing order where consent given",
    ),
    ("A4", "Placed for adoption with parental/guardian consent not with current foster carer(s)"),
    (
        "A5",
        "Placed for adoption with placement order (s21 ACA 2002) with current foster carer(s), "
        "or freeing order where consent dispensed with",
    ),
    ("A6", "Placed for adoption with placement order not with current foster carer(s)"),
    (
        "H5",
        "Semi-independent living accommodation not subject to Children's Homes Regulations",
        None,
        2025,
    ),
    ("K1", "Secure children's home"),
    ("K2", "Children's home subject to Children's Homes Regulations"),
    ("K3", "Supported accommodation (registered)", 2025),
    ("P1", "Placed with own parent(s) or other person(s) with parental responsibility"),
    (
        "P2",
        "Independent living, e.g. flat, lodgings, bedsit, B&B or with friends, "
        "with or without formal support",
        None,
        2025,
    ),
    ("P3", "Residential employment"),
    ("R1", "Residential care home"),
    ("R2", "NHS/health trust or other establishment providing medical or nursing care"),
    ("R3", "Family centre or mother and baby unit"),
    ("R5", "Young offender institution or prison"),
    ("S1", "All residential schools, except where dual-registered as a school and children's home"),
    ("T0", "All types of temporary move"),
    ("T1", "Temporary periods in hospital"),
    ("T2", "Temporary absences of the child on holiday"),
    ("T3", "Temporary accommodation whilst normal foster carer(s) on holiday"),
    ("T4", "Temporary accommodation of 7 days or less, for any reason not covered by T1-T3"),
    ("U1", "Foster placement with relative(s) or friend(s) – long-term fostering"),
    (
        "U2",
        "Foster placement with relative(s) or friend(s) who is also an approved adopter – "
        "fostering for adoption / concurrent planning",
    ),
    ("U3", "Foster placement with relative(s) or friend(s) – not long-term or FFA"),
    ("U4", "Foster placement with other foster carer(s) – long-term fostering"),
    (
        "U5",
        "Foster placement with other foster carer(s) who is also an approved adopter – "
        "fostering for adoption / concurrent planning",
    ),
    ("U6", "Foster placement with other foster carer(s) – not long-term or FFA"),
    ("Z1", "Other placements", None, 2025),
    ("Z11", "Other placements (Z11; description to be confirmed)", 2026),
    ("Z12", "Other placements (Z12; description to be confirmed)", 2026),
    ("Z13", "Other placements (Z13; description to be confirmed)", 2026),
    ("Z14", "Other placements (Z14; description to be confirmed)", 2026),
)

# PR0 only with P1. Not required for T0-T4 (and Z11-Z14 from 2025-26) -- rules 178/213.
PLACE_PROVIDER = code_list(
    "PLACE_PROVIDER",
    _SRC,
    ("PR0", "Parent(s) or other person(s) with parental responsibility"),
    ("PR1", "Own provision (by the local authority)"),
    ("PR2", "Other local authority provision"),
    ("PR3", "Other public provision (e.g. NHS)"),
    ("PR4", "Private provision"),
    ("PR5", "Voluntary/third sector provision"),
)

# Reason episode ceased. Special guardianship codes were E43/E44 until E45-E48 replaced them;
# liia-tools switches in its 2019 (2018-19) schema [verify exact first year].
REC = code_list(
    "REC",
    "DfE SSDA903 2018-19 reason episode ceased, with the E43/E44 -> E45-E48 change, "
    "via shared/reference/ssda903.md",
    ("X1", "Episode ceases and new episode begins on same day, for any reason"),
    ("E11", "Adopted – application for an adoption order unopposed"),
    ("E12", "Adopted – consent dispensed with by the court"),
    ("E2", "Died"),
    ("E3", "Care taken over by another local authority in the UK"),
    (
        "E4A",
        "Returned home to live with parent(s), relative(s), or other person(s) with parental "
        "responsibility as part of the care planning process",
    ),
    (
        "E4B",
        "Returned home to live with parent(s), relative(s), or other person(s) with parental "
        "responsibility not as part of the care planning process",
    ),
    (
        "E13",
        "Left care to live with parent(s), relative(s), or other person(s) with no parental "
        "responsibility",
    ),
    ("E41", "Residence order or child arrangements order (who the child lives with) granted"),
    ("E43", "Special guardianship order made to former foster carer(s)", None, 2018),
    (
        "E44",
        "Special guardianship order made to carer(s) other than former foster carer(s)",
        None,
        2018,
    ),
    (
        "E45",
        "Special guardianship order made to former foster carer(s), who was/are a relative(s) "
        "or friend(s)",
        2019,
    ),
    (
        "E46",
        "Special guardianship order made to former foster carer(s), other than relative(s) "
        "or friend(s)",
        2019,
    ),
    (
        "E47",
        "Special guardianship order made to carer(s), other than former foster carer(s), "
        "who was/are a relative(s) or friend(s)",
        2019,
    ),
    (
        "E48",
        "Special guardianship order made to carer(s), other than former foster carer(s), "
        "other than relative(s) or friend(s)",
        2019,
    ),
    (
        "E5",
        "Moved into independent living arrangement with supportive accommodation "
        "(formalised advice/support, e.g. hostels, foyers)",
    ),
    (
        "E6",
        "Moved into independent living arrangement with no formalised support "
        "(e.g. own flat, bedsit, friends)",
    ),
    ("E7", "Transferred to residential care funded by adult social care services"),
    ("E9", "Sentenced to custody"),
    ("E14", "Accommodation on remand ended"),
    (
        "E15",
        "Age assessment determined child aged 18 or over and E5, E6 and E7 do not apply "
        "(e.g. age-disputed UASC)",
    ),
    ("E16", "Child moved abroad"),
    ("E17", "Aged 18 (or over) and remained with current carers (including staying put)"),
    ("E8", "Period of being looked after ceased for any other reason"),
)

# Required when a placement ends and the child stays looked after (from 2016-17).
# CUSTOD was "added ~2019" [verify year]; no year limit is set on it here.
REASON_PLACE_CHANGE = code_list(
    "REASON_PLACE_CHANGE",
    _SRC,
    ("CARPL", "Change to/implementation of care plan"),
    ("CLOSE", "Resignation/closure of provision"),
    ("ALLEG", "Allegation (s47)"),
    ("STAND", "Standards of care concern"),
    ("APPRR", "Approval removed"),
    ("CREQB", "Carer requests placement end due to child's behaviour"),
    ("CREQO", "Carer requests placement end other than due to child's behaviour"),
    ("CHILD", "Child requests placement end"),
    ("LAREQ", "Responsible/area authority requests placement end"),
    ("PLACE", "Change in the status of placement only (same carer)"),
    ("CUSTOD", "Child removed from placement and placed in custody"),
    ("OTHER", "Other"),
)

# --- Reviews: method of the child's participation (wording [verify]) --------------------------

REVIEW_CODE = code_list(
    "REVIEW_CODE",
    _SRC,
    ("PN0", "Child aged under 4 at the time of the review"),
    ("PN1", "Child physically attends and speaks for him or herself"),
    ("PN2", "Child physically attends and an advocate speaks on his or her behalf"),
    ("PN3", "Child attends and conveys his or her view symbolically (non-verbally)"),
    (
        "PN4",
        "Child physically attends but does not speak, convey views symbolically "
        "or ask an advocate to speak",
    ),
    ("PN5", "Child does not attend physically but briefs an advocate to speak for him or her"),
    ("PN6", "Child does not attend but conveys his or her feelings by a facilitative medium"),
    ("PN7", "Child does not attend nor are his or her views conveyed to the review"),
)

# --- AD1 (adopted in year) -----------------------------------------------------------------------

SEX_ADOPTR = code_list(
    "SEX_ADOPTR",
    _SRC,
    ("M1", "Single male adopter"),
    ("F1", "Single female adopter"),
    ("MM", "Male couple"),
    ("FF", "Female couple"),
    ("MF", "Male and female couple"),
)

LS_ADOPTR = code_list(
    "LS_ADOPTR",
    _SRC,
    ("L0", "Single adopter"),
    ("L11", "Married couple (different sex)"),
    ("L12", "Married couple (same sex)"),
    ("L2", "Civil partners"),
    ("L3", "Unmarried couple (different sex)"),
    ("L4", "Unmarried couple (same sex)"),
)

# --- PlacedAdoption ------------------------------------------------------------------------------

REASON_PLACED_CEASED = code_list(
    "REASON_PLACED_CEASED",
    _SRC,
    ("RD1", "Child's needs changed subsequent to decision"),
    ("RD2", "Court did not make a placement order"),
    ("RD3", "Prospective adopters could not be found"),
    ("RD4", "Any other reason"),
)

# --- PrevPerm (P4 wording [verify]) ------------------------------------------------------------

PREV_PERM = code_list(
    "PREV_PERM",
    _SRC,
    ("P1", "Adoption"),
    ("P2", "Special guardianship order"),
    ("P3", "Residence order or child arrangements order"),
    ("P4", "Previous permanence order, type unknown"),
    ("Z1", "No previous permanence order / not known"),
)

# --- Missing -------------------------------------------------------------------------------------

MISSING = code_list(
    "MISSING",
    _SRC,
    ("M", "Missing"),
    ("A", "Away from placement without authorisation"),
)

# --- OC2 (SDQ1-SDQ5 wording [verify]) --------------------------------------------------------

SDQ_REASON = code_list(
    "SDQ_REASON",
    _SRC,
    ("SDQ1", "No form returned as child was aged under 4 or over 17"),
    ("SDQ2", "Carer refused to complete and return the questionnaire"),
    ("SDQ3", "Not possible to complete due to severity of the child's disability"),
    ("SDQ4", "Other"),
    ("SDQ5", "Child refused to complete the questionnaire"),
)

# --- OC3 (care leavers) --------------------------------------------------------------------------

IN_TOUCH = code_list(
    "IN_TOUCH",
    _SRC,
    ("YES", "Yes"),
    ("NO", "No"),
    ("DIED", "Died"),
    ("REFU", "Young person refuses contact"),
    ("NREQ", "Young person no longer requires services"),
    ("RHOM", "Returned home to parents for at least 6 months"),
)

# F3/P3 (training or employment) until 2021-22, split into F4/P4 training and F5/P5 employment
# from 2022-23 [verify split meaning].
ACTIV = code_list(
    "ACTIV",
    "DfE SSDA903 OC3 activity, with the 2022-23 F3/P3 split, via shared/reference/ssda903.md",
    ("F1", "Full-time in higher education"),
    ("P1", "Part-time in higher education"),
    ("F2", "Full-time in education other than higher education"),
    ("P2", "Part-time in education other than higher education"),
    ("F3", "Full-time in training or employment", None, 2022),
    ("P3", "Part-time in training or employment", None, 2022),
    ("F4", "Full-time in training (e.g. apprenticeship)", 2023),
    ("P4", "Part-time in training (e.g. apprenticeship)", 2023),
    ("F5", "Full-time in employment", 2023),
    ("P5", "Part-time in employment", 2023),
    ("G4", "Not in education, employment or training – illness or disability"),
    ("G5", "Not in education, employment or training – other reasons"),
    ("G6", "Not in education, employment or training – pregnancy or parenting"),
    ("0", "Not known"),
)

# ACCOM: letter = type of accommodation, digit 1 = suitable, 2 = unsuitable; 0 = not known.
_ACCOM_TYPES = (
    ("B", "With parents or relatives"),
    ("C", "Community home or other form of residential care"),
    ("D", "Semi-independent, transitional accommodation"),
    ("E", "Supported lodgings"),
    ("G", "Gone abroad"),
    ("H", "Deported"),
    ("K", "Ordinary lodgings, without formal support"),
    ("R", "Residence not known"),
    ("S", "No fixed abode / homeless"),
    ("T", "Foyers and similar supported accommodation"),
    ("U", "Independent living"),
    ("V", "Emergency accommodation"),
    ("W", "Bed and breakfast"),
    ("X", "In custody"),
    ("Y", "Other accommodation"),
    ("Z", "With former foster carers"),
)

ACCOM = code_list(
    "ACCOM",
    _SRC,
    *(
        (f"{letter}{digit}", f"{label} – {suitability}")
        for letter, label in _ACCOM_TYPES
        for digit, suitability in (("1", "suitable"), ("2", "unsuitable"))
    ),
    ("0", "Not known"),
)

# --- SWEpisodes (2023-24+; meanings inferred [verify]) -------------------------------------

SW_REASON = code_list(
    "SW_REASON",
    "DfE SSDA903 social worker episodes (from 2023-24), via shared/reference/ssda903.md",
    ("MANAGE", "Management decision", 2024),
    ("FCONTA", "Family requested change", 2024),
    ("LEFTRL", "Social worker left role", 2024),
    ("ORGRST", "Organisational restructure", 2024),
    ("TSPROC", "Transition between teams/process", 2024),
    ("ABSENC", "Social worker absence", 2024),
    ("CHCHAN", "Child requested change", 2024),
    ("PCCHAN", "Parent/carer requested change", 2024),
    ("SWDIED", "Social worker died", 2024),
    ("OTHERS", "Other", 2024),
)

# --- Groupings used by statistics and validation ---------------------------------------------

# Short-break legal statuses: excluded from most CLA statistics.
SHORT_BREAK_LEGAL_STATUSES = frozenset({"V3", "V4"})

# Placed for adoption.
ADOPTION_PLACEMENTS = frozenset({"A3", "A4", "A5", "A6"})

# Foster placements: U1-U6. (A3/A5 are adoption placements with the current foster carer and
# T3 is a temporary stay while the foster carer is on holiday; neither is a foster placement type.)
FOSTER_PLACEMENTS = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})

# Temporary placements (T0-T4): a period of care cannot start or end with one (rules 380/381).
TEMPORARY_PLACEMENTS = frozenset({"T0", "T1", "T2", "T3", "T4"})

# The LA's own provision; with FOSTER_PLACEMENTS this identifies in-house foster care.
IN_HOUSE_FOSTER_PROVIDERS = frozenset({"PR1"})

# OC3 accommodation codes judged suitable (ending in 1).
SUITABLE_ACCOM = frozenset(c.code for c in ACCOM if c.code.endswith("1"))
