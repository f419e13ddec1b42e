"""Bulk import (CSV and XLSX, dry run, all-or-nothing, errors by line and column) and
export (CSV and XLSX, formula cells neutralised)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from tenants.db import use_municipality, use_public_schema
from tenants.structure import services, transfer
from tenants.structure.models import Actor, Place, Theme
from tests.conftest import World, client_for

THEMES_CSV = (
    "codigo,nombre,descripcion,color,tema_superior\nE1,Desarrollo económico,,#336699,\nE1.1,Turismo rural,,,E1\n"
)


def upload(client, kind: str, name: str, content: bytes):  # type: ignore[no-untyped-def]
    return client.post(f"/estructura/{kind}/importar/", {"file": SimpleUploadedFile(name, content)})


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def count(model: type) -> int:
    return model.objects.count()  # type: ignore[attr-defined, no-any-return]


def test_dry_run_then_confirm_writes_everything(w: World) -> None:
    client = client_for(w.admin_alfa, w.alfa)
    checked = upload(client, "themes", "temas.csv", THEMES_CSV.encode())
    assert checked.status_code == 200
    html = checked.content.decode()
    assert "2 filas, 2 nuevas y 0 a actualizar" in html
    use_municipality(w.alfa)
    assert count(Theme) == 0  # a dry run writes nothing
    use_public_schema()
    pending = checked.context["pending"]
    done = client.post("/estructura/themes/importar/", {"pending": pending})
    assert done.status_code == 302
    use_municipality(w.alfa)
    assert Theme.objects.get(code="E1.1").parent == Theme.objects.get(code="E1")


def test_every_row_error_is_reported_with_line_and_column_and_nothing_is_saved(w: World) -> None:
    client = client_for(w.admin_alfa, w.alfa)
    content = (
        "codigo;nombre;color;tema_superior\n"
        "E1;Economía;#336699;\n"
        "E2;;#336699;\n"  # line 3: no name
        "E3;Salud;rojo;\n"  # line 4: bad colour
        "E4;Agua;;NOEXISTE\n"  # line 5: unknown parent
        "e1;Duplicado;;\n"  # line 6: same code as line 2 (case-insensitive)
    ).encode()
    response = upload(client, "themes", "temas.csv", content)
    assert response.status_code == 400
    errors = [(e.line, e.column) for e in response.context["report"].errors]
    assert errors == [(3, "nombre"), (4, "color"), (5, "tema_superior"), (6, "codigo")]
    assert "no se guardó nada" in response.content.decode()
    use_municipality(w.alfa)
    assert count(Theme) == 0


def test_latin1_csv_from_a_spreadsheet_is_read_and_said(w: World) -> None:
    client = client_for(w.admin_alfa, w.alfa)
    response = upload(client, "themes", "temas.csv", "codigo,nombre\nE1,Educación y niñez\n".encode("cp1252"))
    assert response.status_code == 200
    assert "se leyó como Latin-1" in response.content.decode()
    client.post("/estructura/themes/importar/", {"pending": response.context["pending"]})
    use_municipality(w.alfa)
    assert Theme.objects.get(code="E1").name == "Educación y niñez"


def test_xlsx_import_and_formula_cells_are_refused(w: World) -> None:
    client = client_for(w.admin_alfa, w.alfa)
    ok = upload(client, "areas", "areas.xlsx", xlsx([["codigo", "nombre"], ["SEC-1", "Secretaría de Planificación"]]))
    assert ok.status_code == 200 and ok.context["report"].created == 1
    formula = upload(client, "areas", "areas.xlsx", xlsx([["codigo", "nombre"], ["SEC-2", '=HYPERLINK("http://x")']]))
    assert formula.status_code == 400
    errors = formula.context["report"].errors
    assert [(e.line, e.column) for e in errors] == [(2, "B2")]
    assert "contiene una fórmula" in errors[0].message


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("temas.pdf", b"%PDF", "Formato no admitido"),
        ("temas.xlsx", b"not a zip", "no es un libro de Excel"),
        ("temas.csv", b"codigo,nombre,colour\nE1,X,#000000\n", "Columnas desconocidas: colour"),
        ("temas.csv", b"nombre\nX\n", "Faltan columnas obligatorias: codigo"),
        ("temas.csv", b"codigo,nombre\n", "no tiene filas"),
    ],
)
def test_file_level_problems_get_a_clear_message(w: World, name: str, content: bytes, fragment: str) -> None:
    response = upload(client_for(w.admin_alfa, w.alfa), "themes", name, content)
    assert response.status_code == 400
    assert fragment in response.content.decode()


def test_oversized_file_is_refused_with_the_limit(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transfer, "MAX_BYTES", 100)
    response = upload(client_for(w.admin_alfa, w.alfa), "themes", "temas.csv", b"codigo,nombre\n" + b"E1,X\n" * 50)
    assert response.status_code == 400
    assert "el máximo es" in response.content.decode()


def test_places_import_checks_levels_and_geojson(w: World) -> None:
    use_municipality(w.alfa)
    services.place_level_set_save(actor=w.admin_alfa, name="División", levels=["Distrito", "Barrio"])
    use_public_schema()
    content = (
        b"codigo,nombre,nivel,lugar_superior,poblacion,geometria\n"
        b'D1,Norte,Distrito,,12.500,"{""type"": ""Point"", ""coordinates"": [-90.7, 14.5]}"\n'
        b"B1,La Paz,Barrio,D1,800,\n"
        b'B2,Roto,Barrio,D1,,"{""type"": ""Polygon""}"\n'
        b"B3,Sin nivel,Aldea,D1,,\n"
    )
    response = upload(client_for(w.admin_alfa, w.alfa), "places", "lugares.csv", content)
    errors = {(e.line, e.column) for e in response.context["report"].errors}
    assert errors == {(4, "geometria"), (5, "nivel")}
    fixed = content.replace(b'B2,Roto,Barrio,D1,,"{""type"": ""Polygon""}"\n', b"").replace(
        b"B3,Sin nivel,Aldea,D1,,\n", b""
    )
    client = client_for(w.admin_alfa, w.alfa)
    checked = upload(client, "places", "lugares.csv", fixed)
    client.post("/estructura/places/importar/", {"pending": checked.context["pending"]})
    use_municipality(w.alfa)
    assert Place.objects.get(code="D1").population == 12500
    assert Place.objects.get(code="B1").parent.code == "D1"  # type: ignore[union-attr]


def test_export_round_trip_and_formula_neutralisation(w: World) -> None:
    use_municipality(w.alfa)
    salud = services.theme_save(actor=w.admin_alfa, data={"code": "SAL", "name": "Salud"})
    services.actor_save(
        actor=w.admin_alfa,
        data={"kind": "institution", "name": "=cmd|' /C calc'!A0", "organisation": "@SUM(1)", "themes": [salud]},
    )
    use_public_schema()
    client = client_for(w.admin_alfa, w.alfa)
    text = client.get("/estructura/actors/exportar.csv?estado=all").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["id", "tipo", "nombre"]
    assert rows[1][2] == "'=cmd|' /C calc'!A0" and rows[1][3] == "'@SUM(1)"
    assert rows[1][9] == "SAL"
    workbook = load_workbook(io.BytesIO(client.get("/estructura/actors/exportar.xlsx").content))
    cell = workbook.active["C2"]
    assert cell.data_type == "s" and cell.value == "=cmd|' /C calc'!A0"  # text, never a formula
    # Re-importing the export updates the same actor (by id) instead of duplicating it.
    checked = upload(client, "actors", "actores.csv", text.replace("@SUM(1)", "Ministerio").encode())
    assert checked.context["report"].updated == 1 and checked.context["report"].created == 0


def test_templates_have_the_columns(w: World) -> None:
    client = client_for(w.admin_alfa, w.alfa)
    header = client.get("/estructura/places/plantilla.csv").content.decode("utf-8-sig").strip()
    assert header == "codigo,nombre,nivel,lugar_superior,poblacion,geometria"
    workbook = load_workbook(io.BytesIO(client.get("/estructura/network/plantilla.xlsx").content))
    assert [c.value for c in workbook.active[1]] == [
        "id",
        "nombre_completo",
        "correo",
        "telefono",
        "cargo",
        "roles",
        "cuenta",
    ]


def test_import_needs_an_editor_role(w: World) -> None:
    response = upload(client_for(w.editor_alfa, w.alfa), "themes", "temas.csv", THEMES_CSV.encode())
    assert response.status_code == 403
    use_municipality(w.alfa)
    assert count(Actor) == 0


def test_reimporting_an_export_keeps_values_exactly(w: World) -> None:
    use_municipality(w.alfa)
    services.actor_save(actor=w.admin_alfa, data={"kind": "individual", "name": "Ana", "phone": "+502 5000 1000"})
    use_public_schema()
    client = client_for(w.admin_alfa, w.alfa)
    exported = client.get("/estructura/actors/exportar.csv").content
    checked = upload(client, "actors", "actores.csv", exported)
    client.post("/estructura/actors/importar/", {"pending": checked.context["pending"]})
    use_municipality(w.alfa)
    assert Actor.objects.get(name="Ana").phone == "+502 5000 1000"


def test_import_with_fewer_columns_changes_only_those(w: World) -> None:
    use_municipality(w.alfa)
    axis = services.theme_save(actor=w.admin_alfa, data={"code": "E1", "name": "Eje"})
    services.theme_save(
        actor=w.admin_alfa,
        data={"code": "E1.1", "name": "Tema", "description": "Texto", "colour": "#112233", "parent": axis},
    )
    use_public_schema()
    client = client_for(w.admin_alfa, w.alfa)
    checked = upload(client, "themes", "temas.csv", b"codigo,nombre\nE1.1,Tema renombrado\n")
    client.post("/estructura/themes/importar/", {"pending": checked.context["pending"]})
    use_municipality(w.alfa)
    theme = Theme.objects.get(code="E1.1")
    assert (theme.name, theme.description, theme.colour, theme.parent) == ("Tema renombrado", "Texto", "#112233", axis)


def test_a_role_without_contact_access_cannot_erase_or_write_contacts(w: World) -> None:
    from tenants.models import Membership

    Membership.objects.create(user=w.outsider, municipality=w.alfa, role="initiative_manager")
    use_municipality(w.alfa)
    actor = services.actor_save(actor=w.admin_alfa, data={"kind": "individual", "name": "Rosa", "email": "rosa@x.test"})
    use_public_schema()
    manager = client_for(w.outsider, w.alfa)
    exported = manager.get("/estructura/actors/exportar.csv").content.decode("utf-8-sig")
    assert "rosa@x.test" not in exported
    tampered = exported.replace(",Rosa,", ",Rosa M.,").replace(",,,,medium", ",otro@x.test,,,medium")
    checked = upload(manager, "actors", "actores.csv", tampered.encode())
    manager.post("/estructura/actors/importar/", {"pending": checked.context["pending"]})
    use_municipality(w.alfa)
    actor.refresh_from_db()
    assert actor.name == "Rosa M." and actor.email == "rosa@x.test"


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("D1,Norte,Distrito,,3000000000,", "poblacion"),
        ("D1,Norte,Distrito,,," + '"' + "[" * 5000 + '"', "geometria"),
    ],
)
def test_out_of_range_values_are_row_errors_not_crashes(w: World, row: str, column: str) -> None:
    use_municipality(w.alfa)
    services.place_level_set_save(actor=w.admin_alfa, name="División", levels=["Distrito"])
    use_public_schema()
    content = ("codigo,nombre,nivel,lugar_superior,poblacion,geometria\n" + row + "\n").encode()
    response = upload(client_for(w.admin_alfa, w.alfa), "places", "lugares.csv", content)
    assert response.status_code == 400
    assert [e.column for e in response.context["report"].errors] == [column]


def test_ambiguous_level_names_need_the_set(w: World) -> None:
    use_municipality(w.alfa)
    services.place_level_set_save(actor=w.admin_alfa, name="Urbana", levels=["Barrio"])
    services.place_level_set_save(actor=w.admin_alfa, name="Rural", levels=["Barrio"])
    use_public_schema()
    client = client_for(w.admin_alfa, w.alfa)
    ambiguous = upload(client, "places", "l.csv", b"codigo,nombre,nivel\nB1,Uno,Barrio\n")
    assert "conjunto · nivel" in ambiguous.context["report"].errors[0].message
    precise = upload(client, "places", "l.csv", "codigo,nombre,nivel\nB1,Uno,Rural · Barrio\n".encode())
    assert precise.context["report"].created == 1
