"""The public accountability pages (no login), citizens' opinions and their moderation;
the public prefix in the access middleware; two-tenant isolation."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
import time_machine
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from tenants import services as platform_services
from tenants.db import use_municipality, use_public_schema
from tenants.initiatives import services
from tenants.initiatives.models import Initiative, Milestone, Opinion, OpinionStatus, ProductKind
from tenants.structure import services as structure_services
from tests.conftest import World, client_for
from tests.initiatives.conftest import make_initiative

TEXT = "Ojalá el agua llegue también a la parte alta del barrio."


def aged_token(seconds: int = 60) -> str:
    """A form token signed `seconds` ago: as if a person had taken that long to write."""
    with time_machine.travel(timezone.now() - timedelta(seconds=seconds), tick=False):
        return services.form_token()


_addresses = itertools.count(1)


def opinion(initiative: Initiative, text: str = TEXT, *, name: str = "") -> Opinion:
    """Submit an opinion as a citizen would (through the service), each from its own
    address so the hourly limit stays out of the way. Call inside the schema."""
    address = f"10.0.{next(_addresses) % 250}.1"
    return services.opinion_submit(
        initiative=initiative, author_name=name, text=text, address=address, token=aged_token()
    )


def beta_initiative(w: World, name: str = "Alumbrado público de Beta") -> Initiative:
    """A public, programmed initiative of Beta. Call inside Beta."""
    start = date.today() - timedelta(days=10)
    initiative = services.initiative_save(
        actor=None,
        data={
            "name": name, "objective": "Iluminar todas las calles de Beta.", "product_kind": ProductKind.PUBLIC_WORK,
            "manager_id": w.admin_beta.pk, "start_date": start, "target_date": start + timedelta(days=100),
            "is_public": True,
        },
    )  # fmt: skip
    services.milestone_save(
        actor=None,
        initiative=initiative,
        data={"name": "Licitación", "due_date": start + timedelta(days=50), "responsible_id": w.admin_beta.pk},
    )
    return services.programming_close(actor=None, initiative=initiative)


def post_opinion(client: Client, pk: int, *, address: str = "127.0.0.1", **overrides: str) -> HttpResponse:
    """Send the public form as a person who took a minute to write."""
    data = {"author_name": "Rosa", "text": TEXT, "token": aged_token(), "sitio_web": "", **overrides}
    use_public_schema()
    return client.post(f"/publico/iniciativas/{pk}/", data, REMOTE_ADDR=address)  # type: ignore[return-value]


# --- What the public sees ------------------------------------------------------------------


def test_anonymous_sees_only_public_initiatives(in_alfa: World) -> None:
    w = in_alfa
    levels = structure_services.place_level_set_save(actor=None, name="División", levels=["Barrio"])
    place = structure_services.place_save(
        actor=None, data={"code": "B1", "name": "Barrio Norte", "level": levels.levels.get()}
    )
    theme = structure_services.theme_save(actor=None, data={"code": "T1", "name": "Servicios básicos"})
    public, milestones = make_initiative(w, is_public=True, close=True, places=[place], themes=[theme])
    services.milestone_complete(
        actor=None, milestone=Milestone.objects.get(pk=milestones[0].pk), completed_on=date.today(),
        evidence_text="Acta firmada por Juan Secreto", evidence_url="https://evidencia.test/acta-privada",
    )  # fmt: skip
    private, _ = make_initiative(w, name="Plan interno de compras", close=True)
    draft, _ = make_initiative(w, name="Borrador de parque", is_public=True)
    cancelled, _ = make_initiative(w, name="Puente cancelado", is_public=True, close=True)
    services.initiative_set_status(actor=None, initiative=cancelled, status="cancelled", comment="Sin fondos")
    use_public_schema()
    client = client_for(None, w.alfa)

    listing = client.get("/publico/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Agua potable para el barrio Norte" in html and "Barrio Norte" in html
    assert "Plan interno" not in html and "Borrador de parque" not in html and "Puente cancelado" not in html
    assert "Municipio Alfa" in html  # the header names the municipality
    assert 'class="light light-' in html and "<meter" in html

    use_public_schema()
    detail = client.get(f"/publico/iniciativas/{public.pk}/")
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "Que 300 familias tengan agua potable en casa." in page
    assert "Obra pública" in page and "Servicios básicos" in page and "Barrio Norte" in page
    assert "Meta 1" in page and "Meta 3" in page and "Cumplida el" in page
    # No personal data: not the manager, not follow-up, not the evidence.
    for secret in ("Gustavo Gerente", "gerente@alfa.test", "Sofía Seguimiento", "Juan Secreto", "acta-privada"):
        assert secret not in page, secret
    # The form: optional name, text, the honeypot and the signed token.
    assert 'name="author_name"' in page and 'name="text"' in page
    assert 'name="sitio_web"' in page and 'name="token"' in page
    # No workspace navigation for the public.
    assert 'href="/iniciativas/"' not in page and 'href="/estructura/"' not in page

    for hidden in (private, draft, cancelled):
        use_public_schema()
        assert client.get(f"/publico/iniciativas/{hidden.pk}/").status_code == 404
        assert client.post(f"/publico/iniciativas/{hidden.pk}/", {"text": TEXT}).status_code == 404
    assert client.get("/publico/iniciativas/999999/").status_code == 404


def test_only_approved_opinions_appear_and_replies_only_on_them(in_alfa: World) -> None:
    w = in_alfa
    initiative, _ = make_initiative(w, is_public=True, close=True)
    approved = opinion(initiative, "Muy buena obra, gracias por avisar.", name="Rosa")
    services.opinion_moderate(actor=w.editor_alfa, opinion=approved, status=OpinionStatus.APPROVED)
    services.opinion_moderate(
        actor=w.editor_alfa, opinion=approved, status=OpinionStatus.APPROVED, reply="Gracias, Rosa: la obra sigue."
    )
    opinion(initiative, "Esta opinión espera moderación todavía.")
    withdrawn = opinion(initiative, "Esta opinión fue publicada y después retirada.")
    services.opinion_moderate(
        actor=w.editor_alfa, opinion=withdrawn, status=OpinionStatus.APPROVED, reply="Respuesta que ya no se ve."
    )
    services.opinion_moderate(actor=w.editor_alfa, opinion=withdrawn, status=OpinionStatus.REJECTED)
    rejected = opinion(initiative, "Insultos que el municipio rechaza.")
    services.opinion_moderate(actor=w.mayor_alfa, opinion=rejected, status=OpinionStatus.REJECTED)
    use_public_schema()
    page = client_for(None, w.alfa).get(f"/publico/iniciativas/{initiative.pk}/").content.decode()
    assert "Muy buena obra" in page and "Rosa" in page
    assert "Gracias, Rosa: la obra sigue." in page and "Respuesta de Municipio Alfa" in page
    assert "espera moderación" not in page
    assert "publicada y después retirada" not in page and "Respuesta que ya no se ve." not in page
    assert "Insultos" not in page
    # Moderators' names are not shown to the public either.
    assert "Elena Editora" not in page and "Marta Alcaldesa" not in page


def test_citizen_leaves_an_opinion_and_is_told_about_moderation(in_alfa: World) -> None:
    initiative, _ = make_initiative(in_alfa, is_public=True, close=True)
    use_public_schema()
    client = client_for(None, in_alfa.alfa)
    sent = post_opinion(client, initiative.pk, author_name="")
    assert sent.status_code == 302 and sent["Location"] == f"/publico/iniciativas/{initiative.pk}/?enviada=1#opinar"
    use_public_schema()
    after = client.get(sent["Location"]).content.decode()
    assert "Su opinión se publicará después de que el municipio la revise." in after
    assert TEXT not in after  # not before moderation
    use_municipality(in_alfa.alfa)
    saved = Opinion.objects.get()
    assert saved.status == OpinionStatus.PENDING and saved.author_name == "" and saved.text == TEXT
    # The address is kept only as a keyed hash.
    assert saved.sender_hash and "127.0.0.1" not in saved.sender_hash and len(saved.sender_hash) == 64


def test_spam_and_floods_are_refused_and_nothing_is_saved(in_alfa: World) -> None:
    initiative, _ = make_initiative(in_alfa, is_public=True, close=True)
    use_public_schema()
    client = client_for(None, in_alfa.alfa)

    def count() -> int:
        use_municipality(in_alfa.alfa)
        n = Opinion.objects.count()
        use_public_schema()
        return n

    honeypot = post_opinion(client, initiative.pk, sitio_web="http://casino.test")
    assert honeypot.status_code == 400 and "No pudimos recibir su mensaje" in honeypot.content.decode()
    too_fast = post_opinion(client, initiative.pk, token=services.form_token())
    assert too_fast.status_code == 400 and "Espere unos segundos" in too_fast.content.decode()
    forged = post_opinion(client, initiative.pk, token="opinion:1abc:forged")
    assert forged.status_code == 400 and "El formulario caducó" in forged.content.decode()
    links = post_opinion(client, initiative.pk, text="Vea http://a.test http://b.test www.c.test")
    assert links.status_code == 400 and 'id="id_text_error"' in links.content.decode()
    short = post_opinion(client, initiative.pk, text="corto")
    assert short.status_code == 400
    page = short.content.decode()
    assert 'id="id_text_error"' in page and "al menos 10 caracteres" in page
    assert 'value="Rosa"' in page  # what the person wrote is kept
    assert count() == 0

    for n in range(3):
        assert post_opinion(client, initiative.pk, text=f"{TEXT} ({n})").status_code == 302
    fourth = post_opinion(client, initiative.pk, text=f"{TEXT} (cuarta)")
    assert fourth.status_code == 400 and "Ya envió 3 mensajes en la última hora" in fourth.content.decode()
    assert count() == 3
    # Another address is not affected by this one's limit.
    assert post_opinion(client, initiative.pk, text=f"{TEXT} (vecina)", address="192.0.2.7").status_code == 302
    assert count() == 4
    # An hour later the same address may write again.
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert post_opinion(client, initiative.pk, text=f"{TEXT} (una hora después)").status_code == 302


def test_english_errors(in_alfa: World) -> None:
    initiative, _ = make_initiative(in_alfa, is_public=True, close=True)
    use_public_schema()
    client = client_for(None, in_alfa.alfa)
    client.cookies["sigobito_language"] = "en"
    page = post_opinion(client, initiative.pk, text="").content.decode()
    assert 'lang="en"' in page and 'id="id_text_error"' in page


# --- Moderation --------------------------------------------------------------------------


def test_moderators_publish_reply_and_reject_through_the_page(in_alfa: World) -> None:
    w = in_alfa
    initiative, _ = make_initiative(w, is_public=True, close=True)
    first = opinion(initiative, "Primera opinión de la vecina.", name="Rosa")
    second = opinion(initiative, "Segunda opinión, con palabras feas.")
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)
    page = editor.get("/iniciativas/opiniones/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 opiniones pendientes de moderación." in html
    assert "Primera opinión" in html and "Segunda opinión" in html

    use_public_schema()
    published = editor.post(
        f"/iniciativas/opiniones/{first.pk}/",
        {"action": "publish", "reply": "Gracias por escribir.", "back": "pending"},
    )
    assert published.status_code == 302 and published["Location"] == "/iniciativas/opiniones/"
    use_public_schema()
    editor.post(f"/iniciativas/opiniones/{second.pk}/", {"action": "reject", "back": "pending"})
    use_municipality(w.alfa)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == OpinionStatus.APPROVED and first.reply == "Gracias por escribir." and first.replied_at
    assert first.moderated_by_label and second.status == OpinionStatus.REJECTED
    use_public_schema()
    assert "0 opiniones pendientes" in editor.get("/iniciativas/opiniones/").content.decode()
    use_public_schema()
    approved_list = editor.get("/iniciativas/opiniones/?estado=approved").content.decode()
    assert "Primera opinión" in approved_list and "Segunda opinión" not in approved_list
    use_public_schema()
    assert "Segunda opinión" in editor.get("/iniciativas/opiniones/?estado=rejected").content.decode()

    # Edit the reply of a published opinion; the public page follows.
    use_public_schema()
    edited = editor.post(
        f"/iniciativas/opiniones/{first.pk}/", {"action": "reply", "reply": "Respuesta corregida.", "back": "approved"}
    )
    assert edited["Location"] == "/iniciativas/opiniones/?estado=approved"
    use_public_schema()
    public = client_for(None, w.alfa).get(f"/publico/iniciativas/{initiative.pk}/").content.decode()
    assert "Primera opinión" in public and "Respuesta corregida." in public and "Gracias por escribir." not in public
    assert "palabras feas" not in public

    # A reply on a rejection is refused by the service and shown as an error; GET is not allowed.
    use_public_schema()
    refused = editor.post(
        f"/iniciativas/opiniones/{second.pk}/", {"action": "reply", "reply": "x" * 4001, "back": "rejected"}
    )
    assert refused.status_code == 302
    use_public_schema()
    assert editor.get(f"/iniciativas/opiniones/{second.pk}/").status_code == 405
    use_municipality(w.alfa)
    second.refresh_from_db()
    assert second.status == OpinionStatus.REJECTED and second.reply == ""


@pytest.mark.parametrize("who", ["admin_alfa", "mayor_alfa", "editor_alfa"])
def test_moderator_roles_open_the_page(w: World, who: str) -> None:
    use_public_schema()
    assert client_for(getattr(w, who), w.alfa).get("/iniciativas/opiniones/").status_code == 200


@pytest.mark.parametrize("who", ["manager_alfa", "followup_alfa"])
def test_other_members_get_403_on_moderation(in_alfa: World, who: str) -> None:
    initiative, _ = make_initiative(in_alfa, is_public=True, close=True)
    pending = opinion(initiative)
    use_public_schema()
    client = client_for(getattr(in_alfa, who), in_alfa.alfa)
    assert client.get("/iniciativas/opiniones/").status_code == 403
    use_public_schema()
    assert client.post(f"/iniciativas/opiniones/{pending.pk}/", {"action": "publish"}).status_code == 403
    use_municipality(in_alfa.alfa)
    pending.refresh_from_db()
    assert pending.status == OpinionStatus.PENDING


# --- Access: the public prefix opens only the public pages ---------------------------------


def test_public_prefix_opens_nothing_else(in_alfa: World) -> None:
    initiative, _ = make_initiative(in_alfa, is_public=True, close=True)
    pending = opinion(initiative)
    use_public_schema()
    anonymous = client_for(None, in_alfa.alfa)
    for path in ("/", "/iniciativas/", "/iniciativas/opiniones/", f"/iniciativas/{initiative.pk}/", "/publicos/"):
        use_public_schema()
        response = anonymous.get(path)
        assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"], path
    use_public_schema()
    moderate = anonymous.post(f"/iniciativas/opiniones/{pending.pk}/", {"action": "publish"})
    assert moderate.status_code == 302 and "/cuenta/entrar/" in moderate["Location"]
    use_public_schema()
    assert anonymous.get("/publico/no-existe/").status_code == 404
    use_municipality(in_alfa.alfa)
    pending.refresh_from_db()
    assert pending.status == OpinionStatus.PENDING


def test_non_members_see_the_public_pages_but_nothing_else(in_alfa: World) -> None:
    initiative, _ = make_initiative(in_alfa, is_public=True, close=True)
    use_public_schema()
    outsider = client_for(in_alfa.outsider, in_alfa.alfa)
    page = outsider.get(f"/publico/iniciativas/{initiative.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Municipio Alfa" in html  # named on its public pages
    assert 'href="/iniciativas/"' not in html  # but no workspace navigation
    use_public_schema()
    assert outsider.get("/publico/").status_code == 200
    for path in ("/", "/iniciativas/", "/iniciativas/opiniones/"):
        use_public_schema()
        response = outsider.get(path)
        assert response.status_code == 404 and "Municipio Alfa" not in response.content.decode(), path
    # A member keeps the workspace navigation on the public pages.
    use_public_schema()
    member = client_for(in_alfa.manager_alfa, in_alfa.alfa).get("/publico/").content.decode()
    assert 'href="/iniciativas/"' in member


def test_deactivated_municipality_public_pages_answer_410(in_alfa: World) -> None:
    initiative, _ = make_initiative(in_alfa, is_public=True, close=True)
    use_public_schema()
    platform_services.municipality_deactivate(actor=None, municipality=in_alfa.alfa)
    client = client_for(None, in_alfa.alfa)
    for path in ("/publico/", f"/publico/iniciativas/{initiative.pk}/"):
        use_public_schema()
        response = client.get(path)
        assert response.status_code == 410
        assert "Agua potable" not in response.content.decode()


# --- Isolation ----------------------------------------------------------------------------


def test_isolation_between_municipalities(w: World) -> None:
    use_municipality(w.beta)
    beta = beta_initiative(w)
    opinion(beta, "Opinión de una vecina de Beta.")
    beta_ids = set(Initiative.objects.values_list("pk", flat=True))
    beta_opinion_ids = set(Opinion.objects.values_list("pk", flat=True))
    use_municipality(w.alfa)
    alfa, _ = make_initiative(w, name="Secreto público de Alfa", is_public=True, close=True)
    while alfa.pk in beta_ids:  # schemas have their own sequences: make the ids differ
        alfa, _ = make_initiative(w, name="Secreto público de Alfa", is_public=True, close=True)
    alfa_opinion = opinion(alfa, "Opinión que solo Alfa modera.")
    while alfa_opinion.pk in beta_opinion_ids:  # as above: an id that Beta does not have
        alfa_opinion = opinion(alfa, "Opinión que solo Alfa modera.")
    use_public_schema()

    anonymous_beta = client_for(None, w.beta)
    assert anonymous_beta.get(f"/publico/iniciativas/{alfa.pk}/").status_code == 404
    use_public_schema()
    beta_list = anonymous_beta.get("/publico/").content.decode()
    assert "Alumbrado público de Beta" in beta_list and "Secreto público de Alfa" not in beta_list
    use_public_schema()
    assert post_opinion(anonymous_beta, alfa.pk).status_code == 404

    use_public_schema()
    beta_admin = client_for(w.admin_beta, w.beta)
    moderation = beta_admin.get("/iniciativas/opiniones/").content.decode()
    assert "Opinión de una vecina de Beta." in moderation and "solo Alfa modera" not in moderation
    use_public_schema()
    assert beta_admin.post(f"/iniciativas/opiniones/{alfa_opinion.pk}/", {"action": "publish"}).status_code == 404
    # Alfa's moderators are strangers on Beta's domain.
    use_public_schema()
    assert client_for(w.admin_alfa, w.beta).get("/iniciativas/opiniones/").status_code == 404
    use_municipality(w.alfa)
    alfa_opinion.refresh_from_db()
    assert alfa_opinion.status == OpinionStatus.PENDING


def test_landing_links_each_municipality_public_page(w: World) -> None:
    use_public_schema()
    html = client_for(None).get("/").content.decode()
    assert 'href="http://alfa.localhost/publico/"' in html and 'href="http://beta.localhost/publico/"' in html
