"""Writes on the municipal structure. One function per entity saves (creates or updates)
after validating everything it is given; the forms, the API and the bulk import all call
these, so every rule lives here once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.audit import audit
from tenants.db import current_municipality
from tenants.models import Membership
from tenants.roles import MunicipalRole
from tenants.structure import access
from tenants.structure.models import (
    Actor,
    ActorKind,
    Area,
    NetworkMember,
    Place,
    PlaceLevel,
    PlaceLevelSet,
    Position,
    Relevance,
    Theme,
)
from tenants.structure.validation import (
    MAX_THEME_DEPTH,
    clean_code,
    clean_colour,
    clean_geometry,
    clean_name,
    clean_text,
    collect,
    raise_if,
)

M = TypeVar("M", bound=models.Model)
MAX_INT = 2_147_483_647  # PostgreSQL integer
CONTACT_FIELDS = ("email", "phone", "address")
ACTOR_FIELDS = ("kind", "name", "organisation", "position", *CONTACT_FIELDS, "relevance", "notes", "themes", "places")


def _code_taken(model: type[models.Model], code: str, instance: models.Model | None) -> bool:
    others = model._default_manager.filter(code__iexact=code)
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    return bool(others.exists())


def _check_code(
    errors: dict[str, list[str]],
    model: type[models.Model],
    data: Mapping[str, Any],
    instance: Any,
    max_length: int = 20,
) -> str | None:
    code = collect(errors, "code", clean_code, data.get("code", ""), max_length=max_length)
    if code and _code_taken(model, code, instance):
        errors["code"] = [_("Ya existe un registro con el código «%(code)s».") % {"code": code}]
    return code  # type: ignore[no-any-return]


def _ancestors_include(node: Any, candidate: Any) -> bool:
    """True if `candidate` is `node` or one of its descendants, i.e. making it the parent
    of `node` would close a cycle."""
    seen = set()
    while candidate is not None:
        if node.pk is not None and candidate.pk == node.pk:
            return True
        if candidate.pk in seen:  # a cycle already in the data: refuse rather than loop
            return True
        seen.add(candidate.pk)
        candidate = candidate.parent
    return False


def _with_current(instance: models.Model, data: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """An update changes only what it is given: a key missing from `data` (a column an import
    file does not have, a field a PATCH leaves out) keeps the item's current value."""
    merged = dict(data)
    if instance.pk:
        for name in fields:
            if name not in merged:
                value = getattr(instance, name)
                merged[name] = list(value.all()) if hasattr(value, "all") else value
    return merged


def _check_picked(errors: dict[str, list[str]], field: str, value: Any, current: Any) -> None:
    """Archived items stay linked to what already pointed at them, but cannot be newly chosen."""
    if value is not None and not getattr(value, "is_active", True) and value != current:
        errors[field] = [_("«%(item)s» está archivado; restáurelo o elija otro.") % {"item": value}]


def _save(instance: M, *, actor: User | None, action: str, record: bool) -> M:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:  # a concurrent duplicate slipped past the checks
        raise ValidationError({"code": [_("Ya existe un registro con ese código.")]}) from exc
    if record:
        audit(actor=actor, action=action, object_type=instance._meta.model_name or "", object_id=instance.pk)
    return instance


def _subtree_height(theme: Theme) -> int:
    children = list(theme.children.all()) if theme.pk else []
    return 1 + max((_subtree_height(child) for child in children), default=0)


def _set_depths(theme: Theme) -> None:
    for child in theme.children.all():
        child.depth = theme.depth + 1
        child.save(update_fields=["depth"])
        _set_depths(child)


