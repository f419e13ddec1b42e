"""The workshop summary on the public domain (/ods/taller/): a printable summary of one
municipality's SDG alignment for the discussion workshop, for the regional team and the SDG
specialists who run it (SDG_ROLES); anyone else logged in gets a 404, as if the page were
not there, and a visitor is sent to log in.

It reads the public projection only (the community index and the published alignments),
never a municipality's schema, and uses the same template and the same selector shape as
the municipality's own copy in its workspace (/ods/taller/ on its host)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from ods_alignment import selectors_workspace as selectors
from ods_alignment.workshop_pdf import pdf_filename, workshop_pdf
from tenants.accounts.models import acting_user
from tenants.models import Municipality
from tenants.selectors import active_municipality, has_sdg_role, is_regional_team

PAGE_SIZE = 50
MAX_QUERY = 100


def _require_sdg_role(request: HttpRequest) -> None:
    if not has_sdg_role(acting_user(request)):
        raise Http404


def _municipality(slug: str) -> Municipality:
    municipality = active_municipality(slug)
    if municipality is None:
        raise Http404
    return municipality


@login_required
@require_GET
def workshop_list(request: HttpRequest) -> HttpResponse:
    _require_sdg_role(request)
    # A NUL byte cannot reach PostgreSQL; it means nothing in a municipality's name anyway.
    text = request.GET.get("q", "").replace("\x00", "")[:MAX_QUERY].strip()
    page = Paginator(selectors.workshop_municipalities(text), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": text,
        "query": urlencode({"q": text}) if text else "",  # the pager keeps the search
        "team": is_regional_team(acting_user(request)),  # the sub-menu offers "open a case"
    }
    return render(request, "ods_alignment/workshop/list.html", context)


@login_required
@require_GET
def workshop(request: HttpRequest, slug: str) -> HttpResponse:
    _require_sdg_role(request)
    municipality = _municipality(slug)
    data = selectors.municipality_alignment(municipality)
    # Dates as the municipality reads them: the workshop happens there.
    with timezone.override(ZoneInfo(municipality.time_zone)):
        context = {"data": data, "today": timezone.localdate(), "method_url": selectors.method_url(request)}
        return render(request, "ods_alignment/workshop/summary.html", context)


@login_required
@require_GET
def workshop_pdf_view(request: HttpRequest, slug: str) -> HttpResponse:
    _require_sdg_role(request)
    municipality = _municipality(slug)
    data = selectors.municipality_alignment(municipality)
    with timezone.override(ZoneInfo(municipality.time_zone)):
        today = timezone.localdate()
        body = workshop_pdf(data, today=today, method_url=selectors.method_url(request))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(data, today)}"'
    return response
