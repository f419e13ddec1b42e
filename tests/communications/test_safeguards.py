"""Safeguards of the communications module: what the news page shows is what was approved
(a piece on it or on its way to a channel no longer changes), approval is of a version a
person read and only approvers switch it off, channel credentials never follow a changed
address or account, channels send only to public services, the inbox accepts only what it
offers, piece writes lock their action, dates are the municipality's, the settings row
exists from the start, and the API says what the page says."""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tenants.agenda import services as agenda
from tenants.agenda.models import Activity, ActivityStatus
from tenants.communications import crypto, selectors, services
from tenants.communications.forms import ChannelForm
from tenants.communications.models import (
    ActionStatus,
    Channel,
    CommunicationAction,
    CommunicationSettings,
    Piece,
    PieceFile,
    Publication,
    PublicationStatus,
    SuggestionDecision,
)
from tenants.communications.services.channels import check_endpoint
from tenants.db import local_today, use_municipality, use_public_schema
from tenants.initiatives import services as initiatives
from tenants.initiatives.models import Aro, AroKind, AroType, Initiative
from tenants.workspace.models import AuditEvent
from tenants.workspace.schema_guard import NotInTenantSchema
from tests.agenda.conftest import BOGOTA, in_days
from tests.communications.conftest import make_action, ready_piece
from tests.conftest import World, client_for
from tests.initiatives.conftest import make_initiative

API = "/api/v1/communications"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FROZEN_WEB = "La pieza ya se publicó o está en cola en la página de noticias"
# What production runs with: no development mode, no custom addresses.
STRICT = override_settings(DEBUG=False, COMMUNICATIONS_ALLOW_CUSTOM_ENDPOINTS=False)


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def _webhook(w: World, **data: Any) -> Channel:
    fields = {"kind": "webhook", "name": "Radio comunitaria", "endpoint_url": "https://hooks.example.org/in", **data}
    return services.channel_save(actor=w.editor_alfa, data=fields, credentials={"secret": "s3creto"})


def _ready_with_file(w: World, **data: Any) -> tuple[Piece, PieceFile]:
    """A ready action with one approved piece that has a file (call inside Alfa)."""
    action = make_action(w)
    fields = {"kind": "web_news", "title": "Nueva red de agua", "summary": "300 familias.", "body": "Texto.", **data}
    piece = services.piece_save(actor=w.editor_alfa, action=action, data=fields)
    document = services.piece_file_add(actor=w.editor_alfa, piece=piece, file=SimpleUploadedFile("a.pdf", b"%PDF-1"))
    piece = Piece.objects.get(pk=piece.pk)
    piece = services.piece_approve(actor=w.mayor_alfa, piece=piece, version=piece.version)
    services.action_set_status(actor=w.editor_alfa, action=action, status=ActionStatus.READY)
    return Piece.objects.get(pk=piece.pk), document


