"""The mayor's weekly brief as a one-page PDF, drawn with reportlab like the mesa de metas
(tenants/initiatives/pdf.py), with the same helpers (tenants/pdf_util.py): the same fonts
(DejaVu Sans when installed, so accents and the traffic lights' icons render; Helvetica
otherwise) and the same light colours."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tenants.dashboard.brief import Brief, Section
from tenants.initiatives.models import AroKind
from tenants.pdf_util import GRID, Writer, date_text

BLUE = colors.HexColor("#0b5394")
TEXT_LIMIT = 150  # characters of a description; the workspace has it whole


class _Writer(Writer):
    newline = " "  # a compact page: each line of the brief is one paragraph

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width = width
        f = self.fonts
        self.body = ParagraphStyle("body", fontName=f.regular, fontSize=8.5, leading=10.5)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7.5, leading=9)
        self.title = ParagraphStyle("title", parent=self.body, fontName=f.bold, fontSize=15, leading=18)
        self.h2 = ParagraphStyle(
            "h2", parent=self.body, fontName=f.bold, fontSize=10.5, leading=13, spaceBefore=5, spaceAfter=2,
            textColor=BLUE,
        )  # fmt: skip
        self.bold = ParagraphStyle("bold", parent=self.body, fontName=f.bold)


def _due(day: date, today: date) -> str:
    if day < today:
        return _("venció el %(date)s") % {"date": date_text(day)}
    # Not due yet and still late: an open restriction makes it so (rules.milestone_light).
    return pgettext("fecha de vencimiento de una meta", "vence el %(date)s; tiene una restricción abierta") % {
        "date": date_text(day)
    }


def _short(value: str) -> str:
    return Truncator(" ".join(value.split())).chars(TEXT_LIMIT)


def _rows(w: _Writer, lines: list[str], section: Section[Any], empty: str) -> list[Any]:
    """A section's lines as a compact one-column table, with "and n more" when cut."""
    if not section.count:
        return [w.p(empty, w.small)]
    cells = [[Paragraph(line, w.body)] for line in lines]
    if section.more:
        more = ngettext(
            "… y %(n)s más en el espacio de trabajo.", "… y %(n)s más en el espacio de trabajo.", section.more
        )
        cells.append([w.p(more % {"n": section.more}, w.small)])
    table = Table(cells, colWidths=[w.width])
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, GRID),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return [table]


def _heading(w: _Writer, text: str, n: int) -> Paragraph:
    return Paragraph(f"{w.text(text)} ({n})", w.h2)


