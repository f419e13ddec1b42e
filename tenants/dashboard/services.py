"""Writes of the dashboard: the weekly snapshot of the portfolio (DESIGN.md §4.2)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from tenants.dashboard import selectors
from tenants.dashboard.models import PortfolioSnapshot
from tenants.db import current_municipality, local_today
from tenants.initiatives import rules
from tenants.initiatives import selectors as initiatives
from tenants.initiatives.cycle import cycle_day


def snapshot_take(*, today: date | None = None) -> PortfolioSnapshot:
    """Store the portfolio as it stands now as the snapshot of the cycle week that contains
    `today` (the municipality's date by default). Idempotent per week: taking it again in
    the same week replaces that week's row (the latest state of the week counts); earlier
    weeks are never touched, so later edits of initiatives do not rewrite the trend."""
    current_municipality()  # tenant code fails closed in the public schema
    today = today or local_today()
    week = rules.week_start(today, cycle_day())
    values = selectors.snapshot_values(initiatives.portfolio(today=today))
    with transaction.atomic():
        snapshot, _created = PortfolioSnapshot.objects.update_or_create(
            week_start=week, defaults={"taken_at": timezone.now(), **values}
        )
    return snapshot
