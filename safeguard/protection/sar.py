"""Subject access bundle for a child: everything held, third-party text marked, withholdings listed.

Every model that links to a child must have a decision here: either a `Section` of the bundle
(with the fields that may carry other people's information, marked for redaction review) or an
exclusion with its reason. A model without a decision fails the test suite (G25a). Change
history of an included model is included with it, deleted records too: the council still holds
them. Professionals acting in their role are not third parties for redaction (ICO guidance), so
worker names stay.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.template import loader
from django.utils import timezone

from safeguard.journey import document_store, filetypes
from safeguard.journey.models import Child

from .models import Disclosure

REDACTION_NOTE = "Review for third-party information before disclosure."
DOCUMENTS = "journey.childdocument"
DOCUMENTS_FOLDER = "documents"
FILES_MISSING = (
    "The bundle was not written: the files of these documents are missing from the documents "
    "folder: {names}. Restore them from the backup first."
)


@dataclass(frozen=True)
class Section:
    """How one model appears in the bundle."""

    title: str
    third_party_fields: tuple[str, ...] = ()


SECTIONS: dict[str, Section] = {
    "journey.child": Section("The child", ()),
    "journey.contact": Section("Contacts", ("summary",)),
    "journey.earlyhelpepisode": Section("Early help", ()),
    "journey.referral": Section("Referrals (episodes of need)", ()),
    "journey.assessment": Section("Assessments", ()),
    "journey.childinneedplan": Section("Child in need plans", ()),
    "journey.section47": Section("Section 47 enquiries", ()),
    "journey.conference": Section("Child protection conferences", ()),
    "journey.childprotectionplan": Section("Child protection plans", ()),
    "journey.careepisode": Section("Care episodes", ("home_postcode", "placement_postcode")),
    "journey.lookedafterreview": Section("Looked-after reviews", ()),
    "journey.missingepisode": Section("Missing episodes", ()),
    "journey.healthoutcome": Section("Health outcomes", ()),
    "journey.careleavercontact": Section("Care leaver contacts", ()),
    "journey.adoption": Section("Adoption", ()),
    "journey.previouspermanence": Section("Previous permanence", ()),
    "journey.socialworkerepisode": Section("Social worker episodes", ()),
    "journey.deprivationofliberty": Section("Deprivation of liberty orders", ()),
    "journey.careproceedings": Section("Care proceedings", ()),
    "journey.visit": Section("Visits", ("note",)),
    "journey.casenote": Section("Case notes", ("text",)),
    # The files go in the bundle's documents/ folder; letters and reports often name others.
    "journey.childdocument": Section("Documents attached to the record", ("title", "file")),
    "workforce.allocation": Section("Allocations (who held the case)", ()),
    "workforce.casesupervision": Section("Case supervision", ("decisions",)),
    "access.accesslog": Section("Who has looked at the record", ()),
    "access.grant": Section("Access grants and emergency access", ("reason",)),
    "protection.disclosure": Section("Earlier subject access disclosures", ()),
    "quality.audit": Section(
        "Case-file audits", ("summary", "worker_response", "moderation_comment")
    ),
    "quality.authorisation": Section("Management authorisations", ("decision",)),
    "quality.dispute": Section("IRO disputes", ("issue", "outcome")),
    "quality.lifestorywork": Section("Life-story work", ()),
    "quality.panelrequest": Section(
        "Panel requests", ("reason", "evidence", "decision", "conditions")
    ),
    "quality.permanenceplan": Section("Permanence plans", ()),
    "quality.s20review": Section("Section 20 reviews", ()),
    "quality.task": Section("Tasks", ("title",)),
}

EXCLUDED: dict[str, str] = {
    "protection.legalhold": (
        "Litigation holds record the council's legal position, not information about the child; "
        "disclose on a case-by-case decision (legal professional privilege may apply)."
    ),
    "access.adoptionrecord": (
        "The sealed adoption case record links the identities before and after adoption and "
        "holds the adopters' address; it is disclosed only under the adoption disclosure rules "
        "(Adoption and Children Act 2002 ss. 56-65, DAIR 2005), which DPA 2018 Sch 4 para 4 "
        "keeps outside subject access."
    ),
}

EXEMPTIONS: dict[str, str] = {
    "serious-harm": "DPA 2018 Sch 3 Part 3 para 7(2): disclosure would be likely to cause "
    "serious harm to the physical or mental health of the child or another person.",
    "court-report": "DPA 2018 Sch 3 Part 3: a report to the court covered by court rules.",
    "child-expectation": "DPA 2018 Sch 3 Part 3: requested by a person with parental "
    "responsibility; the child expected or asked that it not be disclosed.",
    "child-abuse-data": "DPA 2018 Sch 3 Part 5: child abuse data; disclosure to the person with "
    "parental responsibility would not be in the child's best interests.",
    "third-party": "UK GDPR Art 15(4), DPA 2018 Sch 2 Part 3 para 16: information about another "
    "person who has not consented, and it is not reasonable to disclose without.",
}
UNKNOWN_EXEMPTION = "Unknown exemption {key!r}: use one of {keys}."


@dataclass(frozen=True)
class Withholding:
    """A record kept out of the bundle, with the exemption relied on and a note."""

    model: str  # "journey.casenote"
    pk: int
    exemption: str
    note: str = ""

    def __post_init__(self) -> None:
        if self.exemption not in EXEMPTIONS:
            raise ValueError(UNKNOWN_EXEMPTION.format(key=self.exemption, keys=sorted(EXEMPTIONS)))


@dataclass
class Bundle:
    """The bundle: sections of records (current and history), and what was withheld."""

    child_id: int
    la_child_id: str
    produced_at: str
    sections: list[dict] = field(default_factory=list)
    withheld: list[dict] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(len(s["records"]) + len(s["history"]) for s in self.sections)

    @property
    def marked(self) -> int:
        return sum(1 for s in self.sections for r in s["records"] + s["history"] if r["redact"])


def child_links(model: type[models.Model]) -> list[str]:
    """Names of the model's foreign keys to Child."""
    return [
        f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is Child
    ]


