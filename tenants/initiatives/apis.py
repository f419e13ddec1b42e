"""Initiatives API (tenant domain). Reads carry the computed lights and thermometer; writes go
through the same services as the pages, so the same rules and errors apply."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.accounts.models import acting_user
from tenants.api_fields import parse
from tenants.initiatives import selectors, services
from tenants.initiatives.models import Aro, AroKind, AroType, Initiative, Milestone, ProductKind
from tenants.initiatives.selectors import InitiativeState, MilestoneState
from tenants.structure.models import Actor, Place, Theme


def _milestone(ms: MilestoneState) -> dict[str, Any]:
    m = ms.milestone
    return {
        "id": m.pk, "position": m.position, "name": m.name, "due_date": m.due_date,
        "baseline_due_date": m.baseline_due_date, "start_date": ms.start, "responsible_id": m.responsible_id,
        "weight": m.weight, "progress": m.progress, "expected_progress": ms.expected, "completed_on": m.completed_on,
        "light": ms.light.name.lower(), "version": m.version, "evidence_text": m.evidence_text,
        "evidence_url": m.evidence_url, "has_evidence_file": bool(m.evidence_file),
    }  # fmt: skip


def _initiative(state: InitiativeState, *, full: bool = False) -> dict[str, Any]:
    i = state.initiative
    data: dict[str, Any] = {
        "id": i.pk, "name": i.name, "status": i.status, "product_kind": i.product_kind,
        "manager_id": i.manager_id, "manager_name": state.manager_name, "start_date": i.start_date,
        "target_date": i.target_date, "light": state.light.name.lower(), "thermometer": state.thermometer,
        "stale": state.stale, "latest_report_week": state.latest_report, "open_alerts": state.open_alerts,
        "open_restrictions": state.open_restrictions, "open_opportunities": state.open_opportunities,
        "is_public": i.is_public, "share_with_community": i.share_with_community, "version": i.version,
    }  # fmt: skip
    if full:
        data.update(
            objective=i.objective, description=i.description, follow_up_id=i.follow_up_id,
            population_reached=i.population_reached, budget=i.budget, funding_source=i.funding_source,
            themes=[t.pk for t in i.themes.all()], places=[p.pk for p in i.places.all()],
            actors=[a.pk for a in i.actors.all()], programming_closed=i.programming_closed_at is not None,
            milestones=[_milestone(m) for m in state.milestones],
        )  # fmt: skip
    return data


def _aro(aro: Aro) -> dict[str, Any]:
    return {
        "id": aro.pk, "initiative_id": aro.initiative_id, "milestone_id": aro.milestone_id, "kind": aro.kind,
        "type": str(aro.aro_type), "type_id": aro.aro_type_id, "description": aro.description,
        "proposed_action": aro.proposed_action, "required_decision": aro.required_decision, "level": aro.level,
        "awaiting_decision": aro.awaiting_decision, "decision": aro.decision, "resolution": aro.resolution,
        "is_open": aro.is_open, "raised_on": aro.raised_on, "closed_on": aro.closed_on, "version": aro.version,
    }  # fmt: skip


class InitiativeInput(serializers.Serializer[Any]):
    name = serializers.CharField(required=False, allow_blank=True)
    objective = serializers.CharField(required=False, allow_blank=True)
    product_kind = serializers.ChoiceField(choices=ProductKind.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    manager_id = serializers.IntegerField(required=False)
    follow_up_id = serializers.IntegerField(required=False, allow_null=True)
    themes = serializers.PrimaryKeyRelatedField(queryset=Theme.objects.all(), many=True, required=False)
    places = serializers.PrimaryKeyRelatedField(queryset=Place.objects.all(), many=True, required=False)
    actors = serializers.PrimaryKeyRelatedField(queryset=Actor.objects.all(), many=True, required=False)
    population_reached = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    budget = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    funding_source = serializers.CharField(required=False, allow_blank=True)
    start_date = serializers.DateField(required=False)
    target_date = serializers.DateField(required=False)
    is_public = serializers.BooleanField(required=False)
    share_with_community = serializers.BooleanField(required=False)
    version = serializers.IntegerField(required=False)


class InitiativeListApi(GenericAPIView[Initiative]):
    """The portfolio with computed lights (worst first). POST registers an initiative."""

    queryset = Initiative.objects.none()
    serializer_class = InitiativeInput

    def get(self, request: Request) -> Response:
        rows = selectors.portfolio(
            text=request.query_params.get("q", ""), status=request.query_params.get("status", "")
        )
        return Response([_initiative(s) for s in rows])

    def post(self, request: Request) -> Response:
        data = parse(InitiativeInput, request)
        data.pop("version", None)
        saved = services.initiative_save(actor=acting_user(request), data=data)
        state = selectors.compute_states([saved])[saved.pk]
        return Response(_initiative(state, full=True), status=status.HTTP_201_CREATED)


class InitiativeDetailApi(GenericAPIView[Initiative]):
    """One initiative with its milestones. PATCH changes the fields given; send the
    `version` you read to refuse overwriting someone else's change."""

    queryset = Initiative.objects.none()
    serializer_class = InitiativeInput

    def get(self, request: Request, pk: int) -> Response:
        initiative = selectors.initiative(pk)
        return Response(_initiative(selectors.compute_states([initiative])[pk], full=True))

    def patch(self, request: Request, pk: int) -> Response:
        initiative = selectors.initiative(pk)
        data = parse(InitiativeInput, request)
        version = data.pop("version", None)
        services.initiative_save(actor=acting_user(request), initiative=initiative, data=data, version=version)
        fresh = selectors.initiative(pk)
        return Response(_initiative(selectors.compute_states([fresh])[pk], full=True))


