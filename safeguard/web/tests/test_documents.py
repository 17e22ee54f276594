"""G17: documents attached to a child's record, uploaded and downloaded safely.

Every file is crafted here: a 1x1 PNG, a one-page PDF, a minimal Word document, HTML posing
as a PNG, a zip bomb posing as a Word document. The scope rules are the child page's own
(conftest: sw sees a1 only; the MASH partner opens no case but w1's).
"""

from __future__ import annotations

import io
import struct
import uuid
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpResponse
from django.test import Client, RequestFactory

from safeguard.access.models import AccessLog
from safeguard.journey import document_store, filetypes
from safeguard.journey.models import ChildDocument
from safeguard.protection.middleware import SecurityHeadersMiddleware

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    """A real 1x1 white PNG: signature, IHDR, IDAT, IEND, each with its CRC."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def office_zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def docx_bytes() -> bytes:
    return office_zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document><w:body><w:p>Plan</w:p></w:body></w:document>",
        }
    )


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path) -> Path:
    folder = tmp_path / "private" / "documents"
    settings.SAFEGUARD_DOCUMENTS_DIR = folder
    return folder


def _client(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _upload(client: Client, child, name: str, content: bytes, **extra):
    data = {"title": "Signed plan", "kind": "PLAN", "file": SimpleUploadedFile(name, content)}
    return client.post(f"/children/{child.pk}/documents/", data, **extra)


def _stored(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "content_type", "download_as"),
    [
        ("plan.png", png_bytes(), "image/png", "plan.png"),
        ("conference report.pdf", PDF, "application/pdf", "conference report.pdf"),
        ("letter.docx", docx_bytes(), filetypes.DOCX.content_type, "letter.docx"),
        ("scan.png", PDF, "application/pdf", "scan.pdf"),  # the bytes decide, not the name
    ],
)
def test_a_real_file_is_kept_and_downloads_byte_identical(
    council, documents_dir, name, content, content_type, download_as
):
    child, user = council.children["a1"], council.users["social_worker"]
    client = _client(user)
    response = _upload(client, child, name, content)
    assert response.status_code == 302
    doc = ChildDocument.objects.get(child=child)
    assert (doc.original_name, doc.content_type, doc.size) == (name, content_type, len(content))
    assert doc.uploaded_by == user and doc.kind == "PLAN"
    assert _stored(documents_dir) == [doc.stored_name.hex]
    assert doc.history.get().history_user == user  # history like every journey record

    got = client.get(f"/children/{child.pk}/documents/{doc.pk}/")
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == content
    assert got["Content-Type"] == content_type
    assert got["Content-Disposition"] == f'attachment; filename="{download_as}"'
    assert got["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in got["Cache-Control"]


def test_the_sha256_is_of_the_bytes(council):
    import hashlib

    _upload(_client(council.users["social_worker"]), council.children["a1"], "p.pdf", PDF)
    assert ChildDocument.objects.get().sha256 == hashlib.sha256(PDF).hexdigest()


def test_html_named_png_is_refused_by_its_bytes(council, documents_dir):
    child = council.children["a1"]
    response = _upload(_client(council.users["social_worker"]), child, "x.png", HTML)
    assert response.status_code == 400
    expected = filetypes.NOT_ALLOWED.format(name="x.png", allowed=filetypes.allowed_titles())
    assert response.context["form"].errors["file"] == [expected]
    assert "x.png is not a file of an allowed type" in response.content.decode()
    assert not ChildDocument.objects.exists()
    assert _stored(documents_dir) == []  # the temporary file is gone too


def test_a_path_in_the_name_never_reaches_the_file_system(council, tmp_path, documents_dir):
    child = council.children["a1"]
    response = _upload(_client(council.users["social_worker"]), child, "../../x.png", png_bytes())
    assert response.status_code == 302
    doc = ChildDocument.objects.get()
    # Django keeps only the last part of an uploaded name; ours is shown, never used as a path.
    assert doc.original_name == "x.png"
    assert _stored(documents_dir) == [doc.stored_name.hex]
    assert uuid.UUID(doc.stored_name.hex).version == 4
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [documents_dir / doc.stored_name.hex]


class RawUpload:
    """An upload whose name is exactly as given: Django's own upload classes would already
    reduce it to its last part, so this checks the store's defence on its own."""

    def __init__(self, name: str, content: bytes) -> None:
        self.name, self.size, self._content = name, len(content), content

    def chunks(self, size: int):
        yield self._content


