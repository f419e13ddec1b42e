"""The regional console's API (public domain, /api/v1/community/groups/ and labs/): the
same filters, reads and actions as the console pages, through the same selectors and
services. Regional team and platform administrators only: anyone else logged in gets 403,
a request without credentials 401."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community import selectors_groups as selectors
from community import services_groups as services
from community.forms_console import GroupFilterForm
from community.models import Group
from community.serializers_console import (
    DismissInput,
    LabInput,
    MergeInput,
    RenameInput,
    SplitInput,
    VersionInput,
    detail_json,
    group_json,
    lab_json,
)
from tenants.accounts.models import acting_user
from tenants.api_fields import parse
from tenants.selectors import is_regional_team


class IsConsoleUser(BasePermission):
    message = _("Solo el equipo regional puede usar la consola.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_regional_team(request.user)  # type: ignore[arg-type]


class ConsoleApi(APIView):
    permission_classes = [IsConsoleUser]


def _answer(group: Group, *, code: int = status.HTTP_200_OK) -> Response:
    fresh = selectors.group_by_pk(group.pk)
    assert fresh is not None
    return Response(detail_json(selectors.group_detail(fresh)), status=code)


FILTER_PARAMETERS = [
    OpenApiParameter("tipo", str, description="theme | problem"),
    OpenApiParameter("q", str, description="Text in the group's name"),
    OpenApiParameter("estado", str, description="active (default) | new | changed | dismissed | inactive | all"),
    OpenApiParameter("pais", str, description="ISO country code of a member"),
    OpenApiParameter("region", str),
    OpenApiParameter("tema", int, description="Platform theme id"),
    OpenApiParameter("ods", int, description="SDG goal 1..17"),
    OpenApiParameter("poblacion", str, description="Population bracket"),
    OpenApiParameter("fijados", str, description="1: pinned only; 0: not pinned"),
]


class GroupListApi(GenericAPIView[Group]):
    """Detected groups, pinned first then by strength, with the console's filters (a filter
    that is not valid is a 400 naming it). Each filter on members (country, region, theme,
    SDG, population) applies to one live member together."""

    permission_classes = [IsConsoleUser]
    queryset = Group.objects.none()

    @extend_schema(operation_id="community_groups_list", parameters=FILTER_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        form = GroupFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        groups = self.paginate_queryset(selectors.groups_list(**form.selector_filters())) or []
        themes = selectors.theme_names(groups)
        return self.get_paginated_response([group_json(g, themes=themes) for g in groups])


class GroupDetailApi(ConsoleApi):
    """A group with its live members, reasons, change since the last run (resolved to live
    items), history and lab proposals."""

    @extend_schema(operation_id="community_group_detail", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        return _answer(selectors.group_or_404(pk))


class GroupRenameApi(ConsoleApi):
    @extend_schema(operation_id="community_group_rename", request=RenameInput, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        group = selectors.group_or_404(pk)
        data = parse(RenameInput, request)
        services.group_rename(actor=acting_user(request), group=group, name=data["name"], version=data.get("version"))
        return _answer(group)


class GroupPinApi(ConsoleApi):
    pinned = True

    @extend_schema(request=VersionInput, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        group = selectors.group_or_404(pk)
        data = parse(VersionInput, request)
        service = services.group_pin if self.pinned else services.group_unpin
        service(actor=acting_user(request), group=group, version=data.get("version"))
        return _answer(group)


class GroupUnpinApi(GroupPinApi):
    pinned = False


class GroupMergeApi(ConsoleApi):
    """Merge `others` (group ids of the same kind) into this group, which is kept (and
    becomes curated); `version` is this group's."""

    @extend_schema(operation_id="community_group_merge", request=MergeInput, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        target = selectors.group_or_404(pk)
        data = parse(MergeInput, request)
        ids = set(data["others"])
        others = list(Group.objects.filter(pk__in=ids))
        if len(others) != len(ids):
            raise ValidationError({"others": [_("Alguno de los grupos elegidos ya no existe.")]})
        services.group_merge(actor=acting_user(request), target=target, others=others, version=data.get("version"))
        return _answer(target)


class GroupSplitApi(ConsoleApi):
    """Move members (`item_ids`) into a new curated group called `name`; answers the new
    group (201)."""

    @extend_schema(operation_id="community_group_split", request=SplitInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        group = selectors.group_or_404(pk)
        data = parse(SplitInput, request)
        new = services.group_split(
            actor=acting_user(request),
            group=group,
            item_ids=data["item_ids"],
            name=data["name"],
            version=data.get("version"),
        )
        return _answer(new, code=status.HTTP_201_CREATED)


class GroupDismissApi(ConsoleApi):
    @extend_schema(operation_id="community_group_dismiss", request=DismissInput, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        group = selectors.group_or_404(pk)
        data = parse(DismissInput, request)
        services.group_dismiss(
            actor=acting_user(request), group=group, reason=data["reason"], version=data.get("version")
        )
        return _answer(group)


class GroupRestoreApi(ConsoleApi):
    @extend_schema(operation_id="community_group_restore", request=VersionInput, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        group = selectors.group_or_404(pk)
        data = parse(VersionInput, request)
        services.group_restore(actor=acting_user(request), group=group, version=data.get("version"))
        return _answer(group)


class GroupProposeLabApi(ConsoleApi):
    """Store a lab proposal with a copy of the group's live members (201)."""

    @extend_schema(operation_id="community_group_propose_lab", request=LabInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        group = selectors.group_or_404(pk)
        data = parse(LabInput, request)
        proposal = services.lab_propose(
            actor=acting_user(request),
            group=group,
            title=data["title"],
            description=data.get("description", ""),
            version=data.get("version"),
        )
        return Response(lab_json(proposal), status=status.HTTP_201_CREATED)


class LabListApi(ConsoleApi):
    """Lab proposals, newest first, each with its copy of the members."""

    @extend_schema(operation_id="community_labs_list", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response([lab_json(p) for p in selectors.lab_proposals()[:200]])
