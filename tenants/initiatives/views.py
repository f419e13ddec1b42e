"""Pages of priority initiatives (tenant domain): the portfolio, an initiative with its
milestones, reports and ARO, the forms that change them, and one page per level of the
weekly cycle. Thin: parse → access → service → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ods_alignment import selectors_workspace as sdg_workspace
from tenants.accounts.models import User, acting_user
from tenants.communications import interface as communications_interface
from tenants.db import current_municipality, local_today
from tenants.forms_util import apply_errors
from tenants.initiatives import access, forms, rules, selectors, services
from tenants.initiatives.models import AroKind, AroLevel, AroType, Status
from tenants.initiatives.rules import Light
from tenants.initiatives.services.reports import reportable_weeks


def _user(request: HttpRequest) -> User:
    return acting_user(request)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _saved(request: HttpRequest, form: Any, fn: Any, **kwargs: Any) -> Any:
    """Call a service; on a validation error put its messages on the form. None = failed."""
    try:
        return fn(actor=_user(request), **kwargs)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


def portfolio(request: HttpRequest) -> HttpResponse:
    filters: dict[str, Any] = {
        "text": request.GET.get("q", "").strip(),
        "status": request.GET.get("estado", "") if request.GET.get("estado") in Status.values else "",
        "manager": _int(request.GET.get("gerente")),
        # From the dashboard's map: the initiatives at one place.
        "place": _int(request.GET.get("lugar")),
    }
    place = selectors.place_name(filters["place"]) if filters["place"] else None
    if filters["place"] and place is None:
        filters["place"] = None
    light = _int(request.GET.get("semaforo"))
    stale = request.GET.get("sin_reporte") == "1"
    rows = selectors.portfolio(light=light if light in Light._value2member_map_ else None, stale=stale, **filters)
    can_moderate = access.can_moderate(_user(request))
    summary = {
        lt: sum(1 for r in rows if r.light == lt) for lt in (Light.LATE, Light.AT_RISK, Light.ON_TIME, Light.DONE)
    }
    context = {
        "rows": rows,
        "summary": summary,
        "filters": filters,
        "place_name": place,
        "light": light,
        "stale": stale,
        "statuses": Status.choices,
        "lights": [Light.LATE, Light.AT_RISK, Light.ON_TIME, Light.DONE, Light.NONE],
        "managers": forms.member_choices(current_municipality(), blank=_("Todas las personas")),
        "can_create": access.can_program(_user(request)),
        "levels": selectors.level_counts(),
        "can_moderate": can_moderate,
        # Only moderators see the count.
        "pending_opinions": selectors.opinions_for_moderation().count() if can_moderate else 0,
    }
    return render(request, "initiatives/portfolio.html", context)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.initiative(pk)
    user = _user(request)
    # The manager's name comes with the other people's below.
    state = selectors.compute_states([initiative], with_names=False)[initiative.pk]
    audit = selectors.audit_trail(initiative)
    # People named anywhere on the page, the audit trail's before/after included, in one query.
    audited = [
        v for e in audit for part in ("before", "after") for k, v in (e.data.get(part) or {}).items()
        if k in ("manager_id", "follow_up_id") and isinstance(v, int)
    ]  # fmt: skip
    people = selectors.people_names(
        [
            initiative.manager_id,
            initiative.follow_up_id,
            *(m.milestone.responsible_id for m in state.milestones),
            *audited,
        ]
    )
    context = {
        "initiative": initiative,
        "state": state,
        "people": people,
        "aros": selectors.initiative_aros(initiative),
        "reports": selectors.recent_reports(initiative),
        "history": selectors.date_history(initiative),
        "audit": audit,
        "can_edit": access.can_edit(user, initiative),
        "can_report": access.can_report(user, initiative),
        "closed": initiative.programming_closed_at is not None,
        "status_form": forms.StatusForm(initiative=initiative, initial={"version": initiative.version}),
        "communication": communications_interface.results_for_initiative(initiative.pk),
        # Only a shared initiative is aligned: the template says so without reading anything.
        "sdg": (
            sdg_workspace.for_initiative(current_municipality().pk, initiative.pk)
            if initiative.share_with_community
            else None
        ),
    }
    return render(request, "initiatives/detail.html", context)


def initiative_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = selectors.initiative(pk) if pk else None
    user = _user(request)
    access.require(access.can_edit(user, instance) if instance else access.can_program(user))
    form = forms.InitiativeForm(request.POST or None, municipality=current_municipality(), instance=instance)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        saved = _saved(request, form, services.initiative_save, data=data, initiative=instance, version=version)
        if saved is not None:
            messages.success(request, _("Se guardó la iniciativa «%(name)s».") % {"name": saved.name})
            return redirect("initiatives:detail", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "initiatives/initiative_form.html", {"form": form, "instance": instance}, status=status)


@require_POST
def initiative_status(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.initiative(pk)
    form = forms.StatusForm(request.POST, initiative=initiative)
    if form.is_valid():
        done = _saved(
            request, form, services.initiative_set_status, initiative=initiative, status=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"], version=form.cleaned_data["version"],
        )  # fmt: skip
        if done is not None:
            messages.success(request, _("Estado actualizado: %(status)s.") % {"status": done.get_status_display()})
            return redirect("initiatives:detail", pk=pk)
    for error in form.errors.values():
        messages.error(request, " ".join(str(e) for e in error))
    return redirect("initiatives:detail", pk=pk)


@require_POST
def close_programming(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.initiative(pk)
    try:
        services.programming_close(actor=_user(request), initiative=initiative)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Programación cerrada: las fechas actuales son la línea base."))
    return redirect("initiatives:detail", pk=pk)


def milestone_edit(request: HttpRequest, pk: int, mid: int | None = None) -> HttpResponse:
    initiative = selectors.initiative(pk)
    instance = selectors.milestone(initiative, mid) if mid else None
    access.require(access.can_edit(_user(request), initiative))
    form = forms.MilestoneForm(
        request.POST or None,
        municipality=current_municipality(),
        initiative=initiative,
        instance=instance,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        if instance is not None and initiative.programming_closed_at is not None:
            data.pop("due_date", None)
        saved = _saved(
            request,
            form,
            services.milestone_save,
            initiative=initiative,
            data=data,
            milestone=instance,
            version=version,
        )
        if saved is not None:
            messages.success(request, _("Se guardó la meta intermedia «%(name)s».") % {"name": saved.name})
            return redirect("initiatives:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "initiative": initiative, "instance": instance}
    return render(request, "initiatives/milestone_form.html", context, status=status)


def milestone_reprogram(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    initiative = selectors.initiative(pk)
    milestone = selectors.milestone(initiative, mid)
    access.require(access.can_edit(_user(request), initiative))
    initial = {"version": milestone.version, "restriction": _int(request.GET.get("restriccion"))}
    form = forms.ReprogramForm(request.POST or None, initiative=initiative, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _saved(
            request, form, services.milestone_reprogram, milestone=milestone, new_due=data["new_due"],
            reason=data["reason"], restriction=data["restriction"], version=data["version"],
        )  # fmt: skip
        if saved is not None:
            messages.success(request, _("Meta reprogramada al %(date)s.") % {"date": saved.due_date.isoformat()})
            return redirect("initiatives:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "initiative": initiative, "milestone": milestone}
    return render(request, "initiatives/milestone_reprogram.html", context, status=status)


def milestone_complete(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    initiative = selectors.initiative(pk)
    milestone = selectors.milestone(initiative, mid)
    access.require(access.can_edit(_user(request), initiative))
    initial = {"version": milestone.version, "completed_on": local_today()}
    form = forms.CompleteForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _saved(
            request, form, services.milestone_complete, milestone=milestone, completed_on=data["completed_on"],
            evidence_text=data["evidence_text"], evidence_url=data["evidence_url"],
            evidence_file=data["evidence_file"], version=data["version"],
        )  # fmt: skip
        if saved is not None:
            messages.success(request, _("Meta «%(name)s» cumplida.") % {"name": saved.name})
            return redirect("initiatives:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "initiative": initiative, "milestone": milestone}
    return render(request, "initiatives/milestone_complete.html", context, status=status)


def evidence_file(request: HttpRequest, pk: int, mid: int) -> FileResponse:
    milestone = selectors.milestone(selectors.initiative(pk), mid)
    if not milestone.evidence_file:
        raise Http404
    return FileResponse(
        milestone.evidence_file.open("rb"), as_attachment=True, filename=milestone.evidence_file_name or "evidencia"
    )


def report_attachment(request: HttpRequest, pk: int, aid: int) -> FileResponse:
    from tenants.initiatives.models import ReportAttachment

    attachment = ReportAttachment.objects.filter(pk=aid, report__initiative_id=pk).first()
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name or "adjunto")


def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.initiative(pk)
    access.require(access.can_report(_user(request), initiative))
    milestones = list(initiative.milestones.all())
    weeks = reportable_weeks(initiative)
    form = forms.ReportForm(request.POST or None, request.FILES or None, milestones=milestones, weeks=weeks)
    if request.method == "POST" and form.is_valid():
        saved = _saved(
            request, form, services.report_submit, initiative=initiative, week_start=form.cleaned_data["week_start"],
            narrative=form.cleaned_data["narrative"], progress=form.progress(milestones),
            attachments=form.cleaned_data["attachments"],
        )  # fmt: skip
        if saved is not None:
            messages.success(
                request, _("Reporte de la semana del %(date)s guardado.") % {"date": saved.week_start.isoformat()}
            )
            return redirect("initiatives:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "initiative": initiative, "no_weeks": not weeks}
    return render(request, "initiatives/report_form.html", context, status=status)


def aro_create(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.initiative(pk)
    access.require(access.can_edit(_user(request), initiative))
    initial = {"kind": request.GET.get("clase", AroKind.ALERT), "milestone": _int(request.GET.get("meta"))}
    form = forms.AroForm(request.POST or None, initiative=initiative, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _saved(request, form, services.aro_raise, initiative=initiative, **form.cleaned_data)
        if saved is not None:
            messages.success(request, _("Se registró: %(aro)s.") % {"aro": saved.get_kind_display()})
            return redirect("initiatives:aro", pk=pk, aid=saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "initiatives/aro_form.html", {"form": form, "initiative": initiative}, status=status)


ARO_ACTIONS: dict[str, tuple[Any, str, Any]] = {
    # action: (service, its text argument, the label of the text box)
    "escalar": (services.aro_escalate, "comment", lambda: _("Por qué se escala (lo verá el nivel superior)")),
    "devolver": (services.aro_deescalate, "comment", lambda: _("Instrucciones para el nivel inferior")),
    "decidir": (services.aro_decide, "decision", lambda: _("Decisión")),
    "cerrar": (services.aro_close, "resolution", lambda: _("Resolución")),
}


def _aro_context(request: HttpRequest, aro: Any, forms_by_action: dict[str, Any] | None = None) -> dict[str, Any]:
    user = _user(request)
    level = access.acts_at(user, aro.initiative)
    action_forms = forms_by_action or {}
    for action, (_fn, _arg, label) in ARO_ACTIONS.items():
        action_forms.setdefault(
            action, forms.AroActionForm(label=label(), initial={"version": aro.version}, prefix=action)
        )
    return {
        "aro": aro,
        "initiative": aro.initiative,
        "movements": list(aro.movements.all()),
        "reprogrammings": list(aro.reprogrammings.select_related("milestone")),
        "can_act": aro.is_open and level >= aro.level,
        "can_share": aro.kind == AroKind.RESTRICTION and access.can_edit(user, aro.initiative),
        "can_escalate": aro.is_open and level >= aro.level and aro.level < AroLevel.MAYOR,
        "can_deescalate": aro.is_open and level >= aro.level and aro.level > AroLevel.MANAGER,
        "action_forms": action_forms,
        "levels": AroLevel,
    }


def aro_detail(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    aro = selectors.aro(aid, pk)
    return render(request, "initiatives/aro_detail.html", _aro_context(request, aro))


@require_POST
def aro_action(request: HttpRequest, pk: int, aid: int, action: str) -> HttpResponse:
    if action not in ARO_ACTIONS:
        raise Http404
    aro = selectors.aro(aid, pk)
    fn, arg, label = ARO_ACTIONS[action]
    form = forms.AroActionForm(request.POST, label=label(), prefix=action)
    if form.is_valid():
        try:
            done = fn(
                actor=_user(request), aro=aro, version=form.cleaned_data["version"], **{arg: form.cleaned_data["text"]}
            )
        except ValidationError as exc:
            form.add_error("text", exc.messages)
        else:
            texts = {
                "escalar": _("Escalada al nivel %(level)s."),
                "devolver": _("Devuelta al nivel %(level)s."),
                "decidir": _("Decisión registrada en el nivel %(level)s."),
                "cerrar": _("Cerrada."),
            }
            messages.success(request, texts[action] % {"level": done.level})
            return redirect("initiatives:aro", pk=pk, aid=aid)
    return render(request, "initiatives/aro_detail.html", _aro_context(request, aro, {action: form}), status=400)


@require_POST
def aro_share(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    aro = selectors.aro(aid, pk)
    shared = request.POST.get("shared") == "1"
    try:
        services.aro_set_shared(actor=_user(request), aro=aro, shared=shared)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("La restricción se comparte con la comunidad.") if shared else _("La restricción ya no se comparte."),
        )
    return redirect("initiatives:aro", pk=pk, aid=aid)


def level_page(request: HttpRequest, level: int) -> HttpResponse:
    if level not in AroLevel.values:
        raise Http404
    today = local_today()
    day = selectors.cycle_day()
    # `?gerente=`: only the initiatives one person manages (an initiative manager's level 1).
    manager = _int(request.GET.get("gerente"))
    context = {
        "level": AroLevel(level),
        "queue": selectors.level_queue(level, manager=manager),
        "cycle": rules.cycle_dates(today, day),
        "counts": selectors.level_counts(manager=manager),
        "manager": manager,
        "manager_name": selectors.people_names([manager]).get(manager or 0, "") if manager else "",
        "acts_at": {3: access.LEVEL_ROLES[3], 2: access.LEVEL_ROLES[2]},
    }
    return render(request, "initiatives/level.html", context)


def guide(request: HttpRequest) -> HttpResponse:
    return render(request, "initiatives/guide.html", {"tolerance": rules.TOLERANCE, "lights": list(Light)})


def settings_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    can_edit = access.can_edit_settings(user)
    day = selectors.cycle_day()
    cycle_form = forms.CycleForm(initial={"cycle_day": day})
    type_form = forms.AroTypeForm()
    if request.method == "POST":
        access.require(can_edit)
        what = request.POST.get("what")
        try:
            if what == "cycle":
                cycle_form = forms.CycleForm(request.POST)
                if cycle_form.is_valid():
                    services.cycle_settings_save(actor=user, cycle_day=cycle_form.cleaned_data["cycle_day"])
                    messages.success(request, _("Ciclo semanal guardado."))
                    return redirect("initiatives:settings")
            elif what == "type":
                type_form = forms.AroTypeForm(request.POST)
                if type_form.is_valid():
                    services.aro_type_save(actor=user, data={"name": type_form.cleaned_data["name"]})
                    messages.success(request, _("Tipo agregado."))
                    return redirect("initiatives:settings")
            elif what == "toggle":
                found = AroType.objects.filter(pk=_int(request.POST.get("type")) or 0).first()
                if found is None:
                    raise Http404
                services.aro_type_save(
                    actor=user, aro_type=found, data={"name": found.name, "is_active": not found.is_active}
                )
                messages.success(request, _("Tipo actualizado."))
                return redirect("initiatives:settings")
        except ValidationError as exc:
            apply_errors(type_form if what != "cycle" else cycle_form, exc)
    context = {
        "cycle_form": cycle_form,
        "type_form": type_form,
        "types": AroType.objects.all(),
        "can_edit": can_edit,
        "cycle": rules.cycle_dates(local_today(), day),
    }
    return render(request, "initiatives/settings.html", context, status=400 if request.method == "POST" else 200)
