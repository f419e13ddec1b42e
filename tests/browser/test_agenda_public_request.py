"""A citizen asks the mayor for an audience from the municipality's public page (no login)
and gets a reference; the agenda keeper finds the request in the workspace and takes it up."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot
from tests.browser.test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_citizen_requests_an_audience_and_the_agenda_keeper_finds_it(server: str, page, gamma) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="gamma.localhost")

    # The citizen, from the public page.
    page.goto(base + "/publico/")
    page.get_by_role("link", name="Solicitar una audiencia o invitar al titular").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Solicitar una audiencia o invitar al titular")
    assert _violations(page) == []
    page.get_by_role("radio", name="Pedir una audiencia con el titular").check()
    page.get_by_label("Su nombre").fill("Rosa Quispe")
    page.get_by_label("Organización o institución (opcional)").fill("Comité de vaso de leche")
    page.get_by_label("Asunto").fill("Audiencia sobre el agua del barrio alto")
    page.get_by_label("Detalle de su solicitud").fill("Somos veinte familias sin agua desde marzo.")
    page.wait_for_timeout(3500)  # a person takes a few seconds; a faster form is refused
    page.get_by_role("button", name="Enviar la solicitud").click()
    # No email and no phone: told where, and what was written is kept.
    expect(page.locator("#id_contact_email_error")).to_contain_text("correo electrónico o un teléfono")
    expect(page.get_by_label("Su nombre")).to_have_value("Rosa Quispe")
    assert _violations(page) == []  # the form with its error, as a screen reader meets it
    shot(page, "agenda-public-request-form")
    page.get_by_label("Teléfono").fill("+51 987 654 321")
    page.wait_for_timeout(3500)
    page.get_by_role("button", name="Enviar la solicitud").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Solicitud recibida")
    reference = page.locator("#request-reference").inner_text().strip()
    assert re.fullmatch(r"SOL-\d{4}-\d{5}", reference), reference
    assert _violations(page) == []
    shot(page, "agenda-public-request-sent")
    page.reload()  # reloading shows the reference again and sends nothing
    expect(page.locator("#request-reference")).to_have_text(reference)

    # The agenda keeper (Gamma's system counterpart) registers a letter that arrived ten
    # days ago: past the five days allowed, it is highlighted as unanswered.
    login(page, base, "admin@gamma.test", then="/agenda/solicitudes/")
    page.get_by_role("link", name="Registrar una solicitud").click()
    assert _violations(page) == []
    page.get_by_role("radio", name="Solicitud de atención directa").check()
    page.get_by_label("Canal por el que llegó").select_option(label="Carta")
    received = datetime.now() - timedelta(days=10)
    page.get_by_label("Recibida el").fill(received.strftime("%Y-%m-%dT09:00"))
    page.get_by_label("Nombre de quien solicita").fill("Junta de regantes")
    page.get_by_label("Asunto").fill("Reparación del canal de riego")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se registró la solicitud")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Sin respuesta después de 5 días")
    page.get_by_role("link", name="← Solicitudes").click()
    expect(page.locator("tr", has_text="Reparación del canal de riego")).to_contain_text("Sin respuesta")

    # It finds the citizen's request, recent and not highlighted, and takes it up.
    row = page.locator("tr", has_text=reference)
    expect(row).not_to_contain_text("Sin respuesta")
    expect(row).to_contain_text("Rosa Quispe")
    expect(row).to_contain_text("Audiencia sobre el agua del barrio alto")
    expect(row).to_contain_text("Recibida")
    assert _violations(page) == []
    shot(page, "agenda-requests-list")
    page.get_by_role("link", name=reference).click()
    main = page.locator("main")
    expect(main).to_contain_text("Formulario web")
    expect(main).to_contain_text("+51 987 654 321")
    assert _violations(page) == []
    page.get_by_role("button", name="Pasar a análisis").click()
    expect(page.get_by_text(f"La solicitud {reference} está en análisis.")).to_be_visible()
    page.locator("#id_declined-reply").fill("El titular la recibirá el comité de agua; le escribiremos.")
    page.get_by_role("button", name="Declinar", exact=True).click()
    expect(page.get_by_text(f"Se declinó la solicitud {reference}.")).to_be_visible()
    expect(main).to_contain_text("El titular la recibirá el comité de agua")
    assert _violations(page) == []
    shot(page, "agenda-request-declined")
