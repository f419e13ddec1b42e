"""Turning a run's clusters into stable groups (one transaction).

Groups are matched on *item keys* ("muni:kind:source"), never row ids, which a rebuild of the
index changes. For each kind:

1. **Curated groups** (merged, split or edited by the regional team) keep their membership.
   A cluster at least half of whose items already sit in curated groups is not created
   again; the curated group it overlaps most only records ``change["would_add"]`` (items of
   the cluster it lacks) and ``change["would_remove"]`` (its items no cluster holds now).
2. **Matching**: each remaining cluster is paired with the existing group (active, or
   dismissed; never one merged into another) it overlaps best, greedily by decreasing
   Jaccard and one-to-one; a pair counts when Jaccard ≥ 0.5. A dismissed group also matches
   when the cluster still holds half of the items it had when dismissed. The group keeps its
   id; ``change`` lists the keys added and removed and the strength before and after.
3. **Dismissed groups** stay dismissed while the matching cluster's Jaccard with the keys at
   dismissal is ≥ 0.6; below that the membership changed substantially and the group comes
   back (``dismissed_at`` cleared, ``change["returned"] = True`` with the reason). If the
   cluster kept less than half of what was dismissed it is not the same group any more: the
   dismissed group goes inactive (still dismissed) and the cluster is a new group.
4. Clusters matching nothing become **new** groups; groups no cluster matches any more become
   **inactive** (``change = {"gone": True, ...}``).

Names the team gave (``name``) and pins are never touched; ``auto_name`` follows the run.
``version`` goes up whenever membership, strength (by ≥ 0.01), name, state or the would-lists
change. Key lists in ``change`` are capped at MAX_KEYS (the counts are always exact)."""

from __future__ import annotations

import io
from collections import Counter, defaultdict

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from community.detection.describe import Found
from community.models import DetectionRun, Group, GroupKind, GroupMember

KEEP_ID_JACCARD = 0.5
DISMISSED_STAYS_JACCARD = 0.6
CURATED_COVERAGE = 0.5
MAX_KEYS = 500
STRENGTH_EPSILON = 0.01
_LOCK_ID = 0x5160B170  # pg advisory lock: one detection apply at a time


def _keys(values: set[str] | list[str]) -> list[str]:
    return sorted(values)[:MAX_KEYS]


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def _current_members(groups: list[Group]) -> dict[int, set[str]]:
    members: dict[int, set[str]] = defaultdict(set)
    rows = GroupMember.objects.filter(group__in=[g.pk for g in groups]).values_list(
        "group_id", "item__municipality_id", "item__kind", "item__source_id"
    )
    for group_id, muni, kind, source in rows.iterator(chunk_size=20_000):
        members[group_id].add(f"{muni}:{kind}:{source}")
    return members


def apply_run(*, run: DetectionRun, found: list[Found]) -> dict[str, int]:
    """Write the run's result; returns the summary counts."""
    summary: Counter[str] = Counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])
        to_write: list[tuple[Group, Found]] = []
        for kind in (GroupKind.THEME, GroupKind.PROBLEM):
            clusters = [f for f in found if f.kind == kind]
            to_write += _apply_kind(run=run, kind=kind, clusters=clusters, summary=summary)
        _write_members(to_write)
    return dict(summary)


