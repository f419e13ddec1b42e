"""Control reports (cuts and exports), the mesa de metas (page and PDF) and the calendar
map (SVG Gantt), on a real database, with two municipalities."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from tenants import pdf_util
from tenants.db import local_today, use_municipality, use_public_schema
from tenants.initiatives import pdf, report_selectors, services
from tenants.initiatives.models import Aro, AroKind, AroType, Initiative, Milestone, ProductKind
from tenants.initiatives.report_selectors import Cut, ReportFilters
from tenants.structure import services as structure
from tenants.structure.models import Place
from tests.conftest import World, client_for
from tests.initiatives.conftest import make_initiative

INJECTION = '=HYPERLINK("http://malo.test","clic")'


def aro_type(key: str) -> AroType:
    return AroType.objects.get(key=key)


def raise_aro(initiative: Initiative, kind: str, key: str, text: str, milestone: Milestone | None = None) -> Aro:
    return services.aro_raise(
        actor=None, initiative=initiative, kind=kind, aro_type=aro_type(key), description=text, milestone=milestone,
        proposed_action="Gestionar una adición presupuestal", required_decision="Aprobar la adición",
    )  # fmt: skip


def row(cut: Cut, label: str) -> list[int]:
    """A cut's counts for one group, in the column order restriction, alert, opportunity."""
    found = [r for r in cut.rows if r.label == label]
    return found[0].counts if found else [0] * len(cut.columns)


def cut(report: report_selectors.ControlReport, key: str) -> Cut:
    return next(c for c in report.aro_cuts if c.key == key)


def seed_alfa(w: World) -> dict[str, Any]:
    """Two initiatives with places and themes (a district and its neighbourhood, an axis and
    its theme), four ARO of different classes and types. Call inside Alfa."""
    admin = w.admin_alfa
    level_set = structure.place_level_set_save(actor=admin, name="Informe", levels=["Distrito", "Barrio"])
    district_level, barrio_level = list(level_set.levels.order_by("rank"))
    district = structure.place_save(actor=admin, data={"code": "D1", "name": "Distrito Norte", "level": district_level})
    barrio = structure.place_save(
        actor=admin, data={"code": "B1", "name": "Barrio La Peña", "level": barrio_level, "parent": district}
    )
    axis = structure.theme_save(actor=admin, data={"code": "E1", "name": "Agua y saneamiento"})
    theme = structure.theme_save(actor=admin, data={"code": "E1.1", "name": "Acueducto", "parent": axis})
    water, milestones = make_initiative(w, name="Acueducto de La Peña", close=True, places=[barrio], themes=[theme])
    service, _ = make_initiative(
        w, name="Ventanilla única", product_kind=ProductKind.NEW_SERVICE, manager_id=w.followup_alfa.pk, close=True
    )
    aros = {
        "money": raise_aro(water, AroKind.RESTRICTION, "financial", "Falta presupuesto para la tubería", milestones[0]),
        "money_alert": raise_aro(water, AroKind.ALERT, "financial", "El desembolso puede retrasarse"),
        "law": raise_aro(water, AroKind.RESTRICTION, "legal", "Licencia ambiental negada"),
        "chance": raise_aro(service, AroKind.OPPORTUNITY, "political", "El concejo apoya la ventanilla"),
    }
    return {"district": district, "barrio": barrio, "axis": axis, "water": water, "service": service, **aros}


# --- Cuts --------------------------------------------------------------------------------------


