"""PostgreSQL full-text backend: the default, and what CI runs.

The vector of an item (`IndexItem.search_vector`, GIN-indexed) weighs its title A, its text
B, and its municipality, region, places and theme names C, all through `public.sigobito_es`
(Spanish stemming after unaccent, search/migrations/0001_initial.py).

A query is cut into words in Python (search/text.py), and each word becomes a tsquery by
`plainto_tsquery`, never by parsing user text as tsquery syntax, so `& | ! ( " :*` are just
punctuation. Each word may match through:
  - its stem (plurals: "escuelas" finds "escuela"; accents: "educacion" finds "Educación");
  - its family's root as a prefix ("reciclaje" and "reciclar" both reach "recicl:*");
  - when the word is in no item at all (a typo), the most similar real words of the
    vocabulary (search_searchword, trigram GIN index): "alcantarilado" -> "alcantarillado".
Words are combined with AND; when no item has them all, with OR (`relaxed`).

With text, one statement reads the first TEXT_COUNT_CAP + 1 matching rows (GIN bitmap scan)
into a materialised CTE and computes from it their number, the filtered total, every facet's
counts (each under all filters but its own) and the page ranked by ts_rank. Up to the cap
everything is exact; above it the total is a lower bound ("more than 1,000"), the facet
counts are over those first matches (both flagged on SearchResults), and the page is ranked
among the first matches (with filters: among the first filtered matches, counted apart).
Without text, totals and facets come from pre-aggregated counts (search/counts.py, exact)
and the page from the primary key, newest first. A last query reads the page's rows
through the community selector with their highlighted snippet (ts_headline)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL

from search.backends import FACETS, SearchRequest, SearchResults
from search.counts import reconcile_scope
from search.results import FACET_STATUS_SQL, hydrate, labelled_facets, visible_items
from search.text import MARK_START, MARK_STOP, family_root, query_words

if TYPE_CHECKING:
    from community.models import IndexItem

CONFIG = "public.sigobito_es"
# A vocabulary word counts as the same word misspelt from this trigram similarity on.
TYPO_SIMILARITY = 0.45
TYPO_ALTERNATIVES = 3
# A text search reads at most this many matches + 1. With more, the total is shown as
# "more than TEXT_COUNT_CAP", the facets are counted over those first matches (and say so),
# and the page is ranked among them by ts_rank, which puts title matches first
# (PostgresBackend._run). Counting and ranking every match of a very common word (40,000 of
# 550,000 items) cost 200-800 ms at benchmark scale.
TEXT_COUNT_CAP = 1000

# Theme names of an item (its municipality's own, and the platform's it maps to), as text.
_THEMES_SQL = (
    "(SELECT string_agg(t->>'name', ' ') FROM jsonb_array_elements("
    "CASE WHEN jsonb_typeof(i.local_themes) = 'array' THEN i.local_themes ELSE '[]'::jsonb END) t), "
    "(SELECT string_agg(p.name, ' ') FROM community_platformtheme p WHERE p.id = ANY(i.platform_themes))"
)
_CONTEXT_SQL = f"concat_ws(' ', m.name, i.region, array_to_string(i.place_regions, ' '), {_THEMES_SQL})"

VECTOR_SQL = f"""
UPDATE community_indexitem AS i SET search_vector = CASE WHEN i.withdrawn_at IS NULL THEN
    setweight(to_tsvector('{CONFIG}', i.title), 'A')
    || setweight(to_tsvector('{CONFIG}', i.text), 'B')
    || setweight(to_tsvector('{CONFIG}', {_CONTEXT_SQL}), 'C')
  END,
  search_dirty = i.search_dirty AND NOT %s
FROM tenants_municipality AS m
WHERE m.id = i.municipality_id AND i.id = ANY(%s)
"""

# New words for the vocabulary (sorted, so concurrent relays lock in the same order). Public
# items only: typo corrections must not reveal words that only non-public items contain.
WORDS_SQL = f"""
INSERT INTO search_searchword (word)
SELECT DISTINCT w FROM community_indexitem AS i
JOIN tenants_municipality AS m ON m.id = i.municipality_id
CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple',
    public.unaccent(concat_ws(' ', i.title, i.text, {_CONTEXT_SQL}))))) AS w
