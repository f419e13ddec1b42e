"""What priority initiatives offer other apps, as plain data (DESIGN.md §4.7)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tenants.initiatives.models import Milestone


def communication_sources(start: date, end: date) -> list[dict[str, Any]]:
    """Milestones flagged as communication opportunities, due or completed in a span."""
    rows = (
        Milestone.objects.filter(communication_opportunity=True, due_date__gte=start, due_date__lte=end)
        .select_related("initiative")
        .order_by("due_date", "pk")
    )
    return [
        {
            "source": "milestone",
            "id": m.pk,
            "title": m.name,
            "initiative_id": m.initiative_id,
            "initiative": m.initiative.name,
            "initiative_is_public": m.initiative.is_public,
            "due_date": m.due_date,
            "completed_on": m.completed_on,
        }
        for m in rows
    ]
