"""The console API: filters, detail, every action through the same services as the pages,
who may call it, 400s that name the field, and its OpenAPI description."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import include, path

from community.models import ConsoleEvent, Group, GroupMember, ItemKind, LabProposal
from tests.community.console_factories import make_group
from tests.community.factories import make_item
from tests.conftest import World, client_for

API = "/api/v1/community"


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def groups(w: World) -> dict[str, Group]:
    water = make_group(
        [
            make_item(w.alfa, title="Agua potable para el barrio Norte", sdg_goals=[6]),
            make_item(w.beta, title="Agua potable rural", sdg_goals=[6]),
            make_item(w.alfa, title="Acueducto veredal"),
            make_item(w.beta, title="Pozos comunitarios"),
        ],
        name="Agua potable",
        strength=0.8,
        change={"new": True},
    )
    roads = make_group([make_item(w.alfa, title="Vías"), make_item(w.beta, title="Caminos")], name="Caminos")
    budget = make_group(
        [make_item(w.alfa, kind=ItemKind.RESTRICTION), make_item(w.beta, kind=ItemKind.RESTRICTION)],
        name="Recursos que no llegan",
    )
    return {"water": water, "roads": roads, "budget": budget}


def test_list_and_filters(w: World, groups: dict[str, Group]) -> None:
    client = client_for(w.regional)
    body = client.get(f"{API}/groups/").json()
    assert body["count"] == 3
    water = next(g for g in body["results"] if g["name"] == "Agua potable")
    assert (water["member_count"], water["municipality_count"], water["is_new"], water["kind"]) == (4, 2, True, "theme")
    assert water["reasons"]["sdg_targets"] == ["6.1"]

    def names(query: str) -> list[str]:
        return sorted(g["name"] for g in client.get(f"{API}/groups/{query}").json()["results"])

    assert names("?tipo=problem") == ["Recursos que no llegan"]
    assert names("?tipo=theme&ods=6") == ["Agua potable"]
    assert names("?q=camin") == ["Caminos"]
    assert names("?estado=new") == ["Agua potable"]
    response = client.get(f"{API}/groups/?ods=40&tipo=nada")
    assert response.status_code == 400 and {"ods", "tipo"} <= set(response.json())


def test_detail_hides_withdrawn_items(w: World, groups: dict[str, Group]) -> None:
    water = groups["water"]
    withdrawn = make_item(w.beta, title="", withdrawn_at="2024-01-01T00:00Z")
    GroupMember.objects.create(group=water, item=withdrawn)
    Group.objects.filter(pk=water.pk).update(change={"new": False, "added": [withdrawn.key], "removed": []})
    body = client_for(w.regional).get(f"{API}/groups/{water.pk}/").json()
    assert len(body["members"]) == 4 and body["municipality_count"] == 2
    assert {m["municipality_name"] for m in body["members"]} == {"Municipio Alfa", "Municipio Beta"}
    assert body["change"] == {"new": False, "added": [], "removed": [], "no_longer_shared": 1}
    assert withdrawn.key not in json.dumps(body)
    assert client_for(w.regional).get(f"{API}/groups/{'9' * 30}/").status_code == 404


def test_every_action(w: World, groups: dict[str, Group]) -> None:
    client = client_for(w.regional)
    water, roads = groups["water"], groups["roads"]
    g = f"{API}/groups/{water.pk}"
    body = post(client, f"{g}/rename/", {"name": "Agua para todos", "version": 1}).json()
    assert (body["name"], body["renamed"], body["version"]) == ("Agua para todos", True, 2)
    assert post(client, f"{g}/pin/", {}).json()["pinned"] is True
    assert post(client, f"{g}/unpin/", {"version": 3}).json()["pinned"] is False
    response = post(client, f"{g}/propose-lab/", {"title": "Lab del agua", "description": "Abierto"})
    assert response.status_code == 201 and response.json()["member_count"] == 4
    labs = client.get(f"{API}/labs/").json()
    assert labs[0]["title"] == "Lab del agua" and len(labs[0]["members"]) == 4
    ids = [m["id"] for m in client.get(f"{g}/").json()["members"]]
    alfa_ids = [m.item_id for m in water.members.filter(item__municipality=w.alfa).order_by("pk")]
    beta_ids = [m.item_id for m in water.members.filter(item__municipality=w.beta).order_by("pk")]
    assert sorted(ids) == sorted(alfa_ids + beta_ids)
    response = post(client, f"{g}/split/", {"item_ids": [alfa_ids[1], beta_ids[1]], "name": "Pozos y acueductos"})
    assert response.status_code == 201
    new_pk = response.json()["id"]
    assert response.json()["curated"] is True and response.json()["member_count"] == 2
    body = post(client, f"{g}/dismiss/", {"reason": "Muy general"}).json()
    assert body["dismissed"] is True
    assert post(client, f"{g}/restore/", {}).json()["dismissed"] is False
    body = post(client, f"{API}/groups/{roads.pk}/merge/", {"others": [new_pk], "version": 1}).json()
    assert body["member_count"] == 4 and body["curated"] is True
    assert Group.objects.get(pk=new_pk).merged_into_id == roads.pk
    assert list(ConsoleEvent.objects.filter(group=water).order_by("pk").values_list("action", flat=True)) == [
        "renamed", "pinned", "unpinned", "lab", "split", "dismissed", "restored",
    ]  # fmt: skip


def test_bad_input_is_a_400_naming_the_field(w: World, groups: dict[str, Group]) -> None:
    client = client_for(w.regional)
    water = groups["water"]
    g = f"{API}/groups/{water.pk}"
    cases = [
        (f"{g}/rename/", {}, "name"),
        (f"{g}/rename/", {"name": "x" * 300}, "name"),
        (f"{g}/rename/", {"name": "Nuevo", "version": 99}, "version"),
        (f"{g}/rename/", {"name": "Nuevo", "version": "uno"}, "version"),
        (f"{g}/dismiss/", {"reason": ""}, "reason"),
        (f"{g}/split/", {"item_ids": [], "name": "X"}, "item_ids"),
        (f"{g}/split/", {"item_ids": "1", "name": "X"}, "item_ids"),
        (f"{g}/propose-lab/", {"title": " "}, "title"),
        (f"{g}/merge/", {"others": [groups["budget"].pk]}, "others"),
        (f"{g}/merge/", {"others": [10**15]}, "others"),
        (f"{g}/restore/", {}, "group"),
    ]
    for url, data, field in cases:
        response = post(client, url, data)
        assert response.status_code == 400, (url, data, response.content)
        assert field in response.json(), (url, data, response.json())
    response = client.post(f"{g}/rename/", "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    water.refresh_from_db()
    assert (water.name, water.version, water.dismissed_at) == ("", 1, None)
    assert not LabProposal.objects.exists()


def test_only_the_regional_team(w: World, groups: dict[str, Group]) -> None:
    g = f"{API}/groups/{groups['water'].pk}"
    for user in (w.admin_alfa, w.outsider):
        client = client_for(user)
        assert client.get(f"{API}/groups/").status_code == 403
        assert client.get(f"{g}/").status_code == 403
        assert post(client, f"{g}/rename/", {"name": "X"}).status_code == 403
        assert client.get(f"{API}/labs/").status_code == 403
    assert client_for(None).get(f"{API}/groups/").status_code == 401
    assert client_for(w.platform_admin).get(f"{API}/groups/").status_code == 200
    assert client_for(w.regional, w.alfa).get(f"{API}/groups/").status_code == 404  # not on a municipality's domain
    assert Group.objects.get(pk=groups["water"].pk).name == ""


def test_schema_documents_the_api_without_warnings(w: World) -> None:
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    from community import urls_console_api

    GENERATOR_STATS.reset()
    generated = SchemaGenerator(patterns=[path("api/v1/community/", include(urls_console_api))]).get_schema(public=True)
    assert not GENERATOR_STATS, dict(GENERATOR_STATS._warn_cache)
    paths = generated["paths"]
    assert "/api/v1/community/groups/{id}/propose-lab/" in paths
    assert "ods" in {p["name"] for p in paths["/api/v1/community/groups/"]["get"]["parameters"]}
    schema = client_for(None).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert "/api/v1/community/groups/{id}/merge/" in schema.json()["paths"]
