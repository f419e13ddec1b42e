"""The public accountability page in headless Chromium: an anonymous citizen leaves an
opinion, a moderator publishes it with a reply, and the public page shows both."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot
from tests.browser.test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OPINION = "Pido que la obra incluya la calle de la escuela."
REPLY = "Gracias: la calle de la escuela está en la segunda etapa."


def _public_initiative(gamma, django_db_blocker) -> int:  # type: ignore[no-untyped-def]
    """A public, programmed initiative in Gamma, committed (the server is another process).
    It goes away with Gamma's schema when the `gamma` fixture deletes the municipality."""
    from tenants.db import use_municipality, use_public_schema
    from tenants.initiatives import services
    from tenants.initiatives.models import ProductKind

    manager = gamma.admin.pk
    start = date.today() - timedelta(days=20)
    with django_db_blocker.unblock():
        use_municipality(gamma.municipality)
        try:
            initiative = services.initiative_save(
                actor=None,
                data={
                    "name": "Pavimentación del barrio Las Flores", "product_kind": ProductKind.PUBLIC_WORK,
                    "objective": "Pavimentar 12 cuadras del barrio Las Flores.", "manager_id": manager,
                    "start_date": start, "target_date": start + timedelta(days=180), "is_public": True,
                },
            )  # fmt: skip
            for n, days in enumerate((60, 120, 180), start=1):
                services.milestone_save(
                    actor=None,
                    initiative=initiative,
                    data={"name": f"Etapa {n}", "due_date": start + timedelta(days=days), "responsible_id": manager},
                )
            services.programming_close(actor=None, initiative=initiative)
        finally:
            use_public_schema()
    return initiative.pk


def test_citizen_opinion_is_moderated_then_published_with_a_reply(  # type: ignore[no-untyped-def]
    server: str, page, browser, gamma, django_db_blocker
) -> None:
    pk = _public_initiative(gamma, django_db_blocker)
    base = server.format(host="gamma.localhost")
    problems: dict[str, list[dict]] = {}

    # An anonymous citizen finds the initiative on the public page.
    page.goto(base + "/publico/")
    assert page.locator("h1").inner_text() == "Iniciativas públicas"
    assert "Municipio Gamma" in page.locator("header").inner_text()
    assert page.get_by_role("navigation", name="Navegación principal").count() == 0
    if found := _violations(page):
        problems["/publico/"] = found
    shot(page, "public-initiatives-list")
    page.get_by_role("link", name="Pavimentación del barrio Las Flores").click()
    page.wait_for_url(f"{base}/publico/iniciativas/{pk}/")
    main = page.locator("main")
    assert "Pavimentar 12 cuadras" in main.inner_text() and "Etapa 3" in main.inner_text()
    assert "Gabriela Gamma" not in page.content()  # no personal data
    if found := _violations(page):
        problems["/publico/iniciativas/<pk>/"] = found

    # A too-short opinion: the error is on the field.
    page.get_by_label("Su nombre (opcional)").fill("Rosa Ciudadana")
    page.get_by_role("textbox", name="Su opinión").fill("corto")
    page.wait_for_timeout(3200)  # people take more than three seconds to write
    page.get_by_role("button", name="Enviar opinión").click()
    page.wait_for_load_state()
    assert "al menos 10 caracteres" in page.locator("#id_text_error").inner_text()
    assert page.get_by_label("Su nombre (opcional)").input_value() == "Rosa Ciudadana"
    if found := _violations(page):
        problems["/publico/iniciativas/<pk>/ (errors)"] = found
    shot(page, "public-opinion-error")

    page.get_by_role("textbox", name="Su opinión").fill(OPINION)
    page.wait_for_timeout(3200)
    page.get_by_role("button", name="Enviar opinión").click()
    page.wait_for_url(f"{base}/publico/iniciativas/{pk}/?enviada=1#opinar")
    expect(page.get_by_text("Su opinión se publicará después de que el municipio la revise.")).to_be_visible()
    assert OPINION not in main.inner_text()  # not before moderation
    shot(page, "public-opinion-sent")

    # A moderator (Gamma's system counterpart) publishes it with a public reply.
    login(page, base, "admin@gamma.test", then="/iniciativas/opiniones/")
    assert "1 opinión pendiente de moderación." in main.inner_text()
    assert OPINION in main.inner_text() and "Rosa Ciudadana" in main.inner_text()
    if found := _violations(page):
        problems["/iniciativas/opiniones/"] = found
    shot(page, "opinions-moderation")
    page.get_by_label("Respuesta pública del municipio (opcional)").fill(REPLY)
    page.get_by_role("button", name="Publicar").click()
    page.wait_for_url(base + "/iniciativas/opiniones/")
    expect(page.get_by_text("Se publicó la opinión con la respuesta del municipio.")).to_be_visible()
    assert "0 opiniones pendientes de moderación." in main.inner_text()

    # Anyone now reads the opinion and the municipality's reply.
    anonymous = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        public = anonymous.new_page()
        public.goto(f"{base}/publico/iniciativas/{pk}/")
        opinions = public.locator("#opiniones").inner_text()
        assert OPINION in opinions and "Rosa Ciudadana" in opinions
        assert REPLY in opinions and "Respuesta de Municipio Gamma" in opinions
        if found := _violations(public):
            problems["/publico/iniciativas/<pk>/ (published)"] = found
        shot(public, "public-opinion-published")
    finally:
        anonymous.close()
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
