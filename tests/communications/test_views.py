"""The workspace pages of communication actions: what each role sees and may do, a whole
journey from a public activity to a published news item, failures shown with their reason,
the results on the initiative and activity pages, and isolation between municipalities."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tenants.agenda import services as agenda_services
from tenants.communications import services
from tenants.communications.adapters import PermanentFailure, Result, WebhookAdapter
from tenants.communications.models import (
    ActionStatus,
    Channel,
    CommunicationAction,
    Piece,
    Publication,
    PublicationStatus,
    SuggestionDecision,
)
from tenants.db import use_municipality, use_public_schema
from tests.agenda.conftest import BOGOTA, in_days
from tests.communications.conftest import make_action, ready_piece
from tests.conftest import World, client_for
from tests.initiatives.conftest import make_initiative


def _html(response: Any) -> str:
    return str(response.content.decode())


def _today() -> date:
    """Alfa's today (America/Bogota), as its pages see it."""
    return datetime.now(BOGOTA).date()


def _activity(title: str = "Inauguración del puente peatonal", days: int = 2) -> Any:
    activity, _overlaps = agenda_services.activity_save(
        actor=None,
        data={
            "title": title, "kind": "event", "starts_at": in_days(days, 10), "ends_at": in_days(days, 12),
            "status": "confirmed", "is_public": True,
        },
    )  # fmt: skip
    return activity


def _webhook(name: str = "Radio comunitaria") -> Channel:
    return services.channel_save(
        actor=None,
        data={"kind": "webhook", "name": name, "endpoint_url": "http://127.0.0.1:9/hook", "max_length": 500},
        credentials={"secret": "s3creto"},
    )


# --- what each role sees ----------------------------------------------------------------------


def test_every_page_renders_for_an_editor(w: World) -> None:
    use_municipality(w.alfa)
    action = make_action(w, title="Campaña de vacunación")
    piece = services.piece_save(
        actor=w.editor_alfa, action=action, data={"kind": "press_release", "title": "Vacunas en las veredas",
                                                  "body": "Texto de la nota."},
    )  # fmt: skip
    channel = _webhook()
    use_public_schema()
    client = client_for(w.editor_alfa, w.alfa)
    month = _today().strftime("%Y-%m")
    pages = {
        "/comunicacion/": ["Campaña de vacunación", "Nueva acción", "Bandeja de sugerencias", "En preparación"],
        "/comunicacion/sugerencias/": ["Bandeja de sugerencias"],
        f"/comunicacion/calendario/?mes={month}": ["Campaña de vacunación", "Mes siguiente", "En preparación"],
        f"/comunicacion/calendario/?mes={month}&vista=lista": ["Campaña de vacunación", "<caption>"],
        "/comunicacion/nueva/": ["Nueva acción comunicacional", "Editor responsable", "Elena Editora"],
        f"/comunicacion/{action.pk}/": ["Campaña de vacunación", "Vacunas en las veredas", "Editar la acción",
                                        "Pendiente de aprobación", "Radio comunitaria"],
        f"/comunicacion/{action.pk}/editar/": ["Editar «Campaña de vacunación»", 'name="version"'],
        f"/comunicacion/{action.pk}/piezas/nueva/": ["Nueva pieza", "Tipo de pieza"],
        f"/comunicacion/{action.pk}/piezas/{piece.pk}/": ["Vacunas en las veredas", "Agregar un archivo",
                                                         "Texto para «Radio comunitaria»", "500"],
        "/comunicacion/canales/": ["Radio comunitaria", "Página de noticias del municipio", "Nuevo canal",
                                   "Configuradas"],
        "/comunicacion/canales/nuevo/": ["Página de Facebook", "?tipo=facebook"],
        "/comunicacion/canales/nuevo/?tipo=facebook": ["Nuevo canal: Página de Facebook", 'type="password"'],
        f"/comunicacion/canales/{channel.pk}/": ["Radio comunitaria", "Déjelo vacío para conservar"],
    }  # fmt: skip
    for url, texts in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = _html(response)
        for text in texts:
            assert text in html, (url, text)
    # The nav of every workspace page links here.
    assert 'href="/comunicacion/"' in _html(client.get("/"))