class CloseProgrammingApi(GenericAPIView[Initiative]):
    queryset = Initiative.objects.none()
    serializer_class = InitiativeInput

    @extend_schema(request=None)
    def post(self, request: Request, pk: int) -> Response:
        services.programming_close(actor=acting_user(request), initiative=selectors.initiative(pk))
        fresh = selectors.initiative(pk)
        return Response(_initiative(selectors.compute_states([fresh])[pk], full=True))


class MilestoneInput(serializers.Serializer[Any]):
    name = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    due_date = serializers.DateField(required=False)
    responsible_id = serializers.IntegerField(required=False)
    weight = serializers.IntegerField(required=False)
    depends_on = serializers.ListField(child=serializers.IntegerField(), required=False)
    risks = serializers.CharField(required=False, allow_blank=True)
    communication_opportunity = serializers.BooleanField(required=False)
    position = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False)


def _milestone_data(data: dict[str, Any]) -> dict[str, Any]:
    if "depends_on" in data:
        ids = data["depends_on"]
        found = list(Milestone.objects.filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise ValidationError({"depends_on": [_("Alguna meta intermedia indicada no existe.")]})
        data["depends_on"] = found
    return data


class MilestoneListApi(GenericAPIView[Milestone]):
    queryset = Milestone.objects.none()
    serializer_class = MilestoneInput

    def post(self, request: Request, pk: int) -> Response:
        initiative = selectors.initiative(pk)
        data = _milestone_data(parse(MilestoneInput, request))
        data.pop("version", None)
        saved = services.milestone_save(actor=acting_user(request), initiative=initiative, data=data)
        return Response({"id": saved.pk, "version": saved.version}, status=status.HTTP_201_CREATED)


class MilestoneDetailApi(GenericAPIView[Milestone]):
    queryset = Milestone.objects.none()
    serializer_class = MilestoneInput

    def patch(self, request: Request, pk: int, mid: int) -> Response:
        initiative = selectors.initiative(pk)
        milestone = selectors.milestone(initiative, mid)
        data = _milestone_data(parse(MilestoneInput, request))
        version = data.pop("version", None)
        saved = services.milestone_save(
            actor=acting_user(request), initiative=initiative, milestone=milestone, data=data, version=version
        )
        return Response({"id": saved.pk, "version": saved.version, "due_date": saved.due_date})


class ReprogramInput(serializers.Serializer[Any]):
    new_due = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)
    restriction_id = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False)


class MilestoneReprogramApi(GenericAPIView[Milestone]):
    queryset = Milestone.objects.none()
    serializer_class = ReprogramInput

    def post(self, request: Request, pk: int, mid: int) -> Response:
        initiative = selectors.initiative(pk)
        milestone = selectors.milestone(initiative, mid)
        data = parse(ReprogramInput, request)
        restriction = selectors.aro(data["restriction_id"], initiative.pk) if data.get("restriction_id") else None
        saved = services.milestone_reprogram(
            actor=acting_user(request), milestone=milestone, new_due=data["new_due"], reason=data["reason"],
            restriction=restriction, version=data.get("version"),
        )  # fmt: skip
        return Response({"id": saved.pk, "version": saved.version, "due_date": saved.due_date})


