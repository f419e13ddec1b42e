"""Communications API (tenant domain), under /api/v1/communications/. The views live in
apis_actions.py (actions, their status and the inbox of suggestions), apis_pieces.py (pieces,
approval, per-channel texts, publishing, reach) and apis_channels.py (channels)."""

from __future__ import annotations

from django.urls import URLPattern, path

from tenants.communications import apis_actions as actions
from tenants.communications import apis_channels as channels
from tenants.communications import apis_pieces as pieces

P = "communications/"

api_urlpatterns: list[URLPattern] = [
    path(f"{P}actions/", actions.ActionListApi.as_view(), name="api-communications-actions"),
    path(f"{P}actions/<int:pk>/", actions.ActionDetailApi.as_view(), name="api-communications-action"),
    path(f"{P}actions/<int:pk>/status/", actions.ActionStatusApi.as_view(), name="api-communications-action-status"),
    path(f"{P}suggestions/", actions.SuggestionListApi.as_view(), name="api-communications-suggestions"),
    path(f"{P}suggestions/accept/", actions.SuggestionAcceptApi.as_view(), name="api-communications-suggestion-accept"),
    path(
        f"{P}suggestions/dismiss/",
        actions.SuggestionDismissApi.as_view(),
        name="api-communications-suggestion-dismiss",
    ),
    path(f"{P}actions/<int:pk>/pieces/", pieces.PieceListApi.as_view(), name="api-communications-pieces"),
    path(f"{P}actions/<int:pk>/pieces/<int:pid>/", pieces.PieceDetailApi.as_view(), name="api-communications-piece"),
    path(
        f"{P}actions/<int:pk>/pieces/<int:pid>/approve/",
        pieces.PieceApproveApi.as_view(),
        name="api-communications-piece-approve",
    ),
    path(
        f"{P}actions/<int:pk>/pieces/<int:pid>/variants/",
        pieces.PieceVariantApi.as_view(),
        name="api-communications-piece-variants",
    ),
    path(
        f"{P}actions/<int:pk>/pieces/<int:pid>/publish/",
        pieces.PiecePublishApi.as_view(),
        name="api-communications-piece-publish",
    ),
    path(
        f"{P}publications/<int:pk>/reach/",
        pieces.PublicationReachApi.as_view(),
        name="api-communications-publication-reach",
    ),
    path(f"{P}channels/", channels.ChannelListApi.as_view(), name="api-communications-channels"),
    path(f"{P}channels/<int:pk>/", channels.ChannelDetailApi.as_view(), name="api-communications-channel"),
]
