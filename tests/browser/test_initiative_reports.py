"""The control report, the mesa de metas and the calendar map in headless Chromium: WCAG
checks with axe-core, the printed mesa without navigation, and the PDF download."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot
from tests.browser.test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _seed(gamma, django_db_blocker) -> int:  # type: ignore[no-untyped-def]
    """An initiative with a reprogrammed milestone and a restriction escalated to the goals
    committee, committed in Gamma (it goes away with Gamma's schema)."""
    from tenants.db import use_municipality, use_public_schema
    from tenants.initiatives import services
    from tenants.initiatives.models import AroKind, AroType, Milestone, ProductKind

    manager = gamma.admin.pk
    start = date.today() - timedelta(days=40)
    with django_db_blocker.unblock():
        use_municipality(gamma.municipality)
        try:
            initiative = services.initiative_save(
                actor=None,
                data={
                    "name": "Mercado municipal renovado", "product_kind": ProductKind.PUBLIC_WORK,
                    "objective": "Renovar el mercado con puestos dignos.", "manager_id": manager,
                    "start_date": start, "target_date": start + timedelta(days=240),
                },
            )  # fmt: skip
            made: list[Milestone] = []
            for n, days in enumerate((30, 120, 240), start=1):
                made.append(
                    services.milestone_save(
                        actor=None,
                        initiative=initiative,
                        data={
                            "name": f"Fase {n} del mercado",
                            "due_date": start + timedelta(days=days),
                            "responsible_id": manager,
                            "depends_on": made[-1:],
                        },
                    )
                )
            services.programming_close(actor=None, initiative=initiative)
            second = Milestone.objects.get(pk=made[1].pk)
            services.milestone_reprogram(
                actor=None, milestone=second, new_due=second.due_date + timedelta(days=20), reason="Lluvias"
            )
            aro = services.aro_raise(
                actor=None, initiative=initiative, milestone=made[0], kind=AroKind.RESTRICTION,
                aro_type=AroType.objects.get(key="financial"), description="Falta el aporte de la gobernación",
                proposed_action="Pedir un crédito puente", required_decision="Autorizar el crédito",
            )  # fmt: skip
            services.aro_escalate(actor=None, aro=aro, comment="El comité debe decidir")
        finally:
            use_public_schema()
    return initiative.pk


def test_report_pages_are_accessible_and_the_mesa_prints_without_navigation(  # type: ignore[no-untyped-def]
    server: str, page, gamma, django_db_blocker
) -> None:
    pk = _seed(gamma, django_db_blocker)
    base = server.format(host="gamma.localhost")
    login(page, base, "admin@gamma.test", then="/iniciativas/informes/")
    problems: dict[str, list[dict]] = {}

    pages = {
        "/iniciativas/informes/": "initiative-report",
        "/iniciativas/mesa-de-metas/?nivel=2": "initiative-goals-table",
        "/iniciativas/calendario/": "initiative-calendar-portfolio",
        f"/iniciativas/{pk}/calendario/": "initiative-calendar",
    }
    for path, name in pages.items():
        page.goto(base + path)
        assert "Mercado municipal renovado" in page.locator("main").inner_text(), path
        if found := _violations(page):
            problems[path] = found
        shot(page, name)

    # The calendar's drawing has an accessible name and a table alternative.
    page.goto(base + f"/iniciativas/{pk}/calendario/")
    assert page.get_by_role("img", name="Mapa calendario de «Mercado municipal renovado»").count() == 1
    assert page.get_by_role("table").filter(has_text="Fase 2 del mercado").count() == 1
    assert page.locator(".gantt-bar").count() == 3 and page.locator(".gantt-baseline").count() == 1

    # Printed, the mesa keeps its content and drops the navigation.
    page.goto(base + "/iniciativas/mesa-de-metas/?nivel=2")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("navigation", name="Nivel y formato").is_visible()
    expect(page.get_by_text("Falta el aporte de la gobernación")).to_be_visible()
    shot(page, "initiative-goals-table-print")
    page.emulate_media(media="screen")

    # Fetched by the page itself (Playwright's own client does not resolve *.localhost).
    head = page.evaluate(
        "async (url) => { const r = await fetch(url); const b = new Uint8Array(await r.arrayBuffer());"
        " return [r.status, r.headers.get('content-type'), String.fromCharCode(...b.slice(0, 4))]; }",
        base + "/iniciativas/mesa-de-metas.pdf?nivel=2",
    )
    assert head == [200, "application/pdf", "%PDF"]
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