def _apply_kind(
    *, run: DetectionRun, kind: str, clusters: list[Found], summary: Counter[str]
) -> list[tuple[Group, Found]]:
    now = timezone.now()
    existing = list(
        Group.objects.select_for_update()
        .filter(kind=kind, merged_into__isnull=True)
        # A dismissed group is remembered even after no run found it for a while.
        .filter(Q(is_active=True) | Q(dismissed_at__isnull=False))
        .order_by("id")
    )
    members = _current_members(existing)
    cluster_keys = [set(c.keys) for c in clusters]
    all_cluster_keys: set[str] = set().union(*cluster_keys) if cluster_keys else set()
    updated: list[Group] = []

    # 1. Curated groups absorb the clusters that mostly fall inside them.
    curated = [g for g in existing if g.curated]
    curated_of: dict[str, int] = {}
    for g in curated:
        for key in members[g.pk]:
            curated_of.setdefault(key, g.pk)
    absorbed: dict[int, set[str]] = defaultdict(set)
    remaining: list[int] = []
    for ci, keys in enumerate(cluster_keys):
        inside = Counter(curated_of[k] for k in keys if k in curated_of)
        if inside and sum(inside.values()) >= CURATED_COVERAGE * len(keys):
            absorbed[inside.most_common(1)[0][0]] |= keys
        else:
            remaining.append(ci)
    all_curated_keys = set(curated_of)
    for g in curated:
        would_add = absorbed.get(g.pk, set()) - all_curated_keys
        would_remove = members[g.pk] - all_cluster_keys
        curated_change = {
            "curated": True,
            "would_add": _keys(would_add),
            "would_remove": _keys(would_remove),
            "would_add_count": len(would_add),
            "would_remove_count": len(would_remove),
        }
        if curated_change != g.change:
            g.change = curated_change
            g.version += 1
            summary["curated_changed"] += 1
        g.last_run = run
        updated.append(g)

    # 2. Greedy one-to-one matching of the other clusters with the other groups.
    candidates = [g for g in existing if not g.curated]
    group_of: dict[str, list[int]] = defaultdict(list)
    by_id = {g.pk: g for g in candidates}
    for g in candidates:
        for key in members[g.pk]:
            group_of[key].append(g.pk)
    dismissed_keys = {g.pk: set(g.dismissed_keys) for g in candidates if g.dismissed_at}
    dismissed_of: dict[str, list[int]] = defaultdict(list)
    for gid, at_dismissal in dismissed_keys.items():
        for key in at_dismissal:
            dismissed_of[key].append(gid)
    pairs: list[tuple[float, int, int]] = []
    for ci in remaining:
        keys = cluster_keys[ci]
        overlap: Counter[int] = Counter(gid for k in keys for gid in group_of.get(k, ()))
        # For a dismissed group, also how much of what was dismissed the cluster still holds.
        kept: Counter[int] = Counter(gid for k in keys for gid in dismissed_of.get(k, ()))
        for gid in set(overlap) | set(kept):
            inter = overlap.get(gid, 0)
            score = inter / (len(keys) + len(members[gid]) - inter) if inter else 0.0
            if kept.get(gid):
                score = max(score, kept[gid] / len(dismissed_keys[gid]))
            if score >= KEEP_ID_JACCARD:
                pairs.append((score, ci, gid))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    matched_cluster: dict[int, int] = {}
    matched_group: set[int] = set()
    for _score, ci, gid in pairs:
        if ci in matched_cluster or gid in matched_group:
            continue
        matched_cluster[ci] = gid
        matched_group.add(gid)

    to_write: list[tuple[Group, Found]] = []
    for ci, gid in matched_cluster.items():
        g, cluster, keys = by_id[gid], clusters[ci], cluster_keys[ci]
        old = members[gid]
        added, removed = keys - old, old - keys
        change: dict[str, object] = {
            "new": False,
            "added": _keys(added),
            "removed": _keys(removed),
            "added_count": len(added),
            "removed_count": len(removed),
            "strength_before": g.strength,
            "strength_after": cluster.strength,
        }
        changed = bool(added or removed) or abs(g.strength - cluster.strength) >= STRENGTH_EPSILON
        changed = changed or g.auto_name != cluster.auto_name
        if g.dismissed_at:
            at_dismissal = dismissed_keys.get(gid, set())
            similarity = _jaccard(keys, at_dismissal)
            if similarity < DISMISSED_STAYS_JACCARD:
                change["returned"] = True
                change["reason"] = {
                    "why": "membership_changed",
                    "jaccard_with_dismissed": round(similarity, 3),
                    "added_since_dismissal": _keys(keys - at_dismissal),
                    "removed_since_dismissal": _keys(at_dismissal - keys),
                }
                g.dismissed_at = None
                g.dismissed_by = None
                g.dismissed_keys = []
                changed = True
                summary["returned"] += 1
            else:
                summary["dismissed_kept"] += 1
        if not g.is_active:  # a dismissed group that had gone found again
            g.is_active = True
            changed = True
        g.auto_name = cluster.auto_name
        g.strength = cluster.strength
        g.reasons = cluster.reasons
        g.change = change
        g.last_run = run
        if changed:
            g.version += 1
            summary["changed"] += 1
        else:
            summary["unchanged"] += 1
        updated.append(g)
        to_write.append((g, cluster))

    # 3. Groups nobody matched are gone.
    for g in candidates:
        if g.pk in matched_group or not g.is_active:
            continue
        g.is_active = False
        g.change = {
            "gone": True,
            "removed": _keys(members[g.pk]),
            "removed_count": len(members[g.pk]),
            "strength_before": g.strength,
            "strength_after": 0.0,
        }
        g.version += 1
        g.last_run = run
        summary["gone"] += 1
        updated.append(g)
    if updated:
        for g in updated:
            g.updated_at = now
        Group.objects.bulk_update(
            updated,
            ["auto_name", "strength", "reasons", "change", "last_run", "is_active", "version", "dismissed_at",
             "dismissed_by", "dismissed_keys", "updated_at"],
            batch_size=500,
        )  # fmt: skip

    # 4. New groups.
    new_clusters = [ci for ci in remaining if ci not in matched_cluster]
    new_groups = [
        Group(
            kind=kind,
            auto_name=clusters[ci].auto_name,
            strength=clusters[ci].strength,
            reasons=clusters[ci].reasons,
            change={
                "new": True,
                "added": _keys(cluster_keys[ci]),
                "removed": [],
                "added_count": len(cluster_keys[ci]),
                "removed_count": 0,
                "strength_before": None,
                "strength_after": clusters[ci].strength,
            },
            first_run=run,
            last_run=run,
        )
        for ci in new_clusters
    ]
    Group.objects.bulk_create(new_groups, batch_size=500)
    summary["new"] += len(new_groups)
    summary["curated_absorbed"] += sum(1 for ci in range(len(clusters)) if ci not in set(remaining))
    to_write += [(g, clusters[ci]) for g, ci in zip(new_groups, new_clusters, strict=True)]
    return to_write


