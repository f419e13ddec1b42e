"""The public community search page (/buscar/): anyone, no account. Shows only what the
municipalities share publicly (community.selectors.public_items, via the backend)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from search.backends import FACETS, SearchResults, get_backend
from search.forms import SearchForm
from search.presentation import present
from search.sdg import target_choices


def _page_url(params: QueryDict, page: int) -> str:
    query = params.copy()
    query["page"] = str(page)
    return "?" + query.urlencode()


def _facet_groups(form: SearchForm, results: SearchResults) -> list[dict[str, Any]]:
    chosen = {name: {str(v) for v in form.cleaned_data.get(name) or ()} for name in FACETS}
    groups = []
    for name in FACETS:
        values = results.facets.get(name) or []
        if not values and name != "sdg_target":
            continue
        group: dict[str, Any] = {
            "name": name,
            "legend": form.fields[name].label,
            "values": [
                {
                    "value": fv.value,
                    "label": fv.label,
                    "count": fv.count,
                    "checked": fv.value in chosen[name],
                    "id": f"f-{name}-{n}",
                }
                for n, fv in enumerate(values)
            ],
        }
        if name == "sdg_target":
            group.update(_target_picker(form, shown={fv.value for fv in values}))
        groups.append(group)
    return groups


def _target_picker(form: SearchForm, *, shown: set[str]) -> dict[str, Any]:
    """The target filter offers, besides the counted targets (checkboxes), a list to add one
    more: 169 official targets and the local ones are too many for checkboxes, so a select,
    grouped by goal, and only the chosen goals' targets when goals are chosen. Targets
    already shown as checkboxes are left out of it, so unticking one really removes it."""
    goals = [int(g) for g in form.cleaned_data.get("sdg_goal") or ()]
    hint = "" if shown else _("Ningún resultado tiene metas ODS asignadas.")
    choices = []
    for group in target_choices(goals):
        targets = [(code, label) for code, label in group.targets if code not in shown]
        if targets:
            choices.append({"label": group.label, "targets": targets})
    return {"choices": choices, "goals_chosen": bool(goals), "hint": hint}


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "search/index.html", {"form": form, "results": None}, status=400)
    results = get_backend().search(form.to_request())
    params = request.GET.copy()
    context = {
        "form": form,
        "results": results,
        "rows": present(results.hits),
        "facet_groups": _facet_groups(form, results),
        "query": form.cleaned_data["q"],
        "has_filters": any(form.cleaned_data.get(name) for name in FACETS),
        "previous_url": _page_url(params, results.page - 1) if results.page > 1 else "",
        "next_url": _page_url(params, results.page + 1) if results.page < results.pages else "",
        "first_shown": results.page_size * (results.page - 1) + 1,
        "last_shown": results.page_size * (results.page - 1) + len(results.hits),
        "title": _("Buscar en la comunidad"),
    }
    return render(request, "search/index.html", context)
