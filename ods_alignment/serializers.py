"""What the SDG API reads and answers.

Inputs only parse types (and the suggestion limits, which belong to no service); the rules
of the workflow live in ods_alignment.services, so the API and the pages refuse the same
things with the same messages. Outputs are built as plain dicts in apis.py and passed through
the output serializers below, which is also what the OpenAPI description shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from community.models import IndexItem
from ods_alignment.models import (
    CATALOGUE_LANGUAGES,
    AlignmentCase,
    AlignmentEvent,
    CaseStatus,
    Goal,
    Proposal,
    Target,
)
from ods_alignment.selectors import QueueEntry
from ods_alignment.suggest import LANGUAGES as SUGGEST_LANGUAGES
from ods_alignment.suggest import MAX_CHARS
from tenants.accounts.models import User

# Ids the database cannot hold are refused as input, never looked up.
MAX_ID = 2**63 - 1
# More goals or targets than any alignment could hold is a malformed request, not a choice.
MAX_SELECTION = 200
MAX_KEY = 12  # the longest target code the catalogue stores
MAX_SPECIALISTS = 20


class LanguageField(serializers.ChoiceField):
    """A language code, case-insensitive, refused with the codes it accepts."""

    default_error_messages = {
        "invalid_choice": _("Idioma no admitido: «{input}». Use uno de estos: {choices}."),
    }

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            data = data.strip().lower()
        return super().to_internal_value(data)

    def fail(self, key: str, **kwargs: Any) -> NoReturn:
        if "input" in kwargs:
            kwargs["input"] = str(kwargs["input"])[:20]
        super().fail(key, choices=", ".join(str(c) for c in self.choices), **kwargs)


def _id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        error_messages={"invalid": _("Indique un número de identificación válido.")},
        **kwargs,
    )


# --- Inputs ----------------------------------------------------------------------------------


class StrictCharField(serializers.CharField):
    """A string, not a number turned into one (DRF's CharField takes 12 as "12")."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)  # type: ignore[no-any-return]


class CatalogueQuery(serializers.Serializer[Any]):
    lang = LanguageField(
        choices=list(CATALOGUE_LANGUAGES),
        required=False,
        help_text="Language of the catalogue texts (es, en, fr); default: Accept-Language, else Spanish.",
    )


class SuggestInput(serializers.Serializer[Any]):
    text = StrictCharField(
        max_length=MAX_CHARS,
        error_messages={
            "required": _("Escriba el texto de la iniciativa."),
            "blank": _("Escriba el texto de la iniciativa."),
            "null": _("Escriba el texto de la iniciativa."),
            "max_length": _("El texto puede tener como máximo {max_length} caracteres."),
            "invalid": _("El texto debe ser una cadena de caracteres."),
        },
        help_text=f"The initiative's text (at most {MAX_CHARS} characters).",
    )
    lang = LanguageField(
        choices=list(SUGGEST_LANGUAGES),
        required=False,
        allow_null=True,
        default=None,
        help_text="es, en or fr; null or left out: detected from the text.",
    )


@extend_schema_field(
    {
        "oneOf": [
            {
                "type": "object",
                "additionalProperties": {"type": "string", "enum": ["direct", "indirect"]},
            },
            {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "integer"}]}},
        ]
    }
)
class SelectionField(serializers.Field):  # type: ignore[type-arg]
    """Goals or targets as the services take them: {key: "direct" | "indirect"}, or a plain
    list of keys (all direct). Only the shape is checked here; the catalogue, the
    contributions and the goal-target rules are the service's."""

    default_error_messages = {
        "invalid": _("Envíe una lista de códigos, o un objeto que dé a cada código «direct» o «indirect»."),
        "too_many": _("Como máximo {limit} elementos."),
        "bad_key": _("«{value}» no es un código válido."),
    }

    def to_internal_value(self, data: Any) -> dict[str, Any] | list[str]:
        if isinstance(data, Mapping):
            keys = list(data)
            out: dict[str, Any] | list[str] = {str(k): v for k, v in data.items()}
        elif isinstance(data, list):
            keys = list(data)
            out = [str(k) for k in data]
        else:
            self.fail("invalid")
        if len(keys) > MAX_SELECTION:
            self.fail("too_many", limit=MAX_SELECTION)
        for key in keys:
            # bool is an int to Python, never a goal or a target code.
            if isinstance(key, bool) or not isinstance(key, int | str) or len(str(key).strip()) > MAX_KEY:
                self.fail("bad_key", value=str(key)[:20])
        return out

    def to_representation(self, value: Any) -> Any:
        return value


