"""Writes on initiatives: register and edit, close programming (baseline), change status."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.initiatives import access, sharing
from tenants.initiatives.models import DateChange, DateChangeKind, Initiative, ProductKind, Status
from tenants.initiatives.services.common import changes, check_member, record
from tenants.service_utils import bump, check_date, label, lock, required
from tenants.structure.validation import clean_name, clean_text, collect, raise_if

INITIATIVE_FIELDS = (
    "name", "objective", "product_kind", "description", "manager_id", "follow_up_id", "population_reached",
    "budget", "funding_source", "start_date", "target_date", "is_public", "share_with_community",
)  # fmt: skip
# What the audit trail follows (accountability): dates, status, people, publicity.
AUDITED = (
    "name",
    "start_date",
    "target_date",
    "status",
    "manager_id",
    "follow_up_id",
    "is_public",
    "share_with_community",
)
MAX_BUDGET = Decimal("99999999999999.99")

# Allowed status changes by hand (draft → programmed happens by closing programming).
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.CANCELLED},
    Status.PROGRAMMED: {Status.IN_EXECUTION, Status.SUSPENDED, Status.CANCELLED},
    Status.IN_EXECUTION: {Status.COMPLETED, Status.SUSPENDED, Status.CANCELLED},
    Status.SUSPENDED: {Status.IN_EXECUTION, Status.CANCELLED},
    Status.COMPLETED: {Status.IN_EXECUTION},
    Status.CANCELLED: set(),
}


def _clean_budget(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError(_("Escriba un importe, por ejemplo 125000.50.")) from exc
    if amount < 0 or amount > MAX_BUDGET or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(_("Escriba un importe positivo con dos decimales como máximo."))
    return amount


def _clean_population(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 2_147_483_647:
        raise ValidationError(_("Escriba un número entero positivo."))
    return value


def _snapshot(initiative: Initiative) -> dict[str, Any]:
    return {name: getattr(initiative, name) for name in AUDITED}


def initiative_save(
    *, actor: User | None, data: Mapping[str, Any], initiative: Initiative | None = None, version: int | None = None
) -> Initiative:
    """Create or update an initiative. On update, keys missing from `data` keep their value;
    `version` (the one the form was read at) refuses to overwrite someone else's save."""
    with transaction.atomic():
        # Merge onto the locked current row, not the caller's copy: a field this save does
        # not touch keeps whatever someone else saved meanwhile.
        fresh = lock(initiative, version) if initiative is not None else None
        if fresh is None:
            access.require(access.can_program(actor))
        else:
            access.require(access.can_edit(actor, fresh))
        saved = _initiative_write(actor=actor, data=data, fresh=fresh)
    if initiative is not None:
        initiative.__dict__.update({k: getattr(saved, k) for k in (*INITIATIVE_FIELDS, "version")})
    return saved


def _initiative_write(*, actor: User | None, data: Mapping[str, Any], fresh: Initiative | None) -> Initiative:
    initiative = fresh
    current = {name: getattr(initiative, name) for name in INITIATIVE_FIELDS} if initiative else {}
    merged = {**current, **{k: v for k, v in data.items() if k in (*INITIATIVE_FIELDS, "themes", "places", "actors")}}
    errors: dict[str, list[str]] = {}
    name = collect(errors, "name", clean_name, merged.get("name", ""), max_length=200)
    objective = collect(errors, "objective", required, merged.get("objective"), max_length=4000)
    description = collect(errors, "description", clean_text, merged.get("description"), max_length=10000)
    funding = collect(errors, "funding_source", clean_text, merged.get("funding_source"), max_length=200)
    if merged.get("product_kind") not in ProductKind.values:
        errors["product_kind"] = [_("Elija el producto público esperado.")]
    check_member(errors, "manager_id", merged.get("manager_id"), required=True)
    check_member(errors, "follow_up_id", merged.get("follow_up_id"), required=False)
    budget = collect(errors, "budget", _clean_budget, merged.get("budget"))
    population = collect(errors, "population_reached", _clean_population, merged.get("population_reached"))
    start = check_date(errors, "start_date", merged.get("start_date"))
    target = check_date(errors, "target_date", merged.get("target_date"))
    if isinstance(start, date) and isinstance(target, date):
        if target < start:
            errors["target_date"] = [_("La fecha meta no puede ser anterior a la fecha de inicio.")]
        elif initiative is not None:
            span = initiative.milestones.aggregate(first=Min("due_date"), last=Max("due_date"))
            if span["last"] and target < span["last"]:
                errors["target_date"] = [
                    _("Hay metas intermedias con vencimiento hasta el %(date)s; la fecha meta no puede ser anterior.")
                    % {"date": span["last"].isoformat()}
                ]
            if span["first"] and start > span["first"]:
                errors["start_date"] = [
                    _("Hay metas intermedias que vencen el %(date)s; el inicio no puede ser posterior.")
                    % {"date": span["first"].isoformat()}
                ]
    for field in ("themes", "places", "actors"):
        for item in merged.get(field) or []:
            if not item.is_active and not (initiative and getattr(initiative, field).filter(pk=item.pk).exists()):
                errors[field] = [_("«%(item)s» está archivado; restáurelo o elija otro.") % {"item": item}]
    raise_if(errors)

    if initiative is None:
        target_obj = Initiative()
        was_shared = False
        before: dict[str, Any] = {}
    else:
        target_obj = initiative
        was_shared = target_obj.share_with_community
        before = _snapshot(target_obj)
        bump(target_obj)
    values = {
        "name": name,
        "objective": objective,
        "description": description,
        "funding_source": funding,
        "product_kind": merged["product_kind"],
        "manager_id": merged["manager_id"],
        "follow_up_id": merged.get("follow_up_id"),
        "budget": budget,
        "population_reached": population,
        "start_date": start,
        "target_date": target,
        "is_public": bool(merged.get("is_public")),
        # Shared by default when created (priority initiatives are the community's matter).
        "share_with_community": bool(merged.get("share_with_community", initiative is None)),
    }
    for key, value in values.items():
        setattr(target_obj, key, value)
    target_obj.save()
    for field in ("themes", "places", "actors"):
        if field in merged:
            getattr(target_obj, field).set(merged[field] or [])
    old, new = changes(before, _snapshot(target_obj))
    if initiative is None:
        record(actor=actor, action="initiative.created", initiative_id=target_obj.pk, after=_snapshot(target_obj))
    elif new:
        record(actor=actor, action="initiative.changed", initiative_id=target_obj.pk, before=old, after=new)
    sharing.share_initiative(target_obj, was_shared=was_shared)
    return target_obj


