"""Reads on the platform theme vocabulary and on municipalities' mappings to it (public schema).

Only a *confirmed* mapping to an *active* platform theme counts anywhere outside the mapping
page: in the index (`platform_theme_ids`), search facets and detection. A suggestion waits
for a person; a deactivated platform theme is out of the vocabulary until it is reactivated
(the municipality's decision is kept, so reactivating brings it back without asking again)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet

from community.models import IndexItem, MappingStatus, PlatformTheme, ThemeMapping
from community.theme_similarity import Candidate
from tenants.models import Municipality
from tenants.validators import parse_id


def all_platform_themes() -> QuerySet[PlatformTheme]:
    return PlatformTheme.objects.order_by("-is_active", "name")


def active_platform_themes() -> QuerySet[PlatformTheme]:
    return PlatformTheme.objects.filter(is_active=True).order_by("name")


def platform_theme_by_id(theme_id: object, *, active_only: bool = False) -> PlatformTheme | None:
    """The theme, or None for a missing, malformed or (if `active_only`) inactive id."""
    pk = parse_id(theme_id)
    if pk is None:
        return None
    themes = active_platform_themes() if active_only else PlatformTheme.objects.all()
    return themes.filter(pk=pk).first()


def platform_theme_names(ids: list[int]) -> dict[int, str]:
    """Names of platform themes by id (for facets and group reasons)."""
    return dict(PlatformTheme.objects.filter(pk__in=ids).values_list("pk", "name"))


def candidates() -> list[Candidate]:
    """The active vocabulary, pre-tokenised for similarity."""
    return [
        Candidate.of(pk, name, description)
        for pk, name, description in active_platform_themes().values_list("pk", "name", "description")
    ]


def platform_themes_for(local_theme_ids: Iterable[object], mapping: dict[int, int]) -> list[int]:
    """The platform themes an item counts under, given its own theme ids and the
    municipality's `confirmed_map`. Sorted and without repeats, so an unchanged item compares
    equal. The relay (per batch) and the recomputation after a decision both use it."""
    return sorted({mapping[i] for i in local_theme_ids if isinstance(i, int) and i in mapping})


def platform_theme_ids(municipality_id: int, local_theme_ids: list[int]) -> list[int]:
    """The same for one item, reading the municipality's mappings."""
    return platform_themes_for(local_theme_ids, confirmed_map(municipality_id))


def confirmed_map(municipality_id: int) -> dict[int, int]:
    """local theme id -> platform theme id, for all of a municipality's counting mappings."""
    rows = ThemeMapping.objects.filter(
        municipality_id=municipality_id, status=MappingStatus.CONFIRMED, platform_theme__is_active=True
    ).values_list("local_theme_id", "platform_theme_id")
    return {local: platform for local, platform in rows if platform is not None}


def mappings_of(municipality: Municipality) -> dict[int, ThemeMapping]:
    """A municipality's mapping rows by its own theme id."""
    rows = ThemeMapping.objects.filter(municipality=municipality).select_related("platform_theme", "decided_by")
    return {row.local_theme_id: row for row in rows}


@dataclass(frozen=True)
class VocabularyRow:
    theme: PlatformTheme
    municipalities: int  # municipalities with a confirmed mapping to it
    items: int  # live index items counted under it


def vocabulary_rows() -> list[VocabularyRow]:
    """The vocabulary page: every theme with how much it is used (two queries in all)."""
    themes = all_platform_themes().annotate(
        municipality_count=Count(
            "mappings__municipality",
            filter=Q(mappings__status=MappingStatus.CONFIRMED, mappings__municipality__is_active=True),
            distinct=True,
        )
    )
    items = _item_counts()
    return [VocabularyRow(t, t.municipality_count, items.get(t.pk, 0)) for t in themes]  # type: ignore[attr-defined]


def _item_counts() -> dict[int, int]:
    """Live index items per platform theme (one pass over the array column)."""
    item_table = IndexItem._meta.db_table
    muni_table = Municipality._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT t.theme_id, count(*)
            FROM {item_table} i
            JOIN {muni_table} m ON m.id = i.municipality_id
            CROSS JOIN LATERAL unnest(i.platform_themes) AS t(theme_id)
            WHERE i.withdrawn_at IS NULL AND m.is_active
            GROUP BY t.theme_id
            """
        )
        return {int(theme_id): int(n) for theme_id, n in cursor.fetchall()}