class CaseListQuery(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False, help_text="Only cases in this state.")


class CaseOpenInput(serializers.Serializer[Any]):
    item = _id_field(help_text="Id of the shared initiative in the community index.")
    specialists = serializers.ListField(
        child=_id_field(),
        allow_empty=True,
        max_length=MAX_SPECIALISTS,
        help_text="User ids of the SDG specialists who propose independently (at least two).",
    )
    lead = _id_field(help_text="User id of the lead specialist, who adjudicates disagreements.")
    deadline = serializers.DateField(help_text="YYYY-MM-DD; also each assignment's due date.")


class ProposalInput(serializers.Serializer[Any]):
    goals = SelectionField(help_text='Goal numbers, or {"6": "direct", "3": "indirect"}.')
    targets = SelectionField(required=False, default=dict, help_text='Target codes, or {"6.1": "direct"}.')
    justification = serializers.CharField(allow_blank=True, required=False, default="", trim_whitespace=False)
    evidence = serializers.CharField(allow_blank=True, required=False, default="", trim_whitespace=False)
    evidence_url = serializers.CharField(allow_blank=True, required=False, default="", trim_whitespace=False)


class AdjudicateInput(serializers.Serializer[Any]):
    goals = SelectionField(help_text='The final goals: numbers, or {"6": "direct"}.')
    targets = SelectionField(required=False, default=dict, help_text="The final targets (under the final goals).")
    reason = serializers.CharField(allow_blank=True, required=False, default="", trim_whitespace=False)


class ReassignInput(serializers.Serializer[Any]):
    assignment = _id_field(help_text="Id of the pending assignment to hand over (see the case's assignments).")
    specialist = _id_field(help_text="User id of the specialist who takes it.")
    due_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="New due date; default: the current one."
    )


# --- Outputs ---------------------------------------------------------------------------------


class PersonOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class IndicatorOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()


class TargetOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    is_local = serializers.BooleanField()
    # A field called "parent" is fine at run time (the metaclass moves declared fields off the
    # class); only the stubs see it shadow Field.parent.
    parent = serializers.CharField(  # type: ignore[assignment]
        allow_null=True, help_text="The official target a local target hangs from."
    )


class TargetWithIndicatorsOut(TargetOut):
    indicators = IndicatorOut(many=True)


