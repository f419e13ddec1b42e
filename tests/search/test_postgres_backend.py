"""The PostgreSQL backend: Spanish relevance, bad input, facets, filters, indexing."""

from __future__ import annotations

import pytest
from django.db import connection

from community.models import IndexItem, ItemKind, PlatformTheme
from search.backends import SearchRequest, get_backend
from search.backends.postgres import PostgresBackend
from search.indexing import rebuild, sync_items, sync_pending
from search.models import SearchWord
from search.text import MARK_START, MARK_STOP, snippet_html
from tests.community.factories import make_item
from tests.conftest import World
from tests.search.conftest import Add

pytestmark = pytest.mark.django_db


def titles(q: str = "", **filters: object) -> list[str]:
    results = get_backend().search(SearchRequest(q=q, **filters))  # type: ignore[arg-type]
    return [hit.title for hit in results.hits]


def test_default_backend_is_postgresql() -> None:
    assert isinstance(get_backend(), PostgresBackend)


# --- Spanish relevance -------------------------------------------------------------------


def test_accents_do_not_matter_either_way(add: Add) -> None:
    add(title="Educación ambiental en la escuela rural")
    add(title="Pavimentacion de calles")  # typed without the accent
    assert titles("educacion") == ["Educación ambiental en la escuela rural"]
    assert titles("EDUCACIÓN") == ["Educación ambiental en la escuela rural"]
    assert titles("pavimentación") == ["Pavimentacion de calles"]


def test_plurals_find_the_singular_and_back(add: Add) -> None:
    add(title="Nueva escuela para el barrio")
    add(title="Arreglo de caminos vecinales")
    assert titles("escuelas") == ["Nueva escuela para el barrio"]
    assert titles("camino") == ["Arreglo de caminos vecinales"]


def test_word_families_through_the_stem(add: Add) -> None:
    add(title="Programa municipal de reciclaje")
    add(title="Reciclar los residuos del mercado")
    found = set(titles("reciclaje"))
    assert found == {"Programa municipal de reciclaje", "Reciclar los residuos del mercado"}
    assert set(titles("reciclado")) == found


def test_typos_find_the_right_word(add: Add) -> None:
    add(title="Red de alcantarillado del sector norte")
    add(title="Alumbrado público", text="Luminarias LED en el parque")
    assert titles("alcantarilado") == ["Red de alcantarillado del sector norte"]
    assert titles("alumbrdo publico") == ["Alumbrado público"]


def test_text_and_context_match_but_the_title_ranks_first(add: Add, w: World) -> None:
    add(title="Plan de movilidad", text="Incluye la reparación de puentes peatonales.")
    add(title="Reparación de puentes", text="Obras de mantenimiento.")
    assert titles("puentes") == ["Reparación de puentes", "Plan de movilidad"]
    # The municipality's name and its themes are searchable too (weight C).
    add(title="Mercado campesino", local_themes=[{"id": 1, "name": "Soberanía alimentaria"}])
    assert "Mercado campesino" in titles("soberania")
    assert "Mercado campesino" in titles("Alfa")


def test_no_item_with_every_word_falls_back_to_any_word(add: Add) -> None:
    add(title="Agua potable para veredas")
    add(title="Red de alcantarillado")
    results = get_backend().search(SearchRequest(q="agua alcantarillado"))
    assert results.relaxed
    assert {h.title for h in results.hits} == {"Agua potable para veredas", "Red de alcantarillado"}
    strict = get_backend().search(SearchRequest(q="agua potable"))
    assert not strict.relaxed and [h.title for h in strict.hits] == ["Agua potable para veredas"]


@pytest.mark.parametrize(
    "q",
    [
        'agua & | ! ( "',
        "agua:*",
        "!agua",
        "(agua",
        "agua <-> potable",
        "'agua' & 'potable'",
        "agua\\",
        "%_agua_%",
        "agua; DROP TABLE community_indexitem; --",
        "agua\x00",
    ],
)
def test_operators_and_quotes_are_just_punctuation(add: Add, q: str) -> None:
    add(title="Agua potable para veredas")
    assert titles(q) == ["Agua potable para veredas"]


@pytest.mark.parametrize("q", ["&", "| ! ( ) :*", '"', "de la", "y", "   "])
def test_queries_without_searchable_words_find_nothing_and_do_not_fail(add: Add, q: str) -> None:
    add(title="Agua potable para veredas")
    results = get_backend().search(SearchRequest(q=q))
    if q.strip():
        assert results.total == 0 and results.hits == []
    else:
        assert results.total == 1  # blank: browsing everything


