from django.urls import path

from tenants.structure import views

app_name = "structure"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("niveles/", views.place_levels, name="levels"),
    path("buscar/<str:kind>/", views.picker, name="picker"),
    path("<str:kind>/", views.item_list, name="list"),
    path("<str:kind>/nuevo/", views.item_edit, name="create"),
    path("<str:kind>/<int:pk>/", views.item_edit, name="edit"),
    path("<str:kind>/<int:pk>/archivar/", views.item_archive, name="archive"),
    path("<str:kind>/exportar.<str:fmt>", views.export, name="export"),
    path("<str:kind>/plantilla.<str:fmt>", views.template, name="template"),
    path("<str:kind>/importar/", views.import_view, name="import"),
]
