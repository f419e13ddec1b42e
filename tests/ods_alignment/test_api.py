"""The SDG API: the public catalogue, suggestions, the alignment workflow through the same
services as the pages (blind proposals, conflicts, adjudication, publication, reassignment),
agreement, who may call what, 400s that name the field in the caller's language, query
counts, and its OpenAPI description."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone

from community.models import IndexItem
from ods_alignment.models import AlignmentCase, Assignment, CaseStatus, FinalAlignment, Proposal
from ods_alignment.suggest import MAX_CHARS
from tenants.accounts.services import api_token_for
from tenants.models import Membership
from tenants.roles import MunicipalRole
from tests.community.factories import make_item
from tests.conftest import World, client_for
from tests.ods_alignment.conftest import Team, initiative, open_case, specialist

API = "/api/v1/sdg"


def post(client: Client, url: str, data: Any, **extra: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def propose(client: Client, case: AlignmentCase, goals: Any, targets: Any = None, **extra: Any) -> Any:
    body = {"goals": goals, "targets": targets or {}, "justification": "Es un acueducto.", **extra}
    return post(client, f"{API}/cases/{case.pk}/proposals/", body)


# --- Catalogue ------------------------------------------------------------------------------


def test_goals_in_the_requested_language(w: World, sdg_catalogue: None) -> None:
    anonymous = client_for(None)
    body = anonymous.get(f"{API}/goals/").json()
    assert body["lang"] == "es" and len(body["goals"]) == 17
    assert [g["number"] for g in body["goals"]] == list(range(1, 18))
    water = body["goals"][5]
    assert water["number"] == 6 and water["colour"] == "#26BDE2"
    assert "agua" in water["title"].lower() and "agua" in water["short"].lower()
    codes = [t["code"] for t in water["targets"]]
    assert codes[:2] == ["6.1", "6.2"] and codes.index("6.6") < codes.index("6.a")  # the official order
    assert water["targets"][0] == {
        "code": "6.1",
        "title": water["targets"][0]["title"],
        "is_local": False,
        "parent": None,
    }
    english = anonymous.get(f"{API}/goals/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert english["Content-Language"] == "en" and english.json()["lang"] == "en"
    assert "water" in english.json()["goals"][5]["title"].lower()
    french = anonymous.get(f"{API}/goals/?lang=fr").json()
    assert french["lang"] == "fr" and "eau" in french["goals"][5]["title"].lower()
    refused = anonymous.get(f"{API}/goals/?lang=xx", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "xx" in refused.json()["lang"][0]
    # An error in Spanish when nothing asks for another language.
    assert "Idioma no admitido" in anonymous.get(f"{API}/goals/?lang=xx").json()["lang"][0]


def test_goal_detail_with_indicators_and_local_targets(w: World, sdg_catalogue: None) -> None:
    from ods_alignment.models import Target
    from ods_alignment.services import local_target_create

    local_target_create(
        actor=w.regional, parent=Target.objects.get(code="11.2"), code="11.2.x", title_es="Transporte rural local"
    )
    body = client_for(None).get(f"{API}/goals/11/").json()
    assert body["number"] == 11
    by_code = {t["code"]: t for t in body["targets"]}
    assert by_code["11.2.x"]["is_local"] is True and by_code["11.2.x"]["parent"] == "11.2"
    assert by_code["11.2.x"]["indicators"] == []
    assert "11.2.1" in {i["code"] for i in by_code["11.2"]["indicators"]}
    for missing in ("0", "18", "9" * 30):
        assert client_for(None).get(f"{API}/goals/{missing}/").status_code == 404


# --- Suggestions ----------------------------------------------------------------------------


def test_suggest_spanish_and_english_with_triggers(team: Team) -> None:
    client = client_for(team.ana)
    text = "Construcción del acueducto rural, agua potable y saneamiento básico con alcantarillado para las veredas."
    response = post(client, f"{API}/suggest/", {"text": text, "lang": "es"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"lang", "goals", "predicted_goals", "targets", "truncated"}
    assert body["lang"] == "es" and body["truncated"] is False
    assert len(body["goals"]) == 17 and body["goals"][0]["goal"] == 6
    assert 6 in body["predicted_goals"]
    assert body["goals"][0]["score"] >= body["goals"][1]["score"]
    triggers = " ".join(body["goals"][0]["triggers"]).lower()
    assert "agua" in triggers or "saneamiento" in triggers or "alcantarillado" in triggers
    assert body["targets"][0]["target"].startswith("6.") and body["targets"][0]["triggers"]
    english = post(
        client,
        f"{API}/suggest/",
        {"text": "Solar panels and renewable energy for rural schools; clean electricity for every household."},
    ).json()
    assert english["lang"] == "en"  # detected
    assert 7 in english["predicted_goals"] and english["goals"][0]["goal"] == 7
    assert any("solar" in t.lower() or "energy" in t.lower() for t in english["goals"][0]["triggers"])


def test_suggest_bad_input_names_the_field(team: Team) -> None:
    client = client_for(team.ana)
    cases = [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({}, "text"),
        ({"text": 12}, "text"),
        ({"text": "a" * (MAX_CHARS + 1)}, "text"),
        ({"text": "Agua potable", "lang": "xx"}, "lang"),
        ({"text": "Agua potable", "lang": 5}, "lang"),
    ]
    for data, field in cases:
        response = post(client, f"{API}/suggest/", data)
        assert response.status_code == 400, (data, response.content)
        assert list(response.json()) == [field], (data, response.json())
    assert post(client, f"{API}/suggest/", ["texto"]).status_code == 400
    spanish = post(client, f"{API}/suggest/", {"text": "", "lang": "xx"}).json()
    assert "Escriba el texto" in spanish["text"][0] and "es, en, fr" in spanish["lang"][0]
    # A language given explicitly is accepted in any case; null means "detect".
    assert post(client, f"{API}/suggest/", {"text": "Agua potable", "lang": "ES"}).json()["lang"] == "es"
    assert post(client, f"{API}/suggest/", {"text": "Agua potable", "lang": None}).status_code == 200


# --- Who may call what ----------------------------------------------------------------------


def test_auth_matrix(team: Team) -> None:
    w = team.w
    case = open_case(team)
    reads = [f"{API}/queue/", f"{API}/cases/", f"{API}/agreement/", f"{API}/cases/{case.pk}/"]
    writes = [
        (f"{API}/suggest/", {"text": "Agua potable"}),
        (f"{API}/cases/", {}),
        (f"{API}/cases/{case.pk}/proposals/", {"goals": [6], "justification": "x"}),
        (f"{API}/cases/{case.pk}/publish/", {}),
    ]
    anonymous = client_for(None)
    for url in reads:
        assert anonymous.get(url).status_code == 401, url
    for url, data in writes:
        assert post(anonymous, url, data).status_code == 401, url
    for user in (w.admin_alfa, w.mayor_alfa, w.outsider):
        client = client_for(user)
        for url in reads:
            assert client.get(url).status_code == 403, (user, url)
        for url, data in writes:
            assert post(client, url, data).status_code == 403, (user, url)
    assert client_for(team.ana).get(f"{API}/queue/").status_code == 200
    assert client_for(w.regional).get(f"{API}/cases/").status_code == 200
    assert client_for(w.platform_admin).get(f"{API}/cases/{case.pk}/").status_code == 200
    # Not a participant: the case is not there at all.
    assert client_for(team.cai).get(f"{API}/cases/{case.pk}/").status_code == 404
    assert propose(client_for(team.cai), case, [6]).status_code == 404
    assert client_for(team.ana).get(f"{API}/cases/{'9' * 30}/").status_code == 404
    # Tokens work like the session (the API's own login).
    token = api_token_for(user=team.ana)
    with_token = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token}")
    assert with_token.get(f"{API}/cases/{case.pk}/").status_code == 200
    # Only on the platform's domain, not on a municipality's.
    assert client_for(team.ana, w.alfa).get(f"{API}/goals/").status_code == 404
    assert not Proposal.objects.exists()


def test_the_403_message_follows_accept_language(team: Team) -> None:
    english = client_for(team.w.outsider).get(f"{API}/queue/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 403 and english["Content-Language"] == "en"
    spanish = client_for(team.w.outsider).get(f"{API}/queue/")
    assert "Solo las personas especialistas ODS" in spanish.json()["detail"]


# --- Opening cases, lists -------------------------------------------------------------------


def test_open_case_and_list(team: Team) -> None:
    w = team.w
    regional = client_for(w.regional)
    item = initiative(w)
    deadline = (timezone.localdate() + timedelta(days=7)).isoformat()
    body = {"item": item.pk, "specialists": [team.ana.pk, team.ben.pk], "lead": team.lead.pk, "deadline": deadline}
    response = post(regional, f"{API}/cases/", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "open" and created["item"]["key"] == item.key
    assert created["item"]["text"] == item.text and created["lead"]["id"] == team.lead.pk
    assert {a["specialist"]["id"] for a in created["assignments"]} == {team.ana.pk, team.ben.pk}
    assert all(not a["submitted"] and a["due_date"] == deadline for a in created["assignments"])
    assert created["proposals"] == [] and created["final"] is None
    assert [e["action"] for e in created["events"]] == ["case.open"]
    # The service's own rules, with its messages, per field.
    again = post(regional, f"{API}/cases/", body)
    assert again.status_code == 400 and "ya tiene un caso" in again.json()["item"][0]
    bad = post(
        regional,
        f"{API}/cases/",
        {"item": 10**15, "specialists": [team.ana.pk, w.outsider.pk], "lead": w.mayor_alfa.pk, "deadline": "mañana"},
    )
    assert bad.status_code == 400 and set(bad.json()) == {"deadline"}  # types first
    bad = post(
        regional,
        f"{API}/cases/",
        {"item": 10**15, "specialists": [team.ana.pk, w.outsider.pk], "lead": w.mayor_alfa.pk, "deadline": deadline},
    )
    assert set(bad.json()) == {"item", "specialists", "lead"}
    assert str(w.outsider.pk) in bad.json()["specialists"][0] and "Nadie" not in json.dumps(bad.json())
    # A plain specialist may not open a case led by someone else (the service's 403).
    other = {**body, "item": initiative(w).pk}
    assert post(client_for(team.ana), f"{API}/cases/", other).status_code == 403
    assert AlignmentCase.objects.count() == 1

    # Lists: the team sees all and filters; a specialist only their own cases.
    theirs = open_case(team)
    AlignmentCase.objects.filter(pk=theirs.pk).update(status=CaseStatus.DISPUTED)
    cai_case = AlignmentCase.objects.get(pk=open_case(team).pk)
    Assignment.objects.filter(case=cai_case, specialist=team.ben).update(specialist=team.cai)
    listed = regional.get(f"{API}/cases/").json()
    assert listed["count"] == 3
    assert [c["id"] for c in regional.get(f"{API}/cases/?status=disputed").json()["results"]] == [theirs.pk]
    assert regional.get(f"{API}/cases/?status=nada").status_code == 400
    assert {c["id"] for c in client_for(team.ben).get(f"{API}/cases/").json()["results"]} == {
        created["id"],
        theirs.pk,
    }
    assert client_for(team.cai).get(f"{API}/cases/").json()["count"] == 1
    assert client_for(team.lead).get(f"{API}/cases/").json()["count"] == 3


def test_two_municipalities(team: Team) -> None:
    """Cases on both municipalities' initiatives: the team sees both, each under its own
    municipality; a specialist only the one they work on; nothing on a municipality's host."""
    w = team.w
    alfa_case = open_case(team, initiative(w, title="Agua en Alfa"))
    beta_case = open_case(team, make_item(w.beta, title="Water in Beta"))
    Assignment.objects.filter(case=beta_case, specialist=team.ben).update(specialist=team.cai)
    rows = client_for(w.regional).get(f"{API}/cases/").json()["results"]
    assert {(r["item"]["title"], r["item"]["municipality"]) for r in rows} == {
        ("Agua en Alfa", "alfa"),
        ("Water in Beta", "beta"),
    }
    cai = client_for(team.cai)
    assert [r["id"] for r in cai.get(f"{API}/cases/").json()["results"]] == [beta_case.pk]
    assert cai.get(f"{API}/cases/{alfa_case.pk}/").status_code == 404
    assert cai.get(f"{API}/cases/{beta_case.pk}/").json()["item"]["municipality_name"] == "Municipio Beta"
    for municipality in (w.alfa, w.beta):
        assert client_for(w.regional, municipality).get(f"{API}/cases/").status_code == 404


