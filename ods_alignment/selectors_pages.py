"""Reads of the public SDG pages (/ods/): which initiatives are aligned to each goal and
target, and the municipalities-by-goals grid (the method page reads in selectors_method).

What is shown: the public pages show `community.selectors.public_items()` (shared, public,
not withdrawn, of an active municipality); the regional team and SDG specialists may see, in
the grid only, `live_items()` (every shared initiative, public or not). Nothing that is not
shared is ever read here: both start from the community index, which holds only what the
municipalities share. Counts are aggregated in SQL (unnest of `sdg_goals`, GROUP BY), so a
grid over thousands of municipalities costs a handful of queries."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, QuerySet

from community.models import IndexItem, ItemKind
from community.selectors import live_items, public_items
from ods_alignment.models import TARGET_CODE, FinalAlignment, Goal, Indicator, Target
from ods_alignment.selectors import goals as all_goals
from ods_alignment.selectors import target_by_code
from tenants.models import Country, Municipality

GOAL_PAGE_SIZE = 25
GRID_PAGE_SIZE = 50
HEAT_LEVELS = 4


# --- Which initiatives ----------------------------------------------------------------------


def initiatives(*, include_shared: bool = False) -> QuerySet[IndexItem]:
    """Shared initiatives: public ones only, or (for SDG roles) every shared one."""
    items = live_items() if include_shared else public_items()
    return items.filter(kind=ItemKind.INITIATIVE)


def _aligned(items: QuerySet[IndexItem]) -> QuerySet[IndexItem]:
    return items.filter(sdg_goals__len__gt=0)


def country_label(code: str) -> str:
    return str(dict(Country.choices).get(code, code))


# --- Aggregation in SQL ---------------------------------------------------------------------


def _unnest_counts(items: QuerySet[IndexItem], *, by_municipality: bool) -> list[tuple[int, ...]]:
    """Aligned initiatives per goal (and per municipality): the selector's own query as a
    subquery, its goal arrays unnested and grouped in PostgreSQL. Each array is made distinct
    on its own (a few values), so count(*) counts items without a global DISTINCT sort."""
    sql, params = items.order_by().values("municipality_id", "sdg_goals").query.sql_with_params()
    keys = "s.municipality_id, g.goal" if by_municipality else "g.goal"
    query = (
        f"SELECT {keys}, count(*) FROM ({sql}) AS s "
        "CROSS JOIN LATERAL (SELECT DISTINCT unnest(s.sdg_goals)) AS g(goal) "
        f"GROUP BY {keys}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [tuple(row) for row in cursor.fetchall()]


def aligned_count(items: QuerySet[IndexItem]) -> int:
    """Distinct initiatives among these items with at least one goal (each counts once,
    whatever its number of goals)."""
    return _aligned(items).count()


def goal_counts(items: QuerySet[IndexItem]) -> dict[int, int]:
    """{goal number: aligned initiatives} over these items."""
    return {int(goal): int(n) for goal, n in _unnest_counts(items, by_municipality=False)}


def target_counts(items: QuerySet[IndexItem], goal: Goal) -> dict[str, int]:
    """{target code: aligned initiatives} for the targets of one goal."""
    sql, params = (
        items.filter(sdg_goals__contains=[goal.number]).order_by().values("sdg_targets").query.sql_with_params()
    )
    query = (
        f"SELECT t.code, count(*) FROM ({sql}) AS s "
        "CROSS JOIN LATERAL (SELECT DISTINCT unnest(s.sdg_targets)) AS t(code) GROUP BY t.code"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {str(code): int(n) for code, n in cursor.fetchall()}


# --- Goal and target pages ------------------------------------------------------------------


def goal_by_number(number: int) -> Goal | None:
    return Goal.objects.filter(number=number).first() if 1 <= number <= 17 else None


def target_for_code(code: str) -> Target | None:
    """The target of a code from the address; None for an unknown or malformed code."""
    # Junk in the address is a 404, never a query on arbitrary text.
    code = (code or "").strip().lower()
    if len(code) > 12 or not TARGET_CODE.match(code):
        return None
    return target_by_code(code)


def targets_listing(goal: Goal) -> list[Target]:
    """The goal's official targets, each followed by the local targets under it."""
    return list(Target.objects.filter(goal=goal).order_by("sort_key"))


def local_targets_of(target: Target) -> list[Target]:
    return list(Target.objects.filter(parent=target).order_by("sort_key"))


def indicators_of(target: Target) -> list[Indicator]:
    return list(Indicator.objects.filter(target=target).order_by("sort_key"))


@dataclass(frozen=True)
class InitiativeRow:
    item: IndexItem
    country_label: str
    url: str  # "" when the initiative has no public page
    contribution: str  # "direct" | "indirect" | "" (unknown)


def _finals(items: Sequence[IndexItem]) -> dict[str, FinalAlignment]:
    keys = [item.key for item in items]
    if not keys:
        return {}
    return {f.item_key: f for f in FinalAlignment.objects.filter(item_key__in=keys, published_at__isnull=False)}


def _contribution(final: FinalAlignment | None, kind: str, key: str) -> str:
    if final is None or not isinstance(final.contributions, dict):
        return ""
    section = final.contributions.get(kind)
    value = section.get(key) if isinstance(section, dict) else None
    return value if value in ("direct", "indirect") else ""


def aligned_to_goal(goal: Goal) -> QuerySet[IndexItem]:
    """Public initiatives aligned to the goal, by municipality."""
    return (
        initiatives()
        .filter(sdg_goals__contains=[goal.number])
        .select_related("municipality")
        .order_by("municipality__name", "title", "pk")
    )