def theme_save(
    *, actor: User | None, data: Mapping[str, Any], theme: Theme | None = None, record: bool = True
) -> Theme:
    access.require(actor, access.STRUCTURE_EDITORS)
    theme = theme or Theme()
    data = _with_current(theme, data, ("code", "name", "description", "colour", "parent"))
    errors: dict[str, list[str]] = {}
    code = _check_code(errors, Theme, data, theme)
    name = collect(errors, "name", clean_name, data.get("name", ""))
    colour = collect(errors, "colour", clean_colour, data.get("colour", ""))
    parent: Theme | None = data.get("parent")
    _check_picked(errors, "parent", parent, theme.parent if theme.pk else None)
    collect(errors, "description", clean_text, data.get("description"), max_length=5000)
    if parent is not None and "parent" not in errors:
        if _ancestors_include(theme, parent):
            errors["parent"] = [_("Un tema no puede quedar debajo de sí mismo ni de uno de sus subtemas.")]
        elif parent.depth + _subtree_height(theme) > MAX_THEME_DEPTH:
            errors["parent"] = [_("Los temas tienen como máximo tres niveles: eje, tema y subtema.")]
    raise_if(errors)
    theme.code, theme.name, theme.colour, theme.parent = code, name, colour, parent  # type: ignore[assignment]
    theme.description = (data.get("description") or "").strip()
    theme.depth = parent.depth + 1 if parent else 1
    with transaction.atomic():
        _save(theme, actor=actor, action="theme.save", record=record)
        _set_depths(theme)
    return theme


def place_level_set_save(
    *, actor: User | None, name: str, levels: list[str], level_set: PlaceLevelSet | None = None
) -> PlaceLevelSet:
    """Create a set of place levels (widest first), or change it: rename the set or its
    levels, and add levels at the end. Levels are never removed or reordered (places use
    them), so the list given for an existing set starts with as many names as it has."""
    access.require(actor, access.STRUCTURE_EDITORS)
    errors: dict[str, list[str]] = {}
    clean = collect(errors, "name", clean_name, name, max_length=80)
    names = [n.strip() for n in levels if n.strip()]
    if any(len(n) > 60 for n in names):
        errors["levels"] = [_("Cada nivel admite como máximo 60 caracteres.")]
    elif not names:
        errors["levels"] = [_("Indique al menos un nivel, del más amplio al más pequeño.")]
    elif len({n.lower() for n in names}) != len(names):
        errors["levels"] = [_("Los nombres de nivel no pueden repetirse.")]
    others = PlaceLevelSet.objects.filter(name__iexact=clean or "")
    if level_set is not None:
        others = others.exclude(pk=level_set.pk)
        if names and len(names) < level_set.levels.count():
            errors["levels"] = [
                _("Los niveles existentes no se pueden quitar; cámbieles el nombre o agregue nuevos al final.")
            ]
    if clean and others.exists():
        errors["name"] = [_("Ya existe un conjunto de niveles con ese nombre.")]
    raise_if(errors)
    with transaction.atomic():
        level_set = level_set or PlaceLevelSet()
        level_set.name = clean  # type: ignore[assignment]
        level_set.save()
        existing = {level.rank: level for level in level_set.levels.all()}
        for rank, level_name in enumerate(names, start=1):
            level = existing.get(rank)
            if level is None:
                PlaceLevel.objects.create(level_set=level_set, name=level_name, rank=rank)
            elif level.name != level_name:
                level.name = level_name
                level.save(update_fields=["name"])
        audit(actor=actor, action="place_levels.save", object_type="placelevelset", object_id=level_set.pk)
    return level_set


def place_save(
    *, actor: User | None, data: Mapping[str, Any], place: Place | None = None, record: bool = True
) -> Place:
    access.require(actor, access.STRUCTURE_EDITORS)
    place = place or Place()
    data = _with_current(place, data, ("code", "name", "level", "parent", "population", "geometry"))
    errors: dict[str, list[str]] = {}
    code = _check_code(errors, Place, data, place, max_length=30)
    name = collect(errors, "name", clean_name, data.get("name", ""))
    level: PlaceLevel | None = data.get("level")
    parent: Place | None = data.get("parent")
    geometry = collect(errors, "geometry", clean_geometry, data.get("geometry"))
    population = data.get("population")
    _check_picked(errors, "parent", parent, place.parent if place.pk else None)
    if level is None:
        errors["level"] = [_("Elija el nivel del lugar.")]
    elif parent is not None:
        if parent.level.level_set_id != level.level_set_id:
            errors["parent"] = [
                _("El lugar superior pertenece a otro conjunto de niveles (%(other)s).")
                % {"other": parent.level.level_set}
            ]
        elif parent.level.rank >= level.rank:
            errors["parent"] = [
                _("El lugar superior debe ser de un nivel más amplio que %(level)s.") % {"level": level}
            ]
        elif _ancestors_include(place, parent):
            errors["parent"] = [_("Un lugar no puede quedar dentro de sí mismo.")]
    if population is not None and (not isinstance(population, int) or not 0 <= population <= MAX_INT):
        errors["population"] = [_("La población debe ser un número entero positivo.")]
    if place.pk and level is not None and place.level_id != level.pk and place.children.exists():
        errors["level"] = [_("No se puede cambiar el nivel de un lugar que contiene otros lugares.")]
    raise_if(errors)
    place.code, place.name, place.level, place.parent = code, name, level, parent  # type: ignore[assignment]
    place.population, place.geometry = population, geometry
    return _save(place, actor=actor, action="place.save", record=record)


