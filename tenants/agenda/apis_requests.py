"""Requests API (tenant domain): list and register requests, read one with its history, and
move it through its states. Writes go through the same services as the pages, so the same
rules and errors apply (400 per field, 403 for roles that do not keep the agenda)."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response

from tenants.accounts.models import acting_user
from tenants.agenda import access, selectors, services
from tenants.agenda.models import Request, RequestChannel, RequestKind, RequestStatus
from tenants.api_fields import LocalDateTimeField, parse
from tenants.structure.models import Actor, NetworkMember, Place, Theme


def _request(
    r: Request,
    *,
    viewer: Any,
    now: Any = None,
    days: int | None = None,
    full: bool = False,
    visible: set[int] | None = None,
) -> dict[str, Any]:
    """A request as JSON for `viewer`: the linked activity only if they may see it (`visible`:
    the activity ids they may see, read once for a list), the requester's contact data and
    letters only if they may see personal data."""

    def shown(pk: int | None) -> bool:
        return pk in visible if visible is not None else selectors.activity_visible(viewer, pk)

    data: dict[str, Any] = {
        "id": r.pk, "reference": r.reference, "kind": r.kind, "channel": r.channel, "status": r.status,
        "status_since": r.status_since, "received_at": r.received_at, "answered_at": r.answered_at,
        "late": selectors.request_is_late(r, now, days), "requester_id": r.requester_id,
        "requester_label": r.requester_label, "subject": r.subject, "proposed_start": r.proposed_start,
        "proposed_end": r.proposed_end, "activity_id": r.activity_id if shown(r.activity_id) else None,
        "delegated_to_id": r.delegated_to_id,
        "delegated_due": r.delegated_due, "version": r.version,
    }  # fmt: skip
    if full:
        durations = selectors.request_durations(r, now)
        data.update(
            contact_name=r.contact_name, contact_organisation=r.contact_organisation,
            contact_email=r.contact_email, contact_phone=r.contact_phone, description=r.description,
            proposed_notes=r.proposed_notes, reply=r.reply,
            themes=[t.pk for t in r.themes.all()], places=[p.pk for p in r.places.all()],
            transitions=[
                {"from_status": t.from_status, "to_status": t.to_status, "at": t.at, "note": t.note,
                 "actor": t.actor_label, "seconds_in_state": int(spent.total_seconds())}
                for t, (_status, spent) in zip(r.transitions.all(), durations, strict=True)
            ],
            attachments=[
                {"id": a.pk, "name": str(a), "url": reverse("agenda:request-attachment", args=[r.pk, a.pk])}
                for a in r.attachments.all()
            ],
        )  # fmt: skip
        if not access.sees_contacts(viewer):
            for key in ("contact_email", "contact_phone", "attachments"):
                data.pop(key, None)
    return data


class RequestInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    channel = serializers.ChoiceField(choices=RequestChannel.choices)
    requester = serializers.PrimaryKeyRelatedField(queryset=Actor.objects.all(), required=False, allow_null=True)
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_organisation = serializers.CharField(required=False, allow_blank=True)
    contact_email = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)
    subject = serializers.CharField(allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    received_at = LocalDateTimeField(required=False, allow_null=True)
    proposed_start = LocalDateTimeField(required=False, allow_null=True)
    proposed_end = LocalDateTimeField(required=False, allow_null=True)
    proposed_notes = serializers.CharField(required=False, allow_blank=True)
    themes = serializers.PrimaryKeyRelatedField(queryset=Theme.objects.all(), many=True, required=False)
    places = serializers.PrimaryKeyRelatedField(queryset=Place.objects.all(), many=True, required=False)


class RequestListApi(GenericAPIView[Request]):
    """Requests, the most recent first (paginated), filtered by `status`, `kind`, `channel`
    and `q` (reference, subject or requester). POST registers one received by letter,
    email, phone or in person (attachments through the page)."""

    queryset = Request.objects.none()
    serializer_class = RequestInput

    @extend_schema(operation_id="v1_agenda_requests_list")
    def get(self, request: ApiRequest) -> Response:
        params = request.query_params
        qs = selectors.requests(
            status=params.get("status", "") if params.get("status") in RequestStatus.values else "",
            kind=params.get("kind", "") if params.get("kind") in RequestKind.values else "",
            channel=params.get("channel", "") if params.get("channel") in RequestChannel.values else "",
            text=params.get("q", "").strip()[:100],
        )
        page = self.paginate_queryset(qs)
        now, days = timezone.now(), selectors.unanswered_days()
        listed = list(page if page is not None else qs)
        viewer = acting_user(request)
        ids = [r.activity_id for r in listed if r.activity_id]
        visible = set(selectors.visible_activities(viewer).filter(pk__in=ids).values_list("pk", flat=True))
        rows = [_request(r, viewer=viewer, now=now, days=days, visible=visible) for r in listed]
        return self.get_paginated_response(rows) if page is not None else Response(rows)

    def post(self, request: ApiRequest) -> Response:
        data = parse(RequestInput, request)
        if data.get("received_at") is None:
            data.pop("received_at", None)
        saved = services.request_register(actor=acting_user(request), data=data)
        return Response(
            _request(selectors.request_by_pk(saved.pk), viewer=acting_user(request), full=True),
            status=status.HTTP_201_CREATED,
        )


class RequestDetailApi(GenericAPIView[Request]):
    """One request with its contact data, history (with the time spent in each state) and
    attachments (downloaded through the workspace page, members only)."""

    queryset = Request.objects.none()
    serializer_class = RequestInput

    def get(self, request: ApiRequest, pk: int) -> Response:
        return Response(_request(selectors.request_by_pk(pk), viewer=acting_user(request), full=True))


class AcceptedActivityInput(serializers.Serializer[Any]):
    starts_at = LocalDateTimeField(required=False)
    ends_at = LocalDateTimeField(required=False)
    title = serializers.CharField(required=False)
    place = serializers.PrimaryKeyRelatedField(queryset=Place.objects.all(), required=False, allow_null=True)
    address = serializers.CharField(required=False, allow_blank=True)
    is_public = serializers.BooleanField(required=False)
    preparation_notes = serializers.CharField(required=False, allow_blank=True)


class RequestTransitionInput(serializers.Serializer[Any]):
    to_status = serializers.ChoiceField(choices=RequestStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    reply = serializers.CharField(required=False, allow_blank=True, default="")
    delegated_to = serializers.IntegerField(required=False, allow_null=True)
    delegated_due = serializers.DateField(required=False, allow_null=True)
    activity = AcceptedActivityInput(required=False)
    version = serializers.IntegerField(required=False)


class RequestTransitionApi(GenericAPIView[Request]):
    """Move a request: `in_analysis`; `accepted` (creates the linked activity from the
    proposed dates, or from `activity`); `declined` (needs `reply`); `delegated` (needs
    `delegated_to`, a network member id, and `delegated_due`); `closed`."""

    queryset = Request.objects.none()
    serializer_class = RequestTransitionInput

    def post(self, request: ApiRequest, pk: int) -> Response:
        obj = selectors.request_by_pk(pk)
        data = parse(RequestTransitionInput, request)
        member = None
        if data.get("delegated_to") is not None:
            # An unknown id is refused by the service like a missing one.
            member = NetworkMember.objects.filter(pk=data["delegated_to"]).first()
        services.request_transition(
            actor=acting_user(request), request=obj, to_status=data["to_status"], note=data["note"],
            reply=data["reply"], delegated_to=member, delegated_due=data.get("delegated_due"),
            activity_data=data.get("activity") or None, version=data.get("version"),
        )  # fmt: skip
        return Response(_request(selectors.request_by_pk(pk), viewer=acting_user(request), full=True))


api_urlpatterns = [
    path("agenda/requests/", RequestListApi.as_view(), name="api-agenda-requests"),
    path("agenda/requests/<int:pk>/", RequestDetailApi.as_view(), name="api-agenda-request"),
    path("agenda/requests/<int:pk>/transition/", RequestTransitionApi.as_view(), name="api-agenda-request-transition"),
]
