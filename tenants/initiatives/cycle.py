"""The municipality's weekly cycle, read by services and selectors alike."""

from __future__ import annotations

from datetime import date

from tenants.db import local_today
from tenants.initiatives import rules
from tenants.initiatives.models import CycleSettings


def cycle_day() -> int:
    """The weekday (0 = Monday) that opens the municipality's weekly cycle."""
    settings = CycleSettings.objects.filter(pk=1).first()
    return settings.cycle_day if settings else 0


def current_week() -> date:
    return rules.week_start(local_today(), cycle_day())
