"""Writes on pieces (press releases, posts, scripts, web news), their files, per-channel
variants and approval."""

from __future__ import annotations

from collections.abc import Mapping
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
from tenants.communications.adapters import adapter_for
from tenants.communications.models import (
    ActionStatus,
    Channel,
    CommunicationAction,
    Piece,
    PieceFile,
    PieceKind,
    PieceVariant,
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
        _check_open(action)
        fresh = lock(piece, version) if piece is not None else None
        if fresh is not None and fresh.action_id != action.pk:
            raise ValidationError(_("La pieza no es de esta acción."))
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
        target = fresh or Piece(action=action, created_by_label=label(actor))
        changed = fresh is None or any(
            getattr(fresh, n) != v for n, v in (("kind", kind), ("title", title), ("summary", summary),
                                                ("body", body), ("video_url", video))
        )  # fmt: skip
        if fresh is not None and changed:
            bump(target)
        target.kind, target.title, target.summary, target.body, target.video_url = kind, title, summary, body, video
        target.save()
        if action.status == ActionStatus.IDENTIFIED:
            # Writing the first piece is preparing the action.
            CommunicationAction.objects.filter(pk=action.pk).update(status=ActionStatus.IN_PREPARATION)
            action.status = ActionStatus.IN_PREPARATION
        audit(
            actor=actor, action="piece.created" if fresh is None else "piece.changed", object_type="piece",
            object_id=target.pk, title=target.title, action_id=action.pk,
        )  # fmt: skip
    return target


def piece_approve(*, actor: User | None, piece: Piece, version: int | None = None) -> Piece:
    """Approve the piece as it reads now (the version the approver saw)."""
    access.require_approver(actor)
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
        fresh = Piece.objects.select_for_update().get(pk=piece.pk)
        _check_open(fresh.action)
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
        piece = Piece.objects.select_for_update().get(pk=piece_file.piece_id)
        _check_open(piece.action)
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
        fresh = Piece.objects.select_for_update().get(pk=piece.pk)
        _check_open(fresh.action)
        errors: dict[str, list[str]] = {}
        clean = collect(errors, "text", clean_text, text, max_length=63206)
        limit = channel_limit(channel)
        if clean and limit is not None and len(clean) > limit:
            errors["text"] = [limit_message(channel, len(clean), limit)]
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