class GoalOut(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    colour = serializers.CharField()
    title = serializers.CharField()
    short = serializers.CharField()
    targets = TargetOut(many=True)


class GoalDetailOut(GoalOut):
    targets = TargetWithIndicatorsOut(many=True)  # type: ignore[assignment]


class GoalsOut(serializers.Serializer[Any]):
    lang = serializers.CharField()
    goals = GoalOut(many=True)


class GoalScoreOut(serializers.Serializer[Any]):
    goal = serializers.IntegerField()
    score = serializers.FloatField()
    triggers = serializers.ListField(child=serializers.CharField(), help_text="Words of the text behind the score.")


class TargetScoreOut(serializers.Serializer[Any]):
    target = serializers.CharField()
    score = serializers.FloatField()
    triggers = serializers.ListField(child=serializers.CharField())


class SuggestionsOut(serializers.Serializer[Any]):
    lang = serializers.CharField(help_text="The language the text was read in (given or detected).")
    goals = GoalScoreOut(many=True, help_text="All 17 goals, best first.")
    predicted_goals = serializers.ListField(
        child=serializers.IntegerField(), help_text="Goals whose score reaches the model's threshold."
    )
    targets = TargetScoreOut(many=True, help_text="The best targets, best first.")
    truncated = serializers.BooleanField()


class ItemOut(serializers.Serializer[Any]):
    id = serializers.IntegerField(allow_null=True)
    key = serializers.CharField()
    title = serializers.CharField()
    municipality = serializers.CharField()
    municipality_name = serializers.CharField()
    country = serializers.CharField()
    shared = serializers.BooleanField(help_text="False once the municipality withdrew it from the community.")
    source_url = serializers.CharField()
    sdg_goals = serializers.ListField(child=serializers.IntegerField(), help_text="What the index shows now.")
    sdg_targets = serializers.ListField(child=serializers.CharField())


class ItemDetailOut(ItemOut):
    text = serializers.CharField()


class AssignmentOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    specialist = PersonOut()
    due_date = serializers.DateField()
    submitted = serializers.BooleanField()
    active = serializers.BooleanField(help_text="False once reassigned to someone else.")


class CaseOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    deadline = serializers.DateField()
    item = ItemOut()
    lead = PersonOut()
    assignments = AssignmentOut(many=True)
    kappa = serializers.FloatField(allow_null=True)
    target_overlap = serializers.FloatField(allow_null=True)
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ContributionsOut(serializers.Serializer[Any]):
    goals = serializers.DictField(child=serializers.CharField(), help_text='{"6": "direct"}')
    targets = serializers.DictField(child=serializers.CharField(), help_text='{"6.1": "indirect"}')


class ProposalOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    specialist = PersonOut()
    goals = serializers.DictField(child=serializers.CharField(), help_text='{"6": "direct"}')
    targets = serializers.DictField(child=serializers.CharField(), help_text='{"6.1": "indirect"}')
    justification = serializers.CharField()
    evidence = serializers.CharField()
    evidence_url = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class FinalOut(serializers.Serializer[Any]):
    goals = serializers.ListField(child=serializers.IntegerField())
    targets = serializers.ListField(child=serializers.CharField())
    contributions = ContributionsOut()
    reason = serializers.CharField(help_text="The lead's reason when adjudicated; empty when agreed.")
    decided_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)


class EventOut(serializers.Serializer[Any]):
    action = serializers.CharField()
    actor = PersonOut(allow_null=True)
    detail = serializers.DictField()
    created_at = serializers.DateTimeField()


class CaseDetailOut(CaseOut):
    item = ItemDetailOut()  # type: ignore[assignment]
    proposals = ProposalOut(
        many=True, help_text="Blind: while the case is open, only your own proposal; all of them once all are in."
    )
    final = FinalOut(allow_null=True)
    events = EventOut(many=True)
    can = serializers.DictField(child=serializers.BooleanField(), help_text="What you may do now.")


class QueueEntryOut(serializers.Serializer[Any]):
    case = serializers.IntegerField()
    action = serializers.CharField(help_text="propose | adjudicate | publish")
    item_title = serializers.CharField()
    municipality_name = serializers.CharField()
    due_date = serializers.DateField()
    days_left = serializers.IntegerField(help_text="Negative: overdue.")
    overdue = serializers.BooleanField()
    due_soon = serializers.BooleanField()


