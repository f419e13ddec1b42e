"""Server-side SVG charts for the dashboard: no JavaScript, no CDN, the same drawing on the
page, on a phone and on paper.

Each builder returns a `Chart`: a title, a one-sentence summary with the key figure in
words, the SVG (`role="img"`, named by its own <title> and <desc>), a legend in text, and a
data table that is the chart's text equivalent (the template shows it under the chart in a
"Ver datos" disclosure). The table is built from the very numbers that are drawn, so the two
cannot disagree.

Colour is never the only signal: every series has its own fill pattern and a legend entry
in words (traffic lights also carry their icon), bars carry their value where it fits, and
the table has every number. All colours reach at least 6:1 on white (WCAG asks 3:1 for
graphics). Text that comes from people (theme, place and initiative names) is escaped here,
because the SVG is marked safe for the template.

Drawings use their own units in a fixed-width viewBox and `width="100%"`: they scale to the
card they sit in and stay readable at 375 px (the text is sized for that width).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from math import ceil, floor, log10

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# The drawing's own units: 360 wide shows at about 0.85 scale in a phone's card.
WIDTH = 360
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
INK = "#1f2328"  # 15.8:1 on white
MUTED = "#57606a"  # 6.2:1
GRID = "#c9d1d9"
SOFT = "#f3f6f9"
# Series colours, all at least 6:1 on white.
BLUE = "#0b5394"
GREEN = "#1a6b30"
BROWN = "#7a4a00"
RED = "#a40e26"
GREY = "#57606a"
MAX_LABEL = 38  # characters of a category drawn in the chart; the table has it whole
_ID = re.compile(r"^[a-z][a-z0-9-]*$")

ValueFormat = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    """One set of values (a bar colour). `key` goes into ids and must be [a-z0-9-]; `pattern`
    is one of solid, stripes, dots, cross, hatch (see pattern_def)."""

    key: str
    label: str
    colour: str
    pattern: str = "solid"
    icon: str = ""  # a shape that says the same as the colour (traffic lights)


@dataclass(frozen=True)
class LegendItem:
    swatch: SafeString
    icon: str
    label: str


@dataclass(frozen=True)
class DataTable:
    """The chart as a table: the first cell of each row names it (a row header)."""

    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    summary: str  # the key figure in words
    svg: SafeString
    table: DataTable
    legend: list[LegendItem] = field(default_factory=list)
    note: str = ""  # how to read it (e.g. what is counted twice)
    empty: bool = False


# --- Small helpers ---------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate: never localised (a decimal comma would break the SVG)."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _shorten(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain_number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def nice_max(value: float) -> float:
    """The axis' top: the first 1, 2, 2.5 or 5 times a power of ten at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** floor(log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def pattern_def(pid: str, colour: str, kind: str) -> str:
    """A fill: the colour plus a texture of its own, so series differ without colour."""
    head = f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse"'
    if kind == "stripes":
        return (
            f'{head} patternTransform="rotate(45)"><rect width="8" height="8" fill="{colour}"/>'
            '<rect width="3" height="8" fill="#ffffff" fill-opacity=".55"/></pattern>'
        )
    if kind == "dots":
        return (
            f'{head}><rect width="8" height="8" fill="{colour}"/>'
            '<circle cx="4" cy="4" r="1.6" fill="#ffffff" fill-opacity=".7"/></pattern>'
        )
    if kind == "cross":
        return (
            f'{head}><rect width="8" height="8" fill="{colour}"/>'
            '<path d="M0 0L8 8M8 0L0 8" stroke="#ffffff" stroke-opacity=".6" stroke-width="1.5"/></pattern>'
        )
    if kind == "hatch":
        return (
            f'{head}><rect width="8" height="8" fill="#ffffff"/>'
            f'<path d="M0 8L8 0M-2 2L2 -2M6 10L10 6" stroke="{colour}" stroke-width="2"/></pattern>'
        )
    return f'{head}><rect width="8" height="8" fill="{colour}"/></pattern>'


