"""Elasticsearch down: searches fall back to PostgreSQL with a clear log line, indexing
leaves the rows dirty without raising, and the next sweep sends them once it is back."""

from __future__ import annotations

import logging
import socket

import pytest
from django.test import override_settings
from django.utils import timezone

from community.models import IndexItem, PlatformTheme
from search.backends import SearchRequest, get_backend
from search.backends.elastic import ElasticsearchBackend
from search.indexing import sync_items, sync_pending
from tests.community.factories import make_item
from tests.conftest import World
from tests.search.fake_elasticsearch import FakeElasticsearch

pytestmark = pytest.mark.django_db


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there once the socket is closed


def dirty(*items: IndexItem) -> list[bool]:
    return [IndexItem.objects.get(pk=item.pk).search_dirty for item in items]


def test_backend_is_chosen_by_the_setting() -> None:
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9"):
        assert isinstance(get_backend(), ElasticsearchBackend)


def test_search_falls_back_to_postgresql(w: World, caplog: pytest.LogCaptureFixture) -> None:
    item = make_item(w.alfa, title="Agua potable rural")
    sync_items([item.pk])  # PostgreSQL only (the default in these tests)
    with (
        override_settings(ELASTICSEARCH_URL=closed_port_url(), ELASTICSEARCH_TIMEOUT=1),
        caplog.at_level(logging.WARNING, logger="search"),
    ):
        results = get_backend().search(SearchRequest(q="agua"))
    assert results.backend == "postgresql"
    assert [h.title for h in results.hits] == ["Agua potable rural"]
    assert any(
        "Elasticsearch is unavailable" in r.getMessage() and "PostgreSQL" in r.getMessage() for r in caplog.records
    )


def test_indexing_while_down_keeps_rows_dirty_and_resumes(w: World, caplog: pytest.LogCaptureFixture) -> None:
    theme = PlatformTheme.objects.create(name="Agua y saneamiento")
    live = make_item(w.alfa, title="Agua potable rural", platform_themes=[theme.pk], sdg_goals=[6])
    other = make_item(w.beta, title="Caminos")
    gone = make_item(w.alfa, title="")
    IndexItem.objects.filter(pk=gone.pk).update(withdrawn_at=timezone.now())
    with (
        override_settings(ELASTICSEARCH_URL=closed_port_url(), ELASTICSEARCH_TIMEOUT=1),
        caplog.at_level(logging.WARNING, logger="search"),
    ):
        sync_items([live.pk, other.pk, gone.pk])  # does not raise
        assert sync_pending() == 0
    assert dirty(live, other, gone) == [True, True, True]
    assert any("stay pending" in r.getMessage() for r in caplog.records)
    # PostgreSQL got its part anyway: the vectors are there.
    assert IndexItem.objects.get(pk=live.pk).search_vector is not None

    with (
        FakeElasticsearch() as fake,
        override_settings(ELASTICSEARCH_URL=fake.url, ELASTICSEARCH_INDEX="comunidad-test"),
    ):
        assert sync_pending() == 3
        assert dirty(live, other, gone) == [False, False, False]
        assert sorted(fake.bulk_operations()) == sorted(
            [("index", live.key), ("index", other.key), ("delete", gone.key)]
        )
        # The index was created with its mappings before the first document.
        assert fake.received[0].method == "HEAD" and fake.received[1].method == "PUT"
        assert fake.indices["comunidad-test"]["mappings"]["properties"]["title"]["analyzer"] == "sigobito_es"
        document = fake.documents[live.key]
        assert document["title"] == "Agua potable rural" and document["municipality_name"] == "Municipio Alfa"
        assert document["platform_themes"] == [str(theme.pk)] and "Agua y saneamiento" in document["themes"]
        assert document["sdg_goals"] == ["6"] and document["is_public"] is True and document["country"] == "CO"
        assert sync_pending() == 0  # nothing left to send
        assert len(fake.bulk_operations()) == 3


def test_rows_the_server_rejects_stay_dirty(w: World) -> None:
    good = make_item(w.alfa, title="Bueno")
    bad = make_item(w.alfa, title="Malo")
    with FakeElasticsearch(fail_ids={bad.key}) as fake, override_settings(ELASTICSEARCH_URL=fake.url):
        sync_items([good.pk, bad.pk])
        assert dirty(good, bad) == [False, True]
        fake.fail_ids.clear()
        assert sync_pending() == 1
        assert dirty(good, bad) == [False, False]


def test_a_row_changed_while_it_was_sent_stays_dirty(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    item = make_item(w.alfa, title="Primera versión")
    send = ElasticsearchBackend.index

    def send_while_the_relay_applies_a_newer_event(self: ElasticsearchBackend, items: list[IndexItem]) -> set[str]:
        reached = send(self, items)
        IndexItem.objects.filter(pk=item.pk).update(last_event_id=99, title="Segunda versión", search_dirty=True)
        return reached

    with FakeElasticsearch() as fake, override_settings(ELASTICSEARCH_URL=fake.url):
        with monkeypatch.context() as patch:
            patch.setattr(ElasticsearchBackend, "index", send_while_the_relay_applies_a_newer_event)
            sync_items([item.pk])
        assert fake.documents[item.key]["title"] == "Primera versión"
        assert dirty(item) == [True]  # the newer version still has to go
        assert sync_pending() == 1
        assert dirty(item) == [False]
        assert fake.documents[item.key]["title"] == "Segunda versión"
