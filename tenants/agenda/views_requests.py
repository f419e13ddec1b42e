"""Pages of the requests to the mayor (solicitudes): the list with its unanswered highlight,
registering and correcting a request, its detail with the state history and the actions
its state allows, the unanswered-days setting, and the public request form (no login).
Thin: parse → access → service → render."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tenants import spam
from tenants.accounts.models import User, acting_user
from tenants.accounts.ratelimit import client_address
from tenants.agenda import access, selectors, services
from tenants.agenda import selectors_activities as reads
from tenants.agenda.forms_requests import (
    FORM_SALT,
    HONEYPOT_FIELD,
    SENT_SESSION_KEY,
    TOKEN_FIELD,
    TRANSITION_FORMS,
    AcceptForm,
    PublicRequestForm,
    RequestForm,
    SettingsForm,
)
from tenants.agenda.models import Request, RequestAttachment, RequestChannel, RequestKind, RequestStatus
from tenants.agenda.services.requests import TRANSITIONS
from tenants.forms_util import apply_errors

PAGE_SIZE = 50

# What each action is called on the detail page: (heading, button).
ACTION_TEXTS: dict[str, tuple[Any, Any]] = {
    RequestStatus.IN_ANALYSIS: (gettext_lazy("Pasar a análisis"), gettext_lazy("Pasar a análisis")),
    RequestStatus.ACCEPTED: (gettext_lazy("Aceptar y agendar la actividad"), gettext_lazy("Aceptar")),
    RequestStatus.DECLINED: (gettext_lazy("Declinar con una respuesta"), gettext_lazy("Declinar")),
    RequestStatus.DELEGATED: (gettext_lazy("Delegar a una persona de la red"), gettext_lazy("Delegar")),
    RequestStatus.CLOSED: (gettext_lazy("Cerrar la solicitud"), gettext_lazy("Cerrar")),
}


def _user(request: HttpRequest) -> User:
    return acting_user(request)


def _require_editor(request: HttpRequest) -> None:
    # The services check this too; checking first turns it into a 403 page before any work.
    access.require_editor(_user(request))


def _span(delta: timedelta) -> str:
    """A duration in words ("3 días, 4 horas"), in the reader's language."""
    base = datetime(2000, 1, 1, tzinfo=UTC)
    return timesince(base, base + max(delta, timedelta(0)))


def _choice(value: str | None, allowed: list[str]) -> str:
    return value if value in allowed else ""


# --- Workspace pages (/agenda/solicitudes/) -------------------------------------------------


def request_list(request: HttpRequest) -> HttpResponse:
    filters: dict[str, Any] = {
        "status": _choice(request.GET.get("estado"), RequestStatus.values),
        "kind": _choice(request.GET.get("tipo"), RequestKind.values),
        "channel": _choice(request.GET.get("canal"), RequestChannel.values),
        "text": request.GET.get("q", "").strip()[:100],
        "late": request.GET.get("sin_respuesta") == "1",
    }
    page = Paginator(selectors.requests(**filters), PAGE_SIZE).get_page(request.GET.get("pagina"))
    now, days = timezone.now(), selectors.unanswered_days()
    rows = [
        {"request": r, "late": selectors.request_is_late(r, now, days), "in_state": _span(now - r.status_since)}
        for r in page
    ]
    query = request.GET.copy()
    query.pop("pagina", None)
    counts = selectors.request_counts()
    context = {
        "rows": rows,
        "page": page,
        "query": query.urlencode(),
        "filters": filters,
        "filtered": any(filters.values()),
        "counts": [(value, label, counts[value]) for value, label in RequestStatus.choices],
        "total": sum(counts.values()),
        "days": days,
        "statuses": RequestStatus.choices,
        "kinds": RequestKind.choices,
        "channels": RequestChannel.choices,
        "can_edit": access.can_edit(_user(request)),
    }
    return render(request, "agenda/requests/list.html", context)


