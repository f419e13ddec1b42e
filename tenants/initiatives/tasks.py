"""Background work of the initiatives: keep the community's copy of the traffic lights true.

A light moves with time as well as with writes (a milestone's due date passes with nobody
touching it), so every hour each municipality compares the lights of its shared initiatives
with the ones it last sent and sends the ones that moved, through its outbox as usual."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from tenants.initiatives import sharing
from tenants.initiatives.models import Initiative
from tenants.initiatives.selectors import compute_states
from tenants.models import Municipality
from tenants.task_utils import for_each_active_municipality


@shared_task(name="initiatives.schedule_light_refresh")
def schedule_light_refresh() -> list[str]:
    sent: list[str] = []

    def visit(municipality: Municipality) -> None:
        refresh_community_lights.delay()
        sent.append(municipality.slug)

    for_each_active_municipality("initiatives.schedule_light_refresh", visit)
    return sent


@shared_task(name="initiatives.refresh_community_lights")
def refresh_community_lights() -> int:
    """Runs in a municipality's schema; returns how many initiatives were sent again."""
    shared = list(Initiative.objects.filter(share_with_community=True))
    states = compute_states(shared, with_names=False)  # a few queries for the whole portfolio
    moved = [i for i in shared if int(states[i.pk].light) != i.community_light]
    sent = 0
    for initiative in moved:
        with transaction.atomic():
            sent += sharing.refresh_light(initiative, light=int(states[initiative.pk].light))
    return sent
