"""What the console API reads and answers. Inputs only parse (types); the rules live in
services_groups, so the API and the pages refuse the same things with the same messages.
Outputs are plain dicts. Item keys of withdrawn items are never answered (the raw `change`
and `dismissed_keys` stay inside): only live items, resolved to titles."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from community.models import Group, GroupMember, IndexItem, LabProposal
from community.selectors_groups import MAX_ID, GroupDetail


class VersionInput(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="The group's version you read; refused if stale."
    )


class RenameInput(VersionInput):
    name = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text="Empty: back to the detected name.")


class MergeInput(VersionInput):
    others = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), allow_empty=True)


class SplitInput(VersionInput):
    item_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=True,
        help_text="Index item ids (members of this group) that move to the new group.",
    )
    name = serializers.CharField(allow_blank=True, trim_whitespace=False)


class DismissInput(VersionInput):
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)


class LabInput(VersionInput):
    title = serializers.CharField(allow_blank=True, trim_whitespace=False)
    description = serializers.CharField(allow_blank=True, required=False, default="", trim_whitespace=False)


def item_json(item: IndexItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "key": item.key,
        "municipality": item.municipality.slug,
        "municipality_name": item.municipality.name,
        "country": item.country,
        "kind": item.kind,
        "title": item.title,
        "status": item.status,
        "is_open": item.is_open,
        "light": item.light,
        "source_url": item.public_url,
    }


def group_json(group: Group, *, themes: dict[int, str]) -> dict[str, Any]:
    """A group as the list shows it (`member_count` and `municipality_count` count live
    items only: groups_list annotates them)."""
    change = group.change or {}
    reasons = group.reasons or {}
    return {
        "id": group.pk,
        "kind": group.kind,
        "name": group.display_name,
        "auto_name": group.auto_name,
        "renamed": bool(group.name),
        "strength": group.strength,
        "reasons": {
            "terms": list(reasons.get("terms", [])),
            "sdg_targets": list(reasons.get("sdg_targets", [])),
            "themes": [
                {"id": int(t), "name": themes.get(int(t), "")} for t in reasons.get("themes", []) if str(t).isdigit()
            ],
        },
        "is_new": bool(change.get("new")),
        "changed": bool(change.get("added") or change.get("removed")),
        "pinned": group.pinned,
        "curated": group.curated,
        "dismissed": group.dismissed_at is not None,
        "dismissed_at": group.dismissed_at,
        "is_active": group.is_active,
        "merged_into": group.merged_into_id,
        "member_count": getattr(group, "member_count", None),
        "municipality_count": getattr(group, "municipality_count", None),
        "updated_at": group.updated_at,
        "version": group.version,
    }


def member_json(member: GroupMember) -> dict[str, Any]:
    return {**item_json(member.item), "score": member.score}


def detail_json(detail: GroupDetail) -> dict[str, Any]:
    group = detail.group
    data = group_json(group, themes=detail.themes)
    data["member_count"] = len(detail.members)
    data["municipality_count"] = detail.municipality_count
    data["members"] = [member_json(m) for m in detail.members]
    data["change"] = {
        "new": detail.change.new,
        "added": [item_json(i) for i in detail.change.added],
        "removed": [item_json(i) for i in detail.change.removed],
        "no_longer_shared": detail.change.hidden,
    }
    data["history"] = [
        {
            "action": e.action,
            "actor": (e.actor.full_name or e.actor.email) if e.actor else None,
            "detail": {k: v for k, v in e.detail.items() if k not in ("keys", "added")},
            "created_at": e.created_at,
        }
        for e in detail.history
    ]
    data["lab_proposals"] = [lab_json(p, members=False) for p in detail.proposals]
    return data


def lab_json(proposal: LabProposal, *, members: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": proposal.pk,
        "group": proposal.group_id,
        "kind": proposal.kind,
        "title": proposal.title,
        "description": proposal.description,
        "proposed_by": proposal.proposed_by.full_name or proposal.proposed_by.email,
        "created_at": proposal.created_at,
        "member_count": len(proposal.members),
    }
    if members:
        data["members"] = proposal.members
    return data
