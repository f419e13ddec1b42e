"""Publishing pieces to channels, once.

`publication_request` checks everything a person can fix (approval, the channel's limit,
its credentials) and records one Publication row per (piece, channel) in the same
transaction; the Celery task is enqueued on commit. `publication_attempt` is the task's
body: it holds the row's lock for the whole attempt, so a duplicated or redelivered message
waits or skips and then finds the row published, never sending a second time. The row's key
goes to the channel as `Idempotency-Key` for the one case a database cannot cover: the
worker dying after the channel accepted but before the row was committed.

A message lost on the way (broker down at commit, a retry that never came back) is picked
up by `communications.sweep_publications`, which re-enqueues rows left queued for long.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.accounts.models import User
from tenants.audit import audit
from tenants.communications import access, crypto
from tenants.communications.adapters import (
    Adapter,
    Outgoing,
    PermanentFailure,
    Result,
    TemporaryFailure,
    adapter_for,
)
from tenants.communications.models import (
    ActionStatus,
    Channel,
    ChannelKind,
    Piece,
    Publication,
    PublicationStatus,
)
from tenants.communications.services.actions import mark_published, settings_for_municipality
from tenants.communications.services.channels import check_endpoint, missing_credentials
from tenants.communications.services.pieces import IN_FLIGHT, channel_limit, limit_message
from tenants.db import current_municipality, current_schema
from tenants.links import workspace_url
from tenants.service_utils import label
from tenants.structure.validation import clean_text, collect, raise_if

log = logging.getLogger(__name__)
# A retry message may arrive a little before the time its row records.
NOT_DUE_SLACK = timedelta(seconds=2)
CHECK = gettext_lazy(
    "No se reintenta solo, para no publicar dos veces: compruebe en el canal si salió y, si no, reintente."
)


def max_attempts() -> int:
    return int(getattr(settings, "COMMUNICATIONS_MAX_ATTEMPTS", 5))


def retry_base_seconds() -> float:
    return float(getattr(settings, "COMMUNICATIONS_RETRY_SECONDS", 30))


def news_url(piece_id: int) -> str:
    return workspace_url(current_municipality(), reverse("news:detail", args=[piece_id]))


def text_for(piece: Piece, channel: Channel) -> str:
    """What the channel receives: its variant, else the piece's summary and text for a
    webhook or a page, else (for a short network) the summary, else the text."""
    variant = next((v for v in piece.variants.all() if v.channel_id == channel.pk), None)
    if variant is not None:
        return variant.text
    if channel.kind == ChannelKind.X:
        return piece.summary or piece.body
    if channel.kind == ChannelKind.WEB:
        return piece.body
    return "\n\n".join(t for t in (piece.summary, piece.body) if t)


def check_publishable(piece: Piece, channel: Channel, *, require_approval: bool | None = None) -> dict[str, list[str]]:
    """Everything a person must fix before a piece can go to a channel, by field.
    `require_approval`: the municipality's setting, when the caller already read it (a page
    checks every piece on every channel)."""
    errors: dict[str, list[str]] = {}
    action = piece.action
    if action.status not in (ActionStatus.READY, ActionStatus.PUBLISHED):
        errors["status"] = [
            _("La acción está «%(status)s»: márquela como lista antes de publicar.")
            % {"status": ActionStatus(action.status).label}
        ]
    if require_approval is None:
        require_approval = settings_for_municipality().require_approval
    if require_approval and not piece.is_approved:
        errors["approval"] = [
            _("La pieza no está aprobada en su versión actual: el titular o la contraparte debe aprobarla.")
        ]
    if not channel.is_active:
        errors["channel"] = [_("El canal «%(channel)s» está desactivado.") % {"channel": channel.name}]
    adapter = adapter_for(channel.kind)
    missing = missing_credentials(channel)
    if missing:
        errors["channel"] = [
            _("El canal «%(channel)s» no tiene credenciales válidas: falta %(fields)s.")
            % {"channel": channel.name, "fields": ", ".join(missing)}
        ]
    elif adapter.needs_account and not channel.account:
        errors["channel"] = [_("El canal «%(channel)s» no indica la cuenta o página.") % {"channel": channel.name}]
    elif adapter.needs_endpoint and not channel.endpoint_url:
        errors["channel"] = [_("El canal «%(channel)s» no tiene dirección de envío.") % {"channel": channel.name}]
    text = text_for(piece, channel)
    limit = channel_limit(channel)
    length = adapter.length(text)
    if limit is not None and length > limit:
        errors["text"] = [limit_message(channel, length, limit)]
    return errors


def publication_request(*, actor: User | None, piece: Piece, channel: Channel) -> Publication:
    """Queue a piece for a channel. Asking again for a queued one returns it; for a failed
    one it is the retry; for a published one it is refused (never twice)."""
    access.require_editor(actor)
    with transaction.atomic():
        piece = Piece.objects.select_for_update().select_related("action").get(pk=piece.pk)
        existing = Publication.objects.filter(piece=piece, channel=channel).first()
        if existing is not None and existing.status == PublicationStatus.PUBLISHED:
            raise ValidationError(
                {"channel": [_("La pieza ya está publicada en «%(channel)s».") % {"channel": channel.name}]}
            )
        if existing is not None and existing.status in IN_FLIGHT:
            # A retry whose time has come but that no worker took (development without a
            # broker, a lost message): asking again sends it now. Otherwise it is on its way.
            due = existing.next_attempt_at
            if existing.status == PublicationStatus.RETRYING and due is not None and due <= timezone.now():
                transaction.on_commit(lambda: enqueue(existing.pk))
            return existing
        raise_if(check_publishable(piece, channel))
        publication = existing or Publication(piece=piece, channel=channel)
        publication.status = PublicationStatus.PENDING
        publication.text = text_for(piece, channel)
        publication.error = ""
        publication.attempts = 0
        publication.next_attempt_at = None
        publication.last_attempt_at = None
        publication.sending_since = None
        publication.requested_at = timezone.now()
        publication.requested_by_label = label(actor)
        publication.save()
        audit(
            actor=actor, action="publication.requested" if existing is None else "publication.retried",
            object_type="piece", object_id=piece.pk, channel=channel.name,
        )  # fmt: skip
        transaction.on_commit(lambda: enqueue(publication.pk))
    return publication


def enqueue(publication_id: int, countdown: float | None = None) -> None:
    from tenants.communications.tasks import publish

    try:
        publish.apply_async(args=(publication_id,), countdown=countdown or 0)
    except Exception:  # the broker is down: the row stays queued and the sweep sends it
        log.exception("Could not enqueue publication %s; the sweep will pick it up.", publication_id)


@dataclass(frozen=True)
class Attempt:
    status: str
    retry_in: float | None = None


@contextmanager
def _attempt_lock(publication_id: int) -> Iterator[bool]:
    """A session-level advisory lock on the publication for the whole attempt, HTTP call
    included (no transaction is held open during it). It dies with the connection, so a
    worker killed mid-call frees it and the redelivered message can tell "another worker is
    sending" (lock taken) from "an attempt died while sending" (lock free, row marked)."""
    key = (zlib.crc32(current_schema().encode()) & 0x7FFFFFFF, publication_id & 0x7FFFFFFF)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        got = bool(cursor.fetchone()[0])
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)


