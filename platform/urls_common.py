"""URLs served on every host: health, language switch, account pages, API docs."""

from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny, BasePermission
from sigobito_platform.health import healthz, readyz


def common_urlpatterns(urlconf: str, *, docs_permission: type[BasePermission] = AllowAny) -> list:  # type: ignore[type-arg]
    """`docs_permission`: the public API documents itself to anyone; a workspace's API only
    to its members (404 for everyone else, like the rest of the workspace)."""
    return [
        path("healthz", healthz, name="healthz"),
        path("readyz", readyz, name="readyz"),
        path("i18n/setlang/", set_language, name="set_language"),
        path("cuenta/", include("tenants.accounts.urls")),
        path(
            "api/schema/",
            SpectacularAPIView.as_view(urlconf=urlconf, permission_classes=[docs_permission]),
            name="api-schema",
        ),
        path(
            "api/docs/",
            SpectacularSwaggerView.as_view(url_name="api-schema", permission_classes=[docs_permission]),
            name="api-docs",
        ),
    ]