def history_base(model: type[models.Model]) -> type[models.Model] | None:
    """The model a simple-history historical model records, or None."""
    return getattr(model, "instance_type", None)


def linked_models() -> list[str]:
    """Labels of every non-historical model that links to a child (itself included)."""
    labels = [
        m._meta.label_lower
        for m in apps.get_models()
        if history_base(m) is None and (m is Child or child_links(m))
    ]
    return sorted(labels)


def undecided_models() -> list[str]:
    """Linked models with neither a section nor an exclusion: the G25a test requires none."""
    return [label for label in linked_models() if label not in SECTIONS and label not in EXCLUDED]


def _plain(value: object) -> object:
    """A JSON-safe value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def _record(obj: models.Model, model: type[models.Model], marked: tuple[str, ...]) -> dict:
    """One record's fields (codes shown with their meaning), and the fields to review."""
    values = {}
    for f in model._meta.concrete_fields:
        value = getattr(obj, f.attname)
        if f.choices and value not in (None, ""):
            value = f"{value}: {dict(f.flatchoices).get(value, '?')}"
        values[f.attname] = _plain(value)
    redact = [name for name in marked if values.get(name)]
    extra = {
        k: _plain(getattr(obj, k))
        for k in ("history_date", "history_type", "history_user_id")
        if hasattr(obj, k)
    }
    return {"pk": obj.pk, "fields": values, "redact": redact, **extra}


def _rows(model: type[models.Model], child: Child) -> models.QuerySet:
    """The model's rows about this child."""
    if model is Child:
        return model._default_manager.filter(pk=child.pk)
    links = models.Q()
    for name in child_links(model):
        links |= models.Q(**{f"{name}_id": child.pk})
    return model._default_manager.filter(links).order_by("pk")


