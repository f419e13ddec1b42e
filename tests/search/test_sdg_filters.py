"""Filtering the community search by SDG goal and target (issue 9): both backends, the
form and the API, the page's target picker, and the counts the page shows for targets."""

from __future__ import annotations

import importlib
import logging
import re
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from community.models import IndexItem
from ods_alignment.models import Target
from ods_alignment.services import local_target_create
from search.backends import SearchRequest, get_backend
from search.backends.elastic import build_search
from search.counts import rebuild_counts
from search.documents import CommunityItemDocument
from search.indexing import sync_items
from search.models import FacetCell, FacetCube, FacetRollup, FacetScope
from tests.conftest import World, client_for
from tests.search.conftest import Add
from tests.search.fake_elasticsearch import FakeElasticsearch
from tests.search.test_counts import counted, exact

pytestmark = pytest.mark.django_db

PAGE = "/buscar/"
API = "/api/v1/community/search/"
WATER_LABEL = "ODS 6: Agua Limpia y Saneamiento"


@pytest.fixture
def aligned(add: Add, w: World, sdg_catalogue: None) -> dict[str, IndexItem]:
    return {
        "water": add(w.alfa, title="Acueducto rural", text="Agua potable para las veredas.", sdg_goals=[6],
                     sdg_targets=["6.1"]),
        "sanitation": add(w.alfa, title="Alcantarillado", text="Agua residual y saneamiento.", sdg_goals=[6],
                          sdg_targets=["6.2"]),
        "both": add(w.beta, title="Agua en las escuelas", text="Agua potable en las escuelas.", sdg_goals=[4, 6],
                    sdg_targets=["4.a", "6.1"]),
        "school": add(w.beta, title="Escuela rural", text="Aulas nuevas.", sdg_goals=[4], sdg_targets=["4.1"]),
        "private": add(w.alfa, title="Agua privada", text="Agua potable.", is_public=False, sdg_goals=[6],
                       sdg_targets=["6.1"]),
        "plain": add(w.alfa, title="Agua sin alinear", text="Agua."),
    }  # fmt: skip


def target_counts(html: str) -> dict[str, str]:
    """The target checkboxes of a page, with the count each shows."""
    pattern = r'name="sdg_target" value="([^"]+)" id="[^"]+">\s*<label[^>]*>[^<]*<span class="facet-count">\((\d+)'
    return dict(re.findall(pattern, html))


def titles(request: SearchRequest) -> set[str]:
    return {hit.title for hit in get_backend().search(request).hits}


def facet(results: Any, name: str) -> dict[str, int]:
    return {f.value: f.count for f in results.facets[name] if f.count}


# --- PostgreSQL --------------------------------------------------------------------------


def test_postgresql_filters_by_target_with_and_without_text(aligned: dict[str, IndexItem]) -> None:
    assert titles(SearchRequest(sdg_target=("6.1",))) == {"Acueducto rural", "Agua en las escuelas"}
    assert titles(SearchRequest(sdg_target=("6.2",))) == {"Alcantarillado"}
    assert titles(SearchRequest(sdg_target=("6.1", "4.1"))) == {
        "Acueducto rural",
        "Agua en las escuelas",
        "Escuela rural",
    }
    assert titles(SearchRequest(sdg_target=("6.3",))) == set()
    assert titles(SearchRequest(q="agua", sdg_target=("6.1",))) == {"Acueducto rural", "Agua en las escuelas"}
    assert titles(SearchRequest(q="agua", sdg_target=("6.2",))) == {"Alcantarillado"}
    # Goal and target combine with AND; the non-public item never shows, even internally counted apart.
    assert titles(SearchRequest(sdg_goal=(4,), sdg_target=("6.1",))) == {"Agua en las escuelas"}
    assert titles(SearchRequest(sdg_target=("6.1",), public_only=False)) == {
        "Acueducto rural",
        "Agua en las escuelas",
        "Agua privada",
    }

    browse = get_backend().search(SearchRequest(sdg_target=("6.1",)))
    assert browse.total == 2
    # Siblings keep their counts (the target facet ignores its own filter).
    assert facet(browse, "sdg_target") == {"6.1": 2, "6.2": 1, "4.a": 1, "4.1": 1}
    assert facet(browse, "sdg_goal") == {"6": 2, "4": 1}
    assert facet(browse, "country") == {"CO": 1, "GT": 1}
    text = get_backend().search(SearchRequest(q="agua", sdg_target=("6.1",)))
    assert text.total == 2 and facet(text, "sdg_target") == {"6.1": 2, "6.2": 1, "4.a": 1}
    assert not text.facets_partial and not text.total_is_lower_bound


