"""Platform API (public domain): municipalities, the current user, tokens."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants import services
from tenants.accounts import ratelimit
from tenants.accounts.models import acting_user
from tenants.accounts.services import api_token_for
from tenants.links import workspace_url
from tenants.models import Municipality
from tenants.permissions import IsPlatformAdmin
from tenants.selectors import active_municipalities, municipality_by_slug, platform_roles_of, user_workspaces
from tenants.serializers import (
    DeleteConfirmSerializer,
    MeSerializer,
    MunicipalityCreateSerializer,
    MunicipalitySerializer,
    TokenRequestSerializer,
    TokenSerializer,
)


class MunicipalityListCreateApi(generics.ListCreateAPIView[Municipality]):
    """GET: active municipalities (anyone). POST: provision one (platform admin)."""

    serializer_class = MunicipalitySerializer

    def get_permissions(self) -> list:  # type: ignore[type-arg]
        return [AllowAny()] if self.request.method == "GET" else [IsPlatformAdmin()]

    def get_queryset(self) -> QuerySet[Municipality]:
        return active_municipalities()

    @extend_schema(request=MunicipalityCreateSerializer, responses={201: MunicipalitySerializer})
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        data = MunicipalityCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.municipality_create(actor=acting_user(request), **data.validated_data)
        return Response(
            MunicipalitySerializer(result.municipality, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


def _municipality(slug: str) -> Municipality:
    municipality = municipality_by_slug(slug)
    if municipality is None:
        raise Http404
    return municipality


class MunicipalityDetailApi(APIView):
    permission_classes = [IsPlatformAdmin]

    @extend_schema(responses=MunicipalitySerializer)
    def get(self, request: Request, slug: str) -> Response:
        return Response(MunicipalitySerializer(_municipality(slug), context={"request": request}).data)

    @extend_schema(request=DeleteConfirmSerializer, responses={204: None})
    def delete(self, request: Request, slug: str) -> Response:
        data = DeleteConfirmSerializer(data=request.data or request.query_params)
        data.is_valid(raise_exception=True)
        services.municipality_delete(
            actor=acting_user(request),
            municipality=_municipality(slug),
            confirm_slug=data.validated_data["confirm_slug"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MunicipalityDeactivateApi(APIView):
    permission_classes = [IsPlatformAdmin]

    @extend_schema(request=None, responses=MunicipalitySerializer)
    def post(self, request: Request, slug: str) -> Response:
        municipality = services.municipality_deactivate(actor=acting_user(request), municipality=_municipality(slug))
        return Response(MunicipalitySerializer(municipality, context={"request": request}).data)


class MunicipalityReactivateApi(APIView):
    permission_classes = [IsPlatformAdmin]

    @extend_schema(request=None, responses=MunicipalitySerializer)
    def post(self, request: Request, slug: str) -> Response:
        municipality = services.municipality_reactivate(actor=acting_user(request), municipality=_municipality(slug))
        return Response(MunicipalitySerializer(municipality, context={"request": request}).data)


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = acting_user(request)
        roles = sorted(platform_roles_of(user))  # type: ignore[union-attr]
        workspaces = [
            {"municipality": m.slug, "name": m.name, "url": workspace_url(m, request=request._request), "roles": labels}
            for m, labels in user_workspaces(user)
        ]
        return Response(
            MeSerializer(
                {"email": user.email, "full_name": user.full_name, "platform_roles": roles, "workspaces": workspaces}
            ).data  # type: ignore[union-attr]
        )


class TokenApi(APIView):
    """Exchange email and password for an API token (same rate limit as the login page)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # type: ignore[type-arg]

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer)
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = data.validated_data["email"]
        wait = ratelimit.retry_after(request._request, email)
        if wait:
            raise Throttled(wait=wait, detail=_("Demasiados intentos fallidos; espere antes de intentar de nuevo."))
        user = authenticate(request._request, username=email, password=data.validated_data["password"])
        if user is None:
            ratelimit.record_failure(request._request, email)
            raise ValidationError({"non_field_errors": [_("El correo o la contraseña no son correctos.")]})
        ratelimit.clear_account(request._request, email)
        return Response({"token": api_token_for(user=user)})
