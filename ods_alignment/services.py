"""Writes of the SDG alignment: local targets, cases, assignments, blind proposals,
agreement, adjudication and publication to the community index.

The method (issue 9): at least two specialists align an initiative independently; when every
proposal is in, agreement is computed (Cohen's kappa on goals, Jaccard on targets); identical
goal sets are agreed automatically, anything else goes to the case's lead specialist, who
records the final alignment and the reason; the agreed or adjudicated alignment is then
published to the community index (and search).

Every function is keyword-only, atomic, checks who acts, raises ValidationError with the
field at fault (texts in Spanish, translatable), and leaves an AlignmentEvent."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import IndexItem, ItemKind
from ods_alignment import agreement
from ods_alignment.models import (
    AlignmentCase,
    AlignmentEvent,
    Assignment,
    CaseStatus,
    Contribution,
    FinalAlignment,
    Goal,
    Proposal,
    ProposalGoal,
    ProposalTarget,
    Target,
    sort_key,
)
from tenants.accounts.models import User
from tenants.models import Membership
from tenants.roles import PlatformRole
from tenants.selectors import has_platform_role, is_regional_team
from tenants.service_utils import bump, check_date, label, lock
from tenants.structure.validation import clean_text

MIN_SPECIALISTS = 2
MAX_JUSTIFICATION = 5000
MAX_EVIDENCE = 5000
MAX_REASON = 5000
MAX_TITLE = 1000
# Automatic agreement: kappa at least this and the same goals (see _evaluate).
AGREEMENT_KAPPA = 0.8
# A local target extends its parent's code by one segment: "11.2" → "11.2.1", "11.2.b".
LOCAL_SEGMENT = re.compile(r"^[0-9a-z]{1,3}$")

Selection = Mapping[Any, str] | Iterable[Any]


# --- Who may do what ------------------------------------------------------------------------


def _require_team(actor: User | None, message: str) -> None:
    if actor is None or not is_regional_team(actor):
        raise PermissionDenied(message)


def _require_team_or_lead(actor: User | None, case: AlignmentCase) -> None:
    if actor is None or not (is_regional_team(actor) or actor.pk == case.lead_id):
        raise PermissionDenied(_("Solo el equipo regional o la persona líder del caso pueden hacer esto."))


def has_conflict(user: User, municipality_id: int) -> bool:
    """A member of the initiative's own municipality cannot align it (conflict of interest)."""
    return Membership.objects.filter(user=user, municipality_id=municipality_id).exists()


def _event(case: AlignmentCase | None, actor: User | None, action: str, **detail: Any) -> None:
    AlignmentEvent.objects.create(case=case, actor=actor, action=action, detail=detail)


def _text(field: str, value: Any, *, max_length: int, required: bool = True) -> str:
    try:
        text = clean_text(value, max_length=max_length)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    if required and not text:
        raise ValidationError({field: [_("Este campo es obligatorio.")]})
    return text


def _locked(case: AlignmentCase) -> AlignmentCase:
    return lock(case, None)


def _save(case: AlignmentCase, fields: list[str]) -> None:
    bump(case)
    case.save(update_fields=[*fields, "version", "updated_at"])


# --- Local targets --------------------------------------------------------------------------


def local_target_create(
    *, actor: User, parent: Target, code: str, title_es: str, title_en: str = "", title_fr: str = ""
) -> Target:
    """A local target under an official one, as municipalities localise the agenda.

    The code is the parent's plus one segment of 1-3 digits or lower-case letters ("11.2.1").
    It may coincide with an official *indicator* code (11.2.1 is also an indicator): targets
    and indicators are separate lists, alignments only ever hold target codes, and the issue
    itself uses "11.2.1" as the example; pages show local targets with a "local" label. It may
    not repeat an existing target code."""
    _require_team(actor, _("Solo el equipo regional puede añadir metas locales."))
    errors: dict[str, list[str]] = {}
    if parent.is_local:
        errors["parent"] = [_("Una meta local se añade bajo una meta oficial, no bajo otra meta local.")]
    code = (code or "").strip().lower()
    head, _sep, segment = code.rpartition(".")
    if not code:
        errors["code"] = [_("Indique un código.")]
    elif head != parent.code.lower() or not LOCAL_SEGMENT.match(segment):
        errors["code"] = [
            _(
                "El código debe ser el de la meta %(parent)s seguido de un punto y hasta 3 números "
                "o letras minúsculas, por ejemplo %(parent)s.1."
            )
            % {"parent": parent.code}
        ]
    elif Target.objects.filter(code__iexact=code).exists():
        errors["code"] = [_("Ya existe una meta con el código %(code)s.") % {"code": code}]
    titles: dict[str, str] = {}
    for language, value, required in (("es", title_es, True), ("en", title_en, False), ("fr", title_fr, False)):
        try:
            titles[f"title_{language}"] = _text(f"title_{language}", value, max_length=MAX_TITLE, required=required)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target = Target.objects.create(
            goal_id=parent.goal_id,
            code=code,
            sort_key=sort_key(code),
            is_local=True,
            parent=parent,
            created_by=actor,
            **titles,
        )
        _event(None, actor, "target.local_create", code=code, parent=parent.code)
    return target


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
        if errors:
            raise ValidationError(errors)
        assignment.ended_at = timezone.now()
        assignment.save(update_fields=["ended_at"])
        new = Assignment.objects.create(case=case, specialist=specialist, due_date=due)
        _event(case, actor, "assignment.reassign", previous=assignment.specialist_id, specialist=specialist.pk)
    return new


