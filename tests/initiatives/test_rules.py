"""The traffic-light rules at their boundaries (tenants/initiatives/rules.py), table-driven,
with the date fixed: `today` is an argument, never the clock."""

from __future__ import annotations

from datetime import date

import pytest

from tenants.initiatives import rules
from tenants.initiatives.rules import Light, MilestoneFacts

START = date(2026, 3, 2)
DUE = date(2026, 4, 1)  # 30 days after START


def facts(**kw: object) -> MilestoneFacts:
    base: dict[str, object] = {"due_date": DUE, "start_date": START, "progress": 0}
    base.update(kw)
    return MilestoneFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("case", "today", "expected"),
    [
        ("done wins over everything", dict(completed_on=date(2026, 5, 1), open_restrictions=2), Light.DONE),
        ("before the start nothing is expected", dict(progress=0), Light.ON_TIME),
        ("on the due date it is not late yet", dict(progress=100), Light.ON_TIME),
        ("the day after the due date it is late", dict(progress=99), Light.LATE),
        ("an open restriction makes it late", dict(progress=50, open_restrictions=1), Light.LATE),
        ("an open alert puts it at risk", dict(progress=50, open_alerts=1), Light.AT_RISK),
        ("exactly TOLERANCE behind the line is on time", dict(progress=40), Light.ON_TIME),
        ("one point more behind is at risk", dict(progress=39), Light.AT_RISK),
        ("on the due date with 89 % it is at risk", dict(progress=89), Light.AT_RISK),
        ("on the due date with 90 % it is on time", dict(progress=90), Light.ON_TIME),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_milestone_light(case: str, today: dict[str, object], expected: Light) -> None:
    when = {
        "done wins over everything": date(2026, 6, 1),
        "before the start nothing is expected": date(2026, 3, 1),
        "on the due date it is not late yet": DUE,
        "the day after the due date it is late": date(2026, 4, 2),
        "an open restriction makes it late": date(2026, 3, 5),
        "an open alert puts it at risk": date(2026, 3, 5),
        # Day 15 of 30: the line expects 50 %.
        "exactly TOLERANCE behind the line is on time": date(2026, 3, 17),
        "one point more behind is at risk": date(2026, 3, 17),
        "on the due date with 89 % it is at risk": DUE,
        "on the due date with 90 % it is on time": DUE,
    }[case]
    assert rules.milestone_light(facts(**today), when) == expected


@pytest.mark.parametrize(
    ("start", "due", "today", "expected"),
    [
        (START, DUE, START, 0),
        (START, DUE, date(2026, 3, 17), 50),
        (START, DUE, DUE, 100),
        (START, DUE, date(2027, 1, 1), 100),
        (DUE, DUE, DUE, 100),  # a milestone due the day it starts
    ],
)
def test_expected_line(start: date, due: date, today: date, expected: int) -> None:
    assert rules.expected_progress(start=start, due=due, today=today) == expected


@pytest.mark.parametrize(
    ("lights", "kw", "expected"),
    [
        ([], {}, Light.NONE),
        ([Light.DONE, Light.DONE], {}, Light.DONE),
        ([Light.DONE, Light.ON_TIME], {}, Light.ON_TIME),
        ([Light.ON_TIME, Light.AT_RISK, Light.DONE], {}, Light.AT_RISK),
        ([Light.AT_RISK, Light.LATE], {}, Light.LATE),
        # A late milestone already done does not count: only pending ones do.
        ([Light.DONE, Light.ON_TIME], {"open_alerts": 1}, Light.AT_RISK),
        ([Light.ON_TIME], {"open_restrictions": 1}, Light.LATE),
        ([Light.LATE], {"has_light": False}, Light.NONE),
    ],
)
def test_initiative_light(lights: list[Light], kw: dict[str, object], expected: Light) -> None:
    assert rules.initiative_light(lights, **kw) == expected  # type: ignore[arg-type]


def test_thermometer_weighs_progress_and_counts_done_as_full() -> None:
    ms = [facts(weight=3, progress=50), facts(weight=1, progress=0, completed_on=DUE)]
    assert rules.thermometer(ms) == round((3 * 50 + 1 * 100) / 4)
    assert rules.thermometer([]) == 0


@pytest.mark.parametrize(
    ("today", "cycle_day", "expected"),
    [
        (date(2026, 11, 16), 0, date(2026, 11, 16)),  # a Monday, cycle opens Monday
        (date(2026, 11, 22), 0, date(2026, 11, 16)),  # Sunday: still the week of Monday 16
        (date(2026, 11, 17), 2, date(2026, 11, 11)),  # Tuesday, cycle opens Wednesday
        (date(2026, 11, 18), 2, date(2026, 11, 18)),  # the Wednesday itself
    ],
)
def test_week_start(today: date, cycle_day: int, expected: date) -> None:
    assert rules.week_start(today, cycle_day) == expected
    days = rules.cycle_dates(today, cycle_day)
    assert (days[1], (days[2] - days[1]).days, (days[3] - days[1]).days) == (expected, 1, 2)


@pytest.mark.parametrize(
    ("latest", "today", "expected"),
    [
        (date(2026, 11, 16), date(2026, 11, 18), False),  # this week's report
        (date(2026, 11, 9), date(2026, 11, 22), False),  # last week's report: one cycle
        (date(2026, 11, 2), date(2026, 11, 16), True),  # more than one cycle behind
        (None, date(2026, 11, 12), False),  # started this week: not stale yet
        (None, date(2026, 11, 16), False),  # its second week
        (None, date(2026, 11, 23), True),  # two whole weeks without a report
    ],
)
def test_stale(latest: date | None, today: date, expected: bool) -> None:
    since = date(2026, 11, 10)  # reporting became due on a Tuesday
    assert rules.is_stale(latest, today=today, cycle_day=0, since=since) is expected
