"""Communication actions end to end in headless Chromium: the system counterpart (who both
edits and approves) accepts a public activity from the inbox, writes a news piece, approves
it, marks the action ready, publishes it to the municipality's news page, and anyone reads it
there. The journey runs in a municipality of its own (Gamma): the server commits what it
does, and the session's Alfa must stay as the other tests expect it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot
from tests.browser.test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ACTIVITY = "Entrega de la plaza del mercado renovada"
NEWS = "El mercado de Gamma reabre sus puertas"


@pytest.fixture
def public_activity(gamma, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A public event of Gamma's mayor tomorrow: it shows in the communication inbox."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from tenants.agenda import services
    from tenants.db import use_municipality, use_public_schema

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    tomorrow = (datetime.now(ZoneInfo(gamma.municipality.time_zone)) + timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    with django_db_blocker.unblock():
        use_municipality(gamma.municipality)
        services.activity_save(
            actor=None,
            data={
                "title": ACTIVITY, "kind": "ceremony", "starts_at": tomorrow,
                "ends_at": tomorrow + timedelta(hours=1), "status": "confirmed", "is_public": True,
            },
        )  # fmt: skip
        use_public_schema()
    yield ACTIVITY
    monkeypatch.undo()


def test_suggestion_to_published_news(server: str, browser, page, gamma, public_activity: str) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="gamma.localhost")
    login(page, base, "admin@gamma.test", then="/comunicacion/")
    expect(page.locator("h1")).to_have_text("Acciones comunicacionales")
    assert _violations(page) == []

    # The inbox offers the public activity; accept it.
    page.get_by_role("link", name="Bandeja de sugerencias").first.click()
    item = page.locator("li.comm-suggestion", has_text=public_activity)
    expect(item).to_contain_text("Actividad pública")
    assert _violations(page) == []
    item.get_by_role("button", name="Aceptar").click()
    expect(page.locator("main")).to_contain_text("Se creó la acción")

    # Complete the plan.
    page.get_by_label("Mensaje y propósito").fill("La plaza renovada mejora la venta de los productores locales.")
    page.get_by_label("Público destinatario").fill("Comerciantes y vecinos del centro")
    page.get_by_role("button", name="Guardar", exact=True).click()
    expect(page.locator("h1")).to_have_text(public_activity)
    expect(page.locator("main")).to_contain_text("Identificada")

    # Write the news piece.
    page.get_by_role("link", name="Escribir una pieza").click()
    page.get_by_label("Tipo de pieza").select_option("web_news")
    page.get_by_label("Título").fill(NEWS)
    page.get_by_label("Bajada o resumen").fill("Cuarenta puestos renovados desde mañana.")
    page.locator("#id_body").fill("La alcaldesa entregó la plaza del mercado renovada.")
    page.get_by_role("button", name="Guardar la pieza").click()
    expect(page.locator("main")).to_contain_text("Se guardó la pieza")
    assert _violations(page) == []
    page.get_by_role("link", name=public_activity).first.click()

    # Not publishable yet: the page says why.
    box = page.locator("li.comm-box", has_text="Página de noticias del municipio")
    expect(box).to_contain_text("no está aprobada")
    expect(page.locator("main")).to_contain_text("Pendiente de aprobación")

    # Approve, mark ready, publish.
    page.get_by_role("button", name="Aprobar la pieza").click()
    expect(page.locator("main")).to_contain_text("Aprobada por Gabriela Gamma")
    page.get_by_role("button", name="Marcar como lista").click()
    expect(page.locator("main")).to_contain_text("Estado actualizado: Lista.")
    page.get_by_role("button", name="Publicar en Página de noticias del municipio").click()
    box = page.locator("li.comm-box", has_text="Página de noticias del municipio")
    expect(box).to_contain_text("Publicada el")
    expect(page.locator("main")).to_contain_text("Publicada")
    assert _violations(page) == []
    shot(page, "communications-published")

    # The calendar shows it, as a grid and as a list.
    page.get_by_role("link", name="Calendario editorial").first.click()
    expect(page.locator("main")).to_contain_text(public_activity)
    assert _violations(page) == []
    shot(page, "communications-calendar")
    page.get_by_role("link", name="Lista", exact=True).click()
    expect(page.locator("table")).to_contain_text(public_activity)
    assert _violations(page) == []
    page.goto(base + "/comunicacion/canales/")
    assert _violations(page) == []

    # On a phone nothing is wider than the screen (hidden labels in scrolled tables, selects).
    page.set_viewport_size({"width": 375, "height": 812})
    for path in ("/comunicacion/", "/comunicacion/calendario/", "/comunicacion/canales/", "/comunicacion/sugerencias/"):
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Anyone reads it on the public news page.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        anonymous = context.new_page()
        anonymous.goto(base + "/publico/noticias/")
        expect(anonymous.locator("main")).to_contain_text(NEWS)
        shot(anonymous, "communications-news-page")
    finally:
        context.close()
