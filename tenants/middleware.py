"""Request routing by host, language choice and workspace access.

Order in settings.MIDDLEWARE matters: routing runs first (it picks the schema), access runs
after authentication (it needs the user).
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import set_urlconf
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.db import public_tenant, use_municipality, use_public_schema
from tenants.models import Domain
from tenants.selectors import user_roles_in

# Paths that never show municipal data, reachable by anyone on any host.
ALWAYS_OPEN_PREFIXES = ("/static/", "/healthz", "/readyz", "/i18n/", "/favicon.ico")
# Account pages a workspace shows to people who are not logged in, or not members yet.
ACCOUNT_PREFIXES = ("/cuenta/",)
# Parts of a workspace a logged-in non-member may still use (to leave or join).
NON_MEMBER_PREFIXES = ("/cuenta/salir/", "/cuenta/invitacion/")
# The municipality's public accountability pages: open to everyone (anonymous visitors,
# accounts of other municipalities, members) on an active municipality's domain. Only the
# `publico/` URLconf lives under it, and its views show public data only.
PUBLIC_PREFIXES = ("/publico/",)


class MunicipalityRoutingMiddleware(TenantMainMiddleware):
    """Public hosts get the public schema and URLs; `<slug>.<platform domain>` (or any
    Domain row) gets that municipality's schema and URLs; anything else is a 404.

    Unlike django-tenants' default there is no 'public' row in the municipality table: the
    public hosts are configuration (PLATFORM_DOMAIN, PUBLIC_HOSTS)."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        use_public_schema()
        timezone.deactivate()
        hostname = self.hostname_from_request(request).lower()
        request.municipality = None  # type: ignore[attr-defined]
        request.deactivated_municipality = None  # type: ignore[attr-defined]
        request.tenant = public_tenant()  # type: ignore[attr-defined]
        if hostname in settings.PUBLIC_HOSTS:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF  # type: ignore[attr-defined]
            set_urlconf(request.urlconf)  # type: ignore[attr-defined]
            return None
        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        if domain is None:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF  # type: ignore[attr-defined]
            set_urlconf(request.urlconf)  # type: ignore[attr-defined]
            raise Http404("No municipality for this host")
        municipality = domain.tenant
        if not municipality.is_active:
            # Answered by WorkspaceAccessMiddleware, after the security, session, language
            # and CSRF layers, so the 410 page gets the same headers and language as others.
            request.deactivated_municipality = municipality  # type: ignore[attr-defined]
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF  # type: ignore[attr-defined]
            set_urlconf(request.urlconf)  # type: ignore[attr-defined]
            return None
        municipality.domain_url = hostname
        request.municipality = municipality  # type: ignore[attr-defined]
        request.tenant = municipality  # type: ignore[attr-defined]
        use_municipality(municipality)
        timezone.activate(ZoneInfo(municipality.time_zone))
        request.urlconf = settings.ROOT_URLCONF  # type: ignore[attr-defined]
        set_urlconf(request.urlconf)  # type: ignore[attr-defined]
        return None


class LanguageMiddleware:
    """Spanish by default, whatever the browser says: the explicit choice (cookie, set by
    the language switch) wins, then the municipality's default language, then Spanish."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        supported = dict(settings.LANGUAGES)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in supported:
            municipality = getattr(request, "municipality", None)
            language = municipality.default_language if municipality else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        translation.deactivate()
        return response


class WorkspaceAccessMiddleware:
    """Inside a municipality's domain, a logged-in person who is not a member gets a 404 for
    everything (pages and API alike) except the public pages; a visitor who is not logged
    in may only use the account pages and the public pages and is sent to log in elsewhere.
    The API makes its own answer (401/404) because it also accepts tokens, which only DRF
    resolves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        municipality = getattr(request, "municipality", None)
        request.workspace_roles = frozenset()  # type: ignore[attr-defined]
        if request.path.startswith(ALWAYS_OPEN_PREFIXES):
            return self.get_response(request)
        if getattr(request, "deactivated_municipality", None) is not None:
            # Data kept, access closed; the page names no municipality (members and others
            # alike), and API clients get JSON.
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Este espacio de trabajo está desactivado.")}, status=410)
            return render(request, "tenants/deactivated.html", status=410)
        if municipality is None:
            return self.get_response(request)
        user = request.user
        # Checked after the deactivation answer above: a deactivated municipality's public
        # pages are closed (410) like the rest of it.
        public = request.path.startswith(PUBLIC_PREFIXES)
        if user.is_authenticated:
            # Members keep their roles on the public pages too (the layout shows their nav).
            roles = user_roles_in(user, municipality)  # type: ignore[arg-type]
            request.workspace_roles = roles  # type: ignore[attr-defined]
            # The same answer the access checks (structure.access.roles_of) would ask again.
            user.__dict__.setdefault("_structure_roles", {})[municipality.pk] = roles
            if not roles and not public and not request.path.startswith(NON_MEMBER_PREFIXES):
                raise Http404("Not a member of this municipality")
        elif not public and not request.path.startswith(ACCOUNT_PREFIXES) and not request.path.startswith("/api/"):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