def test_cases_list_query_count_does_not_grow(team: Team) -> None:
    client = client_for(team.w.regional)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/cases/").status_code == 200
        return len(captured)

    open_case(team)
    few = queries()
    for _ in range(4):
        case = open_case(team)
        propose(client_for(team.ana), case, [6])
    assert queries() == few
    assert few <= 10, few  # session, user, roles twice, count, cases, assignments, proposals


# --- Blind proposals and validation --------------------------------------------------------


def test_proposals_are_blind_through_the_api(team: Team) -> None:
    case = open_case(team)
    ana, ben = client_for(team.ana), client_for(team.ben)
    response = propose(ana, case, {"6": "direct", "3": "indirect"}, {"6.1": "direct"})
    assert response.status_code == 201, response.content
    (mine,) = response.json()["proposals"]
    assert mine["goals"] == {"3": "indirect", "6": "direct"} and mine["targets"] == {"6.1": "direct"}
    assert mine["specialist"]["id"] == team.ana.pk
    for viewer in (ben, client_for(team.lead), client_for(team.w.regional)):
        seen = viewer.get(f"{API}/cases/{case.pk}/").json()
        assert seen["proposals"] == []
        assert '"6.1"' not in json.dumps(seen)  # nor through the event log
        submitted = {a["specialist"]["id"]: a["submitted"] for a in seen["assignments"]}
        assert submitted == {team.ana.pk: True, team.ben.pk: False}
    assert ben.get(f"{API}/cases/{case.pk}/").json()["can"]["propose"] is True
    done = propose(ben, case, [3, 6], ["6.1"]).json()
    assert done["status"] == "agreed" and len(done["proposals"]) == 2
    assert done["kappa"] == 1.0 and done["target_overlap"] == 1.0
    assert done["final"]["goals"] == [3, 6] and done["final"]["targets"] == ["6.1"]
    assert done["final"]["contributions"] == {"goals": {"3": "indirect", "6": "direct"}, "targets": {"6.1": "direct"}}
    assert len(ana.get(f"{API}/cases/{case.pk}/").json()["proposals"]) == 2
    # A third proposal is refused once the proposals are closed, naming the case.
    third = propose(ana, case, [7])
    assert third.status_code == 400 and "ya están cerradas" in third.json()["case"][0]
    # The lead, who is not assigned, cannot propose: a participant without that role gets 403.
    assert propose(client_for(team.lead), open_case(team), [6]).status_code == 403


