"""Keeping the search backends in step with the community index.

The relay calls `sync_items(ids)` after each committed batch, and `sync_pending()` from its
periodic sweep. `IndexItem.search_dirty` is the only bookkeeping: the relay sets it on
every change, and it is cleared here only for rows that reached every configured backend
(PostgreSQL always; Elasticsearch when ELASTICSEARCH_URL is set). When Elasticsearch is
down the rows stay dirty and a warning goes to the "search" log; nothing is raised to the
relay, and the next sweep sends them again.

A row is cleared only if it has not changed since it was read (same `last_event_id`): a
newer event applied meanwhile keeps it dirty for its own sync, instead of leaving an older
copy in Elasticsearch marked as done."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import DatabaseError, connection, transaction

from community.models import IndexItem
from search.backends import BackendUnavailable, elasticsearch_enabled
from search.backends.postgres import update_vectors
from search.counts import rebuild_counts, refresh_for_items

logger = logging.getLogger("search")

BATCH = 500

_CLEAR_SQL = """
UPDATE community_indexitem AS i SET search_dirty = false
FROM unnest(%s::bigint[], %s::bigint[]) AS done(id, last_event_id)
WHERE i.id = done.id AND i.last_event_id = done.last_event_id
"""


def sync_items(item_ids: Sequence[int]) -> None:
    """Bring the search backends up to date for these rows. Never raises."""
    ids = sorted(set(item_ids))
    for start in range(0, len(ids), BATCH):
        _sync_batch(ids[start : start + BATCH])


def _sync_batch(ids: list[int], *, counts: bool = True) -> int:
    """Returns how many rows are now clean. `counts`: also recompute the pre-aggregated facet
    counts of the batch's municipalities (search/counts.py), in the same transaction as the
    vectors, so text and browse searches change together."""
    try:
        with transaction.atomic():
            if counts:
                refresh_for_items(ids)
            if not elasticsearch_enabled():
                # PostgreSQL is the only backend: the rows are clean with their new vectors.
                return update_vectors(ids, clear_dirty=True)
            update_vectors(ids)
            rows = list(IndexItem.objects.filter(pk__in=ids).select_related("municipality"))
    except DatabaseError:
        logger.exception("Could not update the search vectors of %d community items; they stay pending.", len(ids))
        return 0
    reached = _send_to_elasticsearch(rows)
    done = [row for row in rows if row.key in reached]
    if not done:
        return 0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_CLEAR_SQL, [[row.pk for row in done], [row.last_event_id for row in done]])
            return int(cursor.rowcount)
    except DatabaseError:
        logger.exception("Could not mark %d community items as indexed; they will be sent again.", len(done))
        return 0


def _send_to_elasticsearch(rows: list[IndexItem]) -> set[str]:
    from django.conf import settings

    from search.backends.elastic import ElasticsearchBackend

    backend = ElasticsearchBackend()
    live = [row for row in rows if row.withdrawn_at is None]
    withdrawn = [row.key for row in rows if row.withdrawn_at is not None]
    try:
        reached = backend.index(live) if live else set()
        reached |= backend.remove(withdrawn) if withdrawn else set()
    except BackendUnavailable as exc:
        logger.warning(
            "Elasticsearch is unavailable at %s (%s): %d community items stay pending and will be sent "
            "again by the next sweep.",
            settings.ELASTICSEARCH_URL,
            exc,
            len(rows),
        )
        return set()
    except Exception:  # an unexpected answer must not break the relay either
        logger.exception("Indexing %d community items in Elasticsearch failed; they stay pending.", len(rows))
        return set()
    return reached


def sync_pending(limit: int = 5000) -> int:
    """Send again up to `limit` rows still marked dirty (oldest first); returns how many
    are now clean. Stops early when a batch makes no progress (a backend is down)."""
    cleaned = 0
    last_id = 0
    while cleaned < limit:
        ids = list(
            IndexItem.objects.filter(search_dirty=True, pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[: min(BATCH, limit - cleaned)]
        )
        if not ids:
            break
        done = _sync_batch(ids)
        if done == 0:
            break
        cleaned += done
        last_id = ids[-1]
    return cleaned


def rebuild() -> int:
    """Recompute every vector and the vocabulary, recreate the Elasticsearch index (when
    configured) and send every row to it. Returns the number of live rows indexed."""
    from search.models import SearchWord

    SearchWord.objects.all().delete()
    if elasticsearch_enabled():
        from search.backends.elastic import recreate_index

        try:
            recreate_index()
        except Exception as exc:  # leave every row dirty: sync_pending finishes the job later
            logger.warning("Could not recreate the Elasticsearch index (%s); rows stay pending.", exc)
    if elasticsearch_enabled():
        IndexItem.objects.filter(search_dirty=False).update(search_dirty=True)
    last_id = 0
    # Without Elasticsearch nothing is sent anywhere: bigger batches, fewer statements.
    batch = BATCH if elasticsearch_enabled() else BATCH * 10
    while True:
        ids = list(IndexItem.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            break
        _sync_batch(ids, counts=False)
        last_id = ids[-1]
    rebuild_counts()
    return IndexItem.objects.filter(withdrawn_at__isnull=True, search_dirty=False).count()
