"""The outbox relay: moves what municipalities share into the public community index.

For one municipality at a time (a transaction-scoped advisory lock makes it one relay per
municipality, so its events are applied in order), in batches: read pending events in id
order with `FOR UPDATE SKIP LOCKED`, apply each to `IndexItem` rows, mark them processed,
commit. The index writes and the "processed" marks commit together, so a worker killed
mid-batch leaves the whole batch pending, and the next run applies it again from the start:
nothing lost, nothing applied twice (every row remembers the last event applied to it, so a
replayed, duplicated or late event changes nothing). The search backend is fed after the
commit; what it could not take stays marked dirty for the sweep.

This is cross-tenant code (DESIGN.md §4.6): it reads one table of a municipality's schema,
its outbox, and nothing else.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from community import payloads
from community.models import GroupMember, IndexItem, ItemKind, RelayFailure, population_bracket
from community.selectors_themes import confirmed_map, platform_themes_for
from tenants.db import current_tenant, restore_tenant, use_municipality
from tenants.models import Municipality
from tenants.workspace.models import OutboxEvent

log = logging.getLogger("community.relay")


@dataclass
class RelayResult:
    applied: int = 0
    skipped: int = 0  # duplicates and events older than what the index already has
    failed: int = 0
    busy: bool = False  # another relay holds this municipality
    item_ids: list[int] = field(default_factory=list)


def _lock_key(municipality_id: int) -> int:
    return zlib.crc32(f"community-relay:{municipality_id}".encode()) - 2**31


def hold_municipality(municipality_id: int) -> None:
    """Wait for the municipality's running relay batch, and keep its relay out until this
    transaction ends: for writes that recompute its index rows from public-schema data (a
    theme mapping), which must see every row the relay has written."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(municipality_id)])


def relay_municipality(schema_name: str, *, batch_size: int | None = None) -> RelayResult:
    """Apply the municipality's pending outbox events; returns what happened. Safe to call
    from anywhere (it restores the schema the connection was in)."""
    batch_size = batch_size or settings.COMMUNITY_RELAY_BATCH
    result = RelayResult()
    municipality = Municipality.objects.filter(schema_name=schema_name).first()
    if municipality is None:
        # Deleted: its schema and outbox are gone, and its index rows went with the row.
        log.info("community relay: no municipality with schema %s (deleted); nothing to do", schema_name)
        return result
    previous = current_tenant()
    try:
        while True:
            done, more = _relay_batch(municipality, batch_size, result)
            if done and result.item_ids:
                _sync_search(result.item_ids[-done:])
            if not more:
                break
    finally:
        restore_tenant(previous)
    return result


def _relay_batch(municipality: Municipality, batch_size: int, result: RelayResult) -> tuple[int, bool]:
    """One batch in one transaction; returns (items touched, whether more may be pending)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_lock_key(municipality.pk)])
            if not cursor.fetchone()[0]:
                result.busy = True
                return 0, False
        use_municipality(municipality)
        try:
            events = list(
                OutboxEvent.objects.select_for_update(skip_locked=True)
                .filter(processed_at__isnull=True)
                .order_by("pk")[:batch_size]
            )
        except Exception as exc:  # the schema is being dropped under us
            log.warning("community relay: cannot read the outbox of %s: %s", municipality.schema_name, exc)
            raise
        if not events:
            return 0, False
        touched: list[int] = []
        now = timezone.now()
        batch = _Batch.load(municipality, events)
        for event in events:
            try:
                with transaction.atomic():  # a savepoint: a bad event leaves no half-written row
                    item = _apply(batch, event, now)
            except (payloads.MalformedPayload, DatabaseError, ValueError) as exc:
                # Whatever this one event does wrong (a shape we did not foresee, a value
                # the database refuses), it is set aside and the queue goes on.
                batch.forget(event)
                result.failed += 1
                RelayFailure.objects.get_or_create(
                    municipality=municipality,
                    event_id=event.pk,
                    defaults={"topic": event.topic[:60], "payload": event.payload, "error": str(exc)[:2000]},
                )
                log.warning(
                    "community relay: event %s of %s (%s) rejected: %s",
                    event.pk,
                    municipality.schema_name,
                    event.topic,
                    exc,
                )
                continue
            if item is None:
                result.skipped += 1
            else:
                result.applied += 1
                touched.extend(item)
        batch.suggest_themes()
        OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(processed_at=now)
        unique = list(dict.fromkeys(touched))
        if unique:
            from ods_alignment.services import apply_final_alignments

            # An initiative shared again, or re-created by a rebuild, gets back the SDG
            # alignment the specialists published for it.
            apply_final_alignments(unique)
        result.item_ids.extend(unique)
        return len(unique), len(events) == batch_size


@dataclass
class _Batch:
    """What one batch reads once instead of once per event: the index rows its events name
    (locked), the municipality's confirmed theme mappings, and the themes it has seen."""

    municipality: Municipality
    items: dict[tuple[str, int], IndexItem]
    theme_map: dict[int, int]
    themes_seen: dict[int, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, municipality: Municipality, events: list[OutboxEvent]) -> _Batch:

        wanted: dict[str, set[int]] = {ItemKind.INITIATIVE: set(), ItemKind.RESTRICTION: set()}
        for event in events:
            if event.aggregate_type in wanted:
                try:
                    wanted[event.aggregate_type].add(payloads.aggregate_number(event.aggregate_id))
                except payloads.MalformedPayload:
                    continue  # reported when the event itself is applied
        items: dict[tuple[str, int], IndexItem] = {}
        for kind, ids in wanted.items():
            if ids:
                for row in IndexItem.objects.select_for_update().filter(
                    municipality=municipality, kind=kind, source_id__in=ids
                ):
                    items[(kind, row.source_id)] = row
        return cls(municipality=municipality, items=items, theme_map=confirmed_map(municipality.pk))

    def item(self, kind: str, source_id: int) -> IndexItem:
        row = self.items.get((kind, source_id))
        if row is None:
            row = IndexItem(municipality=self.municipality, kind=kind, source_id=source_id)
            self.items[(kind, source_id)] = row
        return row

    def forget(self, event: OutboxEvent) -> None:
        """After a failed event its row may hold unsaved changes: read it again next time."""
        for key in [k for k, row in self.items.items() if str(k[1]) == event.aggregate_id]:
            row = self.items.pop(key)
            if row.pk is not None:
                self.items[key] = IndexItem.objects.get(pk=row.pk)

    def initiative_row(self, source_id: int) -> IndexItem | None:
        row = self.items.get((ItemKind.INITIATIVE, source_id))
        if row is not None and row.pk is not None:
            return row if row.withdrawn_at is None else None
        return IndexItem.objects.filter(
            municipality=self.municipality, kind=ItemKind.INITIATIVE, source_id=source_id, withdrawn_at__isnull=True
        ).first()

    def suggest_themes(self) -> None:
        """New local themes get a suggested mapping for a person to confirm."""
        from community.services_themes import ensure_suggestions

        if self.themes_seen:
            ensure_suggestions(municipality=self.municipality, themes=list(self.themes_seen.values()))


