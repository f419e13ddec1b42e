"""Tenant code fails closed: run in the public schema, it raises instead of guessing."""

from __future__ import annotations

from tenants.db import current_schema


class NotInTenantSchema(RuntimeError):
    pass


def require_tenant_schema() -> str:
    schema = current_schema()
    if schema == "public" or not schema:
        raise NotInTenantSchema("This code reads a municipality's data and must run in its schema.")
    return schema
