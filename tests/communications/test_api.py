"""The communications API: actions with their filters, status and optimistic lock; the inbox
of suggestions; pieces, approval, per-channel texts and publishing; channels whose
credentials never come back out; roles; isolation between municipalities; the schema."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import include, path

from tenants.agenda import services as agenda_services
from tenants.agenda.models import Activity
from tenants.communications import services
from tenants.communications.models import Channel, CommunicationAction, Piece, Publication
from tenants.db import local_today, use_municipality, use_public_schema
from tenants.structure.models import Theme
from tests.agenda.conftest import in_days
from tests.communications.conftest import make_action, ready_piece
from tests.conftest import World, client_for

API = "/api/v1/communications"
SECRET = "s3creto-que-no-sale-nunca-9f8e7d"


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, body, content_type="application/json")


def patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, body, content_type="application/json")


def action_body(w: World, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Campaña de vacunación en las veredas",
        "message": "Dónde y cuándo vacunarse.",
        "audience": "Familias rurales",
        "planned_date": today_in(w).isoformat(),
        **extra,
    }


def today_in(w: World) -> Any:
    """Alfa's today, from outside its schema (the test client's requests run in public)."""
    use_municipality(w.alfa)
    try:
        return local_today()
    finally:
        use_public_schema()


def public_activity(title: str, days: int = 1) -> Activity:
    activity, _overlaps = agenda_services.activity_save(
        actor=None,
        data={"title": title, "kind": "event", "is_public": True, "starts_at": in_days(days),
              "ends_at": in_days(days, 11), "status": "confirmed"},
    )  # fmt: skip
    return activity


# --- actions -------------------------------------------------------------------------------


def test_create_filter_change_and_move_an_action(in_alfa: World) -> None:
    w = in_alfa
    water = Theme.objects.create(code="T1", name="Agua", depth=1)
    other = Theme.objects.create(code="T2", name="Vías", depth=1)
    today = local_today()
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)

    created = post(editor, f"{API}/actions/", action_body(w, themes=[water.pk], editor_id=w.editor_alfa.pk))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "identified" and body["origin"] == "institutional" and body["version"] == 1
    assert body["themes"] == [water.pk] and body["editor_name"] == "Elena Editora" and body["pieces"] == []
    assert body["next_statuses"] == ["discarded", "in_preparation"]
    pk = body["id"]

    def ids(query: str) -> list[int]:
        answer = editor.get(f"{API}/actions/{query}")
        assert answer.status_code == 200, answer.content
        return [row["id"] for row in answer.json()["results"]]

    assert ids("") == [pk]
    assert ids("?estado=identified") == [pk] and ids("?estado=abiertas") == [pk] and ids("?estado=closed") == []
    assert ids("?origen=institutional") == [pk] and ids("?origen=activity") == []
    assert ids(f"?tema={water.pk}") == [pk] and ids(f"?tema={other.pk}") == []
    assert ids(f"?desde={today.isoformat()}&hasta={today.isoformat()}") == [pk]
    assert ids(f"?desde={(today + timedelta(days=1)).isoformat()}") == []
    assert ids("?q=vacunacion") == [pk] and ids("?q=inundaciones") == []
    assert ids(f"?editor={w.editor_alfa.pk}") == [pk]
    bad = editor.get(f"{API}/actions/?tema=999999&desde=ayer&lugar=x")
    assert bad.status_code == 400 and set(bad.json()) == {"tema", "desde", "lugar"}

    changed = patch(editor, f"{API}/actions/{pk}/", {"audience": "Toda la población", "version": 1})
    assert changed.status_code == 200 and changed.json()["audience"] == "Toda la población"
    assert changed.json()["version"] == 2
    stale = patch(editor, f"{API}/actions/{pk}/", {"audience": "Otra", "version": 1})
    assert stale.status_code == 400 and "Otra persona guardó cambios" in stale.json()["non_field_errors"][0]

    not_ready = post(editor, f"{API}/actions/{pk}/status/", {"status": "in_preparation", "version": 2})
    assert not_ready.status_code == 200 and not_ready.json()["status"] == "in_preparation"
    no_pieces = post(editor, f"{API}/actions/{pk}/status/", {"status": "ready"})
    assert no_pieces.status_code == 400 and "al menos una pieza" in no_pieces.json()["status"][0]
    no_reason = post(editor, f"{API}/actions/{pk}/status/", {"status": "discarded"})
    assert no_reason.status_code == 400 and "por qué" in no_reason.json()["reason"][0]
    discarded = post(editor, f"{API}/actions/{pk}/status/", {"status": "discarded", "reason": "Se suspendió"})
    assert discarded.status_code == 200
    assert discarded.json()["status"] == "discarded" and discarded.json()["discard_reason"] == "Se suspendió"
    assert discarded.json()["next_statuses"] == ["identified"]
    jump = post(editor, f"{API}/actions/{pk}/status/", {"status": "closed"})
    assert jump.status_code == 400 and "no puede pasar" in jump.json()["status"][0]
    assert post(editor, f"{API}/actions/{pk}/status/", {"status": "x"}).json()["status"] == ["Elija un estado."]


def test_field_errors_name_the_field_in_spanish_and_in_english(w: World) -> None:
    empty = {"title": "", "message": "x", "audience": "y"}
    spanish = post(client_for(w.editor_alfa, w.alfa), f"{API}/actions/", empty)
    assert spanish.status_code == 400
    assert spanish.json()["title"] == ["Este campo es obligatorio."]
    assert spanish.json()["planned_date"] == ["Indique una fecha."]
    # Beta works in English by default.
    english = post(client_for(w.admin_beta, w.beta), f"{API}/actions/", empty)
    assert english.status_code == 400
    assert english.json()["title"] == ["This field is required."]
    assert english.json()["planned_date"] == ["Enter a date."]
    # And a person who chose English in Alfa reads English too.
    chosen = client_for(w.editor_alfa, w.alfa)
    chosen.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert post(chosen, f"{API}/actions/", empty).json()["title"] == ["This field is required."]
    # DRF's own parsing errors are per field too; a body that is not an object is refused.
    typed = post(client_for(w.editor_alfa, w.alfa), f"{API}/actions/", {**empty, "themes": [999999]})
    assert typed.status_code == 400 and "themes" in typed.json()
    assert post(client_for(w.editor_alfa, w.alfa), f"{API}/actions/", [1]).status_code == 400
    use_municipality(w.alfa)
    assert not CommunicationAction.objects.exists()


def test_a_member_without_the_role_reads_but_gets_403_on_writes(in_alfa: World) -> None:
    w = in_alfa
    action = make_action(w)
    piece = services.piece_save(
        actor=w.editor_alfa, action=action, data={"kind": "web_news", "title": "Titular", "body": "Texto"}
    )
    web = services.web_channel()
    activity = public_activity("Feria del campo")
    use_public_schema()
    reader = client_for(w.followup_alfa, w.alfa)  # institutional follow-up: reads only
    assert reader.get(f"{API}/actions/").json()["count"] == 1
    assert reader.get(f"{API}/actions/{action.pk}/").status_code == 200
    assert reader.get(f"{API}/actions/{action.pk}/pieces/{piece.pk}/").status_code == 200
    assert reader.get(f"{API}/suggestions/").status_code == 200
    listed = reader.get(f"{API}/channels/").json()
    assert [c["kind"] for c in listed] == ["web"] and "endpoint_url" not in listed[0]
    piece_url = f"{API}/actions/{action.pk}/pieces/{piece.pk}/"
    writes = [
        ("post", f"{API}/actions/", action_body(w)),
        ("patch", f"{API}/actions/{action.pk}/", {"title": "Otro"}),
        ("post", f"{API}/actions/{action.pk}/status/", {"status": "discarded", "reason": "x"}),
        ("post", f"{API}/suggestions/accept/", {"source": "activity", "source_id": activity.pk}),
        ("post", f"{API}/suggestions/dismiss/", {"source": "activity", "source_id": activity.pk}),
        ("post", f"{API}/actions/{action.pk}/pieces/", {"kind": "script", "title": "t", "body": "b"}),
        ("patch", piece_url, {"title": "Otro"}),
        ("post", f"{piece_url}approve/", {}),
        ("put", f"{piece_url}variants/", {"channel": web.pk, "text": "x"}),
        ("post", f"{piece_url}publish/", {"channel": web.pk}),
        ("post", f"{API}/channels/", {"kind": "webhook", "name": "x", "endpoint_url": "https://example.org/"}),
        ("patch", f"{API}/channels/{web.pk}/", {"name": "Otra"}),
    ]
    for method, url, body in writes:
        answer = getattr(reader, method)(url, body, content_type="application/json")
        assert answer.status_code == 403, (method, url, answer.content)
    # The editor writes but does not approve; the mayor approves but does not set up channels.
    editor, mayor = client_for(w.editor_alfa, w.alfa), client_for(w.mayor_alfa, w.alfa)
    assert post(editor, f"{piece_url}approve/", {}).status_code == 403
    assert post(mayor, f"{piece_url}approve/", {"version": piece.version}).json()["is_approved"] is True
    assert patch(mayor, f"{API}/channels/{web.pk}/", {"name": "Otra"}).status_code == 403
    use_municipality(w.alfa)
    assert CommunicationAction.objects.get().title == action.title and not Channel.objects.exclude(pk=web.pk).exists()


# --- the inbox -----------------------------------------------------------------------------


def test_accept_and_dismiss_suggestions_once(in_alfa: World) -> None:
    w = in_alfa
    fair = public_activity("Feria del campo", days=1)
    market = public_activity("Mercado campesino", days=3)
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)
    inbox = editor.get(f"{API}/suggestions/").json()
    assert [(s["source"], s["source_id"]) for s in inbox] == [("activity", fair.pk), ("activity", market.pk)]

    accepted = post(editor, f"{API}/suggestions/accept/", {"source": "activity", "source_id": fair.pk})
    assert accepted.status_code == 201, accepted.content
    action = accepted.json()
    assert action["origin"] == "activity" and action["activity"] == fair.pk and action["title"] == "Feria del campo"
    assert action["status"] == "identified" and action["editor_id"] == w.editor_alfa.pk
    again = post(editor, f"{API}/suggestions/accept/", {"source": "activity", "source_id": fair.pk})
    assert again.status_code == 400 and "ya resolvió" in again.json()["non_field_errors"][0]

    dismissed = post(editor, f"{API}/suggestions/dismiss/", {"source": "activity", "source_id": market.pk})
    assert dismissed.status_code == 204 and dismissed.content == b""
    twice = post(editor, f"{API}/suggestions/dismiss/", {"source": "activity", "source_id": market.pk})
    assert twice.status_code == 400 and "ya resolvió" in twice.json()["non_field_errors"][0]
    assert editor.get(f"{API}/suggestions/").json() == []

    unknown = post(editor, f"{API}/suggestions/accept/", {"source": "rumor", "source_id": 1})
    assert unknown.status_code == 400 and unknown.json()["non_field_errors"] == ["Origen de sugerencia desconocido."]
    gone = post(editor, f"{API}/suggestions/accept/", {"source": "milestone", "source_id": 999999})
    assert gone.status_code == 400 and "ya no existe" in gone.json()["non_field_errors"][0]
    assert post(editor, f"{API}/suggestions/accept/", {"source": "activity"}).json() == {
        "source_id": ["Este campo es requerido."]
    }
    use_municipality(w.alfa)
    assert CommunicationAction.objects.count() == 1


# --- pieces and publishing -----------------------------------------------------------------


def test_write_approve_and_publish_a_piece_to_the_news_page(
    in_alfa: World, django_capture_on_commit_callbacks: Any
) -> None:
    w = in_alfa
    action = make_action(w)
    web = services.web_channel()
    use_public_schema()
    editor, mayor = client_for(w.editor_alfa, w.alfa), client_for(w.mayor_alfa, w.alfa)

    written = post(
        editor, f"{API}/actions/{action.pk}/pieces/",
        {"kind": "web_news", "title": "Comienza la temporada de lluvias", "summary": "Qué hacer.",
         "body": "Limpie las canaletas y prepare un kit de emergencia."},
    )  # fmt: skip
    assert written.status_code == 201, written.content
    piece = written.json()
    pid, piece_url = piece["id"], f"{API}/actions/{action.pk}/pieces/{piece['id']}/"
    assert piece["is_approved"] is False and piece["files"] == [] and piece["publications"] == []
    assert editor.get(f"{API}/actions/{action.pk}/").json()["status"] == "in_preparation"

    # Approval is of the version the approver read.
    stale = post(mayor, f"{piece_url}approve/", {"version": piece["version"] + 1})
    assert stale.status_code == 400
    approved = post(mayor, f"{piece_url}approve/", {"version": piece["version"]})
    assert approved.status_code == 200 and approved.json()["is_approved"] is True
    assert approved.json()["approved_by"] == "Marta Alcaldesa"
    # Files show by name and id; where they are stored is not the caller's business.
    use_municipality(w.alfa)
    stored = services.piece_file_add(
        actor=w.editor_alfa, piece=Piece.objects.get(pk=pid), file=SimpleUploadedFile("mapa.pdf", b"%PDF-1.4 x")
    )
    use_public_schema()
    files = editor.get(piece_url).json()["files"]
    assert files == [{"id": stored.pk, "name": "mapa.pdf", "is_image": False, "alt_text": ""}]
    assert stored.file.name not in editor.get(f"{API}/actions/{action.pk}/").content.decode()
    approved = post(mayor, f"{piece_url}approve/", {"version": approved.json()["version"] + 1})
    assert approved.status_code == 200 and approved.json()["is_approved"] is True
    # A change withdraws it.
    edited = patch(editor, piece_url, {"summary": "Qué hacer en casa.", "version": approved.json()["version"]})
    assert edited.status_code == 200 and edited.json()["is_approved"] is False
    post(editor, f"{API}/actions/{action.pk}/status/", {"status": "in_preparation"})
    unapproved = post(editor, f"{piece_url}publish/", {"channel": web.pk})
    assert unapproved.status_code == 400 and {"approval", "status"} <= set(unapproved.json())
    assert "aprobada" in unapproved.json()["approval"][0]
    assert post(mayor, f"{piece_url}approve/", {"version": edited.json()["version"]}).status_code == 200
    assert post(editor, f"{API}/actions/{action.pk}/status/", {"status": "ready"}).json()["status"] == "ready"

    with django_capture_on_commit_callbacks(execute=True):
        queued = post(editor, f"{piece_url}publish/", {"channel": web.pk})
    assert queued.status_code == 202, queued.content
    assert queued.json()["channel"] == web.pk and queued.json()["status"] == "pending"
    after = editor.get(piece_url).json()["publications"]
    assert len(after) == 1 and after[0]["status"] == "published" and after[0]["attempts"] == 1
    assert after[0]["url"].endswith(f"/publico/noticias/{pid}/") and after[0]["published_at"]
    detail = editor.get(f"{API}/actions/{action.pk}/").json()
    assert detail["status"] == "published" and detail["published_at"]
    assert detail["pieces"][0]["publications"][0]["status"] == "published"

    again = post(editor, f"{piece_url}publish/", {"channel": web.pk})
    assert again.status_code == 400 and "ya está publicada" in again.json()["channel"][0]
    reach = post(editor, f"{API}/publications/{after[0]['id']}/reach/", {"reach": 1500, "reach_note": "Visitas"})
    assert reach.status_code == 200 and reach.json()["reach"] == 1500 and reach.json()["reach_note"] == "Visitas"
    negative = post(editor, f"{API}/publications/{after[0]['id']}/reach/", {"reach": -3})
    assert negative.status_code == 400 and "reach" in negative.json()
    assert post(editor, f"{API}/publications/999999/reach/", {"reach": 1}).status_code == 404
    news = client_for(None, w.alfa).get("/publico/noticias/")
    assert news.status_code == 200 and "Comienza la temporada de lluvias" in news.content.decode()
    use_municipality(w.alfa)
    assert Publication.objects.get().reach == 1500


def test_channel_limits_and_missing_credentials_refuse_publishing(in_alfa: World) -> None:
    w = in_alfa
    long_summary = "Lluvias " * 40  # 320 characters: too long for X
    piece = ready_piece(w, kind="social_post", summary=long_summary.strip()[:390])
    action_id = piece.action_id
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)
    piece_url = f"{API}/actions/{action_id}/pieces/{piece.pk}/"

    x = post(
        editor, f"{API}/channels/",
        {"kind": "x", "name": "X de la alcaldía", "account": "@alcaldia_alfa", "credentials": {"access_token": SECRET}},
    )  # fmt: skip
    assert x.status_code == 201, x.content
    assert x.json()["credentials_configured"] is True and x.json()["missing_credentials"] == []
    assert x.json()["limit"] == 280 and SECRET not in x.content.decode()
    too_long = post(editor, f"{piece_url}publish/", {"channel": x.json()["id"]})
    assert too_long.status_code == 400 and "280" in too_long.json()["text"][0]
    variant = editor.put(
        f"{piece_url}variants/", {"channel": x.json()["id"], "text": "x" * 281}, content_type="application/json"
    )
    assert variant.status_code == 400 and "280" in variant.json()["text"][0]
    short = editor.put(
        f"{piece_url}variants/", {"channel": x.json()["id"], "text": "Lluvias: limpie las canaletas."},
        content_type="application/json",
    )  # fmt: skip
    assert short.status_code == 200
    assert short.json()["variants"] == [
        {"channel": x.json()["id"], "channel_name": "X de la alcaldía", "text": "Lluvias: limpie las canaletas.",
         "limit": 280}
    ]  # fmt: skip

    hook = post(
        editor, f"{API}/channels/", {"kind": "webhook", "name": "Boletín", "endpoint_url": "http://127.0.0.1:9/"}
    )
    assert hook.status_code == 201, hook.content
    assert hook.json()["credentials_configured"] is False
    assert hook.json()["missing_credentials"] == ["secreto compartido para firmar"]
    assert hook.json()["endpoint_url"] == "http://127.0.0.1:9/"
    missing = post(editor, f"{piece_url}publish/", {"channel": hook.json()["id"]})
    assert missing.status_code == 400 and "credenciales" in missing.json()["channel"][0]
    assert post(editor, f"{piece_url}publish/", {"channel": 999999}).json()["channel"]
    bad_kind = post(editor, f"{API}/channels/", {"kind": "fax", "name": "Fax"})
    assert bad_kind.status_code == 400 and bad_kind.json()["kind"] == ["Elija el tipo de canal."]

    # Credentials go in and never come out: not in lists, details, changes or actions.
    stored = patch(
        editor, f"{API}/channels/{hook.json()['id']}/",
        {"credentials": {"secret": SECRET + "-hook"}, "version": hook.json()["version"]},
    )  # fmt: skip
    assert stored.status_code == 200 and stored.json()["credentials_configured"] is True
    kept = patch(editor, f"{API}/channels/{x.json()['id']}/", {"name": "X oficial", "credentials": {}})
    assert kept.json()["credentials_configured"] is True  # an empty credential keeps the stored one
    answers = [
        x, hook, stored, kept, editor.get(f"{API}/channels/"), editor.get(f"{API}/channels/{x.json()['id']}/"),
        editor.get(f"{API}/channels/{hook.json()['id']}/"), editor.get(f"{API}/actions/{action_id}/"),
        editor.get(piece_url), client_for(w.followup_alfa, w.alfa).get(f"{API}/channels/"),
    ]  # fmt: skip
    for answer in answers:
        text = json.dumps(answer.json())
        assert SECRET not in text and "credentials_encrypted" not in text and '"credentials"' not in text
    schema = editor.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert SECRET not in schema
    use_municipality(w.alfa)
    assert SECRET not in Channel.objects.get(kind="x").credentials_encrypted  # encrypted at rest
    assert not Piece.objects.get(pk=piece.pk).publications.exists()


# --- isolation and schema ------------------------------------------------------------------


def test_beta_never_sees_alfa(in_alfa: World) -> None:
    w = in_alfa
    piece = ready_piece(w)
    action_id = piece.action_id
    web = services.web_channel()
    activity = public_activity("Feria del campo")
    use_public_schema()
    intruder = client_for(w.admin_beta, w.alfa)  # a member of Beta on Alfa's host
    piece_url = f"{API}/actions/{action_id}/pieces/{piece.pk}/"
    for url in [f"{API}/actions/", f"{API}/actions/{action_id}/", piece_url, f"{API}/suggestions/",
                f"{API}/channels/", f"{API}/channels/{web.pk}/", "/api/schema/"]:  # fmt: skip
        assert intruder.get(url).status_code == 404, url
    writes = [
        (f"{API}/actions/", action_body(w)),
        (f"{API}/actions/{action_id}/status/", {"status": "discarded", "reason": "x"}),
        (f"{API}/suggestions/accept/", {"source": "activity", "source_id": activity.pk}),
        (f"{piece_url}approve/", {}),
        (f"{piece_url}publish/", {"channel": web.pk}),
        (f"{API}/channels/", {"kind": "webhook", "name": "x", "endpoint_url": "https://example.org/"}),
    ]
    for url, body in writes:
        assert post(intruder, url, body).status_code == 404, url
    assert patch(intruder, f"{API}/actions/{action_id}/", {"title": "Hackeada"}).status_code == 404
    # On Beta's own host Alfa's rows do not exist.
    beta = client_for(w.admin_beta, w.beta)
    assert beta.get(f"{API}/actions/").json()["count"] == 0
    assert beta.get(f"{API}/actions/{action_id}/").status_code == 404
    assert beta.get(f"{API}/suggestions/").json() == []
    assert [c["kind"] for c in beta.get(f"{API}/channels/").json()] == ["web"]
    assert "Feria del campo" not in beta.get(f"{API}/suggestions/").content.decode()
    assert client_for(None, w.alfa).get(f"{API}/actions/").status_code == 401
    use_municipality(w.alfa)
    assert CommunicationAction.objects.get().status == "ready"


def test_schema_documents_the_api_without_warnings(w: World) -> None:
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    from tenants.communications.apis import api_urlpatterns

    GENERATOR_STATS.reset()
    generated = SchemaGenerator(patterns=[path("api/v1/", include(api_urlpatterns))]).get_schema(public=True)
    assert not GENERATOR_STATS, dict(GENERATOR_STATS._warn_cache)
    assert "/api/v1/communications/actions/{id}/pieces/{pid}/publish/" in generated["paths"]
    # Together with the other apps' views: no name collisions with their components.
    GENERATOR_STATS.reset()
    SchemaGenerator(urlconf="sigobito_platform.urls_tenant").get_schema(public=True)
    ours = [m for m in GENERATOR_STATS._warn_cache if "communications" in m.lower()]
    GENERATOR_STATS.reset()
    assert ours == []
    schema = client_for(w.editor_alfa, w.alfa).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {f"/api/v1/communications/{p}" for p in ("actions/", "suggestions/accept/", "channels/{id}/")} <= set(paths)
    channel_input = schema.json()["components"]["schemas"]["ChannelInputRequest"]["properties"]
    assert channel_input["credentials"]["writeOnly"] is True


def test_nonsense_ids_and_parameters_answer_404_or_400_never_500(in_alfa: World) -> None:
    w = in_alfa
    piece = ready_piece(w)
    other = make_action(w, title="Otra acción")
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)
    big = "9" * 30
    for url in [f"{API}/actions/{big}/", f"{API}/actions/{big}/pieces/1/", f"{API}/channels/{big}/",
                f"{API}/actions/{other.pk}/pieces/{piece.pk}/"]:  # fmt: skip
        assert editor.get(url).status_code == 404, url
    assert post(editor, f"{API}/publications/{big}/reach/", {"reach": 1}).status_code == 404
    assert editor.get(f"{API}/actions/?tema={big}&lugar={big}").status_code == 400
    # The same form as the list page parses the filters: a status or person that is not one
    # is a field error.
    nonsense = editor.get(f"{API}/actions/?editor={big}&estado=nada&page=1")
    assert nonsense.status_code == 400 and set(nonsense.json()) == {"editor", "estado"}
    huge = post(editor, f"{API}/suggestions/accept/", {"source": "activity", "source_id": int(big)})
    assert huge.status_code == 400 and "source_id" in huge.json()
    assert post(editor, f"{API}/actions/", action_body(w, editor_id=int(big))).status_code == 400
