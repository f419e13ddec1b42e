"""The workshop summary on the public domain (/ods/taller/<slug>/, its PDF, and the list of
municipalities at /ods/taller/): for the regional team and the SDG specialists only, built
from the community index and the published alignments (never a municipality's tables), and
ready for print."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import IndexItem
from ods_alignment.services import proposal_submit
from tenants.db import use_municipality, use_public_schema
from tenants.initiatives import services
from tenants.initiatives.models import Initiative
from tenants.links import municipality_page_url
from tests.community.console_factories import bare_municipality
from tests.community.factories import make_item
from tests.conftest import client_for
from tests.ods_alignment.conftest import Team, open_case
from tests.ods_alignment.test_workspace import publish, shared_initiative, text

URL = "/ods/taller/alfa/"
PDF = "/ods/taller/alfa/pdf/"
LIST = "/ods/taller/"


def _alfa_and_beta(team: Team) -> dict[str, IndexItem]:
    w = team.w
    water = shared_initiative(w, w.alfa, "Acueducto veredal de Alfa", public=True)
    road = shared_initiative(w, w.alfa, "Vía terciaria a El Rosal")
    market = shared_initiative(w, w.alfa, "Mercado campesino")
    climate = shared_initiative(w, w.beta, "Plan climático de Beta")
    publish(team, water, {6: "direct"}, {"6.1": "direct"}, justification="Agua segura para 300 familias.")
    publish(
        team, road, {9: "direct"}, {"9.1": "direct"}, other_goals={11: "indirect"}, reason="Es infraestructura rural."
    )  # fmt: skip
    publish(team, climate, {13: "direct"}, {"13.1": "direct"}, justification="Beta adapta sus barrios al clima.")
    case = open_case(team, market)
    proposal_submit(actor=team.ana, case=case, goals={2: "direct"}, justification="PROPUESTA-SECRETA")
    return {"water": water, "road": road, "market": market, "climate": climate}


def test_who_may_see_the_workshop_summary(team: Team) -> None:
    w = team.w
    _alfa_and_beta(team)
    for url in (URL, PDF, LIST):
        # SDG specialists and the regional team (and platform administrators) may.
        for user in (team.ana, team.lead, w.regional, w.platform_admin):
            assert client_for(user).get(url).status_code == 200, (url, user)
        # Municipal staff (even Alfa's own mayor, who has the workspace copy) and other
        # accounts: as if the page did not exist.
        for user in (w.mayor_alfa, w.admin_beta, w.outsider):
            assert client_for(user).get(url).status_code == 404, (url, user)
        anonymous = client_for(None).get(url)
        assert anonymous.status_code == 302 and "/cuenta/entrar/" in anonymous["Location"], url
    # Unknown, deactivated: 404 alike.
    bare_municipality("dormido", active=False)
    for slug in ("no-existe", "dormido"):
        for suffix in ("", "pdf/"):
            assert client_for(team.ana).get(f"/ods/taller/{slug}/{suffix}").status_code == 404, slug


def test_the_summary_shows_goals_justifications_and_what_is_pending(team: Team) -> None:
    items = _alfa_and_beta(team)
    page = text(client_for(team.cai).get(URL))
    assert "<h1>Taller de alineación ODS — Municipio Alfa</h1>" in page
    assert "Fecha:" in page and "/static/css/sdg-print.css" in page
    assert re.findall(r'<section class="workshop-goal" id="ods-(\d+)"', page) == ["6", "9"]
    goal6 = page.split('id="ods-6"', 1)[1].split('<section class="workshop-goal"', 1)[0]
    assert "Acueducto veredal de Alfa" in goal6 and "<strong>6.1</strong> (directa)" in goal6
    assert "Agua segura para 300 familias." in goal6 and "Acordada el" in goal6
    assert municipality_page_url("alfa", f"/publico/iniciativas/{items['water'].source_id}/") in goal6
    goal9 = page.split('id="ods-9"', 1)[1].split('<section class="workshop-goal"', 1)[0]
    assert "Adjudicada el" in goal9 and "Es infraestructura rural." in goal9 and "Propuso: ODS 11." in goal9
    pending = page.split('id="sin-alineacion"', 1)[1]
    assert "Mercado campesino" in pending and "preparan sus propuestas" in pending
    assert page.count("Comentarios del taller") == 3
    assert "PROPUESTA-SECRETA" not in page and "ODS 2 " not in page
    # Only Alfa: nothing of Beta's.
    for absent in ("Plan climático de Beta", "ODS 13", "Beta adapta sus barrios"):
        assert absent not in page, absent
    # The public copy does not link into the municipality's workspace.
    assert 'href="/iniciativas/' not in page
    assert 'href="/ods/taller/alfa/pdf/"' in page and 'href="/ods/taller/"' in page
    assert 'href="http://localhost/ods/metodo/"' in page


def test_the_summary_comes_from_the_community_index_not_the_municipalitys_tables(team: Team) -> None:
    w = team.w
    items = _alfa_and_beta(team)
    # Alfa renames an initiative and nothing has been relayed yet: the index, and so the
    # summary, still has the shared name.
    use_municipality(w.alfa)
    initiative = Initiative.objects.get(pk=items["water"].source_id)
    services.initiative_save(actor=None, initiative=initiative, data={"name": "Nombre que aún no se compartió"})
    use_public_schema()
    page = text(client_for(w.regional).get(URL))
    assert "Acueducto veredal de Alfa" in page and "Nombre que aún no se compartió" not in page
    # A municipality that has no schema at all (only index rows) still gets its summary.
    lone = bare_municipality("solitario", name="Municipio Solitario")
    lone_item = make_item(lone, title="Huertas escolares", source_id=5)
    publish(team, lone_item, {2: "direct"}, {"2.1": "direct"})
    make_item(lone, title="Biblioteca itinerante", source_id=6)
    make_item(lone, title="Retirada", source_id=7, withdrawn_at="2024-01-01T00:00Z")
    page = text(client_for(w.regional).get("/ods/taller/solitario/"))
    assert "Taller de alineación ODS — Municipio Solitario" in page
    assert "Huertas escolares" in page and "ODS 2 · Hambre Cero" in page and "Biblioteca itinerante" in page
    assert "Retirada" not in page


def test_the_pdf_names_the_municipality(team: Team) -> None:
    _alfa_and_beta(team)
    response = client_for(team.ana).get(PDF)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"Municipio Alfa" in response.content
    assert b"Municipio Beta" not in response.content
    assert 'filename="taller-ods-alfa-' in response["Content-Disposition"]


def test_the_list_of_municipalities_counts_what_each_shares(team: Team) -> None:
    _alfa_and_beta(team)
    bare_municipality("dormido", active=False, name="Municipio Dormido")
    page = text(client_for(team.ana).get(LIST))
    alfa = re.search(r'<a href="/ods/taller/alfa/">Municipio Alfa</a></th><td>[^<]*</td>((?:<td>\d+</td>){3})', page)
    assert alfa is not None and alfa.group(1) == "<td>3</td><td>2</td><td>1</td>"
    beta = re.search(r'<a href="/ods/taller/beta/">Municipio Beta</a></th><td>[^<]*</td>((?:<td>\d+</td>){3})', page)
    assert beta is not None and beta.group(1) == "<td>1</td><td>1</td><td>0</td>"
    assert "Municipio Dormido" not in page
    filtered = text(client_for(team.ana).get(LIST, {"q": "beta"}))
    assert "Municipio Beta" in filtered and "Municipio Alfa" not in filtered
    assert client_for(team.ana).get(LIST, {"q": "x" * 5000, "page": "abc"}).status_code == 200


def test_the_summary_reads_a_fixed_number_of_queries(team: Team) -> None:
    w = team.w
    publish(team, shared_initiative(w, w.alfa, "Iniciativa 1"), {6: "direct"}, {"6.1": "direct"})
    open_case(team, shared_initiative(w, w.alfa, "Iniciativa 2"))
    client = client_for(w.regional)

    def count(url: str) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = {url: count(url) for url in (URL, LIST)}
    for n in range(3, 6):
        publish(team, shared_initiative(w, w.alfa, f"Iniciativa {n}"), {n: "direct", 17: "indirect"}, [f"{n}.1"])
    shared_initiative(w, w.alfa, "Iniciativa 6")
    publish(team, shared_initiative(w, w.beta, "Iniciativa de Beta"), {13: "direct"})
    big = {url: count(url) for url in (URL, LIST)}
    assert big == small, (small, big)


# --- On paper -------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.mark.browser
def test_printed_it_has_no_navigation_black_text_and_one_goal_per_page(team: Team) -> None:
    """The page as Chromium prints it: the page's HTML from the test client, its static
    files from disk (no server needed), then print media and a real PDF."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run ./dev install (it installs it)")
    from django.contrib.staticfiles import finders
    from playwright.sync_api import Route, sync_playwright

    _alfa_and_beta(team)
    html = client_for(team.ana).get(URL).content
    assert b'class="main-nav"' in html  # on screen the navigation is there
    asked: list[str] = []

    def serve(route: Route) -> None:
        url = route.request.url
        path = "/" + url.split("/", 3)[3].split("?", 1)[0]
        if url.startswith("http://localhost/ods/taller/alfa/") and path == URL:
            route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")
        elif path.startswith("/static/") and (found := finders.find(path.removeprefix("/static/"))):
            body = Path(str(found)).read_bytes()
            route.fulfill(status=200, body=body, content_type=mimetypes.guess_type(path)[0] or "text/plain")
        else:
            asked.append(url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        try:
            page: Any = browser.new_page()
            page.route("**/*", serve)
            page.goto("http://localhost" + URL)
            assert page.locator(".main-nav").is_visible()
            assert page.locator("button[data-print]").is_visible()  # shown where JavaScript runs
            page.emulate_media(media="print")
            for hidden in (".site-header", ".main-nav", ".site-footer", ".toolbar"):
                assert page.locator(hidden).first.is_hidden(), hidden
            assert page.locator("h1").is_visible()
            colour = page.evaluate("getComputedStyle(document.querySelector('.workshop-goal p.muted')).color")
            assert colour == "rgb(0, 0, 0)"
            after = page.evaluate("getComputedStyle(document.querySelector('a.print-url'), '::after').content")
            assert "http://localhost/ods/metodo/" in after
            pdf = page.pdf(format="A4")
        finally:
            browser.close()
    assert asked == [], asked
    # The overview, one page per goal (6 and 9), and the pending initiatives.
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages >= 4, pages


@pytest.fixture
def goal_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The English catalogue with the SDG sense of «Objetivo» translated, as the lead will
    translate it (pgettext context "ODS"); the plain word keeps its own translation."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation("en")._catalog  # type: ignore[attr-defined]
    monkeypatch.setitem(catalog._catalogs[0], "ODS\x04Objetivo", "Goal")


def test_the_goal_column_has_its_own_translation(
    team: Team, goal_in_english: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.conf import settings
    from django.utils import translation

    from ods_alignment import workshop_pdf

    _alfa_and_beta(team)
    client = client_for(team.ana)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get(URL))
    assert re.search(r'<thead><tr><th scope="col">Goal</th>', page)
    assert "Objective" not in page
    with translation.override("en"):
        assert translation.gettext("Objetivo") == "Objective"  # other pages' «Objetivo» is unchanged
    # The PDF's table header too: what it writes, as it writes it.
    written: list[str] = []
    original = workshop_pdf._Writer.p

    def spy(self: Any, value: str, style: Any = None) -> Any:
        written.append(value)
        return original(self, value, style)

    monkeypatch.setattr(workshop_pdf._Writer, "p", spy)
    assert client.get(PDF).status_code == 200
    assert "Goal" in written and "Objective" not in written and "Objetivo" not in written
