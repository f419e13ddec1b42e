"""End-to-end journeys in headless Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_member_logs_in_on_the_municipality_domain_and_sees_the_workspace(server: str, page, world: World) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="alfa.localhost")
    page.goto(base + "/")
    assert "/cuenta/entrar/" in page.url  # sent to log in
    assert page.locator("h1").inner_text() == "Iniciar sesión"
    page.get_by_label("Correo electrónico").fill(world.admin_alfa.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(base + "/")
    assert page.locator("h1").inner_text() == "Espacio de trabajo de Municipio Alfa"
    expect(page.get_by_role("link", name="Miembros").first).to_be_visible()
    shot(page, "workspace-home-es")
    # Switch to English, keyboard only.
    page.get_by_label("Idioma").select_option("en")
    page.get_by_role("button", name="Cambiar").press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Workspace of Municipio Alfa"
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "workspace-home-en")


def test_member_of_one_municipality_cannot_enter_another(server: str, page, world: World) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="beta.localhost")
    page.goto(base + "/cuenta/entrar/")
    page.get_by_label("Email").fill(world.admin_alfa.email)  # Beta's default language is English
    page.get_by_label("Password").fill(PASSWORD)
    response_holder = []
    page.on("response", lambda r: response_holder.append(r.status) if r.url.rstrip("/") == base else None)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert 404 in response_holder
    assert "Municipio Beta" not in page.content()


def test_platform_admin_creates_a_municipality(server: str, page, world: World) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="localhost")
    page.goto(base + "/cuenta/entrar/?next=/plataforma/municipios/")
    page.get_by_label("Correo electrónico").fill(world.platform_admin.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(base + "/plataforma/municipios/")
    page.get_by_label("Nombre del municipio").fill("Navegador de Prueba")
    page.get_by_label("Identificador").fill("www")  # reserved: a clear error, nothing created
    page.get_by_label("País").select_option("CR")
    page.get_by_label("Zona horaria").fill("America/Costa_Rica")
    page.get_by_label("Correo de la primera persona administradora").fill("jefe@navegador.test")
    page.get_by_role("button", name="Crear municipio").click()
    assert "es un nombre reservado" in page.locator("#id_slug_error").inner_text()
    shot(page, "platform-create-error")
    page.get_by_label("Identificador").fill("navegador")
    page.get_by_role("button", name="Crear municipio").click()
    expect(page.get_by_text("Se creó Navegador de Prueba")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Navegador de Prueba")).to_be_visible()
    shot(page, "platform-municipalities")
    # Clean up through the product: delete with confirmation.
    page.goto(base + "/plataforma/municipios/navegador/eliminar/")
    page.get_by_label("Escriba el identificador del municipio para confirmar").fill("navegador")
    page.get_by_role("button", name="Eliminar definitivamente").click()
    expect(page.get_by_text("Se eliminó Navegador de Prueba")).to_be_visible()


def test_public_landing_lists_municipalities_on_a_phone(server: str, browser, world: World) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(server.format(host="localhost") + "/")
    expect(page.get_by_role("link", name="Municipio Alfa", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Municipio Beta", exact=True)).to_be_visible()
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "landing-mobile")
    context.close()
