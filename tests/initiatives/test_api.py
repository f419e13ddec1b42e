"""The initiatives API: the same rules as the pages, errors per field, isolation."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from tenants.db import use_municipality, use_public_schema
from tenants.initiatives.models import AroType
from tests.conftest import World, client_for


def _create(client, w: World, **extra: object):  # type: ignore[no-untyped-def]
    body = {
        "name": "Pavimentación de la calle 5",
        "objective": "Calle transitable todo el año",
        "product_kind": "public_work",
        "manager_id": w.manager_alfa.pk,
        "start_date": (date.today() - timedelta(days=7)).isoformat(),
        "target_date": (date.today() + timedelta(days=90)).isoformat(),
        **extra,
    }
    return client.post("/api/v1/initiatives/", body, content_type="application/json")


def test_program_report_and_escalate_through_the_api(w: World) -> None:
    manager = client_for(w.manager_alfa, w.alfa)
    created = _create(manager, w)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    milestone = manager.post(
        f"/api/v1/initiatives/{pk}/milestones/",
        {
            "name": "Estudio de suelos",
            "due_date": (date.today() + timedelta(days=30)).isoformat(),
            "responsible_id": w.manager_alfa.pk,
        },
        content_type="application/json",
    )
    assert milestone.status_code == 201, milestone.content
    mid = milestone.json()["id"]
    assert manager.post(f"/api/v1/initiatives/{pk}/close-programming/").json()["programming_closed"] is True
    week = manager.get(f"/api/v1/initiatives/{pk}/").json()
    assert week["milestones"][0]["baseline_due_date"] == week["milestones"][0]["due_date"]
    use_municipality(w.alfa)
    from tenants.initiatives.cycle import current_week

    this_week = current_week().isoformat()
    financial = AroType.objects.get(key="financial").pk
    use_public_schema()
    report = manager.post(
        f"/api/v1/initiatives/{pk}/reports/",
        {"week_start": this_week, "progress": {str(mid): 25}},
        content_type="application/json",
    )
    assert report.status_code == 201, report.content
    aro = manager.post(
        f"/api/v1/initiatives/{pk}/aro/",
        {"kind": "restriction", "type_id": financial, "milestone_id": mid, "description": "Sin partida presupuestaria"},
        content_type="application/json",
    )
    assert aro.status_code == 201, aro.content
    aid = aro.json()["id"]
    up = manager.post(
        f"/api/v1/initiatives/{pk}/aro/{aid}/escalate/", {"text": "Al comité"}, content_type="application/json"
    )
    assert up.json()["level"] == 2
    # The manager cannot act at level 2.
    denied = manager.post(
        f"/api/v1/initiatives/{pk}/aro/{aid}/decide/", {"text": "Yo decido"}, content_type="application/json"
    )
    assert denied.status_code == 403
    follow = client_for(w.followup_alfa, w.alfa)
    follow.post(
        f"/api/v1/initiatives/{pk}/aro/{aid}/escalate/", {"text": "Al titular"}, content_type="application/json"
    )
    mayor = client_for(w.mayor_alfa, w.alfa)
    queue = mayor.get("/api/v1/initiatives/levels/3/").json()
    assert [row["id"] for row in queue] == [aid]
    assert queue[0]["initiative"]["light"] == "late"
    past = mayor.post(
        f"/api/v1/initiatives/{pk}/aro/{aid}/escalate/", {"text": "Más arriba"}, content_type="application/json"
    )
    assert past.status_code == 400 and "nivel 3" in past.json()["comment"][0]
    listing = manager.get("/api/v1/initiatives/").json()
    assert listing[0]["thermometer"] == 25 and listing[0]["open_restrictions"] == 1


def test_bad_input_names_the_field_and_saves_nothing(w: World) -> None:
    manager = client_for(w.manager_alfa, w.alfa)
    bad = _create(manager, w, manager_id=w.outsider.pk, target_date=(date.today() - timedelta(days=30)).isoformat())
    assert bad.status_code == 400
    assert set(bad.json()) >= {"manager_id", "target_date"}
    assert manager.get("/api/v1/initiatives/").json() == []
    english = client_for(w.manager_alfa, w.alfa)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "not a member" in _create(english, w, manager_id=w.outsider.pk).json()["manager_id"][0]


def test_stale_version_is_refused(w: World) -> None:
    manager = client_for(w.manager_alfa, w.alfa)
    pk = _create(manager, w).json()["id"]
    read = manager.get(f"/api/v1/initiatives/{pk}/").json()["version"]
    assert (
        manager.patch(
            f"/api/v1/initiatives/{pk}/",
            {"name": "Calle 5 pavimentada", "version": read},
            content_type="application/json",
        ).status_code
        == 200
    )
    stale = manager.patch(
        f"/api/v1/initiatives/{pk}/", {"name": "Otro nombre", "version": read}, content_type="application/json"
    )
    assert stale.status_code == 400
    assert manager.get(f"/api/v1/initiatives/{pk}/").json()["name"] == "Calle 5 pavimentada"


def test_isolation_between_municipalities(w: World) -> None:
    manager = client_for(w.manager_alfa, w.alfa)
    pk = _create(manager, w).json()["id"]
    # A member of Beta on Alfa's host: 404 for everything.
    intruder = client_for(w.admin_beta, w.alfa)
    for url in ["/api/v1/initiatives/", f"/api/v1/initiatives/{pk}/", "/api/v1/initiatives/levels/3/"]:
        assert intruder.get(url).status_code == 404, url
    # On Beta's own host, Alfa's initiative does not exist.
    beta = client_for(w.admin_beta, w.beta)
    assert beta.get("/api/v1/initiatives/").json() == []
    assert beta.get(f"/api/v1/initiatives/{pk}/").status_code == 404
    anonymous = client_for(None, w.alfa)
    assert anonymous.get("/api/v1/initiatives/").status_code == 401
