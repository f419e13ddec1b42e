"""The public community search (public domain, /buscar/), namespace `search`."""

from django.urls import URLPattern, URLResolver, path

from search import views

app_name = "search"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search_page, name="index"),
]