def test_snippets_are_escaped_and_highlight_the_words(add: Add) -> None:
    add(title="Biblioteca", text="Ampliar <script>alert(1)</script> la biblioteca: 3 < 5 & más libros")
    hit = get_backend().search(SearchRequest(q="libros")).hits[0]
    assert "<mark>libros</mark>" in hit.snippet_html
    assert "<script>" not in hit.snippet_html
    assert "3 &lt; 5 &amp; más" in hit.snippet_html
    assert "libros" in hit.snippet and "<mark>" not in hit.snippet


def test_snippet_markers_always_balance() -> None:
    assert snippet_html(f"a {MARK_START}b{MARK_STOP} <c>") == "a <mark>b</mark> &lt;c&gt;"
    assert snippet_html(f"{MARK_STOP}x {MARK_START}y") == "x <mark>y</mark>"


def test_search_uses_the_gin_index(add: Add) -> None:
    add(title="Agua potable")
    backend = PostgresBackend()
    sql, params = backend._matches(SearchRequest(q="agua potable alcantarilado"), _tsquery("agua potable"))
    with connection.cursor() as cursor:
        # Only the full-text index can serve the match: no sequential scan, and no plain
        # index scan of another index (which the planner may prefer on other statistics).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "indexitem_search_idx" in plan, plan


def _tsquery(q: str):  # type: ignore[no-untyped-def]
    from search.backends.postgres import build_tsquery

    return build_tsquery(q)


# --- facets and filters --------------------------------------------------------------------


@pytest.fixture
def catalogue(add: Add, w: World) -> dict[str, IndexItem]:
    water = PlatformTheme.objects.create(name="Agua y saneamiento")
    return {
        "a1": add(w.alfa, title="Agua potable rural", sdg_goals=[6], platform_themes=[water.pk], status="in_execution"),
        "a2": add(w.alfa, title="Agua para escuelas", sdg_goals=[4, 6], status="programmed"),
        "a3": add(w.alfa, kind=ItemKind.RESTRICTION, title="Falta de agua en verano", is_open=True),
        "b1": add(w.beta, title="Agua limpia", sdg_goals=[6], platform_themes=[water.pk], status="in_execution"),
        "b2": add(w.beta, title="Caminos rurales", status="in_execution"),
    }


def facet(results_facets: dict, name: str) -> dict[str, tuple[str, int]]:
    return {f.value: (f.label, f.count) for f in results_facets[name]}


def test_facet_counts_and_labels(catalogue: dict[str, IndexItem], sdg_catalogue: None) -> None:
    results = get_backend().search(SearchRequest(q="agua"))
    assert results.total == 4
    f = results.facets
    assert facet(f, "country") == {"CO": ("Colombia", 3), "GT": ("Guatemala", 1)}
    assert facet(f, "kind") == {"initiative": ("Iniciativa", 3), "restriction": ("Restricción", 1)}
    assert facet(f, "sdg_goal") == {
        "6": ("ODS 6: Agua Limpia y Saneamiento", 3),
        "4": ("ODS 4: Educación de Calidad", 1),
    }
    theme = catalogue["a1"].platform_themes[0]
    assert facet(f, "platform_theme") == {str(theme): ("Agua y saneamiento", 2)}
    assert facet(f, "status") == {
        "in_execution": ("En ejecución", 2),
        "programmed": ("Programada", 1),
        "open": ("Abierta", 1),
    }
    assert facet(f, "region")["Boyacá"] == ("Boyacá", 3)
    assert facet(f, "population_bracket")["10k-50k"] == ("De 10 000 a 50 000 habitantes", 3)


