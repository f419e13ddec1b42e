from __future__ import annotations

import re

from django.core import mail
from django.test import Client, override_settings

from tests.conftest import PASSWORD, World, client_for


def login(client: Client, email: str, password: str) -> object:
    return client.post("/cuenta/entrar/", {"username": email, "password": password})


def test_one_login_works_on_every_workspace_of_the_user(w: World) -> None:
    for municipality in (w.alfa, w.beta):
        client = client_for(None, municipality)
        admin = w.admin_alfa if municipality == w.alfa else w.admin_beta
        response = login(client, admin.email.upper(), PASSWORD)  # email is case-insensitive
        assert response.status_code == 302 and response["Location"] == "/"
        assert client.get("/").status_code == 200


def test_wrong_password_says_what_to_check(w: World) -> None:
    response = login(client_for(None, w.alfa), w.admin_alfa.email, "incorrecta")
    assert response.status_code == 200
    assert "El correo o la contraseña no son correctos" in response.content.decode()


@override_settings(LOGIN_RATE_LIMIT_ATTEMPTS=3)
def test_login_attempts_are_rate_limited_per_account(w: World) -> None:
    for _ in range(3):
        assert login(client_for(None, w.alfa), w.admin_alfa.email, "mala").status_code == 200
    # Even the right password is refused now, from another host and another "client".
    blocked = login(client_for(None, w.beta), w.admin_alfa.email, PASSWORD)
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.content.decode()  # Beta's language is English
    # Another account is not affected by this one's failures (the address limit is separate).
    other = Client(HTTP_HOST="beta.localhost", REMOTE_ADDR="10.0.0.9")
    assert login(other, w.admin_beta.email, PASSWORD).status_code == 302


@override_settings(LOGIN_RATE_LIMIT_ATTEMPTS=3)
def test_token_endpoint_shares_the_rate_limit(w: World) -> None:
    client = client_for(None)
    for _ in range(3):
        bad = client.post("/api/v1/auth/token/", {"email": w.mayor_alfa.email, "password": "no"})
        assert bad.status_code == 400
    assert client.post("/api/v1/auth/token/", {"email": w.mayor_alfa.email, "password": PASSWORD}).status_code == 429


def test_token_endpoint_gives_a_working_token(w: World) -> None:
    response = client_for(None).post("/api/v1/auth/token/", {"email": w.mayor_alfa.email, "password": PASSWORD})
    token = response.json()["token"]
    me = client_for(None, w.alfa).get("/api/v1/workspace/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200 and me.json()["my_roles"] == ["mayor"]


def test_logout(w: World) -> None:
    client = client_for(w.admin_alfa, w.alfa)
    response = client.post("/cuenta/salir/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_password_reset_by_email(w: World) -> None:
    client = client_for(None, w.alfa)
    response = client.post("/cuenta/contrasena/olvido/", {"email": w.mayor_alfa.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [w.mayor_alfa.email]
    link = re.search(r"http://alfa\.localhost(/cuenta/contrasena/nueva/\S+)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    post_url = form_page.redirect_chain[-1][0]
    done = client.post(post_url, {"new_password1": "una-clave-nueva-larga", "new_password2": "una-clave-nueva-larga"})
    assert done.status_code == 302
    assert login(client_for(None, w.alfa), w.mayor_alfa.email, "una-clave-nueva-larga").status_code == 302


def test_password_reset_for_unknown_email_reveals_nothing(w: World) -> None:
    response = client_for(None).post("/cuenta/contrasena/olvido/", {"email": "nadie@nada.test"})
    assert response.status_code == 302
    assert mail.outbox == []


@override_settings(LOGIN_RATE_LIMIT_ATTEMPTS=2)
def test_admin_logins_are_the_same_rate_limited_page(w: World) -> None:
    for path in ["/admin/login/", "/cms/login/"]:
        client = client_for(None)
        for _ in range(2):
            client.post(path, {"username": w.platform_admin.email, "password": "mala"})
        assert client.post(path, {"username": w.platform_admin.email, "password": PASSWORD}).status_code == 429
        from django.core.cache import caches

        caches["platform"].clear()
    # Wagtail sends people who are not logged in to the platform's login page.
    response = client_for(None).get("/cms/")
    assert response.status_code == 302 and response["Location"].startswith("/cuenta/entrar/")
