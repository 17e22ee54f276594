"""Where attached documents are kept, and the one way a file gets there (and goes away).

Files live in SAFEGUARD_DOCUMENTS_DIR (under SAFEGUARD_VAR_DIR by default), outside every
static folder, so only the download view, after the child's scope check, ever sends one. Each
is named by its row's UUID (`stored_name`): the user's file name (`../../x.png`, a name with
odd characters) never reaches the file system. An upload is streamed to a temporary file in
that folder while its size and SHA-256 are counted, its type is decided from its bytes
(`filetypes.detect`), and only then is it renamed to its UUID and its row written.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from . import filetypes
from .models import Child, ChildDocument, record

log = logging.getLogger(__name__)

#: 20 MB: a scanned signed plan or a phone photo is a few MB.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TOO_BIG = "{name} is {size:,} bytes; the limit is {limit:,} bytes ({mb} MB). It was not saved."
BODY_TOO_BIG = (
    "The upload is {size:,} bytes; the limit is {limit:,} bytes ({mb} MB). Nothing was saved: "
    "go back and choose a smaller file."
)
EMPTY = "{name} is empty, so it was not saved."
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
_CHUNK = 1 << 20


def documents_dir() -> Path:
    """The documents folder (private: only the server's user may read it)."""
    folder = Path(
        getattr(settings, "SAFEGUARD_DOCUMENTS_DIR", Path(settings.VAR_DIR) / "media/documents")
    )
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def max_bytes() -> int:
    """The largest document accepted (SAFEGUARD_DOCUMENT_MAX_BYTES)."""
    return int(getattr(settings, "SAFEGUARD_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def too_big_message(template: str, size: int, name: str = "") -> str:
    limit = max_bytes()
    return template.format(name=name, size=size, limit=limit, mb=round(limit / 2**20, 1))


def path_of(stored_name: uuid.UUID | str) -> Path:
    """The file of a stored name; anything but a UUID is refused, so no path can escape."""
    return documents_dir() / uuid.UUID(str(stored_name)).hex


class DocumentRefused(Exception):
    """The upload was not saved; the message says why."""


@dataclass(frozen=True)
class Received:
    """A streamed upload in its temporary file: size, SHA-256 and the server's type."""

    path: Path
    size: int
    sha256: str
    kind: filetypes.FileType


def _receive(upload: UploadedFile) -> Received:
    """Stream the upload into a temporary file in the folder, counting size and SHA-256."""
    name = display_name(upload.name)
    if upload.size is not None and upload.size > max_bytes():
        raise DocumentRefused(too_big_message(TOO_BIG, upload.size, name))
    temp = documents_dir() / f".upload-{uuid.uuid4().hex}"
    digest, size = hashlib.sha256(), 0
    try:
        with open(temp, "xb") as out:
            os.chmod(temp, 0o600)
            for chunk in upload.chunks(_CHUNK):
                size += len(chunk)
                if size > max_bytes():  # the declared size may lie
                    raise DocumentRefused(too_big_message(TOO_BIG, size, name))
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise DocumentRefused(EMPTY.format(name=name))
        kind = filetypes.detect(temp, name)
    except filetypes.FileRefused as refused:
        temp.unlink(missing_ok=True)
        raise DocumentRefused(str(refused)) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Received(temp, size, digest.hexdigest(), kind)


def attach(child: Child, upload: UploadedFile, *, title: str, kind: str, user) -> ChildDocument:
    """Check and keep an uploaded file on the child's record; refuse it whole otherwise.

    Call inside a transaction: if the row cannot be written the file is removed again.
    """
    received = _receive(upload)
    document = ChildDocument(
        child=child,
        title=title,
        kind=kind,
        original_name=display_name(upload.name),
        content_type=received.kind.content_type,
        size=received.size,
        sha256=received.sha256,
        uploaded_by=user,
    )
    target = path_of(document.stored_name)
    try:
        os.replace(received.path, target)
        record(document)
    except BaseException:
        received.path.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise
    return document


def display_name(name: str | None) -> str:
    """The user's file name for showing: its last part only, at most 255 characters."""
    last = re.split(r"[\\/]", name or "")[-1].strip()
    return last[:255] or "document"


def download_name(document: ChildDocument) -> str:
    """A safe name to offer on download: the user's name reduced to plain characters, with the
    extension of the type the server decided (so a PDF named x.png downloads as x.pdf)."""
    stem = Path(display_name(document.original_name)).stem
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:80] or "document"
    kind = filetypes.BY_CONTENT_TYPE.get(document.content_type)
    return stem + (kind.extension if kind else "")


def delete_files(stored_names: Iterable[uuid.UUID | str]) -> int:
    """Remove the files of documents whose rows are gone (disposal); returns how many."""
    removed = 0
    for name in stored_names:
        path = path_of(name)
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            log.warning("Document file %s was already gone.", path.name)
    return removed
