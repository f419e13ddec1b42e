"""Writes on pieces (press releases, posts, scripts, web news), their files, per-channel
variants and approval."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.audit import audit
from tenants.communications import access
from tenants.communications.adapters import adapter_for, text_length
from tenants.communications.models import (
    ActionStatus,
    Channel,
    ChannelKind,
    CommunicationAction,
    Piece,
    PieceFile,
    PieceKind,
    PieceVariant,
    Publication,
    PublicationStatus,
)
from tenants.service_utils import bump, label, lock, required
from tenants.structure.validation import clean_text, collect, raise_if
from tenants.uploads import check_upload

IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp"})
MAX_FILES = 10
CLOSED = (ActionStatus.CLOSED, ActionStatus.DISCARDED)


def _check_open(action: CommunicationAction) -> None:
    if action.status in CLOSED:
        raise ValidationError(
            _("La acción está «%(status)s»: reábrala para cambiar sus piezas.")
            % {"status": ActionStatus(action.status).label},
            code="closed",
        )


def _lock_open_action(action_id: int) -> CommunicationAction:
    """The action, locked for the rest of the transaction, and still open: a piece is not
    written into an action someone is closing or discarding at the same moment. Always
    locked before its piece (the order every piece write follows)."""
    action = CommunicationAction.objects.select_for_update().get(pk=action_id)
    _check_open(action)
    return action


IN_FLIGHT = (PublicationStatus.PENDING, PublicationStatus.RETRYING)


def change_refused_reason(publications: Iterable[Publication]) -> str | None:
    """Why a piece may no longer change, or None. The public news page shows what was
    approved, so a piece queued for or published on it stays as it is (a correction is a new
    piece); and while a publication is queued anywhere, the text on its way is the approved
    one. Takes the piece's publications with their channels (prefetched or queried)."""
    for publication in publications:
        if publication.channel.kind == ChannelKind.WEB and (
            publication.status in IN_FLIGHT or publication.status == PublicationStatus.PUBLISHED
        ):
            return _(
                "La pieza ya se publicó o está en cola en la página de noticias: cree una pieza nueva para corregirla."
            )
    for publication in publications:
        if publication.status in IN_FLIGHT:
            return _(
                "La pieza está en cola para publicarse en «%(channel)s»: espere a que se publique o falle "
                "para cambiarla."
            ) % {"channel": publication.channel.name}
    return None


def _check_unsent(piece: Piece) -> None:
    """Refuse any change to a piece that is on the news page or on its way to a channel
    (call with the piece locked: publication_request locks it too, so no request slips in
    between the check and the change)."""
    reason = change_refused_reason(list(Publication.objects.filter(piece=piece).select_related("channel")))
    if reason is not None:
        raise ValidationError(reason, code="sent")


def _start_preparation(actor: User | None, action: CommunicationAction) -> None:
    """Writing the first piece is preparing the action: a status change like any other
    (a new version, an audit event), on the action locked by the caller."""
    if action.status != ActionStatus.IDENTIFIED:
        return
    bump(action)
    action.status = ActionStatus.IN_PREPARATION
    action.save(update_fields=["status", "version", "updated_at"])
    audit(
        actor=actor, action="communication.status", object_type="communication", object_id=action.pk,
        title=action.title, before={"status": ActionStatus.IDENTIFIED}, after={"status": action.status},
    )  # fmt: skip


def piece_save(
    *,
    actor: User | None,
    action: CommunicationAction,
    data: Mapping[str, Any],
    piece: Piece | None = None,
    version: int | None = None,
) -> Piece:
    """Write or change a piece. A change to an approved piece withdraws its approval: what
    was approved is a version, not a piece."""
    access.require_editor(actor)
    with transaction.atomic():
        locked_action = _lock_open_action(action.pk)
        fresh = lock(piece, version) if piece is not None else None
        if fresh is not None and fresh.action_id != action.pk:
            raise ValidationError(_("La pieza no es de esta acción."))
        if fresh is not None:
            _check_unsent(fresh)
        current = {n: getattr(fresh, n) for n in ("kind", "title", "summary", "body", "video_url")} if fresh else {}
        merged = {**current, **data}
        errors: dict[str, list[str]] = {}
        kind = str(merged.get("kind") or "")
        if kind not in PieceKind.values:
            errors["kind"] = [_("Elija el tipo de pieza.")]
        title = collect(errors, "title", required, merged.get("title"), max_length=200)
        summary = collect(errors, "summary", clean_text, merged.get("summary"), max_length=400)
        body = collect(errors, "body", required, merged.get("body"), max_length=50000)
        video = collect(errors, "video_url", clean_text, merged.get("video_url"), max_length=500)
        if video and not video.startswith(("https://", "http://")):
            errors["video_url"] = [_("Indique una dirección web que empiece por https://.")]
        raise_if(errors)
        target = fresh or Piece(action=locked_action, created_by_label=label(actor))
        changed = fresh is None or any(
            getattr(fresh, n) != v for n, v in (("kind", kind), ("title", title), ("summary", summary),
                                                ("body", body), ("video_url", video))
        )  # fmt: skip
        if fresh is not None and changed:
            bump(target)
        target.kind, target.title, target.summary, target.body, target.video_url = kind, title, summary, body, video
        target.save()
        _start_preparation(actor, locked_action)
        # The caller's copy shows the new status too (its pages read it after saving).
        action.status, action.version = locked_action.status, locked_action.version
        audit(
            actor=actor, action="piece.created" if fresh is None else "piece.changed", object_type="piece",
            object_id=target.pk, title=target.title, action_id=action.pk,
        )  # fmt: skip
    return target