def test_conflict_of_interest_is_a_400_on_the_case(team: Team) -> None:
    case = open_case(team)
    Membership.objects.create(user=team.ben, municipality=team.w.alfa, role=MunicipalRole.INITIATIVE_MANAGER)
    response = propose(client_for(team.ben), case, [6])
    assert response.status_code == 400 and "conflicto de interés" in response.json()["case"][0]
    assert not Proposal.objects.exists()


def test_bad_proposals_save_nothing(team: Team) -> None:
    case = open_case(team)
    ana = client_for(team.ana)
    response = propose(ana, case, [6], ["6.1", "7.2"])
    assert response.status_code == 400 and list(response.json()) == ["targets"]
    assert "7.2" in response.json()["targets"][0] and "ODS 7" in response.json()["targets"][0]
    english = post(
        ana,
        f"{API}/cases/{case.pk}/proposals/",
        {"goals": [6], "targets": ["7.2"], "justification": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.status_code == 400 and english["Content-Language"] == "en"
    assert "belongs to SDG 7" in english.json()["targets"][0]
    cases = [
        ({"goals": [], "justification": "x"}, {"goals"}),
        ({"goals": {"18": "direct", "6": "maybe"}, "justification": "x"}, {"goals"}),
        ({"goals": "6", "justification": "x"}, {"goals"}),
        ({"goals": [True], "justification": "x"}, {"goals"}),
        ({"goals": ["9" * 30], "justification": "x"}, {"goals"}),
        ({"goals": ["99999999999"], "justification": "x"}, {"goals"}),
        ({"goals": [6], "targets": 3, "justification": "x"}, {"targets"}),
        ({"goals": [6], "justification": " ", "evidence_url": "ftp://x"}, {"justification", "evidence_url"}),
        ({"goals": [6]}, {"justification"}),
        ({"goals": [6], "justification": "x" * 6000}, {"justification"}),
    ]
    for data, fields in cases:
        response = post(ana, f"{API}/cases/{case.pk}/proposals/", data)
        assert response.status_code == 400, (data, response.content)
        assert set(response.json()) == fields, (data, response.json())
    assert not Proposal.objects.exists()
    assert AlignmentCase.objects.get(pk=case.pk).status == CaseStatus.OPEN


# --- Adjudication, publication, reassignment ------------------------------------------------


def test_adjudicate_and_publish(team: Team, django_capture_on_commit_callbacks: Any) -> None:
    item = initiative(team.w, title="Acueducto y parque")
    case = open_case(team, item)
    propose(client_for(team.ana), case, [1, 6, 11], ["6.1"])
    disputed = propose(client_for(team.ben), case, [6, 11, 13], ["6.1", "13.1"]).json()
    assert disputed["status"] == "disputed" and disputed["kappa"] == pytest.approx(50 / 84)
    url = f"{API}/cases/{case.pk}/adjudicate/"
    decision = {"goals": {"6": "direct", "11": "indirect"}, "targets": ["6.1"], "reason": "El acueducto es 6.1."}
    # A specialist of the case and the regional team are participants without the lead's role: 403.
    for user in (team.ana, team.w.regional):
        assert post(client_for(user), url, decision).status_code == 403
    assert post(client_for(team.cai), url, decision).status_code == 404  # not in the case at all
    lead = client_for(team.lead)
    assert client_for(team.lead).get(f"{API}/queue/").json()["to_adjudicate"][0]["case"] == case.pk
    bad = post(lead, url, {"goals": [6], "targets": ["11.1"], "reason": " "})
    assert bad.status_code == 400 and set(bad.json()) == {"reason", "targets"}
    assert AlignmentCase.objects.get(pk=case.pk).status == CaseStatus.DISPUTED
    decided = post(lead, url, decision).json()
    assert decided["status"] == "adjudicated" and decided["final"]["reason"] == "El acueducto es 6.1."
    assert decided["final"]["goals"] == [6, 11] and decided["final"]["published_at"] is None
    assert decided["can"] == {"propose": False, "adjudicate": False, "publish": True, "reassign": False}
    # Publication: not by a specialist; by the lead, into the community index.
    publish = f"{API}/cases/{case.pk}/publish/"
    assert post(client_for(team.ana), publish, {}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        published = post(lead, publish, {})
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published" and published.json()["final"]["published_at"]
    item.refresh_from_db()
    assert item.sdg_goals == [6, 11] and item.sdg_targets == ["6.1"]
    assert published.json()["item"]["sdg_goals"] == [6, 11]
    again = post(lead, publish, {})
    assert again.status_code == 400 and "case" in again.json()


def test_publish_by_the_regional_team(team: Team, django_capture_on_commit_callbacks: Any) -> None:
    item = initiative(team.w)
    case = open_case(team, item)
    regional = client_for(team.w.regional)
    early = post(regional, f"{API}/cases/{case.pk}/publish/", {})
    assert early.status_code == 400 and "case" in early.json()
    propose(client_for(team.ana), case, [7], ["7.2"])
    propose(client_for(team.ben), case, [7], ["7.2"])
    with django_capture_on_commit_callbacks(execute=True):
        assert post(regional, f"{API}/cases/{case.pk}/publish/", {}).status_code == 200
    assert IndexItem.objects.get(pk=item.pk).sdg_goals == [7]
    assert FinalAlignment.objects.get(case=case).published_at is not None


def test_reassign(team: Team) -> None:
    case = open_case(team)
    ben_assignment = case.assignments.get(specialist=team.ben)
    url = f"{API}/cases/{case.pk}/reassign/"
    due = (timezone.localdate() + timedelta(days=4)).isoformat()
    body = {"assignment": ben_assignment.pk, "specialist": team.cai.pk, "due_date": due}
    assert post(client_for(team.ana), url, body).status_code == 403
    other_case = open_case(team)
    wrong = post(client_for(team.w.regional), url, {**body, "assignment": other_case.assignments.first().pk})  # type: ignore[union-attr]
    assert wrong.status_code == 400 and list(wrong.json()) == ["assignment"]
    not_specialist = post(client_for(team.w.regional), url, {**body, "specialist": team.w.mayor_alfa.pk})
    assert not_specialist.status_code == 400 and list(not_specialist.json()) == ["specialist"]
    taken = post(client_for(team.w.regional), url, {**body, "specialist": team.ana.pk})
    assert taken.status_code == 400 and "ya está asignada" in taken.json()["specialist"][0]
    response = post(client_for(team.w.regional), url, body)
    assert response.status_code == 200, response.content
    by_person = {a["specialist"]["id"]: a for a in response.json()["assignments"]}
    assert by_person[team.ben.pk]["active"] is False
    assert by_person[team.cai.pk]["active"] is True and by_person[team.cai.pk]["due_date"] == due
    assert client_for(team.cai).get(f"{API}/queue/").json()["to_propose"][0]["case"] == case.pk
    # Reassigned away before proposing: no longer a participant, the case is not there for them.
    assert propose(client_for(team.ben), case, [6]).status_code == 404
    assert propose(client_for(team.cai), case, [6]).status_code == 201


# --- Queue and agreement --------------------------------------------------------------------


def test_queue(team: Team) -> None:
    soon = open_case(team, days=1)
    open_case(team, days=20)
    Assignment.objects.filter(case=soon).update(due_date=timezone.localdate() - timedelta(days=2))
    body = client_for(team.ana).get(f"{API}/queue/").json()
    assert body["count"] == 2 and [e["action"] for e in body["to_propose"]] == ["propose", "propose"]
    first = body["to_propose"][0]
    assert first["case"] == soon.pk and first["overdue"] is True and first["days_left"] == -2
    assert first["item_title"] == "Agua potable para las veredas" and first["municipality_name"] == "Municipio Alfa"
    assert client_for(team.cai).get(f"{API}/queue/").json()["count"] == 0


def test_agreement_numbers(team: Team) -> None:
    ana, ben = client_for(team.ana), client_for(team.ben)
    for goals_a, goals_b, targets_a, targets_b in [
        ([1, 6, 11], [6, 11, 13], ["6.1"], ["6.1", "11.1"]),
        ([7], [7], ["7.1"], ["7.1"]),
    ]:
        case = open_case(team)
        assert propose(ana, case, goals_a, targets_a).status_code == 201
        assert propose(ben, case, goals_b, targets_b).status_code == 201
    propose(ana, open_case(team), [2])  # still blind: does not count
    # Ben and Cai agree on one case, which Ana must not see.
    other = open_case(team)
    Assignment.objects.filter(case=other, specialist=team.ana).update(specialist=team.cai)
    propose(ben, other, [3])
    propose(client_for(team.cai), other, [3])
    (row,) = ana.get(f"{API}/agreement/").json()
    assert {row["specialist_a"]["id"], row["specialist_b"]["id"]} == {team.ana.pk, team.ben.pk}
    assert {row["specialist_a"]["name"], row["specialist_b"]["name"]} == {"Ana Especialista", "Ben Especialista"}
    assert row["cases"] == 2
    assert row["pooled_kappa"] == pytest.approx(172 / 240)
    assert row["mean_kappa"] == pytest.approx((50 / 84 + 1.0) / 2)
    assert row["mean_target_overlap"] == pytest.approx(0.75)
    everyone = client_for(team.w.regional).get(f"{API}/agreement/").json()
    assert len(everyone) == 2 and everyone[0]["cases"] == 2 and everyone[1]["cases"] == 1
    assert len(client_for(team.ben).get(f"{API}/agreement/").json()) == 2
    assert client_for(specialist("eva@ods.test", "Eva")).get(f"{API}/agreement/").json() == []


# --- OpenAPI --------------------------------------------------------------------------------


def test_schema_documents_the_api_without_warnings(w: World) -> None:
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    from ods_alignment import urls_api

    GENERATOR_STATS.reset()
    generated = SchemaGenerator(patterns=[path("api/v1/sdg/", include(urls_api))]).get_schema(public=True)
    assert not GENERATOR_STATS, dict(GENERATOR_STATS._warn_cache)
    paths = generated["paths"]
    expected = {
        "/api/v1/sdg/goals/",
        "/api/v1/sdg/goals/{number}/",
        "/api/v1/sdg/suggest/",
        "/api/v1/sdg/queue/",
        "/api/v1/sdg/agreement/",
        "/api/v1/sdg/cases/",
        "/api/v1/sdg/cases/{id}/",
        "/api/v1/sdg/cases/{id}/proposals/",
        "/api/v1/sdg/cases/{id}/adjudicate/",
        "/api/v1/sdg/cases/{id}/publish/",
        "/api/v1/sdg/cases/{id}/reassign/",
    }
    assert set(paths) == expected
    assert "status" in {p["name"] for p in paths["/api/v1/sdg/cases/"]["get"]["parameters"]}
    assert paths["/api/v1/sdg/cases/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedCaseOutList"
    }
    schema = client_for(None).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert expected <= set(schema.json()["paths"])
