"""Defences every return codec uses before and while reading a file, and when writing cells.

An uploaded return comes from outside, so it is treated as hostile until proved otherwise:
- its size is checked before any parsing (`check_size`);
- XML: a DOCTYPE or ENTITY declaration is refused outright (`check_xml_prolog`): a return never
  needs one, and refusing it stops billion-laughs and external-entity attacks before the parser
  sees them; the parser itself runs with entities, DTD loading and network access off, and
  nesting is bounded (see `safe_iterparse`, `check_depth`);
- XLSX: the zip is inspected before openpyxl opens it (`check_xlsx`, through `check_zip`, which
  attachments to a child's record use too): member count, total uncompressed size, compression
  ratio (a zip bomb), external links; and a DOCTYPE in any of its XML parts (XXE in
  sharedStrings.xml, say);
- CSV/XLSX out: `escape_cell` stops a cell being read by Excel as a formula.
Each refusal is a `ReturnRefused` carrying a `Problem` in words a user can act on.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import polars as pl
from lxml import etree

from .codec import Problem, ReturnRefused

#: Largest return accepted, in bytes: 200 MB is about 125,000 children of CIN census XML.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: No return nests deeper than about 8 elements; anything past this is an attack or not a return.
MAX_XML_DEPTH = 64
#: The parser's own hard limit with huge_tree off (libxml2's xmlParserMaxDepth).
LIBXML_MAX_DEPTH = 256
#: How much of an XML file's start is searched for a DOCTYPE (it can only come before the root).
PROLOG_BYTES = 64 * 1024
#: XLSX limits: a real Annex A workbook has a few dozen parts and is a few MB unzipped.
MAX_XLSX_MEMBERS = 1_000
MAX_XLSX_UNZIPPED = 500 * 1024 * 1024
MAX_ZIP_RATIO = 100

WHOLE_FILE = "whole file"
TOO_BIG = "The file is {size:,} bytes; the limit is {limit:,} bytes: it is refused unread."
DOCTYPE_REFUSED = (
    "The file declares a DOCTYPE or ENTITY. Returns never need one, and it can be used to attack "
    "the server, so the file is refused. Export the return again without a DOCTYPE."
)
TOO_DEEP = "Elements are nested more than {limit} deep; no return is shaped like that."
NOT_XML = "The file is not well-formed XML: {error}"
NOT_XLSX = "The file is not a readable XLSX workbook (zip): {error}"
NOT_ZIP = "The file is not a readable zip archive: {error}"
ZIP_TOO_MANY = "The {noun} has {count:,} parts; the limit is {limit:,}."
ZIP_TOO_BIG = "The {noun} unzips to {size:,} bytes; the limit is {limit:,}."
ZIP_BOMB = "A part of the {noun} ({name}) is compressed {ratio:,.0f} times: a zip bomb."
ZIP_EXTERNAL = "The {noun} links to other workbooks or files ({name}); links are refused."
ZIP_ENCRYPTED = "The {noun} is encrypted; save it without a password and upload it again."

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

#: Called with the number of bytes read so far, when a progress display is listening.
progress_hook: ContextVar[Callable[[int], None] | None] = ContextVar("progress_hook", default=None)


def refuse(
    path: Path | str, rule: str, *, location: str = WHOLE_FILE, field: str = "", value: str = ""
) -> ReturnRefused:
    """A refusal of a whole file, with one problem (raise the result)."""
    return ReturnRefused([Problem(Path(path).name, location, field, value, rule)])


def check_size(path: Path, *, limit: int = MAX_FILE_BYTES) -> int:
    """The file's size; refuse it when over the limit, before anything parses it."""
    size = Path(path).stat().st_size
    if size > limit:
        raise refuse(path, TOO_BIG.format(size=size, limit=limit))
    return size


def check_xml_prolog(path: Path) -> None:
    """Refuse an XML file whose prolog declares a DOCTYPE or entities."""
    with open(path, "rb") as f:
        if _declares_doctype(f.read(PROLOG_BYTES)):
            raise refuse(path, DOCTYPE_REFUSED, field="DOCTYPE")


