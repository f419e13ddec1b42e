"""A municipality maps its own themes to the platform vocabulary (tenant domain,
/comunidad/temas/). Each active theme shows its mapping: a suggestion to confirm, choose
another for or turn down, or a decision to change. The system counterpart and the mayor
decide; other members see the page read-only; non-members never get here (the middleware
answers 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import selectors_themes as selectors
from community import services_themes as services
from community.forms_themes import MappingChoiceForm
from community.models import MappingStatus
from tenants.accounts.models import acting_user
from tenants.models import Municipality
from tenants.roles import MEMBER_MANAGERS
from tenants.structure import selectors as structure_selectors
from tenants.structure.models import Theme


def _municipality(request: HttpRequest) -> Municipality:
    return request.municipality  # type: ignore[attr-defined, no-any-return]


def _can_decide(request: HttpRequest) -> bool:
    return bool(frozenset(request.workspace_roles) & MEMBER_MANAGERS)  # type: ignore[attr-defined]


def _local_themes() -> list[Theme]:
    """The municipality's active themes, in plan order (read from its own schema)."""
    return list(structure_selectors.items(Theme, status="active").order_by("code"))


def _local_theme(pk: int) -> Theme:
    theme = next((t for t in _local_themes() if t.pk == pk), None)
    if theme is None:
        raise Http404
    return theme


def _render(request: HttpRequest, *, errors: dict[int, list[str]] | None = None, status: int = 200) -> HttpResponse:
    municipality = _municipality(request)
    local = _local_themes()
    # Suggestions appear even for themes no shared item has carried yet.
    services.ensure_suggestions(
        municipality=municipality,
        themes=[{"id": t.pk, "name": t.name, "description": t.description} for t in local],
    )
    mappings = selectors.mappings_of(municipality)
    rows: list[dict[str, Any]] = []
    for theme in local:
        mapping = mappings.get(theme.pk)
        platform = mapping.platform_theme if mapping else None
        state = mapping.status if mapping else MappingStatus.SUGGESTED
        rows.append(
            {
                "theme": theme,
                "mapping": mapping,
                "platform": platform,
                "state": state,
                "retired": platform is not None and not platform.is_active and state != MappingStatus.REJECTED,
                "percent": round((mapping.score if mapping else 0) * 100),
                "errors": (errors or {}).get(theme.pk, []),
            }
        )
    context = {
        "rows": rows,
        "platform_themes": list(selectors.active_platform_themes()),
        "can_decide": _can_decide(request),
        "pending": sum(1 for r in rows if r["state"] == MappingStatus.SUGGESTED or r["retired"]),
    }
    return render(request, "community/mapping/list.html", context, status=status)


def mapping_list(request: HttpRequest) -> HttpResponse:
    return _render(request)


def _require_decider(request: HttpRequest) -> None:
    if not _can_decide(request):
        raise PermissionDenied(_("Solo la contraparte del sistema o el titular pueden decidir la correspondencia."))


def _back(theme: Theme) -> HttpResponse:
    return redirect(reverse("theme_mapping:list") + f"#tema-{theme.pk}")


@require_POST
def mapping_confirm(request: HttpRequest, local_id: int) -> HttpResponse:
    _require_decider(request)
    theme = _local_theme(local_id)
    form = MappingChoiceForm(request.POST)
    if not form.is_valid():
        return _render(request, errors={theme.pk: [str(e) for e in form.errors["platform_theme"]]}, status=400)
    try:
        mapping = services.mapping_confirm(
            actor=acting_user(request),
            municipality=_municipality(request),
            local_theme_id=theme.pk,
            local_theme_name=theme.name,
            platform_theme=form.cleaned_data["platform_theme"],
        )
    except ValidationError as exc:
        return _render(request, errors={theme.pk: exc.messages}, status=400)
    messages.success(
        request,
        _("«%(local)s» corresponde ahora a «%(platform)s».")
        % {"local": theme.name, "platform": mapping.platform_theme},
    )
    return _back(theme)


@require_POST
def mapping_reject(request: HttpRequest, local_id: int) -> HttpResponse:
    _require_decider(request)
    theme = _local_theme(local_id)
    try:
        services.mapping_reject(
            actor=acting_user(request),
            municipality=_municipality(request),
            local_theme_id=theme.pk,
            local_theme_name=theme.name,
        )
    except ValidationError as exc:
        return _render(request, errors={theme.pk: exc.messages}, status=400)
    messages.success(
        request, _("«%(local)s» quedó sin correspondencia en el vocabulario de la plataforma.") % {"local": theme.name}
    )
    return _back(theme)