WHERE i.id = ANY(%s) AND i.withdrawn_at IS NULL AND i.is_public AND length(w) BETWEEN 3 AND 60 AND w !~ '^[0-9]'
ORDER BY w
ON CONFLICT DO NOTHING
"""

# Per query word: is it a stop word (no lexemes), is it a known word, and if not, which
# known words look most like it.
_WORDS_LOOKUP_SQL = f"""
SELECT q.w,
       numnode(plainto_tsquery('{CONFIG}', q.w)) > 0 AS has_lexemes,
       CASE WHEN length(q.w) < 4 OR q.w ~ '^[0-9]+$'
                 OR EXISTS (SELECT 1 FROM search_searchword e WHERE e.word = q.w)
            THEN ARRAY[]::text[]
            ELSE ARRAY(SELECT s.word FROM search_searchword s
                       WHERE s.word %% q.w AND similarity(s.word, q.w) >= %s
                       ORDER BY similarity(s.word, q.w) DESC, s.word LIMIT %s)
       END AS similar
FROM unnest(%s::text[]) WITH ORDINALITY AS q(w, n)
ORDER BY q.n
"""

_FILTER_SQL = {
    "kind": "m.kind = ANY(%s)",
    "country": "m.country = ANY(%s)",
    "region": "m.region = ANY(%s)",
    "population_bracket": "m.population_bracket = ANY(%s)",
    "platform_theme": "m.platform_themes && %s::integer[]",
    "sdg_goal": "m.sdg_goals && %s::smallint[]",
    "sdg_target": "m.sdg_targets && %s::varchar[]",
    "status": "m.facet_status = ANY(%s)",
}
# How each facet's values are read from a matching row (arrays count once per element).
_FACET_SQL = {
    "kind": ("m.kind", ""),
    "country": ("m.country", ""),
    "region": ("m.region", ""),
    "population_bracket": ("m.population_bracket", ""),
    "platform_theme": ("v::text", "unnest(m.platform_themes)"),
    "sdg_goal": ("v::text", "unnest(m.sdg_goals)"),
    "sdg_target": ("v::text", "unnest(m.sdg_targets)"),
    "status": ("m.facet_status", ""),
}


@dataclass(frozen=True)
class TsQuery:
    """A tsquery as SQL with its parameters; `empty` when the query had no searchable word
    (only stop words or punctuation)."""

    sql: str
    params: tuple[Any, ...]
    empty: bool = False
    # Each word's alternatives as SQL, with its parameters: what `any_word` joins again.
    parts: tuple[tuple[str, tuple[Any, ...]], ...] = ()

    def any_word(self) -> TsQuery:
        """The same words joined with OR (no item has them all), without looking them up again."""
        return _joined(self.parts, " || ")


def _joined(parts: tuple[tuple[str, tuple[Any, ...]], ...], joiner: str) -> TsQuery:
    if not parts:
        return TsQuery("''::tsquery", (), empty=True)
    return TsQuery(
        "(" + joiner.join(sql for sql, _p in parts) + ")",
        tuple(param for _sql, ps in parts for param in ps),
        parts=parts,
    )


def build_tsquery(q: str, *, any_word: bool = False) -> TsQuery:
    words = query_words(q)
    if not words:
        return TsQuery("''::tsquery", (), empty=True)
    with connection.cursor() as cursor:
        cursor.execute(_WORDS_LOOKUP_SQL, [TYPO_SIMILARITY, TYPO_ALTERNATIVES, words])
        lookup = cursor.fetchall()
    parts: list[tuple[str, tuple[Any, ...]]] = []
    for word, has_lexemes, similar in lookup:
        if not has_lexemes and not similar:
            continue  # a stop word: it must not make an AND query impossible
        alternatives = [f"plainto_tsquery('{CONFIG}', %s)"]
        params: list[Any] = [word]
        root = family_root(word) if has_lexemes else None
        if root:
            # Only [a-z0-9] reach here (family_root), so the text is a valid prefix term.
            alternatives.append("to_tsquery('simple', %s)")
            params.append(f"{root}:*")
        for other in similar:
            alternatives.append(f"plainto_tsquery('{CONFIG}', %s)")
            params.append(other)
        parts.append(("(" + " || ".join(alternatives) + ")", tuple(params)))
    return _joined(tuple(parts), " || " if any_word else " && ")


class PostgresBackend:
    name = "postgresql"

    # --- indexing ------------------------------------------------------------------------

    def index(self, items: Sequence[IndexItem]) -> set[str]:
        ids = [item.pk for item in items]
        update_vectors(ids, clear_dirty=False)
        return {item.key for item in items}

    def remove(self, keys: Iterable[str]) -> set[str]:
        # A withdrawn row's vector is cleared by update_vectors (withdrawn_at is set); the
        # rows themselves stay as the community index's tombstones.
        from community.models import IndexItem

        keys = list(keys)
        rows = Q()
        for key in keys:
            municipality_id, kind, source_id = key.split(":")
            rows |= Q(municipality_id=int(municipality_id), kind=kind, source_id=int(source_id))
        if keys:
            IndexItem.objects.filter(rows).update(search_vector=None)  # one statement
        return set(keys)

    # --- search --------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResults:
        tsquery = build_tsquery(request.q) if request.q.strip() else None
        if tsquery is None:
            return self._browse(request)
        if tsquery.empty:
            return SearchResults(0, [], labelled_facets({}, request), request.page, request.page_size, self.name)
        found = self._run(request, tsquery)
        relaxed = False
        if found.total == 0 and " && " in tsquery.sql:
            tsquery = tsquery.any_word()
            found = self._run(request, tsquery)
            relaxed = True
        options = f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=35, MinWords=15, MaxFragments=2"
        # RawSQL here and below: the SQL is built from constants and build_tsquery's
        # placeholders; user text only ever travels as parameters.
        headline = RawSQL(  # noqa: S611
            f"ts_headline('{CONFIG}', community_indexitem.text, {tsquery.sql}, %s)",
            (*tsquery.params, options),
            output_field=TextField(),
        )
        return SearchResults(
            total=found.total,
            hits=hydrate(request, found.scored, headline=headline),
            facets=labelled_facets(found.raw, request),
            page=request.page,
            page_size=request.page_size,
            backend=self.name,
            relaxed=relaxed,
            total_is_lower_bound=found.total_is_lower_bound,
            facets_partial=found.facets_partial,
        )

    # --- without text: pre-aggregated counts, newest first -------------------------------

    def _browse(self, request: SearchRequest) -> SearchResults:
        """Total and facets from the pre-aggregated counts (search/counts.py: exact, a few
        milliseconds); the page from the visible rows, newest id first (a backward scan of
        the primary key that stops after the page, never a sort of every row)."""
        reconcile_scope()
        total, raw = facet_counts(request)
        rows = _filtered(visible_items(request), request).order_by("-pk").values_list("pk", flat=True)
        ids = list(rows[request.offset : request.offset + request.page_size])
        return SearchResults(
            total=total,
            hits=hydrate(request, [(item_id, 0.0) for item_id in ids]),
            facets=labelled_facets(raw, request),
            page=request.page,
            page_size=request.page_size,
            backend=self.name,
        )

    # --- with text -------------------------------------------------------------------------

    def _matches(self, request: SearchRequest, tsquery: TsQuery) -> tuple[str, tuple[Any, ...]]:
        """The SQL of the visible items matching the text, with their facet columns and
        vector (no facet filters: each facet counts under every filter but its own)."""
        rows = _text_match(visible_items(request), tsquery)
        rows = rows.annotate(facet_status=RawSQL(FACET_STATUS_SQL, (), TextField()))  # noqa: S611
        sql, params = rows.values(*_COLUMNS, "facet_status", "search_vector").query.sql_with_params()
        return sql, tuple(params)

    def _run(self, request: SearchRequest, tsquery: TsQuery) -> _Found:
        sql, args = self.statement(request, tsquery)
        found = _Found()
        size = 0
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            for facet, value, count, rank in cursor.fetchall():
                if facet == "total":
                    found.total = count
                elif facet == "_size":
                    size = count
                elif facet == "_hit":
                    found.scored.append((int(value), float(rank)))
                else:
                    found.raw[facet].append((value, count))
        if size <= TEXT_COUNT_CAP:
            return found  # every match was read: exact total, facets and ranking
        # More matches than are counted: the facets were counted over the first
        # TEXT_COUNT_CAP + 1 matches, and the page was ranked among them.
        found.facets_partial = True
        found.total, found.total_is_lower_bound = TEXT_COUNT_CAP, True
        if request.filters() or request.offset + request.page_size > TEXT_COUNT_CAP:
            # The filtered matches are a different set: count and rank them on their own.
            count, found.scored = self._filtered_page(request, tsquery)
            found.total, found.total_is_lower_bound = min(count, TEXT_COUNT_CAP), count > TEXT_COUNT_CAP
        return found

    def statement(self, request: SearchRequest, tsquery: TsQuery) -> tuple[str, list[Any]]:
        """One statement over the first TEXT_COUNT_CAP + 1 matches (usually all of them):
        their number, the filtered total, each facet's counts (under every filter but its
        own, so a chosen value's siblings keep their counts) and the page ranked by ts_rank
        (title A > text B > context C). Ranking reads each match's vector, which is what
        made very common words slow; the cap bounds it."""
        matches_sql, params = self._matches(request, tsquery)
        sql = [f"WITH m AS MATERIALIZED ({matches_sql} LIMIT %s)"]
        args: list[Any] = [*params, TEXT_COUNT_CAP + 1]
        filters = request.filters()

        def where(skip: str | None) -> str:
            clauses = []
            for facet, values in filters.items():
                if facet != skip:
                    clauses.append(_FILTER_SQL[facet])
                    args.append(_filter_value(facet, values))
            return (" WHERE " + " AND ".join(clauses)) if clauses else ""

        selects = [
            f"SELECT 'total', NULL, count(*), NULL::float8 FROM m{where(None)}",
            "SELECT '_size', NULL, count(*), NULL FROM m",
        ]
        for facet in FACETS:
            value, array = _FACET_SQL[facet]
            if array:  # one count per element: unnest in the select list (cheaper than a lateral join)
                elements = f"(SELECT {array} AS v FROM m{where(facet)}) AS a"
                selects.append(f"SELECT '{facet}', {value}, count(*), NULL FROM {elements} GROUP BY 2")
            else:
                selects.append(f"SELECT '{facet}', {value}, count(*), NULL FROM m{where(facet)} GROUP BY 2")
        args.extend(tsquery.params)
        page_where = where(None)
        selects.append(
            f"(SELECT '_hit', m.id::text, 0, ts_rank(m.search_vector, {tsquery.sql}) AS rank FROM m{page_where}"
            " ORDER BY rank DESC, m.id DESC LIMIT %s OFFSET %s)"
        )
        args.extend([request.page_size, request.offset])
        sql.append("\nUNION ALL\n".join(selects))
        return "\n".join(sql), args

    def _filtered_page(self, request: SearchRequest, tsquery: TsQuery) -> tuple[int, list[tuple[int, float]]]:
        """The filtered matches, read up to TEXT_COUNT_CAP + 1 (or as far as the page needs):
        how many there are (exact up to the cap) and the page ranked among them. One scan;
        the facet filters join the text in the bitmap (kind/country btree, SDG/theme GIN)."""
        rows = _filtered(_text_match(visible_items(request), tsquery), request)
        rows_sql, rows_params = rows.values("id", "search_vector").query.sql_with_params()
        limit = max(TEXT_COUNT_CAP, request.offset + request.page_size) + 1
        sql = (
            f"WITH f AS MATERIALIZED ({rows_sql} LIMIT %s)\n"
            "SELECT NULL::bigint, count(*)::float8 FROM f\nUNION ALL\n"
            f"(SELECT f.id, ts_rank(f.search_vector, {tsquery.sql}) AS rank FROM f"
            " ORDER BY rank DESC, f.id DESC LIMIT %s OFFSET %s)"
        )
        args = [*rows_params, limit, *tsquery.params, request.page_size, request.offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            rows_out = cursor.fetchall()
        count = int(rows_out[0][1])
        return count, [(int(item_id), float(rank)) for item_id, rank in rows_out[1:]]


@dataclass
class _Found:
    total: int = 0
    raw: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    scored: list[tuple[int, float]] = field(default_factory=list)
    total_is_lower_bound: bool = False
    facets_partial: bool = False


_COLUMNS = ("id", "kind", "country", "region", "population_bracket", "platform_themes", "sdg_goals", "sdg_targets")


def _filter_value(facet: str, values: tuple[str, ...]) -> list[Any]:
    return [int(v) for v in values] if facet in ("platform_theme", "sdg_goal") else list(values)


def _text_match(rows: QuerySet[IndexItem], tsquery: TsQuery) -> QuerySet[IndexItem]:
    match = f"community_indexitem.search_vector @@ {tsquery.sql}"
    return rows.filter(RawSQL(match, tsquery.params, BooleanField()))  # noqa: S611


def _filtered(rows: QuerySet[IndexItem], request: SearchRequest) -> QuerySet[IndexItem]:
    """Rows narrowed by the request's facet filters (the same rules as _FILTER_SQL)."""
    r = request
    if r.kind:
        rows = rows.filter(kind__in=r.kind)
    if r.country:
        rows = rows.filter(country__in=r.country)
    if r.region:
        rows = rows.filter(region__in=r.region)
    if r.population_bracket:
        rows = rows.filter(population_bracket__in=r.population_bracket)
    if r.platform_theme:
        rows = rows.filter(platform_themes__overlap=[int(v) for v in r.platform_theme])
    if r.sdg_goal:
        rows = rows.filter(sdg_goals__overlap=[int(v) for v in r.sdg_goal])
    if r.sdg_target:
        rows = rows.filter(sdg_targets__overlap=list(r.sdg_target))
    if r.status:
        status = f"{FACET_STATUS_SQL} = ANY(%s)"
        rows = rows.filter(RawSQL(status, (list(r.status),), BooleanField()))  # noqa: S611
    return rows


