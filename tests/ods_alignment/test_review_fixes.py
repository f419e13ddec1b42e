"""Edges found in review: double submits, junk codes, a lead who joined the municipality, a
specialist reassigned away, and an initiative that stopped being shared."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from community.models import IndexItem
from community.relay import relay_municipality
from ods_alignment.models import AlignmentCase, AlignmentEvent, CaseStatus, Proposal, Target
from ods_alignment.services import adjudicate, assignment_reassign, case_open, local_target_create, proposal_submit
from tenants.accounts.models import User
from tenants.db import use_municipality, use_public_schema
from tenants.initiatives import services as initiatives
from tenants.initiatives.models import Initiative
from tenants.models import Membership
from tenants.roles import MunicipalRole
from tests.community.factories import make_item
from tests.conftest import World, client_for
from tests.ods_alignment.conftest import Team, open_case, specialist
from tests.ods_alignment.test_workspace import publish, shared_initiative, text


def test_a_junk_target_code_is_a_field_error_not_a_crash(team: Team) -> None:
    case = open_case(team)
    api = client_for(team.ana)
    for junk in ("6.1\x00", "6." + "1" * 5000):
        response = api.post(
            f"/api/v1/sdg/cases/{case.pk}/proposals/",
            {"goals": [6], "targets": [junk], "justification": "Agua."},
            content_type="application/json",
        )
        assert response.status_code == 400 and "targets" in response.json(), response.content[:200]
    with pytest.raises(ValidationError) as caught:
        proposal_submit(actor=team.ana, case=case, goals=[6], targets=["6.1\x00"], justification="Agua.")
    assert "targets" in caught.value.message_dict
    assert not Proposal.objects.filter(case=case).exists()


def test_the_workshop_list_takes_a_nul_byte(team: Team) -> None:
    assert client_for(team.ana).get("/ods/taller/", {"q": "al\x00fa"}).status_code == 200


def _race(work: Any) -> list[BaseException | None]:
    """Run `work` twice at once, each on its own connection; what each raised (None: it
    worked)."""
    outcomes: list[BaseException | None] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            work()
            outcomes.append(None)
        except BaseException as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@dataclass
class Committed:
    """Specialists and an initiative committed for real (two connections must see them),
    removed again afterwards."""

    w: World
    ana: User
    ben: User
    lead: User
    item: IndexItem


@pytest.fixture
def committed(world: World, sdg_catalogue: None, django_db_blocker: Any) -> Iterator[Committed]:
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        people = [specialist(f"carrera{i}@ods.test", f"Carrera {i}") for i in range(3)]
        item = make_item(world.alfa, title="Carrera de solicitudes")
    yield Committed(world, *people, item=item)
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        AlignmentCase.objects.filter(item_key=item.key).delete()
        AlignmentEvent.objects.filter(actor=world.regional, case=None, detail__code=LOCAL_CODE).delete()
        Target.objects.filter(code=LOCAL_CODE).delete()
        item.delete()
        User.objects.filter(pk__in=[p.pk for p in people]).delete()


LOCAL_CODE = "11.2.7"


def test_two_identical_case_openings_make_one_case_and_one_clear_error(
    committed: Committed, django_db_blocker: Any
) -> None:
    c = committed
    deadline = timezone.localdate() + timedelta(days=5)

    def open_it() -> None:
        case_open(actor=c.w.regional, item=c.item, specialists=[c.ana, c.ben], lead=c.lead, deadline=deadline)

    with django_db_blocker.unblock():
        outcomes = _race(open_it)
        assert AlignmentCase.objects.filter(item_key=c.item.key).count() == 1
    errors = [o for o in outcomes if o is not None]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), outcomes
    assert "item" in errors[0].message_dict


def test_two_identical_local_targets_make_one_and_one_clear_error(committed: Committed, django_db_blocker: Any) -> None:
    def add() -> None:
        parent = Target.objects.get(code="11.2")
        local_target_create(actor=committed.w.regional, parent=parent, code=LOCAL_CODE, title_es="Transporte veredal")

    with django_db_blocker.unblock():
        outcomes = _race(add)
        assert Target.objects.filter(code=LOCAL_CODE).count() == 1
    errors = [o for o in outcomes if o is not None]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), outcomes
    assert "code" in errors[0].message_dict


def test_a_lead_who_joined_the_municipality_cannot_adjudicate(team: Team) -> None:
    case = open_case(team)
    proposal_submit(actor=team.ana, case=case, goals=[6], justification="Agua.")
    proposal_submit(actor=team.ben, case=case, goals=[3], justification="Salud.")
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPUTED
    Membership.objects.create(user=team.lead, municipality=team.w.alfa, role=MunicipalRole.MAYOR)
    with pytest.raises(ValidationError) as caught:
        adjudicate(actor=team.lead, case=case, goals=[6], reason="Agua.")
    assert "conflicto de interés" in caught.value.message_dict["case"][0]
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPUTED


def test_a_specialist_reassigned_away_no_longer_sees_the_case(team: Team) -> None:
    case = open_case(team)
    ben_assignment = case.assignments.get(specialist=team.ben)
    assignment_reassign(actor=team.w.regional, assignment=ben_assignment, specialist=team.cai)
    proposal_submit(actor=team.ana, case=case, goals=[6], justification="Agua potable.")
    proposal_submit(actor=team.cai, case=case, goals=[6], justification="Saneamiento.")
    ben = client_for(team.ben)
    assert ben.get(f"/ods/casos/{case.pk}/").status_code == 404
    assert ben.get(f"/api/v1/sdg/cases/{case.pk}/").status_code == 404
    assert case.pk not in [c["id"] for c in ben.get("/api/v1/sdg/cases/").json()["results"]]
    # Those who did the work still see it.
    assert client_for(team.cai).get(f"/ods/casos/{case.pk}/").status_code == 200
    assert client_for(team.ana).get(f"/api/v1/sdg/cases/{case.pk}/").status_code == 200


def test_an_initiative_no_longer_shared_stops_showing_its_alignment(team: Team) -> None:
    w = team.w
    item = shared_initiative(w, w.alfa, "Acueducto veredal de Alfa", public=True)
    publish(team, item, {6: "direct"}, {"6.1": "direct"})
    public, workspace = client_for(None, w.alfa), client_for(w.manager_alfa, w.alfa)
    assert "ODS 6 · Agua Limpia y Saneamiento" in text(public.get(f"/publico/iniciativas/{item.source_id}/"))
    assert "ODS 6 · Agua Limpia y Saneamiento" in text(workspace.get(f"/iniciativas/{item.source_id}/"))

    use_municipality(w.alfa)
    try:
        initiatives.initiative_save(
            actor=None, initiative=Initiative.objects.get(pk=item.source_id), data={"share_with_community": False}
        )
        relay_municipality(w.alfa.schema_name)
    finally:
        use_public_schema()
    assert 'id="ods"' not in text(public.get(f"/publico/iniciativas/{item.source_id}/"))
    assert "ODS 6 · Agua Limpia y Saneamiento" not in text(workspace.get(f"/iniciativas/{item.source_id}/"))