def test_counts_per_problem_type_class_place_theme_person_and_period(in_alfa: World) -> None:
    w = in_alfa
    s = seed_alfa(w)
    everything = report_selectors.control_report(ReportFilters())
    assert len(everything.aros) == 4 and len(everything.initiatives) == 2
    # How many restrictions, alerts and opportunities per problem type.
    assert row(cut(everything, "type"), "Financiera") == [1, 1, 0]
    assert row(cut(everything, "type"), "Legal") == [1, 0, 0]
    assert row(cut(everything, "type"), "Política") == [0, 0, 1]
    assert cut(everything, "type").totals == [2, 1, 1] and cut(everything, "type").total == 4
    assert row(cut(everything, "product"), "Obra pública") == [2, 1, 0]
    assert row(cut(everything, "manager"), "Sofía Seguimiento") == [0, 0, 1]
    assert row(cut(everything, "responsible"), "Gustavo Gerente") == [1, 0, 0]  # only one ARO names a milestone
    assert row(cut(everything, "place"), "B1 Barrio La Peña") == [2, 1, 0]
    assert row(cut(everything, "place"), "(sin lugar)") == [0, 0, 1]
    assert row(cut(everything, "theme"), "E1.1 Acueducto") == [2, 1, 0]

    # A district includes its neighbourhoods; an axis its themes.
    by_district = report_selectors.control_report(ReportFilters(place=s["district"].pk))
    assert {r.aro.pk for r in by_district.aros} == {s["money"].pk, s["money_alert"].pk, s["law"].pk}
    assert [r.state.initiative.pk for r in by_district.initiatives] == [s["water"].pk]
    by_axis = report_selectors.control_report(ReportFilters(theme=s["axis"].pk))
    assert len(by_axis.aros) == 3 and len(by_axis.initiatives) == 1

    only_restrictions = report_selectors.control_report(ReportFilters(aro_kind=AroKind.RESTRICTION))
    assert {r.aro.pk for r in only_restrictions.aros} == {s["money"].pk, s["law"].pk}
    assert len(only_restrictions.initiatives) == 2  # the ARO class does not narrow initiatives
    by_type = report_selectors.control_report(ReportFilters(aro_type=aro_type("financial").pk))
    assert {r.aro.pk for r in by_type.aros} == {s["money"].pk, s["money_alert"].pk}
    by_product = report_selectors.control_report(ReportFilters(product_kind=ProductKind.NEW_SERVICE))
    assert [r.aro.pk for r in by_product.aros] == [s["chance"].pk]
    assert [r.state.initiative.pk for r in by_product.initiatives] == [s["service"].pk]
    by_person = report_selectors.control_report(ReportFilters(person=w.followup_alfa.pk))
    assert [r.aro.pk for r in by_person.aros] == [s["chance"].pk]

    # Period: ARO raised in it; initiatives active on some day of it.
    today = local_today()
    Aro.objects.filter(pk=s["law"].pk).update(raised_on=today - timedelta(days=60))
    old, _ = make_initiative(w, name="Plan vial 2020", start=today - timedelta(days=500), months=6)
    recent = report_selectors.control_report(ReportFilters(start=today - timedelta(days=10), end=today))
    assert s["law"].pk not in {r.aro.pk for r in recent.aros} and len(recent.aros) == 3
    assert old.pk not in {r.state.initiative.pk for r in recent.initiatives}
    earlier = report_selectors.control_report(ReportFilters(end=today - timedelta(days=30)))
    assert [r.aro.pk for r in earlier.aros] == [s["law"].pk]
    assert old.pk in {r.state.initiative.pk for r in earlier.initiatives}


def test_report_page_applies_the_filters_from_the_query_string(in_alfa: World) -> None:
    s = seed_alfa(in_alfa)
    financial = aro_type("financial").pk
    use_public_schema()
    client = client_for(in_alfa.editor_alfa, in_alfa.alfa)  # any member may read the reports
    page = client.get(f"/iniciativas/informes/?tipo={financial}&clase=restriction")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Falta presupuesto para la tubería" in html
    assert "Licencia ambiental negada" not in html and "El desembolso" not in html
    assert "initiatives-reports.css" in html
    bad = client.get("/iniciativas/informes/?desde=2026-13-01&hasta=ayer")
    assert bad.status_code == 200 and "no es válida" in bad.content.decode()
    assert s["water"].name in bad.content.decode()


