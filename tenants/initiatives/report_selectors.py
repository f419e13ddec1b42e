"""Reads for the control reports, the mesa de metas (goals table) and the calendar map.

Every read runs a fixed number of queries whatever the number of initiatives or ARO: rows
are loaded once with their relations and the counts per cut are made in memory from the
same rows, so the counts and the detail can never disagree. (A municipality has tens of
initiatives and hundreds of ARO a year; if that ever grows by orders of magnitude the cuts
move to GROUP BY queries without changing their shape.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tenants.db import current_municipality, local_today
from tenants.initiatives import rules, selectors
from tenants.initiatives.models import (
    Aro,
    AroKind,
    AroLevel,
    AroMovement,
    AroType,
    Initiative,
    Milestone,
    ProductKind,
    Status,
)
from tenants.initiatives.rules import Light
from tenants.initiatives.selectors import InitiativeState, MilestoneState
from tenants.structure.models import Place, Theme

# Rows shown on the page; the exports carry them all.
DETAIL_LIMIT = 200
KIND_ORDER = (AroKind.RESTRICTION, AroKind.ALERT, AroKind.OPPORTUNITY)
LIGHT_ORDER = (Light.LATE, Light.AT_RISK, Light.ON_TIME, Light.DONE, Light.NONE)
# Nothing is expected of drafts and cancelled initiatives: the goals table leaves them out.
NOT_ON_THE_TABLE = (Status.DRAFT, Status.CANCELLED)
CALENDAR_PAGE_SIZE = 10
# Cuts where one record may fall in several groups (an initiative has several places).
MULTI_VALUED = ("place", "theme")


@dataclass(frozen=True)
class ReportFilters:
    aro_kind: str = ""
    product_kind: str = ""
    aro_type: int | None = None
    person: int | None = None
    place: int | None = None
    theme: int | None = None
    start: date | None = None
    end: date | None = None
    aro_state: str = ""  # "" (all), "open" or "closed"


# --- Places and themes are trees: a district's report includes its neighbourhoods -----------


@dataclass
class Tree:
    names: dict[int, str]
    active: list[tuple[int, str]]
    children: dict[int, list[int]]

    def subtree(self, root: int) -> set[int]:
        found: set[int] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if node not in found:
                found.add(node)
                stack.extend(self.children.get(node, []))
        return found


def _tree(model: type[Place] | type[Theme]) -> Tree:
    """The whole list in one query: names (archived ones too, history refers to them), the
    active ones for the filter, and the parent links for the subtree."""
    tree = Tree(names={}, active=[], children=defaultdict(list))
    for pk, parent, code, name, active in model.objects.order_by("code").values_list(
        "pk", "parent_id", "code", "name", "is_active"
    ):
        tree.names[pk] = f"{code} {name}"
        if active:
            tree.active.append((pk, tree.names[pk]))
        if parent:
            tree.children[parent].append(pk)
    return tree


def _pairs(through: type[models.Model], owner: str, target: str, **lookup: Any) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    for a, b in through._default_manager.filter(**lookup).values_list(owner, target):
        out[a].add(b)
    return out


# --- The control report ------------------------------------------------------------------------


@dataclass
class CutRow:
    label: str
    counts: list[int]
    total: int


@dataclass
class Cut:
    key: str
    title: str
    columns: list[str]
    rows: list[CutRow]
    totals: list[int]
    total: int
    # Set when a record may fall in several rows (an ARO with two places counts in both).
    multi: bool = False


def _cut(
    key: str,
    title: str,
    columns: Sequence[tuple[Hashable, str]],
    records: Iterable[tuple[Iterable[Hashable], Hashable]],
    labels: dict[Any, str],
    none_label: str,
) -> Cut:
    """Count records per group (rows) and per column value. A record without a group counts
    under `none_label`; totals count each record once even when it is in several groups."""
    index = {value: n for n, (value, _label) in enumerate(columns)}
    grid: dict[Hashable, list[int]] = defaultdict(lambda: [0] * len(columns))
    totals = [0] * len(columns)
    for groups, column in records:
        col = index[column]
        totals[col] += 1
        for group in set(groups) or {None}:
            grid[group][col] += 1
    rows = [
        CutRow(label=labels.get(group, str(group)) if group is not None else none_label, counts=c, total=sum(c))
        for group, c in grid.items()
    ]
    rows.sort(key=lambda r: (-r.total, r.label.lower()))
    multi = key in MULTI_VALUED
    return Cut(key, title, [str(label) for _v, label in columns], rows, totals, sum(totals), multi)


@dataclass
class AroRow:
    aro: Aro
    manager_name: str
    responsible_name: str
    places: list[str]
    themes: list[str]


@dataclass
class InitiativeRow:
    state: InitiativeState
    places: list[str]
    themes: list[str]


@dataclass
class ControlReport:
    filters: ReportFilters
    aro_cuts: list[Cut]
    initiative_cuts: list[Cut]
    aros: list[AroRow]
    initiatives: list[InitiativeRow]
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    today: date | None = None


def _responsible(a: Aro) -> list[int]:
    return [a.milestone.responsible_id] if a.milestone else []


def _aro_queryset(f: ReportFilters, places: set[int] | None, themes: set[int] | None) -> QuerySet[Aro]:
    qs = Aro.objects.all()
    if f.aro_kind:
        qs = qs.filter(kind=f.aro_kind)
    if f.aro_type:
        qs = qs.filter(aro_type_id=f.aro_type)
    if f.aro_state:
        qs = qs.filter(is_open=f.aro_state == "open")
    if f.product_kind:
        qs = qs.filter(initiative__product_kind=f.product_kind)
    if f.person:
        qs = qs.filter(Q(initiative__manager_id=f.person) | Q(milestone__responsible_id=f.person))
    if places is not None:
        # Subqueries rather than joins: a join on a many-to-many would repeat rows.
        qs = qs.filter(
            Q(initiative_id__in=Initiative.places.through.objects.filter(place_id__in=places).values("initiative_id"))
            | Q(milestone_id__in=Milestone.places.through.objects.filter(place_id__in=places).values("milestone_id"))
        )
    if themes is not None:
        qs = qs.filter(
            initiative_id__in=Initiative.themes.through.objects.filter(theme_id__in=themes).values("initiative_id")
        )
    if f.start:
        qs = qs.filter(raised_on__gte=f.start)
    if f.end:
        qs = qs.filter(raised_on__lte=f.end)
    return qs.select_related("initiative", "milestone", "aro_type").order_by("-raised_on", "-pk")


def _initiative_queryset(f: ReportFilters, places: set[int] | None, themes: set[int] | None) -> QuerySet[Initiative]:
    """The ARO-only filters (class, type, open/closed) do not narrow the initiatives."""
    qs = Initiative.objects.all()
    if f.product_kind:
        qs = qs.filter(product_kind=f.product_kind)
    if f.person:
        qs = qs.filter(
            Q(manager_id=f.person) | Q(pk__in=Milestone.objects.filter(responsible_id=f.person).values("initiative_id"))
        )
    if places is not None:
        qs = qs.filter(
            Q(pk__in=Initiative.places.through.objects.filter(place_id__in=places).values("initiative_id"))
            | Q(pk__in=Milestone.objects.filter(places__in=places).values("initiative_id"))
        )
    if themes is not None:
        qs = qs.filter(pk__in=Initiative.themes.through.objects.filter(theme_id__in=themes).values("initiative_id"))
    # Active in the period: it started before the period ends and ends after it starts.
    if f.end:
        qs = qs.filter(start_date__lte=f.end)
    if f.start:
        qs = qs.filter(target_date__gte=f.start)
    return qs.order_by("name")


def control_report(f: ReportFilters) -> ControlReport:
    place_tree, theme_tree = _tree(Place), _tree(Theme)
    places = place_tree.subtree(f.place) if f.place else None
    themes = theme_tree.subtree(f.theme) if f.theme else None
    aros = list(_aro_queryset(f, places, themes))
    initiatives = list(_initiative_queryset(f, places, themes))
    states = selectors.compute_states(initiatives)
    # The places of an initiative are its own and its milestones'; an ARO's are those of its
    # initiative and of its milestone.
    ids = {a.initiative_id for a in aros} | {i.pk for i in initiatives}
    own_places = _pairs(Initiative.places.through, "initiative_id", "place_id", initiative_id__in=ids)
    theme_ids = _pairs(Initiative.themes.through, "initiative_id", "theme_id", initiative_id__in=ids)
    milestone_places: dict[int, set[int]] = defaultdict(set)
    initiative_places: dict[int, set[int]] = defaultdict(set, {k: set(v) for k, v in own_places.items()})
    for milestone_id, initiative_id, place_id in Milestone.places.through.objects.filter(
        milestone__initiative_id__in=ids
    ).values_list("milestone_id", "milestone__initiative_id", "place_id"):
        milestone_places[milestone_id].add(place_id)
        initiative_places[initiative_id].add(place_id)
    managers = set(Initiative.objects.values_list("manager_id", flat=True).distinct())
    responsibles = set(Milestone.objects.values_list("responsible_id", flat=True).distinct())
    names = selectors.people_names(managers | responsibles)

    def aro_places(a: Aro) -> set[int]:
        return own_places.get(a.initiative_id, set()) | milestone_places.get(a.milestone_id or 0, set())

    aro_rows = [
        AroRow(
            aro=a,
            manager_name=names.get(a.initiative.manager_id, ""),
            responsible_name=names.get(a.milestone.responsible_id, "") if a.milestone else "",
            places=sorted(place_tree.names[p] for p in aro_places(a)),
            themes=sorted(theme_tree.names[t] for t in theme_ids.get(a.initiative_id, set())),
        )
        for a in aros
    ]
    initiative_rows = [
        InitiativeRow(
            state=states[i.pk],
            places=sorted(place_tree.names[p] for p in initiative_places.get(i.pk, set())),
            themes=sorted(theme_tree.names[t] for t in theme_ids.get(i.pk, set())),
        )
        for i in initiatives
    ]
    initiative_rows.sort(key=lambda r: (-int(r.state.light), r.state.initiative.name.lower()))

    kinds = [(k, str(AroKind(k).label)) for k in KIND_ORDER]
    products = {str(v): str(label) for v, label in ProductKind.choices}
    statuses = {str(v): str(label) for v, label in Status.choices}
    levels = {int(v): str(label) for v, label in AroLevel.choices}
    states_open = {"open": _("Abiertas"), "closed": _("Cerradas")}
    type_names = {a.aro_type_id: str(a.aro_type) for a in aros}
    no_place, no_theme, no_milestone = _("(sin lugar)"), _("(sin tema)"), _("(ARO de la iniciativa, sin meta)")
    # (key, title, the groups a record falls in, group labels, label of "no group")
    aro_specs: list[tuple[str, str, Callable[[Aro], Iterable[Hashable]], dict[Any, str], str]] = [
        ("type", _("Por tipo de problema"), lambda a: [a.aro_type_id], type_names, "—"),
        ("product", _("Por tipo de acción (producto público)"), lambda a: [a.initiative.product_kind], products, "—"),
        ("manager", _("Por gerente de la iniciativa"), lambda a: [a.initiative.manager_id], names, "—"),
        ("responsible", _("Por responsable de la meta intermedia"), _responsible, names, no_milestone),
        ("place", _("Por lugar"), aro_places, place_tree.names, no_place),
        ("theme", _("Por tema"), lambda a: theme_ids.get(a.initiative_id, set()), theme_tree.names, no_theme),
        ("level", _("Por nivel de escalamiento"), lambda a: [a.level], levels, "—"),
        ("state", _("Abiertas y cerradas"), lambda a: ["open" if a.is_open else "closed"], states_open, "—"),
    ]
    aro_cuts = [
        _cut(key, title, kinds, [(groups(a), a.kind) for a in aros], labels, none)
        for key, title, groups, labels, none in aro_specs
    ]
    lights = [(light, light.label) for light in LIGHT_ORDER]
    initiative_specs: list[tuple[str, str, Callable[[Initiative], Iterable[Hashable]], dict[Any, str], str]] = [
        ("product", _("Por tipo de acción (producto público)"), lambda i: [i.product_kind], products, "—"),
        ("manager", _("Por gerente"), lambda i: [i.manager_id], names, "—"),
        ("status", _("Por estado"), lambda i: [i.status], statuses, "—"),
        ("place", _("Por lugar"), lambda i: initiative_places.get(i.pk, set()), place_tree.names, no_place),
        ("theme", _("Por tema"), lambda i: theme_ids.get(i.pk, set()), theme_tree.names, no_theme),
    ]
    shown = [r.state for r in initiative_rows]
    initiative_cuts = [
        _cut(key, title, lights, [(groups(s.initiative), s.light) for s in shown], labels, none)
        for key, title, groups, labels, none in initiative_specs
    ]
    choices = {
        "aro_kind": [(str(v), str(label)) for v, label in AroKind.choices],
        "product_kind": [(str(v), str(label)) for v, label in ProductKind.choices],
        "aro_type": [(str(t.pk), str(t)) for t in AroType.objects.all()],
        "person": sorted(((str(pk), name) for pk, name in names.items()), key=lambda c: c[1].lower()),
        "place": [(str(pk), name) for pk, name in place_tree.active],
        "theme": [(str(pk), name) for pk, name in theme_tree.active],
    }
    return ControlReport(f, aro_cuts, initiative_cuts, aro_rows, initiative_rows, choices, local_today())


# --- The mesa de metas (goals table) -----------------------------------------------------------


@dataclass
class QueueItem:
    aro: Aro
    state: InitiativeState
    movements: list[AroMovement]
    milestone_state: MilestoneState | None


@dataclass
class GoalsTable:
    municipality: str
    level: int
    level_label: str
    today: date
    cycle: dict[int, date]
    today_cycle_day: int  # 1..7: which day of the municipality's week today is
    items: list[QueueItem]
    portfolio: list[InitiativeState]


def goals_table(level: int) -> GoalsTable:
    today = local_today()
    cycle = rules.cycle_dates(today, selectors.cycle_day())
    everything = selectors.portfolio()
    # The queue's initiatives are in the portfolio: their states are computed once.
    states = {s.initiative.pk: s for s in everything}
    items = []
    for aro, state in selectors.level_queue(level, states=states):
        m_state = next((m for m in state.milestones if m.milestone.pk == aro.milestone_id), None)
        items.append(QueueItem(aro, state, list(aro.movements.all()), m_state))
    portfolio = [s for s in everything if s.initiative.status not in NOT_ON_THE_TABLE]
    return GoalsTable(
        municipality=current_municipality().name, level=level, level_label=str(AroLevel(level).label),
        today=today, cycle=cycle, today_cycle_day=(today - cycle[1]).days + 1, items=items, portfolio=portfolio,
    )  # fmt: skip


# --- The calendar map --------------------------------------------------------------------------


def initiative_calendar(pk: int) -> InitiativeState:
    found = selectors.initiative(pk)
    return selectors.compute_states([found])[found.pk]


def managers() -> list[tuple[str, str]]:
    """The initiatives' managers, for a filter."""
    names = selectors.people_names(Initiative.objects.values_list("manager_id", flat=True).distinct())
    return sorted(((str(pk), name) for pk, name in names.items()), key=lambda c: c[1].lower())


def portfolio_calendar(page: str | int | None, **filters: Any) -> tuple[Page[Initiative], list[InitiativeState]]:
    """One page of initiatives (by name) with their milestones' states: the work is bounded
    by the page, not by the portfolio."""
    current = Paginator(selectors.initiatives(**filters), CALENDAR_PAGE_SIZE).get_page(page)
    rows = list(current.object_list)
    states = selectors.compute_states(rows)
    return current, [states[i.pk] for i in rows]
