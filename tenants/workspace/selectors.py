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


def _sentences() -> dict[str, str]:
    """Each action recorded in a municipality's schema, as words for its members (the home's
    "recent activity"). An action missing here shows as its code, which a test catches."""
    return {
        "invitation.create": _("invitó a una persona a unirse (%(count)s rol/es)"),
        "invitation.email_sent": _("envió por correo una invitación"),
        "invitation.accept": _("aceptó la invitación y se unió"),
        "membership.set_roles": _("cambió los roles de un miembro"),
        "membership.grant": _("dio un rol a un miembro"),
        "theme.save": _("guardó un tema"),
        "place.save": _("guardó un lugar"),
        "place_levels.save": _("guardó los niveles de lugares"),
        "actor.save": _("guardó un actor"),
        "area.save": _("guardó un área"),
        "position.save": _("guardó un cargo"),
        "network_member.save": _("guardó un miembro de la red"),
        "structure.import": _("importó datos de la estructura"),
        "initiative.created": _("registró una iniciativa"),
        "initiative.changed": _("cambió una iniciativa"),
        "initiative.status": _("cambió el estado de una iniciativa"),
        "initiative.programming_closed": _("cerró la programación de una iniciativa"),
        "milestone.created": _("programó una meta intermedia"),
        "milestone.changed": _("cambió una meta intermedia"),
        "milestone.completed": _("dio por cumplida una meta intermedia"),
        "milestone.reprogrammed": _("reprogramó una meta intermedia"),
        "report.submitted": _("envió un reporte semanal"),
        "aro.raised": _("registró un ARO"),
        "aro.decided": _("decidió sobre un ARO"),
        "aro.closed": _("cerró un ARO"),
        "aro.sharing": _("cambió si un ARO se comparte"),
        "aro_type.saved": _("guardó un tipo de ARO"),
        "cycle.changed": _("cambió el ciclo semanal"),
        "opinion.moderated": _("moderó una opinión ciudadana"),
        "activity.created": _("registró una actividad en la agenda"),
        "activity.changed": _("cambió una actividad de la agenda"),
        "request.registered": _("registró una solicitud"),
        "request.transition": _("avanzó una solicitud"),
        "task.created": _("registró una tarea o compromiso"),
        "task.changed": _("cambió una tarea o compromiso"),
        "task.status": _("cambió el estado de una tarea o compromiso"),
        "task.note": _("anotó el seguimiento de una tarea"),
        "task.reminded": _("envió el recordatorio de tareas"),
        "agenda.settings_changed": _("cambió la configuración de la agenda"),
        "feed.issued": _("creó una dirección de calendario personal"),
        "feed.revoked": _("revocó una dirección de calendario personal"),
        "communication.created": _("planificó una acción comunicacional"),
        "communication.changed": _("cambió una acción comunicacional"),
        "communication.status": _("cambió el estado de una acción comunicacional"),
        "communication.suggestion_dismissed": _("descartó una posible acción comunicacional"),
        "communications.settings": _("cambió la configuración de comunicación"),
        "piece.created": _("escribió una pieza de comunicación"),
        "piece.changed": _("cambió una pieza de comunicación"),
        "piece.approved": _("aprobó una pieza de comunicación"),
        "piece.variant": _("ajustó el texto de una pieza para un canal"),
        "piece.file_added": _("adjuntó un archivo a una pieza"),
        "piece.file_removed": _("quitó un archivo de una pieza"),
        "publication.requested": _("pidió publicar una pieza"),
        "publication.retried": _("pidió reintentar una publicación"),
        "publication.published": _("publicó una pieza"),
        "publication.failed": _("no pudo publicar una pieza"),
        "publication.reach": _("registró el alcance de una publicación"),
        "channel.created": _("configuró un canal de publicación"),
        "channel.changed": _("cambió un canal de publicación"),
    }


def _describe(event: AuditEvent, sentences: dict[str, str]) -> str:
    data = event.data or {}
    template = sentences.get(event.action)
    if template is None:
        return event.action
    text = template % {"count": len(data.get("roles", []))} if "%(count)s" in template else template
    title = data.get("title") or data.get("name")
    return f"{text}: «{title}»" if isinstance(title, str) and title else text


def recent_activity(*, limit: int = 10) -> list[ActivityLine]:
    require_tenant_schema()
    sentences = _sentences()  # translated once per call, not once per line
    return [
        ActivityLine(at=e.at, actor=e.actor_label if e.actor_id else _("El sistema"), text=_describe(e, sentences))
        for e in AuditEvent.objects.order_by("-at")[:limit]
    ]
