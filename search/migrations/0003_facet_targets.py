# SDG targets become a dimension of the pre-aggregated facet counts (search/counts.py), and
# the counts are recomputed once so that the targets already published are counted.

import django.contrib.postgres.fields
from django.db import migrations, models

# The counts recomputed from the community index, as search.counts.rebuild_counts() does
# (frozen here: a migration must not depend on code that later versions change).
RECOUNT = """
TRUNCATE search_facetcell, search_facetcube, search_facetrollup, search_facetscope;
INSERT INTO search_facetscope (municipality_id, counted)
SELECT mu.id, mu.is_active FROM tenants_municipality mu
WHERE EXISTS (SELECT 1 FROM community_indexitem i WHERE i.municipality_id = mu.id);
INSERT INTO search_facetcell (municipality_id, is_public, kind, facet_status, country, region, population_bracket,
                              sdg_goals, platform_themes, sdg_targets, n)
SELECT i.municipality_id, i.is_public, i.kind,
       COALESCE(NULLIF(i.status, ''), CASE WHEN i.kind = 'restriction'
                THEN CASE WHEN i.is_open THEN 'open' ELSE 'closed' END ELSE '' END),
       i.country, i.region, i.population_bracket, i.sdg_goals, i.platform_themes, i.sdg_targets, count(*)::int
FROM community_indexitem i WHERE i.withdrawn_at IS NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
INSERT INTO search_facetcube (is_public, kind, facet_status, country, region, population_bracket,
                              sdg_goals, platform_themes, sdg_targets, n)
SELECT c.is_public, c.kind, c.facet_status, c.country, c.region, c.population_bracket,
       c.sdg_goals, c.platform_themes, c.sdg_targets, sum(c.n)::int
FROM search_facetcell c JOIN search_facetscope s ON s.municipality_id = c.municipality_id AND s.counted
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
INSERT INTO search_facetrollup (is_public, facet, value, n)
SELECT is_public, facet, value, sum(n)::int FROM (
    SELECT is_public, 'total' AS facet, '' AS value, n FROM search_facetcube
    UNION ALL SELECT is_public, 'kind', kind, n FROM search_facetcube
    UNION ALL SELECT is_public, 'status', facet_status, n FROM search_facetcube
    UNION ALL SELECT is_public, 'country', country, n FROM search_facetcube
    UNION ALL SELECT is_public, 'region', region, n FROM search_facetcube
    UNION ALL SELECT is_public, 'population_bracket', population_bracket, n FROM search_facetcube
    UNION ALL SELECT is_public, 'sdg_goal', v::text, n FROM search_facetcube, unnest(sdg_goals) AS v
    UNION ALL SELECT is_public, 'sdg_target', v::text, n FROM search_facetcube, unnest(sdg_targets) AS v
    UNION ALL SELECT is_public, 'platform_theme', v::text, n FROM search_facetcube, unnest(platform_themes) AS v
) per_value GROUP BY 1, 2, 3;
"""
# Going back: the older cube cannot hold cells that differ only by their targets. Empty the
# counts; `community_rebuild` (or search.counts.rebuild_counts()) fills them again.
FORGET = "TRUNCATE search_facetcell, search_facetcube, search_facetrollup, search_facetscope;"


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("search", "0002_facet_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="facetcell",
            name="sdg_targets",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=12), default=list, size=None
            ),
        ),
        migrations.AddField(
            model_name="facetcube",
            name="sdg_targets",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=12), default=list, size=None
            ),
        ),
        migrations.RemoveConstraint(model_name="facetcube", name="search_facetcube_cell"),
        migrations.AddConstraint(
            model_name="facetcube",
            constraint=models.UniqueConstraint(
                fields=(
                    "is_public",
                    "kind",
                    "facet_status",
                    "country",
                    "region",
                    "population_bracket",
                    "sdg_goals",
                    "platform_themes",
                    "sdg_targets",
                ),
                name="search_facetcube_cell",
            ),
        ),
        migrations.RunSQL(RECOUNT, FORGET),
    ]
