"""What the communications API reads and answers. Inputs are DRF serializers that only parse
(types, ids to rows); the rules live in the services, so the API and the pages refuse the
same things with the same messages. Outputs are plain dicts.

Channel credentials are write-only: an answer says whether they are configured and which
are missing, never what they are. A channel's address is shown only to those who configure
channels (a webhook address is often a secret of its own)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenants.accounts.models import User
from tenants.agenda.selectors import visible_activities
from tenants.communications.adapters import adapter_for
from tenants.communications.models import (
    Channel,
    CommunicationAction,
    PieceFile,
    PieceVariant,
    Publication,
)
from tenants.communications.selectors import ChannelBox, PieceView, Suggestion
from tenants.communications.services import missing_credentials
from tenants.communications.services.actions import TRANSITIONS
from tenants.communications.services.pieces import channel_limit
from tenants.db import local_tz
from tenants.initiatives.models import Aro, Initiative, Milestone
from tenants.structure.models import Actor, Place, Theme

# Choices are plain strings here: the services check them and say what is wrong in words.
STATUS_HELP = "identified, in_preparation, ready, published, closed, discarded"


def _local(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(local_tz()).isoformat()


# ---------------------------------------------------------------------------------------
# Answers


def action_json(
    action: CommunicationAction, *, editor_name: str = "", full: bool = False, pieces: list[PieceView] | None = None
) -> dict[str, Any]:
    """An action; `full` adds what its page shows, with its `pieces` (selectors.piece_views)."""
    data: dict[str, Any] = {
        "id": action.pk, "title": action.title, "origin": action.origin, "origin_label": action.origin_label,
        "activity": action.activity_id, "milestone": action.milestone_id, "aro": action.aro_id,
        "initiative": action.initiative_id, "message": action.message, "audience": action.audience,
        "themes": [t.pk for t in action.themes.all()], "places": [p.pk for p in action.places.all()],
        "editor_id": action.editor_id, "editor_name": editor_name, "planned_date": action.planned_date,
        "status": action.status, "discard_reason": action.discard_reason, "results": action.results,
        "published_at": _local(action.published_at), "closed_at": _local(action.closed_at),
        "version": action.version,
    }  # fmt: skip
    if full:
        data["actors"] = [a.pk for a in action.actors.all()]
        data["next_statuses"] = sorted(TRANSITIONS[action.status])
        data["created_by"] = action.created_by_label
        data["pieces"] = [piece_json(v) for v in pieces] if pieces is not None else []
    return data


def file_json(f: PieceFile) -> dict[str, Any]:
    # The name and id only: the storage path is not the caller's business.
    return {"id": f.pk, "name": f.name, "is_image": f.is_image, "alt_text": f.alt_text}


def variant_json(v: PieceVariant) -> dict[str, Any]:
    return {"channel": v.channel_id, "channel_name": v.channel.name, "text": v.text, "limit": channel_limit(v.channel)}


def publication_json(p: Publication) -> dict[str, Any]:
    return {
        "id": p.pk, "piece": p.piece_id, "channel": p.channel_id, "channel_name": p.channel.name,
        "status": p.status, "url": p.url, "error": p.error, "attempts": p.attempts,
        "requested_at": _local(p.requested_at), "published_at": _local(p.published_at), "reach": p.reach,
        "reach_note": p.reach_note,
    }  # fmt: skip


def box_json(box: ChannelBox) -> dict[str, Any]:
    """A piece on one channel, as the action's page shows it: the text's `length` against
    the channel's `limit`, and what is `missing` before it can be published there (empty
    once it is queued or published, or when nothing is)."""
    return {
        "channel": box.channel.pk, "channel_name": box.channel.name, "length": box.length, "limit": box.limit,
        "missing": list(box.reasons), "publication": box.publication.pk if box.publication is not None else None,
    }  # fmt: skip


def piece_json(view: PieceView) -> dict[str, Any]:
    """A piece with its files, texts, publications, one entry per active channel (and any
    other it went to) in `channels`, and `change_refused`: why it may no longer change, or
    an empty text."""
    piece = view.piece
    return {
        "id": piece.pk, "action": piece.action_id, "kind": piece.kind, "title": piece.title,
        "summary": piece.summary, "body": piece.body, "video_url": piece.video_url,
        "is_approved": piece.is_approved, "approved_version": piece.approved_version,
        "approved_by": piece.approved_by_label, "approved_at": _local(piece.approved_at),
        "files": [file_json(f) for f in piece.files.all()],
        "variants": [variant_json(v) for v in piece.variants.all()],
        "publications": [publication_json(p) for p in piece.publications.all()],
        "channels": [box_json(b) for b in view.boxes], "change_refused": view.frozen,
        "version": piece.version,
    }  # fmt: skip


def channel_json(channel: Channel, *, manager: bool) -> dict[str, Any]:
    adapter = adapter_for(channel.kind)
    missing = missing_credentials(channel)
    data: dict[str, Any] = {
        "id": channel.pk, "kind": channel.kind, "name": channel.name, "is_active": channel.is_active,
        "account": channel.account, "max_length": channel.max_length, "limit": channel_limit(channel),
        "credential_fields": [{"name": cf.name, "label": str(cf.label)} for cf in adapter.credential_fields],
        "credentials_configured": not missing,
        "missing_credentials": missing, "version": channel.version,
    }  # fmt: skip
    if manager:
        data["endpoint_url"] = channel.endpoint_url
    return data


def suggestion_json(s: Suggestion) -> dict[str, Any]:
    return {
        "source": s.source, "source_id": s.id, "title": s.title, "when": s.when, "detail": s.detail,
        "initiative": s.initiative, "is_public": s.is_public, "done": s.done, "theme_ids": s.theme_ids,
    }  # fmt: skip


# ---------------------------------------------------------------------------------------
# Inputs


@extend_schema_field(OpenApiTypes.INT)
class VisibleActivityField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """An activity the caller may see: a private one is as absent as a missing one."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return visible_activities(user if isinstance(user, User) else None)


