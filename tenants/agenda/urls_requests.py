"""Agenda pages: requests (included by tenants/agenda/urls.py in the `agenda` namespace)."""

from django.urls import URLPattern, URLResolver, path

from tenants.agenda import views_requests as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.request_list, name="requests"),
    path("nueva/", views.request_edit, name="request-create"),
    path("configuracion/", views.request_settings, name="request-settings"),
    path("<int:pk>/", views.request_detail, name="request"),
    path("<int:pk>/editar/", views.request_edit, name="request-edit"),
    path("<int:pk>/adjuntos/<int:aid>/", views.request_attachment, name="request-attachment"),
    path("<int:pk>/<str:to_status>/", views.request_transition, name="request-transition"),
]