def request_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_editor(request)
    instance = selectors.request_by_pk(pk) if pk else None
    form = RequestForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data, files, version = form.service_data()
        try:
            saved = services.request_register(
                actor=_user(request), data=data, attachments=files, request=instance, version=version
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if instance is None:
                text = _("Se registró la solicitud %(ref)s.")
            else:
                text = _("Se guardaron los cambios de la solicitud %(ref)s.")
            messages.success(request, text % {"ref": saved.reference})
            return redirect("agenda:request", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "agenda/requests/form.html", {"form": form, "instance": instance}, status=status)


def _action_form(to_status: str, obj: Request, data: Any = None) -> Any:
    cls = TRANSITION_FORMS[to_status]
    kwargs: dict[str, Any] = {"prefix": to_status}
    if cls is AcceptForm:
        kwargs["request"] = obj
    if data is None:
        if cls is not AcceptForm:
            kwargs["initial"] = {"version": obj.version}
        return cls(**kwargs)
    return cls(data, **kwargs)


def _detail_context(request: HttpRequest, obj: Request, bound: tuple[str, Any] | None = None) -> dict[str, Any]:
    now, days = timezone.now(), selectors.unanswered_days()
    can_edit = access.can_edit(_user(request))
    history = list(obj.transitions.all())
    durations = selectors.request_durations(obj, now)
    actions = []
    if can_edit:
        for value in RequestStatus.values:
            if value not in TRANSITIONS[obj.status]:
                continue
            form = bound[1] if bound and bound[0] == value else _action_form(value, obj)
            heading, button = ACTION_TEXTS[value]
            actions.append({"status": value, "form": form, "heading": heading, "button": button})
    return {
        "obj": obj,
        "history": [
            {"step": step, "label": RequestStatus(status).label, "span": _span(spent)}
            for step, (status, spent) in zip(history, durations, strict=True)
        ],
        "in_state": _span(now - obj.status_since),
        "late": selectors.request_is_late(obj, now, days),
        "days": days,
        "attachments": list(obj.attachments.all()),
        "themes": list(obj.themes.all()),
        "places": list(obj.places.all()),
        "actions": actions,
        "can_edit": can_edit,
        # A private activity's title is not for everyone who may read the request.
        "activity_visible": selectors.activity_visible(_user(request), obj.activity_id),
        "sees_contacts": access.sees_contacts(_user(request)),
    }


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.request_by_pk(pk)
    return render(request, "agenda/requests/detail.html", _detail_context(request, obj))


@require_POST
def request_transition(request: HttpRequest, pk: int, to_status: str) -> HttpResponse:
    _require_editor(request)
    obj = selectors.request_by_pk(pk)
    if to_status not in TRANSITION_FORMS:
        raise Http404
    form = _action_form(to_status, obj, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        kwargs = {key: data[key] for key in ("note", "reply", "delegated_to", "delegated_due") if key in data}
        if isinstance(form, AcceptForm):
            kwargs["activity_data"] = form.activity_data()
        try:
            done = services.request_transition(
                actor=_user(request), request=obj, to_status=to_status, version=data.get("version"), **kwargs
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "to_status" in exc.error_dict:
                # The state changed under the page (accepted twice, already closed): the
                # action is no longer offered, so the message goes to the top of the page.
                messages.error(request, " ".join(exc.message_dict["to_status"]))
                return redirect("agenda:request", pk=pk)
            apply_errors(form, exc)
        else:
            texts = {
                RequestStatus.IN_ANALYSIS: _("La solicitud %(ref)s está en análisis."),
                RequestStatus.ACCEPTED: _("Se aceptó la solicitud %(ref)s y se agendó la actividad."),
                RequestStatus.DECLINED: _("Se declinó la solicitud %(ref)s."),
                RequestStatus.DELEGATED: _("Se delegó la solicitud %(ref)s."),
                RequestStatus.CLOSED: _("Se cerró la solicitud %(ref)s."),
            }
            messages.success(request, texts[RequestStatus(to_status)] % {"ref": done.reference})
            if done.activity is not None and to_status == RequestStatus.ACCEPTED:
                # The new activity is confirmed: flag what it overlaps, as its own form would.
                from tenants.agenda.views_activities import warn_overlaps

                warn_overlaps(request, reads.overlaps_of(_user(request), done.activity))
            return redirect("agenda:request", pk=pk)
    if to_status not in TRANSITIONS[obj.status]:
        messages.error(request, _("Esta acción ya no es posible en el estado actual de la solicitud."))
        return redirect("agenda:request", pk=pk)
    context = _detail_context(request, obj, (to_status, form))
    return render(request, "agenda/requests/detail.html", context, status=400)


def request_attachment(request: HttpRequest, pk: int, aid: int) -> FileResponse:
    # Members only (the workspace middleware answers everyone else), through this view:
    # the files are never under a public address.
    attachment = RequestAttachment.objects.filter(pk=aid, request_id=pk).first()
    if attachment is None or not access.sees_contacts(_user(request)):
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name or "adjunto")


def request_settings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    can_edit = access.can_edit(user)
    days = selectors.unanswered_days()
    form = SettingsForm(initial={"unanswered_days": days})
    if request.method == "POST":
        _require_editor(request)
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                services.agenda_settings_save(actor=user, unanswered_days=form.cleaned_data["unanswered_days"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Configuración guardada."))
                return redirect("agenda:requests")
    context = {"form": form, "can_edit": can_edit, "days": days}
    return render(request, "agenda/requests/settings.html", context, status=400 if request.method == "POST" else 200)


# --- Public form (/publico/solicitud/, anyone: tenants.middleware.PUBLIC_PREFIXES) ----------


def public_request_form(request: HttpRequest) -> HttpResponse:
    form = PublicRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        errors: dict[str, list[str]] = {}
        spam.check_form(
            errors, salt=FORM_SALT, token=request.POST.get(TOKEN_FIELD, ""),
            honeypot=request.POST.get(HONEYPOT_FIELD, ""),
        )  # fmt: skip
        spam.check_links(errors, "subject", data["subject"])
        spam.check_links(errors, "description", data["description"])
        try:
            if errors:
                raise ValidationError(errors)
            created = services.request_submit_public(data=data, sender=spam.sender_hash(client_address(request)))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # Post/redirect/get: reloading does not send it again. The reference is shown
            # from this visitor's session only, never from an address anyone could guess.
            request.session[SENT_SESSION_KEY] = created.reference
            return redirect("agenda_public:request-sent")
    context = {
        "form": form,
        # A new token on every showing, also after an error (see views_public of initiatives).
        "form_token": spam.form_token(FORM_SALT),
        "token_field": TOKEN_FIELD,
        "honeypot_field": HONEYPOT_FIELD,
    }
    return render(request, "agenda/public/request_form.html", context, status=400 if request.method == "POST" else 200)


def public_request_sent(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(SENT_SESSION_KEY)
    if not reference:
        return redirect("agenda_public:request-form")
    return render(request, "agenda/public/request_sent.html", {"reference": reference})
