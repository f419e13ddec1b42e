"""The workshop summaries on the public domain (/ods/taller/), namespace "ods"."""

from __future__ import annotations

from django.urls import URLPattern, path

from ods_alignment import views_workshop as views

urlpatterns: list[URLPattern] = [
    path("taller/", views.workshop_list, name="workshops"),
    path("taller/<slug:slug>/", views.workshop, name="workshop"),
    path("taller/<slug:slug>/pdf/", views.workshop_pdf_view, name="workshop-pdf"),
]
