"""The consensual alignment workflow: cases, blind proposals, agreement, adjudication,
publication to the community index and search, queues and reminders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community.models import IndexItem
from ods_alignment import selectors
from ods_alignment.models import AlignmentCase, AlignmentEvent, Assignment, CaseStatus, FinalAlignment
from ods_alignment.services import (
    adjudicate,
    apply_final_alignments,
    assignment_reassign,
    case_open,
    case_publish,
    proposal_submit,
)
from ods_alignment.tasks import send_reminders
from tenants.models import Membership
from tenants.roles import MunicipalRole
from tests.community.factories import make_item
from tests.ods_alignment.conftest import Team, initiative, open_case


def submit(team: Team, who: Any, case: AlignmentCase, goals: Any, targets: Any = (), **kw: Any) -> Any:
    return proposal_submit(actor=who, case=case, goals=goals, targets=targets, justification="Porque sí.", **kw)


def errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- Opening cases ------------------------------------------------------------------------


def test_case_open_creates_assignments(team: Team) -> None:
    item = initiative(team.w)
    case = open_case(team, item)
    assert case.status == CaseStatus.OPEN and case.item_key == item.key and case.municipality == team.w.alfa
    assert set(case.assignments.values_list("specialist_id", flat=True)) == {team.ana.pk, team.ben.pk}
    assert AlignmentEvent.objects.filter(case=case, action="case.open", actor=team.w.regional).exists()
    # The lead specialist may open a case they lead themselves.
    other = case_open(
        actor=team.lead,
        item=initiative(team.w),
        specialists=[team.ana, team.cai],
        lead=team.lead,
        deadline=timezone.localdate() + timedelta(days=3),
    )
    assert other.lead == team.lead


def test_case_open_refusals(team: Team) -> None:
    item = initiative(team.w)
    deadline = timezone.localdate() + timedelta(days=5)
    for actor in (team.ana, team.w.admin_alfa):
        with pytest.raises(PermissionDenied):
            case_open(actor=actor, item=item, specialists=[team.ana, team.ben], lead=team.lead, deadline=deadline)
    Membership.objects.create(user=team.ben, municipality=team.w.alfa, role=MunicipalRole.MAYOR)
    restriction = make_item(team.w.alfa, kind="restriction")
    with pytest.raises(ValidationError) as caught:
        case_open(
            actor=team.w.regional,
            item=restriction,
            specialists=[team.ben, team.w.outsider],
            lead=team.ana,
            deadline=timezone.localdate() - timedelta(days=1),
        )
    found = errors(caught)
    assert "iniciativas" in found["item"][0]
    assert any("conflicto de interés" in m for m in found["specialists"])
    assert any("no tiene el rol" in m for m in found["specialists"])
    assert "pasado" in found["deadline"][0]
    with pytest.raises(ValidationError) as caught:
        case_open(actor=team.w.regional, item=item, specialists=[team.ana, team.ana], lead=team.ana, deadline=deadline)
    assert "dos especialistas" in errors(caught)["specialists"][0]
    assert "líder" in errors(caught)["lead"][0]
    Membership.objects.filter(user=team.ben).delete()
    open_case(team, item)
    with pytest.raises(ValidationError) as caught:
        open_case(team, item)
    assert "ya tiene un caso" in errors(caught)["item"][0]


# --- Blind proposals and validation --------------------------------------------------------


def test_proposals_are_blind_until_everyone_submitted(team: Team) -> None:
    case = open_case(team)
    mine = submit(team, team.ana, case, {6: "direct"}, {"6.1": "direct"})
    assert selectors.proposals_visible_to(team.ana, case) == [mine]
    assert selectors.proposals_visible_to(team.ben, case) == []
    assert selectors.proposals_visible_to(team.lead, case) == []
    assert selectors.proposals_visible_to(team.w.regional, case) == []
    assert selectors.proposals_visible_to(team.w.outsider, case) == []
    # A specialist may replace their own proposal while the other is missing.
    mine = submit(team, team.ana, case, {6: "direct", 3: "indirect"}, {"6.1": "direct"})
    assert selectors.proposals_visible_to(team.ana, case)[0].goal_numbers == {3, 6}
    theirs = submit(team, team.ben, case, [6], ["6.1"])
    case.refresh_from_db()
    assert case.status != CaseStatus.OPEN
    for user in (team.ana, team.ben, team.lead, team.w.regional):
        assert {p.pk for p in selectors.proposals_visible_to(user, case)} == {mine.pk, theirs.pk}
    assert selectors.proposals_visible_to(team.w.outsider, case) == []
    assert selectors.case_for(team.w.outsider, case.pk) is None
    assert selectors.case_for(team.ana, case.pk) == case


def test_conflict_of_interest_at_proposal(team: Team) -> None:
    case = open_case(team)
    # Ben joins Alfa's government after the case was opened.
    Membership.objects.create(user=team.ben, municipality=team.w.alfa, role=MunicipalRole.INITIATIVE_MANAGER)
    with pytest.raises(ValidationError) as caught:
        submit(team, team.ben, case, [6])
    assert "conflicto de interés" in errors(caught)["case"][0]
    with pytest.raises(PermissionDenied):
        submit(team, team.cai, case, [6])  # not assigned


def test_target_outside_the_chosen_goals_and_empty_selection(team: Team) -> None:
    case = open_case(team)
    with pytest.raises(ValidationError) as caught:
        submit(team, team.ana, case, [6], ["6.1", "7.2", "99.9"])
    messages = errors(caught)["targets"]
    assert any("7.2" in m and "ODS 7" in m for m in messages)
    assert any("No existe la meta 99.9" in m for m in messages)
    with pytest.raises(ValidationError) as caught:
        submit(team, team.ana, case, [])
    assert "al menos un objetivo" in errors(caught)["goals"][0]
    with pytest.raises(ValidationError) as caught:
        submit(team, team.ana, case, {18: "direct", 6: "maybe"})
    assert any("18" in m for m in errors(caught)["goals"]) and any(
        "directa o indirecta" in m for m in errors(caught)["goals"]
    )
    with pytest.raises(ValidationError) as caught:
        proposal_submit(actor=team.ana, case=case, goals=[6], justification=" ", evidence_url="ftp://x")
    assert set(errors(caught)) == {"justification", "evidence_url"}
    assert not case.proposals.exists()


# --- Agreement, adjudication, third proposal -------------------------------------------------


def test_identical_goals_are_agreed_with_common_targets(team: Team) -> None:
    case = open_case(team)
    submit(team, team.ana, case, {6: "direct", 3: "indirect"}, {"6.1": "direct", "6.2": "direct"})
    submit(team, team.ben, case, {6: "direct", 3: "direct"}, {"6.1": "indirect", "3.9": "direct"})
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED
    assert case.kappa == 1.0 and case.target_overlap == pytest.approx(1 / 3)  # {6.1} of {6.1, 6.2, 3.9}
    final = FinalAlignment.objects.get(case=case)
    assert final.goals == [3, 6] and final.targets == ["6.1"]  # the intersection
    # Direct only where every specialist said direct.
    assert final.contributions == {"goals": {"3": "indirect", "6": "direct"}, "targets": {"6.1": "indirect"}}
    assert final.published_at is None
    actions = list(AlignmentEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions[-2:] == ["case.in_review", "case.agreed"]
    # A third independent proposal after agreement is refused, even from an assigned specialist.
    with pytest.raises(ValidationError) as caught:
        submit(team, team.ana, case, [7])
    assert "ya están cerradas" in errors(caught)["case"][0]


def test_disagreement_goes_to_adjudication(team: Team) -> None:
    case = open_case(team)
    submit(team, team.ana, case, [1, 6, 11], ["6.1"])
    submit(team, team.ben, case, [6, 11, 13], ["6.1", "13.1"])
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPUTED
    assert case.kappa == pytest.approx(50 / 84)  # see test_agreement.py for the arithmetic
    assert selectors.queue_for(team.lead).to_adjudicate[0].case == case
    with pytest.raises(PermissionDenied):
        adjudicate(actor=team.ana, case=case, goals=[6], reason="Yo decido.")
    with pytest.raises(PermissionDenied):
        adjudicate(actor=team.w.regional, case=case, goals=[6], reason="Yo decido.")
    with pytest.raises(ValidationError) as caught:
        adjudicate(actor=team.lead, case=case, goals=[6], targets=["11.1"], reason="  ")
    assert set(errors(caught)) == {"reason", "targets"}
    case = adjudicate(
        actor=team.lead, case=case, goals={6: "direct", 11: "indirect"}, targets=["6.1"], reason="El acueducto es 6.1."
    )
    assert case.status == CaseStatus.ADJUDICATED and case.decision_reason == "El acueducto es 6.1."
    final = FinalAlignment.objects.get(case=case)
    assert final.goals == [6, 11] and final.targets == ["6.1"]
    assert AlignmentEvent.objects.filter(case=case, action="case.adjudicate", actor=team.lead).exists()
    with pytest.raises(ValidationError):
        adjudicate(actor=team.lead, case=case, goals=[6], reason="Otra vez.")
    with pytest.raises(ValidationError):
        submit(team, team.ben, case, [6])  # no third proposal after adjudication either
    assert selectors.queue_for(team.lead).to_publish[0].case == case


def test_publication_updates_the_index_item_and_search(team: Team, django_capture_on_commit_callbacks: Any) -> None:
    from search.backends.postgres import PostgresBackend  # noqa: F401  (the default backend)

    item = initiative(team.w, title="Acueducto veredal", search_dirty=False)
    case = open_case(team, item)
    submit(team, team.ana, case, [6], ["6.1"])
    submit(team, team.ben, case, [6], ["6.1", "6.b"])
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        case_publish(actor=team.ana, case=case)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case = case_publish(actor=team.lead, case=case)
    assert len(callbacks) == 1
    item.refresh_from_db()
    assert item.sdg_goals == [6] and item.sdg_targets == ["6.1"]
    assert item.search_dirty is False  # sync_items ran after commit and cleared it
    assert item.search_vector is not None
    assert case.status == CaseStatus.PUBLISHED and case.published_at is not None
    assert FinalAlignment.objects.get(case=case).published_at == case.published_at
    with pytest.raises(ValidationError):
        case_publish(actor=team.lead, case=case)
    with pytest.raises(ValidationError):
        submit(team, team.ana, case, [7])


def test_publication_search_filter_finds_the_item(team: Team, django_capture_on_commit_callbacks: Any) -> None:
    from search.counts import rebuild_counts

    item = initiative(team.w, title="Paneles solares en escuelas")
    case = open_case(team, item)
    submit(team, team.ana, case, [7], ["7.2"])
    submit(team, team.ben, case, [7], ["7.2"])
    with django_capture_on_commit_callbacks(execute=True):
        case_publish(actor=team.w.regional, case=case)
    rebuild_counts()
    assert IndexItem.objects.filter(pk=item.pk, sdg_goals__contains=[7], sdg_targets__contains=["7.2"]).exists()


def test_apply_final_alignments_after_withdrawal_and_resharing(
    team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    item = initiative(team.w)
    case = open_case(team, item)
    submit(team, team.ana, case, [6], ["6.1"])
    submit(team, team.ben, case, [6], ["6.1"])
    assert apply_final_alignments([item.pk]) == []  # agreed but not yet published: nothing to apply
    with django_capture_on_commit_callbacks(execute=True):
        case_publish(actor=team.lead, case=case)
    assert apply_final_alignments([item.pk]) == []  # already there
    # The relay's tombstone clears the SDG fields; sharing the initiative again brings it back empty.
    IndexItem.objects.filter(pk=item.pk).update(sdg_goals=[], sdg_targets=[], search_dirty=False)
    other = initiative(team.w)
    assert apply_final_alignments([item.pk, other.pk]) == [item.pk]
    item.refresh_from_db()
    assert item.sdg_goals == [6] and item.sdg_targets == ["6.1"] and item.search_dirty
    other.refresh_from_db()
    assert other.sdg_goals == []


# --- Reassignment, queues, agreement over time, reminders ------------------------------------


def test_reassignment(team: Team) -> None:
    case = open_case(team)
    submit(team, team.ana, case, [6])
    ana_assignment = case.assignments.get(specialist=team.ana)
    with pytest.raises(ValidationError) as caught:
        assignment_reassign(actor=team.w.regional, assignment=ana_assignment, specialist=team.cai)
    assert "ya envió" in errors(caught)["assignment"][0]
    ben_assignment = case.assignments.get(specialist=team.ben)
    with pytest.raises(PermissionDenied):
        assignment_reassign(actor=team.ana, assignment=ben_assignment, specialist=team.cai)
    with pytest.raises(ValidationError) as caught:
        assignment_reassign(actor=team.lead, assignment=ben_assignment, specialist=team.ana)
    assert "ya está asignada" in errors(caught)["specialist"][0]
    due = timezone.localdate() + timedelta(days=4)
    new = assignment_reassign(actor=team.lead, assignment=ben_assignment, specialist=team.cai, due_date=due)
    assert new.due_date == due
    ben_assignment.refresh_from_db()
    assert ben_assignment.ended_at is not None
    with pytest.raises(PermissionDenied):
        submit(team, team.ben, case, [6])
    assert selectors.queue_for(team.ben).to_propose == []
    assert [e.case for e in selectors.queue_for(team.cai).to_propose] == [case]
    submit(team, team.cai, case, [6])
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED


def test_queue_shows_deadlines(team: Team) -> None:
    soon = open_case(team, days=1)
    later = open_case(team, days=20)
    Assignment.objects.filter(case=soon).update(due_date=timezone.localdate() - timedelta(days=2))
    queue = selectors.queue_for(team.ana)
    assert [e.case for e in queue.to_propose] == [soon, later]
    assert queue.to_propose[0].overdue and queue.to_propose[0].days_left == -2
    assert not queue.to_propose[1].overdue and not queue.to_propose[1].due_soon
    submit(team, team.ana, later, [6])
    assert [e.case for e in selectors.queue_for(team.ana).to_propose] == [soon]
    assert len(selectors.queue_for(team.cai)) == 0


def test_pair_agreement_over_several_cases(team: Team) -> None:
    pairs = [([1, 6, 11], [6, 11, 13], ["6.1"], ["6.1", "11.1"]), ([7], [7], ["7.1"], ["7.1"])]
    for goals_a, goals_b, targets_a, targets_b in pairs:
        case = open_case(team)
        submit(team, team.ana, case, goals_a, targets_a)
        submit(team, team.ben, case, goals_b, targets_b)
    # An open case (only one proposal) does not count: it is still blind.
    submit(team, team.ana, open_case(team), [2])
    (result,) = selectors.pair_agreements(specialist=team.ana)
    assert {result.specialist_a, result.specialist_b} == {team.ana.pk, team.ben.pk}
    assert result.cases == 2
    assert result.pooled_kappa == pytest.approx(172 / 240)  # arithmetic in test_agreement.py
    assert result.mean_kappa == pytest.approx((50 / 84 + 1.0) / 2)
    assert result.mean_target_overlap == pytest.approx((0.5 + 1.0) / 2)
    assert selectors.pair_agreements(specialist=team.cai) == []


def test_reminders_once_a_day(team: Team) -> None:
    today = timezone.localdate()
    due = open_case(team, days=2)  # due within two days
    open_case(team, days=10)  # not yet
    late = open_case(team, days=5)
    Assignment.objects.filter(case=late).update(due_date=today - timedelta(days=1))
    submit(team, team.ben, due, [6])  # Ben has done this one
    mail.outbox.clear()
    assert send_reminders.delay().get() == 2  # Ana (two assignments) and Ben (the late one)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {team.ana.email, team.ben.email}
    assert "2 alineaciones ODS pendientes" in by_address[team.ana.email].subject
    assert (
        "vencida hace 1 día" in by_address[team.ana.email].body and "vence en 2 días" in by_address[team.ana.email].body
    )
    assert "vence en" not in by_address[team.ben.email].body
    # Each line links to its case on the portal, and the end to the whole queue.
    assert f"/ods/casos/{due.pk}/" in by_address[team.ana.email].body
    assert f"/ods/casos/{late.pk}/" in by_address[team.ben.email].body
    assert f"/ods/casos/{due.pk}/" not in by_address[team.ben.email].body
    assert "/ods/casos/\n" in by_address[team.ana.email].body
    assert Assignment.objects.filter(reminded_at__isnull=False).count() == 3
    mail.outbox.clear()
    assert send_reminders() == 0 and mail.outbox == []
    # The next day they are reminded again.
    Assignment.objects.update(reminded_at=timezone.now() - timedelta(days=1))
    assert send_reminders() == 2
