"""The PostgreSQL backend's own table (public schema).

`SearchWord` is the vocabulary of the community index: every distinct word (lower-cased,
unaccented) of the shared items' titles, texts, themes and municipality names. A query word
that is not in it is probably misspelt, and the trigram index on it finds the closest real
words in a few milliseconds, however many items there are. Matching typos against the words
(tens of thousands) instead of the items (hundreds of thousands) is what keeps typo
tolerance fast; the words are then searched with full text like any other.

Words are only added (indexing inserts new ones); a stale word costs nothing but a useless
alternative in a misspelt query, and `search.indexing.rebuild()` starts the table afresh."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models


class SearchWord(models.Model):
    word = models.CharField(max_length=60, primary_key=True)

    class Meta:
        verbose_name = "search word"

    def __str__(self) -> str:
        return self.word


# --- pre-aggregated facet counts (search/counts.py keeps them; searches without text read them) ---
#
# A search without text used to count every visible row (440,000 at benchmark scale) for its
# total and eight facets: 1-2 s. These tables hold the same counts, grouped, so such a
# search adds up a few thousand cells instead. What each row means is in search/counts.py.


class FacetCell(models.Model):
    """Live items (not withdrawn) of one municipality grouped by every facet column: the
    ledger from which a municipality's part of FacetCube is added or taken away."""

    municipality_id = models.BigIntegerField(db_index=True)
    is_public = models.BooleanField()
    kind = models.CharField(max_length=12)
    facet_status = models.CharField(max_length=30)
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=120)
    population_bracket = models.CharField(max_length=12)
    sdg_goals = ArrayField(models.SmallIntegerField())
    platform_themes = ArrayField(models.IntegerField())
    sdg_targets = ArrayField(models.CharField(max_length=12), default=list)
    n = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.n}"


class FacetCube(models.Model):
    """FacetCell summed over the municipalities that are counted (active ones)."""

    is_public = models.BooleanField()
    kind = models.CharField(max_length=12)
    facet_status = models.CharField(max_length=30)
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=120)
    population_bracket = models.CharField(max_length=12)
    sdg_goals = ArrayField(models.SmallIntegerField())
    platform_themes = ArrayField(models.IntegerField())
    sdg_targets = ArrayField(models.CharField(max_length=12), default=list)
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "is_public",
                    "kind",
                    "facet_status",
                    "country",
                    "region",
                    "population_bracket",
                    "sdg_goals",
                    "platform_themes",
                    "sdg_targets",
                ],
                name="search_facetcube_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.country}/{self.region}: {self.n}"


class FacetRollup(models.Model):
    """FacetCube summed per facet value (facet "total": every item, value ""): the answer
    to a search without text or filters, and to a facet's own counts under its own filter."""

    is_public = models.BooleanField()
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=120)
    n = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["is_public", "facet", "value"], name="search_facetrollup_value")]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}: {self.n}"


class FacetScope(models.Model):
    """Whether a municipality's cells are in FacetCube and FacetRollup (it was active when
    they were last computed). A search compares this with tenants_municipality.is_active
    and corrects the counts first when a municipality was (de)activated since."""

    municipality_id = models.BigIntegerField(primary_key=True)
    counted = models.BooleanField()

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.counted}"
