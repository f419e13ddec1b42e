from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from tenants import services
from tenants.models import Invitation, Membership
from tenants.roles import MunicipalRole
from tests.conftest import World, client_for


def invite(w: World, email: str, roles: list[str]) -> str:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(w.admin_alfa, w.alfa).post("/miembros/", {"email": email, "roles": roles})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert mail.outbox, "no invitation email"
    match = re.search(r"https?://alfa\.localhost(?::\d+)?(/cuenta/invitacion/[^/\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_invite_a_new_person_who_creates_an_account(w: World) -> None:
    path = invite(w, "nueva@alfa.test", [MunicipalRole.AGENDA_MANAGER, MunicipalRole.INITIATIVE_MANAGER])
    assert "Municipio Alfa" in mail.outbox[-1].subject
    client = client_for(None, w.alfa)
    page = client.get(path)
    assert page.status_code == 200 and "nueva@alfa.test" in page.content.decode()
    bad = client.post(path, {"full_name": "", "password1": "123", "password2": "456"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert 'id="id_full_name_error"' in html and "no coinciden" in html
    weak = client.post(path, {"full_name": "Nueva", "password1": "123", "password2": "123"})
    assert 'id="id_password1_error"' in weak.content.decode()
    assert not Membership.objects.filter(user__email="nueva@alfa.test").exists()
    done = client.post(
        path, {"full_name": "Nueva Persona", "password1": "clave-segura-2026", "password2": "clave-segura-2026"}
    )
    assert done.status_code == 302
    roles = set(
        Membership.objects.filter(user__email="nueva@alfa.test", municipality=w.alfa).values_list("role", flat=True)
    )
    assert roles == {MunicipalRole.AGENDA_MANAGER, MunicipalRole.INITIATIVE_MANAGER}
    assert client.get("/").status_code == 200  # logged in and a member
    assert client.get(path).status_code == 410  # used


def test_existing_account_accepts_while_logged_in(w: World) -> None:
    path = invite(w, w.admin_beta.email, [MunicipalRole.MAYOR])
    anonymous = client_for(None, w.alfa).get(path).content.decode()
    assert "Inicie sesión" in anonymous or "inicie sesión" in anonymous
    wrong_user = client_for(w.mayor_alfa, w.alfa).post(path)
    assert (
        wrong_user.status_code == 200 and not Membership.objects.filter(user=w.admin_beta, municipality=w.alfa).exists()
    )
    client = client_for(w.admin_beta, w.alfa)  # not a member yet, may still open the invitation
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(user=w.admin_beta, municipality=w.alfa, role=MunicipalRole.MAYOR).exists()


def test_invitation_only_works_on_its_own_municipality(w: World) -> None:
    path = invite(w, "otra@alfa.test", [MunicipalRole.MAYOR])
    assert client_for(None, w.beta).get(path).status_code == 404


def test_expired_and_replaced_invitations_are_refused(w: World) -> None:
    first = invite(w, "tarde@alfa.test", [MunicipalRole.MAYOR])
    second = invite(w, "tarde@alfa.test", [MunicipalRole.AGENDA_MANAGER])
    assert client_for(None, w.alfa).get(first).status_code == 410  # replaced by the second
    Invitation.objects.filter(email="tarde@alfa.test", revoked_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert client_for(None, w.alfa).get(second).status_code == 410


def test_invitation_form_errors_name_the_field(w: World) -> None:
    response = client_for(w.admin_alfa, w.alfa).post("/miembros/", {"email": "no-es-correo", "roles": []})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_email_error"' in html and 'id="id_roles_error"' in html
    assert Invitation.objects.filter(municipality=w.alfa).count() == 0


def test_api_invitation_bad_input(w: World) -> None:
    response = client_for(w.admin_alfa, w.alfa).post(
        "/api/v1/invitations/", {"email": "x", "roles": ["emperador"]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"email", "roles"}


def test_already_member_with_same_roles_is_an_error(w: World) -> None:
    with pytest.raises(ValidationError) as info:
        services.invitation_create(actor=w.admin_alfa, municipality=w.alfa, email=w.mayor_alfa.email, roles=["mayor"])
    assert "email" in info.value.message_dict


def test_change_roles_and_keep_one_system_counterpart(w: World) -> None:
    client = client_for(w.admin_alfa, w.alfa)
    client.post(f"/miembros/{w.mayor_alfa.pk}/roles/", {f"m{w.mayor_alfa.pk}-roles": ["mayor", "agenda_manager"]})
    assert set(Membership.objects.filter(user=w.mayor_alfa, municipality=w.alfa).values_list("role", flat=True)) == {
        "mayor",
        "agenda_manager",
    }
    response = client.post(f"/miembros/{w.admin_alfa.pk}/roles/", {f"m{w.admin_alfa.pk}-roles": ["mayor"]}, follow=True)
    assert "al menos una contraparte del sistema" in response.content.decode()
    assert Membership.objects.filter(user=w.admin_alfa, municipality=w.alfa, role="system_counterpart").exists()
    # Removing every role removes access.
    client.post(f"/miembros/{w.editor_alfa.pk}/roles/", {})
    assert client_for(w.editor_alfa, w.alfa).get("/").status_code == 404
    # A person of another municipality cannot be edited from here.
    assert client.post(f"/miembros/{w.admin_beta.pk}/roles/", {}).status_code == 404


def test_provisioned_admin_sets_password_through_invitation(w: World) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = services.municipality_create(
            actor=None, name="San Pedro", slug="san-pedro", country="HN", time_zone="America/Tegucigalpa",
            admin_email="jefa@sanpedro.test",
        )  # fmt: skip
    assert result.invitation is not None
    (message,) = mail.outbox
    assert message.to == ["jefa@sanpedro.test"] and "San Pedro" in message.subject
    path = re.search(r"https?://san-pedro\.localhost(?::\d+)?(/cuenta/invitacion/[^/\s]+/)", message.body).group(1)  # type: ignore[union-attr]
    client = client_for(None, result.municipality)
    response = client.post(
        path, {"full_name": "Jefa", "password1": "clave-segura-2026", "password2": "clave-segura-2026"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_existing_account_without_password_is_invited_when_made_admin(w: World) -> None:
    from tenants.accounts.models import User

    User.objects.create_user(email="sinclave@otro.test", password=None)
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = services.municipality_create(
            actor=None, name="San Pedro", slug="san-pedro", country="HN", time_zone="America/Tegucigalpa",
            admin_email="sinclave@otro.test",
        )  # fmt: skip
    assert not result.admin_created and result.invitation is not None
    assert [m.to for m in mail.outbox] == [["sinclave@otro.test"]]


def test_the_token_never_leaves_the_email(w: World) -> None:
    """Only the hash is stored and the task's arguments hold the invitation id alone."""
    invitation = services.invitation_create(
        actor=w.admin_alfa, municipality=w.alfa, email="x@alfa.test", roles=["mayor"]
    )
    assert invitation.token_hash is None  # not issued until the email task runs
    from tenants.tasks import send_invitation_email

    send_invitation_email.apply(kwargs={"invitation_id": invitation.pk})
    token = re.search(r"/cuenta/invitacion/([^/\s]+)/", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    invitation.refresh_from_db()
    assert invitation.token_hash == services.hash_token(token) and token not in invitation.token_hash
