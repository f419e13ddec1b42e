"""Onboarding wizard and bulk import with an error report, in headless Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot
from tests.browser.test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_onboarding_wizard_walks_the_steps_in_order(server: str, page, gamma) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="gamma.localhost")
    login(page, base, "admin@gamma.test")
    page.get_by_role("link", name="Estructura").click()
    expect(page.locator("main")).to_contain_text("Siguiente paso: Actores")
    assert _violations(page) == []
    shot(page, "structure-wizard-empty")
    # Step 1: an actor.
    page.get_by_role("link", name="Abrir Actores").click()
    page.get_by_role("link", name="Agregar actor").click()
    page.get_by_label("Tipo").select_option("institution")
    page.locator("#id_name").fill("Junta Vecinal de Miraflores")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se guardó «Junta Vecinal de Miraflores»")).to_be_visible()
    # Step 2: places need levels first.
    page.goto(base + "/estructura/")
    expect(page.locator("main")).to_contain_text("Siguiente paso: Lugares")
    page.get_by_role("link", name="Niveles de lugar").click()
    page.get_by_label("Nombre del conjunto").fill("División política")
    page.get_by_label("Niveles, uno por línea, del más amplio al más pequeño").fill("Distrito\nSector")
    page.get_by_role("button", name="Crear").click()
    expect(page.locator("main").get_by_text("Sector", exact=True)).to_be_visible()
    page.goto(base + "/estructura/places/nuevo/")
    page.get_by_label("Código").fill("D1")
    page.locator("#id_name").fill("Distrito Centro")
    page.get_by_label("Nivel").select_option(label="División política · Distrito")
    page.get_by_label("Geometría (GeoJSON)").fill('{"type": "Point", "coordinates": [-77.03, -12.05]')  # broken
    page.get_by_role("button", name="Guardar").click()
    assert "GeoJSON no válido" in page.locator("#id_geometry_error").inner_text()
    page.get_by_label("Geometría (GeoJSON)").fill('{"type": "Point", "coordinates": [-77.03, -12.05]}')
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se guardó «Distrito Centro (Distrito)»")).to_be_visible()
    page.goto(base + "/estructura/")
    expect(page.locator("main")).to_contain_text("Siguiente paso: Temas")
    shot(page, "structure-wizard-progress")


def test_import_reports_each_row_error_then_imports_the_fixed_file(server: str, page, gamma, tmp_path) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="gamma.localhost")
    login(page, base, "admin@gamma.test")
    bad = tmp_path / "temas.csv"
    bad.write_text("codigo;nombre;tema_superior\nE1;Empleo;\nE2;;\nE3;Salud;E9\n", encoding="utf-8")
    page.goto(base + "/estructura/themes/importar/")
    page.get_by_label("Archivo (.csv o .xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Revisar").click()
    table = page.locator("#import-errors")
    expect(page.locator("main")).to_contain_text("Se encontraron 2 errores; no se guardó nada.")
    rows = table.locator("tbody tr").all_inner_texts()
    assert rows[0].split("\t")[:2] == ["3", "nombre"] and rows[1].split("\t")[:2] == ["4", "tema_superior"]
    assert _violations(page) == []
    shot(page, "structure-import-errors")
    good = tmp_path / "temas-bien.csv"
    good.write_text("codigo;nombre;tema_superior\nE1;Empleo;\nE2;Educación;\nE2.1;Becas;E2\n", encoding="utf-8")
    page.get_by_label("Archivo (.csv o .xlsx)").set_input_files(str(good))
    page.get_by_role("button", name="Revisar").click()
    expect(page.locator("main")).to_contain_text("Revisión correcta: 3 filas, 3 nuevas")
    page.get_by_role("button", name="Confirmar e importar").click()
    expect(page.get_by_text("Importación lista: 3 nuevos y 0 actualizados.")).to_be_visible()
    expect(page.get_by_role("cell", name="Becas", exact=True)).to_be_visible()
    shot(page, "structure-themes-imported")


def test_picker_type_ahead_finds_without_accents(server: str, page, gamma) -> None:  # type: ignore[no-untyped-def]
    base = server.format(host="gamma.localhost")
    login(page, base, "admin@gamma.test")
    page.goto(base + "/estructura/themes/nuevo/")
    page.get_by_label("Código").fill("S1")
    page.locator("#id_name").fill("Educación rural")
    page.get_by_role("button", name="Guardar").click()
    page.goto(base + "/estructura/actors/nuevo/")
    page.get_by_label("Buscar Temas de interés").fill("educacion")
    page.wait_for_function("document.querySelector('#id_themes').options.length === 1")
    options = page.locator("#id_themes option").all_inner_texts()
    assert options == ["S1 · Educación rural"]
    assert _violations(page) == []
