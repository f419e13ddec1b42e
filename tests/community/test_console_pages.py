"""The regional console's pages: who may open them, filters, one POST per action, the
merge flow, the lab list, and query counts that do not grow with the number of groups."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import (
    ConsoleEvent,
    DetectionRun,
    Group,
    GroupMember,
    ItemKind,
    LabProposal,
    PlatformTheme,
)
from tests.community.console_factories import make_group
from tests.community.factories import make_item
from tests.conftest import World, client_for

R = "/regional/"


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
        strength=0.82,
        change={"new": True},
    )
    roads = make_group(
        [make_item(w.alfa, title="Vías terciarias"), make_item(w.beta, title="Caminos rurales")],
        name="Caminos rurales",
        strength=0.55,
        pinned=True,
    )
    budget = make_group(
        [
            make_item(w.alfa, kind=ItemKind.RESTRICTION, title="Recorte del presupuesto"),
            make_item(w.beta, kind=ItemKind.RESTRICTION, title="Transferencias retrasadas"),
        ],
        name="Recursos que no llegan",
    )
    return {"water": water, "roads": roads, "budget": budget}


def _text(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


def test_only_the_regional_team_and_platform_admins_open_the_console(w: World, groups: dict[str, Group]) -> None:
    pk = groups["water"].pk
    pages = [R, f"{R}grupos/{pk}/", f"{R}laboratorios/", f"{R}grupos/unir/?grupos={pk}&grupos={groups['roads'].pk}"]
    for url in pages:
        assert client_for(w.regional).get(url).status_code == 200, url
        assert client_for(w.platform_admin).get(url).status_code == 200, url
        for user in (w.admin_alfa, w.mayor_alfa, w.outsider):
            assert client_for(user).get(url).status_code == 404, (url, user)
        anonymous = client_for(None).get(url)
        assert anonymous.status_code == 302 and "/cuenta/entrar/" in anonymous["Location"]
    # Writes too: a member of a municipality cannot rename, and nothing changes.
    response = client_for(w.admin_alfa).post(f"{R}grupos/{pk}/renombrar/", {"name": "X", "version": 1})
    assert response.status_code == 404
    assert Group.objects.get(pk=pk).name == ""
    # The console is a public-domain page: a municipality's domain does not serve it.
    assert client_for(w.regional, w.alfa).get(R).status_code == 404


def test_list_shows_tabs_strength_counts_reasons_and_badges(w: World, groups: dict[str, Group]) -> None:
    DetectionRun.objects.create(item_count=8, group_count=3, duration_ms=1500, summary={"new": 1, "changed": 0})
    page = _text(client_for(w.regional).get(R))
    assert 'Temas comunes <span class="tab-count">(2)</span>' in page
    assert 'Problemas compartidos <span class="tab-count">(1)</span>' in page
    # Pinned first, then by strength; the problem is on the other tab.
    assert page.index("Caminos rurales") < page.index("Agua potable")
    assert "Recursos que no llegan" not in page
    assert "Fuerza 82 % (alta)" in page and "4 miembros" in page and "2 municipios" in page
    assert "términos en común: agua" in page and "metas ODS: 6.1" in page
    assert "★</span> Nuevo" in page and "⚑</span> Fijado" in page
    assert "8 elementos compartidos, 3 grupos." in page and "1 grupos nuevos" in page
    problems = _text(client_for(w.regional).get(R + "?tipo=problem"))
    assert "Recursos que no llegan" in problems and "Agua potable" not in problems


def test_filters(w: World, groups: dict[str, Group]) -> None:
    client = client_for(w.regional)
    theme = PlatformTheme.objects.create(name="Agua y saneamiento")
    first = groups["water"].members.order_by("pk").first()
    assert first is not None
    first.item.platform_themes = [theme.pk]
    first.item.save()

    def names(query: str) -> set[str]:
        page = _text(client.get(R + query))
        return {n for n in ("Agua potable", "Caminos rurales") if f">{n}</a>" in page}

    assert names("?q=agua") == {"Agua potable"}
    assert names("?q=CAMINOS") == {"Caminos rurales"}
    assert names("?ods=6") == {"Agua potable"}
    assert names(f"?tema={theme.pk}") == {"Agua potable"}
    assert names("?fijados=1") == {"Caminos rurales"}
    assert names("?fijados=0") == {"Agua potable"}
    assert names("?estado=new") == {"Agua potable"}
    assert names("?estado=changed") == set()
    # Detection lists all of a new group's members as added: still "new", not "changed".
    Group.objects.filter(pk=groups["water"].pk).update(change={"new": True, "added": ["1:initiative:1"]})
    Group.objects.filter(pk=groups["roads"].pk).update(change={"new": False, "added": [], "removed": ["1:x:2"]})
    assert names("?estado=changed") == {"Caminos rurales"}
    assert names("?estado=new") == {"Agua potable"}
    assert names("?estado=dismissed") == set()
    assert names("?pais=GT") == {"Agua potable", "Caminos rurales"}
    assert names("?pais=PE") == set()
    assert names("?region=boyaca") == {"Agua potable", "Caminos rurales"}  # accents and case ignored
    # A filter that is not valid is shown as an error and ignored, never a 500.
    response = client.get(R + "?ods=99&pais=XX")
    assert response.status_code == 200 and "Algún filtro no es válido" in response.content.decode()


def test_detail_shows_members_reasons_change_and_history(w: World, groups: dict[str, Group]) -> None:
    water = groups["water"]
    withdrawn = make_item(w.beta, title="", withdrawn_at="2024-01-01T00:00Z")
    GroupMember.objects.create(group=water, item=withdrawn)
    added = water.members.order_by("pk").first()
    assert added is not None
    water.change = {"new": False, "added": [added.item.key, withdrawn.key], "removed": []}
    water.save()
    page = _text(client_for(w.regional).get(f"{R}grupos/{water.pk}/"))
    assert "<h1>Agua potable</h1>" in page
    assert "Municipio Alfa</td> <td>Colombia</td> <td>Iniciativa</td>" in page
    assert "4 elementos compartidos, 2 municipios" in page  # the withdrawn one is not counted
    assert "Entraron:" in page and "Municipio Alfa: Agua potable para el barrio Norte" in page
    assert "1 elemento que entró o salió ya no se comparte." in page
    assert withdrawn.key not in page
    # A curated group: detection only says what it would add.
    water.change = {
        "curated": True,
        "would_add": [groups["roads"].members.order_by("pk")[0].item.key],
        "would_remove": [],
    }
    water.curated = True
    water.save()
    page = _text(client_for(w.regional).get(f"{R}grupos/{water.pk}/"))
    assert "la detección no cambia sus miembros. Agregaría:" in page and "Municipio Alfa: Vías terciarias" in page
    for action in ("renombrar", "fijar", "dividir", "proponer-laboratorio", "descartar"):
        assert f"{R}grupos/{water.pk}/{action}/" in page
    assert 'value="Agua potable"' in page  # the proposal's title is prefilled with the name
    assert client_for(w.regional).get(f"{R}grupos/999999/").status_code == 404
    assert client_for(w.regional).get(f"{R}grupos/{'9' * 30}/").status_code == 404


def test_each_action_by_post(w: World, groups: dict[str, Group]) -> None:
    client = client_for(w.regional)
    water, roads = groups["water"], groups["roads"]
    url = f"{R}grupos/{water.pk}/"

    response = client.post(url + "renombrar/", {"name": "Agua para todos", "version": 1}, follow=True)
    assert "El grupo ahora se llama «Agua para todos»." in _text(response)
    response = client.post(url + "fijar/", {"version": 2}, follow=True)
    assert "quedó fijado" in _text(response)
    response = client.post(url + "desfijar/", {"version": 3}, follow=True)
    assert "ya no está fijado" in _text(response)
    response = client.post(
        url + "proponer-laboratorio/", {"title": "Lab del agua", "description": "Con Alfa y Beta", "version": 4}
    )
    assert response.status_code == 302 and response["Location"].startswith(f"{R}laboratorios/#lab-")
    labs = _text(client.get(f"{R}laboratorios/"))
    assert "Lab del agua" in labs and "Pozos comunitarios" in labs and "4 miembros" in labs

    ids = list(water.members.order_by("pk").values_list("item_id", flat=True))
    response = client.post(url + "dividir/", {"item_ids": ids[2:], "name": "Acueductos", "version": 4})
    new = Group.objects.get(name="Acueductos")
    assert response.status_code == 302 and response["Location"] == f"{R}grupos/{new.pk}/"
    response = client.post(url + "descartar/", {"reason": "Muy general", "version": 5}, follow=True)
    assert "Se descartó «Agua para todos»" in _text(response) and "Restaurar el grupo" in _text(response)
    response = client.post(url + "restaurar/", {"version": 6}, follow=True)
    assert "Se restauró «Agua para todos»." in _text(response)

    response = client.post(f"{R}grupos/unir/", {"grupos": [roads.pk, new.pk], "target": roads.pk})
    assert response.status_code == 302 and response["Location"] == f"{R}grupos/{roads.pk}/"
    new.refresh_from_db()
    assert new.merged_into_id == roads.pk and not new.is_active
    assert list(ConsoleEvent.objects.filter(group=water).order_by("pk").values_list("action", flat=True)) == [
        "renamed", "pinned", "unpinned", "lab", "split", "dismissed", "restored",
    ]  # fmt: skip


def test_errors_are_shown_on_their_field(w: World, groups: dict[str, Group]) -> None:
    client = client_for(w.regional)
    water = groups["water"]
    url = f"{R}grupos/{water.pk}/"
    response = client.post(url + "descartar/", {"reason": "", "version": 1})
    assert response.status_code == 400
    assert 'id="dismiss-reason_error"' in response.content.decode()
    ids = list(water.members.order_by("pk").values_list("item_id", flat=True))
    response = client.post(url + "dividir/", {"item_ids": [ids[0], ids[2]], "name": "Solo Alfa", "version": 1})
    assert response.status_code == 400
    assert "un solo municipio" in _text(response) and 'id="split-item_ids_error"' in response.content.decode()
    # Someone else renamed it meanwhile: the page says so above the form.
    client_for(w.platform_admin).post(url + "renombrar/", {"name": "Otro nombre", "version": 1})
    response = client.post(url + "renombrar/", {"name": "Mi nombre", "version": 1})
    assert response.status_code == 400 and "Otra persona guardó cambios" in _text(response)
    assert Group.objects.get(pk=water.pk).name == "Otro nombre"
    # A merge across kinds is refused with the reason.
    response = client.post(
        f"{R}grupos/unir/", {"grupos": [water.pk, groups["budget"].pk], "target": water.pk, "version_1": 2}
    )
    assert response.status_code == 400 and "otro tipo" in _text(response)
    assert Group.objects.get(pk=groups["budget"].pk).is_active


def test_merge_page_lists_the_marked_groups(w: World, groups: dict[str, Group]) -> None:
    client = client_for(w.regional)
    water, roads = groups["water"], groups["roads"]
    page = _text(client.get(f"{R}grupos/unir/?grupos={water.pk}&grupos={roads.pk}"))
    assert "Grupo que se conserva" in page and f'name="version_{water.pk}"' in page
    assert ">Agua potable</a>" in page and ">Caminos rurales</a>" in page
    response = client.get(f"{R}grupos/unir/?grupos={water.pk}")  # one is not enough
    assert response.status_code == 302 and response["Location"] == R


def test_run_detection_button(w: World, groups: dict[str, Group]) -> None:
    response = client_for(w.regional).post(f"{R}deteccion/", follow=True)
    assert response.status_code == 200
    assert "Se pidió una detección" in _text(response)
    assert client_for(w.admin_alfa).post(f"{R}deteccion/").status_code == 404


def test_queries_do_not_grow_with_the_groups(w: World, groups: dict[str, Group]) -> None:
    client = client_for(w.regional)
    Group.objects.filter(pk=groups["roads"].pk).update(reasons={"themes": [1]})  # theme names: one query
    client.get(R)  # warm the session and caches

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    list_before = count(R)
    detail_before = count(f"{R}grupos/{groups['water'].pk}/")
    LabProposal.objects.create(group=groups["water"], kind="theme", title="L", members=[], proposed_by=w.regional)
    for n in range(10):
        items = [make_item(w.alfa, title=f"Item A{n}"), make_item(w.beta, title=f"Item B{n}")]
        make_group(items, name=f"Grupo {n}", reasons={"terms": ["x"], "themes": [n + 1]})
        GroupMember.objects.create(group=groups["water"], item=make_item(w.alfa, title=f"Más {n}"))
        ConsoleEvent.objects.create(group=groups["water"], actor=w.regional, action="pinned")
    assert count(R) == list_before
    assert count(f"{R}grupos/{groups['water'].pk}/") == detail_before
    assert count(f"{R}laboratorios/") <= 8