def _every_change_is_refused(w: World, piece: Piece, document: PieceFile, channel: Channel, expected: str) -> None:
    before = Piece.objects.get(pk=piece.pk).version
    attempts = [
        lambda: services.piece_save(actor=w.editor_alfa, action=piece.action, piece=piece, data={"body": "Otro."}),
        lambda: services.piece_file_add(
            actor=w.editor_alfa, piece=piece, file=SimpleUploadedFile("b.pdf", b"%PDF-1 b")
        ),
        lambda: services.piece_file_remove(actor=w.editor_alfa, piece_file=document),
        lambda: services.variant_save(actor=w.editor_alfa, piece=piece, channel=channel, text="Otro texto"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert exc.value.code == "sent" and not hasattr(exc.value, "error_dict")
        assert expected in exc.value.messages[0]
    stored = Piece.objects.get(pk=piece.pk)
    assert stored.version == before and stored.body == "Texto." and stored.is_approved
    assert list(stored.files.all()) == [document] and not stored.variants.exists()


# --- 1. what the news page shows is what was approved ----------------------------------------


def test_a_piece_queued_for_or_on_the_news_page_no_longer_changes(in_alfa: World) -> None:
    w = in_alfa
    piece, document = _ready_with_file(w)
    hook = _webhook(w)
    web = services.web_channel()
    publication = services.publication_request(actor=w.editor_alfa, piece=piece, channel=web)
    assert publication.status == PublicationStatus.PENDING
    _every_change_is_refused(w, piece, document, hook, FROZEN_WEB)
    # Published, the same (a correction is a new piece).
    Publication.objects.filter(pk=publication.pk).update(
        status=PublicationStatus.PUBLISHED, published_at=timezone.now()
    )
    _every_change_is_refused(w, piece, document, hook, "cree una pieza nueva")
    # Even if its publication on the news page failed later elsewhere: still published there.
    new = services.piece_save(
        actor=w.editor_alfa, action=piece.action, data={"kind": "web_news", "title": "Corrección", "body": "Texto."}
    )
    assert new.pk != piece.pk


def test_a_piece_on_its_way_to_a_channel_changes_again_once_that_fails(in_alfa: World) -> None:
    w = in_alfa
    piece, document = _ready_with_file(w, kind="social_post")
    hook = _webhook(w, name="Boletín")
    publication = services.publication_request(actor=w.editor_alfa, piece=piece, channel=hook)
    _every_change_is_refused(w, piece, document, hook, "está en cola para publicarse en «Boletín»")
    Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.RETRYING)
    _every_change_is_refused(w, piece, document, hook, "«Boletín»")
    # Failed for good: the editor may fix the text (it then needs a new approval).
    Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.FAILED)
    changed = services.piece_save(actor=w.editor_alfa, action=piece.action, piece=piece, data={"body": "Corregido."})
    assert changed.body == "Corregido." and not changed.is_approved


