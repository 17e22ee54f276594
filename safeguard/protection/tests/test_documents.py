"""Attached documents through subject access (G25), disposal (G24) and backup (G23).

The files are crafted here; the sizes and hashes expected are of those bytes."""

from __future__ import annotations

import base64
import builtins
import gzip
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from safeguard.journey import document_store
from safeguard.journey.models import Child, ChildDocument
from safeguard.protection import media
from safeguard.protection.backup import RestoreError, backup, restore, table_hashes
from safeguard.protection.models import Disclosure
from safeguard.protection.retention import dispose
from safeguard.protection.sar import FILES_MISSING, SECTIONS, subject_access_bundle, write_bundle

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


def test_a_bundle_missing_a_file_is_refused_and_nothing_is_written(tmp_path, child, uploader):
    doc = attach(child, uploader, "letter.pdf", PDF, "Letter")
    document_store.path_of(doc.stored_name).unlink()
    with pytest.raises(CommandError) as error:
        call_command("sar", "--child", child.la_child_id, "-o", str(tmp_path / "sar"))
    assert str(error.value) == FILES_MISSING.format(names=f"documents/{doc.pk}.pdf")
    assert not (tmp_path / "sar").exists() and not Disclosure.objects.exists()


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


def _backup_lines(path: Path) -> list[str]:
    return gzip.open(path, "rt").read().splitlines()


def _rewrite(path: Path, lines: list[str]) -> None:
    with gzip.open(path, "wt") as out:
        out.write("\n".join(lines) + "\n")


def test_the_backup_carries_the_files_and_the_restore_puts_them_back(
    tmp_path, documents_dir, child, uploader, capsys
):
    letter = attach(child, uploader, "letter.pdf", PDF, "Letter")
    photo = attach(child, uploader, "photo.jpg", JPEG, "Photo")
    call_command("backup", "-o", str(tmp_path / "b.gz"))
    assert "2 document files" in capsys.readouterr().out
    manifest = json.loads(_backup_lines(tmp_path / "b.gz")[0])
    expected = sorted(
        [
            {"name": letter.stored_name.hex, "size": len(PDF), "sha256": sha(PDF)},
            {"name": photo.stored_name.hex, "size": len(JPEG), "sha256": sha(JPEG)},
        ],
        key=lambda e: e["name"],
    )
    assert manifest["media"] == expected
    before = table_hashes()
    # lose the files and the rows, then restore
    for path in documents_dir.iterdir():
        path.unlink()
    ChildDocument.objects.all().delete()
    call_command("restore", str(tmp_path / "b.gz"))
    assert "2 document files match the media manifest" in capsys.readouterr().out
    assert table_hashes() == before
    assert document_store.path_of(letter.stored_name).read_bytes() == PDF
    assert document_store.path_of(photo.stored_name).read_bytes() == JPEG


def test_a_backup_is_refused_when_a_file_is_missing_or_changed(tmp_path, child, uploader):
    doc = attach(child, uploader, "letter.pdf", PDF, "Letter")
    path = document_store.path_of(doc.stored_name)
    path.write_bytes(PDF.replace(b"1.4", b"1.7"))  # same size, other bytes
    with pytest.raises(RestoreError) as error:
        backup(tmp_path / "b.gz")
    assert str(error.value) == media.FILE_DAMAGED.format(
        pk=doc.pk, name=path.name, problem="not the file recorded (size or SHA-256 differs)"
    )
    path.unlink()
    with pytest.raises(RestoreError, match="is missing"):
        backup(tmp_path / "b.gz")


def test_a_refused_backup_leaves_no_file(tmp_path, child, uploader):
    attach(child, uploader, "letter.pdf", PDF, "Letter")
    doc = attach(child, uploader, "photo.jpg", JPEG, "Photo")
    document_store.path_of(doc.stored_name).unlink()
    with pytest.raises(RestoreError, match="is missing"):
        backup(tmp_path / "b.gz")
    assert not (tmp_path / "b.gz").exists()  # not a half-written backup with a manifest


def test_a_backup_stopped_by_an_unreadable_file_leaves_no_file(
    monkeypatch, tmp_path, documents_dir, child, uploader
):
    """Not only a refusal: any error part-way (here a document the process may not read)
    removes the half-written backup (found in review)."""
    doc = attach(child, uploader, "letter.pdf", PDF, "Letter")
    real_read = Path.read_bytes

    def unreadable(self):
        if self.name == doc.stored_name.hex:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    with pytest.raises(PermissionError):
        backup(tmp_path / "b.gz")
    assert not (tmp_path / "b.gz").exists()


def test_the_backup_reads_each_document_file_once(
    monkeypatch, tmp_path, documents_dir, child, uploader
):
    letter = attach(child, uploader, "letter.pdf", PDF, "Letter")
    photo = attach(child, uploader, "photo.jpg", JPEG, "Photo")
    opened: list[str] = []
    real_open = io.open

    def counting_open(file, *args, **kwargs):
        if Path(file).parent == documents_dir:
            opened.append(Path(file).name)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", counting_open)
    monkeypatch.setattr(builtins, "open", counting_open)
    backup(tmp_path / "b.gz")
    assert sorted(opened) == sorted([letter.stored_name.hex, photo.stored_name.hex])


def test_a_tampered_file_in_the_backup_is_refused_and_nothing_changes(
    tmp_path, documents_dir, child, uploader
):
    doc = attach(child, uploader, "letter.pdf", PDF, "Letter")
    backup(tmp_path / "b.gz")
    lines = _backup_lines(tmp_path / "b.gz")
    other = base64.b64encode(PDF.replace(b"1.4", b"1.7")).decode()
    lines[1] = json.dumps({"media": doc.stored_name.hex, "data": other})
    _rewrite(tmp_path / "t.gz", lines)
    document_store.path_of(doc.stored_name).unlink()
    live = table_hashes()
    with pytest.raises(RestoreError) as error:
        restore(tmp_path / "t.gz")
    assert str(error.value) == media.MEDIA_LINE_BAD.format(
        name=doc.stored_name.hex, problem="size or SHA-256"
    )
    assert table_hashes() == live and list(documents_dir.iterdir()) == []


def test_rows_naming_a_file_the_backup_lacks_roll_the_restore_back(
    tmp_path, documents_dir, child, uploader
):
    kept = attach(child, uploader, "letter.pdf", PDF, "Letter")
    dropped = attach(child, uploader, "photo.jpg", JPEG, "Photo")
    backup(tmp_path / "b.gz")
    lines = _backup_lines(tmp_path / "b.gz")
    manifest = json.loads(lines[0])
    manifest["media"] = [e for e in manifest["media"] if e["name"] == kept.stored_name.hex]
    media_lines = [n for n in lines[1:3] if kept.stored_name.hex in n]
    _rewrite(tmp_path / "t.gz", [json.dumps(manifest), *media_lines, *lines[3:]])
    for path in documents_dir.iterdir():
        path.unlink()
    live = table_hashes()
    with pytest.raises(RestoreError) as error:
        restore(tmp_path / "t.gz")
    assert str(error.value) == media.ROWS_DIFFER.format(names=dropped.stored_name.hex)
    assert table_hashes() == live
    assert list(documents_dir.iterdir()) == []  # the file it wrote is removed again


def test_the_folder_check_for_pg_restore(child, uploader):
    doc = attach(child, uploader, "letter.pdf", PDF, "Letter")
    entries = media.media_manifest()
    assert media.check_folder(entries) == []
    document_store.path_of(doc.stored_name).write_bytes(b"%PDF-other")
    assert media.check_folder(entries) == [doc.stored_name.hex]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
