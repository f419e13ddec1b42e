"""The Elasticsearch document of a community index item (elasticsearch.dsl).

Text fields use `sigobito_es`: standard tokenizer, lowercase, Spanish stop words, ASCII
folding and the light Spanish stemmer, so the same searches work as on PostgreSQL
(accents, plurals). Stop words are removed before folding because Elasticsearch's
`_spanish_` list is accented ("más", "él"): folded first, they would no longer match it.
Facet fields are keywords (exact values, aggregations)."""

from __future__ import annotations

from typing import Any

from elasticsearch.dsl import Boolean, Date, Document, Integer, Keyword, Text, analyzer, token_filter

from community.models import IndexItem
from search.results import facet_status

spanish_stop = token_filter("sigobito_spanish_stop", "stop", stopwords="_spanish_")
spanish_stemmer = token_filter("sigobito_spanish_stemmer", "stemmer", language="light_spanish")
sigobito_es = analyzer(
    "sigobito_es",
    tokenizer="standard",
    filter=["lowercase", spanish_stop, "asciifolding", spanish_stemmer],
)

DEFAULT_INDEX = "sigobito-community"


class CommunityItemDocument(Document):
    """One shared initiative or restriction. The document id is the item's `key`
    (municipality:kind:source_id), stable across rebuilds, unlike the row id."""

    item_id = Integer()
    municipality_id = Integer()
    municipality_name = Text(analyzer=sigobito_es, fields={"raw": Keyword()})
    kind = Keyword()
    title = Text(analyzer=sigobito_es)
    text = Text(analyzer=sigobito_es)
    themes = Text(analyzer=sigobito_es)  # local and platform theme names, places' regions
    country = Keyword()
    region = Keyword()
    population_bracket = Keyword()
    platform_themes = Keyword()
    sdg_goals = Keyword()
    sdg_targets = Keyword()  # "6.1", "11.2.1": exact codes, for the terms filter and facet
    status = Keyword()
    is_public = Boolean()
    updated_at = Date()

    class Index:
        name = DEFAULT_INDEX
        settings = {"number_of_shards": 1, "number_of_replicas": 0}

    @classmethod
    def from_item(cls, item: IndexItem, *, platform_theme_names: dict[int, str]) -> CommunityItemDocument:
        local = [t.get("name", "") for t in item.local_themes if isinstance(t, dict)] if item.local_themes else []
        themes = [*local, *(platform_theme_names.get(pk, "") for pk in item.platform_themes), *item.place_regions]
        return cls(
            meta={"id": item.key},
            item_id=item.pk,
            municipality_id=item.municipality_id,
            municipality_name=item.municipality.name,
            kind=item.kind,
            title=item.title,
            text=item.text,
            themes=" ".join(t for t in themes if t),
            country=item.country,
            region=item.region,
            population_bracket=item.population_bracket,
            platform_themes=[str(pk) for pk in item.platform_themes],
            sdg_goals=[str(goal) for goal in item.sdg_goals],
            sdg_targets=list(item.sdg_targets),
            status=facet_status(item),
            is_public=item.is_public,
            updated_at=item.updated_at,
        )


def index_definition(name: str) -> dict[str, Any]:
    """The settings and mappings the index is created with (what the unit tests pin)."""
    return CommunityItemDocument._index.clone(name=name).to_dict()  # type: ignore[no-any-return]
