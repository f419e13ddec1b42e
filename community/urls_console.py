"""The regional console (public domain, /regional/), namespace `console`."""

from django.urls import URLPattern, URLResolver, path

from community import views_console as views

app_name = "console"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.group_list, name="groups"),
    path("grupos/unir/", views.group_merge, name="merge"),
    path("grupos/<int:pk>/", views.group_detail, name="group"),
    path("grupos/<int:pk>/renombrar/", views.group_rename, name="rename"),
    path("grupos/<int:pk>/fijar/", views.group_pin, {"pinned": True}, name="pin"),
    path("grupos/<int:pk>/desfijar/", views.group_pin, {"pinned": False}, name="unpin"),
    path("grupos/<int:pk>/descartar/", views.group_dismiss, name="dismiss"),
    path("grupos/<int:pk>/restaurar/", views.group_restore, name="restore"),
    path("grupos/<int:pk>/dividir/", views.group_split, name="split"),
    path("grupos/<int:pk>/proponer-laboratorio/", views.lab_propose, name="propose-lab"),
    path("laboratorios/", views.lab_list, name="labs"),
    path("deteccion/", views.run_detection, name="run-detection"),
]