def _fill(chart_id: str, series: Series) -> str:
    return f"url(#{chart_id}-p-{series.key})"


def _defs(chart_id: str, series: Sequence[Series]) -> str:
    return "<defs>" + "".join(pattern_def(f"{chart_id}-p-{s.key}", s.colour, s.pattern) for s in series) + "</defs>"


def legend(chart_id: str, series: Sequence[Series]) -> list[LegendItem]:
    """Legend entries in HTML: a swatch with the series' own pattern (self-contained, so it
    shows even where the chart's own defs are not rendered), its icon and its word."""
    items = []
    for s in series:
        pid = f"{chart_id}-l-{s.key}"
        swatch = (
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart-swatch" width="26" height="14" viewBox="0 0 26 14" '
            'aria-hidden="true" '
            f'focusable="false"><defs>{pattern_def(pid, s.colour, s.pattern)}</defs>'
            f'<rect x="1" y="1" width="24" height="12" rx="2" fill="url(#{pid})" stroke="{s.colour}" '
            'stroke-width="1.5"/></svg>'
        )
        items.append(LegendItem(swatch=mark_safe(swatch), icon=s.icon, label=s.label))  # noqa: S308 - built here, no user text
    return items


def _open(chart_id: str, title: str, desc: str, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT}" font-size="13" fill="{INK}">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def _desc(summary: str, note: str) -> str:
    parts = [summary, note, _("La tabla «Ver datos» tiene los mismos datos.")]
    return " ".join(p for p in parts if p)


def _check_id(chart_id: str) -> None:
    if not _ID.match(chart_id):
        raise ValueError(f"chart id must be [a-z][a-z0-9-]*: {chart_id!r}")


def _table(
    caption: str,
    category_header: str,
    categories: Sequence[str],
    series: Sequence[Series],
    values: Sequence[Sequence[float | None]],
    fmt: ValueFormat,
    *,
    total: bool = False,
) -> DataTable:
    headers = [category_header, *[s.label for s in series]]
    if total:
        headers.append(_("Total"))
    rows = []
    for category, row in zip(categories, values, strict=True):
        cells = [category, *["—" if v is None else fmt(v) for v in row]]
        if total:
            known = [v for v in row if v is not None]
            cells.append(fmt(sum(known)) if known else "—")
        rows.append(cells)
    return DataTable(caption=caption, headers=headers, rows=rows)


def empty_chart(chart_id: str, title: str, message: str, table: DataTable | None = None) -> Chart:
    """The "no data yet" state: a small drawing that says so, and an empty table."""
    _check_id(chart_id)
    empty = escape(_("Aún no hay datos"))
    svg = (
        _open(chart_id, title, message, 60)
        + f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="59" rx="6" fill="{SOFT}" stroke="{GRID}"/>'
        + f'<text x="{WIDTH / 2}" y="35" text-anchor="middle" fill="{MUTED}">{empty}</text>'
        + "</svg>"
    )
    return Chart(
        id=chart_id,
        title=title,
        summary=message,
        svg=mark_safe(svg),  # noqa: S308 - every text above is escaped
        table=table or DataTable(caption=title, headers=[], rows=[]),
        empty=True,
    )


def _finish(
    out: list[str],
    *,
    id: str,
    title: str,
    summary: str,
    table: DataTable,
    note: str,
    legend: list[LegendItem] | None = None,
) -> Chart:
    """The drawing `out` (begun by _open, every text in it escaped where it was drawn), closed."""
    svg = mark_safe("".join(out) + "</svg>")  # noqa: S308 - escaped where drawn
    return Chart(id=id, title=title, summary=summary, svg=svg, table=table, legend=legend or [], note=note)


def _is_empty(values: Sequence[Sequence[float | None]]) -> bool:
    return not any(v for row in values for v in row)


# --- Horizontal bars (long category names: themes, places, ARO types) -------------------------


