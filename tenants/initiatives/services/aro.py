"""Alerts, restrictions and opportunities (ARO): raise, escalate, send back, decide, close.
Every step is a movement in the ARO's history and a row in the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.db import local_today
from tenants.initiatives import access, sharing
from tenants.initiatives.models import Aro, AroKind, AroMovement, AroStep, AroType, Initiative, Milestone, Status
from tenants.initiatives.services.common import lock_initiative, record
from tenants.service_utils import bump, label, lock, required
from tenants.structure.validation import clean_name, clean_text, collect, raise_if

TOP_LEVEL = 3


def _move(
    aro: Aro, *, actor: User | None, step: str, from_level: int | None, to_level: int | None, comment: str
) -> None:
    AroMovement.objects.create(
        aro=aro, step=step, from_level=from_level, to_level=to_level, comment=comment,
        actor_id=actor.pk if actor else None, actor_label=label(actor),
    )  # fmt: skip


def aro_raise(
    *,
    actor: User | None,
    initiative: Initiative,
    kind: str,
    aro_type: AroType | None,
    description: str,
    milestone: Milestone | None = None,
    proposed_action: str = "",
    required_decision: str = "",
    share_with_community: bool = True,
) -> Aro:
    initiative = Initiative.objects.get(pk=initiative.pk)
    access.require(access.can_edit(actor, initiative))
    errors: dict[str, list[str]] = {}
    text = collect(errors, "description", required, description, max_length=4000)
    action = collect(errors, "proposed_action", clean_text, proposed_action, max_length=4000)
    decision = collect(errors, "required_decision", clean_text, required_decision, max_length=4000)
    if kind not in AroKind.values:
        errors["kind"] = [_("Elija alerta, restricción u oportunidad.")]
    if aro_type is None or not aro_type.is_active:
        errors["aro_type"] = [_("Elija un tipo de problema activo.")]
    if initiative.status in (Status.COMPLETED, Status.CANCELLED):
        errors["__all__"] = [_("La iniciativa está cerrada; no admite nuevas ARO.")]
    if milestone is not None and milestone.initiative_id != initiative.pk:
        errors["milestone"] = [_("Elija una meta intermedia de esta iniciativa.")]
    raise_if(errors)
    assert aro_type is not None
    with transaction.atomic():
        aro = Aro.objects.create(
            initiative=initiative, milestone=milestone, kind=kind, aro_type=aro_type, description=text,
            proposed_action=action, required_decision=decision, raised_on=local_today(),
            raised_by_id=actor.pk if actor else None, raised_by_label=label(actor),
            share_with_community=share_with_community and kind == AroKind.RESTRICTION,
        )  # fmt: skip
        _move(aro, actor=actor, step=AroStep.RAISED, from_level=None, to_level=aro.level, comment="")
        record(
            actor=actor, action="aro.raised", initiative_id=initiative.pk, aro=aro.pk, kind=kind,
            milestone=milestone.pk if milestone else None, after={"level": aro.level},
        )  # fmt: skip
        sharing.share_aro(aro, was_shared=False)
    return aro


def _open_for_action(aro: Aro, actor: User | None, version: int | None) -> Aro:
    fresh = lock(aro, version)
    if not fresh.is_open:
        raise ValidationError(_("Esta ARO ya está cerrada."))
    access.require_level(actor, fresh)
    return fresh


def _change_level(*, actor: User | None, aro: Aro, comment: str, version: int | None, up: bool) -> Aro:
    """Move an ARO one level up (escalate) or down (send back), with the comment that tells
    the receiving level why; the level it lands on owes a decision."""
    edge, step, action = (
        (TOP_LEVEL, AroStep.ESCALATED, "aro.escalated") if up else (1, AroStep.DEESCALATED, "aro.deescalated")
    )
    refusal = (
        _("Ya está en el nivel 3, el despacho del titular: no se puede escalar más.")
        if up
        else _("Ya está en el nivel 1: no se puede devolver más abajo.")
    )
    errors: dict[str, list[str]] = {}
    note = collect(errors, "comment", required, comment, max_length=2000)
    if aro.level == edge:
        errors["comment"] = [refusal]
    raise_if(errors)
    with transaction.atomic():
        fresh = _open_for_action(aro, actor, version)
        if fresh.level == edge:  # moved by someone else since it was read
            raise ValidationError({"comment": [refusal]})
        old = fresh.level
        fresh.level, fresh.awaiting_decision = old + (1 if up else -1), True
        bump(fresh)
        fresh.save()
        _move(fresh, actor=actor, step=step, from_level=old, to_level=fresh.level, comment=note)
        record(
            actor=actor, action=action, initiative_id=fresh.initiative_id, aro=fresh.pk,
            before={"level": old}, after={"level": fresh.level}, comment=note,
        )  # fmt: skip
        sharing.share_aro(fresh)
    return fresh


def aro_escalate(*, actor: User | None, aro: Aro, comment: str, version: int | None = None) -> Aro:
    return _change_level(actor=actor, aro=aro, comment=comment, version=version, up=True)


def aro_deescalate(*, actor: User | None, aro: Aro, comment: str, version: int | None = None) -> Aro:
    """Send an ARO back down a level (with instructions): the lower level owns it again."""
    return _change_level(actor=actor, aro=aro, comment=comment, version=version, up=False)


def aro_decide(*, actor: User | None, aro: Aro, decision: str, version: int | None = None) -> Aro:
    errors: dict[str, list[str]] = {}
    text = collect(errors, "decision", required, decision, max_length=4000)
    raise_if(errors)
    with transaction.atomic():
        fresh = _open_for_action(aro, actor, version)
        old = fresh.decision
        fresh.decision, fresh.awaiting_decision = text, False
        fresh.decided_at, fresh.decided_by_label = timezone.now(), label(actor)
        bump(fresh)
        fresh.save()
        _move(fresh, actor=actor, step=AroStep.DECIDED, from_level=fresh.level, to_level=fresh.level, comment=text)
        record(
            actor=actor, action="aro.decided", initiative_id=fresh.initiative_id, aro=fresh.pk, level=fresh.level,
            before={"decision": old}, after={"decision": text},
        )  # fmt: skip
    return fresh


def aro_close(*, actor: User | None, aro: Aro, resolution: str, version: int | None = None) -> Aro:
    """Close an ARO with its resolution. A restriction whose milestone is late can only be
    closed once the milestone was reprogrammed for it or a decision was recorded."""
    errors: dict[str, list[str]] = {}
    text = collect(errors, "resolution", required, resolution, max_length=4000)
    raise_if(errors)
    with transaction.atomic():
        fresh = _open_for_action(aro, actor, version)
        milestone = fresh.milestone
        if (
            fresh.kind == AroKind.RESTRICTION
            and milestone is not None
            and milestone.completed_on is None
            and milestone.due_date < local_today()
            and not fresh.decision
            and not fresh.reprogrammings.filter(milestone=milestone, new_due_date__gte=local_today()).exists()
        ):
            raise ValidationError(
                {
                    "resolution": [
                        _(
                            "La meta «%(name)s» está atrasada: reprográmela indicando esta restricción, "
                            "o registre una decisión, antes de cerrar."
                        )
                        % {"name": milestone.name}
                    ]
                }
            )
        fresh.is_open, fresh.awaiting_decision = False, False
        fresh.resolution, fresh.closed_on = text, local_today()
        bump(fresh)
        fresh.save()
        _move(fresh, actor=actor, step=AroStep.CLOSED, from_level=fresh.level, to_level=None, comment=text)
        record(
            actor=actor, action="aro.closed", initiative_id=fresh.initiative_id, aro=fresh.pk,
            before={"is_open": True}, after={"is_open": False}, resolution=text,
        )  # fmt: skip
        sharing.share_aro(fresh)
    return fresh


def aro_set_shared(*, actor: User | None, aro: Aro, shared: bool) -> Aro:
    """Share a restriction with the community (to detect problems that repeat across
    municipalities), or stop sharing it: the community index then forgets it."""
    with transaction.atomic():
        # The initiative first (as every sharing decision does), then the restriction.
        initiative = lock_initiative(aro.initiative_id)
        fresh = lock(aro, None)
        fresh.initiative = initiative
        access.require(access.can_edit(actor, fresh.initiative))
        if fresh.kind != AroKind.RESTRICTION:
            raise ValidationError(_("Solo las restricciones se comparten con la comunidad."))
        was_shared = sharing.restriction_shared(fresh)
        if fresh.share_with_community == shared:
            return fresh
        fresh.share_with_community = shared
        bump(fresh)
        fresh.save()
        record(
            actor=actor, action="aro.sharing", initiative_id=fresh.initiative_id, aro=fresh.pk,
            before={"share_with_community": not shared}, after={"share_with_community": shared},
        )  # fmt: skip
        sharing.share_aro(fresh, was_shared=was_shared, initiative=initiative)
    return fresh


def aro_type_save(*, actor: User | None, data: dict[str, Any], aro_type: AroType | None = None) -> AroType:
    access.require(access.can_edit_settings(actor))
    errors: dict[str, list[str]] = {}
    name = collect(errors, "name", clean_name, data.get("name", aro_type.name if aro_type else ""), max_length=80)
    others = AroType.objects.filter(name__iexact=name)
    if aro_type is not None:
        others = others.exclude(pk=aro_type.pk)
    if name and others.exists():
        errors["name"] = [_("Ya existe un tipo con ese nombre.")]
    raise_if(errors)
    with transaction.atomic():
        target = aro_type or AroType()
        if target.pk and target.name != name:
            target.key = None  # renamed by the municipality: its own words from now on
        target.name = name
        target.is_active = bool(data.get("is_active", True))
        target.save()
        from tenants.audit import audit

        audit(actor=actor, action="aro_type.saved", object_type="aro_type", object_id=target.pk, name=name)
    return target
