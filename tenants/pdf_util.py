"""What the PDFs share (the mesa de metas, tenants/initiatives/pdf.py, and the mayor's weekly
brief, tenants/dashboard/brief_pdf.py): drawn with reportlab (pure Python: no browser, no
network), in the same fonts and with the same light colours.

Accents and the light symbols need a Unicode font: DejaVu Sans from Debian's fonts-dejavu
when it is there. Without it the PDF falls back to Helvetica, whose encoding is Latin-1
(Windows-1252): accents still render, the symbols are left out and the light's word says it
all anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from tenants.initiatives.rules import Light

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
# The same colours as the pages (all at least 6:1 on white), for the light's word.
LIGHT_COLOURS = {
    Light.LATE: colors.HexColor("#a40e26"),
    Light.AT_RISK: colors.HexColor("#7a4a00"),
    Light.ON_TIME: colors.HexColor("#1a6b30"),
    Light.DONE: colors.HexColor("#0b5394"),
    Light.NONE: colors.HexColor("#57606a"),
}
GRID = colors.HexColor("#c9d1d9")
SOFT = colors.HexColor("#f3f6f9")


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    unicode: bool


@cache
def fonts() -> Fonts:
    """Register DejaVu Sans once per process; fall back to Helvetica if it is missing or
    unreadable (a slim image without fonts still gets its PDF)."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            try:
                pdfmetrics.registerFont(TTFont("SigobitoSans", str(regular)))
                pdfmetrics.registerFont(TTFont("SigobitoSans-Bold", str(bold)))
            except Exception:  # noqa: S112 - a damaged font file: try the next place, then Helvetica
                continue
            return Fonts("SigobitoSans", "SigobitoSans-Bold", unicode=True)
    return Fonts("Helvetica", "Helvetica-Bold", unicode=False)


def date_text(value: date | datetime | None) -> str:
    """A date (or a moment, in the local time) in the language's short format; "—" for none."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


class Writer:
    """Paragraph helpers bound to the fonts in use. A PDF's writer adds its styles, `body`
    at least."""

    # What a line break in a text becomes.
    newline = "<br/>"
    body: ParagraphStyle

    def __init__(self) -> None:
        self.fonts = fonts()

    def plain(self, value: str) -> str:
        """Without a Unicode font, what Latin-1 cannot draw becomes "?" rather than a box."""
        if not self.fonts.unicode:
            return value.encode("cp1252", errors="replace").decode("cp1252")
        return value

    def text(self, value: str) -> str:
        """Escaped for reportlab's mini-markup (a description may hold "<" or "&")."""
        return escape(self.plain(value)).replace("\n", self.newline)

    def p(self, value: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(self.text(value), style or self.body)

    def strong(self, value: str) -> str:
        """Markup of bold text (a TrueType font has no <b> of its own: name its bold face)."""
        return f'<font name="{self.fonts.bold}">{self.text(value)}</font>'

    def light(self, light: Light) -> str:
        """Markup of a light: its icon (with a Unicode font) and its word, in its colour."""
        icon = f"{light.icon} " if self.fonts.unicode else ""
        colour = LIGHT_COLOURS[light].hexval()[2:]
        return f'<font name="{self.fonts.bold}" color="#{colour}">{self.text(icon + light.label)}</font>'
