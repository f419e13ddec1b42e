"""Reads on priority initiatives. Lights, thermometers and staleness are computed here from
`rules.py` for many initiatives at once, in a fixed number of queries whatever the size of
the portfolio (the portfolio and level pages assert it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tenants.db import local_today, local_tz
from tenants.initiatives import rules
from tenants.initiatives.cycle import cycle_day
from tenants.initiatives.models import (
    Aro,
    AroKind,
    DateChange,
    Initiative,
    Milestone,
    Opinion,
    OpinionStatus,
    Status,
    WeeklyReport,
)
from tenants.initiatives.rules import Light, MilestoneFacts
from tenants.selectors import user_names
from tenants.structure.models import Place
from tenants.workspace.models import AuditEvent

WITHOUT_LIGHT = (Status.DRAFT, Status.SUSPENDED, Status.CANCELLED)
REPORT_DUE = (Status.PROGRAMMED, Status.IN_EXECUTION)


def people_names(ids: Iterable[int | None]) -> dict[int, str]:
    """Names of accounts (public schema) by id, in one query."""
    return user_names({i for i in ids if i is not None})


@dataclass
class MilestoneState:
    milestone: Milestone
    light: Light
    start: date
    expected: int
    open_alerts: int = 0
    open_restrictions: int = 0


@dataclass
class InitiativeState:
    initiative: Initiative
    light: Light
    thermometer: int
    stale: bool
    latest_report: date | None
    milestones: list[MilestoneState] = field(default_factory=list)
    open_alerts: int = 0
    open_restrictions: int = 0
    open_opportunities: int = 0
    manager_name: str = ""

    @property
    def next_milestone(self) -> MilestoneState | None:
        return next((m for m in self.milestones if m.light != Light.DONE), None)


def compute_states(
    initiatives: list[Initiative], *, today: date | None = None, with_names: bool = True
) -> dict[int, InitiativeState]:
    """Lights of the given initiatives and of all their milestones, in five queries (six
    with the managers' names, which public pages never show)."""
    today = today or local_today()
    ids = [i.pk for i in initiatives]
    day = cycle_day()
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for m in Milestone.objects.filter(initiative_id__in=ids).only(
        "pk", "initiative_id", "position", "name", "due_date", "baseline_due_date", "responsible_id", "weight",
        "progress", "completed_on", "communication_opportunity", "evidence_text", "evidence_url", "evidence_file",
        "evidence_file_name",
    ):  # fmt: skip
        milestones[m.initiative_id].append(m)
    predecessors: dict[int, list[int]] = defaultdict(list)
    for src, dst in Milestone.depends_on.through.objects.filter(from_milestone__initiative_id__in=ids).values_list(
        "from_milestone_id", "to_milestone_id"
    ):
        predecessors[src].append(dst)
    # Open ARO counted per (initiative, milestone or None, kind).
    open_counts: dict[tuple[int, int | None, str], int] = {}
    for row in (
        Aro.objects.filter(initiative_id__in=ids, is_open=True)
        .values("initiative_id", "milestone_id", "kind")
        .annotate(n=Count("pk"))
    ):
        open_counts[(row["initiative_id"], row["milestone_id"], row["kind"])] = row["n"]
    latest = dict(
        WeeklyReport.objects.filter(initiative_id__in=ids)
        .values("initiative_id")
        .annotate(last=Max("week_start"))
        .values_list("initiative_id", "last")
    )
    totals: dict[tuple[int, str], int] = defaultdict(int)
    for (initiative_id, _milestone_id, kind), n in open_counts.items():
        totals[(initiative_id, kind)] += n
    states: dict[int, InitiativeState] = {}
    for initiative in initiatives:
        rows = sorted(milestones[initiative.pk], key=lambda m: (m.position, m.pk))
        dues = {m.pk: m.due_date for m in rows}
        starts = rules.milestone_starts(initiative.start_date, dues, predecessors)
        m_states = []
        facts_all = []
        for m in rows:
            alerts = open_counts.get((initiative.pk, m.pk, AroKind.ALERT), 0)
            restrictions = open_counts.get((initiative.pk, m.pk, AroKind.RESTRICTION), 0)
            facts = MilestoneFacts(
                due_date=m.due_date, start_date=starts[m.pk], progress=m.progress, completed_on=m.completed_on,
                open_alerts=alerts, open_restrictions=restrictions, weight=m.weight,
            )  # fmt: skip
            facts_all.append(facts)
            m_states.append(
                MilestoneState(
                    milestone=m,
                    light=rules.milestone_light(facts, today),
                    start=starts[m.pk],
                    expected=rules.expected_progress(start=starts[m.pk], due=m.due_date, today=today),
                    open_alerts=alerts,
                    open_restrictions=restrictions,
                )
            )
        own_alerts = open_counts.get((initiative.pk, None, AroKind.ALERT), 0)
        own_restrictions = open_counts.get((initiative.pk, None, AroKind.RESTRICTION), 0)
        light = rules.initiative_light(
            [s.light for s in m_states],
            has_light=initiative.status not in WITHOUT_LIGHT,
            open_alerts=own_alerts,
            open_restrictions=own_restrictions,
        )
        if initiative.status == Status.COMPLETED:
            light = Light.DONE
        since = initiative.start_date
        if initiative.programming_closed_at is not None:
            # The municipality's date of the closing, not UTC's (DESIGN.md §4.11).
            closed_on = timezone.localdate(initiative.programming_closed_at, local_tz())
            since = max(since, closed_on)
        stale = initiative.status in REPORT_DUE and rules.is_stale(
            latest.get(initiative.pk), today=today, cycle_day=day, since=since
        )

        states[initiative.pk] = InitiativeState(
            initiative=initiative, light=light, thermometer=rules.thermometer(facts_all), stale=stale,
            latest_report=latest.get(initiative.pk), milestones=m_states,
            open_alerts=totals[(initiative.pk, AroKind.ALERT)],
            open_restrictions=totals[(initiative.pk, AroKind.RESTRICTION)],
            open_opportunities=totals[(initiative.pk, AroKind.OPPORTUNITY)],
        )  # fmt: skip
    names = people_names(i.manager_id for i in initiatives) if with_names else {}
    for state in states.values():
        state.manager_name = names.get(state.initiative.manager_id, "")
    return states


def initiatives(
    *, text: str = "", status: str = "", manager: int | None = None, theme: int | None = None, place: int | None = None
) -> QuerySet[Initiative]:
    qs = Initiative.objects.all()
    if text:
        qs = qs.filter(Q(name__unaccent__icontains=text) | Q(objective__unaccent__icontains=text))
    if status:
        qs = qs.filter(status=status)
    if manager:
        qs = qs.filter(manager_id=manager)
    if theme:
        qs = qs.filter(themes=theme)
    if place:
        qs = qs.filter(places=place)
    return qs.distinct().order_by("name")


def place_name(pk: int) -> str | None:
    """The name of a place a list is filtered by (None: no such place)."""
    return Place.objects.filter(pk=pk).values_list("name", flat=True).first()


def initiative_count() -> int:
    """How many initiatives the municipality has registered (drafts included)."""
    return Initiative.objects.count()


def state_matches(state: InitiativeState, *, light: int | None = None, stale: bool = False) -> bool:
    """The portfolio's filters on computed values (the light and "no report this cycle"). The
    dashboard counts with this same test, so its numbers equal the filtered list's rows."""
    return (light is None or state.light == light) and (not stale or state.stale)


def portfolio(
    *, light: int | None = None, stale: bool = False, today: date | None = None, **filters: Any
) -> list[InitiativeState]:
    """Every initiative (filtered) with its computed state, worst first. `stale`: only those
    without a report this cycle (state.stale)."""
    rows = list(initiatives(**filters))
    states = compute_states(rows, today=today)
    result = [states[i.pk] for i in rows if state_matches(states[i.pk], light=light, stale=stale)]
    return sorted(result, key=lambda s: (-int(s.light), s.initiative.name.lower()))


def initiative(pk: int) -> Initiative:
    found = Initiative.objects.prefetch_related("themes", "places", "actors").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def milestone(initiative: Initiative, pk: int) -> Milestone:
    found = initiative.milestones.prefetch_related("depends_on").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def aro(pk: int, initiative_id: int | None = None) -> Aro:
    """One ARO (of that initiative, if given: a missing initiative is a 404 alike)."""
    qs = Aro.objects.select_related("initiative", "milestone", "aro_type")
    if initiative_id is not None:
        qs = qs.filter(initiative_id=initiative_id)
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def initiative_aros(initiative: Initiative) -> list[Aro]:
    return list(
        initiative.aros.select_related("milestone", "aro_type").order_by("-is_open", "-level", "-raised_on", "-pk")
    )


def date_history(initiative: Initiative) -> dict[int, list[DateChange]]:
    history: dict[int, list[DateChange]] = defaultdict(list)
    for change in DateChange.objects.filter(milestone__initiative=initiative).select_related("restriction"):
        history[change.milestone_id].append(change)
    return history


def recent_reports(initiative: Initiative, limit: int = 12) -> list[WeeklyReport]:
    return list(initiative.reports.prefetch_related("lines__milestone", "attachments").order_by("-week_start")[:limit])


def audit_trail(initiative: Initiative, limit: int = 50) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="initiative", object_id=str(initiative.pk)).order_by("-at")[:limit]
    )


