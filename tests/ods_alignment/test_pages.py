"""The public SDG pages (/ods/): goals, targets, the grid, the method page and its editor.
What is shown is what the community may see: public initiatives for everyone; every shared
one, in the grid only, for the regional team and SDG specialists; never anything else."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import IndexItem
from ods_alignment import agreement
from ods_alignment.models import AlignmentCase, CaseStatus, Goal, MethodPageRevision, Target
from ods_alignment.selectors_method import DEFAULT_METHOD_TEXT, text_blocks
from ods_alignment.services import adjudicate, case_publish, local_target_create, proposal_submit
from ods_alignment.services.method_page import MAX_METHOD_TEXT, method_page_save
from tests.community.console_factories import bare_municipality
from tests.community.factories import make_item
from tests.conftest import client_for
from tests.ods_alignment.conftest import Team, initiative, open_case

ODS = "/ods/"


def submit(who: Any, case: AlignmentCase, goals: Any, targets: Any = ()) -> None:
    proposal_submit(actor=who, case=case, goals=goals, targets=targets, justification="Porque contribuye.")


def publish(team: Team, item: IndexItem, goals: Any, targets: Any = ()) -> AlignmentCase:
    """Align an initiative through the real workflow: two identical proposals (agreed), then
    publication by the lead."""
    case = open_case(team, item)
    submit(team.ana, case, goals, targets)
    submit(team.ben, case, goals, targets)
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED
    return case_publish(actor=team.lead, case=case)


def text(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def aligned(team: Team) -> dict[str, IndexItem]:
    """Alfa: a public initiative on goal 6 (direct, target 6.1) and one on 6 and 11
    (indirect); a shared-but-not-public one on 6; one withdrawn after publication; one
    agreed but not published. Beta: a public one on 6, a shared-but-not-public one on 3.
    An inactive municipality's public item carries goal 6 too."""
    w = team.w
    items = {
        "water": initiative(w, title="Acueducto veredal", source_url="/iniciativas/publicas/7/"),
        "city": initiative(w, title="Transporte urbano limpio"),
        "private": initiative(w, title="Plan interno de agua", is_public=False),
        "gone": initiative(w, title="Iniciativa retirada"),
        "draft": initiative(w, title="Alineación sin publicar"),
        "beta_water": make_item(w.beta, title="Pozos comunitarios"),
        "beta_private": make_item(w.beta, title="Salud escolar reservada", is_public=False),
    }
    publish(team, items["water"], {6: "direct"}, {"6.1": "direct"})
    publish(team, items["city"], {6: "indirect", 11: "indirect"}, {"11.2": "indirect"})
    publish(team, items["private"], [6], ["6.1"])
    publish(team, items["gone"], [6], ["6.1"])
    IndexItem.objects.filter(pk=items["gone"].pk).update(withdrawn_at=timezone.now())
    draft = open_case(team, items["draft"])
    submit(team.ana, draft, [6], ["6.1"])
    submit(team.ben, draft, [6], ["6.1"])  # agreed, never published
    publish(team, items["beta_water"], [6], ["6.1"])
    publish(team, items["beta_private"], [3], ["3.1"])
    sleeping = bare_municipality("dormido", active=False)
    items["inactive"] = make_item(
        sleeping, title="Iniciativa de municipio inactivo", sdg_goals=[6], sdg_targets=["6.1"]
    )
    for item in items.values():
        item.refresh_from_db()
    return items


# --- Goal, target and index pages ------------------------------------------------------------