def _apply(batch: _Batch, event: OutboxEvent, now: datetime) -> list[int] | None:
    """Apply one event; returns the ids of the index rows it changed (None: nothing to do)."""
    municipality = batch.municipality
    if event.topic not in payloads.TOPICS:
        raise payloads.MalformedPayload(f"unknown topic {event.topic!r}")
    if event.topic == "community.snapshot":
        return _apply_snapshot(municipality, event, now)
    kind_name, action = event.topic.split(".")
    kind = ItemKind.INITIATIVE if kind_name == "initiative" else ItemKind.RESTRICTION
    if event.aggregate_type != kind_name:
        raise payloads.MalformedPayload(f"aggregate_type {event.aggregate_type!r} does not match {event.topic!r}")
    source_id = payloads.aggregate_number(event.aggregate_id)
    if action == "upserted":
        parse = payloads.initiative_fields if kind == ItemKind.INITIATIVE else payloads.restriction_fields
        fields = parse(event.payload, event.aggregate_id)
    item = batch.item(kind, source_id)
    if item.last_event_id >= event.pk:
        return None  # a duplicate, or older than what the index already holds
    item.last_event_id = event.pk
    if action == "withdrawn":
        _tombstone(item, now)
        return [item.pk]
    _fill(item, batch, fields)
    item.save()
    return [item.pk]


def _fill(item: IndexItem, batch: _Batch, fields: payloads.ItemFields) -> None:
    municipality = batch.municipality
    for name, value in vars(fields).items():
        if name != "initiative_source_id":
            setattr(item, name, value)
    item.withdrawn_at = None
    item.country = municipality.country
    item.region = municipality.region
    item.population_bracket = population_bracket(municipality.population)
    for theme in fields.local_themes:
        batch.themes_seen[theme["id"]] = theme
    item.platform_themes = platform_themes_for([t["id"] for t in fields.local_themes], batch.theme_map)
    item.initiative_source_id = fields.initiative_source_id
    item.initiative = None
    if fields.initiative_source_id is not None:
        item.initiative = batch.initiative_row(fields.initiative_source_id)
    item.search_dirty = True


# What a withdrawal clears: the row stays only as a marker of the last event applied.
_CONTENT_DEFAULTS: dict[str, Any] = {
    "title": "",
    "text": "",
    "status": "",
    "light": None,
    "is_public": False,
    "restriction_type": "",
    "start_date": None,
    "end_date": None,
    "place_regions": [],
    "local_themes": [],
    "platform_themes": [],
    "sdg_goals": [],
    "sdg_targets": [],
    "initiative": None,
    "initiative_source_id": None,
    "source_url": "",
    "search_vector": None,
}


def _tombstone(item: IndexItem, now: datetime) -> None:
    for name, value in _CONTENT_DEFAULTS.items():
        setattr(item, name, value)
    item.withdrawn_at = now
    item.search_dirty = True
    new = item.pk is None
    item.save()
    if not new:
        # Groups forget it too; the next detection run reports the change.
        GroupMember.objects.filter(item=item).delete()
        IndexItem.objects.filter(initiative=item).update(initiative=None)


def _apply_snapshot(municipality: Municipality, event: OutboxEvent, now: datetime) -> list[int]:
    """Everything the municipality shares right now: any other live item of it (older than
    the snapshot) was withdrawn while events were lost, or before a purge, and goes."""
    keep = payloads.snapshot_keys(event.payload)
    stale = [
        item
        for item in IndexItem.objects.select_for_update().filter(
            municipality=municipality, withdrawn_at__isnull=True, last_event_id__lt=event.pk
        )
        if (item.kind, item.source_id) not in keep
    ]
    for item in stale:
        item.last_event_id = event.pk
        _tombstone(item, now)
    return [item.pk for item in stale]


def _sync_search(item_ids: list[int]) -> None:
    try:
        from search.indexing import sync_items

        sync_items(item_ids)
    except Exception:  # the index is committed; the sweep re-sends what is still dirty
        log.exception("community relay: search indexing failed for %d items; the sweep will retry", len(item_ids))
