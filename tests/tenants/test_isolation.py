"""A user with no membership in a municipality gets a 404 for everything under its domain,
pages and API alike, whether logged in by session or by token."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from tests.conftest import ALFA_MEMBERS, World, client_for

WORKSPACE_PAGES = ["/", "/miembros/", "/no-existe/", "/api/docs/", "/api/schema/"]
WORKSPACE_API = ["/api/v1/workspace/", "/api/v1/members/", "/api/v1/invitations/"]


@pytest.mark.parametrize("path", WORKSPACE_PAGES + WORKSPACE_API)
def test_member_of_alfa_gets_404_everywhere_in_beta(w: World, path: str) -> None:
    response = client_for(w.admin_alfa, w.beta).get(path)
    assert response.status_code == 404
    assert b"Municipio Beta" not in response.content
    assert b"admin@beta.test" not in response.content


@pytest.mark.parametrize("path", WORKSPACE_API)
def test_token_of_alfa_member_gets_404_in_beta_api(w: World, path: str) -> None:
    token = Token.objects.create(user=w.admin_alfa)
    client = client_for(None, w.beta)
    response = client.get(path, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 404
    # ...while the same token works in the user's own municipality.
    assert client_for(None, w.alfa).get(path, HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200


def test_outsider_gets_404_on_both(w: World) -> None:
    for municipality in (w.alfa, w.beta):
        assert client_for(w.outsider, municipality).get("/").status_code == 404
        assert (
            client_for(w.outsider, municipality).post("/api/v1/invitations/", {"email": "x@y.test"}).status_code == 404
        )


def test_platform_admin_without_membership_sees_no_tenant_data(w: World) -> None:
    assert client_for(w.platform_admin, w.alfa).get("/").status_code == 404
    assert client_for(w.platform_admin, w.alfa).get("/api/v1/members/").status_code == 404


def test_members_see_only_their_own_municipality(w: World) -> None:
    alfa = client_for(w.admin_alfa, w.alfa).get("/api/v1/members/").json()
    beta = client_for(w.admin_beta, w.beta).get("/api/v1/members/").json()
    assert {m["email"] for m in alfa} == ALFA_MEMBERS
    assert {m["email"] for m in beta} == {"admin@beta.test"}
    page = client_for(w.admin_alfa, w.alfa).get("/miembros/").content.decode()
    assert "mayor@alfa.test" in page and "admin@beta.test" not in page


def test_anonymous_is_sent_to_login_for_pages_and_refused_by_api(w: World) -> None:
    response = client_for(None, w.alfa).get("/miembros/")
    assert response.status_code == 302 and response["Location"].startswith("/cuenta/entrar/?next=")
    api = client_for(None, w.alfa).get("/api/v1/workspace/")
    assert api.status_code == 401
    assert client_for(None, w.alfa).get("/cuenta/entrar/").status_code == 200


def test_unknown_host_is_404(w: World) -> None:
    assert client_for(None).get("/", HTTP_HOST="gamma.localhost").status_code == 404


def test_audit_events_stay_in_their_schema(w: World) -> None:
    from django.db import connection

    from tenants import services
    from tenants.workspace.models import AuditEvent

    connection.set_tenant(w.alfa)
    services.invitation_create(actor=w.admin_alfa, municipality=w.alfa, email="nuevo@alfa.test", roles=["mayor"])
    assert AuditEvent.objects.filter(action="invitation.create").count() == 1
    connection.set_tenant(w.beta)
    assert AuditEvent.objects.filter(action="invitation.create").count() == 0