# --- Exports -----------------------------------------------------------------------------------


def test_csv_and_xlsx_exports_parse_back_with_the_filtered_rows_and_no_formulas(in_alfa: World) -> None:
    s = seed_alfa(in_alfa)
    raise_aro(s["water"], AroKind.ALERT, "technical_administrative", INJECTION)
    use_public_schema()
    client = client_for(in_alfa.manager_alfa, in_alfa.alfa)

    response = client.get("/iniciativas/informes/exportar.csv?clase=alert")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="informe-aro-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    description = header.index("Descripción")
    assert {r[header.index("Clase")] for r in body} == {"Alerta"}
    assert sorted(r[description] for r in body) == sorted(["'" + INJECTION, "El desembolso puede retrasarse"])
    assert {r[header.index("Lugares")] for r in body} >= {"B1 Barrio La Peña"}

    initiatives = client.get("/iniciativas/informes/exportar.csv?tabla=iniciativas&producto=new_service")
    rows = list(csv.reader(io.StringIO(initiatives.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["Ventanilla única"]
    summary = client.get("/iniciativas/informes/exportar.csv?tabla=resumen")
    counts = list(csv.reader(io.StringIO(summary.content.decode("utf-8-sig"))))
    assert ["ARO", "Por tipo de problema", "Financiera", "Restricción", "1"] in counts

    book = client.get("/iniciativas/informes/exportar.xlsx")
    assert book.status_code == 200
    workbook = load_workbook(io.BytesIO(book.content))
    assert workbook.sheetnames == ["ARO", "Iniciativas", "Resumen"]
    sheet = workbook["ARO"]
    titles = [c.value for c in sheet[1]]
    cells = [r[titles.index("Descripción")] for r in sheet.iter_rows(min_row=2)]
    assert len(cells) == 5
    injected = next(c for c in cells if c.value == INJECTION)
    assert injected.data_type == "s"  # text, never a formula
    levels = [r[titles.index("Nivel")].value for r in sheet.iter_rows(min_row=2)]
    assert levels == [1] * 5  # numbers stay numbers
    assert workbook["Iniciativas"].max_row == 3
    assert client.get("/iniciativas/informes/exportar.pdf").status_code == 404


# --- Mesa de metas -----------------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    pdftotext = shutil.which("pdftotext") or "/usr/bin/pdftotext"
    result = subprocess.run([pdftotext, "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def test_goals_table_page_and_pdf_show_what_awaits_the_level(in_alfa: World) -> None:
    s = seed_alfa(in_alfa)
    services.aro_escalate(actor=None, aro=s["money"], comment="Necesita decisión del comité")
    use_public_schema()
    client = client_for(in_alfa.mayor_alfa, in_alfa.alfa)

    page = client.get("/iniciativas/mesa-de-metas/?nivel=2")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Falta presupuesto para la tubería" in html and "Necesita decisión del comité" in html
    assert "Atrasada" in html  # an open restriction on its milestone: late, in words
    assert "Ventanilla única" in html  # the portfolio summary
    assert "Licencia ambiental negada" not in html  # still at level 1

    response = client.get("/iniciativas/mesa-de-metas.pdf?nivel=2")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    flat = re.sub(r"\s+", " ", text)
    assert "Municipio Alfa" in flat
    assert "Falta presupuesto para la tubería" in flat  # accents survive
    assert "Atrasada" in flat and "Necesita decisión del comité" in flat
    assert "Ventanilla única" in flat and "Gustavo Gerente" in flat

    mayor = _pdf_text(client.get("/iniciativas/mesa-de-metas.pdf?nivel=3").content)
    assert "Falta presupuesto" not in mayor and "No hay ARO" in mayor
    assert client.get("/iniciativas/mesa-de-metas/?nivel=9").status_code == 404


def test_pdf_falls_back_to_helvetica_when_dejavu_is_missing(in_alfa: World, monkeypatch: pytest.MonkeyPatch) -> None:
    s = seed_alfa(in_alfa)
    services.aro_escalate(actor=None, aro=s["money"], comment="Sin fuentes Unicode")
    monkeypatch.setattr(pdf_util, "FONT_DIRS", (Path("/no/such/fonts"),))
    pdf_util.fonts.cache_clear()
    try:
        with translation.override("es"):
            content = pdf.goals_table_pdf(report_selectors.goals_table(2))
        assert not pdf_util.fonts().unicode
    finally:
        pdf_util.fonts.cache_clear()
    text = re.sub(r"\s+", " ", _pdf_text(content))
    assert "Falta presupuesto para la tubería" in text and "Atrasada" in text  # Latin-1 keeps the accents


# --- Calendar map ------------------------------------------------------------------------------


def test_gantt_has_a_bar_per_milestone_a_baseline_when_reprogrammed_and_today(in_alfa: World) -> None:
    initiative, milestones = make_initiative(in_alfa, name="Parque central", milestones=3, close=True)
    second = Milestone.objects.get(pk=milestones[1].pk)
    services.milestone_reprogram(
        actor=None, milestone=second, new_due=second.due_date + timedelta(days=10), reason="Lluvias"
    )
    use_public_schema()
    client = client_for(in_alfa.manager_alfa, in_alfa.alfa)
    html = client.get(f"/iniciativas/{initiative.pk}/calendario/").content.decode()
    svg = html[html.index('<svg class="gantt-svg"') : html.index("</svg>", html.index('class="gantt-svg"'))]
    assert svg.count('class="gantt-bar ') == 3
    assert svg.count('class="gantt-baseline"') == 1
    assert svg.count('class="gantt-today"') == 1
    assert 'role="img"' in svg and 'aria-labelledby="gantt-' in svg
    assert "Mapa calendario de «Parque central»" in svg
    assert svg.count("<title>") >= 3 + 1 + 1  # each bar, the baseline and today have a tooltip
    # Numbers in the drawing are never localised ("12,5" would break the SVG).
    assert not re.search(r'(x|width)="\d+,\d', svg)
    # Colour is not the only signal: the light's word is drawn next to the bar.
    assert re.search(r'class="gantt-status[^"]*"[^>]*>[^<]*(En tiempo|En riesgo|Atrasada|Cumplida)', svg)
    table = html[html.index('class="gantt-table"') :]
    assert table.count('<th scope="row">') == 3 and "reprogramada" in table


def test_portfolio_calendar_pages_ten_initiatives_at_a_time(in_alfa: World) -> None:
    for n in range(12):
        make_initiative(in_alfa, name=f"Iniciativa {n:02d}", milestones=2)
    use_public_schema()
    client = client_for(in_alfa.followup_alfa, in_alfa.alfa)
    first = client.get("/iniciativas/calendario/").content.decode()
    assert first.count('class="gantt-svg"') == 10 and first.count('class="gantt-bar ') == 20
    assert "Página 1 de 2" in first
    second = client.get("/iniciativas/calendario/?page=2").content.decode()
    assert second.count('class="gantt-svg"') == 2 and "Iniciativa 11" in second
    filtered = client.get("/iniciativas/calendario/?q=Iniciativa+03").content.decode()
    assert filtered.count('class="gantt-svg"') == 1


# --- Isolation and cost ------------------------------------------------------------------------


ALFA_PAGES = [
    "/iniciativas/informes/",
    "/iniciativas/informes/exportar.csv",
    "/iniciativas/informes/exportar.xlsx",
    "/iniciativas/mesa-de-metas/?nivel=2",
    "/iniciativas/mesa-de-metas.pdf?nivel=2",
    "/iniciativas/calendario/",
]


def test_every_page_works_before_there_is_any_initiative(w: World) -> None:
    client = client_for(w.mayor_alfa, w.alfa)
    for path in ALFA_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
    assert "No hay ARO con estos filtros." in client.get("/iniciativas/informes/").content.decode()
    assert "No hay ARO que esperen" in _pdf_text(client.get("/iniciativas/mesa-de-metas.pdf?nivel=3").content)
    assert "No hay iniciativas con estos criterios." in client.get("/iniciativas/calendario/").content.decode()


def _seed_beta(w: World) -> Initiative:
    use_municipality(w.beta)
    secret = services.initiative_save(
        actor=None,
        data={
            "name": "Plan secreto de Beta", "objective": "Nada que ver con Alfa.", "product_kind": ProductKind.OTHER,
            "manager_id": w.admin_beta.pk, "start_date": date.today(), "target_date": date.today() + timedelta(days=90),
        },
    )  # fmt: skip
    services.milestone_save(
        actor=None, initiative=secret,
        data={"name": "Meta beta", "due_date": date.today() + timedelta(days=30), "responsible_id": w.admin_beta.pk},
    )  # fmt: skip
    aro = services.aro_raise(
        actor=None, initiative=secret, kind=AroKind.RESTRICTION, aro_type=aro_type("legal"),
        description="Restricción confidencial de Beta",
    )  # fmt: skip
    services.aro_escalate(actor=None, aro=aro, comment="Al comité de Beta")
    use_public_schema()
    return secret


def test_members_of_another_municipality_get_404_and_never_see_alfa_data(w: World) -> None:
    _seed_beta(w)
    use_municipality(w.alfa)
    s = seed_alfa(w)
    services.aro_escalate(actor=None, aro=s["money"], comment="Al comité de Alfa")
    use_public_schema()
    stranger = client_for(w.admin_beta, w.alfa)
    for path in [*ALFA_PAGES, f"/iniciativas/{s['water'].pk}/calendario/"]:
        response = stranger.get(path)
        assert response.status_code == 404, path
        assert b"Acueducto" not in response.content and b"%PDF" not in response.content[:4]
    assert client_for(w.outsider, w.alfa).get("/iniciativas/informes/").status_code == 404
    assert client_for(None, w.alfa).get("/iniciativas/informes/").status_code == 302

    beta = client_for(w.admin_beta, w.beta)
    for path in ALFA_PAGES:
        response = beta.get(path)
        assert response.status_code == 200, path
        body = _pdf_text(response.content) if path.endswith("nivel=2") and ".pdf" in path else None
        content = body if body is not None else response.content.decode("utf-8", errors="replace")
        for alfa_text in ("Acueducto", "Falta presupuesto", "Ventanilla", "Gustavo Gerente"):
            assert alfa_text not in content, (path, alfa_text)
    assert "Restricción confidencial de Beta" in beta.get("/iniciativas/mesa-de-metas/?nivel=2").content.decode()
    export = beta.get("/iniciativas/informes/exportar.xlsx").content
    sheet = load_workbook(io.BytesIO(export))["ARO"]
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] and all(
        "Alfa" not in str(c.value) and "Acueducto" not in str(c.value) for r in sheet.iter_rows() for c in r
    )


def test_report_page_queries_do_not_grow_with_the_number_of_initiatives(
    in_alfa: World, django_assert_max_num_queries: Any
) -> None:
    seed_alfa(in_alfa)
    use_public_schema()
    client = client_for(in_alfa.admin_alfa, in_alfa.alfa)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/iniciativas/informes/").status_code == 200
    use_municipality(in_alfa.alfa)
    barrio = Place.objects.get(code="B1")
    for n in range(8):
        initiative, milestones = make_initiative(in_alfa, name=f"Más obras {n}", places=[barrio], close=True)
        raise_aro(initiative, AroKind.ALERT, "legal", f"Alerta {n}", milestones[1])
    use_public_schema()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/iniciativas/informes/?lugar=" + str(barrio.pk))
    assert response.status_code == 200 and "Más obras 7" in response.content.decode()
