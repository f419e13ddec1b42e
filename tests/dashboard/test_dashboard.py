"""The municipal dashboard: every number equals the filtered list it links to (computed with
the same selectors), each role sees its own order and its own ARO level, private activities
stay private, and one municipality's data never shows in another's."""

from __future__ import annotations

from html import unescape

import pytest

from tenants.dashboard import selectors
from tenants.dashboard.selectors import Dashboard, Figure
from tenants.db import local_today, use_municipality, use_public_schema
from tenants.initiatives.rules import Light
from tests.conftest import World, client_for
from tests.dashboard.conftest import fill, page_rows


def figures(board: Dashboard) -> dict[str, Figure]:
    """Every number on the dashboard, by a readable name."""
    found: dict[str, Figure] = {
        "portfolio": board.portfolio.total,
        "stale": board.portfolio.stale,
        "agenda today": board.agenda_today,
        "agenda week": board.agenda_week,
        "tasks overdue": board.tasks_overdue,
        "tasks soon": board.tasks_soon,
        "requests late": board.requests_late,
        "communication planned": board.communication_planned,
        "communication published": board.communication_published,
    }
    for f in board.portfolio.lights:
        found[f"light {f.light.name}"] = f
    if board.mine is not None:
        found["mine"] = board.mine.total
        found["mine stale"] = board.mine.stale
        for f in board.mine.lights:
            found[f"mine light {f.light.name}"] = f
    for f in board.levels:
        found[f"level {f.level}{' mine' if f.mine_only else ''}"] = f
    return found


def board_of(w: World, user: object) -> Dashboard:
    use_municipality(w.alfa)
    board = selectors.dashboard(user, local_today())  # type: ignore[arg-type]
    use_public_schema()
    return board


@pytest.mark.parametrize("who", ["mayor_alfa", "manager_alfa", "followup_alfa", "editor_alfa", "admin_alfa"])
def test_every_number_equals_the_rows_of_the_list_it_links_to(in_alfa: World, who: str) -> None:
    w = in_alfa
    fill(w)
    user = getattr(w, who)
    board = board_of(w, user)
    client = client_for(user, w.alfa)
    html = unescape(client.get("/").content.decode())
    for name, figure in figures(board).items():
        response = client.get(figure.url)
        assert response.status_code == 200, (name, figure.url)
        assert page_rows(response) == figure.count, (who, name, figure.url)
        assert f'href="{figure.url}"' in html, (who, name, figure.url)  # the number links to it
    # The data gives something to count in every block (the test is not vacuous).
    nonzero = {n for n, f in figures(board).items() if f.count}
    assert {"portfolio", "stale", "agenda today", "tasks overdue", "tasks soon", "requests late"} <= nonzero
    assert {"communication planned", "communication published"} <= nonzero
    assert any(f.count for f in board.levels) or who == "editor_alfa"


def test_the_figures_are_what_was_made(in_alfa: World) -> None:
    w = in_alfa
    made = fill(w, 0, 3)
    board = board_of(w, w.mayor_alfa)
    assert board.portfolio.total.count == 3
    assert sum(f.count for f in board.portfolio.lights) == 3
    assert board.portfolio.stale.count == 1  # the one without reports
    assert [s.initiative.name for s in board.portfolio.stale.rows] == ["Iniciativa del tablero 00"]
    assert board.portfolio.thermometer is not None
    # The worst first: lights never improve down the list.
    lights = [int(s.light) for s in board.portfolio.worst]
    assert lights == sorted(lights, reverse=True)
    assert board.agenda_today.count == 6  # the mayor sees the private ones too
    assert board.tasks_overdue.count == 3 and board.tasks_soon.count == 3
    assert board.requests_late.count == 3
    assert board.communication_published.count == 3  # not the one published a month ago
    assert board.communication_planned.count == 6
    assert [(f.level, f.count) for f in board.levels] == [(3, 3)]
    assert sorted(s.initiative.pk for s in board.states) == sorted(i.pk for i in made.initiatives)