def publication_attempt(*, publication_id: int) -> Attempt:
    """One attempt. Returns what happened and, for a temporary failure with attempts left,
    in how many seconds to try again. Messages are in the municipality's language."""
    with translation.override(current_municipality().default_language), _attempt_lock(publication_id) as got:
        if not got:
            return Attempt("busy")  # another worker is on it and will finish the job
        claimed = _claim(publication_id)
        if isinstance(claimed, Attempt):
            return claimed
        publication, adapter, credentials, item = claimed
        try:
            result = adapter.publish(
                endpoint=publication.channel.endpoint_url, account=publication.channel.account,
                credentials=credentials, item=item,
            )  # fmt: skip
        except PermanentFailure as failure:
            return _record(publication_id, failure=failure.reason)
        except TemporaryFailure as failure:
            return _record(publication_id, temporary=failure, idempotent=adapter.idempotent)
        return _record(publication_id, result=result)


Claim = tuple[Publication, Adapter, dict[str, str], Outgoing]


def _claim(publication_id: int) -> Attempt | Claim:
    """Phase one, committed before anything is sent: check the row can go, count the
    attempt and mark it as sending."""
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update(of=("self",))
            .select_related("piece", "piece__action", "channel")
            .filter(pk=publication_id)
            .first()
        )
        if publication is None:
            return Attempt("gone")
        if publication.status not in IN_FLIGHT:
            return Attempt(publication.status)  # published, or failed and waiting for a person
        now = timezone.now()
        due = publication.next_attempt_at
        if publication.status == PublicationStatus.RETRYING and due is not None and due > now + NOT_DUE_SLACK:
            # A duplicate or early message: the retry chain that set this time comes back then.
            return Attempt("not_due")
        piece, channel = publication.piece, publication.channel
        adapter = adapter_for(channel.kind)
        if publication.sending_since is not None and not adapter.idempotent:
            # An attempt died after it began to send: the network may have published it, and
            # it ignores idempotency keys. Only a person can look and decide.
            publication.sending_since = None
            _fail(publication, _("Un intento anterior se interrumpió mientras enviaba. %(check)s") % {"check": CHECK})
            return Attempt(publication.status)
        if piece.action.status not in (ActionStatus.READY, ActionStatus.PUBLISHED):
            _fail(
                publication,
                _("La acción pasó a «%(status)s» después de pedir la publicación; no se envió.")
                % {"status": ActionStatus(piece.action.status).label},
            )
            return Attempt(publication.status)
        try:
            credentials = crypto.decrypt(channel.credentials_encrypted)
        except crypto.UnreadableCredentials:
            _fail(publication, _("Las credenciales guardadas no se pueden leer: vuelva a escribirlas."))
            return Attempt(publication.status)
        problem = ""
        if not channel.is_active:
            problem = _("El canal «%(channel)s» está desactivado.") % {"channel": channel.name}
        elif missing := missing_credentials(channel):
            problem = _("Faltan credenciales: %(fields)s.") % {"fields": ", ".join(missing)}
        elif channel.kind != ChannelKind.WEB and (refused := check_endpoint(channel.endpoint_url)):
            # Checked again now: a name may resolve elsewhere than when the channel was saved.
            problem = refused
        if problem:
            _fail(publication, problem)
            return Attempt(publication.status)
        link = _web_link(piece, channel)
        item = Outgoing(
            key=str(publication.key),
            title=piece.title,
            text=publication.text,
            link=link,
            video_url=piece.video_url,
            # The images are served only once the piece is on the news page: before that
            # their addresses would answer 404 to whoever received them.
            image_urls=[
                workspace_url(current_municipality(), reverse("news:file", args=[piece.pk, f.pk]))
                for f in piece.files.all()
                if f.is_image
            ]
            if link
            else [],
        )
        publication.attempts += 1
        publication.last_attempt_at = now
        publication.sending_since = now
        publication.save(update_fields=["attempts", "last_attempt_at", "sending_since"])
    return publication, adapter, credentials, item


