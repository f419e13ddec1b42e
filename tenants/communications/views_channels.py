"""Pages of publication channels: the list every member may read (is it active, are its
credentials there), and the forms only channel managers open. Credentials are write-only:
the forms never show them back, and an empty field keeps what is stored."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.accounts.models import User, acting_user
from tenants.communications import access, selectors, services
from tenants.communications.adapters import adapter_for
from tenants.communications.forms import ChannelForm, SettingsForm
from tenants.communications.models import ChannelKind
from tenants.communications.services.pieces import channel_limit
from tenants.forms_util import apply_errors


def _user(request: HttpRequest) -> User:
    return acting_user(request)


def channel_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    can_manage = access.can_manage_channels(user)
    rows = [
        {
            "channel": c,
            "missing": services.missing_credentials(c),
            "needs_credentials": bool(adapter_for(c.kind).credential_fields),
            "limit": channel_limit(c),
        }
        for c in selectors.channels()
    ]
    settings_row = services.settings_for_municipality()
    context = {
        "rows": rows,
        "settings": settings_row,
        "settings_form": SettingsForm(initial={"require_approval": settings_row.require_approval}),
        "can_manage": can_manage,
        "can_approve": access.can_approve(user),
    }
    return render(request, "communications/channels.html", context)


def _kinds_to_add() -> list[tuple[str, str]]:
    has_web = any(c.kind == ChannelKind.WEB for c in selectors.channels())
    return [(k, str(label)) for k, label in ChannelKind.choices if not (k == ChannelKind.WEB and has_web)]


def _credential_errors(form: ChannelForm, exc: ValidationError) -> ValidationError:
    """The service names credential errors by the credential's name; the form prefixes them."""
    if not hasattr(exc, "error_dict"):
        return exc
    renamed: dict[str, Any] = {}
    for name, errors in exc.message_dict.items():
        key = form.credential_key(name)
        renamed[key if key in form.fields else name] = errors
    return ValidationError(renamed)


def channel_edit(request: HttpRequest, cid: int | None = None) -> HttpResponse:
    user = _user(request)
    instance = selectors.channel_by_pk(cid) if cid else None
    access.require_channel_manager(user)
    if instance is not None:
        kind = instance.kind
    else:
        kind = request.GET.get("tipo", "") if request.method == "GET" else request.POST.get("tipo", "")
        kinds = _kinds_to_add()
        if kind not in dict(kinds):
            # First choose the kind: it decides which fields and credentials the form asks.
            if request.method == "POST":
                raise Http404
            return render(request, "communications/channel_kind.html", {"kinds": kinds})
    form = ChannelForm(request.POST or None, kind=kind, instance=instance)
    if request.method == "POST" and form.is_valid():
        data, credentials, version = form.service_data()
        try:
            saved = services.channel_save(
                actor=user, data=data, credentials=credentials, channel=instance, version=version
            )
        except ValidationError as exc:
            apply_errors(form, _credential_errors(form, exc))
        else:
            messages.success(request, _("Se guardó el canal «%(name)s».") % {"name": saved.name})
            return redirect("communications:channels")
    context = {
        "form": form,
        "instance": instance,
        "kind": kind,
        "kind_label": ChannelKind(kind).label,
        "limit": adapter_for(kind).limit,
        "missing": services.missing_credentials(instance) if instance is not None else [],
    }
    return render(request, "communications/channel_form.html", context, status=400 if request.method == "POST" else 200)


@require_POST
def settings_save(request: HttpRequest) -> HttpResponse:
    """Whether pieces need approval: decided by those who approve (the mayor, the system
    counterpart), not by those whose pieces it holds back."""
    user = _user(request)
    if not access.can_approve(user):
        raise PermissionDenied(_("Solo el titular o la contraparte del sistema deciden si las piezas se aprueban."))
    form = SettingsForm(request.POST)
    form.is_valid()  # a checkbox: always valid
    try:
        saved = services.settings_save(actor=user, require_approval=form.cleaned_data.get("require_approval", False))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if saved.require_approval:
            messages.success(request, _("Desde ahora las piezas necesitan aprobación antes de publicarse."))
        else:
            messages.success(request, _("Desde ahora las piezas se publican sin aprobación previa."))
    return redirect("communications:channels")
