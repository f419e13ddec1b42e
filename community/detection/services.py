"""Writes the console triggers around detection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.audit import audit
from tenants.selectors import is_regional_team

if TYPE_CHECKING:
    from tenants.accounts.models import User


def detection_request(*, actor: User) -> None:
    """The console's "run now": enqueue a detection run once the current transaction commits
    (the worker must not start before the request's own writes are visible)."""
    if not is_regional_team(actor):
        raise PermissionDenied(_("Solo el equipo regional puede ejecutar la detección."))
    from community.detection.tasks import detect

    with transaction.atomic():
        audit(actor=actor, action="community.detection_request")
        actor_id = actor.pk
        transaction.on_commit(lambda: detect.delay(triggered_by_id=actor_id))
