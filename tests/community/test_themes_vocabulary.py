"""The platform theme vocabulary: pages and services for the regional team, the API, and the
demo data."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from community import services_themes as services
from community.demo_themes import VOCABULARY, confirm_demo_mappings, seed_vocabulary
from community.models import MappingStatus, PlatformTheme, ThemeMapping
from tenants.db import use_municipality, use_public_schema
from tenants.structure import services as structure_services
from tenants.structure.demo import THEMES as DEMO_THEMES
from tests.community.factories import make_item
from tests.community.test_themes_mapping import confirm, make_theme
from tests.conftest import World, client_for

PAGE = "/regional/vocabulario/"


# --- services ------------------------------------------------------------------------------


def test_regional_team_and_platform_admin_edit_the_vocabulary(w: World) -> None:
    theme = services.platform_theme_create(actor=w.regional, name="  Movilidad  ", description=" Calles y caminos ")
    assert (theme.name, theme.description, theme.is_active) == ("Movilidad", "Calles y caminos", True)
    theme = services.platform_theme_update(actor=w.platform_admin, theme=theme, name="Movilidad y vialidad")
    assert PlatformTheme.objects.get(pk=theme.pk).name == "Movilidad y vialidad"
    services.platform_theme_set_active(actor=w.regional, theme=theme, active=False)
    assert not PlatformTheme.objects.get(pk=theme.pk).is_active


@pytest.mark.parametrize("who", ["admin_alfa", "mayor_alfa", "outsider"])
def test_others_cannot_edit_the_vocabulary(w: World, who: str) -> None:
    user = getattr(w, who)
    with pytest.raises(PermissionDenied):
        services.platform_theme_create(actor=user, name="Movilidad")
    theme = services.platform_theme_create(actor=None, name="Movilidad")
    with pytest.raises(PermissionDenied):
        services.platform_theme_update(actor=user, theme=theme, name="Otra")
    with pytest.raises(PermissionDenied):
        services.platform_theme_set_active(actor=user, theme=theme, active=False)
    assert list(PlatformTheme.objects.values_list("name", "is_active")) == [("Movilidad", True)]


@pytest.mark.parametrize("name", ["EDUCACIÓN", "educacion", " Educación "])
def test_names_are_unique_ignoring_case_and_accents(w: World, name: str) -> None:
    services.platform_theme_create(actor=w.regional, name="Educación")
    with pytest.raises(ValidationError) as caught:
        services.platform_theme_create(actor=w.regional, name=name)
    assert "Educación" in caught.value.message_dict["name"][0]
    other = services.platform_theme_create(actor=w.regional, name="Salud")
    with pytest.raises(ValidationError) as caught:
        services.platform_theme_update(actor=w.regional, theme=other, name=name)
    assert list(caught.value.message_dict) == ["name"]
    # Renaming a theme to a different case of its own name is fine.
    services.platform_theme_update(actor=w.regional, theme=other, name="SALUD")


def test_name_is_required_and_bounded(w: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.platform_theme_create(actor=w.regional, name="  ", description="x" * 5000)
    assert set(caught.value.message_dict) == {"name", "description"}


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["regional", "platform_admin"])
def test_team_sees_the_vocabulary_with_its_use(w: World, who: str) -> None:
    agua_platform = services.platform_theme_create(actor=None, name="Agua potable y saneamiento")
    services.platform_theme_create(actor=None, name="Catastro", description="Registro de predios")
    agua = make_theme(w.alfa, "A1", "Agua")
    make_item(w.alfa, local_themes=[{"id": agua.pk, "name": "Agua"}])
    make_item(w.alfa, local_themes=[{"id": agua.pk, "name": "Agua"}])
    make_item(w.alfa, local_themes=[{"id": agua.pk, "name": "Agua"}], withdrawn_at="2024-01-01T00:00:00Z")
    confirm(w, agua, agua_platform)
    response = client_for(getattr(w, who)).get(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Catastro" in body and "Registro de predios" in body
    row = body[body.index("Agua potable y saneamiento") :]
    row = row[: row.index("</tr>")]
    # One municipality, two live items (the withdrawn one does not count).
    assert "<td>1</td>" in row and "<td>2</td>" in row


def test_others_are_refused_and_anonymous_sent_to_login(w: World) -> None:
    for user in (w.admin_alfa, w.outsider):
        client = client_for(user)
        assert client.get(PAGE).status_code == 403
        assert client.post(PAGE, {"name": "Intrusión"}).status_code == 403
    response = client_for(None).get(PAGE)
    assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"]
    assert not PlatformTheme.objects.exists()


def test_create_edit_deactivate_and_reactivate_through_the_pages(w: World) -> None:
    client = client_for(w.regional)
    response = client.post(PAGE, {"name": "Movilidad", "description": "Calles"})
    assert response.status_code == 302
    theme = PlatformTheme.objects.get(name="Movilidad")
    # Unique name: a clear error on the field, nothing saved.
    response = client.post(PAGE, {"name": "MOVILIDAD"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_name_error"' in body and "Ya existe el tema «Movilidad»" in body
    assert PlatformTheme.objects.count() == 1

    assert client.get(f"{PAGE}{theme.pk}/editar/").status_code == 200
    assert client.post(f"{PAGE}{theme.pk}/editar/", {"name": "Movilidad y vialidad"}).status_code == 302
    theme.refresh_from_db()
    assert theme.name == "Movilidad y vialidad" and theme.description == ""

    assert client.post(f"{PAGE}{theme.pk}/desactivar/").status_code == 302
    theme.refresh_from_db()
    assert not theme.is_active
    assert "Desactivado" in client.get(PAGE).content.decode()
    assert client.post(f"{PAGE}{theme.pk}/reactivar/").status_code == 302
    theme.refresh_from_db()
    assert theme.is_active
    assert client.get(f"{PAGE}{theme.pk}/desactivar/").status_code == 405
    assert client.get(f"{PAGE}999999/editar/").status_code == 404


def test_deactivated_theme_is_not_offered_to_municipalities(w: World) -> None:
    gone = services.platform_theme_create(actor=None, name="Turismo sostenible")
    services.platform_theme_create(actor=None, name="Salud pública")
    client_for(w.regional).post(f"{PAGE}{gone.pk}/desactivar/")
    make_theme(w.alfa, "T1", "Turismo comunitario")
    page = client_for(w.admin_alfa, w.alfa).get("/comunidad/temas/").content.decode()
    assert "Salud pública" in page and "Turismo sostenible" not in page
    assert ThemeMapping.objects.get(municipality=w.alfa).platform_theme is None


# --- API -----------------------------------------------------------------------------------

API = "/api/v1/community/themes/"


def test_api_lists_active_themes_to_anyone(w: World) -> None:
    services.platform_theme_create(actor=None, name="Salud", description="Atención primaria")
    hidden = services.platform_theme_create(actor=None, name="Antiguo")
    services.platform_theme_set_active(actor=None, theme=hidden, active=False)
    response = client_for(None).get(API)
    assert response.status_code == 200
    data = response.json()
    assert [(t["name"], t["description"]) for t in data] == [("Salud", "Atención primaria")]
    assert set(data[0]) >= {"id", "name", "description"}
    assert client_for(None).get(f"{API}{hidden.pk}/").status_code == 404
    # The team may ask for everything.
    assert len(client_for(None).get(API + "?all=1").json()) == 1
    assert {t["name"] for t in client_for(w.regional).get(API + "?all=1").json()} == {"Salud", "Antiguo"}


def test_api_writes_are_for_the_team_with_field_errors(w: World) -> None:
    assert client_for(None).post(API, {"name": "X"}, content_type="application/json").status_code in (401, 403)
    assert client_for(w.admin_alfa).post(API, {"name": "X"}, content_type="application/json").status_code == 403
    team = client_for(w.regional)
    response = team.post(API, {"name": "Salud", "description": "Prevención"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["name"] == "Salud"
    pk = response.json()["id"]
    response = team.post(API, {"name": "SALUD"}, content_type="application/json")
    assert response.status_code == 400 and "name" in response.json()
    response = team.post(API, {"description": "sin nombre"}, content_type="application/json")
    assert response.status_code == 400 and "name" in response.json()
    response = team.post(API, {"name": "x" * 500}, content_type="application/json")
    assert response.status_code == 400 and "name" in response.json()

    response = team.patch(f"{API}{pk}/", {"description": "Atención primaria"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["name"] == "Salud"
    assert response.json()["description"] == "Atención primaria"
    response = team.patch(f"{API}{pk}/", {"is_active": False}, content_type="application/json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    response = team.patch(f"{API}{pk}/", {"is_active": "quizás"}, content_type="application/json")
    assert response.status_code == 400 and "is_active" in response.json()
    assert client_for(w.admin_alfa).patch(
        f"{API}{pk}/", {"name": "Y"}, content_type="application/json"
    ).status_code in (
        403,
        404,
    )
    assert PlatformTheme.objects.get(pk=pk).name == "Salud"


def test_api_schema_documents_the_theme_endpoints(w: World) -> None:
    schema = client_for(None).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/community/themes/"])
    assert {"get", "patch"} <= set(schema["paths"]["/api/v1/community/themes/{id}/"])


# --- demo ----------------------------------------------------------------------------------


def test_demo_vocabulary_is_idempotent_and_maps_the_demo_themes(w: World) -> None:
    seed_vocabulary()
    seed_vocabulary()
    assert PlatformTheme.objects.count() == len(VOCABULARY) >= 15
    use_municipality(w.alfa)
    made: dict[str, object] = {}
    for code, name, colour, parent in DEMO_THEMES:
        made[code] = structure_services.theme_save(
            actor=None, data={"code": code, "name": name, "colour": colour, "parent": made.get(parent or "")}
        )
    use_public_schema()
    confirmed = confirm_demo_mappings(w.alfa)
    assert connection.schema_name == "public"  # the schema it found is the schema it leaves
    assert confirmed >= 10
    assert confirm_demo_mappings(w.alfa) == 0
    rows = {r.local_theme_name: r for r in ThemeMapping.objects.filter(municipality=w.alfa)}
    assert len(rows) == len(DEMO_THEMES)
    assert rows["Agua potable y saneamiento"].status == MappingStatus.CONFIRMED
    assert rows["Agua potable y saneamiento"].platform_theme.name == "Agua potable y saneamiento"  # type: ignore[union-attr]
    assert rows["Servicios básicos"].status == MappingStatus.SUGGESTED
    assert rows["Servicios básicos"].platform_theme is None
