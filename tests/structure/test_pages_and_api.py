"""Structure pages: lists, editing, archive, levels, picker; roles; two-tenant isolation."""

from __future__ import annotations

import pytest

from tenants.db import use_municipality, use_public_schema
from tenants.structure import services
from tenants.structure.models import Actor, Theme
from tests.conftest import World, client_for

PAGES = [
    "/estructura/",
    "/estructura/niveles/",
    "/estructura/actors/",
    "/estructura/places/",
    "/estructura/themes/",
    "/estructura/areas/",
    "/estructura/positions/",
    "/estructura/network/",
    "/estructura/actors/nuevo/",
    "/estructura/actors/importar/",
    "/estructura/actors/exportar.csv",
    "/estructura/themes/plantilla.xlsx",
    "/estructura/buscar/themes/?q=a",
]


def _seed_beta(w: World) -> Theme:
    use_municipality(w.beta)
    secret = services.theme_save(actor=w.admin_beta, data={"code": "BETA-SECRETO", "name": "Plan secreto de Beta"})
    services.actor_save(
        actor=w.admin_beta, data={"kind": "individual", "name": "Beatriz Privada", "email": "bea@privada.test"}
    )
    use_public_schema()
    return secret


@pytest.mark.parametrize("path", PAGES)
def test_every_structure_page_is_404_for_members_of_another_municipality(w: World, path: str) -> None:
    _seed_beta(w)
    response = client_for(w.admin_alfa, w.beta).get(path)
    assert response.status_code == 404
    assert b"Beta" not in response.content and b"bea@privada" not in response.content


def test_lists_show_only_the_own_municipality(w: World) -> None:
    secret = _seed_beta(w)
    use_municipality(w.alfa)
    services.theme_save(actor=w.admin_alfa, data={"code": "ALFA-1", "name": "Agua para Alfa"})
    use_public_schema()
    alfa = client_for(w.admin_alfa, w.alfa)
    html = alfa.get("/estructura/themes/").content.decode()
    assert "Agua para Alfa" in html and "Plan secreto" not in html
    assert alfa.get(f"/estructura/themes/{secret.pk}/").status_code == 404
    assert alfa.get("/estructura/buscar/themes/?q=secreto").json() == {"results": []}
    export = alfa.get("/estructura/actors/exportar.csv?estado=all").content.decode("utf-8-sig")
    assert "Beatriz" not in export