def awaiting_decision(level: int | None = None, *, manager: int | None = None) -> QuerySet[Aro]:
    """Open ARO that sit at a level awaiting its decision (every level with None); `manager`:
    only those of the initiatives this person manages (what level 1 means for a manager).
    The level pages and their counts (here and on the dashboard) all start from this."""
    qs = Aro.objects.filter(is_open=True, awaiting_decision=True)
    if level is not None:
        qs = qs.filter(level=level)
    if manager:
        qs = qs.filter(initiative__manager_id=manager)
    return qs


def level_queue(
    level: int, *, manager: int | None = None, states: dict[int, InitiativeState] | None = None
) -> list[tuple[Aro, InitiativeState]]:
    """What needs a decision at a level: open ARO that sit there awaiting one, with the state
    of their initiative, highest urgency first (restrictions, then alerts, then oldest).
    `states`: every initiative's state when the caller has computed them (saves the queries)."""
    aros = list(
        awaiting_decision(level, manager=manager)
        .select_related("initiative", "milestone", "aro_type")
        .prefetch_related("movements")
    )
    if states is None or any(a.initiative_id not in states for a in aros):
        states = compute_states(list({a.initiative_id: a.initiative for a in aros}.values()))
    order = {AroKind.RESTRICTION: 0, AroKind.ALERT: 1, AroKind.OPPORTUNITY: 2}
    aros.sort(key=lambda a: (order[AroKind(a.kind)], a.raised_on, a.pk))
    return [(a, states[a.initiative_id]) for a in aros]


def level_counts(*, manager: int | None = None) -> dict[int, int]:
    counts = dict(
        awaiting_decision(manager=manager).order_by().values("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    return {level: counts.get(level, 0) for level in (1, 2, 3)}


# --- Public accountability ----------------------------------------------------------------

PUBLIC_STATUSES = (Status.PROGRAMMED, Status.IN_EXECUTION, Status.COMPLETED, Status.SUSPENDED)


def public_initiatives() -> list[InitiativeState]:
    rows = list(Initiative.objects.filter(is_public=True, status__in=PUBLIC_STATUSES).prefetch_related("places"))
    states = compute_states(rows, with_names=False)
    return [states[i.pk] for i in sorted(rows, key=lambda i: i.name.lower())]


def public_initiative(pk: int) -> InitiativeState:
    found = (
        Initiative.objects.filter(pk=pk, is_public=True, status__in=PUBLIC_STATUSES)
        .prefetch_related("places", "themes")
        .first()
    )
    if found is None:
        raise Http404
    return compute_states([found], with_names=False)[found.pk]


def approved_opinions(initiative: Initiative, limit: int = 100) -> list[Opinion]:
    return list(initiative.opinions.filter(status=OpinionStatus.APPROVED).order_by("-created_at")[:limit])


def opinion(pk: int) -> Opinion:
    found = Opinion.objects.select_related("initiative").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def opinions_for_moderation(status: str = OpinionStatus.PENDING) -> QuerySet[Opinion]:
    return Opinion.objects.filter(status=status).select_related("initiative").order_by("created_at")
