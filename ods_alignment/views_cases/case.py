"""The case page: the initiative, assignments, suggestions, the blind proposal form, the
agreement once every proposal is in, adjudication, publication, reassignment and history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ods_alignment import agreement, selectors, services
from ods_alignment import selectors_cases as cases
from ods_alignment.forms_cases import (
    AdjudicationForm,
    ErrorLink,
    ProposalForm,
    ReassignForm,
    error_links,
)
from ods_alignment.models import AlignmentCase, CaseStatus, Proposal
from ods_alignment.suggest import suggest
from ods_alignment.views_cases.common import (
    case_action,
    case_or_404,
    case_url,
    due_words,
    event_text,
    flash_errors,
    item_title,
    kappa_words,
    percent,
    sdg_user,
)
from tenants.accounts.models import User
from tenants.forms_util import apply_errors
from tenants.validators import parse_id

# Suggestions shown: the predicted goals, else the best ones with trigger words, at most these.
SHOWN_GOALS = 5
SHOWN_TARGETS = 6
MIN_GOAL_SCORE = 0.05


# --- The case page ---------------------------------------------------------------------------------


def _suggestions(case: AlignmentCase) -> dict[str, Any] | None:
    """Ranked goals and targets for the initiative's text, with the words that triggered
    them. Only shown: a suggestion becomes part of an alignment when a specialist ticks it."""
    item = case.item
    text = "\n".join(part for part in (item.title, item.text) if part) if item is not None else ""
    try:
        result = suggest(text, None)
    except ValueError:  # an empty text, or one in a language the model does not read
        return None
    shown = [g for g in result.goals if g.predicted or (g.triggers and g.score >= MIN_GOAL_SCORE)][:SHOWN_GOALS]
    targets = [t for t in result.targets if t.triggers][:SHOWN_TARGETS]
    goals = cases.goals_by_number()
    titles = cases.targets_by_code({t.target for t in targets})
    return {
        "truncated": result.truncated,
        "goals": [
            {"goal": goals[g.goal], "pct": percent(g.score), "predicted": g.predicted, "triggers": g.triggers}
            for g in shown
            if g.goal in goals
        ],
        "targets": [
            {"target": titles[t.target], "pct": percent(t.score), "triggers": t.triggers}
            for t in targets
            if t.target in titles
        ],
    }


def _marked(request: HttpRequest, goal_of: dict[str, int]) -> dict[str, Any] | None:
    """Initial ticks from "Marcar en mi propuesta" links (?marcar=6&marcar=6.1): they fill
    the form, they never submit it. A marked target marks its goal too."""
    goals: set[int] = set()
    targets: list[str] = []
    for value in request.GET.getlist("marcar")[:40]:
        value = value.strip().lower()
        if value in goal_of:
            targets.append(value)
            goals.add(goal_of[value])
        elif (number := parse_id(value, max_digits=2)) is not None and 1 <= number <= 17:
            goals.add(number)
    return {"goals": sorted(goals), "targets": targets} if goals else None


def _initial_of(goals: Mapping[int, str], targets: list[str]) -> dict[str, Any]:
    initial: dict[str, Any] = {"goals": sorted(goals), "targets": targets}
    initial.update({f"contribution_{n}": c for n, c in goals.items()})
    return initial


def _choices(proposal: Proposal) -> tuple[dict[int, str], dict[str, str]]:
    """({goal: contribution}, {target: contribution}) of one proposal (rows prefetched)."""
    goals = {row.goal.number: str(row.contribution) for row in proposal.goal_rows.all()}
    targets = {row.target.code: str(row.contribution) for row in proposal.target_rows.all()}
    return goals, targets


def _common(proposals: list[Proposal]) -> dict[str, Any]:
    """What every proposal chose (direct only if all said direct): the adjudication's start."""
    if not proposals:
        return {}
    goals, targets = agreement.common_selection(proposals)
    return _initial_of(goals, sorted(targets))


def _comparison(proposals: list[Proposal]) -> dict[str, Any]:
    """Goals and targets any proposal chose, and what each proposal said of them (None: not
    chosen), for the side-by-side table."""
    goals: dict[int, Any] = {}
    targets: dict[str, Any] = {}
    for proposal in proposals:
        for row in proposal.goal_rows.all():
            goals.setdefault(row.goal.number, row.goal)
        for trow in proposal.target_rows.all():
            targets.setdefault(trow.target.code, trow.target)
    choices = [_choices(p) for p in proposals]
    return {
        "goals": [(goals[n], [g.get(n) for g, _t in choices]) for n in sorted(goals)],
        "targets": [
            (targets[c], [t.get(c) for _g, t in choices]) for c in sorted(targets, key=lambda c: targets[c].sort_key)
        ],
    }


