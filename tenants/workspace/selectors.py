from __future__ import annotations

from tenants.workspace.models import AuditEvent
from tenants.workspace.schema_guard import require_tenant_schema


def recent_activity(*, limit: int = 10) -> list[AuditEvent]:
    require_tenant_schema()
    return list(AuditEvent.objects.order_by("-at")[:limit])
