"""Pages of the public domain: the portal, a person's workspaces and the platform
administration of municipalities."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants import services
from tenants.accounts.models import acting_user
from tenants.forms import MunicipalityCreateForm, MunicipalityDeleteForm
from tenants.forms_util import apply_errors
from tenants.links import workspace_url
from tenants.models import Municipality
from tenants.roles import PlatformRole
from tenants.selectors import (
    active_municipalities,
    all_municipalities,
    has_platform_role,
    municipality_by_slug,
    user_workspaces,
)
from tenants.validators import american_time_zones


def landing(request: HttpRequest) -> HttpResponse:
    municipalities = [(m, workspace_url(m, request=request)) for m in active_municipalities()]
    return render(request, "tenants/landing.html", {"municipalities": municipalities})


@login_required
def my_workspaces(request: HttpRequest) -> HttpResponse:
    rows = [(m, roles, workspace_url(m, request=request)) for m, roles in user_workspaces(acting_user(request))]
    return render(request, "tenants/my_workspaces.html", {"workspaces": rows})


def _require_platform_admin(request: HttpRequest) -> None:
    if not has_platform_role(acting_user(request), PlatformRole.PLATFORM_ADMIN):
        raise PermissionDenied


@login_required
def municipality_list(request: HttpRequest) -> HttpResponse:
    _require_platform_admin(request)
    form = MunicipalityCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.municipality_create(actor=acting_user(request), **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Se creó %(name)s en %(url)s. Se envió una invitación a %(email)s.")
                % {
                    "name": result.municipality.name,
                    "url": workspace_url(result.municipality, request=request),
                    "email": result.admin.email,
                }
                if result.invitation
                else _("Se creó %(name)s en %(url)s.")
                % {"name": result.municipality.name, "url": workspace_url(result.municipality, request=request)},
            )
            return redirect("platform:municipality-list")
    rows = [(m, workspace_url(m, request=request)) for m in all_municipalities()]
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "rows": rows, "time_zones": american_time_zones()}
    return render(request, "tenants/platform/municipalities.html", context, status=status)


def _get_municipality(slug: str) -> Municipality:
    municipality = municipality_by_slug(slug)
    if municipality is None:
        raise Http404
    return municipality


@login_required
@require_POST
def municipality_set_active(request: HttpRequest, slug: str, active: bool) -> HttpResponse:
    _require_platform_admin(request)
    municipality = _get_municipality(slug)
    if active:
        services.municipality_reactivate(actor=acting_user(request), municipality=municipality)
        messages.success(request, _("%(name)s está activo de nuevo.") % {"name": municipality.name})
    else:
        services.municipality_deactivate(actor=acting_user(request), municipality=municipality)
        messages.success(
            request, _("%(name)s quedó desactivado. Sus datos se conservan.") % {"name": municipality.name}
        )
    return redirect("platform:municipality-list")


@login_required
def municipality_delete(request: HttpRequest, slug: str) -> HttpResponse:
    _require_platform_admin(request)
    municipality = _get_municipality(slug)
    form = MunicipalityDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.municipality_delete(
                actor=acting_user(request),
                municipality=municipality,
                confirm_slug=form.cleaned_data["confirm_slug"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Se eliminó %(name)s y todos sus datos.") % {"name": municipality.name})
            return redirect("platform:municipality-list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "tenants/platform/municipality_delete.html",
        {"municipality": municipality, "form": form},
        status=status,
    )
