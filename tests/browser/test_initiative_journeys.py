"""The goals method end to end in headless Chromium: a manager programs an initiative,
reports the week and raises a restriction; follow-up escalates it to the mayor, who finds it
on the level-3 page and decides."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot
from tests.browser.test_accessibility import _violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def team(gamma, django_db_blocker) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    """Gamma's initiative manager, institutional follow-up and mayor (committed, removed after)."""
    from tenants.accounts.models import User
    from tenants.db import use_public_schema
    from tenants.models import Membership
    from tenants.roles import MunicipalRole

    people = {
        "manager": ("gerencia@gamma.test", "Gonzalo Gerente", MunicipalRole.INITIATIVE_MANAGER),
        "followup": ("seguimiento@gamma.test", "Silvia Seguimiento", MunicipalRole.INSTITUTIONAL_FOLLOW_UP),
        "mayor": ("titular@gamma.test", "Teresa Titular", MunicipalRole.MAYOR),
    }
    with django_db_blocker.unblock():
        use_public_schema()
        for email, name, role in people.values():
            user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
            Membership.objects.create(user=user, municipality=gamma.municipality, role=role)
    yield {key: email for key, (email, _n, _r) in people.items()}
    with django_db_blocker.unblock():
        use_public_schema()
        User.objects.filter(email__in=[email for email, _n, _r in people.values()]).delete()


def _logout(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Cerrar sesión").click()


def test_program_report_escalate_to_the_mayor(server: str, page, team: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="gamma.localhost")
    today = date.today()
    login(page, base, team["manager"])

    # Program an initiative.
    page.get_by_role("link", name="Iniciativas", exact=True).click()
    page.get_by_role("link", name="Nueva iniciativa").click()
    page.locator("#id_name").fill("Agua potable para la aldea El Rosario")
    page.get_by_label("Objetivo").fill("Que 120 familias tengan agua potable en casa")
    page.get_by_label("Producto público esperado").select_option("public_work")
    page.get_by_label("Gerente de la iniciativa").select_option(label="Gonzalo Gerente")
    page.get_by_label("Seguimiento institucional").select_option(label="Silvia Seguimiento")
    page.get_by_label("Fecha de inicio").fill((today - timedelta(days=14)).isoformat())
    page.get_by_label("Fecha meta").fill((today - timedelta(days=20)).isoformat())  # before the start: refused
    page.get_by_role("button", name="Guardar").click()
    assert "anterior a la fecha de inicio" in page.locator("#id_target_date_error").inner_text()
    page.get_by_label("Fecha meta").fill((today + timedelta(days=120)).isoformat())
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se guardó la iniciativa")).to_be_visible()
    page.goto(base + "/iniciativas/")  # the portfolio, with its first initiative
    expect(page.locator("main")).to_contain_text("Sin semáforo")  # a draft has no light yet
    assert _violations(page) == []
    page.get_by_role("link", name="Agua potable para la aldea El Rosario").click()
    for name, days in (("Diseño técnico aprobado", 20), ("Obra terminada", 100)):
        page.get_by_role("link", name="Agregar meta intermedia").click()
        page.locator("#id_name").fill(name)
        page.get_by_label("Fecha de cumplimiento").fill((today + timedelta(days=days)).isoformat())
        page.get_by_label("Responsable").select_option(label="Gonzalo Gerente")
        if name == "Obra terminada":
            page.get_by_label("Diseño técnico aprobado").check()  # depends on the design
        page.get_by_role("button", name="Guardar").click()
        expect(page.get_by_text(f"Se guardó la meta intermedia «{name}»")).to_be_visible()
    page.get_by_role("button", name="Cerrar la programación (fijar línea base)").click()
    expect(page.get_by_text("Programación cerrada")).to_be_visible()
    assert _violations(page) == []
    shot(page, "initiative-programmed")

    # Report the week.
    page.get_by_role("link", name="Reportar la semana").click()
    page.get_by_label("Avance de «Diseño técnico aprobado» (%)").fill("150")
    page.get_by_role("button", name="Guardar el reporte").click()
    expect(page.locator("main")).to_contain_text("menor o igual a 100")
    assert _violations(page) == []  # the form with its error, as a screen reader meets it
    page.get_by_label("Avance de «Diseño técnico aprobado» (%)").fill("40")
    page.get_by_label("Relato del avance").fill("Topografía lista; el diseño está en revisión.")
    page.get_by_role("button", name="Guardar el reporte").click()
    expect(page.get_by_text("Reporte de la semana").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Topografía lista")

    # Raise a restriction and escalate it to the goals committee.
    page.get_by_role("link", name="Registrar ARO").click()
    page.get_by_role("radio", name="Restricción").check()
    page.get_by_label("Tipo de problema").select_option(label="Financiera")
    page.get_by_label("Meta intermedia afectada").select_option(label="Diseño técnico aprobado")
    page.get_by_label("Descripción").fill("El fondo de inversión social no ha desembolsado el anticipo")
    page.get_by_label("Decisión requerida").fill("Gestionar el desembolso con el ministerio")
    assert _violations(page) == []
    page.get_by_role("button", name="Registrar").click()
    expect(page.get_by_text("Se registró: Restricción")).to_be_visible()
    assert _violations(page) == []
    page.get_by_label("Por qué se escala (lo verá el nivel superior)").fill(
        "Excede a la gerencia: requiere gestión política"
    )
    page.get_by_role("button", name="Escalar").click()
    expect(page.get_by_text("Escalada al nivel 2.")).to_be_visible()
    _logout(page)

    # Follow-up sees it on the level-2 page and escalates it to the mayor's office.
    login(page, base, team["followup"])
    page.goto(base + "/iniciativas/nivel/2/")
    page.get_by_role("link", name="Restricción: El fondo de inversión social").click()
    page.get_by_label("Por qué se escala (lo verá el nivel superior)").fill("Solo el despacho puede llamar al ministro")
    page.get_by_role("button", name="Escalar").click()
    expect(page.get_by_text("Escalada al nivel 3.")).to_be_visible()
    _logout(page)

    # The mayor finds it on the level-3 page, with the initiative's state, and decides.
    login(page, base, team["mayor"])
    page.goto(base + "/iniciativas/nivel/3/")
    main = page.locator("main").inner_text()
    assert "El fondo de inversión social no ha desembolsado el anticipo" in main
    assert "Agua potable para la aldea El Rosario" in main
    assert "Atrasada" in main  # an open restriction makes its milestone, and the initiative, late
    assert "Solo el despacho puede llamar al ministro" in main
    assert _violations(page) == []
    shot(page, "initiative-level-3")
    page.get_by_role("link", name="Restricción: El fondo de inversión social").click()
    page.locator("#id_decidir-text").fill("El titular llama al ministro el lunes")
    page.get_by_role("button", name="Registrar decisión").click()
    expect(page.get_by_text("Decisión registrada en el nivel 3.")).to_be_visible()
    page.goto(base + "/iniciativas/nivel/3/")
    expect(page.locator("main")).to_contain_text("Nada espera decisión en este nivel.")
