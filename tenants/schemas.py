"""PostgreSQL schema operations for municipalities: clone from the template, drop.

New municipalities are cloned from a template schema that `migrate` keeps current, instead
of running every migration for each new schema: a clone is a handful of DDL statements, so
creating a municipality takes milliseconds however many already exist. Everything here runs
inside the caller's transaction, so a failure (or a killed process) leaves nothing behind:
PostgreSQL DDL is transactional.

The clone reproduces tables, columns (defaults, identity, generated, collation), constraints
and indexes *with their original names* (later migrations drop and alter them by name), and
copies the template's rows (django_migrations and any seed data). Objects it does not know
how to copy (views, functions, triggers, free-standing sequences, types) make it refuse,
rather than produce a schema that silently differs from a migrated one.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from psycopg import sql

from tenants.db import in_public_schema

# Held shared while cloning and exclusively while migrating the template, so a clone never
# copies a half-migrated template.
TEMPLATE_LOCK_KEY = 0x51_60B1_7000


class CloneError(RuntimeError):
    pass


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[str, ...]  # insertable columns (not generated)
    identity_columns: tuple[str, ...]


def template_schema() -> str:
    return str(settings.TENANT_TEMPLATE_SCHEMA)


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def _require_public() -> None:
    if not in_public_schema():
        raise CloneError("Schema operations run from the public schema only.")


def _unsupported_objects(cursor: object, source: str) -> list[str]:
    cursor.execute(  # type: ignore[attr-defined]
        """
        SELECT 'relation ' || c.relname || ' (' || c.relkind::text || ')'
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = %(s)s AND c.relkind IN ('v', 'm', 'f')
        UNION ALL
        SELECT 'sequence ' || c.relname
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = %(s)s AND c.relkind = 'S'
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.objid = c.oid AND d.deptype = 'i')
        UNION ALL
        SELECT 'function ' || p.proname
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %(s)s
        UNION ALL
        SELECT 'trigger ' || t.tgname
          FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = %(s)s AND NOT t.tgisinternal
        UNION ALL
        SELECT 'type ' || t.typname
          FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = %(s)s AND t.typtype IN ('e', 'd', 'r', 'm')
        """,
        {"s": source},
    )
    return [row[0] for row in cursor.fetchall()]  # type: ignore[attr-defined]


def _tables(cursor: object, source: str) -> list[_Table]:
    cursor.execute(  # type: ignore[attr-defined]
        """
        SELECT c.relname,
               array_agg(a.attname ORDER BY a.attnum) FILTER (WHERE a.attgenerated = ''),
               array_agg(a.attname ORDER BY a.attnum) FILTER (WHERE a.attidentity <> '')
          FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE n.nspname = %s AND c.relkind IN ('r', 'p')
         GROUP BY c.relname
         ORDER BY c.relname
        """,
        [source],
    )
    return [
        _Table(name, tuple(cols or ()), tuple(ident or ()))
        for name, cols, ident in cursor.fetchall()  # type: ignore[attr-defined]
    ]


def _retarget(definition: str, source: str, target: str) -> str:
    # Definitions come out with the template's name wherever it is not on the search_path
    # (which is `public` here), so every reference to a template object is `source.` as a
    # whole identifier (not inside another name or a quoted literal).
    return re.sub(rf"(?<![\w'\"$]){re.escape(source)}\.(?=[\w\"])", f'"{target}".', definition)


def clone_script(source: str, target: str) -> str:
    """The SQL that makes `target` a copy of `source`, read from the catalogue."""
    with connection.cursor() as cursor:
        unsupported = _unsupported_objects(cursor, source)
        if unsupported:
            raise CloneError(f"Template schema {source} has objects clone cannot copy: {unsupported}")
        tables = _tables(cursor, source)
        if not tables:
            raise CloneError(f"Template schema {source} is empty; run migrate first.")
        # Constraints in an order that satisfies dependencies: keys before foreign keys.
        cursor.execute(
            """
            SELECT c.relname, con.conname, pg_get_constraintdef(con.oid)
              FROM pg_constraint con
              JOIN pg_class c ON c.oid = con.conrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = %s AND con.contype IN ('p', 'u', 'x', 'f')
             ORDER BY CASE con.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 2 ELSE 3 END,
                      c.relname, con.conname
            """,
            [source],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT pg_get_indexdef(i.indexrelid)
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = %s
               AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid
                                                               AND con.conrelid = i.indrelid)
             ORDER BY 1
            """,
            [source],
        )
        indexes = [row[0] for row in cursor.fetchall()]

    tgt = sql.Identifier(target)
    src = sql.Identifier(source)
    parts: list[sql.Composable] = [sql.SQL("CREATE SCHEMA {}").format(tgt)]
    for table in tables:
        parts.append(
            sql.SQL(
                "CREATE TABLE {t}.{n} (LIKE {s}.{n} INCLUDING DEFAULTS INCLUDING IDENTITY "
                "INCLUDING GENERATED INCLUDING CONSTRAINTS INCLUDING STORAGE "
                "INCLUDING COMMENTS INCLUDING COMPRESSION)"
            ).format(t=tgt, s=src, n=sql.Identifier(table.name))
        )
    for table_name, name, definition in constraints:
        parts.append(
            sql.SQL("ALTER TABLE {t}.{n} ADD CONSTRAINT {c} ").format(
                t=tgt, n=sql.Identifier(table_name), c=sql.Identifier(name)
            )
            + sql.SQL(_retarget(definition, source, target))  # type: ignore[arg-type]
        )
    for definition in indexes:
        retargeted = _retarget(definition, source, target)
        if retargeted == definition:
            raise CloneError(f"Cannot retarget index definition: {definition}")
        parts.append(sql.SQL(retargeted))  # type: ignore[arg-type]
    for table in tables:
        cols = sql.SQL(", ").join(sql.Identifier(c) for c in table.columns)
        parts.append(
            sql.SQL("INSERT INTO {t}.{n} ({c}) OVERRIDING SYSTEM VALUE SELECT {c} FROM {s}.{n}").format(
                t=tgt, s=src, n=sql.Identifier(table.name), c=cols
            )
        )
        for column in table.identity_columns:
            parts.append(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({q}, {col}), max({ci})) FROM {t}.{n} "
                    "HAVING max({ci}) IS NOT NULL"
                ).format(
                    q=sql.Literal(f'"{target}"."{table.name}"'),
                    col=sql.Literal(column),
                    ci=sql.Identifier(column),
                    t=tgt,
                    n=sql.Identifier(table.name),
                )
            )
    return sql.SQL(";\n").join(parts).as_string(connection.connection)  # type: ignore[arg-type]


def clone_template(target: str) -> None:
    """Create schema `target` as a copy of the template, in the current transaction."""
    _require_public()
    if not connection.in_atomic_block:
        raise CloneError("clone_template must run inside transaction.atomic().")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [TEMPLATE_LOCK_KEY])
        script = clone_script(template_schema(), target)
        cursor.execute(script)


def drop_schema(name: str) -> None:
    _require_public()
    if name in {"public", template_schema()} or name.startswith("pg_"):
        raise CloneError(f"Refusing to drop schema {name}.")
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)).as_string(connection.connection)
        )  # type: ignore[arg-type]


@contextlib.contextmanager
def template_migration_lock() -> Iterator[None]:
    """Exclusive lock for migrating the template, on a connection of its own (made from the
    same settings, options included): the migration executor closes Django's connection
    between schemas, which would release a session lock taken there."""
    lock_connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with lock_connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [TEMPLATE_LOCK_KEY])
            try:
                yield
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [TEMPLATE_LOCK_KEY])
    finally:
        lock_connection.close()