def test_filters_narrow_and_facets_keep_their_own_alternatives(
    catalogue: dict[str, IndexItem], sdg_catalogue: None
) -> None:
    results = get_backend().search(SearchRequest(q="agua", country=("GT",)))
    assert [h.title for h in results.hits] == ["Agua limpia"]
    assert results.total == 1
    # The country facet ignores its own filter (so Colombia can be added), the others do not.
    assert facet(results.facets, "country") == {"CO": ("Colombia", 3), "GT": ("Guatemala", 1)}
    assert facet(results.facets, "kind") == {"initiative": ("Iniciativa", 1)}

    assert set(titles("agua", sdg_goal=(4,))) == {"Agua para escuelas"}
    assert set(titles("agua", kind=("restriction",))) == {"Falta de agua en verano"}
    assert set(titles("agua", status=("open", "programmed"))) == {"Falta de agua en verano", "Agua para escuelas"}
    theme = catalogue["a1"].platform_themes[0]
    assert set(titles(platform_theme=(theme,))) == {"Agua potable rural", "Agua limpia"}
    assert set(titles("agua", country=("CO",), sdg_goal=(6,))) == {"Agua potable rural", "Agua para escuelas"}
    assert titles("agua", region=("Nowhere",)) == []
    assert set(titles(population_bracket=("10k-50k",))) == {
        "Agua potable rural",
        "Agua para escuelas",
        "Falta de agua en verano",
    }
    # A chosen value stays in its facet even with no results.
    chosen = get_backend().search(SearchRequest(q="caminos", sdg_goal=(13,)))
    assert facet(chosen.facets, "sdg_goal") == {"13": ("ODS 13: Acción por el Clima", 0)}


def test_pages(add: Add) -> None:
    for n in range(25):
        add(title=f"Huerta comunitaria {n}")
    first = get_backend().search(SearchRequest(q="huertas", page_size=10))
    third = get_backend().search(SearchRequest(q="huertas", page=3, page_size=10))
    assert first.total == third.total == 25 and first.pages == 3
    assert len(first.hits) == 10 and len(third.hits) == 5
    assert not {h.id for h in first.hits} & {h.id for h in third.hits}


# --- isolation -----------------------------------------------------------------------------


def test_only_public_live_items_of_active_municipalities(add: Add, w: World) -> None:
    add(w.alfa, title="Agua visible")
    add(w.alfa, title="Agua privada", is_public=False)
    gone = add(w.alfa, title="Agua retirada")
    gone.withdrawn_at = gone.updated_at
    gone.title = ""
    gone.save()
    sync_items([gone.pk])
    add(w.beta, title="Agua de Beta")
    w.beta.is_active = False
    w.beta.save(update_fields=["is_active"])
    results = get_backend().search(SearchRequest(q="agua"))
    assert [h.title for h in results.hits] == ["Agua visible"]
    assert results.total == 1
    assert facet(results.facets, "country") == {"CO": ("Colombia", 1)}
    # The regional team's tools see every live item (not withdrawn, active municipality).
    internal = get_backend().search(SearchRequest(q="agua", public_only=False))
    assert {h.title for h in internal.hits} == {"Agua visible", "Agua privada"}


# --- indexing ------------------------------------------------------------------------------


def test_sync_writes_vectors_clears_dirty_and_nulls_withdrawn(w: World) -> None:
    live = make_item(w.alfa, title="Parque lineal", text="Senderos y árboles")
    gone = make_item(w.alfa, title="Ya no")
    IndexItem.objects.filter(pk=gone.pk).update(withdrawn_at=gone.updated_at, title="", search_vector="'x':1")
    assert IndexItem.objects.get(pk=live.pk).search_dirty
    sync_items([live.pk, gone.pk])
    live.refresh_from_db()
    gone.refresh_from_db()
    assert not live.search_dirty and not gone.search_dirty
    assert "arbol" in str(live.search_vector) and "parqu" in str(live.search_vector)
    assert gone.search_vector is None
    assert SearchWord.objects.filter(word__in=["senderos", "arboles", "parque"]).count() == 3


def test_sync_pending_and_rebuild(w: World) -> None:
    items = [make_item(w.alfa, title=f"Ciclovía tramo {n}") for n in range(3)]
    assert titles("ciclovia") == []  # not indexed yet
    assert sync_pending(limit=2) == 2
    assert sync_pending() == 1
    assert sync_pending() == 0
    assert len(titles("ciclovia")) == 3
    IndexItem.objects.filter(pk=items[0].pk).update(search_vector=None)
    SearchWord.objects.all().delete()
    assert rebuild() >= 3
    assert len(titles("ciclovia")) == 3
    assert SearchWord.objects.filter(word="ciclovia").exists()


def test_sync_never_raises(w: World) -> None:
    sync_items([])
    sync_items([987654321])  # unknown ids are ignored
    assert sync_pending(limit=0) == 0
