"""What the regional team does to detected groups (public schema): rename, pin, merge,
split, dismiss, restore, and propose a lab. Every change is atomic, checks the group's
version (optimistic locking), writes a `ConsoleEvent` and bumps the version, so two people
working on the console never overwrite each other silently.

Cross-tenant code (DESIGN.md §4.6): it reads only the community index, never a tenant schema."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import ConsoleEvent, Group, GroupMember, IndexItem, LabProposal
from community.selectors import live_items
from tenants.accounts.models import User
from tenants.selectors import is_regional_team
from tenants.service_utils import lock
from tenants.structure.validation import clean_text
from tenants.text import fold

NAME_MAX = 200
REASON_MAX = 1000
DESCRIPTION_MAX = 5000
# A group joins municipalities: a part with fewer than this many is not a group.
MIN_MUNICIPALITIES = 2


def _require_console(actor: User | None) -> None:
    if not is_regional_team(actor):
        raise PermissionDenied(_("Solo el equipo regional puede gestionar los grupos."))


def _text(field: str, value: Any, *, max_length: int, required: bool = True) -> str:
    """A cleaned text, or a ValidationError naming `field`."""
    try:
        text = clean_text(value, max_length=max_length)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    if required and not text:
        raise ValidationError({field: [_("Este campo es obligatorio.")]})
    return text


def _locked(group: Group, version: int | None) -> Group:
    """The group re-read for update; a stale version is an error on the `version` field,
    so pages and the API can say exactly what happened."""
    try:
        return lock(group, version)
    except ValidationError as exc:
        raise ValidationError({"version": exc.messages}) from None


def _require_open(group: Group, field: str = "group") -> None:
    """Merged or vanished groups are history; dismissed ones must be restored first."""
    if not group.is_active:
        raise ValidationError(
            {field: [_("El grupo «%(name)s» ya no está activo (se unió a otro o dejó de detectarse).") % _n(group)]}
        )
    if group.dismissed_at is not None:
        raise ValidationError({field: [_("El grupo «%(name)s» está descartado; restáurelo primero.") % _n(group)]})


def _n(group: Group) -> dict[str, str]:
    return {"name": group.display_name}


def _save(group: Group, fields: list[str]) -> None:
    group.version += 1
    group.save(update_fields=[*fields, "version", "updated_at"])


def _event(group: Group, actor: User, action: str, **detail: Any) -> None:
    ConsoleEvent.objects.create(group=group, actor=actor, action=action, detail=detail)


def _unique(values: Iterable[Any]) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def _shared_reasons(reasons: dict[str, Any], items: Sequence[IndexItem]) -> dict[str, Any]:
    """Reasons for a part of a split: the SDG targets and platform themes that at least two
    of its items share, and the original's terms still found in two of them. Other keys
    detection stored are kept as they were."""

    def shared(values: Iterable[list[Any]]) -> list[Any]:
        counts: dict[Any, int] = {}
        for row in values:
            for value in set(row):
                counts[value] = counts.get(value, 0) + 1
        return sorted(v for v, n in counts.items() if n >= 2)

    texts = [fold(f"{i.title} {i.text}") for i in items]
    terms = [t for t in reasons.get("terms", []) if sum(fold(str(t)) in text for text in texts) >= 2]
    return {
        **reasons,
        "terms": terms,
        "sdg_targets": shared(i.sdg_targets for i in items),
        "themes": shared(i.platform_themes for i in items),
    }


# ---------------------------------------------------------------------------------------
# Simple edits


@transaction.atomic
def group_rename(*, actor: User, group: Group, name: str, version: int | None) -> Group:
    """The team's name for the group (empty goes back to the detected name). Renaming does
    not make it curated: detection may still adjust its members."""
    _require_console(actor)
    new_name = _text("name", name, max_length=NAME_MAX, required=False)
    group = _locked(group, version)
    old = group.display_name
    group.name = "" if new_name == group.auto_name else new_name
    _save(group, ["name"])
    _event(group, actor, "renamed", old=old, new=group.display_name)
    return group


@transaction.atomic
def group_pin(*, actor: User, group: Group, version: int | None = None) -> Group:
    """Pinned groups come first in the console."""
    return _set_pinned(actor=actor, group=group, pinned=True, version=version)


@transaction.atomic
def group_unpin(*, actor: User, group: Group, version: int | None = None) -> Group:
    return _set_pinned(actor=actor, group=group, pinned=False, version=version)


def _set_pinned(*, actor: User, group: Group, pinned: bool, version: int | None) -> Group:
    _require_console(actor)
    group = _locked(group, version)
    if group.pinned != pinned:
        group.pinned = pinned
        _save(group, ["pinned"])
        _event(group, actor, "pinned" if pinned else "unpinned")
    return group


# ---------------------------------------------------------------------------------------
# Merge and split


@transaction.atomic
def group_merge(*, actor: User, target: Group, others: Sequence[Group], version: int | None) -> Group:
    """Move the members of `others` into `target`. The others stay as history
    (merged_into=target, inactive); the target becomes curated, so detection no longer
    changes its members (it only reports what it would add)."""
    _require_console(actor)
    other_ids = sorted({g.pk for g in others})
    if not other_ids:
        raise ValidationError({"others": [_("Elija al menos otro grupo para unir.")]})
    if target.pk in other_ids:
        raise ValidationError({"others": [_("Un grupo no puede unirse consigo mismo.")]})
    target = _locked(target, version)
    _require_open(target, "target")
    # Lock in id order so that two merges touching the same groups cannot deadlock.
    locked = list(Group.objects.select_for_update().filter(pk__in=other_ids).order_by("pk"))
    if len(locked) != len(other_ids):
        raise ValidationError({"others": [_("Alguno de los grupos elegidos ya no existe.")]})
    for other in locked:
        _require_open(other, "others")
        if other.kind != target.kind:
            raise ValidationError(
                {
                    "others": [
                        _("«%(name)s» es de otro tipo: solo se unen temas con temas, o problemas con problemas.")
                        % _n(other)
                    ]
                }
            )
    present = set(GroupMember.objects.filter(group=target).values_list("item_id", flat=True))
    moved_keys: list[str] = []
    for member in GroupMember.objects.filter(group_id__in=other_ids).select_related("item").order_by("pk"):
        if member.item_id in present:
            member.delete()
            continue
        present.add(member.item_id)
        member.group = target
        member.save(update_fields=["group"])
        moved_keys.append(member.item.key)
    reasons = dict(target.reasons)
    for key in ("terms", "sdg_targets", "themes"):
        reasons[key] = _unique([*target.reasons.get(key, []), *(v for g in locked for v in g.reasons.get(key, []))])
    target.reasons = reasons
    target.curated = True
    _save(target, ["reasons", "curated"])
    for other in locked:
        other.merged_into = target
        other.is_active = False
        _save(other, ["merged_into", "is_active"])
        _event(other, actor, "merged_into", into=target.pk, into_name=target.display_name)
    _event(target, actor, "merged", groups=other_ids, names=[g.display_name for g in locked], added=moved_keys)
    return target


@transaction.atomic
def group_split(*, actor: User, group: Group, item_ids: Iterable[int], name: str, version: int | None = None) -> Group:
    """Move the chosen members into a new curated group of the same kind; answers the new
    group. Both parts keep at least one member and, because a group exists to connect
    municipalities, each must span at least two municipalities: a split that would leave a
    one-municipality part is refused (the team would otherwise create groups that no run
    would ever find, and a lab needs several municipalities)."""
    _require_console(actor)
    new_name = _text("name", name, max_length=NAME_MAX)
    chosen = {int(i) for i in item_ids}
    group = _locked(group, version)
    _require_open(group)
    members = list(GroupMember.objects.filter(group=group).select_related("item").order_by("pk"))
    by_item = {m.item_id: m for m in members}
    if not chosen:
        raise ValidationError({"item_ids": [_("Elija los miembros que pasan al nuevo grupo.")]})
    if not chosen <= by_item.keys():
        raise ValidationError({"item_ids": [_("Alguno de los elegidos no es miembro de este grupo.")]})
    moving = [by_item[i] for i in sorted(chosen)]
    staying = [m for m in members if m.item_id not in chosen]
    if not staying:
        raise ValidationError({"item_ids": [_("Deje al menos un miembro en el grupo original.")]})
    for part, label in ((moving, _("El nuevo grupo")), (staying, _("El grupo original"))):
        municipalities = {m.item.municipality_id for m in part if m.item.withdrawn_at is None}
        if len(municipalities) < MIN_MUNICIPALITIES:
            raise ValidationError(
                {
                    "item_ids": [
                        _(
                            "%(part)s quedaría con miembros de un solo municipio; un grupo debe reunir "
                            "al menos %(n)s municipios."
                        )
                        % {"part": label, "n": MIN_MUNICIPALITIES}
                    ]
                }
            )
    new = Group.objects.create(
        kind=group.kind,
        auto_name=new_name,
        name=new_name,
        strength=group.strength,
        reasons={**_shared_reasons(group.reasons, [m.item for m in moving]), "split_from": group.pk},
        change={},
        curated=True,
        first_run=group.last_run,
        last_run=group.last_run,
    )
    GroupMember.objects.filter(pk__in=[m.pk for m in moving]).update(group=new)
    group.reasons = _shared_reasons(group.reasons, [m.item for m in staying])
    group.curated = True
    _save(group, ["reasons", "curated"])
    keys = [m.item.key for m in moving]
    _event(group, actor, "split", new_group=new.pk, new_name=new.display_name, keys=keys)
    _event(new, actor, "split_from", from_group=group.pk, group_name=group.display_name, keys=keys)
    return new


# ---------------------------------------------------------------------------------------
# Dismiss and restore


@transaction.atomic
def group_dismiss(*, actor: User, group: Group, reason: str, version: int | None = None) -> Group:
    """Take a group off the console. Its current member keys are kept: detection brings it
    back only if its membership changes substantially against them."""
    _require_console(actor)
    text = _text("reason", reason, max_length=REASON_MAX)
    group = _locked(group, version)
    _require_open(group)
    group.dismissed_at = timezone.now()
    group.dismissed_by = actor
    group.dismissed_keys = sorted(
        f"{m}:{k}:{s}"
        for m, k, s in GroupMember.objects.filter(group=group).values_list(
            "item__municipality_id", "item__kind", "item__source_id"
        )
    )
    _save(group, ["dismissed_at", "dismissed_by", "dismissed_keys"])
    _event(group, actor, "dismissed", reason=text, keys=len(group.dismissed_keys))
    return group


@transaction.atomic
def group_restore(*, actor: User, group: Group, version: int | None = None) -> Group:
    _require_console(actor)
    group = _locked(group, version)
    if group.dismissed_at is None:
        raise ValidationError({"group": [_("El grupo «%(name)s» no está descartado.") % _n(group)]})
    group.dismissed_at = None
    group.dismissed_by = None
    group.dismissed_keys = []
    _save(group, ["dismissed_at", "dismissed_by", "dismissed_keys"])
    _event(group, actor, "restored")
    return group


# ---------------------------------------------------------------------------------------
# Labs


@transaction.atomic
def lab_propose(
    *, actor: User, group: Group, title: str, description: str = "", version: int | None = None
) -> LabProposal:
    """Store a lab proposal with a copy of the group's members as they are now (only what
    is still shared), so it survives later detection runs. The lab itself is a later issue."""
    _require_console(actor)
    clean_title = _text("title", title, max_length=NAME_MAX)
    clean_description = _text("description", description, max_length=DESCRIPTION_MAX, required=False)
    group = _locked(group, version)
    _require_open(group)
    items = (
        live_items()
        .filter(group_memberships__group=group)
        .select_related("municipality")
        .order_by("municipality__name", "kind", "title", "pk")
    )
    members = [
        {
            "key": item.key,
            "municipality": item.municipality.name,
            "country": item.country,
            "kind": item.kind,
            "title": item.title,
        }
        for item in items
    ]
    if not members:
        raise ValidationError({"group": [_("El grupo no tiene miembros compartidos; no se puede proponer.")]})
    proposal = LabProposal.objects.create(
        group=group,
        kind=group.kind,
        title=clean_title,
        description=clean_description,
        members=members,
        proposed_by=actor,
    )
    _event(group, actor, "lab", proposal=proposal.pk, title=clean_title, members=len(members))
    return proposal
