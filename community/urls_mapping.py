"""A municipality maps its themes to the platform vocabulary (tenant, /comunidad/temas/), namespace `theme_mapping`."""

from django.urls import URLPattern, URLResolver, path

from community import views_mapping as views

app_name = "theme_mapping"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.mapping_list, name="list"),
    path("<int:local_id>/confirmar/", views.mapping_confirm, name="confirm"),
    path("<int:local_id>/no-corresponde/", views.mapping_reject, name="reject"),
]
