"""The SDG specialists' workflow on the public domain (/ods/, namespace "ods"): work queues,
cases, local targets and agreement per specialist pair (views_cases)."""

from __future__ import annotations

from django.urls import URLPattern, path

from ods_alignment import views_cases as views

urlpatterns: list[URLPattern] = [
    path("casos/", views.queue, name="queue"),
    path("casos/nuevo/", views.case_open, name="case-open"),
    path("casos/<int:pk>/", views.case_detail, name="case"),
    path("casos/<int:pk>/propuesta/", views.proposal_submit, name="case-propose"),
    path("casos/<int:pk>/adjudicacion/", views.case_adjudicate, name="case-adjudicate"),
    path("casos/<int:pk>/publicar/", views.case_publish, name="case-publish"),
    path("casos/<int:pk>/reasignar/", views.assignment_reassign, name="case-reassign"),
    path("metas-locales/", views.local_targets, name="local-targets"),
    path("acuerdo/", views.agreement, name="agreement"),
]
