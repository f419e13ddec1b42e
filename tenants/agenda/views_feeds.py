"""Calendar feeds: the public iCalendar feed and a person's private one (on the public side,
no login: calendar programs do not log in), and the workspace page where a member finds the
public address and creates, replaces or revokes their private one."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from tenants.accounts.models import User, acting_user
from tenants.agenda import selectors, services
from tenants.agenda.feeds import build_calendar, feed_domain, feed_window
from tenants.agenda.models import Activity
from tenants.models import Municipality
from tenants.selectors import user_roles_in

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _municipality(request: HttpRequest) -> Municipality:
    return request.municipality  # type: ignore[attr-defined,no-any-return]


@require_safe
def public_feed(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)

    def describe(activity: Activity) -> str:
        # Only the kind: preparation and outcome notes are the team's, not the public's.
        return str(activity.get_kind_display())

    body = build_calendar(
        feed_window(Activity.objects.filter(is_public=True)),
        name=_("Agenda pública del titular · %(name)s") % {"name": municipality.name},
        domain=feed_domain(municipality),
        describe=describe,
    )
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Cache-Control"] = "public, max-age=300"
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


@require_safe
def private_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Wrong, replaced and revoked secrets, and the secret of someone who is no longer a
    member here, all answer the ordinary 404."""
    municipality = _municipality(request)
    user_id = selectors.feed_user_id(token)
    owner = User.objects.filter(pk=user_id, is_active=True).first() if user_id is not None else None
    if owner is None or not user_roles_in(owner, municipality):
        raise Http404

    def describe(activity: Activity) -> str:
        lines = [str(activity.get_kind_display())]
        if activity.preparation_notes:
            lines += ["", activity.preparation_notes]
        return "\n".join(lines)

    def url(activity: Activity) -> str:
        return request.build_absolute_uri(reverse("agenda:activity", args=[activity.pk]))

    body = build_calendar(
        feed_window(selectors.visible_activities(owner)),
        name=_("Agenda del titular · %(name)s") % {"name": municipality.name},
        domain=feed_domain(municipality),
        describe=describe,
        url=url,
        private=True,
    )
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Content-Disposition"] = 'inline; filename="agenda-privada.ics"'
    return response


def _page(request: HttpRequest, *, new_url: str = "") -> HttpResponse:
    user = acting_user(request)
    context = {
        "public_url": request.build_absolute_uri(reverse("agenda_public:feed-public")),
        "active": selectors.feed_token_of(user),
        "new_url": new_url,
    }
    response = render(request, "agenda/feeds.html", context)
    if new_url:
        # The secret is shown once; no cache keeps it.
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def feeds(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
def feed_issue(request: HttpRequest) -> HttpResponse:
    token = services.feed_token_issue(user=acting_user(request))
    path = reverse("agenda_public:feed-private", kwargs={"token": token})
    return _page(request, new_url=request.build_absolute_uri(path))


@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    services.feed_token_revoke(user=acting_user(request))
    messages.success(request, _("Se revocó su dirección privada: ya no da acceso a su agenda."))
    return redirect("agenda:feeds")