def horizontal_bars(
    *,
    id: str,
    title: str,
    summary: str,
    categories: Sequence[str],
    series: Sequence[Series],
    values: Sequence[Sequence[float]],
    caption: str,
    category_header: str,
    fmt: ValueFormat = plain_number,
    note: str = "",
    empty_message: str = "",
) -> Chart:
    """One row per category: its name on a line of its own (names can be long and the phone
    is narrow), then one bar per series with its value at the end."""
    _check_id(id)
    table = _table(caption, category_header, categories, series, values, fmt)
    if not categories or _is_empty(values):
        return empty_chart(id, title, empty_message or summary, table)
    top = nice_max(max((v or 0) for row in values for v in row))
    bar, gap, label_h = 15, 3, 20
    value_room = 64
    span = WIDTH - value_room
    row_h = label_h + len(series) * (bar + gap) + 10
    height = len(categories) * row_h + 4
    out = [_open(id, title, _desc(summary, note), height), _defs(id, series)]
    for i, (category, row) in enumerate(zip(categories, values, strict=True)):
        y = i * row_h + 2
        if i % 2 == 0:
            out.append(f'<rect x="0" y="{_n(y - 2)}" width="{WIDTH}" height="{_n(row_h)}" fill="{SOFT}"/>')
        out.append(f'<text x="2" y="{_n(y + 15)}" font-size="14" font-weight="600">{escape(_shorten(category))}</text>')
        for j, (s, value) in enumerate(zip(series, row, strict=True)):
            by = y + label_h + j * (bar + gap)
            width = max(span * (value or 0) / top, 2.0 if value else 0.0)
            words = f"{category}: {s.label}, {fmt(value or 0)}"
            out.append(
                f'<rect x="2" y="{_n(by)}" width="{_n(width)}" height="{bar}" rx="2" fill="{_fill(id, s)}" '
                f'stroke="{s.colour}" stroke-width="1.2"><title>{escape(words)}</title></rect>'
            )
            out.append(
                f'<text x="{_n(width + 7)}" y="{_n(by + bar - 3)}" font-size="13">'
                f"{escape(f'{s.icon} ' if s.icon else '')}{escape(fmt(value or 0))}</text>"
            )
    return _finish(
        out, id=id, title=title, summary=summary, table=table, note=note,
        legend=legend(id, series) if len(series) > 1 else [],
    )  # fmt: skip


def bar_chart(
    *,
    id: str,
    title: str,
    summary: str,
    categories: Sequence[str],
    values: Sequence[float],
    series: Series,
    caption: str,
    category_header: str,
    fmt: ValueFormat = plain_number,
    note: str = "",
    empty_message: str = "",
) -> Chart:
    """A single-series horizontal bar chart."""
    return horizontal_bars(
        id=id, title=title, summary=summary, categories=categories, series=[series], values=[[v] for v in values],
        caption=caption, category_header=category_header, fmt=fmt, note=note, empty_message=empty_message,
    )  # fmt: skip


# --- Vertical bars (time: weeks, months) -------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    left: float
    top: float
    bottom: float  # y of the baseline
    right: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


def nice_step(peak: float, divisions: int = 4) -> float:
    """The gridlines' step: a round number (1, 2, 3, 4, 5, 6 or 8 times a power of ten, or
    15 or 25 times one), at least 1 so that counts get whole gridlines, with `divisions` steps
    reaching `peak`."""
    raw = peak / divisions
    if raw <= 1:
        return 1
    magnitude = 10 ** floor(log10(raw))
    for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        step = factor * magnitude
        if step >= raw and step == int(step):
            return step
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _axis(frame: _Frame, top_value: float, fmt: ValueFormat) -> list[str]:
    out = []
    for k in range(5):
        value = top_value * k / 4
        y = frame.bottom - frame.height * k / 4
        out.append(
            f'<line x1="{_n(frame.left)}" y1="{_n(y)}" x2="{_n(frame.right)}" y2="{_n(y)}" '
            f'stroke="{GRID if k else MUTED}" stroke-width="{1 if k else 1.5}"/>'
        )
        if value == int(value) or k == 4:
            out.append(
                f'<text x="{_n(frame.left - 4)}" y="{_n(y + 4)}" text-anchor="end" font-size="12" '
                f'fill="{MUTED}">{escape(fmt(value))}</text>'
            )
    return out