class ReportInput(serializers.Serializer[Any]):
    week_start = serializers.DateField()
    narrative = serializers.CharField(required=False, allow_blank=True, default="")
    progress = serializers.DictField(child=serializers.IntegerField(allow_null=True), required=False, default=dict)


class ReportApi(GenericAPIView[Initiative]):
    """File or correct the weekly report: `progress` maps milestone id → percent."""

    queryset = Initiative.objects.none()
    serializer_class = ReportInput

    def post(self, request: Request, pk: int) -> Response:
        initiative = selectors.initiative(pk)
        data = parse(ReportInput, request)
        try:
            progress = {int(k): (v, "") for k, v in data["progress"].items()}
        except ValueError as exc:
            raise ValidationError({"progress": [_("Las claves deben ser ids de metas intermedias.")]}) from exc
        report = services.report_submit(
            actor=acting_user(request), initiative=initiative, week_start=data["week_start"],
            narrative=data["narrative"], progress=progress,
        )  # fmt: skip
        return Response({"id": report.pk, "week_start": report.week_start}, status=status.HTTP_201_CREATED)


class AroInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=AroKind.choices)
    type_id = serializers.IntegerField()
    milestone_id = serializers.IntegerField(required=False, allow_null=True)
    description = serializers.CharField(allow_blank=True)
    proposed_action = serializers.CharField(required=False, allow_blank=True, default="")
    required_decision = serializers.CharField(required=False, allow_blank=True, default="")
    # Follows the initiative's sharing unless false (kept private).
    share_with_community = serializers.BooleanField(required=False, default=True)


class AroListApi(GenericAPIView[Aro]):
    queryset = Aro.objects.none()
    serializer_class = AroInput

    def get(self, request: Request, pk: int) -> Response:
        return Response([_aro(a) for a in selectors.initiative_aros(selectors.initiative(pk))])

    def post(self, request: Request, pk: int) -> Response:
        initiative = selectors.initiative(pk)
        data = parse(AroInput, request)
        milestone = selectors.milestone(initiative, data["milestone_id"]) if data.get("milestone_id") else None
        aro = services.aro_raise(
            actor=acting_user(request), initiative=initiative, milestone=milestone, kind=data["kind"],
            aro_type=AroType.objects.filter(pk=data["type_id"]).first(), description=data["description"],
            proposed_action=data["proposed_action"], required_decision=data["required_decision"],
            share_with_community=data["share_with_community"],
        )  # fmt: skip
        return Response(_aro(aro), status=status.HTTP_201_CREATED)


class AroActionInput(serializers.Serializer[Any]):
    text = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(required=False)


ACTIONS: dict[str, tuple[Any, str]] = {
    "escalate": (services.aro_escalate, "comment"),
    "deescalate": (services.aro_deescalate, "comment"),
    "decide": (services.aro_decide, "decision"),
    "close": (services.aro_close, "resolution"),
}


class AroActionApi(GenericAPIView[Aro]):
    """`escalate`, `deescalate` (with a comment), `decide` (the decision) or `close` (the
    resolution), as `text`. Only the ARO's level, or a higher one, may act."""

    queryset = Aro.objects.none()
    serializer_class = AroActionInput

    def post(self, request: Request, pk: int, aid: int, action: str) -> Response:
        if action not in ACTIONS:
            raise ValidationError({"action": [_("Acciones posibles: %(actions)s.") % {"actions": ", ".join(ACTIONS)}]})
        aro = selectors.aro(aid, pk)
        data = parse(AroActionInput, request)
        fn, arg = ACTIONS[action]
        done = fn(actor=acting_user(request), aro=aro, version=data.get("version"), **{arg: data["text"]})
        return Response(_aro(done))


class LevelApi(GenericAPIView[Aro]):
    """What awaits a decision at a level (1 manager, 2 committee, 3 mayor's office)."""

    queryset = Aro.objects.none()
    serializer_class = AroActionInput

    def get(self, request: Request, level: int) -> Response:
        if level not in (1, 2, 3):
            raise ValidationError({"level": [_("El nivel es 1, 2 o 3.")]})
        return Response(
            [
                {**_aro(aro), "initiative": {"name": state.initiative.name, "light": state.light.name.lower(),
                                             "thermometer": state.thermometer}}
                for aro, state in selectors.level_queue(level)
            ]
        )  # fmt: skip