# --- Proposals ------------------------------------------------------------------------------


def _contributions(field: str, selection: Selection, errors: dict[str, list[str]]) -> dict[str, str]:
    """{key: contribution} from a mapping, or every key direct from a plain list."""
    items = selection.items() if isinstance(selection, Mapping) else ((key, Contribution.DIRECT) for key in selection)
    out: dict[str, str] = {}
    for key, contribution in items:
        if contribution not in Contribution.values:
            errors.setdefault(field, []).append(
                _("La contribución de %(key)s debe ser directa o indirecta.") % {"key": key}
            )
            continue
        out[str(key).strip()] = str(contribution)
    return out


def _selection(
    goals: Selection, targets: Selection, errors: dict[str, list[str]]
) -> tuple[dict[Goal, str], dict[Target, str]]:
    """Goals and targets checked against the catalogue: at least one goal, and every target
    under one of the chosen goals."""
    goal_map = _contributions("goals", goals, errors)
    target_map = _contributions("targets", targets, errors)
    numbers: dict[int, str] = {}
    for key, contribution in goal_map.items():
        try:
            numbers[int(key)] = contribution
        except ValueError:
            errors.setdefault("goals", []).append(_("«%(key)s» no es un número de ODS.") % {"key": key})
    found_goals = {g.number: g for g in Goal.objects.filter(number__in=numbers)}
    for number in sorted(set(numbers) - set(found_goals)):
        errors.setdefault("goals", []).append(_("No existe el ODS %(n)s.") % {"n": number})
    if not goal_map and "goals" not in errors:
        errors["goals"] = [_("Elija al menos un objetivo (ODS).")]
    found_targets = {t.code: t for t in Target.objects.filter(code__in=target_map).select_related("goal")}
    for code in target_map:
        target = found_targets.get(code)
        if target is None:
            errors.setdefault("targets", []).append(_("No existe la meta %(code)s.") % {"code": code})
        elif target.goal.number not in found_goals:
            errors.setdefault("targets", []).append(
                _("La meta %(code)s pertenece al ODS %(goal)s, que no está entre los objetivos elegidos.")
                % {"code": code, "goal": target.goal.number}
            )
    return (
        {found_goals[n]: c for n, c in numbers.items() if n in found_goals},
        {found_targets[code]: c for code, c in target_map.items() if code in found_targets},
    )


def proposal_submit(
    *,
    actor: User,
    case: AlignmentCase,
    goals: Selection,
    targets: Selection = (),
    justification: str,
    evidence: str = "",
    evidence_url: str = "",
) -> Proposal:
    """A specialist's independent alignment. `goals`: goal numbers, or {number: "direct" |
    "indirect"}; `targets`: codes, or {code: contribution}. It may be replaced while others'
    are still missing; once every assigned specialist has submitted, agreement is computed
    and the proposals are closed."""
    with transaction.atomic():
        case = _locked(case)
        assignment = case.assignments.filter(specialist=actor, ended_at__isnull=True).first()
        if assignment is None:
            raise PermissionDenied(_("Usted no tiene asignado este caso."))
        errors: dict[str, list[str]] = {}
        if case.status != CaseStatus.OPEN:
            raise ValidationError(
                {
                    "case": [
                        _(
                            "Las propuestas de este caso ya están cerradas (%(status)s): no se admiten "
                            "más propuestas independientes."
                        )
                        % {"status": CaseStatus(case.status).label}
                    ]
                }
            )
        if has_conflict(actor, case.municipality_id):
            errors["case"] = [
                _("Usted es miembro del municipio de la iniciativa y no puede alinearla (conflicto de interés).")
            ]
        chosen_goals, chosen_targets = _selection(goals, targets, errors)
        cleaned: dict[str, str] = {}
        for field, value, limit, needed in (
            ("justification", justification, MAX_JUSTIFICATION, True),
            ("evidence", evidence, MAX_EVIDENCE, False),
        ):
            try:
                cleaned[field] = _text(field, value, max_length=limit, required=needed)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        url = (evidence_url or "").strip()
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                errors["evidence_url"] = [_("Indique una dirección web completa (https://...).")]
        if errors:
            raise ValidationError(errors)
        Proposal.objects.filter(case=case, specialist=actor).delete()  # a resubmission replaces it
        proposal = Proposal.objects.create(
            case=case,
            specialist=actor,
            justification=cleaned["justification"],
            evidence=cleaned["evidence"],
            evidence_url=url,
            submitted_at=timezone.now(),
        )
        ProposalGoal.objects.bulk_create(
            [ProposalGoal(proposal=proposal, goal=g, contribution=c) for g, c in chosen_goals.items()]
        )
        ProposalTarget.objects.bulk_create(
            [ProposalTarget(proposal=proposal, target=t, contribution=c) for t, c in chosen_targets.items()]
        )
        _event(
            case,
            actor,
            "proposal.submit",
            goals=sorted(g.number for g in chosen_goals),
            targets=sorted(t.code for t in chosen_targets),
        )
        _evaluate_if_complete(case, actor)
    return proposal