def _declares_doctype(head: bytes) -> bool:
    """Whether an XML prolog (its first PROLOG_BYTES, UTF-8 or UTF-16) declares a DOCTYPE."""
    if head[:2] in _UTF16_BOMS:
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return _DOCTYPE.search(head) is not None


class _CountingReader:
    """A binary file wrapper that tells the progress hook how far the reader has got."""

    def __init__(self, raw: IO[bytes], hook: Callable[[int], None] | None):
        self._raw, self._hook, self._done = raw, hook, 0

    def read(self, n: int = -1) -> bytes:
        chunk = self._raw.read(n)
        self._done += len(chunk)
        if self._hook is not None:
            self._hook(self._done)
        return chunk

    def close(self) -> None:
        self._raw.close()


def open_checked(path: Path, *, limit: int = MAX_FILE_BYTES) -> _CountingReader:
    """Open a return for reading after the size check; reports progress when listened to."""
    check_size(path, limit=limit)
    return _CountingReader(open(path, "rb"), progress_hook.get())  # noqa: SIM115


def safe_iterparse(
    path: Path, *, tags: Iterable[str], limit: int = MAX_FILE_BYTES
) -> Iterator[etree._Element]:
    """Yield each completed element with one of `tags`, streaming, after the safety checks.

    The caller clears what it has used, so memory stays flat however big the file is. Depth:
    libxml2 (huge_tree off) stops at 256 levels, reported as `TOO_DEEP`; below that, every codec
    refuses any element its return does not have, so a return-shaped file is at most a few
    levels deep and anything deeper is refused as unknown structure. Tracking depth here with
    start events would double the parsing time.
    """
    check_xml_prolog(path)
    reader = open_checked(path, limit=limit)
    parser = etree.iterparse(
        reader,
        events=("end",),
        tag=tuple(tags),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _event, elem in parser:
            yield elem
        if parser.root is not None and parser.root.getroottree().docinfo.doctype:
            raise refuse(path, DOCTYPE_REFUSED, field="DOCTYPE")
    except etree.XMLSyntaxError as error:
        if "depth" in str(error).lower():
            raise refuse(
                path, TOO_DEEP.format(limit=LIBXML_MAX_DEPTH), location=_line_of(error)
            ) from error
        raise refuse(path, NOT_XML.format(error=error), location=_line_of(error)) from error
    finally:
        reader.close()


def check_depth(path: Path, elem: etree._Element, *, max_depth: int = MAX_XML_DEPTH) -> None:
    """Refuse when an element's subtree nests deeper than `max_depth` (for open-shaped codecs)."""
    stack = [(elem, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            raise refuse(path, TOO_DEEP.format(limit=max_depth), location=f"line {node.sourceline}")
        stack.extend((c, depth + 1) for c in node)


def _line_of(error: etree.XMLSyntaxError) -> str:
    line = getattr(error, "lineno", None) or (error.position[0] if error.position else None)
    return f"line {line}" if line else WHOLE_FILE


def check_xlsx(
    path: Path,
    *,
    limit: int = MAX_FILE_BYTES,
    max_members: int = MAX_XLSX_MEMBERS,
    max_unzipped: int = MAX_XLSX_UNZIPPED,
    max_ratio: int = MAX_ZIP_RATIO,
) -> None:
    """Refuse a workbook that is too big, a zip bomb, encrypted, linked to other files, or
    declares entities in an XML part."""
    check_size(path, limit=limit)
    members = check_zip(
        path,
        noun="workbook",
        not_zip=NOT_XLSX,
        max_members=max_members,
        max_unzipped=max_unzipped,
        max_ratio=max_ratio,
    )
    _check_xml_parts(path, members)


def _check_xml_parts(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Refuse a workbook any of whose XML parts (sharedStrings.xml, a sheet...) declares a
    DOCTYPE or ENTITY: XXE. Only each part's prolog is unzipped, after the bomb checks;
    openpyxl's parser (defusedxml) would refuse it too, but as an unreadable workbook."""
    with zipfile.ZipFile(path) as zf:
        for member in members:
            if member.filename.lower().endswith((".xml", ".rels", ".vml")):
                with zf.open(member) as part:
                    if _declares_doctype(part.read(PROLOG_BYTES)):
                        raise refuse(path, DOCTYPE_REFUSED, field=member.filename)


def check_zip(
    path: Path,
    *,
    noun: str = "archive",
    not_zip: str = NOT_ZIP,
    max_members: int = MAX_XLSX_MEMBERS,
    max_unzipped: int = MAX_XLSX_UNZIPPED,
    max_ratio: int = MAX_ZIP_RATIO,
) -> list[zipfile.ZipInfo]:
    """Refuse a zip (any Office Open XML file) that is a bomb, encrypted or linked to other
    files, from its central directory alone: nothing is extracted. Returns its members.

    `noun` names the file in messages ("workbook" for a return, "document" for an attachment).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise refuse(path, not_zip.format(error=error)) from error
    if len(members) > max_members:
        raise refuse(path, ZIP_TOO_MANY.format(noun=noun, count=len(members), limit=max_members))
    total = sum(m.file_size for m in members)
    if total > max_unzipped:
        raise refuse(path, ZIP_TOO_BIG.format(noun=noun, size=total, limit=max_unzipped))
    for m in members:
        _check_member(path, m, max_ratio, noun)
    return members


def _check_member(path: Path, member: zipfile.ZipInfo, max_ratio: int, noun: str) -> None:
    if member.flag_bits & 0x1:
        raise refuse(path, ZIP_ENCRYPTED.format(noun=noun), field=member.filename)
    ratio = member.file_size / max(member.compress_size, 1)
    # Small parts compress well legitimately; only a big part at a huge ratio is a bomb.
    if member.file_size > 1024 * 1024 and ratio > max_ratio:
        raise refuse(
            path,
            ZIP_BOMB.format(noun=noun, name=member.filename, ratio=ratio),
            field=member.filename,
        )
    name = member.filename.lower()
    if "externallink" in name:
        raise refuse(
            path, ZIP_EXTERNAL.format(noun=noun, name=member.filename), field=member.filename
        )


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def escape_cell(value: Any) -> Any:
    """A cell value safe to open in Excel: text that would start a formula gets a leading '.

    Numbers, dates and booleans pass through; so does text that is a plain number ("-3"),
    which Excel reads as a number, not a formula.
    """
    if value is None or isinstance(value, bool | int | float | date | datetime):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


#: Text `escape_cell` prefixed: a ' then what would start a formula, and not a plain number.
_ESCAPED = re.compile(r"^'[=+\-@\t\r]")


def unescape_cell(value: Any) -> Any:
    """Undo `escape_cell` on reading a file we may have written, so an exported return reads
    back as it was ("'=x" -> "=x"); anything else passes through."""
    if isinstance(value, str) and _ESCAPED.match(value) and not _PLAIN_NUMBER.match(value[1:]):
        return value[1:]
    return value


def unescaped(column: pl.Expr) -> pl.Expr:
    """`unescape_cell` over a text column."""
    plain = column.str.slice(1).str.contains(_PLAIN_NUMBER.pattern)
    hit = column.str.contains(_ESCAPED.pattern) & ~plain
    return pl.when(hit).then(column.str.slice(1)).otherwise(column)


def sha256_of(paths: Iterable[Path]) -> str:
    """One fingerprint for a set of files (order-free), to know when a return is loaded again."""
    digests = []
    for p in paths:
        h = hashlib.sha256()
        with open(p, "rb") as f:
            for block in iter(lambda f=f: f.read(1 << 20), b""):
                h.update(block)
        digests.append(h.hexdigest())
    return hashlib.sha256("".join(sorted(digests)).encode()).hexdigest()
