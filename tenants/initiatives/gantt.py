"""The calendar map (mapa calendario): the geometry of a Gantt-style timeline, computed on the
server so the page works without JavaScript and prints as it shows. The template
`initiatives/reports/_gantt.html` draws it as inline SVG.

Each milestone is a bar from its computed start to its current due date; when it was
reprogrammed, a dashed outline shows where its baseline ended. A bar's colour follows its
traffic light and so does its fill pattern, and the light's word is written next to it:
colour is never the only signal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil

from django.utils.formats import date_format

from tenants.initiatives.rules import Light
from tenants.initiatives.selectors import InitiativeState, MilestoneState

# The drawing's own units (the SVG scales to the page width through its viewBox).
WIDTH = 1000
LABEL_WIDTH = 250  # milestone names, left
STATUS_WIDTH = 120  # light word, right
CHART_WIDTH = WIDTH - LABEL_WIDTH - STATUS_WIDTH
HEADER = 38  # month labels and the "today" label
ROW = 30
BAR = 16
MAX_NAME = 36  # characters of a name drawn in the label column; the tooltip has it whole
MAX_MONTH_LABELS = 12  # more would overlap: label every n-th month
# The pages' light colours (all at least 6:1 on white); the pattern and the word go with them.
COLOURS = {
    Light.LATE: "#a40e26",
    Light.AT_RISK: "#7a4a00",
    Light.ON_TIME: "#1a6b30",
    Light.DONE: "#0b5394",
    Light.NONE: "#57606a",
}


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    day: date
    labelled: bool

    @property
    def label_x(self) -> float:
        return self.x + 4


@dataclass(frozen=True)
class Bar:
    state: MilestoneState
    name: str  # shortened to fit
    y: float  # top of the row
    bar_y: float
    x: float
    width: float
    baseline_x: float | None  # end of the baseline outline, when it differs from the due date
    baseline_width: float
    light: Light
    text_y: float

    @property
    def reprogrammed(self) -> bool:
        return self.baseline_x is not None

    @property
    def colour(self) -> str:
        return COLOURS[self.light]

    @property
    def height(self) -> int:
        return BAR

    @property
    def baseline_y(self) -> float:
        return self.bar_y - 4

    @property
    def baseline_height(self) -> int:
        return BAR + 8


@dataclass(frozen=True)
class Chart:
    uid: str  # unique within the page: the SVG ids (patterns, title) must not collide
    width: int
    height: int
    label_width: int
    chart_width: int
    status_x: int
    bars: list[Bar]
    ticks: list[Tick]
    today: date
    today_x: float | None
    start: date
    end: date

    @property
    def row_height(self) -> int:
        return ROW

    @property
    def today_label_x(self) -> float:
        return (self.today_x or 0) + 4

    @property
    def grid_top(self) -> int:
        return 20


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def span(states: Iterable[InitiativeState], today: date) -> tuple[date, date]:
    """From the first month any bar starts in to the end of the month the last one ends in,
    today included (the "today" line is the reference of the whole drawing)."""
    first, last = today, today
    for state in states:
        for m in state.milestones:
            first = min(first, m.start)
            last = max(last, m.milestone.due_date, m.milestone.baseline_due_date or m.milestone.due_date)
    return _month_start(first), _next_month(last)


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 1].rstrip() + "…"


def chart(state: InitiativeState, *, today: date, start: date, end: date) -> Chart:
    """The timeline of one initiative's milestones, between `start` and `end` (a shared span
    lets several charts on one page line up)."""
    days = max((end - start).days, 1)

    def x_of(day: date) -> float:
        clamped = min(max(day, start), end)
        return round(LABEL_WIDTH + CHART_WIDTH * (clamped - start).days / days, 1)

    bars = []
    for n, m_state in enumerate(state.milestones):
        m = m_state.milestone
        y = HEADER + n * ROW
        x = x_of(m_state.start)
        # A milestone due on the day it starts still gets a visible sliver.
        width = max(x_of(m.due_date) - x, 3.0)
        baseline = m.baseline_due_date
        baseline_x = x_of(baseline) if baseline is not None and baseline != m.due_date else None
        bars.append(
            Bar(
                state=m_state, name=_shorten(m.name), y=y, bar_y=y + (ROW - BAR) / 2, x=x, width=width,
                baseline_x=baseline_x, baseline_width=max((baseline_x or x) - x, 3.0), light=m_state.light,
                text_y=y + ROW / 2 + 5,
            )
        )  # fmt: skip
    months = []
    day = _month_start(start)
    while day <= end:
        months.append(day)
        day = _next_month(day)
    every = max(1, ceil(len(months) / MAX_MONTH_LABELS))
    ticks = [
        Tick(x=x_of(d), label=date_format(d, "M Y"), day=d, labelled=n % every == 0 and d < end)
        for n, d in enumerate(months)
    ]
    height = HEADER + max(len(bars), 1) * ROW + 8
    return Chart(
        uid=f"gantt-{state.initiative.pk}", width=WIDTH, height=height, label_width=LABEL_WIDTH,
        chart_width=CHART_WIDTH, status_x=WIDTH - STATUS_WIDTH + 8, bars=bars, ticks=ticks, today=today,
        today_x=x_of(today) if start <= today <= end else None, start=start, end=end,
    )  # fmt: skip
