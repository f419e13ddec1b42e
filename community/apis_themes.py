"""The platform theme vocabulary over the API (public domain, /api/v1/community/themes/).

Reading the active vocabulary needs no account (search pages and other clients build theme
filters from it); changing it is for the regional team and platform administrators."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community import selectors_themes as selectors
from community import services_themes as services
from community.models import PlatformTheme
from tenants.accounts.models import acting_user
from tenants.selectors import is_regional_team


class IsVocabularyEditor(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return is_regional_team(request.user)  # type: ignore[arg-type]


class PlatformThemeSerializer(serializers.ModelSerializer[PlatformTheme]):
    class Meta:
        model = PlatformTheme
        fields = ["id", "name", "description", "is_active"]
        read_only_fields = fields


class PlatformThemeCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=services.NAME_MAX)
    description = serializers.CharField(max_length=services.DESCRIPTION_MAX, required=False, allow_blank=True)


class PlatformThemeUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=services.NAME_MAX, required=False)
    description = serializers.CharField(max_length=services.DESCRIPTION_MAX, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


def _editor_permissions(request: Request) -> list[BasePermission]:
    return [AllowAny()] if request.method in ("GET", "HEAD", "OPTIONS") else [IsVocabularyEditor()]


class PlatformThemeListApi(APIView):
    """GET: the vocabulary (active themes; the regional team may add `?all=1`). POST: add a
    theme (regional team)."""

    # The vocabulary is small (tens of entries) and clients want all of it for a filter.
    pagination_class = None

    def get_permissions(self) -> list[BasePermission]:
        return _editor_permissions(self.request)

    @extend_schema(
        parameters=[
            OpenApiParameter("all", OpenApiTypes.BOOL, description="Include deactivated themes (regional team only).")
        ],
        responses=PlatformThemeSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        everything = request.query_params.get("all") in ("1", "true") and is_regional_team(
            request.user  # type: ignore[arg-type]
        )
        themes = selectors.all_platform_themes() if everything else selectors.active_platform_themes()
        return Response(PlatformThemeSerializer(themes, many=True).data)

    @extend_schema(request=PlatformThemeCreateSerializer, responses={201: PlatformThemeSerializer})
    def post(self, request: Request) -> Response:
        data = PlatformThemeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        theme = services.platform_theme_create(actor=acting_user(request), **data.validated_data)
        return Response(PlatformThemeSerializer(theme).data, status=status.HTTP_201_CREATED)


class PlatformThemeDetailApi(APIView):
    """GET: one theme (deactivated ones only for the regional team). PATCH: rename,
    describe, deactivate or reactivate it (regional team)."""

    def get_permissions(self) -> list[BasePermission]:
        return _editor_permissions(self.request)

    def _theme(self, request: Request, pk: int) -> PlatformTheme:
        editor = is_regional_team(request.user)  # type: ignore[arg-type]
        theme = selectors.platform_theme_by_id(pk, active_only=not editor)
        if theme is None:
            raise Http404
        return theme

    @extend_schema(responses=PlatformThemeSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(PlatformThemeSerializer(self._theme(request, pk)).data)

    @extend_schema(request=PlatformThemeUpdateSerializer, responses=PlatformThemeSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        theme = self._theme(request, pk)
        data = PlatformThemeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor = acting_user(request)
        with transaction.atomic():
            if "name" in values or "description" in values:
                theme = services.platform_theme_update(
                    actor=actor,
                    theme=theme,
                    name=values.get("name", theme.name),
                    description=values.get("description", theme.description),
                )
            if "is_active" in values:
                theme = services.platform_theme_set_active(actor=actor, theme=theme, active=values["is_active"])
        return Response(PlatformThemeSerializer(theme).data)
