"""Pages of the municipal structure (tenant domain): the onboarding overview, one list per
kind (search, filters, archived), create/edit, archive, place levels, import and export."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.accounts.models import acting_user
from tenants.forms_util import apply_errors
from tenants.roles import MunicipalRole
from tenants.structure import access, selectors, services, transfer
from tenants.structure.kinds import KINDS, Kind
from tenants.structure.models import ActorKind, Relevance, Theme


def _kind(key: str) -> Kind:
    if key not in KINDS:
        raise Http404
    return KINDS[key]


def _roles(request: HttpRequest) -> frozenset[str]:
    return frozenset(request.workspace_roles)  # type: ignore[attr-defined]


def overview(request: HttpRequest) -> HttpResponse:
    """The onboarding wizard: the method's steps in order, and what each still lacks."""
    labels = {
        "actors": (_("Actores"), _("Personas, instituciones y grupos de población con quienes trabaja el gobierno.")),
        "places": (_("Lugares"), _("Distritos, corregimientos, barrios: la división que usa el municipio.")),
        "themes": (_("Temas"), _("Los ejes del plan de gobierno, sus temas y subtemas.")),
        "initiatives": (
            _("Iniciativas prioritarias"),
            _("Las metas prioritarias del gobierno, cada una con su ruta crítica de metas intermedias."),
        ),
        "network": (_("Red de gestión"), _("Áreas, cargos y quién tiene cada rol del método.")),
    }
    steps = []
    for number, step in enumerate(selectors.onboarding_status(), start=1):
        title, text = labels[step["key"]]
        steps.append(
            {
                **step,
                "number": number,
                "title": title,
                "text": text,
                "url_kind": step["key"] if step["key"] in KINDS else None,
            }
        )
    next_step = next((s for s in steps if s["count"] == 0), None)
    return render(
        request, "structure/overview.html", {"steps": steps, "next_step": next_step, "levels": selectors.level_sets()}
    )


