"""Communication actions API (tenant domain): the list with the same filters as the pages,
an action with its pieces and publications, its status, and the inbox of possible actions.
Every member reads; editors write, through the same services as the pages, so the same rules
and messages apply (a member without the role gets 403, someone else's municipality 404)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.accounts.models import acting_user
from tenants.api_fields import parse
from tenants.communications import access, selectors, services
from tenants.communications.forms import ActionFilterForm
from tenants.communications.models import CommunicationAction
from tenants.communications.serializers import (
    ActionInput,
    ActionStatusInput,
    SuggestionDecisionInput,
    action_json,
    suggestion_json,
)


def action_answer(pk: int, *, code: int = status.HTTP_200_OK) -> Response:
    """An action as it is now in the database, with everything its page shows."""
    action = selectors.action_by_pk(pk)
    name = selectors.editor_names([action]).get(action.editor_id or 0, "")
    return Response(action_json(action, editor_name=name, full=True, pieces=selectors.piece_views(action)), status=code)


def _filters(params: Any) -> dict[str, Any]:
    """The list's query parameters, parsed by the same form as the list page
    (forms.ActionFilterForm), so both take the same filters. A theme or place that does not
    exist, a date that is not one or a status that is not one is a field error here (not a
    silent "everything"); the page shows it next to the filter instead."""
    form = ActionFilterForm(params)
    if not form.is_valid():
        raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
    return form.filters()


class ActionListApi(GenericAPIView[CommunicationAction]):
    """Communication actions by planned date, with the list page's filters: `estado` (a
    status, or `abiertas` for all but closed and discarded), `origen`, `tema` and `lugar`
    (ids; the ones below count too), `desde`/`hasta` (ISO dates of the planned date),
    `publicada_desde`/`publicada_hasta` (first published on those local days), `q` (text),
    `editor` (user id). POST plans one (communications editors, the mayor, the system
    counterpart)."""

    queryset = CommunicationAction.objects.none()
    serializer_class = ActionInput

    @extend_schema(
        operation_id="communications_actions_list",
        parameters=[
            OpenApiParameter("estado", str), OpenApiParameter("origen", str), OpenApiParameter("tema", int),
            OpenApiParameter("lugar", int), OpenApiParameter("desde", OpenApiTypes.DATE),
            OpenApiParameter("hasta", OpenApiTypes.DATE), OpenApiParameter("publicada_desde", OpenApiTypes.DATE),
            OpenApiParameter("publicada_hasta", OpenApiTypes.DATE), OpenApiParameter("q", str),
            OpenApiParameter("editor", int),
        ],
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.actions(**_filters(request.query_params))) or []
        names = selectors.editor_names(list(page))
        return self.get_paginated_response([action_json(a, editor_name=names.get(a.editor_id or 0, "")) for a in page])

    def post(self, request: Request) -> Response:
        user = acting_user(request)
        access.require_editor(user)
        data = parse(ActionInput, request)
        data.pop("version", None)
        saved = services.action_save(actor=user, data=data)
        return action_answer(saved.pk, code=status.HTTP_201_CREATED)


class ActionDetailApi(GenericAPIView[CommunicationAction]):
    """One action with its pieces, their files (names only), per-channel texts and
    publications. PATCH changes the plan's fields given (not the status: see `status/`);
    send the `version` you read to refuse overwriting someone else's change."""

    queryset = CommunicationAction.objects.none()
    serializer_class = ActionInput

    def get(self, request: Request, pk: int) -> Response:
        return action_answer(pk)

    def patch(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        action = selectors.action_by_pk(pk)
        access.require_editor(user)
        data = parse(ActionInput, request)
        version = data.pop("version", None)
        services.action_save(actor=user, action=action, data=data, version=version)
        return action_answer(pk)


class ActionStatusApi(GenericAPIView[CommunicationAction]):
    """Move an action on: identified → in_preparation → ready → published → closed, or
    discarded (with a `reason`). `results` records what came of it. The answer lists the
    statuses it may go to next (`next_statuses`)."""

    queryset = CommunicationAction.objects.none()
    serializer_class = ActionStatusInput

    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        action = selectors.action_by_pk(pk)
        access.require_editor(user)
        data = parse(ActionStatusInput, request)
        services.action_set_status(
            actor=user, action=action, status=data["status"], reason=data["reason"], results=data["results"],
            version=data.get("version"),
        )  # fmt: skip
        return action_answer(pk)


class SuggestionListApi(GenericAPIView[CommunicationAction]):
    """Possible actions nobody has accepted or dismissed yet: public activities of the
    agenda, milestones flagged as communication opportunities and open communicational
    opportunities (ARO). Done things first, then by date."""

    queryset = CommunicationAction.objects.none()
    serializer_class = SuggestionDecisionInput

    @extend_schema(operation_id="communications_suggestions_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response([suggestion_json(s) for s in selectors.suggestions()])


class SuggestionAcceptApi(GenericAPIView[CommunicationAction]):
    """Turn a suggestion into an identified action prefilled from its source (answers the
    action). A suggestion is decided once: a second accept or dismiss is refused."""

    queryset = CommunicationAction.objects.none()
    serializer_class = SuggestionDecisionInput

    @extend_schema(responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        user = acting_user(request)
        access.require_editor(user)
        data = parse(SuggestionDecisionInput, request)
        action = services.suggestion_accept(actor=user, source=data["source"], source_id=data["source_id"])
        return action_answer(action.pk, code=status.HTTP_201_CREATED)


class SuggestionDismissApi(GenericAPIView[CommunicationAction]):
    """Take a suggestion out of the inbox for good, without an action."""

    queryset = CommunicationAction.objects.none()
    serializer_class = SuggestionDecisionInput

    @extend_schema(responses={204: None})
    def post(self, request: Request) -> Response:
        user = acting_user(request)
        access.require_editor(user)
        data = parse(SuggestionDecisionInput, request)
        services.suggestion_dismiss(actor=user, source=data["source"], source_id=data["source_id"])
        return Response(status=status.HTTP_204_NO_CONTENT)
