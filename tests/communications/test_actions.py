"""Communication actions through their services: the lifecycle and its rules, bad input
refused with nothing saved, optimistic locking, roles, and the inbox of possible actions
(which activities, milestones and opportunities it suggests, and what accepting or
dismissing one does)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tenants.agenda import services as agenda
from tenants.agenda.models import Activity, ActivityStatus
from tenants.communications import selectors, services
from tenants.communications.models import (
    ActionStatus,
    CommunicationAction,
    Origin,
    SuggestionDecision,
)
from tenants.communications.services.actions import TRANSITIONS
from tenants.db import local_today
from tenants.initiatives import services as initiatives
from tenants.initiatives.models import Aro, AroKind, AroType, Initiative, Milestone
from tenants.structure.models import Place, PlaceLevel, PlaceLevelSet, Theme
from tests.agenda.conftest import in_days
from tests.communications.conftest import make_action
from tests.conftest import World
from tests.initiatives.conftest import make_initiative


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def _piece(w: World, action: CommunicationAction, **data: Any) -> Any:
    fields = {"kind": "press_release", "title": "Comunicado", "body": "Texto del comunicado.", **data}
    return services.piece_save(actor=w.editor_alfa, action=action, data=fields)


def _place(code: str = "B1", name: str = "Barrio Norte") -> Place:
    level_set = PlaceLevelSet.objects.create(name=f"División {code}")
    level = PlaceLevel.objects.create(level_set=level_set, name="Barrio", rank=1)
    return Place.objects.create(code=code, name=name, level=level)


# --- lifecycle ----------------------------------------------------------------------------


def test_an_action_goes_from_identified_to_closed_and_can_be_reopened(in_alfa: World) -> None:
    w = in_alfa
    action = make_action(w)
    assert action.status == ActionStatus.IDENTIFIED and action.created_by_label == "Elena Editora"
    action = services.action_set_status(actor=w.editor_alfa, action=action, status=ActionStatus.IN_PREPARATION)
    assert action.status == ActionStatus.IN_PREPARATION

    # Ready needs a piece…
    with pytest.raises(ValidationError) as exc:
        services.action_set_status(actor=w.editor_alfa, action=action, status=ActionStatus.READY)
    assert "al menos una pieza" in _errors(exc)["status"][0]
    # …and, as the municipality requires approval (the default), approved pieces.
    piece = _piece(w, action)
    with pytest.raises(ValidationError) as exc:
        services.action_set_status(actor=w.editor_alfa, action=action, status=ActionStatus.READY)
    assert "aprobadas" in _errors(exc)["status"][0]
    assert CommunicationAction.objects.get(pk=action.pk).status == ActionStatus.IN_PREPARATION
    services.piece_approve(actor=w.mayor_alfa, piece=piece, version=piece.version)
    action = services.action_set_status(actor=w.editor_alfa, action=action, status=ActionStatus.READY)
    assert action.status == ActionStatus.READY

    # Published by hand (a radio spot), then closed with its results, then reopened.
    action = services.action_set_status(actor=w.editor_alfa, action=action, status=ActionStatus.PUBLISHED)
    assert action.published_at is not None
    first_published = action.published_at
    action = services.action_set_status(
        actor=w.editor_alfa, action=action, status=ActionStatus.CLOSED, results="Llegó a 2.000 oyentes."
    )
    stored = CommunicationAction.objects.get(pk=action.pk)
    assert stored.status == ActionStatus.CLOSED and stored.closed_at is not None
    assert stored.results == "Llegó a 2.000 oyentes."
    # A closed action's pieces are frozen until it is reopened.
    with pytest.raises(ValidationError) as exc:
        _piece(w, stored, title="Otra")
    assert exc.value.code == "closed"
    reopened = services.action_set_status(actor=w.editor_alfa, action=stored, status=ActionStatus.PUBLISHED)
    assert reopened.status == ActionStatus.PUBLISHED and reopened.closed_at is None
    assert reopened.published_at == first_published  # the first publication date stays


def test_writing_the_first_piece_moves_an_identified_action_into_preparation(in_alfa: World) -> None:
    action = make_action(in_alfa)
    _piece(in_alfa, action)
    assert CommunicationAction.objects.get(pk=action.pk).status == ActionStatus.IN_PREPARATION


def test_without_required_approval_an_unapproved_piece_is_enough_for_ready(in_alfa: World) -> None:
    w = in_alfa
    services.settings_save(actor=w.mayor_alfa, require_approval=False)
    action = make_action(w)
    _piece(w, action)
    action = services.action_set_status(actor=w.editor_alfa, action=action, status=ActionStatus.READY)
    assert action.status == ActionStatus.READY


def test_discarding_needs_a_reason_and_a_discarded_action_can_be_identified_again(in_alfa: World) -> None:
    w = in_alfa
    action = make_action(w)
    with pytest.raises(ValidationError) as exc:
        services.action_set_status(actor=w.editor_alfa, action=action, status=ActionStatus.DISCARDED, reason="  ")
    assert "por qué" in _errors(exc)["reason"][0]
    assert CommunicationAction.objects.get(pk=action.pk).status == ActionStatus.IDENTIFIED
    action = services.action_set_status(
        actor=w.editor_alfa, action=action, status=ActionStatus.DISCARDED, reason="Se suspendió la obra."
    )
    assert CommunicationAction.objects.get(pk=action.pk).discard_reason == "Se suspendió la obra."
    action = services.action_set_status(actor=w.editor_alfa, action=action, status=ActionStatus.IDENTIFIED)
    stored = CommunicationAction.objects.get(pk=action.pk)
    assert stored.status == ActionStatus.IDENTIFIED and stored.discard_reason == ""


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (ActionStatus.IDENTIFIED, ActionStatus.PUBLISHED),
        (ActionStatus.IDENTIFIED, ActionStatus.CLOSED),
        (ActionStatus.PUBLISHED, ActionStatus.DISCARDED),
        (ActionStatus.CLOSED, ActionStatus.IDENTIFIED),
    ],
)
def test_an_illegal_transition_names_both_states(in_alfa: World, current: str, new: str) -> None:
    assert new not in TRANSITIONS[current]
    action = make_action(in_alfa)
    CommunicationAction.objects.filter(pk=action.pk).update(status=current)
    action.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.action_set_status(actor=in_alfa.editor_alfa, action=action, status=new, reason="Porque sí")
    message = _errors(exc)["status"][0]
    assert f"«{ActionStatus(current).label}»" in message and f"«{ActionStatus(new).label}»" in message
    assert CommunicationAction.objects.get(pk=action.pk).status == current


def test_an_unknown_status_is_refused(in_alfa: World) -> None:
    action = make_action(in_alfa)
    with pytest.raises(ValidationError) as exc:
        services.action_set_status(actor=in_alfa.editor_alfa, action=action, status="viral")
    assert "status" in _errors(exc)


# --- bad input ------------------------------------------------------------------------------


def test_required_fields_are_refused_and_nothing_is_saved(in_alfa: World) -> None:
    before = CommunicationAction.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.action_save(actor=in_alfa.editor_alfa, data={"title": " ", "message": "", "audience": None})
    assert set(_errors(exc)) >= {"title", "message", "audience", "planned_date"}
    assert CommunicationAction.objects.count() == before


@pytest.mark.parametrize("days", [-400, 800])
def test_a_planned_date_outside_the_horizon_is_refused(in_alfa: World, days: int) -> None:
    before = CommunicationAction.objects.count()
    with pytest.raises(ValidationError) as exc:
        make_action(in_alfa, planned_date=local_today() + timedelta(days=days))
    assert "próximos dos años" in _errors(exc)["planned_date"][0]
    assert CommunicationAction.objects.count() == before


def test_an_old_planned_date_that_is_not_changed_does_not_block_other_edits(in_alfa: World) -> None:
    # Recorded long ago: editing its title must not be refused for a date nobody touched.
    action = make_action(in_alfa)
    old = local_today() - timedelta(days=500)
    CommunicationAction.objects.filter(pk=action.pk).update(planned_date=old)
    action.refresh_from_db()
    saved = services.action_save(actor=in_alfa.editor_alfa, action=action, data={"title": "Título corregido"})
    assert saved.title == "Título corregido" and saved.planned_date == old


def test_the_editor_must_be_a_member_of_the_municipality(in_alfa: World) -> None:
    w = in_alfa
    for stranger in (w.outsider, w.admin_beta):
        with pytest.raises(ValidationError) as exc:
            make_action(w, title="Con extraño", editor_id=stranger.pk)
        assert "miembro activo" in _errors(exc)["editor_id"][0]
    assert not CommunicationAction.objects.filter(title="Con extraño").exists()
    ok = make_action(w, title="Con miembro", editor_id=w.manager_alfa.pk)
    assert ok.editor_id == w.manager_alfa.pk


def test_an_archived_theme_is_refused_for_a_new_link_but_kept_on_an_existing_one(in_alfa: World) -> None:
    w = in_alfa
    water = Theme.objects.create(code="T1", name="Agua", depth=1)
    archived = Theme.objects.create(code="T2", name="Obsoleto", depth=1, is_active=False)
    with pytest.raises(ValidationError) as exc:
        make_action(w, title="Con archivado", themes=[archived])
    assert "archivado" in _errors(exc)["themes"][0]
    assert not CommunicationAction.objects.filter(title="Con archivado").exists()
    # Linked while active, archived afterwards: saving the action again keeps it.
    action = make_action(w, themes=[water])
    Theme.objects.filter(pk=water.pk).update(is_active=False)
    saved = services.action_save(actor=w.editor_alfa, action=action, data={"title": "Otro título"})
    assert list(saved.themes.all()) == [water]


def test_the_origin_link_must_match_the_origin(in_alfa: World) -> None:
    with pytest.raises(ValidationError) as exc:
        make_action(in_alfa, origin=Origin.MILESTONE)
    assert "milestone" in _errors(exc)
    initiative, (m1, *_rest) = make_initiative(in_alfa)
    other, _ms = make_initiative(in_alfa, name="Otra iniciativa", milestones=1)
    with pytest.raises(ValidationError) as exc:
        make_action(in_alfa, origin=Origin.MILESTONE, milestone=m1, initiative=other)
    assert "initiative" in _errors(exc)
    # A milestone brings its initiative along.
    action = make_action(in_alfa, origin=Origin.MILESTONE, milestone=m1)
    assert action.initiative == initiative and action.origin_label == str(m1)


# --- optimistic lock and roles ----------------------------------------------------------------


def test_a_stale_version_is_refused_with_code_stale(in_alfa: World) -> None:
    w = in_alfa
    action = make_action(w)
    seen = action.version
    services.action_save(actor=w.mayor_alfa, action=action, version=seen, data={"audience": "Comerciantes"})
    with pytest.raises(ValidationError) as exc:
        services.action_save(actor=w.editor_alfa, action=action, version=seen, data={"audience": "Estudiantes"})
    assert exc.value.code == "stale"
    assert CommunicationAction.objects.get(pk=action.pk).audience == "Comerciantes"
    with pytest.raises(ValidationError) as exc:
        services.action_set_status(actor=w.editor_alfa, action=action, version=seen, status=ActionStatus.IN_PREPARATION)
    assert exc.value.code == "stale"
    assert CommunicationAction.objects.get(pk=action.pk).status == ActionStatus.IDENTIFIED


def test_roles_without_communication_rights_are_denied(in_alfa: World) -> None:
    w = in_alfa
    action = make_action(w)
    for user in (w.followup_alfa, w.manager_alfa):
        with pytest.raises(PermissionDenied):
            services.action_save(actor=user, data={"title": "X", "message": "Y", "audience": "Z",
                                                   "planned_date": local_today()})  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.action_set_status(actor=user, action=action, status=ActionStatus.IN_PREPARATION)
        with pytest.raises(PermissionDenied):
            services.piece_save(actor=user, action=action, data={"kind": "script", "title": "G", "body": "B"})
    assert CommunicationAction.objects.get(pk=action.pk).status == ActionStatus.IDENTIFIED
    # The mayor and the system counterpart are editors too.
    assert services.action_save(actor=w.admin_alfa, action=action, data={"title": "Por la contraparte"}).pk
    # An editor writes pieces but does not approve them.
    piece = _piece(w, action)
    with pytest.raises(PermissionDenied):
        services.piece_approve(actor=w.editor_alfa, piece=piece, version=piece.version)


# --- the inbox of possible actions -----------------------------------------------------------


def _activity(title: str, days: int, *, public: bool = True, **extra: Any) -> Activity:
    data = {"title": title, "kind": "event", "starts_at": in_days(days), "ends_at": in_days(days, 11),
            "status": ActivityStatus.CONFIRMED, "is_public": public, **extra}  # fmt: skip
    activity, _overlaps = agenda.activity_save(actor=None, data=data)
    return activity


def _opportunity(initiative: Initiative, description: str, type_key: str = "communicational") -> Aro:
    return initiatives.aro_raise(
        actor=None, initiative=initiative, kind=AroKind.OPPORTUNITY, aro_type=AroType.objects.get(key=type_key),
        description=description,
    )  # fmt: skip


def _keys(found: list[selectors.Suggestion]) -> set[tuple[str, int]]:
    return {(s.source, s.id) for s in found}


def _flagged_initiative(w: World, **extra: Any) -> tuple[Initiative, list[Milestone]]:
    """An initiative whose milestones fall 10 days ago, in 10 days and in 30 days; the first
    two flagged as communication opportunities, the first completed today."""
    initiative, milestones = make_initiative(w, start=local_today() - timedelta(days=30), months=2, **extra)
    m1, m2, _m3 = milestones
    for m in (m1, m2):
        initiatives.milestone_save(
            actor=None, initiative=initiative, milestone=m, data={"communication_opportunity": True}
        )
    initiatives.programming_close(actor=None, initiative=initiative)
    initiatives.milestone_complete(actor=None, milestone=m1, completed_on=local_today(), evidence_text="Acta")
    return initiative, [Milestone.objects.get(pk=m.pk) for m in milestones]


def test_the_inbox_suggests_public_activities_flagged_milestones_and_communicational_opportunities(
    in_alfa: World,
) -> None:
    w = in_alfa
    public = _activity("Inauguración del parque", 3)
    private = _activity("Reunión reservada", 3, public=False)
    cancelled = _activity("Feria cancelada", 4)
    agenda.activity_set_status(actor=None, activity=cancelled, status=ActivityStatus.CANCELLED)
    far = _activity("Festival del año próximo", 120)
    initiative, (done, upcoming, unflagged) = _flagged_initiative(w)
    opportunity = _opportunity(initiative, "La comunidad pide conocer el avance de la obra")
    political = _opportunity(initiative, "Un concejal quiere aparecer en la foto", "political")

    found = selectors.suggestions()
    keys = _keys(found)
    assert ("activity", public.pk) in keys
    assert ("milestone", done.pk) in keys and ("milestone", upcoming.pk) in keys
    assert ("opportunity", opportunity.pk) in keys
    for absent in (
        ("activity", private.pk),
        ("activity", cancelled.pk),
        ("activity", far.pk),
        ("milestone", unflagged.pk),
        ("opportunity", political.pk),
    ):
        assert absent not in keys, absent
    by_key = {(s.source, s.id): s for s in found}
    assert by_key[("milestone", done.pk)].done and not by_key[("milestone", upcoming.pk)].done
    assert by_key[("milestone", done.pk)].initiative == initiative.name
    # What is done is news now: it comes first.
    assert found[0].done


def test_accepting_an_activity_makes_a_prefilled_action_and_clears_the_suggestion(in_alfa: World) -> None:
    w = in_alfa
    water = Theme.objects.create(code="T1", name="Agua", depth=1)
    park = _place()
    initiative, _ms = make_initiative(w, milestones=1)
    activity = _activity("Inauguración del acueducto", 2, themes=[water], place=park, initiative=initiative)
    assert ("activity", activity.pk) in _keys(selectors.suggestions())

    action = services.suggestion_accept(actor=w.editor_alfa, source="activity", source_id=activity.pk)
    assert action.status == ActionStatus.IDENTIFIED
    assert action.origin == Origin.ACTIVITY and action.activity == activity
    assert action.title == "Inauguración del acueducto" and action.origin_label == str(activity)
    assert action.planned_date == in_days(2).date()
    assert list(action.themes.all()) == [water] and list(action.places.all()) == [park]
    assert action.initiative == initiative and action.editor_id == w.editor_alfa.pk
    assert ("activity", activity.pk) not in _keys(selectors.suggestions())
    decision = SuggestionDecision.objects.get(source="activity", source_id=activity.pk)
    assert decision.accepted and decision.action == action


def test_accepting_a_milestone_or_an_opportunity_brings_its_initiative(in_alfa: World) -> None:
    w = in_alfa
    water = Theme.objects.create(code="T1", name="Agua", depth=1)
    north = _place()
    initiative, (done, _upcoming, _m3) = _flagged_initiative(w, themes=[water], places=[north])
    opportunity = _opportunity(initiative, "La comunidad pide conocer el avance de la obra")

    from_milestone = services.suggestion_accept(actor=w.editor_alfa, source="milestone", source_id=done.pk)
    assert from_milestone.milestone == done and from_milestone.initiative == initiative
    assert from_milestone.origin == Origin.MILESTONE and from_milestone.title == done.name
    assert list(from_milestone.themes.all()) == [water]

    from_aro = services.suggestion_accept(
        actor=w.editor_alfa, source="opportunity", source_id=opportunity.pk, data={"audience": "Vecinos del norte"}
    )
    assert from_aro.aro == opportunity and from_aro.initiative == initiative
    assert from_aro.title == "La comunidad pide conocer el avance de la obra"
    assert from_aro.audience == "Vecinos del norte"  # what the editor typed wins over the prefill
    assert list(from_aro.places.all()) == [north]
    keys = _keys(selectors.suggestions())
    assert ("milestone", done.pk) not in keys and ("opportunity", opportunity.pk) not in keys


def test_dismissing_removes_the_suggestion_and_deciding_twice_is_refused(in_alfa: World) -> None:
    w = in_alfa
    first = _activity("Visita al colegio", 1)
    second = _activity("Entrega de mercados", 2)
    services.suggestion_dismiss(actor=w.editor_alfa, source="activity", source_id=first.pk)
    keys = _keys(selectors.suggestions())
    assert ("activity", first.pk) not in keys and ("activity", second.pk) in keys
    assert not SuggestionDecision.objects.get(source="activity", source_id=first.pk).accepted

    before = CommunicationAction.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.suggestion_accept(actor=w.editor_alfa, source="activity", source_id=first.pk)
    assert exc.value.code == "decided"
    assert CommunicationAction.objects.count() == before  # the action it began is rolled back

    services.suggestion_accept(actor=w.editor_alfa, source="activity", source_id=second.pk)
    with pytest.raises(ValidationError) as exc:
        services.suggestion_accept(actor=w.mayor_alfa, source="activity", source_id=second.pk)
    assert exc.value.code == "decided"
    with pytest.raises(ValidationError) as exc:
        services.suggestion_dismiss(actor=w.mayor_alfa, source="activity", source_id=second.pk)
    assert exc.value.code == "decided"
    assert CommunicationAction.objects.filter(activity=second).count() == 1


def test_accepting_a_deleted_source_is_refused(in_alfa: World) -> None:
    w = in_alfa
    activity = _activity("Se borrará", 1)
    pk = activity.pk
    Activity.objects.filter(pk=pk).delete()
    before = CommunicationAction.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.suggestion_accept(actor=w.editor_alfa, source="activity", source_id=pk)
    assert exc.value.code == "gone"
    with pytest.raises(ValidationError) as exc:
        services.suggestion_dismiss(actor=w.editor_alfa, source="activity", source_id=pk)
    assert exc.value.code == "gone"
    assert CommunicationAction.objects.count() == before
    assert not SuggestionDecision.objects.filter(source_id=pk).exists()
    # An ARO that is not an opportunity is no source either.
    initiative, _ms = make_initiative(w, milestones=1)
    restriction = initiatives.aro_raise(
        actor=None, initiative=initiative, kind=AroKind.RESTRICTION, aro_type=AroType.objects.get(key="legal"),
        description="Falta el permiso ambiental",
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.suggestion_accept(actor=w.editor_alfa, source="opportunity", source_id=restriction.pk)
    assert exc.value.code == "gone"


def test_the_inbox_is_only_for_editors(in_alfa: World) -> None:
    activity = _activity("Visita", 1)
    with pytest.raises(PermissionDenied):
        services.suggestion_accept(actor=in_alfa.followup_alfa, source="activity", source_id=activity.pk)
    with pytest.raises(PermissionDenied):
        services.suggestion_dismiss(actor=in_alfa.followup_alfa, source="activity", source_id=activity.pk)
    assert not SuggestionDecision.objects.exists()