def test_a_read_only_member_reads_everything_but_changes_nothing(w: World) -> None:
    use_municipality(w.alfa)
    piece = ready_piece(w)
    action = piece.action
    activity = _activity()
    web = services.web_channel()
    use_public_schema()
    reader = client_for(w.followup_alfa, w.alfa)
    for url in ["/comunicacion/", "/comunicacion/sugerencias/", "/comunicacion/calendario/",
                f"/comunicacion/{action.pk}/", "/comunicacion/canales/"]:  # fmt: skip
        response = reader.get(url)
        assert response.status_code == 200, url
        html = _html(response)
        for control in ["Nueva acción", "Editar la acción", "Aceptar", "Publicar en", "Aprobar la pieza",
                        "Nuevo canal", "Marcar como", "Descartar", 'name="require_approval"']:  # fmt: skip
            assert control not in html, (url, control)
    assert "Inauguración del puente peatonal" in _html(reader.get("/comunicacion/sugerencias/"))
    for url in ["/comunicacion/nueva/", f"/comunicacion/{action.pk}/editar/",
                f"/comunicacion/{action.pk}/piezas/nueva/", f"/comunicacion/{action.pk}/piezas/{piece.pk}/",
                "/comunicacion/canales/nuevo/?tipo=webhook", f"/comunicacion/canales/{web.pk}/"]:  # fmt: skip
        assert reader.get(url).status_code == 403, url
    posts = {
        "/comunicacion/nueva/": {"title": "x"},
        f"/comunicacion/{action.pk}/editar/": {"title": "x"},
        f"/comunicacion/{action.pk}/estado/": {"status": "in_preparation"},
        "/comunicacion/sugerencias/aceptar/": {"source": "activity", "source_id": activity.pk},
        "/comunicacion/sugerencias/descartar/": {"source": "activity", "source_id": activity.pk},
        f"/comunicacion/{action.pk}/piezas/nueva/": {"kind": "web_news", "title": "x", "body": "y"},
        f"/comunicacion/{action.pk}/piezas/{piece.pk}/": {"kind": "web_news", "title": "x", "body": "y"},
        f"/comunicacion/{action.pk}/piezas/{piece.pk}/aprobar/": {},
        f"/comunicacion/{action.pk}/piezas/{piece.pk}/archivos/": {},
        f"/comunicacion/{action.pk}/piezas/{piece.pk}/canales/{web.pk}/": {"text": "x"},
        f"/comunicacion/{action.pk}/piezas/{piece.pk}/publicar/{web.pk}/": {},
        "/comunicacion/canales/nuevo/?tipo=webhook": {"name": "x"},
        f"/comunicacion/canales/{web.pk}/": {"name": "x"},
        "/comunicacion/canales/aprobacion/": {},
    }
    for url, data in posts.items():
        assert reader.post(url, data).status_code == 403, url
    use_municipality(w.alfa)
    assert Publication.objects.count() == 0
    assert SuggestionDecision.objects.count() == 0
    assert CommunicationAction.objects.count() == 1
    assert services.settings_for_municipality().require_approval is True
    # An editor who is not an approver sees no approve button and may not approve.
    piece2 = services.piece_save(actor=w.editor_alfa, action=make_action(w), data={
        "kind": "web_news", "title": "Otra", "body": "Texto"})  # fmt: skip
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)
    assert "Aprobar la pieza" not in _html(editor.get(f"/comunicacion/{piece2.action_id}/"))
    assert editor.post(f"/comunicacion/{piece2.action_id}/piezas/{piece2.pk}/aprobar/").status_code == 403


# --- the whole journey ------------------------------------------------------------------------


