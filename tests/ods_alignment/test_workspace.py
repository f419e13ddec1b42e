"""A municipality's SDG alignment in its own workspace (tenant domain): /ods/, the printable
workshop summary /ods/taller/ (and its PDF), and the SDG section of the initiative pages.

The initiatives are real tenant initiatives that reach the community index through the
relay, so the item keys the cases carry are the ones the tenant pages look up."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import IndexItem, ItemKind
from community.relay import relay_municipality
from ods_alignment import selectors_workspace
from ods_alignment.models import AlignmentCase, CaseStatus
from ods_alignment.services import adjudicate, case_publish, proposal_submit
from tenants.db import use_municipality, use_public_schema
from tenants.initiatives import services
from tenants.initiatives.models import ProductKind
from tenants.links import municipality_page_url
from tenants.models import Municipality
from tests.conftest import World, client_for
from tests.ods_alignment.conftest import Team, open_case

INDEX = "/ods/"
WORKSHOP = "/ods/taller/"
WORKSHOP_PDF = "/ods/taller/pdf/"


def text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def shared_initiative(w: World, municipality: Municipality, name: str, *, public: bool = False) -> IndexItem:
    """A priority initiative written through the tenant's services (shared by default) and
    relayed to the community index; returns its index row (source_id = the tenant's id)."""
    use_municipality(municipality)
    manager = w.manager_alfa if municipality == w.alfa else w.admin_beta
    start = date.today() - timedelta(days=10)
    initiative = services.initiative_save(
        actor=None,
        data={
            "name": name, "objective": f"Objetivo de {name}.", "product_kind": ProductKind.PUBLIC_WORK,
            "manager_id": manager.pk, "start_date": start, "target_date": start + timedelta(days=120),
            "is_public": public,
        },
    )  # fmt: skip
    services.milestone_save(
        actor=None,
        initiative=initiative,
        data={"name": "Diseño", "due_date": start + timedelta(days=60), "responsible_id": manager.pk},
    )
    if public:  # a draft is never public: closing the programming makes it "programmed"
        services.programming_close(actor=None, initiative=initiative)
    relay_municipality(municipality.schema_name)
    use_public_schema()
    return IndexItem.objects.get(municipality=municipality, kind=ItemKind.INITIATIVE, source_id=initiative.pk)


def publish(
    team: Team,
    item: IndexItem,
    goals: Mapping[int, str],
    targets: Mapping[str, str] | Sequence[str] = (),
    *,
    other_goals: Mapping[int, str] | None = None,
    reason: str = "",
    justification: str = "Justificación de Ana.",
) -> AlignmentCase:
    """Two specialists propose (the same goals: agreed; others: disputed and adjudicated by
    the lead with `goals`), then the lead publishes."""
    case = open_case(team, item)
    proposal_submit(actor=team.ana, case=case, goals=goals, targets=targets, justification=justification)
    proposal_submit(
        actor=team.ben,
        case=case,
        goals=other_goals or goals,
        targets=targets if other_goals is None else (),
        justification="Justificación de Ben.",
        evidence_url="https://evidencia.test/informe-ben",
    )
    case.refresh_from_db()
    if case.status == CaseStatus.DISPUTED:
        case = adjudicate(actor=team.lead, case=case, goals=goals, targets=targets, reason=reason)
    return case_publish(actor=team.lead, case=case)


# --- /ods/ ---------------------------------------------------------------------------------


def test_members_see_their_own_published_alignment_and_never_another_municipalitys(team: Team) -> None:
    w = team.w
    water = shared_initiative(w, w.alfa, "Acueducto veredal de Alfa")
    climate = shared_initiative(w, w.beta, "Plan climático de Beta")
    publish(team, water, {6: "direct", 3: "indirect"}, {"6.1": "direct", "3.9": "indirect"})
    publish(team, climate, {13: "direct"}, {"13.1": "direct"}, justification="Beta adapta sus barrios al clima.")

    page = text(client_for(w.manager_alfa, w.alfa).get(INDEX))
    assert "Alineación ODS de sus iniciativas" in page
    assert "Acueducto veredal de Alfa" in page
    assert f'href="/iniciativas/{water.source_id}/"' in page
    assert "ODS 6 · Agua Limpia y Saneamiento" in page and "ODS 3 · Salud y Bienestar" in page
    assert "<strong>6.1</strong> (directa)" in page and "<strong>3.9</strong> (indirecta)" in page
    assert "Acordada el" in page and "coincidieron de forma independiente" in page
    assert "Justificación de Ana." in page and "Justificación de Ben." in page
    # Beta's initiative, goal and justification never appear on Alfa's page.
    for absent in ("Plan climático de Beta", "ODS 13", "13.1", "Beta adapta sus barrios"):
        assert absent not in page, absent
    # Counts per goal: one initiative each, direct for goal 6 only.
    counts = re.search(r'<table class="sdg-counts">.*?</table>', page)
    assert counts is not None
    assert re.search(r"ODS 6 · Agua Limpia y Saneamiento.*?</th><td>1</td><td>1</td>", counts.group(0))
    assert re.search(r"ODS 3 · Salud y Bienestar.*?</th><td>1</td><td>0</td>", counts.group(0))
    # Read-only: no form of any kind in the page's content.
    main = page.split('<main id="main"', 1)[1]
    assert "<form" not in main and "<input" not in main and "<textarea" not in main
    # The method is explained on the public domain, by an absolute link.
    assert 'href="http://localhost/ods/metodo/"' in page

    # Beta's page (in English, its default language) shows Beta's and nothing of Alfa's.
    beta_page = text(client_for(w.admin_beta, w.beta).get(INDEX))
    assert "Plan climático de Beta" in beta_page and "<strong>13.1</strong>" in beta_page
    assert "Beta adapta sus barrios" in beta_page
    for absent in ("Acueducto veredal de Alfa", "<strong>6.1</strong>", "Justificación de Ana."):
        assert absent not in beta_page, absent


def test_a_case_in_progress_shows_its_status_but_nothing_of_the_proposals(team: Team) -> None:
    w = team.w
    blind = shared_initiative(w, w.alfa, "Mercado campesino")
    agreed = shared_initiative(w, w.alfa, "Parque lineal")
    shared_initiative(w, w.alfa, "Casa de la cultura")  # shared, no case yet
    case = open_case(team, blind)
    proposal_submit(actor=team.ana, case=case, goals={2: "direct"}, justification="PROPUESTA-SECRETA de Ana")
    done = open_case(team, agreed)
    for who in (team.ana, team.ben):
        proposal_submit(actor=who, case=done, goals={11: "direct"}, justification="ACUERDO-SIN-PUBLICAR")
    done.refresh_from_db()
    assert done.status == CaseStatus.AGREED

    page = text(client_for(w.mayor_alfa, w.alfa).get(INDEX))
    in_alignment = page.split('id="en-alineacion"', 1)[1].split('id="sin-alinear"', 1)[0]
    assert "Mercado campesino" in in_alignment and "preparan sus propuestas independientes" in in_alignment
    assert "Parque lineal" in in_alignment and "falta publicar el resultado" in in_alignment
    unaligned = page.split('id="sin-alinear"', 1)[1]
    assert "Casa de la cultura" in unaligned
    for secret in ("PROPUESTA-SECRETA", "ACUERDO-SIN-PUBLICAR", "ODS 2 ", "ODS 11 "):
        assert secret not in page, secret
    assert "Todavía no hay alineaciones publicadas." in page


def test_an_adjudicated_alignment_says_so_with_the_leads_reason(team: Team) -> None:
    w = team.w
    item = shared_initiative(w, w.alfa, "Vía terciaria a El Rosal")
    publish(
        team, item, {9: "direct"}, {"9.1": "direct"}, other_goals={11: "direct"},
        reason="La obra es infraestructura vial rural: ODS 9.",
    )  # fmt: skip
    page = text(client_for(w.manager_alfa, w.alfa).get(INDEX))
    assert "Adjudicada el" in page and "persona especialista líder" in page
    assert "La obra es infraestructura vial rural: ODS 9." in page
    assert "ODS 9 · Industria, Innovación e Infraestructura" in page
    # The dissenting proposal is told as such, but its goal is not published.
    assert "Propuso: ODS 11." in page and "Propuso: ODS 9." in page
    assert "ODS 11 ·" not in page


def test_only_members_reach_the_workspace_pages(team: Team) -> None:
    w = team.w
    publish(team, shared_initiative(w, w.alfa, "Acueducto veredal de Alfa"), {6: "direct"})
    for url in (INDEX, WORKSHOP, WORKSHOP_PDF):
        assert client_for(w.editor_alfa, w.alfa).get(url).status_code == 200, url
        # Another municipality's staff, an SDG specialist and the regional team are not
        # members of Alfa: 404 as for every workspace page.
        for outsider in (w.admin_beta, team.ana, w.regional):
            assert client_for(outsider, w.alfa).get(url).status_code == 404, (url, outsider)
        anonymous = client_for(None, w.alfa).get(url)
        assert anonymous.status_code == 302 and "/cuenta/entrar/" in anonymous["Location"]


def test_the_index_page_reads_a_fixed_number_of_queries(team: Team) -> None:
    w = team.w
    publish(team, shared_initiative(w, w.alfa, "Iniciativa 1"), {6: "direct"}, {"6.1": "direct"})
    open_case(team, shared_initiative(w, w.alfa, "Iniciativa 2"))
    client = client_for(w.manager_alfa, w.alfa)

    def count(url: str) -> int:
        client.get(url)  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = {url: count(url) for url in (INDEX, WORKSHOP)}
    for n in range(3, 6):
        publish(team, shared_initiative(w, w.alfa, f"Iniciativa {n}"), {n: "direct", 17: "indirect"}, [f"{n}.1"])
    open_case(team, shared_initiative(w, w.alfa, "Iniciativa 6"))
    shared_initiative(w, w.alfa, "Iniciativa 7")
    big = {url: count(url) for url in (INDEX, WORKSHOP)}
    assert big == small, (small, big)


# --- The workshop summary in the workspace ----------------------------------------------------


def test_the_workshop_summary_is_printable_with_goals_and_justifications(team: Team) -> None:
    w = team.w
    water = shared_initiative(w, w.alfa, "Acueducto veredal de Alfa", public=True)
    road = shared_initiative(w, w.alfa, "Vía terciaria a El Rosal")
    shared_initiative(w, w.alfa, "Casa de la cultura")
    publish(
        team, water, {6: "direct", 3: "indirect"}, {"6.1": "direct"}, justification="Agua segura para 300 familias."
    )
    publish(
        team, road, {9: "direct"}, {"9.1": "direct"}, other_goals={11: "indirect"}, reason="Es infraestructura rural."
    )  # fmt: skip
    publish(team, shared_initiative(w, w.beta, "Plan climático de Beta"), {13: "direct"})

    page = text(client_for(w.followup_alfa, w.alfa).get(WORKSHOP))
    assert "<h1>Taller de alineación ODS — Municipio Alfa</h1>" in page
    assert "Fecha:" in page and '<time datetime="' in page
    assert "/static/css/sdg-print.css" in page
    # One section per goal present, in order, each with its comments box.
    goals = re.findall(r'<section class="workshop-goal" id="ods-(\d+)"', page)
    assert goals == ["3", "6", "9"]
    assert page.count("Comentarios del taller") == 4  # three goals and the closing section
    goal6 = page.split('id="ods-6"', 1)[1].split('<section class="workshop-goal"', 1)[0]
    assert "Acueducto veredal de Alfa" in goal6 and "<strong>6.1</strong> (directa)" in goal6
    assert "Agua segura para 300 familias." in goal6 and "Justificación de Ben." in goal6
    assert "https://evidencia.test/informe-ben" in goal6
    assert municipality_page_url("alfa", f"/publico/iniciativas/{water.source_id}/") in goal6  # printed address
    goal9 = page.split('id="ods-9"', 1)[1].split('<section class="workshop-goal"', 1)[0]
    assert "Adjudicada el" in goal9 and "Es infraestructura rural." in goal9
    pending = page.split('id="sin-alineacion"', 1)[1]
    assert "Casa de la cultura" in pending
    # The workspace copy links its own initiative pages.
    assert f'<a href="/iniciativas/{road.source_id}/">Vía terciaria a El Rosal</a>' in page
    assert "Plan climático de Beta" not in page and "ODS 13" not in page
    assert 'href="/ods/taller/pdf/"' in page and "Descargar PDF" in page


def test_the_print_stylesheet_hides_the_navigation_and_breaks_pages_between_goals() -> None:
    from django.contrib.staticfiles import finders

    path = finders.find("css/sdg-print.css")
    assert path, "the print stylesheet is served as a static file"
    with open(path, encoding="utf-8") as handle:
        css = handle.read()
    print_rules = css.split("@media print", 1)[1]
    hidden = re.search(r"\{\s*([^{}]+)\{ display: none !important; \}", print_rules)
    assert hidden is not None
    for selector in (".site-header", ".main-nav", ".site-footer", ".skip-link", ".no-print"):
        assert selector in hidden.group(1), selector
    assert re.search(r"\.workshop-goal \{[^}]*break-before: page", print_rules)
    assert 'a[href^="http"]::after { content: " (" attr(href) ")"' in print_rules
    assert "color: #000" in print_rules


def test_the_workshop_pdf_names_the_municipality(team: Team) -> None:
    w = team.w
    publish(team, shared_initiative(w, w.alfa, "Acueducto veredal de Alfa"), {6: "direct"}, {"6.1": "direct"})
    response = client_for(w.manager_alfa, w.alfa).get(WORKSHOP_PDF)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    assert b"Municipio Alfa" in body  # the document's author (uncompressed metadata)
    assert 'filename="taller-ods-alfa-' in response["Content-Disposition"]


# --- The initiative pages -------------------------------------------------------------------


def test_the_initiative_page_shows_its_alignment_state(team: Team) -> None:
    w = team.w
    water = shared_initiative(w, w.alfa, "Acueducto veredal de Alfa")
    market = shared_initiative(w, w.alfa, "Mercado campesino")
    park = shared_initiative(w, w.alfa, "Parque lineal")
    publish(team, water, {6: "direct"}, {"6.1": "direct", "6.b": "indirect"})
    case = open_case(team, market)
    proposal_submit(actor=team.ana, case=case, goals={2: "direct"}, justification="PROPUESTA-SECRETA")
    client = client_for(w.manager_alfa, w.alfa)

    page = text(client.get(f"/iniciativas/{water.source_id}/"))
    section = page.split('id="ods"', 1)[1].split("</section>", 1)[0]
    assert "Alineación ODS" in section and "ODS 6 · Agua Limpia y Saneamiento" in section
    assert "<strong>6.1</strong> (directa)" in section and "<strong>6.b</strong> (indirecta)" in section
    assert 'href="/ods/"' in section

    page = text(client.get(f"/iniciativas/{market.source_id}/"))
    section = page.split('id="ods"', 1)[1].split("</section>", 1)[0]
    assert "En alineación:" in section and "preparan sus propuestas" in section
    assert "PROPUESTA-SECRETA" not in page and "ODS 2 " not in page

    page = text(client.get(f"/iniciativas/{park.source_id}/"))
    assert "Sin alinear." in page.split('id="ods"', 1)[1]


def test_the_public_initiative_page_shows_published_goals_and_targets_only(team: Team) -> None:
    w = team.w
    water = shared_initiative(w, w.alfa, "Acueducto veredal de Alfa", public=True)
    pending = shared_initiative(w, w.alfa, "Mercado campesino", public=True)
    publish(team, water, {6: "direct"}, {"6.1": "direct"}, justification="TEXTO-DE-LA-ESPECIALISTA")
    open_case(team, pending)
    client = client_for(None, w.alfa)

    page = text(client.get(f"/publico/iniciativas/{water.source_id}/"))
    section = page.split('id="ods"', 1)[1].split("</section>", 1)[0]
    assert "ODS 6 · Agua Limpia y Saneamiento" in section and "<strong>6.1</strong> (directa)" in section
    # Goals and targets only: not the justifications, not the workflow, no workspace link.
    for absent in ("TEXTO-DE-LA-ESPECIALISTA", "Justificación de Ben.", "Acordada el", 'href="/ods/"'):
        assert absent not in page, absent

    page = text(client.get(f"/publico/iniciativas/{pending.source_id}/"))
    assert 'id="ods"' not in page and "En alineación" not in page


def test_the_selector_keys_alignments_by_the_tenant_initiative(team: Team) -> None:
    w = team.w
    water = shared_initiative(w, w.alfa, "Acueducto veredal de Alfa")
    climate = shared_initiative(w, w.beta, "Plan climático de Beta")
    publish(team, water, {6: "direct"}, {"6.1": "indirect"})
    publish(team, climate, {13: "direct"})
    published = selectors_workspace.published_for_municipality(w.alfa.pk)
    assert list(published) == [water.source_id]
    summary = published[water.source_id]
    assert summary.goal_numbers == [6] and summary.target_codes == ["6.1"]
    assert summary.goals[0].targets[0].contribution == "indirect"
    assert selectors_workspace.for_initiative(w.alfa.pk, climate.source_id) is None
    assert selectors_workspace.published_for_initiative(w.beta.pk, climate.source_id) is not None
