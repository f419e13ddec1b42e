"""Agenda pages: activities (included by tenants/agenda/urls.py in the `agenda` namespace)."""

from django.urls import URLPattern, URLResolver, path

from tenants.agenda import views_activities as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.calendar, name="calendar"),
    path("hoy/", views.today_view, name="today"),
    path("actividades/", views.activity_list, name="activities"),
    path("actividades/nueva/", views.activity_edit, name="activity-create"),
    path("actividades/<int:pk>/", views.detail, name="activity"),
    path("actividades/<int:pk>/editar/", views.activity_edit, name="activity-edit"),
    path("actividades/<int:pk>/estado/", views.activity_status, name="activity-status"),
]
