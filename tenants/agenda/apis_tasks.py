"""Tasks and commitments API (tenant domain). Every member reads; the agenda's editors write,
through the same services as the pages, so the same rules and errors apply."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response

from tenants.accounts.models import User, acting_user
from tenants.agenda import access, selectors, services
from tenants.agenda.models import Request, Task, TaskKind, TaskPriority, TaskStatus
from tenants.api_fields import parse
from tenants.db import local_today
from tenants.initiatives.models import Initiative
from tenants.structure.models import NetworkMember


def _task(task: Task, *, today: date | None = None, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": task.pk, "kind": task.kind, "description": task.description, "activity_id": task.activity_id,
        "request_id": task.request_id, "initiative_id": task.initiative_id, "assignee_id": task.assignee_id,
        "assignee_name": task.assignee.full_name, "due_date": task.due_date, "priority": task.priority,
        "status": task.status, "overdue": selectors.task_is_overdue(task, today), "evidence": task.evidence,
        "completed_on": task.completed_on, "version": task.version,
    }  # fmt: skip
    if full:
        data["notes"] = [{"text": n.text, "at": n.at, "by": n.actor_label} for n in task.notes.all()]
    return data


class TaskInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=TaskKind.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    assignee_id = serializers.IntegerField(required=False)
    due_date = serializers.DateField(required=False)
    priority = serializers.ChoiceField(choices=TaskPriority.choices, required=False)
    activity_id = serializers.IntegerField(required=False, allow_null=True)
    request_id = serializers.IntegerField(required=False, allow_null=True)
    initiative_id = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False)


class StatusInput(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


def _service_data(user: User, data: dict[str, Any]) -> dict[str, Any]:
    """Ids to rows, with the service's field names (an unknown id is a field error)."""
    lookups: dict[str, tuple[str, Any]] = {
        "assignee_id": ("assignee", NetworkMember.objects.all()),
        "activity_id": ("activity", selectors.visible_activities(user)),
        "request_id": ("request", Request.objects.all()),
        "initiative_id": ("initiative", Initiative.objects.all()),
    }
    out = {k: v for k, v in data.items() if k not in lookups and k != "version"}
    errors: dict[str, list[str]] = {}
    for key, (name, queryset) in lookups.items():
        if key not in data:
            continue
        pk = data[key]
        found: Model | None = queryset.filter(pk=pk).first() if pk is not None else None
        if pk is not None and found is None:
            errors[key] = [_("No existe el registro %(id)s.") % {"id": pk}]
        out[name] = found
    if errors:
        raise ValidationError(errors)
    return out


# The service names rows; the API names their ids.
RENAMES = {"assignee": "assignee_id", "activity": "activity_id", "request": "request_id", "initiative": "initiative_id"}


def _save(**kwargs: Any) -> Task:
    try:
        return services.task_save(**kwargs)
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ValidationError({RENAMES.get(k, k): v for k, v in exc.message_dict.items()}) from exc
        raise


class TaskListApi(GenericAPIView[Task]):
    """Tasks and commitments, open ones first by due date. Filters: `status`, `assignee_id`,
    `kind`, `priority`, `overdue=1`. POST records one (agenda editors)."""

    queryset = Task.objects.none()
    serializer_class = TaskInput

    @extend_schema(
        operation_id="agenda_tasks_list",
        parameters=[
            OpenApiParameter("status", str), OpenApiParameter("assignee_id", int), OpenApiParameter("kind", str),
            OpenApiParameter("priority", str), OpenApiParameter("overdue", bool),
        ]
    )  # fmt: skip
    def get(self, request: ApiRequest) -> Response:
        params = request.query_params
        assignee = params.get("assignee_id", "")
        qs = selectors.tasks(
            status=params.get("status", "") if params.get("status") in TaskStatus.values else "",
            assignee=int(assignee) if assignee.isdigit() else None,
            kind=params.get("kind", "") if params.get("kind") in TaskKind.values else "",
            priority=params.get("priority", "") if params.get("priority") in TaskPriority.values else "",
            overdue=params.get("overdue") in ("1", "true"),
        )
        today = local_today()
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([_task(t, today=today) for t in page or []])

    def post(self, request: ApiRequest) -> Response:
        user = acting_user(request)
        access.require_editor(user)
        data = _service_data(user, parse(TaskInput, request))
        saved = _save(actor=user, data=data)
        return Response(_task(selectors.task_by_pk(saved.pk), full=True), status=status.HTTP_201_CREATED)


class TaskDetailApi(GenericAPIView[Task]):
    """One task with its follow-up notes. PATCH changes the fields given; send the `version`
    you read to refuse overwriting someone else's change."""

    queryset = Task.objects.none()
    serializer_class = TaskInput

    def get(self, request: ApiRequest, pk: int) -> Response:
        return Response(_task(selectors.task_by_pk(pk), full=True))

    def patch(self, request: ApiRequest, pk: int) -> Response:
        user = acting_user(request)
        task = selectors.task_by_pk(pk)
        access.require_editor(user)
        parsed = parse(TaskInput, request)
        data = _service_data(user, parsed)
        _save(actor=user, data=data, task=task, version=parsed.get("version"))
        return Response(_task(selectors.task_by_pk(pk), full=True))


class TaskStatusApi(GenericAPIView[Task]):
    """Move a task on: `status` (pending, in_progress, done, cancelled); done needs
    `evidence`."""

    queryset = Task.objects.none()
    serializer_class = StatusInput

    def post(self, request: ApiRequest, pk: int) -> Response:
        user = acting_user(request)
        task = selectors.task_by_pk(pk)
        access.require_editor(user)
        data = parse(StatusInput, request)
        services.task_set_status(
            actor=user, task=task, status=data["status"], evidence=data["evidence"], version=data.get("version")
        )
        return Response(_task(selectors.task_by_pk(pk), full=True))


api_urlpatterns = [
    path("agenda/tasks/", TaskListApi.as_view(), name="api-agenda-tasks"),
    path("agenda/tasks/<int:pk>/", TaskDetailApi.as_view(), name="api-agenda-task"),
    path("agenda/tasks/<int:pk>/status/", TaskStatusApi.as_view(), name="api-agenda-task-status"),
]
