"""A municipality's view of the community (tenant domain, /comunidad/), namespace `community`."""

from django.urls import URLPattern, URLResolver, path

from community import views_workspace as views

app_name = "community"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.groups, name="groups"),
]
