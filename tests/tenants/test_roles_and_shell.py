from __future__ import annotations

import pytest
from django.db import connection

from tenants.workspace.schema_guard import NotInTenantSchema, require_tenant_schema
from tests.conftest import World, client_for


def test_members_page_needs_a_managing_role(w: World) -> None:
    assert client_for(w.admin_alfa, w.alfa).get("/miembros/").status_code == 200
    assert client_for(w.mayor_alfa, w.alfa).get("/miembros/").status_code == 200
    response = client_for(w.editor_alfa, w.alfa).get("/miembros/")
    assert response.status_code == 403
    assert "contraparte del sistema" in response.content.decode()


def test_invitation_api_needs_a_managing_role(w: World) -> None:
    denied = client_for(w.editor_alfa, w.alfa).post(
        "/api/v1/invitations/", {"email": "x@alfa.test", "roles": ["mayor"]}, content_type="application/json"
    )
    assert denied.status_code == 403
    allowed = client_for(w.admin_alfa, w.alfa).post(
        "/api/v1/invitations/", {"email": "x@alfa.test", "roles": ["mayor"]}, content_type="application/json"
    )
    assert allowed.status_code == 201, allowed.content


def test_navigation_follows_role(w: World) -> None:
    admin_page = client_for(w.admin_alfa, w.alfa).get("/").content.decode()
    editor_page = client_for(w.editor_alfa, w.alfa).get("/").content.decode()
    assert 'href="/miembros/"' in admin_page
    assert 'href="/miembros/"' not in editor_page
    assert "Edición de comunicación" in editor_page  # the person's role is shown


def test_platform_navigation_follows_platform_role(w: World) -> None:
    admin = client_for(w.platform_admin).get("/").content.decode()
    member = client_for(w.admin_alfa).get("/").content.decode()
    assert "/plataforma/municipios/" in admin
    assert "/plataforma/municipios/" not in member
    assert client_for(w.admin_alfa).get("/plataforma/municipios/").status_code == 403


def test_workspace_home_shows_the_municipality(w: World) -> None:
    page = client_for(w.admin_alfa, w.alfa).get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Espacio de trabajo de Municipio Alfa" in html
    assert "Boyacá" in html


def test_tenant_code_fails_closed_in_public_schema() -> None:
    connection.set_schema_to_public()
    with pytest.raises(NotInTenantSchema):
        require_tenant_schema()


def test_my_workspaces_lists_memberships(w: World) -> None:
    html = client_for(w.mayor_alfa).get("/mis-espacios/").content.decode()
    assert "Municipio Alfa" in html and "Municipio Beta" not in html
    me = client_for(w.mayor_alfa).get("/api/v1/me/").json()
    assert [ws["municipality"] for ws in me["workspaces"]] == ["alfa"]


def test_home_tells_recent_activity_in_words(w: World) -> None:
    from tenants import services
    from tenants.db import use_municipality

    use_municipality(w.alfa)
    services.invitation_create(actor=w.admin_alfa, municipality=w.alfa, email="nuevo@alfa.test", roles=["mayor"])
    html = client_for(w.editor_alfa, w.alfa).get("/").content.decode()
    assert "<strong>Ana Alfa</strong> invitó a una persona a unirse (1 rol/es)" in html
    assert "nuevo@alfa.test" not in html  # members without the managing role do not see emails


# 8 of the page itself and 20 of the municipal dashboard (2 of them the pieces waiting for
# the approval of the system counterpart viewing it), here with no data yet (an empty
# list skips its follow-up queries; tests/dashboard/test_query_counts.py shows that with
# data the count does not grow with its size).
QUERIES_WITH_DASHBOARD = 28


def test_workspace_home_runs_a_fixed_number_of_queries(w: World, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for(w.admin_alfa, w.alfa)
    client.get("/")  # warm caches (content types, translations)
    # search_path to public, domain+municipality, search_path to the municipality, session,
    # user, roles, member count, activity, and the municipal dashboard's fixed number of
    # reads (tests/dashboard/test_query_counts.py checks that it does not grow with the data)
    with django_assert_num_queries(QUERIES_WITH_DASHBOARD):
        assert client.get("/").status_code == 200