def programming_close(*, actor: User | None, initiative: Initiative) -> Initiative:
    """Close programming: today's due dates become the baseline and the initiative is
    programmed. From now on a date change is a reprogramming, with a reason."""
    access.require(access.can_edit(actor, initiative))
    caller = initiative
    with transaction.atomic():
        initiative = lock(initiative, None)
        if initiative.programming_closed_at is not None:
            raise ValidationError(_("La programación de esta iniciativa ya está cerrada."))
        if initiative.status in (Status.COMPLETED, Status.CANCELLED):
            raise ValidationError(_("La iniciativa está cerrada; no se programa."))
        milestones = list(initiative.milestones.select_for_update())
        if not milestones:
            raise ValidationError(_("Programe al menos una meta intermedia antes de cerrar la programación."))
        for milestone in milestones:
            milestone.baseline_due_date = milestone.due_date
            milestone.save(update_fields=["baseline_due_date", "updated_at"])
        DateChange.objects.bulk_create(
            DateChange(
                milestone=m, kind=DateChangeKind.BASELINE, new_due_date=m.due_date,
                actor_id=actor.pk if actor else None, actor_label=label(actor),
            )
            for m in milestones
        )  # fmt: skip
        before = _snapshot(initiative)
        initiative.programming_closed_at = timezone.now()
        if initiative.status == Status.DRAFT:
            initiative.status = Status.PROGRAMMED
        bump(initiative)
        initiative.save()
        record(
            actor=actor, action="initiative.programming_closed", initiative_id=initiative.pk,
            before={"status": before["status"]}, after={"status": initiative.status},
            baseline={str(m.pk): m.due_date.isoformat() for m in milestones},
        )  # fmt: skip
        sharing.share_initiative(initiative, was_shared=initiative.share_with_community)
    caller.__dict__.update({k: getattr(initiative, k) for k in ("status", "programming_closed_at", "version")})
    return initiative


def initiative_set_status(
    *, actor: User | None, initiative: Initiative, status: str, comment: str = "", version: int | None = None
) -> Initiative:
    access.require(access.can_edit(actor, initiative))
    errors: dict[str, list[str]] = {}
    note = collect(errors, "comment", clean_text, comment, max_length=2000)
    if status not in Status.values:
        errors["status"] = [_("Elija un estado.")]
    raise_if(errors)
    with transaction.atomic():
        initiative = lock(initiative, version)
        allowed = TRANSITIONS[initiative.status]
        if status == Status.PROGRAMMED and initiative.status == Status.DRAFT:
            raise ValidationError({"status": [_("Para programarla, cierre la programación (fija la línea base).")]})
        if status not in allowed:
            raise ValidationError(
                {
                    "status": [
                        _("Una iniciativa «%(current)s» no puede pasar a «%(new)s».")
                        % {"current": Status(initiative.status).label, "new": Status(status).label}
                    ]
                }
            )
        if status == Status.COMPLETED and initiative.milestones.filter(completed_on__isnull=True).exists():
            raise ValidationError({"status": [_("Quedan metas intermedias sin cumplir.")]})
        if status in (Status.SUSPENDED, Status.CANCELLED) and not note:
            raise ValidationError({"comment": [_("Explique el motivo de la suspensión o cancelación.")]})
        old = initiative.status
        initiative.status = status
        bump(initiative)
        initiative.save()
        record(
            actor=actor, action="initiative.status", initiative_id=initiative.pk,
            before={"status": old}, after={"status": status}, comment=note or None,
        )  # fmt: skip
        sharing.share_initiative(initiative, was_shared=initiative.share_with_community)
    return initiative
