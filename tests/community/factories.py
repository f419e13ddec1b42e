"""Community index rows for tests that do not need to go through a municipality's outbox
(search, detection, the console). The relay's own tests write through the tenant."""

from __future__ import annotations

import itertools
from typing import Any

from community.models import IndexItem, ItemKind, population_bracket
from tenants.models import Municipality

_ids = itertools.count(900_000)


def make_item(municipality: Municipality, *, kind: str = ItemKind.INITIATIVE, **fields: Any) -> IndexItem:
    defaults: dict[str, Any] = {
        "title": "Iniciativa de prueba",
        "text": "",
        "status": "in_progress" if kind == ItemKind.INITIATIVE else "",
        "is_public": True,
        "country": municipality.country,
        "region": municipality.region,
        "population_bracket": population_bracket(municipality.population),
        "last_event_id": 1,
    }
    defaults.update(fields)
    return IndexItem.objects.create(
        municipality=municipality, kind=kind, source_id=defaults.pop("source_id", next(_ids)), **defaults
    )
