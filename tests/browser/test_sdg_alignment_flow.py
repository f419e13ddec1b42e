"""The consensual SDG alignment end to end in headless Chromium: the regional team opens a
case for a shared initiative; two specialists propose blind (the second cannot see the
first's proposal) and disagree; the lead adjudicates with a reason and publishes; the
published goals reach the initiative and the community search. Labels and roles are the
locators, and the controls are used from the keyboard where a person would."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.test_accessibility import _violations
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path("/tmp/shots")  # noqa: S108  (where the issue's reviewers look for the screenshots)
TITLE = "Acueducto veredal de El Retiro (ODS navegador)"
TEXT = "Construcción del acueducto y de la red de alcantarillado: agua potable y saneamiento para 300 familias."
REASON = "El acueducto da agua potable (6.1); el barrio forma parte del plan urbano (ODS 11, indirecta)."


@dataclass
class Setup:
    item_id: int
    uno: Any
    dos: Any
    lead: Any


@pytest.fixture
def sdg_setup(world: World, django_db_blocker: object) -> Iterator[Setup]:
    """Committed (the server is another process): the SDG catalogue, three specialists and a
    shared initiative of Alfa; removed afterwards with everything the journey made."""
    from community.models import IndexItem
    from ods_alignment.catalogue import load_catalogue
    from ods_alignment.models import AlignmentCase, Goal
    from search.counts import refresh_municipalities
    from tenants import services
    from tenants.accounts.models import User
    from tenants.db import use_public_schema
    from tenants.roles import PlatformRole
    from tests.community.factories import make_item
    from tests.conftest import PASSWORD

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        use_public_schema()
        if not Goal.objects.exists():
            load_catalogue()  # kept, like the sdg_catalogue fixture keeps it: read-only reference data
        people = []
        for email, name in (
            ("uno@ods-nav.test", "Úrsula Uno"),
            ("dos@ods-nav.test", "Diego Dos"),
            ("lider@ods-nav.test", "Lorena Líder"),
        ):
            user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
            services.platform_role_grant(actor=None, user=user, role=PlatformRole.SDG_SPECIALIST)
            people.append(user)
        item = make_item(world.alfa, title=TITLE, text=TEXT, source_url="/publico/iniciativas/1/")
    yield Setup(item.pk, *people)
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        use_public_schema()
        AlignmentCase.objects.filter(item_key=item.key).delete()
        IndexItem.objects.filter(pk=item.pk).delete()
        refresh_municipalities([world.alfa.pk])
        User.objects.filter(pk__in=[p.pk for p in people]).delete()
    monkeypatch.undo()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"sdg-{name}.png"), full_page=True)


def _as(browser: Any, base: str, email: str, then: str) -> Any:
    """A separate browser session (its own cookies) logged in as `email`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, email, then=then)
    return page


