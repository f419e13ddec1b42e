"""The weekly snapshot of the portfolio: it equals the live portfolio when taken, a later
edit does not change an earlier week's row, and taking it twice in a week keeps one row."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tenants.dashboard import selectors
from tenants.dashboard.models import PortfolioSnapshot
from tenants.dashboard.services import snapshot_take
from tenants.dashboard.tasks import schedule_snapshots
from tenants.db import local_today, use_municipality, use_public_schema
from tenants.initiatives import rules
from tenants.initiatives import selectors as initiatives
from tenants.initiatives import services as initiative_services
from tenants.initiatives.cycle import cycle_day
from tenants.workspace.schema_guard import NotInTenantSchema
from tests.conftest import World
from tests.dashboard.conftest import fill


def test_the_snapshot_equals_the_live_portfolio(in_alfa: World) -> None:
    w = in_alfa
    fill(w, 0, 4)
    today = local_today()
    live = initiatives.portfolio(today=today)
    snapshot = snapshot_take(today=today)
    assert snapshot.week_start == rules.week_start(today, cycle_day())
    assert snapshot.initiative_count == len(live) == 4
    expected = {light.name.lower(): sum(1 for s in live if s.light == light) for light in selectors.LIGHTS}
    assert snapshot.lights == expected and sum(snapshot.lights.values()) == 4
    assert snapshot.stale_count == sum(1 for s in live if s.stale) == 2
    assert snapshot.thermometer == selectors.portfolio_thermometer(live)
    assert snapshot.open_aro == {
        "alert": sum(s.open_alerts for s in live),
        "restriction": sum(s.open_restrictions for s in live),
        "opportunity": sum(s.open_opportunities for s in live),
    }
    assert snapshot.open_aro == {"alert": 4, "restriction": 4, "opportunity": 4}
    assert [(r["id"], r["light"], r["thermometer"]) for r in snapshot.initiatives] == [
        (s.initiative.pk, s.light.name.lower(), s.thermometer) for s in live
    ]
    # The dashboard's figures read the same values.
    board = selectors.dashboard(w.mayor_alfa, today)
    assert {f.light.name.lower(): f.count for f in board.portfolio.lights} == snapshot.lights
    assert board.portfolio.thermometer == snapshot.thermometer
    assert board.portfolio.stale.count == snapshot.stale_count
    # And the charts' current point, computed without saving, too.
    current = selectors.live_snapshot(today)
    assert (current.lights, current.thermometer, current.week_start) == (
        snapshot.lights,
        snapshot.thermometer,
        snapshot.week_start,
    )


def test_a_later_edit_does_not_change_an_earlier_week(in_alfa: World) -> None:
    w = in_alfa
    made = fill(w, 0, 2)
    today = local_today()
    last_week = snapshot_take(today=today - timedelta(days=7))
    before = {f.name: getattr(last_week, f.name) for f in PortfolioSnapshot._meta.fields}

    # Everything changes afterwards: a name, a milestone done, an ARO closed.
    initiative = made.initiatives[0]
    initiative_services.initiative_save(actor=None, initiative=initiative, data={"name": "Nombre nuevo"})
    for milestone in initiative.milestones.all():
        initiative_services.milestone_complete(
            actor=None, milestone=milestone, completed_on=today, evidence_text="Acta."
        )
    this_week = snapshot_take(today=today)

    assert PortfolioSnapshot.objects.count() == 2
    last_week.refresh_from_db()
    assert {f.name: getattr(last_week, f.name) for f in PortfolioSnapshot._meta.fields} == before
    assert "Nombre nuevo" not in [r["name"] for r in last_week.initiatives]
    assert "Nombre nuevo" in [r["name"] for r in this_week.initiatives]
    assert this_week.lights["done"] == last_week.lights["done"] + 1
    assert [s.week_start for s in selectors.snapshots()] == [last_week.week_start, this_week.week_start]


def test_taking_it_twice_in_a_week_keeps_one_row(in_alfa: World) -> None:
    w = in_alfa
    made = fill(w, 0, 2)
    today = local_today()
    week = rules.week_start(today, cycle_day())
    first = snapshot_take(today=week)
    initiative_services.initiative_set_status(
        actor=None, initiative=made.initiatives[1], status="suspended", comment="Sin fondos."
    )
    second = snapshot_take(today=week + timedelta(days=6))
    assert PortfolioSnapshot.objects.count() == 1
    assert second.pk == first.pk and second.week_start == week
    assert second.lights["none"] == first.lights["none"] + 1  # the latest state of the week counts
    assert second.taken_at >= first.taken_at


def test_the_beat_task_takes_one_snapshot_in_each_municipality(w: World) -> None:
    use_municipality(w.alfa)
    fill(w, 0, 1)
    use_public_schema()
    assert {"alfa", "beta"} <= set(schedule_snapshots.delay().get())
    schedule_snapshots.delay().get()  # hourly: the same week's row, replaced
    use_municipality(w.alfa)
    assert PortfolioSnapshot.objects.count() == 1
    assert PortfolioSnapshot.objects.get().initiative_count == 1
    use_municipality(w.beta)
    assert PortfolioSnapshot.objects.count() == 1
    assert PortfolioSnapshot.objects.get().initiative_count == 0
    use_public_schema()


def test_the_snapshot_fails_closed_in_the_public_schema(w: World) -> None:
    use_public_schema()
    with pytest.raises(NotInTenantSchema):
        snapshot_take()
    use_municipality(w.alfa)
    with pytest.raises(RuntimeError):
        schedule_snapshots()
    use_public_schema()
