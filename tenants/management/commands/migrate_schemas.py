"""`migrate_schemas` that also migrates the template every new municipality is cloned from.

The template has no Municipality row, so django-tenants would never migrate it; a stale
template would silently create broken municipalities. `migrate` (below) is this same
command, so there is no way to migrate the tenants and forget the template.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django_tenants.management.commands.migrate_schemas import GET_EXECUTOR_FUNCTION, MigrateSchemasCommand
from psycopg import sql

from tenants.db import use_public_schema
from tenants.schemas import template_migration_lock, template_schema


class Command(MigrateSchemasCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        requested_schema = options.get("schema_name")
        everything = requested_schema is None
        # Public first (the template's tables may refer to it), then the template, both
        # while provisioning waits; then every municipality, with provisioning open again:
        # a municipality cloned from the migrated template is already current.
        with template_migration_lock():
            if requested_schema in (None, "public") and not options.get("tenant"):
                super().handle(*args, **{**options, "shared": True, "tenant": False, "schema_name": None})
            if everything and not options.get("shared"):
                self._migrate_template(args, options)
        if everything and not options.get("shared"):
            super().handle(*args, **{**options, "tenant": True, "shared": False, "schema_name": None})
        elif requested_schema not in (None, "public"):
            super().handle(*args, **options)

    def _migrate_template(self, args: tuple[Any, ...], options: dict[str, Any]) -> None:
        use_public_schema()
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}")
                .format(sql.Identifier(template_schema()))
                .as_string(connection.connection)  # type: ignore[arg-type]
            )
        executor = GET_EXECUTOR_FUNCTION(codename=options.get("executor"))(args, options)
        executor.run_migrations(tenants=[template_schema()])
        use_public_schema()