@pytest.mark.parametrize("public_only", [True, False])
def test_browse_target_counts_come_from_the_cube_and_are_exact(
    aligned: dict[str, IndexItem], public_only: bool
) -> None:
    requests: list[dict[str, Any]] = [
        {},
        {"sdg_goal": (6,)},
        {"sdg_goal": (4,)},
        {"sdg_target": ("6.1",)},
        {"sdg_target": ("6.1", "4.1")},
        {"sdg_goal": (4,), "sdg_target": ("6.1",)},
        {"country": ("GT",), "sdg_target": ("6.1",)},
        {"kind": ("initiative",), "sdg_goal": (6,), "country": ("CO",)},
        {"status": ("in_progress",), "sdg_target": ("6.2",)},
    ]
    for params in requests:
        request = SearchRequest(public_only=public_only, **params)
        assert counted(request) == exact(request), params
    assert counted(SearchRequest(public_only=public_only))[1]["sdg_target"] == (
        {"6.1": 2, "6.2": 1, "4.a": 1, "4.1": 1} if public_only else {"6.1": 3, "6.2": 1, "4.a": 1, "4.1": 1}
    )
    # The browse read the pre-aggregated counts (search/counts.py), not the items.
    assert FacetRollup.objects.get(is_public=True, facet="sdg_target", value="6.1").n == 2
    assert FacetCube.objects.filter(sdg_targets=["4.a", "6.1"]).exists()


def test_the_migration_recounts_like_rebuild_counts(aligned: dict[str, IndexItem], w: World) -> None:
    """search/migrations/0003 recomputes the counts with a frozen copy of rebuild_counts: the
    same cells, cube, rollup and scope (an inactive municipality included)."""
    recount = importlib.import_module("search.migrations.0003_facet_targets").RECOUNT
    w.beta.is_active = False
    w.beta.save(update_fields=["is_active"])

    def tables() -> list[list[str]]:
        cells = FacetCell.objects.values_list(
            "municipality_id", "is_public", "kind", "facet_status", "country", "region", "population_bracket",
            "sdg_goals", "platform_themes", "sdg_targets", "n",
        )  # fmt: skip
        cube = FacetCube.objects.values_list(
            "is_public", "kind", "facet_status", "country", "region", "population_bracket", "sdg_goals",
            "platform_themes", "sdg_targets", "n",
        )  # fmt: skip
        rollup = FacetRollup.objects.values_list("is_public", "facet", "value", "n")
        scope = FacetScope.objects.values_list("municipality_id", "counted")
        return [sorted(repr(row) for row in rows) for rows in (cells, cube, rollup, scope)]

    rebuild_counts()
    expected = tables()
    assert any("'sdg_target'" in row for row in expected[2]) and expected[3]
    with connection.cursor() as cursor:
        cursor.execute(recount)
    assert tables() == expected


def test_target_counts_over_a_text_search_are_every_match(aligned: dict[str, IndexItem]) -> None:
    results = get_backend().search(SearchRequest(q="agua"))
    # Matches: the water, sanitation and school-water items, and the unaligned one.
    assert facet(results, "sdg_target") == {"6.1": 2, "6.2": 1, "4.a": 1}
    assert facet(results, "sdg_goal") == {"6": 3, "4": 1}


def test_an_inactive_municipality_leaves_the_target_counts(aligned: dict[str, IndexItem], w: World) -> None:
    w.beta.is_active = False
    w.beta.save(update_fields=["is_active"])
    for request in (SearchRequest(sdg_target=("6.1",)), SearchRequest(q="agua", sdg_target=("6.1",))):
        results = get_backend().search(request)
        assert [h.title for h in results.hits] == ["Acueducto rural"]
        assert facet(results, "sdg_target") == {"6.1": 1, "6.2": 1}  # Beta's 4.a and 6.1 are gone
        assert facet(results, "country") == {"CO": 1}


