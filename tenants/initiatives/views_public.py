"""The public accountability pages of a municipality (no login) and, inside the workspace,
the moderation of the citizens' opinions they collect.

The public pages show public data only: no people's names or ids, no evidence files, no
ARO. Which initiatives are public, and which opinions are published, is decided by the
selectors; these views only choose what of it to print.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ods_alignment import selectors_workspace as sdg_workspace
from tenants.accounts.models import acting_user
from tenants.accounts.ratelimit import client_address
from tenants.db import current_municipality
from tenants.forms_util import apply_errors
from tenants.initiatives import access, selectors, services
from tenants.initiatives.forms_public import (
    HONEYPOT_FIELD,
    MODERATION_ACTIONS,
    TOKEN_FIELD,
    ModerationForm,
    OpinionForm,
)
from tenants.initiatives.models import OpinionStatus

# --- Public pages (anyone, see tenants.middleware.PUBLIC_PREFIXES) -------------------------

# The query parameter of the page shown after an opinion was received.
SENT_PARAM = "enviada"


def public_list(request: HttpRequest) -> HttpResponse:
    return render(request, "initiatives/public/list.html", {"states": selectors.public_initiatives()})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # 404 alike for a missing, private, draft or cancelled initiative.
    state = selectors.public_initiative(pk)
    initiative = state.initiative
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_submit(
                initiative=initiative,
                author_name=form.cleaned_data["author_name"],
                text=form.cleaned_data["text"],
                address=client_address(request),
                token=request.POST.get(TOKEN_FIELD, ""),
                honeypot=request.POST.get(HONEYPOT_FIELD, ""),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # Post/redirect/get: reloading the page does not send the opinion again. The
            # notice is printed next to the form (where the browser is scrolled to), not in
            # the page's message area at the top.
            return redirect(reverse("public:detail", args=[initiative.pk]) + f"?{SENT_PARAM}=1#opinar")
    context = {
        "state": state,
        "initiative": initiative,
        "places": list(initiative.places.all()),
        "themes": list(initiative.themes.all()),
        "opinions": selectors.approved_opinions(initiative),
        "form": form,
        "sent": request.method == "GET" and request.GET.get(SENT_PARAM) == "1",
        # A new token on every showing, also after an error: a refused form (too fast,
        # expired) can simply be sent again after a few seconds.
        "form_token": services.form_token(),
        "token_field": TOKEN_FIELD,
        "honeypot_field": HONEYPOT_FIELD,
        "sdg": (
            sdg_workspace.published_for_initiative(current_municipality().pk, initiative.pk)
            if initiative.share_with_community
            else None
        ),
    }
    return render(request, "initiatives/public/detail.html", context, status=400 if request.method == "POST" else 200)


# --- Moderation (workspace, /iniciativas/opiniones/) ---------------------------------------


def _require_moderator(request: HttpRequest) -> None:
    # The services check this too; checking first turns it into a 403 page before any work.
    if not access.can_moderate(acting_user(request)):
        raise PermissionDenied(
            _("Solo la contraparte del sistema, el titular o la edición de comunicaciones moderan las opiniones.")
        )


def _status_filter(value: str | None) -> str:
    return value if value in OpinionStatus.values else OpinionStatus.PENDING


def _list_url(status: str) -> str:
    url = reverse("initiatives:opinions")
    return url if status == OpinionStatus.PENDING else f"{url}?estado={status}"


@login_required
def opinions(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    status = _status_filter(request.GET.get("estado"))
    filters = [
        {"value": value, "label": label, "url": _list_url(value), "active": value == status}
        for value, label in OpinionStatus.choices
    ]
    rows = list(selectors.opinions_for_moderation(status))
    pending = OpinionStatus.PENDING
    context = {
        "rows": rows,
        "status": status,
        "status_label": OpinionStatus(status).label,
        "filters": filters,
        # The pending list is the one usually open: its rows are the count.
        "pending_count": len(rows) if status == pending else selectors.opinions_for_moderation(pending).count(),
    }
    return render(request, "initiatives/public/moderation.html", context)


@login_required
@require_POST
def opinion_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_moderator(request)
    # The schema already limits this to the municipality's own opinions.
    opinion = selectors.opinion(pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        # Only a hand-made request gets here: the page offers the valid actions only.
        messages.error(request, _("Elija publicar, responder o rechazar."))
        return redirect(_list_url(OpinionStatus.PENDING))
    action = form.cleaned_data["action"]
    back = _status_filter(form.cleaned_data["back"])
    # A reply is only sent when the page showed the field: no field keeps the current one,
    # an emptied field removes it. Rejecting never carries one (rejected ones are not shown).
    reply = form.cleaned_data["reply"] if "reply" in request.POST and action != "reject" else None
    try:
        services.opinion_moderate(
            actor=acting_user(request), opinion=opinion, status=MODERATION_ACTIONS[action], reply=reply
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = {
            "publish": _("Se publicó la opinión."),
            "reply": _("Se guardó la respuesta pública."),
            "reject": _("Se rechazó la opinión; no se publicará."),
        }
        if action == "publish" and reply:
            done["publish"] = _("Se publicó la opinión con la respuesta del municipio.")
        messages.success(request, done[action])
    return redirect(_list_url(back))
