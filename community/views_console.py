"""The regional console (public domain, /regional/): detected groups of common themes and
shared problems, what the team does to them, lab proposals, and "run detection now".

Only the regional team and platform administrators see it; anyone else logged in gets a
404, as if the console were not there, and a visitor is sent to log in. Thin views:
parse → access → service → render; every write is a service that checks the role again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from community import selectors_groups as selectors
from community import services_groups as services
from community.forms_console import (
    DismissForm,
    GroupFilterForm,
    LabProposalForm,
    MergeForm,
    RenameForm,
    SplitForm,
)
from community.models import DetectionRun, Group, GroupKind
from community.presentation_groups import ARO_TYPE_LABELS, item_row, strength_label
from tenants.accounts.models import User, acting_user
from tenants.selectors import is_regional_team
from tenants.validators import parse_id

PAGE_SIZE = 30
TAB_LABELS = {GroupKind.THEME: gettext_lazy("Temas comunes"), GroupKind.PROBLEM: gettext_lazy("Problemas compartidos")}
# Fields whose errors are about the whole form, not one input (the hidden version, the group).
_FORM_LEVEL = {"version", "group", "target", "others"}


def _console_user(request: HttpRequest) -> User:
    user = acting_user(request)
    if not is_regional_team(user):
        raise Http404
    return user


def _apply(form: Any, exc: ValidationError) -> None:
    """A service's errors on the form: per field where the form has the input, else on
    top (a stale version says so above the form, where it is read)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        visible = name in form.fields and name not in _FORM_LEVEL
        form.add_error(name if visible else None, errors)


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _detail_url(group: Group) -> str:
    return reverse("console:group", args=[group.pk])


# ---------------------------------------------------------------------------------------
# The list


