"""Control reports, the mesa de metas (printable page and PDF) and the calendar map. Every
member of the municipality may read them (the workspace middleware already answers 404 to
non-members and sends visitors to log in). Thin: parse → read → render; the exports' columns
are here because choosing the columns of a file is serialising, not reading."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tenants.db import local_today
from tenants.initiatives import gantt, pdf, report_selectors
from tenants.initiatives.models import AroKind, ProductKind, Status
from tenants.initiatives.report_selectors import AroRow, ControlReport, InitiativeRow, ReportFilters
from tenants.initiatives.selectors import InitiativeState
from tenants.structure import transfer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters Excel refuses in a sheet's name.
SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")
# Export cells: numbers stay numbers in a workbook.
Cell = str | int


# --- The exports: one table per kind of row, cells as text or numbers ---------------------------


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _join(items: list[str]) -> str:
    return "; ".join(items)


ARO_COLUMNS: list[tuple[Any, Callable[[AroRow], Cell]]] = [
    (gettext_lazy("Fecha"), lambda r: _iso(r.aro.raised_on)),
    (gettext_lazy("Clase"), lambda r: r.aro.get_kind_display()),
    (gettext_lazy("Tipo de problema"), lambda r: str(r.aro.aro_type)),
    (gettext_lazy("Nivel"), lambda r: r.aro.level),
    (gettext_lazy("Estado"), lambda r: _("Abierta") if r.aro.is_open else _("Cerrada")),
    (gettext_lazy("Iniciativa"), lambda r: r.aro.initiative.name),
    (gettext_lazy("Producto público"), lambda r: r.aro.initiative.get_product_kind_display()),
    (gettext_lazy("Meta intermedia"), lambda r: r.aro.milestone.name if r.aro.milestone else ""),
    (gettext_lazy("Gerente"), lambda r: r.manager_name),
    (gettext_lazy("Responsable de la meta"), lambda r: r.responsible_name),
    (gettext_lazy("Lugares"), lambda r: _join(r.places)),
    (gettext_lazy("Temas"), lambda r: _join(r.themes)),
    (gettext_lazy("Descripción"), lambda r: r.aro.description),
    (gettext_lazy("Acción propuesta"), lambda r: r.aro.proposed_action),
    (gettext_lazy("Decisión requerida"), lambda r: r.aro.required_decision),
    (gettext_lazy("Decisión"), lambda r: r.aro.decision),
    (gettext_lazy("Resolución"), lambda r: r.aro.resolution),
    (gettext_lazy("Cerrada el"), lambda r: _iso(r.aro.closed_on)),
]


def _next_name(s: InitiativeState) -> str:
    return s.next_milestone.milestone.name if s.next_milestone else ""


def _next_due(s: InitiativeState) -> str:
    return _iso(s.next_milestone.milestone.due_date) if s.next_milestone else ""


INITIATIVE_COLUMNS: list[tuple[Any, Callable[[InitiativeRow], Cell]]] = [
    (gettext_lazy("Iniciativa"), lambda r: r.state.initiative.name),
    (gettext_lazy("Producto público"), lambda r: r.state.initiative.get_product_kind_display()),
    (gettext_lazy("Estado"), lambda r: r.state.initiative.get_status_display()),
    (gettext_lazy("Gerente"), lambda r: r.state.manager_name),
    (gettext_lazy("Semáforo"), lambda r: r.state.light.label),
    (gettext_lazy("Termómetro (%)"), lambda r: r.state.thermometer),
    (gettext_lazy("Sin reporte reciente"), lambda r: _("Sí") if r.state.stale else _("No")),
    (pgettext_lazy("fecha", "Inicio"), lambda r: _iso(r.state.initiative.start_date)),
    (gettext_lazy("Fecha meta"), lambda r: _iso(r.state.initiative.target_date)),
    (gettext_lazy("Próxima meta"), lambda r: _next_name(r.state)),
    (gettext_lazy("Vence"), lambda r: _next_due(r.state)),
    (gettext_lazy("Lugares"), lambda r: _join(r.places)),
    (gettext_lazy("Temas"), lambda r: _join(r.themes)),
    (gettext_lazy("Alertas abiertas"), lambda r: r.state.open_alerts),
    (gettext_lazy("Restricciones abiertas"), lambda r: r.state.open_restrictions),
    (gettext_lazy("Oportunidades abiertas"), lambda r: r.state.open_opportunities),
]


def aro_table(report: ControlReport) -> tuple[list[str], list[list[Cell]]]:
    return [str(h) for h, _get in ARO_COLUMNS], [[get(r) for _h, get in ARO_COLUMNS] for r in report.aros]


def initiative_table(report: ControlReport) -> tuple[list[str], list[list[Cell]]]:
    columns = INITIATIVE_COLUMNS
    return [str(h) for h, _get in columns], [[get(r) for _h, get in columns] for r in report.initiatives]


def summary_table(report: ControlReport) -> tuple[list[str], list[list[Cell]]]:
    """Every cut as rows of (what, cut, group, column, count): one flat table that a
    spreadsheet can pivot."""
    headers = [_("Registro"), _("Corte"), _("Grupo"), _("Columna"), _("Cantidad")]
    rows: list[list[Cell]] = []
    for what, cuts in ((_("ARO"), report.aro_cuts), (_("Iniciativas"), report.initiative_cuts)):
        for cut in cuts:
            for row in cut.rows:
                for column, count in zip(cut.columns, row.counts, strict=True):
                    rows.append([what, cut.title, row.label, column, count])
    return headers, rows


def _int(value: str | None) -> int | None:
    """An id from the query string; anything else (or one past bigint, which PostgreSQL
    would refuse with an error) is no filter."""
    if not value or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def _date(value: str | None, label: str, errors: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(_("La fecha «%(field)s» no es válida; use el calendario o AAAA-MM-DD.") % {"field": label})
        return None


def _filters(query: QueryDict) -> tuple[ReportFilters, list[str]]:
    """The report's filters from the query string; what cannot be read is left out and said."""
    errors: list[str] = []
    start = _date(query.get("desde"), _("Desde"), errors)
    end = _date(query.get("hasta"), _("Hasta"), errors)
    if start and end and start > end:
        errors.append(_("El período empieza después de terminar; se muestran todas las fechas."))
        start = end = None
    kind, product, state = query.get("clase", ""), query.get("producto", ""), query.get("estado", "")
    return (
        ReportFilters(
            aro_kind=kind if kind in AroKind.values else "",
            product_kind=product if product in ProductKind.values else "",
            aro_type=_int(query.get("tipo")),
            person=_int(query.get("responsable")),
            place=_int(query.get("lugar")),
            theme=_int(query.get("tema")),
            start=start,
            end=end,
            aro_state=state if state in ("open", "closed") else "",
        ),
        errors,
    )


