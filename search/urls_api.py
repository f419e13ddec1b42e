"""API routes, included under /api/v1/community/ on the public domain (no namespace; names
start with api-)."""

from django.urls import URLPattern, URLResolver, path

from search import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("search/", apis.CommunitySearchApi.as_view(), name="api-community-search"),
]
