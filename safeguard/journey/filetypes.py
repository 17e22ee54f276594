"""Which files may be attached to a child's record, told by their first bytes, never their name.

A small signature table stands in for libmagic (python-magic needs the C library, which is not
on every machine that runs Safeguard); five types need nothing more. The browser's
Content-Type and the file's extension are ignored: an HTML page named `x.png` starts with `<`,
matches no signature, and is refused.

Word and Excel files are zip archives. A zip is accepted only as one of those two, after the
returns' zip checks (member count, total unzipped size, compression ratio: a zip bomb is
refused before anything is extracted) and only without macros.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from safeguard.returns import safety
from safeguard.returns.codec import ReturnRefused


@dataclass(frozen=True)
class FileType:
    """An allowed type: its name for people, its MIME type and the extension it downloads as."""

    title: str
    content_type: str
    extension: str


PDF = FileType("PDF", "application/pdf", ".pdf")
PNG = FileType("PNG image", "image/png", ".png")
JPEG = FileType("JPEG image", "image/jpeg", ".jpg")
DOCX = FileType(
    "Word document (.docx)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
)
XLSX = FileType(
    "Excel workbook (.xlsx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsx",
)
ALLOWED: tuple[FileType, ...] = (PDF, PNG, JPEG, DOCX, XLSX)
BY_CONTENT_TYPE = {t.content_type: t for t in ALLOWED}

#: First bytes of each type (ISO 32000 "%PDF-", the PNG signature, JPEG's SOI + marker).
SIGNATURES: tuple[tuple[bytes, FileType | None], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"PK\x03\x04", None),  # a zip: Word or Excel, decided by its parts
)
HEAD_BYTES = 8
#: The part that makes an Office Open XML zip a Word document or an Excel workbook.
OFFICE_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))
CONTENT_TYPES_PART = "[Content_Types].xml"

NOT_ALLOWED = (
    "{name} is not a file of an allowed type ({allowed}) by its content, whatever its name "
    "says, so it was not saved."
)
NOT_OFFICE = "{name} is a zip archive but not a Word or Excel document, so it was not saved."
HAS_MACROS = "{name} contains macros; save it without macros (.docx or .xlsx) and upload it again."
ZIP_REFUSED = "{name} was not saved: {rule}"


class FileRefused(Exception):
    """The file is not one Safeguard keeps; the message says why in words a user can act on."""


def allowed_titles() -> str:
    return ", ".join(t.title for t in ALLOWED)


def detect(path: Path, name: str) -> FileType:
    """The file's type from its bytes; refuse anything else. `name` is for messages only."""
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind or _office_type(path, name)
    raise FileRefused(NOT_ALLOWED.format(name=name, allowed=allowed_titles()))


def _office_type(path: Path, name: str) -> FileType:
    """Word or Excel, after the zip safety checks, which read only the zip's directory."""
    try:
        members = safety.check_zip(path, noun="document")
    except ReturnRefused as refused:
        raise FileRefused(ZIP_REFUSED.format(name=name, rule=refused.problems[0].rule)) from None
    parts = {m.filename for m in members}
    if any(p.lower().endswith("vbaproject.bin") for p in parts):
        raise FileRefused(HAS_MACROS.format(name=name))
    if CONTENT_TYPES_PART in parts:
        for part, kind in OFFICE_PARTS:
            if part in parts:
                return kind
    raise FileRefused(NOT_OFFICE.format(name=name))
