"""The platform theme vocabulary (public domain, /regional/vocabulario/): the regional team
(or a platform administrator) lists, creates, edits, deactivates and reactivates themes.
Anyone else gets the login page or a 403, like the other platform pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import selectors_themes as selectors
from community import services_themes as services
from community.forms_themes import PlatformThemeForm
from community.models import PlatformTheme
from tenants.accounts.models import acting_user
from tenants.forms_util import apply_errors


def _require_team(request: HttpRequest) -> None:
    services.require_vocabulary_editor(acting_user(request))


def _theme(pk: int) -> PlatformTheme:
    theme = selectors.platform_theme_by_id(pk)
    if theme is None:
        raise Http404
    return theme


@login_required
def vocabulary_list(request: HttpRequest) -> HttpResponse:
    """The vocabulary with its use, and the form to add a theme."""
    _require_team(request)
    form = PlatformThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.platform_theme_create(actor=acting_user(request), **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Se agregó el tema «%(name)s».") % {"name": theme.name})
            return redirect("vocabulary:list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "community/vocabulary/list.html", {"rows": selectors.vocabulary_rows(), "form": form}, status=status
    )


@login_required
def vocabulary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_team(request)
    theme = _theme(pk)
    initial = {"name": theme.name, "description": theme.description}
    form = PlatformThemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.platform_theme_update(actor=acting_user(request), theme=theme, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Se guardó el tema «%(name)s».") % {"name": theme.name})
            return redirect("vocabulary:list")
    status = 400 if request.method == "POST" else 200
    return render(request, "community/vocabulary/edit.html", {"theme": theme, "form": form}, status=status)


@login_required
@require_POST
def vocabulary_set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    _require_team(request)
    theme = services.platform_theme_set_active(actor=acting_user(request), theme=_theme(pk), active=active)
    if active:
        messages.success(request, _("El tema «%(name)s» está activo de nuevo.") % {"name": theme.name})
    else:
        messages.success(
            request,
            _(
                "El tema «%(name)s» quedó desactivado: ya no se ofrece a los municipios ni cuenta en la búsqueda "
                "y la detección. Sus correspondencias se conservan para cuando lo reactive."
            )
            % {"name": theme.name},
        )
    return redirect("vocabulary:list")
