"""Publishing pieces, in this process, against a real local HTTP server standing in for the
channels (fake_channel.py): what a request checks, what each adapter sends, how temporary
and permanent failures are told apart, retries with their backoff and the same
idempotency key, a person's retry after a failure, and the sweep of lost messages."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tenants.communications import adapters, services, tasks
from tenants.communications.models import (
    ActionStatus,
    Channel,
    ChannelKind,
    CommunicationAction,
    Piece,
    Publication,
    PublicationStatus,
)
from tenants.communications.services.publishing import Attempt, publication_attempt, stale_publications
from tenants.db import use_municipality, use_public_schema
from tenants.links import workspace_url
from tenants.workspace.models import AuditEvent
from tests.communications.conftest import make_action, ready_piece
from tests.communications.fake_channel import FakeChannel, reply
from tests.conftest import World, client_for

TOKEN = "x-user-token-secreto-0001"
PAGE_TOKEN = "fb-page-token-secreto-0002"
HOOK_SECRET = "hook-shared-secret-0003"


@pytest.fixture
def fake() -> Iterator[FakeChannel]:
    with FakeChannel() as server:
        yield server


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def _channel(w: World, kind: str, endpoint: str, **data: Any) -> Channel:
    by_kind: dict[str, dict[str, str]] = {
        ChannelKind.X: {"access_token": TOKEN},
        ChannelKind.FACEBOOK: {"page_access_token": PAGE_TOKEN},
        ChannelKind.WEBHOOK: {"secret": HOOK_SECRET},
    }
    credentials = by_kind.get(kind, {})
    fields: dict[str, Any] = {"kind": kind, "name": f"Canal {kind}", "endpoint_url": endpoint, **data}
    if kind == ChannelKind.X:
        fields.setdefault("account", "@alcaldia_alfa")
    if kind == ChannelKind.FACEBOOK:
        fields.setdefault("account", "1029384756")
    return services.channel_save(actor=w.editor_alfa, data=fields, credentials=credentials)


def _request(w: World, piece: Piece, channel: Channel) -> Publication:
    return services.publication_request(actor=w.editor_alfa, piece=piece, channel=channel)


def _stored(publication: Publication) -> Publication:
    return Publication.objects.get(pk=publication.pk)


# --- what a request checks --------------------------------------------------------------------


def test_an_unapproved_piece_is_not_published(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    piece = ready_piece(w)
    # Changed after approval: that version was never approved.
    services.piece_save(actor=w.editor_alfa, action=piece.action, piece=piece, data={"body": "Otro texto."})
    channel = _channel(w, ChannelKind.WEBHOOK, fake.url)
    with pytest.raises(ValidationError) as exc:
        _request(w, piece, channel)
    assert "no está aprobada" in _errors(exc)["approval"][0]
    assert not Publication.objects.exists()


def test_an_action_that_is_not_ready_is_not_published(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    action = make_action(w)
    piece = services.piece_save(actor=w.editor_alfa, action=action, data={"kind": "web_news", "title": "T",
                                                                          "body": "B"})  # fmt: skip
    piece = services.piece_approve(actor=w.mayor_alfa, piece=piece, version=piece.version)
    with pytest.raises(ValidationError) as exc:
        _request(w, piece, _channel(w, ChannelKind.WEBHOOK, fake.url))
    assert "En preparación" in _errors(exc)["status"][0] and "lista" in _errors(exc)["status"][0]
    assert not Publication.objects.exists()


def test_a_text_over_the_channels_limit_is_not_published(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    # X takes the summary when there is no variant; this one is too long for it.
    piece = ready_piece(w, kind="social_post", summary="s" * 300)
    with pytest.raises(ValidationError) as exc:
        _request(w, piece, _channel(w, ChannelKind.X, fake.url))
    assert "280" in _errors(exc)["text"][0] and "300" in _errors(exc)["text"][0]
    assert not Publication.objects.exists()


def test_a_channel_without_credentials_or_inactive_is_not_used(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    piece = ready_piece(w, kind="social_post")
    bare = services.channel_save(
        actor=w.editor_alfa, data={"kind": "x", "name": "X sin token", "account": "a", "endpoint_url": fake.url}
    )
    with pytest.raises(ValidationError) as exc:
        _request(w, piece, bare)
    assert "credenciales" in _errors(exc)["channel"][0] and "token de acceso" in _errors(exc)["channel"][0]
    off = _channel(w, ChannelKind.WEBHOOK, fake.url, is_active=False)
    with pytest.raises(ValidationError) as exc:
        _request(w, piece, off)
    assert "desactivado" in _errors(exc)["channel"][0]
    assert not Publication.objects.exists()
    assert fake.requests == []


def test_only_editors_request_publication(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    piece = ready_piece(w)
    with pytest.raises(PermissionDenied):
        services.publication_request(actor=w.followup_alfa, piece=piece, channel=services.web_channel())
    assert not Publication.objects.exists()


def test_a_queued_pair_returns_its_row_and_a_published_pair_is_refused(
    in_alfa: World, fake: FakeChannel, django_capture_on_commit_callbacks: Any
) -> None:
    w = in_alfa
    piece = ready_piece(w)
    channel = _channel(w, ChannelKind.WEBHOOK, fake.url)
    with django_capture_on_commit_callbacks() as first:
        publication = _request(w, piece, channel)
    assert publication.status == PublicationStatus.PENDING and len(first) == 1
    # Asked again while queued (a double click): the same row, and no second message.
    with django_capture_on_commit_callbacks() as second:
        again = _request(w, piece, channel)
    assert again.pk == publication.pk and again.key == publication.key and second == []
    assert Publication.objects.count() == 1

    assert publication_attempt(publication_id=publication.pk).status == PublicationStatus.PUBLISHED
    with pytest.raises(ValidationError) as exc:
        _request(w, piece, channel)
    assert "ya está publicada" in _errors(exc)["channel"][0]
    assert len(fake.requests) == 1


# --- what each adapter sends ------------------------------------------------------------------


def test_x_gets_a_json_post_with_the_bearer_token(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    piece = ready_piece(w, kind="social_post", summary="Agua potable para 300 familias.")
    channel = _channel(w, ChannelKind.X, fake.url)
    publication = _request(w, piece, channel)
    fake.script(reply(201, data={"id": "1790000000000000001", "text": "…"}))

    attempt = publication_attempt(publication_id=publication.pk)

    assert attempt.status == PublicationStatus.PUBLISHED and attempt.retry_in is None
    (sent,) = fake.requests
    assert (sent.method, sent.path) == ("POST", "/2/tweets")
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert sent.headers["idempotency-key"] == str(publication.key)
    assert sent.json == {"text": "Agua potable para 300 familias."}
    stored = _stored(publication)
    assert stored.status == PublicationStatus.PUBLISHED and stored.attempts == 1
    assert stored.external_id == "1790000000000000001"
    assert stored.url == "https://x.com/alcaldia_alfa/status/1790000000000000001"
    assert stored.published_at is not None and stored.error == ""


def test_a_variant_is_what_the_channel_receives(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    action = make_action(w)
    piece = services.piece_save(actor=w.editor_alfa, action=action, data={
        "kind": "social_post", "title": "T", "summary": "Resumen largo", "body": "Cuerpo"})  # fmt: skip
    channel = _channel(w, ChannelKind.X, fake.url)
    services.variant_save(actor=w.editor_alfa, piece=piece, channel=channel, text="Corto para X #Alfa")
    services.piece_approve(actor=w.mayor_alfa, piece=piece, version=Piece.objects.get(pk=piece.pk).version)
    services.action_set_status(actor=w.editor_alfa, action=action, status=ActionStatus.READY)
    publication = _request(w, piece, channel)
    assert publication.text == "Corto para X #Alfa"
    publication_attempt(publication_id=publication.pk)
    assert fake.requests[0].json == {"text": "Corto para X #Alfa"}


def test_facebook_gets_a_form_post_to_the_pages_feed_with_the_news_link(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    piece = ready_piece(w, kind="web_news", summary="Resumen.", body="Cuerpo de la noticia.")
    # On the news page first: the post then links to it.
    on_web = _request(w, piece, services.web_channel())
    assert publication_attempt(publication_id=on_web.pk).status == PublicationStatus.PUBLISHED
    news = workspace_url(w.alfa, reverse("news:detail", args=[piece.pk]))
    assert _stored(on_web).url == news and "/publico/noticias/" in news
    assert fake.requests == []  # the web channel sends nothing

    channel = _channel(w, ChannelKind.FACEBOOK, fake.url)
    publication = _request(w, piece, channel)
    fake.script(reply(200, id="1029384756_555"))
    publication_attempt(publication_id=publication.pk)

    (sent,) = fake.requests
    assert (sent.method, sent.path) == ("POST", "/1029384756/feed")
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert sent.headers["idempotency-key"] == str(publication.key)
    assert sent.form == {"message": "Resumen.\n\nCuerpo de la noticia.", "access_token": PAGE_TOKEN, "link": news}
    stored = _stored(publication)
    assert stored.external_id == "1029384756_555" and stored.url == "https://www.facebook.com/1029384756_555"


def test_a_webhook_gets_a_signed_json_body(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    action = make_action(w)
    piece = services.piece_save(actor=w.editor_alfa, action=action, data={
        "kind": "press_release", "title": "Nueva red de agua", "summary": "300 familias.", "body": "Texto.",
        "video_url": "https://video.example.org/v/1"})  # fmt: skip
    image = services.piece_file_add(
        actor=w.editor_alfa, piece=piece, file=SimpleUploadedFile("obra.jpg", b"\xff\xd8\xff" + b"0" * 32),
        alt_text="La obra terminada",
    )  # fmt: skip
    fresh = Piece.objects.get(pk=piece.pk)
    services.piece_approve(actor=w.mayor_alfa, piece=fresh, version=fresh.version)
    services.action_set_status(actor=w.editor_alfa, action=action, status=ActionStatus.READY)
    channel = _channel(w, ChannelKind.WEBHOOK, f"{fake.url}/hooks/sigobito")
    publication = _request(w, piece, channel)
    fake.script(reply(202, id="hook-9", url="https://receptor.example.org/posts/9"))

    publication_attempt(publication_id=publication.pk)

    (sent,) = fake.requests
    assert (sent.method, sent.path) == ("POST", "/hooks/sigobito")
    assert sent.headers["content-type"] == "application/json"
    expected = hmac.new(HOOK_SECRET.encode(), sent.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(sent.headers["x-sigobito-signature"], f"sha256={expected}")
    body = sent.json
    assert body["key"] == str(publication.key) == sent.headers["idempotency-key"]
    assert body["title"] == "Nueva red de agua" and body["text"] == "300 familias.\n\nTexto."
    assert body["video_url"] == "https://video.example.org/v/1"
    # Not on the news page yet: no link, and no image addresses that would answer 404.
    assert body["link"] == "" and body["images"] == []
    assert HOOK_SECRET not in sent.body.decode()
    stored = _stored(publication)
    assert stored.external_id == "hook-9" and stored.url == "https://receptor.example.org/posts/9"

    # Once it is on the news page, another webhook gets its link and its images, which
    # anyone can fetch.
    publication_attempt(publication_id=_request(w, piece, services.web_channel()).pk)
    second = _request(w, piece, _channel(w, ChannelKind.WEBHOOK, f"{fake.url}/hooks/otro", name="Otro"))
    publication_attempt(publication_id=second.pk)
    body = fake.requests[-1].json
    assert body["link"] == workspace_url(w.alfa, reverse("news:detail", args=[piece.pk]))
    image_url = workspace_url(w.alfa, reverse("news:file", args=[piece.pk, image.pk]))
    assert body["images"] == [image_url]
    fetched = client_for(None, w.alfa).get(urlsplit(image_url).path)
    assert fetched.status_code == 200 and fetched["Content-Type"] == "image/jpeg"


def _attempt_now(pk: int) -> Attempt:
    """An attempt as the retry chain makes it: when its time has come (the test does not wait)."""
    Publication.objects.filter(pk=pk, next_attempt_at__isnull=False).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    return publication_attempt(publication_id=pk)


def test_the_first_success_moves_the_action_to_published(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    piece = ready_piece(w)
    action = piece.action
    assert CommunicationAction.objects.get(pk=action.pk).status == ActionStatus.READY
    hook = _channel(w, ChannelKind.WEBHOOK, fake.url)
    first = _request(w, piece, hook)
    fake.script(reply(500))
    _attempt_now(first.pk)
    assert CommunicationAction.objects.get(pk=action.pk).status == ActionStatus.READY  # a failure does not

    _attempt_now(first.pk)
    published = CommunicationAction.objects.get(pk=action.pk)
    assert published.status == ActionStatus.PUBLISHED and published.published_at is not None
    # A second channel later does not move the date of the first publication.
    second = _request(w, piece, services.web_channel())
    publication_attempt(publication_id=second.pk)
    assert CommunicationAction.objects.get(pk=action.pk).published_at == published.published_at
    # identified → in preparation (first piece), ready (by hand), published (first success).
    assert AuditEvent.objects.filter(action="communication.status", object_id=str(action.pk)).count() == 3


# --- failures and retries -------------------------------------------------------------------


@override_settings(COMMUNICATIONS_RETRY_SECONDS=2, COMMUNICATIONS_MAX_ATTEMPTS=5)
def test_a_server_error_is_retried_with_backoff_and_the_same_key(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    publication = _request(w, ready_piece(w), _channel(w, ChannelKind.WEBHOOK, fake.url))
    fake.script(reply(500), reply(503), reply(200, id="ok"))

    first = _attempt_now(publication.pk)
    assert first.status == PublicationStatus.RETRYING and first.retry_in == 2
    stored = _stored(publication)
    assert stored.attempts == 1 and "500" in stored.error and stored.next_attempt_at is not None
    assert stored.next_attempt_at > timezone.now() + timedelta(seconds=1)

    second = _attempt_now(publication.pk)
    assert second.status == PublicationStatus.RETRYING and second.retry_in == 4  # doubled
    assert "503" in _stored(publication).error

    third = _attempt_now(publication.pk)
    assert third.status == PublicationStatus.PUBLISHED and third.retry_in is None
    stored = _stored(publication)
    assert stored.attempts == 3 and stored.error == "" and stored.external_id == "ok"
    assert [r.answered for r in fake.requests] == [500, 503, 200]
    assert {r.headers["idempotency-key"] for r in fake.requests} == {str(publication.key)}
    assert len({r.body for r in fake.requests}) == 1  # the same body each time


@override_settings(COMMUNICATIONS_RETRY_SECONDS=2)
def test_too_many_requests_honours_retry_after(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    publication = _request(w, ready_piece(w), _channel(w, ChannelKind.WEBHOOK, fake.url))
    fake.script(reply(429, retry_after=0), reply(429, retry_after=120), reply(429, retry_after=10**6), reply(429))

    # Retry-After 0 is no reason to hammer: the backoff still applies.
    assert _attempt_now(publication.pk).retry_in == 2
    assert "429" in _stored(publication).error
    # Longer than the backoff: the channel's word wins…
    assert _attempt_now(publication.pk).retry_in == 120
    # …up to an hour.
    assert _attempt_now(publication.pk).retry_in == adapters.MAX_RETRY_AFTER
    # Without the header, the backoff (2 * 2**3).
    assert _attempt_now(publication.pk).retry_in == 16
    assert _stored(publication).status == PublicationStatus.RETRYING


@override_settings(COMMUNICATIONS_RETRY_SECONDS=2)
def test_a_channel_that_does_not_answer_in_time_is_retried(
    in_alfa: World, fake: FakeChannel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(adapters, "TIMEOUT_SECONDS", 0.5)
    w = in_alfa
    publication = _request(w, ready_piece(w), _channel(w, ChannelKind.WEBHOOK, fake.url))
    fake.script(reply(200, id="tarde", delay=2))

    attempt = _attempt_now(publication.pk)

    assert attempt.status == PublicationStatus.RETRYING and attempt.retry_in == 2
    assert "no respondió" in _stored(publication).error
    assert len(fake.requests) == 1


def test_a_channel_that_cannot_be_reached_is_retried(in_alfa: World) -> None:
    w = in_alfa
    with FakeChannel() as gone:
        url = gone.url
    # The server is closed: nothing listens on that port any more.
    publication = _request(w, ready_piece(w), _channel(w, ChannelKind.WEBHOOK, url))
    attempt = _attempt_now(publication.pk)
    assert attempt.status == PublicationStatus.RETRYING
    assert "No se pudo conectar" in _stored(publication).error


@override_settings(COMMUNICATIONS_RETRY_SECONDS=2, COMMUNICATIONS_MAX_ATTEMPTS=3)
def test_after_the_last_attempt_the_publication_fails_and_a_person_can_retry_it(
    in_alfa: World, fake: FakeChannel
) -> None:
    w = in_alfa
    channel = _channel(w, ChannelKind.WEBHOOK, fake.url)
    publication = _request(w, ready_piece(w), channel)
    fake.script(default=reply(500))
    outcomes = [_attempt_now(publication.pk) for _ in range(3)]
    assert [o.status for o in outcomes] == ["retrying", "retrying", "failed"]
    assert outcomes[-1].retry_in is None
    stored = _stored(publication)
    assert stored.status == PublicationStatus.FAILED and stored.attempts == 3
    assert "500" in stored.error and "3 veces" in stored.error
    # A stray message after the failure sends nothing.
    assert _attempt_now(publication.pk).status == PublicationStatus.FAILED
    assert len(fake.requests) == 3

    # The channel is fixed; a person asks again: the same row and key, counted afresh.
    fake.script(default=reply(200, id="por-fin"))
    retried = _request(w, stored.piece, channel)
    assert retried.pk == publication.pk and retried.key == publication.key
    assert (retried.status, retried.attempts, retried.error) == (PublicationStatus.PENDING, 0, "")
    assert _attempt_now(publication.pk).status == PublicationStatus.PUBLISHED
    final = _stored(publication)
    assert final.attempts == 1 and final.external_id == "por-fin"
    assert {r.headers["idempotency-key"] for r in fake.requests} == {str(publication.key)}
    assert AuditEvent.objects.filter(action="publication.retried").count() == 1
    assert AuditEvent.objects.filter(action="publication.failed").count() == 1


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_fail_at_once(in_alfa: World, fake: FakeChannel, status: int) -> None:
    w = in_alfa
    publication = _request(w, ready_piece(w, kind="social_post"), _channel(w, ChannelKind.X, fake.url))
    fake.script(reply(status, title="Unauthorized"))
    attempt = publication_attempt(publication_id=publication.pk)
    assert attempt.status == PublicationStatus.FAILED and attempt.retry_in is None
    stored = _stored(publication)
    assert stored.attempts == 1 and "credenciales" in stored.error and str(status) in stored.error
    assert TOKEN not in stored.error
    assert len(fake.requests) == 1


def test_a_refused_text_or_an_answer_without_id_fails_at_once(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    piece = ready_piece(w, kind="social_post")
    x = _channel(w, ChannelKind.X, fake.url)
    refused = _request(w, piece, x)
    fake.script(reply(400, detail="duplicate content"))
    assert publication_attempt(publication_id=refused.pk).status == PublicationStatus.FAILED
    assert "(400)" in _stored(refused).error and "duplicate content" in _stored(refused).error

    facebook = _channel(w, ChannelKind.FACEBOOK, fake.url)
    silent = _request(w, piece, facebook)
    fake.script(reply(200, ok=True))
    assert publication_attempt(publication_id=silent.pk).status == PublicationStatus.FAILED
    assert "identificador" in _stored(silent).error


def test_a_channel_turned_off_after_the_request_fails_the_attempt(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    channel = _channel(w, ChannelKind.WEBHOOK, fake.url)
    publication = _request(w, ready_piece(w), channel)
    services.channel_save(actor=w.editor_alfa, channel=channel, data={"is_active": False})
    assert publication_attempt(publication_id=publication.pk).status == PublicationStatus.FAILED
    assert "desactivado" in _stored(publication).error
    assert fake.requests == []


# --- through the task, in this process -------------------------------------------------------


def test_a_request_enqueues_the_task_on_commit(
    in_alfa: World, fake: FakeChannel, django_capture_on_commit_callbacks: Any
) -> None:
    """Tasks run eagerly in tests (and in development without a broker): the commit runs the
    first attempt at once."""
    w = in_alfa
    with django_capture_on_commit_callbacks(execute=True):
        publication = _request(w, ready_piece(w), _channel(w, ChannelKind.WEBHOOK, fake.url))
    stored = _stored(publication)
    assert stored.status == PublicationStatus.PUBLISHED and stored.attempts == 1
    assert [r.answered for r in fake.requests] == [200]
    # Eagerly, a temporary failure cannot wait for its countdown: the row stays queued,
    # with its next attempt due, for the sweep (a real worker retries it: see
    # test_publishing_worker.py).
    fake.script(reply(500))
    with django_capture_on_commit_callbacks(execute=True):
        other = _request(w, ready_piece(w), _channel(w, ChannelKind.WEBHOOK, fake.url, name="Otro"))
    stored = _stored(other)
    assert stored.status == PublicationStatus.RETRYING and stored.attempts == 1
    assert stored.next_attempt_at is not None


def test_a_broker_that_is_down_leaves_the_row_queued_for_the_sweep(
    in_alfa: World, fake: FakeChannel, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.publish, "apply_async", down)
    w = in_alfa
    with django_capture_on_commit_callbacks(execute=True):
        publication = _request(w, ready_piece(w), _channel(w, ChannelKind.WEBHOOK, fake.url))
    assert _stored(publication).status == PublicationStatus.PENDING
    assert fake.requests == []


def test_stale_publications_are_the_lost_ones_only(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    piece = ready_piece(w)
    now = timezone.now()
    long_ago, just_now = now - timedelta(minutes=30), now - timedelta(minutes=2)
    made: dict[str, int] = {}
    cases: dict[str, dict[str, Any]] = {
        "pending, never tried, old": {"status": "pending", "requested_at": long_ago},
        "pending, never tried, new": {"status": "pending", "requested_at": just_now},
        "pending, tried long ago": {"status": "pending", "requested_at": long_ago, "last_attempt_at": long_ago},
        "pending, tried just now": {"status": "pending", "requested_at": long_ago, "last_attempt_at": just_now},
        "retrying, due long ago": {"status": "retrying", "requested_at": long_ago, "next_attempt_at": long_ago},
        "retrying, just due": {"status": "retrying", "requested_at": long_ago, "next_attempt_at": just_now},
        "retrying, due later": {"status": "retrying", "requested_at": long_ago,
                                "next_attempt_at": now + timedelta(hours=1)},
        "published long ago": {"status": "published", "requested_at": long_ago, "published_at": long_ago},
        "failed long ago": {"status": "failed", "requested_at": long_ago, "last_attempt_at": long_ago},
    }  # fmt: skip
    for n, (name, fields) in enumerate(cases.items()):
        channel = _channel(w, ChannelKind.WEBHOOK, fake.url, name=f"Hook {n}")
        row = Publication.objects.create(piece=piece, channel=channel)
        # requested_at is set on insert; the row is aged afterwards.
        Publication.objects.filter(pk=row.pk).update(**fields)
        made[name] = row.pk
    found = set(stale_publications(timedelta(minutes=10)))
    expected = {made["pending, never tried, old"], made["pending, tried long ago"], made["retrying, due long ago"]}
    assert found == expected


def test_the_sweep_resends_a_lost_message_from_the_public_schema(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    publication = _request(w, ready_piece(w), _channel(w, ChannelKind.WEBHOOK, fake.url))
    # Its message was lost (the broker was down at commit) half an hour ago.
    Publication.objects.filter(pk=publication.pk).update(requested_at=timezone.now() - timedelta(minutes=30))
    with pytest.raises(RuntimeError):
        tasks.sweep_publications()  # from inside a municipality it refuses
    use_public_schema()
    assert tasks.sweep_publications() == 1
    use_municipality(w.alfa)
    assert _stored(publication).status == PublicationStatus.PUBLISHED
    assert len(fake.requests) == 1
    use_public_schema()
    assert tasks.sweep_publications() == 0  # nothing left to send
    use_municipality(w.alfa)


def test_reach_is_recorded_on_published_publications_only(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    publication = _request(w, ready_piece(w), services.web_channel())
    with pytest.raises(ValidationError) as exc:
        services.publication_set_reach(actor=w.editor_alfa, publication=publication, reach=10)
    assert "ya está publicada" in _errors(exc)["reach"][0]
    publication_attempt(publication_id=publication.pk)
    for bad in (-1, "mil"):
        with pytest.raises(ValidationError):
            services.publication_set_reach(actor=w.editor_alfa, publication=publication, reach=bad)  # type: ignore[arg-type]
    saved = services.publication_set_reach(
        actor=w.editor_alfa, publication=publication, reach=1500, note="Según las estadísticas de la página"
    )
    assert (saved.reach, saved.reach_note) == (1500, "Según las estadísticas de la página")
    assert _stored(publication).reach == 1500


# --- never twice: early duplicates, unclear outcomes, attempts that died mid-send ------------


@override_settings(COMMUNICATIONS_RETRY_SECONDS=60)
def test_a_duplicate_message_before_the_retry_is_due_sends_nothing(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    publication = _request(w, ready_piece(w), _channel(w, ChannelKind.WEBHOOK, fake.url))
    fake.script(reply(500))
    assert publication_attempt(publication_id=publication.pk).status == PublicationStatus.RETRYING
    # The sweep, a button or a redelivered message arrives early: it does not hammer the channel.
    assert publication_attempt(publication_id=publication.pk) == Attempt("not_due")
    assert len(fake.requests) == 1 and _stored(publication).attempts == 1


@pytest.mark.parametrize("kind", [ChannelKind.X, ChannelKind.FACEBOOK])
def test_a_network_that_may_have_published_is_not_retried_blindly(in_alfa: World, fake: FakeChannel, kind: str) -> None:
    """X and Facebook ignore idempotency keys: after a 5xx the post may exist, so a person
    checks; the reason says so, and their retry is the same row."""
    w = in_alfa
    publication = _request(w, ready_piece(w, kind="social_post"), _channel(w, kind, fake.url))
    fake.script(reply(502))
    attempt = publication_attempt(publication_id=publication.pk)
    assert attempt.status == PublicationStatus.FAILED and attempt.retry_in is None
    stored = _stored(publication)
    assert "502" in stored.error and "compruebe en el canal" in stored.error
    assert len(fake.requests) == 1


def test_a_network_that_could_not_be_reached_is_retried(in_alfa: World) -> None:
    """Nothing left the machine: retrying cannot publish twice, even on X."""
    w = in_alfa
    with FakeChannel() as gone:
        url = gone.url
    publication = _request(w, ready_piece(w, kind="social_post"), _channel(w, ChannelKind.X, url))
    assert publication_attempt(publication_id=publication.pk).status == PublicationStatus.RETRYING


@pytest.mark.parametrize(("kind", "resent"), [(ChannelKind.WEBHOOK, True), (ChannelKind.X, False)])
def test_an_attempt_that_died_while_sending(in_alfa: World, fake: FakeChannel, kind: str, resent: bool) -> None:
    """A worker killed after it began to send leaves the row marked: a webhook gets the same
    request again (same key, it deduplicates); X is left to a person."""
    w = in_alfa
    publication = _request(w, ready_piece(w, kind="social_post"), _channel(w, kind, fake.url))
    Publication.objects.filter(pk=publication.pk).update(sending_since=timezone.now(), attempts=1)
    attempt = publication_attempt(publication_id=publication.pk)
    stored = _stored(publication)
    assert stored.sending_since is None
    if resent:
        assert attempt.status == PublicationStatus.PUBLISHED
        assert [r.headers["idempotency-key"] for r in fake.requests] == [str(publication.key)]
    else:
        assert attempt.status == PublicationStatus.FAILED and "interrumpió" in stored.error
        assert fake.requests == []


def test_a_publication_whose_action_left_ready_is_not_sent(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    piece = ready_piece(w)
    publication = _request(w, piece, _channel(w, ChannelKind.WEBHOOK, fake.url))
    services.action_set_status(actor=w.editor_alfa, action=piece.action, status="in_preparation")
    attempt = publication_attempt(publication_id=publication.pk)
    assert attempt.status == PublicationStatus.FAILED
    assert "En preparación" in _stored(publication).error
    assert fake.requests == []


def test_x_counts_links_as_23_and_wide_characters_as_2() -> None:
    x = adapters.adapter_for(ChannelKind.X)
    assert x.length("Hola") == 4
    assert x.length("Mire https://example.org/una/ruta/muy/larga/que/no/importa") == 5 + 23
    assert x.length("水道") == 4
    assert adapters.adapter_for(ChannelKind.FACEBOOK).length("水道") == 2


def test_an_over_limit_text_by_x_count_is_refused(in_alfa: World, fake: FakeChannel) -> None:
    w = in_alfa
    channel = _channel(w, ChannelKind.X, fake.url)
    # 150 wide characters: 150 by len(), 300 by X's count.
    piece = ready_piece(w, kind="social_post", summary="", body="水" * 150)
    with pytest.raises(ValidationError) as caught:
        _request(w, piece, channel)
    assert "300" in str(caught.value.message_dict["text"])
