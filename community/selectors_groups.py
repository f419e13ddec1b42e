"""Reads on detected groups (public schema): the regional console's list and detail, and a
municipality's view of the groups its own items belong to.

Only live items are ever shown (community.selectors.live_items: shared, not withdrawn, of
an active municipality): a withdrawn item is a content-free tombstone, and a deactivated
municipality's items are hidden until it comes back. Counts are counted the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from community.models import (
    ConsoleEvent,
    DetectionRun,
    Group,
    GroupKind,
    GroupMember,
    IndexItem,
    LabProposal,
    PlatformTheme,
)
from community.selectors import live_items
from tenants.models import Municipality


class GroupState:
    ACTIVE = "active"  # active and not dismissed (the default)
    NEW = "new"  # first found in the latest run that saw it
    CHANGED = "changed"  # members added or removed (or back from dismissal) in that run
    DISMISSED = "dismissed"
    INACTIVE = "inactive"  # merged into another, or no longer found
    ALL = "all"


# A live member, as a condition on GroupMember rows.
LIVE_MEMBER = Q(item__withdrawn_at__isnull=True, item__municipality__is_active=True)
_LIVE_MEMBER_OF_GROUP = Q(members__item__withdrawn_at__isnull=True, members__item__municipality__is_active=True)


MAX_ID = 2**63 - 1


def group_by_pk(pk: int) -> Group | None:
    if not 0 < pk <= MAX_ID:  # an id the database cannot hold is simply not there
        return None
    return Group.objects.select_related("merged_into", "dismissed_by", "last_run").filter(pk=pk).first()


def group_or_404(pk: int) -> Group:
    """The console's group, or "not found" (pages and API alike)."""
    group = group_by_pk(pk)
    if group is None:
        raise Http404
    return group


def _state_filter(state: str) -> Q:
    open_ = Q(is_active=True, dismissed_at__isnull=True)
    if state == GroupState.NEW:
        return open_ & Q(change__new=True)
    if state == GroupState.CHANGED:
        # A new group lists all its members as added: it is "new", not "changed".
        not_new = Q(change__new=False) | ~Q(change__has_key="new")
        moved = Q(change__added__0__isnull=False) | Q(change__removed__0__isnull=False) | Q(change__returned=True)
        return open_ & not_new & moved
    if state == GroupState.DISMISSED:
        return Q(is_active=True, dismissed_at__isnull=False)
    if state == GroupState.INACTIVE:
        return Q(is_active=False)
    if state == GroupState.ALL:
        return Q()
    return open_


def _filtered(
    *,
    country: str = "",
    region: str = "",
    theme: int | None = None,
    sdg: int | None = None,
    bracket: str = "",
    pinned: bool | None = None,
    state: str = GroupState.ACTIVE,
    q: str = "",
) -> QuerySet[Group]:
    groups = Group.objects.filter(_state_filter(state))
    # Member filters apply to one live member together: "a Colombian item on SDG 6".
    member = Q()
    if country:
        member &= Q(item__country=country)
    if region:
        member &= Q(item__region__unaccent__icontains=region)
    if theme is not None:
        member &= Q(item__platform_themes__contains=[theme])
    if sdg is not None:
        member &= Q(item__sdg_goals__contains=[sdg])
    if bracket:
        member &= Q(item__population_bracket=bracket)
    if member:
        groups = groups.filter(Exists(GroupMember.objects.filter(LIVE_MEMBER, member, group=OuterRef("pk"))))
    if pinned is not None:
        groups = groups.filter(pinned=pinned)
    if q:
        groups = groups.filter(Q(name__unaccent__icontains=q) | Q(auto_name__unaccent__icontains=q))
    return groups


def groups_list(*, kind: str = "", **filters: Any) -> QuerySet[Group]:
    """Groups with their live member and municipality counts (`member_count`,
    `municipality_count`), pinned first, then by strength. Filters: see `_filtered`."""
    groups = _filtered(**filters)
    if kind:
        groups = groups.filter(kind=kind)
    return groups.annotate(
        member_count=Count("members", filter=_LIVE_MEMBER_OF_GROUP, distinct=True),
        municipality_count=Count("members__item__municipality", filter=_LIVE_MEMBER_OF_GROUP, distinct=True),
    ).order_by("-pinned", "-strength", "pk")


def kind_counts(**filters: Any) -> dict[str, int]:
    """How many groups of each kind match the other filters (for the tabs)."""
    counts = {k: 0 for k in GroupKind.values}
    for row in _filtered(**filters).order_by().values("kind").annotate(n=Count("pk")):
        counts[row["kind"]] = row["n"]
    return counts


def theme_names(groups: list[Group]) -> dict[int, str]:
    """Names of the platform themes the groups' reasons cite, in one query."""
    ids = {int(t) for g in groups for t in g.reasons.get("themes", []) if str(t).isdigit()}
    if not ids:
        return {}
    return dict(PlatformTheme.objects.filter(pk__in=ids).values_list("pk", "name"))


def latest_run() -> DetectionRun | None:
    return DetectionRun.objects.order_by("-started_at", "-pk").first()


# ---------------------------------------------------------------------------------------
# One group


