"""Pages of the municipal dashboard: the full page at /tablero/ (the blocks, the charts and
the map), and the blocks on the workspace home (tenants/workspace/views.home calls
`blocks_context`). Thin: parse → read → render; every member may look, and what each one
sees is decided by the selectors (private activities, the viewer's ARO level)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.accounts.models import acting_user
from tenants.dashboard import selectors
from tenants.dashboard.chart_data import charts_context
from tenants.dashboard.maps import map_context
from tenants.db import local_today


def blocks_context(request: HttpRequest) -> dict[str, Any]:
    """The dashboard's blocks for the person asking, on the municipality's today."""
    roles = getattr(request, "workspace_roles", None)
    return {"dashboard": selectors.dashboard(acting_user(request), local_today(), roles=roles)}


def dashboard_page(request: HttpRequest) -> HttpResponse:
    context = blocks_context(request)
    board: selectors.Dashboard = context["dashboard"]
    # The charts reuse the portfolio the blocks computed; the map counts the activities
    # this person may see (a private one is not counted for someone who may not see it).
    context.update(charts_context(board.today, states=board.states))
    context.update(map_context(user=acting_user(request), today=board.today))
    return render(request, "dashboard/home.html", context)
