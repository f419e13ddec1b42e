"""Background work of the community layer.

- `community.relay` (enqueued on commit by every transaction that writes an outbox event,
  see tenants/outbox.py): apply one municipality's pending events.
- `community.relay_sweep` (beat, every minute): enqueue the relay wherever events are still
  pending (a message lost while the broker was down, a relay that found its municipality
  busy), and re-send to the search backend what it did not take.
- `community.detect` lives in community/detection/tasks.py (imported here so the worker has it).
"""

from __future__ import annotations

from celery import shared_task

from community.detection import tasks as detection_tasks  # noqa: F401  (registers community.detect)
from community.relay import relay_municipality
from tenants.models import Municipality
from tenants.task_utils import for_each_active_municipality
from tenants.workspace.models import OutboxEvent


@shared_task(name="community.relay", acks_late=True)
def relay(schema_name: str) -> dict[str, int]:
    """Runs wherever it is sent from (it switches schemas itself). acks_late: a worker killed
    while relaying leaves the message to be delivered again; the events are still pending
    anyway, since their batch never committed."""
    result = relay_municipality(schema_name)  # finds its way and puts the connection back
    if result.busy and not relay.app.conf.task_always_eager:
        # Another relay holds this municipality: try again shortly so that events written
        # while it was finishing do not wait for the sweep. (Run in-process, without a
        # broker, there is no "shortly": the sweep, or the next write, picks them up.)
        relay.apply_async(args=(schema_name,), countdown=1)
    return {"applied": result.applied, "skipped": result.skipped, "failed": result.failed}


@shared_task(name="community.relay_sweep")
def relay_sweep() -> list[str]:
    from search.indexing import sync_pending

    sent: list[str] = []

    def visit(municipality: Municipality) -> None:
        if OutboxEvent.objects.filter(processed_at__isnull=True).exists():
            relay.apply_async(args=(municipality.schema_name,))
            sent.append(municipality.slug)

    for_each_active_municipality("community.relay_sweep", visit)
    sync_pending()
    return sent
