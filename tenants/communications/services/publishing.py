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
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.audit import audit
from tenants.communications import access, crypto
from tenants.communications.adapters import (
    Outgoing,
    PermanentFailure,
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
from tenants.communications.services.channels import missing_credentials
from tenants.communications.services.pieces import channel_limit, limit_message
from tenants.db import current_municipality
from tenants.links import workspace_url
from tenants.service_utils import label
from tenants.structure.validation import clean_text, collect, raise_if

log = logging.getLogger(__name__)
IN_FLIGHT = (PublicationStatus.PENDING, PublicationStatus.RETRYING)


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


def check_publishable(piece: Piece, channel: Channel) -> dict[str, list[str]]:
    """Everything a person must fix before a piece can go to a channel, by field."""
    errors: dict[str, list[str]] = {}
    action = piece.action
    if action.status not in (ActionStatus.READY, ActionStatus.PUBLISHED):
        errors["status"] = [
            _("La acción está «%(status)s»: márquela como lista antes de publicar.")
            % {"status": ActionStatus(action.status).label}
        ]
    if settings_for_municipality().require_approval and not piece.is_approved:
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
    if limit is not None and len(text) > limit:
        errors["text"] = [limit_message(channel, len(text), limit)]
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
            return existing
        raise_if(check_publishable(piece, channel))
        publication = existing or Publication(piece=piece, channel=channel)
        publication.status = PublicationStatus.PENDING
        publication.text = text_for(piece, channel)
        publication.error = ""
        publication.attempts = 0
        publication.next_attempt_at = None
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


def publication_attempt(*, publication_id: int) -> Attempt:
    """One attempt, under the row's lock. Returns what happened and, for a temporary
    failure with attempts left, in how many seconds to try again."""
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("piece", "piece__action", "channel")
            .filter(pk=publication_id)
            .first()
        )
        if publication is None:
            # Another worker holds it (it finishes the job), or it is gone.
            return Attempt("busy")
        if publication.status not in IN_FLIGHT:
            return Attempt(publication.status)  # published, or failed and waiting for a person
        piece, channel = publication.piece, publication.channel
        publication.attempts += 1
        publication.last_attempt_at = timezone.now()
        retry_in: float | None = None
        try:
            credentials = crypto.decrypt(channel.credentials_encrypted)
            if not channel.is_active:
                raise PermanentFailure(_("El canal «%(channel)s» está desactivado.") % {"channel": channel.name})
            missing = missing_credentials(channel)
            if missing:
                raise PermanentFailure(_("Faltan credenciales: %(fields)s.") % {"fields": ", ".join(missing)})
            item = Outgoing(
                key=str(publication.key),
                title=piece.title,
                text=publication.text,
                link=_web_link(piece, channel),
                video_url=piece.video_url,
                image_urls=[
                    workspace_url(current_municipality(), reverse("news:file", args=[piece.pk, f.pk]))
                    for f in piece.files.all()
                    if f.is_image
                ],
            )
            result = adapter_for(channel.kind).publish(
                endpoint=channel.endpoint_url, account=channel.account, credentials=credentials, item=item
            )
        except crypto.UnreadableCredentials:
            _fail(publication, _("Las credenciales guardadas no se pueden leer: vuelva a escribirlas."))
        except PermanentFailure as failure:
            _fail(publication, failure.reason)
        except TemporaryFailure as failure:
            if publication.attempts >= max_attempts():
                _fail(
                    publication,
                    _("%(reason)s Se intentó %(n)s veces; reintente más tarde.")
                    % {"reason": failure.reason, "n": publication.attempts},
                )
            else:
                publication.status = PublicationStatus.RETRYING
                publication.error = failure.reason
                publication.save()
                backoff = retry_base_seconds() * 2 ** (publication.attempts - 1)
                retry_in = max(failure.retry_after or 0.0, backoff)
                publication.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
                publication.save(update_fields=["next_attempt_at"])
        else:
            publication.status = PublicationStatus.PUBLISHED
            publication.external_id = result.external_id[:200]
            publication.url = result.url[:500]
            publication.error = ""
            publication.published_at = timezone.now()
            publication.save()
            mark_published(action_id=piece.action_id)
            audit(
                actor=None, action="publication.published", object_type="piece", object_id=piece.pk,
                channel=channel.name, url=publication.url,
            )  # fmt: skip
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