def brief_pdf(brief: Brief) -> bytes:
    buffer = io.BytesIO()
    title = _("Resumen semanal para el titular")
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=12 * mm, bottomMargin=14 * mm,
        title=f"{title} · {brief.municipality}", author=brief.municipality, subject=title,
    )  # fmt: skip
    w = _Writer(doc.width)
    b = w.text
    story: list[Any] = [
        w.p(brief.municipality, w.bold),
        w.p(title, w.title),
        w.p(
            _("Semana del ciclo que empezó el %(start)s · hoy, %(today)s · agenda y comunicación hasta el %(until)s")
            % {"start": date_text(brief.week_start), "today": date_text(brief.today), "until": date_text(brief.until)},
            w.small,
        ),
        Spacer(1, 2 * mm),
    ]
    # The portfolio in one line: the lights with their icon and word, and the thermometer.
    lights = " · ".join(f"{w.light(light)} {n}" for light, n in brief.light_counts.items())
    thermo = "—" if brief.thermometer is None else f"{brief.thermometer} %"
    # Translated outside the f-strings: makemessages does not read inside them.
    portfolio_label, thermometer_label = _("Cartera:"), _("Termómetro:")
    story.append(Paragraph(f"{w.strong(portfolio_label)} {lights} · {w.strong(thermometer_label)} {b(thermo)}", w.body))

    # 1. What needs the mayor's decision.
    story.append(_heading(w, _("Lo que necesita su decisión: ARO en el nivel 3"), brief.decisions.count))
    lines = []
    for aro, state in brief.decisions.rows:
        kind = str(AroKind(aro.kind).label)
        raised = _("registrada el %(date)s") % {"date": date_text(aro.raised_on)}
        line = (
            f"{w.strong(f'{kind} · {aro.aro_type}')} — {b(aro.initiative.name)} ({w.light(state.light)}, "
            f"{b(raised)})<br/>{b(_short(aro.description))}"
        )
        if aro.required_decision:
            needed = _("Decisión requerida:")
            line += f"<br/>{w.strong(needed)} {b(_short(aro.required_decision))}"
        lines.append(line)
    story += _rows(w, lines, brief.decisions, _("No hay ARO que esperen su decisión."))

    # 2. What is late.
    story.append(_heading(w, _("Lo que está atrasado: iniciativas"), brief.late_initiatives.count))
    lines = []
    for s in brief.late_initiatives.rows:
        nxt = s.next_milestone
        detail = _("termómetro %(t)s %%") % {"t": s.thermometer}
        if nxt is not None:
            detail += " · " + _("próxima meta: %(name)s (vence el %(date)s)") % {
                "name": nxt.milestone.name,
                "date": date_text(nxt.milestone.due_date),
            }
        lines.append(f"{w.light(s.light)} {w.strong(s.initiative.name)} — {b(detail)}")
    story += _rows(w, lines, brief.late_initiatives, _("Ninguna iniciativa está atrasada."))

    story.append(_heading(w, _("Metas intermedias atrasadas"), brief.late_milestones.count))
    lines = [
        f"{w.strong(m.milestone.name)} — {b(s.initiative.name)} · "
        + b(_due(m.milestone.due_date, brief.today) + " · " + _("avance %(p)s %%") % {"p": m.milestone.progress})
        for m, s in brief.late_milestones.rows
    ]
    story += _rows(w, lines, brief.late_milestones, _("Ninguna meta intermedia está atrasada."))

    story.append(_heading(w, _("Tareas y compromisos vencidos"), brief.overdue_tasks.count))
    lines = [
        f"{w.strong(t.get_kind_display())}: {b(_short(t.description))} — "
        + b(_("%(who)s, venció el %(date)s") % {"who": t.assignee.full_name, "date": date_text(t.due_date)})
        for t in brief.overdue_tasks.rows
    ]
    story += _rows(w, lines, brief.overdue_tasks, _("No hay tareas ni compromisos vencidos."))

    # 3. What to communicate.
    story.append(_heading(w, _("Qué comunicar: acciones previstas"), brief.communications.count))
    lines = [
        f"{w.strong(a.title)} — "
        + b(_("%(date)s · %(status)s") % {"date": date_text(a.planned_date), "status": a.get_status_display()})
        for a in brief.communications.rows
    ]
    story += _rows(w, lines, brief.communications, _("No hay acciones de comunicación previstas."))
    if brief.to_approve_count:
        story.append(
            w.p(
                ngettext(
                    "%(n)s pieza de comunicación espera su aprobación.",
                    "%(n)s piezas de comunicación esperan su aprobación.",
                    brief.to_approve_count,
                )
                % {"n": brief.to_approve_count},
                w.body,
            )
        )
    story.append(
        w.p(
            ngettext(
                "%(n)s posible acción de comunicación espera revisión en la bandeja de sugerencias.",
                "%(n)s posibles acciones de comunicación esperan revisión en la bandeja de sugerencias.",
                brief.suggestion_count,
            )
            % {"n": brief.suggestion_count},
            w.small,
        )
    )

    # 4. The agenda's coming days.
    story.append(_heading(w, _("Agenda de los próximos días"), brief.agenda.count))
    lines = []
    for a in brief.agenda.rows:
        where = a.place.name if a.place_id and a.place else a.address
        line = f"{w.strong(date_text(a.starts_at))} {b(a.title)} · {b(a.get_status_display())}"
        if where:
            line += f" · {b(where)}"
        lines.append(line)
    story += _rows(w, lines, brief.agenda, _("No hay actividades en la agenda de estos días."))

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(w.fonts.regular, 7.5)
        canvas.drawString(
            document.leftMargin,
            7 * mm,
            w.plain(
                _("%(name)s · resumen semanal · %(date)s")
                % {"name": brief.municipality, "date": date_text(brief.today)}
            ),
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
