"""Pre-aggregated facet counts (search/counts.py) and capped counts of very common words:
exact where they claim to be, lower bounds where they say so, and never counting what the
public may not see."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.utils import timezone

from community.models import IndexItem, ItemKind
from search.backends import FACETS, SearchRequest, get_backend
from search.backends import postgres as pg
from search.counts import rebuild_counts
from search.indexing import sync_items
from search.models import FacetCube, FacetRollup
from search.results import facet_status, visible_items
from tests.conftest import World, client_for
from tests.search.conftest import Add

pytestmark = pytest.mark.django_db


def _values(item: IndexItem, facet: str) -> list[str]:
    if facet == "platform_theme":
        return [str(v) for v in item.platform_themes]
    if facet == "sdg_goal":
        return [str(v) for v in item.sdg_goals]
    if facet == "sdg_target":
        return list(item.sdg_targets)
    if facet == "status":
        return [facet_status(item)]
    return [str(getattr(item, facet))]


def exact(request: SearchRequest) -> tuple[int, dict[str, dict[str, int]]]:
    """Count the visible items one by one, as the page promises: the total under every filter,
    each facet under every filter but its own."""
    items = list(visible_items(request))
    filters = request.filters()

    def passes(item: IndexItem, skip: str | None) -> bool:
        return all(set(_values(item, f)) & set(v) for f, v in filters.items() if f != skip)

    total = sum(1 for item in items if passes(item, None))
    facets: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        counter: Counter[str] = Counter()
        for item in items:
            if passes(item, facet):
                counter.update(v for v in _values(item, facet) if v)
        facets[facet] = dict(counter)
    return total, facets


def counted(request: SearchRequest) -> tuple[int, dict[str, dict[str, int]]]:
    results = get_backend().search(request)
    assert not results.total_is_lower_bound and not results.facets_partial
    return results.total, {
        name: {f.value: f.count for f in values if f.count} for name, values in results.facets.items()
    }


@pytest.fixture
def varied(add: Add, w: World) -> list[IndexItem]:
    from community.models import PlatformTheme

    water = PlatformTheme.objects.create(name="Agua y saneamiento").pk
    roads = PlatformTheme.objects.create(name="Vías").pk
    rows: list[dict[str, Any]] = [
        {"municipality": w.alfa, "sdg_goals": [6], "platform_themes": [water], "status": "in_execution"},
        {"municipality": w.alfa, "sdg_goals": [4, 6], "platform_themes": [water, roads], "status": "programmed"},
        {"municipality": w.alfa, "kind": ItemKind.RESTRICTION, "is_open": True, "sdg_goals": [11]},
        {"municipality": w.alfa, "kind": ItemKind.RESTRICTION, "is_open": False},
        {"municipality": w.alfa, "is_public": False, "sdg_goals": [6], "platform_themes": [water]},
        {"municipality": w.beta, "sdg_goals": [6, 11], "platform_themes": [roads], "status": "in_execution"},
        {"municipality": w.beta, "region": "Petén", "status": "done"},
        {"municipality": w.beta, "is_public": False, "sdg_goals": [4]},
    ]
    return [add(title=f"Proyecto {n}", **fields) for n, fields in enumerate(rows)]


REQUESTS = [
    {},
    {"country": ("CO",)},
    {"kind": ("restriction",)},
    {"sdg_goal": (6,)},
    {"sdg_goal": (4, 11)},
    {"country": ("CO",), "sdg_goal": (6,)},
    {"status": ("in_execution", "open"), "country": ("CO", "GT")},
    {"platform_theme": (1,), "sdg_goal": (6,), "kind": ("initiative",)},
    {"region": ("Petén",), "population_bracket": ("10k-50k",)},
]


@pytest.mark.parametrize("public_only", [True, False])
def test_browse_counts_from_the_cube_equal_exact_counts(varied: list[IndexItem], public_only: bool) -> None:
    themes = sorted({t for item in varied for t in item.platform_themes})
    for params in REQUESTS:
        if "platform_theme" in params:
            params = {**params, "platform_theme": (themes[0],)}
        request = SearchRequest(public_only=public_only, **params)  # type: ignore[arg-type]
        assert counted(request) == exact(request), params
    # The tables really hold the counts (the browse did not count the items).
    assert FacetRollup.objects.get(is_public=True, facet="total").n == 6
    assert FacetCube.objects.filter(is_public=False).exists()


def test_counts_follow_changes_withdrawals_and_rebuilds(varied: list[IndexItem], w: World) -> None:
    browse = SearchRequest()
    assert counted(browse)[0] == 6
    # Made private, then withdrawn, then a new item: each synced batch updates the counts.
    first, second = varied[0], varied[1]
    IndexItem.objects.filter(pk=first.pk).update(is_public=False)
    sync_items([first.pk])
    assert counted(browse) == exact(browse) and counted(browse)[0] == 5
    IndexItem.objects.filter(pk=second.pk).update(withdrawn_at=timezone.now(), title="")
    sync_items([second.pk])
    assert counted(browse) == exact(browse) and counted(browse)[0] == 4
    assert counted(SearchRequest(public_only=False))[0] == 7  # eight, one withdrawn
    sdg6 = SearchRequest(sdg_goal=(6,))
    assert counted(sdg6) == exact(sdg6) == (1, counted(sdg6)[1])
    # Rebuilding from scratch gives the same numbers.
    before = counted(browse)
    rebuild_counts()
    assert counted(browse) == before


def test_deactivating_a_municipality_takes_it_out_of_the_counts_at_once(varied: list[IndexItem], w: World) -> None:
    browse = SearchRequest()
    assert counted(browse)[1]["country"] == {"CO": 4, "GT": 2}
    # No relay, no sync: the municipality is just deactivated.
    w.beta.is_active = False
    w.beta.save(update_fields=["is_active"])
    assert counted(browse) == exact(browse)
    assert counted(browse)[1]["country"] == {"CO": 4}
    assert counted(SearchRequest(country=("GT",)))[0] == 0
    w.beta.is_active = True
    w.beta.save(update_fields=["is_active"])
    assert counted(browse)[1]["country"] == {"CO": 4, "GT": 2}


def test_browse_pages_newest_first(varied: list[IndexItem]) -> None:
    public = [item for item in varied if item.is_public]
    results = get_backend().search(SearchRequest(page_size=2, page=2))
    assert [h.id for h in results.hits] == sorted((i.pk for i in public), reverse=True)[2:4]
    assert results.pages == 3  # six public items


# --- very common words: the total is a lower bound above the cap --------------------------


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(pg, "TEXT_COUNT_CAP", 3)
    return 3


def test_above_the_cap_the_total_is_a_lower_bound(add: Add, w: World, small_cap: int) -> None:
    add(w.alfa, title="Huerta comunitaria", text="Semillas")
    for n in range(5):
        add(w.alfa, title=f"Mercado {n}", text="Venta de productos de la huerta")
    add(w.beta, title="Otra huerta", text="Riego")
    results = get_backend().search(SearchRequest(q="huerta"))
    assert results.total == small_cap and results.total_is_lower_bound and results.facets_partial
    # Facet counts are over the first matches only: lower bounds, never above the truth.
    assert sum(f.count for f in results.facets["country"]) <= small_cap + 1
    # The page is still ranked: title matches first.
    assert results.hits[0].title in {"Huerta comunitaria", "Otra huerta"}
    # Under the cap the answer is exact, as before.
    beta = get_backend().search(SearchRequest(q="huerta", country=("GT",)))
    assert beta.total == 1 and not beta.total_is_lower_bound
    assert [h.title for h in beta.hits] == ["Otra huerta"]
    alfa = get_backend().search(SearchRequest(q="huerta", country=("CO",)))
    assert alfa.total == small_cap and alfa.total_is_lower_bound
    assert get_backend().search(SearchRequest(q="semillas")).total_is_lower_bound is False


def test_page_and_api_say_more_than(add: Add, small_cap: int) -> None:
    for n in range(5):
        add(title=f"Huerta {n}")
    html = client_for(None).get("/buscar/", {"q": "huerta"}).content.decode()
    assert "Más de 3 resultados" in html
    assert "pueden ser mayores" in html
    data = client_for(None).get("/api/v1/community/search/", {"q": "huerta"}).json()
    assert data["total"] == 3 and data["total_is_lower_bound"] is True and data["facets_partial"] is True
    exact_data = client_for(None).get("/api/v1/community/search/", {"q": "huerta 1"}).json()
    assert exact_data["total_is_lower_bound"] is False
