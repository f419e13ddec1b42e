"""Background work of the mayor's brief: the email of the cycle's day 3.

Celery beat sends `dashboard.schedule_briefs` every hour from the public schema. For each
active municipality whose local date is the day 3 of its weekly cycle (the mayor's office,
initiatives.rules.cycle_dates) and whose local clock reads BRIEF_HOUR or later, it enqueues
`dashboard.send_brief` inside that municipality, unless the week's brief already went out.
From that hour on, not only at it: a missed hourly run still sends that day, and the week's
BriefDelivery row (services_brief) keeps later runs from sending twice. Loaded by
DashboardConfig.ready (Celery's autodiscovery only imports `tasks` modules)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from celery import shared_task
from django.utils import timezone

from tenants.dashboard.models import BriefDelivery
from tenants.dashboard.services_brief import brief_send
from tenants.db import current_municipality, local_today
from tenants.initiatives import rules
from tenants.initiatives.cycle import cycle_day
from tenants.models import Municipality
from tenants.task_utils import for_each_active_municipality

BRIEF_HOUR = 7  # local time
BRIEF_DAY = 3  # of the weekly cycle: the mayor's office


@shared_task(name="dashboard.schedule_briefs")
def schedule_briefs(*, local_hour: int = BRIEF_HOUR) -> list[str]:
    """Enqueue the brief in every active municipality on its cycle's day 3 at `local_hour`
    or later. Runs in the public schema; returns the slugs it enqueued for."""
    now = timezone.now()
    sent: list[str] = []

    def visit(municipality: Municipality) -> None:
        local = now.astimezone(ZoneInfo(municipality.time_zone))
        if local.hour < local_hour:
            return
        day = cycle_day()  # inside the municipality: the cycle's first day is its own
        today = local.date()
        if today != rules.cycle_dates(today, day)[BRIEF_DAY]:
            return
        if BriefDelivery.objects.filter(week_start=rules.week_start(today, day)).exists():
            return
        send_brief.delay()
        sent.append(municipality.slug)

    for_each_active_municipality("dashboard.schedule_briefs", visit)
    return sent


@shared_task(name="dashboard.send_brief", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_brief() -> int:
    """This week's brief to the mayor(s) of the current municipality; returns how many
    addresses it went to (0: already sent this week, or no mayor). Runs in the
    municipality's schema (fails closed in public)."""
    current_municipality()
    delivery = brief_send(today=local_today())
    return delivery.recipients if delivery else 0
