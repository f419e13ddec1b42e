"""The data behind the dashboard's charts, read in a fixed number of queries whatever the
size of the municipality (counts and sums are grouped in the database; Python only walks
the grouped rows, which are bounded by weeks, months, types, themes and places).

`charts_context(today)` is what the dashboard's view merges into its context; pass the
portfolio's states when the view has already computed them, to save their queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tenants.agenda import selectors as agenda_selectors
from tenants.agenda.models import Activity, ActivityStatus
from tenants.dashboard import charts, selectors
from tenants.dashboard.charts import Chart, DataTable, Series
from tenants.initiatives import rules
from tenants.initiatives.cycle import cycle_day
from tenants.initiatives.models import Aro, AroType, BuiltInAroType, Initiative, Milestone
from tenants.initiatives.rules import Light
from tenants.initiatives.selectors import WITHOUT_LIGHT, InitiativeState, compute_states

WEEKS = 12  # the current week and the eleven before it
MONTHS_BACK = MONTHS_AHEAD = 6
AGENDA_DAYS = 90
TOP = 8  # categories drawn before the rest are summed as "others"

# Bottom to top of a stack: the worst first, where the eye starts.
LIGHTS = (Light.LATE, Light.AT_RISK, Light.ON_TIME, Light.DONE)
LIGHT_COLOURS = {
    Light.LATE: charts.RED,
    Light.AT_RISK: charts.BROWN,
    Light.ON_TIME: charts.GREEN,
    Light.DONE: charts.BLUE,
    Light.NONE: charts.GREY,
}
LIGHT_PATTERNS = {Light.LATE: "cross", Light.AT_RISK: "stripes", Light.ON_TIME: "solid", Light.DONE: "dots"}


def light_series() -> list[Series]:
    return [
        Series(key=lt.css, label=lt.label, colour=LIGHT_COLOURS[lt], pattern=LIGHT_PATTERNS[lt], icon=lt.icon)
        for lt in LIGHTS
    ]


def hours(value: float) -> str:
    return _("%(n)s h") % {"n": number_format(value, decimal_pos=1)}


def count(value: float) -> str:
    return number_format(int(value))


# --- Portfolio thermometer ---------------------------------------------------------------------


def _lit(states: Iterable[InitiativeState]) -> list[InitiativeState]:
    return [s for s in states if s.light != Light.NONE]


def _weight(state: InitiativeState) -> int:
    return sum(m.milestone.weight for m in state.milestones)


def thermometer_chart(states: Sequence[InitiativeState]) -> Chart:
    lit = sorted(_lit(states), key=lambda s: (s.thermometer, s.initiative.name.lower()))
    value = selectors.portfolio_thermometer(lit)  # the same figure as the snapshots'
    title = _("Termómetro de la cartera")
    table = DataTable(
        caption=_("Termómetro de cada iniciativa con semáforo y su peso en el promedio"),
        headers=[_("Iniciativa"), _("Semáforo"), _("Termómetro"), _("Peso")],
        rows=[
            [s.initiative.name, f"{s.light.icon} {s.light.label}", f"{s.thermometer} %", count(_weight(s))] for s in lit
        ],
    )
    if value is None:
        return charts.empty_chart(
            "chart-thermometer", title, _("Aún no hay iniciativas con semáforo: el termómetro se calcula con ellas.")
        )
    summary = ngettext(
        "Avance ponderado de la cartera: %(value)s %% (%(n)s iniciativa con semáforo).",
        "Avance ponderado de la cartera: %(value)s %% (%(n)s iniciativas con semáforo).",
        len(lit),
    ) % {"value": value, "n": len(lit)}
    note = _(
        "Cada iniciativa pesa según la suma de los pesos de sus metas intermedias; las cumplidas cuentan como 100 %."
    )
    return charts.thermometer(id="chart-thermometer", title=title, summary=summary, value=value, table=table, note=note)


# --- Traffic lights over time ------------------------------------------------------------------


def light_counts(states: Iterable[InitiativeState]) -> dict[Light, int]:
    found = dict.fromkeys(Light, 0)
    for s in states:
        found[s.light] += 1
    return found


def lights_chart(states: Sequence[InitiativeState], *, today: date, day: int) -> Chart:
    current = rules.week_start(today, day)
    weeks = [current - timedelta(days=7 * (WEEKS - 1 - i)) for i in range(WEEKS)]
    by_week: dict[date, dict[str, int]] = {}
    for snap in selectors.snapshots(WEEKS):
        # Snapshots keep the week they were taken in; a later change of the cycle's first
        # day moves them to the week that now contains that day.
        by_week[rules.week_start(snap.week_start, day)] = snap.lights or {}
    live = light_counts(states)
    values: list[list[float | None]] = []
    for week in weeks[:-1]:
        lights = by_week.get(week)
        values.append([int(lights.get(lt.name.lower(), 0)) for lt in LIGHTS] if lights is not None else [None] * 4)
    # This week is computed live: later edits in the week show at once.
    values.append([live[lt] for lt in LIGHTS])
    categories = [date_format(w, "SHORT_DATE_FORMAT") for w in weeks]
    categories[-1] = _("%(date)s (esta semana, en vivo)") % {"date": categories[-1]}
    lit = sum(live[lt] for lt in LIGHTS)
    summary = _(
        "Esta semana, %(total)s con semáforo: atrasadas %(late)s, en riesgo %(risk)s, en tiempo %(ok)s, "
        "cumplidas %(done)s."
    ) % {
        "total": ngettext("%(n)s iniciativa", "%(n)s iniciativas", lit) % {"n": lit},
        "late": live[Light.LATE],
        "risk": live[Light.AT_RISK],
        "ok": live[Light.ON_TIME],
        "done": live[Light.DONE],
    }
    previous = values[-2]
    if previous[0] is not None:
        summary += " " + _("La semana anterior: atrasadas %(late)s, en riesgo %(risk)s.") % {
            "late": previous[0],
            "risk": previous[1],
        }
    return charts.stacked_bars(
        id="chart-lights", title=_("Semáforos de la cartera, semana a semana"), summary=summary,
        categories=categories, short_categories=[date_format(w, "j M") for w in weeks], series=light_series(),
        values=values, caption=_("Iniciativas por semáforo en cada semana del ciclo"),
        category_header=_("Semana que empieza el"), fmt=count,
        note=_(
            "Las semanas pasadas vienen de la foto semanal de la cartera, que no cambia con ediciones posteriores; "
            "una raya indica una semana sin foto."
        ),
        empty_message=_("Aún no hay iniciativas con semáforo."),
    )  # fmt: skip


# --- ARO opened and resolved -------------------------------------------------------------------


def _type_label(key: str | None, name: str) -> str:
    return str(BuiltInAroType(key).label) if key else name


def aro_charts(*, today: date, day: int) -> list[Chart]:
    """Registered (raised_on) and resolved (closed_on) ARO per cycle week, and the same 12
    weeks by problem type. Grouped by day and type in the database: at most 84 rows per type."""
    current = rules.week_start(today, day)
    first = current - timedelta(days=7 * (WEEKS - 1))
    last = current + timedelta(days=6)
    weeks = [first + timedelta(days=7 * i) for i in range(WEEKS)]
    opened: dict[tuple[int, int], int] = defaultdict(int)  # (week index, type id) → n
    resolved: dict[tuple[int, int], int] = defaultdict(int)
    for field, found in (("raised_on", opened), ("closed_on", resolved)):
        rows = (
            Aro.objects.filter(**{f"{field}__gte": first, f"{field}__lte": last})
            .order_by()
            .values_list(field, "aro_type_id")
            .annotate(n=Count("pk"))
        )
        for day_, type_id, n in rows:
            found[((day_ - first).days // 7, type_id)] += n
    types = {t.pk: _type_label(t.key, t.name) for t in AroType.objects.only("pk", "key", "name", "position")}
    series = [
        Series(key="opened", label=_("Registradas"), colour=charts.BLUE, pattern="solid"),
        Series(key="resolved", label=_("Resueltas"), colour=charts.GREEN, pattern="stripes"),
    ]
    weekly: list[list[float | None]] = [
        [
            sum(n for (w, _t), n in opened.items() if w == i),
            sum(n for (w, _t), n in resolved.items() if w == i),
        ]
        for i in range(WEEKS)
    ]
    total_opened = sum(opened.values())
    total_resolved = sum(resolved.values())
    summary = _(
        "ARO de las últimas %(weeks)s semanas: registradas %(opened)s, resueltas %(resolved)s. Esta semana: "
        "registradas %(now_opened)s, resueltas %(now_resolved)s."
    ) % {
        "weeks": WEEKS,
        "opened": total_opened,
        "resolved": total_resolved,
        "now_opened": weekly[-1][0],
        "now_resolved": weekly[-1][1],
    }
    weekly_chart = charts.grouped_bars(
        id="chart-aro-weeks", title=_("ARO registradas y resueltas por semana"), summary=summary,
        categories=[date_format(w, "SHORT_DATE_FORMAT") for w in weeks],
        short_categories=[date_format(w, "j M") for w in weeks], series=series, values=weekly,
        caption=_("ARO registradas y resueltas en cada semana del ciclo"),
        category_header=_("Semana que empieza el"), fmt=count,
        note=_("Alertas, restricciones y oportunidades. Resuelta: cerrada con su resolución."),
        empty_message=_("No se registraron ni resolvieron ARO en las últimas %(weeks)s semanas.") % {"weeks": WEEKS},
    )  # fmt: skip
    by_type: dict[int, list[float]] = defaultdict(lambda: [0, 0])
    for (_w, type_id), n in opened.items():
        by_type[type_id][0] += n
    for (_w, type_id), n in resolved.items():
        by_type[type_id][1] += n
    ordered = sorted(by_type.items(), key=lambda item: (-item[1][0], -item[1][1], types.get(item[0], "")))
    type_names = [types.get(type_id, "—") for type_id, _v in ordered]
    type_summary = _("No hay ARO en estas semanas.")
    if ordered:
        type_summary = _("El tipo con más ARO registradas en las últimas %(weeks)s semanas es «%(type)s» (%(n)s).") % {
            "weeks": WEEKS,
            "type": type_names[0],
            "n": int(ordered[0][1][0]),
        }
    type_chart = charts.horizontal_bars(
        id="chart-aro-types", title=_("ARO por tipo de problema"), summary=type_summary, categories=type_names,
        series=series, values=[v for _t, v in ordered],
        caption=_("ARO registradas y resueltas por tipo en las últimas %(weeks)s semanas") % {"weeks": WEEKS},
        category_header=_("Tipo"), fmt=count,
        empty_message=_("No se registraron ni resolvieron ARO en las últimas %(weeks)s semanas.") % {"weeks": WEEKS},
    )  # fmt: skip
    return [weekly_chart, type_chart]


# --- Milestones due and completed per month ----------------------------------------------------


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def milestones_chart(*, today: date) -> Chart:
    """Milestones due in each month and milestones completed in each month, from six months
    back to six months ahead, of initiatives that expect work (no drafts, suspended or
    cancelled ones, as for the traffic lights)."""
    this_month = today.replace(day=1)
    months = [_add_months(this_month, k) for k in range(-MONTHS_BACK, MONTHS_AHEAD + 1)]
    start, end = months[0], _add_months(months[-1], 1) - timedelta(days=1)
    live = Milestone.objects.exclude(initiative__status__in=WITHOUT_LIGHT)

    def per_month(field: str) -> dict[date, int]:
        """How many of `live` have their date `field` in each month from start to end."""
        return dict(
            live.filter(**{f"{field}__gte": start, f"{field}__lte": end})
            .annotate(month=TruncMonth(field))
            .order_by()
            .values("month")
            .annotate(n=Count("pk"))
            .values_list("month", "n")
        )

    due, done = per_month("due_date"), per_month("completed_on")
    values: list[list[float | None]] = [[due.get(m, 0), done.get(m, 0)] for m in months]
    now = MONTHS_BACK
    ahead = sum(due.get(m, 0) for m in months[now + 1 :])
    summary = _(
        "Metas intermedias de este mes: vencen %(due)s, cumplidas %(done)s. En los próximos %(months)s meses "
        "vencen %(ahead)s."
    ) % {"due": values[now][0], "done": values[now][1], "months": MONTHS_AHEAD, "ahead": ahead}
    return charts.grouped_bars(
        id="chart-milestones", title=_("Metas intermedias por mes: vencen y cumplidas"), summary=summary,
        categories=[date_format(m, "YEAR_MONTH_FORMAT") for m in months],
        short_categories=[date_format(m, "M") for m in months],
        series=[
            Series(key="due", label=_("Vencen en el mes"), colour=charts.BROWN, pattern="hatch"),
            Series(key="done", label=_("Cumplidas en el mes"), colour=charts.BLUE, pattern="dots"),
        ],
        values=values, caption=_("Metas intermedias que vencen y que se cumplieron en cada mes"),
        category_header=_("Mes"), fmt=count, marker=now, marker_label=_("Hoy"),
        note=_("Seis meses atrás y seis adelante. Se cuentan las metas de iniciativas programadas, en ejecución "
               "o completadas; vencen: según su fecha actual."),
        empty_message=_("No hay metas intermedias que venzan o se cumplan entre %(start)s y %(end)s.")
        % {"start": date_format(start, "YEAR_MONTH_FORMAT"), "end": date_format(end, "YEAR_MONTH_FORMAT")},
    )  # fmt: skip


# --- Agenda time by theme and by place ---------------------------------------------------------


def _top(rows: list[tuple[str, float]], others: str) -> list[tuple[str, float]]:
    rows = sorted(rows, key=lambda r: (-r[1], r[0].lower()))
    if len(rows) <= TOP + 1:
        return rows
    rest = rows[TOP:]
    return [*rows[:TOP], (others % {"n": len(rest)}, sum(v for _k, v in rest))]


def agenda_charts(*, today: date) -> list[Chart]:
    """Hours of the mayor's activities that started in the last 90 days (today included),
    cancelled ones left out. Only sums of hours per theme and per place are shown, so a
    private activity's title or details never appear."""
    lo, _hi = agenda_selectors.day_bounds(today - timedelta(days=AGENDA_DAYS - 1))
    _lo, hi = agenda_selectors.day_bounds(today)
    span = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
    base = Activity.objects.filter(starts_at__gte=lo, starts_at__lt=hi).exclude(status=ActivityStatus.CANCELLED)
    theme_rows = base.order_by().values("themes__id", "themes__name").annotate(total=Sum(span))
    place_rows = base.order_by().values("place_id", "place__name").annotate(total=Sum(span))

    def h(total: timedelta | None) -> float:
        return round((total or timedelta()).total_seconds() / 3600, 1)

    by_theme = [(r["themes__name"] or _("Sin tema"), h(r["total"])) for r in theme_rows]
    by_place = [(r["place__name"] or _("Sin lugar"), h(r["total"])) for r in place_rows]
    total = sum(v for _k, v in by_place)  # each activity has one place (or none): no double count
    series = Series(key="hours", label=_("Horas"), colour=charts.BLUE, pattern="solid")
    empty = _("No hay actividades en la agenda de los últimos %(days)s días.") % {"days": AGENDA_DAYS}
    out = []
    for chart_id, title, rows, header, others, what, note in (
        (
            "chart-agenda-themes", _("Tiempo de agenda por tema"), by_theme, _("Tema"), _("Otros temas (%(n)s)"),
            _(
                "%(total)s de agenda en los últimos %(days)s días; el tema con más tiempo es «%(name)s» "
                "(%(hours)s)."
            ),
            _("Una actividad con varios temas suma sus horas a cada uno, por eso las barras pueden sumar más que "
              "el total. No se cuentan las actividades canceladas; de las privadas solo se suman las horas."),
        ),
        (
            "chart-agenda-places", _("Tiempo de agenda por lugar"), by_place, _("Lugar"), _("Otros lugares (%(n)s)"),
            _(
                "%(total)s de agenda en los últimos %(days)s días; el lugar con más tiempo es «%(name)s» "
                "(%(hours)s)."
            ),
            _("No se cuentan las actividades canceladas; de las privadas solo se suman las horas."),
        ),
    ):  # fmt: skip
        top = _top(rows, others)
        summary = empty
        if top:
            summary = what % {"total": hours(total), "days": AGENDA_DAYS, "name": top[0][0], "hours": hours(top[0][1])}
        out.append(
            charts.bar_chart(
                id=chart_id,
                title=title,
                summary=summary,
                categories=[k for k, _v in top],
                values=[v for _k, v in top],
                series=series,
                caption=_("Horas de agenda por %(what)s en los últimos %(days)s días")
                % {"what": header.lower(), "days": AGENDA_DAYS},
                category_header=header,
                fmt=hours,
                note=note,
                empty_message=empty,
            )
        )
    return out


# --- All of them -------------------------------------------------------------------------------


def portfolio_states(today: date) -> list[InitiativeState]:
    """Every initiative's computed state (without the managers' names, which no chart shows)."""
    rows = list(Initiative.objects.order_by("name"))
    states = compute_states(rows, today=today, with_names=False)
    return [states[i.pk] for i in rows]


def charts_context(today: date, *, states: Sequence[InitiativeState] | None = None) -> dict[str, Any]:
    """The dashboard's charts, in reading order. `states` (every initiative's state, as
    `initiatives.selectors.portfolio()` gives it) saves their queries when the caller has them."""
    day = cycle_day()
    if states is None:
        states = portfolio_states(today)
    return {
        "charts": [
            thermometer_chart(states),
            lights_chart(states, today=today, day=day),
            *aro_charts(today=today, day=day),
            milestones_chart(today=today),
            *agenda_charts(today=today),
        ]
    }
