"""PostgreSQL extensions live in the public schema, so every municipality's schema (whose
search_path ends in public) can use them."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]
    operations = [UnaccentExtension(), TrigramExtension()]
