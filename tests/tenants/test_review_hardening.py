"""Isolation, data-minimisation and robustness details of the foundation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from rest_framework.authtoken.models import Token

from tenants import services
from tenants.accounts.ratelimit import client_address
from tenants.models import Invitation
from tests.conftest import ALFA_MEMBERS, World, client_for


def test_members_api_shows_emails_only_to_member_managers(w: World) -> None:
    managers_view = client_for(w.admin_alfa, w.alfa).get("/api/v1/members/").json()
    editors_view = client_for(w.editor_alfa, w.alfa).get("/api/v1/members/").json()
    assert {m["email"] for m in managers_view} == ALFA_MEMBERS
    assert {m["email"] for m in editors_view} == {None}
    assert {m["full_name"] for m in editors_view} == {
        "Ana Alfa", "Marta Alcaldesa", "Elena Editora", "Gustavo Gerente", "Sofía Seguimiento",
    }  # fmt: skip


def test_workspace_api_docs_are_for_members_only(w: World) -> None:
    token = Token.objects.create(user=w.admin_alfa)
    for path in ["/api/schema/", "/api/docs/"]:
        assert client_for(None, w.beta).get(path, HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 404
        assert client_for(None, w.beta).get(path).status_code == 401
        assert client_for(None, w.alfa).get(path, HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200


def test_deactivated_workspace_answers_410_without_naming_it(w: World) -> None:
    services.municipality_deactivate(actor=None, municipality=w.beta)
    page = client_for(w.admin_beta, w.beta).get("/")
    assert page.status_code == 410
    html = page.content.decode()
    assert "Municipio Beta" not in html and "desactivado" in html
    assert page["X-Content-Type-Options"] == "nosniff"  # the security layer ran
    api = client_for(w.admin_beta, w.beta).get("/api/v1/workspace/")
    assert api.status_code == 410 and api.json()["detail"]
    english = client_for(None, w.beta)
    english.cookies["sigobito_language"] = "en"
    assert "This workspace is deactivated" in english.get("/").content.decode()
    assert client_for(None, w.beta).get("/healthz").status_code == 200


def test_host_names_are_case_insensitive(w: World) -> None:
    assert client_for(w.admin_alfa, None).get("/", HTTP_HOST="ALFA.LocalHost").status_code == 200


def test_roles_cannot_be_given_to_a_non_member_through_the_service(w: World) -> None:
    with pytest.raises(ValidationError) as info:
        services.membership_set_roles(actor=w.admin_alfa, municipality=w.alfa, user=w.admin_beta, roles=["mayor"])
    assert "user" in info.value.message_dict


def test_provisioning_checks_a_given_admin_password(w: World) -> None:
    with pytest.raises(ValidationError) as info:
        services.municipality_create(
            actor=None, name="San Pedro", slug="san-pedro", country="HN", time_zone="America/Tegucigalpa",
            admin_email="jefa@sanpedro.test", admin_password="123",
        )  # fmt: skip
    assert "admin_password" in info.value.message_dict


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_address_behind_one_trusted_proxy() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    # The client may forge entries on the left; the proxy appends what it saw on the right.
    assert client_address(request) == "203.0.113.7"


@override_settings(LOGIN_RATE_LIMIT_ATTEMPTS=100, LOGIN_RATE_LIMIT_ADDRESS_ATTEMPTS=3)
def test_one_address_guessing_many_accounts_is_stopped(w: World) -> None:
    client = client_for(None, w.alfa)
    for i in range(3):
        client.post("/cuenta/entrar/", {"username": f"nadie{i}@alfa.test", "password": "x"})
    blocked = client.post("/cuenta/entrar/", {"username": w.admin_alfa.email, "password": "x"})
    assert blocked.status_code == 429


def test_readyz_does_not_reveal_error_details(w: World) -> None:
    with override_settings(BROKER_CONFIGURED=True, CELERY_BROKER_URL="redis://secret-host.internal:1/0"):
        body = client_for(None).get("/readyz").json()
    assert body["checks"]["broker"] == "unavailable"
    assert "secret-host" not in str(body)


def test_admin_cannot_add_invitations_or_edit_municipalities(w: World) -> None:
    admin = client_for(w.platform_admin)
    assert admin.get("/admin/tenants/invitation/add/").status_code == 403
    assert admin.get("/admin/tenants/municipality/add/").status_code == 403
    detail = admin.get(f"/admin/tenants/municipality/{w.alfa.pk}/change/")
    assert detail.status_code == 200 and 'name="name"' not in detail.content.decode()
    assert Invitation.objects.count() == 0
