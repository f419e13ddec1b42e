"""Tenant code fails closed: run in the public schema, it raises instead of guessing."""

from __future__ import annotations

from django.db import connection


class NotInTenantSchema(RuntimeError):
    pass


def require_tenant_schema() -> str:
    schema = connection.schema_name
    if schema == "public" or not schema:
        raise NotInTenantSchema("This code reads a municipality's data and must run in its schema.")
    return schema
