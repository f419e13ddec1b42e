"""What the periodic (beat) tasks share: they start in the public schema and visit each
active municipality in turn."""

from __future__ import annotations

from collections.abc import Callable

from tenants.db import in_public_schema, use_municipality, use_public_schema
from tenants.models import Municipality
from tenants.selectors import active_municipalities


def for_each_active_municipality(task_name: str, visit: Callable[[Municipality], object]) -> None:
    """Call `visit` for every active municipality with the connection inside its schema,
    and go back to the public schema afterwards, even on an error. A task enqueued by
    `visit` carries that municipality's schema (tenant-schemas-celery); nothing is written
    here, so there is no transaction to wait for. Refuses to start anywhere but public."""
    if not in_public_schema():
        raise RuntimeError(f"{task_name} runs in the public schema")
    try:
        for municipality in active_municipalities():
            use_municipality(municipality)
            visit(municipality)
    finally:
        use_public_schema()
