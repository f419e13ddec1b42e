"""The small functions through which the communications module will find its sources."""

from __future__ import annotations

from datetime import timedelta

from tenants.agenda import interface as agenda
from tenants.agenda import services
from tenants.db import local_today
from tenants.initiatives import interface as initiatives
from tenants.initiatives.services import milestone_save
from tests.agenda.conftest import in_days
from tests.conftest import World
from tests.initiatives.conftest import make_initiative


def test_only_public_activities_and_flagged_milestones_are_sources(in_alfa: World) -> None:
    for title, public in (("Inauguración del puente", True), ("Reunión reservada", False)):
        services.activity_save(
            actor=None,
            data={
                "title": title,
                "kind": "event",
                "is_public": public,
                "starts_at": in_days(1),
                "ends_at": in_days(1, 11),
            },
        )
    rows = agenda.communication_sources(in_days(0, 0), in_days(3))
    assert [r["title"] for r in rows] == ["Inauguración del puente"]
    initiative, (m1, m2, _m3) = make_initiative(in_alfa)
    milestone_save(actor=None, initiative=initiative, milestone=m2, data={"communication_opportunity": True})
    found = initiatives.communication_sources(local_today() - timedelta(days=400), local_today() + timedelta(days=400))
    assert [(r["id"], r["initiative"]) for r in found] == [(m2.pk, initiative.name)]
    assert m1.pk not in {r["id"] for r in found}
