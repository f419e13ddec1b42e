"""The platform theme vocabulary (public domain, /regional/vocabulario/), namespace `vocabulary`."""

from django.urls import URLPattern, URLResolver, path

from community import views_vocabulary as views

app_name = "vocabulary"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.vocabulary_list, name="list"),
    path("<int:pk>/editar/", views.vocabulary_edit, name="edit"),
    path("<int:pk>/desactivar/", views.vocabulary_set_active, {"active": False}, name="deactivate"),
    path("<int:pk>/reactivar/", views.vocabulary_set_active, {"active": True}, name="reactivate"),
]
