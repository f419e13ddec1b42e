"""Background work of the dashboard: the weekly snapshot of the portfolio.

Celery beat sends `dashboard.schedule_snapshots` every hour from the public schema; it
enqueues `dashboard.take_snapshot` inside each active municipality. Taking the snapshot is
idempotent per cycle week (the row of the week is replaced), so the hourly run keeps the
current week's row up to date with the latest state of the week, and the week's row freezes
when the week ends: its last value is the portfolio as it stood at the end of that week. A
missed run (worker down) is caught up by the next one, and a municipality that changes its
cycle day simply starts filling the new week's row. The cost is one portfolio computation
per municipality per hour (a few queries; see bench/initiatives.py for the big case)."""

from __future__ import annotations

from celery import shared_task

from tenants.dashboard.services import snapshot_take
from tenants.models import Municipality
from tenants.task_utils import for_each_active_municipality


@shared_task(name="dashboard.schedule_snapshots")
def schedule_snapshots() -> list[str]:
    """Enqueue the snapshot inside every active municipality. Runs in the public schema;
    returns the slugs."""
    sent: list[str] = []

    def visit(municipality: Municipality) -> None:
        take_snapshot.delay()
        sent.append(municipality.slug)

    for_each_active_municipality("dashboard.schedule_snapshots", visit)
    return sent


@shared_task(name="dashboard.take_snapshot")
def take_snapshot() -> str:
    """This week's snapshot of the current municipality's portfolio; returns its week.
    Runs in the municipality's schema (fails closed in public)."""
    return snapshot_take().week_start.isoformat()
