"""API routes for the theme vocabulary, included under /api/v1/community/ on the public domain."""

from django.urls import URLPattern, URLResolver, path

from community import apis_themes as apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("themes/", apis.PlatformThemeListApi.as_view(), name="api-community-themes"),
    path("themes/<int:pk>/", apis.PlatformThemeDetailApi.as_view(), name="api-community-theme"),
]
