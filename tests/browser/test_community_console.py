"""The regional console end to end in headless Chromium: from a detected group to a lab
proposal, with axe checks and screenshots at desktop and phone widths."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.test_accessibility import _violations
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path("/tmp/shots")  # noqa: S108  (where the issue's reviewers look for the screenshots)
GROUP_NAME = "Agua potable rural (navegador)"


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"console-{name}.png"), full_page=True)


@pytest.fixture
def detected(world: World, django_db_blocker: object) -> Iterator[int]:
    """A detected group across Alfa and Beta, committed (the server is another process),
    and removed afterwards with everything the journey made from it."""
    from community.models import Group, IndexItem, LabProposal
    from tenants.db import use_public_schema
    from tests.community.console_factories import make_group
    from tests.community.factories import make_item

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        use_public_schema()
        items = [
            make_item(
                world.alfa,
                title="Agua potable para el barrio Norte",
                sdg_targets=["6.1"],
                light=2,
                status="in_execution",
            ),
            make_item(
                world.beta,
                title="Agua potable para escuelas rurales",
                sdg_targets=["6.1"],
                light=3,
                status="programmed",
            ),
            make_item(world.alfa, title="Acueducto veredal de Alfa", sdg_targets=["6.1"]),
            make_item(world.beta, title="Pozos comunitarios de Beta", sdg_targets=["6.1"]),
        ]
        group = make_group(items, name=GROUP_NAME, strength=0.81, change={"new": True})
    yield group.pk
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        use_public_schema()
        LabProposal.objects.filter(group_id=group.pk).delete()
        Group.objects.filter(pk=group.pk).delete()
        IndexItem.objects.filter(pk__in=[i.pk for i in items]).delete()
    monkeypatch.undo()


def test_regional_team_goes_from_a_group_to_a_lab_proposal(server: str, page, world: World, detected: int) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="localhost")
    problems: dict[str, object] = {}
    login(page, base, world.regional.email, then="/regional/")
    expect(page.get_by_role("heading", name="Consola regional", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=GROUP_NAME)).to_be_visible()
    expect(page.get_by_text("Fuerza 81 % (alta)").first).to_be_visible()
    if found := _violations(page):
        problems["list"] = found
    _shot(page, "list-1280")

    page.get_by_role("link", name=GROUP_NAME).click()
    expect(page.get_by_role("heading", name=GROUP_NAME, level=1)).to_be_visible()
    expect(page.get_by_role("rowheader", name="Pozos comunitarios de Beta")).to_be_visible()
    if found := _violations(page):
        problems["detail"] = found

    # Rename, keyboard only: open the section, type, submit with Enter.
    page.get_by_text("Cambiar el nombre").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Nombre del grupo").fill("Agua para las escuelas")
    page.get_by_label("Nombre del grupo").press("Enter")
    expect(page.get_by_text("El grupo ahora se llama «Agua para las escuelas».")).to_be_visible()
    expect(page.get_by_role("heading", name="Agua para las escuelas", level=1)).to_be_visible()

    # Propose a lab: the title starts as the group's name.
    page.get_by_text("Proponer un laboratorio").click()
    title = page.get_by_label("Título del laboratorio")
    expect(title).to_have_value("Agua para las escuelas")
    title.fill("Laboratorio: agua en escuelas rurales")
    page.get_by_label("Descripción").fill("Conversatorio abierto con Alfa y Beta.")
    _shot(page, "detail-1280")
    page.get_by_role("button", name="Guardar la propuesta").click()
    expect(
        page.get_by_text("Se guardó la propuesta de laboratorio «Laboratorio: agua en escuelas rurales»")
    ).to_be_visible()
    assert "/regional/laboratorios/" in page.url
    proposal = page.locator(
        "li.group-card", has=page.get_by_role("heading", name="Laboratorio: agua en escuelas rurales")
    )
    for member in ("Agua potable para el barrio Norte", "Pozos comunitarios de Beta", "Acueducto veredal de Alfa"):
        expect(proposal.get_by_role("rowheader", name=member)).to_be_visible()
    expect(proposal.get_by_text("4 miembros")).to_be_visible()
    if found := _violations(page):
        problems["labs"] = found
    _shot(page, "labs-1280")

    # The same pages on a phone: nothing wider than the screen.
    page.set_viewport_size({"width": 375, "height": 800})
    for name, path in (
        ("list", "/regional/"),
        ("detail", f"/regional/grupos/{detected}/"),
        ("labs", "/regional/laboratorios/"),
    ):
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376)"
            ".slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + e.getBoundingClientRect().right)"
        )
        assert width <= 375, (path, width, wide)
        if found := _violations(page):
            problems[f"{name} (375)"] = found
        _shot(page, f"{name}-375")
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)


def test_console_is_not_for_municipal_staff(server: str, page, world: World) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="localhost")
    login(page, base, world.admin_alfa.email, then="/mis-espacios/")
    response = page.goto(base + "/regional/")
    assert response is not None and response.status == 404


def test_a_municipality_sees_its_groups_in_its_workspace(server: str, page, world: World, detected: int) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="alfa.localhost")
    login(page, base, world.admin_alfa.email, then="/comunidad/")
    expect(page.get_by_role("heading", name=GROUP_NAME, level=2)).to_be_visible()
    expect(page.get_by_role("rowheader", name="Pozos comunitarios de Beta")).to_be_visible()
    expect(page.get_by_text("Comparten este grupo: Municipio Beta")).to_be_visible()
    assert _violations(page) == []
    _shot(page, "workspace-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376)"
        ".slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, wide
    assert _violations(page) == []
    _shot(page, "workspace-375")
