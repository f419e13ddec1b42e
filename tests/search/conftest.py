from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import override_settings

from community.models import IndexItem
from search.indexing import sync_items
from tenants.models import Municipality
from tests.community.factories import make_item
from tests.conftest import World

Add = Callable[..., IndexItem]


@pytest.fixture(autouse=True)
def _postgres_only() -> Iterator[None]:
    """PostgreSQL unless a test says otherwise (the developer's environment may set
    ELASTICSEARCH_URL; the integration module overrides this)."""
    with override_settings(ELASTICSEARCH_URL=""):
        yield


@pytest.fixture
def add(w: World) -> Add:
    """Create a community index row (tests/community/factories.make_item) and index it,
    as the relay does after its batch."""

    def add(municipality: Municipality | None = None, **fields: Any) -> IndexItem:
        item = make_item(municipality or w.alfa, **fields)
        sync_items([item.pk])
        item.refresh_from_db()
        return item

    return add
