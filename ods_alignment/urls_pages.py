"""The public SDG pages (/ods/, namespace "ods"): goals, targets, the grid and the method."""

from __future__ import annotations

from django.urls import URLPattern, path

from ods_alignment import views_pages as views

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("objetivos/<int:number>/", views.goal_detail, name="goal"),
    path("metas/<str:code>/", views.target_detail, name="target"),
    path("cuadricula/", views.grid, name="grid"),
    path("cuadricula/<slug:slug>/", views.grid_municipality, name="grid-municipality"),
    path("metodo/", views.method, name="method"),
    path("metodo/editar/", views.method_edit, name="method-edit"),
]
