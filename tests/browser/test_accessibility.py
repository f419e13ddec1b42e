"""WCAG 2.1 A/AA checks with axe-core (installed from the npm registry) on the pages of
this issue, logged out and logged in, in Spanish and English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.conftest import login
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    if not AXE.exists():
        pytest.fail("axe-core is missing: run ./dev install (npm ci)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]
    ]


def test_public_pages(server: str, page, world: World) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="localhost")
    problems = {}
    for path in [
        "/",
        "/cuenta/entrar/",
        "/cuenta/contrasena/olvido/",
        "/no-existe/",
        "/buscar/",
        "/buscar/?q=agua",
        "/buscar/?q=" + "a" * 300,  # the error state
    ]:
        page.goto(base + path)
        if found := _violations(page):
            problems[path] = found
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)


def test_workspace_pages(server: str, page, world: World) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="alfa.localhost")
    login(page, base, world.admin_alfa.email)
    problems = {}
    for path in ["/", "/miembros/", "/comunidad/", "/comunidad/temas/"]:
        page.goto(base + path)
        if found := _violations(page):
            problems[path] = found
    # A form with errors, and the English version.
    page.goto(base + "/miembros/")
    page.locator("#id_email").fill("no-es-un-correo")
    page.get_by_role("button", name="Enviar invitación").click()
    page.wait_for_load_state()
    if found := _violations(page):
        problems["/miembros/ (errors)"] = found
    page.get_by_label("Idioma").select_option("en")
    page.get_by_role("button", name="Cambiar").click()
    page.wait_for_load_state()
    if found := _violations(page):
        problems["/miembros/ (en)"] = found
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)


def test_platform_pages(server: str, page, world: World) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="localhost")
    login(page, base, world.platform_admin.email)
    problems = {}
    for path in [
        "/plataforma/municipios/",
        "/plataforma/municipios/alfa/eliminar/",
        "/mis-espacios/",
        "/regional/",
        "/regional/laboratorios/",
        "/regional/vocabulario/",
    ]:
        page.goto(base + path)
        if found := _violations(page):
            problems[path] = found
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)


def test_structure_pages(server: str, page, world: World) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="alfa.localhost")
    login(page, base, world.admin_alfa.email)
    problems = {}
    for path in [
        "/estructura/",
        "/estructura/themes/",
        "/estructura/actors/?estado=all",
        "/estructura/niveles/",
        "/estructura/places/nuevo/",
        "/estructura/themes/nuevo/",
        "/estructura/network/nuevo/",
        "/estructura/areas/importar/",
    ]:
        page.goto(base + path)
        if found := _violations(page):
            problems[path] = found
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)


def test_public_initiative_pages(server: str, page, world: World) -> None:  # type: ignore[no-untyped-def]
    """A municipality's public pages, anonymous, in Spanish and English. The pages with an
    initiative, its opinions and the moderation page are checked in test_public_initiatives."""
    base = server.format(host="alfa.localhost")
    problems = {}
    for language in ("es", "en"):
        page.context.add_cookies([{"name": "sigobito_language", "value": language, "url": base}])
        page.goto(base + "/publico/")
        if found := _violations(page):
            problems[f"/publico/ ({language})"] = found
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