def test_goal_page_lists_only_published_public_initiatives(aligned: dict[str, IndexItem]) -> None:
    response = client_for(None).get(f"{ODS}objetivos/6/")
    assert response.status_code == 200
    page = text(response)
    goal = Goal.objects.get(number=6)
    assert goal.title_es in page and goal.short_es in page
    assert "Acueducto veredal" in page and "Transporte urbano limpio" in page and "Pozos comunitarios" in page
    for hidden in (
        "Plan interno de agua",
        "Iniciativa retirada",
        "Alineación sin publicar",
        "Iniciativa de municipio inactivo",
    ):
        assert hidden not in page, hidden
    assert "3 iniciativas públicas alineadas" in page
    # Municipality, country, contribution from the final alignment, link to the public page.
    rows = {row.item.title: row for row in response.context["rows"]}
    assert rows["Acueducto veredal"].contribution == "direct"
    assert rows["Transporte urbano limpio"].contribution == "indirect"
    assert rows["Pozos comunitarios"].country_label == "Guatemala"
    url = rows["Acueducto veredal"].url
    assert url.startswith("http") and "//alfa." in url and url.endswith("/iniciativas/publicas/7/")
    assert 'href="' + rows["Acueducto veredal"].url + '"' in page
    assert rows["Pozos comunitarios"].url == ""  # no public page: no link
    # Targets of the goal, with their counts of public initiatives.
    assert 'href="/ods/metas/6.1/"' in page and "Meta 6.a" in page
    assert dict(response.context["targets"])[Target.objects.get(code="6.1")] == 2
    # A goal nothing public is aligned to says so.
    empty = text(client_for(None).get(f"{ODS}objetivos/3/"))
    assert "Todavía no hay iniciativas públicas alineadas." in empty and "Salud escolar reservada" not in empty


def test_target_page_lists_only_published_public_initiatives(team: Team, aligned: dict[str, IndexItem]) -> None:
    local = local_target_create(
        actor=team.w.regional, parent=Target.objects.get(code="6.1"), code="6.1.1", title_es="Acueductos veredales"
    )
    response = client_for(None).get(f"{ODS}metas/6.1/")
    assert response.status_code == 200
    page = text(response)
    assert Target.objects.get(code="6.1").title_es in page
    assert "Acueducto veredal" in page and "Pozos comunitarios" in page
    for hidden in ("Plan interno de agua", "Iniciativa retirada", "Alineación sin publicar", "Transporte urbano"):
        assert hidden not in page, hidden
    assert 'href="/ods/objetivos/6/"' in page  # its goal
    assert "6.1.1" in page and "meta local" in page and "Acueductos veredales" in page
    assert re.search(r"<strong>6\.1\.1</strong>", page)  # the official indicator 6.1.1
    assert {row.item.title: row.contribution for row in response.context["rows"]} == {
        "Acueducto veredal": "direct",
        "Pozos comunitarios": "direct",
    }
    # The local target's own page: marked local, under its official parent; upper case works.
    local_page = text(client_for(None).get(f"{ODS}metas/6.1.1/"))
    assert "meta local" in local_page and 'href="/ods/metas/6.1/"' in local_page
    assert client_for(None).get(f"{ODS}metas/6.A/").status_code == 200
    assert local.is_local


def test_index_counts_public_alignments_per_goal(aligned: dict[str, IndexItem]) -> None:
    response = client_for(None).get(ODS)
    assert response.status_code == 200
    counts = {goal.number: n for goal, n in response.context["cards"]}
    assert len(counts) == 17
    assert counts[6] == 3 and counts[11] == 1 and counts[3] == 0
    page = re.sub(r"\s+", " ", text(response))
    assert 'href="/ods/objetivos/6/"' in page and 'href="/ods/cuadricula/"' in page and 'href="/ods/metodo/"' in page
    # Two numbers, each named for what it counts: public initiatives (Acueducto, Transporte,
    # Pozos), each once; and initiative-goal links (6, 6 and 11, 6), the cards' sum.
    assert response.context["initiatives"] == 3 and response.context["links"] == 4 == sum(counts.values())
    assert "<p>3 iniciativas públicas alineadas, con 4 vínculos iniciativa\u2013objetivo" in page
    assert "alineaciones publicadas" not in page.lower()


def test_the_method_page_counts_every_published_alignment_and_says_so(aligned: dict[str, IndexItem]) -> None:
    # Published: Acueducto, Transporte, Plan interno (not public), Retirada (withdrawn since),
    # Pozos, Salud escolar (not public): six initiatives, each once; the agreed one is not.
    published = AlignmentCase.objects.filter(status=CaseStatus.PUBLISHED).count()
    assert published == 6
    response = client_for(None).get(f"{ODS}metodo/")
    assert response.context["figures"].published == published
    page = re.sub(r"\s+", " ", text(response))
    assert "<dt>Iniciativas con la alineación publicada</dt><dd>6 " in page
    assert "de todas las iniciativas compartidas con la comunidad, públicas o no" in page
    # /ods/ counts something else, and says what: only the public ones.
    index = re.sub(r"\s+", " ", text(client_for(None).get(ODS)))
    assert "3 iniciativas públicas alineadas" in index


