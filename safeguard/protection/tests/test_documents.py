"""Attached documents through subject access (G25), disposal (G24) and backup (G23)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from safeguard.journey import document_store
from safeguard.journey.models import Child, ChildDocument
from safeguard.protection.retention import dispose
from safeguard.protection.sar import SECTIONS, subject_access_bundle, write_bundle

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


class Upload:
    def __init__(self, name: str, content: bytes) -> None:
        self.name, self.size, self._content = name, len(content), content

    def chunks(self, size: int):
        yield self._content


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path) -> Path:
    settings.SAFEGUARD_DOCUMENTS_DIR = tmp_path / "documents"
    return settings.SAFEGUARD_DOCUMENTS_DIR


@pytest.fixture
def uploader(db) -> User:
    return User.objects.create_user("sam.worker")


def attach(child: Child, user: User, name: str, content: bytes, title: str) -> ChildDocument:
    return document_store.attach(child, Upload(name, content), title=title, kind="OTHER", user=user)


def test_the_bundle_lists_each_document_and_carries_its_file(tmp_path, child, uploader):
    letter = attach(child, uploader, "letter to Jo Bloggs.pdf", PDF, "Letter to neighbour")
    photo = attach(child, uploader, "beach.jpg", JPEG, "Beach day")
    assert "journey.childdocument" in SECTIONS  # decided: disclosed, marked for review
    bundle = subject_access_bundle(child)
    (section,) = [s for s in bundle.sections if s["model"] == "journey.childdocument"]
    files = {r["pk"]: r["fields"]["file"] for r in section["records"]}
    assert files == {letter.pk: f"documents/{letter.pk}.pdf", photo.pk: f"documents/{photo.pk}.jpg"}
    assert all(r["redact"] == ["title", "file"] for r in section["records"])
    assert len(section["history"]) == 2  # one "+" row each

    out = tmp_path / "sar"
    write_bundle(bundle, out)
    assert (out / files[letter.pk]).read_bytes() == PDF
    assert (out / files[photo.pk]).read_bytes() == JPEG
    listed = json.loads((out / "bundle.json").read_text())
    (doc_section,) = [s for s in listed["sections"] if s["model"] == "journey.childdocument"]
    assert {r["fields"]["sha256"] for r in doc_section["records"]} == {
        hashlib.sha256(PDF).hexdigest(),
        hashlib.sha256(JPEG).hexdigest(),
    }


def _children() -> tuple[Child, Child]:
    gone = Child.objects.create(la_child_id="GONE", date_of_birth=date(1990, 1, 1), sex="1")
    kept = Child.objects.create(la_child_id="KEPT", date_of_birth=date(2015, 1, 1), sex="1")
    return gone, kept


def test_disposal_deletes_the_files_of_the_disposed_children_only(
    documents_dir, uploader, django_capture_on_commit_callbacks
):
    gone, kept = _children()
    old = attach(gone, uploader, "plan.pdf", PDF, "Plan")
    mine = attach(kept, uploader, "photo.jpg", JPEG, "Photo")
    with django_capture_on_commit_callbacks(execute=True):
        log = dispose(date(2026, 6, 1), user=uploader)
    assert log.rows["journey_childdocument"] == [old.pk]
    assert len(log.rows["journey_historicalchilddocument"]) == 1
    assert not ChildDocument.objects.filter(pk=old.pk).exists()
    assert sorted(p.name for p in documents_dir.iterdir()) == [mine.stored_name.hex]


def test_a_disposal_that_does_not_commit_keeps_the_files(documents_dir, uploader):
    gone, _ = _children()
    old = attach(gone, uploader, "plan.pdf", PDF, "Plan")
    dispose(date(2026, 6, 1), user=uploader)  # inside the test's transaction: never committed
    assert document_store.path_of(old.stored_name).read_bytes() == PDF
