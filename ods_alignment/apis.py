"""The SDG alignment API (public domain, /api/v1/sdg/): the catalogue (anyone), suggestions,
queues, cases, blind proposals, adjudication, publication and agreement (SDG specialists and
the regional team), through the same selectors and services as the pages.

Who gets what: the catalogue needs nothing; everything else needs an SDG role (specialist,
regional team, platform admin): without credentials 401, with another role 403. A case the
person does not take part in is a 404, like a missing one; a participant who may not do an
action (a specialist adjudicating, someone not assigned proposing) gets the service's 403.
Errors name the field, in the request's language: the language cookie, else Accept-Language,
else Spanish (`?lang=` also chooses the catalogue's language)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.selectors import live_items
from ods_alignment import selectors, services
from ods_alignment import selectors_cases as cases
from ods_alignment.models import AlignmentCase, CaseStatus, Goal, Indicator, Target
from ods_alignment.serializers import (
    MAX_ID,
    AdjudicateInput,
    CaseDetailOut,
    CaseListQuery,
    CaseOpenInput,
    CaseOut,
    CatalogueQuery,
    GoalDetailOut,
    GoalsOut,
    PairAgreementOut,
    ProposalInput,
    QueueOut,
    ReassignInput,
    SuggestInput,
    SuggestionsOut,
    case_json,
    entry_json,
    event_json,
    goal_json,
    proposal_json,
)
from ods_alignment.suggest import suggest
from tenants.accounts.models import User
from tenants.api_fields import parse
from tenants.selectors import has_sdg_role, is_regional_team, user_names

# --- Access and language --------------------------------------------------------------------


class IsSdgUser(BasePermission):
    message = gettext_lazy("Solo las personas especialistas ODS y el equipo regional pueden usar esta función.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return has_sdg_role(request.user)  # type: ignore[arg-type]


class LanguageMixin:
    """API clients say their language with Accept-Language (the pages ignore it on purpose:
    Spanish first, whatever the browser says); the site's language cookie still wins, so a
    page calling the API gets the language it shows."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        translation.activate(translation.get_language_from_request(request._request))
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response


class SdgApi(LanguageMixin, APIView):
    permission_classes = [IsSdgUser]


def _case_or_404(request: Request, pk: int) -> AlignmentCase:
    """The case if the requester takes part in it; 404 alike for missing and forbidden."""
    case = selectors.case_for(request.user, pk) if 0 < pk <= MAX_ID else None  # type: ignore[arg-type]
    if case is None:
        raise Http404
    return case


def _specialists(ids: list[int], field: str) -> list[User]:
    """Accounts with the SDG specialist role, by id; any other id is a 400 on `field`, so
    that an id does not reveal whose account it is."""
    found = cases.specialists_by_id(ids)
    missing = [i for i in dict.fromkeys(ids) if i not in found]
    if missing:
        raise ValidationError(
            {field: [_("No hay ninguna persona especialista ODS con el id %(id)s.") % {"id": i} for i in missing]}
        )
    return [found[i] for i in ids]


# --- Catalogue (anyone) ---------------------------------------------------------------------


def _catalogue_language(request: Request) -> None:
    query = CatalogueQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    if query.validated_data.get("lang"):
        translation.activate(query.validated_data["lang"])


def _with_targets(queryset: QuerySet[Goal], *, indicators: bool = False) -> QuerySet[Goal]:
    targets = Target.objects.select_related("parent").order_by("sort_key")
    if indicators:
        targets = targets.prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("sort_key")))
    return queryset.prefetch_related(Prefetch("targets", queryset=targets))


TAGS = ["sdg"]
LANG_PARAMETER = OpenApiParameter(
    "lang", str, enum=["es", "en", "fr"], description="Catalogue language; default: Accept-Language, else Spanish."
)


class GoalListApi(LanguageMixin, APIView):
    """The 17 goals in order, each with its targets (official and local), in the requested
    language."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []  # anonymous: no session, so no CSRF either

    @extend_schema(tags=TAGS, operation_id="sdg_goals_list", parameters=[LANG_PARAMETER], responses=GoalsOut)
    def get(self, request: Request) -> Response:
        _catalogue_language(request)
        goals = [goal_json(g) for g in _with_targets(selectors.goals())]
        return Response(GoalsOut({"lang": translation.get_language(), "goals": goals}).data)


class GoalDetailApi(LanguageMixin, APIView):
    """One goal with its targets and their indicators."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(tags=TAGS, operation_id="sdg_goal_detail", parameters=[LANG_PARAMETER], responses=GoalDetailOut)
    def get(self, request: Request, number: int) -> Response:
        _catalogue_language(request)
        goal = _with_targets(selectors.goals().filter(number=number), indicators=True).first() if number < 100 else None
        if goal is None:
            raise Http404
        return Response(GoalDetailOut(goal_json(goal, indicators=True)).data)


# --- Suggestions ----------------------------------------------------------------------------