@pytest.mark.parametrize(
    "path",
    [
        "objetivos/0/",
        "objetivos/18/",
        "objetivos/99999999999999999999999/",
        "objetivos/seis/",
        "objetivos/-1/",
        "metas/99.99/",
        "metas/..%2Fx/",
        "metas/../x/",
        "metas/6.1%00/",
        "metas/6/",
        "metas/6.1.1.1/",
        "metas/%3Cscript%3E/",
        "metas/" + "1." * 400 + "1/",
        "metas/" + "x" * 5000 + "/",
        "cuadricula/no-existe/",
        "cuadricula/" + "a" * 300 + "/",
    ],
)
def test_unknown_goal_target_or_municipality_is_404(team: Team, path: str) -> None:
    assert client_for(None).get(ODS + path).status_code == 404


def test_goal_page_in_english_uses_the_catalogue_titles(aligned: dict[str, IndexItem]) -> None:
    client = client_for(None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get(f"{ODS}objetivos/6/"))
    goal = Goal.objects.get(number=6)
    target = Target.objects.get(code="6.1")
    assert '<html lang="en">' in page
    assert goal.title_en in page and goal.short_en in page and target.title_en in page
    assert goal.title_es not in page and target.title_es not in page
    assert "Acueducto veredal" in page  # initiatives keep their own text


# --- The grid -------------------------------------------------------------------------------


def _cells(response: Any) -> dict[str, dict[int, int]]:
    grid = response.context["grid"]
    return {row.name: {c.goal: c.count for c in row.cells if c.count} for row in grid.rows}


def test_grid_counts_what_each_municipality_shares_publicly(aligned: dict[str, IndexItem]) -> None:
    response = client_for(None).get(f"{ODS}cuadricula/")
    assert response.status_code == 200
    assert _cells(response) == {"Municipio Alfa": {6: 2, 11: 1}, "Municipio Beta": {6: 1}}
    grid = response.context["grid"]
    assert {row.name: row.total for row in grid.rows} == {"Municipio Alfa": 2, "Municipio Beta": 1}
    totals = dict(zip([g.number for g in grid.goals], grid.goal_totals, strict=True))
    assert totals[6] == 3 and totals[11] == 1 and totals[3] == 0 and grid.total == 3
    assert grid.include_shared is False
    page = text(response)
    # The title sits above the scrolling box (so it wraps on a phone) and names the table.
    title = '<p class="sdg-grid-title" id="grid-title">Iniciativas públicas alineadas, por municipio y objetivo</p>'
    assert title in page and "<caption" not in page
    assert page.index(title) < page.index('<div class="table-wrap" role="region" aria-labelledby="grid-title"')
    assert '<table class="sdg-grid" aria-labelledby="grid-title" aria-describedby="grid-note">' in page
    assert "Se muestran solo las iniciativas públicas." in page
    assert "Incluir las compartidas" not in page  # the public cannot ask for more
    assert '<th scope="col" class="sdg-col">' in page and 'title="ODS 6: ' in page
    assert 'href="/ods/cuadricula/alfa/"' in page
    assert re.search(r'<td class="sdg-cell heat-4">2</td>', page)  # the count is written; the shade adds
    assert "dormido" not in page and "Salud escolar" not in page
    # Asking for the shared set as a visitor changes nothing.
    assert _cells(client_for(None).get(f"{ODS}cuadricula/?conjunto=todas")) == _cells(response)


def test_grid_country_filter(aligned: dict[str, IndexItem]) -> None:
    response = client_for(None).get(f"{ODS}cuadricula/?pais=GT")
    assert _cells(response) == {"Municipio Beta": {6: 1}}
    assert response.context["grid"].goal_totals[5] == 1  # totals follow the filter
    page = text(response)
    assert '<option value="GT" selected>Guatemala</option>' in page and '<option value="CO">Colombia</option>' in page
    bad = client_for(None).get(f"{ODS}cuadricula/?pais=ZZ")
    assert bad.status_code == 200 and "no se aplicó" in text(bad)
    assert set(_cells(bad)) == {"Municipio Alfa", "Municipio Beta"}
    assert client_for(None).get(f"{ODS}cuadricula/?page=999&pais=CO").status_code == 200


