"""A municipality's SDG alignment in its own workspace (tenant domain, /ods/): read-only.

Every member may read it (WorkspaceAccessMiddleware answers 404 to anyone else and sends
visitors to log in). It shows only this municipality's shared initiatives and what the
specialists published for them (selectors_workspace reads the public tables filtered by the
current municipality); the workflow itself lives on the public domain, for specialists."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ods_alignment import selectors_workspace as selectors
from ods_alignment.workshop_pdf import pdf_filename, workshop_pdf
from tenants.db import current_municipality, local_today


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    data = selectors.municipality_alignment(current_municipality())
    return render(
        request,
        "ods_alignment/workspace/index.html",
        {"data": data, "method_url": selectors.method_url(request)},
    )


@require_GET
def workshop(request: HttpRequest) -> HttpResponse:
    data = selectors.municipality_alignment(current_municipality())
    return render(
        request,
        "ods_alignment/workspace/workshop.html",
        {"data": data, "today": local_today(), "method_url": selectors.method_url(request)},
    )


@require_GET
def workshop_pdf_view(request: HttpRequest) -> HttpResponse:
    data = selectors.municipality_alignment(current_municipality())
    today = local_today()
    body = workshop_pdf(data, today=today, method_url=selectors.method_url(request))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(data, today)}"'
    return response