def piece_approve(*, actor: User | None, piece: Piece, version: int | None = None) -> Piece:
    """Approve the piece in the version the approver saw: a person must say which (the
    `version` their page or request read), so a change saved in between is never approved
    unseen. Only system code (actor None) may approve without one."""
    access.require_approver(actor)
    if actor is not None and version is None:
        raise ValidationError({"version": [_("Indique la versión de la pieza que revisó: se aprueba lo que se leyó.")]})
    with transaction.atomic():
        fresh = lock(piece, version)
        _check_open(fresh.action)
        fresh.approved_version = fresh.version
        fresh.approved_by_label = label(actor)
        fresh.approved_at = timezone.now()
        fresh.save(update_fields=["approved_version", "approved_by_label", "approved_at", "updated_at"])
        audit(actor=actor, action="piece.approved", object_type="piece", object_id=fresh.pk, version=fresh.version)
    return fresh


def piece_file_add(*, actor: User | None, piece: Piece, file: UploadedFile, alt_text: str = "") -> PieceFile:
    """Attach a file. An image needs its text alternative: it is shown on the public page."""
    access.require_editor(actor)
    with transaction.atomic():
        _lock_open_action(piece.action_id)
        fresh = Piece.objects.select_for_update().get(pk=piece.pk)
        _check_unsent(fresh)
        errors: dict[str, list[str]] = {}
        try:
            check_upload(file)
        except ValidationError as exc:
            errors["file"] = list(exc.messages)
        alt = collect(errors, "alt_text", clean_text, alt_text, max_length=300)
        is_image = PurePath(file.name or "").suffix.lower().lstrip(".") in IMAGE_EXTENSIONS
        if is_image and not alt and "alt_text" not in errors:
            errors["alt_text"] = [_("Describa la imagen para quien no la ve (texto alternativo).")]
        if fresh.files.count() >= MAX_FILES:
            errors["file"] = [_("Una pieza admite como máximo %(n)s archivos.") % {"n": MAX_FILES}]
        raise_if(errors)
        row = PieceFile.objects.create(
            piece=fresh, file=file, name=PurePath(file.name or "archivo").name[:255], is_image=is_image, alt_text=alt
        )
        # Files are part of what is approved.
        bump(fresh)
        fresh.save(update_fields=["version", "updated_at"])
        audit(actor=actor, action="piece.file_added", object_type="piece", object_id=fresh.pk, file=row.name)
    return row


def piece_file_remove(*, actor: User | None, piece_file: PieceFile) -> None:
    access.require_editor(actor)
    with transaction.atomic():
        owner = Piece.objects.values_list("action_id", flat=True).get(pk=piece_file.piece_id)
        _lock_open_action(owner)
        piece = Piece.objects.select_for_update().get(pk=piece_file.piece_id)
        _check_unsent(piece)
        name = piece_file.name
        stored = piece_file.file
        piece_file.delete()
        bump(piece)
        piece.save(update_fields=["version", "updated_at"])
        audit(actor=actor, action="piece.file_removed", object_type="piece", object_id=piece.pk, file=name)
        transaction.on_commit(lambda: stored.delete(save=False))


def variant_save(*, actor: User | None, piece: Piece, channel: Channel, text: str) -> PieceVariant | None:
    """The piece's text for one channel; an empty text removes the variant (the piece's own
    text is used). The channel's limit is checked here and again when publishing."""
    access.require_editor(actor)
    with transaction.atomic():
        _lock_open_action(piece.action_id)
        fresh = Piece.objects.select_for_update().get(pk=piece.pk)
        _check_unsent(fresh)
        errors: dict[str, list[str]] = {}
        clean = collect(errors, "text", clean_text, text, max_length=63206)
        limit = channel_limit(channel)
        # Counted as the channel counts (X weighs some characters double), as when publishing.
        length = text_length(channel.kind, clean)
        if clean and limit is not None and length > limit:
            errors["text"] = [limit_message(channel, length, limit)]
        raise_if(errors)
        existing = PieceVariant.objects.filter(piece=fresh, channel=channel).first()
        if not clean:
            if existing is not None:
                existing.delete()
            result = None
        else:
            result = existing or PieceVariant(piece=fresh, channel=channel)
            result.text = clean
            result.save()
        if (existing.text if existing else "") != clean:
            bump(fresh)
            fresh.save(update_fields=["version", "updated_at"])
        audit(actor=actor, action="piece.variant", object_type="piece", object_id=fresh.pk, channel=channel.name)
    return result


def channel_limit(channel: Channel) -> int | None:
    return adapter_for(channel.kind).limit or channel.max_length


def limit_message(channel: Channel, length: int, limit: int) -> str:
    return _("«%(channel)s» admite %(limit)s caracteres y el texto tiene %(length)s; sobran %(over)s.") % {
        "channel": channel.name,
        "limit": limit,
        "length": length,
        "over": length - limit,
    }
