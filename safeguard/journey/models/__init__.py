"""The journey record's models, one module per stage of the journey."""

from .base import RECORDED, JourneyRecord, record
from .care import (
    Adoption,
    CareEpisode,
    CareLeaverContact,
    HealthOutcome,
    LookedAfterReview,
    MissingEpisode,
    PreviousPermanence,
    SocialWorkerEpisode,
)
from .child import Child
from .court import CareProceedings
from .documents import ChildDocument
from .front_door import Contact, EarlyHelpEpisode
from .need import Assessment, ChildInNeedPlan, Referral
from .protection import ChildProtectionPlan, Conference, Section47
from .visits import CaseNote, Visit

__all__ = [
    "RECORDED",
    "JourneyRecord",
    "record",
    "Child",
    "Contact",
    "EarlyHelpEpisode",
    "Referral",
    "Assessment",
    "ChildInNeedPlan",
    "Section47",
    "Conference",
    "ChildProtectionPlan",
    "CareEpisode",
    "LookedAfterReview",
    "MissingEpisode",
    "HealthOutcome",
    "CareLeaverContact",
    "Adoption",
    "PreviousPermanence",
    "SocialWorkerEpisode",
    "CareProceedings",
    "Visit",
    "CaseNote",
    "ChildDocument",
]

# Every change to the record is kept (who, when, before, after): issue 7's history.
from simple_history import register as _register  # noqa: E402

for _model in (
    Child,
    Contact,
    EarlyHelpEpisode,
    Referral,
    Assessment,
    ChildInNeedPlan,
    Section47,
    Conference,
    ChildProtectionPlan,
    CareEpisode,
    LookedAfterReview,
    MissingEpisode,
    HealthOutcome,
    CareLeaverContact,
    Adoption,
    PreviousPermanence,
    SocialWorkerEpisode,
    CareProceedings,
    Visit,
    CaseNote,
    ChildDocument,
):
    _register(_model)
