"""Public domain: portal, platform administration, Django admin, Wagtail, platform API."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from sigobito_platform.urls_common import common_urlpatterns
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from tenants import apis, views
from tenants.accounts.views import LoginView

platform_patterns = (
    [
        path("municipios/", views.municipality_list, name="municipality-list"),
        path(
            "municipios/<slug:slug>/desactivar/",
            views.municipality_set_active,
            {"active": False},
            name="municipality-deactivate",
        ),
        path(
            "municipios/<slug:slug>/reactivar/",
            views.municipality_set_active,
            {"active": True},
            name="municipality-reactivate",
        ),
        path("municipios/<slug:slug>/eliminar/", views.municipality_delete, name="municipality-delete"),
    ],
    "platform",
)

api_patterns: list[URLPattern | URLResolver] = [
    path("municipalities/", apis.MunicipalityListCreateApi.as_view(), name="api-municipality-list"),
    path("municipalities/<slug:slug>/", apis.MunicipalityDetailApi.as_view(), name="api-municipality-detail"),
    path(
        "municipalities/<slug:slug>/deactivate/",
        apis.MunicipalityDeactivateApi.as_view(),
        name="api-municipality-deactivate",
    ),
    path(
        "municipalities/<slug:slug>/reactivate/",
        apis.MunicipalityReactivateApi.as_view(),
        name="api-municipality-reactivate",
    ),
    path("me/", apis.MeApi.as_view(), name="api-me"),
    path("community/", include("search.urls_api")),
    path("community/", include("community.urls_console_api")),
    path("community/", include("community.urls_vocabulary_api")),
    path("sdg/", include("ods_alignment.urls_api")),
    path("auth/token/", apis.TokenApi.as_view(), name="api-token"),
]

urlpatterns = [
    *common_urlpatterns(__name__),
    path("", views.landing, name="home"),
    path("mis-espacios/", views.my_workspaces, name="my-workspaces"),
    path("plataforma/", include(platform_patterns)),
    path("buscar/", include("search.urls")),
    path("ods/", include("ods_alignment.urls")),
    path("regional/vocabulario/", include("community.urls_vocabulary")),
    path("regional/", include("community.urls_console")),
    path("api/v1/", include(api_patterns)),
    # One login page for everything, so the rate limit cannot be sidestepped through the
    # Django or Wagtail admin login forms.
    path("admin/login/", LoginView.as_view(), name="admin-login"),
    path("cms/login/", LoginView.as_view(), name="cms-login"),
    path("admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documentos/", include(wagtaildocs_urls)),
    path("practicas/", include(wagtail_urls)),
]
