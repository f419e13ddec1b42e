"""The dashboard's server-side SVG charts: well-formed, named, escaped, with a table that
holds exactly the drawn numbers, a clear empty state, and data read in a fixed number of
queries from the right rows."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tenants.agenda import services as agenda_services
from tenants.agenda.models import Activity, ActivityStatus
from tenants.dashboard import chart_data, charts, selectors
from tenants.dashboard.charts import Chart, Series
from tenants.dashboard.models import PortfolioSnapshot
from tenants.db import local_today, use_municipality, use_public_schema
from tenants.initiatives import rules
from tenants.initiatives import services as initiative_services
from tenants.initiatives.cycle import cycle_day
from tenants.initiatives.models import Aro, AroKind, AroType, Milestone, Status
from tenants.initiatives.rules import Light
from tenants.structure.models import Place, PlaceLevel, PlaceLevelSet, Theme
from tests.agenda.conftest import BOGOTA
from tests.conftest import World, client_for
from tests.initiatives.conftest import make_initiative

SVG = "{http://www.w3.org/2000/svg}"
NASTY = 'Barrio <b>"Sur"</b> & Co'


def parse(chart: Chart) -> ET.Element:
    root = ET.fromstring(str(chart.svg))  # noqa: S314 - markup this code made
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 ")
    assert root.get("width") == "100%"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == chart.title
    assert chart.summary in (desc.text or "")
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]


BLUE = Series(key="a", label="Serie A", colour=charts.BLUE)
GREEN = Series(key="b", label="Serie B", colour=charts.GREEN, pattern="stripes")


# --- The builders ------------------------------------------------------------------------------


def test_a_bar_chart_is_well_formed_svg_and_its_table_is_its_data() -> None:
    chart = charts.bar_chart(
        id="chart-test", title="Horas por tema", summary="Salud lleva más tiempo.",
        categories=["Salud", "Educación", NASTY], values=[12.5, 3, 0.5], series=BLUE,
        caption="Horas por tema", category_header="Tema",
    )  # fmt: skip
    root = parse(chart)
    drawn = bars(root)
    assert len(drawn) == 3
    assert "".join(drawn[2].itertext()).startswith(NASTY)  # escaped in the markup, intact once parsed
    assert NASTY in texts(root)
    assert "<b>" not in str(chart.svg) and "&lt;b&gt;" in str(chart.svg)
    # The longest bar is the biggest value.
    widths = [float(r.get("width", 0)) for r in drawn]
    assert widths[0] > widths[1] > widths[2] > 0
    assert chart.table.headers == ["Tema", "Serie A"]
    assert chart.table.rows == [["Salud", "12.5"], ["Educación", "3"], [NASTY, "0.5"]]
    assert chart.legend == []  # one series: the title says what it is
    assert not chart.empty


def test_grouped_and_stacked_bars_draw_every_value_and_total_it() -> None:
    values: list[list[float | None]] = [[3, 1], [0, 2], [None, None], [4, 4]]
    grouped = charts.grouped_bars(
        id="chart-grouped", title="ARO", summary="Resumen.", categories=["s1", "s2", "s3", "s4"],
        series=[BLUE, GREEN], values=values, caption="ARO por semana", category_header="Semana",
    )  # fmt: skip
    root = parse(grouped)
    assert len(bars(root)) == 8 - 2  # two per category, none for the week without data
    assert grouped.table.rows == [["s1", "3", "1"], ["s2", "0", "2"], ["s3", "—", "—"], ["s4", "4", "4"]]
    assert [item.label for item in grouped.legend] == ["Serie A", "Serie B"]
    for item in grouped.legend:  # each swatch is its own well-formed SVG with its pattern
        swatch = ET.fromstring(str(item.swatch))  # noqa: S314
        assert swatch.get("aria-hidden") == "true" and swatch.find(f"{SVG}defs") is not None

    stacked = charts.stacked_bars(
        id="chart-stacked", title="Semáforos", summary="Resumen.", categories=["s1", "s2", "s3", "s4"],
        series=[BLUE, GREEN], values=values, caption="Por semana", category_header="Semana", marker=3,
        marker_label="Hoy",
    )  # fmt: skip
    root = parse(stacked)
    assert len(bars(root)) == 5  # zero-height segments are not drawn
    assert stacked.table.headers[-1] == "Total"
    assert [row[-1] for row in stacked.table.rows] == ["4", "2", "—", "8"]
    assert {"4", "2", "8", "Hoy"} <= set(texts(root))
    assert any(t.startswith("—") and "sin datos" in t for t in texts(root))  # the week without data
    # Different series never rely on colour alone: each has its own pattern.
    patterns = {p.get("id"): p for p in root.iter(f"{SVG}pattern")}
    assert set(patterns) == {"chart-stacked-p-a", "chart-stacked-p-b"}
    fills = {r.get("fill") for r in bars(root)}
    assert fills == {"url(#chart-stacked-p-a)", "url(#chart-stacked-p-b)"}


def test_the_thermometer_writes_its_value() -> None:
    table = charts.DataTable(caption="Iniciativas", headers=["Iniciativa", "Termómetro"], rows=[[NASTY, "47 %"]])
    chart = charts.thermometer(id="chart-thermo", title="Termómetro", summary="47 %.", value=47, table=table)
    root = parse(chart)
    assert "47 %" in texts(root)
    assert chart.table.rows == [[NASTY, "47 %"]]
    html = render_to_string("dashboard/_chart.html", {"chart": chart})
    assert "&lt;b&gt;&quot;Sur&quot;&lt;/b&gt; &amp; Co" in html and "<b>" not in html
    assert '<details class="chart-data">' in html and "<caption>Iniciativas</caption>" in html
    assert '<th scope="row">' in html and '<th scope="col"' in html


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.bar_chart(
            id="chart-e", title="Vacío", summary="—", categories=[], values=[], series=BLUE, caption="c",
            category_header="h", empty_message="Aún no hay actividades.",
        ),
        lambda: charts.grouped_bars(
            id="chart-e", title="Vacío", summary="—", categories=["a", "b"], series=[BLUE, GREEN],
            values=[[0, 0], [None, None]], caption="c", category_header="h", empty_message="Aún no hay ARO.",
        ),
        lambda: charts.thermometer(
            id="chart-e", title="Vacío", summary="—", value=None, table=charts.DataTable("c", [], []),
            empty_message="Aún no hay iniciativas.",
        ),
    ],
)  # fmt: skip
def test_no_data_yet_is_said_clearly(build: Any) -> None:
    chart = build()
    assert chart.empty
    assert chart.summary.startswith("Aún no hay")
    root = parse(chart)
    assert "Aún no hay datos" in texts(root)
    assert bars(root) == []
    html = render_to_string("dashboard/_chart.html", {"chart": chart})
    assert "Aún no hay" in html and "<details" not in html  # no empty table


def test_chart_ids_are_checked() -> None:
    with pytest.raises(ValueError, match="chart id"):
        charts.bar_chart(
            id='x" onload="alert(1)', title="t", summary="s", categories=["a"], values=[1], series=BLUE,
            caption="c", category_header="h",
        )  # fmt: skip


# --- The data ----------------------------------------------------------------------------------


def _by_id(today: date) -> dict[str, Chart]:
    return {c.id: c for c in chart_data.charts_context(today)["charts"]}


def _place(name: str) -> Place:
    level_set = PlaceLevelSet.objects.create(name=f"Territorio {name}")
    level = PlaceLevel.objects.create(level_set=level_set, name="Barrio", rank=1)
    return Place.objects.create(code=f"P{Place.objects.count() + 1}", name=name, level=level)


def _activity(title: str, start: datetime, hours: float, **data: Any) -> Activity:
    activity, _overlaps = agenda_services.activity_save(
        actor=None,
        data={"title": title, "kind": "meeting", "status": "confirmed", "is_public": False, "starts_at": start,
              "ends_at": start + timedelta(hours=hours), **data},
    )  # fmt: skip
    return activity


def test_an_empty_municipality_has_every_chart_in_its_empty_state(w: World) -> None:
    use_municipality(w.alfa)
    found = _by_id(local_today())
    assert list(found) == [
        "chart-thermometer", "chart-lights", "chart-aro-weeks", "chart-aro-types", "chart-milestones",
        "chart-agenda-themes", "chart-agenda-places",
    ]  # fmt: skip
    assert all(c.empty for c in found.values()), [c.id for c in found.values() if not c.empty]
    for chart in found.values():
        parse(chart)


def test_portfolio_thermometer_and_lights_over_time(w: World) -> None:
    use_municipality(w.alfa)
    today = local_today()
    late, _late_ms = make_initiative(
        w, name='Acueducto <rural> & "norte"', close=True, start=today - timedelta(days=200)
    )
    initiative_services.initiative_set_status(actor=None, initiative=late, status=Status.IN_EXECUTION)
    ok, ok_ms = make_initiative(w, name="Parque central", close=True)
    initiative_services.initiative_set_status(actor=None, initiative=ok, status=Status.IN_EXECUTION)
    Milestone.objects.filter(pk=ok_ms[0].pk).update(weight=3, progress=60)
    make_initiative(w, name="Borrador sin semáforo")  # a draft: no light, not in the thermometer

    # Snapshots of earlier weeks (one week missing), and a stale one of this week.
    week = rules.week_start(today, cycle_day())
    for back, lights in ((3, {"late": 1, "on_time": 4}), (1, {"late": 2, "at_risk": 1}), (0, {"late": 9})):
        PortfolioSnapshot.objects.create(week_start=week - timedelta(days=7 * back), taken_at=timezone.now(),
                                         lights=lights)  # fmt: skip

    charts_by_id = _by_id(today)
    states = chart_data.portfolio_states(today)
    thermo = charts_by_id["chart-thermometer"]
    expected = selectors.portfolio_thermometer(states)
    assert expected is not None and f"{expected} %" in texts(parse(thermo))
    assert str(expected) in thermo.summary
    assert [row[0] for row in thermo.table.rows] == sorted(
        [s.initiative.name for s in states if s.light != Light.NONE],
        key=lambda name: next(s.thermometer for s in states if s.initiative.name == name),
    )
    # The initiative's name is escaped in the markup it reaches.
    assert "Acueducto &lt;rural&gt;" in render_to_string("dashboard/_chart.html", {"chart": thermo})

    lights = charts_by_id["chart-lights"]
    root = parse(lights)
    rows = lights.table.rows
    assert len(rows) == chart_data.WEEKS
    assert lights.table.headers[1:] == [lt.label for lt in chart_data.LIGHTS] + ["Total"]
    live = chart_data.light_counts(states)
    # This week is live (not the stored 9 late), earlier weeks come from their snapshot.
    assert rows[-1][1:] == [str(live[lt]) for lt in chart_data.LIGHTS] + [
        str(sum(live[lt] for lt in chart_data.LIGHTS))
    ]
    assert rows[-2][1:] == ["2", "1", "0", "0", "3"]
    assert rows[-3][1:] == ["—"] * 5  # no snapshot that week
    assert rows[-4][1:] == ["1", "0", "4", "0", "5"]
    assert "en vivo" in rows[-1][0]
    # Traffic lights carry their icon in the legend, and have their own patterns.
    assert [(i.icon, i.label) for i in lights.legend] == [(lt.icon, lt.label) for lt in chart_data.LIGHTS]
    assert {p.get("id") for p in root.iter(f"{SVG}pattern")} == {f"chart-lights-p-{lt.css}" for lt in chart_data.LIGHTS}


def test_aro_opened_and_resolved_per_week_and_type(w: World) -> None:
    use_municipality(w.alfa)
    today = local_today()
    week = rules.week_start(today, cycle_day())
    initiative, _milestones = make_initiative(w, close=True)
    initiative_services.initiative_set_status(actor=None, initiative=initiative, status=Status.IN_EXECUTION)
    legal, financial = AroType.objects.get(key="legal"), AroType.objects.get(key="financial")

    def raise_(aro_type: AroType, raised: date, closed: date | None = None) -> Aro:
        aro = initiative_services.aro_raise(
            actor=None, initiative=initiative, kind=AroKind.ALERT, aro_type=aro_type, description="Riesgo"
        )
        Aro.objects.filter(pk=aro.pk).update(raised_on=raised, closed_on=closed, is_open=closed is None)
        return aro

    raise_(legal, week)
    raise_(legal, week + timedelta(days=1), closed=week + timedelta(days=2))
    raise_(financial, week - timedelta(days=7), closed=week)
    raise_(financial, week - timedelta(days=7 * 20))  # too old: not counted

    found = _by_id(today)
    weekly = found["chart-aro-weeks"]
    parse(weekly)
    assert weekly.table.headers == ["Semana que empieza el", "Registradas", "Resueltas"]
    assert weekly.table.rows[-1][1:] == ["2", "2"]  # this week: two raised, two closed
    assert weekly.table.rows[-2][1:] == ["1", "0"]
    assert all(row[1:] == ["0", "0"] for row in weekly.table.rows[:-2])
    assert "registradas 3, resueltas 2" in weekly.summary

    by_type = found["chart-aro-types"]
    parse(by_type)
    assert by_type.table.rows == [["Legal", "2", "1"], ["Financiera", "1", "1"]]
    assert "«Legal» (2)" in by_type.summary


def test_milestones_due_and_completed_per_month(w: World) -> None:
    use_municipality(w.alfa)
    today = local_today()
    initiative, milestones = make_initiative(w, close=True, start=today - timedelta(days=100), months=8)
    initiative_services.initiative_set_status(actor=None, initiative=initiative, status=Status.IN_EXECUTION)
    Milestone.objects.filter(pk=milestones[0].pk).update(completed_on=today, progress=100)
    cancelled, _ms = make_initiative(w, name="Cancelada", close=True)
    initiative_services.initiative_set_status(
        actor=None, initiative=cancelled, status=Status.CANCELLED, comment="Sin fondos"
    )

    chart = _by_id(today)["chart-milestones"]
    parse(chart)
    rows = chart.table.rows
    assert len(rows) == 13
    this_month = rows[chart_data.MONTHS_BACK]
    due_total = sum(int(r[1]) for r in rows)
    live = Milestone.objects.exclude(initiative__status=Status.CANCELLED)
    start = chart_data._add_months(today.replace(day=1), -6)
    end = chart_data._add_months(today.replace(day=1), 7)
    assert due_total == live.filter(due_date__gte=start, due_date__lt=end).count() == 3
    assert this_month[2] == "1" and sum(int(r[2]) for r in rows) == 1
    for month_row, month in zip(
        rows, [chart_data._add_months(today.replace(day=1), k) for k in range(-6, 7)], strict=True
    ):
        expected = live.filter(due_date__year=month.year, due_date__month=month.month).count()
        assert month_row[1] == str(expected), month_row


def test_agenda_time_by_theme_and_place(w: World) -> None:
    use_municipality(w.alfa)
    health = Theme.objects.create(code="SAL", name="Salud")
    nasty = Theme.objects.create(code="X1", name=NASTY)
    north = _place("Barrio Norte")
    now = datetime.now(BOGOTA).replace(minute=0, second=0, microsecond=0)
    _activity("Visita al hospital", now - timedelta(days=3), 2, themes=[health, nasty], place=north)
    _activity("Consejo de salud", now - timedelta(days=10), 1.5, themes=[health])
    _activity("Reunión sin tema", now - timedelta(days=1), 1)
    gone = _activity("Cancelada", now - timedelta(days=2), 5, themes=[health], place=north)
    Activity.objects.filter(pk=gone.pk).update(status=ActivityStatus.CANCELLED)
    _activity("Hace mucho", now - timedelta(days=120), 4, themes=[health])

    found = _by_id(local_today())
    themes = found["chart-agenda-themes"]
    root = parse(themes)
    # Counted to each of its themes; cancelled and older ones left out.
    assert themes.table.rows == [["Salud", "3,5 h"], [NASTY, "2,0 h"], ["Sin tema", "1,0 h"]]
    assert NASTY in texts(root) and "&lt;b&gt;" in str(themes.svg)
    assert "varios temas" in themes.note
    assert themes.summary.startswith("4,5 h de agenda")  # the real total: nothing counted twice
    places = found["chart-agenda-places"]
    parse(places)
    assert places.table.rows == [["Sin lugar", "2,5 h"], ["Barrio Norte", "2,0 h"]]
    # Only names and sums: no activity's title reaches the charts.
    html = render_to_string("dashboard/_charts.html", {"charts": list(found.values())})
    assert "Visita al hospital" not in html and "Consejo de salud" not in html


def test_many_categories_are_summed_as_others(w: World) -> None:
    use_municipality(w.alfa)
    now = datetime.now(BOGOTA).replace(minute=0, second=0, microsecond=0)
    for n in range(12):
        theme = Theme.objects.create(code=f"T{n}", name=f"Tema {n:02d}")
        _activity(f"Actividad {n}", now - timedelta(days=n + 1), 1 + n / 10, themes=[theme])
    rows = _by_id(local_today())["chart-agenda-themes"].table.rows
    assert len(rows) == chart_data.TOP + 1
    assert rows[0][0] == "Tema 11" and rows[-1][0] == "Otros temas (4)"
    assert rows[-1][1] == "4,6 h"  # 1.0 + 1.1 + 1.2 + 1.3


def test_charts_are_read_in_a_fixed_number_of_queries(w: World) -> None:
    use_municipality(w.alfa)
    today = local_today()
    north = _place("Norte")
    now = datetime.now(BOGOTA).replace(minute=0, second=0, microsecond=0)

    def grow(first: int, last: int) -> None:
        legal = AroType.objects.get(key="legal")
        for n in range(first, last):
            initiative, _ms = make_initiative(w, name=f"Iniciativa {n}", close=True)
            initiative_services.initiative_set_status(actor=None, initiative=initiative, status=Status.IN_EXECUTION)
            initiative_services.aro_raise(
                actor=None, initiative=initiative, kind=AroKind.ALERT, aro_type=legal, description="Riesgo"
            )
            theme = Theme.objects.create(code=f"Q{n}", name=f"Tema {n}")
            _activity(f"Actividad {n}", now - timedelta(days=n + 1), 1, themes=[theme], place=north)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            chart_data.charts_context(today)
        return len(queries)

    grow(0, 1)
    small = count()
    grow(1, 8)
    assert count() == small
    assert small <= 15


def test_the_dashboard_page_shows_the_charts_and_beta_sees_its_own(w: World) -> None:
    use_municipality(w.beta)
    Theme.objects.create(code="BETA", name="Solo de Beta")
    now = datetime.now(BOGOTA).replace(minute=0, second=0, microsecond=0)
    _activity("Beta meeting", now - timedelta(days=1), 2, themes=[Theme.objects.get(code="BETA")])
    use_public_schema()
    page = client_for(w.mayor_alfa, w.alfa).get("/tablero/").content.decode()
    assert 'id="chart-agenda-themes"' in page and "Solo de Beta" not in page
    assert page.count('role="img"') >= 7
    beta = client_for(w.admin_beta, w.beta).get("/tablero/")
    assert beta.status_code == 200 and "Solo de Beta" in beta.content.decode()
    assert client_for(w.admin_beta, w.alfa).get("/tablero/").status_code == 404
