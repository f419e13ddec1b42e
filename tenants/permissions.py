"""DRF permissions. Tenant endpoints answer 404 to anyone who is not a member, exactly as
if nothing were there; the public API states what it allows per view."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from tenants.db import in_public_schema
from tenants.roles import PlatformRole
from tenants.selectors import has_platform_role, user_roles_in


def request_roles(request: Request) -> frozenset[str]:
    cached = getattr(request, "_workspace_roles", None)
    if cached is None:
        municipality = getattr(request._request, "municipality", None)
        cached = user_roles_in(request.user, municipality) if municipality is not None else frozenset()  # type: ignore[arg-type]
        request._workspace_roles = cached  # type: ignore[attr-defined]
    return cached


class IsWorkspaceMember(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if in_public_schema():
            return bool(request.user and request.user.is_authenticated)
        if not request.user or not request.user.is_authenticated:
            return False  # DRF turns this into 401/403 "not authenticated"
        if not request_roles(request):
            raise NotFound()
        return True


class HasWorkspaceRole(IsWorkspaceMember):
    """Member with one of `view.required_roles`; a member without it gets 403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        required = getattr(view, "required_roles", None)
        return not required or bool(request_roles(request) & set(required))


class IsPlatformAdmin(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return has_platform_role(request.user, PlatformRole.PLATFORM_ADMIN)  # type: ignore[arg-type]
