"""The municipal dashboard in headless Chromium, as the mayor reads it: on a phone (375 by 812)
and on a desktop (1280 by 900), with screenshots, no horizontal scroll on the phone, the
charts and the map visible with their tables, WCAG checks with axe-core, and the weekly
brief printed without navigation and downloaded as PDF.

The data goes into Gamma, a municipality of its own that is removed afterwards (the server
commits what the journey needs), with a mayor made for the journey."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot
from tests.browser.test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAYOR = "titular@gamma.test"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _square(lon: float, lat: float, size: float = 0.02) -> dict[str, object]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _seed(gamma, django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    """A small portfolio with lights, ARO, reports and snapshots, a week of agenda with themes
    and places (with coordinates), overdue tasks and communication actions, in Gamma."""
    from django.utils import timezone

    from tenants.accounts.models import User
    from tenants.agenda import services as agenda
    from tenants.communications import services as communications
    from tenants.dashboard.models import PortfolioSnapshot
    from tenants.dashboard.services import snapshot_take
    from tenants.db import local_today, use_municipality, use_public_schema
    from tenants.initiatives import rules
    from tenants.initiatives import services as initiatives
    from tenants.initiatives.cycle import cycle_day
    from tenants.initiatives.models import AroKind, AroType, Milestone, ProductKind, Status
    from tenants.models import Membership
    from tenants.roles import MunicipalRole
    from tenants.structure.models import NetworkMember, Place, PlaceLevel, PlaceLevelSet, Theme
    from tests.conftest import PASSWORD

    with django_db_blocker.unblock():
        use_public_schema()
        mayor = User.objects.create_user(email=MAYOR, password=PASSWORD, full_name="Teresa Titular")
        Membership.objects.create(user=mayor, municipality=gamma.municipality, role=MunicipalRole.MAYOR)
        use_municipality(gamma.municipality)
        try:
            today = local_today()
            tz = ZoneInfo(gamma.municipality.time_zone)
            level_set = PlaceLevelSet.objects.create(name="Territorio")
            district = PlaceLevel.objects.create(level_set=level_set, name="Distrito", rank=1)
            places = [
                Place.objects.create(code="N", name="Distrito Norte", level=district, geometry=_square(-77.06, -12.02)),
                Place.objects.create(code="S", name="Distrito Sur", level=district, geometry=_square(-77.05, -12.06)),
                Place.objects.create(
                    code="P",
                    name="Plaza de Armas",
                    level=district,
                    geometry={"type": "Point", "coordinates": [-77.03, -12.045]},
                ),
                Place.objects.create(code="V", name="Vereda sin mapa", level=district),
            ]
            themes = [
                Theme.objects.create(code=f"T{n}", name=name)
                for n, name in enumerate(("Agua y saneamiento", "Educación", "Seguridad ciudadana", "Salud"))
            ]
            types = list(AroType.objects.all())
            manager = gamma.admin.pk
            for n, (name, back) in enumerate(
                (("Mercado municipal renovado", 200), ("Agua potable para el sur", 60), ("Escuelas seguras", 20))
            ):
                start = today - timedelta(days=back)
                initiative = initiatives.initiative_save(
                    actor=None,
                    data={
                        "name": name,
                        "product_kind": ProductKind.PUBLIC_WORK,
                        "objective": "Mejorar el servicio.",
                        "manager_id": manager,
                        "start_date": start,
                        "target_date": start + timedelta(days=300),
                        "places": [places[n % 3]],
                        "themes": [themes[n]],
                    },
                )
                made: list[Milestone] = []
                for k, days in enumerate((40, 150, 300), start=1):
                    made.append(
                        initiatives.milestone_save(
                            actor=None,
                            initiative=initiative,
                            data={
                                "name": f"Fase {k}",
                                "due_date": start + timedelta(days=days),
                                "responsible_id": manager,
                                "weight": k,
                                "depends_on": made[-1:],
                            },
                        )
                    )
                initiatives.programming_close(actor=None, initiative=initiative)
                initiatives.initiative_set_status(actor=None, initiative=initiative, status=Status.IN_EXECUTION)
                Milestone.objects.filter(pk=made[0].pk).update(progress=30 * n)
                aro = initiatives.aro_raise(
                    actor=None,
                    initiative=initiative,
                    milestone=made[1],
                    kind=AroKind.RESTRICTION,
                    aro_type=types[n % len(types)],
                    description=f"Falta el permiso ambiental {n}",
                    required_decision="Gestionar el permiso con el ministerio",
                )
                for _ in range(2):
                    aro = initiatives.aro_escalate(actor=None, aro=aro, comment="Se eleva.")
            # Earlier weeks' snapshots, and this week's.
            week = rules.week_start(today, cycle_day())
            for back, lights in (
                (4, {"on_time": 3}),
                (3, {"on_time": 2, "at_risk": 1}),
                (1, {"late": 1, "at_risk": 2}),
            ):
                PortfolioSnapshot.objects.create(
                    week_start=week - timedelta(days=7 * back),
                    taken_at=timezone.now(),
                    lights=lights,
                    initiative_count=3,
                )
            snapshot_take(today=today)

            carlos = NetworkMember.objects.create(full_name="Carlos Secretario", email="carlos@gamma.test")
            for n in range(8):
                day = today - timedelta(days=3 * n) if n < 6 else today + timedelta(days=n - 5)
                starts = datetime.combine(day, datetime.min.time(), tzinfo=tz).replace(hour=9 + n % 5)
                agenda.activity_save(
                    actor=None,
                    data={
                        "title": f"Actividad {n}",
                        "kind": "meeting",
                        "is_public": n % 2 == 0,
                        "status": "done" if day < today else "confirmed",
                        "starts_at": starts,
                        "ends_at": starts + timedelta(hours=1 + n % 3),
                        "place": places[n % 4],
                        "themes": themes[: 1 + n % 3],
                    },
                )
                agenda.task_save(
                    actor=None,
                    data={
                        "kind": "commitment",
                        "description": f"Compromiso {n}",
                        "assignee": carlos,
                        "due_date": today + timedelta(days=n - 4),
                    },
                )
            for n in range(3):
                communications.action_save(
                    actor=None,
                    data={
                        "title": f"Campaña {n}",
                        "message": "Mensaje.",
                        "audience": "Vecinos",
                        "planned_date": today + timedelta(days=n),
                    },
                )
        finally:
            use_public_schema()


def _no_horizontal_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_the_mayor_reads_the_dashboard_on_a_phone_and_a_desktop(  # type: ignore[no-untyped-def]
    server: str, page, gamma, django_db_blocker
) -> None:
    _seed(gamma, django_db_blocker)
    base = server.format(host="gamma.localhost")
    problems: dict[str, list[dict]] = {}
    try:
        page.set_viewport_size(PHONE)
        login(page, base, MAYOR, then="/tablero/")

        # On the phone: nothing wider than the screen, every chart drawn and visible.
        page.wait_for_load_state()
        assert _no_horizontal_scroll(page), page.evaluate("document.documentElement.scrollWidth")
        charts = page.locator("figure.chart svg.chart-svg")
        assert charts.count() == 7
        for n in range(charts.count()):
            charts.nth(n).scroll_into_view_if_needed()
            expect(charts.nth(n)).to_be_visible()
            box = charts.nth(n).bounding_box()
            assert box is not None and box["width"] <= PHONE["width"] and box["height"] > 40
        expect(page.get_by_role("img", name="Termómetro de la cartera")).to_be_visible()
        expect(page.get_by_role("heading", name="Semáforos de la cartera, semana a semana")).to_be_visible()
        # The map with its shapes and its list (the place without coordinates only in the list).
        the_map = page.locator("svg.map-svg")
        expect(the_map).to_be_visible()
        assert the_map.locator("path").count() == 2 and the_map.locator("circle").count() == 1
        expect(page.locator("table.map-table").get_by_text("Vereda sin mapa")).to_be_visible()
        # A chart's data, opened.
        first = page.locator("#chart-lights details.chart-data")
        first.locator("summary").click()
        expect(first.locator("table")).to_be_visible()
        assert first.locator("tbody tr").count() == 12
        assert _no_horizontal_scroll(page)
        if found := _violations(page):
            problems["/tablero/ (375)"] = found
        shot(page, "dashboard-mobile")

        # The brief on the phone, printed, and its PDF.
        page.goto(base + "/tablero/resumen/")
        expect(page.get_by_role("heading", name="Resumen semanal para el titular")).to_be_visible()
        expect(page.get_by_text("Falta el permiso ambiental 0")).to_be_visible()
        assert _no_horizontal_scroll(page)
        if found := _violations(page):
            problems["/tablero/resumen/ (375)"] = found
        shot(page, "dashboard-brief-mobile")
        page.emulate_media(media="print")
        assert not page.locator(".site-header").is_visible()
        expect(page.get_by_text("Falta el permiso ambiental 0")).to_be_visible()
        page.emulate_media(media="screen")
        head = page.evaluate(
            "async (url) => { const r = await fetch(url); const b = new Uint8Array(await r.arrayBuffer());"
            " return [r.status, r.headers.get('content-type'), String.fromCharCode(...b.slice(0, 4))]; }",
            base + "/tablero/resumen.pdf",
        )
        assert head == [200, "application/pdf", "%PDF"]

        # On a desktop.
        page.set_viewport_size(DESKTOP)
        page.goto(base + "/tablero/")
        page.wait_for_load_state()
        assert page.locator("figure.chart svg.chart-svg").count() == 7
        expect(page.locator("svg.map-svg")).to_be_visible()
        assert _no_horizontal_scroll(page)
        if found := _violations(page):
            problems["/tablero/ (1280)"] = found
        shot(page, "dashboard-desktop")
        page.goto(base + "/tablero/resumen/")
        shot(page, "dashboard-brief-desktop")
    finally:
        with django_db_blocker.unblock():
            from tenants.accounts.models import User
            from tenants.db import use_public_schema

            use_public_schema()
            User.objects.filter(email=MAYOR).delete()
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
