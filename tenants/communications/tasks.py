"""Background work of communications: publishing a piece to a channel, and the sweep that
re-sends queued publications whose message was lost.

Tasks run in the schema they were sent from (tenant-schemas-celery); they take ids."""

from __future__ import annotations

from datetime import timedelta

from celery import Task, shared_task

from tenants.communications.services import publishing
from tenants.models import Municipality
from tenants.task_utils import for_each_active_municipality

SWEEP_GRACE = timedelta(minutes=10)


@shared_task(bind=True, name="communications.publish", max_retries=None, acks_late=True, reject_on_worker_lost=True)
def publish(self: Task, publication_id: int) -> str:
    """One attempt; a temporary failure comes back after its backoff (the attempt count in
    the row, not Celery's, decides when to give up)."""
    attempt = publishing.publication_attempt(publication_id=publication_id)
    # Run in-process (no broker), a task cannot wait for its countdown: the row stays
    # retrying with its next attempt due, and asking to publish again sends it then.
    if attempt.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=attempt.retry_in)
    return attempt.status


@shared_task(name="communications.sweep_publications")
def sweep_publications() -> int:
    """From the public schema: in every active municipality, re-enqueue the publications
    still queued well after they should have been tried. Returns how many."""
    sent: list[int] = []

    def visit(_municipality: Municipality) -> None:
        for publication_id in publishing.stale_publications(SWEEP_GRACE):
            publishing.enqueue(publication_id)
            sent.append(publication_id)

    for_each_active_municipality("communications.sweep_publications", visit)
    return len(sent)
