"""What communications offers other apps, as plain data (DESIGN.md §4.7): the actions an
activity or an initiative gave rise to, with their published links and reach."""

from __future__ import annotations

from typing import Any

from tenants.communications import selectors


def results_for_activity(activity_id: int) -> list[dict[str, Any]]:
    return selectors.results(activity_id=activity_id)


def results_for_initiative(initiative_id: int) -> list[dict[str, Any]]:
    return selectors.results(initiative_id=initiative_id)