def test_each_role_sees_its_order_and_its_level(in_alfa: World) -> None:
    w = in_alfa
    fill(w, 0, 4)
    mayor = board_of(w, w.mayor_alfa)
    assert mayor.order[0] == "decisions" and "mine" not in mayor.order
    assert [(f.level, f.mine_only) for f in mayor.levels] == [(3, False)]
    assert all(aro.level == 3 for aro, _state in mayor.queue)

    manager = board_of(w, w.manager_alfa)
    assert manager.order[:2] == ["mine", "decisions"]
    assert [(f.level, f.mine_only) for f in manager.levels] == [(1, True)]
    # Level 1 of their own initiatives only: two of the four are managed by someone else.
    assert manager.levels[0].count == 2
    assert manager.mine is not None and manager.mine.total.count == 2
    assert all(s.initiative.manager_id == w.manager_alfa.pk for s in manager.mine.worst)
    assert {aro.initiative.manager_id for aro, _state in manager.queue} == {w.manager_alfa.pk}

    followup = board_of(w, w.followup_alfa)
    assert followup.order[0] == "decisions"
    assert [f.level for f in followup.levels] == [2]

    editor = board_of(w, w.editor_alfa)
    assert editor.order[0] == "communications" and "decisions" not in editor.order and editor.levels == []

    admin = board_of(w, w.admin_alfa)
    assert admin.order[0] == "portfolio"
    assert [(f.level, f.count) for f in admin.levels] == [(3, 4), (2, 4), (1, 4)]

    pages = {
        who: client_for(getattr(w, who), w.alfa).get("/tablero/").content.decode()
        for who in ("mayor_alfa", "manager_alfa", "editor_alfa")
    }
    assert "en el nivel 3: despacho del titular" in pages["mayor_alfa"]
    assert "en el nivel 1 de sus iniciativas" in pages["manager_alfa"]
    assert "ARO que esperan decisión" not in pages["editor_alfa"]
    editor_html = pages["editor_alfa"]
    assert editor_html.index('id="tablero-comunicacion"') < editor_html.index('id="tablero-iniciativas"')
    manager_html = pages["manager_alfa"]
    assert manager_html.index('id="tablero-mis-iniciativas"') < manager_html.index('id="tablero-iniciativas"')


def test_private_activities_of_the_mayor_are_not_counted_for_those_who_cannot_see_them(in_alfa: World) -> None:
    w = in_alfa
    made = fill(w, 0, 2)
    assert made.private_today is not None
    title = made.private_today.title
    mayor = board_of(w, w.mayor_alfa)
    editor = board_of(w, w.editor_alfa)
    assert mayor.agenda_today.count == 4 and editor.agenda_today.count == 2
    assert mayor.agenda_week.count - editor.agenda_week.count == 2
    assert title in client_for(w.mayor_alfa, w.alfa).get("/").content.decode()
    for page in ("/", "/tablero/"):
        assert title not in client_for(w.editor_alfa, w.alfa).get(page).content.decode()


def test_traffic_lights_carry_an_icon_and_a_label(in_alfa: World) -> None:
    w = in_alfa
    fill(w, 0, 2)
    html = client_for(w.mayor_alfa, w.alfa).get("/tablero/").content.decode()
    for light in (Light.LATE, Light.AT_RISK, Light.ON_TIME, Light.DONE, Light.NONE):
        assert f'<span aria-hidden="true">{light.icon}</span> {light.label}' in html, light


def test_the_home_keeps_roles_and_recent_activity_below_the_dashboard(in_alfa: World) -> None:
    w = in_alfa
    fill(w, 0, 1)
    html = client_for(w.mayor_alfa, w.alfa).get("/").content.decode()
    assert "Espacio de trabajo de Municipio Alfa" in html and "Titular (alcalde o alcaldesa)" in html
    assert html.index('class="dash-grid"') < html.index('id="activity-title"')
    assert 'href="/tablero/"' in html


