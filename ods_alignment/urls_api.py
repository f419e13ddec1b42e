"""SDG API (/api/v1/sdg/ on the public domain; no namespace, names start with api-sdg-)."""

from __future__ import annotations

from django.urls import URLPattern, path

from ods_alignment import apis

C = "cases/<int:pk>/"

urlpatterns: list[URLPattern] = [
    path("goals/", apis.GoalListApi.as_view(), name="api-sdg-goals"),
    path("goals/<int:number>/", apis.GoalDetailApi.as_view(), name="api-sdg-goal"),
    path("suggest/", apis.SuggestApi.as_view(), name="api-sdg-suggest"),
    path("queue/", apis.QueueApi.as_view(), name="api-sdg-queue"),
    path("agreement/", apis.AgreementApi.as_view(), name="api-sdg-agreement"),
    path("cases/", apis.CaseListApi.as_view(), name="api-sdg-cases"),
    path(C, apis.CaseDetailApi.as_view(), name="api-sdg-case"),
    path(f"{C}proposals/", apis.ProposalSubmitApi.as_view(), name="api-sdg-case-propose"),
    path(f"{C}adjudicate/", apis.AdjudicateApi.as_view(), name="api-sdg-case-adjudicate"),
    path(f"{C}publish/", apis.PublishApi.as_view(), name="api-sdg-case-publish"),
    path(f"{C}reassign/", apis.ReassignApi.as_view(), name="api-sdg-case-reassign"),
]
