"""Background work of the agenda: the daily reminder of overdue and due-soon tasks.

Celery beat sends `agenda.schedule_task_reminders` every hour from the public schema; it
enqueues `agenda.send_task_reminders` inside each active municipality whose local clock
reads REMINDER_HOUR, so everyone gets the reminder in the morning of their own time zone.
Each task is marked as reminded for the day in the same transaction as its email is sent,
so a repeated or redelivered run sends nothing twice."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from zoneinfo import ZoneInfo

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tenants.agenda import selectors
from tenants.agenda.models import Task
from tenants.agenda.services.tasks import tasks_mark_reminded
from tenants.db import current_municipality, local_today
from tenants.links import workspace_url
from tenants.models import Municipality
from tenants.task_utils import for_each_active_municipality

REMINDER_HOUR = 7  # local time
SOON_DAYS = selectors.SOON_DAYS  # "due soon": today, tomorrow and the day after


@shared_task(name="agenda.schedule_task_reminders")
def schedule_task_reminders(*, local_hour: int | None = REMINDER_HOUR) -> list[str]:
    """Enqueue the reminder inside every active municipality whose local hour is
    `local_hour` or later (None: every one). Runs in the public schema; returns the slugs."""
    now = timezone.now()
    sent: list[str] = []

    def visit(municipality: Municipality) -> None:
        # From that hour on, not only at it: a late or missed hourly run still reminds
        # that day, and the per-day mark keeps later runs from sending twice.
        if local_hour is None or now.astimezone(ZoneInfo(municipality.time_zone)).hour >= local_hour:
            send_task_reminders.delay()
            sent.append(municipality.slug)

    for_each_active_municipality("agenda.schedule_task_reminders", visit)
    return sent


@shared_task(name="agenda.send_task_reminders", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_task_reminders() -> int:
    """One email per assignee address with their overdue and due-soon tasks; returns how
    many emails left. Runs in the municipality's schema (fails closed in public)."""
    municipality = current_municipality()
    today = local_today()
    by_email: dict[str, list[int]] = defaultdict(list)
    for task in selectors.tasks_to_remind(today, SOON_DAYS):
        by_email[task.assignee.email.strip().lower()].append(task.pk)
    sent = 0
    for email, ids in sorted(by_email.items()):
        with transaction.atomic():
            # Locked, and re-read as still due: a parallel run takes the rows or skips them.
            tasks = list(
                selectors.tasks_to_remind(today, SOON_DAYS)
                .filter(pk__in=ids)
                .select_for_update(skip_locked=True, of=("self",))
            )
            if not tasks:
                continue
            _send(municipality, email, tasks, today)
            tasks_mark_reminded(task_ids=[t.pk for t in tasks], day=today)
            sent += 1
    return sent


def _send(municipality: Municipality, email: str, tasks: list[Task], today: date) -> None:
    def item(task: Task) -> dict[str, object]:
        url = workspace_url(municipality, reverse("agenda:task", args=[task.pk]))
        return {"task": task, "url": url, "days_late": (today - task.due_date).days}

    with translation.override(municipality.default_language):
        context = {
            "municipality": municipality,
            "name": tasks[0].assignee.full_name,
            "overdue": [item(t) for t in tasks if t.due_date < today],
            "soon": [item(t) for t in tasks if t.due_date >= today],
            "today": today,
            "list_url": workspace_url(municipality, reverse("agenda:tasks")),
        }
        subject = render_to_string("agenda/email/task_reminder_subject.txt", context).strip()
        body = render_to_string("agenda/email/task_reminder.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
