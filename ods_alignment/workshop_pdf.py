"""The workshop summary as a PDF, drawn with reportlab like the other PDFs of the platform
(tenants/pdf_util.py: pure Python, offline, DejaVu Sans when installed): the same content as
the printable page (ods_alignment/workshop/summary.html), one goal per page, with ruled
space for the workshop's comments."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ods_alignment.models import Contribution
from ods_alignment.selectors_workspace import Entry, GoalLine, MunicipalityAlignment
from tenants.pdf_util import GRID, Writer, date_text

NOTE_LINES = 6  # ruled lines for comments under each goal, and at the end


class _Writer(Writer):
    def __init__(self, width: float) -> None:
        super().__init__()
        self.width = width
        f = self.fonts
        self.body = ParagraphStyle("body", fontName=f.regular, fontSize=9.5, leading=12.5)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8.5, leading=11)
        self.title = ParagraphStyle("title", parent=self.body, fontName=f.bold, fontSize=16, leading=20)
        self.h2 = ParagraphStyle(
            "h2", parent=self.body, fontName=f.bold, fontSize=13, leading=16, spaceBefore=6, spaceAfter=4
        )
        self.h3 = ParagraphStyle(
            "h3", parent=self.body, fontName=f.bold, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=2
        )
        self.bold = ParagraphStyle("bold", parent=self.body, fontName=f.bold)


def _contribution(value: str) -> str:
    return str(Contribution(value).label).lower() if value in Contribution.values else ""


def _goal_number(number: int) -> str:
    return _("ODS %(number)s") % {"number": number}


def _decision(entry: Entry) -> str:
    a = entry.alignment
    if a is None:
        return ""
    how = (
        _("Adjudicada por la persona especialista líder")
        if a.adjudicated
        else _("Acordada por las personas especialistas")
    )
    day = timezone.localtime(a.decided_at).date() if a.decided_at else None
    return _("%(how)s el %(date)s") % {"how": how, "date": date_text(day)}


def _notes(w: _Writer, lines: int = NOTE_LINES) -> list[Any]:
    table = Table([[""] for _n in range(lines)], colWidths=[w.width], rowHeights=[8 * mm] * lines)
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.6, colors.black)]))
    return [Paragraph(w.text(_("Comentarios del taller")), w.h3), table]


def _entry(w: _Writer, entry: Entry, line: GoalLine) -> list[Any]:
    a = entry.alignment
    parts: list[Any] = [Paragraph(w.strong(entry.title), w.h3)]
    parts.append(
        w.p(_("Contribución al objetivo: %(c)s") % {"c": _contribution(line.contribution)}, w.body),
    )
    if line.targets:
        for t in line.targets:
            text = f"{t.code} ({_contribution(t.contribution)})"
            if t.title:
                text += f": {t.title}"
            parts.append(w.p("• " + text, w.small))
    else:
        parts.append(w.p(_("Sin metas específicas."), w.small))
    if a is not None:
        parts.append(w.p(_decision(entry), w.small))
        if a.reason:
            parts.append(Paragraph(f"{w.strong(_('Razón de la decisión:'))} {w.text(a.reason)}", w.small))
        for n, j in enumerate(a.justifications, start=1):
            label = _("Justificación %(n)s:") % {"n": n}
            text = w.strong(label)
            if j.goals:
                proposed = _("Propuso: %(goals)s.") % {"goals": ", ".join(_goal_number(g) for g in j.goals)}
                text += f" {w.text(proposed)}"
            text += f" {w.text(j.text)}"
            if j.evidence_url:
                text += f" ({w.text(j.evidence_url)})"
            parts.append(Paragraph(text, w.small))
    if entry.public_url:
        parts.append(w.p(entry.public_url, w.small))
    return [KeepTogether(parts)]


def workshop_pdf(data: MunicipalityAlignment, *, today: date, method_url: str) -> bytes:
    buffer = io.BytesIO()
    title = _("Taller de alineación ODS — %(name)s") % {"name": data.name}
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=14 * mm, bottomMargin=14 * mm,
        title=title, author=data.name, subject=_("Taller de alineación ODS"),
    )  # fmt: skip
    w = _Writer(doc.width)
    story: list[Any] = [
        w.p(title, w.title),
        w.p(_("Fecha: %(date)s") % {"date": date_text(today)}, w.body),
        w.p(
            _(
                "Al menos dos especialistas ODS alinean cada iniciativa compartida por separado; si no coinciden, "
                "decide una persona especialista líder, y el resultado se publica. Cómo funciona el método de "
                "alineación: %(url)s"
            )
            % {"url": method_url},
            w.small,
        ),
        Spacer(1, 3 * mm),
        w.p(
            _(
                "Iniciativas compartidas: %(total)s · alineadas: %(aligned)s · en alineación: %(open)s · "
                "sin alinear: %(none)s"
            )
            % {
                "total": data.total,
                "aligned": len(data.aligned),
                "open": len(data.in_alignment),
                "none": len(data.unaligned),
            },
            w.body,
        ),
    ]
    if data.goal_counts:
        # "Objetivo" in the SDG sense (English "Goal"), apart from the plain word elsewhere.
        rows = [[w.p(pgettext("ODS", "Objetivo"), w.bold), w.p(_("Iniciativas"), w.bold), w.p(_("Directas"), w.bold)]]
        for c in data.goal_counts:
            rows.append(
                [w.p(f"{_goal_number(c.goal.number)} · {c.goal.short}"), w.p(str(c.initiatives)), w.p(str(c.direct))]
            )
        table = Table(rows, colWidths=[w.width * 0.6, w.width * 0.2, w.width * 0.2], repeatRows=1)
        table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID)]))
        story += [Spacer(1, 3 * mm), table]
    for section in data.sections:
        story.append(PageBreak())
        # The goal's colour as a swatch next to its number and name (text carries the meaning).
        swatch = Table([[""]], colWidths=[5 * mm], rowHeights=[5 * mm])
        swatch.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(section.goal.colour))]))
        heading = Paragraph(w.text(f"{_goal_number(section.goal.number)} · {section.goal.short}"), w.h2)
        head = Table([[swatch, heading]], colWidths=[8 * mm, w.width - 8 * mm])
        head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story += [head, w.p(section.goal.title, w.small)]
        story.append(
            w.p(
                ngettext("%(n)s iniciativa", "%(n)s iniciativas", len(section.rows)) % {"n": len(section.rows)},
                w.small,
            )
        )
        for row in section.rows:
            story += _entry(w, row.entry, row.line)
        story += _notes(w)
    story.append(PageBreak())
    story.append(w.p(_("Iniciativas sin alineación publicada"), w.h2))
    if data.in_alignment:
        story.append(w.p(_("En alineación"), w.h3))
        for entry in data.in_alignment:
            status = entry.alignment.status_text if entry.alignment else ""
            story.append(Paragraph(f"• {w.strong(entry.title)}: {w.text(status)}", w.small))
    if data.unaligned:
        story.append(w.p(_("Sin alinear todavía"), w.h3))
        for entry in data.unaligned:
            story.append(w.p("• " + entry.title, w.small))
    if not data.in_alignment and not data.unaligned:
        story.append(w.p(_("Todas las iniciativas compartidas tienen una alineación publicada."), w.small))
    story += _notes(w, NOTE_LINES + 4)
    doc.build(story)
    return buffer.getvalue()


def pdf_filename(data: MunicipalityAlignment, today: date) -> str:
    return f"taller-ods-{data.slug}-{today.isoformat()}.pdf"