def test_the_pages_and_the_api_hide_the_edit_controls_of_a_piece_that_no_longer_changes(in_alfa: World) -> None:
    w = in_alfa
    piece = ready_piece(w)
    other = services.piece_save(
        actor=w.editor_alfa, action=piece.action, data={"kind": "script", "title": "Cuña", "body": "Texto."}
    )
    services.publication_request(actor=w.editor_alfa, piece=piece, channel=services.web_channel())
    action_id = piece.action_id
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)
    detail = editor.get(f"/comunicacion/{action_id}/").content.decode()
    assert FROZEN_WEB in detail
    assert f'href="/comunicacion/{action_id}/piezas/{piece.pk}/"' not in detail
    assert f'href="/comunicacion/{action_id}/piezas/{other.pk}/"' in detail  # the other piece still changes
    page = editor.get(f"/comunicacion/{action_id}/piezas/{piece.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and FROZEN_WEB in html
    for control in ("Guardar la pieza", "Agregar el archivo", "Quitar"):
        assert control not in html, control
    posted = editor.post(
        f"/comunicacion/{action_id}/piezas/{piece.pk}/",
        {"version": piece.version, "kind": "web_news", "title": "Cambiada", "body": "Otra"},
    )
    assert posted.status_code == 400
    api = editor.patch(
        f"{API}/actions/{action_id}/pieces/{piece.pk}/", {"title": "Cambiada"}, content_type="application/json"
    )
    assert api.status_code == 400 and FROZEN_WEB in api.json()["non_field_errors"][0]
    read = editor.get(f"{API}/actions/{action_id}/pieces/{piece.pk}/").json()
    assert FROZEN_WEB in read["change_refused"]
    use_municipality(w.alfa)
    assert Piece.objects.get(pk=piece.pk).title == "Nueva red de agua"


# --- 2. only approvers decide whether pieces need approval -------------------------------------


def test_only_an_approver_switches_approval_off(in_alfa: World) -> None:
    w = in_alfa
    with pytest.raises(PermissionDenied):
        services.settings_save(actor=w.editor_alfa, require_approval=False)
    assert services.settings_for_municipality().require_approval is True
    assert services.settings_save(actor=w.mayor_alfa, require_approval=False).require_approval is False
    assert services.settings_save(actor=w.admin_alfa, require_approval=True).require_approval is True
    use_public_schema()
    editor, mayor = client_for(w.editor_alfa, w.alfa), client_for(w.mayor_alfa, w.alfa)
    assert 'name="require_approval"' not in editor.get("/comunicacion/canales/").content.decode()
    assert 'name="require_approval"' in mayor.get("/comunicacion/canales/").content.decode()
    assert editor.post("/comunicacion/canales/aprobacion/", {}).status_code == 403
    assert mayor.post("/comunicacion/canales/aprobacion/", {}).status_code == 302
    use_municipality(w.alfa)
    assert services.settings_for_municipality().require_approval is False


# --- 3. credentials never follow a changed address or account ----------------------------------


def _stored(channel: Channel) -> dict[str, Any]:
    return crypto.decrypt(Channel.objects.get(pk=channel.pk).credentials_encrypted)


def test_changing_the_account_or_address_drops_the_stored_credentials(in_alfa: World) -> None:
    w = in_alfa
    x = services.channel_save(
        actor=w.editor_alfa, data={"kind": "x", "name": "X", "account": "@alfa"}, credentials={"access_token": "t1"}
    )
    renamed = services.channel_save(actor=w.editor_alfa, channel=x, data={"name": "X oficial", "account": "@alfa"})
    assert _stored(renamed) == {"access_token": "t1"}  # nothing moved: kept
    moved = services.channel_save(actor=w.editor_alfa, channel=renamed, data={"account": "@otra_cuenta"})
    assert _stored(moved) == {} and services.missing_credentials(moved) == ["token de acceso (OAuth 2.0)"]
    event = AuditEvent.objects.filter(action="channel.changed", object_id=str(x.pk)).order_by("-pk").first()
    assert event is not None and "access_token" in str(event.data)
    # New ones given in the same save are kept.
    again = services.channel_save(
        actor=w.editor_alfa, channel=moved, data={"account": "@alfa"}, credentials={"access_token": "t2"}
    )
    assert _stored(again) == {"access_token": "t2"}
    hook = _webhook(w)
    rehomed = services.channel_save(actor=w.editor_alfa, channel=hook, data={"endpoint_url": "https://otro.example/in"})
    assert _stored(rehomed) == {}


def test_the_channel_form_says_that_a_new_address_or_account_needs_the_credentials_again(in_alfa: World) -> None:
    w = in_alfa
    hook = _webhook(w)
    form = ChannelForm(kind="webhook", instance=hook)
    assert "se borran" in str(form.fields["endpoint_url"].help_text)
    with STRICT:
        x = services.channel_save(
            actor=w.editor_alfa, data={"kind": "x", "name": "X", "account": "@a"}, credentials={"access_token": "t"}
        )
        fixed = ChannelForm(kind="x", instance=x)
        assert "endpoint_url" not in fixed.fields and "se borran" in str(fixed.fields["account"].help_text)


def test_facebook_and_x_send_only_to_their_own_api(in_alfa: World) -> None:
    w = in_alfa
    with STRICT:
        with pytest.raises(ValidationError) as exc:
            services.channel_save(
                actor=w.editor_alfa, credentials={"page_access_token": "t"},
                data={"kind": "facebook", "name": "FB", "account": "p", "endpoint_url": "https://ladron.example/"},
            )  # fmt: skip
        assert "graph.facebook.com" in _errors(exc)["endpoint_url"][0]
        ok = services.channel_save(
            actor=w.editor_alfa, data={"kind": "x", "name": "X", "account": "@a", "endpoint_url": "https://api.x.com"}
        )
        assert ok.endpoint_url == "https://api.x.com"
    # Pointed elsewhere while allowed (development), it goes back to the API when saved in
    # production, without the credentials that were typed for the other address.
    custom = services.channel_save(
        actor=w.editor_alfa, data={"kind": "x", "name": "X2", "account": "@a", "endpoint_url": "http://127.0.0.1:9"},
        credentials={"access_token": "t"},
    )  # fmt: skip
    with STRICT:
        saved = services.channel_save(actor=w.editor_alfa, channel=custom, data={"name": "X dos"})
    assert saved.endpoint_url == "https://api.x.com" and _stored(saved) == {}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://hooks.example.org/in", "https://"),
        ("https://127.0.0.1/in", "propio servidor"),
        ("https://[::1]:8443/in", "propio servidor"),
        ("https://10.20.30.40/in", "red privada"),
        ("https://192.168.1.5/in", "red privada"),
        ("https://169.254.169.254/latest/meta-data", "enlace local"),
        ("https://0.0.0.0/in", "propio servidor"),
        ("https://240.0.0.1/in", "reservada"),
        ("https://interno.example/in", "red privada"),  # a name that resolves inside
        ("https://no-existe.example/in", "No se encontró"),
    ],
)
def test_a_webhook_must_be_a_public_https_service(
    in_alfa: World, monkeypatch: pytest.MonkeyPatch, url: str, expected: str
) -> None:
    real = socket.getaddrinfo

    def resolve(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "interno.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 443))]
        if host == "no-existe.example":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    before = Channel.objects.count()
    with STRICT:
        assert expected in (check_endpoint(url) or "")
        with pytest.raises(ValidationError) as exc:
            _webhook(in_alfa, endpoint_url=url)
    assert expected in _errors(exc)["endpoint_url"][0]
    assert Channel.objects.count() == before
    # In development (or with the setting on) any address goes.
    assert check_endpoint(url) is None


def test_a_public_https_webhook_is_accepted(in_alfa: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def resolve(host: str, *args: Any, **kwargs: Any) -> Any:
        assert host == "hooks.example.org"
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", 443, 0, 0)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))]  # fmt: skip

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with STRICT:
        assert check_endpoint("https://hooks.example.org/in") is None
        hook = _webhook(in_alfa)
    assert hook.endpoint_url == "https://hooks.example.org/in"


# --- 4. a channel's address is for those who configure channels --------------------------------


def test_only_channel_managers_see_a_channels_address(in_alfa: World) -> None:
    _webhook(in_alfa, endpoint_url="https://hooks.example.org/secreto-123")
    use_public_schema()
    for user, sees in ((in_alfa.editor_alfa, True), (in_alfa.admin_alfa, True), (in_alfa.mayor_alfa, False),
                       (in_alfa.followup_alfa, False)):  # fmt: skip
        html = client_for(user, in_alfa.alfa).get("/comunicacion/canales/").content.decode()
        assert ("secreto-123" in html) is sees, user
        assert "Radio comunitaria" in html


# --- 5. the inbox accepts only what it offers ------------------------------------------------------


def _activity(title: str, *, public: bool = True, days: int = 2, hour: int = 9) -> Activity:
    data = {"title": title, "kind": "event", "starts_at": in_days(days, hour), "ends_at": in_days(days, hour + 2),
            "status": ActivityStatus.CONFIRMED, "is_public": public}  # fmt: skip
    activity, _overlaps = agenda.activity_save(actor=None, data=data)
    return activity


def _opportunity(initiative: Initiative, description: str, type_key: str = "communicational") -> Aro:
    return initiatives.aro_raise(
        actor=None, initiative=initiative, kind=AroKind.OPPORTUNITY, aro_type=AroType.objects.get(key=type_key),
        description=description,
    )  # fmt: skip


def test_the_inbox_accepts_only_what_it_would_offer(in_alfa: World) -> None:
    w = in_alfa
    private = _activity("Reunión reservada", public=False)
    cancelled = _activity("Feria cancelada")
    agenda.activity_set_status(actor=None, activity=cancelled, status=ActivityStatus.CANCELLED)
    initiative, (unflagged, *_rest) = make_initiative(w)
    political = _opportunity(initiative, "Un concejal quiere aparecer en la foto", "political")
    closed = _opportunity(initiative, "Ya se contó en la radio")
    initiatives.aro_close(actor=None, aro=closed, resolution="Se contó.")
    refused = [("activity", private.pk), ("activity", cancelled.pk), ("milestone", unflagged.pk),
               ("opportunity", political.pk), ("opportunity", closed.pk)]  # fmt: skip
    offered = {(s.source, s.id) for s in selectors.suggestions()}
    for source, source_id in refused:
        assert (source, source_id) not in offered
        for decide in (services.suggestion_accept, services.suggestion_dismiss):
            with pytest.raises(ValidationError) as exc:
                decide(actor=w.editor_alfa, source=source, source_id=source_id)
            assert exc.value.code == "gone", (source, source_id)
    assert not CommunicationAction.objects.exists() and not SuggestionDecision.objects.exists()


def test_a_source_that_already_has_an_action_is_not_accepted_again(in_alfa: World) -> None:
    w = in_alfa
    activity = _activity("Inauguración del parque")
    by_hand = make_action(w, title="Hecha a mano", origin="activity", activity=activity)
    with pytest.raises(ValidationError) as exc:
        services.suggestion_accept(actor=w.editor_alfa, source="activity", source_id=activity.pk)
    assert exc.value.code == "linked" and "Hecha a mano" in exc.value.messages[0]
    assert list(CommunicationAction.objects.all()) == [by_hand] and not SuggestionDecision.objects.exists()


def test_a_private_activity_is_no_origin_from_forms_or_the_api(in_alfa: World) -> None:
    w = in_alfa
    private = _activity("Reunión reservada", public=False)
    with pytest.raises(ValidationError) as exc:
        make_action(w, title="De lo privado", origin="activity", activity=private)
    assert "privada" in _errors(exc)["activity"][0]
    # An action whose activity was made private afterwards keeps it when edited.
    public = _activity("Visita al colegio")
    action = make_action(w, origin="activity", activity=public)
    Activity.objects.filter(pk=public.pk).update(is_public=False)
    public.refresh_from_db()
    saved = services.action_save(actor=w.editor_alfa, action=CommunicationAction.objects.get(pk=action.pk),
                                 data={"audience": "Docentes"})  # fmt: skip
    assert saved.activity == public
    today = local_today().isoformat()
    use_public_schema()
    # The mayor sees private activities in the agenda, and still cannot make one an origin.
    answer = client_for(w.mayor_alfa, w.alfa).post(
        f"{API}/actions/",
        {"title": "De lo privado", "message": "m", "audience": "a", "planned_date": today, "origin": "activity",
         "activity": private.pk},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 400 and "privada" in answer.json()["activity"][0]
    use_municipality(w.alfa)
    assert not CommunicationAction.objects.filter(title="De lo privado").exists()


# --- 10. approval is of the version the approver saw ------------------------------------------------


def test_a_person_approves_only_a_version_they_name(in_alfa: World) -> None:
    w = in_alfa
    piece = services.piece_save(
        actor=w.editor_alfa, action=make_action(w), data={"kind": "web_news", "title": "T", "body": "B"}
    )
    with pytest.raises(ValidationError) as exc:
        services.piece_approve(actor=w.mayor_alfa, piece=piece)
    assert "versión" in _errors(exc)["version"][0]
    assert not Piece.objects.get(pk=piece.pk).is_approved
    assert services.piece_approve(actor=None, piece=piece).is_approved  # system code may
    use_public_schema()
    mayor = client_for(w.mayor_alfa, w.alfa)
    url = f"/comunicacion/{piece.action_id}/piezas/{piece.pk}/aprobar/"
    api = mayor.post(f"{API}/actions/{piece.action_id}/pieces/{piece.pk}/approve/", {}, content_type="application/json")
    assert api.status_code == 400 and "version" in api.json()
    page = mayor.post(url, {}, follow=True)
    assert "Indique la versión de la pieza que revisó" in page.content.decode()


# --- 11. piece writes lock the action ------------------------------------------------------------------


def test_writing_a_piece_reads_the_action_as_it_is_now(in_alfa: World) -> None:
    w = in_alfa
    action = make_action(w)
    first = services.piece_save(actor=w.editor_alfa, action=action, data={"kind": "script", "title": "G", "body": "B"})
    stored = CommunicationAction.objects.get(pk=action.pk)
    # The first piece moved it into preparation as a status change: a new version, audited.
    assert stored.status == ActionStatus.IN_PREPARATION and stored.version == 2
    assert action.status == ActionStatus.IN_PREPARATION and action.version == 2
    event = AuditEvent.objects.filter(action="communication.status", object_id=str(action.pk)).get()
    assert event.data["after"] == {"status": "in_preparation"}
    # Someone discards the action meanwhile; a page still holding the open action is refused.
    services.action_set_status(actor=w.mayor_alfa, action=stored, status=ActionStatus.DISCARDED, reason="No va")
    with pytest.raises(ValidationError) as exc:
        services.piece_save(actor=w.editor_alfa, action=action, data={"kind": "script", "title": "H", "body": "B"})
    assert exc.value.code == "closed"
    with pytest.raises(ValidationError) as exc:
        services.piece_save(actor=w.editor_alfa, action=action, piece=first, data={"body": "Otro"})
    assert exc.value.code == "closed"
    assert list(Piece.objects.filter(action=action)) == [first] and first.body == "B"


# --- 12. the municipality's days ------------------------------------------------------------------------


def test_suggestion_dates_are_the_municipalitys_whatever_the_requests_zone(in_alfa: World) -> None:
    w = in_alfa
    evening = _activity("Serenata en el parque", days=2, hour=20)  # 20:00 in Bogotá: the next day in Tokyo
    bogota_day = evening.starts_at.astimezone(BOGOTA).date()
    with timezone.override("Asia/Tokyo"):
        assert timezone.localdate(evening.starts_at) == bogota_day + timedelta(days=1)
        found = {s.id: s for s in selectors.suggestions() if s.source == "activity"}
        assert found[evening.pk].when == bogota_day
        action = services.suggestion_accept(actor=w.editor_alfa, source="activity", source_id=evening.pk)
    assert action.planned_date == bogota_day


# --- 13. the settings row is there from the start ---------------------------------------------------------


def test_the_settings_row_exists_once_and_reading_it_never_writes(in_alfa: World) -> None:
    for municipality in (in_alfa.alfa, in_alfa.beta):
        use_municipality(municipality)
        assert list(CommunicationSettings.objects.values_list("pk", flat=True)) == [1]
        with CaptureQueriesContext(connection) as queries:
            assert services.settings_for_municipality().pk == 1
        assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
        with pytest.raises(IntegrityError), transaction.atomic():
            CommunicationSettings.objects.create(require_approval=False)
    use_municipality(in_alfa.alfa)
    # A row deleted by hand comes back on the next read, with the default.
    CommunicationSettings.objects.all().delete()
    assert services.settings_for_municipality().require_approval is True


# --- 14. file names on the public news page ---------------------------------------------------------------


def test_news_files_carry_their_name_however_it_is_written(in_alfa: World) -> None:
    w = in_alfa
    action = make_action(w)
    piece = services.piece_save(actor=w.editor_alfa, action=action, data={"kind": "web_news", "title": "T",
                                                                           "body": "B"})  # fmt: skip
    report = services.piece_file_add(
        actor=w.editor_alfa, piece=piece, file=SimpleUploadedFile('Informe "final" de gestión.pdf', b"%PDF-1.4")
    )
    photo = services.piece_file_add(
        actor=w.editor_alfa, piece=piece, file=SimpleUploadedFile("Año nuevo.png", PNG), alt_text="Fuegos"
    )
    piece = Piece.objects.get(pk=piece.pk)
    services.piece_approve(actor=w.mayor_alfa, piece=piece, version=piece.version)
    services.action_set_status(actor=w.editor_alfa, action=action, status=ActionStatus.READY)
    publication = services.publication_request(actor=w.editor_alfa, piece=piece, channel=services.web_channel())
    services.publication_attempt(publication_id=publication.pk)
    use_public_schema()
    client = client_for(None, w.alfa)
    document = client.get(f"/publico/noticias/{piece.pk}/archivos/{report.pk}/")
    disposition = document["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''" in disposition
    assert "gesti%C3%B3n.pdf" in disposition
    image = client.get(f"/publico/noticias/{piece.pk}/archivos/{photo.pk}/")
    assert image["Content-Disposition"].startswith("inline;") and "A%C3%B1o%20nuevo.png" in image["Content-Disposition"]
    assert image["X-Content-Type-Options"] == "nosniff"


# --- 16 and 17. the API takes the page's filters and says what the page says ------------------------------


def test_the_api_list_takes_the_same_filters_as_the_page(in_alfa: World) -> None:
    w = in_alfa
    piece = ready_piece(w)
    make_action(w, title="Sin publicar")
    services.publication_request(actor=w.editor_alfa, piece=piece, channel=services.web_channel())
    services.publication_attempt(publication_id=Publication.objects.get(piece=piece).pk)
    today = local_today()
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)
    query = f"?publicada_desde={today.isoformat()}&publicada_hasta={today.isoformat()}"
    api = editor.get(f"{API}/actions/{query}").json()
    assert [row["id"] for row in api["results"]] == [piece.action_id]
    page = editor.get(f"/comunicacion/{query}").content.decode()
    assert "Sin publicar" not in page
    bad = editor.get(f"{API}/actions/?publicada_desde=ayer")
    assert bad.status_code == 400 and set(bad.json()) == {"publicada_desde"}


def test_the_api_shows_each_channels_length_limit_and_what_is_missing(in_alfa: World) -> None:
    w = in_alfa
    action = make_action(w)
    piece = services.piece_save(
        actor=w.editor_alfa, action=action, data={"kind": "social_post", "title": "T", "summary": "", "body": "x" * 300}
    )
    x = services.channel_save(actor=w.editor_alfa, data={"kind": "x", "name": "X del municipio", "account": "@a"})
    web = services.web_channel()
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)
    body = editor.get(f"{API}/actions/{action.pk}/pieces/{piece.pk}/").json()
    boxes = {b["channel"]: b for b in body["channels"]}
    assert set(boxes) == {x.pk, web.pk} and body["change_refused"] == ""
    assert boxes[x.pk]["length"] == 300 and boxes[x.pk]["limit"] == 280
    missing = " ".join(boxes[x.pk]["missing"])
    assert "márquela como lista" in missing and "no está aprobada" in missing and "token de acceso" in missing
    assert "280" in missing
    assert boxes[web.pk]["limit"] is None and boxes[web.pk]["publication"] is None
    # The action's answer carries the same.
    detail = editor.get(f"{API}/actions/{action.pk}/").json()
    assert detail["pieces"][0]["channels"] == body["channels"]


# --- 18. results fail closed outside a municipality -------------------------------------------------------


def test_results_refuse_to_run_in_the_public_schema(w: World) -> None:
    use_public_schema()
    with pytest.raises(NotInTenantSchema):
        selectors.results(activity_id=1)


# --- 19 and 20. accessibility of the piece pages -----------------------------------------------------------


def test_an_images_text_alternative_is_said_once_and_the_count_describes_its_field(in_alfa: World) -> None:
    w = in_alfa
    action = make_action(w)
    piece = services.piece_save(actor=w.editor_alfa, action=action, data={"kind": "web_news", "title": "T",
                                                                           "body": "B"})  # fmt: skip
    services.piece_file_add(
        actor=w.editor_alfa, piece=piece, file=SimpleUploadedFile("foto.png", PNG), alt_text="Calle inundada"
    )
    x = services.channel_save(actor=w.editor_alfa, data={"kind": "x", "name": "X", "account": "@a"})
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)
    detail = editor.get(f"/comunicacion/{action.pk}/").content.decode()
    assert detail.count("Calle inundada") == 1 and 'alt=""' in detail
    form = editor.get(f"/comunicacion/{action.pk}/piezas/{piece.pk}/").content.decode()
    count_id = f"id_canal-{x.pk}-text_count"
    assert f'id="{count_id}"' in form
    assert f'aria-describedby="{count_id} id_canal-{x.pk}-text_helptext"' in form
