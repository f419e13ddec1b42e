"""Tasks and commitments: instructions the mayor gives, errands, and commitments the mayor
takes on, followed up until done."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.agenda import access
from tenants.agenda.models import Task, TaskKind, TaskNote, TaskPriority, TaskStatus
from tenants.audit import audit
from tenants.db import local_today
from tenants.service_utils import bump, check_date, check_not_archived, label, lock, required
from tenants.structure.validation import clean_text, collect, raise_if

TASK_FIELDS = ("kind", "description", "activity", "request", "initiative", "assignee", "due_date", "priority")
TRANSITIONS: dict[str, set[str]] = {
    TaskStatus.PENDING: {TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED},
    TaskStatus.IN_PROGRESS: {TaskStatus.PENDING, TaskStatus.DONE, TaskStatus.CANCELLED},
    TaskStatus.DONE: {TaskStatus.IN_PROGRESS},
    TaskStatus.CANCELLED: {TaskStatus.PENDING},
}


def task_save(
    *, actor: User | None, data: Mapping[str, Any], task: Task | None = None, version: int | None = None
) -> Task:
    access.require_editor(actor)
    with transaction.atomic():
        fresh = lock(task, version) if task is not None else None
        current = {name: getattr(fresh, name) for name in TASK_FIELDS} if fresh else {}
        merged = {**current, **data}
        errors: dict[str, list[str]] = {}
        if merged.get("kind") not in TaskKind.values:
            errors["kind"] = [_("Elija la clase: instrucción, encargo o compromiso.")]
        description = collect(errors, "description", required, merged.get("description"), max_length=4000)
        priority = merged.get("priority") or TaskPriority.MEDIUM
        if priority not in TaskPriority.values:
            errors["priority"] = [_("Elija una prioridad.")]
        assignee = merged.get("assignee")
        if assignee is None:
            errors["assignee"] = [_("Elija a la persona responsable.")]
        check_not_archived(errors, "assignee", [assignee], linked=[fresh.assignee_id] if fresh else [])
        due = check_date(errors, "due_date", merged.get("due_date"))
        # A past due date is allowed: a commitment is often recorded after it was made, and
        # then it is simply overdue.
        raise_if(errors)
        assert due is not None
        target = fresh or Task()
        old_due = target.due_date if fresh else None
        if fresh is not None:
            bump(target)
        for name in TASK_FIELDS:
            if name in merged:
                setattr(target, name, merged[name])
        target.description, target.priority, target.due_date = description, priority, due
        target.save()
        audit(
            actor=actor, action="task.created" if fresh is None else "task.changed", object_type="task",
            object_id=target.pk, before={"due_date": str(old_due)} if old_due and old_due != due else None,
            after={"due_date": str(due)},
        )  # fmt: skip
    return target


def task_set_status(
    *, actor: User | None, task: Task, status: str, evidence: str = "", version: int | None = None
) -> Task:
    """Move a task on. Completing it needs the evidence of what was done."""
    access.require_editor(actor)
    with transaction.atomic():
        fresh = lock(task, version)
        errors: dict[str, list[str]] = {}
        text = collect(errors, "evidence", clean_text, evidence, max_length=4000)
        if status not in TaskStatus.values:
            raise ValidationError({"status": [_("Elija un estado.")]})
        if status not in TRANSITIONS[fresh.status]:
            raise ValidationError(
                {
                    "status": [
                        _("Una tarea «%(current)s» no puede pasar a «%(new)s».")
                        % {"current": TaskStatus(fresh.status).label, "new": TaskStatus(status).label}
                    ]
                }
            )
        if status == TaskStatus.DONE and not text:
            errors["evidence"] = [_("Describa la evidencia de cumplimiento.")]
        raise_if(errors)
        old = fresh.status
        fresh.status = status
        if status == TaskStatus.DONE:
            fresh.evidence, fresh.completed_on = text, local_today()
        elif old == TaskStatus.DONE:
            fresh.completed_on = None
        bump(fresh)
        fresh.save()
        audit(
            actor=actor, action="task.status", object_type="task", object_id=fresh.pk,
            before={"status": old}, after={"status": status},
        )  # fmt: skip
    return fresh


def task_add_note(*, actor: User | None, task: Task, text: str) -> TaskNote:
    access.require_editor(actor)
    errors: dict[str, list[str]] = {}
    body = collect(errors, "text", required, text, max_length=4000)
    raise_if(errors)
    with transaction.atomic():
        note = TaskNote.objects.create(task=task, text=body, actor_label=label(actor))
        audit(actor=actor, action="task.note", object_type="task", object_id=task.pk)
    return note


def tasks_mark_reminded(*, task_ids: Iterable[int], day: date) -> int:
    """Record that the assignees were reminded of these tasks on `day` (the daily reminder
    skips them until the next day). The system acts, not a person; the version is not
    bumped, so a form someone has open on the task can still be saved."""
    ids = sorted(set(task_ids))
    with transaction.atomic():
        updated = Task.objects.filter(pk__in=ids).update(last_reminded_on=day)
        if updated:
            audit(actor=None, action="task.reminded", object_type="task", task_ids=ids, day=day.isoformat())
    return updated
