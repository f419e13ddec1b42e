"""The mayor's calendar in headless Chromium: the agenda manager registers an activity that
overlaps a confirmed one and is warned; the week, month and today views, the list, an
activity and the form (with an error) pass axe's WCAG 2.1 A/AA checks; a member without the
private-viewer role does not see the private activity."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot
from tests.browser.test_accessibility import _violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def agenda(gamma, django_db_blocker) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    """Gamma's agenda manager and communications editor, and this week's activities
    (committed; removed with Gamma and the accounts afterwards)."""
    from zoneinfo import ZoneInfo

    from tenants.accounts.models import User
    from tenants.agenda import services
    from tenants.db import use_municipality, use_public_schema
    from tenants.initiatives.cycle import local_today
    from tenants.models import Membership
    from tenants.roles import MunicipalRole
    from tenants.structure.models import NetworkMember

    people = {
        "manager": ("agenda@gamma.test", "Adela Agenda", MunicipalRole.AGENDA_MANAGER),
        "editor": ("prensa@gamma.test", "Pedro Prensa", MunicipalRole.COMMUNICATIONS_EDITOR),
    }
    with django_db_blocker.unblock():
        use_public_schema()
        for email, name, role in people.values():
            user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
            Membership.objects.create(user=user, municipality=gamma.municipality, role=role)
        use_municipality(gamma.municipality)
        tz = ZoneInfo(gamma.municipality.time_zone)
        today = local_today()

        def at(days: int, hour: int, minute: int = 0) -> datetime:
            return datetime.combine(today + timedelta(days=days), time(hour, minute), tzinfo=tz)

        NetworkMember.objects.create(full_name="Carla Secretaria", email="carla@gamma.test")
        for title, start, end, public, status in [
            ("Gabinete municipal", at(0, 10), at(0, 11), True, "confirmed"),
            ("Reunión reservada con el gobernador", at(0, 15), at(0, 16), False, "confirmed"),
            ("Inauguración del puente", at(1, 9), at(1, 11), True, "tentative"),
            ("Vigilia comunitaria", at(2, 23, 30), at(3, 0, 30), True, "confirmed"),
        ]:
            services.activity_save(
                actor=None,
                data={"title": title, "kind": "meeting", "starts_at": start, "ends_at": end, "is_public": public,
                      "status": status},
            )  # fmt: skip
        use_public_schema()
    yield {**{key: email for key, (email, _n, _r) in people.items()}, "today": today.isoformat()}
    with django_db_blocker.unblock():
        use_public_schema()
        User.objects.filter(email__in=[email for email, _n, _r in people.values()]).delete()


def test_calendar_views_overlap_warning_and_private_activities(server: str, page, agenda: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="gamma.localhost")
    login(page, base, agenda["manager"], then="/agenda/")
    problems: dict[str, object] = {}

    # The week (the default view), the month and the mayor's view.
    main = page.locator("main")
    expect(main).to_contain_text("Gabinete municipal")
    expect(main).to_contain_text("Reunión reservada con el gobernador")
    expect(main).to_contain_text("Privada")
    shot(page, "agenda-week")
    problems["/agenda/"] = _violations(page)
    page.get_by_role("link", name="Mes", exact=True).click()
    expect(page.locator("table.agenda-month")).to_be_visible()
    shot(page, "agenda-month")
    problems["/agenda/?vista=mes"] = _violations(page)
    page.get_by_role("link", name="Día", exact=True).click()
    expect(main).to_contain_text("Gabinete municipal")
    problems["/agenda/?vista=dia"] = _violations(page)
    page.get_by_role("link", name="Hoy y próximos días").click()
    expect(main).to_contain_text("Inauguración del puente")
    shot(page, "agenda-today")
    problems["/agenda/hoy/"] = _violations(page)
    page.get_by_role("link", name="Lista de actividades").click()
    expect(main).to_contain_text("Vigilia comunitaria")
    problems["/agenda/actividades/"] = _violations(page)

    # A new activity over the confirmed cabinet meeting: refused while the end is before
    # the start, then saved with a warning.
    page.get_by_role("link", name="Nueva actividad").click()
    page.get_by_label("Título").fill("Entrevista en la radio")
    page.get_by_label("Tipo").select_option("media")
    day = agenda["today"]
    page.locator("#id_starts_at").fill(f"{day}T10:30")
    page.locator("#id_ends_at").fill(f"{day}T10:00")
    page.get_by_label("Estado").select_option("confirmed")
    page.get_by_label("Carla Secretaria").check()
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("#id_ends_at_error")).to_contain_text("posterior al inicio")
    shot(page, "agenda-form-errors")
    problems["form (errors)"] = _violations(page)
    page.locator("#id_ends_at").fill(f"{day}T11:30")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se guardó la actividad «Entrevista en la radio».")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("Se cruza con otras actividades confirmadas del titular")
    expect(page.locator(".messages")).to_contain_text("«Gabinete municipal»")
    expect(main).to_contain_text("Carla Secretaria")
    shot(page, "agenda-activity")
    problems["activity"] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}, problems
    page.get_by_role("button", name="Cerrar sesión").click()

    # A communications editor sees the public activities, not the private one.
    login(page, base, agenda["editor"], then="/agenda/")
    expect(main).to_contain_text("Gabinete municipal")
    assert "Reunión reservada" not in main.inner_text()
    expect(page.get_by_role("link", name="Nueva actividad")).to_have_count(0)
