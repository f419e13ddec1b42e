"""Publication channels API (tenant domain). Every member sees which channels exist and
whether they can publish; communications editors and the system counterpart configure them.
Credentials go in (`credentials`, write-only) and never come back out: an answer only says
`credentials_configured` and lists the `missing_credentials`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.accounts.models import acting_user
from tenants.api_fields import parse
from tenants.communications import access, selectors, services
from tenants.communications.models import Channel
from tenants.communications.serializers import ChannelInput, channel_json


class ChannelListApi(GenericAPIView[Channel]):
    """The channels (the news page first exists for every municipality). POST adds one:
    `kind` (facebook, x, webhook), `name`, `account` (page id or handle), `endpoint_url`
    (a webhook's address; the networks' APIs by default), `max_length` (webhooks) and the
    `credentials` the kind needs (see `credential_fields`)."""

    queryset = Channel.objects.none()
    serializer_class = ChannelInput

    @extend_schema(operation_id="communications_channels_list")
    def get(self, request: Request) -> Response:
        manager = access.can_manage_channels(acting_user(request))
        return Response([channel_json(c, manager=manager) for c in selectors.channels()])

    def post(self, request: Request) -> Response:
        user = acting_user(request)
        access.require_channel_manager(user)
        data = parse(ChannelInput, request)
        data.pop("version", None)
        credentials = data.pop("credentials", None)
        saved = services.channel_save(actor=user, data=data, credentials=credentials)
        return Response(channel_json(saved, manager=True), status=status.HTTP_201_CREATED)


class ChannelDetailApi(GenericAPIView[Channel]):
    """One channel. PATCH changes the fields given (the kind is fixed); a credential left
    out or empty keeps the stored one. Send the `version` you read."""

    queryset = Channel.objects.none()
    serializer_class = ChannelInput

    def get(self, request: Request, pk: int) -> Response:
        channel = selectors.channel_by_pk(pk)
        return Response(channel_json(channel, manager=access.can_manage_channels(acting_user(request))))

    def patch(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        channel = selectors.channel_by_pk(pk)
        access.require_channel_manager(user)
        data = parse(ChannelInput, request)
        version = data.pop("version", None)
        credentials = data.pop("credentials", None)
        saved = services.channel_save(actor=user, channel=channel, data=data, credentials=credentials, version=version)
        return Response(channel_json(saved, manager=True))
