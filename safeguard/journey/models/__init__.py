"""The journey record's models, one module per stage of the journey."""

from .adopters import Adopter
from .base import RECORDED, JourneyRecord, record
from .care import (
    Adoption,
    CareEpisode,
    CareLeaverContact,
    DeprivationOfLiberty,
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
    "DeprivationOfLiberty",
    "Adopter",
    "CareProceedings",
    "Visit",
    "CaseNote",
    "ChildDocument",
]

# Every change to the record is kept (who, when, before, after): issue 7's history.
from simple_history import register as _register  # noqa: E402

#: The history tables' indexes: an object's own history (`id`), a child's history for a subject
#: access request (`child`); simple-history's user link keeps its own (a user's removal nulls it).
#: The record's other indexes (source, dates, links between episodes) serve the record's
#: queries, never the history's, and each costs every imported row in the history table too:
#: without them a 50,000-child CIN census loads ~0.5 s of CPU faster (issue 3's benchmark).
HISTORY_INDEXED = ("id", "child")


def _unindexed_history(model) -> list[str]:
    """The fields of `model` whose index its history table leaves out."""
    return [f.name for f in model._meta.concrete_fields if f.name not in HISTORY_INDEXED]


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
    DeprivationOfLiberty,
    Adopter,
    CareProceedings,
    Visit,
    CaseNote,
    ChildDocument,
):
    _register(_model, no_db_index=_unindexed_history(_model))
