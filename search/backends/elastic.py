"""Elasticsearch backend (elasticsearch.dsl), selected by ELASTICSEARCH_URL.

The index holds one `CommunityItemDocument` per live item (search/documents.py). A query
is a `multi_match` with fuzziness AUTO (typos) over title (boosted), text, themes and the
municipality's name; facets are `terms` aggregations, each inside a `filter` aggregation
with every filter but its own, while the facet filters themselves apply as `post_filter`
(so the hits are filtered and a chosen value's siblings keep their counts, as on
PostgreSQL). Hits are read back through the community selector (search/results.py), so an
index that lags behind never shows what is no longer public.

When Elasticsearch cannot be reached, a search falls back to the PostgreSQL backend with a
warning in the "search" log, and indexing raises BackendUnavailable (search/indexing.py
then leaves the rows dirty for the next sweep). The client is created on first use, with
ELASTICSEARCH_TIMEOUT and no retries: a down server must cost one timeout, not several."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch
from elasticsearch.dsl import Q, Search

from search.backends import FACETS, BackendUnavailable, SearchRequest, SearchResults
from search.documents import CommunityItemDocument, index_definition
from search.results import FACET_SIZE, hydrate, labelled_facets
from search.text import MARK_START, MARK_STOP

if TYPE_CHECKING:
    from community.models import IndexItem

logger = logging.getLogger("search")

FIELDS = {
    "kind": "kind",
    "country": "country",
    "region": "region",
    "population_bracket": "population_bracket",
    "platform_theme": "platform_themes",
    "sdg_goal": "sdg_goals",
    "sdg_target": "sdg_targets",
    "status": "status",
}
TEXT_FIELDS = ["title^3", "text", "themes", "municipality_name"]
FRAGMENT_SEPARATOR = " … "


@lru_cache(maxsize=4)
def _client(url: str, timeout: float) -> Elasticsearch:
    return Elasticsearch(url, request_timeout=timeout, max_retries=0, retry_on_timeout=False)


def client() -> Elasticsearch:
    """The client for the current settings (tests change them with override_settings)."""
    return _client(settings.ELASTICSEARCH_URL, float(settings.ELASTICSEARCH_TIMEOUT))


def index_name() -> str:
    return str(settings.ELASTICSEARCH_INDEX)


_ready: set[tuple[str, str]] = set()


def ensure_index() -> None:
    """Create the index with its mappings if it does not exist yet: indexing into a missing
    index would create it with guessed mappings (no Spanish analyzer)."""
    key = (settings.ELASTICSEARCH_URL, index_name())
    if key in _ready:
        return
    es = client()
    if not es.indices.exists(index=index_name()):
        try:
            CommunityItemDocument._index.clone(name=index_name()).create(using=es)
        except ApiError as exc:
            if "resource_already_exists" not in str(exc):  # another process was faster
                raise
    else:
        _add_new_fields(es)
    _ready.add(key)


def _add_new_fields(es: Elasticsearch) -> None:
    """Give an index created by an earlier version the fields added since (sdg_targets), before
    the first document carrying them arrives: otherwise Elasticsearch would guess a text field,
    on which the terms aggregation of a facet fails. Existing fields are sent unchanged, which
    Elasticsearch accepts; a field it already guessed differently cannot be changed in place
    and needs a rebuild (`community_rebuild`), which this logs."""
    properties = index_definition(index_name())["mappings"]["properties"]
    try:
        es.indices.put_mapping(index=index_name(), properties=properties)
    except ApiError as exc:
        logger.warning(
            "Could not add the new fields to the Elasticsearch index %s (%s); rebuild it with community_rebuild.",
            index_name(),
            exc,
        )


def recreate_index() -> None:
    es = client()
    es.options(ignore_status=404).indices.delete(index=index_name())
    _ready.discard((settings.ELASTICSEARCH_URL, index_name()))
    ensure_index()


def build_search(
    request: SearchRequest, *, index: str, exclude_municipalities: Sequence[int] = (), any_word: bool = False
) -> Search:
    """The elasticsearch.dsl search for a request (pure: no server needed)."""
    base_filters = [Q("term", is_public=True)] if request.public_only else []
    must_not = [Q("terms", municipality_id=list(exclude_municipalities))] if exclude_municipalities else []
    if request.q.strip():
        text = Q(
            "multi_match",
            query=request.q,
            fields=TEXT_FIELDS,
            fuzziness="AUTO",
            operator="or" if any_word else "and",
        )
    else:
        text = Q("match_all")
    search = Search(index=index).query(Q("bool", must=[text], filter=base_filters, must_not=must_not))
    facet_filters = {facet: Q("terms", **{FIELDS[facet]: list(values)}) for facet, values in request.filters().items()}
    if facet_filters:
        search = search.post_filter(Q("bool", filter=list(facet_filters.values())))
    for facet in FACETS:
        others = [f for name, f in facet_filters.items() if name != facet]
        bucket = search.aggs.bucket(facet, "filter", filter=Q("bool", filter=others) if others else Q("match_all"))
        bucket.bucket("values", "terms", field=FIELDS[facet], size=FACET_SIZE)
    search = search.highlight("text", fragment_size=160, number_of_fragments=2).highlight_options(
        pre_tags=[MARK_START], post_tags=[MARK_STOP], encoder="default"
    )
    search = search.source(["item_id"]).extra(track_total_hits=True)
    return search[request.offset : request.offset + request.page_size]


def _inactive_municipalities() -> list[int]:
    from tenants.models import Municipality

    return list(Municipality.objects.filter(is_active=False).values_list("pk", flat=True))


class ElasticsearchBackend:
    name = "elasticsearch"

    # --- indexing ------------------------------------------------------------------------

    def index(self, items: Sequence[IndexItem]) -> set[str]:
        from community.models import PlatformTheme

        if not items:
            return set()
        theme_ids = {pk for item in items for pk in item.platform_themes}
        names = dict(PlatformTheme.objects.filter(pk__in=theme_ids).values_list("pk", "name"))
        operations: list[dict[str, Any]] = []
        for item in items:
            operations.append({"index": {"_index": index_name(), "_id": item.key}})
            operations.append(CommunityItemDocument.from_item(item, platform_theme_names=names).to_dict())
        return self._bulk(operations)

    def remove(self, keys: Iterable[str]) -> set[str]:
        operations = [{"delete": {"_index": index_name(), "_id": key}} for key in keys]
        return self._bulk(operations) if operations else set()

    def _bulk(self, operations: list[dict[str, Any]]) -> set[str]:
        """Send a _bulk request; the keys whose operation succeeded (a delete of a document
        that is not there succeeded too)."""
        try:
            ensure_index()
            response = client().bulk(operations=operations)
        except (TransportError, ApiError) as exc:
            raise BackendUnavailable(str(exc)) from exc
        done = set()
        for entry in response.get("items", []):
            (action, result), *_rest = entry.items()
            status = int(result.get("status", 500))
            if status < 300 or (action == "delete" and status == 404):
                done.add(str(result.get("_id")))
            else:
                logger.warning("Elasticsearch did not %s %s: %s", action, result.get("_id"), result.get("error"))
        return done

    # --- search --------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResults:
        try:
            return self._search(request)
        except (TransportError, ApiError) as exc:
            logger.warning(
                "Elasticsearch is unavailable at %s (%s); this search ran on PostgreSQL instead.",
                settings.ELASTICSEARCH_URL,
                exc,
            )
            from search.backends.postgres import PostgresBackend

            return PostgresBackend().search(request)

    def _search(self, request: SearchRequest) -> SearchResults:
        excluded = _inactive_municipalities()
        response = build_search(request, index=index_name(), exclude_municipalities=excluded).using(client()).execute()
        relaxed = False
        total = int(response.hits.total.value)  # type: ignore[attr-defined]
        if total == 0 and len(request.q.split()) > 1:
            search = build_search(request, index=index_name(), exclude_municipalities=excluded, any_word=True)
            response = search.using(client()).execute()
            total = int(response.hits.total.value)  # type: ignore[attr-defined]
            relaxed = True
        scored: list[tuple[int, float]] = []
        snippets: dict[int, str] = {}
        for hit in response.hits:
            item_id = int(hit.item_id)
            scored.append((item_id, float(hit.meta.score or 0.0)))
            highlight = getattr(hit.meta, "highlight", None)
            if highlight is not None and "text" in highlight:
                snippets[item_id] = FRAGMENT_SEPARATOR.join(highlight["text"])
        raw = {
            facet: [(str(b.key), int(b.doc_count)) for b in response.aggregations[facet]["values"].buckets]
            for facet in FACETS
        }
        return SearchResults(
            total=total,
            hits=hydrate(request, scored, snippets=snippets),
            facets=labelled_facets(raw, request),
            page=request.page,
            page_size=request.page_size,
            backend=self.name,
            relaxed=relaxed,
        )