@login_required
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    _console_user(request)
    data = request.GET.copy()
    if data.get("tipo") not in GroupKind.values:
        data["tipo"] = GroupKind.THEME
    form = GroupFilterForm(data)
    filters = form.selector_filters()
    kind = filters.pop("kind")
    page = Paginator(selectors.groups_list(kind=kind, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    groups = list(page.object_list)
    themes = selectors.theme_names(groups)
    counts = selectors.kind_counts(**filters)
    run = selectors.latest_run()
    query = data.copy()
    query.pop("page", None)
    tabs = []
    for value, label in TAB_LABELS.items():
        tab_query = query.copy()
        tab_query["tipo"] = value
        tabs.append({"kind": value, "label": label, "count": counts[value], "query": tab_query.urlencode()})
    context = {
        "form": form,
        "kind": kind,
        "kind_label": GroupKind(kind).label,
        "tabs": tabs,
        "page": page,
        "rows": [_row(g, themes) for g in groups],
        "query": query.urlencode(),
        "keep": [("tipo", kind)],
        "filtered": any(k in request.GET for k in form.fields if k != "tipo"),
        "run": run,
        "run_summary": _run_summary(run),
        "run_seconds": run.duration_ms / 1000 if run is not None else 0,
    }
    return render(request, "community/console/list.html", context)


# What a detection run's summary counts, in words, in this order (other keys are internal
# figures of the run and are not shown).
RUN_SUMMARY_LABELS = {
    "themes": gettext_lazy("grupos de temas comunes"),
    "problems": gettext_lazy("grupos de problemas compartidos"),
    "new": gettext_lazy("grupos nuevos"),
    "changed": gettext_lazy("grupos que cambiaron"),
    "unchanged": gettext_lazy("grupos sin cambios"),
    "gone": gettext_lazy("grupos que ya no se detectan"),
    "returned": gettext_lazy("grupos descartados que volvieron"),
    "dismissed_kept": gettext_lazy("grupos descartados que siguen descartados"),
    "curated_changed": gettext_lazy("grupos editados con cambios propuestos"),
    "curated_absorbed": gettext_lazy("hallazgos cubiertos por grupos editados"),
}


def _run_summary(run: DetectionRun | None) -> list[tuple[str, Any]]:
    if run is None or not isinstance(run.summary, dict):
        return []
    rows = []
    for key, label in RUN_SUMMARY_LABELS.items():
        value = run.summary.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            rows.append((str(label), value))
    return rows


def _list(reasons: dict[str, Any], key: str) -> list[Any]:
    value = reasons.get(key)
    return list(value)[:8] if isinstance(value, list) else []


def _row(group: Group, themes: dict[int, str]) -> dict[str, Any]:
    """What a group's card says: why it exists (detection's `reasons`, see
    community/detection/describe.py) and its badges."""
    change = group.change if isinstance(group.change, dict) else {}
    reasons = group.reasons if isinstance(group.reasons, dict) else {}
    is_new = bool(change.get("new"))
    types = ARO_TYPE_LABELS
    return {
        "group": group,
        "themes": [themes[int(t)] for t in _list(reasons, "themes") if str(t).isdigit() and int(t) in themes],
        "terms": _list(reasons, "terms"),
        "sdg_targets": _list(reasons, "sdg_targets"),
        # Goals only when no target is shared (a target already names its goal).
        "sdg_goals": [] if _list(reasons, "sdg_targets") else _list(reasons, "sdg_goals"),
        "regions": _list(reasons, "regions"),
        "restriction_types": [str(types.get(t, t)) for t in _list(reasons, "restriction_types")],
        "is_new": is_new,
        "changed": not is_new and bool(change.get("added") or change.get("removed") or change.get("returned")),
        "strength_pct": round(group.strength * 100),
        "strength_label": strength_label(group.strength),
    }


# ---------------------------------------------------------------------------------------
# One group


def _render_detail(request: HttpRequest, group: Group, status: int = 200, **forms: Any) -> HttpResponse:
    detail = selectors.group_detail(group)
    initial = {"version": group.version}
    context = {
        "d": detail,
        "group": group,
        "rename_form": forms.get("rename") or RenameForm(initial={**initial, "name": group.display_name}),
        "dismiss_form": forms.get("dismiss") or DismissForm(initial=initial, auto_id="dismiss-%s"),
        "split_form": forms.get("split") or SplitForm(initial=initial, members=detail.members),
        "lab_form": forms.get("lab") or LabProposalForm(initial={**initial, "title": group.display_name}),
        "open": group.is_active and group.dismissed_at is None,
        "reasons": _row(group, detail.themes),
        "members": [(m, item_row(m.item)) for m in detail.members],
    }
    return render(request, "community/console/detail.html", context, status=status)


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _console_user(request)
    return _render_detail(request, selectors.group_or_404(pk))


@login_required
@require_POST
def group_rename(request: HttpRequest, pk: int) -> HttpResponse:
    user = _console_user(request)
    group = selectors.group_or_404(pk)
    form = RenameForm(request.POST)
    if form.is_valid():
        try:
            group = services.group_rename(
                actor=user, group=group, name=form.cleaned_data["name"], version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("El grupo ahora se llama «%(name)s».") % {"name": group.display_name})
            return redirect(_detail_url(group))
    return _render_detail(request, group, status=400, rename=form)


@login_required
@require_POST
def group_pin(request: HttpRequest, pk: int, pinned: bool) -> HttpResponse:
    user = _console_user(request)
    group = selectors.group_or_404(pk)
    version = _version(request)
    try:
        if pinned:
            group = services.group_pin(actor=user, group=group, version=version)
            messages.success(request, _("«%(name)s» quedó fijado arriba de la lista.") % {"name": group.display_name})
        else:
            group = services.group_unpin(actor=user, group=group, version=version)
            messages.success(request, _("«%(name)s» ya no está fijado.") % {"name": group.display_name})
    except ValidationError as exc:
        _flash_errors(request, exc)
    return redirect(_detail_url(group))


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return parse_id(value) if value else None


@login_required
@require_POST
def group_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    user = _console_user(request)
    group = selectors.group_or_404(pk)
    form = DismissForm(request.POST, auto_id="dismiss-%s")
    if form.is_valid():
        try:
            group = services.group_dismiss(
                actor=user, group=group, reason=form.cleaned_data["reason"], version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request,
                _("Se descartó «%(name)s». No volverá salvo que sus miembros cambien mucho.")
                % {"name": group.display_name},
            )
            return redirect(_detail_url(group))
    return _render_detail(request, group, status=400, dismiss=form)


@login_required
@require_POST
def group_restore(request: HttpRequest, pk: int) -> HttpResponse:
    user = _console_user(request)
    group = selectors.group_or_404(pk)
    try:
        group = services.group_restore(actor=user, group=group, version=_version(request))
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Se restauró «%(name)s».") % {"name": group.display_name})
    return redirect(_detail_url(group))


@login_required
@require_POST
def group_split(request: HttpRequest, pk: int) -> HttpResponse:
    user = _console_user(request)
    group = selectors.group_or_404(pk)
    form = SplitForm(request.POST, members=selectors.live_members(group))
    if form.is_valid():
        try:
            new = services.group_split(
                actor=user,
                group=group,
                item_ids=form.cleaned_data["item_ids"],
                name=form.cleaned_data["name"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request,
                _("Se creó el grupo «%(new)s» con %(n)s miembros de «%(name)s».")
                % {"new": new.display_name, "n": len(form.cleaned_data["item_ids"]), "name": group.display_name},
            )
            return redirect(_detail_url(new))
    return _render_detail(request, group, status=400, split=form)


@login_required
@require_POST
def lab_propose(request: HttpRequest, pk: int) -> HttpResponse:
    user = _console_user(request)
    group = selectors.group_or_404(pk)
    form = LabProposalForm(request.POST)
    if form.is_valid():
        try:
            proposal = services.lab_propose(
                actor=user,
                group=group,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request,
                _("Se guardó la propuesta de laboratorio «%(title)s» con %(n)s miembros.")
                % {"title": proposal.title, "n": len(proposal.members)},
            )
            return redirect(reverse("console:labs") + f"#lab-{proposal.pk}")
    return _render_detail(request, group, status=400, lab=form)


# ---------------------------------------------------------------------------------------
# Merge


def _merge_choices(ids: list[int]) -> list[Group]:
    return list(selectors.groups_list(state=selectors.GroupState.ALL).filter(pk__in=ids))


@login_required
def group_merge(request: HttpRequest) -> HttpResponse:
    """GET ?grupos=1&grupos=2: choose which group is kept. POST: merge the others into it."""
    user = _console_user(request)
    source: QueryDict = request.POST if request.method == "POST" else request.GET
    ids = sorted({pk for v in source.getlist("grupos") if (pk := parse_id(v)) is not None})
    groups = _merge_choices(ids)
    if len(groups) < 2:
        messages.error(request, _("Marque al menos dos grupos en la lista para unirlos."))
        return redirect("console:groups")
    form = MergeForm(
        request.POST if request.method == "POST" else None,
        initial={"grupos": [g.pk for g in groups], "target": groups[0].pk},
        choices=[(g.pk, g.display_name) for g in groups],
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            by_pk = {g.pk: g for g in groups}
            target = by_pk[form.cleaned_data["target"]]
            others = [by_pk[i] for i in form.cleaned_data["grupos"] if i != target.pk]
            version = request.POST.get(f"version_{target.pk}", "")
            try:
                target = services.group_merge(
                    actor=user,
                    target=target,
                    others=others,
                    version=parse_id(version) if version else None,
                )
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(
                    request,
                    ngettext("Se unió %(n)s grupo a «%(name)s».", "Se unieron %(n)s grupos a «%(name)s».", len(others))
                    % {"n": len(others), "name": target.display_name},
                )
                return redirect(_detail_url(target))
    elif len({g.kind for g in groups}) > 1:
        messages.error(request, _("Solo se unen temas con temas, o problemas con problemas."))
        return redirect("console:groups")
    return render(request, "community/console/merge.html", {"form": form, "groups": groups}, status=status)


# ---------------------------------------------------------------------------------------
# Labs and detection


@login_required
@require_GET
def lab_list(request: HttpRequest) -> HttpResponse:
    _console_user(request)
    page = Paginator(selectors.lab_proposals(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "community/console/labs.html", {"page": page, "proposals": list(page.object_list)})


@login_required
@require_POST
def run_detection(request: HttpRequest) -> HttpResponse:
    user = _console_user(request)
    try:
        # Detection lives in community.detection (another part of this issue); imported
        # here so that the console works, and says so, even where it is not installed.
        from community.detection.services import detection_request
    except ImportError:
        messages.error(request, _("La detección no está disponible en este servidor."))
    else:
        detection_request(actor=user)
        messages.success(
            request, _("Se pidió una detección. Los grupos se actualizan en unos minutos; recargue la página.")
        )
    return redirect("console:groups")
