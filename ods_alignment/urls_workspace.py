"""A municipality's own published SDG alignments, read-only, in its workspace (/ods/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from ods_alignment import views_workspace as views

app_name = "sdg_workspace"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("taller/", views.workshop, name="workshop"),
    path("taller/pdf/", views.workshop_pdf_view, name="workshop-pdf"),
]
