"""A published SDG alignment survives the community index's life cycle, through the real path:
the municipality shares an initiative (tenant services, outbox, relay), the specialists align
and publish it, the municipality withdraws it and shares it again, and the relay gives the
index row its published goals and targets back (community/relay.py calls
ods_alignment.services.apply_final_alignments per batch). A rebuild keeps them too."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from community.models import IndexItem, ItemKind
from community.relay import relay_municipality
from ods_alignment.models import AlignmentCase, CaseStatus
from ods_alignment.services import case_publish, proposal_submit
from search.backends import SearchRequest, get_backend
from tenants.db import use_municipality, use_public_schema
from tenants.initiatives import services as initiatives
from tenants.initiatives.models import Initiative
from tests.conftest import client_for
from tests.initiatives.conftest import make_initiative
from tests.ods_alignment.conftest import Team, open_case

pytestmark = pytest.mark.django_db

TITLE = "Acueducto rural de la vereda El Carmen"


def relay(team: Team) -> Any:
    """Run Alfa's relay as the worker would, and come back to the public schema."""
    result = relay_municipality(team.w.alfa.schema_name)
    use_public_schema()
    return result


def share(team: Team, initiative: Initiative, shared: bool) -> None:
    """The municipality changes its consent, in its own schema, through its services."""
    use_municipality(team.w.alfa)
    try:
        initiatives.initiative_save(actor=None, initiative=initiative, data={"share_with_community": shared})
    finally:
        use_public_schema()


def row(team: Team, initiative: Initiative) -> IndexItem:
    return IndexItem.objects.get(municipality=team.w.alfa, kind=ItemKind.INITIATIVE, source_id=initiative.pk)


def found(**filters: Any) -> list[str]:
    return [hit.title for hit in get_backend().search(SearchRequest(**filters)).hits]


def published_initiative(team: Team, capture: Any) -> tuple[Initiative, AlignmentCase]:
    """An initiative Alfa shares publicly, aligned by two agreeing specialists and published."""
    use_municipality(team.w.alfa)
    try:
        initiative, _milestones = make_initiative(team.w, name=TITLE, is_public=True)
    finally:
        use_public_schema()
    assert initiative.share_with_community
    assert relay(team).applied >= 1
    item = row(team, initiative)
    assert item.sdg_goals == [] and item.withdrawn_at is None

    case = open_case(team, item)
    for specialist in (team.ana, team.ben):
        proposal_submit(
            actor=specialist,
            case=case,
            goals={6: "direct", 3: "indirect"},
            targets={"6.1": "direct", "3.9": "indirect"},
            justification="El acueducto lleva agua potable y reduce las enfermedades de origen hídrico.",
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED
    with capture(execute=True):
        case = case_publish(actor=team.lead, case=case)
    assert case.status == CaseStatus.PUBLISHED
    return initiative, case


def assert_aligned_and_found(team: Team, initiative: Initiative) -> IndexItem:
    item = row(team, initiative)
    assert item.withdrawn_at is None
    assert item.sdg_goals == [3, 6] and item.sdg_targets == ["3.9", "6.1"]
    assert not item.search_dirty  # the relay (or rebuild) synced search after its batch
    assert TITLE in found(sdg_goal=(6,))
    assert TITLE in found(sdg_target=("6.1",))
    assert TITLE in found(sdg_goal=(3,), sdg_target=("3.9",))
    assert TITLE in found(q="acueducto", sdg_target=("6.1",))
    assert TITLE not in found(sdg_target=("6.2",))
    data = client_for(None).get("/api/v1/community/search/", {"sdg_target": "6.1"}).json()
    assert TITLE in [r["title"] for r in data["results"]]
    return item


def test_a_reshared_initiative_gets_its_published_alignment_back(
    team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    initiative, case = published_initiative(team, django_capture_on_commit_callbacks)
    first = assert_aligned_and_found(team, initiative)

    # The municipality withdraws its consent: the row becomes a tombstone without SDGs.
    share(team, initiative, False)
    relay(team)
    gone = row(team, initiative)
    assert gone.pk == first.pk and gone.withdrawn_at is not None
    assert (gone.sdg_goals, gone.sdg_targets, gone.title) == ([], [], "")
    assert TITLE not in found(sdg_goal=(6,)) and TITLE not in found(sdg_target=("6.1",))
    assert TITLE not in found(q="acueducto")

    # Shared again: the relay revives the row and writes the published alignment back.
    share(team, initiative, True)
    result = relay(team)
    assert result.applied >= 1 and result.failed == 0
    back = assert_aligned_and_found(team, initiative)
    assert back.pk == first.pk
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED and case.item_id == back.pk

    # A later change of the initiative (a new event for the row) keeps the alignment.
    use_municipality(team.w.alfa)
    try:
        initiatives.initiative_save(actor=None, initiative=initiative, data={"name": f"{TITLE} (fase 2)"})
    finally:
        use_public_schema()
    relay(team)
    item = row(team, initiative)
    assert item.title == f"{TITLE} (fase 2)" and item.sdg_goals == [3, 6] and item.sdg_targets == ["3.9", "6.1"]


def test_a_new_row_for_the_same_initiative_finds_its_case_and_alignment(
    team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    """The index row is lost (deleted by hand, or a municipality's rows cleared): the case
    keeps its key, the next share creates a new row, and the relay links and aligns it."""
    initiative, case = published_initiative(team, django_capture_on_commit_callbacks)
    IndexItem.objects.filter(pk=case.item_id).delete()
    case.refresh_from_db()
    assert case.item_id is None  # SET_NULL: the case remembers only the key
    share(team, initiative, False)
    share(team, initiative, True)
    relay(team)
    item = assert_aligned_and_found(team, initiative)
    case.refresh_from_db()
    assert case.item_id == item.pk and case.item_key == item.key


def test_the_rebuild_keeps_the_published_alignment(team: Team, django_capture_on_commit_callbacks: Any) -> None:
    initiative, case = published_initiative(team, django_capture_on_commit_callbacks)
    # A stale copy: as if the index had lost the SDG fields (a restore from an older backup).
    IndexItem.objects.filter(pk=case.item_id).update(sdg_goals=[], sdg_targets=[], title="Desactualizado")
    call_command("community_rebuild", "--municipality", "alfa", stdout=StringIO())
    use_public_schema()
    item = assert_aligned_and_found(team, initiative)
    assert item.pk == case.item_id and item.title == TITLE
    # From scratch: every row of Alfa gone, the rebuild re-creates them, aligned.
    IndexItem.objects.filter(municipality=team.w.alfa).delete()
    call_command("community_rebuild", "--municipality", "alfa", stdout=StringIO())
    use_public_schema()
    item = assert_aligned_and_found(team, initiative)
    case.refresh_from_db()
    assert case.item_id == item.pk