def test_from_a_public_activity_to_the_news_page(w: World, django_capture_on_commit_callbacks: Any) -> None:
    use_municipality(w.alfa)
    activity = _activity()
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)
    inbox = _html(editor.get("/comunicacion/sugerencias/"))
    assert "Inauguración del puente peatonal" in inbox and "Actividad pública (evento)" in inbox
    assert "1 posible acción" in _html(editor.get("/comunicacion/"))

    # Accept: an identified action, and on to its form to complete it.
    response = editor.post("/comunicacion/sugerencias/aceptar/", {"source": "activity", "source_id": activity.pk})
    use_municipality(w.alfa)
    action = CommunicationAction.objects.get(activity=activity)
    assert response.status_code == 302 and response["Location"] == f"/comunicacion/{action.pk}/editar/"
    assert action.status == ActionStatus.IDENTIFIED and action.editor_id == w.editor_alfa.pk
    use_public_schema()
    assert "No hay sugerencias pendientes." in _html(editor.get("/comunicacion/sugerencias/"))
    # Accepting it again is answered, not crashed.
    again = editor.post(
        "/comunicacion/sugerencias/aceptar/", {"source": "activity", "source_id": activity.pk}, follow=True
    )
    assert "Otra persona ya resolvió esta sugerencia." in _html(again)

    form = _html(editor.get(f"/comunicacion/{action.pk}/editar/"))
    assert "Inauguración del puente peatonal" in form
    saved = editor.post(
        f"/comunicacion/{action.pk}/editar/",
        {"version": action.version, "title": action.title, "origin": "activity", "activity": activity.pk,
         "message": "El puente une los barrios Norte y Centro.", "audience": "Vecinos de ambos barrios",
         "editor_id": w.editor_alfa.pk, "planned_date": action.planned_date.isoformat()},
    )  # fmt: skip
    assert saved.status_code == 302, _html(saved)
    detail = _html(editor.get(f"/comunicacion/{action.pk}/"))
    assert f'href="/agenda/actividades/{activity.pk}/"' in detail
    assert "Vecinos de ambos barrios" in detail

    # Write a piece: the action goes into preparation.
    created = editor.post(
        f"/comunicacion/{action.pk}/piezas/nueva/",
        {"kind": "web_news", "title": "Ya se puede cruzar el río a pie",
         "summary": "El nuevo puente une dos barrios.", "body": "La alcaldesa inauguró el puente."},
    )  # fmt: skip
    use_municipality(w.alfa)
    piece = Piece.objects.get(action=action)
    assert created["Location"] == f"/comunicacion/{action.pk}/piezas/{piece.pk}/"
    use_public_schema()
    detail = _html(editor.get(f"/comunicacion/{action.pk}/"))
    assert "En preparación" in detail and "Pendiente de aprobación" in detail
    # Not yet publishable: the page says what is missing instead of offering the button.
    assert "márquela como lista" in detail and "no está aprobada" in detail
    assert "Publicar en Página de noticias del municipio" not in detail
    # Marking it ready before approval is refused with the reason.
    refused = editor.post(f"/comunicacion/{action.pk}/estado/", {"status": "ready"}, follow=True)
    assert "Todas las piezas deben estar aprobadas" in _html(refused)

    # The mayor approves.
    mayor = client_for(w.mayor_alfa, w.alfa)
    assert "Aprobar la pieza" in _html(mayor.get(f"/comunicacion/{action.pk}/"))
    approved = mayor.post(f"/comunicacion/{action.pk}/piezas/{piece.pk}/aprobar/", {"version": 1}, follow=True)
    assert "Aprobada por Marta Alcaldesa" in _html(approved)

    # Ready, then published on the web channel (the task runs on commit, eagerly in tests).
    ready = editor.post(f"/comunicacion/{action.pk}/estado/", {"status": "ready"}, follow=True)
    assert "Estado actualizado: Lista." in _html(ready)
    assert "Publicar en Página de noticias del municipio" in _html(ready)
    use_municipality(w.alfa)
    web = services.web_channel()
    use_public_schema()
    with django_capture_on_commit_callbacks(execute=True):
        published = editor.post(f"/comunicacion/{action.pk}/piezas/{piece.pk}/publicar/{web.pk}/")
    assert published.status_code == 302
    use_municipality(w.alfa)
    publication = Publication.objects.get(piece=piece, channel=web)
    assert publication.status == PublicationStatus.PUBLISHED and publication.attempts == 1
    action.refresh_from_db()
    assert action.status == ActionStatus.PUBLISHED
    use_public_schema()
    detail = _html(editor.get(f"/comunicacion/{action.pk}/"))
    assert "Publicada el" in detail and f"/publico/noticias/{piece.pk}/" in detail
    assert "Registrar el alcance" in detail

    # Anyone reads it on the news page.
    public = client_for(None, w.alfa)
    assert "Ya se puede cruzar el río a pie" in _html(public.get("/publico/noticias/"))

    # Reach, then the results on the activity page and in the action.
    reach = editor.post(
        f"/comunicacion/{action.pk}/publicaciones/{publication.pk}/alcance/",
        {f"alcance-{publication.pk}-reach": "1200", f"alcance-{publication.pk}-reach_note": "Visitas de la semana"},
    )
    assert reach.status_code == 302
    activity_page = _html(editor.get(f"/agenda/actividades/{activity.pk}/"))
    assert "Comunicación" in activity_page and f'href="/comunicacion/{action.pk}/"' in activity_page
    assert "Página de noticias del municipio" in activity_page and "alcance: 1200" in activity_page
    # Close with results.
    closed = editor.post(
        f"/comunicacion/{action.pk}/estado/", {"status": "closed", "results": "Dos radios lo repitieron."}, follow=True
    )
    html = _html(closed)
    assert "Estado actualizado: Cerrada." in html and "Dos radios lo repitieron." in html


