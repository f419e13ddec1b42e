"""Workspace API (tenant domain). Non-members get 404 (IsWorkspaceMember, the default)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants import services
from tenants.accounts.models import acting_user
from tenants.permissions import HasWorkspaceRole, request_roles
from tenants.roles import MEMBER_MANAGERS
from tenants.selectors import pending_invitations, workspace_members
from tenants.serializers import (
    InvitationCreateSerializer,
    InvitationSerializer,
    MemberSerializer,
    MunicipalitySerializer,
    WorkspaceSerializer,
)


class WorkspaceApi(APIView):
    @extend_schema(responses=WorkspaceSerializer)
    def get(self, request: Request) -> Response:
        municipality = request._request.municipality  # type: ignore[attr-defined]
        return Response(
            {
                "municipality": MunicipalitySerializer(municipality, context={"request": request}).data,
                "my_roles": sorted(request_roles(request)),
            }
        )


class MemberListApi(APIView):
    """Every member sees who works in the municipality and in which role; email addresses
    (personal data) only go to those who manage members."""

    @extend_schema(responses=MemberSerializer(many=True))
    def get(self, request: Request) -> Response:
        municipality = request._request.municipality  # type: ignore[attr-defined]
        show_email = bool(request_roles(request) & MEMBER_MANAGERS)
        rows = [
            {"id": u.pk, "email": u.email if show_email else None, "full_name": u.full_name, "roles": sorted(roles)}
            for u, roles in workspace_members(municipality)
        ]
        return Response(MemberSerializer(rows, many=True).data)


class InvitationApi(APIView):
    permission_classes: list[type[BasePermission]] = [HasWorkspaceRole]
    required_roles = MEMBER_MANAGERS

    @extend_schema(responses=InvitationSerializer(many=True))
    def get(self, request: Request) -> Response:
        municipality = request._request.municipality  # type: ignore[attr-defined]
        return Response(InvitationSerializer(pending_invitations(municipality), many=True).data)

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSerializer})
    def post(self, request: Request) -> Response:
        data = InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        municipality = request._request.municipality  # type: ignore[attr-defined]
        invitation = services.invitation_create(
            actor=acting_user(request),
            municipality=municipality,
            **data.validated_data,
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)