def _chosen_by(proposals: list[Proposal]) -> dict[str, list[str]]:
    """Who chose each goal ("6") and target ("6.1"), for the adjudication form."""
    chosen: dict[str, list[str]] = {}
    for proposal in proposals:
        name = proposal.specialist.full_name or proposal.specialist.email
        goals, targets = _choices(proposal)
        for key in [*map(str, goals), *targets]:
            chosen.setdefault(key, []).append(name)
    return chosen


def _error_summary(
    proposal_form: ProposalForm | None,
    adjudication_form: AdjudicationForm | None,
    reassign_form: ReassignForm | None,
) -> dict[str, Any] | None:
    """The error summary at the top of the page for the form that failed (one per request):
    a heading that says what was not saved, and every error, each linking to its input."""
    links: list[ErrorLink] = []
    title = ""
    if proposal_form is not None and proposal_form.is_bound and proposal_form.errors:
        links, title = proposal_form.error_links(), _("No se guardó su propuesta: revise lo siguiente")
    elif adjudication_form is not None and adjudication_form.is_bound and adjudication_form.errors:
        links, title = adjudication_form.error_links(), _("No se guardó la adjudicación: revise lo siguiente")
    elif reassign_form is not None and reassign_form.is_bound and reassign_form.errors:
        links, title = error_links(reassign_form), _("No se reasignó la propuesta: revise lo siguiente")
    return {"title": title, "errors": links} if links else None