def test_two_tenants_are_isolated(in_alfa: World) -> None:
    w = in_alfa
    fill(w, 0, 2)
    use_public_schema()
    # Beta's user is no member of Alfa: 404, like a page that does not exist.
    assert client_for(w.admin_beta, w.alfa).get("/tablero/").status_code == 404
    assert client_for(w.admin_beta, w.alfa).get("/").status_code == 404
    assert client_for(w.outsider, w.alfa).get("/tablero/").status_code == 404
    # Alfa's data never shows on Beta's dashboard.
    for page in ("/", "/tablero/"):
        response = client_for(w.admin_beta, w.beta).get(page)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Iniciativa del tablero" not in html and "Reunión pública" not in html
        assert "Tarea vencida" not in html and "Solicitud olvidada" not in html
    use_municipality(w.beta)
    beta = selectors.dashboard(w.admin_beta, local_today())
    use_public_schema()
    assert beta.portfolio.total.count == 0 and beta.agenda_week.count == 0 and beta.tasks_overdue.count == 0
    assert sum(f.count for f in beta.levels) == 0 and beta.communication_planned.count == 0


def test_anonymous_visitors_are_sent_to_log_in(w: World) -> None:
    response = client_for(None, w.alfa).get("/tablero/")
    assert response.status_code in (302, 404)


def test_the_list_filters_the_dashboard_added_show_exactly_those_items(in_alfa: World) -> None:
    w = in_alfa
    fill(w, 0, 3)
    board = board_of(w, w.mayor_alfa)
    client = client_for(w.mayor_alfa, w.alfa)

    def titles(url: str) -> str:
        return client.get(url).content.decode()

    soon = titles(board.tasks_soon.url)
    assert "Tarea que vence pronto 0" in soon and "Tarea vencida 0" not in soon and "Más tarde 0" not in soon
    late = titles(board.requests_late.url)
    assert "Solicitud olvidada 1" in late and "Solicitud reciente 1" not in late
    stale = titles(board.portfolio.stale.url)
    assert "Iniciativa del tablero 00" in stale and "Iniciativa del tablero 01" not in stale
    published = client.get(board.communication_published.url)
    assert page_rows(published) == 3 and all(a.published_at is not None for a in published.context["page"])
    mine_level = client_for(w.manager_alfa, w.alfa).get(f"/iniciativas/nivel/1/?gerente={w.manager_alfa.pk}")
    assert {aro.initiative.manager_id for aro, _state in mine_level.context["queue"]} == {w.manager_alfa.pk}
    assert "Asunto de nivel 1 número 0" in mine_level.content.decode()
    assert "Asunto de nivel 1 número 1" not in mine_level.content.decode()  # managed by someone else


def test_pieces_waiting_for_approval_reach_the_approvers(in_alfa: World) -> None:
    """The mayor learns there is something to approve without being told: the number on
    the dashboard, the list it links to, and the brief agree; an approval clears it."""
    from tenants.communications import services as communications_services
    from tenants.dashboard import brief as brief_module
    from tests.communications.conftest import make_action

    w = in_alfa
    action = make_action(w)
    piece = communications_services.piece_save(
        actor=w.editor_alfa, action=action, data={"kind": "web_news", "title": "Agua", "body": "Texto."}
    )
    today = local_today()
    mayor = selectors.dashboard(w.mayor_alfa, today)
    assert mayor.can_approve and mayor.communication_to_approve.count == 1
    assert not selectors.dashboard(w.editor_alfa, today).can_approve
    assert brief_module.weekly_brief(user=w.mayor_alfa, today=today).to_approve_count == 1
    use_public_schema()
    client = client_for(w.mayor_alfa, w.alfa)
    listed = client.get(mayor.communication_to_approve.url)
    assert listed.status_code == 200 and page_rows(listed) == 1
    assert "pieza espera su aprobación" in unescape(client.get("/").content.decode())
    use_municipality(w.alfa)
    communications_services.piece_approve(actor=w.mayor_alfa, piece=piece, version=piece.version)
    assert selectors.dashboard(w.mayor_alfa, today).communication_to_approve.count == 0