def report(request: HttpRequest) -> HttpResponse:
    filters, errors = _filters(request.GET)
    data = report_selectors.control_report(filters)
    query = request.GET.copy()
    query.pop("tabla", None)
    context = {
        "report": data,
        "filters": filters,
        "values": request.GET,
        "errors": errors,
        "query": query.urlencode(),
        "aros": data.aros[: report_selectors.DETAIL_LIMIT],
        "initiatives": data.initiatives[: report_selectors.DETAIL_LIMIT],
        "limit": report_selectors.DETAIL_LIMIT,
    }
    return render(request, "initiatives/reports/report.html", context)


def _sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = SHEET_UNSAFE.sub(" ", title)[:31].strip() or _("Hoja")
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base[:27]} ({n})"
    taken.add(name)
    return name


def _workbook(sheets: list[tuple[str, list[str], list[list[Cell]]]]) -> bytes:
    """Like `transfer.to_xlsx`, with one sheet per table: text cells are forced to be text,
    so a description that starts with "=" is never run as a formula; counts stay numbers."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.worksheets[0])
    taken: set[str] = set()
    for title, headers, rows in sheets:
        sheet = book.create_sheet(_sheet_name(title, taken))
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The same report as the page, with the same filters: CSV holds one table (`tabla`:
    aro, iniciativas or resumen), XLSX holds the three as sheets."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filters, _errors = _filters(request.GET)
    data = report_selectors.control_report(filters)
    tables = {
        "aro": (_("ARO"), aro_table),
        "iniciativas": (_("Iniciativas"), initiative_table),
        "resumen": (_("Resumen"), summary_table),
    }
    stamp = local_today().isoformat()
    if fmt == "csv":
        which = request.GET.get("tabla", "aro")
        which = which if which in tables else "aro"
        headers, rows = tables[which][1](data)
        # The CSV has no cell types: text a spreadsheet would run as a formula gets an apostrophe.
        body = transfer.to_csv(headers, [[transfer.neutralise(str(cell)) for cell in row] for row in rows])
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        name = f"informe-{which}-{stamp}.csv"
    else:
        sheets: list[tuple[str, list[str], list[list[Cell]]]] = []
        for title, build in tables.values():
            headers, rows = build(data)
            sheets.append((str(title), headers, rows))
        response = HttpResponse(_workbook(sheets), content_type=XLSX)
        name = f"informe-control-{stamp}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _level(request: HttpRequest) -> int:
    value = request.GET.get("nivel", "2")
    if value not in ("2", "3"):
        raise Http404
    return int(value)


def goals_table(request: HttpRequest) -> HttpResponse:
    data = report_selectors.goals_table(_level(request))
    return render(request, "initiatives/reports/table.html", {"table": data})


def goals_table_pdf(request: HttpRequest) -> HttpResponse:
    data = report_selectors.goals_table(_level(request))
    response = HttpResponse(pdf.goals_table_pdf(data), content_type="application/pdf")
    name = f"mesa-de-metas-nivel-{data.level}-{data.today.isoformat()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def calendar(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("estado", "")
    filters: dict[str, Any] = {
        "text": request.GET.get("q", "").strip(),
        "status": status if status in Status.values else "",
        "manager": _int(request.GET.get("gerente")),
    }
    page, states = report_selectors.portfolio_calendar(request.GET.get("page"), **filters)
    today = local_today()
    # One span for the page, so the initiatives line up month by month.
    start, end = gantt.span(states, today)
    charts = [(s, gantt.chart(s, today=today, start=start, end=end)) for s in states]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "charts": charts,
        "page": page,
        "filters": filters,
        "statuses": Status.choices,
        "managers": report_selectors.managers(),
        "lights": report_selectors.LIGHT_ORDER,
        "query": query.urlencode(),
        "today": today,
    }
    return render(request, "initiatives/reports/calendar.html", context)


def initiative_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    state = report_selectors.initiative_calendar(pk)
    today = local_today()
    start, end = gantt.span([state], today)
    chart = gantt.chart(state, today=today, start=start, end=end)
    context = {"state": state, "chart": chart, "lights": report_selectors.LIGHT_ORDER}
    return render(request, "initiatives/reports/initiative_calendar.html", context)
