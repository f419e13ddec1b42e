"""A municipality's view of the community (tenant domain, /comunidad/): the detected groups
its own shared items belong to, and what the other municipalities in them share.

Members only (WorkspaceAccessMiddleware answers 404 to anyone else). It reads the public
community index, never another municipality's schema, so it can only ever show what each
municipality chose to share; withdrawn items and deactivated municipalities never appear."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from community.models import IndexItem, ItemKind
from community.presentation_groups import item_row, strength_label
from community.selectors_groups import groups_of_municipality
from tenants.db import current_municipality


def _own_link(item: IndexItem) -> str:
    """The item's page in this workspace: an initiative, or a restriction under its
    initiative (when the index knows which)."""
    if item.kind == ItemKind.INITIATIVE:
        return reverse("initiatives:detail", args=[item.source_id])
    if item.initiative_source_id:
        return reverse("initiatives:aro", args=[item.initiative_source_id, item.source_id])
    return ""


@require_GET
def groups(request: HttpRequest) -> HttpResponse:
    municipality = current_municipality()
    rows = [
        {
            "group": row.group,
            "strength_pct": round(row.group.strength * 100),
            "strength_label": strength_label(row.group.strength),
            "own": [(item_row(i), _own_link(i)) for i in row.own],
            "others": [item_row(i) for i in row.others],
            "municipalities": row.other_municipalities,
        }
        for row in groups_of_municipality(municipality)
    ]
    return render(request, "community/workspace/groups.html", {"rows": rows, "municipality": municipality})
