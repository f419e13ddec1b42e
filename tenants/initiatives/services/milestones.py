"""Writes on milestones: program, reprogram (with history), complete with evidence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.db import local_today
from tenants.initiatives import access, sharing
from tenants.initiatives.models import Aro, AroKind, DateChange, DateChangeKind, Initiative, Milestone, Status
from tenants.initiatives.services.common import check_member, lock_initiative, record
from tenants.service_utils import bump, label, lock, required
from tenants.structure.validation import clean_name, clean_text, collect, raise_if
from tenants.uploads import check_upload

MILESTONE_FIELDS = (
    "name", "description", "due_date", "responsible_id", "weight", "risks", "communication_opportunity", "position",
)  # fmt: skip
CLOSED_STATUSES = (Status.COMPLETED, Status.CANCELLED)


def _cycle_through(
    milestone_pk: int | None, predecessors: Iterable[Milestone], initiative: Initiative
) -> Milestone | None:
    """A predecessor that already depends (directly or not) on this milestone: choosing it
    would close a cycle. Walks the initiative's graph in memory (one query)."""
    if milestone_pk is None:
        return None
    edges: dict[int, list[int]] = {}
    for src, dst in Milestone.depends_on.through.objects.filter(from_milestone__initiative=initiative).values_list(
        "from_milestone_id", "to_milestone_id"
    ):
        edges.setdefault(src, []).append(dst)
    for start in predecessors:
        stack, seen = [start.pk], set()
        while stack:
            node = stack.pop()
            if node == milestone_pk:
                return start
            if node in seen:
                continue
            seen.add(node)
            stack.extend(edges.get(node, []))
    return None


def _check_dates(
    errors: dict[str, list[str]],
    initiative: Initiative,
    due: Any,
    predecessors: list[Milestone],
    milestone: Milestone | None,
) -> None:
    if not isinstance(due, date):
        errors["due_date"] = [_("Indique la fecha de cumplimiento.")]
        return
    if due > initiative.target_date:
        errors["due_date"] = [
            _("Vence después de la fecha meta de la iniciativa (%(date)s).")
            % {"date": initiative.target_date.isoformat()}
        ]
    elif due < initiative.start_date:
        errors["due_date"] = [
            _("Vence antes del inicio de la iniciativa (%(date)s).") % {"date": initiative.start_date.isoformat()}
        ]
    late_preds = [p for p in predecessors if p.due_date > due]
    if late_preds:
        errors["due_date"] = [
            _("Depende de «%(name)s», que vence el %(date)s: no puede vencer antes.")
            % {"name": late_preds[0].name, "date": late_preds[0].due_date.isoformat()}
        ]
    if milestone is not None and milestone.pk:
        early_succ = [s for s in milestone.successors.all() if s.due_date < due]
        if early_succ:
            errors["due_date"] = [
                _("«%(name)s» depende de esta meta y vence el %(date)s; reprograme esa primero.")
                % {"name": early_succ[0].name, "date": early_succ[0].due_date.isoformat()}
            ]


def _clean_weight(value: Any) -> int:
    if value in (None, ""):
        return 1
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
        raise ValidationError(_("El peso es un número entero de 1 a 100."))
    return value


