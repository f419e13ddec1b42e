"""Cases and assignments: who aligns which initiative, by when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import IndexItem, ItemKind
from ods_alignment.models import (
    AlignmentCase,
    Assignment,
    CaseStatus,
    Proposal,
)
from ods_alignment.services._common import (
    MIN_SPECIALISTS,
    _event,
    _locked,
    _require_team_or_lead,
    has_conflict,
)
from tenants.accounts.models import User
from tenants.roles import PlatformRole
from tenants.selectors import has_platform_role, is_regional_team
from tenants.service_utils import check_date, label

# --- Cases and assignments ------------------------------------------------------------------


def _check_specialist(
    errors: dict[str, list[str]], field: str, user: User, municipality_id: int, *, role_label: str
) -> None:
    if not user.is_active or not has_platform_role(user, PlatformRole.SDG_SPECIALIST):
        errors.setdefault(field, []).append(
            _("%(name)s no tiene el rol de especialista ODS (%(role)s).") % {"name": label(user), "role": role_label}
        )
    elif has_conflict(user, municipality_id):
        errors.setdefault(field, []).append(
            _("%(name)s es miembro del municipio de la iniciativa y no puede alinearla (conflicto de interés).")
            % {"name": label(user)}
        )


def case_open(
    *,
    actor: User,
    item: IndexItem,
    specialists: Sequence[User],
    lead: User,
    deadline: date,
) -> AlignmentCase:
    """Open the alignment of a shared initiative: two or more specialists to propose
    independently, and a lead specialist to adjudicate. The regional team opens cases; a
    specialist may open one that they lead themselves."""
    if not (is_regional_team(actor) or (actor.pk == lead.pk and has_platform_role(actor, PlatformRole.SDG_SPECIALIST))):
        raise PermissionDenied(_("Solo el equipo regional o la persona especialista líder pueden abrir un caso."))
    errors: dict[str, list[str]] = {}
    if item.kind != ItemKind.INITIATIVE or item.withdrawn_at is not None:
        errors["item"] = [_("Solo se alinean iniciativas compartidas en la comunidad.")]
    elif AlignmentCase.objects.filter(item_key=item.key).exists():
        errors["item"] = [_("Esta iniciativa ya tiene un caso de alineación.")]
    unique = list({user.pk: user for user in specialists}.values())
    if len(unique) < MIN_SPECIALISTS:
        errors["specialists"] = [_("Asigne al menos dos especialistas distintos.")]
    for user in unique:
        _check_specialist(errors, "specialists", user, item.municipality_id, role_label=_("propuesta"))
    _check_specialist(errors, "lead", lead, item.municipality_id, role_label=_("líder"))
    if lead.pk in {user.pk for user in unique}:
        # The adjudicator settles disagreements between the proposals: not one of their authors.
        errors.setdefault("lead", []).append(_("La persona líder no puede ser también una de las especialistas."))
    check_date(errors, "deadline", deadline)
    if "deadline" not in errors and deadline < timezone.localdate():
        errors["deadline"] = [_("La fecha límite no puede estar en el pasado.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Two identical requests (a double click, a retried API call) both pass the check
        # above; the item's row lock makes the second wait and then see the first's case.
        IndexItem.objects.select_for_update().filter(pk=item.pk).first()
        if AlignmentCase.objects.filter(item_key=item.key).exists():
            raise ValidationError({"item": [_("Esta iniciativa ya tiene un caso de alineación.")]})
        case = AlignmentCase.objects.create(
            item=item,
            item_key=item.key,
            municipality_id=item.municipality_id,
            deadline=deadline,
            lead=lead,
            created_by=actor,
        )
        for user in unique:
            Assignment.objects.create(case=case, specialist=user, due_date=deadline)
        _event(case, actor, "case.open", specialists=[u.pk for u in unique], lead=lead.pk, deadline=str(deadline))
    return case


def assignment_reassign(
    *, actor: User, assignment: Assignment, specialist: User, due_date: date | None = None
) -> Assignment:
    """Hand a pending assignment to another specialist (the first one is ended, not deleted)."""
    case = assignment.case
    _require_team_or_lead(actor, case)
    with transaction.atomic():
        case = _locked(case)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        errors: dict[str, list[str]] = {}
        if case.status != CaseStatus.OPEN:
            errors["assignment"] = [_("El caso ya no espera propuestas; no se puede reasignar.")]
        elif assignment.ended_at is not None:
            errors["assignment"] = [_("Esta asignación ya terminó.")]
        elif Proposal.objects.filter(case=case, specialist_id=assignment.specialist_id).exists():
            errors["assignment"] = [_("Esta persona ya envió su propuesta; no se puede reasignar.")]
        _check_specialist(errors, "specialist", specialist, case.municipality_id, role_label=_("propuesta"))
        if specialist.pk == case.lead_id:
            errors.setdefault("specialist", []).append(
                _("La persona líder no puede ser también una de las especialistas.")
            )
        elif case.assignments.filter(specialist=specialist, ended_at__isnull=True).exists():
            errors.setdefault("specialist", []).append(_("Esta persona ya está asignada a este caso."))
        due = due_date or assignment.due_date
        check_date(errors, "due_date", due)
        if "due_date" not in errors and due < timezone.localdate():
            # The new person starts now: a date already past would make their work late
            # before it begins.
            errors["due_date"] = [
                _("La fecha de entrega no puede estar en el pasado.")
                if due_date
                else _("La fecha de entrega anterior ya pasó: indique una nueva.")
            ]
        if errors:
            raise ValidationError(errors)
        assignment.ended_at = timezone.now()
        assignment.save(update_fields=["ended_at"])
        new = Assignment.objects.create(case=case, specialist=specialist, due_date=due)
        _event(case, actor, "assignment.reassign", previous=assignment.specialist_id, specialist=specialist.pk)
    return new
