"""Typed access to the schema of the current database connection (django-tenants adds these
methods to the connection at run time, which type checkers cannot see)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper

    from tenants.models import Municipality

PUBLIC_SCHEMA = "public"


def _conn() -> DatabaseWrapper:
    return cast("DatabaseWrapper", connection)


def current_schema() -> str:
    return str(_conn().schema_name)


def in_public_schema() -> bool:
    return current_schema() == PUBLIC_SCHEMA


def use_public_schema() -> None:
    _conn().set_schema_to_public()


def use_schema(name: str) -> None:
    _conn().set_schema(name)


def current_tenant() -> object:
    """Whatever the connection is set to (a municipality, or public), to put it back later
    with `restore_tenant`: code that visits other schemas must leave the caller's intact."""
    return _conn().tenant


def restore_tenant(tenant: object) -> None:
    _conn().set_tenant(tenant)


def use_municipality(municipality: Municipality) -> None:
    _conn().set_tenant(municipality)


def current_municipality() -> Municipality:
    """The municipality whose schema the connection is in; tenant code fails closed."""
    from tenants.models import Municipality
    from tenants.workspace.schema_guard import NotInTenantSchema

    tenant = _conn().tenant
    if not isinstance(tenant, Municipality):
        raise NotInTenantSchema("This code reads a municipality's data and must run in its schema.")
    return tenant


def public_tenant() -> object:
    """What django-tenants calls the current tenant (a stand-in object in public)."""
    return _conn().tenant


def local_tz() -> ZoneInfo:
    """The current municipality's time zone (DESIGN.md §4.11)."""
    return ZoneInfo(current_municipality().time_zone)


def local_today() -> date:
    """Today in the current municipality's time zone: deadlines and due dates are local
    dates, whatever the server's clock zone."""
    return timezone.localdate(timezone.now(), local_tz())
