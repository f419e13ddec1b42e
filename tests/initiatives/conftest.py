from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from tenants.db import local_today, use_municipality, use_public_schema
from tenants.initiatives import services
from tenants.initiatives.models import Initiative, Milestone, ProductKind
from tests.conftest import World


@pytest.fixture
def in_alfa(w: World) -> Iterator[World]:
    """Run service calls inside Alfa's schema, as a request to alfa.localhost would."""
    use_municipality(w.alfa)
    yield w
    use_public_schema()


def make_initiative(
    w: World,
    *,
    name: str = "Agua potable para el barrio Norte",
    start: date | None = None,
    months: int = 6,
    milestones: int = 3,
    close: bool = False,
    **extra: Any,
) -> tuple[Initiative, list[Milestone]]:
    """An initiative managed by Alfa's initiative manager, with a chain of milestones each
    depending on the previous one, evenly spread to the target date. Call inside Alfa."""
    # The municipality's today (the services' clock), not the machine's.
    start = start or local_today() - timedelta(days=30)
    target = start + timedelta(days=30 * months)
    data = {
        "name": name,
        "objective": "Que 300 familias tengan agua potable en casa.",
        "product_kind": ProductKind.PUBLIC_WORK,
        "manager_id": w.manager_alfa.pk,
        "follow_up_id": w.followup_alfa.pk,
        "start_date": start,
        "target_date": target,
        **extra,
    }
    initiative = services.initiative_save(actor=None, data=data)
    made: list[Milestone] = []
    step = (target - start) / (milestones or 1)
    for n in range(milestones):
        made.append(
            services.milestone_save(
                actor=None,
                initiative=initiative,
                data={
                    "name": f"Meta {n + 1}",
                    "due_date": start + step * (n + 1),
                    "responsible_id": w.manager_alfa.pk,
                    "weight": 1,
                    "depends_on": made[-1:],
                },
            )
        )
    if close:
        initiative = services.programming_close(actor=None, initiative=initiative)
    return initiative, made
