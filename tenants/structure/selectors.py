"""Reads on the municipal structure: lists with search and filters, and picker options.
Search is accent- and case-insensitive (PostgreSQL unaccent, installed in public)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from tenants.structure.models import Actor, Area, NetworkMember, Place, PlaceLevel, PlaceLevelSet, Position, Theme
from tenants.workspace.schema_guard import require_tenant_schema

SEARCH_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Theme: ("code", "name", "description"),
    Place: ("code", "name"),
    Actor: ("name", "organisation", "position"),
    Area: ("code", "name"),
    Position: ("code", "name"),
    NetworkMember: ("full_name", "email"),
}
RELATED: dict[type[models.Model], tuple[str, ...]] = {
    Theme: ("parent",),
    Place: ("level__level_set", "parent"),
    Actor: (),
    Area: ("parent",),
    Position: ("area",),
    NetworkMember: ("position__area",),
}
# Filters a list accepts: name -> lookup.
FILTERS: dict[type[models.Model], dict[str, str]] = {
    Theme: {"parent": "parent_id"},
    Place: {"level": "level_id", "parent": "parent_id"},
    Actor: {"kind": "kind", "relevance": "relevance", "theme": "themes", "place": "places"},
    Area: {"parent": "parent_id"},
    Position: {"area": "area_id"},
    NetworkMember: {"role": "roles__contains"},
}


def search(queryset: QuerySet[Any], model: type[models.Model], text: str) -> QuerySet[Any]:
    text = (text or "").strip()
    if not text:
        return queryset
    condition = Q()
    for field in SEARCH_FIELDS[model]:
        condition |= Q(**{f"{field}__unaccent__icontains": text})
    return queryset.filter(condition)


def items(
    model: type[models.Model], *, text: str = "", status: str = "active", filters: dict[str, str] | None = None
) -> QuerySet[Any]:
    """A list page's rows: status is 'active', 'archived' or 'all'."""
    require_tenant_schema()
    queryset = model.objects.select_related(*RELATED[model])  # type: ignore[attr-defined, misc]
    if model is Actor:
        queryset = queryset.prefetch_related("themes", "places")
    if status == "active":
        queryset = queryset.filter(is_active=True)
    elif status == "archived":
        queryset = queryset.filter(is_active=False)
    for name, value in (filters or {}).items():
        lookup = FILTERS[model].get(name)
        if lookup and (lookup.endswith("_id") or lookup in ("themes", "places")) and not str(value).isdigit():
            continue  # a malformed id in the address is no filter, not an error page
        if lookup and value:
            queryset = queryset.filter(**{lookup: [value] if lookup.endswith("__contains") else value})
    return search(queryset, model, text).distinct()


def picker_options(model: type[models.Model], text: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Type-ahead options: active items only (archived ones leave the pickers)."""
    require_tenant_schema()
    queryset = search(model.objects.filter(is_active=True), model, text)  # type: ignore[attr-defined]
    if model is Place:
        queryset = queryset.select_related("level")
    ordering = list(model._meta.ordering or ["pk"])
    return [{"id": item.pk, "label": picker_label(item)} for item in queryset.order_by(*ordering)[:limit]]


def picker_label(item: models.Model) -> str:
    if isinstance(item, Theme | Area | Position):
        return f"{item.code} · {item.name}"
    if isinstance(item, Place):
        return f"{item.name} ({item.level.name})"
    if isinstance(item, Actor):
        return f"{item.name} · {item.organisation}" if item.organisation else item.name
    return str(item)


def level_sets() -> QuerySet[PlaceLevelSet]:
    require_tenant_schema()
    return PlaceLevelSet.objects.prefetch_related("levels").order_by("name")


def levels() -> QuerySet[PlaceLevel]:
    return PlaceLevel.objects.select_related("level_set").order_by("level_set__name", "rank")


def initiative_count() -> int:
    # Through the initiatives app's own read (DESIGN.md §4.7); imported here because that
    # app builds on this one.
    from tenants.initiatives.selectors import initiative_count as count

    return count()


def onboarding_status() -> list[dict[str, Any]]:
    """The onboarding steps, in the method's order, with how much each has."""
    require_tenant_schema()
    steps = [
        ("actors", Actor.objects.filter(is_active=True).count()),
        ("places", Place.objects.filter(is_active=True).count()),
        ("themes", Theme.objects.filter(is_active=True).count()),
        ("initiatives", initiative_count()),
        ("network", NetworkMember.objects.filter(is_active=True).count()),
    ]
    return [{"key": key, "count": count, "done": bool(count)} for key, count in steps]
