"""What every page's layout needs: where we are, who you are, what you may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from tenants.middleware import PUBLIC_PREFIXES
from tenants.roles import MEMBER_MANAGERS, REGIONAL_ROLES, SDG_ROLES, PlatformRole
from tenants.selectors import platform_roles_of

# (url name, label, roles that see it; empty = every member).
WORKSPACE_NAV: list[tuple[str, Any, frozenset[str]]] = [
    ("home", _("Inicio"), frozenset()),
    ("agenda:calendar", _("Agenda"), frozenset()),
    ("initiatives:portfolio", _("Iniciativas"), frozenset()),
    ("communications:list", _("Comunicación"), frozenset()),
    ("structure:overview", _("Estructura"), frozenset()),
    ("community:groups", _("Comunidad"), frozenset()),
    ("sdg_workspace:index", _("ODS"), frozenset()),
    ("workspace:members", _("Miembros"), frozenset(MEMBER_MANAGERS)),
    ("api-docs", _("API"), frozenset()),
]
# (url name, label, platform roles that see it; empty = everyone, None = logged-in users).
PUBLIC_NAV: list[tuple[str, Any, frozenset[str] | None]] = [
    ("home", _("Municipios"), frozenset()),
    ("search:index", _("Buscar en la comunidad"), frozenset()),
    ("ods:index", _("ODS"), frozenset()),
    ("my-workspaces", _("Mis espacios"), None),
    ("ods:queue", _("Alineación ODS"), SDG_ROLES),
    ("console:groups", _("Consola regional"), REGIONAL_ROLES),
    (
        "vocabulary:list",
        _("Vocabulario de temas"),
        REGIONAL_ROLES,
    ),
    ("platform:municipality-list", _("Administrar municipios"), frozenset({PlatformRole.PLATFORM_ADMIN})),
    ("api-docs", _("API"), frozenset()),
]


def _platform_roles(request: HttpRequest) -> frozenset[str]:
    cached = getattr(request, "_platform_roles", None)
    if cached is None:
        user = getattr(request, "user", None)
        cached = platform_roles_of(user if user is not None and user.is_authenticated else None)  # type: ignore[arg-type]
        request._platform_roles = cached  # type: ignore[attr-defined]
    return cached


# Pages that belong to a nav entry without living under its address.
SECTION_PAGES: dict[str, tuple[str, ...]] = {"ods:queue": ("ods:local-targets", "ods:agreement", "ods:workshops")}


def _item(name: str, label: Any, current: str) -> dict[str, Any] | None:
    try:
        url = reverse(name)
        urls = [url, *(reverse(extra) for extra in SECTION_PAGES.get(name, ()))]
    except NoReverseMatch:
        return None
    matched = [u for u in urls if (current == u if u == "/" else current.startswith(u))]
    active = bool(matched)
    # The length of the matched address: the most specific entry wins (see shell).
    return {"url": url, "label": label, "active": active, "match": max(map(len, matched), default=0)}


def shell(request: HttpRequest) -> dict[str, Any]:
    municipality = getattr(request, "municipality", None)
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    roles: frozenset[str] = getattr(request, "workspace_roles", frozenset())
    if authenticated and not roles and not request.path.startswith(PUBLIC_PREFIXES):
        # A non-member's 404 must look like any other: no sign of the municipality. The
        # public pages are the exception: they name the municipality to everyone.
        municipality = None
    items: list[dict[str, Any]] = []
    if getattr(request, "municipality", None) is not None:
        for name, label, needed in WORKSPACE_NAV if roles else []:
            if (not needed or roles & needed) and (item := _item(name, label, request.path)):
                items.append(item)
    else:
        platform_roles = _platform_roles(request)
        for name, label, needed_platform in PUBLIC_NAV:
            if needed_platform is None and not authenticated:
                continue
            if needed_platform and not platform_roles & needed_platform:
                continue
            if item := _item(name, label, request.path):
                items.append(item)
    # Nested sections (/ods/ and /ods/casos/, /regional/ and /regional/vocabulario/): only the
    # most specific entry is the current page.
    active = [item for item in items if item["active"]]
    for item in active:
        item["active"] = item is max(active, key=lambda i: i["match"])
    return {
        "current_municipality": municipality,
        "nav_items": items,
        "workspace_roles": roles,
    }