@dataclass
class ChangeView:
    """How a group changed in the latest run that saw it (detection writes `change`; see
    community/detection/apply.py), resolved to live items. Keys of items no longer shared
    are counted in `hidden`, never shown."""

    new: bool = False
    returned: bool = False  # a dismissed group whose membership changed substantially
    gone: bool = False  # the run no longer found it
    added: list[IndexItem] = field(default_factory=list)
    removed: list[IndexItem] = field(default_factory=list)
    # A curated group keeps its members; detection only says what it would change.
    would_add: list[IndexItem] = field(default_factory=list)
    would_remove: list[IndexItem] = field(default_factory=list)
    hidden: int = 0
    strength_before: float | None = None
    strength_after: float | None = None

    @property
    def any(self) -> bool:
        lists = (self.added, self.removed, self.would_add, self.would_remove)
        return self.new or self.returned or self.gone or any(lists) or bool(self.hidden)


@dataclass
class GroupDetail:
    group: Group
    members: list[GroupMember]
    municipality_count: int
    themes: dict[int, str]
    change: ChangeView
    history: list[ConsoleEvent]
    proposals: list[LabProposal]


def _parse_key(key: Any) -> tuple[int, str, int] | None:
    parts = str(key).split(":")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[2].isdigit():
        return None
    return int(parts[0]), parts[1], int(parts[2])


def items_by_key(keys: list[Any]) -> dict[str, IndexItem]:
    """Live items for item keys ("municipality:kind:source_id"), in one query."""
    parsed = [p for p in (_parse_key(k) for k in keys[:500]) if p is not None]
    if not parsed:
        return {}
    condition = Q()
    for municipality_id, kind, source_id in parsed:
        condition |= Q(municipality_id=municipality_id, kind=kind, source_id=source_id)
    return {i.key: i for i in live_items().filter(condition).select_related("municipality")}


def _change(group: Group) -> ChangeView:
    change = group.change if isinstance(group.change, dict) else {}
    new = bool(change.get("new"))
    # A new group's "added" is all its members: listed in the members table already.
    names = ("removed", "would_add", "would_remove") if new else ("added", "removed", "would_add", "would_remove")
    lists = {n: [k for k in change.get(n) or [] if isinstance(k, str)] for n in names}
    found = items_by_key([k for keys in lists.values() for k in keys])

    def resolved(name: str) -> list[IndexItem]:
        return [found[k] for k in lists.get(name, []) if k in found]

    def number(name: str) -> float | None:
        value = change.get(name)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    return ChangeView(
        new=new,
        returned=bool(change.get("returned")),
        gone=bool(change.get("gone")),
        added=resolved("added"),
        removed=resolved("removed"),
        would_add=resolved("would_add"),
        would_remove=resolved("would_remove"),
        hidden=sum(1 for keys in lists.values() for k in keys if k not in found),
        strength_before=number("strength_before"),
        strength_after=number("strength_after"),
    )


def live_members(group: Group) -> list[GroupMember]:
    return list(
        GroupMember.objects.filter(LIVE_MEMBER, group=group)
        .select_related("item__municipality")
        .order_by("item__municipality__name", "item__kind", "item__title", "pk")
    )


def group_detail(group: Group) -> GroupDetail:
    members = live_members(group)
    return GroupDetail(
        group=group,
        members=members,
        municipality_count=len({m.item.municipality_id for m in members}),
        themes=theme_names([group]),
        change=_change(group),
        history=list(ConsoleEvent.objects.filter(group=group).select_related("actor").order_by("-created_at", "-pk")),
        proposals=list(group.lab_proposals.select_related("proposed_by").order_by("-created_at", "-pk")),
    )


def lab_proposals() -> QuerySet[LabProposal]:
    return LabProposal.objects.select_related("group", "proposed_by").order_by("-created_at", "-pk")


# ---------------------------------------------------------------------------------------
# A municipality's workspace


@dataclass
class WorkspaceGroup:
    group: Group
    own: list[IndexItem]
    others: list[IndexItem]

    @property
    def other_municipalities(self) -> list[str]:
        return sorted({i.municipality.name for i in self.others})


def groups_of_municipality(municipality: Municipality) -> list[WorkspaceGroup]:
    """The active, non-dismissed groups that hold at least one of the municipality's own
    live items, each with its own items and the other municipalities' live items (only
    what they share; withdrawn items never appear). Three queries, whatever the count."""
    own_member = GroupMember.objects.filter(LIVE_MEMBER, group=OuterRef("pk"), item__municipality=municipality)
    members = GroupMember.objects.filter(LIVE_MEMBER).select_related("item__municipality")
    groups = (
        Group.objects.filter(Exists(own_member), is_active=True, dismissed_at__isnull=True)
        .prefetch_related(Prefetch("members", queryset=members, to_attr="live_members"))
        .order_by("kind", "-strength", "pk")
    )
    rows: list[WorkspaceGroup] = []
    for group in groups:
        items = sorted((m.item for m in group.live_members), key=lambda i: (i.municipality.name, i.kind, i.title))  # type: ignore[attr-defined]
        if not any(i.municipality_id != municipality.pk for i in items):
            # The others withdrew since the last detection run: nothing is shared with
            # anyone any more, so it is no longer a community group for this municipality.
            continue
        rows.append(
            WorkspaceGroup(
                group=group,
                own=[i for i in items if i.municipality_id == municipality.pk],
                others=[i for i in items if i.municipality_id != municipality.pk],
            )
        )
    return rows
