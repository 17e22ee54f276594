"""Children in need (CIN) census code lists.

Taken from shared/reference/cin-census.md section 3 (compiled from the DfE CIN census guide via
open-source encodings). Years are collection years named by the year they end: 2019 = 2018-19.
Items the reference marks **[verify]** are flagged in comments here too.
"""

from __future__ import annotations

from .base import code_list

_SRC = "DfE CIN census 2018-19, via shared/reference/cin-census.md"

# --- Gender / sex -----------------------------------------------------------------------------
# GenderCurrent (N00065) is the CIN item up to 2023-24; from 2024-25 it is replaced by Sex (N00783).

GENDER_CURRENT = code_list(
    "GENDER_CURRENT",
    "DfE CIN census GenderCurrent (N00065), collected up to 2023-24, "
    "via shared/reference/cin-census.md",
    ("1", "Male", None, 2024),
    ("2", "Female", None, 2024),
    ("9", "Indeterminate", None, 2024),
    ("0", "Not recorded / unborn", None, 2024),
)

# The sex recorded on the case record, in the 1/2/9/0 coding used by GenderCurrent and (1/2 only)
# by the SSDA903 SEX column. No year limits: this is the case system's own field.
SEX = code_list(
    "SEX",
    "DfE CIN census GenderCurrent (N00065) codes, via shared/reference/cin-census.md",
    ("1", "Male"),
    ("2", "Female"),
    ("9", "Indeterminate"),
    ("0", "Not recorded / unborn"),
)

# Sex (N00783) as returned in the CIN census from 2024-25 (rule 4180: M, F or U; rule 8750:
# unborn -> U). [verify]
CIN_SEX = code_list(
    "CIN_SEX",
    "DfE CIN census Sex (N00783), from 2024-25, via shared/reference/cin-census.md",
    ("M", "Male", 2025),
    ("F", "Female", 2025),
    ("U", "Unknown / unborn", 2025),
)

# --- Ethnicity (same 20 codes in CIN, SSDA903 ETHNIC and Annex A) ----------------------------

ETHNICITY = code_list(
    "ETHNICITY",
    "DfE CIN census / SSDA903 ethnicity (N00177), via shared/reference/cin-census.md",
    ("WBRI", "White British"),
    ("WIRI", "White Irish"),
    ("WIRT", "Traveller of Irish heritage"),
    ("WOTH", "Any other White background"),
    ("WROM", "Gypsy/Roma"),
    ("MWBC", "White and Black Caribbean"),
    ("MWBA", "White and Black African"),
    ("MWAS", "White and Asian"),
    ("MOTH", "Any other mixed background"),
    ("AIND", "Indian"),
    ("APKN", "Pakistani"),
    ("ABAN", "Bangladeshi"),
    ("AOTH", "Any other Asian background"),
    ("BCRB", "Caribbean"),
    ("BAFR", "African"),
    ("BOTH", "Any other Black background"),
    ("CHNE", "Chinese"),
    ("OOTH", "Any other ethnic group"),
    ("REFU", "Refused"),
    ("NOBT", "Information not yet obtained"),
)

# --- Disability (N00099) ----------------------------------------------------------------------
# NONE cannot be combined with other codes (rule 8790); no duplicates (8794).

DISABILITY = code_list(
    "DISABILITY",
    _SRC,
    ("NONE", "No disability"),
    ("MOB", "Mobility"),
    ("HAND", "Hand function"),
    ("PC", "Personal care"),
    ("INC", "Incontinence"),
    ("COMM", "Communication"),
    ("LD", "Learning"),
    ("HEAR", "Hearing"),
    ("VIS", "Vision"),
    ("BEH", "Behaviour"),
    ("CON", "Consciousness"),
    ("AUT", "Autism/Asperger syndrome"),
    ("DDA", "Other DDA"),
)

# --- UPNunknown (N00135) -- wording of UN1-UN6 is [verify] -----------------------------------

UPN_UNKNOWN = code_list(
    "UPN_UNKNOWN",
    _SRC,
    ("UN1", "Child not yet in school / no UPN"),
    ("UN2", "Child never attended school in England (e.g. abroad)"),
    ("UN3", "Child educated outside the maintained sector / no UPN assigned"),
    ("UN4", "UPN not yet obtained (new case)"),
    ("UN5", "Sources collating UPNs reflect discrepancy"),
    ("UN6", "Child aged under 6 not in school"),
    ("UN7", "Referral with no further action"),
)

# --- ReferralSource (N00152) ------------------------------------------------------------------

REFERRAL_SOURCE = code_list(
    "REFERRAL_SOURCE",
    _SRC,
    ("1A", "Individual – family member/relative/carer"),
    ("1B", "Individual – acquaintance (including neighbours and child minders)"),
    ("1C", "Individual – self"),
    ("1D", "Individual – other (including strangers)"),
    ("2A", "Schools"),
    ("2B", "Education services"),
    ("3A", "Health services – GP"),
    ("3B", "Health services – health visitor"),
    ("3C", "Health services – school nurse"),
    ("3D", "Health services – other primary health services"),
    ("3E", "Health services – A&E (emergency department)"),
    ("3F", "Health services – other (e.g. hospice)"),
    ("4", "Housing (LA housing or housing association)"),
    ("5A", "LA services – social care (e.g. adult social care)"),
    ("5B", "LA services – other internal (e.g. youth offending, excluding housing)"),
    ("5C", "LA services – external (e.g. another LA's adult social care)"),
    ("5D", "LA services – early help", 2023),
    ("6", "Police"),
    ("7", "Other legal agency (courts, probation, immigration, CAFCASS, prison)"),
    ("8", "Other (children's centres, independent agency providers, voluntary organisations)"),
    ("9", "Anonymous"),
    ("10", "Unknown"),
)

