"""What priority initiatives offer other apps, as plain data (DESIGN.md §4.7)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from tenants.initiatives.models import Aro, AroKind, BuiltInAroType, Milestone


def communication_sources(start: date, end: date) -> list[dict[str, Any]]:
    """Milestones flagged as communication opportunities, due or completed in a span."""
    rows = (
        _flagged_milestones()
        .filter(Q(due_date__gte=start, due_date__lte=end) | Q(completed_on__gte=start, completed_on__lte=end))
        .order_by("due_date", "pk")
    )
    return [_milestone_row(m) for m in rows]


def _flagged_milestones() -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(communication_opportunity=True)
        .select_related("initiative")
        .prefetch_related("places", "actors", "initiative__themes")
    )


def _milestone_row(m: Milestone) -> dict[str, Any]:
    return {
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


def communication_opportunities() -> list[dict[str, Any]]:
    """Open opportunities of the communicational type: the method's way of flagging an
    opportunity for the communications team."""
    return [_opportunity_row(a) for a in _communicational_opportunities().order_by("-raised_on", "pk")]


def _communicational_opportunities() -> QuerySet[Aro]:
    return (
        Aro.objects.filter(kind=AroKind.OPPORTUNITY, is_open=True, aro_type__key=BuiltInAroType.COMMUNICATIONAL)
        .select_related("initiative", "milestone")
        .prefetch_related("initiative__themes", "initiative__places")
    )


def _opportunity_row(a: Aro) -> dict[str, Any]:
    return {
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


def communication_source(kind: str, source_id: int) -> dict[str, Any] | None:
    """One source as the lists above give it (`kind` "milestone" or "opportunity"), or None
    if it is not one the communications inbox would offer: a milestone not flagged as a
    communication opportunity, an opportunity closed or not of the communicational type, or
    a row that does not exist."""
    if kind == "milestone":
        milestone = _flagged_milestones().filter(pk=source_id).first()
        return _milestone_row(milestone) if milestone is not None else None
    if kind == "opportunity":
        aro = _communicational_opportunities().filter(pk=source_id).first()
        return _opportunity_row(aro) if aro is not None else None
    return None