class SuggestApi(SdgApi):
    """Ranked goals and targets for a text, with the words that triggered each score (the
    batch command's output with triggers). A suggestion never becomes an alignment by itself."""

    @extend_schema(tags=TAGS, operation_id="sdg_suggest", request=SuggestInput, responses=SuggestionsOut)
    def post(self, request: Request) -> Response:
        data = parse(SuggestInput, request)
        try:
            result = suggest(data["text"], data.get("lang"))
        except ValueError:
            # The input serializer refuses what the model would (empty text, unknown language);
            # anything else the model cannot read is still the text's fault, not a 500.
            raise ValidationError({"text": [_("No se pudo analizar este texto.")]}) from None
        return Response(
            SuggestionsOut(
                {
                    "lang": result.lang,
                    "goals": [{"goal": g.goal, "score": g.score, "triggers": g.triggers} for g in result.goals],
                    "predicted_goals": result.predicted_goals,
                    "targets": [{"target": t.target, "score": t.score, "triggers": t.triggers} for t in result.targets],
                    "truncated": result.truncated,
                }
            ).data
        )


# --- Queue and agreement --------------------------------------------------------------------


class QueueApi(SdgApi):
    """What is waiting for the requester, earliest first: proposals to write and, for a lead
    specialist, disputes to adjudicate and decided cases to publish."""

    @extend_schema(tags=TAGS, operation_id="sdg_queue", responses=QueueOut)
    def get(self, request: Request) -> Response:
        queue = selectors.queue_for(request.user)  # type: ignore[arg-type]
        return Response(
            QueueOut(
                {
                    "count": len(queue),
                    "to_propose": [entry_json(e) for e in queue.to_propose],
                    "to_adjudicate": [entry_json(e) for e in queue.to_adjudicate],
                    "to_publish": [entry_json(e) for e in queue.to_publish],
                }
            ).data
        )


class AgreementApi(SdgApi):
    """Agreement of each specialist pair over the cases both proposed on (past the blind
    stage), most cases first. A specialist sees only their own pairs; the team sees all."""

    @extend_schema(tags=TAGS, operation_id="sdg_agreement", responses=PairAgreementOut(many=True))
    def get(self, request: Request) -> Response:
        user = request.user
        pairs = selectors.pair_agreements(specialist=None if is_regional_team(user) else user)  # type: ignore[arg-type]
        names = user_names({p.specialist_a for p in pairs} | {p.specialist_b for p in pairs})
        rows = [
            {
                "specialist_a": {"id": p.specialist_a, "name": names.get(p.specialist_a, "")},
                "specialist_b": {"id": p.specialist_b, "name": names.get(p.specialist_b, "")},
                "cases": p.cases,
                "pooled_kappa": p.pooled_kappa,
                "mean_kappa": p.mean_kappa,
                "mean_target_overlap": p.mean_target_overlap,
            }
            for p in pairs
        ]
        return Response(PairAgreementOut(rows, many=True).data)


# --- Cases ----------------------------------------------------------------------------------


def _detail(case_id: int, user: User) -> dict[str, Any]:
    """The case as this participant may see it, read fresh after any write."""
    case = selectors.cases_visible_to(user).filter(pk=case_id).first()
    if case is None:  # cannot happen for a participant; kept as a guard against a rule drifting
        raise Http404
    data = case_json(case, all_assignments=True, text=True)
    data["proposals"] = [proposal_json(p) for p in selectors.proposals_visible_to(user, case)]
    final = cases.final_of(case)
    data["final"] = (
        {
            "goals": final.goals,
            "targets": final.targets,
            "contributions": {
                "goals": final.contributions.get("goals", {}),
                "targets": final.contributions.get("targets", {}),
            },
            "reason": case.decision_reason,
            "decided_at": final.decided_at,
            "published_at": final.published_at,
        }
        if final is not None
        else None
    )
    data["events"] = [event_json(e, user, case) for e in cases.case_events(case)]
    team_or_lead = is_regional_team(user) or user.pk == case.lead_id
    active = {a.specialist_id for a in case.assignments.all() if a.ended_at is None}
    data["can"] = {
        "propose": case.status == CaseStatus.OPEN and user.pk in active,
        "adjudicate": case.status == CaseStatus.DISPUTED and user.pk == case.lead_id,
        "publish": case.status in {CaseStatus.AGREED, CaseStatus.ADJUDICATED} and team_or_lead,
        "reassign": case.status == CaseStatus.OPEN and team_or_lead,
    }
    return data


def _answer(case_id: int, request: Request, *, code: int = status.HTTP_200_OK) -> Response:
    return Response(CaseDetailOut(_detail(case_id, request.user)).data, status=code)  # type: ignore[arg-type]


ERRORS = {
    400: OpenApiResponse(description="Errors per field: {field: [messages]}."),
    403: OpenApiResponse(description="Your role does not allow this action."),
    404: OpenApiResponse(description="No such case, or you do not take part in it."),
}