# --- PrimaryNeedCode (N00101); N1-N8 are also the SSDA903 CIN category of need -----------------

PRIMARY_NEED = code_list(
    "PRIMARY_NEED",
    _SRC,
    ("N1", "Abuse or neglect"),
    ("N2", "Child's disability"),
    ("N3", "Parental disability or illness"),
    ("N4", "Family in acute stress"),
    ("N5", "Family dysfunction"),
    ("N6", "Socially unacceptable behaviour"),
    ("N7", "Low income"),
    ("N8", "Absent parenting"),
    ("N9", "Cases other than children in need"),
    ("N0", "Not stated"),
)

# --- ReasonForClosure (N00103): RC1-RC8 in 2018-19, RC9 from 2022-23 ---------------------------

REASON_FOR_CLOSURE = code_list(
    "REASON_FOR_CLOSURE",
    _SRC,
    ("RC1", "Adopted"),
    ("RC2", "Died"),
    ("RC3", "Child arrangements order"),
    ("RC4", "Special guardianship order"),
    ("RC5", "Transferred to services of another local authority"),
    ("RC6", "Transferred to adult social care services"),
    ("RC7", "Services ceased for any other reason, including child no longer in need"),
    ("RC8", "Case closed after assessment, no further action"),
    ("RC9", "Case closed after assessment, referred to early help", 2023),
)

# --- Initial / latest category of abuse (N00113 / N00114) --------------------------------------

CATEGORY_OF_ABUSE = code_list(
    "CATEGORY_OF_ABUSE",
    _SRC,
    ("NEG", "Neglect"),
    ("PHY", "Physical abuse"),
    ("SAB", "Sexual abuse"),
    ("EMO", "Emotional abuse"),
    ("MUL", "Multiple / not recommended"),
)

# --- Factors identified at assessment (N00181) ------------------------------------------------
# The 2018-19 list, plus the later changes the reference records:
# - 24A child criminal exploitation: added "~2019-20/2021-22" [verify year]; taken as 2019-20.
# - 18A/19A split into 18B/18C and 19B/19C "from ~2020-21" [verify]; after that 18A/19A only
#   raise queries 8945Q/8950Q, but new records should use the split codes, so 18A/19A end 2019-20.

_PERSON = (
    ("A", "the child"),
    ("B", "the parent(s)/carer(s)"),
    ("C", "another person living in the household"),
)


def _by_person(number: str, topic: str) -> tuple[tuple[str, str], ...]:
    return tuple((f"{number}{letter}", f"{topic} – concern about {who}") for letter, who in _PERSON)


ASSESSMENT_FACTORS = code_list(
    "ASSESSMENT_FACTORS",
    "DfE CIN census 2018-19 assessment factors (N00181), with later changes, "
    "via shared/reference/cin-census.md",
    *_by_person("1", "Alcohol misuse"),
    *_by_person("2", "Drug misuse"),
    ("3A", "Domestic violence – child subject"),
    ("3B", "Domestic violence – parent/carer subject"),
    ("3C", "Domestic violence – another person subject"),
    *_by_person("4", "Mental health"),
    *_by_person("5", "Learning disability"),
    *_by_person("6", "Physical disability or illness"),
    ("7A", "Young carer"),
    ("8B", "Privately fostered – overseas children who intend to return"),
    ("8C", "Privately fostered – overseas children who intend to stay"),
    ("8D", "Privately fostered – UK children in educational placements"),
    ("8E", "Privately fostered – UK children making alternative family arrangements"),
    ("8F", "Privately fostered – other"),
    ("9A", "Unaccompanied asylum-seeking child"),
    ("10A", "Going/being missing"),
    ("11A", "Child sexual exploitation"),
    ("12A", "Trafficking"),
    ("13A", "Gangs"),
    ("14A", "Socially unacceptable behaviour"),
    ("15A", "Self-harm"),
    ("16A", "Abuse or neglect – neglect"),
    ("17A", "Abuse or neglect – emotional abuse"),
    ("18A", "Abuse or neglect – physical abuse", None, 2020),
    ("18B", "Abuse or neglect – physical abuse, child on child", 2021),
    ("18C", "Abuse or neglect – physical abuse, adult on child", 2021),
    ("19A", "Abuse or neglect – sexual abuse", None, 2020),
    ("19B", "Abuse or neglect – sexual abuse, child on child", 2021),
    ("19C", "Abuse or neglect – sexual abuse, adult on child", 2021),
    ("20", "Other"),
    ("21", "No factors identified"),
    ("22A", "Female genital mutilation"),
    ("23A", "Abuse linked to faith or belief"),
    ("24A", "Child criminal exploitation", 2020),
)

# Factor 21 must be the only factor recorded for an assessment (rule 8869).
NO_FACTORS_IDENTIFIED = "21"