def facet_counts(request: SearchRequest) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """Total and raw facet counts of a search without text, from the pre-aggregated counts
    (search/counts.py), exactly what counting the visible items would give:
    - no filter: everything from the rollup (a few hundred rows);
    - one filter: its own facet from the rollup (a facet ignores its own filter), the rest
      from the cube cells that pass the filter;
    - k filters: from the cube cells that pass at least k - 1 of them (each facet needs the
      cells passing every filter but its own), read once into a materialised CTE."""
    filters = request.filters()
    raw: dict[str, list[tuple[str, int]]] = defaultdict(list)
    total = 0
    scope = "is_public" if request.public_only else "TRUE"
    from_rollup = ["total", *FACETS] if not filters else (list(filters) if len(filters) == 1 else [])
    with connection.cursor() as cursor:
        if from_rollup:
            cursor.execute(
                f"SELECT facet, value, sum(n) FROM search_facetrollup WHERE {scope} AND facet = ANY(%s) GROUP BY 1, 2",
                [from_rollup],
            )
            for facet, value, count in cursor.fetchall():
                if facet == "total":
                    total = int(count)
                else:
                    raw[facet].append((value, int(count)))
        if not filters:
            return total, raw
        names = list(filters)
        args: list[Any] = []
        flags = []
        for n, facet in enumerate(names):
            flags.append(f"({_FILTER_SQL[facet]}) AS f{n}")
            args.append(_filter_value(facet, filters[facet]))
        if len(names) == 1:
            keep = _FILTER_SQL[names[0]]
            args.append(_filter_value(names[0], filters[names[0]]))
        else:
            keep = " + ".join(f"({_FILTER_SQL[facet]})::int" for facet in names) + f" >= {len(names) - 1}"
            args.extend(_filter_value(facet, filters[facet]) for facet in names)
        sql = [
            "WITH c AS MATERIALIZED (SELECT m.kind, m.facet_status, m.country, m.region, m.population_bracket,"
            f" m.platform_themes, m.sdg_goals, m.sdg_targets, m.n, {', '.join(flags)} FROM search_facetcube m"
            f" WHERE {'m.is_public' if request.public_only else 'TRUE'} AND ({keep}))"
        ]

        def where(skip: str | None) -> str:
            clauses = [f"c.f{n}" for n, facet in enumerate(names) if facet != skip]
            return (" WHERE " + " AND ".join(clauses)) if clauses else ""

        selects = [f"SELECT 'total', NULL, sum(c.n) FROM c{where(None)}"]
        for facet in FACETS:
            if facet in from_rollup:
                continue
            value, array = _FACET_SQL[facet]
            value, array = value.replace("m.", "c."), array.replace("m.", "c.")
            if array:
                elements = f"(SELECT {array} AS v, c.n FROM c{where(facet)}) AS a"
                selects.append(f"SELECT '{facet}', {value}, sum(a.n) FROM {elements} GROUP BY 2")
            else:
                selects.append(f"SELECT '{facet}', {value}, sum(c.n) FROM c{where(facet)} GROUP BY 2")
        sql.append("\nUNION ALL\n".join(selects))
        cursor.execute("\n".join(sql), args)
        for facet, value, count in cursor.fetchall():
            if facet == "total":
                total = int(count or 0)
            else:
                raw[facet].append((value, int(count)))
    return total, raw


def update_vectors(ids: Sequence[int], *, clear_dirty: bool = False) -> int:
    """Recompute the search vector of rows `ids` (NULL for withdrawn ones) and add their new
    words to the vocabulary. `clear_dirty`: PostgreSQL is the only backend, so the rows are
    clean once this statement commits (one row version, not two). Returns the rows updated."""
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(VECTOR_SQL, [clear_dirty, list(ids)])
        updated = int(cursor.rowcount)
        cursor.execute(WORDS_SQL, [list(ids)])
    return updated