def _render_case(
    request: HttpRequest,
    user: User,
    team: bool,
    case: AlignmentCase,
    *,
    status: int = 200,
    proposal_form: ProposalForm | None = None,
    adjudication_form: AdjudicationForm | None = None,
    reassign_form: ReassignForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    assignments = cases.case_assignments(case)
    mine_assigned = any(r.active and r.assignment.specialist_id == user.pk for r in assignments)
    proposals = selectors.proposals_visible_to(user, case)
    my_proposal = next((p for p in proposals if p.specialist_id == user.pk), None)
    is_lead = user.pk == case.lead_id
    is_open = case.status == CaseStatus.OPEN
    can_propose = is_open and mine_assigned
    can_adjudicate = is_lead and case.status == CaseStatus.DISPUTED
    can_reassign = (team or is_lead) and is_open and any(r.pending for r in assignments)
    catalogue = cases.catalogue() if can_propose or can_adjudicate else []
    goal_of = {t.code: g.number for g, targets in catalogue for t in targets}
    marked = _marked(request, goal_of) if catalogue else None
    if can_propose and proposal_form is None:
        if marked is not None:
            initial = marked
        elif my_proposal is not None:
            initial = _initial_of(
                {r.goal.number: r.contribution for r in my_proposal.goal_rows.all()},
                [r.target.code for r in my_proposal.target_rows.all()],
            )
            initial.update(
                justification=my_proposal.justification,
                evidence=my_proposal.evidence,
                evidence_url=my_proposal.evidence_url,
            )
        else:
            initial = {}
        proposal_form = ProposalForm(initial=initial, catalogue=catalogue)
    if can_adjudicate and adjudication_form is None:
        adjudication_form = AdjudicationForm(
            initial=marked or _common(proposals), catalogue=catalogue, chosen_by=_chosen_by(proposals)
        )
    # Only people the service would accept are offered; with nobody to offer, the page says
    # so instead of a form that can only fail.
    offered = list(cases.reassignable_specialists(case)) if can_reassign else []
    if can_reassign and reassign_form is None and offered:
        reassign_form = ReassignForm(
            pending=cases.active_assignments(case, pending_only=True),
            specialists=cases.sdg_specialists(),
            offered=offered,
            today=today,
        )
    final = (
        cases.final_of(case)
        if case.status in {CaseStatus.AGREED, CaseStatus.ADJUDICATED, CaseStatus.PUBLISHED}
        else None
    )
    final_view = None
    if final is not None:
        goals = cases.goals_by_number()
        targets = cases.targets_by_code(set(final.targets))
        search, published = reverse("search:index"), case.status == CaseStatus.PUBLISHED
        contributions = final.contributions if isinstance(final.contributions, dict) else {}
        final_view = {
            "final": final,
            "goals": [
                (
                    goals[n],
                    (contributions.get("goals") or {}).get(str(n)),
                    search + f"?sdg_goal={n}" if published else "",
                )
                for n in final.goals
                if n in goals
            ],
            "targets": [
                (targets[c], (contributions.get("targets") or {}).get(c)) for c in final.targets if c in targets
            ],
        }
    item = case.item
    history = cases.case_history(case)
    active = [r for r in assignments if r.active]
    context = {
        "case": case,
        "title": item_title(case),
        "item": item,
        "public_url": item.public_url if item is not None else "",
        "status_label": CaseStatus(case.status).label,
        # The deadline is the proposals': once they are all in, it is history, not a warning.
        "deadline_words": due_words(case.deadline, today) if is_open else "",
        "assignments": [
            {**vars(r), "active": r.active, "pending": r.pending, "due_words": due_words(r.assignment.due_date, today)}
            for r in assignments
        ],
        "submitted": sum(1 for r in active if r.submitted_at is not None),
        "expected": len(active),
        "is_open": is_open,
        "is_lead": is_lead,
        "team": team,
        "mine_assigned": mine_assigned,
        "my_proposal": my_proposal,
        "proposals": proposals if not is_open else [],
        "comparison": _comparison(proposals) if not is_open else None,
        "kappa_pct": percent(case.kappa),
        "kappa_words": kappa_words(case.kappa),
        "overlap_pct": percent(case.target_overlap),
        # While proposing, and for the lead's adjudication: where a person decides.
        "suggestions": _suggestions(case) if is_open or adjudication_form is not None else None,
        "proposal_form": proposal_form,
        "adjudication_form": adjudication_form,
        "reassign_form": reassign_form,
        "can_reassign": can_reassign,
        "error_summary": _error_summary(proposal_form, adjudication_form, reassign_form),
        "can_publish": (team or is_lead) and case.status in {CaseStatus.AGREED, CaseStatus.ADJUDICATED},
        "final": final_view,
        "history": [(e, event_text(e, history.names)) for e in history.events],
    }
    return render(request, "ods_alignment/cases/case.html", context, status=status)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, team = sdg_user(request)
    return _render_case(request, user, team, case_or_404(user, pk))


@login_required
@case_action("propuesta")
def proposal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user, team = sdg_user(request)
    case = case_or_404(user, pk)
    form = ProposalForm(request.POST, catalogue=cases.catalogue())
    if form.is_valid():
        goals, targets = form.selection()
        try:
            services.proposal_submit(
                actor=user,
                case=case,
                goals=goals,
                targets=targets,
                justification=form.cleaned_data["justification"],
                evidence=form.cleaned_data["evidence"],
                evidence_url=form.cleaned_data["evidence_url"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            case.refresh_from_db()
            if case.status == CaseStatus.OPEN:
                messages.success(
                    request,
                    _(
                        "Su propuesta quedó guardada. Las propuestas de las demás personas se muestran "
                        "cuando todas hayan enviado la suya."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("Su propuesta quedó guardada y llegaron todas: el caso está «%(status)s».")
                    % {"status": CaseStatus(case.status).label},
                )
            return redirect(case_url(case))
    return _render_case(request, user, team, case, status=400, proposal_form=form)


@login_required
@case_action("adjudicacion")
def case_adjudicate(request: HttpRequest, pk: int) -> HttpResponse:
    user, team = sdg_user(request)
    case = case_or_404(user, pk)
    proposals = selectors.proposals_visible_to(user, case)
    form = AdjudicationForm(request.POST, catalogue=cases.catalogue(), chosen_by=_chosen_by(proposals))
    if form.is_valid():
        goals, targets = form.selection()
        try:
            case = services.adjudicate(
                actor=user, case=case, goals=goals, targets=targets, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Se guardó la adjudicación. Ya se puede publicar la alineación."))
            return redirect(case_url(case, "publicar"))
    return _render_case(request, user, team, case, status=400, adjudication_form=form)


@login_required
@case_action("publicar")
def case_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user, _team = sdg_user(request)
    case = case_or_404(user, pk)
    try:
        case = services.case_publish(actor=user, case=case)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        goals = ", ".join(_("ODS %(n)s") % {"n": n} for n in sorted(cases.final_of(case).goals))  # type: ignore[union-attr]
        messages.success(
            request, _("Se publicó la alineación: la iniciativa muestra %(goals)s en la comunidad.") % {"goals": goals}
        )
    return redirect(case_url(case))


@login_required
@case_action("asignaciones")
def assignment_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    user, team = sdg_user(request)
    case = case_or_404(user, pk)
    form = ReassignForm(
        request.POST,
        pending=cases.active_assignments(case),
        specialists=cases.sdg_specialists(),
        offered=cases.reassignable_specialists(case),
        today=timezone.localdate(),
    )
    if form.is_valid():
        old = form.cleaned_data["assignment"]
        try:
            new = services.assignment_reassign(
                actor=user,
                assignment=old,
                specialist=form.cleaned_data["specialist"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("La propuesta pendiente pasó de %(old)s a %(new)s, con entrega el %(due)s.")
                % {
                    "old": old.specialist.full_name or old.specialist.email,
                    "new": new.specialist.full_name or new.specialist.email,
                    "due": date_format(new.due_date, "DATE_FORMAT"),
                },
            )
            return redirect(case_url(case, "asignaciones"))
    return _render_case(request, user, team, case, status=400, reassign_form=form)
