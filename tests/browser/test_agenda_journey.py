"""The mayor's agenda end to end in headless Chromium: the agenda manager registers a request
received by letter, accepts it into an activity, records the commitment the mayor made in
that activity, and finds it overdue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot
from tests.browser.test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def crew(gamma, django_db_blocker) -> Iterator[dict[str, object]]:  # type: ignore[no-untyped-def]
    """Gamma's agenda manager (an account) and a network member to assign commitments to."""
    from tenants.accounts.models import User
    from tenants.db import use_municipality, use_public_schema
    from tenants.models import Membership
    from tenants.roles import MunicipalRole
    from tenants.structure.models import NetworkMember
    from tests.conftest import PASSWORD

    with django_db_blocker.unblock():
        use_public_schema()
        user = User.objects.create_user(email="agenda@gamma.test", password=PASSWORD, full_name="Alba Agenda")
        Membership.objects.create(user=user, municipality=gamma.municipality, role=MunicipalRole.AGENDA_MANAGER)
        use_municipality(gamma.municipality)
        NetworkMember.objects.create(full_name="Óscar Obras Públicas", email="obras@gamma.test")
        use_public_schema()
    yield {"email": "agenda@gamma.test"}
    with django_db_blocker.unblock():
        use_public_schema()
        User.objects.filter(email="agenda@gamma.test").delete()


def test_request_to_activity_to_overdue_commitment(server: str, page, crew, gamma) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="gamma.localhost")
    login(page, base, str(crew["email"]), then="/agenda/solicitudes/")

    # A letter arrived: the junta vecinal asks for an audience, proposing yesterday at 10:00
    # (it was registered late; the audience took place).
    page.get_by_role("link", name="Registrar una solicitud").click()
    page.get_by_role("radio", name="Solicitud de audiencia").check()
    page.get_by_label("Canal por el que llegó").select_option("letter")
    page.get_by_label("Nombre de quien solicita").fill("Junta vecinal de Miraflores")
    page.get_by_label("Asunto").fill("Audiencia sobre el alumbrado del barrio")
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("main")).to_contain_text("SOL-")
    assert _violations(page) == []

    # Accept it into an activity, yesterday 10:00-11:00 (Lima).
    with_dates = page.locator("form", has=page.get_by_role("button", name="Aceptar", exact=True))
    yesterday = gamma_today(gamma) - timedelta(days=1)
    with_dates.get_by_label("Inicio de la actividad").fill(f"{yesterday.isoformat()}T10:00")
    with_dates.get_by_label("Fin de la actividad").fill(f"{yesterday.isoformat()}T09:00")  # before the start
    with_dates.get_by_role("button", name="Aceptar", exact=True).click()
    expect(page.locator("main")).to_contain_text("El fin debe ser posterior al inicio")
    with_dates = page.locator("form", has=page.get_by_role("button", name="Aceptar", exact=True))
    with_dates.get_by_label("Inicio de la actividad").fill(f"{yesterday.isoformat()}T10:00")
    with_dates.get_by_label("Fin de la actividad").fill(f"{yesterday.isoformat()}T11:00")
    with_dates.get_by_role("button", name="Aceptar", exact=True).click()
    expect(page.locator("main")).to_contain_text("se agendó la actividad")
    shot(page, "agenda-request-accepted")

    # Open the activity and record the commitment the mayor made there, due yesterday.
    page.get_by_role("link", name="Audiencia sobre el alumbrado del barrio").first.click()
    expect(page.locator("h1")).to_contain_text("Audiencia sobre el alumbrado del barrio")
    page.get_by_role("link", name="Registrar un compromiso o una instrucción de esta actividad").click()
    page.get_by_label("Clase").select_option("commitment")
    page.get_by_label("Descripción").fill("Reparar las luminarias de la calle 3 antes del viernes")
    page.get_by_label("Responsable").select_option(label="Óscar Obras Públicas")
    page.get_by_label("Fecha límite").fill(yesterday.isoformat())
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("main")).to_contain_text("Reparar las luminarias de la calle 3")

    # The task list shows it overdue, in words and with a sign, not only in colour.
    page.goto(base + "/agenda/tareas/")
    row = page.locator("tr", has_text="Reparar las luminarias de la calle 3")
    expect(row).to_contain_text("Vencida")
    expect(row).to_contain_text("Óscar Obras Públicas")
    assert _violations(page) == []
    shot(page, "agenda-commitment-overdue")

    # The mayor's "today" view counts it among the overdue.
    page.goto(base + "/agenda/hoy/")
    expect(page.locator("main")).to_contain_text("1 tarea o compromiso vencido")
    assert _violations(page) == []


def gamma_today(gamma):  # type: ignore[no-untyped-def]
    """Gamma's today (America/Lima), as the server sees it."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(gamma.municipality.time_zone)).date()