def _write_members(to_write: list[tuple[Group, Found]]) -> None:
    """Make GroupMember rows of the written groups equal to their clusters, set-based: the
    members go to a temporary table with COPY, then one DELETE, UPDATE and INSERT each
    (hundreds of thousands of members would take minutes through the ORM)."""
    if not to_write:
        return
    buffer = io.StringIO()
    for group, cluster in to_write:
        for item_id, score in zip(cluster.item_ids, cluster.scores, strict=True):
            buffer.write(f"{group.pk}\t{item_id}\t{score}\n")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE detection_members (group_id bigint, item_id bigint, score double precision) "
            "ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY detection_members (group_id, item_id, score) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        cursor.execute("CREATE INDEX ON detection_members (group_id, item_id)")
        cursor.execute("ANALYZE detection_members")
        cursor.execute(
            "DELETE FROM community_groupmember gm USING (SELECT DISTINCT group_id FROM detection_members) g "
            "WHERE gm.group_id = g.group_id AND NOT EXISTS (SELECT 1 FROM detection_members d "
            "WHERE d.group_id = gm.group_id AND d.item_id = gm.item_id)"
        )
        cursor.execute(
            "UPDATE community_groupmember gm SET score = d.score FROM detection_members d "
            "WHERE d.group_id = gm.group_id AND d.item_id = gm.item_id AND gm.score <> d.score"
        )
        cursor.execute(
            "INSERT INTO community_groupmember (group_id, item_id, score, added_at) "
            # An item withdrawn while the run was computing does not come back into a group.
            "SELECT d.group_id, d.item_id, d.score, now() FROM detection_members d "
            "JOIN community_indexitem i ON i.id = d.item_id AND i.withdrawn_at IS NULL "
            "WHERE NOT EXISTS (SELECT 1 FROM community_groupmember gm "
            "WHERE gm.group_id = d.group_id AND gm.item_id = d.item_id)"
        )
        cursor.execute("DROP TABLE detection_members")
