"""URLs served on every host: health, language switch, account pages, API docs."""

from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from sigobito_platform.health import healthz, readyz


def common_urlpatterns(urlconf: str) -> list:  # type: ignore[type-arg]
    return [
        path("healthz", healthz, name="healthz"),
        path("readyz", readyz, name="readyz"),
        path("i18n/setlang/", set_language, name="set_language"),
        path("cuenta/", include("tenants.accounts.urls")),
        path("api/schema/", SpectacularAPIView.as_view(urlconf=urlconf), name="api-schema"),
        path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    ]
