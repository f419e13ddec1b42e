from __future__ import annotations

import re

from django.test import override_settings

from tests.conftest import World, client_for


def test_healthz_needs_nothing(w: World) -> None:
    for municipality in (None, w.alfa):
        response = client_for(None, municipality).get("/healthz")
        assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_checks_database_and_broker(w: World) -> None:
    response = client_for(None).get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


@override_settings(BROKER_CONFIGURED=True, CELERY_BROKER_URL="redis://127.0.0.1:1/0")  # nothing on port 1
def test_readyz_reports_an_unreachable_broker(w: World) -> None:
    response = client_for(None).get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] != "ok"


def test_public_openapi_schema_and_offline_docs(w: World) -> None:
    schema = client_for(None).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/municipalities/" in paths and "/api/v1/auth/token/" in paths
    assert "/api/v1/members/" not in paths
    assert all(path.startswith("/api/") for path in paths)  # not Wagtail's internal admin API
    docs = client_for(None).get("/api/docs/").content.decode()
    assert "swagger" in docs.lower()
    external = [u for u in re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", docs) if "localhost" not in u]
    assert external == []  # served offline, from drf-spectacular-sidecar


def test_tenant_openapi_schema_for_members(w: World) -> None:
    schema = client_for(w.admin_alfa, w.alfa).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/workspace/", "/api/v1/members/", "/api/v1/invitations/"} <= set(paths)
    assert "/api/v1/municipalities/" not in paths


def test_platform_api_provisioning(w: World) -> None:
    payload = {
        "name": "San Pedro",
        "slug": "san-pedro",
        "country": "HN",
        "time_zone": "America/Tegucigalpa",
        "admin_email": "jefa@sanpedro.test",
    }
    assert client_for(None).post("/api/v1/municipalities/", payload, content_type="application/json").status_code == 401
    assert (
        client_for(w.admin_alfa).post("/api/v1/municipalities/", payload, content_type="application/json").status_code
        == 403
    )
    admin = client_for(w.platform_admin)
    bad = admin.post(
        "/api/v1/municipalities/", {**payload, "slug": "www", "time_zone": "Luna/Base"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"slug", "time_zone"}
    assert "reservado" in bad.json()["slug"][0]
    created = admin.post("/api/v1/municipalities/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["url"] == "http://san-pedro.localhost/"
    listed = client_for(None).get("/api/v1/municipalities/").json()["results"]
    assert {m["slug"] for m in listed} >= {"alfa", "beta", "san-pedro"}
    assert admin.post("/api/v1/municipalities/san-pedro/deactivate/").json()["is_active"] is False
    assert "san-pedro" not in {m["slug"] for m in client_for(None).get("/api/v1/municipalities/").json()["results"]}
    assert admin.post("/api/v1/municipalities/san-pedro/reactivate/").json()["is_active"] is True
    refused = admin.delete("/api/v1/municipalities/san-pedro/", {"confirm_slug": "x"}, content_type="application/json")
    assert refused.status_code == 400 and "confirm_slug" in refused.json()
    deleted = admin.delete(
        "/api/v1/municipalities/san-pedro/", {"confirm_slug": "san-pedro"}, content_type="application/json"
    )
    assert deleted.status_code == 204
    assert admin.get("/api/v1/municipalities/san-pedro/").status_code == 404


def test_api_errors_follow_the_language(w: World) -> None:
    admin = client_for(w.platform_admin)
    admin.cookies["sigobito_language"] = "en"
    bad = admin.post(
        "/api/v1/municipalities/",
        {"name": "X", "slug": "www", "country": "HN", "time_zone": "America/Tegucigalpa", "admin_email": "a@b.test"},
        content_type="application/json",
    )
    assert "reserved" in bad.json()["slug"][0]


def test_platform_pages_provision_deactivate_and_delete(w: World) -> None:
    admin = client_for(w.platform_admin)
    page = admin.get("/plataforma/municipios/")
    assert page.status_code == 200 and "Municipio Alfa" in page.content.decode()
    bad = admin.post(
        "/plataforma/municipios/",
        {
            "name": "",
            "slug": "Mal Slug",
            "country": "HN",
            "time_zone": "America/Tegucigalpa",
            "default_language": "es",
            "admin_email": "jefa@sanpedro.test",
        },
    )
    assert bad.status_code == 400
    assert 'id="id_name_error"' in bad.content.decode() and 'id="id_slug_error"' in bad.content.decode()
    ok = admin.post(
        "/plataforma/municipios/",
        {
            "name": "San Pedro",
            "slug": "san-pedro",
            "country": "HN",
            "time_zone": "America/Tegucigalpa",
            "default_language": "es",
            "admin_email": "jefa@sanpedro.test",
        },
        follow=True,
    )
    assert "Se creó San Pedro" in ok.content.decode()
    admin.post("/plataforma/municipios/san-pedro/desactivar/")
    assert client_for(None).get("/", HTTP_HOST="san-pedro.localhost").status_code == 410
    admin.post("/plataforma/municipios/san-pedro/reactivar/")
    wrong = admin.post("/plataforma/municipios/san-pedro/eliminar/", {"confirm_slug": "san"})
    assert wrong.status_code == 400 and "escriba exactamente" in wrong.content.decode()
    admin.post("/plataforma/municipios/san-pedro/eliminar/", {"confirm_slug": "san-pedro"})
    assert client_for(None).get("/", HTTP_HOST="san-pedro.localhost").status_code == 404
