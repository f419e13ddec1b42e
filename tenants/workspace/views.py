"""Pages of a municipality's workspace (tenant domain)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants import services
from tenants.accounts.models import User, acting_user
from tenants.dashboard.views import blocks_context as dashboard_blocks
from tenants.forms import InvitationForm, MemberRolesForm
from tenants.forms_util import apply_errors
from tenants.roles import MEMBER_MANAGERS, MunicipalRole
from tenants.selectors import member_count, pending_invitations, workspace_members
from tenants.structure.services import network_roles_follow_membership
from tenants.workspace.selectors import recent_activity


def home(request: HttpRequest) -> HttpResponse:
    municipality = request.municipality  # type: ignore[attr-defined]
    roles = request.workspace_roles  # type: ignore[attr-defined]
    role_labels = [MunicipalRole(r).label for r in sorted(roles)]
    context = {
        # The municipal dashboard first (what each role looks at every day); the charts and
        # the map are on its full page, /tablero/, so that the home stays light on a phone.
        **dashboard_blocks(request),
        "municipality": municipality,
        "role_labels": role_labels,
        "can_manage_members": bool(roles & MEMBER_MANAGERS),
        "member_count": member_count(municipality),
        "activity": recent_activity(limit=8),
    }
    return render(request, "workspace/home.html", context)


def _require_manager(request: HttpRequest) -> None:
    if not request.workspace_roles & MEMBER_MANAGERS:  # type: ignore[attr-defined]
        raise PermissionDenied(_("Solo la contraparte del sistema o el titular gestionan los miembros."))


def members(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    municipality = request.municipality  # type: ignore[attr-defined]
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=acting_user(request),
                municipality=municipality,
                email=form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Se envió la invitación a %(email)s.") % {"email": invitation.email})
            return redirect("workspace:members")
    rows = [
        (user, [MunicipalRole(r).label for r in roles], MemberRolesForm(initial={"roles": roles}, prefix=f"m{user.pk}"))
        for user, roles in workspace_members(municipality)
    ]
    context = {"form": form, "rows": rows, "invitations": pending_invitations(municipality)}
    return render(request, "workspace/members.html", context, status=400 if request.method == "POST" else 200)


@require_POST
def member_roles(request: HttpRequest, user_id: int) -> HttpResponse:
    _require_manager(request)
    municipality = request.municipality  # type: ignore[attr-defined]
    user = User.objects.filter(pk=user_id, memberships__municipality=municipality).distinct().first()
    if user is None:
        raise Http404
    form = MemberRolesForm(request.POST, prefix=f"m{user.pk}")
    if form.is_valid():
        try:
            with transaction.atomic():
                services.membership_set_roles(
                    actor=acting_user(request), municipality=municipality, user=user, roles=form.cleaned_data["roles"]
                )
                # The management network shows the same roles for the linked person.
                network_roles_follow_membership(user=user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Se actualizaron los roles de %(name)s.") % {"name": user})
    else:
        messages.error(request, _("Los roles elegidos no son válidos."))
    return redirect("workspace:members")
