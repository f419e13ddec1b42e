"""Pages of tasks and commitments: the list (overdue ones flagged), one task with its notes
and status actions, and the forms that record and change tasks. Every member may read;
only the agenda's editors write. Thin: parse → access → service → render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.accounts.models import User, acting_user
from tenants.agenda import access, selectors, services
from tenants.agenda.forms_tasks import TaskForm, TaskNoteForm, TaskStatusForm
from tenants.agenda.models import Activity, Request, Task, TaskKind, TaskPriority, TaskStatus
from tenants.agenda.services.tasks import TRANSITIONS
from tenants.db import local_today
from tenants.forms_util import apply_errors
from tenants.initiatives.models import Initiative
from tenants.structure.models import NetworkMember

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return acting_user(request)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _filters(params: QueryDict) -> dict[str, Any]:
    def choice(name: str, values: list[str]) -> str:
        value = params.get(name, "")
        return value if value in values else ""

    return {
        "status": choice("estado", TaskStatus.values),
        "assignee": _int(params.get("responsable")),
        "kind": choice("clase", TaskKind.values),
        "priority": choice("prioridad", TaskPriority.values),
        "overdue": params.get("vencidas") == "1",
        "due_soon": params.get("pronto") == "1",
    }


def _assignee_choices() -> QuerySet[NetworkMember]:
    """Everyone who can be given a task, and anyone archived who still has some."""
    return NetworkMember.objects.filter(Q(is_active=True) | Q(agenda_tasks__isnull=False)).distinct()


def task_list(request: HttpRequest) -> HttpResponse:
    today = local_today()
    filters = _filters(request.GET)
    page = Paginator(selectors.tasks(**filters, today=today), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": [(task, selectors.task_is_overdue(task, today), _due_note(task, today)) for task in page],
        "filters": filters,
        "filtered": any(filters.values()),
        "query": query.urlencode(),
        "statuses": TaskStatus.choices,
        "kinds": TaskKind.choices,
        "priorities": TaskPriority.choices,
        "assignees": _assignee_choices(),
        "overdue_count": selectors.tasks(overdue=True, today=today).count(),
        "can_edit": access.can_edit(_user(request)),
    }
    return render(request, "agenda/tasks/list.html", context)


def _origin_initial(params: QueryDict, user: User) -> dict[str, Any]:
    """`?actividad=`, `?solicitud=` or `?iniciativa=`: the page the task comes from."""
    initial: dict[str, Any] = {}
    request_pk, activity_pk, initiative_pk = (
        _int(params.get("solicitud")), _int(params.get("actividad")), _int(params.get("iniciativa")),
    )  # fmt: skip
    if request_pk:
        found_request = Request.objects.filter(pk=request_pk).first()
        if found_request is not None:
            initial["request"] = found_request
            activity_pk = activity_pk or found_request.activity_id
    if activity_pk:
        found_activity = selectors.visible_activities(user).filter(pk=activity_pk).first()
        if found_activity is not None:
            initial["activity"] = found_activity
            initiative_pk = initiative_pk or found_activity.initiative_id
    if initiative_pk:
        found_initiative = Initiative.objects.filter(pk=initiative_pk).first()
        if found_initiative is not None:
            initial["initiative"] = found_initiative
    if "activity" in initial and "request" not in initial:
        initial["kind"] = TaskKind.COMMITMENT
    return initial


def _form_origin(form: TaskForm) -> dict[str, Any]:
    """The activity and request the form carries, to name them on the page."""
    out: dict[str, Any] = {}
    for name in ("activity", "request"):
        value = form[name].value()
        pk = value.pk if isinstance(value, Activity | Request) else _int(str(value) if value else None)
        out[f"origin_{name}"] = form.fields[name].queryset.filter(pk=pk).first() if pk else None  # type: ignore[attr-defined]
    return out


def task_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    instance = selectors.task_by_pk(pk) if pk else None
    access.require_editor(user)
    kwargs: dict[str, Any] = {"activities": selectors.visible_activities(user), "instance": instance}
    if instance is None:
        kwargs["initial"] = {"priority": TaskPriority.MEDIUM, **_origin_initial(request.GET, user)}
    form = TaskForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            saved = services.task_save(actor=user, data=data, task=instance, version=version)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Se guardó la tarea."))
            return redirect("agenda:task", pk=saved.pk)
    context = {"form": form, "instance": instance, **_form_origin(form)}
    return render(request, "agenda/tasks/form.html", context, status=400 if request.method == "POST" else 200)


def _detail(
    request: HttpRequest,
    task: Task,
    *,
    done_form: TaskStatusForm | None = None,
    note_form: TaskNoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    # A private activity's title is for those who may see the activity, not every member.
    activity_shown = selectors.activity_visible(user, task.activity_id)
    allowed = TRANSITIONS[task.status]
    context = {
        "task": task,
        "overdue": selectors.task_is_overdue(task),
        "notes": list(task.notes.all()),
        "activity_shown": activity_shown,
        "can_edit": access.can_edit(user),
        "actions": [
            (value, _action_label(task.status, value))
            for value in (TaskStatus.IN_PROGRESS, TaskStatus.PENDING, TaskStatus.CANCELLED)
            if value in allowed
        ],
        "can_complete": TaskStatus.DONE in allowed,
        "done_form": done_form or TaskStatusForm(initial={"status": TaskStatus.DONE, "version": task.version}),
        "note_form": note_form or TaskNoteForm(),
    }
    return render(request, "agenda/tasks/detail.html", context, status=status)


def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.task_by_pk(pk))


@require_POST
def task_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = selectors.task_by_pk(pk)
    access.require_editor(user)
    form = TaskStatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            done = services.task_set_status(
                actor=user, task=task, status=data["status"], evidence=data["evidence"], version=data["version"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Estado actualizado: %(status)s.") % {"status": done.get_status_display()})
            return redirect("agenda:task", pk=pk)
    # The status is a hidden field: its errors (a refused step, a stale page) go on top.
    hidden = [str(e) for name in ("status", "version") for e in form.errors.pop(name, [])]
    if hidden:
        form.add_error(None, hidden)
    if form.data.get("status") != TaskStatus.DONE:
        for message in form.non_field_errors():
            messages.error(request, str(message))
        return redirect("agenda:task", pk=pk)
    return _detail(request, task, done_form=form, status=400)


@require_POST
def task_note(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = selectors.task_by_pk(pk)
    access.require_editor(user)
    form = TaskNoteForm(request.POST)
    if form.is_valid():
        try:
            services.task_add_note(actor=user, task=task, text=form.cleaned_data["text"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Se agregó la nota de seguimiento."))
            return redirect(reverse("agenda:task", args=[pk]) + "#notas")
    return _detail(request, task, note_form=form, status=400)


def _action_label(current: str, target: str) -> str:
    """The button that moves a task on (done has its own form: it needs evidence)."""
    if target == TaskStatus.IN_PROGRESS:
        return _("Reabrir") if current == TaskStatus.DONE else _("Marcar en curso")
    if target == TaskStatus.PENDING:
        return _("Reabrir") if current == TaskStatus.CANCELLED else _("Volver a pendiente")
    return _("Cancelar la tarea")


def _due_note(task: Task, today: date) -> str:
    """Words for a deadline that is close (beside the date in the list)."""
    if task.status not in selectors.OPEN_TASK:
        return ""
    days = (task.due_date - today).days
    if days == 0:
        return _("Vence hoy")
    if days == 1:
        return _("Vence mañana")
    return ""