class ActionInput(serializers.Serializer[Any]):
    title = serializers.CharField(required=False, allow_blank=True)
    origin = serializers.CharField(required=False, help_text="activity, milestone, opportunity, institutional")
    activity = VisibleActivityField(required=False, allow_null=True)
    milestone = serializers.PrimaryKeyRelatedField(queryset=Milestone.objects.all(), required=False, allow_null=True)
    aro = serializers.PrimaryKeyRelatedField(queryset=Aro.objects.all(), required=False, allow_null=True)
    initiative = serializers.PrimaryKeyRelatedField(queryset=Initiative.objects.all(), required=False, allow_null=True)
    message = serializers.CharField(required=False, allow_blank=True)
    audience = serializers.CharField(required=False, allow_blank=True)
    themes = serializers.PrimaryKeyRelatedField(queryset=Theme.objects.all(), many=True, required=False)
    places = serializers.PrimaryKeyRelatedField(queryset=Place.objects.all(), many=True, required=False)
    actors = serializers.PrimaryKeyRelatedField(queryset=Actor.objects.all(), many=True, required=False)
    editor_id = serializers.IntegerField(required=False, allow_null=True)
    planned_date = serializers.DateField(required=False)
    version = serializers.IntegerField(required=False)


class ActionStatusInput(serializers.Serializer[Any]):
    status = serializers.CharField(help_text=STATUS_HELP)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    results = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    version = serializers.IntegerField(required=False)


class SuggestionDecisionInput(serializers.Serializer[Any]):
    # DRF's metaclass takes declared fields off the class, so this does not shadow Field.source.
    source = serializers.CharField(help_text="activity, milestone, opportunity")  # type: ignore[assignment]
    source_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class PieceInput(serializers.Serializer[Any]):
    kind = serializers.CharField(required=False, help_text="press_release, social_post, script, web_news")
    title = serializers.CharField(required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True)
    video_url = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class PieceApprovalInput(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="the piece's version you read: that is what is approved")


class PieceVariantInput(serializers.Serializer[Any]):
    channel = serializers.PrimaryKeyRelatedField(queryset=Channel.objects.all())
    text = serializers.CharField(allow_blank=True, help_text="empty: use the piece's own text on this channel")


class PiecePublishInput(serializers.Serializer[Any]):
    channel = serializers.PrimaryKeyRelatedField(queryset=Channel.objects.all())


class PublicationReachInput(serializers.Serializer[Any]):
    reach = serializers.IntegerField(allow_null=True)
    reach_note = serializers.CharField(required=False, allow_blank=True, default="")


class ChannelInput(serializers.Serializer[Any]):
    kind = serializers.CharField(required=False, help_text="web, facebook, x, webhook (fixed once created)")
    name = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    endpoint_url = serializers.CharField(required=False, allow_blank=True)
    account = serializers.CharField(required=False, allow_blank=True)
    max_length = serializers.IntegerField(required=False, allow_null=True)
    credentials = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        write_only=True,
        help_text="Write-only. A field left out or empty keeps what is stored.",
    )
    version = serializers.IntegerField(required=False)