def test_labels_name_goals_and_targets(aligned: dict[str, IndexItem]) -> None:
    results = get_backend().search(SearchRequest(q="agua", sdg_target=("6.1",)))
    goals = {f.value: f.label for f in results.facets["sdg_goal"]}
    assert goals["6"] == WATER_LABEL and goals["4"] == "ODS 4: Educación de Calidad"
    targets = {f.value: f.label for f in results.facets["sdg_target"]}
    assert targets["6.1"].startswith("6.1: De aquí a 2030, lograr el acceso")
    assert len(targets["6.1"]) < 50  # a target's beginning, not its whole sentence
    # Equal counts: official order.
    assert [f.value for f in results.facets["sdg_target"]] == ["6.1", "4.a", "6.2"]


def test_a_local_target_is_a_filter_like_any_other(add: Add, w: World, sdg_catalogue: None) -> None:
    local = local_target_create(
        actor=w.regional, parent=Target.objects.get(code="11.2"), code="11.2.1", title_es="Transporte rural veredal"
    )
    add(w.alfa, title="Bus veredal", sdg_goals=[11], sdg_targets=["11.2", local.code])
    add(w.alfa, title="Ciclovía", sdg_goals=[11], sdg_targets=["11.2"])
    results = get_backend().search(SearchRequest(sdg_target=("11.2.1",)))
    assert [h.title for h in results.hits] == ["Bus veredal"]
    labels = {f.value: f.label for f in results.facets["sdg_target"]}
    assert labels["11.2.1"] == "11.2.1 (meta local): Transporte rural veredal"
    data = client_for(None).get(API, {"sdg_target": "11.2.1"}).json()
    assert [r["title"] for r in data["results"]] == ["Bus veredal"]


# --- Form and API validation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("99.9", "No existe la meta ODS 99.9."),
        ("6.99", "No existe la meta ODS 6.99."),
        ("abc", "«abc» no es un código de meta ODS"),
        ("6.1;drop", "«6.1;drop» no es un código de meta ODS"),
        ("6.1.2.3", "«6.1.2.3» no es un código de meta ODS"),
        ("'<b>", "no es un código de meta ODS"),
        ("\uff16.\uff11", "no es un código de meta ODS"),  # full-width digits are not a code
        ("6" * 40, None),  # longer than any code: the length error
    ],
)
def test_unknown_or_junk_targets_are_a_field_error(sdg_catalogue: None, value: str, message: str | None) -> None:
    api = client_for(None).get(API, {"sdg_target": ["6.1", value]})
    assert api.status_code == 400
    errors = api.json()
    assert set(errors) == {"sdg_target"}, errors
    if message:
        assert any(message in e for e in errors["sdg_target"]), errors
    page = client_for(None).get(PAGE, {"q": "agua", "sdg_target": value})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Algún filtro no es válido" in html and "<li>Meta ODS: " in html
    if message:
        assert message in html
    assert "'<b>" not in html  # the value is shown escaped


def test_codes_are_normalised(aligned: dict[str, IndexItem]) -> None:
    data = client_for(None).get(API, {"sdg_target": [" 6.1 ", "6.1", "4.A"]}).json()
    assert {r["title"] for r in data["results"]} == {"Acueducto rural", "Agua en las escuelas"}
    html = client_for(None).get(PAGE, {"sdg_target": "6.A"}).content.decode()
    assert re.search(r'value="6.a" id="[^"]+" checked', html)


# --- API -----------------------------------------------------------------------------------


