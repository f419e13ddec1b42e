"""Activities API (tenant domain). Reads go through selectors.visible_activities, so private
activities are answered 404 (and left out of lists) to those who may not see them; writes go
through the same service as the pages, so the same rules and errors apply. Times are
ISO 8601; one without an offset is read in the municipality's time zone, and one that does
not exist there (a daylight-saving gap) is a field error."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.accounts.models import acting_user
from tenants.agenda import selectors, services
from tenants.agenda import selectors_activities as reads
from tenants.agenda.models import Activity, ActivityKind, ActivityStatus
from tenants.api_fields import LocalDateTimeField, parse
from tenants.db import local_tz
from tenants.initiatives.models import Initiative, Milestone
from tenants.structure.models import Actor, NetworkMember, Place, Theme


def _local(moment: datetime) -> str:
    return timezone.localtime(moment, local_tz()).isoformat()


def _activity(a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk, "title": a.title, "kind": a.kind, "is_public": a.is_public, "status": a.status,
        "starts_at": _local(a.starts_at), "ends_at": _local(a.ends_at), "place": a.place_id, "address": a.address,
        "actors": [x.pk for x in a.actors.all()], "themes": [x.pk for x in a.themes.all()],
        "participants": [x.pk for x in a.participants.all()], "initiative": a.initiative_id,
        "milestone": a.milestone_id, "preparation_notes": a.preparation_notes, "outcome_notes": a.outcome_notes,
        "version": a.version,
    }  # fmt: skip


def _overlap(a: Activity) -> dict[str, Any]:
    return {"id": a.pk, "title": a.title, "starts_at": _local(a.starts_at), "ends_at": _local(a.ends_at)}


class ActivityInput(serializers.Serializer[Any]):
    title = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False)
    is_public = serializers.BooleanField(required=False)
    status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    starts_at = LocalDateTimeField(required=False)
    ends_at = LocalDateTimeField(required=False)
    place = serializers.PrimaryKeyRelatedField(queryset=Place.objects.all(), required=False, allow_null=True)
    address = serializers.CharField(required=False, allow_blank=True)
    actors = serializers.PrimaryKeyRelatedField(queryset=Actor.objects.all(), many=True, required=False)
    themes = serializers.PrimaryKeyRelatedField(queryset=Theme.objects.all(), many=True, required=False)
    participants = serializers.PrimaryKeyRelatedField(queryset=NetworkMember.objects.all(), many=True, required=False)
    initiative = serializers.PrimaryKeyRelatedField(queryset=Initiative.objects.all(), required=False, allow_null=True)
    milestone = serializers.PrimaryKeyRelatedField(queryset=Milestone.objects.all(), required=False, allow_null=True)
    preparation_notes = serializers.CharField(required=False, allow_blank=True)
    outcome_notes = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


def _moment(name: str, value: str | None, *, end: bool = False) -> datetime | None:
    """`from`/`to`: an ISO date (a local day: its start, or for `to` its end) or date and time."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        pass
    else:
        bounds = selectors.day_bounds(reads.clamp(day))
        return bounds[1] if end else bounds[0]
    try:
        return LocalDateTimeField().to_internal_value(value)  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise ValidationError({name: exc.detail}) from exc


class ActivityListApi(GenericAPIView[Activity]):
    """The activities you may see (private ones only for those who may), in start order.
    `from` and `to` keep those that share some time with that span. POST registers one and
    answers, in `overlaps`, the mayor's confirmed activities it overlaps (flagged, not refused)."""

    queryset = Activity.objects.none()
    serializer_class = ActivityInput

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.STR, description="ISO date or date-time"),
            OpenApiParameter("to", OpenApiTypes.STR, description="ISO date or date-time"),
        ]
    )
    def get(self, request: Request) -> Response:
        start = _moment("from", request.query_params.get("from"))
        end = _moment("to", request.query_params.get("to"), end=True)
        page = self.paginate_queryset(reads.activities_in_span(acting_user(request), start, end))
        return self.get_paginated_response([_activity(a) for a in page or []])

    def post(self, request: Request) -> Response:
        user = acting_user(request)
        data = parse(ActivityInput, request)
        data.pop("version", None)
        saved, overlaps = services.activity_save(actor=user, data=data)
        body = {**_activity(saved), "overlaps": [_overlap(a) for a in reads.visible_only(user, overlaps)]}
        return Response(body, status=status.HTTP_201_CREATED)


class ActivityDetailApi(GenericAPIView[Activity]):
    """One activity. PATCH changes the fields given; send the `version` you read to refuse
    overwriting someone else's change. The answer lists the confirmed activities it overlaps."""

    queryset = Activity.objects.none()
    serializer_class = ActivityInput

    def get(self, request: Request, pk: int) -> Response:
        return Response(_activity(selectors.activity(acting_user(request), pk)))

    def patch(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        activity = selectors.activity(user, pk)
        data = parse(ActivityInput, request)
        version = data.pop("version", None)
        saved, overlaps = services.activity_save(actor=user, data=data, activity=activity, version=version)
        return Response({**_activity(saved), "overlaps": [_overlap(a) for a in reads.visible_only(user, overlaps)]})


api_urlpatterns = [
    path("agenda/activities/", ActivityListApi.as_view(), name="api-agenda-activities"),
    path("agenda/activities/<int:pk>/", ActivityDetailApi.as_view(), name="api-agenda-activity"),
]
