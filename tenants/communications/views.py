"""Pages of communication actions (workspace): the list, the inbox of possible actions, the
editorial calendar, an action and the forms that change it. Every member reads; the
controls show only to those allowed, and every write goes through a service that checks
again. Pieces and publications: views_pieces.py; channels: views_channels.py.
Thin: parse → access → service → render."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tenants.accounts.models import User, acting_user
from tenants.agenda.models import ActivityKind
from tenants.agenda.selectors_activities import clamp, month_grid
from tenants.communications import access, selectors, services
from tenants.communications.forms import (
    ActionFilterForm,
    ActionForm,
    CalendarFilterForm,
    StatusForm,
    SuggestionForm,
)
from tenants.communications.models import ActionStatus, CommunicationAction, SuggestionSource
from tenants.communications.services.actions import TRANSITIONS
from tenants.db import local_today
from tenants.forms_util import apply_errors

PAGE_SIZE = 25
# The order the status buttons show in, forwards first.
STATUS_ORDER = [
    ActionStatus.IN_PREPARATION,
    ActionStatus.READY,
    ActionStatus.PUBLISHED,
    ActionStatus.CLOSED,
    ActionStatus.IDENTIFIED,
    ActionStatus.DISCARDED,
]


def _user(request: HttpRequest) -> User:
    return acting_user(request)


def _error_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _with_editors(rows: list[CommunicationAction]) -> list[tuple[CommunicationAction, str]]:
    names = selectors.editor_names(rows)
    return [(a, names.get(a.editor_id, "") if a.editor_id else "") for a in rows]


# ---------------------------------------------------------------------------------------
# The list


def action_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ActionFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.actions(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    counts = selectors.status_counts()
    context = {
        "form": form,
        "page": page,
        "rows": _with_editors(rows),
        "query": query.urlencode(),
        "filtered": bool(filters),
        "counts": [(value, label, counts[value]) for value, label in ActionStatus.choices],
        "open_count": sum(n for s, n in counts.items() if s not in (ActionStatus.CLOSED, ActionStatus.DISCARDED)),
        "current_status": filters.get("estado", ""),
        "suggestion_count": selectors.suggestion_count(),
        "can_edit": access.can_edit(user),
    }
    return render(request, "communications/list.html", context)


# ---------------------------------------------------------------------------------------
# The inbox of possible actions


def _kind_in_words(suggestion: selectors.Suggestion) -> str:
    source = str(SuggestionSource(suggestion.source).label)
    if suggestion.source == SuggestionSource.ACTIVITY and suggestion.detail in ActivityKind.values:
        return f"{source} ({ActivityKind(suggestion.detail).label.lower()})"
    return source


def suggestion_inbox(request: HttpRequest) -> HttpResponse:
    rows = [(s, _kind_in_words(s)) for s in selectors.suggestions()]
    context = {
        "rows": rows,
        "back_days": selectors.INBOX_BACK_DAYS,
        "ahead_days": selectors.INBOX_AHEAD_DAYS,
        "can_edit": access.can_edit(_user(request)),
    }
    return render(request, "communications/suggestions.html", context)


def _posted_suggestion(request: HttpRequest) -> tuple[User, str, int] | None:
    """The editor and the suggestion (source, id) a button posts; None, with a message, when
    the form is not valid."""
    user = _user(request)
    access.require_editor(user)
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("La sugerencia no es válida."))
        return None
    return user, form.cleaned_data["source"], form.cleaned_data["source_id"]


@require_POST
def suggestion_accept(request: HttpRequest) -> HttpResponse:
    posted = _posted_suggestion(request)
    if posted is None:
        return redirect("communications:suggestions")
    user, source, source_id = posted
    try:
        action = services.suggestion_accept(actor=user, source=source, source_id=source_id)
    except ValidationError as exc:
        _error_messages(request, exc)
        return redirect("communications:suggestions")
    messages.success(
        request,
        _("Se creó la acción «%(title)s». Complete el mensaje y el público destinatario.") % {"title": action.title},
    )
    return redirect("communications:edit", pk=action.pk)


@require_POST
def suggestion_dismiss(request: HttpRequest) -> HttpResponse:
    posted = _posted_suggestion(request)
    if posted is None:
        return redirect("communications:suggestions")
    user, source, source_id = posted
    try:
        services.suggestion_dismiss(actor=user, source=source, source_id=source_id)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Se descartó la sugerencia; no volverá a aparecer en la bandeja."))
    return redirect("communications:suggestions")


# ---------------------------------------------------------------------------------------
# The editorial calendar


def _month_param(value: str | None, today: date) -> date:
    try:
        return clamp(date.fromisoformat(f"{value}-01")).replace(day=1) if value else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


def editorial_calendar(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = local_today()
    month = _month_param(request.GET.get("mes"), today)
    form = CalendarFilterForm(request.GET or None)
    filters = form.filters()
    first, last = month_grid(month)
    days = selectors.calendar(first, last, month, **filters)
    in_month = [a for d in days if d.in_range for a in d.actions]
    query = request.GET.copy()
    for key in ("mes", "vista"):
        query.pop(key, None)
    view = "lista" if request.GET.get("vista") == "lista" else "mes"
    kept = [("mes", month.isoformat()[:7]), ("vista", view)]
    context = {
        "form": form,
        "month": month,
        "today": today,
        "view": view,
        "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
        "in_month": _with_editors(in_month),
        "previous": clamp(month - timedelta(days=1)).replace(day=1),
        "following": clamp(month + timedelta(days=32)).replace(day=1),
        "filter_query": query.urlencode(),
        "filtered": bool(filters),
        # The filters keep the month and the view; clearing them too.
        "filter_keep": kept,
        "filter_clear_url": f"{reverse('communications:calendar')}?{urlencode(kept)}",
        "can_edit": access.can_edit(user),
    }
    return render(request, "communications/calendar.html", context)


# ---------------------------------------------------------------------------------------
# An action


def action_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    instance = selectors.action_by_pk(pk) if pk else None
    access.require_editor(user)
    initial: dict[str, Any] | None = None
    if instance is None:
        initial = {"planned_date": local_today(), "editor_id": user.pk}
    kwargs: dict[str, Any] = {"instance": instance, "municipality": request.municipality}  # type: ignore[attr-defined]
    if initial is not None:
        kwargs["initial"] = initial
    form = ActionForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data, version = form.service_data()
        try:
            saved = services.action_save(actor=user, data=data, action=instance, version=version)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Se guardó la acción «%(title)s».") % {"title": saved.title})
            return redirect("communications:detail", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "communications/action_form.html", {"form": form, "instance": instance}, status=status)


TRANSITION_LABELS = {
    ActionStatus.IN_PREPARATION: gettext_lazy("Pasar a «En preparación»"),
    ActionStatus.READY: gettext_lazy("Marcar como lista"),
    ActionStatus.PUBLISHED: gettext_lazy("Marcar como publicada"),
    ActionStatus.IDENTIFIED: gettext_lazy("Volver a «Identificada»"),
}


def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    action = selectors.action_by_pk(pk)
    can_edit = access.can_edit(user)
    # The built-in news page is there from the start (migration 0002).
    channels = selectors.channels(active_only=True)
    require_approval = services.settings_for_municipality().require_approval
    allowed = [s for s in STATUS_ORDER if s in TRANSITIONS[action.status]]
    context = {
        "action": action,
        "editor_name": selectors.editor_names([action]).get(action.editor_id or 0, ""),
        "pieces": selectors.piece_views(action, channels, require_approval),
        "buttons": [(s, TRANSITION_LABELS[s]) for s in allowed if s in TRANSITION_LABELS],
        "can_close": ActionStatus.CLOSED in allowed,
        "can_discard": ActionStatus.DISCARDED in allowed,
        "is_open": action.status not in (ActionStatus.CLOSED, ActionStatus.DISCARDED),
        "require_approval": require_approval,
        "can_edit": can_edit,
        "can_approve": access.can_approve(user),
    }
    return render(request, "communications/detail.html", context)


@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    action = selectors.action_by_pk(pk)
    access.require_editor(user)
    form = StatusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("communications:detail", pk=pk)
    data = form.cleaned_data
    try:
        saved = services.action_set_status(
            actor=user, action=action, status=data["status"], reason=data["reason"],
            results=data["results"] if data["status"] == ActionStatus.CLOSED else None, version=data["version"],
        )  # fmt: skip
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Estado actualizado: %(status)s.") % {"status": saved.get_status_display()})
    return redirect("communications:detail", pk=pk)