def _active_only(items: Iterable[M], field: str, errors: dict[str, list[str]], previous: Iterable[M] = ()) -> list[M]:
    """Archived items may stay linked (history) but cannot be newly picked."""
    kept = {getattr(i, "pk", None) for i in previous}
    items = list(items)
    archived = [str(i) for i in items if not getattr(i, "is_active", True) and i.pk not in kept]
    if archived:
        errors[field] = [_("Estos elementos están archivados: %(items)s.") % {"items": ", ".join(archived)}]
    return items


def actor_save(*, actor: User | None, data: Mapping[str, Any], item: Actor | None = None, record: bool = True) -> Actor:
    access.require(actor, access.ACTOR_EDITORS)
    item = item or Actor()
    data = _with_current(item, data, ACTOR_FIELDS)
    if not access.can_see_contacts(access.roles_of(actor)):
        # Contact data is personal: who may not read it may not write or erase it either.
        data.update({name: getattr(item, name) if item.pk else "" for name in CONTACT_FIELDS})
    errors: dict[str, list[str]] = {}
    name = collect(errors, "name", clean_name, data.get("name", ""), max_length=200)
    for field, limit in (("organisation", 200), ("position", 150), ("phone", 40), ("address", 250), ("notes", 5000)):
        collect(errors, field, clean_text, data.get(field), max_length=limit)
    kind = data.get("kind")
    if kind not in ActorKind.values:
        errors["kind"] = [_("Elija el tipo de actor: persona, institución o grupo de población.")]
    relevance = data.get("relevance") or Relevance.MEDIUM
    if relevance not in Relevance.values:
        errors["relevance"] = [_("Elija la relevancia: alta, media o baja.")]
    email = (data.get("email") or "").strip().lower()
    if email:
        collect(errors, "email", validate_email, email)
    themes = _active_only(data.get("themes", []), "themes", errors, item.themes.all() if item.pk else ())
    places = _active_only(data.get("places", []), "places", errors, item.places.all() if item.pk else ())
    raise_if(errors)
    item.name, item.kind, item.relevance, item.email = name, kind, relevance, email  # type: ignore[assignment]
    for field in ("organisation", "position", "phone", "address", "notes"):
        setattr(item, field, (data.get(field) or "").strip())
    with transaction.atomic():
        _save(item, actor=actor, action="actor.save", record=record)
        item.themes.set(themes)
        item.places.set(places)
    return item


def area_save(*, actor: User | None, data: Mapping[str, Any], area: Area | None = None, record: bool = True) -> Area:
    access.require(actor, access.STRUCTURE_EDITORS)
    area = area or Area()
    data = _with_current(area, data, ("code", "name", "parent"))
    errors: dict[str, list[str]] = {}
    code = _check_code(errors, Area, data, area)
    name = collect(errors, "name", clean_name, data.get("name", ""))
    parent: Area | None = data.get("parent")
    _check_picked(errors, "parent", parent, area.parent if area.pk else None)
    if parent is not None and _ancestors_include(area, parent):
        errors["parent"] = [_("Un área no puede quedar debajo de sí misma ni de una de sus dependencias.")]
    raise_if(errors)
    area.code, area.name, area.parent = code, name, parent  # type: ignore[assignment]
    return _save(area, actor=actor, action="area.save", record=record)


def position_save(
    *, actor: User | None, data: Mapping[str, Any], position: Position | None = None, record: bool = True
) -> Position:
    access.require(actor, access.STRUCTURE_EDITORS)
    position = position or Position()
    data = _with_current(position, data, ("code", "name", "area"))
    errors: dict[str, list[str]] = {}
    code = _check_code(errors, Position, data, position)
    name = collect(errors, "name", clean_name, data.get("name", ""))
    area: Area | None = data.get("area")
    _check_picked(errors, "area", area, position.area if position.pk else None)
    if area is None:
        errors["area"] = [_("Elija el área del cargo.")]
    raise_if(errors)
    position.code, position.name, position.area = code, name, area  # type: ignore[assignment]
    return _save(position, actor=actor, action="position.save", record=record)