def test_a_failed_publication_shows_its_reason_and_can_be_retried(
    w: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_municipality(w.alfa)
    piece = ready_piece(w)
    channel = _webhook()
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)
    url = f"/comunicacion/{piece.action_id}/"

    def refuse(self: Any, **kwargs: Any) -> Any:
        raise PermanentFailure("El servicio rechazó el texto (400).")

    monkeypatch.setattr(WebhookAdapter, "publish", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"{url}piezas/{piece.pk}/publicar/{channel.pk}/")
    html = _html(editor.get(url))
    assert "Falló" in html and "El servicio rechazó el texto (400)." in html
    assert "Reintentar en Radio comunitaria" in html

    monkeypatch.undo()
    monkeypatch.setattr(
        WebhookAdapter, "publish", lambda self, **kw: Result(external_id="r-1", url="https://radio.test/1")
    )
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"{url}piezas/{piece.pk}/publicar/{channel.pk}/")
    html = _html(editor.get(url))
    assert "https://radio.test/1" in html and "Reintentar en Radio comunitaria" not in html
    # Published once: asking again is refused with a message, never a second row.
    again = editor.post(f"{url}piezas/{piece.pk}/publicar/{channel.pk}/", follow=True)
    assert "ya está publicada" in _html(again)
    use_municipality(w.alfa)
    assert Publication.objects.filter(piece=piece).count() == 1


def test_missing_credentials_and_limits_are_shown_where_one_publishes(w: World) -> None:
    use_municipality(w.alfa)
    piece = ready_piece(w, summary="", body="x" * 300)
    services.channel_save(actor=None, data={"kind": "x", "name": "X del municipio", "account": "@alfa"})
    use_public_schema()
    html = _html(client_for(w.editor_alfa, w.alfa).get(f"/comunicacion/{piece.action_id}/"))
    assert "no tiene credenciales válidas" in html and "token de acceso (OAuth 2.0)" in html
    assert "300 caracteres de 280 admitidos" in html and "supera el límite" in html
    assert "Publicar en X del municipio" not in html
    assert "Publicar en Página de noticias del municipio" in html


# --- forms ------------------------------------------------------------------------------------