def test_grid_for_sdg_roles_includes_shared_not_public_and_says_so(team: Team, aligned: dict[str, IndexItem]) -> None:
    for user in (team.w.regional, team.cai):
        response = client_for(user).get(f"{ODS}cuadricula/")
        assert _cells(response) == {"Municipio Alfa": {6: 3, 11: 1}, "Municipio Beta": {3: 1, 6: 1}}
        page = text(response)
        assert "Se muestran todas las iniciativas compartidas, públicas o no." in page
        assert "Iniciativas compartidas (públicas y no públicas)" in page
        assert 'href="/ods/cuadricula/?conjunto=publicas"' in page
        # They may choose the public set, and the page says it is the public one.
        public = client_for(user).get(f"{ODS}cuadricula/?conjunto=publicas")
        assert _cells(public) == {"Municipio Alfa": {6: 2, 11: 1}, "Municipio Beta": {6: 1}}
        assert "Se muestran solo las iniciativas públicas." in text(public)
    # Municipal staff are not SDG roles: public set only, even for their own municipality.
    assert _cells(client_for(team.w.admin_alfa).get(f"{ODS}cuadricula/"))["Municipio Alfa"] == {6: 2, 11: 1}
    # Withdrawn and inactive never, for anyone.
    page = text(client_for(team.w.regional).get(f"{ODS}cuadricula/"))
    assert "dormido" not in page.lower()


def test_grid_of_one_municipality_marks_contributions(team: Team, aligned: dict[str, IndexItem]) -> None:
    response = client_for(None).get(f"{ODS}cuadricula/alfa/")
    assert response.status_code == 200
    marks = {
        row.item.title: {m.goal: m.contribution for m in row.marks if m.contribution}
        for row in response.context["grid"].rows
    }
    assert marks == {"Acueducto veredal": {6: "direct"}, "Transporte urbano limpio": {6: "indirect", 11: "indirect"}}
    page = text(response)
    assert (
        '<span class="sdg-mark sdg-mark-direct" aria-hidden="true">D</span><span class="visually-hidden">directa</span>'
        in page
    )
    assert "Leyenda" in page and "contribución indirecta" in page
    # Its title too is outside the scrolling box, and names the table.
    title = page.index('<p class="sdg-grid-title" id="grid-title">Iniciativas públicas de Municipio Alfa y los')
    assert title < page.index('<div class="table-wrap" role="region" aria-labelledby="grid-title"')
    assert "<caption" not in page
    assert "Plan interno de agua" not in page and "Iniciativa retirada" not in page
    assert "Pozos comunitarios" not in page  # Beta's are on Beta's page
    beta = text(client_for(None).get(f"{ODS}cuadricula/beta/"))
    assert "Pozos comunitarios" in beta and "Acueducto veredal" not in beta and "Salud escolar" not in beta
    # The SDG roles' view adds Alfa's shared-but-not-public initiative, marked as such.
    staff = text(client_for(team.ana).get(f"{ODS}cuadricula/alfa/"))
    assert "Plan interno de agua" in staff and "no pública" in staff and "Iniciativa retirada" not in staff
    assert "Plan interno de agua" not in text(client_for(team.ana).get(f"{ODS}cuadricula/alfa/?conjunto=publicas"))
    # An inactive municipality has no grid page.
    assert client_for(team.w.regional).get(f"{ODS}cuadricula/dormido/").status_code == 404


