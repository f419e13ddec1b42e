"""The municipality's today and its weekly cycle, read by services and selectors alike."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.utils import timezone

from tenants.db import current_municipality
from tenants.initiatives import rules
from tenants.initiatives.models import CycleSettings


def local_today() -> date:
    """Today in the municipality's time zone (a deadline is a local date)."""
    return timezone.localdate(timezone.now(), ZoneInfo(current_municipality().time_zone))


def cycle_day() -> int:
    """The weekday (0 = Monday) that opens the municipality's weekly cycle."""
    settings = CycleSettings.objects.filter(pk=1).first()
    return settings.cycle_day if settings else 0


def current_week() -> date:
    return rules.week_start(local_today(), cycle_day())