def _section(label: str, spec: Section, child: Child, withheld: set[tuple[str, int]]) -> dict:
    """A section: current records, and history rows (including of deleted records)."""
    model = apps.get_model(label)
    records = [
        _record(o, model, spec.third_party_fields)
        for o in _rows(model, child)
        if (label, o.pk) not in withheld
    ]
    history = []
    historical = getattr(model, "history", None)
    if historical is not None:
        hmodel = historical.model
        id_name = model._meta.pk.attname
        rows = (
            hmodel.objects.filter(**{id_name: child.pk}) if model is Child else _rows(hmodel, child)
        ).order_by("history_date", "history_id")
        history = [
            _record(o, model, spec.third_party_fields) | {"record_pk": getattr(o, id_name)}
            for o in rows
            if (label, getattr(o, id_name)) not in withheld
        ]
    return {
        "model": label,
        "title": spec.title,
        "records": records,
        "history": history,
        "third_party_fields": list(spec.third_party_fields),
    }


def subject_access_bundle(child: Child, *, withhold: Sequence[Withholding] = ()) -> Bundle:
    """Everything held about the child, in sections, with the withheld items listed."""
    keep_out = {(w.model, w.pk) for w in withhold}
    bundle = Bundle(child.pk, child.la_child_id, timezone.now().isoformat())
    for label, spec in SECTIONS.items():
        if _has_model(label):
            bundle.sections.append(_section(label, spec, child, keep_out))
    bundle.withheld = [asdict(w) | {"reason": EXEMPTIONS[w.exemption]} for w in withhold]
    _name_document_files(bundle)
    return bundle


def _name_document_files(bundle: Bundle) -> None:
    """Each current document record names its file in the bundle's documents/ folder; the
    file is marked for review with the title (history rows describe, they carry no file)."""
    for section in bundle.sections:
        if section["model"] != DOCUMENTS:
            continue
        for rec in section["records"]:
            kind = filetypes.BY_CONTENT_TYPE.get(rec["fields"]["content_type"])
            rec["fields"]["file"] = (
                f"{DOCUMENTS_FOLDER}/{rec['pk']}{kind.extension if kind else ''}"
            )
            rec["redact"] = [n for n in section["third_party_fields"] if rec["fields"].get(n)]


class BundleIncomplete(Exception):
    """A file the bundle must carry is missing; nothing was written or logged."""


def _document_files(bundle: Bundle) -> list[tuple[Path, str]]:
    """(stored file, name in the bundle) of every document the bundle carries; refuses the
    bundle when a file is missing, since a disclosure without it would be incomplete."""
    files = [
        (document_store.path_of(rec["fields"]["stored_name"]), rec["fields"]["file"])
        for section in bundle.sections
        if section["model"] == DOCUMENTS
        for rec in section["records"]
    ]
    missing = [name for path, name in files if not path.exists()]
    if missing:
        raise BundleIncomplete(FILES_MISSING.format(names=", ".join(missing)))
    return files


def _has_model(label: str) -> bool:
    """True when the model is installed (the access app may not be, in some deployments)."""
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def bundle_json(bundle: Bundle) -> str:
    """The bundle as stable JSON (its SHA-256 goes in the disclosure log)."""
    body = asdict(bundle) | {
        "items": bundle.items,
        "marked_for_redaction": bundle.marked,
        "redaction_note": REDACTION_NOTE,
    }
    return json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False)


def write_bundle(
    bundle: Bundle, directory: Path, *, produced_by: AbstractBaseUser | None = None
) -> Disclosure:
    """Write bundle.json, bundle.html and the attached documents' files into `directory`, and
    log the disclosure."""
    files = _document_files(bundle)
    directory.mkdir(parents=True, exist_ok=True)
    text = bundle_json(bundle)
    (directory / "bundle.json").write_text(text, encoding="utf-8")
    for source, name in files:
        (directory / name).parent.mkdir(exist_ok=True)
        shutil.copyfile(source, directory / name)
    html = loader.get_template("protection/sar_bundle.html").render(
        {"bundle": bundle, "note": REDACTION_NOTE}
    )
    (directory / "bundle.html").write_text(html, encoding="utf-8")
    return Disclosure.objects.create(
        child_id=bundle.child_id,
        produced_by=produced_by,
        items=bundle.items,
        marked_for_redaction=bundle.marked,
        withheld=bundle.withheld,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )
