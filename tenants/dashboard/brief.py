"""The mayor's weekly brief: one page with what needs the mayor's decision, what is late,
what to communicate and the coming days' agenda. The same data feeds the printable page,
the PDF and the email sent on the cycle's day 3 (tasks_brief.py).

It reuses the selectors behind the dashboard and the lists, so its figures are the ones the
mayor finds when following a link: level-3 ARO as the level page (initiatives.selectors.
level_queue), late initiatives and milestones from the portfolio's computed lights, overdue
tasks as the task list's `?vencidas=1`, the agenda as the activity list's `?desde=&hasta=`,
and communication actions as the communication list's `?desde=&hasta=&estado=abiertas`.

Each list keeps its first few rows (so the brief stays one page) and its full count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Generic, TypeVar

from tenants.accounts.models import User
from tenants.agenda import selectors as agenda
from tenants.agenda import selectors_activities as agenda_reads
from tenants.agenda.models import Activity, ActivityStatus, Task
from tenants.communications import selectors as communications
from tenants.communications.models import CommunicationAction
from tenants.dashboard import selectors
from tenants.dashboard.selectors import list_url
from tenants.db import current_municipality
from tenants.initiatives import rules
from tenants.initiatives import selectors as initiatives
from tenants.initiatives.cycle import cycle_day
from tenants.initiatives.models import Aro
from tenants.initiatives.rules import Light
from tenants.initiatives.selectors import InitiativeState, MilestoneState

ROWS = 5  # rows per section: the brief fits one page
AGENDA_ROWS = 8
AHEAD_DAYS = 7  # the agenda and communication of today and the next six days

T = TypeVar("T")


@dataclass
class Section(Generic[T]):
    """A list in the brief: its first rows, its full count and the page that lists them all."""

    rows: list[T]
    count: int
    url: str = ""

    @property
    def more(self) -> int:
        return max(self.count - len(self.rows), 0)


@dataclass
class Brief:
    municipality: str
    today: date
    week_start: date  # the cycle week (day 1) the brief belongs to
    cycle: dict[int, date]
    until: date  # the agenda and communication span: today … until
    decisions: Section[tuple[Aro, InitiativeState]]
    late_initiatives: Section[InitiativeState]
    late_milestones: Section[tuple[MilestoneState, InitiativeState]]
    overdue_tasks: Section[Task]
    communications: Section[CommunicationAction]
    suggestion_count: int
    to_approve_count: int  # pieces waiting for the mayor's (or the counterpart's) approval
    agenda: Section[Activity]
    thermometer: int | None
    light_counts: dict[Light, int] = field(default_factory=dict)

    @property
    def nothing_pending(self) -> bool:
        return not (self.decisions.count or self.late_initiatives.count or self.late_milestones.count)


def weekly_brief(*, user: User | None, today: date) -> Brief:
    """The brief on `today` (the municipality's date) as `user` may see it (private
    activities); None reads as the system, which sees everything (the email to the mayor)."""
    municipality = current_municipality()
    day = cycle_day()
    until = today + timedelta(days=AHEAD_DAYS - 1)

    states = initiatives.portfolio(today=today)
    late = [s for s in states if initiatives.state_matches(s, light=Light.LATE)]
    late_milestones = [(m, s) for s in states if s.light != Light.NONE for m in s.milestones if m.light == Light.LATE]
    late_milestones.sort(key=lambda pair: (pair[0].milestone.due_date, pair[1].initiative.name.lower()))
    counts = {light: 0 for light in (Light.LATE, Light.AT_RISK, Light.ON_TIME, Light.DONE)}
    for s in states:
        if s.light in counts:
            counts[s.light] += 1

    # The level's queue reads the lights from the portfolio just computed (no second pass).
    decisions = initiatives.level_queue(3, states={s.initiative.pk: s for s in states})
    overdue = agenda.tasks(overdue=True, today=today)
    actions = communications.actions(estado="abiertas", desde=today, hasta=until)
    activities = agenda_reads.filtered_activities(user, desde=today, hasta=until).exclude(
        status=ActivityStatus.CANCELLED
    )
    first_activities = list(activities[:AGENDA_ROWS])
    return Brief(
        municipality=municipality.name,
        today=today,
        week_start=rules.week_start(today, day),
        cycle=rules.cycle_dates(today, day),
        until=until,
        decisions=Section(decisions[:ROWS], len(decisions), list_url("initiatives:level", 3)),
        late_initiatives=Section(late[:ROWS], len(late), list_url("initiatives:portfolio", semaforo=int(Light.LATE))),
        late_milestones=Section(late_milestones[:ROWS], len(late_milestones)),
        overdue_tasks=Section(list(overdue[:ROWS]), overdue.count(), list_url("agenda:tasks", vencidas=1)),
        communications=Section(
            list(actions[:ROWS]),
            actions.count(),
            list_url("communications:list", estado="abiertas", desde=today.isoformat(), hasta=until.isoformat()),
        ),
        suggestion_count=communications.suggestion_count(),
        to_approve_count=communications.awaiting_approval().count(),
        agenda=Section(
            first_activities,
            len(first_activities) if len(first_activities) < AGENDA_ROWS else activities.count(),
            list_url("agenda:activities", desde=today.isoformat(), hasta=until.isoformat()),
        ),
        thermometer=selectors.portfolio_thermometer(states),
        light_counts=counts,
    )
