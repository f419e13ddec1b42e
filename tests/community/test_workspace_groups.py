"""A municipality's view of its groups (tenant domain, /comunidad/): only groups holding its
own live items, only what the other municipalities share, and two-tenant isolation."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Group, GroupMember, ItemKind
from community.selectors_groups import groups_of_municipality
from tests.community.console_factories import bare_municipality, make_group
from tests.community.factories import make_item
from tests.conftest import World, client_for

URL = "/comunidad/"


def _text(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


@pytest.fixture
def shared(w: World) -> dict[str, object]:
    alfa_water = make_item(w.alfa, title="Agua potable para el barrio Norte", source_id=41)
    beta_water = make_item(w.beta, title="Agua potable rural", light=3)
    beta_withdrawn = make_item(w.beta, title="", text="", withdrawn_at="2024-01-01T00:00Z")
    asleep = bare_municipality("dormido", active=False, name="Municipio Dormido")
    water = make_group([alfa_water, beta_water, beta_withdrawn, make_item(asleep, title="Pozo dormido")], name="Agua")
    restriction = make_item(
        w.alfa, kind=ItemKind.RESTRICTION, title="Sin presupuesto para tuberías", source_id=7, initiative_source_id=41
    )
    problem = make_group(
        [restriction, make_item(w.beta, kind=ItemKind.RESTRICTION, title="Transferencias retrasadas")],
        name="Recursos que no llegan",
    )
    # Groups Alfa is not in, or that the team put aside: never on Alfa's page.
    # (A group shows only while another active municipality shares something in it.)
    third = bare_municipality("tercero", name="Municipio Tercero")
    beta_only = make_group(
        [make_item(w.beta, title="Ferias de Beta"), make_item(asleep), make_item(third, title="Ferias del tercero")],
        name="Solo de Beta",
    )
    dismissed = make_group([make_item(w.alfa), make_item(w.beta)], name="Descartado")
    Group.objects.filter(pk=dismissed.pk).update(dismissed_at="2024-01-02T00:00Z")
    merged = make_group([make_item(w.alfa), make_item(w.beta)], name="Unido a otro", is_active=False)
    # Alfa's item in this group is withdrawn: Alfa is no longer in it.
    gone = make_group(
        [make_item(w.alfa, withdrawn_at="2024-01-01T00:00Z"), make_item(w.beta, title="Mercado de Beta")],
        name="Ya no compartido",
    )
    return {"water": water, "problem": problem, "beta_only": beta_only, "merged": merged, "gone": gone}


def test_members_see_their_groups_with_what_others_share(w: World, shared: dict[str, object]) -> None:
    page = _text(client_for(w.manager_alfa, w.alfa).get(URL))
    assert "solo lo que cada municipio eligió compartir" in page
    assert "<h2>Agua</h2>" in page and "<h2>Recursos que no llegan</h2>" in page
    for absent in ("Solo de Beta", "Descartado", "Unido a otro", "Ya no compartido", "Municipio Dormido", "Pozo"):
        assert absent not in page, absent
    assert "Comparten este grupo: Municipio Beta" in page
    assert '<td>Municipio Beta</td><td>Guatemala</td><td>Iniciativa</td><th scope="row">Agua potable rural</th>' in page
    assert "En riesgo" in page  # Beta's light, in words
    # Own items link to their pages in the workspace.
    assert f'href="{reverse("initiatives:detail", urlconf="sigobito_platform.urls_tenant", args=[41])}"' in page
    aro = reverse("initiatives:aro", urlconf="sigobito_platform.urls_tenant", args=[41, 7])
    assert f'href="{aro}"' in page


def test_two_tenant_isolation(w: World, shared: dict[str, object]) -> None:
    alfa_only = make_group([make_item(w.alfa, title="Huertas de Alfa"), make_item(w.alfa, title="Semillas")])
    beta_page = _text(client_for(w.admin_beta, w.beta).get(URL))
    assert "Solo de Beta" in beta_page and "Agua" in beta_page
    assert alfa_only.display_name not in beta_page and "Huertas de Alfa" not in beta_page
    alfa_page = _text(client_for(w.admin_alfa, w.alfa).get(URL))
    assert "Mercado de Beta" not in alfa_page and "Ferias de Beta" not in alfa_page
    # A withdrawn Beta item in an Alfa group never shows, not even as an empty row.
    assert alfa_page.count("Municipio Beta</td>") == 2
    # Non-members get a 404, anonymous visitors the login page.
    assert client_for(w.admin_beta, w.alfa).get(URL).status_code == 404
    assert client_for(w.regional, w.alfa).get(URL).status_code == 404
    assert client_for(w.outsider, w.alfa).get(URL).status_code == 404
    anonymous = client_for(None, w.alfa).get(URL)
    assert anonymous.status_code == 302 and "/cuenta/entrar/" in anonymous["Location"]


def test_a_group_whose_others_all_withdrew_is_no_longer_shown(w: World) -> None:
    lonely = make_group(
        [make_item(w.alfa, title="Huerta escolar"), make_item(w.beta, withdrawn_at="2024-01-01T00:00Z")]
    )
    page = _text(client_for(w.admin_alfa, w.alfa).get(URL))
    assert lonely.display_name not in page and "Huerta escolar" not in page


def test_no_groups_yet(w: World) -> None:
    page = _text(client_for(w.admin_alfa, w.alfa).get(URL))
    assert "Todavía ninguna de sus iniciativas o restricciones compartidas forma parte de un grupo." in page


def test_queries_do_not_grow_with_the_groups(w: World, shared: dict[str, object]) -> None:
    with CaptureQueriesContext(connection) as before:
        rows = groups_of_municipality(w.alfa)
    assert len(rows) == 2
    for n in range(8):
        group = make_group([make_item(w.alfa, title=f"A{n}"), make_item(w.beta, title=f"B{n}")])
        GroupMember.objects.create(group=group, item=make_item(w.beta, title=f"C{n}"))
    with CaptureQueriesContext(connection) as after:
        rows = groups_of_municipality(w.alfa)
    assert len(rows) == 10
    assert len(after.captured_queries) == len(before.captured_queries) == 2
