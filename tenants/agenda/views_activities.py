"""Pages of the mayor's activities: the day, week and month calendar, the mayor's view of
the coming days, the filtered list, one activity, and the forms that change it.
Thin: parse → access → service → render. Private activities are read only through
selectors.visible_activities (directly or via selectors_activities)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.accounts.models import User, acting_user
from tenants.agenda import access, selectors, services
from tenants.agenda import selectors_activities as reads
from tenants.agenda.forms_activities import (
    ActivityFilterForm,
    ActivityForm,
    ActivityStatusForm,
    parse_start,
)
from tenants.agenda.models import Activity, ActivityKind, ActivityStatus
from tenants.communications import interface as communications_interface
from tenants.db import local_today
from tenants.forms_util import apply_errors

VIEWS = {"dia": "day", "semana": "week", "mes": "month"}
UPCOMING_DAYS = 7  # the mayor's view: today and the next six days
PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return acting_user(request)


def _when(activity: Activity) -> str:
    start = timezone.localtime(activity.starts_at)
    end = timezone.localtime(activity.ends_at)
    same_day = start.date() == end.date()
    until = formats.time_format(end, "TIME_FORMAT") if same_day else formats.date_format(end, "SHORT_DATETIME_FORMAT")
    return f"{formats.date_format(start, 'SHORT_DATETIME_FORMAT')}\N{EN DASH}{until}"


def warn_overlaps(request: HttpRequest, overlaps: list[Activity]) -> None:
    """Flagged, not refused: the agenda manager decides."""
    shown = reads.visible_only(_user(request), overlaps)
    if shown:
        listed = "; ".join(f"«{a.title}» ({_when(a)})" for a in shown)
        messages.warning(
            request, _("Se cruza con otras actividades confirmadas del titular: %(list)s.") % {"list": listed}
        )


def _day_param(value: str | None, today: date) -> date:
    try:
        return reads.clamp(date.fromisoformat(value)) if value else today
    except ValueError:
        return today


def calendar(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    view = VIEWS.get(request.GET.get("vista", ""), "week")
    today = local_today()
    day = _day_param(request.GET.get("fecha"), today)
    if view == "day":
        first = last = day
        previous, following = day - timedelta(days=1), day + timedelta(days=1)
    elif view == "week":
        first = reads.week_start(day)
        last = first + timedelta(days=6)
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
    else:
        first, last = reads.month_grid(day)
        month = day.replace(day=1)
        previous = (month - timedelta(days=1)).replace(day=1)
        following = (month + timedelta(days=32)).replace(day=1)
    days = reads.calendar_days(user, first, last, today=today)
    if view == "month":
        for d in days:
            d.in_range = d.day.month == day.month
    names = {v: k for k, v in VIEWS.items()}
    context = {
        "view": view,
        "param": names[view],
        "day": day,
        "first": first,
        "last": last,
        "today": today,
        "days": days,
        "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
        "previous": reads.clamp(previous),
        "following": reads.clamp(following),
        "count": len({e.activity.pk for d in days for e in d.entries if d.in_range}),
        "can_edit": access.can_edit(user),
        "views": [("dia", _("Día")), ("semana", _("Semana")), ("mes", _("Mes"))],
    }
    return render(request, "agenda/activities/calendar.html", context)


def today_view(request: HttpRequest) -> HttpResponse:
    """The mayor's view: today and the next days, and what is waiting."""
    user = _user(request)
    today = local_today()
    days = reads.calendar_days(user, today, today + timedelta(days=UPCOMING_DAYS - 1), today=today)
    context = {
        "days": days,
        "today": today,
        "overdue_tasks": selectors.tasks(overdue=True, today=today).count(),
        "late_requests": selectors.requests(late=True).count(),
        "tasks_url": reverse("agenda:tasks"),
        "requests_url": reverse("agenda:requests"),
        "can_edit": access.can_edit(user),
    }
    return render(request, "agenda/activities/today.html", context)


def activity_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ActivityFilterForm(request.GET or None)
    filters = form.filters()
    from_today = "desde" not in filters and "hasta" not in filters
    if from_today:
        filters["desde"] = local_today()
    page = Paginator(reads.filtered_activities(user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "from_today": from_today,
        "filtered": bool(filters) and not (from_today and len(filters) == 1),
        "can_edit": access.can_edit(user),
    }
    return render(request, "agenda/activities/list.html", context)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    activity = selectors.activity(user, pk)
    linked = reads.linked_request(activity)
    tasks = reads.activity_tasks(activity)
    context = {
        "activity": activity,
        "actors": list(activity.actors.all()),
        "themes": list(activity.themes.all()),
        "participants": list(activity.participants.all()),
        "linked_request": linked,
        "request_url": reverse("agenda:request", args=[linked.pk]) if linked else "",
        "tasks": [(t, reverse("agenda:task", args=[t.pk])) for t in tasks],
        "overlaps": reads.overlaps_of(user, activity),
        "can_edit": access.can_edit(user),
        "status_form": ActivityStatusForm(initial={"version": activity.version}),
        "can_confirm": activity.status == ActivityStatus.TENTATIVE,
        "can_finish": activity.status in reads.ACTIVE and activity.starts_at <= timezone.now(),
        "can_cancel": activity.status in reads.ACTIVE,
        "kinds": ActivityKind,
        "communication": communications_interface.results_for_activity(activity.pk),
    }
    return render(request, "agenda/activities/detail.html", context)


def activity_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    instance = selectors.activity(user, pk) if pk else None
    access.require_editor(user)
    initial: dict[str, Any] | None = None
    if instance is None:
        start = parse_start(request.GET.get("desde"))
        initial = {"status": ActivityStatus.TENTATIVE}
        if start is not None:
            initial.update(starts_at=start, ends_at=start + timedelta(hours=1))
    kwargs: dict[str, Any] = {"instance": instance}
    if initial is not None:
        kwargs["initial"] = initial
    form = ActivityForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data, version = form.service_data()
        try:
            saved, overlaps = services.activity_save(actor=user, data=data, activity=instance, version=version)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Se guardó la actividad «%(title)s».") % {"title": saved.title})
            warn_overlaps(request, overlaps)
            return redirect("agenda:activity", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "agenda/activities/form.html", {"form": form, "instance": instance}, status=status)


@require_POST
def activity_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    activity = selectors.activity(user, pk)
    access.require_editor(user)
    form = ActivityStatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        notes = data["outcome_notes"] if data["status"] == ActivityStatus.DONE else None
        try:
            saved = services.activity_set_status(
                actor=user, activity=activity, status=data["status"], outcome_notes=notes, version=data["version"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Estado actualizado: %(status)s.") % {"status": saved.get_status_display()})
            if saved.status == ActivityStatus.CONFIRMED:
                warn_overlaps(request, reads.overlaps_of(user, saved))
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
    return redirect("agenda:activity", pk=pk)
