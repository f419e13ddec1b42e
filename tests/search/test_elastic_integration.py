"""Against a real Elasticsearch: runs only when ELASTICSEARCH_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import override_settings

from community.models import ItemKind
from search.backends import SearchRequest, get_backend
from search.backends.elastic import client, recreate_index
from search.indexing import sync_items
from tests.community.factories import make_item
from tests.conftest import World

ES_URL = os.environ.get("ELASTICSEARCH_URL", "")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not ES_URL, reason="ELASTICSEARCH_URL is not set: no Elasticsearch server to test against"),
]


@pytest.fixture(autouse=True)
def _postgres_only() -> Iterator[None]:
    """Overrides the package's PostgreSQL-only fixture: this module talks to the server."""
    index = f"sigobito-test-{uuid.uuid4().hex[:8]}"
    with override_settings(ELASTICSEARCH_URL=ES_URL, ELASTICSEARCH_INDEX=index):
        recreate_index()
        yield
        client().options(ignore_status=404).indices.delete(index=index)


def titles(**request: object) -> list[str]:
    results = get_backend().search(SearchRequest(**request))  # type: ignore[arg-type]
    assert results.backend == "elasticsearch"
    return [h.title for h in results.hits]


def test_spanish_search_facets_and_isolation(w: World) -> None:
    items = [
        make_item(w.alfa, title="Educación ambiental en escuelas", sdg_goals=[4]),
        make_item(w.alfa, title="Red de alcantarillado", sdg_goals=[6]),
        make_item(w.alfa, title="Agua privada", is_public=False),
        make_item(w.beta, kind=ItemKind.RESTRICTION, title="Falta de agua", is_open=True),
    ]
    sync_items([i.pk for i in items])
    client().indices.refresh(index=settings.ELASTICSEARCH_INDEX)
    assert titles(q="educacion") == ["Educación ambiental en escuelas"]
    assert titles(q="escuela") == ["Educación ambiental en escuelas"]
    assert titles(q="alcantarilado") == ["Red de alcantarillado"]
    assert titles(q='agua & | ! ( "') == ["Falta de agua"]
    results = get_backend().search(SearchRequest(q="agua", country=("GT",)))
    assert {f.value: f.count for f in results.facets["kind"]} == {"restriction": 1}
