"""The PostgreSQL search backend: a Spanish, accent-insensitive text search configuration
in the public schema, the vocabulary table for typo tolerance, and its trigram index.

`public.sigobito_es` is a copy of `spanish` whose word mappings unaccent before stemming, so
"Educación" and "educacion" give the same lexeme (ASCII-only words need no unaccenting:
the parser gives them their own token types, which keep spanish_stem). It lives in the public schema (as the
unaccent and pg_trgm extensions do, tenants/migrations/0002_extensions.py) and is always
named with its schema, so it works whatever the connection's search_path is."""

from django.db import migrations, models

CONFIG_SQL = """
CREATE TEXT SEARCH CONFIGURATION public.sigobito_es (COPY = pg_catalog.spanish);
ALTER TEXT SEARCH CONFIGURATION public.sigobito_es
    ALTER MAPPING FOR word, hword, hword_part
    WITH public.unaccent, pg_catalog.spanish_stem;
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("community", "0001_initial"),
        ("tenants", "0002_extensions"),
    ]

    operations = [
        migrations.RunSQL(CONFIG_SQL, "DROP TEXT SEARCH CONFIGURATION IF EXISTS public.sigobito_es;"),
        migrations.CreateModel(
            name="SearchWord",
            fields=[("word", models.CharField(max_length=60, primary_key=True, serialize=False))],
            options={"verbose_name": "search word"},
        ),
        migrations.RunSQL(
            "CREATE INDEX search_searchword_trgm_idx ON search_searchword USING gin (word public.gin_trgm_ops);",
            "DROP INDEX IF EXISTS search_searchword_trgm_idx;",
        ),
    ]
