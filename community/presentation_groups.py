"""How a group's items and strength read on a page (console and workspace alike): status
and traffic light as words with a shape, never colour alone."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from community.models import IndexItem, ItemKind
from tenants.initiatives.models import BuiltInAroType, Status
from tenants.initiatives.rules import Light


@dataclass
class ItemRow:
    item: IndexItem
    light: Light | None
    status: str


# Lazy labels: built once, translated when shown.
ARO_TYPE_LABELS = dict(BuiltInAroType.choices)
STATUS_LABELS = dict(Status.choices)


def item_row(item: IndexItem) -> ItemRow:
    light = Light(item.light) if item.light is not None and item.light in Light._value2member_map_ else None
    if item.kind == ItemKind.RESTRICTION:
        status = _("Abierta") if item.is_open else _("Superada")
        if item.restriction_type:
            kind_label = ARO_TYPE_LABELS.get(item.restriction_type, item.restriction_type)
            status = f"{status} · {kind_label}"
    else:
        status = str(STATUS_LABELS.get(item.status, item.status)) or "—"
    return ItemRow(item=item, light=light, status=str(status))


def strength_label(strength: float) -> str:
    if strength >= 0.7:
        return _("alta")
    if strength >= 0.4:
        return _("media")
    return _("baja")