def milestone_save(
    *,
    actor: User | None,
    initiative: Initiative,
    data: Mapping[str, Any],
    milestone: Milestone | None = None,
    version: int | None = None,
) -> Milestone:
    """Program a milestone, or change it. On update, keys missing from `data` keep the
    milestone's current value; `version` refuses to overwrite someone else's save."""
    caller = milestone
    with transaction.atomic():
        # The initiative's row is the lock every milestone write queues on, so the checks
        # below (cycles, date order, programming closed) see a state nobody changes meanwhile.
        initiative = lock_initiative(initiative.pk)
        access.require(access.can_edit(actor, initiative))
        if milestone is not None and milestone.initiative_id != initiative.pk:
            raise ValidationError(_("Esta meta intermedia pertenece a otra iniciativa."))
        if initiative.status in CLOSED_STATUSES:
            raise ValidationError(_("La iniciativa está cerrada; no se pueden cambiar sus metas intermedias."))
        fresh = lock(milestone, version) if milestone is not None else None
        current: dict[str, Any] = {}
        if fresh is not None:
            current = {name: getattr(fresh, name) for name in MILESTONE_FIELDS}
            for rel in ("depends_on", "places", "actors"):
                current[rel] = list(getattr(fresh, rel).all())
        merged = {**current, **data}
        errors: dict[str, list[str]] = {}
        name = collect(errors, "name", clean_name, merged.get("name", ""), max_length=200)
        description = collect(errors, "description", clean_text, merged.get("description"), max_length=4000)
        risks = collect(errors, "risks", clean_text, merged.get("risks"), max_length=4000)
        weight = collect(errors, "weight", _clean_weight, merged.get("weight"))
        check_member(errors, "responsible_id", merged.get("responsible_id"), required=True)
        position = merged.get("position")
        if position not in (None, "") and (
            not isinstance(position, int) or isinstance(position, bool) or not 1 <= position <= 999
        ):
            errors["position"] = [_("El orden es un número entero de 1 a 999.")]
        predecessors = list(merged.get("depends_on") or [])
        for pred in predecessors:
            if pred.initiative_id != initiative.pk:
                errors["depends_on"] = [_("Solo puede depender de metas de la misma iniciativa.")]
            elif fresh is not None and pred.pk == fresh.pk:
                errors["depends_on"] = [_("Una meta no puede depender de sí misma.")]
            elif fresh is not None and fresh.completed_on is not None and pred.completed_on is None:
                errors["depends_on"] = [
                    _("Esta meta ya se cumplió: no puede depender de «%(name)s», que está pendiente.")
                    % {"name": pred.name}
                ]
        if "depends_on" not in errors and (
            loop := _cycle_through(fresh.pk if fresh else None, predecessors, initiative)
        ):
            errors["depends_on"] = [
                _("«%(name)s» ya depende de esta meta: la dependencia formaría un ciclo.") % {"name": loop.name}
            ]
        due = merged.get("due_date")
        closed = initiative.programming_closed_at is not None
        if fresh is not None and closed and due != fresh.due_date:
            errors["due_date"] = [
                _("La programación está cerrada: cambie la fecha con «Reprogramar», indicando el motivo.")
            ]
        else:
            _check_dates(errors, initiative, due, predecessors, fresh)
        raise_if(errors)
        assert isinstance(due, date)

        if fresh is None:
            target = Milestone(initiative=initiative)
            if not position:
                position = (initiative.milestones.aggregate(last=Max("position"))["last"] or 0) + 1
            target.position = position
        else:
            target = fresh
            bump(target)
            if position:
                target.position = position
        before_due = target.due_date if fresh is not None else None
        target.name, target.description, target.risks = name, description, risks
        target.weight, target.due_date = weight, due
        target.responsible_id = merged["responsible_id"]
        target.communication_opportunity = bool(merged.get("communication_opportunity"))
        target.save()
        target.depends_on.set(predecessors)
        for rel in ("places", "actors"):
            if rel in merged:
                getattr(target, rel).set(merged[rel] or [])
        if fresh is None and closed:
            # Added after the baseline: its first date is its own baseline.
            target.baseline_due_date = due
            target.save(update_fields=["baseline_due_date"])
            DateChange.objects.create(
                milestone=target, kind=DateChangeKind.BASELINE, new_due_date=due,
                reason=_("Meta agregada después de cerrar la programación."),
                actor_id=actor.pk if actor else None, actor_label=label(actor),
            )  # fmt: skip
        record(
            actor=actor,
            action="milestone.created" if fresh is None else "milestone.changed",
            initiative_id=initiative.pk,
            milestone=target.pk,
            name=target.name,
            before={"due_date": before_due} if fresh is not None and before_due != due else None,
            after={"due_date": due} if fresh is None or before_due != due else None,
        )
        sharing.refresh_light(initiative, locked=True)
    if caller is not None:
        caller.__dict__.update({k: getattr(target, k) for k in (*MILESTONE_FIELDS, "version")})
    return target


