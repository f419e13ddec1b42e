"""Blind proposals, agreement and adjudication by the lead specialist."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ods_alignment import agreement
from ods_alignment.models import (
    TARGET_CODE,
    AlignmentCase,
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
from ods_alignment.services._common import (
    AGREEMENT_KAPPA,
    MAX_EVIDENCE,
    MAX_JUSTIFICATION,
    MAX_REASON,
    MIN_SPECIALISTS,
    Selection,
    _event,
    _locked,
    _save,
    _text,
    has_conflict,
)
from tenants.accounts.models import User

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
    # Only what has the shape of a code reaches the database (a NUL byte would be refused by
    # it, not merely not found).
    possible = [code for code in target_map if TARGET_CODE.match(code)]
    found_targets = {t.code: t for t in Target.objects.filter(code__in=possible).select_related("goal")}
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
        # The goal sets are equal, so what every proposal chose is exactly those goals.
        goals, targets = agreement.common_selection(proposals)
        _decide(case, goals=goals, targets=targets)
        case.status = CaseStatus.AGREED
        _event(case, None, "case.agreed", goals=sorted(goals), targets=sorted(targets, key=sort_key))
    else:
        case.status = CaseStatus.DISPUTED
        _event(case, None, "case.disputed")
    _save(case, ["status", "kappa", "target_overlap", "decided_at"])


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
        if has_conflict(actor, case.municipality_id):
            # Checked when the case opened, and again here: the lead may have joined the
            # municipality since.
            errors["case"] = [
                _("Usted es miembro del municipio de esta iniciativa: no puede adjudicarla (conflicto de interés).")
            ]
        elif case.status != CaseStatus.DISPUTED:
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