def test_create_edit_archive_restore_through_pages(w: World) -> None:
    client = client_for(w.admin_alfa, w.alfa)
    bad = client.post("/estructura/themes/nuevo/", {"code": "", "name": "", "colour": "#zzzzzz"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'id="id_code_error"' in html and 'id="id_name_error"' in html
    created = client.post(
        "/estructura/themes/nuevo/", {"code": "E1", "name": "Desarrollo económico", "colour": "#336699"}
    )
    assert created.status_code == 302
    use_municipality(w.alfa)
    item = Theme.objects.get(code="E1")
    use_public_schema()
    client.post(f"/estructura/themes/{item.pk}/", {"code": "E1", "name": "Economía local", "colour": "#336699"})
    client.post(f"/estructura/themes/{item.pk}/archivar/", {"active": "0"})
    assert "<td>Economía local</td>" not in client.get("/estructura/themes/").content.decode()
    assert "<td>Economía local</td>" in client.get("/estructura/themes/?estado=archived").content.decode()
    client.post(f"/estructura/themes/{item.pk}/archivar/", {"active": "1"})
    assert "<td>Economía local</td>" in client.get("/estructura/themes/?q=economia").content.decode()


def test_roles_see_and_edit_what_they_should(w: World) -> None:
    use_municipality(w.alfa)
    actor = services.actor_save(
        actor=w.admin_alfa,
        data={"kind": "individual", "name": "Don Ramiro", "email": "ramiro@contacto.test", "phone": "555"},
    )
    services.theme_save(actor=w.admin_alfa, data={"code": "E1", "name": "Eje uno"})
    use_public_schema()
    from tenants.models import Membership

    Membership.objects.create(user=w.outsider, municipality=w.alfa, role="initiative_manager")
    manager = client_for(w.outsider, w.alfa)
    # An initiative manager does not see actors' personal data, nor edits themes...
    assert "ramiro@contacto.test" not in manager.get("/estructura/actors/exportar.csv").content.decode("utf-8-sig")
    edit_page = manager.get(f"/estructura/actors/{actor.pk}/").content.decode()
    assert "ramiro@contacto.test" not in edit_page and 'name="email"' not in edit_page
    assert manager.get("/estructura/themes/nuevo/").status_code == 403
    # ...and editing an actor keeps the contact data it cannot see.
    manager.post(
        f"/estructura/actors/{actor.pk}/", {"kind": "individual", "name": "Don Ramiro P.", "relevance": "high"}
    )
    use_municipality(w.alfa)
    actor.refresh_from_db()
    assert actor.name == "Don Ramiro P." and actor.email == "ramiro@contacto.test" and actor.phone == "555"
    use_public_schema()
    mayor = client_for(w.mayor_alfa, w.alfa)
    assert "ramiro@contacto.test" in mayor.get("/estructura/actors/exportar.csv").content.decode("utf-8-sig")


def test_place_levels_page(w: World) -> None:
    client = client_for(w.admin_alfa, w.alfa)
    bad = client.post("/estructura/niveles/", {"name": "División", "levels": "Distrito\ndistrito"})
    assert bad.status_code == 400 and "no pueden repetirse" in bad.content.decode()
    ok = client.post("/estructura/niveles/", {"name": "División", "levels": "Distrito\nCorregimiento\nBarrio"})
    assert ok.status_code == 302
    page = client.get("/estructura/niveles/").content.decode()
    assert page.index("Distrito") < page.index("Corregimiento") < page.index("Barrio")
    assert (
        client_for(w.editor_alfa, w.alfa).post("/estructura/niveles/", {"name": "X", "levels": "Y"}).status_code == 403
    )


def test_onboarding_overview_shows_what_is_missing(w: World) -> None:
    client = client_for(w.admin_alfa, w.alfa)
    html = client.get("/estructura/").content.decode()
    assert "Siguiente paso: <strong>Actores</strong>" in html
    use_municipality(w.alfa)
    services.actor_save(actor=w.admin_alfa, data={"kind": "institution", "name": "Escuela"})
    use_public_schema()
    html = client.get("/estructura/").content.decode()
    assert "Siguiente paso: <strong>Lugares</strong>" in html
    assert "1 registro" in html


def test_picker_api_only_for_pickable_kinds_and_active_items(w: World) -> None:
    use_municipality(w.alfa)
    a = services.actor_save(actor=w.admin_alfa, data={"kind": "institution", "name": "Cooperativa Ñandutí"})
    services.actor_save(actor=w.admin_alfa, data={"kind": "institution", "name": "Cooperativa Vieja"})
    services.set_active(actor=w.admin_alfa, item=Actor.objects.get(name="Cooperativa Vieja"), active=False)
    use_public_schema()
    client = client_for(w.editor_alfa, w.alfa)
    assert client.get("/estructura/buscar/actors/?q=nanduti").json() == {
        "results": [{"id": a.pk, "label": "Cooperativa Ñandutí"}]
    }
    assert client.get("/estructura/buscar/network/?q=x").status_code == 404


def test_structure_api_crud_archive_and_isolation(w: World) -> None:
    api = client_for(w.admin_alfa, w.alfa)
    created = api.post("/api/v1/structure/themes/", {"code": "E1", "name": "Economía"}, content_type="application/json")
    assert created.status_code == 201, created.content
    theme_id = created.json()["id"]
    bad = api.post("/api/v1/structure/themes/", {"code": "e1", "name": ""}, content_type="application/json")
    assert bad.status_code == 400 and set(bad.json()) == {"name"}  # the form stops at the missing name
    child = api.post(
        "/api/v1/structure/themes/",
        {"code": "E1.1", "name": "Turismo", "parent": theme_id},
        content_type="application/json",
    )
    assert child.json()["depth"] == 2
    patched = api.patch(
        f"/api/v1/structure/themes/{theme_id}/", {"name": "Economía local"}, content_type="application/json"
    )
    assert patched.json()["name"] == "Economía local" and patched.json()["code"] == "E1"
    assert api.post(f"/api/v1/structure/themes/{theme_id}/archive/").json()["is_active"] is False
    assert [t["code"] for t in api.get("/api/v1/structure/themes/").json()["results"]] == ["E1.1"]
    assert api.post(f"/api/v1/structure/themes/{theme_id}/restore/").json()["is_active"] is True
    # Another municipality's member: 404 on list, detail and writes.
    other = client_for(w.admin_beta, w.alfa)
    assert other.get("/api/v1/structure/themes/").status_code == 404
    assert other.get(f"/api/v1/structure/themes/{theme_id}/").status_code == 404
    assert (
        other.post("/api/v1/structure/themes/", {"code": "X", "name": "X"}, content_type="application/json").status_code
        == 404
    )
    # In Beta's own API, Alfa's ids do not exist.
    assert client_for(w.admin_beta, w.beta).get(f"/api/v1/structure/themes/{theme_id}/").status_code == 404
    # A member whose role cannot edit themes gets 403.
    editor = client_for(w.editor_alfa, w.alfa)
    assert (
        editor.post(
            "/api/v1/structure/themes/", {"code": "E9", "name": "X"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_structure_api_hides_actor_contacts_from_roles_that_do_not_need_them(w: World) -> None:
    from tenants.models import Membership

    Membership.objects.create(user=w.outsider, municipality=w.alfa, role="initiative_manager")
    created = client_for(w.admin_alfa, w.alfa).post(
        "/api/v1/structure/actors/",
        {"kind": "individual", "name": "Rosa", "email": "rosa@contacto.test", "relevance": "high"},
        content_type="application/json",
    )
    assert created.json()["email"] == "rosa@contacto.test"
    seen = client_for(w.outsider, w.alfa).get("/api/v1/structure/actors/").json()["results"][0]
    assert seen["name"] == "Rosa" and "email" not in seen and "phone" not in seen


def _payloads(w: World) -> dict[str, dict[str, object]]:
    use_municipality(w.alfa)
    level_set = services.place_level_set_save(actor=w.admin_alfa, name="División", levels=["Distrito"])
    area = services.area_save(actor=w.admin_alfa, data={"code": "DES", "name": "Despacho"})
    position = services.position_save(actor=w.admin_alfa, data={"code": "ALC", "name": "Alcaldía", "area": area})
    level = level_set.levels.get()
    use_public_schema()
    return {
        "themes": {"code": "T1", "name": "Tema"},
        "places": {"code": "P1", "name": "Lugar", "level": level.pk},
        "actors": {"kind": "institution", "name": "Institución", "relevance": "low"},
        "areas": {"code": "A2", "name": "Área", "parent": area.pk},
        "positions": {"code": "C2", "name": "Cargo", "area": area.pk},
        "network": {"full_name": "Persona", "position": position.pk, "roles": []},
    }


@pytest.mark.parametrize("kind", ["themes", "places", "actors", "areas", "positions", "network"])
def test_api_per_kind_create_list_update_archive_and_isolation(w: World, kind: str) -> None:
    payload = _payloads(w)[kind]
    api = client_for(w.admin_alfa, w.alfa)
    created = api.post(f"/api/v1/structure/{kind}/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert pk in [row["id"] for row in api.get(f"/api/v1/structure/{kind}/").json()["results"]]
    name_field = "full_name" if kind == "network" else "name"
    renamed = api.patch(f"/api/v1/structure/{kind}/{pk}/", {name_field: "Renombrado"}, content_type="application/json")
    assert renamed.status_code == 200 and renamed.json()[name_field] == "Renombrado"
    empty = api.post(f"/api/v1/structure/{kind}/", {}, content_type="application/json")
    assert empty.status_code == 400 and empty.json()  # names what is missing
    assert api.post(f"/api/v1/structure/{kind}/{pk}/archive/").json()["is_active"] is False
    assert pk not in [row["id"] for row in api.get(f"/api/v1/structure/{kind}/").json()["results"]]
    # Beta's member: 404 for Alfa's endpoints; Beta's own API does not know Alfa's item.
    assert client_for(w.admin_beta, w.alfa).get(f"/api/v1/structure/{kind}/").status_code == 404
    assert client_for(w.admin_beta, w.beta).get(f"/api/v1/structure/{kind}/{pk}/").status_code == 404
    assert client_for(None, w.alfa).get(f"/api/v1/structure/{kind}/").status_code == 401


def test_roles_changed_on_the_members_page_show_in_the_network(w: World) -> None:
    use_municipality(w.alfa)
    member = services.network_member_save(
        actor=w.admin_alfa, data={"full_name": "Marta", "roles": ["mayor"], "user": w.mayor_alfa}
    )
    use_public_schema()
    client_for(w.admin_alfa, w.alfa).post(
        f"/miembros/{w.mayor_alfa.pk}/roles/", {f"m{w.mayor_alfa.pk}-roles": ["mayor", "agenda_manager"]}
    )
    use_municipality(w.alfa)
    member.refresh_from_db()
    assert member.roles == ["agenda_manager", "mayor"]


def test_place_levels_api_create_rename_extend_and_isolation(w: World) -> None:
    api = client_for(w.admin_alfa, w.alfa)
    created = api.post(
        "/api/v1/structure/place-levels/", {"name": "División", "levels": ["Distrito", "Barrio"]},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201
    pk = created.json()["id"]
    renamed = api.patch(
        f"/api/v1/structure/place-levels/{pk}/", {"levels": ["Distrito", "Barrio o colonia", "Manzana"]},
        content_type="application/json",
    )  # fmt: skip
    assert [level["name"] for level in renamed.json()["levels"]] == ["Distrito", "Barrio o colonia", "Manzana"]
    assert [level["id"] for level in renamed.json()["levels"]][:2] == [
        level["id"] for level in created.json()["levels"]
    ]
    shrink = api.patch(
        f"/api/v1/structure/place-levels/{pk}/", {"levels": ["Distrito"]}, content_type="application/json"
    )
    assert shrink.status_code == 400 and "no se pueden quitar" in shrink.json()["levels"][0]
    assert client_for(w.admin_beta, w.alfa).get("/api/v1/structure/place-levels/").status_code == 404
    assert client_for(w.admin_beta, w.beta).get(f"/api/v1/structure/place-levels/{pk}/").status_code == 404
    assert (
        client_for(w.editor_alfa, w.alfa)
        .post("/api/v1/structure/place-levels/", {"name": "X", "levels": ["Y"]}, content_type="application/json")
        .status_code
        == 403
    )
