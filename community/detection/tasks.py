"""Celery entry point for detection: nightly from beat ("community.detect") and on demand
from the console (services.detection_request). Runs in the public schema; takes ids."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="community.detect", acks_late=True)
def detect(triggered_by_id: int | None = None) -> int:
    """Returns the DetectionRun id."""
    from community.detection.runner import run_detection
    from tenants.accounts.models import User

    actor = User.objects.filter(pk=triggered_by_id).first() if triggered_by_id else None
    return run_detection(triggered_by=actor).pk
