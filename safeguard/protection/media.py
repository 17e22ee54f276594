"""The media manifest of a backup: every attached document's file, by name, size and SHA-256.

The database holds each document's row; its bytes are a file in the documents folder
(`journey.document_store`). A backup is only whole with both, so its manifest lists the files
(`media_manifest`), the JSON backup carries their bytes (each file read once, checked as it is
written: `media_lines`), and a restore checks them: every file written back must match the
manifest, and the restored rows must name exactly those files with the same size and hash
(`check_rows`). For a `pg_dump` backup the files are not in the dump: copy the documents folder
with it; `pg_restore` then checks the folder against the manifest (`check_folder`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple, NoReturn

from django.db import DEFAULT_DB_ALIAS

from safeguard.journey import document_store
from safeguard.journey.models import ChildDocument

FILE_DAMAGED = (
    "Backup refused: the file of document {pk} ({name}) is {problem}; a backup without it "
    "would not restore. Put the file back, or record the loss, first."
)
MISSING = "missing"
DIFFERS = "not the file recorded (size or SHA-256 differs)"
MEDIA_LINE_UNREADABLE = "The backup is damaged: a document file's line cannot be read."
MEDIA_LINE_BAD = "The backup's file {name} does not match its manifest ({problem})."
ROWS_DIFFER = "Restore rolled back: the documents' rows and the backup's files differ: {names}."
FOLDER_DIFFERS = "The documents folder does not hold the backup's files: {names}."
_BLOCK = 1 << 20


def file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file, read in blocks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_BLOCK), b""):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


class Document(NamedTuple):
    """One document's file as its row records it: the row's pk (for errors), the file's path,
    and its manifest entry (name, size, SHA-256)."""

    pk: int
    path: Path
    entry: dict


def documents(using: str = DEFAULT_DB_ALIAS) -> list[Document]:
    """Every document's file as its row records it, in stored-name order (the manifest's).

    Read inside the backup's transaction, so the rows are those of the snapshot.
    """
    rows = ChildDocument._base_manager.using(using).order_by("stored_name")
    found = []
    for pk, stored, size, sha in rows.values_list("pk", "stored_name", "size", "sha256"):
        path = document_store.path_of(stored)
        found.append(Document(pk, path, {"name": path.name, "size": size, "sha256": sha}))
    return found


def _refuse(document: Document, problem: str) -> NoReturn:
    """Refuse the backup, naming the document and what is wrong with its file."""
    from .backup import RestoreError

    name = document.path.name
    raise RestoreError(FILE_DAMAGED.format(pk=document.pk, name=name, problem=problem))


def _check(document: Document, found: tuple[int, str]) -> None:
    """Refuse the backup if the file's size and SHA-256 (`found`) are not its row's."""
    if found != (document.entry["size"], document.entry["sha256"]):
        _refuse(document, DIFFERS)


def media_manifest(using: str = DEFAULT_DB_ALIAS) -> list[dict]:
    """Name, size and SHA-256 of every document's file, each file checked against its row.

    For a backup that does not carry the files (`pg_dump`): a file that is missing or differs
    from its row refuses the backup (RestoreError, said plainly).
    """
    entries = []
    for document in documents(using):
        if not document.path.exists():
            _refuse(document, MISSING)
        _check(document, file_digest(document.path))
        entries.append(document.entry)
    return entries


def media_lines(found: Iterable[Document]) -> Iterator[str]:
    """One JSON line per file, its bytes in base64, in manifest order.

    Each file is read once: the bytes hashed for the check against its row are the bytes
    written, so the manifest (the rows' entries) holds for every line. A file that is missing
    or differs from its row refuses the backup, as in `media_manifest`.
    """
    for document in found:
        try:
            data = document.path.read_bytes()
        except FileNotFoundError:
            _refuse(document, MISSING)
        _check(document, (len(data), hashlib.sha256(data).hexdigest()))
        line = {"media": document.entry["name"], "data": base64.b64encode(data).decode()}
        yield json.dumps(line) + "\n"


class MediaRestore:
    """Writes a backup's files back into the documents folder and can undo what it wrote."""

    def __init__(self, entries: list[dict]) -> None:
        self.expected = {e["name"]: e for e in entries}
        self.written: list[Path] = []

    def write(self, line: str) -> None:
        """Check one media line against the manifest and put its file in place (if not
        already there, byte for byte)."""
        from .backup import RestoreError

        try:
            item = json.loads(line)
            name = str(item["media"])
            data = base64.b64decode(item["data"], validate=True)
        except (ValueError, KeyError, TypeError) as error:
            raise RestoreError(MEDIA_LINE_UNREADABLE) from error
        entry = self.expected.get(name)
        if entry is None:
            raise RestoreError(MEDIA_LINE_BAD.format(name=name, problem="not in the manifest"))
        if (len(data), hashlib.sha256(data).hexdigest()) != (entry["size"], entry["sha256"]):
            raise RestoreError(MEDIA_LINE_BAD.format(name=name, problem="size or SHA-256"))
        try:
            target = document_store.path_of(name)
        except ValueError:
            target = None
        if target is None or target.name != name:  # only a UUID's hex names a file
            raise RestoreError(MEDIA_LINE_BAD.format(name=name, problem="not a stored name"))
        if target.exists() and file_digest(target) == (entry["size"], entry["sha256"]):
            return
        temp = target.with_name(f".restore-{name}")
        temp.write_bytes(data)
        os.replace(temp, target)
        self.written.append(target)

    def undo(self) -> None:
        """Remove the files this restore wrote (the database was rolled back)."""
        for path in self.written:
            path.unlink(missing_ok=True)


def _row_entries(using: str) -> set[tuple[str, int, str]]:
    rows = ChildDocument._base_manager.using(using).values_list("stored_name", "size", "sha256")
    return {(uuid.UUID(str(s)).hex, size, sha) for s, size, sha in rows}


def check_rows(entries: list[dict], using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Names where the restored rows and the manifest's files differ (empty when they agree)."""
    listed = {(e["name"], e["size"], e["sha256"]) for e in entries}
    return sorted({name for name, _, _ in listed ^ _row_entries(using)})


def check_folder(entries: list[dict]) -> list[str]:
    """Names of the manifest's files that the documents folder lacks or holds different."""
    differ = []
    for e in entries:
        path = document_store.path_of(e["name"])
        if not path.exists() or file_digest(path) != (e["size"], e["sha256"]):
            differ.append(e["name"])
    return differ
