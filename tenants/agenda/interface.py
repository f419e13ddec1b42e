"""What the agenda offers other apps, as plain data (DESIGN.md §4.7). The communications
module reads its sources here rather than importing agenda models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from tenants.agenda.models import Activity, ActivityStatus


def _communicable() -> QuerySet[Activity]:
    """Activities that may become communication actions: public and not cancelled. Private
    ones never leave the agenda."""
    return (
        Activity.objects.filter(is_public=True)
        .exclude(status=ActivityStatus.CANCELLED)
        .select_related("place")
        .prefetch_related("themes", "actors")
    )


def _source_row(a: Activity) -> dict[str, Any]:
    return {
        "source": "activity",
        "id": a.pk,
        "title": a.title,
        "kind": a.kind,
        "status": a.status,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "place": a.place.name if a.place else a.address,
        "themes": [t.name for t in a.themes.all()],
        "theme_ids": [t.pk for t in a.themes.all()],
        "place_ids": [a.place_id] if a.place_id else [],
        "actor_ids": [x.pk for x in a.actors.all()],
        "initiative_id": a.initiative_id,
        "outcome_notes": a.outcome_notes if a.status == ActivityStatus.DONE else "",
    }


def communication_sources(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Public activities in a span that could become communication actions: the mayor's
    events, visits and ceremonies that people should hear about. Private ones never leave."""
    rows = _communicable().filter(starts_at__lt=end, ends_at__gt=start).order_by("starts_at", "pk")
    return [_source_row(a) for a in rows]


def communication_source(activity_id: int) -> dict[str, Any] | None:
    """One activity as `communication_sources` gives it, or None if it is not one that may
    become a communication action (missing, private or cancelled: alike, so a private
    activity's existence does not leave the agenda either)."""
    found = _communicable().filter(pk=activity_id).first()
    return _source_row(found) if found is not None else None