def test_create_an_action_with_errors_per_field_and_a_stale_version(w: World) -> None:
    use_municipality(w.alfa)
    initiative, milestones = make_initiative(w)
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)
    bad = editor.post("/comunicacion/nueva/", {"title": "Obra", "origin": "milestone", "message": "m",
                                               "audience": "a", "planned_date": _today().isoformat()})  # fmt: skip
    assert bad.status_code == 400
    assert 'id="id_milestone_error"' in _html(bad) and "Elija de qué meta intermedia nace la acción." in _html(bad)
    good = editor.post("/comunicacion/nueva/", {"title": "Obra", "origin": "milestone", "message": "m",
                                                "audience": "a", "milestone": milestones[0].pk,
                                                "planned_date": _today().isoformat()})  # fmt: skip
    assert good.status_code == 302
    use_municipality(w.alfa)
    action = CommunicationAction.objects.get(title="Obra")
    assert action.initiative_id == initiative.pk  # the milestone brought its initiative
    use_public_schema()
    stale = editor.post(f"/comunicacion/{action.pk}/editar/", {
        "version": action.version - 1 if action.version > 1 else 99, "title": "Otra", "origin": "institutional",
        "message": "m", "audience": "a", "planned_date": _today().isoformat()})  # fmt: skip
    assert stale.status_code == 400 and "Otra persona guardó cambios" in _html(stale)
    # The initiative page shows the action in its communication section.
    page = _html(editor.get(f"/iniciativas/{initiative.pk}/"))
    assert 'id="comunicacion"' in page and f'href="/comunicacion/{action.pk}/"' in page and "Identificada" in page


def test_piece_files_variants_and_discard(w: World) -> None:
    use_municipality(w.alfa)
    action = make_action(w)
    piece = services.piece_save(actor=w.editor_alfa, action=action, data={
        "kind": "social_post", "title": "Lluvias", "body": "Texto largo"})  # fmt: skip
    x = services.channel_save(
        actor=None, data={"kind": "x", "name": "X del municipio", "account": "@alfa"}, credentials={"access_token": "t"}
    )
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)
    base = f"/comunicacion/{action.pk}/piezas/{piece.pk}/"
    no_alt = editor.post(f"{base}archivos/", {"file": SimpleUploadedFile("foto.png", b"\x89PNG data")})
    assert no_alt.status_code == 400 and "texto alternativo" in _html(no_alt)
    added = editor.post(
        f"{base}archivos/", {"file": SimpleUploadedFile("foto.png", b"\x89PNG data"), "alt_text": "Calle inundada"}
    )
    assert added.status_code == 302
    use_municipality(w.alfa)
    image = piece.files.get()
    use_public_schema()
    page = _html(editor.get(base))
    assert 'alt="Calle inundada"' in page and f"{base}archivos/{image.pk}/" in page
    assert editor.get(f"{base}archivos/{image.pk}/").status_code == 200
    assert client_for(w.followup_alfa, w.alfa).get(f"{base}archivos/{image.pk}/").status_code == 200
    assert client_for(None, w.alfa).get(f"{base}archivos/{image.pk}/").status_code == 302  # to the login

    too_long = editor.post(f"{base}canales/{x.pk}/", {f"canal-{x.pk}-text": "y" * 281})
    assert too_long.status_code == 400 and "admite 280 caracteres y el texto tiene 281" in _html(too_long)
    assert editor.post(f"{base}canales/{x.pk}/", {f"canal-{x.pk}-text": "Corto"}).status_code == 302
    assert "Corto" in _html(editor.get(base))
    assert editor.post(f"{base}archivos/{image.pk}/quitar/").status_code == 302
    use_municipality(w.alfa)
    assert not piece.files.exists()
    use_public_schema()

    no_reason = editor.post(f"/comunicacion/{action.pk}/estado/", {"status": "discarded"}, follow=True)
    assert "Indique por qué se descarta la acción." in _html(no_reason)
    discarded = editor.post(
        f"/comunicacion/{action.pk}/estado/", {"status": "discarded", "reason": "Ya lo dijo la radio."}, follow=True
    )
    html = _html(discarded)
    assert "Descartada" in html and "Ya lo dijo la radio." in html and "Volver a «Identificada»" in html


def test_list_filters_counts_and_calendar(w: World) -> None:
    use_municipality(w.alfa)
    make_action(w, title="Jornada de limpieza")
    other = make_action(w, title="Feria del agua")
    services.action_set_status(actor=w.editor_alfa, action=other, status="discarded", reason="No va")
    use_public_schema()
    client = client_for(w.mayor_alfa, w.alfa)
    html = _html(client.get("/comunicacion/"))
    assert 'href="?estado=discarded"' in html and "Jornada de limpieza" in html and "Feria del agua" in html
    open_only = _html(client.get("/comunicacion/?estado=abiertas"))
    assert "Jornada de limpieza" in open_only and "Feria del agua" not in open_only
    found = _html(client.get("/comunicacion/?q=feria"))
    assert "Feria del agua" in found and "Jornada de limpieza" not in found
    month = _today().strftime("%Y-%m")
    by_status = _html(client.get(f"/comunicacion/calendario/?mes={month}&estado=discarded"))
    assert "Feria del agua" in by_status and "Jornada de limpieza" not in by_status
    assert "Descartada" in by_status
    # A nonsense month falls back to this one.
    assert client.get("/comunicacion/calendario/?mes=nada").status_code == 200


