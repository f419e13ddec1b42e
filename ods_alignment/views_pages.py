"""The public SDG pages (public domain, /ods/): the 17 goals, a page per goal and per target
listing the aligned public initiatives of every municipality, the municipalities-by-goals
grid (and initiatives by goals per municipality), and the method page with its editor.

Anyone may read them, without an account, and they show only public initiatives; the
regional team and SDG specialists see in the grid every shared initiative, public or not
(and the page says which set it shows). Only the regional team edits the method page;
anyone else logged in gets a 404 there, and a visitor is asked to log in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ods_alignment import selectors_method as method_selectors
from ods_alignment import selectors_pages as selectors
from ods_alignment.forms_pages import GridFilterForm, MethodPageForm
from ods_alignment.selectors import goals
from ods_alignment.services.method_page import method_page_save
from tenants.accounts.models import User, acting_user
from tenants.forms_util import apply_errors, query_without
from tenants.selectors import active_municipality, has_sdg_role, is_regional_team

# The grid's choice of set, for those who may see more than the public one.
SET_PARAM = "conjunto"
PUBLIC_SET = "publicas"


def _viewer(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def _head_context(request: HttpRequest) -> dict[str, Any]:
    return {"can_edit_method": is_regional_team(_viewer(request))}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    public = selectors.initiatives()
    counts = selectors.goal_counts(public)
    context = {
        "cards": [(goal, counts.get(goal.number, 0)) for goal in goals()],
        # Two different numbers, each named for what it counts: distinct initiatives, and
        # initiative-goal links (the cards' sum: an initiative counts once per goal).
        "initiatives": selectors.aligned_count(public),
        "links": sum(counts.values()),
        **_head_context(request),
    }
    return render(request, "ods_alignment/pages/index.html", context)


@require_GET
def goal_detail(request: HttpRequest, number: int) -> HttpResponse:
    goal = selectors.goal_by_number(number)
    if goal is None:
        raise Http404
    items = selectors.aligned_to_goal(goal)
    listing = selectors.initiative_page(items, request.GET.get("page"), goal=goal.number)
    counts = selectors.target_counts(selectors.initiatives(), goal)
    context = {
        "goal": goal,
        "targets": [(target, counts.get(target.code, 0)) for target in selectors.targets_listing(goal)],
        "page": listing.page,
        "rows": listing.rows,
        "query": query_without(request.GET),
    }
    return render(request, "ods_alignment/pages/goal.html", context)


@require_GET
def target_detail(request: HttpRequest, code: str) -> HttpResponse:
    target = selectors.target_for_code(code)
    if target is None:
        raise Http404
    items = selectors.aligned_to_target(target)
    listing = selectors.initiative_page(items, request.GET.get("page"), target=target.code)
    context = {
        "target": target,
        "goal": target.goal,
        "indicators": selectors.indicators_of(target),
        "local_targets": selectors.local_targets_of(target),
        "page": listing.page,
        "rows": listing.rows,
        "query": query_without(request.GET),
    }
    return render(request, "ods_alignment/pages/target.html", context)


def _grid_set(request: HttpRequest) -> tuple[bool, bool]:
    """(may see shared, shows shared): SDG roles see every shared initiative unless they
    chose the public set (they align those initiatives)."""
    may = has_sdg_role(_viewer(request))
    return may, may and request.GET.get(SET_PARAM) != PUBLIC_SET


def _set_links(
    request: HttpRequest, name: str, may_see_shared: bool, chosen_public: bool, **kwargs: str
) -> dict[str, Any]:
    """Links between the two sets of a grid page, and where "clear filters" goes (the
    chosen set stays)."""
    base = reverse(name, kwargs=kwargs or None)
    public = f"{base}?{SET_PARAM}={PUBLIC_SET}"
    return {
        "may_see_shared": may_see_shared,
        "shared_url": base,
        "public_url": public,
        "clear_url": public if chosen_public else base,
    }


@require_GET
def grid(request: HttpRequest) -> HttpResponse:
    may_see_shared, include_shared = _grid_set(request)
    form = GridFilterForm(request.GET, countries=selectors.country_choices(include_shared=include_shared))
    country = form.filters().get("pais", "")
    data = selectors.grid(include_shared=include_shared, country=country, page=request.GET.get("page"))
    chosen_public = may_see_shared and not include_shared
    context = {
        "grid": data,
        "form": form,
        "keep": [(SET_PARAM, PUBLIC_SET)] if chosen_public else [],
        "country": country,
        "country_label": selectors.country_label(country) if country else "",
        **_set_links(request, "ods:grid", may_see_shared, chosen_public),
        "row_query": f"?{SET_PARAM}={PUBLIC_SET}" if chosen_public else "",
        "query": query_without(request.GET),
    }
    return render(request, "ods_alignment/pages/grid.html", context)


@require_GET
def grid_municipality(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = active_municipality(slug)
    if municipality is None:
        raise Http404
    may_see_shared, include_shared = _grid_set(request)
    data = selectors.municipality_grid(municipality, include_shared=include_shared, page=request.GET.get("page"))
    chosen_public = may_see_shared and not include_shared
    context = {
        "grid": data,
        "municipality": municipality,
        "country_label": selectors.country_label(municipality.country),
        **_set_links(request, "ods:grid-municipality", may_see_shared, chosen_public, slug=municipality.slug),
        "grid_url": reverse("ods:grid") + (f"?{SET_PARAM}={PUBLIC_SET}" if chosen_public else ""),
        "query": query_without(request.GET),
    }
    return render(request, "ods_alignment/pages/grid_municipality.html", context)


@require_GET
def method(request: HttpRequest) -> HttpResponse:
    revision = method_selectors.current_revision()
    text = method_selectors.method_text(revision=revision)
    context = {
        "text": text,
        "blocks": method_selectors.text_blocks(text.text),
        "figures": method_selectors.method_figures(),
        **_head_context(request),
    }
    return render(request, "ods_alignment/pages/method.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def method_edit(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not is_regional_team(user):
        raise Http404
    revision = method_selectors.current_revision()
    if request.method == "POST":
        form = MethodPageForm(request.POST)
        if form.is_valid():
            read_version = form.cleaned_data.get("version")
            try:
                saved = method_page_save(
                    actor=user,
                    body_es=form.cleaned_data["body_es"],
                    body_en=form.cleaned_data["body_en"],
                    version=read_version if read_version is not None else 0,
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                # The version is a hidden field: its error (someone saved meanwhile) goes on top.
                apply_errors(form, exc, non_field=("version",))
            else:
                if saved.version == read_version:
                    messages.info(request, _("No había cambios que guardar."))
                else:
                    messages.success(
                        request, _("Se guardó la página del método (versión %(n)s).") % {"n": saved.version}
                    )
                return redirect("ods:method")
    else:
        current_es = method_selectors.method_text("es", revision=revision)
        current_en = method_selectors.method_text("en", revision=revision)
        form = MethodPageForm(
            initial={
                "body_es": current_es.text,
                # An English text that is really the Spanish fallback starts empty.
                "body_en": current_en.text if current_en.language == "en" else "",
                "version": revision.version if revision is not None else 0,
            }
        )
    context = {
        "form": form,
        "revision": revision,
        "history": method_selectors.method_history(),
    }
    return render(request, "ods_alignment/pages/method_edit.html", context, status=400 if form.errors else 200)
