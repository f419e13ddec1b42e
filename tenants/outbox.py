"""The tenant side of the transactional outbox (DESIGN.md §2): record a shareable change in
the same transaction as the write, so the community layer sees it if and only if it happened."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tenants.db import current_municipality


def emit(*, topic: str, aggregate_type: str, aggregate_id: object, payload: dict[str, Any]) -> None:
    from tenants.workspace.models import OutboxEvent

    current_municipality()  # fails closed in the public schema
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Outbox events must be written inside the transaction of the change.")
    OutboxEvent.objects.create(
        topic=topic, aggregate_type=aggregate_type, aggregate_id=str(aggregate_id), payload=payload
    )
