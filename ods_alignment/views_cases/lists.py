"""The lists: the work queue (and, for the regional team, every case and the initiatives
still without one), opening a case, local targets and agreement per specialist pair."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ods_alignment import selectors, services
from ods_alignment import selectors_cases as cases
from ods_alignment.forms_cases import (
    MAX_ITEM_CHOICES,
    CaseFilterForm,
    CaseOpenForm,
    InitiativeFilterForm,
    LocalTargetForm,
)
from ods_alignment.models import AlignmentCase, CaseStatus
from ods_alignment.views_cases.common import (
    DEFAULT_DEADLINE_DAYS,
    PAGE_SIZE,
    case_url,
    due_words,
    item_title,
    kappa_words,
    percent,
    sdg_user,
    team_user,
)
from tenants.forms_util import apply_errors, query_without
from tenants.validators import parse_id

# --- The queue --------------------------------------------------------------------------------


def _entry_row(case: AlignmentCase, due: date, today: date, *, waiting: bool = True) -> dict[str, Any]:
    """A queue row. `waiting`: the date is one still to meet (a proposal to send), so it is
    told in words and may be overdue; otherwise (a decided case, a dispute whose proposals
    are all in) it is only a date, never a warning."""
    days = (due - today).days
    return {
        "case": case,
        "title": item_title(case),
        "due": due,
        "due_words": due_words(due, today) if waiting else "",
        "overdue": waiting and days < 0,
        "due_soon": waiting and 0 <= days <= selectors.DUE_SOON_DAYS,
    }


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user, team = sdg_user(request)
    today = timezone.localdate()
    mine = selectors.queue_for(user, today=today)
    # The regional team may publish every decided case, not only those it leads.
    ready = list(cases.cases_to_publish()[: PAGE_SIZE + 1]) if team else [e.case for e in mine.to_publish]
    context: dict[str, Any] = {
        "team": team,
        "to_propose": [_entry_row(e.case, e.due_date, today) for e in mine.to_propose],
        "to_adjudicate": [_entry_row(e.case, e.due_date, today, waiting=False) for e in mine.to_adjudicate],
        "to_publish": [_entry_row(c, c.deadline, today, waiting=False) for c in ready[:PAGE_SIZE]],
        "more_to_publish": len(ready) > PAGE_SIZE,
        "mine_count": len(mine.to_propose) + len(mine.to_adjudicate) + len(ready),
    }
    if team:
        form = CaseFilterForm(request.GET)
        filters = form.filters()
        page = Paginator(
            cases.cases_list(status=filters.get("estado", cases.IN_PROGRESS), q=filters.get("q", "")), PAGE_SIZE
        ).get_page(request.GET.get("pagina"))
        items_form = InitiativeFilterForm(request.GET)
        items_q = items_form.filters().get("iniciativa", "")
        items_page = Paginator(cases.initiatives_without_case(q=items_q), PAGE_SIZE).get_page(
            request.GET.get("pagina_iniciativas")
        )
        context.update(
            form=form,
            items_form=items_form,
            cases_page=page,
            cases_query=query_without(request.GET, "pagina"),
            # Only a case still waiting for proposals can be late; a decided one's deadline is past history.
            case_rows=[_entry_row(c, c.deadline, today, waiting=c.status == CaseStatus.OPEN) for c in page.object_list],
            items_page=items_page,
            items_query=query_without(request.GET, "pagina_iniciativas"),
            filtered=bool(filters),
            items_filtered=bool(items_q),
        )
    return render(request, "ods_alignment/cases/queue.html", context)


# --- Opening a case ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    user = team_user(request)
    without_case = list(cases.initiatives_without_case()[:MAX_ITEM_CHOICES])
    initial: dict[str, Any] = {"deadline": timezone.localdate() + timedelta(days=DEFAULT_DEADLINE_DAYS)}
    chosen = parse_id(request.GET.get("item", ""))
    if chosen is not None:
        item = cases.live_initiatives().select_related("municipality").filter(pk=chosen).first()
        if item is not None:
            initial["item"] = item.pk
            if item.pk not in {i.pk for i in without_case}:
                without_case.insert(0, item)  # the service says why, if it already has a case
    form = CaseOpenForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        items=cases.live_initiatives(),
        item_choices=without_case,
        specialists=cases.sdg_specialists(),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.case_open(
                    actor=user,
                    item=data["item"],
                    specialists=list(data["specialists"]),
                    lead=data["lead"],
                    deadline=data["deadline"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Se abrió el caso de «%(title)s». Las personas especialistas lo ven en su lista de pendientes.")
                    % {"title": item_title(case)},
                )
                return redirect(case_url(case))
    context = {"form": form, "has_items": bool(without_case), "has_specialists": cases.sdg_specialists().exists()}
    return render(request, "ods_alignment/cases/open.html", context, status=status)


# --- Local targets and agreement ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def local_targets(request: HttpRequest) -> HttpResponse:
    user, team = sdg_user(request)
    if request.method == "POST" and not team:
        raise Http404  # specialists read the list; only the regional team adds to it
    form = LocalTargetForm(request.POST if request.method == "POST" else None, parents=cases.official_targets())
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                target = services.local_target_create(
                    actor=user,
                    parent=data["parent"],
                    code=data["code"],
                    title_es=data["title_es"],
                    title_en=data["title_en"],
                    title_fr=data["title_fr"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Se añadió la meta local %(code)s bajo la meta %(parent)s.")
                    % {"code": target.code, "parent": data["parent"].code},
                )
                return redirect(reverse("ods:local-targets") + f"#meta-{target.code}")
    context = {"groups": cases.local_targets_by_parent(), "form": form if team else None, "team": team}
    return render(request, "ods_alignment/cases/local_targets.html", context, status=status)


@login_required
@require_GET
def agreement(request: HttpRequest) -> HttpResponse:
    user, team = sdg_user(request)
    rows = cases.pair_rows(specialist=None if team else user)
    pairs = [
        {
            "row": r,
            "pooled": r.pair.pooled_kappa,
            "pooled_words": kappa_words(r.pair.pooled_kappa),
            "mean": r.pair.mean_kappa,
            "overlap_pct": percent(r.pair.mean_target_overlap),
        }
        for r in rows
    ]
    return render(request, "ods_alignment/cases/agreement.html", {"pairs": pairs, "team": team})
