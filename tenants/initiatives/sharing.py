"""What a municipality shares with the community, as outbox events (DESIGN.md §2).

Consent is per initiative (`share_with_community`, on by default for priority initiatives);
its restrictions follow it unless marked private (their own flag off). Turning sharing off
sends a withdrawal so the community index forgets the item. Payloads carry only what the
community needs: no actors, no contact data, no citizens' opinions, nothing from the agenda.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tenants.initiatives.models import Aro, AroKind, Initiative
from tenants.initiatives.services.common import lock_initiative
from tenants.outbox import emit
from tenants.structure.models import Place


def _region_of(place: Place, parents: dict[int, tuple[str, int | None]]) -> str:
    """The widest place above this one (a district's department, a neighbourhood's district)."""
    name, parent = place.name, place.parent_id
    seen = 0
    while parent is not None and parent in parents and seen < 20:  # depth guard against bad data
        name, parent = parents[parent]
        seen += 1
    return name


def _places(initiative: Initiative) -> list[dict[str, Any]]:
    places = list(initiative.places.all())
    if not places:
        return []
    # Only the ancestors of these places, a level at a time (places nest a few levels deep).
    parents: dict[int, tuple[str, int | None]] = {}
    wanted = {p.parent_id for p in places if p.parent_id is not None}
    for _level in range(20):
        if not wanted:
            break
        rows = list(Place.objects.filter(pk__in=wanted).values_list("pk", "name", "parent_id"))
        parents.update({pk: (name, parent) for pk, name, parent in rows})
        wanted = {parent for _pk, _name, parent in rows if parent is not None and parent not in parents}
    return [{"id": p.pk, "name": p.name, "region": _region_of(p, parents)} for p in places]


def _themes(initiative: Initiative) -> list[dict[str, Any]]:
    return [{"id": t.pk, "name": t.name} for t in initiative.themes.all()]


def current_light(initiative: Initiative) -> int:
    from tenants.initiatives.selectors import compute_states

    return int(compute_states([initiative], with_names=False)[initiative.pk].light)


def _context(initiative: Initiative) -> dict[str, Any]:
    """What the initiative and each of its restrictions carry alike: read once per initiative."""
    return {
        "themes": _themes(initiative),
        "places": _places(initiative),
        "public_path": reverse("public:detail", args=[initiative.pk]) if initiative.is_public else "",
    }


def initiative_payload(
    initiative: Initiative, *, light: int | None = None, context: dict[str, Any] | None = None
) -> dict[str, Any]:
    light = current_light(initiative) if light is None else light
    return {
        "id": initiative.pk,
        "name": initiative.name,
        "objective": initiative.objective,
        "description": initiative.description,
        "product_kind": initiative.product_kind,
        "status": initiative.status,
        "light": light,
        "population_reached": initiative.population_reached,
        "start_date": initiative.start_date.isoformat(),
        "target_date": initiative.target_date.isoformat(),
        "is_public": initiative.is_public,
        **(context or _context(initiative)),
    }


def _send_initiative(initiative: Initiative, payload: dict[str, Any]) -> None:
    emit(topic="initiative.upserted", aggregate_type="initiative", aggregate_id=initiative.pk, payload=payload)
    if initiative.community_light != payload["light"]:
        Initiative.objects.filter(pk=initiative.pk).update(community_light=payload["light"])
        initiative.community_light = payload["light"]


def share_initiative(initiative: Initiative, *, was_shared: bool) -> None:
    """Call inside the write's transaction, after the initiative and its links are saved
    (the write's update holds the initiative's row lock)."""
    context = _context(initiative) if initiative.share_with_community else None
    if initiative.share_with_community:
        _send_initiative(initiative, initiative_payload(initiative, context=context))
    elif was_shared:
        emit(topic="initiative.withdrawn", aggregate_type="initiative", aggregate_id=initiative.pk, payload={})
    if initiative.share_with_community or was_shared:
        # Its restrictions follow it: shared with it (carrying its themes and public flag),
        # withdrawn with it.
        # Not locked here: a restriction's own writes lock this initiative before deciding
        # (share_aro), which this transaction's update already holds; locking them in the
        # other order here could deadlock with those writes.
        for aro in initiative.aros.filter(kind=AroKind.RESTRICTION, share_with_community=True).select_related(
            "aro_type"
        ):
            share_aro(aro, was_shared=was_shared, initiative=initiative, context=context)


def refresh_light(initiative: Initiative, *, locked: bool = False, light: int | None = None) -> bool:
    """Send the initiative again if its traffic light moved since it was last sent (after a
    report, a reprogramming, a completed milestone, or simply because time passed). Call
    inside a transaction; `locked`: the caller holds the row, read under the lock; `light`:
    already computed. Returns whether an event was written."""
    if not initiative.share_with_community:
        return False
    fresh = initiative if locked else lock_initiative(initiative.pk)
    if not fresh.share_with_community:
        return False
    light = current_light(fresh) if light is None else light
    if light == fresh.community_light:
        return False
    _send_initiative(fresh, initiative_payload(fresh, light=light))
    return True


def restriction_shared(aro: Aro) -> bool:
    return aro.kind == AroKind.RESTRICTION and aro.share_with_community and aro.initiative.share_with_community


def restriction_payload(aro: Aro, *, context: dict[str, Any] | None = None) -> dict[str, Any]:
    initiative = aro.initiative
    context = context or _context(initiative)
    return {
        "id": aro.pk,
        "type": aro.aro_type.key or aro.aro_type.name,
        "type_name": aro.aro_type.name,
        "description": aro.description,
        "level": aro.level,
        "is_open": aro.is_open,
        "raised_on": aro.raised_on.isoformat(),
        "themes": context["themes"],
        "places": context["places"],
        "initiative_id": initiative.pk,
        "initiative_name": initiative.name,
        # Public when its initiative is: the public search never shows internal problems
        # of an initiative the citizens cannot follow. Its page is the initiative's.
        "is_public": initiative.is_public,
        "public_path": context["public_path"],
    }


def share_aro(
    aro: Aro,
    *,
    was_shared: bool | None = None,
    initiative: Initiative | None = None,
    context: dict[str, Any] | None = None,
) -> None:
    """Send the restriction, or its withdrawal. `was_shared`: whether it was shared before
    this change; None when the change did not touch sharing (then: as it is now).
    `initiative`: its row, when the caller already holds it locked.

    The initiative's row is locked first, so a restriction's decision never reads an
    initiative whose sharing is changing in another transaction: whichever commits second
    writes its event second (the relay applies events in id order per item)."""
    if aro.kind != AroKind.RESTRICTION:
        return
    aro.initiative = initiative if initiative is not None else lock_initiative(aro.initiative_id)
    if was_shared is None:
        was_shared = restriction_shared(aro)
    if restriction_shared(aro):
        emit(
            topic="restriction.upserted",
            aggregate_type="restriction",
            aggregate_id=aro.pk,
            payload=restriction_payload(aro, context=context),
        )
    elif was_shared:
        emit(topic="restriction.withdrawn", aggregate_type="restriction", aggregate_id=aro.pk, payload={})


def resend_all() -> tuple[int, int]:
    """Send everything the municipality shares, then a snapshot that lists it, so that the
    community index can re-create its copy and forget anything else (the rebuild command).
    Call inside a transaction; returns (initiatives, restrictions) sent."""
    from tenants.initiatives.selectors import compute_states

    # Locked, so that nothing changes sharing between the upserts and the snapshot.
    shared = list(
        Initiative.objects.filter(share_with_community=True).select_for_update().prefetch_related("themes", "places")
    )
    states = compute_states(shared, with_names=False)  # one pass for every light
    contexts = {initiative.pk: _context(initiative) for initiative in shared}  # themes and places prefetched
    by_pk = {initiative.pk: initiative for initiative in shared}
    for initiative in shared:
        payload = initiative_payload(
            initiative, light=int(states[initiative.pk].light), context=contexts[initiative.pk]
        )
        emit(topic="initiative.upserted", aggregate_type="initiative", aggregate_id=initiative.pk, payload=payload)
    # A restriction is shared only with its initiative: those are all in `shared`.
    restrictions = list(
        Aro.objects.filter(
            kind=AroKind.RESTRICTION, share_with_community=True, initiative_id__in=list(by_pk)
        ).select_related("aro_type")
    )
    for aro in restrictions:
        aro.initiative = by_pk[aro.initiative_id]
        emit(
            topic="restriction.upserted",
            aggregate_type="restriction",
            aggregate_id=aro.pk,
            payload=restriction_payload(aro, context=contexts[aro.initiative_id]),
        )
    emit(
        topic="community.snapshot",
        aggregate_type="municipality",
        aggregate_id=0,
        payload={"initiative_ids": [i.pk for i in shared], "restriction_ids": [a.pk for a in restrictions]},
    )
    return len(shared), len(restrictions)
