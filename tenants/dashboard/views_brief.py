"""The mayor's weekly brief: a printable page (/tablero/resumen/) and its PDF
(/tablero/resumen.pdf). Every member may read it (the workspace middleware answers 404 to
anyone else); the agenda shows only the activities the reader may see. Thin: read → render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.accounts.models import acting_user
from tenants.dashboard.brief import weekly_brief
from tenants.dashboard.brief_pdf import brief_pdf
from tenants.db import local_today


def brief_page(request: HttpRequest) -> HttpResponse:
    data = weekly_brief(user=acting_user(request), today=local_today())
    return render(request, "dashboard/brief.html", {"brief": data})


def brief_pdf_view(request: HttpRequest) -> HttpResponse:
    data = weekly_brief(user=acting_user(request), today=local_today())
    response = HttpResponse(brief_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="resumen-semanal-{data.today.isoformat()}.pdf"'
    return response
