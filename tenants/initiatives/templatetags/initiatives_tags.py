"""Template helpers of the initiative pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from tenants.templatetags.people import who

register = template.Library()

ACTIONS = {
    "initiative.created": _("Registró la iniciativa"),
    "initiative.changed": _("Cambió la iniciativa"),
    "initiative.status": _("Cambió el estado"),
    "initiative.programming_closed": _("Cerró la programación (línea base)"),
    "milestone.created": _("Agregó una meta intermedia"),
    "milestone.changed": _("Cambió una meta intermedia"),
    "milestone.reprogrammed": _("Reprogramó una meta intermedia"),
    "milestone.completed": _("Cumplió una meta intermedia"),
    "milestone.reordered": _("Reordenó las metas intermedias"),
    "report.submitted": _("Presentó el reporte semanal"),
    "report.corrected": _("Corrigió un reporte semanal"),
    "aro.raised": _("Registró una ARO"),
    "aro.escalated": _("Escaló una ARO"),
    "aro.deescalated": _("Devolvió una ARO"),
    "aro.decided": _("Registró una decisión"),
    "aro.closed": _("Cerró una ARO"),
    "aro.sharing": _("Cambió si una restricción se comparte con la comunidad"),
    "opinion.moderated": _("Moderó una opinión ciudadana"),
}
FIELDS = {
    "name": _("nombre"),
    "start_date": _("inicio"),
    "target_date": _("fecha meta"),
    "status": _("estado"),
    "manager_id": _("gerente"),
    "follow_up_id": _("seguimiento"),
    "is_public": _("pública"),
    "share_with_community": _("compartida"),
    "due_date": _("fecha"),
    "completed_on": _("cumplida el"),
    "level": _("nivel"),
    "decision": _("decisión"),
    "is_open": _("abierta"),
}


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))


@register.filter
def field_label(name: str) -> str:
    return str(FIELDS.get(name, name))


@register.filter
def last_of(items: Any) -> Any:
    """The last of a (prefetched) related set, without the negative indexing querysets refuse."""
    rows = list(items)
    return rows[-1] if rows else None


@register.simple_tag
def audit_value(key: str, value: Any, people: Any = None) -> str:
    """An audited value as people read it: a status's name, yes/no, a person's name."""
    from django.utils.translation import gettext as gettext_now

    from tenants.initiatives.models import OpinionStatus, Status

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext_now("sí") if value else gettext_now("no")
    if key == "status" and value in Status.values:
        return str(Status(value).label)
    if key == "status" and value in OpinionStatus.values:
        return str(OpinionStatus(value).label)
    if key in ("manager_id", "follow_up_id") and people:
        return str(people.get(value, value))
    return str(value)


# One definition of how recorded people read, shared with the other apps' pages.
register.filter("who", who)