def test_queries_do_not_grow_with_municipalities_and_initiatives(team: Team, aligned: dict[str, IndexItem]) -> None:
    anonymous, regional = client_for(None), client_for(team.w.regional)
    urls = [
        f"{ODS}cuadricula/",
        f"{ODS}cuadricula/alfa/",
        f"{ODS}objetivos/6/",
        f"{ODS}metas/6.1/",
        ODS,
        f"{ODS}metodo/",
    ]
    for client in (anonymous, regional):
        for url in urls:
            client.get(url)  # warm sessions and caches

    def count(client: Any, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = {(c, u): count(c, u) for c in (anonymous, regional) for u in urls}
    assert max(before[(anonymous, u)] for u in urls) <= 10
    for n in range(12):
        place = bare_municipality(f"lugar-{n}", name=f"Lugar {n:02d}")
        for k in range(3):
            # Sometimes [6, 6]: a goal repeated in an array still counts the item once.
            make_item(place, title=f"Iniciativa {n}-{k}", sdg_goals=[6, 1 + (n + k) % 17], sdg_targets=["6.1"])
        make_item(place, title=f"Reservada {n}", is_public=False, sdg_goals=[6])
        make_item(team.w.alfa, title=f"Más de Alfa {n}", sdg_goals=[6, 13], sdg_targets=["6.1"])
    after = {(c, u): count(c, u) for c in (anonymous, regional) for u in urls}
    assert after == before
    grid = client_for(None).get(f"{ODS}cuadricula/").context["grid"]
    assert grid.page.paginator.count == 14 and grid.goal_totals[5] == 3 + 36 + 12


# --- The method page ------------------------------------------------------------------------


def test_method_page_shows_the_default_text_and_live_figures(team: Team) -> None:
    published = publish(team, initiative(team.w, title="A"), [6], ["6.1"])
    disputed = open_case(team, initiative(team.w, title="B"))
    submit(team.ana, disputed, [1, 6, 11], ["6.1"])
    submit(team.ben, disputed, [6, 11, 13], ["6.1", "13.1"])
    disputed.refresh_from_db()
    adjudicate(actor=team.lead, case=disputed, goals=[6, 11], targets=["6.1"], reason="El acueducto es 6.1.")
    open_case(team, initiative(team.w, title="C"), days=5)
    response = client_for(None).get(f"{ODS}metodo/")
    assert response.status_code == 200
    page = text(response)
    assert "<h2>1. Dos propuestas independientes y a ciegas</h2>" in page
    assert "una sugerencia nunca se convierte en alineación sin la propuesta de una persona especialista" in page
    assert "<li>en los objetivos, con el coeficiente kappa de Cohen" in page
    assert "Editar este texto" not in page
    figures = response.context["figures"]
    assert (figures.published, figures.in_progress) == (1, 2)
    assert (figures.waiting_proposals, figures.waiting_adjudication, figures.waiting_publication) == (1, 0, 1)
    assert (figures.decided, figures.by_agreement, figures.by_adjudication) == (2, 1, 1)
    expected = agreement.pooled_kappa([({6}, {6}), ({1, 6, 11}, {6, 11, 13})])
    assert figures.pooled_kappa == pytest.approx(expected) and figures.compared_pairs == 2
    assert figures.mean_target_overlap == pytest.approx((1 + 0.5) / 2)
    assert "1 por acuerdo (50 %), 1 por adjudicación (50 %)" in page
    assert published.status == CaseStatus.PUBLISHED
    english = client_for(None)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page_en = text(english.get(f"{ODS}metodo/"))
    assert "<h2>1. Two independent, blind proposals</h2>" in page_en and 'lang="en"' in page_en
    # The regional team sees the edit link.
    assert 'href="/ods/metodo/editar/"' in text(client_for(team.w.regional).get(f"{ODS}metodo/"))


def test_method_figures_without_cases(team: Team) -> None:
    page = text(client_for(None).get(f"{ODS}metodo/"))
    assert "Aún no hay propuestas que comparar." in page


def test_method_edit_by_the_regional_team(team: Team) -> None:
    client = client_for(team.w.regional)
    form = client.get(f"{ODS}metodo/editar/")
    assert form.status_code == 200
    assert "Dos propuestas independientes y a ciegas" in text(form)  # starts from the default text
    assert form.context["form"].initial["version"] == 0
    assert "Nadie ha editado todavía esta página." in text(form)
    body_es = (
        "Texto propio del equipo.\n\n## Paso único\nUna línea\ncontinuada.\n\n- uno\n- dos <script>alert(1)</script>"
    )
    response = client.post(f"{ODS}metodo/editar/", {"body_es": body_es, "body_en": "", "version": "0"})
    assert response.status_code == 302 and response["Location"] == f"{ODS}metodo/"
    revision = MethodPageRevision.objects.get()
    assert (revision.version, revision.edited_by, revision.body_en) == (1, team.w.regional, "")
    page = text(client_for(None).get(f"{ODS}metodo/"))
    assert "<h2>Paso único</h2>" in page and "<p>Una línea continuada.</p>" in page
    assert "<li>dos &lt;script&gt;alert(1)&lt;/script&gt;</li>" in page and "<script>alert" not in page
    assert "Dos propuestas independientes" not in page
    # English falls back to the Spanish text, marked as Spanish.
    english = client_for(None)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page_en = text(english.get(f"{ODS}metodo/"))
    assert "<h2>Paso único</h2>" in page_en and '<div class="sdg-method-text" lang="es">' in page_en
    # A second edit adds an English text; the history lists both, newest first, with who.
    response = client.post(
        f"{ODS}metodo/editar/", {"body_es": body_es, "body_en": "## Single step\nOur own text.", "version": "1"}
    )
    assert response.status_code == 302
    assert "<h2>Single step</h2>" in text(english.get(f"{ODS}metodo/"))
    history = client.get(f"{ODS}metodo/editar/")
    assert [r.version for r in history.context["history"]] == [2, 1]
    assert text(history).count("Raúl Regional") >= 3  # the header, and each revision
    # Saving the same text again writes nothing.
    client.post(
        f"{ODS}metodo/editar/", {"body_es": body_es, "body_en": "## Single step\nOur own text.", "version": "2"}
    )
    assert MethodPageRevision.objects.count() == 2


def test_method_edit_refused_to_others(team: Team) -> None:
    for user in (team.ana, team.w.admin_alfa, team.w.mayor_alfa, team.w.outsider):
        client = client_for(user)
        assert client.get(f"{ODS}metodo/editar/").status_code == 404
        assert client.post(f"{ODS}metodo/editar/", {"body_es": "x", "version": "0"}).status_code == 404
        assert 'href="/ods/metodo/editar/"' not in text(client.get(f"{ODS}metodo/"))
    anonymous = client_for(None).get(f"{ODS}metodo/editar/")
    assert anonymous.status_code == 302 and "/cuenta/entrar/" in anonymous["Location"]
    assert client_for(None).post(f"{ODS}metodo/editar/", {"body_es": "x", "version": "0"}).status_code == 302
    assert not MethodPageRevision.objects.exists()
    with pytest.raises(PermissionDenied):
        method_page_save(actor=team.ana, body_es="x", body_en="", version=0)


def test_method_edit_validation_errors_by_field(team: Team) -> None:
    client = client_for(team.w.regional)
    response = client.post(
        f"{ODS}metodo/editar/", {"body_es": "  \n ", "body_en": "x" * (MAX_METHOD_TEXT + 1), "version": "0"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Escriba el texto en español" in errors["body_es"][0]
    assert f"como máximo {MAX_METHOD_TEXT}" in errors["body_en"][0]
    page = text(response)
    assert 'id="id_body_es_error"' in page and 'id="id_body_en_error"' in page
    assert not MethodPageRevision.objects.exists()
    nul = client.post(f"{ODS}metodo/editar/", {"body_es": "a\x00b", "version": "0"})
    assert nul.status_code == 400 and nul.context["form"].errors["body_es"]


def test_method_edit_stale_version(team: Team) -> None:
    method_page_save(actor=team.w.regional, body_es="Primera versión.", body_en="", version=0)
    other = client_for(team.w.platform_admin)  # a platform administrator may do what the team does
    response = other.post(f"{ODS}metodo/editar/", {"body_es": "Encima de lo ajeno.", "body_en": "", "version": "0"})
    assert response.status_code == 400
    assert "Otra persona guardó cambios" in text(response)
    assert list(MethodPageRevision.objects.values_list("body_es", flat=True)) == ["Primera versión."]
    saved = method_page_save(actor=team.w.platform_admin, body_es="Segunda.", body_en="", version=1)
    assert saved.version == 2


# --- The formatter --------------------------------------------------------------------------


def test_text_blocks() -> None:
    blocks = text_blocks("Uno\r\ndos\n\n## Título\n- a\n  sigue\n- b\nPárrafo tras lista\n\n##\n<b>x</b>")
    assert [(b.kind, b.text, b.items) for b in blocks] == [
        ("paragraph", "Uno dos", ()),
        ("heading", "Título", ()),
        ("list", "", ("a sigue", "b Párrafo tras lista")),
        ("paragraph", "## <b>x</b>", ()),
    ]
    assert text_blocks("") == []
    for language in ("es", "en"):
        kinds = [b.kind for b in text_blocks(DEFAULT_METHOD_TEXT[language])]
        assert kinds.count("heading") == 5 and "list" in kinds
