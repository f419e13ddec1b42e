"""Reads of the municipal dashboard: what the mayor and the team look at every day.

Every number on the dashboard links to the filtered list behind it, and is computed with the
same selector (and the same filter arguments) that list uses, so the two always agree:

  number                          computed with                                   list
  initiatives by light            initiatives.selectors.portfolio / state_matches  /iniciativas/?semaforo=N
  without a report this cycle     the same, stale=True                             /iniciativas/?sin_reporte=1
  ARO waiting at a level          initiatives.selectors.level_counts/level_queue   /iniciativas/nivel/N/
  agenda today / this week        agenda.selectors_activities.filtered_activities  /agenda/actividades/?desde=&hasta=
  overdue / due-soon tasks        agenda.selectors.tasks(overdue=/due_soon=)       /agenda/tareas/?vencidas=1, ?pronto=1
  requests without an answer      agenda.selectors.requests(late=True)             /agenda/solicitudes/?sin_respuesta=1
  communication planned/published communications.selectors.actions(...)           /comunicacion/?desde=&hasta= ...

The whole dashboard is read in a fixed number of queries whatever the size of the data
(tests/dashboard/test_query_counts.py): the portfolio is computed once and every initiative
figure is derived from it in Python; the other figures are counts plus a short slice.

"This week" of the agenda and of communication is the calendar week, Monday to Sunday (the
agenda's week view); "this cycle" of the initiatives is the municipality's weekly cycle
(initiatives.rules.week_start with the cycle's first day), as on the initiative pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from tenants.accounts.models import User
from tenants.agenda import selectors as agenda
from tenants.agenda import selectors_activities as agenda_reads
from tenants.communications import access as communications_access
from tenants.communications import selectors as communications
from tenants.dashboard.models import PortfolioSnapshot
from tenants.initiatives import rules
from tenants.initiatives import selectors as initiatives
from tenants.initiatives.cycle import cycle_day
from tenants.initiatives.models import Aro, AroKind
from tenants.initiatives.rules import Light
from tenants.initiatives.selectors import InitiativeState
from tenants.roles import MunicipalRole as R
from tenants.structure.access import roles_of

# The order the traffic lights are counted and shown in: the worst first.
LIGHTS = (Light.LATE, Light.AT_RISK, Light.ON_TIME, Light.DONE, Light.NONE)
# How many rows a block lists before its "see all" link (the number itself is complete).
SHORT_LIST = 5
WORST_LIST = 8


def list_url(name: str, *args: Any, **params: Any) -> str:
    """The address of a list with its filters (empty values left out); the brief links with
    it too."""
    # `is` for False: the light NONE is 0, which equals False but is a filter value.
    query = urlencode({k: v for k, v in params.items() if v is not None and v is not False and v != ""})
    base = reverse(name, args=args)
    return f"{base}?{query}" if query else base


@dataclass
class Figure:
    """A number on the dashboard, the filtered list it links to, and a few of its rows."""

    count: int
    url: str
    rows: list[Any] = field(default_factory=list)


@dataclass
class LightFigure(Figure):
    light: Light = Light.NONE


@dataclass
class PortfolioBlock:
    """Traffic lights, thermometer and staleness of a set of initiatives."""

    total: Figure
    lights: list[LightFigure]
    stale: Figure
    thermometer: int | None
    worst: list[InitiativeState]


@dataclass
class LevelFigure(Figure):
    level: int = 1
    mine_only: bool = False


@dataclass
class Dashboard:
    today: date
    week_first: date  # the calendar week (agenda, communication)
    week_last: date
    order: list[str]  # the blocks to show, in the order that suits the viewer's roles
    states: list[InitiativeState]  # every initiative's state, worst first (portfolio())
    portfolio: PortfolioBlock
    mine: PortfolioBlock | None  # the initiatives the viewer manages, when any
    levels: list[LevelFigure]  # ARO waiting at the viewer's level(s), highest first
    queue: list[tuple[Aro, InitiativeState]]  # the first ones waiting at the highest level
    agenda_today: Figure
    agenda_week: Figure
    tasks_overdue: Figure
    tasks_soon: Figure
    requests_late: Figure
    communication_planned: Figure
    communication_published: Figure
    # Pieces waiting for approval (the list shows their actions); shown to approvers.
    communication_to_approve: Figure
    can_approve: bool
    unanswered_days: int


# --- Roles -------------------------------------------------------------------------------

# Which blocks come first for each role. The mayor first sees what waits for a decision at
# level 3 and the whole portfolio; an initiative manager their own initiatives and level 1;
# institutional follow-up level 2 and the portfolio's staleness; the agenda manager the
# agenda, the requests and the commitments; the communications editor the communication
# block; the system counterpart (who administers, and sees every level) the portfolio and
# all the levels. Every member sees every block (all of it is readable by every member);
# only the order changes, and the ARO block shows only to those who sit at a level.
ROLE_ORDER: dict[str, list[str]] = {
    R.MAYOR: ["decisions", "portfolio", "agenda", "tasks", "requests", "communications"],
    R.SYSTEM_COUNTERPART: ["portfolio", "decisions", "agenda", "tasks", "requests", "communications"],
    R.INSTITUTIONAL_FOLLOW_UP: ["decisions", "portfolio", "tasks", "agenda", "requests", "communications"],
    R.INITIATIVE_MANAGER: ["mine", "decisions", "portfolio", "tasks", "agenda", "communications", "requests"],
    R.AGENDA_MANAGER: ["agenda", "requests", "tasks", "portfolio", "communications"],
    R.COMMUNICATIONS_EDITOR: ["communications", "agenda", "portfolio", "tasks", "requests"],
}
# With several roles, the first of these decides the order (the others add their blocks).
ROLE_PRIORITY = (
    R.MAYOR,
    R.INITIATIVE_MANAGER,
    R.INSTITUTIONAL_FOLLOW_UP,
    R.AGENDA_MANAGER,
    R.COMMUNICATIONS_EDITOR,
    R.SYSTEM_COUNTERPART,
)
DEFAULT_ORDER = ["portfolio", "agenda", "tasks", "requests", "communications"]


def block_order(roles: Iterable[str], *, has_levels: bool, manages: bool) -> list[str]:
    roles = set(roles)
    ranked = [ROLE_ORDER[r] for r in ROLE_PRIORITY if r in roles]
    order: list[str] = []
    for blocks in ranked or [DEFAULT_ORDER]:
        for block in blocks:
            if block not in order:
                order.append(block)
    if manages and "mine" not in order:
        # Someone who manages initiatives without the manager's role: theirs right after
        # what waits for their decision.
        order.insert(1 if order[0] == "decisions" else 0, "mine")
    return [b for b in order if (b != "decisions" or has_levels) and (b != "mine" or manages)]


def viewer_levels(user: User | None, roles: Iterable[str]) -> list[tuple[int, bool]]:
    """(level, mine only) the viewer decides at, highest first: the mayor level 3, institutional
    follow-up level 2, an initiative manager level 1 of the initiatives they manage, and the
    system counterpart (and the system itself) every level (see initiatives.access)."""
    roles = set(roles)
    if user is None or R.SYSTEM_COUNTERPART in roles:
        return [(3, False), (2, False), (1, False)]
    found: list[tuple[int, bool]] = []
    if R.MAYOR in roles:
        found.append((3, False))
    if R.INSTITUTIONAL_FOLLOW_UP in roles:
        found.append((2, False))
    if R.INITIATIVE_MANAGER in roles:
        found.append((1, True))
    return found


# --- The portfolio -----------------------------------------------------------------------


def portfolio_thermometer(states: Iterable[InitiativeState]) -> int | None:
    """The portfolio's thermometer: the thermometers of the initiatives that have a light,
    each weighted by the total weight of its milestones (the portfolio read as one critical
    path, the same rule as an initiative's thermometer one level up). None with none."""
    total = 0
    done = 0
    for state in states:
        if state.light == Light.NONE:
            continue
        weight = sum(m.milestone.weight for m in state.milestones)
        total += weight
        done += weight * state.thermometer
    return round(done / total) if total else None


def _portfolio_block(states: list[InitiativeState], manager: int | None = None) -> PortfolioBlock:
    """Figures of `states` (already worst first, as portfolio() returns them); `manager` adds
    the list's `gerente` filter to every link."""
    lights = [
        LightFigure(
            count=sum(1 for s in states if initiatives.state_matches(s, light=light)),
            url=list_url("initiatives:portfolio", gerente=manager, semaforo=int(light)),
            light=light,
        )
        for light in LIGHTS
    ]
    stale = [s for s in states if initiatives.state_matches(s, stale=True)]
    return PortfolioBlock(
        total=Figure(len(states), list_url("initiatives:portfolio", gerente=manager)),
        lights=lights,
        stale=Figure(len(stale), list_url("initiatives:portfolio", gerente=manager, sin_reporte=1), stale[:SHORT_LIST]),
        thermometer=portfolio_thermometer(states),
        worst=[s for s in states if s.light not in (Light.NONE, Light.DONE)][:WORST_LIST],
    )


# --- The dashboard -----------------------------------------------------------------------


def dashboard(user: User | None, today: date, *, roles: Iterable[str] | None = None) -> Dashboard:
    """The dashboard as `user` may see it on `today` (the municipality's date). `roles`: the
    viewer's roles here when the caller has them (a request does), else they are read."""
    roles = frozenset(roles) if roles is not None else roles_of(user)
    uid = user.pk if user is not None else None
    week_first = agenda_reads.week_start(today)
    week_last = week_first + timedelta(days=6)

    states = initiatives.portfolio(today=today)
    portfolio = _portfolio_block(states)
    mine_states = [s for s in states if uid is not None and s.initiative.manager_id == uid]
    manages = bool(mine_states) or R.INITIATIVE_MANAGER in roles
    mine = _portfolio_block(mine_states, manager=uid) if manages and uid is not None else None

    # ARO at the viewer's level(s): one count query for the levels as a whole and one for
    # "mine only", whatever the levels; the queue of the highest level is listed.
    wanted = viewer_levels(user, roles)
    counts_all = initiatives.level_counts() if any(not m for _l, m in wanted) else {}
    counts_mine = initiatives.level_counts(manager=uid) if any(m for _l, m in wanted) else {}
    levels = [
        LevelFigure(
            count=(counts_mine if mine_only else counts_all)[level],
            url=list_url("initiatives:level", level, gerente=uid if mine_only else None),
            level=level,
            mine_only=mine_only,
        )
        for level, mine_only in wanted
    ]
    queue: list[tuple[Aro, InitiativeState]] = []
    if levels:
        top = levels[0]
        by_pk = {s.initiative.pk: s for s in states}
        queue = initiatives.level_queue(top.level, manager=uid if top.mine_only else None, states=by_pk)[:SHORT_LIST]

    # The agenda, as the viewer may see it (private activities only for those allowed).
    today_qs = agenda_reads.filtered_activities(user, desde=today, hasta=today)
    agenda_today = Figure(
        today_qs.count(),
        list_url("agenda:activities", desde=today.isoformat(), hasta=today.isoformat()),
        list(today_qs.prefetch_related(None)[: SHORT_LIST * 2]),  # the block shows no themes
    )
    agenda_week = Figure(
        agenda_reads.filtered_activities(user, desde=week_first, hasta=week_last).count(),
        list_url("agenda:activities", desde=week_first.isoformat(), hasta=week_last.isoformat()),
    )

    overdue_qs = agenda.tasks(overdue=True, today=today)
    soon_qs = agenda.tasks(due_soon=True, today=today)
    late_qs = agenda.requests(late=True)
    planned_qs = communications.actions(desde=week_first, hasta=week_last)
    published_qs = communications.actions(publicada_desde=week_first, publicada_hasta=week_last)
    approver = bool(roles & communications_access.APPROVERS)

    return Dashboard(
        today=today,
        week_first=week_first,
        week_last=week_last,
        order=block_order(roles, has_levels=bool(levels), manages=mine is not None),
        states=states,
        portfolio=portfolio,
        mine=mine,
        levels=levels,
        queue=queue,
        agenda_today=agenda_today,
        agenda_week=agenda_week,
        tasks_overdue=_figure(overdue_qs, list_url("agenda:tasks", vencidas=1)),
        tasks_soon=_figure(soon_qs, list_url("agenda:tasks", pronto=1)),
        requests_late=_figure(late_qs, list_url("agenda:requests", sin_respuesta=1)),
        communication_planned=_figure(
            planned_qs, list_url("communications:list", desde=week_first.isoformat(), hasta=week_last.isoformat())
        ),
        communication_published=Figure(
            published_qs.count(),
            list_url(
                "communications:list",
                publicada_desde=week_first.isoformat(),
                publicada_hasta=week_last.isoformat(),
            ),
        ),
        communication_to_approve=Figure(
            communications.awaiting_approval().count() if approver else 0,
            list_url("communications:list", por_aprobar=1),
        ),
        can_approve=approver,
        unanswered_days=agenda.unanswered_days(),
    )


def _figure(qs: Any, url: str) -> Figure:
    """A count and the first rows of a list's query set (two queries, whatever its size;
    the block shows no many-to-many relations, so the list's prefetches are dropped)."""
    return Figure(qs.count(), url, list(qs.prefetch_related(None)[:SHORT_LIST]))


# --- Snapshots ---------------------------------------------------------------------------


def snapshot_values(states: Iterable[InitiativeState]) -> dict[str, Any]:
    """What a PortfolioSnapshot stores, from the live portfolio (the fields of the model)."""
    rows = list(states)
    lights = {light.name.lower(): 0 for light in LIGHTS}
    open_aro = {AroKind.ALERT.value: 0, AroKind.RESTRICTION.value: 0, AroKind.OPPORTUNITY.value: 0}
    for s in rows:
        lights[s.light.name.lower()] += 1
        open_aro[AroKind.ALERT] += s.open_alerts
        open_aro[AroKind.RESTRICTION] += s.open_restrictions
        open_aro[AroKind.OPPORTUNITY] += s.open_opportunities
    return {
        "lights": lights,
        "thermometer": portfolio_thermometer(rows),
        "initiative_count": len(rows),
        "stale_count": sum(1 for s in rows if s.stale),
        "open_aro": open_aro,
        "initiatives": [
            {
                "id": s.initiative.pk,
                "name": s.initiative.name,
                "status": s.initiative.status,
                "light": s.light.name.lower(),
                "thermometer": s.thermometer,
            }
            for s in rows
        ],
    }


def live_snapshot(today: date) -> PortfolioSnapshot:
    """This cycle week's snapshot computed now, not saved (the charts' current point)."""
    week = rules.week_start(today, cycle_day())
    return PortfolioSnapshot(
        week_start=week, taken_at=timezone.now(), **snapshot_values(initiatives.portfolio(today=today))
    )


def snapshots(weeks: int = 12) -> list[PortfolioSnapshot]:
    """The latest `weeks` stored weekly snapshots, oldest first (a week the job missed has
    no row: the charts show a gap rather than an invented value)."""
    return list(reversed(PortfolioSnapshot.objects.order_by("-week_start")[:weeks]))