def item_list(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    roles = _roles(request)
    text = request.GET.get("q", "")
    status = request.GET.get("estado", "active")
    if status not in ("active", "archived", "all"):
        status = "active"
    filters = {name: request.GET.get(name, "") for name, _label in spec.filters}
    page = Paginator(selectors.items(spec.model, text=text, status=status, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    rows = [(item, [getter(item) for _h, getter in spec.columns]) for item in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "kind": spec,
        "rows": rows,
        "page": page,
        "q": text,
        "status": status,
        "query": query.urlencode(),
        "filters": _filter_widgets(spec, filters),
        "can_edit": bool(roles & spec.editors),
        "max_mb": int(transfer.MAX_BYTES / 1048576),
    }
    return render(request, "structure/list.html", context)


def _filter_widgets(spec: Kind, values: dict[str, str]) -> list[dict[str, Any]]:
    options: dict[str, list[tuple[str, str]]] = {
        "kind": [(str(v), str(label)) for v, label in ActorKind.choices],
        "relevance": [(str(v), str(label)) for v, label in Relevance.choices],
        "role": [(str(v), str(label)) for v, label in MunicipalRole.choices],
    }
    related: dict[str, type[models.Model]] = {
        "theme": Theme,
        "parent": spec.model,
        "place": KINDS["places"].model,
        "area": KINDS["areas"].model,
    }
    widgets = []
    for name, label in spec.filters:
        if name in options:
            choices = options[name]
        elif name == "level":
            choices = [(str(lv.pk), f"{lv.level_set} · {lv.name}") for lv in selectors.levels()]
        else:
            active = related[name]._default_manager.filter(is_active=True)
            choices = [(str(i.pk), selectors.picker_label(i)) for i in active]
        widgets.append({"name": name, "label": label, "choices": choices, "value": values.get(name, "")})
    return widgets


def _form_kwargs(request: HttpRequest, spec: Kind, instance: Any) -> dict[str, Any]:
    return spec.form_kwargs(instance=instance, roles=_roles(request), municipality=request.municipality)  # type: ignore[attr-defined]


def item_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    spec = _kind(kind)
    if not _roles(request) & spec.editors:
        raise PermissionDenied(_("Su rol no permite cambiar estos datos."))
    instance = spec.model.objects.filter(pk=pk).first() if pk else None  # type: ignore[attr-defined]
    if pk and instance is None:
        raise Http404
    form = spec.form(request.POST or None, **_form_kwargs(request, spec, instance))
    if request.method == "POST" and form.is_valid():
        try:
            saved = spec.save(actor=acting_user(request), data=form.cleaned_data, **{spec.instance_arg: instance})
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Se guardó «%(item)s».") % {"item": saved})
            return redirect("structure:list", kind=kind)
    status = 400 if request.method == "POST" else 200
    context = {"kind": spec, "form": form, "instance": instance}
    return render(request, "structure/edit.html", context, status=status)


@require_POST
def item_archive(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _kind(kind)
    instance = spec.model.objects.filter(pk=pk).first()  # type: ignore[attr-defined]
    if instance is None:
        raise Http404
    active = request.POST.get("active") == "1"
    services.set_active(actor=acting_user(request), item=instance, active=active)
    messages.success(
        request, (_("Se restauró «%(item)s».") if active else _("Se archivó «%(item)s».")) % {"item": instance}
    )
    return redirect("structure:list", kind=kind)


def place_levels(request: HttpRequest) -> HttpResponse:
    can_edit = bool(_roles(request) & access.STRUCTURE_EDITORS)
    errors: dict[str, list[str]] = {}
    values = {"name": "", "levels": "", "level_set": ""}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Su rol no permite cambiar estos datos."))
        values = {"name": request.POST.get("name", ""), "levels": request.POST.get("levels", "")}
        level_set = None
        if request.POST.get("level_set", "").isdigit():
            level_set = selectors.level_sets().filter(pk=request.POST["level_set"]).first()
        try:
            services.place_level_set_save(
                actor=acting_user(request),
                name=values["name"],
                levels=values["levels"].splitlines(),
                level_set=level_set,
            )
        except ValidationError as exc:
            errors = exc.message_dict
            values["level_set"] = str(level_set.pk) if level_set else ""
        else:
            messages.success(request, _("Se guardaron los niveles «%(name)s».") % {"name": values["name"]})
            return redirect("structure:levels")
    context = {"level_sets": selectors.level_sets(), "errors": errors, "values": values, "can_edit": can_edit}
    return render(request, "structure/levels.html", context, status=400 if errors else 200)


def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    spec = _kind(kind)
    filters = {name: request.GET.get(name, "") for name, _label in spec.filters}
    items = selectors.items(
        spec.model, text=request.GET.get("q", ""), status=request.GET.get("estado", "active"), filters=filters
    )
    headers, rows = transfer.table(kind, items, show_contacts=access.can_see_contacts(_roles(request)))
    return _download(kind, fmt, headers, rows, str(spec.title))


def template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    spec = _kind(kind)
    headers = [c.header for c in transfer.SPECS[kind].columns]
    return _download(f"plantilla-{kind}", fmt, headers, [], str(spec.title))


def _download(name: str, fmt: str, headers: list[str], rows: list[list[str]], title: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(transfer.to_csv(headers, rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            transfer.to_xlsx(headers, rows, title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def import_view(request: HttpRequest, kind: str) -> HttpResponse:
    """Upload, check every row (dry run), then confirm to save. The checked file waits in
    the cache for the confirmation, so it is not uploaded twice."""
    spec = _kind(kind)
    if not _roles(request) & spec.editors:
        raise PermissionDenied(_("Su rol no permite cambiar estos datos."))
    report = None
    problem = ""
    pending = ""
    if request.method == "POST":
        pending = request.POST.get("pending", "")
        upload = request.FILES.get("file")
        stored = cache.get(f"structure-import:{pending}") if pending else None
        if upload is not None:
            content, filename = upload.read(transfer.MAX_BYTES + 1), upload.name or ""
            dry_run = True
        elif stored is not None and stored["user"] == request.user.pk and stored["kind"] == kind:
            content, filename = stored["content"], stored["filename"]
            dry_run = False
        else:
            content, filename, dry_run = b"", "", True
            problem = (
                _("Elija un archivo .csv o .xlsx.")
                if not pending
                else _("La revisión venció; vuelva a subir el archivo.")
            )
        if not problem:
            try:
                report = transfer.import_file(
                    actor=acting_user(request), kind=kind, filename=filename, content=content, dry_run=dry_run
                )
            except transfer.FileProblem as exc:
                problem = str(exc)
            else:
                if report.written:
                    cache.delete(f"structure-import:{pending}")
                    messages.success(
                        request,
                        _("Importación lista: %(created)s nuevos y %(updated)s actualizados.")
                        % {"created": report.created, "updated": report.updated},
                    )
                    return redirect("structure:list", kind=kind)
                if not report.errors:
                    pending = secrets.token_urlsafe(16)
                    cache.set(
                        f"structure-import:{pending}",
                        {"content": content, "filename": filename, "user": request.user.pk, "kind": kind},
                        15 * 60,
                    )
    context = {
        "kind": spec,
        "report": report,
        "problem": problem,
        "pending": pending if report and not report.errors else "",
        "columns": transfer.SPECS[kind].columns,
        "max_mb": int(transfer.MAX_BYTES / 1048576),
    }
    status = 400 if problem or (report and report.errors) else 200
    return render(request, "structure/import.html", context, status=status)


def picker(request: HttpRequest, kind: str) -> JsonResponse:
    spec = _kind(kind)
    if not spec.pickable:
        raise Http404
    return JsonResponse({"results": selectors.picker_options(spec.model, request.GET.get("q", ""))})