def test_the_store_itself_never_uses_the_name_as_a_path(council, tmp_path, documents_dir):
    child, user = council.children["a1"], council.users["social_worker"]
    doc = document_store.attach(
        child, RawUpload("../../x.png", png_bytes()), title="Photo", kind="PHOTO", user=user
    )
    assert doc.original_name == "x.png"
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [documents_dir / doc.stored_name.hex]


def test_the_stored_name_must_be_a_uuid(documents_dir):
    with pytest.raises(ValueError):
        document_store.path_of("../../etc/passwd")
    assert document_store.display_name("..\\..\\x.png") == "x.png"
    assert document_store.display_name("") == "document"


def test_a_zip_bomb_posing_as_docx_is_refused_before_extraction(council, documents_dir):
    bomb = office_zip(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (20 * 1024 * 1024)}
    )
    assert len(bomb) < 100_000  # 20 MB of zeros deflates to about 20 KB: a ratio near 1000
    response = _upload(
        _client(council.users["social_worker"]), council.children["a1"], "p.docx", bomb
    )
    assert response.status_code == 400
    (error,) = response.context["form"].errors["file"]
    assert error.startswith("p.docx was not saved: A part of the document (word/document.xml)")
    assert "zip bomb" in error
    assert not ChildDocument.objects.exists() and _stored(documents_dir) == []


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"notes.txt": b"hello"}, filetypes.NOT_OFFICE),
        (
            {
                "[Content_Types].xml": b"<Types/>",
                "word/document.xml": b"<w:document/>",
                "word/vbaProject.bin": b"macro",
            },
            filetypes.HAS_MACROS,
        ),
    ],
)
def test_other_zips_and_macros_are_refused(council, parts, message):
    response = _upload(
        _client(council.users["social_worker"]), council.children["a1"], "a.docx", office_zip(parts)
    )
    assert response.context["form"].errors["file"] == [message.format(name="a.docx")]
    assert not ChildDocument.objects.exists()


def test_an_empty_file_is_refused(council):
    response = _upload(
        _client(council.users["social_worker"]), council.children["a1"], "e.pdf", b""
    )
    assert response.context["form"].errors["file"] == [document_store.EMPTY.format(name="e.pdf")]


def test_a_body_over_the_limit_is_refused_before_it_is_read(council, settings):
    """The middleware refuses from Content-Length: not one byte of the body is read."""
    settings.SAFEGUARD_DOCUMENT_MAX_BYTES = 1000
    child = council.children["a1"]
    size = 1000 + 64 * 1024 + 1
    request = RequestFactory().post(
        f"/children/{child.pk}/documents/", data=b"x" * size, content_type="multipart/form-data"
    )
    read = []

    class Counting(io.BytesIO):
        def read(self, *args):
            chunk = super().read(*args)
            read.append(len(chunk))
            return chunk

    request._stream = LimitedStream(Counting(b"x" * size), size)
    reached = []
    response = SecurityHeadersMiddleware(lambda r: reached.append(r) or HttpResponse())(request)
    assert response.status_code == 413
    assert response.content.decode() == (
        f"The upload is {size:,} bytes; the limit is 1,000 bytes (0.0 MB). Nothing was saved: "
        "go back and choose a smaller file."
    )
    assert read == [] and reached == []


