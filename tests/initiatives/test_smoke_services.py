from __future__ import annotations

from tests.conftest import World
from tests.initiatives.conftest import make_initiative


def test_make_initiative_and_close_programming(in_alfa: World) -> None:
    initiative, milestones = make_initiative(in_alfa, close=True)
    assert initiative.status == "programmed"
    assert all(m.baseline_due_date is None for m in milestones)  # stale objects
    milestones[0].refresh_from_db()
    assert milestones[0].baseline_due_date == milestones[0].due_date