def _evaluate_if_complete(case: AlignmentCase, actor: User) -> None:
    """When every active assignment has its proposal: compute agreement and decide.

    Automatic agreement needs kappa ≥ 0.8 *and* the same goal sets (with identical sets kappa
    is 1, so in practice: the same goals). The agreed targets are the *intersection* of the
    proposals' targets, and a goal or target is "direct" only if every specialist said so:
    what is published as agreed is what every specialist claimed independently, nothing more.
    Targets only one specialist saw are left out (the lead can still adjudicate if the team
    reopens the question)."""
    assigned = set(case.assignments.filter(ended_at__isnull=True).values_list("specialist_id", flat=True))
    proposals = list(
        Proposal.objects.filter(case=case, specialist_id__in=assigned).prefetch_related(
            "goal_rows__goal", "target_rows__target"
        )
    )
    if len(proposals) < len(assigned) or len(proposals) < MIN_SPECIALISTS:
        return
    goal_sets = [p.goal_numbers for p in proposals]
    target_sets = [p.target_codes for p in proposals]
    kappa, overlap = agreement.case_agreement(goal_sets, target_sets)
    case.kappa, case.target_overlap = kappa, overlap
    case.status = CaseStatus.IN_REVIEW
    _event(case, actor, "case.in_review", kappa=round(kappa, 4), target_overlap=round(overlap, 4))
    same_goals = all(goals == goal_sets[0] for goals in goal_sets)
    if kappa >= AGREEMENT_KAPPA and same_goals:
        goals = {n: _weakest_of(proposals, "goal", str(n)) for n in goal_sets[0]}
        common_targets = set.intersection(*target_sets)
        targets = {code: _weakest_of(proposals, "target", code) for code in common_targets}
        _decide(case, goals=goals, targets=targets)
        case.status = CaseStatus.AGREED
        _event(case, None, "case.agreed", goals=sorted(goals), targets=sorted(targets, key=sort_key))
    else:
        case.status = CaseStatus.DISPUTED
        _event(case, None, "case.disputed")
    _save(case, ["status", "kappa", "target_overlap", "decided_at"])


def _contribution_in(proposal: Proposal, kind: str, key: str) -> str:
    if kind == "goal":
        found = [row.contribution for row in proposal.goal_rows.all() if str(row.goal.number) == key]
    else:
        found = [row.contribution for row in proposal.target_rows.all() if row.target.code == key]
    return str(found[0]) if found else Contribution.INDIRECT


def _weakest_of(proposals: list[Proposal], kind: str, key: str) -> str:
    """Direct only if every proposal says direct."""
    if all(_contribution_in(p, kind, key) == Contribution.DIRECT for p in proposals):
        return Contribution.DIRECT
    return Contribution.INDIRECT


def _decide(case: AlignmentCase, *, goals: Mapping[int, str], targets: Mapping[str, str]) -> FinalAlignment:
    now = timezone.now()
    case.decided_at = now
    final, _created = FinalAlignment.objects.update_or_create(
        case=case,
        defaults={
            "item_key": case.item_key,
            "goals": sorted(goals),
            "targets": sorted(targets, key=sort_key),
            "contributions": {
                "goals": {str(n): c for n, c in sorted(goals.items())},
                "targets": dict(sorted(targets.items(), key=lambda kv: sort_key(kv[0]))),
            },
            "decided_at": now,
            "published_at": None,
        },
    )
    return final