def _record(
    publication_id: int,
    *,
    result: Result | None = None,
    failure: str = "",
    temporary: TemporaryFailure | None = None,
    idempotent: bool = True,
) -> Attempt:
    """Phase three: what the channel answered."""
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update(of=("self",)).select_related("channel").get(pk=publication_id)
        )
        publication.sending_since = None
        retry_in: float | None = None
        if result is not None:
            publication.status = PublicationStatus.PUBLISHED
            publication.external_id = result.external_id[:200]
            publication.url = result.url[:500]
            publication.error = ""
            publication.next_attempt_at = None
            publication.published_at = timezone.now()
            publication.save()
            mark_published(action_id=Piece.objects.values_list("action_id", flat=True).get(pk=publication.piece_id))
            audit(
                actor=None, action="publication.published", object_type="piece", object_id=publication.piece_id,
                channel=publication.channel.name, url=publication.url,
            )  # fmt: skip
        elif temporary is not None and temporary.maybe_sent and not idempotent:
            # The channel may have published it before failing to answer; a network that
            # ignores idempotency keys would publish it twice if we tried again by ourselves.
            _fail(publication, f"{temporary.reason} {CHECK}")
        elif temporary is not None and publication.attempts < max_attempts():
            backoff = retry_base_seconds() * 2 ** (publication.attempts - 1)
            retry_in = max(temporary.retry_after or 0.0, backoff)
            publication.status = PublicationStatus.RETRYING
            publication.error = temporary.reason
            publication.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
            publication.save()
        elif temporary is not None:
            _fail(
                publication,
                _("%(reason)s Se intentó %(n)s veces; reintente más tarde.")
                % {"reason": temporary.reason, "n": publication.attempts},
            )
        else:
            _fail(publication, failure)
        return Attempt(publication.status, retry_in)