def network_member_save(
    *, actor: User | None, data: Mapping[str, Any], member: NetworkMember | None = None, record: bool = True
) -> NetworkMember:
    """Save a person of the management network. When the person has an account in this
    municipality, the method roles held here are also their access roles: linking gives
    them, unlinking takes them away."""
    access.require(actor, access.STRUCTURE_EDITORS)
    member = member or NetworkMember()
    municipality = current_municipality()
    previous_user = User.objects.filter(pk=member.user_id).first() if member.user_id else None
    data = _with_current(member, data, ("full_name", "email", "phone", "position", "roles"))
    if "user" not in data:
        data["user"] = previous_user
    errors: dict[str, list[str]] = {}
    full_name = collect(errors, "full_name", clean_name, data.get("full_name", ""))
    email = (data.get("email") or "").strip().lower()
    if email:
        collect(errors, "email", validate_email, email)
    collect(errors, "phone", clean_text, data.get("phone"), max_length=40)
    roles = sorted(set(data.get("roles") or []))
    unknown = [r for r in roles if r not in MunicipalRole.values]
    if unknown:
        errors["roles"] = [_("Rol desconocido: %(roles)s.") % {"roles": ", ".join(unknown)}]
    _check_picked(errors, "position", data.get("position"), member.position if member.pk else None)
    user: User | None = data.get("user")
    if user is not None:
        if not Membership.objects.filter(user=user, municipality=municipality).exists():
            errors["user"] = [_("La cuenta elegida no es miembro de este municipio; invítela primero.")]
        elif NetworkMember.objects.filter(user_id=user.pk).exclude(pk=member.pk).exists():
            errors["user"] = [_("Esa cuenta ya está vinculada a otra persona de la red.")]
        elif not roles:
            errors["roles"] = [
                _("Una persona con cuenta necesita al menos un rol; para quitarle el acceso, desvincule la cuenta.")
            ]
    raise_if(errors)
    member.full_name, member.email, member.roles = full_name, email, roles  # type: ignore[assignment]
    member.phone = (data.get("phone") or "").strip()
    member.position = data.get("position")
    member.user_id = user.pk if user is not None else None
    from tenants.services import membership_set_roles

    with transaction.atomic():
        _save(member, actor=actor, action="network_member.save", record=record)
        if previous_user is not None and previous_user != user:
            membership_set_roles(actor=actor, municipality=municipality, user=previous_user, roles=[])
        if user is not None and member.is_active:
            membership_set_roles(actor=actor, municipality=municipality, user=user, roles=roles)
    return member


def network_roles_follow_membership(*, user: User) -> None:
    """After a person's access roles change on the members page, the network shows them."""
    roles = sorted(
        Membership.objects.filter(user=user, municipality=current_municipality()).values_list("role", flat=True)
    )
    NetworkMember.objects.filter(user_id=user.pk).update(roles=roles)


ARCHIVE_EDITORS: dict[type[models.Model], frozenset[str]] = {
    Theme: access.STRUCTURE_EDITORS,
    Place: access.STRUCTURE_EDITORS,
    Actor: access.ACTOR_EDITORS,
    Area: access.STRUCTURE_EDITORS,
    Position: access.STRUCTURE_EDITORS,
    NetworkMember: access.STRUCTURE_EDITORS,
}


def set_active(*, actor: User | None, item: M, active: bool) -> M:
    """Archive (or restore) an item. Archived items keep their links to history but leave
    the pickers; an archived network member with an account loses access, and gets their
    roles back when restored."""
    access.require(actor, ARCHIVE_EDITORS[type(item)])
    with transaction.atomic():
        item.is_active = active  # type: ignore[attr-defined]
        item.save(update_fields=["is_active", "updated_at"])
        if isinstance(item, NetworkMember) and item.user_id:
            from tenants.services import membership_set_roles

            user = User.objects.get(pk=item.user_id)
            roles = item.roles if active else []
            membership_set_roles(
                actor=actor, municipality=current_municipality(), user=user, roles=roles, restore=active
            )
    audit(
        actor=actor,
        action="archive" if not active else "restore",
        object_type=item._meta.model_name or "",
        object_id=item.pk,
    )
    return item
