"""One call to record who did what, in the schema the action belongs to."""

from __future__ import annotations

from typing import Any

from tenants.accounts.models import User
from tenants.db import in_public_schema


def audit(*, actor: User | None, action: str, object_type: str = "", object_id: object = "", **data: Any) -> None:
    # The name people know (the email stays in the platform-wide event for traceability).
    label = (actor.full_name or actor.email) if actor is not None else "system"
    if in_public_schema():
        from tenants.models import PlatformAuditEvent

        PlatformAuditEvent.objects.create(
            actor=actor,
            actor_label=actor.email if actor is not None else "system",
            action=action,
            municipality_slug=str(data.pop("slug", "")),
            data=data,
        )
    else:
        from tenants.workspace.models import AuditEvent

        AuditEvent.objects.create(
            actor_id=actor.pk if actor is not None else None,
            actor_label=label,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            data=data,
        )
