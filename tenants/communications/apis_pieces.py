"""Pieces API (tenant domain): write a piece, approve it, give it a text per channel, publish
it to a channel and record the reach of a publication. Publishing answers 202: the piece is
queued and a worker sends it; read the action or the piece to see how it went."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.accounts.models import acting_user
from tenants.api_fields import parse
from tenants.communications import access, selectors, services
from tenants.communications.models import Piece, Publication
from tenants.communications.serializers import (
    PieceApprovalInput,
    PieceInput,
    PiecePublishInput,
    PieceVariantInput,
    PublicationReachInput,
    piece_json,
    publication_json,
)


def piece_answer(pk: int, pid: int, *, code: int = status.HTTP_200_OK) -> Response:
    """A piece as it is now, with its files, per-channel texts and publications, and how it
    stands on each active channel (length, limit, what is missing), as its page shows."""
    return Response(piece_json(selectors.piece_view(_piece(pk, pid))), status=code)


def _piece(pk: int, pid: int) -> Piece:
    return selectors.piece_by_pk(selectors.action_by_pk(pk), pid)


class PieceListApi(GenericAPIView[Piece]):
    """Write a piece of the action (a press release, a post, a script or web news). The
    first piece puts an identified action in preparation."""

    queryset = Piece.objects.none()
    serializer_class = PieceInput

    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        action = selectors.action_by_pk(pk)
        access.require_editor(user)
        data = parse(PieceInput, request)
        data.pop("version", None)
        saved = services.piece_save(actor=user, action=action, data=data)
        return piece_answer(pk, saved.pk, code=status.HTTP_201_CREATED)


class PieceDetailApi(GenericAPIView[Piece]):
    """One piece. PATCH changes the fields given; send the `version` you read. A change to
    an approved piece withdraws its approval (what is approved is a version)."""

    queryset = Piece.objects.none()
    serializer_class = PieceInput

    def get(self, request: Request, pk: int, pid: int) -> Response:
        return piece_answer(pk, pid)

    def patch(self, request: Request, pk: int, pid: int) -> Response:
        user = acting_user(request)
        piece = _piece(pk, pid)
        access.require_editor(user)
        data = parse(PieceInput, request)
        version = data.pop("version", None)
        services.piece_save(actor=user, action=piece.action, piece=piece, data=data, version=version)
        return piece_answer(pk, pid)


class PieceApproveApi(GenericAPIView[Piece]):
    """Approve the piece as it reads now (the mayor or the system counterpart). Send the
    `version` you read: approving a text you did not see is refused."""

    queryset = Piece.objects.none()
    serializer_class = PieceApprovalInput

    def post(self, request: Request, pk: int, pid: int) -> Response:
        user = acting_user(request)
        piece = _piece(pk, pid)
        access.require_approver(user)
        data = parse(PieceApprovalInput, request)
        services.piece_approve(actor=user, piece=piece, version=data["version"])
        return piece_answer(pk, pid)


class PieceVariantApi(GenericAPIView[Piece]):
    """The piece's text for one channel (a short post for X); an empty `text` removes it.
    A text over the channel's limit is refused, naming the limit."""

    queryset = Piece.objects.none()
    serializer_class = PieceVariantInput

    def put(self, request: Request, pk: int, pid: int) -> Response:
        user = acting_user(request)
        piece = _piece(pk, pid)
        access.require_editor(user)
        data = parse(PieceVariantInput, request)
        services.variant_save(actor=user, piece=piece, channel=data["channel"], text=data["text"])
        return piece_answer(pk, pid)


class PiecePublishApi(GenericAPIView[Piece]):
    """Queue the piece for a channel (answers 202 with the publication). Refused with the
    reasons by field when the action is not ready, the piece not approved, the channel off
    or without credentials, or the text too long; a piece is never published twice on the
    same channel. Asking again for a failed publication retries it."""

    queryset = Piece.objects.none()
    serializer_class = PiecePublishInput

    @extend_schema(responses={202: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int, pid: int) -> Response:
        user = acting_user(request)
        piece = _piece(pk, pid)
        access.require_editor(user)
        data = parse(PiecePublishInput, request)
        publication = services.publication_request(actor=user, piece=piece, channel=data["channel"])
        return Response(publication_json(publication), status=status.HTTP_202_ACCEPTED)


class PublicationReachApi(GenericAPIView[Publication]):
    """Record how many people a published piece reached on a channel (as the channel's
    statistics say), with an optional note; `reach: null` clears it."""

    queryset = Publication.objects.none()
    serializer_class = PublicationReachInput

    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        publication = selectors.publication_by_pk(pk)
        access.require_editor(user)
        data = parse(PublicationReachInput, request)
        saved = services.publication_set_reach(
            actor=user, publication=publication, reach=data["reach"], note=data["reach_note"]
        )
        return Response(publication_json(saved))