class CaseListApi(LanguageMixin, GenericAPIView[AlignmentCase]):
    """GET: the cases you take part in (the regional team: all), by deadline, paginated.
    POST: open a case on a shared initiative (the regional team; a specialist may open one
    they lead themselves)."""

    permission_classes = [IsSdgUser]
    queryset = AlignmentCase.objects.none()
    serializer_class = CaseOut

    @extend_schema(tags=TAGS, operation_id="sdg_cases_list", parameters=[CaseListQuery], responses=CaseOut(many=True))
    def get(self, request: Request) -> Response:
        query = CaseListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        visible = selectors.cases_visible_to(request.user, status=query.validated_data.get("status"))  # type: ignore[arg-type]
        page = self.paginate_queryset(visible) or []
        return self.get_paginated_response(CaseOut([case_json(c) for c in page], many=True).data)

    @extend_schema(
        tags=TAGS, operation_id="sdg_case_open", request=CaseOpenInput, responses={201: CaseDetailOut, **ERRORS}
    )
    def post(self, request: Request) -> Response:
        data = parse(CaseOpenInput, request)
        item = live_items().filter(pk=data["item"]).first()
        errors: dict[str, list[str]] = {}
        if item is None:
            errors["item"] = [_("No hay ninguna iniciativa compartida con el id %(id)s.") % {"id": data["item"]}]
        found: dict[str, list[User]] = {}
        for field, ids in (("specialists", data["specialists"]), ("lead", [data["lead"]])):
            try:
                found[field] = _specialists(ids, field)
            except ValidationError as exc:
                errors.update(exc.detail)  # type: ignore[arg-type]
        if errors:
            raise ValidationError(errors)
        assert item is not None
        case = services.case_open(
            actor=request.user,  # type: ignore[arg-type]
            item=item,
            specialists=found["specialists"],
            lead=found["lead"][0],
            deadline=data["deadline"],
        )
        return _answer(case.pk, request, code=status.HTTP_201_CREATED)


class CaseDetailApi(SdgApi):
    """A case for a participant: assignments, the proposals you may see (blind while the
    case is open: only your own), agreement, the final alignment and the event log."""

    @extend_schema(tags=TAGS, operation_id="sdg_case_detail", responses={200: CaseDetailOut, 404: ERRORS[404]})
    def get(self, request: Request, pk: int) -> Response:
        return _answer(_case_or_404(request, pk).pk, request)


class ProposalSubmitApi(SdgApi):
    """Your independent proposal for a case assigned to you (it replaces your earlier one
    while others are missing). When the last one is in, agreement is computed."""

    @extend_schema(
        tags=TAGS, operation_id="sdg_case_propose", request=ProposalInput, responses={201: CaseDetailOut, **ERRORS}
    )
    def post(self, request: Request, pk: int) -> Response:
        case = _case_or_404(request, pk)
        data = parse(ProposalInput, request)
        services.proposal_submit(actor=request.user, case=case, **data)  # type: ignore[arg-type]
        return _answer(case.pk, request, code=status.HTTP_201_CREATED)


class AdjudicateApi(SdgApi):
    """The lead specialist settles a disputed case: final goals and targets, and why."""

    @extend_schema(
        operation_id="sdg_case_adjudicate", request=AdjudicateInput, responses={200: CaseDetailOut, **ERRORS}
    )
    def post(self, request: Request, pk: int) -> Response:
        case = _case_or_404(request, pk)
        data = parse(AdjudicateInput, request)
        services.adjudicate(actor=request.user, case=case, **data)  # type: ignore[arg-type]
        return _answer(case.pk, request)


class PublishApi(SdgApi):
    """Publish an agreed or adjudicated case to the community index and search (the lead or
    the regional team)."""

    @extend_schema(tags=TAGS, operation_id="sdg_case_publish", request=None, responses={200: CaseDetailOut, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        case = _case_or_404(request, pk)
        services.case_publish(actor=request.user, case=case)  # type: ignore[arg-type]
        return _answer(case.pk, request)


class ReassignApi(SdgApi):
    """Hand a pending assignment to another specialist (the regional team or the lead)."""

    @extend_schema(
        tags=TAGS, operation_id="sdg_case_reassign", request=ReassignInput, responses={200: CaseDetailOut, **ERRORS}
    )
    def post(self, request: Request, pk: int) -> Response:
        case = _case_or_404(request, pk)
        data = parse(ReassignInput, request)
        assignment = cases.assignment_of(case, data["assignment"])
        if assignment is None:
            raise ValidationError({"assignment": [_("Esta asignación no es de este caso.")]})
        (specialist,) = _specialists([data["specialist"]], "specialist")
        services.assignment_reassign(
            actor=request.user,  # type: ignore[arg-type]
            assignment=assignment,
            specialist=specialist,
            due_date=data.get("due_date"),
        )
        return _answer(case.pk, request)