def vertical_bars(
    *,
    id: str,
    title: str,
    summary: str,
    categories: Sequence[str],
    series: Sequence[Series],
    values: Sequence[Sequence[float | None]],
    caption: str,
    category_header: str,
    stacked: bool = False,
    fmt: ValueFormat = plain_number,
    note: str = "",
    marker: int | None = None,
    marker_label: str = "",
    empty_message: str = "",
    short_categories: Sequence[str] | None = None,
) -> Chart:
    """One group (or one stack) per category, left to right. `values[i][j]` is series j in
    category i; None means "no data" for that category (drawn as a dash, "—" in the table).
    `marker` draws a dashed line before category `marker` (e.g. "today")."""
    _check_id(id)
    table = _table(caption, category_header, categories, series, values, fmt, total=stacked)
    if not categories or _is_empty(values):
        return empty_chart(id, title, empty_message or summary, table)
    labels = list(short_categories or categories)
    totals = [sum(v or 0 for v in row) for row in values] if stacked else [v or 0 for row in values for v in row]
    peak = max(totals)
    top_value = 4 * nice_step(peak)
    height = 240
    frame = _Frame(left=30, top=24, bottom=height - 30, right=WIDTH - 4)
    out = [_open(id, title, _desc(summary, note), height), _defs(id, series)]
    out += _axis(frame, top_value, plain_number)
    slot = (frame.right - frame.left) / len(categories)
    group = slot * 0.78
    # Every n-th category label, so they never overlap (about 6 units per character at 11 px).
    widest = max(len(label) for label in labels) * 7 + 6
    every = max(1, ceil(widest / slot))
    for i, (row, label) in enumerate(zip(values, labels, strict=True)):
        x0 = frame.left + i * slot + (slot - group) / 2
        centre = frame.left + i * slot + slot / 2
        if i % every == 0:
            out.append(
                f'<text x="{_n(centre)}" y="{_n(frame.bottom + 17)}" text-anchor="middle" font-size="12" '
                f'fill="{MUTED}">{escape(label)}</text>'
            )
        if all(v is None for v in row):
            no_data = escape(_("sin datos"))
            out.append(
                f'<text x="{_n(centre)}" y="{_n(frame.bottom - 4)}" text-anchor="middle" font-size="11" '
                f'fill="{MUTED}">—<title>{escape(categories[i])}: {no_data}</title></text>'
            )
            continue
        if stacked:
            y = frame.bottom
            for s, value in zip(series, row, strict=True):
                if not value:
                    continue
                h = frame.height * value / top_value
                y -= h
                words = f"{categories[i]}: {s.label}, {fmt(value)}"
                out.append(
                    f'<rect x="{_n(x0)}" y="{_n(y)}" width="{_n(group)}" height="{_n(h)}" fill="{_fill(id, s)}" '
                    f'stroke="{s.colour}" stroke-width="1"><title>{escape(words)}</title></rect>'
                )
            total = sum(v or 0 for v in row)
            out.append(
                f'<text x="{_n(centre)}" y="{_n(y - 4)}" text-anchor="middle" font-size="12" '
                f'font-weight="600">{escape(fmt(total))}</text>'
            )
        else:
            width = group / len(series)
            for j, (s, value) in enumerate(zip(series, row, strict=True)):
                h = frame.height * (value or 0) / top_value
                x = x0 + j * width
                words = f"{categories[i]}: {s.label}, {fmt(value or 0)}"
                out.append(
                    f'<rect x="{_n(x)}" y="{_n(frame.bottom - h)}" width="{_n(width)}" height="{_n(h)}" '
                    f'fill="{_fill(id, s)}" stroke="{s.colour}" stroke-width="1"><title>{escape(words)}</title></rect>'
                )
                # The value on the bar when there is room for it (the table has them all).
                if value and width >= 14:
                    out.append(
                        f'<text x="{_n(x + width / 2)}" y="{_n(frame.bottom - h - 3)}" text-anchor="middle" '
                        f'font-size="11">{escape(fmt(value))}</text>'
                    )
    if marker is not None and 0 <= marker < len(categories):
        x = frame.left + marker * slot
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(frame.top - 6)}" x2="{_n(x)}" y2="{_n(frame.bottom)}" stroke="{RED}" '
            'stroke-width="1.5" stroke-dasharray="5 3"/>'
        )
        if marker_label:
            out.append(
                f'<text x="{_n(x + 3)}" y="{_n(frame.top - 9)}" font-size="12" font-weight="600" '
                f'fill="{RED}">{escape(marker_label)}</text>'
            )
    return _finish(out, id=id, title=title, summary=summary, table=table, note=note, legend=legend(id, series))


