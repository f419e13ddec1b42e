"""The public search page (/buscar/) and API (/api/v1/community/search/): anonymous,
validated, isolated to what municipalities share publicly."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from community.models import ItemKind
from tests.conftest import World, client_for
from tests.search.conftest import Add

pytestmark = pytest.mark.django_db

PAGE = "/buscar/"
API = "/api/v1/community/search/"


def test_urls_are_wired() -> None:
    urls = "sigobito_platform.urls_public"
    assert reverse("search:index", urlconf=urls) == PAGE
    assert reverse("api-community-search", urlconf=urls) == API


def test_page_shows_results_with_facets_labels_and_lights(add: Add, w: World) -> None:
    add(
        w.alfa,
        title="Agua potable rural",
        text="Conexión de 300 familias a la red de agua.",
        light=4,
        status="in_execution",
        source_url="https://alfa.example.org/publico/1/",
        sdg_goals=[6],
    )
    add(w.beta, kind=ItemKind.RESTRICTION, title="Sequía en los pozos de agua", is_open=True)
    response = client_for(None).get(PAGE, {"q": "agua"})
    assert response.status_code == 200
    html = response.content.decode()
    # The search box is labelled, and every facet checkbox too.
    assert re.search(r'<label for="id_q">[^<]+</label>', html)
    assert 'id="id_q"' in html and 'name="q"' in html and 'value="agua"' in html
    for checkbox_id in re.findall(r'<input type="checkbox" name="\w+" value="[^"]*" id="([^"]+)"', html):
        assert f'<label for="{checkbox_id}">' in html
    assert "<legend>País</legend>" in html and "Colombia" in html and "Guatemala" in html
    assert "ODS 6" in html
    # Result: kind, municipality, country, title linked to its page, snippet, status, light as text.
    assert "Agua potable rural</a>" in html and 'href="https://alfa.example.org/publico/1/"' in html
    assert "Municipio Alfa" in html and "Municipio Beta" in html
    # (The page's lead paragraph says "Iniciativas": look at the hits' kind badges.)
    assert '<span class="badge badge-initiative">Iniciativa</span>' in html
    assert '<span class="badge badge-restriction">Restricción</span>' in html
    assert "<mark>agua</mark>" in html.lower()
    assert "En ejecución" in html and "Abierta" in html
    assert 'class="light light-late"' in html and "Atrasada" in html
    assert "2 resultados" in html


def test_page_without_results_gives_a_hint(add: Add) -> None:
    add(title="Agua potable rural")
    html = client_for(None).get(PAGE, {"q": "zzzzqqq"}).content.decode()
    assert "No encontramos resultados para «zzzzqqq»" in html
    assert "revise la ortografía" in html


def test_page_escapes_the_query(add: Add) -> None:
    html = client_for(None).get(PAGE, {"q": '<script>alert("x")</script>'}).content.decode()
    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;" in html


def test_page_filters_and_paginates(add: Add, w: World) -> None:
    for n in range(23):
        add(w.alfa, title=f"Huerta escolar {n}")
    add(w.beta, title="Huerta de Beta")
    client = client_for(None)
    html = client.get(PAGE, {"q": "huerta", "country": "GT"}).content.decode()
    assert "Huerta de Beta" in html and "Huerta escolar" not in html
    assert re.search(r'value="GT" id="[^"]+" checked', html)
    first = client.get(PAGE, {"q": "huerta", "country": "CO"}).content.decode()
    assert "23 resultados" in first and 'rel="next"' in first and "Página 1 de 2" in first
    second = client.get(PAGE, {"q": "huerta", "country": "CO", "page": "2"}).content.decode()
    assert second.count('class="search-hit"') == 3 and 'rel="prev"' in second


def test_page_in_english(add: Add) -> None:
    add(title="Agua potable rural")
    client = client_for(None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(PAGE, {"q": "agua"})
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_api_returns_results_and_facets(add: Add, w: World) -> None:
    add(w.alfa, title="Agua potable rural", sdg_goals=[6], light=2, status="in_execution")
    add(w.beta, title="Agua limpia")
    response = client_for(None).get(API, {"q": "agua", "country": ["CO", "GT"], "sdg_goal": "6"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 1 and data["page"] == 1 and data["pages"] == 1
    (hit,) = data["results"]
    assert hit["title"] == "Agua potable rural" and hit["municipality"] == "Municipio Alfa"
    assert hit["kind_label"] == "Iniciativa" and hit["country_label"] == "Colombia"
    assert hit["light_label"] == "En tiempo" and hit["status_label"] == "En ejecución"
    assert hit["key"].startswith(f"{w.alfa.pk}:initiative:")
    assert {f["value"]: f["count"] for f in data["facets"]["sdg_goal"]} == {"6": 1}
    assert {f["value"]: f["count"] for f in data["facets"]["country"]} == {"CO": 1, "GT": 0}  # Beta's has no SDG 6
    assert set(data["facets"]) == {
        "kind",
        "country",
        "region",
        "population_bracket",
        "platform_theme",
        "sdg_goal",
        "sdg_target",
        "status",
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "a" * 10_000}, "q"),
        ({"q": "agua", "country": "XX"}, "country"),
        ({"sdg_goal": "18"}, "sdg_goal"),
        ({"kind": "nada"}, "kind"),
        ({"page": "0"}, "page"),
        ({"page": "500", "page_size": "50"}, "page"),
        ({"page_size": "51"}, "page_size"),
        ({"platform_theme": "abc"}, "platform_theme"),
        ({"platform_theme": "5000000000"}, "platform_theme"),  # past PostgreSQL's integer
    ],
)
def test_api_validation_errors_name_the_field(params: dict[str, str], field: str) -> None:
    response = client_for(None).get(API, params)
    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_long_query_is_a_clear_error_on_page_and_api() -> None:
    q = "agua " * 2000  # 10,000 characters
    api = client_for(None).get(API, {"q": q})
    assert api.status_code == 400
    assert api.json()["q"] == ["La búsqueda puede tener como máximo 200 caracteres."]
    page = client_for(None).get(PAGE, {"q": q})
    assert page.status_code == 400
    html = page.content.decode()
    assert "La búsqueda puede tener como máximo 200 caracteres (tiene" in html
    assert 'aria-invalid="true"' in html and 'id="id_q_error"' in html


@pytest.mark.parametrize("q", ['agua & | ! ( "', "agua:*", "'", "))((", "\\"])
def test_operators_never_crash_page_or_api(add: Add, q: str) -> None:
    add(title="Agua potable")
    assert client_for(None).get(PAGE, {"q": q}).status_code == 200
    assert client_for(None).get(API, {"q": q}).status_code == 200


def test_isolation_on_page_and_api(add: Add, w: World) -> None:
    """Alfa's private, withdrawn and Beta's (inactive municipality) items never show."""
    add(w.alfa, title="Agua compartida pública")
    add(w.alfa, title="Agua compartida privada", is_public=False)
    withdrawn = add(w.alfa, title="Agua retirada")
    add(w.beta, title="Agua de Beta")
    from django.utils import timezone

    from search.indexing import sync_items

    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    sync_items([withdrawn.pk])
    client = client_for(None)
    data = client.get(API, {"q": "agua"}).json()
    assert {r["title"] for r in data["results"]} == {"Agua compartida pública", "Agua de Beta"}

    w.beta.is_active = False
    w.beta.save(update_fields=["is_active"])
    for params in ({"q": "agua"}, {}, {"q": "privada"}, {"q": "retirada"}, {"q": "beta"}):
        data = client.get(API, params).json()
        assert [r["title"] for r in data["results"]] == (
            ["Agua compartida pública"] if params.get("q") in (None, "agua") else []
        )
        assert sum(f["count"] for f in data["facets"]["country"]) == data["total"]
        html = client.get(PAGE, params).content.decode()
        for hidden in ("Agua compartida privada", "Agua retirada", "Agua de Beta", "Guatemala"):
            assert hidden not in html


def test_api_schema_documents_the_endpoint() -> None:
    response = client_for(None).get("/api/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/api/v1/community/search/" in body and "community_search" in body


def test_an_out_of_range_theme_is_a_clear_error_on_the_page_too() -> None:
    page = client_for(None).get(PAGE, {"platform_theme": "5000000000"})
    assert page.status_code == 400