def test_an_oversize_upload_is_refused_end_to_end(council, settings, documents_dir):
    settings.SAFEGUARD_DOCUMENT_MAX_BYTES = 1000
    client = _client(council.users["social_worker"])
    child = council.children["a1"]
    big = _upload(client, child, "big.pdf", PDF + b"%" * (70 * 1024))  # over limit + overhead
    assert big.status_code == 413
    assert big["X-Content-Type-Options"] == "nosniff"
    # Under the body limit, over the file limit: the store refuses it, naming the file.
    near = _upload(client, child, "near.pdf", PDF + b"%" * 2000)
    assert near.status_code == 400
    size = len(PDF) + 2000
    assert near.context["form"].errors["file"] == [
        f"near.pdf is {size:,} bytes; the limit is 1,000 bytes (0.0 MB). It was not saved."
    ]
    assert not ChildDocument.objects.exists() and _stored(documents_dir) == []


def _attached(council, key: str = "a1") -> ChildDocument:
    client = _client(council.users["administrator"])
    assert _upload(client, council.children[key], "plan.pdf", PDF).status_code == 302
    return ChildDocument.objects.get(child=council.children[key])


@pytest.mark.parametrize(("role", "key"), [("social_worker", "b1"), ("mash_worker", "m1")])
def test_out_of_scope_users_cannot_upload_or_download(council, documents_dir, role, key):
    """sw is not allocated b1; the MASH partner made m1's contact but may not open the case."""
    doc = _attached(council, key)
    before = _stored(documents_dir)
    client = _client(council.users[role])
    child = council.children[key]
    assert client.get(f"/children/{child.pk}/documents/{doc.pk}/").status_code == 404
    assert client.get(f"/children/{child.pk}/documents/").status_code == 404
    assert _upload(client, child, "x.pdf", PDF).status_code == 404
    assert ChildDocument.objects.count() == 1 and _stored(documents_dir) == before
    denied = AccessLog.objects.filter(user=council.users[role], child=child)
    assert set(denied.values_list("action", flat=True)) == {AccessLog.DENIED}
    assert denied.count() == 3


def test_a_document_of_another_child_is_not_reachable_through_a_visible_child(council):
    doc = _attached(council, "b1")
    client = _client(council.users["social_worker"])  # sees a1, not b1
    assert (
        client.get(f"/children/{council.children['a1'].pk}/documents/{doc.pk}/").status_code == 404
    )


def test_a_download_writes_one_access_log_row(council):
    doc = _attached(council)
    user = council.users["social_worker"]
    client = _client(user)
    path = f"/children/{doc.child_id}/documents/{doc.pk}/"
    response = client.get(path)
    b"".join(response.streaming_content)
    rows = list(AccessLog.objects.filter(user=user).values_list("action", "child_id", "path"))
    assert rows == [(AccessLog.DOWNLOAD, doc.child_id, path)]


def test_the_upload_needs_the_csrf_token(council, documents_dir):
    client = _client(council.users["social_worker"], enforce_csrf_checks=True)
    response = _upload(client, council.children["a1"], "plan.pdf", PDF)
    assert response.status_code == 403
    assert not ChildDocument.objects.exists() and _stored(documents_dir) == []


def test_the_page_lists_the_documents_and_offers_the_form(council):
    doc = _attached(council)
    page = _client(council.users["social_worker"]).get(f"/children/{doc.child_id}/documents/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'href="/children/{doc.child_id}/documents/{doc.pk}/"' in html
    assert "plan.pdf" in html and 'enctype="multipart/form-data"' in html


def test_anonymous_users_are_sent_to_login(council):
    doc = _attached(council)
    for response in (
        Client().get(f"/children/{doc.child_id}/documents/{doc.pk}/"),
        Client().post(f"/children/{doc.child_id}/documents/", {"title": "x"}),
    ):
        assert response.status_code == 302 and "/login/" in response["Location"]
