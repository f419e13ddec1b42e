"""The SDG alignment demo (ods_alignment/demo.py): three specialists and cases in every state
a specialist meets, on the demo municipalities' shared initiatives, made through the services;
running it again changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from community.models import IndexItem
from ods_alignment import selectors
from ods_alignment.demo import CASES, SPECIALISTS, load_alignment_demo
from ods_alignment.models import AlignmentCase, AlignmentEvent, Assignment, FinalAlignment, Proposal
from search.backends import SearchRequest, get_backend
from tenants.accounts.models import PlatformRoleAssignment, User
from tenants.demo import DEMO_PASSWORD, load_demo
from tenants.roles import PlatformRole
from tests.conftest import World, client_for


def snapshot() -> dict[str, Any]:
    """Everything the demo writes, as plain values."""
    return {
        "users": sorted(
            User.objects.filter(email__in=[e for e, _n in SPECIALISTS.values()]).values_list("pk", "password")
        ),
        "roles": PlatformRoleAssignment.objects.count(),
        "cases": sorted(
            AlignmentCase.objects.values_list(
                "pk", "status", "deadline", "version", "lead_id", "decided_at", "published_at"
            )
        ),
        "assignments": sorted(Assignment.objects.values_list("pk", "specialist_id", "due_date", "ended_at")),
        "proposals": sorted(Proposal.objects.values_list("pk", "specialist_id", "submitted_at")),
        "finals": sorted(FinalAlignment.objects.values_list("pk", "goals", "targets", "published_at")),
        "events": AlignmentEvent.objects.count(),
        "aligned": sorted(IndexItem.objects.exclude(sdg_goals=[]).values_list("pk", "sdg_goals", "sdg_targets")),
    }


def test_alignment_demo_has_every_state_and_is_idempotent(w: World, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()  # the municipalities, their shared initiatives, the index and the catalogue
        load_alignment_demo()  # whether or not load_demo already ran it
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        again = load_alignment_demo()
    assert snapshot() == before
    assert len(again) == len(CASES) == 5

    ods, ods2, ods3 = (User.objects.get(email=email) for email, _name in SPECIALISTS.values())
    assert ods2.full_name == "Julián Mora Vega" and ods2.check_password(DEMO_PASSWORD)
    for user in (ods, ods2, ods3):
        assert PlatformRoleAssignment.objects.filter(user=user, role=PlatformRole.SDG_SPECIALIST).exists()
    by_title = {case.item.title: case for case in AlignmentCase.objects.select_related("item")}
    for plan in CASES:
        assert by_title[plan.title].status == plan.expected, plan.title
    today = timezone.localdate()

    # Published after agreement: the intersection of the targets, on the index and in search.
    agreed = by_title["Acueducto veredal Alto del Águila"]
    assert agreed.kappa == 1.0 and agreed.decision_reason == ""
    assert (agreed.item.sdg_goals, agreed.item.sdg_targets) == ([6], ["6.1"])
    # Published after adjudication by ods@, with the reason.
    settled = by_title["Agua potable para la aldea San Lorenzo El Cubo"]
    assert settled.lead == ods and "3.9" in settled.decision_reason
    assert AlignmentEvent.objects.filter(case=settled, action="case.disputed").exists()
    assert (settled.item.sdg_goals, settled.item.sdg_targets) == ([3, 6], ["3.9", "6.1"])
    found = {h.title for h in get_backend().search(SearchRequest(sdg_target=("6.1",))).hits}
    assert found == {"Acueducto veredal Alto del Águila", "Agua potable para la aldea San Lorenzo El Cubo"}

    # What waits for ods@: a dispute to adjudicate, due soon; two proposals, one overdue.
    queue = selectors.queue_for(ods, today=today)
    assert [e.case.item.title for e in queue.to_adjudicate] == ["Remodelación del mercado de mariscos de La Marina"]
    assert queue.to_adjudicate[0].due_soon and not queue.to_adjudicate[0].overdue
    assert [(e.case.item.title, e.overdue) for e in queue.to_propose] == [
        ("Renovación del mercado municipal", True),
        ("Placa huella en la vía Pie de Monte - El Roble", False),
    ]
    assert queue.to_propose[0].due_date == today - timedelta(days=3)
    assert not queue.to_publish
    # Blind: ods2 has proposed on the overdue case; ods@ (and its lead) cannot see it yet.
    overdue = queue.to_propose[0].case
    assert [p.specialist for p in selectors.proposals_visible_to(ods2, overdue)] == [ods2]
    assert selectors.proposals_visible_to(ods, overdue) == []
    assert selectors.proposals_visible_to(ods3, overdue) == []
    untouched = queue.to_propose[1].case
    assert not Proposal.objects.filter(case=untouched).exists()
    # Nobody aligns their own municipality's initiatives, and the demo never needed to.
    assert not any(selectors.is_participant(user, overdue) for user in (w.admin_alfa, w.outsider))

    # The demo logins work.
    client = client_for(None)
    response = client.post("/cuenta/entrar/", {"username": "ods2@sigobito.example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302
