"""Pre-aggregated facet counts for searches without text (PostgreSQL backend).

Counting the visible rows for a browse page's total and eight facets took 1-2 s at
benchmark scale (440,000 public rows). The counts are kept grouped instead:

- `search_facetcell`: per municipality, its live items (not withdrawn) grouped by every
  facet column plus `is_public` (about a hundred cells per municipality). It is recomputed
  for the municipalities a synced batch touched (`refresh_for_items`, called by
  search.indexing after every batch, in the batch's transaction).
- `search_facetcube`: the cells summed over the *counted* municipalities; a municipality is
  counted while it is active (`search_facetscope.counted`). Tens of thousands of cells:
  a filtered browse reads only those matching at least all filters but one.
- `search_facetrollup`: the cube summed per facet value, plus a "total" row: the whole answer
  of a browse without filters, and a filtered facet's own counts under its own filter.

Cube and rollup change by deltas (new cells minus old cells of the touched municipalities),
under one advisory lock, so concurrent batches cannot lose each other's changes.

Isolation: cells are per `is_public`, so a public search adds up only public cells, and a
withdrawn item is in no cell. An inactive municipality must not be counted either, and
deactivating one does not pass through the relay: every count read first compares
`search_facetscope.counted` with `tenants_municipality.is_active` (a join of two tables of one
row per municipality) and, when one changed, moves that municipality's cells out of (or back
into) the cube before answering (`reconcile_scope`).

Arrays (platform themes, SDG goals and targets) are kept whole in the cells, so "any of
these values" filters and per-element facet counts give exactly what counting the items gives.

SDG targets are a dimension too, although there are 169 official ones plus local ones, because
they cost few cells: an item gets targets only from a published alignment, made by hand by two
specialists (ods_alignment), so there are at most as many distinct target lists as published
cases, and an aligned item's cell already differs from its neighbours' by its goals. At
benchmark scale (550,000 items, 28 % with 1-4 targets drawn from their aim's) the cube grew
from 49,676 to 54,045 cells. Counting targets from the rows instead, when a browse filters by
goal or target, took 60-500 ms there (every row of the goal read from the heap), against the
few milliseconds of the cube.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, transaction

from search.results import facet_status_sql

# The advisory lock key of count maintenance ("sigobito facets").
LOCK_KEY = 0x51606F_FACE7

_DIM_NAMES = (
    "is_public",
    "kind",
    "facet_status",
    "country",
    "region",
    "population_bracket",
    "sdg_goals",
    "platform_themes",
    "sdg_targets",
)
_DIMS = ", ".join(_DIM_NAMES)


def _dims(alias: str) -> str:
    return ", ".join(f"{alias}.{name}" for name in _DIM_NAMES)


_STATUS_SQL = facet_status_sql("i")

# One statement: the touched municipalities' old cells out, fresh cells in, scope updated,
# and the difference (only for counted municipalities) added to the cube and the rollup.
_REFRESH_SQL = f"""
WITH scope AS (
    SELECT x.id AS municipality_id, COALESCE(mu.is_active, false) AS active, COALESCE(s.counted, false) AS was
    FROM unnest(%s::bigint[]) AS x(id)
    LEFT JOIN tenants_municipality mu ON mu.id = x.id
    LEFT JOIN search_facetscope s ON s.municipality_id = x.id
), old AS (
    DELETE FROM search_facetcell c USING scope s WHERE c.municipality_id = s.municipality_id
    RETURNING c.municipality_id, {_dims("c")}, c.n, s.was
), fresh AS (
    SELECT i.municipality_id, i.is_public, i.kind, {_STATUS_SQL} AS facet_status, i.country, i.region,
           i.population_bracket, i.sdg_goals, i.platform_themes, i.sdg_targets,
           count(*)::int AS n
    FROM community_indexitem i JOIN scope s ON s.municipality_id = i.municipality_id
    WHERE i.withdrawn_at IS NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
), added AS (
    INSERT INTO search_facetcell (municipality_id, {_DIMS}, n)
    SELECT municipality_id, {_DIMS}, n FROM fresh
), scoped AS (
    INSERT INTO search_facetscope (municipality_id, counted)
    SELECT municipality_id, active FROM scope
    ON CONFLICT (municipality_id) DO UPDATE SET counted = EXCLUDED.counted
), delta AS (
    SELECT {_DIMS}, sum(n)::int AS n FROM (
        SELECT {_DIMS}, -n AS n FROM old WHERE was
        UNION ALL
        SELECT {_dims("f")}, f.n
        FROM fresh f JOIN scope s ON s.municipality_id = f.municipality_id WHERE s.active
    ) d GROUP BY {_DIMS} HAVING sum(n) <> 0
), cube AS (
    INSERT INTO search_facetcube ({_DIMS}, n) SELECT {_DIMS}, n FROM delta
    ON CONFLICT ({_DIMS}) DO UPDATE SET n = search_facetcube.n + EXCLUDED.n
), per_value AS (
    SELECT is_public, 'total' AS facet, '' AS value, n FROM delta
    UNION ALL SELECT is_public, 'kind', kind, n FROM delta
    UNION ALL SELECT is_public, 'status', facet_status, n FROM delta
    UNION ALL SELECT is_public, 'country', country, n FROM delta
    UNION ALL SELECT is_public, 'region', region, n FROM delta
    UNION ALL SELECT is_public, 'population_bracket', population_bracket, n FROM delta
    UNION ALL SELECT is_public, 'sdg_goal', v::text, n FROM delta, unnest(sdg_goals) AS v
    UNION ALL SELECT is_public, 'sdg_target', v::text, n FROM delta, unnest(sdg_targets) AS v
    UNION ALL SELECT is_public, 'platform_theme', v::text, n FROM delta, unnest(platform_themes) AS v
)
INSERT INTO search_facetrollup (is_public, facet, value, n)
SELECT is_public, facet, value, sum(n)::int FROM per_value GROUP BY 1, 2, 3 HAVING sum(n) <> 0
ON CONFLICT (is_public, facet, value) DO UPDATE SET n = search_facetrollup.n + EXCLUDED.n
"""

_SCOPE_DRIFT_SQL = """
SELECT s.municipality_id FROM search_facetscope s
LEFT JOIN tenants_municipality mu ON mu.id = s.municipality_id
WHERE s.counted IS DISTINCT FROM COALESCE(mu.is_active, false)
ORDER BY 1
"""


def refresh_municipalities(municipality_ids: Sequence[int]) -> None:
    """Recompute the cells of these municipalities from the community index and apply the
    difference to the cube and the rollup."""
    ids = sorted(set(municipality_ids))
    if not ids:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        cursor.execute(_REFRESH_SQL, [ids])
        # Cells that reached zero are gone (the upserts cannot see their own results).
        cursor.execute("DELETE FROM search_facetcube WHERE n = 0")
        cursor.execute("DELETE FROM search_facetrollup WHERE n = 0")


def refresh_for_items(item_ids: Sequence[int]) -> None:
    """Recompute the counts of the municipalities these index rows belong to."""
    if not item_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT municipality_id FROM community_indexitem WHERE id = ANY(%s)", [list(item_ids)])
        municipalities = [row[0] for row in cursor.fetchall()]
    refresh_municipalities(municipalities)


def reconcile_scope() -> None:
    """Bring the counted municipalities in line with which are active now (a municipality
    deactivated or reactivated since its cells were last applied). Cheap when nothing
    changed: one join of two small tables."""
    with connection.cursor() as cursor:
        cursor.execute(_SCOPE_DRIFT_SQL)
        drifted = [row[0] for row in cursor.fetchall()]
    if drifted:
        refresh_municipalities(drifted)


def rebuild_counts() -> None:
    """Start the counts afresh from the whole community index."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        cursor.execute("TRUNCATE search_facetcell, search_facetcube, search_facetrollup, search_facetscope")
        cursor.execute("SELECT DISTINCT municipality_id FROM community_indexitem")
        municipalities = [row[0] for row in cursor.fetchall()]
    refresh_municipalities(municipalities)