def milestone_reprogram(
    *,
    actor: User | None,
    milestone: Milestone,
    new_due: date | None,
    reason: str,
    restriction: Aro | None = None,
    version: int | None = None,
) -> Milestone:
    """Move a milestone's due date after programming was closed. The history keeps every
    change with its reason and, when a restriction caused it, that restriction (an open one
    on this milestone or on the whole initiative)."""
    caller = milestone
    with transaction.atomic():
        initiative = lock_initiative(milestone.initiative_id)
        access.require(access.can_edit(actor, initiative))
        target = lock(milestone, version)
        errors: dict[str, list[str]] = {}
        text = collect(errors, "reason", required, reason, max_length=2000)
        if initiative.status in CLOSED_STATUSES:
            errors["new_due"] = [_("La iniciativa está cerrada; no se reprograma.")]
        elif initiative.programming_closed_at is None:
            errors["new_due"] = [_("La programación aún no está cerrada: cambie la fecha editando la meta.")]
        elif target.completed_on is not None:
            errors["new_due"] = [_("La meta ya se cumplió; no se reprograma.")]
        elif new_due == target.due_date:
            errors["new_due"] = [_("La nueva fecha es igual a la actual.")]
        elif isinstance(new_due, date) and new_due < local_today():
            errors["new_due"] = [_("La nueva fecha no puede ser pasada: la meta seguiría atrasada.")]
        else:
            date_errors: dict[str, list[str]] = {}
            _check_dates(date_errors, initiative, new_due, list(target.depends_on.all()), target)
            if date_errors:
                errors["new_due"] = date_errors["due_date"]
        if restriction is not None and (
            restriction.initiative_id != initiative.pk
            or restriction.kind != AroKind.RESTRICTION
            or not restriction.is_open
            or restriction.milestone_id not in (None, target.pk)
        ):
            errors["restriction"] = [_("Elija una restricción abierta de esta meta o de la iniciativa en general.")]
        raise_if(errors)
        assert new_due is not None
        old = target.due_date
        target.due_date = new_due
        bump(target)
        target.save()
        DateChange.objects.create(
            milestone=target, kind=DateChangeKind.REPROGRAMMING, old_due_date=old, new_due_date=new_due,
            reason=text, restriction=restriction, actor_id=actor.pk if actor else None, actor_label=label(actor),
        )  # fmt: skip
        record(
            actor=actor, action="milestone.reprogrammed", initiative_id=initiative.pk, milestone=target.pk,
            name=target.name, before={"due_date": old}, after={"due_date": new_due}, reason=text,
            restriction=restriction.pk if restriction else None,
        )  # fmt: skip
        sharing.refresh_light(initiative, locked=True)
    caller.due_date, caller.version = target.due_date, target.version
    return target


def milestone_complete(
    *,
    actor: User | None,
    milestone: Milestone,
    completed_on: date | None,
    evidence_text: str = "",
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
    version: int | None = None,
) -> Milestone:
    """Mark a milestone done on a date, with evidence, once the milestones it depends on are
    done (and not after it: the critical path is finish-to-start)."""
    caller = milestone
    with transaction.atomic():
        initiative = lock_initiative(milestone.initiative_id)
        access.require(access.can_edit(actor, initiative))
        target = lock(milestone, version)
        errors: dict[str, list[str]] = {}
        text = collect(errors, "evidence_text", clean_text, evidence_text, max_length=4000)
        url = (evidence_url or "").strip()
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                errors["evidence_url"] = [_("Escriba un enlace completo, que empiece por https://.")]
            if len(url) > 500:
                errors["evidence_url"] = [_("Admite como máximo %(n)s caracteres.") % {"n": 500}]
        if evidence_file is not None:
            collect(errors, "evidence_file", check_upload, evidence_file)
        if not (text or url or evidence_file):
            errors["evidence_text"] = [_("Aporte una evidencia: un texto, un enlace o un archivo.")]
        today = local_today()
        predecessors = list(target.depends_on.all())
        if not isinstance(completed_on, date):
            errors["completed_on"] = [_("Indique la fecha en que se cumplió.")]
        elif completed_on > today:
            errors["completed_on"] = [_("La fecha de cumplimiento no puede ser futura.")]
        elif completed_on < initiative.start_date:
            errors["completed_on"] = [_("La fecha es anterior al inicio de la iniciativa.")]
        elif later := [p for p in predecessors if p.completed_on is not None and p.completed_on > completed_on]:
            errors["completed_on"] = [
                _("«%(name)s», de la que depende, se cumplió el %(date)s: esta no puede cumplirse antes.")
                % {"name": later[0].name, "date": later[0].completed_on.isoformat()}  # type: ignore[union-attr]
            ]
        if target.completed_on is not None:
            errors["completed_on"] = [_("Esta meta ya está cumplida.")]
        pending = [p.name for p in predecessors if p.completed_on is None]
        if pending:
            errors["__all__"] = [
                _("Primero deben cumplirse las metas de las que depende: %(names)s.") % {"names": ", ".join(pending)}
            ]
        if initiative.status in (*CLOSED_STATUSES, Status.DRAFT):
            errors["__all__"] = [_("Solo se cumplen metas de iniciativas programadas o en ejecución.")]
        raise_if(errors)
        target.completed_on = completed_on
        target.progress = 100
        target.evidence_text, target.evidence_url = text, url
        if evidence_file is not None:
            target.evidence_file_name = (evidence_file.name or "")[:255]
            target.evidence_file = evidence_file
        bump(target)
        target.save()
        record(
            actor=actor, action="milestone.completed", initiative_id=initiative.pk, milestone=target.pk,
            name=target.name, after={"completed_on": completed_on},
        )  # fmt: skip
        sharing.refresh_light(initiative, locked=True)
    caller.__dict__.update({k: getattr(target, k) for k in ("completed_on", "progress", "version")})
    return target