# --- Adjudication and publication -----------------------------------------------------------


def adjudicate(
    *, actor: User, case: AlignmentCase, goals: Selection, targets: Selection = (), reason: str
) -> AlignmentCase:
    """The lead specialist settles a disputed case: the final goals and targets, and why."""
    with transaction.atomic():
        case = _locked(case)
        if actor.pk != case.lead_id:
            raise PermissionDenied(_("Solo la persona especialista líder del caso puede adjudicarlo."))
        errors: dict[str, list[str]] = {}
        if case.status != CaseStatus.DISPUTED:
            errors["case"] = [
                _("Solo se adjudican casos en disputa; este está «%(status)s».")
                % {"status": CaseStatus(case.status).label}
            ]
        chosen_goals, chosen_targets = _selection(goals, targets, errors)
        try:
            clean_reason = _text("reason", reason, max_length=MAX_REASON)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        final = _decide(
            case,
            goals={g.number: c for g, c in chosen_goals.items()},
            targets={t.code: c for t, c in chosen_targets.items()},
        )
        case.status = CaseStatus.ADJUDICATED
        case.decision_reason = clean_reason
        _save(case, ["status", "decision_reason", "decided_at"])
        _event(case, actor, "case.adjudicate", goals=final.goals, targets=final.targets, reason=clean_reason)
    return case


def case_publish(*, actor: User, case: AlignmentCase) -> AlignmentCase:
    """Write the final alignment into the community index item (and, after commit, search)."""
    _require_team_or_lead(actor, case)
    with transaction.atomic():
        case = _locked(case)
        if case.status not in {CaseStatus.AGREED, CaseStatus.ADJUDICATED}:
            raise ValidationError(
                {
                    "case": [
                        _("Solo se publican casos acordados o adjudicados; este está «%(status)s».")
                        % {"status": CaseStatus(case.status).label}
                    ]
                }
            )
        # Locked like the relay locks it, so a relay batch and a publication never overwrite
        # each other's copy of the row.
        item = (
            IndexItem.objects.select_for_update().filter(pk=case.item_id).first() if case.item_id is not None else None
        )
        if item is None or item.withdrawn_at is not None:
            raise ValidationError(
                {"case": [_("La iniciativa ya no se comparte en la comunidad; no se puede publicar.")]}
            )
        final = FinalAlignment.objects.select_for_update().get(case=case)
        now = timezone.now()
        final.published_at = now
        final.save(update_fields=["published_at"])
        _write_item(item, final)
        case.status = CaseStatus.PUBLISHED
        case.published_at = now
        _save(case, ["status", "published_at"])
        _event(case, actor, "case.publish", goals=final.goals, targets=final.targets)
        item_id = item.pk
        transaction.on_commit(lambda: _sync_search([item_id]))
    return case


def _write_item(item: IndexItem, final: FinalAlignment) -> bool:
    if item.sdg_goals == final.goals and item.sdg_targets == final.targets:
        return False
    IndexItem.objects.filter(pk=item.pk).update(
        sdg_goals=final.goals, sdg_targets=final.targets, search_dirty=True, updated_at=timezone.now()
    )
    return True


def _sync_search(item_ids: list[int]) -> None:
    from search.indexing import sync_items

    sync_items(item_ids)  # never raises; what it could not take stays dirty for the sweep


def apply_final_alignments(item_ids: Iterable[int]) -> list[int]:
    """Write the published final alignments into these index rows where they are missing or
    stale (a withdrawal clears them; an initiative shared again comes back without them).
    Returns the ids changed, now marked dirty for search. For the relay to call inside its
    batch transaction, after applying events: its own search sync then covers them."""
    items = list(IndexItem.objects.filter(pk__in=list(item_ids), kind=ItemKind.INITIATIVE, withdrawn_at__isnull=True))
    if not items:
        return []
    finals = {
        f.item_key: f
        for f in FinalAlignment.objects.filter(item_key__in=[i.key for i in items], published_at__isnull=False)
    }
    changed: list[int] = []
    for item in items:
        final = finals.get(item.key)
        if final is not None and _write_item(item, final):
            changed.append(item.pk)
    if finals:
        # A case whose row was lost (SET_NULL) finds it again by key: one read, and writes
        # only for the links that actually changed.
        by_key = {item.key: item for item in items}
        for case in AlignmentCase.objects.filter(item_key__in=list(finals)).only("pk", "item_key", "item_id"):
            if case.item_id != by_key[case.item_key].pk:
                AlignmentCase.objects.filter(pk=case.pk).update(item=by_key[case.item_key])
    return changed
