"""Structure API (tenant domain): list, create, read, update, archive and restore each kind.
Input is parsed by the same forms as the pages and saved by the same services."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.accounts.models import acting_user
from tenants.permissions import request_roles
from tenants.structure import access, selectors, services
from tenants.structure.kinds import KINDS, Kind
from tenants.structure.models import Actor, Area, NetworkMember, Place, PlaceLevelSet, Position, Theme


class ThemeSerializer(serializers.ModelSerializer[Theme]):
    class Meta:
        model = Theme
        fields = ["id", "code", "name", "description", "colour", "parent", "depth", "is_active"]


class PlaceSerializer(serializers.ModelSerializer[Place]):
    level_name = serializers.CharField(source="level.name", read_only=True)

    class Meta:
        model = Place
        fields = ["id", "code", "name", "level", "level_name", "parent", "population", "geometry", "is_active"]


class ActorSerializer(serializers.ModelSerializer[Actor]):
    class Meta:
        model = Actor
        fields = [
            "id", "kind", "name", "organisation", "position", "email", "phone", "address", "relevance",
            "themes", "places", "notes", "is_active",
        ]  # fmt: skip

    def to_representation(self, instance: Actor) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self.context.get("show_contacts"):
            for name in ("email", "phone", "address"):
                data.pop(name, None)
        return data


class AreaSerializer(serializers.ModelSerializer[Area]):
    class Meta:
        model = Area
        fields = ["id", "code", "name", "parent", "is_active"]


class PositionSerializer(serializers.ModelSerializer[Position]):
    class Meta:
        model = Position
        fields = ["id", "code", "name", "area", "is_active"]


class NetworkMemberSerializer(ActorSerializer):  # type: ignore[type-arg]
    """Network members' email and phone are personal data too."""

    class Meta:
        model = NetworkMember
        fields = ["id", "full_name", "email", "phone", "position", "roles", "user_id", "is_active"]


SERIALIZERS: dict[str, type[serializers.ModelSerializer[Any]]] = {
    "themes": ThemeSerializer,
    "places": PlaceSerializer,
    "actors": ActorSerializer,
    "areas": AreaSerializer,
    "positions": PositionSerializer,
    "network": NetworkMemberSerializer,
}


class _KindApi(GenericAPIView[models.Model]):
    kind: Kind

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "show_contacts": access.can_see_contacts(request_roles(self.request)),
        }

    def _instance(self, pk: int) -> models.Model:
        item = self.kind.model._default_manager.filter(pk=pk).first()
        if item is None:
            raise Http404
        return item

    def _save(self, request: Request, instance: models.Model | None) -> models.Model:
        roles = request_roles(request)
        if not roles & self.kind.editors:
            raise PermissionDenied()
        kwargs = self.kind.form_kwargs(instance=instance, roles=roles, municipality=request._request.municipality)  # type: ignore[attr-defined]
        initial = self.kind.form(**kwargs).initial if instance is not None else {}
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": [_("Envíe un objeto JSON.")]})
        merged = {**{k: _plain(v) for k, v in initial.items()}, **request.data}
        form = self.kind.form(merged, **kwargs)
        if not form.is_valid():
            raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        return self.kind.save(actor=acting_user(request), data=form.cleaned_data, **{self.kind.instance_arg: instance})  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    """Form initial values (model instances) as the ids a request would send."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class KindListApi(_KindApi):
    def get(self, request: Request) -> Response:
        filters = {name: request.query_params.get(name, "") for name, _label in self.kind.filters}
        params = request.query_params
        queryset = selectors.items(
            self.kind.model, text=params.get("q", ""), status=params.get("status", "active"), filters=filters
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def post(self, request: Request) -> Response:
        return Response(self.get_serializer(self._save(request, None)).data, status=status.HTTP_201_CREATED)


class KindDetailApi(_KindApi):
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(self._instance(pk)).data)

    def patch(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(self._save(request, self._instance(pk))).data)

    put = patch


class KindArchiveApi(_KindApi):
    active = False

    def post(self, request: Request, pk: int) -> Response:
        item = services.set_active(actor=acting_user(request), item=self._instance(pk), active=self.active)
        return Response(self.get_serializer(item).data)


def kind_views(key: str) -> dict[str, Any]:
    """One set of API views per kind, so the OpenAPI schema names each kind's fields."""
    kind = KINDS[key]
    attrs = {"kind": kind, "serializer_class": SERIALIZERS[key], "queryset": kind.model._default_manager.none()}
    name = key.capitalize()
    bases: dict[str, tuple[type[_KindApi], dict[str, Any]]] = {
        "list": (KindListApi, {}),
        "detail": (KindDetailApi, {}),
        "archive": (KindArchiveApi, {"active": False}),
        "restore": (KindArchiveApi, {"active": True}),
    }
    views = {}
    for role, (base, extra) in bases.items():
        view_class: type[_KindApi] = type(f"{name}{role.capitalize()}Api", (base,), {**attrs, **extra})
        views[role] = view_class.as_view()
    return views


class PlaceLevelSetSerializer(serializers.ModelSerializer[PlaceLevelSet]):
    levels = serializers.SerializerMethodField()

    class Meta:
        model = PlaceLevelSet
        fields = ["id", "name", "levels"]

    def get_levels(self, obj: PlaceLevelSet) -> list[dict[str, Any]]:
        return [{"id": level.pk, "rank": level.rank, "name": level.name} for level in obj.levels.all()]


class PlaceLevelSetInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=80)
    levels = serializers.ListField(child=serializers.CharField(max_length=60), allow_empty=False)


class PlaceLevelSetListApi(GenericAPIView[PlaceLevelSet]):
    """Sets of place levels (widest first). POST creates one."""

    serializer_class = PlaceLevelSetSerializer
    queryset = PlaceLevelSet.objects.none()

    def get(self, request: Request) -> Response:
        return Response(PlaceLevelSetSerializer(selectors.level_sets(), many=True).data)

    @extend_schema(request=PlaceLevelSetInput, responses={201: PlaceLevelSetSerializer})
    def post(self, request: Request) -> Response:
        data = PlaceLevelSetInput(data=request.data)
        data.is_valid(raise_exception=True)
        level_set = services.place_level_set_save(actor=acting_user(request), **data.validated_data)
        return Response(PlaceLevelSetSerializer(level_set).data, status=status.HTTP_201_CREATED)


class PlaceLevelSetDetailApi(GenericAPIView[PlaceLevelSet]):
    """PATCH renames the set or its levels and adds levels at the end."""

    serializer_class = PlaceLevelSetSerializer
    queryset = PlaceLevelSet.objects.none()

    def get(self, request: Request, pk: int) -> Response:
        return Response(PlaceLevelSetSerializer(self._get(pk)).data)

    @extend_schema(request=PlaceLevelSetInput, responses=PlaceLevelSetSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        level_set = self._get(pk)
        current = {"name": level_set.name, "levels": [level.name for level in level_set.levels.all()]}
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": [_("Envíe un objeto JSON.")]})
        data = PlaceLevelSetInput(data={**current, **request.data})
        data.is_valid(raise_exception=True)
        services.place_level_set_save(actor=acting_user(request), level_set=level_set, **data.validated_data)
        return Response(PlaceLevelSetSerializer(self._get(pk)).data)  # read again: its levels changed

    def _get(self, pk: int) -> PlaceLevelSet:
        level_set = selectors.level_sets().filter(pk=pk).first()
        if level_set is None:
            raise Http404
        return level_set
