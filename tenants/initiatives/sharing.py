"""What a municipality shares with the community, as outbox events (DESIGN.md §2). Only
initiatives flagged to share, and restrictions flagged to share, leave the schema; turning
a flag off sends a withdrawal so the community index forgets the item."""

from __future__ import annotations

from typing import Any

from tenants.initiatives.models import Aro, AroKind, Initiative
from tenants.outbox import emit


def initiative_payload(initiative: Initiative) -> dict[str, Any]:
    return {
        "id": initiative.pk,
        "name": initiative.name,
        "objective": initiative.objective,
        "product_kind": initiative.product_kind,
        "status": initiative.status,
        "population_reached": initiative.population_reached,
        "start_date": initiative.start_date.isoformat(),
        "target_date": initiative.target_date.isoformat(),
        "themes": [t.name for t in initiative.themes.all()],
        "places": [p.name for p in initiative.places.all()],
        "is_public": initiative.is_public,
    }


def share_initiative(initiative: Initiative, *, was_shared: bool) -> None:
    """Call inside the write's transaction, after the initiative and its links are saved."""
    if initiative.share_with_community:
        emit(
            topic="initiative.upserted",
            aggregate_type="initiative",
            aggregate_id=initiative.pk,
            payload=initiative_payload(initiative),
        )
    elif was_shared:
        emit(topic="initiative.withdrawn", aggregate_type="initiative", aggregate_id=initiative.pk, payload={})
    if initiative.share_with_community or was_shared:
        # Its shared restrictions name it (or stop naming it) and carry its themes: send
        # them again so the community index does not keep a stale link.
        for aro in initiative.aros.filter(kind=AroKind.RESTRICTION, share_with_community=True).select_related(
            "aro_type"
        ):
            aro.initiative = initiative
            share_aro(aro, was_shared=True)


def restriction_payload(aro: Aro) -> dict[str, Any]:
    initiative = aro.initiative
    return {
        "id": aro.pk,
        "type": aro.aro_type.key or aro.aro_type.name,
        "type_name": aro.aro_type.name,
        "description": aro.description,
        "level": aro.level,
        "is_open": aro.is_open,
        "raised_on": aro.raised_on.isoformat(),
        "themes": [t.name for t in initiative.themes.all()],
        # The initiative is named only if the municipality shares it too.
        "initiative_id": initiative.pk if initiative.share_with_community else None,
    }


def share_aro(aro: Aro, *, was_shared: bool) -> None:
    if aro.kind != AroKind.RESTRICTION:
        return
    if aro.share_with_community:
        emit(
            topic="restriction.upserted",
            aggregate_type="restriction",
            aggregate_id=aro.pk,
            payload=restriction_payload(aro),
        )
    elif was_shared:
        emit(topic="restriction.withdrawn", aggregate_type="restriction", aggregate_id=aro.pk, payload={})
