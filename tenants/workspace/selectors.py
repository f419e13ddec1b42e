from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from tenants.workspace.models import AuditEvent
from tenants.workspace.schema_guard import require_tenant_schema


@dataclass(frozen=True)
class ActivityLine:
    at: datetime
    actor: str
    text: str


def _describe(event: AuditEvent) -> str:
    data = event.data or {}
    # Each action recorded in a municipality's schema, as a sentence for its members.
    sentences = {
        "invitation.create": _("invitó a una persona a unirse (%(count)s rol/es)"),
        "invitation.email_sent": _("envió por correo una invitación"),
        "invitation.accept": _("aceptó la invitación y se unió"),
        "membership.set_roles": _("cambió los roles de un miembro"),
    }
    template = sentences.get(event.action)
    if template is None:
        return event.action
    return template % {"count": len(data.get("roles", []))}


def recent_activity(*, limit: int = 10) -> list[ActivityLine]:
    require_tenant_schema()
    return [
        ActivityLine(at=e.at, actor=e.actor_label if e.actor_id else _("El sistema"), text=_describe(e))
        for e in AuditEvent.objects.order_by("-at")[:limit]
    ]
