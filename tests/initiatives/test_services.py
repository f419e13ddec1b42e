"""Writes on initiatives: bad input is refused with the field named and nothing saved;
reprogramming keeps its history; escalation follows the method's levels; every change that
matters is audited; shareable changes leave an outbox event in the same transaction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from tenants.db import local_today
from tenants.initiatives import selectors, services
from tenants.initiatives.cycle import current_week
from tenants.initiatives.models import (
    Aro,
    AroKind,
    AroType,
    DateChange,
    Initiative,
    Milestone,
    WeeklyReport,
)
from tenants.initiatives.rules import Light
from tenants.workspace.models import AuditEvent, OutboxEvent
from tests.conftest import World
from tests.initiatives.conftest import make_initiative


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def _restriction(initiative: Initiative, milestone: Milestone | None, actor: object = None) -> Aro:
    return services.aro_raise(
        actor=actor,  # type: ignore[arg-type]
        initiative=initiative,
        milestone=milestone,
        kind=AroKind.RESTRICTION,
        aro_type=AroType.objects.get(key="legal"),
        description="El concejo no aprobó la modificación presupuestaria",
    )


# --- Bad input --------------------------------------------------------------------------


def test_milestone_due_after_the_initiative_end_is_refused(in_alfa: World) -> None:
    initiative, _ms = make_initiative(in_alfa, milestones=0)
    with pytest.raises(ValidationError) as exc:
        services.milestone_save(
            actor=None,
            initiative=initiative,
            data={
                "name": "Tarde",
                "due_date": initiative.target_date + timedelta(days=1),
                "responsible_id": in_alfa.manager_alfa.pk,
            },
        )
    assert "fecha meta" in _errors(exc)["due_date"][0]
    assert not Milestone.objects.filter(name="Tarde").exists()


def test_a_dependency_cycle_is_refused(in_alfa: World) -> None:
    initiative, (m1, _m2, m3) = make_initiative(in_alfa, milestones=3)  # m3 → m2 → m1
    with pytest.raises(ValidationError) as exc:
        services.milestone_save(actor=None, initiative=initiative, milestone=m1, data={"depends_on": [m3]})
    assert "ciclo" in _errors(exc)["depends_on"][0]
    assert list(m1.depends_on.all()) == []
    with pytest.raises(ValidationError) as exc:
        services.milestone_save(actor=None, initiative=initiative, milestone=m1, data={"depends_on": [m1]})
    assert "sí misma" in _errors(exc)["depends_on"][0]


def test_a_milestone_cannot_be_due_before_its_predecessor(in_alfa: World) -> None:
    initiative, (m1, m2) = make_initiative(in_alfa, milestones=2)
    with pytest.raises(ValidationError) as exc:
        services.milestone_save(
            actor=None, initiative=initiative, milestone=m2, data={"due_date": m1.due_date - timedelta(days=1)}
        )
    assert m1.name in _errors(exc)["due_date"][0]


def test_completing_before_the_predecessor_is_refused(in_alfa: World) -> None:
    _initiative, (m1, m2) = make_initiative(in_alfa, milestones=2, close=True)
    with pytest.raises(ValidationError) as exc:
        services.milestone_complete(actor=None, milestone=m2, completed_on=local_today(), evidence_text="Acta firmada")
    assert m1.name in _errors(exc)["__all__"][0]
    m2.refresh_from_db()
    assert m2.completed_on is None
    # In order it works, and needs evidence and a date that is not in the future.
    with pytest.raises(ValidationError) as exc:
        services.milestone_complete(actor=None, milestone=m1, completed_on=local_today() + timedelta(days=2))
    assert set(_errors(exc)) >= {"completed_on", "evidence_text"}
    services.milestone_complete(
        actor=None, milestone=m1, completed_on=local_today(), evidence_url="https://example.org/acta.pdf"
    )
    services.milestone_complete(actor=None, milestone=m2, completed_on=local_today(), evidence_text="Obra recibida")
    assert Milestone.objects.get(pk=m2.pk).progress == 100


def test_a_report_for_a_future_week_is_refused(in_alfa: World) -> None:
    initiative, (m1, *_rest) = make_initiative(in_alfa, close=True)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(
            actor=None, initiative=initiative, week_start=current_week() + timedelta(days=7), narrative="Avanzamos",
            progress={m1.pk: (30, "")},
        )  # fmt: skip
    assert "futura" in _errors(exc)["week_start"][0]
    with pytest.raises(ValidationError) as exc:
        services.report_submit(
            actor=None, initiative=initiative, week_start=current_week() + timedelta(days=1), narrative="x",
            progress={},
        )  # fmt: skip
    assert "ciclo" in _errors(exc)["week_start"][0]
    with pytest.raises(ValidationError) as exc:
        services.report_submit(
            actor=None, initiative=initiative, week_start=current_week(), narrative="", progress={m1.pk: (130, "")}
        )
    assert f"progress_{m1.pk}" in _errors(exc)
    assert not WeeklyReport.objects.exists()
    m1.refresh_from_db()
    assert m1.progress == 0


def test_an_old_week_correction_does_not_overwrite_newer_progress(in_alfa: World) -> None:
    initiative, (m1, *_rest) = make_initiative(in_alfa, close=True, start=local_today() - timedelta(days=40))
    this_week = current_week()
    services.report_submit(
        actor=None, initiative=initiative, week_start=this_week, narrative="", progress={m1.pk: (60, "")}
    )
    services.report_submit(
        actor=None, initiative=initiative, week_start=this_week - timedelta(days=7), narrative="Corrección",
        progress={m1.pk: (40, "")},
    )  # fmt: skip
    m1.refresh_from_db()
    assert m1.progress == 60
    assert initiative.reports.count() == 2


def test_a_manager_who_is_not_a_member_is_refused(in_alfa: World) -> None:
    with pytest.raises(ValidationError) as exc:
        make_initiative(in_alfa, manager_id=in_alfa.outsider.pk)
    assert "no es miembro" in _errors(exc)["manager_id"][0]
    with pytest.raises(ValidationError) as exc:
        make_initiative(in_alfa, manager_id=in_alfa.admin_beta.pk)  # a member of another municipality
    assert "manager_id" in _errors(exc)
    assert not Initiative.objects.exists()


def test_escalating_past_level_three_is_refused(in_alfa: World) -> None:
    initiative, (m1, *_r) = make_initiative(in_alfa, close=True)
    aro = _restriction(initiative, m1)
    aro = services.aro_escalate(actor=None, aro=aro, comment="Requiere al comité")
    aro = services.aro_escalate(actor=None, aro=aro, comment="Requiere al titular")
    with pytest.raises(ValidationError) as exc:
        services.aro_escalate(actor=None, aro=aro, comment="Más arriba")
    assert "nivel 3" in _errors(exc)["comment"][0]
    assert Aro.objects.get(pk=aro.pk).level == 3
    with pytest.raises(ValidationError) as exc:
        services.aro_escalate(actor=None, aro=aro, comment="")
    assert "comment" in _errors(exc)


def test_concurrent_edits_of_a_milestone_do_not_overwrite_each_other(in_alfa: World) -> None:
    initiative, (m1, *_r) = make_initiative(in_alfa)
    read_version = m1.version
    # Two people opened the same form; the first saves.
    services.milestone_save(
        actor=None, initiative=initiative, milestone=m1, data={"name": "Diseño aprobado"}, version=read_version
    )
    stale = Milestone.objects.get(pk=m1.pk)
    stale.version = read_version  # what the second person's form still carries
    with pytest.raises(ValidationError) as exc:
        services.milestone_save(
            actor=None, initiative=initiative, milestone=stale, data={"name": "Diseño listo"}, version=read_version
        )
    assert exc.value.error_list[0].code == "stale"
    assert Milestone.objects.get(pk=m1.pk).name == "Diseño aprobado"


# --- Baseline and reprogramming ---------------------------------------------------------


def test_reprogramming_keeps_the_baseline_and_the_history(in_alfa: World) -> None:
    initiative, (_m1, _m2, m3) = make_initiative(in_alfa)
    # Before programming is closed, dates change freely and leave no history.
    services.milestone_save(
        actor=None, initiative=initiative, milestone=m3, data={"due_date": m3.due_date - timedelta(days=30)}
    )
    assert not DateChange.objects.exists()
    services.programming_close(actor=None, initiative=initiative)
    m3.refresh_from_db()
    baseline = m3.due_date
    assert m3.baseline_due_date == baseline
    # After closing, editing the date is refused: it must be a reprogramming, with a reason.
    with pytest.raises(ValidationError) as exc:
        services.milestone_save(
            actor=None, initiative=initiative, milestone=m3, data={"due_date": baseline + timedelta(days=3)}
        )
    assert "Reprogramar" in _errors(exc)["due_date"][0]
    with pytest.raises(ValidationError) as exc:
        services.milestone_reprogram(actor=None, milestone=m3, new_due=baseline + timedelta(days=3), reason="")
    assert "reason" in _errors(exc)
    restriction = _restriction(initiative, m3)
    services.milestone_reprogram(
        actor=in_alfa.manager_alfa, milestone=m3, new_due=baseline + timedelta(days=10), reason="Lluvias",
        restriction=restriction,
    )  # fmt: skip
    services.milestone_reprogram(
        actor=in_alfa.manager_alfa, milestone=m3, new_due=baseline + timedelta(days=5), reason="Se recuperó tiempo"
    )
    m3.refresh_from_db()
    assert (m3.baseline_due_date, m3.due_date) == (baseline, baseline + timedelta(days=5))
    history = selectors.date_history(initiative)[m3.pk]
    assert [(c.kind, c.old_due_date, c.new_due_date) for c in history] == [
        ("baseline", None, baseline),
        ("reprogramming", baseline, baseline + timedelta(days=10)),
        ("reprogramming", baseline + timedelta(days=10), baseline + timedelta(days=5)),
    ]
    assert history[1].restriction == restriction and history[1].reason == "Lluvias"
    assert history[1].actor_label == "Gustavo Gerente"
    audit = AuditEvent.objects.filter(action="milestone.reprogrammed").order_by("at", "pk").first()
    assert audit is not None
    assert audit.data["before"] == {"due_date": baseline.isoformat()}
    assert audit.data["after"] == {"due_date": (baseline + timedelta(days=10)).isoformat()}
    # A date after the initiative's end is refused here too.
    with pytest.raises(ValidationError):
        services.milestone_reprogram(
            actor=None, milestone=m3, new_due=initiative.target_date + timedelta(days=1), reason="x"
        )


def test_a_late_restriction_closes_only_after_reprogramming_or_a_decision(in_alfa: World) -> None:
    start = local_today() - timedelta(days=70)
    initiative, (m1, _m2) = make_initiative(in_alfa, start=start, months=4, milestones=2, close=True)
    assert m1.due_date < local_today()  # late
    restriction = _restriction(initiative, m1)
    with pytest.raises(ValidationError) as exc:
        services.aro_close(actor=None, aro=restriction, resolution="Se resolvió")
    assert m1.name in _errors(exc)["resolution"][0]
    services.milestone_reprogram(
        actor=None,
        milestone=m1,
        new_due=local_today() + timedelta(days=7),
        reason="Nueva fecha",
        restriction=restriction,
    )
    closed = services.aro_close(actor=None, aro=Aro.objects.get(pk=restriction.pk), resolution="Reprogramada")
    assert not closed.is_open
    # With a decision instead of a reprogramming, it closes too.
    other = _restriction(initiative, m1)
    m1.refresh_from_db()
    Milestone.objects.filter(pk=m1.pk).update(due_date=local_today() - timedelta(days=1))
    with pytest.raises(ValidationError):
        services.aro_close(actor=None, aro=other, resolution="x")
    other = services.aro_decide(actor=None, aro=other, decision="Se asume el retraso; se informa al concejo")
    assert not services.aro_close(actor=None, aro=other, resolution="Decidido").is_open


# --- Escalation across roles ------------------------------------------------------------


def test_escalation_flow_across_roles(in_alfa: World) -> None:
    w = in_alfa
    initiative, (m1, *_r) = make_initiative(w, close=True)
    aro = _restriction(initiative, m1, actor=w.manager_alfa)
    assert aro.level == 1 and aro.awaiting_decision
    assert [a.pk for a, _s in selectors.level_queue(1)] == [aro.pk]
    # The communications editor has no level at all.
    with pytest.raises(PermissionDenied):
        services.aro_escalate(actor=w.editor_alfa, aro=aro, comment="No me toca")
    aro = services.aro_escalate(actor=w.manager_alfa, aro=aro, comment="Necesito al comité")
    assert (aro.level, selectors.level_queue(1), [a.pk for a, _s in selectors.level_queue(2)]) == (2, [], [aro.pk])
    # The manager sits at level 1: cannot decide or move what is at level 2.
    with pytest.raises(PermissionDenied):
        services.aro_decide(actor=w.manager_alfa, aro=aro, decision="Decido yo")
    with pytest.raises(PermissionDenied):
        services.aro_escalate(actor=w.manager_alfa, aro=aro, comment="Al titular")
    aro = services.aro_escalate(actor=w.followup_alfa, aro=aro, comment="Excede al comité: requiere al titular")
    assert [a.pk for a, _s in selectors.level_queue(3)] == [aro.pk]
    with pytest.raises(PermissionDenied):
        services.aro_decide(actor=w.followup_alfa, aro=aro, decision="Decide el comité")
    aro = services.aro_decide(actor=w.mayor_alfa, aro=aro, decision="Se gestiona un crédito puente")
    assert not aro.awaiting_decision and selectors.level_queue(3) == []
    aro = services.aro_deescalate(actor=w.mayor_alfa, aro=aro, comment="El comité da seguimiento al crédito")
    assert aro.level == 2 and aro.awaiting_decision
    steps = [(m.step, m.from_level, m.to_level, m.actor_label) for m in aro.movements.all()]
    assert steps == [
        ("raised", None, 1, "Gustavo Gerente"),
        ("escalated", 1, 2, "Gustavo Gerente"),
        ("escalated", 2, 3, "Sofía Seguimiento"),
        ("decided", 3, 3, "Marta Alcaldesa"),
        ("deescalated", 3, 2, "Marta Alcaldesa"),
    ]
    trail = AuditEvent.objects.filter(object_type="initiative", object_id=str(initiative.pk), action__startswith="aro.")
    assert {e.action for e in trail} == {"aro.raised", "aro.escalated", "aro.decided", "aro.deescalated"}


def test_an_initiative_manager_edits_only_their_own_initiatives(in_alfa: World) -> None:
    w = in_alfa
    mine, _ = make_initiative(w, milestones=0)
    theirs, _ = make_initiative(
        w, milestones=0, name="Mercado municipal", manager_id=w.admin_alfa.pk, follow_up_id=None
    )
    services.initiative_save(actor=w.manager_alfa, initiative=mine, data={"description": "Ampliado"})
    with pytest.raises(PermissionDenied):
        services.initiative_save(actor=w.manager_alfa, initiative=theirs, data={"description": "No es mía"})
    with pytest.raises(PermissionDenied):
        services.initiative_save(actor=w.editor_alfa, data={"name": "x"})


# --- Lights in the database, time frozen ------------------------------------------------


@pytest.mark.parametrize(
    ("days_after_start", "progress", "expected"),
    [
        (3, 0, Light.ON_TIME),  # day 3 of 30: the line expects 10 %, 0 + 10 is not behind
        (10, 0, Light.AT_RISK),  # day 10: the line expects 33 %
        (30, 90, Light.ON_TIME),  # on the due date with 90 %
        (30, 89, Light.AT_RISK),
        (31, 99, Light.LATE),
    ],
)
def test_lights_computed_from_the_database(
    in_alfa: World, days_after_start: int, progress: int, expected: Light
) -> None:
    start = date(2026, 3, 2)
    initiative = services.initiative_save(
        actor=None,
        data={
            "name": "Ruta de recolección", "objective": "Recoger la basura dos veces por semana",
            "product_kind": "improved_service",
            "manager_id": in_alfa.manager_alfa.pk, "start_date": start, "target_date": date(2026, 6, 30),
        },
    )  # fmt: skip
    services.milestone_save(
        actor=None, initiative=initiative,
        data={
            "name": "Rutas diseñadas", "due_date": start + timedelta(days=30),
            "responsible_id": in_alfa.manager_alfa.pk,
        },
    )  # fmt: skip
    services.programming_close(actor=None, initiative=initiative)
    Milestone.objects.filter(initiative=initiative).update(progress=progress)
    today = start + timedelta(days=days_after_start)
    with time_machine.travel(f"{today.isoformat()} 12:00:00-05:00", tick=False):
        state = selectors.compute_states([Initiative.objects.get(pk=initiative.pk)])[initiative.pk]
    assert state.milestones[0].light == expected
    assert state.light == expected


def test_stale_when_no_report_for_more_than_a_cycle(in_alfa: World) -> None:
    start = date(2026, 11, 2)  # a Monday; the cycle opens on Mondays
    with time_machine.travel("2026-11-04 10:00:00-05:00", tick=False):
        initiative, (m1, *_r) = make_initiative(in_alfa, start=start, close=True)
        services.report_submit(
            actor=None, initiative=initiative, week_start=start, narrative="Arrancamos", progress={m1.pk: (5, "")}
        )
    fresh = Initiative.objects.get(pk=initiative.pk)
    with time_machine.travel("2026-11-15 10:00:00-05:00", tick=False):  # the next week: one cycle
        assert not selectors.compute_states([fresh])[fresh.pk].stale
    with time_machine.travel("2026-11-16 10:00:00-05:00", tick=False):  # two weeks later
        assert selectors.compute_states([fresh])[fresh.pk].stale


# --- Outbox -----------------------------------------------------------------------------


def test_shared_changes_leave_outbox_events_and_private_ones_do_not(in_alfa: World) -> None:
    private, (p1, *_r) = make_initiative(in_alfa, close=True, share_with_community=False)
    _restriction(private, p1)  # follows its initiative: not shared either
    assert not OutboxEvent.objects.exists()
    shared, (s1, *_r) = make_initiative(in_alfa, name="Mercado", share_with_community=True)
    topics = list(OutboxEvent.objects.values_list("topic", "aggregate_id"))
    assert topics == [("initiative.upserted", str(shared.pk))]
    assert OutboxEvent.objects.get().payload["name"] == "Mercado"
    restriction = services.aro_raise(
        actor=None, initiative=shared, milestone=s1, kind=AroKind.RESTRICTION,
        aro_type=AroType.objects.get(key="financial"),
        description="Sin fondos", share_with_community=True,
    )  # fmt: skip
    event = OutboxEvent.objects.filter(topic="restriction.upserted").get()
    assert event.payload["description"] == "Sin fondos" and event.payload["initiative_id"] == shared.pk
    services.initiative_save(actor=None, initiative=shared, data={"share_with_community": False})
    # The withdrawal, then its restriction's: restrictions follow their initiative.
    assert [e.topic for e in OutboxEvent.objects.order_by("-pk")[:2]] == [
        "restriction.withdrawn",
        "initiative.withdrawn",
    ]
    # A refused write leaves no event.
    before = OutboxEvent.objects.count()
    with pytest.raises(ValidationError):
        services.initiative_save(actor=None, initiative=shared, data={"share_with_community": True, "name": ""})
    assert OutboxEvent.objects.count() == before
    assert restriction.pk


# --- Review hardening -------------------------------------------------------------------


def test_a_restriction_is_only_lifted_by_rescheduling_its_own_milestone(in_alfa: World) -> None:
    start = local_today() - timedelta(days=70)
    initiative, (m1, _m2, m3) = make_initiative(in_alfa, start=start, months=6, milestones=3, close=True)
    assert m1.due_date < local_today()
    restriction = _restriction(initiative, m1)
    # Citing it to move another milestone is refused, and so is moving its own into the past.
    with pytest.raises(ValidationError) as exc:
        services.milestone_reprogram(
            actor=None, milestone=m3, new_due=m3.due_date - timedelta(days=1), reason="x", restriction=restriction
        )
    assert "restriction" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.milestone_reprogram(actor=None, milestone=m1, new_due=local_today() - timedelta(days=1), reason="x")
    assert "pasada" in _errors(exc)["new_due"][0]
    with pytest.raises(ValidationError):
        services.aro_close(actor=None, aro=restriction, resolution="Cerrada")
    assert Aro.objects.get(pk=restriction.pk).is_open


def test_a_milestone_is_not_completed_before_its_predecessor_was(in_alfa: World) -> None:
    initiative, (m1, m2) = make_initiative(in_alfa, milestones=2, close=True)
    services.milestone_complete(actor=None, milestone=m1, completed_on=local_today(), evidence_text="Acta")
    with pytest.raises(ValidationError) as exc:
        services.milestone_complete(
            actor=None, milestone=m2, completed_on=local_today() - timedelta(days=3), evidence_text="Obra"
        )
    assert m1.name in _errors(exc)["completed_on"][0]
    # A done milestone cannot be made to depend on a pending one.
    m3 = services.milestone_save(
        actor=None, initiative=initiative,
        data={"name": "Meta 3", "due_date": m2.due_date, "responsible_id": in_alfa.manager_alfa.pk},
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.milestone_save(actor=None, initiative=initiative, milestone=m1, data={"depends_on": [m3]})
    assert "pendiente" in _errors(exc)["depends_on"][0]


def test_dates_outside_the_horizon_are_field_errors(in_alfa: World) -> None:
    with pytest.raises(ValidationError) as exc:
        make_initiative(in_alfa, milestones=0, start=date(1, 1, 1))
    assert "2000" in _errors(exc)["start_date"][0]
    initiative, (m1, *_r) = make_initiative(in_alfa, close=True)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(
            actor=None, initiative=initiative, week_start=date(1, 1, 1), narrative="x", progress={m1.pk: (5, "")}
        )
    assert "week_start" in _errors(exc)


def test_a_comment_without_progress_is_not_silently_dropped(in_alfa: World) -> None:
    initiative, (m1, *_r) = make_initiative(in_alfa, close=True)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(
            actor=None, initiative=initiative, week_start=current_week(), narrative="x", progress={m1.pk: (None, "Ojo")}
        )
    assert f"progress_{m1.pk}" in _errors(exc)


def test_sharing_a_restriction_follows_its_initiative_and_can_be_withdrawn(in_alfa: World) -> None:
    initiative, (m1, *_r) = make_initiative(in_alfa, share_with_community=True)
    aro = services.aro_raise(
        actor=None, initiative=initiative, milestone=m1, kind=AroKind.RESTRICTION,
        aro_type=AroType.objects.get(key="legal"), description="Falta la licencia", share_with_community=True,
    )  # fmt: skip
    services.initiative_save(actor=None, initiative=initiative, data={"share_with_community": False})
    last = list(OutboxEvent.objects.order_by("-pk")[:2])
    assert {e.topic for e in last} == {"initiative.withdrawn", "restriction.withdrawn"}
    # Marked private while its initiative is not shared: nothing to send.
    before = OutboxEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    services.aro_set_shared(actor=None, aro=aro, shared=False)
    assert not OutboxEvent.objects.filter(pk__gt=before).exists()
    # Sharing the initiative again does not bring back the restriction marked private…
    services.initiative_save(actor=None, initiative=initiative, data={"share_with_community": True})
    assert list(OutboxEvent.objects.filter(pk__gt=before).values_list("topic", flat=True)) == ["initiative.upserted"]
    # …until it is shared again, naming its initiative.
    services.aro_set_shared(actor=None, aro=aro, shared=True)
    resent = OutboxEvent.objects.order_by("-pk").first()
    assert resent is not None and resent.topic == "restriction.upserted"
    assert resent.payload["initiative_id"] == initiative.pk
