"""What priority initiatives offer other apps, as plain data (DESIGN.md §4.7)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from tenants.initiatives.models import Aro, AroKind, BuiltInAroType, Initiative, Milestone


def communication_sources(start: date, end: date) -> list[dict[str, Any]]:
    """Milestones flagged as communication opportunities, due or completed in a span."""
    rows = (
        Milestone.objects.filter(communication_opportunity=True)
        .filter(Q(due_date__gte=start, due_date__lte=end) | Q(completed_on__gte=start, completed_on__lte=end))
        .select_related("initiative")
        .prefetch_related("places", "actors", "initiative__themes")
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
            "theme_ids": [t.pk for t in m.initiative.themes.all()],
            "place_ids": [p.pk for p in m.places.all()],
            "actor_ids": [a.pk for a in m.actors.all()],
        }
        for m in rows
    ]


def communication_opportunities() -> list[dict[str, Any]]:
    """Open opportunities of the communicational type: the method's way of flagging an
    opportunity for the communications team."""
    rows = (
        Aro.objects.filter(kind=AroKind.OPPORTUNITY, is_open=True, aro_type__key=BuiltInAroType.COMMUNICATIONAL)
        .select_related("initiative", "milestone")
        .prefetch_related("initiative__themes", "initiative__places")
        .order_by("-raised_on", "pk")
    )
    return [
        {
            "source": "opportunity",
            "id": a.pk,
            "title": a.description[:200],
            "initiative_id": a.initiative_id,
            "initiative": a.initiative.name,
            "initiative_is_public": a.initiative.is_public,
            "milestone_id": a.milestone_id,
            "raised_on": a.raised_on,
            "theme_ids": [t.pk for t in a.initiative.themes.all()],
            "place_ids": [p.pk for p in a.initiative.places.all()],
            "actor_ids": [],
        }
        for a in rows
    ]


def initiative_names(ids: set[int]) -> dict[int, str]:
    return dict(Initiative.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