def test_two_specialists_disagree_and_the_lead_adjudicates_and_publishes(  # type: ignore[no-untyped-def]
    server: str, browser, page, world: World, sdg_setup: Setup
) -> None:
    from django.utils import timezone

    base = server.format(host="localhost")
    problems: dict[str, object] = {}

    # The regional team opens the case from the list of initiatives without one.
    login(page, base, world.regional.email, then="/ods/casos/")
    expect(page.get_by_role("heading", name="Casos de alineación ODS", level=1)).to_be_visible()
    if found := _violations(page):
        problems["queue (team)"] = found
    _shot(page, "queue-team-1280")
    page.get_by_role("link", name=f"Abrir un caso para «{TITLE}»").click()
    expect(page.get_by_role("heading", name="Abrir un caso de alineación", level=1)).to_be_visible()
    expect(page.get_by_role("combobox", name="Iniciativa")).to_have_value(str(sdg_setup.item_id))
    page.get_by_label("Úrsula Uno (uno@ods-nav.test)").check()
    page.get_by_label("Diego Dos (dos@ods-nav.test)").check()
    page.get_by_label("Persona líder").select_option(label="Lorena Líder (lider@ods-nav.test)")
    deadline = timezone.localdate() + timedelta(days=10)
    page.get_by_label("Fecha límite").fill(deadline.isoformat())
    page.get_by_role("button", name="Abrir el caso").click()
    expect(page.get_by_text(f"Se abrió el caso de «{TITLE}»")).to_be_visible()
    case_url = page.url
    assert re.search(r"/ods/casos/\d+/$", case_url), case_url

    # Specialist 1: the case waits in her queue; she uses a suggestion and proposes ODS 6.
    uno = _as(browser, base, sdg_setup.uno.email, "/ods/casos/")
    expect(uno.get_by_role("heading", name="Propuestas independientes por hacer")).to_be_visible()
    expect(uno.get_by_text("vence en 10 días")).to_be_visible()
    uno.get_by_role("link", name=TITLE).click()
    suggestions = uno.locator("#sugerencias")
    expect(suggestions.get_by_role("heading", name="Sugerencias automáticas")).to_be_visible()
    expect(suggestions.locator("mark", has_text=re.compile("acueducto|agua potable")).first).to_be_visible()
    goal6 = uno.get_by_label(re.compile(r"^ODS 6 · Agua"))
    expect(goal6).not_to_be_checked()  # a suggestion is never ticked by itself
    # "Use this suggestion", from the keyboard: it ticks the box in the form, it does not submit.
    uno.get_by_role("link", name="Usar esta sugerencia: marcar la meta 6.1").focus()
    uno.keyboard.press("Enter")
    expect(goal6).to_be_checked()
    expect(uno.get_by_label(re.compile(r"^6\.1 "))).to_be_checked()
    assert uno.url.split("#")[0] == case_url  # nothing was sent
    uno.get_by_label("Justificación (obligatoria)").fill("Secreto de Úrsula: el acueducto es agua potable, meta 6.1.")
    if found := _violations(uno):
        problems["case (proposal form)"] = found
    _shot(uno, "case-proposal-1280")
    uno.get_by_role("button", name="Enviar mi propuesta").click()
    expect(uno.get_by_text("Su propuesta quedó guardada.")).to_be_visible()
    expect(uno.get_by_role("heading", name="Su propuesta independiente")).to_be_visible()

    # Specialist 2: blind to the first proposal; proposes ODS 6 and ODS 11 (indirect).
    dos = _as(browser, base, sdg_setup.dos.email, "/ods/casos/")
    dos.get_by_role("link", name=TITLE).click()
    expect(
        dos.get_by_text("Las propuestas de las demás personas se muestran cuando todas hayan enviado la suya").first
    ).to_be_visible()
    expect(dos.get_by_text("Secreto de Úrsula")).to_have_count(0)
    expect(dos.get_by_role("heading", name=re.compile("Propuesta de Úrsula"))).to_have_count(0)
    dos.get_by_label(re.compile(r"^ODS 6 · Agua")).focus()
    dos.keyboard.press("Space")
    dos.get_by_label(re.compile(r"^ODS 11 · Ciudades")).check()
    dos.get_by_label("Indirecta (ODS 11)").check()
    dos.get_by_label("Justificación (obligatoria)").fill("Diego: agua (ODS 6) y mejora del barrio (ODS 11).")
    dos.get_by_role("button", name="Enviar mi propuesta").click()
    expect(dos.get_by_text("Su propuesta quedó guardada y llegaron todas")).to_be_visible()
    expect(dos.get_by_text("En disputa: espera adjudicación").first).to_be_visible()
    expect(dos.get_by_role("heading", name="Propuesta de Úrsula Uno")).to_be_visible()  # now both are visible

    # The lead: the dispute waits for her; she adjudicates with a reason and publishes.
    lead = _as(browser, base, sdg_setup.lead.email, "/ods/casos/")
    expect(lead.get_by_role("heading", name="Casos en disputa que esperan mi adjudicación")).to_be_visible()
    lead.get_by_role("link", name=TITLE).click()
    expect(lead.get_by_role("heading", name="Adjudicación", level=2)).to_be_visible()
    expect(lead.get_by_text("Sin acuerdo automático.")).to_be_visible()
    adjudication = lead.locator("#adjudicacion")
    expect(adjudication.get_by_label(re.compile(r"^ODS 6 · Agua"))).to_be_checked()  # both chose it
    expect(adjudication.get_by_label(re.compile(r"^ODS 11 · Ciudades"))).not_to_be_checked()
    adjudication.get_by_label(re.compile(r"^ODS 11 · Ciudades")).check()
    adjudication.get_by_label("Indirecta (ODS 11)").check()
    adjudication.get_by_label("Motivo de la decisión (obligatorio)").fill(REASON)
    if found := _violations(lead):
        problems["case (adjudication)"] = found
    _shot(lead, "case-adjudication-1280")
    adjudication.get_by_role("button", name="Guardar la adjudicación").click()
    expect(lead.get_by_text("Se guardó la adjudicación.")).to_be_visible()
    expect(lead.get_by_text("Adjudicado", exact=True)).to_be_visible()
    lead.get_by_role("button", name="Publicar alineación").click()
    expect(
        lead.get_by_text("Se publicó la alineación: la iniciativa muestra ODS 6, ODS 11 en la comunidad.")
    ).to_be_visible()
    expect(lead.get_by_text("Publicado", exact=True)).to_be_visible()
    expect(lead.get_by_role("heading", name="Alineación publicada")).to_be_visible()
    expect(lead.get_by_text(f"Motivo: {REASON}")).to_be_visible()  # the history keeps the reason
    _shot(lead, "case-published-1280")

    # The published goals reach the community: the search's SDG filter finds the initiative.
    lead.get_by_role("link", name=re.compile(r"^ODS 11 · Ciudades")).click()
    expect(lead.get_by_role("link", name=TITLE)).to_be_visible()
    assert "sdg_goal=11" in lead.url

    # The pair's agreement over time, and the local targets page (the team's form).
    page.goto(base + "/ods/acuerdo/")
    pair = page.get_by_role("row", name=re.compile("Úrsula Uno · Diego Dos|Diego Dos · Úrsula Uno"))
    expect(pair.get_by_role("cell").first).to_have_text("1")  # one case together
    if found := _violations(page):
        problems["agreement"] = found
    page.goto(base + "/ods/metas-locales/")
    expect(page.get_by_role("heading", name="Añadir una meta local")).to_be_visible()
    if found := _violations(page):
        problems["local targets"] = found
    _shot(page, "local-targets-1280")

    # The same case page on a phone: nothing wider than the screen.
    lead.set_viewport_size({"width": 375, "height": 800})
    lead.goto(case_url)
    width = lead.evaluate("document.documentElement.scrollWidth")
    wide = lead.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376)"
        ".slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + e.getBoundingClientRect().right)"
    )
    assert width <= 375, (width, wide)
    _shot(lead, "case-published-375")
    for other in (uno, dos, lead):
        other.context.close()
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