def grouped_bars(**kwargs: object) -> Chart:
    """Series side by side in each category."""
    return vertical_bars(stacked=False, **kwargs)  # type: ignore[arg-type]


def stacked_bars(**kwargs: object) -> Chart:
    """Series piled up in each category, with the total on top."""
    return vertical_bars(stacked=True, **kwargs)  # type: ignore[arg-type]


# --- The thermometer -------------------------------------------------------------------------


def thermometer(
    *,
    id: str,
    title: str,
    summary: str,
    value: int | None,
    table: DataTable,
    note: str = "",
    empty_message: str = "",
) -> Chart:
    """A horizontal thermometer from 0 to 100 %, filled to `value`, with the figure written
    large next to it (the drawing never relies on the fill alone)."""
    _check_id(id)
    if value is None:
        return empty_chart(id, title, empty_message or summary, table)
    value = max(0, min(100, int(value)))
    height = 92
    left, right, tube_y, tube_h = 34, WIDTH - 12, 40, 18
    span = right - left
    fill_w = span * value / 100
    out = [_open(id, title, _desc(summary, note), height)]
    weighted = escape(_("avance ponderado"))
    out.append(
        f'<text x="{left}" y="26" font-size="22" font-weight="700">{escape(f"{value} %")}</text>'
        f'<text x="{left + 74}" y="26" font-size="13" fill="{MUTED}">{weighted}</text>'
    )
    # Bulb and tube, outlined in ink so the empty part is visible too.
    out.append(
        f'<circle cx="20" cy="{tube_y + tube_h / 2}" r="14" fill="{BLUE}" stroke="{INK}" stroke-width="1.5"/>'
        f'<rect x="{left - 6}" y="{tube_y}" width="{span + 6}" height="{tube_h}" rx="9" fill="#ffffff" '
        f'stroke="{INK}" stroke-width="1.5"/>'
    )
    if value:
        out.append(
            f'<rect x="{left - 6}" y="{tube_y + 3}" width="{_n(fill_w + 6)}" height="{tube_h - 6}" rx="6" '
            f'fill="{BLUE}"><title>{escape(f"{value} %")}</title></rect>'
        )
    for tick in (0, 25, 50, 75, 100):
        x = left + span * tick / 100
        anchor = "end" if tick == 100 else "middle"
        out.append(
            f'<line x1="{_n(x)}" y1="{tube_y + tube_h + 2}" x2="{_n(x)}" y2="{tube_y + tube_h + 7}" '
            f'stroke="{MUTED}"/><text x="{_n(x)}" y="{tube_y + tube_h + 21}" font-size="12" '
            f'text-anchor="{anchor}" fill="{MUTED}">{tick}</text>'
        )
    return _finish(out, id=id, title=title, summary=summary, table=table, note=note)
