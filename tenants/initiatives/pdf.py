"""The mesa de metas as a PDF, drawn with reportlab (fonts, colours and paragraph helpers
in tenants/pdf_util.py)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tenants.initiatives.models import AroKind, AroStep
from tenants.initiatives.report_selectors import GoalsTable, QueueItem
from tenants.initiatives.rules import Light
from tenants.pdf_util import GRID, SOFT, Writer, date_text


class _Writer(Writer):
    def __init__(self) -> None:
        super().__init__()
        f = self.fonts
        self.body = ParagraphStyle("body", fontName=f.regular, fontSize=9, leading=11.5, alignment=TA_LEFT)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10)
        self.title = ParagraphStyle("title", parent=self.body, fontName=f.bold, fontSize=16, leading=20)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=f.bold, fontSize=12, leading=15, spaceBefore=8)
        self.h3 = ParagraphStyle("h3", parent=self.body, fontName=f.bold, fontSize=10, leading=13)
        self.label = ParagraphStyle("label", parent=self.small, fontName=f.bold)

    def light_cell(self, light: Light) -> Paragraph:
        return Paragraph(self.light(light), self.body)


def _table(rows: list[list[Any]], widths: list[float], *, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), SOFT))
    table.setStyle(TableStyle(style))
    return table


def _movement_text(step: str, from_level: int | None, to_level: int | None) -> str:
    text = str(AroStep(step).label)
    if step in (AroStep.ESCALATED, AroStep.DEESCALATED) and from_level and to_level:
        text += " " + _("(nivel %(from)s → %(to)s)") % {"from": from_level, "to": to_level}
    return text


def _item(w: _Writer, item: QueueItem, width: float) -> list[Any]:
    aro, state = item.aro, item.state
    heading = _("%(kind)s · %(type)s · registrada el %(date)s") % {
        "kind": AroKind(aro.kind).label,
        "type": aro.aro_type,
        "date": date_text(aro.raised_on),
    }
    milestone = "—"
    if aro.milestone is not None:
        milestone = pgettext("meta", "%(name)s (vence el %(date)s)") % {
            "name": aro.milestone.name,
            "date": date_text(aro.milestone.due_date),
        }
    facts = [
        [w.p(_("Iniciativa"), w.label), w.p(aro.initiative.name)],
        [w.p(_("Semáforo"), w.label), w.light_cell(state.light)],
        [w.p(_("Termómetro"), w.label), w.p(f"{state.thermometer} %")],
        [w.p(_("Meta intermedia"), w.label), w.p(milestone)],
        [w.p(_("Tipo"), w.label), w.p(f"{AroKind(aro.kind).label} · {aro.aro_type}")],
        [w.p(_("Descripción"), w.label), w.p(aro.description)],
        [w.p(_("Acción propuesta"), w.label), w.p(aro.proposed_action or "—")],
        [w.p(_("Decisión requerida"), w.label), w.p(aro.required_decision or "—")],
    ]
    if item.milestone_state is not None:
        facts.insert(4, [w.p(_("Semáforo de la meta"), w.label), w.light_cell(item.milestone_state.light)])
    history = [
        [w.p(_("Fecha"), w.label), w.p(_("Paso"), w.label), w.p(_("Quién"), w.label), w.p(_("Comentario"), w.label)]
    ]
    for move in item.movements:
        history.append(
            [
                w.p(date_text(move.at), w.small),
                w.p(_movement_text(move.step, move.from_level, move.to_level), w.small),
                w.p(move.actor_label if move.actor_label != "system" else _("el sistema"), w.small),
                w.p(move.comment or "—", w.small),
            ]
        )
    label_width = 42 * mm
    # One ARO on one page when it fits: a decision is read with its history in view.
    return [
        KeepTogether(
            [
                w.p(heading, w.h3),
                Spacer(1, 2 * mm),
                _table(facts, [label_width, width - label_width], header=False),
                Spacer(1, 2 * mm),
                w.p(_("Historial de movimientos"), w.label),
                _table(history, [32 * mm, 45 * mm, 45 * mm, width - 122 * mm]),
            ]
        ),
        Spacer(1, 6 * mm),
    ]


def goals_table_pdf(data: GoalsTable) -> bytes:
    w = _Writer()
    buffer = io.BytesIO()
    title = _("Mesa de metas · %(level)s") % {"level": data.level_label}
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=title,
        author=data.municipality,
        subject=_("Mesa de metas"),
    )
    width = doc.width
    story: list[Any] = [
        w.p(data.municipality, w.h2),
        w.p(title, w.title),
        Spacer(1, 2 * mm),
        w.p(
            _(
                "Ciclo semanal: día 1 (las gerencias actualizan) %(d1)s · día 2 (comité de metas) %(d2)s · "
                "día 3 (despacho del titular) %(d3)s. Hoy, %(today)s, es el día %(n)s del ciclo."
            )
            % {
                "d1": date_text(data.cycle[1]),
                "d2": date_text(data.cycle[2]),
                "d3": date_text(data.cycle[3]),
                "today": date_text(data.today),
                "n": data.today_cycle_day,
            }
        ),
        Spacer(1, 4 * mm),
        w.p(_("ARO que esperan decisión en este nivel (%(n)s)") % {"n": len(data.items)}, w.h2),
        Spacer(1, 2 * mm),
    ]
    if not data.items:
        story.append(w.p(_("No hay ARO que esperen una decisión en este nivel.")))
    for item in data.items:
        story.extend(_item(w, item, width))
    story += [Spacer(1, 4 * mm), w.p(_("Resumen de la cartera"), w.h2), Spacer(1, 2 * mm)]
    rows: list[list[Any]] = [
        [
            w.p(h, w.label)
            for h in (
                _("Iniciativa"),
                _("Gerente"),
                _("Semáforo"),
                _("Termómetro"),
                _("Sin reporte reciente"),
                _("Próxima meta"),
                _("Vence"),
            )
        ]
    ]
    for s in data.portfolio:
        nxt = s.next_milestone
        rows.append(
            [
                w.p(s.initiative.name),
                w.p(s.manager_name or "—"),
                w.light_cell(s.light),
                w.p(f"{s.thermometer} %"),
                w.p(_("Sí") if s.stale else _("No")),
                w.p(nxt.milestone.name if nxt else "—"),
                w.p(date_text(nxt.milestone.due_date) if nxt else "—"),
            ]
        )
    if len(rows) == 1:
        story.append(w.p(_("No hay iniciativas en la cartera.")))
    else:
        # Manager, light, thermometer, stale, next milestone, due date; the name takes the rest.
        fixed = [42 * mm, 30 * mm, 26 * mm, 26 * mm, 50 * mm, 24 * mm]
        story.append(_table(rows, [width - sum(fixed), *fixed]))

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(w.fonts.regular, 8)
        canvas.drawString(
            document.leftMargin,
            8 * mm,
            w.plain(_("%(name)s · página %(page)s") % {"name": data.municipality, "page": document.page}),
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
