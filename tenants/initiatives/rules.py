"""The rules of the traffic lights (semáforos), the thermometer and the weekly cycle.

They are computed, never typed in, from plain values, so the same rule serves the pages, the
API, the reports and the PDF, and the tests can pin them at every boundary. The user guide
(`/iniciativas/guia/`) states the same rules in words; change both together.

Milestone (meta intermedia), in this order:
  1. DONE      it has a completion date.
  2. LATE      its due date has passed (due < today), or it has an open restriction.
  3. AT_RISK   it has an open alert, or its progress is more than TOLERANCE points behind
               the expected line: a straight line from 0 % on the milestone's start (the
               latest due date of its predecessors, else the initiative's start) to 100 % on
               its due date. On the due date itself the expected progress is 100 %.
  4. ON_TIME   otherwise (a milestone that has not started yet is on time).

Initiative: the worst state of its pending (not done) milestones, with open alerts and
restrictions raised on the initiative itself counting as at risk and late. When every
milestone is done it is DONE; with no milestones it has no light (NONE). Drafts, suspended
and cancelled initiatives have no light either: nothing is expected of them.

Thermometer: weighted milestone progress, sum(weight * progress) / sum(weight), done = 100 %.

Stale: an initiative in execution or programmed whose latest report is older than the
previous cycle's week (no report for this week nor for the last one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum

from django.utils.translation import gettext_lazy as _

# Points of progress a milestone may lag behind the expected line before it turns at risk.
TOLERANCE = 10


class Light(IntEnum):
    """Ordered by severity, so max() is "the worst"."""

    NONE = 0
    DONE = 1
    ON_TIME = 2
    AT_RISK = 3
    LATE = 4

    @property
    def label(self) -> str:
        return str(LIGHT_LABELS[self])

    @property
    def css(self) -> str:
        return self.name.lower().replace("_", "-")

    @property
    def icon(self) -> str:
        # A shape per state, so colour is never the only signal.
        return {0: "○", 1: "✓", 2: "●", 3: "▲", 4: "■"}[int(self)]


LIGHT_LABELS = {
    Light.NONE: _("Sin semáforo"),
    Light.DONE: _("Cumplida"),
    Light.ON_TIME: _("En tiempo"),
    Light.AT_RISK: _("En riesgo"),
    Light.LATE: _("Atrasada"),
}


@dataclass(frozen=True)
class MilestoneFacts:
    """What the rule needs to know about a milestone."""

    due_date: date
    start_date: date
    progress: int
    completed_on: date | None = None
    open_alerts: int = 0
    open_restrictions: int = 0
    weight: int = 1


def expected_progress(*, start: date, due: date, today: date) -> int:
    """Percent of the work the straight line from start to due expects done by `today`."""
    if today >= due:
        return 100
    if today <= start:
        return 0
    return int(100 * (today - start).days / (due - start).days)


def milestone_light(facts: MilestoneFacts, today: date) -> Light:
    if facts.completed_on is not None:
        return Light.DONE
    if facts.due_date < today or facts.open_restrictions:
        return Light.LATE
    if facts.open_alerts:
        return Light.AT_RISK
    expected = expected_progress(start=facts.start_date, due=facts.due_date, today=today)
    if facts.progress + TOLERANCE < expected:
        return Light.AT_RISK
    return Light.ON_TIME


def initiative_light(
    milestone_lights: Iterable[Light],
    *,
    has_light: bool = True,
    open_alerts: int = 0,
    open_restrictions: int = 0,
) -> Light:
    """`open_alerts`/`open_restrictions` are those raised on the initiative itself (not on
    a milestone). `has_light` is False for drafts, suspended and cancelled initiatives."""
    if not has_light:
        return Light.NONE
    lights = list(milestone_lights)
    if not lights:
        return Light.NONE
    pending = [light for light in lights if light != Light.DONE]
    if not pending:
        return Light.DONE
    worst = max(pending)
    if open_restrictions:
        worst = max(worst, Light.LATE)
    elif open_alerts:
        worst = max(worst, Light.AT_RISK)
    return worst


def thermometer(milestones: Iterable[MilestoneFacts]) -> int:
    total = 0
    done = 0
    for facts in milestones:
        total += facts.weight
        done += facts.weight * (100 if facts.completed_on is not None else facts.progress)
    return round(done / total) if total else 0


def milestone_starts(
    initiative_start: date, due_dates: dict[int, date], predecessors: dict[int, list[int]]
) -> dict[int, date]:
    """Each milestone starts when its latest predecessor is due (finish-to-start), else
    when the initiative starts."""
    starts = {}
    for pk in due_dates:
        before = [due_dates[p] for p in predecessors.get(pk, []) if p in due_dates]
        starts[pk] = max(before) if before else initiative_start
    return starts


# --- The weekly cycle ---------------------------------------------------------------------


def week_start(day: date, cycle_day: int) -> date:
    """The first day (day 1) of the municipality's week that contains `day`."""
    return day - timedelta(days=(day.weekday() - cycle_day) % 7)


def cycle_dates(today: date, cycle_day: int) -> dict[int, date]:
    """Day 1 (managers update), day 2 (goals committee) and day 3 (mayor's office) of the
    current cycle."""
    start = week_start(today, cycle_day)
    return {1: start, 2: start + timedelta(days=1), 3: start + timedelta(days=2)}


def is_stale(latest_report_week: date | None, *, today: date, cycle_day: int, since: date) -> bool:
    """No report for this week nor the previous one. `since` is when reporting became due
    (programming closed or the start date): a new initiative is not stale before its second
    week."""
    previous_week = week_start(today, cycle_day) - timedelta(days=7)
    if latest_report_week is not None:
        return latest_report_week < previous_week
    return week_start(since, cycle_day) < previous_week