class QueueOut(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    to_propose = QueueEntryOut(many=True)
    to_adjudicate = QueueEntryOut(many=True)
    to_publish = QueueEntryOut(many=True)


class PairAgreementOut(serializers.Serializer[Any]):
    specialist_a = PersonOut()
    specialist_b = PersonOut()
    cases = serializers.IntegerField()
    pooled_kappa = serializers.FloatField(help_text="Cohen's kappa over all their goal decisions (17 per case).")
    mean_kappa = serializers.FloatField()
    mean_target_overlap = serializers.FloatField(help_text="Mean Jaccard overlap of their targets.")


# --- Building the answers --------------------------------------------------------------------
# Plain dicts from rows the caller has read (with what they need prefetched), passed through
# the output serializers above by apis.py.


def person_json(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.full_name or user.email} if user is not None else None


def target_json(target: Target, *, indicators: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": target.code,
        "title": target.title,
        "is_local": target.is_local,
        "parent": target.parent.code if target.parent is not None else None,
    }
    if indicators:
        data["indicators"] = [{"code": i.code, "title": i.title} for i in target.indicators.all()]
    return data


def goal_json(goal: Goal, *, indicators: bool = False) -> dict[str, Any]:
    return {
        "number": goal.number,
        "colour": goal.colour,
        "title": goal.title,
        "short": goal.short,
        "targets": [target_json(t, indicators=indicators) for t in goal.targets.all()],
    }


def entry_json(entry: QueueEntry) -> dict[str, Any]:
    item = entry.case.item
    return {
        "case": entry.case.pk,
        "action": entry.action,
        "item_title": item.title if item is not None else "",
        "municipality_name": entry.case.municipality.name,
        "due_date": entry.due_date,
        "days_left": entry.days_left,
        "overdue": entry.overdue,
        "due_soon": entry.due_soon,
    }


def item_json(case: AlignmentCase, *, text: bool = False) -> dict[str, Any]:
    item: IndexItem | None = case.item
    data: dict[str, Any] = {
        "id": item.pk if item is not None else None,
        "key": case.item_key,
        "title": item.title if item is not None else "",
        "municipality": case.municipality.slug,
        "municipality_name": case.municipality.name,
        "country": item.country if item is not None else "",
        "shared": item is not None and item.withdrawn_at is None,
        # A page on the municipality's host; only public items have one.
        "source_url": item.public_url if item is not None else "",
        "sdg_goals": list(item.sdg_goals) if item is not None else [],
        "sdg_targets": list(item.sdg_targets) if item is not None else [],
    }
    if text:
        data["text"] = item.text if item is not None else ""
    return data


def case_json(case: AlignmentCase, *, all_assignments: bool = False, text: bool = False) -> dict[str, Any]:
    """A case as the list shows it (assignments and proposals prefetched)."""
    submitted = {p.specialist_id for p in case.proposals.all()}
    return {
        "id": case.pk,
        "status": case.status,
        "status_label": str(CaseStatus(case.status).label),
        "deadline": case.deadline,
        "item": item_json(case, text=text),
        "lead": person_json(case.lead),
        "assignments": [
            {
                "id": a.pk,
                "specialist": person_json(a.specialist),
                "due_date": a.due_date,
                # Whether someone has submitted is not what they proposed: that stays blind.
                "submitted": a.specialist_id in submitted,
                "active": a.ended_at is None,
            }
            for a in case.assignments.all()
            if all_assignments or a.ended_at is None
        ],
        "kappa": case.kappa,
        "target_overlap": case.target_overlap,
        "version": case.version,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
    }


def proposal_json(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "specialist": person_json(proposal.specialist),
        "goals": {str(r.goal.number): r.contribution for r in proposal.goal_rows.all()},
        "targets": {r.target.code: r.contribution for r in proposal.target_rows.all()},
        "justification": proposal.justification,
        "evidence": proposal.evidence,
        "evidence_url": proposal.evidence_url,
        "submitted_at": proposal.submitted_at,
    }


def event_json(event: AlignmentEvent, user: User, case: AlignmentCase) -> dict[str, Any]:
    detail = event.detail
    if event.action == "proposal.submit" and case.status == CaseStatus.OPEN and event.actor_id != user.pk:
        # The event names the goals proposed: blind like the proposal itself.
        detail = {}
    return {"action": event.action, "actor": person_json(event.actor), "detail": detail, "created_at": event.created_at}