def aligned_to_target(target: Target) -> QuerySet[IndexItem]:
    return (
        initiatives()
        .filter(sdg_targets__contains=[target.code])
        .select_related("municipality")
        .order_by("municipality__name", "title", "pk")
    )


@dataclass
class InitiativePage:
    page: Page[IndexItem]
    rows: list[InitiativeRow]


def initiative_page(
    items: QuerySet[IndexItem], page: str | None, *, goal: int | None = None, target: str = ""
) -> InitiativePage:
    """A page of initiative rows, with each row's contribution to the goal or target from
    its published final alignment (one query for the whole page)."""
    paged = Paginator(items, GOAL_PAGE_SIZE).get_page(page)
    items_here = list(paged.object_list)
    finals = _finals(items_here)
    rows = [
        InitiativeRow(
            item=item,
            country_label=country_label(item.municipality.country),
            url=item.public_url,
            contribution=(
                _contribution(finals.get(item.key), "goals", str(goal))
                if goal is not None
                else _contribution(finals.get(item.key), "targets", target)
            ),
        )
        for item in items_here
    ]
    return InitiativePage(paged, rows)


# --- The grid -------------------------------------------------------------------------------


def heat_level(count: int, highest: int) -> int:
    """0 (none) to HEAT_LEVELS: the shade of a cell. Decoration only: the count is written."""
    if count <= 0 or highest <= 0:
        return 0
    return max(1, min(HEAT_LEVELS, math.ceil(HEAT_LEVELS * count / highest)))


@dataclass(frozen=True)
class Cell:
    goal: int
    count: int
    level: int


@dataclass(frozen=True)
class GridRow:
    municipality_id: int
    name: str
    slug: str
    country_label: str
    total: int  # aligned initiatives (each once, whatever its number of goals)
    cells: list[Cell]


@dataclass
class Grid:
    goals: list[Goal]
    page: Page
    rows: list[GridRow]
    goal_totals: list[int]  # per goal, over every municipality of the filter (not just the page)
    total: int
    include_shared: bool


def country_choices(*, include_shared: bool) -> list[tuple[str, str]]:
    """Countries of the municipalities that have aligned initiatives in this set."""
    codes = (
        _aligned(initiatives(include_shared=include_shared))
        .order_by()
        .values_list("municipality__country", flat=True)
        .distinct()
    )
    return sorted(((code, country_label(code)) for code in codes), key=lambda pair: pair[1])


def grid(*, include_shared: bool = False, country: str = "", page: str | None = None) -> Grid:
    """Municipalities by goals: aligned initiatives per cell, a page of municipalities at a time."""
    items = _aligned(initiatives(include_shared=include_shared))
    if country:
        items = items.filter(municipality__country=country)
    per_municipality = (
        items.order_by()
        .values("municipality_id", "municipality__name", "municipality__slug", "municipality__country")
        .annotate(n=Count("id"))
        .order_by("municipality__name", "municipality_id")
    )
    paged = Paginator(per_municipality, GRID_PAGE_SIZE).get_page(page)
    ids = [row["municipality_id"] for row in paged.object_list]
    cells: dict[tuple[int, int], int] = {}
    if ids:
        for municipality_id, goal, n in _unnest_counts(items.filter(municipality_id__in=ids), by_municipality=True):
            cells[(int(municipality_id), int(goal))] = int(n)
    goals = list(all_goals())
    totals = goal_counts(items)
    highest = max(cells.values(), default=0)
    rows = [
        GridRow(
            municipality_id=row["municipality_id"],
            name=row["municipality__name"],
            slug=row["municipality__slug"],
            country_label=country_label(row["municipality__country"]),
            total=row["n"],
            cells=[
                Cell(
                    goal.number,
                    cells.get((row["municipality_id"], goal.number), 0),
                    heat_level(cells.get((row["municipality_id"], goal.number), 0), highest),
                )
                for goal in goals
            ],
        )
        for row in paged.object_list
    ]
    return Grid(
        goals=goals,
        page=paged,
        rows=rows,
        goal_totals=[totals.get(goal.number, 0) for goal in goals],
        total=items.count() if paged.paginator.count else 0,
        include_shared=include_shared,
    )


@dataclass(frozen=True)
class Mark:
    goal: int
    contribution: str  # "direct" | "indirect" | "aligned" (contribution unknown) | ""


@dataclass(frozen=True)
class ItemGridRow:
    item: IndexItem
    url: str
    marks: list[Mark]


@dataclass
class MunicipalityGrid:
    municipality: Municipality
    goals: list[Goal]
    page: Page
    rows: list[ItemGridRow]
    goal_totals: list[int]
    total: int
    include_shared: bool


def municipality_grid(
    municipality: Municipality, *, include_shared: bool = False, page: str | None = None
) -> MunicipalityGrid:
    """Initiatives by goals for one municipality: a mark per goal (direct, indirect)."""
    items = _aligned(initiatives(include_shared=include_shared)).filter(municipality=municipality)
    paged = Paginator(items.select_related("municipality").order_by("title", "pk"), GRID_PAGE_SIZE).get_page(page)
    page_items = list(paged.object_list)
    finals = _finals(page_items)
    goals = list(all_goals())
    rows = []
    for item in page_items:
        chosen = set(item.sdg_goals)
        final = finals.get(item.key)
        marks = [
            Mark(
                goal.number,
                (_contribution(final, "goals", str(goal.number)) or "aligned") if goal.number in chosen else "",
            )
            for goal in goals
        ]
        rows.append(ItemGridRow(item=item, url=item.public_url, marks=marks))
    totals = goal_counts(items)
    return MunicipalityGrid(
        municipality=municipality,
        goals=goals,
        page=paged,
        rows=rows,
        goal_totals=[totals.get(goal.number, 0) for goal in goals],
        total=paged.paginator.count,
        include_shared=include_shared,
    )