def test_api_filters_by_target_and_labels_the_facets(aligned: dict[str, IndexItem]) -> None:
    response = client_for(None).get(API, {"sdg_target": "6.1"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 2
    assert {r["title"] for r in data["results"]} == {"Acueducto rural", "Agua en las escuelas"}
    targets = {f["value"]: (f["count"], f["label"]) for f in data["facets"]["sdg_target"]}
    assert targets["6.1"][0] == 2 and targets["6.2"][0] == 1 and targets["6.1"][1].startswith("6.1: ")
    goals = {f["value"]: f["label"] for f in data["facets"]["sdg_goal"]}
    assert goals["6"] == WATER_LABEL
    text = client_for(None).get(API, {"q": "agua", "sdg_goal": "6", "sdg_target": "6.2"}).json()
    assert [r["title"] for r in text["results"]] == ["Alcantarillado"]
    browse = client_for(None).get(API).json()["facets"]["sdg_target"]
    assert {f["value"]: f["count"] for f in browse} == {"6.1": 2, "6.2": 1, "4.a": 1, "4.1": 1}


def test_api_schema_documents_the_target_filter() -> None:
    body = client_for(None).get("/api/schema/").content.decode()
    assert "name: sdg_target" in body and "11.2.1" in body


# --- Page ----------------------------------------------------------------------------------


def test_page_offers_targets_grouped_by_goal_and_counts_them(aligned: dict[str, IndexItem]) -> None:
    client = client_for(None)
    html = client.get(PAGE).content.decode()
    # Goals with their short names; the targets in use, counted; every other target to pick
    # from, grouped by goal, labelled.
    assert f">{WATER_LABEL} <span" in html
    assert target_counts(html) == {"6.1": "2", "6.2": "1", "4.a": "1", "4.1": "1"}
    assert '<label for="f-sdg_target-add">Añadir una meta</label>' in html
    assert f'<optgroup label="{WATER_LABEL}">' in html
    assert 'value="6.3">6.3: De aquí a 2030' in html and 'value="17.19">' in html
    assert 'value="6.1">' not in html  # already a checkbox
    assert "Ningún resultado tiene metas ODS asignadas." not in html

    # A goal chosen: its targets only, and the targets of its results counted.
    html = client.get(PAGE, {"sdg_goal": "6"}).content.decode()
    assert "Añadir una meta de los ODS elegidos" in html
    assert 'value="6.3">' in html and 'value="4.1">' not in html and 'value="17.19">' not in html
    assert target_counts(html) == {"6.1": "2", "6.2": "1", "4.a": "1"}
    # Results without targets say so; the list to pick from is still there.
    html = client.get(PAGE, {"q": "agua sin alinear"}).content.decode()
    assert "Ningún resultado tiene metas ODS asignadas." in html
    assert 'aria-describedby="f-sdg_target-help"' in html and 'value="6.1">' in html

    # A target chosen: results filtered, its checkbox ticked (untick to remove), not offered again.
    html = client.get(PAGE, {"sdg_target": "6.1"}).content.decode()
    assert "Acueducto rural" in html and "Agua en las escuelas" in html and "Alcantarillado" not in html
    assert re.search(r'name="sdg_target" value="6.1" id="[^"]+" checked', html)
    assert 'value="6.1">' not in html
    for checkbox_id in re.findall(r'<input type="checkbox" name="\w+" value="[^"]*" id="([^"]+)"', html):
        assert f'<label for="{checkbox_id}">' in html


def test_page_in_english_names_the_goals_in_english(aligned: dict[str, IndexItem]) -> None:
    client = client_for(None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(PAGE, {"sdg_goal": "6"}).content.decode()
    assert "Clean water and sanitation" in html and "By 2030, achieve universal" in html


def test_page_and_api_isolation_by_target(aligned: dict[str, IndexItem], w: World) -> None:
    """The private 6.1 item is neither listed nor counted; a deactivated municipality's either."""
    w.beta.is_active = False
    w.beta.save(update_fields=["is_active"])
    client = client_for(None)
    for params in ({"sdg_target": "6.1"}, {"q": "agua", "sdg_target": "6.1"}, {"sdg_goal": "6"}):
        data = client.get(API, params).json()
        assert {r["title"] for r in data["results"]} <= {"Acueducto rural", "Alcantarillado"}
        assert {f["value"]: f["count"] for f in data["facets"]["sdg_target"] if f["count"]}.get("6.1") == 1
        html = client.get(PAGE, params).content.decode()
        assert "Agua privada" not in html and "Agua en las escuelas" not in html


# --- Elasticsearch (generated JSON, and a stand-in server) ---------------------------------


def test_elasticsearch_filters_and_aggregates_targets() -> None:
    request = SearchRequest(q="agua", sdg_goal=(6,), sdg_target=("6.1", "11.2.1"))
    body = build_search(request, index="x").to_dict()
    goal = {"terms": {"sdg_goals": ["6"]}}
    target = {"terms": {"sdg_targets": ["6.1", "11.2.1"]}}
    assert body["post_filter"] == {"bool": {"filter": [goal, target]}}
    assert body["aggs"]["sdg_target"] == {
        "filter": {"bool": {"filter": [goal]}},
        "aggs": {"values": {"terms": {"field": "sdg_targets", "size": 20}}},
    }
    assert body["aggs"]["sdg_goal"]["filter"] == {"bool": {"filter": [target]}}
    assert body["aggs"]["kind"]["filter"] == {"bool": {"filter": [goal, target]}}


def test_elasticsearch_documents_carry_the_targets(w: World) -> None:
    from tests.community.factories import make_item

    item = make_item(w.alfa, title="Acueducto", sdg_goals=[6], sdg_targets=["6.1", "6.b"])
    document = CommunityItemDocument.from_item(item, platform_theme_names={}).to_dict()
    assert document["sdg_targets"] == ["6.1", "6.b"] and document["sdg_goals"] == ["6"]


def test_an_index_from_before_gets_the_target_field(w: World, caplog: pytest.LogCaptureFixture) -> None:
    """An index created before targets were indexed gains the keyword field before the first
    document carrying targets arrives (else Elasticsearch would guess a text field)."""
    from tests.community.factories import make_item

    item = make_item(w.alfa, title="Acueducto", sdg_goals=[6], sdg_targets=["6.1"])
    old = {"mappings": {"properties": {"title": {"type": "text", "analyzer": "sigobito_es"}}}}
    with FakeElasticsearch() as fake, override_settings(ELASTICSEARCH_URL=fake.url, ELASTICSEARCH_INDEX="viejo"):
        fake.indices["viejo"] = old
        sync_items([item.pk])
        mapping = [r for r in fake.received if r.path == "/viejo/_mapping"]
        assert len(mapping) == 1 and mapping[0].method == "PUT"
        assert fake.received.index(mapping[0]) < next(
            n for n, r in enumerate(fake.received) if r.path.endswith("/_bulk")
        )
        assert fake.indices["viejo"]["mappings"]["properties"]["sdg_targets"] == {"type": "keyword"}
        assert fake.documents[item.key]["sdg_targets"] == ["6.1"]
    # A field the server already guessed otherwise cannot change: logged, indexing goes on.
    guessed = {"mappings": {"properties": {"sdg_targets": {"type": "text"}}}}
    with (
        FakeElasticsearch() as fake,
        override_settings(ELASTICSEARCH_URL=fake.url, ELASTICSEARCH_INDEX="adivinado"),
        caplog.at_level(logging.WARNING, logger="search"),
    ):
        fake.indices["adivinado"] = guessed
        IndexItem.objects.filter(pk=item.pk).update(search_dirty=True)
        sync_items([item.pk])
        assert item.key in fake.documents
        assert any("community_rebuild" in r.getMessage() for r in caplog.records)


def _hit(html: str, title: str) -> str:
    """The result card (<li class="search-hit">) of one title."""
    for card in html.split('<li class="search-hit">')[1:]:  # each piece starts one card, ends before the next
        if f">{title}<" in card:
            return card
    raise AssertionError(f"no result card for {title}")


def test_result_cards_show_the_items_goals(aligned: dict[str, IndexItem]) -> None:
    html = client_for(None).get(PAGE, {"q": "agua"}).content.decode()
    both = re.sub(r"\s+", " ", _hit(html, "Agua en las escuelas"))
    goals = re.search(
        r'<ul class="sdg-list hit-goals" aria-label="Objetivos de Desarrollo Sostenible">(.*?)</ul>', both
    )
    assert goals is not None
    # Badges (number and short name; the colour only decorates), in the official order.
    assert re.findall(r"ODS (\d+) · ", goals.group(1)) == ["4", "6"]
    assert "Agua Limpia y Saneamiento" in goals.group(1) and 'class="sdg-swatch"' in goals.group(1)
    assert "ODS 6 · " in _hit(html, "Acueducto rural")
    # An item that is not aligned shows none.
    assert "hit-goals" not in _hit(html, "Agua sin alinear")
    # The goals are the hit's own: carried from the index row through the backend.
    hits = {hit.title: hit.sdg_goals for hit in get_backend().search(SearchRequest(q="agua")).hits}
    assert hits["Agua en las escuelas"] == (4, 6) and hits["Agua sin alinear"] == ()


def test_facet_counts_read_in_the_singular_and_the_plural(aligned: dict[str, IndexItem]) -> None:
    html = client_for(None).get(PAGE).content.decode()
    assert re.search(r'\(1<span class="visually-hidden"> coincidencia</span>\)', html)
    assert re.search(r'\([2-9]<span class="visually-hidden"> coincidencias</span>\)', html)
    assert not re.search(r'\(1<span class="visually-hidden"> coincidencias</span>\)', html)
