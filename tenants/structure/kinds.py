"""One description per structure list, shared by the pages, the API and the transfers:
its model, form, save service, who may edit it and how its rows show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.roles import MunicipalRole
from tenants.structure import access, services
from tenants.structure.forms import ActorForm, AreaForm, NetworkMemberForm, PlaceForm, PositionForm, ThemeForm
from tenants.structure.models import Actor, Area, NetworkMember, Place, Position, Theme


@dataclass(frozen=True)
class Kind:
    key: str
    model: type[models.Model]
    form: type[forms.Form]
    save: Callable[..., Any]
    instance_arg: str
    title: Any
    singular: Any
    editors: frozenset[str]
    columns: tuple[tuple[Any, Callable[[Any], Any]], ...]
    filters: tuple[tuple[str, Any], ...] = ()
    pickable: bool = False

    def form_kwargs(self, *, instance: Any, roles: frozenset[str], municipality: Any) -> dict[str, Any]:
        """What this kind's form needs besides the data (pages and API alike)."""
        kwargs: dict[str, Any] = {"instance": instance}
        if self.key == "actors":
            kwargs["show_contacts"] = access.can_see_contacts(roles)
        if self.key == "network":
            kwargs["municipality"] = municipality
        return kwargs


def _roles(member: NetworkMember) -> str:
    return ", ".join(str(MunicipalRole(r).label) for r in member.roles)


KINDS: dict[str, Kind] = {
    "actors": Kind(
        "actors",
        Actor,
        ActorForm,
        services.actor_save,
        "item",
        _("Actores"),
        _("actor"),
        access.ACTOR_EDITORS,
        (
            (_("Nombre"), lambda a: a.name),
            (_("Tipo"), lambda a: a.get_kind_display()),
            (_("Organización"), lambda a: a.organisation),
            (_("Relevancia"), lambda a: a.get_relevance_display()),
            (_("Temas"), lambda a: ", ".join(t.code for t in a.themes.all())),
        ),
        (("kind", _("Tipo")), ("relevance", _("Relevancia")), ("theme", _("Tema")), ("place", _("Lugar"))),
        pickable=True,
    ),
    "places": Kind(
        "places",
        Place,
        PlaceForm,
        services.place_save,
        "place",
        _("Lugares"),
        _("lugar"),
        access.STRUCTURE_EDITORS,
        (
            (_("Código"), lambda p: p.code),
            (_("Nombre"), lambda p: p.name),
            (_("Nivel"), lambda p: p.level.name),
            (_("Dentro de"), lambda p: p.parent.name if p.parent else ""),
            (_("Población"), lambda p: p.population if p.population is not None else ""),
            (_("Mapa"), lambda p: _("sí") if p.geometry else ""),
        ),
        (("level", _("Nivel")),),
        pickable=True,
    ),
    "themes": Kind(
        "themes",
        Theme,
        ThemeForm,
        services.theme_save,
        "theme",
        _("Temas"),
        _("tema"),
        access.STRUCTURE_EDITORS,
        (
            (_("Código"), lambda t: t.code),
            (_("Nombre"), lambda t: t.name),
            (_("Nivel"), lambda t: [_("Eje"), _("Tema"), _("Subtema")][t.depth - 1]),
            (_("Dentro de"), lambda t: t.parent.name if t.parent else ""),
        ),
        (("parent", _("Dentro de")),),
        pickable=True,
    ),
    "areas": Kind(
        "areas",
        Area,
        AreaForm,
        services.area_save,
        "area",
        _("Áreas"),
        _("área"),
        access.STRUCTURE_EDITORS,
        (
            (_("Código"), lambda a: a.code),
            (_("Nombre"), lambda a: a.name),
            (_("Dentro de"), lambda a: a.parent.name if a.parent else ""),
        ),
    ),
    "positions": Kind(
        "positions",
        Position,
        PositionForm,
        services.position_save,
        "position",
        _("Cargos"),
        _("cargo"),
        access.STRUCTURE_EDITORS,
        ((_("Código"), lambda p: p.code), (_("Nombre"), lambda p: p.name), (_("Área"), lambda p: p.area.name)),
        (("area", _("Área")),),
    ),
    "network": Kind(
        "network",
        NetworkMember,
        NetworkMemberForm,
        services.network_member_save,
        "member",
        _("Red de gestión"),
        _("persona de la red"),
        access.STRUCTURE_EDITORS,
        (
            (_("Nombre"), lambda m: m.full_name),
            (_("Cargo"), lambda m: m.position.name if m.position else ""),
            (_("Área"), lambda m: m.position.area.name if m.position else ""),
            (_("Roles del método"), _roles),
            (_("Con cuenta"), lambda m: _("sí") if m.user_id else _("no")),
        ),
        (("role", _("Rol")),),
    ),
}
