"""The tenant side of the transactional outbox (DESIGN.md §2): record a shareable change in
the same transaction as the write, so the community layer sees it if and only if it happened,
and wake the relay once the transaction commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tenants.db import current_municipality


def _wake_relay(schema_name: str) -> None:
    from community.tasks import relay

    try:
        relay.apply_async(args=(schema_name,))
    except Exception:  # broker down: the events are committed; the beat sweep relays them
        import logging

        logging.getLogger("community.relay").warning(
            "could not enqueue the community relay for %s; the sweep will pick the events up", schema_name
        )


def emit(*, topic: str, aggregate_type: str, aggregate_id: object, payload: dict[str, Any]) -> None:
    from tenants.workspace.models import OutboxEvent

    municipality = current_municipality()  # fails closed in the public schema
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("Outbox events must be written inside the transaction of the change.")
    OutboxEvent.objects.create(
        topic=topic, aggregate_type=aggregate_type, aggregate_id=str(aggregate_id), payload=payload
    )
    # One wake-up per transaction, however many events it writes. A rolled-back
    # transaction drops its callbacks, so nothing is sent for a write that did not happen.
    if not any(getattr(func, "outbox_relay", False) for _sids, func, _robust in connection.run_on_commit):

        def wake() -> None:
            _wake_relay(municipality.schema_name)

        wake.outbox_relay = True  # type: ignore[attr-defined]
        transaction.on_commit(wake)
