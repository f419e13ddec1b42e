"""The Elasticsearch mappings and queries, pinned on their generated JSON (no server)."""

from __future__ import annotations

from search.backends import SearchRequest
from search.backends.elastic import build_search
from search.documents import CommunityItemDocument, index_definition
from search.text import MARK_START, MARK_STOP


def test_index_has_the_spanish_analyzer_and_keyword_facets() -> None:
    definition = index_definition("comunidad-test")
    analysis = definition["settings"]["analysis"]
    assert analysis["analyzer"]["sigobito_es"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "sigobito_spanish_stop", "asciifolding", "sigobito_spanish_stemmer"],
    }
    assert analysis["filter"]["sigobito_spanish_stop"] == {"type": "stop", "stopwords": "_spanish_"}
    assert analysis["filter"]["sigobito_spanish_stemmer"] == {"type": "stemmer", "language": "light_spanish"}
    properties = definition["mappings"]["properties"]
    for text_field in ("title", "text", "themes", "municipality_name"):
        assert properties[text_field]["type"] == "text"
        assert properties[text_field]["analyzer"] == "sigobito_es"
    facet_fields = ("kind", "country", "region", "population_bracket", "platform_themes", "sdg_goals", "sdg_targets")
    for facet_field in (*facet_fields, "status"):
        assert properties[facet_field] == {"type": "keyword"}
    assert properties["is_public"] == {"type": "boolean"}
    # The class default, overridable by ELASTICSEARCH_INDEX.
    assert CommunityItemDocument._index._name == "sigobito-community"


def test_text_query_is_fuzzy_multi_match_only_on_public_items() -> None:
    body = build_search(SearchRequest(q="agua & | ! potable"), index="x").to_dict()
    assert body["query"] == {
        "bool": {
            "must": [
                {
                    "multi_match": {
                        "query": "agua & | ! potable",
                        "fields": ["title^3", "text", "themes", "municipality_name"],
                        "fuzziness": "AUTO",
                        "operator": "and",
                    }
                }
            ],
            "filter": [{"term": {"is_public": True}}],
        }
    }
    assert "post_filter" not in body
    assert body["from"] == 0 and body["size"] == 20 and body["track_total_hits"] is True
    assert body["highlight"]["pre_tags"] == [MARK_START] and body["highlight"]["post_tags"] == [MARK_STOP]
    assert body["highlight"]["fields"] == {"text": {"fragment_size": 160, "number_of_fragments": 2}}


def test_blank_query_browses_and_internal_search_sees_non_public_items() -> None:
    body = build_search(SearchRequest(public_only=False, page=3, page_size=10), index="x").to_dict()
    assert body["query"] == {"bool": {"must": [{"match_all": {}}]}}
    assert body["from"] == 20 and body["size"] == 10


def test_relaxed_query_and_excluded_municipalities() -> None:
    body = build_search(SearchRequest(q="agua pozo"), index="x", exclude_municipalities=[7], any_word=True).to_dict()
    assert body["query"]["bool"]["must"][0]["multi_match"]["operator"] == "or"
    assert body["query"]["bool"]["must_not"] == [{"terms": {"municipality_id": [7]}}]


def test_filters_are_terms_and_facets_are_aggregations_without_their_own_filter() -> None:
    request = SearchRequest(q="agua", country=("CO", "GT"), sdg_goal=(6,), platform_theme=(3,), kind=("initiative",))
    body = build_search(request, index="x").to_dict()
    country = {"terms": {"country": ["CO", "GT"]}}
    sdg = {"terms": {"sdg_goals": ["6"]}}
    theme = {"terms": {"platform_themes": ["3"]}}
    kind = {"terms": {"kind": ["initiative"]}}
    assert body["post_filter"] == {"bool": {"filter": [kind, country, theme, sdg]}}
    aggs = body["aggs"]
    assert set(aggs) == {
        "kind",
        "country",
        "region",
        "population_bracket",
        "platform_theme",
        "sdg_goal",
        "sdg_target",
        "status",
    }
    assert aggs["country"] == {
        "filter": {"bool": {"filter": [kind, theme, sdg]}},
        "aggs": {"values": {"terms": {"field": "country", "size": 20}}},
    }
    assert aggs["region"]["filter"] == {"bool": {"filter": [kind, country, theme, sdg]}}
    assert aggs["sdg_goal"]["aggs"]["values"]["terms"]["field"] == "sdg_goals"
    assert aggs["platform_theme"]["aggs"]["values"]["terms"]["field"] == "platform_themes"
    only_kind = build_search(SearchRequest(kind=("restriction",)), index="x").to_dict()["aggs"]["kind"]
    assert only_kind["filter"] == {"match_all": {}}