def _web_link(piece: Piece, channel: Channel) -> str:
    """The piece's news page, for the web channel itself and for networks once it is there."""
    if channel.kind == ChannelKind.WEB:
        return news_url(piece.pk)
    on_web = piece.publications.filter(channel__kind=ChannelKind.WEB, status=PublicationStatus.PUBLISHED).exists()
    return news_url(piece.pk) if on_web else ""


def _fail(publication: Publication, reason: str) -> None:
    publication.status = PublicationStatus.FAILED
    publication.error = reason
    publication.save()
    audit(
        actor=None, action="publication.failed", object_type="piece", object_id=publication.piece_id,
        channel=publication.channel.name, reason=reason,
    )  # fmt: skip


def publication_set_reach(
    *, actor: User | None, publication: Publication, reach: int | None, note: str = ""
) -> Publication:
    """Record how many people a publication reached (as the channel's statistics say)."""
    access.require_editor(actor)
    with transaction.atomic():
        fresh = Publication.objects.select_for_update().get(pk=publication.pk)
        errors: dict[str, list[str]] = {}
        if fresh.status != PublicationStatus.PUBLISHED:
            errors["reach"] = [_("El alcance se registra cuando la pieza ya está publicada.")]
        if reach is not None and (not isinstance(reach, int) or not 0 <= reach <= 1_000_000_000):
            errors["reach"] = [_("Indique un número entero de personas, 0 o más.")]
        clean_note = collect(errors, "reach_note", clean_text, note, max_length=300)
        raise_if(errors)
        fresh.reach, fresh.reach_note = reach, clean_note
        fresh.save(update_fields=["reach", "reach_note"])
        audit(actor=actor, action="publication.reach", object_type="piece", object_id=fresh.piece_id, reach=reach)
    return fresh


def stale_publications(grace: timedelta) -> list[int]:
    """Queued rows whose message seems lost: still pending `grace` after they were asked
    for, or still retrying `grace` after their retry was due."""
    cutoff = timezone.now() - grace
    rows = Publication.objects.filter(
        Q(status=PublicationStatus.PENDING, requested_at__lt=cutoff, last_attempt_at__isnull=True)
        | Q(status=PublicationStatus.PENDING, last_attempt_at__lt=cutoff)
        | Q(status=PublicationStatus.RETRYING, next_attempt_at__lt=cutoff)
    )
    return list(rows.values_list("pk", flat=True))