def test_channels_keep_credentials_secret(w: World) -> None:
    use_public_schema()
    admin = client_for(w.admin_alfa, w.alfa)
    missing = admin.post("/comunicacion/canales/nuevo/", {"tipo": "facebook", "name": "Facebook", "is_active": "on"})
    assert missing.status_code == 400 and 'id="id_account_error"' in _html(missing)
    made = admin.post(
        "/comunicacion/canales/nuevo/",
        {"tipo": "facebook", "name": "Facebook", "is_active": "on", "account": "alfa.page"},
    )
    assert made.status_code == 302
    listed = _html(admin.get("/comunicacion/canales/"))
    assert "Faltan: token de acceso de la página" in listed
    use_municipality(w.alfa)
    channel = Channel.objects.get(kind="facebook")
    use_public_schema()
    saved = admin.post(f"/comunicacion/canales/{channel.pk}/", {
        "version": channel.version, "name": "Facebook", "is_active": "on", "account": "alfa.page",
        "cred_page_access_token": "EAAB-secreto"})  # fmt: skip
    assert saved.status_code == 302
    form = _html(admin.get(f"/comunicacion/canales/{channel.pk}/"))
    assert "EAAB-secreto" not in form and "Déjelo vacío para conservar" in form
    assert "Configuradas" in _html(admin.get("/comunicacion/canales/"))
    # Approval is a setting of the municipality.
    admin.post("/comunicacion/canales/aprobacion/", {})
    use_municipality(w.alfa)
    assert services.settings_for_municipality().require_approval is False


# --- isolation --------------------------------------------------------------------------------


def test_another_municipality_sees_nothing_of_alfas_communication(w: World) -> None:
    use_municipality(w.alfa)
    piece = ready_piece(w)
    action = piece.action
    action.title = "Secreto comunicacional de Alfa"
    action.save()
    web = services.web_channel()
    use_public_schema()
    beta_in_alfa = client_for(w.admin_beta, w.alfa)
    urls = ["/comunicacion/", "/comunicacion/sugerencias/", "/comunicacion/calendario/", "/comunicacion/nueva/",
            f"/comunicacion/{action.pk}/", f"/comunicacion/{action.pk}/editar/",
            f"/comunicacion/{action.pk}/piezas/nueva/", f"/comunicacion/{action.pk}/piezas/{piece.pk}/",
            "/comunicacion/canales/", "/comunicacion/canales/nuevo/", f"/comunicacion/canales/{web.pk}/"]  # fmt: skip
    for url in urls:
        assert beta_in_alfa.get(url).status_code == 404, url
    for url in [f"/comunicacion/{action.pk}/estado/",
                f"/comunicacion/{action.pk}/piezas/{piece.pk}/publicar/{web.pk}/",
                f"/comunicacion/{action.pk}/piezas/{piece.pk}/aprobar/",
                "/comunicacion/sugerencias/aceptar/"]:  # fmt: skip
        assert beta_in_alfa.post(url, {"status": "closed"}).status_code == 404, url
    own = client_for(w.admin_beta, w.beta)
    for url in ["/comunicacion/", "/comunicacion/calendario/", "/comunicacion/calendario/?vista=lista",
                "/comunicacion/sugerencias/", "/comunicacion/canales/"]:  # fmt: skip
        response = own.get(url)
        assert response.status_code == 200, url
        assert "Secreto comunicacional" not in _html(response), url
    assert own.get(f"/comunicacion/{action.pk}/").status_code == 404
    assert own.get(f"/comunicacion/{action.pk}/piezas/{piece.pk}/").status_code == 404
