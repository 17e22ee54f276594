"""Documents on a child's record: the list with the upload form, and the download.

Both go through `child_view` (the child page's own scope check, a 404 outside it, one
access-log row: a read for the page, a download for a file). The checks on the file itself
are `journey.document_store`'s; an upload bigger than the limit is refused by the security
middleware from its Content-Length, before anything reads the body (`body_limit`).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods

from safeguard.journey import document_store
from safeguard.journey.models import Child

from .access import child_download, child_view
from .forms import DocumentForm
from .pages import page

log = logging.getLogger(__name__)

ATTACHED = "{title} attached."
FILE_MISSING = "The file of this document is missing; tell the system administrator."
#: Room for the form's other fields and the multipart framing around the file.
FORM_OVERHEAD_BYTES = 64 * 1024


def _form(request: HttpRequest) -> DocumentForm:
    max_mb = round(document_store.max_bytes() / 2**20, 1)
    if request.method == "POST":
        return DocumentForm(request.POST, request.FILES, max_mb=max_mb)
    return DocumentForm(max_mb=max_mb)


@child_view
@require_http_methods(["GET", "POST"])
def child_documents(request: HttpRequest, child: Child) -> HttpResponse:
    """The child's documents, newest first, and the form to attach one."""
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                document = document_store.attach(
                    child,
                    form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    kind=form.cleaned_data["kind"],
                    user=request.user,
                )
        except document_store.DocumentRefused as refused:
            form.add_error("file", str(refused))
        else:
            messages.success(request, ATTACHED.format(title=document.title))
            return redirect("child_documents", pk=child.pk)
    return page(
        request,
        "web/section_documents.html",
        {
            "child": child,
            "tab": "documents",
            "title": "Documents",
            "form": form,
            "documents": child.documents.select_related("uploaded_by"),
        },
        status=400 if form.errors else 200,
    )


def _body_limit(size: int) -> str | None:
    """The upload page's refusal for a body over the document limit (see the middleware)."""
    if size > document_store.max_bytes() + FORM_OVERHEAD_BYTES:
        return document_store.too_big_message(document_store.BODY_TOO_BIG, size)
    return None


child_documents.body_limit = _body_limit


@child_download
@require_GET
def child_document_download(request: HttpRequest, child: Child, doc_id: int) -> FileResponse:
    """One of the child's files, as an attachment of the type the server decided."""
    document = get_object_or_404(child.documents, pk=doc_id)
    try:
        handle = open(document_store.path_of(document.stored_name), "rb")  # noqa: SIM115
    except FileNotFoundError:
        log.error("The file of document %s (%s) is missing.", document.pk, document.stored_name)
        raise Http404(FILE_MISSING) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document_store.download_name(document),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
